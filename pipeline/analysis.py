"""Analysis: every table a quarter's report needs, from its processed records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import metrics
from pipeline.ingest import ProcessedQuarter
from pipeline.periods import (
    PERIOD_NAMES,
    ComparedPeriod,
    FinancialYear,
    compared_periods,
    required_months,
)

TABLES_FOLDER = "tables"


@dataclass(frozen=True)
class QuarterAnalysis:
    """A quarter's comparisons, trends, crime mix and top areas."""

    year: FinancialYear
    quarter: int
    periods: dict[str, ComparedPeriod]
    performance: dict[str, pd.DataFrame]
    monthly_crime: pd.DataFrame
    monthly_asb: pd.DataFrame
    mix: pd.DataFrame
    top_crime_areas: pd.DataFrame
    top_asb_areas: pd.DataFrame
    no_location: metrics.NoLocationCounts

    @property
    def quarter_period(self) -> ComparedPeriod:
        """The quarter itself."""
        return self.periods["quarter"]


def analyse(processed: ProcessedQuarter, year: FinancialYear, quarter: int) -> QuarterAnalysis:
    """Compute every table of the quarter from its processed records."""
    periods = compared_periods(year, quarter)
    records = processed.records
    months = required_months(year, quarter)
    this_quarter = periods["quarter"]
    return QuarterAnalysis(
        year=year,
        quarter=quarter,
        periods=periods,
        performance={
            name: metrics.performance_table(metrics.period_counts(records, periods[name]))
            for name in PERIOD_NAMES
        },
        monthly_crime=metrics.monthly_counts(records, months, asb=False),
        monthly_asb=metrics.monthly_counts(records, months, asb=True),
        mix=metrics.crime_mix(records, this_quarter.current),
        top_crime_areas=metrics.top_areas(records, this_quarter, asb=False),
        top_asb_areas=metrics.top_areas(records, this_quarter, asb=True),
        no_location=metrics.no_location_counts(processed.no_location, this_quarter.current),
    )


def write_tables(analysis: QuarterAnalysis, output_folder: Path) -> list[Path]:
    """Write the contract's CSV tables (numbers plain, undefined left empty)."""
    folder = output_folder / TABLES_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in analysis.performance.items():
        path = folder / f"performance_{name}.csv"
        table.to_csv(path, index=False, na_rep="", lineterminator="\n")
        written.append(path)
    return written
