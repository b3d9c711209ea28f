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

Everything is fixed data: the same workbook every run (apart from the timestamps openpyxl
writes into the file's properties).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.sources.tracker import (
    COLUMNS,
    GRANT_SHEET,
    PLAN_SHEET,
    RETURNS_SHEET,
)
from pipeline.tracker_template import MONEY_FORMAT, WRAPPED, write_template

SAMPLE_TRACKER_YEAR = "2025-26"
SAMPLE_ALLOCATION = Decimal("36250.00")  # the year's OPCC grant (invented)

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


P1, P2, P3 = "Priority 1 - People", "Priority 2 - Places", "Priority 3 - Property"

CAMPAIGNS = "Campaigns"
RESPONSE_FUND = "Response Fund"
COMMUNITY_EVENTS = "Community Events"
CCTV = "Re-deployable CCTV"
BYSTANDER = "Bystander Training"
TARGET_HARDENING = "Target Hardening"

CAMPAIGN_POT = "Part of campaign pot"

PLAN: tuple[_Action, ...] = (
    _Action(
        P1,
        "Raise awareness of domestic abuse and of where to get help",
        "Run a calendar of awareness campaigns for victims, families and perpetrators:\n"
        "• White Ribbon Day and 16 Days of Action (November-December)\n"
        "• Festive season safety messages (December)\n"
        "• Sexual Abuse and Sexual Violence Awareness Week (February)",
        "• Social media reach\n• Radio listener figures\n• Calls to the local helpline in the "
        "fortnight after each campaign",
        "CS Team / DA Coordinator",
        CAMPAIGN_POT,
        CAMPAIGNS,
    ),
    _Action(
        "",
        "",
        "Community wellbeing days in Ashworth, Thornby and Upper Holme, with stalls from domestic "
        "abuse, housing, health and drug and alcohol services (autumn)",
        "• Number of events\n• Numbers attending\n• Referrals the services report afterwards",
        "CS Team / DA Coordinator",
        "£2,000 for venues and stalls",
        COMMUNITY_EVENTS,
    ),
    _Action(
        "",
        "Prevent serious violence and exploitation of young people",
        "Knife crime and healthy relationships sessions in the district's four secondary schools "
        "(spring term)",
        "Number of pupils taking part",
        "Police Schools Officer",
    ),
    _Action(
        "",
        "",
        "Share the warning signs of county lines with taxi firms, takeaways and hotels during "
        "the national intensification weeks",
        "Number of businesses reached",
        "Police / CS Team",
        CAMPAIGN_POT,
        CAMPAIGNS,
    ),
    _Action(
        P2,
        "Reduce anti-social behaviour in parks, open spaces and town centres",
        "Place the re-deployable CCTV camera at ASB and fly-tipping hotspots without permanent "
        "cameras; moves agreed at the monthly Joint Action Group (JAG)",
        "Fewer ASB and crime reports at each site while the camera is in place",
        "CS Team",
        "£8,500",
        CCTV,
    ),
    _Action(
        "",
        "",
        "Seasonal ASB campaigns:\n"
        "• Lighter Evenings (April-May)\n"
        "• Safer Summer (July-August)\n"
        "• Bonfire and Halloween (October)",
        "• Campaigns completed\n• ASB reports compared with the same months last year",
        "CS Team and all partners",
        CAMPAIGN_POT,
        CAMPAIGNS,
    ),
    _Action(
        "",
        "",
        "Act quickly on problems the plan could not foresee, such as youth diversion sessions at "
        "a new hotspot or clearing a site after repeated dumping",
        "A highlight report of each spend and what it achieved",
        "CSP Board chair",
        "£4,000 held in reserve",
        RESPONSE_FUND,
    ),
    _Action(
        "",
        "Reduce violence and disorder linked to the night-time economy",
        "Bystander intervention training for people who work evenings:\n"
        "• door and bar staff\n"
        "• taxi drivers\n"
        "• youth workers\n"
        "• council officers and market traders",
        "• Numbers trained\n"
        "• Confidence to step in, before and after each session (evaluation forms)",
        "CS Team",
        "£3,800",
        BYSTANDER,
    ),
    _Action(
        "",
        "",
        "Relaunch Ask for Angela with licensed premises in Ashworth town centre",
        "Premises signed up by the end of September",
        "Licensing / CS Team",
    ),
    _Action(
        P3,
        "Give residents and businesses the advice and means to protect their property",
        "Target hardening products for repeat victims and homes in burglary hotspots:\n"
        "• shed and window alarms\n"
        "• timer switches\n"
        "• anti-theft number plate screws\n"
        "• Faraday pouches for keyless cars\n"
        "Personal alarms for domestic abuse victims when needed.",
        "• Number of products given out\n• Serious acquisitive crime down 5% on last year",
        "Police Crime Prevention Officer",
        "£2,437.50",
        TARGET_HARDENING,
    ),
    _Action(
        "",
        "",
        "Property marking sessions at village halls with the rural crime team",
        "Number of items marked",
        "Police Rural Crime Team / CS Team",
        "£1,250 for marking kits",
        COMMUNITY_EVENTS,
    ),
    _Action(
        "",
        "Raise awareness of fraud and scams",
        "Scam awareness messages through the year: ticket fraud (summer), online shopping "
        "(Black Friday), romance fraud (February)",
        "• Campaigns completed\n• Social media reach",
        "CS Team",
        CAMPAIGN_POT,
        CAMPAIGNS,
    ),
)

