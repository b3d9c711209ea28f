"""The document's building blocks: parts, sections, appendices, and their HTML from templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from numbers import Integral, Real

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from pipeline.charts import Chart
from pipeline.numbers import UNDEFINED, format_count, format_one_decimal, is_undefined


@dataclass(frozen=True)
class Part:
    """A run of a section's content: an optional subheading, paragraphs, a list, blocks."""

    paragraphs: list[str] = field(default_factory=list)
    heading: str | None = None
    anchor: str | None = None
    bullets: list[str] = field(default_factory=list)
    ordered: bool = False
    blocks: list[Markup] = field(default_factory=list)
    landscape: bool = False

    def __post_init__(self) -> None:
        """A subheading needs an anchor: the contents links to it."""
        if self.heading and not self.anchor:
            raise ValueError(f"the subheading '{self.heading}' needs an anchor")


@dataclass(frozen=True)
class Entry:
    """A line of the table of contents: a heading's anchor and text, and those below it."""

    anchor: str
    title: str
    children: list[Entry] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    """One part of the document, ready to display, with its table of contents entry."""

    anchor: str
    title: str
    html: Markup
    entry: Entry | None = None


@dataclass(frozen=True)
class CommitteeReport:
    """The whole committee document, in reading order."""

    title: str
    sections: list[Section]


@dataclass(frozen=True)
class Appendix:
    """An appendix before it is lettered: which kind it is, its title and its content."""

    kind: str
    title: str
    parts: list[Part]


APPENDIX_ORDER = ("action_plan", "crime_data", "opcc_return")


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Jinja templates of the report, escaping every value."""
    return Environment(
        loader=PackageLoader("pipeline", "templates/document"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **values: object) -> Markup:
    """One template rendered with escaped values."""
    return Markup(environment().get_template(template).render(**values))


LEAD_PARAGRAPHS = (
    2  # a part with no more opens with its heading, words and first chart kept together
)


def is_small_block(block: Markup) -> bool:
    """A chart or a table short enough to keep on one page (a long table may break)."""
    return block.lstrip().startswith(("<figure", '<div class="table-wrap">'))


def lead_of(part: Part) -> tuple[int, int]:
    """How many of a part's paragraphs and blocks print on one page with its heading: a short
    part's words and its first chart or small table, else the first paragraph alone, so that a
    heading never ends a page away from what it introduces."""
    if len(part.paragraphs) <= LEAD_PARAGRAPHS and not part.bullets:
        small_first = bool(part.blocks) and is_small_block(part.blocks[0])
        return len(part.paragraphs), int(small_first)
    return min(1, len(part.paragraphs)), 0


def numbered_parts(parts: list[Part]) -> list[dict]:
    """Parts with the number of their first paragraph, counting on through the section, and
    how much of each opens it unbroken (`lead_of`)."""
    numbered, first = [], 1
    for part in parts:
        lead_paragraphs, lead_blocks = lead_of(part)
        numbered.append(
            {
                **vars(part),
                "first_number": first,
                "lead_paragraphs": lead_paragraphs,
                "lead_blocks": lead_blocks,
            }
        )
        first += len(part.paragraphs)
    return numbered


def section(
    anchor: str, title: str, parts: list[Part], number: int | None = None, appendix: bool = False
) -> Section:
    """A titled section of parts; a numbered one numbers its paragraphs 1.1, 1.2 and on."""
    heading = f"{number}. {title}" if number else title
    shown = [part for part in parts if part_has_content(part)]
    html = render(
        "section.html.j2",
        anchor=anchor,
        heading=heading,
        number=number,
        appendix=appendix,
        parts=numbered_parts(shown),
    )
    children = [Entry(part.anchor, part.heading) for part in shown if part.heading and part.anchor]
    return Section(anchor, heading, html, Entry(anchor, heading, children))


def part_has_content(part: Part) -> bool:
    """Whether a part has anything to show (a subheading alone does not count)."""
    return bool(part.paragraphs or part.bullets or part.blocks)


def contents(sections: list[Section]) -> Section:
    """The table of contents: every section and appendix, with their subheadings."""
    entries = [item.entry for item in sections if item.entry is not None]
    return Section("contents", "Contents", render("contents.html.j2", entries=entries))


def letter_appendices(appendices: list[Appendix]) -> dict[str, str]:
    """Each appendix's letter, A onwards, in the fixed order of the kinds present."""
    present = sorted(appendices, key=lambda appendix: APPENDIX_ORDER.index(appendix.kind))
    return {appendix.kind: chr(ord("A") + index) for index, appendix in enumerate(present)}


def appendix_sections(appendices: list[Appendix], letters: dict[str, str]) -> list[Section]:
    """The appendices in letter order, each titled `Appendix B: ...`."""
    ordered = sorted(appendices, key=lambda appendix: letters[appendix.kind])
    return [
        section(
            f"appendix-{letters[item.kind].lower()}",
            f"Appendix {letters[item.kind]}: {item.title}",
            item.parts,
            appendix=True,
        )
        for item in ordered
    ]


def appendix_lines(appendices: list[Appendix], letters: dict[str, str]) -> list[str]:
    """The cover's Appendices row: `A. Crime and Anti-Social Behaviour Data`, one a line."""
    return sorted(f"{letters[item.kind]}. {item.title}" for item in appendices)


def figure(chart: Chart) -> Markup:
    """A chart with its alt text and title."""
    return render("figure.html.j2", src=chart.data_uri(), alt=chart.alt_text, caption=chart.title)


def cell_text(cell: object) -> str:
    """A table cell as published: separators for counts, one decimal, `-` when undefined."""
    if is_undefined(cell):
        return UNDEFINED
    if isinstance(cell, Integral):
        return format_count(cell)
    if isinstance(cell, Real):
        return format_one_decimal(cell)
    return str(cell)


LONG_TABLE_ROWS = 15  # a table with more rows may break across pages (its header repeats)


def data_table(frame: pd.DataFrame, caption: str) -> Markup:
    """Any presentation table (first column as row headers) as HTML; a long one may break
    across pages, where a short one moves whole to the next page."""
    rows = [[cell_text(cell) for cell in record] for record in frame.itertuples(index=False)]
    return render(
        "data_table.html.j2",
        caption=caption,
        columns=list(frame.columns),
        rows=rows,
        long=len(rows) > LONG_TABLE_ROWS,
    )
