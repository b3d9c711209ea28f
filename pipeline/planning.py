"""The plan stage: check the parameters, config and inputs, and write the quarter's plan and
its make fragment (`make quarter` runs this first, every time)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict
from pathlib import Path

from pipeline.benchmark import check_benchmark
from pipeline.config import (
    Commentary,
    Config,
    key_error,
    load_commentary,
    load_config,
    quarter_committee,
)
from pipeline.imports import code_of
from pipeline.ingest import (
    check_months,
    choose_financial_year,
    force_street_files,
    processed_folder,
)
from pipeline.numbers import format_date
from pipeline.opcc_return import missing_return_notes, other_year_notes
from pipeline.paths import NOTEBOOKS, PROJECT_ROOT, RAW_DATA
from pipeline.periods import (
    FinancialYear,
    chart_months,
    parse_financial_year,
    parse_quarter,
    required_months,
)
from pipeline.plan import Plan, source_date_epoch
from pipeline.plan_cache import (
    CachedPlan,
    PlanRequest,
    file_system_now,
    published_district,
    remember,
)
from pipeline.run import INGEST_NOTEBOOK, INGEST_RUNNERS, MANIFEST_FILE, progress
from pipeline.sources.police_uk import find_street_files, months_available
from pipeline.sources.tracker import read_tracker_noting_warnings


def quarter_folder(config: Config, year: FinancialYear, quarter: int) -> Path:
    """Where a quarter's published outputs live."""
    return config.output_dir / config.slug / year.name / f"Q{quarter}"


def make_plan(config_path: str, financial_year: str | None, quarter: str) -> Plan:
    """Check the parameters and config, and work out the quarter's paths and inputs."""
    number = parse_quarter(quarter)
    if financial_year:
        parse_financial_year(financial_year)
    config = load_config(config_path)
    year, reason = choose_financial_year(config, number, financial_year)
    progress("plan", reason)
    commentary_path = config.commentary_path(year.name, number)
    commentary = load_commentary(commentary_path)  # a bad file stops the run here
    check_meeting_date(config, commentary, commentary_path, year, number)
    if config.tracker is not None:  # so does a mistake in the tracker; its warnings wait
        read_tracker_noting_warnings(config.tracker)
    if config.ons_tables is not None:  # and a workbook of another layout, an unknown district
        check_benchmark(config)  # or peers
    source_date_epoch()  # so does a SOURCE_DATE_EPOCH that is not a number
    plan = Plan(
        config_path=str(config.path),
        financial_year=year.name,
        quarter=number,
        quarter_dir=str(quarter_folder(config, year, number)),
        processed_dir=str(processed_folder(config, year, number)),
        inputs=input_files(config, year, number),
        commentary=str(config.commentary_path(year.name, number)),
        tracker=tracker_files(config),
        ons_tables=[str(config.ons_tables)] if config.ons_tables is not None else [],
        files_found=street_files_found(config),
        reason=reason,
    )
    check_make_safe(plan, config)
    check_output_places(plan, config)
    return plan


def watched_paths(plan: Plan) -> list[str]:
    """Every file and folder a plan read, for plan_cache: a change to any one plans again.

    Folders are there for what could be added to them: a street file, a commentary, a tracker CSV.
    """
    config = plan.config
    files = [
        plan.config_path,
        *plan.inputs,
        *plan.tracker,
        *plan.ons_tables,
        *plan.files_found,
        plan.commentary,
    ]
    folders = [str(config.commentary_dir)]
    if config.police_uk is not None:
        folders += [root for root, _, _ in os.walk(config.police_uk)]
    if config.tracker is not None:
        folders.append(str(config.tracker))
    return list(dict.fromkeys(files + folders))


def _within(inner: Path, outer: Path) -> bool:
    """Whether inner is outer or a folder inside it."""
    return inner == outer or outer in inner.parents


def input_folders(config: Config) -> list[Path]:
    """The folders read as a whole, which no output may be written into: the project's raw data
    folder, the police.uk folder (searched through) and a tracker folder of CSV files."""
    folders = [RAW_DATA]
    if config.police_uk is not None:
        folders.append(config.police_uk)
    if config.tracker is not None and config.tracker.is_dir():
        folders.append(config.tracker)
    return [folder.resolve() for folder in folders]