PROJECTS: tuple[_Project, ...] = (
    _Project(
        CAMPAIGNS,
        Decimal("6000.00"),
        "Awareness campaigns are the partnership's main way to prevent harm in a low-crime "
        "district: they tell residents where to get help and how to protect themselves. Action "
        "plan Priority 1 - People (domestic abuse, exploitation), Priority 2 - Places (seasonal "
        "ASB) and Priority 3 - Property (fraud and scams).",
        "Social media reach and engagement; radio listener figures; helpline calls after each "
        "campaign; feelings of safety in the residents' survey.",
        (
            _Return(
                "Q1: Lighter Evenings ASB campaign on social media and Vale FM (April-May); scam "
                "awareness posts for Take Five week.",
                "Q1: 18,400 social media impressions. Vale FM reaches about 21,000 listeners a "
                "week.",
                "£1,240.00",
                "Green",
                "Q1 spend: £840.00 Vale FM airtime; £400.00 boosted social media posts.",
            ),
            _Return(
                "Q1: Lighter Evenings ASB campaign on social media and Vale FM (April-May); scam "
                "awareness posts for Take Five week.\n"
                "Q2: Safer Summer campaign (July-August) with water safety and holiday burglary "
                "messages; ticket fraud posts before the summer festivals.",
                "Q1: 18,400 social media impressions.\n"
                "Q2: 26,900 impressions; 3,100 leaflets handed out at summer events.",
                "£2,385.50",
                "Green",
                "Q2 spend £1,145.50: £720.00 Vale FM airtime; £425.50 leaflet printing.",
            ),
            _Return(
                "Q1: Lighter Evenings ASB campaign; Take Five scam posts.\n"
                "Q2: Safer Summer campaign; summer ticket fraud posts.\n"
                "Q3: White Ribbon Day and 16 Days of Action; Bonfire and Halloween ASB messages; "
                "Black Friday online shopping scams.",
                "Q1: 18,400 impressions. Q2: 26,900 impressions.\n"
                "Q3: 31,250 impressions; calls to the local helpline up 12% in the fortnight "
                "after White Ribbon Day.",
                "£3,910.75",
                "Green",
                "Q3 spend £1,525.25: £960.00 Vale FM airtime; £565.25 bus shelter posters.",
            ),
            _Return(
                "Q1: Lighter Evenings ASB campaign; Take Five scam posts.\n"
                "Q2: Safer Summer campaign; summer ticket fraud posts.\n"
                "Q3: White Ribbon Day, 16 Days of Action, Bonfire and Halloween, Black Friday.\n"
                "Q4: Sexual Abuse and Sexual Violence Awareness Week; romance fraud (February); "
                "county lines warning signs for taxi firms and takeaways.",
                "Q1: 18,400 impressions. Q2: 26,900. Q3: 31,250.\n"
                "Q4: 24,700 impressions; 46 businesses given county lines guidance.",
                "£5,640.25",
                "Green",
                "Q4 spend £1,729.50. The year's campaigns came in within budget.",
            ),
        ),
    ),
    _Project(
        RESPONSE_FUND,
        Decimal("4000.00"),
        "Money held back for problems the action plan could not foresee, so the partnership can "
        "act within days rather than wait for the next funding round. Each spend is agreed by "
        "the CSP Board chair.",
        "A highlight report of each spend, why it was needed and what it achieved.",
        (
            _Return(
                "Nothing in this quarter.",
                "",
                None,
                "",
                "Not yet rated: no spend was requested this quarter.",
            ),
            _Return(
                "Q2: Six evening youth diversion sessions at Thornby skate park after a rise in "
                "ASB reports there in June.",
                "Q2: 38 young people attended; ASB reports near the skate park fell from 14 in "
                "June to 5 in August.",
                Decimal("650.00"),
                "Green",
                "Sessions run by Vale Youth Trust.",
            ),
            _Return(
                "Q2: Six youth diversion sessions at Thornby skate park.\n"
                "Q3: Clearance of a fly-tipped alley off Mill Lane, Ashworth, and two gates "
                "fitted to stop repeat dumping.",
                "Q2: 38 young people attended; ASB near the skate park down.\n"
                "Q3: No further fly-tipping reported at the alley since the gates were fitted.",
                Decimal("1480.00"),
                "Green",
                "Q3 spend £830.00.",
            ),
            _Return(
                "Q2: Six youth diversion sessions at Thornby skate park.\n"
                "Q3: Alley off Mill Lane cleared and gated.\n"
                "Q4: Temporary lighting on the Kelder Bridge footpath after two robberies in "
                "January.",
                "Q2: ASB near the skate park down. Q3: no further fly-tipping at the alley.\n"
                "Q4: No further robberies on the footpath in February or March.",
                Decimal("3275.00"),
                "Green",
                "Q4 spend £1,795.00.",
            ),
        ),
    ),
    _Project(
        COMMUNITY_EVENTS,
        "£3,250.00",
        "Action plan Priority 1 - People: raise awareness of domestic abuse support services; "
        "and Priority 3 - Property: property marking with the rural crime team. Holding events "
        "in the three largest settlements brings the services to residents who would not "
        "contact them by phone.",
        "Number of events held; numbers attending; referrals the services report after each "
        "event; feedback from those attending.",
        (
            _Return(
                "Q1: Partners met; venues booked in Ashworth, Thornby and Upper Holme for October "
                "and November.",
                "Q1: No events yet.",
                Decimal("300.00"),
                "Amber",
                "£300.00 deposits for the three venues.",
            ),
            _Return(
                "Q1: Partners met; venues booked in Ashworth, Thornby and Upper Holme for October "
                "and November.",
                "Q1: No events yet.",
                Decimal("300.00"),
                "Amber",
                "No activity this quarter: the events are in Q3, so activities and cost are "
                "unchanged from Q1.",
            ),
            _Return(
                "Q1: Venues booked.\n"
                "Q3: Wellbeing days in Ashworth (14 October), Thornby (4 November) and Upper "
                "Holme (25 November); property marking at Kelder Bridge village hall "
                "(18 November).",
                "Q3: 4 events; 212 people attended; services reported 9 referrals in the "
                "following month; 161 items marked.",
                Decimal("2145.60"),
                "Green",
                "Q3 spend £1,845.60: venues, stall furniture and property marking kits.",
            ),
            _Return(
                "Q1: Venues booked.\n"
                "Q3: Three wellbeing days and one property marking session.\n"
                "Q4: Second property marking session, Upper Holme (March).",
                "Q4: 5 events in all; 247 people attended; 233 items marked.",
                Decimal("3010.60"),
                "Green",
                "Q4 spend £865.00.",
            ),
        ),
    ),
    _Project(
        CCTV,
        Decimal("8500.00"),
        "Action plan Priority 2 - Places: prevent ASB and public order in open spaces. A camera "
        "that can be moved lets the partnership cover hotspots with no permanent CCTV; moves are "
        "agreed at the monthly Joint Action Group (JAG).",
        "Fewer ASB and crime reports at each site while the camera is in place; footage used as "
        "evidence.",
        (
            _Return(
                "Q1: Camera bought and installed at Ashworth Recreation Ground after repeated "
                "damage to the pavilion.",
                "Q1: ASB reports at the recreation ground down from 11 in April to 3 in June.",
                Decimal("6850.00"),
                "Green",
                "Camera, mounting and first installation.",
            ),
            _Return(
                "Q1: Camera installed at Ashworth Recreation Ground.\n"
                "Q2: Camera out of action for five weeks in August and September after a power "
                "fault; repaired on a call-out.",
                "Q1: ASB reports at the recreation ground down.\n"
                "Q2: Coverage lost for five weeks; two incidents at the pavilion in that time "
                "were not recorded.",
                Decimal("7125.00"),
                "Amber",
                "Q2 spend £275.00 for the repair call-out. A move is requested for Q3 and waits "
                "on JAG.",
            ),
            _Return(
                "Q1: Camera installed at Ashworth Recreation Ground.\n"
                "Q2: Five weeks out of action after a power fault.\n"
                "Q3: Moved to Mill Lane car park, Ashworth (October) for vehicle crime and ASB.",
                "Q3: Vehicle crime at the car park down from 9 offences in Q2 to 4 in Q3; footage "
                "used in one prosecution.",
                Decimal("7420.00"),
                "Amber",
                "Q3 spend £295.00 for the move. Amber while the power supply at the car park is "
                "temporary.",
            ),
            _Return(
                "Q1: Camera installed at Ashworth Recreation Ground.\n"
                "Q2: Five weeks out of action after a power fault.\n"
                "Q3: Moved to Mill Lane car park.\n"
                "Q4: Moved to Thornby skate park in March at JAG's request.",
                "Q3: Vehicle crime at the car park down; one prosecution.\n"
                "Q4: No gaps in coverage this quarter.",
                Decimal("7715.00"),
                "Green",
                "Q4 spend £295.00 for the second move.",
            ),
        ),
    ),
    _Project(
        BYSTANDER,
        Decimal("3800.00"),
        "Action plan Priority 2 - Places: reduce violence and disorder linked to the night-time "
        "economy; also part of the partnership's work on violence against women and girls and "
        "the Serious Violence Duty. Violence and public order are the highest volume offences in "
        "Ashworth town centre.",
        "Numbers trained; participants' confidence to step in, from evaluation forms before and "
        "after each session.",
        (
            _Return(
                "Q1: Training provider chosen and deposit paid; dates being agreed with licensed "
                "premises.",
                "Q1: No one trained yet.",
                Decimal("450.00"),
                "Amber",
                "Deposit £450.00.",
            ),
            _Return(
                "Q1: Provider chosen.\n"
                "Q2: Two sessions (10 July, 18 September) for door staff, bar staff and taxi "
                "drivers.",
                "Q2: 31 people trained; 87% said they felt more confident to step in.",
                Decimal("1900.00"),
                "Green",
                "Q2 spend £1,450.00.",
            ),
            _Return(
                "Q1: Provider chosen.\n"
                "Q2: Two sessions for door staff, bar staff and taxi drivers.\n"
                "Q3: Two sessions for youth workers and council officers who work evenings "
                "(November).",
                "Q3: 58 trained in all; 89% more confident to step in.",
                Decimal("2850.00"),
                "Green",
                "Q3 spend £950.00.",
            ),
            _Return(
                "Q2: Two sessions for door staff, bar staff and taxi drivers.\n"
                "Q3: Two sessions for youth workers and council officers.\n"
                "Q4: Final session for Ashworth market traders and security staff (February).",
                "Q4: 74 trained in all; evaluation summary sent to the OPCC.",
                Decimal("3800.00"),
                "Green",
                "Q4 spend £950.00; the project has spent exactly its budget.",
            ),
        ),
    ),
    _Project(
        TARGET_HARDENING,
        Decimal("2437.50"),
        "Action plan Priority 3 - Property: give residents the advice and means to protect "
        "their homes and vehicles, and so reduce serious acquisitive crime. Products can also go "
        "to domestic abuse victims (for example personal alarms).",
        "Number of products given out; serious acquisitive crime down 5% on last year.",
        (
            _Return(
                "Q1: First order of shed alarms, timer switches and anti-theft number plate "
                "screws; products given out at police beat surgeries.",
                "Q1: 64 products given out.",
                Decimal("612.40"),
                "Green",
            ),
            _Return(
                "Q1: First order; products given out at beat surgeries.\n"
                "Q2: Products for every home in the two Upper Holme streets hit by a run of "
                "burglaries in August; Faraday pouches for keyless cars.",
                "Q2: 171 products given out in all.",
                Decimal("1987.90"),
                "Green",
                "Q2 spend £1,375.50.",
            ),
            _Return(
                "Q1: First order; beat surgeries.\n"
                "Q2: Upper Holme burglary streets; Faraday pouches.\n"
                "Q3: Window alarms and personal alarms for victims and neighbours after a run of "
                "burglaries in Thornby in October.",
                "Q3: 236 products given out in all; serious acquisitive crime down 3% year to "
                "date.",
                "£2,612.40",
                "Amber",
                "Q3 spend £624.50 takes the project £174.90 over its £2,437.50 budget; the CSP "
                "Board agreed on 6 November to meet the difference from the unallocated grant. "
                "No further orders this year.",
            ),
            _Return(
                "Q1: First order; beat surgeries.\n"
                "Q2: Upper Holme burglary streets; Faraday pouches.\n"
                "Q3: Thornby burglary victims and neighbours.\n"
                "Q4: No new orders; remaining stock given out.",
                "Q4: 251 products given out in all; serious acquisitive crime down 6% on last "
                "year.",
                Decimal("2612.40"),
                "Green",
                "No spend this quarter.",
            ),
        ),
    ),
)


