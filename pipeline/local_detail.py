"""What a force extract tells beyond the Home Office table: crime, ASB and domestic abuse by
police beat, and ASB by the type of place it happened (the seed's Appendix B).

police.uk gives neither beats nor location types, so these figures come from a force extract
only; each table is empty where the extract leaves its column blank, and the paper then leaves
that table out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.metrics import event_top_areas
from pipeline.periods import ComparedPeriod

BEATS_SHOWN = 10  # the beats with most crime; location types are all shown
LOCATION_TYPES_SHOWN = 1_000
BEAT_COLUMNS = ["beat", "previous", "current", "change"]
LOCATION_TYPE_COLUMNS = ["location_type", "previous", "current", "change"]


@dataclass(frozen=True)
class LocalDetail:
    """A quarter's figures by beat and location type, with what each count leaves out.

    Each table has the current and previous periods' counts (the quarter and the same months a
    year before) and the change; `*_unplaced` counts the current period's records the table
    leaves out because their beat or location type is blank."""

    crime_beats: pd.DataFrame
    asb_beats: pd.DataFrame
    domestic_abuse_beats: pd.DataFrame
    asb_location_types: pd.DataFrame
    crimes_unplaced: int
    asb_unplaced: int
    domestic_abuse_unplaced: int
    asb_location_unplaced: int


FRAMES = ("crime_beats", "asb_beats", "domestic_abuse_beats", "asb_location_types")
COUNTS = ("crimes_unplaced", "asb_unplaced", "domestic_abuse_unplaced", "asb_location_unplaced")


def placed_events(months: pd.Series, places: pd.Series, is_asb: bool) -> pd.DataFrame:
    """Records as the events `metrics.event_top_areas` counts: month, kind and place."""
    return pd.DataFrame(
        {
            "month": months.dt.to_period("M"),
            "is_asb": is_asb,
            "category": pd.Series(pd.NA, index=months.index, dtype="string"),
            "area": places.astype("string"),
        }
    )


def unplaced(events: pd.DataFrame, period: ComparedPeriod) -> int:
    """Records of the period's current months with no place."""
    current = events["month"].isin(period.current)
    return int((current & (events["area"].fillna("").str.strip() == "")).sum())


def ranked(
    events: pd.DataFrame, period: ComparedPeriod, is_asb: bool, limit: int, name: str
) -> pd.DataFrame:
    """The places with most records in the period's current months, with a year before."""
    return event_top_areas(events, period, asb=is_asb, limit=limit).rename(columns={"area": name})


def empty_detail_table(name: str) -> pd.DataFrame:
    """A table with no rows, in the columns of a filled one."""
    columns = BEAT_COLUMNS if name != "asb_location_types" else LOCATION_TYPE_COLUMNS
    return pd.DataFrame({column: pd.Series(dtype="int64") for column in columns}).astype(
        {columns[0]: "string"}
    )


def local_detail(
    crimes: pd.DataFrame,
    asb: pd.DataFrame | None,
    crime_period: ComparedPeriod,
    asb_period: ComparedPeriod,
) -> LocalDetail:
    """Crime, domestic abuse and (with the extract's ASB file) ASB by beat, and ASB by location
    type, for the compared period (the quarter)."""
    crime_events = placed_events(crimes["recorded_date"], crimes["beat"], is_asb=False)
    abuse = crimes[crimes["domestic_abuse"].fillna(False).astype(bool)]
    abuse_events = placed_events(abuse["recorded_date"], abuse["beat"], is_asb=False)
    if asb is None:
        asb_beats = empty_detail_table("asb_beats")
        location_types = empty_detail_table("asb_location_types")
        asb_unplaced = location_unplaced = 0
    else:
        beat_events = placed_events(asb["date"], asb["beat"], is_asb=True)
        type_events = placed_events(asb["date"], asb["location_type"], is_asb=True)
        asb_beats = ranked(beat_events, asb_period, True, BEATS_SHOWN, "beat")
        location_types = ranked(
            type_events, asb_period, True, LOCATION_TYPES_SHOWN, "location_type"
        )
        asb_unplaced = unplaced(beat_events, asb_period)
        location_unplaced = unplaced(type_events, asb_period)
    return LocalDetail(
        crime_beats=ranked(crime_events, crime_period, False, BEATS_SHOWN, "beat"),
        asb_beats=asb_beats,
        domestic_abuse_beats=ranked(abuse_events, crime_period, False, BEATS_SHOWN, "beat"),
        asb_location_types=location_types,
        crimes_unplaced=unplaced(crime_events, crime_period),
        asb_unplaced=asb_unplaced,
        domestic_abuse_unplaced=unplaced(abuse_events, crime_period),
        asb_location_unplaced=location_unplaced,
    )
