"""Every deadline of the workflow, derived from the data (DOMAIN.md section 6). Nothing here is
stored: a deadline exists while the data says it does, so a sweep that was missed is caught
up by the next one. Each function runs a fixed number of queries, whatever the data size."""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from cases.constants import ACTIVE_PHASES, DUE_CONCEPT_PLAN, DUE_UVO, CasePhase
from cases.letters import letter_due, letter_status
from cases.models import Case, Contact, Letter
from cases.selectors import activity_annotations, case_dues
from intake.constants import ReportStatus
from intake.models import InformationRequest, Report
from intake.permissions import reports_visible_to
from ipgar.accounts.constants import Role
from ipgar.accounts.models import User
from meetings.constants import (
    BodyFunction,
    CaseItemKind,
    ItemKind,
    ItemStatus,
    MeetingStatus,
    PeriodKind,
)
from meetings.models import Action, AgendaItem, Body, Meeting, Owner
from meetings.services import READY_DAYS_BEFORE
from reminders.constants import DeadlineKind
from reminders.models import Postponement, ReminderSettings


@dataclass(frozen=True)
class Deadline:
    kind: str
    object_type: str
    object_id: str
    label: str  # names references, never a person
    due: date
    warn: date
    recipients: frozenset[int] = field(default_factory=frozenset)
    link: str = ""
    postponed_until: date | None = None
    suspended: bool = False
    # The page that serves a recipient when it is not `link`: the secretary's plan reminder
    # opens the agenda queue, the coordinator's opens the reassignment page (no case content).
    links: tuple[tuple[int, str], ...] = ()

    def link_for(self, user_id: int) -> str:
        return dict(self.links).get(user_id, self.link)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.object_type, self.object_id)

    def is_overdue(self, today: date) -> bool:
        return self.due < today

    def days_overdue(self, today: date) -> int:
        return max(0, (today - self.due).days)


def _role_user_ids(role: str) -> frozenset[int]:
    group = Group.objects.filter(name=role).first()
    if group is None:
        return frozenset()
    return frozenset(group.user_set.filter(is_active=True).values_list("pk", flat=True))


def _make(
    kind, obj_type, obj_id, label, due, warn_days, recipients, link="", other_links=None
) -> Deadline:
    """`other_links`: (user ids, page) for the recipients that `link` does not serve."""
    return Deadline(
        kind=kind,
        object_type=obj_type,
        object_id=str(obj_id),
        label=label,
        due=due,
        warn=due - timedelta(days=warn_days),
        recipients=frozenset(recipients),
        link=link,
        links=tuple(
            sorted(
                (user_id, page)
                for user_ids, page in (other_links or ())
                for user_id in user_ids
                if user_id in recipients
            )
        ),
    )


def _active_cases():
    return (
        Case.objects.filter(phase__in=ACTIVE_PHASES)
        .select_related("subject", "organisation", "regisseur")
        .annotate(**activity_annotations())
    )


