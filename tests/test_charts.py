"""Charts: titles, alt text and tables worked out by hand; PNGs that are valid and repeatable."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from pipeline.charts import (  # noqa: E402
    Chart,
    crime_mix_chart,
    grant_spend_chart,
    monthly_trend_chart,
    offences_by_group_chart,
    solved_rate_by_group_chart,
    top_areas_chart,
)
from pipeline.periods import FinancialYear, compared_periods  # noqa: E402
from tests.conftest import ho_table  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ROLLING_YEAR = "the 12 months to September 2025"
QUARTER = "July to September 2025"


def monthly(first: str, counts: list[int]) -> pd.DataFrame:
    """Consecutive months from `first` with the given counts."""
    months = pd.period_range(first, periods=len(counts), freq="M")
    return pd.DataFrame({"month": months, "count": counts})


def png_width(png: bytes) -> int:
    """Pixel width from a PNG's IHDR chunk."""
    return int.from_bytes(png[16:20], "big")


# --- monthly_trend_chart ---------------------------------------------------------------------


def test_trend_fall_title_alt_text_and_table() -> None:
    # Oct 2023 to Sep 2025. First 12 months 10 each = 120; last 12 months 9 each = 108.
    # (108 - 120) / 120 x 100 = -10 -> "fell by 10.0%". 120 is not a small base (>= 20).
    chart = monthly_trend_chart(monthly("2023-10", [10] * 12 + [9] * 12), "All crime", "offences")
    assert chart.title == "All crime fell by 10.0% in the 12 months to September 2025"
    assert chart.alt_text == (
        "Line chart of monthly all crime offences, October 2023 to September 2025, comparing "
        "the latest 12 months with the 12 before. In the 12 months to September 2025 there were "
        "108 offences, against 120 in the 12 months before. The highest monthly count was 10, "
        "in 12 of the 24 months; the lowest was 9, in 12 of the 24 months."
    )
    expected = pd.DataFrame(
        {
            "Month": [
                "October",
                "November",
                "December",
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
            ],
            "Offences, 12 months to September 2024": [10] * 12,
            "Offences, 12 months to September 2025": [9] * 12,
        }
    )
    pd.testing.assert_frame_equal(chart.data, expected, check_dtype=False)


def test_trend_rounds_half_up_and_flags_a_small_base() -> None:
    # Apr 2024 to Mar 2026. Previous: eight 1s and four 2s = 16; current: seven 1s, five 2s = 17.
    # (17 - 16) / 16 x 100 = 6.25 exactly -> half up 6.3 (Python's round would give 6.2).
    # Both are below the small-numbers threshold of 50, so the counts and no percentage; with
    # a threshold of 10 the percentage, rounded half up.
    counts = [1] * 8 + [2] * 4 + [1] * 7 + [2] * 5
    chart = monthly_trend_chart(monthly("2024-04", counts), "Anti-social behaviour", "incidents")
    assert chart.title == (
        "Anti-social behaviour rose from 16 to 17 incidents in the 12 months to March 2026"
    )
    chart = monthly_trend_chart(
        monthly("2024-04", counts), "Anti-social behaviour", "incidents", small_base=10
    )
    assert chart.title == "Anti-social behaviour rose by 6.3% in the 12 months to March 2026"


def test_trend_alt_text_uses_thousands_separators_and_names_extreme_months() -> None:
    # Apr 2024 to Mar 2026. Previous: 1,000 a month except Feb 2025 (index 10) = 900
    #   -> 11 x 1,000 + 900 = 11,900.
    # Current: 1,100 a month except Jul 2025 (index 3 of the current year) = 1,250
    #   -> 11 x 1,100 + 1,250 = 13,350.
    # (13,350 - 11,900) / 11,900 x 100 = 1,450 / 119 = 12.18...% -> 12.2%.
    previous = [1000] * 12
    previous[10] = 900
    current = [1100] * 12
    current[3] = 1250
    chart = monthly_trend_chart(
        monthly("2024-04", previous + current), "Anti-social behaviour", "incidents"
    )
    assert chart.title == "Anti-social behaviour rose by 12.2% in the 12 months to March 2026"
    assert "there were 13,350 incidents, against 11,900 in the 12 months before." in chart.alt_text
    assert chart.alt_text.endswith(
        "The highest monthly count was 1,250, in July 2025; the lowest was 900, in February 2025."
    )
    assert chart.alt_text.startswith(
        "Line chart of monthly anti-social behaviour incidents, April 2024 to March 2026,"
    )
    assert list(chart.data.iloc[:, 1]) == previous
    assert list(chart.data.iloc[:, 2]) == current


