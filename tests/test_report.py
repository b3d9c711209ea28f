"""Presentation helpers of the committee document."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.document import cell_text, data_table
from pipeline.ingest_summary import ExtractProvenance, IngestSummary
from pipeline.sections.table_html import short_span


def test_cells_get_separators_one_decimal_and_dashes():
    assert cell_text(np.int64(12345)) == "12,345"
    assert cell_text(7) == "7"
    assert cell_text(np.float64(46.25)) == "46.3"  # already-rounded figures shown half up
    assert cell_text(pd.NA) == "-"
    assert cell_text(None) == "-"
    assert cell_text("October") == "October"


def test_data_table_escapes_text_and_formats_counts():
    frame = pd.DataFrame({"Area": ["<script>x</script>"], "Offences": [np.int64(1500)]})
    html = str(data_table(frame, "Table & caption"))
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "Table &amp; caption" in html
    assert "<td>1,500</td>" in html


def test_column_spans_read_as_a_clerk_writes_them():
    assert short_span(pd.Period("2025-07", "M"), pd.Period("2025-09", "M")) == "Jul-Sep 2025"
    assert short_span(pd.Period("2024-10", "M"), pd.Period("2025-09", "M")) == "Oct 2024-Sep 2025"


def test_home_office_table_has_three_sections_grouped_headers_and_dashes():
    from pipeline.periods import compared_periods, parse_financial_year
    from pipeline.sections.table_html import home_office_table_html
    from pipeline.taxonomy import home_office

    period = compared_periods(parse_financial_year("2025-26"), 2)["rolling_12_months"]
    rows = [
        {"section": row.section, "level": row.level, "crime_type": row.name}
        for row in home_office().rows
    ]
    table = pd.DataFrame(rows).assign(
        offences_previous=1200,
        offences_current=1500,
        offences_diff=300,
        offences_pct_diff=25.0,
        solved_previous=pd.NA,
        solved_current=pd.NA,
        solved_diff=pd.NA,
        solved_pct_diff=pd.NA,
        solved_rate_previous=pd.NA,
        solved_rate_current=pd.NA,
        solved_rate_pt_diff=pd.NA,
        pct_da_current=pd.NA,
    )
    html = str(home_office_table_html(table, period, 1))
    assert html.count('scope="rowgroup"') == 3
    for name in ("Top Level", "Victim Based Crime", "State Based Crime"):
        assert f'colspan="13">{name}</th>' in html
    assert 'colspan="4">Offences</th>' in html and 'colspan="4">Solved outcomes</th>' in html
    assert "<td>1,500</td>" in html and "<td>+300</td>" in html and "<td>+25.0</td>" in html
    assert "<td>-</td>" in html
    assert html.count('class="level-2"') == 11  # 2 rape, 2 burglary, 3 vehicle, 4 theft
    assert "Table 1: rolling 12 months, October 2024 to September 2025" in html


# --- text that depends on which sources the config uses ---------------------------------------


def area_kinds(crime: str, asb: str):
    """Just the two area kinds of an analysis."""
    from types import SimpleNamespace

    return SimpleNamespace(crime_area_kind=crime, asb_area_kind=asb)


def test_area_paragraph_for_each_mix_of_sources():
    from pipeline.sections.crime_data import area_paragraph

    assert area_paragraph(area_kinds("LSOA", "LSOA")) == (
        "Areas are Lower Layer Super Output Areas (LSOAs), small areas of about 1,500 residents "
        "used by police.uk to place each record."
    )
    assert area_paragraph(area_kinds("ward", "ward")) == (
        "Areas are the council wards the force extract gives for each crime and incident."
    )
    assert area_paragraph(area_kinds("ward", "LSOA")) == (
        "Crime is shown by council ward, as the force extract gives it; anti-social behaviour by "
        "Lower Layer Super Output Areas (LSOAs), small areas of about 1,500 residents used by "
        "police.uk to place each record."
    )


def source_config(tmp_path, with_asb: bool, with_police_uk: bool):
    """A config naming a force extract, with or without its ASB file and police.uk files."""
    from pipeline.config import load_config

    (tmp_path / "crimes.csv").write_text("", encoding="utf-8")
    (tmp_path / "asb.csv").write_text("", encoding="utf-8")
    (tmp_path / "police").mkdir(exist_ok=True)
    lines = ["district: Testville", "force: Testshire Police", "inputs:"]
    lines.append("  force_crimes: crimes.csv")
    lines += ["  force_asb: asb.csv"] if with_asb else []
    lines += ["  police_uk: police", "  lsoa_name_prefix: Testville"] if with_police_uk else []
    (tmp_path / "c.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_config(tmp_path / "c.yaml")


def extract_summary(sources: list[str], kinds: list[str]) -> IngestSummary:
    """An ingest summary of a force extract (and police.uk, if among the sources)."""
    months = [str(m) for m in pd.period_range("2023-10", "2025-09", freq="M")]
    return IngestSummary(
        district="Testville",
        force="Testshire Police",
        force_as_configured="Testshire Police",
        financial_year="2025-26",
        quarter=2,
        sources=sources,
        selection="LSOAs named Testville",
        police_uk_folder="/data/police-uk" if "police_uk" in sources else None,
        months=months,
        chart_months=months,
        chart_months_unavailable={},
        missing_months_accepted=[],
        short_months_accepted=[],
        unavailable_months={},
        police_uk_months_read=months if "police_uk" in sources else [],
        rows_read=0,
        rows_kept_district=0,
        rows_no_location=1234,
        rows_other_districts=0,
        rows_reported_by_other_forces=0,
        warnings=[],
        files=[],
        force_extract=ExtractProvenance(
            files=[{"path": f"/data/{kind}.csv", "kind": kind} for kind in kinds],
            crimes_read=20564,
            crimes_kept=10703,
            asb_read=0,
            asb_kept=0,
        ),
    )


def test_force_extract_with_its_own_asb_names_only_the_extract(tmp_path):
    from pipeline.sections.body import background_paper
    from pipeline.sections.crime_data import data_paragraphs
    from pipeline.sections.crime_source import ForceExtractSource

    config = source_config(tmp_path, with_asb=True, with_police_uk=False)
    summary = extract_summary(["force_extract"], ["crimes", "asb"])
    assert background_paper(config, summary) == (
        "Extract of recorded crime and anti-social behaviour from Testshire Police "
        "(crimes.csv, asb.csv)."
    )
    text = " ".join(data_paragraphs(config, summary, ForceExtractSource()))
    assert (
        "It holds 20,564 crimes; the 10,703 recorded or given an outcome from October 2023 to "
        "September 2025 are used here." in text
    )
    assert "Anti-social behaviour incidents come from the force's extract" in text
    assert "police.uk" not in text


def test_force_crimes_with_police_uk_asb_credits_police_uk(tmp_path):
    from pipeline.sections.body import background_paper
    from pipeline.sections.crime_data import data_paragraphs
    from pipeline.sections.crime_source import ForceExtractSource

    config = source_config(tmp_path, with_asb=False, with_police_uk=True)
    summary = extract_summary(["force_extract", "police_uk"], ["crimes"])
    assert background_paper(config, summary) == (
        "Extract of recorded crime from Testshire Police (crimes.csv). data.police.uk "
        "street-level crime files for Testshire Police, October 2023 to September 2025."
    )
    text = " ".join(data_paragraphs(config, summary, ForceExtractSource()))
    assert (
        "Anti-social behaviour incidents come from the data.police.uk street-level files "
        "published for Testshire Police, October 2023 to September 2025, under the Open "
        "Government Licence v3.0, for the LSOAs named 'Testville' and a number" in text
    )
    assert "(1,234 over the 24 months read (October 2023 to September 2025))" in text


def test_months_read_for_the_control_charts_alone_are_counted_apart():
    from dataclasses import replace

    from pipeline.sections.crime_source import months_read

    summary = extract_summary(["force_extract", "police_uk"], ["crimes"])
    earlier = [str(m) for m in pd.period_range("2022-10", "2023-09", freq="M")]
    compared = [month for month in summary.months if month != "2024-11"]
    read = replace(summary, police_uk_months_read=earlier[2:] + compared)  # 10 + 23
    assert months_read(read) == (
        "the 33 months read (October 2023 to September 2025, without November 2024, and 10 "
        "months before, for the control charts)"
    )


# --- document structure: numbered sections, contents, appendix letters ---------------------------


def test_numbered_section_counts_paragraphs_on_through_its_subheadings():
    from pipeline.document import Part, section

    built = section(
        "implications",
        "Implications of Decisions",
        [
            Part(["Money."], heading="Financial", anchor="fin"),
            Part(["Law.", "More law."], heading="Legal", anchor="law"),
            Part([], heading="Risk Management", anchor="risk"),  # nothing to say: left out
        ],
        number=4,
    )
    html = str(built.html)
    assert "<h2>4. Implications of Decisions</h2>" in html
    numbers = [
        ("4.1", "Money."),
        ("4.2", "Law."),
        ("4.3", "More law."),
    ]
    for number, text in numbers:
        assert f'<span class="para-number">{number}</span><p>{text}</p>' in html
    assert html.index('id="fin"') < html.index("4.1") < html.index('id="law"') < html.index("4.2")
    assert "Risk Management" not in html
    assert built.entry.title == "4. Implications of Decisions"
    assert [(child.anchor, child.title) for child in built.entry.children] == [
        ("fin", "Financial"),
        ("law", "Legal"),
    ]


def test_analyst_text_is_escaped_in_a_section():
    from pipeline.document import Part, section

    html = str(section("details", "Details", [Part(["<script>alert(1)</script> & co"])], 3).html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "<script>" not in html


def test_contents_links_every_section_and_subheading_in_order():
    from pipeline.document import Part, contents, section

    sections = [
        section("summary", "Summary", [Part(["S."])]),
        section("details", "Details", [Part(["D."], heading="Sub", anchor="sub")], 3),
    ]
    html = str(contents(sections).html)
    links = [
        ('href="#summary"', "Summary"),
        ('href="#details"', "3. Details"),
        ('href="#sub"', "Sub"),
    ]
    positions = [html.index(f"<a {href}>{title}</a>") for href, title in links]
    assert positions == sorted(positions)
    assert 'aria-labelledby="contents-heading"' in html


def appendix(kind: str, title: str):
    """An appendix of one paragraph."""
    from pipeline.document import Appendix, Part

    return Appendix(kind, title, [Part(["Text."])])


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (["crime_data"], {"crime_data": "A"}),
        (["opcc_return", "crime_data"], {"crime_data": "A", "opcc_return": "B"}),
        (
            ["crime_data", "opcc_return", "action_plan"],
            {"action_plan": "A", "crime_data": "B", "opcc_return": "C"},
        ),
    ],
)
def test_appendices_are_lettered_in_the_seed_order_of_those_present(kinds, expected):
    from pipeline.document import letter_appendices

    assert letter_appendices([appendix(kind, kind) for kind in kinds]) == expected


def test_cover_appendices_row_and_headings_use_the_same_letters(tmp_path):
    from pipeline.config import load_config
    from pipeline.document import appendix_lines, appendix_sections, letter_appendices
    from pipeline.sections.cover import cover

    appendices = [
        appendix("opcc_return", "Return to the PCC"),
        appendix("crime_data", "Crime data"),
    ]
    letters = letter_appendices(appendices)
    lines = appendix_lines(appendices, letters)
    assert lines == ["A. Crime data", "B. Return to the PCC"]
    titles = [item.title for item in appendix_sections(appendices, letters)]
    assert titles == ["Appendix A: Crime data", "Appendix B: Return to the PCC"]
    (tmp_path / "c.csv").write_text("x\n", encoding="utf-8")
    config_path = tmp_path / "d.yaml"
    config_path.write_text(
        "district: D\nforce: F\ninputs:\n  force_crimes: c.csv\n  force_asb: c.csv\n",
        encoding="utf-8",
    )
    html = str(cover(load_config(config_path), "Title", lines).html)
    assert "<td>A. Crime data<br>B. Return to the PCC</td>" in html


def test_action_plan_appendix_groups_actions_by_priority_and_objective():
    from pipeline.document import appendix_sections, letter_appendices
    from pipeline.periods import parse_financial_year
    from pipeline.sources.tracker import read_tracker
    from pipeline.tracker_appendices import action_plan_appendix

    tracker = read_tracker(Path(__file__).parent / "tracker_inputs" / "small-district")
    plan = action_plan_appendix(tracker, parse_financial_year("2023-24"))
    crime = appendix("crime_data", "Crime and Anti-Social Behaviour Data")
    letters = letter_appendices([crime, plan])
    assert letters == {"action_plan": "A", "crime_data": "B"}  # as in the Harborough seed
    (section_a, _) = appendix_sections([crime, plan], letters)
    html = str(section_a.html)
    assert "<h2>Appendix A: Action Plan 2023/24</h2>" in html
    priorities = [child.title for child in section_a.entry.children]
    assert priorities[:2] == ["Priority 1 - People", "Priority 2 - Places"]
    # The first objective has two actions: one row-group header spanning both rows.
    assert (
        '<th scope="rowgroup" rowspan="2">Raise awareness of Domestic Abuse Support Services</th>'
        in html
    )
    assert "• White Ribbon Campaign (Nov)\n• 16 Days of Action (Nov)" in html  # line breaks kept
    assert "<caption>Priority 1 - People: actions</caption>" in html


def test_the_crime_source_is_chosen_once_from_the_analysis():
    from types import SimpleNamespace

    from pipeline.sections.crime_source import ForceExtractSource, PoliceUkSource, crime_source

    extract = crime_source(SimpleNamespace(uses_force_extract=True))
    police = crime_source(SimpleNamespace(uses_force_extract=False))
    assert isinstance(extract, ForceExtractSource) and isinstance(police, PoliceUkSource)
    assert extract.headline_rows() == ("All Crime", "Anti-Social Behaviour (incidents)")
    assert police.headline_rows() == ("All crime", "Anti-social behaviour")
    assert (extract.mix_noun, police.mix_noun) == ("offence group", "crime type")


def test_the_months_used_name_the_earlier_ones_only_the_control_charts_show():
    from types import SimpleNamespace

    from pipeline.sections.crime_source import months_used

    compared = [f"{year}-{month:02d}" for year in (2024, 2025) for month in range(1, 13)]
    summary = SimpleNamespace(months=compared, chart_months=["2023-11", "2023-12", *compared])
    assert months_used(summary) == (
        "November 2023 to December 2025 (the 24 months compared, from January 2024, and the 2 "
        "before them, which only the control charts show)"
    )
    assert months_used(SimpleNamespace(months=compared, chart_months=compared)) == (
        "January 2024 to December 2025"
    )
