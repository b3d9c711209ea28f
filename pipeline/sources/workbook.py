"""Guards for reading an .xlsx workbook someone sends: bounded before openpyxl opens it.

A workbook is a zip of XML parts; what they unpack to bounds the time and memory reading takes
(about a second per MB here). An encrypted .xlsx, like an old .xls, is an OLE compound file
rather than a zip; only the encrypted one holds a stream named EncryptedPackage (MS-OFFCRYPTO
2.3.4). Each reader gives its own limits and the words for what it expects.
"""

from __future__ import annotations

import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from pipeline.errors import InputFileError

XML_PARTS = (".xml", ".rels", ".vml")
COMPOUND_FILE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
UNREADABLE_WORKBOOK = (
    "cannot be read as an Excel workbook; save it from Excel as 'Excel Workbook (.xlsx)'."
)


@dataclass(frozen=True)
class WorkbookLimits:
    """What a reader accepts: file size, parts and unpacked size; and how it names its kind."""

    max_file_bytes: int
    max_unpacked_bytes: int
    max_parts: int
    kind: str  # `a tracker`
    typical: str  # `a year's tracker is well under 1 MB`
    unpacked_advice: str  # what to do with a workbook that unpacks too large


def check_size(path: Path, limits: WorkbookLimits) -> None:
    """Stop on a file far larger than any of its kind."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise InputFileError(
            path,
            f"the file is {size / 1_000_000:,.0f} MB, over the "
            f"{limits.max_file_bytes // 1_000_000} MB limit for {limits.kind} ({limits.typical}); "
            "check it is the right file.",
        )


def check_package(path: Path, limits: WorkbookLimits) -> None:
    """Stop on a workbook that is encrypted, an old .xls, not a zip, or unpacks too large."""
    with path.open("rb") as file:
        start = file.read(len(COMPOUND_FILE_SIGNATURE))
        if start == COMPOUND_FILE_SIGNATURE:
            encrypted = ENCRYPTED_PACKAGE in file.read()
            raise InputFileError(
                path,
                "is protected with a password, so it cannot be read; in Excel choose File > "
                "Info > Protect Workbook > Encrypt with Password, clear the password, and save "
                "it as 'Excel Workbook (.xlsx)'."
                if encrypted
                else "is an Excel 97-2003 workbook (.xls) named .xlsx; open it in Excel or "
                "LibreOffice and save it as 'Excel Workbook (.xlsx)'.",
            )
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise InputFileError(path, UNREADABLE_WORKBOOK) from error
    if len(parts) > limits.max_parts:
        raise InputFileError(
            path,
            f"the workbook holds {len(parts):,} parts, over the limit of {limits.max_parts:,} "
            f"for {limits.kind} ({limits.typical}); check it is the right file.",
        )
    unpacked = sum(part.file_size for part in parts if part.filename.endswith(XML_PARTS))
    if unpacked > limits.max_unpacked_bytes:
        raise InputFileError(
            path,
            f"its sheets unpack to {unpacked / 1_000_000:,.1f} MB, over the "
            f"{limits.max_unpacked_bytes // 1_000_000} MB limit for {limits.kind} "
            f"({limits.typical} unpacked); check it is the right file, or "
            f"{limits.unpacked_advice}.",
        )


def open_workbook(path: Path, data_only: bool = True) -> Workbook:
    """The workbook opened read-only: its saved values (data_only) or its formulas."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # openpyxl on features it drops
            return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InputFileError(path, UNREADABLE_WORKBOOK) from error
