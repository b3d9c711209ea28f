"""The CSP manager's tracker: action plan, quarterly returns to the OPCC and grant, checked.

The tracker is an Excel workbook (`.xlsx`) with the sheets `Action plan`, `Quarterly returns`
and `Grant` (any other sheet, such as `Read me`, is ignored), or a folder holding the same three
tables as `action-plan.csv`, `quarterly-returns.csv` and `grant.csv`. Row 1 of each is the header;
its names are matched ignoring case and surrounding spaces, in any order. Blank rows are skipped
and every message gives the row number the spreadsheet shows (the header is row 1; in a CSV file a
cell with line breaks still counts as one row, as Excel shows it).

- `Action plan`: one row per action. `Project` is the short name the quarterly returns and the
  Grant sheet use for a funded project (blank for an action that is not one; several actions may
  share a project). A blank `Priority` or `Objective` means the same as the row above, as in a
  table with merged cells. `Financial year` (optional, for trackers made before it) says which
  year's plan an action belongs to; without it, the actions are the year of the returns.
- `Quarterly returns`: one row per project per quarter of a financial year. `Cost to date` is the
  running total spent in that financial year (blank if nothing is reported), so it never falls
  from one quarter to the next; `RAG` is Red, Amber or Green, blank while not yet rated.
- `Grant`: rows of financial year, project and amount. The row whose project is blank is the
  year's grant allocation (Harborough's 2023-24: £37,479.75); every other row is that project's
  budget for the year. A year has at most one allocation, and a project one budget a year.

Money is exact: `Decimal` pounds with pence, never floats.
"""

from __future__ import annotations

import difflib
import math
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import openpyxl
import pandas as pd
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from pipeline.errors import InputFileError, InputWarning, ParameterError, QuarterWarning
from pipeline.numbers import format_money
from pipeline.paths import project_path
from pipeline.periods import QUARTER_MONTHS, parse_financial_year, parse_quarter
from pipeline.sources.police_uk import (
    check_repeated_columns,
    missing_columns_problem,
    read_records,
    read_text,
)
from pipeline.sources.workbook import (
    WorkbookLimits,
    check_package,
    check_size,
    open_workbook,
)
from pipeline.text import join_words, listed

T = TypeVar("T")

PLAN_SHEET, RETURNS_SHEET, GRANT_SHEET = "Action plan", "Quarterly returns", "Grant"
SHEETS = (PLAN_SHEET, RETURNS_SHEET, GRANT_SHEET)
CSV_FILES = {
    PLAN_SHEET: "action-plan.csv",
    RETURNS_SHEET: "quarterly-returns.csv",
    GRANT_SHEET: "grant.csv",
}

# Each sheet's header as the analyst writes it, and the table column each name becomes.
PLAN_COLUMNS = {
    "Financial year": "financial_year",
    "Priority": "priority",
    "Objective": "objective",
    "Action": "action",
    "Success measure": "success_measure",
    "Lead": "lead",
    "Funding": "funding",
    "Project": "project",
}
RETURNS_COLUMNS = {
    "Financial year": "financial_year",
    "Quarter": "quarter",
    "Project": "project",
    "Rationale": "rationale",
    "Activities to date": "activities_to_date",
    "Success measures proposed": "success_measures_proposed",
    "Success to date": "success_to_date",
    "Cost to date": "cost_to_date",
    "RAG": "rag",
    "Notes": "notes",
}
GRANT_COLUMNS = {"Financial year": "financial_year", "Project": "project", "Amount": "amount"}
COLUMNS = {PLAN_SHEET: PLAN_COLUMNS, RETURNS_SHEET: RETURNS_COLUMNS, GRANT_SHEET: GRANT_COLUMNS}
# Columns a sheet may leave out: an action plan without its year is read as the year of the
# returns (trackers made before the column was added keep working).
OPTIONAL_COLUMNS = {PLAN_SHEET: {"Financial year"}}
HEADERS = {
    sheet: {column: name for name, column in names.items()} for sheet, names in COLUMNS.items()
}

