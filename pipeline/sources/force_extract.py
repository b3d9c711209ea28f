"""A police force's extract, its crimes and ASB incidents CSV files: read, checked, typed."""

from __future__ import annotations

import calendar
import difflib
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from pipeline.digest import sha256_of
from pipeline.errors import InputFileError, InputWarning
from pipeline.sources.police_uk import (
    check_field_counts,
    data_rows,
    missing_columns_problem,
    read_records,
    read_text,
)
from pipeline.taxonomy import home_office
from pipeline.text import listed

CRIMES_HEADER = (
    "crime_ref",
    "recorded_date",
    "offence_group",
    "offence_subgroup",
    "domestic_abuse",
    "da_risk",
    "hate_crime",
    "racially_religiously_aggravated",
    "outcome_type",
    "outcome_date",
    "beat",
    "ward",
    "lsoa_code",
)
ASB_HEADER = ("incident_ref", "date", "asb_category", "location_type", "beat", "ward", "lsoa_code")
SOURCE_COLUMNS = ("source_file", "source_row")
DATE_COLUMN = {"crimes": "recorded_date", "asb": "date"}

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EARLIEST_DATE = date(1950, 1, 1)
NEAREST_CUTOFF = 0.6  # how alike (0 to 1) a name must be to be offered as the nearest known one
TAXONOMY_FILE = "pipeline/data/home_office.yaml"

# An extract holds some 130 bytes a crime: the sample's 20,500 crimes over four years are 2.6 MB,
# and ten years of a busy city district (1.5 million crimes) would be under 200 MB. A file beyond
# that is refused before it is read, so a wrong or damaged file cannot exhaust the memory.
MAX_FILE_BYTES = 200_000_000
TYPICAL_SIZE = "ten years of a busy city district's crimes is under 200 MB"


@dataclass(frozen=True)
class ExtractSummary:
    """What was read from one extract file, for the provenance record."""

    path: str
    kind: str  # "crimes" or "asb"
    size_bytes: int
    sha256: str
    rows: int
    first_date: str  # ISO date of the earliest recorded_date / date
    last_date: str


def read_force_crimes(path: Path) -> pd.DataFrame:
    """A force's crimes file, checked, as canonical typed columns: one row per crime."""
    vocabulary = home_office()
    return (
        _read_table(path, CRIMES_HEADER, "crime")
        .pipe(_check_refs, path, "crime_ref")
        .assign(
            recorded_date=lambda f: _dates(path, f, "recorded_date", required=True),
            offence_group=lambda f: _offence_groups(path, f),
            offence_subgroup=lambda f: _offence_subgroups(path, f),
            domestic_abuse=lambda f: _flags(path, f, "domestic_abuse"),
            da_risk=lambda f: _codes(
                path, f, "da_risk", vocabulary.risk_levels, "a risk level", "no risk assessment"
            ),
            hate_crime=lambda f: _flags(path, f, "hate_crime"),
            racially_religiously_aggravated=lambda f: _flags(
                path, f, "racially_religiously_aggravated"
            ),
            outcome_type=lambda f: _codes(
                path,
                f,
                "outcome_type",
                vocabulary.outcome_codes,
                "a Home Office outcome type",
                "no outcome yet",
            ),
            outcome_date=lambda f: _dates(path, f, "outcome_date", required=False),
        )
        .pipe(_check_da_risk, path)
        .pipe(_check_outcomes, path)
        .pipe(_as_text, ("crime_ref", "beat", "ward", "lsoa_code"))
        .pipe(_with_source, path)
        .loc[:, [*CRIMES_HEADER, *SOURCE_COLUMNS]]
        .reset_index(drop=True)
    )


def read_force_asb(path: Path) -> pd.DataFrame:
    """A force's ASB incidents file, checked, as canonical typed columns: one row per incident."""
    return (
        _read_table(path, ASB_HEADER, "ASB incident")
        .pipe(_check_refs, path, "incident_ref")
        .assign(date=lambda f: _dates(path, f, "date", required=True))
        .pipe(_as_text, [name for name in ASB_HEADER if name != "date"])
        .pipe(_with_source, path)
        .loc[:, [*ASB_HEADER, *SOURCE_COLUMNS]]
        .reset_index(drop=True)
    )


def summarise_extract(path: Path, kind: str, frame: pd.DataFrame) -> ExtractSummary:
    """Size, hash, row count and date range of an extract file that was read."""
    if kind not in DATE_COLUMN:
        raise ValueError(f"kind must be one of {', '.join(DATE_COLUMN)}, not {kind!r}")
    dates = frame[DATE_COLUMN[kind]]
    return ExtractSummary(
        path=str(path),
        kind=kind,
        size_bytes=path.stat().st_size,
        sha256=sha256_of(path),
        rows=len(frame),
        first_date=_iso(dates.min()),
        last_date=_iso(dates.max()),
    )