def check_output_places(plan: Plan, config: Config) -> None:
    """Refuse outputs that would destroy other outputs or write among the raw inputs."""
    outputs, processed = config.output_dir.resolve(), config.processed_dir.resolve()
    if _within(outputs, processed) or _within(processed, outputs):
        raise key_error(
            config.path,
            ("processed_dir",),
            f"processed_dir ({processed}) and output_dir ({outputs}) must be separate folders, "
            "neither inside the other: building the processed tables would replace published "
            "reports.",
        )
    for place, key in ((outputs, "output_dir"), (processed, "processed_dir")):
        for folder in input_folders(config):
            if _within(place, folder):
                raise key_error(
                    config.path,
                    (key,),
                    f"{key} ({place}) is inside the input folder {folder}; raw inputs are never "
                    "written to, so choose a folder outside it.",
                )
    published = published_district(str(Path(plan.quarter_dir) / MANIFEST_FILE))
    if published is not None and published != config.district:
        raise key_error(
            config.path,
            ("district",),
            f"{plan.quarter_dir} already holds the report of '{published}', whose folder "
            f"name is the same as '{config.district}''s; give one of them a different "
            "output_dir, so neither report replaces the other.",
        )


# Characters make reads as syntax wherever they stand in a file name (a newline would end the
# line and start a recipe of the writer's choosing), and which no escaping makes safe.
MAKE_UNSAFE = re.compile(r"[\x00-\x1f\x7f:;=*?\[\]%\\|]")


PLAN_PATHS = {
    "config_path": ("the config's own path (CONFIG)", None),
    "quarter_dir": ("output_dir", ("output_dir",)),
    "processed_dir": ("processed_dir", ("processed_dir",)),
    "inputs": ("an input file", ("inputs",)),
    "commentary": ("commentary_dir", ("commentary_dir",)),
    "tracker": ("inputs.tracker", ("inputs", "tracker")),
    "ons_tables": ("inputs.ons_tables", ("inputs", "ons_tables")),
    "files_found": ("a file in the inputs.police_uk folder", ("inputs", "police_uk")),
}


def check_make_safe(plan: Plan, config: Config) -> None:
    """Refuse, naming the setting, a path holding a character make would read as syntax."""
    for field_name, (label, keys) in PLAN_PATHS.items():
        value = getattr(plan, field_name)
        for path in value if isinstance(value, list) else [value]:
            found = MAKE_UNSAFE.search(path)
            if found is None:
                continue
            character = found.group()
            shown = repr(character) if not character.isprintable() else f"'{character}'"
            raise key_error(
                config.path,
                keys or (),
                f"{label}: {path!r} holds {shown}, which make would read as part of its own "
                "language, not of a file name; rename the file or folder, or choose another, "
                "without any of : ; = * ? [ ] % | \\ or control characters.",
            )


def input_files(config: Config, year: FinancialYear, quarter: int) -> list[str]:
    """Every raw file the quarter's ingest reads: its police.uk months (those compared, and
    any of the 12 before them the control charts show) and the force extract."""
    months = required_months(year, quarter)
    police = []
    if config.needs_police_uk:
        files = force_street_files(config).files
        # A missing compared month stops the run here, before any notebook starts.
        accepted = config.accept_missing_months
        check_months(months_available(files), months, accepted, config.police_uk)
        charted = set(chart_months(year, quarter))
        police = [str(street.path) for street in files if street.month in charted]
    extract = [str(path) for path in (config.force_crimes, config.force_asb) if path is not None]
    return police + extract


def street_files_found(config: Config) -> list[str]:
    """Every street file in the police.uk folder, read or not: a file added or removed (another
    force's, a second download) changes the plan, so the ingest runs again and says so."""
    if not config.needs_police_uk:
        return []
    return [str(street.path) for street in find_street_files(config.police_uk)]


def tracker_files(config: Config) -> list[str]:
    """The tracker workbook, or the CSV files of a tracker folder."""
    if config.tracker is None:
        return []
    if config.tracker.is_dir():
        return [str(path) for path in sorted(config.tracker.glob("*.csv"))]
    return [str(config.tracker)]


def _make_path(path: str) -> str:
    """A path written so Make reads it as one word."""
    return path.replace("$", "$$").replace("#", r"\#").replace(" ", r"\ ")


PLAN_SUFFIXES = (".mk", ".json", ".stamp", ".report-stamp")  # the files write_plan writes


def plan_and_remember(request: PlanRequest, folder: Path) -> CachedPlan:
    """Plan a request afresh, write the plan into folder, and remember it for plan_cache."""
    started = file_system_now(folder)
    plan = make_plan(request.config, request.financial_year or None, request.quarter)
    fragment = write_plan(plan, folder)
    made = CachedPlan(
        fragment=str(fragment.relative_to(PROJECT_ROOT)),  # make runs in the project
        reason=plan.reason,
        district=plan.config.district,
        manifest=str(Path(plan.quarter_dir) / MANIFEST_FILE),
    )
    outputs = [str(fragment.with_suffix(suffix)) for suffix in PLAN_SUFFIXES]
    remember(request, folder, made, watched_paths(plan), outputs, started)
    return made


