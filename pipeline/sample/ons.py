"""The sample's ONS police force area data tables: a workbook in the published layout.

Written from `data/ons.yaml` (four invented forces, the sample's own among them) with the quirks
of the real workbook that `pipeline/sources/ons.py` reads: notes above a header on row 8, header
cells with line breaks that differ from sheet to sheet, sheet and area names with trailing
spaces, `[note N]` in titles and names, a subtotal row for each force, `Unassigned` rows and an
airport's row in no partnership, `[x]`, `[u]` and `[u1]` markers, a partnership of combined
local authorities (listed in Table C1) and England and Wales only in the P table.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import yaml

MODEL_FILE = Path(__file__).parent / "data" / "ons.yaml"
TOTAL = "Total recorded crime (excluding fraud)"
VIOLENCE = "Violence against the person"
THEFT = "Theft offences"
BURGLARY = "Burglary"
RESIDENTIAL = "Residential burglary"
# Every group C2 counts, in its order; a sum's parts follow it.
GROUPS = (
    TOTAL,
    VIOLENCE,
    "Homicide",
    "Death or serious injury caused by illegal driving",
    "Violence with injury",
    "Violence without injury",
    "Stalking and harassment",
    "Sexual offences",
    "Robbery",
    THEFT,
    BURGLARY,
    RESIDENTIAL,
    "Non-residential burglary",
    "Vehicle offences",
    "Theft from the person",
    "Bicycle theft",
    "Shoplifting",
    "All other theft offences",
    "Criminal damage and arson",
    "Drug offences",
    "Possession of weapons offences",
    "Public order offences",
    "Miscellaneous crimes against society",
)
SUMS = {
    VIOLENCE: GROUPS[2:7],
    BURGLARY: (RESIDENTIAL, "Non-residential burglary"),
    THEFT: (BURGLARY, *GROUPS[13:18]),
}
AREA_HEADERS = {  # as each sheet writes them: the published line breaks differ by sheet
    "C2": (
        "Police Force\nArea code",
        "Police Force\nArea name",
        "Community Safety\nPartnership code",
        "Community Safety\nPartnership name",
        "Local Authority code",
        "Local Authority name",
    ),
    "C3": (
        "Police Force\n Area code",
        "Police Force\n Area name",
        "Community Safety\n Partnership code",
        "Community Safety\n Partnership name",
        "Local Authority code",
        "Local Authority name",
    ),
    "C4": (
        "Police Force Area code",
        "Police Force Area name",
        "Community Safety Partnership code",
        "Community Safety Partnership name",
        "Local Authority code",
        "Local Authority name",
    ),
    "C5": (
        "Police Force Area\n code",
        "Police Force Area\n name",
        "Community Safety\n Partnership code",
        "Community Safety\n Partnership name",
        "Local Authority\n code",
        "Local Authority\n name",
    ),
}
SMALL_BASE = 50  # C3 gives no percentage where either count is below this: `[u]`
ENGLAND_AND_WALES = ("K04000001", "England and Wales")


@dataclass(frozen=True)
class Area:
    """One row of the C tables: a partnership, or crimes in no partnership."""

    force: dict
    code: str | None
    name: str
    local_authority: str | None
    current: dict[str, int]
    previous: dict[str, int]
    population: float | None  # unrounded; None for a row in no partnership
    households: float | None
    rates_note: int | None = None  # rates not presented ([u1]), naming this note


def load_model() -> dict:
    """The sample's forces, partnerships, offence mix and notes."""
    return yaml.safe_load(MODEL_FILE.read_text(encoding="utf-8"))


def offence_counts(total: int, shares: np.ndarray, rng: np.random.Generator) -> dict[str, int]:
    """A year's offences by group: the leaf groups drawn around the shares, the sums added."""
    leaves = [group for group in GROUPS if group != TOTAL and group not in SUMS]
    counts = dict(zip(leaves, (int(n) for n in rng.multinomial(total, shares)), strict=True))
    for group in (VIOLENCE, BURGLARY, THEFT):  # burglary before theft, which holds it
        counts[group] = sum(counts[part] for part in SUMS[group])
    counts[TOTAL] = total
    return {group: counts[group] for group in GROUPS}


