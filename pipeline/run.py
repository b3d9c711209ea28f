"""Orchestration: run the notebooks with papermill, export, and publish a quarter atomically.

What runs a planned quarter, and only that: it imports neither pandas nor the report, so the
ingest and report steps start quickly (the plan itself is `pipeline/planning.py`)."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import (
    NotebookCancelledError,
    NotebookError,
    OperatingSystemError,
    PipelineError,
)
from pipeline.ingest_summary import SUMMARY_FILE, load_summary
from pipeline.paths import NOTEBOOKS, PROJECT_ROOT
from pipeline.plan import Plan
from pipeline.saved_record import (
    ANALYSIS_FOLDER,
    StageStoppedError,
    mark_ingest_running,
    mark_ingest_stopped,
    mark_ingested,
    mark_stopped,
    saved_warnings,
)

if TYPE_CHECKING:
    from pipeline.quiet_kernel import RunKernels

INGEST_NOTEBOOK = "01_ingest.ipynb"
ANALYSIS_NOTEBOOK = "02_analysis.ipynb"
REPORT_NOTEBOOK = "03_report.ipynb"
INGEST_RUNNERS = ("__main__", "cli", "run", "plan", "quiet_kernel")  # start the ingest notebook
MANIFEST_FILE = "manifest.json"
KERNEL_ARGUMENTS = ["--log-level=ERROR"]
KERNEL_DIED = "The notebook's Python kernel stopped before it finished (killed, or out of memory)"
KERNEL_START_SECONDS = 120  # a busy machine can take a while; papermill's own default is 60
KERNEL_SILENT = (
    f"The notebook's Python kernel did not answer within {KERNEL_START_SECONDS} seconds of "
    "starting (the machine may be too busy); run again when it is quieter"
)


def progress(stage: str, message: str) -> None:
    """One progress line on stderr, written whole so side-by-side stages never share a line."""
    sys.stderr.write(f"[{stage}] {message}\n")
    sys.stderr.flush()


def export_progress(message: str) -> None:
    """A progress line of the exports."""
    progress("export", message)


def settle_paths(folder: Path, built: Path, final: Path, names: list[str] | None = None) -> None:
    """Name the final folder, not the temporary one, in the executed notebooks' parameters (all
    of them in folder, or those named); and name files inside the project relative to it, so no
    published notebook (nor the reviewer copy made from them) carries this machine's folders."""
    old, new = json.dumps(str(built))[1:-1], json.dumps(str(final))[1:-1]
    project = json.dumps(f"{PROJECT_ROOT}{os.sep}")[1:-1]
    chosen = sorted(folder.glob("*.ipynb")) if names is None else [folder / n for n in names]
    for notebook in chosen:
        text = notebook.read_text(encoding="utf-8")
        settled = text.replace(old, new).replace(project, "")
        if settled != text:
            notebook.write_text(settled, encoding="utf-8")


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
    name: str,
    folder: Path,
    parameters: dict,
    failed_dir: Path,
    stage: str,
    kernels: RunKernels | None = None,
) -> Path:
    """Run one notebook with papermill into folder; keep it in failed_dir if a cell fails.

    With kernels, the run can stop the notebook's kernel; a notebook stopped so is not kept."""
    import papermill

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
            extra_arguments=KERNEL_ARGUMENTS,
            kernel_manager_class=kernels.manager_class() if kernels else QuietKernelManager,
            start_timeout=KERNEL_START_SECONDS,
            # A cell's printed lines are one output however the kernel flushed them (a busy
            # machine flushes mid-cell), so the same inputs give the same notebook. No cell
            # prints after it displays.
            coalesce_streams=True,
        )
    except Exception as error:
        if kernels is not None and kernels.stopped:
            raise NotebookCancelledError(name) from error
        failure = notebook_failure(name, output, failed_dir, error)
        if failure is None:
            raise
        raise failure from error
    progress(stage, f"finished notebooks/{name} in {time.perf_counter() - started:.1f} s")
    return output


def notebook_failure(
    name: str, output: Path, failed_dir: Path, error: Exception
) -> PipelineError | None:
    """The error to say for a notebook papermill could not finish, the notebook kept for the
    reviewer when it failed itself; None for an error that is not the notebook's."""
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(error, PapermillExecutionError):
        # one that stopped only because the stage it waited for stopped is not kept
        stopped = error.ename == StageStoppedError.__name__
        kept = None if stopped else keep_failed(output, failed_dir)
        refused = OperatingSystemError.from_text(error.evalue)
        if refused is not None:
            return refused
        return NotebookError(name, error.exec_count, error.evalue or error.ename, kept)
    if isinstance(error, DeadKernelError):
        return NotebookError(name, None, KERNEL_DIED, keep_failed(output, failed_dir))
    # jupyter_client's words when a kernel dies starting, or never answers
    problem = kernel_start_problem(str(error)) if isinstance(error, RuntimeError) else None
    if problem is None:
        return None
    return NotebookError(name, None, problem, keep_failed(output, failed_dir))


def kernel_start_problem(error: str) -> str | None:
    """What went wrong, in words, when jupyter_client could not start a notebook's kernel."""
    if "Kernel died" in error:
        return KERNEL_DIED
    if "Kernel didn't respond" in error:
        return KERNEL_SILENT
    return None


def run_analysis(
    folder: Path, parameters: dict, failed_dir: Path, kernels: RunKernels | None = None
) -> None:
    """Notebook 02, which saves the analysis the report waits for; if it fails, the report stops."""
    try:
        execute_notebook(ANALYSIS_NOTEBOOK, folder, parameters, failed_dir, "analysis", kernels)
    except BaseException:
        mark_stopped(folder)
        raise
    for warning in saved_warnings(folder):
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


