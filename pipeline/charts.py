"""Report charts: each a PNG with a title that states its message, alt text and its data table."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from pipeline.metrics import mix_shares
from pipeline.narrative import (
    CRIME_TYPE,
    category_name,
    cell_value,
    change_phrase,
    prose_name,
    rate_change,
)
from pipeline.numbers import (
    SMALL_BASE,
    UNDEFINED,
    count_with_unit,
    format_count,
    format_money,
    format_percent,
    percent_change,
    round_half_up,
    to_float,
)
from pipeline.periods import QUARTER_MONTHS, ComparedPeriod, left_out_note, month_span
from pipeline.taxonomy import home_office
from pipeline.text import capitalise, join_words

FIGURE_WIDTH_CM = 16.0
PAIRED_BAR_CM = 0.75  # height of one category's pair of bars
DPI = 150
CM_PER_INCH = 2.54

# Government Analysis Function "duo" palette: dark blue and orange, told apart by people with
# any common colour-vision deficiency; both have at least 3:1 contrast with white (graphics).
CURRENT_COLOUR = "#12436D"
PREVIOUS_COLOUR = "#F46A25"
TEXT_COLOUR = "#0B0C0C"  # 19:1 against white
AXIS_COLOUR = "#505A5F"  # 7:1 against white
GRID_COLOUR = "#D9D9D9"

RATE_COLUMNS = ["solved_rate_previous", "solved_rate_current", "solved_rate_pt_diff"]

# More tied months than this are counted rather than named in alt text.
MAX_NAMED_MONTHS = 3

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "text.color": TEXT_COLOUR,
    "axes.labelcolor": TEXT_COLOUR,
    "axes.edgecolor": AXIS_COLOUR,
    "axes.facecolor": "white",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "grid.color": GRID_COLOUR,
    "grid.linewidth": 0.8,
    "xtick.color": AXIS_COLOUR,
    "ytick.color": AXIS_COLOUR,
    "xtick.labelcolor": TEXT_COLOUR,
    "ytick.labelcolor": TEXT_COLOUR,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "legend.frameon": False,
    "hatch.linewidth": 1.2,
    "lines.linewidth": 2.0,
    "lines.markersize": 6,
}


# Comparing charts by value would compare DataFrames, which pandas refuses: identity instead.
@dataclass(frozen=True, eq=False)
class Chart:
    """A rendered chart with the words and table that go beside it."""

    title: str
    alt_text: str
    png: bytes
    data: pd.DataFrame

    def data_uri(self) -> str:
        """The PNG as a `data:` URI for an HTML `<img src>`."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def monthly_trend_chart(
    monthly: pd.DataFrame, measure: str, unit: str, small_base: int = SMALL_BASE
) -> Chart:
    """Line chart of monthly counts over (at least) 24 months, this year against last.

    A month with no count (its data unavailable) is a gap in its line, and is left out of both
    years' totals together with the same month of the other year.
    """
    months, counts = _last_24_months(monthly)
    end = months[-1]
    current_label = f"12 months to {_month_name(end)}"
    previous_label = f"12 months to {_month_name(end - 12)}"
    previous_counts, current_counts = counts[:12], counts[12:]
    compared = [
        index
        for index in range(12)
        if previous_counts[index] is not None and current_counts[index] is not None
    ]
    previous_total = sum(previous_counts[index] for index in compared)
    current_total = sum(current_counts[index] for index in compared)
    left_out = [months[12 + index] for index in range(12) if index not in compared]
    note = left_out_note(left_out, len(compared))
    data = pd.DataFrame(
        {
            "Month": [month.strftime("%B") for month in months[12:]],
            f"{capitalise(unit)}, {previous_label}": pd.array(previous_counts, dtype="Int64"),
            f"{capitalise(unit)}, {current_label}": pd.array(current_counts, dtype="Int64"),
        }
    )
    when_label = f"{current_label} ({note})" if note else current_label
    title = _trend_title(measure, unit, previous_total, current_total, when_label, small_base)
    alt_text = " ".join(
        part
        for part in [
            f"Line chart of monthly {_in_sentence(measure)} {unit},",
            f"{month_span(months[0], end)}, comparing the latest 12 months with the 12 before.",
            f"In the {when_label} there were {count_with_unit(current_total, unit)},",
            f"against {format_count(previous_total)} in "
            + ("the same months a year before." if note else "the 12 months before."),
            _gaps_sentence(months, counts),
            _extremes_sentence(
                [m for m, c in zip(months, counts, strict=True) if c is not None],
                [c for c in counts if c is not None],
                unit,
            ),
        ]
        if part
    )
    with matplotlib.rc_context(STYLE):
        figure = _new_figure(height_cm=9.0)
        axes = figure.add_subplot()
        _draw_trend(
            axes,
            months[12:],
            unit,
            {previous_label: previous_counts, current_label: current_counts},
        )
        figure.legend(loc="outside upper left", ncols=2)
        png = _to_png(figure)
    return Chart(title, alt_text, png, data)


