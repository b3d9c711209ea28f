"""The district config: read, check and resolve a YAML file."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import ConfigError
from pipeline.numbers import SMALL_BASE
from pipeline.paths import DEFAULT_OUTPUT_DIR, DEFAULT_PROCESSED_DIR
from pipeline.taxonomy import home_office
from pipeline.wording import Paragraphs, parse_wording

PLACEHOLDER = "[to be confirmed]"
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
LSOA_NAME = re.compile(r"^(.+?)\s+\d{3}[A-Za-z]$")  # `Amber Valley 001A`: a name and a number
SHORT_MONTH_SHARE = 0.5


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
class Benchmarking:
    """Who the district is compared with in the ONS tables: its partnership code (None: found
    from the district's name) and the codes of its peers (its most similar group)."""

    csp_code: str | None = None
    peers: tuple[str, ...] = ()


CSP_CODE = re.compile(r"^(E22|W14)\d{6}$")


@dataclass(frozen=True)
class Config:
    """One district's settings, with every path made absolute."""

    path: Path
    district: str
    force: str
    police_uk: Path | None
    lsoa_name_prefixes: tuple[str, ...]
    lsoa_codes: tuple[str, ...]
    output_dir: Path
    processed_dir: Path
    committee: Committee = field(default_factory=Committee)
    accept_missing_months: tuple[str, ...] = ()
    accept_short_months: tuple[str, ...] = ()
    short_month_share: float = SHORT_MONTH_SHARE
    force_crimes: Path | None = None
    force_asb: Path | None = None
    tracker: Path | None = None
    ons_tables: Path | None = None  # the ONS police force area data tables, for the comparison
    police_uk_store: Path | None = None  # the force's files read once by `make force`
    benchmark: Benchmarking = field(default_factory=lambda: Benchmarking())
    positive_outcomes: tuple[str, ...] = field(
        default_factory=lambda: home_office().default_positive
    )
    small_numbers_threshold: int = SMALL_BASE
    wording: Paragraphs = field(default_factory=dict)
    commentary_dir: Path = Path("commentary")

    def stem(self, financial_year: str, quarter: int) -> str:
        """A quarter's file name stem, e.g. `ashworth-vale-2025-26-Q2`."""
        return f"{self.slug}-{financial_year}-Q{quarter}"

    def commentary_path(self, financial_year: str, quarter: int) -> Path:
        """The analyst's commentary file for one quarter (it need not exist)."""
        return self.commentary_dir / f"{self.stem(financial_year, quarter)}.yaml"

    @property
    def uses_force_extract(self) -> bool:
        """Whether the crime figures come from a force extract rather than police.uk."""
        return self.force_crimes is not None

    @property
    def needs_police_uk(self) -> bool:
        """Whether any figure comes from the police.uk files."""
        return self.police_uk is not None and (self.force_crimes is None or self.force_asb is None)

    @property
    def slug(self) -> str:
        """The district's name for folders, e.g. `ashworth-vale`."""
        return slugify(self.district)

    @property
    def example_lsoa_name(self) -> str:
        """An LSOA name the selection takes, e.g. `Ashworth Vale 001A`."""
        return f"{self.lsoa_name_prefixes[0]} 001A" if self.lsoa_name_prefixes else ""

    @property
    def selection(self) -> str:
        """How the district's LSOAs are chosen, in words."""
        if self.lsoa_name_prefixes:
            names = " or ".join(f"'{prefix}'" for prefix in self.lsoa_name_prefixes)
            return f"the LSOAs named {names} and a number (such as '{self.example_lsoa_name}')"
        if self.lsoa_codes:
            return f"{len(self.lsoa_codes)} listed LSOA codes"
        return "the force extract (already the district's own)"


MAX_SLUG = 60  # a folder name; every file system takes 255 bytes, and paths stay readable


def slugify(text: str) -> str:
    """Lower-case words joined by hyphens, safe in any file system; accents dropped (Môn: mon).

    Empty when the text has no Latin letters or digits. A slug longer than MAX_SLUG is cut, with
    a short hash of the whole so that two long names never share a folder.
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    if len(slug) <= MAX_SLUG:
        return slug
    digest = hashlib.sha256(slug.encode("ascii")).hexdigest()[:8]
    return f"{slug[: MAX_SLUG - 9].rstrip('-')}-{digest}"


ALIAS_PROBLEM = "an alias (*name) repeats a value written elsewhere, which a config may not do"
MAX_YAML_BYTES = 1_000_000  # a config or commentary file is a few KB; a larger one is a mistake


class NoAliasLoader(yaml.SafeLoader):
    """YAML's safe loader without aliases (`*name`), so a tiny file cannot expand to gigabytes
    (the "billion laughs"); a config never needs them."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        """Refuse an alias where one stands, naming its place; compose anything else."""
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                ALIAS_PROBLEM,
                event.start_mark,
            )
        return super().compose_node(parent, index)


def key_line(path: Path, keys: tuple[str | int, ...]) -> int | None:
    """The line (from 1) where a key, or an item of a list (an int), is written in a YAML file."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=NoAliasLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    mark = None
    for key in keys:
        if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            mark = node.start_mark
        elif isinstance(node, yaml.MappingNode):
            pair = next(((name, value) for name, value in node.value if name.value == key), None)
            if pair is None:
                break
            mark, node = pair[0].start_mark, pair[1]
        else:
            break
    return None if mark is None else mark.line + 1


def key_error(path: Path, keys: tuple[str | int, ...], problem: str) -> ConfigError:
    """A ConfigError naming the line where the key (or list item) at fault is written."""
    return ConfigError(path, problem, key_line(path, keys))


YAML_HINTS = {
    "mapping values are not allowed here": "put a value that contains ': ' in quotes",
    "could not find expected ':'": "write each setting as 'key: value'",
    "found character '\\t' that cannot start any token": "indent with spaces, not tabs",
    ALIAS_PROBLEM: "write the value out in full where it is needed",
}


def _yaml_problem(error: yaml.YAMLError) -> str:
    """A YAML syntax error in words: what is wrong, at which column, and a hint if one fits."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or "not valid YAML"
    column = f" at column {mark.column + 1}" if mark else ""
    hint = YAML_HINTS.get(problem)
    what = "refused" if problem == ALIAS_PROBLEM else "not valid YAML"
    return f"{what}{column}: {problem}" + (f"; {hint}" if hint else "") + "."


def _scalars(node: yaml.Node) -> Iterator[yaml.ScalarNode]:
    """Every scalar value and key under a YAML node, in the order they are written."""
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(key)
            yield from _scalars(value)


def _impossible_date(path: Path, text: str) -> ConfigError:
    """The error for an unquoted YYYY-MM-DD value that YAML reads as a date but no day has."""
    for node in _scalars(yaml.compose(text, Loader=NoAliasLoader)):
        if node.tag != "tag:yaml.org,2002:timestamp":
            continue
        try:
            yaml.safe_load(node.value)
        except ValueError:
            return ConfigError(
                path,
                f"'{node.value}' is not a real date; expected a date written as YYYY-MM-DD, "
                "such as 2025-10-15.",
                node.start_mark.line + 1,
            )
    return ConfigError(path, "a value is not a real date; expected dates written as YYYY-MM-DD.")


def read_yaml(path: Path, empty_ok: bool = False) -> dict[str, Any]:
    """Parse a YAML mapping, naming the file and line of a syntax error."""
    if not path.is_file():
        problem = "is a folder, not a file" if path.is_dir() else "file not found"
        raise ConfigError(path, f"{problem}; check the file's name and folder.")
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        raise ConfigError(
            path,
            f"the file is {size:,} bytes, over the {MAX_YAML_BYTES:,}-byte limit for a config or "
            "commentary file (a real one is a few thousand); check it is the right file.",
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, f"cannot be read ({error}).") from error
    try:
        data = yaml.load(text, Loader=NoAliasLoader)  # a safe loader, with aliases refused
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise ConfigError(path, _yaml_problem(error), line) from error
    except ValueError as error:  # PyYAML fails so on an unquoted date that does not exist
        raise _impossible_date(path, text) from error
    if data is None and empty_ok:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(path, "must be a mapping of keys to values (e.g. 'district: Name').")
    return data


def _required_text(data: dict[str, Any], key: str, path: Path) -> str:
    """A required non-empty text value."""
    value = data.get(key)
    if value is None or not str(value).strip():
        raise key_error(path, (key,), f"required key '{key}' is missing or empty.")
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
        raise key_error(
            path,
            ("committee", "meeting_date"),
            f"committee.meeting_date '{value}' is not a date like 2025-10-15.",
        ) from error


def _committee(data: Any, path: Path) -> Committee:
    """The committee block, every key optional."""
    if data is None:
        return Committee()
    if not isinstance(data, dict):
        raise key_error(path, ("committee",), "'committee' must be a mapping of keys to values.")
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


@dataclass(frozen=True)
class Inputs:
    """Where a config's data comes from and how its district is chosen."""

    police_uk: Path | None
    lsoa_name_prefixes: tuple[str, ...]
    lsoa_codes: tuple[str, ...]
    force_crimes: Path | None
    force_asb: Path | None
    tracker: Path | None = None
    ons_tables: Path | None = None
    police_uk_store: Path | None = None


def _benchmarking(value: Any, path: Path) -> Benchmarking:
    """The `benchmark` settings: the district's partnership code and its peers', each checked
    to be an ONS Community Safety Partnership code (E22 or W14 and six digits)."""
    if value is None:
        return Benchmarking()
    if not isinstance(value, dict):
        raise key_error(
            path, ("benchmark",), "benchmark must be a mapping (csp_code, peers), not a value."
        )
    code = _optional_text(value, "csp_code")
    peers = value.get("peers")
    items = peers if isinstance(peers, list) else ([] if peers is None else [peers])
    texts = [str(item).strip() for item in items]
    for keys, text in [(("benchmark", "csp_code"), code)] + [
        (("benchmark", "peers", index) if isinstance(peers, list) else ("benchmark", "peers"), t)
        for index, t in enumerate(texts)
    ]:
        if text is not None and not CSP_CODE.match(text):
            raise key_error(
                path,
                keys,
                f"{'.'.join(str(key) for key in keys[:2])}: '{text}' is not a Community Safety "
                "Partnership code: E22 (England) or W14 (Wales) and six digits, as the ONS tables "
                "write them (such as E22000350).",
            )
    if code is not None and code in texts:
        raise key_error(
            path, ("benchmark", "peers"), f"benchmark.peers lists the district's own {code}."
        )
    return Benchmarking(code, tuple(dict.fromkeys(texts)))


def _tracker(inputs: dict[str, Any], base: Path, path: Path) -> Path | None:
    """The CSP manager's tracker: a workbook, or a folder of its three CSV files, if named."""
    value = _optional_text(inputs, "tracker")
    if value is None:
        return None
    tracker = _resolve(base, value, base)
    if not tracker.exists():
        raise key_error(
            path,
            ("inputs", "tracker"),
            f"inputs.tracker '{tracker}' does not exist; name the tracker workbook (.xlsx) or a "
            "folder of its CSV files (`make tracker-template` writes an empty workbook).",
        )
    return tracker


def _input_file(inputs: dict[str, Any], key: str, base: Path, path: Path) -> Path | None:
    """An optional input file named in the config, which must exist."""
    value = _optional_text(inputs, key)
    if value is None:
        return None
    file = _resolve(base, value, base)
    if not file.is_file():
        raise key_error(
            path,
            ("inputs", key),
            f"inputs.{key} file '{file}' does not exist; check the name, and that a relative "
            "path starts from the config's own folder.",
        )
    return file


def _text_list(value: Any) -> tuple[str, ...]:
    """A value that may be one text or a list of them, as non-empty stripped texts."""
    items = value if isinstance(value, list) else ([] if value is None else [value])
    return tuple(str(item).strip() for item in items if str(item).strip())


def _selection(inputs: dict[str, Any], path: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The district's local authority names (LSOA name prefixes) or LSOA codes, not both."""
    prefixes = _text_list(inputs.get("lsoa_name_prefix"))
    codes = _text_list(inputs.get("lsoa_codes"))
    if prefixes and codes:
        raise key_error(
            path,
            ("inputs", "lsoa_codes"),
            "set only one of inputs.lsoa_name_prefix and inputs.lsoa_codes.",
        )
    for index, prefix in enumerate(prefixes):
        if LSOA_NAME.match(prefix):
            raise key_error(
                path,
                ("inputs", "lsoa_name_prefix", index)
                if len(prefixes) > 1
                else ("inputs", "lsoa_name_prefix"),
                f"inputs.lsoa_name_prefix: '{prefix}' is a whole LSOA name; give the local "
                f"authority's name alone ('{LSOA_NAME.match(prefix).group(1)}'), or list LSOAs "
                "under inputs.lsoa_codes.",
            )
    return prefixes, codes


def _inputs(data: dict[str, Any], base: Path, path: Path) -> Inputs:
    """The police.uk folder, the force extract files and the district's LSOA selection."""
    inputs = data.get("inputs")
    if not isinstance(inputs, dict):
        raise key_error(
            path,
            ("inputs",),
            "required key 'inputs' is missing or not a mapping of keys to values (it names "
            "the police.uk folder or force extract).",
        )
    force_crimes = _input_file(inputs, "force_crimes", base, path)
    force_asb = _input_file(inputs, "force_asb", base, path)
    folder = _optional_text(inputs, "police_uk")
    if folder is None and force_crimes is None:
        raise key_error(
            path,
            ("inputs",),
            "set inputs.police_uk (a folder of police.uk files) or inputs.force_crimes.",
        )
    if force_asb is not None and force_crimes is None:
        raise key_error(
            path, ("inputs", "force_asb"), "inputs.force_asb needs inputs.force_crimes beside it."
        )
    police_uk = None if folder is None else _resolve(base, folder, base)
    if police_uk is not None and not police_uk.is_dir():
        raise key_error(
            path,
            ("inputs", "police_uk"),
            f"inputs.police_uk folder '{police_uk}' does not exist; check the name, and that a "
            "relative path starts from the config's own folder.",
        )
    if force_crimes is not None and force_asb is None and police_uk is None:
        raise key_error(
            path,
            ("inputs", "force_crimes"),
            "with inputs.force_crimes, set inputs.force_asb or inputs.police_uk for the "
            "anti-social behaviour figures.",
        )
    prefixes, codes = _selection(inputs, path)
    if police_uk is not None and not prefixes and not codes:
        raise key_error(
            path,
            ("inputs", "police_uk"),
            "set inputs.lsoa_name_prefix or inputs.lsoa_codes to choose the district.",
        )
    return Inputs(
        police_uk,
        prefixes,
        codes,
        force_crimes,
        force_asb,
        _tracker(inputs, base, path),
        _input_file(inputs, "ons_tables", base, path),
        _police_uk_store(inputs, base, path, police_uk),
    )


def _police_uk_store(
    inputs: dict[str, Any], base: Path, path: Path, police_uk: Path | None
) -> Path | None:
    """The shared store of the police.uk files `make force` read once (it writes this key)."""
    value = _optional_text(inputs, "police_uk_store")
    if value is None:
        return None
    if police_uk is None:
        raise key_error(
            path,
            ("inputs", "police_uk_store"),
            "inputs.police_uk_store needs inputs.police_uk beside it: the folder it was read from.",
        )
    return _resolve(base, value, base)


def _positive_outcomes(value: Any, path: Path) -> tuple[str, ...]:
    """The Home Office outcome codes counted as solved, checked against the known codes."""
    if value is None:
        return home_office().default_positive
    items = value if isinstance(value, list) else [value]
    known = {code.casefold(): code for code in home_office().outcome_codes}
    codes = []
    for index, item in enumerate(items):
        code = known.get(str(item).strip().casefold())
        if code is None:
            raise key_error(
                path,
                ("positive_outcomes", index),
                f"positive_outcomes: '{item}' is not a Home Office outcome type "
                f"(known: {', '.join(home_office().outcome_codes)}).",
            )
        codes.append(code)
    if not codes:
        raise key_error(
            path,
            ("positive_outcomes",),
            "positive_outcomes is empty: list at least one outcome type.",
        )
    return tuple(dict.fromkeys(codes))


def _small_numbers_threshold(value: Any, path: Path) -> int:
    """The count below which the words give no percentage change, only the counts."""
    if value is None:
        return SMALL_BASE
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise key_error(
            path,
            ("small_numbers_threshold",),
            f"small_numbers_threshold: '{value}' is not a whole number of 1 or more.",
        )
    return value


def _accepted_months(value: Any, path: Path, key: str) -> tuple[str, ...]:
    """Months the config accepts as missing or short, each checked as `YYYY-MM`."""
    months = value if isinstance(value, list) else ([] if value is None else [value])
    texts = tuple(str(month).strip() for month in months)
    for index, text in enumerate(texts):
        if not MONTH.match(text):
            raise key_error(
                path,
                (key, index) if isinstance(value, list) else (key,),
                f"{key}: '{text}' is not a month like 2024-11 "
                "(a year, a hyphen and a month from 01 to 12).",
            )
    return texts


def _short_month_share(value: Any, path: Path) -> float:
    """The share of the median month below which a month's rows make it short."""
    if value is None:
        return SHORT_MONTH_SHARE
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        raise key_error(
            path,
            ("short_month_share",),
            f"short_month_share: '{value}' is not a share between 0 and 1, such as 0.5 (a month "
            "with under half the median month's rows stops the run).",
        )
    return float(value)


def load_config(path: Path | str) -> Config:
    """Read and check a district config; relative paths resolve against its folder."""
    path = Path(path).expanduser().resolve()
    data = read_yaml(path)
    base = path.parent
    inputs = _inputs(data, base, path)
    district = _required_text(data, "district", path)
    if not slugify(district):
        raise key_error(
            path,
            ("district",),
            f"district '{district}' has no Latin letters or digits to name its output folder "
            "with; write the name with them (a Welsh or English form will do).",
        )
    return Config(
        path=path,
        district=district,
        force=_required_text(data, "force", path),
        police_uk=inputs.police_uk,
        lsoa_name_prefixes=inputs.lsoa_name_prefixes,
        lsoa_codes=inputs.lsoa_codes,
        output_dir=_resolve(base, _optional_text(data, "output_dir"), DEFAULT_OUTPUT_DIR),
        processed_dir=_resolve(base, _optional_text(data, "processed_dir"), DEFAULT_PROCESSED_DIR),
        committee=_committee(data.get("committee"), path),
        accept_missing_months=_accepted_months(
            data.get("accept_missing_months"), path, "accept_missing_months"
        ),
        accept_short_months=_accepted_months(
            data.get("accept_short_months"), path, "accept_short_months"
        ),
        short_month_share=_short_month_share(data.get("short_month_share"), path),
        force_crimes=inputs.force_crimes,
        force_asb=inputs.force_asb,
        tracker=inputs.tracker,
        ons_tables=inputs.ons_tables,
        police_uk_store=inputs.police_uk_store,
        benchmark=_benchmarking(data.get("benchmark"), path),
        positive_outcomes=_positive_outcomes(data.get("positive_outcomes"), path),
        small_numbers_threshold=_small_numbers_threshold(data.get("small_numbers_threshold"), path),
        wording=parse_wording(data.get("wording"), path, "wording"),
        commentary_dir=_resolve(base, _optional_text(data, "commentary_dir") or "commentary", base),
    )


@dataclass(frozen=True)
class Commentary:
    """A quarter's commentary file: the analyst's words by section, and under its reserved
    `committee:` key the details of that quarter's meeting (a detail not given is None or, for
    the recommendations, empty: the config's is used)."""

    words: Paragraphs = field(default_factory=dict)
    committee: Committee = field(default_factory=Committee)


def load_commentary(path: Path) -> Commentary:
    """The analyst's commentary for a quarter, or none when the file does not exist or is empty."""
    if not path.exists():
        return Commentary()
    data = read_yaml(path, empty_ok=True)
    if not isinstance(data, dict):
        return Commentary(parse_wording(data, path, "commentary"))
    words = {key: value for key, value in data.items() if key != "committee"}
    return Commentary(
        parse_wording(words, path, "commentary"), _committee(data.get("committee"), path)
    )


def quarter_committee(config: Config, commentary: Commentary) -> Config:
    """The config with the quarter's own committee details in place of its defaults."""
    given, default = commentary.committee, config.committee
    merged = {
        name: getattr(given, name) or getattr(default, name)
        for name in Committee.__dataclass_fields__
    }
    return replace(config, committee=Committee(**merged))
