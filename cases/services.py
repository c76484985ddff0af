"""Every write in cases: one service per transition, with the actor passed explicitly."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cases import permissions
from cases.constants import (
    LETTER_TEMPLATE_VERSION,
    LETTER_TEMPLATES,
    LOG_CORRECTION_MINUTES,
    CasePhase,
    DispatchMethod,
    InterventionStatus,
    PlanStatus,
    ProposalStatus,
    UvoStatus,
)
from cases.exceptions import OpenCaseExists, TransitionNotAllowed
from cases.models import (
    Agreement,
    BaseFile,
    BaseFileAnswer,
    Case,
    CatalogueEntry,
    Contact,
    DirectoryEntry,
    DomainScore,
    Evaluation,
    EvaluationGoalResult,
    EvaluationInterventionResult,
    Goal,
    Intervention,
    Letter,
    LogEntry,
    PartnerMeeting,
    PartnerRegistration,
    PlanVersion,
    Proposal,
    Subject,
    SubjectLink,
)
from intake import services as intake_services
from intake.models import FrameworkQuestion, FrameworkVersion, Report, ReportPerson
from ipgar.accounts.models import Organisation, User
from ipgar.lib.locking import lock_version_check
from ipgar.notifications.services import notification_create, notifications_close_for

AGREEMENT_NOTIFICATION = "uvo_afspraak"
UVO_INVITATION = "uvo_uitnodiging"
ADVICE_NOTIFICATION = "itatr_advies"
RETURNED_NOTIFICATION = "plan_terug"


def _save(obj, actor: User, *, at: datetime | None = None, **kwargs) -> None:
    """Save with the actor in the history; `at` dates the history row: a decision of a meeting,
    typed in later, is the meeting's moment in the phase history too."""
    obj._history_user = actor
    if at is not None:
        obj._history_date = at
    try:
        obj.save(**kwargs)
    finally:
        vars(obj).pop("_history_date", None)  # simple-history would reuse it on a next save


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _writable(case: Case) -> None:
    if case.is_closed:
        raise TransitionNotAllowed("Deze casus is afgesloten; het dossier is alleen-lezen.")


def _move(
    case: Case,
    target: str,
    *,
    actor: User,
    fields: Iterable[str] = (),
    at: datetime | None = None,
) -> Case:
    """Move the case to another phase; `at` dates the phase history row (see `_save`)."""
    if not case.can_transition_to(target):
        raise TransitionNotAllowed(
            f"Een casus in fase ‘{case.get_phase_display()}’ kan niet naar "
            f"‘{CasePhase(target).label}’."
        )
    case.phase = target
    _save(case, actor, at=at, update_fields=["phase", "updated_at", *fields])
    return case


# --- Opening and assignment -------------------------------------------------------------------


@transaction.atomic
def case_open_from_report(
    *,
    report: Report,
    actor: User,
    organisation: Organisation,
    regisseur: User,
    person: ReportPerson | None = None,
    decided_at: datetime | None = None,
    second_case_reason: str = "",
) -> Case:
    """The decision meeting admits: subject, case and base file, in one transaction.

    Safe under concurrent admissions: the report row is locked first (one case per report),
    the subject is found or made once per BSN and locked (one subject per person)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    existing = Case.objects.filter(report=report).first()
    if existing:
        return existing
    if regisseur.organisation_id != organisation.pk:
        raise TransitionNotAllowed("De regisseur hoort bij een andere organisatie.")
    person = person or report.persons.order_by("pk").first()
    if person is None:
        raise TransitionNotAllowed(
            "Een melding zonder bekende persoon kan niet tot een casus leiden."
        )
    decided_at = decided_at or timezone.now()
    intake_services.report_mark_admitted(report=report, actor=actor, decided_at=decided_at)

    subject = _subject_for(person, actor)
    # One open case per person (docs/een-open-casus.md): the subject row is locked above, so
    # two admissions of the same person at once see each other's case.
    open_case = subject.cases.exclude(phase=CasePhase.CLOSED).order_by("pk").first()
    if open_case is not None and not second_case_reason.strip():
        raise OpenCaseExists(open_case)

    assessment = getattr(report, "assessment", None)
    advice = getattr(report, "advice", None)
    case = Case(
        subject=subject,
        report=report,
        organisation=organisation,
        regisseur=regisseur,
        admitted_at=decided_at,
        second_case_reason=second_case_reason.strip() if open_case else "",
        risk_groups=(advice.proposed_risk_groups if advice else None)
        or (assessment.risk_groups if assessment else []),
        ideology=(advice.proposed_ideology if advice else "")
        or (assessment.ideology if assessment else ""),
    )
    _save(case, actor, at=decided_at)
    permissions.grant_regisseur(case, regisseur)

    base_file = BaseFile(
        case=case,
        framework_version=assessment.framework_version
        if assessment
        else FrameworkVersion.objects.get(is_current=True),
    )
    if assessment:
        base_file.risk_groups = assessment.risk_groups
        base_file.ideology = assessment.ideology
        base_file.violence_readiness = assessment.violence_readiness
        base_file.network = assessment.network
        base_file.summary = assessment.summary
        base_file.carried_over_incomplete = assessment.is_incomplete
    _save(base_file, actor)
    if assessment:
        for answer in assessment.answers.all():
            _save(
                BaseFileAnswer(
                    base_file=base_file, question_id=answer.question_id, value=answer.value
                ),
                actor,
            )
        for score in assessment.domain_scores.all():
            _save(
                DomainScore(
                    base_file=base_file, domain=score.domain, score=score.score, note=score.note
                ),
                actor,
            )
    case.base_file_assigned_at = decided_at  # the meeting appoints and hands over at once
    _move(case, CasePhase.BASE_FILE, actor=actor, fields=["base_file_assigned_at"], at=decided_at)
    return case


def _subject_for(person: ReportPerson, actor: User) -> Subject:
    """The subject with the person's BSN, locked; or a new one. Two admissions about the same
    BSN at once: the second INSERT waits for the first and fails on subject_bsn_once, and the
    second admission then finds (and waits for) the first one's subject."""
    if person.bsn:
        found = Subject.objects.select_for_update().filter(bsn=person.bsn).first()
        if found is not None:
            return found
    subject = Subject(
        first_name=person.first_name or "Onbekend",
        last_name=person.last_name,
        date_of_birth=person.date_of_birth,
        bsn=person.bsn,
        gender=person.gender,
        street=person.street,
        postcode=person.postcode,
        city=person.city,
    )
    subject.refresh_name_key()
    try:
        with transaction.atomic():
            _save(subject, actor)
    except IntegrityError:
        if not person.bsn:
            raise
        return Subject.objects.select_for_update().get(bsn=person.bsn)
    return subject