def _gaps_sentence(months: Sequence[pd.Period], counts: Sequence[int | None]) -> str:
    """The months with no data, shown as gaps, or empty when there are none."""
    gaps = [
        _month_name(month) for month, count in zip(months, counts, strict=True) if count is None
    ]
    if not gaps:
        return ""
    return f"There is no usable data for {join_words(gaps)}, shown as a gap in the line."


def crime_mix_chart(mix: pd.DataFrame, period_label: str, noun: str = CRIME_TYPE) -> Chart:
    """Horizontal bar chart of the share of offences by crime type (or offence group: `noun`)."""
    table = _checked_counts(mix, ["crime_type", "offences"], ["offences"], "crime_mix_chart")
    table = table.sort_values("offences", ascending=False, kind="stable")
    names = [str(name) for name in table["crime_type"]]
    counts = [int(count) for count in table["offences"]]
    total = sum(counts)
    shares = list(mix_shares(table))
    data = pd.DataFrame(
        {
            capitalise(noun): names,
            "Offences": counts,
            "Share of offences (%)": pd.array([to_float(s) for s in shares], dtype="Float64"),
        }
    )
    title = _mix_title(names, counts, shares, period_label, noun)
    alt_text = _mix_alt_text(names, counts, shares, total, period_label, noun)
    labels = [_count_and_share(count, share) for count, share in zip(counts, shares, strict=True)]
    with matplotlib.rc_context(STYLE):
        figure = _new_figure(height_cm=2.0 + 0.6 * len(names))
        axes = figure.add_subplot()
        bars = axes.barh(range(len(names)), counts, height=0.7, color=CURRENT_COLOUR)
        axes.bar_label(bars, labels=labels, padding=3, color=TEXT_COLOUR)
        _style_bar_axes(axes, names, max(counts), room_for_labels=1.3)
        png = _to_png(figure)
    return Chart(title, alt_text, png, data)


def top_areas_chart(areas: pd.DataFrame, measure: str, unit: str, period_label: str) -> Chart:
    """Horizontal bar chart of the areas (LSOAs) with most offences, current against previous."""
    table = _checked_counts(
        areas, ["area", "current", "previous"], ["current", "previous"], "top_areas_chart"
    )
    table = table.sort_values("current", ascending=False, kind="stable")
    names = [str(name) for name in table["area"]]
    current = [int(count) for count in table["current"]]
    previous = [int(count) for count in table["previous"]]
    current_label = capitalise(period_label)
    previous_label = "Same months a year earlier"
    data = pd.DataFrame(
        {
            "Area": names,
            f"{capitalise(unit)}, {period_label}": current,
            f"{capitalise(unit)}, same months a year earlier": previous,
        }
    )
    title = _areas_title(names, current, measure, unit, period_label)
    alt_text = _areas_alt_text(names, current, previous, measure, unit, period_label)
    with matplotlib.rc_context(STYLE):
        figure = _new_figure(height_cm=2.5 + PAIRED_BAR_CM * len(names))
        axes = figure.add_subplot()
        _draw_paired_bars(axes, current, previous, current_label, previous_label)
        _style_bar_axes(axes, names, max(current + previous), room_for_labels=1.12)
        figure.legend(loc="outside upper left", ncols=2)
        png = _to_png(figure)
    return Chart(title, alt_text, png, data)


