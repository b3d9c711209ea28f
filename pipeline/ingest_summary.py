"""The ingest's summary: what was read, for which quarter, and how its rows were split.

Saved as `ingest_summary.json` beside the processed tables; read by the analysis, the report, the
manifest and the run's warnings. Standard library only, so reading it costs nothing.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

SUMMARY_FILE = "ingest_summary.json"


@dataclass(frozen=True)
class ExtractProvenance:
    """What the force extract gave: each file's provenance record, and the rows read and kept."""

    files: list[dict]  # per file: path, kind, size, SHA-256, rows, months, rows kept
    crimes_read: int
    crimes_kept: int
    asb_read: int
    asb_kept: int


@dataclass(frozen=True)
class IngestSummary:
    """The ingest's provenance: what was read, for which quarter, and how its rows were split.

    Saved as `ingest_summary.json` (and in the manifest) with these names, in this order.
    """

    district: str
    force: str  # as the police.uk files write it, else as configured
    force_as_configured: str
    financial_year: str
    quarter: int
    sources: list[str]  # police_uk, force_extract
    selection: str
    police_uk_folder: str | None
    months: list[str]  # the 24 months the comparisons need, YYYY-MM
    chart_months: list[str]  # the up to 36 months the control charts show, ending as months does
    chart_months_unavailable: dict[str, list[str]]  # by source, earlier months with no usable data
    missing_months_accepted: list[str]
    short_months_accepted: list[str]
    unavailable_months: dict[str, list[str]]  # by figure source, months with no usable data
    police_uk_months_read: list[str]
    rows_read: int
    rows_kept_district: int
    rows_no_location: int
    rows_other_districts: int
    rows_reported_by_other_forces: int
    warnings: list[str]
    files: list[dict]  # per police.uk file: path, month, size, SHA-256, rows and their split
    force_extract: ExtractProvenance | None

    def as_json(self) -> dict:
        """The summary as plain data, as the JSON file holds it."""
        return asdict(self)

    @classmethod
    def from_json(cls, record: dict) -> IngestSummary:
        """A summary read back from its JSON."""
        extract = record["force_extract"]
        return cls(**(record | {"force_extract": extract and ExtractProvenance(**extract)}))


def load_summary(folder: Path) -> IngestSummary:
    """The summary an ingest wrote: the files read, the months, the rows kept and set aside."""
    return IngestSummary.from_json(json.loads((folder / SUMMARY_FILE).read_text(encoding="utf-8")))
