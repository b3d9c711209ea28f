"""A synthetic national police.uk archive, for timing `make national`: every force's street files.

Invented throughout (forces, authorities, LSOAs, coordinates); only the layout, header, value
formats and rough volumes follow police.uk's bulk archive: month folders `YYYY-MM/`, each with
every force's `YYYY-MM-<force>-street.csv`. 43 forces of realistic, different sizes (the largest
about 18% of all rows, the smallest a few hundred a month), about 500,000 rows a month in all,
with an ONS-style lookup from local authority to partnership to force area: about 314
partnerships, some combining two or three authorities. Each force's files carry a few records
with no location, a few in its neighbour's LSOAs (names no partnership of the force takes) and
a few reported by another force, as real files do.

Columns are built as Arrow arrays (a handful of small pools indexed by numpy) and written by
Arrow's CSV writer, so the whole archive (about 18 million rows, 4 GB) takes a minute or two.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from pipeline.taxonomy import police_uk

FIRST_MONTH = "2022-04"
MONTHS = 36  # April 2022 to March 2025: every quarter of 2024-25 has its 24 compared months
ROWS_PER_MONTH = 500_000
SEED = 20261202
ROWS_PER_LSOA_MONTH = 14  # about the real average (35,000 LSOAs, 500,000 rows a month)
POINTS_PER_LSOA = 5
NO_LOCATION_SHARE = 0.012
NEIGHBOUR_SHARE = 0.004  # rows in the neighbouring force's LSOAs
BORDER_LSOAS = 25  # of the neighbouring force's, where those rows fall
OTHER_REPORTER_SHARE = 0.002  # rows another force reported
COMBINED_EVERY = 20  # one partnership in this many combines several authorities
LOOKUP_FILE = "csp-lookup.csv"
COMPLETE = ".complete"

# Rows a month, roughly as real forces' are (the Met's about 90,000, the City of London's under
# 1,000), scaled to ROWS_PER_MONTH.
FORCE_ROWS = (
    90000, 32000, 30000, 28000, 16000, 16000, 15000, 15000, 14000, 13000, 13000, 13000, 12000,
    11000, 11000, 10000, 9000, 9000, 9000, 8500, 8000, 8000, 8000, 8000, 7000, 6000, 6000, 5500,
    5500, 5500, 5000, 5000, 5000, 5000, 5000, 4500, 4000, 4000, 4000, 3500, 3500, 3000, 700,
)  # fmt: skip
SYLLABLES = ("Ash", "Brad", "Cal", "Dun", "Elm", "Fen", "Gor", "Hal", "Ing", "Kes", "Lam", "Mar")
SYLLABLES += ("Nor", "Oak", "Pen", "Rad", "Sal", "Tam", "Ux", "Wes", "Yar", "Zel")
ENDINGS = ("ford", "ley", "ton", "by", "ham", "wick", "mere", "dale", "field", "worth", "stow")
ENDINGS += ("bury", "combe", "well", "holm", "thorpe")
STREETS = ("Station Road", "High Street", "Church Lane", "Mill Street", "Park Road", "Green Way")
STREETS += ("Supermarket", "Shopping Area", "Parking Area", "Petrol Station", "Bus Stop")
TYPE_SHARES = {
    "Anti-social behaviour": 0.24,
    "Bicycle theft": 0.01,
    "Burglary": 0.04,
    "Criminal damage and arson": 0.07,
    "Drugs": 0.025,
    "Other crime": 0.015,
    "Other theft": 0.065,
    "Possession of weapons": 0.008,
    "Public order": 0.08,
    "Robbery": 0.012,
    "Shoplifting": 0.07,
    "Theft from the person": 0.013,
    "Vehicle crime": 0.05,
    "Violence and sexual offences": 0.297,
}
OUTCOME_SHARES = {
    "Investigation complete; no suspect identified": 0.42,
    "Unable to prosecute suspect": 0.27,
    "Under investigation": 0.07,
    "Status update unavailable": 0.05,
    "Awaiting court outcome": 0.05,
    "Offender given a caution": 0.02,
    "Local resolution": 0.04,
    "Offender fined": 0.02,
    "Offender sent to prison": 0.02,
    "Further investigation is not in the public interest": 0.02,
    "Formal action is not in the public interest": 0.01,
    "Suspect charged as part of another case": 0.01,
}


@dataclass(frozen=True)
class Force:
    """An invented force: its name (Falls within), file-name part, rows a month, LSOAs."""

    name: str
    slug: str
    rows: int
    lsoa_first: int  # its LSOAs are lsoa_first .. lsoa_first + lsoas - 1 of the national list
    lsoas: int


@dataclass(frozen=True)
class Geography:
    """The invented country: forces, each LSOA's code, name and weight, and the lookup rows."""

    forces: tuple[Force, ...]
    lsoa_code: pa.Array
    lsoa_name: pa.Array
    lsoa_weight: np.ndarray
    point_longitude: pa.Array
    point_latitude: pa.Array
    point_location: pa.Array
    lookup: tuple[tuple[str, ...], ...]