def test_trend_small_base_is_configurable() -> None:
    # 120 -> 108 (10.0%): 108 is below a threshold of 200, not of 50.
    counts = monthly("2023-10", [10] * 12 + [9] * 12)
    chart = monthly_trend_chart(counts, "All crime", "offences", small_base=200)
    assert chart.title == (
        "All crime fell from 120 to 108 offences in the 12 months to September 2025"
    )
    chart = monthly_trend_chart(counts, "All crime", "offences")
    assert chart.title == "All crime fell by 10.0% in the 12 months to September 2025"


def test_trend_unchanged() -> None:
    # 24 months of 5: 60 against 60, a change of 0.
    chart = monthly_trend_chart(monthly("2024-04", [5] * 24), "All crime", "offences")
    assert chart.title == "All crime was unchanged at 60 offences in the 12 months to March 2026"
    assert chart.alt_text.endswith("Every month had 5 offences.")


def test_trend_from_zero_does_not_divide_by_zero() -> None:
    # Previous 12 months all 0; current: 1 in each of the last five months = 5.
    counts = [0] * 12 + [0] * 7 + [1] * 5
    chart = monthly_trend_chart(monthly("2024-10", counts), "Robbery", "offences")
    assert chart.title == "Robbery rose from 0 to 5 offences in the 12 months to September 2026"
    assert "there were 5 offences, against 0 in the 12 months before." in chart.alt_text


def test_trend_tiny_change_is_not_called_zero_percent() -> None:
    # 10,000 -> 10,001 over the year: 1 / 10,000 x 100 = 0.01% -> rounds to 0.0, said in words.
    previous = [1000] * 10 + [0, 0]
    current = [1000] * 10 + [1, 0]
    chart = monthly_trend_chart(monthly("2024-04", previous + current), "All crime", "offences")
    assert chart.title == ("All crime rose by less than 0.1% in the 12 months to March 2026")


def test_trend_uses_the_latest_24_of_more_months() -> None:
    # 36 months: the first 12 (100 each) fall outside the comparison.
    # 20 x 12 = 240 -> 30 x 12 = 360; (360 - 240) / 240 x 100 = 50.0%.
    counts = [100] * 12 + [20] * 12 + [30] * 12
    chart = monthly_trend_chart(monthly("2022-10", counts), "All crime", "offences")
    assert chart.title == "All crime rose by 50.0% in the 12 months to September 2025"
    assert "October 2023 to September 2025" in chart.alt_text


