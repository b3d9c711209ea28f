"""How the district compares, in words: the Summary's sentence, the appendix's paragraphs, its
table's headings and cells, and the ranked chart's title, alt text and data table headings.
The figures are `pipeline/benchmark.py`'s; ONS figures are worded here alone, never beside the
report's own counts in one comparison."""

from __future__ import annotations

from math import floor, log10

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
    """A rate per 1,000: one decimal place from 1, two significant figures below it (so a rare
    offence's rate, 0.00022, is not written 0.0); `-` when there is none."""
    if is_undefined(rate):
        return UNDEFINED
    size = abs(float(rate))
    if size == 0:
        return "0"
    places = 1 if size >= 1 else 1 - floor(log10(size))
    return f"{round_half_up(float(rate), places):,}"


def ordinal(number: int) -> str:
    """`1st`, `2nd`, `3rd`, `4th`, `11th`, `22nd`."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10)
    return f"{number}{suffix or 'th'}"


def area_name(row: pd.Series, owner: str = "its") -> str:
    """A benchmark as a sentence names it: `the Wealdmoor force area`, `its peer group`."""
    if row["area_type"] == FORCE:
        return f"the {row['area']} force area"
    if row["area_type"] == PEER_GROUP:
        return f"{owner} peer group"
    return str(row["area"])


def compared_phrase(benchmark: Benchmark, group: str = FIRST_GROUP, owner: str = "its") -> str:
    """`higher than the Wealdmoor force area (48.2) and lower than its peer group (52.3) by more
    than chance would explain, and similar to England and Wales (45.0)`: the benchmarks grouped
    by the word the district's interval gives, what differs first."""
    rows = [benchmark.row(kind, group) for kind in BENCHMARK_ORDER]
    named = {
        word: [
            f"{area_name(row, owner)} ({format_rate(row['rate'])})"
            for row in rows
            if row is not None and row["district_is"] == word
        ]
        for word in WORD_ORDER
    }
    differs = [f"{word} than {join_words(named[word])}" for word in (HIGHER, LOWER) if named[word]]
    similar = f"similar to {join_words(named[SIMILAR])}" if named[SIMILAR] else ""
    if not differs and not similar:
        return "not compared: too few crimes elsewhere to set against"
    if not differs:
        return f"{similar} (within what chance would explain)"
    beyond = f"{' and '.join(differs)} by more than chance would explain"
    return f"{beyond}, and {similar}" if similar else beyond


def rank_phrase(benchmark: Benchmark, district: str, group: str = FIRST_GROUP) -> str:
    """`the second lowest of 7: Ashworth Vale and its 6 peers`, or '' without peers."""
    row = benchmark.row(DISTRICT, group)
    if row is None or is_undefined(row["rank"]):
        return ""
    peers = len(benchmark.rows(PEER, group))
    ranked, rank = peers + 1, int(row["rank"])
    if rank == 1:
        place = "the highest"
    elif rank == ranked:
        place = "the lowest"
    elif rank == ranked - 1:
        place = "the second lowest"
    else:
        place = f"the {ordinal(rank)} highest"
    return f"{place} of {ranked}: {district} and its {'peer' if peers == 1 else f'{peers} peers'}"


def rate_phrase(benchmark: Benchmark, district: str) -> str:
    """`Ashworth Vale had 51.7 recorded crimes (excluding fraud) per 1,000 residents`."""
    rate = format_rate(benchmark.row(DISTRICT)["rate"])
    return f"{district} had {rate} {CRIMES} per {PER:,} residents"


def summary_sentence(benchmark: Benchmark, district: str, appendix: str) -> str:
    """The Summary's sentences: the district's rate, against its benchmarks, and its rank."""
    rank = rank_phrase(benchmark, district)
    ranked = f" Its rate was {rank}." if rank else ""
    return (
        f"In the ONS's figures for the year ending {benchmark.period}, "
        f"{rate_phrase(benchmark, district)}. That is {compared_phrase(benchmark)}.{ranked} "
        f"{appendix} compares it in full."
    )


def change_phrase(change: float | None) -> str:
    """`a fall of 3.2%`, `a rise of 0.5%`, `no change`, or that it cannot be said."""
    if is_undefined(change):
        return "no comparable change"
    if change == 0:
        return "no change"
    return f"a {'rise' if change > 0 else 'fall'} of {format_percent(abs(change))}"


