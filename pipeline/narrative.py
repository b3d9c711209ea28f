"""Sentences written from the figures, in the words a good analyst would use."""

from __future__ import annotations

import pandas as pd

from pipeline.metrics import NoLocationCounts, mix_shares
from pipeline.numbers import (
    SMALL_BASE,
    count_with_unit,
    format_count,
    format_one_decimal,
    format_percent,
    is_undefined,
    percent_change,
    round_half_up,
    to_float,
)
from pipeline.periods import ComparedPeriod
from pipeline.taxonomy import (
    ALL_CRIME,
    NO_RISK_ASSESSMENT,
    PerformanceRow,
    home_office,
    police_uk,
)
from pipeline.text import capitalise, join_words

CRIME_TYPE = "crime type"  # what a police.uk crime mix is by
OFFENCE_GROUP = "offence group"  # what a force extract's crime mix is by


def cell_value(value: object) -> float | None:
    """A table cell as a float, None when undefined."""
    return None if is_undefined(value) else float(value)  # type: ignore[arg-type]


def _amount(count: int, unit: str) -> str:
    """A count with its unit (`1,203 offences`), or bare (`1,203`) when the unit is empty."""
    return count_with_unit(count, unit) if unit else format_count(count)


def _percent_size(pct: float) -> str:
    """The size of a rounded, non-zero change: `26.4%`, or `less than 0.1%` rather than `0.0%`."""
    return "less than 0.1%" if pct == 0 else format_percent(abs(pct))


def change_phrase(
    previous: int, current: int, pct: float | None, unit: str, small_base: int = SMALL_BASE
) -> str:
    """`fell by 37 (26.4%), from 140 to 103 offences`, with a caveat on a base below small_base."""
    diff = current - previous
    if diff == 0:
        return f"was unchanged at {_amount(current, unit)}"
    direction = "rose" if diff > 0 else "fell"
    span = f"from {format_count(previous)} to {_amount(current, unit)}"
    # From 0 there is no percentage; a small base falling to 0 needs none (it is always 100%).
    if previous == 0 or pct is None or (previous < small_base and current == 0):
        return f"{direction} {span}"
    if previous < small_base:
        return f"{direction} by {_percent_size(pct)}, but {span}"
    return f"{direction} by {format_count(abs(diff))} ({_percent_size(pct)}), {span}"


def rate_change(previous: float, current: float, points: float) -> str:
    """`rose by 1.3 percentage points, from 11.4% to 12.7%`, or `was unchanged at 10.0%`."""
    if points == 0 and previous == current:
        return f"was unchanged at {format_percent(current)}"
    direction = "rose" if points > 0 or (points == 0 and current > previous) else "fell"
    size = "less than 0.1" if points == 0 else format_one_decimal(abs(points))
    span = (
        f"to {format_percent(current)}"
        if previous == current
        else f"from {format_percent(previous)} to {format_percent(current)}"
    )
    return f"{direction} by {size} percentage points, {span}"


def describe_change(
    subject: str,
    previous: int,
    current: int,
    pct: float | None,
    unit: str,
    small_base: int = SMALL_BASE,
) -> str:
    """`All crime fell by 37 (26.4%), from 140 to 103 offences`."""
    return f"{subject} {change_phrase(previous, current, pct, unit, small_base)}"


def unit_for(crime_type: str) -> str:
    """`incidents` for anti-social behaviour, `offences` otherwise."""
    asb_names = {police_uk().anti_social_behaviour, home_office().asb_row.name}
    return "incidents" if crime_type in asb_names else "offences"


def prose_name(name: str) -> str:
    """A table row's name as said mid-sentence: `residential burglary`, `bicycle theft`.

    Home Office rows (matched ignoring case) are named by the taxonomy; police.uk crime types,
    already in sentence case, are lower-cased.
    """
    rows = {row.name.casefold(): row for row in home_office().rows}
    row = rows.get(name.casefold())
    return row.prose_name if row else name.lower()


def subject_for(crime_type: str) -> str:
    """A row's name to open a sentence: `Anti-social behaviour`, `Residential burglary`."""
    return capitalise(prose_name(crime_type))


def category_name(name: str, noun: str = CRIME_TYPE) -> str:
    """A crime mix category as written mid-sentence.

    police.uk crime types (noun `crime type`) keep their published wording; anything else, such
    as an offence group, is written in sentence case (`violence against the person`).
    """
    return name if noun == CRIME_TYPE else prose_name(name)


