"""Control charts by the NHS "Making Data Count" rules: an XmR chart of monthly counts and the
special-cause signals on it.

No maintained Python library computes these rules as Making Data Count publishes them, so they are
written once here, as NHS England's "Making Data Count" guidance and its R implementation,
NHSRplotthedots (NHS-R Community), compute them:

- the centre line is the mean of every point shown; the process limits are the mean plus and
  minus 2.66 times the mean moving range (the moving ranges not screened, as in the MDC Excel
  tool); the near-limit lines are two thirds of the way from the mean to each limit;
- `outside_limits`: a point above the upper limit or below the lower;
- `shift`: 7 or more consecutive points on the same side of the mean (a point on the mean
  breaks the run); every point of the run carries it;
- `trend`: 7 or more consecutive points, each after the first strictly above (or each strictly
  below) the one before, so 6 rises or 6 falls (a tie breaks it); every point of it carries it;
- `two_of_three`: two (or three) of three consecutive points beyond a near-limit line but inside
  its limit, all three on the same side of the mean; the points near the limit carry it.

A month with no count is a gap: no moving range spans it, and no run of points crosses it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.periods import CHART_MONTHS

LIMIT_FACTOR = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two points
NEAR_LIMIT_SHARE = 2 / 3
RUN_LENGTH = 7
OUTSIDE_LIMITS, SHIFT, TREND, TWO_OF_THREE = "outside_limits", "shift", "trend", "two_of_three"
SIGNALS = (OUTSIDE_LIMITS, SHIFT, TREND, TWO_OF_THREE)  # joined in this order; strongest first
MIN_MONTHS = 24  # fewer months present than this, and there is no chart
MAX_MONTHS = CHART_MONTHS  # the most the ingest reads for a chart
CONTROL_CHART_COLUMNS = [
    "series",
    "month",
    "value",
    "mean",
    "lower_limit",
    "upper_limit",
    "signal",
]  # the contract of tables/control_charts.csv


@dataclass(frozen=True)
class ControlLimits:
    """An XmR chart's centre line, process limits and near-limit lines."""

    mean: float
    mean_moving_range: float

    @property
    def upper(self) -> float:
        return self.mean + LIMIT_FACTOR * self.mean_moving_range

    @property
    def lower(self) -> float:
        return self.mean - LIMIT_FACTOR * self.mean_moving_range

    @property
    def near_upper(self) -> float:
        return self.mean + NEAR_LIMIT_SHARE * LIMIT_FACTOR * self.mean_moving_range

    @property
    def near_lower(self) -> float:
        return self.mean - NEAR_LIMIT_SHARE * LIMIT_FACTOR * self.mean_moving_range


def _stretches(values: list[float | None]) -> list[list[int]]:
    """The positions of each stretch of consecutive points with no gap between them."""
    stretches: list[list[int]] = []
    current: list[int] = []
    for position, value in enumerate(values):
        if value is None:
            if current:
                stretches.append(current)
            current = []
        else:
            current.append(position)
    if current:
        stretches.append(current)
    return stretches


def control_limits(values: list[float | None]) -> ControlLimits:
    """The mean of the points present and the mean of the moving ranges that span no gap."""
    present = [value for value in values if value is not None]
    ranges = [
        abs(values[later] - values[earlier])
        for stretch in _stretches(values)
        for earlier, later in zip(stretch, stretch[1:], strict=False)
    ]
    if not present or not ranges:
        raise ValueError("a control chart needs at least two consecutive points")
    return ControlLimits(sum(present) / len(present), sum(ranges) / len(ranges))


def _runs(stretch: list[int], key: list[int]) -> list[list[int]]:
    """Maximal runs of positions in stretch whose key is the same and not zero."""
    runs: list[list[int]] = []
    current: list[int] = []
    for index, position in enumerate(stretch):
        if key[index] != 0 and current and key[index] == key[index - 1]:
            current.append(position)
        else:
            if current:
                runs.append(current)
            current = [position] if key[index] != 0 else []
    if current:
        runs.append(current)
    return runs


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


def signals(values: list[float | None], limits: ControlLimits) -> list[set[str]]:
    """Each point's special-cause signals (none for a gap)."""
    found: list[set[str]] = [set() for _ in values]
    for position, value in enumerate(values):
        if value is not None and (value > limits.upper or value < limits.lower):
            found[position].add(OUTSIDE_LIMITS)
    for stretch in _stretches(values):
        side = [_sign(values[position] - limits.mean) for position in stretch]
        for run in _runs(stretch, side):
            if len(run) >= RUN_LENGTH:
                for position in run:
                    found[position].add(SHIFT)
        # a step's direction, given to the later point; a run of 6 equal steps is 7 points
        steps = [0] + [
            _sign(values[later] - values[earlier])
            for earlier, later in zip(stretch, stretch[1:], strict=False)
        ]
        for run in _runs(stretch, steps):
            if len(run) >= RUN_LENGTH - 1:
                before = stretch[stretch.index(run[0]) - 1]
                for position in [before, *run]:
                    found[position].add(TREND)
        near = [_near_side(values[position], limits) for position in stretch]
        for start in range(len(stretch) - 2):
            window = range(start, start + 3)
            sides = {side[index] for index in window}
            close = [index for index in window if near[index] != 0]
            if len(close) >= 2 and len(sides) == 1 and 0 not in sides:  # near: on that side too
                for index in close:
                    found[stretch[index]].add(TWO_OF_THREE)
    return found


def _near_side(value: float, limits: ControlLimits) -> int:
    """1 beyond the upper near-limit line but not the limit, -1 likewise below, else 0."""
    if limits.near_upper < value <= limits.upper:
        return 1
    if limits.lower <= value < limits.near_lower:
        return -1
    return 0


def signal_text(point_signals: set[str]) -> str:
    """A point's signals as the CSV writes them: `;`-joined in a fixed order, empty for none."""
    return ";".join(name for name in SIGNALS if name in point_signals)


def control_chart(series: str, monthly: pd.DataFrame) -> pd.DataFrame | None:
    """One series' control chart from its monthly counts (columns `month`, `count`; a month with
    no count is a gap), over its last MAX_MONTHS months; None with fewer than MIN_MONTHS
    present."""
    shown = monthly.sort_values("month").tail(MAX_MONTHS)
    values = [None if pd.isna(count) else float(count) for count in shown["count"]]
    if sum(value is not None for value in values) < MIN_MONTHS:
        return None
    limits = control_limits(values)
    found = signals(values, limits)
    return pd.DataFrame(
        {
            "series": series,
            "month": [str(month) for month in shown["month"]],
            "value": pd.array(shown["count"], dtype="Int64"),
            "mean": limits.mean,
            "lower_limit": limits.lower,
            "upper_limit": limits.upper,
            "signal": [signal_text(point) for point in found],
        }
    ).astype({"series": "string", "month": "string", "signal": "string"})


def signalled_months(charts: pd.DataFrame) -> pd.DataFrame:
    """The charts' months that carry a signal, as notebook 02 shows them for the reviewer."""
    return charts[charts["signal"] != ""]
