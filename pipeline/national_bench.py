"""`make bench`'s national figures: `make national`'s two passes on a synthetic archive of
realistic size (pipeline/sample/national_archive.py, cached under .build/bench-archive/), each
against its target, with the peak memory of the whole process tree (this process and its
workers, sampled together)."""

from __future__ import annotations

import contextlib
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from pipeline.national import run_national
from pipeline.paths import PROJECT_ROOT
from pipeline.sample.national_archive import LOOKUP_FILE, archive_rows, cached_archive

ARCHIVE_CACHE = PROJECT_ROOT / ".build" / "bench-archive"
QUARTER, YEAR = "4", "2024-25"  # the archive's last quarter: its 24 compared months are there
INGEST_TARGET, TABLES_TARGET, MEMORY_TARGET = 180.0, 60.0, 4_000_000_000


class TreeMemory:
    """The largest resident memory of this process and all its descendants together, sampled
    every `interval` seconds in a thread while in use."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):  # a worker that just ended
                    total += process.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass(frozen=True)
class NationalTiming:
    """The national bench: the archive's size, the two passes' seconds, the re-run's, memory."""

    forces: int
    partnerships: int
    rows: int
    archive_bytes: int
    ingest: float
    tables: float
    rerun: float
    peak_bytes: int


def national_config(archive: Path, folder: Path) -> Path:
    """A national config for every force of the archive, writing into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "national.yaml"
    path.write_text(
        f"forces: all\ninputs:\n  police_uk: {archive}\n  csp_lookup: {archive / LOOKUP_FILE}\n"
        f"output_dir: {folder / 'outputs'}\nprocessed_dir: {folder / 'processed'}\n",
        encoding="utf-8",
    )
    return path


def national_timing(folder: Path) -> NationalTiming:
    """A cold national run (no stores yet) on the cached archive, then a re-run with the stores
    in place, the process tree's memory sampled throughout."""
    archive = cached_archive(ARCHIVE_CACHE)
    config = national_config(archive, folder)
    with TreeMemory() as memory:
        cold = run_national(config, QUARTER, YEAR, say=lambda line: None)
        started = time.perf_counter()
        run_national(config, QUARTER, YEAR, say=lambda line: None)
        rerun = time.perf_counter() - started
    size = sum(path.stat().st_size for path in archive.rglob("*-street.csv"))
    return NationalTiming(
        cold.forces,
        cold.partnerships,
        archive_rows(archive),
        size,
        cold.ingest_seconds,
        cold.tables_seconds,
        rerun,
        memory.peak,
    )


def print_national(folder: Path | None = None) -> None:
    """Time the national passes and print them against their targets."""
    with tempfile.TemporaryDirectory(prefix="bench-national-") as temp:
        timing = national_timing(folder or Path(temp))
    print(
        f"National archive (synthetic, make national Q={QUARTER} FY={YEAR}): {timing.forces} "
        f"forces, {timing.rows:,} rows over 36 months ({timing.archive_bytes / 1e9:.1f} GB of "
        f"CSV): ingest into the forces' stores {timing.ingest:.1f} s (target < "
        f"{INGEST_TARGET:.0f} s); the three performance tables of all {timing.partnerships} "
        f"partnerships {timing.tables:.1f} s (target < {TABLES_TARGET:.0f} s); peak memory of "
        f"the process tree {timing.peak_bytes / 1e9:.2f} GB (target < "
        f"{MEMORY_TARGET / 1e9:.0f} GB); re-run with the stores in place {timing.rerun:.1f} s"
    )
