"""The ONS lookup from local authority to Community Safety Partnership to police force area.

A force's partnerships come from it, not from hand-written lists: each partnership with the
local authorities it covers (South Nottinghamshire is Broxtowe, Gedling and Rushcliffe). The
ONS publishes it as `LAD17_CSP17_PFA17_lookup_Jan2017.csv` and later editions (`LAD23CD`, ...):
the columns are found by their pattern, whatever the year in their names. Local authorities
merge (West Northamptonshire, Buckinghamshire, Dorset), so the edition is the user's to choose.

police.uk names each LSOA by its local authority, a space, three digits and a letter
(`Amber Valley 001A`); an authority the lookup writes `Bristol, City of` is `Bristol 001A`.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputFileError
from pipeline.sources.police_uk import read_text

COLUMN_PATTERNS = {  # what each column is, by its name in any year's edition
    "authority_code": re.compile(r"^LAD\d{2}CD$", re.I),
    "authority": re.compile(r"^LAD\d{2}NM$", re.I),
    "partnership_code": re.compile(r"^CSP\d{2}CD$", re.I),
    "partnership": re.compile(r"^CSP\d{2}NM$", re.I),
    "force_code": re.compile(r"^PFA\d{2}CD$", re.I),
    "force": re.compile(r"^PFA\d{2}NM$", re.I),
}
MAX_LOOKUP_BYTES = 5_000_000  # the 2017 edition, 380 authorities, is 30 KB
LOOKUP_SIZE = "the ONS's lookup of every local authority is about 30 KB"
FORCE_WORDS = {"police", "constabulary", "service", "force", "the"}  # not in the lookup's names
LSOA_NAME = re.compile(r"^(?P<authority>.+?)\s+\d{3}[A-Za-z]$")
OF_SUFFIX = re.compile(r"^(?P<place>.+?),\s*(?:City|County) of$", re.I)


@dataclass(frozen=True)
class Partnership:
    """One Community Safety Partnership: its ONS code and name, its force area, and the local
    authorities it covers, as police.uk's LSOA names begin."""

    code: str
    name: str
    force: str
    authorities: tuple[str, ...]


def lsoa_prefix(authority: str) -> str:
    """How police.uk's LSOA names begin for a local authority the lookup names:
    `Bristol, City of` is `Bristol`, `Herefordshire, County of` is `Herefordshire`."""
    plain = " ".join(authority.split())
    match = OF_SUFFIX.match(plain)
    return match.group("place") if match else plain


def force_key(name: str) -> str:
    """A force's name compared: `Devon & Cornwall Police`, `Devon and Cornwall` and
    `devon & cornwall` are one force; `London, City of` is `City of London`."""
    plain = " ".join(name.replace("&", " and ").replace(",", " , ").split()).casefold()
    if plain.endswith(", city of"):
        plain = "city of " + plain.removesuffix(", city of")
    words = [word for word in plain.replace(",", " ").split() if word not in FORCE_WORDS]
    return " ".join(words)


def _columns(path: Path, header: list[str]) -> dict[str, int]:
    """Each wanted column's position, or one message naming those missing."""
    found = {}
    for name, pattern in COLUMN_PATTERNS.items():
        matches = [index for index, column in enumerate(header) if pattern.match(column.strip())]
        if matches:
            found[name] = matches[0]
    missing = [COLUMN_PATTERNS[name].pattern for name in COLUMN_PATTERNS if name not in found]
    if missing:
        raise InputFileError(
            path,
            "is not the ONS's local authority to Community Safety Partnership to police force "
            f"area lookup: its header has no column like {', '.join(missing)} (e.g. LAD17NM, "
            "CSP17CD); give the lookup CSV as the ONS publishes it (inputs.csp_lookup).",
            row=1,
        )
    return found


def read_lookup(path: Path) -> list[Partnership]:
    """Every partnership in the lookup, each with its authorities, in the lookup's order."""
    text = read_text(path, MAX_LOOKUP_BYTES, "the lookup", LOOKUP_SIZE)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise InputFileError(path, "is empty; give the ONS lookup CSV (inputs.csp_lookup).")
    columns = _columns(path, rows[0])
    partnerships: dict[str, dict] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(columns.values()):
            raise InputFileError(
                path, f"has {len(row)} fields where its header has {len(rows[0])}.", row=number
            )
        values = {name: row[index].strip() for name, index in columns.items()}
        for name, value in values.items():
            if not value:
                raise InputFileError(path, f"has no {name.replace('_', ' ')}.", row=number)
        entry = partnerships.setdefault(
            values["partnership_code"],
            {"name": values["partnership"], "force": values["force"], "authorities": []},
        )
        if entry["force"] != values["force"]:
            raise InputFileError(
                path,
                f"puts partnership {values['partnership_code']} ({values['partnership']}) in two "
                f"force areas, {entry['force']} and {values['force']}.",
                row=number,
            )
        entry["authorities"].append(lsoa_prefix(values["authority"]))
    return [
        Partnership(code, entry["name"], entry["force"], tuple(entry["authorities"]))
        for code, entry in partnerships.items()
    ]


def force_partnerships(partnerships: list[Partnership], force: str) -> list[Partnership]:
    """The partnerships of the force the files' `Falls within` names (`Derbyshire
    Constabulary` is the lookup's `Derbyshire`), in name order; none where it names another."""
    wanted = force_key(force)
    return sorted(
        (partnership for partnership in partnerships if force_key(partnership.force) == wanted),
        key=lambda partnership: partnership.name,
    )


def lookup_forces(partnerships: list[Partnership]) -> list[str]:
    """The force areas the lookup names, once each, in name order."""
    return sorted({partnership.force for partnership in partnerships})


@dataclass(frozen=True)
class LsoaMatch:
    """LSOA names placed in partnerships, and those no partnership of the force takes."""

    by_partnership: dict[str, tuple[str, ...]]  # partnership code: its LSOA names, sorted
    unmatched: tuple[str, ...]  # names (not the empty name of rows with no location), sorted


def match_lsoa_names(partnerships: list[Partnership], names: Iterable[str]) -> LsoaMatch:
    """Each LSOA name in the partnership whose authority is its whole prefix (`Wyre 001A` is
    Wyre's, never Wyre Forest's); names matching none are listed, never dropped."""
    owner = {
        authority.casefold(): partnership.code
        for partnership in partnerships
        for authority in partnership.authorities
    }
    placed: dict[str, list[str]] = {partnership.code: [] for partnership in partnerships}
    unmatched = []
    for name in sorted({" ".join(str(name).split()) for name in names} - {""}):
        match = LSOA_NAME.match(name)
        code = owner.get(match.group("authority").casefold()) if match else None
        if code is None:
            unmatched.append(name)
        else:
            placed[code].append(name)
    return LsoaMatch({code: tuple(found) for code, found in placed.items()}, tuple(unmatched))


def unmatched_by_authority(match: LsoaMatch) -> Counter[str]:
    """How many unmatched LSOA names each authority has (a name not in police.uk's form
    counts as its own)."""
    return Counter(
        found.group("authority") if (found := LSOA_NAME.match(name)) else name
        for name in match.unmatched
    )
