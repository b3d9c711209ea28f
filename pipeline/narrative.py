"""Sentences written from the figures, in the words a good analyst would use."""

from __future__ import annotations

import pandas as pd

from pipeline.metrics import NoLocationCounts
from pipeline.numbers import (
    SMALL_BASE,
    format_count,
    format_percent,
    percent,
    percent_change,
    round_half_up,
    to_float,
)
from pipeline.periods import ComparedPeriod
from pipeline.taxonomy import ALL_CRIME, police_uk


def _value(row: pd.Series, column: str) -> float | None:
    """A table cell as a float, None when undefined."""
    value = row[column]
    return None if pd.isna(value) else float(value)


def change_phrase(previous: int, current: int, pct: float | None, unit: str) -> str:
    """`fell by 37 (25.1%), from 140 to 103 offences`, with a caveat on small numbers."""
    diff = current - previous
    if diff == 0:
        return f"was unchanged at {format_count(current)} {unit}"
    direction = "rose" if diff > 0 else "fell"
    if previous == 0 or pct is None:
        return f"{direction} from {format_count(previous)} to {format_count(current)} {unit}"
    size = format_percent(abs(pct))
    if previous < SMALL_BASE:
        return (
            f"{direction} by {size}, but from {format_count(previous)} "
            f"to {format_count(current)} {unit}"
        )
    return (
        f"{direction} by {format_count(abs(diff))} ({size}), "
        f"from {format_count(previous)} to {format_count(current)} {unit}"
    )


def describe_change(subject: str, previous: int, current: int, pct: float | None, unit: str) -> str:
    """`All crime fell by 37 (25.1%), from 140 to 103 offences`."""
    return f"{subject} {change_phrase(previous, current, pct, unit)}"


def unit_for(crime_type: str) -> str:
    """`incidents` for anti-social behaviour, `offences` otherwise."""
    return "incidents" if crime_type == police_uk().anti_social_behaviour else "offences"


def subject_for(crime_type: str) -> str:
    """A crime type as the subject of a sentence."""
    if crime_type in (ALL_CRIME, police_uk().anti_social_behaviour):
        return crime_type
    return f"{crime_type} offences".replace("offences offences", "offences")


def row_change(table: pd.DataFrame, crime_type: str) -> str:
    """The sentence for one row of a performance table."""
    row = table.set_index("crime_type").loc[crime_type]
    return describe_change(
        subject_for(crime_type),
        int(row["offences_previous"]),
        int(row["offences_current"]),
        _value(row, "offences_pct_diff"),
        unit_for(crime_type),
    )


def headline(table: pd.DataFrame, crime_type: str, period: ComparedPeriod) -> str:
    """A headline finding: a row's change over a compared period."""
    return (
        f"{row_change(table, crime_type)} in {period.current_span}, "
        f"compared with {period.previous_span}."
    )


def largest_moves(table: pd.DataFrame, period: ComparedPeriod) -> list[str]:
    """The crime types with the largest rise and the largest fall in offences."""
    by_type = table[table["level"] == 1].assign(diff=lambda f: f["offences_diff"].astype("int64"))
    sentences = []
    rises = by_type[by_type["diff"] > 0].sort_values(
        ["diff", "crime_type"], ascending=[False, True]
    )
    falls = by_type[by_type["diff"] < 0].sort_values(["diff", "crime_type"])
    if not rises.empty:
        name = rises.iloc[0]["crime_type"]
        sentences.append(
            f"The largest rise was in {name.lower()}: {_lower_first(row_change(table, name))}."
        )
    if not falls.empty:
        name = falls.iloc[0]["crime_type"]
        sentences.append(
            f"The largest fall was in {name.lower()}: {_lower_first(row_change(table, name))}."
        )
    return sentences


def _lower_first(text: str) -> str:
    """The sentence with its subject's first letter lower-cased."""
    return text[:1].lower() + text[1:]


def most_common(mix: pd.DataFrame, period: ComparedPeriod) -> str:
    """Which crime type was most common, and its share of all crime."""
    total = int(mix["offences"].sum())
    top = mix.iloc[0]
    share = format_percent(round_half_up(percent(int(top["offences"]), total)))
    return (
        f"{top['crime_type']} was the most common crime type in {period.current_span}, "
        f"with {format_count(int(top['offences']))} of {format_count(total)} offences ({share})."
    )


def outcome_rate(table: pd.DataFrame, period: ComparedPeriod) -> str:
    """The positive outcome rate of all crime against a year before."""
    row = table.set_index("crime_type").loc[ALL_CRIME]
    current = format_percent(_value(row, "solved_rate_current"))
    previous = format_percent(_value(row, "solved_rate_previous"))
    return (
        f"{current} of crimes recorded in {period.current_span} have a positive outcome "
        f"so far, against {previous} of those recorded in {period.previous_span}. Recent crimes "
        "have had less time to reach an outcome, so the latest rate usually rises later."
    )


def top_area(areas: pd.DataFrame, period: ComparedPeriod, unit: str, measure: str) -> str:
    """The area with the most offences or incidents, with its change on a year before."""
    top = areas.iloc[0]
    previous, current = int(top["previous"]), int(top["current"])
    pct = to_float(round_half_up(percent_change(previous, current)))
    return (
        f"{top['area']} had the most {measure} in {period.current_span}: its count "
        f"{change_phrase(previous, current, pct, unit)} on {period.previous_span}."
    )


def no_location(counts: NoLocationCounts, force: str, period: ComparedPeriod) -> str:
    """The force's rows with no location, which no district's figures include."""
    if counts.crimes == 0 and counts.asb == 0:
        return f"Every record {force} published for {period.current_span} had a location."
    return (
        f"A further {format_count(counts.crimes)} crimes and {format_count(counts.asb)} "
        f"anti-social behaviour incidents recorded by {force} in {period.current_span} had no "
        "location, so they belong to no district and are not counted in these figures."
    )
