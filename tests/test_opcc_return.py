"""The quarter's return in figures (opcc_return) and words (return_words), from small trackers
worked through by hand."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline import opcc_return, return_words
from pipeline.grant import GrantPosition, grant_position
from pipeline.periods import compared_periods, parse_financial_year
from pipeline.sources.tracker import RETURNS_COLUMNS, Tracker, read_tracker_noting_warnings

YEAR = "2025-26"
PLAN_HEADER = ["Priority", "Objective", "Action", "Success measure", "Lead", "Funding", "Project"]


def write_tracker(
    folder: Path,
    returns: list[tuple],
    budgets: dict[str, str] | None = None,
    allocation: str = "£1,000.01",
) -> Tracker:
    """A CSV tracker: a plan action per project, the grant, and returns of
    (quarter, project, activities, cost to date, RAG, notes)."""
    projects = list(dict.fromkeys(row[1] for row in returns) | dict.fromkeys(budgets or {}))
    folder.mkdir()
    with (folder / "action-plan.csv").open("w", newline="", encoding="utf-8") as handle:
        rows = csv.writer(handle)
        rows.writerow(PLAN_HEADER)
        for project in projects:
            rows.writerow(
                ["Priority 1", "Objective", f"Do {project}", "Measure", "CS Team", "", project]
            )
    with (folder / "grant.csv").open("w", newline="", encoding="utf-8") as handle:
        rows = csv.writer(handle)
        rows.writerow(["Financial year", "Project", "Amount"])
        rows.writerow([YEAR, "", allocation])
        for project, amount in (budgets or {}).items():
            rows.writerow([YEAR, project, amount])
    with (folder / "quarterly-returns.csv").open("w", newline="", encoding="utf-8") as handle:
        rows = csv.writer(handle)
        rows.writerow(list(RETURNS_COLUMNS))
        for quarter, project, activities, cost, rag, notes in returns:
            rows.writerow(
                [YEAR, quarter, project, "Why", activities, "Measures", "So far", cost, rag, notes]
            )
    tracker, _ = read_tracker_noting_warnings(folder)  # over budget: warned, and read
    return tracker


@pytest.fixture
def rated(tmp_path) -> Tracker:
    """Q1: A and B Green, C Amber, D not yet rated, E Red, G Amber, J not rated. Q2: A and B
    Amber, C Amber, D Green, E sends no return, F is new and Red, G and J are not rated."""
    q1 = [("A", "Green"), ("B", "Green"), ("C", "Amber"), ("D", ""), ("E", "Red"), ("G", "Amber")]
    q2 = [("A", "Amber"), ("B", "Amber"), ("C", "Amber"), ("D", "Green"), ("F", "Red"), ("G", "")]
    q1, q2 = [*q1, ("J", "")], [*q2, ("J", "")]
    returns = [(1, name, "Work", "", rag, "") for name, rag in q1]
    returns += [(2, name, "More work", "", rag, "") for name, rag in q2]
    return write_tracker(tmp_path / "rated", returns, budgets={"H": "£10"})


def test_rag_changes_pair_each_project_with_its_rating_last_quarter(rated):
    changes = opcc_return.rag_changes(rated.returns, YEAR, 2)
    assert list(changes.itertuples(index=False, name=None)) == [
        ("A", "Green", "Amber"),
        ("B", "Green", "Amber"),
        ("C", "Amber", "Amber"),
        ("D", None, "Green"),
        ("F", None, "Red"),  # no return last quarter
        ("G", "Amber", None),
        ("J", None, None),
    ]


def test_rag_change_sentences_count_moves_first_ratings_and_kept_ratings(rated):
    changes = opcc_return.rag_changes(rated.returns, YEAR, 2)
    assert return_words.rag_change_sentences(changes, 2) == [
        "2 projects moved from Green to Amber (A and B).",
        "1 project was rated for the first time, as Green (D).",
        "1 project was rated for the first time, as Red (F).",
        "1 project rated Amber in quarter 1 was not rated this quarter (G).",
        "The other project kept the rating it had.",  # C, Amber both times; J never rated
    ]


def test_rag_count_sentence_gives_each_rating_and_the_unrated(rated):
    changes = opcc_return.rag_changes(rated.returns, YEAR, 2)
    # Q2: D Green; A, B, C Amber; F Red; G and J not rated: 7 projects.
    assert return_words.rag_count_sentence(changes, 2) == (
        "The quarter 2 return covers 7 projects: 1 rated Green, 3 Amber, 1 Red, "
        "and 2 not yet rated."
    )
    q1 = opcc_return.rag_changes(rated.returns, YEAR, 1)
    assert return_words.rag_count_sentence(q1.iloc[:2], 1) == (
        "The quarter 1 return covers 2 projects: 2 rated Green."
    )
    assert return_words.rag_count_sentence(q1.iloc[3:4], 1) == (
        "The quarter 1 return covers 1 project, none of them rated yet."
    )


def test_the_first_quarter_has_no_changes_and_no_change_says_so(tmp_path):
    same = write_tracker(
        tmp_path / "same", [(1, "A", "W", "", "Green", ""), (2, "A", "W2", "", "Green", "")]
    )
    assert return_words.rag_change_sentences(opcc_return.rag_changes(same.returns, YEAR, 1), 1) == [
        "This is the year's first return, so there are no earlier ratings to compare."
    ]
    assert return_words.rag_change_sentences(opcc_return.rag_changes(same.returns, YEAR, 2), 2) == [
        "No project's rating changed since quarter 1."
    ]


def test_missing_returns_name_budgeted_and_earlier_projects_without_one(rated):
    # E sent a return in Q1 but not Q2; H has a budget and never sent one.
    assert opcc_return.missing_returns(rated.returns, rated.budgets, YEAR, 2) == ["H", "E"]


@pytest.fixture
def spending(tmp_path) -> Tracker:
    """Q1: A £100.10, B blank, C £0.05. Q2: A £250.25, B £1,000, C £0.05. Grant £1,000.01;
    budgets A £200, B £750, C £50."""
    returns = [
        (1, "A", "Leaflets", "£100.10", "Green", ""),
        (1, "B", "Nothing this quarter", "", "", ""),
        (1, "C", "Planning", "£0.05", "Amber", ""),
        (2, "A", "Leaflets and radio", "£250.25", "Green", ""),
        (2, "B", "Two events", "£1,000", "Green", ""),
        (2, "C", "Planning", "£0.05", "Amber", ""),
    ]
    budgets = {"A": "£200", "B": "£750", "C": "£50"}
    return write_tracker(tmp_path / "spending", returns, budgets)


def test_spend_in_the_quarter_is_the_rise_in_cost_to_date_to_the_penny(spending):
    spend = opcc_return.project_spend(spending.returns, spending.budgets, YEAR, 2)
    assert list(spend.itertuples(index=False, name=None)) == [
        ("A", Decimal("200.00"), Decimal("250.25"), Decimal("150.15")),  # 250.25 - 100.10
        ("B", Decimal("750.00"), Decimal("1000.00"), Decimal("1000.00")),  # blank in Q1: 0
        ("C", Decimal("50.00"), Decimal("0.05"), Decimal("0.00")),
    ]


def test_a_blank_cost_later_in_the_year_means_nothing_more_spent(tmp_path):
    tracker = write_tracker(
        tmp_path / "blank",
        [(1, "A", "Leaflets", "£400", "Green", ""), (2, "A", "Radio", "", "Green", "")],
    )
    assert opcc_return.spent_in_quarter(tracker.returns, YEAR, 2) == {"A": Decimal("0.00")}
    assert opcc_return.cumulative_spend(tracker.returns, Decimal("1000"), YEAR, 2)[
        "spent"
    ].tolist() == [Decimal("400.00"), Decimal("400.00")] + [None, None]


def test_cumulative_spend_and_the_straight_line_profile(spending):
    spend = opcc_return.cumulative_spend(spending.returns, Decimal("1000.01"), YEAR, 2)
    # Spent: Q1 100.10 + 0.05 = 100.15; Q2 250.25 + 1,000.00 + 0.05 = 1,250.30.
    # Profile: 1,000.01 x 1/4 = 250.0025 -> 250.00; x 2/4 = 500.005 -> 500.01 (half up);
    # x 3/4 = 750.0075 -> 750.01; the whole grant at Q4.
    assert list(spend.itertuples(index=False, name=None)) == [
        (1, Decimal("100.15"), Decimal("250.00")),
        (2, Decimal("1250.30"), Decimal("500.01")),
        (3, None, Decimal("750.01")),
        (4, None, Decimal("1000.01")),
    ]


def test_profile_and_over_budget_sentences(spending):
    position = grant_position(spending.allocation, spending.returns, YEAR, 2)
    assert position == GrantPosition(Decimal("1000.01"), Decimal("1250.30"), 2)
    # 1,250.30 - 500.01 = 750.29 above the profile.
    assert return_words.profile_sentence(position) == (
        "Spread evenly over the year, £500.01 of the grant would have been spent by the end of "
        "quarter 2; spend to date is £750.29 above it."
    )
    spend = opcc_return.project_spend(spending.returns, spending.budgets, YEAR, 2)
    # A: 250.25 / 200.00 = 125.125% -> 125.1%; B: 1,000 / 750 = 133.33...% -> 133.3%.
    assert return_words.over_budget_sentences(spend) == [
        "A has spent more than its budget: £250.25 against £200.00 (125.1%).",
        "B has spent more than its budget: £1,000.00 against £750.00 (133.3%).",
    ]


def test_grant_sentence_states_allocation_spend_share_and_balance():
    year = parse_financial_year("2025-26")
    quarter = compared_periods(year, 2)["quarter"]
    # £14,348.40 of £36,250.00 is 39.58...%, rounded 39.6%; 36,250.00 - 14,348.40 = 21,901.60.
    position = GrantPosition(Decimal("36250.00"), Decimal("14348.40"), 2)
    assert return_words.grant_sentence(position, year, quarter) == (
        "The partnership's grant from the Office of the Police and Crime Commissioner for "
        "2025/26 is £36,250.00. By the end of quarter 2 (July to September 2025), £14,348.40 "
        "had been spent (39.6% of the grant, with 50.0% of the year gone), leaving £21,901.60."
    )
    over = GrantPosition(Decimal("1000.00"), Decimal("1200.50"), 4)
    assert "£200.50 more than the grant" in return_words.grant_sentence(over, year, quarter)


def test_the_financial_implications_say_the_grant_in_words_of_their_own():
    year = parse_financial_year("2025-26")
    position = GrantPosition(Decimal("36250.00"), Decimal("14348.40"), 2)
    assert return_words.financial_sentence(position, year) == (
        "The action plan is funded by the partnership's £36,250.00 grant for 2025/26 from the "
        "Office of the Police and Crime Commissioner: £14,348.40 of it (39.6%) had been spent by "
        "the end of quarter 2, and £21,901.60 remains."
    )
    # 1,200.50 / 1,000.00 = 120.05% -> 120.1%; 1,200.50 - 1,000.00 = 200.50 over
    over = GrantPosition(Decimal("1000.00"), Decimal("1200.50"), 4)
    assert return_words.financial_sentence(over, year).endswith(
        "£1,200.50 of it (120.1%) had been spent by the end of quarter 4, and the grant is "
        "overspent by £200.50."
    )


def test_idle_projects_spent_nothing_and_report_nothing_new(spending, tmp_path):
    # Q1: B spent nothing and says "Nothing this quarter"; Q2: C spent nothing, same words.
    assert opcc_return.idle_projects(spending.returns, YEAR, 1) == ["B"]
    assert opcc_return.idle_projects(spending.returns, YEAR, 2) == ["C"]
    words = write_tracker(
        tmp_path / "words",
        [
            (1, "A", "Nonetheless, venues booked", "", "", ""),  # "None" only as a whole word
            (1, "B", "N/A", "", "", ""),
            (1, "C", "", "", "", ""),
            (2, "A", "Nonetheless, venues booked", "", "", ""),
            (2, "B", "Sessions  planned", "", "", ""),  # new words, though nothing spent
            (2, "C", " ", "", "", ""),
        ],
    )
    assert opcc_return.idle_projects(words.returns, YEAR, 1) == ["B", "C"]
    assert opcc_return.idle_projects(words.returns, YEAR, 2) == ["A", "C"]


def test_activity_sentences():
    assert return_words.activity_sentences(["C", "D"], ["E"], 2) == [
        "No activity was reported for 2 projects this quarter (C and D): nothing was spent, "
        "and no new activities are reported.",
        "The tracker has no quarter 2 return for E.",
    ]
    assert return_words.activity_sentences([], [], 3) == [
        "Every project in the return reported activity this quarter."
    ]


def test_tracker_tables_give_the_return_and_the_grant_spend(spending):
    year = parse_financial_year(YEAR)
    opcc, grant = opcc_return.tracker_tables(spending, year, 2)
    assert (opcc.name, grant.name) == ("opcc_return", "grant_spend")
    assert list(opcc.frame.columns) == [
        "project",
        "rationale",
        "activities_to_date",
        "success_measures_proposed",
        "success_to_date",
        "cost_to_date",
        "rag",
        "notes",
        "budget",
        "spent_in_quarter",
    ]
    first = opcc.frame.iloc[0]
    assert (first["project"], first["cost_to_date"], first["budget"]) == (
        "A",
        Decimal("250.25"),
        Decimal("200.00"),
    )
    assert first["spent_in_quarter"] == Decimal("150.15")  # 250.25 - 100.10
    assert grant.frame["spent"].tolist() == [Decimal("100.15"), Decimal("1250.30"), None, None]
    assert opcc_return.tracker_tables(None, year, 2) == []
    assert opcc_return.tracker_tables(spending, parse_financial_year("2024-25"), 2) == []


def ratings(rows: list[tuple[str, str | None]]):
    import pandas as pd

    return pd.DataFrame(rows, columns=["project", "current"]).assign(previous=None)


def test_the_risks_are_the_red_and_amber_projects_the_profile_and_the_idle():
    changes = ratings(
        [("CCTV", "Amber"), ("Events", "Amber"), ("Hub", "Red"), ("Patrols", "Green")]
    )
    # £10,000 a year: £5,000 due by quarter 2 on the straight line; £4,250.50 is £749.50 behind
    behind = GrantPosition(Decimal("10000.00"), Decimal("4250.50"), 2)
    assert return_words.risk_sentences(changes, behind, ["Events"], "Appendix C", 2) == [
        "One project is rated Red in the quarter's return (Hub): it is not on track this year "
        "unless the partnership acts (Appendix C).",
        "Two projects are rated Amber in the quarter's return (CCTV and Events): each may not be "
        "delivered in full this year unless the partnership acts (Appendix C).",
        "Spend to date is £749.50 below the straight-line profile for quarter 2: at this pace "
        "part of the £10,000.00 grant would be left unspent at the year's end.",
        "No activity was reported this quarter for Events, whose part of the plan may slip.",
    ]
    ahead = GrantPosition(Decimal("10000.00"), Decimal("5000.01"), 2)
    assert return_words.risk_sentences(ratings([("Patrols", "Green")]), ahead, [], "C", 2) == [
        "Spend to date is £0.01 above the straight-line profile for quarter 2: at this pace the "
        "grant would be spent before the year's end."
    ]
    on_profile = GrantPosition(Decimal("10000.00"), Decimal("5000.00"), 2)
    assert (
        return_words.risk_sentences(ratings([("Patrols", "Green")]), on_profile, [], "C", 2) == []
    )


def test_at_the_year_s_end_the_risks_are_what_the_year_achieved():
    changes = ratings([("Hub", "Red"), ("CCTV", "Amber"), ("Patrols", "Green")])
    # £10,000 a year, all due by quarter 4; £8,500.25 spent leaves £1,499.75 unspent.
    short = GrantPosition(Decimal("10000.00"), Decimal("8500.25"), 4)
    assert return_words.risk_sentences(changes, short, [], "Appendix C", 4) == [
        "One project ended the year rated Red (Hub): it was not significantly achieved "
        "(Appendix C).",
        "One project ended the year rated Amber (CCTV): it was only partially achieved "
        "(Appendix C).",
        "By the year's end £1,499.75 of the £10,000.00 grant had not been spent.",
    ]
    over = GrantPosition(Decimal("10000.00"), Decimal("10250.00"), 4)
    assert return_words.risk_sentences(ratings([("Patrols", "Green")]), over, [], "C", 4) == [
        "By the year's end £10,250.00 had been spent, £250.00 more than the £10,000.00 grant."
    ]
