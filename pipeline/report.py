"""The committee document, assembled from its parts (`pipeline/sections/`): cover, contents,
body and appendices."""

from __future__ import annotations

from dataclasses import replace

from pipeline.analysis import QuarterAnalysis
from pipeline.benchmark_words import ons_paper
from pipeline.config import Config
from pipeline.document import (
    Appendix,
    CommitteeReport,
    Part,
    appendix_lines,
    appendix_sections,
    contents,
    letter_appendices,
    section,
)
from pipeline.ingest_summary import IngestSummary
from pipeline.opcc_return import has_returns, year_plan
from pipeline.sections.body import (
    background_paper,
    calendar_quarter,
    default_recommendations,
    details_parts,
    fill_ins,
    financial_paragraphs,
    implications_parts,
    purpose_part,
    risk_paragraphs,
    summary_parts,
    tracker_paper,
)
from pipeline.sections.cover import cover
from pipeline.sections.crime_data import (
    build_charts,
    crime_data_appendix,
)
from pipeline.sections.crime_source import crime_source
from pipeline.sources.tracker import Tracker
from pipeline.tracker_appendices import action_plan_appendix, opcc_return_appendix
from pipeline.wording import Wording, report_title, report_wording


def tracker_appendices(tracker: Tracker | None, analysis: QuarterAnalysis) -> list[Appendix]:
    """The action plan, if the tracker has one, and the quarter's return, if the year has any."""
    if tracker is None:
        return []
    appendices = []
    if not year_plan(tracker.plan, analysis.year.name).empty:
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
    title = report_title(config.district, analysis.year.label, analysis.quarter)
    source = crime_source(analysis)  # a force extract or police.uk: chosen here, once
    figures = build_charts(analysis, source, config.small_numbers_threshold, config.district)
    appendices = [crime_data_appendix(config, analysis, summary, wording, source, figures)]
    appendices += tracker_appendices(tracker, analysis)
    letters = letter_appendices(appendices)
    recommendations = list(config.committee.recommendations) or default_recommendations(
        analysis, letters
    )
    body = [
        section(
            "summary",
            "Summary",
            [
                *summary_parts(config, analysis, source, letters["crime_data"]),
                Part(wording.paragraphs("summary", **values)),
            ],
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
                config,
                analysis,
                source,
                wording.paragraphs("details", **values),
                letters,
                tracker,
            ),
            number=3,
        ),
        section(
            "implications",
            "Implications of Decisions",
            implications_parts(
                wording,
                values,
                {
                    "financial": financial_paragraphs(tracker, analysis),
                    "risk": risk_paragraphs(tracker, analysis, letters),
                },
            ),
            4,
        ),
        section(
            "alternative-options",
            "Alternative Options Considered",
            [Part(wording.paragraphs("alternative_options", **values))],
            number=5,
        ),
        section(
            "background-papers",
            "Background Papers",
            [
                Part(
                    [
                        background_paper(config, summary),
                        *(
                            [tracker_paper(config, tracker)]
                            if tracker is not None and {"action_plan", "opcc_return"} & set(letters)
                            else []
                        ),
                        *([] if analysis.benchmark is None else [ons_paper(analysis.benchmark)]),
                        *wording.paragraphs("background_papers", **values),
                    ]
                )
            ],
            number=6,
        ),
        *appendix_sections(appendices, letters),
    ]
    front = cover(config, title, appendix_lines(appendices, letters))
    return CommitteeReport(title, [front, contents(body), *body])
