"""Reports built through the intake services, so grants, history and milestones are real.

    ReportFactory()                                registered at the MAP desk, one person
    ReportFactory(forwarded=True)                  triaged and forwarded to the Voorportaal
    ReportFactory(advised=True, urgency="urgent")  assessed in full and advised (admit)
    ReportFactory(desk=Desk.POLICE, persons=[PersonDataFactory(first_name="Mo")])
    ReportFactory(stage=status)                    any state, for tables over every status

A report is never built without the services: `ReportFactory.build()` refuses.
"""

import itertools
import uuid
from datetime import date, timedelta

import factory
from django.utils import timezone

from intake import services
from intake.constants import (
    AdviceKind,
    Channel,
    Desk,
    Ideology,
    LifeDomain,
    NotAdmittedReason,
    QuestionKind,
    ReporterKind,
    ReportStatus,
    RiskGroup,
    TriageOutcome,
    Urgency,
    ViolenceReadiness,
)
from intake.models import FrameworkQuestion, FrameworkVersion, InformationRequest, Report
from intake.services import PersonData
from ipgar.accounts.constants import Role
from ipgar.accounts.models import Organisation, User
from tests.factories import OrganisationFactory, UserFactory

# --- People ---------------------------------------------------------------------------------

_bsn_numbers = itertools.count(10_000_000)


