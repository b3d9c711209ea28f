"""The embedded sample: a fictional force's police.uk street files, realistic and deterministic."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import pipeline.sample as whole_sample
from pipeline.errors import ParameterError
from pipeline.paths import PROJECT_ROOT
from pipeline.sample import police_uk as sample
from pipeline.sample import write_sample
from pipeline.sample.police_uk import (
    SAMPLE_DISTRICT,
    SAMPLE_FIRST_MONTH,
    SAMPLE_FORCE,
    SAMPLE_LAST_MONTH,
    write_force_files,
)
from pipeline.taxonomy import police_uk

YEAR_FIRST, YEAR_LAST = "2024-04", "2025-03"
YEAR_MONTHS = [str(p) for p in pd.period_range(YEAR_FIRST, YEAR_LAST, freq="M")]
ONS_LOOKUP = PROJECT_ROOT.parent / "shared/realdata/ons/LAD17_CSP17_PFA17_lookup_Jan2017.csv"
LOCATION_COLUMNS = ["Longitude", "Latitude", "LSOA code", "LSOA name"]


def read_street_file(path: Path) -> pd.DataFrame:
    """A street file as text, empty cells kept as empty strings."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def year_paths(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """One financial year of sample files at scale 1."""
    return write_force_files(tmp_path_factory.mktemp("year"), YEAR_FIRST, YEAR_LAST)


@pytest.fixture(scope="module")
def year_rows(year_paths: list[Path]) -> pd.DataFrame:
    """All rows of the year, with the name of the file each came from."""
    frames = [read_street_file(path).assign(file=path.name) for path in year_paths]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def district_rows(year_rows: pd.DataFrame) -> pd.DataFrame:
    """The year's rows in the sample district."""
    return year_rows[year_rows["LSOA name"].str.startswith(f"{SAMPLE_DISTRICT} ")]


def test_one_file_per_month_named_like_police_uk(year_paths: list[Path]) -> None:
    names = [path.name for path in year_paths]
    slug = names[0].removeprefix(f"{YEAR_FIRST}-").removesuffix("-street.csv")
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", slug)
    assert names == [f"{month}-{slug}-street.csv" for month in YEAR_MONTHS]
    assert sorted(p.name for p in year_paths[0].parent.iterdir()) == names  # no temporary files


def test_header_encoding_and_line_endings_match_police_uk(year_paths: list[Path]) -> None:
    raw = year_paths[0].read_bytes()
    header = ",".join(police_uk().file_header) + "\n"
    assert raw.startswith(header.encode("utf-8"))  # so no byte-order mark either
    assert b"\r" not in raw
    assert raw.endswith(b",\n")  # the last column, Context, is empty


def test_same_arguments_give_identical_bytes(tmp_path: Path) -> None:
    first = write_force_files(tmp_path / "a", "2024-01", "2024-02", scale=0.5, seed=11)
    second = write_force_files(tmp_path / "b", "2024-01", "2024-02", scale=0.5, seed=11)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_different_seeds_give_different_rows(tmp_path: Path) -> None:
    (one,) = write_force_files(tmp_path / "a", "2024-01", "2024-01", seed=1)
    (two,) = write_force_files(tmp_path / "b", "2024-01", "2024-01", seed=2)
    rows_one, rows_two = read_street_file(one), read_street_file(two)
    assert set(rows_one["Crime ID"]) & set(rows_two["Crime ID"]) == {""}  # only ASB's empty ID
    assert rows_one["LSOA code"].value_counts().to_dict() != (
        rows_two["LSOA code"].value_counts().to_dict()
    )


def test_month_column_matches_the_file_name(year_rows: pd.DataFrame) -> None:
    assert (year_rows["Month"] == year_rows["file"].str[:7]).all()
    assert sorted(year_rows["Month"].unique()) == YEAR_MONTHS


def test_force_reports_and_covers_every_row(year_rows: pd.DataFrame) -> None:
    assert (year_rows["Reported by"] == SAMPLE_FORCE).all()
    assert (year_rows["Falls within"] == SAMPLE_FORCE).all()
    assert (year_rows["Context"] == "").all()


