"""The committee paper as a Word document, for councils whose agendas are assembled in Word.

Written with python-docx from the committee HTML itself, so the Word copy holds the same words,
tables and charts as the HTML and PDF: the cover's table, the contents as links to the headings,
Word's own heading styles, the numbered paragraphs as a Word numbered list (3.1, 3.2 and on, so
a clerk who adds a paragraph sees the rest renumbered), tables whose header rows repeat on every
page, each chart with its alt text, landscape pages for the wide tables, and page numbers.

python-docx rather than pandoc: pandoc's HTML reader would drop what this copy needs from the
HTML (the section-numbered paragraph lists, landscape pages, merged header cells), and python-docx
writes each of them directly, in the package's own language, with nothing more to install.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Arial"
BODY_POINTS = 11
TABLE_POINTS = 9
WIDE_TABLE_POINTS = 7.5
HEADING_COLOUR = RGBColor(0x1D, 0x4F, 0x91)
A4_SHORT, A4_LONG = Mm(210), Mm(297)
MARGIN = Mm(18)
HEADING_POINTS = {"Title": 18, "Heading 1": 14, "Heading 2": 12, "Heading 3": 11}
HEADING_STYLES = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3"}
HEADER_SHADE, GROUP_SHADE, SECTION_BAND = "E8EEF7", "F2F2F2", "1F3864"  # the committee CSS's
SHORT_TABLE_ROWS = 15  # as the HTML's: a table of no more rows is kept on one page
CELL_MARGIN = 57  # twips (1 mm) each side of a table cell's text: Word's default is 2 mm
RAG_SHADES = {"rag-green": "00703C", "rag-amber": "FFBF47", "rag-red": "B10E1E"}
WHITE_TEXT = {"rag-green", "rag-red"}
LEVEL_INDENT = Mm(4)  # each level of a performance table's rows, as the HTML indents them
SETTINGS_AFTER_UPDATE_FIELDS = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars")
BOOKMARK_LIMIT = 40  # Word's longest bookmark name
NARROWEST_COLUMN, WIDEST_COLUMN = 6, 32  # characters, for sharing a table's width
WORD_ROOM = 3  # characters beside a column's longest word (bold headings are wider)


class WordCopyError(ValueError):
    """The committee HTML holds something the Word copy cannot show (an image that is not a
    data URI): a defect of the package, never of an input."""


@dataclass
class Numbering:
    """The document's list definitions, added to its numbering part as they are needed."""

    part: object
    next_id: int = 100

    def new_list(self, level_text: str, number_format: str = "decimal", start: int = 1) -> int:
        """A new numbered list (its own abstract definition and instance); its numId."""
        numbering = self.part.element
        abstract_id, num_id = self.next_id, self.next_id
        self.next_id += 1
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(abstract_id))
        level = OxmlElement("w:lvl")
        level.set(qn("w:ilvl"), "0")
        for tag, value in (
            ("w:start", str(start)),
            ("w:numFmt", number_format),
            ("w:lvlText", level_text),
            ("w:lvlJc", "left"),
        ):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            level.append(child)
        paragraph = OxmlElement("w:pPr")
        indent = OxmlElement("w:ind")
        indent.set(qn("w:left"), "720")
        indent.set(qn("w:hanging"), "720")
        paragraph.append(indent)
        level.append(paragraph)
        abstract.append(level)
        instances = numbering.findall(qn("w:num"))
        if instances:
            instances[0].addprevious(abstract)
        else:
            numbering.append(abstract)
        instance = OxmlElement("w:num")
        instance.set(qn("w:numId"), str(num_id))
        reference = OxmlElement("w:abstractNumId")
        reference.set(qn("w:val"), str(abstract_id))
        instance.append(reference)
        numbering.append(instance)
        return num_id


def numbered(paragraph: Paragraph, num_id: int) -> None:
    """Make a paragraph an item of the list num_id."""
    properties = paragraph._p.get_or_add_pPr()
    numbering = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", "0"), ("w:numId", str(num_id))):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        numbering.append(child)
    properties.append(numbering)


def bookmark_name(anchor: str) -> str:
    """A Word bookmark name for an HTML anchor: letters, digits and underscores, 40 at most."""
    return re.sub(r"[^A-Za-z0-9_]", "_", f"_{anchor}")[:BOOKMARK_LIMIT]


