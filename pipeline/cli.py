"""Command line: what `make` calls. Checks parameters first, then runs one step."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline.errors import OperatingSystemError, PipelineError
from pipeline.paths import PLANS_FOLDER


def command_plan(args: argparse.Namespace) -> None:
    """Check Q, FY and CONFIG; write the quarter's plan and print the Make fragment's path.

    A plan whose inputs are unchanged since it was made is reused without its checks (or pandas).
    """
    from pipeline.financial_year import parse_financial_year, parse_quarter
    from pipeline.plan import source_date_epoch
    from pipeline.plan_cache import PlanRequest, cached_plan

    parse_quarter(args.quarter)  # a mistyped parameter is refused before anything heavy loads
    if args.fy:
        parse_financial_year(args.fy)
    source_date_epoch()
    request = PlanRequest(args.config, args.fy, args.quarter)
    cached = cached_plan(request, PLANS_FOLDER)
    if cached is not None:
        print(f"[plan] {cached.reason} (inputs unchanged since it was planned)", file=sys.stderr)
        print(cached.fragment)
        return
    from pipeline.planning import plan_and_remember

    print(plan_and_remember(request, PLANS_FOLDER).fragment)


def command_ingest(args: argparse.Namespace) -> None:
    """Run the ingest notebook for a planned quarter."""
    from pipeline.plan import read_plan
    from pipeline.run import run_ingest

    run_ingest(read_plan(args.plan.with_suffix(".json")))


def command_report(args: argparse.Namespace) -> None:
    """Run the analysis and report notebooks (and the ingest, if make would), export, and
    publish a planned quarter."""
    from pipeline.plan import read_plan
    from pipeline.run import ingest_out_of_date, run_report

    plan = read_plan(args.plan.with_suffix(".json"))
    run_report(plan, ingest=ingest_out_of_date(args.plan, plan))


def command_check_tracker(args: argparse.Namespace) -> None:
    """Read a planned quarter's tracker: stop on a mistake, print its warnings."""
    from pipeline.plan import read_plan
    from pipeline.planning import check_tracker

    check_tracker(read_plan(args.plan.with_suffix(".json")))


def command_sample(args: argparse.Namespace) -> None:
    """Write the embedded sample: the force's police.uk files and the district's force extract."""
    from pipeline.sample import write_sample

    paths = write_sample(Path(args.folder))
    kinds = "police.uk, force extract, tracker, ONS tables"
    print(f"Wrote {len(paths)} sample files ({kinds}) to {args.folder}")


def command_tracker_template(args: argparse.Namespace) -> None:
    """Write the empty, documented tracker workbook, never over an existing file."""
    from pipeline.errors import InputFileError
    from pipeline.tracker_template import write_template

    target = Path(args.path)
    if target.exists():
        raise InputFileError(
            target, "already exists; move or rename it first, so no filled-in tracker is lost."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    write_template(target)
    print(f"Wrote the tracker template to {target}: fill it in, then name it in the config.")


def command_bench(args: argparse.Namespace) -> None:
    """Time a cold quarter, an unchanged re-run, each stage, a large ingest and the tests."""
    if args.national:  # the national figures alone (issue 18)
        from pipeline.national_bench import print_national

        print_national()
        return
    from pipeline.bench import run_benchmark

    suites = ("test-fast", "test") if args.tests == "all" else ("test-fast",)
    run_benchmark(quarter=args.quarter, suites=suites)


def command_compare(args: argparse.Namespace) -> None:
    """Build the sample quarter at a commit and at the work tree; compare what readers see."""
    from pipeline.compare import run_comparison

    if run_comparison(args.base) != 0:
        raise SystemExit(1)


def command_force(args: argparse.Namespace) -> None:
    """Build the quarter (Q, FY) for every partnership of a force config (CONFIG)."""
    from pipeline.errors import ParameterError
    from pipeline.force import run_force

    if not args.config:
        raise ParameterError(
            "CONFIG", "", "a force config: make force Q=3 FY=2024-25 CONFIG=my-force.yaml"
        )
    run_force(Path(args.config), say=lambda line: print(line, file=sys.stderr))


def command_national(args: argparse.Namespace) -> None:
    """Every partnership's police.uk performance tables (Q, FY) for a national config (CONFIG)."""
    from pipeline.errors import ParameterError
    from pipeline.national import run_national

    if not args.config:
        raise ParameterError(
            "CONFIG", "", "a national config: make national Q=3 FY=2024-25 CONFIG=national.yaml"
        )
    run_national(
        Path(args.config),
        os.environ.get("Q", ""),
        os.environ.get("FY") or None,
        say=lambda line: print(line, file=sys.stderr),
    )


def parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    main = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)
    plan = commands.add_parser("plan", help=command_plan.__doc__)
    plan.add_argument("--quarter", default=os.environ.get("Q", ""))
    plan.add_argument("--fy", default=os.environ.get("FY", ""))
    plan.add_argument("--config", default=os.environ.get("CONFIG", "config/sample.yaml"))
    plan.set_defaults(handler=command_plan)
    steps = (
        ("ingest", command_ingest),
        ("report", command_report),
        ("check-tracker", command_check_tracker),
    )
    for name, handler in steps:
        step = commands.add_parser(name, help=handler.__doc__)
        step.add_argument("--plan", required=True, type=Path)
        step.set_defaults(handler=handler)
    sample = commands.add_parser("sample", help=command_sample.__doc__)
    sample.add_argument("folder")
    sample.set_defaults(handler=command_sample)
    template = commands.add_parser("tracker-template", help=command_tracker_template.__doc__)
    template.add_argument("path")
    template.set_defaults(handler=command_tracker_template)
    bench = commands.add_parser("bench", help=command_bench.__doc__)
    bench.add_argument("--quarter", default="2")
    bench.add_argument("--tests", default=os.environ.get("TESTS", ""), help="all: make test too")
    bench.add_argument("--national", action="store_true", help="the national figures alone")
    bench.set_defaults(handler=command_bench)
    force = commands.add_parser("force", help=command_force.__doc__)
    force.add_argument("--config", default=os.environ.get("CONFIG", ""))
    force.set_defaults(handler=command_force)
    national = commands.add_parser("national", help=command_national.__doc__)
    national.add_argument("--config", default=os.environ.get("CONFIG", ""))
    national.set_defaults(handler=command_national)
    compare = commands.add_parser("compare", help=command_compare.__doc__)
    compare.add_argument("--base", default=os.environ.get("BASE", "HEAD"))
    compare.set_defaults(handler=command_compare)
    return main


def main(argv: list[str] | None = None) -> int:
    """Run a command; report a PipelineError as one line (a traceback only with DEBUG=1)."""
    args = parser().parse_args(argv)
    try:
        try:
            args.handler(args)
        except OSError as error:
            raise OperatingSystemError.from_os_error(error) from error
    except PipelineError as error:
        if os.environ.get("DEBUG") == "1":
            raise
        print(f"Error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted: nothing was published.", file=sys.stderr)
        return 130
    return 0
