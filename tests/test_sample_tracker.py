"""The sample district's tracker: written, read back by the tracker reader, and checked by hand.

The expected values are worked out from the data in pipeline/sample/tracker.py (budgets, running
totals, RAG ratings), not copied from the reader's output.
"""

from __future__ import annotations

import warnings
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.errors import InputWarning
from pipeline.sample.tracker import write_sample_tracker
from pipeline.sources.tracker import Tracker, read_tracker

YEAR = "2025-26"
PROJECTS = {
    "Campaigns",
    "Response Fund",
    "Community Events",
    "Re-deployable CCTV",
    "Bystander Training",
    "Target Hardening",
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Tracker, list[str]]:
    """The sample tracker written once, read back, and the InputWarnings reading gave."""
    path = write_sample_tracker(tmp_path_factory.mktemp("tracker") / "ashworth-vale.xlsx")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # Reading without an error is the check that every cost to date is a running total:
        # read_tracker stops on one that falls from one quarter to the next.
        tracker = read_tracker(path)
    messages = [str(w.message) for w in caught if issubclass(w.category, InputWarning)]
    return path, tracker, messages


def returned(tracker: Tracker, project: str, quarter: int, column: str) -> object:
    """One cell of a project's return for a quarter of the sample year (None when blank)."""
    returns = tracker.returns
    row = returns.loc[
        returns["financial_year"].eq(YEAR)
        & returns["project"].eq(project)
        & returns["quarter"].eq(quarter)
    ]
    assert len(row) == 1, (project, quarter)
    value = row.iloc[0][column]
    return None if value is None or value is pd.NA else value


def rag_changes(tracker: Tracker, before: int, after: int) -> set[tuple[str, str | None, str]]:
    """(project, old RAG, new RAG) for each project rated differently; None = not yet rated."""
    changes = set()
    for project in PROJECTS:
        old = returned(tracker, project, before, "rag")
        new = returned(tracker, project, after, "rag")
        if old != new:
            changes.add((project, old, new))
    return changes


def test_projects_are_the_plans_funded_projects_with_a_budget_and_four_returns(written):
    _, tracker, _ = written
    assert set(tracker.plan["project"].dropna()) == PROJECTS
    assert set(tracker.budgets["project"]) == PROJECTS
    assert set(tracker.returns["project"]) == PROJECTS
    quarters = tracker.returns.groupby("project")["quarter"].apply(sorted).to_dict()
    assert quarters == dict.fromkeys(PROJECTS, [1, 2, 3, 4])
    assert set(tracker.plan["priority"]) == {
        "Priority 1 - People",
        "Priority 2 - Places",
        "Priority 3 - Property",
    }


def test_allocation_and_budgets(written):
    _, tracker, _ = written
    assert tracker.allocation == {YEAR: Decimal("36250.00")}
    budgets = dict(zip(tracker.budgets["project"], tracker.budgets["budget"], strict=True))
    # 6,000 + 4,000 + 3,250 (typed as text) + 8,500 + 3,800 + 2,437.50 = 27,987.50
    assert budgets["Community Events"] == Decimal("3250.00")
    assert budgets["Target Hardening"] == Decimal("2437.50")
    assert sum(budgets.values()) == Decimal("27987.50")
    assert sum(budgets.values()) <= tracker.allocation[YEAR]


def test_q2_costs_to_date(written):
    _, tracker, _ = written
    # Campaigns: £1,240.00 in Q1 plus £1,145.50 in Q2, typed as text '£2,385.50'.
    assert returned(tracker, "Campaigns", 2, "cost_to_date") == Decimal("2385.50")
    # Community Events: no activity in Q2, so its Q1 deposits of £300.00 stand.
    assert returned(tracker, "Community Events", 2, "cost_to_date") == Decimal("300.00")
    # Target Hardening: £612.40 + £1,375.50.
    assert returned(tracker, "Target Hardening", 2, "cost_to_date") == Decimal("1987.90")


def test_rag_changes(written):
    _, tracker, _ = written
    assert rag_changes(tracker, 1, 2) == {
        ("Re-deployable CCTV", "Green", "Amber"),
        ("Bystander Training", "Amber", "Green"),
        ("Response Fund", None, "Green"),  # first rated in Q2
    }
    assert rag_changes(tracker, 2, 3) == {
        ("Community Events", "Amber", "Green"),
        ("Target Hardening", "Green", "Amber"),
    }
    assert rag_changes(tracker, 3, 4) == {
        ("Re-deployable CCTV", "Amber", "Green"),
        ("Target Hardening", "Amber", "Green"),
    }


def test_a_project_not_yet_rated_in_q1_has_a_blank_rag_and_cost(written):
    _, tracker, _ = written
    assert returned(tracker, "Response Fund", 1, "rag") is None
    assert returned(tracker, "Response Fund", 1, "cost_to_date") is None
    assert tracker.returns["rag"].isna().sum() == 1


def test_a_project_with_no_activity_in_q2_repeats_q1(written):
    _, tracker, _ = written
    for column in ("activities_to_date", "success_to_date", "cost_to_date", "rag"):
        assert returned(tracker, "Community Events", 2, column) == returned(
            tracker, "Community Events", 1, column
        )
    assert "No activity this quarter" in returned(tracker, "Community Events", 2, "notes")


def test_reading_warns_only_for_the_project_over_its_budget(written):
    _, _, messages = written
    # Target Hardening: £1,987.90 + £624.50 = £2,612.40 in Q3, over its £2,437.50 budget;
    # Bystander Training reaches exactly its £3,800.00 budget in Q4, which is not over.
    assert len(messages) == 1
    assert "'Target Hardening' in 2025-26 Q3 is £2,612.40" in messages[0]
    assert "budget of £2,437.50" in messages[0]


def test_costs_to_date_never_fall(written):
    _, tracker, _ = written  # read_tracker would have stopped on a falling cost
    for project in PROJECTS:
        costs = [returned(tracker, project, q, "cost_to_date") for q in (1, 2, 3, 4)]
        spent = [cost for cost in costs if cost is not None]
        assert spent == sorted(spent), project


def test_line_breaks_and_bullets_are_kept(written):
    _, tracker, _ = written
    plan = tracker.plan.set_index("project", drop=False)
    action = plan.loc["Target Hardening", "action"]
    assert "burglary hotspots:\n• shed and window alarms\n• timer switches\n" in action
    measure = plan.loc["Bystander Training", "success_measure"]
    assert measure.startswith("• Numbers trained\n• Confidence to step in")
    activities = returned(tracker, "Campaigns", 2, "activities_to_date")
    assert activities.count("\n") == 1 and "\nQ2: Safer Summer campaign" in activities


def test_template_sheets_are_kept(written):
    path, _, _ = written
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Read me", "Action plan", "Quarterly returns", "Grant"]
    assert book["Read me"]["A1"].value == "Community Safety Partnership tracker"
    assert book["Quarterly returns"].freeze_panes == "A2"


def test_the_same_workbook_every_run(tmp_path, written):
    first, _, _ = written
    second = write_sample_tracker(tmp_path / "again.xlsx")

    def cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
        book = openpyxl.load_workbook(path)
        return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}

    assert cells(first) == cells(second)
