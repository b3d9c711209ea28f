"""Reading and checking a force's extract: small crimes and ASB files written by hand."""

from __future__ import annotations

import hashlib
import os
import warnings
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from pipeline.errors import InputFileError, InputWarning
from pipeline.sources import force_extract as source

TODAY = date.today().isoformat()
TOMORROW = (date.today() + timedelta(days=1)).isoformat()
GROUPS = (
    "Violence Against the Person, Sexual Offences, Robbery, Theft Offences, "
    "Criminal Damage and Arson, Drug Offences, Possession of Weapons, Public Order, "
    "Miscellaneous Crimes against Society"
)
THEFT_SUBGROUPS = (
    "Burglary Residential, Burglary Business and Community, Theft from a Vehicle, "
    "Theft of a Vehicle, Vehicle Interference, Theft from the Person, Theft of Pedal Cycle, "
    "Shoplifting, Other Theft"
)
CRIMES_HEADER = (
    "crime_ref,recorded_date,offence_group,offence_subgroup,domestic_abuse,da_risk,hate_crime,"
    "racially_religiously_aggravated,outcome_type,outcome_date,beat,ward,lsoa_code"
)
ASB_HEADER = "incident_ref,date,asb_category,location_type,beat,ward,lsoa_code"
PLAIN_CRIME = {
    "crime_ref": "CR1",
    "recorded_date": "2024-04-03",
    "offence_group": "Theft Offences",
    "offence_subgroup": "Shoplifting",
    "domestic_abuse": "N",
    "da_risk": "",
    "hate_crime": "N",
    "racially_religiously_aggravated": "N",
    "outcome_type": "",
    "outcome_date": "",
    "beat": "B1",
    "ward": "Abbey",
    "lsoa_code": "E01000001",
}


def crime(ref: str, **changes: str) -> str:
    """One line of a crimes file: a shoplifting with no outcome yet, changed as given."""
    values = PLAIN_CRIME | {"crime_ref": ref} | changes
    return ",".join(values[name] for name in CRIMES_HEADER.split(","))


def asb(ref: str, date: str = "2024-04-05") -> str:
    """One line of an ASB file."""
    return f"{ref},{date},Rowdy behaviour,Street,B1,Abbey,E01000001"


def write(
    folder: Path,
    lines: list[str],
    name: str = "crimes.csv",
    encoding: str = "utf-8",
    ending: str = "\n",
) -> Path:
    """Write lines as a file in folder, each ended by ending."""
    path = folder / name
    path.write_bytes("".join(line + ending for line in lines).encode(encoding))
    return path


def write_crimes(folder: Path, *lines: str) -> Path:
    """A crimes file: the header, then lines."""
    return write(folder, [CRIMES_HEADER, *lines])


def write_asb(folder: Path, *lines: str) -> Path:
    """An ASB file: the header, then lines."""
    return write(folder, [ASB_HEADER, *lines], name="asb.csv")


def asb_error(path: Path) -> str:
    """The message of the error reading the ASB file raises."""
    with pytest.raises(InputFileError) as caught:
        source.read_force_asb(path)
    return str(caught.value)


def crimes_error(path: Path) -> str:
    """The message of the error reading the crimes file raises."""
    with pytest.raises(InputFileError) as caught:
        source.read_force_crimes(path)
    return str(caught.value)


def where(path: Path, row: int, column: str | None = None) -> str:
    """How a message starts when it names the file, the row and maybe the column."""
    return f"{path}, row {row}" + (f", column '{column}'" if column else "") + ": "


def values(series: pd.Series) -> list:
    """A column's values with None for every kind of missing."""
    return [None if pd.isna(value) else value for value in series]


def kinds(frame: pd.DataFrame) -> dict[str, str]:
    """Each column's dtype name, with any datetime64 resolution shown as 'datetime'."""
    return {
        name: "datetime" if pd.api.types.is_datetime64_dtype(dtype) else str(dtype)
        for name, dtype in frame.dtypes.items()
    }


def test_header_constants_are_the_documented_columns():
    assert tuple(CRIMES_HEADER.split(",")) == source.CRIMES_HEADER
    assert tuple(ASB_HEADER.split(",")) == source.ASB_HEADER


