"""Every deadline of the workflow, derived from the data (DOMAIN.md section 6). Nothing here is
stored: a deadline exists while the data says it does, so a sweep that was missed is caught
up by the next one. Case deadlines come from one statement over all active cases
(`values_list` rows, links from a template, no model instances), with the rules the case page
uses (cases/dues.py, cases/letters.py): 120,000 cases in a second or two instead of 37 (issue
19). Each function runs a fixed number of queries, whatever the data size."""

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Case as CaseWhen
from django.db.models import Value, When
from django.urls import reverse
from django.utils import timezone

from cases import dues as rules
from cases.constants import ACTIVE_PHASES
from cases.letters import letters_incomplete_q
from cases.models import Case, case_reference
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


@dataclass(frozen=True, slots=True)
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


CONCEPT_PLAN_LABEL = "Concept plan van aanpak naar het ITAT-R: "


def link_template(url_name: str, suffix: str = "") -> Callable[[int], str]:
    """The URL of `url_name` for any pk, from one reverse(): the sweep builds tens of
    thousands of links, and reverse() per row was a tenth of its time (issue 19)."""
    marker = "2147483647"
    before, after = reverse(url_name, args=[int(marker)]).split(marker)
    return lambda pk: f"{before}{pk}{after}{suffix}"


CASE_VALUES = (
    "pk", "admitted_at", "phase", "regisseur_id", "evaluation_interval_weeks", "admitted_on",
    "assigned_on", "last_uvo", "last_evaluation", "adopted_on", "last_contact_on", "letters_open",
    "quiet",
)  # fmt: skip


def _flag(condition) -> CaseWhen:
    """True or False, never NULL (a condition on a NULL date is NULL in SQL)."""
    return CaseWhen(When(condition, then=Value(True)), default=Value(False))


def case_values(today: date):
    """The one statement every case deadline is derived from: per active case the values the
    rules of cases/dues.py read (dates local, related rows by a correlated subquery each,
    read once), and the two rules that need related rows as flags. Rows, not objects."""
    return (
        Case.objects.filter(phase__in=ACTIVE_PHASES)
        .annotate(
            admitted_on=rules.local_date_sql("admitted_at"),
            assigned_on=rules.local_date_sql("base_file_assigned_at"),
            last_uvo=rules.LAST_UVO,
            last_evaluation=rules.LAST_EVALUATION,
            adopted_on=rules.local_date_sql(rules.ADOPTED_AT),
            last_contact_on=rules.local_date_sql(rules.LAST_CONTACT),
            letters_open=_flag(letters_incomplete_q(today)),
            quiet=_flag(rules.quiet_q(today)),
        )
        .values_list(*CASE_VALUES)
        .order_by()
    )


def _without_jit(queryset) -> list:
    """PostgreSQL judges the statement costly enough to compile it (JIT), which took longer
    (2.6 s) than running it; the rows come from index lookups that need no compiling."""
    if connection.vendor != "postgresql":
        return list(queryset)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        return list(queryset)