def add_bookmark(paragraph: Paragraph, anchor: str, number: int) -> None:
    """A bookmark around a paragraph's text, so the contents can link to it."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), bookmark_name(anchor))
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def add_internal_link(paragraph: Paragraph, text: str, anchor: str) -> None:
    """A link in paragraph to the bookmark of anchor."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark_name(anchor))
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    properties.append(style)
    run.append(properties)
    words = OxmlElement("w:t")
    words.text = text
    words.set(qn("xml:space"), "preserve")
    run.append(words)
    link.append(run)
    paragraph._p.append(link)


def add_field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in paragraph: 1 until Word or LibreOffice updates it."""
    add_field_start(paragraph, instruction)
    paragraph.add_run("1")
    add_field_end(paragraph)


def field_character(paragraph: Paragraph, kind: str) -> None:
    """A run marking where a field begins, its result starts (`separate`) or it ends."""
    character = OxmlElement("w:fldChar")
    character.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(character)


def add_field_start(paragraph: Paragraph, instruction: str) -> None:
    """The start of a field whose result (what follows, to `add_field_end`) Word can update."""
    field_character(paragraph, "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    field_character(paragraph, "separate")


def add_field_end(paragraph: Paragraph) -> None:
    """The end of the field `add_field_start` began."""
    field_character(paragraph, "end")


def update_fields_on_opening(document) -> None:
    """Ask Word to update the document's fields (the table of contents' page numbers) when it
    opens the file."""
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    insert_before(settings, update, SETTINGS_AFTER_UPDATE_FIELDS)


def repeat_as_header(row) -> None:
    """A table row repeated at the top of each page the table runs onto, never split."""
    properties = row._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        properties.append(OxmlElement(tag))


def keep_rows_whole(row) -> None:
    """A table row kept on one page."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def shade(cell: _Cell, colour: str) -> None:
    """A cell's background colour (hex, no #)."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def insert_before(parent, child, later: tuple[str, ...]) -> None:
    """Add child before the first of the later elements parent has (Word reads a table's
    properties in the schema's order), else at the end."""
    following = next(
        (element for name in later if (element := parent.find(qn(f"w:{name}"))) is not None), None
    )
    if following is None:
        parent.append(child)
    else:
        following.addprevious(child)


def keep_table_together(table: Table) -> None:
    """A short table on one page: each row's paragraphs kept with the next row."""
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def narrow_cell_margins(table: Table) -> None:
    """Cell margins of 1 mm, so that a wide table's numbers fit their columns."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_MARGIN))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    insert_before(table._tbl.tblPr, margins, ("tblLook", "tblCaption", "tblDescription"))


def table_caption(table: Table, caption: str) -> None:
    """The table's caption as its accessible title (Word's Alt Text > Title)."""
    title = OxmlElement("w:tblCaption")
    title.set(qn("w:val"), caption[:255])
    insert_before(table._tbl.tblPr, title, ("tblDescription",))


def classes(tag: Tag) -> set[str]:
    """A tag's classes."""
    return set(tag.get("class") or [])


def text_of(tag: Tag) -> str:
    """A tag's text with runs of spaces (HTML's layout) made one, line breaks kept as \\n."""
    pieces = []
    for item in tag.descendants:
        if isinstance(item, NavigableString):
            pieces.append(str(item))
        elif isinstance(item, Tag) and item.name == "br":
            pieces.append("\n")
    return "".join(pieces)


def collapse(text: str) -> str:
    """Spaces collapsed as a browser does outside pre-line text."""
    return re.sub(r"[ \t\r\n]+", " ", text)