def case_deadlines(today: date, config: ReminderSettings) -> list[Deadline]:
    """Letters, concept plan, plan ready for its ITAT-R, UVO, evaluation and contact gaps."""
    deadlines = []
    intake_desk = _role_user_ids(Role.INTAKE)
    coordinators = _role_user_ids(Role.COORDINATOR)
    itatr = Body.objects.filter(function=BodyFunction.ADVISORY, is_active=True).first()
    itatr_meetings = (
        list(
            itatr.meetings.filter(
                status=MeetingStatus.PLANNED, starts_at__date__gte=today
            ).order_by("starts_at")
        )
        if itatr
        else []
    )
    # Plans on an upcoming ITAT-R agenda, by case: their first UVO must come before it.
    itatr_items = {
        item.case_id: item
        for item in AgendaItem.objects.filter(
            kind=ItemKind.CASE,
            case_kind=CaseItemKind.PLAN_ADVICE,
            status=ItemStatus.OPEN,
            meeting__status=MeetingStatus.PLANNED,
            meeting__starts_at__date__gte=today,
        )
        .select_related("meeting")
        .order_by("-meeting__starts_at")
    }
    cases = _active_cases().prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.all()),
        Prefetch("letters", queryset=Letter.objects.all()),
    )
    for case in cases:
        link = reverse("cases:case_detail", args=[case.pk])
        label = f"casus {case.reference}"
        regisseur = {case.regisseur_id}
        if not letter_status(case).complete:
            deadlines.append(
                _make(
                    DeadlineKind.LETTER,
                    "cases.case",
                    case.pk,
                    f"Notificatiebrief {label}",
                    letter_due(case),
                    config.warn_days,
                    intake_desk,
                    reverse("cases:case_letters", args=[case.pk]),
                )
            )
        dues = case_dues(
            case,
            last_uvo=case.last_uvo,
            last_evaluation=case.last_evaluation,
            adopted_on=timezone.localdate(case.adopted_at) if case.adopted_at else None,
        )
        for due in dues:
            if due.kind == DUE_UVO and case.last_uvo is None and case.pk in itatr_items:
                # The first UVO comes before the ITAT-R discusses the plan (DOMAIN.md §3
                # step 7): once the plan is on an ITAT-R agenda, that meeting sets the date.
                day = timezone.localdate(itatr_items[case.pk].meeting.starts_at)
                due = replace(
                    due,
                    label=f"Eerste UVO vóór het ITAT-R van {day:%d-%m-%Y}",
                    due=min(due.due, day - timedelta(days=1)),
                )
            deadlines.append(
                _make(
                    due.kind,
                    "cases.case",
                    case.pk,
                    f"{due.label}: {label}",
                    due.due,
                    config.warn_days,
                    regisseur,
                    link,
                )
            )
            if due.kind == DUE_CONCEPT_PLAN and itatr_meetings:
                target = next(
                    (m for m in itatr_meetings if timezone.localdate(m.starts_at) >= due.due), None
                )
                if target is not None:
                    secretary = {itatr.secretary_id} if itatr.secretary_id else set()
                    ready_by = timezone.localdate(target.starts_at) - timedelta(
                        days=READY_DAYS_BEFORE
                    )
                    deadlines.append(
                        _make(
                            DeadlineKind.PLAN_FOR_MEETING,
                            "cases.case",
                            case.pk,
                            f"Plan klaar voor het ITAT-R van "
                            f"{timezone.localdate(target.starts_at):%d-%m-%Y}: {label}",
                            ready_by,
                            config.warn_days,
                            regisseur | secretary,
                            link,
                            [(secretary, reverse("meetings:meeting_detail", args=[target.pk]))],
                        )
                    )
        quiet = (
            case.is_dormant
            or case.subject.is_detained(today)
            or case.subject.abroad
            or case.phase == CasePhase.ADMITTED
        )
        if not quiet:
            since = timezone.localdate(case.last_contact or case.admitted_at)
            deadlines.append(
                _make(
                    DeadlineKind.NO_CONTACT,
                    "cases.case",
                    case.pk,
                    f"Geen contact vastgelegd: {label}",
                    since + timedelta(weeks=config.no_contact_weeks),
                    config.warn_days,
                    regisseur | coordinators,
                    link,
                    [(coordinators, reverse("cases:case_reassign", args=[case.pk]))],
                )
            )
    return deadlines


def meeting_deadlines(today: date, config: ReminderSettings) -> list[Deadline]:
    """Agendas to distribute a week ahead, and open actions past their date."""
    deadlines = []
    for meeting in Meeting.objects.filter(
        status=MeetingStatus.PLANNED,
        agenda_sent_at__isnull=True,
        starts_at__date__gte=today,
        starts_at__date__lte=today + timedelta(days=READY_DAYS_BEFORE + config.warn_days),
    ).select_related("body"):
        if meeting.body.secretary_id:
            deadlines.append(
                _make(
                    DeadlineKind.AGENDA,
                    "meetings.meeting",
                    meeting.pk,
                    f"Agenda {meeting} versturen",
                    timezone.localdate(meeting.starts_at) - timedelta(days=READY_DAYS_BEFORE),
                    config.warn_days,
                    {meeting.body.secretary_id},
                    reverse("meetings:meeting_detail", args=[meeting.pk]),
                )
            )
    # Actions due by a date (a period such as "z.s.m." has no day to remind on), to every
    # person among their owners, opened on the action's page. The label is e-mailed: no free
    # text; Mijn werk names the action in the meetings' own section.
    owners: dict[int, set[int]] = {}
    for action_id, user_id in Owner.objects.filter(
        action__done_on__isnull=True,
        action__due_kind=PeriodKind.DATE,
        user__isnull=False,
    ).values_list("action_id", "user_id"):
        owners.setdefault(action_id, set()).add(user_id)
    for action in Action.objects.filter(pk__in=list(owners)).select_related("body"):
        deadlines.append(
            _make(
                DeadlineKind.ACTION,
                "meetings.action",
                action.pk,
                f"Actie uit {action.body.short_name} van {action.raised_on:%d-%m-%Y}",
                action.due_on,
                0,
                owners[action.pk],
                reverse("meetings:action_detail", args=[action.pk]),
            )
        )
    return deadlines