def _row_phrase(table: pd.DataFrame, crime_type: str, small_base: int = SMALL_BASE) -> str:
    """The change phrase of one row of a performance table."""
    row = table.set_index("crime_type").loc[crime_type]
    return change_phrase(
        int(row["offences_previous"]),
        int(row["offences_current"]),
        cell_value(row["offences_pct_diff"]),
        unit_for(crime_type),
        small_base,
    )


def row_change(table: pd.DataFrame, crime_type: str, small_base: int = SMALL_BASE) -> str:
    """The sentence for one row of a performance table, without the period."""
    return f"{subject_for(crime_type)} {_row_phrase(table, crime_type, small_base)}"


def headline(
    table: pd.DataFrame, crime_type: str, period: ComparedPeriod, small_base: int = SMALL_BASE
) -> str:
    """A headline finding: a row's change over a compared period."""
    return (
        f"{row_change(table, crime_type, small_base)} in {period.current_span}, "
        f"compared with {period.previous_span}."
    )


def largest_moves(
    table: pd.DataFrame, period: ComparedPeriod, small_base: int = SMALL_BASE
) -> list[str]:
    """The crime types with the largest rise and the largest fall in offences."""
    by_type = table[table["level"] == 1].assign(diff=lambda f: f["offences_diff"].astype("int64"))
    rises = by_type[by_type["diff"] > 0].sort_values(
        ["diff", "crime_type"], ascending=[False, True]
    )
    falls = by_type[by_type["diff"] < 0].sort_values(["diff", "crime_type"])
    sentences = []
    for label, chosen in (("rise", rises), ("fall", falls)):
        if not chosen.empty:
            name = chosen.iloc[0]["crime_type"]
            sentences.append(
                f"The largest {label} was in {prose_name(name)}, "
                f"which {_row_phrase(table, name, small_base)}."
            )
    return sentences


def most_common(mix: pd.DataFrame, period: ComparedPeriod, noun: str = CRIME_TYPE) -> str:
    """Which category of the mix (or tied ones) was most common, and its share of all crime.

    `noun` names the mix's categories: `crime type` (police.uk) or `offence group`.
    """
    total = int(mix["offences"].sum())
    if total == 0:
        return f"No offences were recorded in {period.current_span}."
    top = int(mix["offences"].max())
    leaders = sorted(mix.loc[mix["offences"] == top, "crime_type"])
    names = capitalise(join_words([category_name(name, noun) for name in leaders]))
    share = format_percent(mix_shares(mix)[mix["offences"] == top].iloc[0])
    of_all = f"{format_count(top)} of {count_with_unit(total, 'offences')}"
    if len(leaders) > 1:
        return (
            f"{names} were the most common {noun}s in {period.current_span}, "
            f"with {of_all} each ({share})."
        )
    return f"{names} was the most common {noun} in {period.current_span}, with {of_all} ({share})."


def outcome_rate(table: pd.DataFrame, period: ComparedPeriod) -> str:
    """The positive outcome rate of all crime against a year before."""
    row = table.set_index("crime_type").loc[ALL_CRIME]
    current = cell_value(row["solved_rate_current"])
    previous = cell_value(row["solved_rate_previous"])
    if current is None:
        return f"No crimes were recorded in {period.current_span}, so there is no outcome rate."
    opening = (
        f"{format_percent(current)} of crimes recorded in {period.current_span} have a "
        "positive outcome so far"
    )
    if previous is None:
        return f"{opening}; there were no crimes in {period.previous_span} to compare with."
    return (
        f"{opening}, against {format_percent(previous)} of those recorded in "
        f"{period.previous_span}. Recent crimes have had less time to reach an outcome, so the "
        "latest rate usually rises later."
    )


def solved_rate(table: pd.DataFrame, period: ComparedPeriod) -> str:
    """The Home Office solved rate of all crime against a year before."""
    all_crime = home_office().all_crime_row
    row = table.set_index("crime_type").loc[all_crime.name]
    current = cell_value(row["solved_rate_current"])
    previous = cell_value(row["solved_rate_previous"])
    solved, offences = int(row["solved_current"]), int(row["offences_current"])
    if current is None:
        return (
            f"No crimes were recorded in {period.current_span}, so there is no solved rate "
            f"(there were {count_with_unit(solved, 'solved outcomes')})."
        )
    opening = (
        f"The solved rate for {all_crime.prose_name} was {format_percent(current)} in "
        f"{period.current_span} ({count_with_unit(solved, 'solved outcomes')} against "
        f"{count_with_unit(offences, 'offences')})"
    )
    if previous is None:
        return f"{opening}; there were no crimes in {period.previous_span} to compare with."
    return f"{opening}, compared with {format_percent(previous)} in {period.previous_span}."


