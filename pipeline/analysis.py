"""Analysis: every table a quarter's report needs, from its processed records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import force_metrics, metrics
from pipeline.benchmark import Benchmark
from pipeline.change_tests import change_tests, change_tests_table
from pipeline.config import Config
from pipeline.control_charts import CONTROL_CHART_COLUMNS, control_chart
from pipeline.ingest import (
    FORCE_ASB,
    FORCE_CRIMES,
    POLICE_UK,
    POLICE_UK_ASB,
    POLICE_UK_CRIMES,
    IngestSummary,
    ProcessedQuarter,
)
from pipeline.local_detail import LocalDetail, local_detail
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
# The control charts of the report's monthly trends (each crime category has one too).
ALL_CRIME_SERIES, ASB_SERIES = "All crime", "Anti-social behaviour"


@dataclass(frozen=True)
class QuarterAnalysis:
    """A quarter's comparisons, trends, crime mix and top areas."""

    year: FinancialYear
    quarter: int
    periods: dict[str, ComparedPeriod]
    asb_periods: dict[str, ComparedPeriod]
    coverage: pd.DataFrame
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
    change_tests: pd.DataFrame  # whether each period's changes are more than chance
    control_charts: pd.DataFrame  # each series' monthly XmR chart and its signals
    benchmark: Benchmark | None = None  # against the force, England and Wales and peers (ONS)
    local: LocalDetail | None = None  # by beat and location type: a force extract's only

    @property
    def quarter_period(self) -> ComparedPeriod:
        """The quarter itself."""
        return self.periods["quarter"]

    @property
    def reported_periods(self) -> dict[str, ComparedPeriod]:
        """The periods the paper reports: all three, but the year to date not where it is the
        quarter itself (quarter 1) or the rolling 12 months (quarter 4), so that nothing is said
        twice."""
        return {
            name: period
            for name, period in self.periods.items()
            if name != "year_to_date" or self.year_to_date_is is None
        }

    @property
    def year_to_date_is(self) -> str | None:
        """The other period the year to date is, month for month (`quarter` in quarter 1,
        `rolling_12_months` in quarter 4), or None."""
        year_to_date = self.periods["year_to_date"].current
        for name in ("quarter", "rolling_12_months"):
            if self.periods[name].current == year_to_date:
                return name
        return None

    @property
    def has_monthly_control_charts(self) -> bool:
        """Whether all crime and ASB both have control charts (months enough of usable data)."""
        return {ALL_CRIME_SERIES, ASB_SERIES} <= set(self.control_charts["series"])

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
    sources: Sources,
    positive_outcomes: tuple[str, ...],
) -> dict[str, pd.DataFrame]:
    """The performance table of every compared period, from the richest source available.

    Crime rows compare the crime source's months, the ASB row the ASB source's (like for like).
    """
    if processed.force_crimes is None:
        records = processed.records
        return {
            name: metrics.comparison_table(
                metrics.period_counts(records, sources.crime[name], sources.asb[name])
            )
            for name in PERIOD_NAMES
        }
    crimes = force_metrics.with_months(processed.force_crimes, positive_outcomes)
    asb_months = events.table.loc[events.table["is_asb"], "month"]
    masks = force_metrics.row_masks(crimes)
    return {
        name: force_metrics.home_office_table(
            crimes, asb_months, sources.crime[name], sources.asb[name], masks
        )
        for name in PERIOD_NAMES
    }


@dataclass(frozen=True)
class Sources:
    """Which source the crime and ASB figures come from, and each one's compared periods."""

    crime_source: str
    asb_source: str
    crime: dict[str, ComparedPeriod]
    asb: dict[str, ComparedPeriod]
    unavailable: dict[str, frozenset[pd.Period]]


def figure_sources(summary: IngestSummary, year: FinancialYear, quarter: int) -> Sources:
    """The crime and ASB sources of a quarter, with months left out where data is unavailable."""
    sources = summary.sources
    crime_source = FORCE_CRIMES if FORCE_EXTRACT in sources else POLICE_UK_CRIMES
    asb_source = POLICE_UK_ASB if POLICE_UK in sources else FORCE_ASB
    unavailable = {
        name: frozenset(pd.Period(month, freq="M") for month in months)
        for name, months in summary.unavailable_months.items()
    }
    return Sources(
        crime_source,
        asb_source,
        compared_periods(year, quarter, unavailable.get(crime_source, frozenset())),
        compared_periods(year, quarter, unavailable.get(asb_source, frozenset())),
        unavailable,
    )