def months_recorded(frame: pd.DataFrame, column: str) -> set[pd.Period]:
    """The months in which the frame has at least one row, by the date in column."""
    return set(frame[column].dropna().dt.to_period("M").unique())


def _iso(moment: pd.Timestamp) -> str:
    """A timestamp's date as YYYY-MM-DD; empty for NaT."""
    return "" if pd.isna(moment) else moment.date().isoformat()


def _read_table(path: Path, expected: tuple[str, ...], noun: str) -> pd.DataFrame:
    """The expected columns as stripped text, indexed by file row number (header is row 1)."""
    text = read_text(path, MAX_FILE_BYTES, "a force extract file", TYPICAL_SIZE)
    records, starts = read_records(path, text, expected)
    names = _header(path, records[0], expected)
    kept = data_rows(records)
    if not kept:
        raise InputFileError(
            path, f"the file has a header but no rows; expected one row per {noun}.", row=2
        )
    check_field_counts(path, records, starts, kept, names)
    return (
        pd.DataFrame(
            [records[index] for index in kept],
            columns=names,
            index=[starts[index] for index in kept],
            dtype=str,
        )
        .loc[:, list(expected)]
        .apply(lambda column: column.str.strip())
    )


def _header(path: Path, fields: list[str], expected: tuple[str, ...]) -> list[str]:
    """The header's names in their expected spelling, after checking them against the header."""
    written = [name.strip() for name in fields]
    names = _spelled_as_expected(written, expected)
    _check_repeated(path, names, written)
    missing = [name for name in expected if name not in names]
    if missing:
        raise InputFileError(
            path,
            missing_columns_problem(written, expected, missing, read_as=names),
            row=1,
            column=missing[0],
        )
    extra = [name or "(unnamed)" for name in names if name not in expected]
    if extra:
        warnings.warn(
            f"{path}: ignoring extra column(s) {', '.join(extra)}.", InputWarning, stacklevel=4
        )
    return names


def _spelled_as_expected(written: list[str], expected: tuple[str, ...]) -> list[str]:
    """Each header name as the expected name it matches ignoring case; unknown names as written."""
    spelling = {name.casefold(): name for name in expected}
    return [spelling.get(name.casefold(), name) for name in written]


def _check_repeated(path: Path, names: list[str], written: list[str]) -> None:
    """Stop on a column named more than once in the header, however it is written."""
    repeated = [name for name in dict.fromkeys(names) if name and names.count(name) > 1]
    if not repeated:
        return
    name = repeated[0]
    same = dict.fromkeys(alias for alias, n in zip(written, names, strict=True) if n == name)
    spellings = [f"'{alias}'" for alias in same]
    as_written = f" (written {listed(spellings)})" if len(spellings) > 1 else ""
    raise InputFileError(
        path,
        f"column '{name}' appears {names.count(name)} times in the header{as_written}; "
        "each column must appear once.",
        row=1,
        column=name,
    )


def _first_row(flagged: pd.Series) -> int:
    """The file row number of the first flagged row."""
    return int(flagged.index[flagged.to_numpy()][0])


def _rows_text(rows: Sequence[int]) -> str:
    """'row 5', 'rows 5 and 9', 'rows 5, 9 and 12', or the first five and how many more."""
    return f"row {rows[0]}" if len(rows) == 1 else f"rows {listed([str(row) for row in rows])}"


def _check_refs(frame: pd.DataFrame, path: Path, column: str) -> pd.DataFrame:
    """Stop on an empty or repeated reference."""
    refs = frame[column]
    empty = refs.eq("")
    if empty.any():
        raise InputFileError(
            path,
            f"{column} is empty; every row needs its own reference.",
            row=_first_row(empty),
            column=column,
        )
    repeated = refs.duplicated()
    if repeated.any():
        row = _first_row(repeated)
        value = refs.loc[row]
        rows = refs.index[refs.eq(value).to_numpy()].tolist()
        raise InputFileError(
            path,
            f"{column} '{value}' appears on {_rows_text(rows)}; each reference must appear once.",
            row=row,
            column=column,
        )
    return frame