def top_area(
    areas: pd.DataFrame,
    period: ComparedPeriod,
    unit: str,
    measure: str,
    small_base: int = SMALL_BASE,
) -> str:
    """The area with the most offences or incidents, with its change on a year before."""
    if areas.empty:
        return f"No area recorded any {measure} in {period.current_span}."
    top = areas.iloc[0]
    previous, current = int(top["previous"]), int(top["current"])
    pct = to_float(round_half_up(percent_change(previous, current)))
    return (
        f"{top['area']} had the most {measure} in {period.current_span}: its count "
        f"{change_phrase(previous, current, pct, unit, small_base)}, "
        f"compared with {period.previous_span}."
    )


def no_location(counts: NoLocationCounts, force: str, period: ComparedPeriod) -> str:
    """The force's rows with no location, which no district's figures include."""
    if counts.crimes == 0 and counts.asb == 0:
        return f"Every record {force} published for {period.current_span} had a location."
    return (
        f"Across the whole force area, {count_with_unit(counts.crimes, 'crimes')} and "
        f"{count_with_unit(counts.asb, 'anti-social behaviour incidents')} recorded by {force} "
        f"in {period.current_span} had no location, so they belong to no district and are not "
        "counted in these figures."
    )


def _rows_by_name(table: pd.DataFrame) -> pd.DataFrame:
    """The Home Office performance table indexed by row name, refusing one with rows missing."""
    present = set(table["crime_type"])
    missing = [row.name for row in home_office().rows if row.name not in present]
    if missing:
        raise ValueError(f"The performance table has no row for {join_words(missing)}.")
    return table.set_index("crime_type")


def _offences_sentence(row: PerformanceRow, figures: pd.Series, small_base: int) -> str:
    """`Victim based crime rose by 1,353 (16.6%), from 8,155 to 9,508 offences` (no full stop)."""
    unit = unit_for(row.name)
    previous, current = int(figures["offences_previous"]), int(figures["offences_current"])
    if previous == current == 0:
        return f"No {row.prose_name} {unit} were recorded in either period"
    phrase = change_phrase(
        previous, current, cell_value(figures["offences_pct_diff"]), unit, small_base
    )
    return f"{capitalise(row.prose_name)} {phrase}"


def _solved_clause(figures: pd.Series, small_base: int) -> str:
    """`, and solved outcomes rose by 274 (29.5%), from 929 to 1,203` (empty for ASB)."""
    if is_undefined(figures["solved_previous"]) or is_undefined(figures["solved_current"]):
        return ""
    previous, current = int(figures["solved_previous"]), int(figures["solved_current"])
    if previous == current == 0:
        return ", with no solved outcomes in either period"
    if previous == current:
        return f", and solved outcomes were unchanged at {format_count(current)}"
    pct = cell_value(figures["solved_pct_diff"])
    return f", and solved outcomes {change_phrase(previous, current, pct, '', small_base)}"


def _rate_sentence(figures: pd.Series) -> str:
    """` The solved rate rose by 1.3 percentage points, from 11.4% to 12.7%.`, or empty."""
    previous = cell_value(figures["solved_rate_previous"])
    current = cell_value(figures["solved_rate_current"])
    points = cell_value(figures["solved_rate_pt_diff"])
    if previous is None or current is None or points is None:
        return ""
    return f" The solved rate {rate_change(previous, current, points)}."


def _with_solved(row: PerformanceRow, figures: pd.Series, small_base: int) -> str:
    """A row's offences change with its solved outcomes alongside, as a sentence."""
    counts = ["offences_previous", "offences_current", "solved_previous", "solved_current"]
    if all(int(figures[column]) == 0 for column in counts):
        return f"No {row.prose_name} offences or solved outcomes were recorded in either period."
    return f"{_offences_sentence(row, figures, small_base)}{_solved_clause(figures, small_base)}."