def change_sentence(benchmark: Benchmark, district: str) -> str:
    """The district's change on the year before, and for comparison its force's and peers'."""
    row = benchmark.row(DISTRICT)
    others = [
        f"{change_phrase(other['change_pct'])} in {area_name(other)}"
        for other in (benchmark.row(FORCE), benchmark.row(PEER_GROUP))
        if other is not None
    ]
    return (
        f"Since the year ending {benchmark.previous_period}, {district}'s {RECORDED_CRIME} saw "
        f"{change_phrase(row['change_pct'])} ({format_count(row['offences_previous'])} to "
        f"{format_count(row['offences'])} crimes); over the same years there was "
        f"{join_words(others)}."
    )


def introduction(benchmark: Benchmark, district: str) -> str:
    """What this section compares, from where, for which year and population."""
    vintage = f", on the ONS's {benchmark.population_vintage} population estimates" * bool(
        benchmark.population_vintage
    )
    return (
        f"This section compares {district} with other areas, using the ONS's police force area "
        f"data tables for the year ending {benchmark.period} ({benchmark.workbook}): crimes "
        f"recorded by the police in the year, per {PER:,} residents{vintage}, for each "
        "community safety partnership (a district or unitary council's area, or a few together). "
        f"{rate_phrase(benchmark, district)}. That is {compared_phrase(benchmark)}."
    )


def ons_paper(benchmark: Benchmark) -> str:
    """The ONS workbook as a background paper."""
    return (
        "Office for National Statistics, Crime in England and Wales: police force area data "
        f"tables, year ending {benchmark.period} ({benchmark.workbook}), published at "
        "www.ons.gov.uk."
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
        f"The district's and each peer's rate is the ONS's own (its Table C4). The {confidence} "
        "confidence interval around the district's rate is the range it could take by chance "
        "alone in a year like this one (Byar's method on the year's count, exact below "
        f"{EXACT_BELOW} crimes, over the population the ONS's rate implies). The force area, "
        "England and Wales and the peer group are worked out here from their partnerships: "
        f"the force area is the sum of its partnerships' crimes and populations{left_out}, "
        "England and Wales the sum of every partnership's, and the peer group the peers' "
        "together, the district not among them; so the force area's and England and Wales's "
        "rates differ a little from those the ONS publishes for them, which count every crime "
        "and use the latest populations. The district's rate is called higher or lower than "
        "another area's only where that area's rate lies outside the district's interval, "
        "otherwise similar; and no word is given where the other area's own count is below "
        f"{benchmark.small_base} crimes, too few for its rate to be set against (the table says "
        "'too few')."
    )


