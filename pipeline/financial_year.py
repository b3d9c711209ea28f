"""Financial years and quarter numbers as the analyst writes them (`FY=2025-26`, `Q=2`).

Standard library only (pandas is imported when a quarter's months are asked for), so a run can
refuse a mistyped Q or FY at once, before it imports anything heavy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.errors import ParameterError

if TYPE_CHECKING:
    import pandas as pd

FY_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
QUARTER_START_MONTH = {1: 4, 2: 7, 3: 10, 4: 1}


@dataclass(frozen=True)
class FinancialYear:
    """A financial year, April to March, named like `2024-25`."""

    start_year: int

    @property
    def name(self) -> str:
        """The year as written in reports and paths, e.g. `2024-25`."""
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        """The year as written in prose, e.g. `2024/25`."""
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def quarter_end(self, quarter: int) -> pd.Period:
        """The last month of quarter 1-4 of this year."""
        import pandas as pd

        start = QUARTER_START_MONTH[quarter]
        year = self.start_year + (1 if quarter == 4 else 0)
        return pd.Period(year=year, month=start, freq="M") + 2


def parse_financial_year(text: str) -> FinancialYear:
    """Read `YYYY-YY` with consecutive years, refusing anything else."""
    match = FY_PATTERN.match(str(text).strip())
    expected = "a financial year like 2024-25 (YYYY-YY, consecutive years)"
    if not match:
        raise ParameterError("FY", text, expected)
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        raise ParameterError("FY", text, expected)
    return FinancialYear(start)


def parse_quarter(text: str | int) -> int:
    """Read a quarter number 1-4, refusing anything else."""
    value = str(text).strip()
    if value not in {"1", "2", "3", "4"}:
        raise ParameterError("Q", text, "a quarter number 1, 2, 3 or 4")
    return int(value)
