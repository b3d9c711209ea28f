"""How the district compares: ONS recorded crime rates per 1,000 people against its force,
England and Wales and its peer partnerships (issue 16's comparison, from the ONS tables alone).

For each offence group, the district's rate is the one ONS's Table C4 publishes; the population
behind it is the one that rate implies (offences x 1,000 / rate: C4's own population column is
rounded to 100), and its 95% interval is Byar's on the count (`rates.rate_interval`). A
benchmark's rate is its partnerships' offences over their populations: the force's partnerships
(its Unassigned row left out), every partnership in England and Wales (so one population
vintage), or the peers (the district not among them). The district is "higher" or "lower" than a
benchmark only where its interval leaves out the benchmark's rate; otherwise "similar". Its rank
is among itself and its peers, 1 the highest rate.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pandas as pd

from pipeline.config import Config, key_error
from pipeline.errors import InputFileError
from pipeline.numbers import SMALL_BASE, percent_change, round_half_up, to_float
from pipeline.rates import PER, rate_interval
from pipeline.sources.ons import FIRST_GROUP, OnsTables, plain, read_ons_tables
from pipeline.text import listed

DISTRICT, FORCE, ENGLAND_AND_WALES, PEER_GROUP, PEER = (
    "district",
    "force",
    "england_and_wales",
    "peer_group",
    "peer",
)
BENCHMARK_COLUMNS = [
    "area_type",
    "area_code",
    "area",
    "offence_group",
    "offences",
    "offences_previous",
    "population",
    "rate",
    "rate_lower",
    "rate_upper",
    "change_pct",
    "district_is",
    "rank",
]
HIGHER, LOWER, SIMILAR = "higher", "lower", "similar"


@dataclass(frozen=True)
class OnsNote:
    """A note of the ONS tables that one or more of the areas compared carry."""

    number: int
    text: str
    areas: tuple[str, ...]  # the names of the areas (forces or partnerships) that carry it
    groups: tuple[str, ...] = ()  # the offence groups its text names (`vehicle offences`)


@dataclass(frozen=True)
class Benchmark:
    """The district's comparison, and what it rests on."""

    period: str  # the ONS year, as its title says: `December 2024`
    previous_period: str  # the year before, as C5's title says: `December 2023`
    population_vintage: str  # the populations' year, as C4 says: `mid-2022`
    workbook: str  # the ONS workbook's file name
    table: pd.DataFrame  # BENCHMARK_COLUMNS, one row per area and offence group
    unassigned_left_out: int  # the force's crimes ONS places in no partnership (all crime)
    left_out_rows: tuple[str, ...] = ()  # the names of the rows holding them
    caveats: tuple[OnsNote, ...] = ()  # the notes the district, its force or peers carry
    groups_left_out: tuple[str, ...] = ()  # offence groups some partnership has no count for
    small_base: int = SMALL_BASE  # no word against an area whose count is below this

    def rows(self, area_type: str, offence_group: str = FIRST_GROUP) -> pd.DataFrame:
        """One kind of area's rows for an offence group."""
        table = self.table
        return table[(table["area_type"] == area_type) & (table["offence_group"] == offence_group)]

    def row(self, area_type: str, offence_group: str = FIRST_GROUP) -> pd.Series | None:
        """The one row of the district, its force, England and Wales or its peer group."""
        chosen = self.rows(area_type, offence_group)
        return None if chosen.empty else chosen.iloc[0]

    @property
    def has_peers(self) -> bool:
        """Whether the config names peers."""
        return bool((self.table["area_type"] == PEER).any())


def implied_populations(partnerships: pd.DataFrame) -> pd.Series:
    """Each partnership's population as its published total rate implies it (offences x 1,000 /
    rate), or C4's rounded population where no rate is published; by partnership code."""
    totals = partnerships[partnerships["offence_group"] == FIRST_GROUP].set_index("csp_code")
    published = totals["rate"].astype("Float64")
    implied = totals["offences"].astype("Float64") * PER / published.where(published > 0)
    return implied.fillna(totals["population"].astype("Float64"))


def area_rows(
    partnerships: pd.DataFrame,
    populations: pd.Series,
    area_type: str,
    area_code: str,
    area: str,
) -> pd.DataFrame:
    """One area (a sum of partnerships) by offence group: offences, population, rate, interval."""
    chosen = partnerships.assign(people=partnerships["csp_code"].map(populations))
    summed = chosen.groupby("offence_group", sort=False).agg(
        offences=("offences", "sum"),
        offences_previous=("offences_previous", "sum"),
    )
    people = float(populations[chosen["csp_code"].unique()].sum())
    rows = []
    for group, counts in summed.iterrows():
        offences, before = int(counts["offences"]), int(counts["offences_previous"])
        # the ONS warns a count can be negative (crimes transferred or cancelled): no interval
        lower, upper = rate_interval(offences, people) if offences >= 0 else (None, None)
        rows.append(
            {
                "area_type": area_type,
                "area_code": area_code,
                "area": area,
                "offence_group": group,
                "offences": offences,
                "offences_previous": before,
                "population": round(people),
                "rate": offences / people * PER,
                "rate_lower": lower,
                "rate_upper": upper,
                "change_pct": to_float(round_half_up(percent_change(before, offences))),
            }
        )
    return pd.DataFrame(rows)


