"""Histories with known milestone moments, for hand-computed monitor figures.

The monitor reads what the services wrote; these helpers write those rows directly with the
exact moments a test needs (a service always stamps "now"). Names are planted on purpose: the
privacy tests assert that none of them is ever published.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from cases.constants import CasePhase, LinkKind, PlanStatus
from cases.models import BaseFile, Case, DomainScore, Letter, PlanVersion, Subject, SubjectLink
from intake.constants import Channel, Desk, ReporterKind, ReportStatus, Urgency
from intake.models import Assessment, FrameworkVersion, InformationRequest, Report
from ipgar.accounts.constants import Role
from ipgar.accounts.models import Organisation
from tests.factories import UserFactory

_numbers = itertools.count(1)
PLANTED_NAME_PREFIX = "Plantnaam"


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)


def planted_name() -> str:
    return f"{PLANTED_NAME_PREFIX}{next(_numbers):05d}Xq"


def regisseur(code: str = "OOV", fte: str = "1.0"):
    return UserFactory(
        roles=[Role.REGISSEUR],
        organisation=Organisation.objects.get(code=code),
        fte=fte,
        first_name=planted_name(),
        last_name=planted_name(),
    )


def history(
    *,
    received: date,
    triaged: date | None = None,
    forwarded: date | None = None,
    advised: date | None = None,
    decided: date | None = None,
    admitted: bool = True,
    letter: date | None = None,
    base_file: date | None = None,
    concept_plan: date | None = None,
    adopted: date | None = None,
    phase_down: date | None = None,
    closed: date | None = None,
    regisseur_user=None,
    reporter_kind: str = ReporterKind.TEACHER,
    urgent: bool = False,
    incomplete: bool | None = None,
    requests: tuple = (),
    scores: dict | None = None,
    **subject_fields,
) -> Report:
    """A report and, when admitted, its case, with every given milestone at noon UTC.

    `urgent` marks the report urgent; `incomplete` (True or False) gives it an assessment that
    was advised incomplete or complete; `requests` are information requests as (asked_on,
    answered_on or None); `scores` ({domain: score}) are the base file's life-domain scores."""
    actor = regisseur_user or regisseur()
    status = ReportStatus.REGISTERED
    if decided:
        status = ReportStatus.ADMITTED if admitted else ReportStatus.NOT_ADMITTED
    report = Report.objects.create(
        desk=Desk.MAP,
        status=status,
        urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
        channel=Channel.PHONE,
        reporter_kind=reporter_kind,
        reporter_name=planted_name(),
        observation=f"Waarneming over {planted_name()}",
        registered_by=actor,
        received_at=noon(received),
        triaged_at=triaged and noon(triaged),
        forwarded_at=forwarded and noon(forwarded),
        advised_at=advised and noon(advised),
        decided_at=decided and noon(decided),
    )
    framework = FrameworkVersion.objects.get(is_current=True)
    if incomplete is not None:
        Assessment.objects.create(
            report=report,
            framework_version=framework,
            started_by=actor,
            is_incomplete=incomplete,
            completed_at=noon(advised or decided or received),
        )
    for asked_on, answered_on in requests:
        InformationRequest.objects.create(
            report=report,
            organisation=actor.organisation,
            question="Is de persoon bij u bekend?",
            asked_on=asked_on,
            due_on=asked_on + timedelta(days=10),
            answered_on=answered_on,
            answer="Ja, bekend." if answered_on else "",
            requested_by=actor,
        )
    if not (decided and admitted):
        return report
    subject = Subject.objects.create(
        first_name=planted_name(),
        last_name=planted_name(),
        bsn=f"{next(_numbers):09d}",
        city=subject_fields.pop("city", "Amsterdam"),
        **subject_fields,
    )
    phase = CasePhase.ADMITTED
    for reached, value in (
        (base_file, CasePhase.BASE_FILE),
        (concept_plan, CasePhase.AT_ADVICE),
        (adopted, CasePhase.IN_EXECUTION),
        (phase_down, CasePhase.PHASING_DOWN),
        (closed, CasePhase.CLOSED),
    ):
        if reached:
            phase = value
    case = Case.objects.create(
        subject=subject,
        report=report,
        phase=phase,
        organisation=actor.organisation,
        regisseur=actor,
        admitted_at=noon(decided),
        base_file_assigned_at=base_file and noon(base_file),
        phase_down_at=phase_down and noon(phase_down),
        closed_at=closed and noon(closed),
        closure_reason="doelen_behaald" if closed else "",
    )
    if scores is not None:
        base_file = BaseFile.objects.create(case=case, framework_version=framework)
        for domain, score in scores.items():
            DomainScore.objects.create(base_file=base_file, domain=domain, score=score)
    if concept_plan:
        PlanVersion.objects.create(
            case=case,
            number=1,
            status=PlanStatus.ADOPTED if adopted else PlanStatus.SUBMITTED,
            submitted_at=noon(concept_plan),
            adopted_at=adopted and noon(adopted),
        )
    if letter:
        Letter.objects.create(
            case=case,
            template_version="test",
            recipient_kind="persoon",
            recipient_name=subject.first_name,
            address=planted_name(),
            file="brieven/test.pdf",
            created_by=actor,
            dispatched_on=letter,
            method="post",
        )
    return report


def link(first: Subject, second: Subject, *, on: date, kind: str = LinkKind.NETWORK, actor=None):
    """A link between two subjects, recorded at noon UTC on `on`."""
    made = SubjectLink.objects.create(
        from_subject=first, to_subject=second, kind=kind, created_by=actor or regisseur()
    )
    SubjectLink.objects.filter(pk=made.pk).update(created_at=noon(on))
    return made


def days_after(day: date, days: int) -> date:
    return day + timedelta(days=days)
