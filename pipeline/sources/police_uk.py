"""data.police.uk monthly street files: find, read and check them, in canonical columns."""

from __future__ import annotations

import difflib
import hashlib
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.errors import InputFileError, InputWarning
from pipeline.taxonomy import police_uk

FILE_NAME = re.compile(r"^(?P<month>\d{4}-\d{2})-(?P<force>.+)-street\.csv$")
MONTH_TEXT = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
NO_LOCATION = "No Location"

CANONICAL_COLUMNS = {
    "Crime ID": "crime_id",
    "Month": "month",
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
    for path in sorted(folder.rglob("*-street.csv")):
        match = FILE_NAME.match(path.name)
        if not match or not MONTH_TEXT.match(match["month"]):
            raise InputFileError(
                path, "file name should be YYYY-MM-<force>-street.csv with a real month."
            )
        found.append(StreetFile(path, pd.Period(match["month"], freq="M"), match["force"]))
    return sorted(found, key=lambda item: (item.month, item.path.name))


def months_available(files: list[StreetFile]) -> set[pd.Period]:
    """The months the files cover, from their names."""
    return {item.month for item in files}


def sha256_of(path: Path) -> str:
    """The file's SHA-256 in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _nearest(value: str, known: tuple[str, ...]) -> str:
    """The known value closest to an unknown one, for error messages."""
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.0)
    return close[0] if close else known[0]


def _check_header(path: Path, header: list[str]) -> None:
    """Stop on a missing column; warn on an extra one."""
    expected = police_uk().file_header
    missing = [name for name in expected if name not in header]
    if missing:
        found = ", ".join(header) if header else "nothing"
        raise InputFileError(
            path,
            f"column '{missing[0]}' is missing; a police.uk street file has the columns "
            f"{', '.join(expected)} (found {found}).",
            row=1,
            column=missing[0],
        )
    extra = [name for name in header if name not in expected]
    if extra:
        warnings.warn(
            f"{path}: ignoring extra column(s) {', '.join(extra)}.", InputWarning, stacklevel=2
        )


def _first_bad_row(frame: pd.DataFrame, bad: pd.Series) -> int:
    """The file row number (header is row 1) of the first flagged row."""
    return int(frame.index[bad.to_numpy()][0]) + 2


def _check_values(street: StreetFile, frame: pd.DataFrame) -> None:
    """Stop on a Month that disagrees with the file name or an unknown crime type."""
    vocabulary = police_uk()
    expected_month = str(street.month)
    bad_month = frame["Month"] != expected_month
    if bad_month.any():
        row = _first_bad_row(frame, bad_month)
        value = frame.loc[bad_month, "Month"].iloc[0]
        raise InputFileError(
            street.path,
            f"Month '{value}' does not match the file name's month {expected_month}.",
            row=row,
            column="Month",
        )
    bad_type = ~frame["Crime type"].isin(vocabulary.crime_types)
    if bad_type.any():
        value = frame.loc[bad_type, "Crime type"].iloc[0]
        raise InputFileError(
            street.path,
            f"unknown crime type '{value}' (nearest known: "
            f"'{_nearest(value, vocabulary.crime_types)}').",
            row=_first_bad_row(frame, bad_type),
            column="Crime type",
        )
    for column in ("Longitude", "Latitude"):
        numbers = pd.to_numeric(frame[column].replace("", None), errors="coerce")
        bad_number = numbers.isna() & (frame[column] != "")
        if bad_number.any():
            value = frame.loc[bad_number, column].iloc[0]
            raise InputFileError(
                street.path,
                f"'{value}' is not a number.",
                row=_first_bad_row(frame, bad_number),
                column=column,
            )


def read_street_file(street: StreetFile) -> pd.DataFrame:
    """One street file as canonical typed columns, after checking it."""
    try:
        frame = pd.read_csv(
            street.path,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
        )
    except pd.errors.EmptyDataError as error:
        raise InputFileError(street.path, "the file is empty (no header row).", row=1) from error
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InputFileError(street.path, f"cannot be read as CSV ({error}).") from error
    _check_header(street.path, list(frame.columns))
    frame = frame.fillna("")
    _check_values(street, frame)
    return to_canonical(frame, street)


def to_canonical(frame: pd.DataFrame, street: StreetFile) -> pd.DataFrame:
    """Rename and type a checked street file's columns."""
    vocabulary = police_uk()
    return (
        frame[list(CANONICAL_COLUMNS)]
        .rename(columns=CANONICAL_COLUMNS)
        .assign(
            month=pd.PeriodIndex([street.month] * len(frame), freq="M"),
            crime_id=lambda f: f["crime_id"].astype("string"),
            longitude=lambda f: pd.to_numeric(f["longitude"].replace("", None)).astype("Float64"),
            latitude=lambda f: pd.to_numeric(f["latitude"].replace("", None)).astype("Float64"),
            location=lambda f: f["location"].astype("string"),
            lsoa_code=lambda f: f["lsoa_code"].astype("string"),
            lsoa_name=lambda f: f["lsoa_name"].astype("string"),
            crime_type=lambda f: pd.Categorical(f["crime_type"], categories=vocabulary.crime_types),
            last_outcome=lambda f: f["last_outcome"].astype("string"),
            source_file=street.path.name,
            source_row=lambda f: (f.index + 2).astype("int32"),
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