def district_is(row: pd.Series, district: pd.DataFrame, small_base: int = SMALL_BASE) -> str:
    """Where the district's interval lies against this row's rate, for the same offence group;
    no word where this area's own count is below small_base (its rate is itself too unsteady to
    set against: 2 homicides in a peer group), or the district has no interval."""
    mine = district.loc[row["offence_group"]]
    if pd.isna(mine["rate_lower"]) or row["offences"] < small_base:
        return ""
    if mine["rate_lower"] > row["rate"]:
        return HIGHER
    if mine["rate_upper"] < row["rate"]:
        return LOWER
    return SIMILAR


def incomplete_groups(ons: OnsTables) -> tuple[str, ...]:
    """The offence groups some partnership has no count for, this year or the year before
    (`[x]`): left out of the comparison, since no sum of partnerships could be whole."""
    frame = ons.partnerships
    missing = frame["offences"].isna() | frame["offences_previous"].isna()
    return tuple(dict.fromkeys(frame.loc[missing, "offence_group"]))


def check_comparable(ons: OnsTables, csp_code: str, peers: tuple[str, ...]) -> None:
    """Stop where no comparison could be right: a partnership with no total count, or the
    district or a peer with no published rate (the ONS's `[u1]`, for a tiny population)."""
    frame = ons.partnerships
    totals = frame[frame["offence_group"] == FIRST_GROUP]
    lacking = totals[totals["offences"].isna() | totals["offences_previous"].isna()]
    if not lacking.empty:
        raise InputFileError(
            ons.path,
            f"gives no total recorded crime for {listed(list(lacking['csp']))} (this year or "
            "the year before), so no force or England and Wales total would be whole; use an "
            "edition that has them, or remove inputs.ons_tables from the config.",
        )
    unrated = totals[totals["rate"].isna() & totals["csp_code"].isin([csp_code, *peers])]
    for _, row in unrated.iterrows():
        notes = ons.noted.get(str(row["csp_code"]), ())
        said = "".join(
            f" (ONS note {number}: {ons.notes[number]})" for number in notes if number in ons.notes
        )
        whose = "the district's" if row["csp_code"] == csp_code else "a peer's"
        raise InputFileError(
            ons.path,
            f"publishes no crime rate for {row['csp']} ({row['csp_code']}), {whose} "
            f"partnership{said}; "
            + (
                "remove inputs.ons_tables from the config: its rate cannot be compared."
                if row["csp_code"] == csp_code
                else "leave it out of benchmark.peers."
            ),
        )


def compare(
    ons: OnsTables, csp_code: str, peers: tuple[str, ...] = (), small_base: int = SMALL_BASE
) -> Benchmark:
    """The district against its force, England and Wales and (with peers) its peer group."""
    check_comparable(ons, csp_code, peers)
    left_out_groups = incomplete_groups(ons)
    partnerships = ons.partnerships[~ons.partnerships["offence_group"].isin(left_out_groups)]
    populations = implied_populations(partnerships)
    own = partnerships[partnerships["csp_code"] == csp_code]
    first = own.iloc[0]
    force = partnerships[partnerships["force_code"] == first["force_code"]]
    areas = [
        area_rows(own, populations, DISTRICT, csp_code, first["csp"]),
        area_rows(force, populations, FORCE, first["force_code"], first["force"]),
        area_rows(partnerships, populations, ENGLAND_AND_WALES, "", "England and Wales"),
    ]
    peer_rows = partnerships[partnerships["csp_code"].isin(peers)]
    if peers:
        areas.append(area_rows(peer_rows, populations, PEER_GROUP, "", "Peer group"))
        areas += [
            area_rows(rows, populations, PEER, code, rows["csp"].iloc[0])
            for code, rows in peer_rows.groupby("csp_code", sort=True)
        ]
    table = pd.concat(areas, ignore_index=True)
    district = table[table["area_type"] == DISTRICT].set_index("offence_group")
    benchmarks = table["area_type"] != DISTRICT
    table["district_is"] = ""
    table.loc[benchmarks, "district_is"] = table[benchmarks].apply(
        district_is, axis=1, district=district, small_base=small_base
    )
    ranked = table["area_type"].isin([DISTRICT, PEER])
    table["rank"] = pd.NA
    if peers:
        table.loc[ranked, "rank"] = (
            table[ranked].groupby("offence_group")["rate"].rank(ascending=False, method="min")
        )
    # matched by the force's name: some editions give an Unassigned row another force's code
    unassigned = ons.unassigned[
        (ons.unassigned["force"].str.casefold() == first["force"].casefold())
        & (ons.unassigned["offence_group"] == FIRST_GROUP)
    ]
    return Benchmark(
        period=ons.period,
        previous_period=ons.previous_period,
        population_vintage=ons.population_vintage,
        workbook=ons.path.name,
        table=table.reindex(columns=BENCHMARK_COLUMNS).astype(
            {
                "offences": "Int64",
                "offences_previous": "Int64",
                "population": "Int64",
                "rank": "Int64",
            }
        ),
        unassigned_left_out=int(unassigned["offences"].sum()),
        left_out_rows=tuple(unassigned.loc[unassigned["offences"].fillna(0) > 0, "csp"]),
        caveats=caveats(ons, own, peer_rows, list(table["offence_group"].unique())),
        groups_left_out=left_out_groups,
        small_base=small_base,
    )


