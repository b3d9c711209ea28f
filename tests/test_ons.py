"""The ONS police force area data tables: a small workbook in the published layout, with its
quirks, and the real one (year ending December 2024) when ../shared is beside the project."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.errors import InputFileError
from pipeline.paths import PROJECT_ROOT
from pipeline.sources.ons import read_ons_tables

REAL = (
    PROJECT_ROOT.parent / "shared" / "realdata" / "ons" / "policeforceareatablesyedecember2024.xlsx"
)
AREA = [
    "Police Force\nArea code",
    "Police Force\nArea name",
    "Community Safety\nPartnership code",
    "Community Safety\nPartnership name",
    "Local Authority code",
    "Local Authority name",
]
GROUPS = ["Total recorded crime\n (excluding fraud)", "Residential burglary"]
NORTH = ("E23000099", "Testshire ", None, None, None, None)
NORTHBY = ("E23000099", "Testshire", "E22000901", "Northby [note 4] ", "E07000901", "Northby ")
SOUTHTON = ("E23000099", "Testshire", "E22000902", "Southton", "E07000902", "Southton")
UNASSIGNED = ("E23000099", "Testshire", None, "Unassigned Testshire", None, None)
AIRPORT = ("E23000099", "Testshire", None, "Testshire Airport", None, None)


def counts_sheet(book, name: str, year: str, rows: list[tuple]) -> None:
    """A counts table: title, notes, then (on row 6 here, not 8) the header and the rows."""
    sheet = book.create_sheet(name)
    sheet.append([f"Table: Number of police recorded crimes, year ending {year} [note 1]"])
    sheet.append(["Police recorded crime statistics are published as official statistics"])
    sheet.append(["Some shorthand is used in this table.  [x] indicates data are unavailable."])
    sheet.append(["Link to Notes page"])
    sheet.append(["Source: Home Office - Police recorded crime"])
    sheet.append(AREA + GROUPS)
    for row in rows:
        sheet.append(list(row))


def write_workbook(
    path: Path, c2: list[tuple] | None = None, c4_header: list | None = None
) -> Path:
    """C2, C5 and C4 for a force of two partnerships, in the published layout."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    book.create_sheet("Cover_sheet")
    notes = book.create_sheet("Notes - CSP")
    notes.append(["Notes"])
    notes.append(["Note number", "Note text"])
    notes.append([1, "Caution must be taken when interpreting small numbers of offences."])
    notes.append([4, "There is an undercount for Northby's burglary  figures in March 2025. "])
    counts_sheet(
        book,
        "Table C2 ",
        "March 2025",
        c2
        or [
            NORTH + (1200, 30),
            NORTHBY + (700, 18),
            UNASSIGNED + (5, 0),
            AIRPORT + (2, 0),
            SOUTHTON + (495, 12),
        ],
    )
    counts_sheet(
        book,
        "Table C5",
        "March 2024",
        [NORTH + (1100, 29), NORTHBY + (650, 20), UNASSIGNED + (3, 1), SOUTHTON + (447, 8)],
    )
    rates = book.create_sheet("Table C4")
    rates.append(["Table C4: Recorded crime rate per 1,000 population, year ending March 2025"])
    rates.append(["Link to Notes page"])
    rates.append(
        c4_header
        or AREA
        + [
            "Population figures\n (mid-2023) \n- rounded to 100",
            "Household figures\n (mid-2021)\n - rounded to 100",
            "Total recorded crime\n (excluding fraud)",
            "Residential burglary (per 1,000 population)",
            "Residential burglary (per 1,000 household)",
        ]
    )
    rates.append(list(NORTH) + [250000, 110000, 4.8, 0.12, 0.27])
    rates.append(list(NORTHBY) + [140000, 60000, 5.0, "[u]", 0.3])
    rates.append(list(UNASSIGNED) + ["[x]", "[X]", "[x]", "[x]", "[x]"])
    rates.append(list(SOUTHTON) + [110000, 50000, 4.5, 0.109, 0.24])
    book.save(path)
    return path


def test_the_partnerships_are_read_tidy_with_the_layout_s_quirks(tmp_path):
    tables = read_ons_tables(write_workbook(tmp_path / "ons.xlsx"))
    assert (tables.period, tables.previous_period) == ("March 2025", "March 2024")
    assert tables.population_vintage == "mid-2023"
    rows = tables.partnerships.set_index(["csp", "offence_group"])
    # the force's own subtotal row is not a partnership; names lose their notes and spaces
    assert sorted(set(tables.partnerships["csp"])) == ["Northby", "Southton"]
    assert set(tables.partnerships["force"]) == {"Testshire"}
    total = rows.loc[("Northby", "Total recorded crime (excluding fraud)")]
    assert (total["offences"], total["offences_previous"]) == (700, 650)
    assert (total["rate"], total["population"]) == (5.0, 140000)
    burglary = rows.loc[("Southton", "Residential burglary")]
    assert (burglary["offences"], burglary["offences_previous"], burglary["rate"]) == (12, 8, 0.109)
    assert pd.isna(rows.loc[("Northby", "Residential burglary"), "rate"])  # [u]: no figure
    unassigned = tables.unassigned.set_index(["csp", "offence_group"])
    assert (
        unassigned.loc[("Unassigned Testshire", "Total recorded crime (excluding fraud)")][
            "offences"
        ]
        == 5
    )
    burglary = unassigned.loc[("Unassigned Testshire", "Residential burglary")]
    assert burglary["offences_previous"] == 1
    # an airport's row has a name but no partnership: its crimes are in no partnership too
    assert (
        unassigned.loc[("Testshire Airport", "Total recorded crime (excluding fraud)")]["offences"]
        == 2
    )
    # the notes sheet, spaces made single, and the note Northby's name carries
    assert tables.notes[4] == "There is an undercount for Northby's burglary figures in March 2025."
    assert tables.noted == {"E22000901": (4,)}


