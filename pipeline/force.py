"""A force's quarter for every one of its partnerships, from one force config.

The force config names the force, its police.uk folder and the ONS lookup from local authority
to Community Safety Partnership to police force area; the partnerships come from the lookup,
each with the LSOA names of its authorities. Per-partnership settings (committee, tracker,
peers, words) sit in one optional file, each overriding the force config; a quarter's
commentary file overrides both, as in a single partnership's run.

Each partnership gets a district config written from these (only rewritten when it changes, so
an unchanged partnership is not rebuilt) and is built by the single-partnership pipeline,
`make quarter`, as a Dask task: on a local cluster of two worker processes, or on the cluster at
SCHEDULER (`tcp://host:8786`) whose workers share the project's folders. A task whose worker
dies is run again; one partnership's failure does not stop the others and is reported at the
end with its `Error:` line. An index page then links every partnership's paper with its
headline figures.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import os
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from pipeline.config import read_yaml, slugify
from pipeline.errors import ConfigError, NotebookError, PipelineError
from pipeline.numbers import format_count, format_one_decimal
from pipeline.paths import (
    DEFAULT_OUTPUT_DIR,
    DEFAULT_PROCESSED_DIR,
    PLANS_FOLDER,
    PROJECT_ROOT,
    project_path,
)
from pipeline.pdf_worker import end_kept_worker
from pipeline.quiet_kernel import close_kept_kernels
from pipeline.sources import police_uk_store
from pipeline.sources.csp_lookup import (
    LsoaMatch,
    Partnership,
    force_partnerships,
    lookup_forces,
    match_lsoa_names,
    read_lookup,
    unmatched_by_authority,
)
from pipeline.sources.ons import FIRST_GROUP

if TYPE_CHECKING:
    from pipeline.financial_year import FinancialYear

FORCE_KEYS = ("csp_lookup", "partnerships")  # a force config's own keys, not a district's
PATH_INPUTS = ("police_uk", "force_crimes", "force_asb", "tracker", "ons_tables", "csp_lookup")
PATH_KEYS = ("output_dir", "processed_dir", "commentary_dir")
WORKERS = 2  # partnerships built at once: this machine's cores (each run uses one or two)


class ForceRunError(PipelineError):
    """Some partnerships of a force run failed; the others were built."""


@dataclass(frozen=True)
class ForceConfig:
    """A force config, read: its path, the district settings every partnership shares (paths
    made absolute), the lookup and the per-partnership settings file's contents."""

    path: Path
    force: str
    shared: dict[str, Any]
    lookup: Path
    police_uk: Path
    per_partnership: dict[str, dict[str, Any]]
    processed_dir: Path


def absolute(value: Any, base: Path) -> Any:
    """A path setting made absolute against the folder of the file that gave it."""
    if value is None or value == "":
        return value
    return str((base / Path(str(value)).expanduser()).resolve())


def with_absolute_paths(data: dict[str, Any], base: Path) -> dict[str, Any]:
    """A config mapping whose path settings are absolute, so it reads the same from anywhere."""
    fixed = dict(data)
    if isinstance(fixed.get("inputs"), dict):  # anything else is refused by the caller
        inputs = dict(fixed["inputs"])
        for key in PATH_INPUTS:
            if key in inputs:
                inputs[key] = absolute(inputs[key], base)
        fixed["inputs"] = inputs
    for key in PATH_KEYS:
        if key in fixed:
            fixed[key] = absolute(fixed[key], base)
    return fixed


def merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """base with override's keys, mappings merged key by key (a partnership's `inputs:` adds to
    the force's), other values replaced."""
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def read_force_config(path: Path) -> ForceConfig:
    """Read and check a force config: `force`, `inputs.police_uk` and `inputs.csp_lookup` are
    required; `partnerships` may name the per-partnership settings file."""
    path = Path(path).expanduser().resolve()
    data = with_absolute_paths(read_yaml(path), path.parent)
    if "district" in data:
        raise ConfigError(
            path,
            "a force config names no district: its partnerships come from inputs.csp_lookup. "
            "Give a partnership's own settings in the partnerships file instead.",
        )
    force = data.get("force")
    inputs = data.get("inputs") or {}
    if not isinstance(inputs, dict):
        raise ConfigError(path, "inputs: must be a mapping (police_uk:, csp_lookup:, ...).")
    if data.get("partnerships") is not None and not isinstance(data["partnerships"], str):
        raise ConfigError(path, "partnerships: must name the per-partnership settings file.")
    missing = [
        key
        for key, value in (
            ("force", force),
            ("inputs.police_uk", inputs.get("police_uk")),
            ("inputs.csp_lookup", inputs.get("csp_lookup")),
        )
        if not value
    ]
    if missing:
        raise ConfigError(
            path,
            f"a force config needs {', '.join(missing)} (the force as its files' Falls within "
            "writes it, the police.uk folder, and the ONS lookup CSV from local authority to "
            "Community Safety Partnership to police force area).",
        )
    settings_file = data.get("partnerships")
    per_partnership = {} if not settings_file else read_partnership_settings(path, settings_file)
    shared = {key: value for key, value in data.items() if key not in FORCE_KEYS}
    shared["inputs"] = {key: value for key, value in inputs.items() if key not in FORCE_KEYS}
    return ForceConfig(
        path=path,
        force=str(force),
        shared=shared,
        lookup=Path(inputs["csp_lookup"]),
        police_uk=Path(inputs["police_uk"]),
        per_partnership=per_partnership,
        processed_dir=Path(data.get("processed_dir") or DEFAULT_PROCESSED_DIR),
    )


def read_partnership_settings(config: Path, name: str) -> dict[str, dict[str, Any]]:
    """The per-partnership settings file: each partnership's name (or ONS code) and the district
    settings it overrides, every one optional; paths relative to the file's folder."""
    path = (config.parent / name).resolve()
    data = read_yaml(path, empty_ok=True)
    settings = {}
    for key, value in data.items():
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise ConfigError(
                path, f"'{key}' must be a mapping of settings (committee:, inputs:, ...)."
            )
        settings[str(key)] = with_absolute_paths(value, path.parent)
    return settings


def partnerships_of(force: ForceConfig) -> list[Partnership]:
    """The force's partnerships in its lookup; none is an error naming the lookup's forces."""
    everything = read_lookup(force.lookup)
    found = force_partnerships(everything, force.force)
    if not found:
        raise ConfigError(
            force.path,
            f"the lookup {project_path(force.lookup)} has no partnership in a force area named "
            f"like '{force.force}'; its force areas: {', '.join(lookup_forces(everything))}.",
        )
    unknown = set(force.per_partnership) - {p.name for p in found} - {p.code for p in found}
    if unknown:
        raise ConfigError(
            force.path,
            f"the partnerships file names {', '.join(sorted(unknown))}, not among "
            f"{force.force}'s partnerships ({', '.join(p.name for p in found)}).",
        )
    return found


def district_config(force: ForceConfig, partnership: Partnership) -> dict[str, Any]:
    """One partnership's district config: the force's settings, its name and authorities (and
    its ONS code, for the comparison), then its own settings from the partnerships file."""
    data = merged(
        force.shared,
        {
            "district": partnership.name,
            "inputs": {
                "lsoa_name_prefix": list(partnership.authorities),
                "police_uk_store": str(store_folder(force)),
            },
        },
    )
    if data["inputs"].get("ons_tables"):
        data = merged(data, {"benchmark": {"csp_code": partnership.code}})
    data.setdefault("commentary_dir", str((force.path.parent / "commentary").resolve()))
    own = force.per_partnership.get(partnership.name) or force.per_partnership.get(
        partnership.code, {}
    )
    return merged(data, own)


def store_folder(force: ForceConfig) -> Path:
    """The force's shared store: its police.uk files read and checked once, for all."""
    return force.processed_dir / f"force-{slugify(force.force)}" / "police-uk-store"


