"""Reports in every state for `seed_demo`. All persons are fictional (Faker nl_NL)."""

import uuid
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from faker import Faker

from intake import services
from intake.constants import (
    AdviceKind,
    Channel,
    CheckResult,
    Ideology,
    LifeDomain,
    NotAdmittedReason,
    OtherApproach,
    QuestionKind,
    ReporterKind,
    TriageOutcome,
    Urgency,
    ViolenceReadiness,
)
from intake.models import FrameworkQuestion, FrameworkVersion, Report
from intake.services import PersonData
from ipgar.accounts.models import Organisation, User

NAMESPACE = uuid.UUID("6f1b7d2e-4c1a-4f0e-9d5b-2a7c3e8f9a10")

OBSERVATIONS = [
    "Leerling deelt in de klassenapp filmpjes met extremistische teksten en zegt dat "
    "ongelovigen het verdienen.",
    "Moeder maakt zich zorgen: zoon heeft zich teruggetrokken, praat over uitreizen en heeft "
    "contact met onbekenden via Telegram.",
    "Jongerenwerker hoort dat jongere een groepje leidt dat flyers met anti-overheidsteksten "
    "verspreidt en oproept tot verzet tegen 'het regime'.",
    "Wijkagent ziet hakenkruizen en teksten van een rechts-extremistische groep op de "
    "slaapkamermuur bij een huisbezoek.",
    "Docent meldt dat student dreigende berichten post over een bio-industriebedrijf en "
    "zegt dat 'sabotage gerechtvaardigd' is.",
    "Anonieme beller zegt dat een buurman wapens verzamelt en over een aanslag praat.",
]


def _at(today: date, days_ago: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(hour)))


def _person(
    fake: Faker,
    *,
    born_years_ago: int,
    today: date,
    relation: str = "hoofdpersoon",
    first: str | None = None,
    last: str | None = None,
) -> PersonData:
    return PersonData(
        first_name=first or fake.first_name(),
        last_name=last or fake.last_name(),
        date_of_birth=today.replace(year=today.year - born_years_ago) - timedelta(days=37),
        bsn=_bsn(fake),
        gender=fake.random_element(["m", "v"]),
        street=fake.street_address(),
        postcode=fake.postcode().replace("  ", " "),
        city="Amsterdam",
        relation=relation,
    )