def table_grid(table: Tag) -> tuple[list[tuple[Tag, int, int, int, int]], int, int, int]:
    """Each cell of an HTML table with its row, column, row span and column span (HTML's own
    layout of merged cells); the grid's rows and columns; and how many rows are header rows."""
    rows = [row for row in table.find_all("tr") if row.find_parent("table") is table]
    header_rows = sum(1 for row in rows if row.find_parent("thead") is not None)
    taken: set[tuple[int, int]] = set()
    cells, columns = [], 0
    for row_number, row in enumerate(rows):
        column = 0
        for cell in row.find_all(["th", "td"], recursive=False):
            while (row_number, column) in taken:
                column += 1
            row_span = max(1, int(cell.get("rowspan", 1)))
            column_span = max(1, int(cell.get("colspan", 1)))
            for down in range(row_span):
                for across in range(column_span):
                    taken.add((row_number + down, column + across))
            cells.append((cell, row_number, column, row_span, column_span))
            column += column_span
        columns = max([columns, column] + [c + 1 for r, c in taken if r == row_number])
    return cells, len(rows), columns, header_rows


def column_widths(cells: list, column_count: int, total: int) -> list[int]:
    """Widths that share total by the text each column holds: its longest cell, counted in
    characters between a floor (a number) and a ceiling (a sentence, which wraps), and never
    narrower than its longest word."""
    longest, longest_word = [0] * column_count, [0] * column_count
    for tag, _, column, _, column_span in cells:
        if column_span == 1:
            lines = [collapse(line).strip() for line in text_of(tag).split("\n")]
            longest[column] = max(longest[column], *(len(line) for line in lines))
            words = " ".join(lines).split() or [""]
            longest_word[column] = max(longest_word[column], *(len(word) for word in words))
    weights = [
        max(min(max(length, NARROWEST_COLUMN), WIDEST_COLUMN), word + WORD_ROOM)
        for length, word in zip(longest, longest_word, strict=True)
    ]
    return [int(total * weight / sum(weights)) for weight in weights]


NUMBER = re.compile(r"^[-+−]?£?[\d,]*\.?\d+%?$|^-$")


