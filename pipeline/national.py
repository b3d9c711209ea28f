"""Every partnership's police.uk performance tables, for a list of forces or all of them.

`make national Q=3 FY=2024-25 CONFIG=<national config>` reads a folder in police.uk's bulk
archive layout (month folders, each holding every force's `YYYY-MM-<force>-street.csv`; a flat
folder works too). Its files are grouped by the force in their names, and each force's files
are read and checked once, by the reader and checks a partnership's run uses, into that force's
shared store (pipeline/force_store.py: a Parquet file a month), two forces at a time on two
processes. Then one pass over the stores, reading only the columns the tables need (Polars),
gives every partnership of the ONS lookup its three performance tables (the quarter, the year to
date, the rolling 12 months), computed by the functions a partnership's run uses
(`metrics.period_counts`, `metrics.comparison_table`) on the rows its run selects
(`ingest.district_rows`), with short and missing months checked and left out as its run does.

A force whose files fail a check, or whose month is short or missing and not accepted, is
reported at the end with its `Error:` line, and the others are written. LSOA names no
partnership takes are counted in `unmatched_lsoas.csv`, never dropped silently. The tables are
written into a folder beside the target and moved into place whole.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from pipeline.config import LSOA_NAME, MONTH, SHORT_MONTH_SHARE, Config, read_yaml, slugify
from pipeline.errors import ConfigError, PipelineError
from pipeline.financial_year import FinancialYear, parse_financial_year, parse_quarter
from pipeline.force_store import force_files_among, store_files
from pipeline.ingest import (
    POLICE_UK_ASB,
    POLICE_UK_CRIMES,
    check_months,
    check_selection_size,
    check_short_police_uk,
    district_rows,
)
from pipeline.metrics import PERFORMANCE_COLUMNS, comparison_table, period_counts
from pipeline.paths import DEFAULT_OUTPUT_DIR, DEFAULT_PROCESSED_DIR, project_path
from pipeline.periods import (
    PERIOD_LABELS,
    PERIOD_NAMES,
    chart_months,
    compared_periods,
    latest_covered_year,
    required_months,
)
from pipeline.sources.csp_lookup import (
    Partnership,
    force_key,
    force_partnerships,
    read_lookup,
)
from pipeline.sources.police_uk import FileSummary, StreetFile, falls_within, find_street_files
from pipeline.sources.police_uk_store import StoreIndex
from pipeline.tables import write_csv
from pipeline.taxonomy import police_uk

WORKERS = 2  # forces read at once: this machine's cores
ALL = "all"
LEADING_COLUMNS = ["force", "csp_code", "partnership"]
UNMATCHED_COLUMNS = ["force", "authority", "lsoa_names", "rows"]
STORE_COLUMNS = ["month", "crime_type", "last_outcome", "lsoa_name", "lsoa_code", "reported_by"]
UNMATCHED_FILE = "unmatched_lsoas.csv"
COUNTED_COLUMNS = ["month", "crime_type", "last_outcome"]  # all that period_counts reads


class NationalRunError(PipelineError):
    """Some forces failed; the others' tables were written."""


@dataclass(frozen=True)
class NationalConfig:
    """A national config, read: the forces (None for every force in the archive), the archive,
    the lookup, where to write, and the months accepted as short or missing (by force; the
    shared ones under the empty name)."""

    path: Path
    forces: tuple[str, ...] | None
    police_uk: Path
    lookup: Path
    output_dir: Path
    processed_dir: Path
    accept_short_months: dict[str, tuple[str, ...]] = field(default_factory=dict)
    accept_missing_months: dict[str, tuple[str, ...]] = field(default_factory=dict)
    short_month_share: float = SHORT_MONTH_SHARE

    def accepted(self, key: str, force: str) -> tuple[str, ...]:
        """The months accepted (short or missing) for one force: its own and the shared."""
        given = self.accept_short_months if key == "short" else self.accept_missing_months
        own = next((months for name, months in given.items() if same_force(name, force)), ())
        return tuple(sorted({*given.get("", ()), *own}))