def offences_by_group_chart(
    table: pd.DataFrame, period: ComparedPeriod, small_base: int = SMALL_BASE
) -> Chart:
    """Horizontal bars of offences by offence group, the current period against a year before."""
    caller = "offences_by_group_chart"
    rows = _performance_rows(
        table, _offence_group_names(), ["offences_previous", "offences_current"], caller
    ).sort_values("offences_current", ascending=False, kind="stable")
    names = [str(name) for name in rows["crime_type"]]
    previous = [int(count) for count in rows["offences_previous"]]
    current = [int(count) for count in rows["offences_current"]]
    diffs = [now - before for now, before in zip(current, previous, strict=True)]
    data = pd.DataFrame(
        {
            "Offence group": names,
            f"Offences, {period.previous_span}": previous,
            f"Offences, {period.current_span}": current,
            "Difference": diffs,
        }
    )
    title = _groups_title("Offences", "were", diffs, period)
    alt_text = _sentences(
        [
            f"Bar chart of offences in each of the {len(names)} offence groups in "
            f"{period.current_span}, against {period.previous_span}.",
            f"Together they had {count_with_unit(sum(current), 'offences')}, "
            f"against {format_count(sum(previous))}.",
            _moves_sentence("Offences", "were", diffs),
            _largest_count_moves(names, previous, current, small_base),
        ]
    )
    with matplotlib.rc_context(STYLE):
        figure = _new_figure(height_cm=2.5 + PAIRED_BAR_CM * len(names))
        axes = figure.add_subplot()
        _draw_paired_bars(
            axes,
            current,
            previous,
            capitalise(period.current_span),
            capitalise(period.previous_span),
        )
        _style_bar_axes(axes, names, max(current + previous), room_for_labels=1.12)
        figure.legend(loc="outside upper left", ncols=2)
        png = _to_png(figure)
    return Chart(title, alt_text, png, data)


def solved_rate_by_group_chart(table: pd.DataFrame, period: ComparedPeriod) -> Chart:
    """Horizontal bars of the solved rate by offence group, current period against a year before."""
    caller = "solved_rate_by_group_chart"
    columns = ["offences_previous", "offences_current", *RATE_COLUMNS]
    all_crime_name = home_office().all_crime_row.name
    all_crime = _performance_rows(table, [all_crime_name], columns, caller).iloc[0]
    rows = _performance_rows(table, _offence_group_names(), columns, caller).sort_values(
        "solved_rate_current", ascending=False, na_position="last", kind="stable"
    )
    names = [str(name) for name in rows["crime_type"]]
    previous, current, points = ([cell_value(value) for value in rows[c]] for c in RATE_COLUMNS)
    data = pd.DataFrame(
        {
            "Offence group": names,
            f"Solved rate (%), {period.previous_span}": pd.array(previous, dtype="Float64"),
            f"Solved rate (%), {period.current_span}": pd.array(current, dtype="Float64"),
            "Difference (percentage points)": pd.array(points, dtype="Float64"),
        }
    )
    title = (
        _groups_title("The solved rate", "was", points, period)
        if any(point is not None for point in points)
        else (
            f"No offence group had offences in both {period.current_span} and a year earlier, "
            "so no solved rates can be compared"
        )
    )
    alt_text = _sentences(
        [
            "Bar chart of the solved rate (solved outcomes as a percentage of offences) in each "
            f"of the {len(names)} offence groups in {period.current_span}, against "
            f"{period.previous_span}.",
            _all_crime_rate_sentence(all_crime, period),
            _moves_sentence("The solved rate", "was", points),
            _largest_rate_moves(names, previous, current, points),
            _no_rate_sentence(names, previous, period.previous_span),
            _no_rate_sentence(names, current, period.current_span),
        ]
    )
    with matplotlib.rc_context(STYLE):
        figure = _new_figure(height_cm=2.5 + PAIRED_BAR_CM * len(names))
        axes = figure.add_subplot()
        _draw_paired_bars(
            axes,
            [rate or 0.0 for rate in current],
            [rate or 0.0 for rate in previous],
            capitalise(period.current_span),
            capitalise(period.previous_span),
            labels=(list(map(_rate_label, current)), list(map(_rate_label, previous))),
        )
        largest = max([rate for rate in previous + current if rate is not None], default=1.0)
        _style_bar_axes(axes, names, largest, room_for_labels=1.2)
        figure.legend(loc="outside upper left", ncols=2)
        png = _to_png(figure)
    return Chart(title, alt_text, png, data)


