"""The report's tables as CSV and XLSX: numbers kept as numbers, formula-like text made harmless."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.tables import ReportTable, guard_text, write_csv, write_workbook


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+44 1234", "'+44 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Ashworth Central", "Ashworth Central"),
        ("Rape - Under 16 yrs", "Rape - Under 16 yrs"),  # a dash inside is harmless
        (12, 12),  # numbers are never touched, negative or not
        (-5, -5),
    ],
)
def test_guard_text_prefixes_only_text_a_spreadsheet_would_run(text, expected):
    assert guard_text(text) == expected


def areas() -> pd.DataFrame:
    """Two areas, one named like a formula, with a negative change and an undefined cell."""
    return pd.DataFrame(
        {
            "area": pd.array(["=1+1", "Millbrook"], dtype="string"),
            "previous": [10, 4],
            "current": [7, 4],
            "change": [-3, 0],
            "pct": pd.array([-30.0, None], dtype="Float64"),
        }
    )


def test_csv_guards_text_and_leaves_numbers_and_empties_alone(tmp_path):
    path = write_csv(areas(), tmp_path / "areas.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["area", "previous", "current", "change", "pct"],
        ["'=1+1", "10", "7", "-3", "-30.0"],
        ["Millbrook", "4", "4", "0", ""],
    ]


def test_workbook_stores_formula_like_text_as_text(tmp_path):
    months = pd.DataFrame(
        {"month": pd.period_range("2025-07", periods=2, freq="M"), "count": [3, 4]}
    )
    path = write_workbook(
        [
            ReportTable("top_areas", "Areas with the most crime", areas()),
            ReportTable("monthly", "Offences by month", months),
        ],
        tmp_path / "tables.xlsx",
        "Test Vale: tables",
    )
    book = load_workbook(path)
    assert book.sheetnames == ["Contents", "top_areas", "monthly"]
    contents = [[cell.value for cell in row] for row in book["Contents"].iter_rows()]
    assert contents == [
        ["Test Vale: tables", None],
        ["Sheet", "Table"],
        ["top_areas", "Areas with the most crime"],
        ["monthly", "Offences by month"],
    ]
    sheet = book["top_areas"]
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert [cell.value for cell in sheet[2]] == ["=1+1", 10, 7, -3, -30.0]
    assert [cell.value for cell in sheet[3]] == ["Millbrook", 4, 4, 0, None]
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in book["monthly"]["A"]] == ["month", "2025-07", "2025-08"]