def test_reads_a_good_file_into_canonical_typed_columns(tmp_path):
    path = write_crimes(
        tmp_path,
        "CR1,2024-04-03, theft offences ,SHOPLIFTING,n,,N,n,1a,2024-04-20,B1,Abbey,E01000001",
        "CR2,2024-05-10,Violence Against the Person,violence with injury, Y ,high,y,N,,,B2,"
        "Castle,E01000002",
        "CR3,2024-06-30,POSSESSION OF WEAPONS,Possession of Weapons,Y,,N,Y, 18 ,2024-06-30, , ,",
    )
    records = source.read_force_crimes(path)
    assert kinds(records) == {
        "crime_ref": "string",
        "recorded_date": "datetime",
        "offence_group": "string",
        "offence_subgroup": "string",
        "domestic_abuse": "bool",
        "da_risk": "string",
        "hate_crime": "bool",
        "racially_religiously_aggravated": "bool",
        "outcome_type": "string",
        "outcome_date": "datetime",
        "beat": "string",
        "ward": "string",
        "lsoa_code": "string",
        "source_file": "string",
        "source_row": "int32",
    }
    assert values(records["crime_ref"]) == ["CR1", "CR2", "CR3"]
    assert values(records["recorded_date"]) == [
        pd.Timestamp("2024-04-03"),
        pd.Timestamp("2024-05-10"),
        pd.Timestamp("2024-06-30"),
    ]
    assert values(records["offence_group"]) == [
        "Theft Offences",
        "Violence Against the Person",
        "Possession of Weapons",
    ]
    assert values(records["offence_subgroup"]) == [
        "Shoplifting",
        "Violence with Injury",
        "Possession of Weapons",
    ]
    assert values(records["domestic_abuse"]) == [False, True, True]
    assert values(records["da_risk"]) == [None, "High", None]
    assert values(records["hate_crime"]) == [False, True, False]
    assert values(records["racially_religiously_aggravated"]) == [False, False, True]
    assert values(records["outcome_type"]) == ["1A", None, "18"]
    assert values(records["outcome_date"]) == [
        pd.Timestamp("2024-04-20"),
        None,
        pd.Timestamp("2024-06-30"),
    ]
    assert values(records["beat"]) == ["B1", "B2", ""]
    assert values(records["ward"]) == ["Abbey", "Castle", ""]
    assert values(records["lsoa_code"]) == ["E01000001", "E01000002", ""]
    assert values(records["source_file"]) == ["crimes.csv"] * 3
    assert values(records["source_row"]) == [2, 3, 4]
    assert list(records.index) == [0, 1, 2]


def test_header_names_may_come_in_any_order_with_spaces_around_them(tmp_path):
    names = CRIMES_HEADER.split(",")
    line = crime("CR7", ward="Castle", outcome_type="2", outcome_date="2024-04-09").split(",")
    path = write(tmp_path, [" , ".join(reversed(names)), ",".join(reversed(line))])
    records = source.read_force_crimes(path)
    assert values(records["crime_ref"]) == ["CR7"]
    assert values(records["ward"]) == ["Castle"]
    assert values(records["outcome_type"]) == ["2"]
    assert list(records.columns[:3]) == ["crime_ref", "recorded_date", "offence_group"]


def test_byte_order_mark_is_accepted(tmp_path):
    path = write_crimes(tmp_path, crime("CR1"))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert values(source.read_force_crimes(path)["crime_ref"]) == ["CR1"]


def test_windows_line_endings_are_accepted(tmp_path):
    path = write(tmp_path, [CRIMES_HEADER, crime("CR1"), crime("CR2", lsoa_code="")], ending="\r\n")
    records = source.read_force_crimes(path)
    assert values(records["lsoa_code"]) == ["E01000001", ""]
    assert values(records["source_row"]) == [2, 3]


def test_windows_1252_file_is_read_with_a_warning(tmp_path):
    path = write(tmp_path, [CRIMES_HEADER, crime("CR1", ward="Market £ Ward")], encoding="cp1252")
    with pytest.warns(InputWarning, match=r"not UTF-8 text \(first on row 2\).*Windows-1252"):
        records = source.read_force_crimes(path)
    assert values(records["ward"]) == ["Market £ Ward"]


