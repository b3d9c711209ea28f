"""The committee PDF, rendered by WeasyPrint in a process of its own.

The run starts the worker before the notebooks, so WeasyPrint's imports overlap them, and hands
it the committee HTML once it is written, so the rendering overlaps the reviewer export. The
worker reads one job (the HTML file and the PDF to write, as JSON) from its standard input; an
empty input (the run stopped before its exports) ends it with nothing written.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pipeline.errors import ExportError, OperatingSystemError
from pipeline.paths import TEMPLATES

STOP_SECONDS = 10  # how long a worker given no job may take to end before it is killed


def committee_pdf(html: str, target: Path) -> None:
    """A tagged A4 PDF of the committee HTML."""
    from weasyprint import HTML

    HTML(string=html, base_url=str(TEMPLATES)).write_pdf(target, pdf_variant="pdf/ua-1")


class PdfWorker:
    """A started worker process, waiting for its one job."""

    def __init__(self) -> None:
        self.target: Path | None = None
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.pdf_worker"],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def render(self, html_file: Path, target: Path) -> None:
        """Start rendering html_file into target; `wait` says when it is written."""
        self.target = target
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps([str(html_file), str(target)]) + "\n")
        self.process.stdin.close()

    def wait(self) -> None:
        """Wait for the PDF; stop with the worker's own message if it could not write it."""
        assert self.process.stderr is not None
        errors = self.process.stderr.read()  # until the worker ends, so it never blocks writing
        self.process.wait()
        if self.process.returncode != 0:
            lines = [line for line in errors.splitlines() if line.strip()]
            problem = lines[-1] if lines else f"the PDF worker stopped ({self.process.returncode})"
            refused = OperatingSystemError.from_text(problem)  # a full disk, a read-only folder
            if refused is not None:
                raise refused
            raise ExportError(self.target or Path("committee PDF"), problem)

    def stop(self) -> None:
        """End the worker if it is still running (the run stopped before or during its job)."""
        if self.process.poll() is not None:
            return
        try:
            if self.process.stdin is not None and not self.process.stdin.closed:
                self.process.stdin.close()
            self.process.wait(timeout=STOP_SECONDS)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


def main() -> int:
    """The worker: import WeasyPrint at once, then render the one job it is given."""
    import weasyprint  # noqa: F401  imported now, while the run's notebooks execute

    job = sys.stdin.readline()
    if not job.strip():
        return 0
    source, target = json.loads(job)
    try:
        committee_pdf(Path(source).read_text(encoding="utf-8"), Path(target))
    except OSError as error:  # `[Errno 28] ...: 'path'`, which the parent turns into advice
        print(error, file=sys.stderr)
        return 1
    except Exception as error:  # the parent reports it as one line naming the PDF
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
