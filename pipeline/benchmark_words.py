"""How the district compares, in words: the Summary's sentence, the appendix's paragraphs, its
table's headings and cells, and the ranked chart's title, alt text and data table headings.
The figures are `pipeline/benchmark.py`'s; ONS figures are worded here alone, never beside the
report's own counts in one comparison."""

from __future__ import annotations

import pandas as pd

from pipeline.analysis import FORCE_EXTRACT
from pipeline.benchmark import (
    DISTRICT,
    ENGLAND_AND_WALES,
    FORCE,
    HIGHER,
    LOWER,
    PEER,
    PEER_GROUP,
    SIMILAR,
    Benchmark,
)
from pipeline.ingest import POLICE_UK
from pipeline.numbers import UNDEFINED, format_count, format_percent, is_undefined, round_half_up
from pipeline.rates import CONFIDENCE, EXACT_BELOW, PER
from pipeline.sources.ons import FIRST_GROUP
from pipeline.text import capitalise, join_words

RECORDED_CRIME = "recorded crime (excluding fraud)"
CRIMES = "recorded crimes (excluding fraud)"
WORD_ORDER = (HIGHER, SIMILAR, LOWER)
BENCHMARK_ORDER = (FORCE, ENGLAND_AND_WALES, PEER_GROUP)

# Why ONS's counts are not the report's own, by the source of the report's figures.
OWN_FIGURES = {
    FORCE_EXTRACT: (
        "the force's extract of the crimes it recorded, for the months of each period, which "
        "the force may have revised since it sent its figures to the Home Office"
    ),
    POLICE_UK: (
        "police.uk's street-level records, for the months of each period: police.uk places each "
        "crime at an anonymised point on a map (so a crime near a boundary may fall in the next "
        "area), leaves out some crimes, and is revised as investigations end"
    ),
}


def format_rate(rate: float | None) -> str:
    """A rate per 1,000: one decimal place from 1, two below it, three below 0.1 (so a rare
    offence's rate is not written 0.0); `-` when there is none."""
    if is_undefined(rate):
        return UNDEFINED
    places = 1 if rate >= 1 else 2 if rate >= 0.1 else 3
    return f"{round_half_up(float(rate), places):,}"


def ordinal(number: int) -> str:
    """`1st`, `2nd`, `3rd`, `4th`, `11th`, `22nd`."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10)
    return f"{number}{suffix or 'th'}"


def area_name(row: pd.Series) -> str:
    """A benchmark as a sentence names it."""
    if row["area_type"] == FORCE:
        return f"the {row['area']} force area"
    if row["area_type"] == PEER_GROUP:
        return "its peer group"
    return str(row["area"])


def compared_phrase(benchmark: Benchmark, group: str = FIRST_GROUP) -> str:
    """`higher than the Wealdmoor force area (48.2) and England and Wales (45.0), and similar to
    its peer group (52.3)`: the benchmarks grouped by the word the district's interval gives."""
    rows = [benchmark.row(kind, group) for kind in BENCHMARK_ORDER]
    phrases = []
    for word in WORD_ORDER:
        named = [
            f"{area_name(row)} ({format_rate(row['rate'])})"
            for row in rows
            if row is not None and row["district_is"] == word
        ]
        if named:
            phrases.append(f"{word} {'to' if word == SIMILAR else 'than'} {join_words(named)}")
    if len(phrases) == 1:
        return phrases[0]
    return f"{', '.join(phrases[:-1])}, and {phrases[-1]}"


def rank_phrase(benchmark: Benchmark, group: str = FIRST_GROUP) -> str:
    """`the 2nd highest of the 7 partnerships in its peer group`, or '' without peers."""
    district = benchmark.row(DISTRICT, group)
    if district is None or is_undefined(district["rank"]):
        return ""
    ranked = len(benchmark.rows(PEER, group)) + 1
    rank = int(district["rank"])
    place = "the highest" if rank == 1 else f"the {ordinal(rank)} highest"
    if rank == ranked:
        place = "the lowest"
    return f"{place} of the {ranked} partnerships in its peer group, itself included"


def rate_phrase(benchmark: Benchmark, district: str) -> str:
    """`Ashworth Vale had 51.7 recorded crimes (excluding fraud) per 1,000 residents`."""
    rate = format_rate(benchmark.row(DISTRICT)["rate"])
    return f"{district} had {rate} {CRIMES} per {PER:,} residents"


def summary_sentence(benchmark: Benchmark, district: str, appendix: str) -> str:
    """The Summary's sentence: the district's rate against its benchmarks, and its rank."""
    rank = rank_phrase(benchmark)
    ranked = f"; its rate was {rank}" if rank else ""
    return (
        f"In the ONS's figures for the year ending {benchmark.period}, "
        f"{rate_phrase(benchmark, district)}: {compared_phrase(benchmark)}, allowing for "
        f"chance{ranked} ({appendix} compares it in full)."
    )


