"""Financial years, quarters and the three compared periods, checked against the calendar."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.errors import ParameterError, PipelineError
from pipeline.periods import (
    FinancialYear,
    compared_periods,
    financial_year_of,
    latest_covered_year,
    parse_financial_year,
    parse_quarter,
    required_months,
)


def month(text: str) -> pd.Period:
    """A month such as `2025-07`."""
    return pd.Period(text, freq="M")


def months(first: str, last: str) -> list[pd.Period]:
    """Every month from first to last inclusive."""
    return list(pd.period_range(first, last, freq="M"))


# --- parse_financial_year ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start"),
    [("2024-25", 2024), ("2023-24", 2023), ("1999-00", 1999), ("2009-10", 2009)],
)
def test_parse_financial_year_accepts(text: str, start: int) -> None:
    assert parse_financial_year(text) == FinancialYear(start)


@pytest.mark.parametrize(
    "text",
    [
        "2024-26",  # not consecutive
        "2024-24",
        "2024/25",  # the prose form, not the parameter form
        "24-25",
        "2024-2025",
        "",
        " 2024-25x",
        "2024-25x",
        "FY2024-25",
        "2024",
        "1999-99",
    ],
)
def test_parse_financial_year_refuses(text: str) -> None:
    with pytest.raises(ParameterError) as caught:
        parse_financial_year(text)
    assert caught.value.name == "FY"
    assert caught.value.value == text
    assert isinstance(caught.value, PipelineError)
    message = str(caught.value)
    assert message.startswith(f"FY={text!r} is not valid")
    assert "2024-25" in message  # the message shows the expected form


# --- parse_quarter -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), ("2", 2), ("3", 3), ("4", 4), (1, 1), (4, 4)],
)
def test_parse_quarter_accepts(value: str | int, expected: int) -> None:
    result = parse_quarter(value)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize("value", [0, 5, "0", "5", "2; rm", "", "1.0", 1.0, "Q1", "-1", "one"])
def test_parse_quarter_refuses(value: str | int | float) -> None:
    with pytest.raises(ParameterError) as caught:
        parse_quarter(value)
    assert caught.value.name == "Q"
    assert str(caught.value).startswith(f"Q={value!r} is not valid")


# --- FinancialYear -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "name", "label"),
    [(2024, "2024-25", "2024/25"), (1999, "1999-00", "1999/00"), (2009, "2009-10", "2009/10")],
)
def test_financial_year_name_and_label(start: int, name: str, label: str) -> None:
    year = FinancialYear(start)
    assert year.name == name
    assert year.label == label


@pytest.mark.parametrize(
    ("quarter", "end"),
    [(1, "2023-06"), (2, "2023-09"), (3, "2023-12"), (4, "2024-03")],
)
def test_quarter_end_2023_24(quarter: int, end: str) -> None:
    # Q4 of 2023-24 is January to March 2024: the following calendar year.
    assert FinancialYear(2023).quarter_end(quarter) == month(end)


@pytest.mark.parametrize(
    ("text", "start"),
    [("2024-04", 2024), ("2025-03", 2024), ("2025-01", 2024), ("2024-12", 2024), ("2024-03", 2023)],
)
def test_financial_year_of(text: str, start: int) -> None:
    assert financial_year_of(month(text)) == FinancialYear(start)


# --- compared_periods --------------------------------------------------------------------------

# For 2025-26, each quarter: (period, first current month, last current month). The previous
# window is always the same months one year (12 months) earlier.
EXPECTED_2025_26 = {
    1: {
        "quarter": ("2025-04", "2025-06"),
        "year_to_date": ("2025-04", "2025-06"),
        "rolling_12_months": ("2024-07", "2025-06"),
    },
    2: {
        "quarter": ("2025-07", "2025-09"),
        "year_to_date": ("2025-04", "2025-09"),
        "rolling_12_months": ("2024-10", "2025-09"),
    },
    3: {
        "quarter": ("2025-10", "2025-12"),
        "year_to_date": ("2025-04", "2025-12"),
        "rolling_12_months": ("2025-01", "2025-12"),
    },
    4: {
        "quarter": ("2026-01", "2026-03"),
        "year_to_date": ("2025-04", "2026-03"),
        "rolling_12_months": ("2025-04", "2026-03"),
    },
}
PREVIOUS_2025_26 = {
    1: {
        "quarter": ("2024-04", "2024-06"),
        "year_to_date": ("2024-04", "2024-06"),
        "rolling_12_months": ("2023-07", "2024-06"),
    },
    2: {
        "quarter": ("2024-07", "2024-09"),
        "year_to_date": ("2024-04", "2024-09"),
        "rolling_12_months": ("2023-10", "2024-09"),
    },
    3: {
        "quarter": ("2024-10", "2024-12"),
        "year_to_date": ("2024-04", "2024-12"),
        "rolling_12_months": ("2024-01", "2024-12"),
    },
    4: {
        "quarter": ("2025-01", "2025-03"),
        "year_to_date": ("2024-04", "2025-03"),
        "rolling_12_months": ("2024-04", "2025-03"),
    },
}


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_compared_periods_2025_26(quarter: int) -> None:
    periods = compared_periods(FinancialYear(2025), quarter)
    assert list(periods) == ["quarter", "year_to_date", "rolling_12_months"]
    for name, (first, last) in EXPECTED_2025_26[quarter].items():
        period = periods[name]
        assert period.name == name
        assert (period.first, period.last) == (month(first), month(last))
        assert period.current == months(first, last)
        assert period.previous == months(*PREVIOUS_2025_26[quarter][name])


@pytest.mark.parametrize(
    ("quarter", "lengths"),
    [(1, (3, 3, 12)), (2, (3, 6, 12)), (3, (3, 9, 12)), (4, (3, 12, 12))],
)
def test_compared_period_lengths(quarter: int, lengths: tuple[int, int, int]) -> None:
    periods = compared_periods(FinancialYear(2025), quarter).values()
    assert tuple(len(p.current) for p in periods) == lengths
    assert tuple(len(p.previous) for p in periods) == lengths


def test_q4_year_to_date_is_rolling_12_months() -> None:
    periods = compared_periods(FinancialYear(2025), 4)
    assert periods["year_to_date"].current == periods["rolling_12_months"].current
    assert periods["year_to_date"].current == months("2025-04", "2026-03")


def test_period_labels() -> None:
    periods = compared_periods(FinancialYear(2025), 2)
    assert [p.label for p in periods.values()] == ["Quarter", "Year to date", "Rolling 12 months"]


@pytest.mark.parametrize(
    ("quarter", "name", "current", "previous"),
    [
        (2, "quarter", "July to September 2025", "July to September 2024"),
        (2, "year_to_date", "April to September 2025", "April to September 2024"),
        (
            2,
            "rolling_12_months",
            "October 2024 to September 2025",
            "October 2023 to September 2024",
        ),
        (1, "quarter", "April to June 2025", "April to June 2024"),
        (3, "rolling_12_months", "January to December 2025", "January to December 2024"),
        (4, "quarter", "January to March 2026", "January to March 2025"),
        (4, "year_to_date", "April 2025 to March 2026", "April 2024 to March 2025"),
        (4, "rolling_12_months", "April 2025 to March 2026", "April 2024 to March 2025"),
    ],
)
def test_spans_in_words(quarter: int, name: str, current: str, previous: str) -> None:
    period = compared_periods(FinancialYear(2025), quarter)[name]
    assert period.current_span == current
    assert period.previous_span == previous


# --- required_months ---------------------------------------------------------------------------


def test_required_months_2025_26_q2() -> None:
    # Rolling 12 months Oct 2024-Sep 2025 and its year before Oct 2023-Sep 2024: 24 months in all,
    # which also cover the quarter and year to date and their previous years.
    needed = required_months(FinancialYear(2025), 2)
    assert needed == months("2023-10", "2025-09")
    assert len(needed) == 24


def test_required_months_2023_24_q4() -> None:
    needed = required_months(FinancialYear(2023), 4)
    assert needed[0] == month("2022-04")
    assert needed[-1] == month("2024-03")
    assert len(needed) == 24


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_required_months_cover_every_compared_month(quarter: int) -> None:
    year = FinancialYear(2025)
    needed = set(required_months(year, quarter))
    for period in compared_periods(year, quarter).values():
        assert set(period.current) <= needed
        assert set(period.previous) <= needed


# --- latest_covered_year -----------------------------------------------------------------------

FOUR_YEARS = set(months("2022-04", "2026-03"))  # April 2022 to March 2026


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_latest_covered_year_full_data(quarter: int) -> None:
    # 2025-26 Q4 needs Apr 2024-Mar 2026, the widest of the four; all are present.
    assert latest_covered_year(quarter, FOUR_YEARS) == FinancialYear(2025)


def test_latest_covered_year_quarter_not_yet_published() -> None:
    # Data to September 2025 only. Q2 2025-26 needs Oct 2023-Sep 2025: covered.
    # Q4 2025-26 needs up to March 2026: not covered; Q4 2024-25 needs Apr 2023-Mar 2025: covered.
    available = set(months("2022-04", "2025-09"))
    assert latest_covered_year(2, available) == FinancialYear(2025)
    assert latest_covered_year(4, available) == FinancialYear(2024)
    # Q3 2025-26 needs up to December 2025; Q3 2024-25 needs Jan 2023-Dec 2024.
    assert latest_covered_year(3, available) == FinancialYear(2024)


def test_latest_covered_year_gap_pushes_back_a_year() -> None:
    # January 2025 is missing: Q2 2025-26 needs Oct 2023-Sep 2025, which includes it;
    # Q2 2024-25 needs Oct 2022-Sep 2024, which does not.
    available = FOUR_YEARS - {month("2025-01")}
    assert latest_covered_year(2, available) == FinancialYear(2024)


def test_latest_covered_year_gap_in_every_window() -> None:
    # January 2024 is in Q2 2025-26's window (Oct 2023-Sep 2025) and Q2 2024-25's
    # (Oct 2022-Sep 2024); Q2 2023-24 needs Oct 2021 onwards, before the data starts.
    available = FOUR_YEARS - {month("2024-01")}
    assert latest_covered_year(2, available) is None


def test_latest_covered_year_too_few_months() -> None:
    # 23 months, October 2023 to August 2025: no quarter has its 24.
    assert latest_covered_year(2, set(months("2023-10", "2025-08"))) is None


def test_latest_covered_year_exactly_24_months() -> None:
    assert latest_covered_year(2, set(months("2023-10", "2025-09"))) == FinancialYear(2025)


def test_latest_covered_year_empty() -> None:
    assert latest_covered_year(2, set()) is None


def test_a_month_unavailable_this_year_or_last_is_left_out_of_both_years():
    from pipeline.periods import compared_periods

    unavailable = frozenset({pd.Period("2022-11", freq="M"), pd.Period("2022-12", freq="M")})
    # 2023-24 Q2 (July to September 2023): the rolling 12 months run October 2022 to
    # September 2023; November and December 2022 are unavailable, so November and December
    # 2021 go too: 10 months a year.
    rolling = compared_periods(parse_financial_year("2023-24"), 2, unavailable)["rolling_12_months"]
    assert [str(month) for month in rolling.current] == [
        "2022-10", "2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06",
        "2023-07", "2023-08", "2023-09",
    ]  # fmt: skip
    assert [str(month) for month in rolling.previous][:2] == ["2021-10", "2022-01"]
    assert [str(m) for m in rolling.months_left_out] == ["2021-11", "2021-12", "2022-11", "2022-12"]
    note = "10 months compared: November and December left out of both years"
    assert rolling.coverage_note == note
    assert rolling.current_span == f"October 2022 to September 2023 ({note})"
    assert rolling.bracketed_span == f"October 2022 to September 2023; {note}"
    assert rolling.previous_span == "October 2021 to September 2022"


def test_a_month_unavailable_only_last_year_leaves_out_this_years_too():
    from pipeline.periods import compared_periods

    unavailable = frozenset({pd.Period("2024-08", freq="M")})
    quarter = compared_periods(parse_financial_year("2025-26"), 2, unavailable)["quarter"]
    assert [str(month) for month in quarter.current] == ["2025-07", "2025-09"]
    assert [str(month) for month in quarter.previous] == ["2024-07", "2024-09"]
    assert quarter.coverage_note == "2 months compared: August left out of both years"


def test_a_period_with_nothing_unavailable_says_nothing_more():
    from pipeline.periods import compared_periods

    quarter = compared_periods(parse_financial_year("2025-26"), 2)["quarter"]
    assert quarter.current_span == "July to September 2025"
    assert quarter.coverage_note == ""
    assert quarter.months_left_out == []
