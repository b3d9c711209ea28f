"""Build a force's shared processed store: its police.uk files read and checked once.

The files are chosen as a partnership's ingest chooses them (the force's own, one a month) and
read by the same reader, with the same checks; only the months asked for are read, so a bad file
of a month no quarter needs stops nothing. A file already stored, and unchanged on disk since
(its size and modification time), is not read again. The store is written month by month, each
file whole or not at all, and its index last, so a stopped build leaves the earlier store as
it was.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd

from pipeline.config import Config
from pipeline.errors import InputWarning
from pipeline.ingest import ForceFiles, force_street_files, input_notes, one_file_per_month
from pipeline.sources import police_uk as source
from pipeline.sources.police_uk_store import (
    INDEX_FILE,
    STORE_FORMAT,
    StoredFile,
    StoreIndex,
    is_current,
    read_index,
    write_part,
)


def stored_index(store: Path) -> StoreIndex | None:
    """The store's index, or None where there is none yet, or one this version cannot read or
    did not write (its files are read again)."""
    if not (store / INDEX_FILE).is_file():
        return None
    try:
        index = read_index(store)
    except Exception:  # an unreadable index is rebuilt, not trusted
        return None
    return index if index.store_format == STORE_FORMAT else None


def read_into_store(street: source.StreetFile, store: Path) -> StoredFile:
    """Read and check one street file, and write its rows into the store."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        frame = source.read_street_file(street)
    status = os.stat(street.path)
    part = write_part(frame, store, street.month)
    return StoredFile(
        source.summarise_file(street, len(frame)),
        part,
        tuple(input_notes(caught)),
        status.st_mtime_ns,
    )


def build_store(config: Config, store: Path, months: set[pd.Period]) -> StoreIndex:
    """The force's store at store, holding (at least) the given months of its police.uk files:
    files already stored and unchanged are kept, the others read now."""
    return store_files(force_street_files(config), config.police_uk, store, months)


def force_files_among(files: list[source.StreetFile], force: str, folder: Path) -> ForceFiles:
    """The files of force (as Falls within writes it) among files: a national archive's files
    whose names give that force's part (`2024-01-derbyshire-street.csv`), so each file's first
    record is read here, not every force's. As `force_street_files` chooses: a file whose first
    record falls within another force is left out (noted), one with no readable record kept (its
    own checks say what is wrong), and one file a month."""
    forces = {street.path: source.falls_within(street.path) for street in files}
    own = [street for street in files if forces[street.path] in (force, None)]
    others = [street for street in files if street not in own]
    notes = []
    if others:
        names = ", ".join(f"{street.path.name} ({forces[street.path]})" for street in others)
        notes.append(f"{folder}: left out {len(others)} file(s) of other forces: {names}.")
    chosen, repeated = one_file_per_month(own)
    return ForceFiles(force, chosen, notes + repeated)


def store_files(
    chosen: ForceFiles, police_uk: Path, store: Path, months: set[pd.Period]
) -> StoreIndex:
    """The store of one force's chosen files (read from the folder police_uk), holding (at
    least) the given months: files already stored and unchanged are kept, the others read now."""
    before = stored_index(store)
    kept = {}
    if before is not None and before.police_uk == str(police_uk):
        kept = {stored.summary.month: stored for stored in before.files}
    files = []
    for street in chosen.files:
        stored = kept.get(str(street.month))
        if stored is not None and is_current(stored, street):
            files.append(stored)
        elif street.month in months:
            files.append(read_into_store(street, store))
    index = StoreIndex(chosen.force, str(police_uk), tuple(files), tuple(chosen.notes))
    if index != before:
        write_index(store, index)
    return index


def write_index(store: Path, index: StoreIndex) -> None:
    """Write the index whole, in one move, once every file it names is in place."""
    store.mkdir(parents=True, exist_ok=True)
    partial = store / f".{INDEX_FILE}.partial"
    partial.write_text(index.to_json(), encoding="utf-8")
    partial.replace(store / INDEX_FILE)
