"""Every transition of a case and its plan is a service that follows the one table in
cases/constants.py: tried from every starting state, it succeeds only where the table allows
it (or returns quietly where it is documented as idempotent), otherwise it raises
TransitionNotAllowed and changes nothing. A successful transition writes one history row for
the case, by the acting user."""

import pytest
from guardian.shortcuts import get_perms

from cases import permissions, services
from cases.constants import CASE_TRANSITIONS, PLAN_TRANSITIONS, CasePhase, PlanStatus
from cases.exceptions import OpenCaseExists, TransitionNotAllowed
from cases.models import BaseFile, Case, PlanVersion, Proposal, Subject
from intake.constants import ReportStatus
from intake.models import Report
from tests.cases.factories import (
    CaseFactory,
    decision_member,
    latest_plan,
    open_case,
    ready_report,
    regisseur_user,
    revision_concept,
    secretary_user,
)
from tests.intake.factories import PersonDataFactory, ReportFactory

pytestmark = pytest.mark.django_db

PHASES = list(CasePhase.values)
PLAN_STATUSES = list(PlanStatus.values)
# Every state a case can start from: each phase, and 'statisch' (a side state) in execution.
DORMANT = "statisch"
STARTING_STATES = [*PHASES, DORMANT]


def case_in(state: str) -> Case:
    if state == DORMANT:
        return CaseFactory(dormant=True)
    return CaseFactory(stage=state)


def frozen(case: Case) -> dict:
    """Everything a refused transition must leave as it was."""
    return {
        "case": Case.objects.filter(pk=case.pk).values().get(),
        "plans": list(PlanVersion.objects.filter(case=case).order_by("pk").values()),
        "proposals": list(Proposal.objects.filter(case=case).order_by("pk").values()),
        "case_history": Case.history.filter(id=case.pk).count(),
        "plan_history": PlanVersion.history.filter(case_id=case.pk).count(),
        "regisseur_perms": sorted(get_perms(case.regisseur, case)),
    }


def assert_refused_and_unchanged(call, case: Case) -> None:
    before = frozen(case)

    with pytest.raises(TransitionNotAllowed) as refused:
        call()

    assert refused.value.message  # a reason in the users' words
    assert frozen(case) == before


def assert_one_history_row(case: Case, rows_before: int, actor) -> None:
    rows = Case.history.filter(id=case.pk)
    assert rows.count() == rows_before + 1
    assert rows.first().history_user == actor


# --- The tables ---------------------------------------------------------------------------------


def test_the_case_table_names_every_phase_and_closed_is_the_end():
    assert set(CASE_TRANSITIONS) == set(PHASES)
    assert all(targets <= set(PHASES) for targets in CASE_TRANSITIONS.values())
    assert CASE_TRANSITIONS[CasePhase.CLOSED] == frozenset()
    assert all(phase not in CASE_TRANSITIONS[phase] for phase in PHASES)


def test_the_plan_table_names_every_status_and_revised_is_the_end():
    assert set(PLAN_TRANSITIONS) == set(PLAN_STATUSES)
    assert all(targets <= set(PLAN_STATUSES) for targets in PLAN_TRANSITIONS.values())
    assert PLAN_TRANSITIONS[PlanStatus.REVISED] == frozenset()


@pytest.mark.parametrize("target", PHASES)
@pytest.mark.parametrize("phase", PHASES)
def test_a_case_may_move_exactly_where_the_table_allows(phase, target):
    assert Case(phase=phase).can_transition_to(target) == (target in CASE_TRANSITIONS[phase])


@pytest.mark.parametrize("target", PLAN_STATUSES)
@pytest.mark.parametrize("status", PLAN_STATUSES)
def test_a_plan_may_move_exactly_where_the_table_allows(status, target):
    allowed = target in PLAN_TRANSITIONS[status]

    assert PlanVersion(status=status).can_transition_to(target) == allowed


