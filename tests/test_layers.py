"""The package's layers, read from its own imports: each module imports only its layer and below.

Every import counts, including those inside functions, so a cycle cannot hide in one. A new
module must be given a layer here.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.imports import code_of, import_graph, imports_in
from pipeline.paths import NOTEBOOKS, PROJECT_ROOT

LAYERS = (
    (
        "foundations",
        {"pipeline", "errors", "paths", "text", "numbers", "financial_year", "periods"}
        | {"taxonomy", "wording"}
        | {"config", "plan", "plan_cache", "ingest_summary", "saved_record", "imports", "digest"},
    ),
    (
        "sources",
        {"sources", "sources.police_uk", "sources.force_extract", "sources.tracker"}
        | {"sources.ons", "sources.workbook", "sources.csp_lookup", "sources.police_uk_store"},
    ),
    ("ingest", {"ingest", "force_store"}),
    (
        "analysis",
        {
            "metrics",
            "force_metrics",
            "grant",
            "tables",
            "opcc_return",
            "change_tests",
            "control_charts",
            "rates",
            "benchmark",
            "local_detail",
            "attention",
            "analysis",
            "saved_analysis",
        },
    ),
    (
        "words and charts",
        {
            "narrative",
            "attention_words",
            "return_words",
            "benchmark_words",
            "local_words",
            "table_words",
            "chart_words",
            "charts",
        },
    ),
    (
        "document",
        {"document", "tracker_appendices", "report", "sections"}
        | {f"sections.{name}" for name in ("table_html", "crime_source", "crime_data")}
        | {"sections.body", "sections.cover"},
    ),
    (
        "run and publish",
        {"quiet_kernel", "pdf_worker", "word_copy", "publish", "run", "planning", "force"}
        | {"national"},
    ),
    (
        "tools",
        {
            "tracker_template",
            "sample",
            "sample.police_uk",
            "sample.force_extract",
            "sample.tracker",
            "sample.ons",
            "sample.national_archive",
        }
        | {"bench", "compare", "national_bench"},
    ),
    ("command line", {"cli", "__main__"}),
)
LAYER_OF = {module: number for number, (_, modules) in enumerate(LAYERS) for module in modules}


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules round it, or None."""
    state: dict[str, str] = {}

    def visit(module: str, trail: list[str]) -> list[str] | None:
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                return [*trail[trail.index(target) :], target] if target in trail else [target]
            if target not in state:
                found = visit(target, [*trail, target])
                if found:
                    return found
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            found = visit(module, [module])
            if found:
                return found
    return None


def test_every_module_has_a_layer():
    unplaced = sorted(set(import_graph()) - set(LAYER_OF))
    assert not unplaced, f"give these modules a layer in tests/test_layers.py: {unplaced}"


def test_no_module_imports_a_layer_above_its_own():
    upward = [
        f"{module} ({LAYERS[LAYER_OF[module]][0]}) imports {target} ({LAYERS[LAYER_OF[target]][0]})"
        for module, targets in sorted(import_graph().items())
        for target in sorted(targets)
        if LAYER_OF[target] > LAYER_OF[module]
    ]
    assert upward == []


def test_the_package_has_no_import_cycle():
    assert cycle_in(import_graph()) is None


@pytest.mark.parametrize(
    ("graph", "cycle"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b"}, "b": {"a"}}, ["a", "b", "a"]),
        ({"a": {"b"}, "b": {"c"}, "c": {"b"}}, ["b", "c", "b"]),
    ],
)
def test_a_cycle_is_found_and_named(graph, cycle):
    assert cycle_in(graph) == cycle


def test_imports_inside_functions_count():
    source = "def f():\n    from pipeline.run import Plan\n    import pipeline.charts\n"
    assert imports_in(source, {"run", "charts", "report"}) == {"run", "charts"}


def test_the_ingest_s_code_is_what_its_notebook_imports_and_not_the_report_s():
    code = code_of(NOTEBOOKS / "01_ingest.ipynb", ["run", "cli"])
    files = {path.relative_to(PROJECT_ROOT).as_posix() for path in code}
    assert {"pipeline/ingest.py", "pipeline/sources/police_uk.py", "pipeline/taxonomy.py"} <= files
    assert {"pipeline/run.py", "pipeline/cli.py", "pipeline/data/police_uk.yaml"} <= files
    assert {"pipeline/sources/__init__.py", "pipeline/__init__.py"} <= files
    assert not files & {"pipeline/charts.py", "pipeline/report.py", "pipeline/narrative.py"}


def test_the_plan_does_not_import_the_report_or_its_libraries():
    # Every make run starts with the plan: importing the report's code (matplotlib, nbconvert,
    # WeasyPrint) there once made an unchanged re-run take 5 s instead of 2.
    probe = "import sys, pipeline.cli, pipeline.planning; print(sorted(set(sys.modules) & HEAVY))"
    heavy = "{'pipeline.publish', 'pipeline.report', 'pipeline.charts', 'matplotlib', 'nbconvert'}"
    result = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {heavy}\n{probe}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
    )
    assert result.stdout.strip() == "[]"


def test_the_report_notebook_s_code_does_not_load_statsmodels():
    # Notebook 03 reads the change tests saved; only the analysis computes them (0.7 s import).
    probe = (
        "import sys, pipeline.report, pipeline.saved_analysis, pipeline.attention_words\n"
        "print('statsmodels' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT
    )
    assert result.stdout.strip() == "False"


def test_the_ingest_and_report_steps_start_without_pandas():
    # What `python -m pipeline ingest` and `report` import outside the notebooks: the run, the
    # plan, the exports and the saved analysis's record; and the figures they format there.
    probe = (
        "import sys, pipeline.cli, pipeline.plan, pipeline.run, pipeline.publish\n"
        "from pipeline.numbers import format_count, format_month, is_undefined\n"
        "print(sorted({'pandas', 'matplotlib'} & set(sys.modules)), is_undefined(float('nan')),"
        " is_undefined(0), format_count(1234), format_month('2025-07'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT
    )
    assert result.stdout.strip() == "[] True False 1,234 July 2025"
