"""The bad-input corpus: each folder in tests/bad_inputs/ is one case.

A case stands one small file in for a file of the sample's raw data (or gives its own config),
runs on a temporary copy of the sample, and checks the exit, the one `Error:` line, that
nothing was published and that no raw file changed. A bad case runs `make quarter`; an accepted
one `make check` (the inputs only), unless its HTML must be looked at. The folder's
README.md describes a case's files.

Most cases run the same steps in this process: the command line's plan, the ingest notebook's
own cells (as its kernel would, with papermill's parameters), and the tracker check, through
`pipeline.cli.main`, so the message is the one make prints. A case goes through make itself when
make's part is the point (its arguments, environment or config path), when it must be held to
the memory limit (a blow-up), when its HTML is looked at, or when its case.yaml says
`run: make` (an ingest error and an accepted input, also run here to show both routes agree).
The make runs of the cases selected are started together, a few at a time, before the first
case's test, since each is a separate process.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import pytest
import yaml

from pipeline import cli, run
from pipeline.errors import NotebookError, PipelineError
from pipeline.paths import NOTEBOOKS
from pipeline.sources import police_uk
from tests.conftest import SAMPLE_RAW, make, reading_each_once

pytestmark = pytest.mark.slow  # runs make, a browser or a whole quarter: not in make test-fast

CORPUS = Path(__file__).parent / "bad_inputs"
BASE = CORPUS / "_base"
CASE_NAMES = sorted(
    path.name for path in CORPUS.iterdir() if path.is_dir() and not path.name.startswith("_")
)
NOT_DATA = {"case.yaml", "config.yaml"}
EXTRACT = "force-extract"
TRACKER = "tracker"
ONS = "ons"
QUARTER = ("ashworth-vale", "2025-26", "Q2")
COMMITTEE_HTML = "ashworth-vale-2025-26-Q2-committee-report.html"
REVIEWER_HTML = "ashworth-vale-2025-26-Q2-reviewer.html"
WHOLE_HASH_LIMIT = 64 * 2**20  # larger files (the sparse ones) are fingerprinted in part
MEMORY_LIMIT = 4 * 2**30  # each process's address space: a guard against blow-ups, not a target
WORKERS = int(os.environ.get("BAD_INPUT_WORKERS", min(4, os.cpu_count() or 1)))
DEFAULT_ARGS = ("Q=2", "FY=2025-26")
FIRST_COMPARED_MONTH = "2023-10"  # the first of the 24 months 2025-26 Q2 compares


@dataclass(frozen=True)
class Case:
    """One folder of the corpus, as its case.yaml describes it."""

    name: str
    about: str
    exit: str
    replaces: str | None = None
    message: tuple[str, ...] = ()
    warning: tuple[str, ...] = ()
    size: int | None = None
    config_path: str | None = None
    html_shows: tuple[str, ...] = ()
    pad_to_rows: int | None = None
    adds: tuple[dict, ...] = ()
    links: tuple[dict, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    args: tuple[str, ...] = DEFAULT_ARGS
    run: str | None = None  # "make": through make even when the case could run here

    @property
    def folder(self) -> Path:
        """The case's folder in the corpus."""
        return CORPUS / self.name

    @property
    def target(self) -> str:
        """The make target: the whole quarter, or only the inputs' check for accepted input."""
        return "check" if self.exit == "ok" and not self.html_shows else "quarter"

    @property
    def through_make(self) -> bool:
        """Whether the case runs make itself, not its steps in this process."""
        return bool(
            self.run == "make"
            or self.args != DEFAULT_ARGS
            or self.env
            or self.config_path
            or self.size
            or self.html_shows
        )

    @property
    def data_files(self) -> list[Path]:
        """The files that stand in for the replaced one (none: it is removed)."""
        added = {addition.get("file") for addition in self.adds}
        return sorted(
            path
            for path in self.folder.iterdir()
            if path.is_file() and path.name not in NOT_DATA | added
        )


@dataclass
class Outcome:
    """What one make run did."""

    result: subprocess.CompletedProcess
    root: Path
    before: dict[str, tuple] = field(default_factory=dict)
    after: dict[str, tuple] = field(default_factory=dict)

    @property
    def quarter_dir(self) -> Path:
        """Where the run publishes the quarter (under whatever folder its district name gives)."""
        return self._district_folder("out")

    @property
    def processed_dir(self) -> Path:
        """Where the run's ingest writes its tables."""
        return self._district_folder("processed")

    def _district_folder(self, top: str) -> Path:
        """The quarter's folder under top: the sample district's, or the one district's there."""
        found = sorted(self.root.joinpath(top).glob(f"*/{QUARTER[1]}/{QUARTER[2]}"))
        return found[0] if len(found) == 1 else self.root.joinpath(top, *QUARTER)


