"""Orchestration: run the notebooks with papermill, export, and publish a quarter atomically."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from pipeline.config import Config, key_error, load_commentary, load_config
from pipeline.errors import NotebookError, OperatingSystemError
from pipeline.imports import code_of
from pipeline.ingest import (
    SUMMARY_FILE,
    check_months,
    choose_financial_year,
    force_street_files,
    load_summary,
    processed_folder,
)
from pipeline.opcc_return import missing_return_notes
from pipeline.paths import NOTEBOOKS, RAW_DATA
from pipeline.periods import (
    FinancialYear,
    parse_financial_year,
    parse_quarter,
    required_months,
)
from pipeline.plan import Plan, source_date_epoch
from pipeline.plan_cache import published_district
from pipeline.saved_analysis import ANALYSIS_FOLDER, mark_stopped, saved_tracker_warnings
from pipeline.sources.police_uk import find_street_files, months_available
from pipeline.sources.tracker import read_tracker_noting_warnings

INGEST_NOTEBOOK = "01_ingest.ipynb"
ANALYSIS_NOTEBOOK = "02_analysis.ipynb"
REPORT_NOTEBOOK = "03_report.ipynb"
INGEST_RUNNERS = ("__main__", "cli", "run", "plan", "quiet_kernel")  # start the ingest notebook
MANIFEST_FILE = "manifest.json"
KERNEL_DIED = "The notebook's Python kernel stopped before it finished (killed, or out of memory)"
KERNEL_START_SECONDS = 120  # a busy machine can take a while; papermill's own default is 60
KERNEL_SILENT = (
    f"The notebook's Python kernel did not answer within {KERNEL_START_SECONDS} seconds of "
    "starting (the machine may be too busy); run again when it is quieter"
)


def quarter_folder(config: Config, year: FinancialYear, quarter: int) -> Path:
    """Where a quarter's published outputs live."""
    return config.output_dir / config.slug / year.name / f"Q{quarter}"


def make_plan(config_path: str, financial_year: str | None, quarter: str) -> Plan:
    """Check the parameters and config, and work out the quarter's paths and inputs."""
    number = parse_quarter(quarter)
    if financial_year:
        parse_financial_year(financial_year)
    config = load_config(config_path)
    year, reason = choose_financial_year(config, number, financial_year)
    progress("plan", reason)
    load_commentary(config.commentary_path(year.name, number))  # a bad file stops the run here
    if config.tracker is not None:  # so does a mistake in the tracker; its warnings wait
        read_tracker_noting_warnings(config.tracker)
    source_date_epoch()  # so does a SOURCE_DATE_EPOCH that is not a number
    plan = Plan(
        config_path=str(config.path),
        financial_year=year.name,
        quarter=number,
        quarter_dir=str(quarter_folder(config, year, number)),
        processed_dir=str(processed_folder(config, year, number)),
        inputs=input_files(config, year, number),
        commentary=str(config.commentary_path(year.name, number)),
        tracker=tracker_files(config),
        files_found=street_files_found(config),
        reason=reason,
    )
    check_make_safe(plan, config)
    check_output_places(plan, config)
    return plan


def watched_paths(plan: Plan) -> list[str]:
    """Every file and folder a plan read, for plan_cache: a change to any one plans again.

    Folders are there for what could be added to them: a street file, a commentary, a tracker CSV.
    """
    config = plan.config
    files = [plan.config_path, *plan.inputs, *plan.tracker, *plan.files_found, plan.commentary]
    folders = [str(config.commentary_dir)]
    if config.police_uk is not None:
        folders += [root for root, _, _ in os.walk(config.police_uk)]
    if config.tracker is not None:
        folders.append(str(config.tracker))
    return list(dict.fromkeys(files + folders))


def _within(inner: Path, outer: Path) -> bool:
    """Whether inner is outer or a folder inside it."""
    return inner == outer or outer in inner.parents


