"""Shared helpers: small, readable police.uk files and performance tables written by hand."""

from __future__ import annotations

import csv
import fcntl
import os
import shutil
import subprocess
import warnings
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from pipeline.metrics import COUNT_COLUMNS, PERFORMANCE_COLUMNS
from pipeline.numbers import percent, percent_change, point_difference, round_half_up, to_float
from pipeline.paths import PROJECT_ROOT
from pipeline.sources import police_uk as street_files
from pipeline.taxonomy import home_office, police_uk

FORCE = "Testshire Police"
ASB = "Anti-social behaviour"
SAMPLE_RAW = PROJECT_ROOT / "data" / "raw" / "sample"


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """Under make test's `--dist loadfile`: each test file on one worker, and the three notebooks
    on one together, in order, since 02 and 03 read what 01 writes."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class NotebooksTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith("notebooks/"):
                return "notebooks/"
            return super()._split_scope(nodeid)

    return NotebooksTogether(config, log)


# The test files that take longest, longest first (a make test run with --durations shows them).
SLOWEST_FIRST = (
    "tests/test_runs.py",
    "tests/test_bad_inputs.py",
    "tests/test_end_to_end.py",
    "tests/test_accessibility.py",
    "tests/test_realdata.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slowest test files first: make test's xdist hands files to its two workers in this
    order (`--no-loadscope-reorder`), so they share the long ones and finish together."""
    rank = {name: number for number, name in enumerate(SLOWEST_FIRST)}

    def place(item: pytest.Item) -> int:
        return rank.get(Path(str(item.path)).relative_to(PROJECT_ROOT).as_posix(), len(rank))

    items.sort(key=place)  # stable: each file's tests keep their order


def street_row(
    crime_type: str,
    month: str,
    lsoa_name: str = "Testville 001A",
    outcome: str = "",
    crime_id: str | None = None,
) -> dict[str, str]:
    """One police.uk row; an empty lsoa_name means a row with no location."""
    located = bool(lsoa_name)
    return {
        "Crime ID": "" if crime_type == ASB else (crime_id or f"id-{month}-{crime_type}"),
        "Month": month,
        "Reported by": FORCE,
        "Falls within": FORCE,
        "Longitude": "-1.100000" if located else "",
        "Latitude": "52.500000" if located else "",
        "Location": "On or near Mill Lane" if located else "No Location",
        "LSOA code": f"E01{zlib.crc32(lsoa_name.encode()) % 1000000:06d}" if located else "",
        "LSOA name": lsoa_name,
        "Crime type": crime_type,
        "Last outcome category": "" if crime_type == ASB else outcome,
        "Context": "",
    }


