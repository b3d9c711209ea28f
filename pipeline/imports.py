"""The package's own imports, read from its source with `ast` (never by importing it).

Two users: the layers test (each module imports only its layer and below, with no cycle), and
the plan, which lists for make the code a stage runs, so that editing a chart re-runs the report
but not the ingest.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from pathlib import Path

PACKAGE = Path(__file__).parent
PACKAGE_NAME = "pipeline"
DATA_FILES = ("data/police_uk.yaml", "data/home_office.yaml")  # the taxonomies every stage reads


def module_name(path: Path) -> str:
    """`sources.tracker` for pipeline/sources/tracker.py; `pipeline` for the package itself."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or PACKAGE_NAME


def module_paths() -> dict[str, Path]:
    """Every module of the package by its name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")  # where statements nest


def statements(tree: ast.Module) -> Iterable[ast.AST]:
    """Every statement of a module, nested ones too (in functions, classes, ifs, trys).

    Imports are statements, so the expressions (most of the tree) need no visit.
    """
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        yield node
        for name in BLOCK_FIELDS:
            pending.extend(getattr(node, name, ()))


def imports_in(source: str, known: set[str]) -> set[str]:
    """The package's modules some source imports, anywhere in it (inside functions too)."""
    found = set()
    for node in statements(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if name == PACKAGE_NAME or name.startswith(f"{PACKAGE_NAME}."):
                inner = name.removeprefix(PACKAGE_NAME).removeprefix(".") or PACKAGE_NAME
                if inner in known:
                    found.add(inner)
    return found


def import_graph() -> dict[str, set[str]]:
    """Each module and the package's modules it imports (itself left out)."""
    paths = module_paths()
    known = set(paths)
    return {
        name: imports_in(path.read_text(encoding="utf-8"), known) - {name}
        for name, path in paths.items()
    }


def notebook_source(notebook: Path) -> str:
    """A notebook's code cells as one Python source, IPython's `%` and `!` lines left out."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    lines = [
        line
        for cell in cells
        if cell["cell_type"] == "code"
        for line in "".join(cell["source"]).splitlines()
        if not line.lstrip().startswith(("%", "!"))
    ]
    return "\n".join(lines) + "\n"


def code_of(notebook: Path, runners: Iterable[str]) -> list[Path]:
    """The package files a notebook's run depends on: what it imports, and what they import,
    the taxonomies' data files, and the runners' own files (the modules that start it).

    Only the modules reached are read, so the plan can afford it on every run.
    """
    paths = module_paths()
    known = set(paths)
    needed, waiting = set(), [*imports_in(notebook_source(notebook), known), PACKAGE_NAME]
    while waiting:  # PACKAGE_NAME: importing any module runs the package's __init__ first
        module = waiting.pop()
        if module in needed:
            continue
        needed.add(module)
        waiting.extend(imports_in(paths[module].read_text(encoding="utf-8"), known))
        if "." in module:  # importing sources.tracker runs sources/__init__.py first
            waiting.append(module.rsplit(".", 1)[0])
    files = {paths[module] for module in needed | set(runners)}
    return sorted(files | {PACKAGE / name for name in DATA_FILES})