def input_folders(config: Config) -> list[Path]:
    """The folders read as a whole, which no output may be written into: the project's raw data
    folder, the police.uk folder (searched through) and a tracker folder of CSV files."""
    folders = [RAW_DATA]
    if config.police_uk is not None:
        folders.append(config.police_uk)
    if config.tracker is not None and config.tracker.is_dir():
        folders.append(config.tracker)
    return [folder.resolve() for folder in folders]


def check_output_places(plan: Plan, config: Config) -> None:
    """Refuse outputs that would destroy other outputs or write among the raw inputs."""
    outputs, processed = config.output_dir.resolve(), config.processed_dir.resolve()
    if _within(outputs, processed) or _within(processed, outputs):
        raise key_error(
            config.path,
            ("processed_dir",),
            f"processed_dir ({processed}) and output_dir ({outputs}) must be separate folders, "
            "neither inside the other: building the processed tables would replace published "
            "reports.",
        )
    for place, key in ((outputs, "output_dir"), (processed, "processed_dir")):
        for folder in input_folders(config):
            if _within(place, folder):
                raise key_error(
                    config.path,
                    (key,),
                    f"{key} ({place}) is inside the input folder {folder}; raw inputs are never "
                    "written to, so choose a folder outside it.",
                )
    published = published_district(str(Path(plan.quarter_dir) / MANIFEST_FILE))
    if published is not None and published != config.district:
        raise key_error(
            config.path,
            ("district",),
            f"{plan.quarter_dir} already holds the report of '{published}', whose folder "
            f"name is the same as '{config.district}''s; give one of them a different "
            "output_dir, so neither report replaces the other.",
        )


# Characters make reads as syntax wherever they stand in a file name (a newline would end the
# line and start a recipe of the writer's choosing), and which no escaping makes safe.
MAKE_UNSAFE = re.compile(r"[\x00-\x1f\x7f:;=*?\[\]%\\|]")
PLAN_PATHS = {
    "config_path": ("the config's own path (CONFIG)", None),
    "quarter_dir": ("output_dir", ("output_dir",)),
    "processed_dir": ("processed_dir", ("processed_dir",)),
    "inputs": ("an input file", ("inputs",)),
    "commentary": ("commentary_dir", ("commentary_dir",)),
    "tracker": ("inputs.tracker", ("inputs", "tracker")),
    "files_found": ("a file in the inputs.police_uk folder", ("inputs", "police_uk")),
}


def check_make_safe(plan: Plan, config: Config) -> None:
    """Refuse, naming the setting, a path holding a character make would read as syntax."""
    for field_name, (label, keys) in PLAN_PATHS.items():
        value = getattr(plan, field_name)
        for path in value if isinstance(value, list) else [value]:
            found = MAKE_UNSAFE.search(path)
            if found is None:
                continue
            character = found.group()
            shown = repr(character) if not character.isprintable() else f"'{character}'"
            raise key_error(
                config.path,
                keys or (),
                f"{label}: {path!r} holds {shown}, which make would read as part of its own "
                "language, not of a file name; rename the file or folder, or choose another, "
                "without any of : ; = * ? [ ] % | \\ or control characters.",
            )


def input_files(config: Config, year: FinancialYear, quarter: int) -> list[str]:
    """Every raw file the quarter's ingest reads: its police.uk months and the force extract."""
    months = required_months(year, quarter)
    police = []
    if config.needs_police_uk:
        files = force_street_files(config).files
        # A missing month stops the run here, before any notebook starts.
        accepted = config.accept_missing_months
        check_months(months_available(files), months, accepted, config.police_uk)
        police = [str(street.path) for street in files if street.month in set(months)]
    extract = [str(path) for path in (config.force_crimes, config.force_asb) if path is not None]
    return police + extract


def street_files_found(config: Config) -> list[str]:
    """Every street file in the police.uk folder, read or not: a file added or removed (another
    force's, a second download) changes the plan, so the ingest runs again and says so."""
    if not config.needs_police_uk:
        return []
    return [str(street.path) for street in find_street_files(config.police_uk)]


def tracker_files(config: Config) -> list[str]:
    """The tracker workbook, or the CSV files of a tracker folder."""
    if config.tracker is None:
        return []
    if config.tracker.is_dir():
        return [str(path) for path in sorted(config.tracker.glob("*.csv"))]
    return [str(config.tracker)]


