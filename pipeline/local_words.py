"""The words of the figures by police beat and location type (`local_detail`), in one place."""

from __future__ import annotations

import pandas as pd

from pipeline.attention_words import headline
from pipeline.local_detail import LocalDetail
from pipeline.numbers import (
    count_with_unit,
    format_count,
    format_percent,
    percent,
    round_half_up,
    to_float,
)
from pipeline.periods import ComparedPeriod

DOMESTIC_ABUSE_ROW, ALL_CRIME_ROW = "Domestic Abuse", "All Crime"  # Home Office table rows
BEATS_EXPLAINED = (
    "Beats are the police's neighbourhood policing areas, as the force extract records each "
    "crime and incident; each beat covers one or more wards."
)


def leaders(table: pd.DataFrame, name: str) -> list[str]:
    """The places sharing the largest current count (a tie names them all)."""
    if table.empty:
        return []
    top = int(table["current"].iloc[0])
    return table.loc[table["current"] == top, name].astype(str).tolist()


def joined(names: list[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def top_beat(table: pd.DataFrame, period: ComparedPeriod, what: str, unit: str) -> str | None:
    """`The Ashworth Town beat recorded the most crime in July to September 2025: 539 offences
    (491 in July to September 2024).` None for an empty table. A beat's change is not tested, so
    it is not said to rise or fall."""
    names = leaders(table, "beat")
    if not names:
        return None
    current = int(table["current"].iloc[0])
    if len(names) > 1:
        return (
            f"The {joined(names)} beats recorded the most {what} in {period.current_span}, "
            f"{count_with_unit(current, unit)} each."
        )
    previous = int(table["previous"].iloc[0])
    return (
        f"The {names[0]} beat recorded the most {what} in {period.current_span}: "
        f"{count_with_unit(current, unit)} ({format_count(previous)} in {period.previous_span})."
    )


def unplaced_sentence(count: int, unit: str, what: str, period: ComparedPeriod) -> str | None:
    """That some records have no beat or location type, so no row of a table counts them."""
    if count == 0:
        return None
    return (
        f"{count_with_unit(count, unit)} in {period.current_span} had no {what} recorded, so no "
        f"row of the table counts {'it' if count == 1 else 'them'}."
    )


def location_type_sentence(local: LocalDetail, period: ComparedPeriod) -> str | None:
    """The location type with the most ASB and its share of the incidents with a location type."""
    table = local.asb_location_types
    names = leaders(table, "location_type")
    if not names:
        return None
    current, total = int(table["current"].iloc[0]), int(table["current"].sum())
    share = format_percent(to_float(round_half_up(percent(current, total))))
    if len(names) > 1:
        return (
            f"{joined(names)} were the location types with the most anti-social behaviour in "
            f"{period.current_span}, {count_with_unit(current, 'incidents')} each ({share} of "
            f"the {format_count(total)} with a location type)."
        )
    previous = int(table["previous"].iloc[0])
    return (
        f"{names[0]} was the location type with the most anti-social behaviour in "
        f"{period.current_span}: {format_count(current)} of {count_with_unit(total, 'incidents')} "
        f"with a location type ({share}), against {format_count(previous)} in "
        f"{period.previous_span}."
    )


def domestic_abuse_share(performance: pd.DataFrame, period: ComparedPeriod) -> str | None:
    """`Domestic abuse was 19.3% of all crime in ...`, from the performance table's % DA."""
    all_crime = performance.loc[performance["crime_type"] == ALL_CRIME_ROW, "pct_da_current"]
    if all_crime.empty or pd.isna(all_crime.iloc[0]):
        return None
    return (
        f"Crimes flagged as domestic abuse were {format_percent(float(all_crime.iloc[0]))} of all "
        f"crime in {period.current_span} (the % DA column of the performance tables)."
    )


def domestic_abuse_sentences(
    local: LocalDetail,
    tests: pd.DataFrame,
    performance: pd.DataFrame,
    period: ComparedPeriod,
    small_base: int,
) -> list[str]:
    """Domestic abuse in the quarter, judged as every headline is, its share of all crime, then
    the beat with most."""
    found = [
        headline(tests, "quarter", DOMESTIC_ABUSE_ROW, period, small_base),
        domestic_abuse_share(performance, period),
        top_beat(local.domestic_abuse_beats, period, "domestic abuse", "offences"),
        unplaced_sentence(local.domestic_abuse_unplaced, "domestic abuse crimes", "beat", period),
    ]
    return [sentence for sentence in found if sentence]


def location_type_paragraphs(local: LocalDetail, period: ComparedPeriod) -> list[str]:
    """The location types part's words: the type with most ASB, and incidents with none."""
    found = [
        location_type_sentence(local, period),
        unplaced_sentence(
            local.asb_location_unplaced, "anti-social behaviour incidents", "location type", period
        ),
    ]
    return [sentence for sentence in found if sentence]


def beats_paragraphs(
    local: LocalDetail, period: ComparedPeriod, asb_period: ComparedPeriod
) -> list[str]:
    """The beats part's words: what a beat is, the beat with most crime and with most ASB, and
    the records with no beat."""
    found = [
        top_beat(local.crime_beats, period, "crime", "offences"),
        top_beat(local.asb_beats, asb_period, "anti-social behaviour", "incidents"),
        unplaced_sentence(local.crimes_unplaced, "crimes", "beat", period),
        unplaced_sentence(
            local.asb_unplaced, "anti-social behaviour incidents", "beat", asb_period
        ),
    ]
    return [BEATS_EXPLAINED, *(sentence for sentence in found if sentence)]