def test_trend_one_offence_is_singular() -> None:
    # 0 then 1 offence in the year: "1 offence", not "1 offences".
    chart = monthly_trend_chart(monthly("2024-04", [0] * 23 + [1]), "Robbery", "offences")
    assert chart.title == "Robbery rose from 0 to 1 offence in the 12 months to March 2026"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (pd.DataFrame({"month": [], "count": []}), "empty"),
        (monthly("2024-04", [1] * 23), "at least 24 months"),
        (monthly("2024-04", [1] * 25).drop(index=5), "consecutive.*missing September 2024"),
        (monthly("2024-04", [1] * 24).iloc[::-1], "out of order"),
        (monthly("2024-04", [1] * 23 + [-1]), "count"),
        (pd.DataFrame({"month": ["2024-04"], "offences": [1]}), "missing"),
    ],
)
def test_trend_refuses_bad_input(table: pd.DataFrame, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        monthly_trend_chart(table, "All crime", "offences")


# --- crime_mix_chart -------------------------------------------------------------------------


def small_mix() -> pd.DataFrame:
    """Four crime types, 16 offences in all."""
    return pd.DataFrame(
        {
            "crime_type": [
                "Violence and sexual offences",
                "Criminal damage and arson",
                "Shoplifting",
                "Drugs",
            ],
            "offences": [9, 4, 2, 1],
        }
    )


def test_mix_title_alt_text_and_table() -> None:
    # Total 9 + 4 + 2 + 1 = 16. Shares: 9/16 = 56.25% -> 56.3; 4/16 = 25.0; 2/16 = 12.5;
    # 1/16 = 6.25% -> 6.3 (half up).
    chart = crime_mix_chart(small_mix(), ROLLING_YEAR)
    assert chart.title == (
        "Violence and sexual offences was the most common crime type in the 12 months to "
        "September 2025, 56.3% of offences"
    )
    assert chart.alt_text == (
        "Bar chart of offences by crime type in the 12 months to September 2025: 16 offences in "
        "total across 4 crime types. The most common were violence and sexual offences "
        "(9, 56.3%), criminal damage and arson (4, 25.0%) and shoplifting (2, 12.5%)."
    )
    expected = pd.DataFrame(
        {
            "Crime type": list(small_mix()["crime_type"]),
            "Offences": [9, 4, 2, 1],
            "Share of offences (%)": [56.3, 25.0, 12.5, 6.3],
        }
    )
    pd.testing.assert_frame_equal(chart.data, expected, check_dtype=False)


def test_mix_thousands_and_a_tie_at_the_top() -> None:
    # 1,500 + 1,500 + 1,000 = 4,000; 1,500 / 4,000 = 37.5%; 1,000 / 4,000 = 25.0%.
    mix = pd.DataFrame(
        {"crime_type": ["Burglary", "Robbery", "Drugs"], "offences": [1500, 1500, 1000]}
    )
    chart = crime_mix_chart(mix, ROLLING_YEAR)
    assert chart.title == (
        "Burglary and Robbery were the most common crime types in the 12 months to "
        "September 2025, 37.5% of offences each"
    )
    assert "4,000 offences in total across 3 crime types" in chart.alt_text
    assert "burglary (1,500, 37.5%), robbery (1,500, 37.5%) and drugs (1,000, 25.0%)" in (
        chart.alt_text
    )


def test_mix_with_no_offences_has_no_shares() -> None:
    mix = pd.DataFrame({"crime_type": ["Burglary", "Robbery"], "offences": [0, 0]})
    chart = crime_mix_chart(mix, ROLLING_YEAR)
    assert chart.title == "No offences were recorded in the 12 months to September 2025"
    assert chart.data["Share of offences (%)"].isna().all()


def test_mix_is_drawn_largest_first() -> None:
    mix = pd.DataFrame({"crime_type": ["Drugs", "Burglary"], "offences": [1, 3]})
    chart = crime_mix_chart(mix, ROLLING_YEAR)
    assert list(chart.data["Crime type"]) == ["Burglary", "Drugs"]
    assert chart.title.startswith("Burglary was the most common crime type")


def group_mix() -> pd.DataFrame:
    """Three offence groups, 1,397 offences in all, as a force extract's mix."""
    return pd.DataFrame(
        {
            "crime_type": ["Violence Against the Person", "Theft Offences", "Public Order"],
            "offences": [612, 400, 385],
        }
    )


def test_mix_by_offence_group() -> None:
    # 612 + 400 + 385 = 1,397. Shares: 612 / 1,397 = 43.81% -> 43.8; 400 / 1,397 = 28.63% ->
    # 28.6; 385 / 1,397 = 27.56% -> 27.6. Group names are in sentence case in the words.
    chart = crime_mix_chart(group_mix(), QUARTER, noun="offence group")
    assert chart.title == (
        "Violence against the person was the most common offence group in July to September "
        "2025, 43.8% of offences"
    )
    assert chart.alt_text == (
        "Bar chart of offences by offence group in July to September 2025: 1,397 offences in "
        "total across 3 offence groups. The most common were violence against the person "
        "(612, 43.8%), theft offences (400, 28.6%) and public order (385, 27.6%)."
    )
    expected = pd.DataFrame(
        {
            "Offence group": list(group_mix()["crime_type"]),
            "Offences": [612, 400, 385],
            "Share of offences (%)": [43.8, 28.6, 27.6],
        }
    )
    pd.testing.assert_frame_equal(chart.data, expected, check_dtype=False)


def test_mix_by_offence_group_tie_and_nothing_recorded() -> None:
    # 5 + 5 + 2 = 12; 5 / 12 = 41.67% -> 41.7.
    mix = pd.DataFrame(
        {"crime_type": ["Drug Offences", "Public Order", "Robbery"], "offences": [5, 5, 2]}
    )
    chart = crime_mix_chart(mix, QUARTER, noun="offence group")
    assert chart.title == (
        "Drug offences and public order were the most common offence groups in July to "
        "September 2025, 41.7% of offences each"
    )
    empty = crime_mix_chart(mix.assign(offences=[0, 0, 0]), QUARTER, noun="offence group")
    assert empty.alt_text == (
        "Bar chart of offences by offence group in July to September 2025: no offences were "
        "recorded in any of the 3 offence groups."
    )


@pytest.mark.parametrize(
    ("mix", "message"),
    [
        (pd.DataFrame({"crime_type": [], "offences": []}), "empty"),
        (pd.DataFrame({"crime_type": ["Drugs"], "offences": [-1]}), "offences"),
        (pd.DataFrame({"crime_type": ["Drugs"], "offences": [None]}), "offences"),
        (pd.DataFrame({"type": ["Drugs"], "offences": [1]}), "crime_type"),
    ],
)
def test_mix_refuses_bad_input(mix: pd.DataFrame, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        crime_mix_chart(mix, ROLLING_YEAR)


# --- top_areas_chart -------------------------------------------------------------------------


def small_areas() -> pd.DataFrame:
    """Four areas, sorted by current offences."""
    return pd.DataFrame(
        {
            "area": ["Ashworth Vale 004C", "Brook Green 002A", "Castle Hill 011F", "Dale 001A"],
            "current": [20, 17, 5, 3],
            "previous": [16, 16, 0, 3],
        }
    )


def test_areas_title_alt_text_and_table() -> None:
    # Ashworth Vale: 20 - 16 = 4; 4 / 16 = 25.0%. Brook Green: 17 - 16 = 1; 1 / 16 = 6.25% ->
    # 6.3% (half up). Castle Hill: previous 0, no percentage. Dale (4th) is not in the top 3.
    chart = top_areas_chart(small_areas(), "All crime", "offences", QUARTER)
    assert chart.title == (
        "Ashworth Vale 004C had the most all crime offences in July to September 2025 (20)"
    )
    assert chart.alt_text == (
        "Bar chart of the 4 areas with the most all crime offences in July to September 2025, "
        "against the same months a year earlier. Ashworth Vale 004C had 20 offences, up by 4 "
        "(25.0%) from 16; Brook Green 002A had 17, up by 1 (6.3%) from 16; Castle Hill 011F had "
        "5, up from 0."
    )
    expected = pd.DataFrame(
        {
            "Area": list(small_areas()["area"]),
            "Offences, July to September 2025": [20, 17, 5, 3],
            "Offences, same months a year earlier": [16, 16, 0, 3],
        }
    )
    pd.testing.assert_frame_equal(chart.data, expected, check_dtype=False)


def test_areas_falls_thousands_and_no_change() -> None:
    # 1,500 against 2,000: down by 500; 500 / 2,000 = 25.0%. 1,200 against 1,200: no change.
    areas = pd.DataFrame(
        {"area": ["North 001A", "South 002B"], "current": [1500, 1200], "previous": [2000, 1200]}
    )
    chart = top_areas_chart(areas, "Anti-social behaviour", "incidents", QUARTER)
    assert chart.title == (
        "North 001A had the most anti-social behaviour incidents in July to September 2025 (1,500)"
    )
    assert chart.alt_text.endswith(
        "North 001A had 1,500 incidents, down by 500 (25.0%) from 2,000; "
        "South 002B had 1,200, the same as a year earlier."
    )


def test_areas_tie_at_the_top() -> None:
    areas = pd.DataFrame({"area": ["P 001A", "Q 002B"], "current": [7, 7], "previous": [1, 2]})
    chart = top_areas_chart(areas, "All crime", "offences", QUARTER)
    assert chart.title == (
        "P 001A and Q 002B had the most all crime offences in July to September 2025 (7 each)"
    )


def test_areas_all_zero() -> None:
    areas = pd.DataFrame({"area": ["P 001A"], "current": [0], "previous": [0]})
    chart = top_areas_chart(areas, "All crime", "offences", QUARTER)
    assert chart.title == "None of these areas had any all crime offences in July to September 2025"
    assert "P 001A had 0 offences, the same as a year earlier." in chart.alt_text


def test_areas_refuse_an_empty_table() -> None:
    empty = pd.DataFrame({"area": [], "current": [], "previous": []})
    with pytest.raises(ValueError, match="top_areas_chart.*empty"):
        top_areas_chart(empty, "All crime", "offences", QUARTER)


# --- Home Office performance tables, built by hand ---------------------------------------------

PERIODS = compared_periods(FinancialYear(2025), 2)
ROLLING = PERIODS["rolling_12_months"]  # October 2024 to September 2025 against a year before
THREE_MONTHS = PERIODS["quarter"]  # July to September 2025 against July to September 2024


# The offence groups and all crime of the Harlow seed's rolling 12 months
# (../shared/seeds/000_ed81abfccb3695ef.txt), relabelled as October 2023 to September 2024
# against October 2024 to September 2025.
HARLOW: dict[str, tuple[int, ...]] = {
    "All Crime": (10019, 11515, 1618, 1941),
    "Violence Against the Person": (4468, 5009, 567, 646),
    "Sexual Offences": (355, 380, 27, 55),
    "Robbery": (82, 89, 8, 9),
    "Theft Offences": (2358, 3015, 228, 354),
    "Criminal Damage and Arson": (892, 1015, 99, 139),
    "Drug Offences": (445, 428, 416, 380),
    "Possession of Weapons": (91, 125, 54, 84),
    "Public Order": (1143, 1240, 190, 208),
    "Miscellaneous Crimes against Society": (185, 214, 29, 66),
}
PREVIOUS = "October 2023 to September 2024"
CURRENT = "October 2024 to September 2025"


# --- offences_by_group_chart -------------------------------------------------------------------


def test_offences_by_group_title_alt_text_and_table() -> None:
    # Every group rose but drug offences (445 -> 428). Totals: 4,468 + 355 + 82 + 2,358 + 892 +
    # 445 + 91 + 1,143 + 185 = 10,019 and 5,009 + 380 + 89 + 3,015 + 1,015 + 428 + 125 + 1,240 +
    # 214 = 11,515. Largest rise theft offences +657, 657 / 2,358 = 27.86% -> 27.9; the only
    # fall drug offences -17, 17 / 445 = 3.82% -> 3.8.
    chart = offences_by_group_chart(ho_table(HARLOW), ROLLING)
    assert chart.title == (
        "Offences rose in 8 of 9 offence groups in October 2024 to September 2025, "
        "compared with a year earlier"
    )
    assert chart.alt_text == (
        "Bar chart of offences in each of the 9 offence groups in October 2024 to September "
        "2025, against October 2023 to September 2024. Together they had 11,515 offences, "
        "against 10,019. Offences rose in 8 groups and fell in 1 group. The largest rise was in "
        "theft offences, which rose by 657 (27.9%), from 2,358 to 3,015; the largest fall was in "
        "drug offences, which fell by 17 (3.8%), from 445 to 428."
    )
    expected = pd.DataFrame(
        {
            "Offence group": [
                "Violence Against the Person",
                "Theft Offences",
                "Public Order",
                "Criminal Damage and Arson",
                "Drug Offences",
                "Sexual Offences",
                "Miscellaneous Crimes against Society",
                "Possession of Weapons",
                "Robbery",
            ],
            f"Offences, {PREVIOUS}": [4468, 2358, 1143, 892, 445, 355, 185, 91, 82],
            f"Offences, {CURRENT}": [5009, 3015, 1240, 1015, 428, 380, 214, 125, 89],
            "Difference": [541, 657, 97, 123, -17, 25, 29, 34, 7],
        }
    )
    pd.testing.assert_frame_equal(chart.data, expected, check_dtype=False)


def test_offences_by_group_small_base_and_unchanged_groups() -> None:
    # Robbery 5 -> 11: +6, 120.0%. Drug offences 40 -> 30: -10, 25.0%. All below 50: counts.
    # The other seven groups had none in either period. Totals 45 -> 41.
    table = ho_table({"Robbery": (5, 11, 0, 0), "Drug Offences": (40, 30, 0, 0)})
    chart = offences_by_group_chart(table, THREE_MONTHS)
    assert chart.title == (
        "Offences rose in 1 of 9 offence groups in July to September 2025, "
        "compared with a year earlier"
    )
    assert chart.alt_text.endswith(
        "Together they had 41 offences, against 45. Offences rose in 1 group, fell in 1 group and "
        "were unchanged in 7 groups. The largest rise was in robbery, which rose from 5 to 11; "
        "the largest fall was in drug offences, which fell from 40 to 30."
    )
    relaxed = offences_by_group_chart(table, THREE_MONTHS, small_base=5)
    assert "robbery, which rose by 6 (120.0%), from 5 to 11;" in relaxed.alt_text


def test_offences_by_group_small_base_to_zero_and_a_change_below_a_tenth() -> None:
    # Robbery 4 -> 0: a small base falling to zero, so no percentage. Theft offences 10,000 ->
    # 10,004: 4 / 10,000 = 0.04%, which rounds to 0.0 but is not nothing.
    table = ho_table({"Robbery": (4, 0, 0, 0), "Theft Offences": (10000, 10004, 0, 0)})
    chart = offences_by_group_chart(table, THREE_MONTHS)
    assert chart.alt_text.endswith(
        "The largest rise was in theft offences, which rose by 4 (less than 0.1%), from 10,000 "
        "to 10,004; the largest fall was in robbery, which fell from 4 to 0."
    )


def test_offences_by_group_every_group_rose_from_zero() -> None:
    # Each group 0 -> 2 but violence against the person 0 -> 3: no percentages from zero.
    groups = [
        "Violence Against the Person",
        "Sexual Offences",
        "Robbery",
        "Theft Offences",
        "Criminal Damage and Arson",
        "Drug Offences",
        "Possession of Weapons",
        "Public Order",
        "Miscellaneous Crimes against Society",
    ]
    table = ho_table({name: (0, 2, 0, 0) for name in groups} | {groups[0]: (0, 3, 0, 0)})
    chart = offences_by_group_chart(table, THREE_MONTHS)
    assert chart.title.startswith("Offences rose in every offence group in July to September")
    assert chart.alt_text.endswith(
        "Together they had 19 offences, against 0. Offences rose in 9 groups. The largest rise "
        "was in violence against the person, which rose from 0 to 3."
    )


def test_offences_by_group_with_nothing_recorded() -> None:
    chart = offences_by_group_chart(ho_table({}), THREE_MONTHS)
    assert chart.title == (
        "Offences were unchanged in every offence group in July to September 2025, "
        "compared with a year earlier"
    )
    assert chart.alt_text.endswith(
        "Together they had 0 offences, against 0. Offences were unchanged in 9 groups."
    )
    assert chart.png.startswith(PNG_SIGNATURE)


def test_offences_by_group_tie_for_largest_goes_to_the_alphabet() -> None:
    # Robbery and public order both +10 (10 / 30 = 33.3%); public order comes first.
    table = ho_table({"Robbery": (30, 40, 0, 0), "Public Order": (30, 40, 0, 0)})
    chart = offences_by_group_chart(table, THREE_MONTHS, small_base=20)
    assert "The largest rise was in public order, which rose by 10 (33.3%), from 30 to 40." in (
        chart.alt_text
    )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (ho_table(HARLOW).iloc[:20], "Possession of Weapons"),
        (ho_table(HARLOW).drop(columns="offences_current"), "offences_current"),
        (ho_table(HARLOW).head(0), "empty"),
    ],
)
def test_group_charts_refuse_bad_tables(table: pd.DataFrame, message: str) -> None:
    for draw in (offences_by_group_chart, solved_rate_by_group_chart):
        with pytest.raises(ValueError, match=message):
            draw(table, ROLLING)