@transaction.atomic
def case_reassign(*, case: Case, actor: User, regisseur: User) -> Case:
    """The coordinator moves a case; access moves with it."""
    case = _locked(case)
    _writable(case)
    if regisseur.pk == case.regisseur_id:
        return case
    previous = case.regisseur
    permissions.revoke_regisseur(case, previous)
    case.regisseur = regisseur
    case.organisation = regisseur.organisation
    _save(case, actor, update_fields=["regisseur", "organisation", "updated_at"])
    permissions.grant_regisseur(case, regisseur)
    return case


# --- Subject, network and base file ------------------------------------------------------------


@transaction.atomic
def subject_update(
    *, case: Case, actor: User, lock_version: int | None = None, **fields
) -> Subject:
    """Correct the subject's identity, detention or stay abroad, from one of their cases.

    `lock_version` is the number the edit form was read at: EditConflict when someone else
    saved the subject since (None: no form, no check)."""
    _writable(case)
    subject = Subject.objects.select_for_update().get(pk=case.subject_id)
    lock_version_check(subject, lock_version)
    bsn = fields.get("bsn", subject.bsn)
    if bsn and Subject.objects.filter(bsn=bsn).exclude(pk=subject.pk).exists():
        raise TransitionNotAllowed("Dit BSN hoort al bij een andere persoon in de aanpak.")
    for name, value in fields.items():
        setattr(subject, name, value)
    subject.refresh_name_key()
    _save(subject, actor)
    return subject


@transaction.atomic
def subject_link_add(
    *, from_subject: Subject, to_subject: Subject, kind: str, actor: User, note: str = ""
) -> SubjectLink:
    if from_subject.pk == to_subject.pk:
        raise TransitionNotAllowed("Een persoon kan niet aan zichzelf worden gekoppeld.")
    link, created = SubjectLink.objects.get_or_create(
        from_subject=from_subject,
        to_subject=to_subject,
        kind=kind,
        defaults={"note": note, "created_by": actor},
    )
    return link


@transaction.atomic
def base_file_save(
    *,
    case: Case,
    actor: User,
    answers: Mapping[int, object],
    scores: Mapping[str, tuple[int, str]],
    risk_groups: list[int],
    ideology: str,
    violence_readiness: str,
    network: str,
    summary: str,
) -> BaseFile:
    case = _locked(case)
    _writable(case)
    base_file = BaseFile.objects.select_for_update().get(case=case)
    base_file.risk_groups = sorted(set(risk_groups))
    base_file.ideology = ideology
    base_file.violence_readiness = violence_readiness
    base_file.network = network
    base_file.summary = summary
    _save(base_file, actor)
    intake_services.framework_answers_sync(
        existing=base_file.answers.all(),
        values=answers,
        version_id=base_file.framework_version_id,
        new=lambda question_id: BaseFileAnswer(base_file=base_file, question_id=question_id),
        actor=actor,
    )
    intake_services.domain_scores_sync(
        existing=base_file.domain_scores.all(),
        scores=scores,
        new=lambda domain: DomainScore(base_file=base_file, domain=domain),
        actor=actor,
    )
    return base_file


@transaction.atomic
def base_file_start(*, case: Case, actor: User) -> BaseFile:
    """An empty base file on the current framework for a case that has none (cases loaded in
    bulk, from before the base file was carried over). Idempotent: an existing one is kept."""
    case = _locked(case)
    _writable(case)
    existing = BaseFile.objects.filter(case=case).first()
    if existing is not None:
        return existing
    base_file = BaseFile(case=case, framework_version=FrameworkVersion.objects.get(is_current=True))
    _save(base_file, actor)
    return base_file


