"""data.police.uk monthly street files: find, read and check them, in canonical columns.

Also the careful CSV reading both sources share: size limit, encoding, rows and header.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import itertools
import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.digest import sha256_of
from pipeline.errors import InputFileError, InputWarning
from pipeline.taxonomy import police_uk
from pipeline.text import listed

FILE_NAME = re.compile(r"^(?P<month>\d{4}-\d{2})-(?P<force>.+)-street\.csv$", re.IGNORECASE)
STREET_SUFFIX = "-street.csv"
MONTH_PATTERN = r"\d{4}-(?:0[1-9]|1[0-2])"
MONTH_TEXT = re.compile(f"^{MONTH_PATTERN}$")
NO_LOCATION = "No Location"
# C0 control characters and DEL, but not the tab, line feed or carriage return a value may hold.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_CHARACTERS = tuple(chr(code) for code in [*range(9), 11, 12, *range(14, 32), 127])
EXAMPLE_COORDINATE = {"Longitude": "-1.464854", "Latitude": "52.561928"}

# A police.uk month is a few MB (Nottinghamshire's 12,500 rows: 2.8 MB, about 220 bytes a row);
# the largest force's, about 100,000 rows, would be some 25 MB. A file far beyond that is refused
# before it is read, so a wrong or damaged file cannot exhaust the computer's memory.
MAX_FILE_BYTES = 200_000_000
TYPICAL_SIZE = "a real month is a few MB, the largest force's about 25 MB"

CANONICAL_COLUMNS = {
    "Crime ID": "crime_id",
    "Month": "month",
    "Reported by": "reported_by",
    "Longitude": "longitude",
    "Latitude": "latitude",
    "Location": "location",
    "LSOA code": "lsoa_code",
    "LSOA name": "lsoa_name",
    "Crime type": "crime_type",
    "Last outcome category": "last_outcome",
}


@dataclass(frozen=True)
class StreetFile:
    """One monthly street file found on disk."""

    path: Path
    month: pd.Period
    force: str


@dataclass(frozen=True)
class FileSummary:
    """What was read from one file, for the provenance record."""

    path: str
    month: str
    size_bytes: int
    sha256: str
    rows: int


def find_street_files(folder: Path) -> list[StreetFile]:
    """Every `YYYY-MM-<force>-street.csv` under folder, sorted by month and name."""
    found = []
    named = (path for path in folder.rglob("*") if path.name.casefold().endswith(STREET_SUFFIX))
    for path in sorted(named):
        _check_is_a_file(path)
        match = FILE_NAME.match(path.name)
        if not match or not MONTH_TEXT.match(match["month"]):
            raise InputFileError(path, _file_name_problem(path.name, match))
        found.append(StreetFile(path, pd.Period(match["month"], freq="M"), match["force"]))
    return sorted(found, key=lambda item: (item.month, item.path.name))


def _check_is_a_file(path: Path) -> None:
    """Stop on a street file's name that is a broken link, a folder or not readable."""
    if path.is_symlink() and not path.exists():
        raise InputFileError(
            path,
            f"is a link to {os.readlink(path)}, which does not exist; copy the month's file "
            "here in its place, or remove the link.",
        )
    if path.is_dir():
        raise InputFileError(
            path, "is a folder named like a street file; rename it or move it out of the folder."
        )
    if not os.access(path, os.R_OK):
        raise InputFileError(
            path, "cannot be read (no permission); make it readable (chmod a+r) or copy it here."
        )


def _file_name_problem(name: str, match: re.Match[str] | None) -> str:
    """Why a street file's name is refused, in words."""
    expected = "expected a name like 2025-08-<force>-street.csv, as police.uk names its files"
    if match is None:
        return f"the file name '{name}' does not start with a month; {expected}."
    return f"'{match['month']}' in the file name is not a real month (01 to 12); {expected}."


FIRST_ROW_BYTES = 64 * 1024  # enough for the header and the first record of any real file


