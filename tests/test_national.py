"""`make national`: every partnership's police.uk performance tables, force by force, from an
archive of many forces' files; figures worked out by hand from small files written here."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.force_store import force_files_among
from pipeline.national import (
    NationalRunError,
    archive_forces,
    read_national_config,
    run_national,
)
from pipeline.paths import PROJECT_ROOT
from pipeline.sources.police_uk import find_street_files
from tests.conftest import ASB, FORCE, street_row, write_street_file
from tests.test_messy_downloads import months_from

OTHER = "Othershire Police"
LOOKUP = (
    "LAD17CD,LAD17NM,CSP17CD,CSP17NM,PFA17CD,PFA17NM,FID\n"
    "E07000001,Testville,E22000001,Testville,E23000001,Testshire,1\n"
    "E07000002,Northam,E22000002,Twin Towns,E23000001,Testshire,2\n"
    "E07000003,Southam,E22000002,Twin Towns,E23000001,Testshire,3\n"
    "E07000004,Otherton,E22000003,Otherton,E23000002,Othershire,4\n"
)
CURRENT_QUARTER = ("2025-07", "2025-08", "2025-09")  # 2025-26 Q2


def force_rows(month: str) -> list[dict[str, str]]:
    """Testville: 3 burglaries a month (4 in the current quarter), one of them cautioned, and 1
    ASB; Twin Towns: Northam 2 burglaries and 2 ASB, Southam 1 burglary; and rows no partnership
    counts: one with no location, one Othershire reported in Testville, one in Elsewhere."""
    testville = 4 if month in CURRENT_QUARTER else 3
    rows = [
        street_row("Burglary", month, "Testville 001A", crime_id=f"t-{month}-{n}")
        for n in range(testville - 1)
    ]
    rows.append(
        street_row("Burglary", month, "Testville 001A", "Offender given a caution", f"c-{month}")
    )
    rows.append(street_row(ASB, month, "Testville 001A"))
    rows += [street_row("Burglary", month, "Northam 002B", crime_id=f"n-{month}-{n}") for n in "ab"]
    rows += [street_row(ASB, month, "Northam 002B") for _ in range(2)]
    rows.append(street_row("Burglary", month, "Southam 003C", crime_id=f"s-{month}"))
    rows.append(street_row("Burglary", month, "", crime_id=f"x-{month}"))  # no location
    rows.append(street_row("Burglary", month, "Testville 002A") | {"Reported by": OTHER})
    rows.append(street_row("Burglary", month, "Elsewhere 004D", crime_id=f"e-{month}"))
    return rows


def neighbour_rows(month: str) -> list[dict[str, str]]:
    """Otherton: 5 burglaries a month."""
    rows = [
        street_row("Burglary", month, "Otherton 001A", crime_id=f"o-{month}-{n}") for n in range(5)
    ]
    return [row | {"Reported by": OTHER, "Falls within": OTHER} for row in rows]


def write_archive(folder: Path, months: list[str] | None = None) -> Path:
    """Two forces' street files in police.uk's archive layout: a folder a month."""
    for month in months or months_from():
        write_street_file(folder / month, month, force_rows(month), force="testshire")
        write_street_file(folder / month, month, neighbour_rows(month), force="othershire")
    return folder


def write_national_config(folder: Path, archive: Path, extra: str = "") -> Path:
    (folder / "lookup.csv").write_text(LOOKUP, encoding="utf-8")
    path = folder / "national.yaml"
    path.write_text(
        f"forces: all\ninputs:\n  police_uk: {archive}\n  csp_lookup: lookup.csv\n"
        "output_dir: outputs\nprocessed_dir: processed\n" + extra,
        encoding="utf-8",
    )
    return path


def table_rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def row_of(rows: list[dict[str, str]], partnership: str, crime_type: str) -> dict[str, str]:
    return next(
        r for r in rows if r["partnership"] == partnership and r["crime_type"] == crime_type
    )


QUARTER_FOLDER = Path("outputs") / "national" / "2025-26" / "Q2"


@pytest.fixture
def built(tmp_path: Path) -> Path:
    config = write_national_config(tmp_path, write_archive(tmp_path / "archive"))
    run_national(config, "2", "2025-26", say=lambda line: None, workers=1)
    return tmp_path / QUARTER_FOLDER


def test_a_partnership_s_quarter_counted_by_hand(built):
    rows = table_rows(built, "performance_quarter.csv")
    testville = row_of(rows, "Testville", "All crime")
    # 3 burglaries a month a year before (9), 4 a month now (12); one a month cautioned (3 each)
    assert (testville["force"], testville["csp_code"]) == (FORCE, "E22000001")
    assert [testville[c] for c in ("offences_previous", "offences_current", "offences_diff")] == [
        "9",
        "12",
        "3",
    ]
    assert testville["offences_pct_diff"] == "33.3"
    assert [testville[c] for c in ("solved_previous", "solved_current", "solved_diff")] == [
        "3",
        "3",
        "0",
    ]
    # 3 of 9 is 33.3%, 3 of 12 is 25.0%: 8.3 points down
    assert (testville["solved_rate_previous"], testville["solved_rate_current"]) == ("33.3", "25.0")
    assert testville["solved_rate_pt_diff"] == "-8.3"
    asb = row_of(rows, "Testville", ASB)
    assert (asb["offences_previous"], asb["offences_current"], asb["solved_current"]) == (
        "3",
        "3",
        "",
    )
    # Twin Towns: Northam's 2 burglaries and Southam's 1 a month, 9 a quarter; Northam's 2 ASB
    twin = row_of(rows, "Twin Towns", "All crime")
    assert (twin["offences_previous"], twin["offences_current"]) == ("9", "9")
    assert row_of(rows, "Twin Towns", ASB)["offences_current"] == "6"
    otherton = row_of(rows, "Otherton", "Burglary")
    assert (otherton["force"], otherton["offences_current"]) == (OTHER, "15")
    # year to date, April to September: 3 + 3 + 3 + 4 + 4 + 4 = 21 against 18
    ytd = row_of(table_rows(built, "performance_year_to_date.csv"), "Testville", "All crime")
    assert (ytd["offences_previous"], ytd["offences_current"], ytd["offences_pct_diff"]) == (
        "18",
        "21",
        "16.7",
    )


def test_the_tables_have_the_single_run_s_columns_after_force_code_and_partnership(built):
    from pipeline.metrics import PERFORMANCE_COLUMNS

    for name in (
        "performance_quarter.csv",
        "performance_year_to_date.csv",
        "performance_rolling_12_months.csv",
    ):
        header = (built / name).read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == ["force", "csp_code", "partnership", *PERFORMANCE_COLUMNS]
    partnerships = {r["partnership"] for r in table_rows(built, "performance_quarter.csv")}
    assert partnerships == {"Testville", "Twin Towns", "Otherton"}
    assert not list(built.parent.glob(".*"))  # no temporary folder left beside


def test_lsoa_names_no_partnership_takes_are_counted(built):
    # Elsewhere 004D: one row a month in each of the 24 months compared
    assert table_rows(built, "unmatched_lsoas.csv") == [
        {"force": FORCE, "authority": "Elsewhere", "lsoa_names": "1", "rows": "24"}
    ]
    page = (built / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in page and "<caption>" in page and 'scope="col"' in page


def test_a_force_whose_file_fails_is_reported_and_the_others_are_written(tmp_path):
    archive = write_archive(tmp_path / "archive")
    bad = archive / "2025-08" / "2025-08-othershire-street.csv"
    bad.write_text(bad.read_text(encoding="utf-8").replace(",Burglary,", ",Burglaryy,", 1))
    config = write_national_config(tmp_path, archive)
    said: list[str] = []
    with pytest.raises(NationalRunError) as raised:
        run_national(config, "2", "2025-26", say=said.append, workers=2)  # two processes
    assert "1 force(s) not computed" in str(raised.value)
    assert OTHER in str(raised.value) and "Burglaryy" in str(raised.value)
    assert any(line.startswith(f"[national] {OTHER}: Error:") for line in said)
    rows = table_rows(tmp_path / QUARTER_FOLDER, "performance_quarter.csv")
    assert {r["force"] for r in rows} == {FORCE}


def test_a_short_month_not_accepted_fails_its_force_and_accepted_is_left_out(tmp_path):
    archive = write_archive(tmp_path / "archive")
    short = archive / "2025-08" / "2025-08-othershire-street.csv"
    lines = short.read_text(encoding="utf-8").splitlines(keepends=True)
    short.write_text("".join(lines[:2]), encoding="utf-8")  # 1 row of the usual 5
    config = write_national_config(tmp_path, archive)
    with pytest.raises(NationalRunError, match="cut short"):
        run_national(config, "2", "2025-26", say=lambda line: None, workers=1)
    config = write_national_config(
        tmp_path, archive, f"accept_short_months:\n  {OTHER}: [2025-08]\n"
    )
    run_national(config, "2", "2025-26", say=lambda line: None, workers=1)
    rows = table_rows(tmp_path / QUARTER_FOLDER, "performance_quarter.csv")
    # August left out of both years: July and September, 5 burglaries each
    assert row_of(rows, "Otherton", "Burglary")["offences_current"] == "10"
    assert row_of(rows, "Testville", "All crime")["offences_current"] == "12"  # not Othershire's


def test_a_missing_month_stops_its_force_unless_accepted(tmp_path):
    archive = write_archive(tmp_path / "archive")
    (archive / "2025-08" / "2025-08-othershire-street.csv").unlink()
    config = write_national_config(tmp_path, archive)
    with pytest.raises(NationalRunError, match="2025-08"):
        run_national(config, "2", "2025-26", say=lambda line: None, workers=1)
    config = write_national_config(tmp_path, archive, "accept_missing_months: [2025-08]\n")
    run_national(config, "2", "2025-26", say=lambda line: None, workers=1)
    rows = table_rows(tmp_path / QUARTER_FOLDER, "performance_quarter.csv")
    assert row_of(rows, "Otherton", "Burglary")["offences_current"] == "10"
    # accepted for every force, but Testshire's August is there, so kept (as a partnership's
    # run: only a month both missing and accepted is left out): 4 + 4 + 4
    assert row_of(rows, "Testville", "All crime")["offences_current"] == "12"


def test_files_are_grouped_by_the_force_in_their_names_and_named_by_falls_within(tmp_path):
    archive = write_archive(tmp_path / "archive", months=["2025-08", "2025-09"])
    files = find_street_files(archive)
    forces = {force.name: len(force.files) for force in archive_forces(files)}
    assert forces == {FORCE: 2, OTHER: 2}
    # a file named as Testshire's whose records fall within Othershire is left out, noted
    stray = write_street_file(
        archive / "2025-07", "2025-07", neighbour_rows("2025-07"), force="testshire"
    )
    testshire = [f for f in find_street_files(archive) if f.force == "testshire"]
    chosen = force_files_among(testshire, FORCE, archive)
    assert stray not in [street.path for street in chosen.files]
    assert len(chosen.files) == 2 and stray.name in chosen.notes[0]


def test_a_listed_force_without_files_is_reported(tmp_path):
    archive = write_archive(tmp_path / "archive")
    config = write_national_config(tmp_path, archive)
    text = config.read_text(encoding="utf-8").replace(
        "forces: all", f"forces: [{FORCE}, Nowhere Constabulary]"
    )
    config.write_text(text, encoding="utf-8")
    with pytest.raises(NationalRunError, match="no files of 'Nowhere Constabulary'"):
        run_national(config, "2", "2025-26", say=lambda line: None, workers=1)
    rows = table_rows(tmp_path / QUARTER_FOLDER, "performance_quarter.csv")
    assert {r["force"] for r in rows} == {FORCE}


def test_a_national_config_needs_forces_the_archive_and_the_lookup(tmp_path):
    path = tmp_path / "national.yaml"
    path.write_text("inputs:\n  police_uk: archive\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="forces, inputs.csp_lookup"):
        read_national_config(path)
    path.write_text(
        "forces: Derbyshire\ninputs:\n  police_uk: a\n  csp_lookup: b.csv\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="forces: must be `all` or a list"):
        read_national_config(path)


def test_the_example_national_config_reads_as_one():
    config = read_national_config(PROJECT_ROOT / "config" / "example-national.yaml")
    assert config.forces == ("Derbyshire Constabulary", "Nottinghamshire Police")


def test_make_national_without_a_config_says_what_it_needs():
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "national"],
        cwd=PROJECT_ROOT,
        env={"PATH": "/usr/bin:/bin", "Q": "2", "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith("Error:") and "CONFIG" in result.stderr


@pytest.mark.slow  # make force for the sample's five partnerships, then make national
def test_national_tables_equal_each_sample_partnership_s_own(tmp_path):
    raw = PROJECT_ROOT / "data" / "raw" / "sample"
    force_config = tmp_path / "force.yaml"
    force_config.write_text(
        "force: Wealdmoor Constabulary\n"
        f"inputs:\n  police_uk: {raw}\n  csp_lookup: {raw / 'ons' / 'sample-csp-lookup.csv'}\n"
        f"output_dir: {tmp_path / 'force-outputs'}\n"
        f"processed_dir: {tmp_path / 'force-processed'}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        ["make", "--no-print-directory", "force", "Q=2", "FY=2025-26", f"CONFIG={force_config}"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    national = tmp_path / "national.yaml"
    national.write_text(
        "forces: [Wealdmoor Constabulary]\n"
        f"inputs:\n  police_uk: {raw}\n  csp_lookup: {raw / 'ons' / 'sample-csp-lookup.csv'}\n"
        f"output_dir: {tmp_path / 'national-outputs'}\n"
        f"processed_dir: {tmp_path / 'national-processed'}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        ["make", "--no-print-directory", "national", "Q=2", "FY=2025-26", f"CONFIG={national}"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    folder = tmp_path / "national-outputs" / "national" / "2025-26" / "Q2"
    partnerships = ["Ashworth Vale", "Brackenford", "Fenbridge", "Hollinsdale", "Saltmere"]
    for name in (
        "performance_quarter.csv",
        "performance_year_to_date.csv",
        "performance_rolling_12_months.csv",
    ):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        header = lines[0].split(",", 3)[3]
        seen = set()
        for partnership in partnerships:
            slug = partnership.lower().replace(" ", "-")
            own = tmp_path / "force-outputs" / slug / "2025-26" / "Q2" / "tables" / name
            mine = [
                line.split(",", 3)[3] for line in lines[1:] if line.split(",", 3)[2] == partnership
            ]
            assert "\n".join([header, *mine]) + "\n" == own.read_text(encoding="utf-8"), (
                partnership,
                name,
            )
            seen.add(partnership)
        assert seen == set(partnerships)
