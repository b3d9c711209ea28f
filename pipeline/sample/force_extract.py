"""The sample district's force extract: its police.uk crimes and ASB with a force's richer detail.

A force sends its community safety partnership an extract of the district's crimes (Home Office
offence group and subgroup, domestic abuse and hate crime flags, outcome type and date, beat, ward,
LSOA) and ASB incidents. This module derives one from the sample's police.uk street files, so both
sources hold the same crimes and incidents. The detail police.uk lacks is invented with plausible
rates, in `data/force_extract.yaml`; its domestic abuse shares follow a real partnership's
published table (Harlow, 2022).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from pipeline.sample.police_uk import SAMPLE_DISTRICT, write_csv_atomically
from pipeline.sources.force_extract import ASB_HEADER, CRIMES_HEADER
from pipeline.taxonomy import home_office, police_uk

FORCE_EXTRACT_FOLDER = "force-extract"  # where write_sample puts the extract, beside the files

_DEFAULT_SEED = 20250402
_STREET_COLUMNS = ["Crime ID", "Month", "Location", "LSOA code", "LSOA name", "Crime type"]
_OUTCOME_COLUMN = "Last outcome category"
_PLACE_PREFIX = "On or near "
_YES, _NO = "Y", "N"

# Random streams, so that crimes, ASB and the reference numbers never share draws.
_CRIME_STREAM, _ASB_STREAM, _CRIME_REF_STREAM, _ASB_REF_STREAM = range(4)

# Reference numbers run through the calendar year across the whole force, so the district's
# references have gaps: the force records about this many crimes (or incidents) per district one.
_FORCE_RECORDS_PER_DISTRICT_RECORD = 7
_CRIME_REF_PREFIX = "WC"  # Wealdmoor Constabulary
_ASB_REF_PREFIX = "ASB"
_REF_DIGITS = 6

MODEL_FILE = Path(__file__).parent / "data" / "force_extract.yaml"  # the detail's rates
_MODEL = yaml.safe_load(MODEL_FILE.read_text(encoding="utf-8"))
_SUBGROUP_MIX: dict[str, dict[str, float]] = _MODEL["subgroups"]
_DOMESTIC_ABUSE_SHARE: dict[str, float] = _MODEL["domestic_abuse_share"]
_NO_RISK_ASSESSMENT = ""
_DA_RISK_MIX = _MODEL["domestic_abuse_risk"]
_HATE_PRONE_SUBGROUPS = tuple(_MODEL["hate_prone_subgroups"])
_HATE_SHARE_PRONE = _MODEL["hate_share_prone"]
_HATE_SHARE_OTHER = _MODEL["hate_share_other"]
_AGGRAVATED_SHARE_OF_HATE = _MODEL["aggravated_share_of_hate"]
_NO_OUTCOME = {"": 1.0}
_OUTCOME_TYPE_MIX: dict[str, dict[str, float]] = {
    **dict.fromkeys(_MODEL["charge_wordings"], _MODEL["charged"]),
    **_MODEL["outcome_types"],
    **dict.fromkeys(_MODEL["no_outcome"], _NO_OUTCOME),
}
_OUTCOME_LAG_MEAN_DAYS: dict[str, float] = _MODEL["outcome_lag_mean_days"]
_MAX_OUTCOME_LAG_DAYS = _MODEL["max_outcome_lag_days"]
_ASB_CATEGORY_MIX = _MODEL["asb_categories"]
_ASB_LOCATION_MIX = _MODEL["asb_locations"]
_ASB_LOCATION_OF_PLACE = _MODEL["asb_location_of_place"]
_WARD_BY_MSOA = tuple(_MODEL["ward_by_msoa"])
_BEAT_WARDS = {beat: tuple(wards) for beat, wards in _MODEL["beat_wards"].items()}


@dataclass(frozen=True)
class _Mix:
    """Weighted choices per key: each row of `cumulative` runs up to 1 over `items`."""

    keys: pd.Index
    items: np.ndarray
    cumulative: np.ndarray  # key x item

    def draw(self, keys: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """For each key, one item drawn by that key's weights."""
        row = self.keys.get_indexer(keys)
        if (row < 0).any():
            raise ValueError(f"no weights for {sorted(set(keys[row < 0]))}")
        picked = (rng.random(len(keys))[:, None] >= self.cumulative[row]).sum(axis=1)
        return self.items[np.minimum(picked, self.items.size - 1)]


