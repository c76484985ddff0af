"""Acceptance 3 of issue 5: the decision meeting's admission decision opens the subject and the
case with the appointed regisseur and marks the report admitted, in one transaction; every
other typed decision moves its report, plan, proposal or case through the intake and cases
services, and a decision their state does not allow is refused with the reason.

The decision meeting meets on Wednesday 17 February 2027 at 09:00; the minutes are taken that
day at 11:00 unless a test says otherwise."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse
from guardian.models import UserObjectPermission

from cases import permissions
from cases import services as case_services
from cases.constants import CasePhase, ClosureReason, PlanStatus, ProposalKind, ProposalStatus
from cases.exceptions import TransitionNotAllowed
from cases.models import BaseFile, Case, PlanVersion, Proposal, Subject
from intake.constants import NotAdmittedReason, ReportStatus
from intake.models import Report
from ipgar.accounts.models import User
from meetings import selectors, services
from meetings.constants import CaseItemKind, DecisionKind, ItemKind, ItemStatus
from meetings.models import AgendaItem, Decision, Meeting
from meetings.services import DecisionData
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
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

DAY = date(2027, 2, 17)


@dataclass
class Admission:
    secretary: User
    meeting: Meeting
    item: AgendaItem
    report: Report
    regisseur: User


@pytest.fixture
def admission(time_machine) -> Admission:
    """A report ready on 3 February, placed through the queue on the meeting of the 17th."""
    time_machine.move_to(at(date(2027, 2, 3), 8), tick=False)
    secretary = secretary_user()
    body = BodyFactory(pto=True, secretary=secretary, first_date=date(2027, 2, 3))
    meeting = meeting_on(body, DAY, actor=secretary)
    report = ready_report()
    item = services.agenda_place(
        meeting=meeting,
        actor=secretary,
        placement=selectors.placement_from_request(body, CaseItemKind.ADMISSION, report.pk),
    )
    regisseur = regisseur_user(organisation=organisation("OOV"))
    time_machine.move_to(at(DAY, 11), tick=False)
    return Admission(secretary, meeting, item, report, regisseur)


def admit(admission: Admission, regisseur: User | None = None, **fields) -> Decision:
    regisseur = regisseur or admission.regisseur
    return services.decision_record(
        item=admission.item,
        actor=admission.secretary,
        data=DecisionData(
            kind=DecisionKind.ADMIT,
            text="Opnemen in de persoonsgerichte aanpak; regie bij OOV.",
            organisation=regisseur.organisation,
            regisseur=regisseur,
            **fields,
        ),
    )


def latest_history_user(obj):
    return obj.history.order_by("-history_id").first().history_user


class TestAdmission:
    def test_it_opens_the_subject_and_the_case_with_the_appointed_regisseur(self, admission):
        person = admission.report.persons.get()

        decision = admit(admission)

        case = Case.objects.get(report=admission.report)
        assert (case.regisseur, case.organisation) == (admission.regisseur, organisation("OOV"))
        assert case.phase == CasePhase.BASE_FILE
        assert (case.subject.first_name, case.subject.last_name, case.subject.bsn) == (
            person.first_name,
            person.last_name,
            person.bsn,
        )
        assert BaseFile.objects.filter(case=case).exists()
        admission.report.refresh_from_db()
        assert admission.report.status == ReportStatus.ADMITTED
        assert admission.report.decided_at == admission.meeting.starts_at
        assert case.admitted_at == admission.meeting.starts_at
        admission.item.refresh_from_db()
        assert (admission.item.case, admission.item.status) == (case, ItemStatus.DISCUSSED)
        assert (decision.kind, decision.regisseur, decision.organisation) == (
            DecisionKind.ADMIT,
            admission.regisseur,
            organisation("OOV"),
        )

    def test_every_write_is_kept_in_history_under_the_secretary(self, admission):
        decision = admit(admission)

        case = Case.objects.get(report=admission.report)
        assert latest_history_user(decision) == admission.secretary
        assert latest_history_user(case) == admission.secretary
        assert latest_history_user(case.subject) == admission.secretary
        assert latest_history_user(admission.report) == admission.secretary
        assert decision.recorded_by == admission.secretary

    def test_the_appointed_regisseur_can_open_the_case_and_no_one_else_was_granted(
        self, client, admission
    ):
        admit(admission)
        case = Case.objects.get(report=admission.report)
        signed_in(client, admission.regisseur)

        response = client.get(reverse("cases:case_detail", args=[case.pk]))

        assert response.status_code == 200
        assert case.subject.last_name in response.content.decode()
        assert permissions.cases_visible_to(admission.secretary).filter(pk=case.pk).count() == 0

    def test_the_page_records_the_admission_through_the_minutes(self, client, admission):
        signed_in(client, admission.secretary)
        prefix = f"d{admission.item.pk}"

        response = client.post(
            reverse("meetings:decision_record", args=[admission.meeting.pk, admission.item.pk]),
            {
                f"{prefix}-kind": DecisionKind.ADMIT,
                f"{prefix}-text": "Opnemen; regie bij OOV.",
                f"{prefix}-organisation": organisation("OOV").pk,
                f"{prefix}-regisseur": admission.regisseur.pk,
            },
            follow=True,
        )

        assert "Besluit vastgelegd." in response.content.decode()
        assert Case.objects.get(report=admission.report).regisseur == admission.regisseur


@pytest.mark.django_db(transaction=True)
class TestOneTransaction:
    """A later step that fails takes everything with it: no subject, case, base file, grant,
    decision or history, and the report still waits for the decision."""

    @staticmethod
    def fail(*args, **kwargs):
        raise RuntimeError("de database valt weg")

    @pytest.mark.parametrize(
        "breaks",
        ["the regisseur's grant", "the base file", "the decision itself"],
    )
    def test_a_failing_later_step_leaves_nothing_behind(self, admission, monkeypatch, breaks):
        if breaks == "the regisseur's grant":
            monkeypatch.setattr(permissions, "grant_regisseur", self.fail)
        elif breaks == "the base file":
            monkeypatch.setattr(BaseFile, "save", self.fail)
        else:
            monkeypatch.setattr(Decision, "save", self.fail)
        report_history = admission.report.history.count()

        with pytest.raises(RuntimeError):
            admit(admission)

        assert not Subject.objects.exists()
        assert not Case.objects.exists()
        assert not Case.history.exists()
        assert not BaseFile.objects.exists()
        assert not Decision.objects.exists()
        assert not UserObjectPermission.objects.filter(user=admission.regisseur).exists()
        report = Report.objects.get(pk=admission.report.pk)
        assert (report.status, report.decided_at) == (ReportStatus.READY_FOR_DECISION, None)
        assert report.history.count() == report_history
        item = AgendaItem.objects.get(pk=admission.item.pk)
        assert (item.case, item.status) == (None, ItemStatus.OPEN)

    def test_after_the_failure_the_admission_can_be_decided_again(self, admission, monkeypatch):
        with monkeypatch.context() as patched:
            patched.setattr(permissions, "grant_regisseur", self.fail)
            with pytest.raises(RuntimeError):
                admit(admission)

        admit(admission)

        assert Case.objects.get(report=admission.report).regisseur == admission.regisseur


class TestRefusals:
    def assert_refused(self, admission_or_item, actor, data, message):
        with pytest.raises(TransitionNotAllowed) as refused:
            services.decision_record(item=admission_or_item, actor=actor, data=data)
        assert refused.value.message == message

    def test_a_second_admission_is_refused_and_the_case_keeps_its_regisseur(self, admission):
        admit(admission)
        other = regisseur_user(organisation=organisation("POL"))

        with pytest.raises(TransitionNotAllowed) as refused:
            admit(admission, regisseur=other)

        assert refused.value.message == (
            "Over deze melding is al besloten: ‘Opgenomen in de aanpak’."
        )
        assert Case.objects.get(report=admission.report).regisseur == admission.regisseur
        assert Decision.objects.filter(item=admission.item).count() == 1

    def test_not_admitting_an_admitted_report_is_refused_with_its_status(self, admission):
        admit(admission)

        self.assert_refused(
            admission.item,
            admission.secretary,
            DecisionData(kind=DecisionKind.NOT_ADMIT, text="Toch niet opnemen."),
            "Een melding met status ‘Opgenomen in de aanpak’ kan niet naar ‘Niet opgenomen’.",
        )
        assert Decision.objects.filter(item=admission.item).count() == 1

    def test_an_admission_needs_the_organisation_and_the_regisseur(self, admission):
        self.assert_refused(
            admission.item,
            admission.secretary,
            DecisionData(kind=DecisionKind.ADMIT, text="Opnemen."),
            "Bij opname horen de organisatie en de regisseur.",
        )

    def test_the_regisseur_must_work_for_the_organisation(self, admission):
        self.assert_refused(
            admission.item,
            admission.secretary,
            DecisionData(
                kind=DecisionKind.ADMIT,
                text="Opnemen.",
                organisation=organisation("POL"),
                regisseur=admission.regisseur,
            ),
            "De regisseur hoort bij een andere organisatie.",
        )
        assert admission.report.status == ReportStatus.READY_FOR_DECISION
        assert not Case.objects.exists()

    @pytest.mark.parametrize("text", ["", "   \n"])
    def test_a_decision_without_text_is_refused(self, admission, text):
        self.assert_refused(
            admission.item,
            admission.secretary,
            DecisionData(
                kind=DecisionKind.ADMIT,
                text=text,
                organisation=organisation("OOV"),
                regisseur=admission.regisseur,
            ),
            "Een besluit heeft een tekst.",
        )
        assert not Case.objects.exists()

    def test_a_decision_before_the_meeting_day_is_refused(self, admission, time_machine):
        time_machine.move_to(at(date(2027, 2, 16), 17), tick=False)

        with pytest.raises(TransitionNotAllowed) as refused:
            admit(admission)

        assert refused.value.message == (
            "Een besluit wordt vastgelegd vanaf de aanvang van de vergadering "
            "(17-02-2027 09:00), niet eerder."
        )
        assert not Case.objects.exists()

    def test_a_decision_from_the_start_time_on_is_allowed(self, admission, time_machine):
        # Issue 16: earlier on the meeting day is refused too (the boundaries in test_time_rules).
        time_machine.move_to(at(DAY, 9), tick=False)

        admit(admission)

        assert Case.objects.filter(report=admission.report).exists()

    def test_a_decision_kind_that_does_not_fit_the_item_is_refused(self, admission):
        self.assert_refused(
            admission.item,
            admission.secretary,
            DecisionData(kind=DecisionKind.ADOPT_PLAN, text="Plan vaststellen."),
            "‘Plan van aanpak vaststellen’ past niet bij ‘Nieuwe melding: besluit over opname’.",
        )

    def test_a_policy_item_takes_only_a_general_decision(self, admission):
        policy = services.agenda_item_add(
            meeting=admission.meeting,
            actor=admission.secretary,
            kind=ItemKind.POLICY,
            title="Concept beoordelingskader",
            owner_organisation=organisation("OOV"),
        )

        self.assert_refused(
            policy,
            admission.secretary,
            DecisionData(kind=DecisionKind.CLOSE, text="Afsluiten."),
            "Alleen een casusbespreking kan een casusbesluit krijgen.",
        )
        decision = services.decision_record(
            item=policy,
            actor=admission.secretary,
            data=DecisionData(kind=DecisionKind.GENERAL, text="Ingestemd; OOV verwerkt."),
        )
        policy.refresh_from_db()
        assert (decision.kind, policy.status) == (DecisionKind.GENERAL, ItemStatus.DISCUSSED)


# --- Every other typed decision -----------------------------------------------------------------


@pytest.fixture
def today(time_machine):
    """The meeting of the decision body on the 17th; the minutes are taken at 11:00."""
    time_machine.move_to(at(DAY, 11), tick=False)
    secretary = secretary_user()
    body = BodyFactory(pto=True, secretary=secretary, first_date=date(2027, 2, 3))
    return meeting_on(body, DAY, actor=secretary), secretary


def decide(item, secretary, kind, text="Besluit van het overleg.", **fields) -> Decision:
    return services.decision_record(
        item=item, actor=secretary, data=DecisionData(kind=kind, text=text, **fields)
    )


def test_admitting_a_report_the_meeting_sent_back_is_refused_with_its_status(admission):
    services.decision_record(
        item=admission.item,
        actor=admission.secretary,
        data=DecisionData(kind=DecisionKind.BRING_BACK, text="Terug naar het Voorportaal."),
    )

    with pytest.raises(TransitionNotAllowed) as refused:
        admit(admission)

    assert refused.value.message == (
        "Een melding met status ‘In duiding’ kan niet naar ‘Opgenomen in de aanpak’."
    )
    assert not Case.objects.exists()


def test_not_admitting_closes_the_report_with_the_reason_and_opens_no_case(today):
    meeting, secretary = today
    report = ready_report()
    item = case_item(meeting, CaseItemKind.ADMISSION, report=report)

    decide(
        item,
        secretary,
        DecisionKind.NOT_ADMIT,
        "Niet opnemen; preventief gesprek door het MAP.",
        not_admitted_reason=NotAdmittedReason.OTHER_APPROACH,
    )

    report.refresh_from_db()
    assert report.status == ReportStatus.NOT_ADMITTED
    assert report.not_admitted_reason == NotAdmittedReason.OTHER_APPROACH
    assert report.decision_note == "Niet opnemen; preventief gesprek door het MAP."
    assert latest_history_user(report) == secretary
    assert not Case.objects.exists()


def test_bringing_a_report_back_returns_it_to_the_assessment_board(today):
    meeting, secretary = today
    report = ready_report()
    item = case_item(meeting, CaseItemKind.ADMISSION, report=report)

    decide(item, secretary, DecisionKind.BRING_BACK, "Terug naar het Voorportaal: netwerk.")

    report.refresh_from_db()
    assert report.status == ReportStatus.IN_ASSESSMENT
    assert latest_history_user(report) == secretary


@pytest.fixture
def itatr_today(time_machine):
    """The ITAT-R meets on Thursday 18 February 2027 at 13:00; the minutes follow at 16:00."""
    time_machine.move_to(at(date(2027, 2, 18), 16), tick=False)
    secretary = secretary_user()
    body = BodyFactory(itatr=True, secretary=secretary, first_date=date(2027, 2, 18))
    return meeting_on(body, date(2027, 2, 18), actor=secretary), secretary


def test_the_itatr_advice_goes_to_the_regisseur_and_the_definitive_plan_to_the_queue(
    itatr_today,
):
    meeting, secretary = itatr_today
    plan = submitted_plan()
    item = case_item(meeting, CaseItemKind.PLAN_ADVICE, plan=plan)
    decision_body = BodyFactory(pto=True)

    decide(item, secretary, DecisionKind.ADVICE, "Positief; let op de broer.")

    plan.refresh_from_db()
    assert (plan.status, plan.advice) == (PlanStatus.ADVISED, "Positief; let op de broer.")
    assert latest_history_user(plan) == secretary
    assert selectors.queue_for(decision_body) == []  # first the regisseur answers the advice
    regisseur = plan.case.regisseur
    case_services.plan_process_advice(plan=plan, actor=regisseur, responses=["Broer in beeld."])
    case_services.plan_mark_final(plan=plan, actor=regisseur)
    queued = [e.placement for e in selectors.queue_for(decision_body)]
    assert [(p.case_kind, p.plan) for p in queued] == [(CaseItemKind.PLAN_ADOPTION, plan)]


def test_advice_not_ready_sends_the_plan_back_to_concept_with_the_reason(itatr_today):
    meeting, secretary = itatr_today
    plan = submitted_plan()
    item = case_item(meeting, CaseItemKind.PLAN_ADVICE, plan=plan)

    decide(item, secretary, DecisionKind.BRING_BACK, "Nog niet rijp: doelen ontbreken.")

    plan.refresh_from_db()
    assert (plan.status, plan.returned_reason) == (
        PlanStatus.CONCEPT,
        "Nog niet rijp: doelen ontbreken.",
    )
    assert Case.objects.get(pk=plan.case_id).phase == CasePhase.CONCEPT_PLAN


def test_adopting_an_advised_plan_moves_plan_and_case(today):
    meeting, secretary = today
    plan = advised_plan()
    item = case_item(meeting, CaseItemKind.PLAN_ADOPTION, plan=plan)

    decide(item, secretary, DecisionKind.ADOPT_PLAN, "Het plan van aanpak wordt vastgesteld.")

    plan.refresh_from_db()
    assert plan.status == PlanStatus.ADOPTED
    case = Case.objects.get(pk=plan.case_id)
    assert case.phase == CasePhase.ADOPTED
    assert latest_history_user(case) == secretary


def test_adopting_a_plan_that_was_not_advised_is_refused_with_its_status(today):
    meeting, secretary = today
    plan = submitted_plan()
    item = case_item(meeting, CaseItemKind.PLAN_ADOPTION, plan=plan)

    with pytest.raises(TransitionNotAllowed) as refused:
        decide(item, secretary, DecisionKind.ADOPT_PLAN)

    assert refused.value.message == (
        "Een plan met status ‘Ingediend voor advies (ITAT-R)’ kan niet worden vastgesteld."
    )
    assert PlanVersion.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED
    assert Case.objects.get(pk=plan.case_id).phase == CasePhase.AT_ADVICE
    assert not Decision.objects.exists()
    assert AgendaItem.objects.get(pk=item.pk).status == ItemStatus.OPEN


def test_bringing_a_plan_back_makes_it_the_concept_again(today):
    meeting, secretary = today
    plan = advised_plan()
    item = case_item(meeting, CaseItemKind.PLAN_ADOPTION, plan=plan)

    decide(item, secretary, DecisionKind.BRING_BACK, "Terug naar de regisseur: doelen te vaag.")

    plan.refresh_from_db()
    assert plan.status == PlanStatus.CONCEPT
    assert Case.objects.get(pk=plan.case_id).phase == CasePhase.CONCEPT_PLAN


def test_phasing_down_adopts_the_proposal_and_moves_the_case(today):
    meeting, secretary = today
    offer = proposal(ProposalKind.PHASE_DOWN)
    item = case_item(meeting, CaseItemKind.PHASE_DOWN, proposal=offer)

    decide(item, secretary, DecisionKind.PHASE_DOWN, "De casus gaat in afbouw.")

    case = Case.objects.get(pk=offer.case_id)
    assert case.phase == CasePhase.PHASING_DOWN
    assert Proposal.objects.get(pk=offer.pk).status == ProposalStatus.ADOPTED
    assert latest_history_user(case) == secretary


def test_phasing_down_a_case_that_is_not_in_execution_is_refused_with_its_phase(today):
    meeting, secretary = today
    case = CaseFactory()  # base file, no plan yet
    item = case_item(meeting, CaseItemKind.PHASE_DOWN, case=case)

    with pytest.raises(TransitionNotAllowed) as refused:
        decide(item, secretary, DecisionKind.PHASE_DOWN)

    assert refused.value.message == (
        "Een casus in fase ‘Basisdossier bij regisseur’ kan niet naar ‘Afbouw’."
    )
    assert not Decision.objects.exists()


def test_closing_closes_the_case_with_the_handover_of_the_proposal(today):
    meeting, secretary = today
    offer = proposal(ProposalKind.CLOSURE)
    item = case_item(meeting, CaseItemKind.CLOSURE, proposal=offer)

    decide(
        item,
        secretary,
        DecisionKind.CLOSE,
        "De casus wordt afgesloten met warme overdracht aan de GGZ.",
        closure_reason=ClosureReason.GOALS_MET,
    )

    case = Case.objects.get(pk=offer.case_id)
    assert case.phase == CasePhase.CLOSED
    assert (case.closure_reason, case.handover_organisation) == (
        ClosureReason.GOALS_MET,
        organisation("GGZ"),
    )
    assert Proposal.objects.get(pk=offer.pk).status == ProposalStatus.ADOPTED
    assert latest_history_user(case) == secretary


def test_declaring_a_case_dormant_records_the_decision_as_the_reason(today):
    meeting, secretary = today
    case = CaseFactory(in_execution=True)
    item = case_item(meeting, CaseItemKind.DORMANT, case=case)

    decide(item, secretary, DecisionKind.DORMANT, "Gedetineerd tot 2029; statisch.")

    case.refresh_from_db()
    assert (case.is_dormant, case.dormant_reason) == (True, "Gedetineerd tot 2029; statisch.")
    assert latest_history_user(case) == secretary


def test_declaring_a_closed_case_dormant_is_refused(today):
    meeting, secretary = today
    case = CaseFactory(closed=True)
    item = case_item(meeting, CaseItemKind.DORMANT, case=case)

    with pytest.raises(TransitionNotAllowed) as refused:
        decide(item, secretary, DecisionKind.DORMANT, "Statisch.")

    assert refused.value.message == "Deze casus is afgesloten; het dossier is alleen-lezen."


def test_bringing_a_proposal_back_rejects_it_and_leaves_the_case_in_execution(today):
    meeting, secretary = today
    offer = proposal(ProposalKind.CLOSURE)
    item = case_item(meeting, CaseItemKind.CLOSURE, proposal=offer)

    decide(item, secretary, DecisionKind.BRING_BACK, "Nog niet afsluiten; eerst evalueren.")

    assert Proposal.objects.get(pk=offer.pk).status == ProposalStatus.REJECTED
    assert Case.objects.get(pk=offer.case_id).phase == CasePhase.IN_EXECUTION


def test_the_itatr_advice_on_a_proposal_sends_it_on_to_the_decision_meeting(itatr_today):
    meeting, secretary = itatr_today
    offer = proposal(ProposalKind.PHASE_DOWN)
    item = case_item(meeting, CaseItemKind.PHASE_DOWN, proposal=offer)
    decision_body = BodyFactory(pto=True)
    assert selectors.queue_for(decision_body) == []

    decide(item, secretary, DecisionKind.ADVICE, "Positief over de afbouw.")

    assert Case.objects.get(pk=offer.case_id).phase == CasePhase.IN_EXECUTION
    queued = [e.placement for e in selectors.queue_for(decision_body)]
    assert [(p.case_kind, p.proposal) for p in queued] == [(CaseItemKind.PHASE_DOWN, offer)]
