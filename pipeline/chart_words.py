"""The words of the charts: each chart's title (its message), its alt text and its labels,
from the figures it draws. `pipeline/charts.py` only draws."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

import pandas as pd

from pipeline.control_charts import OUTSIDE_LIMITS, RUN_LENGTH, SHIFT, TREND, TWO_OF_THREE
from pipeline.narrative import (
    category_name,
    cell_value,
    change_phrase,
    prose_name,
    rate_change,
)
from pipeline.numbers import (
    UNDEFINED,
    count_with_unit,
    format_count,
    format_money,
    format_one_decimal,
    format_percent,
    percent_change,
    round_half_up,
    to_float,
)
from pipeline.periods import QUARTER_MONTHS, ComparedPeriod, month_span
from pipeline.text import capitalise, join_words

RATE_COLUMNS = ["solved_rate_previous", "solved_rate_current", "solved_rate_pt_diff"]
MAX_NAMED_MONTHS = 3  # more tied months than this are counted rather than named in alt text


def gaps_sentence(months: Sequence[pd.Period], counts: Sequence[int | None]) -> str:
    """The months with no data, shown as gaps, or empty when there are none."""
    gaps = [month_name(month) for month, count in zip(months, counts, strict=True) if count is None]
    if not gaps:
        return ""
    return f"There is no usable data for {join_words(gaps)}, shown as a gap in the line."


def trend_title(
    measure: str, unit: str, previous: int, current: int, current_label: str, small_base: int
) -> str:
    """The trend's message, e.g. `All crime fell by 4.2% in the 12 months to September 2025`."""
    when = f"in the {current_label}"
    if current == previous:
        return f"{measure} was unchanged at {count_with_unit(current, unit)} {when}"
    if previous == 0:
        return f"{measure} rose from 0 to {count_with_unit(current, unit)} {when}"
    direction = "rose" if current > previous else "fell"
    if min(previous, current) < small_base:  # small numbers: the counts, no percentage
        return (
            f"{measure} {direction} from {format_count(previous)} to "
            f"{count_with_unit(current, unit)} {when}"
        )
    return f"{measure} {direction} by {percent_text(percent_change(previous, current))} {when}"


def offences_by_group_title(diffs: Sequence[float | None], period: ComparedPeriod) -> str:
    """The offences by group chart's message: in how many groups offences rose or fell."""
    return groups_title("Offences", "were", diffs, period)


def sentences(parts: Sequence[str]) -> str:
    """Sentences joined by spaces, leaving out empty ones."""
    return " ".join(part for part in parts if part)


def rate_label(rate: float | None) -> str:
    """A bar label for a rate: `12.7%`, or `no offences` when there is no rate."""
    return "no offences" if rate is None else format_percent(rate)


