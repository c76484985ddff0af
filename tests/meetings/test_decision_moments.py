"""Issue 17, acceptance 2: a decision dates from its meeting, not from when the secretary typed
the minutes. The decision meeting of Wednesday 22 December 2027 (09:00) and the ITAT-R of
Thursday 23 December 2027 (13:00) are minuted on Wednesday 5 January 2028: every moment their
decisions write into the file, and the monitor's milestones read from it, is the meeting's
start, so a closure decided in December is December's outflow."""

from datetime import date

import pytest
from django.db import connection

from cases.constants import CasePhase, ClosureReason, PlanStatus, ProposalKind, ProposalStatus
from cases.models import Case, PlanVersion, Proposal
from intake.constants import NotAdmittedReason, ReportStatus
from intake.models import Report
from meetings import services
from meetings.constants import CaseItemKind, DecisionKind
from meetings.services import DecisionData
from monitor import periods, sql
from monitor.selectors import monitor_data
from tests.cases.factories import CaseFactory, ready_report, regisseur_user, secretary_user
from tests.meetings.factories import (
    BodyFactory,
    advised_plan,
    at,
    case_item,
    meeting_on,
    organisation,
    proposal,
    submitted_plan,
)

pytestmark = pytest.mark.django_db

PTO_DAY = date(2027, 12, 22)
ITATR_DAY = date(2027, 12, 23)
TYPED = at(date(2028, 1, 5), 10)


@pytest.fixture
def pto(time_machine):
    time_machine.move_to(at(date(2027, 12, 1), 9), tick=False)
    secretary = secretary_user()
    body = BodyFactory(pto=True, secretary=secretary, first_date=PTO_DAY)
    return meeting_on(body, PTO_DAY, actor=secretary), secretary


@pytest.fixture
def itatr(time_machine):
    time_machine.move_to(at(date(2027, 12, 1), 9), tick=False)
    secretary = secretary_user()
    body = BodyFactory(itatr=True, secretary=secretary, first_date=ITATR_DAY)
    return meeting_on(body, ITATR_DAY, actor=secretary), secretary


def typed_later(time_machine, item, secretary, kind, **fields):
    time_machine.move_to(TYPED, tick=False)
    services.decision_record(
        item=item,
        actor=secretary,
        data=DecisionData(kind=kind, text="Besluit van het overleg.", **fields),
    )


def milestone(case_id: int, name: str):
    """The monitor's milestone for a case, as the day number the monitor computes with."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {sql.milestones_cte()} SELECT {name} FROM milestones WHERE case_id = %s",  # noqa: S608
            [case_id],
        )
        return cursor.fetchone()[0]


def report_milestone(name: str):
    """The monitor's milestone of the one report without a case (not admitted, or not yet)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {sql.milestones_cte()} SELECT {name} FROM milestones WHERE case_id IS NULL"  # noqa: S608
        )
        [row] = cursor.fetchall()
        return row[0]


def history_dates(model, **status) -> list:
    """When the history rows in which the object is in `status` are dated, in writing order."""
    rows = model.history.filter(**status).order_by("history_id")
    return list(rows.values_list("history_date", flat=True))


def day_number(moment) -> float:
    expression, param = sql.param_day(moment)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {expression}", [param])  # noqa: S608
        return cursor.fetchone()[0]


def test_an_admission_typed_later_dates_from_the_meeting(pto, time_machine):
    meeting, secretary = pto
    report = ready_report()
    item = case_item(meeting, CaseItemKind.ADMISSION, report=report)
    regisseur = regisseur_user(organisation=organisation("OOV"))

    typed_later(
        time_machine,
        item,
        secretary,
        DecisionKind.ADMIT,
        organisation=regisseur.organisation,
        regisseur=regisseur,
    )

    case = Case.objects.get(report=report)
    assert case.admitted_at == meeting.starts_at
    assert case.base_file_assigned_at == meeting.starts_at
    assert Report.objects.get(pk=report.pk).decided_at == meeting.starts_at
    assert milestone(case.pk, "decided") == pytest.approx(day_number(meeting.starts_at))
    assert milestone(case.pk, "base_file") == pytest.approx(day_number(meeting.starts_at))