def _mix(weights: Mapping[str, Mapping[str, float]]) -> _Mix:
    """The weights as a table of cumulative probabilities."""
    table = pd.DataFrame.from_dict(weights, orient="index").fillna(0.0)
    cumulative = table.to_numpy(dtype=float).cumsum(axis=1)
    return _Mix(
        keys=table.index,
        items=table.columns.to_numpy(dtype=object),
        cumulative=cumulative / cumulative[:, -1:],
    )


@dataclass(frozen=True)
class _Mixes:
    """The checked choice tables the extract draws from."""

    subgroup: _Mix  # by police.uk crime type
    outcome_type: _Mix  # by police.uk last outcome
    group_of: dict[str, str]


@lru_cache(maxsize=1)
def _mixes() -> _Mixes:
    """The choice tables, checked against the police.uk and Home Office vocabularies."""
    vocabulary, taxonomy = police_uk(), home_office()
    subgroups = {sub for mix in _SUBGROUP_MIX.values() for sub in mix}
    codes = {code for mix in _OUTCOME_TYPE_MIX.values() for code in mix} - {""}
    checks = {
        "crime types": set(_SUBGROUP_MIX) == set(vocabulary.crime_types_excluding_asb),
        "subgroups": subgroups == set(taxonomy.subgroups) == set(_DOMESTIC_ABUSE_SHARE),
        "hate-prone subgroups": set(_HATE_PRONE_SUBGROUPS) <= subgroups,
        "outcome wordings": set(_OUTCOME_TYPE_MIX) == {*vocabulary.outcomes, ""},
        "outcome types": codes <= set(taxonomy.outcome_codes),
        "outcome lags": codes | {""} == set(_OUTCOME_LAG_MEAN_DAYS),
        "risk levels": set(_DA_RISK_MIX) - {_NO_RISK_ASSESSMENT} == set(taxonomy.risk_levels),
        "wards": sorted({*_WARD_BY_MSOA}) == sorted(w for ws in _BEAT_WARDS.values() for w in ws),
    }
    failed = [name for name, ok in checks.items() if not ok]
    if failed:
        raise RuntimeError(f"force extract tables do not match the vocabularies: {failed}")
    return _Mixes(
        subgroup=_mix(_SUBGROUP_MIX),
        outcome_type=_mix(_OUTCOME_TYPE_MIX),
        group_of=taxonomy.group_of,
    )


def write_force_extract(
    street_folder: Path,
    out_folder: Path,
    district: str = SAMPLE_DISTRICT,
    seed: int = _DEFAULT_SEED,
) -> tuple[Path, Path]:
    """Write the district's force extract (crimes and ASB CSVs) derived from its street files."""
    mixes = _mixes()
    rows, last_month = _read_street_files(Path(street_folder), district)
    is_asb = rows["Crime type"] == police_uk().anti_social_behaviour
    crime_rows = rows[~is_asb].drop_duplicates("Crime ID")  # one row per crime
    crimes = _crimes(crime_rows, district, last_month, seed, mixes)
    incidents = _asb_incidents(rows[is_asb], district, seed)

    out_folder = Path(out_folder)
    out_folder.mkdir(parents=True, exist_ok=True)
    slug = _slug(district)
    crimes_path, asb_path = out_folder / f"{slug}-crimes.csv", out_folder / f"{slug}-asb.csv"
    write_csv_atomically(_columns(crimes, CRIMES_HEADER), crimes_path)
    write_csv_atomically(_columns(incidents, ASB_HEADER), asb_path)
    return crimes_path, asb_path


def _read_street_files(folder: Path, district: str) -> tuple[pd.DataFrame, str | None]:
    """The district's street-file rows in file order, and the newest month of any file."""
    columns = [*_STREET_COLUMNS, _OUTCOME_COLUMN]
    frames = [
        pd.read_csv(path, dtype=str, keep_default_na=False, usecols=columns)
        for path in sorted(folder.rglob("*-street.csv"))
    ]
    if not frames:
        return pd.DataFrame(columns=columns, dtype=object), None
    rows = pd.concat(frames, ignore_index=True)
    last_month = rows["Month"].max() if len(rows) else None
    name = rows["LSOA name"]
    in_district = name.str.startswith(f"{district} ") & (name.str.len() > len(district) + 1)
    return rows[in_district].reset_index(drop=True), last_month