@transaction.atomic
def base_file_upgrade(*, case: Case, actor: User) -> BaseFile:
    """Move the base file to the current framework version; answers to questions with the same
    text come along, the old version's answers stay in the history."""
    case = _locked(case)
    _writable(case)
    base_file = BaseFile.objects.select_for_update().get(case=case)
    current = FrameworkVersion.objects.get(is_current=True)
    if base_file.framework_version_id == current.pk:
        return base_file
    by_text = {a.question.text: a.value for a in base_file.answers.select_related("question")}
    for answer in base_file.answers.all():
        answer._history_user = actor
        answer.delete()
    base_file.framework_version = current
    _save(base_file, actor)
    for question in FrameworkQuestion.objects.filter(section__version=current):
        if question.text in by_text:
            _save(
                BaseFileAnswer(
                    base_file=base_file, question=question, value=by_text[question.text]
                ),
                actor,
            )
    return base_file


# --- The plan --------------------------------------------------------------------------------


def _concept(case: Case, actor: User) -> PlanVersion:
    """The plan version being worked on; the first change to a plan starts the concept."""
    concept = (
        PlanVersion.objects.select_for_update().filter(case=case, status=PlanStatus.CONCEPT).first()
    )
    if concept:
        return concept
    processing = (
        PlanVersion.objects.select_for_update()
        .filter(case=case, status=PlanStatus.ADVISED, final_at__isnull=True)
        .first()
    )
    if processing:  # the regisseur adjusts the plan to the ITAT-R's advice
        return processing
    if PlanVersion.objects.filter(
        case=case, status__in=[PlanStatus.SUBMITTED, PlanStatus.ADVISED]
    ).exists():
        raise TransitionNotAllowed(
            "Het plan ligt bij het ITAT-R of het Regieoverleg; wacht op "
            "het advies of besluit voordat u het wijzigt."
        )
    latest = PlanVersion.objects.filter(case=case).order_by("-number").first()
    concept = PlanVersion(
        case=case,
        number=(latest.number + 1) if latest else 1,
        scenario_short=latest.scenario_short if latest else "",
        scenario_long=latest.scenario_long if latest else "",
    )
    _save(concept, actor)
    if case.phase == CasePhase.BASE_FILE:
        _move(case, CasePhase.CONCEPT_PLAN, actor=actor)
    return concept


@transaction.atomic
def plan_update(
    *,
    case: Case,
    actor: User,
    scenario_short: str,
    scenario_long: str,
    lock_version: int | None = None,
) -> PlanVersion:
    """The scenarios of the concept plan. `lock_version` is the concept's number when the form
    was read (0: there was no concept yet): EditConflict when someone saved in between."""
    case = _locked(case)
    _writable(case)
    concept = _concept(case, actor)
    lock_version_check(concept, lock_version)
    concept.scenario_short, concept.scenario_long = scenario_short, scenario_long
    _save(concept, actor)
    return concept


@transaction.atomic
def goal_save(
    *,
    case: Case,
    actor: User,
    goal: Goal | None = None,
    life_domain: str,
    description: str,
    is_active: bool = True,
) -> Goal:
    case = _locked(case)
    _writable(case)
    _concept(case, actor)
    goal = goal or Goal(case=case)
    goal.life_domain, goal.description, goal.is_active = life_domain, description, is_active
    _save(goal, actor)
    return goal


@dataclass(frozen=True)
class InterventionData:
    catalogue_entry: CatalogueEntry
    rationale: str
    owner_organisation: Organisation
    goal: Goal | None = None
    aim: str = ""
    owner: User | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    status: str = "gepland"
    result: str = ""


@transaction.atomic
def intervention_save(
    *, case: Case, actor: User, data: InterventionData, intervention: Intervention | None = None
) -> Intervention:
    case = _locked(case)
    _writable(case)
    if not data.rationale.strip():
        raise TransitionNotAllowed("Onderbouw waarom deze interventie past.")
    if data.planned_start and data.planned_end and data.planned_end < data.planned_start:
        raise TransitionNotAllowed("Het einde ligt vóór de start.")
    if intervention is None and not data.catalogue_entry.is_active:
        raise TransitionNotAllowed(
            "Deze interventie is vervallen en kan niet nieuw worden ingezet."
        )
    if data.goal and data.goal.case_id != case.pk:
        raise TransitionNotAllowed("Het doel hoort bij een andere casus.")
    if case.phase in (CasePhase.BASE_FILE, CasePhase.CONCEPT_PLAN):
        _concept(case, actor)
    intervention = intervention or Intervention(case=case)
    for name, value in data.__dict__.items():
        setattr(intervention, name, value)
    ended = intervention.status in (InterventionStatus.COMPLETED, InterventionStatus.STOPPED)
    if ended and intervention.ended_on is None:
        intervention.ended_on = timezone.localdate()
    elif not ended:
        intervention.ended_on = None
    _save(intervention, actor)
    return intervention


def _snapshot(case: Case, version: PlanVersion) -> dict:
    goals = [
        {"id": g.pk, "domain": g.get_life_domain_display(), "description": g.description}
        for g in case.goals.filter(is_active=True).order_by("pk")
    ]
    interventions = [
        {
            "id": i.pk,
            "name": i.catalogue_entry.name,
            "rationale": i.rationale,
            "aim": i.aim,
            "owner": i.owner_organisation.name,
            "status": i.get_status_display(),
            "start": i.planned_start.isoformat() if i.planned_start else "",
            "end": i.planned_end.isoformat() if i.planned_end else "",
        }
        for i in case.interventions.select_related(
            "catalogue_entry", "owner_organisation"
        ).order_by("pk")
    ]
    return {
        "goals": goals,
        "interventions": interventions,
        "scenario_short": version.scenario_short,
        "scenario_long": version.scenario_long,
    }


