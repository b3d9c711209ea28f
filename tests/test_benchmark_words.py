"""How the district compares, in words and in its chart, on the small tables of
tests/test_benchmark.py: Northby (100 crimes, 50,000 people: 2.0 per 1,000, interval 1.6272 to
2.4326), its force Testshire (Northby and Southton: 400 over 150,000, 2.667), England and Wales
(all three partnerships: 450 over 200,000, 2.25) and one peer, Westby (50 over 50,000, 1.0)."""

from __future__ import annotations

import pytest

from pipeline import benchmark_words as words
from pipeline.benchmark import compare
from pipeline.charts import ranked_rates_chart
from pipeline.sources.ons import FIRST_GROUP
from tests.test_benchmark import BURGLARY, CODES, ons_tables


@pytest.fixture
def benchmark():
    return compare(ons_tables(), CODES["Northby"], (CODES["Westby"],))


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        (51.75, "51.8"),  # half up, from the decimal as written
        (2.25, "2.3"),
        (0.125, "0.13"),  # below 1: two places
        (0.0125, "0.013"),  # below 0.1: three
        (1234.5, "1,234.5"),
        (None, "-"),
    ],
)
def test_a_rate_keeps_the_places_its_size_needs(rate, text):
    assert words.format_rate(rate) == text


