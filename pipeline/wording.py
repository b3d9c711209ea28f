"""Words the analyst supplies, by report section: standing text and per-quarter commentary."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import ConfigError
from pipeline.paths import PACKAGE_DATA


def report_title(district: str, year_label: str, quarter: int) -> str:
    """The document's title."""
    return f"{district}: crime and anti-social behaviour, quarter {quarter} {year_label}"


SECTIONS: dict[str, str] = {
    "summary": "Summary",
    "reasons": "Reasons for Recommendations",
    "purpose": "Purpose of Report",
    "background": "Background",
    "details": "Details",
    "implications.corporate_priorities": "Implications: Corporate Priorities",
    "implications.consultation": "Implications: Consultation",
    "implications.financial": "Implications: Financial",
    "implications.legal": "Implications: Legal",
    "implications.environmental": "Implications: Environmental Implications",
    "implications.risk": "Implications: Risk Management",
    "implications.equalities": "Implications: Equalities Impact",
    "implications.data_protection": "Implications: Data Protection",
    "alternative_options": "Alternative Options Considered",
    "background_papers": "Background Papers",
    "crime_data.figures": "Crime data appendix: Performance Tables",
    "crime_data.groups": "Crime data appendix: Offence Groups (force extract only)",
    "crime_data.trends": "Crime data appendix: Monthly Trends",
    "crime_data.mix": "Crime data appendix: Crime Mix",
    "crime_data.areas": "Crime data appendix: Areas",
    "crime_data.benchmark": "Crime data appendix: How the District Compares (with ONS tables)",
    "crime_data.definitions": "Crime data appendix: Data and Definitions",
}
FILL_INS = ("district", "council", "committee")
Paragraphs = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Wording:
    """The report's supplied words: standing text per section, then the quarter's commentary."""

    standing: Paragraphs = field(default_factory=dict)
    commentary: Paragraphs = field(default_factory=dict)

    def paragraphs(self, key: str, package_default: bool = True, **fill_ins: str) -> list[str]:
        """A section's standing paragraphs then its commentary, with `{district}` etc. filled in;
        without package_default, the package's own standing text is left out (where generated
        paragraphs say more, as "There are no risks" would contradict the risks found)."""
        if key not in SECTIONS:
            raise KeyError(f"'{key}' is not a report section")
        standing = self.standing.get(key, ())
        if not package_default and standing == default_standing_text().get(key, ()):
            standing = ()
        texts = [*standing, *self.commentary.get(key, ())]
        return [fill_in(text, fill_ins) for text in texts]


def fill_in(text: str, values: Mapping[str, str]) -> str:
    """Replace `{district}`, `{council}` and `{committee}` in text; leave other braces alone."""
    for name in FILL_INS:
        if name in values:
            text = text.replace("{" + name + "}", values[name])
    return text


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted keys: `{implications: {legal: x}}` as `{implications.legal: x}`."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and name not in SECTIONS:
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def unknown_section_message(where: str, key: str) -> str:
    """The message for a key that names no section, with the nearest known key."""
    nearest = difflib.get_close_matches(key, list(SECTIONS), n=1, cutoff=0.6)
    hint = f"did you mean '{nearest[0]}'?" if nearest else f"known: {', '.join(SECTIONS)}."
    return f"{where}: '{key}' is not a section of the report; {hint}"


def paragraphs_of(value: Any, where: str, key: str, path: Path) -> tuple[str, ...]:
    """One section's paragraphs from a string or a list of strings; blank ones dropped."""
    items = value if isinstance(value, list) else [value]
    texts = []
    for item in items:
        if item is None:
            continue
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            raise ConfigError(
                path, f"{where}.{key}: each paragraph must be text, not {type(item).__name__}."
            )
        texts.append(" ".join(str(item).split()))
    return tuple(text for text in texts if text)


def parse_wording(data: Any, path: Path, where: str) -> Paragraphs:
    """Check a mapping of section keys to paragraphs, as found in a config or commentary file."""
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ConfigError(path, f"'{where}' must be a mapping of report sections to paragraphs.")
    parsed = {}
    for key, value in flatten(data).items():
        if key not in SECTIONS:
            raise ConfigError(path, unknown_section_message(where, key))
        parsed[key] = paragraphs_of(value, where, key, path)
    return parsed


@lru_cache(maxsize=1)
def default_standing_text() -> Paragraphs:
    """The package's standing text, used where a config does not give its own."""
    path = PACKAGE_DATA / "standing_text.yaml"
    return parse_wording(yaml.safe_load(path.read_text(encoding="utf-8")), path, "standing text")


def report_wording(config_wording: Paragraphs, commentary: Paragraphs) -> Wording:
    """Standing text (the config's, else the package's) with the quarter's commentary after it."""
    return Wording({**default_standing_text(), **config_wording}, dict(commentary))
