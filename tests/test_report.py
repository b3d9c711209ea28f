"""Presentation helpers of the committee document."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from pipeline.report import cell_text, data_table, format_date, short_span


def test_cells_get_separators_one_decimal_and_dashes():
    assert cell_text(np.int64(12345)) == "12,345"
    assert cell_text(7) == "7"
    assert cell_text(np.float64(46.25)) == "46.3"  # already-rounded figures shown half up
    assert cell_text(pd.NA) == "-"
    assert cell_text(None) == "-"
    assert cell_text("October") == "October"


def test_data_table_escapes_text_and_formats_counts():
    frame = pd.DataFrame({"Area": ["<script>x</script>"], "Offences": [np.int64(1500)]})
    html = str(data_table(frame, "Table & caption"))
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "Table &amp; caption" in html
    assert "<td>1,500</td>" in html


def test_dates_and_column_spans_read_as_a_clerk_writes_them():
    assert format_date(date(2023, 10, 11)) == "11 October 2023"
    assert short_span(pd.Period("2025-07", "M"), pd.Period("2025-09", "M")) == "Jul-Sep 2025"
    assert short_span(pd.Period("2024-10", "M"), pd.Period("2025-09", "M")) == "Oct 2024-Sep 2025"
