"""Every write in intake: one service per transition, with the actor passed explicitly."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from intake import permissions
from intake.constants import (
    TRIAGE_TARGET,
    AdviceKind,
    CheckResult,
    NotAdmittedReason,
    ReportStatus,
    TriageOutcome,
)
from intake.exceptions import IncompleteAssessment, TransitionNotAllowed
from intake.models import (
    Advice,
    ApproachCheck,
    Assessment,
    AssessmentAnswer,
    FrameworkQuestion,
    FrameworkSection,
    FrameworkVersion,
    InformationRequest,
    LifeDomainScore,
    PersonCheck,
    Report,
    ReportPerson,
)
from ipgar.accounts.models import Organisation, User


@dataclass(frozen=True)
class PersonData:
    first_name: str = ""
    last_name: str = ""
    date_of_birth: date | None = None
    bsn: str = ""
    gender: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    relation: str = ""


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _move(
    report: Report,
    target: str,
    *,
    actor: User,
    fields: Iterable[str] = (),
    at: datetime | None = None,
) -> Report:
    """Move the report; `at` dates the history row of the move (a meeting's decision typed in
    later is the meeting's, in the status history too)."""
    if not report.can_transition_to(target):
        raise TransitionNotAllowed(
            f"Een melding met status ‘{report.get_status_display()}’ kan niet naar "
            f"‘{ReportStatus(target).label}’."
        )
    report.status = target
    report._history_user = actor
    if at is not None:
        report._history_date = at
    try:
        report.save(update_fields=["status", "updated_at", *fields])
    finally:
        vars(report).pop("_history_date", None)  # simple-history would reuse it on a next save
    return report


# --- Registration and triage ---------------------------------------------------------------


@transaction.atomic
def report_register(
    *,
    actor: User,
    desk: str,
    submission_key,
    persons: Iterable[PersonData],
    **fields,
) -> tuple[Report, bool]:
    """Register a report with its persons; a repeated submission returns the first report."""
    existing = Report.objects.filter(submission_key=submission_key).first()
    if existing:
        return existing, False
    report = Report(desk=desk, submission_key=submission_key, registered_by=actor, **fields)
    report._history_user = actor
    try:
        # Two submissions of the same form at the same moment both pass the check above; the
        # unique key makes the second INSERT wait for the first and fail, and the second
        # gets the first report back, as a repeated submission does.
        with transaction.atomic():
            report.save()
    except IntegrityError:
        existing = Report.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing, False
    for data in persons:
        person = ReportPerson(report=report, **data.__dict__)
        person.refresh_name_key()
        person._history_user = actor
        person.save()
    permissions.grant_desk(report)
    return report, True


@transaction.atomic
def report_update_registration(
    *, report: Report, actor: User, persons: Mapping[int | None, PersonData | None], **fields
) -> Report:
    """Correct a registration before triage. `persons` maps a person id (None: new) to its
    data, or to None to remove it."""
    report = _locked(report)
    if report.status != ReportStatus.REGISTERED:
        raise TransitionNotAllowed(
            "Een melding kan alleen vóór de eerste beoordeling worden aangepast."
        )
    for name, value in fields.items():
        setattr(report, name, value)
    report._history_user = actor
    report.save()
    for pk, data in persons.items():
        person = ReportPerson(report=report) if pk is None else report.persons.get(pk=pk)
        person._history_user = actor
        if data is None:
            person.delete()
            continue
        for name, value in data.__dict__.items():
            setattr(person, name, value)
        person.refresh_name_key()
        person.save()
    return report


@transaction.atomic
def report_triage(
    *,
    report: Report,
    actor: User,
    outcome: str,
    reasoning: str,
    handed_over_to: Organisation | None = None,
) -> Report:
    report = _locked(report)
    if not reasoning.strip():
        raise TransitionNotAllowed("Een eerste beoordeling vraagt om een onderbouwing.")
    if outcome == TriageOutcome.REGULAR_CARE and handed_over_to is None:
        raise TransitionNotAllowed("Kies de organisatie die de zorg overneemt.")
    target = TRIAGE_TARGET[outcome]
    now = timezone.now()
    report.triage_outcome = outcome
    report.triage_reasoning = reasoning.strip()
    report.triaged_by = actor
    report.triaged_at = now
    report.handed_over_to = handed_over_to if outcome == TriageOutcome.REGULAR_CARE else None
    extra = ["triage_outcome", "triage_reasoning", "triaged_by", "triaged_at", "handed_over_to"]
    if outcome == TriageOutcome.FORWARD:
        report.forwarded_at = now
        extra.append("forwarded_at")
    _move(report, target, actor=actor, fields=extra)
    if outcome == TriageOutcome.FORWARD:
        permissions.grant_board(report)
    return report


# --- Assessment -----------------------------------------------------------------------------


@transaction.atomic
def assessment_save(
    *,
    report: Report,
    actor: User,
    answers: Mapping[int, object],
    scores: Mapping[str, tuple[int, str]],
    risk_groups: list[int],
    ideology: str,
    violence_readiness: str,
    network: str,
    summary: str,
) -> Assessment:
    """Save the framework as far as it is filled; the first save starts the assessment."""
    report = _locked(report)
    assessment = Assessment.objects.filter(report=report).first()
    if assessment is None:
        if report.status != ReportStatus.FORWARDED:
            raise TransitionNotAllowed("Alleen een doorgezette melding kan worden geduid.")
        version = FrameworkVersion.objects.get(is_current=True)
        assessment = Assessment(report=report, framework_version=version, started_by=actor)
        _move(report, ReportStatus.IN_ASSESSMENT, actor=actor)
    elif report.status not in permissions.ASSESSABLE:
        raise TransitionNotAllowed(
            f"De duiding kan niet meer worden gewijzigd: de melding is "
            f"‘{report.get_status_display()}’."
        )
    assessment.risk_groups = sorted(set(risk_groups))
    assessment.ideology = ideology
    assessment.violence_readiness = violence_readiness
    assessment.network = network
    assessment.summary = summary
    assessment._history_user = actor
    assessment.save()

    framework_answers_sync(
        existing=assessment.answers.all(),
        values=answers,
        version_id=assessment.framework_version_id,
        new=lambda question_id: AssessmentAnswer(assessment=assessment, question_id=question_id),
        actor=actor,
    )
    domain_scores_sync(
        existing=assessment.domain_scores.all(),
        scores=scores,
        new=lambda domain: LifeDomainScore(assessment=assessment, domain=domain),
        actor=actor,
    )
    return assessment


def framework_answers_sync(
    *, existing, values: Mapping[int, object], version_id: int, new, actor: User
) -> None:
    """Store the answers that changed; a question of another framework version is ignored.

    Shared by the assessment here and the base file in cases: `existing` are the stored
    answer rows, `new(question_id)` makes an unsaved one."""
    valid = set(
        FrameworkQuestion.objects.filter(section__version_id=version_id).values_list(
            "pk", flat=True
        )
    )
    stored = {row.question_id: row for row in existing}
    for question_id, value in values.items():
        if question_id not in valid:
            continue
        row = stored.get(question_id)
        if row is None and value is None:
            continue
        row = row or new(question_id)
        if row.pk and row.value == value:
            continue
        row.value = value
        row._history_user = actor
        row.save()


def domain_scores_sync(
    *, existing, scores: Mapping[str, tuple[int, str] | None], new, actor: User
) -> None:
    """Store the life-domain scores (ZRM 1 to 5, with a note) that changed; None removes one."""
    stored = {row.domain: row for row in existing}
    for domain, value in scores.items():
        if value is None:
            if domain in stored:
                stored[domain]._history_user = actor
                stored[domain].delete()
            continue
        score, note = value
        row = stored.get(domain) or new(domain)
        if row.pk and (row.score, row.note) == (score, note):
            continue
        row.score, row.note = score, note
        row._history_user = actor
        row.save()


def assessment_missing(assessment: Assessment | None) -> list[str]:
    """What a complete assessment still lacks, in the users' words."""
    if assessment is None:
        return ["Het beoordelingskader is nog niet ingevuld."]
    missing = []
    if not assessment.risk_groups:
        missing.append("Kies ten minste één risicogroep.")
    if not assessment.ideology:
        missing.append("Kies de ideologie.")
    if not assessment.violence_readiness:
        missing.append("Geef de geweldsbereidheid aan.")
    answered = {a.question_id for a in assessment.answers.all() if a.value not in (None, "", [])}
    required = FrameworkQuestion.objects.filter(
        section__version_id=assessment.framework_version_id, required=True
    ).exclude(pk__in=answered)
    missing.extend(f"Beantwoord: {q.text}" for q in required)
    if assessment.domain_scores.count() < 13:
        missing.append("Scoor alle 13 leefgebieden.")
    return missing


# --- Information requests and checks -------------------------------------------------------


@transaction.atomic
def information_request_create(
    *,
    report: Report,
    actor: User,
    organisation: Organisation,
    question: str,
    contact: str = "",
    asked_on: date | None = None,
    due_on: date | None = None,
) -> InformationRequest:
    report = _locked(report)
    if report.status not in permissions.ASSESSABLE:
        raise TransitionNotAllowed("Informatie opvragen kan alleen tijdens de duiding.")
    asked_on = asked_on or timezone.localdate()
    request = InformationRequest(
        report=report,
        organisation=organisation,
        contact=contact,
        question=question,
        asked_on=asked_on,
        due_on=due_on or InformationRequest.default_due(asked_on),
        requested_by=actor,
    )
    request._history_user = actor
    request.save()
    return request


@transaction.atomic
def information_request_answer(
    *, request: InformationRequest, actor: User, answer: str, answered_on: date | None = None
) -> InformationRequest:
    request = InformationRequest.objects.select_for_update().get(pk=request.pk)
    if not answer.strip():
        raise TransitionNotAllowed("Vul het antwoord in.")
    request.answer = answer.strip()
    request.answered_on = answered_on or timezone.localdate()
    request._history_user = actor
    request.save(update_fields=["answer", "answered_on"])
    return request


@transaction.atomic
def person_check_record(
    *,
    report: Report,
    actor: User,
    result: str,
    matched_report: Report | None = None,
    note: str = "",
) -> PersonCheck:
    """Record the known-person check's outcome on the report. A match names the earlier report
    (one the check found); "not known" names none."""
    if result == CheckResult.KNOWN and matched_report is None:
        raise TransitionNotAllowed("Kies de melding waarin dezelfde persoon voorkomt.")
    if result != CheckResult.KNOWN:
        matched_report = None
    if matched_report is not None and matched_report.pk == report.pk:
        raise TransitionNotAllowed("Een melding kan niet over zichzelf gaan.")
    check = PersonCheck(
        report=report, result=result, matched_report=matched_report, note=note, checked_by=actor
    )
    check._history_user = actor
    check.save()
    return check


def approach_check_record(
    *,
    report: Report,
    actor: User,
    approach: str,
    result: str,
    approach_name: str = "",
    note: str = "",
) -> ApproachCheck:
    check = ApproachCheck(
        report=report,
        approach=approach,
        approach_name=approach_name,
        result=result,
        note=note,
        checked_by=actor,
    )
    check._history_user = actor
    check.save()
    return check


# --- Advice and the way to the decision meeting --------------------------------------------


@transaction.atomic
def report_advise(
    *,
    report: Report,
    actor: User,
    kind: str,
    reasoning: str,
    proposed_risk_groups: list[int],
    proposed_ideology: str,
    best_cards: Organisation | None,
) -> Advice:
    report = _locked(report)
    assessment = Assessment.objects.filter(report=report).first()
    if assessment is None:
        raise IncompleteAssessment("Een advies vraagt eerst om een duiding.")
    missing = assessment_missing(assessment)
    if missing and not report.is_urgent:
        raise IncompleteAssessment("De duiding is nog niet volledig: " + " ".join(missing))
    if kind == AdviceKind.ADMIT and best_cards is None:
        raise TransitionNotAllowed(
            "Bij een advies tot opname hoort de organisatie met de beste kaarten."
        )
    now = timezone.now()
    if report.status == ReportStatus.IN_ASSESSMENT:
        assessment.completed_at = now
        assessment.is_incomplete = bool(missing)
        assessment._history_user = actor
        assessment.save(update_fields=["completed_at", "is_incomplete", "updated_at"])
        report.assessed_at = report.assessed_at or now
        report.advised_at = now
        _move(report, ReportStatus.ADVISED, actor=actor, fields=["assessed_at", "advised_at"])
    elif report.status != ReportStatus.ADVISED:
        raise TransitionNotAllowed(
            f"Een melding met status ‘{report.get_status_display()}’ kan geen advies krijgen."
        )
    advice = Advice.objects.filter(report=report).first() or Advice(report=report)
    advice.kind = kind
    advice.reasoning = reasoning.strip()
    advice.proposed_risk_groups = sorted(set(proposed_risk_groups))
    advice.proposed_ideology = proposed_ideology
    advice.best_cards = best_cards
    advice.advised_by = actor
    advice._history_user = actor
    advice.save()
    return advice


@transaction.atomic
def report_reopen_assessment(
    *, report: Report, actor: User, decided_at: datetime | None = None
) -> Report:
    """Back to assessment: the advice needs more work, or the meeting asked for more.
    `decided_at` is the decision meeting's start when its minutes send the report back: the
    report's status history dates the step from the meeting, whenever it is typed."""
    report = _locked(report)
    if report.status not in (ReportStatus.ADVISED, ReportStatus.READY_FOR_DECISION):
        # FORWARDED -> IN_ASSESSMENT is the start of the assessment (assessment_save), not a
        # reopening: taking it here would leave a report in assessment without an assessment.
        raise TransitionNotAllowed(
            f"Alleen een geadviseerde melding kan terug naar de duiding; deze is "
            f"‘{report.get_status_display()}’."
        )
    return _move(report, ReportStatus.IN_ASSESSMENT, actor=actor, at=decided_at)


@transaction.atomic
def report_mark_ready_for_decision(*, report: Report, actor: User) -> Report:
    """The board asks for a place on the decision meeting (meetings picks it up)."""
    report = _locked(report)
    if report.status == ReportStatus.READY_FOR_DECISION:
        return report
    if not hasattr(report, "advice"):
        raise TransitionNotAllowed("Een melding gaat pas met een advies naar het Regieoverleg.")
    gaps = report.decision_gaps
    if gaps:  # 'klaar voor besluit' means the meeting can decide as advised
        raise TransitionNotAllowed("Nog niet klaar voor besluit: " + " ".join(gaps))
    missing = assessment_missing(getattr(report, "assessment", None))
    if missing and not report.is_urgent:
        raise IncompleteAssessment(
            "De duiding is na het advies onvolledig geworden: " + " ".join(missing)
        )
    report.ready_at = timezone.now()
    return _move(report, ReportStatus.READY_FOR_DECISION, actor=actor, fields=["ready_at"])


@transaction.atomic
def report_mark_admitted(
    *, report: Report, actor: User, decided_at: datetime | None = None, note: str = ""
) -> Report:
    """Called by the decision meeting's minutes; the cases app opens the case."""
    report = _locked(report)
    if report.status == ReportStatus.ADMITTED:
        return report
    report.decided_at = decided_at or timezone.now()
    report.decision_note = note
    return _move(
        report,
        ReportStatus.ADMITTED,
        actor=actor,
        fields=["decided_at", "decision_note"],
        at=report.decided_at,
    )


@transaction.atomic
def report_mark_not_admitted(
    *,
    report: Report,
    actor: User,
    reason: str,
    note: str = "",
    decided_at: datetime | None = None,
) -> Report:
    report = _locked(report)
    if report.status == ReportStatus.NOT_ADMITTED:
        return report
    if reason not in NotAdmittedReason.values:
        raise TransitionNotAllowed("Kies de reden waarom de persoon niet wordt opgenomen.")
    report.decided_at = decided_at or timezone.now()
    report.not_admitted_reason = reason
    report.decision_note = note
    return _move(
        report,
        ReportStatus.NOT_ADMITTED,
        actor=actor,
        fields=["decided_at", "not_admitted_reason", "decision_note"],
        at=report.decided_at,
    )


# --- Maintaining the assessment framework (functional administrator) -----------------------


@transaction.atomic
def framework_version_copy(
    *, source: FrameworkVersion, actor: User, version: str, name: str
) -> FrameworkVersion:
    """A new draft version with the source's sections and questions; answers stay on theirs."""
    if FrameworkVersion.objects.filter(version=version).exists():
        raise TransitionNotAllowed(f"Versie {version} bestaat al.")
    copy = FrameworkVersion(
        version=version,
        name=name,
        description=source.description,
        ideologies=list(source.ideologies),
        is_current=False,
    )
    copy._history_user = actor
    copy.save()
    for section in source.sections.prefetch_related("questions"):
        new_section = FrameworkSection(version=copy, order=section.order, title=section.title)
        new_section._history_user = actor
        new_section.save()
        for question in section.questions.all():
            new_question = FrameworkQuestion(
                section=new_section,
                order=question.order,
                text=question.text,
                help_text=question.help_text,
                kind=question.kind,
                choices=list(question.choices),
                required=question.required,
            )
            new_question._history_user = actor
            new_question.save()
    return copy


@transaction.atomic
def framework_version_activate(*, version: FrameworkVersion, actor: User) -> FrameworkVersion:
    """New assessments use this version; running ones keep the version they started in."""
    if not FrameworkQuestion.objects.filter(section__version=version).exists():
        raise TransitionNotAllowed("Een versie zonder vragen kan niet in gebruik worden genomen.")
    for current in FrameworkVersion.objects.select_for_update().filter(is_current=True):
        if current.pk == version.pk:
            return current
        current.is_current = False
        current._history_user = actor
        current.save(update_fields=["is_current"])
    version.is_current = True
    version._history_user = actor
    version.save(update_fields=["is_current"])
    return version


def framework_in_use(version: FrameworkVersion) -> bool:
    return version.assessments.exists()


@transaction.atomic
def framework_question_save(*, question: FrameworkQuestion, actor: User) -> FrameworkQuestion:
    version = question.section.version
    if framework_in_use(version):
        raise TransitionNotAllowed(
            "Deze versie is al gebruikt in duidingen; maak een nieuwe versie om vragen te wijzigen."
        )
    question._history_user = actor
    question.save()
    return question