def _dates(path: Path, frame: pd.DataFrame, column: str, required: bool) -> pd.Series:
    """A column of YYYY-MM-DD dates as datetimes, NaT where empty and allowed."""
    text = frame[column]
    empty = text.eq("")
    if required and empty.any():
        raise InputFileError(
            path,
            f"{column} is empty; expected a date written as YYYY-MM-DD.",
            row=_first_row(empty),
            column=column,
        )
    dates = pd.to_datetime(text.where(~empty), format="%Y-%m-%d", errors="coerce")
    bad = ~empty & (dates.isna() | ~text.str.fullmatch(ISO_DATE.pattern))
    if bad.any():
        row = _first_row(bad)
        raise InputFileError(
            path,
            f"{column} {_date_problem(text.loc[row])}; expected a real date written as YYYY-MM-DD.",
            row=row,
            column=column,
        )
    return _check_date_range(path, dates, text, column)


def _check_date_range(path: Path, dates: pd.Series, text: pd.Series, column: str) -> pd.Series:
    """The dates, after stopping on one before 1950-01-01 or after today."""
    today = date.today()
    early = (dates < pd.Timestamp(EARLIEST_DATE)).astype(bool)
    late = (dates > pd.Timestamp(today)).astype(bool)
    if not (early | late).any():
        return dates
    row = _first_row(early | late)
    accepted = f"expected a date from {EARLIEST_DATE.isoformat()} to today ({today.isoformat()})"
    problem = (
        f"is before {EARLIEST_DATE.isoformat()}; {accepted}, so check the year"
        if early.loc[row]
        else f"is after today; {accepted}, as an extract cannot hold future dates"
    )
    raise InputFileError(path, f"{column} '{text.loc[row]}' {problem}.", row=row, column=column)


def _date_problem(value: str) -> str:
    """Why a value is not a real YYYY-MM-DD date, in words."""
    if not ISO_DATE.fullmatch(value):
        return f"'{value}' is not written as YYYY-MM-DD"
    year, month, day = (int(part) for part in value.split("-"))
    if not 1 <= month <= 12:
        return f"'{value}' is not a real date (there is no month {month})"
    if year >= 1 and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return (
            f"'{value}' is not a real date ({calendar.month_name[month]} {year} has no day {day})"
        )
    return f"'{value}' is not a real date"


def _flags(path: Path, frame: pd.DataFrame, column: str) -> pd.Series:
    """A Y/N column as booleans."""
    letters = frame[column].str.upper()
    bad = ~letters.isin(("Y", "N"))
    if bad.any():
        row = _first_row(bad)
        value = frame.loc[row, column]
        found = "is empty" if value == "" else f"is '{value}'"
        raise InputFileError(path, f"{column} {found}; expected Y or N.", row=row, column=column)
    return letters.eq("Y").astype(bool)


def _canonical(values: pd.Series, known: Sequence[str]) -> pd.Series:
    """Each value in its known spelling, matched ignoring case; <NA> where not known."""
    spelling = {name.casefold(): name for name in known}
    return values.str.casefold().map(spelling).astype("string")


def _nearest(value: str, known: Sequence[str]) -> str | None:
    """The known name close to an unknown one, ignoring case, for messages; None if none is."""
    spelling = {name.casefold(): name for name in known}
    close = difflib.get_close_matches(value.casefold(), list(spelling), n=1, cutoff=NEAREST_CUTOFF)
    return spelling[close[0]] if close else None


def _codes(
    path: Path,
    frame: pd.DataFrame,
    column: str,
    known: Sequence[str],
    what: str,
    empty_means: str,
) -> pd.Series:
    """A column of known codes in canonical spelling, <NA> where empty."""
    canonical = _canonical(frame[column], known)
    bad = canonical.isna() & frame[column].ne("")
    if bad.any():
        row = _first_row(bad)
        raise InputFileError(
            path,
            f"{column} '{frame.loc[row, column]}' is not {what}; expected "
            f"{', '.join(known[:-1])} or {known[-1]}, or empty for {empty_means}.",
            row=row,
            column=column,
        )
    return canonical


def _unknown_rows(values: pd.Series, unknown: pd.Series) -> tuple[str, list[int]]:
    """The first unknown value and every row holding it (ignoring case)."""
    value = values.loc[_first_row(unknown)]
    same = values.str.casefold().eq(value.casefold()).to_numpy()
    return value, values.index[same].tolist()


def _unknown_name(
    path: Path,
    values: pd.Series,
    unknown: pd.Series,
    known: Sequence[str],
    kind: str,
    expected: str,
) -> InputFileError:
    """The error for an unknown offence group or subgroup: its rows, and the nearest known name."""
    value, rows = _unknown_rows(values, unknown)
    nearest = _nearest(value, known)
    problem = (
        f"{values.name} is empty on {_rows_text(rows)}; {expected}"
        if value == ""
        else f"unknown offence {kind} '{value}' on {_rows_text(rows)}; "
        + (f"the nearest Home Office {kind} is '{nearest}'." if nearest else expected)
    )
    return InputFileError(path, problem, row=rows[0], column=str(values.name))


