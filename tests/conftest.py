"""Shared helpers: small, readable police.uk files written by hand."""

from __future__ import annotations

import csv
import zlib
from pathlib import Path

import pytest

from pipeline.taxonomy import police_uk

FORCE = "Testshire Police"
ASB = "Anti-social behaviour"


def street_row(
    crime_type: str,
    month: str,
    lsoa_name: str = "Testville 001A",
    outcome: str = "",
    crime_id: str | None = None,
) -> dict[str, str]:
    """One police.uk row; an empty lsoa_name means a row with no location."""
    located = bool(lsoa_name)
    return {
        "Crime ID": "" if crime_type == ASB else (crime_id or f"id-{month}-{crime_type}"),
        "Month": month,
        "Reported by": FORCE,
        "Falls within": FORCE,
        "Longitude": "-1.100000" if located else "",
        "Latitude": "52.500000" if located else "",
        "Location": "On or near Mill Lane" if located else "No Location",
        "LSOA code": f"E01{zlib.crc32(lsoa_name.encode()) % 1000000:06d}" if located else "",
        "LSOA name": lsoa_name,
        "Crime type": crime_type,
        "Last outcome category": "" if crime_type == ASB else outcome,
        "Context": "",
    }


def write_street_file(
    folder: Path, month: str, rows: list[dict[str, str]], force: str = "testshire"
) -> Path:
    """Write rows as `YYYY-MM-<force>-street.csv` exactly as police.uk does."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{month}-{force}-street.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(police_uk().file_header))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_config(folder: Path, police_uk_folder: Path, extra: str = "", **keys: str) -> Path:
    """A small district config for Testville."""
    lines = [
        "district: Testville",
        f"force: {FORCE}",
        "inputs:",
        f"  police_uk: {police_uk_folder}",
        f"  lsoa_name_prefix: {keys.get('prefix', 'Testville')}",
        f"output_dir: {folder / 'outputs'}",
        f"processed_dir: {folder / 'processed'}",
    ]
    path = folder / "config.yaml"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


@pytest.fixture
def months_2023_to_2025() -> list[str]:
    """The 24 months 2023-10 to 2025-09 that 2025-26 Q2 needs."""
    import pandas as pd

    return [str(m) for m in pd.period_range("2023-10", "2025-09", freq="M")]
