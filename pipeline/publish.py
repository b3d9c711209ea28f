"""Exports of an executed quarter: committee HTML and PDF, reviewer HTML, manifest."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import platform
import re
import subprocess
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from pipeline.digest import sha256_of
from pipeline.ingest_summary import IngestSummary, load_summary
from pipeline.numbers import UNDEFINED, format_count, format_month
from pipeline.paths import PROJECT_ROOT, TEMPLATES, project_path
from pipeline.pdf_worker import PdfWorker, kept_worker
from pipeline.plan import Plan, source_date_epoch
from pipeline.word_copy import committee_docx
from pipeline.wording import report_title

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag
    from nbconvert import HTMLExporter

COMMITTEE_CSS = TEMPLATES / "committee" / "committee.css"
REVIEWER_TEMPLATES = TEMPLATES / "reviewer"
NOTEBOOK_ORDER = ("01_ingest.ipynb", "02_analysis.ipynb", "03_report.ipynb")
REPORTED_PACKAGES = (
    "pandas",
    "papermill",
    "nbconvert",
    "seaborn",
    "matplotlib",
    "pyarrow",
    "weasyprint",
    "PyYAML",
    "openpyxl",
    "python-docx",
)
NOT_A_CHECKOUT = "unknown (not a git checkout)"
EXTRACT_SOURCES = {"crimes": "Force extract: crimes", "asb": "Force extract: ASB incidents"}
POLICE_UK_SOURCE = "data.police.uk street file"
COMMENTARY_SOURCE = "Analyst's commentary"
TRACKER_SOURCE = "Action plan tracker"
ONS_SOURCE = "ONS police force area data tables"
REJECTED_KEYS = {
    "rows_other_districts": "other districts",
    "rows_no_location": "no location",
    "rows_outside_months_read": "outside the months read",
}
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
HEADING = re.compile(r"^h[1-6]$")


def output_stem(plan: Plan) -> str:
    """File name stem of a quarter's documents, e.g. `ashworth-vale-2025-26-Q2`."""
    return plan.config.stem(plan.financial_year, plan.quarter)


def started_pdf_worker() -> PdfWorker:
    """The run's PDF worker: the one this process keeps, or a new one."""
    return kept_worker() or PdfWorker()


@lru_cache(maxsize=1)
def warm_exporters() -> None:
    """Import and first run what the exports use (nbconvert's HTML exporter, its template and
    the selectors it runs on the page, Beautiful Soup): about a second, spent while the report
    notebook finishes rather than after it. Writes nothing; once a process (the exporter it
    keeps is the calling thread's: another thread's first export compiles its own)."""
    import bs4  # noqa: F401

    committee_html(nbformat.v4.new_notebook(), "", "")


_EXPORTERS = threading.local()


def html_exporter(template: str) -> HTMLExporter:
    """nbconvert's HTML exporter for one of our templates (`committee`, `reviewer`), kept for
    the thread's next run: a new one compiles its Jinja templates again, which a force's worker
    would do for every partnership. One a thread, since each call sets the exporter's filters."""
    from nbconvert import HTMLExporter

    kept = _EXPORTERS.__dict__
    if template not in kept:
        kept[template] = HTMLExporter(
            extra_template_basedirs=[str(TEMPLATES)], template_name=template
        )
    return kept[template]


def committee_html(notebook: nbformat.NotebookNode, title: str, author: str = "") -> str:
    """The committee version: outputs only, in the committee template."""
    notebook.metadata["title"] = title
    notebook.metadata["author"] = author
    body, _ = html_exporter("committee").from_notebook_node(
        notebook,
        resources={
            "committee_css": COMMITTEE_CSS.read_text(encoding="utf-8"),
            "metadata": {"name": title},
        },
    )
    return body


# --- reviewer copy ------------------------------------------------------------------------------


def image_alt(output: nbformat.NotebookNode, where: str) -> str:
    """An image output's alt text: its own, its text form, or what and where it is."""
    given = output.get("metadata", {}).get("alt")
    if given:
        return given
    text = output.get("data", {}).get("text/plain", "")
    if text and not text.startswith("<"):  # `<Figure size ...>` describes nothing
        return text
    return f"Image output of {where}; the notebook gives no description of it."


def with_alt(output: nbformat.NotebookNode, where: str) -> nbformat.NotebookNode:
    """An image output shown as an `<img>` with alt text, unless it has HTML of its own."""
    data = output.get("data", {})
    image = next((kind for kind in IMAGE_TYPES if kind in data), None)
    if image is None or "text/html" in data:
        return output
    payload = data[image]
    if image == "image/svg+xml":
        payload = base64.b64encode(payload.encode("utf-8")).decode("ascii")
    source = f"data:{image};base64,{''.join(payload.split())}"
    data["text/html"] = (
        f'<img src="{html.escape(source)}" alt="{html.escape(image_alt(output, where))}">'
    )
    return output