def case_deadlines(
    today: date, config: ReminderSettings, *, warned_by: date | None = None
) -> list[Deadline]:
    """Letters, concept plan, plan ready for its ITAT-R, UVO, evaluation and contact gaps, by
    the rules of the case page (cases/dues.py) over the rows of one statement (`case_values`).
    With `warned_by`, only deadlines whose warning date has come by then become objects."""
    deadlines = []
    warn = timedelta(days=config.warn_days)
    last_due = warned_by + warn if warned_by else date.max
    intake_desk = _role_user_ids(Role.INTAKE)
    coordinators = _role_user_ids(Role.COORDINATOR)
    case_link = link_template("cases:case_detail")
    letters_link = link_template("cases:case_letters")
    reassign_link = link_template("cases:case_reassign")
    meeting_link = link_template("meetings:meeting_detail")
    itatr = Body.objects.filter(function=BodyFunction.ADVISORY, is_active=True).first()
    itatr_meetings = (
        sorted(
            (timezone.localdate(starts_at), pk)
            for pk, starts_at in itatr.meetings.filter(
                status=MeetingStatus.PLANNED, starts_at__date__gte=today
            ).values_list("pk", "starts_at")
        )
        if itatr
        else []
    )
    itatr_days = [day for day, _ in itatr_meetings]
    # Plans on an upcoming ITAT-R agenda, by case: their first UVO must come before it (the
    # earliest such meeting wins).
    itatr_on: dict[int, date] = {}
    for case_id, starts_at in AgendaItem.objects.filter(
        kind=ItemKind.CASE,
        case_kind=CaseItemKind.PLAN_ADVICE,
        status=ItemStatus.OPEN,
        meeting__status=MeetingStatus.PLANNED,
        meeting__starts_at__date__gte=today,
    ).values_list("case_id", "meeting__starts_at"):
        day = timezone.localdate(starts_at)
        itatr_on[case_id] = min(day, itatr_on.get(case_id, day))
    secretary = frozenset({itatr.secretary_id} if itatr and itatr.secretary_id else ())
    ready_before = timedelta(days=READY_DAYS_BEFORE)
    weeks = config.no_contact_weeks

    for (
        pk, admitted_at, phase, regisseur, interval, admitted_on, assigned_on, last_uvo,
        last_evaluation, adopted_on, last_contact_on, letters_open, quiet,
    ) in _without_jit(case_values(today)):  # fmt: skip
        found = []  # (kind, label, due, recipients, link, other links)
        if letters_open and (due := rules.letter_due(admitted_on)) <= last_due:
            found.append(
                (DeadlineKind.LETTER, "Notificatiebrief ", due, intake_desk, letters_link(pk), ())
            )
        if concept := rules.concept_plan_due(phase=phase, assigned_on=assigned_on):
            if concept <= last_due:
                found.append(
                    (DeadlineKind.CONCEPT_PLAN, CONCEPT_PLAN_LABEL, concept, {regisseur},
                     case_link(pk), ())
                )  # fmt: skip
            # Ready a week before the first ITAT-R on or after the concept plan's date; the
            # secretary's reminder opens that meeting (its agenda queue), not the case.
            if (index := bisect_left(itatr_days, concept)) < len(itatr_days):
                meeting_day, meeting_pk = itatr_meetings[index]
                if (ready_by := meeting_day - ready_before) <= last_due:
                    label = f"Plan klaar voor het ITAT-R van {meeting_day:%d-%m-%Y}: "
                    found.append(
                        (DeadlineKind.PLAN_FOR_MEETING, label, ready_by,
                         frozenset({regisseur}) | secretary, case_link(pk),
                         ((secretary, meeting_link(meeting_pk)),))
                    )  # fmt: skip
        on_agenda = None if last_uvo else itatr_on.get(pk)
        uvo = rules.uvo_due(last_uvo=last_uvo, assigned_on=assigned_on, itatr_on=on_agenda)
        if uvo and uvo <= last_due:
            if last_uvo:
                label = "Uitvoerdersoverleg (UVO): "
            elif on_agenda:
                label = f"Eerste UVO vóór het ITAT-R van {on_agenda:%d-%m-%Y}: "
            else:
                label = "Eerste UVO, vóór het ITAT-R: "
            found.append((DeadlineKind.UVO, label, uvo, {regisseur}, case_link(pk), ()))
        evaluation = rules.evaluation_due(
            last_evaluation=last_evaluation, adopted_on=adopted_on, interval_weeks=interval
        )
        if evaluation and evaluation <= last_due:
            found.append(
                (DeadlineKind.EVALUATION, "Evaluatie: ", evaluation, {regisseur}, case_link(pk), ())
            )
        gap = rules.no_contact_due(
            quiet=quiet, last_contact_on=last_contact_on, admitted_on=admitted_on, weeks=weeks
        )
        if gap and gap <= last_due:
            # The coordinators open the reassignment page (no case content), the regisseur
            # the case.
            found.append(
                (DeadlineKind.NO_CONTACT, "Geen contact vastgelegd: ", gap,
                 frozenset({regisseur}) | coordinators, case_link(pk),
                 ((coordinators, reassign_link(pk)),))
            )  # fmt: skip
        if not found:
            continue
        reference = f"casus {case_reference(pk, admitted_at)}"
        for kind, label, due, recipients, link, other_links in found:
            deadlines.append(
                _make(
                    kind,
                    "cases.case",
                    pk,
                    label + reference,
                    due,
                    config.warn_days,
                    recipients,
                    link,
                    other_links,
                )
            )
    return deadlines


def meeting_deadlines(
    today: date, config: ReminderSettings, *, warned_by: date | None = None
) -> list[Deadline]:
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
    open_owners = Owner.objects.filter(
        action__done_on__isnull=True, action__due_kind=PeriodKind.DATE, user__isnull=False
    )
    if warned_by is not None:  # reminded on the day itself
        open_owners = open_owners.filter(action__due_on__lte=warned_by)
    for action_id, user_id in open_owners.values_list("action_id", "user_id"):
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


def intake_deadlines(
    today: date, config: ReminderSettings, *, warned_by: date | None = None
) -> list[Deadline]:
    """Unanswered information requests and reports that wait too long."""
    deadlines = []
    board = _role_user_ids(Role.ASSESSMENT_BOARD)
    desks = {role: _role_user_ids(role) for role in (Role.INTAKE, Role.POLICE_INTAKE)}
    opens = _reports_opened_by([Role.ASSESSMENT_BOARD, *desks])
    requests = InformationRequest.objects.filter(
        answered_on__isnull=True, report__status__in=BOARD_WAITS
    )
    if warned_by is not None:  # warned 2 days ahead
        requests = requests.filter(due_on__lte=warned_by + timedelta(days=2))
    for request in requests.select_related("report", "organisation"):
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
                replace(
                    deadline,
                    due=postponement.until,
                    warn=deadline.warn + shift,
                    postponed_until=postponement.until,
                )
            )
        elif postponement.until is not None:
            result.append(deadline)
        elif keep_suspended:
            result.append(replace(deadline, suspended=True))
        # otherwise suspended (no date): no reminders until the postponement is lifted
    return result


def all_deadlines(
    today: date | None = None, *, include_suspended: bool = False, warned_by: date | None = None
) -> list[Deadline]:
    """Every deadline; suspended ones only when asked for (the overview shows them, the sweep
    does not remind about them). With `warned_by` (the sweep: today) only those whose warning
    date has come by then, filtered in the database; a postponement only moves a deadline
    later, so it cannot bring one back that this leaves out."""
    today = today or timezone.localdate()
    config = ReminderSettings.current()
    deadlines = [
        *case_deadlines(today, config, warned_by=warned_by),
        *meeting_deadlines(today, config, warned_by=warned_by),
        *intake_deadlines(today, config, warned_by=warned_by),
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
