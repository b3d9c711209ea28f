"""The quarter's return to the OPCC in figures: ratings, their changes, spend, idle work (worded
in `pipeline/return_words.py`).

Every function takes the tracker's tables (`pipeline.sources.tracker`) for one financial year
and the quarter the report is for; returns for later quarters are never looked at.

- A project's RAG change compares its rating in this quarter's return with its rating in the
  return before (the previous quarter of the same year). A project with no rating then (not yet
  rated, or no return) and a rating now was rated for the first time; it has not "moved".
- A project had no activity this quarter when nothing was spent on it in the quarter (its cost to
  date did not rise) and its activities to date are blank, read as they did in the last return,
  or open with words that say so ("Nothing in this quarter", "None", "No activity", "N/A"),
  as analysts write them.
- The straight-line profile spreads the year's grant evenly: a quarter of it by the end of Q1,
  half by the end of Q2, and so on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pandas as pd

from pipeline.grant import percent_of, spend_to_date
from pipeline.paths import project_path
from pipeline.periods import FinancialYear
from pipeline.sources.tracker import Tracker
from pipeline.tables import ReportTable

RAG_ORDER = ("Green", "Amber", "Red")
QUARTERS_IN_YEAR = 4
PENCE = Decimal("0.01")
# How analysts say in Activities to date that nothing happened, as the text's first words.
NO_ACTIVITY = re.compile(r"(nothing|none|no activit(y|ies)|n/a)(\W|$)", re.IGNORECASE)


@dataclass(frozen=True)
class RagMove:
    """Projects whose rating went from one word to another between two returns."""

    previous: str | None  # None: not rated (or no return) last quarter
    current: str | None  # None: not rated this quarter
    projects: list[str]


def quarter_returns(returns: pd.DataFrame, financial_year: str, quarter: int) -> pd.DataFrame:
    """One quarter's returns for the year, in the tracker's order."""
    chosen = (returns["financial_year"] == financial_year) & (returns["quarter"] == quarter)
    return returns.loc[chosen].reset_index(drop=True)


def has_returns(returns: pd.DataFrame, financial_year: str, quarter: int) -> bool:
    """Whether the year has any return up to and including the quarter."""
    chosen = (returns["financial_year"] == financial_year) & (returns["quarter"] <= quarter)
    return bool(chosen.any())


def year_plan(plan: pd.DataFrame, financial_year: str) -> pd.DataFrame:
    """The actions of the year's plan (an action with no year known is any year's)."""
    return plan[plan["financial_year"].isna() | (plan["financial_year"] == financial_year)]


def years_held(tracker: Tracker) -> list[str]:
    """The financial years the tracker's plan and returns are for, in order."""
    years = set(tracker.plan["financial_year"].dropna()) | set(tracker.returns["financial_year"])
    return sorted(years)


def other_year_notes(tracker: Tracker, financial_year: str) -> list[str]:
    """A warning when the tracker holds neither plan nor returns for the quarter's year."""
    plan_here = not year_plan(tracker.plan, financial_year).empty
    returns_here = bool((tracker.returns["financial_year"] == financial_year).any())
    if plan_here or returns_here:
        return []
    held = ", ".join(years_held(tracker)) or "no year"
    return [
        f"{project_path(tracker.path)}: holds no action plan or quarterly returns for "
        f"{financial_year} (it holds {held}); the report has no action plan or return appendix "
        "and says so."
    ]


def missing_return_notes(tracker: Tracker, financial_year: str, quarter: int) -> list[str]:
    """A warning when the year has returns but none yet for the quarter (the appendix says so)."""
    if not has_returns(tracker.returns, financial_year, quarter):
        return []
    if not quarter_returns(tracker.returns, financial_year, quarter).empty:
        return []
    return [
        f"{project_path(tracker.path)}: no quarterly returns for {financial_year} Q{quarter} yet; "
        "the report's return appendix will say so."
    ]