def fill_store(
    force: ForceConfig, configs: list[Path], say: Callable[[str], None]
) -> tuple[set[str], Path]:
    """Read the force's police.uk files for the quarter (Q and FY from the environment) into its
    shared store, once, through the first partnership's config (they share the folder and
    force); the LSOA names in them, and that partnership's quarter folder (its `2025-26/Q2` is
    every partnership's). A file that fails its checks stops the force here, named once, since every
    partnership reads it; so does a month missing or short (check_months)."""
    from pipeline.config import load_config
    from pipeline.financial_year import parse_quarter
    from pipeline.force_store import build_store
    from pipeline.ingest import resolve_financial_year
    from pipeline.periods import chart_months
    from pipeline.planning import quarter_folder

    district = load_config(configs[0])
    quarter = parse_quarter(os.environ.get("Q", ""))
    year = resolve_financial_year(district, quarter, os.environ.get("FY") or None)
    index = build_store(district, store_folder(force), set(chart_months(year, quarter)))
    say(
        f"[force] {len(index.files)} police.uk files of {index.force} read and checked once, "
        f"into {project_path(store_folder(force))}"
    )
    check_months(force, configs, year, quarter, say)
    return police_uk_store.lsoa_names(store_folder(force), index), quarter_folder(
        district, year, quarter
    )


class ForceMonthsError(PipelineError):
    """A month of the force's files that every partnership's run would refuse."""


def check_months(
    force: ForceConfig,
    configs: list[Path],
    year: FinancialYear,
    quarter: int,
    say: Callable[[str], None],
) -> None:
    """Stop the force, once, on a compared month missing or short that no partnership's config
    accepts (each would stop on it alike); where one accepts it, each builds as it would alone.
    The months every partnership's settings accept (the first's, where all pass) are said once
    here; each paper says them too."""
    from pipeline.config import load_config
    from pipeline.ingest import check_police_uk_months

    problems = []
    for path in configs:
        try:
            notes = check_police_uk_months(load_config(path), year, quarter)
        except PipelineError as error:
            problems.append(error)
        else:
            if not problems:  # the first partnership's: a setting of its own is its run's to say
                for note in notes:
                    say(f"[warning] {note}")
            return
    if problems and len({str(problem) for problem in problems}) == 1:
        raise ForceMonthsError(
            f"{problems[0]} Every partnership of {force.force} reads these files, so none was "
            "built: a setting for all of them goes in the force config, "
            f"{project_path(force.path)}."
        )


def write_if_changed(path: Path, text: str) -> Path:
    """Write text unless the file holds it already (an unchanged config rebuilds nothing)."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
    return path


def written_configs(force: ForceConfig, partnerships: list[Partnership]) -> dict[str, Path]:
    """Each partnership's district config, written beside the force's processed tables."""
    folder = force.processed_dir / f"force-{slugify(force.force)}" / "configs"
    header = (
        f"# Written by `make force` from {force.path.name} and the lookup: edit those, not this.\n"
    )
    return {
        partnership.code: write_if_changed(
            folder / f"{slugify(partnership.name)}.yaml",
            header + yaml.safe_dump(district_config(force, partnership), sort_keys=False),
        )
        for partnership in partnerships
    }


@dataclass(frozen=True)
class PartnershipRun:
    """How one partnership's build went: its quarter folder, or its `Error:` line."""

    partnership: Partnership
    folder: Path | None
    error: str | None
    alike: str | None = None  # the error as partnerships failing alike share it (failure_summary)


def build_partnership(
    partnership: Partnership, config: Path, environment: dict[str, str]
) -> PartnershipRun:
    """One partnership's quarter, as `make quarter` builds it (planned, then rebuilt only if
    out of date), but in this process, which keeps its imports, its notebooks' kernels and its
    PDF renderer from one partnership to the next; its folder, or its `Error:` line."""
    from pipeline.errors import OperatingSystemError

    printed = io.StringIO()
    try:
        with contextlib.redirect_stderr(printed), worker_environment(environment):
            return PartnershipRun(partnership, build_quarter(config, environment), None)
    except PipelineError as error:
        return PartnershipRun(partnership, None, f"Error: {error}", shared_words(error))
    except OSError as error:
        return PartnershipRun(
            partnership, None, f"Error: {OperatingSystemError.from_os_error(error)}"
        )
    except Exception as error:  # a fault of the pipeline's own: this partnership alone stops
        return PartnershipRun(
            partnership,
            None,
            f"Error: the build stopped unexpectedly ({type(error).__name__}: "
            f"{error}); run `make quarter` with its config and DEBUG=1 to see where",
        )


