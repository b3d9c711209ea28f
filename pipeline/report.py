"""The committee document: sections of HTML assembled from the analysis, text and charts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from pipeline import charts, narrative
from pipeline.analysis import QuarterAnalysis
from pipeline.config import PLACEHOLDER, Config
from pipeline.document import (
    Appendix,
    CommitteeReport,
    Part,
    Section,
    appendix_lines,
    appendix_sections,
    cell_text,
    contents,
    data_table,
    figure,
    letter_appendices,
    render,
    section,
)
from pipeline.grant import grant_position
from pipeline.ingest import FORCE_ASB, FORCE_CRIMES, POLICE_UK_ASB, POLICE_UK_CRIMES, IngestSummary
from pipeline.metrics import mix_shares
from pipeline.numbers import (
    SMALL_BASE,
    count_with_unit,
    format_count,
    format_date,
    format_month,
    format_one_decimal,
    format_percent,
    format_signed_count,
)
from pipeline.opcc_return import grant_sentence, has_returns
from pipeline.periods import ComparedPeriod, FinancialYear, compared_periods
from pipeline.sources.tracker import Tracker
from pipeline.taxonomy import ALL_CRIME, home_office, police_uk
from pipeline.text import join_words
from pipeline.tracker_appendices import action_plan_appendix, opcc_return_appendix
from pipeline.wording import Wording, report_wording

SOURCE_NAME = "data.police.uk"
LICENCE = "Open Government Licence v3.0"


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


def cover(config: Config, title: str, appendices: list[str]) -> Section:
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
            ("Appendices", appendices or "None"),
        ],
        placeholders=", ".join(missing).capitalize() if missing else "",
        placeholder=PLACEHOLDER,
    )
    return Section("cover", title, html)


def performance_cells(row: pd.Series) -> list[str]:
    """A performance row's cells as published text, `-` where undefined or not available."""

    def value(column: str) -> float | None:
        cell = row[column]
        return None if pd.isna(cell) else cell

    return [
        format_count(value("offences_previous")),
        format_count(value("offences_current")),
        format_signed_count(value("offences_diff")),
        format_one_decimal(value("offences_pct_diff"), signed=True),
        format_count(value("solved_previous")),
        format_count(value("solved_current")),
        format_signed_count(value("solved_diff")),
        format_one_decimal(value("solved_pct_diff"), signed=True),
        format_one_decimal(value("solved_rate_previous")),
        format_one_decimal(value("solved_rate_current")),
        format_one_decimal(value("solved_rate_pt_diff"), signed=True),
    ]


def table_caption(number: int, period: ComparedPeriod) -> str:
    """`Table 1: rolling 12 months, October 2024 to September 2025 against …`."""
    return (
        f"Table {number}: {period.label.lower()}, {period.current_span} "
        f"against {period.previous_span}"
    )


def performance_table_html(table: pd.DataFrame, period: ComparedPeriod, number: int) -> Markup:
    """A police.uk performance table as accessible HTML."""
    rows = [
        {"name": row["crime_type"], "level": int(row["level"]), "cells": performance_cells(row)}
        for _, row in table.iterrows()
    ]
    return render(
        "performance_table.html.j2",
        caption=table_caption(number, period),
        previous=short_span(period.first - 12, period.last - 12),
        current=short_span(period.first, period.last),
        rows=rows,
    )


def home_office_table_html(table: pd.DataFrame, period: ComparedPeriod, number: int) -> Markup:
    """The Home Office performance table in its three sections, as accessible HTML."""
    sections = [
        {
            "name": name,
            "rows": [
                {
                    "name": row["crime_type"],
                    "level": int(row["level"]),
                    "cells": [cell_text(row["pct_da_current"])] + performance_cells(row),
                }
                for _, row in rows.iterrows()
            ],
        }
        for name, rows in table.groupby("section", sort=False)
    ]
    return render(
        "home_office_table.html.j2",
        caption=table_caption(number, period),
        previous=short_span(period.first - 12, period.last - 12),
        current=short_span(period.first, period.last),
        sections=sections,
    )