def test_the_factory_reaches_every_phase_through_the_services():
    for phase in PHASES:
        assert CaseFactory(stage=phase).phase == phase
    dormant = CaseFactory(dormant=True)
    assert (dormant.phase, dormant.is_dormant) == (CasePhase.IN_EXECUTION, True)


# --- Opening a case from a report --------------------------------------------------------------

OPENS_FROM = {ReportStatus.READY_FOR_DECISION, ReportStatus.ADMITTED}


class TestCaseOpenFromReport:
    def test_it_opens_subject_case_and_base_file_and_hands_them_to_the_regisseur(self):
        report = ready_report()
        regisseur, actor = regisseur_user(), decision_member()

        case = services.case_open_from_report(
            report=report, actor=actor, organisation=regisseur.organisation, regisseur=regisseur
        )

        report.refresh_from_db()
        assert report.status == ReportStatus.ADMITTED
        assert report.history.first().history_user == actor
        assert (case.phase, case.regisseur, case.organisation) == (
            CasePhase.BASE_FILE,
            regisseur,
            regisseur.organisation,
        )
        assert case.base_file_assigned_at == case.admitted_at
        assert BaseFile.objects.filter(case=case).exists()
        assert case.subject.bsn == report.persons.get().bsn
        assert set(get_perms(regisseur, case)) == set(permissions.REGISSEUR_PERMS)
        # Admission and the hand-over of the base file: two rows, both by the meeting's actor.
        history = Case.history.filter(id=case.pk).order_by("history_date", "history_id")
        assert [(row.history_type, row.phase) for row in history] == [
            ("+", CasePhase.ADMITTED),
            ("~", CasePhase.BASE_FILE),
        ]
        assert {row.history_user for row in history} == {actor}

    def test_opening_twice_returns_the_same_case_and_writes_nothing(self):
        report = ready_report()
        regisseur, actor = regisseur_user(), decision_member()
        first = services.case_open_from_report(
            report=report, actor=actor, organisation=regisseur.organisation, regisseur=regisseur
        )
        rows = Case.history.count()

        again = services.case_open_from_report(
            report=report, actor=actor, organisation=regisseur.organisation, regisseur=regisseur
        )

        assert again == first
        assert Case.history.count() == rows
        assert Case.objects.count() == Subject.objects.count() == 1

    @pytest.mark.parametrize("status", list(ReportStatus.values))
    def test_it_opens_only_from_a_report_ready_for_decision(self, status):
        report = ReportFactory(stage=status)
        regisseur = regisseur_user()
        report_rows = report.history.count()

        def call():
            return services.case_open_from_report(
                report=report,
                actor=decision_member(),
                organisation=regisseur.organisation,
                regisseur=regisseur,
            )

        if status in OPENS_FROM:
            # ADMITTED: the minutes recorded the decision first; opening the case follows.
            assert call().phase == CasePhase.BASE_FILE
            assert Report.objects.get(pk=report.pk).status == ReportStatus.ADMITTED
            return
        with pytest.raises(TransitionNotAllowed):
            call()
        assert not Subject.objects.exists()
        assert not Case.objects.exists()
        assert not BaseFile.objects.exists()
        report.refresh_from_db()
        assert report.status == status
        assert report.history.count() == report_rows

    def test_it_refuses_a_regisseur_of_another_organisation(self):
        report = ready_report()
        regisseur = regisseur_user()
        elsewhere = regisseur_user()

        with pytest.raises(TransitionNotAllowed, match="andere organisatie"):
            services.case_open_from_report(
                report=report,
                actor=decision_member(),
                organisation=elsewhere.organisation,
                regisseur=regisseur,
            )

        assert not Case.objects.exists()
        assert Report.objects.get(pk=report.pk).status == ReportStatus.READY_FOR_DECISION

    def test_it_refuses_a_report_without_a_known_person(self):
        # Such a report does not even reach 'klaar voor besluit' any more ...
        with pytest.raises(TransitionNotAllowed, match="Geen bekende persoon"):
            ready_report(persons=[])
        # ... and one whose person was removed after it got there is still refused here.
        report = ready_report()
        report.persons.all().delete()
        regisseur = regisseur_user()

        with pytest.raises(TransitionNotAllowed, match="zonder bekende persoon"):
            services.case_open_from_report(
                report=report,
                actor=decision_member(),
                organisation=regisseur.organisation,
                regisseur=regisseur,
            )

        assert not Case.objects.exists()
        assert Report.objects.get(pk=report.pk).status == ReportStatus.READY_FOR_DECISION

    def test_a_second_report_about_the_same_person_reuses_the_subject(self):
        person = PersonDataFactory()
        first = open_case(report=ready_report(persons=[person]))
        report = ready_report(persons=[person])
        regisseur = regisseur_user()

        # A second open case for the same person needs the meeting's reason.
        with pytest.raises(OpenCaseExists):
            open_case(report=report, regisseur=regisseur)
        second = services.case_open_from_report(
            report=report,
            actor=decision_member(),
            organisation=regisseur.organisation,
            regisseur=regisseur,
            second_case_reason="Tweede casus op verzoek van het overleg.",
        )

        assert second.subject == first.subject
        assert Subject.objects.count() == 1

    def test_it_is_one_transaction_a_failing_grant_leaves_nothing_behind(self, monkeypatch):
        report = ready_report()
        regisseur = regisseur_user()
        report_rows = report.history.count()

        def broken_grant(case, user):
            raise RuntimeError("guardian is down")

        monkeypatch.setattr(permissions, "grant_regisseur", broken_grant)

        with pytest.raises(RuntimeError):
            services.case_open_from_report(
                report=report,
                actor=decision_member(),
                organisation=regisseur.organisation,
                regisseur=regisseur,
            )

        assert not Subject.objects.exists()
        assert not Case.objects.exists()
        assert not BaseFile.objects.exists()
        assert not Case.history.exists()
        report.refresh_from_db()
        assert report.status == ReportStatus.READY_FOR_DECISION
        assert report.history.count() == report_rows


