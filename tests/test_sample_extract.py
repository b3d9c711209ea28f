"""The sample district's force extract: the same crimes and ASB as its police.uk street files."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from pipeline import sample
from pipeline.sample import write_sample
from pipeline.sample.force_extract import write_force_extract
from pipeline.sample.police_uk import SAMPLE_DISTRICT, write_force_files
from pipeline.taxonomy import home_office, police_uk

FIRST_MONTH, LAST_MONTH = "2024-01", "2024-06"
MONTHS = [f"2024-{number:02d}" for number in range(1, 7)]
EXTRACT_DATE = date(2024, 6, 30)
CRIMES_HEADER = (
    "crime_ref,recorded_date,offence_group,offence_subgroup,domestic_abuse,da_risk,hate_crime,"
    "racially_religiously_aggravated,outcome_type,outcome_date,beat,ward,lsoa_code\n"
)
ASB_HEADER = "incident_ref,date,asb_category,location_type,beat,ward,lsoa_code\n"
ASB = "Anti-social behaviour"
POSITIVE_CODES = {"1", "1A", "2", "3", "4", "6", "7", "8"}
OPEN_WORDINGS = {"Under investigation", "Status update unavailable"}
# The Home Office subgroups each police.uk crime type may become.
SUBGROUPS_OF_TYPE = {
    "Violence and sexual offences": {
        "Homicide",
        "Violence with Injury",
        "Death or Serious Injury caused by Unlawful Driving",
        "Violence without Injury",
        "Stalking and Harassment",
        "Rape - Under 16 yrs",
        "Rape - Over 16 yrs",
        "Other Sexual Offences",
    },
    "Burglary": {"Burglary Residential", "Burglary Business and Community"},
    "Vehicle crime": {"Theft from a Vehicle", "Theft of a Vehicle", "Vehicle Interference"},
    "Bicycle theft": {"Theft of Pedal Cycle"},
    "Shoplifting": {"Shoplifting"},
    "Theft from the person": {"Theft from the Person"},
    "Other theft": {"Other Theft"},
    "Robbery": {"Robbery of Personal Property", "Robbery of Business Property"},
    "Criminal damage and arson": {"Criminal Damage", "Arson"},
    "Drugs": {"Possession of Drugs", "Trafficking of Drugs"},
    "Possession of weapons": {"Possession of Weapons"},
    "Public order": {"Public Order"},
    "Other crime": {"Miscellaneous Crimes against Society"},
}
TYPE_OF_SUBGROUP = {sub: kind for kind, subs in SUBGROUPS_OF_TYPE.items() for sub in subs}


def read_rows(path: Path) -> list[dict[str, str]]:
    """A CSV file's rows as dictionaries of text."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def month_of(iso_date: str) -> str:
    """The `YYYY-MM` month of an ISO date."""
    return iso_date[:7]


@pytest.fixture(scope="module")
def street_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six months of the sample's police.uk street files."""
    folder = tmp_path_factory.mktemp("street")
    write_force_files(folder, FIRST_MONTH, LAST_MONTH)
    return folder


@pytest.fixture(scope="module")
def extract_paths(street_folder: Path) -> tuple[Path, Path]:
    """The district's force extract for those months."""
    return write_force_extract(street_folder, street_folder / "force-extract")


@pytest.fixture(scope="module")
def street_rows(street_folder: Path) -> list[dict[str, str]]:
    """The district's police.uk rows (LSOA name is the district name, a space and more)."""
    rows = [row for path in sorted(street_folder.glob("*-street.csv")) for row in read_rows(path)]
    prefix = f"{SAMPLE_DISTRICT} "
    return [r for r in rows if r["LSOA name"].startswith(prefix) and r["LSOA name"] != prefix]