def areas_table(
    areas: pd.DataFrame, period: ComparedPeriod, unit: str, kind: str = "LSOA"
) -> pd.DataFrame:
    """Top areas in presentation columns."""
    previous = short_span(period.first - 12, period.last - 12)
    current = short_span(period.first, period.last)
    return pd.DataFrame(
        {
            "Ward" if kind == "ward" else "Area (LSOA)": areas["area"],
            f"{unit.capitalize()} {previous}": areas["previous"].map(format_count),
            f"{unit.capitalize()} {current}": areas["current"].map(format_count),
            "# diff": areas["change"].map(format_signed_count),
        }
    )


def mix_table(mix: pd.DataFrame, noun: str) -> pd.DataFrame:
    """Crime mix in presentation columns, with each category's share."""
    return pd.DataFrame(
        {
            noun.capitalize(): mix["crime_type"],
            "Offences": mix["offences"].map(format_count),
            "Share of all crime": mix_shares(mix).map(format_percent),
        }
    )


def headline_rows(analysis: QuarterAnalysis) -> tuple[str, str]:
    """The names of the all-crime and anti-social behaviour rows of the analysis's tables."""
    if analysis.uses_force_extract:
        return home_office().all_crime_row.name, home_office().asb_row.name
    return ALL_CRIME, police_uk().anti_social_behaviour


def mix_noun(analysis: QuarterAnalysis) -> str:
    """What the crime mix is by: offence group (force extract) or crime type (police.uk)."""
    return narrative.OFFENCE_GROUP if analysis.uses_force_extract else narrative.CRIME_TYPE


def key_findings(config: Config, analysis: QuarterAnalysis) -> list[str]:
    """The generated findings, most important first."""
    all_crime, asb = headline_rows(analysis)
    small = config.small_numbers_threshold
    findings = []
    for name in ("quarter", "year_to_date", "rolling_12_months"):
        period, table = analysis.periods[name], analysis.performance[name]
        findings += [
            narrative.headline(table, all_crime, period, small_base=small),
            narrative.headline(table, asb, analysis.asb_periods[name], small_base=small),
        ]
    quarter, table = analysis.quarter_period, analysis.performance["quarter"]
    if analysis.uses_force_extract:
        findings.append(narrative.solved_rate(table, quarter))
    else:
        findings += narrative.largest_moves(table, quarter, small_base=small)
        findings.append(narrative.outcome_rate(table, quarter))
    findings.append(narrative.most_common(analysis.mix, quarter, noun=mix_noun(analysis)))
    findings.append(
        narrative.top_area(analysis.top_crime_areas, quarter, "offences", "crime", small_base=small)
    )
    if not analysis.top_asb_areas.empty:
        findings.append(
            narrative.top_area(
                analysis.top_asb_areas,
                analysis.asb_periods["quarter"],
                "incidents",
                "anti-social behaviour",
                small_base=small,
            )
        )
    if analysis.no_location is not None:
        findings.append(narrative.no_location(analysis.no_location, config.force, quarter))
    return findings


def build_charts(
    analysis: QuarterAnalysis, small_base: int = SMALL_BASE
) -> dict[str, charts.Chart]:
    """Every chart of the report."""
    quarter = analysis.quarter_period
    built = {
        "crime_trend": charts.monthly_trend_chart(
            analysis.monthly_crime, ALL_CRIME, "offences", small_base=small_base
        ),
        "asb_trend": charts.monthly_trend_chart(
            analysis.monthly_asb,
            police_uk().anti_social_behaviour,
            "incidents",
            small_base=small_base,
        ),
        "mix": charts.crime_mix_chart(
            analysis.mix,
            quarter.current_span,
            noun=mix_noun(analysis),
        ),
        "areas": charts.top_areas_chart(
            analysis.top_crime_areas, "recorded", "offences", quarter.current_span
        ),
    }
    if analysis.uses_force_extract:
        rolling = analysis.periods["rolling_12_months"]
        table = analysis.performance["rolling_12_months"]
        built["groups"] = charts.offences_by_group_chart(table, rolling, small_base=small_base)
        built["solved_rates"] = charts.solved_rate_by_group_chart(table, rolling)
    return built


CHART_ORDER = ("groups", "solved_rates", "crime_trend", "asb_trend", "mix", "areas")


def in_reading_order(figures: dict[str, charts.Chart]) -> list[charts.Chart]:
    """The charts in the order the document shows them."""
    return [figures[name] for name in CHART_ORDER if name in figures]