def force_name(number: int) -> str:
    """The invented force's name as its files' Falls within writes it."""
    return f"Bench Force {number:02d} Constabulary"


def authority_names(count: int) -> list[str]:
    """count invented local authority names, each one word (`Ashford`, `Bradley`, ...)."""
    names = [f"{first}{ending}" for ending in ENDINGS for first in SYLLABLES]
    if count > len(names):
        names += [f"North {name}" for name in names]
    return names[:count]


@lru_cache(maxsize=1)
def geography() -> Geography:
    """Build the invented country once, from a fixed seed."""
    rng = np.random.default_rng(SEED)
    rows = np.array(FORCE_ROWS, dtype=float)
    rows = np.rint(rows * ROWS_PER_MONTH / rows.sum()).astype(int)
    # Partnerships: about one per 1,450 rows a month, as real forces have (the Met 32).
    partnerships = np.clip(np.rint(rows / 1450), 1, 33).astype(int)
    total_partnerships = int(partnerships.sum())
    combined = set(range(3, total_partnerships, COMBINED_EVERY))
    authorities_of = [3 if number % 2 else 2 for number in sorted(combined)]
    names = iter(authority_names(total_partnerships + sum(authorities_of) - len(combined)))
    extra = dict(zip(sorted(combined), authorities_of, strict=True))
    forces, lookup, codes, lsoa_names, weights = [], [], [], [], []
    partnership_number, authority_number, lsoa_number = 0, 0, 0
    for index, (force_rows, count) in enumerate(zip(rows, partnerships, strict=True), start=1):
        name = force_name(index)
        first_lsoa = lsoa_number
        for _ in range(count):
            partnership_number += 1
            authorities = [next(names) for _ in range(extra.get(partnership_number, 1))]
            csp_name = " and ".join(authorities)
            for authority in authorities:
                authority_number += 1
                lookup.append(
                    (
                        f"E07{authority_number:06d}",
                        authority,
                        f"E22{partnership_number:06d}",
                        csp_name,
                        f"E23{index:06d}",
                        name.removesuffix(" Constabulary"),
                    )
                )
                share = force_rows / count / len(authorities)
                lsoas = max(4, round(share / ROWS_PER_LSOA_MONTH))
                for number in range(1, lsoas + 1):
                    codes.append(f"E01{lsoa_number:06d}")
                    lsoa_names.append(f"{authority} {number:03d}{'ABCDE'[number % 5]}")
                    lsoa_number += 1
                weights.append(rng.gamma(4.0, 1.0, lsoas))
        forces.append(
            Force(
                name,
                f"bench-force-{index:02d}",
                int(force_rows),
                first_lsoa,
                lsoa_number - first_lsoa,
            )
        )
    points = lsoa_number * POINTS_PER_LSOA
    longitude = rng.uniform(-4.5, 1.5, points)
    latitude = rng.uniform(50.5, 55.0, points)
    return Geography(
        tuple(forces),
        pa.array(codes),
        pa.array(lsoa_names),
        np.concatenate(weights),
        pa.array([f"{value:.6f}" for value in longitude]),
        pa.array([f"{value:.6f}" for value in latitude]),
        pa.array([f"On or near {STREETS[i]}" for i in rng.integers(0, len(STREETS), points)]),
        tuple(lookup),
    )


def month_text(index: int) -> str:
    """The archive's index-th month as police.uk writes it: `2022-04`."""
    year, month = divmod(int(FIRST_MONTH[:4]) * 12 + int(FIRST_MONTH[5:]) - 1 + index, 12)
    return f"{year}-{month + 1:02d}"


def _choice(rng: np.random.Generator, cumulative: np.ndarray, size: int) -> np.ndarray:
    """Indices drawn by the cumulative weights (a vectorised weighted choice)."""
    return np.minimum(
        np.searchsorted(cumulative, rng.random(size) * cumulative[-1]), cumulative.size - 1
    )


