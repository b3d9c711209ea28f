"""Whole runs through make: nothing lost or half-written, whatever stops them; the report rebuilt
when its commentary changes, and byte for byte the same from the same inputs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipeline.paths import PROJECT_ROOT
from tests.conftest import EPOCH, SAMPLE_RAW, make, sample_config

pytestmark = pytest.mark.slow  # runs make, a browser or a whole quarter: not in make test-fast

STEM = "ashworth-vale-2025-26-Q2"


def sha256(path: Path) -> bytes:
    """A file's SHA-256 in hexadecimal, as bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest().encode()


def digests(folder: Path) -> dict[str, str]:
    """Every file under folder (hidden ones too) with its SHA-256."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict[str, Path]:
    """The sample quarter built once into a temporary folder with SOURCE_DATE_EPOCH set, from
    a copy of the sample's commentary (as the session's published quarter is)."""
    if not (SAMPLE_RAW / ".complete").exists():
        pytest.skip("sample data not generated: run through `make test`")
    root = tmp_path_factory.mktemp("runs")
    config = sample_config(root, root / "words")
    shutil.copytree(PROJECT_ROOT / "config" / "commentary", root / "words")
    raw_before = digests(SAMPLE_RAW)
    result = quarter(config)
    assert result.returncode == 0, result.stderr
    return {
        "config": config,
        "quarter": root / "out" / "ashworth-vale" / "2025-26" / "Q2",
        "year": root / "out" / "ashworth-vale" / "2025-26",
        "commentary": root / "words" / f"{STEM}.yaml",
        "raw_before": raw_before,
        "root": root,
    }


def quarter(config: Path) -> subprocess.CompletedProcess:
    """`make quarter` for the sample's Q2 with SOURCE_DATE_EPOCH set."""
    return make(
        "quarter", "Q=2", "FY=2025-26", f"CONFIG={config}", env={"SOURCE_DATE_EPOCH": EPOCH}
    )


def test_a_run_never_writes_to_the_raw_inputs(run):
    assert digests(SAMPLE_RAW) == run["raw_before"]


