"""The embedded sample: a fictional force's police.uk files, a district's extract and tracker.

`write_sample` writes all three, as `make` does on first use (`python -m pipeline sample`):

- `police_uk`: the force's data.police.uk monthly street files;
- `force_extract`: the district's force extract, built on its police.uk records;
- `tracker`: the CSP manager's tracker workbook;
- `ons`: the ONS police force area data tables for the sample's force and three neighbours, and
  the ONS-style lookup from local authority to partnership to force area (for `make force`).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.sample.force_extract import FORCE_EXTRACT_FOLDER, write_force_extract
from pipeline.sample.ons import write_sample_csp_lookup, write_sample_ons_tables
from pipeline.sample.police_uk import SAMPLE_FIRST_MONTH, SAMPLE_LAST_MONTH, write_force_files
from pipeline.sample.tracker import write_sample_tracker

TRACKER_FOLDER = "tracker"
ONS_TABLES = Path("ons") / "sample-police-force-area-tables-year-ending-march-2025.xlsx"
CSP_LOOKUP = Path("ons") / "sample-csp-lookup.csv"


def write_sample(folder: Path) -> list[Path]:
    """Write the sample's street files (scale 1), the district's force extract, its tracker,
    the ONS tables and the partnership lookup."""
    street_paths = write_force_files(folder, SAMPLE_FIRST_MONTH, SAMPLE_LAST_MONTH)
    extract_paths = write_force_extract(folder, Path(folder) / FORCE_EXTRACT_FOLDER)
    tracker = Path(folder) / TRACKER_FOLDER / "ashworth-vale-tracker.xlsx"
    tracker.parent.mkdir(parents=True, exist_ok=True)
    return [
        *street_paths,
        *extract_paths,
        write_sample_tracker(tracker),
        write_sample_ons_tables(Path(folder) / ONS_TABLES),
        write_sample_csp_lookup(Path(folder) / CSP_LOOKUP),
    ]