def grant_spend_chart(spend: pd.DataFrame, year_label: str) -> Chart:
    """Line chart of grant spent by each quarter's end against the straight-line profile.

    `spend` has `quarter` (1 to 4), `spent` (Decimal, None for quarters still to come) and
    `profile` (Decimal), as `pipeline.opcc_return.cumulative_spend` gives it.
    """
    rows = list(spend.itertuples(index=False))
    done = [row for row in rows if row.spent is not None]
    labels = [f"Q{row.quarter} {QUARTER_MONTHS[row.quarter]}" for row in rows]
    data = pd.DataFrame(
        {
            "Quarter": labels,
            "Spent by the end of the quarter": [format_money(row.spent) for row in rows],
            "Straight-line profile": [format_money(row.profile) for row in rows],
        }
    )
    latest = done[-1]
    gap = latest.spent - latest.profile
    position = (
        "on the straight-line profile"
        if gap == 0
        else f"{format_money(abs(gap))} {'above' if gap > 0 else 'below'} a straight-line profile"
    )
    title = (
        f"By the end of quarter {latest.quarter}, {format_money(latest.spent)} of the "
        f"{year_label} grant was spent, {position}"
    )
    by_quarter = "; ".join(
        f"quarter {row.quarter}: {format_money(row.spent)} against {format_money(row.profile)}"
        for row in done
    )
    alt_text = (
        f"Line chart of the grant spent by the end of each quarter of {year_label} (solid line) "
        f"against a straight-line profile that reaches the whole grant of "
        f"{format_money(rows[-1].profile)} at the end of quarter {rows[-1].quarter} (dashed "
        f"line). Spent against profile, {by_quarter}."
    )
    with matplotlib.rc_context(STYLE):
        figure = _new_figure(height_cm=8.0)
        axes = figure.add_subplot()
        positions = list(range(len(rows)))
        _plot_pair(
            axes,
            (positions, [float(row.profile) for row in rows], "Straight-line profile"),
            (positions[: len(done)], [float(row.spent) for row in done], "Spent to date"),
        )
        axes.set_xticks(positions, [label.replace(" ", "\n", 1) for label in labels])
        highest = max([row.profile for row in rows] + [row.spent for row in done])
        axes.set_ylim(0, float(highest) * 1.1 or 1)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"£{value:,.0f}"))
        axes.grid(axis="y")
        axes.set_axisbelow(True)
        figure.legend(loc="outside upper left", ncols=2)
        png = _to_png(figure)
    return Chart(title, alt_text, png, data)


def _last_24_months(monthly: pd.DataFrame) -> tuple[list[pd.Period], list[int | None]]:
    """The latest 24 consecutive months and their counts (None: no data), refusing gappy months."""
    counted = monthly[monthly["count"].notna()] if "count" in monthly.columns else monthly
    _checked_counts(counted, ["month", "count"], ["count"], "monthly_trend_chart")
    table = monthly
    months = list(pd.PeriodIndex(table["month"], freq="M"))
    if len(months) < 24:
        raise ValueError(
            f"monthly_trend_chart needs at least 24 months to compare the latest 12 with the "
            f"12 before; got {len(months)}."
        )
    expected = list(pd.period_range(months[0], months[-1], freq="M"))
    if months != expected:
        present = set(months)
        missing = [month for month in expected if month not in present]
        problem = (
            f"missing {join_words([_month_name(month) for month in missing])}"
            if missing
            else "months are repeated or out of order"
        )
        raise ValueError(f"monthly_trend_chart needs consecutive months in order: {problem}.")
    counts = [None if pd.isna(count) else int(count) for count in table["count"]]
    return months[-24:], counts[-24:]