RAG_WORDS = ("Red", "Amber", "Green")
RAG_SPELLING = {word.casefold(): word for word in RAG_WORDS} | {
    word[0].casefold(): word for word in RAG_WORDS
}
PENCE = Decimal("0.01")
MAX_AMOUNT = Decimal(1_000_000_000)  # within Decimal's 28 digits, beyond any grant
MONEY = re.compile(r"(?P<pounds>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<pence>\d+))?")
MONEY_EXAMPLES = "pounds and pence such as £1,000.50, £1,000 or 1000"
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits; beyond them a float's digits are artefacts
NEAREST_CUTOFF = 0.6  # how alike (0 to 1) a name must be to be offered as the nearest project

# A tracker is a few hundred rows of text: a few hundred KB. A file far beyond that is refused
# before it is read, so a wrong or damaged file cannot exhaust the memory.
MAX_FILE_BYTES = 20_000_000
TYPICAL_SIZE = "a year's tracker is well under 1 MB"
# What a tracker workbook's parts may unpack to (pipeline/sources/workbook.py). Rows and
# columns far beyond any tracker's are not read.
MAX_UNPACKED_BYTES = 4_000_000
WORKBOOK_LIMITS = WorkbookLimits(
    max_file_bytes=MAX_FILE_BYTES,
    max_unpacked_bytes=MAX_UNPACKED_BYTES,
    max_parts=1_000,
    kind="a tracker",
    typical=TYPICAL_SIZE,
    unpacked_advice="copy its three sheets into a new workbook without the others",
)
MAX_ROWS = 10_000
MAX_COLUMNS = 100  # columns A to CV
MAX_CELLS_LISTED = 20  # formula cells named in the reviewer's warning, then how many more


@dataclass(frozen=True, eq=False)
class Tracker:
    """The tracker's tables, checked and typed; money columns hold Decimal (or None)."""

    plan: pd.DataFrame  # one row per action
    returns: pd.DataFrame  # one row per project per quarter
    budgets: pd.DataFrame  # one row per project per financial year
    allocation: dict[str, Decimal] = field(default_factory=dict)  # grant by financial year
    path: Path | None = None


@dataclass(frozen=True)
class _Sheet:
    """One sheet's (or CSV file's) cells: where it came from and its rows by canonical column."""

    where: str  # the file, and for a workbook the sheet: names the place in messages
    name: str  # the sheet's name: Action plan, Quarterly returns or Grant
    rows: dict[int, dict[str, object]]  # spreadsheet row number -> canonical column -> cell

    def error(
        self, problem: str, row: int | None = None, column: str | None = None
    ) -> InputFileError:
        """An InputFileError naming this sheet, the row and the column by its header name."""
        header = HEADERS[self.name][column] if column else None
        return InputFileError(self.where, problem, row=row, column=header)


@dataclass(frozen=True)
class _WorkbookCells:
    """A workbook sheet's saved values as read, before its header is checked."""

    rows: list[tuple[int, tuple[object, ...]]]  # (row number, values) of rows holding a value
    last_row: int  # the last row (up to MAX_ROWS) the file holds any cell on
    empty_text: frozenset[tuple[int, int]]  # (row, column position) of formulas showing ""


@dataclass(frozen=True)
class _Formulas:
    """A sheet's formula cells by (row number, column position)."""

    unsaved: dict[tuple[int, int], str] = field(default_factory=dict)  # formula, no saved value
    saved: tuple[tuple[int, int], ...] = ()  # the workbook saved the value the formula shows


