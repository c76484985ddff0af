"""The allowed transitions are one table; every state is tried against every transition.

REPORT_TRANSITIONS decides; Report.can_transition_to() reads it; every service that moves a
report succeeds only from the states the table (and the service's own rule) allows, refuses
everything else with TransitionNotAllowed without changing anything, and writes exactly one
history row, by the actor, for every move.
"""

from collections.abc import Callable

import pytest

from intake import services
from intake.constants import (
    REPORT_TRANSITIONS,
    TRIAGE_TARGET,
    AdviceKind,
    Ideology,
    NotAdmittedReason,
    ReportStatus,
    RiskGroup,
    TriageOutcome,
)
from intake.exceptions import TransitionNotAllowed
from intake.models import Advice, Assessment, Report, ReportGroupObjectPermission
from ipgar.accounts.constants import Role
from tests.factories import OrganisationFactory, UserFactory
from tests.intake.factories import ReportFactory, complete_assessment

pytestmark = pytest.mark.django_db

S = ReportStatus
ALL_STATES = list(ReportStatus.values)

# The workflow of DOMAIN.md section 3, written out by hand: a change to REPORT_TRANSITIONS
# must be a conscious change to this specification too.
SPECIFIED = {
    S.REGISTERED: {S.CLOSED_BY_DESK, S.HANDED_OVER, S.FORWARDED},
    S.FORWARDED: {S.IN_ASSESSMENT},
    S.IN_ASSESSMENT: {S.ADVISED},
    S.ADVISED: {S.IN_ASSESSMENT, S.READY_FOR_DECISION},
    S.READY_FOR_DECISION: {S.ADMITTED, S.NOT_ADMITTED, S.IN_ASSESSMENT},
    S.CLOSED_BY_DESK: set(),
    S.HANDED_OVER: set(),
    S.ADMITTED: set(),
    S.NOT_ADMITTED: set(),
}


class TestTheTable:
    def test_it_names_every_state_once_and_only_known_states(self):
        assert set(REPORT_TRANSITIONS) == set(ALL_STATES)
        for targets in REPORT_TRANSITIONS.values():
            assert targets <= set(ALL_STATES)

    def test_it_is_the_workflow_of_the_domain(self):
        assert {k: set(v) for k, v in REPORT_TRANSITIONS.items()} == SPECIFIED

    def test_nothing_leads_back_to_registered_or_out_of_a_final_state(self):
        assert not any(S.REGISTERED in targets for targets in REPORT_TRANSITIONS.values())
        for final in (S.CLOSED_BY_DESK, S.HANDED_OVER, S.ADMITTED, S.NOT_ADMITTED):
            assert REPORT_TRANSITIONS[final] == frozenset()


@pytest.mark.parametrize("source", ALL_STATES)
@pytest.mark.parametrize("target", ALL_STATES)
def test_can_transition_to_agrees_with_the_table(source, target):
    report = Report(status=source)

    assert report.can_transition_to(target) is (target in SPECIFIED[source])
    assert report.can_transition_to(target) is (target in REPORT_TRANSITIONS[source])
    assert report.is_open is bool(SPECIFIED[source])


# --- Every service that moves a report, from every state -------------------------------------

Call = Callable[[Report, object], object]


def triage(outcome: str) -> Call:
    def call(report, actor):
        handed_over_to = (
            OrganisationFactory(code="SCW-T", name="Streetcornerwork (test)")
            if outcome == TriageOutcome.REGULAR_CARE
            else None
        )
        return services.report_triage(
            report=report,
            actor=actor,
            outcome=outcome,
            reasoning="Onderbouwing van de eerste beoordeling.",
            handed_over_to=handed_over_to,
        )

    return call


def assess(report, actor):
    return services.assessment_save(report=report, actor=actor, **complete_assessment())


def advise(report, actor):
    return services.report_advise(
        report=report,
        actor=actor,
        kind=AdviceKind.ADMIT,
        reasoning="Opnemen in de aanpak.",
        proposed_risk_groups=[RiskGroup.RADICALISING],
        proposed_ideology=Ideology.LEFT_WING,
        best_cards=OrganisationFactory(code="OOV-T", name="OOV (test)"),
    )


def reopen(report, actor):
    return services.report_reopen_assessment(report=report, actor=actor)