def same_force(written: str, force: str) -> bool:
    """Whether a force named in the config is the force the files' Falls within names."""
    return written == force or (bool(written) and force_key(written) == force_key(force))


def _months(value: Any, path: Path, key: str) -> tuple[str, ...]:
    """A list of months like 2024-11, each checked."""
    months = value if isinstance(value, list) else [value]
    texts = tuple(str(month).strip() for month in months)
    for text in texts:
        if not MONTH.match(text):
            raise ConfigError(path, f"{key}: '{text}' is not a month like 2024-11.")
    return texts


def _accepted(value: Any, path: Path, key: str) -> dict[str, tuple[str, ...]]:
    """accept_short_months / accept_missing_months: a list (every force's) or a mapping of
    force to list (`all:` for every force's)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        return {"": _months(value, path, key)}
    return {
        ("" if str(force) == ALL else str(force)): _months(months or [], path, f"{key}.{force}")
        for force, months in value.items()
    }


def read_national_config(path: Path) -> NationalConfig:
    """Read and check a national config: `forces` (a list or `all`), `inputs.police_uk` and
    `inputs.csp_lookup` are required; paths are relative to the config's folder."""
    path = Path(path).expanduser().resolve()
    data = read_yaml(path)
    inputs = data.get("inputs") or {}
    if not isinstance(inputs, dict):
        raise ConfigError(path, "inputs: must be a mapping (police_uk:, csp_lookup:).")
    forces = data.get("forces")
    missing = [
        key
        for key, value in (
            ("forces", forces),
            ("inputs.police_uk", inputs.get("police_uk")),
            ("inputs.csp_lookup", inputs.get("csp_lookup")),
        )
        if not value
    ]
    if missing:
        raise ConfigError(
            path,
            f"a national config needs {', '.join(missing)} (the forces as their files' Falls "
            "within writes them, or `all`; the police.uk archive folder; the ONS lookup CSV from "
            "local authority to Community Safety Partnership to police force area).",
        )
    if forces != ALL and not (
        isinstance(forces, list) and all(isinstance(f, str) and f.strip() for f in forces)
    ):
        raise ConfigError(
            path, "forces: must be `all` or a list of forces (e.g. Derbyshire Constabulary)."
        )
    share = data.get("short_month_share", SHORT_MONTH_SHARE)
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share < 1:
        raise ConfigError(path, f"short_month_share: '{share}' is not a share between 0 and 1.")

    def folder(value: Any, default: Path) -> Path:
        return (path.parent / str(value)).resolve() if value else default

    return NationalConfig(
        path=path,
        forces=None if forces == ALL else tuple(f.strip() for f in forces),
        police_uk=folder(inputs["police_uk"], path.parent),
        lookup=folder(inputs["csp_lookup"], path.parent),
        output_dir=folder(data.get("output_dir"), DEFAULT_OUTPUT_DIR),
        processed_dir=folder(data.get("processed_dir"), DEFAULT_PROCESSED_DIR),
        accept_short_months=_accepted(data.get("accept_short_months"), path, "accept_short_months"),
        accept_missing_months=_accepted(
            data.get("accept_missing_months"), path, "accept_missing_months"
        ),
        short_month_share=float(share),
    )


@dataclass(frozen=True)
class ArchiveForce:
    """One force's files in the archive: its name as Falls within writes it (None when no file
    of the group has a readable first record) and the file-name part that grouped them."""

    name: str | None
    part: str
    files: tuple[StreetFile, ...]


