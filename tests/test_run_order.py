"""The order of a run's notebooks when the ingest runs beside the analysis and the report, with
the notebooks stood in for (no kernels): what waits for what, which error is said, what is kept."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from papermill.exceptions import PapermillExecutionError

from pipeline import publish, run
from pipeline.errors import NotebookCancelledError, NotebookError
from pipeline.plan import Plan
from pipeline.quiet_kernel import RunKernels
from pipeline.saved_record import (
    ANALYSIS_FOLDER,
    FIGURES_FILE,
    FORMAT,
    StageStoppedError,
    wait_for_analysis,
    wait_for_ingest,
)


class NoPdf:
    """Stands in for the PDF worker, which imports WeasyPrint in a process of its own."""

    def stop(self) -> None:
        pass


def quarter_plan(tmp_path: Path) -> Plan:
    return Plan(
        config_path=str(tmp_path / "config.yaml"),
        financial_year="2025-26",
        quarter=2,
        quarter_dir=str(tmp_path / "out" / "Q2"),
        processed_dir=str(tmp_path / "proc" / "Q2"),
        inputs=[],
    )


class Notebooks:
    """Stands in for execute_notebook: 01 takes a moment and then succeeds or fails; 02 waits for
    the ingest as notebook 02 does, then saves; 03 waits for that; each as its stage says."""

    def __init__(self, ingest_fails: bool, tables_fail: bool = False) -> None:
        self.ingest_fails = ingest_fails
        self.tables_fail = tables_fail  # 02 fails writing its tables, after saving the analysis
        self.events: list[str] = []
        self.lock = threading.Lock()

    def note(self, event: str) -> None:
        with self.lock:
            self.events.append(event)

    def __call__(self, name, folder, parameters, failed_dir, stage, kernels=None):
        if name == run.INGEST_NOTEBOOK:
            time.sleep(0.3)
            if self.ingest_fails:
                self.note("ingest failed")
                raise NotebookError(name, 4, "ValueError: a bad row", None)
            (folder / "ingest_summary.json").write_text("{}", "utf-8")
            (folder / run.INGEST_NOTEBOOK).write_text("{}", "utf-8")
            self.note("ingest finished")
            return folder / name
        try:
            if name == run.ANALYSIS_NOTEBOOK:
                wait_for_ingest(Path(parameters["output_dir"]), seconds=30)
                self.note("analysis read the tables")
                saved = folder / ANALYSIS_FOLDER
                saved.mkdir(exist_ok=True)
                record = {"format": FORMAT, "tracker": None, "warnings": []}
                (saved / FIGURES_FILE).write_text(json.dumps(record), "utf-8")
                time.sleep(0.5)  # its tables and workbook, written after the analysis is saved
                if self.tables_fail:
                    self.note("analysis failed writing its tables")
                    raise NotebookError(name, 3, "OSError: the tables", None)
                self.note("analysis finished")
            else:
                wait_for_analysis(Path(parameters["output_dir"]), seconds=30)
                self.note("report read the analysis")
        except StageStoppedError as error:
            self.note(f"{stage} stopped")
            raise NotebookError(name, 3, str(error), None) from error
        (folder / name).write_text("{}", "utf-8")
        return folder / name


@pytest.fixture
def stood_in(monkeypatch):
    monkeypatch.setattr(publish, "PdfWorker", NoPdf)
    monkeypatch.setattr(publish, "warm_exporters", lambda: None)
    monkeypatch.setattr(run, "report_warnings", lambda processed: None)

    def use(notebooks: Notebooks) -> None:
        monkeypatch.setattr(run, "execute_notebook", notebooks)
        monkeypatch.setattr(
            publish, "export_committee", lambda *args: notebooks.note("committee exported") or 0.0
        )
        monkeypatch.setattr(
            publish,
            "export_rest",
            lambda *args: notebooks.note("reviewer exported") or {"exported": True},
        )

    return use


def test_the_analysis_reads_the_tables_only_once_the_ingest_beside_it_has_put_them_in_place(
    tmp_path, stood_in
):
    notebooks = Notebooks(ingest_fails=False)
    stood_in(notebooks)
    plan = quarter_plan(tmp_path)
    manifest = run.run_report(plan, ingest=True)
    assert notebooks.events == [
        "ingest finished",
        "analysis read the tables",
        "report read the analysis",
        "committee exported",  # its PDF renders while 02 writes its tables
        "analysis finished",
        "reviewer exported",
    ]
    assert manifest == Path(plan.quarter_dir) / "manifest.json" and manifest.exists()
    assert (Path(plan.processed_dir) / "ingest_summary.json").exists()
    assert not (Path(plan.quarter_dir) / ANALYSIS_FOLDER).exists()  # markers are not published


def test_an_ingest_that_fails_beside_the_analysis_is_the_error_said_and_nothing_is_published(
    tmp_path, stood_in
):
    notebooks = Notebooks(ingest_fails=True)
    stood_in(notebooks)
    plan = quarter_plan(tmp_path)
    earlier = Path(plan.quarter_dir)
    earlier.mkdir(parents=True)
    (earlier / "report.html").write_text("last quarter's run", "utf-8")
    with pytest.raises(NotebookError) as caught:
        run.run_report(plan, ingest=True)
    assert "01_ingest.ipynb" in str(caught.value) and "a bad row" in str(caught.value)
    assert sorted(notebooks.events) == ["analysis stopped", "ingest failed", "report stopped"]
    assert [path.name for path in earlier.iterdir()] == ["report.html"]
    assert (earlier / "report.html").read_text("utf-8") == "last quarter's run"
    assert sorted(path.name for path in earlier.parent.iterdir()) == ["Q2"]  # no building folder


def test_without_the_ingest_the_analysis_does_not_wait_for_one(tmp_path, stood_in):
    notebooks = Notebooks(ingest_fails=True)  # never run
    stood_in(notebooks)
    plan = quarter_plan(tmp_path)
    Path(plan.processed_dir).mkdir(parents=True)
    (Path(plan.processed_dir) / run.INGEST_NOTEBOOK).write_text("{}", "utf-8")
    run.run_report(plan, ingest=False)
    assert notebooks.events[:2] == ["analysis read the tables", "report read the analysis"]


def test_an_analysis_that_fails_after_the_report_is_done_is_the_error_and_nothing_is_published(
    tmp_path, stood_in
):
    notebooks = Notebooks(ingest_fails=False, tables_fail=True)
    stood_in(notebooks)
    plan = quarter_plan(tmp_path)
    with pytest.raises(NotebookError, match="the tables"):
        run.run_report(plan, ingest=True)
    assert "reviewer exported" not in notebooks.events
    assert not Path(plan.quarter_dir).exists()
    assert [path.name for path in Path(plan.quarter_dir).parent.iterdir()] == []


@pytest.mark.parametrize(
    ("ename", "kept"), [("StageStoppedError", False), ("ValueError", True)], ids=str
)
def test_a_notebook_that_stopped_for_the_stage_before_it_is_not_kept(
    tmp_path, monkeypatch, ename, kept
):
    import papermill

    def fails(source, output, **options):
        Path(output).write_text("{}", "utf-8")
        raise PapermillExecutionError(3, 3, "", ename, "what went wrong", [])

    monkeypatch.setattr(papermill, "execute_notebook", fails)
    failed = tmp_path / "failed"
    with pytest.raises(NotebookError) as caught:
        run.execute_notebook(run.ANALYSIS_NOTEBOOK, tmp_path, {}, failed, "analysis")
    assert "what went wrong" in str(caught.value)
    assert (failed.exists() and len(list(failed.iterdir())) == 1) == kept


def test_a_notebook_whose_kernel_the_run_stopped_is_not_kept_nor_its_error_said(
    tmp_path, monkeypatch
):
    import papermill
    from nbclient.exceptions import DeadKernelError

    def killed(source, output, **options):
        Path(output).write_text("{}", "utf-8")
        raise DeadKernelError("Kernel died")

    monkeypatch.setattr(papermill, "execute_notebook", killed)
    kernels = RunKernels()
    kernels.stop_all()
    failed = tmp_path / "failed"
    with pytest.raises(NotebookCancelledError):
        run.execute_notebook(run.REPORT_NOTEBOOK, tmp_path, {}, failed, "report", kernels)
    assert not failed.exists()
    with pytest.raises(NotebookError, match="kernel stopped before it finished"):  # not stopped
        run.execute_notebook(run.REPORT_NOTEBOOK, tmp_path, {}, failed, "report", RunKernels())
    assert len(list(failed.iterdir())) == 1


def kernel_process() -> SimpleNamespace:
    """Stands in for a kernel manager: its provisioner's process, a real one that would run on."""
    process = subprocess.Popen(["sleep", "60"])
    return SimpleNamespace(provisioner=SimpleNamespace(process=process))


