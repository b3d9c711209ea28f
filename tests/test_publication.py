"""The published sample quarter read as a clerk gets it: the PDF, the committee HTML, the tables."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

pytestmark = pytest.mark.slow  # runs make, a browser or a whole quarter: not in make test-fast

STEM = "ashworth-vale-2025-26-Q2"
A4 = (595, 842)  # 210 x 297 mm in points, rounded
BODY_HEADINGS = [
    "Summary",
    "Recommendations",
    "Reasons for Recommendations",
    "1. Purpose of Report",
    "2. Background",
    "3. Details",
    "4. Implications of Decisions",
    "5. Alternative Options Considered",
    "6. Background Papers",
    "Appendix A: Action Plan 2025/26",
    "Appendix B: Crime and Anti-Social Behaviour Data, Quarter 2 2025/26",
    "Appendix C: Quarterly Return to the Office of the Police and Crime Commissioner, "
    "Quarter 2 2025/26",
]
IMPLICATIONS = [
    "Corporate Priorities",
    "Consultation",
    "Financial",
    "Legal",
    "Environmental Implications",
    "Risk Management",
    "Equalities Impact",
    "Data Protection",
]


@pytest.fixture(scope="module")
def pdf(published: Path) -> PdfReader:
    """The committee PDF."""
    return PdfReader(published / f"{STEM}-committee-report.pdf")


@pytest.fixture(scope="module")
def html(published: Path) -> str:
    """The committee HTML."""
    return (published / f"{STEM}-committee-report.html").read_text(encoding="utf-8")


def outline_titles(outline: list) -> list[str]:
    """Every bookmark's title, depth first, in document order."""
    titles = []
    for item in outline:
        titles.extend(outline_titles(item) if isinstance(item, list) else [item.title])
    return titles


def test_pdf_is_tagged_pdf_ua_with_title_and_language(pdf):
    root = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert pdf.metadata.title.startswith("Ashworth Vale: crime and anti-social behaviour")
    assert "pdfuaid" in pdf.xmp_metadata.rdf_root.toxml()


def test_every_page_is_a4_numbered_and_wide_tables_are_landscape(pdf):
    pages = len(pdf.pages)
    sizes = []
    for number, page in enumerate(pdf.pages, start=1):
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        assert size in {A4, A4[::-1]}, f"page {number} is {size}"
        sizes.append(size)
        assert f"Page {number} of {pages}" in page.extract_text()
    assert sizes[0] == A4
    landscape = [number for number, size in enumerate(sizes, start=1) if size == A4[::-1]]
    assert landscape, "the Home Office tables should print on landscape pages"
    for number in landscape:
        text = pdf.pages[number - 1].extract_text()
        # a Home Office table's repeated header, or the ONS comparison's by offence group
        assert "Crime type" in text or "Offence group" in text, f"page {number}"


def test_headings_are_bookmarks_in_reading_order(pdf):
    titles = outline_titles(pdf.outline)
    wanted = ["Contents", *BODY_HEADINGS[:7], *IMPLICATIONS, *BODY_HEADINGS[7:]]
    positions = [titles.index(title) for title in wanted]
    assert positions == sorted(positions)


def test_text_holds_the_headings_in_order_and_the_contents_gives_pages(pdf):
    # Page 1 is the cover and the contents begins under it, running onto page 2; the body
    # follows on page 3. A long heading may wrap.
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages[2:]).split())
    positions = [text.index(heading) for heading in BODY_HEADINGS]
    assert positions == sorted(positions)
    assert pdf.pages[2].extract_text().lstrip().startswith("Summary")
    contents = pdf.pages[0].extract_text() + pdf.pages[1].extract_text()
    assert "Report Author" in pdf.pages[0].extract_text() and "Contents" in contents
    # Each contents line ends with the page its section starts on, e.g. "2. Background ..... 2".
    details_page = int(re.search(r"3\. Details[ .]*?(\d+)\s*$", contents, re.M).group(1))
    assert "3. Details" in pdf.pages[details_page - 1].extract_text()


def test_cover_names_the_appendices_that_the_document_holds(html):
    assert re.search(
        r"<th scope=\"row\">Appendices</th>"
        r"<td>A\. Action Plan 2025/26<br/?>B\. Crime and Anti-Social",
        html,
    )
    assert re.search(r"B\. Crime and Anti-Social[^<]*<br/?>C\. Quarterly Return to the", html)
    assert all(f'id="appendix-{letter}"' in html for letter in "abc")
    assert "Appendix B gives the figures in full" in html