def archive_forces(files: list[StreetFile]) -> list[ArchiveForce]:
    """The archive's files grouped by the force part of their names, each group named by its
    newest file's first record (the next newest where that cannot be read); groups naming the
    same force are one."""
    groups: dict[str, list[StreetFile]] = {}
    for street in files:
        groups.setdefault(street.force.casefold(), []).append(street)
    named: dict[str, ArchiveForce] = {}
    for part, group in sorted(groups.items()):
        name = next(
            (found for street in reversed(group) if (found := falls_within(street.path))), None
        )
        key = name if name is not None else f"?{part}"
        before = named.get(key)
        together = (*before.files, *group) if before else tuple(group)
        ordered = tuple(sorted(together, key=lambda s: (s.month, s.path.name)))
        named[key] = ArchiveForce(name, before.part if before else part, ordered)
    return list(named.values())


@dataclass(frozen=True)
class ForceOutcome:
    """How one force went: its store's index, or the `Error:` line that stopped it."""

    force: str
    store: Path
    index: StoreIndex | None = None
    error: str | None = None
    seconds: float = 0.0


def store_folder(config: NationalConfig, force: str) -> Path:
    """A force's store for the national run (its files read from the archive)."""
    return config.processed_dir / "national" / f"force-{slugify(force)}" / "police-uk-store"


def ingest_force(
    force: str, files: tuple[StreetFile, ...], folder: Path, store: Path, months: set[pd.Period]
) -> ForceOutcome:
    """Read and check one force's files into its store (in a worker process); a failing check
    is the force's `Error:` line, not the run's end."""
    started = time.perf_counter()
    try:
        chosen = force_files_among(list(files), force, folder)
        index = store_files(chosen, folder, store, months)
    except PipelineError as error:
        return ForceOutcome(force, store, error=f"Error: {error}")
    except OSError as error:
        return ForceOutcome(force, store, error=f"Error: {error}")
    return ForceOutcome(force, store, index, seconds=time.perf_counter() - started)


def ingest_all(
    config: NationalConfig,
    forces: list[ArchiveForce],
    months: set[pd.Period],
    say: Callable[[str], None],
    workers: int = WORKERS,
) -> list[ForceOutcome]:
    """Every force's store filled, the largest forces first, `workers` at a time."""
    order = sorted(forces, key=lambda f: -sum(s.path.stat().st_size for s in f.files))
    outcomes = []
    if workers <= 1:  # in this process, one force after another
        for force in order:
            name = force.name or force.part
            outcome = ingest_force(
                name, force.files, config.police_uk, store_folder(config, name), months
            )
            done = outcome.error or f"{len(outcome.index.files)} files"
            say(f"[national] {outcome.force}: {done}")
            outcomes.append(outcome)
        return outcomes
    context = multiprocessing.get_context("spawn")  # no forked copy of this process's threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [
            pool.submit(
                ingest_force,
                force.name or force.part,
                force.files,
                config.police_uk,
                store_folder(config, force.name or force.part),
                months,
            )
            for force in order
        ]
        for future in as_completed(futures):
            outcome = future.result()
            done = outcome.error or f"{len(outcome.index.files)} files in {outcome.seconds:.1f} s"
            say(f"[national] {outcome.force}: {done}")
            outcomes.append(outcome)
    return outcomes


def chosen_forces(
    config: NationalConfig, found: list[ArchiveForce]
) -> tuple[list[ArchiveForce], list[ForceOutcome]]:
    """The config's forces among those found, and a failure for each the archive lacks (or
    whose files name no force)."""
    failed = [
        ForceOutcome(
            f"(files named {force.part})",
            Path(),
            error=f"Error: {config.police_uk}: no file named {force.part} has a readable first "
            f"record to say its force, e.g. {force.files[-1].path.name}",
        )
        for force in found
        if force.name is None and config.forces is None
    ]
    named = [force for force in found if force.name is not None]
    if config.forces is None:
        return named, failed
    chosen = []
    for wanted in config.forces:
        match = next((f for f in named if f.name == wanted), None) or next(
            (f for f in named if same_force(wanted, f.name or "")), None
        )
        if match is None:
            forces = ", ".join(f.name or "" for f in named) or "none"
            failed.append(
                ForceOutcome(
                    wanted,
                    Path(),
                    error=f"Error: {config.path}: forces: no files of '{wanted}' in "
                    f"{config.police_uk} (forces found there: {forces}).",
                )
            )
        elif match not in chosen:
            chosen.append(match)
    return chosen, failed


