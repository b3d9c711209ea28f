"""The tracker workbook read within bounds: stray far cells, formulas, encryption, zip size."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from test_tracker import a_return, error_of, workbook

from pipeline.sources.tracker import (
    parse_money,
    read_tracker,
    read_tracker_noting_warnings,
)
from pipeline.sources.workbook import COMPOUND_FILE_SIGNATURE, ENCRYPTED_PACKAGE

SHEET_PARTS = {"Action plan": "sheet2", "Quarterly returns": "sheet3", "Grant": "sheet4"}


def with_cell(path: Path, sheet: str, cell: str, value: object, bold: bool = False) -> Path:
    """The workbook with one more cell written (or only styled, when value is None)."""
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    if bold:
        book[sheet][cell].font = openpyxl.styles.Font(bold=True)
    book.save(path)
    return path


def rewritten(path: Path, part: str, edit: object) -> Path:
    """The workbook with one XML part passed through edit(text) -> text."""
    with zipfile.ZipFile(path) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    parts[part] = edit(parts[part].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


def saved_value(cell: str, value: str, text: bool = False):
    """An edit giving the formula in `cell` the saved value a spreadsheet program writes."""

    def edit(xml: str) -> str:
        # openpyxl writes an empty saved value as <v/>, or <v></v> where lxml is installed
        pattern = rf'<c r="{cell}"([^>]*)>(<f>[^<]*</f>)(?:<v\s*/>|<v></v>)'
        kind = ' t="str"' if text else ""
        edited, count = re.subn(pattern, rf'<c r="{cell}"\1{kind}>\2<v>{value}</v>', xml)
        assert count == 1, f"no formula at {cell} in {xml[:200]}"
        return edited

    return edit


# Stray cells far from the table: refused or ignored quickly, never read cell by cell.


def test_a_value_in_the_last_row_of_a_sheet_is_refused_naming_the_cell(tmp_path: Path) -> None:
    path = with_cell(workbook(tmp_path, [a_return()]), "Action plan", "J1048576", "x")
    message = error_of(path)
    assert "(sheet 'Action plan'), row 1048576: cell J1048576 holds 'x'" in message
    assert "below row 10,000" in message and "delete it" in message


def test_a_styled_empty_cell_in_the_last_row_changes_nothing(tmp_path: Path) -> None:
    path = with_cell(workbook(tmp_path, [a_return()]), "Action plan", "J1048576", None, bold=True)
    tracker, notes = read_tracker_noting_warnings(path)
    assert tracker.plan["action"].tolist() == ["Campaigns all year", "Train bar staff"]
    assert notes == []


def test_a_cell_in_the_last_column_is_not_read_and_said(tmp_path: Path) -> None:
    path = with_cell(workbook(tmp_path, [a_return()]), "Action plan", "XFD5000", "x")
    tracker, notes = read_tracker_noting_warnings(path)
    assert len(tracker.plan) == 2
    assert notes == [
        f"{path} (sheet 'Action plan'): the sheet says it uses columns up to XFD; only columns "
        "A to CV are read, which hold every column a tracker has."
    ]


def test_rows_beyond_a_wrong_stated_size_are_still_read(tmp_path: Path) -> None:
    path = workbook(tmp_path, [a_return()])
    rewritten(
        path,
        f"xl/worksheets/{SHEET_PARTS['Action plan']}.xml",
        lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:G1"', xml),
    )
    assert len(read_tracker(path).plan) == 2


def test_a_header_below_row_1_is_reported_missing_from_row_1(tmp_path: Path) -> None:
    path = workbook(tmp_path, [a_return()])
    book = openpyxl.load_workbook(path)
    book["Grant"].insert_rows(1)
    book.save(path)
    assert "(sheet 'Grant'), row 1: the header is missing" in error_of(path)


# Formulas: the value a spreadsheet saved is used; without one the run stops.


def test_a_formula_with_no_saved_value_stops_naming_the_cell(tmp_path: Path) -> None:
    grant = [["2023-24", None, "=C3+C4"], ["2023-24", "Bystander Training", 3500]]
    path = workbook(tmp_path, [a_return()], grant=grant)  # openpyxl saves no formula values
    message = error_of(path)
    assert message.startswith(f"{path} (sheet 'Grant'), row 2, column 'Amount': cell C2 holds")
    assert "the formula =C3+C4 but no saved value" in message
    assert "open and save the workbook in Excel or LibreOffice so its values are saved" in message


def test_the_count_of_other_unsaved_formulas_is_given(tmp_path: Path) -> None:
    returns = [a_return(quarter=1, cost="=100*2"), a_return(quarter=2, cost="=100*3")]
    message = error_of(workbook(tmp_path, returns))
    assert "row 2, column 'Cost to date': cell H2 holds the formula =100*2" in message
    assert "(1 more cells are the same)" in message


def test_a_formula_in_an_unread_column_does_not_stop(tmp_path: Path) -> None:
    path = with_cell(workbook(tmp_path, [a_return()]), "Grant", "F2", "=1+1")
    tracker = read_tracker(path)
    assert tracker.allocation == {"2023-24": Decimal("37479.75")}


def test_a_formula_s_saved_value_is_used_and_its_cell_noted(tmp_path: Path) -> None:
    grant = [["2023-24", None, "=C3*10"], ["2023-24", "Bystander Training", 3500]]
    path = workbook(tmp_path, [a_return()], grant=grant)
    rewritten(path, f"xl/worksheets/{SHEET_PARTS['Grant']}.xml", saved_value("C2", "35000"))
    tracker, notes = read_tracker_noting_warnings(path)
    assert tracker.allocation == {"2023-24": Decimal("35000.00")}
    assert notes == [
        f"{path} (sheet 'Grant'): 1 cell(s) hold formulas; the values the workbook saved for "
        "them are used (C2)."
    ]


def test_a_formula_whose_saved_value_is_empty_text_is_blank(tmp_path: Path) -> None:
    returns = [a_return(cost='=IF(1=1,"",5)')]
    path = workbook(tmp_path, returns)
    part = f"xl/worksheets/{SHEET_PARTS['Quarterly returns']}.xml"
    rewritten(path, part, saved_value("H2", "", text=True))
    tracker, notes = read_tracker_noting_warnings(path)
    assert tracker.returns["cost_to_date"].tolist() == [None]
    assert notes[0].endswith("them are used (H2).")


# Files that are not a readable, reasonably sized workbook.


def compound_file(path: Path, streams: bytes) -> Path:
    """A file with an OLE compound file's signature and the given directory bytes."""
    path.write_bytes(COMPOUND_FILE_SIGNATURE + bytes(504) + streams + bytes(512))
    return path