def test_stopping_a_run_kills_its_kernels_and_any_that_starts_after():
    kernels = RunKernels()
    running = kernel_process()
    kernels.started(running)
    kernels.stop_all()
    assert running.provisioner.process.wait(timeout=10) == -signal.SIGKILL
    late = kernel_process()
    kernels.started(late)  # a kernel that was still starting when the run stopped
    assert late.provisioner.process.wait(timeout=10) == -signal.SIGKILL


class Interrupted(Notebooks):
    """The analyst presses Ctrl-C while 03 runs: 02 runs on until the run stops its kernel (as a
    killed kernel would, it then raises), or would finish after a long wait."""

    def __call__(self, name, folder, parameters, failed_dir, stage, kernels=None):
        if name == run.REPORT_NOTEBOOK:
            raise KeyboardInterrupt
        for _ in range(600):
            if kernels.stopped:
                self.note("analysis stopped by the run")
                raise NotebookCancelledError(name)
            time.sleep(0.05)
        self.note("analysis finished")
        return folder / name


def test_ctrl_c_stops_the_other_notebooks_and_publishes_nothing(tmp_path, stood_in):
    notebooks = Interrupted(ingest_fails=False)
    stood_in(notebooks)
    plan = quarter_plan(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        run.run_report(plan, ingest=False)
    assert notebooks.events == ["analysis stopped by the run"]
    assert not Path(plan.quarter_dir).exists()


def test_published_notebooks_name_the_final_folder_and_project_files_relative(tmp_path):
    import json

    from pipeline.paths import PROJECT_ROOT
    from pipeline.run import settle_paths

    built, final = tmp_path / ".Q2.building-7", tmp_path / "Q2"
    built.mkdir()
    cell = {
        "output_dir": str(built),
        "config_path": str(PROJECT_ROOT / "config" / "sample.yaml"),
        "elsewhere": "/srv/data/crimes.csv",
    }
    (built / "02_analysis.ipynb").write_text(json.dumps(cell), encoding="utf-8")
    settle_paths(built, built, final)
    assert json.loads((built / "02_analysis.ipynb").read_text(encoding="utf-8")) == {
        "output_dir": str(final),
        "config_path": "config/sample.yaml",  # inside the project: relative to it
        "elsewhere": "/srv/data/crimes.csv",  # outside: as given
    }
