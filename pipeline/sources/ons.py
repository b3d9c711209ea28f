"""The ONS police force area data tables: recorded crime by Community Safety Partnership.

The ONS publishes one workbook a quarter ("Crime in England and Wales: police force area data
tables"). Three of its tables are read, each a sheet of one row per area and one column per
offence group, from "Total recorded crime (excluding fraud)":

- `Table C2`: offences in the year ending the workbook's month (the title says which);
- `Table C5`: offences in the year before;
- `Table C4`: rates per 1,000 population, with the population (mid-year, rounded to 100).

What a reader must handle, as published: sheet names with trailing spaces; a few lines of notes
above the header (row 8 in the editions seen, found here by its names, not its number); headers
with line breaks; markers in cells (`[x]` and `[X]` unavailable, `[u]` and `[u1]` unreliable or
not presented: no figure) and in names (`[note 5]`); names with trailing spaces; a force's own
subtotal row (no partnership code) above its partnerships, and an `Unassigned <force>` row of
crimes placed in no partnership (and rows such as `Manchester Airport`, also in none). Force
subtotals are not read: a force is the sum of its partnerships. Rows in no partnership are kept
apart. The CSP notes sheet (`Notes - CSP`) is read, with the notes each force or partnership's
name carries (`Leicestershire [note 4]`), so the caveats that apply to an area can be shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from pipeline.errors import InputFileError
from pipeline.sources.workbook import WorkbookLimits, check_package, check_size, open_workbook

COUNTS_SHEET, PREVIOUS_SHEET, RATES_SHEET = "Table C2", "Table C5", "Table C4"
AREA_COLUMNS = {
    "police force area code": "force_code",
    "police force area name": "force",
    "community safety partnership code": "csp_code",
    "community safety partnership name": "csp",
}
FIRST_GROUP = "Total recorded crime (excluding fraud)"
MARKERS = {"[x]", "[u]", "[u1]"}  # compared ignoring case: no figure
NOTE = re.compile(r"\s*\[note \d+\]", re.IGNORECASE)
NOTE_NUMBER = re.compile(r"\[note (\d+)\]", re.IGNORECASE)
NOTES_SHEET = re.compile(r"^notes[\s_-]*csp$", re.IGNORECASE)  # `Notes - CSP`, `Notes_CSP`
PERIOD = re.compile(r"year ending (\w+ \d{4})", re.IGNORECASE)
POPULATION = re.compile(r"^population figures", re.IGNORECASE)
PER_POPULATION = " (per 1,000 population)"
HEADER_SEARCH_ROWS = 30
# An edition is about 0.7 MB, 3 MB unpacked (18 sheets); far larger is not the ONS's workbook.
WORKBOOK_LIMITS = WorkbookLimits(
    max_file_bytes=20_000_000,
    max_unpacked_bytes=40_000_000,
    max_parts=1_000,
    kind="the ONS police force area data tables",
    typical="an edition is under 1 MB, about 3 MB unpacked",
    unpacked_advice="download the tables again from the ONS",
)
TIDY_COLUMNS = ["force_code", "force", "csp_code", "csp", "offence_group", "value"]


@dataclass(frozen=True)
class OnsTables:
    """What the workbook gives, tidy: one row per partnership (or unassigned row) and group."""

    path: Path
    period: str  # the year the counts end, as the title says: `December 2024`
    previous_period: str  # the year before's, as C5's title says: `December 2023`
    population_vintage: str  # as C4's header says: `mid-2022`
    partnerships: pd.DataFrame  # force_code, force, csp_code, csp, offence_group, offences,
    # offences_previous, rate (C4's, per 1,000), population (C4's, rounded to 100)
    unassigned: pd.DataFrame  # force_code, force, csp (the row's name: `Unassigned Wiltshire`,
    # `Manchester Airport`), offence_group, offences, offences_previous
    notes: dict[int, str] = field(default_factory=dict)  # the CSP notes sheet: number, text
    noted: dict[str, tuple[int, ...]] = field(default_factory=dict)  # area code: the notes its
    # names carry in C2, C4 or C5 (a force's code for its own name, a partnership's for its)


def plain(text: object) -> str:
    """A header or name as words: line breaks and runs of spaces as one space, notes removed."""
    return " ".join(NOTE.sub("", str(text)).split())


def read_ons_tables(path: Path) -> OnsTables:
    """The workbook's partnership rows of C2, C5 and C4, checked, as one tidy table."""
    check_size(path, WORKBOOK_LIMITS)
    check_package(path, WORKBOOK_LIMITS)
    workbook = open_workbook(path)
    try:
        sheets = {name.strip(): workbook[name] for name in workbook.sheetnames}
        counts = read_table(path, sheets, COUNTS_SHEET)
        previous = read_table(path, sheets, PREVIOUS_SHEET)
        rates = read_table(path, sheets, RATES_SHEET)
        period, previous_period = (
            title_period(path, sheets, name) for name in (COUNTS_SHEET, PREVIOUS_SHEET)
        )
        notes = read_notes(sheets)
    finally:
        workbook.close()
    population = rates.table[rates.table["offence_group"].str.match(POPULATION)]
    if population.empty:
        raise InputFileError(
            path, f"sheet '{RATES_SHEET}': no 'Population figures' column beside its rates"
        )
    vintage = re.search(r"\((mid-\d{4})\)", population["offence_group"].iloc[0])
    offences = whole_numbers(path, COUNTS_SHEET, counts.table)
    offences_before = whole_numbers(path, PREVIOUS_SHEET, previous.table)
    population = whole_numbers(path, RATES_SHEET, population)
    return OnsTables(
        path=path,
        period=period,
        previous_period=previous_period,
        population_vintage=vintage.group(1) if vintage else "",
        partnerships=partnership_rows(offences, offences_before, rates.table, population),
        unassigned=unassigned_rows(offences, offences_before),
        notes=notes,
        noted=merge_noted(counts.noted, previous.noted, rates.noted),
    )