def falls_within(path: Path) -> str | None:
    """The force a street file's first record falls within; None when that cannot be read.

    Only the start of the file is read: the whole file is checked when it is read in full.
    """
    try:
        with path.open("rb") as handle:
            start = handle.read(FIRST_ROW_BYTES)
    except OSError:
        return None
    text = start.decode("utf-8-sig", errors="replace")
    records = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(itertools.islice((row for row in records if "".join(row).strip()), 2))
    except csv.Error:
        return None
    if len(rows) < 2:
        return None
    names = [name.strip() for name in rows[0]]
    if "Falls within" not in names or len(rows[1]) != len(names):
        return None
    return rows[1][names.index("Falls within")].strip() or None


def data_row_count(path: Path) -> int:
    """How many records a street file holds (for a message; the file is not checked here)."""
    text = read_text(path, MAX_FILE_BYTES, "a police.uk street file", TYPICAL_SIZE)
    try:
        records, _ = read_records(path, text, police_uk().file_header)
    except InputFileError:
        return max(text.count("\n") - 1, 0)
    return len(data_rows(records))


def months_available(files: list[StreetFile]) -> set[pd.Period]:
    """The months the files cover, from their names."""
    return {item.month for item in files}


def _nearest(value: str, known: tuple[str, ...]) -> str:
    """The known value closest to an unknown one, for error messages."""
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.0)
    return close[0] if close else known[0]


def _size_text(size: int) -> str:
    """A size in bytes in words: '250 MB', or '3.2 GB' from a thousand megabytes up."""
    if size >= 1_000_000_000:
        return f"{size / 1_000_000_000:,.1f} GB"
    return f"{size / 1_000_000:,.0f} MB"


def _read_bytes(path: Path, limit: int, what: str, typical: str) -> bytes:
    """The file's bytes, refusing a missing file or one over limit before reading it."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputFileError(
                path,
                f"the file is {_size_text(size)}, over the {_size_text(limit)} limit for {what} "
                f"({typical}); check it is the right file, not several joined or a damaged copy.",
            )
        return path.read_bytes()
    except FileNotFoundError as error:
        raise InputFileError(
            path, "file not found; check the file name and folder in the config."
        ) from error
    except OSError as error:
        raise InputFileError(path, f"cannot be opened ({error.strerror}).") from error


def read_text(path: Path, limit: int, what: str, typical: str) -> str:
    """The file's text: UTF-8 (with or without a byte order mark), else Windows-1252 (warned)."""
    raw = _read_bytes(path, limit, what, typical)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = raw.count(b"\n", 0, error.start) + 1
    unmarked = raw.removeprefix(codecs.BOM_UTF8)
    try:
        text = unmarked.decode("cp1252")
    except UnicodeDecodeError as error:
        raise InputFileError(
            path,
            "is neither UTF-8 nor Windows-1252 text; save it from Excel as 'CSV UTF-8'.",
            row=unmarked.count(b"\n", 0, error.start) + 1,
        ) from error
    warnings.warn(
        f"{path}: not UTF-8 text (first on row {row}), so it was read as Windows-1252; "
        "save it as 'CSV UTF-8' to be sure every character is right.",
        InputWarning,
        stacklevel=2,
    )
    return text


def read_records(
    path: Path, text: str, expected: tuple[str, ...]
) -> tuple[list[list[str]], list[int]]:
    """Every CSV record's fields, and the file row each one starts on (header is row 1)."""
    if not text.strip():
        raise InputFileError(
            path, f"the file is empty; expected the header {','.join(expected)}.", row=1
        )
    if '"' not in text and ("\r" not in text or text.count("\r") == text.count("\r\n")):
        records, starts = _split_plain(text)  # no quotes: the same records, far faster
    else:
        records, starts = _read_quoted(path, text)
    if any(character in text for character in CONTROL_CHARACTERS):
        raise _control_character_problem(path, records, starts)
    return records, starts


def _split_plain(text: str) -> tuple[list[list[str]], list[int]]:
    """The records of CSV text with no quotes and only CRLF or LF line ends: one per line."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    records = [line.removesuffix("\r").split(",") for line in lines]
    return records, list(range(1, len(records) + 1))


def _read_quoted(path: Path, text: str) -> tuple[list[list[str]], list[int]]:
    """The records of any CSV text, with the row each starts on; a quote out of place stops."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    starts: list[int] = []
    last_line = 0
    # The reader's own limit (131,072 characters a value) would misreport a long value as an
    # unclosed quote; the file's size, already checked, bounds a value instead.
    limit = csv.field_size_limit(max(len(text), 1))
    try:
        for fields in reader:
            records.append(fields)
            starts.append(last_line + 1)
            last_line = reader.line_num
    except csv.Error as error:
        raise _quote_problem(path, str(error), row=last_line + 1) from error
    finally:
        csv.field_size_limit(limit)
    return records, starts