# --- Decisions of the decision meeting on the case ---------------------------------------------


@pytest.mark.parametrize("state", STARTING_STATES)
def test_phase_down_moves_only_a_case_in_execution(state):
    case = case_in(state)
    actor = decision_member()
    rows = Case.history.filter(id=case.pk).count()

    def call():
        return services.case_phase_down(case=case, actor=actor)

    if state == CasePhase.PHASING_DOWN:  # idempotent: the decision arrives twice
        before = frozen(case)
        assert call().phase == CasePhase.PHASING_DOWN
        assert frozen(case) == before
    elif state in (CasePhase.IN_EXECUTION, DORMANT):
        moved = call()
        assert moved.phase == CasePhase.PHASING_DOWN
        assert moved.phase_down_at is not None
        assert_one_history_row(case, rows, actor)
    else:
        assert_refused_and_unchanged(call, case)


def test_phase_down_marks_the_proposal_it_decides_on_as_adopted():
    case = CaseFactory(in_execution=True)
    proposal = services.proposal_submit(
        case=case,
        actor=case.regisseur,
        kind="afbouw",
        goals_met="Doelen behaald.",
        reasoning="Stabiel.",
        handover_organisation=None,
    )

    services.case_phase_down(case=case, actor=decision_member(), proposal=proposal)

    proposal.refresh_from_db()
    assert proposal.status == "aangenomen"
    assert proposal.decided_at is not None