def test_district_has_400_to_700_rows_every_month(district_rows: pd.DataFrame) -> None:
    per_month = district_rows.groupby("Month").size()
    assert list(per_month.index) == YEAR_MONTHS
    assert per_month.between(400, 700).all(), per_month.to_dict()


def test_force_has_about_3000_to_5000_rows_a_month(year_rows: pd.DataFrame) -> None:
    per_month = year_rows.groupby("Month").size()
    assert per_month.between(2800, 5200).all(), per_month.to_dict()


def test_district_asb_is_about_a_fifth_of_its_rows(district_rows: pd.DataFrame) -> None:
    asb_share = (district_rows["Crime type"] == police_uk().anti_social_behaviour).mean()
    assert 0.15 <= asb_share <= 0.25


def test_district_asb_is_higher_in_summer_than_winter(district_rows: pd.DataFrame) -> None:
    asb = district_rows[district_rows["Crime type"] == police_uk().anti_social_behaviour]
    per_month = asb.groupby("Month").size()
    summer = per_month[["2024-06", "2024-07", "2024-08"]].sum()
    winter = per_month[["2024-12", "2025-01", "2025-02"]].sum()
    assert summer > 1.2 * winter


def test_district_has_every_crime_type_with_violence_largest(district_rows: pd.DataFrame) -> None:
    counts = district_rows["Crime type"].value_counts()
    assert set(counts.index) == set(police_uk().crime_types)
    crimes = counts.drop(police_uk().anti_social_behaviour)
    assert crimes.idxmax() == "Violence and sexual offences"
    assert crimes["Public order"] > crimes["Robbery"] > 0


def test_wordings_are_police_uk_vocabulary(year_rows: pd.DataFrame) -> None:
    vocabulary = police_uk()
    assert set(year_rows["Crime type"]) <= set(vocabulary.crime_types)
    crimes = year_rows[year_rows["Crime type"] != vocabulary.anti_social_behaviour]
    assert set(crimes["Last outcome category"]) <= set(vocabulary.outcomes)