def parse_money(value: object) -> Decimal:
    """An amount of money in pounds, exact to the penny: '£1,000.50', ' 1,000 ', 1000, 1000.5."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{_shown(value)} is not an amount of money; expected {MONEY_EXAMPLES}.")
    if isinstance(value, Decimal | int | float):
        amount = _number_as_money(value)
    else:
        amount = _text_as_money(str(value))
    if amount < 0:
        raise ValueError(
            f"{_shown(value)} is negative; expected an amount of £0 or more, in {MONEY_EXAMPLES}."
        )
    if amount > MAX_AMOUNT:
        raise ValueError(
            f"{_shown(value)} is more than {format_money(MAX_AMOUNT)}, far beyond any "
            "partnership's grant; check the cell holds the amount in pounds."
        )
    return amount.quantize(PENCE)


def _number_as_money(value: Decimal | int | float) -> Decimal:
    """A spreadsheet number as pounds: at most two decimal places, after Excel's precision."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{_shown(value)} is not an amount of money; expected {MONEY_EXAMPLES}.")
    amount = Decimal(str(value))
    if isinstance(value, float) and amount.as_tuple().exponent < -2:
        # A computed cell (say =0.1+0.2) can hold 0.30000000000000004; Excel shows and keeps
        # only 15 significant digits, so the amount it shows is the one meant.
        amount = Decimal(format(value, f".{EXCEL_DIGITS}g"))
    if amount.as_tuple().exponent < -2:
        raise ValueError(
            f"{_shown(value)} has more than two decimal places; expected pounds and pence, "
            "such as £1,000.50."
        )
    return amount


def _text_as_money(text: str) -> Decimal:
    """Money written as text: an optional £, thousands commas, at most two decimal places."""
    written = text.strip()
    plain = written.replace("£", "", 1).strip()
    if plain.startswith("-") or written.startswith("-") or plain.startswith("("):
        number = MONEY.fullmatch(plain.strip("-() £"))
        if number:
            raise ValueError(
                f"'{written}' is negative; expected an amount of £0 or more, in {MONEY_EXAMPLES}."
            )
    match = MONEY.fullmatch(plain)
    if not match:
        problem = "the cell is empty" if not written else f"'{written}' is not an amount of money"
        raise ValueError(
            f"{problem}; expected {MONEY_EXAMPLES} (only the amount: no words or other signs)."
        )
    if match["pence"] is not None and len(match["pence"]) > 2:
        raise ValueError(
            f"'{written}' has more than two decimal places; expected pounds and pence, "
            "such as £1,000.50."
        )
    return Decimal(f"{match['pounds'].replace(',', '')}.{match['pence'] or '0'}")


def _shown(value: object) -> str:
    """A cell's value as quoted in a message."""
    return "an empty cell" if value is None else f"'{value}'"


def parse_rag(value: object) -> str | None:
    """Red, Amber or Green from any case or R/A/G; None for a blank (not yet rated)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    word = RAG_SPELLING.get(text.casefold())
    if word is None:
        raise ValueError(
            f"'{text}' is not a RAG status; expected Red, Amber or Green (or R, A or G, "
            "in any case), or blank if the project is not yet rated."
        )
    return word


def quarter_cell(value: object) -> int:
    """A quarter of the financial year from a cell, written 2, 2.0, '2' or 'Q2'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _text(value)
    try:
        return parse_quarter(text.upper().removeprefix("Q").strip())
    except ParameterError:
        found = "the cell is empty" if not text else f"'{text}' is not a quarter"
        quarters = ", ".join(f"{quarter} = {months}" for quarter, months in QUARTER_MONTHS.items())
        raise ValueError(f"{found}; expected 1, 2, 3 or 4 ({quarters}).") from None


def financial_year_cell(value: object) -> str:
    """A financial year from a cell, written like 2023-24 (April 2023 to March 2024)."""
    text = _text(value)
    try:
        return parse_financial_year(text).name
    except ParameterError:
        found = "the cell is empty" if not text else f"'{text}' is not a financial year"
        raise ValueError(
            f"{found}; expected one written like 2023-24 (April 2023 to March 2024), "
            "the second year following the first."
        ) from None


