"""Checks against real data.police.uk files, when ../shared/realdata is beside the project."""

from __future__ import annotations

import csv

import pytest

from pipeline.analysis import analyse
from pipeline.config import load_config
from pipeline.errors import InputFileError, MissingMonthsError, SelectionError
from pipeline.ingest import ProcessedQuarter, ingest_quarter, summary_record
from pipeline.paths import PROJECT_ROOT
from pipeline.periods import parse_financial_year
from pipeline.sources import police_uk as street_files
from tests.conftest import reading_each_once

REAL = PROJECT_ROOT.parent / "shared" / "realdata" / "police-uk"
pytestmark = [
    pytest.mark.skipif(not REAL.is_dir(), reason=f"no real police.uk data at {REAL}"),
    pytest.mark.slow,  # whole real downloads: not in make test-fast
]


@pytest.fixture(autouse=True)
def each_real_file_read_once(monkeypatch):
    """The same real months are read by many tests here: each is read and checked once."""
    monkeypatch.setattr(street_files, "read_street_file", reading_each_once(REAL))


def config_for(tmp_path, force: str, district: str, folder=None, extra: str = ""):
    path = tmp_path / "real.yaml"
    path.write_text(
        f"district: {district}\nforce: {force}\ninputs:\n"
        f"  police_uk: {folder or REAL / force.lower()}\n"
        f"  lsoa_name_prefix: {district}\nprocessed_dir: {tmp_path / 'processed'}\n{extra}",
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


def analysed(result, config, year, quarter):
    """The analysis of an ingest, without writing it."""
    processed = ProcessedQuarter(
        result.records, result.no_location, summary_record(result, config, year, quarter)
    )
    return analyse(processed, year, quarter, config.positive_outcomes)


def test_derbyshires_november_2024_without_asb_stops_until_accepted(tmp_path):
    # police.uk published Derbyshire's November 2024 with its crimes but no ASB at all.
    year = parse_financial_year("2024-25")
    with pytest.raises(InputFileError, match="0 anti-social behaviour rows, under half"):
        ingest_quarter(config_for(tmp_path, "Derbyshire", "Amber Valley"), year, 3)


def test_amber_valley_quarter_matches_a_direct_count(tmp_path):
    config = config_for(
        tmp_path, "Derbyshire", "Amber Valley", extra="accept_short_months: [2024-11]\n"
    )
    year = parse_financial_year("2024-25")
    result = ingest_quarter(config, year, 3)
    table = analysed(result, config, year, 3).performance["quarter"].set_index("crime_type")
    folder = REAL / "derbyshire"
    months = ["2024-10", "2024-11", "2024-12"]
    assert table.loc["All crime", "offences_current"] == count_rows(
        folder, months, "Amber Valley", True
    )
    # ASB compares October and December alone, in both years.
    asb_months = ["2024-10", "2024-12"]
    assert table.loc["Anti-social behaviour", "offences_current"] == count_rows(
        folder, asb_months, "Amber Valley", False
    )
    assert table.loc["Anti-social behaviour", "offences_previous"] == count_rows(
        folder, ["2023-10", "2023-12"], "Amber Valley", False
    )
    # Rows of neighbouring districts in other forces are read but not kept.
    assert result.rows_other_districts > 0


def messy_folder(root):
    """Derbyshire's download as an analyst's folder often is: a second, overlapping download
    nested inside it, another force's month beside it, and May 2024 cut at 1,000 rows."""
    folder = root / "police-uk"
    (folder / "second-download").mkdir(parents=True)
    for path in sorted((REAL / "derbyshire").glob("*.csv")):
        (folder / path.name).symlink_to(path)
        if path.name >= "2024-06":
            (folder / "second-download" / path.name).symlink_to(path)
    other = REAL / "nottinghamshire" / "2024-05-nottinghamshire-street.csv"
    (folder / other.name).symlink_to(other)
    may = folder / "2024-05-derbyshire-street.csv"
    lines = may.read_bytes().splitlines(keepends=True)
    may.unlink()
    may.write_bytes(b"".join(lines[:1001]))
    return folder


def test_a_messy_folder_stops_at_the_short_month_then_reports_like_for_like(tmp_path):
    folder = messy_folder(tmp_path)
    year = parse_financial_year("2024-25")
    config = config_for(tmp_path, "Derbyshire", "Amber Valley", folder)
    with pytest.raises(InputFileError, match=r"2024-05-derbyshire-street\.csv: .*under half"):
        ingest_quarter(config, year, 3)
    config = config_for(
        tmp_path,
        "Derbyshire",
        "Amber Valley",
        folder,
        "accept_short_months: [2024-05, 2024-11]\n",
    )
    result = ingest_quarter(config, year, 3)
    assert sum("identical bytes" in note for note in result.warnings) == 7
    assert any(
        "2024-05-nottinghamshire-street.csv (Nottinghamshire Police)" in note
        for note in result.warnings
    )
    table = analysed(result, config, year, 3).performance["rolling_12_months"]
    table = table.set_index("crime_type")
    # Crimes: May left out of both years; ASB: May and November.
    real = REAL / "derbyshire"
    crime_months = [f"2024-{m:02d}" for m in range(1, 13) if m != 5]
    asb_months = [month for month in crime_months if month != "2024-11"]
    year_before = [month.replace("2024", "2023") for month in crime_months]
    assert table.loc["All crime", "offences_current"] == count_rows(
        real, crime_months, "Amber Valley", True
    )
    assert table.loc["All crime", "offences_previous"] == count_rows(
        real, year_before, "Amber Valley", True
    )
    assert table.loc["Anti-social behaviour", "offences_current"] == count_rows(
        real, asb_months, "Amber Valley", False
    )
    assert table.loc["Anti-social behaviour", "offences_previous"] == count_rows(
        real, [month.replace("2024", "2023") for month in asb_months], "Amber Valley", False
    )


def test_wyre_never_takes_wyre_forest_and_its_border_rows_stop(tmp_path):
    # Nottinghamshire's files hold a few rows from both Wyre and Wyre Forest, over the border.
    config = config_for(tmp_path, "Nottinghamshire", "Wyre")
    with pytest.raises(SelectionError, match="look like border records") as caught:
        ingest_quarter(config, parse_financial_year("2024-25"), 3)
    assert "take only 36 records from 9 LSOAs" in str(caught.value)


def test_a_quarter_the_download_does_not_cover_names_the_missing_months(tmp_path):
    config = config_for(tmp_path, "Derbyshire", "Amber Valley")
    # 2024-25 Q2 needs October 2022 onwards; the files start in January 2023.
    with pytest.raises(MissingMonthsError) as caught:
        ingest_quarter(config, parse_financial_year("2024-25"), 2)
    assert caught.value.months == ["2022-10", "2022-11", "2022-12"]


def test_rows_with_no_location_are_kept_apart_not_dropped(tmp_path):
    # Nottinghamshire's September 2024 holds a third of a month's ASB.
    config = config_for(
        tmp_path, "Nottinghamshire", "Ashfield", extra="accept_short_months: [2024-09]\n"
    )
    result = ingest_quarter(config, parse_financial_year("2024-25"), 3)
    assert len(result.no_location) > 0
    assert (result.no_location["lsoa_code"].fillna("") == "").all()
    assert result.rows_read == (
        len(result.records)
        + len(result.no_location)
        + result.rows_other_districts
        + result.rows_other_forces
    )