def read_store_rows(store: Path, index: StoreIndex, months: set[pd.Period]) -> pd.DataFrame:
    """The columns the tables need, of the stored months asked for, in file order (Polars reads
    only those columns from the store's Parquet files), typed as a run's rows are."""
    import polars as pl

    parts = [
        str(store / item.part)
        for item in index.files
        if pd.Period(item.summary.month, freq="M") in months
    ]
    if not parts:
        return pd.DataFrame({column: pd.Series(dtype="string") for column in STORE_COLUMNS})
    table = pl.scan_parquet(parts).select(STORE_COLUMNS).collect().to_arrow()
    month = table.column("month").combine_chunks()  # pandas' period: months since 1970, int64
    ordinals = (month.storage if isinstance(month, pa.ExtensionArray) else month).to_numpy()
    frame = table.drop_columns(["month"]).to_pandas()
    return frame.assign(
        month=pd.PeriodIndex.from_ordinals(ordinals.astype("int64"), freq="M"),
        crime_type=pd.Categorical(
            frame["crime_type"].astype("string"), categories=police_uk().crime_types
        ),
        **{column: frame[column].astype("string") for column in STORE_COLUMNS[2:]},
    )[STORE_COLUMNS]


@dataclass
class ForceTables:
    """One force's part of the national tables: rows of each period's table, unmatched LSOA
    names by authority, and the partnerships not computed (with why)."""

    tables: dict[str, list[pd.DataFrame]]
    unmatched: list[dict[str, Any]]
    not_computed: list[str]


def force_config(config: NationalConfig, force: str) -> Config:
    """A district config for the force as a whole, for the checks a partnership's run makes
    (short and missing months)."""
    return Config(
        path=config.path,
        district=force,
        force=force,
        police_uk=config.police_uk,
        lsoa_name_prefixes=(),
        lsoa_codes=(),
        output_dir=config.output_dir,
        processed_dir=config.processed_dir,
        accept_missing_months=config.accepted("missing", force),
        accept_short_months=config.accepted("short", force),
        short_month_share=config.short_month_share,
    )


def row_authorities(records: pd.DataFrame) -> tuple[np.ndarray, pd.Series]:
    """Each row's index into the unique LSOA names, and each unique name's authority (as a
    partnership's selection reads it: the name stripped, before its number), casefolded."""
    codes, names = pd.factorize(records["lsoa_name"].fillna(""))
    authority = pd.Series(names).str.strip().str.extract(LSOA_NAME.pattern, expand=False)
    return codes, authority.str.casefold()


