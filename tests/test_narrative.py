"""Generated sentences, checked against wording worked out by hand from tiny hand-made records."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.metrics import (
    NoLocationCounts,
    comparison_table,
    event_mix,
    event_top_areas,
    period_counts,
    police_uk_events,
)
from pipeline.narrative import (
    OFFENCE_GROUP,
    change_phrase,
    most_common,
    no_location,
    outcome_rate,
    prose_name,
    rate_change,
    solved_rate,
    subject_for,
    top_area,
)
from pipeline.periods import ComparedPeriod, FinancialYear, compared_periods
from pipeline.taxonomy import police_uk
from tests.conftest import ho_table

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
    return comparison_table(period_counts(data, period))


def mix_of(data: pd.DataFrame, months: list[pd.Period]) -> pd.DataFrame:
    """The police.uk crime mix of the months."""
    return event_mix(police_uk_events(data), months, police_uk().crime_types_excluding_asb)


def areas_of(data: pd.DataFrame, period: ComparedPeriod, asb: bool) -> pd.DataFrame:
    """The police.uk areas with most crime (or ASB) in the period."""
    return event_top_areas(police_uk_events(data), period, asb=asb)


# --- change_phrase ------------------------------------------------------------------------


def test_fall() -> None:
    # 140 - 103 = 37; 37 / 140 = 26.428...% -> 26.4
    assert change_phrase(140, 103, -26.4, "offences") == (
        "fell by 37 (26.4%), from 140 to 103 offences"
    )


def test_rise_with_thousands_separators() -> None:
    # 1,399 - 1,306 = 93; 93 / 1,306 = 7.12...% -> 7.1
    assert change_phrase(1306, 1399, 7.1, "incidents") == (
        "rose by 93 (7.1%), from 1,306 to 1,399 incidents"
    )


def test_large_fall_to_zero() -> None:
    # A count of 0 is below the threshold of 50: the counts, and no percentage.
    assert change_phrase(1234, 0, -100.0, "offences") == "fell from 1,234 to 0 offences"


@pytest.mark.parametrize(("count", "text"), [(25, "25"), (0, "0"), (2500, "2,500")])
def test_unchanged(count: int, text: str) -> None:
    pct = None if count == 0 else 0.0
    assert change_phrase(count, count, pct, "incidents") == f"was unchanged at {text} incidents"


def test_rise_from_zero_has_no_percentage() -> None:
    assert change_phrase(0, 5, None, "offences") == "rose from 0 to 5 offences"
    assert change_phrase(0, 1500, None, "offences") == "rose from 0 to 1,500 offences"


def test_small_numbers_give_the_counts_and_no_percentage() -> None:
    # ONS's rule, default threshold 50: either count below it, and no percentage is given.
    assert change_phrase(5, 11, 120.0, "offences") == "rose from 5 to 11 offences"
    assert change_phrase(8, 2, -75.0, "incidents") == "fell from 8 to 2 incidents"
    assert change_phrase(5, 300, 5900.0, "offences") == "rose from 5 to 300 offences"  # the base
    assert change_phrase(140, 5, -96.4, "offences") == "fell from 140 to 5 offences"  # the new
    assert change_phrase(49, 60, 22.4, "offences") == "rose from 49 to 60 offences"


def test_both_counts_at_the_threshold_or_above_give_the_percentage() -> None:
    # 50 -> 60: +10, 10 / 50 = 20.0%
    assert change_phrase(50, 60, 20.0, "offences") == "rose by 10 (20.0%), from 50 to 60 offences"


def test_singular_unit_for_one() -> None:
    assert change_phrase(0, 1, None, "offences") == "rose from 0 to 1 offence"


def test_a_fall_to_zero_gives_the_counts() -> None:
    assert change_phrase(1, 0, -100.0, "offences") == "fell from 1 to 0 offences"
    assert change_phrase(19, 0, -100.0, "incidents") == "fell from 19 to 0 incidents"
    assert change_phrase(3, 0, -100.0, "") == "fell from 3 to 0"
    # 0 is below every threshold (the least is 1): a fall to zero is always given as counts
    assert change_phrase(20, 0, -100.0, "offences", small_base=1) == "fell from 20 to 0 offences"


def test_change_below_a_tenth_of_a_percent_is_not_called_zero() -> None:
    # 10,000 -> 10,004: 4 / 10,000 = 0.04% -> 0.0 when rounded; the change is not nothing.
    assert change_phrase(10000, 10004, 0.0, "offences") == (
        "rose by 4 (less than 0.1%), from 10,000 to 10,004 offences"
    )


def test_rate_change() -> None:
    # 16.1% -> 16.9%: +0.7 points from the unrounded rates (16.149% -> 16.856%).
    assert rate_change(16.1, 16.9, 0.7) == "rose by 0.7 percentage points, from 16.1% to 16.9%"
    assert rate_change(37.0, 36.8, -0.2) == "fell by 0.2 percentage points, from 37.0% to 36.8%"
    assert rate_change(10.0, 10.0, 0.0) == "was unchanged at 10.0%"
    # 12.04% -> 12.06%: 0.02 points rounds to 0.0, yet the rounded rates differ.
    assert rate_change(12.0, 12.1, 0.0) == (
        "rose by less than 0.1 percentage points, from 12.0% to 12.1%"
    )
    # 11.96% -> 12.04%: both round to 12.0%, but 0.08 points rounds to 0.1.
    assert rate_change(12.0, 12.0, 0.1) == "rose by 0.1 percentage points, to 12.0%"


def test_prose_and_subject_names() -> None:
    assert prose_name("Burglary Residential") == "residential burglary"
    assert prose_name("Rape - Under 16 yrs") == "rape of a child under 16"
    assert prose_name("Violence Against the Person") == "violence against the person"
    assert prose_name("Anti-Social Behaviour (incidents)") == "anti-social behaviour"
    assert prose_name("Bicycle theft") == "bicycle theft"
    assert subject_for("Rape - Over 16 yrs") == "Rape of a person aged 16 or over"
    assert subject_for("All Crime") == "All crime"
    assert subject_for("Anti-social behaviour") == "Anti-social behaviour"
    assert subject_for("Violence and sexual offences") == "Violence and sexual offences"


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


def test_most_common() -> None:
    # Current crimes: Shoplifting 9, Burglary 2, Vehicle crime 2; ASB left out. 9/13 = 69.23%.
    assert most_common(mix_of(SMALL, QUARTER.current), QUARTER) == (
        "Shoplifting was the most common crime type in July to September 2025, "
        "with 9 of 13 offences (69.2%)."
    )


def test_most_common_with_no_offences() -> None:
    data = records(rows("2025-07", ASB, 4))
    assert most_common(mix_of(data, QUARTER.current), QUARTER) == (
        "No offences were recorded in July to September 2025."
    )


def test_most_common_tie_names_both() -> None:
    data = records(rows("2025-07", "Shoplifting", 5), rows("2025-07", "Burglary", 5))
    # 5 of 10 = 50.0% each; police.uk crime types keep their published wording.
    assert most_common(mix_of(data, QUARTER.current), QUARTER) == (
        "Burglary and Shoplifting were the most common crime types in July to September 2025, "
        "with 5 of 10 offences each (50.0%)."
    )


def test_most_common_offence_group() -> None:
    # 612 + 400 + 385 = 1,397; 612 / 1,397 = 43.808% -> 43.8.
    mix = pd.DataFrame(
        {
            "crime_type": ["Violence Against the Person", "Theft Offences", "Public Order"],
            "offences": [612, 400, 385],
        }
    )
    assert most_common(mix, QUARTER, noun=OFFENCE_GROUP) == (
        "Violence against the person was the most common offence group in July to September "
        "2025, with 612 of 1,397 offences (43.8%)."
    )


def test_most_common_offence_groups_tied() -> None:
    # 5 + 5 + 2 = 12; 5 / 12 = 41.667% -> 41.7. Names after the first are mid-sentence.
    mix = pd.DataFrame(
        {"crime_type": ["Robbery", "Public Order", "Drug Offences"], "offences": [2, 5, 5]}
    )
    assert most_common(mix, QUARTER, noun="offence group") == (
        "Drug offences and public order were the most common offence groups in July to "
        "September 2025, with 5 of 12 offences each (41.7%)."
    )


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
    areas = areas_of(SMALL, QUARTER, asb=False)
    assert top_area(areas, QUARTER, "offences", "crime") == (
        "Ashworth Vale 001A had the most crime in July to September 2025, with 9 offences (6 in "
        "July to September 2024)."
    )


def test_top_asb_area() -> None:
    areas = areas_of(SMALL, QUARTER, asb=True)
    assert top_area(areas, QUARTER, "incidents", "anti-social behaviour") == (
        "Ashworth Vale 003C had the most anti-social behaviour in July to September 2025, with 8 "
        "incidents (10 in July to September 2024)."
    )


def test_top_area_gives_its_two_counts_and_no_untested_rise() -> None:
    # An area's change is not tested against chance, so it is not said to rise or fall.
    areas = pd.DataFrame(
        {
            "area": ["Ashworth Vale 004D", "Ashworth Vale 001A"],
            "previous": [1306, 40],
            "current": [1399, 41],
            "change": [93, 1],
        }
    )
    sentence = top_area(areas, QUARTER, "offences", "crime")
    assert sentence == (
        "Ashworth Vale 004D had the most crime in July to September 2025, with 1,399 offences "
        "(1,306 in July to September 2024)."
    )
    assert "rose" not in sentence and "%" not in sentence


def test_no_location_none() -> None:
    assert no_location(NoLocationCounts(crimes=0, asb=0), FORCE, QUARTER) == (
        "Every record Wealdmoor Constabulary published for July to September 2025 had a location."
    )


def test_no_location_some() -> None:
    assert no_location(NoLocationCounts(crimes=1234, asb=56), FORCE, QUARTER) == (
        "Across the whole force area, 1,234 crimes and 56 anti-social behaviour incidents "
        "recorded by Wealdmoor Constabulary in July to September 2025 had no location, so they "
        "belong to no district and are not counted in these figures."
    )


def test_no_location_singular() -> None:
    assert no_location(NoLocationCounts(crimes=1, asb=1), FORCE, QUARTER).startswith(
        "Across the whole force area, 1 crime and 1 anti-social behaviour incident recorded by"
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


# --- the small-numbers threshold ---------------------------------------------------------------


def test_small_base_is_configurable() -> None:
    # 25 -> 30: +5, 5 / 25 = 20.0%. 25 is small below a threshold of 50, not of 20.
    assert change_phrase(25, 30, 20.0, "offences", small_base=20) == (
        "rose by 5 (20.0%), from 25 to 30 offences"
    )
    assert change_phrase(25, 30, 20.0, "offences") == "rose from 25 to 30 offences"
    assert change_phrase(25, 30, 20.0, "offences", small_base=50) == "rose from 25 to 30 offences"


def test_base_equal_to_the_threshold_is_not_small() -> None:
    assert change_phrase(5, 11, 120.0, "offences", small_base=5) == (
        "rose by 6 (120.0%), from 5 to 11 offences"
    )


def test_change_phrase_without_a_unit() -> None:
    assert change_phrase(929, 1203, 29.5, "") == "rose by 274 (29.5%), from 929 to 1,203"
    assert change_phrase(7, 3, -57.1, "") == "fell from 7 to 3"


ROLLING = PERIODS["rolling_12_months"]  # October 2024 to September 2025 against a year before


HARLOW: dict[str, tuple[int, ...]] = {
    "Anti-Social Behaviour (incidents)": (3689, 1598),
    "All Crime": (10019, 11515, 1618, 1941),
    "Victim Based Crime": (8155, 9508, 929, 1203),
    "State Based Crime": (1864, 2007, 689, 738),
    "Violence Against the Person": (4468, 5009, 567, 646),
    "Homicide": (2, 3, 1, 3),
    "Violence with Injury": (947, 1065, 178, 199),
    "Death or Serious Injury caused by Unlawful Driving": (0, 2, 1, 2),
    "Violence without Injury": (1883, 2156, 293, 327),
    "Stalking and Harassment": (1636, 1783, 94, 115),
    "Sexual Offences": (355, 380, 27, 55),
    "Rape": (147, 166, 1, 5),
    "Rape - Under 16 yrs": (39, 45, 1, 5),
    "Rape - Over 16 yrs": (108, 121, 0, 0),
    "Other Sexual Offences": (208, 214, 26, 50),
    "Robbery": (82, 89, 8, 9),
    "Robbery of Business Property": (5, 11, 1, 1),
    "Robbery of Personal Property": (77, 78, 7, 8),
    "Theft Offences": (2358, 3015, 228, 354),
    "Burglary": (357, 418, 16, 36),
    "Burglary Residential": (279, 330, 13, 21),
    "Burglary Business and Community": (78, 88, 3, 15),
    "Vehicle Offences": (658, 794, 37, 43),
    "Theft from a Vehicle": (379, 383, 14, 16),
    "Theft of a Vehicle": (187, 284, 10, 13),
    "Vehicle Interference": (92, 127, 13, 14),
    "Theft": (1343, 1803, 175, 275),
    "Theft from the Person": (80, 110, 2, 2),
    "Theft of Pedal Cycle": (131, 93, 5, 1),
    "Shoplifting": (511, 795, 141, 240),
    "Other Theft": (621, 805, 27, 32),
    "Criminal Damage and Arson": (892, 1015, 99, 139),
    "Criminal Damage": (792, 939, 92, 136),
    "Arson": (100, 76, 7, 3),
    "Racially or Religiously Aggravated": (144, 183, 28, 34),
    "Hate Crime": (292, 335, 38, 40),
    "Domestic Abuse": (1867, 2183, 205, 277),
    "Domestic Abuse - High Risk": (134, 212, 32, 70),
    "Domestic Abuse - Medium Risk": (174, 257, 51, 49),
    "Domestic Abuse - Standard Risk": (1466, 1635, 110, 150),
    "Domestic Abuse - No Risk Assessment": (93, 79, 12, 8),
    "Drug Offences": (445, 428, 416, 380),
    "Trafficking of Drugs": (79, 102, 77, 69),
    "Possession of Drugs": (366, 326, 339, 311),
    "Possession of Weapons": (91, 125, 54, 84),
    "Public Order": (1143, 1240, 190, 208),
    "Miscellaneous Crimes against Society": (185, 214, 29, 66),
}


# --- Home Office table: headlines and the solved rate -----------------------------------------


def test_solved_rate_against_a_year_before() -> None:
    # 1,941 / 11,515 = 16.856% -> 16.9; 1,618 / 10,019 = 16.149% -> 16.1.
    assert solved_rate(ho_table(HARLOW), ROLLING) == (
        "The solved rate for all crime was 16.9% in October 2024 to September 2025 (1,941 solved "
        "outcomes against 11,515 offences), compared with 16.1% in October 2023 to September "
        "2024."
    )


def test_solved_rate_with_nothing_to_compare() -> None:
    table = ho_table({"All Crime": (0, 4, 0, 1)})
    assert solved_rate(table, ROLLING) == (
        "The solved rate for all crime was 25.0% in October 2024 to September 2025 (1 solved "
        "outcome against 4 offences); there were no crimes in October 2023 to September 2024 to "
        "compare with."
    )


def test_solved_rate_without_crimes_this_period() -> None:
    table = ho_table({"All Crime": (3, 0, 1, 2)})
    assert solved_rate(table, ROLLING) == (
        "No crimes were recorded in October 2024 to September 2025, so there is no solved rate "
        "(there were 2 solved outcomes)."
    )
