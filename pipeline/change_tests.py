"""Whether a change between two periods is more than chance.

For every compared period and performance row: a two-sided exact test that the two counts differ
by more than Poisson chance, conditional on their total (statsmodels' `test_poisson_2indep`,
`method="exact-cond"`). Offences are compared with equal exposure, so the test is the binomial
test of the current count out of the total with probability one half. Solved outcomes are
compared the same way with each period's offences as its exposure: solved outcomes by outcome date
over offences by recorded date is a rate, not a proportion.

`significant` is the plain test at the 5% level. What the words may call standing out is chosen
after a Benjamini-Hochberg correction across the period's rows (`stands_out`), since a period has
dozens of rows and some would pass the plain test by chance alone.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

SIGNIFICANCE_LEVEL = 0.05
OFFENCES, SOLVED = "offences", "solved"
CHANGE_TEST_COLUMNS = [
    "period",
    "section",
    "crime_type",
    "measure",
    "previous",
    "current",
    "p_value",
    "significant",
]  # the contract of tables/change_tests.csv
COLUMN_TYPES = {
    "period": "string",
    "section": "string",
    "crime_type": "string",
    "measure": "string",
    "previous": "Int64",
    "current": "Int64",
    "p_value": "Float64",
    "significant": "boolean",
    "stands_out": "boolean",
}


def statistics() -> tuple[Callable, Callable]:
    """statsmodels' two tests, imported when first asked for (about 0.7 s): only the analysis
    computes tests, and it asks while the ingest beside it finishes; the report, which reads them
    saved, never loads statsmodels."""
    from statsmodels.stats.multitest import multipletests
    from statsmodels.stats.rates import test_poisson_2indep

    return test_poisson_2indep, multipletests


def change_p_value(
    previous: int, current: int, previous_exposure: int = 1, current_exposure: int = 1
) -> float | None:
    """The two-sided exact conditional p-value that two Poisson counts differ by more than
    chance, given their exposures; None where the test is undefined (no events in either
    period, or a period with no exposure)."""
    if previous + current == 0 or previous_exposure <= 0 or current_exposure <= 0:
        return None
    test_poisson_2indep, _ = statistics()
    with np.errstate(divide="ignore", invalid="ignore"):  # its rate ratio, when one count is 0
        result = test_poisson_2indep(
            current,
            current_exposure,
            previous,
            previous_exposure,
            method="exact-cond",
            alternative="two-sided",
        )
    return min(float(result.pvalue), 1.0)


def _is_count(value: object) -> bool:
    return value is not None and not bool(pd.isna(value))


def period_tests(period: str, performance: pd.DataFrame) -> list[dict]:
    """One period's tests: offences for every row, solved outcomes where the row has them."""
    rows = []
    for row in performance.itertuples(index=False):
        named = {"period": period, "section": row.section, "crime_type": row.crime_type}
        if _is_count(row.offences_previous) and _is_count(row.offences_current):
            previous, current = int(row.offences_previous), int(row.offences_current)
            rows.append(
                named
                | {
                    "measure": OFFENCES,
                    "previous": previous,
                    "current": current,
                    "p_value": change_p_value(previous, current),
                }
            )
            if _is_count(row.solved_previous) and _is_count(row.solved_current):
                rows.append(
                    named
                    | {
                        "measure": SOLVED,
                        "previous": int(row.solved_previous),
                        "current": int(row.solved_current),
                        "p_value": change_p_value(
                            int(row.solved_previous), int(row.solved_current), previous, current
                        ),
                    }
                )
    return rows


def standing_out(p_values: pd.Series) -> pd.Series:
    """Which p-values stand out after a Benjamini-Hochberg correction across them all (at the 5%
    false discovery rate); undefined ones are left out of the correction and stay undefined."""
    defined = p_values.dropna()
    result = pd.Series(pd.NA, index=p_values.index, dtype="boolean")
    if not defined.empty:
        _, multipletests = statistics()
        rejected, *_ = multipletests(
            defined.to_numpy(dtype=float), alpha=SIGNIFICANCE_LEVEL, method="fdr_bh"
        )
        result.loc[defined.index] = rejected
    return result


def change_tests(performance: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every compared period's tests, with the plain 5% test and, per period, the corrected one."""
    rows = [row for period, table in performance.items() for row in period_tests(period, table)]
    frame = pd.DataFrame(rows, columns=CHANGE_TEST_COLUMNS[:-1])
    frame = frame.assign(p_value=frame["p_value"].astype("Float64"))
    return frame.assign(
        significant=(frame["p_value"] < SIGNIFICANCE_LEVEL).astype("boolean"),
        stands_out=frame.groupby("period", sort=False)["p_value"].transform(standing_out),
    ).astype(COLUMN_TYPES)


def change_tests_table(tests: pd.DataFrame) -> pd.DataFrame:
    """The tests as published: the contract's columns, `significant` as true or false (empty
    where the test is undefined)."""
    words = {True: "true", False: "false"}
    return tests[CHANGE_TEST_COLUMNS].assign(
        significant=tests["significant"].map(words, na_action="ignore").astype("string")
    )


def significant_tests(tests: pd.DataFrame) -> pd.DataFrame:
    """The tests significant at 5%, by period and strength of evidence, for the reviewer."""
    return tests[tests["significant"].fillna(False)].sort_values(["period", "p_value"])
