"""Analysis: every table a quarter's report needs, from its processed records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import force_metrics, metrics
from pipeline.config import Config
from pipeline.ingest import ProcessedQuarter
from pipeline.opcc_return import tracker_tables
from pipeline.periods import (
    PERIOD_NAMES,
    ComparedPeriod,
    FinancialYear,
    compared_periods,
    required_months,
)
from pipeline.sources.tracker import Tracker
from pipeline.tables import ReportTable, write_csv, write_workbook
from pipeline.taxonomy import police_uk

TABLES_FOLDER = "tables"
FORCE_EXTRACT = "force_extract"
POLICE_UK = "police_uk"


@dataclass(frozen=True)
class QuarterAnalysis:
    """A quarter's comparisons, trends, crime mix and top areas."""

    year: FinancialYear
    quarter: int
    periods: dict[str, ComparedPeriod]
    source: str
    performance: dict[str, pd.DataFrame]
    monthly_crime: pd.DataFrame
    monthly_asb: pd.DataFrame
    mix: pd.DataFrame
    top_crime_areas: pd.DataFrame
    top_asb_areas: pd.DataFrame
    crime_area_kind: str
    asb_area_kind: str
    no_location: metrics.NoLocationCounts | None

    @property
    def quarter_period(self) -> ComparedPeriod:
        """The quarter itself."""
        return self.periods["quarter"]

    @property
    def uses_force_extract(self) -> bool:
        """Whether the crime figures come from a force extract (Home Office rows)."""
        return self.source == FORCE_EXTRACT


@dataclass(frozen=True)
class Events:
    """Crimes and ASB incidents as events (month, is_asb, category, area), with area kinds."""

    table: pd.DataFrame
    crime_area_kind: str
    asb_area_kind: str
    categories: tuple[str, ...]


def force_events(processed: ProcessedQuarter) -> Events:
    """Extract crimes, with ASB from the extract or else from police.uk."""
    crimes = force_metrics.crime_events(processed.force_crimes)
    if processed.force_asb is not None:
        asb, asb_kind = force_metrics.asb_events(processed.force_asb), "ward"
    else:
        police = metrics.police_uk_events(processed.records)
        asb, asb_kind = police[police["is_asb"]], "LSOA"
    table = pd.concat([crimes, asb], ignore_index=True)
    return Events(table, "ward", asb_kind, force_metrics.offence_groups())


def police_uk_events(processed: ProcessedQuarter) -> Events:
    """police.uk rows of the district."""
    return Events(
        metrics.police_uk_events(processed.records),
        "LSOA",
        "LSOA",
        police_uk().crime_types_excluding_asb,
    )


def performance_tables(
    processed: ProcessedQuarter,
    events: Events,
    periods: dict[str, ComparedPeriod],
    positive_outcomes: tuple[str, ...],
) -> dict[str, pd.DataFrame]:
    """The performance table of every compared period, from the richest source available."""
    if processed.force_crimes is None:
        records = processed.records
        return {
            name: metrics.performance_table(metrics.period_counts(records, periods[name]))
            for name in PERIOD_NAMES
        }
    crimes = force_metrics.with_months(processed.force_crimes, positive_outcomes)
    asb_months = events.table.loc[events.table["is_asb"], "month"]
    return {
        name: force_metrics.performance_table(crimes, asb_months, periods[name])
        for name in PERIOD_NAMES
    }


def analyse(
    processed: ProcessedQuarter,
    year: FinancialYear,
    quarter: int,
    positive_outcomes: tuple[str, ...],
) -> QuarterAnalysis:
    """Compute every table of the quarter from its processed records."""
    periods = compared_periods(year, quarter)
    months = required_months(year, quarter)
    this_quarter = periods["quarter"]
    force = processed.force_crimes is not None
    events = force_events(processed) if force else police_uk_events(processed)
    return QuarterAnalysis(
        year=year,
        quarter=quarter,
        periods=periods,
        source=FORCE_EXTRACT if force else POLICE_UK,
        performance=performance_tables(processed, events, periods, positive_outcomes),
        monthly_crime=metrics.event_monthly_counts(events.table, months, asb=False),
        monthly_asb=metrics.event_monthly_counts(events.table, months, asb=True),
        mix=metrics.event_mix(events.table, this_quarter.current, events.categories),
        top_crime_areas=metrics.event_top_areas(events.table, this_quarter, asb=False),
        top_asb_areas=metrics.event_top_areas(events.table, this_quarter, asb=True),
        crime_area_kind=events.crime_area_kind,
        asb_area_kind=events.asb_area_kind,
        no_location=None
        if force
        else metrics.no_location_counts(processed.no_location, this_quarter.current),
    )


def report_tables(analysis: QuarterAnalysis) -> list[ReportTable]:
    """The report's tables in tidy form, each with a short name and a caption."""
    quarter = analysis.quarter_period
    performance = [
        ReportTable(
            f"performance_{name}",
            f"Performance table, {period.label.lower()}: {period.current_span} against "
            f"{period.previous_span}",
            analysis.performance[name],
        )
        for name, period in analysis.periods.items()
    ]
    return performance + [
        ReportTable("crime_mix", f"Offences by category, {quarter.current_span}", analysis.mix),
        ReportTable(
            "top_crime_areas",
            f"Areas with the most crime, {quarter.current_span} and a year before",
            analysis.top_crime_areas,
        ),
        ReportTable(
            "top_asb_areas",
            f"Areas with the most anti-social behaviour, {quarter.current_span} and a year before",
            analysis.top_asb_areas,
        ),
        ReportTable("monthly_crime", "Offences by month, 24 months", analysis.monthly_crime),
        ReportTable(
            "monthly_asb",
            "Anti-social behaviour incidents by month, 24 months",
            analysis.monthly_asb,
        ),
    ]


def write_tables(
    analysis: QuarterAnalysis,
    output_folder: Path,
    config: Config | None = None,
    tracker: Tracker | None = None,
) -> list[Path]:
    """Write every report table as CSV in `tables/` and, given the config, all in one workbook.

    With a tracker, the quarter's return to the OPCC and the grant spend are among them.
    """
    folder = output_folder / TABLES_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    tables = report_tables(analysis) + tracker_tables(tracker, analysis.year, analysis.quarter)
    written = [write_csv(table.frame, folder / f"{table.name}.csv") for table in tables]
    if config is not None:
        stem = config.stem(analysis.year.name, analysis.quarter)
        title = (
            f"{config.district}: crime and anti-social behaviour tables, quarter "
            f"{analysis.quarter} {analysis.year.label}"
        )
        written.append(write_workbook(tables, output_folder / f"{stem}-tables.xlsx", title))
    return written
