"""The reviewer copy and its provenance: the record, the panel, the merged copy, the manifest."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from bs4 import BeautifulSoup

from pipeline.ingest_summary import SUMMARY_FILE
from pipeline.paths import TEMPLATES
from pipeline.publish import (
    NOTEBOOK_ORDER,
    commit_label,
    git_commit,
    image_alt,
    month_span,
    nest_headings,
    provenance,
    provenance_html,
    rejected_words,
    reviewer_html,
    utc_words,
    with_alt,
    with_contents,
    write_manifest,
)

NBCONVERT_ALT = "No description has been provided for this image"
ONE_PIXEL_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
STARTED = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC


def write(path: Path, text: str) -> Path:
    """Write text to path, making its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def small_summary(root: Path, elsewhere: Path) -> dict:
    """An ingest summary: a crimes extract and a police.uk file in the project, ASB outside it."""
    return {
        "district": "Testville",
        "force": "Testshire Police",
        "force_as_configured": "Testshire Police",
        "financial_year": "2025-26",
        "quarter": 2,
        "sources": ["force_extract", "police_uk"],
        "selection": "LSOAs named Testville",
        "police_uk_folder": str(root / "data" / "raw" / "police-uk"),
        "months": ["2025-07"],
        "chart_months": ["2025-07"],
        "chart_months_unavailable": {},
        "missing_months_accepted": [],
        "short_months_accepted": [],
        "unavailable_months": {},
        "police_uk_months_read": ["2025-07"],
        "rows_read": 10,
        "rows_kept_district": 6,
        "rows_no_location": 1,
        "rows_other_districts": 3,
        "rows_reported_by_other_forces": 0,
        "warnings": [],
        "files": [
            {
                "path": str(root / "data" / "raw" / "police-uk" / "2025-07-testshire-street.csv"),
                "month": "2025-07",
                "size_bytes": 1500,
                "sha256": "b" * 64,
                "rows": 10,
                "first_month": "2025-07",
                "last_month": "2025-07",
                "rows_kept": 6,
                "rows_no_location": 1,
                "rows_other_districts": 3,
            }
        ],
        "force_extract": {
            "files": [
                {
                    "path": str(root / "data" / "raw" / "crimes.csv"),
                    "kind": "crimes",
                    "size_bytes": 2589163,
                    "sha256": "a" * 64,
                    "rows": 27,
                    "first_date": "2022-05-01",
                    "last_date": "2025-09-15",
                    "first_month": "2022-05",
                    "last_month": "2025-09",
                    "rows_kept": 25,
                    "rows_outside_months_read": 2,
                },
                {
                    "path": str(elsewhere / "asb.csv"),
                    "kind": "asb",
                    "size_bytes": 900,
                    "sha256": "c" * 64,
                    "rows": 24,
                    "first_date": "2023-10-15",
                    "last_date": "2025-09-15",
                    "first_month": "2023-10",
                    "last_month": "2025-09",
                    "rows_kept": 24,
                    "rows_outside_months_read": 0,
                },
            ],
            "crimes_read": 27,
            "crimes_kept": 25,
            "asb_read": 24,
            "asb_kept": 24,
        },
    }