def title_period(path: Path, sheets: dict, name: str) -> str:
    """The year a table's counts end, as its title says it: `December 2024`."""
    title = plain(next(sheets[name].iter_rows(max_row=1, values_only=True))[0])
    period = PERIOD.search(title)
    if period is None:
        raise InputFileError(
            path, f"sheet '{name}': its title does not say the year it ends: {title!r}"
        )
    return period.group(1)


def read_notes(sheets: dict) -> dict[int, str]:
    """The CSP notes sheet's notes by number (none where the workbook has no such sheet)."""
    sheet = next((sheets[name] for name in sheets if NOTES_SHEET.match(name)), None)
    if sheet is None:
        return {}
    notes = {}
    for row in sheet.iter_rows(values_only=True):
        if len(row) >= 2 and isinstance(row[0], int) and row[1]:
            notes[row[0]] = " ".join(str(row[1]).split())
    return notes


def merge_noted(*tables: dict[str, set[int]]) -> dict[str, tuple[int, ...]]:
    """Every area's note numbers, from every table read."""
    merged: dict[str, set[int]] = {}
    for table in tables:
        for code, numbers in table.items():
            merged.setdefault(code, set()).update(numbers)
    return {code: tuple(sorted(numbers)) for code, numbers in sorted(merged.items())}


@dataclass(frozen=True)
class Table:
    """One sheet's area rows, tidy, with the offence groups its header names."""

    table: pd.DataFrame
    groups: list[str]
    noted: dict[str, set[int]]  # area code: the notes its names carry


def read_table(path: Path, sheets: dict, name: str) -> Table:
    """One sheet's rows below its header, tidy (area, group, value), markers read as no figure."""
    if name not in sheets:
        raise InputFileError(
            path,
            f"has no sheet '{name}': is it the ONS police force area data tables? (its sheets: "
            f"{', '.join(sheets) or 'none'})",
        )
    rows = list(sheets[name].iter_rows(values_only=True))
    number, header = find_header(path, name, rows)
    columns = {plain(cell).lower(): index for index, cell in enumerate(header) if cell is not None}
    names = {plain(cell): index for index, cell in enumerate(header) if cell is not None}
    first = names.get(FIRST_GROUP)
    if first is None or any(key not in columns for key in AREA_COLUMNS):
        raise InputFileError(
            path,
            f"sheet '{name}': the header (row {number}) is not the ONS layout: it needs the "
            f"columns {', '.join(repr(key) for key in AREA_COLUMNS)} and '{FIRST_GROUP}'",
            row=number,
        )
    groups = {
        plain(cell): index
        for index, cell in enumerate(header)
        if cell is not None and (index >= first or POPULATION.match(plain(cell)))
    }
    records, noted = [], {}
    for offset, row in enumerate(rows[number:], start=number + 1):
        for key, code_key in (
            ("police force area name", "police force area code"),
            ("community safety partnership name", "community safety partnership code"),
        ):
            carried = notes_in(row, columns[key])
            code = clean_name(row[columns[code_key]]) if columns[code_key] < len(row) else ""
            if carried and code:
                noted.setdefault(code, set()).update(carried)
        area = {
            field: clean_name(row[columns[key]]) if columns[key] < len(row) else ""
            for key, field in AREA_COLUMNS.items()
        }
        if not area["force_code"]:
            continue  # a blank or closing line
        for group, index in groups.items():
            value = row[index] if index < len(row) else None
            number_read = figure(path, name, offset, index, group, value)
            records.append(area | {"offence_group": group, "value": number_read})
    table = pd.DataFrame(records, columns=TIDY_COLUMNS).astype(
        {column: "string" for column in TIDY_COLUMNS[:-1]} | {"value": "Float64"}
    )
    return Table(table, list(groups), noted)