def change_phrase(change: float | None) -> str:
    """`a fall of 3.2%`, `a rise of 0.5%`, `no change`, or that it cannot be said."""
    if is_undefined(change):
        return "no comparable change"
    if change == 0:
        return "no change"
    return f"a {'rise' if change > 0 else 'fall'} of {format_percent(abs(change))}"


def change_sentence(benchmark: Benchmark, district: str) -> str:
    """The district's change on the year before against its force's and its peers'."""
    row = benchmark.row(DISTRICT)
    others = [
        f"{change_phrase(other['change_pct'])} for {area_name(other)}"
        for other in (benchmark.row(FORCE), benchmark.row(PEER_GROUP))
        if other is not None
    ]
    return (
        f"Against the year ending {benchmark.previous_period}, {district}'s "
        f"{RECORDED_CRIME} saw {change_phrase(row['change_pct'])} "
        f"({format_count(row['offences_previous'])} to {format_count(row['offences'])} crimes), "
        f"against {join_words(others)}."
    )


def introduction(benchmark: Benchmark, district: str) -> str:
    """What this section compares, from where, for which year and population."""
    vintage = f", on the ONS's {benchmark.population_vintage} population estimates" * bool(
        benchmark.population_vintage
    )
    return (
        f"This section compares {district} with other areas, using the ONS's police force area "
        f"data tables for the year ending {benchmark.period} ({benchmark.workbook}): crimes "
        f"recorded by the police in the year, per {PER:,} residents{vintage}. "
        f"{rate_phrase(benchmark, district)}: {compared_phrase(benchmark)}."
    )


def ons_paper(benchmark: Benchmark) -> str:
    """The ONS workbook as a background paper."""
    return (
        "Office for National Statistics, Crime in England and Wales: police force area data "
        f"tables, year ending {benchmark.period} ({benchmark.workbook})."
    )


def why_these_differ(source: str) -> str:
    """Why the ONS's count is not the report's own, and why the two are never compared."""
    return (
        "These figures are the ONS's, and are compared only with the ONS's figures for other "
        "areas, never with the counts in the rest of this report. The ONS counts the crimes each "
        "force recorded and sent to the Home Office for the whole year, placed in a partnership "
        f"by the force, and leaves out fraud; the report's own counts come from "
        f"{OWN_FIGURES.get(source, OWN_FIGURES[POLICE_UK])}. So the two counts of the same "
        "months differ. The ONS's are used here because they are counted the same way for every "
        "partnership in England and Wales."
    )


def method(benchmark: Benchmark) -> str:
    """How the rates, intervals, benchmarks, words and rank are worked out."""
    confidence = f"{CONFIDENCE:.0%}"
    left_out = ""
    if benchmark.unassigned_left_out:
        rows = join_words([f"'{name}'" for name in benchmark.left_out_rows])
        left_out = (
            f" ({format_count(benchmark.unassigned_left_out)} crimes the ONS places in no "
            f"partnership, in its {'row' if len(benchmark.left_out_rows) == 1 else 'rows'} "
            f"{rows}, are left out)"
        )
    return (
        f"Each rate is the ONS's own (its Table C4). Its {confidence} confidence interval, the "
        "range a rate could take by chance alone in a year like this one, is Byar's method on "
        f"the year's count (the exact interval below {EXACT_BELOW} crimes), over the population "
        "the ONS rate implies. The force area is the sum of its partnerships' crimes and "
        f"populations{left_out}; England and Wales is the sum of every partnership; the peer "
        "group is the peers' crimes over their populations together, the district not among "
        f"them. The district's rate is called higher or lower than another area's only where "
        f"that rate lies outside the district's interval; otherwise it is similar."
    )


def peers_paragraph(benchmark: Benchmark, district: str) -> str:
    """Which partnerships are the peers, or how to name them."""
    if not benchmark.has_peers:
        return (
            f"No peer partnerships are named, so {district} is compared with its force area and "
            "England and Wales only. To compare it with the partnerships most like it (its Most "
            "Similar Group, as the force's analyst has it), list their codes under "
            "benchmark.peers in the config."
        )
    peers = sorted(benchmark.table.loc[benchmark.table["area_type"] == PEER, "area"].unique())
    return (
        f"The peer group is the {len(peers)} partnerships the config names as most like "
        f"{district} (its Most Similar Group): {join_words(peers)}."
    )


def groups_left_out(benchmark: Benchmark) -> str:
    """The offence groups not compared, because some partnership has no count for them."""
    if not benchmark.groups_left_out:
        return ""
    groups = join_words([group.lower() for group in benchmark.groups_left_out])
    return (
        f"The ONS's tables give no count for some partnerships for {groups}, so no sum of "
        "partnerships would be whole: those groups are not compared."
    )


def small_numbers(benchmark: Benchmark, threshold: int) -> str:
    """That the rates of offence groups with few crimes vary widely, naming them."""
    district = benchmark.table[benchmark.table["area_type"] == DISTRICT]
    few = district.loc[district["offences"].fillna(0) < threshold, "offence_group"]
    if few.empty:
        return ""
    return (
        f"Rates built on fewer than {threshold} crimes in the year vary widely by chance; read "
        f"{join_words([name.lower() for name in few], most=6)} with their intervals, which are "
        "wide."
    )


