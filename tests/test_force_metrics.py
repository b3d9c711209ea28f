"""The Home Office performance table from a small hand-made force extract; figures worked by hand.

The quarter is 2025-26 Q2: July-September 2025 against July-September 2024.
"""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline import force_metrics, metrics
from pipeline.periods import compared_periods, parse_financial_year
from pipeline.taxonomy import home_office

PERIODS = compared_periods(parse_financial_year("2025-26"), 2)
DEFAULT_POSITIVE = home_office().default_positive
GROUPS = home_office().group_of


def crime(
    ref: str,
    recorded: str,
    subgroup: str,
    outcome: str | None = None,
    outcome_date: str | None = None,
    domestic_abuse: bool = False,
    da_risk: str | None = None,
    hate: bool = False,
    aggravated: bool = False,
) -> dict:
    """One crime in the reader's canonical columns."""
    return {
        "crime_ref": ref,
        "recorded_date": pd.Timestamp(recorded),
        "offence_group": GROUPS[subgroup],
        "offence_subgroup": subgroup,
        "domestic_abuse": domestic_abuse,
        "da_risk": da_risk,
        "hate_crime": hate,
        "racially_religiously_aggravated": aggravated,
        "outcome_type": outcome,
        "outcome_date": pd.Timestamp(outcome_date) if outcome_date else pd.NaT,
        "ward": "Centre",
    }


def extract() -> pd.DataFrame:
    """The hand-made extract: each block's effect on the quarter is noted beside it."""
    rows = [
        # Shoplifting last year: 8 offences, 1 solved in the same window (caution, type 3).
        crime("S1", "2024-08-01", "Shoplifting", "3", "2024-08-20"),
        *[crime(f"S{n}", "2024-08-01", "Shoplifting") for n in range(2, 9)],
        # Shoplifting this year: 16 offences, 1 solved (charge), 1 flagged domestic abuse.
        crime("S9", "2025-08-01", "Shoplifting", "1", "2025-08-15"),
        crime("S10", "2025-08-01", "Shoplifting", domestic_abuse=True, da_risk="Standard"),
        *[crime(f"S{n}", "2025-08-01", "Shoplifting") for n in range(11, 25)],
        # Arson recorded in June (outside the quarter), solved in July: a solved outcome of
        # this quarter with no offence in it.
        crime("A1", "2025-06-20", "Arson", "1", "2025-07-05"),
        # Burglary recorded last September, solved this July (alternative offence, 1A): an
        # offence of last year's quarter and a solved outcome of this one.
        crime("B1", "2024-09-28", "Burglary Residential", "1A", "2025-07-03"),
        # One violent crime flagged domestic abuse (high risk), hate crime and racially or
        # religiously aggravated; closed with no suspect (18), which is not a solved outcome.
        crime(
            "V1",
            "2025-07-10",
            "Violence with Injury",
            "18",
            "2025-07-20",
            domestic_abuse=True,
            da_risk="High",
            hate=True,
            aggravated=True,
        ),
        # Drugs possession this September: 2 offences, 1 cannabis warning (7).
        crime("D1", "2025-09-01", "Possession of Drugs", "7", "2025-09-02"),
        crime("D2", "2025-09-01", "Possession of Drugs"),
        # Other theft recorded in 2023, community resolution (8) this August.
        crime("T1", "2023-01-05", "Other Theft", "8", "2025-08-01"),
    ]
    frame = pd.DataFrame(rows).astype(
        {
            "da_risk": "string",
            "outcome_type": "string",
            "offence_group": "string",
            "offence_subgroup": "string",
        }
    )
    return force_metrics.with_months(frame, DEFAULT_POSITIVE)


ASB_MONTHS = pd.Series(
    pd.PeriodIndex(["2024-07", "2024-07", "2025-08", "2025-08", "2025-09"], freq="M")
)


@pytest.fixture(scope="module")
def quarter() -> pd.DataFrame:
    return force_metrics.home_office_table(extract(), ASB_MONTHS, PERIODS["quarter"]).set_index(
        "crime_type"
    )


def figures(table: pd.DataFrame, name: str, columns: list[str]) -> list:
    """Some cells of one row, with undefined as None."""
    return [None if pd.isna(table.loc[name, c]) else table.loc[name, c] for c in columns]


