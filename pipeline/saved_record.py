"""The saved analysis's record and folder: what a run reads of it without pandas.

Notebook 02 saves a quarter's analysis in `analysis/` of the folder being built (its tables as
Parquet, by `pipeline.saved_analysis`, and its figures and tracker notes as `analysis.json`,
written last); notebook 03 waits for it. When the run ingests too, 02 starts beside the ingest
and waits, in the same folder, for the processed tables to be in place. The run itself only needs
to say what is running or stopped, and to print the tracker's warnings: all here, in the standard
library, so the run's process never imports pandas.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import PipelineError

ANALYSIS_FOLDER = "analysis"
FIGURES_FILE = "analysis.json"  # written last, whole: the analysis is complete once it exists
STOPPED_FILE = "analysis.stopped"  # written by the run when notebook 02 fails, so 03 stops too
INGEST_RUNNING_FILE = "ingest.running"  # while the run's ingest has not yet put its tables in place
INGEST_STOPPED_FILE = "ingest.stopped"  # written by the run when notebook 01 fails, so 02 stops too
WAIT_SECONDS = 300.0  # how long a report started beside the analysis waits for it
INGEST_WAIT_SECONDS = 3600.0  # an ingest takes as long as its files; a kernel left behind gives up
POLL_SECONDS = 0.05
FORMAT = 6  # raised whenever the saved form changes, so an older saved analysis is refused


class StageStoppedError(PipelineError):
    """A notebook that stopped because the stage it waited for stopped: that stage's error is
    the one to read."""

    def __init__(self, folder: Path, notebook: str, missing: str) -> None:
        self.folder = folder
        super().__init__(f"{folder}: {notebook} stopped, so there {missing}")


class SavedAnalysisError(PipelineError):
    """A saved analysis that is missing, or from another version of the pipeline."""

    def __init__(self, folder: Path, problem: str) -> None:
        self.folder = folder
        super().__init__(f"{folder}: {problem}")


def _mark(folder: Path, name: str, words: str) -> None:
    """Write a marker file into folder/analysis, where the notebooks beside the run look."""
    target = folder / ANALYSIS_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    (target / name).write_text(words + "\n", encoding="utf-8")


def mark_stopped(folder: Path) -> None:
    """Say in folder/analysis that the analysis stopped, so a report waiting for it stops too."""
    _mark(folder, STOPPED_FILE, "notebooks/02_analysis.ipynb stopped")


def mark_ingest_running(folder: Path) -> None:
    """Say in folder/analysis that the run is ingesting, so the analysis waits for its tables."""
    _mark(folder, INGEST_RUNNING_FILE, "notebooks/01_ingest.ipynb running")


def mark_ingested(folder: Path) -> None:
    """Say in folder/analysis that the ingest's tables are in place."""
    (folder / ANALYSIS_FOLDER / INGEST_RUNNING_FILE).unlink()


def mark_ingest_stopped(folder: Path) -> None:
    """Say in folder/analysis that the ingest stopped, so an analysis waiting for it stops too."""
    _mark(folder, INGEST_STOPPED_FILE, "notebooks/01_ingest.ipynb stopped")


def _wait(
    folder: Path,
    waiting: Callable[[Path], bool],
    stopped_file: str,
    stopped: StageStoppedError,
    too_long: str,
    seconds: float,
) -> None:
    """Poll folder/analysis while `waiting` says so; raise `stopped` once stopped_file is
    there, and a SavedAnalysisError saying `too_long` after seconds."""
    deadline = time.monotonic() + seconds
    target = folder / ANALYSIS_FOLDER
    while waiting(target):
        if (target / stopped_file).exists():
            raise stopped
        if time.monotonic() > deadline:
            raise SavedAnalysisError(folder, too_long)
        time.sleep(POLL_SECONDS)


def wait_for_ingest(folder: Path, seconds: float = INGEST_WAIT_SECONDS) -> None:
    """Wait while the run says in folder/analysis that it is ingesting; stop if the ingest
    stopped. Without that word from a run (a notebook opened alone), return at once."""
    _wait(
        folder,
        lambda target: (target / INGEST_RUNNING_FILE).exists(),
        INGEST_STOPPED_FILE,
        StageStoppedError(
            folder, "notebooks/01_ingest.ipynb", "are no processed tables to analyse"
        ),
        f"the run's ingest had not finished after {seconds:.0f} s",
        seconds,
    )


def wait_for_analysis(folder: Path, seconds: float = WAIT_SECONDS) -> None:
    """Wait until the analysis saved in folder/analysis is complete; stop if it stopped."""
    _wait(
        folder,
        lambda target: not (target / FIGURES_FILE).exists(),
        STOPPED_FILE,
        StageStoppedError(folder, "notebooks/02_analysis.ipynb", "is no analysis to report"),
        f"no saved analysis after {seconds:.0f} s; run notebooks/02_analysis.ipynb",
        seconds,
    )


def saved_record(folder: Path) -> dict:
    """The JSON part of a saved analysis in folder/analysis, checked to be of this version."""
    path = folder / ANALYSIS_FOLDER / FIGURES_FILE
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SavedAnalysisError(
            folder, "no saved analysis; run notebooks/02_analysis.ipynb first"
        ) from None
    if record.get("format") != FORMAT:
        raise SavedAnalysisError(
            folder,
            f"the saved analysis is of format {record.get('format')!r}, not {FORMAT}; "
            "run notebooks/02_analysis.ipynb again",
        )
    return record


def saved_warnings(folder: Path) -> list[str]:
    """The warnings the analysis stage's reading of its inputs gave (the tracker, ONS tables)."""
    return list(saved_record(folder)["warnings"])
