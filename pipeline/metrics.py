"""Comparisons of a quarter's figures: pure functions from tidy records to tables."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.numbers import percent, percent_change, point_difference, round_half_up, to_float
from pipeline.periods import ComparedPeriod
from pipeline.taxonomy import ALL_CRIME, police_uk

PERFORMANCE_COLUMNS = [
    "section",
    "level",
    "crime_type",
    "offences_previous",
    "offences_current",
    "offences_diff",
    "offences_pct_diff",
    "solved_previous",
    "solved_current",
    "solved_diff",
    "solved_pct_diff",
    "solved_rate_previous",
    "solved_rate_current",
    "solved_rate_pt_diff",
    "pct_da_current",
]
COUNT_COLUMNS = [
    "offences_previous",
    "offences_current",
    "offences_diff",
    "solved_previous",
    "solved_current",
    "solved_diff",
]
ONE_DECIMAL_COLUMNS = [c for c in PERFORMANCE_COLUMNS[3:] if c not in COUNT_COLUMNS]
TOP_LEVEL = "Top Level"
BY_TYPE = "All crime"


def flag_positive(records: pd.DataFrame) -> pd.DataFrame:
    """Add `positive`: the crime's last outcome is a positive one (never for ASB)."""
    vocabulary = police_uk()
    return records.assign(
        positive=lambda f: (
            f["last_outcome"].isin(vocabulary.positive_outcomes).fillna(False)
            & (f["crime_type"] != vocabulary.anti_social_behaviour)
        )
    )


def counts_by_type(records: pd.DataFrame, months: list[pd.Period]) -> pd.DataFrame:
    """Offences and positive outcomes per crime type in the months, every type present."""
    in_months = records[records["month"].isin(months)]
    return (
        in_months.groupby("crime_type", observed=False)
        .agg(offences=("crime_type", "size"), solved=("positive", "sum"))
        .reindex(police_uk().crime_types, fill_value=0)
        .astype("int64")
        .rename_axis("crime_type")
        .reset_index()
    )


