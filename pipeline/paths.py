"""Folders of the project, built from the package's location."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DATA = PROJECT_ROOT / "pipeline" / "data"
NOTEBOOKS = PROJECT_ROOT / "notebooks"
TEMPLATES = PROJECT_ROOT / "pipeline" / "templates"  # committee/, reviewer/ (nbconvert), document/
RAW_DATA = PROJECT_ROOT / "data" / "raw"  # read-only: the pipeline never writes here
DEFAULT_OUTPUT_DIR = PROJECT_ROOT / "outputs"
PLANS_FOLDER = PROJECT_ROOT / ".build" / "plans"  # the quarters planned, for make
DEFAULT_PROCESSED_DIR = Path(
    os.environ.get("PIPELINE_PROCESSED_DIR") or PROJECT_ROOT / "data" / "processed"
)
SAMPLE_CONFIG = PROJECT_ROOT / "config" / "sample.yaml"


def project_path(path: Path | str, root: Path = PROJECT_ROOT) -> str:
    """A path relative to the project when it lies inside it (make runs there); otherwise as
    given. Messages and published files name files so, never by this machine's folders."""
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