def write_street_file(
    folder: Path, month: str, rows: list[dict[str, str]], force: str = "testshire"
) -> Path:
    """Write rows as `YYYY-MM-<force>-street.csv` exactly as police.uk does."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{month}-{force}-street.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(police_uk().file_header))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_config(folder: Path, police_uk_folder: Path, extra: str = "", **keys: str) -> Path:
    """A small district config for Testville."""
    lines = [
        "district: Testville",
        f"force: {FORCE}",
        "inputs:",
        f"  police_uk: {police_uk_folder}",
        f"  lsoa_name_prefix: {keys.get('prefix', 'Testville')}",
        f"output_dir: {folder / 'outputs'}",
        f"processed_dir: {folder / 'processed'}",
    ]
    path = folder / "config.yaml"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


@pytest.fixture
def months_2023_to_2025() -> list[str]:
    """The 24 months 2023-10 to 2025-09 that 2025-26 Q2 needs."""
    import pandas as pd

    return [str(m) for m in pd.period_range("2023-10", "2025-09", freq="M")]


def ho_table(figures: dict[str, tuple[int, ...]]) -> pd.DataFrame:
    """A Home Office performance table: (offences previous, current, solved previous, current)
    for the named rows, zeros elsewhere, no solved figures for ASB; derived columns worked out."""
    rows = []
    for row in home_office().rows:
        offences_previous, offences_current, *solved = figures.get(row.name, (0, 0, 0, 0))
        cells = {
            "section": row.section,
            "level": row.level,
            "crime_type": row.name,
            "offences_previous": offences_previous,
            "offences_current": offences_current,
            "offences_diff": offences_current - offences_previous,
            "offences_pct_diff": pct(percent_change(offences_previous, offences_current)),
        }
        if row.has_solved:
            solved_previous, solved_current = solved
            rate_previous = percent(solved_previous, offences_previous)
            rate_current = percent(solved_current, offences_current)
            cells |= {
                "solved_previous": solved_previous,
                "solved_current": solved_current,
                "solved_diff": solved_current - solved_previous,
                "solved_pct_diff": pct(percent_change(solved_previous, solved_current)),
                "solved_rate_previous": pct(rate_previous),
                "solved_rate_current": pct(rate_current),
                "solved_rate_pt_diff": pct(point_difference(rate_previous, rate_current)),
            }
        rows.append(cells)
    return (
        pd.DataFrame(rows)
        .reindex(columns=PERFORMANCE_COLUMNS)
        .astype({c: "Int64" if c in COUNT_COLUMNS else "Float64" for c in PERFORMANCE_COLUMNS[3:]})
    )


READ_STREET_FILE = street_files.read_street_file
STREET_FILES_READ: dict[tuple, pd.DataFrame] = {}


def reading_each_once(folder: Path) -> Callable[[street_files.StreetFile], pd.DataFrame]:
    """A stand-in for `police_uk.read_street_file` for tests that read the same unchanged files
    again and again (the sample's months, the real downloads): a file under folder is read and
    checked once a session, then a copy of what it gave is handed out. A file elsewhere (a
    test's own), or one whose reading warned, is read every time, as the ingest reads it."""
    inside = folder.resolve()

    def read_street_file(street: street_files.StreetFile) -> pd.DataFrame:
        path = street.path.resolve()
        if inside not in path.parents or not path.is_file():
            return READ_STREET_FILE(street)
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns, str(street.month), street.force)
        if key not in STREET_FILES_READ:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                frame = READ_STREET_FILE(street)
            for item in caught:  # said again where the ingest listens for them; never kept
                warnings.warn(item.message, item.category, stacklevel=2)
            if caught:
                return frame
            STREET_FILES_READ[key] = frame
        return STREET_FILES_READ[key].copy()

    return read_street_file


def pct(value: Fraction | None) -> float | None:
    """An exact percentage rounded half up to one decimal place."""
    return to_float(round_half_up(value))


def make(
    *args: str, env: dict | None = None, memory_limit: int | None = None
) -> subprocess.CompletedProcess:
    """Run make in the project, as a user would; each process held to memory_limit bytes."""
    # prlimit, unlike preexec_fn, is safe beside threads; every process make starts inherits it.
    limit = ["prlimit", f"--as={memory_limit}"] if memory_limit else []
    # glibc gives each thread that meets contention a malloc arena of its own, each reserving
    # 64 MB or more of address space, so a limited kernel's address space varies with the load
    # of the machine; two arenas keep the guard about what the inputs cost, not the timing.
    arenas = {"MALLOC_ARENA_MAX": "2"} if memory_limit else {}
    return subprocess.run(
        [*limit, "make", "--no-print-directory", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **arenas, **(env or {})},
        timeout=300,
    )


def sample_config(root: Path, commentary_dir: Path) -> Path:
    """The sample's config, publishing into root/out and root/proc, with its commentary folder."""
    config = root / "sample.yaml"
    text = (PROJECT_ROOT / "config" / "sample.yaml").read_text(encoding="utf-8")
    config.write_text(
        text.replace("../data/raw/sample", str(SAMPLE_RAW))
        + f"output_dir: {root / 'out'}\nprocessed_dir: {root / 'proc'}\n"
        + f"commentary_dir: {commentary_dir}\n",
        encoding="utf-8",
    )
    return config


@contextmanager
def shared_by_workers(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Path]:
    """A folder every test worker of the session shares, held by one worker at a time.

    Each pytest-xdist worker has its own temporary folder, inside one the session's workers
    share; without xdist, the session's own.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / name
    folder.mkdir(exist_ok=True)
    with (base / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield folder


EPOCH = "1760000000"  # 9 October 2025 08:53:20 UTC: the published sample's SOURCE_DATE_EPOCH


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    """The sample's 2025-26 Q2 run into a temporary output folder; the quarter folder.

    Run once a session, with SOURCE_DATE_EPOCH set and a copy of the sample's commentary: the
    first worker to ask runs it, the others wait and read it. Nothing may change it.
    """
    if not (SAMPLE_RAW / ".complete").exists():
        pytest.skip("sample data not generated: run through `make test`")
    with shared_by_workers(tmp_path_factory, "e2e") as root:
        quarter = root / "out" / "ashworth-vale" / "2025-26" / "Q2"
        if (root / "passed").exists():
            return quarter
        commentary = root / "words"
        shutil.copytree(PROJECT_ROOT / "config" / "commentary", commentary, dirs_exist_ok=True)
        config = sample_config(root, commentary)
        arguments = ("quarter", "Q=2", "FY=2025-26", f"CONFIG={config}")
        result = make(*arguments, env={"SOURCE_DATE_EPOCH": EPOCH})
        assert result.returncode == 0, result.stderr
        again = make(*arguments, env={"SOURCE_DATE_EPOCH": EPOCH})
        assert again.returncode == 0, again.stderr
        assert "[ingest]" not in again.stderr and "[report]" not in again.stderr
        (root / "passed").touch()
        return quarter
