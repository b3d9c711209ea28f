"""Home Office performance figures from a force extract: offences, solved outcomes, % DA."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline import metrics
from pipeline.periods import ComparedPeriod
from pipeline.taxonomy import NO_RISK_ASSESSMENT, PerformanceRow, home_office


def with_months(crimes: pd.DataFrame, positive_outcomes: tuple[str, ...]) -> pd.DataFrame:
    """Crimes with their recorded and outcome months, and whether the outcome counts as solved."""
    return crimes.assign(
        recorded_month=crimes["recorded_date"].dt.to_period("M"),
        outcome_month=crimes["outcome_date"].dt.to_period("M"),
        solved_outcome=crimes["outcome_type"].isin(positive_outcomes).fillna(False).astype(bool),
    )


def row_mask(crimes: pd.DataFrame, row: PerformanceRow) -> pd.Series:
    """The crimes a performance row counts."""
    if row.flag is None:
        return crimes["offence_subgroup"].isin(row.subgroups)
    flagged = crimes[row.flag].astype(bool)
    if row.da_risk == NO_RISK_ASSESSMENT:
        return flagged & crimes["da_risk"].isna()
    if row.da_risk is not None:
        return flagged & (crimes["da_risk"] == row.da_risk).fillna(False)
    return flagged


def table_rows() -> list[metrics.TableRow]:
    """The Home Office performance rows in the table builder's terms."""
    return [
        metrics.TableRow(row.section, row.level, row.name, row.has_solved, row.has_pct_da)
        for row in home_office().rows
    ]


def row_masks(crimes: pd.DataFrame) -> dict[str, np.ndarray]:
    """Which crimes each crime row of the performance table counts, worked out once."""
    return {
        row.name: row_mask(crimes, row).to_numpy(dtype=bool)
        for row in home_office().rows
        if row.kind != "asb"
    }


def window_counts(
    crimes: pd.DataFrame,
    asb_months: pd.Series,
    months: list[pd.Period],
    masks: dict[str, np.ndarray],
    asb_window: list[pd.Period] | None = None,
) -> pd.DataFrame:
    """Offences, solved outcomes and domestic abuse offences of every row in the months.

    ASB incidents count in asb_window (default: the same months), as their source may lack
    months the crimes have.
    """
    recorded = crimes["recorded_month"].isin(months).to_numpy(dtype=bool)
    solved = crimes["solved_outcome"].to_numpy(dtype=bool) & crimes["outcome_month"].isin(
        months
    ).to_numpy(dtype=bool)
    domestic = recorded & crimes["domestic_abuse"].astype(bool).to_numpy(dtype=bool)
    asb_incidents = int(asb_months.isin(months if asb_window is None else asb_window).sum())
    records = []
    for row in home_office().rows:
        if row.kind == "asb":
            records.append((row.name, asb_incidents, 0, 0))
            continue
        mask = masks[row.name]
        records.append(
            (
                row.name,
                int(np.count_nonzero(mask & recorded)),
                int(np.count_nonzero(mask & solved)),
                int(np.count_nonzero(mask & domestic)),
            )
        )
    return pd.DataFrame(records, columns=["crime_type", "offences", "solved", "da_offences"])


def period_counts(
    crimes: pd.DataFrame,
    asb_months: pd.Series,
    period: ComparedPeriod,
    asb_period: ComparedPeriod | None = None,
    masks: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Tidy counts for one compared period: row x window (previous, current)."""
    asb = asb_period or period
    masks = row_masks(crimes) if masks is None else masks
    windows = {
        "previous": (period.previous, asb.previous),
        "current": (period.current, asb.current),
    }
    return pd.concat(
        [
            window_counts(crimes, asb_months, months, masks, asb_window).assign(window=window)
            for window, (months, asb_window) in windows.items()
        ],
        ignore_index=True,
    )


def home_office_table(
    crimes: pd.DataFrame,
    asb_months: pd.Series,
    period: ComparedPeriod,
    asb_period: ComparedPeriod | None = None,
    masks: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """The Home Office performance table for one period, in the output contract's columns
    (masks: `row_masks(crimes)`, when several periods' tables are made from the same crimes)."""
    counts = period_counts(crimes, asb_months, period, asb_period, masks)
    return metrics.comparison_table(counts, table_rows())


def crime_events(crimes: pd.DataFrame) -> pd.DataFrame:
    """Extract crimes as events: recorded month, offence group, ward."""
    return pd.DataFrame(
        {
            "month": crimes["recorded_date"].dt.to_period("M"),
            "is_asb": False,
            "category": crimes["offence_group"].astype("string"),
            "area": crimes["ward"].astype("string"),
        }
    )


def asb_events(asb: pd.DataFrame) -> pd.DataFrame:
    """Extract ASB incidents as events: month, ASB category, ward."""
    return pd.DataFrame(
        {
            "month": asb["date"].dt.to_period("M"),
            "is_asb": True,
            "category": asb["asb_category"].astype("string"),
            "area": asb["ward"].astype("string"),
        }
    )


def offence_groups() -> tuple[str, ...]:
    """The nine offence groups, in hierarchy order."""
    return tuple(home_office().groups)
