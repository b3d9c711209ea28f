"""Ingest: police.uk files to validated, tidy tables of one district's quarter."""

from __future__ import annotations

import json
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.config import LSOA_NAME, Config, key_line
from pipeline.digest import sha256_of
from pipeline.errors import (
    ConfigError,
    InputFileError,
    InputWarning,
    MissingMonthsError,
    ParameterError,
    SelectionError,
)
from pipeline.ingest_summary import (
    SUMMARY_FILE,
    ExtractProvenance,
    IngestSummary,
    load_summary,
)
from pipeline.numbers import count_with_unit, format_count
from pipeline.periods import (
    FinancialYear,
    chart_months,
    compared_periods,
    financial_year_of,
    latest_covered_year,
    month_span,
    parse_financial_year,
    required_months,
)
from pipeline.sources import force_extract, police_uk_store
from pipeline.sources import police_uk as source
from pipeline.taxonomy import police_uk
from pipeline.text import listed

RECORDS_FILE = "district_records.parquet"
NO_LOCATION_FILE = "no_location_records.parquet"
FORCE_CRIMES_FILE = "force_crimes.parquet"
FORCE_ASB_FILE = "force_asb.parquet"

# The sources a figure can come from, as the summary and tables/period_coverage.csv name them.
POLICE_UK = "police_uk"  # the source as a whole, in the summary's "sources"
POLICE_UK_CRIMES = "police_uk_crimes"  # its crimes and its ASB can each lack a month
POLICE_UK_ASB = "police_uk_asb"
FORCE_CRIMES = "force_extract_crimes"
FORCE_ASB = "force_extract_asb"


@dataclass
class ExtractResult:
    """The force extract's crimes and ASB incidents that a quarter's figures need."""

    crimes: pd.DataFrame
    asb: pd.DataFrame | None
    files: list[force_extract.ExtractSummary]
    crimes_read: int
    asb_read: int


@dataclass
class IngestResult:
    """The district's records for the quarter's 24 months (and the up to 12 before them that
    only the control charts show), and what was read to get them."""

    records: pd.DataFrame
    no_location: pd.DataFrame
    files: list[source.FileSummary]
    rows_read: int
    rows_other_districts: int
    missing_months_accepted: list[str]
    warnings: list[str] = field(default_factory=list)
    extract: ExtractResult | None = None
    file_counts: list[dict[str, int]] = field(default_factory=list)
    force: str | None = None
    rows_other_forces: int = 0
    short_months_accepted: list[str] = field(default_factory=list)
    unavailable: dict[str, list[str]] = field(default_factory=dict)
    chart_unavailable: dict[str, list[str]] = field(default_factory=dict)


def processed_folder(config: Config, year: FinancialYear, quarter: int) -> Path:
    """Where a district's processed tables for one quarter live."""
    return config.processed_dir / config.slug / year.name / f"Q{quarter}"


def months_in_inputs(config: Config) -> set[pd.Period]:
    """The months every source the config uses has data for (warnings wait for the ingest)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        return _months_in_inputs(config)


def _months_in_inputs(config: Config) -> set[pd.Period]:
    """The months every source the config uses has data for."""
    sources = []
    if config.needs_police_uk:
        sources.append(source.months_available(force_street_files(config).files))
    if config.force_crimes is not None:
        crimes = force_extract.read_force_crimes(config.force_crimes)
        sources.append(force_extract.months_recorded(crimes, "recorded_date"))
    if config.force_asb is not None:
        asb = force_extract.read_force_asb(config.force_asb)
        sources.append(force_extract.months_recorded(asb, "date"))
    return set.intersection(*sources)


def data_location(config: Config) -> Path:
    """The input a missing-months message points to."""
    return config.force_crimes if config.force_crimes is not None else config.police_uk


def resolve_financial_year(config: Config, quarter: int, text: str | None) -> FinancialYear:
    """The FY asked for, or the latest whose quarter the inputs fully cover."""
    return choose_financial_year(config, quarter, text)[0]


def choose_financial_year(
    config: Config, quarter: int, text: str | None
) -> tuple[FinancialYear, str]:
    """The FY asked for, or the latest whose quarter the inputs fully cover; and why, in words."""
    months = months_in_inputs(config)
    months |= {pd.Period(month, freq="M") for month in config.accept_missing_months}
    if text:
        year = parse_financial_year(text)
        check_quarter_in_data(config, year, quarter, months)
        return year, f"{_quarter_words(config, year, quarter)}: FY={text} as asked."
    year = latest_covered_year(quarter, months)
    if year is None:
        raise MissingMonthsError(latest_year_gaps(quarter, months), data_location(config))
    newest, end = max(months), year.quarter_end(quarter)
    reason = (
        f"the latest financial year whose quarter {quarter} the inputs cover with all 24 months "
        f"its comparisons need (they hold {min(months):%B %Y} to {newest:%B %Y})"
    )
    years_back = ((newest.year - end.year) * 12 + newest.month - end.month) // 12
    if years_back:
        reason += (
            f"; the newest data is {years_back} year{'s' if years_back > 1 else ''} later, so "
            "check this is the year you want"
        )
    return year, f"{_quarter_words(config, year, quarter)}: {reason}. FY=YYYY-YY chooses a year."


def check_quarter_in_data(
    config: Config, year: FinancialYear, quarter: int, months: set[pd.Period]
) -> None:
    """Stop before the ingest when the inputs hold none of the quarter's own months."""
    end = year.quarter_end(quarter)
    if any(month in months for month in pd.period_range(end - 2, end, freq="M")):
        return
    held = f"they hold {month_span(min(months), max(months))}" if months else "they hold none"
    latest = latest_covered_year(quarter, months)
    choice = f"leave FY out for the latest they cover, {latest.name}, or " if latest else ""
    raise ParameterError(
        "FY",
        year.name,
        f"a year whose quarter {quarter} the inputs hold: they have no data for "
        f"{month_span(end - 2, end)} ({held}; looked in {data_location(config)}); {choice}"
        "add the newer data",
    )