def write_notebooks(folder: Path, cells_for: dict[str, list] | None = None) -> Path:
    """The three executed notebooks, tiny, each with papermill's start time and duration."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, name in enumerate(NOTEBOOK_ORDER, start=1):
        notebook = nbformat.v4.new_notebook(
            metadata={
                "papermill": {
                    "start_time": f"2025-11-21T10:0{number}:00.250000+00:00",
                    "duration": number + 0.26,
                },
                "language_info": {"name": "python", "pygments_lexer": "ipython3"},
            }
        )
        notebook.cells = (cells_for or {}).get(name, [])
        nbformat.write(notebook, folder / name)
    return folder


@pytest.fixture
def project(tmp_path: Path) -> SimpleNamespace:
    """A project folder with a config, a commentary file and an ingest summary; a plan for it."""
    root, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    config = write(root / "config" / "test.yaml", "district: Testville\n")
    commentary = root / "config" / "commentary" / "testville-2025-26-Q2.yaml"
    write(commentary, "details: []\n")
    processed = root / "data" / "processed"
    write(processed / SUMMARY_FILE, json.dumps(small_summary(root, elsewhere)))
    plan = SimpleNamespace(
        config_path=str(config),
        financial_year="2025-26",
        quarter=2,
        processed_dir=str(processed),
        commentary=str(commentary),
        tracker=[],
        ons_tables=[],
    )
    folder = write_notebooks(root / "outputs" / "Q2")
    return SimpleNamespace(root=root, elsewhere=elsewhere, plan=plan, folder=folder)


def test_provenance_lists_inputs_with_rows_rejected_and_project_relative_paths(project):
    record = provenance(project.plan, project.folder, STARTED, STARTED + 12.34, root=project.root)
    assert record["inputs"] == [
        {
            "path": "data/raw/crimes.csv",
            "source": "Force extract: crimes",
            "size_bytes": 2589163,
            "sha256": "a" * 64,
            "first_month": "2022-05",
            "last_month": "2025-09",
            "rows_read": 27,
            "rows_kept": 25,
            "rows_rejected": 2,  # 27 read - 25 kept
            "rejected_because": {"outside the months read": 2},
        },
        {
            "path": str(project.elsewhere / "asb.csv"),  # outside the project: as given
            "source": "Force extract: ASB incidents",
            "size_bytes": 900,
            "sha256": "c" * 64,
            "first_month": "2023-10",
            "last_month": "2025-09",
            "rows_read": 24,
            "rows_kept": 24,
            "rows_rejected": 0,
            "rejected_because": {"outside the months read": 0},
        },
        {
            "path": "data/raw/police-uk/2025-07-testshire-street.csv",
            "source": "data.police.uk street file",
            "size_bytes": 1500,
            "sha256": "b" * 64,
            "first_month": "2025-07",
            "last_month": "2025-07",
            "rows_read": 10,
            "rows_kept": 6,
            "rows_rejected": 4,  # 3 in other districts + 1 with no location
            "rejected_because": {"other districts": 3, "no location": 1},
        },
        {
            "path": "config/commentary/testville-2025-26-Q2.yaml",
            "source": "Analyst's commentary",
            "size_bytes": len("details: []\n"),
            "sha256": hashlib.sha256(b"details: []\n").hexdigest(),
            "first_month": None,
            "last_month": None,
            "rows_read": None,
            "rows_kept": None,
            "rows_rejected": None,
            "rejected_because": {},
        },
    ]


def test_the_tracker_and_ons_tables_are_listed_after_the_commentary(project):
    import hashlib

    tracker = write(project.root / "data" / "raw" / "tracker.xlsx", "the tracker")
    workbook = write(project.root / "data" / "raw" / "ons" / "tables.xlsx", "a workbook")
    project.plan.tracker = [str(tracker)]
    project.plan.ons_tables = [str(workbook)]
    record = provenance(project.plan, project.folder, STARTED, STARTED + 1, root=project.root)
    assert [(item["path"], item["source"]) for item in record["inputs"][-3:-1]] == [
        ("config/commentary/testville-2025-26-Q2.yaml", "Analyst's commentary"),
        ("data/raw/tracker.xlsx", "Action plan tracker"),
    ]
    assert record["inputs"][-1] == {
        "path": "data/raw/ons/tables.xlsx",
        "source": "ONS police force area data tables",
        "size_bytes": 10,
        "sha256": hashlib.sha256(b"a workbook").hexdigest(),
        "first_month": None,
        "last_month": None,
        "rows_read": None,
        "rows_kept": None,
        "rows_rejected": None,
        "rejected_because": {},
    }


def test_provenance_records_parameters_config_code_and_times(project):
    record = provenance(project.plan, project.folder, STARTED, STARTED + 12.34, root=project.root)
    assert record["parameters"] == {"financial_year": "2025-26", "quarter": 2}
    assert record["config"] == "config/test.yaml"
    assert record["config_sha256"] == hashlib.sha256(b"district: Testville\n").hexdigest()
    assert record["git_commit"] == "unknown (not a git checkout)"
    assert record["run_started"] == "2023-11-14T22:13:20+00:00"
    assert record["run_seconds"] == 12.3
    assert record["notebooks"] == [
        {
            "notebook": "notebooks/01_ingest.ipynb",
            "started": "2025-11-21T10:01:00.250000+00:00",
            "seconds": 1.3,
        },
        {
            "notebook": "notebooks/02_analysis.ipynb",
            "started": "2025-11-21T10:02:00.250000+00:00",
            "seconds": 2.3,
        },
        {
            "notebook": "notebooks/03_report.ipynb",
            "started": "2025-11-21T10:03:00.250000+00:00",
            "seconds": 3.3,
        },
    ]
    assert {"pandas", "nbconvert", "papermill"} <= set(record["packages"])
    assert re.fullmatch(r"3\.\d+\.\d+", record["python"])
    assert record["ingest"]["force_extract"]["files"][0]["rows_kept"] == 25


def test_a_quarter_without_commentary_lists_only_the_data_files(project):
    Path(project.plan.commentary).unlink()
    record = provenance(project.plan, project.folder, STARTED, STARTED, root=project.root)
    assert [item["source"] for item in record["inputs"]] == [
        "Force extract: crimes",
        "Force extract: ASB incidents",
        "data.police.uk street file",
    ]


def test_commit_label_marks_uncommitted_changes():
    assert commit_label("0123abc", dirty=False) == "0123abc"
    assert commit_label("0123abc", dirty=True) == "0123abc (uncommitted changes)"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_commit_of_a_checkout_notes_changed_and_new_files(tmp_path):
    def git(*arguments: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *arguments], check=True, capture_output=True)

    git("init", "--quiet")
    write(tmp_path / "code.py", "x = 1\n")
    git("add", "code.py")
    git("-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-qm", "one")
    clean = git_commit(tmp_path)
    assert re.fullmatch(r"[0-9a-f]{40}", clean)
    write(tmp_path / "code.py", "x = 2\n")
    assert git_commit(tmp_path) == f"{clean} (uncommitted changes)"
    git("checkout", "--", "code.py")
    write(tmp_path / "new.py", "y = 1\n")
    assert git_commit(tmp_path) == f"{clean} (uncommitted changes)"


def test_provenance_words_read_as_a_reviewer_would():
    assert month_span("2025-07", "2025-07") == "July 2025"
    assert month_span("2022-04", "2026-03") == "April 2022 to March 2026"
    assert month_span(None, None) == "-"
    assert rejected_words({"other districts": 1200, "no location": 34}) == (
        "1,200 other districts; 34 no location"
    )
    assert rejected_words({"outside the months read": 0}) == "none"
    assert rejected_words({}) == "-"
    assert utc_words("2026-11-21T11:25:51.208011+00:00") == "2026-11-21 11:25:51 UTC"
    assert utc_words("2025-07-01T12:00:00+01:00") == "2025-07-01 11:00:00 UTC"


def panel_record(path: str = "data/raw/crimes.csv") -> dict:
    """A complete provenance record, written by hand, with one input at path."""
    return {
        "parameters": {"financial_year": "2025-26", "quarter": 2},
        "config": "config/test.yaml",
        "config_sha256": "d" * 64,
        "inputs": [
            {
                "path": path,
                "source": "Force extract: crimes",
                "size_bytes": 2589163,
                "sha256": "a" * 64,
                "first_month": "2022-04",
                "last_month": "2026-03",
                "rows_read": 20564,
                "rows_kept": 10703,
                "rows_rejected": 9861,
                "rejected_because": {"outside the months read": 9861},
            }
        ],
        "git_commit": "0123abc (uncommitted changes)",
        "python": "3.11.7",
        "packages": {"pandas": "3.1.1"},
        "run_started": "2023-11-14T22:13:20+00:00",
        "run_seconds": 12.3,
        "notebooks": [
            {"notebook": "notebooks/01_ingest.ipynb", "started": None, "seconds": None},
        ],
        "ingest": {},
    }


def test_panel_lists_the_checks_findings_and_warnings_escaped():
    record = panel_record(path="crimes.csv")
    record["ingest"] = {
        "force": "Derbyshire Constabulary",
        "force_as_configured": "Derbyshire",
        "missing_months_accepted": ["2023-11"],
        "short_months_accepted": ["2024-05"],
        "unavailable_months": {"police_uk_crimes": ["2023-11", "2024-05"]},
        "rows_reported_by_other_forces": 1234,
        "warnings": ["a <b>warning</b> about May"],
    }
    html = str(provenance_html(record))
    assert "Derbyshire Constabulary (the config says Derbyshire)" in html
    assert "<td>2023-11</td>" in html and "<td>2024-05</td>" in html
    assert "<code>police_uk_crimes</code></th><td>2023-11, 2024-05</td>" in html
    assert '<td class="number">1,234</td>' in html
    assert "<li>a &lt;b&gt;warning&lt;/b&gt; about May</li>" in html


def test_panel_is_captioned_tables_with_escaped_values():
    html = str(provenance_html(panel_record(path="<script>alert(1)</script>.csv")))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.csv" in html and "<script>" not in html
    assert html.count("<table") == html.count("<caption>") == 5
    assert '<th scope="col">Rows rejected</th>' in html
    assert "<caption>What the checks of the inputs found</caption>" in html
    assert "The ingest gave no warnings." in html
    assert '<td class="number">2,589,163</td>' in html
    assert '<td class="number">9,861</td>' in html
    assert "9,861 outside the months read" in html
    assert "April 2022 to March 2026" in html
    assert "0123abc (uncommitted changes)" in html
    assert "2023-11-14 22:13:20 UTC" in html
    assert "Rows rejected were read but are not counted" in html


def code_cell(source: str, outputs: list, count: int) -> nbformat.NotebookNode:
    """An executed code cell."""
    cell = nbformat.v4.new_code_cell(source, execution_count=count)
    cell.outputs = outputs
    return cell


def reviewer_folder(folder: Path) -> Path:
    """Three tiny notebooks: titles, a subheading, a report output with headings, a bare image."""
    cells = {}
    for number, name in enumerate(NOTEBOOK_ORDER, start=1):
        report = nbformat.v4.new_output(
            "display_data",
            data={"text/html": "<h1>Report</h1><h2>Part</h2>", "text/plain": "report"},
        )
        image = nbformat.v4.new_output(
            "display_data",
            data={"image/png": ONE_PIXEL_PNG, "text/plain": "<Figure size 10x10 with 1 Axes>"},
        )
        cells[name] = [
            nbformat.v4.new_markdown_cell(f"# Notebook {number}\n\nWhat it does."),
            nbformat.v4.new_markdown_cell("## Part of it"),
            code_cell("show_report()", [report, image], count=number),
        ]
    return write_notebooks(folder, cells)


def heading_levels(page: str) -> list[int]:
    """The levels of a page's headings, in order."""
    return [int(level) for level in re.findall(r"<h([1-6])\b", page)]


