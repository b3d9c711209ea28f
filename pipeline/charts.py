"""Report charts: each a PNG with a title that states its message, alt text and its data table."""

from __future__ import annotations

import base64
import functools
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from pipeline.benchmark import DISTRICT, Benchmark
from pipeline.benchmark_words import (
    BENCHMARK_ORDER,
    PEER_LEGEND,
    RANKED_AXIS,
    district_legend,
    format_rate,
    line_label,
    ranked_alt_text,
    ranked_data,
    ranked_rows,
    ranked_title,
)
from pipeline.chart_words import (
    CONTROL_LINES,
    GRANT_HEADINGS,
    GRANT_LINES,
    RATE_COLUMNS,
    SIGNAL_LABELS,
    SIGNAL_LEGEND,
    areas_alt_text,
    areas_headings,
    areas_labels,
    areas_title,
    control_alt_text,
    control_headings,
    control_title,
    count_and_share,
    grant_quarter_label,
    grant_spend_alt_text,
    grant_spend_title,
    groups_alt_text,
    groups_headings,
    mix_alt_text,
    mix_headings,
    mix_title,
    month_name,
    offences_by_group_title,
    period_labels,
    rate_label,
    rates_alt_text,
    rates_headings,
    rates_title,
    signal_names,
    trend_alt_text,
    trend_axis_label,
    trend_headings,
    trend_labels,
    trend_title,
)
from pipeline.control_charts import OUTSIDE_LIMITS, SHIFT, TREND, TWO_OF_THREE
from pipeline.metrics import mix_shares
from pipeline.narrative import (
    CRIME_TYPE,
    cell_value,
)
from pipeline.numbers import (
    SMALL_BASE,
    format_count,
    format_money,
    format_one_decimal,
    to_float,
)
from pipeline.periods import ComparedPeriod, left_out_note
from pipeline.taxonomy import home_office
from pipeline.text import join_words

FIGURE_WIDTH_CM = 16.0
PAIRED_BAR_CM = 0.75  # height of one category's pair of bars
DPI = 150
CM_PER_INCH = 2.54
LABEL_OFFSET_POINTS, LABEL_STEP_POINTS = 7, 10  # a signal label from its point, and from a near one

# Government Analysis Function "duo" palette: dark blue and orange, told apart by people with
# any common colour-vision deficiency; both have at least 3:1 contrast with white (graphics).
CURRENT_COLOUR = "#12436D"
PREVIOUS_COLOUR = "#F46A25"
TEXT_COLOUR = "#0B0C0C"  # 19:1 against white
AXIS_COLOUR = "#505A5F"  # 7:1 against white
GRID_COLOUR = "#D9D9D9"


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
    """A chart: its words and table, worked out when it is made, and its picture, drawn the first
    time it is asked for (`png`), so what only reads the words never draws."""

    title: str
    alt_text: str
    draw: Callable[[], bytes]
    data: pd.DataFrame

    @functools.cached_property
    def png(self) -> bytes:
        """The chart drawn, as PNG bytes."""
        return self.draw()

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
    previous_label, current_label = trend_labels(end)
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
    month_heading, previous_heading, current_heading = trend_headings(
        unit, previous_label, current_label
    )
    data = pd.DataFrame(
        {
            month_heading: [month.strftime("%B") for month in months[12:]],
            previous_heading: pd.array(previous_counts, dtype="Int64"),
            current_heading: pd.array(current_counts, dtype="Int64"),
        }
    )
    when_label = f"{current_label} ({note})" if note else current_label
    title = trend_title(measure, unit, previous_total, current_total, when_label, small_base)
    alt_text = trend_alt_text(
        measure, unit, months, counts, when_label, (previous_total, current_total), bool(note)
    )

    def draw() -> bytes:
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
            return _to_png(figure)

    return Chart(title, alt_text, draw, data)


SIGNAL_MARKERS = {  # each signal its own shape, so none is told by colour alone
    OUTSIDE_LIMITS: "D",
    SHIFT: "s",
    TREND: "^",
    TWO_OF_THREE: "v",
}


