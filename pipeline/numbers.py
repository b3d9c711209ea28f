"""Published figures: exact percentages, half-up rounding; numbers, money and dates as text."""

from __future__ import annotations

import math
import sys
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

UNDEFINED = "-"
SMALL_BASE = 50  # ONS's rule: no percentage in the words when either count is below this
Number = int | Fraction


def percent(numerator: int, denominator: int) -> Fraction | None:
    """`numerator / denominator x 100` exactly, or None when the denominator is zero."""
    if denominator == 0:
        return None
    return Fraction(numerator * 100, denominator)


def percent_change(previous: int, current: int) -> Fraction | None:
    """`(current - previous) / previous x 100` exactly, or None when previous is zero."""
    return percent(current - previous, previous)


def point_difference(previous: Fraction | None, current: Fraction | None) -> Fraction | None:
    """Difference of two unrounded rates in percentage points, or None if either is undefined."""
    if previous is None or current is None:
        return None
    return current - previous


def round_half_up(value: Number | None, places: int = 1) -> Decimal | None:
    """Round exactly, halves away from zero (as Excel's ROUND does); never `-0.0`."""
    if value is None:
        return None
    exact = Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    scale = 10**places
    magnitude = (abs(exact) * scale * 2 + 1) // 2
    rounded = Decimal(int(magnitude)).scaleb(-places).quantize(Decimal(1).scaleb(-places))
    return -rounded if exact < 0 and magnitude != 0 else rounded


def to_float(value: Decimal | None) -> float | None:
    """A rounded Decimal as a float for tables (exact for one decimal place)."""
    return None if value is None else float(value)


def is_undefined(value: object) -> bool:
    """True for None, NaN and pandas' NA: a figure that cannot be given."""
    if value is None:
        return True
    pandas = sys.modules.get("pandas")  # none of pandas' missing values exist before its import
    if pandas is not None:
        return bool(pandas.isna(value))
    return isinstance(value, float) and math.isnan(value)


def count_with_unit(count: int, unit: str) -> str:
    """`1 offence`, `1,234 offences`: the unit singular for one (units are given plural)."""
    singular = unit[:-1] if unit.endswith("s") else unit
    return f"{count:,} {singular if count == 1 else unit}"


def format_count(value: int | float | None) -> str:
    """A whole number with thousands separators, or `-` when undefined."""
    if is_undefined(value):
        return UNDEFINED
    return f"{int(value):,}"


def format_signed_count(value: int | float | None) -> str:
    """A difference with its sign and thousands separators, or `-` when undefined."""
    if is_undefined(value):
        return UNDEFINED
    return f"{int(value):+,}" if value != 0 else "0"


def format_one_decimal(value: float | Decimal | None, signed: bool = False) -> str:
    """An already-rounded figure to one decimal place, or `-` when undefined."""
    if is_undefined(value):
        return UNDEFINED
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    rounded = abs(rounded) if rounded == 0 else rounded
    return f"{rounded:+,}" if signed and rounded != 0 else f"{rounded:,}"


def format_percent(value: float | Decimal | None) -> str:
    """An already-rounded percentage, e.g. `25.1%`, or `-` when undefined."""
    text = format_one_decimal(value)
    return text if text == UNDEFINED else f"{text}%"


def format_money(value: Decimal | int | str | None) -> str:
    """An exact sum of money in pounds with pence, e.g. `£37,479.75`, or `-` when undefined."""
    if value is None:
        return UNDEFINED
    if isinstance(value, float):
        raise TypeError("money must be exact: pass a Decimal, an int or a string, not a float")
    try:
        amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation as error:
        raise ValueError(f"{value!r} is not an amount of money") from error
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def format_date(day: date) -> str:
    """A date as committee papers write it: `11 October 2023`."""
    return f"{day.day} {day:%B %Y}"


def format_month(month: str) -> str:
    """A `YYYY-MM` month as committee papers write it: `July 2025`."""
    year, number = month.split("-")
    return f"{date(int(year), int(number), 1):%B %Y}"
