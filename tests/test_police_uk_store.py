"""The shared store of a force's police.uk files: read and checked once by `make force`, then
each partnership's ingest takes the rows from it as reading the files would give them."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from pipeline.config import load_config
from pipeline.errors import ConfigError
from pipeline.force_store import build_store
from pipeline.ingest import ingest_police_uk, read_months
from pipeline.periods import month_range
from pipeline.sources.police_uk import find_street_files
from pipeline.sources.police_uk_store import lsoa_names, read_index
from pipeline.sources.police_uk_store import read_months as stored
from tests.test_messy_downloads import month_rows, months_from, write_force

MONTHS = months_from("2024-10", "2025-09")


def district_config(folder: Path, store: Path | None = None) -> Path:
    path = folder / "district.yaml"
    line = f"  police_uk_store: {store}\n" if store else ""
    path.write_text(
        "district: Testville\nforce: Testshire Police\n"
        f"inputs:\n  police_uk: {folder / 'raw'}\n  lsoa_name_prefix: Testville\n{line}",
        encoding="utf-8",
    )
    return path


def two_authorities(month: str) -> list:
    """3 burglaries and 1 ASB in Testville, 1 burglary in Otherton, every month."""
    return month_rows(month) + month_rows(month, crimes=1, asb=0, lsoa="Otherton 002B")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_force(tmp_path / "raw", MONTHS, rows_for=two_authorities)
    return tmp_path


def periods(first: str, last: str) -> set[pd.Period]:
    return set(month_range(pd.Period(first, "M"), pd.Period(last, "M")))


def test_the_store_gives_the_rows_reading_the_files_gives(folder):
    config = load_config(district_config(folder))
    store = folder / "store"
    index = build_store(config, store, periods("2024-10", "2025-09"))
    assert [item.summary.month for item in index.files] == MONTHS
    records, summaries, warnings = stored(store, index, periods("2025-07", "2025-09"))
    expected, expected_summaries = read_months(find_street_files(folder / "raw")[-3:])
    pd.testing.assert_frame_equal(records, expected)  # values, order and types
    assert summaries == expected_summaries
    assert len(records) == 3 * 5  # 5 rows a month: 4 in Testville, 1 in Otherton
    assert warnings == []
    assert lsoa_names(store, index) == {"Testville 001A", "Otherton 002B"}


def test_only_the_months_asked_for_are_read_and_an_unchanged_file_is_not_read_again(folder):
    config = load_config(district_config(folder))
    store = folder / "store"
    first = build_store(config, store, periods("2025-07", "2025-09"))
    assert [item.summary.month for item in first.files] == ["2025-07", "2025-08", "2025-09"]
    part = store / first.files[0].part
    written = part.stat().st_mtime_ns
    again = build_store(config, store, periods("2025-06", "2025-09"))
    assert [item.summary.month for item in again.files] == ["2025-06", *MONTHS[-3:]]
    assert part.stat().st_mtime_ns == written  # July was kept, June read
    assert read_index(store) == again


def test_a_file_downloaded_again_is_read_again(folder):
    config = load_config(district_config(folder))
    store = folder / "store"
    build_store(config, store, periods("2025-09", "2025-09"))
    september = folder / "raw" / "2025-09-testshire-street.csv"
    write_force(folder / "raw", ["2025-09"], rows_for=lambda month: month_rows(month, crimes=7))
    os.utime(september, ns=(1, 1))  # a different time, whatever the clock's resolution
    index = build_store(config, store, periods("2025-09", "2025-09"))
    assert index.files[0].summary.rows == 8  # 7 burglaries and 1 ASB


def test_a_partnership_reading_the_store_gets_the_figures_reading_the_files_gives(folder):
    store = folder / "store"
    needed = sorted(periods("2024-10", "2025-09"))
    alone = ingest_police_uk(load_config(district_config(folder)), needed, needed)
    build_store(load_config(district_config(folder)), store, set(needed))
    shared = ingest_police_uk(load_config(district_config(folder, store)), needed, needed)
    pd.testing.assert_frame_equal(shared.records, alone.records)
    assert len(shared.records) == 12 * 4  # Testville's 3 burglaries and 1 ASB, 12 months
    assert (shared.rows_read, shared.rows_other_districts) == (12 * 5, 12)
    assert shared.file_counts == alone.file_counts
    assert shared.warnings == alone.warnings


def test_a_store_without_a_month_the_quarter_needs_says_to_run_make_force_again(folder):
    store = folder / "store"
    build_store(load_config(district_config(folder)), store, periods("2025-09", "2025-09"))
    config = load_config(district_config(folder, store))
    needed = sorted(periods("2025-08", "2025-09"))
    with pytest.raises(ConfigError, match=r"2025-08-testshire-street.csv.*run `make force` again"):
        ingest_police_uk(config, needed, needed)


def test_a_missing_store_is_named(folder):
    config = load_config(district_config(folder, folder / "nowhere"))
    needed = sorted(periods("2025-09", "2025-09"))
    with pytest.raises(ConfigError, match="no store at .*nowhere; `make force` writes it"):
        ingest_police_uk(config, needed, needed)


def test_a_warning_not_about_the_input_is_not_stored_as_one(folder, monkeypatch):
    import warnings

    from pipeline.sources import police_uk

    reader = police_uk.read_street_file

    def noisy(street):  # another thread's warning lands in the process-wide record
        warnings.warn("Port 8787 is already in use.", UserWarning, stacklevel=1)
        return reader(street)

    monkeypatch.setattr(police_uk, "read_street_file", noisy)
    index = build_store(
        load_config(district_config(folder)), folder / "store", periods("2025-09", "2025-09")
    )
    assert index.files[0].warnings == ()


def test_a_store_of_an_older_format_is_read_again(folder):
    config = load_config(district_config(folder))
    store = folder / "store"
    build_store(config, store, periods("2025-09", "2025-09"))
    index = store / "store.json"
    index.write_text(index.read_text().replace('"store_format": 2', '"store_format": 1'))
    part = store / "months" / "2025-09.parquet"
    part.unlink()
    rebuilt = build_store(config, store, periods("2025-09", "2025-09"))
    assert part.is_file() and rebuilt.store_format == 2
