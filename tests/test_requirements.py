"""The locked requirements: all pinned, installed as they stand, none that only slows a run."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*==[A-Za-z0-9.+!-]+$")


def requirement_lines() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_every_requirement_is_pinned_exactly():
    loose = [line for line in requirement_lines() if not PINNED.match(line)]
    assert loose == []


def test_the_slow_optional_iri_checker_is_left_out():
    names = {line.split("==")[0].lower() for line in requirement_lines()}
    assert "rfc3987-syntax" not in names
    assert "jsonschema" in names  # still installed; only its optional iri format check is not


def test_the_makefile_installs_the_lock_as_it_stands_and_checks_it():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--disable-pip-version-check --no-deps -r requirements.txt" in makefile
    assert "pip check" in makefile


def test_make_lab_may_start_as_root_and_the_first_run_says_what_it_installs():
    import os
    import subprocess

    lab = subprocess.run(
        ["make", "-n", "--no-print-directory", "lab"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[-1]
    assert lab.startswith(".venv/bin/jupyter lab --notebook-dir=notebooks")
    assert lab.endswith("--allow-root") == (os.geteuid() == 0)  # JupyterLab refuses root without
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert '@echo "Setting up $(VENV): installing the pinned packages' in makefile
