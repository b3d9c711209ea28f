"""The words for what needs the committee's attention (`pipeline/attention.py`): the changes that
stand out from chance, the control charts' signals, the judgement that opens the Summary, and
what is in line with normal variation.

Small numbers, one rule (ONS's): no percentage in these words when either count is below the
config's `small_numbers_threshold`; the tables keep their percentages.
"""

from __future__ import annotations

import pandas as pd

from pipeline.attention import ChartSignal, StandingChange
from pipeline.change_tests import OFFENCES, SIGNIFICANCE_LEVEL, SOLVED
from pipeline.control_charts import (
    LIMIT_FACTOR,
    MIN_MONTHS,
    OUTSIDE_LIMITS,
    RUN_LENGTH,
    SHIFT,
    TREND,
)
from pipeline.narrative import change_phrase, prose_name, subject_for, unit_for
from pipeline.numbers import (
    count_with_unit,
    format_count,
    format_one_decimal,
    format_percent,
    percent,
    percent_change,
    round_half_up,
    to_float,
)
from pipeline.periods import ComparedPeriod
from pipeline.text import join_words

BEYOND_CHANCE = "more than chance alone would explain"
NORMAL_VARIATION = "in line with normal variation"
PROVISIONAL_OUTCOMES = (
    "Outcomes are added as investigations close, so solved outcomes for the latest months are "
    "provisional: their solved rates rise as later outcomes are recorded."
)


def counts_phrase(previous: int, current: int, unit: str, small_base: int) -> str:
    """`rose by 21 (70.0%), from 30 to 51 offences`; with either count below small_base, no
    percentage: `rose from 10 to 15 offences`."""
    change = to_float(round_half_up(percent_change(previous, current)))
    return change_phrase(previous, current, change, unit, small_base)


def _rate(solved: int, offences: int) -> str:
    return format_percent(to_float(round_half_up(percent(solved, offences))))


def change_sentence(change: StandingChange, small_base: int) -> str:
    """A change that stands out, as a sentence."""
    if change.measure == OFFENCES:
        unit = unit_for(change.crime_type)
        phrase = counts_phrase(change.previous, change.current, unit, small_base)
        return f"{subject_for(change.crime_type)} {phrase}, {BEYOND_CHANCE}."
    assert change.measure == SOLVED
    direction = "rose" if change.rising else "fell"
    return (
        f"The solved rate for {prose_name(change.crime_type)} {direction} from "
        f"{_rate(change.previous, change.offences_previous)} to "
        f"{_rate(change.current, change.offences_current)} ({format_count(change.previous)} "
        f"solved outcomes for {count_with_unit(change.offences_previous, 'offences')}, then "
        f"{format_count(change.current)} for {format_count(change.offences_current)}), "
        f"{BEYOND_CHANCE}."
    )


def headline(
    tests: pd.DataFrame, period_name: str, crime_type: str, period: ComparedPeriod, small_base: int
) -> str:
    """A headline row's change over a compared period, judged: beyond chance when it stands out,
    else its two counts, in line with normal variation (never `rose` as if it mattered)."""
    row = _offences_test(tests, period_name, crime_type)
    previous, current = int(row["previous"]), int(row["current"])
    unit = unit_for(crime_type)
    if previous == current:
        return (
            f"{subject_for(crime_type)} was unchanged at {count_with_unit(current, unit)} in "
            f"{period.current_span}, compared with {period.previous_span}."
        )
    if not pd.isna(row["stands_out"]) and bool(row["stands_out"]):
        phrase = counts_phrase(previous, current, unit, small_base)
        return (
            f"{subject_for(crime_type)} {phrase} in {period.current_span}, compared with "
            f"{period.previous_span}, {BEYOND_CHANCE}."
        )
    return (
        f"{subject_for(crime_type)}: {count_with_unit(current, unit)} in {period.current_span}, "
        f"compared with {format_count(previous)} in {period.previous_span}, {NORMAL_VARIATION}."
    )


def _offences_test(tests: pd.DataFrame, period_name: str, crime_type: str) -> pd.Series:
    """A row's test of offences over a compared period (its first, if named in two sections)."""
    return tests[
        (tests["period"] == period_name)
        & (tests["measure"] == OFFENCES)
        & (tests["crime_type"] == crime_type)
    ].iloc[0]


