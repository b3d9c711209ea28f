"""The police.uk vocabulary (crime types, outcome wordings), kept as data in the package."""

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