def _checked_counts(
    table: pd.DataFrame, columns: list[str], count_columns: list[str], caller: str
) -> pd.DataFrame:
    """The table if it has the columns and at least one row of whole, non-negative counts."""
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ValueError(f"{caller} needs columns {columns}; missing {missing}.")
    if table.empty:
        raise ValueError(f"{caller} needs at least one row to draw; the table is empty.")
    for column in count_columns:
        if not all(_is_count(value) for value in table[column]):
            raise ValueError(f"{caller}: column '{column}' must hold whole numbers of 0 or more.")
    return table


def _is_count(value: object) -> bool:
    """Whether a cell holds a whole number of 0 or more (not missing, not text)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return number.is_integer() and number >= 0 and not isinstance(value, (str, bool))


def _trend_title(
    measure: str, unit: str, previous: int, current: int, current_label: str, small_base: int
) -> str:
    """The trend's message, e.g. `All crime fell by 4.2% in the 12 months to September 2025`."""
    when = f"in the {current_label}"
    if current == previous:
        return f"{measure} was unchanged at {count_with_unit(current, unit)} {when}"
    if previous == 0:
        return f"{measure} rose from 0 to {count_with_unit(current, unit)} {when}"
    change = percent_change(previous, current)
    direction = "rose" if current > previous else "fell"
    title = f"{measure} {direction} by {_percent_text(change)} {when}"
    if previous < small_base:
        title += f", but from {format_count(previous)} to {count_with_unit(current, unit)}"
    return title


def _sentences(parts: Sequence[str]) -> str:
    """Sentences joined by spaces, leaving out empty ones."""
    return " ".join(part for part in parts if part)


def _offence_group_names() -> list[str]:
    """The names of the nine offence group rows, in hierarchy order."""
    return [row.name for row in home_office().group_rows]


def _performance_rows(
    table: pd.DataFrame, names: Sequence[str], columns: list[str], caller: str
) -> pd.DataFrame:
    """The named rows of a Home Office performance table in that order, checked for drawing."""
    _checked_counts(
        table, ["crime_type", *columns], ["offences_previous", "offences_current"], caller
    )
    present = set(table["crime_type"])
    missing = [name for name in names if name not in present]
    if missing:
        raise ValueError(f"{caller} needs the performance table rows {missing}; they are missing.")
    return table.set_index("crime_type").loc[list(names)].reset_index()


def _rate_label(rate: float | None) -> str:
    """A bar label for a rate: `12.7%`, or `no offences` when there is no rate."""
    return "no offences" if rate is None else format_percent(rate)


def _groups_title(
    subject: str, were: str, diffs: Sequence[float | None], period: ComparedPeriod
) -> str:
    """`Offences rose in 8 of 9 offence groups in <period>, compared with a year earlier`."""
    total = len(diffs)
    up = sum(1 for diff in diffs if diff is not None and diff > 0)
    down = sum(1 for diff in diffs if diff is not None and diff < 0)
    same = sum(1 for diff in diffs if diff is not None and diff == 0)
    if up == total:
        message = "rose in every offence group"
    elif down == total:
        message = "fell in every offence group"
    elif same == total:
        message = f"{were} unchanged in every offence group"
    elif up == down == 0:
        message = f"{were} unchanged in {same} of {total} offence groups"
    elif up >= down:
        message = f"rose in {up} of {total} offence groups"
    else:
        message = f"fell in {down} of {total} offence groups"
    return f"{subject} {message} in {period.current_span}, compared with a year earlier"


def _moves_sentence(subject: str, were: str, diffs: Sequence[float | None]) -> str:
    """`Offences rose in 8 groups and fell in 1 group.`, or empty when nothing compares."""
    counts = {
        "rose": sum(1 for diff in diffs if diff is not None and diff > 0),
        "fell": sum(1 for diff in diffs if diff is not None and diff < 0),
        f"{were} unchanged": sum(1 for diff in diffs if diff is not None and diff == 0),
    }
    parts = [f"{verb} in {count_with_unit(n, 'groups')}" for verb, n in counts.items() if n]
    return f"{subject} {join_words(parts)}." if parts else ""


