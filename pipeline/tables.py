"""The report's tables as files beside it: CSV and one XLSX workbook, safe to open in Excel."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = '"£"#,##0.00'  # the report's only Decimal cells are money
CONTENTS_SHEET = "Contents"


@dataclass(frozen=True)
class ReportTable:
    """One table of the report: a short name for its file and sheet, its caption, its data."""

    name: str
    caption: str
    frame: pd.DataFrame


def guard_text(value: object) -> object:
    """Text a spreadsheet would read as a formula, prefixed with `'` so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text_columns(frame: pd.DataFrame) -> list[str]:
    """The columns holding any text, whatever their dtype (string, object, category)."""
    return [
        column for column in frame.columns if any(isinstance(value, str) for value in frame[column])
    ]


def guarded(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of frame whose text cells cannot run as spreadsheet formulas."""
    return frame.assign(
        **{
            column: frame[column].map(guard_text, na_action="ignore")
            for column in text_columns(frame)
        }
    )


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """A table as CSV: numbers plain, undefined cells empty, formula-like text guarded."""
    guarded(frame).to_csv(path, index=False, na_rep="", lineterminator="\n")
    return path


def cell_value(value: object) -> object:
    """A pandas cell as a value openpyxl writes: None for undefined, text for months."""
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    if isinstance(value, pd.Period):
        return str(value)
    return value.item() if hasattr(value, "item") else value


def write_rows(sheet, rows: list[list[object]], bold_rows: set[int]) -> None:
    """Rows into a sheet from A1; text is stored as text, never evaluated as a formula."""
    for row_number, row in enumerate(rows, start=1):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            elif isinstance(value, Decimal):
                cell.number_format = MONEY_FORMAT
            if row_number in bold_rows:
                cell.font = Font(bold=True)


def fit_columns(sheet, rows: list[list[object]], widest: int = 60) -> None:
    """Each column as wide as its longest cell, up to a limit."""
    for column_number in range(1, max(len(row) for row in rows) + 1):
        longest = max(len(str(row[column_number - 1])) for row in rows if len(row) >= column_number)
        sheet.column_dimensions[get_column_letter(column_number)].width = min(longest + 2, widest)


def write_sheet(book: Workbook, table: ReportTable, headings: Mapping[str, str]) -> None:
    """One table on its own sheet: bold header row (the columns in words, where headings name
    them), frozen, columns wide enough to read."""
    sheet = book.create_sheet(table.name[:31])
    rows = [[headings.get(column, column) for column in table.frame.columns]] + [
        [cell_value(value) for value in record]
        for record in table.frame.itertuples(index=False, name=None)
    ]
    write_rows(sheet, rows, bold_rows={1})
    sheet.freeze_panes = "A2"
    fit_columns(sheet, rows)


def write_workbook(
    tables: list[ReportTable],
    path: Path,
    title: str,
    headings: Mapping[str, Mapping[str, str]] | None = None,
) -> Path:
    """Every table in one workbook, after a contents sheet that names each sheet's table; each
    sheet's columns in words where headings (by table name) give them."""
    book = Workbook()
    contents = book.active
    contents.title = CONTENTS_SHEET
    rows = [[title], ["Sheet", "Table"]] + [[table.name[:31], table.caption] for table in tables]
    write_rows(contents, rows, bold_rows={1, 2})
    fit_columns(contents, rows[1:], widest=100)
    for table in tables:
        write_sheet(book, table, (headings or {}).get(table.name, {}))
    book.properties.title = title
    book.save(path)
    return path
