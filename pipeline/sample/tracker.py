"""The sample district's tracker: Ashworth Vale's action plan, OPCC returns and grant for 2025-26.

A Community Safety Partnership keeps its action plan, its quarterly returns to the Office of the
Police and Crime Commissioner (OPCC) and its grant in one workbook (see
`pipeline.sources.tracker`). This module writes an invented one for the sample district, modelled
on a real partnership's plan and returns (three priorities: People, Places, Property; six funded
projects) but in its own words. It starts from the empty documented workbook
(`pipeline.tracker_template.write_template`), so the Read me sheet and formatting are kept.

The returns for Q1 to Q4 of 2025-26 are written to exercise what a real year brings:

- RAG changes: Re-deployable CCTV Green to Amber and Bystander Training Amber to Green from Q1 to
  Q2; Community Events Amber to Green and Target Hardening Green to Amber from Q2 to Q3;
  Re-deployable CCTV and Target Hardening Amber to Green from Q3 to Q4.
- The Response Fund is not yet rated in Q1 (blank RAG, blank cost: nothing spent).
- Community Events has no activity in Q2: its activities and cost are those of Q1.
- Target Hardening's cost to date passes its budget in Q3, so reading the tracker warns.
- Some amounts are written as text ('£2,385.50'), as analysts type them; the rest as numbers.

Everything is fixed data, in `data/tracker.yaml`: the same workbook every run (apart from the
timestamps openpyxl writes into the file's properties).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
import yaml
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.sources.tracker import (
    COLUMNS,
    GRANT_SHEET,
    PLAN_SHEET,
    RETURNS_SHEET,
)
from pipeline.tracker_template import MONEY_FORMAT, WRAPPED, write_template

SAMPLE_DATA = Path(__file__).parent / "data" / "tracker.yaml"  # the plan, returns and grant

Money = Decimal | str | None  # a number cell, a cell typed as text ('£1,250.50'), or blank


@dataclass(frozen=True)
class _Action:
    """One row of the action plan; a blank priority or objective means the same as above."""

    priority: str
    objective: str
    action: str
    success_measure: str
    lead: str
    funding: str = ""
    project: str = ""


@dataclass(frozen=True)
class _Return:
    """One quarter's return for a project (activities and success are to date)."""

    activities: str
    success: str
    cost: Money
    rag: str
    notes: str = ""


@dataclass(frozen=True)
class _Project:
    """A funded project: its budget, what the proposal said, and its four returns."""

    name: str
    budget: Money
    rationale: str
    measures: str
    returns: tuple[_Return, _Return, _Return, _Return]  # Q1 to Q4


def _money(value: str | None) -> Money:
    """A money cell from the data file: a quoted decimal is a number, `£...` text as typed."""
    if value is None or value.startswith("£"):
        return value
    return Decimal(value)


@dataclass(frozen=True)
class _SampleTracker:
    """The sample tracker's content, as `data/tracker.yaml` holds it."""

    year: str
    allocation: Decimal
    plan: tuple[_Action, ...]
    projects: tuple[_Project, ...]


def sample_tracker_data(path: Path = SAMPLE_DATA) -> _SampleTracker:
    """The action plan, projects and returns of the sample tracker, from its data file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    projects = tuple(
        _Project(
            name=project["name"],
            budget=_money(project["budget"]),
            rationale=project["rationale"],
            measures=project["measures"],
            returns=tuple(
                _Return(
                    activities=entry["activities"],
                    success=entry["success"],
                    cost=_money(entry["cost"]),
                    rag=entry["rag"],
                    notes=entry["notes"],
                )
                for entry in project["returns"]
            ),
        )
        for project in data["projects"]
    )
    return _SampleTracker(
        year=data["financial_year"],
        allocation=Decimal(data["allocation"]),
        plan=tuple(_Action(**action) for action in data["plan"]),
        projects=projects,
    )


def write_sample_tracker(path: Path) -> Path:
    """Write the sample district's tracker workbook (2025-26) to path and return the path."""
    sample = sample_tracker_data()
    path = write_template(Path(path))
    book = openpyxl.load_workbook(path)
    _fill(book[PLAN_SHEET], PLAN_SHEET, [_plan_row(sample.year, action) for action in sample.plan])
    _fill(
        book[RETURNS_SHEET],
        RETURNS_SHEET,
        [
            _return_row(sample.year, project, quarter, project.returns[quarter - 1])
            for quarter in (1, 2, 3, 4)  # each quarter's returns added below the last
            for project in sample.projects
        ],
    )
    _fill(
        book[GRANT_SHEET],
        GRANT_SHEET,
        [
            {"financial_year": sample.year, "project": None, "amount": sample.allocation},
            *(
                {"financial_year": sample.year, "project": p.name, "amount": p.budget}
                for p in sample.projects
            ),
        ],
    )
    book.save(path)
    return path


def _plan_row(year: str, action: _Action) -> dict[str, object]:
    """An action as the Action plan sheet's cells, by canonical column."""
    return {
        "financial_year": year,
        "priority": action.priority,
        "objective": action.objective,
        "action": action.action,
        "success_measure": action.success_measure,
        "lead": action.lead,
        "funding": action.funding,
        "project": action.project,
    }


def _return_row(year: str, project: _Project, quarter: int, entry: _Return) -> dict[str, object]:
    """A project's return for a quarter as the Quarterly returns sheet's cells."""
    return {
        "financial_year": year,
        "quarter": quarter,
        "project": project.name,
        "rationale": project.rationale,
        "activities_to_date": entry.activities,
        "success_measures_proposed": project.measures,
        "success_to_date": entry.success,
        "cost_to_date": entry.cost,
        "rag": entry.rag,
        "notes": entry.notes,
    }


def _fill(sheet: Worksheet, name: str, rows: Sequence[dict[str, object]]) -> None:
    """Rows below the template's header, in its column order: cells wrapped, money as £."""
    headers = [cell.value for cell in sheet[1]]
    columns = [COLUMNS[name][header] for header in headers]
    for values in rows:
        sheet.append([None if values[column] == "" else values[column] for column in columns])
        for cell in sheet[sheet.max_row]:
            cell.alignment = WRAPPED
            if isinstance(cell.value, Decimal):  # money; the quarter is an int
                cell.number_format = MONEY_FORMAT
