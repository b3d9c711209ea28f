"""The report's tables as accessible HTML and presentation columns: performance, areas, mix."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from pipeline.document import (
    cell_text,
    render,
)
from pipeline.metrics import mix_shares
from pipeline.numbers import (
    format_count,
    format_one_decimal,
    format_percent,
    format_signed_count,
)
from pipeline.periods import ComparedPeriod


def short_span(first: pd.Period, last: pd.Period) -> str:
    """A compact column heading: `Jul-Sep 2025` or `Oct 2024-Sep 2025`."""
    if first.year == last.year:
        return f"{first:%b}-{last:%b %Y}"
    return f"{first:%b %Y}-{last:%b %Y}"


def performance_cells(row: pd.Series) -> list[str]:
    """A performance row's cells as published text, `-` where undefined or not available."""

    def value(column: str) -> float | None:
        cell = row[column]
        return None if pd.isna(cell) else cell

    return [
        format_count(value("offences_previous")),
        format_count(value("offences_current")),
        format_signed_count(value("offences_diff")),
        format_one_decimal(value("offences_pct_diff"), signed=True),
        format_count(value("solved_previous")),
        format_count(value("solved_current")),
        format_signed_count(value("solved_diff")),
        format_one_decimal(value("solved_pct_diff"), signed=True),
        format_one_decimal(value("solved_rate_previous")),
        format_one_decimal(value("solved_rate_current")),
        format_one_decimal(value("solved_rate_pt_diff"), signed=True),
    ]


def table_caption(number: int, period: ComparedPeriod) -> str:
    """`Table 1: rolling 12 months, October 2024 to September 2025 against …`."""
    return (
        f"Table {number}: {period.label.lower()}, {period.current_span} "
        f"against {period.previous_span}"
    )


def performance_table_html(table: pd.DataFrame, period: ComparedPeriod, number: int) -> Markup:
    """A police.uk performance table as accessible HTML."""
    rows = [
        {"name": row["crime_type"], "level": int(row["level"]), "cells": performance_cells(row)}
        for _, row in table.iterrows()
    ]
    return render("performance_table.html.j2", **period_heads(number, period), rows=rows)


def period_heads(number: int, period: ComparedPeriod) -> dict[str, str]:
    """A performance table's caption and the spans heading its two periods' columns."""
    return {
        "caption": table_caption(number, period),
        "previous": short_span(period.first - 12, period.last - 12),
        "current": short_span(period.first, period.last),
    }


def home_office_table_html(table: pd.DataFrame, period: ComparedPeriod, number: int) -> Markup:
    """The Home Office performance table in its three sections, as accessible HTML."""
    sections = [
        {
            "name": name,
            "rows": [
                {
                    "name": row["crime_type"],
                    "level": int(row["level"]),
                    "cells": [cell_text(row["pct_da_current"])] + performance_cells(row),
                }
                for _, row in rows.iterrows()
            ],
        }
        for name, rows in table.groupby("section", sort=False)
    ]
    return render("home_office_table.html.j2", **period_heads(number, period), sections=sections)


def areas_table(
    areas: pd.DataFrame, period: ComparedPeriod, unit: str, kind: str = "LSOA"
) -> pd.DataFrame:
    """Top areas in presentation columns."""
    previous = short_span(period.first - 12, period.last - 12)
    current = short_span(period.first, period.last)
    return pd.DataFrame(
        {
            "Ward" if kind == "ward" else "Area (LSOA)": areas["area"],
            f"{unit.capitalize()} {previous}": areas["previous"].map(format_count),
            f"{unit.capitalize()} {current}": areas["current"].map(format_count),
            "# diff": areas["change"].map(format_signed_count),
        }
    )


def places_table(
    places: pd.DataFrame, period: ComparedPeriod, unit: str, column: str, heading: str
) -> pd.DataFrame:
    """Counts by beat or location type (column, shown as heading) in presentation columns."""
    previous = short_span(period.first - 12, period.last - 12)
    current = short_span(period.first, period.last)
    return pd.DataFrame(
        {
            heading: places[column],
            f"{unit.capitalize()} {previous}": places["previous"].map(format_count),
            f"{unit.capitalize()} {current}": places["current"].map(format_count),
            "# diff": places["change"].map(format_signed_count),
        }
    )


def mix_table(mix: pd.DataFrame, noun: str) -> pd.DataFrame:
    """Crime mix in presentation columns, with each category's share."""
    return pd.DataFrame(
        {
            noun.capitalize(): mix["crime_type"],
            "Offences": mix["offences"].map(format_count),
            "Share of all crime": mix_shares(mix).map(format_percent),
        }
    )