def notebook_cells(notebook: nbformat.NotebookNode, name: str) -> list[nbformat.NotebookNode]:
    """A notebook's cells for the merged copy: title, its path, the rest; images given alt text."""
    for cell in notebook.cells:
        where = f"code cell [{cell.get('execution_count')}] of notebooks/{name}"
        for output in cell.get("outputs", []):
            with_alt(output, where)
    source = nbformat.v4.new_markdown_cell(f"Notebook `notebooks/{name}`, as run.")
    first = notebook.cells[0] if notebook.cells else None
    if first is not None and first.cell_type == "markdown" and first.source.startswith("#"):
        return [first, source, *notebook.cells[1:]]
    return [nbformat.v4.new_markdown_cell(f"# Notebook `notebooks/{name}`"), *notebook.cells]


def reviewer_notebook(folder: Path) -> nbformat.NotebookNode:
    """The three executed notebooks as one, each under its own title."""
    notebooks = [nbformat.read(folder / name, as_version=4) for name in NOTEBOOK_ORDER]
    merged = nbformat.v4.new_notebook(metadata=notebooks[0].metadata)
    for name, notebook in zip(NOTEBOOK_ORDER, notebooks, strict=True):
        merged.cells.extend(notebook_cells(notebook, name))
    for number, cell in enumerate(merged.cells, start=1):
        cell.id = f"cell-{number}"  # the same ids every run, so the same inputs give the same HTML
    return merged


def heading_level(heading: Tag) -> int:
    """The level of an `<h1>`..`<h6>` element."""
    return int(heading.name[1])


def nest_run(run: list[Tag], parent: int) -> None:
    """Move a run of output headings so that the highest sits one level below parent."""
    if not run:
        return
    shift = parent + 1 - min(heading_level(heading) for heading in run)
    for heading in run:
        heading.name = f"h{min(heading_level(heading) + shift, 6)}"