def build_areas(model: dict) -> list[Area]:
    """Every partnership and row in no partnership, with its two years' counts."""
    rng = np.random.default_rng(model["seed"])
    shares = np.array(list(model["group_shares"].values()), dtype=float)
    shares = shares / shares.sum()
    concentration = model["mix_concentration"]
    areas = []

    def counts(total: int, change: float) -> tuple[dict[str, int], dict[str, int]]:
        mix = rng.dirichlet(shares * concentration)
        before = max(int(round(total / change + rng.normal(0, total**0.5))), 0)
        return offence_counts(total, mix, rng), offence_counts(before, mix, rng)

    for force in model["forces"]:
        for spec in force["partnerships"]:
            current, previous = counts(spec["offences"], spec["change"])
            combined = spec.get("combined")
            areas.append(
                Area(
                    force=force,
                    code=spec["code"],
                    name=spec["name"],
                    local_authority=None if combined else spec["la"],
                    current=current,
                    previous=previous,
                    population=spec["population"] + int(rng.integers(-49, 50)),
                    households=spec["households"] + int(rng.integers(-49, 50)),
                    rates_note=spec.get("rates_not_presented"),
                )
            )
        others = {f"Unassigned {force['name']}": force["unassigned"], **force.get("other_rows", {})}
        for name, total in others.items():
            current, previous = counts(total, 1.0)
            areas.append(Area(force, None, name, None, current, previous, None, None))
    return areas


LOOKUP_HEADER = ["LAD17CD", "LAD17NM", "CSP17CD", "CSP17NM", "PFA17CD", "PFA17NM", "FID"]


def write_sample_csp_lookup(path: Path) -> Path:
    """The sample's local authority to partnership to force area lookup, in the ONS's columns:
    a row per authority, a combined partnership's authorities a row each."""
    rows = []
    for force in load_model()["forces"]:
        for spec in force["partnerships"]:
            authorities = spec.get("combined") or {spec["la"]: spec["name"]}
            for code, name in authorities.items():
                rows.append([code, name, spec["code"], spec["name"], force["code"], force["name"]])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        table = csv.writer(handle)
        table.writerow(LOOKUP_HEADER)
        table.writerows([*row, number] for number, row in enumerate(rows, start=1))
    return path


