"""Exports of an executed quarter: committee HTML and PDF, reviewer HTML, manifest."""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from importlib import metadata
from pathlib import Path

import nbformat

from pipeline.ingest import SUMMARY_FILE
from pipeline.paths import PROJECT_ROOT, TEMPLATES
from pipeline.report import report_title

COMMITTEE_CSS = TEMPLATES / "committee" / "committee.css"
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
)


def output_stem(plan) -> str:
    """File name stem of a quarter's documents, e.g. `ashworth-vale-2025-26-Q2`."""
    return f"{plan.config.slug}-{plan.financial_year}-Q{plan.quarter}"


def committee_html(notebook: nbformat.NotebookNode, title: str) -> str:
    """The committee version: outputs only, in the committee template."""
    from nbconvert import HTMLExporter

    notebook.metadata["title"] = title
    exporter = HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="committee")
    body, _ = exporter.from_notebook_node(
        notebook,
        resources={
            "committee_css": COMMITTEE_CSS.read_text(encoding="utf-8"),
            "metadata": {"name": title},
        },
    )
    return body


def committee_pdf(html: str, target: Path) -> None:
    """A tagged A4 PDF of the committee HTML."""
    from weasyprint import HTML

    HTML(string=html, base_url=str(TEMPLATES)).write_pdf(target, pdf_variant="pdf/ua-1")


def reviewer_notebook(folder: Path) -> nbformat.NotebookNode:
    """The three executed notebooks as one, each under its own heading."""
    notebooks = [nbformat.read(folder / name, as_version=4) for name in NOTEBOOK_ORDER]
    merged = nbformat.v4.new_notebook(metadata=notebooks[0].metadata)
    for name, notebook in zip(NOTEBOOK_ORDER, notebooks, strict=True):
        merged.cells.append(nbformat.v4.new_markdown_cell(f"# Notebook `notebooks/{name}`"))
        merged.cells.extend(notebook.cells)
    return merged


def reviewer_html(folder: Path, title: str) -> str:
    """The reviewer version: every notebook with its code and outputs."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(
        reviewer_notebook(folder), resources={"metadata": {"name": f"Reviewer copy: {title}"}}
    )
    return body.replace('<html lang="en">', '<html lang="en-GB">', 1)


def export_all(plan, folder: Path) -> list[Path]:
    """Write the committee HTML and PDF and the reviewer HTML into folder."""
    title = report_title(plan.config, plan.year, plan.quarter)
    stem = output_stem(plan)
    report = nbformat.read(folder / "03_report.ipynb", as_version=4)
    html = committee_html(report, title)
    html_path = folder / f"{stem}-committee-report.html"
    html_path.write_text(html, encoding="utf-8")
    pdf_path = folder / f"{stem}-committee-report.pdf"
    committee_pdf(html, pdf_path)
    reviewer_path = folder / f"{stem}-reviewer.html"
    reviewer_path.write_text(reviewer_html(folder, title), encoding="utf-8")
    return [html_path, pdf_path, reviewer_path]


def git_commit() -> str:
    """The project's commit, marked when the work tree has uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{commit} (uncommitted changes)" if dirty else commit


def package_versions() -> dict[str, str]:
    """Versions of the packages that shape the figures and documents."""
    return {name: metadata.version(name) for name in REPORTED_PACKAGES}


def file_record(path: Path) -> dict:
    """Name, size and SHA-256 of an output file."""
    return {
        "path": path.name if path.parent.name != "tables" else f"tables/{path.name}",
        "size_bytes": path.stat().st_size,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }


def write_manifest(plan, folder: Path, started: float) -> Path:
    """Record inputs, parameters, config, code version and outputs in manifest.json."""
    ingest = json.loads((Path(plan.processed_dir) / SUMMARY_FILE).read_text(encoding="utf-8"))
    outputs = sorted(p for p in folder.rglob("*") if p.is_file())
    manifest = {
        "parameters": {"financial_year": plan.financial_year, "quarter": plan.quarter},
        "config": plan.config_path,
        "git_commit": git_commit(),
        "packages": package_versions(),
        "run_seconds": round(time.time() - started, 1),
        "ingest": ingest,
        "outputs": [file_record(path) for path in outputs],
    }
    path = folder / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return path