def control_chart_figure(points: pd.DataFrame, measure: str, unit: str) -> Chart:
    """An XmR control chart of one series (rows of `analysis.control_charts`): the monthly
    counts, the mean and the process limits, each signalled month marked by its signal's shape
    and labelled once, at the run's last month."""
    months = [str(month) for month in points["month"]]
    values = [None if pd.isna(value) else int(value) for value in points["value"]]
    signals = [str(signal) for signal in points["signal"]]
    mean, lower, upper = (
        float(points[column].iloc[0]) for column in ("mean", "lower_limit", "upper_limit")
    )
    headings = control_headings(unit)
    data = pd.DataFrame(
        {
            headings[0]: [month_name(pd.Period(month, freq="M")) for month in months],
            headings[1]: pd.array(values, dtype="Int64"),
            headings[2]: [format_one_decimal(mean)] * len(months),
            headings[3]: [format_one_decimal(lower)] * len(months),
            headings[4]: [format_one_decimal(upper)] * len(months),
            "Signal": [signal_names(signal) for signal in signals],
        }
    )
    title = control_title(measure, months, signals)
    alt_text = control_alt_text(measure, unit, months, values, signals, (mean, lower, upper))

    def draw() -> bytes:
        with matplotlib.rc_context(STYLE):
            figure = _new_figure(height_cm=9.0)
            axes = figure.add_subplot()
            _draw_control_chart(axes, months, values, signals, (mean, lower, upper), unit)
            figure.legend(loc="outside upper left", ncols=2)  # three rows never run off the side
            return _to_png(figure)

    return Chart(title, alt_text, draw, data)


def _draw_control_chart(
    axes: Axes,
    months: Sequence[str],
    values: Sequence[int | None],
    signals: Sequence[str],
    limits: tuple[float, float, float],
    unit: str,
) -> None:
    """The counts as a line with dots, the mean solid, the limits dashed; signals by shape."""
    mean, lower, upper = limits
    positions = list(range(len(months)))
    drawn = [float("nan") if value is None else value for value in values]
    axes.plot(
        positions,
        drawn,
        color=CURRENT_COLOUR,
        marker="o",
        markersize=3.5,
        label=control_headings(unit)[1],
        zorder=4,
        clip_on=False,
    )
    axes.axhline(mean, color=AXIS_COLOUR, linewidth=1.2, label=CONTROL_LINES[0], zorder=2)
    for number, limit in enumerate((lower, upper)):
        axes.axhline(
            limit,
            color=PREVIOUS_COLOUR,
            linewidth=1.2,
            linestyle="--",
            label=CONTROL_LINES[1] if number else None,
            zorder=2,
        )
    labelled: list[tuple[int, bool]] = []  # each label's month and side, so none overlap
    for name, marker in SIGNAL_MARKERS.items():
        marked = [index for index, signal in enumerate(signals) if name in signal.split(";")]
        if not marked:
            continue
        axes.plot(
            [positions[index] for index in marked],
            [drawn[index] for index in marked],
            linestyle="none",
            marker=marker,
            markersize=8,
            markerfacecolor="none",
            markeredgecolor=TEXT_COLOUR,
            markeredgewidth=1.4,
            label=SIGNAL_LEGEND[name],
            zorder=5,
            clip_on=False,
        )
        for index in marked:
            if index + 1 == len(signals) or name not in signals[index + 1].split(";"):
                above = drawn[index] >= mean  # a label on the side away from the mean line
                near = sum(
                    1 for other, side in labelled if side == above and abs(other - index) < 4
                )
                labelled.append((index, above))
                rise = LABEL_OFFSET_POINTS + near * LABEL_STEP_POINTS
                axes.annotate(
                    SIGNAL_LABELS[name],
                    (positions[index], drawn[index]),
                    textcoords="offset points",
                    xytext=(0, rise if above else -rise),
                    ha="center",
                    va="bottom" if above else "top",
                    fontsize=7.5,
                    color=TEXT_COLOUR,
                )
    ticks = [
        index for index, month in enumerate(months) if month.endswith(("-01", "-04", "-07", "-10"))
    ]
    axes.set_xticks(  # `Oct` over `2022`: a year of quarters' labels side by side never touch
        ticks, [pd.Period(months[index], freq="M").strftime("%b\n%Y") for index in ticks]
    )
    present = [value for value in drawn if value == value]
    axes.set_ylim(min([0.0, lower]), max([*present, upper, 1]) * 1.12)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_count(value)))
    axes.set_ylabel(trend_axis_label(unit))
    axes.grid(axis="y")