def out_of_date(config: Path) -> tuple[bool, bool]:
    """Whether make would rebuild the quarter's report, and its ingest: planned as `make quarter`
    plans, then asked with `make -q`, which runs nothing."""
    environment = {
        **os.environ,
        "CONFIG": str(config),
        "Q": "2",
        "FY": "2025-26",
        "SOURCE_DATE_EPOCH": EPOCH,
    }
    planned = subprocess.run(
        [sys.executable, "-m", "pipeline", "plan"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    fragment = planned.stdout.strip()
    plan = json.loads((PROJECT_ROOT / fragment).with_suffix(".json").read_text(encoding="utf-8"))
    targets = (
        Path(plan["quarter_dir"]) / "manifest.json",
        Path(plan["processed_dir"]) / "ingest_summary.json",
    )
    report, ingest = (
        subprocess.run(
            ["make", "-q", "--no-print-directory", f"PLAN={fragment}", str(target)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            env=environment,
        ).returncode
        != 0
        for target in targets
    )
    return report, ingest


def test_a_new_commentary_rebuilds_only_the_report_and_a_misspelt_one_changes_nothing(run):
    """A new commentary makes the report out of date, not the ingest; a misspelt section stops
    before any notebook, the report untouched. (That the commentary lands in its section, as
    text, is the corpus's markup case; that a report-only rebuild runs no ingest, the Ctrl-C
    test's.)"""
    report = run["quarter"] / f"{STEM}-committee-report.html"
    first = report.read_bytes()
    assert out_of_date(run["config"]) == (False, False)
    words = run["commentary"]
    original = words.read_bytes()
    words.write_text("background: A new partnership hub opened.\n", encoding="utf-8")
    try:
        assert out_of_date(run["config"]) == (True, False)  # the report, not the ingest
        words.write_text("backgrund: misspelt\n", encoding="utf-8")
        bad = quarter(run["config"])
        assert bad.returncode != 0
        assert "'backgrund' is not a section of the report; did you mean 'background'?" in (
            bad.stderr
        )
        assert "[report]" not in bad.stderr and "Traceback" not in bad.stderr
        assert report.read_bytes() == first  # the earlier report is untouched
    finally:
        words.write_bytes(original)


def test_the_same_inputs_give_the_same_bytes(run, published):
    """This module's quarter and the session's published one, built apart from the same inputs
    and commentary with the same SOURCE_DATE_EPOCH: every HTML page, the Word copy and every
    table is byte for byte the same, but for the folders each was built in, which the reviewer
    copy names, with the digest of each config (which names them too)."""
    here, there = run["root"], published.parents[3]
    folders = (str(there).encode(), str(here).encode())
    configs = tuple(sha256(root / "sample.yaml") for root in (there, here))
    differ = []
    for name in html_and_tables(run["quarter"]):
        ours = (run["quarter"] / name).read_bytes()
        theirs = (published / name).read_bytes().replace(*folders).replace(*configs)
        if ours != theirs:
            differ.append(name)
    assert differ == []


def html_and_tables(folder: Path) -> list[str]:
    """The committee and reviewer HTML, the Word copy and the CSV tables, relative to folder."""
    return [
        f"{STEM}-committee-report.html",
        f"{STEM}-committee-report.docx",
        f"{STEM}-reviewer.html",
        *sorted(str(path.relative_to(folder)) for path in (folder / "tables").glob("*.csv")),
    ]


def test_the_reviewer_copy_gives_the_fixed_time_not_the_clock(run):
    html = (run["quarter"] / f"{STEM}-reviewer.html").read_text(encoding="utf-8")
    assert "2025-10-09 08:53:20 UTC" in html
    assert "SOURCE_DATE_EPOCH was set" in html


def test_a_source_date_epoch_that_is_not_a_number_is_refused(run):
    result = make("quarter", "Q=2", f"CONFIG={run['config']}", env={"SOURCE_DATE_EPOCH": "soon"})
    assert result.returncode != 0
    assert "SOURCE_DATE_EPOCH='soon' is not valid" in result.stderr
    assert "[ingest]" not in result.stderr and "[report]" not in result.stderr


def descendants(pid: int) -> list[int]:
    """Every process started (directly or not) by pid, from /proc."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def kernels_of(pid: int) -> list[int]:
    """The Jupyter kernels among pid's descendants."""
    kernels = []
    for child in descendants(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"ipykernel_launcher" in command:
            kernels.append(child)
    return kernels


def interrupted_run(config: Path, stop) -> tuple[int, str]:
    """Start `make quarter`, call stop(process) once the report stage runs; exit code, stderr."""
    process = subprocess.Popen(
        ["make", "--no-print-directory", "quarter", "Q=2", "FY=2025-26", f"CONFIG={config}"],
        cwd=PROJECT_ROOT,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        # as a terminal's foreground job: a shell's background job (`make test &`) starts with
        # SIGINT ignored, which every child inherits, and Ctrl-C would then stop nothing
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    lines = []
    for line in process.stderr:
        lines.append(line)
        if "[report] running" in line:
            stop(process)
            break
    lines.append(process.stderr.read())
    return process.wait(timeout=120), "".join(lines)


def kill_kernels(process: subprocess.Popen) -> None:
    """Kill the run's notebook kernels, as the out-of-memory killer would."""
    deadline = time.monotonic() + 20
    # Both kernels (analysis and report run side by side), so none is caught half-started.
    while len(kernels := kernels_of(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert kernels, "no kernel found to kill"
    time.sleep(1.0)  # let the notebooks get under way
    for kernel in kernels:
        os.kill(kernel, signal.SIGKILL)


def ctrl_c(process: subprocess.Popen) -> None:
    """Press Ctrl-C: SIGINT to the whole foreground process group."""
    time.sleep(0.5)
    os.killpg(process.pid, signal.SIGINT)


@contextmanager
def commentary_changed(words: Path, text: str) -> Iterator[None]:
    """The quarter's commentary file holding text for a while, then as it was."""
    original = words.read_bytes()
    words.write_text(text, encoding="utf-8")
    try:
        yield
    finally:
        words.write_bytes(original)


def test_ctrl_c_publishes_nothing_and_keeps_the_earlier_outputs(run):
    before = digests(run["year"])
    with commentary_changed(run["commentary"], "details: A change that makes it rebuild.\n"):
        code, stderr = interrupted_run(run["config"], ctrl_c)
    assert code != 0, stderr
    assert "[report] running" in stderr and "[ingest]" not in stderr  # the report alone rebuilds
    assert "Interrupted: nothing was published." in stderr
    assert "Traceback" not in stderr
    assert digests(run["year"]) == before  # no temporary folder left, nothing changed


def test_a_killed_kernel_publishes_nothing_and_keeps_the_failed_notebook(run):
    before = digests(run["year"])
    with commentary_changed(run["commentary"], "details: Another change to rebuild it.\n"):
        code, stderr = interrupted_run(run["config"], kill_kernels)
    assert code != 0, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, stderr
    error = errors[0]
    assert "kernel stopped before it finished" in error
    assert "the failed notebook is kept at" in error and "/failed/" in error
    assert "Traceback" not in stderr
    after = digests(run["year"])
    kept = [name for name in after if name.startswith("failed/")]
    assert kept and all(name.endswith(".ipynb") for name in kept)
    assert {name: digest for name, digest in after.items() if name not in kept} == before


def test_debug_shows_the_traceback_behind_the_message():
    plain = make("quarter", "Q=2", "CONFIG=nowhere.yaml")
    assert plain.returncode != 0 and "Traceback" not in plain.stderr
    debug = make("quarter", "Q=2", "CONFIG=nowhere.yaml", "DEBUG=1")
    assert debug.returncode != 0
    assert "Traceback" in debug.stderr and "ConfigError" in debug.stderr


def test_swap_puts_the_built_folder_in_place_and_removes_the_old(tmp_path):
    from pipeline.run import swap_into_place

    target, built = tmp_path / "Q2", tmp_path / ".Q2.building"
    target.mkdir()
    (target / "report.html").write_text("old", "utf-8")
    built.mkdir()
    (built / "report.html").write_text("new", "utf-8")
    swap_into_place(built, target)
    assert (target / "report.html").read_text("utf-8") == "new"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["Q2"]


def test_a_failed_swap_puts_the_earlier_outputs_back(tmp_path):
    from pipeline.run import swap_into_place

    target = tmp_path / "Q2"
    target.mkdir()
    (target / "report.html").write_text("old", "utf-8")
    with pytest.raises(FileNotFoundError):
        swap_into_place(tmp_path / ".Q2.building-gone", target)  # nothing was built
    assert (target / "report.html").read_text("utf-8") == "old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["Q2"]


@pytest.mark.parametrize("value", ["99999999999999", "0", "315532799", "4102444801", "١٢٣"])
def test_a_source_date_epoch_outside_1980_to_2100_is_refused(monkeypatch, value):
    from pipeline.errors import ParameterError
    from pipeline.plan import source_date_epoch

    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(ParameterError, match="from 315,532,800 .1 January 1980"):
        source_date_epoch()


def test_a_source_date_epoch_at_either_end_of_its_range_is_taken(monkeypatch):
    from pipeline.plan import source_date_epoch

    for value in (315_532_800, 4_102_444_800):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(value))
        assert source_date_epoch() == value


def test_a_kernel_that_never_answers_or_dies_starting_is_said_in_words():
    from pipeline.run import KERNEL_DIED, KERNEL_SILENT, kernel_start_problem

    assert kernel_start_problem("Kernel didn't respond in 60 seconds") == KERNEL_SILENT
    assert kernel_start_problem("Kernel died before replying to kernel_info") == KERNEL_DIED
    assert kernel_start_problem("something else") is None
