"""Reading and checking police.uk street files."""

from __future__ import annotations

import os
from pathlib import Path

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


# --- reading the file: its size, encoding, rows and header -------------------------------------

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
PLACE = "-1.1,52.5,On or near Mill Lane,E01000001,Testville 001A"
ASB_LINE = f",2024-07,Testshire Police,Testshire Police,{PLACE},Anti-social behaviour,,"
CRIME_LINE = f"abc,2024-07,Testshire Police,Testshire Police,{PLACE},Burglary,Under investigation,"


def write_lines(folder, *lines: str, ending: str = "\n", encoding: str = "utf-8"):
    """A July 2024 street file of the given lines, each ended by ending."""
    path = folder / "2024-07-testshire-street.csv"
    path.write_bytes("".join(line + ending for line in lines).encode(encoding))
    return path


def error_of(folder) -> str:
    """The message of the error reading the only street file in folder raises."""
    with pytest.raises(InputFileError) as caught:
        read_one(folder)
    return str(caught.value)


def test_truncated_last_line_names_its_row_and_first_missing_column(tmp_path):
    path = write_lines(tmp_path, HEADER, ASB_LINE, CRIME_LINE)
    # The third data row (file row 4) stops after 'Longitude', its fifth field.
    path.write_bytes(path.read_bytes() + b"def,2024-07,Testshire Police,Testshire Police,-1.1")
    assert error_of(tmp_path) == (
        f"{path}, row 4, column 'Latitude': found 5 fields where the header has 12; "
        "the row may be cut short."
    )


def test_value_with_an_unquoted_comma_is_refused_with_its_row(tmp_path):
    line = CRIME_LINE.replace("On or near Mill Lane", "On or near Mill Lane, Testville")
    path = write_lines(tmp_path, HEADER, ASB_LINE, line)
    assert error_of(tmp_path) == (
        f"{path}, row 3: found 13 fields where the header has 12; "
        "a value that contains a comma must be inside double quotes."
    )


def test_unclosed_quote_is_refused_with_its_row(tmp_path):
    line = CRIME_LINE.replace("On or near Mill Lane", '"On or near Mill Lane')
    path = write_lines(tmp_path, HEADER, line, ASB_LINE)
    assert error_of(tmp_path) == (
        f"{path}, row 2: a double quote opened on this row is never closed; remove it or close it."
    )


def test_semicolon_separated_file_is_asked_about(tmp_path):
    path = write_lines(tmp_path, HEADER.replace(",", ";"), ASB_LINE.replace(",", ";"))
    message = error_of(tmp_path)
    assert message.startswith(f"{path}, row 1, column 'Crime ID': ")
    assert f"expected the header {HEADER} but found {HEADER.replace(',', ';')}." in message
    assert message.endswith("Is the file comma-separated?")


def test_snake_case_header_names_the_expected_header_and_each_renaming(tmp_path):
    snake = (
        "crime_id,month,reported_by,falls_within,longitude,latitude,location,lsoa_code,"
        "lsoa_name,crime_type,last_outcome_category,context"
    )
    path = write_lines(tmp_path, snake, ASB_LINE)
    message = error_of(tmp_path)
    assert message.startswith(f"{path}, row 1, column 'Crime ID': columns 'Crime ID', 'Month', ")
    assert f"expected the header {HEADER} but found {snake}." in message
    # Twelve renamed columns: the first five are listed, then how many more.
    assert message.endswith(
        "The columns look renamed: write 'crime_id' as 'Crime ID', 'month' as 'Month', "
        "'reported_by' as 'Reported by', 'falls_within' as 'Falls within', "
        "'longitude' as 'Longitude' and 7 more."
    )


def test_column_named_twice_is_refused(tmp_path):
    write_lines(tmp_path, HEADER + ",Month", ASB_LINE + ",2024-07")
    assert "column 'Month' appears 2 times in the header" in error_of(tmp_path)


