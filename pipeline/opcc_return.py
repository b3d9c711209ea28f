"""The quarter's return to the OPCC in figures and words: ratings, their changes, spend, idle work.

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
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from pipeline.grant import GrantPosition, percent_of, spend_to_date
from pipeline.numbers import (
    UNDEFINED,
    count_with_unit,
    format_money,
    format_percent,
    round_half_up,
)
from pipeline.periods import ComparedPeriod, FinancialYear
from pipeline.sources.tracker import Tracker
from pipeline.tables import ReportTable
from pipeline.text import join_words

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


def missing_return_notes(tracker: Tracker, financial_year: str, quarter: int) -> list[str]:
    """A warning when the year has returns but none yet for the quarter (the appendix says so)."""
    if not has_returns(tracker.returns, financial_year, quarter):
        return []
    if not quarter_returns(tracker.returns, financial_year, quarter).empty:
        return []
    return [
        f"{tracker.path}: no quarterly returns for {financial_year} Q{quarter} yet; the report's "
        "return appendix will say so."
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


def rag_count_sentence(changes: pd.DataFrame, quarter: int) -> str:
    """How many of the quarter's projects have each rating, and how many have none yet."""
    counts = Counter(changes["current"].dropna())
    unrated = len(changes) - sum(counts.values())
    opening = f"The quarter {quarter} return covers {count_with_unit(len(changes), 'projects')}"
    if not counts:
        return f"{opening}, none of them rated yet."
    rated = [f"{counts[rag]:,} {rag}" for rag in RAG_ORDER if counts[rag]]
    rated[0] = rated[0].replace(" ", " rated ", 1)
    if unrated:
        return f"{opening}: {', '.join(rated)}, and {unrated:,} not yet rated."
    return f"{opening}: {join_words(rated)}."


def rag_change_sentences(changes: pd.DataFrame, quarter: int) -> list[str]:
    """RAG changes since the last quarter in words: `2 projects moved from Green to Amber (...)`."""
    if quarter == 1:
        return ["This is the year's first return, so there are no earlier ratings to compare."]
    if changes.empty:
        return []
    sentences = [_move_sentence(move, quarter) for move in rag_moves(changes)]
    if not sentences:
        return [f"No project's rating changed since quarter {quarter - 1}."]
    kept = sum(
        row.previous is not None and row.previous == row.current
        for row in changes.itertuples(index=False)
    )
    if kept:
        others = "The other project" if kept == 1 else f"The other {kept:,} projects"
        sentences.append(f"{others} kept the rating {'it' if kept == 1 else 'they'} had.")
    return sentences


def _move_sentence(move: RagMove, quarter: int) -> str:
    """One group of changes as a sentence naming its projects."""
    count = count_with_unit(len(move.projects), "projects")
    names = f"({join_words(move.projects)})"
    if move.previous is None:
        return f"{count} {_was(move)} rated for the first time, as {move.current} {names}."
    if move.current is None:
        return (
            f"{count} rated {move.previous} in quarter {quarter - 1} {_was(move)} not rated "
            f"this quarter {names}."
        )
    return f"{count} moved from {move.previous} to {move.current} {names}."


def _was(move: RagMove) -> str:
    """`was` for one project, `were` for more."""
    return "was" if len(move.projects) == 1 else "were"


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


def activity_sentences(idle: list[str], missing: list[str], quarter: int) -> list[str]:
    """Which projects had no activity this quarter, and which sent no return."""
    sentences = []
    if idle:
        sentences.append(
            f"No activity was reported for {count_with_unit(len(idle), 'projects')} this quarter "
            f"({join_words(idle)}): nothing was spent, and no new activities are reported."
        )
    else:
        sentences.append("Every project in the return reported activity this quarter.")
    if missing:
        sentences.append(f"The tracker has no quarter {quarter} return for {join_words(missing)}.")
    return sentences


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


def grant_sentence(position: GrantPosition, year: FinancialYear, period: ComparedPeriod) -> str:
    """The grant, the spend to date and what is left, with the share of the year gone."""
    spent_share = format_percent(round_half_up(position.share_spent))
    year_share = format_percent(round_half_up(position.share_of_year))
    left = (
        f"leaving {format_money(position.balance)}"
        if position.balance >= 0
        else f"{format_money(-position.balance)} more than the grant"
    )
    return (
        f"The partnership's grant from the Office of the Police and Crime Commissioner for "
        f"{year.label} is {format_money(position.allocation)}. By the end of quarter "
        f"{position.quarter} ({period.current_span}), {format_money(position.spent)} had been "
        f"spent ({spent_share} of the grant, with {year_share} of the year gone), {left}."
    )


def profile_sentence(position: GrantPosition) -> str:
    """Spend to date against the straight-line profile, in pounds."""
    profile = quarter_profile(position.allocation, position.quarter)
    gap = position.spent - profile
    if gap == 0:
        where = "exactly on that profile"
    else:
        where = f"{format_money(abs(gap))} {'above' if gap > 0 else 'below'} it"
    return (
        f"Spread evenly over the year, {format_money(profile)} of the grant would have been "
        f"spent by the end of quarter {position.quarter}; spend to date is {where}."
    )


def over_budget_sentences(spend: pd.DataFrame) -> list[str]:
    """Each project whose cost to date is more than its budget, with both amounts."""
    return [
        f"{row.project} has spent more than its budget: {format_money(row.cost_to_date)} "
        f"against {format_money(row.budget)} ({budget_share(row.cost_to_date, row.budget)})."
        for row in spend.itertuples(index=False)
        if row.cost_to_date is not None and row.budget is not None and row.cost_to_date > row.budget
    ]


def budget_share(cost: Decimal | None, budget: Decimal | None) -> str:
    """Cost to date as a share of the project's budget, `-` without both."""
    if cost is None or budget is None:
        return UNDEFINED
    return format_percent(round_half_up(percent_of(cost, budget)))


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
