"""Plans reused only while nothing they read has changed; a reused plan imports no pandas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from pipeline import plan_cache
from pipeline.cli import PLANS_FOLDER
from pipeline.plan_cache import CachedPlan, PlanRequest, cached_plan, file_system_now, remember
from tests.conftest import SAMPLE_RAW

REQUEST = PlanRequest("config/district.yaml", "", "2")


@pytest.fixture
def planned(tmp_path, monkeypatch):
    """A remembered plan that read a config, a street file and its folder, and a commentary
    that does not exist yet; the package's code is a folder of one file."""
    code = tmp_path / "code"
    code.mkdir()
    (code / "module.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(plan_cache, "CODE_FOLDERS", (code,))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    inputs = tmp_path / "police-uk"
    inputs.mkdir()
    street = inputs / "2025-09-testshire-street.csv"
    street.write_text("Crime ID\n", encoding="utf-8")
    config = tmp_path / "district.yaml"
    config.write_text("district: Testville\n", encoding="utf-8")
    fragment = tmp_path / "plan.mk"
    fragment.write_text("QUARTER_DIR := out\n", encoding="utf-8")
    commentary = tmp_path / "commentary.yaml"
    manifest = tmp_path / "out" / "manifest.json"
    watched = [str(config), str(street), str(inputs), str(commentary)]
    plan = CachedPlan("plan.mk", "Testville, quarter 2 of 2025-26", "Testville", str(manifest))
    began = time.time_ns() + 1_000_000_000  # planning began after the files above were written
    assert remember(REQUEST, tmp_path / "plans", plan, watched, [str(fragment)], began)
    return {
        "plans": tmp_path / "plans",
        "plan": plan,
        "street": street,
        "inputs": inputs,
        "commentary": commentary,
        "fragment": fragment,
        "manifest": manifest,
        "code": code / "module.py",
    }


def later(path, seconds: int = 5) -> None:
    """Give path a modification time seconds later than it had, its content unchanged."""
    status = os.stat(path)
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + seconds * 1_000_000_000))


def test_an_unchanged_request_gets_the_plan_back(planned):
    assert cached_plan(REQUEST, planned["plans"]) == planned["plan"]


def test_a_file_read_with_a_new_time_plans_again(planned):
    later(planned["street"])
    assert cached_plan(REQUEST, planned["plans"]) is None


def test_a_file_added_to_a_folder_read_plans_again(planned):
    (planned["inputs"] / "2025-09-testshire-street (1).csv").write_text("x\n", encoding="utf-8")
    later(planned["inputs"])  # as the new entry would on a file system with coarse times
    assert cached_plan(REQUEST, planned["plans"]) is None


def test_a_commentary_written_since_plans_again(planned):
    planned["commentary"].write_text("summary: New words.\n", encoding="utf-8")
    assert cached_plan(REQUEST, planned["plans"]) is None


def test_a_file_made_unreadable_since_plans_again(planned):
    planned["street"].chmod(0o200)  # its time of change moves; its content and mtime do not
    assert cached_plan(REQUEST, planned["plans"]) is None


def test_changed_code_plans_again(planned):
    later(planned["code"])
    assert cached_plan(REQUEST, planned["plans"]) is None


def test_another_source_date_epoch_is_another_request(planned, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert cached_plan(REQUEST, planned["plans"]) is None


def test_another_quarter_is_another_request(planned):
    assert cached_plan(PlanRequest(REQUEST.config, "", "3"), planned["plans"]) is None


def test_a_removed_fragment_plans_again(planned):
    planned["fragment"].unlink()
    assert cached_plan(REQUEST, planned["plans"]) is None


def test_a_report_of_the_same_district_keeps_the_plan_but_another_districts_does_not(planned):
    planned["manifest"].parent.mkdir()
    planned["manifest"].write_text(json.dumps({"ingest": {"district": "Testville"}}), "utf-8")
    assert cached_plan(REQUEST, planned["plans"]) == planned["plan"]
    planned["manifest"].write_text(json.dumps({"ingest": {"district": "Otherton"}}), "utf-8")
    assert cached_plan(REQUEST, planned["plans"]) is None


def test_an_unreadable_record_plans_again(planned):
    (record,) = (planned["plans"] / plan_cache.REQUESTS_FOLDER).glob("*.json")
    record.write_text("{not json", encoding="utf-8")
    assert cached_plan(REQUEST, planned["plans"]) is None


def test_a_file_changed_while_planning_is_not_remembered(tmp_path):
    street = tmp_path / "2025-09-testshire-street.csv"
    started = file_system_now(tmp_path / "plans")
    street.write_text("Crime ID\n", encoding="utf-8")  # written after planning began
    plan = CachedPlan("plan.mk", "why", "Testville", str(tmp_path / "manifest.json"))
    assert not remember(REQUEST, tmp_path / "plans", plan, [str(street)], [], started)
    assert cached_plan(REQUEST, tmp_path / "plans") is None


def test_a_reused_plan_imports_no_pandas(monkeypatch):
    if not (SAMPLE_RAW / ".complete").exists():
        pytest.skip("sample data not generated: run through `make test`")
    epoch = str(1_735_689_600 + time.time_ns() % 1_000_000)  # a request no earlier run made
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    monkeypatch.chdir(plan_cache.PROJECT_ROOT)
    request = PlanRequest("config/sample.yaml", "2025-26", "2")
    record = PLANS_FOLDER / plan_cache.REQUESTS_FOLDER / f"{request.key()}.json"
    script = (
        "import sys\nfrom pipeline.cli import main\n"
        "main(['plan', '--quarter', '2', '--fy', '2025-26', '--config', 'config/sample.yaml'])\n"
        "print('pandas' in sys.modules)\n"
    )

    def plan_once() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", script],
            cwd=plan_cache.PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )

    try:
        first = plan_once()
        second = plan_once()
    finally:
        record.unlink(missing_ok=True)
    assert first.stdout.splitlines()[-1] == "True"  # planning reads the inputs with pandas
    assert second.stdout.splitlines()[-1] == "False"
    assert second.stdout.splitlines()[0] == first.stdout.splitlines()[0]  # the same fragment
    assert "(inputs unchanged since it was planned)" in second.stderr


@pytest.mark.parametrize(
    ("arguments", "environment", "refused"),
    [
        (["--quarter", "5"], {}, "Q='5' is not valid"),
        (["--quarter", "2", "--fy", "2025-2026"], {}, "FY='2025-2026' is not valid"),
        (["--quarter", "2"], {"SOURCE_DATE_EPOCH": "soon"}, "SOURCE_DATE_EPOCH='soon'"),
    ],
)
def test_a_mistyped_parameter_is_refused_before_pandas_loads(arguments, environment, refused):
    script = (
        "import sys\nfrom pipeline.cli import main\n"
        f"code = main(['plan', *{arguments!r}])\n"
        "print(code, 'pandas' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=plan_cache.PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **environment},
    )
    assert result.stdout.split() == ["1", "False"]
    assert refused in result.stderr
