"""Sentences written from the figures, in the words a good analyst would use."""

from __future__ import annotations

import pandas as pd

from pipeline.metrics import NoLocationCounts, mix_shares
from pipeline.numbers import (
    SMALL_BASE,
    count_with_unit,
    format_count,
    format_one_decimal,
    format_percent,
    is_undefined,
)
from pipeline.periods import ComparedPeriod
from pipeline.taxonomy import (
    ALL_CRIME,
    home_office,
    police_uk,
)
from pipeline.text import capitalise, join_words

CRIME_TYPE = "crime type"  # what a police.uk crime mix is by
OFFENCE_GROUP = "offence group"  # what a force extract's crime mix is by


def cell_value(value: object) -> float | None:
    """A table cell as a float, None when undefined."""
    return None if is_undefined(value) else float(value)  # type: ignore[arg-type]


def _amount(count: int, unit: str) -> str:
    """A count with its unit (`1,203 offences`), or bare (`1,203`) when the unit is empty."""
    return count_with_unit(count, unit) if unit else format_count(count)


def _percent_size(pct: float) -> str:
    """The size of a rounded, non-zero change: `26.4%`, or `less than 0.1%` rather than `0.0%`."""
    return "less than 0.1%" if pct == 0 else format_percent(abs(pct))


def change_phrase(
    previous: int, current: int, pct: float | None, unit: str, small_base: int = SMALL_BASE
) -> str:
    """`fell by 37 (26.4%), from 140 to 103 offences`; with either count below small_base, no
    percentage (ONS's rule for small numbers): `rose from 10 to 15 offences`."""
    diff = current - previous
    if diff == 0:
        return f"was unchanged at {_amount(current, unit)}"
    direction = "rose" if diff > 0 else "fell"
    span = f"from {format_count(previous)} to {_amount(current, unit)}"
    if previous == 0 or pct is None or min(previous, current) < small_base:
        return f"{direction} {span}"
    return f"{direction} by {format_count(abs(diff))} ({_percent_size(pct)}), {span}"


def rate_change(previous: float, current: float, points: float) -> str:
    """`rose by 1.3 percentage points, from 11.4% to 12.7%`, or `was unchanged at 10.0%`."""
    if points == 0 and previous == current:
        return f"was unchanged at {format_percent(current)}"
    direction = "rose" if points > 0 or (points == 0 and current > previous) else "fell"
    size = "less than 0.1" if points == 0 else format_one_decimal(abs(points))
    span = (
        f"to {format_percent(current)}"
        if previous == current
        else f"from {format_percent(previous)} to {format_percent(current)}"
    )
    return f"{direction} by {size} percentage points, {span}"


def unit_for(crime_type: str) -> str:
    """`incidents` for anti-social behaviour, `offences` otherwise."""
    asb_names = {police_uk().anti_social_behaviour, home_office().asb_row.name}
    return "incidents" if crime_type in asb_names else "offences"


def prose_name(name: str) -> str:
    """A table row's name as said mid-sentence: `residential burglary`, `bicycle theft`.

    Home Office rows (matched ignoring case) are named by the taxonomy; police.uk crime types,
    already in sentence case, are lower-cased.
    """
    rows = {row.name.casefold(): row for row in home_office().rows}
    row = rows.get(name.casefold())
    return row.prose_name if row else name.lower()


def subject_for(crime_type: str) -> str:
    """A row's name to open a sentence: `Anti-social behaviour`, `Residential burglary`."""
    return capitalise(prose_name(crime_type))


def category_name(name: str, noun: str = CRIME_TYPE) -> str:
    """A crime mix category as written mid-sentence.

    police.uk crime types (noun `crime type`) keep their published wording; anything else, such
    as an offence group, is written in sentence case (`violence against the person`).
    """
    return name if noun == CRIME_TYPE else prose_name(name)


def most_common(mix: pd.DataFrame, period: ComparedPeriod, noun: str = CRIME_TYPE) -> str:
    """Which category of the mix (or tied ones) was most common, and its share of all crime.

    `noun` names the mix's categories: `crime type` (police.uk) or `offence group`.
    """
    total = int(mix["offences"].sum())
    if total == 0:
        return f"No offences were recorded in {period.current_span}."
    top = int(mix["offences"].max())
    leaders = sorted(mix.loc[mix["offences"] == top, "crime_type"])
    names = capitalise(join_words([category_name(name, noun) for name in leaders]))
    share = format_percent(mix_shares(mix)[mix["offences"] == top].iloc[0])
    of_all = f"{format_count(top)} of {count_with_unit(total, 'offences')}"
    if len(leaders) > 1:
        return (
            f"{names} were the most common {noun}s in {period.current_span}, "
            f"with {of_all} each ({share})."
        )
    return f"{names} was the most common {noun} in {period.current_span}, with {of_all} ({share})."


def outcome_rate(table: pd.DataFrame, period: ComparedPeriod) -> str:
    """The positive outcome rate of all crime against a year before."""
    row = table.set_index("crime_type").loc[ALL_CRIME]
    current = cell_value(row["solved_rate_current"])
    previous = cell_value(row["solved_rate_previous"])
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


def solved_rate(table: pd.DataFrame, period: ComparedPeriod) -> str:
    """The Home Office solved rate of all crime against a year before."""
    all_crime = home_office().all_crime_row
    row = table.set_index("crime_type").loc[all_crime.name]
    current = cell_value(row["solved_rate_current"])
    previous = cell_value(row["solved_rate_previous"])
    solved, offences = int(row["solved_current"]), int(row["offences_current"])
    if current is None:
        return (
            f"No crimes were recorded in {period.current_span}, so there is no solved rate "
            f"(there were {count_with_unit(solved, 'solved outcomes')})."
        )
    opening = (
        f"The solved rate for {all_crime.prose_name} was {format_percent(current)} in "
        f"{period.current_span} ({count_with_unit(solved, 'solved outcomes')} against "
        f"{count_with_unit(offences, 'offences')})"
    )
    if previous is None:
        return f"{opening}; there were no crimes in {period.previous_span} to compare with."
    return f"{opening}, compared with {format_percent(previous)} in {period.previous_span}."


def top_area(
    areas: pd.DataFrame,
    period: ComparedPeriod,
    unit: str,
    measure: str,
) -> str:
    """The area with the most offences or incidents, with its count a year before (an area's
    change is not tested, so it is not said to rise or fall)."""
    if areas.empty:
        return f"No area recorded any {measure} in {period.current_span}."
    top = areas.iloc[0]
    previous, current = int(top["previous"]), int(top["current"])
    return (
        f"{top['area']} had the most {measure} in {period.current_span}, with "
        f"{count_with_unit(current, unit)} ({format_count(previous)} in {period.previous_span})."
    )


def no_location(counts: NoLocationCounts, force: str, period: ComparedPeriod) -> str:
    """The force's rows with no location, which no district's figures include."""
    if counts.crimes == 0 and counts.asb == 0:
        return f"Every record {force} published for {period.current_span} had a location."
    return (
        f"Across the whole force area, {count_with_unit(counts.crimes, 'crimes')} and "
        f"{count_with_unit(counts.asb, 'anti-social behaviour incidents')} recorded by {force} "
        f"in {period.current_span} had no location, so they belong to no district and are not "
        "counted in these figures."
    )
