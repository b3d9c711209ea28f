"""The committee PDF, rendered by WeasyPrint in a process of its own.

The run starts the worker before the notebooks, so WeasyPrint's imports overlap them, and hands
it the committee HTML once it is written, so the rendering overlaps the reviewer export. The
worker reads jobs (the HTML file and the PDF to write, as JSON, a line each) from its standard
input and answers each with a line on its standard output: empty when the PDF is written, else
the problem. The end of its input (the run stopped before its exports, or finished) ends it.
A process that builds many quarters (a force's worker) keeps one worker for all of them.
"""

from __future__ import annotations

import atexit
import json
import os
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
    """A started worker process, waiting for a job."""

    def __init__(self) -> None:
        self.target: Path | None = None
        self.kept = False
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.pdf_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None if os.environ.get("DEBUG") == "1" else subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )

    def render(self, html_file: Path, target: Path) -> None:
        """Start rendering html_file into target; `wait` says when it is written."""
        self.target = target
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps([str(html_file), str(target)]) + "\n")
        self.process.stdin.flush()

    def wait(self) -> None:
        """Wait for the PDF; stop with the worker's own message if it could not write it."""
        assert self.process.stdout is not None
        answer = self.process.stdout.readline()
        if answer == "\n":
            return
        problem = answer.strip()
        if not answer:  # it ended without answering: killed, or out of memory
            self.process.wait()
            problem = f"the PDF worker stopped ({self.process.returncode})"
        refused = OperatingSystemError.from_text(problem)  # a full disk, a read-only folder
        if refused is not None:
            raise refused
        raise ExportError(self.target or Path("committee PDF"), problem)

    def stop(self) -> None:
        """End the worker (the run finished, or stopped before or during its job), unless the
        process keeps it for its next run."""
        if self.kept and self.process.poll() is None:
            return
        self.end()

    def end(self) -> None:
        """End the worker if it is still running."""
        if self.process.poll() is not None:
            return
        try:
            if self.process.stdin is not None and not self.process.stdin.closed:
                self.process.stdin.close()
            self.process.wait(timeout=STOP_SECONDS)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


_KEPT: list[PdfWorker] = []


def kept_worker() -> PdfWorker | None:
    """The worker this process keeps for its runs (keep_workers), if it does; one that failed
    or ended is replaced."""
    if not _KEPT:
        return None
    if _KEPT[0].process.poll() is not None:
        _KEPT[0] = PdfWorker()
        _KEPT[0].kept = True
    return _KEPT[0]


def keep_workers() -> None:
    """From now until it ends, this process keeps one PDF worker for all its runs."""
    if not _KEPT:
        worker = PdfWorker()
        worker.kept = True
        _KEPT.append(worker)
        atexit.register(end_kept_worker)


def end_kept_worker() -> None:
    """End the PDF worker this process keeps, if any."""
    while _KEPT:
        _KEPT.pop().end()


def main() -> int:
    """The worker: import WeasyPrint at once, then render each job it is given, answering each
    with an empty line, or with the problem (the parent turns an OS error into advice)."""
    import weasyprint  # noqa: F401  imported now, while the run's notebooks execute

    for job in sys.stdin:
        if not job.strip():
            continue
        source, target = json.loads(job)
        try:
            committee_pdf(Path(source).read_text(encoding="utf-8"), Path(target))
            answer = ""
        except OSError as error:  # `[Errno 28] ...: 'path'`
            answer = str(error)
        except Exception as error:  # reported as one line naming the PDF
            answer = f"{type(error).__name__}: {error}"
        print(" ".join(answer.split()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
