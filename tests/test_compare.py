"""`make compare`: what it counts as the same output, on small folders built here."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from pipeline.compare import compare_quarters, compare_samples


def quarter(folder: Path, csv: str, html: str = "<p>Crime fell</p>") -> Path:
    """A published quarter's shape: committee HTML, a reviewer copy and a table."""
    (folder / "tables").mkdir(parents=True)
    (folder / "x-committee-report.html").write_text(html, encoding="utf-8")
    (folder / "x-reviewer.html").write_text(str(folder), encoding="utf-8")  # always differs
    (folder / "tables" / "performance.csv").write_text(csv, encoding="utf-8")
    return folder


def test_the_same_readable_outputs_are_identical_whatever_the_reviewer_copy_says(tmp_path):
    base = quarter(tmp_path / "base", "offences\n12\n")
    work = quarter(tmp_path / "work", "offences\n12\n")
    same, different = compare_quarters(base, work)
    assert same == ["tables/performance.csv", "x-committee-report.html"]
    assert different == []


def test_a_changed_table_and_a_missing_page_are_reported(tmp_path):
    base = quarter(tmp_path / "base", "offences\n12\n")
    work = quarter(tmp_path / "work", "offences\n13\n")
    (work / "x-committee-report.html").unlink()
    same, different = compare_quarters(base, work)
    assert same == []
    assert [item.name for item in different] == [
        "tables/performance.csv",
        "x-committee-report.html",
    ]
    assert "-12\n+13" in different[0].detail
    assert different[1].detail == "missing from the work tree's quarter"


def workbook(path: Path, value: object) -> Path:
    """A one-cell workbook."""
    book = openpyxl.Workbook()
    book.active["A1"] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def test_sample_workbooks_compare_by_their_cells_and_other_files_by_bytes(tmp_path):
    for side in ("base", "work"):
        workbook(tmp_path / side / "tracker.xlsx", "Campaigns")
        (tmp_path / side / "2025-08-street.csv").write_text("a\n", encoding="utf-8")
    assert compare_samples(tmp_path / "base", tmp_path / "work") == (2, [])
    workbook(tmp_path / "work" / "tracker.xlsx", "Campaign")
    files, different = compare_samples(tmp_path / "base", tmp_path / "work")
    assert files == 2 and [item.name for item in different] == ["sample/tracker.xlsx"]