def _offences(tests: pd.DataFrame, period_name: str, crime_type: str) -> tuple[int, int]:
    row = _offences_test(tests, period_name, crime_type)
    return int(row["previous"]), int(row["current"])


def overview(
    tests: pd.DataFrame,
    crime_row: str,
    asb_row: str,
    period: ComparedPeriod,
    asb_period: ComparedPeriod,
) -> str:
    """The quarter's two totals in one sentence, for the Summary, with no judgement of their own
    (the opening sentence has that)."""
    crime_previous, crime_current = _offences(tests, "quarter", crime_row)
    asb_previous, asb_current = _offences(tests, "quarter", asb_row)
    same = asb_period.current_span == period.current_span
    asb_when = "" if same else f" in {asb_period.current_span}"
    return (
        f"Recorded crime in {period.current_span} was "
        f"{count_with_unit(crime_current, 'offences')} ({format_count(crime_previous)} in the "
        f"same months a year before), and anti-social behaviour{asb_when} "
        f"{count_with_unit(asb_current, 'incidents')} ({format_count(asb_previous)})."
    )


def _limit(value: float) -> str:
    return format_one_decimal(value)


def signal_sentence(signal: ChartSignal) -> str:
    """A control chart's signal in the quarter, as a sentence: for crime and ASB a rise needs
    attention and a fall is an improvement."""
    subject = subject_for(signal.series)
    unit = unit_for(signal.series)
    month = f"{signal.month:%B %Y}"
    rise = signal.above
    if signal.signal == OUTSIDE_LIMITS:
        side = (
            f"above the upper limit of its control chart ({_limit(signal.upper_limit)})"
            if rise
            else f"below the lower limit of its control chart ({_limit(signal.lower_limit)})"
        )
        return f"{subject}: {count_with_unit(signal.value, unit)} in {month}, {side}; " + (
            "a rise beyond normal variation." if rise else "a fall beyond normal variation."
        )
    if signal.signal == SHIFT:
        return (
            f"{subject} has been {'above' if rise else 'below'} its average of "
            f"{_limit(signal.mean)} a month for {signal.run_months} months in a row to {month}: "
            + ("a sustained rise" if rise else "a sustained fall")
            + " beyond normal variation."
        )
    if signal.signal == TREND:
        return (
            f"{subject} has {'risen' if rise else 'fallen'} month on month for "
            f"{signal.run_months} months to {month}: a trend beyond normal variation."
        )
    return (
        f"{subject} was close to the {'upper' if rise else 'lower'} limit of its control chart "
        f"in two of three months to {month}: an early sign of a "
        + ("rise" if rise else "fall")
        + " beyond normal variation."
    )


def signals_note(signals: list[ChartSignal], drawn: set[str], appendix: str) -> str | None:
    """Where the signalling control charts are, and that a signal is about months, not the
    quarter's total against a year before (which section 3 tests, and may find in line)."""
    if not signals:
        return None

    def those(names: list[str], where: str) -> str:
        prose = join_words([prose_name(name) for name in names])
        return f"that of {prose} is {where}" if len(names) == 1 else f"those of {prose} are {where}"

    shown = [signal.series for signal in signals if signal.series in drawn]
    others = [signal.series for signal in signals if signal.series not in drawn]
    places = [
        *([those(shown, f"drawn in {appendix} (Monthly Trends)")] if shown else []),
        *(
            [those(others, "in tables/control_charts.csv, published with this report")]
            if others
            else []
        ),
    ]
    return (
        "A control chart tests each month against the normal variation of the months before, "
        "where section 3 tests each period's total against the same months a year before, so "
        f"the two can differ. Of these charts, {'; '.join(places)}."
    )


def judgement(
    period: ComparedPeriod,
    changes: list[StandingChange],
    signals: list[ChartSignal],
    charted: bool = True,
) -> str:
    """The sentence that opens the Summary: what stands out in the quarter, or that nothing
    does. `charted`: whether all crime and ASB have control charts (24 months of usable data);
    without them no chart can be said to show no signal."""
    if not changes and not signals:
        charts = (
            "and no monthly control chart shows a signal in the quarter."
            if charted
            else f"and there are too few months of usable data (fewer than {MIN_MONTHS}) for "
            "control charts of all crime and anti-social behaviour."
        )
        return (
            f"Nothing in {period.current_span} stands out from normal variation: no change in "
            f"offences or solved outcomes from {period.previous_span} is larger than chance "
            f"would explain once the number of comparisons is allowed for, {charts}"
        )
    count = len(changes) + len(signals)
    things = "One figure stands" if count == 1 else f"{count_words(count)} figures stand"
    return f"{things} out from normal variation in {period.current_span}:"