# --- solved_rate_by_group_chart ----------------------------------------------------------------


def test_solved_rate_by_group_title_alt_text_and_table() -> None:
    # Rates, previous -> current (points from unrounded rates):
    #   drug offences 416/445 = 93.48 -> 93.5, 380/428 = 88.79 -> 88.8, -4.70 -> -4.7
    #   possession of weapons 54/91 = 59.34 -> 59.3, 84/125 = 67.2, 7.86 -> 7.9
    #   miscellaneous 29/185 = 15.68 -> 15.7, 66/214 = 30.84 -> 30.8, 15.17 -> 15.2
    #   public order 190/1,143 = 16.62 -> 16.6, 208/1,240 = 16.77 -> 16.8, 0.15 -> 0.2
    #   sexual offences 27/355 = 7.61 -> 7.6, 55/380 = 14.47 -> 14.5, 6.87 -> 6.9
    #   criminal damage and arson 99/892 = 11.10 -> 11.1, 139/1,015 = 13.69 -> 13.7, 2.60 -> 2.6
    #   violence against the person 567/4,468 = 12.69 -> 12.7, 646/5,009 = 12.90 -> 12.9, 0.2
    #   theft offences 228/2,358 = 9.67 -> 9.7, 354/3,015 = 11.74 -> 11.7, 2.07 -> 2.1
    #   robbery 8/82 = 9.76 -> 9.8, 9/89 = 10.11 -> 10.1, 0.36 -> 0.4
    # All crime 1,618/10,019 = 16.15 -> 16.1, 1,941/11,515 = 16.86 -> 16.9, 0.71 -> 0.7.
    chart = solved_rate_by_group_chart(ho_table(HARLOW), ROLLING)
    assert chart.title == (
        "The solved rate rose in 8 of 9 offence groups in October 2024 to September 2025, "
        "compared with a year earlier"
    )
    assert chart.alt_text == (
        "Bar chart of the solved rate (solved outcomes as a percentage of offences) in each of "
        "the 9 offence groups in October 2024 to September 2025, against October 2023 to "
        "September 2024. For all crime the solved rate rose by 0.7 percentage points, from "
        "16.1% to 16.9%. The solved rate rose in 8 groups and fell in 1 group. The largest rise "
        "was in miscellaneous crimes against society, which rose by 15.2 percentage points, from "
        "15.7% to 30.8%; the largest fall was in drug offences, which fell by 4.7 percentage "
        "points, from 93.5% to 88.8%."
    )
    expected = pd.DataFrame(
        {
            "Offence group": [
                "Drug Offences",
                "Possession of Weapons",
                "Miscellaneous Crimes against Society",
                "Public Order",
                "Sexual Offences",
                "Criminal Damage and Arson",
                "Violence Against the Person",
                "Theft Offences",
                "Robbery",
            ],
            f"Solved rate (%), {PREVIOUS}": [93.5, 59.3, 15.7, 16.6, 7.6, 11.1, 12.7, 9.7, 9.8],
            f"Solved rate (%), {CURRENT}": [88.8, 67.2, 30.8, 16.8, 14.5, 13.7, 12.9, 11.7, 10.1],
            "Difference (percentage points)": [-4.7, 7.9, 15.2, 0.2, 6.9, 2.6, 0.2, 2.1, 0.4],
        }
    )
    pd.testing.assert_frame_equal(chart.data, expected, check_dtype=False)


