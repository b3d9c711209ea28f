"""Ingest: police.uk files to validated, tidy tables of one district's quarter."""

from __future__ import annotations

import json
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.config import Config, key_line
from pipeline.errors import InputWarning, MissingMonthsError, SelectionError
from pipeline.numbers import count_with_unit
from pipeline.periods import (
    FinancialYear,
    latest_covered_year,
    parse_financial_year,
    required_months,
)
from pipeline.sources import force_extract
from pipeline.sources import police_uk as source

RECORDS_FILE = "district_records.parquet"
NO_LOCATION_FILE = "no_location_records.parquet"
FORCE_CRIMES_FILE = "force_crimes.parquet"
FORCE_ASB_FILE = "force_asb.parquet"
SUMMARY_FILE = "ingest_summary.json"


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
    """The district's records for the quarter's 24 months, and what was read to get them."""

    records: pd.DataFrame
    no_location: pd.DataFrame
    files: list[source.FileSummary]
    rows_read: int
    rows_other_districts: int
    missing_months_accepted: list[str]
    warnings: list[str] = field(default_factory=list)
    extract: ExtractResult | None = None
    file_counts: list[dict[str, int]] = field(default_factory=list)


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
        sources.append(source.months_available(source.find_street_files(config.police_uk)))
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
    if text:
        return parse_financial_year(text)
    months = months_in_inputs(config)
    months |= {pd.Period(month, freq="M") for month in config.accept_missing_months}
    year = latest_covered_year(quarter, months)
    if year is None:
        raise MissingMonthsError(
            [f"no financial year has all 24 months needed for quarter {quarter}"],
            data_location(config),
        )
    return year


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
    """Rows whose LSOA belongs to the configured district."""
    if config.lsoa_name_prefix:
        names = records["lsoa_name"].str.strip().str.casefold()
        prefix = config.lsoa_name_prefix.casefold()
        return (names == prefix) | names.str.startswith(prefix + " ")
    return records["lsoa_code"].str.strip().isin(config.lsoa_codes)


def local_authorities(records: pd.DataFrame, limit: int = 8) -> list[str]:
    """The commonest LSOA name prefixes in the records, to suggest a selection."""
    prefixes = records["lsoa_name"].str.replace(r"\s+\d{3}[A-Z]$", "", regex=True)
    return prefixes[prefixes != ""].value_counts().head(limit).index.tolist()


def district_rows(records: pd.DataFrame, config: Config) -> tuple[pd.Series, pd.Series]:
    """Which rows are the district's, and which have no location."""
    no_location = records["lsoa_code"].fillna("").str.strip() == ""
    return in_district(records, config) & ~no_location, no_location


