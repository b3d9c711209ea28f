"""The Making Data Count rules on small series worked by hand: the limits, each signal, and where
a run is not one."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.control_charts import (
    CONTROL_CHART_COLUMNS,
    OUTSIDE_LIMITS,
    SHIFT,
    TREND,
    TWO_OF_THREE,
    ControlLimits,
    control_chart,
    control_limits,
    signal_text,
    signals,
)

# Limits wide enough that only the rule under test can fire: mean 10, mean moving range 5, so
# the limits are 10 +/- 13.3 and the near-limit lines 10 +/- 8.87.
WIDE = ControlLimits(mean=10.0, mean_moving_range=5.0)


def flagged(values, limits, signal):
    """The positions carrying signal."""
    return [position for position, found in enumerate(signals(values, limits)) if signal in found]


def test_the_limits_are_the_mean_plus_and_minus_2_66_mean_moving_ranges():
    # 1, 3, 2, 4: mean 10/4 = 2.5; moving ranges 2, 1, 2, mean 5/3; 2.66 x 5/3 = 4.4333...
    limits = control_limits([1, 3, 2, 4])
    assert limits.mean == pytest.approx(2.5)
    assert limits.mean_moving_range == pytest.approx(5 / 3)
    assert limits.upper == pytest.approx(2.5 + 2.66 * 5 / 3)
    assert limits.lower == pytest.approx(2.5 - 2.66 * 5 / 3)
    assert limits.near_upper == pytest.approx(2.5 + 2 / 3 * 2.66 * 5 / 3)


def test_no_moving_range_spans_a_gap():
    # 1, gap, 5, 6: the mean of the three points is 4; the only moving range is 6 - 5 = 1.
    limits = control_limits([1, None, 5, 6])
    assert (limits.mean, limits.mean_moving_range) == (pytest.approx(4.0), pytest.approx(1.0))


def test_a_point_beyond_either_limit_is_outside_the_limits():
    values = [10, 23.4, 10, -3.4, 10, 23.3]  # limits 23.3 and -3.3: a point on a limit is inside
    assert flagged(values, WIDE, OUTSIDE_LIMITS) == [1, 3]


def test_seven_points_on_one_side_of_the_mean_are_a_shift_and_each_carries_it():
    values = [9, 11, 11, 11, 11, 11, 11, 11, 9]
    assert flagged(values, WIDE, SHIFT) == [1, 2, 3, 4, 5, 6, 7]
    assert flagged(values, WIDE, TREND) == []  # equal points neither rise nor fall


def test_six_points_on_one_side_are_not_a_shift():
    assert flagged([9, 11, 11, 11, 11, 11, 11, 9], WIDE, SHIFT) == []


def test_a_point_on_the_mean_breaks_a_shift():
    assert flagged([11, 11, 11, 10, 11, 11, 11, 11], WIDE, SHIFT) == []
    assert flagged([11, 11, 11, 9.5, 11, 11, 11, 11], WIDE, SHIFT) == []  # so does one below


def test_a_gap_breaks_a_shift():
    assert flagged([11, 11, 11, None, 11, 11, 11, 11], WIDE, SHIFT) == []


# For trends, the mean sits in the middle of the points so no shift can fire: mean 4.
MIDDLE = ControlLimits(mean=4.0, mean_moving_range=5.0)


def test_six_rises_in_a_row_are_a_trend_of_seven_points():
    assert flagged([1, 2, 3, 4, 5, 6, 7], MIDDLE, TREND) == [0, 1, 2, 3, 4, 5, 6]
    assert flagged([7, 6, 5, 4, 3, 2, 1], MIDDLE, TREND) == [0, 1, 2, 3, 4, 5, 6]  # six falls
    assert flagged([1, 2, 3, 4, 5, 6, 7], MIDDLE, SHIFT) == []


def test_five_rises_are_not_a_trend():
    assert flagged([3, 1, 2, 3, 4, 5, 6, 5], MIDDLE, TREND) == []


def test_a_tie_inside_a_trend_breaks_it():
    # steps +, +, 0, +, +, +, +: runs of two and four rises, neither six
    assert flagged([1, 2, 3, 3, 4, 5, 6, 7], MIDDLE, TREND) == []


def test_a_trend_is_found_inside_a_longer_series():
    values = [5, 0, 1, 2, 3, 4, 5, 6, 2]  # six rises from the second point to the eighth
    assert flagged(values, MIDDLE, TREND) == [1, 2, 3, 4, 5, 6, 7]


# For two of three: mean 0, mean moving range 3, so the limits are +/- 7.98 and the near-limit
# lines +/- 5.32.
NEAR = ControlLimits(mean=0.0, mean_moving_range=3.0)


def test_two_of_three_near_a_limit_on_the_same_side_are_flagged_on_those_two():
    assert flagged([1, 6, 1, 6, 1], NEAR, TWO_OF_THREE) == [1, 3]
    assert flagged([-1, -6, -6, -1], NEAR, TWO_OF_THREE) == [1, 2]


def test_two_of_three_on_opposite_sides_of_the_mean_are_not_flagged():
    assert flagged([6, -1, 6], NEAR, TWO_OF_THREE) == []
    assert flagged([6, 0, 6], NEAR, TWO_OF_THREE) == []  # a point on the mean is on neither side


def test_a_point_beyond_the_limit_is_not_near_it():
    values = [6, 9, 1]  # 9 is outside the limits, so only one point is near one
    assert flagged(values, NEAR, TWO_OF_THREE) == []
    assert flagged(values, NEAR, OUTSIDE_LIMITS) == [1]


def test_one_point_near_a_limit_is_not_two_of_three():
    assert flagged([1, 6, 1, 1, 6, 1], NEAR, TWO_OF_THREE) == []


def test_a_point_s_signals_are_joined_in_a_fixed_order():
    assert signal_text({TREND, SHIFT}) == "shift;trend"
    assert signal_text(set()) == ""


def months_of(values: list[int | None], first: str = "2022-10") -> pd.DataFrame:
    months = pd.period_range(first, periods=len(values), freq="M")
    return pd.DataFrame({"month": months, "count": pd.array(values, dtype="Int64")})


def test_a_chart_shows_the_last_36_months_and_its_table_has_the_contract_s_columns():
    # 40 months: 10 alternating with 12 (mean 11, every moving range 2), then a last point of 30
    values = [10 if month % 2 == 0 else 12 for month in range(39)] + [30]
    chart = control_chart("All crime", months_of(values, "2022-06"))
    assert list(chart.columns) == CONTROL_CHART_COLUMNS
    assert len(chart) == 36 and chart["month"].iloc[0] == "2022-10"
    assert chart["month"].iloc[-1] == "2025-09"
    # shown: months 5 to 40, so 35 alternating points, 10 first and last (18 of 10, 17 of 12),
    # then 30: mean 414 / 36 = 11.5; 34 moving ranges of 2 and one of 30 - 10 = 20
    assert chart["mean"].iloc[0] == pytest.approx(11.5)
    assert chart["upper_limit"].iloc[0] == pytest.approx(11.5 + 2.66 * (34 * 2 + 20) / 35)
    assert chart["signal"].iloc[-1] == "outside_limits"
    assert (chart["signal"].iloc[:-1] == "").all()


def test_fewer_than_24_months_present_give_no_chart():
    values = [10] * 10 + [None] * 3 + [12] * 13  # 23 months present of 26
    assert control_chart("ASB", months_of(values)) is None
    assert control_chart("ASB", months_of(values + [11])) is not None


def test_the_analysis_charts_all_crime_asb_and_each_category_with_unavailable_months_as_gaps():
    """36 months shown at most; the data starts in June 2023, so the 8 months before are not
    shown; August 2023 (chart-only) and May 2024 have no usable crime data: gaps."""
    from pipeline.analysis import Events, control_charts

    months = list(pd.period_range("2022-10", "2025-09", freq="M"))  # the 36 ending at Q2
    held = [month for month in months if month >= pd.Period("2023-06", freq="M")]  # 28
    rows = [(month, False, "Burglary", "A") for month in held for _ in range(2)]
    rows += [(month, True, "Anti-social behaviour", "A") for month in held]
    table = pd.DataFrame(rows, columns=["month", "is_asb", "category", "area"])
    events = Events(table, "LSOA", "LSOA", ("Burglary", "Robbery"))
    before = frozenset(pd.period_range("2022-10", "2023-05", freq="M"))  # no data yet
    gaps = before | {pd.Period("2023-08", freq="M"), pd.Period("2024-05", freq="M")}
    charts = control_charts(events, months, gaps, before)
    assert list(charts["series"].unique()) == [
        "All crime",
        "Anti-social behaviour",
        "Burglary",
        "Robbery",
    ]
    burglary = charts[charts["series"] == "Burglary"].set_index("month")
    assert list(burglary.index[[0, -1]]) == ["2023-06", "2025-09"] and len(burglary) == 28
    assert list(burglary.index[burglary["value"].isna()]) == ["2023-08", "2024-05"]
    assert burglary["value"].dropna().eq(2).all() and burglary["mean"].eq(2.0).all()
    robbery = charts[charts["series"] == "Robbery"]
    assert robbery["value"].dropna().eq(0).all() and robbery["signal"].eq("").all()  # none
    asb = charts[charts["series"] == "Anti-social behaviour"]
    assert len(asb) == 28 and asb["value"].eq(1).all()
    # three more months unavailable leave the crime series 23 months: no chart for them
    fewer = gaps | set(pd.period_range("2024-06", "2024-08", freq="M"))
    charts = control_charts(events, months, fewer, before)
    assert list(charts["series"].unique()) == ["Anti-social behaviour"]


def test_the_reviewer_sees_only_the_signalled_months():
    from pipeline.control_charts import signalled_months

    charts = pd.DataFrame({"month": ["2025-07", "2025-08"], "signal": ["", "shift;trend"]})
    assert list(signalled_months(charts)["month"]) == ["2025-08"]