def crime_mix_chart(mix: pd.DataFrame, period_label: str, noun: str = CRIME_TYPE) -> Chart:
    """Horizontal bar chart of the share of offences by crime type (or offence group: `noun`)."""
    table = _checked_counts(mix, ["crime_type", "offences"], ["offences"], "crime_mix_chart")
    table = table.sort_values("offences", ascending=False, kind="stable")
    names = [str(name) for name in table["crime_type"]]
    counts = [int(count) for count in table["offences"]]
    total = sum(counts)
    shares = list(mix_shares(table))
    name_heading, offences_heading, share_heading = mix_headings(noun)
    data = pd.DataFrame(
        {
            name_heading: names,
            offences_heading: counts,
            share_heading: pd.array([to_float(s) for s in shares], dtype="Float64"),
        }
    )
    title = mix_title(names, counts, shares, period_label, noun)
    alt_text = mix_alt_text(names, counts, shares, total, period_label, noun)
    labels = [count_and_share(count, share) for count, share in zip(counts, shares, strict=True)]

    def draw() -> bytes:
        with matplotlib.rc_context(STYLE):
            figure = _new_figure(height_cm=2.0 + 0.6 * len(names))
            axes = figure.add_subplot()
            bars = axes.barh(range(len(names)), counts, height=0.7, color=CURRENT_COLOUR)
            axes.bar_label(bars, labels=labels, padding=3, color=TEXT_COLOUR)
            _style_bar_axes(axes, names, max(counts), room_for_labels=1.3)
            return _to_png(figure)

    return Chart(title, alt_text, draw, data)


def top_areas_chart(areas: pd.DataFrame, measure: str, unit: str, period_label: str) -> Chart:
    """Horizontal bar chart of the areas (LSOAs) with most offences, current against previous."""
    table = _checked_counts(
        areas, ["area", "current", "previous"], ["current", "previous"], "top_areas_chart"
    )
    table = table.sort_values("current", ascending=False, kind="stable")
    names = [str(name) for name in table["area"]]
    current = [int(count) for count in table["current"]]
    previous = [int(count) for count in table["previous"]]
    current_label, previous_label = areas_labels(period_label)
    area_heading, current_heading, previous_heading = areas_headings(unit, period_label)
    data = pd.DataFrame({area_heading: names, current_heading: current, previous_heading: previous})
    title = areas_title(names, current, measure, unit, period_label)
    alt_text = areas_alt_text(names, current, previous, measure, unit, period_label)

    def draw() -> bytes:
        with matplotlib.rc_context(STYLE):
            figure = _new_figure(height_cm=2.5 + PAIRED_BAR_CM * len(names))
            axes = figure.add_subplot()
            _draw_paired_bars(axes, current, previous, current_label, previous_label)
            _style_bar_axes(axes, names, max(current + previous), room_for_labels=1.12)
            figure.legend(loc="outside upper left", ncols=2)
            return _to_png(figure)

    return Chart(title, alt_text, draw, data)


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
    columns = [names, previous, current, diffs]
    data = pd.DataFrame(dict(zip(groups_headings(period), columns, strict=True)))
    title = offences_by_group_title(diffs, period)
    alt_text = groups_alt_text(names, previous, current, diffs, period, small_base)

    def draw() -> bytes:
        with matplotlib.rc_context(STYLE):
            figure = _new_figure(height_cm=2.5 + PAIRED_BAR_CM * len(names))
            axes = figure.add_subplot()
            _draw_paired_bars(axes, current, previous, *period_labels(period))
            _style_bar_axes(axes, names, max(current + previous), room_for_labels=1.12)
            figure.legend(loc="outside upper left", ncols=2)
            return _to_png(figure)

    return Chart(title, alt_text, draw, data)


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
    columns = [names, *(pd.array(rates, dtype="Float64") for rates in (previous, current, points))]
    data = pd.DataFrame(dict(zip(rates_headings(period), columns, strict=True)))
    title = rates_title(points, period)
    alt_text = rates_alt_text(names, all_crime, (previous, current, points), period)

    def draw() -> bytes:
        with matplotlib.rc_context(STYLE):
            figure = _new_figure(height_cm=2.5 + PAIRED_BAR_CM * len(names))
            axes = figure.add_subplot()
            _draw_paired_bars(
                axes,
                [rate or 0.0 for rate in current],
                [rate or 0.0 for rate in previous],
                *period_labels(period),
                labels=(list(map(rate_label, current)), list(map(rate_label, previous))),
            )
            largest = max([rate for rate in previous + current if rate is not None], default=1.0)
            _style_bar_axes(axes, names, largest, room_for_labels=1.2)
            figure.legend(loc="outside upper left", ncols=2)
            return _to_png(figure)

    return Chart(title, alt_text, draw, data)