def test_byte_order_mark_is_dropped_from_a_windows_1252_file(tmp_path):
    path = write(tmp_path, [CRIMES_HEADER, crime("CR1", ward="Market £ Ward")], encoding="cp1252")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with pytest.warns(InputWarning, match=r"not UTF-8 text \(first on row 2\).*Windows-1252"):
        records = source.read_force_crimes(path)
    assert values(records["crime_ref"]) == ["CR1"]
    assert values(records["ward"]) == ["Market £ Ward"]


def test_byte_order_mark_does_not_shift_the_row_of_an_unreadable_byte(tmp_path):
    path = write_crimes(tmp_path, crime("CR1"))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes() + b"CR2\x81\n")
    message = crimes_error(path)
    assert message.startswith(where(path, 3))
    assert "is neither UTF-8 nor Windows-1252 text" in message


def test_upper_case_header_is_read_as_the_expected_columns(tmp_path):
    path = write(tmp_path, [CRIMES_HEADER.upper(), crime("CR1")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        records = source.read_force_crimes(path)
    assert list(records.columns) == [*CRIMES_HEADER.split(","), "source_file", "source_row"]
    assert values(records["crime_ref"]) == ["CR1"]
    assert values(records["recorded_date"]) == [pd.Timestamp("2024-04-03")]


def test_asb_header_in_mixed_case_with_spaces_is_read(tmp_path):
    header = " Incident_Ref , DATE ,Asb_Category,location_TYPE,Beat,WARD,LSOA_Code"
    path = write(tmp_path, [header, asb("A1")], name="asb.csv")
    records = source.read_force_asb(path)
    assert list(records.columns[:7]) == ASB_HEADER.split(",")
    assert values(records["date"]) == [pd.Timestamp("2024-04-05")]


def test_unknown_column_in_a_differently_cased_header_stays_extra(tmp_path):
    path = write(tmp_path, [CRIMES_HEADER.upper() + ", Notes ", crime("CR1") + ",call back"])
    with pytest.warns(InputWarning, match=r"ignoring extra column\(s\) Notes\.$"):
        records = source.read_force_crimes(path)
    assert "Notes" not in records.columns
    assert values(records["ward"]) == ["Abbey"]


def test_column_repeated_in_another_case_is_refused(tmp_path):
    path = write(tmp_path, [CRIMES_HEADER + ", BEAT ", crime("CR1") + ",B9"])
    assert crimes_error(path) == (
        f"{where(path, 1, 'beat')}column 'beat' appears 2 times in the header "
        "(written 'beat' and 'BEAT'); each column must appear once."
    )


def test_extra_column_is_accepted_with_a_warning(tmp_path):
    path = write(tmp_path, [CRIMES_HEADER + ",notes", crime("CR1") + ",call back"])
    with pytest.warns(InputWarning, match="ignoring extra column.*notes"):
        records = source.read_force_crimes(path)
    assert "notes" not in records.columns


def test_empty_trailing_columns_from_a_spreadsheet_are_accepted_with_a_warning(tmp_path):
    path = write(tmp_path, [CRIMES_HEADER + ",,", crime("CR1") + ",,"])
    with pytest.warns(InputWarning, match=r"ignoring extra column\(s\) \(unnamed\), \(unnamed\)"):
        records = source.read_force_crimes(path)
    assert values(records["crime_ref"]) == ["CR1"]


def test_blank_lines_are_skipped_and_rows_keep_their_file_numbers(tmp_path):
    path = write_crimes(tmp_path, crime("CR1"), "", crime("CR2"), ",,,,,,,,,,,,", "  ")
    assert values(source.read_force_crimes(path)["source_row"]) == [2, 4]


def test_value_running_over_two_lines_keeps_the_next_rows_file_number(tmp_path):
    path = write_crimes(tmp_path, crime("CR1", ward='"Abbey\nNorth"'), crime("CR2"))
    records = source.read_force_crimes(path)
    assert values(records["ward"]) == ["Abbey\nNorth", "Abbey"]
    assert values(records["source_row"]) == [2, 4]


def test_missing_file_is_refused(tmp_path):
    path = tmp_path / "crimes.csv"
    assert crimes_error(path).startswith(f"{path}: file not found")


def test_empty_file_is_refused_at_row_1(tmp_path):
    path = write(tmp_path, [])
    message = crimes_error(path)
    assert message.startswith(where(path, 1))
    assert "the file is empty; expected the header crime_ref,recorded_date," in message


def test_header_without_rows_is_refused(tmp_path):
    path = write_crimes(tmp_path)
    assert crimes_error(path) == (
        f"{where(path, 2)}the file has a header but no rows; expected one row per crime."
    )


def test_missing_column_names_it_and_the_expected_header(tmp_path):
    path = write(tmp_path, [CRIMES_HEADER.replace(",ward", ""), crime("CR1", ward="X")])
    message = crimes_error(path)
    assert message.startswith(where(path, 1, "ward"))
    assert "column 'ward' is missing" in message
    assert f"expected the header {CRIMES_HEADER} but found" in message
    assert "comma-separated" not in message


def test_two_missing_columns_are_both_named(tmp_path):
    header = CRIMES_HEADER.replace(",beat,ward", "")
    path = write(tmp_path, [header])
    assert "columns 'beat' and 'ward' are missing" in crimes_error(path)


def test_semicolon_separated_file_is_asked_about(tmp_path):
    path = write(tmp_path, [CRIMES_HEADER.replace(",", ";"), crime("CR1").replace(",", ";")])
    message = crimes_error(path)
    assert message.startswith(where(path, 1, "crime_ref"))
    assert "columns 'crime_ref', 'recorded_date', 'offence_group', 'offence_subgroup', " in message
    assert "'domestic_abuse' and 8 more are missing" in message
    assert message.endswith("Is the file comma-separated?")


def test_tab_separated_file_is_asked_about(tmp_path):
    path = write(tmp_path, [CRIMES_HEADER.replace(",", "\t"), crime("CR1").replace(",", "\t")])
    assert crimes_error(path).endswith("Is the file comma-separated?")


def test_duplicated_column_is_refused(tmp_path):
    path = write(tmp_path, [CRIMES_HEADER + ", beat", crime("CR1") + ",B9"])
    message = crimes_error(path)
    assert message == (
        f"{where(path, 1, 'beat')}column 'beat' appears 2 times in the header; "
        "each column must appear once."
    )


def test_retitled_header_names_each_column_as_the_extract_writes_it(tmp_path):
    header = "Crime Ref,Recorded-Date," + CRIMES_HEADER.split(",", 2)[2]
    path = write(tmp_path, [header, crime("CR1")])
    assert crimes_error(path) == (
        f"{where(path, 1, 'crime_ref')}columns 'crime_ref' and 'recorded_date' are missing; "
        f"expected the header {CRIMES_HEADER} but found {header}. The columns look renamed: "
        "write 'Crime Ref' as 'crime_ref' and 'Recorded-Date' as 'recorded_date'."
    )


def test_names_differing_only_in_case_are_not_called_renamed(tmp_path):
    # The reader accepts 'WARD' as 'ward', so only the retitled 'Crime Ref' is named.
    header = CRIMES_HEADER.replace("crime_ref", "Crime Ref").replace("ward", "WARD")
    path = write(tmp_path, [header, crime("CR1")])
    assert crimes_error(path).endswith(
        "The columns look renamed: write 'Crime Ref' as 'crime_ref'."
    )


def test_file_over_the_size_limit_is_refused_without_being_read(tmp_path, monkeypatch):
    path = write_crimes(tmp_path, crime("CR1"))
    os.truncate(path, 3_000_000_000)  # a sparse file: no disk space used

    def no_reading(self):
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    assert crimes_error(path) == (
        f"{path}: the file is 3.0 GB, over the 200 MB limit for a force extract file "
        f"({source.TYPICAL_SIZE}); check it is the right file, not several joined or a "
        "damaged copy."
    )


def test_asb_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    path = write_asb(tmp_path, asb("A1"))
    monkeypatch.setattr(source, "MAX_FILE_BYTES", path.stat().st_size - 1)
    assert "over the 0 MB limit for a force extract file" in asb_error(path)


def test_row_with_too_many_fields_is_refused(tmp_path):
    path = write_crimes(tmp_path, crime("CR1"), crime("CR2", ward="Abbey, North"))
    message = crimes_error(path)
    assert message.startswith(where(path, 3))
    assert "found 14 fields where the header has 13" in message
    assert "double quotes" in message


def test_first_row_with_too_many_fields_is_refused_too(tmp_path):
    path = write_crimes(tmp_path, crime("CR1") + ",extra", crime("CR2"))
    assert "row 2: found 14 fields where the header has 13" in crimes_error(path)


def test_truncated_last_line_is_refused(tmp_path):
    path = write_crimes(tmp_path, crime("CR1"), crime("CR2"))
    path.write_bytes(path.read_bytes() + b"CR3,2024-04-0")
    message = crimes_error(path)
    assert message.startswith(where(path, 4, "offence_group"))
    assert "found 2 fields where the header has 13; the row may be cut short." in message


def test_unclosed_quote_is_refused(tmp_path):
    path = write_crimes(tmp_path, crime("CR1"), crime("CR2", ward='"Abbey'), crime("CR3"))
    assert crimes_error(path) == (
        f"{where(path, 3)}a double quote opened on this row is never closed; remove it or close it."
    )


def test_quote_in_the_middle_of_a_quoted_value_is_refused(tmp_path):
    path = write_crimes(tmp_path, crime("CR1"), crime("CR2", ward='"Abbey" North'))
    message = crimes_error(path)
    assert message.startswith(where(path, 3))
    assert "a double quote is out of place" in message


def test_quoted_values_and_doubled_quotes_are_read(tmp_path):
    path = write_crimes(tmp_path, crime("CR1", ward='"Abbey, ""North"""'))
    assert values(source.read_force_crimes(path)["ward"]) == ['Abbey, "North"']


def test_file_that_is_neither_utf8_nor_windows_1252_is_refused(tmp_path):
    path = write_crimes(tmp_path, crime("CR1"))
    path.write_bytes(path.read_bytes() + b"CR2\x81\n")
    message = crimes_error(path)
    assert message.startswith(where(path, 3))
    assert "is neither UTF-8 nor Windows-1252 text" in message


def test_empty_crime_ref_is_refused(tmp_path):
    path = write_crimes(tmp_path, crime("CR1"), crime(" "))
    message = crimes_error(path)
    assert message.startswith(where(path, 3, "crime_ref"))
    assert "crime_ref is empty" in message


def test_repeated_crime_ref_names_both_rows(tmp_path):
    path = write_crimes(tmp_path, crime("CR1"), crime("CR2"), crime("CR3"), crime("CR2 "))
    message = crimes_error(path)
    assert message.startswith(where(path, 5, "crime_ref"))
    assert "crime_ref 'CR2' appears on rows 3 and 5" in message


@pytest.mark.parametrize(
    ("column", "text", "problem"),
    [
        ("recorded_date", "", "recorded_date is empty; expected a date written as YYYY-MM-DD."),
        ("recorded_date", "03/04/2024", "'03/04/2024' is not written as YYYY-MM-DD"),
        ("recorded_date", "2024-4-3", "'2024-4-3' is not written as YYYY-MM-DD"),
        ("recorded_date", "2023-13-01", "'2023-13-01' is not a real date (there is no month 13)"),
        (
            "recorded_date",
            "2023-02-30",
            "'2023-02-30' is not a real date (February 2023 has no day 30)",
        ),
        (
            "outcome_date",
            "2024-04-31",
            "'2024-04-31' is not a real date (April 2024 has no day 31)",
        ),
    ],
)
def test_date_that_is_not_a_real_iso_date_is_refused(tmp_path, column, text, problem):
    changes = {column: text} | ({"outcome_type": "1"} if column == "outcome_date" else {})
    path = write_crimes(tmp_path, crime("CR1"), crime("CR2", **changes))
    message = crimes_error(path)
    assert message.startswith(where(path, 3, column))
    assert problem in message


@pytest.mark.parametrize(
    ("column", "text"),
    [
        ("recorded_date", "0099-01-05"),
        ("recorded_date", "1949-12-31"),
        ("outcome_date", "0024-05-01"),
    ],
)
def test_date_before_1950_is_refused(tmp_path, column, text):
    changes = {column: text} | ({"outcome_type": "1"} if column == "outcome_date" else {})
    path = write_crimes(tmp_path, crime("CR1"), crime("CR2", **changes))
    assert crimes_error(path) == (
        f"{where(path, 3, column)}{column} '{text}' is before 1950-01-01; "
        f"expected a date from 1950-01-01 to today ({TODAY}), so check the year."
    )


@pytest.mark.parametrize("column", ["recorded_date", "outcome_date"])
def test_date_after_today_is_refused(tmp_path, column):
    changes = {column: TOMORROW} | ({"outcome_type": "1"} if column == "outcome_date" else {})
    path = write_crimes(tmp_path, crime("CR1", **changes))
    assert crimes_error(path) == (
        f"{where(path, 2, column)}{column} '{TOMORROW}' is after today; expected a date from "
        f"1950-01-01 to today ({TODAY}), as an extract cannot hold future dates."
    )


def test_dates_from_1950_to_today_are_accepted(tmp_path):
    path = write_crimes(
        tmp_path,
        crime("CR1", recorded_date="1950-01-01", outcome_type="1", outcome_date="1950-01-01"),
        crime("CR2", recorded_date=TODAY, outcome_type="1", outcome_date=TODAY),
    )
    records = source.read_force_crimes(path)
    assert values(records["recorded_date"]) == [pd.Timestamp("1950-01-01"), pd.Timestamp(TODAY)]
    assert values(records["outcome_date"]) == [pd.Timestamp("1950-01-01"), pd.Timestamp(TODAY)]


def test_leap_day_is_a_real_date(tmp_path):
    path = write_crimes(tmp_path, crime("CR1", recorded_date="2024-02-29"))
    assert values(source.read_force_crimes(path)["recorded_date"]) == [pd.Timestamp("2024-02-29")]


@pytest.mark.parametrize(
    "column", ["domestic_abuse", "hate_crime", "racially_religiously_aggravated"]
)
@pytest.mark.parametrize(("text", "found"), [("Yes", "is 'Yes'"), ("", "is empty")])
def test_flag_other_than_y_or_n_is_refused(tmp_path, column, text, found):
    path = write_crimes(tmp_path, crime("CR1"), crime("CR2", **{column: text}))
    assert crimes_error(path) == f"{where(path, 3, column)}{column} {found}; expected Y or N."


def test_unknown_risk_level_is_refused(tmp_path):
    path = write_crimes(tmp_path, crime("CR1", domestic_abuse="Y", da_risk="Hi"))
    message = crimes_error(path)
    assert message.startswith(where(path, 2, "da_risk"))
    assert "da_risk 'Hi' is not a risk level; expected High, Medium or Standard" in message


def test_risk_level_on_a_crime_that_is_not_domestic_abuse_is_refused(tmp_path):
    lines = [crime("CR1", domestic_abuse="Y", da_risk="High"), crime("CR2", da_risk="medium")]
    path = write_crimes(tmp_path, *lines)
    message = crimes_error(path)
    assert message.startswith(where(path, 3, "da_risk"))
    assert "da_risk is 'Medium' but domestic_abuse is N" in message


def test_unknown_outcome_type_is_refused(tmp_path):
    path = write_crimes(tmp_path, crime("CR1", outcome_type="23", outcome_date="2024-04-09"))
    message = crimes_error(path)
    assert message.startswith(where(path, 2, "outcome_type"))
    assert "outcome_type '23' is not a Home Office outcome type; expected 1, 1A, 2," in message
    assert "21 or 22, or empty for no outcome yet." in message


def test_outcome_type_without_a_date_is_refused(tmp_path):
    path = write_crimes(tmp_path, crime("CR1", outcome_type="8"))
    message = crimes_error(path)
    assert message.startswith(where(path, 2, "outcome_date"))
    assert "outcome_type is '8' but outcome_date is empty" in message


def test_outcome_date_without_a_type_is_refused(tmp_path):
    path = write_crimes(tmp_path, crime("CR1"), crime("CR2", outcome_date="2024-05-01"))
    message = crimes_error(path)
    assert message.startswith(where(path, 3, "outcome_type"))
    assert "outcome_date is 2024-05-01 but outcome_type is empty" in message


def test_outcome_before_the_crime_was_recorded_is_refused(tmp_path):
    early = crime("CR2", recorded_date="2024-04-05", outcome_type="1", outcome_date="2024-04-04")
    path = write_crimes(tmp_path, crime("CR1"), early)
    message = crimes_error(path)
    assert message.startswith(where(path, 3, "outcome_date"))
    assert "outcome_date 2024-04-04 is before recorded_date 2024-04-05" in message


def test_unknown_offence_group_names_its_rows_and_the_nearest_group(tmp_path):
    typo = {"offence_group": "Theft Ofences"}
    path = write_crimes(
        tmp_path, crime("CR1"), crime("CR2", **typo), crime("CR3"), crime("CR4", **typo)
    )
    assert crimes_error(path) == (
        f"{where(path, 3, 'offence_group')}unknown offence group 'Theft Ofences' on rows 3 and 5; "
        "the nearest Home Office group is 'Theft Offences'."
    )


def test_unknown_offence_group_on_many_rows_lists_the_first_five(tmp_path):
    lines = [crime(f"CR{n}", offence_group="Drug Ofences") for n in range(1, 9)]
    path = write_crimes(tmp_path, *lines)
    message = crimes_error(path)
    assert "unknown offence group 'Drug Ofences' on rows 2, 3, 4, 5, 6 and 3 more;" in message
    assert "the nearest Home Office group is 'Drug Offences'." in message


@pytest.mark.parametrize("text", ["Bogus", "Drugs"])
def test_unknown_offence_group_like_no_group_lists_the_groups(tmp_path, text):
    path = write_crimes(tmp_path, crime("CR1", offence_group=text))
    assert crimes_error(path) == (
        f"{where(path, 2, 'offence_group')}unknown offence group '{text}' on row 2; "
        f"expected a Home Office offence group: {GROUPS}."
    )


def test_empty_offence_group_lists_the_groups(tmp_path):
    path = write_crimes(tmp_path, crime("CR1", offence_group=""))
    message = crimes_error(path)
    assert message.startswith(where(path, 2, "offence_group"))
    assert "offence_group is empty on row 2; expected a Home Office offence group:" in message
    assert "Theft Offences" in message


def test_unknown_offence_subgroup_names_the_nearest_subgroup(tmp_path):
    path = write_crimes(tmp_path, crime("CR1", offence_subgroup="Shop lifting"))
    assert crimes_error(path) == (
        f"{where(path, 2, 'offence_subgroup')}unknown offence subgroup 'Shop lifting' on row 2; "
        "the nearest Home Office subgroup is 'Shoplifting'."
    )


def test_unknown_offence_subgroup_like_no_subgroup_lists_those_of_its_group(tmp_path):
    path = write_crimes(tmp_path, crime("CR1"), crime("CR2", offence_subgroup="Bogus"))
    assert crimes_error(path) == (
        f"{where(path, 3, 'offence_subgroup')}unknown offence subgroup 'Bogus' on row 3; "
        f"expected a subgroup of 'Theft Offences': {THEFT_SUBGROUPS}."
    )


def test_unknown_offence_subgroup_of_an_unknown_group_says_where_the_list_is(tmp_path):
    path = tmp_path / "crimes.csv"
    frame = pd.DataFrame({"offence_group": ["Bogus"], "offence_subgroup": ["Bogus"]}, index=[2])
    with pytest.raises(InputFileError) as caught:
        source._offence_subgroups(path, frame)
    assert str(caught.value) == (
        f"{where(path, 2, 'offence_subgroup')}unknown offence subgroup 'Bogus' on row 2; "
        "expected a Home Office offence subgroup "
        "(they are listed in pipeline/data/home_office.yaml)."
    )


def test_subgroup_of_another_group_names_the_group_it_belongs_to(tmp_path):
    path = write_crimes(tmp_path, crime("CR1"), crime("CR2", offence_group="robbery"))
    message = crimes_error(path)
    assert message.startswith(where(path, 3, "offence_subgroup"))
    assert (
        "offence subgroup 'Shoplifting' on row 3 belongs to the group 'Theft Offences', "
        "not 'Robbery'"
    ) in message


def test_reads_an_asb_file_into_canonical_typed_columns(tmp_path):
    lines = [ASB_HEADER, "A1, 2024-04-05 ,Rowdy behaviour, Street ,B1,Abbey,E01000001", asb("A2")]
    path = write(tmp_path, lines, name="asb.csv")
    records = source.read_force_asb(path)
    assert kinds(records) == {
        "incident_ref": "string",
        "date": "datetime",
        "asb_category": "string",
        "location_type": "string",
        "beat": "string",
        "ward": "string",
        "lsoa_code": "string",
        "source_file": "string",
        "source_row": "int32",
    }
    assert values(records["incident_ref"]) == ["A1", "A2"]
    assert values(records["date"]) == [pd.Timestamp("2024-04-05")] * 2
    assert values(records["location_type"]) == ["Street", "Street"]
    assert values(records["source_file"]) == ["asb.csv", "asb.csv"]
    assert values(records["source_row"]) == [2, 3]


def test_repeated_incident_ref_names_both_rows(tmp_path):
    path = write_asb(tmp_path, asb("A1"), asb("A2"), asb(" A1"))
    message = asb_error(path)
    assert message.startswith(where(path, 4, "incident_ref"))
    assert "incident_ref 'A1' appears on rows 2 and 4" in message


def test_empty_incident_ref_is_refused(tmp_path):
    path = write_asb(tmp_path, asb(""))
    assert asb_error(path).startswith(f"{where(path, 2, 'incident_ref')}incident_ref is empty")


def test_asb_date_that_is_not_real_is_refused(tmp_path):
    path = write_asb(tmp_path, asb("A1"), asb("A2", date="2023-02-29"))
    message = asb_error(path)
    assert message.startswith(where(path, 3, "date"))
    assert "date '2023-02-29' is not a real date (February 2023 has no day 29)" in message


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("0099-01-05", f"is before 1950-01-01; expected a date from 1950-01-01 to today ({TODAY})"),
        (TOMORROW, "is after today; expected a date from 1950-01-01 to today"),
    ],
)
def test_asb_date_outside_1950_to_today_is_refused(tmp_path, text, problem):
    path = write_asb(tmp_path, asb("A1"), asb("A2", date=text))
    message = asb_error(path)
    assert message.startswith(f"{where(path, 3, 'date')}date '{text}' {problem}")