def _make_path(path: str) -> str:
    """A path written so Make reads it as one word."""
    return path.replace("$", "$$").replace("#", r"\#").replace(" ", r"\ ")


def write_plan(plan: Plan, folder: Path) -> Path:
    """Save the plan as JSON and as a Make fragment, named per config; return the fragment."""
    folder.mkdir(parents=True, exist_ok=True)
    config_id = hashlib.sha256(plan.config_path.encode("utf-8")).hexdigest()[:10]
    district = Path(plan.quarter_dir).parent.parent.name
    stem = folder / f"{district}-{plan.financial_year}-Q{plan.quarter}-{config_id}"
    stem.with_suffix(".json").write_text(json.dumps(asdict(plan), indent=2), encoding="utf-8")
    stamp = write_if_changed(stem.with_suffix(".stamp"), plan_identity(plan))
    commentary = Path(plan.commentary) if plan.commentary else None
    has_commentary = commentary is not None and commentary.exists()
    report_stamp = write_if_changed(
        stem.with_suffix(".report-stamp"),
        f"commentary: {plan.commentary if has_commentary else ''}\n"
        f"tracker: {' '.join(plan.tracker)}\n",
    )
    lines = [
        f"PLAN_JSON := {_make_path(str(stem.with_suffix('.json')))}",
        f"PLAN_STAMP := {_make_path(str(stamp))}",
        f"REPORT_STAMP := {_make_path(str(report_stamp))}",
        f"QUARTER_DIR := {_make_path(plan.quarter_dir)}",
        f"PROCESSED_DIR := {_make_path(plan.processed_dir)}",
        f"QUARTER_CONFIG := {_make_path(plan.config_path)}",
        "QUARTER_INPUTS := " + " ".join(_make_path(path) for path in plan.inputs),
        "QUARTER_TRACKER := " + " ".join(_make_path(path) for path in plan.tracker),
        "QUARTER_COMMENTARY := " + (_make_path(plan.commentary) if has_commentary else ""),
        "INGEST_CODE := " + " ".join(_make_path(str(path)) for path in ingest_code()),
    ]
    fragment = stem.with_suffix(".mk")
    fragment.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return fragment


def ingest_code() -> list[Path]:
    """The package files the ingest runs: its notebook's imports and the modules that start it."""
    return code_of(NOTEBOOKS / INGEST_NOTEBOOK, INGEST_RUNNERS)


def plan_identity(plan: Plan) -> str:
    """What makes a quarter's ingest differ: the config (path and content) and the input list."""
    config = Path(plan.config_path)
    return json.dumps(
        {
            "config_path": plan.config_path,
            "config_sha256": hashlib.sha256(config.read_bytes()).hexdigest(),
            "inputs": plan.inputs,
            "files_found": plan.files_found,
        },
        indent=2,
    )


def write_if_changed(path: Path, text: str) -> Path:
    """Write text to path only when it differs, so Make sees a change only when there is one."""
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def progress(stage: str, message: str) -> None:
    """One progress line on stderr, written whole so side-by-side stages never share a line."""
    sys.stderr.write(f"[{stage}] {message}\n")
    sys.stderr.flush()


def settle_paths(folder: Path, built: Path, final: Path) -> None:
    """Name the final folder, not the temporary one, in the executed notebooks' parameters."""
    old, new = json.dumps(str(built))[1:-1], json.dumps(str(final))[1:-1]
    for notebook in sorted(folder.glob("*.ipynb")):
        text = notebook.read_text(encoding="utf-8")
        if old in text:
            notebook.write_text(text.replace(old, new), encoding="utf-8")