def _asb_challenge(rows: pd.DataFrame, period: ComparedPeriod, small_base: int) -> str:
    """Anti-social behaviour's change, with the two windows named."""
    row = home_office().asb_row
    figures = rows.loc[row.name]
    if int(figures["offences_previous"]) == int(figures["offences_current"]) == 0:
        return (
            f"No {row.prose_name} incidents were recorded in {period.current_span} "
            f"or in {period.previous_span}."
        )
    return (
        f"{_offences_sentence(row, figures, small_base)} in {period.current_span}, "
        f"compared with {period.previous_span}."
    )


def _class_challenges(rows: pd.DataFrame, small_base: int) -> list[str]:
    """Victim based and state based crime: offences, solved outcomes and the solved rate."""
    return [
        _with_solved(row, rows.loc[row.name], small_base) + _rate_sentence(rows.loc[row.name])
        for row in home_office().class_rows
    ]


def _leaf_challenges(rows: pd.DataFrame, rising: bool, limit: int, small_base: int) -> list[str]:
    """The most detailed offence rows with the largest rises (or falls), solved alongside."""
    leaves = {row.name: row for row in home_office().leaf_rows}
    moves = pd.DataFrame(
        {"name": list(leaves), "diff": [int(rows.loc[name, "offences_diff"]) for name in leaves]}
    ).assign(size=lambda f: f["diff"] if rising else -f["diff"])
    chosen = moves[moves["size"] > 0].sort_values(["size", "name"], ascending=[False, True])
    return [
        _with_solved(leaves[name], rows.loc[name], small_base)
        for name in chosen["name"].head(limit)
    ]


def _risk_groups(levels: list[str]) -> str:
    """Where, in words: `in the high and standard risk groups and among crimes with no risk ...`."""
    risks = [level.lower() for level in levels if level != NO_RISK_ASSESSMENT]
    places = []
    if risks:
        places.append(f"in the {join_words(risks)} risk group{'s' if len(risks) > 1 else ''}")
    if NO_RISK_ASSESSMENT in levels:
        places.append("among crimes with no risk assessment")
    return " and ".join(places)


def _join_clauses(clauses: list[str]) -> str:
    """Clauses in prose, with a comma before the last `and` when a clause has its own `and`."""
    if len(clauses) > 1 and any(" and " in clause for clause in clauses):
        return ", ".join(clauses[:-1]) + ", and " + clauses[-1]
    return join_words(clauses)


def _risk_sentence(rows: pd.DataFrame) -> str:
    """` It rose in the high and standard risk groups, and fell in the medium risk group.`"""
    moves: dict[str, list[str]] = {"rose": [], "fell": [], "was unchanged": []}
    for row in home_office().rows:
        if row.flag != "domestic_abuse" or row.da_risk is None:
            continue
        previous = int(rows.loc[row.name, "offences_previous"])
        current = int(rows.loc[row.name, "offences_current"])
        if previous == current == 0:
            continue
        verb = "rose" if current > previous else "fell" if current < previous else "was unchanged"
        moves[verb].append(row.da_risk)
    clauses = [f"{verb} {_risk_groups(levels)}" for verb, levels in moves.items() if levels]
    return f" It {_join_clauses(clauses)}." if clauses else ""


def _overlay_challenges(rows: pd.DataFrame, small_base: int) -> list[str]:
    """Domestic abuse with its risk groups, then hate crime, each with solved outcomes."""
    overlays = {
        row.flag: row for row in home_office().rows if row.kind == "flag" and row.da_risk is None
    }
    abuse, hate = overlays["domestic_abuse"], overlays["hate_crime"]
    return [
        _with_solved(abuse, rows.loc[abuse.name], small_base) + _risk_sentence(rows),
        _with_solved(hate, rows.loc[hate.name], small_base),
    ]


def key_challenges(
    table: pd.DataFrame,
    period: ComparedPeriod,
    small_base: int = SMALL_BASE,
    limit: int = 3,
    asb_period: ComparedPeriod | None = None,
) -> list[str]:
    """The key challenges list written from a Home Office performance table for one period.

    asb_period is the ASB row's own period, when its source lacks months the crimes have.
    """
    rows = _rows_by_name(table)
    return [
        _asb_challenge(rows, asb_period or period, small_base),
        *_class_challenges(rows, small_base),
        *_leaf_challenges(rows, rising=True, limit=limit, small_base=small_base),
        *_leaf_challenges(rows, rising=False, limit=limit, small_base=small_base),
        *_overlay_challenges(rows, small_base),
    ]