def tables_of_force(
    config: NationalConfig,
    outcome: ForceOutcome,
    partnerships: list[Partnership],
    year: FinancialYear,
    quarter: int,
) -> ForceTables:
    """Every partnership of one force: its three performance tables, from the force's store.

    As a partnership's run: the needed months must be there (or accepted as missing), none
    short (or accepted), and those accepted are left out of both years of every period holding
    them; each partnership's rows are those `district_rows` selects (its authorities' LSOA names,
    a location, reported by the force itself)."""
    force, index = outcome.force, outcome.index
    district = force_config(config, force)
    needed = required_months(year, quarter)
    stored = {pd.Period(item.summary.month, freq="M"): item.summary for item in index.files}
    accepted = check_months(set(stored), needed, district.accept_missing_months, config.police_uk)
    summaries: list[FileSummary] = [stored[month] for month in needed if month in stored]
    records = read_store_rows(outcome.store, index, set(needed))
    short, _ = check_short_police_uk(records, summaries, district, needed)
    unavailable = {
        name: frozenset(pd.Period(m, freq="M") for m in {*accepted, *months})
        for name, months in short.items()
    }
    crime = compared_periods(year, quarter, unavailable[POLICE_UK_CRIMES])
    asb = compared_periods(year, quarter, unavailable[POLICE_UK_ASB])

    codes, authority = row_authorities(records)
    owner = {a.casefold(): number for number, p in enumerate(partnerships) for a in p.authorities}
    name_owner = authority.map(owner).fillna(-1).to_numpy(dtype="int64")
    row_owner = name_owner[codes]
    rows_of = pd.Series(np.arange(len(records))).groupby(row_owner).indices

    result = ForceTables({name: [] for name in PERIOD_NAMES}, [], [])
    for number, partnership in enumerate(partnerships):
        candidates = records.iloc[rows_of.get(number, np.array([], dtype="int64"))]
        own = replace(
            district, district=partnership.name, lsoa_name_prefixes=partnership.authorities
        )
        selected, _, _ = district_rows(candidates, own, force)
        chosen = candidates[selected.to_numpy(dtype=bool)]  # the columns counted, below
        if chosen.empty:
            result.not_computed.append(f"{partnership.name}: no rows in {force}'s files")
            continue
        try:
            check_selection_size(chosen, records, own)
        except PipelineError as error:
            result.not_computed.append(f"{partnership.name}: {error}")
            continue
        counted = chosen[COUNTED_COLUMNS]
        for name in PERIOD_NAMES:
            table = comparison_table(period_counts(counted, crime[name], asb[name]))
            table.insert(0, "partnership", partnership.name)
            table.insert(0, "csp_code", partnership.code)
            table.insert(0, "force", force)
            result.tables[name].append(table)
    result.unmatched = unmatched_rows(force, records, codes, authority, name_owner)
    return result


def force_tables_task(
    config: NationalConfig,
    outcome: ForceOutcome,
    partnerships: list[Partnership],
    year: FinancialYear,
    quarter: int,
) -> ForceTables | str:
    """One force's tables (in a worker process), or the `Error:` line that stopped them."""
    try:
        return tables_of_force(config, outcome, partnerships, year, quarter)
    except PipelineError as error:
        return f"Error: {error}"


def tables_all(
    config: NationalConfig,
    outcomes: list[ForceOutcome],
    lookup: list[Partnership],
    year: FinancialYear,
    quarter: int,
    say: Callable[[str], None],
    workers: int = WORKERS,
) -> list[tuple[ForceOutcome, ForceTables | str]]:
    """Every stored force's tables, `workers` forces at a time, in the forces' order."""
    context = multiprocessing.get_context("spawn")
    order = sorted(outcomes, key=lambda o: -sum(f.summary.size_bytes for f in o.index.files))
    done: dict[str, ForceTables | str] = {}
    if workers <= 1:  # in this process, one force after another
        for outcome in order:
            own = force_partnerships(lookup, outcome.force)
            done[outcome.force] = force_tables_task(config, outcome, own, year, quarter)
        return [(outcome, done[outcome.force]) for outcome in outcomes]
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {}
        for outcome in order:
            own = force_partnerships(lookup, outcome.force)
            if not own:
                say(f"[warning] {outcome.force}: no partnership in {project_path(config.lookup)}")
            futures[pool.submit(force_tables_task, config, outcome, own, year, quarter)] = outcome
        for future in as_completed(futures):
            outcome = futures[future]
            done[outcome.force] = part = future.result()
            if isinstance(part, str):
                say(f"[national] {outcome.force}: {part}")
    return [(outcome, done[outcome.force]) for outcome in outcomes]