def test_header_without_rows_is_refused_at_row_2(tmp_path):
    path = write_lines(tmp_path, HEADER)
    assert error_of(tmp_path) == (
        f"{path}, row 2: the file has a header but no rows; expected one row per crime or ASB "
        "record of July 2024."
    )


def test_windows_line_ends_are_accepted(tmp_path):
    write_lines(tmp_path, HEADER, ASB_LINE, CRIME_LINE, ending="\r\n")
    records = read_one(tmp_path)
    assert list(records["crime_type"]) == [ASB, "Burglary"]
    assert records["last_outcome"].tolist() == ["", "Under investigation"]


def test_windows_1252_file_is_read_with_a_warning_naming_the_first_row(tmp_path):
    line = CRIME_LINE.replace("On or near Mill Lane", "On or near £1 Shop")
    write_lines(tmp_path, HEADER, ASB_LINE, line, encoding="cp1252")
    with pytest.warns(InputWarning, match=r"not UTF-8 text \(first on row 3\).*Windows-1252"):
        records = read_one(tmp_path)
    assert records["location"].tolist() == ["On or near Mill Lane", "On or near £1 Shop"]


def test_blank_lines_are_skipped_and_rows_keep_their_file_numbers(tmp_path):
    write_lines(tmp_path, HEADER, ASB_LINE, "", CRIME_LINE)
    assert read_one(tmp_path)["source_row"].tolist() == [2, 4]


def test_month_that_is_not_a_month_is_refused(tmp_path):
    path = write_lines(tmp_path, HEADER, ASB_LINE, ASB_LINE.replace("2024-07", "2024-13"))
    assert error_of(tmp_path) == (
        f"{path}, row 3, column 'Month': Month '2024-13' is not a real month written as "
        "YYYY-MM; expected 2024-07, the month in the file's name, on every row."
    )


def test_empty_crime_type_lists_the_crime_types(tmp_path):
    write_lines(tmp_path, HEADER, CRIME_LINE.replace(",Burglary,", ",,"))
    message = error_of(tmp_path)
    assert "row 2, column 'Crime type': Crime type is empty; expected one of" in message
    assert "Anti-social behaviour, Bicycle theft, Burglary," in message


