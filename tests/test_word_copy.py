"""The committee paper's Word copy: read back with python-docx, and opened by LibreOffice."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from datetime import UTC, datetime

import docx
import pytest
from bs4 import BeautifulSoup
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfReader

from pipeline.word_copy import (
    WordCopyError,
    WordWriter,
    bookmark_name,
    column_widths,
    committee_docx,
    table_grid,
)

MOMENT = datetime(2025, 10, 9, 8, 53, 20, tzinfo=UTC)
STEM = "ashworth-vale-2025-26-Q2"


def png_uri() -> str:
    """A small PNG as a data URI, as the charts are embedded."""
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(picture, format="PNG")
    return "data:image/png;base64," + base64.b64encode(picture.getvalue()).decode()


def small_paper(image: str | None = None) -> str:
    """A committee HTML in the shape the report writes, small enough to check by eye."""
    return f"""<!DOCTYPE html><html><body><main>
<header class="cover"><p class="council">Testvale District Council</p>
<p class="meeting">Report to Panel<br>Meeting of 1 December 2025</p>
<h1>Testvale: crime, quarter 3 2025/26</h1>
<table class="cover-table"><caption class="visually-hidden">Report details</caption><tbody>
<tr><th scope="row">Status</th><td>Public</td></tr></tbody></table></header>
<nav class="contents"><h2 id="contents-heading">Contents</h2><ol>
<li><a href="#details">3. Details</a><ol><li><a href="#areas">Areas</a></li></ol></li></ol></nav>
<section class="report-section" id="recommendations"><div class="part"><h2>Recommendations</h2>
<ol class="plain-list"><li>Note the figures.</li><li>Review the plan.</li></ol></div></section>
<section class="report-section" id="details">
<div class="part"><h2>3. Details</h2>
<div class="numbered"><span class="para-number">3.1</span><p>First &lt;b&gt; point.</p></div>
<div class="numbered"><span class="para-number">3.2</span><p>Second point.</p></div></div>
<div class="part"><h3 id="areas">Areas</h3>
<div class="numbered"><span class="para-number">3.3</span><p>Third point.</p></div>
<figure class="chart"><img src="{image or png_uri()}" alt="Bar chart of 2 wards: Low 5, High 9.">
<figcaption>High had the most</figcaption></figure></div>
<div class="part landscape"><div class="table-wrap"><table class="performance">
<caption>Table 1: quarter</caption>
<thead><tr><th rowspan="2" scope="col">Crime type</th>
<th colspan="2" scope="colgroup">Offences</th></tr>
<tr><th scope="col">2024</th><th scope="col">2025</th></tr></thead>
<tbody><tr class="level-0"><th scope="row">All Crime</th><td>1,304</td><td>1,397</td></tr>
<tr class="level-1"><th scope="row">Theft</th><td>9</td><td>-</td></tr></tbody></table></div></div>
</section>
<section class="report-section appendix" id="appendix-a"><div class="part">
<h2>Appendix A: Action Plan</h2><p>After the landscape table.</p></div></section>
</main></body></html>"""


@pytest.fixture(scope="module")
def paper(tmp_path_factory) -> docx.document.Document:
    target = tmp_path_factory.mktemp("word") / "paper.docx"
    committee_docx(small_paper(), target, "Testvale: crime", "Testvale District Council", MOMENT)
    return docx.Document(str(target))


def body_paragraphs(document) -> list:
    return [paragraph for paragraph in document.paragraphs if paragraph.text.strip()]


def test_headings_are_word_heading_styles(paper):
    styled = [(p.style.name, p.text) for p in body_paragraphs(paper) if p.style.name != "Normal"]
    assert ("Title", "Testvale: crime, quarter 3 2025/26") in styled
    assert ("Heading 1", "3. Details") in styled
    assert ("Heading 2", "Areas") in styled
    assert ("Heading 1", "Appendix A: Action Plan") in styled


def numbering_of(document, paragraph) -> tuple[str, int]:
    """The level text and start of the Word list a paragraph belongs to."""
    num_id = paragraph._p.pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    instance = next(
        n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(num_id)
    )
    abstract_id = instance.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(
        a
        for a in numbering.findall(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == abstract_id
    )
    level = abstract.find(qn("w:lvl"))
    return level.find(qn("w:lvlText")).get(qn("w:val")), int(
        level.find(qn("w:start")).get(qn("w:val"))
    )


def test_numbered_paragraphs_are_one_word_list_per_section(paper):
    points = [p for p in body_paragraphs(paper) if p.text.endswith("point.")]
    assert [p.text for p in points] == ["First <b> point.", "Second point.", "Third point."]
    ids = {p._p.pPr.numPr.numId.val for p in points}
    assert len(ids) == 1  # 3.3 after the subheading goes on counting: one list
    assert numbering_of(paper, points[0]) == ("3.%1", 1)


def test_the_recommendations_are_their_own_list_from_one(paper):
    items = [
        p for p in body_paragraphs(paper) if p.text in ("Note the figures.", "Review the plan.")
    ]
    assert len(items) == 2
    assert numbering_of(paper, items[0]) == ("%1.", 1)
    points = next(p for p in body_paragraphs(paper) if p.text == "Second point.")
    assert items[0]._p.pPr.numPr.numId.val != points._p.pPr.numPr.numId.val


def test_the_cover_keeps_its_lines_and_its_table(paper):
    meeting = next(p for p in paper.paragraphs if p.text.startswith("Report to Panel"))
    assert meeting.text == "Report to Panel\nMeeting of 1 December 2025"
    cover = paper.tables[0]
    assert [cell.text for cell in cover.rows[0].cells] == ["Status", "Public"]
    assert cover._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == "Report details"


def test_a_table_keeps_its_merged_header_and_repeats_it_on_each_page(paper):
    table = paper.tables[1]
    header, second, first_body = table.rows[0], table.rows[1], table.rows[2]
    assert [cell.text for cell in header.cells] == ["Crime type", "Offences", "Offences"]
    assert [cell.text for cell in second.cells] == ["Crime type", "2024", "2025"]
    for row in (header, second):
        assert row._tr.trPr.find(qn("w:tblHeader")) is not None
    assert first_body._tr.trPr.find(qn("w:tblHeader")) is None
    assert [cell.text for cell in table.rows[3].cells] == ["Theft", "9", "-"]
    caption = next(p for p in paper.paragraphs if p.text == "Table 1: quarter")
    assert caption.style.name == "Caption"


def test_the_chart_has_its_alt_text_and_caption(paper):
    described = paper.element.body.findall(".//" + qn("wp:docPr"))
    assert [item.get("descr") for item in described] == ["Bar chart of 2 wards: Low 5, High 9."]
    assert described[0].get("title") == "High had the most"
    assert any(
        p.style.name == "Caption" and p.text == "High had the most" for p in paper.paragraphs
    )


def test_pages_are_a4_and_the_wide_table_is_on_a_landscape_page(paper):
    sizes = [(round(s.page_width.mm), round(s.page_height.mm)) for s in paper.sections]
    assert sizes == [(210, 297), (297, 210), (210, 297)]


def test_every_page_is_numbered_page_n_of_n(paper):
    for section in paper.sections:
        footer = section.footer.paragraphs[0]._p.xml
        assert re.findall(r"<w:instrText[^>]*> (\w+) </w:instrText>", footer) == [
            "PAGE",
            "NUMPAGES",
        ]
        assert section.footer.paragraphs[0].text.startswith("Page ")


def test_contents_entries_link_to_bookmarked_headings(paper):
    xml = paper.element.body.xml
    links = re.findall(r'<w:hyperlink w:anchor="([^"]+)"', xml)
    assert links == [bookmark_name("details"), bookmark_name("areas")]
    bookmarks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="([^"]+)"', xml))
    assert set(links) <= bookmarks


def test_the_document_says_its_title_author_language_and_date(paper):
    properties = paper.core_properties
    assert (properties.title, properties.author) == ("Testvale: crime", "Testvale District Council")
    assert properties.language == "en-GB"
    assert properties.created == MOMENT


def test_the_same_moment_gives_the_same_bytes(tmp_path):
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    for target in (first, second):
        committee_docx(small_paper(), target, "T", "A", MOMENT)
    assert first.read_bytes() == second.read_bytes()


def test_an_image_that_is_not_embedded_is_refused(tmp_path):
    with pytest.raises(WordCopyError, match="not a data URI"):
        committee_docx(
            small_paper("https://example.org/chart.png"), tmp_path / "x.docx", "T", "A", MOMENT
        )


def test_table_grid_places_merged_cells_as_html_does():
    table = BeautifulSoup(
        "<table><thead><tr><th rowspan='2'>a</th><th colspan='2'>b</th></tr>"
        "<tr><th>c</th><th>d</th></tr></thead><tbody><tr><td>e</td><td>f</td><td>g</td></tr>"
        "</tbody></table>",
        "html.parser",
    ).table
    cells, rows, columns, header_rows = table_grid(table)
    placed = [
        (cell.get_text(), row, column, down, across) for cell, row, column, down, across in cells
    ]
    assert placed == [
        ("a", 0, 0, 2, 1),
        ("b", 0, 1, 1, 2),
        ("c", 1, 1, 1, 1),  # row 1, column 0 is a's
        ("d", 1, 2, 1, 1),
        ("e", 2, 0, 1, 1),
        ("f", 2, 1, 1, 1),
        ("g", 2, 2, 1, 1),
    ]
    assert (rows, columns, header_rows) == (3, 3, 2)


def test_column_widths_follow_the_text_but_never_split_a_word():
    row = BeautifulSoup(
        "<tr><th>Violence against the person, all of it, everywhere</th><td>7</td>"
        "<td>Extraordinarily</td></tr>",
        "html.parser",
    )
    cells = [(cell, 0, column, 1, 1) for column, cell in enumerate(row.find_all(["th", "td"]))]
    # weights: the sentence at its ceiling, 32; "7" at the floor, 6; a 15-letter word 15 + 3
    assert column_widths(cells, 3, 560) == [320, 60, 180]


@pytest.mark.slow  # the sample's published paper, converted by LibreOffice
def test_the_sample_word_copy_opens_in_libreoffice_with_its_numbers(published, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (no libreoffice or soffice on PATH)")
    source = published / f"{STEM}-committee-report.docx"
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    pages = PdfReader(tmp_path / f"{STEM}-committee-report.pdf").pages
    text = [page.extract_text() for page in pages]
    whole = "\n".join(text)
    assert f"Page 1 of {len(pages)}" in text[0]
    assert f"Page {len(pages)} of {len(pages)}" in text[-1]
    assert re.search(r"3\.10\s+Ashworth Central had the most anti-social behaviour", whole)
    assert re.search(r"1\.1\s+This report gives", whole)
    html = (published / f"{STEM}-committee-report.html").read_text(encoding="utf-8")
    charts = [image["alt"] for image in BeautifulSoup(html, "html.parser").find_all("img")]
    document = docx.Document(str(source))
    alts = [item.get("descr") for item in document.element.body.findall(".//" + qn("wp:docPr"))]
    assert len(charts) >= 6 and alts == charts


def test_the_contents_is_word_s_own_table_of_contents_updated_on_opening(paper):
    xml = paper.element.body.xml
    assert re.findall(r"<w:instrText[^>]*> (TOC [^<]*) </w:instrText>", xml) == [
        'TOC \\o "1-2" \\h \\z \\u'
    ]
    kinds = re.findall(r'w:fldCharType="(\w+)"', xml)
    assert kinds == ["begin", "separate", "end"]  # the contents' field, whole, in the body
    settings = paper.settings.element
    update = settings.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    names = [child.tag.split("}")[1] for child in settings]
    assert names.index("updateFields") < names.index("compat")  # the schema's order


def test_spaces_collapse_across_bold_italic_and_links_as_a_browser_shows_them():
    writer = WordWriter("T", "A")
    writer.write(
        "<main><p>  <strong>All crime </strong>rose by <em>12% </em>this year. </p>"
        "<p><strong>Note: </strong> small</p><p>  <em> </em>Rose</p>"
        '<p>in <a href="#t">Table 1</a></p><p>See <a href="#t">Table 1 </a> now</p></main>'
    )
    assert [paragraph.text for paragraph in writer.document.paragraphs][-5:] == [
        "All crime rose by 12% this year.",  # a space ending a bold run stays; the ends go
        "Note: small",  # one space, not two
        "Rose",
        "in Table 1",  # the space before a link that ends the paragraph stays
        "See Table 1 now",
    ]
