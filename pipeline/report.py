"""The committee document: sections of HTML assembled from the analysis, text and charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from numbers import Integral, Real

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from pipeline import charts, narrative
from pipeline.analysis import QuarterAnalysis
from pipeline.config import PLACEHOLDER, Config
from pipeline.numbers import (
    UNDEFINED,
    format_count,
    format_one_decimal,
    format_percent,
    format_signed_count,
    is_undefined,
    percent,
    round_half_up,
)
from pipeline.periods import ComparedPeriod, FinancialYear
from pipeline.taxonomy import ALL_CRIME, police_uk

SOURCE_NAME = "data.police.uk"
LICENCE = "Open Government Licence v3.0"


@dataclass(frozen=True)
class Section:
    """One part of the document, ready to display."""

    anchor: str
    title: str
    html: Markup


@dataclass(frozen=True)
class CommitteeReport:
    """The whole committee document, in reading order."""

    title: str
    sections: list[Section]


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Jinja templates of the report, escaping every value."""
    return Environment(
        loader=PackageLoader("pipeline", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **values: object) -> Markup:
    """One template rendered with escaped values."""
    return Markup(environment().get_template(template).render(**values))


def format_date(day: date) -> str:
    """A date as committee papers write it: `11 October 2023`."""
    return f"{day.day} {day:%B %Y}"


def short_span(first: pd.Period, last: pd.Period) -> str:
    """A compact column heading: `Jul-Sep 2025` or `Oct 2024-Sep 2025`."""
    if first.year == last.year:
        return f"{first:%b}-{last:%b %Y}"
    return f"{first:%b %Y}-{last:%b %Y}"


def report_title(config: Config, year: FinancialYear, quarter: int) -> str:
    """The document's title."""
    return f"{config.district}: crime and anti-social behaviour, quarter {quarter} {year.label}"


def or_placeholder(value: str | None) -> str:
    """A committee detail, or the marked placeholder when the config lacks it."""
    return value if value else PLACEHOLDER


def cover(config: Config, title: str) -> Section:
    """The cover: council, committee, meeting and the report details table."""
    details = config.committee
    meeting = format_date(details.meeting_date) if details.meeting_date else None
    missing = [
        label
        for label, value in [
            ("council", details.council),
            ("committee", details.committee),
            ("meeting date", meeting),
            ("report author", details.report_author),
            ("portfolio holder", details.portfolio_holder),
        ]
        if not value
    ]
    html = render(
        "cover.html.j2",
        council=or_placeholder(details.council),
        committee=or_placeholder(details.committee),
        meeting_date=or_placeholder(meeting),
        title=title,
        details=[
            ("Title", title),
            ("Status", "Public"),
            ("Key Decision", "No"),
            ("Report Author", or_placeholder(details.report_author)),
            ("Portfolio Holder", or_placeholder(details.portfolio_holder)),
            ("Appendices", "A. Chart data"),
        ],
        placeholders=", ".join(missing).capitalize() if missing else "",
        placeholder=PLACEHOLDER,
    )
    return Section("cover", title, html)


def section(
    anchor: str,
    title: str,
    paragraphs: list[str],
    number: int | None = None,
    bullets: list[str] | None = None,
    blocks: list[Markup] | None = None,
) -> Section:
    """A titled section of (optionally numbered) paragraphs, bullets and blocks."""
    html = render(
        "section.html.j2",
        anchor=anchor,
        title=title,
        number=number,
        paragraphs=paragraphs,
        bullets=bullets or [],
        blocks=blocks or [],
    )
    return Section(anchor, title, html)


def performance_cells(row: pd.Series, has_solved: bool) -> list[str]:
    """A performance row's cells as published text."""

    def value(column: str) -> float | None:
        cell = row[column]
        return None if pd.isna(cell) else cell

    cells = [
        format_count(value("offences_previous")),
        format_count(value("offences_current")),
        format_signed_count(value("offences_diff")),
        format_one_decimal(value("offences_pct_diff"), signed=True),
    ]
    if not has_solved:
        return cells + ["-"] * 7
    return cells + [
        format_count(value("solved_previous")),
        format_count(value("solved_current")),
        format_signed_count(value("solved_diff")),
        format_one_decimal(value("solved_pct_diff"), signed=True),
        format_one_decimal(value("solved_rate_previous")),
        format_one_decimal(value("solved_rate_current")),
        format_one_decimal(value("solved_rate_pt_diff"), signed=True),
    ]


def performance_table(table: pd.DataFrame, period: ComparedPeriod, number: int) -> Markup:
    """A performance table as accessible HTML."""
    asb = police_uk().anti_social_behaviour
    rows = [
        {
            "name": row["crime_type"],
            "level": int(row["level"]),
            "cells": performance_cells(row, row["crime_type"] != asb),
        }
        for _, row in table.iterrows()
    ]
    return render(
        "performance_table.html.j2",
        caption=(
            f"Table {number}: {period.label.lower()}, {period.current_span} "
            f"against {period.previous_span}"
        ),
        previous=short_span(period.first - 12, period.last - 12),
        current=short_span(period.first, period.last),
        rows=rows,
    )


def figure(chart: charts.Chart) -> Markup:
    """A chart with its alt text and title."""
    return render("figure.html.j2", src=chart.data_uri(), alt=chart.alt_text, caption=chart.title)


def cell_text(cell: object) -> str:
    """A table cell as published: separators for counts, one decimal, `-` when undefined."""
    if is_undefined(cell):
        return UNDEFINED
    if isinstance(cell, Integral):
        return format_count(cell)
    if isinstance(cell, Real):
        return format_one_decimal(cell)
    return str(cell)


def data_table(frame: pd.DataFrame, caption: str) -> Markup:
    """Any small presentation table (first column as row headers) as HTML."""
    rows = [[cell_text(cell) for cell in record] for record in frame.itertuples(index=False)]
    return render("data_table.html.j2", caption=caption, columns=list(frame.columns), rows=rows)


def areas_table(areas: pd.DataFrame, period: ComparedPeriod, unit: str) -> pd.DataFrame:
    """Top areas in presentation columns."""
    previous = short_span(period.first - 12, period.last - 12)
    current = short_span(period.first, period.last)
    return pd.DataFrame(
        {
            "Area (LSOA)": areas["area"],
            f"{unit.capitalize()} {previous}": areas["previous"].map(format_count),
            f"{unit.capitalize()} {current}": areas["current"].map(format_count),
            "# diff": areas["change"].map(format_signed_count),
        }
    )


def mix_table(mix: pd.DataFrame) -> pd.DataFrame:
    """Crime mix in presentation columns, with each type's share."""
    total = int(mix["offences"].sum())
    return pd.DataFrame(
        {
            "Crime type": mix["crime_type"],
            "Offences": mix["offences"].map(format_count),
            "Share of all crime": mix["offences"].map(
                lambda n: format_percent(round_half_up(percent(int(n), total)))
            ),
        }
    )


def key_findings(config: Config, analysis: QuarterAnalysis) -> list[str]:
    """The generated findings, most important first."""
    asb = police_uk().anti_social_behaviour
    findings = []
    for name in ("quarter", "year_to_date", "rolling_12_months"):
        period, table = analysis.periods[name], analysis.performance[name]
        findings += [
            narrative.headline(table, ALL_CRIME, period),
            narrative.headline(table, asb, period),
        ]
    quarter, table = analysis.quarter_period, analysis.performance["quarter"]
    findings += narrative.largest_moves(table, quarter)
    findings.append(narrative.most_common(analysis.mix, quarter))
    findings.append(narrative.outcome_rate(table, quarter))
    findings.append(narrative.top_area(analysis.top_crime_areas, quarter, "offences", "crime"))
    if not analysis.top_asb_areas.empty:
        findings.append(
            narrative.top_area(
                analysis.top_asb_areas, quarter, "incidents", "anti-social behaviour"
            )
        )
    findings.append(narrative.no_location(analysis.no_location, config.force, quarter))
    return findings


def build_charts(analysis: QuarterAnalysis) -> dict[str, charts.Chart]:
    """Every chart of the report."""
    quarter = analysis.quarter_period
    return {
        "crime_trend": charts.monthly_trend_chart(analysis.monthly_crime, ALL_CRIME, "offences"),
        "asb_trend": charts.monthly_trend_chart(
            analysis.monthly_asb, police_uk().anti_social_behaviour, "incidents"
        ),
        "mix": charts.crime_mix_chart(analysis.mix, quarter.current_span),
        "areas": charts.top_areas_chart(
            analysis.top_crime_areas, "all crime", "offences", quarter.current_span
        ),
    }


def positive_outcome_wordings() -> list[str]:
    """The police.uk outcome wordings counted as positive."""
    vocabulary = police_uk()
    return [wording for wording in vocabulary.outcomes if wording in vocabulary.positive_outcomes]


def data_paragraphs(config: Config, summary: dict) -> list[str]:
    """Where the figures come from and how they are defined."""
    months = summary["months"]
    paragraphs = [
        f"Figures come from the {SOURCE_NAME} street-level crime and anti-social behaviour files "
        f"published for {config.force}, {_month_words(months[0])} to "
        f"{_month_words(months[-1])}, under the {LICENCE}. The district is taken as "
        f"{config.selection}.",
        "Offences are counted in the month police.uk records them. police.uk publishes only the "
        "latest outcome of each crime, with no outcome date, so the positive outcome rate here "
        "is the share of a period's crimes whose latest outcome is a positive one (listed at "
        "the end of this section, from Home Office outcome types 1, 1A, 2, 3, 4, 6, 7 and 8). "
        "It is not the Home Office solved rate, which counts outcomes by the date they were given.",
        "Differences compare each period with the same months a year before. Percentages are "
        "rounded half up to one decimal place from unrounded figures; '-' marks a figure that "
        "cannot be calculated (for example a percentage change from zero).",
        f"The force's records with no location ({format_count(summary['rows_no_location'])} "
        f"over the 24 months read) belong to no district and are not counted in any figure.",
    ]
    accepted = summary.get("missing_months_accepted") or []
    if accepted:
        paragraphs.append(
            "No data was available for "
            + ", ".join(_month_words(month) for month in accepted)
            + "; the config accepts this, so figures covering those months are understated."
        )
    return paragraphs


def _month_words(month: str) -> str:
    """`2025-09` as `September 2025`."""
    return f"{pd.Period(month, freq='M'):%B %Y}"


def build_report(config: Config, analysis: QuarterAnalysis, summary: dict) -> CommitteeReport:
    """Assemble the committee document from the analysis."""
    title = report_title(config, analysis.year, analysis.quarter)
    quarter = analysis.quarter_period
    periods = analysis.periods
    asb = police_uk().anti_social_behaviour
    figures = build_charts(analysis)
    committee = config.committee.committee or "committee"
    recommendations = list(config.committee.recommendations) or [
        f"Note the crime and anti-social behaviour figures for quarter {analysis.quarter} "
        f"{analysis.year.label}."
    ]
    findings = key_findings(config, analysis)
    quarter_table = analysis.performance["quarter"]
    sections = [
        cover(config, title),
        section(
            "summary",
            "Summary",
            [
                f"This report sets out recorded crime and anti-social behaviour in "
                f"{config.district} for quarter {analysis.quarter} of {analysis.year.label} "
                f"({quarter.current_span}), compared with the same months a year before.",
                narrative.headline(quarter_table, ALL_CRIME, quarter),
                narrative.headline(quarter_table, asb, quarter),
            ],
        ),
        section(
            "recommendations",
            "Recommendations",
            [f"The {committee} is requested to:"],
            bullets=recommendations,
        ),
        section(
            "reasons",
            "Reasons for Recommendations",
            [
                "To keep the committee informed of crime and anti-social behaviour in the "
                "district, so that it can scrutinise the work of the Community Safety Partnership."
            ],
        ),
        section(
            "purpose",
            "Purpose of Report",
            [
                f"This report gives the {committee} the crime and anti-social behaviour figures "
                f"for {config.district} for quarter {analysis.quarter} of {analysis.year.label}.",
                f"Each figure compares three periods with the same months a year before: the "
                f"quarter ({periods['quarter'].current_span}), the year to date "
                f"({periods['year_to_date'].current_span}) and the rolling 12 months "
                f"({periods['rolling_12_months'].current_span}).",
            ],
            number=1,
        ),
        section("findings", "Key Findings", findings, number=2),
        section(
            "performance",
            "Crime and Anti-Social Behaviour Figures",
            [
                "Tables 1 to 3 give offences and positive outcomes by police.uk crime type. "
                "All crime is every crime type except anti-social behaviour."
            ],
            number=3,
            blocks=[
                performance_table(analysis.performance[name], periods[name], index)
                for index, name in enumerate(periods, start=1)
            ],
        ),
        section(
            "trends",
            "Monthly Trends",
            [
                figures["crime_trend"].title + ".",
                figures["asb_trend"].title + ".",
                "The monthly figures behind both charts are in Appendix A.",
            ],
            number=4,
            blocks=[figure(figures["crime_trend"]), figure(figures["asb_trend"])],
        ),
        section(
            "mix",
            "Crime Mix",
            [narrative.most_common(analysis.mix, quarter)],
            number=5,
            blocks=[
                figure(figures["mix"]),
                data_table(
                    mix_table(analysis.mix),
                    f"Table 4: offences by crime type, {quarter.current_span}",
                ),
            ],
        ),
        section(
            "areas",
            "Areas with the Most Crime and Anti-Social Behaviour",
            [
                "Areas are Lower Layer Super Output Areas (LSOAs), small areas of about 1,500 "
                "residents used by police.uk to place each record.",
                narrative.top_area(analysis.top_crime_areas, quarter, "offences", "crime"),
            ],
            number=6,
            blocks=[
                figure(figures["areas"]),
                data_table(
                    areas_table(analysis.top_crime_areas, quarter, "offences"),
                    f"Table 5: areas with the most crime, {quarter.current_span}",
                ),
                data_table(
                    areas_table(analysis.top_asb_areas, quarter, "incidents"),
                    f"Table 6: areas with the most anti-social behaviour, {quarter.current_span}",
                ),
            ],
        ),
        section(
            "data",
            "Data and Definitions",
            data_paragraphs(config, summary),
            number=7,
            bullets=positive_outcome_wordings(),
        ),
        section(
            "background",
            "Background Papers",
            [
                f"{SOURCE_NAME} street-level crime files for {config.force}, "
                f"{_month_words(summary['months'][0])} to {_month_words(summary['months'][-1])}."
            ],
            number=8,
        ),
        section(
            "appendix-a",
            "Appendix A: Chart Data",
            [],
            blocks=[
                data_table(chart.data, f"Data for the chart '{chart.title}'")
                for chart in (figures["crime_trend"], figures["asb_trend"])
            ],
        ),
    ]
    return CommitteeReport(title, sections)