def nest_headings(page: str) -> str:
    """One h1: markdown headings one level down, each output's headings under the cell's heading."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, features="html.parser")
    nest_headings_in(soup)
    return str(soup)


def nest_headings_in(soup: BeautifulSoup) -> None:
    """nest_headings, on a parsed page."""
    parent, run = 1, []
    for heading in soup.find_all(HEADING):
        if heading.find_parent(class_="jp-MarkdownCell"):
            nest_run(run, parent)
            parent, run = min(heading_level(heading) + 1, 6), []
            heading.name = f"h{parent}"
        elif heading.find_parent(class_="jp-OutputArea-output"):
            run.append(heading)
    nest_run(run, parent)


def month_words(month: str | None) -> str:
    """`2025-07` as `July 2025`."""
    return UNDEFINED if not month else format_month(month)


def month_span(first: str | None, last: str | None) -> str:
    """The months an input covers: `July 2025`, or `April 2022 to March 2026`."""
    if not first or first == last:
        return month_words(first)
    return f"{month_words(first)} to {month_words(last)}"


def rejected_words(reasons: dict[str, int]) -> str:
    """Why rows were rejected: `1,200 other districts; 34 no location`, `none`, or `-`."""
    if not reasons:
        return UNDEFINED
    return "; ".join(f"{format_count(n)} {why}" for why, n in reasons.items() if n) or "none"


def utc_words(moment: str | None) -> str:
    """An ISO time as `2025-11-21 11:25:51 UTC`."""
    if not moment:
        return UNDEFINED
    return f"{datetime.fromisoformat(moment).astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


@lru_cache(maxsize=1)
def reviewer_environment() -> Environment:
    """The reviewer panel's Jinja templates, escaping every value."""
    environment = Environment(
        loader=FileSystemLoader(REVIEWER_TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters |= {
        "count": format_count,
        "month_span": month_span,
        "rejected_words": rejected_words,
        "utc_words": utc_words,
    }
    return environment


def provenance_html(record: dict) -> Markup:
    """The reviewer copy's provenance panel, as escaped HTML tables."""
    template = reviewer_environment().get_template("provenance.html.j2")
    return Markup(template.render(provenance=record))


def reviewer_html(folder: Path, title: str, record: dict) -> str:
    """The reviewer version: the run's provenance, then every notebook with code and outputs."""
    body, _ = html_exporter("reviewer").from_notebook_node(
        reviewer_notebook(folder),
        resources={
            "metadata": {"name": f"Reviewer copy: {title}"},
            "provenance_html": provenance_html(record),
        },
    )
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(body, features="html.parser")  # parsed once, for both
    nest_headings_in(soup)
    add_contents(soup)
    return str(soup)


def heading_text(heading: Tag) -> str:
    """A heading's words, without the anchor link (`¶`) nbconvert adds."""
    return " ".join(heading.get_text(" ").replace("¶", " ").split())


def with_contents(page: str) -> str:
    """The reviewer copy with a contents list under its title: the provenance, then each
    notebook's headings (its markdown's, not those of the outputs shown)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, features="html.parser")
    add_contents(soup)
    return str(soup)


def add_contents(soup: BeautifulSoup) -> None:
    """with_contents, on a parsed page (one with no reviewer title is left as it is)."""
    title = soup.find("h1", class_="reviewer-title")
    if title is None:
        return
    entries: list[tuple[Tag, list[Tag]]] = []
    for heading in soup.find_all(["h2", "h3"]):
        if not heading.get("id"):
            continue
        if heading["id"] != "provenance" and not heading.find_parent(class_="jp-MarkdownCell"):
            continue
        if heading.name == "h2" or not entries:
            entries.append((heading, []))
        else:
            entries[-1][1].append(heading)
    nav = soup.new_tag("nav", attrs={"class": "reviewer-contents"})
    nav["aria-labelledby"] = "reviewer-contents-heading"
    label = soup.new_tag("h2", id="reviewer-contents-heading")
    label.string = "Contents"
    nav.append(label)
    nav.append(contents_list(soup, entries))
    title.insert_after(nav)


def contents_list(soup, entries: list[tuple[Tag, list[Tag]]]) -> Tag:
    """A list of links to headings (numbered as they are), each with those under it."""
    listed = soup.new_tag("ul")
    for heading, children in entries:
        item = soup.new_tag("li")
        link = soup.new_tag("a", href=f"#{heading['id']}")
        link.string = heading_text(heading)
        item.append(link)
        if children:
            item.append(contents_list(soup, [(child, []) for child in children]))
        listed.append(item)
    return listed


def export_committee(
    plan: Plan, folder: Path, pdf: PdfWorker, say: Callable[[str], None] = lambda message: None
) -> float:
    """Write the committee HTML from notebook 03 and start the PDF rendering in the worker;
    return when the rendering started (`time.perf_counter`). Needs notebook 03 only."""
    title = report_title(plan.config.district, plan.year.label, plan.quarter)
    stem = output_stem(plan)
    clock = time.perf_counter()
    report = nbformat.read(folder / "03_report.ipynb", as_version=4)
    html_text = committee_html(report, title, plan.config.committee.council or "")
    html_file = folder / f"{stem}-committee-report.html"
    html_file.write_text(html_text, encoding="utf-8")
    say(f"finished the committee HTML in {time.perf_counter() - clock:.1f} s")
    clock = time.perf_counter()
    pdf.render(html_file, folder / f"{stem}-committee-report.pdf")
    return clock


def export_rest(
    plan: Plan,
    folder: Path,
    started: float,
    pdf: PdfWorker,
    rendering_since: float,
    say: Callable[[str], None] = lambda message: None,
) -> dict:
    """Write the committee Word copy and the reviewer HTML (every notebook) while the PDF
    renders, wait for the PDF, and return the run's provenance."""
    title = report_title(plan.config.district, plan.year.label, plan.quarter)
    stem = output_stem(plan)
    clock = time.perf_counter()
    html_text = (folder / f"{stem}-committee-report.html").read_text(encoding="utf-8")
    author = plan.config.committee.council or ""
    fixed_time = source_date_epoch()
    moment = datetime.fromtimestamp(time.time() if fixed_time is None else fixed_time, UTC)
    committee_docx(html_text, folder / f"{stem}-committee-report.docx", title, author, moment)
    say(f"finished the committee Word copy in {time.perf_counter() - clock:.1f} s")
    clock = time.perf_counter()
    record = provenance(plan, folder, started, time.time())
    reviewer = reviewer_html(folder, title, record)
    (folder / f"{stem}-reviewer.html").write_text(reviewer, encoding="utf-8")
    say(f"finished the reviewer HTML in {time.perf_counter() - clock:.1f} s")
    pdf.wait()
    say(f"finished the committee PDF in {time.perf_counter() - rendering_since:.1f} s")
    return record


# --- provenance ---------------------------------------------------------------------------------


def commit_label(commit: str, dirty: bool) -> str:
    """The commit, marked when the work tree differs from it."""
    return f"{commit} (uncommitted changes)" if dirty else commit


def git_output(root: Path, *arguments: str) -> str:
    """What a git command prints in root."""
    return subprocess.run(
        ["git", *arguments], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()


def git_commit(root: Path = PROJECT_ROOT) -> str:
    """The commit of root's checkout, marked when files (tracked or new) are uncommitted."""
    try:
        commit = git_output(root, "rev-parse", "HEAD")
        changes = git_output(root, "status", "--porcelain")
    except (OSError, subprocess.CalledProcessError):
        return NOT_A_CHECKOUT
    return commit_label(commit, bool(changes))


def package_versions() -> dict[str, str]:
    """Versions of the packages that shape the figures and documents."""
    return {name: metadata.version(name) for name in REPORTED_PACKAGES}


def rejected_reasons(item: dict) -> dict[str, int]:
    """An input's rows read but not used, by reason, as the ingest recorded them."""
    return {why: item[key] for key, why in REJECTED_KEYS.items() if key in item}


def input_record(item: dict, source: str, root: Path) -> dict:
    """One input file from the ingest summary: what it is, its months, rows read, kept, rejected."""
    kept = item.get("rows_kept")
    return {
        "path": project_path(Path(item["path"]), root),
        "source": source,
        "size_bytes": item["size_bytes"],
        "sha256": item["sha256"],
        "first_month": item.get("first_month", item.get("month")),
        "last_month": item.get("last_month", item.get("month")),
        "rows_read": item["rows"],
        "rows_kept": kept,
        "rows_rejected": None if kept is None else item["rows"] - kept,
        "rejected_because": rejected_reasons(item),
    }


def plain_input_record(path: Path, source: str, root: Path) -> dict:
    """An input with no months or rows to count, such as the analyst's commentary."""
    return {
        "path": project_path(path, root),
        "source": source,
        "size_bytes": path.stat().st_size,
        "sha256": sha256_of(path),
        "first_month": None,
        "last_month": None,
        "rows_read": None,
        "rows_kept": None,
        "rows_rejected": None,
        "rejected_because": {},
    }


def input_records(plan: Plan, summary: IngestSummary, root: Path) -> list[dict]:
    """Every input the quarter read: force extract files, police.uk files, the commentary, the
    tracker (its workbook, or each CSV file), the ONS tables."""
    extract_files = summary.force_extract.files if summary.force_extract else []
    records = [input_record(item, EXTRACT_SOURCES[item["kind"]], root) for item in extract_files]
    records += [input_record(item, POLICE_UK_SOURCE, root) for item in summary.files]
    commentary = Path(plan.commentary or "")
    if commentary.name and commentary.is_file():
        records.append(plain_input_record(commentary, COMMENTARY_SOURCE, root))
    records += [plain_input_record(Path(path), TRACKER_SOURCE, root) for path in plan.tracker]
    records += [plain_input_record(Path(path), ONS_SOURCE, root) for path in plan.ons_tables]
    return records


def notebook_runs(folder: Path, fixed_time: int | None = None) -> list[dict]:
    """When each executed notebook started and how long it ran, from papermill's record."""
    runs = []
    for name in NOTEBOOK_ORDER:
        papermill = nbformat.read(folder / name, as_version=4).metadata.get("papermill", {})
        duration = papermill.get("duration")
        runs.append(
            {
                "notebook": f"notebooks/{name}",
                "started": papermill.get("start_time")
                if fixed_time is None
                else utc_iso(fixed_time),
                "seconds": None if duration is None or fixed_time else round(duration, 1),
            }
        )
    return runs


def utc_iso(seconds: float) -> str:
    """A `time.time()` value as an ISO 8601 UTC time to the second."""
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat(timespec="seconds")


def provenance(
    plan: Plan, folder: Path, started: float, finished: float, root: Path = PROJECT_ROOT
) -> dict:
    """Inputs, parameters, config, code, packages and timings: the panel's and manifest's facts."""
    summary = load_summary(Path(plan.processed_dir))
    config = Path(plan.config_path)
    fixed_time = source_date_epoch()
    return {
        "parameters": {"financial_year": plan.financial_year, "quarter": plan.quarter},
        "config": project_path(config, root),
        "config_sha256": sha256_of(config),
        "inputs": input_records(plan, summary, root),
        "git_commit": git_commit(root),
        "python": platform.python_version(),
        "packages": package_versions(),
        "run_started": utc_iso(started if fixed_time is None else fixed_time),
        "run_seconds": round(finished - started, 1) if fixed_time is None else None,
        "source_date_epoch": fixed_time,
        "notebooks": notebook_runs(folder, fixed_time),
        "ingest": summary.as_json(),
    }


def file_record(path: Path) -> dict:
    """Name, size and SHA-256 of an output file."""
    return {
        "path": path.name if path.parent.name != "tables" else f"tables/{path.name}",
        "size_bytes": path.stat().st_size,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }


def write_manifest(folder: Path, record: dict) -> Path:
    """Write the run's provenance and every output's size and SHA-256 to manifest.json."""
    outputs = sorted(p for p in folder.rglob("*") if p.is_file())
    manifest = record | {"outputs": [file_record(path) for path in outputs]}
    path = folder / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return path