def write_sample_ons_tables(path: Path) -> Path:
    """Write the sample's ONS workbook to path (replacing it whole) and return the path."""
    model = load_model()
    areas = build_areas(model)
    book = openpyxl.Workbook()
    book.remove(book.active)
    period, before = model["period"], year_before(model["period"])
    cover(book, period)
    pfa_table(book, model, areas, period)
    notes_sheet(book, model["notes"])
    combined_table(book, model)
    counts_table(book, "C2", areas, period, "current", "(current year)", "[note 1][note 2][note 3]")
    change_table(book, areas, before, period)
    rates_table(book, model, areas, period)
    counts_table(
        book, "C5", areas, before, "previous", "(previous year)", "[note 1][note 2][note 3]"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    book.save(partial)
    partial.replace(path)
    return path


def year_before(period: str) -> str:
    """`March 2024` for `March 2025`."""
    month, year = period.rsplit(" ", 1)
    return f"{month} {int(year) - 1}"


def cover(book: openpyxl.Workbook, period: str) -> None:
    """The cover and contents sheets, as the ONS opens the workbook."""
    sheet = book.create_sheet("Cover_sheet")
    sheet.append([f"Police force area data tables - year ending {period}"])
    sheet.append(["Information"])
    sheet.append(
        [
            "SAMPLE DATA: invented by the reporting pipeline for its sample district; not ONS "
            "figures. Its layout follows the ONS's published workbook."
        ]
    )
    contents = book.create_sheet("Table of Contents")
    contents.append(["Table of contents"])
    contents.append(["Table number", "Table title"])
    for number, title in (
        ("Table P1", "Police recorded crime by offence group and police force area"),
        ("Table C1", "List of combined Local Authorities by Community Safety Partnership"),
        ("Table C2", "Number of police recorded crimes by Community Safety Partnership area"),
        ("Table C3", "Percentage change between recorded crimes, by Community Safety Partnership"),
        ("Table C4", "Recorded crime rate per 1,000 population/households, by Community Safety"),
        ("Table C5", "Number of police recorded crimes (previous year)"),
    ):
        contents.append([number, title])


def preamble(sheet, title: str, shorthand: str) -> None:
    """The seven lines above a table's header, as published."""
    for line in (
        title,
        "Police recorded crime statistics are published as official statistics, not accredited "
        "official statistics",
        "This worksheet contains one table. Some cells refer to notes which can be found on the "
        "notes worksheet.",
        shorthand,
        "Link to Notes page",
        "Link to table of contents",
        "Source: Home Office - Police recorded crime ",
    ):
        sheet.append([line])


def pfa_table(book: openpyxl.Workbook, model: dict, areas: list[Area], period: str) -> None:
    """Table P1: each force's offences, and England and Wales's (only this table has them)."""
    sheet = book.create_sheet("Table P1 ")
    preamble(
        sheet,
        "Table P1: Police recorded crime by offence group and police force area, England and "
        f"Wales, number of offences, year ending {period} [note 1][note 2]",
        "Some shorthand is used in this table.  [x] indicates data are unavailable.",
    )
    sheet.append(["Area Code", "Area Name", *(group.replace(" (", "\n (") for group in GROUPS)])
    totals = {group: 0 for group in GROUPS}
    rows = []
    for force in model["forces"]:
        sums = force_sums(force, areas, "current")
        rows.append([force["code"], force["name"], *sums.values()])
        totals = {group: totals[group] + sums[group] for group in GROUPS}
    sheet.append([*ENGLAND_AND_WALES, *totals.values()])
    for row in rows:
        sheet.append(row)


def force_sums(force: dict, areas: list[Area], year: str) -> dict[str, int]:
    """A force's offences by group: its partnerships and its rows in no partnership."""
    mine = [area for area in areas if area.force is force]
    return {group: sum(getattr(area, year)[group] for area in mine) for group in GROUPS}


def notes_sheet(book: openpyxl.Workbook, notes: dict[int, str]) -> None:
    """The CSP notes, one a row below a header (the PFA notes sheet is left empty here)."""
    book.create_sheet("Notes- PFA ").append(["Notes"])
    sheet = book.create_sheet("Notes - CSP")
    sheet.append(["Notes"])
    sheet.append(["This worksheet contains one table. "])
    sheet.append(["Note number", "Note text"])
    for number, text in notes.items():
        sheet.append([int(number), text])


def combined_table(book: openpyxl.Workbook, model: dict) -> None:
    """Table C1: the partnerships that combine local authorities, one authority a row."""
    sheet = book.create_sheet("Table C1")
    sheet.append(["Table C1: List of combined Local Authorities by Community Safety Partnership"])
    sheet.append(["This worksheet contains one table."])
    sheet.append(["Link to table of contents"])
    sheet.append(
        [
            "Police Force Area name",
            "Community Safety Partnership name",
            "Local Authority code",
            "Local Authority name",
        ]
    )
    for force in model["forces"]:
        for spec in force["partnerships"]:
            for index, (code, name) in enumerate(spec.get("combined", {}).items()):
                first = index == 0
                sheet.append(
                    [force["name"] if first else None, spec["name"] if first else None, code, name]
                )


def area_cells(area: Area, sheet: str) -> list:
    """A row's six area cells, with the published quirks: trailing spaces, notes in names."""
    force_name = area.force["name"]
    if area.code == "E22000923":  # one partnership row gives its force's name a trailing space
        force_name += " "
    name = area.name
    if area.rates_note and sheet == "C4":
        name += f"[note {area.rates_note}]"
    if area.code == "W14000903":
        name += " "
    if area.code is None:
        return [area.force["code"], force_name, None, name, None, None]
    authority = area.local_authority or "Combined Local Authorities"
    authority_name = None if area.local_authority is None else area.name
    if area.code == "E22000905":
        authority_name = f"{area.name} "
    return [area.force["code"], force_name, area.code, name, authority, authority_name]


def force_row(force: dict, values: list) -> list:
    """A force's subtotal row: no partnership code, the notes its name carries."""
    notes = "".join(f" [note {number}]" for number in force.get("name_notes", []))
    return [force["code"], f"{force['name']}{notes}", None, None, None, None, *values]


def in_order(areas: list[Area], force: dict) -> list[Area]:
    """A force's rows as published: by name, Unassigned among them."""
    return sorted((area for area in areas if area.force is force), key=lambda area: area.name)


def counts_table(
    book: openpyxl.Workbook,
    table: str,
    areas: list[Area],
    period: str,
    year: str,
    which: str,
    notes: str,
) -> None:
    """Table C2 (the year's offences) or C5 (the year before's)."""
    sheet = book.create_sheet(f"Table {table}")
    preamble(
        sheet,
        f"Table {table}: Number of police recorded crimes for headline offences by Community "
        f"Safety Partnership area, England and Wales {which}, year ending {period} {notes}",
        "Some shorthand is used in this table.  [x] indicates data are unavailable.",
    )
    sheet.append([*AREA_HEADERS[table], *headers(table)])
    for force in forces_of(areas):
        sheet.append(force_row(force, list(force_sums(force, areas, year).values())))
        for area in in_order(areas, force):
            sheet.append([*area_cells(area, table), *getattr(area, year).values()])


def headers(table: str) -> list[str]:
    """The offence groups' header cells, with the line breaks the sheet uses."""
    names = [group.replace(" (", "\n (") for group in GROUPS]
    if table == "C5":
        names[1] = "Violence against\n the person"
        names[3] = "Death or serious\n injury caused by\n illegal driving"
    return names


def forces_of(areas: list[Area]) -> list[dict]:
    """The forces, in the order the model lists them."""
    forces: list[dict] = []
    for area in areas:
        if not any(force is area.force for force in forces):
            forces.append(area.force)
    return forces


def change_table(book: openpyxl.Workbook, areas: list[Area], before: str, period: str) -> None:
    """Table C3: the change on the year before, `[u]` on a small base, `[x]` in no partnership."""
    sheet = book.create_sheet("Table C3")
    preamble(
        sheet,
        "Table C3: Percentage change between recorded crimes for headline offences, by Community "
        f"Safety Partnership area, England and Wales, for year ending {before} and year ending "
        f"{period} [note 1][note 5]",
        "Some shorthand is used in this table. [u] indicates that a number is being suppressed "
        "as the data comes from a small base of less than 50. [x] indicates data are unavailable.",
    )
    sheet.append([*AREA_HEADERS["C3"], *headers("C3")])
    for force in forces_of(areas):
        now, then = force_sums(force, areas, "current"), force_sums(force, areas, "previous")
        sheet.append(force_row(force, [change(now[g], then[g]) for g in GROUPS]))
        for area in in_order(areas, force):
            cells = (
                ["[x]"] * len(GROUPS)
                if area.code is None
                else [change(area.current[g], area.previous[g]) for g in GROUPS]
            )
            sheet.append([*area_cells(area, "C3"), *cells])


def change(current: int, previous: int) -> float | str:
    """A percentage change, or `[u]` where either count is below 50."""
    if current < SMALL_BASE or previous < SMALL_BASE:
        return "[u]"
    return (current - previous) / previous * 100


def rates_table(book: openpyxl.Workbook, model: dict, areas: list[Area], period: str) -> None:
    """Table C4: rates per 1,000 population (residential burglary per 1,000 households too),
    on unrounded populations; the populations rounded to 100."""
    sheet = book.create_sheet("Table C4")
    preamble(
        sheet,
        "Table C4:  Recorded crime rate per 1,000 population/households for headline offences, "
        f"by Community Safety Partnership area, England and Wales, year ending {period} "
        "[note 1][note 6][note 7][note 8]",
        "Some shorthand is used in this table.  [x] indicates data are unavailable. [u1] "
        "indicates rates per 1,000 population are not presented for Harrowmere City owing to "
        "its small resident population",
    )
    groups = []
    for group in headers("C4"):
        if group == RESIDENTIAL:
            groups += [
                f"{RESIDENTIAL} (per 1,000 population)",
                f"{RESIDENTIAL} (per 1,000 household)",
            ]
        else:
            groups.append(group)
    sheet.append(
        [
            *AREA_HEADERS["C4"],
            f"Population figures\n ({model['population_vintage']}) \n- rounded to 100",
            f"Household figures\n ({model['household_vintage']})\n - rounded to 100",
            *groups,
        ]
    )
    for force in forces_of(areas):
        mine = [area for area in areas if area.force is force and area.population is not None]
        people = sum(area.population for area in mine)
        homes = sum(area.households for area in mine)
        counts = force_sums(force, mine, "current")
        sheet.append(
            force_row(force, [rounded(people), rounded(homes), *rates(counts, people, homes)])
        )
        for area in in_order(areas, force):
            if area.population is None:
                cells = ["[x]"] * (len(groups) + 2)
            elif area.rates_note:
                cells = [rounded(area.population), rounded(area.households)]
                cells += ["[u1]"] * len(groups)
            else:
                cells = [rounded(area.population), rounded(area.households)]
                cells += rates(area.current, area.population, area.households)
            sheet.append([*area_cells(area, "C4"), *cells])


def rounded(people: float) -> int:
    """A population as C4 gives it: rounded to 100."""
    return int(round(people, -2))


def rates(counts: dict[str, int], people: float, homes: float) -> list[float]:
    """Each group's rate per 1,000 people, residential burglary per 1,000 households too."""
    cells = []
    for group in GROUPS:
        cells.append(counts[group] * 1000 / people)
        if group == RESIDENTIAL:
            cells.append(counts[group] * 1000 / homes)
    return cells