def _control_character_problem(
    path: Path, records: list[list[str]], starts: list[int]
) -> InputFileError:
    """The first field holding a control character (a NUL byte, say), named by row and column."""
    header = records[0]
    for fields, start in zip(records, starts, strict=True):
        for position, value in enumerate(fields):
            found = CONTROL_CHARACTER.search(value)
            if found:
                column = header[position] if position < len(header) else None
                code = f"U+{ord(found.group()):04X}"
                return InputFileError(
                    path,
                    f"the value holds a control character ({code}, invisible in a spreadsheet), "
                    "so the file may be damaged; download or export it again, or delete that "
                    "character.",
                    row=start,
                    column=column,
                )
    return InputFileError(path, "the file holds a control character outside any value.")


def _quote_problem(path: Path, problem: str, row: int) -> InputFileError:
    """The CSV reader's complaint about double quotes, as a message about the file's row."""
    if problem.startswith("unexpected end of data"):
        return InputFileError(
            path, "a double quote opened on this row is never closed; remove it or close it.", row
        )
    return InputFileError(
        path,
        f"a double quote is out of place ({problem}); put quotes round a whole value only, "
        'and write a quote inside a quoted value as "".',
        row,
    )


def data_rows(records: list[list[str]]) -> list[int]:
    """The positions of the records after the header that are not blank lines."""
    return [index for index, fields in enumerate(records) if index and "".join(fields).strip()]


def check_field_counts(
    path: Path, records: list[list[str]], starts: list[int], kept: list[int], names: list[str]
) -> None:
    """Stop on a row with more fields than the header, or fewer (a line cut short)."""
    wrong = next((index for index in kept if len(records[index]) != len(names)), None)
    if wrong is None:
        return
    fields = len(records[wrong])
    noun = "field" if fields == 1 else "fields"
    found = f"found {fields} {noun} where the header has {len(names)}"
    if fields > len(names):
        raise InputFileError(
            path,
            f"{found}; a value that contains a comma must be inside double quotes.",
            row=starts[wrong],
        )
    raise InputFileError(
        path,
        f"{found}; the row may be cut short.",
        row=starts[wrong],
        column=names[fields],
    )


def check_repeated_columns(where: Path | str, names: list[str], expected: Sequence[str]) -> None:
    """Stop on an expected column named twice in a header (row 1)."""
    repeated = next((name for name in names if name in expected and names.count(name) > 1), None)
    if repeated:
        raise InputFileError(
            where,
            f"column '{repeated}' appears {names.count(repeated)} times in the header; "
            "each column must appear once.",
            row=1,
            column=repeated,
        )


def _plain(name: str) -> str:
    """A column name without case, spaces, underscores or hyphens, to spot a renamed column."""
    return re.sub(r"[\s_\-]+", "", name).casefold()


def renamed_columns(written: list[str], expected: Sequence[str]) -> list[tuple[str, str]]:
    """(written, expected) for header names that are an expected name spelled another way."""
    plain = {_plain(name): name for name in expected}
    return [
        (name, plain[_plain(name)])
        for name in written
        if _plain(name) in plain and name != plain[_plain(name)]
    ]


def missing_columns_problem(
    written: list[str],
    expected: Sequence[str],
    missing: list[str],
    read_as: list[str] | None = None,
) -> str:
    """Why a header is refused: the missing columns, the header expected and a likely cause.

    read_as is the header as the reader took it (a force extract ignores case), if it differs.
    """
    names = listed([f"'{name}'" for name in missing])
    subject = f"column {names} is" if len(missing) == 1 else f"columns {names} are"
    found = ",".join(written) or "nothing"
    problem = f"{subject} missing; expected the header {','.join(expected)} but found {found}."
    renamed = renamed_columns(read_as or written, expected)
    if renamed:
        pairs = listed([f"'{old}' as '{new}'" for old, new in renamed])
        problem += f" The columns look renamed: write {pairs}."
    if len(written) == 1 and any(mark in written[0] for mark in (";", "\t")):
        problem += " Is the file comma-separated?"
    return problem