def outcomes_part(analysis: QuarterAnalysis, config: Config) -> Part:
    """The outcomes counted as solved (force extract) or positive (police.uk), introduced."""
    if analysis.uses_force_extract:
        return Part(
            ["The Home Office outcome types counted as solved are:"],
            bullets=solved_outcome_types(config),
        )
    return Part(
        [
            "The police.uk outcome categories counted as positive are listed below. police.uk "
            "gives only each crime's latest outcome. The court categories follow a charge or "
            "summons (Home Office outcome 1), so a crime that was charged counts as positive "
            "whatever the court later decided."
        ],
        bullets=positive_outcome_wordings(),
    )


def positive_outcome_wordings() -> list[str]:
    """The police.uk outcome wordings counted as positive."""
    vocabulary = police_uk()
    return [wording for wording in vocabulary.outcomes if wording in vocabulary.positive_outcomes]


def solved_outcome_types(config: Config) -> list[str]:
    """The Home Office outcome types counted as solved, with what each means."""
    descriptions = home_office().outcome_descriptions
    return [f"{code}: {descriptions[code]}" for code in config.positive_outcomes]


def police_uk_paragraphs(config: Config, summary: IngestSummary) -> list[str]:
    """Where police.uk figures come from and how they are defined."""
    months = summary.months
    return [
        f"Figures come from the {SOURCE_NAME} street-level crime and anti-social behaviour files "
        f"published for {config.force}, {format_month(months[0])} to "
        f"{format_month(months[-1])}, under the {LICENCE}. The district is taken as "
        f"{config.selection}.",
        "Offences are counted in the month police.uk records them. police.uk publishes only the "
        "latest outcome of each crime, with no outcome date, so the positive outcome rate here "
        "is the share of a period's crimes whose latest outcome is a positive one (the "
        "categories are listed below). "
        "It is not the Home Office solved rate, which counts outcomes by the date they were given.",
        f"The force's records with no location ({format_count(summary.rows_no_location)} "
        f"over {months_read(summary)}) belong to no district and are not counted in any figure.",
        *other_force_paragraphs(summary),
    ]


def police_uk_asb_paragraphs(config: Config, summary: IngestSummary) -> list[str]:
    """Where anti-social behaviour comes from when the force extract has none."""
    months = summary.months
    return [
        f"Anti-social behaviour incidents come from the {SOURCE_NAME} street-level files "
        f"published for {config.force}, {format_month(months[0])} to "
        f"{format_month(months[-1])}, under the {LICENCE}, for {config.selection}. The force's "
        f"police.uk records with no location ({format_count(summary.rows_no_location)} over "
        f"{months_read(summary)}) belong to no district and are not counted.",
        *other_force_paragraphs(summary),
    ]


def force_extract_paragraphs(config: Config, summary: IngestSummary) -> list[str]:
    """Where force extract figures come from and how they are defined."""
    months = summary.months
    extract = summary.force_extract
    asb = (
        police_uk_asb_paragraphs(config, summary)
        if "police_uk" in summary.sources
        else ["Anti-social behaviour incidents come from the force's extract of ASB incidents."]
    )
    return [
        f"Crime figures come from the extract of recorded crime that {config.force} supplied "
        f"for {config.district}. It holds {format_count(extract.crimes_read)} crimes; the "
        f"{format_count(extract.crimes_kept)} recorded or given an outcome between "
        f"{format_month(months[0])} and {format_month(months[-1])} are used here.",
        *asb,
        "Offences are counted by the date they were recorded. Solved outcomes are counted by "
        "the date of the outcome, whenever the crime was recorded, so a period can have solved "
        "outcomes for crimes recorded before it. The solved rate is the period's solved "
        "outcomes as a percentage of its offences. The outcome types counted as solved are "
        "listed below.",
        "Crime types follow the Home Office hierarchy: all crime is victim based crime plus "
        "state based crime. Racially or religiously aggravated offences, hate crime and "
        "domestic abuse (with its risk levels) count flagged crimes of any type and are never "
        "added into a total. '% DA' is the share of the current period's offences flagged as "
        "domestic abuse.",
        f"A percentage change is said to rest on small numbers when the earlier figure is "
        f"below {format_count(config.small_numbers_threshold)}.",
    ]


def data_paragraphs(config: Config, summary: IngestSummary) -> list[str]:
    """Where the figures come from and how they are defined."""
    paragraphs = (
        force_extract_paragraphs(config, summary)
        if summary.force_extract
        else police_uk_paragraphs(config, summary)
    )
    paragraphs.append(
        "Differences compare each period with the same months a year before. Percentages are "
        "rounded half up to one decimal place from unrounded figures; '-' marks a figure that "
        "cannot be calculated (for example a percentage change from zero)."
    )
    return paragraphs + left_out_paragraphs(summary)