PASSED_ON = ("SOURCE_DATE_EPOCH", "DEBUG")  # the settings a run reads from its environment


@contextlib.contextmanager
def worker_environment(environment: dict[str, str]) -> Iterator[None]:
    """The driver's settings a run reads, in a worker's environment for the task (a worker
    runs one task at a time)."""
    before = {name: os.environ.get(name) for name in PASSED_ON}
    # A run's paths are the project's, as under make; papermill changes the folder while a
    # notebook runs, and the three notebooks of a run, side by side, can leave it changed.
    os.chdir(PROJECT_ROOT)
    for name in PASSED_ON:
        if environment.get(name) is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = environment[name]
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def build_quarter(config: Path, environment: dict[str, str]) -> Path:
    """Plan the quarter (Q, FY) for config and build it unless make finds it up to date."""
    from pipeline.pdf_worker import keep_workers
    from pipeline.plan import read_plan
    from pipeline.plan_cache import PlanRequest, cached_plan
    from pipeline.planning import plan_and_remember
    from pipeline.quiet_kernel import kept_kernels_here
    from pipeline.run import MANIFEST_FILE, ingest_out_of_date, make_would_build, run_report

    request = PlanRequest(str(config), environment.get("FY", ""), environment.get("Q", ""))
    fragment = PROJECT_ROOT / (
        (cached_plan(request, PLANS_FOLDER) or plan_and_remember(request, PLANS_FOLDER)).fragment
    )
    plan = read_plan(fragment.with_suffix(".json"))
    manifest = Path(plan.quarter_dir) / MANIFEST_FILE
    if not make_would_build(fragment, manifest):
        return manifest.parent
    kept_kernels_here()
    keep_workers()
    run_report(plan, ingest=ingest_out_of_date(fragment, plan))
    return manifest.parent


def build_all(
    configs: dict[str, Path],
    partnerships: list[Partnership],
    say: Callable[[str], None],
    scheduler: str | None = None,
    workers: int = WORKERS,
    starting: Future[Cluster] | None = None,
) -> list[PartnershipRun]:
    """Every partnership built whatever fails, in the partnerships' order: each a Dask task, on
    a local cluster of `workers` processes, or on the cluster at `scheduler`
    (`tcp://host:8786`, whose workers share the project's folders), or on the cluster starting
    already; `threads` builds them in threads of this process instead."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("CONFIG", "MAKEFLAGS", "SCHEDULER")
    }

    def report(run: PartnershipRun) -> PartnershipRun:
        where = run.error or (project_path(run.folder) if run.folder else "built")
        say(f"[force] {run.partnership.name}: {where}")
        return run

    if scheduler == THREADS:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(
                pool.map(
                    lambda p: report(build_partnership(p, configs[p.code], environment)),
                    partnerships,
                )
            )
    cluster = starting.result() if starting is not None else start_cluster(scheduler, workers)
    try:
        return on_dask(configs, partnerships, environment, report, cluster)
    finally:
        cluster.close()


def close_when_started(starting: Future[Cluster]) -> None:
    """Close a cluster that was starting when the run stopped."""
    with contextlib.suppress(Exception):
        starting.result().close()


THREADS = "threads"
RETRIES = 2  # a task whose worker died is run again; a partnership's own error is not
CONNECT_SECONDS = 10


@dataclass
class Cluster:
    """A Dask client for a force's run, and the local cluster it is a client of, if any."""

    client: Any
    local: Any = None

    def close(self) -> None:
        with contextlib.suppress(Exception):  # a worker that is gone has no kernels left
            self.client.run(end_worker)
        self.client.close()
        if self.local is not None:
            self.local.close()


