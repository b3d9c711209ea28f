"""A force's police.uk files read and checked once, kept as Parquet: the shared processed store.

`make force` reads every street file of the force once (pipeline/force_store.py) and keeps each
month's checked, canonical rows as one Parquet file, beside an index naming the files read, their
sizes, hashes and row counts, and what reading them warned of. Each partnership's ingest then
takes the force's rows from here, in the order and types reading the files gives, instead of
reading and checking the same files again; its selection, checks and counts are the same code.

The rows are written and read by pyarrow (through pandas), which keeps their pandas types
(periods, categories, nullable strings and floats) exactly; queries across many forces' stores
(`make national`) use DuckDB on the same files.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from pipeline.errors import ConfigError
from pipeline.sources.police_uk import FileSummary, StreetFile

INDEX_FILE = "store.json"
MONTHS_FOLDER = "months"
STORE_FORMAT = 2  # raised when what a store holds changes: an older store is rebuilt


@dataclass(frozen=True)
class StoredFile:
    """One street file the store holds: what was read, what reading it warned of, and the
    Parquet file of its rows (relative to the store)."""

    summary: FileSummary
    part: str
    warnings: tuple[str, ...] = ()
    modified_ns: int = 0


@dataclass(frozen=True)
class StoreIndex:
    """What a store holds: the force (as its files' Falls within writes it), the police.uk
    folder read, every file read (one a month, in month order), and the notes choosing them
    gave (other forces' files left out, identical copies read once)."""

    force: str
    police_uk: str
    files: tuple[StoredFile, ...]
    notes: tuple[str, ...] = ()
    store_format: int = STORE_FORMAT

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> StoreIndex:
        data = json.loads(text)
        files = tuple(
            StoredFile(
                FileSummary(**item["summary"]),
                item["part"],
                tuple(item["warnings"]),
                item["modified_ns"],
            )
            for item in data["files"]
        )
        return cls(
            data["force"],
            data["police_uk"],
            files,
            tuple(data["notes"]),
            data["store_format"],
        )


def part_name(month: pd.Period) -> str:
    """A month's Parquet file in the store: `months/2024-01.parquet`."""
    return f"{MONTHS_FOLDER}/{month}.parquet"


def write_part(frame: pd.DataFrame, store: Path, month: pd.Period) -> str:
    """Write one month's checked rows into the store, whole, in one move; its name there."""
    name = part_name(month)
    (store / MONTHS_FOLDER).mkdir(parents=True, exist_ok=True)
    partial = store / MONTHS_FOLDER / f".{month}.parquet.partial"
    frame.to_parquet(partial, index=False, compression="zstd")
    partial.replace(store / name)
    return name


def read_index(store: Path, where: Path | None = None) -> StoreIndex:
    """A store's index; a store that is missing or of an older format is an error saying so."""
    path = store / INDEX_FILE
    try:
        index = StoreIndex.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            where or path,
            f"inputs.police_uk_store: no store at {store}; `make force` writes it, from the "
            "force's police.uk files (or remove the setting to read the files themselves).",
        ) from None
    except (ValueError, KeyError, TypeError) as error:
        raise ConfigError(
            where or path,
            f"inputs.police_uk_store: {path} is not a store this version reads ({error}); "
            "run `make force` again to rebuild it.",
        ) from None
    return index


def is_current(stored: StoredFile, street: StreetFile) -> bool:
    """Whether a stored file is still the file on disk: the same path, size and modification
    time (a file downloaded again is read again)."""
    try:
        status = os.stat(street.path)
    except OSError:
        return False
    return stored.summary.path == str(street.path) and (status.st_size, status.st_mtime_ns) == (
        stored.summary.size_bytes,
        stored.modified_ns,
    )


def read_months(
    store: Path, index: StoreIndex, months: set[pd.Period]
) -> tuple[pd.DataFrame, list[FileSummary], list[str]]:
    """The stored rows of the given months, in file order, with the files' summaries and the
    warnings reading them gave: what reading the files themselves returns."""
    chosen = [stored for stored in index.files if pd.Period(stored.summary.month, "M") in months]
    frames = [pd.read_parquet(store / stored.part) for stored in chosen]
    records = pd.concat(frames, ignore_index=True)
    warnings = [warning for stored in chosen for warning in stored.warnings]
    return records, [stored.summary for stored in chosen], warnings


def lsoa_names(store: Path, index: StoreIndex) -> set[str]:
    """Every LSOA name in the stored rows (that column alone)."""
    names: set[str] = set()
    for stored in index.files:
        column = pd.read_parquet(store / stored.part, columns=["lsoa_name"])["lsoa_name"]
        names |= set(column.dropna())
    return names