def test_reviewer_html_is_british_english_with_one_h1_headings_in_order_and_real_alt(tmp_path):
    page = reviewer_html(reviewer_folder(tmp_path / "q"), "Testville & co", panel_record())
    assert '<html lang="en-GB">' in page
    assert "<title>Reviewer copy: Testville &amp; co</title>" in page
    # h1 title; h2 Contents; h2 Provenance; per notebook: its title h2, its subheading h3, and
    # the report output's h1 and h2 nested under that subheading as h4 and h5.
    assert heading_levels(page) == [1, 2, 2] + [2, 3, 4, 5] * 3
    assert NBCONVERT_ALT not in page
    alts = re.findall(r'<img [^>]*alt="([^"]*)"', page)
    assert len(alts) == page.count("<img") == 3
    assert all("code cell [" in alt for alt in alts)
    assert "show_report" in page and "Notebook <code>notebooks/02_analysis.ipynb</code>" in page
    assert "cdnjs" not in page and "<script src" not in page  # nothing fetched from the network


def test_output_headings_nest_under_the_cell_heading_before_them():
    page = (
        '<h1>Copy</h1><div class="jp-MarkdownCell"><h1>Notebook</h1></div>'
        '<div class="jp-OutputArea-output"><h3>Table</h3><h4>Note</h4></div>'
        '<div class="jp-MarkdownCell"><h2>Next</h2></div>'
        '<div class="jp-OutputArea-output"><h1>Report</h1></div>'
    )
    assert heading_levels(nest_headings(page)) == [1, 2, 3, 4, 3, 4]