def test_commentary_from_the_quarter_file_lands_in_its_section(html):
    details = html[html.index('id="details"') : html.index('id="implications"')]
    assert "summer operation against anti-social behaviour" in details
    trends = html[html.index('id="crime-data-trends"') : html.index('id="crime-data-mix"')]
    assert "Recorded crime usually rises over the summer months" in trends


def test_every_chart_has_its_numbers_as_alt_text(html):
    alts = re.findall(r'<img [^>]*alt="([^"]*)"', html)
    assert len(alts) >= 6
    for alt in alts:
        assert re.search(r"\d", alt) and len(alt.split()) >= 8, alt


TABLE_NAMES = [
    "performance_quarter",
    "performance_year_to_date",
    "performance_rolling_12_months",
    "change_tests",
    "control_charts",
    "benchmark",  # the sample names its ONS tables
    "crime_mix",
    "top_crime_areas",
    "top_asb_areas",
    "top_crime_beats",  # the sample's force extract has beats and its ASB file location types
    "top_asb_beats",
    "asb_location_types",
    "top_domestic_abuse_beats",
    "monthly_crime",
    "monthly_asb",
    "period_coverage",
    "opcc_return",  # the sample has a tracker
    "grant_spend",
]


def test_tables_are_published_as_csv_and_one_workbook(published):
    csv_names = sorted(path.stem for path in (published / "tables").glob("*.csv"))
    assert csv_names == sorted(TABLE_NAMES)
    book = load_workbook(published / f"{STEM}-tables.xlsx")
    assert book.sheetnames == ["Contents", *TABLE_NAMES]
    with (published / "tables" / "crime_mix.csv").open(encoding="utf-8") as handle:
        mix = [(row["crime_type"], int(row["offences"])) for row in csv.DictReader(handle)]
    assert list(book["crime_mix"].iter_rows(min_row=2, values_only=True)) == mix
    # The sample tracker's Q2 spend to date: £14,348.40 against a profile of £18,125.00.
    with (published / "tables" / "grant_spend.csv").open(encoding="utf-8") as handle:
        assert list(csv.reader(handle))[2] == ["2", "14348.40", "18125.00"]
    assert book["grant_spend"]["B3"].number_format == '"£"#,##0.00'


def test_pdf_names_the_council_as_author(pdf):
    assert pdf.metadata.author == "Ashworth Vale District Council"


def test_financial_implications_give_the_grant_and_spend_from_the_tracker(html):
    financial = html[
        html.index('id="implications-financial"') : html.index('id="implications-legal"')
    ]
    # The sample tracker's Q2 running totals: £2,385.50 + £650.00 + £300.00 + £7,125.00
    # + £1,900.00 + £1,987.90 = £14,348.40 of £36,250.00, leaving £21,901.60.
    # 14,348.40 / 36,250.00 = 39.58...% -> 39.6%; said otherwise than Appendix C says it.
    assert "partnership's £36,250.00 grant for 2025/26" in financial
    assert "£14,348.40 of it (39.6%) had been spent by the end of quarter 2" in financial
    assert "and £21,901.60 remains." in financial


def test_appendix_c_gives_the_sample_quarter_return(html):
    appendix = html[html.index('id="appendix-c"') :]
    # The sample tracker (pipeline/sample/tracker.py): Re-deployable CCTV Green in Q1, Amber in
    # Q2; Bystander Training Amber then Green; the Response Fund unrated in Q1, Green in Q2;
    # Community Events spends nothing in Q2 and repeats its Q1 activities.
    assert "1 project moved from Green to Amber (Re-deployable CCTV)." in appendix
    assert "1 project moved from Amber to Green (Bystander Training)." in appendix
    assert "1 project was rated for the first time, as Green (Response Fund)." in appendix
    assert "No activity was reported for 1 project this quarter (Community Events)" in appendix
    # Spread evenly, £36,250.00 x 2/4 = £18,125.00; £18,125.00 - £14,348.40 = £3,776.60.
    assert "spend to date is £3,776.60 below it" in appendix
    assert appendix.count("<caption>") == 2 + 6  # overview, chart data, six project returns


