"""The district config: read, check and resolve a YAML file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import ConfigError
from pipeline.paths import DEFAULT_OUTPUT_DIR, DEFAULT_PROCESSED_DIR

PLACEHOLDER = "[to be confirmed]"
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Committee:
    """Details printed on the report's cover; absent ones show a marked placeholder."""

    council: str | None = None
    committee: str | None = None
    meeting_date: date | None = None
    report_author: str | None = None
    portfolio_holder: str | None = None
    recommendations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    """One district's settings, with every path made absolute."""

    path: Path
    district: str
    force: str
    police_uk: Path
    lsoa_name_prefix: str | None
    lsoa_codes: tuple[str, ...]
    output_dir: Path
    processed_dir: Path
    committee: Committee = field(default_factory=Committee)
    accept_missing_months: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        """The district's name for folders, e.g. `ashworth-vale`."""
        return slugify(self.district)

    @property
    def selection(self) -> str:
        """How the district's LSOAs are chosen, in words."""
        if self.lsoa_name_prefix:
            return f"LSOA names beginning '{self.lsoa_name_prefix}'"
        return f"{len(self.lsoa_codes)} listed LSOA codes"


def slugify(text: str) -> str:
    """Lower-case words joined by hyphens, safe in any file system."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "district"


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse a YAML mapping, naming the file and line of a syntax error."""
    if not path.is_file():
        raise ConfigError(path, "file not found.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, f"cannot be read ({error}).") from error
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise ConfigError(path, f"not valid YAML: {problem}.", line) from error
    if not isinstance(data, dict):
        raise ConfigError(path, "must be a mapping of keys to values (e.g. 'district: Name').")
    return data


def _required_text(data: dict[str, Any], key: str, path: Path) -> str:
    """A required non-empty text value."""
    value = data.get(key)
    if value is None or not str(value).strip():
        raise ConfigError(path, f"required key '{key}' is missing or empty.")
    return str(value).strip()


def _optional_text(data: dict[str, Any], key: str) -> str | None:
    """An optional text value, None when absent or blank."""
    value = data.get(key)
    return str(value).strip() if value is not None and str(value).strip() else None


def _resolve(base: Path, value: str | None, default: Path) -> Path:
    """A path from the config, relative to the config's folder, or the default."""
    if value is None:
        return default
    candidate = Path(value).expanduser()
    return (candidate if candidate.is_absolute() else base / candidate).resolve()


def _meeting_date(value: Any, path: Path) -> date | None:
    """The meeting date as a date, from YAML's date or ISO text."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as error:
        raise ConfigError(
            path, f"committee.meeting_date '{value}' is not a date like 2025-10-15."
        ) from error


def _committee(data: Any, path: Path) -> Committee:
    """The committee block, every key optional."""
    if data is None:
        return Committee()
    if not isinstance(data, dict):
        raise ConfigError(path, "'committee' must be a mapping of keys to values.")
    recommendations = data.get("recommendations") or []
    if isinstance(recommendations, str):
        recommendations = [recommendations]
    return Committee(
        council=_optional_text(data, "council"),
        committee=_optional_text(data, "name"),
        meeting_date=_meeting_date(data.get("meeting_date"), path),
        report_author=_optional_text(data, "report_author"),
        portfolio_holder=_optional_text(data, "portfolio_holder"),
        recommendations=tuple(str(item).strip() for item in recommendations if str(item).strip()),
    )


def _inputs(
    data: dict[str, Any], base: Path, path: Path
) -> tuple[Path, str | None, tuple[str, ...]]:
    """The police.uk folder and the district's LSOA selection."""
    inputs = data.get("inputs")
    if not isinstance(inputs, dict):
        raise ConfigError(path, "required key 'inputs' is missing (it names the police.uk folder).")
    folder = _required_text(inputs, "police_uk", path)
    police_uk = _resolve(base, folder, base)
    if not police_uk.is_dir():
        raise ConfigError(path, f"inputs.police_uk folder '{police_uk}' does not exist.")
    prefix = _optional_text(inputs, "lsoa_name_prefix")
    codes = inputs.get("lsoa_codes") or []
    if isinstance(codes, str):
        codes = [codes]
    codes = tuple(str(code).strip() for code in codes if str(code).strip())
    if not prefix and not codes:
        raise ConfigError(
            path, "set inputs.lsoa_name_prefix or inputs.lsoa_codes to choose the district."
        )
    if prefix and codes:
        raise ConfigError(path, "set only one of inputs.lsoa_name_prefix and inputs.lsoa_codes.")
    return police_uk, prefix, codes


def _accepted_months(value: Any, path: Path) -> tuple[str, ...]:
    """Months the config allows to be missing, each checked as `YYYY-MM`."""
    months = value if isinstance(value, list) else ([] if value is None else [value])
    texts = tuple(str(month).strip() for month in months)
    for text in texts:
        if not MONTH.match(text):
            raise ConfigError(path, f"accept_missing_months: '{text}' is not a month like 2024-11.")
    return texts


def load_config(path: Path | str) -> Config:
    """Read and check a district config; relative paths resolve against its folder."""
    path = Path(path).expanduser().resolve()
    data = read_yaml(path)
    base = path.parent
    police_uk, prefix, codes = _inputs(data, base, path)
    accepted = _accepted_months(data.get("accept_missing_months"), path)
    return Config(
        path=path,
        district=_required_text(data, "district", path),
        force=_required_text(data, "force", path),
        police_uk=police_uk,
        lsoa_name_prefix=prefix,
        lsoa_codes=codes,
        output_dir=_resolve(base, _optional_text(data, "output_dir"), DEFAULT_OUTPUT_DIR),
        processed_dir=_resolve(base, _optional_text(data, "processed_dir"), DEFAULT_PROCESSED_DIR),
        committee=_committee(data.get("committee"), path),
        accept_missing_months=accepted,
    )