def _crimes(
    rows: pd.DataFrame, district: str, last_month: str | None, seed: int, mixes: _Mixes
) -> pd.DataFrame:
    """The extract's crime rows, sorted by recorded date then reference."""
    drawn = _by_month(rows, seed, _CRIME_STREAM, partial(_crime_details, mixes=mixes))
    recorded = drawn["recorded"].to_numpy()
    outcome_date = recorded + drawn["lag_days"].to_numpy().astype("timedelta64[D]")
    has_outcome = drawn["outcome_type"].to_numpy() != ""
    if last_month is not None:
        has_outcome &= outcome_date <= _last_day(last_month)
    beat, ward = _beat_and_ward(drawn["LSOA name"], district)
    table = pd.DataFrame(
        {
            "crime_ref": _references(drawn, _CRIME_REF_PREFIX, seed, _CRIME_REF_STREAM),
            "recorded_date": _iso_dates(recorded),
            "offence_group": drawn["offence_subgroup"].map(mixes.group_of),
            "offence_subgroup": drawn["offence_subgroup"],
            "domestic_abuse": _yes_no(drawn["domestic_abuse"]),
            "da_risk": drawn["da_risk"],
            "hate_crime": _yes_no(drawn["hate_crime"]),
            "racially_religiously_aggravated": _yes_no(drawn["aggravated"]),
            "outcome_type": np.where(has_outcome, drawn["outcome_type"], ""),
            "outcome_date": np.where(has_outcome, _iso_dates(outcome_date), ""),
            "beat": beat,
            "ward": ward,
            "lsoa_code": drawn["LSOA code"],
        }
    )
    return table.sort_values(["recorded_date", "crime_ref"], ignore_index=True)


def _crime_details(rows: pd.DataFrame, rng: np.random.Generator, mixes: _Mixes) -> pd.DataFrame:
    """One month's crimes with their invented detail: subgroup, flags, outcome type and lag."""
    size = len(rows)
    subgroup = mixes.subgroup.draw(rows["Crime type"].to_numpy(), rng)
    domestic = rng.random(size) < pd.Series(subgroup).map(_DOMESTIC_ABUSE_SHARE).to_numpy()
    risk = _choose(_DA_RISK_MIX, size, rng)
    hate_prone = np.isin(subgroup, _HATE_PRONE_SUBGROUPS)
    hate = rng.random(size) < np.where(hate_prone, _HATE_SHARE_PRONE, _HATE_SHARE_OTHER)
    aggravated = hate & hate_prone & (rng.random(size) < _AGGRAVATED_SHARE_OF_HATE)
    outcome_type = mixes.outcome_type.draw(rows[_OUTCOME_COLUMN].to_numpy(), rng)
    mean_lag = pd.Series(outcome_type).map(_OUTCOME_LAG_MEAN_DAYS).to_numpy()
    lag = np.minimum(np.floor(rng.exponential(mean_lag)), _MAX_OUTCOME_LAG_DAYS)
    return rows.assign(
        offence_subgroup=subgroup,
        domestic_abuse=domestic,
        da_risk=np.where(domestic, risk, ""),
        hate_crime=hate,
        aggravated=aggravated,
        outcome_type=outcome_type,
        lag_days=lag.astype(np.int64),
    )


def _asb_incidents(rows: pd.DataFrame, district: str, seed: int) -> pd.DataFrame:
    """The extract's ASB rows, sorted by date then reference."""
    drawn = _by_month(rows, seed, _ASB_STREAM, _asb_details)
    beat, ward = _beat_and_ward(drawn["LSOA name"], district)
    table = pd.DataFrame(
        {
            "incident_ref": _references(drawn, _ASB_REF_PREFIX, seed, _ASB_REF_STREAM),
            "date": _iso_dates(drawn["recorded"].to_numpy()),
            "asb_category": drawn["asb_category"],
            "location_type": drawn["location_type"],
            "beat": beat,
            "ward": ward,
            "lsoa_code": drawn["LSOA code"],
        }
    )
    return table.sort_values(["date", "incident_ref"], ignore_index=True)