def load_case(name: str) -> Case:
    """A case from its folder's case.yaml."""
    data = yaml.safe_load((CORPUS / name / "case.yaml").read_text(encoding="utf-8"))
    for key in ("message", "warning", "html_shows", "adds", "links"):
        data[key] = tuple(data.get(key) or ())
    if "args" in data:
        data["args"] = tuple(data["args"])
    return Case(name=name, **data)


def mirror_sample(raw: Path) -> None:
    """A raw folder shaped like the sample's, every file a link to the sample's own.

    Its police.uk months are those the quarter compares and later: the 12 before them, which
    only the control charts show, are left out, so each case reads the months it is about (the
    ingest's tests cover the earlier months). The tracker is the corpus's own small CSV
    tracker, copied, which only tracker cases name; the ONS tables, linked, only ONS cases.
    """
    (raw / EXTRACT).mkdir(parents=True)
    for path in SAMPLE_RAW.glob("*-street.csv"):
        if path.name >= FIRST_COMPARED_MONTH:
            (raw / path.name).symlink_to(path)
    for path in (SAMPLE_RAW / EXTRACT).glob("*.csv"):
        (raw / EXTRACT / path.name).symlink_to(path)
    (raw / ONS).mkdir()
    for path in (SAMPLE_RAW / ONS).glob("*.xlsx"):
        (raw / ONS / path.name).symlink_to(path)
    shutil.copytree(BASE / TRACKER, raw / TRACKER)


def put_case_files(case: Case, raw: Path) -> None:
    """Remove the replaced file and copy the case's file(s) into its folder; then the additions."""
    if case.replaces not in (None, "config"):
        replaced = raw / case.replaces
        replaced.unlink()
        for source in case.data_files:
            target = replaced.parent / source.name
            shutil.copyfile(source, target)
            if case.pad_to_rows is not None:
                pad_rows(target, case.pad_to_rows)
            if case.size is not None:
                os.truncate(target, case.size)  # sparse: takes no disk space, and no time to make
    for addition in case.adds:
        add_file(case, raw, addition)
    for link in case.links:
        (raw / link["path"]).symlink_to(link["to"])