def latest_year_gaps(quarter: int, months: set[pd.Period]) -> list[str]:
    """The months missing for the latest financial year whose quarter the data reaches."""
    if not months:
        return [f"all 24 months needed for quarter {quarter} (no data found)"]
    year = financial_year_of(max(months))
    if year.quarter_end(quarter) > max(months):
        year = FinancialYear(year.start_year - 1)
    gaps = [str(month) for month in required_months(year, quarter) if month not in months]
    return gaps or [f"all 24 months needed for quarter {quarter}"]


def _quarter_words(config: Config, year: FinancialYear, quarter: int) -> str:
    """`Ashworth Vale, quarter 2 of 2025-26 (July to September 2025)`."""
    end = year.quarter_end(quarter)
    return f"{config.district}, quarter {quarter} of {year.name} ({month_span(end - 2, end)})"


def check_months(
    available: set[pd.Period], needed: list[pd.Period], accepted: tuple[str, ...], folder: Path
) -> list[str]:
    """Stop on needed months with no file, unless the config accepts them; return those accepted."""
    missing = [str(month) for month in needed if month not in available]
    unaccepted = [month for month in missing if month not in accepted]
    if unaccepted:
        raise MissingMonthsError(unaccepted, folder)
    return missing


def in_district(records: pd.DataFrame, config: Config) -> pd.Series:
    """Rows whose LSOA belongs to the configured district.

    A police.uk LSOA name is the local authority's name, a space, three digits and a letter, so
    `Wyre` takes `Wyre 001A` and never `Wyre Forest 001A`. Names are matched once each, not
    once a row (a force has a few thousand LSOAs and hundreds of thousands of rows).
    """
    if config.lsoa_name_prefixes:
        wanted = {prefix.casefold() for prefix in config.lsoa_name_prefixes}
        codes, names = pd.factorize(records["lsoa_name"].fillna(""))
        authority = pd.Series(names).str.strip().str.extract(LSOA_NAME.pattern, expand=False)
        matches = authority.str.casefold().isin(wanted).fillna(False).to_numpy(dtype=bool)
        return pd.Series(matches[codes], index=records.index)
    codes, values = pd.factorize(records["lsoa_code"].fillna(""))
    listed = pd.Series(values).str.strip().isin(config.lsoa_codes).to_numpy(dtype=bool)
    return pd.Series(listed[codes], index=records.index)


def local_authorities(records: pd.DataFrame, limit: int = 8) -> list[str]:
    """The commonest LSOA name prefixes in the records, to suggest a selection."""
    prefixes = records["lsoa_name"].str.strip().str.replace(r"\s+\d{3}[A-Za-z]$", "", regex=True)
    return prefixes[prefixes.fillna("") != ""].value_counts().head(limit).index.tolist()