@transaction.atomic
def plan_submit_for_advice(*, case: Case, actor: User) -> PlanVersion:
    """The regisseur signals the plan is ready for the ITAT-R."""
    case = _locked(case)
    _writable(case)
    concept = (
        PlanVersion.objects.select_for_update().filter(case=case, status=PlanStatus.CONCEPT).first()
    )
    if concept is None:
        raise TransitionNotAllowed("Er is geen concept plan om in te dienen.")
    if not case.goals.filter(is_active=True).exists():
        raise TransitionNotAllowed("Een plan van aanpak heeft ten minste één doel.")
    if not case.interventions.exists():
        raise TransitionNotAllowed("Een plan van aanpak heeft ten minste één interventie.")
    concept.snapshot = _snapshot(case, concept)
    concept.status = PlanStatus.SUBMITTED
    concept.submitted_at = timezone.now()
    concept.returned_reason = ""
    _save(concept, actor)
    notifications_close_for(obj=concept, kind=RETURNED_NOTIFICATION)
    if case.phase == CasePhase.CONCEPT_PLAN:
        _move(case, CasePhase.AT_ADVICE, actor=actor)
    return concept


@transaction.atomic
def plan_record_advice(
    *, plan: PlanVersion, actor: User, advice: str, decided_at: datetime | None = None
) -> PlanVersion:
    """The ITAT-R's advice, recorded from the minutes; `decided_at` is the meeting's start (the
    advice dates from the meeting, not from when its minutes were typed)."""
    plan = PlanVersion.objects.select_for_update().get(pk=plan.pk)
    if plan.status == PlanStatus.ADVISED:
        return plan
    _writable(_locked(plan.case))
    if not plan.can_transition_to(PlanStatus.ADVISED):
        raise TransitionNotAllowed(
            f"Een plan met status ‘{plan.get_status_display()}’ kan geen advies krijgen."
        )
    plan.status, plan.advice = PlanStatus.ADVISED, advice
    plan.advised_at = decided_at or timezone.now()
    plan.advice_responses, plan.advice_processed_at, plan.final_at = [], None, None
    _save(plan, actor, at=plan.advised_at)
    case = plan.case
    notification_create(
        recipient=case.regisseur,
        kind=ADVICE_NOTIFICATION,
        title=f"Advies ITAT-R verwerken: casus {case.reference}",
        body="Geef per adviespunt aan wat ermee is gedaan en maak het plan definitief.",
        link=reverse("cases:plan_advice", args=[case.pk]),
        obj=plan,
    )
    return plan


@transaction.atomic
def plan_process_advice(*, plan: PlanVersion, actor: User, responses: list[str]) -> PlanVersion:
    """The regisseur states, per point of the ITAT-R's advice, what was done with it. The
    plan itself (goals, interventions, scenarios) may be adjusted meanwhile."""
    plan = PlanVersion.objects.select_for_update().get(pk=plan.pk)
    _writable(_locked(plan.case))
    if not plan.awaits_processing:
        raise TransitionNotAllowed("Er is geen advies van het ITAT-R om te verwerken.")
    points = plan.advice_points or [plan.advice.strip() or "Advies"]
    answers = [r.strip() for r in responses]
    if len(answers) != len(points) or not all(answers):
        raise TransitionNotAllowed("Geef bij elk adviespunt aan wat ermee is gedaan.")
    plan.advice_responses = [
        {"point": point, "response": answer} for point, answer in zip(points, answers, strict=True)
    ]
    plan.advice_processed_at = timezone.now()
    _save(plan, actor)
    return plan


@transaction.atomic
def plan_mark_final(*, plan: PlanVersion, actor: User) -> PlanVersion:
    """'Definitief voor het PTO-R': from now the plan waits in the decision meeting's queue."""
    plan = PlanVersion.objects.select_for_update().get(pk=plan.pk)
    if plan.final_at is not None:
        return plan
    case = _locked(plan.case)
    _writable(case)
    if plan.status != PlanStatus.ADVISED:
        raise TransitionNotAllowed("Alleen een plan met advies van het ITAT-R wordt definitief.")
    if plan.advice_processed_at is None:
        raise TransitionNotAllowed(
            "Verwerk eerst het advies van het ITAT-R: geef per adviespunt aan wat ermee is gedaan."
        )
    plan.snapshot = _snapshot(case, plan)  # what the decision meeting adopts, adjustments in
    plan.final_at = timezone.now()
    _save(plan, actor)
    notifications_close_for(obj=plan, kind=ADVICE_NOTIFICATION)
    return plan


@transaction.atomic
def plan_adopt(
    *, plan: PlanVersion, actor: User, decided_at: datetime | None = None
) -> PlanVersion:
    """The decision meeting adopts the plan; an earlier adopted version becomes 'herzien'.
    `decided_at` is the meeting's start."""
    plan = PlanVersion.objects.select_for_update().get(pk=plan.pk)
    if plan.status == PlanStatus.ADOPTED:
        return plan
    _writable(_locked(plan.case))
    if not plan.can_transition_to(PlanStatus.ADOPTED):
        raise TransitionNotAllowed(
            f"Een plan met status ‘{plan.get_status_display()}’ kan niet worden vastgesteld."
        )
    decided_at = decided_at or timezone.now()
    for older in PlanVersion.objects.select_for_update().filter(
        case=plan.case, status=PlanStatus.ADOPTED
    ):
        older.status = PlanStatus.REVISED
        _save(older, actor, at=decided_at)
    plan.status, plan.adopted_at = PlanStatus.ADOPTED, decided_at
    _save(plan, actor, at=decided_at)
    # An adopted plan has no advice left to process: its page would send the regisseur back.
    notifications_close_for(obj=plan, kind=ADVICE_NOTIFICATION)
    case = _locked(plan.case)
    if case.phase == CasePhase.AT_ADVICE:
        _move(case, CasePhase.ADOPTED, actor=actor, at=decided_at)
    return plan


