"""The embedded sample data: a fictional police force's data.police.uk monthly street files.

Everything here is invented (force, districts, LSOAs, streets, coordinates); only the file format,
the vocabulary and the rough volumes, mixes and quirks follow the real police.uk downloads. The
districts and how each kind of record behaves are data, in `data/police_uk.yaml`; this module
holds the method that turns them into rows.
"""

from __future__ import annotations

import calendar
import csv
import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from pipeline.errors import ParameterError
from pipeline.taxonomy import police_uk

SAMPLE_FORCE = "Wealdmoor Constabulary"
SAMPLE_DISTRICT = "Ashworth Vale"
SAMPLE_FIRST_MONTH = "2022-04"
SAMPLE_LAST_MONTH = "2026-03"

_FORCE_SLUG = "wealdmoor"
_DEFAULT_SEED = 20250401
_GEOGRAPHY_SEED = 7_140_523  # the invented map stays the same whatever `seed` the rows use
_MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

_ASB = "Anti-social behaviour"
_SHOPLIFTING = "Shoplifting"
_DRUGS = "Drugs"
_OTHER_CRIME = "Other crime"
_NO_LOCATION = "No Location"

# Trends are relative to this month (the middle of the sample) and stop growing after _TREND_CAP.
_TREND_CENTRE_MONTH = "2024-04"
_TREND_CAP_YEARS = 4.0
_AVERAGE_MONTH_DAYS = 365.25 / 12

_NO_LOCATION_SHARE = 0.006  # of the force's located rows
_NO_LOCATION_ASB_WEIGHT = 0.1  # ASB rarely lacks a location
_SHARED_ID_PAIRS_PER_MONTH = 4.0  # crimes published twice, at two locations
_UNDER_INVESTIGATION_NEWEST = 0.45  # share of the newest month's crimes not yet finalised
_UNDER_INVESTIGATION_DECAY_MONTHS = 1.2
_AWAITING_COURT_NEWEST = 0.5  # share of the newest month's charged crimes not yet in court
_AWAITING_COURT_DECAY_MONTHS = 4.0


@dataclass(frozen=True)
class _DistrictSpec:
    """An invented local authority district: its LSOAs, volume and place on the map."""

    name: str
    lsoa_count: int
    monthly_rows: float  # crimes + ASB a month at scale 1, at the trend centre
    centre_offset: tuple[float, float]  # (longitude, latitude) degrees from the region centre
    spread: float  # degrees: how far its LSOAs lie from its centre
    hotspots: int  # town-centre LSOAs with far more incidents
    in_force: bool = True


@dataclass(frozen=True)
class _TypeProfile:
    """How one police.uk category behaves: volume, trend, season and outcomes."""

    share: float  # of a district's rows at the trend centre (all types sum to 1)
    yearly_change: float  # multiplier per year: 0.88 is a fall of 12% a year
    summer_peak: float  # seasonal amplitude; negative means a winter peak
    positive_rate: float  # share of crimes with a positive outcome
    no_suspect_rate: float  # share of the other crimes closed with no suspect identified


MODEL_FILE = Path(__file__).parent / "data" / "police_uk.yaml"  # districts, types, outcomes
_MODEL = yaml.safe_load(MODEL_FILE.read_text(encoding="utf-8"))
_REGION_CENTRE = tuple(_MODEL["region_centre"])
_DISTRICTS = tuple(
    _DistrictSpec(**spec | {"centre_offset": tuple(spec["centre_offset"])})
    for spec in _MODEL["districts"]
)
_ASB_SHARE = _MODEL["asb_share"]
_CRIME_SHARE = 1 - _ASB_SHARE
_TYPE_PROFILES: dict[str, _TypeProfile] = {
    _ASB: _TypeProfile(_ASB_SHARE, positive_rate=0.0, no_suspect_rate=0.0, **_MODEL["asb"]),
    **{
        name: _TypeProfile(**profile | {"share": _CRIME_SHARE * profile["share"]})
        for name, profile in _MODEL["crime_types"].items()
    },
}