def test_the_sample_paper_compares_the_district_with_the_ons_tables(html, published):
    summary = html[html.index('id="summary"') : html.index('id="recommendations"')]
    summary = " ".join(re.sub(r"<[^>]+>", " ", summary).split())
    assert "In the ONS's figures for the year ending March 2025, Ashworth Vale had" in summary
    section = html[html.index('id="crime-data-benchmark"') :]
    section = section[: section.index('id="crime-data-definitions"')]
    assert "Appendix B compares it in full" in summary
    # the ranked chart, its alt text naming each partnership, its table in Data Behind the Charts
    assert 'alt="Dot chart of recorded crime (excluding fraud) per 1,000 residents' in section
    assert "Ashworth Vale's recorded crime rate was the" in section
    assert "Data for the chart 'Ashworth Vale's recorded crime rate" in html
    # the undercount the sample workbook notes against Wealdmoor, the district's force
    assert "ONS note 4 (Wealdmoor): There is an undercount for Wealdmoor" in section
    assert "never with the counts in the rest of this report" in section
    with (published / "tables" / "benchmark.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    district = next(row for row in rows if row["area_type"] == "district")
    assert (district["area"], district["offences"]) == ("Ashworth Vale", "5100")
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"][-1]["source"] == "ONS police force area data tables"


def test_background_papers_and_the_manifest_name_the_tracker(html, published):
    papers = html[html.index('id="background-papers"') :]
    papers = " ".join(re.sub(r"<[^>]+>", " ", papers[: papers.index("</section>")]).split())
    assert "action plan tracker (ashworth-vale-tracker.xlsx)" in papers
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    tracker = [item for item in manifest["inputs"] if item["source"] == "Action plan tracker"]
    assert [item["path"] for item in tracker] == [
        "data/raw/sample/tracker/ashworth-vale-tracker.xlsx"
    ]


def test_the_workbook_s_headings_are_words_and_the_csv_keeps_its_names(published):
    book = load_workbook(published / f"{STEM}-tables.xlsx")
    header = [cell.value for cell in book["performance_quarter"][1]]
    assert header[:5] == [
        "Section",
        "Level",
        "Crime type",
        "Offences, July to September 2024",
        "Offences, July to September 2025",
    ]
    assert "offences_previous" not in header
    with (published / "tables" / "performance_quarter.csv").open(encoding="utf-8") as handle:
        assert next(csv.reader(handle))[:4] == [
            "section",
            "level",
            "crime_type",
            "offences_previous",
        ]
    rolling = [cell.value for cell in book["performance_rolling_12_months"][1]]
    assert "Offences, October 2024 to September 2025" in rolling


def page_lines(page) -> list[str]:
    """A PDF page's lines of text, its page number left out."""
    lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
    return [line for line in lines if not re.fullmatch(r"Page \d+ of \d+", line)]


def test_no_page_ends_with_a_heading(pdf, html):
    """A heading is kept with what follows it: no page's last line is a section's or part's
    heading (the contents, which lists them all, left out)."""
    headings = set(re.findall(r"<h[23][^>]*>([^<]+)</h[23]>", html)) - {"Contents"}
    contents_pages = 2
    ends = [
        (number, page_lines(page)[-1])
        for number, page in enumerate(pdf.pages, start=1)
        if number > contents_pages and page_lines(page)
    ]
    assert [(number, line) for number, line in ends if line in headings] == []


def test_each_sample_part_opens_with_its_heading_kept_with_its_words(html):
    """The Areas part's heading, its words and its chart print together (the lead)."""
    lead = re.search(
        r'<div class="lead">\s*<h3 id="crime-data-areas">.*?</div>\s*(?=<div class="table-wrap)',
        html,
        re.S,
    )
    assert lead is not None and "<figure" in lead.group(0)


def test_a_chart_drawn_from_a_table_shown_beside_it_points_to_that_table(html):
    assert "<caption>Table 4: offences by offence group, July to September 2025</caption>" in html
    assert "<caption>Table 5: wards with the most crime, July to September 2025</caption>" in html
    assert (
        "The figures of the crime mix chart (Table 4) and the chart of the areas with most crime "
        "(Table 5) are the tables beside them, not repeated here."
    ) in html
    data_captions = re.findall(r"<caption>Data for the chart &#39;([^<]+)</caption>", html)
    assert not [caption for caption in data_captions if caption.startswith("Violence against")]
    assert not [caption for caption in data_captions if caption.startswith("Ashworth Central")]
