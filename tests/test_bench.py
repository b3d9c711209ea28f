"""The benchmark's reading of a test run: pytest's closing line, as it prints it."""

from __future__ import annotations

import pytest

from pipeline.bench import PASSED_LINE


@pytest.mark.parametrize(
    ("closing", "counts"),
    [
        ("845 passed in 26.95s", "845 passed"),
        ("======= 1027 passed in 238.35s (0:03:58) =======", "1027 passed"),
        ("12 passed, 3 deselected in 1.20s", "12 passed, 3 deselected"),
    ],
)
def test_the_count_of_results_is_read_from_the_closing_line(closing, counts):
    assert PASSED_LINE.findall(f"....\n{closing}\n") == [counts]


def test_a_run_that_passed_nothing_has_no_count():
    assert PASSED_LINE.findall("no tests ran in 0.01s\n") == []
