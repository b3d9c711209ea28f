"""Write the corpus's workbook cases from the CSV tracker beside this file.

Run from the project: `.venv/bin/python tests/bad_inputs/_base/make_workbooks.py`. Each case's
`tracker.xlsx` is the CSV tracker as a workbook, with the one change its case.yaml describes;
the files are committed, so the corpus does not depend on this script at test time.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

BASE = Path(__file__).parent
CORPUS = BASE.parent
SHEETS = {
    "Action plan": "action-plan.csv",
    "Quarterly returns": "quarterly-returns.csv",
    "Grant": "grant.csv",
}
# The sheets' parts in a workbook openpyxl writes: Read me is sheet1, then the three in order.
PART = {"Action plan": "sheet2", "Quarterly returns": "sheet3", "Grant": "sheet4"}


def tracker_book() -> openpyxl.Workbook:
    """The corpus's CSV tracker as a workbook, its money kept as the text the CSV holds."""
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active["A1"] = "The corpus tracker as a workbook."
    for sheet, name in SHEETS.items():
        target = book.create_sheet(sheet)
        with (BASE / "tracker" / name).open(encoding="utf-8", newline="") as file:
            for row in csv.reader(file):
                target.append(row)
    return book


def edited(path: Path, sheet: str, edit: Callable[[str], str]) -> None:
    """Pass one sheet's XML in the saved workbook through edit."""
    part = f"xl/worksheets/{PART[sheet]}.xml"
    with zipfile.ZipFile(path) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    parts[part] = edit(parts[part].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def write(case: str, book: openpyxl.Workbook) -> Path:
    """Save the case's workbook."""
    path = CORPUS / case / "tracker.xlsx"
    book.save(path)
    return path


def main() -> None:
    book = tracker_book()
    book["Action plan"]["J1048576"] = "x"
    write("tracker-workbook-cell-in-last-row", book)

    book = tracker_book()
    book["Action plan"]["XFD5000"] = "x"
    write("tracker-workbook-cell-in-last-column", book)

    book = tracker_book()
    book["Grant"]["C2"] = "=C3+C4"  # openpyxl saves a formula with no value
    write("tracker-workbook-formula-not-saved", book)

    book = tracker_book()
    book["Grant"]["C2"] = "=C3+C4"
    path = write("tracker-workbook-formula-saved", book)
    # The value a spreadsheet program would save for =C3+C4 (£1,000 + £2,000 as numbers).
    book["Grant"]["C3"], book["Grant"]["C4"] = 1000, 2000
    book.save(path)
    edited(path, "Grant", lambda xml: re.sub(r"(<f>C3\+C4</f>)<v\s*/>", r"\1<v>3000</v>", xml))

    path = write("tracker-workbook-unpacks-too-large", tracker_book())
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/padding.xml", " " * 6_000_000)  # a few KB on disk

    # An encrypted workbook is an OLE compound file holding an EncryptedPackage stream: the
    # signature, a header, and the stream's name in a directory sector (MS-CFB, MS-OFFCRYPTO).
    directory = "EncryptionInfo".encode("utf-16-le").ljust(128, b"\0")
    directory += "EncryptedPackage".encode("utf-16-le").ljust(128, b"\0")
    (CORPUS / "tracker-workbook-password-protected" / "tracker.xlsx").write_bytes(
        bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504) + directory.ljust(512, b"\0")
    )


if __name__ == "__main__":
    main()