@transaction.atomic
def plan_accord(*, plan: PlanVersion, actor: User) -> PlanVersion:
    """The secretary accords the adopted plan in the file; execution starts."""
    plan = PlanVersion.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.ADOPTED:
        raise TransitionNotAllowed("Alleen een vastgesteld plan kan worden geaccordeerd.")
    if plan.accorded_by_id:
        return plan
    _writable(_locked(plan.case))
    plan.accorded_by = actor
    _save(plan, actor)
    case = _locked(plan.case)
    if case.phase == CasePhase.ADOPTED:
        _move(case, CasePhase.IN_EXECUTION, actor=actor)
    return plan


# --- Logbook -------------------------------------------------------------------------------


@transaction.atomic
def logbook_add(
    *,
    case: Case,
    actor: User,
    at: datetime,
    kind: str,
    text: str,
    participants: str = "",
    intervention: Intervention | None = None,
    corrects: LogEntry | None = None,
) -> LogEntry:
    case = Case.objects.get(pk=case.pk)
    _writable(case)
    if at > timezone.now() + timedelta(minutes=5):
        raise TransitionNotAllowed("Een logboekregel kan niet in de toekomst liggen.")
    if not text.strip():
        raise TransitionNotAllowed("Schrijf wat er is gebeurd.")
    if intervention and intervention.case_id != case.pk:
        raise TransitionNotAllowed("De interventie hoort bij een andere casus.")
    entry = LogEntry(
        case=case,
        at=at,
        kind=kind,
        text=text.strip(),
        participants=participants,
        intervention=intervention,
        author=actor,
        corrects=corrects,
    )
    _save(entry, actor)
    return entry