@pytest.fixture(scope="module")
def street_crimes(street_rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The district's police.uk crimes, one row per Crime ID."""
    first_of_id: dict[str, dict[str, str]] = {}
    for row in street_rows:
        if row["Crime type"] != ASB:
            first_of_id.setdefault(row["Crime ID"], row)
    return list(first_of_id.values())


@pytest.fixture(scope="module")
def crimes(extract_paths: tuple[Path, Path]) -> list[dict[str, str]]:
    """The extract's crime rows."""
    return read_rows(extract_paths[0])


@pytest.fixture(scope="module")
def incidents(extract_paths: tuple[Path, Path]) -> list[dict[str, str]]:
    """The extract's ASB rows."""
    return read_rows(extract_paths[1])


def test_files_are_named_after_the_district_with_exact_headers(
    extract_paths: tuple[Path, Path],
) -> None:
    crimes_path, asb_path = extract_paths
    assert (crimes_path.name, asb_path.name) == (
        "ashworth-vale-crimes.csv",
        "ashworth-vale-asb.csv",
    )
    assert sorted(p.name for p in crimes_path.parent.iterdir()) == sorted(
        [crimes_path.name, asb_path.name]
    )  # no temporary files left behind
    for path, header in ((crimes_path, CRIMES_HEADER), (asb_path, ASB_HEADER)):
        raw = path.read_bytes()
        assert raw.startswith(header.encode("utf-8"))  # no byte-order mark
        assert b"\r" not in raw and raw.endswith(b"\n")


def test_one_crime_row_per_distinct_police_uk_crime(
    street_rows: list[dict[str, str]], street_crimes: list[dict[str, str]], crimes: list[dict]
) -> None:
    repeated = Counter(r["Crime ID"] for r in street_rows if r["Crime type"] != ASB)
    assert max(repeated.values()) == 2  # the months include crimes published twice
    expected = Counter((r["Month"], r["LSOA code"], r["Crime type"]) for r in street_crimes)
    actual = Counter(
        (month_of(r["recorded_date"]), r["lsoa_code"], TYPE_OF_SUBGROUP[r["offence_subgroup"]])
        for r in crimes
    )
    assert actual == expected
    assert sorted({month_of(r["recorded_date"]) for r in crimes}) == MONTHS


def test_one_asb_row_per_police_uk_asb_row(
    street_rows: list[dict[str, str]], incidents: list[dict[str, str]]
) -> None:
    expected = Counter((r["Month"], r["LSOA code"]) for r in street_rows if r["Crime type"] == ASB)
    actual = Counter((month_of(r["date"]), r["lsoa_code"]) for r in incidents)
    assert actual == expected


def test_offence_groups_and_subgroups_are_home_office_pairs(crimes: list[dict]) -> None:
    groups = home_office().groups
    pairs = {(r["offence_group"], r["offence_subgroup"]) for r in crimes}
    assert all(subgroup in groups.get(group, ()) for group, subgroup in pairs), pairs
    assert {group for group, _ in pairs} == set(groups)  # six months reach every group


def test_flags_are_y_or_n_and_consistent(crimes: list[dict[str, str]]) -> None:
    risk_levels = set(home_office().risk_levels)
    for row in crimes:
        flags = (row["domestic_abuse"], row["hate_crime"], row["racially_religiously_aggravated"])
        assert set(flags) <= {"Y", "N"}, row
        if row["domestic_abuse"] == "N":
            assert row["da_risk"] == "", row
        else:
            assert row["da_risk"] in risk_levels | {""}, row
        if row["hate_crime"] == "N":
            assert row["racially_religiously_aggravated"] == "N", row


def test_flag_shares_are_plausible(crimes: list[dict[str, str]]) -> None:
    share = {
        flag: sum(r[flag] == "Y" for r in crimes) / len(crimes)
        for flag in ("domestic_abuse", "hate_crime", "racially_religiously_aggravated")
    }
    assert 0.12 <= share["domestic_abuse"] <= 0.26
    assert 0.005 <= share["hate_crime"] <= 0.04
    assert 0 < share["racially_religiously_aggravated"] < share["hate_crime"]
    risks = Counter(r["da_risk"] for r in crimes if r["domestic_abuse"] == "Y")
    assert risks["Standard"] > risks["Medium"] + risks["High"] > risks[""] > 0


def test_outcome_type_and_date_are_both_set_or_both_empty(crimes: list[dict]) -> None:
    codes = set(home_office().outcome_codes)
    for row in crimes:
        assert (row["outcome_type"] == "") == (row["outcome_date"] == ""), row
        if row["outcome_type"]:
            assert row["outcome_type"] in codes, row
            recorded = date.fromisoformat(row["recorded_date"])
            assert recorded <= date.fromisoformat(row["outcome_date"]) <= EXTRACT_DATE, row


def test_outcomes_agree_with_police_uk_last_outcomes(
    street_crimes: list[dict[str, str]], crimes: list[dict[str, str]]
) -> None:
    """Within each month, LSOA and type, kept outcomes are no more positive than police.uk's."""
    positive_wordings = police_uk().positive_outcomes
    street = defaultdict(Counter)
    for row in street_crimes:
        wording = row["Last outcome category"]
        kind = "open" if wording in OPEN_WORDINGS else (wording in positive_wordings)
        street[(row["Month"], row["LSOA code"], row["Crime type"])][kind] += 1
    extract = defaultdict(Counter)
    for row in crimes:
        code = row["outcome_type"]
        kind = "open" if code == "" else (code in POSITIVE_CODES)
        cell = (month_of(row["recorded_date"]), row["lsoa_code"])
        extract[(*cell, TYPE_OF_SUBGROUP[row["offence_subgroup"]])][kind] += 1
    for cell, counts in extract.items():
        assert counts[True] <= street[cell][True], cell
        assert counts[False] <= street[cell][False], cell
    first = [cell for cell in street if cell[0] == FIRST_MONTH]  # outcomes mostly in by June
    kept = sum(extract[cell][True] for cell in first)
    assert kept > 0.85 * sum(street[cell][True] for cell in first)


def test_open_police_uk_crimes_have_no_outcome(
    street_crimes: list[dict[str, str]], crimes: list[dict[str, str]]
) -> None:
    open_street = Counter(
        r["Month"] for r in street_crimes if r["Last outcome category"] in OPEN_WORDINGS
    )
    open_extract = Counter(month_of(r["recorded_date"]) for r in crimes if not r["outcome_type"])
    assert all(open_extract[month] >= count for month, count in open_street.items())
    assert open_extract[LAST_MONTH] > open_extract[FIRST_MONTH]  # recent crimes are still open


def test_some_outcomes_fall_in_a_later_month_or_quarter(crimes: list[dict[str, str]]) -> None:
    settled = [r for r in crimes if r["outcome_date"]]
    later = [r for r in settled if month_of(r["outcome_date"]) > month_of(r["recorded_date"])]
    assert later
    march = [r for r in settled if month_of(r["recorded_date"]) == "2024-03"]
    next_quarter = [r for r in march if r["outcome_date"] >= "2024-04-01"]
    assert len(next_quarter) > 0.25 * len(march)


def test_references_are_unique_and_well_formed(
    crimes: list[dict[str, str]], incidents: list[dict[str, str]]
) -> None:
    for rows, key, date_key, pattern in (
        (crimes, "crime_ref", "recorded_date", r"WC/(\d{4})/\d{6}"),
        (incidents, "incident_ref", "date", r"ASB/(\d{4})/\d{6}"),
    ):
        refs = [r[key] for r in rows]
        assert len(set(refs)) == len(refs)
        for row in rows:
            match = re.fullmatch(pattern, row[key])
            assert match and match.group(1) == row[date_key][:4], row


def test_rows_are_sorted_by_date_then_reference(
    crimes: list[dict[str, str]], incidents: list[dict[str, str]]
) -> None:
    crime_keys = [(r["recorded_date"], r["crime_ref"]) for r in crimes]
    asb_keys = [(r["date"], r["incident_ref"]) for r in incidents]
    assert crime_keys == sorted(crime_keys) and asb_keys == sorted(asb_keys)


def test_asb_categories_and_location_types(incidents: list[dict[str, str]]) -> None:
    categories = Counter(r["asb_category"] for r in incidents)
    assert set(categories) == {"Personal", "Nuisance", "Environmental"}
    assert categories["Nuisance"] > categories["Personal"] > categories["Environmental"]
    locations = {r["location_type"] for r in incidents}
    assert {"Residential", "Street/Highway", "Shop/Commercial"} <= locations
    assert locations <= {
        "Residential",
        "Street/Highway",
        "Shop/Commercial",
        "Park/Open Space",
        "Licensed Premises",
        "School/College",
        "Public Transport",
    }


def test_each_lsoa_has_one_ward_and_each_ward_one_beat(
    street_rows: list[dict[str, str]], crimes: list[dict], incidents: list[dict]
) -> None:
    rows = crimes + incidents
    wards_of_lsoa = defaultdict(set)
    beats_of_ward = defaultdict(set)
    for row in rows:
        wards_of_lsoa[row["lsoa_code"]].add(row["ward"])
        beats_of_ward[row["ward"]].add(row["beat"])
    assert all(len(wards) == 1 for wards in wards_of_lsoa.values())
    assert all(len(beats) == 1 for beats in beats_of_ward.values())
    assert 8 <= len(beats_of_ward) <= 16
    assert 3 <= len({beat for beats in beats_of_ward.values() for beat in beats}) <= 8
    busiest = [code for code, _ in Counter(r["LSOA code"] for r in street_rows).most_common(3)]
    assert len({ward for code in busiest for ward in wards_of_lsoa[code]}) == 1  # town centre


def test_same_inputs_give_identical_bytes(street_folder: Path, tmp_path: Path) -> None:
    first = write_force_extract(street_folder, tmp_path / "a", seed=5)
    second = write_force_extract(street_folder, tmp_path / "b", seed=5)
    other = write_force_extract(street_folder, tmp_path / "c", seed=6)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert first[0].read_bytes() != other[0].read_bytes()


def test_no_street_files_give_header_only_files(tmp_path: Path) -> None:
    crimes_path, asb_path = write_force_extract(tmp_path, tmp_path / "out")
    assert crimes_path.read_text(encoding="utf-8") == CRIMES_HEADER
    assert asb_path.read_text(encoding="utf-8") == ASB_HEADER


def test_write_sample_writes_the_extract_tracker_and_ons_tables_after_the_street_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def one_month(folder: Path, first: str, last: str) -> list[Path]:
        return write_force_files(folder, FIRST_MONTH, FIRST_MONTH)

    monkeypatch.setattr(sample, "write_force_files", one_month)
    paths = write_sample(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        f"{FIRST_MONTH}-wealdmoor-street.csv",
        "force-extract/ashworth-vale-crimes.csv",
        "force-extract/ashworth-vale-asb.csv",
        "tracker/ashworth-vale-tracker.xlsx",
        "ons/sample-police-force-area-tables-year-ending-march-2025.xlsx",
        "ons/sample-csp-lookup.csv",
    ]
    assert len(read_rows(paths[1])) > 100
