"""The plan: a checked request to build one quarter, as the make fragment and each step read it.

`planning.make_plan` works a plan out (checking the parameters, config and inputs); the plan's JSON
beside the make fragment carries it to the ingest and report steps.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import ParameterError

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.financial_year import FinancialYear

EPOCH_FIRST, EPOCH_LAST = 315_532_800, 4_102_444_800  # 1980-01-01 and 2100-01-01, UTC


@dataclass(frozen=True)
class Plan:
    """A checked request to build one quarter: parameters and every path it touches."""

    config_path: str
    financial_year: str
    quarter: int
    quarter_dir: str
    processed_dir: str
    inputs: list[str]
    commentary: str = ""
    tracker: list[str] = field(default_factory=list)
    ons_tables: list[str] = field(default_factory=list)  # the ONS workbook, if the config names it
    files_found: list[str] = field(default_factory=list)
    reason: str = ""  # why this financial year, as the plan said it

    # The config and periods modules (pandas) are imported when asked for, not with the plan:
    # the ingest step reads its plan and starts the notebook without them.
    @property
    def year(self) -> FinancialYear:
        """The financial year as an object."""
        from pipeline.financial_year import parse_financial_year

        return parse_financial_year(self.financial_year)

    @property
    def config(self) -> Config:
        """The district config."""
        from pipeline.config import load_config

        return load_config(self.config_path)


def read_plan(path: Path) -> Plan:
    """A plan saved by write_plan."""
    return Plan(**json.loads(Path(path).read_text(encoding="utf-8")))


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH, the time reproducible builds write instead of the clock, if set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    expected = (
        f"a whole number of seconds since 1 January 1970, from {EPOCH_FIRST:,} "
        f"(1 January 1980, the zip formats' first date) to {EPOCH_LAST:,} (1 January 2100)"
    )
    if not value.isdigit() or not value.isascii() or not EPOCH_FIRST <= int(value) <= EPOCH_LAST:
        raise ParameterError("SOURCE_DATE_EPOCH", value, expected)
    return int(value)
