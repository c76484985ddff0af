"""Bodies, meetings and agenda items for the meetings tests, built through the services.

    BodyFactory(itatr=True)            the ITAT-R: advisory, Thursday 13:00 every 3 weeks,
                                       20-minute slots
    BodyFactory(pto=True)              the decision meeting (PTO-R): Wednesday 09:00 every
                                       2 weeks, 15-minute slots
    meeting_on(body, day)              the cycle's meeting on that day, made by meetings_generate
    case_item(meeting, kind, ...)      a case item put straight on an agenda, without the 7-day
                                       rule (decisions on today's meeting, query counts)
    advised_plan(), proposal(...)      what the queue of a decision meeting picks up

Reports and cases come from the intake and cases factories (through their services).
"""

import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory
from django.db.models import Max
from pypdf import PdfReader

from cases import services as case_services
from cases.constants import ProposalKind
from cases.models import Case, PlanVersion, Proposal
from intake.models import Report
from ipgar.accounts.models import Organisation, User
from meetings import services
from meetings.constants import BodyFunction, ItemKind, Weekday
from meetings.models import AgendaItem, Body, Meeting
from tests.cases.factories import CaseFactory, latest_plan, secretary_user

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Cycles are anchored in the week of Monday 4 January 2027.
ANCHOR = date(2027, 1, 4)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment on `day`, Amsterdam time (what the users read on the wall clock)."""
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def organisation(code: str) -> Organisation:
    """One of the organisations the data migration seeds."""
    return Organisation.objects.get(code=code)


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        skip_postgeneration_save = True

    class Params:
        itatr = factory.Trait(
            function=BodyFunction.ADVISORY,
            weekday=Weekday.THURSDAY,
            interval_weeks=3,
            start_time=time(13, 0),
            duration_minutes=180,
            default_slot_minutes=20,
        )
        pto = factory.Trait(
            function=BodyFunction.DECISION,
            weekday=Weekday.WEDNESDAY,
            interval_weeks=2,
            start_time=time(9, 0),
            duration_minutes=120,
            default_slot_minutes=15,
        )

    name = factory.Sequence(lambda n: f"Testoverleg {n}")
    short_name = factory.Sequence(lambda n: f"OV{n}")
    function = BodyFunction.TEAM
    weekday = Weekday.TUESDAY
    interval_weeks = 1
    first_date = factory.LazyAttribute(lambda o: ANCHOR + timedelta(days=o.weekday))
    start_time = time(14, 0)
    duration_minutes = 90
    default_slot_minutes = 15
    location = "Stadhuis Amsterdam, Amstel 1"
    secretary = None

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted)

    @factory.post_generation
    def member_organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.member_organisations.set(extracted)


def meeting_on(body: Body, day: date, *, actor: User | None = None) -> Meeting:
    """The meeting of the cycle on `day` (which must be a cycle date), with its standard items."""
    services.meetings_generate(body=body, since=day, until=day, actor=actor)
    return body.meetings.get(cycle_date=day)


def case_item(
    meeting: Meeting,
    case_kind: str,
    *,
    report: Report | None = None,
    case: Case | None = None,
    plan: PlanVersion | None = None,
    proposal: Proposal | None = None,
    actor: User | None = None,
    **fields,
) -> AgendaItem:
    """A case item written straight onto an agenda, as agenda_place would, minus its checks."""
    case = case or (plan.case if plan else None) or (proposal.case if proposal else None)
    placement = services.Placement(
        case_kind, report=report, case=case, plan=plan, proposal=proposal
    )
    last = (
        meeting.items.exclude(kind__in=services.CLOSING_KINDS).aggregate(m=Max("order"))["m"] or 0
    )
    item = AgendaItem(
        meeting=meeting,
        order=last + 1,
        kind=ItemKind.CASE,
        case_kind=case_kind,
        title=placement.title,
        report=report,
        case=case,
        plan=plan,
        proposal=proposal,
        slot_minutes=meeting.body.default_slot_minutes,
        **fields,
    )
    item._history_user = actor
    item.save()
    return item


def submitted_plan(**case_fields) -> PlanVersion:
    """A plan the regisseur submitted for advice by the ITAT-R (the case is 'bij advies')."""
    return latest_plan(CaseFactory(at_advice=True, **case_fields))


def advised_plan(*, actor: User | None = None, **case_fields) -> PlanVersion:
    """A plan the ITAT-R advised on, the advice processed by the regisseur and the plan marked
    definitive: ready for the decision meeting."""
    plan = submitted_plan(**case_fields)
    plan = case_services.plan_record_advice(
        plan=plan, actor=actor or secretary_user(), advice="Positief; let op het netwerk."
    )
    regisseur = plan.case.regisseur
    case_services.plan_process_advice(
        plan=plan, actor=regisseur, responses=["Netwerkinterventie toegevoegd."]
    )
    return case_services.plan_mark_final(plan=plan, actor=regisseur)


def proposal(kind: str = ProposalKind.PHASE_DOWN, *, case: Case | None = None) -> Proposal:
    """A phase-down or closure proposal on a case in execution."""
    case = case or CaseFactory(in_execution=True)
    return case_services.proposal_submit(
        case=case,
        actor=case.regisseur,
        kind=kind,
        goals_met="Dagbesteding en netwerk op orde.",
        reasoning="Stabiel sinds een half jaar.",
        handover_organisation=organisation("GGZ") if kind == ProposalKind.CLOSURE else None,
    )


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
