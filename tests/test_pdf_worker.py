"""The PDF worker: renders each job it is given, ends quietly without one, reports a failure as one
line naming the file."""

from __future__ import annotations

import pytest

from pipeline.errors import OperatingSystemError
from pipeline.pdf_worker import PdfWorker, end_kept_worker, keep_workers, kept_worker

pytestmark = pytest.mark.slow  # each test starts a WeasyPrint process: not in make test-fast

PAGE = (
    '<!DOCTYPE html><html lang="en-GB"><head><title>T</title></head><body><p>Hi</p></body></html>'
)


def test_the_worker_renders_the_html_it_is_given(tmp_path):
    html = tmp_path / "report.html"
    html.write_text(PAGE, encoding="utf-8")
    worker = PdfWorker()
    worker.render(html, tmp_path / "report.pdf")
    worker.wait()
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")


def test_a_worker_given_no_job_ends_and_writes_nothing(tmp_path):
    worker = PdfWorker()
    worker.stop()
    assert worker.process.returncode == 0
    assert list(tmp_path.iterdir()) == []


def test_a_pdf_that_cannot_be_written_stops_with_the_path_and_what_to_do(tmp_path):
    html = tmp_path / "report.html"
    html.write_text(PAGE, encoding="utf-8")
    target = tmp_path / "gone" / "report.pdf"  # its folder does not exist
    worker = PdfWorker()
    worker.render(html, target)
    with pytest.raises(OperatingSystemError) as caught:
        worker.wait()
    assert str(target) in str(caught.value)
    assert "no such file or folder" in str(caught.value)


def test_a_kept_worker_renders_one_run_s_pdf_after_another_even_after_a_failure(tmp_path):
    html = tmp_path / "report.html"
    html.write_text(PAGE, encoding="utf-8")
    keep_workers()
    try:
        worker = kept_worker()
        for name in ("first.pdf", "gone/failed.pdf", "second.pdf"):
            worker.render(html, tmp_path / name)
            if name.startswith("gone"):
                with pytest.raises(OperatingSystemError):
                    worker.wait()
            else:
                worker.wait()
            worker.stop()  # a run's end leaves a kept worker running
            assert kept_worker() is worker
        assert (tmp_path / "second.pdf").read_bytes().startswith(b"%PDF-")
    finally:
        end_kept_worker()
    assert worker.process.poll() == 0 and kept_worker() is None
