"""Crime, ASB and domestic abuse by police beat, and ASB by location type: counted and worded."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.local_detail import local_detail
from pipeline.local_words import (
    beats_paragraphs,
    domestic_abuse_share,
    location_type_paragraphs,
    top_beat,
)
from pipeline.periods import compared_periods, parse_financial_year

QUARTER = compared_periods(parse_financial_year("2025-26"), 2)["quarter"]  # Jul-Sep 2025


def crimes(*rows: tuple[str, str, bool]) -> pd.DataFrame:
    """Crimes as (recorded date, beat, domestic abuse)."""
    return pd.DataFrame(
        {
            "recorded_date": pd.to_datetime([row[0] for row in rows]),
            "beat": pd.Series([row[1] for row in rows], dtype="string"),
            "domestic_abuse": [row[2] for row in rows],
        }
    )


def asb(*rows: tuple[str, str, str]) -> pd.DataFrame:
    """ASB incidents as (date, beat, location type)."""
    return pd.DataFrame(
        {
            "date": pd.to_datetime([row[0] for row in rows]),
            "beat": pd.Series([row[1] for row in rows], dtype="string"),
            "location_type": pd.Series([row[2] for row in rows], dtype="string"),
        }
    )


CRIMES = crimes(
    ("2025-08-01", "Town", True),
    ("2025-08-02", "Town", True),
    ("2025-08-03", "Town", False),
    ("2024-08-03", "Town", False),  # a year before
    ("2025-07-10", "North", False),
    ("2024-09-10", "North", True),
    ("2024-09-11", "North", False),
    ("2025-09-30", "", False),  # no beat
    ("2025-10-01", "Town", True),  # after the quarter
)
ASB = asb(
    ("2025-07-01", "Town", "Residential"),
    ("2025-07-02", "North", "Residential"),
    ("2025-08-01", "Town", "Street/Highway"),
    ("2024-08-01", "Town", "Street/Highway"),
    ("2025-09-01", "", ""),  # neither a beat nor a location type
)


@pytest.fixture(scope="module")
def detail():
    return local_detail(CRIMES, ASB, QUARTER, QUARTER)


def rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(row) for row in frame.itertuples(index=False)]


def test_crime_by_beat_counts_the_quarter_and_a_year_before(detail):
    # Town: 3 in Jul-Sep 2025, 1 in Jul-Sep 2024; North: 1, and 2 a year before.
    assert rows(detail.crime_beats) == [("Town", 1, 3, 2), ("North", 2, 1, -1)]
    assert detail.crimes_unplaced == 1  # the crime with no beat, in no row


def test_domestic_abuse_by_beat_counts_the_flagged_crimes_only(detail):
    # Town: 2 flagged in 2025 (the October one is after the quarter); North: 1 in 2024.
    assert rows(detail.domestic_abuse_beats) == [("Town", 0, 2, 2), ("North", 1, 0, -1)]
    assert detail.domestic_abuse_unplaced == 0


def test_asb_by_beat_and_by_location_type(detail):
    assert rows(detail.asb_beats) == [("Town", 1, 2, 1), ("North", 0, 1, 1)]
    assert rows(detail.asb_location_types) == [
        ("Residential", 0, 2, 2),
        ("Street/Highway", 1, 1, 0),
    ]
    assert (detail.asb_unplaced, detail.asb_location_unplaced) == (1, 1)


def test_without_the_extract_s_asb_file_there_is_no_asb_detail():
    detail = local_detail(CRIMES, None, QUARTER, QUARTER)
    assert detail.asb_beats.empty and detail.asb_location_types.empty
    assert list(detail.asb_location_types.columns) == [
        "location_type",
        "previous",
        "current",
        "change",
    ]
    assert (detail.asb_unplaced, detail.asb_location_unplaced) == (0, 0)


def test_the_words_name_the_top_beat_with_a_year_before(detail):
    assert top_beat(detail.crime_beats, QUARTER, "crime", "offences") == (
        "The Town beat recorded the most crime in July to September 2025: 3 offences "
        "(1 in July to September 2024)."
    )
    paragraphs = beats_paragraphs(detail, QUARTER, QUARTER)
    assert paragraphs[2] == (
        "The Town beat recorded the most anti-social behaviour in July to September 2025: "
        "2 incidents (1 in July to September 2024)."
    )
    assert paragraphs[3] == (
        "1 crime in July to September 2025 had no beat recorded, so no row of the table counts it."
    )


def test_beats_sharing_the_most_are_named_together():
    tied = local_detail(
        crimes(("2025-08-01", "Town", False), ("2025-08-01", "North", False)),
        None,
        QUARTER,
        QUARTER,
    )
    assert top_beat(tied.crime_beats, QUARTER, "crime", "offences") == (
        "The North and Town beats recorded the most crime in July to September 2025, "
        "1 offence each."
    )


def test_the_location_type_with_most_asb_and_its_share(detail):
    # Residential: 2 of the 3 incidents with a location type, 66.666...% -> 66.7%.
    assert location_type_paragraphs(detail, QUARTER) == [
        "Residential was the location type with the most anti-social behaviour in July to "
        "September 2025: 2 of 3 incidents with a location type (66.7%), against 0 in July to "
        "September 2024.",
        "1 anti-social behaviour incident in July to September 2025 had no location type "
        "recorded, so no row of the table counts it.",
    ]


def test_domestic_abuse_s_share_is_the_performance_table_s():
    performance = pd.DataFrame(
        {"crime_type": ["All Crime", "Theft"], "pct_da_current": [19.3, None]}
    )
    assert domestic_abuse_share(performance, QUARTER) == (
        "Crimes flagged as domestic abuse were 19.3% of all crime in July to September 2025 "
        "(the % DA column of the performance tables)."
    )
    performance.loc[0, "pct_da_current"] = None
    assert domestic_abuse_share(performance, QUARTER) is None


def test_several_unplaced_records_are_them():
    detail = local_detail(
        crimes(("2025-08-01", "", False), ("2025-08-02", "", False)), None, QUARTER, QUARTER
    )
    assert beats_paragraphs(detail, QUARTER, QUARTER)[1:] == [
        "2 crimes in July to September 2025 had no beat recorded, so no row of the table counts "
        "them."
    ]