def notes_in(row: tuple, index: int) -> set[int]:
    """The note numbers a cell carries (`Leicestershire [note 4]`)."""
    value = row[index] if index < len(row) else None
    return {int(number) for number in NOTE_NUMBER.findall(str(value))} if value else set()


def find_header(path: Path, name: str, rows: list[tuple]) -> tuple[int, tuple]:
    """The header row (its number as the spreadsheet shows it) and its cells."""
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        if any(plain(cell).lower() == "community safety partnership code" for cell in row if cell):
            return number, row
    raise InputFileError(
        path,
        f"sheet '{name}': no header row naming 'Community Safety Partnership code' in its first "
        f"{HEADER_SEARCH_ROWS} rows: is it the ONS police force area data tables?",
    )


def clean_name(value: object) -> str:
    """A code or name as written, without surrounding spaces or note markers; '' for none."""
    return "" if value is None else plain(value)


def figure(path: Path, sheet: str, row: int, index: int, group: str, value: object) -> float | None:
    """A cell's number; None for a marker ([x], [u]...) or an empty cell; else it stops."""
    if value is None or isinstance(value, bool):
        return None if value is None else _not_a_number(path, sheet, row, index, group, value)
    if isinstance(value, int | float):
        return float(value)
    if str(value).strip().lower() in MARKERS:
        return None
    return _not_a_number(path, sheet, row, index, group, value)


def _not_a_number(path: Path, sheet: str, row: int, index: int, group: str, value: object):
    raise InputFileError(
        path,
        f"sheet '{sheet}': {value!r} is not a number, nor one of the ONS markers [x], [u], [u1]",
        row=row,
        column=f"{get_column_letter(index + 1)} ({group})",
    )


def whole_numbers(path: Path, sheet: str, table: pd.DataFrame) -> pd.DataFrame:
    """A sheet of counts with its values as whole numbers; a fraction stops (never rounded)."""
    values = table["value"]
    fraction = values.notna() & (values % 1 != 0)
    if fraction.any():
        row = table[fraction].iloc[0]
        raise InputFileError(
            path,
            f"sheet '{sheet}': {row['csp'] or row['force']} has {row['value']} "
            f"'{row['offence_group']}', not a whole number of crimes",
        )
    return table.assign(value=values.astype("Int64"))


def partnership_rows(
    counts: pd.DataFrame, previous: pd.DataFrame, rates: pd.DataFrame, population: pd.DataFrame
) -> pd.DataFrame:
    """Each partnership's offences this year and last, C4's rate and population, by group."""
    keys = ["force_code", "force", "csp_code", "csp", "offence_group"]
    rates = rates.assign(
        offence_group=rates["offence_group"].str.replace(PER_POPULATION, "", regex=False)
    )
    chosen = counts[counts["csp_code"] != ""]
    return (
        chosen.rename(columns={"value": "offences"})
        .merge(previous.rename(columns={"value": "offences_previous"}), on=keys, how="left")
        .merge(rates.rename(columns={"value": "rate"}), on=keys, how="left")
        .merge(
            population[["csp_code", "value"]].rename(columns={"value": "population"}),
            on="csp_code",
            how="left",
        )
        .reset_index(drop=True)
    )


def unassigned_rows(counts: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Each force's crimes placed in no partnership (a named row with no partnership code: its
    `Unassigned <force>` row, an airport), by group."""
    keys = ["force_code", "csp", "offence_group"]

    def chosen(table: pd.DataFrame) -> pd.DataFrame:
        rows = table[(table["csp_code"] == "") & (table["csp"] != "")]
        return rows[["force_code", "force", "csp", "offence_group", "value"]]

    return (
        chosen(counts)
        .rename(columns={"value": "offences"})
        .merge(
            chosen(previous).drop(columns="force").rename(columns={"value": "offences_previous"}),
            on=keys,
            how="left",
        )
        .reset_index(drop=True)
    )
