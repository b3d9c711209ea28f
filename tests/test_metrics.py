"""Comparison tables from small hand-written records; expected values worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline import metrics
from pipeline.analysis import QuarterAnalysis, write_tables
from pipeline.change_tests import change_tests
from pipeline.periods import compared_periods, parse_financial_year
from pipeline.taxonomy import police_uk

YEAR = parse_financial_year("2025-26")
PERIODS = compared_periods(YEAR, 2)  # quarter Jul-Sep 2025 against Jul-Sep 2024
CAUTION = "Offender given a caution"
NONE_YET = "Unable to prosecute suspect"


def records(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """Records from (month, crime type, last outcome, area) tuples."""
    months, types, outcomes, areas = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "month": pd.PeriodIndex(months, freq="M"),
            "crime_type": list(types),
            "last_outcome": pd.array(outcomes, dtype="string"),
            "lsoa_name": list(areas),
        }
    )


def sample_records() -> pd.DataFrame:
    """A handful of crimes whose quarter table is worked out in the tests below."""
    rows = [
        # Burglary: 4 last year (1 positive), 2 this year (1 positive)
        ("2024-07", "Burglary", "Local resolution", "A 001A"),
        ("2024-07", "Burglary", NONE_YET, "A 001A"),
        ("2024-08", "Burglary", NONE_YET, "A 002B"),
        ("2024-09", "Burglary", NONE_YET, "A 002B"),
        ("2025-07", "Burglary", CAUTION, "A 001A"),
        ("2025-08", "Burglary", "", "A 001A"),
        # Drugs: none last year, 3 this year, all positive
        ("2025-07", "Drugs", "Offender given a drugs possession warning", "A 001A"),
        ("2025-08", "Drugs", "Offender given a drugs possession warning", "A 003C"),
        ("2025-09", "Drugs", "Awaiting court outcome", "A 003C"),
        # ASB: 2 last year, 1 this year; an outcome on ASB never counts
        ("2024-07", "Anti-social behaviour", "", "A 001A"),
        ("2024-08", "Anti-social behaviour", "", "A 002B"),
        ("2025-09", "Anti-social behaviour", "Local resolution", "A 003C"),
        # Robbery outside the quarter: in the year to date and rolling 12 months only
        ("2025-06", "Robbery", "", "A 001A"),
        ("2024-05", "Robbery", "", "A 001A"),
        ("2024-11", "Robbery", "", "A 001A"),
    ]
    # Shoplifting: 8 last year (1 positive: 12.5%), 16 this year (1 positive: 6.25%)
    rows += [
        ("2024-08", "Shoplifting", CAUTION if i == 0 else NONE_YET, "A 002B") for i in range(8)
    ]
    rows += [
        ("2025-08", "Shoplifting", CAUTION if i == 0 else NONE_YET, "A 002B") for i in range(16)
    ]
    return records(rows)


@pytest.fixture(scope="module")
def quarter_table() -> pd.DataFrame:
    table = metrics.comparison_table(metrics.period_counts(sample_records(), PERIODS["quarter"]))
    return table.set_index("crime_type")


def test_rows_are_asb_all_crime_then_the_thirteen_types(quarter_table):
    names = list(quarter_table.index)
    assert names[:3] == ["Anti-social behaviour", "All crime", "Bicycle theft"]
    assert len(names) == 15
    assert names[-1] == "Violence and sexual offences"


def test_columns_are_the_output_contract():
    table = metrics.comparison_table(metrics.period_counts(sample_records(), PERIODS["quarter"]))
    assert list(table.columns) == [
        "section", "level", "crime_type",
        "offences_previous", "offences_current", "offences_diff", "offences_pct_diff",
        "solved_previous", "solved_current", "solved_diff", "solved_pct_diff",
        "solved_rate_previous", "solved_rate_current", "solved_rate_pt_diff", "pct_da_current",
    ]  # fmt: skip


def test_burglary_row(quarter_table):
    row = quarter_table.loc["Burglary"]
    # 4 -> 2: diff -2, -2/4 = -50.0%. Positive 1 -> 1. Rates 1/4 = 25.0, 1/2 = 50.0: +25.0 points.
    assert (row["offences_previous"], row["offences_current"], row["offences_diff"]) == (4, 2, -2)
    assert row["offences_pct_diff"] == -50.0
    assert (row["solved_previous"], row["solved_current"], row["solved_diff"]) == (1, 1, 0)
    assert row["solved_pct_diff"] == 0.0
    assert (row["solved_rate_previous"], row["solved_rate_current"]) == (25.0, 50.0)
    assert row["solved_rate_pt_diff"] == 25.0


def test_rates_round_half_up_from_unrounded_values(quarter_table):
    row = quarter_table.loc["Shoplifting"]
    # 8 -> 16 is +100.0%. Rates 1/8 = 12.5 and 1/16 = 6.25 -> 6.3 (half up; round() gives 6.2).
    # Point difference 6.25 - 12.5 = -6.25 -> -6.3 (halves away from zero).
    assert row["offences_pct_diff"] == 100.0
    assert (row["solved_rate_previous"], row["solved_rate_current"]) == (12.5, 6.3)
    assert row["solved_rate_pt_diff"] == -6.3


def test_change_from_zero_is_undefined(quarter_table):
    row = quarter_table.loc["Drugs"]
    assert (row["offences_previous"], row["offences_current"]) == (0, 3)
    assert pd.isna(row["offences_pct_diff"])
    assert pd.isna(row["solved_pct_diff"])
    assert pd.isna(row["solved_rate_previous"])
    assert row["solved_rate_current"] == 100.0
    assert pd.isna(row["solved_rate_pt_diff"])


def test_all_crime_sums_every_type_but_asb(quarter_table):
    row = quarter_table.loc["All crime"]
    # Offences: burglary 4 + shoplifting 8 = 12 last year; 2 + 3 drugs + 16 = 21 this year.
    # Positive: 1 + 1 = 2; 1 + 3 + 1 = 5. Rates 2/12 = 16.67 -> 16.7, 5/21 = 23.81 -> 23.8,
    # points 23.8095 - 16.6667 = 7.1428 -> 7.1. Offences +9 = 75.0%; positive +3 = 150.0%.
    assert (row["offences_previous"], row["offences_current"]) == (12, 21)
    assert row["offences_pct_diff"] == 75.0
    assert (row["solved_previous"], row["solved_current"], row["solved_pct_diff"]) == (2, 5, 150.0)
    assert (row["solved_rate_previous"], row["solved_rate_current"]) == (16.7, 23.8)
    assert row["solved_rate_pt_diff"] == 7.1


def test_asb_has_no_outcome_figures(quarter_table):
    row = quarter_table.loc["Anti-social behaviour"]
    assert (row["offences_previous"], row["offences_current"], row["offences_pct_diff"]) == (
        2,
        1,
        -50.0,
    )
    solved = [c for c in quarter_table.columns if c.startswith("solved") or c == "pct_da_current"]
    assert row[solved].isna().all()


def test_year_to_date_and_rolling_months():
    data = sample_records()
    robbery = {
        name: metrics.comparison_table(metrics.period_counts(data, PERIODS[name]))
        .set_index("crime_type")
        .loc["Robbery"]
        for name in ("quarter", "year_to_date", "rolling_12_months")
    }
    # 2025-06 is in this year's Apr-Sep and Oct 2024-Sep 2025; 2024-05 in last year's of both;
    # 2024-11 is in the current rolling 12 months only.
    assert (robbery["quarter"]["offences_previous"], robbery["quarter"]["offences_current"]) == (
        0,
        0,
    )
    assert (
        robbery["year_to_date"]["offences_previous"],
        robbery["year_to_date"]["offences_current"],
    ) == (1, 1)
    assert (
        robbery["rolling_12_months"]["offences_previous"],
        robbery["rolling_12_months"]["offences_current"],
    ) == (1, 2)


def test_csv_has_plain_numbers_and_empty_undefined_cells(tmp_path):
    data = sample_records()
    tables = {
        name: metrics.comparison_table(metrics.period_counts(data, PERIODS[name]))
        for name in ("quarter", "year_to_date", "rolling_12_months")
    }
    others = [pd.DataFrame()] * 5  # trends, mix and areas: not what this test checks
    coverage = pd.DataFrame()
    analysis = QuarterAnalysis(
        YEAR,
        2,
        PERIODS,
        PERIODS,
        coverage,
        "police_uk",
        tables,
        *others,
        "LSOA",
        "LSOA",
        None,
        change_tests(tables),
        pd.DataFrame(),
    )
    write_tables(analysis, tmp_path)
    lines = (tmp_path / "tables" / "performance_quarter.csv").read_text().splitlines()
    assert lines[0] == ",".join(metrics.PERFORMANCE_COLUMNS)
    assert lines[1] == "Top Level,0,Anti-social behaviour,2,1,-1,-50.0,,,,,,,,"
    assert lines[2] == "Top Level,0,All crime,12,21,9,75.0,2,5,3,150.0,16.7,23.8,7.1,"
    drugs = next(line for line in lines if ",Drugs," in line)
    assert drugs == "All crime,1,Drugs,0,3,3,,0,3,3,,,100.0,,"


def test_police_uk_events_are_month_asb_category_and_area():
    events = metrics.police_uk_events(sample_records())
    assert list(events.columns) == ["month", "is_asb", "category", "area"]
    # 15 listed rows + 8 + 16 shoplifting = 39 events; 3 of them anti-social behaviour.
    assert len(events) == 39
    assert int(events["is_asb"].sum()) == 3
    first = events.iloc[0]
    assert (str(first["month"]), first["category"], first["area"]) == (
        "2024-07",
        "Burglary",
        "A 001A",
    )


def test_event_monthly_counts_keep_months_with_none():
    events = metrics.police_uk_events(sample_records())
    months = list(pd.period_range("2025-07", "2025-09", freq="M"))
    crime = metrics.event_monthly_counts(events, months, asb=False)
    asb = metrics.event_monthly_counts(events, months, asb=True)
    # Jul: burglary + drugs = 2; Aug: burglary + drugs + 16 shoplifting = 18; Sep: drugs = 1.
    assert list(crime["count"]) == [2, 18, 1]
    assert list(asb["count"]) == [0, 0, 1]


def test_event_mix_is_largest_first_without_asb():
    events = metrics.police_uk_events(sample_records())
    mix = metrics.event_mix(
        events, PERIODS["quarter"].current, police_uk().crime_types_excluding_asb
    )
    assert list(mix["crime_type"][:3]) == ["Shoplifting", "Drugs", "Burglary"]
    assert list(mix["offences"][:3]) == [16, 3, 2]
    assert "Anti-social behaviour" not in set(mix["crime_type"])
    assert len(mix) == 13


def test_event_top_areas_rank_current_period_with_last_year():
    events = metrics.police_uk_events(sample_records())
    areas = metrics.event_top_areas(events, PERIODS["quarter"], asb=False)
    # This year: A 002B 16 shoplifting; A 001A burglary x2 + drugs = 3; A 003C drugs x2 = 2.
    # Last year: A 002B 2 burglary + 8 shoplifting = 10; A 001A 2 burglary; A 003C none.
    assert areas.to_dict("records") == [
        {"area": "A 002B", "previous": 10, "current": 16, "change": 6},
        {"area": "A 001A", "previous": 2, "current": 3, "change": 1},
        {"area": "A 003C", "previous": 0, "current": 2, "change": 2},
    ]


def test_event_top_areas_for_asb_and_a_limit():
    events = metrics.police_uk_events(sample_records())
    areas = metrics.event_top_areas(events, PERIODS["quarter"], asb=True, limit=1)
    # ASB this quarter: A 003C 1 (Sep 2025); last year A 001A 1 and A 002B 1, none in A 003C.
    assert areas.to_dict("records") == [
        {"area": "A 003C", "previous": 0, "current": 1, "change": 1},
    ]


def test_no_location_counts_split_crime_and_asb():
    rows = records(
        [
            ("2025-07", "Anti-social behaviour", "", ""),
            ("2025-08", "Burglary", "", ""),
            ("2025-08", "Drugs", "", ""),
            ("2024-08", "Drugs", "", ""),
        ]
    )
    counts = metrics.no_location_counts(rows, PERIODS["quarter"].current)
    assert (counts.crimes, counts.asb) == (2, 1)


def test_mix_shares_are_exact_percentages_rounded_half_up_once():
    from decimal import Decimal

    from pipeline.metrics import mix_shares

    # 1 of 16 is 6.25%: half up gives 6.3 (rounding half to even would give 6.2);
    # 3 of 16 is 18.75%, 12 of 16 is 75%.
    mix = pd.DataFrame({"crime_type": ["Burglary", "Robbery", "Drugs"], "offences": [12, 3, 1]})
    assert list(mix_shares(mix)) == [Decimal("75.0"), Decimal("18.8"), Decimal("6.3")]
    empty = pd.DataFrame({"crime_type": ["Burglary"], "offences": [0]})
    assert list(mix_shares(empty)) == [None]
