"""`make bench`: time a cold quarter (three, each against its floor), a re-run, each stage, a
large ingest and a large extract, and the unit tests (`make test-fast`); with `TESTS=all`, the
whole test suite (`make test`) too."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import yaml

from pipeline.analysis import analyse
from pipeline.attention import quarter_signals, standing_changes
from pipeline.attention_words import change_sentence, signal_sentence
from pipeline.config import load_config
from pipeline.ingest import ProcessedQuarter, ingest_police_uk, ingest_quarter, summary_record
from pipeline.paths import PROJECT_ROOT, SAMPLE_CONFIG
from pipeline.periods import parse_financial_year
from pipeline.sample.force_extract import write_force_extract
from pipeline.sample.police_uk import write_force_files
from pipeline.sources.tracker import MAX_UNPACKED_BYTES, read_tracker_noting_warnings

STAGE_LINE = re.compile(r"^\[(?P<stage>\w+)\] finished (?P<what>.+) in (?P<seconds>[\d.]+) s$")
LARGE_FIRST, LARGE_LAST, LARGE_SCALE = "2022-10", "2025-09", 2.7
LARGE_YEAR = "2025-26"
LARGE_TRACKER_ROWS = 6_000  # actions: far beyond a real plan's few dozen, within MAX_ROWS and the
# unpacked limit (each row holds its financial year too)
SAMPLE_TRACKER = PROJECT_ROOT / "data" / "raw" / "sample" / "tracker" / "ashworth-vale-tracker.xlsx"


def timed_make(config: Path, quarter: str) -> tuple[float, str]:
    """Run `make quarter` for config; return the wall time and what it printed on stderr."""
    environment = {**os.environ, "FY": "", "Q": quarter, "CONFIG": str(config)}
    return timed_target("quarter", environment)


PASSED_LINE = re.compile(r"(\d+ passed[^=]*?) in [\d.]+s")
SUITE_TARGETS = {"test-fast": 30.0, "test": 180.0}  # seconds, on the project's 2-core machine


def suite_timing(target: str) -> tuple[float, str]:
    """Run a test target through make; return its wall time and pytest's count of results."""
    started = time.perf_counter()
    result = subprocess.run(
        ["make", "--no-print-directory", target],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    counts = PASSED_LINE.findall(result.stdout)
    if result.returncode != 0 or not counts:
        raise SystemExit(f"make {target} failed:\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
    return elapsed, counts[-1]


def print_suite(target: str) -> None:
    """Time a test target and print it against its target."""
    seconds, counts = suite_timing(target)
    print(
        f"make {target}: {counts} in {seconds:.1f} s "
        f"(target < {SUITE_TARGETS[target]:.0f} s, two workers)"
    )


def bench_config(folder: Path) -> Path:
    """The sample config, writing its outputs and processed tables into folder."""
    text = SAMPLE_CONFIG.read_text(encoding="utf-8")
    text = text.replace("../data/raw/sample", str(PROJECT_ROOT / "data" / "raw" / "sample"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench.yaml"
    path.write_text(
        text + f"output_dir: {folder / 'outputs'}\nprocessed_dir: {folder / 'processed'}\n",
        encoding="utf-8",
    )
    return path


SAMPLE_FORCE_CONFIG = PROJECT_ROOT / "config" / "sample-force.yaml"


@dataclass(frozen=True)
class ForceTiming:
    """A force's partnerships built by `make force`, and one after another by `make quarter`."""

    partnerships: int
    force: float
    one_by_one: float

    @property
    def ratio(self) -> float:
        return self.force / self.one_by_one


def timed_target(target: str, environment: dict[str, str]) -> tuple[float, str]:
    """Seconds `make <target>` takes with environment, and what it printed on stderr; stop the
    bench if it fails."""
    started = time.perf_counter()
    result = subprocess.run(
        ["make", "--no-print-directory", target],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"make {target} failed:\n{result.stderr[-3000:]}")
    return time.perf_counter() - started, result.stderr


# The sample's force has five partnerships; the bench's has eight, three more made by copying
# the rows of three authorities under new names (a force of 7 to 9 partnerships is usual).
COPIED_AUTHORITIES = {"Brackenford": "Brackenford Wold", "Fenbridge": "Fenbridge Levels"}
COPIED_AUTHORITIES |= {"Hollinsdale": "Hollinsdale Fells"}


def eight_partnership_force(raw: Path, folder: Path) -> Path:
    """A force config for the sample's force with three partnerships more: its street files
    copied with three authorities' rows repeated under new names (new LSOA codes and crime
    IDs too), and its lookup with the three added. Written into folder."""
    police = folder / "police-uk"
    police.mkdir(parents=True)
    for street in sorted(raw.glob("*-street.csv")):
        rows = pd.read_csv(street, dtype=str, keep_default_na=False)
        authority = rows["LSOA name"].str.replace(r" \d{3}[A-Z]$", "", regex=True)
        copies = rows[authority.isin(COPIED_AUTHORITIES)].assign(
            **{
                "LSOA name": lambda f: f["LSOA name"].replace(
                    {rf"^{old} ": f"{new} " for old, new in COPIED_AUTHORITIES.items()},
                    regex=True,
                ),
                "LSOA code": lambda f: f["LSOA code"].str.replace("^E01", "E09", regex=True),
                "Crime ID": lambda f: f["Crime ID"].str.replace("^(.)", "f", regex=True),
            }
        )
        pd.concat([rows, copies]).to_csv(police / street.name, index=False)
    lookup = pd.read_csv(raw / "ons" / "sample-csp-lookup.csv", dtype=str)
    wealdmoor = lookup[lookup["LAD17NM"].isin(COPIED_AUTHORITIES)]
    added = wealdmoor.assign(
        LAD17NM=lambda f: f["LAD17NM"].map(COPIED_AUTHORITIES),
        CSP17NM=lambda f: f["CSP17NM"].map(COPIED_AUTHORITIES),
        LAD17CD=lambda f: f["LAD17CD"].str.replace("^E07000", "E07001", regex=True),
        CSP17CD=lambda f: f["CSP17CD"].str.replace("^E22000", "E22001", regex=True),
    )
    pd.concat([lookup, added]).to_csv(folder / "lookup.csv", index=False)
    config = folder / "force.yaml"
    config.write_text(
        "force: Wealdmoor Constabulary\n"
        f"inputs:\n  police_uk: {police}\n  csp_lookup: {folder / 'lookup.csv'}\n"
        f"output_dir: {folder / 'force-outputs'}\nprocessed_dir: {folder / 'force-processed'}\n",
        encoding="utf-8",
    )
    return config


def force_timing(folder: Path, quarter: str) -> ForceTiming:
    """`make force` for a force of eight partnerships, cold, against its partnerships' configs
    each built cold by `make quarter` in turn (reading the street files themselves, as a
    partnership alone does), into other folders, in the same run: half of them before the
    force and half after, so that a machine growing slower or faster meanwhile (a shared host's
    speed drifts by a third over minutes here) weighs on both sides alike."""
    from pipeline.force import partnerships_of, read_force_config, written_configs

    folder.mkdir(parents=True, exist_ok=True)
    config = eight_partnership_force(PROJECT_ROOT / "data" / "raw" / "sample", folder)
    environment = {**os.environ, "Q": quarter, "FY": "2025-26", "CONFIG": str(config)}
    force = read_force_config(config)
    written = sorted(written_configs(force, partnerships_of(force)).values())
    alone = [alone_config(district, folder, number) for number, district in enumerate(written)]
    half = len(alone) // 2

    def one_by_one(configs: list[Path]) -> float:
        return sum(timed_target("quarter", {**environment, "CONFIG": str(c)})[0] for c in configs)

    before = one_by_one(alone[:half])
    force_seconds, _ = timed_target("force", environment)
    return ForceTiming(len(written), force_seconds, before + one_by_one(alone[half:]))


def alone_config(district: Path, folder: Path, number: int) -> Path:
    """A partnership's config as `make force` writes it, for a run of its own: reading the
    street files themselves, writing into other folders."""
    settings = yaml.safe_load(district.read_text(encoding="utf-8"))
    del settings["inputs"]["police_uk_store"]
    text = yaml.safe_dump(settings, sort_keys=False)
    alone = folder / f"alone-{number}.yaml"
    alone.write_text(
        text.replace(str(folder / "force-outputs"), str(folder / "alone-outputs")).replace(
            str(folder / "force-processed"), str(folder / "alone-processed")
        ),
        encoding="utf-8",
    )
    return alone


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
    result = ingest_police_uk(config, months, months)  # every check the ingest makes
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
    for change in standing_changes(analysis.change_tests, "rolling_12_months"):
        change_sentence(change, config.small_numbers_threshold)
    for signal in quarter_signals(analysis.control_charts, analysis.quarter_period.current):
        signal_sentence(signal)
    finished = time.perf_counter()
    return ExtractTiming(
        ingest=ingested - started,
        analyse=finished - ingested,
        crimes=result.extract.crimes_read,
        crimes_last_year=int(analysis.performance["rolling_12_months"].iloc[1]["offences_current"]),
    )


@dataclass(frozen=True)
class TrackerTiming:
    """Seconds to read and check a tracker workbook near its size limit, and its floor."""

    seconds: float
    floor: float
    actions: int
    unpacked_mb: float


def large_tracker_timing(folder: Path) -> TrackerTiming:
    """Read the sample's tracker with its action plan repeated to LARGE_TRACKER_ROWS rows.

    The floor is openpyxl reading the same three sheets' values once, with no checks.
    """
    book = openpyxl.load_workbook(SAMPLE_TRACKER)
    plan = book["Action plan"]
    actions = [row for row in plan.iter_rows(min_row=2, values_only=True) if any(row)]
    for number in range(plan.max_row + 1, LARGE_TRACKER_ROWS + 1):
        plan.append(actions[number % len(actions)])
    path = folder / "large-tracker.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as package:
        unpacked = sum(part.file_size for part in package.infolist())
    started = time.perf_counter()
    tracker, _ = read_tracker_noting_warnings(path)  # the sample's over-budget note
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    values = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for sheet in ("Action plan", "Quarterly returns", "Grant"):
        for _ in values[sheet].iter_rows(values_only=True):
            pass
    values.close()
    floor = time.perf_counter() - started
    return TrackerTiming(seconds, floor, len(tracker.plan), unpacked / 1_000_000)


@dataclass(frozen=True)
class FloorTiming:
    """The least a quarter could take: three bare papermill runs and WeasyPrint alone."""

    seconds: float  # the whole floor process, its Python start and imports included
    papermill: float  # three one-cell notebooks, each in a fresh kernel
    weasyprint: float  # the committee HTML to PDF, as the run renders it

    @property
    def other(self) -> float:
        """Python starting and importing papermill and WeasyPrint."""
        return self.seconds - self.papermill - self.weasyprint


def print_floor(committee_html: str) -> None:
    """In a fresh process: time three bare papermill runs and one WeasyPrint render; print JSON."""
    import json

    import nbformat
    import papermill
    from weasyprint import HTML

    from pipeline.paths import TEMPLATES

    with tempfile.TemporaryDirectory(prefix="floor-") as temp:
        bare = Path(temp) / "bare.ipynb"
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_code_cell("pass")]
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nbformat.write(notebook, bare)
        started = time.perf_counter()
        for number in range(3):
            papermill.execute_notebook(
                str(bare), str(Path(temp) / f"run-{number}.ipynb"), progress_bar=False
            )
        runs = time.perf_counter() - started
        text = Path(committee_html).read_text(encoding="utf-8")
        started = time.perf_counter()
        HTML(string=text, base_url=str(TEMPLATES)).write_pdf(
            Path(temp) / "floor.pdf", pdf_variant="pdf/ua-1"
        )
        render = time.perf_counter() - started
    print(json.dumps({"papermill": runs, "weasyprint": render}))


def floor_timing(committee_html: Path) -> FloorTiming:
    """The floor of a quarter, timed now, from a fresh Python process as a run starts them."""
    import json
    import sys

    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from pipeline.bench import print_floor; print_floor({str(committee_html)!r})",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    parts = json.loads(result.stdout.splitlines()[-1])
    return FloorTiming(seconds, parts["papermill"], parts["weasyprint"])


@dataclass(frozen=True)
class QuarterTiming:
    """One cold quarter and the floor timed just after it."""

    config: Path
    seconds: float
    log: str  # what the run printed: its stages' times
    floor: FloorTiming

    @property
    def ratio(self) -> float:
        """The quarter's time as a multiple of its floor's."""
        return self.seconds / self.floor.seconds


def cold_quarter_timing(folder: Path, quarter: str) -> QuarterTiming:
    """A cold quarter into folder (no outputs yet), then the floor on its committee HTML."""
    config = bench_config(folder)
    seconds, log = timed_make(config, quarter)
    html = next((folder / "outputs").glob(f"*/*/Q{quarter}/*-committee-report.html"))
    return QuarterTiming(config, seconds, log, floor_timing(html))


def run_benchmark(quarter: str = "2", suites: tuple[str, ...] = ("test-fast",)) -> None:
    """Print the benchmark figures: the quarter's, then the test suites' named."""
    with tempfile.TemporaryDirectory(prefix="bench-") as temp:
        folder = Path(temp)
        runs = [cold_quarter_timing(folder / f"run-{number}", quarter) for number in range(3)]
        median = sorted(runs, key=lambda run: run.ratio)[len(runs) // 2]
        each = ", ".join(f"{run.seconds:.1f} s against {run.floor.seconds:.1f} s" for run in runs)
        print(
            f"Cold quarter (make quarter Q={quarter}, no outputs yet): {median.seconds:.1f} s, "
            f"{median.ratio:.2f}x its floor (target at most 1.5x); the median of three runs, "
            f"each beside a floor timed just after it: {each}"
        )
        for line in median.log.splitlines():
            match = STAGE_LINE.match(line)
            if match:
                print(f"  {match['stage']:<9} {match['what']:<32} {float(match['seconds']):6.1f} s")
        floor = median.floor
        print(
            f"  Floor, timed in the same run: {floor.seconds:.1f} s: three bare papermill runs "
            f"{floor.papermill:.1f} s, WeasyPrint rendering the same committee HTML "
            f"{floor.weasyprint:.1f} s, Python starting and importing them {floor.other:.1f} s"
        )
        warm, _ = timed_make(median.config, quarter)
        print(f"Unchanged re-run: {warm:.2f} s (target < 0.5 s)")
        force = force_timing(folder / "force", quarter)
        print(
            f"A force of {force.partnerships} partnerships (the sample's Wealdmoor "
            "and three more, "
            f"make force Q={quarter} FY=2025-26, cold): {force.force:.1f} s against "
            f"{force.one_by_one:.1f} s "
            f"for the same partnerships built one after another by make quarter (half before "
            f"the force, half after), {force.ratio:.2f}x (target under 0.5x)"
        )
        raw = folder / "large"
        write_force_files(raw, LARGE_FIRST, LARGE_LAST, scale=LARGE_SCALE)
        ingest = large_ingest_timing(raw, folder)
        print(
            f"police.uk ingest of {ingest.months} months, {ingest.rows:,} rows "
            f"({ingest.rows // ingest.months:,} a month): {ingest.seconds:.2f} s (target < 3 s); "
            f"floor, pandas reading the same files unchecked: {ingest.floor:.2f} s"
        )
        tracker = large_tracker_timing(folder)
        print(
            f"Tracker workbook of {tracker.actions:,} actions ({tracker.unpacked_mb:.1f} MB "
            f"unpacked, limit {MAX_UNPACKED_BYTES / 1_000_000:.0f} MB): read and checked in "
            f"{tracker.seconds:.2f} s (target < 5 s); floor, openpyxl reading its values once "
            f"unchecked: {tracker.floor:.2f} s"
        )
        timing = large_extract_timing(raw, folder)
        print(
            f"Force extract of {timing.crimes:,} crimes ({timing.crimes_last_year:,} in the "
            f"rolling 12 months to September 2025): ingest {timing.ingest:.2f} s, Home Office "
            f"tables, change tests, control charts and what stands out {timing.analyse:.2f} s"
        )
        # Issue 18, step 5: make national on a synthetic archive of realistic size
        # (pipeline/national_bench.py; alone: python -m pipeline bench --national).
        from pipeline.national_bench import print_national

        print_national(folder / "national")
    for target in suites:  # after the quarter's figures, with nothing else running
        print_suite(target)