def test_solved_rate_undefined_groups_have_no_bar_and_are_named() -> None:
    # Robbery had no offences a year before (1 solved outcome all the same, by outcome date);
    # possession of weapons has none now. Neither has a point difference, so 7 groups compare:
    # 6 rose and drug offences fell.
    figures = HARLOW | {"Robbery": (0, 89, 1, 9), "Possession of Weapons": (91, 0, 54, 0)}
    chart = solved_rate_by_group_chart(ho_table(figures), ROLLING)
    assert chart.title == (
        "The solved rate rose in 6 of 9 offence groups in October 2024 to September 2025, "
        "compared with a year earlier"
    )
    assert chart.alt_text.endswith(
        "The solved rate rose in 6 groups and fell in 1 group. The largest rise was in "
        "miscellaneous crimes against society, which rose by 15.2 percentage points, from 15.7% "
        "to 30.8%; the largest fall was in drug offences, which fell by 4.7 percentage points, "
        "from 93.5% to 88.8%. Robbery had no offences in October 2023 to September 2024, so it "
        "has no solved rate and no bar for that period. Possession of weapons had no offences "
        "in October 2024 to September 2025, so it has no solved rate and no bar for that period."
    )
    data = chart.data.set_index("Offence group")
    assert data.index[-1] == "Possession of Weapons"
    assert data.loc["Robbery"].isna().tolist() == [True, False, True]
    assert data.loc["Possession of Weapons"].isna().tolist() == [False, True, True]
    assert chart.png.startswith(PNG_SIGNATURE)