def _largest(names: Sequence[str], diffs: Sequence[float | None], rising: bool) -> int | None:
    """Position of the largest rise (or fall), ties to the name first in the alphabet."""
    sign = 1 if rising else -1
    moved = [
        (-sign * diff, name, index)
        for index, (name, diff) in enumerate(zip(names, diffs, strict=True))
        if diff is not None and sign * diff > 0
    ]
    return min(moved)[2] if moved else None


def _largest_count_moves(
    names: Sequence[str], previous: Sequence[int], current: Sequence[int], small_base: int
) -> str:
    """`The largest rise was in theft offences, which rose by 657 (27.9%), from 2,358 to ...`."""
    diffs = [now - before for now, before in zip(current, previous, strict=True)]
    parts = []
    for label, rising in (("rise", True), ("fall", False)):
        index = _largest(names, diffs, rising)
        if index is not None:
            before, now = previous[index], current[index]
            pct = to_float(round_half_up(percent_change(before, now)))
            change = change_phrase(before, now, pct, "", small_base)
            parts.append(f"the largest {label} was in {prose_name(names[index])}, which {change}")
    return capitalise("; ".join(parts)) + "." if parts else ""


def _all_crime_rate_sentence(row: pd.Series, period: ComparedPeriod) -> str:
    """The all crime solved rate against a year before, or why there is none to compare."""
    previous, current, points = (cell_value(row[column]) for column in RATE_COLUMNS)
    if previous is not None and current is not None and points is not None:
        return f"For all crime the solved rate {rate_change(previous, current, points)}."
    missing = [
        span
        for span, rate in ((period.previous_span, previous), (period.current_span, current))
        if rate is None
    ]
    return (
        f"All crime has no solved rate to compare: there were no offences in {join_words(missing)}."
    )


def _largest_rate_moves(
    names: Sequence[str],
    previous: Sequence[float | None],
    current: Sequence[float | None],
    points: Sequence[float | None],
) -> str:
    """`The largest rise was in public order, which rose by 0.2 percentage points, from ...`."""
    defined = [
        (name, before, now, diff)
        for name, before, now, diff in zip(names, previous, current, points, strict=True)
        if before is not None and now is not None and diff is not None
    ]
    parts = []
    for label, rising in (("rise", True), ("fall", False)):
        index = _largest([row[0] for row in defined], [row[3] for row in defined], rising)
        if index is not None:
            name, before, now, diff = defined[index]
            change = rate_change(before, now, diff)
            parts.append(f"the largest {label} was in {prose_name(name)}, which {change}")
    return capitalise("; ".join(parts)) + "." if parts else ""


def _no_rate_sentence(names: Sequence[str], rates: Sequence[float | None], span: str) -> str:
    """Which groups have no rate in a period because they had no offences, or empty."""
    missing = [prose_name(name) for name, rate in zip(names, rates, strict=True) if rate is None]
    if not missing:
        return ""
    they = "it has" if len(missing) == 1 else "they have"
    return (
        f"{capitalise(join_words(missing))} had no offences in {span}, so {they} no solved rate "
        f"and no bar for that period."
    )


def _extremes_sentence(months: Sequence[pd.Period], counts: Sequence[int], unit: str) -> str:
    """The highest and lowest monthly counts and when they happened."""
    highest, lowest = max(counts), min(counts)
    if highest == lowest:
        return f"Every month had {count_with_unit(highest, unit)}."
    return (
        f"The highest monthly count was {format_count(highest)}, "
        f"{_months_with(months, counts, highest)}; the lowest was {format_count(lowest)}, "
        f"{_months_with(months, counts, lowest)}."
    )


def _months_with(months: Sequence[pd.Period], counts: Sequence[int], value: int) -> str:
    """Where a count occurs: `in July 2025`, `in June 2025 and July 2025` or `in 5 of 24 months`."""
    matching = [month for month, count in zip(months, counts, strict=True) if count == value]
    if len(matching) > MAX_NAMED_MONTHS:
        return f"in {len(matching)} of the {len(months)} months"
    return "in " + join_words([_month_name(month) for month in matching])