def caveat_lines(benchmark: Benchmark) -> list[str]:
    """The ONS's notes that the district, its force or its peers carry, as it words them."""
    return [
        f"ONS note {note.number} ({join_words(list(note.areas))}): {note.text}"
        for note in benchmark.caveats
    ]


def caveats_paragraph(benchmark: Benchmark) -> str:
    """The line before the ONS's notes, or that none apply."""
    if not benchmark.caveats:
        return "The ONS's tables carry no note against the district, its force or its peers."
    return "The ONS's tables carry these notes against the areas compared here:"


def comparison_table(benchmark: Benchmark, district: str) -> pd.DataFrame:
    """Every offence group: the district's crimes, rate and interval; each benchmark's rate and
    what the district is against it; its rank among its peers. Cells as published."""
    table = benchmark.table
    district_rows = table[table["area_type"] == DISTRICT].set_index("offence_group")
    kinds = [kind for kind in BENCHMARK_ORDER if (table["area_type"] == kind).any()]
    others = {kind: table[table["area_type"] == kind].set_index("offence_group") for kind in kinds}
    names = {
        FORCE: str(others[FORCE]["area"].iloc[0]),
        ENGLAND_AND_WALES: "England and Wales",
        PEER_GROUP: "peer group",
    }
    peers = len(table.loc[table["area_type"] == PEER, "area_code"].unique())
    records = []
    for group, row in district_rows.iterrows():
        record = {
            "Offence group": group,
            f"{district} crimes": format_count(row["offences"]),
            f"{district} rate per {PER:,}": format_rate(row["rate"]),
            f"{CONFIDENCE:.0%} interval": interval_text(row),
        }
        for kind in kinds:
            other = others[kind].loc[group]
            record[f"{capitalise(names[kind])} rate"] = format_rate(other["rate"])
            record[f"{district} against {names[kind]}"] = other["district_is"] or UNDEFINED
        if peers:
            rank = row["rank"]
            record[f"Rank of {peers + 1}"] = UNDEFINED if is_undefined(rank) else str(int(rank))
        records.append(record)
    return pd.DataFrame(records)


def interval_text(row: pd.Series) -> str:
    """`50.2 to 52.9`."""
    return f"{format_rate(row['rate_lower'])} to {format_rate(row['rate_upper'])}"


def table_caption(benchmark: Benchmark, district: str, number: int) -> str:
    """The comparison table's caption."""
    return (
        f"Table {number}: {RECORDED_CRIME} per {PER:,} residents by offence group, {district} "
        f"against other areas, year ending {benchmark.period} (ONS)"
    )


# The ranked chart: the district and its peers, total recorded crime.


def ranked_rows(benchmark: Benchmark) -> pd.DataFrame:
    """The district and its peers' total crime rates, highest first."""
    table = benchmark.table
    chosen = table[
        table["area_type"].isin([DISTRICT, PEER]) & (table["offence_group"] == FIRST_GROUP)
    ]
    return chosen.sort_values(["rate", "area"], ascending=[False, True], kind="stable")


def ranked_title(benchmark: Benchmark, district: str) -> str:
    """The chart's message: where the district stands among its peers."""
    return (
        f"{district}'s recorded crime rate was {rank_phrase(benchmark)}, year ending "
        f"{benchmark.period}"
    )


def ranked_alt_text(benchmark: Benchmark, district: str) -> str:
    """What the ranked chart shows, in full, for a reader who cannot see it."""
    rows = ranked_rows(benchmark)
    listed = join_words(
        [
            f"{row['area']} {format_rate(row['rate'])} ({interval_text(row)})"
            for _, row in rows.iterrows()
        ]
    )
    lines = join_words(
        [
            f"{area_name(row)} {format_rate(row['rate'])}"
            for row in (benchmark.row(kind) for kind in BENCHMARK_ORDER)
            if row is not None
        ]
    )
    return (
        f"Dot chart of {RECORDED_CRIME} per {PER:,} residents, year ending {benchmark.period}, "
        f"for {district} and its peers, highest first, each with its {CONFIDENCE:.0%} interval: "
        f"{listed}. Vertical lines mark {lines}. {capitalise(district)} is "
        f"{compared_phrase(benchmark)}."
    )


RANKED_HEADINGS = ("Partnership", "Rate per 1,000", "Interval from", "Interval to", "Rank")


def line_label(row: pd.Series) -> str:
    """A benchmark's line in the chart's legend: `Wealdmoor force area (48.2)`."""
    name = {FORCE: f"{row['area']} force area", PEER_GROUP: "Peer group"}.get(
        row["area_type"], str(row["area"])
    )
    return f"{name} ({format_rate(row['rate'])})"


RANKED_AXIS = f"Crimes per {PER:,} residents"
