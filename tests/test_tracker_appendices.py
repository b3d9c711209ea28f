"""Appendix C, the quarter's return, rendered from a small CSV tracker."""

from __future__ import annotations

import re

import pytest

from pipeline.document import Appendix, Part, appendix_lines, appendix_sections, letter_appendices
from pipeline.periods import compared_periods, parse_financial_year
from pipeline.tracker_appendices import opcc_return_appendix
from tests.test_opcc_return import write_tracker

YEAR = parse_financial_year("2025-26")
PERIOD = compared_periods(YEAR, 2)["quarter"]


@pytest.fixture(scope="module")
def html(tmp_path_factory) -> str:
    """Appendix C for Q2: Campaigns rated both quarters, CCTV unrated in Q2, Events new in Q2."""
    tracker = write_tracker(
        tmp_path_factory.mktemp("tracker") / "small",
        [
            (1, "Campaigns", "Q1: Lighter Nights", "£400", "Green", ""),
            (1, "CCTV", "Nothing this quarter", "", "", ""),
            (
                2,
                "Campaigns",
                "Q1: Lighter Nights\n• Safer Summer\n• <b>Bonfire</b>",
                "£700.50",
                "Amber",
                "<script>alert(1)</script>",
            ),
            (2, "CCTV", "Nothing this quarter", "", "", ""),
            (2, "Events", "Venues booked", "£300", "Red", ""),
        ],
        budgets={"Campaigns": "£1,000", "CCTV": "£500", "Events": "£400"},
        allocation="£2,000",
    )
    appendix = opcc_return_appendix(tracker, YEAR, 2, PERIOD)
    crime = Appendix("crime_data", "Crime data", [Part(["Figures."])])
    letters = letter_appendices([crime, appendix])
    (_, section_c) = appendix_sections([crime, appendix], letters)
    assert letters == {"crime_data": "A", "opcc_return": "B"}  # no action plan appendix here
    assert appendix_lines([crime, appendix], letters)[1].startswith("B. Quarterly Return")
    return str(section_c.html)