def months_read(summary: IngestSummary) -> str:
    """The police.uk months read, counted and named: `the 24 months read (… to …)`."""
    read = [pd.Period(month, freq="M") for month in summary.police_uk_months_read]
    if not read:
        return "the months read"
    wanted = [pd.Period(month, freq="M") for month in summary.months]
    absent = [month for month in wanted if month not in set(read)]
    span = f"{format_month(str(wanted[0]))} to {format_month(str(wanted[-1]))}"
    if absent:
        span += ", without " + join_words([format_month(str(m)) for m in absent])
    return f"the {len(read)} months read ({span})"


def other_force_paragraphs(summary: IngestSummary) -> list[str]:
    """Rows another force reported in the force's own files: counted apart, in no figure."""
    rows = summary.rows_reported_by_other_forces
    if not rows:
        return []
    return [
        f"{count_with_unit(rows, 'records')} in {summary.force}'s files were reported by "
        "another force (police.uk's 'Reported by'); they are kept apart and not counted in any "
        "figure."
    ]


SOURCE_WORDS = {
    POLICE_UK_CRIMES: "the police.uk crime records",
    POLICE_UK_ASB: "the police.uk anti-social behaviour records",
    FORCE_CRIMES: "the extract of recorded crime",
    FORCE_ASB: "the extract of ASB incidents",
}


def left_out_paragraphs(summary: IngestSummary) -> list[str]:
    """Months accepted as missing or short, and how every period leaves them out of both years."""
    missing = set(summary.missing_months_accepted)
    by_months: dict[tuple[str, ...], list[str]] = {}
    for source, months in summary.unavailable_months.items():
        if months:
            by_months.setdefault(tuple(months), []).append(SOURCE_WORDS[source])
    paragraphs = []
    for months, sources in by_months.items():
        described = join_words(
            [
                f"{format_month(month)} ({'missing' if month in missing else 'incomplete'})"
                for month in months
            ]
        )
        paragraphs.append(
            f"{join_words(sources).capitalize()} have no complete data for "
            f"{described}; the config accepts this. To compare like with like, each of those "
            "months is left out of both years of every period that holds it (a month missing in "
            "one year is left out of the other too), and each figure built on such a period says "
            "how many months it compares. The monthly charts show those months as gaps."
        )
    return paragraphs


SPREADSHEET_NOTE = "The same tables are published with this report as a spreadsheet and CSV files."
ROUNDING_NOTE = (
    "Changes and rates are worked out from unrounded figures and only then rounded, so a "
    "'% pt diff' can differ by 0.1 from the difference between the two rates shown."
)


@dataclass(frozen=True)
class FiguresSection:
    """The performance tables with their introduction, charts and the number of tables."""

    paragraphs: list[str]
    tables: list[Markup]
    chart_paragraphs: list[str]
    charts: list[Markup]
    count: int


def police_uk_figures(analysis: QuarterAnalysis) -> FiguresSection:
    """The police.uk performance tables: one for each compared period."""
    periods = analysis.periods
    return FiguresSection(
        [
            f"Tables 1 to 3 give offences and positive outcomes by police.uk crime type for "
            f"{period_spans(analysis)}, each against the same months a year before. All crime is "
            f"every crime type except anti-social behaviour. {SPREADSHEET_NOTE}",
            ROUNDING_NOTE,
        ],
        [
            performance_table_html(analysis.performance[name], periods[name], index)
            for index, name in enumerate(periods, start=1)
        ],
        [],
        [],
        count=len(periods),
    )


def period_spans(analysis: QuarterAnalysis) -> str:
    """The three compared periods in words, each with its months."""
    periods = analysis.periods
    return (
        f"the quarter ({periods['quarter'].bracketed_span}), the year to date "
        f"({periods['year_to_date'].bracketed_span}) and the rolling 12 months "
        f"({periods['rolling_12_months'].bracketed_span})"
    )


