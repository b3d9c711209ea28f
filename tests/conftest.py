"""Shared helpers: small, readable police.uk files and performance tables written by hand."""

from __future__ import annotations

import csv
import os
import subprocess
import zlib
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from pipeline.metrics import COUNT_COLUMNS, PERFORMANCE_COLUMNS
from pipeline.numbers import percent, percent_change, point_difference, round_half_up, to_float
from pipeline.paths import PROJECT_ROOT
from pipeline.taxonomy import home_office, police_uk

FORCE = "Testshire Police"
ASB = "Anti-social behaviour"
SAMPLE_RAW = PROJECT_ROOT / "data" / "raw" / "sample"


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


def ho_table(figures: dict[str, tuple[int, ...]]) -> pd.DataFrame:
    """A Home Office performance table: (offences previous, current, solved previous, current)
    for the named rows, zeros elsewhere, no solved figures for ASB; derived columns worked out."""
    rows = []
    for row in home_office().rows:
        offences_previous, offences_current, *solved = figures.get(row.name, (0, 0, 0, 0))
        cells = {
            "section": row.section,
            "level": row.level,
            "crime_type": row.name,
            "offences_previous": offences_previous,
            "offences_current": offences_current,
            "offences_diff": offences_current - offences_previous,
            "offences_pct_diff": pct(percent_change(offences_previous, offences_current)),
        }
        if row.has_solved:
            solved_previous, solved_current = solved
            rate_previous = percent(solved_previous, offences_previous)
            rate_current = percent(solved_current, offences_current)
            cells |= {
                "solved_previous": solved_previous,
                "solved_current": solved_current,
                "solved_diff": solved_current - solved_previous,
                "solved_pct_diff": pct(percent_change(solved_previous, solved_current)),
                "solved_rate_previous": pct(rate_previous),
                "solved_rate_current": pct(rate_current),
                "solved_rate_pt_diff": pct(point_difference(rate_previous, rate_current)),
            }
        rows.append(cells)
    return (
        pd.DataFrame(rows)
        .reindex(columns=PERFORMANCE_COLUMNS)
        .astype({c: "Int64" if c in COUNT_COLUMNS else "Float64" for c in PERFORMANCE_COLUMNS[3:]})
    )


def pct(value: Fraction | None) -> float | None:
    """An exact percentage rounded half up to one decimal place."""
    return to_float(round_half_up(value))


def make(
    *args: str, env: dict | None = None, memory_limit: int | None = None
) -> subprocess.CompletedProcess:
    """Run make in the project, as a user would; each process held to memory_limit bytes."""
    # prlimit, unlike preexec_fn, is safe beside threads; every process make starts inherits it.
    limit = ["prlimit", f"--as={memory_limit}"] if memory_limit else []
    return subprocess.run(
        [*limit, "make", "--no-print-directory", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def sample_config(root: Path, commentary_dir: Path) -> Path:
    """The sample's config, publishing into root/out and root/proc, with its commentary folder."""
    config = root / "sample.yaml"
    text = (PROJECT_ROOT / "config" / "sample.yaml").read_text(encoding="utf-8")
    config.write_text(
        text.replace("../data/raw/sample", str(SAMPLE_RAW))
        + f"output_dir: {root / 'out'}\nprocessed_dir: {root / 'proc'}\n"
        + f"commentary_dir: {commentary_dir}\n",
        encoding="utf-8",
    )
    return config


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    """Run the sample's 2025-26 Q2 into a temporary output folder; return the quarter folder."""
    if not (SAMPLE_RAW / ".complete").exists():
        pytest.skip("sample data not generated: run through `make test`")
    root = tmp_path_factory.mktemp("e2e")
    config = sample_config(root, PROJECT_ROOT / "config" / "commentary")
    result = make("quarter", "Q=2", "FY=2025-26", f"CONFIG={config}")
    assert result.returncode == 0, result.stderr
    again = make("quarter", "Q=2", "FY=2025-26", f"CONFIG={config}")
    assert again.returncode == 0, again.stderr
    assert "[ingest]" not in again.stderr and "[report]" not in again.stderr
    return root / "out" / "ashworth-vale" / "2025-26" / "Q2"