@pytest.mark.parametrize("state", STARTING_STATES)
def test_closing_is_allowed_from_every_open_phase_and_idempotent_once_closed(state):
    case = case_in(state)
    actor = decision_member()
    rows = Case.history.filter(id=case.pk).count()

    def call():
        return services.case_close(case=case, actor=actor, reason="overig")

    if state == CasePhase.CLOSED:
        before = frozen(case)
        assert call().phase == CasePhase.CLOSED
        assert frozen(case) == before
        return
    closed = call()
    assert (closed.phase, closed.closure_reason) == (CasePhase.CLOSED, "overig")
    assert closed.closed_at is not None
    assert_one_history_row(case, rows, actor)


@pytest.mark.parametrize("state", STARTING_STATES)
def test_only_an_open_case_can_be_declared_dormant(state):
    case = case_in(state)
    actor = decision_member()
    rows = Case.history.filter(id=case.pk).count()

    def call():
        return services.case_set_dormant(case=case, actor=actor, reason="Vertrokken naar Syrië.")

    if state == CasePhase.CLOSED:
        assert_refused_and_unchanged(call, case)
        return
    dormant = call()
    assert (dormant.is_dormant, dormant.dormant_reason) == (True, "Vertrokken naar Syrië.")
    assert dormant.phase == case.phase  # a side state, not a phase
    assert_one_history_row(case, rows, actor)


def test_declaring_a_case_dormant_needs_a_reason():
    case = CaseFactory(in_execution=True)

    assert_refused_and_unchanged(
        lambda: services.case_set_dormant(case=case, actor=decision_member(), reason="  "), case
    )


def test_the_meeting_lifts_dormant_status_with_one_history_row():
    case = CaseFactory(dormant=True)
    actor = decision_member()
    rows = Case.history.filter(id=case.pk).count()

    lifted = services.case_set_dormant(case=case, actor=actor, reason="", dormant=False)

    assert (lifted.is_dormant, lifted.dormant_reason, lifted.dormant_since) == (False, "", None)
    assert_one_history_row(case, rows, actor)


@pytest.mark.parametrize("state", STARTING_STATES)
def test_reassigning_moves_an_open_case_and_its_access(state):
    case = case_in(state)
    previous, successor = case.regisseur, regisseur_user()
    actor = decision_member()
    rows = Case.history.filter(id=case.pk).count()

    def call():
        return services.case_reassign(case=case, actor=actor, regisseur=successor)

    if state == CasePhase.CLOSED:
        assert_refused_and_unchanged(call, case)
        assert get_perms(successor, case) == []
        return
    moved = call()
    assert (moved.regisseur, moved.organisation) == (successor, successor.organisation)
    assert moved.phase == case.phase
    assert get_perms(previous, case) == []
    assert set(get_perms(successor, case)) == set(permissions.REGISSEUR_PERMS)
    assert_one_history_row(case, rows, actor)


def test_reassigning_to_the_same_regisseur_changes_nothing():
    case = CaseFactory(in_execution=True)
    before = frozen(case)

    services.case_reassign(case=case, actor=decision_member(), regisseur=case.regisseur)

    assert frozen(case) == before


# --- The plan --------------------------------------------------------------------------------


@pytest.mark.parametrize("state", STARTING_STATES)
def test_submitting_for_advice_moves_only_a_concept_plan(state):
    case = case_in(state)
    rows = Case.history.filter(id=case.pk).count()

    def call():
        return services.plan_submit_for_advice(case=case, actor=case.regisseur)

    if state != CasePhase.CONCEPT_PLAN:  # nothing to submit: no concept
        assert_refused_and_unchanged(call, case)
        return
    plan = call()
    assert plan.status == PlanStatus.SUBMITTED
    assert plan.submitted_at is not None
    assert plan.history.first().history_user == case.regisseur
    assert Case.objects.get(pk=case.pk).phase == CasePhase.AT_ADVICE
    assert_one_history_row(case, rows, case.regisseur)