def pad_rows(path: Path, rows: int) -> None:
    """Repeat a small month's own records, as bytes, until it has as many as a real month."""
    header, *records = path.read_bytes().splitlines(keepends=True)
    records = [record for record in records if record.strip()]
    ending = b"\r\n" if header.endswith(b"\r\n") else b"\n"
    records = [record if record.endswith(b"\n") else record + ending for record in records]
    padded = (records * (rows // len(records) + 1))[:rows]
    path.write_bytes(header + b"".join(padded))


def add_file(case: Case, raw: Path, addition: dict) -> None:
    """One more file in the raw folder: a case file, or a copy of a sample file, cut to rows."""
    target = raw / addition["path"]
    target.parent.mkdir(parents=True, exist_ok=True)
    source = case.folder / addition["file"] if "file" in addition else raw / addition["copy_of"]
    lines = source.read_bytes().splitlines(keepends=True)
    if "rows" in addition:
        lines = lines[: addition["rows"] + 1]
    target.write_bytes(b"".join(lines))


def config_text(case: Case) -> str:
    """The case's own config, or the police.uk or force extract one its file belongs to."""
    own = case.folder / "config.yaml"
    if own.exists():
        return own.read_text(encoding="utf-8")
    shape = "police-uk.yaml"
    if (case.replaces or "").startswith(EXTRACT):
        shape = "force-extract.yaml"
    elif (case.replaces or "").startswith(TRACKER):
        shape = "tracker.yaml"
    return (BASE / shape).read_text(encoding="utf-8")


def write_config(case: Case, root: Path, raw: Path) -> Path:
    """The run's config: the case's text with its raw folder, publishing under root."""
    if case.config_path:
        return root / case.config_path
    text = config_text(case).replace("{raw}", str(raw)).replace("{root}", str(root))
    if "output_dir:" not in text:  # a case about where outputs go gives its own places
        text = f"{text.rstrip()}\noutput_dir: {root / 'out'}\nprocessed_dir: {root / 'processed'}\n"
    path = root / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def fingerprint(path: Path) -> tuple:
    """A file's size and hash; for a very large file, its size, time and first and last MiB."""
    stat = path.stat()
    changed = (stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns)  # any write moves ctime
    return _fingerprint(path.resolve(), stat.st_size, stat.st_mtime_ns, changed)


@functools.cache
def _fingerprint(path: Path, size: int, mtime_ns: int, changed: tuple) -> tuple:
    """A file's fingerprint, worked out once while its inode, size and times stay (the
    sample's files, linked into every case's raw folder, are hashed once a session)."""
    with path.open("rb") as handle:
        if size <= WHOLE_HASH_LIMIT:
            return size, hashlib.file_digest(handle, "blake2b").hexdigest()
        digest = hashlib.blake2b(handle.read(2**20))
        handle.seek(-(2**20), os.SEEK_END)
        digest.update(handle.read())
    return size, mtime_ns, digest.hexdigest()


def fingerprints(raw: Path) -> dict[str, tuple]:
    """Every raw file (links followed) by its path in the folder."""
    return {
        str(path.relative_to(raw)): fingerprint(path)
        for path in sorted(raw.rglob("*"))
        if path.is_file()
    }


def prepare_case(case: Case, root: Path) -> tuple[Path, Path]:
    """Build the case's raw folder and config; return both."""
    raw = root / "raw"
    mirror_sample(raw)
    put_case_files(case, raw)
    return raw, write_config(case, root, raw)


def run_case_through_make(case: Case, root: Path) -> Outcome:
    """Run make on the case, fingerprinting its raw folder before and after."""
    raw, config = prepare_case(case, root)
    before = fingerprints(raw)
    result = make(
        case.target, *case.args, f"CONFIG={config}", env=case.env, memory_limit=MEMORY_LIMIT
    )
    return Outcome(result, root, before, fingerprints(raw))


def run_case_here(case: Case, root: Path) -> Outcome:
    """Run make's steps for the case's target in this process: plan, ingest, tracker check."""
    raw, config = prepare_case(case, root)
    before = fingerprints(raw)
    quarter, year = (arg.split("=", 1)[1] for arg in case.args)
    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
        mock.patch.object(run, "execute_notebook", execute_notebook_here),
        mock.patch.object(police_uk, "read_street_file", reading_each_once(SAMPLE_RAW)),
    ):
        code = cli.main(["plan", "--config", str(config), "--quarter", quarter, "--fy", year])
        plan = stdout.getvalue().strip()
        for step in ("ingest", "check-tracker"):
            if code == 0:
                code = cli.main([step, "--plan", plan])
    result = subprocess.CompletedProcess(case.args, code, stdout.getvalue(), stderr.getvalue())
    return Outcome(result, root, before, fingerprints(raw))


def execute_notebook_here(
    name: str,
    folder: Path,
    parameters: dict,
    failed_dir: Path,
    stage: str,
    kernels: object = None,
) -> Path:
    """Run a notebook's code cells in this process, as its kernel would, parameters injected.

    Stands in for `run.execute_notebook`; a cell's PipelineError becomes the NotebookError
    papermill's would. Any other exception is raised as it is: the test shows it.
    """
    cells = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]
    namespace: dict = {"__name__": "__main__"}
    number = 0  # the execution count papermill reports: its injected parameters cell counts
    for cell in (cell for cell in cells if cell["cell_type"] == "code"):
        number += 1
        code = compile("".join(cell["source"]), f"{name}, cell {number}", "exec")
        try:
            exec(code, namespace)  # noqa: S102 - the project's own notebook
        except PipelineError as error:
            raise NotebookError(name, number, str(error), None) from error
        if "parameters" in cell["metadata"].get("tags", []):
            namespace.update(parameters)
            number += 1
    return folder / name


def selected_cases(request: pytest.FixtureRequest) -> list[str]:
    """The cases this session runs (all, or those picked with -k or by id)."""
    return [
        item.callspec.params["name"]
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_bad_input_case"
    ]


@pytest.fixture(scope="module")
def outcomes(request, tmp_path_factory) -> dict[str, Outcome | BaseException]:
    """Every selected case's make run, a few at a time."""
    if not (SAMPLE_RAW / ".complete").exists():
        pytest.skip("sample data not generated: run through `make test`")

    def attempt(name: str, root: Path) -> Outcome | BaseException:
        case = load_case(name)
        try:
            return (
                run_case_through_make(case, root)
                if case.through_make
                else run_case_here(case, root)
            )
        except Exception as error:  # reported by that case's own test
            return error

    names = selected_cases(request)
    roots = dict(zip(names, (tmp_path_factory.mktemp(name) for name in names), strict=True))
    by_make = [name for name in names if load_case(name).through_make]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:  # make's runs, while the rest run here
        started = {name: pool.submit(attempt, name, roots[name]) for name in by_make}
        here = {name: attempt(name, roots[name]) for name in names if name not in started}
        return here | {name: future.result() for name, future in started.items()}