def _mix_title(
    names: Sequence[str],
    counts: Sequence[int],
    shares: Sequence[Decimal | None],
    period: str,
    noun: str,
) -> str:
    """The mix's message: the most common crime type (or offence group) and its share."""
    top = max(counts)
    if top == 0:
        return f"No offences were recorded in {period}"
    leaders = [
        category_name(name, noun) for name, count in zip(names, counts, strict=True) if count == top
    ]
    share = format_percent(shares[counts.index(top)])
    if len(leaders) == 1:
        return (
            f"{capitalise(leaders[0])} was the most common {noun} in {period}, {share} of offences"
        )
    return (
        f"{capitalise(join_words(leaders))} were the most common {noun}s in {period}, "
        f"{share} of offences each"
    )


def _mix_alt_text(
    names: Sequence[str],
    counts: Sequence[int],
    shares: Sequence[Decimal | None],
    total: int,
    period: str,
    noun: str,
) -> str:
    """The mix in words: the total and the three most common crime types (or offence groups)."""
    opening = f"Bar chart of offences by {noun} in {period}"
    if total == 0:
        return f"{opening}: no offences were recorded in any of the {len(names)} {noun}s."
    top = [
        f"{_in_sentence(category_name(name, noun))} ({format_count(count)}, "
        f"{format_percent(share)})"
        for name, count, share in zip(names[:3], counts, shares, strict=False)
    ]
    verb = "was" if len(top) == 1 else "were"
    return (
        f"{opening}: {count_with_unit(total, 'offences')} in total across "
        f"{count_with_unit(len(names), f'{noun}s')}. "
        f"The most common {verb} {join_words(top)}."
    )


def _areas_title(
    names: Sequence[str], current: Sequence[int], measure: str, unit: str, period: str
) -> str:
    """The areas' message: the area (or tied areas) with the most, and how many."""
    top = max(current)
    what = f"{_in_sentence(measure)} {unit}"
    if top == 0:
        return f"None of these areas had any {what} in {period}"
    leaders = [name for name, count in zip(names, current, strict=True) if count == top]
    if len(leaders) == 1:
        return f"{leaders[0]} had the most {what} in {period} ({format_count(top)})"
    return f"{join_words(leaders)} had the most {what} in {period} ({format_count(top)} each)"


def _areas_alt_text(
    names: Sequence[str],
    current: Sequence[int],
    previous: Sequence[int],
    measure: str,
    unit: str,
    period: str,
) -> str:
    """The areas in words: how many, and the top three with their change."""
    # The unit once, with the first area: "A had 85 offences, ...; B had 72, ..."
    top = [
        f"{name} had {count_with_unit(now, unit) if rank == 0 else format_count(now)}, "
        f"{_change_from(before, now)}"
        for rank, (name, now, before) in enumerate(zip(names[:3], current, previous, strict=False))
    ]
    places = "area" if len(names) == 1 else f"{len(names)} areas"
    return (
        f"Bar chart of the {places} with the most {_in_sentence(measure)} {unit} in {period}, "
        f"against the same months a year earlier. {capitalise('; '.join(top))}."
    )


def _change_from(previous: int, current: int) -> str:
    """A change in words with its base, e.g. `up by 20 (30.8%) from 65` or `up from 0`."""
    if current == previous:
        return "the same as a year earlier"
    if previous == 0:
        return "up from 0"
    direction = "up" if current > previous else "down"
    change = percent_change(previous, current)
    difference = format_count(abs(current - previous))
    return f"{direction} by {difference} ({_percent_text(change)}) from {format_count(previous)}"


def _percent_text(change: Fraction | None) -> str:
    """The size of a percentage change, half up to 1 dp; `less than 0.1%` rather than `0.0%`."""
    if change is None:
        return UNDEFINED
    rounded = round_half_up(abs(change))
    if rounded == 0 and change != 0:
        return "less than 0.1%"
    return format_percent(rounded)


def _count_and_share(count: int, share: Decimal | None) -> str:
    """A bar label: `1,234 (25.1%)`, or just the count when the share is undefined."""
    if share is None:
        return format_count(count)
    return f"{format_count(count)} ({format_percent(share)})"


def _month_name(month: pd.Period) -> str:
    """A month in words, e.g. `September 2025`."""
    return month.strftime("%B %Y")