def test_submitting_a_revision_leaves_the_case_in_execution():
    case = CaseFactory(in_execution=True)
    revision_concept(case)
    rows = Case.history.filter(id=case.pk).count()

    plan = services.plan_submit_for_advice(case=case, actor=case.regisseur)

    assert (plan.number, plan.status) == (2, PlanStatus.SUBMITTED)
    assert Case.objects.get(pk=case.pk).phase == CasePhase.IN_EXECUTION
    assert Case.history.filter(id=case.pk).count() == rows  # the case did not change


# Plans in every status, with the case phase each goes with.
def plan_in(status: str) -> tuple[Case, PlanVersion]:
    if status == PlanStatus.CONCEPT:
        case = CaseFactory(concept_plan=True)
    elif status in (PlanStatus.SUBMITTED, PlanStatus.ADVISED):
        case = CaseFactory(at_advice=True)
        if status == PlanStatus.ADVISED:
            services.plan_record_advice(
                plan=latest_plan(case), actor=secretary_user(), advice="Positief."
            )
    elif status == PlanStatus.ADOPTED:
        case = CaseFactory(adopted=True)
    else:  # revised: version 1 replaced by an adopted version 2
        case = CaseFactory(in_execution=True)
        revision_concept(case)
        plan = services.plan_submit_for_advice(case=case, actor=case.regisseur)
        services.plan_record_advice(plan=plan, actor=secretary_user(), advice="Akkoord.")
        services.plan_adopt(plan=plan, actor=decision_member())
        return case, PlanVersion.objects.get(case=case, number=1)
    return case, latest_plan(case)


@pytest.mark.parametrize("status", PLAN_STATUSES)
def test_advice_is_recorded_only_on_a_submitted_plan(status):
    case, plan = plan_in(status)
    actor = secretary_user()

    def call():
        return services.plan_record_advice(plan=plan, actor=actor, advice="Let op het netwerk.")

    if status == PlanStatus.ADVISED:  # idempotent
        before = frozen(case)
        assert call().status == PlanStatus.ADVISED
        assert frozen(case) == before
    elif status == PlanStatus.SUBMITTED:
        advised = call()
        assert (advised.status, advised.advice) == (PlanStatus.ADVISED, "Let op het netwerk.")
        assert advised.history.first().history_user == actor
        assert Case.objects.get(pk=case.pk).phase == CasePhase.AT_ADVICE
    else:
        assert_refused_and_unchanged(call, case)


@pytest.mark.parametrize("status", PLAN_STATUSES)
def test_only_an_advised_plan_can_be_adopted(status):
    case, plan = plan_in(status)
    actor = decision_member()
    rows = Case.history.filter(id=case.pk).count()

    def call():
        return services.plan_adopt(plan=plan, actor=actor)

    if status == PlanStatus.ADOPTED:  # idempotent
        before = frozen(case)
        assert call().status == PlanStatus.ADOPTED
        assert frozen(case) == before
    elif status == PlanStatus.ADVISED:
        adopted = call()
        assert adopted.status == PlanStatus.ADOPTED
        assert adopted.adopted_at is not None
        assert adopted.history.first().history_user == actor
        assert Case.objects.get(pk=case.pk).phase == CasePhase.ADOPTED
        assert_one_history_row(case, rows, actor)
    else:
        assert_refused_and_unchanged(call, case)


@pytest.mark.parametrize("status", PLAN_STATUSES)
def test_only_an_adopted_plan_is_accorded_and_that_starts_execution(status):
    case, plan = plan_in(status)
    actor = secretary_user()
    rows = Case.history.filter(id=case.pk).count()

    def call():
        return services.plan_accord(plan=plan, actor=actor)

    if status != PlanStatus.ADOPTED:
        assert_refused_and_unchanged(call, case)
        return
    accorded = call()
    assert accorded.accorded_by == actor
    assert Case.objects.get(pk=case.pk).phase == CasePhase.IN_EXECUTION
    assert_one_history_row(case, rows, actor)

    before = frozen(case)  # accorded twice: idempotent
    assert services.plan_accord(plan=plan, actor=secretary_user()).accorded_by == actor
    assert frozen(case) == before