COUNT_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def count_words(count: int) -> str:
    """`Two`, `Three`, ... in words to nine, then in figures, to open a sentence."""
    word = COUNT_WORDS[count] if count < len(COUNT_WORDS) else format_count(count)
    return word[:1].upper() + word[1:]


def largest_in_line(
    tests: pd.DataFrame,
    period: str,
    changes: list[StandingChange],
    limit: int = 3,
    groups: set[str] | None = None,
) -> list[str]:
    """The largest changes in offences by count that do not stand out, named with their counts
    (`theft offences (1,316 to 1,365)`), largest first; All crime and its two classes left out,
    and, given groups (the table's top rows), only those, so that no row is named beside a
    row it is part of."""
    standing = {change.crime_type for change in changes if change.measure == OFFENCES}
    rows = tests[
        (tests["period"] == period)
        & (tests["measure"] == OFFENCES)
        & (tests["section"] != "Top Level")
        & ~tests["crime_type"].isin(standing)
        & (tests["crime_type"].isin(groups) if groups is not None else True)
    ].assign(size=lambda f: (f["current"] - f["previous"]).abs())
    rows = rows[rows["size"] > 0].drop_duplicates("crime_type")
    rows = rows.sort_values(["size", "crime_type"], ascending=[False, True]).head(limit)
    return [
        f"{prose_name(row.crime_type)} ({format_count(row.previous)} to "
        f"{format_count(row.current)})"
        for row in rows.itertuples(index=False)
    ]


def in_line_sentence(period: ComparedPeriod, named: list[str], any_standing: bool) -> str:
    """That the other changes (or all of them) are in line with normal variation."""
    which = "The other changes" if any_standing else "The changes"
    largest = f"; the largest were {join_words(named)}" if named else ""
    return (
        f"{which} in {period.current_span} against {period.previous_span} were {NORMAL_VARIATION}"
        f"{largest}."
    )


LEVEL = f"{SIGNIFICANCE_LEVEL:.0%}"
RUN, RISES = COUNT_WORDS[RUN_LENGTH], COUNT_WORDS[RUN_LENGTH - 1]
METHOD_PARAGRAPHS = (
    "Whether a change is more than chance: for every row of each performance table, the two "
    "periods' counts are compared with an exact test of two Poisson counts conditional on their "
    "total (two-sided; the current count out of the total is binomial with probability one half "
    "when nothing has changed). Solved outcomes are compared the same way, with each period's "
    "offences as its exposure, since solved outcomes by outcome date over offences by recorded "
    f"date is a rate rather than a share. A change is significant at the {LEVEL} level; because "
    "a period has dozens of rows, some would pass that by chance alone, so the words name as "
    "standing out only the changes that remain after a Benjamini-Hochberg correction across "
    f"the period's rows (false discovery rate {LEVEL}). Every test is in tables/change_tests.csv.",
    "Control charts follow NHS England's Making Data Count rules: the centre line is the mean "
    f"of the months shown and the process limits are the mean plus and minus {LIMIT_FACTOR} "
    "times the average moving range (the month-to-month change). A signal is a month outside "
    f"the limits, {RUN} months in a row on one side of the mean (a shift), {RUN} months in a "
    f"row each higher (or each lower) than the month before, that is {RISES} rises or falls in "
    "a row (a trend), or two of three months close to a limit on the same side. A change with "
    "no signal and no significant test is in line with normal variation: "
    "the ups and downs a stable process gives month to month. The charts' figures are in "
    "tables/control_charts.csv.",
    "References: NHS England, Making Data Count (2019); NHS-R Community, NHSRplotthedots; "
    "Benjamini and Hochberg (1995), Controlling the false discovery rate, Journal of the Royal "
    "Statistical Society B 57(1); statsmodels, test_poisson_2indep.",
    "Solved rates for recent months are provisional: an outcome is counted when it is recorded, "
    "often months after the crime, so they rise as investigations close.",
)