def start_cluster(scheduler: str | None, workers: int) -> Cluster:
    """A client of the cluster at scheduler, or of a local cluster of `workers` processes. Each
    worker keeps its kernels and PDF worker from its first partnership on; starting them ahead
    gained nothing on two cores, where they compete with the store's filling."""
    import logging

    from dask.distributed import Client, LocalCluster

    try:
        if scheduler:
            cluster = Cluster(Client(scheduler, timeout=CONNECT_SECONDS))
        else:
            local = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                # a worker still heartbeating as the cluster closes logs a CommClosedError
                silence_logs=logging.CRITICAL,
            )
            cluster = Cluster(Client(local), local)
    except (OSError, TimeoutError) as error:
        raise SchedulerError(scheduler or "a local cluster", error) from error
    return cluster


def end_worker() -> None:
    """Stop what this worker keeps: its kernels and its PDF worker."""
    close_kept_kernels()
    end_kept_worker()


def on_dask(
    configs: dict[str, Path],
    partnerships: list[Partnership],
    environment: dict[str, str],
    report: Callable[[PartnershipRun], PartnershipRun],
    cluster: Cluster,
) -> list[PartnershipRun]:
    """The partnerships as Dask tasks, reported as each finishes."""
    from dask.distributed import as_completed

    client = cluster.client
    futures = {
        client.submit(
            build_partnership,
            partnership,
            configs[partnership.code],
            environment,
            retries=RETRIES,
            pure=False,
            key=f"partnership-{partnership.code}-{uuid.uuid4().hex[:8]}",
        ): partnership.code
        for partnership in partnerships
    }
    done = {}
    for future in as_completed(futures):
        done[futures[future]] = report(future.result())
    return [done[partnership.code] for partnership in partnerships]


class SchedulerError(PipelineError):
    """No Dask scheduler answered at the address given."""

    def __init__(self, address: str, error: Exception) -> None:
        self.address = address
        super().__init__(
            f"SCHEDULER={address}: no Dask scheduler answered within {CONNECT_SECONDS} s "
            f"({error}); start one (`dask scheduler`) with workers sharing this project's "
            "folders, or leave SCHEDULER unset for a local cluster."
        )


def headline(folder: Path) -> dict[str, str]:
    """A published quarter's headline counts: all crime and ASB, this quarter and a year before."""
    figures = {}
    with (folder / "tables" / "performance_quarter.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["section"] == "Top Level" and row["level"] == "0":
                figures[row["crime_type"]] = (row["offences_previous"], row["offences_current"])
    return figures


@dataclass(frozen=True)
class OnsRate:
    """A partnership's ONS rate of recorded crime (excluding fraud) per 1,000 residents, its
    interval, and whether it is above, like or below its force area's."""

    rate: float
    lower: float
    upper: float
    against_force: str


def ons_rate(folder: Path) -> OnsRate | None:
    """The partnership's ONS rate from its published benchmark table, if it has one."""
    path = folder / "tables" / "benchmark.csv"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["offence_group"] == FIRST_GROUP]
    district = next((row for row in rows if row["area_type"] == "district"), None)
    force = next((row for row in rows if row["area_type"] == "force"), None)
    if district is None or not district["rate"]:
        return None
    return OnsRate(
        float(district["rate"]),
        float(district["rate_lower"]),
        float(district["rate_upper"]),
        (force or {}).get("district_is") or "not compared",
    )


def ons_table(runs: list[PartnershipRun]) -> str:
    """The partnerships' ONS rates, in a table of their own (ONS and police.uk differ in
    timing and rules, so the two are never in one table); empty where none has them."""
    rates = [
        (run.partnership.name, rate)
        for run in runs
        if run.folder is not None and (rate := ons_rate(run.folder)) is not None
    ]
    if not rates:
        return ""
    rows = "\n".join(
        f'<tr><th scope="row">{html.escape(name)}</th>'
        f'<td class="number">{format_one_decimal(rate.rate)}</td>'
        f'<td class="number">{format_one_decimal(rate.lower)} to '
        f"{format_one_decimal(rate.upper)}</td><td>{html.escape(rate.against_force)}</td></tr>"
        for name, rate in rates
    )
    return (
        "<table>\n<caption>Recorded crime (excluding fraud) per 1,000 residents, from the ONS "
        "tables each paper compares with</caption>\n"
        '<thead><tr><th scope="col">Partnership</th><th scope="col">Rate per 1,000</th>'
        '<th scope="col">95% interval</th><th scope="col">Against the force area</th></tr>'
        f"</thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n"
    )