def test_solved_rate_with_no_offences_at_all() -> None:
    chart = solved_rate_by_group_chart(ho_table({}), THREE_MONTHS)
    assert chart.title == (
        "No offence group had offences in both July to September 2025 and a year earlier, "
        "so no solved rates can be compared"
    )
    assert (
        "All crime has no solved rate to compare: there were no offences in July to September "
        "2024 and July to September 2025. Violence against the person, sexual offences, "
        "robbery, theft offences, criminal damage and arson, drug offences, possession of "
        "weapons, public order and miscellaneous crimes against society had no offences in "
        "July to September 2024, so they have no solved rate"
    ) in chart.alt_text
    assert chart.data.iloc[:, 1:].isna().all().all()


def test_solved_rate_unchanged_and_below_a_tenth_of_a_point() -> None:
    # All crime 20 of 200 both years: 10.0% unchanged. Robbery 1,204 / 10,000 = 12.04 -> 12.0,
    # 1,206 / 10,000 = 12.06 -> 12.1: 0.02 points rounds to 0.0, so it counts as unchanged.
    # Theft offences 10 / 100 -> 5 / 100: 10.0% -> 5.0%, down by 5.0 points.
    table = ho_table(
        {
            "All Crime": (200, 200, 20, 20),
            "Robbery": (10000, 10000, 1204, 1206),
            "Theft Offences": (100, 100, 10, 5),
        }
    )
    chart = solved_rate_by_group_chart(table, THREE_MONTHS)
    assert chart.title.startswith("The solved rate fell in 1 of 9 offence groups")
    assert (
        "For all crime the solved rate was unchanged at 10.0%. The solved rate fell in 1 group "
        "and was unchanged in 1 group. The largest fall was in theft offences, which fell by "
        "5.0 percentage points, from 10.0% to 5.0%."
    ) in chart.alt_text


