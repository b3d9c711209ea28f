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


def test_home_office_table_has_three_sections_grouped_headers_and_dashes():
    from pipeline.periods import compared_periods, parse_financial_year
    from pipeline.report import home_office_table
    from pipeline.taxonomy import home_office

    period = compared_periods(parse_financial_year("2025-26"), 2)["rolling_12_months"]
    rows = [
        {"section": row.section, "level": row.level, "crime_type": row.name}
        for row in home_office().rows
    ]
    table = pd.DataFrame(rows).assign(
        offences_previous=1200,
        offences_current=1500,
        offences_diff=300,
        offences_pct_diff=25.0,
        solved_previous=pd.NA,
        solved_current=pd.NA,
        solved_diff=pd.NA,
        solved_pct_diff=pd.NA,
        solved_rate_previous=pd.NA,
        solved_rate_current=pd.NA,
        solved_rate_pt_diff=pd.NA,
        pct_da_current=pd.NA,
    )
    html = str(home_office_table(table, period, 1))
    assert html.count('scope="rowgroup"') == 3
    for name in ("Top Level", "Victim Based Crime", "State Based Crime"):
        assert f'colspan="13">{name}</th>' in html
    assert 'colspan="4">Offences</th>' in html and 'colspan="4">Solved outcomes</th>' in html
    assert "<td>1,500</td>" in html and "<td>+300</td>" in html and "<td>+25.0</td>" in html
    assert "<td>-</td>" in html
    assert html.count('class="level-2"') == 11  # 2 rape, 2 burglary, 3 vehicle, 4 theft
    assert "Table 1: rolling 12 months, October 2024 to September 2025" in html
