"""`make bench`: time a cold quarter, a re-run, each stage, a large ingest and a large extract."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import narrative
from pipeline.analysis import analyse
from pipeline.config import load_config
from pipeline.ingest import ProcessedQuarter, ingest_police_uk, ingest_quarter, summary_record
from pipeline.paths import PROJECT_ROOT, SAMPLE_CONFIG
from pipeline.periods import parse_financial_year
from pipeline.sample import write_force_files
from pipeline.sample_extract import write_force_extract

STAGE_LINE = re.compile(r"^\[(?P<stage>\w+)\] finished (?P<what>.+) in (?P<seconds>[\d.]+) s$")
LARGE_FIRST, LARGE_LAST, LARGE_SCALE = "2022-10", "2025-09", 2.7
LARGE_YEAR = "2025-26"


def timed_make(config: Path, quarter: str) -> tuple[float, str]:
    """Run `make quarter` for config; return the wall time and what it printed on stderr."""
    started = time.perf_counter()
    result = subprocess.run(
        ["make", "--no-print-directory", "quarter", f"Q={quarter}", f"CONFIG={config}"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "FY": ""},
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"make quarter failed:\n{result.stderr}")
    return elapsed, result.stderr


def bench_config(folder: Path) -> Path:
    """The sample config, writing its outputs and processed tables into folder."""
    text = SAMPLE_CONFIG.read_text(encoding="utf-8")
    text = text.replace("../data/raw/sample", str(PROJECT_ROOT / "data" / "raw" / "sample"))
    path = folder / "bench.yaml"
    path.write_text(
        text + f"output_dir: {folder / 'outputs'}\nprocessed_dir: {folder / 'processed'}\n",
        encoding="utf-8",
    )
    return path


@dataclass(frozen=True)
class IngestTiming:
    """Seconds to read, check and select a large police.uk download, and its floor."""

    seconds: float
    floor: float
    months: int
    rows: int


def large_ingest_timing(raw: Path, folder: Path) -> IngestTiming:
    """Read, check and select 36 months of a ~10,000-rows-a-month force, as the ingest does.

    The floor is pandas' C parser reading the same files as text, with no checks at all.
    """
    config_path = folder / "large.yaml"
    config_path.write_text(
        f"district: Ashworth Vale\nforce: Wealdmoor\ninputs:\n  police_uk: {raw}\n"
        "  lsoa_name_prefix: Ashworth Vale\n",
        encoding="utf-8",
    )
    config = load_config(config_path)
    months = list(pd.period_range(LARGE_FIRST, LARGE_LAST, freq="M"))
    started = time.perf_counter()
    result = ingest_police_uk(config, months)  # every check the ingest makes, as it makes them
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    for item in result.files:
        pd.read_csv(item.path, dtype=str, keep_default_na=False)
    floor = time.perf_counter() - started
    return IngestTiming(seconds, floor, len(result.files), result.rows_read)


@dataclass(frozen=True)
class ExtractTiming:
    """Seconds to ingest and to analyse a large force extract, and its size."""

    ingest: float
    analyse: float
    crimes: int
    crimes_last_year: int


def large_extract_timing(raw: Path, folder: Path) -> ExtractTiming:
    """Ingest and analyse a real-sized district's force extract (over 10,000 crimes a year)."""
    crimes_path, asb_path = write_force_extract(raw, folder / "extract")
    config_path = folder / "extract.yaml"
    config_path.write_text(
        f"district: Ashworth Vale\nforce: Bench\ninputs:\n  force_crimes: {crimes_path}\n"
        f"  force_asb: {asb_path}\nprocessed_dir: {folder / 'extract-processed'}\n",
        encoding="utf-8",
    )
    config = load_config(config_path)
    year = parse_financial_year(LARGE_YEAR)
    started = time.perf_counter()
    result = ingest_quarter(config, year, 2)
    ingested = time.perf_counter()
    summary = summary_record(result, config, year, 2)
    processed = ProcessedQuarter(
        result.records, result.no_location, summary, result.extract.crimes, result.extract.asb
    )
    analysis = analyse(processed, year, 2, config.positive_outcomes)
    narrative.key_challenges(
        analysis.performance["rolling_12_months"], analysis.periods["rolling_12_months"]
    )
    finished = time.perf_counter()
    return ExtractTiming(
        ingest=ingested - started,
        analyse=finished - ingested,
        crimes=result.extract.crimes_read,
        crimes_last_year=int(analysis.performance["rolling_12_months"].iloc[1]["offences_current"]),
    )


def run_benchmark(quarter: str = "2") -> None:
    """Print the benchmark figures."""
    with tempfile.TemporaryDirectory(prefix="bench-") as temp:
        folder = Path(temp)
        config = bench_config(folder)
        cold, log = timed_make(config, quarter)
        warm, _ = timed_make(config, quarter)
        print(
            f"Cold quarter (make quarter Q={quarter}, no outputs yet): {cold:.1f} s (target < 20 s)"
        )
        for line in log.splitlines():
            match = STAGE_LINE.match(line)
            if match:
                print(f"  {match['stage']:<9} {match['what']:<32} {float(match['seconds']):6.1f} s")
        print(f"Unchanged re-run: {warm:.2f} s (target < 1 s)")
        raw = folder / "large"
        write_force_files(raw, LARGE_FIRST, LARGE_LAST, scale=LARGE_SCALE)
        ingest = large_ingest_timing(raw, folder)
        print(
            f"police.uk ingest of {ingest.months} months, {ingest.rows:,} rows "
            f"({ingest.rows // ingest.months:,} a month): {ingest.seconds:.2f} s (target < 3 s); "
            f"floor, pandas reading the same files unchecked: {ingest.floor:.2f} s"
        )
        timing = large_extract_timing(raw, folder)
        print(
            f"Force extract of {timing.crimes:,} crimes ({timing.crimes_last_year:,} in the "
            f"rolling 12 months to September 2025): ingest {timing.ingest:.2f} s, "
            f"Home Office tables and key challenges for three periods {timing.analyse:.2f} s"
        )
