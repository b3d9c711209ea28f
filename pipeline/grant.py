"""The PCC grant from the tracker: spend to date, what is left, and the share spent."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from pipeline.numbers import percent


@dataclass(frozen=True)
class GrantPosition:
    """A year's grant at the end of a quarter: allocation, spend to date, balance, shares."""

    allocation: Decimal
    spent: Decimal
    quarter: int

    @property
    def balance(self) -> Decimal:
        """What is left of the allocation (negative when overspent)."""
        return self.allocation - self.spent

    @property
    def share_spent(self) -> Fraction | None:
        """Spend to date as an exact percentage of the allocation."""
        return percent_of(self.spent, self.allocation)

    @property
    def share_of_year(self) -> Fraction:
        """How much of the financial year has gone by the quarter's end, as a percentage."""
        return Fraction(self.quarter * 100, 4)


def percent_of(part: Decimal, whole: Decimal) -> Fraction | None:
    """`part / whole x 100` exactly, for money; None when whole is zero."""
    pence_part, pence_whole = int(part * 100), int(whole * 100)
    return percent(pence_part, pence_whole)


def spend_to_date(returns: pd.DataFrame, financial_year: str, quarter: int) -> Decimal:
    """Each project's latest cost to date in the year, up to the quarter, added up."""
    year = returns[(returns["financial_year"] == financial_year) & (returns["quarter"] <= quarter)]
    latest = (
        year.dropna(subset=["cost_to_date"])
        .sort_values("quarter")
        .groupby("project", sort=False)["cost_to_date"]
        .last()
    )
    return sum(latest, Decimal("0.00"))


def grant_position(
    allocation: dict[str, Decimal], returns: pd.DataFrame, financial_year: str, quarter: int
) -> GrantPosition | None:
    """The year's grant position at the quarter's end, or None with no allocation that year."""
    if financial_year not in allocation:
        return None
    spent = spend_to_date(returns, financial_year, quarter)
    return GrantPosition(allocation[financial_year], spent, quarter)