def no_match_message(records: pd.DataFrame, config: Config) -> str:
    """Why the district selection found nothing: the config line, and the LSOA names there are."""
    key = "lsoa_name_prefix" if config.lsoa_name_prefix else "lsoa_codes"
    line = key_line(config.path, ("inputs", key))
    where = f"{config.path}, line {line}" if line else str(config.path)
    names = ", ".join(local_authorities(records)) or "none"
    expected = (
        f"expected the start of LSOA names found there, which begin: {names}"
        if config.lsoa_name_prefix
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


def select_district(
    records: pd.DataFrame, config: Config
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Split rows into the district's, those with no location, and a count of other districts'."""
    district, no_location = district_rows(records, config)
    if not district.any():
        raise SelectionError(no_match_message(records, config))
    other = int((~district & ~no_location).sum())
    return (
        records[district].reset_index(drop=True),
        records[no_location].reset_index(drop=True),
        other,
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
    records: pd.DataFrame, files: list[source.FileSummary], config: Config
) -> list[dict[str, int]]:
    """Each file's rows kept for the district, with no location, and in other districts."""
    district, no_location = district_rows(records, config)
    counts = (
        pd.DataFrame(
            {
                "file": np.repeat(np.arange(len(files)), [item.rows for item in files]),
                "kept": district.to_numpy(dtype=bool),
                "no_location": no_location.to_numpy(dtype=bool),
            }
        )
        .groupby("file")
        .agg(rows_kept=("kept", "sum"), rows_no_location=("no_location", "sum"))
        .reindex(range(len(files)), fill_value=0)
    )
    return [
        {
            "rows_kept": int(kept),
            "rows_no_location": int(no_place),
            "rows_other_districts": item.rows - int(kept) - int(no_place),
        }
        for item, kept, no_place in zip(
            files, counts["rows_kept"], counts["rows_no_location"], strict=True
        )
    ]


def ingest_police_uk(config: Config, needed: list[pd.Period]) -> IngestResult:
    """Read the police.uk months needed and select the district."""
    files = source.find_street_files(config.police_uk)
    accepted = check_months(
        source.months_available(files), needed, config.accept_missing_months, config.police_uk
    )
    wanted = [street for street in files if street.month in set(needed)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        records, summaries = read_months(wanted)
    district, no_location, other = select_district(records, config)
    notes = [str(item.message) for item in caught]
    unknown = source.unknown_outcomes(district)
    if unknown:
        notes.append(
            f"Outcome wordings not in the police.uk list, counted as not positive: {unknown}"
        )
    result = IngestResult(district, no_location, summaries, len(records), other, accepted, notes)
    result.file_counts = rows_by_file(records, summaries, config)
    return result


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
    """Crimes recorded in, or given an outcome in, the months the comparisons need."""
    recorded = crimes["recorded_date"].dt.to_period("M").isin(needed)
    outcome = crimes["outcome_date"].dt.to_period("M").isin(needed)
    return crimes[recorded | outcome].reset_index(drop=True)


def ingest_extract(
    config: Config, needed: list[pd.Period]
) -> tuple[ExtractResult, list[str], list[str]]:
    """Read and check the force extract and keep what the quarter needs, with months accepted."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        crimes = force_extract.read_force_crimes(config.force_crimes)
        asb = None if config.force_asb is None else force_extract.read_force_asb(config.force_asb)
    accepted = check_months(
        force_extract.months_recorded(crimes, "recorded_date"),
        needed,
        config.accept_missing_months,
        config.force_crimes,
    )
    files = [force_extract.summarise_extract(config.force_crimes, "crimes", crimes)]
    if asb is not None:
        accepted += check_months(
            force_extract.months_recorded(asb, "date"),
            needed,
            config.accept_missing_months,
            config.force_asb,
        )
        files.append(force_extract.summarise_extract(config.force_asb, "asb", asb))
    notes = [str(item.message) for item in caught]
    notes += thin_months(crimes["recorded_date"], needed, config.force_crimes)
    if asb is not None:
        notes += thin_months(asb["date"], needed, config.force_asb)
    result = ExtractResult(
        crimes=needed_crimes(crimes, needed),
        asb=None if asb is None else asb[asb["date"].dt.to_period("M").isin(needed)],
        files=files,
        crimes_read=len(crimes),
        asb_read=0 if asb is None else len(asb),
    )
    return result, accepted, notes


def thin_months(dates: pd.Series, needed: list[pd.Period], path: Path) -> list[str]:
    """Warnings for needed months with under half the median month's rows (a partial extract?)."""
    counts = dates.dt.to_period("M").value_counts().reindex(needed, fill_value=0)
    median = counts[counts > 0].median()
    thin = counts[(counts > 0) & (counts < median / 2)]
    return [
        f"{path.name}: {month:%B %Y} has {count_with_unit(count, 'rows')} against a median of "
        f"{median:,.0f} a month; check the extract covers the whole month."
        for month, count in thin.items()
    ]


def ingest_quarter(config: Config, year: FinancialYear, quarter: int) -> IngestResult:
    """Read the 24 months a quarter's comparisons need from every source the config uses."""
    needed = required_months(year, quarter)
    result = ingest_police_uk(config, needed) if config.needs_police_uk else no_police_uk()
    if config.uses_force_extract:
        result.extract, accepted, notes = ingest_extract(config, needed)
        result.missing_months_accepted = sorted({*result.missing_months_accepted, *accepted})
        result.warnings += notes
    return result


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
        "rows_outside_24_months": item.rows - kept,
    }


def police_uk_file_record(item: source.FileSummary, counts: dict[str, int]) -> dict:
    """One police.uk file's provenance: what was read, its month and how its rows were split."""
    return asdict(item) | {"first_month": item.month, "last_month": item.month} | counts


def extract_record(extract: ExtractResult | None) -> dict | None:
    """The force extract part of the provenance record."""
    if extract is None:
        return None
    kept = {
        "crimes": len(extract.crimes),
        "asb": 0 if extract.asb is None else len(extract.asb),
    }
    return {
        "files": [extract_file_record(item, kept[item.kind]) for item in extract.files],
        "crimes_read": extract.crimes_read,
        "crimes_kept": len(extract.crimes),
        "asb_read": extract.asb_read,
        "asb_kept": 0 if extract.asb is None else len(extract.asb),
    }


def summary_record(result: IngestResult, config: Config, year: FinancialYear, quarter: int) -> dict:
    """The ingest's provenance as plain data."""
    return {
        "district": config.district,
        "force": config.force,
        "financial_year": year.name,
        "quarter": quarter,
        "sources": sources_used(config),
        "selection": config.selection,
        "police_uk_folder": str(config.police_uk) if config.needs_police_uk else None,
        "months": [str(month) for month in required_months(year, quarter)],
        "missing_months_accepted": result.missing_months_accepted,
        "rows_read": result.rows_read,
        "rows_kept_district": len(result.records),
        "rows_no_location": len(result.no_location),
        "rows_other_districts": result.rows_other_districts,
        "warnings": result.warnings,
        "files": [
            police_uk_file_record(item, counts)
            for item, counts in zip(result.files, result.file_counts, strict=True)
        ],
        "force_extract": extract_record(result.extract),
    }


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
    summary = summary_record(result, config, year, quarter)
    (folder / SUMMARY_FILE).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class ProcessedQuarter:
    """A quarter's processed tables, read back for analysis."""

    records: pd.DataFrame
    no_location: pd.DataFrame
    summary: dict
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
        summary=json.loads((folder / SUMMARY_FILE).read_text(encoding="utf-8")),
        force_crimes=_optional_table(folder / FORCE_CRIMES_FILE),
        force_asb=_optional_table(folder / FORCE_ASB_FILE),
    )


def files_table(summary: dict) -> pd.DataFrame:
    """Every input file read, by name, with its size, SHA-256 and rows."""
    extract = summary["force_extract"] or {"files": []}
    files = pd.DataFrame(extract["files"] + summary["files"])
    if files.empty:
        return files
    return files.assign(path=files["path"].map(lambda path: Path(path).name))


def counts_table(summary: dict) -> pd.DataFrame:
    """How many rows each source gave and how many were kept or set aside."""
    counts: dict[str, object] = {"Sources": ", ".join(summary["sources"])}
    extract = summary["force_extract"]
    if extract:
        counts |= {
            "Extract crimes read": extract["crimes_read"],
            "Kept: recorded or given an outcome in the 24 months": extract["crimes_kept"],
            "Extract ASB incidents read": extract["asb_read"],
            "Kept: ASB incidents in the 24 months": extract["asb_kept"],
        }
    if summary["files"]:
        counts |= {
            "police.uk rows read": summary["rows_read"],
            "Kept: in the district": summary["rows_kept_district"],
            "Kept apart: no location (force level, no district)": summary["rows_no_location"],
            "Left out: other districts": summary["rows_other_districts"],
        }
    counts["Months accepted as missing"] = ", ".join(summary["missing_months_accepted"]) or "none"
    return pd.Series(counts, name="count").to_frame()