def read_tracker(path: Path) -> Tracker:
    """The tracker workbook, or folder of three CSV files, checked, as typed tables."""
    path = Path(path)
    sheets = _read_folder(path) if path.is_dir() else _read_workbook(path)
    plan = _plan(sheets[PLAN_SHEET])
    projects = _projects(plan)
    budgets, allocation = _grant(sheets[GRANT_SHEET], projects)
    returns = _returns(sheets[RETURNS_SHEET], projects)
    plan = _plan_years(plan, returns)
    _check_running_totals(sheets[RETURNS_SHEET], returns)
    _warn_over_budget(sheets[RETURNS_SHEET], returns, budgets, sheets[GRANT_SHEET])
    return Tracker(plan=plan, returns=returns, budgets=budgets, allocation=allocation, path=path)


def _read_workbook(path: Path) -> dict[str, _Sheet]:
    """The three sheets of an .xlsx workbook, read within bounds a real tracker never meets."""
    expected = "expected an Excel workbook (.xlsx) or a folder holding " + listed(
        list(CSV_FILES.values())
    )
    if not path.exists():
        raise InputFileError(path, f"not found; {expected}.")
    if path.suffix.casefold() not in (".xlsx", ".xlsm"):
        raise InputFileError(path, f"is not an .xlsx workbook; {expected}.")
    check_size(path, WORKBOOK_LIMITS)
    check_package(path, WORKBOOK_LIMITS)
    values_book, formulas_book = open_workbook(path, True), open_workbook(path, False)
    try:
        by_name = {name.strip().casefold(): name for name in values_book.sheetnames}
        missing = [sheet for sheet in SHEETS if sheet.casefold() not in by_name]
        if missing:
            found = listed([f"'{name}'" for name in values_book.sheetnames])
            raise InputFileError(
                path,
                f"no sheet named {listed([repr(name) for name in missing])}; the workbook has "
                f"{found}, and a tracker needs the sheets {listed([repr(s) for s in SHEETS])} "
                "(make tracker-template writes an empty one).",
            )
        sheets = {}
        for sheet in SHEETS:
            where = f"{project_path(path)} (sheet '{sheet}')"
            name = by_name[sheet.casefold()]
            cells = _workbook_rows(where, values_book[name])
            formulas = _formula_cells(formulas_book[name], cells)
            sheets[sheet] = _sheet(where, sheet, cells.rows, formulas)
        return sheets
    finally:
        values_book.close()
        formulas_book.close()


def _workbook_rows(where: str, sheet: ReadOnlyWorksheet) -> _WorkbookCells:
    """A sheet's saved values, row by row, within MAX_ROWS and the first MAX_COLUMNS columns."""
    if (sheet.max_column or 0) > MAX_COLUMNS:
        warnings.warn(
            f"{where}: the sheet says it uses columns up to {_letter(sheet.max_column - 1)}; "
            f"only columns A to {_letter(MAX_COLUMNS - 1)} are read, which hold every "
            "column a tracker has.",
            InputWarning,
            stacklevel=5,
        )
    sheet.reset_dimensions()  # a file's stated size can be wrong; read every row it holds
    rows, empty_text, last_row, gap = [], set(), 0, None
    for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), 1):
        if cells is gap:  # openpyxl yields one shared tuple for every row the file leaves out
            continue
        present = [cell for cell in cells if cell is not EMPTY_CELL]
        if not present:
            gap = cells
            continue
        if number > MAX_ROWS:
            stray = next((cell for cell in present if cell.value is not None), None)
            if stray is not None:
                raise InputFileError(
                    where,
                    f"cell {stray.coordinate} holds {_shown(_text(stray.value)[:40])}, below "
                    f"row {MAX_ROWS:,}, the last a tracker may use; delete it (in Excel, "
                    "Ctrl+End goes to the last cell in use) or check it is the right file.",
                    row=number,
                )
            continue
        last_row = number
        values = tuple(cell.value for cell in cells)
        if any(value is not None for value in values):
            rows.append((number, values))
        empty_text.update(
            (number, index)
            for index, cell in enumerate(cells)
            if cell.value is None and cell.data_type == "str"
        )
    return _WorkbookCells(rows, last_row, frozenset(empty_text))


