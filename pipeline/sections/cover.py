"""The cover of the committee paper: council, committee, meeting, the report details table."""

from __future__ import annotations

from pipeline.config import PLACEHOLDER, Config
from pipeline.document import (
    Section,
    render,
)
from pipeline.numbers import (
    format_date,
)


def or_placeholder(value: str | None) -> str:
    """A committee detail, or the marked placeholder when the config lacks it."""
    return value if value else PLACEHOLDER


def cover(config: Config, title: str, appendices: list[str]) -> Section:
    """The cover: council, committee, meeting and the report details table."""
    details = config.committee
    meeting = format_date(details.meeting_date) if details.meeting_date else None
    missing = [
        label
        for label, value in [
            ("council", details.council),
            ("committee", details.committee),
            ("meeting date", meeting),
            ("report author", details.report_author),
            ("portfolio holder", details.portfolio_holder),
        ]
        if not value
    ]
    html = render(
        "cover.html.j2",
        council=or_placeholder(details.council),
        committee=or_placeholder(details.committee),
        meeting_date=or_placeholder(meeting),
        title=title,
        details=[
            ("Title", title),
            ("Status", "Public"),
            ("Key Decision", "No"),
            ("Report Author", or_placeholder(details.report_author)),
            ("Portfolio Holder", or_placeholder(details.portfolio_holder)),
            ("Appendices", appendices or "None"),
        ],
        placeholders=", ".join(missing).capitalize() if missing else "",
        placeholder=PLACEHOLDER,
    )
    return Section("cover", title, html)