def _offence_groups(path: Path, frame: pd.DataFrame) -> pd.Series:
    """offence_group in its Home Office spelling."""
    groups = tuple(home_office().groups)
    canonical = _canonical(frame["offence_group"], groups)
    unknown = canonical.isna()
    if unknown.any():
        expected = f"expected a Home Office offence group: {', '.join(groups)}."
        raise _unknown_name(path, frame["offence_group"], unknown, groups, "group", expected)
    return canonical


def _offence_subgroups(path: Path, frame: pd.DataFrame) -> pd.Series:
    """offence_subgroup in its Home Office spelling, checked against its row's offence_group."""
    taxonomy = home_office()
    canonical = _canonical(frame["offence_subgroup"], taxonomy.subgroups)
    unknown = canonical.isna()
    if unknown.any():
        group = frame.loc[_first_row(unknown), "offence_group"]
        expected = f"expected {_subgroup_choices(group)}."
        raise _unknown_name(
            path, frame["offence_subgroup"], unknown, taxonomy.subgroups, "subgroup", expected
        )
    belongs = canonical.map(taxonomy.group_of)
    elsewhere = belongs.ne(frame["offence_group"]).astype(bool)
    if elsewhere.any():
        row = _first_row(elsewhere)
        subgroup, group = canonical.loc[row], frame.loc[row, "offence_group"]
        same = (canonical.eq(subgroup) & frame["offence_group"].eq(group)).to_numpy()
        raise InputFileError(
            path,
            f"offence subgroup '{subgroup}' on {_rows_text(canonical.index[same].tolist())} "
            f"belongs to the group '{belongs.loc[row]}', not '{group}'; "
            "correct offence_group or offence_subgroup.",
            row=row,
            column="offence_subgroup",
        )
    return canonical


def _subgroup_choices(group: str) -> str:
    """The subgroups a row's offence_group allows, in words, or where the list is kept."""
    subgroups = home_office().groups.get(group)
    if subgroups is None:
        return f"a Home Office offence subgroup (they are listed in {TAXONOMY_FILE})"
    return f"a subgroup of '{group}': {', '.join(subgroups)}"


def _check_da_risk(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Stop on a risk level given for a crime not flagged as domestic abuse."""
    bad = (frame["da_risk"].notna() & ~frame["domestic_abuse"]).astype(bool)
    if bad.any():
        row = _first_row(bad)
        raise InputFileError(
            path,
            f"da_risk is '{frame.loc[row, 'da_risk']}' but domestic_abuse is N; only a domestic "
            "abuse crime has a risk level, so set domestic_abuse to Y or leave da_risk empty.",
            row=row,
            column="da_risk",
        )
    return frame


def _check_outcomes(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Stop on an outcome type without its date or the other way round, or an early outcome."""
    has_type, has_date = frame["outcome_type"].notna(), frame["outcome_date"].notna()
    both_or_neither = "give both (an outcome and its date) or neither (no outcome yet)."
    no_date = (has_type & ~has_date).astype(bool)
    if no_date.any():
        row = _first_row(no_date)
        raise InputFileError(
            path,
            f"outcome_type is '{frame.loc[row, 'outcome_type']}' but outcome_date is empty; "
            + both_or_neither,
            row=row,
            column="outcome_date",
        )
    no_type = (has_date & ~has_type).astype(bool)
    if no_type.any():
        row = _first_row(no_type)
        raise InputFileError(
            path,
            f"outcome_date is {_iso(frame.loc[row, 'outcome_date'])} but outcome_type is empty; "
            + both_or_neither,
            row=row,
            column="outcome_type",
        )
    early = (frame["outcome_date"] < frame["recorded_date"]).astype(bool)
    if early.any():
        row = _first_row(early)
        raise InputFileError(
            path,
            f"outcome_date {_iso(frame.loc[row, 'outcome_date'])} is before recorded_date "
            f"{_iso(frame.loc[row, 'recorded_date'])}; an outcome cannot come before the crime "
            "was recorded.",
            row=row,
            column="outcome_date",
        )
    return frame


def _as_text(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The frame with columns as pandas strings."""
    return frame.astype(dict.fromkeys(columns, "string"))


def _with_source(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The frame with the file's name and each row's number in it (header is row 1)."""
    return frame.assign(
        source_file=pd.Series(path.name, index=frame.index, dtype="string"),
        source_row=frame.index.to_numpy().astype("int32"),
    )
