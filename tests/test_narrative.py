"""Generated sentences, checked against wording worked out by hand from tiny hand-made records."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.metrics import (
    NoLocationCounts,
    crime_mix,
    performance_table,
    period_counts,
    top_areas,
)
from pipeline.narrative import (
    change_phrase,
    describe_change,
    headline,
    largest_moves,
    most_common,
    no_location,
    outcome_rate,
    top_area,
)
from pipeline.periods import ComparedPeriod, FinancialYear, compared_periods

ASB = "Anti-social behaviour"
FORCE = "Wealdmoor Constabulary"
PERIODS = compared_periods(FinancialYear(2025), 2)
QUARTER = PERIODS["quarter"]  # July to September 2025 against July to September 2024
COMPARED = "in July to September 2025, compared with July to September 2024."


def rows(
    month: str,
    crime_type: str,
    count: int,
    outcome: str = "",
    lsoa: str = "Ashworth Vale 001A",
) -> list[dict]:
    """`count` identical records."""
    return [
        {
            "month": pd.Period(month, freq="M"),
            "crime_type": crime_type,
            "last_outcome": outcome,
            "lsoa_name": lsoa,
        }
    ] * count


def records(*groups: list[dict]) -> pd.DataFrame:
    """A records table from groups of rows."""
    return pd.DataFrame([row for group in groups for row in group])


def table_for(data: pd.DataFrame, period: ComparedPeriod) -> pd.DataFrame:
    """The performance table of one compared period."""
    return performance_table(period_counts(data, period))


# --- change_phrase and describe_change ---------------------------------------------------------


def test_fall() -> None:
    # 140 - 103 = 37; 37 / 140 = 26.428...% -> 26.4
    assert change_phrase(140, 103, -26.4, "offences") == (
        "fell by 37 (26.4%), from 140 to 103 offences"
    )


def test_describe_change_fall() -> None:
    assert describe_change("All crime", 140, 103, -26.4, "offences") == (
        "All crime fell by 37 (26.4%), from 140 to 103 offences"
    )


def test_rise_with_thousands_separators() -> None:
    # 1,399 - 1,306 = 93; 93 / 1,306 = 7.12...% -> 7.1
    assert describe_change("Anti-social behaviour", 1306, 1399, 7.1, "incidents") == (
        "Anti-social behaviour rose by 93 (7.1%), from 1,306 to 1,399 incidents"
    )


def test_large_fall_to_zero() -> None:
    assert change_phrase(1234, 0, -100.0, "offences") == (
        "fell by 1,234 (100.0%), from 1,234 to 0 offences"
    )


@pytest.mark.parametrize(("count", "text"), [(25, "25"), (0, "0"), (2500, "2,500")])
def test_unchanged(count: int, text: str) -> None:
    pct = None if count == 0 else 0.0
    assert change_phrase(count, count, pct, "incidents") == f"was unchanged at {text} incidents"


def test_rise_from_zero_has_no_percentage() -> None:
    assert change_phrase(0, 5, None, "offences") == "rose from 0 to 5 offences"
    assert describe_change("Robbery offences", 0, 1500, None, "offences") == (
        "Robbery offences rose from 0 to 1,500 offences"
    )


def test_small_numbers_caveat_on_a_rise() -> None:
    # (11 - 5) / 5 = 120%: both counts are small, so the sentence leads with the caveat.
    assert change_phrase(5, 11, 120.0, "offences") == "rose by 120.0%, but from 5 to 11 offences"


def test_small_numbers_caveat_on_a_fall() -> None:
    # (2 - 8) / 8 = -75%
    assert change_phrase(8, 2, -75.0, "incidents") == "fell by 75.0%, but from 8 to 2 incidents"


def test_small_base_caveat_when_only_the_base_is_small() -> None:
    # (30 - 5) / 5 = 500%: the percentage rests on its base of 5, however large the new count.
    assert change_phrase(5, 30, 500.0, "offences") == "rose by 500.0%, but from 5 to 30 offences"


def test_no_caveat_when_only_the_new_count_is_small() -> None:
    # (5 - 140) / 140 = -96.43% -> 96.4: the base of 140 is not small.
    assert change_phrase(140, 5, -96.4, "offences") == (
        "fell by 135 (96.4%), from 140 to 5 offences"
    )


def test_singular_unit_for_one() -> None:
    assert change_phrase(0, 1, None, "offences") == "rose from 0 to 1 offence"


# --- one district quarter, built by hand -------------------------------------------------------
#
#                        Jul-Sep 2024 (previous)          Jul-Sep 2025 (current)
# Burglary               4 (1 caution) in 002B            2 (under investigation) in 002B
# Shoplifting            6 (2 local resolution) in 001A   9 (3 offender fined) in 001A
# Vehicle crime          0                                2 (no outcome) in 002B
# Anti-social behaviour  10 in 003C                       8 in 003C
# Plus one burglary in June 2025, outside both windows of the quarter.
#
# All crime: 4 + 6 = 10 -> 2 + 9 + 2 = 13, +3, 3/10 = 30.0%.
# Positive outcomes: 1 + 2 = 3 of 10 = 30.0% -> 3 of 13 = 23.08% -> 23.1%.

SMALL = records(
    rows("2024-07", "Burglary", 1, "Offender given a caution", "Ashworth Vale 002B"),
    rows("2024-08", "Burglary", 3, "", "Ashworth Vale 002B"),
    rows("2024-09", "Shoplifting", 2, "Local resolution"),
    rows("2024-09", "Shoplifting", 4),
    rows("2024-07", ASB, 10, "", "Ashworth Vale 003C"),
    rows("2025-06", "Burglary", 1, "", "Ashworth Vale 002B"),
    rows("2025-07", "Burglary", 2, "Under investigation", "Ashworth Vale 002B"),
    rows("2025-08", "Shoplifting", 3, "Offender fined"),
    rows("2025-09", "Shoplifting", 6),
    rows("2025-09", "Vehicle crime", 2, "", "Ashworth Vale 002B"),
    rows("2025-08", ASB, 8, "", "Ashworth Vale 003C"),
)


def test_headline_all_crime_small_numbers() -> None:
    assert headline(table_for(SMALL, QUARTER), "All crime", QUARTER) == (
        f"All crime rose by 30.0%, but from 10 to 13 offences {COMPARED}"
    )


def test_headline_asb_uses_incidents() -> None:
    # 10 -> 8: -2, 2/10 = 20.0%
    assert headline(table_for(SMALL, QUARTER), ASB, QUARTER) == (
        f"Anti-social behaviour fell by 20.0%, but from 10 to 8 incidents {COMPARED}"
    )


def test_largest_moves() -> None:
    # Rises: Shoplifting +3 (6 -> 9, 50.0%), Vehicle crime +2 (from 0). Fall: Burglary -2
    # (4 -> 2, 50.0%). ASB (-2) is not a crime type of level 1 and All crime is a total.
    assert largest_moves(table_for(SMALL, QUARTER), QUARTER) == [
        "The largest rise was in shoplifting, which rose by 50.0%, but from 6 to 9 offences.",
        "The largest fall was in burglary, which fell by 50.0%, but from 4 to 2 offences.",
    ]


def test_largest_moves_tie_goes_to_alphabetical_first_and_no_fall() -> None:
    data = records(rows("2025-07", "Robbery", 2), rows("2025-07", "Bicycle theft", 2))
    assert largest_moves(table_for(data, QUARTER), QUARTER) == [
        "The largest rise was in bicycle theft, which rose from 0 to 2 offences."
    ]


def test_largest_moves_none_when_nothing_changed() -> None:
    data = records(rows("2024-07", "Drugs", 3), rows("2025-07", "Drugs", 3))
    assert largest_moves(table_for(data, QUARTER), QUARTER) == []


def test_most_common() -> None:
    # Current crimes: Shoplifting 9, Burglary 2, Vehicle crime 2; ASB left out. 9/13 = 69.23%.
    assert most_common(crime_mix(SMALL, QUARTER.current), QUARTER) == (
        "Shoplifting was the most common crime type in July to September 2025, "
        "with 9 of 13 offences (69.2%)."
    )


def test_most_common_with_no_offences() -> None:
    data = records(rows("2025-07", ASB, 4))
    sentence = most_common(crime_mix(data, QUARTER.current), QUARTER)
    assert "Bicycle theft" not in sentence


def test_most_common_tie_names_both() -> None:
    data = records(rows("2025-07", "Shoplifting", 5), rows("2025-07", "Burglary", 5))
    sentence = most_common(crime_mix(data, QUARTER.current), QUARTER)
    assert "Burglary" in sentence
    assert "Shoplifting" in sentence


def test_outcome_rate() -> None:
    # 3 positive of 13 current = 23.08% -> 23.1%; 3 of 10 previous = 30.0%. "Under
    # investigation" and "" are not positive; the caution, local resolution and fine are.
    assert outcome_rate(table_for(SMALL, QUARTER), QUARTER) == (
        "23.1% of crimes recorded in July to September 2025 have a positive outcome so far, "
        "against 30.0% of those recorded in July to September 2024. Recent crimes have had less "
        "time to reach an outcome, so the latest rate usually rises later."
    )


def test_outcome_rate_undefined_without_crimes() -> None:
    # No crimes a year before: 0 / 0 is undefined, so there is nothing to compare with.
    data = records(rows("2025-07", "Drugs", 4, "Offender given a drugs possession warning"))
    sentence = outcome_rate(table_for(data, QUARTER), QUARTER)
    assert sentence.startswith("100.0% of crimes recorded in July to September 2025")
    assert sentence.endswith("there were no crimes in July to September 2024 to compare with.")


def test_top_crime_area() -> None:
    # Crime by area, current: 001A 9 (shoplifting), 002B 2 + 2 = 4. 001A previous: 6.
    # 6 -> 9 = +3, 50.0%, small numbers.
    areas = top_areas(SMALL, QUARTER, asb=False)
    assert top_area(areas, QUARTER, "offences", "crime") == (
        "Ashworth Vale 001A had the most crime in July to September 2025: its count rose by "
        "50.0%, but from 6 to 9 offences, compared with July to September 2024."
    )


def test_top_asb_area() -> None:
    areas = top_areas(SMALL, QUARTER, asb=True)
    assert top_area(areas, QUARTER, "incidents", "anti-social behaviour") == (
        "Ashworth Vale 003C had the most anti-social behaviour in July to September 2025: its "
        "count fell by 20.0%, but from 10 to 8 incidents, compared with July to September 2024."
    )


def test_top_area_hand_made_table_with_thousands() -> None:
    # 1,306 -> 1,399: +93, 93 / 1,306 = 7.1209...% -> 7.1
    areas = pd.DataFrame(
        {
            "area": ["Ashworth Vale 004D", "Ashworth Vale 001A"],
            "previous": [1306, 40],
            "current": [1399, 41],
            "change": [93, 1],
        }
    )
    assert top_area(areas, QUARTER, "offences", "crime") == (
        "Ashworth Vale 004D had the most crime in July to September 2025: its count rose by 93 "
        "(7.1%), from 1,306 to 1,399 offences, compared with July to September 2024."
    )


def test_top_area_rounds_half_up() -> None:
    # 80 -> 85: 5/80 = 6.25% exactly; half up gives 6.3 (Python's round would give 6.2).
    areas = pd.DataFrame(
        {"area": ["Ashworth Vale 001A"], "previous": [80], "current": [85], "change": [5]}
    )
    assert "rose by 5 (6.3%), from 80 to 85 offences" in top_area(
        areas, QUARTER, "offences", "crime"
    )


def test_no_location_none() -> None:
    assert no_location(NoLocationCounts(crimes=0, asb=0), FORCE, QUARTER) == (
        "Every record Wealdmoor Constabulary published for July to September 2025 had a location."
    )


def test_no_location_some() -> None:
    assert no_location(NoLocationCounts(crimes=1234, asb=56), FORCE, QUARTER) == (
        "A further 1,234 crimes and 56 anti-social behaviour incidents recorded by Wealdmoor "
        "Constabulary in July to September 2025 had no location, so they belong to no district "
        "and are not counted in these figures."
    )


def test_no_location_singular() -> None:
    assert no_location(NoLocationCounts(crimes=1, asb=1), FORCE, QUARTER).startswith(
        "A further 1 crime and 1 anti-social behaviour incident recorded by"
    )


# --- larger counts across the three compared periods -------------------------------------------
#
# Violence and sexual offences: 140 in Jul 2024, 103 in Aug 2025, 10 in May 2025.
# Public order: 7 in Dec 2024. Anti-social behaviour: 1,306 in Sep 2024, 1,399 in Sep 2025.
#
# Quarter (Jul-Sep):        All crime 140 -> 103: -37, 37/140 = 26.43% -> 26.4
# Year to date (Apr-Sep):   140 -> 103 + 10 = 113: -27, 27/140 = 19.29% -> 19.3
# Rolling 12 (Oct-Sep):     140 -> 113 + 7 = 120: -20, 20/140 = 14.29% -> 14.3

LARGE = records(
    rows("2024-07", "Violence and sexual offences", 140),
    rows("2025-08", "Violence and sexual offences", 103),
    rows("2025-05", "Violence and sexual offences", 10),
    rows("2024-12", "Public order", 7),
    rows("2024-09", ASB, 1306),
    rows("2025-09", ASB, 1399),
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "quarter",
            "All crime fell by 37 (26.4%), from 140 to 103 offences in July to September 2025, "
            "compared with July to September 2024.",
        ),
        (
            "year_to_date",
            "All crime fell by 27 (19.3%), from 140 to 113 offences in April to September 2025, "
            "compared with April to September 2024.",
        ),
        (
            "rolling_12_months",
            "All crime fell by 20 (14.3%), from 140 to 120 offences in October 2024 to September "
            "2025, compared with October 2023 to September 2024.",
        ),
    ],
)
def test_headline_all_crime_each_period(name: str, expected: str) -> None:
    period = PERIODS[name]
    assert headline(table_for(LARGE, period), "All crime", period) == expected


def test_headline_asb_thousands() -> None:
    assert headline(table_for(LARGE, QUARTER), ASB, QUARTER) == (
        f"Anti-social behaviour rose by 93 (7.1%), from 1,306 to 1,399 incidents {COMPARED}"
    )


def test_headline_crime_type_ending_in_offences_is_not_doubled() -> None:
    assert headline(table_for(LARGE, QUARTER), "Violence and sexual offences", QUARTER) == (
        f"Violence and sexual offences fell by 37 (26.4%), from 140 to 103 offences {COMPARED}"
    )


def test_headline_crime_type_from_zero() -> None:
    period = PERIODS["rolling_12_months"]
    assert headline(table_for(LARGE, period), "Public order", period) == (
        "Public order rose from 0 to 7 offences in October 2024 to September 2025, "
        "compared with October 2023 to September 2024."
    )


def test_largest_moves_large() -> None:
    # Level-1 moves in the quarter: Violence and sexual offences -37; nothing rose.
    assert largest_moves(table_for(LARGE, QUARTER), QUARTER) == [
        "The largest fall was in violence and sexual offences, which "
        "fell by 37 (26.4%), from 140 to 103 offences."
    ]
