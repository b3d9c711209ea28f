"""Quarterly community safety scrutiny report pipeline."""

from pipeline.config import Config, load_config
from pipeline.errors import PipelineError
from pipeline.periods import FinancialYear, compared_periods, parse_financial_year, parse_quarter

__all__ = [
    "Config",
    "FinancialYear",
    "PipelineError",
    "compared_periods",
    "load_config",
    "parse_financial_year",
    "parse_quarter",
]