def valid_bsn() -> str:
    """A fresh nine-digit number that passes the eleven-test."""
    while True:
        head = f"{next(_bsn_numbers):08d}"
        check = sum(int(d) * w for d, w in zip(head, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return f"{head}{check}"


def desk_user(desk: str = Desk.MAP, **fields) -> User:
    return UserFactory(roles=[desk], **fields)


def board_user(**fields) -> User:
    return UserFactory(roles=[Role.ASSESSMENT_BOARD], **fields)


class PersonDataFactory(factory.Factory):
    """What the registration form hands to report_register for one person."""

    class Meta:
        model = PersonData

    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = factory.Faker(
        "date_between", start_date=date(1990, 1, 1), end_date=date(2008, 12, 31)
    )
    bsn = factory.LazyFunction(valid_bsn)
    gender = ""
    street = factory.Faker("street_address", locale="nl_NL")
    postcode = "1012 AB"
    city = "Amsterdam"
    relation = "hoofdpersoon"


# --- The assessment framework -----------------------------------------------------------------


def current_framework() -> FrameworkVersion:
    return FrameworkVersion.objects.get(is_current=True)


def answer_for(question: FrameworkQuestion) -> object:
    """A valid answer of the question's kind, as the assessment form would hand it over."""
    if question.kind == QuestionKind.CHOICE:
        return question.choices[0]
    if question.kind == QuestionKind.MULTIPLE:
        return question.choices[:2]
    if question.kind == QuestionKind.SCALE:
        return 3
    return f"Antwoord op: {question.text}"


def complete_assessment(version: FrameworkVersion | None = None) -> dict:
    """Keyword arguments for services.assessment_save that leave nothing missing."""
    version = version or current_framework()
    questions = FrameworkQuestion.objects.filter(section__version=version)
    return {
        "answers": {q.pk: answer_for(q) for q in questions},
        "scores": {domain: (3, "Beperkt zelfredzaam.") for domain in LifeDomain.values},
        "risk_groups": [RiskGroup.RADICALISING],
        "ideology": Ideology.RIGHT_WING,
        "violence_readiness": ViolenceReadiness.LOW,
        "network": "Online netwerk, geen fysieke contacten bekend.",
        "summary": "Uitingen op sociale media; school maakt zich zorgen.",
    }


def partial_assessment() -> dict:
    """A first save that leaves the framework incomplete (no ideology, answers or scores)."""
    return {
        "answers": {},
        "scores": {},
        "risk_groups": [RiskGroup.RADICALISING],
        "ideology": "",
        "violence_readiness": "",
        "network": "",
        "summary": "Eerste indruk.",
    }


# --- Moving a report along its lifecycle ------------------------------------------------------

# The path each state is reached by, in workflow order.
LIFECYCLE = [
    ReportStatus.REGISTERED,
    ReportStatus.FORWARDED,
    ReportStatus.IN_ASSESSMENT,
    ReportStatus.ADVISED,
    ReportStatus.READY_FOR_DECISION,
]
AFTER_DECISION = {ReportStatus.ADMITTED, ReportStatus.NOT_ADMITTED}
CLOSED_AT_TRIAGE = {
    ReportStatus.CLOSED_BY_DESK: TriageOutcome.NO_CONCERN,
    ReportStatus.HANDED_OVER: TriageOutcome.REGULAR_CARE,
}


def advance(
    report: Report,
    stage: str,
    *,
    desk_actor: User | None = None,
    board_actor: User | None = None,
    decision_actor: User | None = None,
    complete: bool = True,
) -> Report:
    """Move a registered report to `stage` through the services, as the users would."""
    if stage == ReportStatus.REGISTERED:
        return report
    desk_actor = desk_actor or report.registered_by
    if stage in CLOSED_AT_TRIAGE:
        outcome = CLOSED_AT_TRIAGE[stage]
        return services.report_triage(
            report=report,
            actor=desk_actor,
            outcome=outcome,
            reasoning="Geen zorg over radicalisering; wel zorg over thuissituatie.",
            handed_over_to=OrganisationFactory(code="GGD-T", name="GGD (test)")
            if outcome == TriageOutcome.REGULAR_CARE
            else None,
        )
    report = services.report_triage(
        report=report,
        actor=desk_actor,
        outcome=TriageOutcome.FORWARD,
        reasoning="Signalen van mogelijke radicalisering; doorzetten naar het Voorportaal.",
    )
    if stage == ReportStatus.FORWARDED:
        return report
    board_actor = board_actor or board_user()
    services.assessment_save(
        report=report,
        actor=board_actor,
        **(complete_assessment() if complete else partial_assessment()),
    )
    if stage == ReportStatus.IN_ASSESSMENT:
        return Report.objects.get(pk=report.pk)
    services.report_advise(
        report=report,
        actor=board_actor,
        kind=AdviceKind.ADMIT,
        reasoning="Zorgen op meerdere leefgebieden; opnemen in de aanpak.",
        proposed_risk_groups=[RiskGroup.RADICALISING],
        proposed_ideology=Ideology.RIGHT_WING,
        best_cards=OrganisationFactory(code="OOV-T", name="OOV (test)"),
    )
    if stage == ReportStatus.ADVISED:
        return Report.objects.get(pk=report.pk)
    report = services.report_mark_ready_for_decision(report=report, actor=board_actor)
    if stage == ReportStatus.READY_FOR_DECISION:
        return report
    decision_actor = decision_actor or UserFactory(roles=[Role.SECRETARY])
    if stage == ReportStatus.ADMITTED:
        return services.report_mark_admitted(
            report=report, actor=decision_actor, note="Besluit Regieoverleg: opnemen."
        )
    if stage == ReportStatus.NOT_ADMITTED:
        return services.report_mark_not_admitted(
            report=report,
            actor=decision_actor,
            reason=NotAdmittedReason.NO_GROUNDS,
            note="Besluit Regieoverleg: niet opnemen.",
        )
    raise ValueError(f"Onbekende fase: {stage}")


class ReportFactory(factory.Factory):
    """A report registered through report_register and moved on through the services."""

    class Meta:
        model = Report

    class Params:
        closed_by_desk = factory.Trait(stage=ReportStatus.CLOSED_BY_DESK)
        handed_over = factory.Trait(stage=ReportStatus.HANDED_OVER)
        forwarded = factory.Trait(stage=ReportStatus.FORWARDED)
        in_assessment = factory.Trait(stage=ReportStatus.IN_ASSESSMENT)
        advised = factory.Trait(stage=ReportStatus.ADVISED)
        ready_for_decision = factory.Trait(stage=ReportStatus.READY_FOR_DECISION)
        admitted = factory.Trait(stage=ReportStatus.ADMITTED)
        not_admitted = factory.Trait(stage=ReportStatus.NOT_ADMITTED)
        urgent = factory.Trait(urgency=Urgency.URGENT)

    stage = ReportStatus.REGISTERED
    complete = True  # False: the first assessment save leaves the framework incomplete
    desk = Desk.MAP
    registered_by = factory.LazyAttribute(lambda o: desk_user(o.desk))
    board_actor = None  # a new Voorportaal member when the stage needs one
    decision_actor = None  # a new secretary when the stage needs one
    persons = factory.LazyFunction(lambda: [PersonDataFactory()])
    submission_key = factory.LazyFunction(uuid.uuid4)
    received_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
    channel = Channel.PHONE
    urgency = Urgency.NORMAL
    reporter_kind = ReporterKind.TEACHER
    reporter_anonymous = False
    reporter_name = factory.Faker("name", locale="nl_NL")
    reporter_organisation = "Montessori Lyceum Amsterdam"
    reporter_phone = "020 555 0101"
    reporter_email = ""
    observation = "Leerling deelt extremistische beelden in de klassenapp."

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError("Een melding bestaat alleen via report_register: gebruik create().")

    @classmethod
    def _create(
        cls,
        model_class,
        *,
        stage,
        complete,
        desk,
        registered_by,
        board_actor,
        decision_actor,
        persons,
        submission_key,
        **fields,
    ):
        report, _ = services.report_register(
            actor=registered_by,
            desk=desk,
            submission_key=submission_key,
            persons=persons,
            **fields,
        )
        report = advance(
            report,
            stage,
            desk_actor=registered_by,
            board_actor=board_actor,
            decision_actor=decision_actor,
            complete=complete,
        )
        return Report.objects.get(pk=report.pk)


def request_information(
    report: Report,
    *,
    actor: User | None = None,
    organisation: Organisation | None = None,
    question: str = "Is de persoon bij u bekend?",
    **fields,
) -> InformationRequest:
    """An information request to a partner, made through the service (report must be assessable)."""
    return services.information_request_create(
        report=report,
        actor=actor or board_user(),
        organisation=organisation or OrganisationFactory(code="GGZ-T", name="GGZ (test)"),
        question=question,
        **fields,
    )