def test_asb_file_missing_a_column_is_refused(tmp_path):
    lines = ["incident_ref,date,beat,ward,lsoa_code", "A1,2024-04-05,B1,Abbey,E01000001"]
    path = write(tmp_path, lines, name="asb.csv")
    message = asb_error(path)
    assert message.startswith(where(path, 1, "asb_category"))
    assert "columns 'asb_category' and 'location_type' are missing" in message
    assert f"expected the header {ASB_HEADER} but found" in message


def test_asb_header_without_rows_is_refused(tmp_path):
    path = write_asb(tmp_path)
    assert asb_error(path) == (
        f"{where(path, 2)}the file has a header but no rows; expected one row per ASB incident."
    )


def test_asb_row_cut_short_is_refused(tmp_path):
    path = write_asb(tmp_path, asb("A1"), "A2,2024-04-05,Rowdy behaviour")
    message = asb_error(path)
    assert message.startswith(where(path, 3, "location_type"))
    assert "found 3 fields where the header has 7" in message


def test_summary_records_size_hash_rows_and_date_range(tmp_path):
    path = write_crimes(
        tmp_path,
        crime("CR1", recorded_date="2024-05-02"),
        crime("CR2", recorded_date="2024-04-01"),
        crime("CR3", recorded_date="2024-06-30"),
    )
    summary = source.summarise_extract(path, "crimes", source.read_force_crimes(path))
    assert summary == source.ExtractSummary(
        path=str(path),
        kind="crimes",
        size_bytes=len(path.read_bytes()),
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        rows=3,
        first_date="2024-04-01",
        last_date="2024-06-30",
    )


def test_summary_of_an_asb_file_uses_its_date_column(tmp_path):
    path = write_asb(tmp_path, asb("A1", "2024-07-09"), asb("A2", "2024-07-01"))
    summary = source.summarise_extract(path, "asb", source.read_force_asb(path))
    assert (summary.kind, summary.rows) == ("asb", 2)
    assert (summary.first_date, summary.last_date) == ("2024-07-01", "2024-07-09")


def test_summary_refuses_an_unknown_kind(tmp_path):
    path = write_crimes(tmp_path, crime("CR1"))
    with pytest.raises(ValueError, match="crimes, asb"):
        source.summarise_extract(path, "street", source.read_force_crimes(path))


def test_months_recorded_are_the_months_with_at_least_one_row():
    frame = pd.DataFrame({"date": pd.to_datetime(["2024-04-30", "2024-04-01", "2024-06-15", None])})
    assert source.months_recorded(frame, "date") == {
        pd.Period("2024-04", freq="M"),
        pd.Period("2024-06", freq="M"),
    }