def test_asb_has_no_crime_id_or_outcome_and_crimes_have_both(year_rows: pd.DataFrame) -> None:
    is_asb = year_rows["Crime type"] == police_uk().anti_social_behaviour
    assert is_asb.any()
    assert (year_rows.loc[is_asb, ["Crime ID", "Last outcome category"]] == "").all().all()
    crimes = year_rows[~is_asb]
    assert crimes["Crime ID"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert (crimes["Last outcome category"] != "").all()


def test_every_month_has_rows_without_any_location(year_rows: pd.DataFrame) -> None:
    unlocated = year_rows[year_rows["Location"] == "No Location"]
    assert sorted(unlocated["Month"].unique()) == YEAR_MONTHS
    assert (unlocated[LOCATION_COLUMNS] == "").all().all()
    assert len(unlocated) / len(year_rows) < 0.01


def test_located_rows_have_invented_lsoas_and_coordinates(year_rows: pd.DataFrame) -> None:
    located = year_rows[year_rows["Location"] != "No Location"]
    assert located["Location"].str.startswith("On or near ").all()
    assert located["LSOA code"].str.fullmatch(r"E019\d{5}").all()
    assert located["LSOA name"].str.fullmatch(r".+ \d{3}[A-F]").all()
    assert located["Longitude"].str.fullmatch(r"-?\d\.\d{6}").all()
    assert located["Latitude"].astype(float).between(50.0, 55.8).all()  # England


def test_district_has_40_to_80_lsoas_with_a_few_hotspots(district_rows: pd.DataFrame) -> None:
    per_lsoa = district_rows["LSOA code"].value_counts()
    assert 40 <= len(per_lsoa) <= 80
    assert per_lsoa.iloc[0] > 6 * per_lsoa.median()  # a town centre
    assert per_lsoa.iloc[:3].sum() > 0.15 * per_lsoa.sum()


def test_rows_from_a_neighbouring_district_appear(year_rows: pd.DataFrame) -> None:
    neighbours = {spec.name for spec in sample._DISTRICTS if not spec.in_force}
    districts = year_rows["LSOA name"].str.rsplit(" ", n=1).str[0]
    assert districts.isin(neighbours).groupby(year_rows["Month"]).sum().gt(0).all()


def test_rows_are_grouped_by_lsoa_in_code_order_with_unlocated_last(year_paths: list[Path]) -> None:
    codes = read_street_file(year_paths[0])["LSOA code"]
    runs = codes[codes != codes.shift()].tolist()
    assert len(runs) == codes.nunique()  # each LSOA's rows are together
    assert runs[-1] == "" and runs[:-1] == sorted(runs[:-1])


def test_some_crimes_are_published_twice_at_different_locations(
    year_rows: pd.DataFrame,
) -> None:
    crimes = year_rows[year_rows["Crime ID"] != ""]
    repeated = crimes[crimes["Crime ID"].duplicated(keep=False)]
    assert 0 < repeated["Crime ID"].nunique() < 0.01 * len(crimes)
    locations = repeated.groupby("Crime ID")[["Longitude", "Latitude"]].nunique()
    assert (locations.max(axis=1) == 2).all()


def test_positive_outcomes_are_realistic(year_rows: pd.DataFrame) -> None:
    settled = year_rows[(year_rows["Crime ID"] != "") & (year_rows["Month"] <= "2024-12")]
    positive = settled["Last outcome category"].isin(police_uk().positive_outcomes)
    assert 0.10 <= positive.mean() <= 0.15
    by_type = positive.groupby(settled["Crime type"]).mean()
    assert by_type["Drugs"] > 3 * positive.mean()
    assert by_type["Shoplifting"] > 1.5 * positive.mean()


def test_newest_months_are_still_under_investigation(year_rows: pd.DataFrame) -> None:
    crimes = year_rows[year_rows["Crime ID"] != ""]
    open_share = (
        (crimes["Last outcome category"] == "Under investigation").groupby(crimes["Month"]).mean()
    )
    assert open_share[YEAR_LAST] > 0.2
    assert open_share[YEAR_LAST] > open_share["2025-01"] > open_share[YEAR_FIRST]
    assert open_share[YEAR_FIRST] < 0.01


def test_scale_multiplies_the_volume(tmp_path: Path) -> None:
    (single,) = write_force_files(tmp_path / "one", "2024-05", "2024-05", scale=1)
    (triple,) = write_force_files(tmp_path / "three", "2024-05", "2024-05", scale=3)
    ratio = len(read_street_file(triple)) / len(read_street_file(single))
    assert 2.8 <= ratio <= 3.2


@pytest.mark.parametrize(
    ("first", "last"),
    [("2024-13", "2024-12"), ("2024-1", "2024-12"), ("2024-06", "2024-05")],
)
def test_bad_months_are_refused(tmp_path: Path, first: str, last: str) -> None:
    with pytest.raises(ParameterError):
        write_force_files(tmp_path, first, last)
    assert not list(tmp_path.iterdir())


def test_write_sample_covers_the_sample_months(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    monkeypatch.setattr(whole_sample, "write_force_files", lambda *args: calls.append(args) or [])
    write_sample(tmp_path)
    assert calls == [(tmp_path, SAMPLE_FIRST_MONTH, SAMPLE_LAST_MONTH)]
    assert (SAMPLE_FIRST_MONTH, SAMPLE_LAST_MONTH) == ("2022-04", "2026-03")


@pytest.mark.skipif(not ONS_LOOKUP.exists(), reason="needs ../shared/realdata")
def test_force_and_districts_are_invented() -> None:
    lookup = pd.read_csv(ONS_LOOKUP, encoding="utf-8-sig")
    real_names = set(lookup["LAD17NM"]) | set(lookup["CSP17NM"]) | set(lookup["PFA17NM"])
    invented = {spec.name for spec in sample._DISTRICTS}
    assert SAMPLE_DISTRICT in invented
    assert not invented & real_names
    assert not any(name in SAMPLE_FORCE for name in real_names)
