"""What differs with the crime data's source (a force extract or police.uk files), chosen once."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from pipeline import charts, narrative
from pipeline.analysis import QuarterAnalysis
from pipeline.attention_words import PROVISIONAL_OUTCOMES
from pipeline.config import Config
from pipeline.document import (
    Part,
    figure,
)
from pipeline.ingest_summary import IngestSummary
from pipeline.numbers import (
    count_with_unit,
    format_count,
    format_month,
)
from pipeline.sections.table_html import (
    home_office_table_html,
    performance_table_html,
)
from pipeline.taxonomy import ALL_CRIME, home_office, police_uk
from pipeline.text import join_words

SOURCE_NAME = "data.police.uk"
LICENCE = "Open Government Licence v3.0"


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
    extract = summary.force_extract
    asb = (
        police_uk_asb_paragraphs(config, summary)
        if "police_uk" in summary.sources
        else ["Anti-social behaviour incidents come from the force's extract of ASB incidents."]
    )
    return [
        f"Crime figures come from the extract of recorded crime that {config.force} supplied "
        f"for {config.district}. It holds {format_count(extract.crimes_read)} crimes; the "
        f"{format_count(extract.crimes_kept)} recorded or given an outcome from "
        f"{months_used(summary)} are used here.",
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
        f"Where either of two counts compared is below "
        f"{format_count(config.small_numbers_threshold)}, the text gives the counts but no "
        "percentage change, which small numbers make unstable; the tables give every "
        "percentage.",
    ]


def months_used(summary: IngestSummary) -> str:
    """`October 2022 to September 2025 (the 24 months compared, from October 2023, and the 12
    before them, which only the control charts show)`, or the compared months alone."""
    compared, charted = summary.months, summary.chart_months or summary.months
    span = f"{format_month(compared[0])} to {format_month(compared[-1])}"
    if charted[0] >= compared[0]:
        return span
    earlier = sum(month < compared[0] for month in charted)
    return (
        f"{format_month(charted[0])} to {format_month(compared[-1])} (the "
        f"{len(compared)} months compared, from {format_month(compared[0])}, and the "
        f"{earlier} before them, which only the control charts show)"
    )


def months_read(summary: IngestSummary) -> str:
    """The police.uk months read, counted and named: `the 24 months read (… to …)`, with any
    earlier months read for the control charts counted."""
    read = [pd.Period(month, freq="M") for month in summary.police_uk_months_read]
    if not read:
        return "the months read"
    wanted = [pd.Period(month, freq="M") for month in summary.months]
    absent = [month for month in wanted if month not in set(read)]
    earlier = [month for month in read if month < wanted[0]]
    span = f"{format_month(str(wanted[0]))} to {format_month(str(wanted[-1]))}"
    if absent:
        span += ", without " + join_words([format_month(str(m)) for m in absent])
    if earlier:
        span += f", and {count_with_unit(len(earlier), 'months')} before, for the control charts"
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
    periods = analysis.reported_periods
    return FiguresSection(
        [
            f"{tables_named(analysis)} give offences and positive outcomes by police.uk crime "
            f"type for "
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
    """The compared periods in words, each with its months (in quarter 1 the quarter is the
    year to date, in quarter 4 the rolling 12 months is: said once)."""
    periods = analysis.periods
    rolling = f"the rolling 12 months ({periods['rolling_12_months'].bracketed_span})"
    if analysis.year_to_date_is == "quarter":
        return (
            f"the quarter, which is also the year to date ({periods['quarter'].bracketed_span}), "
            f"and {rolling}"
        )
    if analysis.year_to_date_is == "rolling_12_months":
        return (
            f"the quarter ({periods['quarter'].bracketed_span}) and the rolling 12 months, "
            f"which is also the year to date ({periods['rolling_12_months'].bracketed_span})"
        )
    return (
        f"the quarter ({periods['quarter'].bracketed_span}), the year to date "
        f"({periods['year_to_date'].bracketed_span}) and {rolling}"
    )


def tables_named(analysis: QuarterAnalysis) -> str:
    """`Tables 1 to 3`, or `Tables 1 and 2` where the paper reports two periods."""
    count = len(analysis.reported_periods)
    return "Tables 1 and 2" if count == 2 else f"Tables 1 to {count}"


def force_extract_figures(
    analysis: QuarterAnalysis, figures: dict[str, charts.Chart]
) -> FiguresSection:
    """The Home Office tables for the three periods, and the two offence group charts."""
    rolling = analysis.periods["rolling_12_months"]
    return FiguresSection(
        [
            f"{tables_named(analysis)} give offences, solved outcomes and solved rates by Home "
            f"Office crime "
            f"type for {period_spans(analysis)}, each against the same months a year before, with "
            f"the share of offences flagged as domestic abuse. {SPREADSHEET_NOTE}",
            ROUNDING_NOTE,
        ],
        [
            home_office_table_html(analysis.performance[name], period, number)
            for number, (name, period) in enumerate(analysis.reported_periods.items(), start=1)
        ],
        [
            f"The charts compare offences and solved rates in each offence group over the rolling "
            f"12 months ({rolling.bracketed_span}) with the 12 months before."
        ],
        [figure(figures["groups"]), figure(figures["solved_rates"])],
        count=len(analysis.reported_periods),
    )


class CrimeSource(ABC):
    """What differs with where the crime figures come from: the rows the headlines read, the
    findings, charts and tables only that source gives, and how its figures are defined.

    `crime_source` chooses one for a report; nothing else in the paper asks which it is.
    """

    mix_noun: str  # what the crime mix is by
    appendix_groups: str  # the appendix's contents, as the details section lists them
    provisional_note: str  # that recent outcomes are provisional, unless its findings say so

    @abstractmethod
    def headline_rows(self) -> tuple[str, str]:
        """The names of the all-crime and anti-social behaviour rows of the tables."""

    @abstractmethod
    def findings(self, analysis: QuarterAnalysis, small_base: int) -> list[str]:
        """The key findings only this source gives, after the headlines."""

    @abstractmethod
    def charts(self, analysis: QuarterAnalysis, small_base: int) -> dict[str, charts.Chart]:
        """The charts only this source gives."""

    @abstractmethod
    def figures(self, analysis: QuarterAnalysis, drawn: dict[str, charts.Chart]) -> FiguresSection:
        """The performance tables of the appendix, introduced, with this source's charts."""

    @abstractmethod
    def outcomes(self, config: Config) -> Part:
        """The outcomes counted as solved or positive, introduced."""

    @abstractmethod
    def data_paragraphs(self, config: Config, summary: IngestSummary) -> list[str]:
        """Where the figures come from and how they are defined."""


