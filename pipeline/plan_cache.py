"""Plans remembered against the sizes and times of what they read, so an unchanged re-run skips
the plan-time checks and the imports they need (pandas above all).

A plan is reused only while every file and folder it read is as it was (size and modification
time, or still missing), the package's code and notebooks are unchanged, and the request (config,
FY, Q, working folder, SOURCE_DATE_EPOCH, PIPELINE_PROCESSED_DIR) is the same. Standard library
only: this runs before anything heavy is imported.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.paths import NOTEBOOKS, PROJECT_ROOT

REQUESTS_FOLDER = "requests"
ENVIRONMENT = ("SOURCE_DATE_EPOCH", "PIPELINE_PROCESSED_DIR")
CODE_FOLDERS = (PROJECT_ROOT / "pipeline", NOTEBOOKS)


@dataclass(frozen=True)
class PlanRequest:
    """What `make quarter` asked for, in the words it was asked."""

    config: str
    financial_year: str
    quarter: str

    def key(self) -> str:
        """A name for this request, from everything that can change its plan but the files."""
        identity = {
            "config": os.path.abspath(self.config),
            "financial_year": self.financial_year,
            "quarter": self.quarter,
            "environment": {name: os.environ.get(name, "") for name in ENVIRONMENT},
        }
        return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:20]


@dataclass(frozen=True)
class CachedPlan:
    """A plan still valid: its make fragment and the line the plan printed when it was made,
    with the district it is for and the manifest of the quarter folder it publishes into."""

    fragment: str
    reason: str
    district: str
    manifest: str


def stamp(path: str) -> list[int] | None:
    """A file's or folder's identity, size, and modification and change times (a change of
    permissions moves the latter); None if it is missing or cannot be reached."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return [status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]


def code_stamp() -> str:
    """One digest of the sizes and times of every package and notebook file."""
    entries = []
    for folder in CODE_FOLDERS:
        for root, folders, files in os.walk(folder):
            folders[:] = sorted(name for name in folders if name != "__pycache__")
            for name in sorted(files):
                path = os.path.join(root, name)
                entries.append([path, stamp(path)])
    return hashlib.sha256(json.dumps(entries).encode()).hexdigest()


def published_district(manifest: str) -> str | None:
    """The district whose report a quarter folder holds, from its manifest; None if none."""
    try:
        with open(manifest, encoding="utf-8") as handle:
            district = json.load(handle)["ingest"]["district"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return district if isinstance(district, str) else None


def _record_path(request: PlanRequest, folder: Path) -> Path:
    return folder / REQUESTS_FOLDER / f"{request.key()}.json"


def cached_plan(request: PlanRequest, folder: Path) -> CachedPlan | None:
    """The plan made for this request, if nothing it read has changed since; else None."""
    try:
        record = json.loads(_record_path(request, folder).read_text(encoding="utf-8"))
        watched, outputs = record["watched"], record["outputs"]
        unchanged = record["code"] == code_stamp() and all(
            stamp(path) == recorded for path, recorded in watched.items()
        )
        if not unchanged or not all(os.path.exists(path) for path in outputs):
            return None
        if published_district(record["manifest"]) not in (None, record["district"]):
            return None  # another district's report is there now: the plan will refuse it
        return CachedPlan(
            record["fragment"], record["reason"], record["district"], record["manifest"]
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no record, or one unreadable: plan afresh


CLOCK_FILE = ".clock"


def file_system_now(folder: Path) -> int:
    """The file system's own time now, in nanoseconds, from a file touched in folder.

    A file written from now on bears a time at least this. `time.time_ns()` would not do: the
    kernel stamps files from a coarser clock, which can read a few milliseconds earlier.
    """
    folder.mkdir(parents=True, exist_ok=True)
    clock = folder / CLOCK_FILE
    clock.touch()
    return clock.stat().st_mtime_ns


def remember(
    request: PlanRequest,
    folder: Path,
    plan: CachedPlan,
    watched: list[str],
    outputs: list[str],
    started_ns: int,
) -> bool:
    """Save a plan just made against the stamps of what it read; False if a file it read changed
    while it was planning (then nothing is saved, and the next run plans afresh)."""
    stamps = {path: stamp(path) for path in watched}
    if any(value is not None and max(value[2:]) >= started_ns for value in stamps.values()):
        return False
    record = {
        "fragment": plan.fragment,
        "reason": plan.reason,
        "district": plan.district,
        "manifest": plan.manifest,
        "watched": stamps,
        "outputs": outputs,
        "code": code_stamp(),
    }
    path = _record_path(request, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(record, indent=1), encoding="utf-8")
    partial.replace(path)
    return True