def run_ingest(plan: Plan, kernels: RunKernels | None = None) -> Path:
    """Stage 1: ingest into a temporary folder, then swap it into the processed folder."""
    target = Path(plan.processed_dir)
    with naming_unnamed_os_errors(target.parent):
        return _run_ingest(plan, target, kernels)


def _run_ingest(plan: Plan, target: Path, kernels: RunKernels | None) -> Path:
    """Stage 1 into target, via a temporary folder beside it."""
    temp = sibling_temp(target, "building")
    try:
        execute_notebook(
            INGEST_NOTEBOOK,
            temp,
            notebook_parameters(plan, temp, None),
            Path(plan.quarter_dir).parent / "failed",
            "ingest",
            kernels,
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


MAKE_OWN_VARIABLES = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")


def ingest_out_of_date(fragment: Path, plan: Plan) -> bool:
    """Whether the quarter's ingest must run: make's own answer on the ingest summary, whose
    rule and prerequisites are the Makefile's."""
    return make_would_build(fragment, Path(plan.processed_dir) / SUMMARY_FILE)


def make_would_build(fragment: Path, target: Path) -> bool:
    """make's own answer (`make -q` on target, with the plan's fragment) on whether target must
    be built; an unclear answer builds it."""
    environment = {
        name: value for name, value in os.environ.items() if name not in MAKE_OWN_VARIABLES
    }
    asked = subprocess.run(
        ["make", "--no-print-directory", "-q", f"PLAN={fragment}", str(target)],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        check=False,
    )
    return asked.returncode != 0


def run_report(plan: Plan, ingest: bool = False) -> Path:
    """Stages 2-4: analysis (saved), report (from it) and exports built aside, then published in
    one move; with ingest, stage 1 too, beside them, the analysis waiting for its tables."""
    target = Path(plan.quarter_dir)
    with naming_unnamed_os_errors(target.parent):
        return _run_report(plan, target, ingest)


def ingest_beside(plan: Plan, folder: Path, kernels: RunKernels) -> None:
    """Stage 1 beside the analysis building in folder: tell it when the tables are in place."""
    try:
        run_ingest(plan, kernels)
    except BaseException:
        mark_ingest_stopped(folder)
        raise
    mark_ingested(folder)


@contextmanager
def stopping_on_failure(kernels: RunKernels) -> Iterator[None]:
    """Once one stage has failed, or the analyst pressed Ctrl-C, stop every notebook still
    running, so the error is said at once, not after notebooks whose work is not wanted."""
    try:
        yield
    except BaseException:
        kernels.stop_all()
        raise


def _run_report(plan: Plan, target: Path, ingest: bool) -> Path:
    """Stages 2-4 (with ingest, 1-4) into target, via a temporary folder beside it."""
    from pipeline import publish  # here, not at the top: the ingest step must not pay for them
    from pipeline.quiet_kernel import RunKernels

    temp = sibling_temp(target, "building")
    failed = target.parent / "failed"
    processed = Path(plan.processed_dir)
    started = time.time()
    pdf: publish.PdfWorker | None = None
    try:
        parameters = notebook_parameters(plan, processed, temp)
        if ingest:
            mark_ingest_running(temp)
        kernels = RunKernels()
        with ThreadPoolExecutor(max_workers=3) as pool, stopping_on_failure(kernels):
            ingested = pool.submit(ingest_beside, plan, temp, kernels) if ingest else None
            if ingested is not None and kernels.pool is not None:
                # A process that keeps its kernels builds many quarters, side by side: the
                # ingest first, so its kernel is free for the report and each run keeps two.
                ingested.result()
            analysis = pool.submit(run_analysis, temp, parameters, failed, kernels)
            report = pool.submit(
                execute_notebook, REPORT_NOTEBOOK, temp, parameters, failed, "report", kernels
            )
            if ingested is not None:
                ingested.result()  # errors in stage order: a later one would only say it stopped
            # The ingest's core is free (without one, the kernels have started): the PDF worker
            # imports WeasyPrint in its own process while the notebooks run, and this one warms
            # the HTML exporters.
            pdf = publish.started_pdf_worker()
            publish.warm_exporters()
            try:
                report.result()
            except KeyboardInterrupt:
                raise
            except BaseException:
                analysis.result()  # an analysis that failed is the error: the report only stopped
                raise
            # The committee paper needs notebook 03 alone: its PDF renders while 02 writes tables.
            settle_paths(temp, temp, target, [REPORT_NOTEBOOK])
            progress("export", "writing the committee HTML, PDF and Word copy, the reviewer HTML")
            exported = time.perf_counter()
            rendering = publish.export_committee(plan, temp, pdf, export_progress)
            analysis.result()
        shutil.rmtree(temp / ANALYSIS_FOLDER)  # read by the report; not among the published files
        shutil.copy2(processed / INGEST_NOTEBOOK, temp / INGEST_NOTEBOOK)
        settle_paths(temp, temp, target)
        record = publish.export_rest(plan, temp, started, pdf, rendering, export_progress)
        progress("export", f"finished exports in {time.perf_counter() - exported:.1f} s")
        publish.write_manifest(temp, record)
        swap_into_place(temp, target)
    finally:
        if pdf is not None:
            pdf.stop()
        shutil.rmtree(temp, ignore_errors=True)
    progress("done", f"published {target}")
    return target / MANIFEST_FILE
