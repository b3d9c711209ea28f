"""The quarter's return to the OPCC in words: its ratings and their changes, the grant and its
spend, the projects with no activity or no return. The figures are `pipeline/opcc_return.py`'s."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pandas as pd

from pipeline.attention_words import count_words
from pipeline.grant import GrantPosition
from pipeline.numbers import UNDEFINED, count_with_unit, format_money, format_percent, round_half_up
from pipeline.opcc_return import RAG_ORDER, RagMove, budget_used, quarter_profile, rag_moves
from pipeline.periods import ComparedPeriod, FinancialYear
from pipeline.text import join_words


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


def financial_sentence(position: GrantPosition, year: FinancialYear) -> str:
    """The grant as a financial implication: what funds the plan and how much is spent, said
    otherwise than the return's appendix says it."""
    spent_share = format_percent(round_half_up(position.share_spent))
    left = (
        f"{format_money(position.balance)} remains"
        if position.balance >= 0
        else f"the grant is overspent by {format_money(-position.balance)}"
    )
    return (
        f"The action plan is funded by the partnership's {format_money(position.allocation)} "
        f"grant for {year.label} from the Office of the Police and Crime Commissioner: "
        f"{format_money(position.spent)} of it ({spent_share}) had been spent by the end of "
        f"quarter {position.quarter}, and {left}."
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
    share = budget_used(cost, budget)
    return UNDEFINED if share is None else format_percent(round_half_up(share))


YEAR_END_QUARTER = 4


def risk_sentences(
    changes: pd.DataFrame,
    position: GrantPosition | None,
    idle: list[str],
    appendix: str,
    quarter: int,
) -> list[str]:
    """The risks the quarter's return shows: projects rated Red or Amber, spend behind or ahead
    of the straight-line profile, projects with no activity; none where it shows none. In
    quarter 4 the year is over: the ratings and the spend are what the year achieved."""
    sentences = []
    year_end = quarter == YEAR_END_QUARTER
    rated = {rag: sorted(changes.loc[changes["current"] == rag, "project"]) for rag in RAG_ORDER}
    meanings = (
        (("Red", "was not significantly achieved"), ("Amber", "was only partially achieved"))
        if year_end
        else (("Red", "is not on track"), ("Amber", "may not be delivered in full"))
    )
    for rag, meaning in meanings:
        projects = rated.get(rag, [])
        if projects:
            each = "it" if len(projects) == 1 else "each"
            many = len(projects)
            rated_as = (
                f"ended the year rated {rag}"
                if year_end
                else f"{'is' if many == 1 else 'are'} rated {rag} in the quarter's return"
            )
            consequence = (
                f"{each} {meaning} ({appendix})."
                if year_end
                else f"{each} {meaning} this year unless the partnership acts ({appendix})."
            )
            sentences.append(
                f"{count_words(many)} {'project' if many == 1 else 'projects'} {rated_as} "
                f"({join_words(projects)}): {consequence}"
            )
    if position is not None:
        profile = quarter_profile(position.allocation, position.quarter)
        gap = position.spent - profile
        if gap < 0 and year_end:
            sentences.append(
                f"By the year's end {format_money(-gap)} of the "
                f"{format_money(position.allocation)} grant had not been spent."
            )
        elif gap < 0:
            sentences.append(
                f"Spend to date is {format_money(-gap)} below the straight-line profile for "
                f"quarter {position.quarter}: at this pace part of the "
                f"{format_money(position.allocation)} grant would be left unspent at the year's "
                "end."
            )
        elif gap > 0 and year_end:
            sentences.append(
                f"By the year's end {format_money(position.spent)} had been spent, "
                f"{format_money(gap)} more than the {format_money(position.allocation)} grant."
            )
        elif gap > 0:
            sentences.append(
                f"Spend to date is {format_money(gap)} above the straight-line profile for "
                f"quarter {position.quarter}: at this pace the grant would be spent before the "
                "year's end."
            )
    if idle:
        sentences.append(
            f"No activity was reported this quarter for {join_words(idle)}, whose part of the "
            "plan may slip."
        )
    return sentences