def district_rows(
    records: pd.DataFrame, config: Config, force: str | None = None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Which rows are the district's, which have no location, which another force reported."""
    no_location = records["lsoa_code"].fillna("").str.strip() == ""
    if force is not None and "reported_by" in records:
        codes, reporters = pd.factorize(records["reported_by"].fillna(""))
        other = (pd.Series(reporters).str.strip() != force).to_numpy(dtype=bool)
        other_force = pd.Series(other[codes], index=records.index)
    else:
        other_force = pd.Series(False, index=records.index)
    district = in_district(records, config) & ~no_location & ~other_force
    return district, no_location & ~other_force, other_force


def _selection_where(config: Config) -> tuple[str, str]:
    """The config key that chooses the district, and where it is written."""
    key = "lsoa_name_prefix" if config.lsoa_name_prefixes else "lsoa_codes"
    line = key_line(config.path, ("inputs", key))
    return key, f"{config.path}, line {line}" if line else str(config.path)


def no_match_message(records: pd.DataFrame, config: Config) -> str:
    """Why the district selection found nothing: the config line, and the LSOA names there are."""
    key, where = _selection_where(config)
    names = ", ".join(local_authorities(records)) or "none"
    expected = (
        f"expected the name of a local authority found there: {names}"
        if config.lsoa_name_prefixes
        else f"expected codes found there, such as {', '.join(lsoa_code_examples(records))}, "
        f"whose LSOA names begin: {names}"
    )
    return (
        f"Config {where}: inputs.{key}: {config.selection} match no rows in {config.police_uk}; "
        f"{expected}."
    )


def lsoa_code_examples(records: pd.DataFrame, limit: int = 3) -> list[str]:
    """A few LSOA codes found in the records, in order, for a message."""
    codes = records["lsoa_code"].fillna("").str.strip()
    return sorted(set(codes[codes != ""]))[:limit] or ["none"]


@dataclass(frozen=True)
class Selection:
    """The rows read, split: the district's, no location, other districts', other forces'."""

    district: pd.DataFrame
    no_location: pd.DataFrame
    other_districts: int
    other_forces: int


def select_district(
    records: pd.DataFrame,
    config: Config,
    force: str | None = None,
    masks: tuple[pd.Series, pd.Series, pd.Series] | None = None,
) -> Selection:
    """Split rows into the district's, those with no location, and counts of the rest.

    masks are district_rows' answer, when the caller has it already.
    """
    district, no_location, other_force = masks or district_rows(records, config, force)
    if not district.any():
        raise SelectionError(no_match_message(records, config))
    return Selection(
        district=records[district].reset_index(drop=True),
        no_location=records[no_location].reset_index(drop=True),
        other_districts=int((~district & ~no_location & ~other_force).sum()),
        other_forces=int(other_force.sum()),
    )


# A district's own LSOAs hold all their records: real ones average 7 to 23 a month each (the
# Isles of Scilly's one LSOA about 10 crimes a month). Border LSOAs of a neighbouring force
# average under 1.5 in another force's files (measured on Derbyshire's and Nottinghamshire's).
MIN_RECORDS_PER_LSOA_MONTH = 2.0


def check_selection_size(district: pd.DataFrame, records: pd.DataFrame, config: Config) -> None:
    """Stop when the selection is too thin to be the district: border rows of another force."""
    months = district["month"].nunique()
    months_read = records["month"].nunique()
    lsoas = district["lsoa_code"].str.strip().nunique()
    average = len(district) / (lsoas * months_read)
    if average >= MIN_RECORDS_PER_LSOA_MONTH:
        return
    key, where = _selection_where(config)
    names = ", ".join(local_authorities(records)) or "none"
    raise SelectionError(
        f"Config {where}: inputs.{key}: {config.selection} take only "
        f"{count_with_unit(len(district), 'records')} from {count_with_unit(lsoas, 'LSOAs')} "
        f"over {count_with_unit(months_read, 'months')} read ({months} with any), about "
        f"{average:.1f} a month for each LSOA where a district's own LSOAs have "
        f"{MIN_RECORDS_PER_LSOA_MONTH:.0f} or more; these look like border records in another "
        f"force's files. Check that force and inputs.police_uk ({config.police_uk}) are the "
        f"district's own force; the local authorities in these files are: {names}."
    )


def read_months(files: list[source.StreetFile]) -> tuple[pd.DataFrame, list[source.FileSummary]]:
    """Read and check the given files into one canonical table."""
    frames, summaries = [], []
    for street in files:
        frame = source.read_street_file(street)
        frames.append(frame)
        summaries.append(source.summarise_file(street, len(frame)))
    return pd.concat(frames, ignore_index=True), summaries


def rows_by_file(
    files: list[source.FileSummary], masks: tuple[pd.Series, pd.Series, pd.Series]
) -> list[dict[str, int]]:
    """Each file's rows kept for the district, with no location, other districts', other forces'.

    masks are district_rows' for the files' records, read in the files' order.
    """
    district, no_location, other_force = masks
    counts = (
        pd.DataFrame(
            {
                "file": np.repeat(np.arange(len(files)), [item.rows for item in files]),
                "kept": district.to_numpy(dtype=bool),
                "no_location": no_location.to_numpy(dtype=bool),
                "other_force": other_force.to_numpy(dtype=bool),
            }
        )
        .groupby("file")
        .agg(
            rows_kept=("kept", "sum"),
            rows_no_location=("no_location", "sum"),
            rows_other_forces=("other_force", "sum"),
        )
        .reindex(range(len(files)), fill_value=0)
    )
    return [
        {
            "rows_kept": int(kept),
            "rows_no_location": int(no_place),
            "rows_other_districts": item.rows - int(kept) - int(no_place) - int(foreign),
            "rows_reported_by_other_forces": int(foreign),
        }
        for item, kept, no_place, foreign in zip(
            files,
            counts["rows_kept"],
            counts["rows_no_location"],
            counts["rows_other_forces"],
            strict=True,
        )
    ]


@dataclass(frozen=True)
class ForceFiles:
    """The configured force's street files, one a month, and what was set aside, in words."""

    force: str
    files: list[source.StreetFile]
    notes: list[str]


def _force_problem(config: Config, problem: str) -> ConfigError:
    """A ConfigError at the config's `force` line."""
    return ConfigError(config.path, problem, key_line(config.path, ("force",)))


def match_force(config: Config, found: list[str]) -> str:
    """The force as police.uk writes it, from the config's (perhaps shorter) `force`."""
    wanted = config.force.casefold().split()
    exact = [name for name in found if name.casefold().split() == wanted]
    if exact:
        return exact[0]
    shorter = [name for name in found if name.casefold().split()[: len(wanted)] == wanted]
    if len(shorter) == 1:
        return shorter[0]
    names = listed([f"'{name}'" for name in (shorter or found)])
    if shorter:
        raise _force_problem(
            config,
            f"force '{config.force}' could be any of {names} (in {config.police_uk}); write it "
            "in full, as police.uk writes it in the files' 'Falls within' column.",
        )
    raise _force_problem(
        config,
        f"force '{config.force}' matches none of the forces whose files are in "
        f"{config.police_uk}: {names}; set force to the district's force as police.uk writes it "
        "in the 'Falls within' column, or point inputs.police_uk at that force's files.",
    )


def one_file_per_month(files: list[source.StreetFile]) -> tuple[list[source.StreetFile], list[str]]:
    """One file for each month: identical copies are read once (noted); different ones stop."""
    chosen, notes = [], []
    by_month: dict[pd.Period, list[source.StreetFile]] = {}
    for street in files:
        by_month.setdefault(street.month, []).append(street)
    for month, copies in by_month.items():
        first = copies[0]
        for other in copies[1:]:
            if sha256_of(other.path) != sha256_of(first.path):
                raise InputFileError(
                    first.path,
                    f"{month:%B %Y} is also in {other.path}, with different contents "
                    f"({count_with_unit(source.data_row_count(first.path), 'rows')} here, "
                    f"{format_count(source.data_row_count(other.path))} there): two downloads "
                    "overlap. Keep one file for each month (the later download) and move the "
                    "other out of the police.uk folder.",
                )
            notes.append(
                f"{other.path}: the same file as {first.path} (identical bytes), so "
                f"{month:%B %Y} was read once."
            )
        chosen.append(first)
    return chosen, notes


def force_street_files(config: Config) -> ForceFiles:
    """The street files of the config's force: one a month, other forces' files left out."""
    files = source.find_street_files(config.police_uk)
    forces = {street.path: source.falls_within(street.path) for street in files}
    found = sorted({name for name in forces.values() if name})
    if not found:  # no readable records at all: reading the files will say what is wrong
        return ForceFiles(config.force, files, [])
    force = match_force(config, found)
    own_names = {street.force for street in files if forces[street.path] == force}
    own = [
        street
        for street in files
        if forces[street.path] == force
        or (forces[street.path] is None and street.force in own_names)
    ]
    others = [street for street in files if street not in own]
    notes = []
    if others:
        names = listed(
            [f"{street.path.name} ({forces[street.path] or 'no records'})" for street in others]
        )
        notes.append(
            f"{config.police_uk}: left out {count_with_unit(len(others), 'files')} of other "
            f"forces: {names}; only {force}'s files are read."
        )
    chosen, repeated = one_file_per_month(own)
    return ForceFiles(force, chosen, notes + repeated)


def input_notes(caught: list[warnings.WarningMessage]) -> list[str]:
    """What reading an input warned of about the input itself; a library's own warnings (or
    another thread's: the record is the whole process's) are not the analyst's to act on."""
    return [str(item.message) for item in caught if issubclass(item.category, InputWarning)]


def stored_months(
    config: Config, wanted: list[source.StreetFile]
) -> tuple[pd.DataFrame, list[source.FileSummary], list[str]]:
    """The wanted files' rows from the force's shared store, as reading them gives (read and
    checked once, by `make force`); the store must hold each, unchanged since it was read."""
    store = config.police_uk_store
    index = police_uk_store.read_index(store, config.path)
    stored = {item.summary.path: item for item in index.files}
    for street in wanted:
        item = stored.get(str(street.path))
        if item is None or not police_uk_store.is_current(item, street):
            raise ConfigError(
                config.path,
                f"inputs.police_uk_store: the store at {store} holds no copy of {street.path} "
                f"as it is now ({street.month:%B %Y}); run `make force` again to read it in, or "
                "remove the setting to read the files themselves.",
                key_line(config.path, ("inputs", "police_uk_store")),
            )
    return police_uk_store.read_months(store, index, {street.month for street in wanted})


def short_months(counts: dict[pd.Period, int], share: float) -> dict[pd.Period, float]:
    """Months whose count is under share x the median of the other months: month -> median."""
    short = {}
    for month, count in counts.items():
        others = [other for key, other in counts.items() if key != month]
        if not others:
            continue
        median = float(np.median(others))
        if count < share * median:
            short[month] = median
    return short


def share_words(share: float) -> str:
    """`half` for 0.5, else the share as a percentage: `40%`."""
    return "half" if share == 0.5 else f"{share * 100:g}% of"


def short_month_note(
    where: Path, month: pd.Period, rows: int, median: float, what: str = "record"
) -> str:
    """The warning for a short month the config accepts."""
    return (
        f"{where}: {month:%B %Y} has {count_with_unit(rows, f'{what} rows')} against a median of "
        f"{median:,.0f}; accepted as short (accept_short_months), so {month:%B} is left out of "
        f"both years of every period of the {what} figures that holds it."
    )


def police_uk_kinds(records: pd.DataFrame, config: Config) -> list[tuple[str, pd.Series, str]]:
    """The figure sources the police.uk rows give (crimes, unless the extract gives them, and
    ASB): each one's name, its rows and what its rows are, in words."""
    is_asb = records["crime_type"] == police_uk().anti_social_behaviour
    kinds = [(POLICE_UK_CRIMES, ~is_asb, "crime"), (POLICE_UK_ASB, is_asb, "anti-social behaviour")]
    if config.uses_force_extract:  # police.uk gives the ASB alone; its crimes are not used
        kinds = kinds[1:]
    return kinds


def check_short_police_uk(
    records: pd.DataFrame,
    summaries: list[source.FileSummary],
    config: Config,
    needed: list[pd.Period],
) -> tuple[dict[str, list[str]], list[str]]:
    """Stop on a compared police.uk month whose crimes, or whose ASB, fall far below the other
    compared months'.

    police.uk publishes crimes and ASB together, but a month's ASB can be absent or partial on
    its own; each is checked, and a short month the config accepts is left out of that one.
    Returns the short months accepted for crimes and for ASB, and the notes to print.
    """
    read = {pd.Period(item.month, freq="M"): item.path for item in summaries}
    paths = {month: read[month] for month in needed if month in read}
    months = list(paths)
    accepted: dict[str, list[str]] = {}
    notes = []
    accepted[POLICE_UK_CRIMES] = []
    for name, chosen, what in police_uk_kinds(records, config):
        counts = records.loc[chosen, "month"].value_counts().reindex(months, fill_value=0)
        accepted[name] = []
        for month, median in short_months(counts.to_dict(), config.short_month_share).items():
            rows = int(counts[month])
            if str(month) not in config.accept_short_months:
                raise InputFileError(
                    paths[month],
                    f"{count_with_unit(rows, f'{what} rows')}, under "
                    f"{share_words(config.short_month_share)} the median of the other months "
                    f"read ({median:,.0f}): {month:%B %Y}'s {what} looks cut short or left out. "
                    f"Download the month again, or list {month} under accept_short_months in the "
                    f"config to report without it (it is then left out of both years of the "
                    f"{what} figures).",
                )
            accepted[name].append(str(month))
            notes.append(short_month_note(Path(paths[month]), month, rows, median, what))
    return accepted, notes


def chart_only_gaps(
    counts: dict[pd.Period, int],
    needed: list[pd.Period],
    charted: list[pd.Period],
    share: float,
    where: Path,
    what: str,
) -> tuple[list[str], list[str]]:
    """The months only the control charts show (those before the 24 compared) that have no
    usable data, and a note for each short one.

    Neither stops the run, since these months are not compared: one with no records (before the
    data starts, or not downloaded) is a gap in the charts, and so is one far below the compared
    months' median count (cut short?), said in a note.
    """
    compared = [counts.get(month, 0) for month in needed if counts.get(month, 0) > 0]
    median = float(np.median(compared)) if compared else 0.0
    gaps, notes = [], []
    for month in charted[: len(charted) - len(needed)]:
        rows = counts.get(month, 0)
        if rows == 0 or rows < share * median:
            gaps.append(str(month))
        if 0 < rows < share * median:
            notes.append(
                f"{where}: {month:%B %Y} has {count_with_unit(rows, f'{what} rows')} against a "
                f"median of {median:,.0f} in the months compared; it is left out of the control "
                "charts (it is not compared)."
            )
    return gaps, notes


def police_uk_chart_gaps(
    records: pd.DataFrame, config: Config, needed: list[pd.Period], charted: list[pd.Period]
) -> tuple[dict[str, list[str]], list[str]]:
    """For each police.uk figure source, the chart-only months with no usable data; the notes."""
    gaps, notes = {}, []
    for name, chosen, what in police_uk_kinds(records, config):
        counts = records.loc[chosen, "month"].value_counts().to_dict()
        gaps[name], kind_notes = chart_only_gaps(
            counts, needed, charted, config.short_month_share, config.police_uk, what
        )
        notes += kind_notes
    return gaps, notes


def missing_months_note(where: Path, months: list[str]) -> str:
    """The warning for months the config accepts as missing."""
    return (
        f"{where}: no data for {', '.join(months)}; accepted as missing (accept_missing_months), "
        "so those months are left out of both years of every period that holds them."
    )


@dataclass(frozen=True)
class ForceMonths:
    """The force's street files, the compared months accepted as missing, and the rows of the
    months read, with each file's summary and the warnings reading them gave."""

    chosen: ForceFiles
    accepted: list[str]
    records: pd.DataFrame
    summaries: list[source.FileSummary]
    notes: list[str]


def read_force_months(
    config: Config, needed: list[pd.Period], months: list[pd.Period]
) -> ForceMonths:
    """The force's files checked for the needed months (missing ones stop the run unless
    accepted) and the given months read, from the files or the force's shared store."""
    chosen = force_street_files(config)
    accepted = check_months(
        source.months_available(chosen.files),
        needed,
        config.accept_missing_months,
        config.police_uk,
    )
    wanted = [street for street in chosen.files if street.month in set(months)]
    if config.police_uk_store is None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", InputWarning)
            records, summaries = read_months(wanted)
        notes = input_notes(caught)
    else:
        records, summaries, notes = stored_months(config, wanted)
    return ForceMonths(chosen, accepted, records, summaries, notes)


def ingest_police_uk(
    config: Config, needed: list[pd.Period], charted: list[pd.Period]
) -> IngestResult:
    """Read the force's police.uk months (those compared, and any of the earlier months the
    control charts show), from the files or the force's shared store, and select the district."""
    read = read_force_months(config, needed, charted)
    chosen, accepted, records, summaries = read.chosen, read.accepted, read.records, read.summaries
    masks = district_rows(records, config, chosen.force)
    selection = select_district(records, config, chosen.force, masks)
    check_selection_size(selection.district, records, config)
    short, short_notes = check_short_police_uk(records, summaries, config, needed)
    chart_gaps, gap_notes = police_uk_chart_gaps(records, config, needed, charted)
    notes = chosen.notes + read.notes
    if accepted:
        notes.append(missing_months_note(config.police_uk, accepted))
    notes += short_notes + gap_notes
    unknown = source.unknown_outcomes(selection.district)
    if unknown:
        notes.append(
            f"Outcome wordings not in the police.uk list, counted as not positive: {unknown}"
        )
    result = IngestResult(
        selection.district,
        selection.no_location,
        summaries,
        len(records),
        selection.other_districts,
        accepted,
        notes,
        force=chosen.force,
        rows_other_forces=selection.other_forces,
        short_months_accepted=sorted({*short[POLICE_UK_CRIMES], *short[POLICE_UK_ASB]}),
        unavailable={name: sorted({*accepted, *months}) for name, months in short.items()},
        chart_unavailable=chart_gaps,
    )
    result.file_counts = rows_by_file(summaries, masks)
    return result


def check_police_uk_months(config: Config, year: FinancialYear, quarter: int) -> list[str]:
    """The checks of ingest_police_uk (and ingest_quarter) that concern the force's months as a
    whole, not the district: no compared month missing or short unless accepted, and not so many
    accepted that a period has none; the warnings for those accepted. `make force` makes them
    before its partnerships start, since every partnership reads the same files."""
    if not config.needs_police_uk:  # its figures all come from a force extract
        return []
    needed = required_months(year, quarter)
    read = read_force_months(config, needed, needed)
    short, notes = check_short_police_uk(read.records, read.summaries, config, needed)
    check_periods_compared(
        {name: sorted({*read.accepted, *months}) for name, months in short.items()}, year, quarter
    )
    return ([missing_months_note(config.police_uk, read.accepted)] if read.accepted else []) + notes


def no_police_uk() -> IngestResult:
    """An empty police.uk part, for a config whose figures all come from a force extract."""
    empty = pd.DataFrame(
        {
            "crime_type": pd.Series(dtype="string"),
            "month": pd.Series(dtype="period[M]"),
            "lsoa_name": pd.Series(dtype="string"),
        }
    )
    return IngestResult(empty, empty.copy(), [], 0, 0, [])


def needed_crimes(crimes: pd.DataFrame, needed: list[pd.Period]) -> pd.DataFrame:
    """Crimes recorded in, or given an outcome in, the months read (compared or charted)."""
    recorded = crimes["recorded_date"].dt.to_period("M").isin(needed)
    outcome = crimes["outcome_date"].dt.to_period("M").isin(needed)
    return crimes[recorded | outcome].reset_index(drop=True)


def ingest_extract(
    config: Config, needed: list[pd.Period], charted: list[pd.Period]
) -> tuple[ExtractResult, dict[str, dict[str, list[str]]], list[str]]:
    """Read and check the force extract and keep what the quarter needs: the months compared
    and the earlier ones the control charts show.

    Also returns, for each of its sources, the months accepted as missing and as short, and the
    chart-only months with no usable data (`chart`).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        crimes = force_extract.read_force_crimes(config.force_crimes)
        asb = None if config.force_asb is None else force_extract.read_force_asb(config.force_asb)
    notes = input_notes(caught)
    parts = [(FORCE_CRIMES, config.force_crimes, crimes, "recorded_date")]
    if asb is not None:
        parts.append((FORCE_ASB, config.force_asb, asb, "date"))
    accepted = {}
    for name, path, frame, column in parts:
        months = force_extract.months_recorded(frame, column)
        missing = check_months(months, needed, config.accept_missing_months, path)
        if missing:
            notes.append(missing_months_note(path, missing))
        what = "crime" if name == FORCE_CRIMES else "anti-social behaviour"
        short, short_notes = check_short_extract(frame[column], needed, path, config, what)
        counts = frame[column].dt.to_period("M").value_counts().to_dict()
        gaps, gap_notes = chart_only_gaps(
            counts, needed, charted, config.short_month_share, path, what
        )
        notes += short_notes + gap_notes
        accepted[name] = {"missing": missing, "short": short, "chart": gaps}
    files = [force_extract.summarise_extract(config.force_crimes, "crimes", crimes)]
    if asb is not None:
        files.append(force_extract.summarise_extract(config.force_asb, "asb", asb))
    result = ExtractResult(
        crimes=needed_crimes(crimes, charted),
        asb=None if asb is None else asb[asb["date"].dt.to_period("M").isin(charted)],
        files=files,
        crimes_read=len(crimes),
        asb_read=0 if asb is None else len(asb),
    )
    return result, accepted, notes


def check_short_extract(
    dates: pd.Series, needed: list[pd.Period], path: Path, config: Config, what: str
) -> tuple[list[str], list[str]]:
    """Stop on a needed month with far fewer records than the others (a partial extract?)."""
    counts = dates.dt.to_period("M").value_counts().reindex(needed, fill_value=0)
    present = {month: int(count) for month, count in counts.items() if count > 0}
    accepted, notes = [], []
    for month, median in short_months(present, config.short_month_share).items():
        rows = present[month]
        if str(month) not in config.accept_short_months:
            raise InputFileError(
                path,
                f"{month:%B %Y} has {count_with_unit(rows, 'records')}, under "
                f"{share_words(config.short_month_share)} the median of the other months "
                f"({median:,.0f}): check the extract covers the whole month, or list {month} "
                "under accept_short_months in the config to report without it (it is then "
                "left out of both years).",
            )
        accepted.append(str(month))
        notes.append(short_month_note(path, month, rows, median, what))
    return accepted, notes


def unaccepted_short_notes(config: Config, short: list[str]) -> list[str]:
    """A note for each month accept_short_months lists that no source has short."""
    return [
        f"accept_short_months lists {month}, but no input is short in that month; it is "
        "compared as usual."
        for month in config.accept_short_months
        if month not in short
    ]


def ingest_quarter(config: Config, year: FinancialYear, quarter: int) -> IngestResult:
    """Read the 24 months a quarter's comparisons need from every source the config uses, and
    the 12 before them, where the sources have them, for the control charts."""
    needed, charted = required_months(year, quarter), chart_months(year, quarter)
    result = ingest_police_uk(config, needed, charted) if config.needs_police_uk else no_police_uk()
    if config.uses_force_extract:
        result.extract, accepted, notes = ingest_extract(config, needed, charted)
        for name, months in accepted.items():
            result.unavailable[name] = sorted({*months["missing"], *months["short"]})
            result.chart_unavailable[name] = months["chart"]
            result.missing_months_accepted = sorted(
                {*result.missing_months_accepted, *months["missing"]}
            )
            result.short_months_accepted = sorted({*result.short_months_accepted, *months["short"]})
        result.warnings += notes
    result.warnings += unaccepted_short_notes(config, result.short_months_accepted)
    check_periods_compared(result.unavailable, year, quarter)
    return result


def check_periods_compared(
    unavailable: dict[str, list[str]], year: FinancialYear, quarter: int
) -> None:
    """Stop when months accepted as missing or short leave a compared period with no month."""
    for name, months in unavailable.items():
        left = frozenset(pd.Period(month, freq="M") for month in months)
        for period in compared_periods(year, quarter, left).values():
            if not period.current:
                raise MissingMonthsError(
                    [str(month) for month in period.months_left_out],
                    name,
                    f"every month of the {period.label.lower()} is accepted as missing or short "
                    "(this year or last), so there is nothing to compare; add the missing data",
                )


def sources_used(config: Config) -> list[str]:
    """Which sources the quarter's figures come from."""
    return (["force_extract"] if config.uses_force_extract else []) + (
        ["police_uk"] if config.needs_police_uk else []
    )


def extract_file_record(item: force_extract.ExtractSummary, kept: int) -> dict:
    """One extract file's provenance: what was read, the months it covers and the rows kept."""
    return asdict(item) | {
        "first_month": item.first_date[:7],
        "last_month": item.last_date[:7],
        "rows_kept": kept,
        "rows_outside_months_read": item.rows - kept,
    }


def police_uk_file_record(item: source.FileSummary, counts: dict[str, int]) -> dict:
    """One police.uk file's provenance: what was read, its month and how its rows were split."""
    return asdict(item) | {"first_month": item.month, "last_month": item.month} | counts


def extract_record(extract: ExtractResult | None) -> ExtractProvenance | None:
    """The force extract part of the provenance record."""
    if extract is None:
        return None
    kept = {
        "crimes": len(extract.crimes),
        "asb": 0 if extract.asb is None else len(extract.asb),
    }
    return ExtractProvenance(
        files=[extract_file_record(item, kept[item.kind]) for item in extract.files],
        crimes_read=extract.crimes_read,
        crimes_kept=len(extract.crimes),
        asb_read=extract.asb_read,
        asb_kept=0 if extract.asb is None else len(extract.asb),
    )


def summary_record(
    result: IngestResult, config: Config, year: FinancialYear, quarter: int
) -> IngestSummary:
    """The ingest's provenance."""
    return IngestSummary(
        district=config.district,
        force=result.force or config.force,
        force_as_configured=config.force,
        financial_year=year.name,
        quarter=quarter,
        sources=sources_used(config),
        selection=config.selection,
        police_uk_folder=str(config.police_uk) if config.needs_police_uk else None,
        months=[str(month) for month in required_months(year, quarter)],
        chart_months=[str(month) for month in chart_months(year, quarter)],
        chart_months_unavailable=result.chart_unavailable,
        missing_months_accepted=result.missing_months_accepted,
        short_months_accepted=result.short_months_accepted,
        unavailable_months=result.unavailable,
        police_uk_months_read=[item.month for item in result.files],
        rows_read=result.rows_read,
        rows_kept_district=len(result.records),
        rows_no_location=len(result.no_location),
        rows_other_districts=result.rows_other_districts,
        rows_reported_by_other_forces=result.rows_other_forces,
        warnings=result.warnings,
        files=[
            police_uk_file_record(item, counts)
            for item, counts in zip(result.files, result.file_counts, strict=True)
        ],
        force_extract=extract_record(result.extract),
    )


def write_processed(
    result: IngestResult, folder: Path, config: Config, year: FinancialYear, quarter: int
) -> None:
    """Write the tidy tables and the ingest summary into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    result.records.to_parquet(folder / RECORDS_FILE, index=False)
    result.no_location.to_parquet(folder / NO_LOCATION_FILE, index=False)
    if result.extract is not None:
        result.extract.crimes.to_parquet(folder / FORCE_CRIMES_FILE, index=False)
        if result.extract.asb is not None:
            result.extract.asb.to_parquet(folder / FORCE_ASB_FILE, index=False)
    summary = summary_record(result, config, year, quarter).as_json()
    (folder / SUMMARY_FILE).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class ProcessedQuarter:
    """A quarter's processed tables, read back for analysis."""

    records: pd.DataFrame
    no_location: pd.DataFrame
    summary: IngestSummary
    force_crimes: pd.DataFrame | None = None
    force_asb: pd.DataFrame | None = None


def _optional_table(path: Path) -> pd.DataFrame | None:
    """A processed table, or None when the ingest had no such source."""
    return pd.read_parquet(path) if path.exists() else None


def load_processed(folder: Path) -> ProcessedQuarter:
    """Read the tables an ingest wrote."""
    return ProcessedQuarter(
        records=pd.read_parquet(folder / RECORDS_FILE),
        no_location=pd.read_parquet(folder / NO_LOCATION_FILE),
        summary=load_summary(folder),
        force_crimes=_optional_table(folder / FORCE_CRIMES_FILE),
        force_asb=_optional_table(folder / FORCE_ASB_FILE),
    )


def files_table(summary: IngestSummary) -> pd.DataFrame:
    """Every input file read, by name, with its size, SHA-256 and rows."""
    extract_files = summary.force_extract.files if summary.force_extract else []
    files = pd.DataFrame(extract_files + summary.files)
    if files.empty:
        return files
    return files.assign(path=files["path"].map(lambda path: Path(path).name))


def counts_table(summary: IngestSummary) -> pd.DataFrame:
    """How many rows each source gave and how many were kept or set aside."""
    counts: dict[str, object] = {"Sources": ", ".join(summary.sources)}
    extract = summary.force_extract
    if extract:
        counts |= {
            "Extract crimes read": extract.crimes_read,
            "Kept: recorded or given an outcome in the months read": extract.crimes_kept,
            "Extract ASB incidents read": extract.asb_read,
            "Kept: ASB incidents in the months read": extract.asb_kept,
        }
    if summary.files:
        counts |= {
            "police.uk rows read": summary.rows_read,
            "Kept: in the district": summary.rows_kept_district,
            "Kept apart: no location (force level, no district)": summary.rows_no_location,
            "Left out: other districts": summary.rows_other_districts,
            "Kept apart: reported by another force": summary.rows_reported_by_other_forces,
        }
    counts["Months accepted as missing"] = ", ".join(summary.missing_months_accepted) or "none"
    counts["Months accepted as short"] = ", ".join(summary.short_months_accepted) or "none"
    for name, months in summary.unavailable_months.items():
        counts[f"Left out of both years ({name})"] = ", ".join(months) or "none"
    return pd.Series(counts, name="count").to_frame()