def force_extract_figures(
    analysis: QuarterAnalysis, figures: dict[str, charts.Chart]
) -> FiguresSection:
    """The Home Office tables for the three periods, and the two offence group charts."""
    rolling = analysis.periods["rolling_12_months"]
    return FiguresSection(
        [
            f"Tables 1 to 3 give offences, solved outcomes and solved rates by Home Office crime "
            f"type for {period_spans(analysis)}, each against the same months a year before, with "
            f"the share of offences flagged as domestic abuse. {SPREADSHEET_NOTE}",
            ROUNDING_NOTE,
        ],
        [
            home_office_table_html(analysis.performance[name], period, number)
            for number, (name, period) in enumerate(analysis.periods.items(), start=1)
        ],
        [
            f"The charts compare offences and solved rates in each offence group over the rolling "
            f"12 months ({rolling.bracketed_span}) with the 12 months before."
        ],
        [figure(figures["groups"]), figure(figures["solved_rates"])],
        count=len(analysis.periods),
    )


def fill_ins(config: Config) -> dict[str, str]:
    """The values standing text may name: `{district}`, `{council}` and `{committee}`."""
    details = config.committee
    return {
        "district": config.district,
        "council": details.council or config.district,
        "committee": details.committee or "committee",
    }


def summary_part(config: Config, analysis: QuarterAnalysis) -> Part:
    """The summary's generated paragraphs: what the report covers and the two headlines."""
    quarter, table = analysis.quarter_period, analysis.performance["quarter"]
    all_crime, asb = headline_rows(analysis)
    small = config.small_numbers_threshold
    return Part(
        [
            f"This report sets out recorded crime and anti-social behaviour in "
            f"{config.district} for quarter {analysis.quarter} of {analysis.year.label} "
            f"({quarter.bracketed_span}), compared with the same months a year before.",
            narrative.headline(table, all_crime, quarter, small_base=small),
            narrative.headline(table, asb, analysis.asb_periods["quarter"], small_base=small),
        ]
    )


def purpose_part(config: Config, analysis: QuarterAnalysis, committee: str) -> Part:
    """What the report is for and which periods it compares."""
    return Part(
        [
            f"This report gives the {committee} the crime and anti-social behaviour figures "
            f"for {config.district} for quarter {analysis.quarter} of {analysis.year.label}.",
            f"Each figure compares three periods with the same months a year before: "
            f"{period_spans(analysis)}.",
        ]
    )


def details_parts(
    config: Config, analysis: QuarterAnalysis, commentary: list[str], data_letter: str
) -> list[Part]:
    """Section 3: key findings, key changes (force extract), the analyst's words, the appendix."""
    parts = [Part(key_findings(config, analysis))]
    if analysis.uses_force_extract:
        rolling = analysis.periods["rolling_12_months"]
        table = analysis.performance["rolling_12_months"]
        parts.append(
            Part(
                [
                    f"The key changes in the rolling 12 months to {rolling.last:%B %Y}"
                    + (f" ({rolling.coverage_note})" if rolling.left_out else "")
                    + ", compared with the same months a year before, were:"
                ],
                bullets=narrative.key_challenges(
                    table,
                    rolling,
                    small_base=config.small_numbers_threshold,
                    asb_period=analysis.asb_periods["rolling_12_months"],
                ),
            )
        )
    parts.append(Part(commentary))
    groups = "offence groups, " if analysis.uses_force_extract else ""
    parts.append(
        Part(
            [
                f"Appendix {data_letter} gives the figures in full: the performance tables for "
                f"the three periods, {groups}monthly trends, crime mix and areas, with the data "
                f"behind every chart and how each figure is defined."
            ]
        )
    )
    return parts


IMPLICATIONS = (
    ("financial", "Financial"),
    ("legal", "Legal"),
    ("risk", "Risk Management"),
    ("equalities", "Equalities Impact"),
    ("data_protection", "Data Protection"),
)


def implications_parts(
    wording: Wording, values: dict[str, str], generated: dict[str, list[str]]
) -> list[Part]:
    """Section 4: one subheading for each kind of implication, in the seed's order."""
    return [
        Part(
            generated.get(key, []) + wording.paragraphs(f"implications.{key}", **values),
            heading=heading,
            anchor=f"implications-{key.replace('_', '-')}",
        )
        for key, heading in IMPLICATIONS
    ]


def calendar_quarter(analysis: QuarterAnalysis) -> ComparedPeriod:
    """The quarter's three months as the tracker knows them, whatever data they lack."""
    return compared_periods(analysis.year, analysis.quarter)["quarter"]


