"""Messy police.uk folders: repeated, foreign, short and accepted months, names, like for like.

Every expected figure is worked out by hand from the few rows each test writes.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from pipeline.analysis import analyse, report_tables
from pipeline.config import load_config
from pipeline.errors import ConfigError, InputFileError, MissingMonthsError, SelectionError
from pipeline.ingest import (
    force_street_files,
    ingest_quarter,
    load_processed,
    short_months,
    summary_record,
    write_processed,
)
from pipeline.periods import parse_financial_year
from pipeline.report import build_report
from pipeline.tables import write_csv
from tests.conftest import ASB, FORCE, street_row, write_config, write_street_file

YEAR = parse_financial_year("2025-26")  # Q2: July to September 2025; 24 months from 2023-10


def months_from(first: str = "2023-10", last: str = "2025-09") -> list[str]:
    """Every month from first to last, as YYYY-MM."""
    return [str(month) for month in pd.period_range(first, last, freq="M")]


def month_rows(month: str, crimes: int = 3, asb: int = 1, lsoa: str = "Testville 001A") -> list:
    """crimes burglaries and asb ASB incidents in one LSOA in the month."""
    rows = [
        street_row("Burglary", month, lsoa_name=lsoa, crime_id=f"b-{month}-{n}")
        for n in range(crimes)
    ]
    return rows + [street_row(ASB, month, lsoa_name=lsoa) for _ in range(asb)]


def write_force(folder, months, rows_for=month_rows, force="testshire"):
    """One street file a month."""
    for month in months:
        write_street_file(folder, month, rows_for(month), force=force)


def other_force_rows(month: str) -> list[dict[str, str]]:
    """Two rows another force published."""
    rows = month_rows(month, crimes=1, asb=1, lsoa="Otherton 001A")
    return [
        row | {"Reported by": "Othershire Police", "Falls within": "Othershire Police"}
        for row in rows
    ]


def ingest(tmp_path, folder, extra: str = "", **keys):
    """Ingest 2025-26 Q2 with the small Testville config."""
    config = load_config(write_config(tmp_path, folder, extra, **keys))
    return config, ingest_quarter(config, YEAR, 2)


# --- one file per force and month ------------------------------------------------------------


def test_an_identical_second_download_is_read_once_with_a_note(tmp_path):
    folder = tmp_path / "raw"
    write_force(folder, months_from())
    shutil.copytree(folder, folder / "second-download")
    config, result = ingest(tmp_path, folder)
    assert len(result.files) == 24
    # 24 months x (3 burglaries + 1 ASB), each counted once.
    assert len(result.records) == 96
    repeated = [note for note in result.warnings if "identical bytes" in note]
    assert len(repeated) == 24
    assert "second-download/2025-09-testshire-street.csv: the same file as" in repeated[-1]


def test_a_different_second_file_for_a_month_stops_naming_both_and_their_rows(tmp_path):
    folder = tmp_path / "raw"
    write_force(folder, months_from())
    write_street_file(folder / "nested", "2025-08", month_rows("2025-08", crimes=1, asb=0))
    config = load_config(write_config(tmp_path, folder))
    with pytest.raises(InputFileError) as caught:
        force_street_files(config)
    message = str(caught.value)
    assert message.startswith(f"{folder / '2025-08-testshire-street.csv'}: August 2025 is also")
    assert str(folder / "nested" / "2025-08-testshire-street.csv") in message
    assert "(4 rows here, 1 there)" in message


def test_another_forces_file_is_left_out_and_cannot_hide_a_missing_month(tmp_path):
    folder = tmp_path / "raw"
    write_force(folder, [month for month in months_from() if month != "2025-08"])
    write_street_file(folder, "2025-08", other_force_rows("2025-08"), force="othershire")
    config = load_config(write_config(tmp_path, folder))
    chosen = force_street_files(config)
    assert len(chosen.files) == 23
    assert chosen.notes == [
        f"{folder}: left out 1 file of other forces: 2025-08-othershire-street.csv "
        f"(Othershire Police); only {FORCE}'s files are read."
    ]
    with pytest.raises(MissingMonthsError, match="2025-08"):
        ingest_quarter(config, YEAR, 2)


def test_a_shorter_force_name_is_accepted_and_the_full_name_used(tmp_path):
    folder = tmp_path / "raw"
    write_force(folder, months_from())
    path = write_config(tmp_path, folder)
    path.write_text(path.read_text().replace(f"force: {FORCE}", "force: testshire"))
    config = load_config(path)
    result = ingest_quarter(config, YEAR, 2)
    assert result.force == FORCE
    assert summary_record(result, config, YEAR, 2).force == FORCE


def test_a_force_matching_no_file_stops_with_the_forces_found(tmp_path):
    folder = tmp_path / "raw"
    write_force(folder, months_from())
    write_street_file(folder, "2025-08", other_force_rows("2025-08"), force="othershire")
    path = write_config(tmp_path, folder)
    path.write_text(path.read_text().replace(f"force: {FORCE}", "force: Wealdmoor Constabulary"))
    with pytest.raises(ConfigError) as caught:
        force_street_files(load_config(path))
    assert caught.value.line == 2
    assert "matches none of the forces" in str(caught.value)
    assert f"'Othershire Police' and '{FORCE}'" in str(caught.value)


def test_rows_another_force_reported_are_kept_apart(tmp_path):
    folder = tmp_path / "raw"

    def rows(month):
        foreign = street_row("Robbery", month, crime_id=f"r-{month}") | {"Reported by": "BTP"}
        return [*month_rows(month), foreign]

    write_force(folder, months_from(), rows)
    config, result = ingest(tmp_path, folder)
    assert len(result.records) == 96  # the robberies are not the district's
    assert result.rows_other_forces == 24
    assert result.rows_other_districts == 0


# --- short months ------------------------------------------------------------------------------


def test_short_months_compare_each_month_with_the_median_of_the_others():
    months = pd.period_range("2025-01", "2025-05", freq="M")
    # Medians of the others: Jan (10, 10, 10, 4) -> 10; Mar (10, 10, 10, 10) -> 10, 4 < 5.
    counts = dict(zip(months, [10, 10, 10, 10, 4], strict=True))
    assert short_months(counts, 0.5) == {months[4]: 10.0}
    counts[months[4]] = 5  # 5 is not under half of 10
    assert short_months(counts, 0.5) == {}
    assert short_months(counts, 0.6) == {months[4]: 10.0}


def test_a_short_police_uk_month_stops_naming_the_file_rows_and_median(tmp_path):
    folder = tmp_path / "raw"
    write_force(
        folder,
        months_from(),
        lambda month: month_rows(month, crimes=1 if month == "2025-08" else 4),
    )
    with pytest.raises(InputFileError) as caught:
        ingest(tmp_path, folder)
    message = str(caught.value)
    assert message.startswith(str(folder / "2025-08-testshire-street.csv"))
    assert "1 crime row, under half the median of the other months read (4)" in message
    assert "accept_short_months" in message


def test_a_month_with_no_asb_is_short_for_the_asb_figures_only(tmp_path):
    folder = tmp_path / "raw"
    write_force(
        folder, months_from(), lambda month: month_rows(month, asb=0 if month == "2025-08" else 2)
    )
    with pytest.raises(InputFileError, match="0 anti-social behaviour rows, under half"):
        ingest(tmp_path, folder)
    config, result = ingest(tmp_path, folder, "accept_short_months: [2025-08]\n")
    assert result.unavailable == {"police_uk_crimes": [], "police_uk_asb": ["2025-08"]}


# --- like for like -----------------------------------------------------------------------------


def analysed(tmp_path, folder, extra=""):
    """Ingest, write and analyse 2025-26 Q2."""
    config, result = ingest(tmp_path, folder, extra)
    processed = tmp_path / "processed-q2"
    write_processed(result, processed, config, YEAR, 2)
    return config, load_processed(processed), analyse(load_processed(processed), YEAR, 2, ())


def test_accepted_missing_months_are_left_out_of_both_years(tmp_path):
    folder = tmp_path / "raw"
    # Burglaries: 2 a month before 2024-10, 3 a month from then. ASB: 1 a month.
    # November 2024 is missing and accepted.
    months = [month for month in months_from() if month != "2024-11"]
    write_force(
        folder, months, lambda month: month_rows(month, crimes=3 if month >= "2024-10" else 2)
    )
    config, processed, analysis = analysed(tmp_path, folder, "accept_missing_months: [2024-11]\n")
    rolling = analysis.performance["rolling_12_months"].set_index("crime_type")
    # Rolling 12 months: October 2024 to September 2025 against October 2023 to September 2024,
    # November left out of both: 11 months. Current 11 x 3 = 33; previous: Oct 2023 to Sep 2024
    # less Nov 2023 = 11 months, of which Oct 2023-Sep 2024 are all 2 a month = 22.
    assert rolling.loc["All crime", "offences_previous"] == 22
    assert rolling.loc["All crime", "offences_current"] == 33
    assert rolling.loc["Anti-social behaviour", "offences_previous"] == 11
    assert rolling.loc["Anti-social behaviour", "offences_current"] == 11
    # The quarter (July to September) holds no accepted month: 3 months, 6 against 9.
    quarter = analysis.performance["quarter"].set_index("crime_type")
    assert (
        quarter.loc["All crime", "offences_previous"],
        quarter.loc["All crime", "offences_current"],
    ) == (6, 9)
    coverage = analysis.coverage.set_index(["period", "source"])
    assert coverage.loc[("rolling_12_months", "police_uk_crimes"), "months_compared"] == 11
    assert coverage.loc[("rolling_12_months", "police_uk_crimes"), "months_left_out"] == (
        "2023-11;2024-11"
    )
    assert coverage.loc[("quarter", "police_uk_asb"), "months_left_out"] == ""
    # The monthly table shows November 2024 as a gap, never a zero.
    monthly = analysis.monthly_crime.set_index(analysis.monthly_crime["month"].astype(str))
    assert pd.isna(monthly.loc["2024-11", "count"])
    assert monthly.loc["2023-11", "count"] == 2


@pytest.fixture(scope="module")
def without_november(tmp_path_factory):
    """2025-26 Q2 analysed from a download without November 2024, accepted as missing."""
    root = tmp_path_factory.mktemp("without-november")
    write_force(root / "raw", [month for month in months_from() if month != "2024-11"])
    return analysed(root, root / "raw", "accept_missing_months: [2024-11]\n")


def test_every_sentence_on_a_shortened_period_says_which_months_it_compares(without_november):
    config, processed, analysis = without_november
    report = build_report(config, analysis, processed.summary)
    text = " ".join(section.html for section in report.sections)
    note = "11 months compared: November left out of both years"
    assert f"in October 2024 to September 2025 ({note}), compared with" in text
    assert "Table 3: rolling 12 months, October 2024 to September 2025 (" + note in text
    assert "the 12 months to September 2025 (" + note in text  # the trend chart's title
    assert "left out of both years of every period that holds it" in text
    assert "over the 23 months read (October 2023 to September 2025, without November 2024)" in text


def test_period_coverage_csv_has_the_contract_columns(without_november, tmp_path):
    config, processed, analysis = without_november
    coverage = next(t for t in report_tables(analysis) if t.name == "period_coverage")
    lines = write_csv(coverage.frame, tmp_path / "period_coverage.csv").read_text().splitlines()
    assert lines[0] == "period,source,months_compared,months_left_out"
    assert lines[1] == "quarter,police_uk_crimes,3,"
    assert lines[5] == "rolling_12_months,police_uk_crimes,11,2023-11;2024-11"


# --- choosing the district ---------------------------------------------------------------------


def test_a_prefix_takes_its_own_authority_never_a_longer_name(tmp_path):
    folder = tmp_path / "raw"

    def rows(month):
        return month_rows(month, lsoa="Wyre 001A") + month_rows(month, lsoa="Wyre Forest 001A")

    write_force(folder, months_from(), rows)
    config, result = ingest(tmp_path, folder, prefix="Wyre")
    assert set(result.records["lsoa_name"]) == {"Wyre 001A"}
    assert result.rows_other_districts == 96


def test_a_list_of_authorities_selects_all_of_them(tmp_path):
    folder = tmp_path / "raw"

    def rows(month):
        return [
            *month_rows(month, lsoa="Broxtowe 001A"),
            *month_rows(month, lsoa="Gedling 002B"),
            *month_rows(month, lsoa="Rushcliffe 003C"),
        ]

    write_force(folder, months_from(), rows)
    path = write_config(tmp_path, folder)
    path.write_text(
        path.read_text().replace(
            "lsoa_name_prefix: Testville", "lsoa_name_prefix: [Broxtowe, Gedling]"
        )
    )
    config = load_config(path)
    result = ingest_quarter(config, YEAR, 2)
    assert set(result.records["lsoa_name"]) == {"Broxtowe 001A", "Gedling 002B"}
    assert "'Broxtowe' or 'Gedling'" in config.selection


def test_border_rows_of_another_force_stop_but_a_tiny_real_district_does_not(tmp_path):
    folder = tmp_path / "raw"

    def rows(month):
        # The force's own districts, and one stray row a month in each of three LSOAs over the
        # border: 3 rows from 3 LSOAs a month, 1 a month each, under the 2 a real LSOA has.
        own = month_rows(month, crimes=20, lsoa="Bigtown 001A")
        border = [street_row(ASB, month, lsoa_name=f"Neighbour 00{n}A") for n in range(1, 4)]
        # A small island district: one LSOA with 2 records a month (1 burglary, 1 ASB).
        island = month_rows(month, crimes=1, asb=1, lsoa="Isle 001A")
        return own + border + island

    write_force(folder, months_from(), rows)
    with pytest.raises(SelectionError) as caught:
        ingest(tmp_path, folder, prefix="Neighbour")
    message = str(caught.value)
    assert "take only 72 records from 3 LSOAs over 24 months read" in message
    assert "about 1.0 a month for each LSOA" in message
    assert "Bigtown" in message
    config, result = ingest(tmp_path, folder, prefix="Isle")
    assert len(result.records) == 48


# --- damaged fields ----------------------------------------------------------------------------


def test_a_nul_byte_in_a_field_stops_with_file_row_and_column(tmp_path):
    folder = tmp_path / "raw"
    write_force(folder, months_from())
    path = folder / "2025-08-testshire-street.csv"
    lines = path.read_text().splitlines()
    lines[3] = lines[3].replace("Testville 001A", "Testville\x00 001A")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputFileError) as caught:
        ingest(tmp_path, folder)
    assert caught.value.row == 4
    assert caught.value.column == "LSOA name"
    assert "U+0000" in str(caught.value)


# --- empty is a fact ---------------------------------------------------------------------------


def test_a_district_with_no_asb_gives_empty_tables_and_says_so(tmp_path):
    folder = tmp_path / "raw"

    def rows(month):
        # The district has burglaries only; the force's ASB is elsewhere.
        return month_rows(month, asb=0) + month_rows(month, crimes=0, asb=5, lsoa="Other 001A")

    write_force(folder, months_from(), rows)
    config, processed, analysis = analysed(tmp_path, folder)
    assert analysis.top_asb_areas.empty
    assert analysis.monthly_asb["count"].sum() == 0
    written = write_tables_for(analysis, tmp_path)
    assert (written / "top_asb_areas.csv").read_text() == "area,previous,current,change\n"
    report = build_report(config, analysis, processed.summary)
    text = " ".join(section.html for section in report.sections)
    assert "Anti-social behaviour was unchanged at 0 incidents in July to September 2025" in text


def write_tables_for(analysis, root):
    """Write the quarter's tables and return their folder."""
    from pipeline.analysis import write_tables

    write_tables(analysis, root / "out")
    return root / "out" / "tables"


# --- the year chosen ---------------------------------------------------------------------------


def test_the_year_chosen_is_said_with_why_and_how_far_behind_the_newest_data(tmp_path):
    from pipeline.ingest import choose_financial_year

    folder = tmp_path / "raw"
    # Two downloads with a gap: April 2019 to March 2021, then January 2023 to June 2024. Only
    # 2020-21 has all 24 months its quarter 4 needs (April 2019 to March 2021); the newest data,
    # June 2024, is 39 months later: 3 whole years.
    write_force(folder, months_from("2019-04", "2021-03") + months_from("2023-01", "2024-06"))
    config = load_config(write_config(tmp_path, folder))
    year, reason = choose_financial_year(config, 4, None)
    assert year.name == "2020-21"
    assert reason == (
        "Testville, quarter 4 of 2020-21 (January to March 2021): the latest financial year "
        "whose quarter 4 the inputs cover with all 24 months its comparisons need (they hold "
        "April 2019 to June 2024); the newest data is 3 years later, so check this is the year "
        "you want. FY=YYYY-YY chooses a year."
    )
    year, reason = choose_financial_year(config, 4, "2020-21")
    assert reason == "Testville, quarter 4 of 2020-21 (January to March 2021): FY=2020-21 as asked."