def _check_header(path: Path, fields: list[str]) -> list[str]:
    """The header's names; stops on a missing or repeated column, warns on an extra one."""
    expected = police_uk().file_header
    names = [name.strip() for name in fields]
    check_repeated_columns(path, names, expected)
    missing = [name for name in expected if name not in names]
    if missing:
        raise InputFileError(
            path, missing_columns_problem(names, expected, missing), row=1, column=missing[0]
        )
    extra = [name or "(unnamed)" for name in names if name not in expected]
    if extra:
        warnings.warn(
            f"{path}: ignoring extra column(s) {', '.join(extra)}.", InputWarning, stacklevel=2
        )
    return names


def _first_bad_row(frame: pd.DataFrame, bad: pd.Series) -> int:
    """The file row number (header is row 1) of the first flagged row."""
    return int(frame.index[bad.to_numpy()][0])


def _check_month(street: StreetFile, frame: pd.DataFrame) -> None:
    """Stop on a Month that is not a real month or disagrees with the file name."""
    expected_month = str(street.month)
    if (frame["Month"] == expected_month).all():
        return
    not_month = ~frame["Month"].str.fullmatch(MONTH_PATTERN)
    if not_month.any():
        value = frame.loc[not_month, "Month"].iloc[0]
        raise InputFileError(
            street.path,
            f"Month '{value}' is not a real month written as YYYY-MM; expected "
            f"{expected_month}, the month in the file's name, on every row.",
            row=_first_bad_row(frame, not_month),
            column="Month",
        )
    bad_month = frame["Month"] != expected_month
    if bad_month.any():
        value = frame.loc[bad_month, "Month"].iloc[0]
        raise InputFileError(
            street.path,
            f"Month '{value}' does not match the file name's month {expected_month}.",
            row=_first_bad_row(frame, bad_month),
            column="Month",
        )


def _check_crime_types(street: StreetFile, frame: pd.DataFrame) -> None:
    """Stop on a crime type police.uk does not use."""
    known = police_uk().crime_types
    bad_type = ~frame["Crime type"].isin(known)
    if not bad_type.any():
        return
    value = frame.loc[bad_type, "Crime type"].iloc[0]
    problem = (
        f"Crime type is empty; expected one of police.uk's crime types: {', '.join(known)}."
        if value == ""
        else f"unknown crime type '{value}' (nearest known: '{_nearest(value, known)}')."
    )
    raise InputFileError(
        street.path, problem, row=_first_bad_row(frame, bad_type), column="Crime type"
    )


def _plain_numbers(values: pd.Series) -> pd.Series | None:
    """Decimal text as numbers, empty as NaN, by numpy's fast parse; None if any is odd.

    Odd (not a plain finite number) values go to pandas' parse, which finds and names them.
    """
    text = values.to_numpy(dtype=object)
    empty = text == ""
    try:
        numbers = np.where(empty, "nan", text).astype(float)
    except ValueError:
        return None
    if not np.isfinite(numbers[~empty]).all():
        return None
    return pd.Series(numbers, index=values.index)