def _formula_cells(sheet: ReadOnlyWorksheet, cells: _WorkbookCells) -> _Formulas:
    """The sheet's formula cells, split by whether the workbook saved the value each shows."""
    if cells.last_row == 0:
        return _Formulas()
    value_at = {
        (number, index): value
        for number, values in cells.rows
        for index, value in enumerate(values)
        if value is not None
    }
    sheet.reset_dimensions()
    unsaved, saved = {}, []
    for row in sheet.iter_rows(max_row=cells.last_row, max_col=MAX_COLUMNS):
        for index, cell in enumerate(row):
            if cell.data_type != "f":
                continue
            place = (cell.row, index)
            if place in value_at or place in cells.empty_text:
                saved.append(place)
            else:
                unsaved[place] = str(getattr(cell.value, "text", cell.value))
    return _Formulas(unsaved, tuple(saved))


def _read_folder(folder: Path) -> dict[str, _Sheet]:
    """The three tables as CSV files in a folder."""
    sheets = {}
    for sheet, name in CSV_FILES.items():
        path = folder / name
        expected = tuple(COLUMNS[sheet])
        if not path.is_file():
            raise InputFileError(
                path,
                f"not found; a tracker folder holds {listed(list(CSV_FILES.values()))}, "
                f"and {name} has the header {','.join(expected)}.",
            )
        text = read_text(path, MAX_FILE_BYTES, "a tracker CSV file", TYPICAL_SIZE)
        records, _ = read_records(path, text, expected)
        sheets[sheet] = _sheet(project_path(path), sheet, list(enumerate(map(tuple, records), 1)))
    return sheets


def _sheet(
    where: str,
    name: str,
    rows: list[tuple[int, tuple[object, ...]]],
    formulas: _Formulas | None = None,
) -> _Sheet:
    """A sheet's data rows by canonical column, after checking its header (row 1)."""
    expected = COLUMNS[name]
    if not rows or rows[0][0] != 1 or not any(_text(cell) for cell in rows[0][1]):
        raise InputFileError(
            where, f"the header is missing; expected {','.join(expected)} on row 1.", row=1
        )
    written = [_text(cell) for cell in rows[0][1]]
    positions = _header(where, name, written)
    used = sorted({i for _, cells in rows[1:] for i, cell in enumerate(cells) if _text(cell)})
    unnamed = [i for i in used if i >= len(written) or not written[i]]
    if unnamed:
        warnings.warn(
            f"{where}: ignoring values in column(s) with no header "
            f"({listed([_letter(i) for i in unnamed])}).",
            InputWarning,
            stacklevel=4,
        )
    if formulas is not None:
        _check_formulas(where, name, formulas, positions)
    kept = {}
    for number, cells in rows[1:]:
        values = {column: cells[i] if i < len(cells) else None for column, i in positions.items()}
        if any(_text(cell) for cell in cells):
            kept[number] = values
    return _Sheet(where, name, kept)


def _check_formulas(where: str, name: str, formulas: _Formulas, positions: dict[str, int]) -> None:
    """Stop on a read cell whose formula has no saved value; note the cells that had one."""
    header_of = {i: HEADERS[name][column] for column, i in positions.items()}
    unsaved = sorted(place for place in formulas.unsaved if place[1] in header_of)
    if unsaved:
        row, index = unsaved[0]
        others = f" ({len(unsaved) - 1:,} more cells are the same)" if len(unsaved) > 1 else ""
        raise InputFileError(
            where,
            f"cell {_letter(index)}{row} holds the formula {formulas.unsaved[row, index]} but "
            f"no saved value{others}, as in a workbook written by a program and never saved "
            "from a spreadsheet; open and save the workbook in Excel or LibreOffice so its "
            "values are saved, then run again.",
            row=row,
            column=header_of[index],
        )
    saved = sorted(place for place in formulas.saved if place[1] in header_of)
    if saved:
        cells = [f"{_letter(index)}{row}" for row, index in saved]
        warnings.warn(
            f"{where}: {len(cells):,} cell(s) hold formulas; the values the workbook saved for "
            f"them are used ({join_words(cells, most=MAX_CELLS_LISTED)}).",
            InputWarning,
            stacklevel=5,
        )