def caveats(
    ons: OnsTables, own: pd.DataFrame, peer_rows: pd.DataFrame, groups: list[str]
) -> tuple[OnsNote, ...]:
    """The notes the district, its force, the peers or their forces carry in the tables, each
    with the offence groups its text names."""
    compared = pd.concat([own, peer_rows])
    areas = dict(zip(compared["csp_code"], compared["csp"], strict=True))
    areas |= dict(zip(compared["force_code"], compared["force"], strict=True))
    carriers: dict[int, list[str]] = {}
    for code, name in areas.items():
        for number in ons.noted.get(code, ()):
            carriers.setdefault(number, []).append(name)
    return tuple(
        OnsNote(
            number,
            ons.notes[number],
            tuple(sorted(set(names))),
            named_groups(ons.notes[number], groups),
        )
        for number, names in sorted(carriers.items())
        if number in ons.notes
    )


def named_groups(text: str, groups: list[str]) -> tuple[str, ...]:
    """The offence groups a note names, as whole words (`burglary` names Burglary alone)."""
    lowered = text.casefold()
    return tuple(
        group
        for group in groups
        if re.search(rf"(?<![\w-]){re.escape(group.casefold())}(?![\w-])", lowered)
    )


def district_code(ons: OnsTables, config: Config) -> str:
    """The district's partnership in the ONS tables: benchmark.csp_code, else the one whose name
    is the district's (ignoring case), else the one whose name holds it; refused when there is
    none, or more than one, naming them."""
    names = ons.partnerships[["csp_code", "csp"]].drop_duplicates().set_index("csp_code")["csp"]
    code = config.benchmark.csp_code
    if code is not None:
        if code not in names.index:
            raise key_error(
                config.path,
                ("benchmark", "csp_code"),
                f"benchmark.csp_code: '{code}' is not a partnership in {ons.path.name} (its "
                f"tables for the year ending {ons.period}); check the code in its Table C2.",
            )
        return code
    wanted = plain(config.district).casefold()
    exact = names[names.str.casefold() == wanted]
    found = exact if len(exact) else names[names.str.casefold().str.contains(wanted, regex=False)]
    if len(found) == 1:
        return str(found.index[0])
    where = ("district",)
    if len(found) > 1:
        listed = ", ".join(f"{name} ({code})" for code, name in found.items())
        raise key_error(
            config.path,
            where,
            f"district '{config.district}' names more than one partnership in {ons.path.name}: "
            f"{listed}; set benchmark.csp_code to the district's.",
        )
    nearest = difflib.get_close_matches(config.district, list(names), n=3, cutoff=0.6)
    hint = f" (nearest: {', '.join(nearest)})" if nearest else ""
    raise key_error(
        config.path,
        where,
        f"district '{config.district}' is not the name of a partnership in {ons.path.name}"
        f"{hint}; set benchmark.csp_code to the district's code.",
    )


def check_peers(ons: OnsTables, config: Config) -> tuple[str, ...]:
    """benchmark.peers, each of them a partnership in the ONS tables."""
    known = set(ons.partnerships["csp_code"])
    unknown = [code for code in config.benchmark.peers if code not in known]
    if unknown:
        raise key_error(
            config.path,
            ("benchmark", "peers"),
            f"benchmark.peers: {', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not "
            f"a partnership in {ons.path.name} (its tables for the year ending {ons.period}).",
        )
    return config.benchmark.peers


def check_benchmark(config: Config) -> None:
    """Read the config's ONS tables and find the district and its peers in them (as the plan
    does): stop on a workbook of another layout, an unknown code or name, or unknown peers."""
    ons = read_ons_tables(config.ons_tables)
    check_comparable(ons, district_code(ons, config), check_peers(ons, config))


def district_benchmark(config: Config) -> Benchmark | None:
    """The district's comparison from the config's ONS tables, or None where it names none."""
    if config.ons_tables is None:
        return None
    ons = read_ons_tables(config.ons_tables)
    code, peers = district_code(ons, config), check_peers(ons, config)
    return compare(ons, code, peers, config.small_numbers_threshold)
