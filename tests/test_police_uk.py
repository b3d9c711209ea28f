"""Reading and checking police.uk street files."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.errors import InputFileError, InputWarning
from pipeline.sources import police_uk as source
from tests.conftest import ASB, street_row, write_street_file


def read_one(folder):
    """Read the only street file in folder."""
    (street,) = source.find_street_files(folder)
    return source.read_street_file(street)


def test_reads_rows_into_canonical_typed_columns(tmp_path):
    rows = [
        street_row("Burglary", "2024-07", outcome="Local resolution", crime_id="abc"),
        street_row(ASB, "2024-07"),
        street_row("Drugs", "2024-07", lsoa_name=""),
    ]
    write_street_file(tmp_path, "2024-07", rows)
    records = read_one(tmp_path)
    assert list(records["crime_type"]) == ["Burglary", ASB, "Drugs"]
    assert records["month"].iloc[0] == pd.Period("2024-07", freq="M")
    assert records["crime_id"].iloc[0] == "abc"
    # ASB rows have an empty Crime ID in the file; it stays empty, not a duplicate of anything.
    assert records["crime_id"].iloc[1] == ""
    assert pd.isna(records["longitude"].iloc[2])
    assert records["longitude"].iloc[0] == pytest.approx(-1.1)
    assert list(records["source_row"]) == [2, 3, 4]


def test_finds_files_recursively_in_month_order(tmp_path):
    write_street_file(tmp_path / "2024-08", "2024-08", [street_row(ASB, "2024-08")])
    write_street_file(tmp_path / "2024-07", "2024-07", [street_row(ASB, "2024-07")])
    found = source.find_street_files(tmp_path)
    assert [str(item.month) for item in found] == ["2024-07", "2024-08"]
    assert found[0].force == "testshire"


def test_file_name_with_impossible_month_is_refused(tmp_path):
    (tmp_path / "2024-13-testshire-street.csv").write_text("x\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="2024-13-testshire-street.csv"):
        source.find_street_files(tmp_path)


def test_missing_column_names_file_row_and_column(tmp_path):
    path = write_street_file(tmp_path, "2024-07", [street_row(ASB, "2024-07")])
    text = path.read_text(encoding="utf-8").replace("LSOA code,", "", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        read_one(tmp_path)
    message = str(caught.value)
    assert "2024-07-testshire-street.csv" in message
    assert "row 1" in message
    assert "column 'LSOA code'" in message


def test_month_disagreeing_with_file_name_names_the_row(tmp_path):
    rows = [street_row(ASB, "2024-07"), street_row(ASB, "2024-07"), street_row(ASB, "2024-06")]
    write_street_file(tmp_path, "2024-07", rows)
    # Header is row 1, so the third data row is row 4.
    with pytest.raises(InputFileError, match=r"row 4, column 'Month'.*2024-06"):
        read_one(tmp_path)


def test_unknown_crime_type_names_nearest_known(tmp_path):
    rows = [street_row(ASB, "2024-07"), street_row("Burglery", "2024-07")]
    write_street_file(tmp_path, "2024-07", rows)
    with pytest.raises(InputFileError, match=r"row 3, column 'Crime type'.*'Burglery'.*'Burglary'"):
        read_one(tmp_path)


def test_coordinate_that_is_not_a_number_is_refused(tmp_path):
    row = street_row("Robbery", "2024-07") | {"Latitude": "52,5"}
    write_street_file(tmp_path, "2024-07", [row])
    with pytest.raises(InputFileError, match=r"row 2, column 'Latitude'"):
        read_one(tmp_path)


def test_empty_file_is_refused_with_its_name(tmp_path):
    (tmp_path / "2024-07-testshire-street.csv").write_text("", encoding="utf-8")
    with pytest.raises(InputFileError, match="empty"):
        read_one(tmp_path)


def test_byte_order_mark_is_accepted(tmp_path):
    path = write_street_file(tmp_path, "2024-07", [street_row(ASB, "2024-07")])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(read_one(tmp_path)) == 1


def test_extra_column_is_accepted_with_a_warning(tmp_path):
    path = write_street_file(tmp_path, "2024-07", [street_row(ASB, "2024-07")])
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",Notes", lines[1] + ",hello"]) + "\n", encoding="utf-8")
    with pytest.warns(InputWarning, match="Notes"):
        records = read_one(tmp_path)
    assert "Notes" not in records.columns


def test_unknown_outcome_wordings_are_listed():
    records = pd.DataFrame({"last_outcome": ["Local resolution", "", "Sent to the moon"]})
    assert source.unknown_outcomes(records) == ["Sent to the moon"]