def _letter(index: int) -> str:
    """A column's spreadsheet letter from its position (0 is A)."""
    return openpyxl.utils.get_column_letter(index + 1)


def _header(where: str, name: str, written: list[str]) -> dict[str, int]:
    """Each canonical column's position in the header; stops on a missing or repeated column."""
    expected = COLUMNS[name]
    spelling = {header.casefold(): header for header in expected}
    read_as = [spelling.get(header.casefold(), header) for header in written]
    while read_as and not read_as[-1]:
        read_as.pop()
    check_repeated_columns(where, read_as, expected)
    optional = OPTIONAL_COLUMNS.get(name, set())
    missing = [header for header in expected if header not in read_as and header not in optional]
    if missing:
        shown = written[: len(read_as)]
        raise InputFileError(
            where,
            missing_columns_problem(shown, tuple(expected), missing, read_as=read_as),
            row=1,
            column=missing[0],
        )
    extra = [header for header in read_as if header and header not in expected]
    if extra:
        warnings.warn(
            f"{where}: ignoring extra column(s) {', '.join(extra)}.", InputWarning, stacklevel=5
        )
    return {expected[header]: read_as.index(header) for header in expected if header in read_as}


def _text(value: object) -> str:
    """A cell as text: line breaks kept as \\n, each line's trailing spaces and the ends trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def _key(name: str) -> str:
    """A project name for matching: ignoring case and runs of spaces."""
    return " ".join(name.split()).casefold()


def _cell(sheet: _Sheet, row: int, column: str, parse: Callable[[object], T]) -> T:
    """A cell parsed, or the parser's complaint as an error naming the sheet, row and column."""
    try:
        return parse(sheet.rows[row][column])
    except ValueError as error:
        raise sheet.error(str(error), row=row, column=column) from None


def _frame(rows: list[dict[str, object]], dtypes: Mapping[str, str]) -> pd.DataFrame:
    """Typed columns from a list of row dicts, even when there are none."""
    return pd.DataFrame(
        {
            column: pd.Series([row[column] for row in rows], dtype=dtype)
            for column, dtype in dtypes.items()
        }
    )


PLAN_DTYPES = {
    **dict.fromkeys(PLAN_COLUMNS.values(), "string"),
    "funding_amount": "object",
    "source_row": "int32",
}
RETURNS_DTYPES = {
    **dict.fromkeys(RETURNS_COLUMNS.values(), "string"),
    "quarter": "int8",
    "cost_to_date": "object",
    "source_row": "int32",
}
BUDGETS_DTYPES = {
    "financial_year": "string",
    "project": "string",
    "budget": "object",
    "source_row": "int32",
}


def _plan(sheet: _Sheet) -> pd.DataFrame:
    """The action plan: one row per action, priority and objective filled down from above."""
    rows, priority, objective = [], "", ""
    for number, cells in sheet.rows.items():
        row = {column: _text(cells.get(column)) for column in PLAN_COLUMNS.values()}
        row["financial_year"] = (
            _cell(sheet, number, "financial_year", financial_year_cell)
            if row["financial_year"]
            else None
        )
        if row["priority"] and row["priority"] != priority:
            priority, objective = row["priority"], ""
        if not priority:
            raise sheet.error(
                "Priority is empty on the first action; write its priority, such as "
                "'Priority 1 - People' (a blank Priority below means the same as the row above).",
                row=number,
                column="priority",
            )
        objective = row["objective"] or objective
        if not row["action"]:
            raise sheet.error(
                "Action is empty; every row of the action plan describes one action.",
                row=number,
                column="action",
            )
        rows.append(
            row
            | {
                "priority": priority,
                "objective": objective,
                "project": " ".join(row["project"].split()) or None,
                "funding_amount": _funding_amount(row["funding"]),
                "source_row": number,
            }
        )
    return _frame(rows, PLAN_DTYPES)