COVERAGE_COLUMNS = ["period", "source", "months_compared", "months_left_out"]


def period_coverage(sources: Sources) -> pd.DataFrame:
    """For each compared period and source: the months compared and those left out of both years."""
    kinds = [(sources.crime_source, sources.crime), (sources.asb_source, sources.asb)]
    rows = [
        {
            "period": name,
            "source": source_name,
            "months_compared": len(periods[name].current),
            "months_left_out": ";".join(str(month) for month in periods[name].months_left_out),
        }
        for name in PERIOD_NAMES
        for source_name, periods in kinds
    ]
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS).astype(
        {"months_compared": "int64", "months_left_out": "string"}
    )


def with_gaps(monthly: pd.DataFrame, unavailable: frozenset[pd.Period]) -> pd.DataFrame:
    """Monthly counts with no count (a gap, never a zero) in months whose data is unavailable."""
    counts = monthly["count"].astype("Int64").mask(monthly["month"].isin(unavailable))
    return monthly.assign(count=counts)


def from_first_count(monthly: pd.DataFrame) -> pd.DataFrame:
    """Monthly counts from the first month with a count: months before a source's data starts
    are not shown, where a month missing later is a gap."""
    counted = monthly["count"].notna().to_numpy()
    return monthly.iloc[counted.argmax() if counted.any() else len(monthly) :]


def control_charts(
    events: Events,
    months: list[pd.Period],
    crime_gaps: frozenset[pd.Period],
    asb_gaps: frozenset[pd.Period],
) -> pd.DataFrame:
    """The control charts of all crime, ASB and each crime category (offence group, or police.uk
    crime type), over the months read for them (up to 36); a month whose data is unavailable
    is a gap."""
    crime = metrics.event_monthly_counts(events.table, months, asb=False)
    asb = metrics.event_monthly_counts(events.table, months, asb=True)
    by_category = metrics.event_monthly_counts_by_category(events.table, months, events.categories)
    series = [(ALL_CRIME_SERIES, crime, crime_gaps), (ASB_SERIES, asb, asb_gaps)] + [
        (name, counts[["month", "count"]], crime_gaps)
        for name, counts in by_category.groupby("category", sort=False)
    ]
    charts = [
        control_chart(name, from_first_count(with_gaps(monthly, gaps)))
        for name, monthly, gaps in series
    ]
    drawn = [chart for chart in charts if chart is not None]
    if not drawn:
        return pd.DataFrame(columns=CONTROL_CHART_COLUMNS)
    return pd.concat(drawn, ignore_index=True)


def chart_gaps(summary: IngestSummary, sources: Sources, source: str) -> frozenset[pd.Period]:
    """A source's months with no usable data among those the control charts show: those left out
    of the comparisons and the earlier, chart-only, ones."""
    earlier = summary.chart_months_unavailable.get(source, [])
    return sources.unavailable.get(source, frozenset()) | {
        pd.Period(month, freq="M") for month in earlier
    }


