"""Ingest: district selection, missing months, no-location rows, written tables."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline.config import load_config
from pipeline.errors import InputFileError, MissingMonthsError, SelectionError
from pipeline.ingest import (
    check_months,
    counts_table,
    files_table,
    ingest_quarter,
    load_processed,
    read_months,
    resolve_financial_year,
    select_district,
    summary_record,
    write_processed,
)
from pipeline.periods import parse_financial_year
from pipeline.sources.police_uk import find_street_files
from tests.conftest import ASB, street_row, write_config, write_street_file

YEAR = parse_financial_year("2025-26")


def write_months(folder, months, extra_rows=None):
    """One ASB row and one burglary in Testville per month, plus any extra rows."""
    for month in months:
        rows = [street_row(ASB, month), street_row("Burglary", month, outcome="Local resolution")]
        rows += (extra_rows or {}).get(month, [])
        write_street_file(folder, month, rows)


def test_prefix_selects_whole_words_only_and_ignores_case(tmp_path):
    folder = tmp_path / "raw"
    rows = [
        street_row(ASB, "2024-07", lsoa_name="Testville 001A"),
        street_row(ASB, "2024-07", lsoa_name="testville 002B"),
        street_row(ASB, "2024-07", lsoa_name="Testvillage 001A"),
        street_row(ASB, "2024-07", lsoa_name=""),
    ]
    write_street_file(folder, "2024-07", rows)
    config = load_config(write_config(tmp_path, folder))
    records, _ = read_months(find_street_files(folder))
    selection = select_district(records, config)
    assert list(selection.district["lsoa_name"]) == ["Testville 001A", "testville 002B"]
    assert len(selection.no_location) == 1
    assert selection.other_districts == 1


def test_lsoa_codes_select_the_listed_areas(tmp_path):
    folder = tmp_path / "raw"
    rows = [street_row(ASB, "2024-07", lsoa_name=name) for name in ("X 001A", "Y 001A")]
    write_street_file(folder, "2024-07", rows)
    code = rows[1]["LSOA code"]
    path = tmp_path / "config.yaml"
    path.write_text(
        f"district: Y\nforce: F\ninputs:\n  police_uk: {folder}\n  lsoa_codes: [{code}]\n",
        encoding="utf-8",
    )
    records, _ = read_months(find_street_files(folder))
    selection = select_district(records, load_config(path))
    assert list(selection.district["lsoa_name"]) == ["Y 001A"]
    assert selection.other_districts == 1


def test_prefix_matching_nothing_lists_the_prefixes_found(tmp_path, months_2023_to_2025):
    folder = tmp_path / "raw"
    write_months(folder, months_2023_to_2025)
    config = load_config(write_config(tmp_path, folder, prefix="Nowhere"))
    with pytest.raises(
        SelectionError, match=r"'Nowhere' and a number .* match no rows.*found there: Testville"
    ):
        ingest_quarter(config, YEAR, 2)


def test_missing_months_are_named():
    available = set(pd.period_range("2024-01", "2024-12", freq="M"))
    needed = list(pd.period_range("2023-11", "2024-02", freq="M"))
    with pytest.raises(MissingMonthsError) as caught:
        check_months(available, needed, (), "raw")
    assert caught.value.months == ["2023-11", "2023-12"]
    assert "2023-11, 2023-12" in str(caught.value)


def test_accepted_missing_months_are_returned_not_raised():
    available = set(pd.period_range("2024-01", "2024-12", freq="M"))
    needed = list(pd.period_range("2023-12", "2024-01", freq="M"))
    assert check_months(available, needed, ("2023-12",), "raw") == ["2023-12"]


def test_ingest_reads_the_36_months_the_charts_show_and_keeps_no_location_apart(
    tmp_path, months_2023_to_2025
):
    """2025-26 Q2 compares October 2023 to September 2025; its control charts show the 12
    months before too, where there are files: here October 2022 only."""
    folder = tmp_path / "raw"
    extra = {"2025-09": [street_row("Drugs", "2025-09", lsoa_name="")]}
    write_months(folder, ["2022-09", "2022-10", *months_2023_to_2025], extra)
    config = load_config(write_config(tmp_path, folder))
    result = ingest_quarter(config, YEAR, 2)
    # 25 months x 2 district rows; 2022-09 is before the 36 months and not read.
    assert len(result.records) == 50
    assert len(result.files) == 25 and result.files[0].month == "2022-10"
    assert result.rows_read == 51
    assert list(result.no_location["crime_type"]) == ["Drugs"]
    # November 2022 to September 2023 have no file: gaps in the charts, not a stop
    no_file = [str(month) for month in pd.period_range("2022-11", "2023-09", freq="M")]
    assert result.chart_unavailable == {"police_uk_crimes": no_file, "police_uk_asb": no_file}
    assert result.missing_months_accepted == [] and result.warnings == []
    target = tmp_path / "processed"
    write_processed(result, target, config, YEAR, 2)
    loaded = load_processed(target)
    assert len(loaded.records) == 50
    assert loaded.records["month"].dtype == pd.PeriodDtype("M")
    assert loaded.summary.rows_no_location == 1
    assert loaded.summary.files[0]["sha256"] and loaded.summary.months[0] == "2023-10"
    assert loaded.summary.chart_months[0] == "2022-10"


def test_a_short_month_only_the_charts_show_is_a_gap_with_a_note_not_a_stop(
    tmp_path, months_2023_to_2025
):
    """Each compared month has 4 crimes and 1 ASB incident; October 2022 has 1 crime (under
    half the compared months' median of 4) and its ASB: its crimes are left out of the charts."""
    folder = tmp_path / "raw"
    burglaries = [street_row("Burglary", "x", crime_id=f"b{n}") for n in range(3)]
    extra = {month: [row | {"Month": month} for row in burglaries] for month in months_2023_to_2025}
    write_months(folder, ["2022-10", *months_2023_to_2025], extra)
    config = load_config(write_config(tmp_path, folder))
    result = ingest_quarter(config, YEAR, 2)
    gaps = [str(month) for month in pd.period_range("2022-11", "2023-09", freq="M")]
    assert result.chart_unavailable == {
        "police_uk_crimes": ["2022-10", *gaps],
        "police_uk_asb": gaps,
    }
    (note,) = result.warnings
    assert "October 2022 has 1 crime row against a median of 4 in the months compared" in note
    assert "left out of the control charts (it is not compared)" in note
    assert result.unavailable == {"police_uk_crimes": [], "police_uk_asb": []}


def test_each_police_uk_file_records_its_month_and_rows_kept_and_rejected(
    tmp_path, months_2023_to_2025
):
    folder = tmp_path / "raw"
    extra = {
        "2025-08": [
            street_row("Drugs", "2025-08", lsoa_name=""),
            street_row("Drugs", "2025-08", lsoa_name="Elsewhere 001A"),
            street_row("Robbery", "2025-08", lsoa_name="Elsewhere 002A"),
        ]
    }
    write_months(folder, months_2023_to_2025, extra)
    config = load_config(write_config(tmp_path, folder))
    result = ingest_quarter(config, YEAR, 2)
    files = summary_record(result, config, YEAR, 2).files
    august = next(item for item in files if item["month"] == "2025-08")
    # 2 Testville rows + 1 with no location + 2 in another district.
    assert (august["first_month"], august["last_month"]) == ("2025-08", "2025-08")
    assert (august["rows"], august["rows_kept"]) == (5, 2)
    assert (august["rows_no_location"], august["rows_other_districts"]) == (1, 2)
    july = next(item for item in files if item["month"] == "2025-07")
    assert (july["rows"], july["rows_kept"], july["rows_no_location"]) == (2, 2, 0)
    assert sum(item["rows_kept"] for item in files) == 48


def test_default_year_is_the_latest_the_files_cover(tmp_path):
    folder = tmp_path / "raw"
    write_months(folder, [str(m) for m in pd.period_range("2023-04", "2025-10", freq="M")])
    config = load_config(write_config(tmp_path, folder))
    # Q2 needs Oct..Sep two years back: 2025-26 Q2 (Oct 2023-Sep 2025) is covered.
    assert resolve_financial_year(config, 2, None).name == "2025-26"
    # Q3 of 2025-26 needs Dec 2025 and Q3 of 2024-25 needs Jan 2023: neither is there.
    with pytest.raises(MissingMonthsError):
        resolve_financial_year(config, 3, None)


# --- force extract -----------------------------------------------------------------------------

CRIMES_HEADER = (
    "crime_ref,recorded_date,offence_group,offence_subgroup,domestic_abuse,da_risk,hate_crime,"
    "racially_religiously_aggravated,outcome_type,outcome_date,beat,ward,lsoa_code"
)


def write_extract(folder, months, extra_crimes=(), asb=True):
    """One shoplifting and one ASB incident on the 15th of each month, plus extra crime lines."""
    folder.mkdir(parents=True, exist_ok=True)
    crimes = [CRIMES_HEADER]
    crimes += [
        f"C-{month},{month}-15,Theft Offences,Shoplifting,N,,N,N,,,Town,Centre,E01000001"
        for month in months
    ]
    crimes += list(extra_crimes)
    (folder / "crimes.csv").write_text("\n".join(crimes) + "\n", encoding="utf-8")
    if asb:
        lines = ["incident_ref,date,asb_category,location_type,beat,ward,lsoa_code"]
        lines += [f"A-{month},{month}-15,Nuisance,Street,Town,Centre,E01000001" for month in months]
        (folder / "asb.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_extract_config(tmp_path, extract, police_uk=None):
    """A Testville config reading the force extract (and police.uk files when given)."""
    lines = ["district: Testville", "force: Testshire Police", "inputs:"]
    lines.append(f"  force_crimes: {extract / 'crimes.csv'}")
    if (extract / "asb.csv").exists():
        lines.append(f"  force_asb: {extract / 'asb.csv'}")
    if police_uk is not None:
        lines += [f"  police_uk: {police_uk}", "  lsoa_name_prefix: Testville"]
    lines += [f"output_dir: {tmp_path / 'outputs'}", f"processed_dir: {tmp_path / 'processed'}"]
    path = tmp_path / "extract.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_extract_keeps_crimes_recorded_or_solved_in_the_months_read(tmp_path, months_2023_to_2025):
    """The months read are the 24 compared and the 12 before them the control charts show:
    October 2022 to September 2025 for 2025-26 Q2."""
    extract = tmp_path / "extract"
    older = [
        # Recorded before the 36 months, solved inside them: kept for its solved outcome.
        "OLD-1,2022-05-01,Theft Offences,Other Theft,N,,N,N,1,2024-02-01,Town,Centre,E01000001",
        # Recorded and solved before the 36 months: not needed.
        "OLD-2,2022-05-01,Theft Offences,Other Theft,N,,N,N,1,2022-06-01,Town,Centre,E01000001",
    ]
    write_extract(extract, ["2023-09", *months_2023_to_2025], older)
    config = load_config(write_extract_config(tmp_path, extract))
    result = ingest_quarter(config, YEAR, 2)
    assert result.extract.crimes_read == 27
    assert sorted(result.extract.crimes["crime_ref"])[:2] == ["C-2023-09", "C-2023-10"]
    assert len(result.extract.crimes) == 26  # 25 months' shoplifting (2023-09 charted) + OLD-1
    assert "OLD-1" in set(result.extract.crimes["crime_ref"])
    assert len(result.extract.asb) == 25
    assert result.files == [] and result.records.empty
    # October 2022 to August 2023 have no records: gaps in the charts, not a stop
    no_data = [str(month) for month in pd.period_range("2022-10", "2023-08", freq="M")]
    assert result.chart_unavailable == {
        "force_extract_crimes": no_data,
        "force_extract_asb": no_data,
    }
    assert result.unavailable == {"force_extract_crimes": [], "force_extract_asb": []}
    target = tmp_path / "processed"
    write_processed(result, target, config, YEAR, 2)
    loaded = load_processed(target)
    assert len(loaded.force_crimes) == 26 and len(loaded.force_asb) == 25
    assert loaded.summary.sources == ["force_extract"]
    assert loaded.summary.force_extract.crimes_kept == 26
    assert loaded.summary.chart_months[0] == "2022-10" and len(loaded.summary.chart_months) == 36
    assert loaded.summary.chart_months_unavailable == result.chart_unavailable
    assert [item["kind"] for item in loaded.summary.force_extract.files] == ["crimes", "asb"]
    crimes, asb = loaded.summary.force_extract.files
    # Crimes: 25 monthly + OLD-1 and OLD-2 (May 2022) read; 26 kept, OLD-2 not.
    assert (crimes["first_month"], crimes["last_month"]) == ("2022-05", "2025-09")
    assert (crimes["rows"], crimes["rows_kept"], crimes["rows_outside_months_read"]) == (27, 26, 1)
    # ASB: 2023-09 and the 24 months read, all inside the 36.
    assert (asb["first_month"], asb["last_month"]) == ("2023-09", "2025-09")
    assert (asb["rows"], asb["rows_kept"], asb["rows_outside_months_read"]) == (25, 25, 0)
    assert list(files_table(loaded.summary)["path"]) == ["crimes.csv", "asb.csv"]
    counts = counts_table(loaded.summary)["count"]
    assert counts["Extract crimes read"] == 27
    assert counts["Kept: recorded or given an outcome in the months read"] == 26
    assert counts["Kept: ASB incidents in the months read"] == 25
    assert "police.uk rows read" not in counts.index


def test_extract_month_with_no_crime_is_a_missing_month(tmp_path, months_2023_to_2025):
    extract = tmp_path / "extract"
    write_extract(extract, [m for m in months_2023_to_2025 if m != "2024-12"])
    config = load_config(write_extract_config(tmp_path, extract))
    with pytest.raises(MissingMonthsError) as caught:
        ingest_quarter(config, YEAR, 2)
    assert caught.value.months == ["2024-12"]
    assert "crimes.csv" in str(caught.value)


def test_default_year_from_the_extract(tmp_path):
    extract = tmp_path / "extract"
    write_extract(extract, [str(m) for m in pd.period_range("2023-04", "2025-10", freq="M")])
    config = load_config(write_extract_config(tmp_path, extract))
    assert resolve_financial_year(config, 2, None).name == "2025-26"


def test_extract_without_asb_takes_asb_from_police_uk(tmp_path, months_2023_to_2025):
    extract, police = tmp_path / "extract", tmp_path / "raw"
    write_extract(extract, months_2023_to_2025, asb=False)
    write_months(police, months_2023_to_2025)
    config = load_config(write_extract_config(tmp_path, extract, police))
    result = ingest_quarter(config, YEAR, 2)
    assert result.extract.asb is None
    assert len(result.files) == 24 and len(result.records) == 48
    target = tmp_path / "processed"
    write_processed(result, target, config, YEAR, 2)
    assert load_processed(target).summary.sources == ["force_extract", "police_uk"]


def extract_with_a_thin_september(tmp_path, months) -> Path:
    """An extract of 4 crimes a month, but 1 in September 2025; returns its config."""
    extract = tmp_path / "extract"
    extra = [
        f"X-{month}-{n},{month}-20,Theft Offences,Shoplifting,N,,N,N,,,Town,Centre,E01000001"
        for month in months[:-1]
        for n in range(3)
    ]
    write_extract(extract, months, extra)
    return write_extract_config(tmp_path, extract)


def test_an_extract_month_with_under_half_the_usual_crimes_stops(tmp_path, months_2023_to_2025):
    config = load_config(extract_with_a_thin_september(tmp_path, months_2023_to_2025))
    with pytest.raises(
        InputFileError,
        match=r"crimes\.csv: September 2025 has 1 record, under "
        r"half the median of the other months \(4\).*accept_short_months",
    ):
        ingest_quarter(config, YEAR, 2)


def test_an_accepted_short_extract_month_is_left_out_of_both_years(tmp_path, months_2023_to_2025):
    path = extract_with_a_thin_september(tmp_path, months_2023_to_2025)
    path.write_text(path.read_text() + "accept_short_months: [2025-09]\n")
    result = ingest_quarter(load_config(path), YEAR, 2)
    assert result.unavailable["force_extract_crimes"] == ["2025-09"]
    assert result.unavailable["force_extract_asb"] == []
    assert result.short_months_accepted == ["2025-09"]
    assert any("September 2025 has 1 crime row" in note for note in result.warnings)


def test_the_summary_file_keeps_its_keys_in_order_and_reads_back_as_it_was_written(tmp_path):
    from pipeline.ingest_summary import SUMMARY_FILE, IngestSummary, load_summary

    folder = tmp_path / "raw"
    written = {
        "district": "Testville",
        "force": "Testshire Police",
        "force_as_configured": "Testshire",
        "financial_year": "2025-26",
        "quarter": 2,
        "sources": ["police_uk"],
        "selection": "LSOAs named Testville",
        "police_uk_folder": str(folder),
        "months": ["2023-10"],
        "chart_months": ["2022-10", "2023-10"],
        "chart_months_unavailable": {"police_uk_crimes": [], "police_uk_asb": ["2022-10"]},
        "missing_months_accepted": ["2024-11"],
        "short_months_accepted": [],
        "unavailable_months": {"police_uk_crimes": ["2024-11"], "police_uk_asb": ["2024-11"]},
        "police_uk_months_read": ["2023-10"],
        "rows_read": 1,
        "rows_kept_district": 1,
        "rows_no_location": 0,
        "rows_other_districts": 0,
        "rows_reported_by_other_forces": 0,
        "warnings": ["a note"],
        "files": [{"path": "x.csv", "month": "2023-10", "rows": 1}],
        "force_extract": None,
    }
    summary = IngestSummary.from_json(written)
    assert summary.unavailable_months["police_uk_crimes"] == ["2024-11"]
    assert list(summary.as_json()) == list(written)  # the file's keys, in the file's order
    assert summary.as_json() == written
    (tmp_path / SUMMARY_FILE).write_text(json.dumps(written), encoding="utf-8")
    assert load_summary(tmp_path) == summary
