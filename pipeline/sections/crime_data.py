"""The crime data appendix: performance tables, charts, mix, areas, definitions, chart data."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from pipeline import benchmark_words, charts, local_words
from pipeline.analysis import ALL_CRIME_SERIES, ASB_SERIES, QuarterAnalysis
from pipeline.attention_words import METHOD_PARAGRAPHS
from pipeline.config import Config
from pipeline.document import (
    Appendix,
    Part,
    data_table,
    figure,
)
from pipeline.ingest import FORCE_ASB, FORCE_CRIMES, POLICE_UK_ASB, POLICE_UK_CRIMES
from pipeline.ingest_summary import IngestSummary
from pipeline.numbers import (
    SMALL_BASE,
    format_month,
)
from pipeline.periods import month_span
from pipeline.sections.body import (
    fill_ins,
)
from pipeline.sections.crime_source import (
    CrimeSource,
)
from pipeline.sections.table_html import (
    areas_table,
    mix_table,
    places_table,
)
from pipeline.taxonomy import ALL_CRIME, police_uk
from pipeline.text import join_words
from pipeline.wording import Wording


def monthly_chart(
    analysis: QuarterAnalysis,
    series: str,
    monthly: pd.DataFrame,
    measure: str,
    unit: str,
    small_base: int,
) -> charts.Chart:
    """A series' control chart; with too few months for one, its months this year against
    last."""
    points = analysis.control_charts[analysis.control_charts["series"] == series]
    if points.empty:
        return charts.monthly_trend_chart(monthly, measure, unit, small_base=small_base)
    return charts.control_chart_figure(points, measure, unit)


def trends_paragraph(analysis: QuarterAnalysis) -> str:
    """What the monthly charts show: control charts where there are months enough."""
    shown = analysis.control_charts
    if analysis.has_monthly_control_charts:
        months = shown[shown["series"] == ALL_CRIME_SERIES]["month"]
        span = month_span(pd.Period(months.iloc[0], freq="M"), pd.Period(months.iloc[-1], freq="M"))
        return (
            f"The charts are control charts of offences and of anti-social behaviour incidents "
            f"in each month, {span}: the mean, the process limits, and each month that signals a "
            "change beyond normal variation, marked by its shape and named (Data and "
            "Definitions gives the rules)."
        )
    return (
        f"The charts show offences and anti-social behaviour incidents in each month of the 12 "
        f"months to {analysis.periods['rolling_12_months'].last:%B %Y}, against the same months "
        "a year before."
    )


def build_charts(
    analysis: QuarterAnalysis,
    source: CrimeSource,
    small_base: int = SMALL_BASE,
    district: str = "the district",
) -> dict[str, charts.Chart]:
    """Every chart of the report."""
    quarter = analysis.quarter_period
    built = {
        "crime_trend": monthly_chart(
            analysis, ALL_CRIME_SERIES, analysis.monthly_crime, ALL_CRIME, "offences", small_base
        ),
        "asb_trend": monthly_chart(
            analysis,
            ASB_SERIES,
            analysis.monthly_asb,
            police_uk().anti_social_behaviour,
            "incidents",
            small_base,
        ),
        "mix": charts.crime_mix_chart(
            analysis.mix,
            quarter.current_span,
            noun=source.mix_noun,
        ),
        "areas": charts.top_areas_chart(
            analysis.top_crime_areas, "recorded", "offences", quarter.current_span
        ),
    }
    benchmark = analysis.benchmark
    if benchmark is not None and benchmark.has_peers:
        built["ranked"] = charts.ranked_rates_chart(benchmark, district)
    return built | source.charts(analysis, small_base)


CHART_ORDER = ("groups", "solved_rates", "crime_trend", "asb_trend", "mix", "areas", "ranked")


def in_reading_order(figures: dict[str, charts.Chart]) -> list[str]:
    """The charts' names in the order the document shows them."""
    return [name for name in CHART_ORDER if name in figures]


SHOWN_CHART_NAMES = {
    "mix": "the crime mix chart",
    "areas": "the chart of the areas with most crime",
}


def shown_tables_sentence(figures: dict[str, charts.Chart], shown_in: dict[str, int]) -> str | None:
    """Which charts draw on a table shown beside them, so that it is not repeated here."""
    named = [
        f"{SHOWN_CHART_NAMES[name]} (Table {shown_in[name]})"
        for name in in_reading_order(figures)
        if name in shown_in
    ]
    if not named:
        return None
    return f"The figures of {join_words(named)} are the tables beside them, not repeated here."


def data_paragraphs(config: Config, summary: IngestSummary, source: CrimeSource) -> list[str]:
    """Where the figures come from and how they are defined."""
    paragraphs = source.data_paragraphs(config, summary)
    paragraphs.append(
        "Differences compare each period with the same months a year before. Percentages are "
        "rounded half up to one decimal place from unrounded figures; '-' marks a figure that "
        "cannot be calculated (for example a percentage change from zero)."
    )
    return paragraphs + left_out_paragraphs(summary)


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