def analyse(
    processed: ProcessedQuarter,
    year: FinancialYear,
    quarter: int,
    positive_outcomes: tuple[str, ...],
) -> QuarterAnalysis:
    """Compute every table of the quarter from its processed records."""
    sources = figure_sources(processed.summary, year, quarter)
    periods = sources.crime
    months = required_months(year, quarter)
    this_quarter = periods["quarter"]
    force = processed.force_crimes is not None
    events = force_events(processed) if force else police_uk_events(processed)
    none = frozenset()
    crime_unavailable = sources.unavailable.get(sources.crime_source, none)
    monthly_crime = with_gaps(
        metrics.event_monthly_counts(events.table, months, asb=False), crime_unavailable
    )
    monthly_asb = with_gaps(
        metrics.event_monthly_counts(events.table, months, asb=True),
        sources.unavailable.get(sources.asb_source, none),
    )
    performance = performance_tables(processed, events, sources, positive_outcomes)
    return QuarterAnalysis(
        year=year,
        quarter=quarter,
        periods=periods,
        asb_periods=sources.asb,
        coverage=period_coverage(sources),
        source=FORCE_EXTRACT if force else POLICE_UK,
        performance=performance,
        monthly_crime=monthly_crime,
        monthly_asb=monthly_asb,
        mix=metrics.event_mix(events.table, this_quarter.current, events.categories),
        top_crime_areas=metrics.event_top_areas(events.table, this_quarter, asb=False),
        top_asb_areas=metrics.event_top_areas(events.table, sources.asb["quarter"], asb=True),
        crime_area_kind=events.crime_area_kind,
        asb_area_kind=events.asb_area_kind,
        no_location=None
        if force
        else metrics.no_location_counts(processed.no_location, this_quarter.current),
        local=local_detail(
            processed.force_crimes, processed.force_asb, this_quarter, sources.asb["quarter"]
        )
        if force
        else None,
        change_tests=change_tests(performance),
        control_charts=control_charts(
            events,
            [pd.Period(month, freq="M") for month in processed.summary.chart_months],
            chart_gaps(processed.summary, sources, sources.crime_source),
            chart_gaps(processed.summary, sources, sources.asb_source),
        ),
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
        ReportTable(
            "change_tests",
            "Whether each change is more than chance: exact Poisson tests of offences and of "
            "solved outcomes, each period against the same months a year before",
            change_tests_table(analysis.change_tests),
        ),
        ReportTable(
            "control_charts",
            "Control charts of monthly counts (Making Data Count rules): each month's count, the "
            "mean, the process limits and any special-cause signal",
            analysis.control_charts,
        ),
        *(
            []
            if analysis.benchmark is None
            else [
                ReportTable(
                    "benchmark",
                    "Recorded crime per 1,000 people, year ending "
                    f"{analysis.benchmark.period} (ONS): the district, its force, England and "
                    "Wales and its peers, with 95% intervals (Byar's)",
                    analysis.benchmark.table,
                )
            ]
        ),
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
        *local_tables(analysis),
        ReportTable("monthly_crime", "Offences by month, 24 months", analysis.monthly_crime),
        ReportTable(
            "monthly_asb",
            "Anti-social behaviour incidents by month, 24 months",
            analysis.monthly_asb,
        ),
        ReportTable(
            "period_coverage",
            "Months compared in each period and source, and months left out of both years",
            analysis.coverage,
        ),
    ]


def local_tables(analysis: QuarterAnalysis) -> list[ReportTable]:
    """The force extract's tables by beat and location type, those it has data for."""
    local = analysis.local
    if local is None:
        return []
    crime, asb = analysis.quarter_period.current_span, analysis.asb_periods["quarter"].current_span
    tables = [
        ReportTable(
            "top_crime_beats",
            f"Police beats with the most crime, {crime} and a year before",
            local.crime_beats,
        ),
        ReportTable(
            "top_asb_beats",
            f"Police beats with the most anti-social behaviour, {asb} and a year before",
            local.asb_beats,
        ),
        ReportTable(
            "asb_location_types",
            f"Anti-social behaviour by location type, {asb} and a year before",
            local.asb_location_types,
        ),
        ReportTable(
            "top_domestic_abuse_beats",
            f"Police beats with the most domestic abuse crimes, {crime} and a year before",
            local.domestic_abuse_beats,
        ),
    ]
    return [table for table in tables if not table.frame.empty]


def write_tables(
    analysis: QuarterAnalysis,
    output_folder: Path,
    config: Config | None = None,
    tracker: Tracker | None = None,
    headings: dict[str, dict[str, str]] | None = None,
) -> list[Path]:
    """Write every report table as CSV in `tables/` and, given the config, all in one workbook
    (its columns in words where headings give them: `table_words.workbook_headings`).

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
        written.append(
            write_workbook(tables, output_folder / f"{stem}-tables.xlsx", title, headings)
        )
    return written
