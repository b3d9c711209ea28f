"""Charts: titles, alt text and tables worked out by hand; PNGs that are valid and repeatable."""

from __future__ import annotations

import base64

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from pipeline.charts import (  # noqa: E402
    Chart,
    crime_mix_chart,
    monthly_trend_chart,
    top_areas_chart,
)

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
    # (108 - 120) / 120 x 100 = -10 -> "fell by 10.0%". 120 is not a small base (>= 50).
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
    # 16 is below the small-base threshold of 50, so the counts are given.
    counts = [1] * 8 + [2] * 4 + [1] * 7 + [2] * 5
    chart = monthly_trend_chart(monthly("2024-04", counts), "Anti-social behaviour", "incidents")
    assert chart.title == (
        "Anti-social behaviour rose by 6.3% in the 12 months to March 2026, "
        "but from 16 to 17 incidents"
    )


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


# --- every chart -----------------------------------------------------------------------------


def every_chart() -> list[Chart]:
    """One chart of each kind from the small inputs above."""
    return [
        monthly_trend_chart(monthly("2023-10", [10] * 12 + [9] * 12), "All crime", "offences"),
        crime_mix_chart(small_mix(), ROLLING_YEAR),
        top_areas_chart(small_areas(), "All crime", "offences", QUARTER),
    ]


def test_pngs_are_valid_a4_width_and_repeatable() -> None:
    # 16 cm at 150 dpi = 16 / 2.54 x 150 = 944.9 pixels.
    for first, second in zip(every_chart(), every_chart(), strict=True):
        assert first.png.startswith(PNG_SIGNATURE)
        assert png_width(first.png) in (944, 945)
        assert first.png == second.png
        assert b"Software" not in first.png
        assert b"matplotlib" not in first.png.lower()


def test_data_uri_holds_the_png() -> None:
    chart = every_chart()[1]
    prefix = "data:image/png;base64,"
    assert chart.data_uri().startswith(prefix)
    assert base64.b64decode(chart.data_uri()[len(prefix) :]) == chart.png


def test_charts_leave_no_open_figures_and_no_global_style() -> None:
    open_before = plt.get_fignums()
    style_before = dict(matplotlib.rcParams)
    every_chart()
    assert plt.get_fignums() == open_before
    assert dict(matplotlib.rcParams) == style_before


def test_different_data_gives_different_pngs() -> None:
    one = crime_mix_chart(small_mix(), ROLLING_YEAR)
    other = crime_mix_chart(small_mix().assign(offences=[9, 4, 3, 1]), ROLLING_YEAR)
    assert one.png != other.png
