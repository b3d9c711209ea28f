"""Exact percentages, half-up rounding and formatting, with every expected value worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest

from pipeline.numbers import (
    UNDEFINED,
    format_count,
    format_date,
    format_money,
    format_month,
    format_one_decimal,
    format_percent,
    format_signed_count,
    is_undefined,
    percent,
    percent_change,
    point_difference,
    round_half_up,
    to_float,
)

# --- percent -----------------------------------------------------------------------------------


def test_percent_is_an_exact_fraction() -> None:
    # 1 / 3 x 100 = 100/3 = 33.333..., kept exact (no float error).
    result = percent(1, 3)
    assert isinstance(result, Fraction)
    assert result == Fraction(100, 3)


def test_percent_whole_result() -> None:
    # 3 / 4 x 100 = 75
    assert percent(3, 4) == 75


def test_percent_of_zero_is_zero() -> None:
    assert percent(0, 12) == 0


@pytest.mark.parametrize("numerator", [0, 5])
def test_percent_zero_denominator_is_undefined(numerator: int) -> None:
    assert percent(numerator, 0) is None


# --- percent_change ----------------------------------------------------------------------------


def test_percent_change_fall_is_exact() -> None:
    # (103 - 140) / 140 x 100 = -3700/140 = -185/7 = -26.428...
    result = percent_change(140, 103)
    assert isinstance(result, Fraction)
    assert result == Fraction(-185, 7)


def test_percent_change_rise() -> None:
    # (5 - 4) / 4 x 100 = 25
    assert percent_change(4, 5) == 25


def test_percent_change_unchanged_is_zero() -> None:
    assert percent_change(7, 7) == 0


def test_percent_change_to_zero_is_minus_100() -> None:
    assert percent_change(5, 0) == -100


@pytest.mark.parametrize("current", [0, 5])
def test_percent_change_from_zero_is_undefined(current: int) -> None:
    assert percent_change(0, current) is None


# --- point_difference --------------------------------------------------------------------------


def test_point_difference_uses_unrounded_rates() -> None:
    # 10/127 = 7.874% and 10/126 = 7.937%: both publish as 7.9, so the rounded rates differ by 0.0.
    # Unrounded: 1000/126 - 1000/127 = 1000 x (127 - 126) / (126 x 127) = 1000/16002 = 0.0625 less
    # a little (0.06249...), which rounds half up to 0.1.
    previous, current = percent(10, 127), percent(10, 126)
    assert round_half_up(previous) == Decimal("7.9")
    assert round_half_up(current) == Decimal("7.9")
    difference = point_difference(previous, current)
    assert difference == Fraction(1000, 16002)
    assert round_half_up(difference) == Decimal("0.1")


def test_point_difference_seed_theft_of_a_vehicle() -> None:
    # Harlow seed table, Theft of a Vehicle: 10 solved of 187 then 13 of 284.
    # 1000/187 = 5.3476 (5.3) and 1300/284 = 4.5775 (4.6); 4.5775 - 5.3476 = -0.7701 -> -0.8,
    # where the rounded rates would give 4.6 - 5.3 = -0.7. The seed publishes -0.8.
    difference = point_difference(percent(10, 187), percent(13, 284))
    assert round_half_up(difference) == Decimal("-0.8")


def test_point_difference_is_current_minus_previous() -> None:
    assert point_difference(Fraction(20), Fraction(15)) == -5


@pytest.mark.parametrize(
    ("previous", "current"), [(None, Fraction(10)), (Fraction(10), None), (None, None)]
)
def test_point_difference_undefined_when_either_rate_is(
    previous: Fraction | None, current: Fraction | None
) -> None:
    assert point_difference(previous, current) is None


# --- round_half_up -----------------------------------------------------------------------------


def test_round_half_up_where_python_round_goes_to_even() -> None:
    # 6.25 is exactly half way: half up gives 6.3; Python's round (half-even) gives 6.2.
    assert round(6.25, 1) == 6.2
    assert round_half_up(Fraction(25, 4)) == Decimal("6.3")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(-9, 4), "-2.3"),  # -2.25: halves go away from zero
        (Fraction(1, 20), "0.1"),  # 0.05
        (Fraction(-1, 20), "-0.1"),  # -0.05
        (Fraction(1, 25), "0.0"),  # 0.04
        (Fraction(-185, 7), "-26.4"),  # -26.428...
        (Fraction(100, 3), "33.3"),  # 33.333...
        (Fraction(200, 3), "66.7"),  # 66.666...
        (Fraction(1999, 20), "100.0"),  # 99.95 -> 100.0, carrying into a new digit
        (7, "7.0"),
        (0, "0.0"),
    ],
)
def test_round_half_up_one_place(value: int | Fraction, expected: str) -> None:
    result = round_half_up(value)
    assert isinstance(result, Decimal)
    assert str(result) == expected


def test_round_half_up_small_negative_is_zero_never_minus_zero() -> None:
    # -0.04 rounds to 0.0; the result must not carry a minus sign ("-0.0" in a table).
    result = round_half_up(Fraction(-1, 25))
    assert result == 0
    assert not result.is_signed()
    assert str(result) == "0.0"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(5, 2), 0, "3"),  # 2.5
        (Fraction(-5, 2), 0, "-3"),  # -2.5
        (Fraction(2675, 1000), 2, "2.68"),  # 2.675 exactly
        (Fraction(1, 8), 2, "0.13"),  # 0.125
    ],
)
def test_round_half_up_other_places(value: Fraction, places: int, expected: str) -> None:
    assert str(round_half_up(value, places)) == expected


def test_round_half_up_none_is_none() -> None:
    assert round_half_up(None) is None


def test_round_half_up_decimal_input_is_exact() -> None:
    # A Decimal carries its decimal text exactly: 0.15 is a true half -> 0.2.
    assert round_half_up(Decimal("0.15")) == Decimal("0.2")


def test_round_half_up_float_exactly_half_in_binary() -> None:
    # 6.25 and 0.5 are exact in binary, so a float input behaves like the Fraction.
    assert round_half_up(6.25) == Decimal("6.3")
    assert round_half_up(-2.25) == Decimal("-2.3")


def test_round_half_up_float_2675_at_one_place() -> None:
    # Whether 2.675 is read as 2.675 or as its binary value 2.67499999..., one place gives 2.7
    # (0.075 is above the half-way 0.05 either way).
    assert round_half_up(2.675) == Decimal("2.7")


def test_round_half_up_float_read_as_decimal_text_or_refused() -> None:
    try:
        one_place, two_places = round_half_up(0.15), round_half_up(2.675, 2)
    except TypeError:
        return
    assert one_place == Decimal("0.2")
    assert two_places == Decimal("2.68")


# --- to_float ----------------------------------------------------------------------------------


def test_to_float() -> None:
    assert to_float(Decimal("-26.4")) == -26.4
    assert to_float(None) is None


# --- format_count ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12345, "12,345"),
        (1306, "1,306"),
        (999, "999"),
        (0, "0"),
        (1234567, "1,234,567"),
        (-1306, "-1,306"),
        (103.0, "103"),
    ],
)
def test_format_count(value: int | float, expected: str) -> None:
    assert format_count(value) == expected


@pytest.mark.parametrize("value", [None, float("nan")])
def test_format_count_undefined_is_dash(value: float | None) -> None:
    assert format_count(value) == "-"
    assert UNDEFINED == "-"


def test_formatters_treat_pandas_na_as_undefined() -> None:
    assert format_count(pd.NA) == "-"
    assert format_signed_count(pd.NA) == "-"
    assert format_one_decimal(pd.NA) == "-"
    assert format_percent(pd.NA) == "-"


# --- format_signed_count -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(93, "+93"), (1496, "+1,496"), (-37, "-37"), (-2091, "-2,091")],
)
def test_format_signed_count(value: int, expected: str) -> None:
    assert format_signed_count(value) == expected


@pytest.mark.parametrize("value", [None, float("nan")])
def test_format_signed_count_undefined_is_dash(value: float | None) -> None:
    assert format_signed_count(value) == "-"


def test_format_signed_count_zero_has_no_sign() -> None:
    assert format_signed_count(0) == "0"


# --- format_one_decimal ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "signed", "expected"),
    [
        (Decimal("26.4"), False, "26.4"),
        (26.4, False, "26.4"),
        (7, False, "7.0"),
        (Decimal("1234.5"), False, "1,234.5"),
        (Decimal("-26.4"), False, "-26.4"),
        (Decimal("14.9"), True, "+14.9"),
        (1234.5, True, "+1,234.5"),
        (Decimal("-0.8"), True, "-0.8"),
        (Decimal("0.0"), True, "0.0"),  # zero takes no sign
        (Decimal("-0.0"), False, "0.0"),  # negative zero never shows its minus
        (Decimal("-0.0"), True, "0.0"),
        (-0.0, False, "0.0"),
        (-0.0, True, "0.0"),
    ],
)
def test_format_one_decimal(value: float | Decimal, signed: bool, expected: str) -> None:
    assert format_one_decimal(value, signed=signed) == expected


@pytest.mark.parametrize("signed", [False, True])
@pytest.mark.parametrize("value", [None, float("nan")])
def test_format_one_decimal_undefined_is_dash(value: float | None, signed: bool) -> None:
    assert format_one_decimal(value, signed=signed) == "-"


# --- format_percent ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("25.1"), "25.1%"),
        (120.0, "120.0%"),
        (Decimal("1900.0"), "1,900.0%"),
        (Decimal("-0.0"), "0.0%"),
        (Decimal("-3.8"), "-3.8%"),
    ],
)
def test_format_percent(value: float | Decimal, expected: str) -> None:
    assert format_percent(value) == expected


@pytest.mark.parametrize("value", [None, float("nan")])
def test_format_percent_undefined_is_dash_without_percent_sign(value: float | None) -> None:
    assert format_percent(value) == "-"


def test_rounding_then_formatting_end_to_end() -> None:
    # 37 fewer on 140: -26.428...% -> -26.4 -> "-26.4%"; 120% rise (5 -> 11) -> "120.0%".
    assert format_percent(round_half_up(percent_change(140, 103))) == "-26.4%"
    assert format_percent(round_half_up(percent_change(5, 11))) == "120.0%"
    assert format_percent(round_half_up(percent_change(0, 11))) == "-"


# --- money and dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("37479.75"), "£37,479.75"),  # Harborough's 2023-24 allocation, from the seed
        (Decimal("1000"), "£1,000.00"),  # whole pounds still show pence
        (250, "£250.00"),
        ("0.5", "£0.50"),
        (Decimal("-12.30"), "-£12.30"),  # an overspend reads as minus pounds
        (Decimal("1234567.891"), "£1,234,567.89"),  # a part penny: .891 rounds to .89
        (Decimal("0.005"), "£0.01"),  # half a penny rounds up, not to even
        (None, "-"),
    ],
)
def test_format_money_gives_pounds_with_pence(amount, expected) -> None:
    assert format_money(amount) == expected


def test_format_money_refuses_floats_and_non_amounts() -> None:
    with pytest.raises(TypeError, match="exact"):
        format_money(0.1)
    with pytest.raises(ValueError, match="not an amount"):
        format_money("ten pounds")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2023, 10, 11), "11 October 2023"),  # the seed's meeting date
        (date(2025, 4, 1), "1 April 2025"),  # no leading zero on the day
    ],
)
def test_format_date_as_committee_papers_write_it(day, expected) -> None:
    assert format_date(day) == expected


@pytest.mark.parametrize(
    ("value", "undefined"),
    [(None, True), (float("nan"), True), (pd.NA, True), (0, False), (0.0, False), (7, False)],
)
def test_undefined_is_none_nan_or_pandas_na(value, undefined) -> None:
    assert is_undefined(value) is undefined


@pytest.mark.parametrize(
    ("month", "words"),
    [("2025-07", "July 2025"), ("2024-02", "February 2024"), ("1999-12", "December 1999")],
)
def test_a_month_is_written_as_papers_write_it(month, words) -> None:
    assert format_month(month) == words