def grant_spend_chart(spend: pd.DataFrame, year_label: str) -> Chart:
    """Line chart of grant spent by each quarter's end against the straight-line profile.

    `spend` has `quarter` (1 to 4), `spent` (Decimal, None for quarters still to come) and
    `profile` (Decimal), as `pipeline.opcc_return.cumulative_spend` gives it.
    """
    rows = list(spend.itertuples(index=False))
    done = [row for row in rows if row.spent is not None]
    labels = [grant_quarter_label(row.quarter) for row in rows]
    spent = [format_money(row.spent) for row in rows]
    profile = [format_money(row.profile) for row in rows]
    data = pd.DataFrame(dict(zip(GRANT_HEADINGS, [labels, spent, profile], strict=True)))
    title = grant_spend_title(done[-1], year_label)
    alt_text = grant_spend_alt_text(rows, done, year_label)

    def draw() -> bytes:
        with matplotlib.rc_context(STYLE):
            figure = _new_figure(height_cm=8.0)
            axes = figure.add_subplot()
            positions = list(range(len(rows)))
            _plot_pair(
                axes,
                (positions, [float(row.profile) for row in rows], GRANT_LINES[0]),
                (positions[: len(done)], [float(row.spent) for row in done], GRANT_LINES[1]),
            )
            axes.set_xticks(positions, [label.replace(" ", "\n", 1) for label in labels])
            highest = max([row.profile for row in rows] + [row.spent for row in done])
            axes.set_ylim(0, float(highest) * 1.1 or 1)
            axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"£{value:,.0f}"))
            axes.grid(axis="y")
            axes.set_axisbelow(True)
            figure.legend(loc="outside upper left", ncols=2)
            return _to_png(figure)

    return Chart(title, alt_text, draw, data)


def ranked_rates_chart(benchmark: Benchmark, district: str) -> Chart:
    """Dot chart of the district's and its peers' total crime rates, highest first, each with its
    interval, and a line for each benchmark's rate: the force area, England and Wales, the peers.
    Each rate is written in a column right of the plot, so no line runs through it."""
    rows = ranked_rows(benchmark)
    names = [str(name) for name in rows["area"]]
    rates = [float(rate) for rate in rows["rate"]]
    lower = [float(rate) for rate in rows["rate_lower"]]
    upper = [float(rate) for rate in rows["rate_upper"]]
    is_district = list(rows["area_type"] == DISTRICT)
    lines = [
        (line_label(row), float(row["rate"]), style)
        for kind, style in zip(BENCHMARK_ORDER, ("--", ":", "-."), strict=True)
        if (row := benchmark.row(kind)) is not None
    ]

    def draw() -> bytes:
        with matplotlib.rc_context(STYLE):
            figure = _new_figure(height_cm=3.4 + 0.6 * len(names))
            axes = figure.add_subplot()
            for position, (rate, low, high, own) in enumerate(
                zip(rates, lower, upper, is_district, strict=True)
            ):
                colour = PREVIOUS_COLOUR if own else CURRENT_COLOUR
                axes.plot([low, high], [position, position], color=colour, linewidth=1.6)
                axes.plot(rate, position, marker="D" if own else "o", color=colour, zorder=4)
                axes.annotate(
                    format_rate(rate),
                    (1.0, position),
                    xycoords=("axes fraction", "data"),
                    xytext=(6, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=8,
                    fontweight="bold" if own else "normal",
                )
            for label, rate, style in lines:
                axes.axvline(rate, color=AXIS_COLOUR, linestyle=style, linewidth=1.2, label=label)
            for own, label in ((True, district_legend(district)), (False, PEER_LEGEND)):
                axes.plot(
                    [],
                    [],
                    color=PREVIOUS_COLOUR if own else CURRENT_COLOUR,
                    marker="D" if own else "o",
                    linewidth=1.6,
                    label=label,
                )
            axes.set_yticks(range(len(names)), names)
            for tick, own in zip(axes.get_yticklabels(), is_district, strict=True):
                tick.set_fontweight("bold" if own else "normal")
            axes.set_ylim(len(names) - 0.5, -0.5)
            axes.set_xlim(0, max(upper + [rate for _, rate, _ in lines]) * 1.05)
            axes.set_xlabel(RANKED_AXIS)
            axes.grid(axis="x")
            axes.set_axisbelow(True)
            axes.tick_params(axis="y", length=0)
            figure.legend(loc="outside upper left", ncols=2)
            return _to_png(figure)

    title = ranked_title(benchmark, district)
    return Chart(title, ranked_alt_text(benchmark, district), draw, ranked_data(benchmark))


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
            f"missing {join_words([month_name(month) for month in missing])}"
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
    axes.set_ylabel(trend_axis_label(unit))
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
