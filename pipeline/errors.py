"""Exceptions the pipeline raises: one base class, one subclass per kind of problem."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterable
from pathlib import Path


class InputWarning(UserWarning):
    """Something odd in an input that the run can still use (reported, not fatal)."""


class QuarterWarning(InputWarning):
    """Something odd that concerns one quarter of one financial year: said only when a quarter
    of that year from that one on is built."""

    def __init__(self, message: str, financial_year: str, quarter: int) -> None:
        super().__init__(message)
        self.financial_year, self.quarter = financial_year, quarter

    def concerns(self, financial_year: str, quarter: int) -> bool:
        """Whether a report of this quarter should say it: the same year, this quarter or later."""
        return financial_year == self.financial_year and quarter >= self.quarter


class PipelineError(Exception):
    """Base class: a problem the user can act on, reported as one line without a traceback."""


class ParameterError(PipelineError):
    """A run parameter (quarter, financial year) is not valid."""

    def __init__(self, name: str, value: object, expected: str) -> None:
        self.name, self.value, self.expected = name, value, expected
        super().__init__(f"{name}={value!r} is not valid: expected {expected}.")


class ConfigError(PipelineError):
    """The config file is missing, unreadable or lacks a required key."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None) -> None:
        self.path, self.problem, self.line = Path(path), problem, line
        where = f"{path}, line {line}" if line else f"{path}"
        super().__init__(f"Config {where}: {problem}")


class InputFileError(PipelineError):
    """A raw input file breaks its format: names the file, row and column."""

    def __init__(
        self,
        path: Path | str,
        problem: str,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path, self.problem, self.row, self.column = Path(path), problem, row, column
        where = [str(path)]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {problem}")


class MissingMonthsError(PipelineError):
    """Months needed by a compared period are absent from the inputs."""

    def __init__(
        self, months: Iterable[str], source: Path | str, problem: str | None = None
    ) -> None:
        self.months, self.source = list(months), Path(source)
        listed = ", ".join(self.months)
        if problem is not None:
            super().__init__(f"{problem.rstrip('.')} ({listed}; looked in {source}).")
            return
        super().__init__(
            f"No data for {len(self.months)} month(s) needed by this quarter's comparisons: "
            f"{listed} (looked in {source}). Add the missing files, or list the months under "
            "'accept_missing_months' in the config to report without them."
        )


class SelectionError(PipelineError):
    """The district selection (LSOA prefix or codes) matches no rows."""


class NotebookError(PipelineError):
    """A notebook cell failed while the pipeline ran it."""

    def __init__(self, notebook: str, cell: int | None, error: str, kept_at: Path | None) -> None:
        self.notebook, self.cell, self.error, self.kept_at = notebook, cell, error, kept_at
        where = f"notebooks/{notebook}" + (f", cell {cell}" if cell is not None else "")
        kept = f"; the failed notebook is kept at {kept_at}" if kept_at else ""
        super().__init__(f"{error.rstrip('.')} (stopped in {where}{kept}).")


class NotebookCancelledError(PipelineError):
    """A notebook the run stopped itself, because another stage failed or the analyst pressed
    Ctrl-C: that stage's error (or the interruption) is the one said, never this."""

    def __init__(self, notebook: str) -> None:
        self.notebook = notebook
        super().__init__(f"notebooks/{notebook} was stopped: the run was stopping.")


class ExportError(PipelineError):
    """An export of the report (the committee PDF) could not be written."""

    def __init__(self, target: Path, problem: str) -> None:
        self.target, self.problem = target, problem
        super().__init__(f"{target}: could not be written: {problem.rstrip('.')}.")


# What to do when the operating system refuses to read or write a file, by its error number.
OS_ADVICE = {
    errno.ENOSPC: "the disk is full; free some space and run again",
    errno.EDQUOT: "your disk quota is used up; free some space and run again",
    errno.EROFS: (
        "the disk is read-only; set output_dir and processed_dir in the config to a folder "
        "you can write to"
    ),
    errno.EACCES: (
        "permission denied; make the folder writable for you, or set output_dir and "
        "processed_dir in the config to one that is"
    ),
    errno.EPERM: (
        "the operation is not permitted; make the folder writable for you, or set output_dir "
        "and processed_dir in the config to one that is"
    ),
    errno.ENAMETOOLONG: (
        "the name is too long for the file system; choose a shorter output_dir or "
        "processed_dir in the config"
    ),
    errno.EMFILE: "too many files are open; close other programs and run again",
    errno.ENFILE: "too many files are open on this machine; close other programs and run again",
    errno.EIO: "the disk reported a read or write failure; check the disk, then run again",
    errno.ENOENT: "no such file or folder (moved or deleted?); check the path and run again",
}
ERRNO_TEXT = re.compile(r"^\[Errno (?P<number>\d+)\] [^:]*(?:: '(?P<path>.*)')?")


class OperatingSystemError(PipelineError):
    """The operating system refused to read or write a file: names the path and what to do.

    Earlier outputs are untouched: a quarter is built beside them and moved in only when whole.
    """

    def __init__(self, number: int | None, path: Path | str | None, strerror: str = "") -> None:
        self.number, self.path = number, path
        code = errno.errorcode.get(number or 0, "")
        advice = OS_ADVICE.get(number or 0) or (strerror or "the operating system refused")
        where = f"{path}: " if path else ""
        reason = f" ({os.strerror(number)}, {code})" if code else ""
        super().__init__(f"{where}{advice}{reason}. Nothing published earlier was changed.")

    @classmethod
    def from_os_error(cls, error: OSError) -> OperatingSystemError:
        """The error for an OSError raised in this process."""
        return cls(error.errno, error.filename, error.strerror or str(error))

    @classmethod
    def from_text(cls, text: str) -> OperatingSystemError | None:
        """The error for an OSError's text, '[Errno 28] No space left on device: ...', or None."""
        match = ERRNO_TEXT.match(text or "")
        if match is None:
            return None
        return cls(int(match["number"]), match["path"], text)