def financial_paragraphs(tracker: Tracker | None, analysis: QuarterAnalysis) -> list[str]:
    """The financial implications the tracker's grant figures give, if it has the year's grant."""
    if tracker is None:
        return []
    position = grant_position(
        tracker.allocation, tracker.returns, analysis.year.name, analysis.quarter
    )
    if position is None:
        return []
    return [grant_sentence(position, analysis.year, calendar_quarter(analysis))]


def crime_data_appendix(
    config: Config,
    analysis: QuarterAnalysis,
    summary: IngestSummary,
    wording: Wording,
    figures: dict[str, charts.Chart],
) -> Appendix:
    """The crime and anti-social behaviour data: tables, charts, areas and definitions."""
    quarter = analysis.quarter_period
    small = config.small_numbers_threshold
    values = fill_ins(config)  # {district}, {council}, {committee} in the analyst's words
    performance = (
        force_extract_figures(analysis, figures)
        if analysis.uses_force_extract
        else police_uk_figures(analysis)
    )
    crime_area, category = analysis.crime_area_kind, mix_noun(analysis)
    next_table = performance.count + 1
    parts = [
        Part(
            performance.paragraphs + wording.paragraphs("crime_data.figures", **values),
            heading="Performance Tables",
            anchor="crime-data-tables",
            blocks=performance.tables,
            landscape=True,
        ),
        Part(
            performance.chart_paragraphs
            + (wording.paragraphs("crime_data.groups", **values) if performance.charts else []),
            heading="Offence Groups",
            anchor="crime-data-groups",
            blocks=performance.charts,
        ),
        Part(
            [
                f"The charts show offences and anti-social behaviour incidents in each month of "
                f"the 12 months to {analysis.periods['rolling_12_months'].last:%B %Y}, against the "
                f"same months a year before.",
                *wording.paragraphs("crime_data.trends", **values),
            ],
            heading="Monthly Trends",
            anchor="crime-data-trends",
            blocks=[figure(figures["crime_trend"]), figure(figures["asb_trend"])],
        ),
        Part(
            [
                narrative.most_common(analysis.mix, quarter, noun=category),
                *wording.paragraphs("crime_data.mix", **values),
            ],
            heading="Crime Mix",
            anchor="crime-data-mix",
            blocks=[
                figure(figures["mix"]),
                data_table(
                    mix_table(analysis.mix, category),
                    f"Table {next_table}: offences by {category}, {quarter.current_span}",
                ),
            ],
        ),
        Part(
            [
                area_paragraph(analysis),
                narrative.top_area(
                    analysis.top_crime_areas, quarter, "offences", "crime", small_base=small
                ),
                *wording.paragraphs("crime_data.areas", **values),
            ],
            heading="Areas with the Most Crime and Anti-Social Behaviour",
            anchor="crime-data-areas",
            blocks=[
                figure(figures["areas"]),
                data_table(
                    areas_table(analysis.top_crime_areas, quarter, "offences", crime_area),
                    f"Table {next_table + 1}: {AREA_PLURALS[crime_area]} with the most crime, "
                    f"{quarter.current_span}",
                ),
                data_table(
                    areas_table(
                        analysis.top_asb_areas,
                        analysis.asb_periods["quarter"],
                        "incidents",
                        analysis.asb_area_kind,
                    ),
                    f"Table {next_table + 2}: {AREA_PLURALS[analysis.asb_area_kind]} with the "
                    f"most anti-social behaviour, {analysis.asb_periods['quarter'].current_span}",
                ),
            ],
        ),
        Part(
            data_paragraphs(config, summary)
            + wording.paragraphs("crime_data.definitions", **values),
            heading="Data and Definitions",
            anchor="crime-data-definitions",
        ),
        outcomes_part(analysis, config),
        Part(
            [
                "Each chart's figures, as a table. Charts show the same numbers as these tables, "
                "so nothing in them is read from colour or shape alone."
            ],
            heading="Data Behind the Charts",
            anchor="crime-data-chart-data",
            blocks=[
                data_table(chart.data, f"Data for the chart '{chart.title}'")
                for chart in in_reading_order(figures)
            ],
        ),
    ]
    title = (
        f"Crime and Anti-Social Behaviour Data, Quarter {analysis.quarter} {analysis.year.label}"
    )
    return Appendix("crime_data", title, parts)