# --- every chart -----------------------------------------------------------------------------


def every_chart() -> list[Chart]:
    """One chart of each kind from the small inputs above."""
    return [
        monthly_trend_chart(monthly("2023-10", [10] * 12 + [9] * 12), "All crime", "offences"),
        crime_mix_chart(small_mix(), ROLLING_YEAR),
        top_areas_chart(small_areas(), "All crime", "offences", QUARTER),
        offences_by_group_chart(ho_table(HARLOW), ROLLING),
        solved_rate_by_group_chart(ho_table(HARLOW), ROLLING),
        solved_rate_by_group_chart(ho_table({}), ROLLING),
    ]


@dataclass(frozen=True)
class Drawn:
    """Every kind of chart drawn once, with pyplot's open figures and style around the drawing."""

    charts: list[Chart]
    open_before: list[int]
    open_after: list[int]
    style_before: dict
    style_after: dict


@pytest.fixture(scope="module")
def drawn() -> Drawn:
    """One chart of each kind, drawn once for the tests that look at the pictures."""
    open_before, style_before = plt.get_fignums(), dict(matplotlib.rcParams)
    charts = every_chart()
    for chart in charts:
        assert chart.png  # drawn here, between the two looks at pyplot
    return Drawn(charts, open_before, plt.get_fignums(), style_before, dict(matplotlib.rcParams))


def test_pngs_are_valid_a4_width_and_repeatable(drawn: Drawn) -> None:
    # 16 cm at 150 dpi = 16 / 2.54 x 150 = 944.9 pixels.
    for first, second in zip(drawn.charts, every_chart(), strict=True):  # the second drawn anew
        assert first.png.startswith(PNG_SIGNATURE)
        assert png_width(first.png) in (944, 945)
        assert first.png == second.png
        assert b"Software" not in first.png
        assert b"matplotlib" not in first.png.lower()


