"""The body of the committee paper: summary, purpose, details, implications, background papers."""

from __future__ import annotations

from pathlib import Path

from pipeline import narrative
from pipeline.analysis import ALL_CRIME_SERIES, ASB_SERIES, QuarterAnalysis
from pipeline.attention import quarter_signals, standing_changes
from pipeline.attention_words import (
    COUNT_WORDS,
    change_sentence,
    headline,
    in_line_sentence,
    judgement,
    largest_in_line,
    overview,
    signal_sentence,
    signals_note,
)
from pipeline.benchmark_words import summary_sentence
from pipeline.config import Config
from pipeline.document import (
    Part,
)
from pipeline.grant import grant_position
from pipeline.ingest_summary import IngestSummary
from pipeline.numbers import (
    format_month,
)
from pipeline.opcc_return import idle_projects, rag_changes, years_held
from pipeline.periods import ComparedPeriod, compared_periods, parse_financial_year
from pipeline.return_words import financial_sentence, risk_sentences
from pipeline.sections.crime_source import (
    SOURCE_NAME,
    CrimeSource,
    period_spans,
)
from pipeline.sources.tracker import Tracker
from pipeline.text import join_words
from pipeline.wording import Wording


def key_findings(config: Config, analysis: QuarterAnalysis, source: CrimeSource) -> list[str]:
    """The generated findings, most important first."""
    all_crime, asb = source.headline_rows()
    small = config.small_numbers_threshold
    findings = []
    for name, period in analysis.reported_periods.items():
        findings += [
            headline(analysis.change_tests, name, all_crime, period, small),
            headline(analysis.change_tests, name, asb, analysis.asb_periods[name], small),
        ]
    quarter = analysis.quarter_period
    findings += source.findings(analysis, small)
    findings.append(narrative.most_common(analysis.mix, quarter, noun=source.mix_noun))
    findings.append(narrative.top_area(analysis.top_crime_areas, quarter, "offences", "crime"))
    if not analysis.top_asb_areas.empty:
        findings.append(
            narrative.top_area(
                analysis.top_asb_areas,
                analysis.asb_periods["quarter"],
                "incidents",
                "anti-social behaviour",
            )
        )
    if analysis.no_location is not None:
        findings.append(narrative.no_location(analysis.no_location, config.force, quarter))
    return findings


def fill_ins(config: Config) -> dict[str, str]:
    """The values standing text may name: `{district}`, `{council}` and `{committee}`."""
    details = config.committee
    return {
        "district": config.district,
        "council": details.council or config.district,
        "committee": details.committee or "committee",
    }


def judgement_part(config: Config, analysis: QuarterAnalysis) -> Part:
    """What stands out in the quarter, by evidence: the changes larger than chance would explain
    and the control charts' signals in its months; or that nothing does."""
    quarter = analysis.quarter_period
    changes = standing_changes(analysis.change_tests, "quarter")
    signals = quarter_signals(analysis.control_charts, quarter.current)
    small = config.small_numbers_threshold
    return Part(
        [judgement(quarter, changes, signals, analysis.has_monthly_control_charts)],
        bullets=[change_sentence(change, small) for change in changes]
        + [signal_sentence(signal) for signal in signals],
    )


def summary_parts(
    config: Config, analysis: QuarterAnalysis, source: CrimeSource, data_letter: str
) -> list[Part]:
    """The summary's generated parts: what stands out, then what the report covers and the
    quarter's two totals (section 3 gives each period's headlines), and how the district's
    crime rate compares (with ONS tables)."""
    quarter = analysis.quarter_period
    all_crime, asb = source.headline_rows()
    compared = (
        []
        if analysis.benchmark is None
        else [summary_sentence(analysis.benchmark, config.district, f"Appendix {data_letter}")]
    )
    signals = quarter_signals(analysis.control_charts, quarter.current)
    note = signals_note(signals, {ALL_CRIME_SERIES, ASB_SERIES}, f"Appendix {data_letter}")
    return [
        judgement_part(config, analysis),
        *([Part([note])] if note else []),
        Part(
            [
                f"This report sets out recorded crime and anti-social behaviour in "
                f"{config.district} for quarter {analysis.quarter} of {analysis.year.label} "
                f"({quarter.bracketed_span}), compared with the same months a year before.",
                overview(
                    analysis.change_tests, all_crime, asb, quarter, analysis.asb_periods["quarter"]
                ),
                *compared,
            ]
        ),
    ]


def key_changes_parts(config: Config, analysis: QuarterAnalysis, source: CrimeSource) -> list[Part]:
    """The rolling 12 months' changes that stand out from chance, and the largest of the rest,
    in line with normal variation."""
    name = "rolling_12_months"
    rolling = analysis.periods[name]
    changes = standing_changes(analysis.change_tests, name)
    coverage = f" ({rolling.coverage_note})" if rolling.left_out else ""
    parts = []
    if changes:
        parts.append(
            Part(
                [
                    f"The changes in the rolling 12 months to {rolling.last:%B %Y}{coverage}, "
                    "compared with the same months a year before, that stand out from normal "
                    "variation once the number of comparisons is allowed for were:"
                ],
                bullets=[
                    change_sentence(change, config.small_numbers_threshold) for change in changes
                ],
            )
        )
    table = analysis.performance[name]
    groups = set(table.loc[table["level"] == 0, "crime_type"])  # not the rows inside them
    in_line = in_line_sentence(
        rolling, largest_in_line(analysis.change_tests, name, changes, groups=groups), bool(changes)
    )
    parts.append(Part([text for text in (in_line, source.provisional_note) if text]))
    return parts


