"""Rates per 1,000 and their intervals, checked against values worked out by hand."""

from __future__ import annotations

import pytest

from pipeline.rates import (
    byar_interval,
    count_interval,
    exact_interval,
    rate,
    rate_interval,
    z_value,
)


def test_byar_interval_of_65_events_is_50_16_to_82_85():
    # z = 1.959964; lower 65 x (1 - 1/585 - z/(3 sqrt 65))^3 = 65 x 0.9172563^3 = 50.163
    # upper 66 x (1 - 1/594 + z/(3 sqrt 66))^3 = 66 x 1.0787345^3 = 82.849
    lower, upper = byar_interval(65)
    assert (round(lower, 2), round(upper, 2)) == (50.16, 82.85)


def test_byar_interval_of_10_events_is_close_to_the_exact_one():
    # Byar: 10 x (1 - 1/90 - z/(3 sqrt 10))^3 = 4.787; 11 x (1 - 1/99 + z/(3 sqrt 11))^3 = 18.391
    # Exact: chi-squared(0.025, 20)/2 = 9.5908/2 = 4.795; chi-squared(0.975, 22)/2 = 18.390
    assert [round(value, 3) for value in byar_interval(10)] == [4.787, 18.391]
    assert [round(value, 3) for value in exact_interval(10)] == [4.795, 18.390]
    assert count_interval(10) == byar_interval(10)  # from 10 events, Byar's


@pytest.mark.parametrize(
    ("events", "lower", "upper"),
    # chi-squared quantiles over 2 (degrees of freedom 2O and 2O + 2): published tables
    [(0, 0.0, 3.689), (1, 0.025, 5.572), (4, 1.090, 10.242), (9, 4.115, 17.085)],
)
def test_below_10_events_the_interval_is_the_exact_one(events, lower, upper):
    assert [round(value, 3) for value in count_interval(events)] == [lower, upper]


def test_a_rate_and_its_interval_are_per_1000_people():
    # 65 offences among 100,000 people: 0.65 per 1,000, 0.5016 to 0.8285
    assert rate(65, 100_000) == pytest.approx(0.65)
    lower, upper = rate_interval(65, 100_000)
    assert (round(lower, 4), round(upper, 4)) == (0.5016, 0.8285)


def test_the_95_percent_z_value():
    assert round(z_value(), 6) == 1.959964


@pytest.mark.parametrize("bad", [lambda: byar_interval(0), lambda: count_interval(-1)])
def test_impossible_counts_are_refused(bad):
    with pytest.raises(ValueError):
        bad()


def test_a_rate_needs_a_population():
    with pytest.raises(ValueError, match="population above 0"):
        rate(5, 0)