def text_of(html: str) -> str:
    """The page's words without tags, single-spaced."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_summary_counts_ratings_changes_and_idle_projects(html):
    words = text_of(html)
    assert (
        "The quarter 2 return covers 3 projects: 1 rated Amber, 1 Red, and 1 not yet rated."
        in words
    )
    assert "1 project moved from Green to Amber (Campaigns)." in words
    assert "1 project was rated for the first time, as Red (Events)." in words
    # CCTV: nothing spent and "Nothing this quarter".
    assert "No activity was reported for 1 project this quarter (CCTV)" in words


def test_grant_spend_is_stated_with_its_chart_and_data(html):
    words = text_of(html)
    # 700.50 + 300.00 = 1,000.50 of 2,000.00: 50.025% -> 50.0%; the profile at Q2 is 1,000.00.
    assert "£1,000.50 had been spent (50.0% of the grant, with 50.0% of the year gone)" in words
    assert "spend to date is £0.50 above it" in words
    assert re.search(r'<img src="data:image/png;base64,[^"]+" alt="Line chart of the grant', html)
    assert "<caption>Data for the chart &#39;By the end of quarter 2" in html


def test_overview_table_gives_money_and_each_quarter_rating_in_words(html):
    campaigns = re.search(r'<tr><th scope="row">Campaigns</th>.*?</tr>', html).group(0)
    # Budget £1,000; spent in Q2 £700.50 - £400.00 = £300.50; 700.50 / 1,000 = 70.05% -> 70.1%.
    assert re.findall(r'<td class="number">([^<]*)</td>', campaigns) == [
        "£1,000.00",
        "£300.50",
        "£700.50",
        "70.1%",
    ]
    assert re.findall(r'<span class="rag rag-(\w+)">(\w[\w ]*)</span>', campaigns) == [
        ("green", "Green"),
        ("amber", "Amber"),
    ]
    events = re.search(r'<tr><th scope="row">Events</th>.*?</tr>', html).group(0)
    assert '<td class="rating">No return</td>' in events  # Events sent nothing in Q1
    cctv = re.search(r'<tr><th scope="row">CCTV</th>.*?</tr>', html).group(0)
    assert cctv.count('<span class="rag rag-none">Not yet rated</span>') == 2


def test_each_project_return_keeps_line_breaks_and_escapes_markup(html):
    assert "<caption>Campaigns: return for quarter 2</caption>" in html
    assert "Q1: Lighter Nights\n• Safer Summer\n• &lt;b&gt;Bonfire&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    cctv = html[html.index("<caption>CCTV: return") :]
    assert '<tr><th scope="row">Cost to date</th><td>None reported</td></tr>' in cctv
    assert '<tr><th scope="row">Notes</th><td>-</td></tr>' in cctv


def test_a_quarter_without_returns_yet_is_said_and_warned(tmp_path, capsys):
    from pipeline.planning import check_tracker, make_plan
    from tests.conftest import SAMPLE_RAW

    tracker = write_tracker(
        tmp_path / "tracker",
        [(1, "Campaigns", "Leaflets", "£400", "Green", ""), (2, "Campaigns", "Radio", "", "", "")],
    )
    q3 = compared_periods(YEAR, 3)["quarter"]
    appendix = opcc_return_appendix(tracker, YEAR, 3, q3)
    summary = appendix.parts[0]
    assert "The tracker holds no returns for quarter 3 2025/26 yet." in summary.paragraphs
    assert summary.blocks == [] and appendix.parts[2].blocks == []  # no tables to show
    if not (SAMPLE_RAW / ".complete").exists():
        pytest.skip("sample data not generated: run through `make test`")
    config = tmp_path / "config.yaml"
    config.write_text(
        "district: Ashworth Vale\nforce: Wealdmoor Constabulary\ninputs:\n"
        f"  force_crimes: {SAMPLE_RAW / 'force-extract' / 'ashworth-vale-crimes.csv'}\n"
        f"  force_asb: {SAMPLE_RAW / 'force-extract' / 'ashworth-vale-asb.csv'}\n"
        f"  tracker: {tmp_path / 'tracker'}\n",
        encoding="utf-8",
    )
    check_tracker(make_plan(str(config), "2025-26", "3"))
    warnings = [line for line in capsys.readouterr().err.splitlines() if "[warning]" in line]
    assert warnings == [
        f"[warning] {tmp_path / 'tracker'}: no quarterly returns for 2025-26 Q3 yet; the "
        "report's return appendix will say so."
    ]


def test_the_story_names_each_appendix_and_recommends_reviewing_the_plan():
    from pipeline.periods import parse_financial_year
    from pipeline.sections.body import default_recommendations, tracker_appendix_paragraphs

    class Quarter:  # what the two read of the analysis
        year, quarter = parse_financial_year("2025-26"), 2

    letters = {"action_plan": "A", "crime_data": "B", "opcc_return": "C"}
    assert default_recommendations(Quarter, letters) == [
        "Note the crime and anti-social behaviour figures for quarter 2 2025/26 (Appendix B).",
        "Review and note the current action plan (Appendix A) and the quarter's return to the "
        "Office of the Police and Crime Commissioner (Appendix C).",
    ]
    assert default_recommendations(Quarter, {"crime_data": "A"}) == [
        "Note the crime and anti-social behaviour figures for quarter 2 2025/26 (Appendix A)."
    ]
    said = tracker_appendix_paragraphs(Quarter, letters)
    assert said[0].startswith("Appendix A sets out the partnership's action plan for 2025/26")
    assert said[1].startswith("Appendix C is the partnership's return to the Office of the Police")
    assert tracker_appendix_paragraphs(Quarter, {"crime_data": "A"}) == []


def test_the_package_s_no_risk_line_gives_way_to_the_risks_found():
    from pipeline.sections.body import implications_parts
    from pipeline.wording import report_wording

    wording = report_wording({}, {"implications.risk": ("The analyst's word.",)})
    values = {"district": "Testville", "council": "Testville Council", "committee": "committee"}
    parts = {part.anchor: part for part in implications_parts(wording, values, {"risk": ["R."]})}
    assert parts["implications-risk"].paragraphs == ["R.", "The analyst's word."]
    quiet = {part.anchor: part for part in implications_parts(wording, values, {})}
    assert quiet["implications-risk"].paragraphs == [
        "There are no risks arising from noting this report.",
        "The analyst's word.",
    ]


def test_a_quarter_of_a_year_the_tracker_does_not_hold_says_so_and_warns(tmp_path):
    from pipeline.opcc_return import other_year_notes
    from pipeline.periods import parse_financial_year
    from pipeline.sections.body import tracker_appendix_paragraphs
    from pipeline.sources.tracker import read_tracker
    from tests.test_tracker import a_return, workbook

    tracker = read_tracker(workbook(tmp_path, [a_return(2, "Bystander Training", "£100")]))

    class Quarter:  # 2024-25, a year after the tracker's 2023-24
        year, quarter = parse_financial_year("2024-25"), 4

    assert tracker_appendix_paragraphs(Quarter, {"crime_data": "A"}, tracker) == [
        "The partnership's action plan and quarterly returns for 2024/25 are not in its "
        "tracker, which covers 2023/24, so this report has no action plan or return appendix."
    ]
    [note] = other_year_notes(tracker, "2024-25")
    assert note.endswith(
        "holds no action plan or quarterly returns for 2024-25 (it holds 2023-24); the report "
        "has no action plan or return appendix and says so."
    )
    assert other_year_notes(tracker, "2023-24") == []
