"""The appendices the tracker gives: the year's action plan and the quarter's return to the OPCC."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from pipeline import opcc_return, return_words
from pipeline.charts import grant_spend_chart
from pipeline.document import Appendix, Part, data_table, figure, render
from pipeline.grant import grant_position
from pipeline.numbers import UNDEFINED, format_money
from pipeline.periods import ComparedPeriod, FinancialYear
from pipeline.sources.tracker import Tracker

NO_RETURN = "No return"
RAG_MEANINGS = (
    "Each project is rated as the OPCC asks: Red, not significantly achieved; Amber, partially "
    "achieved; Green, achieved."
)


def action_plan_table(actions: pd.DataFrame, priority: str) -> Markup:
    """One priority's actions, grouped by objective, as an accessible table."""
    objectives = [
        {"name": objective, "actions": rows.to_dict("records")}
        for objective, rows in actions.groupby("objective", sort=False)
    ]
    return render(
        "action_plan_table.html.j2", caption=f"{priority}: actions", objectives=objectives
    )


def action_plan_appendix(tracker: Tracker, year: FinancialYear) -> Appendix:
    """The year's action plan from the tracker, one table for each priority."""
    plan = opcc_return.year_plan(tracker.plan, year.name)
    parts = [
        Part(
            heading=priority,
            anchor=f"action-plan-priority-{number}",
            blocks=[action_plan_table(actions, priority)],
        )
        for number, (priority, actions) in enumerate(plan.groupby("priority", sort=False), start=1)
    ]
    known = plan["financial_year"].notna().all()
    return Appendix("action_plan", f"Action Plan {year.label}" if known else "Action Plan", parts)


def opcc_return_appendix(
    tracker: Tracker, year: FinancialYear, quarter: int, period: ComparedPeriod
) -> Appendix:
    """The quarter's return: ratings and their changes, grant spend, then each project's return."""
    returns = tracker.returns
    changes = opcc_return.rag_changes(returns, year.name, quarter)
    parts = [
        Part(
            [
                f"This is the partnership's return to the Office of the Police and Crime "
                f"Commissioner (OPCC) for quarter {quarter} {year.label} "
                f"({period.current_span}), as recorded in its tracker. {RAG_MEANINGS}",
                *ratings_paragraphs(tracker, year, quarter, changes),
            ],
            heading="Summary of the Return",
            anchor="opcc-summary",
            blocks=[overview_table(tracker, year, quarter)] if not changes.empty else [],
        ),
        grant_part(tracker, year, quarter, period),
        Part(
            [
                f"Each project's return for quarter {quarter} as sent to the OPCC. Activities "
                f"and success are to date; cost to date is the running total spent in "
                f"{year.label}. The return and the spend by quarter are also published with "
                "this report as spreadsheet tables."
            ]
            if not changes.empty
            else [],
            heading="Project Returns",
            anchor="opcc-projects",
            blocks=[
                project_return_table(entry, quarter)
                for entry in opcc_return.quarter_returns(returns, year.name, quarter).to_dict(
                    "records"
                )
            ],
        ),
    ]
    title = (
        f"Quarterly Return to the Office of the Police and Crime Commissioner, "
        f"Quarter {quarter} {year.label}"
    )
    return Appendix("opcc_return", title, parts)


def ratings_paragraphs(
    tracker: Tracker, year: FinancialYear, quarter: int, changes: pd.DataFrame
) -> list[str]:
    """How the projects are rated, what changed since last quarter, and what had no activity."""
    if changes.empty:
        return [f"The tracker holds no returns for quarter {quarter} {year.label} yet."]
    returns = tracker.returns
    return [
        return_words.rag_count_sentence(changes, quarter),
        *return_words.rag_change_sentences(changes, quarter),
        *return_words.activity_sentences(
            opcc_return.idle_projects(returns, year.name, quarter),
            opcc_return.missing_returns(returns, tracker.budgets, year.name, quarter),
            quarter,
        ),
    ]


def grant_part(tracker: Tracker, year: FinancialYear, quarter: int, period: ComparedPeriod) -> Part:
    """Spend to date against the grant and its straight-line profile, with the chart."""
    position = grant_position(tracker.allocation, tracker.returns, year.name, quarter)
    if position is None:
        return Part(
            [
                f"The tracker's Grant sheet has no allocation for {year.label}, so spend is not "
                "compared with the grant."
            ],
            heading="Grant Spend",
            anchor="opcc-grant",
        )
    spend = opcc_return.cumulative_spend(tracker.returns, position.allocation, year.name, quarter)
    chart = grant_spend_chart(spend, year.label)
    return Part(
        [
            return_words.grant_sentence(position, year, period),
            return_words.profile_sentence(position),
            *return_words.over_budget_sentences(
                opcc_return.project_spend(tracker.returns, tracker.budgets, year.name, quarter)
            ),
        ],
        heading="Grant Spend",
        anchor="opcc-grant",
        blocks=[figure(chart), data_table(chart.data, f"Data for the chart '{chart.title}'")],
    )


def overview_table(tracker: Tracker, year: FinancialYear, quarter: int) -> Markup:
    """Every project in the quarter's return: money to date and its rating in each quarter."""
    spend = opcc_return.project_spend(tracker.returns, tracker.budgets, year.name, quarter)
    ratings = rating_history(tracker.returns, year.name, quarter)
    rows = [
        {
            "project": row.project,
            "money": [
                format_money(row.budget) if row.budget is not None else UNDEFINED,
                format_money(row.spent_in_quarter),
                format_money(row.cost_to_date) if row.cost_to_date is not None else UNDEFINED,
                return_words.budget_share(row.cost_to_date, row.budget),
            ],
            "ratings": ratings[row.project],
        }
        for row in spend.itertuples(index=False)
    ]
    return render(
        "opcc_overview_table.html.j2",
        caption=f"Projects at the end of quarter {quarter} {year.label}",
        quarters=range(1, quarter + 1),
        rows=rows,
        no_return=NO_RETURN,
    )


def rating_history(returns: pd.DataFrame, financial_year: str, quarter: int) -> dict[str, list]:
    """Each project's rating in every quarter of the year so far (None: not rated)."""
    history: dict[str, list] = {}
    for number in range(1, quarter + 1):
        rated = dict(
            opcc_return.quarter_returns(returns, financial_year, number)[["project", "rag"]]
            .astype("object")
            .itertuples(index=False)
        )
        for project in opcc_return.quarter_returns(returns, financial_year, quarter)["project"]:
            word = rated.get(project, NO_RETURN)
            history.setdefault(project, []).append(None if pd.isna(word) else word)
    return history


def project_return_table(entry: dict[str, object], quarter: int) -> Markup:
    """One project's return for the quarter, a row for each of the OPCC's questions."""
    texts = ("rationale", "activities_to_date", "success_measures_proposed", "success_to_date")
    cost, rag = entry["cost_to_date"], entry["rag"]
    return render(
        "opcc_project_return.html.j2",
        caption=f"{entry['project']}: return for quarter {quarter}",
        entry={
            **{column: shown_text(entry[column]) for column in (*texts, "notes")},
            "cost_to_date": format_money(cost) if cost is not None else "None reported",
            "rag": None if pd.isna(rag) else rag,
        },
    )


def shown_text(value: object) -> str:
    """A tracker cell's text as written, or `-` when blank."""
    return value if isinstance(value, str) and value.strip() else UNDEFINED