class WordWriter:
    """Writes the committee HTML's elements into a python-docx Document, in reading order."""

    def __init__(self, title: str, author: str) -> None:
        self.document = Document()
        self.numbering = Numbering(self.document.part.numbering_part)
        self.bookmarks = 0
        self.landscape = False
        self.page_break_pending = False
        self.numbered_list: int | None = None  # the current section's paragraph numbering
        self.keeping = False  # inside a part's lead: each paragraph kept with the next
        self.space_before = True  # in inline: whether the text written last ended in a space
        self.set_up(title, author)

    # --- the document's frame ---------------------------------------------------------------

    def set_up(self, title: str, author: str) -> None:
        """A4 pages, the committee copy's font and headings, page numbers, the title and author."""
        properties = self.document.core_properties
        properties.title = title
        properties.author = author
        properties.language = "en-GB"
        styles = self.document.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_POINTS)
        normal.paragraph_format.space_after = Pt(6)
        language = OxmlElement("w:lang")
        language.set(qn("w:val"), "en-GB")
        normal.element.get_or_add_rPr().append(language)
        for name, points in (
            ("Title", 18),
            ("Heading 1", 14),
            ("Heading 2", 12),
            ("Heading 3", 11),
        ):
            style = styles[name]
            style.font.name = FONT
            style.font.size = Pt(points)
            style.font.color.rgb = HEADING_COLOUR
            style.font.bold = True
            style.paragraph_format.keep_with_next = True
        styles["Caption"].font.name = FONT
        styles["Caption"].font.color.rgb = RGBColor(0x33, 0x33, 0x33)
        styles["Caption"].paragraph_format.keep_with_next = True
        section = self.document.sections[0]
        self.set_orientation(section, landscape=False)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("Page ")
        add_field(footer, "PAGE")
        footer.add_run(" of ")
        add_field(footer, "NUMPAGES")
        for run in footer.runs:
            run.font.size = Pt(9)

    def set_orientation(self, section, landscape: bool) -> None:
        """An A4 section, portrait or landscape, with the committee copy's margins."""
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (
            (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
        )
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, MARGIN)

    def text_width(self):
        """The width between the current page's margins."""
        section = self.document.sections[-1]
        return section.page_width - section.left_margin - section.right_margin

    def turn_page(self, landscape: bool) -> None:
        """Start a new section when the orientation changes (a landscape part and after)."""
        if landscape == self.landscape:
            return
        self.landscape = landscape
        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        self.set_orientation(section, landscape)
        self.page_break_pending = False  # the new section starts a page already

    def paragraph(self, style: str | None = None) -> Paragraph:
        """A new paragraph, on a new page if one was asked for."""
        paragraph = self.document.add_paragraph(style=style)
        if self.keeping:
            paragraph.paragraph_format.keep_with_next = True
        if self.page_break_pending:
            paragraph.paragraph_format.page_break_before = True
            self.page_break_pending = False
        return paragraph

    # --- inline content ---------------------------------------------------------------------

    def inline(self, paragraph: Paragraph, tag: Tag, keep_lines: bool = False, bold=None) -> None:
        """A tag's text, line breaks, links and emphasis as runs of paragraph; outside pre-line
        text (keep_lines), spaces collapse as a browser collapses them, across the runs of bold,
        italic and links too, and none begins or ends the paragraph or a line."""
        self.space_before = True  # at the paragraph's start a space is dropped
        self.runs(paragraph, tag, keep_lines, bold)
        if not keep_lines:
            texts = paragraph._p.xpath(".//w:t")  # a link's words are the last, where one ends it
            if texts:
                texts[-1].text = (texts[-1].text or "").rstrip()

    def words(self, text: str, keep_lines: bool) -> str:
        """A piece of text as it reads after what came before (see inline)."""
        if keep_lines:
            return text
        text = collapse(text)
        if self.space_before:
            text = text.lstrip(" ")
        if text:
            self.space_before = text.endswith(" ")
        return text

    def runs(self, paragraph: Paragraph, tag: Tag, keep_lines: bool, bold) -> None:
        """inline's runs."""
        for item in tag.children:
            if isinstance(item, NavigableString):
                lines = self.words(str(item), keep_lines).split("\n")
                for number, line in enumerate(lines):
                    if number:
                        paragraph.add_run().add_break(WD_BREAK.LINE)
                    if line:
                        paragraph.add_run(line).bold = bold
            elif item.name == "br":
                paragraph.add_run().add_break(WD_BREAK.LINE)
                self.space_before = True
            elif item.name == "a" and item.get("href", "").startswith("#"):
                text = self.words(item.get_text(), keep_lines=False)
                add_internal_link(paragraph, text, item["href"][1:])
            elif item.name in ("strong", "b"):
                self.runs(paragraph, item, keep_lines, bold=True)
            elif item.name in ("em", "i"):
                start = len(paragraph.runs)
                self.runs(paragraph, item, keep_lines, bold)
                for run in paragraph.runs[start:]:
                    run.italic = True
            else:
                self.runs(paragraph, item, keep_lines, bold)

    # --- blocks -----------------------------------------------------------------------------

    def block(self, tag: Tag) -> None:
        """One element of the committee HTML and everything in it."""
        name, kinds = tag.name, classes(tag)
        if name in HEADING_STYLES:
            self.heading(tag)
        elif name == "p":
            paragraph = self.paragraph()
            self.inline(paragraph, tag)
            if paragraph.text.rstrip().endswith(":"):  # it introduces what follows
                paragraph.paragraph_format.keep_with_next = True
        elif name == "div" and "lead" in kinds:
            self.lead(tag)
        elif name == "div" and "numbered" in kinds:
            self.numbered_paragraph(tag)
        elif name in ("ul", "ol"):
            self.bullets(tag)
        elif name == "table":
            self.table(tag)
        elif name == "figure":
            self.figure(tag)
        elif name == "nav":
            self.contents(tag)
        elif name == "section":
            self.report_section(tag)
        elif name == "div" and "part" in kinds:
            self.part(tag)
        elif name == "header":
            self.cover(tag)
        else:
            for child in tag.find_all(True, recursive=False):
                self.block(child)

    def lead(self, tag: Tag) -> None:
        """A part's opening (its headings, words and first chart or small table), kept on one
        page as the HTML's `lead` is."""
        self.keeping = True
        try:
            for child in tag.find_all(True, recursive=False):
                self.block(child)
        finally:
            self.keeping = False

    def heading(self, tag: Tag) -> None:
        """A heading in Word's heading style, bookmarked for the contents."""
        paragraph = self.paragraph(HEADING_STYLES[tag.name])
        self.inline(paragraph, tag)
        anchor = tag.get("id") or (tag.find_parent("section") or {}).get("id")
        if anchor and tag.name != "h1":
            self.bookmarks += 1
            add_bookmark(paragraph, anchor, self.bookmarks)

    def cover(self, tag: Tag) -> None:
        """The cover: the council, the meeting, the title and the report's details table."""
        for child in tag.find_all(True, recursive=False):
            if child.name == "p":
                paragraph = self.paragraph()
                self.inline(paragraph, child, bold="council" in classes(child))
            else:
                self.block(child)

    def contents(self, tag: Tag) -> None:
        """The contents after the cover, the report straight after it: Word's own table of
        contents (headings 1 and 2), holding until Word updates it (it offers to on opening)
        the HTML's entries, each a link to its heading."""
        heading = tag.find(["h2", "h3"])
        if heading is not None:
            self.inline(self.paragraph("TOC Heading"), heading)
        links = tag.find_all("a")
        for number, link in enumerate(links):
            depth = len(link.find_parents("ol")) - 1
            paragraph = self.paragraph()
            paragraph.paragraph_format.left_indent = Mm(8 * depth)
            paragraph.paragraph_format.space_after = Pt(2)
            if number == 0:
                add_field_start(paragraph, 'TOC \\o "1-2" \\h \\z \\u')
            add_internal_link(paragraph, collapse(link.get_text()).strip(), link["href"][1:])
            if number == len(links) - 1:
                add_field_end(paragraph)

    def report_section(self, tag: Tag) -> None:
        """A section of the report; an appendix starts on a new page."""
        if "appendix" in classes(tag) and not self.landscape:
            self.page_break_pending = True
        self.numbered_list = None
        for child in tag.find_all(True, recursive=False):
            self.block(child)

    def part(self, tag: Tag) -> None:
        """A run of a section; a landscape part on landscape pages of its own."""
        self.turn_page("landscape" in classes(tag))
        for child in tag.find_all(True, recursive=False):
            self.block(child)

    def numbered_paragraph(self, tag: Tag) -> None:
        """A paragraph numbered 3.1, 3.2 and on by a Word list of its section."""
        number = tag.find("span", class_="para-number").get_text(strip=True)
        section_number, _, item = number.partition(".")
        if self.numbered_list is None:
            self.numbered_list = self.numbering.new_list(f"{section_number}.%1", start=int(item))
        paragraph = self.paragraph()
        numbered(paragraph, self.numbered_list)
        self.inline(paragraph, tag.find("p"))

    def bullets(self, tag: Tag) -> None:
        """A list: numbered (its own numbering, from 1) or bulleted."""
        ordered = tag.name == "ol"
        num_id = self.numbering.new_list("%1.") if ordered else None
        for item in tag.find_all("li", recursive=False):
            paragraph = self.paragraph(None if ordered else "List Bullet")
            if num_id is not None:
                numbered(paragraph, num_id)
            self.inline(paragraph, item)

    def figure(self, tag: Tag) -> None:
        """A chart at the text's width, with its alt text, and its caption below."""
        image = tag.find("img")
        source = image.get("src", "")
        if not source.startswith("data:image/") or ";base64," not in source:
            raise WordCopyError(f"a chart's image is not a data URI: {source[:40]}")
        try:
            picture = base64.b64decode(source.partition(";base64,")[2], validate=True)
        except binascii.Error as error:
            raise WordCopyError(f"a chart's image is not valid base64: {error}") from error
        paragraph = self.paragraph()
        paragraph.paragraph_format.keep_with_next = True
        run = paragraph.add_run()
        run.add_picture(io.BytesIO(picture), width=self.text_width())
        described = run._r.find(".//" + qn("wp:docPr"))
        described.set("descr", image.get("alt", ""))
        caption = tag.find("figcaption")
        if caption is not None:
            described.set("title", collapse(caption.get_text()).strip()[:255])
            below = self.paragraph("Caption")
            self.inline(below, caption)
            below.paragraph_format.keep_with_next = False  # a chart's caption ends it

    def table(self, tag: Tag) -> None:
        """A table: caption above, header rows repeated on each page, merged cells as in HTML."""
        cells, row_count, column_count, header_rows = table_grid(tag)
        caption_tag = tag.find("caption")
        caption = collapse(caption_tag.get_text()).strip() if caption_tag else ""
        if caption and "visually-hidden" not in classes(caption_tag):
            self.inline(self.paragraph("Caption"), caption_tag)
        elif self.page_break_pending:
            self.paragraph()
        table = self.document.add_table(rows=row_count, cols=column_count)
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        narrow_cell_margins(table)
        if caption:
            table_caption(table, caption)
        kinds = classes(tag)
        points = WIDE_TABLE_POINTS if column_count > 8 else TABLE_POINTS
        for number, row in enumerate(table.rows):
            if number < header_rows:
                repeat_as_header(row)
            else:
                keep_rows_whole(row)
        grid = table._cells  # once: python-docx's table.cell(row, column) lays out the whole grid
        self.set_column_widths(table, grid, column_widths(cells, column_count, self.text_width()))
        merges = []
        for cell_tag, row, column, row_span, column_span in cells:
            cell = grid[row * column_count + column]
            self.table_cell(cell, cell_tag, row < header_rows, points, kinds)
            if row_span > 1 or column_span > 1:
                corner = grid[(row + row_span - 1) * column_count + column + column_span - 1]
                merges.append((cell, corner))
        for cell, corner in merges:  # after the text: a merge removes the cells it spans
            cell.merge(corner)
        if row_count - header_rows <= SHORT_TABLE_ROWS:
            keep_table_together(table)

    def set_column_widths(self, table: Table, grid: list[_Cell], widths: list[int]) -> None:
        """Fixed column widths (Word and LibreOffice share no automatic layout)."""
        table.autofit = False
        for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
            column.set(qn("w:w"), str(Emu(width).twips))
        for number, cell in enumerate(grid):
            cell.width = widths[number % len(widths)]

    def table_cell(
        self, cell: _Cell, tag: Tag, in_header: bool, points: float, table_kinds: set[str]
    ) -> None:
        """One cell's text, bold in a header or a bold row, indented by its row's level."""
        paragraph = cell.paragraphs[0]
        row_kinds = classes(tag.parent)
        keep_lines = bool(table_kinds & {"action-plan", "opcc-return"})
        section_row = "section-row" in row_kinds
        bold = in_header or section_row or "level-0" in row_kinds
        bold = bold or (tag.name == "th" and "opcc-return" in table_kinds)
        self.inline(paragraph, tag, keep_lines=keep_lines, bold=bold or None)
        level = next((kind for kind in row_kinds if kind.startswith("level-")), None)
        if level and tag.name == "th":
            paragraph.paragraph_format.left_indent = LEVEL_INDENT * int(level.split("-")[1])
        if tag.name == "td" and NUMBER.match(collapse(tag.get_text()).strip()):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.space_after = Pt(0)
        for run in paragraph.runs:
            run.font.size = Pt(points)
        rag = tag.find("span", class_="rag")
        if rag is not None:
            colour = next((RAG_SHADES[kind] for kind in classes(rag) if kind in RAG_SHADES), None)
            if colour:
                shade(cell, colour)
                if classes(rag) & WHITE_TEXT:
                    for run in paragraph.runs:
                        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        elif section_row:  # a band naming the section, as in the HTML
            shade(cell, SECTION_BAND)
            for run in paragraph.runs:
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        elif in_header:
            shade(cell, HEADER_SHADE)
        elif "level-0" in row_kinds:
            shade(cell, GROUP_SHADE)

    def write(self, html: str) -> None:
        """Every element of the HTML's main, in order."""
        page = BeautifulSoup(html, features="html.parser")
        main = page.find("main") or page.body or page
        for child in main.find_all(True, recursive=False):
            self.block(child)


def committee_docx(html: str, target: Path, title: str, author: str, moment: datetime) -> None:
    """The Word copy of the committee HTML, written to target, dated moment (its properties
    and every entry of its zip, so the same moment gives the same bytes)."""
    writer = WordWriter(title, author)
    writer.write(html)
    update_fields_on_opening(writer.document)
    properties = writer.document.core_properties
    properties.created = properties.modified = moment.replace(tzinfo=None)
    properties.last_modified_by = author
    properties.revision = 1
    written = io.BytesIO()
    writer.document.save(written)
    with (
        zipfile.ZipFile(written) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=moment.timetuple()[:6])
            copy.writestr(entry, source.read(item.filename), zipfile.ZIP_DEFLATED)