_COURT_RESULT = "Court result unavailable"
_AWAITING_COURT = "Awaiting court outcome"
_UNDER_INVESTIGATION = "Under investigation"
_NO_SUSPECT = "Investigation complete; no suspect identified"
_POSITIVE_MIX_DEFAULT = _MODEL["positive_outcomes"]["default"]
_POSITIVE_MIXES = {
    name: mix for name, mix in _MODEL["positive_outcomes"].items() if name != "default"
}
_OTHER_NEGATIVE_MIX = _MODEL["other_negative_outcomes"]

_PLACE_LABELS = tuple(_MODEL["place_labels"])
_TOWN_CENTRE_LABELS = tuple(_MODEL["town_centre_labels"])
_RETAIL_LABELS = frozenset(_MODEL["retail_labels"])
_STREET_FIRST_PARTS = tuple(_MODEL["street_first_parts"])
_STREET_SUFFIXES = tuple(_MODEL["street_suffixes"])


@dataclass(frozen=True)
class _Geography:
    """The invented map: districts, their LSOAs and each LSOA's snap points."""

    district_monthly_rows: np.ndarray  # per district
    district_in_force: np.ndarray
    lsoa_code: np.ndarray  # per LSOA, grouped by district, by name within a district
    lsoa_name: np.ndarray
    lsoa_rank: np.ndarray  # position in code order, which is also name order
    lsoa_cumulative: np.ndarray  # per weighting (0 general, 1 retail) x LSOA, see _pick_within
    point_lsoa: np.ndarray  # per snap point, grouped by LSOA
    point_longitude: np.ndarray  # as written: six decimals
    point_latitude: np.ndarray
    point_location: np.ndarray
    point_cumulative: np.ndarray  # per weighting (0 general, 1 retail) x snap point


@dataclass(frozen=True)
class _Types:
    """The categories in police.uk order with their profiles as arrays."""

    names: np.ndarray
    is_asb: np.ndarray
    uses_retail_weighting: np.ndarray
    share: np.ndarray
    yearly_change: np.ndarray
    summer_peak: np.ndarray
    sort_rank: np.ndarray  # police.uk lists "Other crime" after the other types in an LSOA
    outcome_names: np.ndarray
    outcome_cumulative: np.ndarray  # type x outcome
    court_outcome: int  # index in outcome_names of the outcome that may still await court


def write_force_files(
    folder: Path,
    first_month: str,
    last_month: str,
    scale: float = 1.0,
    seed: int = _DEFAULT_SEED,
) -> list[Path]:
    """Write one police.uk street CSV per month for the fictional force; return the paths."""
    first, last = _month_index(first_month, "first_month"), _month_index(last_month, "last_month")
    if first > last:
        raise ParameterError("first_month", first_month, f"a month no later than {last_month}")
    if not (math.isfinite(scale) and scale > 0):
        raise ParameterError("scale", scale, "a positive number")
    if seed < 0:
        raise ParameterError("seed", seed, "a non-negative integer")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(first, last + 1):
        month = _month_text(index)
        rows = _month_rows(index, months_before_last=last - index, scale=scale, seed=seed)
        path = folder / f"{month}-{_FORCE_SLUG}-street.csv"
        write_csv_atomically(rows, path)
        paths.append(path)
    return paths


def _month_index(month: str, name: str) -> int:
    """A `YYYY-MM` month as a count of months since year 0."""
    match = _MONTH_PATTERN.match(str(month))
    if match is None:
        raise ParameterError(name, month, "a month written YYYY-MM")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def _month_text(index: int) -> str:
    """A month count as `YYYY-MM`."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _days_in_month(index: int) -> int:
    """Calendar days in the month."""
    return calendar.monthrange(index // 12, index % 12 + 1)[1]


def _month_rows(
    index: int, months_before_last: int, scale: float, seed: int
) -> dict[str, np.ndarray]:
    """Every row of one month's street file, sorted as police.uk sorts them."""
    geography, types = _geography(), _types()
    rng = np.random.default_rng([seed, index])

    expected = _expected_counts(index, geography, types) * scale
    counts = rng.poisson(expected)
    district = np.repeat(np.arange(counts.shape[0]), counts.sum(axis=1))
    crime_type = np.concatenate([np.repeat(np.arange(counts.shape[1]), row) for row in counts])
    weighting = types.uses_retail_weighting[crime_type].astype(np.intp)
    lsoa = _pick_within(geography.lsoa_cumulative, weighting, district, rng)
    point = _pick_within(geography.point_cumulative, weighting, lsoa, rng)

    unlocated_types = _unlocated_types(expected, types, rng)
    crime_type = np.concatenate([crime_type, unlocated_types])
    point = np.concatenate([point, np.full(unlocated_types.size, -1)])

    outcome = _outcomes(crime_type, months_before_last, types, rng)
    crime_id = _crime_ids(types.is_asb[crime_type], rng)
    point, crime_type, outcome, crime_id = _add_shared_ids(
        point, crime_type, outcome, crime_id, scale, geography, rng
    )
    return _as_street_file(index, point, crime_type, outcome, crime_id, geography, types)