def _plan_years(plan: pd.DataFrame, returns: pd.DataFrame) -> pd.DataFrame:
    """The plan with each action's year: as written, else the returns' year (their latest, when
    they span several); an action with no year and no returns to take one from keeps none."""
    years = sorted(returns["financial_year"].dropna().unique())
    if not years or plan["financial_year"].notna().all():
        return plan
    return plan.assign(financial_year=plan["financial_year"].fillna(years[-1]))


def _funding_amount(funding: str) -> Decimal | None:
    """The funding as an amount when it is only an amount ('£1,000'), else None ('Campaign pot')."""
    try:
        return parse_money(funding) if funding else None
    except ValueError:
        return None


def _projects(plan: pd.DataFrame) -> dict[str, str]:
    """The plan's projects in its spelling, by their matching key."""
    names = plan["project"].dropna().tolist()
    return {_key(name): name for name in reversed(names)}


def _project(sheet: _Sheet, row: int, projects: dict[str, str]) -> str:
    """A row's project in the action plan's spelling; stops on one the plan does not have."""
    written = _text(sheet.rows[row]["project"])
    if not written:
        raise sheet.error(
            "Project is empty; write the project's name as in the Project column of the "
            f"'{PLAN_SHEET}' sheet.",
            row=row,
            column="project",
        )
    if _key(written) in projects:
        return projects[_key(written)]
    known = sorted(set(projects.values()))
    close = difflib.get_close_matches(_key(written), list(projects), n=1, cutoff=NEAREST_CUTOFF)
    hint = (
        f"the nearest project there is '{projects[close[0]]}'"
        if close
        else f"its projects are {listed([repr(name) for name in known])}"
        if known
        else "it names no projects yet"
    )
    raise sheet.error(
        f"project '{written}' is not in the action plan ({hint}); every project needs a row "
        f"in the '{PLAN_SHEET}' sheet with its name in the Project column.",
        row=row,
        column="project",
    )


def _grant(sheet: _Sheet, projects: dict[str, str]) -> tuple[pd.DataFrame, dict[str, Decimal]]:
    """Each project's budget by financial year, and each year's allocation (blank project)."""
    budgets, allocation, seen = [], {}, {}
    for number in sheet.rows:
        year = _cell(sheet, number, "financial_year", financial_year_cell)
        project = (
            _project(sheet, number, projects) if _text(sheet.rows[number]["project"]) else None
        )
        amount = _cell(sheet, number, "amount", parse_money)
        earlier = seen.setdefault((year, project), number)
        if earlier != number:
            what = f"the budget of '{project}'" if project else "the year's allocation (no project)"
            raise sheet.error(
                f"{what} for {year} is given on rows {earlier} and {number}; give it once.",
                row=number,
                column="project",
            )
        if project is None:
            allocation[year] = amount
        else:
            budgets.append(
                {"financial_year": year, "project": project, "budget": amount, "source_row": number}
            )
    frame = _frame(budgets, BUDGETS_DTYPES)
    _warn_budgets_over_allocation(sheet, frame, allocation)
    return frame, allocation


def _warn_budgets_over_allocation(
    sheet: _Sheet, budgets: pd.DataFrame, allocation: dict[str, Decimal]
) -> None:
    """Warn when a year's project budgets add up to more than its allocation."""
    for year, amount in allocation.items():
        total = sum(budgets.loc[budgets["financial_year"].eq(year), "budget"], Decimal(0))
        if total > amount:
            warnings.warn(
                f"{sheet.where}: the project budgets for {year} add up to {format_money(total)}, "
                f"more than the year's allocation of {format_money(amount)}.",
                InputWarning,
                stacklevel=4,
            )


