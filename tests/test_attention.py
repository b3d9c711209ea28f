"""What needs attention, chosen by evidence, and its words: small tables of tests and control
charts written by hand."""

from __future__ import annotations

import pandas as pd

from pipeline.attention import ChartSignal, StandingChange, quarter_signals, standing_changes
from pipeline.attention_words import (
    change_sentence,
    counts_phrase,
    in_line_sentence,
    judgement,
    largest_in_line,
    signal_sentence,
    signals_note,
)
from pipeline.change_tests import COLUMN_TYPES
from pipeline.periods import compared_periods, parse_financial_year

QUARTER = compared_periods(parse_financial_year("2025-26"), 2)["quarter"]
ASB_ROW = "Anti-Social Behaviour (incidents)"


def change_test_rows(rows: list[tuple]) -> pd.DataFrame:
    """Change tests: (period, section, crime type, measure, previous, current, p, stands out)."""
    columns = ["period", "section", "crime_type", "measure", "previous", "current", "p_value"]
    frame = pd.DataFrame(rows, columns=[*columns, "stands_out"])
    return frame.assign(significant=frame["p_value"] < 0.05).astype(COLUMN_TYPES)


TESTS = change_test_rows(
    [
        ("quarter", "Top Level", "All Crime", "offences", 1304, 1397, 0.07, False),
        ("quarter", "Victim Based Crime", "Theft", "offences", 200, 260, 0.01, True),
        ("quarter", "Victim Based Crime", "Theft", "solved", 20, 12, 0.2, False),
        ("quarter", "Victim Based Crime", "Robbery", "offences", 20, 48, 0.0005, True),
        ("quarter", "State Based Crime", "Drug Offences", "offences", 151, 166, 0.4, False),
        ("quarter", "State Based Crime", "Drug Offences", "solved", 98, 78, 0.0005, True),
        ("rolling_12_months", "Victim Based Crime", "Theft", "offences", 800, 900, 0.01, True),
    ]
)


def test_what_stands_out_is_ranked_by_evidence_then_size_and_carries_the_offences():
    changes = standing_changes(TESTS, "quarter")
    # Robbery and drug offences' solved outcomes tie on p; robbery moved by 28, drugs by 20
    assert [(change.crime_type, change.measure) for change in changes] == [
        ("Robbery", "offences"),
        ("Drug Offences", "solved"),
        ("Theft", "offences"),
    ]
    drugs = changes[1]
    assert (drugs.offences_previous, drugs.offences_current) == (151, 166)
    assert not drugs.rising  # 98 of 151 (64.9%) to 78 of 166 (47.0%)


def test_a_change_that_stands_out_is_said_to_be_beyond_chance_with_its_counts():
    robbery, drugs, theft = standing_changes(TESTS, "quarter")
    assert change_sentence(theft, small_base=50) == (
        "Theft rose by 60 (30.0%), from 200 to 260 offences, more than chance alone would explain."
    )
    # 20 is below the small-numbers threshold: no percentage in the words
    assert change_sentence(robbery, small_base=50) == (
        "Robbery rose from 20 to 48 offences, more than chance alone would explain."
    )
    assert change_sentence(drugs, small_base=50) == (
        "The solved rate for drug offences fell from 64.9% to 47.0% (98 solved outcomes for 151 "
        "offences, then 78 for 166), more than chance alone would explain."
    )


def test_no_percentage_when_either_count_is_below_the_threshold():
    assert counts_phrase(10, 15, "offences", small_base=50) == "rose from 10 to 15 offences"
    assert counts_phrase(60, 40, "offences", small_base=50) == "fell from 60 to 40 offences"
    assert counts_phrase(60, 51, "incidents", small_base=50) == (
        "fell by 9 (15.0%), from 60 to 51 incidents"
    )


def test_the_rest_are_in_line_with_normal_variation_largest_first_without_the_totals():
    changes = standing_changes(TESTS, "quarter")
    named = largest_in_line(TESTS, "quarter", changes)
    assert named == ["drug offences (151 to 166)"]  # theft and robbery stand out; a total is not
    assert in_line_sentence(QUARTER, named, any_standing=True) == (
        "The other changes in July to September 2025 against July to September 2024 were in line "
        "with normal variation; the largest were drug offences (151 to 166)."
    )


def chart_points(series: str, rows: list[tuple[str, int, str]]) -> pd.DataFrame:
    """A control chart's points with mean 100 and limits 70 and 130: (month, value, signal)."""
    return pd.DataFrame(
        {
            "series": series,
            "month": [month for month, _, _ in rows],
            "value": [value for _, value, _ in rows],
            "mean": 100.0,
            "lower_limit": 70.0,
            "upper_limit": 130.0,
            "signal": [signal for _, _, signal in rows],
        }
    )


def test_each_series_gives_its_strongest_signal_in_the_quarter_strongest_first():
    charts = pd.concat(
        [
            chart_points(
                "All crime",
                [("2025-05", 110, "shift"), ("2025-06", 111, "shift"), ("2025-07", 112, "shift")]
                + [("2025-08", 113, "shift"), ("2025-09", 95, "")],
            ),
            chart_points("Robbery", [("2025-06", 140, "outside_limits"), ("2025-08", 60, "")]),
            chart_points("Theft", [("2025-09", 131, "outside_limits")]),
            chart_points("Burglary", [("2025-04", 140, "outside_limits")]),  # before the quarter
        ],
        ignore_index=True,
    )
    signals = quarter_signals(charts, QUARTER.current)
    assert [(signal.series, signal.signal) for signal in signals] == [
        ("Theft", "outside_limits"),
        ("All crime", "shift"),
    ]  # Robbery's signal was in June, before the quarter
    shift = signals[1]
    assert (str(shift.month), shift.run_months) == ("2025-08", 4)