COUNTS = metrics.COUNT_COLUMNS  # previous, current, diff: offences then solved
RATES = metrics.ONE_DECIMAL_COLUMNS  # % diffs, rates, point difference, % DA


def test_rows_are_the_47_in_published_order(quarter):
    names = list(quarter.index)
    assert len(names) == 47
    assert names[:5] == [
        "Anti-Social Behaviour (incidents)",
        "All Crime",
        "Victim Based Crime",
        "State Based Crime",
        "Violence Against the Person",
    ]
    assert names[-4:] == [
        "Possession of Drugs",
        "Possession of Weapons",
        "Public Order",
        "Miscellaneous Crimes against Society",
    ]
    assert (
        list(quarter.columns) == metrics.PERFORMANCE_COLUMNS[:2] + metrics.PERFORMANCE_COLUMNS[3:]
    )


def test_sections_and_levels(quarter):
    assert tuple(quarter.loc["All Crime", ["section", "level"]]) == ("Top Level", 0)
    assert tuple(quarter.loc["State Based Crime", ["section", "level"]]) == ("Top Level", 1)
    assert tuple(quarter.loc["Rape", ["section", "level"]]) == ("Victim Based Crime", 1)
    assert tuple(quarter.loc["Rape - Over 16 yrs", ["section", "level"]]) == (
        "Victim Based Crime",
        2,
    )
    assert tuple(quarter.loc["Domestic Abuse - High Risk", ["section", "level"]]) == (
        "Victim Based Crime",
        1,
    )
    assert tuple(quarter.loc["Public Order", ["section", "level"]]) == ("State Based Crime", 0)


def test_shoplifting_rounds_exact_halves_up(quarter):
    # 8 -> 16 offences; 1 -> 1 solved; rates 1/8 = 12.5% and 1/16 = 6.25%, published 6.3
    # (half up; half-even would give 6.2); point difference -6.25 -> -6.3; % DA 1/16 -> 6.3.
    assert figures(quarter, "Shoplifting", COUNTS) == [8, 16, 8, 1, 1, 0]
    assert figures(quarter, "Shoplifting", RATES) == [100.0, 0.0, 12.5, 6.3, -6.3, 6.3]


def test_solved_outcome_with_no_offence_in_the_period(quarter):
    # Arson: no offence in either quarter, one solved outcome this quarter.
    assert figures(quarter, "Arson", COUNTS) == [0, 0, 0, 0, 1, 1]
    assert figures(quarter, "Arson", RATES) == [None, None, None, None, None, None]


def test_recorded_last_year_solved_this_year(quarter):
    # Burglary: the offence belongs to last year's quarter, its solved outcome to this one.
    assert figures(quarter, "Burglary Residential", COUNTS) == [1, 0, -1, 0, 1, 1]
    assert figures(quarter, "Burglary Residential", RATES) == [-100.0, None, 0.0, None, None, None]
    assert figures(quarter, "Burglary", COUNTS) == [1, 0, -1, 0, 1, 1]


def test_solved_outcome_of_a_crime_recorded_years_before(quarter):
    # Other theft recorded in January 2023 and resolved this August.
    assert figures(quarter, "Other Theft", COUNTS) == [0, 0, 0, 0, 1, 1]
    # Theft = shoplifting 8 -> 16 (solved 1 -> 1) plus that other theft (solved 0 -> 1).
    assert figures(quarter, "Theft", COUNTS) == [8, 16, 8, 1, 2, 1]


def test_group_class_and_all_crime_add_up(quarter):
    # Theft Offences: theft (8 -> 16, solved 1 -> 2) plus burglary (1 -> 0, solved 0 -> 1).
    assert figures(quarter, "Theft Offences", COUNTS) == [9, 16, 7, 1, 3, 2]
    # Victim based adds the violent crime (0 -> 1, not solved) and arson (solved 0 -> 1).
    assert figures(quarter, "Victim Based Crime", COUNTS) == [9, 17, 8, 1, 4, 3]
    assert figures(quarter, "State Based Crime", COUNTS) == [0, 2, 2, 0, 1, 1]
    assert figures(quarter, "All Crime", COUNTS) == [9, 19, 10, 1, 5, 4]
    # All crime: % diff 10/9 = 111.11 -> 111.1; solved 1 -> 5 = 400.0; rates 1/9 = 11.11 -> 11.1
    # and 5/19 = 26.32 -> 26.3; point difference 26.315... - 11.111... = 15.204... -> 15.2;
    # % DA 2/19 = 10.53 -> 10.5.
    assert figures(quarter, "All Crime", RATES) == [111.1, 400.0, 11.1, 26.3, 15.2, 10.5]