def test_adopting_a_revision_marks_the_older_adopted_version_revised():
    case, older = plan_in(PlanStatus.REVISED)

    assert older.status == PlanStatus.REVISED
    assert latest_plan(case).status == PlanStatus.ADOPTED
    assert Case.objects.get(pk=case.pk).phase == CasePhase.IN_EXECUTION


@pytest.mark.parametrize("status", [PlanStatus.SUBMITTED, PlanStatus.ADVISED, PlanStatus.ADOPTED])
def test_a_closed_file_is_read_only_for_the_meetings_too(status):
    """The decision meeting closed the case while its plan was on the way: advice, adoption and
    accord of that plan would write into a read-only file."""
    case, plan = plan_in(status)
    services.case_close(case=case, actor=decision_member(), reason="overig")
    calls = [
        lambda: services.plan_record_advice(plan=plan, actor=secretary_user(), advice="Laat."),
        lambda: services.plan_adopt(plan=plan, actor=decision_member()),
        lambda: services.plan_accord(plan=plan, actor=secretary_user()),
    ]
    # The step the plan already took stays a quiet repeat; every step forward is refused.
    forward = {
        PlanStatus.SUBMITTED: calls,
        PlanStatus.ADVISED: calls[1:],
        PlanStatus.ADOPTED: calls[2:],
    }[status]

    for call in forward:
        assert_refused_and_unchanged(call, case)


@pytest.mark.parametrize("status", PLAN_STATUSES)
def test_the_meeting_returns_only_a_plan_on_its_way_to_concept(status):
    case, plan = plan_in(status)
    actor = secretary_user()

    def call():
        return services.plan_return_to_concept(plan=plan, actor=actor)

    if status == PlanStatus.CONCEPT:  # idempotent
        before = frozen(case)
        assert call().status == PlanStatus.CONCEPT
        assert frozen(case) == before
    elif status in (PlanStatus.SUBMITTED, PlanStatus.ADVISED):
        rows = Case.history.filter(id=case.pk).count()
        returned = call()
        assert returned.status == PlanStatus.CONCEPT
        assert returned.history.first().history_user == actor
        assert Case.objects.get(pk=case.pk).phase == CasePhase.CONCEPT_PLAN
        assert_one_history_row(case, rows, actor)
    else:
        assert_refused_and_unchanged(call, case)


def phase_changes(case: Case) -> list[tuple[str, str]]:
    phases = list(
        Case.history.filter(id=case.pk)
        .order_by("history_date", "history_id")
        .values_list("phase", flat=True)
    )
    return [(a, b) for a, b in zip(phases, phases[1:], strict=False) if a != b]


def test_every_phase_change_along_the_lifecycle_is_in_the_table():
    cases = [case_in(state) for state in STARTING_STATES if state != CasePhase.ADMITTED]
    cases += [plan_in(status)[0] for status in PLAN_STATUSES]
    closed_early = CaseFactory(at_advice=True)
    services.case_close(case=closed_early, actor=decision_member(), reason="overig")
    cases.append(closed_early)

    for case in cases:
        for before, after in phase_changes(case):
            assert after in CASE_TRANSITIONS[before], (case.reference, before, after)


def test_a_plan_sent_back_to_concept_moves_the_case_only_as_the_table_allows():
    case, plan = plan_in(PlanStatus.SUBMITTED)

    services.plan_return_to_concept(plan=plan, actor=secretary_user())

    for before, after in phase_changes(case):
        assert after in CASE_TRANSITIONS[before], (before, after)


def test_a_closed_file_cannot_get_its_plan_back_as_concept():
    case, plan = plan_in(PlanStatus.SUBMITTED)
    services.case_close(case=case, actor=decision_member(), reason="overig")

    assert_refused_and_unchanged(
        lambda: services.plan_return_to_concept(plan=plan, actor=secretary_user()), case
    )
