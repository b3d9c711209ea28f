"""docs/architecture.md names real functions: the map of figures cannot drift from the code."""

import importlib
import re
from pathlib import Path

from pipeline.imports import module_paths

ROOT = Path(__file__).resolve().parent.parent
NAMED = re.compile(r"`((?:(?:sources|sections)/)?[a-z_]+)\.([a-z_]+)`")
FILE_SUFFIXES = {"json", "py", "csv", "yaml", "mk", "ipynb", "xlsx"}  # `analysis.json` is a file


def named_functions() -> list[tuple[str, str]]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = set(module_paths())
    named = [(module.replace("/", "."), name) for module, name in NAMED.findall(text)]
    return [
        (module, name) for module, name in named if module in modules and name not in FILE_SUFFIXES
    ]


def test_the_map_names_many_functions():
    assert len(named_functions()) > 50


def test_every_function_the_map_names_exists():
    missing = [
        f"{module}.{name}"
        for module, name in named_functions()
        if not hasattr(importlib.import_module(f"pipeline.{module}"), name)
    ]
    assert missing == []