def rag_changes(returns: pd.DataFrame, financial_year: str, quarter: int) -> pd.DataFrame:
    """Each project in the quarter's return: its rating last quarter and now (None: not rated)."""
    now = quarter_returns(returns, financial_year, quarter)[["project", "rag"]]
    before = quarter_returns(returns, financial_year, quarter - 1)[["project", "rag"]]
    return (
        now.rename(columns={"rag": "current"})
        .merge(before.rename(columns={"rag": "previous"}), on="project", how="left")
        .astype({"previous": "object", "current": "object"})
        .pipe(lambda frame: frame.where(frame.notna(), None))
        .loc[:, ["project", "previous", "current"]]
    )


def rag_moves(changes: pd.DataFrame) -> list[RagMove]:
    """Changes grouped by from and to ratings: moves, then first ratings, then lost ratings.

    Within each kind the group with most projects comes first; unchanged ratings are left out.
    """
    groups: dict[tuple[str | None, str | None], list[str]] = {}
    for row in changes.itertuples(index=False):
        if row.previous != row.current:
            groups.setdefault((row.previous, row.current), []).append(row.project)
    moves = [
        RagMove(previous, current, projects) for (previous, current), projects in groups.items()
    ]
    return sorted(
        moves,
        key=lambda move: (
            _kind(move),
            -len(move.projects),
            _rank(move.previous),
            _rank(move.current),
        ),
    )


def _kind(move: RagMove) -> int:
    """0 for a move between ratings, 1 for a first rating, 2 for a rating no longer given."""
    if move.previous is None:
        return 1
    return 2 if move.current is None else 0


def _rank(rag: str | None) -> int:
    """Green, Amber, Red, then not rated: the order ratings are listed in."""
    return RAG_ORDER.index(rag) if rag in RAG_ORDER else len(RAG_ORDER)


def spent_in_quarter(
    returns: pd.DataFrame, financial_year: str, quarter: int
) -> dict[str, Decimal]:
    """What each project in the quarter's return spent in the quarter itself."""
    year = returns.loc[returns["financial_year"] == financial_year]
    return {
        row.project: Decimal("0.00")
        if row.cost_to_date is None  # nothing reported: the running total stands
        else row.cost_to_date - _latest_cost(year, row.project, quarter)
        for row in quarter_returns(returns, financial_year, quarter).itertuples(index=False)
    }


def _latest_cost(year: pd.DataFrame, project: str, quarter: int) -> Decimal:
    """A project's last cost to date before the quarter, or nothing spent."""
    costs = (
        year.loc[
            (year["project"] == project)
            & (year["quarter"] < quarter)
            & year["cost_to_date"].notna()
        ]
        .sort_values("quarter")["cost_to_date"]
        .tolist()
    )
    return costs[-1] if costs else Decimal("0.00")


def project_spend(
    returns: pd.DataFrame, budgets: pd.DataFrame, financial_year: str, quarter: int
) -> pd.DataFrame:
    """Each project in the quarter's return: budget, cost to date and spent in the quarter."""
    year_budgets = budgets.loc[budgets["financial_year"] == financial_year]
    budget_of = dict(zip(year_budgets["project"], year_budgets["budget"], strict=True))
    spent = spent_in_quarter(returns, financial_year, quarter)
    return (
        quarter_returns(returns, financial_year, quarter)
        .loc[:, ["project", "cost_to_date"]]
        .assign(
            budget=lambda frame: [budget_of.get(project) for project in frame["project"]],
            spent_in_quarter=lambda frame: [spent[project] for project in frame["project"]],
        )
        .astype({"budget": "object", "cost_to_date": "object", "spent_in_quarter": "object"})
        .loc[:, ["project", "budget", "cost_to_date", "spent_in_quarter"]]
    )