def test_a_password_protected_workbook_says_how_to_remove_the_password(tmp_path: Path) -> None:
    path = compound_file(
        tmp_path / "tracker.xlsx", ENCRYPTED_PACKAGE + "EncryptionInfo".encode("utf-16-le")
    )
    message = error_of(path)
    assert message == (
        f"{path}: is protected with a password, so it cannot be read; in Excel choose File > "
        "Info > Protect Workbook > Encrypt with Password, clear the password, and save it as "
        "'Excel Workbook (.xlsx)'."
    )


def test_an_old_xls_named_xlsx_says_to_save_it_as_xlsx(tmp_path: Path) -> None:
    path = compound_file(tmp_path / "tracker.xlsx", "Workbook".encode("utf-16-le"))
    assert "is an Excel 97-2003 workbook (.xls) named .xlsx" in error_of(path)


def test_a_workbook_that_unpacks_too_large_is_refused_with_its_size(tmp_path: Path) -> None:
    path = workbook(tmp_path, [a_return()])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/padding.xml", " " * 6_000_000)  # and about 20 KB of its own parts
    assert path.stat().st_size < 100_000  # small on disk: the limit is on what it unpacks to
    message = error_of(path)
    assert "its sheets unpack to 6.0 MB, over the 4 MB limit for a tracker" in message


def test_text_that_is_not_a_zip_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    path.write_text("Priority,Objective\n")
    assert error_of(path).endswith("save it from Excel as 'Excel Workbook (.xlsx)'.")


@pytest.mark.parametrize("written", ["£" + "9" * 30, 1e30, "1,000,000,001"])
def test_an_amount_beyond_any_grant_is_refused(written: object) -> None:
    with pytest.raises(ValueError, match="is more than £1,000,000,000.00, far beyond any"):
        parse_money(written)