def unmatched_rows(
    force: str,
    records: pd.DataFrame,
    codes: np.ndarray,
    authority: pd.Series,
    name_owner: np.ndarray,
) -> list[dict[str, Any]]:
    """The LSOA names (and their rows) no partnership of the force takes, by authority (a name
    not in police.uk's form counts as its own); rows with no LSOA name are not LSOAs."""
    names = pd.Series(pd.factorize(records["lsoa_name"].fillna(""))[1]).str.strip()
    rows_per_name = np.bincount(codes, minlength=len(names))
    left = (name_owner < 0) & (names != "").to_numpy()
    found = pd.DataFrame(
        {
            "authority": pd.Series(
                pd.Series(names).str.extract(LSOA_NAME.pattern, expand=False)
            ).fillna(names),
            "name": names.str.split().str.join(" "),
            "rows": rows_per_name,
        }
    )[left]
    grouped = found.groupby("authority", sort=True).agg(
        lsoa_names=("name", "nunique"), rows=("rows", "sum")
    )
    return [
        {
            "force": force,
            "authority": name,
            "lsoa_names": int(row.lsoa_names),
            "rows": int(row.rows),
        }
        for name, row in grouped.iterrows()
    ]


def period_file(name: str) -> str:
    """A period's table file, as a partnership's run names it: `performance_quarter.csv`."""
    return f"performance_{name}.csv"


def write_tables(
    target: Path,
    tables: dict[str, list[pd.DataFrame]],
    unmatched: list[dict[str, Any]],
    page: str,
) -> Path:
    """The national tables into target, whole: built in a folder beside it, then moved in (the
    previous tables stay until then)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    old = target.with_name(f".{target.name}.{os.getpid()}.old")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        partial.mkdir()
        for name in PERIOD_NAMES:
            frames = tables[name]
            frame = (
                pd.concat(frames, ignore_index=True)
                if frames
                else pd.DataFrame(columns=LEADING_COLUMNS + PERFORMANCE_COLUMNS)
            )
            write_csv(frame, partial / period_file(name))
        write_csv(pd.DataFrame(unmatched, columns=UNMATCHED_COLUMNS), partial / UNMATCHED_FILE)
        (partial / "index.html").write_text(page, encoding="utf-8")
        if target.exists():
            target.replace(old)
        partial.replace(target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return target


def index_html(
    year: FinancialYear,
    quarter: int,
    tables: dict[str, list[pd.DataFrame]],
    failed: list[ForceOutcome],
    unmatched: list[dict[str, Any]],
) -> str:
    """A short page: the files written, each partnership's all-crime and ASB counts in the
    quarter, the forces not computed and the unmatched LSOA names counted. Every value escaped."""
    rows = []
    for table in tables["quarter"]:
        top = table[table["level"] == 0].set_index("crime_type")
        force, code, name = (str(table[column].iloc[0]) for column in LEADING_COLUMNS)
        cells = "".join(
            f'<td class="number">{int(top.loc[kind, column]):,}</td>'
            for kind in top.index
            for column in ("offences_previous", "offences_current")
        )
        rows.append(
            f'<tr><th scope="row">{html.escape(name)}</th><td>{html.escape(code)}</td>'
            f"<td>{html.escape(force)}</td>{cells}</tr>"
        )
    kinds = tables["quarter"][0][tables["quarter"][0]["level"] == 0]["crime_type"] if rows else []
    heads = "".join(
        f'<th scope="col">{html.escape(kind)}, a year before</th>'
        f'<th scope="col">{html.escape(kind)}, this quarter</th>'
        for kind in kinds
    )
    files = "".join(
        f'<li><a href="{period_file(name)}">{PERIOD_LABELS[name]}</a></li>' for name in PERIOD_NAMES
    )
    failures = "".join(
        f"<li>{html.escape(outcome.force)}: {html.escape(outcome.error or '')}</li>"
        for outcome in failed
    )
    names = sum(row["lsoa_names"] for row in unmatched)
    title = html.escape(f"Every partnership's police.uk performance tables, {year.name} Q{quarter}")
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n"
        f"<p>Tables (CSV): </p><ul>{files}</ul>\n"
        + (f"<h2>Forces not computed</h2><ul>{failures}</ul>\n" if failures else "")
        + f'<p>{names:,} LSOA names no partnership of their force takes: <a href="'
        f'{UNMATCHED_FILE}">by force and authority</a>.</p>\n'
        "<table>\n<caption>Recorded crime and anti-social behaviour (police.uk), each "
        "partnership's quarter against the same months a year before</caption>\n"
        f'<thead><tr><th scope="col">Partnership</th><th scope="col">ONS code</th>'
        f'<th scope="col">Force</th>{heads}</tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n</main>\n</body>\n</html>\n"
    )


@dataclass(frozen=True)
class NationalResult:
    """What a national run did: where it wrote, how long each pass took, what failed."""

    folder: Path
    ingest_seconds: float
    tables_seconds: float
    forces: int
    partnerships: int
    failed: list[ForceOutcome]


def choose_year(files: list[StreetFile], quarter: int, text: str | None) -> FinancialYear:
    """FY as given, else the latest financial year whose quarter the archive's months cover."""
    if text:
        return parse_financial_year(text)
    year = latest_covered_year(quarter, {street.month for street in files})
    if year is None:
        raise ConfigError(
            "FY", f"the archive holds no 24 months ending with a Q{quarter}; give FY=YYYY-YY."
        )
    return year