def test_images_get_their_own_alt_their_text_or_a_description_of_the_cell():
    def png(**extra) -> nbformat.NotebookNode:
        return nbformat.v4.new_output("display_data", data={"image/png": ONE_PIXEL_PNG}, **extra)

    given = png(metadata={"alt": "Bar chart of burglary by month"})
    assert image_alt(given, "cell") == "Bar chart of burglary by month"
    described = png()
    described.data["text/plain"] = "Line chart of ASB, 2024 to 2025"
    assert image_alt(described, "cell") == "Line chart of ASB, 2024 to 2025"
    bare = png()
    bare.data["text/plain"] = "<Figure size 640x480 with 1 Axes>"
    html = with_alt(bare, "code cell [3] of notebooks/02_analysis.ipynb").data["text/html"]
    assert html.startswith('<img src="data:image/png;base64,iVBOR')
    assert 'alt="Image output of code cell [3] of notebooks/02_analysis.ipynb;' in html


def test_an_output_with_html_of_its_own_is_left_alone():
    output = nbformat.v4.new_output(
        "display_data", data={"image/png": ONE_PIXEL_PNG, "text/html": '<img alt="A chart">'}
    )
    assert with_alt(output, "cell").data["text/html"] == '<img alt="A chart">'


def hex_luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two colours."""
    light, dark = sorted([hex_luminance(foreground), hex_luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_matches_known_ratios():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the AA grey


def test_reviewer_colours_meet_aa_contrast_on_their_backgrounds():
    css = (TEMPLATES / "reviewer" / "reviewer.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-f]{6});", css))
    code = colours["--jp-cell-editor-background"]
    page = colours["--jp-layout-color0"]
    code_colours = [name for name in colours if name.startswith("--jp-mirror-editor-")]
    assert len(code_colours) >= 8
    pairs = [(name, code) for name in code_colours] + [
        (name, page)
        for name in (
            "--jp-cell-inprompt-font-color",
            "--jp-cell-outprompt-font-color",
            "--jp-cell-prompt-not-active-font-color",
            "--jp-content-font-color1",
            "--jp-content-font-color2",
            "--jp-content-link-color",
            "--reviewer-text",
            "--reviewer-heading",
        )
    ]
    pairs.append(("--reviewer-text", colours["--reviewer-table-head"]))
    failing = {
        name: round(contrast(colours[name], background), 2)
        for name, background in pairs
        if contrast(colours[name], background) < 4.5
    }
    assert not failing
    assert "--jp-cell-prompt-not-active-opacity: 1;" in css


def test_manifest_is_the_provenance_plus_every_output(tmp_path):
    write(tmp_path / "report.html", "abc")
    write(tmp_path / "tables" / "performance_quarter.csv", "")
    record = {"parameters": {"financial_year": "2025-26", "quarter": 2}, "git_commit": "0123abc"}
    manifest = json.loads(write_manifest(tmp_path, record).read_text(encoding="utf-8"))
    assert manifest == record | {
        "outputs": [
            {
                "path": "report.html",
                "size_bytes": 3,
                "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            },
            {
                "path": "tables/performance_quarter.csv",
                "size_bytes": 0,
                "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            },
        ]
    }


def test_folders_left_by_stopped_runs_are_cleared_and_set_aside_outputs_put_back(tmp_path):
    from pipeline.run import clear_debris

    target = tmp_path / "Q2"
    dead = subprocess.Popen(["true"])
    dead.wait()  # a process id that no longer runs
    stale = tmp_path / f".Q2.building-{dead.pid}"
    live = tmp_path / f".Q2.building-{os.getpid()}"  # this process: a run in progress
    set_aside = tmp_path / f".Q2.old-{dead.pid}"
    other = tmp_path / ".Q3.building-1"  # another quarter's: not this target's to touch
    for folder in (stale, live, set_aside, other):
        folder.mkdir()
    (set_aside / "manifest.json").write_text("{}")
    clear_debris(target)
    assert not stale.exists()
    assert live.exists() and other.exists()
    assert (target / "manifest.json").exists()  # the earlier outputs are back in place
    assert not set_aside.exists()


def test_the_reviewer_copy_lists_its_contents_under_its_title():
    page = (
        '<main><h1 class="reviewer-title">Reviewer copy</h1>'
        '<section class="provenance"><h2 id="provenance">Provenance</h2></section>'
        '<div class="jp-MarkdownCell"><h2 id="one">1. Ingest<a class="anchor-link">¶</a></h2></div>'
        '<div class="jp-MarkdownCell"><h3 id="read">What was read</h3></div>'
        '<div class="jp-OutputArea-output"><h3 id="shown">A heading in an output</h3></div>'
        '<div class="jp-MarkdownCell"><h2 id="two">2. Analysis</h2></div></main>'
    )
    soup = BeautifulSoup(with_contents(page), "html.parser")
    nav = soup.find("nav", class_="reviewer-contents")
    assert nav.find_previous_sibling("h1") is not None  # right under the title
    top = nav.find("ul").find_all("li", recursive=False)
    assert [item.a.get_text() for item in top] == ["Provenance", "1. Ingest", "2. Analysis"]
    assert [item.a["href"] for item in top] == ["#provenance", "#one", "#two"]
    assert [link.get_text() for link in top[1].find("ul").find_all("a")] == ["What was read"]
    assert "A heading in an output" not in nav.get_text()


def test_a_kept_exporter_renders_a_second_notebook_as_a_new_one_would():
    """committee_html keeps its exporter for the thread's next run (a force's next partnership):
    what it gives for a second notebook is what a new exporter gives."""
    from nbconvert import HTMLExporter

    from pipeline import publish

    def notebook(words: str) -> nbformat.NotebookNode:
        return nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_markdown_cell(f"## {words}\n\nThe figures for {words}.")]
        )

    publish.committee_html(notebook("Ashworth Vale"), "First", "A")
    kept = publish.committee_html(notebook("Saltmere"), "Second", "B")
    second = notebook("Saltmere")
    second.metadata |= {"title": "Second", "author": "B"}
    new, _ = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES)], template_name="committee"
    ).from_notebook_node(
        second,
        resources={
            "committee_css": publish.COMMITTEE_CSS.read_text(encoding="utf-8"),
            "metadata": {"name": "Second"},
        },
    )
    assert kept == new
    assert "Saltmere" in kept and "Ashworth Vale" not in kept
    assert publish.html_exporter("committee") is publish.html_exporter("committee")  # kept
    with ThreadPoolExecutor(max_workers=1) as other:  # another thread's is its own
        assert other.submit(publish.html_exporter, "committee").result() is not (
            publish.html_exporter("committee")
        )