@pytest.mark.parametrize(
    ("number", "text"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th")]
    + [(21, "21st"), (22, "22nd"), (101, "101st"), (111, "111th")],
)
def test_ordinals(number, text):
    assert words.ordinal(number) == text


def test_the_summary_groups_the_benchmarks_by_what_the_interval_says(benchmark):
    # peers 1.0 is below 1.6272: higher; England and Wales 2.25 inside: similar; the force's
    # 2.667 above 2.4326: lower. Northby's 2.0 is the higher of the two, so 1st of 2.
    assert words.summary_sentence(benchmark, "Northby", "Appendix B") == (
        "In the ONS's figures for the year ending March 2025, Northby had 2.0 recorded crimes "
        "(excluding fraud) per 1,000 residents. That is higher than its peer group (1.0) and "
        "lower than the Testshire force area (2.7) by more than chance would explain, and "
        "similar to England and Wales (2.3). Its rate was the highest of 2: Northby and its "
        "peer. Appendix B compares it in full."
    )


def test_one_word_for_every_benchmark_needs_no_comma(benchmark):
    table = benchmark.table.copy()
    table.loc[table["area_type"] != "district", "district_is"] = "lower"
    same = type(benchmark)(**{**vars(benchmark), "table": table})
    assert words.compared_phrase(same) == (
        "lower than the Testshire force area (2.7), England and Wales (2.3) and its peer group "
        "(1.0) by more than chance would explain"
    )
    table.loc[table["area_type"] != "district", "district_is"] = "similar"
    alike = type(benchmark)(**{**vars(benchmark), "table": table})
    assert words.compared_phrase(alike).endswith("(1.0) (within what chance would explain)")
    table.loc[table["area_type"] != "district", "district_is"] = ""  # every other count too few
    unsaid = type(benchmark)(**{**vars(benchmark), "table": table})
    assert words.compared_phrase(unsaid) == "not compared: too few crimes elsewhere to set against"


def test_the_change_on_the_year_is_set_against_the_force_s_and_the_peers(benchmark):
    # Northby 80 to 100: +25%; Testshire 390 to 400: +2.56%, 2.6; Westby 50 to 50: none
    assert words.change_sentence(benchmark, "Northby") == (
        "Since the year ending March 2024, Northby's recorded crime (excluding fraud) saw a "
        "rise of 25.0% (80 to 100 crimes); over the same years there was a rise of 2.6% in the "
        "Testshire force area and no change in its peer group."
    )


def test_without_peers_there_is_no_rank_and_the_reader_is_told_how_to_name_them():
    alone = compare(ons_tables(), CODES["Northby"])
    assert words.rank_phrase(alone, "Northby") == ""
    assert words.summary_sentence(alone, "N", "Appendix B").endswith(
        "(2.3). Appendix B compares it in full."
    )
    assert "list their codes under benchmark.peers" in words.peers_paragraph(alone, "Northby")


def test_the_method_says_what_was_left_out_of_the_force(benchmark):
    method = words.method(benchmark)
    assert "7 crimes the ONS places in no partnership, in its row 'Unassigned Testshire'" in method
    assert "Byar's method" in method and "below 10 crimes" in method


def test_the_caveats_are_the_ons_s_notes_naming_who_carries_them(benchmark):
    assert words.caveat_lines(benchmark, 7) == [
        "ONS note 4 (Testshire): An undercount for Testshire.",
        "ONS note 9 (Westby): Westby's note.",
    ]


def test_offence_groups_on_few_crimes_are_named_as_unsteady(benchmark):
    # Northby's 10 burglaries are below 50; its 100 crimes are not
    assert words.small_numbers(benchmark, 50) == (
        "Rates built on fewer than 50 crimes in the year vary widely by chance; read "
        "residential burglary with their intervals, which are wide."
    )
    assert words.small_numbers(benchmark, 10) == ""


def test_the_table_gives_every_group_with_its_interval_words_and_rank(benchmark):
    table = words.comparison_table(benchmark, "Northby")
    assert list(table.columns) == [
        "Offence group",
        "Crimes",
        "Rate",
        "95% interval",
        "Testshire",
        "Against Testshire",
        "England and Wales",
        "Against England and Wales",
        "Peer group",
        "Against peer group",
        "Rank of 2",
    ]
    burglary = table.set_index("Offence group").loc[BURGLARY]
    # 10 burglaries over 50,000: 0.2, interval 0.09575 to 0.36783 (tests/test_benchmark.py),
    # two significant figures; the force's 40 burglaries are below 50: too few to set against
    assert burglary["Rate"] == "0.20"
    assert burglary["95% interval"] == "0.096\u2060\u2013\u20600.37"  # held together
    assert burglary["Testshire"] == "0.27"
    assert burglary["Against Testshire"] == "too few"
    assert burglary["Rank of 2"] == "1"
    total = table.set_index("Offence group").loc[FIRST_GROUP]
    assert (total["Against Testshire"], total["Against peer group"]) == ("lower", "higher")


def test_a_group_an_ons_note_names_is_marked_and_left_to_the_note():
    tables = ons_tables()
    tables.notes[4] = "There is an undercount for Testshire's residential burglary figures"
    benchmark = compare(tables, CODES["Northby"], (CODES["Westby"],), small_base=1)
    assert benchmark.caveats[0].groups == (BURGLARY,)
    table = words.comparison_table(benchmark, "Northby").set_index("Offence group")
    marked = table.loc[f"{BURGLARY} (note 4)"]
    assert marked["Against Testshire"] == "see note 4"
    assert words.caveat_lines(benchmark, 7)[0] == (
        "ONS note 4 (Testshire): There is an undercount for Testshire's residential burglary "
        "figures. Table 7 marks residential burglary with the note."
    )


def test_the_ranked_chart_lists_the_district_and_its_peers_highest_first(benchmark):
    chart = ranked_rates_chart(benchmark, "Northby")
    assert chart.data.to_dict("list") == {
        "Area": ["Northby", "Westby", "Testshire force area", "England and Wales", "Peer group"],
        "Rate per 1,000": ["2.0", "1.0", "2.7", "2.3", "1.0"],
        # Westby: 50 crimes, Byar 37.11 to 65.92 of 50,000; the lines have no interval drawn
        "95% interval, lower": ["1.6", "0.74", "-", "-", "-"],
        "95% interval, upper": ["2.4", "1.3", "-", "-", "-"],
        "Rank (1 = highest)": ["1", "2", "-", "-", "-"],
    }
    assert chart.title == (
        "Northby's recorded crime rate was the highest of 2: Northby and its peer, year ending "
        "March 2025"
    )
    assert chart.alt_text.startswith(
        "Dot chart of recorded crime (excluding fraud) per 1,000 residents, year ending March "
        "2025, for Northby and its peers, highest first, each with its 95% interval: Northby 2.0 "
        "(1.6 to 2.4) and Westby 1.0 (0.74 to 1.3). Vertical lines mark the Testshire force area "
        "2.7, England and Wales 2.3 and its peer group 1.0."
    )
    assert chart.png.startswith(b"\x89PNG")


def test_the_reason_the_ons_differs_names_the_report_s_own_source():
    assert "the force's extract of the crimes it recorded" in words.why_these_differ(
        "force_extract"
    )
    assert "police.uk places each crime at an anonymised point" in words.why_these_differ(
        "police_uk"
    )


def test_the_lowest_is_called_the_lowest():
    tables = ons_tables()
    lowest = compare(tables, CODES["Westby"], (CODES["Northby"],))
    assert words.rank_phrase(lowest, "Westby") == "the lowest of 2: Westby and its peer"