def _returns(sheet: _Sheet, projects: dict[str, str]) -> pd.DataFrame:
    """The quarterly returns: one row per project per quarter, checked and typed."""
    rows, seen = [], {}
    for number, cells in sheet.rows.items():
        row = {column: _text(cells[column]) for column in RETURNS_COLUMNS.values()}
        year = _cell(sheet, number, "financial_year", financial_year_cell)
        quarter = _cell(sheet, number, "quarter", quarter_cell)
        project = _project(sheet, number, projects)
        earlier = seen.setdefault((year, quarter, project), number)
        if earlier != number:
            raise sheet.error(
                f"'{project}' has two returns for {year} Q{quarter}, on rows {earlier} and "
                f"{number}; give one row per project per quarter.",
                row=number,
                column="project",
            )
        cost = None if not row["cost_to_date"] else _cell(sheet, number, "cost_to_date", _cost)
        rows.append(
            row
            | {
                "financial_year": year,
                "quarter": quarter,
                "project": project,
                "cost_to_date": cost,
                "rag": _cell(sheet, number, "rag", parse_rag),
                "source_row": number,
            }
        )
    return _frame(rows, RETURNS_DTYPES)


def _cost(value: object) -> Decimal:
    """A cost to date as money; the message says where a breakdown belongs."""
    try:
        return parse_money(value)
    except ValueError as error:
        raise ValueError(
            f"{error} Cost to date is one amount, the total spent so far this year; "
            "put any breakdown in Notes."
        ) from None


def _check_running_totals(sheet: _Sheet, returns: pd.DataFrame) -> None:
    """Stop on a cost to date that falls from one quarter to the next (it is a running total)."""
    costed = returns.loc[returns["cost_to_date"].notna()].sort_values("quarter", kind="stable")
    for (year, project), group in costed.groupby(["financial_year", "project"], sort=False):
        previous = None
        for row in group.itertuples(index=False):
            if previous is not None and row.cost_to_date < previous.cost_to_date:
                raise sheet.error(
                    f"cost to date for '{project}' in {year} falls from "
                    f"{format_money(previous.cost_to_date)} in Q{previous.quarter} "
                    f"(row {previous.source_row}) to {format_money(row.cost_to_date)} in "
                    f"Q{row.quarter}; it is a running total for the year, so it can only stay "
                    "the same or rise. Correct one of the two.",
                    row=row.source_row,
                    column="cost_to_date",
                )
            previous = row


def _warn_over_budget(
    sheet: _Sheet, returns: pd.DataFrame, budgets: pd.DataFrame, grant: _Sheet
) -> None:
    """Warn, once a project and year, when a cost to date passes the project's budget."""
    budget_of = {(row.financial_year, row.project): row for row in budgets.itertuples(index=False)}
    ordered = returns.loc[returns["cost_to_date"].notna()].sort_values("quarter", kind="stable")
    warned = set()
    for row in ordered.itertuples(index=False):
        key = (row.financial_year, row.project)
        budget = budget_of.get(key)
        if budget is None or key in warned or row.cost_to_date <= budget.budget:
            continue
        warned.add(key)
        warnings.warn(
            QuarterWarning(
                f"{sheet.where}, row {row.source_row}, column 'Cost to date': cost to date for "
                f"'{row.project}' in {row.financial_year} Q{row.quarter} is "
                f"{format_money(row.cost_to_date)}, more than its budget of "
                f"{format_money(budget.budget)} ({grant.where}, row {budget.source_row}).",
                str(row.financial_year),
                int(row.quarter),
            ),
            stacklevel=3,
        )


def read_tracker_noting_warnings(
    path: Path, financial_year: str | None = None, quarter: int | None = None
) -> tuple[Tracker, list[str]]:
    """The tracker, and the warnings reading it gave, as text (odd but usable entries); with a
    quarter, only those that concern it (an overspend from a later quarter, or another year, is
    not that quarter's report's business)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        tracker = read_tracker(path)
    said = [
        warning.message
        for warning in caught
        if issubclass(warning.category, InputWarning)
        and (
            quarter is None
            or not isinstance(warning.message, QuarterWarning)
            or warning.message.concerns(financial_year, quarter)
        )
    ]
    return tracker, [str(message) for message in said]