def write_sample_tracker(path: Path) -> Path:
    """Write the sample district's tracker workbook (2025-26) to path and return the path."""
    path = write_template(Path(path))
    book = openpyxl.load_workbook(path)
    _fill(book[PLAN_SHEET], PLAN_SHEET, [_plan_row(action) for action in PLAN])
    _fill(
        book[RETURNS_SHEET],
        RETURNS_SHEET,
        [
            _return_row(project, quarter, project.returns[quarter - 1])
            for quarter in (1, 2, 3, 4)  # each quarter's returns added below the last
            for project in PROJECTS
        ],
    )
    _fill(
        book[GRANT_SHEET],
        GRANT_SHEET,
        [
            {"financial_year": SAMPLE_TRACKER_YEAR, "project": None, "amount": SAMPLE_ALLOCATION},
            *(
                {"financial_year": SAMPLE_TRACKER_YEAR, "project": p.name, "amount": p.budget}
                for p in PROJECTS
            ),
        ],
    )
    book.save(path)
    return path


def _plan_row(action: _Action) -> dict[str, object]:
    """An action as the Action plan sheet's cells, by canonical column."""
    return {
        "priority": action.priority,
        "objective": action.objective,
        "action": action.action,
        "success_measure": action.success_measure,
        "lead": action.lead,
        "funding": action.funding,
        "project": action.project,
    }


def _return_row(project: _Project, quarter: int, entry: _Return) -> dict[str, object]:
    """A project's return for a quarter as the Quarterly returns sheet's cells."""
    return {
        "financial_year": SAMPLE_TRACKER_YEAR,
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
