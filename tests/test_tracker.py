"""Reading and checking the CSP's tracker: tiny workbooks built here and one CSV folder."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.errors import InputFileError, InputWarning
from pipeline.sources.tracker import parse_money, parse_rag, read_tracker
from pipeline.tracker_template import write_template

CSV_FOLDER = Path(__file__).parent / "tracker_inputs" / "small-district"
PLAN_HEADER = ["Priority", "Objective", "Action", "Success measure", "Lead", "Funding", "Project"]
RETURNS_HEADER = [
    "Financial year",
    "Quarter",
    "Project",
    "Rationale",
    "Activities to date",
    "Success measures proposed",
    "Success to date",
    "Cost to date",
    "RAG",
    "Notes",
]
GRANT_HEADER = ["Financial year", "Project", "Amount"]
PLAN = [
    ["Priority 1 - People", "Raise awareness", "Campaigns all year", "Reach", "CS Team", "",
     "Campaigns"],
    ["Priority 2 - Places", "Reduce NTE violence", "Train bar staff", "Numbers", "CS Team", "3500",
     "Bystander Training"],
]  # fmt: skip
GRANT = [["2023-24", None, "£37,479.75"], ["2023-24", "Bystander Training", "£3,500"]]


def a_return(
    quarter: object = 2,
    project: object = "Campaigns",
    cost: object = "",
    rag: object = "",
    year: object = "2023-24",
    activities: object = "Radio adverts",
) -> list[object]:
    """One row of the Quarterly returns sheet, the other columns filled with plain text."""
    return [year, quarter, project, "Why", activities, "Measures", "So far", cost, rag, "Notes"]


def workbook(
    folder: Path,
    returns: list[list[object]],
    plan: list[list[object]] | None = None,
    grant: list[list[object]] | None = None,
    returns_header: list[str] | None = None,
) -> Path:
    """A tracker workbook with the given rows under each sheet's header (None is a blank row)."""
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    tables = {
        "Action plan": (PLAN_HEADER, PLAN if plan is None else plan),
        "Quarterly returns": (returns_header or RETURNS_HEADER, returns),
        "Grant": (GRANT_HEADER, GRANT if grant is None else grant),
    }
    for name, (header, rows) in tables.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row or [])
    path = folder / "tracker.xlsx"
    book.save(path)
    return path


def error_of(path: Path) -> str:
    """The message read_tracker stops with."""
    with pytest.raises(InputFileError) as caught:
        read_tracker(path)
    return str(caught.value)