def signal(kind: str, value: int, run: int = 1) -> ChartSignal:
    return ChartSignal("Theft", kind, pd.Period("2025-09", "M"), value, 100.0, 70.0, 130.0, run)


def test_each_signal_is_said_in_words_a_rise_as_needing_attention():
    assert signal_sentence(signal("outside_limits", 131)) == (
        "Theft: 131 offences in September 2025, above the upper limit of its control chart "
        "(130.0); a rise beyond normal variation."
    )
    assert signal_sentence(signal("outside_limits", 60)) == (
        "Theft: 60 offences in September 2025, below the lower limit of its control chart "
        "(70.0); a fall beyond normal variation."
    )
    assert signal_sentence(signal("shift", 90, run=8)) == (
        "Theft has been below its average of 100.0 a month for 8 months in a row to September "
        "2025: a sustained fall beyond normal variation."
    )
    assert signal_sentence(signal("trend", 120, run=7)) == (
        "Theft has risen month on month for 7 months to September 2025: a trend beyond normal "
        "variation."
    )
    assert signal_sentence(signal("two_of_three", 125)) == (
        "Theft was close to the upper limit of its control chart in two of three months to "
        "September 2025: an early sign of a rise beyond normal variation."
    )


def test_the_summary_opens_with_what_stands_out_or_says_nothing_does():
    assert judgement(QUARTER, [], []).startswith(
        "Nothing in July to September 2025 stands out from normal variation: no change in "
        "offences or solved outcomes from July to September 2024 is larger than chance"
    )
    # with no control charts (too few months), nothing is said of their signals
    assert judgement(QUARTER, [], [], charted=False).endswith(
        "allowed for, and there are too few months of usable data (fewer than 24) for control "
        "charts of all crime and anti-social behaviour."
    )
    change = StandingChange("quarter", "s", "Theft", "offences", 1, 2, 0.01, 1, 2)
    assert judgement(QUARTER, [change], []) == (
        "One figure stands out from normal variation in July to September 2025:"
    )
    assert judgement(QUARTER, [change], [signal("shift", 90)] * 2) == (
        "Three figures stand out from normal variation in July to September 2025:"
    )


def test_a_headline_says_rose_only_when_the_change_stands_out():
    from pipeline.attention_words import headline

    tests = change_test_rows(
        [
            ("quarter", "Top Level", "All Crime", "offences", 1304, 1397, 0.07, False),
            ("quarter", "Top Level", ASB_ROW, "offences", 300, 200, 1e-6, True),
            ("quarter", "Top Level", "Robbery", "offences", 12, 12, 1.0, False),
        ]
    )
    assert headline(tests, "quarter", "All Crime", QUARTER, 50) == (
        "All crime: 1,397 offences in July to September 2025, compared with 1,304 in July to "
        "September 2024, in line with normal variation."
    )
    assert headline(tests, "quarter", ASB_ROW, QUARTER, 50) == (
        "Anti-social behaviour fell by 100 (33.3%), from 300 to 200 incidents in July to "
        "September 2025, compared with July to September 2024, more than chance alone would "
        "explain."
    )
    assert headline(tests, "quarter", "Robbery", QUARTER, 50) == (
        "Robbery was unchanged at 12 offences in July to September 2025, compared with July to "
        "September 2024."
    )


def test_the_note_on_signals_says_where_each_chart_is_and_what_it_tests():
    def signal(series: str) -> ChartSignal:
        return ChartSignal(series, "two_of_three", pd.Period("2025-08", freq="M"), 1, 1, 0, 2, 2)

    drawn = {"All crime", "Anti-social behaviour"}
    note = signals_note(
        [signal("All crime"), signal("Violence against the person"), signal("Robbery")],
        drawn,
        "Appendix B",
    )
    assert note == (
        "A control chart tests each month against the normal variation of the months before, "
        "where section 3 tests each period's total against the same months a year before, so "
        "the two can differ. Of these charts, that of all crime is drawn in Appendix B (Monthly "
        "Trends); those of violence against the person and robbery are in "
        "tables/control_charts.csv, published with this report."
    )
    assert signals_note([], drawn, "Appendix B") is None


def test_only_the_tables_top_rows_are_named_so_no_row_beside_the_row_it_is_part_of():
    nested = change_test_rows(
        [
            ("quarter", "Victim Based Crime", "Theft Offences", "offences", 1316, 1365, 0.3, False),
            ("quarter", "Victim Based Crime", "Theft", "offences", 847, 947, 0.2, False),
            ("quarter", "Victim Based Crime", "Shoplifting", "offences", 300, 390, 0.2, False),
            ("quarter", "State Based Crime", "Public Order", "offences", 500, 520, 0.5, False),
        ]
    )
    # Without groups the three theft rows (each part of the next) would crowd the list.
    assert largest_in_line(nested, "quarter", [], groups={"Theft Offences", "Public Order"}) == [
        "theft offences (1,316 to 1,365)",
        "public order (500 to 520)",
    ]
