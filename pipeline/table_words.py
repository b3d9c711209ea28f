"""The workbook's column headings in words, for clerks and councillors ("Offences, July to
September 2025"); the CSV files keep their short column names, a contract for other programs."""

from __future__ import annotations

from pipeline.analysis import QuarterAnalysis
from pipeline.periods import ComparedPeriod, month_span

Headings = dict[str, str]


def spans(period: ComparedPeriod) -> tuple[str, str]:
    """The period's months this year and a year before, as `July to September 2025`."""
    return month_span(period.first, period.last), month_span(period.first - 12, period.last - 12)


def performance_headings(period: ComparedPeriod) -> Headings:
    """A performance table's columns: each count and rate with the months it is of."""
    now, before = spans(period)
    headings = {
        "section": "Section",
        "level": "Level",
        "crime_type": "Crime type",
        "pct_da_current": f"% domestic abuse, {now}",
    }
    for measure, words in (
        ("offences", "Offences"),
        ("solved", "Solved outcomes"),
        ("solved_rate", "Solved rate (%)"),
    ):
        headings |= {
            f"{measure}_previous": f"{words}, {before}",
            f"{measure}_current": f"{words}, {now}",
        }
    headings |= {
        "offences_diff": "Offences, difference",
        "offences_pct_diff": "Offences, % change",
        "solved_diff": "Solved outcomes, difference",
        "solved_pct_diff": "Solved outcomes, % change",
        "solved_rate_pt_diff": "Solved rate, difference (percentage points)",
    }
    return headings


def areas_headings(period: ComparedPeriod) -> Headings:
    """A top-areas table's columns."""
    now, before = spans(period)
    return {"area": "Area", "previous": before, "current": now, "change": "Difference"}


def workbook_headings(analysis: QuarterAnalysis) -> dict[str, Headings]:
    """Each workbook sheet's column headings, by table name; a column not named keeps its own."""
    quarter = analysis.quarter_period
    benchmark = analysis.benchmark
    ons_year = "" if benchmark is None else f", year ending {benchmark.period}"
    ons_before = "" if benchmark is None else f", year ending {benchmark.previous_period}"
    return {
        **{
            f"performance_{name}": performance_headings(period)
            for name, period in analysis.periods.items()
        },
        "change_tests": {
            "period": "Period",
            "section": "Section",
            "crime_type": "Crime type",
            "measure": "Measure",
            "previous": "A year before",
            "current": "This period",
            "p_value": "p-value (exact Poisson test)",
            "significant": "Significant at 5%",
            "stands_out": "Stands out (Benjamini-Hochberg)",
        },
        "control_charts": {
            "series": "Series",
            "month": "Month",
            "value": "Count",
            "mean": "Mean",
            "lower_limit": "Lower process limit",
            "upper_limit": "Upper process limit",
            "signal": "Signal",
        },
        "benchmark": {
            "area_type": "Kind of area",
            "area_code": "ONS code",
            "area": "Area",
            "offence_group": "Offence group",
            "offences": f"Offences{ons_year}",
            "offences_previous": f"Offences{ons_before}",
            "population": "Population",
            "rate": "Rate per 1,000 residents",
            "rate_lower": "95% interval, lower",
            "rate_upper": "95% interval, upper",
            "change_pct": "% change on the year before",
            "district_is": "The district is (higher, similar or lower)",
            "rank": "Rank among the district and its peers (1 = highest)",
        },
        "crime_mix": {
            "crime_type": "Offence group" if analysis.uses_force_extract else "Crime type",
            "offences": f"Offences, {spans(quarter)[0]}",
        },
        "top_crime_areas": areas_headings(quarter),
        "top_asb_areas": areas_headings(analysis.asb_periods["quarter"]),
        "top_crime_beats": areas_headings(quarter) | {"beat": "Police beat"},
        "top_asb_beats": areas_headings(analysis.asb_periods["quarter"]) | {"beat": "Police beat"},
        "asb_location_types": areas_headings(analysis.asb_periods["quarter"])
        | {"location_type": "Location type"},
        "top_domestic_abuse_beats": areas_headings(quarter) | {"beat": "Police beat"},
        "monthly_crime": {"month": "Month", "count": "Offences"},
        "monthly_asb": {"month": "Month", "count": "Anti-social behaviour incidents"},
        "period_coverage": {
            "period": "Period",
            "source": "Source",
            "months_compared": "Months compared",
            "months_left_out": "Months left out of both years",
        },
        "opcc_return": {
            "project": "Project",
            "rationale": "Rationale",
            "activities_to_date": "Activities to date",
            "success_measures_proposed": "Success measures proposed",
            "success_to_date": "Success to date",
            "cost_to_date": "Cost to date",
            "rag": "RAG",
            "notes": "Notes",
            "budget": "Budget",
            "spent_in_quarter": "Spent in the quarter",
        },
        "grant_spend": {
            "quarter": "Quarter",
            "spent": "Spent by the quarter's end",
            "profile": "Straight-line profile",
        },
    }