def crime_data_appendix(
    config: Config,
    analysis: QuarterAnalysis,
    summary: IngestSummary,
    wording: Wording,
    source: CrimeSource,
    figures: dict[str, charts.Chart],
) -> Appendix:
    """The crime and anti-social behaviour data: tables, charts, areas and definitions."""
    quarter = analysis.quarter_period
    values = fill_ins(config)  # {district}, {council}, {committee} in the analyst's words
    performance = source.figures(analysis, figures)
    crime_area, category = analysis.crime_area_kind, source.mix_noun
    next_table = performance.count + 1
    local, local_tables = local_parts(config, analysis, next_table + 3)
    shown_in = {"mix": next_table, "areas": next_table + 1}  # charts drawn from a table shown
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
            [trends_paragraph(analysis), *wording.paragraphs("crime_data.trends", **values)],
            heading="Monthly Trends",
            anchor="crime-data-trends",
            blocks=[figure(figures["crime_trend"]), figure(figures["asb_trend"])],
        ),
        Part(
            wording.paragraphs("crime_data.mix", **values),  # the details say which is most common
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
            [area_paragraph(analysis), *wording.paragraphs("crime_data.areas", **values)],
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
        *local,
        *benchmark_parts(config, analysis, wording, figures, next_table + 3 + len(local_tables)),
        Part(
            data_paragraphs(config, summary, source)
            + list(METHOD_PARAGRAPHS)
            + wording.paragraphs("crime_data.definitions", **values),
            heading="Data and Definitions",
            anchor="crime-data-definitions",
        ),
        source.outcomes(config),
        Part(
            [
                "Each chart's figures, as a table. Charts show the same numbers as these tables, "
                "so nothing in them is read from colour or shape alone.",
                *filter(None, [shown_tables_sentence(figures, shown_in)]),
            ],
            heading="Data Behind the Charts",
            anchor="crime-data-chart-data",
            blocks=[
                data_table(figures[name].data, f"Data for the chart '{figures[name].title}'")
                for name in in_reading_order(figures)
                if name not in shown_in
            ],
        ),
    ]
    title = (
        f"Crime and Anti-Social Behaviour Data, Quarter {analysis.quarter} {analysis.year.label}"
    )
    return Appendix("crime_data", title, parts)


def local_parts(
    config: Config, analysis: QuarterAnalysis, first_table: int
) -> tuple[list[Part], list[Markup]]:
    """With a force extract, the parts by police beat, ASB location type and domestic abuse,
    each left out where the extract has no data for it; and their tables, numbered on from
    first_table."""
    local = analysis.local
    if local is None:
        return [], []
    quarter, asb_quarter = analysis.quarter_period, analysis.asb_periods["quarter"]
    tables: list[Markup] = []

    def table(frame: pd.DataFrame, unit: str, column: str, heading: str, what: str) -> Markup:
        period = asb_quarter if unit == "incidents" else quarter
        number = first_table + len(tables)
        tables.append(
            data_table(
                places_table(frame, period, unit, column, heading),
                f"Table {number}: {what}, {period.current_span}",
            )
        )
        return tables[-1]

    beats = []
    if not local.crime_beats.empty:
        beats.append(
            table(local.crime_beats, "offences", "beat", "Beat", "police beats with the most crime")
        )
    if not local.asb_beats.empty:
        beats.append(
            table(
                local.asb_beats,
                "incidents",
                "beat",
                "Beat",
                "police beats with the most anti-social behaviour",
            )
        )
    parts = []
    if beats:
        parts.append(
            Part(
                local_words.beats_paragraphs(local, quarter, asb_quarter),
                heading="Police Beats",
                anchor="crime-data-beats",
                blocks=beats,
            )
        )
    if not local.asb_location_types.empty:
        location_table = table(
            local.asb_location_types,
            "incidents",
            "location_type",
            "Location type",
            "anti-social behaviour by location type",
        )
        parts.append(
            Part(
                local_words.location_type_paragraphs(local, asb_quarter),
                heading="Anti-Social Behaviour by Location Type",
                anchor="crime-data-asb-locations",
                blocks=[location_table],
            )
        )
    abuse_tables = (
        []
        if local.domestic_abuse_beats.empty
        else [
            table(
                local.domestic_abuse_beats,
                "offences",
                "beat",
                "Beat",
                "police beats with the most domestic abuse crimes",
            )
        ]
    )
    parts.append(
        Part(
            local_words.domestic_abuse_sentences(
                local,
                analysis.change_tests,
                analysis.performance["quarter"],
                quarter,
                config.small_numbers_threshold,
            ),
            heading="Domestic Abuse",
            anchor="crime-data-domestic-abuse",
            blocks=abuse_tables,
        )
    )
    return parts, tables


def benchmark_parts(
    config: Config,
    analysis: QuarterAnalysis,
    wording: Wording,
    figures: dict[str, charts.Chart],
    table_number: int,
) -> list[Part]:
    """How the district compares, from the ONS's tables alone: its rate against its force area,
    England and Wales and its peers, the ranked chart, the table by offence group, the method
    and the ONS's caveats; nothing where the config names no ONS tables."""
    benchmark = analysis.benchmark
    if benchmark is None:
        return []
    district = config.district
    ranked = [figure(figures["ranked"])] if "ranked" in figures else []
    return [
        Part(
            [
                benchmark_words.introduction(benchmark, district),
                benchmark_words.change_sentence(benchmark, district),
                *wording.paragraphs("crime_data.benchmark", **fill_ins(config)),
            ],
            heading="How the District Compares",
            anchor="crime-data-benchmark",
        ),
        Part(
            blocks=[
                data_table(
                    benchmark_words.comparison_table(benchmark, district),
                    benchmark_words.table_caption(benchmark, district, table_number),
                )
            ],
            landscape=True,
        ),
        Part(blocks=ranked),  # after the landscape pages, at the top of a page of its own
        Part(
            [
                benchmark_words.why_these_differ(analysis.source),
                benchmark_words.method(benchmark),
                benchmark_words.peers_paragraph(benchmark, district),
                *filter(
                    None,
                    [
                        benchmark_words.groups_left_out(benchmark),
                        benchmark_words.small_numbers(benchmark, config.small_numbers_threshold),
                    ],
                ),
                benchmark_words.caveats_paragraph(benchmark),
            ],
            heading="About These Figures",
            anchor="crime-data-benchmark-notes",
            bullets=benchmark_words.caveat_lines(benchmark, table_number),
        ),
    ]


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