# Money and RAG, cell by cell.


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("£1,000", "1000.00"),
        ("1000", "1000.00"),
        ("£1,000.50", "1000.50"),
        (" 1,000 ", "1000.00"),
        ("£ 37,479.75", "37479.75"),
        ("£1,000.5", "1000.50"),
        ("0", "0.00"),
        ("\u00a3250\u00a0", "250.00"),  # a non-breaking space pasted from a web page
        (422, "422.00"),  # a number cell: int
        (1000.5, "1000.50"),  # a number cell: float
        (0.1 + 0.2, "0.30"),  # a formula's float artefact: Excel shows 0.3
        (Decimal("17157"), "17157.00"),
    ],
)
def test_money_accepted_exactly(written: object, expected: str) -> None:
    amount = parse_money(written)
    assert isinstance(amount, Decimal)
    assert str(amount) == expected


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("ten pounds", "'ten pounds' is not an amount of money"),
        ("1.2.3", "'1.2.3' is not an amount of money"),
        ("£200 radio, £615 advert", "is not an amount of money"),
        ("1,00", "'1,00' is not an amount of money"),
        ("-5", "'-5' is negative"),
        ("£-1,000", "'£-1,000' is negative"),
        ("(£50)", "'(£50)' is negative"),
        (-5, "'-5' is negative"),
        ("1.005", "'1.005' has more than two decimal places"),
        (1 / 3, "has more than two decimal places"),
        (True, "'True' is not an amount of money"),
        (float("nan"), "'nan' is not an amount of money"),
    ],
)
def test_money_refused(written: object, problem: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_money(written)
    assert problem in str(caught.value)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Red", "Red"),
        ("amber", "Amber"),
        (" GREEN ", "Green"),
        ("r", "Red"),
        ("A", "Amber"),
        ("g", "Green"),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_rag_accepted(written: object, expected: str | None) -> None:
    assert parse_rag(written) == expected


def test_rag_refused_lists_the_words() -> None:
    with pytest.raises(ValueError) as caught:
        parse_rag("Yellow")
    assert str(caught.value) == (
        "'Yellow' is not a RAG status; expected Red, Amber or Green (or R, A or G, "
        "in any case), or blank if the project is not yet rated."
    )


# A whole workbook.


def test_workbook_read_into_typed_tables(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        [
            a_return(1, "Campaigns", "£640", "g"),
            None,  # a blank row, skipped
            a_return(2, "  campaigns ", 2107, "Amber"),
            a_return("Q2", "Bystander Training", "", ""),
        ],
        plan=[*PLAN, [None, None, "Refresh Ask for Angela", "", "CS Team", "Campaign pot", None]],
    )
    tracker = read_tracker(path)

    returns = tracker.returns
    assert returns["source_row"].tolist() == [2, 4, 5]
    assert returns["quarter"].tolist() == [1, 2, 2]
    assert returns["project"].tolist() == ["Campaigns", "Campaigns", "Bystander Training"]
    assert returns["cost_to_date"].tolist() == [Decimal("640.00"), Decimal("2107.00"), None]
    assert returns["rag"].tolist() == ["Green", "Amber", pd.NA]
    assert str(returns["cost_to_date"].dtype) == "object"

    plan = tracker.plan
    assert plan["priority"].tolist() == ["Priority 1 - People", "Priority 2 - Places"] + [
        "Priority 2 - Places"
    ]
    assert plan["objective"].tolist()[2] == "Reduce NTE violence"
    assert plan["funding_amount"].tolist() == [None, Decimal("3500.00"), None]

    assert tracker.allocation == {"2023-24": Decimal("37479.75")}
    assert tracker.budgets[["financial_year", "project"]].values.tolist() == [
        ["2023-24", "Bystander Training"]
    ]
    assert tracker.budgets["budget"].tolist() == [Decimal("3500.00")]


def test_free_text_keeps_line_breaks_and_bullets(tmp_path: Path) -> None:
    written = "Q1: Lighter Nights   \r\n• Radio adverts\r\n  • Safer Summer events  \r\n"
    path = workbook(tmp_path, [a_return(activities=written)])
    text = read_tracker(path).returns["activities_to_date"].iloc[0]
    assert text == "Q1: Lighter Nights\n• Radio adverts\n  • Safer Summer events"


def test_headers_match_ignoring_case_spaces_and_order(tmp_path: Path) -> None:
    header = [" financial YEAR ", "quarter", "PROJECT", *RETURNS_HEADER[3:]]
    order = [2, 0, 1, *range(3, 10)]
    row = a_return(3, "Campaigns", "£5")
    path = workbook(tmp_path, [[row[i] for i in order]], returns_header=[header[i] for i in order])
    returns = read_tracker(path).returns
    assert returns[["financial_year", "quarter", "project"]].values.tolist() == [
        ["2023-24", 3, "Campaigns"]
    ]
    assert returns["cost_to_date"].tolist() == [Decimal("5.00")]


# Errors: the sheet, the spreadsheet's row and the column, and what to do.

WHERE = "tracker.xlsx (sheet 'Quarterly returns')"


def test_unknown_rag_word(tmp_path: Path) -> None:
    message = error_of(workbook(tmp_path, [a_return(rag="Green"), a_return(3, rag="Yellow")]))
    assert f"{WHERE}, row 3, column 'RAG': 'Yellow' is not a RAG status" in message
    assert "expected Red, Amber or Green" in message


def test_cost_that_is_not_money(tmp_path: Path) -> None:
    message = error_of(workbook(tmp_path, [None, a_return(cost="about £200")]))
    assert f"{WHERE}, row 3, column 'Cost to date': 'about £200' is not an amount" in message
    assert "put any breakdown in Notes" in message


def test_running_total_that_falls(tmp_path: Path) -> None:
    rows = [a_return(3, cost="£1,900"), a_return(1, cost="£640"), a_return(2, cost="£2,107")]
    message = error_of(workbook(tmp_path, rows))
    assert f"{WHERE}, row 2, column 'Cost to date':" in message
    assert (
        "cost to date for 'Campaigns' in 2023-24 falls from £2,107.00 in Q2 (row 4) "
        "to £1,900.00 in Q3" in message
    )


def test_running_totals_are_per_year(tmp_path: Path) -> None:
    rows = [a_return(4, cost="£2,107"), a_return(1, cost="£100", year="2024-25")]
    returns = read_tracker(workbook(tmp_path, rows)).returns
    assert returns["cost_to_date"].tolist() == [Decimal("2107.00"), Decimal("100.00")]


def test_project_not_in_the_plan(tmp_path: Path) -> None:
    message = error_of(workbook(tmp_path, [a_return(project="Bystander Trainng")]))
    assert f"{WHERE}, row 2, column 'Project': project 'Bystander Trainng' is not in" in message
    assert "the nearest project there is 'Bystander Training'" in message


def test_project_nothing_like_the_plan(tmp_path: Path) -> None:
    message = error_of(workbook(tmp_path, [a_return(project="Speed cameras")]))
    assert "its projects are 'Bystander Training' and 'Campaigns'" in message


@pytest.mark.parametrize("quarter", [5, 0, "Q5", "2.5", 2.5, ""])
def test_quarter_not_1_to_4(tmp_path: Path, quarter: object) -> None:
    message = error_of(workbook(tmp_path, [a_return(quarter=quarter)]))
    assert f"{WHERE}, row 2, column 'Quarter':" in message
    assert "expected 1, 2, 3 or 4 (1 = Apr-Jun" in message


@pytest.mark.parametrize("year", ["2023", "2023/24", "2023-25", "23-24", ""])
def test_financial_year_not_like_2023_24(tmp_path: Path, year: str) -> None:
    message = error_of(workbook(tmp_path, [a_return(year=year)]))
    assert f"{WHERE}, row 2, column 'Financial year':" in message
    assert "expected one written like 2023-24 (April 2023 to March 2024)" in message


def test_missing_columns_listed_with_the_expected_header(tmp_path: Path) -> None:
    header = [name for name in RETURNS_HEADER if name not in ("RAG", "Cost to date")]
    message = error_of(workbook(tmp_path, [], returns_header=header))
    assert f"{WHERE}, row 1, column 'Cost to date':" in message
    assert "columns 'Cost to date' and 'RAG' are missing" in message
    assert "expected the header Financial year,Quarter,Project,Rationale," in message


def test_renamed_column_is_pointed_out(tmp_path: Path) -> None:
    header = [name.replace("Cost to date", "Cost_to_date") for name in RETURNS_HEADER]
    message = error_of(workbook(tmp_path, [], returns_header=header))
    assert "write 'Cost_to_date' as 'Cost to date'" in message


def test_missing_sheet(tmp_path: Path) -> None:
    path = workbook(tmp_path, [])
    book = openpyxl.load_workbook(path)
    del book["Grant"]
    book.save(path)
    message = error_of(path)
    assert "tracker.xlsx: no sheet named 'Grant'" in message
    assert "'Read me', 'Action plan' and 'Quarterly returns'" in message


def test_two_returns_for_one_project_and_quarter(tmp_path: Path) -> None:
    message = error_of(workbook(tmp_path, [a_return(2), a_return(2, project="CAMPAIGNS")]))
    assert f"{WHERE}, row 3, column 'Project': 'Campaigns' has two returns for 2023-24 Q2" in (
        message
    )
    assert "on rows 2 and 3" in message


def test_grant_project_not_in_the_plan(tmp_path: Path) -> None:
    grant = [["2023-24", None, "37479.75"], ["2023-24", "Campains", "5600"]]
    message = error_of(workbook(tmp_path, [], grant=grant))
    assert "tracker.xlsx (sheet 'Grant'), row 3, column 'Project': project 'Campains'" in message
    assert "the nearest project there is 'Campaigns'" in message


def test_allocation_given_twice(tmp_path: Path) -> None:
    grant = [["2023-24", None, "37479.75"], ["2023-24", "", "30000"]]
    message = error_of(workbook(tmp_path, [], grant=grant))
    assert "(sheet 'Grant'), row 3, column 'Project':" in message
    assert "the year's allocation (no project) for 2023-24 is given on rows 2 and 3" in message


def test_grant_amount_not_money(tmp_path: Path) -> None:
    grant = [["2023-24", None, "£37,479.75p"]]
    message = error_of(workbook(tmp_path, [], grant=grant))
    assert "(sheet 'Grant'), row 2, column 'Amount': '£37,479.75p' is not an amount" in message


def test_action_plan_first_row_needs_a_priority(tmp_path: Path) -> None:
    plan = [[None, "Raise awareness", "Campaigns all year", "", "", "", "Campaigns"]]
    message = error_of(workbook(tmp_path, [], plan=plan))
    assert "(sheet 'Action plan'), row 2, column 'Priority': Priority is empty" in message


# Warnings: the run goes on.


def test_cost_over_budget_warns_once(tmp_path: Path) -> None:
    rows = [
        a_return(2, "Bystander Training", "£3,500"),  # at the budget: no warning
        a_return(3, "Bystander Training", "£3,600.50"),
        a_return(4, "Bystander Training", "£3,700"),
    ]
    with pytest.warns(InputWarning) as caught:
        read_tracker(workbook(tmp_path, rows))
    messages = [str(warning.message) for warning in caught]
    assert messages == [
        f"{tmp_path / WHERE}, row 3, column 'Cost to date': cost to date for "
        "'Bystander Training' in 2023-24 Q3 is £3,600.50, more than its budget of £3,500.00 "
        f"({tmp_path / 'tracker.xlsx'} (sheet 'Grant'), row 3)."
    ]


def test_an_overspend_is_said_only_by_reports_of_its_quarter_and_after(tmp_path: Path) -> None:
    from pipeline.sources.tracker import read_tracker_noting_warnings

    path = workbook(tmp_path, [a_return(3, "Bystander Training", "£3,600.50")])
    said = {
        (year, quarter): read_tracker_noting_warnings(path, year, quarter)[1]
        for year, quarter in [("2023-24", 2), ("2023-24", 3), ("2023-24", 4), ("2024-25", 1)]
    }
    # the overspend is in 2023-24 Q3: not Q2's business, nor the next year's
    assert [key for key, notes in said.items() if notes] == [("2023-24", 3), ("2023-24", 4)]
    assert len(read_tracker_noting_warnings(path)[1]) == 1  # without a quarter: everything


def test_files_inside_the_project_are_named_from_it():
    from pipeline.paths import PROJECT_ROOT, project_path

    assert project_path(PROJECT_ROOT / "data" / "raw" / "t.xlsx") == "data/raw/t.xlsx"
    assert project_path("/elsewhere/t.xlsx") == "/elsewhere/t.xlsx"


def test_budgets_over_allocation_warn(tmp_path: Path) -> None:
    grant = [["2023-24", None, "3000"], ["2023-24", "Bystander Training", "3500"]]
    with pytest.warns(InputWarning, match=r"add up to £3,500.00, more than .* £3,000.00"):
        read_tracker(workbook(tmp_path, [], grant=grant))


# The folder of CSV files.


def test_csv_folder() -> None:
    tracker = read_tracker(CSV_FOLDER)
    plan = tracker.plan
    assert plan["source_row"].tolist() == [2, 3, 5]  # row 2 has line breaks; row 4 is blank
    assert plan["action"].iloc[0] == (
        "Promote campaigns aimed at victims and perpetrators:\n"
        "• White Ribbon Campaign (Nov)\n"
        "• 16 Days of Action (Nov)"
    )
    assert plan["priority"].tolist() == [
        "Priority 1 - People",
        "Priority 1 - People",
        "Priority 2 - Places",
    ]
    assert plan["funding_amount"].tolist() == [None, Decimal("1000.00"), Decimal("3500.00")]

    returns = tracker.returns
    assert returns["project"].tolist() == ["Campaigns", "Campaigns", "Bystander Training"]
    assert returns["cost_to_date"].tolist() == [Decimal("640.00"), Decimal("2107.00"), None]
    assert returns["rag"].tolist() == ["Green", "Green", pd.NA]
    assert returns["notes"].iloc[1] == "£200 radio advert\n£615 Safer Summer advert"

    assert tracker.allocation == {"2023-24": Decimal("37479.75")}
    assert tracker.budgets["budget"].tolist() == [Decimal("5600.00"), Decimal("3500.00")]


def test_csv_folder_errors_name_the_file_and_row(tmp_path: Path) -> None:
    folder = tmp_path / "tracker"
    shutil.copytree(CSV_FOLDER, folder)
    with (folder / "quarterly-returns.csv").open("a", encoding="utf-8") as handle:
        handle.write("2023-24,3,Campaigns,,,,,ten pounds,,\n")
    message = error_of(folder)
    # Row 5 as a spreadsheet shows it, though the cells with line breaks make it line 7.
    assert f"{folder / 'quarterly-returns.csv'}, row 5, column 'Cost to date':" in message
    assert "'ten pounds' is not an amount of money" in message


def test_csv_folder_missing_file(tmp_path: Path) -> None:
    message = error_of(tmp_path)
    assert "action-plan.csv: not found" in message


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    path.write_text("Priority,Objective\n", encoding="utf-8")
    assert "cannot be read as an Excel workbook" in error_of(path)


# The template.


def test_template_reads_back_empty(tmp_path: Path) -> None:
    path = write_template(tmp_path / "tracker-template.xlsx")
    tracker = read_tracker(path)
    assert tracker.plan.empty and tracker.returns.empty and tracker.budgets.empty
    assert tracker.allocation == {}
    assert str(tracker.returns["quarter"].dtype) == "int8"


def test_template_layout(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_template(tmp_path / "tracker-template.xlsx"))
    assert book.sheetnames == ["Read me", "Action plan", "Quarterly returns", "Grant"]
    returns = book["Quarterly returns"]
    assert [cell.value for cell in returns[1]] == RETURNS_HEADER
    assert all(cell.font.bold for cell in returns[1])
    assert returns.freeze_panes == "A2"
    assert returns.column_dimensions["D"].width > 20
    lists = {rule.formula1: str(rule.sqref) for rule in returns.data_validations.dataValidation}
    assert lists == {'"1,2,3,4"': "B2:B1001", '"Red,Amber,Green"': "I2:I1001"}
    read_me = "\n".join(
        str(cell.value) for row in book["Read me"].iter_rows() for cell in row if cell.value
    )
    for words in ("running total", "£1,000.50", "not yet rated", "2023-24", "Alt+Enter"):
        assert words in read_me
    explained = {(row[0].value, row[1].value) for row in book["Read me"].iter_rows(min_row=6)}
    for header in RETURNS_HEADER:
        assert ("Quarterly returns", header) in explained


def test_an_action_plan_without_its_year_takes_the_returns_year(tmp_path: Path) -> None:
    # the helper writes the plan as trackers did before the column: Priority first
    tracker = read_tracker(workbook(tmp_path, [a_return(2, "Bystander Training", "£100")]))
    assert set(tracker.plan["financial_year"]) == {"2023-24"}


def test_an_action_plan_s_year_is_read_and_checked(tmp_path: Path) -> None:
    path = write_template(tmp_path / "tracker.xlsx")
    book = openpyxl.load_workbook(path)
    book["Action plan"].append(["2025-26", *PLAN[1]])
    book["Action plan"].append(["2025/26", *PLAN[0]])
    book.save(path)
    message = error_of(path)
    assert "(sheet 'Action plan'), row 3, column 'Financial year': '2025/26' is not a" in message


def test_template_filled_in_reads_back(tmp_path: Path) -> None:
    path = write_template(tmp_path / "tracker.xlsx")
    book = openpyxl.load_workbook(path)
    book["Action plan"].append(["2023-24", *PLAN[1]])
    book["Quarterly returns"].append(a_return(1, "Bystander Training", 1250.5, "A"))
    book["Grant"].append(["2023-24", None, 37479.75])
    book.save(path)
    tracker = read_tracker(path)
    assert tracker.returns["cost_to_date"].tolist() == [Decimal("1250.50")]
    assert tracker.returns["rag"].tolist() == ["Amber"]
    assert tracker.allocation == {"2023-24": Decimal("37479.75")}


@pytest.mark.slow  # runs LibreOffice: not in make test-fast
def test_a_filled_template_survives_libreoffice(tmp_path: Path) -> None:
    """Filled in as an analyst types, then re-saved by LibreOffice Calc, it reads the same."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (no libreoffice or soffice on PATH)")
    written = write_template(tmp_path / "tracker.xlsx")
    book = openpyxl.load_workbook(written)
    book["Action plan"].append(["2023-24", *PLAN[1]])
    book["Quarterly returns"].append(
        a_return("Q1", "bystander training ", "£1,250.50", "a", activities="Provider\n• booked")
    )
    book["Quarterly returns"].append(a_return(2, "Bystander Training", 3000, "G"))
    book["Grant"].append(["2023-24", None, "£37,479.75"])
    book["Grant"].append(["2023-24", "Bystander Training", 3500])
    book.save(written)
    converted = tmp_path / "converted"
    subprocess.run(
        [office, "--headless", "--convert-to", "xlsx", "--outdir", str(converted), str(written)],
        check=True,
        capture_output=True,
        timeout=120,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    tracker = read_tracker(converted / written.name)
    returns = tracker.returns
    assert returns["quarter"].tolist() == [1, 2]
    assert returns["project"].tolist() == ["Bystander Training", "Bystander Training"]
    assert returns["cost_to_date"].tolist() == [Decimal("1250.50"), Decimal("3000.00")]
    assert returns["rag"].tolist() == ["Amber", "Green"]
    assert returns["activities_to_date"].tolist()[0] == "Provider\n• booked"
    assert tracker.allocation == {"2023-24": Decimal("37479.75")}
    assert tracker.budgets["budget"].tolist() == [Decimal("3500.00")]


def test_merged_priority_cells_fill_down(tmp_path: Path) -> None:
    plan = [PLAN[0], [None, None, "Radio adverts", "", "", "", "Campaigns"]]
    path = workbook(tmp_path, [], plan=plan, grant=[])
    book = openpyxl.load_workbook(path)
    book["Action plan"].merge_cells("A2:A3")
    book["Action plan"].merge_cells("B2:B3")
    book.save(path)
    plan_read = read_tracker(path).plan
    assert plan_read["priority"].tolist() == ["Priority 1 - People", "Priority 1 - People"]
    assert plan_read["objective"].tolist() == ["Raise awareness", "Raise awareness"]


def test_the_template_command_never_writes_over_a_tracker(tmp_path, capsys):
    from pipeline.cli import main

    target = tmp_path / "tracker.xlsx"
    assert main(["tracker-template", str(target)]) == 0
    assert target.read_bytes().startswith(b"PK")  # a workbook: a zip file
    target.write_bytes(b"filled in")  # stands for the analyst's work
    assert main(["tracker-template", str(target)]) == 1
    assert "already exists; move or rename it first" in capsys.readouterr().err
    assert target.read_bytes() == b"filled in"


def test_reading_notes_the_warnings_as_text(tmp_path):
    from pipeline.sample.tracker import write_sample_tracker
    from pipeline.sources.tracker import read_tracker_noting_warnings

    # The sample's Target Hardening spends £2,612.40 by Q3 against a £2,437.50 budget.
    tracker, said = read_tracker_noting_warnings(write_sample_tracker(tmp_path / "t.xlsx"))
    assert not tracker.plan.empty
    assert len(said) == 1
    assert "'Target Hardening'" in said[0] and "£2,612.40" in said[0] and "£2,437.50" in said[0]
