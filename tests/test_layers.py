"""The package's layers, read from its own imports: each module imports only its layer and below.

Every import counts, including those inside functions, so a cycle cannot hide in one. A new
module must be given a layer here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline.paths import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "pipeline"
LAYERS = (
    (
        "foundations",
        {"pipeline", "errors", "paths", "text", "numbers", "periods", "taxonomy", "wording"}
        | {"config", "plan"},
    ),
    ("sources", {"sources", "sources.police_uk", "sources.force_extract", "sources.tracker"}),
    ("ingest", {"ingest"}),
    ("analysis", {"metrics", "force_metrics", "grant", "tables", "opcc_return", "analysis"}),
    ("words and charts", {"narrative", "charts"}),
    ("document", {"document", "tracker_appendices", "report"}),
    ("run and publish", {"quiet_kernel", "publish", "run"}),
    (
        "tools",
        {"tracker_template", "sample", "sample.police_uk", "sample.force_extract", "sample.tracker"}
        | {"bench", "compare"},
    ),
    ("command line", {"cli", "__main__"}),
)
LAYER_OF = {module: number for number, (_, modules) in enumerate(LAYERS) for module in modules}


def module_name(path: Path) -> str:
    """`sources.tracker` for pipeline/sources/tracker.py; `pipeline` for the package itself."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or "pipeline"


def imported(path: Path, known: set[str]) -> set[str]:
    """The package's modules a file imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if name == "pipeline" or name.startswith("pipeline."):
                inner = name.removeprefix("pipeline").removeprefix(".") or "pipeline"
                if inner in known:
                    found.add(inner)
    return found


def import_graph() -> dict[str, set[str]]:
    """Each module of the package and the package's modules it imports (itself left out)."""
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    known = set(paths)
    return {name: imported(path, known) - {name} for name, path in paths.items()}


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


def test_imports_inside_functions_count(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from pipeline.run import Plan\n    import pipeline.charts\n")
    assert imported(module, {"run", "charts", "report"}) == {"run", "charts"}
