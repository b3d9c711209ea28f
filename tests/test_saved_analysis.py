"""The analysis stage's saved output: read back exactly as computed, or refused with a reason."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal

import pandas as pd
import pytest

from pipeline.local_detail import FRAMES as LOCAL_FRAMES
from pipeline.local_detail import local_detail
from pipeline.metrics import NoLocationCounts
from pipeline.periods import PERIOD_NAMES
from pipeline.report import build_report
from pipeline.saved_analysis import (
    FRAMES,
    TRACKER_FRAMES,
    AnalysisOutput,
    analysis_stage,
    load_analysis,
    report_analysis,
    save_analysis,
    wait_for_analysis,
)
from pipeline.saved_record import (
    ANALYSIS_FOLDER,
    FIGURES_FILE,
    SavedAnalysisError,
    StageStoppedError,
    mark_ingest_running,
    mark_ingest_stopped,
    mark_ingested,
    mark_stopped,
    saved_warnings,
    wait_for_ingest,
)
from tests.test_local_detail import ASB, CRIMES
from tests.test_messy_downloads import YEAR, analysed, months_from, write_force
from tests.test_opcc_return import write_tracker


@pytest.fixture(scope="module")
def shortened(tmp_path_factory):
    """Testville 2025-26 Q2 from police.uk: November 2024 missing and accepted, so every period
    holding it is shortened (left out of both years). Read only by the tests."""
    root = tmp_path_factory.mktemp("shortened")
    folder = root / "raw"
    write_force(folder, [month for month in months_from() if month != "2024-11"])
    return analysed(root, folder, "accept_missing_months: [2024-11]\n")


def test_every_table_and_period_reads_back_exactly(shortened, tmp_path):
    config, processed, analysis = shortened
    saved = save_analysis(AnalysisOutput(analysis, None), tmp_path / "quarter")
    assert saved == tmp_path / "quarter" / ANALYSIS_FOLDER
    loaded = load_analysis(tmp_path / "quarter")
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(loaded.analysis, name), getattr(analysis, name))
    for name in PERIOD_NAMES:
        pd.testing.assert_frame_equal(
            loaded.analysis.performance[name], analysis.performance[name], check_exact=True
        )
    assert loaded.analysis.periods == analysis.periods
    assert loaded.analysis.asb_periods == analysis.asb_periods
    rolling = loaded.analysis.periods["rolling_12_months"]
    assert rolling.left_out == (pd.Period("2024-11", freq="M"),)  # the accepted missing month
    assert len(rolling.current) == 11
    assert (loaded.analysis.year, loaded.analysis.quarter) == (YEAR, 2)
    assert loaded.analysis.source == analysis.source == "police_uk"
    assert loaded.analysis.no_location == analysis.no_location
    assert isinstance(loaded.analysis.no_location, NoLocationCounts)
    assert loaded.tracker is None and loaded.warnings == ()


def test_the_figures_by_beat_and_location_type_read_back_exactly(shortened, tmp_path):
    config, processed, analysis = shortened
    local = local_detail(CRIMES, ASB, analysis.quarter_period, analysis.quarter_period)
    save_analysis(AnalysisOutput(replace(analysis, local=local), None), tmp_path / "quarter")
    loaded = load_analysis(tmp_path / "quarter").analysis.local
    for name in LOCAL_FRAMES:
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(local, name))
    assert loaded.crimes_unplaced == 1 and loaded.asb_location_unplaced == 1
    assert load_analysis_without_local(shortened, tmp_path / "plain") is None


def load_analysis_without_local(shortened, folder):
    """A police.uk analysis has no figures by beat, and reads back with none."""
    save_analysis(AnalysisOutput(shortened[2], None), folder)
    return load_analysis(folder).analysis.local


def test_the_report_from_the_saved_analysis_is_the_report_from_the_computed_one(
    shortened, tmp_path
):
    config, processed, analysis = shortened
    save_analysis(AnalysisOutput(analysis, None), tmp_path)
    loaded = load_analysis(tmp_path).analysis
    computed = build_report(config, analysis, processed.summary)
    read_back = build_report(config, loaded, processed.summary)
    assert [part.html for part in read_back.sections] == [part.html for part in computed.sections]


def test_the_tracker_reads_back_to_the_penny_with_its_warnings(shortened, tmp_path):
    _, _, analysis = shortened
    # Campaigns: £700.50 spent against a £500 budget, warned; CCTV: no cost reported.
    tracker = write_tracker(
        tmp_path / "tracker",
        [(2, "Campaigns", "Leaflets", "£700.50", "Green", ""), (2, "CCTV", "None", "", "", "")],
        budgets={"Campaigns": "£500", "CCTV": "£1,000"},
    )
    warning = "Campaigns is over budget"  # any text: saved and read back as it was
    save_analysis(AnalysisOutput(analysis, tracker, (warning,)), tmp_path / "quarter")
    loaded = load_analysis(tmp_path / "quarter")
    for name in TRACKER_FRAMES:
        pd.testing.assert_frame_equal(getattr(loaded.tracker, name), getattr(tracker, name))
    costs = loaded.tracker.returns.set_index("project")["cost_to_date"]
    assert costs["Campaigns"] == Decimal("700.50") and isinstance(costs["Campaigns"], Decimal)
    assert costs["CCTV"] is None
    assert loaded.tracker.allocation == {"2025-26": Decimal("1000.01")}
    assert loaded.tracker.path == tmp_path / "tracker"
    assert loaded.warnings == (warning,)
    assert saved_warnings(tmp_path / "quarter") == [warning]


def test_the_stage_reads_the_tracker_and_warns_of_a_quarter_without_returns(tmp_path):
    folder = tmp_path / "raw"
    write_force(folder, months_from())
    config, _, _ = analysed(tmp_path, folder)
    write_tracker(tmp_path / "tracker", [(1, "Campaigns", "Leaflets", "£400", "Green", "")])
    config = replace(config, tracker=tmp_path / "tracker")
    stage = analysis_stage(config, YEAR, 2, tmp_path / "processed-q2")
    assert stage.tracker is not None and list(stage.tracker.returns["quarter"]) == [1]
    assert stage.warnings == (
        f"{tmp_path / 'tracker'}: no quarterly returns for 2025-26 Q2 yet; the report's return "
        "appendix will say so.",
    )


def test_no_saved_analysis_says_which_notebook_to_run(tmp_path):
    with pytest.raises(SavedAnalysisError) as caught:
        load_analysis(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}: no saved analysis; run notebooks/02_analysis.ipynb first"
    )


def test_an_analysis_saved_in_another_format_is_refused(shortened, tmp_path):
    _, _, analysis = shortened
    saved = save_analysis(AnalysisOutput(analysis, None), tmp_path)
    record = json.loads((saved / FIGURES_FILE).read_text(encoding="utf-8"))
    (saved / FIGURES_FILE).write_text(json.dumps(record | {"format": 0}), encoding="utf-8")
    with pytest.raises(SavedAnalysisError, match="of format 0, not 6; run notebooks/02"):
        load_analysis(tmp_path)


def test_a_report_waiting_beside_the_analysis_reads_it_once_it_is_whole(shortened, tmp_path):
    _, _, analysis = shortened
    saved = save_analysis(AnalysisOutput(analysis, None), tmp_path)
    assert sorted(path.name for path in saved.glob("*.json")) == [FIGURES_FILE]  # no partial
    wait_for_analysis(tmp_path, seconds=0.0)  # already whole: returns at once
    assert load_analysis(tmp_path, wait=True).analysis.periods == analysis.periods


def test_a_report_waiting_for_an_analysis_that_stopped_stops_too(tmp_path):
    mark_stopped(tmp_path)
    with pytest.raises(StageStoppedError) as caught:
        wait_for_analysis(tmp_path, seconds=60.0)  # the marker ends the wait, not the minute
    assert str(caught.value) == (
        f"{tmp_path}: notebooks/02_analysis.ipynb stopped, so there is no analysis to report"
    )


def test_an_analysis_opened_alone_does_not_wait_for_an_ingest(tmp_path):
    wait_for_ingest(tmp_path, seconds=60.0)  # no run said it is ingesting: returns at once


def test_an_analysis_beside_the_run_s_ingest_waits_until_its_tables_are_in_place(tmp_path):
    mark_ingest_running(tmp_path)
    with pytest.raises(SavedAnalysisError, match="ingest had not finished after 0 s"):
        wait_for_ingest(tmp_path, seconds=0.0)
    mark_ingested(tmp_path)
    wait_for_ingest(tmp_path, seconds=0.0)


def test_an_analysis_waiting_for_an_ingest_that_stopped_stops_too(tmp_path):
    mark_ingest_running(tmp_path)
    mark_ingest_stopped(tmp_path)
    with pytest.raises(StageStoppedError) as caught:
        wait_for_ingest(tmp_path, seconds=60.0)  # the marker ends the wait, not the minute
    assert str(caught.value) == (
        f"{tmp_path}: notebooks/01_ingest.ipynb stopped, so there are no processed tables to "
        "analyse"
    )


def test_a_report_waiting_for_an_analysis_that_never_comes_gives_up(tmp_path):
    with pytest.raises(SavedAnalysisError, match="no saved analysis after 0 s"):
        wait_for_analysis(tmp_path, seconds=0.1)


def test_the_report_reads_the_saved_analysis_in_a_run_and_computes_it_when_opened_alone(
    shortened, tmp_path
):
    config, _, analysis = shortened
    # In a run: what notebook 02 saved, even where it differs from a fresh computation.
    saved = replace(analysis, crime_area_kind="ward")
    save_analysis(AnalysisOutput(saved, None), tmp_path / "run")
    in_run = report_analysis(config, YEAR, 2, tmp_path / "unused", str(tmp_path / "run"))
    assert in_run.analysis.crime_area_kind == "ward"
    # Opened alone (no output folder): computed from the processed tables, police.uk LSOAs.
    processed = config.path.parent / "processed-q2"  # where `analysed` wrote them
    alone = report_analysis(config, YEAR, 2, processed, "")
    assert alone.analysis.crime_area_kind == "LSOA"
    assert alone.analysis.periods == analysis.periods


def test_a_benchmark_is_saved_read_back_and_written_as_its_table(shortened, tmp_path):
    from pipeline.analysis import write_tables
    from pipeline.benchmark import BENCHMARK_COLUMNS, compare
    from tests.test_benchmark import CODES, ons_tables

    _, _, analysis = shortened
    benchmark = compare(ons_tables(), CODES["Northby"], (CODES["Westby"],))
    with_benchmark = replace(analysis, benchmark=benchmark)
    save_analysis(AnalysisOutput(with_benchmark, None), tmp_path / "quarter")
    loaded = load_analysis(tmp_path / "quarter").analysis.benchmark
    assert (loaded.period, loaded.unassigned_left_out) == ("March 2025", 7)
    pd.testing.assert_frame_equal(loaded.table, benchmark.table)
    write_tables(with_benchmark, tmp_path / "out")
    header = (tmp_path / "out" / "tables" / "benchmark.csv").read_text("utf-8").splitlines()[0]
    assert header.split(",") == BENCHMARK_COLUMNS
    write_tables(analysis, tmp_path / "without")  # no ONS tables named: no benchmark table
    assert not (tmp_path / "without" / "tables" / "benchmark.csv").exists()


def test_a_tracker_holding_only_another_year_is_no_background_paper(shortened, tmp_path):
    config, processed, analysis = shortened
    tracker = write_tracker(tmp_path / "tracker", [(2, "Campaigns", "Leaflets", "£5", "Green", "")])
    papers = background_papers(build_report(config, analysis, processed.summary, tracker=tracker))
    assert any("action plan tracker (tracker)" in paper for paper in papers)
    elsewhere = replace(
        tracker,
        plan=tracker.plan.assign(financial_year="2023-24"),
        returns=tracker.returns.assign(financial_year="2023-24"),
        budgets=tracker.budgets.assign(financial_year="2023-24"),
        allocation={"2023-24": Decimal("1000.01")},
    )
    papers = background_papers(build_report(config, analysis, processed.summary, tracker=elsewhere))
    assert papers and not any("tracker" in paper for paper in papers)


def background_papers(report) -> list[str]:
    """The Background Papers section's paragraphs."""
    [papers] = [part for part in report.sections if part.anchor == "background-papers"]
    return re.findall(r"<p>(.*?)</p>", str(papers.html), re.S)