def groups_title(
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


def moves_sentence(subject: str, were: str, diffs: Sequence[float | None]) -> str:
    """`Offences rose in 8 groups and fell in 1 group.`, or empty when nothing compares."""
    counts = {
        "rose": sum(1 for diff in diffs if diff is not None and diff > 0),
        "fell": sum(1 for diff in diffs if diff is not None and diff < 0),
        f"{were} unchanged": sum(1 for diff in diffs if diff is not None and diff == 0),
    }
    parts = [f"{verb} in {count_with_unit(n, 'groups')}" for verb, n in counts.items() if n]
    return f"{subject} {join_words(parts)}." if parts else ""


def largest(names: Sequence[str], diffs: Sequence[float | None], rising: bool) -> int | None:
    """Position of the largest rise (or fall), ties to the name first in the alphabet."""
    sign = 1 if rising else -1
    moved = [
        (-sign * diff, name, index)
        for index, (name, diff) in enumerate(zip(names, diffs, strict=True))
        if diff is not None and sign * diff > 0
    ]
    return min(moved)[2] if moved else None


def largest_count_moves(
    names: Sequence[str], previous: Sequence[int], current: Sequence[int], small_base: int
) -> str:
    """`The largest rise was in theft offences, which rose by 657 (27.9%), from 2,358 to ...`."""
    diffs = [now - before for now, before in zip(current, previous, strict=True)]
    parts = []
    for label, rising in (("rise", True), ("fall", False)):
        index = largest(names, diffs, rising)
        if index is not None:
            before, now = previous[index], current[index]
            pct = to_float(round_half_up(percent_change(before, now)))
            change = change_phrase(before, now, pct, "", small_base)
            parts.append(f"the largest {label} was in {prose_name(names[index])}, which {change}")
    return capitalise("; ".join(parts)) + "." if parts else ""


def all_crime_rate_sentence(row: pd.Series, period: ComparedPeriod) -> str:
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


def largest_rate_moves(
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
        index = largest([row[0] for row in defined], [row[3] for row in defined], rising)
        if index is not None:
            name, before, now, diff = defined[index]
            change = rate_change(before, now, diff)
            parts.append(f"the largest {label} was in {prose_name(name)}, which {change}")
    return capitalise("; ".join(parts)) + "." if parts else ""


def no_rate_sentence(names: Sequence[str], rates: Sequence[float | None], span: str) -> str:
    """Which groups have no rate in a period because they had no offences, or empty."""
    missing = [prose_name(name) for name, rate in zip(names, rates, strict=True) if rate is None]
    if not missing:
        return ""
    they = "it has" if len(missing) == 1 else "they have"
    return (
        f"{capitalise(join_words(missing))} had no offences in {span}, so {they} no solved rate "
        f"and no bar for that period."
    )


def extremes_sentence(months: Sequence[pd.Period], counts: Sequence[int], unit: str) -> str:
    """The highest and lowest monthly counts and when they happened."""
    highest, lowest = max(counts), min(counts)
    if highest == lowest:
        return f"Every month had {count_with_unit(highest, unit)}."
    return (
        f"The highest monthly count was {format_count(highest)}, "
        f"{months_with(months, counts, highest)}; the lowest was {format_count(lowest)}, "
        f"{months_with(months, counts, lowest)}."
    )


def months_with(months: Sequence[pd.Period], counts: Sequence[int], value: int) -> str:
    """Where a count occurs: `in July 2025`, `in June 2025 and July 2025` or `in 5 of 24 months`."""
    matching = [month for month, count in zip(months, counts, strict=True) if count == value]
    if len(matching) > MAX_NAMED_MONTHS:
        return f"in {len(matching)} of the {len(months)} months"
    return "in " + join_words([month_name(month) for month in matching])


def mix_title(
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


def mix_alt_text(
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
        f"{in_sentence(category_name(name, noun))} ({format_count(count)}, {format_percent(share)})"
        for name, count, share in zip(names[:3], counts, shares, strict=False)
    ]
    verb = "was" if len(top) == 1 else "were"
    return (
        f"{opening}: {count_with_unit(total, 'offences')} in total across "
        f"{count_with_unit(len(names), f'{noun}s')}. "
        f"The most common {verb} {join_words(top)}."
    )


def areas_title(
    names: Sequence[str], current: Sequence[int], measure: str, unit: str, period: str
) -> str:
    """The areas' message: the area (or tied areas) with the most, and how many."""
    top = max(current)
    what = f"{in_sentence(measure)} {unit}"
    if top == 0:
        return f"None of these areas had any {what} in {period}"
    leaders = [name for name, count in zip(names, current, strict=True) if count == top]
    if len(leaders) == 1:
        return f"{leaders[0]} had the most {what} in {period} ({format_count(top)})"
    return f"{join_words(leaders)} had the most {what} in {period} ({format_count(top)} each)"


def areas_alt_text(
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
        f"{change_from(before, now)}"
        for rank, (name, now, before) in enumerate(zip(names[:3], current, previous, strict=False))
    ]
    places = "area" if len(names) == 1 else f"{len(names)} areas"
    return (
        f"Bar chart of the {places} with the most {in_sentence(measure)} {unit} in {period}, "
        f"against the same months a year earlier. {capitalise('; '.join(top))}."
    )


def change_from(previous: int, current: int) -> str:
    """A change in words with its base, e.g. `up by 20 (30.8%) from 65` or `up from 0`."""
    if current == previous:
        return "the same as a year earlier"
    if previous == 0:
        return "up from 0"
    direction = "up" if current > previous else "down"
    change = percent_change(previous, current)
    difference = format_count(abs(current - previous))
    return f"{direction} by {difference} ({percent_text(change)}) from {format_count(previous)}"


def percent_text(change: Fraction | None) -> str:
    """The size of a percentage change, half up to 1 dp; `less than 0.1%` rather than `0.0%`."""
    if change is None:
        return UNDEFINED
    rounded = round_half_up(abs(change))
    if rounded == 0 and change != 0:
        return "less than 0.1%"
    return format_percent(rounded)


def count_and_share(count: int, share: Decimal | None) -> str:
    """A bar label: `1,234 (25.1%)`, or just the count when the share is undefined."""
    if share is None:
        return format_count(count)
    return f"{format_count(count)} ({format_percent(share)})"


def month_name(month: pd.Period) -> str:
    """A month in words, e.g. `September 2025`."""
    return month.strftime("%B %Y")


def in_sentence(name: str) -> str:
    """A sentence-case name as written mid-sentence (`All crime` -> `all crime`).

    Names with capitals after the first letter (`ASB`, `Violence Against the Person`) are kept.
    """
    if name[1:] != name[1:].lower():
        return name
    return name[:1].lower() + name[1:]


def trend_alt_text(
    measure: str,
    unit: str,
    months: Sequence[pd.Period],
    counts: Sequence[int | None],
    when_label: str,
    totals: tuple[int, int],
    shortened: bool,
) -> str:
    """The monthly trend chart's alt text: what it shows, the two years' totals, gaps, extremes."""
    previous_total, current_total = totals
    return " ".join(
        part
        for part in [
            f"Line chart of monthly {in_sentence(measure)} {unit},",
            f"{month_span(months[0], months[-1])}, comparing the latest 12 months with the 12 "
            "before.",
            f"In the {when_label} there were {count_with_unit(current_total, unit)},",
            f"against {format_count(previous_total)} in "
            + ("the same months a year before." if shortened else "the 12 months before."),
            gaps_sentence(months, counts),
            extremes_sentence(
                [m for m, c in zip(months, counts, strict=True) if c is not None],
                [c for c in counts if c is not None],
                unit,
            ),
        ]
        if part
    )


def groups_alt_text(
    names: Sequence[str],
    previous: Sequence[int],
    current: Sequence[int],
    diffs: Sequence[int],
    period: ComparedPeriod,
    small_base: int,
) -> str:
    """The offences-by-group chart's alt text: totals, how many rose and fell, the largest."""
    return sentences(
        [
            f"Bar chart of offences in each of the {len(names)} offence groups in "
            f"{period.current_span}, against {period.previous_span}.",
            f"Together they had {count_with_unit(sum(current), 'offences')}, "
            f"against {format_count(sum(previous))}.",
            moves_sentence("Offences", "were", diffs),
            largest_count_moves(names, previous, current, small_base),
        ]
    )


def rates_title(points: Sequence[float | None], period: ComparedPeriod) -> str:
    """The solved-rate chart's message: how the groups' rates moved, or why none compare."""
    if any(point is not None for point in points):
        return groups_title("The solved rate", "was", points, period)
    return (
        f"No offence group had offences in both {period.current_span} and a year earlier, "
        "so no solved rates can be compared"
    )


def rates_alt_text(
    names: Sequence[str],
    all_crime: pd.Series,
    rates: tuple[Sequence[float | None], Sequence[float | None], Sequence[float | None]],
    period: ComparedPeriod,
) -> str:
    """The solved-rate chart's alt text: all crime's rate, the moves, groups with no rate."""
    previous, current, points = rates
    return sentences(
        [
            "Bar chart of the solved rate (solved outcomes as a percentage of offences) in each "
            f"of the {len(names)} offence groups in {period.current_span}, against "
            f"{period.previous_span}.",
            all_crime_rate_sentence(all_crime, period),
            moves_sentence("The solved rate", "was", points),
            largest_rate_moves(names, previous, current, points),
            no_rate_sentence(names, previous, period.previous_span),
            no_rate_sentence(names, current, period.current_span),
        ]
    )


class QuarterSpend(Protocol):
    """One quarter of the grant chart: spent by its end (None: still to come), and the profile."""

    quarter: int
    spent: Decimal | None
    profile: Decimal


def grant_spend_title(latest: QuarterSpend, year_label: str) -> str:
    """The grant chart's message: spent by the latest quarter, against the straight line."""
    gap = latest.spent - latest.profile
    position = (
        "on the straight-line profile"
        if gap == 0
        else f"{format_money(abs(gap))} {'above' if gap > 0 else 'below'} a straight-line profile"
    )
    return (
        f"By the end of quarter {latest.quarter}, {format_money(latest.spent)} of the "
        f"{year_label} grant was spent, {position}"
    )


def grant_spend_alt_text(
    rows: Sequence[QuarterSpend], done: Sequence[QuarterSpend], year_label: str
) -> str:
    """The grant chart's alt text: the profile's end, and each quarter's spend against it."""
    by_quarter = "; ".join(
        f"quarter {row.quarter}: {format_money(row.spent)} against {format_money(row.profile)}"
        for row in done
    )
    return (
        f"Line chart of the grant spent by the end of each quarter of {year_label} (solid line) "
        f"against a straight-line profile that reaches the whole grant of "
        f"{format_money(rows[-1].profile)} at the end of quarter {rows[-1].quarter} (dashed "
        f"line). Spent against profile, {by_quarter}."
    )


# --- each chart's table headings and legend labels ----------------------------------------------

A_YEAR_EARLIER = "same months a year earlier"
GRANT_LINES = ("Straight-line profile", "Spent to date")  # the profile's line, then the spend's
GRANT_HEADINGS = ("Quarter", "Spent by the end of the quarter", "Straight-line profile")


def trend_labels(end: pd.Period) -> tuple[str, str]:
    """The trend chart's two lines: the 12 months to a year before the last month, and to it."""
    return f"12 months to {month_name(end - 12)}", f"12 months to {month_name(end)}"


def trend_axis_label(unit: str) -> str:
    """The trend chart's count axis: `Offences`, `Incidents`."""
    return capitalise(unit)


def trend_headings(unit: str, previous: str, current: str) -> tuple[str, str, str]:
    """The trend chart's table: the month, then each line's counts."""
    return "Month", f"{capitalise(unit)}, {previous}", f"{capitalise(unit)}, {current}"


def mix_headings(noun: str) -> tuple[str, str, str]:
    """The crime mix chart's table: the crime type (or offence group), offences, share."""
    return capitalise(noun), "Offences", "Share of offences (%)"


def areas_labels(period_label: str) -> tuple[str, str]:
    """The areas chart's two bars: the period, then the same months a year earlier."""
    return capitalise(period_label), capitalise(A_YEAR_EARLIER)


def areas_headings(unit: str, period_label: str) -> tuple[str, str, str]:
    """The areas chart's table: the area, then its counts in the period and a year earlier."""
    return "Area", f"{capitalise(unit)}, {period_label}", f"{capitalise(unit)}, {A_YEAR_EARLIER}"


def period_labels(period: ComparedPeriod) -> tuple[str, str]:
    """The offence group charts' two bars: the current period, then the one a year before."""
    return capitalise(period.current_span), capitalise(period.previous_span)


def groups_headings(period: ComparedPeriod) -> tuple[str, str, str, str]:
    """The offences by group chart's table."""
    return _group_table_headings("Offences", "Difference", period)


def rates_headings(period: ComparedPeriod) -> tuple[str, str, str, str]:
    """The solved rate by group chart's table."""
    return _group_table_headings("Solved rate (%)", "Difference (percentage points)", period)


def _group_table_headings(
    measure: str, difference: str, period: ComparedPeriod
) -> tuple[str, str, str, str]:
    """An offence group chart's table: the group, the measure in each period, the difference."""
    return (
        "Offence group",
        f"{measure}, {period.previous_span}",
        f"{measure}, {period.current_span}",
        difference,
    )


def grant_quarter_label(quarter: int) -> str:
    """A quarter on the grant chart: `Q2 Jul-Sep`."""
    return f"Q{quarter} {QUARTER_MONTHS[quarter]}"


# --- control charts ------------------------------------------------------------------------------

SIGNAL_WORDS = {  # a signal as the chart's table and alt text name it
    OUTSIDE_LIMITS: "outside the process limits",
    SHIFT: f"a shift ({RUN_LENGTH} or more months on one side of the mean)",
    TREND: f"a trend ({RUN_LENGTH} or more months each higher, or each lower, than the last)",
    TWO_OF_THREE: "two of three months close to a process limit",
}
SIGNAL_LEGEND = {  # a signal's marker in the legend
    name: words.split(" (")[0].capitalize() for name, words in SIGNAL_WORDS.items()
}
SIGNAL_LABELS = {  # the short label beside a signalled point
    OUTSIDE_LIMITS: "outside limit",
    SHIFT: "shift",
    TREND: "trend",
    TWO_OF_THREE: "near limit",
}
CONTROL_LINES = ("Mean", "Process limits")


def control_headings(unit: str) -> tuple[str, ...]:
    """The control chart's table: the month, its count, the mean, the limits, any signal."""
    return ("Month", capitalise(unit), "Mean", "Lower process limit", "Upper process limit")


def signal_names(signal: str) -> str:
    """A point's `;`-joined signals in words, or empty."""
    return join_words([SIGNAL_WORDS[name] for name in signal.split(";") if name])


def _signal_runs(months: Sequence[str], signals: Sequence[str]) -> list[tuple[str, str, str]]:
    """Each run of consecutive months carrying a signal: (signal, first month, last month)."""
    runs: list[tuple[str, str, str]] = []
    for name in SIGNAL_WORDS:
        start = None
        for index, month in enumerate([*months, None]):
            carries = month is not None and name in signals[index].split(";")
            if carries and start is None:
                start = index
            elif not carries and start is not None:
                runs.append((name, months[start], months[index - 1]))
                start = None
    return runs


def _month_words(first: str, last: str) -> str:
    start, end = pd.Period(first, freq="M"), pd.Period(last, freq="M")
    return month_name(start) if start == end else month_span(start, end)


def control_title(measure: str, months: Sequence[str], signals: Sequence[str]) -> str:
    """The control chart's message: its latest signal, or that it stayed within normal
    variation."""
    runs = _signal_runs(months, signals)
    span = month_span(pd.Period(months[0], freq="M"), pd.Period(months[-1], freq="M"))
    if not runs:
        return f"{measure} stayed within normal variation, {span}"
    name, first, last = max(runs, key=lambda run: (run[2], -list(SIGNAL_WORDS).index(run[0])))
    return f"{measure}: {SIGNAL_WORDS[name]}, {_month_words(first, last)}"


def control_alt_text(
    measure: str,
    unit: str,
    months: Sequence[str],
    values: Sequence[int | None],
    signals: Sequence[str],
    limits: tuple[float, float, float],
) -> str:
    """The control chart's alt text: what it shows, its mean and limits, and each signal."""
    mean, lower, upper = limits
    span = month_span(pd.Period(months[0], freq="M"), pd.Period(months[-1], freq="M"))
    runs = _signal_runs(months, signals)
    said = (
        "Signals: "
        + "; ".join(
            f"{SIGNAL_WORDS[name]} in {_month_words(first, last)}" for name, first, last in runs
        )
        + "."
        if runs
        else "No month shows a signal: every change is within normal variation."
    )
    periods = [pd.Period(month, freq="M") for month in months]
    return " ".join(
        part
        for part in [
            f"Control chart of monthly {unit} of {in_sentence(measure)}, {span}, with the mean of "
            f"{format_one_decimal(mean)} a month and process limits of "
            f"{format_one_decimal(lower)} and {format_one_decimal(upper)}.",
            said,
            gaps_sentence(periods, values),
        ]
        if part
    )