def mark_ready(report, actor):
    return services.report_mark_ready_for_decision(report=report, actor=actor)


def mark_admitted(report, actor):
    return services.report_mark_admitted(report=report, actor=actor, note="Opgenomen.")


def mark_not_admitted(report, actor):
    return services.report_mark_not_admitted(
        report=report, actor=actor, reason=NotAdmittedReason.OTHER_APPROACH, note="Top600."
    )


# name: (call, role of the actor, {source: target it moves to}, sources where it succeeds
# without moving: idempotent, or a save while the state allows it)
SERVICES: dict[str, tuple[Call, str, dict[str, str], set[str]]] = {
    **{
        f"report_triage[{outcome}]": (
            triage(outcome),
            Role.INTAKE,
            {S.REGISTERED: TRIAGE_TARGET[outcome]},
            set(),
        )
        for outcome in TriageOutcome.values
    },
    # The first save starts the assessment; later saves while assessing change no status.
    "assessment_save": (
        assess,
        Role.ASSESSMENT_BOARD,
        {S.FORWARDED: S.IN_ASSESSMENT},
        {S.IN_ASSESSMENT, S.ADVISED},
    ),
    # The advice may be changed while it is not yet with the decision meeting.
    "report_advise": (advise, Role.ASSESSMENT_BOARD, {S.IN_ASSESSMENT: S.ADVISED}, {S.ADVISED}),
    "report_reopen_assessment": (
        reopen,
        Role.ASSESSMENT_BOARD,
        {S.ADVISED: S.IN_ASSESSMENT, S.READY_FOR_DECISION: S.IN_ASSESSMENT},
        set(),
    ),
    "report_mark_ready_for_decision": (
        mark_ready,
        Role.ASSESSMENT_BOARD,
        {S.ADVISED: S.READY_FOR_DECISION},
        {S.READY_FOR_DECISION},
    ),
    "report_mark_admitted": (
        mark_admitted,
        Role.SECRETARY,
        {S.READY_FOR_DECISION: S.ADMITTED},
        {S.ADMITTED},
    ),
    "report_mark_not_admitted": (
        mark_not_admitted,
        Role.SECRETARY,
        {S.READY_FOR_DECISION: S.NOT_ADMITTED},
        {S.NOT_ADMITTED},
    ),
}


def test_every_move_of_a_service_is_in_the_table_and_every_edge_has_a_service():
    edges = {(source, target) for source, targets in SPECIFIED.items() for target in targets}
    moves = {
        (source, target)
        for _, _, moving, _ in SERVICES.values()
        for source, target in moving.items()
    }

    assert moves == edges


def snapshot(report: Report) -> dict:
    """Everything a refused call must leave as it was."""
    report = Report.objects.get(pk=report.pk)
    assessment = Assessment.objects.filter(report=report).first()
    advice = Advice.objects.filter(report=report).first()
    return {
        "report": (report.status, report.updated_at, report.triaged_at, report.decided_at),
        "report_history": report.history.count(),
        "assessment": (assessment.updated_at, assessment.history.count()) if assessment else None,
        "answers": assessment.answers.count() if assessment else 0,
        "advice": (advice.updated_at, advice.history.count()) if advice else None,
        "grants": ReportGroupObjectPermission.objects.filter(content_object=report).count(),
    }


@pytest.mark.parametrize("source", ALL_STATES)
@pytest.mark.parametrize("name", list(SERVICES))
def test_a_service_moves_a_report_only_from_the_states_it_may(name, source):
    call, role, moving, staying = SERVICES[name]
    report = ReportFactory(stage=source)
    actor = UserFactory(roles=[role])
    before = snapshot(report)

    if source in moving:
        call(report, actor)

        report.refresh_from_db()
        assert report.status == moving[source]
        assert report.history.count() == before["report_history"] + 1
        latest = report.history.first()
        assert latest.history_user == actor
        assert latest.history_type == "~"
        assert latest.status == moving[source]
    elif source in staying:
        call(report, actor)

        report.refresh_from_db()
        assert report.status == source
        assert report.history.count() == before["report_history"]
    else:
        with pytest.raises(TransitionNotAllowed) as refusal:
            call(report, actor)

        assert refusal.value.message  # the refusal says why, for the page
        assert snapshot(report) == before