def recorded_warnings(outcome: Outcome) -> list[str]:
    """The warnings the ingest recorded in its summary (the ingest notebook prints them too)."""
    summary = outcome.processed_dir / "ingest_summary.json"
    return json.loads(summary.read_text(encoding="utf-8"))["warnings"]


def check_error(case: Case, outcome: Outcome) -> None:
    """A non-zero exit, one Error: line with every expected part, and nothing published."""
    result = outcome.result
    assert result.returncode != 0, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    missing = [part for part in case.message if part not in errors[0]]
    assert not missing, f"{errors[0]}\nlacks {missing}"
    assert not outcome.quarter_dir.exists()
    assert not outcome.processed_dir.exists()


def check_ok(case: Case, outcome: Outcome) -> None:
    """A zero exit, no Error: line, the inputs or quarter written, the expected warnings only."""
    result = outcome.result
    assert result.returncode == 0, result.stderr
    assert "Error:" not in result.stderr
    if case.target == "quarter":
        assert (outcome.quarter_dir / "manifest.json").exists()
    printed = [line for line in result.stderr.splitlines() if line.startswith("[warning]")]
    from_ingest = [line for line in printed if f"/{TRACKER}/" not in line]
    assert len(from_ingest) == len(recorded_warnings(outcome)), result.stderr
    said = "\n".join(printed)
    missing = [part for part in case.warning if part not in said]
    assert not missing, f"warnings lack {missing}:\n{result.stderr}"
    if not case.warning:
        assert printed == []


def check_escaped(case: Case, outcome: Outcome) -> None:
    """Each markup text appears in the committee and reviewer HTML as text, never as markup."""
    for name in (COMMITTEE_HTML, REVIEWER_HTML):
        page = (outcome.quarter_dir / name).read_text(encoding="utf-8")
        for text in case.html_shows:
            assert text not in page, f"{name}: {text} is in the page as markup"
            assert text in html.unescape(page), f"{name}: {text} is not shown"


@pytest.mark.parametrize("name", CASE_NAMES)
def test_bad_input_case(name, outcomes):
    case = load_case(name)
    outcome = outcomes[name]
    if isinstance(outcome, BaseException):
        raise outcome
    assert "Traceback" not in outcome.result.stderr + outcome.result.stdout
    if case.exit == "error":
        check_error(case, outcome)
    else:
        check_ok(case, outcome)
        if case.html_shows:
            check_escaped(case, outcome)
    assert outcome.after == outcome.before, "a raw file was changed, added or removed"


KEPT_AT = re.compile(r"; the failed notebook is kept at [^)]*")


def error_line(outcome: Outcome) -> str:
    """The run's Error: line, its temporary folder and the kept notebook's path left out."""
    errors = [line for line in outcome.result.stderr.splitlines() if line.startswith("Error:")]
    line = errors[0].replace(str(outcome.root), "{root}") if errors else ""
    return KEPT_AT.sub("", line)


CHOSEN_FOR_MAKE = [
    name
    for name in CASE_NAMES
    if load_case(name).run == "make"
    and "memory limit" not in (CORPUS / name / "case.yaml").read_text()
]


@pytest.mark.parametrize("name", CHOSEN_FOR_MAKE)
def test_steps_here_do_what_make_does(name, outcomes, tmp_path):
    """A case chosen to go through make stops (or not) with the same Error: line run here."""
    through_make = outcomes.get(name) or run_case_through_make(load_case(name), tmp_path / "make")
    if isinstance(through_make, BaseException):
        raise through_make
    here = run_case_here(load_case(name), tmp_path / "here")
    stopped = here.result.returncode != 0
    assert stopped == (through_make.result.returncode != 0), here.result.stderr  # make's is 2
    assert error_line(here) == error_line(through_make)


def test_corpus_has_every_kind_of_case():
    cases = [load_case(name) for name in CASE_NAMES]
    assert len(cases) >= 94
    assert {case.exit for case in cases} == {"error", "ok"}
    replaced = {case.replaces.split("/")[0] for case in cases if case.replaces}
    assert replaced >= {"2025-08-wealdmoor-street.csv", EXTRACT, TRACKER, "config"}
    for case in cases:
        assert case.about and case.exit in ("error", "ok")
        assert bool(case.message) == (case.exit == "error"), case.name
        known = (
            case.replaces in (None, "config")
            or (SAMPLE_RAW / case.replaces).exists()
            or (BASE / case.replaces).exists()
        )
        assert known or not SAMPLE_RAW.exists(), f"{case.name}: no such sample file"