def test_a_non_admission_typed_later_dates_from_the_meeting(pto, time_machine):
    meeting, secretary = pto
    report = ready_report()
    item = case_item(meeting, CaseItemKind.ADMISSION, report=report)

    typed_later(
        time_machine,
        item,
        secretary,
        DecisionKind.NOT_ADMIT,
        not_admitted_reason=NotAdmittedReason.NO_GROUNDS,
    )

    assert Report.objects.get(pk=report.pk).decided_at == meeting.starts_at
    assert report_milestone("not_admitted") == pytest.approx(day_number(meeting.starts_at))
    assert report_milestone("decided") == pytest.approx(day_number(meeting.starts_at))
    assert history_dates(Report, id=report.pk, status=ReportStatus.NOT_ADMITTED) == [
        meeting.starts_at
    ]


def test_an_itatr_advice_typed_later_dates_from_the_meeting(itatr, time_machine):
    meeting, secretary = itatr
    plan = submitted_plan()
    item = case_item(meeting, CaseItemKind.PLAN_ADVICE, plan=plan)

    typed_later(time_machine, item, secretary, DecisionKind.ADVICE)

    assert PlanVersion.objects.get(pk=plan.pk).advised_at == meeting.starts_at
    assert history_dates(PlanVersion, id=plan.pk, status=PlanStatus.ADVISED) == [meeting.starts_at]
    # The monitor has no milestone of its own for the ITAT-R's advice; the concept plan's
    # milestone (its submission) stays where it was.
    assert milestone(plan.case_id, "concept_plan") == pytest.approx(
        day_number(PlanVersion.objects.get(pk=plan.pk).submitted_at)
    )


def test_an_itatr_not_ready_typed_later_dates_the_return_to_concept_from_the_meeting(
    itatr, time_machine
):
    meeting, secretary = itatr
    plan = submitted_plan()
    item = case_item(meeting, CaseItemKind.PLAN_ADVICE, plan=plan)

    typed_later(time_machine, item, secretary, DecisionKind.BRING_BACK)

    assert PlanVersion.objects.get(pk=plan.pk).status == PlanStatus.CONCEPT
    assert history_dates(PlanVersion, id=plan.pk, status=PlanStatus.CONCEPT)[-1] == (
        meeting.starts_at
    )
    case = Case.objects.get(pk=plan.case_id)
    assert case.phase == CasePhase.CONCEPT_PLAN
    assert history_dates(Case, id=case.pk, phase=CasePhase.CONCEPT_PLAN)[-1] == (meeting.starts_at)
    assert milestone(case.pk, "adopted") is None


def test_an_adoption_typed_later_dates_from_the_meeting(pto, time_machine):
    meeting, secretary = pto
    plan = advised_plan()
    item = case_item(meeting, CaseItemKind.PLAN_ADOPTION, plan=plan)

    typed_later(time_machine, item, secretary, DecisionKind.ADOPT_PLAN)

    assert PlanVersion.objects.get(pk=plan.pk).adopted_at == meeting.starts_at
    assert history_dates(Case, id=plan.case_id, phase=CasePhase.ADOPTED) == [meeting.starts_at]
    assert milestone(plan.case_id, "adopted") == pytest.approx(day_number(meeting.starts_at))


def test_a_phase_down_typed_later_dates_from_the_meeting(pto, time_machine):
    meeting, secretary = pto
    offer = proposal(ProposalKind.PHASE_DOWN)
    item = case_item(meeting, CaseItemKind.PHASE_DOWN, proposal=offer)

    typed_later(time_machine, item, secretary, DecisionKind.PHASE_DOWN)

    assert Case.objects.get(pk=offer.case_id).phase_down_at == meeting.starts_at
    assert history_dates(Case, id=offer.case_id, phase=CasePhase.PHASING_DOWN) == [
        meeting.starts_at
    ]
    assert Proposal.objects.get(pk=offer.pk).decided_at == meeting.starts_at
    assert milestone(offer.case_id, "phase_down") == pytest.approx(day_number(meeting.starts_at))