def process_alive(pid: int) -> bool:
    """Whether a process with this id is running (one we may not signal counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clear_debris(target: Path) -> None:
    """Remove the temporary folders beside target that runs since stopped (killed) left behind.

    An earlier output folder set aside during a swap that never finished is put back instead.
    """
    if not target.parent.is_dir():
        return
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(?P<kind>building|old)-(?P<pid>\d+)$")
    for path in sorted(target.parent.iterdir()):
        match = pattern.match(path.name)
        if match is None or int(match["pid"]) == os.getpid() or process_alive(int(match["pid"])):
            continue
        if match["kind"] == "old" and not target.exists():
            path.rename(target)
            progress("tidy", f"put back {target}, which a stopped run had set aside")
            continue
        shutil.rmtree(path, ignore_errors=True)
        progress("tidy", f"removed {path}, left by a run that was stopped (process {match['pid']})")


def sibling_temp(target: Path, label: str) -> Path:
    """A fresh temporary folder beside target, on the same file system; old debris cleared."""
    target.parent.mkdir(parents=True, exist_ok=True)
    clear_debris(target)
    temp = target.parent / f".{target.name}.{label}-{os.getpid()}"
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir()
    return temp


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and termination until the block ends, so it is never left half done."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def swap_into_place(built: Path, target: Path) -> None:
    """Replace target with the fully built folder, so readers see old or new, never half."""
    retired = target.parent / f".{target.name}.old-{os.getpid()}"
    with signals_held():
        if target.exists():
            target.rename(retired)
        try:
            built.rename(target)
        except OSError:
            if retired.exists():
                retired.rename(target)  # put the earlier outputs back
            raise
    shutil.rmtree(retired, ignore_errors=True)


def execute_notebook(
    name: str, folder: Path, parameters: dict, failed_dir: Path, stage: str
) -> Path:
    """Run one notebook with papermill into folder; keep it in failed_dir if a cell fails."""
    import papermill
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    from pipeline.quiet_kernel import QuietKernelManager

    output = folder / name
    logging.getLogger("papermill").setLevel(logging.CRITICAL)  # our own message says what failed
    progress(stage, f"running notebooks/{name}")
    started = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(NOTEBOOKS / name),
            str(output),
            parameters=parameters,
            kernel_name="python3",
            cwd=str(NOTEBOOKS),
            progress_bar=sys.stderr.isatty(),
            extra_arguments=["--log-level=ERROR"],
            kernel_manager_class=QuietKernelManager,
            start_timeout=KERNEL_START_SECONDS,
        )
    except PapermillExecutionError as error:
        kept = keep_failed(output, failed_dir)
        refused = OperatingSystemError.from_text(error.evalue)
        if refused is not None:
            raise refused from error
        raise NotebookError(name, error.exec_count, error.evalue or error.ename, kept) from error
    except DeadKernelError as error:
        kept = keep_failed(output, failed_dir)
        raise NotebookError(name, None, KERNEL_DIED, kept) from error
    except RuntimeError as error:
        # jupyter_client's words when a kernel dies starting, or never answers
        problem = kernel_start_problem(str(error))
        if problem is None:
            raise
        kept = keep_failed(output, failed_dir)
        raise NotebookError(name, None, problem, kept) from error
    progress(stage, f"finished notebooks/{name} in {time.perf_counter() - started:.1f} s")
    return output


def kernel_start_problem(error: str) -> str | None:
    """What went wrong, in words, when jupyter_client could not start a notebook's kernel."""
    if "Kernel died" in error:
        return KERNEL_DIED
    if "Kernel didn't respond" in error:
        return KERNEL_SILENT
    return None


def run_analysis(folder: Path, parameters: dict, failed_dir: Path) -> None:
    """Notebook 02, which saves the analysis the report waits for; if it fails, the report stops."""
    try:
        execute_notebook(ANALYSIS_NOTEBOOK, folder, parameters, failed_dir, "analysis")
    except BaseException:
        mark_stopped(folder)
        raise
    for warning in saved_tracker_warnings(folder):
        progress("warning", warning)


def keep_failed(notebook: Path, failed_dir: Path) -> Path | None:
    """Move a failed executed notebook away from the outputs, for the reviewer."""
    if not notebook.exists():
        return None
    stamp = time.strftime("%Y%m%dT%H%M%S")
    kept = failed_dir / f"{notebook.stem}-{stamp}.ipynb"
    try:
        failed_dir.mkdir(parents=True, exist_ok=True)
        shutil.move(str(notebook), kept)
    except OSError:  # a full or read-only disk: the error that stopped the run matters more
        return None
    return kept