def test_a_workbook_without_the_tables_is_refused_naming_the_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Data"
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(InputFileError, match="has no sheet 'Table C2': is it the ONS police"):
        read_ons_tables(tmp_path / "other.xlsx")


def test_a_header_of_another_layout_is_refused(tmp_path):
    header = AREA[:3] + ["Area", "Population figures (mid-2023)", "Total"]
    with pytest.raises(InputFileError, match="'Table C4': the header .row 3. is not the ONS"):
        read_ons_tables(write_workbook(tmp_path / "ons.xlsx", c4_header=header))


def test_a_count_that_is_not_a_number_names_its_row_and_column(tmp_path):
    rows = [NORTH + (1200, 30), NORTHBY + ("about 700", 18), SOUTHTON + (495, 12)]
    with pytest.raises(InputFileError) as caught:
        read_ons_tables(write_workbook(tmp_path / "ons.xlsx", c2=rows))
    message = str(caught.value)
    assert "row 8, column 'G (Total recorded crime (excluding fraud))'" in message
    assert "'about 700' is not a number" in message


def test_a_fraction_of_a_crime_is_refused_not_rounded(tmp_path):
    rows = [NORTH + (1200, 30), NORTHBY + (700.5, 18), SOUTHTON + (495, 12)]
    with pytest.raises(InputFileError, match="Northby has 700.5 'Total recorded crime"):
        read_ons_tables(write_workbook(tmp_path / "ons.xlsx", c2=rows))


@pytest.mark.slow  # the real workbook, with the real downloads' tests: not in make test-fast
@pytest.mark.skipif(not REAL.exists(), reason=f"no real ONS workbook at {REAL}")
def test_the_real_workbook_gives_every_partnership_as_published():
    tables = read_ons_tables(REAL)
    assert (tables.period, tables.previous_period) == ("December 2024", "December 2023")
    assert tables.population_vintage == "mid-2022"
    frame = tables.partnerships
    assert frame["csp_code"].nunique() == 314 and frame["offence_group"].nunique() == 23
    rows = frame.set_index(["csp_code", "offence_group"])
    total, burglary = "Total recorded crime (excluding fraud)", "Residential burglary"
    # read cell by cell from C2, C5 and C4 with openpyxl alone (rows 10, 43 and the last)
    published = {
        "E22000001": (15657, 13027, 80.03864675029905, 195600, 439, 433, 2.2441697594290915),
        "E22000031": (6212, 6945, 64.3363885868158, 96600, 137, 150, 1.4188804308425251),
        "E22000350": (15264, 17113, 64.77210522072333, 235700, 296, 328, 1.2560628370894986),
    }
    for code, figures in published.items():
        offences, before, rate, people, homes, homes_before, homes_rate = figures
        row = rows.loc[(code, total)]
        assert (row["offences"], row["offences_previous"], row["population"]) == (
            offences,
            before,
            people,
        )
        assert row["rate"] == pytest.approx(rate, rel=1e-12)
        row = rows.loc[(code, burglary)]
        assert (row["offences"], row["offences_previous"]) == (homes, homes_before)
        assert row["rate"] == pytest.approx(homes_rate, rel=1e-12)  # per 1,000 population
    assert pd.isna(rows.loc[("E22000180", total), "rate"])  # City of London: [u1]
    unassigned = tables.unassigned.set_index(["force", "offence_group"])
    assert unassigned.loc[("Wiltshire", total), "offences"] == 238
    assert unassigned.loc[("Wiltshire", total), "offences_previous"] == 153
    # the undercount note Leicestershire's name carries, and City of London's in C4
    assert tables.noted == {"E23000021": (4,), "E23000034": (9,)}
    assert tables.notes[4].startswith("There is an undercount for Leicestershire’s burglary")
    assert ("Manchester Airport", 1684) in set(
        zip(
            tables.unassigned.loc[tables.unassigned["offence_group"] == total, "csp"],
            tables.unassigned.loc[tables.unassigned["offence_group"] == total, "offences"],
            strict=True,
        )
    )


def test_a_workbook_that_unpacks_far_beyond_an_edition_is_refused_before_it_is_read(tmp_path):
    import zipfile

    path = tmp_path / "ons.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/worksheets/sheet1.xml", b" " * 41_000_000)  # a few KB zipped
    with pytest.raises(InputFileError, match="its sheets unpack to 41.0 MB, over the 40 MB limit"):
        read_ons_tables(path)


def test_a_page_saved_as_xlsx_is_refused_as_no_workbook(tmp_path):
    path = tmp_path / "ons.xlsx"
    path.write_text("<!DOCTYPE html><html></html>", encoding="utf-8")
    with pytest.raises(InputFileError, match="cannot be read as an Excel workbook"):
        read_ons_tables(path)
