"""Vocabularies kept as data: police.uk types and outcomes, the Home Office hierarchy."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from pipeline.paths import PACKAGE_DATA

ALL_CRIME = "All crime"


@dataclass(frozen=True)
class PoliceUkVocabulary:
    """What a police.uk street file may contain."""

    file_header: tuple[str, ...]
    anti_social_behaviour: str
    crime_types: tuple[str, ...]
    outcomes: tuple[str, ...]
    positive_outcomes: frozenset[str]

    @property
    def crime_types_excluding_asb(self) -> tuple[str, ...]:
        """The thirteen crime types that make up `All crime`."""
        return tuple(t for t in self.crime_types if t != self.anti_social_behaviour)


@lru_cache(maxsize=1)
def police_uk() -> PoliceUkVocabulary:
    """The police.uk vocabulary from `pipeline/data/police_uk.yaml`."""
    data = yaml.safe_load((PACKAGE_DATA / "police_uk.yaml").read_text(encoding="utf-8"))
    outcomes = data["outcomes"]
    return PoliceUkVocabulary(
        file_header=tuple(data["file_header"]),
        anti_social_behaviour=data["anti_social_behaviour"],
        crime_types=tuple(data["crime_types"]),
        outcomes=tuple(item["wording"] for item in outcomes),
        positive_outcomes=frozenset(item["wording"] for item in outcomes if item["positive"]),
    )


NO_RISK_ASSESSMENT = "none"
ROW_KINDS = ("asb", "all", "class", "group", "subgroups", "flag")
OVERLAY_FLAGS = ("domestic_abuse", "hate_crime", "racially_religiously_aggravated")


@dataclass(frozen=True)
class PerformanceRow:
    """One row of the Home Office performance table and which crimes it counts."""

    name: str
    section: str
    level: int
    subgroups: frozenset[str] = frozenset()
    flag: str | None = None
    da_risk: str | None = None
    kind: str = "subgroups"  # asb, all, class, group, subgroups or flag: how the row is defined
    spoken: str | None = None

    @property
    def prose_name(self) -> str:
        """The row's name as said mid-sentence: `residential burglary`, `violence with injury`."""
        return self.spoken or self.name.lower()

    @property
    def has_solved(self) -> bool:
        """Whether the row has solved outcomes (every row but anti-social behaviour)."""
        return self.kind != "asb"

    @property
    def has_pct_da(self) -> bool:
        """Whether the row shows its % domestic abuse (not ASB, not the domestic abuse rows)."""
        return self.kind != "asb" and self.flag != "domestic_abuse"


@dataclass(frozen=True)
class HomeOfficeTaxonomy:
    """The Home Office offence hierarchy, outcome types and performance rows."""

    classes: dict[str, tuple[str, ...]]
    groups: dict[str, tuple[str, ...]]
    risk_levels: tuple[str, ...]
    outcome_codes: tuple[str, ...]
    outcome_descriptions: dict[str, str]
    default_positive: tuple[str, ...]
    rows: tuple[PerformanceRow, ...]

    def _row(self, kind: str) -> PerformanceRow:
        """The one row defined in the given way."""
        return next(row for row in self.rows if row.kind == kind)

    @property
    def asb_row(self) -> PerformanceRow:
        """The anti-social behaviour row."""
        return self._row("asb")

    @property
    def all_crime_row(self) -> PerformanceRow:
        """The All Crime row."""
        return self._row("all")

    @property
    def class_rows(self) -> tuple[PerformanceRow, ...]:
        """Victim Based Crime and State Based Crime."""
        return tuple(row for row in self.rows if row.kind == "class")

    @property
    def group_rows(self) -> tuple[PerformanceRow, ...]:
        """The nine offence group rows."""
        return tuple(row for row in self.rows if row.kind == "group")

    @property
    def leaf_rows(self) -> tuple[PerformanceRow, ...]:
        """The most detailed hierarchy rows: each one subgroup."""
        return tuple(
            row
            for row in self.rows
            if row.kind in ("subgroups", "group") and len(row.subgroups) == 1
        )

    @property
    def subgroups(self) -> tuple[str, ...]:
        """Every subgroup, in hierarchy order."""
        return tuple(name for names in self.groups.values() for name in names)

    @property
    def group_of(self) -> dict[str, str]:
        """Each subgroup's offence group."""
        return {sub: group for group, subs in self.groups.items() for sub in subs}

    @property
    def class_of(self) -> dict[str, str]:
        """Each offence group's class (Victim Based Crime or State Based Crime)."""
        return {group: name for name, groups in self.classes.items() for group in groups}


def _row_subgroups(item: dict, classes: dict, groups: dict) -> frozenset[str]:
    """The subgroups a hierarchy row adds up."""
    if item.get("all"):
        return frozenset(sub for subs in groups.values() for sub in subs)
    if "class" in item:
        return frozenset(sub for group in classes[item["class"]] for sub in groups[group])
    if "group" in item:
        return frozenset(groups[item["group"]])
    return frozenset(item.get("subgroups", ()))


def _performance_row(item: dict, classes: dict, groups: dict) -> PerformanceRow:
    """One row definition read from the data file."""
    return PerformanceRow(
        name=item["name"],
        section=item["section"],
        level=int(item["level"]),
        subgroups=_row_subgroups(item, classes, groups),
        flag=item.get("flag"),
        da_risk=item.get("da_risk"),
        kind=next(key for key in ROW_KINDS if key in item),
        spoken=item.get("spoken"),
    )


@lru_cache(maxsize=1)
def home_office() -> HomeOfficeTaxonomy:
    """The Home Office taxonomy from `pipeline/data/home_office.yaml`."""
    data = yaml.safe_load((PACKAGE_DATA / "home_office.yaml").read_text(encoding="utf-8"))
    groups = {
        group: tuple(subs)
        for members in data["classes"].values()
        for group, subs in members.items()
    }
    classes = {name: tuple(members) for name, members in data["classes"].items()}
    outcomes = data["outcomes"]
    return HomeOfficeTaxonomy(
        classes=classes,
        groups=groups,
        risk_levels=tuple(data["risk_levels"]),
        outcome_codes=tuple(str(item["code"]) for item in outcomes),
        outcome_descriptions={str(item["code"]): item["description"] for item in outcomes},
        default_positive=tuple(str(item["code"]) for item in outcomes if item["positive"]),
        rows=tuple(_performance_row(item, classes, groups) for item in data["performance_rows"]),
    )
