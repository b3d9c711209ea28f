"""The analysis stage's output: a quarter's analysis and tracker, saved once and read back.

Notebook 02 computes the analysis and saves it here (tables as Parquet, the rest as JSON, whose
record and folder are `pipeline.saved_record`'s); notebook 03, the charts and the words read this
one result, so every published figure comes from the same computation. Nothing here runs code on
reading: Parquet and JSON only, no pickle.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pandas as pd

from pipeline.analysis import QuarterAnalysis, analyse
from pipeline.benchmark import Benchmark, OnsNote, district_benchmark
from pipeline.change_tests import statistics
from pipeline.config import Config
from pipeline.ingest import load_processed
from pipeline.local_detail import COUNTS as LOCAL_COUNTS
from pipeline.local_detail import FRAMES as LOCAL_FRAMES
from pipeline.local_detail import LocalDetail
from pipeline.metrics import NoLocationCounts
from pipeline.numbers import format_month
from pipeline.opcc_return import missing_return_notes, other_year_notes
from pipeline.paths import project_path
from pipeline.periods import (
    PERIOD_NAMES,
    ComparedPeriod,
    FinancialYear,
    compared_periods,
    parse_financial_year,
)
from pipeline.saved_record import (
    ANALYSIS_FOLDER,
    FIGURES_FILE,
    FORMAT,
    saved_record,
    wait_for_analysis,
    wait_for_ingest,
)
from pipeline.sources.tracker import Tracker, read_tracker_noting_warnings

FRAMES = (
    "coverage",
    "monthly_crime",
    "monthly_asb",
    "mix",
    "top_crime_areas",
    "top_asb_areas",
    "change_tests",
    "control_charts",
)
TRACKER_FRAMES = ("plan", "returns", "budgets")


@dataclass(frozen=True)
class AnalysisOutput:
    """What the analysis stage hands on: the analysis, the tracker read for it, and the warnings
    of reading its inputs (the tracker's, ONS tables newer than the quarter)."""

    analysis: QuarterAnalysis
    tracker: Tracker | None
    warnings: tuple[str, ...] = ()


def analysis_stage(
    config: Config, year: FinancialYear, quarter: int, processed: Path, output_dir: str = ""
) -> AnalysisOutput:
    """Compute the quarter's analysis from its processed tables, and read the config's tracker.

    In a run (an output folder given) whose ingest runs beside this, the tracker is read first
    and the tables once the run says they are in place."""
    tracker, warnings = None, []
    if config.tracker is not None:
        tracker, warnings = read_tracker_noting_warnings(config.tracker, year.name, quarter)
        warnings += missing_return_notes(tracker, year.name, quarter)
        warnings += other_year_notes(tracker, year.name)
    benchmark = district_benchmark(config)  # the ONS tables, if the config names them
    if benchmark is not None and after_the_quarter(benchmark, year, quarter):
        warnings.append(newer_ons_tables_warning(config, benchmark, year, quarter))
        benchmark = None
    if output_dir:
        statistics()  # loaded while the ingest finishes
        wait_for_ingest(Path(output_dir))
    analysis = analyse(load_processed(processed), year, quarter, config.positive_outcomes)
    return AnalysisOutput(replace(analysis, benchmark=benchmark), tracker, tuple(warnings))


def ons_year_end(benchmark: Benchmark) -> pd.Period:
    """The last month of the ONS tables' year (`December 2024`)."""
    return pd.Period(pd.to_datetime(benchmark.period, format="%B %Y"), freq="M")


def after_the_quarter(benchmark: Benchmark, year: FinancialYear, quarter: int) -> bool:
    """Whether the ONS tables' year ends after the quarter: figures its paper could not have."""
    return ons_year_end(benchmark) > compared_periods(year, quarter)["quarter"].last


def newer_ons_tables_warning(
    config: Config, benchmark: Benchmark, year: FinancialYear, quarter: int
) -> str:
    """Why the comparison with the ONS tables is left out of an earlier quarter's paper."""
    last = compared_periods(year, quarter)["quarter"].last
    return (
        f"{project_path(config.ons_tables)}: the ONS tables are for the year ending "
        f"{benchmark.period}, after quarter {quarter} {year.label} (to {format_month(str(last))}), "
        "so this quarter's paper leaves out the comparison with other areas; for it, give "
        f"tables for a year ending by {format_month(str(last))} (inputs.ons_tables)."
    )


def report_analysis(
    config: Config, year: FinancialYear, quarter: int, processed: Path, output_dir: str
) -> AnalysisOutput:
    """The analysis the report is made from: in a run (an output folder given), the one notebook
    02 saves beside it, waited for; opened alone in JupyterLab, computed here."""
    if output_dir:
        return load_analysis(Path(output_dir), wait=True)
    return analysis_stage(config, year, quarter, processed)


def _period_record(period: ComparedPeriod) -> dict:
    return {
        "name": period.name,
        "first": str(period.first),
        "last": str(period.last),
        "left_out": [str(month) for month in period.left_out],
    }


def _period(record: dict) -> ComparedPeriod:
    return ComparedPeriod(
        record["name"],
        pd.Period(record["first"], freq="M"),
        pd.Period(record["last"], freq="M"),
        tuple(pd.Period(month, freq="M") for month in record["left_out"]),
    )


def _benchmark_record(benchmark: Benchmark) -> dict:
    """The comparison's figures other than its table, for analysis.json."""
    return {
        "period": benchmark.period,
        "previous_period": benchmark.previous_period,
        "population_vintage": benchmark.population_vintage,
        "workbook": benchmark.workbook,
        "unassigned_left_out": benchmark.unassigned_left_out,
        "left_out_rows": list(benchmark.left_out_rows),
        "caveats": [vars(note) for note in benchmark.caveats],
        "groups_left_out": list(benchmark.groups_left_out),
        "small_base": benchmark.small_base,
    }


def _benchmark(record: dict, table: pd.DataFrame) -> Benchmark:
    """The comparison as saved."""
    return Benchmark(
        **record
        | {
            "table": table,
            "left_out_rows": tuple(record["left_out_rows"]),
            "groups_left_out": tuple(record["groups_left_out"]),
            "caveats": tuple(
                OnsNote(note["number"], note["text"], tuple(note["areas"]), tuple(note["groups"]))
                for note in record["caveats"]
            ),
        }
    )


def _local(counts: dict, source: Path) -> LocalDetail:
    """The figures by beat and location type as saved."""
    tables = {name: pd.read_parquet(source / f"local_{name}.parquet") for name in LOCAL_FRAMES}
    return LocalDetail(**tables, **counts)


def save_analysis(output: AnalysisOutput, folder: Path) -> Path:
    """Write the analysis stage's output into folder/analysis; return that folder."""
    target = folder / ANALYSIS_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    analysis, tracker = output.analysis, output.tracker
    for name in FRAMES:
        getattr(analysis, name).to_parquet(target / f"{name}.parquet", index=False)
    for name in PERIOD_NAMES:
        analysis.performance[name].to_parquet(target / f"performance_{name}.parquet", index=False)
    if tracker is not None:
        for name in TRACKER_FRAMES:
            getattr(tracker, name).to_parquet(target / f"tracker_{name}.parquet", index=False)
    benchmark = analysis.benchmark
    if benchmark is not None:
        benchmark.table.to_parquet(target / "benchmark.parquet", index=False)
    local = analysis.local
    if local is not None:
        for name in LOCAL_FRAMES:
            getattr(local, name).to_parquet(target / f"local_{name}.parquet", index=False)
    no_location = analysis.no_location
    record = {
        "format": FORMAT,
        "financial_year": analysis.year.name,
        "quarter": analysis.quarter,
        "source": analysis.source,
        "crime_area_kind": analysis.crime_area_kind,
        "asb_area_kind": analysis.asb_area_kind,
        "periods": [_period_record(analysis.periods[name]) for name in PERIOD_NAMES],
        "asb_periods": [_period_record(analysis.asb_periods[name]) for name in PERIOD_NAMES],
        "no_location": None
        if no_location is None
        else {"crimes": no_location.crimes, "asb": no_location.asb},
        "benchmark": None if benchmark is None else _benchmark_record(benchmark),
        "local": None if local is None else {name: getattr(local, name) for name in LOCAL_COUNTS},
        "warnings": list(output.warnings),
        "tracker": None
        if tracker is None
        else {
            "path": str(tracker.path) if tracker.path is not None else None,
            "allocation": {year: str(amount) for year, amount in tracker.allocation.items()},
        },
    }
    partial = target / f".{FIGURES_FILE}.partial"
    partial.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    partial.replace(target / FIGURES_FILE)
    return target


def load_analysis(folder: Path, wait: bool = False) -> AnalysisOutput:
    """The analysis stage's output saved in folder/analysis, as it was computed; with wait, once
    notebook 02, running beside the caller, has saved it."""
    if wait:
        wait_for_analysis(folder)
    record = saved_record(folder)
    source = folder / ANALYSIS_FOLDER
    frames = {name: pd.read_parquet(source / f"{name}.parquet") for name in FRAMES}
    no_location = record["no_location"]
    analysis = QuarterAnalysis(
        year=parse_financial_year(record["financial_year"]),
        quarter=record["quarter"],
        periods={period["name"]: _period(period) for period in record["periods"]},
        asb_periods={period["name"]: _period(period) for period in record["asb_periods"]},
        source=record["source"],
        performance={
            name: pd.read_parquet(source / f"performance_{name}.parquet") for name in PERIOD_NAMES
        },
        crime_area_kind=record["crime_area_kind"],
        asb_area_kind=record["asb_area_kind"],
        no_location=None if no_location is None else NoLocationCounts(**no_location),
        benchmark=None
        if record["benchmark"] is None
        else _benchmark(record["benchmark"], pd.read_parquet(source / "benchmark.parquet")),
        local=None if record["local"] is None else _local(record["local"], source),
        **frames,
    )
    saved_tracker = record["tracker"]
    if saved_tracker is None:
        return AnalysisOutput(analysis, None, tuple(record["warnings"]))
    tracker = Tracker(
        **{name: pd.read_parquet(source / f"tracker_{name}.parquet") for name in TRACKER_FRAMES},
        allocation={year: Decimal(amount) for year, amount in saved_tracker["allocation"].items()},
        path=Path(saved_tracker["path"]) if saved_tracker["path"] else None,
    )
    return AnalysisOutput(analysis, tracker, tuple(record["warnings"]))