def _bsn(fake: Faker) -> str:
    """A number that passes the eleven-test; generated, belongs to nobody we know of."""
    while True:
        digits = [fake.random_int(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10 and digits[0] != 0:
            return "".join(map(str, digits)) + str(last)


def _backdate(report: Report, actor: User, **stamps: datetime) -> None:
    """Demo history: spread milestones over past weeks so lead times show."""
    for name, value in stamps.items():
        setattr(report, name, value)
    report._history_user = actor
    report.save(update_fields=list(stamps))


def fill_assessment(report: Report, actor: User, *, complete: bool, ideology: str) -> None:
    version = FrameworkVersion.objects.get(is_current=True)
    answers = {}
    for question in FrameworkQuestion.objects.filter(section__version=version):
        if not complete and question.pk % 2:
            continue
        answers[question.pk] = {
            QuestionKind.TEXT: "Zie informatiebeeld; bevestigd door twee bronnen.",
            QuestionKind.CHOICE: question.choices[0] if question.choices else "",
            QuestionKind.MULTIPLE: question.choices[:2],
            QuestionKind.SCALE: 3,
        }[question.kind]
    domains = LifeDomain.values if complete else LifeDomain.values[:6]
    services.assessment_save(
        report=report,
        actor=actor,
        answers=answers,
        scores={d: (2 + (i % 3), "") for i, d in enumerate(domains)},
        risk_groups=[4] if ideology != Ideology.JIHADIST else [3, 4],
        ideology=ideology,
        violence_readiness=ViolenceReadiness.LOW,
        network="Contacten met een online netwerk; twee vrienden uit de wijk.",
        summary="Signalen uit school en familie bevestigd door politie-informatie.",
    )


def ready_report(
    fake: Faker,
    today: date,
    users: dict[str, User],
    *,
    key: str,
    days_ago: int,
    person: PersonData,
    ideology: str = Ideology.JIHADIST,
    best: str = "OOV",
) -> tuple[Report, bool]:
    """A report taken through triage, assessment and advice to 'ready for decision'."""
    desk, board = users["intake"], users["voorportaal"]
    report, created = services.report_register(
        actor=desk,
        desk="intake",
        submission_key=uuid.uuid5(NAMESPACE, key),
        persons=[person],
        received_at=_at(today, days_ago),
        channel=Channel.PHONE,
        urgency=Urgency.NORMAL,
        reporter_kind=ReporterKind.PROFESSIONAL,
        reporter_anonymous=False,
        reporter_name=fake.name(),
        reporter_organisation="Jeugdzorg (fictief)",
        reporter_phone="020-5551234",
        reporter_email="",
        observation=OBSERVATIONS[days_ago % len(OBSERVATIONS)],
    )
    if not created:
        return report, False
    services.report_triage(
        report=report,
        actor=desk,
        outcome=TriageOutcome.FORWARD,
        reasoning="Zorgen over radicalisering.",
    )
    fill_assessment(report, board, complete=True, ideology=ideology)
    services.report_advise(
        report=report,
        actor=board,
        kind=AdviceKind.ADMIT,
        reasoning="Opname biedt perspectief op interventies.",
        proposed_risk_groups=[4],
        proposed_ideology=ideology,
        best_cards=Organisation.objects.get(code=best),
    )
    services.report_mark_ready_for_decision(report=report, actor=board)
    _backdate(
        report,
        desk,
        triaged_at=_at(today, days_ago - 3),
        forwarded_at=_at(today, days_ago - 3),
        assessed_at=_at(today, days_ago - 20),
        advised_at=_at(today, days_ago - 20),
        ready_at=_at(today, days_ago - 25),
    )
    return report, True


def person(fake: Faker, today: date, *, born_years_ago: int, **names) -> PersonData:
    return _person(fake, born_years_ago=born_years_ago, today=today, **names)


def seed_reports(fake: Faker, today: date, users: dict[str, User]) -> int:
    """Create the demo reports once; returns how many were new."""
    desk, police, board = users["intake"], users["politie"], users["voorportaal"]
    orgs = {o.code: o for o in Organisation.objects.all()}
    created_count = 0

    def register(key: str, actor: User, days_ago: int, persons: list[PersonData], **extra):
        nonlocal created_count
        fields = {
            "received_at": _at(today, days_ago),
            "channel": Channel.PHONE,
            "urgency": Urgency.NORMAL,
            "reporter_kind": ReporterKind.TEACHER,
            "reporter_anonymous": False,
            "reporter_name": fake.name(),
            "reporter_organisation": "ROC Amsterdam (fictief)",
            "reporter_phone": "020-5550" + str(fake.random_int(100, 999)),
            "reporter_email": "",
            "observation": OBSERVATIONS[days_ago % len(OBSERVATIONS)],
        }
        fields.update(extra)
        report, created = services.report_register(
            actor=actor,
            desk=actor.groups.first().name,
            submission_key=uuid.uuid5(NAMESPACE, key),
            persons=persons,
            **fields,
        )
        created_count += created
        return report, created

    def forward(report: Report, days_ago: int) -> None:
        services.report_triage(
            report=report,
            actor=desk,
            outcome=TriageOutcome.FORWARD,
            reasoning="Zorgen over radicalisering; duiding door het Voorportaal nodig.",
        )
        _backdate(report, desk, triaged_at=_at(today, days_ago), forwarded_at=_at(today, days_ago))

    def advise(report: Report, kind: str, days_ago: int, best: str = "OOV") -> None:
        services.report_advise(
            report=report,
            actor=board,
            kind=kind,
            reasoning="Meerdere signalen, ideologische component en beschermende factoren "
            "in de familie; opname biedt perspectief op interventies.",
            proposed_risk_groups=[4],
            proposed_ideology=report.assessment.ideology,
            best_cards=orgs[best] if kind == AdviceKind.ADMIT else None,
        )
        _backdate(report, board, assessed_at=_at(today, days_ago), advised_at=_at(today, days_ago))

    # Earlier report, ready for decision: cases.demo admits it (the decision meeting's work),
    # and the known-person check should find its person under another spelling.
    report, new = register(
        "admitted-el-amrani",
        desk,
        160,
        [
            _person(fake, born_years_ago=17, today=today, first="Mohammed", last="el Amrani"),
        ],
        urgency=Urgency.URGENT,
    )
    if new:
        forward(report, 158)
        fill_assessment(report, board, complete=True, ideology=Ideology.JIHADIST)
        advise(report, AdviceKind.ADMIT, 140)
        services.report_mark_ready_for_decision(report=report, actor=board)

    # A new report about the same person, spelled differently: the check must find it.
    report, new = register(
        "forwarded-el-amrani-variant",
        police,
        6,
        [
            _person(fake, born_years_ago=17, today=today, first="Mohamed", last="El  Amrani"),
        ],
        reporter_kind=ReporterKind.POLICE,
        reporter_organisation="Politie Eenheid Amsterdam",
    )
    if new:
        services.report_triage(
            report=report,
            actor=police,
            outcome=TriageOutcome.FORWARD,
            reasoning="Signaal wijkagent, past bij eerder beeld.",
        )

    # Registered, waiting for triage (one urgent).
    register("registered-1", desk, 2, [_person(fake, born_years_ago=16, today=today)])
    register(
        "registered-urgent",
        desk,
        1,
        [_person(fake, born_years_ago=22, today=today)],
        urgency=Urgency.URGENT,
        channel=Channel.AIVD,
        reporter_kind=ReporterKind.AIVD,
        reporter_organisation="AIVD",
        reporter_name="Ambtsbericht",
    )

    # Closed by the desk and handed over to regular care.
    report, new = register(
        "closed",
        desk,
        40,
        [],
        reporter_anonymous=True,
        reporter_kind=ReporterKind.ANONYMOUS,
        reporter_name="",
        reporter_phone="",
        reporter_organisation="",
        channel=Channel.WEB_FORM,
    )
    if new:
        services.report_triage(
            report=report,
            actor=desk,
            outcome=TriageOutcome.ANONYMOUS_INSUFFICIENT,
            reasoning="Anoniem, geen naam of adres; niet te duiden.",
        )
    report, new = register(
        "handed-over",
        desk,
        30,
        [_person(fake, born_years_ago=15, today=today)],
        reporter_kind=ReporterKind.FAMILY,
    )
    if new:
        services.report_triage(
            report=report,
            actor=desk,
            outcome=TriageOutcome.REGULAR_CARE,
            reasoning="Zorgen over thuissituatie, geen radicalisering.",
            handed_over_to=orgs["OJZ"],
        )

    # In assessment, incomplete, with an overdue information request.
    report, new = register(
        "in-assessment",
        desk,
        25,
        [
            _person(fake, born_years_ago=19, today=today),
            _person(fake, born_years_ago=45, today=today, relation="moeder"),
        ],
        reporter_kind=ReporterKind.FAMILY,
    )
    if new:
        forward(report, 23)
        fill_assessment(report, board, complete=False, ideology=Ideology.RIGHT_WING)
        services.information_request_create(
            report=report,
            actor=board,
            organisation=orgs["RN"],
            question="Is betrokkene bekend bij de reclassering, en zo ja met welk toezicht?",
            asked_on=today - timedelta(days=20),
            due_on=today - timedelta(days=10),
        )
        services.information_request_create(
            report=report,
            actor=board,
            organisation=orgs["LPL"],
            question="Hoe is het schoolverzuim het afgelopen jaar?",
        )
        services.approach_check_record(
            report=report, actor=board, approach=OtherApproach.TOP600, result=CheckResult.NOT_KNOWN
        )

    # Advised, and ready for the decision meeting.
    report, new = register(
        "advised",
        desk,
        50,
        [_person(fake, born_years_ago=24, today=today)],
        reporter_kind=ReporterKind.PROFESSIONAL,
    )
    if new:
        forward(report, 48)
        fill_assessment(report, board, complete=True, ideology=Ideology.ANTI_GOVERNMENT)
        advise(report, AdviceKind.ADMIT, 20, best="WPI")
    report, new = register(
        "ready",
        desk,
        70,
        [_person(fake, born_years_ago=18, today=today)],
        reporter_kind=ReporterKind.DISTRICT,
    )
    if new:
        forward(report, 66)
        fill_assessment(report, board, complete=True, ideology=Ideology.JIHADIST)
        advise(report, AdviceKind.ADMIT, 30, best="SCW")
        services.report_mark_ready_for_decision(report=report, actor=board)

    # Decided: not admitted, with a preventive conversation.
    report, new = register(
        "not-admitted", desk, 110, [_person(fake, born_years_ago=29, today=today)]
    )
    if new:
        forward(report, 105)
        fill_assessment(report, board, complete=True, ideology=Ideology.SINGLE_ISSUE)
        advise(report, AdviceKind.PREVENTIVE, 80)
        services.report_mark_ready_for_decision(report=report, actor=board)
        services.report_mark_not_admitted(
            report=report,
            actor=board,
            reason=NotAdmittedReason.PREVENTIVE,
            decided_at=_at(today, 70),
        )
    return created_count