def _in_sentence(name: str) -> str:
    """A sentence-case name as written mid-sentence (`All crime` -> `all crime`).

    Names with capitals after the first letter (`ASB`, `Violence Against the Person`) are kept.
    """
    if name[1:] != name[1:].lower():
        return name
    return name[:1].lower() + name[1:]


def _new_figure(height_cm: float) -> Figure:
    """A white A4-width figure drawn by Agg, outside pyplot so nothing is left open."""
    figure = Figure(
        figsize=(FIGURE_WIDTH_CM / CM_PER_INCH, height_cm / CM_PER_INCH),
        dpi=DPI,
        layout="constrained",
    )
    FigureCanvasAgg(figure)
    return figure


def _to_png(figure: Figure) -> bytes:
    """The figure as PNG bytes, with no software or time stamp so equal data gives equal bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    figure.clear()
    return buffer.getvalue()


def _draw_trend(
    axes: Axes, months: Sequence[pd.Period], unit: str, lines: dict[str, Sequence[int | None]]
) -> None:
    """Two 12-month lines by month of year: previous dashed with squares, current solid, dots.

    A month with no count is drawn as a gap (NaN), never as zero.
    """
    positions = list(range(len(months)))
    (previous_label, previous), (current_label, current) = (
        (label, [float("nan") if value is None else value for value in values])
        for label, values in lines.items()
    )
    _plot_pair(axes, (positions, previous, previous_label), (positions, current, current_label))
    axes.set_xticks(positions, [month.strftime("%b") for month in months])
    drawn = [value for value in [*previous, *current] if value == value]  # NaN is not itself
    axes.set_ylim(0, max([*drawn, 1]) * 1.1)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_count(value)))
    axes.set_ylabel(capitalise(unit))
    axes.grid(axis="y")
    axes.set_axisbelow(True)


Line = tuple[Sequence[int], Sequence[float], str]  # x positions, values, legend label


def _plot_pair(axes: Axes, reference: Line, actual: Line) -> None:
    """A reference line dashed with squares and the actual line solid with dots, on top."""
    # Not clipped, so markers on zero stay whole above the axis line.
    for (positions, values, label), colour, style, marker, layer in (
        (reference, PREVIOUS_COLOUR, "--", "s", 3),
        (actual, CURRENT_COLOUR, "-", "o", 4),
    ):
        axes.plot(
            positions,
            values,
            color=colour,
            linestyle=style,
            marker=marker,
            label=label,
            clip_on=False,
            zorder=layer,
        )


def _draw_paired_bars(
    axes: Axes,
    current: Sequence[float],
    previous: Sequence[float],
    current_label: str,
    previous_label: str,
    labels: tuple[Sequence[str], Sequence[str]] | None = None,
) -> None:
    """Current (solid) above previous (hatched) for each row, labelled with counts by default."""
    rows = range(len(current))
    height = 0.4
    current_bars = axes.barh(
        [row - height / 2 for row in rows],
        current,
        height=height,
        color=CURRENT_COLOUR,
        label=current_label,
    )
    previous_bars = axes.barh(
        [row + height / 2 for row in rows],
        previous,
        height=height,
        color=PREVIOUS_COLOUR,
        hatch="///",
        edgecolor="white",
        linewidth=0,
        label=previous_label,
    )
    texts = labels or ([format_count(n) for n in current], [format_count(n) for n in previous])
    for bars, bar_texts in zip((current_bars, previous_bars), texts, strict=True):
        axes.bar_label(bars, labels=list(bar_texts), padding=3, color=TEXT_COLOUR, fontsize=8)


def _style_bar_axes(
    axes: Axes, names: Sequence[str], largest: float, room_for_labels: float
) -> None:
    """Names down the side, largest at the top, no value axis (the bars carry their labels)."""
    axes.set_yticks(range(len(names)), names)
    axes.set_ylim(len(names) - 0.5, -0.5)
    axes.set_xlim(0, max(largest, 1) * room_for_labels)
    axes.xaxis.set_visible(False)
    axes.spines["bottom"].set_visible(False)
    axes.tick_params(axis="y", length=0)