class ForceExtractSource(CrimeSource):
    """A force extract: Home Office rows, solved outcomes, offence groups, key changes."""

    mix_noun = narrative.OFFENCE_GROUP
    appendix_groups = "offence groups, "
    provisional_note = PROVISIONAL_OUTCOMES

    def headline_rows(self) -> tuple[str, str]:
        return home_office().all_crime_row.name, home_office().asb_row.name

    def findings(self, analysis: QuarterAnalysis, small_base: int) -> list[str]:
        return [narrative.solved_rate(analysis.performance["quarter"], analysis.quarter_period)]

    def charts(self, analysis: QuarterAnalysis, small_base: int) -> dict[str, charts.Chart]:
        rolling = analysis.periods["rolling_12_months"]
        table = analysis.performance["rolling_12_months"]
        return {
            "groups": charts.offences_by_group_chart(table, rolling, small_base=small_base),
            "solved_rates": charts.solved_rate_by_group_chart(table, rolling),
        }

    def figures(self, analysis: QuarterAnalysis, drawn: dict[str, charts.Chart]) -> FiguresSection:
        return force_extract_figures(analysis, drawn)

    def outcomes(self, config: Config) -> Part:
        return Part(
            ["The Home Office outcome types counted as solved are:"],
            bullets=solved_outcome_types(config),
        )

    def data_paragraphs(self, config: Config, summary: IngestSummary) -> list[str]:
        return force_extract_paragraphs(config, summary)


class PoliceUkSource(CrimeSource):
    """police.uk street files alone: crime types, positive outcomes, the largest moves."""

    mix_noun = narrative.CRIME_TYPE
    appendix_groups = ""
    provisional_note = ""  # narrative.outcome_rate says it, beside the rate

    def headline_rows(self) -> tuple[str, str]:
        return ALL_CRIME, police_uk().anti_social_behaviour

    def findings(self, analysis: QuarterAnalysis, small_base: int) -> list[str]:
        quarter, table = analysis.quarter_period, analysis.performance["quarter"]
        return [narrative.outcome_rate(table, quarter)]

    def charts(self, analysis: QuarterAnalysis, small_base: int) -> dict[str, charts.Chart]:
        return {}

    def figures(self, analysis: QuarterAnalysis, drawn: dict[str, charts.Chart]) -> FiguresSection:
        return police_uk_figures(analysis)

    def outcomes(self, config: Config) -> Part:
        return Part(
            [
                "The police.uk outcome categories counted as positive are listed below. "
                "police.uk gives only each crime's latest outcome. The court categories follow a "
                "charge or summons (Home Office outcome 1), so a crime that was charged counts "
                "as positive whatever the court later decided."
            ],
            bullets=positive_outcome_wordings(),
        )

    def data_paragraphs(self, config: Config, summary: IngestSummary) -> list[str]:
        return police_uk_paragraphs(config, summary)


def crime_source(analysis: QuarterAnalysis) -> CrimeSource:
    """The source of the analysis's crime figures, chosen once for the whole paper."""
    return ForceExtractSource() if analysis.uses_force_extract else PoliceUkSource()
