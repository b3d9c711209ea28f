"""Grant arithmetic to the penny, from small hand-made returns."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pandas as pd

from pipeline.grant import grant_position, spend_to_date


def returns() -> pd.DataFrame:
    """Two projects over three quarters of 2025-26, and one row of another year."""
    rows = [
        ("2025-26", 1, "CCTV", Decimal("6850.00")),
        ("2025-26", 2, "CCTV", Decimal("7125.00")),
        ("2025-26", 3, "CCTV", Decimal("7420.00")),
        ("2025-26", 1, "Campaigns", Decimal("1240.00")),
        ("2025-26", 2, "Campaigns", None),  # nothing reported this quarter: Q1's total stands
        ("2024-25", 4, "Campaigns", Decimal("9999.99")),
    ]
    return pd.DataFrame(rows, columns=["financial_year", "quarter", "project", "cost_to_date"])


def test_spend_to_date_adds_each_projects_latest_running_total():
    # Q2: CCTV's £7,125.00 + Campaigns' £1,240.00 (from Q1) = £8,365.00.
    assert spend_to_date(returns(), "2025-26", 2) == Decimal("8365.00")
    # Q1: £6,850.00 + £1,240.00 = £8,090.00; Q3 takes CCTV's £7,420.00: £8,660.00.
    assert spend_to_date(returns(), "2025-26", 1) == Decimal("8090.00")
    assert spend_to_date(returns(), "2025-26", 3) == Decimal("8660.00")


def test_a_year_with_no_returns_has_spent_nothing():
    assert spend_to_date(returns(), "2026-27", 2) == Decimal("0.00")


def test_grant_position_balance_and_shares():
    position = grant_position({"2025-26": Decimal("36250.00")}, returns(), "2025-26", 2)
    assert position.spent == Decimal("8365.00")
    assert position.balance == Decimal("27885.00")  # 36,250.00 - 8,365.00
    # 8,365.00 / 36,250.00 x 100 = 836,500 / 36,250 = 23.0758...%, kept exact.
    assert position.share_spent == Fraction(836500, 36250)
    assert position.share_of_year == 50  # two quarters of four


def test_no_allocation_for_the_year_gives_no_position():
    assert grant_position({"2024-25": Decimal("1.00")}, returns(), "2025-26", 2) is None