def notebook_parameters(plan: Plan, processed_dir: Path, output_dir: Path | None) -> dict:
    """The parameters every notebook takes."""
    return {
        "config_path": plan.config_path,
        "financial_year": plan.financial_year,
        "quarter": plan.quarter,
        "processed_dir": str(processed_dir),
        "output_dir": str(output_dir) if output_dir else "",
    }


@contextmanager
def naming_unnamed_os_errors(folder: Path) -> Iterator[None]:
    """An OSError that names no file (a write failing as its file closes) names the folder."""
    try:
        yield
    except OSError as error:
        if error.filename is not None:
            raise
        raise OperatingSystemError(error.errno, folder, error.strerror or str(error)) from error


def run_ingest(plan: Plan) -> Path:
    """Stage 1: ingest into a temporary folder, then swap it into the processed folder."""
    target = Path(plan.processed_dir)
    with naming_unnamed_os_errors(target.parent):
        return _run_ingest(plan, target)


def _run_ingest(plan: Plan, target: Path) -> Path:
    """Stage 1 into target, via a temporary folder beside it."""
    temp = sibling_temp(target, "building")
    try:
        execute_notebook(
            INGEST_NOTEBOOK,
            temp,
            notebook_parameters(plan, temp, None),
            Path(plan.quarter_dir).parent / "failed",
            "ingest",
        )
        settle_paths(temp, temp, target)
        swap_into_place(temp, target)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    report_warnings(target)
    return target / SUMMARY_FILE


def report_warnings(processed: Path) -> None:
    """Print the ingest's warnings (odd but usable input) where the analyst sees them."""
    for warning in load_summary(processed).warnings:
        progress("warning", warning)


def check_tracker(plan: Plan) -> None:
    """Read the config's tracker, if any: stop on a mistake, print what is odd but usable."""
    tracker_path = plan.config.tracker
    if tracker_path is None:
        return
    tracker, notes = read_tracker_noting_warnings(tracker_path)
    notes += missing_return_notes(tracker, plan.financial_year, plan.quarter)
    for note in notes:
        progress("warning", note)


def run_report(plan: Plan) -> Path:
    """Stages 2-4: analysis (saved), report (from it) and exports built aside, then published in
    one move."""
    target = Path(plan.quarter_dir)
    with naming_unnamed_os_errors(target.parent):
        return _run_report(plan, target)


def _run_report(plan: Plan, target: Path) -> Path:
    """Stages 2-4 into target, via a temporary folder beside it."""
    from pipeline import publish  # here, not at the top: the plan must not pay for its imports

    temp = sibling_temp(target, "building")
    failed = target.parent / "failed"
    processed = Path(plan.processed_dir)
    started = time.time()
    pdf = publish.PdfWorker()  # imports WeasyPrint while the notebooks run
    try:
        parameters = notebook_parameters(plan, processed, temp)
        with ThreadPoolExecutor(max_workers=2) as pool:  # the report's kernel starts meanwhile
            analysis = pool.submit(run_analysis, temp, parameters, failed)
            report = pool.submit(
                execute_notebook, REPORT_NOTEBOOK, temp, parameters, failed, "report"
            )
            analysis.result()  # its error first: the report's would only say it stopped
            report.result()
        shutil.rmtree(temp / ANALYSIS_FOLDER)  # read by the report; not among the published files
        shutil.copy2(processed / INGEST_NOTEBOOK, temp / INGEST_NOTEBOOK)
        settle_paths(temp, temp, target)
        progress("export", "writing committee HTML and PDF, reviewer HTML")
        exported = time.perf_counter()
        record = publish.export_all(
            plan, temp, started, pdf, lambda message: progress("export", message)
        )
        progress("export", f"finished exports in {time.perf_counter() - exported:.1f} s")
        publish.write_manifest(temp, record)
        swap_into_place(temp, target)
    finally:
        pdf.stop()
        shutil.rmtree(temp, ignore_errors=True)
    progress("done", f"published {target}")
    return target / MANIFEST_FILE