def _asb_details(rows: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One month's incidents with a category and a location type (from a named place if any)."""
    size = len(rows)
    category = _choose(_ASB_CATEGORY_MIX, size, rng)
    drawn_location = _choose(_ASB_LOCATION_MIX, size, rng)
    place = rows["Location"].str.removeprefix(_PLACE_PREFIX).map(_ASB_LOCATION_OF_PLACE)
    return rows.assign(
        asb_category=category,
        location_type=place.fillna(pd.Series(drawn_location, index=rows.index)),
    )


_Details = Callable[[pd.DataFrame, np.random.Generator], pd.DataFrame]


def _by_month(rows: pd.DataFrame, seed: int, stream: int, details: _Details) -> pd.DataFrame:
    """Each month's rows with a recorded date and its `details`, drawn from its own seed."""
    months = []
    for month, group in rows.groupby("Month", sort=True):
        year, number = (int(part) for part in str(month).split("-"))
        rng = np.random.default_rng([seed, year, number, stream])
        days = calendar.monthrange(year, number)[1]
        first_day = np.datetime64(f"{month}-01", "D")
        recorded = first_day + rng.integers(0, days, len(group)).astype("timedelta64[D]")
        months.append(details(group.assign(recorded=recorded), rng))
    if not months:
        empty = rows.assign(recorded=np.array([], dtype="datetime64[D]"))
        return details(empty, np.random.default_rng([seed, stream]))
    return pd.concat(months, ignore_index=True)


def _references(drawn: pd.DataFrame, prefix: str, seed: int, stream: int) -> np.ndarray:
    """Unique references like `WC/2024/012345`, rising through each year in recorded order."""
    recorded = drawn["recorded"].to_numpy()
    order = np.lexsort((np.arange(len(drawn)), recorded))  # ties keep the street files' order
    year = recorded.astype("datetime64[Y]").astype(int) + 1970
    number = np.zeros(len(drawn), dtype=np.int64)
    for this_year in np.unique(year):
        in_year = order[year[order] == this_year]
        rng = np.random.default_rng([seed, int(this_year), stream])
        gaps = rng.integers(1, 2 * _FORCE_RECORDS_PER_DISTRICT_RECORD, in_year.size)
        number[in_year] = np.cumsum(gaps)
    year_text = pd.Series(year, dtype=np.int64).astype(str)
    number_text = pd.Series(number).astype(str).str.zfill(_REF_DIGITS)
    return (prefix + "/" + year_text + "/" + number_text).to_numpy(dtype=object)


def _beat_and_ward(lsoa_name: pd.Series, district: str) -> tuple[np.ndarray, np.ndarray]:
    """Each LSOA's neighbourhood beat and ward, from the number in its name."""
    suffix = lsoa_name.str.slice(len(district) + 1)
    msoa = pd.to_numeric(suffix.str.extract(r"(\d+)", expand=False), errors="coerce")
    position = (msoa.fillna(1).astype(np.int64).to_numpy() - 1) % len(_WARD_BY_MSOA)
    ward = np.array(_WARD_BY_MSOA, dtype=object)[position]
    beat_of = {ward: beat for beat, wards in _BEAT_WARDS.items() for ward in wards}
    return pd.Series(ward).map(beat_of).to_numpy(dtype=object), ward


def _choose(weights: Mapping[str, float], size: int, rng: np.random.Generator) -> np.ndarray:
    """`size` items drawn from one set of weights."""
    probability = np.array(list(weights.values()), dtype=float)
    items = np.array(list(weights), dtype=object)
    return rng.choice(items, size=size, p=probability / probability.sum())


def _iso_dates(dates: np.ndarray) -> np.ndarray:
    """Day dates as `YYYY-MM-DD` text."""
    return np.datetime_as_string(dates.astype("datetime64[D]"), unit="D").astype(object)


def _yes_no(flags: pd.Series) -> np.ndarray:
    """A boolean flag as the extract's Y/N."""
    return np.where(flags.to_numpy(dtype=bool), _YES, _NO).astype(object)


def _last_day(month: str) -> np.datetime64:
    """The last day of a `YYYY-MM` month."""
    year, number = (int(part) for part in month.split("-"))
    return np.datetime64(f"{month}-{calendar.monthrange(year, number)[1]:02d}", "D")


def _slug(district: str) -> str:
    """A district name as a file-name slug: `Ashworth Vale` becomes `ashworth-vale`."""
    return re.sub(r"[^a-z0-9]+", "-", district.lower()).strip("-")


def _columns(table: pd.DataFrame, header: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The table's columns in header order, as the CSV writer takes them."""
    return {name: table[name].to_numpy(dtype=object) for name in header}
