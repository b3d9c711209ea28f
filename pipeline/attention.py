"""What needs the committee's attention, chosen by evidence: the changes that stand out from
chance once the number of comparisons is allowed for (`change_tests`), and the control charts'
signals in the quarter's months (`control_charts`), each ranked by strength of evidence, then by
size. Worded by `pipeline/attention_words.py`."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.change_tests import OFFENCES, SOLVED
from pipeline.control_charts import SIGNALS

STRENGTH = {name: rank for rank, name in enumerate(SIGNALS)}  # SIGNALS is strongest first


@dataclass(frozen=True)
class StandingChange:
    """A change in one period's offences or solved outcomes larger than chance would explain
    (after the Benjamini-Hochberg correction); for solved outcomes, the offences too."""

    period: str
    section: str
    crime_type: str
    measure: str
    previous: int
    current: int
    p_value: float
    offences_previous: int
    offences_current: int

    @property
    def rising(self) -> bool:
        if self.measure == SOLVED:  # the solved rate, not the count, is what the test compares
            return self.current * self.offences_previous > self.previous * self.offences_current
        return self.current > self.previous


def standing_changes(tests: pd.DataFrame, period: str) -> list[StandingChange]:
    """The period's changes that stand out, the strongest evidence (smallest p-value) first,
    then the largest change; a row named in two sections is given once, where it first is."""
    rows = tests[tests["period"] == period]
    offences = rows[rows["measure"] == OFFENCES].set_index(["section", "crime_type"])
    chosen = rows[rows["stands_out"].fillna(False).astype(bool)].assign(
        size=lambda f: (f["current"] - f["previous"]).abs()
    )
    chosen = chosen.sort_values(["p_value", "size", "crime_type"], ascending=[True, False, True])
    changes, named = [], set()
    for row in chosen.itertuples(index=False):
        if (row.crime_type, row.measure) in named:
            continue
        named.add((row.crime_type, row.measure))
        counted = offences.loc[(row.section, row.crime_type)]
        changes.append(
            StandingChange(
                period=row.period,
                section=row.section,
                crime_type=row.crime_type,
                measure=row.measure,
                previous=int(row.previous),
                current=int(row.current),
                p_value=float(row.p_value),
                offences_previous=int(counted["previous"]),
                offences_current=int(counted["current"]),
            )
        )
    return changes


@dataclass(frozen=True)
class ChartSignal:
    """A control chart's strongest signal in the quarter's months: at its latest month so
    signalled, with the length of the run (shift, trend) that ends there."""

    series: str
    signal: str
    month: pd.Period
    value: int
    mean: float
    lower_limit: float
    upper_limit: float
    run_months: int  # the months in a row carrying the signal, up to month

    @property
    def above(self) -> bool:
        """Whether the point is above the mean (for crime and ASB, a rise: not an improvement)."""
        return self.value > self.mean


def _run_ending_at(points: pd.DataFrame, position: int, signal: str) -> int:
    """How many points in a row, ending at position, carry signal."""
    length = 0
    for index in range(position, -1, -1):
        if signal not in str(points["signal"].iloc[index]).split(";"):
            break
        length += 1
    return length


def quarter_signals(charts: pd.DataFrame, months: list[pd.Period]) -> list[ChartSignal]:
    """Each series' strongest signal among the quarter's months, strongest first, then the
    furthest from its mean (as a share of the distance to its limit)."""
    wanted = {str(month) for month in months}
    found = []
    for series, points in charts.groupby("series", sort=False):
        points = points.reset_index(drop=True)
        here = points[points["month"].isin(wanted) & (points["signal"] != "")]
        if here.empty:
            continue
        signals = {name for text in here["signal"] for name in str(text).split(";")}
        strongest = min(signals, key=STRENGTH.__getitem__)
        position = max(
            int(index) for index, text in here["signal"].items() if strongest in text.split(";")
        )
        point = points.iloc[position]
        found.append(
            ChartSignal(
                series=str(series),
                signal=strongest,
                month=pd.Period(str(point["month"]), freq="M"),
                value=int(point["value"]),
                mean=float(point["mean"]),
                lower_limit=float(point["lower_limit"]),
                upper_limit=float(point["upper_limit"]),
                run_months=_run_ending_at(points, position, strongest),
            )
        )

    def distance(signal: ChartSignal) -> float:
        reach = signal.upper_limit - signal.mean
        return abs(signal.value - signal.mean) / reach if reach > 0 else 0.0

    return sorted(found, key=lambda signal: (STRENGTH[signal.signal], -distance(signal)))