def test_a_closure_decided_in_december_and_typed_in_january_is_decembers(pto, time_machine):
    meeting, secretary = pto
    offer = proposal(ProposalKind.CLOSURE)
    item = case_item(meeting, CaseItemKind.CLOSURE, proposal=offer)

    typed_later(
        time_machine, item, secretary, DecisionKind.CLOSE, closure_reason=ClosureReason.GOALS_MET
    )

    case = Case.objects.get(pk=offer.case_id)
    assert case.closed_at == meeting.starts_at
    assert case.closed_at.year == 2027
    assert Proposal.objects.get(pk=offer.pk).decided_at == meeting.starts_at
    assert milestone(case.pk, "closed") == pytest.approx(day_number(meeting.starts_at))


def test_the_phase_history_of_a_closure_typed_days_later_carries_the_meetings_moment(
    pto, time_machine
):
    meeting, secretary = pto
    offer = proposal(ProposalKind.CLOSURE)
    item = case_item(meeting, CaseItemKind.CLOSURE, proposal=offer)

    typed_later(
        time_machine, item, secretary, DecisionKind.CLOSE, closure_reason=ClosureReason.GOALS_MET
    )

    [row] = Case.history.filter(id=offer.case_id, phase=CasePhase.CLOSED)
    assert row.history_date == meeting.starts_at  # 22 December, not the 5 January of typing
    assert row.history_user == secretary
    # The row of the decision is the meeting's, but a later save of the case is dated as usual.
    case = Case.objects.get(pk=offer.case_id)
    case._history_user = secretary
    case.save(update_fields=["updated_at"])
    assert Case.history.filter(id=case.pk).latest().history_date == TYPED


def test_a_dormant_declaration_typed_later_dates_from_the_meeting_day(pto, time_machine):
    meeting, secretary = pto
    case = CaseFactory(in_execution=True)
    item = case_item(meeting, CaseItemKind.DORMANT, case=case)

    typed_later(time_machine, item, secretary, DecisionKind.DORMANT)

    assert Case.objects.get(pk=case.pk).dormant_since == PTO_DAY
    assert [row.history_date for row in Case.history.filter(id=case.pk, is_dormant=True)] == [
        meeting.starts_at
    ]


def test_dormant_declarations_typed_in_january_are_statisch_at_the_end_of_december(
    pto, time_machine, settings
):
    settings.MONITOR_K = 5
    meeting, secretary = pto
    cases = [CaseFactory(in_execution=True) for _ in range(5)]
    items = [case_item(meeting, CaseItemKind.DORMANT, case=case) for case in cases]

    for item in items:
        typed_later(time_machine, item, secretary, DecisionKind.DORMANT)

    data = monitor_data(periods.quarter(2027, 4), use_cache=False)
    dormant = next(t for t in data["tables"] if t["key"] == "dormant")
    rows = {row["label"]: row["cur"] for row in dormant["rows"]}
    assert rows["Statisch"] == 5  # typed on 5 January, declared on 22 December


def test_a_proposal_sent_back_typed_later_dates_from_the_meeting(pto, time_machine):
    meeting, secretary = pto
    offer = proposal(ProposalKind.CLOSURE)
    item = case_item(meeting, CaseItemKind.CLOSURE, proposal=offer)

    typed_later(time_machine, item, secretary, DecisionKind.BRING_BACK)

    assert Proposal.objects.get(pk=offer.pk).decided_at == meeting.starts_at
    assert history_dates(Proposal, id=offer.pk, status=ProposalStatus.REJECTED) == [
        meeting.starts_at
    ]


def test_a_report_sent_back_to_assessment_typed_later_dates_from_the_meeting(pto, time_machine):
    meeting, secretary = pto
    report = ready_report()
    advised = Report.objects.get(pk=report.pk).advised_at
    item = case_item(meeting, CaseItemKind.ADMISSION, report=report)

    typed_later(time_machine, item, secretary, DecisionKind.BRING_BACK)

    report = Report.objects.get(pk=report.pk)
    assert report.status == ReportStatus.IN_ASSESSMENT
    assert history_dates(Report, id=report.pk, status=ReportStatus.IN_ASSESSMENT)[-1] == (
        meeting.starts_at
    )
    # Sent back is not decided: the monitor's decision milestones stay empty, the advice's
    # milestone is the advice given before the meeting.
    assert report.decided_at is None
    assert report_milestone("decided") is None
    assert report_milestone("not_admitted") is None
    assert report_milestone("advised") == pytest.approx(day_number(advised))
