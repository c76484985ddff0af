"""Two years of fictional history for `seed_demo`, so every figure of the monitor has content.

The rest of the demo walks a few cases through the services, which stamp "now"; the monitor
needs reports and cases spread over two years with every milestone in the past. These rows are
written in bulk with their history rows (simple-history's bulk_create_with_history), from a
seeded random generator, and only once: a fixed submission key marks the set.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases.constants import (
    CasePhase,
    ClosureReason,
    EvaluationConclusion,
    GoalResult,
    InterventionStatus,
    LetterRecipientKind,
    LogKind,
    PlanStatus,
)
from cases.models import (
    Case,
    CaseUserObjectPermission,
    CatalogueEntry,
    DomainScore,
    Evaluation,
    EvaluationGoalResult,
    Goal,
    Intervention,
    Letter,
    LogEntry,
    PartnerMeeting,
    PlanVersion,
    Subject,
)
from cases.permissions import REGISSEUR_PERMS
from intake.constants import (
    AdviceKind,
    Channel,
    Desk,
    Gender,
    Ideology,
    LifeDomain,
    NotAdmittedReason,
    ReporterKind,
    ReportStatus,
    TriageOutcome,
)
from intake.models import Advice, Report, ReportPerson
from ipgar.accounts.constants import Role
from ipgar.accounts.models import Organisation, User

REPORTS = 640
NAMESPACE = uuid.UUID("8b0c5a52-6f7e-4a58-9d43-2f3f0c9a1e01")
# The regisseur pool behind the history: (username, organisation code, fte).
POOL = [
    ("regisseur-oov-2", "OOV", "1.0"),
    ("regisseur-oov-3", "OOV", "0.8"),
    ("regisseur-oov-4", "OOV", "1.0"),
    ("regisseur-rn-2", "RN", "1.0"),
    ("regisseur-rn-3", "RN", "0.6"),
    ("regisseur-jbra-1", "JBRA", "1.0"),
    ("regisseur-jbra-2", "JBRA", "0.8"),
    ("regisseur-ggz-1", "GGZ", "0.8"),
    ("regisseur-scw-1", "SCW", "1.0"),
    ("regisseur-wpi-1", "WPI", "0.6"),
]
CITIES = [("Amsterdam", 70), ("Amstelveen", 10), ("Diemen", 6), ("Ouder-Amstel", 5),
          ("Aalsmeer", 5), ("Uithoorn", 4)]  # fmt: skip
REPORTER_KINDS = [(ReporterKind.TEACHER, 22), (ReporterKind.PROFESSIONAL, 20),
                  (ReporterKind.FAMILY, 14), (ReporterKind.POLICE, 18), (ReporterKind.AIVD, 6),
                  (ReporterKind.DISTRICT, 8), (ReporterKind.ATTENTION_OFFICER, 6),
                  (ReporterKind.ANONYMOUS, 4), (ReporterKind.OTHER, 2)]  # fmt: skip
CHANNELS = [(Channel.PHONE, 35), (Channel.EMAIL, 35), (Channel.WEB_FORM, 15),
            (Channel.IN_PERSON, 10), (Channel.AIVD, 5)]  # fmt: skip
IDEOLOGIES = [(Ideology.JIHADIST, 45), (Ideology.RIGHT_WING, 25), (Ideology.ANTI_GOVERNMENT, 12),
              (Ideology.LEFT_WING, 5), (Ideology.SINGLE_ISSUE, 3), (Ideology.PROBLEM_BEHAVIOUR, 10)]  # fmt: skip  # noqa: E501
DOMAINS = [LifeDomain.TIME_USE, LifeDomain.SOCIAL_NETWORK, LifeDomain.MENTAL_HEALTH,
           LifeDomain.WORK_EDUCATION]  # fmt: skip


def _pick(rng: random.Random, weighted: list[tuple[object, int]]):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _moment(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17), rng.choice((0, 30)))))


def _pool(fake) -> list[User]:
    group = Group.objects.get(name=Role.REGISSEUR)
    organisations = {o.code: o for o in Organisation.objects.all()}
    pool = []
    for username, code, fte in POOL:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": fake.first_name(),
                "last_name": fake.last_name(),
                "email": f"{username}@demo.ipgar.invalid",
                "organisation": organisations[code],
                "fte": Decimal(fte),
                "job_title": Role.REGISSEUR.label,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(group)
        pool.append(user)
    return pool


def seed_history(fake, today: date, users: dict[str, User]) -> int:
    """REPORTS reports over the two years before today, with their cases. Returns how many
    reports it created (0 when the history is there already)."""
    if Report.objects.filter(submission_key=uuid.uuid5(NAMESPACE, "0")).exists():
        return 0
    rng = random.Random(2026)  # noqa: S311 (demo data, not security)
    pool = _pool(fake) + [users["regisseur"], users["regisseur2"]]
    intake, board = users["intake"], users["voorportaal"]
    catalogue = list(CatalogueEntry.objects.select_related("provider"))
    handover_to = list(Organisation.objects.filter(code__in=["GGD", "GGZ", "SCW", "WPI", "OJZ"]))
    start = today - timedelta(days=730)

    reports, advices, plans = [], [], []
    for i in range(REPORTS):
        received = start + timedelta(days=int(rng.random() ** 0.9 * 725))
        day = lambda base, low, high: base + timedelta(days=rng.randint(low, high))  # noqa: E731
        report = Report(
            submission_key=uuid.uuid5(NAMESPACE, str(i)),
            desk=Desk.MAP if rng.random() < 0.8 else Desk.POLICE,
            channel=_pick(rng, CHANNELS),
            reporter_kind=_pick(rng, REPORTER_KINDS),
            reporter_anonymous=False,
            observation="Historische melding (demo): zorgelijke uitspraken en gedrag.",
            registered_by=intake,
            received_at=_moment(received, rng),
        )
        triaged = day(received, 1, 8)
        outcome = rng.random()
        plan = {"report": report}
        if triaged < today:
            report.triaged_at = _moment(triaged, rng)
            report.triaged_by = intake
            if outcome < 0.22:
                report.status = ReportStatus.CLOSED_BY_DESK
                report.triage_outcome = rng.choice(
                    [TriageOutcome.ADVICE_GIVEN, TriageOutcome.NO_CONCERN]
                )
            elif outcome < 0.32:
                report.status = ReportStatus.HANDED_OVER
                report.triage_outcome = TriageOutcome.REGULAR_CARE
                report.handed_over_to = rng.choice(handover_to)
            else:
                report.status = ReportStatus.FORWARDED
                report.triage_outcome = TriageOutcome.FORWARD
                report.forwarded_at = _moment(day(triaged, 0, 3), rng)
                assessed = day(triaged, 10, 50)
                if assessed < today:
                    report.status = ReportStatus.ADVISED
                    report.assessed_at = _moment(assessed, rng)
                    report.advised_at = _moment(assessed, rng)
                    kind = _pick(
                        rng,
                        [
                            (AdviceKind.ADMIT, 68),
                            (AdviceKind.NOT_ADMIT, 17),
                            (AdviceKind.PREVENTIVE, 15),
                        ],  # fmt: skip
                    )
                    advices.append((report, kind))
                    decided = day(assessed, 5, 40)
                    if decided < today:
                        report.ready_at = _moment(assessed, rng)
                        report.decided_at = _moment(decided, rng)
                        if kind == AdviceKind.ADMIT:
                            report.status = ReportStatus.ADMITTED
                            plan["decided"] = decided
                        else:
                            report.status = ReportStatus.NOT_ADMITTED
                            report.not_admitted_reason = (
                                NotAdmittedReason.PREVENTIVE
                                if kind == AdviceKind.PREVENTIVE
                                else NotAdmittedReason.NO_GROUNDS
                            )
                    else:
                        report.status = ReportStatus.READY_FOR_DECISION
                        report.ready_at = _moment(assessed, rng)
                else:
                    report.status = ReportStatus.IN_ASSESSMENT
        reports.append(report)
        plans.append(plan)
    bulk_create_with_history(reports, Report, batch_size=500)
    saved = {
        r.submission_key: r
        for r in Report.objects.filter(submission_key__in=[r.submission_key for r in reports])
    }
    # The reports still waiting for the decision meeting must be decidable as advised (issue
    # 17): a known person, and for an admission the organisation with the best cards, one that
    # has regisseurs. Chosen without the random generator, so the rest of the history stays.
    waiting = [r for r, _ in advices if r.status == ReportStatus.READY_FOR_DECISION]
    best_cards = {r.submission_key: pool[n % len(pool)].organisation for n, r in enumerate(waiting)}
    bulk_create_with_history(
        [
            Advice(
                report=saved[r.submission_key],
                kind=kind,
                reasoning="Advies op grond van de duiding (demo).",
                advised_by=board,
                best_cards=best_cards.get(r.submission_key) if kind == AdviceKind.ADMIT else None,
            )
            for r, kind in advices
        ],
        Advice,
        batch_size=500,
    )
    people = []
    for n, r in enumerate(waiting, start=1):
        person = ReportPerson(
            report=saved[r.submission_key],
            first_name="Demo",
            last_name=f"Wachtrij {n:02d}",
            city="Amsterdam",
            relation="hoofdpersoon",
        )
        person.refresh_name_key()
        people.append(person)
    bulk_create_with_history(people, ReportPerson, batch_size=500)
    _cases(rng, today, [p for p in plans if "decided" in p], saved, pool, catalogue, handover_to)
    return len(reports)


def _cases(rng, today, admitted, saved, pool, catalogue, handover_to) -> None:
    subjects, cases, extras = [], [], []
    for plan in admitted:
        decided = plan["decided"]
        born = today - timedelta(days=rng.randint(14 * 365, 45 * 365))
        subject = Subject(
            first_name="Demo",
            last_name=f"Historie {len(subjects) + 1:04d}",
            date_of_birth=born,
            gender=_pick(rng, [(Gender.MALE, 72), (Gender.FEMALE, 25), (Gender.OTHER, 3)]),
            city=_pick(rng, CITIES),
        )
        regisseur = rng.choice(pool)
        base_file = decided + timedelta(days=rng.randint(1, 10))
        submitted = base_file + timedelta(days=rng.randint(20, 55))
        adopted = submitted + timedelta(days=rng.randint(14, 35))
        phase_down = adopted + timedelta(days=rng.randint(150, 400))
        closed = phase_down + timedelta(days=rng.randint(30, 120))
        case = Case(
            report=saved[plan["report"].submission_key],
            phase=CasePhase.ADMITTED,
            risk_groups=sorted(rng.sample([1, 2, 3, 4, 5], k=rng.choice((1, 1, 2)))),
            ideology=_pick(rng, IDEOLOGIES),
            organisation=regisseur.organisation,
            regisseur=regisseur,
            admitted_at=saved[plan["report"].submission_key].decided_at,
        )
        milestones = {}
        for name, moment, phase in (
            ("base_file", base_file, CasePhase.BASE_FILE),
            ("submitted", submitted, CasePhase.AT_ADVICE),
            ("adopted", adopted, CasePhase.IN_EXECUTION),
            ("phase_down", phase_down, CasePhase.PHASING_DOWN),
            ("closed", closed, CasePhase.CLOSED),
        ):
            if moment >= today:
                break
            milestones[name] = _moment(moment, rng)
            case.phase = phase
        case.base_file_assigned_at = milestones.get("base_file")
        case.phase_down_at = milestones.get("phase_down")
        if "closed" in milestones:
            case.closed_at = milestones["closed"]
            case.closure_reason = _pick(
                rng,
                [
                    (ClosureReason.GOALS_MET, 60),
                    (ClosureReason.NO_PERSPECTIVE, 12),
                    (ClosureReason.MOVED, 12),
                    (ClosureReason.DETAINED_LONG, 8),
                    (ClosureReason.OTHER, 8),
                ],  # fmt: skip
            )
            if case.closure_reason == ClosureReason.GOALS_MET:
                case.handover_organisation = rng.choice(handover_to)
        subjects.append(subject)
        cases.append(case)
        extras.append((decided, milestones))
    bulk_create_with_history(subjects, Subject, batch_size=500)
    subjects = list(Subject.objects.filter(first_name="Demo", last_name__startswith="Historie "))
    by_name = {s.last_name: s for s in subjects}
    for i, case in enumerate(cases):
        case.subject = by_name[f"Historie {i + 1:04d}"]
    bulk_create_with_history(cases, Case, batch_size=500)
    cases = list(
        Case.objects.filter(subject__in=subjects)
        .select_related("subject")
        .order_by("subject__last_name")
    )
    _grant_regisseurs(cases)
    _activity(rng, today, cases, extras, catalogue)


def _grant_regisseurs(cases) -> None:
    """What grant_regisseur does per case, in one insert: each regisseur opens their cases."""
    perms = Permission.objects.filter(content_type__app_label="cases", codename__in=REGISSEUR_PERMS)
    CaseUserObjectPermission.objects.bulk_create(
        [
            CaseUserObjectPermission(
                user_id=case.regisseur_id, permission=perm, content_object=case
            )
            for case in cases
            for perm in perms
        ],
        batch_size=1000,
    )


def _activity(rng, today, cases, extras, catalogue) -> None:
    plans, letters, goals, interventions, meetings, logs, evaluations = [], [], [], [], [], [], []
    scored = []
    for case, (decided, milestones) in zip(cases, extras, strict=True):
        regisseur = case.regisseur
        letter_day = decided + timedelta(days=rng.choice((3, 7, 10, 14, 18, 20, 25, 32)))
        if letter_day < today:
            letters.append(
                Letter(
                    case=case,
                    template_version="kennisgeving-2026-1",
                    recipient_kind=LetterRecipientKind.SUBJECT,
                    recipient_name=case.subject.full_name,
                    address="(demo)",
                    # Historic registrations: the dispatch is on record, no PDF was kept.
                    file="",
                    created_by=regisseur,
                    dispatched_on=letter_day,
                    method="post",
                    dispatched_by=regisseur,
                )
            )
        if "submitted" in milestones:
            adopted = milestones.get("adopted")
            plans.append(
                PlanVersion(
                    case=case,
                    number=1,
                    status=PlanStatus.ADOPTED if adopted else PlanStatus.SUBMITTED,
                    submitted_at=milestones["submitted"],
                    advised_at=adopted,
                    adopted_at=adopted,
                )
            )
        end = (case.closed_at.date() if case.closed_at else today) - timedelta(days=1)
        if "adopted" in milestones:
            start = milestones["adopted"].date()
            for domain in DOMAINS[:2]:
                goals.append(Goal(case=case, life_domain=domain, description="Doel (demo)"))
            for entry in rng.sample(catalogue, k=2):
                interventions.append(
                    Intervention(
                        case=case,
                        catalogue_entry=entry,
                        rationale="Past bij de problematiek uit het basisdossier (demo).",
                        owner_organisation=entry.provider,
                        planned_start=start,
                        planned_end=None if rng.random() < 0.5 else start + timedelta(days=180),
                        status=InterventionStatus.COMPLETED
                        if case.closed_at
                        else InterventionStatus.RUNNING,
                    )
                )
            day, n = start + timedelta(weeks=12), 0
            while day <= end:
                evaluations.append(
                    Evaluation(
                        case=case,
                        held_on=day,
                        summary="Evaluatie (demo).",
                        conclusion=EvaluationConclusion.CONTINUE,
                        recorded_by=regisseur,
                    )
                )
                scored.append((case, n))
                day += timedelta(weeks=case.evaluation_interval_weeks + rng.randint(-1, 3))
                n += 1
            day = start + timedelta(days=rng.randint(7, 40))
            while day <= end:
                meetings.append(
                    PartnerMeeting(
                        case=case,
                        held_on=day,
                        participants="Regisseur en interventiepartners",
                        recorded_by=regisseur,
                    )
                )
                day += timedelta(weeks=rng.randint(6, 12))
        # Contacts every two to nine weeks, so some cases show a gap in any period.
        moment = decided + timedelta(days=rng.randint(3, 14))
        while moment <= end:
            logs.append(
                LogEntry(
                    case=case,
                    at=_moment(moment, rng),
                    kind=rng.choice((LogKind.FACE_TO_FACE, LogKind.PHONE, LogKind.PARTNER)),
                    text="Contact (demo).",
                    author=regisseur,
                )
            )
            moment += timedelta(days=rng.choice((14, 21, 28, 35, 42, 63)))
    for model, rows in (
        (Letter, letters),
        (PlanVersion, plans),
        (Goal, goals),
        (Intervention, interventions),
        (Evaluation, evaluations),
        (PartnerMeeting, meetings),
        (LogEntry, logs),
    ):
        bulk_create_with_history(rows, model, batch_size=500)
    _scores(rng, cases)


def _scores(rng, cases) -> None:
    """Life-domain scores that mostly improve, and goal results, per evaluation."""
    evaluations = Evaluation.objects.filter(case__in=cases).order_by("case_id", "held_on")
    goals: dict[int, list[Goal]] = {}
    for goal in Goal.objects.filter(case__in=cases):
        goals.setdefault(goal.case_id, []).append(goal)
    scores, results, seen = [], [], {}
    for evaluation in evaluations:
        n = seen.get(evaluation.case_id, 0)
        seen[evaluation.case_id] = n + 1
        for i, domain in enumerate(DOMAINS):
            base = 2 + (evaluation.case_id + i) % 2
            score = min(5, max(1, base + n * rng.choice((0, 0, 1, 1, -1)) // 1))
            scores.append(DomainScore(evaluation=evaluation, domain=domain, score=score))
        for goal in goals.get(evaluation.case_id, []):
            result = _pick(
                rng,
                [
                    (GoalResult.ACHIEVED, 20 + 15 * n),
                    (GoalResult.PARTLY, 40),
                    (GoalResult.NOT_ACHIEVED, 25),
                ],  # fmt: skip
            )
            results.append(EvaluationGoalResult(evaluation=evaluation, goal=goal, result=result))
    bulk_create_with_history(scores, DomainScore, batch_size=1000)
    bulk_create_with_history(results, EvaluationGoalResult, batch_size=1000)