def write_plan(plan: Plan, folder: Path) -> Path:
    """Save the plan as JSON and as a Make fragment, named per config; return the fragment."""
    folder.mkdir(parents=True, exist_ok=True)
    config_id = hashlib.sha256(plan.config_path.encode("utf-8")).hexdigest()[:10]
    district = Path(plan.quarter_dir).parent.parent.name
    stem = folder / f"{district}-{plan.financial_year}-Q{plan.quarter}-{config_id}"
    stem.with_suffix(".json").write_text(json.dumps(asdict(plan), indent=2), encoding="utf-8")
    stamp = write_if_changed(stem.with_suffix(".stamp"), plan_identity(plan))
    commentary = Path(plan.commentary) if plan.commentary else None
    has_commentary = commentary is not None and commentary.exists()
    report_stamp = write_if_changed(
        stem.with_suffix(".report-stamp"),
        f"commentary: {plan.commentary if has_commentary else ''}\n"
        f"tracker: {' '.join(plan.tracker)}\n"
        f"ons_tables: {' '.join(plan.ons_tables)}\n",
    )
    lines = [
        f"PLAN_JSON := {_make_path(str(stem.with_suffix('.json')))}",
        f"PLAN_STAMP := {_make_path(str(stamp))}",
        f"REPORT_STAMP := {_make_path(str(report_stamp))}",
        f"QUARTER_DIR := {_make_path(plan.quarter_dir)}",
        f"PROCESSED_DIR := {_make_path(plan.processed_dir)}",
        f"QUARTER_CONFIG := {_make_path(plan.config_path)}",
        "QUARTER_INPUTS := " + " ".join(_make_path(path) for path in plan.inputs),
        "QUARTER_TRACKER := " + " ".join(_make_path(path) for path in plan.tracker),
        "QUARTER_ONS := " + " ".join(_make_path(path) for path in plan.ons_tables),
        "QUARTER_COMMENTARY := " + (_make_path(plan.commentary) if has_commentary else ""),
        "INGEST_CODE := " + " ".join(_make_path(str(path)) for path in ingest_code()),
    ]
    fragment = stem.with_suffix(".mk")
    fragment.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return fragment


def ingest_code() -> list[Path]:
    """The package files the ingest runs: its notebook's imports and the modules that start it."""
    return code_of(NOTEBOOKS / INGEST_NOTEBOOK, INGEST_RUNNERS)


def plan_identity(plan: Plan) -> str:
    """What makes a quarter's ingest differ: the config (path and content) and the input list."""
    config = Path(plan.config_path)
    return json.dumps(
        {
            "config_path": plan.config_path,
            "config_sha256": hashlib.sha256(config.read_bytes()).hexdigest(),
            "inputs": plan.inputs,
            "files_found": plan.files_found,
        },
        indent=2,
    )


def write_if_changed(path: Path, text: str) -> Path:
    """Write text to path only when it differs, so Make sees a change only when there is one."""
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def check_meeting_date(
    config: Config, commentary: Commentary, commentary_path: Path, year: FinancialYear, quarter: int
) -> None:
    """Stop where the quarter's meeting falls before its figures can exist: on or before the
    quarter's last day. The date is the commentary's, else the config's; the message names both
    dates, where the date came from, and where the quarter's own goes."""
    meeting = quarter_committee(config, commentary).committee.meeting_date
    if meeting is None:
        return
    end = year.quarter_end(quarter).end_time.date()
    if meeting > end:
        return
    own = commentary.committee.meeting_date is not None
    source = commentary_path if own else config.path
    advice = (
        "correct it in that file"
        if own
        else f"give the quarter's own under 'committee: meeting_date:' in {commentary_path}"
    )
    raise key_error(
        source,
        ("committee", "meeting_date"),
        f"committee.meeting_date {meeting.isoformat()} ({format_date(meeting)}) is not after "
        f"the end of quarter {quarter} of {year.label} ({format_date(end)}), so the quarter's "
        f"figures cannot be ready for that meeting; {advice}.",
    )


def check_tracker(plan: Plan) -> None:
    """Read the config's tracker, if any: stop on a mistake, print what is odd but usable."""
    tracker_path = plan.config.tracker
    if tracker_path is None:
        return
    tracker, notes = read_tracker_noting_warnings(tracker_path, plan.financial_year, plan.quarter)
    notes += missing_return_notes(tracker, plan.financial_year, plan.quarter)
    notes += other_year_notes(tracker, plan.financial_year)
    for note in notes:
        progress("warning", note)