def idle_projects(returns: pd.DataFrame, financial_year: str, quarter: int) -> list[str]:
    """Projects in the quarter's return that spent nothing and report no new activities."""
    before = quarter_returns(returns, financial_year, quarter - 1)
    activities_before = dict(zip(before["project"], before["activities_to_date"], strict=True))
    spent = spent_in_quarter(returns, financial_year, quarter)
    return [
        row.project
        for row in quarter_returns(returns, financial_year, quarter).itertuples(index=False)
        if spent[row.project] == 0
        and _reports_nothing_new(row.activities_to_date, activities_before.get(row.project))
    ]


def _reports_nothing_new(now: object, before: object) -> bool:
    """Whether activities say nothing new: blank, as last time, or opening with `Nothing` etc."""
    words = _words(now)
    return words == _words(before) or NO_ACTIVITY.match(words) is not None


def _words(text: object) -> str:
    """The text's words, lower case, single-spaced; blank for none."""
    return " ".join(str(text).split()).casefold() if isinstance(text, str) else ""


def missing_returns(
    returns: pd.DataFrame, budgets: pd.DataFrame, financial_year: str, quarter: int
) -> list[str]:
    """Projects with a budget or an earlier return this year, but no return for the quarter."""
    year = returns.loc[
        (returns["financial_year"] == financial_year) & (returns["quarter"] <= quarter)
    ]
    budgeted = budgets.loc[budgets["financial_year"] == financial_year, "project"].tolist()
    expected = list(dict.fromkeys([*budgeted, *year["project"].tolist()]))
    present = set(quarter_returns(returns, financial_year, quarter)["project"])
    return [project for project in expected if project not in present]


def quarter_profile(allocation: Decimal, quarter: int) -> Decimal:
    """The straight-line profile: the share of the grant due to be spent by the quarter's end."""
    return (allocation * quarter / QUARTERS_IN_YEAR).quantize(PENCE, rounding=ROUND_HALF_UP)


def cumulative_spend(
    returns: pd.DataFrame, allocation: Decimal, financial_year: str, quarter: int
) -> pd.DataFrame:
    """Spend to date at each quarter's end up to the report's, and the profile for all four."""
    return pd.DataFrame(
        {
            "quarter": range(1, QUARTERS_IN_YEAR + 1),
            "spent": [
                spend_to_date(returns, financial_year, number) if number <= quarter else None
                for number in range(1, QUARTERS_IN_YEAR + 1)
            ],
            "profile": [
                quarter_profile(allocation, number) for number in range(1, QUARTERS_IN_YEAR + 1)
            ],
        }
    ).astype({"spent": "object", "profile": "object"})


def budget_used(cost: Decimal | None, budget: Decimal | None) -> Fraction | None:
    """Cost to date as an exact percentage of the project's budget; None without both."""
    if cost is None or budget is None:
        return None
    return percent_of(cost, budget)


RETURN_COLUMNS = [
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


def return_table(tracker: Tracker, financial_year: str, quarter: int) -> pd.DataFrame:
    """The quarter's return as sent to the OPCC, with each project's budget and quarter's spend."""
    spend = project_spend(tracker.returns, tracker.budgets, financial_year, quarter)
    return (
        quarter_returns(tracker.returns, financial_year, quarter)
        .drop(columns=["cost_to_date"])
        .merge(spend, on="project", how="left")
        .loc[:, RETURN_COLUMNS]
    )


def tracker_tables(tracker: Tracker | None, year: FinancialYear, quarter: int) -> list[ReportTable]:
    """The return's tables for the published files: the quarter's return and the grant spend."""
    if tracker is None or not has_returns(tracker.returns, year.name, quarter):
        return []
    tables = [
        ReportTable(
            "opcc_return",
            f"Return to the OPCC, quarter {quarter} {year.label}, with budgets and the "
            "quarter's spend",
            return_table(tracker, year.name, quarter),
        )
    ]
    if year.name in tracker.allocation:
        tables.append(
            ReportTable(
                "grant_spend",
                f"Grant spent by the end of each quarter of {year.label}, against a "
                "straight-line profile",
                cumulative_spend(
                    tracker.returns, tracker.allocation[year.name], year.name, quarter
                ),
            )
        )
    return tables
