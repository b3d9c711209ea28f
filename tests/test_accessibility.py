"""Accessibility of the published HTML: axe-core in headless Debian Chromium, and its structure."""

from __future__ import annotations

import itertools
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

pytestmark = pytest.mark.slow  # runs make, a browser or a whole quarter: not in make test-fast

# The flags the machine notes give for Debian's Chromium on a closed network.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRED_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
OPTIONAL_TAGS = ["wcag22a"]  # no axe-core rule carries it yet; used once one does
DOCUMENTS = ["*-committee-report.html", "*-reviewer.html"]
NODES_SHOWN = 3
SNIPPET_CHARS = 200
OFFLINE = re.compile(r"^(?!file:|data:|about:)")  # the reports must not need the network
NBCONVERT_ALT = "No description has been provided for this image"
ALT_MIN_WORDS = 3


def chromium_path() -> str:
    """Chromium from $CHROMIUM or the PATH; skip the test when there is none."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.skip(
            "Chromium not found: install Debian's with `apt-get install chromium` "
            "(or set CHROMIUM to a Chromium executable)"
        )
    return path


def document(folder: Path, pattern: str) -> Path:
    """The one file in the quarter folder matching pattern."""
    (path,) = folder.glob(pattern)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium through Playwright, shared by this module's tests."""
    executable = chromium_path()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def blocked() -> list[str]:
    """The addresses a page asked for off the file system (refused)."""
    return []


@pytest.fixture
def page(browser: Browser, blocked: list[str]) -> Iterator[Page]:
    """A fresh page whose requests off the file system are refused and recorded."""
    context = browser.new_context()

    def refuse(route) -> None:
        blocked.append(route.request.url)
        route.abort()

    context.route(OFFLINE, refuse)
    yield context.new_page()
    context.close()


def axe_tags(page: Page) -> list[str]:
    """The WCAG 2.0 to 2.2 A and AA tags to run, checked against the injected axe-core."""
    known = set(page.evaluate("() => axe.getRules().flatMap(rule => rule.tags)"))
    version = page.evaluate("() => axe.version")
    missing = [tag for tag in REQUIRED_TAGS if tag not in known]
    assert not missing, f"axe-core {version} has no rules tagged {missing}: it is too old"
    return REQUIRED_TAGS + [tag for tag in OPTIONAL_TAGS if tag in known]


def run_axe(page: Page, path: Path) -> dict:
    """axe-core's results for the file at path, WCAG 2.x A and AA rules only."""
    page.goto(path.as_uri(), wait_until="load")
    page.evaluate(Axe().axe_script)
    options = {"runOnly": {"type": "tag", "values": axe_tags(page)}, "resultTypes": ["violations"]}
    return page.evaluate("options => axe.run(document, options)", options)


def describe_node(node: dict) -> str:
    """One failing element: its selector, its HTML and what axe says to fix."""
    target = " ".join(str(part) for part in node["target"])
    snippet = " ".join(node["html"].split())[:SNIPPET_CHARS]
    fix = " ".join(node.get("failureSummary", "").split())
    return f"    at {target}\n      {snippet}\n      {fix}"


def describe_violation(violation: dict) -> str:
    """One rule's violation: id, impact, help, link and its first few elements."""
    nodes = violation["nodes"]
    lines = [
        f"- {violation['id']} [{violation['impact']}] {violation['help']} "
        f"({len(nodes)} elements) {violation['helpUrl']}",
        *(describe_node(node) for node in nodes[:NODES_SHOWN]),
    ]
    if len(nodes) > NODES_SHOWN:
        lines.append(f"    ... and {len(nodes) - NODES_SHOWN} more")
    return "\n".join(lines)


def axe_report(path: Path, results: dict) -> str:
    """The failure message: every violation, enough to fix it without rerunning."""
    violations = results["violations"]
    header = (
        f"{path.name}: {len(violations)} axe-core {results['testEngine']['version']} "
        f"rule(s) violated, tags {results['toolOptions']['runOnly']['values']}"
    )
    return "\n".join([header, *(describe_violation(v) for v in violations)])


@pytest.mark.parametrize("pattern", DOCUMENTS)
def test_html_has_no_axe_wcag_violations(
    page: Page, blocked: list[str], published: Path, pattern: str
) -> None:
    """axe-core finds no WCAG 2.2 A or AA violation in the published HTML, read offline."""
    path = document(published, pattern)
    results = run_axe(page, path)
    assert not results["violations"], axe_report(path, results)
    assert not blocked, f"{path.name} asks for resources off the file system: {blocked}"