def _check_coordinates(street: StreetFile, frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Stop on a longitude or latitude that is not a number; return both as numbers."""
    coordinates = {}
    for column in ("Longitude", "Latitude"):
        numbers = _plain_numbers(frame[column])
        if numbers is None:
            numbers = pd.to_numeric(frame[column].replace("", None), errors="coerce")
        coordinates[column] = numbers
        bad_number = numbers.isna() & (frame[column] != "")
        if bad_number.any():
            value = frame.loc[bad_number, column].iloc[0]
            raise InputFileError(
                street.path,
                f"'{value}' is not a number; expected a decimal {column.lower()} such as "
                f"{EXAMPLE_COORDINATE[column]}, or empty for a record with no location.",
                row=_first_bad_row(frame, bad_number),
                column=column,
            )
    return coordinates


def read_street_file(street: StreetFile) -> pd.DataFrame:
    """One street file as canonical typed columns, after checking it."""
    expected = police_uk().file_header
    text = read_text(street.path, MAX_FILE_BYTES, "a police.uk street file", TYPICAL_SIZE)
    frame = _plain_frame(text, expected)
    if frame is None:
        frame = _checked_frame(street, text, expected)
    _check_month(street, frame)
    _check_crime_types(street, frame)
    coordinates = _check_coordinates(street, frame)
    return to_canonical(frame, street, coordinates)


def _plain_frame(text: str, expected: tuple[str, ...]) -> pd.DataFrame | None:
    """The file's rows by pandas' fast reader, when nothing about it needs the careful one.

    That is: police.uk's exact header, no quotes, no control characters, no blank lines, line
    ends all LF or CRLF, and as many commas as the header's on every line. Each line is then one
    record, so the index (the file row) is exact. Otherwise None: the careful reader then reads
    the file and says what is wrong with it.
    """
    header_end = text.find("\n")
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    plain = (
        header_end > 0
        and text[:header_end].removesuffix("\r") == ",".join(expected)
        and lines > 1
        and '"' not in text
        and ("\r" not in text or text.count("\r") == text.count("\r\n"))
        and text.count(",") == lines * (len(expected) - 1)
        and not any(character in text for character in CONTROL_CHARACTERS)
    )
    if not plain:
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.ParserError:
        return None
    # A blank line (skipped) or a line with a field too many (read as an index) shows here.
    if len(frame) != lines - 1 or not isinstance(frame.index, pd.RangeIndex):
        return None
    frame.index = range(2, len(frame) + 2)
    return frame


def _checked_frame(street: StreetFile, text: str, expected: tuple[str, ...]) -> pd.DataFrame:
    """The file's rows read record by record, stopping on the first thing wrong with them."""
    records, starts = read_records(street.path, text, expected)
    names = _check_header(street.path, records[0])
    kept = data_rows(records)
    if not kept:
        raise InputFileError(
            street.path,
            "the file has a header but no rows; expected one row per crime or ASB record "
            f"of {street.month:%B %Y}.",
            row=2,
        )
    check_field_counts(street.path, records, starts, kept, names)
    return pd.DataFrame(
        [records[index] for index in kept],
        columns=names,
        index=[starts[index] for index in kept],
        dtype=str,
    )


def to_canonical(
    frame: pd.DataFrame, street: StreetFile, coordinates: dict[str, pd.Series]
) -> pd.DataFrame:
    """Rename and type a checked street file's columns (coordinates already as numbers)."""
    vocabulary = police_uk()
    return (
        frame[list(CANONICAL_COLUMNS)]
        .rename(columns=CANONICAL_COLUMNS)
        .assign(
            month=pd.PeriodIndex.from_ordinals(np.full(len(frame), street.month.ordinal), freq="M"),
            crime_id=lambda f: f["crime_id"].astype("string"),
            reported_by=lambda f: f["reported_by"].astype("string"),
            longitude=coordinates["Longitude"].astype("Float64"),
            latitude=coordinates["Latitude"].astype("Float64"),
            location=lambda f: f["location"].astype("string"),
            lsoa_code=lambda f: f["lsoa_code"].astype("string"),
            lsoa_name=lambda f: f["lsoa_name"].astype("string"),
            crime_type=lambda f: pd.Categorical(f["crime_type"], categories=vocabulary.crime_types),
            last_outcome=lambda f: f["last_outcome"].astype("string"),
            source_file=street.path.name,
            source_row=lambda f: f.index.to_numpy().astype("int32"),
        )
        .reset_index(drop=True)
    )


def summarise_file(street: StreetFile, rows: int) -> FileSummary:
    """Size, hash and row count of a file that was read."""
    return FileSummary(
        path=str(street.path),
        month=str(street.month),
        size_bytes=street.path.stat().st_size,
        sha256=sha256_of(street.path),
        rows=rows,
    )


def unknown_outcomes(records: pd.DataFrame) -> list[str]:
    """Outcome wordings not in the vocabulary (counted as not positive)."""
    known = set(police_uk().outcomes) | {""}
    return sorted(set(records["last_outcome"].dropna().unique()) - known)
