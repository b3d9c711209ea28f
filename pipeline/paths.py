"""Folders of the project, built from the package's location."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DATA = PROJECT_ROOT / "pipeline" / "data"
NOTEBOOKS = PROJECT_ROOT / "notebooks"
TEMPLATES = PROJECT_ROOT / "pipeline" / "templates"  # committee/, reviewer/ (nbconvert), document/
RAW_DATA = PROJECT_ROOT / "data" / "raw"  # read-only: the pipeline never writes here
DEFAULT_OUTPUT_DIR = PROJECT_ROOT / "outputs"
DEFAULT_PROCESSED_DIR = Path(
    os.environ.get("PIPELINE_PROCESSED_DIR") or PROJECT_ROOT / "data" / "processed"
)
SAMPLE_CONFIG = PROJECT_ROOT / "config" / "sample.yaml"


def shown_path(path: Path | str) -> str:
    """A file as messages name it: relative to the project when inside it (make runs there),
    else as it is; so no published warning carries this machine's folders."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