def with_all_crime(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts with an `All crime` row: every type except anti-social behaviour."""
    asb = police_uk().anti_social_behaviour
    crimes = counts[counts["crime_type"] != asb]
    total = pd.DataFrame(
        {
            "crime_type": [ALL_CRIME],
            "offences": [int(crimes["offences"].sum())],
            "solved": [int(crimes["solved"].sum())],
        }
    )
    return pd.concat([counts, total], ignore_index=True)


def period_counts(
    records: pd.DataFrame, period: ComparedPeriod, asb_period: ComparedPeriod | None = None
) -> pd.DataFrame:
    """Tidy counts for one compared period: crime type x window (previous, current).

    Anti-social behaviour counts in asb_period's months (default: the same), since police.uk's
    ASB can lack a month its crimes have.
    """
    flagged = flag_positive(records)
    asb = asb_period or period
    windows = {
        "previous": (period.previous, asb.previous),
        "current": (period.current, asb.current),
    }
    asb_name = police_uk().anti_social_behaviour
    frames = []
    for window, (months, asb_months) in windows.items():
        counts = with_all_crime(counts_by_type(flagged, months))
        asb_counts = counts_by_type(flagged, asb_months).set_index("crime_type").loc[asb_name]
        is_asb = counts["crime_type"] == asb_name
        counts.loc[is_asb, ["offences", "solved"]] = [
            int(asb_counts["offences"]),
            int(asb_counts["solved"]),
        ]
        frames.append(counts.assign(window=window))
    return pd.concat(frames, ignore_index=True)


def compare_row(
    previous_offences: int,
    current_offences: int,
    previous_solved: int | None,
    current_solved: int | None,
    current_domestic_abuse: int | None = None,
) -> dict:
    """One row's differences, percentages and rates, rounded half up from exact values."""
    row = {
        "offences_previous": previous_offences,
        "offences_current": current_offences,
        "offences_diff": current_offences - previous_offences,
        "offences_pct_diff": to_float(
            round_half_up(percent_change(previous_offences, current_offences))
        ),
    }
    if current_domestic_abuse is not None:
        row["pct_da_current"] = to_float(
            round_half_up(percent(current_domestic_abuse, current_offences))
        )
    if previous_solved is None or current_solved is None:
        return row
    rate_previous = percent(previous_solved, previous_offences)
    rate_current = percent(current_solved, current_offences)
    return row | {
        "solved_previous": previous_solved,
        "solved_current": current_solved,
        "solved_diff": current_solved - previous_solved,
        "solved_pct_diff": to_float(round_half_up(percent_change(previous_solved, current_solved))),
        "solved_rate_previous": to_float(round_half_up(rate_previous)),
        "solved_rate_current": to_float(round_half_up(rate_current)),
        "solved_rate_pt_diff": to_float(
            round_half_up(point_difference(rate_previous, rate_current))
        ),
    }


@dataclass(frozen=True)
class TableRow:
    """A row of a performance table: where it sits and which figures it has."""

    section: str
    level: int
    name: str
    has_solved: bool = True
    has_pct_da: bool = False


def row_order() -> list[TableRow]:
    """The police.uk performance rows, in published order."""
    vocabulary = police_uk()
    return [
        TableRow(TOP_LEVEL, 0, vocabulary.anti_social_behaviour, has_solved=False),
        TableRow(TOP_LEVEL, 0, ALL_CRIME),
        *[TableRow(BY_TYPE, 1, name) for name in vocabulary.crime_types_excluding_asb],
    ]


def comparison_table(counts: pd.DataFrame, rows: list[TableRow] | None = None) -> pd.DataFrame:
    """The published comparison table for one period, in the output contract's columns."""
    values = ["offences", "solved"] + (["da_offences"] if "da_offences" in counts else [])
    wide = counts.pivot(index="crime_type", columns="window", values=values)
    by_column = {column: wide[column].to_dict() for column in wide.columns}

    def cell(name: str, measure: str, window: str) -> int:
        """One count of the wide table: a row's measure in one window."""
        return int(by_column[(measure, window)][name])

    records = []
    for row in rows if rows is not None else row_order():
        solved = (
            (cell(row.name, "solved", "previous"), cell(row.name, "solved", "current"))
            if row.has_solved
            else (None, None)
        )
        figures = compare_row(
            cell(row.name, "offences", "previous"),
            cell(row.name, "offences", "current"),
            *solved,
            cell(row.name, "da_offences", "current") if row.has_pct_da else None,
        )
        records.append(
            {"section": row.section, "level": row.level, "crime_type": row.name} | figures
        )
    table = pd.DataFrame(records).reindex(columns=PERFORMANCE_COLUMNS)
    return table.astype(
        {c: "Int64" for c in COUNT_COLUMNS}
        | {c: "Float64" for c in ONE_DECIMAL_COLUMNS}
        | {"level": "int64"}
    )


def police_uk_events(records: pd.DataFrame) -> pd.DataFrame:
    """police.uk rows as events: month, whether ASB, category (crime type), area (LSOA name)."""
    return pd.DataFrame(
        {
            "month": records["month"],
            "is_asb": (records["crime_type"] == police_uk().anti_social_behaviour).astype(bool),
            "category": records["crime_type"].astype("string"),
            "area": records["lsoa_name"].astype("string"),
        }
    )


def event_monthly_counts(events: pd.DataFrame, months: list[pd.Period], asb: bool) -> pd.DataFrame:
    """Monthly count of crimes (asb=False) or ASB incidents (asb=True), zeros kept."""
    chosen = events[events["is_asb"] == asb]
    counts = chosen.groupby("month").size().reindex(pd.PeriodIndex(months, freq="M"), fill_value=0)
    return counts.rename_axis("month").rename("count").astype("int64").reset_index()


def event_monthly_counts_by_category(
    events: pd.DataFrame, months: list[pd.Period], categories: tuple[str, ...]
) -> pd.DataFrame:
    """Monthly count of crimes in each category, tidy (`category`, `month`, `count`), every
    category and month listed, zeros kept."""
    crimes = events[~events["is_asb"]]
    every = pd.MultiIndex.from_product(
        [list(categories), pd.PeriodIndex(months, freq="M")], names=["category", "month"]
    )
    counts = crimes.groupby(["category", "month"]).size().reindex(every, fill_value=0)
    return counts.rename("count").astype("int64").reset_index()


def event_mix(
    events: pd.DataFrame, months: list[pd.Period], categories: tuple[str, ...]
) -> pd.DataFrame:
    """Crimes by category in the months, every category listed, largest first."""
    crimes = events[~events["is_asb"] & events["month"].isin(months)]
    counts = crimes.groupby("category").size().reindex(list(categories), fill_value=0)
    return (
        counts.rename_axis("crime_type")
        .rename("offences")
        .astype("int64")
        .reset_index()
        .sort_values(["offences", "crime_type"], ascending=[False, True])
        .reset_index(drop=True)
    )


def mix_shares(mix: pd.DataFrame) -> pd.Series:
    """Each category's share of the mix's offences in percent, rounded half up to one decimal
    (None when the mix holds no offences): the one computation the chart, table and words use."""
    total = int(mix["offences"].sum())
    return mix["offences"].map(lambda count: round_half_up(percent(int(count), total)))


def event_top_areas(
    events: pd.DataFrame, period: ComparedPeriod, asb: bool, limit: int = 10
) -> pd.DataFrame:
    """The areas with most crimes (or ASB) in the current period, with last year's count."""
    chosen = events[(events["is_asb"] == asb) & (events["area"].fillna("") != "")]
    window = pd.Series(pd.NA, index=chosen.index, dtype="string")
    window[chosen["month"].isin(period.current)] = "current"
    window[chosen["month"].isin(period.previous)] = "previous"
    counts = (
        chosen.assign(window=window)
        .dropna(subset=["window"])
        .groupby(["area", "window"])
        .size()
        .unstack("window", fill_value=0)
        .reindex(columns=["previous", "current"], fill_value=0)
        .rename_axis(columns=None)
        .reset_index()
    )
    return (
        counts.sort_values(["current", "area"], ascending=[False, True])
        .head(limit)
        .assign(change=lambda f: f["current"] - f["previous"])
        .astype({"previous": "int64", "current": "int64", "change": "int64"})
        .reset_index(drop=True)[["area", "previous", "current", "change"]]
    )


@dataclass(frozen=True)
class NoLocationCounts:
    """Force rows with no location in a period's current months: in no district."""

    crimes: int
    asb: int


def no_location_counts(no_location: pd.DataFrame, months: list[pd.Period]) -> NoLocationCounts:
    """Crimes and ASB incidents with no location in the months."""
    in_months = no_location[no_location["month"].isin(months)]
    is_asb = in_months["crime_type"] == police_uk().anti_social_behaviour
    return NoLocationCounts(crimes=int((~is_asb).sum()), asb=int(is_asb.sum()))