def tracker_appendices(tracker: Tracker | None, analysis: QuarterAnalysis) -> list[Appendix]:
    """The action plan, if the tracker has one, and the quarter's return, if the year has any."""
    if tracker is None:
        return []
    appendices = []
    if not tracker.plan.empty:
        appendices.append(action_plan_appendix(tracker, analysis.year))
    if has_returns(tracker.returns, analysis.year.name, analysis.quarter):
        appendices.append(
            opcc_return_appendix(
                tracker, analysis.year, analysis.quarter, calendar_quarter(analysis)
            )
        )
    return appendices


def build_report(
    config: Config,
    analysis: QuarterAnalysis,
    summary: IngestSummary,
    wording: Wording | None = None,
    tracker: Tracker | None = None,
) -> CommitteeReport:
    """Assemble the committee document from the analysis, the tracker and the analyst's words."""
    wording = wording or report_wording(config.wording, {})
    config = replace(config, force=summary.force or config.force)  # as police.uk writes it
    values = fill_ins(config)
    title = report_title(config, analysis.year, analysis.quarter)
    figures = build_charts(analysis, config.small_numbers_threshold)
    appendices = [crime_data_appendix(config, analysis, summary, wording, figures)]
    appendices += tracker_appendices(tracker, analysis)
    letters = letter_appendices(appendices)
    recommendations = list(config.committee.recommendations) or [
        f"Note the crime and anti-social behaviour figures for quarter {analysis.quarter} "
        f"{analysis.year.label}."
    ]
    body = [
        section(
            "summary",
            "Summary",
            [summary_part(config, analysis), Part(wording.paragraphs("summary", **values))],
        ),
        section(
            "recommendations",
            "Recommendations",
            [
                Part(
                    [f"The {values['committee']} is requested to:"],
                    bullets=recommendations,
                    ordered=True,
                )
            ],
        ),
        section(
            "reasons",
            "Reasons for Recommendations",
            [Part(wording.paragraphs("reasons", **values))],
        ),
        section(
            "purpose",
            "Purpose of Report",
            [
                purpose_part(config, analysis, values["committee"]),
                Part(wording.paragraphs("purpose", **values)),
            ],
            number=1,
        ),
        section("background", "Background", [Part(wording.paragraphs("background", **values))], 2),
        section(
            "details",
            "Details",
            details_parts(
                config, analysis, wording.paragraphs("details", **values), letters["crime_data"]
            ),
            number=3,
        ),
        section(
            "implications",
            "Implications of Decisions",
            implications_parts(
                wording, values, {"financial": financial_paragraphs(tracker, analysis)}
            ),
            4,
        ),
        section(
            "background-papers",
            "Background Papers",
            [
                Part(
                    [
                        background_paper(config, summary),
                        *wording.paragraphs("background_papers", **values),
                    ]
                )
            ],
            number=5,
        ),
        *appendix_sections(appendices, letters),
    ]
    front = cover(config, title, appendix_lines(appendices, letters))
    return CommitteeReport(title, [front, contents(body), *body])


AREA_PLURALS = {"LSOA": "areas", "ward": "wards"}


def area_paragraph(analysis: QuarterAnalysis) -> str:
    """What the report's areas are."""
    lsoa = (
        "Lower Layer Super Output Areas (LSOAs), small areas of about 1,500 residents used by "
        "police.uk to place each record"
    )
    if analysis.crime_area_kind == "ward" and analysis.asb_area_kind == "ward":
        return "Areas are the council wards the force extract gives for each crime and incident."
    if analysis.crime_area_kind == "ward":
        return (
            f"Crime is shown by council ward, as the force extract gives it; anti-social "
            f"behaviour by {lsoa}."
        )
    return f"Areas are {lsoa}."


def background_paper(config: Config, summary: IngestSummary) -> str:
    """The source files the report rests on."""
    months = summary.months
    papers = []
    if summary.force_extract:
        files = summary.force_extract.files
        names = ", ".join(Path(item["path"]).name for item in files)
        asb = " and anti-social behaviour" if any(item["kind"] == "asb" for item in files) else ""
        papers.append(f"Extract of recorded crime{asb} from {config.force} ({names}).")
    if "police_uk" in summary.sources:
        papers.append(
            f"{SOURCE_NAME} street-level crime files for {config.force}, "
            f"{format_month(months[0])} to {format_month(months[-1])}."
        )
    return " ".join(papers)