def peers_paragraph(benchmark: Benchmark, district: str) -> str:
    """Which partnerships are the peers, or how to name them."""
    if not benchmark.has_peers:
        return (
            f"No peer partnerships are named, so {district} is compared with its force area and "
            "England and Wales only. To compare it with the partnerships most like it (its most "
            "similar group, as the force's analysts have it), list their codes under "
            "benchmark.peers in the config."
        )
    peers = sorted(benchmark.table.loc[benchmark.table["area_type"] == PEER, "area"].unique())
    return (
        f"The peer group is the {len(peers)} partnerships most like {district} (its most "
        f"similar group, as the force's analysts have it): {join_words(peers)}. In the table, "
        f"rank 1 is the highest rate of the {len(peers) + 1}."
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


def caveat_lines(benchmark: Benchmark, table_number: int) -> list[str]:
    """The ONS's notes that the district, its force or its peers carry, as it words them."""
    lines = []
    for note in benchmark.caveats:
        text = note.text if note.text.endswith((".", "!", "?")) else f"{note.text}."
        marked = (
            f" Table {table_number} marks "
            f"{join_words([group.lower() for group in note.groups])} with the note."
            if note.groups
            else ""
        )
        lines.append(f"ONS note {note.number} ({join_words(list(note.areas))}): {text}{marked}")
    return lines


def caveats_paragraph(benchmark: Benchmark) -> str:
    """The line before the ONS's notes, or that none apply."""
    if not benchmark.caveats:
        return "The ONS's tables carry no note against the district, its force or its peers."
    return "The ONS's tables carry these notes against the areas compared here:"


def comparison_table(benchmark: Benchmark, district: str) -> pd.DataFrame:
    """Every offence group: the district's crimes, rate and interval; each benchmark's rate and
    what the district is against it; its rank among its peers. Cells as published; a group an
    ONS note names is marked, and its words left to the note."""
    table = benchmark.table
    district_rows = table[table["area_type"] == DISTRICT].set_index("offence_group")
    kinds = [kind for kind in BENCHMARK_ORDER if (table["area_type"] == kind).any()]
    others = {kind: table[table["area_type"] == kind].set_index("offence_group") for kind in kinds}
    names = {
        FORCE: str(others[FORCE]["area"].iloc[0]),
        ENGLAND_AND_WALES: "England and Wales",
        PEER_GROUP: "peer group",
    }
    noted = {group: note.number for note in benchmark.caveats for group in note.groups}
    peers = len(table.loc[table["area_type"] == PEER, "area_code"].unique())
    records = []
    for group, row in district_rows.iterrows():
        note = noted.get(group)
        record = {
            "Offence group": group if note is None else f"{group} (note {note})",
            "Crimes": format_count(row["offences"]),
            "Rate": format_rate(row["rate"]),
            f"{CONFIDENCE:.0%} interval": interval_text(row),
        }
        for kind in kinds:
            other = others[kind].loc[group]
            record[capitalise(names[kind])] = format_rate(other["rate"])
            word = other["district_is"] or TOO_FEW
            record[f"Against {names[kind]}"] = word if note is None else f"see note {note}"
        if peers:
            rank = row["rank"]
            record[f"Rank of {peers + 1}"] = UNDEFINED if is_undefined(rank) else str(int(rank))
        records.append(record)
    return pd.DataFrame(records)


TOO_FEW = "too few"


def interval_text(row: pd.Series, joiner: str = "\u2060\u2013\u2060") -> str:
    """`50.2–52.9` (an en dash held to its figures by word joiners, so a narrow column does not
    break it; for tables) or `50.2 to 52.9` (for words), or `-` where there is none."""
    if is_undefined(row["rate_lower"]):
        return UNDEFINED
    return f"{format_rate(row['rate_lower'])}{joiner}{format_rate(row['rate_upper'])}"


def table_caption(benchmark: Benchmark, district: str, number: int) -> str:
    """The comparison table's caption."""
    return (
        f"Table {number}: crimes per {PER:,} residents by offence group, {district} and other "
        f"areas, year ending {benchmark.period} (ONS)"
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
        f"{district}'s recorded crime rate was {rank_phrase(benchmark, district)}, year ending "
        f"{benchmark.period}"
    )


def ranked_alt_text(benchmark: Benchmark, district: str) -> str:
    """What the ranked chart shows, in full, for a reader who cannot see it."""
    possessive = f"{district}'s"
    rows = ranked_rows(benchmark)
    listed = join_words(
        [
            f"{row['area']} {format_rate(row['rate'])} ({interval_text(row, ' to ')})"
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
        f"{listed}. Vertical lines mark {lines}. {district} is "
        f"{compared_phrase(benchmark, owner=possessive)}."
    )


RANKED_HEADINGS = (
    "Area",
    f"Rate per {PER:,}",
    f"{CONFIDENCE:.0%} interval, lower",
    f"{CONFIDENCE:.0%} interval, upper",
    "Rank (1 = highest)",
)


def ranked_data(benchmark: Benchmark) -> pd.DataFrame:
    """The chart's table: each partnership drawn, highest first, then each line's area."""
    rows = [
        [
            row["area"],
            format_rate(row["rate"]),
            format_rate(row["rate_lower"]),
            format_rate(row["rate_upper"]),
            str(int(row["rank"])),
        ]
        for _, row in ranked_rows(benchmark).iterrows()
    ]
    rows += [
        [line_name(row), format_rate(row["rate"]), UNDEFINED, UNDEFINED, UNDEFINED]
        for row in (benchmark.row(kind) for kind in BENCHMARK_ORDER)
        if row is not None
    ]
    return pd.DataFrame(rows, columns=list(RANKED_HEADINGS))


def line_name(row: pd.Series) -> str:
    """A benchmark as the chart's legend and table name it: `Wealdmoor force area`."""
    return {FORCE: f"{row['area']} force area", PEER_GROUP: "Peer group"}.get(
        row["area_type"], str(row["area"])
    )


def district_legend(district: str) -> str:
    """The legend's entry for the district's own marker."""
    return f"{district}, with its {CONFIDENCE:.0%} interval"


PEER_LEGEND = f"Peer, with its {CONFIDENCE:.0%} interval"


def line_label(row: pd.Series) -> str:
    """A benchmark's line in the chart's legend: `Wealdmoor force area (48.2)`."""
    return f"{line_name(row)} ({format_rate(row['rate'])})"


RANKED_AXIS = f"Crimes per {PER:,} residents"