def index_html(force: str, runs: list[PartnershipRun], unmatched: list[str], folder: Path) -> str:
    """The force's index page: each partnership's paper with its headline figures, failures
    with their error, and the LSOA names no partnership took. Every value escaped."""
    rows, names = [], []
    for run in runs:
        name = html.escape(run.partnership.name)
        if run.folder is None:
            rows.append(
                f'<tr><th scope="row">{name}</th><td colspan="4">Not built: '
                f"{html.escape(run.error or '')}</td></tr>"
            )
            continue
        figures = dict(
            sorted(headline(run.folder).items(), key=lambda item: item[0].casefold() != "all crime")
        )
        names = list(figures) or names
        cells = "".join(
            f'<td class="number">{format_count(int(previous))}</td>'
            f'<td class="number">{format_count(int(current))}</td>'
            for previous, current in figures.values()
        )
        paper = next(run.folder.glob("*-committee-report.html"), None)
        link = (
            f'<a href="{html.escape(os.path.relpath(paper, folder))}">{name}</a>' if paper else name
        )
        rows.append(f'<tr><th scope="row">{link}</th>{cells}</tr>')
    heads = "".join(
        f'<th scope="col">{html.escape(name)}, a year before</th>'
        f'<th scope="col">{html.escape(name)}, this quarter</th>'
        for name in names
    )
    left = (
        "<p>Every LSOA name in the force's files was placed in one of its partnerships.</p>"
        if not unmatched
        else "<details><summary>LSOA names in the force's files that no partnership of the "
        f"force takes, in {len(unmatched)} authorities (crimes the force recorded in other "
        "forces' areas, or authorities the lookup does not have)</summary><p>"
        f"{html.escape(', '.join(unmatched))}.</p></details>"
    )
    title = html.escape(f"{force}: every partnership's quarterly paper")
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{INDEX_CSS}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{title}</h1>\n<table>\n<caption>Recorded crime and anti-social behaviour "
        "(police.uk), each partnership's quarter against the same months a year before"
        f'</caption>\n<thead><tr><th scope="col">Partnership</th>{heads}</tr></thead>\n'
        f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>\n{ons_table(runs)}{left}\n"
        "</main>\n</body>\n</html>\n"
    )


INDEX_CSS = (
    "body{font-family:'DejaVu Sans',Arial,sans-serif;color:#0b0c0c;margin:1rem 1.5rem}"
    "h1{color:#1d4f91;font-size:1.5rem}table{border-collapse:collapse}"
    "caption{text-align:left;font-weight:bold;padding-bottom:.4em}"
    "th,td{border:1px solid #767676;padding:.3em .6em;text-align:left}"
    "thead th{background:#e8eef7}td.number{text-align:right}a{color:#0d47a1}"
    "table{margin-bottom:1.5rem}"
    "td a,th a{display:inline-block;min-height:24px;line-height:24px}summary{line-height:28px}"
)


def unmatched_authorities(match: LsoaMatch) -> list[str]:
    """The unmatched LSOA names by authority, counted: `Sheffield (12 LSOAs)`."""
    return [
        f"{authority} ({count} LSOA{'s' if count != 1 else ''})"
        for authority, count in sorted(unmatched_by_authority(match).items())
    ]


def shared_words(error: PipelineError) -> str:
    """An error as the partnerships failing alike share it: a notebook's without the path of
    the partnership's own failed copy (failure_summary says where those are)."""
    if isinstance(error, NotebookError) and error.kept_at is not None:
        return f"{NotebookError(error.notebook, error.cell, error.error, None)}"
    return str(error)


