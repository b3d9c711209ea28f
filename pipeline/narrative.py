"""Sentences written from the figures, in the words a good analyst would use."""

from __future__ import annotations

import pandas as pd

from pipeline.metrics import NoLocationCounts
from pipeline.numbers import (
    SMALL_BASE,
    count_with_unit,
    format_count,
    format_percent,
    is_undefined,
    percent,
    percent_change,
    round_half_up,
    to_float,
)
from pipeline.periods import ComparedPeriod
from pipeline.taxonomy import police_uk


def _value(row: pd.Series, column: str) -> float | None:
    """A table cell as a float, None when undefined."""
    value = row[column]
    return None if is_undefined(value) else float(value)


def change_phrase(previous: int, current: int, pct: float | None, unit: str) -> str:
    """`fell by 37 (26.4%), from 140 to 103 offences`, with a caveat on small numbers."""
    diff = current - previous
    if diff == 0:
        return f"was unchanged at {count_with_unit(current, unit)}"
    direction = "rose" if diff > 0 else "fell"
    if previous == 0 or pct is None:
        return f"{direction} from {format_count(previous)} to {count_with_unit(current, unit)}"
    size = format_percent(abs(pct))
    if previous < SMALL_BASE:
        return (
            f"{direction} by {size}, but from {format_count(previous)} "
            f"to {count_with_unit(current, unit)}"
        )
    return (
        f"{direction} by {format_count(abs(diff))} ({size}), "
        f"from {format_count(previous)} to {count_with_unit(current, unit)}"
    )


def describe_change(subject: str, previous: int, current: int, pct: float | None, unit: str) -> str:
    """`All crime fell by 37 (26.4%), from 140 to 103 offences`."""
    return f"{subject} {change_phrase(previous, current, pct, unit)}"


def unit_for(crime_type: str) -> str:
    """`incidents` for anti-social behaviour, `offences` otherwise."""
    return "incidents" if crime_type == police_uk().anti_social_behaviour else "offences"


def _row_phrase(table: pd.DataFrame, crime_type: str) -> str:
    """The change phrase of one row of a performance table."""
    row = table.set_index("crime_type").loc[crime_type]
    return change_phrase(
        int(row["offences_previous"]),
        int(row["offences_current"]),
        _value(row, "offences_pct_diff"),
        unit_for(crime_type),
    )


def row_change(table: pd.DataFrame, crime_type: str) -> str:
    """The sentence for one row of a performance table, without the period."""
    return f"{crime_type} {_row_phrase(table, crime_type)}"


def headline(table: pd.DataFrame, crime_type: str, period: ComparedPeriod) -> str:
    """A headline finding: a row's change over a compared period."""
    return (
        f"{row_change(table, crime_type)} in {period.current_span}, "
        f"compared with {period.previous_span}."
    )


def largest_moves(table: pd.DataFrame, period: ComparedPeriod) -> list[str]:
    """The crime types with the largest rise and the largest fall in offences."""
    by_type = table[table["level"] == 1].assign(diff=lambda f: f["offences_diff"].astype("int64"))
    rises = by_type[by_type["diff"] > 0].sort_values(
        ["diff", "crime_type"], ascending=[False, True]
    )
    falls = by_type[by_type["diff"] < 0].sort_values(["diff", "crime_type"])
    sentences = []
    for label, chosen in (("rise", rises), ("fall", falls)):
        if not chosen.empty:
            name = chosen.iloc[0]["crime_type"]
            sentences.append(
                f"The largest {label} was in {name.lower()}, which {_row_phrase(table, name)}."
            )
    return sentences


def _join(names: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def most_common(mix: pd.DataFrame, period: ComparedPeriod) -> str:
    """Which crime type (or tied types) was most common, and its share of all crime."""
    total = int(mix["offences"].sum())
    if total == 0:
        return f"No offences were recorded in {period.current_span}."
    top = int(mix["offences"].max())
    leaders = sorted(mix.loc[mix["offences"] == top, "crime_type"])
    share = format_percent(round_half_up(percent(top, total)))
    if len(leaders) > 1:
        return (
            f"{_join(leaders)} were the most common crime types in {period.current_span}, "
            f"with {format_count(top)} of {count_with_unit(total, 'offences')} each ({share})."
        )
    return (
        f"{leaders[0]} was the most common crime type in {period.current_span}, "
        f"with {format_count(top)} of {count_with_unit(total, 'offences')} ({share})."
    )


def outcome_rate(table: pd.DataFrame, period: ComparedPeriod) -> str:
    """The positive outcome rate of all crime against a year before."""
    row = table.set_index("crime_type").loc["All crime"]
    current, previous = _value(row, "solved_rate_current"), _value(row, "solved_rate_previous")
    if current is None:
        return f"No crimes were recorded in {period.current_span}, so there is no outcome rate."
    opening = (
        f"{format_percent(current)} of crimes recorded in {period.current_span} have a "
        "positive outcome so far"
    )
    if previous is None:
        return f"{opening}; there were no crimes in {period.previous_span} to compare with."
    return (
        f"{opening}, against {format_percent(previous)} of those recorded in "
        f"{period.previous_span}. Recent crimes have had less time to reach an outcome, so the "
        "latest rate usually rises later."
    )


def top_area(areas: pd.DataFrame, period: ComparedPeriod, unit: str, measure: str) -> str:
    """The area with the most offences or incidents, with its change on a year before."""
    if areas.empty:
        return f"No area recorded any {measure} in {period.current_span}."
    top = areas.iloc[0]
    previous, current = int(top["previous"]), int(top["current"])
    pct = to_float(round_half_up(percent_change(previous, current)))
    return (
        f"{top['area']} had the most {measure} in {period.current_span}: its count "
        f"{change_phrase(previous, current, pct, unit)}, compared with {period.previous_span}."
    )


def no_location(counts: NoLocationCounts, force: str, period: ComparedPeriod) -> str:
    """The force's rows with no location, which no district's figures include."""
    if counts.crimes == 0 and counts.asb == 0:
        return f"Every record {force} published for {period.current_span} had a location."
    return (
        f"A further {count_with_unit(counts.crimes, 'crimes')} and "
        f"{count_with_unit(counts.asb, 'anti-social behaviour incidents')} recorded by {force} "
        f"in {period.current_span} had no location, so they belong to no district and are not "
        "counted in these figures."
    )