def _expected_counts(index: int, geography: _Geography, types: _Types) -> np.ndarray:
    """Mean rows a month at scale 1, district x type, with season and trend."""
    years_from_centre = (index - _month_index(_TREND_CENTRE_MONTH, "trend")) / 12
    years_from_centre = float(np.clip(years_from_centre, -_TREND_CAP_YEARS, _TREND_CAP_YEARS))
    calendar_month = index % 12 + 1
    season = 1 + types.summer_peak * math.cos(2 * math.pi * (calendar_month - 7) / 12)
    trend = types.yearly_change**years_from_centre
    month_length = _days_in_month(index) / _AVERAGE_MONTH_DAYS
    per_type = types.share * season * trend * month_length
    return np.outer(geography.district_monthly_rows, per_type)


def _pick_within(
    cumulative: np.ndarray, weighting: np.ndarray, group: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """For each row, an item of its group drawn by weight (cumulative runs from g to g+1)."""
    target = group + rng.random(group.size)
    picked = np.empty(group.size, dtype=np.intp)
    for kind in range(cumulative.shape[0]):
        rows = weighting == kind
        picked[rows] = np.searchsorted(cumulative[kind], target[rows], side="right")
    return picked


def _unlocated_types(expected: np.ndarray, types: _Types, rng: np.random.Generator) -> np.ndarray:
    """Crime types of the month's rows published with no location (at least one)."""
    in_force = expected[_geography().district_in_force]
    count = max(1, int(rng.poisson(in_force.sum() * _NO_LOCATION_SHARE)))
    weights = in_force.sum(axis=0) * np.where(types.is_asb, _NO_LOCATION_ASB_WEIGHT, 1.0)
    return rng.choice(types.names.size, size=count, p=weights / weights.sum())


def _outcomes(
    crime_type: np.ndarray, months_before_last: int, types: _Types, rng: np.random.Generator
) -> np.ndarray:
    """Each row's last outcome index (-1 for ASB); the newest months are still open."""
    draw, still_open = rng.random(crime_type.size), rng.random(crime_type.size)
    cumulative = types.outcome_cumulative[crime_type]
    outcome = (draw[:, None] > cumulative).sum(axis=1).clip(max=cumulative.shape[1] - 1)
    awaiting_court = _AWAITING_COURT_NEWEST * math.exp(
        -months_before_last / _AWAITING_COURT_DECAY_MONTHS
    )
    under_investigation = _UNDER_INVESTIGATION_NEWEST * math.exp(
        -months_before_last / _UNDER_INVESTIGATION_DECAY_MONTHS
    )
    names = list(types.outcome_names)
    at_court = outcome == types.court_outcome
    outcome[at_court & (still_open < awaiting_court)] = names.index(_AWAITING_COURT)
    open_case = ~at_court & (still_open < under_investigation)
    outcome[open_case] = names.index(_UNDER_INVESTIGATION)
    outcome[types.is_asb[crime_type]] = -1
    return outcome


def _crime_ids(is_asb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A 64-hex-character Crime ID per crime row, empty for ASB."""
    digits = rng.bytes(32 * is_asb.size).hex()
    ids = np.array([digits[64 * i : 64 * (i + 1)] for i in range(is_asb.size)], dtype=object)
    ids[is_asb] = ""
    return ids


def _add_shared_ids(
    point: np.ndarray,
    crime_type: np.ndarray,
    outcome: np.ndarray,
    crime_id: np.ndarray,
    scale: float,
    geography: _Geography,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Republish a handful of located crimes at a second snap point of the same LSOA."""
    candidates = np.flatnonzero((crime_id != "") & (point >= 0))
    count = min(int(rng.poisson(_SHARED_ID_PAIRS_PER_MONTH * scale)), candidates.size)
    original = np.sort(rng.choice(candidates, size=count, replace=False))
    lsoa = geography.point_lsoa[point[original]]
    first_point = np.searchsorted(geography.point_lsoa, lsoa, side="left")
    points_in_lsoa = np.searchsorted(geography.point_lsoa, lsoa, side="right") - first_point
    step = 1 + rng.integers(0, np.maximum(points_in_lsoa - 1, 1))
    second = first_point + (point[original] - first_point + step) % points_in_lsoa
    return (
        np.concatenate([point, second]),
        np.concatenate([crime_type, crime_type[original]]),
        np.concatenate([outcome, outcome[original]]),
        np.concatenate([crime_id, crime_id[original]]),
    )


def _as_street_file(
    index: int,
    point: np.ndarray,
    crime_type: np.ndarray,
    outcome: np.ndarray,
    crime_id: np.ndarray,
    geography: _Geography,
    types: _Types,
) -> dict[str, np.ndarray]:
    """The rows as a police.uk street file: its columns, by LSOA then type, unlocated last."""
    located = point >= 0
    safe_point = np.where(located, point, 0)
    lsoa = np.where(located, geography.point_lsoa[safe_point], geography.lsoa_code.size)
    rank = np.append(geography.lsoa_rank, geography.lsoa_rank.size)[lsoa]
    order = np.lexsort((types.sort_rank[crime_type], rank))
    point, located, lsoa = safe_point[order], located[order], lsoa[order]
    crime_type, outcome, crime_id = crime_type[order], outcome[order], crime_id[order]

    lsoa_code = np.append(geography.lsoa_code, "")
    lsoa_name = np.append(geography.lsoa_name, "")
    outcome_name = np.append(types.outcome_names, "")  # index -1 is ASB's empty outcome
    columns = {
        "Crime ID": crime_id,
        "Month": _month_text(index),
        "Reported by": SAMPLE_FORCE,
        "Falls within": SAMPLE_FORCE,
        "Longitude": np.where(located, geography.point_longitude[point], ""),
        "Latitude": np.where(located, geography.point_latitude[point], ""),
        "Location": np.where(located, geography.point_location[point], _NO_LOCATION),
        "LSOA code": lsoa_code[lsoa],
        "LSOA name": lsoa_name[lsoa],
        "Crime type": types.names[crime_type],
        "Last outcome category": outcome_name[outcome],
        "Context": "",
    }
    return {
        name: np.broadcast_to(np.asarray(columns[name], dtype=object), crime_id.shape)
        for name in police_uk().file_header
    }


def write_csv_atomically(columns: dict[str, np.ndarray], path: Path) -> None:
    """Write the street file under a temporary name beside it, then move it into place."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(zip(*columns.values(), strict=True))
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@lru_cache(maxsize=1)
def _types() -> _Types:
    """The police.uk categories with their invented behaviour, checked against the vocabulary."""
    vocabulary = police_uk()
    names = list(vocabulary.crime_types)
    if set(names) != set(_TYPE_PROFILES):
        raise RuntimeError("sample crime-type profiles do not match the police.uk vocabulary")
    profiles = [_TYPE_PROFILES[name] for name in names]
    outcome_names = [o for o in vocabulary.outcomes if o in _used_outcomes()]
    if set(outcome_names) != _used_outcomes():
        raise RuntimeError("sample outcome wordings are not all in the police.uk vocabulary")
    probabilities = np.array(
        [_outcome_probabilities(n, p, outcome_names) for n, p in zip(names, profiles, strict=True)]
    )
    return _Types(
        names=_frozen(np.array(names, dtype=object)),
        is_asb=_frozen(np.array([name == _ASB for name in names])),
        uses_retail_weighting=_frozen(np.array([name == _SHOPLIFTING for name in names])),
        share=_frozen(np.array([p.share for p in profiles])),
        yearly_change=_frozen(np.array([p.yearly_change for p in profiles])),
        summer_peak=_frozen(np.array([p.summer_peak for p in profiles])),
        sort_rank=_frozen(
            np.array([len(names) if n == _OTHER_CRIME else i for i, n in enumerate(names)])
        ),
        outcome_names=_frozen(np.array(outcome_names, dtype=object)),
        outcome_cumulative=_frozen(probabilities.cumsum(axis=1)),
        court_outcome=outcome_names.index(_COURT_RESULT),
    )


def _used_outcomes() -> set[str]:
    """Every outcome wording the sample can write."""
    used = {_NO_SUSPECT, _UNDER_INVESTIGATION, *_POSITIVE_MIX_DEFAULT, *_OTHER_NEGATIVE_MIX}
    for mix in _POSITIVE_MIXES.values():
        used.update(mix)
    return used


def _outcome_probabilities(
    name: str, profile: _TypeProfile, outcome_names: list[str]
) -> list[float]:
    """Probability of each outcome wording for a crime of this type, once finalised."""
    if name == _ASB:
        return [1.0] + [0.0] * (len(outcome_names) - 1)  # never used: ASB has no outcome
    negative = 1 - profile.positive_rate
    probability = dict.fromkeys(outcome_names, 0.0)
    for outcome, share in _POSITIVE_MIXES.get(name, _POSITIVE_MIX_DEFAULT).items():
        probability[outcome] += profile.positive_rate * share
    probability[_NO_SUSPECT] += negative * profile.no_suspect_rate
    for outcome, share in _OTHER_NEGATIVE_MIX.items():
        probability[outcome] += negative * (1 - profile.no_suspect_rate) * share
    return [probability[outcome] for outcome in outcome_names]


@lru_cache(maxsize=1)
def _geography() -> _Geography:
    """Build the invented map once, from a fixed seed."""
    rng = np.random.default_rng(_GEOGRAPHY_SEED)
    lsoas = pd.concat(
        [_district_lsoas(number, spec, rng) for number, spec in enumerate(_DISTRICTS)],
        ignore_index=True,
    )
    lsoas = lsoas.sort_values(["district", "name"], ignore_index=True)
    # Codes follow name order so that sorting by code and by name agree, as in police.uk files.
    by_name = lsoas["name"].rank(method="first").astype(int)
    lsoas["code"] = [f"E019{90000 + rank:05d}" for rank in by_name]
    points = pd.concat(
        [_snap_points(lsoa, row, rng) for lsoa, row in enumerate(lsoas.itertuples())],
        ignore_index=True,
    )
    lsoas["has_retail"] = points.groupby("lsoa")["location"].agg(
        lambda labels: labels.isin(_RETAIL_LABELS).any()
    )
    retail_boost = np.where(lsoas["has_retail"], 8.0, 1.0)
    point_retail_boost = np.where(points["location"].isin(_RETAIL_LABELS), 15.0, 1.0)
    return _Geography(
        district_monthly_rows=_frozen(np.array([spec.monthly_rows for spec in _DISTRICTS])),
        district_in_force=_frozen(np.array([spec.in_force for spec in _DISTRICTS])),
        lsoa_code=_frozen(lsoas["code"].to_numpy(dtype=object)),
        lsoa_name=_frozen(lsoas["name"].to_numpy(dtype=object)),
        lsoa_rank=_frozen(by_name.to_numpy() - 1),
        lsoa_cumulative=_frozen(
            np.stack(
                [
                    _group_cumulative(lsoas["district"], lsoas["weight"]),
                    _group_cumulative(lsoas["district"], lsoas["weight"] * retail_boost),
                ]
            )
        ),
        point_lsoa=_frozen(points["lsoa"].to_numpy()),
        point_longitude=_frozen(np.array([f"{x:.6f}" for x in points["longitude"]], dtype=object)),
        point_latitude=_frozen(np.array([f"{y:.6f}" for y in points["latitude"]], dtype=object)),
        point_location=_frozen(points["location"].to_numpy(dtype=object)),
        point_cumulative=_frozen(
            np.stack(
                [
                    _group_cumulative(points["lsoa"], points["weight"]),
                    _group_cumulative(points["lsoa"], points["weight"] * point_retail_boost),
                ]
            )
        ),
    )


def _district_lsoas(number: int, spec: _DistrictSpec, rng: np.random.Generator) -> pd.DataFrame:
    """One district's LSOAs: name, weight and centre."""
    names = _lsoa_names(spec, rng)
    weight = rng.lognormal(0.0, 0.6, size=len(names))
    hotspot = np.zeros(len(names), dtype=bool)
    hotspot[rng.choice(len(names), size=spec.hotspots, replace=False)] = True
    weight[hotspot] *= 6.0
    centre_longitude = _REGION_CENTRE[0] + spec.centre_offset[0]
    centre_latitude = _REGION_CENTRE[1] + spec.centre_offset[1]
    # Town-centre LSOAs sit at the district's centre; the rest spread around it.
    spread = np.where(hotspot, spec.spread * 0.05, spec.spread)
    return pd.DataFrame(
        {
            "district": number,
            "name": names,
            "weight": weight,
            "hotspot": hotspot,
            "longitude": centre_longitude + rng.normal(0.0, 1.0, len(names)) * spread * 1.6,
            "latitude": centre_latitude + rng.normal(0.0, 1.0, len(names)) * spread,
        }
    )


def _lsoa_names(spec: _DistrictSpec, rng: np.random.Generator) -> list[str]:
    """LSOA names like `Ashworth Vale 004B`: 3-6 lettered LSOAs per numbered MSOA."""
    if spec.in_force:
        msoas = range(1, spec.lsoa_count + 1)
    else:  # a neighbour's border LSOAs come from scattered MSOAs
        msoas = sorted(rng.choice(np.arange(1, 30), size=spec.lsoa_count, replace=False))
    names: list[str] = []
    for msoa in msoas:
        per_msoa = int(rng.integers(3, 7)) if spec.in_force else 1
        first_letter = 0 if spec.in_force else int(rng.integers(0, 4))
        for letter in "ABCDEF"[first_letter : first_letter + per_msoa]:
            names.append(f"{spec.name} {int(msoa):03d}{letter}")
    return names[: spec.lsoa_count]


def _snap_points(lsoa: int, row: object, rng: np.random.Generator) -> pd.DataFrame:
    """An LSOA's snap points: the anonymised places police.uk moves incidents to."""
    count = int(rng.integers(14, 24)) if row.hotspot else int(rng.integers(6, 16))
    labels = [_street_name(rng) for _ in range(count)]
    for slot in range(count):
        roll = rng.random()
        if roll < 0.2:
            labels[slot] = str(rng.choice(_PLACE_LABELS))
        elif roll < 0.21:
            labels[slot] = ""  # police.uk sometimes publishes a bare "On or near "
    if row.hotspot:
        labels[: len(_TOWN_CENTRE_LABELS)] = list(_TOWN_CENTRE_LABELS)[:count]
    is_place = np.array(
        [label in _PLACE_LABELS or label in _TOWN_CENTRE_LABELS for label in labels]
    )
    return pd.DataFrame(
        {
            "lsoa": lsoa,
            "longitude": np.round(row.longitude + rng.normal(0.0, 0.006, count), 6),
            "latitude": np.round(row.latitude + rng.normal(0.0, 0.004, count), 6),
            "location": [f"On or near {label}" for label in labels],
            "weight": rng.lognormal(0.0, 0.8, count) * np.where(is_place, 3.0, 1.0),
        }
    )


def _street_name(rng: np.random.Generator) -> str:
    """An invented street name such as `Tannery Lane`."""
    first = _STREET_FIRST_PARTS[int(rng.integers(len(_STREET_FIRST_PARTS)))]
    return f"{first} {_STREET_SUFFIXES[int(rng.integers(len(_STREET_SUFFIXES)))]}"


def _group_cumulative(group: pd.Series, weight: pd.Series) -> np.ndarray:
    """Cumulative weights that run from g to g+1 within each group g (groups contiguous)."""
    normalised = weight / weight.groupby(group).transform("sum")
    cumulative = normalised.groupby(group).cumsum().to_numpy() + group.to_numpy()
    # The last item of each group must end exactly at g+1 so no draw falls past it.
    is_last = np.r_[group.to_numpy()[1:] != group.to_numpy()[:-1], True]
    cumulative[is_last] = group.to_numpy()[is_last] + 1.0
    return cumulative


def _frozen(array: np.ndarray) -> np.ndarray:
    """The array made read-only, so the cached tables cannot be changed by accident."""
    array.flags.writeable = False
    return array