def _reports_opened_by(roles) -> dict[str, set[int]]:
    """Per intake role, the reports its members open (reports_visible_to, the report page's
    rule). Reports are granted to role groups only (intake.permissions), so one member answers
    for the role: a fixed number of queries however many users hold it. A reminder goes only
    to someone its page serves (issue 15: no link into a 404)."""
    opened = {}
    for role in roles:
        member = User.objects.filter(groups__name=role, is_active=True).first()
        opened[role] = (
            set(reports_visible_to(member).values_list("pk", flat=True)) if member else set()
        )
    return opened


# Which stage a waiting report is in, and so whose reminder it is; a report ready for the
# decision meeting has left both (the decision meeting's agenda carries it).
DESK_WAITS = frozenset({ReportStatus.REGISTERED})
BOARD_WAITS = frozenset({ReportStatus.FORWARDED, ReportStatus.IN_ASSESSMENT, ReportStatus.ADVISED})


def intake_deadlines(today: date, config: ReminderSettings) -> list[Deadline]:
    """Unanswered information requests and reports that wait too long."""
    deadlines = []
    board = _role_user_ids(Role.ASSESSMENT_BOARD)
    desks = {role: _role_user_ids(role) for role in (Role.INTAKE, Role.POLICE_INTAKE)}
    opens = _reports_opened_by([Role.ASSESSMENT_BOARD, *desks])
    for request in InformationRequest.objects.filter(
        answered_on__isnull=True, report__status__in=BOARD_WAITS
    ).select_related("report", "organisation"):
        deadlines.append(
            _make(
                DeadlineKind.INFORMATION_REQUEST,
                "intake.informationrequest",
                request.pk,
                f"Informatieverzoek aan {request.organisation.name} ({request.report.reference})",
                request.due_on,
                2,
                board if request.report_id in opens[Role.ASSESSMENT_BOARD] else (),
                reverse("intake:report_detail", args=[request.report_id]),
            )
        )
    for report in Report.objects.filter(status__in=DESK_WAITS | BOARD_WAITS):
        role = report.desk if report.status in DESK_WAITS else Role.ASSESSMENT_BOARD
        members = board if role == Role.ASSESSMENT_BOARD else desks.get(role, frozenset())
        waiting_on = members if report.pk in opens.get(role, ()) else frozenset()
        deadlines.append(
            _make(
                DeadlineKind.REPORT_WAITING,
                "intake.report",
                report.pk,
                f"Melding {report.reference} wacht: {report.waiting_for.lower()}",
                timezone.localdate(report.received_at) + timedelta(days=config.report_waiting_days),
                config.warn_days,
                waiting_on,
                reverse("intake:report_detail", args=[report.pk]),
            )
        )
    return deadlines


def _apply_postponements(deadlines: list[Deadline], *, keep_suspended: bool) -> list[Deadline]:
    postponed = {
        (p.kind, p.object_type, p.object_id): p for p in Postponement.objects.filter(is_active=True)
    }
    result = []
    for deadline in deadlines:
        postponement = postponed.get(deadline.key)
        if postponement is None:
            result.append(deadline)
        elif postponement.until is not None and postponement.until > deadline.due:
            shift = postponement.until - deadline.due
            result.append(
                Deadline(
                    **{
                        **deadline.__dict__,
                        "due": postponement.until,
                        "warn": deadline.warn + shift,
                        "postponed_until": postponement.until,
                    }
                )
            )
        elif postponement.until is not None:
            result.append(deadline)
        elif keep_suspended:
            result.append(Deadline(**{**deadline.__dict__, "suspended": True}))
        # otherwise suspended (no date): no reminders until the postponement is lifted
    return result


def all_deadlines(today: date | None = None, *, include_suspended: bool = False) -> list[Deadline]:
    """Every deadline; suspended ones only when asked for (the overview shows them, the sweep
    does not remind about them)."""
    today = today or timezone.localdate()
    config = ReminderSettings.current()
    deadlines = [
        *case_deadlines(today, config),
        *meeting_deadlines(today, config),
        *intake_deadlines(today, config),
    ]
    return sorted(
        _apply_postponements(deadlines, keep_suspended=include_suspended),
        key=lambda d: (d.due, d.kind, d.object_id),
    )


def deadlines_for_user(
    user, today: date | None = None, *, include_suspended: bool = False
) -> list[Deadline]:
    return [
        d
        for d in all_deadlines(today, include_suspended=include_suspended)
        if user.pk in d.recipients
    ]
