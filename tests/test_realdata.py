"""Checks against real data.police.uk files, when ../shared/realdata is beside the project."""

from __future__ import annotations

import csv

import pytest

from pipeline.analysis import analyse
from pipeline.config import load_config
from pipeline.errors import MissingMonthsError
from pipeline.ingest import ProcessedQuarter, ingest_quarter, summary_record
from pipeline.paths import PROJECT_ROOT
from pipeline.periods import parse_financial_year

REAL = PROJECT_ROOT.parent / "shared" / "realdata" / "police-uk"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason=f"no real police.uk data at {REAL}")


def config_for(tmp_path, force: str, district: str):
    path = tmp_path / "real.yaml"
    path.write_text(
        f"district: {district}\nforce: {force}\ninputs:\n  police_uk: {REAL / force.lower()}\n"
        f"  lsoa_name_prefix: {district}\nprocessed_dir: {tmp_path / 'processed'}\n",
        encoding="utf-8",
    )
    return load_config(path)


def count_rows(folder, months, prefix, crime: bool) -> int:
    """Rows of the district in the months, counted with the csv module alone."""
    total = 0
    for month in months:
        for path in folder.glob(f"{month}-*-street.csv"):
            with path.open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    is_crime = row["Crime type"] != "Anti-social behaviour"
                    total += row["LSOA name"].startswith(prefix + " ") and is_crime == crime
    return total


def test_amber_valley_quarter_matches_a_direct_count(tmp_path):
    config = config_for(tmp_path, "Derbyshire", "Amber Valley")
    year = parse_financial_year("2024-25")
    result = ingest_quarter(config, year, 3)
    processed = ProcessedQuarter(
        result.records, result.no_location, summary_record(result, config, year, 3)
    )
    table = analyse(processed, year, 3, config.positive_outcomes).performance["quarter"]
    table = table.set_index("crime_type")
    months = ["2024-10", "2024-11", "2024-12"]
    folder = REAL / "derbyshire"
    assert table.loc["All crime", "offences_current"] == count_rows(
        folder, months, "Amber Valley", True
    )
    assert table.loc["Anti-social behaviour", "offences_current"] == count_rows(
        folder, months, "Amber Valley", False
    )
    # Rows of neighbouring districts in other forces are read but not kept.
    assert result.rows_other_districts > 0


def test_a_quarter_the_download_does_not_cover_names_the_missing_months(tmp_path):
    config = config_for(tmp_path, "Derbyshire", "Amber Valley")
    # 2024-25 Q2 needs October 2022 onwards; the files start in January 2023.
    with pytest.raises(MissingMonthsError) as caught:
        ingest_quarter(config, parse_financial_year("2024-25"), 2)
    assert caught.value.months == ["2022-10", "2022-11", "2022-12"]


def test_rows_with_no_location_are_kept_apart_not_dropped(tmp_path):
    config = config_for(tmp_path, "Nottinghamshire", "Ashfield")
    result = ingest_quarter(config, parse_financial_year("2024-25"), 3)
    assert len(result.no_location) > 0
    assert (result.no_location["lsoa_code"].fillna("") == "").all()
    assert result.rows_read == (
        len(result.records) + len(result.no_location) + result.rows_other_districts
    )