def log_entry_editable(entry: LogEntry, user: User, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return entry.author_id == user.pk and now - entry.created_at <= timedelta(
        minutes=LOG_CORRECTION_MINUTES
    )


@transaction.atomic
def logbook_correct(
    *, entry: LogEntry, actor: User, text: str, kind: str, at: datetime
) -> LogEntry:
    """Within the window its author corrects the entry itself (history keeps the old text);
    afterwards a correction is a new entry that points at the old one."""
    entry = LogEntry.objects.select_for_update().select_related("case").get(pk=entry.pk)
    _writable(entry.case)
    if not log_entry_editable(entry, actor):
        return logbook_add(
            case=entry.case,
            actor=actor,
            at=timezone.now(),
            kind=kind,
            text=text,
            intervention=entry.intervention,
            corrects=entry,
        )
    if at > timezone.now() + timedelta(minutes=5):
        raise TransitionNotAllowed("Een logboekregel kan niet in de toekomst liggen.")
    entry.text, entry.kind, entry.at = text.strip(), kind, at
    _save(entry, actor)
    return entry


# --- Contacts, partner meetings, evaluations, proposals ----------------------------------------


@transaction.atomic
def contact_save(*, case: Case, actor: User, contact: Contact | None = None, **fields) -> Contact:
    _writable(case)
    contact = contact or Contact(case=case)
    for name, value in fields.items():
        setattr(contact, name, value)
    _save(contact, actor)
    return contact


@dataclass(frozen=True)
class AgreementData:
    what: str
    due_on: date
    owner: User | None = None
    owner_name: str = ""


@transaction.atomic
def partner_meeting_record(
    *,
    case: Case,
    actor: User,
    held_on: date,
    participants: str,
    notes: str,
    agreements: Iterable[AgreementData],
) -> PartnerMeeting:
    case = _locked(case)
    _writable(case)
    if held_on > timezone.localdate():
        raise TransitionNotAllowed("Een UVO wordt vastgelegd nadat het is gehouden.")
    meeting = PartnerMeeting(
        case=case, held_on=held_on, participants=participants, notes=notes, recorded_by=actor
    )
    _save(meeting, actor)
    _agreements_add(meeting, case, actor, agreements)
    return meeting


def _agreements_add(meeting: PartnerMeeting, case: Case, actor: User, agreements) -> None:
    for item in agreements:
        if not (item.owner or item.owner_name):
            raise TransitionNotAllowed(f"Wie voert de afspraak ‘{item.what}’ uit?")
        agreement = Agreement(
            meeting=meeting,
            what=item.what,
            due_on=item.due_on,
            owner=item.owner,
            owner_name=item.owner_name or (str(item.owner) if item.owner else ""),
        )
        _save(agreement, actor)
        if agreement.owner:
            _notify_agreement(agreement, case)


def uvo_invitees(
    meeting: PartnerMeeting, entries: Iterable[DirectoryEntry], users: Iterable[User]
) -> list[User]:
    """Who gets the invitation on Mijn werk: the invited users and the directory entries with
    an account, once each."""
    people = {user.pk: user for user in users}
    for entry in entries:
        if entry.user_id and entry.user.is_active:
            people.setdefault(entry.user_id, entry.user)
    return list(people.values())


@transaction.atomic
def partner_meeting_plan(
    *,
    case: Case,
    actor: User,
    starts_at: datetime,
    location: str,
    invitees: Iterable[DirectoryEntry] = (),
    users: Iterable[User] = (),
) -> PartnerMeeting:
    """Plan a UVO: date, place and invitees (partners of the case's interventions, people from
    the directory); each invitee with an account sees it on Mijn werk, with an .ics."""
    case = _locked(case)
    _writable(case)
    if starts_at <= timezone.now():
        raise TransitionNotAllowed("Een UVO wordt in de toekomst gepland, niet in het verleden.")
    entries, accounts = list(invitees), list(users)
    if not entries and not accounts:
        raise TransitionNotAllowed("Nodig ten minste één partner uit.")
    names = [str(e) for e in entries] + [
        f"{u.get_full_name()} ({u.organisation.name})" for u in accounts if u.organisation_id
    ]
    meeting = PartnerMeeting(
        case=case,
        status=UvoStatus.PLANNED,
        held_on=timezone.localdate(starts_at),
        starts_at=starts_at,
        location=location.strip(),
        participants="; ".join(names),
        recorded_by=actor,
    )
    _save(meeting, actor)
    meeting.invitees.set(entries)
    meeting.invited_users.set(accounts)
    when = timezone.localtime(starts_at)
    for person in uvo_invitees(meeting, entries, accounts):
        notification_create(
            recipient=person,
            kind=UVO_INVITATION,
            title=f"Uitnodiging UVO {when:%d-%m-%Y %H:%M}",
            body=f"Uitvoerdersoverleg casus {case.reference}"
            + (f", {meeting.location}" if meeting.location else "")
            + f". Regisseur: {case.regisseur.get_full_name()}.",
            link=reverse("cases:partner_meeting_ics", args=[case.pk, meeting.pk]),
            obj=meeting,
            due_date=when.date(),
        )
    return meeting


def _planned(meeting: PartnerMeeting) -> tuple[PartnerMeeting, Case]:
    case = _locked(meeting.case)
    _writable(case)
    meeting = PartnerMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != UvoStatus.PLANNED:
        raise TransitionNotAllowed(f"Dit UVO is al {meeting.get_status_display().lower()}.")
    return meeting, case


@transaction.atomic
def partner_meeting_hold(
    *,
    meeting: PartnerMeeting,
    actor: User,
    participants: str,
    notes: str,
    agreements: Iterable[AgreementData],
) -> PartnerMeeting:
    """The planned UVO took place: who was there, the notes and every agreement."""
    meeting, case = _planned(meeting)
    if meeting.held_on > timezone.localdate():
        raise TransitionNotAllowed("Een UVO wordt als gehouden vastgelegd op of na de dag zelf.")
    meeting.status = UvoStatus.HELD
    meeting.participants = participants.strip() or meeting.participants
    meeting.notes = notes
    _save(meeting, actor)
    _agreements_add(meeting, case, actor, agreements)
    notifications_close_for(obj=meeting, kind=UVO_INVITATION)
    return meeting


@transaction.atomic
def partner_meeting_cancel(*, meeting: PartnerMeeting, actor: User, reason: str) -> PartnerMeeting:
    meeting, case = _planned(meeting)
    if not reason.strip():
        raise TransitionNotAllowed("Geef de reden waarom het UVO niet doorgaat.")
    meeting.status, meeting.cancel_reason = UvoStatus.CANCELLED, reason.strip()
    _save(meeting, actor)
    notifications_close_for(obj=meeting, kind=UVO_INVITATION)
    return meeting


@transaction.atomic
def directory_entry_save(*, actor: User, entry: DirectoryEntry) -> DirectoryEntry:
    _save(entry, actor)
    return entry


def _notify_agreement(agreement: Agreement, case: Case) -> None:
    """Open agreements appear on the owner's 'Mijn werk'; the link opens only for the
    regisseur (other owners see the task, not the file)."""
    link = (
        reverse("cases:case_detail", args=[case.pk]) + "#uvo"
        if agreement.owner_id == case.regisseur_id
        else ""
    )
    notification_create(
        recipient=agreement.owner,
        kind=AGREEMENT_NOTIFICATION,
        title="Afspraak uit een uitvoerdersoverleg",
        body=agreement.what,
        link=link,
        obj=agreement,
        due_date=agreement.due_on,
    )


@transaction.atomic
def agreement_mark_done(*, agreement: Agreement, actor: User) -> Agreement:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.done_on is None:
        agreement.done_on = timezone.localdate()
        _save(agreement, actor)
        notifications_close_for(obj=agreement, kind=AGREEMENT_NOTIFICATION)
    return agreement


@transaction.atomic
def evaluation_record(
    *,
    case: Case,
    actor: User,
    held_on: date,
    summary: str,
    conclusion: str,
    goal_results: Mapping[int, tuple[str, str]],
    intervention_results: Mapping[int, str],
    scores: Mapping[str, tuple[int, str]],
) -> Evaluation:
    case = _locked(case)
    if case.is_closed:
        raise TransitionNotAllowed("Een afgesloten casus wordt niet meer geëvalueerd.")
    if held_on > timezone.localdate():
        raise TransitionNotAllowed("Een evaluatie kan niet in de toekomst liggen.")
    evaluation = Evaluation(
        case=case, held_on=held_on, summary=summary, conclusion=conclusion, recorded_by=actor
    )
    _save(evaluation, actor)
    goals = set(case.goals.values_list("pk", flat=True))
    for goal_id, (result, note) in goal_results.items():
        if goal_id in goals:
            _save(
                EvaluationGoalResult(
                    evaluation=evaluation, goal_id=goal_id, result=result, note=note
                ),
                actor,
            )
    interventions = set(case.interventions.values_list("pk", flat=True))
    for intervention_id, result in intervention_results.items():
        if intervention_id in interventions and result.strip():
            _save(
                EvaluationInterventionResult(
                    evaluation=evaluation, intervention_id=intervention_id, result=result
                ),
                actor,
            )
    for domain, (score, note) in scores.items():
        _save(DomainScore(evaluation=evaluation, domain=domain, score=score, note=note), actor)
    return evaluation


@transaction.atomic
def proposal_submit(
    *,
    case: Case,
    actor: User,
    kind: str,
    goals_met: str,
    reasoning: str,
    handover_organisation: Organisation | None,
) -> Proposal:
    case = _locked(case)
    _writable(case)
    if case.proposals.filter(status=ProposalStatus.SUBMITTED).exists():
        raise TransitionNotAllowed("Er ligt al een voorstel voor deze casus.")
    if case.phase not in (CasePhase.IN_EXECUTION, CasePhase.PHASING_DOWN, CasePhase.ADOPTED):
        raise TransitionNotAllowed(
            "Een afbouw- of afsluitvoorstel volgt op een vastgesteld plan in uitvoering."
        )
    proposal = Proposal(
        case=case,
        kind=kind,
        goals_met=goals_met,
        reasoning=reasoning,
        handover_organisation=handover_organisation,
        created_by=actor,
    )
    _save(proposal, actor)
    return proposal


# --- Decisions of the decision meeting (called from the minutes) -------------------------------


@transaction.atomic
def case_phase_down(
    *,
    case: Case,
    actor: User,
    proposal: Proposal | None = None,
    decided_at: datetime | None = None,
) -> Case:
    """`decided_at` is the decision meeting's start: the phase-down dates from the meeting."""
    case = _locked(case)
    if case.phase == CasePhase.PHASING_DOWN:
        return case
    decided_at = decided_at or timezone.now()
    case.phase_down_at = decided_at
    _move(case, CasePhase.PHASING_DOWN, actor=actor, fields=["phase_down_at"], at=decided_at)
    if proposal:
        proposal.status, proposal.decided_at = ProposalStatus.ADOPTED, decided_at
        _save(proposal, actor, at=decided_at)
    return case


@transaction.atomic
def case_set_dormant(
    *,
    case: Case,
    actor: User,
    reason: str,
    dormant: bool = True,
    decided_at: datetime | None = None,
) -> Case:
    """Only the decision meeting declares a case 'statisch' (and lifts it), from the meeting's
    day (`decided_at`, its start)."""
    case = _locked(case)
    _writable(case)
    if dormant and not reason.strip():
        raise TransitionNotAllowed("Een casus statisch verklaren vraagt om een reden.")
    case.is_dormant = dormant
    case.dormant_reason = reason.strip() if dormant else ""
    day = timezone.localdate(decided_at) if decided_at else timezone.localdate()
    case.dormant_since = day if dormant else None
    _save(
        case,
        actor,
        at=decided_at,
        update_fields=["is_dormant", "dormant_reason", "dormant_since", "updated_at"],
    )
    return case


@transaction.atomic
def case_close(
    *,
    case: Case,
    actor: User,
    reason: str,
    handover_organisation: Organisation | None = None,
    proposal: Proposal | None = None,
    decided_at: datetime | None = None,
) -> Case:
    """`decided_at` is the decision meeting's start: a closure decided on 24 December and typed
    on 7 January is December's outflow."""
    case = _locked(case)
    if case.is_closed:
        return case
    decided_at = decided_at or timezone.now()
    case.closed_at = decided_at
    case.closure_reason = reason
    case.handover_organisation = handover_organisation
    _move(
        case,
        CasePhase.CLOSED,
        actor=actor,
        fields=["closed_at", "closure_reason", "handover_organisation"],
        at=decided_at,
    )
    _interventions_end(case, decided_at, actor)
    if proposal:
        proposal.status, proposal.decided_at = ProposalStatus.ADOPTED, decided_at
        _save(proposal, actor, at=decided_at)
    return case


def _interventions_end(case: Case, closed_at: datetime, actor: User) -> None:
    """A closed case delivers nothing more: its running interventions end on the closing day
    with that as their result, and planned ones are stopped before they start."""
    day = timezone.localdate(closed_at)
    note = f"Beëindigd bij de afsluiting van de casus op {day:%d-%m-%Y}."
    for intervention in Intervention.objects.select_for_update().filter(
        case=case, status__in=[InterventionStatus.RUNNING, InterventionStatus.PLANNED]
    ):
        if intervention.status == InterventionStatus.RUNNING:
            intervention.status = InterventionStatus.COMPLETED
            starts = intervention.planned_start
            if (starts is None or starts <= day) and (
                intervention.planned_end is None or intervention.planned_end > day
            ):
                intervention.planned_end = day
        else:
            intervention.status = InterventionStatus.STOPPED
        intervention.result = f"{intervention.result}\n{note}".strip()
        _save(intervention, actor, at=closed_at)


@transaction.atomic
def partner_registration_record(
    *, user: User, actor: User, signed_on: date, signed_by: str, scope: str
) -> PartnerRegistration:
    registration = PartnerRegistration.objects.filter(user=user).first() or PartnerRegistration(
        user=user
    )
    registration.signed_on, registration.signed_by = signed_on, signed_by
    registration.scope, registration.recorded_by = scope, actor
    _save(registration, actor)
    return registration


@transaction.atomic
def catalogue_entry_save(*, actor: User, entry: CatalogueEntry) -> CatalogueEntry:
    _save(entry, actor)
    return entry


@transaction.atomic
def plan_return_to_concept(
    *, plan: PlanVersion, actor: User, reason: str = "", decided_at: datetime | None = None
) -> PlanVersion:
    """The meeting sends the plan back to the regisseur: it becomes the concept again, with
    the meeting's reason for the regisseur. `decided_at` is the meeting's start: the plan's
    and the case's phase history date the step from the meeting, whenever it is typed."""
    plan = PlanVersion.objects.select_for_update().get(pk=plan.pk)
    case = _locked(plan.case)
    _writable(case)
    if plan.status == PlanStatus.CONCEPT:
        return plan
    if not plan.can_transition_to(PlanStatus.CONCEPT):
        raise TransitionNotAllowed(
            f"Een plan met status ‘{plan.get_status_display()}’ kan niet terug naar concept."
        )
    if PlanVersion.objects.filter(case=plan.case, status=PlanStatus.CONCEPT).exists():
        raise TransitionNotAllowed("Er is al een nieuwer concept voor deze casus.")
    plan.status, plan.returned_reason, plan.final_at = PlanStatus.CONCEPT, reason.strip(), None
    _save(plan, actor, at=decided_at)
    notifications_close_for(obj=plan, kind=ADVICE_NOTIFICATION)
    if reason.strip():
        notification_create(
            recipient=case.regisseur,
            kind=RETURNED_NOTIFICATION,
            title=f"Plan terug naar concept: casus {case.reference}",
            body=reason.strip(),
            link=reverse("cases:case_detail", args=[case.pk]) + "#plan",
            obj=plan,
        )
    if case.phase == CasePhase.AT_ADVICE:
        _move(case, CasePhase.CONCEPT_PLAN, actor=actor, at=decided_at)  # back with the regisseur
    return plan


@transaction.atomic
def proposal_reject(
    *, proposal: Proposal, actor: User, decided_at: datetime | None = None
) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise TransitionNotAllowed("Dit voorstel is al afgehandeld.")
    proposal.status = ProposalStatus.REJECTED
    proposal.decided_at = decided_at or timezone.now()
    _save(proposal, actor, at=proposal.decided_at)
    return proposal


def case_grant_agenda_readers(*, case: Case, users: Iterable[User]) -> None:
    """Members of an advisory meeting read the cases on its agenda (DOMAIN.md section 5)."""
    for user in users:
        permissions.grant_reader(case, user)


def case_revoke_agenda_readers(*, case: Case, users: Iterable[User]) -> None:
    for user in users:
        if user.pk != case.regisseur_id:
            permissions.revoke_reader(case, user)


# --- Notification letters --------------------------------------------------------------------


@transaction.atomic
def letters_generate(*, case: Case, actor: User) -> list[Letter]:
    """Make the PDF letter for every required recipient who has none yet; idempotent."""
    from cases import letters

    case = _locked(case)
    _writable(case)
    status = letters.letter_status(case)
    for recipient in status.missing:  # every address is checked before any file is written
        if not recipient.address.strip():
            raise TransitionNotAllowed(
                f"Het adres van {recipient.name} ontbreekt; vul het eerst aan."
            )
    made: list[Letter] = []
    try:
        for recipient in status.missing:
            made.append(_letter_make(case, recipient, actor, number=len(made) + 1))
    except Exception:
        # Storage is not transactional: remove the files whose rows roll back with us.
        for letter in made:
            letter.file.delete(save=False)
        raise
    return made


def _letter_make(case: Case, recipient, actor: User, *, number: int) -> Letter:
    from django.core.files.base import ContentFile

    from cases import letters
    from ipgar.lib.pdf import render_pdf

    rendered = render_pdf(
        LETTER_TEMPLATES[LETTER_TEMPLATE_VERSION], {"letter": letters.present(case, recipient)}
    )
    letter = Letter(
        case=case,
        template_version=LETTER_TEMPLATE_VERSION,
        recipient_kind=recipient.kind,
        recipient_name=recipient.name,
        address=recipient.address,
        attention_of=recipient.attention_of,
        created_by=actor,
    )
    letter.file.save(
        f"{case.reference}-{recipient.kind}-{number}.pdf",
        ContentFile(rendered.content),
        save=False,
    )
    _save(letter, actor)
    return letter


@transaction.atomic
def letter_dispatch_register(
    *, letter: Letter, actor: User, method: str, dispatched_on: date
) -> Letter:
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if method not in DispatchMethod.values:
        raise TransitionNotAllowed("Kies hoe de brief is verzonden of overhandigd.")
    if dispatched_on > timezone.localdate():
        raise TransitionNotAllowed("Een verzending kan niet in de toekomst liggen.")
    if dispatched_on < timezone.localdate(letter.created_at):
        raise TransitionNotAllowed("Een brief wordt verzonden nadat hij is gemaakt.")
    letter.method, letter.dispatched_on, letter.dispatched_by = method, dispatched_on, actor
    _save(letter, actor)
    return letter
