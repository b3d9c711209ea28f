"""Financial years, quarters and the three periods a quarterly report compares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from pipeline.financial_year import FinancialYear as FinancialYear
from pipeline.financial_year import parse_financial_year as parse_financial_year
from pipeline.financial_year import parse_quarter as parse_quarter

PERIOD_NAMES = ("quarter", "year_to_date", "rolling_12_months")
PERIOD_LABELS = {
    "quarter": "Quarter",
    "year_to_date": "Year to date",
    "rolling_12_months": "Rolling 12 months",
}

QUARTER_MONTHS = {1: "Apr-Jun", 2: "Jul-Sep", 3: "Oct-Dec", 4: "Jan-Mar"}


def financial_year_of(month: pd.Period) -> FinancialYear:
    """The financial year a month falls in."""
    return FinancialYear(month.year if month.month >= 4 else month.year - 1)


def month_range(first: pd.Period, last: pd.Period) -> list[pd.Period]:
    """Every month from first to last inclusive."""
    return list(pd.period_range(first, last, freq="M"))


@dataclass(frozen=True)
class ComparedPeriod:
    """One compared period: its current months and the same months a year before.

    Like for like: a month in `left_out` (current year) is left out of both years, because it or
    the same month a year before has no usable data (accepted as missing or short).
    """

    name: str
    first: pd.Period
    last: pd.Period
    left_out: tuple[pd.Period, ...] = ()

    @property
    def label(self) -> str:
        """Heading for the period, e.g. `Year to date`."""
        return PERIOD_LABELS[self.name]

    @property
    def current(self) -> list[pd.Period]:
        """Months of the current period that are compared."""
        return [month for month in month_range(self.first, self.last) if month not in self.left_out]

    @property
    def previous(self) -> list[pd.Period]:
        """The same months one year before."""
        return [month - 12 for month in self.current]

    @property
    def months_left_out(self) -> list[pd.Period]:
        """Every month left out, in both years, in order."""
        return sorted([month - 12 for month in self.left_out] + list(self.left_out))

    @property
    def coverage_note(self) -> str:
        """`10 months compared: November and December left out of both years`, or empty."""
        return left_out_note(self.left_out, len(self.current))

    @property
    def current_span(self) -> str:
        """Current months in words, e.g. `July to September 2025`, with any months left out."""
        span = month_span(self.first, self.last)
        return f"{span} ({self.coverage_note})" if self.left_out else span

    @property
    def bracketed_span(self) -> str:
        """The current span for inside brackets: `July to September 2025; 2 months compared: …`."""
        span = month_span(self.first, self.last)
        return f"{span}; {self.coverage_note}" if self.left_out else span

    @property
    def previous_span(self) -> str:
        """Previous months in words, e.g. `July to September 2024`."""
        return month_span(self.first - 12, self.last - 12)

    def leaving_out(self, unavailable: set[pd.Period] | frozenset[pd.Period]) -> ComparedPeriod:
        """The period with every month left out whose data, this year or last, is unavailable."""
        left_out = tuple(
            month
            for month in month_range(self.first, self.last)
            if month in unavailable or month - 12 in unavailable
        )
        return replace(self, left_out=left_out)


def left_out_note(left_out: Sequence[pd.Period], compared: int) -> str:
    """`10 months compared: November and December left out of both years`, or empty."""
    if not left_out:
        return ""
    names = join_month_names([month.strftime("%B") for month in sorted(left_out)])
    noun = "month" if compared == 1 else "months"
    return f"{compared} {noun} compared: {names} left out of both years"


def join_month_names(names: list[str]) -> str:
    """`November`, `November and December`, `May, June and July`."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def month_span(first: pd.Period, last: pd.Period) -> str:
    """Two months as words: `July to September 2025` or `October 2024 to September 2025`."""
    if first.year == last.year:
        return f"{first.strftime('%B')} to {last.strftime('%B %Y')}"
    return f"{first.strftime('%B %Y')} to {last.strftime('%B %Y')}"


def compared_periods(
    year: FinancialYear, quarter: int, unavailable: frozenset[pd.Period] = frozenset()
) -> dict[str, ComparedPeriod]:
    """The quarter, year to date and rolling 12 months of a financial year's quarter.

    Months in `unavailable` (accepted as missing or short) are left out of both years.
    """
    end = year.quarter_end(quarter)
    periods = {
        "quarter": ComparedPeriod("quarter", end - 2, end),
        "year_to_date": ComparedPeriod(
            "year_to_date", pd.Period(year=year.start_year, month=4, freq="M"), end
        ),
        "rolling_12_months": ComparedPeriod("rolling_12_months", end - 11, end),
    }
    return {name: period.leaving_out(unavailable) for name, period in periods.items()}


def required_months(year: FinancialYear, quarter: int) -> list[pd.Period]:
    """Every month any compared period (current or previous) needs: the 24 ending at the quarter."""
    end = year.quarter_end(quarter)
    return month_range(end - 23, end)


CHART_MONTHS = 36  # a control chart's months, ending with the quarter, when the data has them


def chart_months(year: FinancialYear, quarter: int) -> list[pd.Period]:
    """The months a control chart shows: the 36 ending at the quarter (the 12 before the
    required 24 are read where the data has them)."""
    end = year.quarter_end(quarter)
    return month_range(end - (CHART_MONTHS - 1), end)


def latest_covered_year(quarter: int, months: set[pd.Period]) -> FinancialYear | None:
    """The latest financial year whose quarter has every required month in `months`."""
    if not months:
        return None
    candidate = financial_year_of(max(months))
    earliest = financial_year_of(min(months))
    while candidate.start_year >= earliest.start_year:
        if set(required_months(candidate, quarter)) <= months:
            return candidate
        candidate = FinancialYear(candidate.start_year - 1)
    return None