def force_month(index: int, month: int) -> pa.Table:
    """One force's street file of one month, as a table of police.uk's columns, in order."""
    country = geography()
    force = country.forces[index]
    neighbour = country.forces[(index + 1) % len(country.forces)]
    other_reporter = country.forces[(index - 1) % len(country.forces)]
    rng = np.random.default_rng([SEED, index, month])
    season = 1 + 0.08 * np.sin(2 * np.pi * (month + 3) / 12)
    rows = int(rng.poisson(force.rows * season))
    own = slice(force.lsoa_first, force.lsoa_first + force.lsoas)
    lsoa = force.lsoa_first + _choice(rng, np.cumsum(country.lsoa_weight[own]), rows)
    border = rng.random(rows) < NEIGHBOUR_SHARE
    # Border rows fall in a few of the neighbour's LSOAs, as a real force's do.
    edge = min(BORDER_LSOAS, neighbour.lsoas)
    lsoa[border] = neighbour.lsoa_first + rng.integers(0, edge, int(border.sum()))
    located = rng.random(rows) >= NO_LOCATION_SHARE
    point = lsoa * POINTS_PER_LSOA + rng.integers(0, POINTS_PER_LSOA, rows)
    order = np.lexsort((~located, lsoa))
    lsoa, located, point = lsoa[order], located[order], point[order]
    names = list(TYPE_SHARES)
    crime_type = _choice(rng, np.cumsum(list(TYPE_SHARES.values())), rows)
    is_asb = crime_type == names.index(police_uk().anti_social_behaviour)
    outcome = _choice(rng, np.cumsum(list(OUTCOME_SHARES.values())), rows)
    hex_ids = np.frombuffer(rng.bytes(32 * rows).hex().encode("ascii"), dtype="S64")
    crime_id = pc.if_else(pa.array(is_asb), "", pa.array(hex_ids).cast(pa.string()))
    reporter = np.where(rng.random(rows) < OTHER_REPORTER_SHARE, other_reporter.name, force.name)
    mask = pa.array(~located)
    point_array, lsoa_array = pa.array(point), pa.array(lsoa)
    columns = {
        "Crime ID": crime_id,
        "Month": pa.array(np.full(rows, month_text(month))),
        "Reported by": pa.array(reporter),
        "Falls within": pa.array(np.full(rows, force.name)),
        "Longitude": pc.if_else(mask, "", country.point_longitude.take(point_array)),
        "Latitude": pc.if_else(mask, "", country.point_latitude.take(point_array)),
        "Location": pc.if_else(mask, "No Location", country.point_location.take(point_array)),
        "LSOA code": pc.if_else(mask, "", country.lsoa_code.take(lsoa_array)),
        "LSOA name": pc.if_else(mask, "", country.lsoa_name.take(lsoa_array)),
        "Crime type": pa.array(np.array(names, dtype=object)[crime_type]),
        "Last outcome category": pc.if_else(
            pa.array(is_asb), "", pa.array(np.array(list(OUTCOME_SHARES), dtype=object)[outcome])
        ),
        "Context": pa.array(np.full(rows, "")),
    }
    return pa.table(columns)


def write_table(table: pa.Table, path: Path) -> None:
    """A street file: police.uk's header unquoted, values unquoted (none holds a comma)."""
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "wb") as handle:
        handle.write((",".join(table.column_names) + "\n").encode("utf-8"))
        pa_csv.write_csv(
            table,
            handle,
            pa_csv.WriteOptions(include_header=False, quoting_style="none"),
        )
    partial.replace(path)


def write_month(folder: Path, month: int) -> int:
    """Every force's street file of one month, in its month folder; the rows written."""
    country = geography()
    target = folder / month_text(month)
    target.mkdir(parents=True, exist_ok=True)
    written = 0
    for index, force in enumerate(country.forces):
        table = force_month(index, month)
        write_table(table, target / f"{month_text(month)}-{force.slug}-street.csv")
        written += table.num_rows
    return written


def write_lookup(path: Path) -> Path:
    """The ONS-style lookup from local authority to partnership to force area."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["LAD17CD", "LAD17NM", "CSP17CD", "CSP17NM", "PFA17CD", "PFA17NM", "FID"])
        for number, row in enumerate(geography().lookup, start=1):
            writer.writerow([*row, number])
    return path


def write_archive(folder: Path, months: int = MONTHS, workers: int = 2) -> int:
    """The whole archive into folder (month folders and the lookup); the rows written."""
    folder.mkdir(parents=True, exist_ok=True)
    write_lookup(folder / LOOKUP_FILE)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return sum(pool.map(write_month, [folder] * months, range(months)))


def archive_key() -> str:
    """The cached archive's name: a hash of this generator's code (a change writes it anew)."""
    code = Path(__file__).read_bytes() + f"{MONTHS}:{ROWS_PER_MONTH}".encode()
    return hashlib.sha256(code).hexdigest()[:12]


def cached_archive(cache: Path, say=print) -> Path:
    """The archive under cache/<key>/, written once (in a folder beside, then moved in);
    older archives in cache removed."""
    target = cache / archive_key()
    if (target / COMPLETE).is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.iterdir():  # older archives, and any this one left unfinished
        shutil.rmtree(old, ignore_errors=True)
    free = shutil.disk_usage(cache).free
    if free < 6_000_000_000:
        raise OSError(f"{cache}: {free / 1e9:.1f} GB free; the national archive needs about 4.5 GB")
    partial = cache / f".{target.name}.{os.getpid()}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    say(f"[bench] writing the synthetic national archive into {target} (once; a minute or two)")
    rows = write_archive(partial)
    (partial / COMPLETE).write_text(f"{rows}\n", encoding="utf-8")
    partial.replace(target)
    return target


def archive_rows(folder: Path) -> int:
    """How many rows a cached archive holds (written beside it)."""
    return int((folder / COMPLETE).read_text(encoding="utf-8"))
