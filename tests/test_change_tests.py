"""Whether a change is more than chance: p-values checked against binomial sums worked by hand,
the Benjamini-Hochberg choice on p-values chosen to show it, and the published table's form."""

from __future__ import annotations

from fractions import Fraction
from math import comb

import pandas as pd
import pytest

from pipeline.change_tests import (
    CHANGE_TEST_COLUMNS,
    change_p_value,
    change_tests,
    change_tests_table,
    standing_out,
)
from pipeline.metrics import COUNT_COLUMNS, PERFORMANCE_COLUMNS


def performance_table(rows: list[tuple]) -> pd.DataFrame:
    """A performance table of (section, level, crime type, offences previous, current, solved
    previous, current) rows; what the tests do not read is left empty."""
    named = ["section", "level", "crime_type", "offences_previous", "offences_current"]
    frame = pd.DataFrame(rows, columns=[*named, "solved_previous", "solved_current"])
    return frame.reindex(columns=PERFORMANCE_COLUMNS).astype({c: "Int64" for c in COUNT_COLUMNS})


def binomial_tail(upto: int, total: int, probability: Fraction) -> Fraction:
    """P(X <= upto) for X ~ Binomial(total, probability), exactly."""
    return sum(
        comb(total, k) * probability**k * (1 - probability) ** (total - k) for k in range(upto + 1)
    )


def test_equal_exposure_is_the_binomial_test_of_the_current_count_out_of_the_total():
    # 2 against 10: 12 in all, each a coin toss under chance alone. P(X <= 2) = (1 + 12 + 66)
    # / 4096 = 79/4096, and the two-sided p-value doubles it: 158/4096 = 0.0386.
    assert change_p_value(10, 2) == pytest.approx(158 / 4096, rel=1e-12)
    assert change_p_value(2, 10) == pytest.approx(158 / 4096, rel=1e-12)  # a fall as a rise


def test_equal_counts_are_no_evidence_of_change():
    assert change_p_value(5, 5) == pytest.approx(1.0)


def test_the_issue_s_312_against_268_is_a_change_chance_gives_about_one_time_in_14():
    expected = 2 * binomial_tail(268, 580, Fraction(1, 2))
    p_value = change_p_value(268, 312)
    assert p_value == pytest.approx(float(expected), rel=1e-9)
    assert 13 < 1 / p_value < 14  # 0.0741
    assert p_value > 0.05  # so not significant at 5%


def test_solved_outcomes_are_compared_with_each_period_s_offences_as_exposure():
    # 4 solved of 5 offences a year before, 1 of 20 now. Given 5 solved in all, the current
    # count is Binomial(5, 20/25 = 4/5) under chance alone; 1 or fewer has probability
    # (1/5)^5 + 5 (4/5) (1/5)^4 = 1/3125 + 20/3125, and nothing above 1 is as unlikely as 1.
    assert change_p_value(4, 1, previous_exposure=5, current_exposure=20) == pytest.approx(
        21 / 3125, rel=1e-9
    )


@pytest.mark.parametrize(
    ("previous", "current", "previous_exposure", "current_exposure"),
    [(0, 0, 1, 1), (3, 2, 0, 4), (3, 2, 4, 0)],
    ids=["no events in either period", "no offences before", "no offences now"],
)
def test_a_test_with_nothing_to_test_is_undefined(
    previous, current, previous_exposure, current_exposure
):
    assert change_p_value(previous, current, previous_exposure, current_exposure) is None


def test_standing_out_is_benjamini_hochberg_at_five_percent():
    # Four p-values sorted 0.01, 0.03, 0.04, 0.5 against k/4 x 0.05 = 0.0125, 0.025, 0.0375,
    # 0.05: only the first is under its line, so only 0.01 stands out, though three pass 5%.
    p_values = pd.Series([0.04, 0.01, 0.5, 0.03, None], dtype="Float64")
    assert standing_out(p_values).tolist() == [False, True, False, False, pd.NA]
    # 0.01, 0.02, 0.03, 0.04 are each under their lines: all four stand out.
    p_values = pd.Series([0.04, 0.03, 0.02, 0.01], dtype="Float64")
    assert standing_out(p_values).tolist() == [True, True, True, True]


def test_every_row_is_tested_for_offences_and_solved_outcomes_where_it_has_them():
    table = performance_table(
        [
            ("Top Level", 0, "Anti-social behaviour", 388, 365, None, None),
            ("Top Level", 0, "All crime", 10, 2, 4, 1),
            ("All crime", 1, "Robbery", 0, 0, 0, 0),
        ]
    )
    tests = change_tests({"quarter": table, "rolling_12_months": table})
    assert list(tests.columns) == [*CHANGE_TEST_COLUMNS, "stands_out"]
    quarter = tests[tests["period"] == "quarter"]
    assert quarter[["crime_type", "measure", "previous", "current"]].values.tolist() == [
        ["Anti-social behaviour", "offences", 388, 365],
        ["All crime", "offences", 10, 2],
        ["All crime", "solved", 4, 1],
        ["Robbery", "offences", 0, 0],
        ["Robbery", "solved", 0, 0],
    ]
    all_crime = quarter.set_index(["crime_type", "measure"]).loc[("All crime", "offences")]
    assert all_crime["p_value"] == pytest.approx(158 / 4096)
    assert bool(all_crime["significant"]) is True
    robbery = quarter[quarter["crime_type"] == "Robbery"]
    assert robbery["p_value"].isna().all() and robbery["significant"].isna().all()
    assert len(tests) == 10  # the same five rows for the second period


def test_the_published_table_has_the_contract_s_columns_and_says_true_or_false():
    table = performance_table(
        [("Top Level", 0, "All crime", 10, 2, 4, 1), ("All crime", 1, "Robbery", 0, 0, 0, 0)]
    )  # solved 4 of 10, then 1 of 2: 1 is the likeliest count of Binomial(5, 2/12), so p = 1
    published = change_tests_table(change_tests({"quarter": table}))
    assert list(published.columns) == CHANGE_TEST_COLUMNS
    assert published["significant"].tolist() == ["true", "false", pd.NA, pd.NA]


def test_the_reviewer_sees_the_significant_tests_by_period_and_evidence():
    from pipeline.change_tests import significant_tests

    tests = pd.DataFrame(
        {
            "period": ["quarter", "quarter", "quarter", "rolling_12_months"],
            "p_value": [0.04, 0.001, 0.5, 0.02],
            "significant": pd.array([True, True, False, pd.NA], dtype="boolean"),
        }
    )
    assert list(significant_tests(tests)["p_value"]) == [0.001, 0.04]  # undefined left out