def run_national(
    config_path: Path,
    quarter_text: str,
    year_text: str | None,
    say: Callable[[str], None] = print,
    workers: int = WORKERS,
) -> NationalResult:
    """Every partnership's three performance tables for the config's forces; stop, after
    writing the others', if any force failed."""
    quarter = parse_quarter(quarter_text)
    config = read_national_config(config_path)
    lookup = read_lookup(config.lookup)
    started = time.perf_counter()
    files = find_street_files(config.police_uk)
    year = choose_year(files, quarter, year_text)
    forces, failed = chosen_forces(config, archive_forces(files))
    months = set(chart_months(year, quarter))
    say(
        f"[national] {len(forces)} forces, {len(files):,} street files in "
        f"{project_path(config.police_uk)}; {year.name} Q{quarter}"
    )
    outcomes = ingest_all(config, forces, months, say, workers)
    ingest_seconds = time.perf_counter() - started
    started = time.perf_counter()
    tables: dict[str, list[pd.DataFrame]] = {name: [] for name in PERIOD_NAMES}
    unmatched: list[dict[str, Any]] = []
    partnerships = computed = 0
    failed += [outcome for outcome in outcomes if outcome.error]
    stored = sorted((o for o in outcomes if not o.error), key=lambda o: o.force)
    for outcome, part in tables_all(config, stored, lookup, year, quarter, say, workers):
        if isinstance(part, str):
            failed.append(replace(outcome, error=part))
            continue
        for name in PERIOD_NAMES:
            tables[name] += part.tables[name]
        partnerships += len(part.tables["quarter"])
        computed += 1
        unmatched += part.unmatched
        for problem in part.not_computed:
            say(f"[warning] {outcome.force}: {problem}")
    target = config.output_dir / "national" / year.name / f"Q{quarter}"
    write_tables(target, tables, unmatched, index_html(year, quarter, tables, failed, unmatched))
    tables_seconds = time.perf_counter() - started
    names = sum(row["lsoa_names"] for row in unmatched)
    say(
        f"[national] {partnerships} partnerships of {computed} forces: "
        f"ingest {ingest_seconds:.1f} s, tables {tables_seconds:.1f} s, into "
        f"{project_path(target)}; {names:,} LSOA names in no partnership of their force "
        f"({UNMATCHED_FILE})"
    )
    result = NationalResult(
        target, ingest_seconds, tables_seconds, len(forces), partnerships, failed
    )
    if failed:
        problems = "; ".join(
            f"{o.force}: {(o.error or '').removeprefix('Error: ')}" for o in failed
        )
        raise NationalRunError(
            f"{len(failed)} force(s) not computed ({problems}); the others' tables are in "
            f"{project_path(target)}."
        )
    return result