def test_data_uri_holds_the_png(drawn: Drawn) -> None:
    chart = drawn.charts[1]
    prefix = "data:image/png;base64,"
    assert chart.data_uri().startswith(prefix)
    assert base64.b64decode(chart.data_uri()[len(prefix) :]) == chart.png


def test_charts_leave_no_open_figures_and_no_global_style(drawn: Drawn) -> None:
    assert drawn.open_after == drawn.open_before
    assert drawn.style_after == drawn.style_before


def test_a_chart_is_drawn_once_when_its_picture_is_first_asked_for() -> None:
    chart = crime_mix_chart(small_mix(), ROLLING_YEAR)
    assert "png" not in vars(chart)  # its words and table need no drawing
    assert chart.png is chart.png  # drawn once, then kept
    assert "png" in vars(chart)


def test_different_data_gives_different_pngs() -> None:
    one = crime_mix_chart(small_mix(), ROLLING_YEAR)
    other = crime_mix_chart(small_mix().assign(offences=[9, 4, 3, 1]), ROLLING_YEAR)
    assert one.png != other.png


def test_grant_spend_chart_states_spend_against_the_profile():
    spend = pd.DataFrame(
        {
            "quarter": [1, 2, 3, 4],
            "spent": [Decimal("100.15"), Decimal("1250.30"), None, None],
            "profile": [
                Decimal("250.00"),
                Decimal("500.01"),
                Decimal("750.01"),
                Decimal("1000.01"),
            ],
        }
    )
    chart = grant_spend_chart(spend, "2025/26")
    # 1,250.30 - 500.01 = 750.29 above the profile at the end of Q2.
    assert chart.title == (
        "By the end of quarter 2, £1,250.30 of the 2025/26 grant was spent, £750.29 above a "
        "straight-line profile"
    )
    assert chart.alt_text == (
        "Line chart of the grant spent by the end of each quarter of 2025/26 (solid line) "
        "against a straight-line profile that reaches the whole grant of £1,000.01 at the end "
        "of quarter 4 (dashed line). Spent against profile, quarter 1: £100.15 against £250.00; "
        "quarter 2: £1,250.30 against £500.01."
    )
    assert chart.data.values.tolist() == [
        ["Q1 Apr-Jun", "£100.15", "£250.00"],
        ["Q2 Jul-Sep", "£1,250.30", "£500.01"],
        ["Q3 Oct-Dec", "-", "£750.01"],
        ["Q4 Jan-Mar", "-", "£1,000.01"],
    ]
    assert chart.png.startswith(PNG_SIGNATURE)


def control_points(values: list[int | None], signals: list[str]) -> pd.DataFrame:
    """24 months of one series to September 2025 with mean 11 and limits 5.68 and 16.32."""
    return pd.DataFrame(
        {
            "series": "All crime",
            "month": [str(month) for month in pd.period_range("2023-10", "2025-09", freq="M")],
            "value": pd.array(values, dtype="Int64"),
            "mean": 11.0,
            "lower_limit": 11 - 2.66 * 2,
            "upper_limit": 11 + 2.66 * 2,
            "signal": signals,
        }
    )


def test_a_control_chart_says_its_latest_signal_and_names_every_signal_in_its_alt_text():
    from pipeline.charts import control_chart_figure

    values = [10, 12] * 11 + [12, 30]
    signals = [""] * 23 + ["outside_limits"]
    chart = control_chart_figure(control_points(values, signals), "All crime", "offences")
    assert chart.title == "All crime: outside the process limits, September 2025"
    assert chart.alt_text == (
        "Control chart of monthly offences of all crime, October 2023 to September 2025, with "
        "the mean of 11.0 a month and process limits of 5.7 and 16.3. Signals: outside the "
        "process limits in September 2025."
    )
    assert list(chart.data.columns) == [
        "Month",
        "Offences",
        "Mean",
        "Lower process limit",
        "Upper process limit",
        "Signal",
    ]
    assert chart.data.iloc[-1].tolist() == [
        "September 2025",
        30,
        "11.0",
        "5.7",
        "16.3",
        "outside the process limits",
    ]
    assert chart.png.startswith(b"\x89PNG")


def test_a_control_chart_with_no_signal_stays_within_normal_variation_and_shows_gaps():
    from pipeline.charts import control_chart_figure

    values = [10, 12] * 12
    values[5] = None
    chart = control_chart_figure(
        control_points(values, [""] * 24), "Anti-social behaviour", "incidents"
    )
    assert chart.title == (
        "Anti-social behaviour stayed within normal variation, October 2023 to September 2025"
    )
    assert "No month shows a signal: every change is within normal variation." in chart.alt_text
    assert "March 2024" in chart.alt_text  # the month with no usable data, a gap