def test_flagged_crime_counts_in_its_group_its_overlays_and_once_in_all_crime(quarter):
    for name in (
        "Violence with Injury",
        "Violence Against the Person",
        "Racially or Religiously Aggravated",
        "Hate Crime",
        "Domestic Abuse - High Risk",
    ):
        assert figures(quarter, name, COUNTS) == [0, 1, 1, 0, 0, 0], name
    # Domestic abuse: the violent crime and one shoplifting (standard risk).
    assert figures(quarter, "Domestic Abuse", COUNTS) == [0, 2, 2, 0, 0, 0]
    assert figures(quarter, "Domestic Abuse - Standard Risk", COUNTS) == [0, 1, 1, 0, 0, 0]
    assert figures(quarter, "Domestic Abuse - Medium Risk", COUNTS) == [0, 0, 0, 0, 0, 0]
    assert figures(quarter, "Domestic Abuse - No Risk Assessment", COUNTS) == [0, 0, 0, 0, 0, 0]
    # The overlays are not added in: all crime is victim based plus state based.
    assert quarter.loc["All Crime", "offences_current"] == (
        quarter.loc["Victim Based Crime", "offences_current"]
        + quarter.loc["State Based Crime", "offences_current"]
    )


def test_percent_domestic_abuse_where_defined(quarter):
    assert quarter.loc["Violence with Injury", "pct_da_current"] == 100.0
    assert quarter.loc["Possession of Drugs", "pct_da_current"] == 0.0
    assert pd.isna(quarter.loc["Homicide", "pct_da_current"])  # no offences
    for name in quarter.index:
        if name.startswith("Domestic Abuse") or name.startswith("Anti-Social"):
            assert pd.isna(quarter.loc[name, "pct_da_current"]), name


def test_asb_has_incidents_only(quarter):
    asb = "Anti-Social Behaviour (incidents)"
    assert figures(quarter, asb, COUNTS) == [2, 3, 1, None, None, None]
    assert figures(quarter, asb, RATES) == [50.0, None, None, None, None, None]


def test_drugs_rate(quarter):
    # 1 of 2 possession offences solved: 50.0%.
    assert figures(quarter, "Drug Offences", RATES) == [None, None, None, 50.0, None, 0.0]


def test_positive_outcomes_are_configurable():
    crimes = force_metrics.with_months(extract().drop(columns=["solved_outcome"]), ("18",))
    table = force_metrics.home_office_table(crimes, ASB_MONTHS, PERIODS["quarter"])
    table = table.set_index("crime_type")
    assert figures(table, "All Crime", COUNTS) == [9, 19, 10, 0, 1, 1]
    assert figures(table, "Violence with Injury", COUNTS) == [0, 1, 1, 0, 1, 1]


def test_year_to_date_counts_april_to_september():
    # Year to date (April-September 2025 against April-September 2024): the arson recorded in
    # June now counts as an offence, so arson is 0 -> 1 offences and 0 -> 1 solved: 100%.
    table = force_metrics.home_office_table(extract(), ASB_MONTHS, PERIODS["year_to_date"])
    table = table.set_index("crime_type")
    assert figures(table, "Arson", COUNTS) == [0, 1, 1, 0, 1, 1]
    assert figures(table, "Arson", RATES) == [None, None, None, 100.0, None, 0.0]


def test_row_masks_pick_the_right_crimes():
    crimes = extract()
    rows = {row.name: row for row in home_office().rows}
    assert force_metrics.row_mask(crimes, rows["Domestic Abuse"]).sum() == 2
    assert force_metrics.row_mask(crimes, rows["Domestic Abuse - No Risk Assessment"]).sum() == 0
    assert force_metrics.row_mask(crimes, rows["Theft"]).sum() == 25
    assert force_metrics.row_mask(crimes, rows["All Crime"]).sum() == len(crimes)