def test_file_name_with_an_impossible_month_says_what_is_wrong(tmp_path):
    path = tmp_path / "2024-13-testshire-street.csv"
    path.write_text(HEADER + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        source.find_street_files(tmp_path)
    assert str(caught.value) == (
        f"{path}: '2024-13' in the file name is not a real month (01 to 12); expected a name "
        "like 2025-08-<force>-street.csv, as police.uk names its files."
    )


def test_file_over_the_size_limit_is_refused_without_being_read(tmp_path, monkeypatch):
    path = write_lines(tmp_path, HEADER, ASB_LINE)
    os.truncate(path, 3_000_000_000)  # a sparse file: no disk space used

    def no_reading(self):
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    assert error_of(tmp_path) == (
        f"{path}: the file is 3.0 GB, over the 200 MB limit for a police.uk street file "
        f"({source.TYPICAL_SIZE}); check it is the right file, not several joined or a "
        "damaged copy."
    )


def test_file_at_the_size_limit_is_read(tmp_path, monkeypatch):
    path = write_lines(tmp_path, HEADER, ASB_LINE)
    monkeypatch.setattr(source, "MAX_FILE_BYTES", path.stat().st_size)
    assert len(read_one(tmp_path)) == 1
    monkeypatch.setattr(source, "MAX_FILE_BYTES", path.stat().st_size - 1)
    assert error_of(tmp_path).startswith(f"{path}: the file is 0 MB, over the 0 MB limit")


def test_renamed_columns_pairs_names_spelled_another_way():
    written = ["crime id", "MONTH", "Reported_by", "Notes", "Month"]
    expected = ("Crime ID", "Month", "Reported by")
    assert source.renamed_columns(written, expected) == [
        ("crime id", "Crime ID"),
        ("MONTH", "Month"),
        ("Reported_by", "Reported by"),
    ]


def test_a_plain_file_and_the_same_file_fully_quoted_read_the_same(tmp_path):
    # A file with no quotes takes the fast reader, one with quotes the careful one.
    rows = [
        street_row("Burglary", "2025-08", outcome="Local resolution"),
        street_row("Anti-social behaviour", "2025-08"),
        street_row("Robbery", "2025-08", lsoa_name=""),
    ]
    plain = write_street_file(tmp_path / "plain", "2025-08", rows)
    quoted = tmp_path / "quoted" / plain.name
    quoted.parent.mkdir()
    lines = plain.read_text(encoding="utf-8").splitlines()
    quoted.write_text(
        "\r\n".join(
            [lines[0], *(",".join(f'"{v}"' for v in line.split(",")) for line in lines[1:])]
        )
        + "\r\n",
        encoding="utf-8",
    )
    read = [source.read_street_file(source.find_street_files(p.parent)[0]) for p in (plain, quoted)]
    pd.testing.assert_frame_equal(
        read[0].drop(columns="source_file"), read[1].drop(columns="source_file")
    )
    assert list(read[0]["source_row"]) == [2, 3, 4]
    assert list(read[0]["longitude"].isna()) == [False, False, True]


@pytest.mark.parametrize(
    "change",
    [
        lambda lines: lines[:2] + [""] + lines[2:],  # a blank line
        lambda lines: [lines[0], lines[1] + ",x", lines[2][: lines[2].rindex(",")]],  # +1, -1
        lambda lines: [lines[0], lines[1].replace("Mill Lane", '"Mill, Lane"'), lines[2]],
    ],
)
def test_files_the_fast_reader_cannot_vouch_for_go_to_the_careful_one(tmp_path, change):
    rows = [street_row("Burglary", "2025-08"), street_row("Robbery", "2025-08")]
    path = write_street_file(tmp_path, "2025-08", rows)
    lines = change(path.read_text(encoding="utf-8").splitlines())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert source._plain_frame(text, source.police_uk().file_header) is None


def test_a_value_longer_than_the_csv_reader_s_own_limit_is_read_whole(tmp_path):
    context = "x" * 300_000  # past Python's csv limit of 131,072 characters a value
    quoted = CRIME_LINE.replace("On or near Mill Lane", '"On or near Mill Lane, Testville"')
    write_lines(tmp_path, HEADER, ASB_LINE + context, quoted)
    records = read_one(tmp_path)
    assert records["crime_type"].tolist() == [ASB, "Burglary"]
    assert records["location"].iloc[1] == "On or near Mill Lane, Testville"


def test_a_file_name_in_capitals_is_found(tmp_path):
    write_lines(tmp_path, HEADER, ASB_LINE).rename(tmp_path / "2024-07-testshire-street.CSV")
    (street,) = source.find_street_files(tmp_path)
    assert street.month == pd.Period("2024-07", freq="M") and street.force == "testshire"


def test_a_broken_link_named_like_a_street_file_names_where_it_points(tmp_path):
    link = tmp_path / "2024-07-testshire-street.csv"
    link.symlink_to(tmp_path / "gone" / "2024-07-testshire-street.csv")
    with pytest.raises(InputFileError) as caught:
        source.find_street_files(tmp_path)
    assert str(caught.value) == (
        f"{link}: is a link to {tmp_path}/gone/2024-07-testshire-street.csv, which does not "
        "exist; copy the month's file here in its place, or remove the link."
    )


def test_a_folder_named_like_a_street_file_is_refused(tmp_path):
    (tmp_path / "2024-07-testshire-street.csv").mkdir()
    with pytest.raises(InputFileError, match="is a folder named like a street file"):
        source.find_street_files(tmp_path)