@dataclass
class Table:
    """Whether one <table> has a caption and a header cell, and the heading it follows."""

    after: str
    caption: bool = False
    th: bool = False


class Outline(HTMLParser):
    """What the structure checks need from a page: lang, image alts, headings and tables."""

    def __init__(self) -> None:
        """An empty outline, ready to be fed HTML."""
        super().__init__()
        self.lang: str | None = None
        self.alts: list[str | None] = []
        self.headings: list[tuple[int, str]] = []
        self.tables: list[Table] = []
        self.open_tables: list[Table] = []
        self.in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record the tags the checks look at."""
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        elif tag == "img":
            self.alts.append(dict(attrs).get("alt"))
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append((int(tag[1]), ""))
            self.in_heading = True
        elif tag == "table":
            after = self.headings[-1][1] if self.headings else "the start"
            self.open_tables.append(Table(after=after))
            self.tables.append(self.open_tables[-1])
        elif tag == "caption" and self.open_tables:
            self.open_tables[-1].caption = True
        elif tag == "th" and self.open_tables:
            self.open_tables[-1].th = True

    def handle_endtag(self, tag: str) -> None:
        """Close a heading or the innermost open table."""
        if re.fullmatch(r"h[1-6]", tag):
            self.in_heading = False
        elif tag == "table" and self.open_tables:
            self.open_tables.pop()

    def handle_data(self, data: str) -> None:
        """Keep a heading's text, to name it in a failure."""
        if self.in_heading and self.headings:
            level, text = self.headings[-1]
            self.headings[-1] = (level, " ".join(f"{text} {data}".split()))


def outline_of(path: Path) -> Outline:
    """The outline of an HTML file."""
    outline = Outline()
    outline.feed(path.read_text(encoding="utf-8"))
    outline.close()
    return outline


def language_problems(outline: Outline) -> list[str]:
    """The page's language, unless it is British English."""
    return [] if outline.lang == "en-GB" else [f'<html lang="{outline.lang}">, not "en-GB"']


def image_problems(outline: Outline) -> list[str]:
    """Images with no alt text, nbconvert's placeholder, or too few words to describe a chart."""
    problems = []
    for number, alt in enumerate(outline.alts, start=1):
        text = " ".join((alt or "").split())
        if NBCONVERT_ALT in text or len(text.split()) < ALT_MIN_WORDS:
            problems.append(f"<img> {number} of {len(outline.alts)} has alt {alt!r}")
    return problems


def heading_problems(outline: Outline) -> list[str]:
    """Not exactly one <h1>, or a heading more than one level below the one before it."""
    levels = [level for level, _ in outline.headings]
    problems = []
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} <h1> elements, not exactly one")
    if levels and levels[0] != 1:
        problems.append(f"the first heading is <h{levels[0]}> {outline.headings[0][1]!r}, not <h1>")
    for (previous, _), (level, text) in itertools.pairwise(outline.headings):
        if level > previous + 1:
            problems.append(f"<h{level}> {text!r} comes straight after an <h{previous}>")
    return problems


def table_problems(outline: Outline) -> list[str]:
    """Tables with no <caption> or no <th>."""
    return [
        f"<table> {number} of {len(outline.tables)} (after heading {table.after!r}) has no <{part}>"
        for number, table in enumerate(outline.tables, start=1)
        for part in ("caption", "th")
        if not getattr(table, part)
    ]


@pytest.mark.parametrize("pattern", DOCUMENTS)
def test_html_structure(published: Path, pattern: str) -> None:
    """Each HTML's language, image alts, heading outline and table headers."""
    path = document(published, pattern)
    outline = outline_of(path)
    problems = [
        *language_problems(outline),
        *image_problems(outline),
        *heading_problems(outline),
        # The reviewer copy's pandas tables have header cells but no captions: only the
        # committee document, which the public reads, must caption every table.
        *(table_problems(outline) if pattern == DOCUMENTS[0] else []),
    ]
    assert not problems, f"{path.name}:\n" + "\n".join(f"- {p}" for p in problems)


def test_the_force_index_has_no_axe_wcag_violations(
    page: Page, blocked: list[str], tmp_path: Path
) -> None:
    """The index page `make force` writes, with a built partnership (its headline and ONS
    rate), one that failed, and LSOA names no partnership took, passes axe-core as the papers do."""
    from tests.test_force import index_page

    path = index_page(tmp_path)
    results = run_axe(page, path)
    assert not results["violations"], axe_report(path, results)
    assert not blocked, f"{path.name} asks for resources off the file system: {blocked}"