def failure_summary(failed: list[PartnershipRun], total: int, config: Path) -> str:
    """The partnerships not built, those that failed alike named together with their error."""
    by_error: dict[str, list[str]] = {}
    for run in failed:
        by_error.setdefault(run.alike or (run.error or "").removeprefix("Error: "), []).append(
            run.partnership.name
        )
    kept = any(run.alike and f"Error: {run.alike}" != run.error for run in failed)
    problems = "; ".join(
        f"{', '.join(names)}: {error.rstrip('.')}" for error, names in by_error.items()
    )
    copies = " Where a notebook failed, it is kept in its partnership's outputs, in failed/." * kept
    return (
        f"{len(failed)} of {total} partnerships were not built ({problems}).{copies} A setting for "
        f"every partnership goes in the force config, {project_path(config)}; one partnership's "
        "in its partnerships file."
    )


def most_unmatched(match: LsoaMatch, limit: int = 5) -> list[str]:
    """The authorities with most unmatched LSOA names: `Sheffield (107)`."""
    ranked = sorted(unmatched_by_authority(match).items(), key=lambda item: (-item[1], item[0]))
    return [f"{authority} ({count})" for authority, count in ranked[:limit]]


@dataclass(frozen=True)
class Prepared:
    """A force ready to build: its partnerships, each one's config (by code), the LSOA names
    matched to them, and the first partnership's quarter folder (planning.quarter_folder)."""

    partnerships: list[Partnership]
    configs: dict[str, Path]
    match: LsoaMatch
    quarter: Path


def prepare(force: ForceConfig, say: Callable[[str], None]) -> Prepared:
    """The force's partnerships, their configs written, its files read into its shared store,
    and the LSOA names matched to partnerships (those in none said)."""
    partnerships = partnerships_of(force)
    say(
        f"[force] {force.force}: {len(partnerships)} partnerships from "
        f"{project_path(force.lookup)}: " + ", ".join(p.name for p in partnerships)
    )
    configs = written_configs(force, partnerships)
    names, quarter = fill_store(force, [configs[p.code] for p in partnerships], say)
    match = match_lsoa_names(partnerships, names)
    empty = [p.name for p in partnerships if not match.by_partnership[p.code]]
    if empty:
        say(f"[warning] no LSOA in the force's files for: {', '.join(empty)}")
    unmatched = unmatched_authorities(match)
    if unmatched:
        say(
            f"[force] {len(match.unmatched):,} LSOA names in the files, of {len(unmatched)} "
            f"authorities outside {force.force}'s partnerships, are in none (the most: "
            f"{', '.join(most_unmatched(match))}); the index page lists them all"
        )
    return Prepared(partnerships, configs, match, quarter)


def run_force(config_path: Path, say: Callable[[str], None] = print) -> Path:
    """Build the quarter (Q and FY from the environment, as `make quarter` reads them) for every
    partnership of the force; write the index page; stop, after all, if any failed."""
    force = read_force_config(config_path)
    scheduler = os.environ.get("SCHEDULER") or None
    with ThreadPoolExecutor(max_workers=1) as background:
        # The cluster starts while the force's files are checked.
        starting = (
            None if scheduler == THREADS else background.submit(start_cluster, scheduler, WORKERS)
        )
        try:
            prepared = prepare(force, say)
        except BaseException:
            if starting is not None:
                close_when_started(starting)
            raise
        runs = build_all(
            prepared.configs, prepared.partnerships, say, scheduler=scheduler, starting=starting
        )
    unmatched = unmatched_authorities(prepared.match)
    output = Path(force.shared.get("output_dir") or DEFAULT_OUTPUT_DIR)
    # where the quarter's papers are, whether or not any was built
    quarter = prepared.quarter
    folder = output / f"force-{slugify(force.force)}" / quarter.parent.name / quarter.name
    page = index_html(force.force, runs, unmatched, folder)
    index = write_if_changed(folder / "index.html", page)
    say(f"[force] index of every partnership's paper: {project_path(index)}")
    failed = [run for run in runs if run.error]
    if failed:
        raise ForceRunError(failure_summary(failed, len(runs), force.path))
    return index