def purpose_part(config: Config, analysis: QuarterAnalysis, committee: str) -> Part:
    """What the report is for and which periods it compares."""
    return Part(
        [
            f"This report gives the {committee} the crime and anti-social behaviour figures "
            f"for {config.district} for quarter {analysis.quarter} of {analysis.year.label}.",
            f"Each figure compares {COUNT_WORDS[len(analysis.reported_periods)]} periods with "
            "the same months a year before: "
            f"{period_spans(analysis)}.",
        ]
    )


def details_parts(
    config: Config,
    analysis: QuarterAnalysis,
    source: CrimeSource,
    commentary: list[str],
    letters: dict[str, str],
    tracker: Tracker | None = None,
) -> list[Part]:
    """Section 3: key findings, key changes (force extract), the analyst's words, then what each
    appendix holds."""
    data_letter = letters["crime_data"]
    parts = [Part(key_findings(config, analysis, source))]
    parts += key_changes_parts(config, analysis, source)
    compares = analysis.benchmark is not None
    parts.append(Part(commentary))
    parts.append(
        Part(
            [
                f"Appendix {data_letter} gives the figures in full: the performance tables for "
                f"the {COUNT_WORDS[len(analysis.reported_periods)]} periods, "
                f"{source.appendix_groups}monthly trends, crime mix and areas, "
                f"{'how the district compares with other areas in the ONS figures, ' * compares}"
                f"with the data behind every chart and how each figure is defined."
            ]
            + tracker_appendix_paragraphs(analysis, letters, tracker)
        )
    )
    return parts


def tracker_appendix_paragraphs(
    analysis: QuarterAnalysis, letters: dict[str, str], tracker: Tracker | None = None
) -> list[str]:
    """What the action plan and the return to the OPCC appendices hold, where they are present;
    that the tracker holds neither for the quarter's year, where it holds other years'."""
    paragraphs = []
    if tracker is not None and not {"action_plan", "opcc_return"} & set(letters):
        held = [parse_financial_year(name).label for name in years_held(tracker)]
        paragraphs.append(
            f"The partnership's action plan and quarterly returns for {analysis.year.label} are "
            "not in its tracker"
            + (f", which covers {join_words(held)}" if held else "")
            + ", so this report has no action plan or return appendix."
        )
    if "action_plan" in letters:
        paragraphs.append(
            f"Appendix {letters['action_plan']} sets out the partnership's action plan for "
            f"{analysis.year.label}: its priorities, objectives and actions, each with its "
            "success measure, lead and funding."
        )
    if "opcc_return" in letters:
        paragraphs.append(
            f"Appendix {letters['opcc_return']} is the partnership's return to the Office of "
            f"the Police and Crime Commissioner for quarter {analysis.quarter}: how each "
            "project is rated and what changed, the grant spent against its profile, and each "
            "project's activities and cost to date."
        )
    return paragraphs


def default_recommendations(analysis: QuarterAnalysis, letters: dict[str, str]) -> list[str]:
    """The recommendations where neither the quarter nor the config gives its own: note the
    figures, and with a tracker review the action plan and the return."""
    recommendations = [
        f"Note the crime and anti-social behaviour figures for quarter {analysis.quarter} "
        f"{analysis.year.label} (Appendix {letters['crime_data']})."
    ]
    tracker_parts = [
        f"the current action plan (Appendix {letters['action_plan']})"
        if "action_plan" in letters
        else "",
        f"the quarter's return to the Office of the Police and Crime Commissioner (Appendix "
        f"{letters['opcc_return']})"
        if "opcc_return" in letters
        else "",
    ]
    named = [part for part in tracker_parts if part]
    if named:
        recommendations.append(f"Review and note {' and '.join(named)}.")
    return recommendations


IMPLICATIONS = (  # the seed's (Harborough's) order
    ("corporate_priorities", "Corporate Priorities"),
    ("consultation", "Consultation"),
    ("financial", "Financial"),
    ("legal", "Legal"),
    ("environmental", "Environmental Implications"),
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
            generated.get(key, [])
            + wording.paragraphs(
                f"implications.{key}", package_default=not generated.get(key), **values
            ),
            heading=heading,
            anchor=f"implications-{key.replace('_', '-')}",
        )
        for key, heading in IMPLICATIONS
    ]


def risk_paragraphs(
    tracker: Tracker | None, analysis: QuarterAnalysis, letters: dict[str, str]
) -> list[str]:
    """The risks the quarter's return shows (ratings, spend against profile, inactivity)."""
    if tracker is None or "opcc_return" not in letters:
        return []
    year, quarter = analysis.year.name, analysis.quarter
    changes = rag_changes(tracker.returns, year, quarter)
    if changes.empty:
        return []
    return risk_sentences(
        changes,
        grant_position(tracker.allocation, tracker.returns, year, quarter),
        idle_projects(tracker.returns, year, quarter),
        f"Appendix {letters['opcc_return']}",
        quarter,
    )


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
    return [financial_sentence(position, analysis.year)]


def tracker_paper(config: Config, tracker: Tracker) -> str:
    """The tracker as a background paper: the action plan, returns and grant it holds."""
    name = "" if tracker.path is None else f" ({Path(tracker.path).name})"
    return (
        f"{config.district} Community Safety Partnership's action plan tracker{name}: the action "
        "plan, the quarterly returns to the Office of the Police and Crime Commissioner and the "
        "grant."
    )


def background_paper(config: Config, summary: IngestSummary) -> str:
    """The crime records the report rests on."""
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
