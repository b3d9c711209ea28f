"""An empty tracker workbook for the CSP manager to fill in, with a sheet explaining each column."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.sources.tracker import (
    COLUMNS,
    GRANT_SHEET,
    PLAN_SHEET,
    RAG_WORDS,
    RETURNS_SHEET,
    SHEETS,
)
from pipeline.tables import MONEY_FORMAT

README_SHEET = "Read me"
VALIDATED_ROWS = 1000  # the drop-down lists cover this many rows below the header
WRAPPED = Alignment(wrap_text=True, vertical="top")

# Each column: (header, width in characters, what to type, an example).
GUIDE: dict[str, tuple[tuple[str, int, str, str], ...]] = {
    PLAN_SHEET: (
        (
            "Financial year",
            14,
            "The financial year the action belongs to, written like 2025-26 (April 2025 to March "
            "2026): the report for a quarter shows that year's plan. Left blank, the year of the "
            "quarterly returns.",
            "2025-26",
        ),
        (
            "Priority",
            22,
            "The partnership priority this action belongs to. Leave it blank to mean the same "
            "priority as the row above.",
            "Priority 1 - People",
        ),
        (
            "Objective",
            35,
            "What the partnership wants to achieve under the priority. Leave it blank to mean "
            "the same objective as the row above.",
            "Raise awareness of Domestic Abuse Support Services",
        ),
        (
            "Action",
            50,
            "What will be done. One action a row. Line breaks (Alt+Enter) and bullet points are "
            "kept as you type them.",
            "Women's wellbeing event for residents in Market Harborough and Lutterworth",
        ),
        (
            "Success measure",
            35,
            "How you will know the action worked.",
            "Number of events; numbers attending",
        ),
        ("Lead", 18, "Who leads the action: a team, officer or partner.", "CS Team"),
        (
            "Funding",
            22,
            "Where the money comes from, in words or as an amount. Blank if none.",
            "£1,000 for room hire",
        ),
        (
            "Project",
            25,
            "Only for an action paid for by the Police and Crime Commissioner's grant: the "
            "project's short name, exactly as you write it in the Quarterly returns and Grant "
            "sheets. Several actions can share one project. Blank otherwise.",
            "Women's Wellbeing Events",
        ),
    ),
    RETURNS_SHEET: (
        (
            "Financial year",
            14,
            "The financial year of the return, written like 2023-24 (April 2023 to March 2024).",
            "2023-24",
        ),
        (
            "Quarter",
            10,
            "The quarter of the return: 1 = April to June, 2 = July to September, "
            "3 = October to December, 4 = January to March. Choose it from the list.",
            "2",
        ),
        (
            "Project",
            25,
            "The project's name, as written in the Project column of the Action plan sheet.",
            "Bystander Training",
        ),
        (
            "Rationale",
            45,
            "Why the project was proposed. You can copy it from the proposal form.",
            "Violent crime and public order offences are the highest volume offences in the "
            "district.",
        ),
        (
            "Activities to date",
            45,
            "What has been done so far. Line breaks and bullet points are kept. In a quarter "
            "with nothing new, leave it as last quarter's or start it with 'Nothing'.",
            "Dates agreed; sessions on 16 and 24 November",
        ),
        (
            "Success measures proposed",
            35,
            "The success measures in the proposal form.",
            "Numbers attending and evaluations after the course",
        ),
        (
            "Success to date",
            35,
            "How the project is doing against those measures so far.",
            "42 people trained",
        ),
        (
            "Cost to date",
            14,
            "How much has been spent on the project so far this financial year, in pounds, as "
            "one amount: £1,000.50, £1,000 and 1000 are all fine. It is a running total: "
            "each quarter's figure includes the quarters before, so it never goes down. "
            "Leave it blank if nothing has been spent or reported. Put any breakdown of the "
            "spending in Notes.",
            "£2,107.00",
        ),
        (
            "RAG",
            10,
            "Progress against the success measures: Red = not significantly achieved, "
            "Amber = partially achieved, Green = achieved. Choose it from the list (R, A or G "
            "also work). Leave it blank while the project is not yet rated.",
            "Amber",
        ),
        (
            "Notes",
            35,
            "Anything else the Commissioner's office should know.",
            "Next sessions in February 2024",
        ),
    ),
    GRANT_SHEET: (
        (
            "Financial year",
            14,
            "The financial year the money is for, written like 2023-24.",
            "2023-24",
        ),
        (
            "Project",
            30,
            "Leave it blank on the row that gives the year's whole grant allocation. On every "
            "other row, the project's name as written in the Action plan sheet.",
            "(blank), then Bystander Training",
        ),
        (
            "Amount",
            14,
            "On the blank-project row, the year's grant allocation; on a project's row, its "
            "budget for the year. In pounds: £1,000.50, £1,000 and 1000 are all fine.",
            "£37,479.75, then £3,500",
        ),
    ),
}

INTRODUCTION = (
    "This workbook is the partnership's tracker: its action plan, the quarterly returns to the "
    "Police and Crime Commissioner's office, and the grant. The quarterly report is built from it.",
    "Fill in the three sheets after this one. Keep the first row of each (the column names) as "
    "it is; the columns may be in any order. Empty rows are ignored.",
    "If something cannot be read, the report stops and says which sheet, row and column to put "
    "right. It warns you, without stopping, when a project's cost to date passes its budget.",
)


def write_template(path: Path) -> Path:
    """Write an empty, documented tracker workbook to path and return the path."""
    book = Workbook()
    _read_me(book.active)
    for sheet in SHEETS:
        _data_sheet(book.create_sheet(sheet), sheet)
    path = Path(path)
    book.save(path)
    return path


def _read_me(sheet: Worksheet) -> None:
    """The first sheet: what the workbook is for and what to type in every column."""
    sheet.title = README_SHEET
    sheet.append(["Community Safety Partnership tracker"])
    sheet["A1"].font = Font(bold=True, size=14)
    for paragraph in INTRODUCTION:
        sheet.append([paragraph])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=4
        )
        sheet.cell(sheet.max_row, 1).alignment = WRAPPED
        sheet.row_dimensions[sheet.max_row].height = 32
    sheet.append([])
    sheet.append(["Sheet", "Column", "What to type", "Example"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for name in SHEETS:
        for header, _, what, example in GUIDE[name]:
            sheet.append([name, header, what, example])
            for cell in sheet[sheet.max_row]:
                cell.alignment = WRAPPED
    for letter, width in zip("ABCD", (20, 26, 80, 40), strict=True):
        sheet.column_dimensions[letter].width = width


def _data_sheet(sheet: Worksheet, name: str) -> None:
    """One empty table: bold frozen header, widths, and drop-down lists where they help."""
    headers = [header for header, *_ in GUIDE[name]]
    if headers != list(COLUMNS[name]):
        raise AssertionError(f"the guide to '{name}' does not match its columns")
    sheet.append(headers)
    sheet.freeze_panes = "A2"
    for index, (header, width, _, _) in enumerate(GUIDE[name], 1):
        sheet.cell(1, index).font = Font(bold=True)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if header in ("Cost to date", "Amount"):
            sheet.column_dimensions[letter].number_format = MONEY_FORMAT
    if name == RETURNS_SHEET:
        _drop_down(sheet, headers.index("Quarter"), "1,2,3,4", "Quarter", "Choose 1, 2, 3 or 4.")
        _drop_down(
            sheet,
            headers.index("RAG"),
            ",".join(RAG_WORDS),
            "RAG",
            "Choose Red, Amber or Green, or leave it blank if not yet rated.",
        )


def _drop_down(sheet: Worksheet, index: int, choices: str, title: str, prompt: str) -> None:
    """A drop-down list of choices on a column's cells below the header (blank allowed)."""
    letter = get_column_letter(index + 1)
    rule = DataValidation(
        type="list",
        formula1=f'"{choices}"',
        allow_blank=True,
        showDropDown=False,  # False shows the arrow (the name is Excel's, and misleading)
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=title,
        error=prompt,
        showInputMessage=True,
        promptTitle=title,
        prompt=prompt,
    )
    rule.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
    sheet.add_data_validation(rule)
