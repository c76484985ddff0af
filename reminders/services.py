"""The reminder sweep: deadlines that became due (or are about to) become notifications.

Idempotent by a database constraint (one notification per recipient, kind, object and due
date), never overlapping (a row lock), and safe to miss: deadlines are derived from data, so
the next sweep catches up whatever a stopped worker did not do."""

from dataclasses import dataclass
from datetime import date

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ipgar.accounts.constants import Role
from ipgar.accounts.models import User
from ipgar.notifications.models import Notification
from ipgar.notifications.services import email_at_once_pending, notification_create
from reminders.constants import ESCALATION_KIND, DeadlineKind
from reminders.deadlines import Deadline, all_deadlines
from reminders.models import Postponement, ReminderSettings, SweepRun


@dataclass(frozen=True)
class SweepResult:
    ran: bool
    created: int = 0
    to_email: tuple[int, ...] = ()
    closed: int = 0


def _lock() -> SweepRun | None:
    """The sweep's lock row; None when another sweep holds it."""
    SweepRun.objects.get_or_create(pk=1)
    runs = SweepRun.objects.filter(pk=1)
    if connection.features.has_select_for_update_nowait:
        try:
            # A savepoint: a refused lock must not abort the caller's transaction (seed_demo
            # sweeps inside its own atomic block).
            with transaction.atomic():
                return runs.select_for_update(nowait=True).get()
        except DatabaseError:
            return None
    return runs.select_for_update().get()  # SQLite: writers are serialised anyway


def _title(deadline: Deadline, today: date) -> str:
    if deadline.is_overdue(today):
        return f"Verlopen: {deadline.label}"
    return deadline.label


NotificationKey = tuple[int, str, str, str, date]


def _insert(rows: list[tuple], now) -> None:
    """Add notifications (recipient, kind, object type, object id, due, title, link); the
    unique constraint skips any a concurrent writer added. On PostgreSQL one INSERT of
    arrays: 150,000 model instances through bulk_create took longer than the whole sweep may
    (issue 19)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Notification.objects.bulk_create(
            [
                Notification(recipient_id=r, kind=k, object_type=t, object_id=i, due_date=d,
                             title=title, link=link)
                for r, k, t, i, d, title, link in rows
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )  # fmt: skip
        return
    columns = list(zip(*rows, strict=True))
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (recipient_id, kind, object_type, object_id, due_date, title, "  # noqa: S608
            "link, body, created_at) "
            "SELECT r, k, t, i, d, ti, l, '', %s FROM unnest(%b::bigint[], %b::text[], "
            "%b::text[], %b::text[], %b::date[], %b::text[], %b::text[]) "
            "AS x(r, k, t, i, d, ti, l) ON CONFLICT DO NOTHING",
            [now, *(list(column) for column in columns)],
        )


@transaction.atomic
def sweep(*, today: date | None = None) -> SweepResult:
    """Set-based (issue 10): one query reads the reminders that exist, one bulk INSERT adds
    the missing ones (the unique constraint still guards against a concurrent writer), one
    query finds the ids to e-mail. Per-deadline get-or-create cost 7 ms a row: 12 s for 1,200
    cases, and hours for 120,000."""
    today = today or timezone.localdate()
    run = _lock()
    if run is None:
        return SweepResult(ran=False)
    run.started_at = timezone.now()
    config = ReminderSettings.current()
    active = set(User.objects.filter(is_active=True).values_list("pk", flat=True))
    coordinators = sorted(
        User.objects.filter(groups__name=Role.COORDINATOR, is_active=True).values_list(
            "pk", flat=True
        )
    )
    wanted: dict[NotificationKey, tuple[str, str]] = {}  # key: (title, link)
    overdue_keys: set[NotificationKey] = set()
    escalation_keys: set[NotificationKey] = set()
    # Every reminder the data still asks for. Only deadlines whose warning date has come are
    # read (`warned_by`): one that has not has no reminder yet, so none to keep open.
    standing: set[NotificationKey] = set()
    for deadline in all_deadlines(today, warned_by=today):
        for user_id in deadline.recipients:
            standing.add(
                (user_id, deadline.kind, deadline.object_type, deadline.object_id, deadline.due)
            )
        if deadline.warn > today:
            continue
        overdue = deadline.is_overdue(today)
        title = _title(deadline, today)[:200]
        for user_id in sorted(deadline.recipients):
            if user_id not in active:
                continue
            key = (user_id, deadline.kind, deadline.object_type, deadline.object_id, deadline.due)
            wanted.setdefault(key, (title, deadline.link_for(user_id)))
            if overdue:
                overdue_keys.add(key)
        if deadline.days_overdue(today) >= config.escalation_days:
            object_type = f"{deadline.object_type}:{deadline.kind}"
            title = (f"Escalatie, {deadline.days_overdue(today)} dagen te laat: {deadline.label}")[
                :200
            ]
            for user_id in coordinators:
                key = (user_id, ESCALATION_KIND, object_type, deadline.object_id, deadline.due)
                wanted.setdefault(key, (title, ""))
                escalation_keys.add(key)
    kinds = {key[1] for key in wanted}
    existing: dict[NotificationKey, tuple[int, bool]] = {
        (r, k, t, i, d): (pk, emailed is None and read is None)
        for pk, r, k, t, i, d, emailed, read in Notification.objects.filter(
            kind__in=kinds
        ).values_list(
            "pk", "recipient_id", "kind", "object_type", "object_id", "due_date", "emailed_at",
            "read_at",
        )
    }  # fmt: skip
    new = [(*key, *wanted[key]) for key in wanted.keys() - existing.keys()]
    _insert(new, run.started_at)
    created = len(new)
    # Overdue goes out at once: new ones, and upcoming ones that have turned overdue without
    # having been e-mailed (the e-mail task marks them, so never twice). Escalations likewise:
    # until the e-mail task has marked one, every sweep queues it again, so a broker that was
    # down when it was made loses nothing.
    mail_keys = {k for k in (overdue_keys | escalation_keys) if k not in existing or existing[k][1]}
    to_email: list[int] = [existing[k][0] for k in mail_keys if k in existing]
    fresh = mail_keys - existing.keys()
    if fresh:
        to_email += [
            pk
            for pk, r, k, t, i, d in Notification.objects.filter(
                kind__in={key[1] for key in fresh}, created_at__gte=run.started_at
            ).values_list("pk", "recipient_id", "kind", "object_type", "object_id", "due_date")
            if (r, k, t, i, d) in fresh
        ]
    to_email += email_at_once_pending(run.started_at)
    closed = _close_moved_on(standing | wanted.keys(), today)
    run.finished_at, run.created = timezone.now(), created
    run.save(update_fields=["started_at", "finished_at", "created"])
    return SweepResult(ran=True, created=created, to_email=tuple(sorted(to_email)), closed=closed)


def _close_moved_on(standing: set[NotificationKey], today: date) -> int:
    """Reminders whose object has moved on stop: an unread reminder the data no longer asks for
    (the case left the stage, the report went to the decision meeting, the date was postponed
    so a newer reminder replaces it) is marked read, and so is a late-for-the-agenda notice whose
    suggested meeting has passed. One query to read, one UPDATE; never a duplicate left."""
    kinds = {*DeadlineKind.values, ESCALATION_KIND}
    stale = [
        pk
        for pk, r, k, t, i, d in Notification.objects.filter(
            kind__in=kinds, read_at__isnull=True
        ).values_list("pk", "recipient_id", "kind", "object_type", "object_id", "due_date")
        if (r, k, t, i, d) not in standing
    ]
    now = timezone.now()
    closed = Notification.objects.filter(pk__in=stale).update(read_at=now) if stale else 0
    closed += Notification.objects.filter(
        kind=LATE_REQUEST_KIND, read_at__isnull=True, due_date__lt=today
    ).update(read_at=now)
    return closed


def digest_recipients(today: date | None = None) -> dict[int, list[Notification]]:
    """Upcoming reminders not yet e-mailed, per user, for the morning digest."""
    today = today or timezone.localdate()
    pending = Notification.objects.filter(
        read_at__isnull=True, emailed_at__isnull=True, due_date__gte=today
    ).select_related("recipient")
    by_user: dict[int, list[Notification]] = {}
    for notification in pending.order_by("due_date"):
        if notification.recipient.email:
            by_user.setdefault(notification.recipient_id, []).append(notification)
    return by_user


@transaction.atomic
def postponement_record(
    *, actor: User, deadline: Deadline, until: date | None, reason: str
) -> Postponement:
    from cases.exceptions import TransitionNotAllowed

    if not reason.strip():
        raise TransitionNotAllowed("Uitstel vraagt om een reden.")
    if until is not None and until <= deadline.due:
        raise TransitionNotAllowed("De nieuwe datum ligt niet na de huidige termijn.")
    for current in Postponement.objects.select_for_update().filter(
        kind=deadline.kind,
        object_type=deadline.object_type,
        object_id=deadline.object_id,
        is_active=True,
    ):
        current.is_active = False
        current._history_user = actor
        current.save(update_fields=["is_active"])
    postponement = Postponement(
        kind=deadline.kind,
        object_type=deadline.object_type,
        object_id=deadline.object_id,
        until=until,
        reason=reason.strip(),
        created_by=actor,
    )
    postponement._history_user = actor
    postponement.save()
    return postponement


@transaction.atomic
def postponement_lift(*, postponement: Postponement, actor: User) -> Postponement:
    postponement = Postponement.objects.select_for_update().get(pk=postponement.pk)
    if postponement.is_active:
        postponement.is_active = False
        postponement._history_user = actor
        postponement.save(update_fields=["is_active"])
    return postponement


LATE_REQUEST_KIND = "agenda_te_laat"


def late_requests_notify(*, today: date | None = None) -> int:
    """Tell the requester when their request missed the nearest meeting by the 7-day rule,
    and which meeting it goes to instead (issue: 'the requester is told why')."""
    from django.urls import reverse

    from intake.permissions import reports_visible_to
    from meetings.models import Body, Meeting
    from meetings.selectors import queue_for

    today = today or timezone.localdate()
    board = list(User.objects.filter(groups__name=Role.ASSESSMENT_BOARD, is_active=True))
    created = 0
    for body in Body.objects.filter(is_active=True):
        nearest = (
            Meeting.objects.filter(body=body, status="gepland", starts_at__date__gte=today)
            .order_by("starts_at")
            .first()
        )
        if nearest is None:
            continue
        for entry in queue_for(body):
            suggested = entry.suggested
            if suggested is None or suggested.pk == nearest.pk:
                continue
            if suggested.starts_at < nearest.starts_at:
                continue  # never a past meeting as the next chance (issue 15)
            placement = entry.placement
            target = placement.report or placement.plan or placement.proposal
            if placement.report is not None:
                recipients = board
                # The report page, for the members it still opens for (reports_visible_to).
                link = reverse("intake:report_detail", args=[placement.report.pk])
            else:
                recipients = [placement.case.regisseur]
                link = reverse("cases:case_detail", args=[placement.case.pk])
            nearest_on = timezone.localdate(nearest.starts_at)
            for recipient in recipients:
                opens = placement.report is None or (
                    reports_visible_to(recipient).filter(pk=placement.report.pk).exists()
                )
                _, made = notification_create(
                    recipient=recipient,
                    kind=LATE_REQUEST_KIND,
                    obj=target,
                    link=link if opens else "",
                    title=(
                        f"Te laat voor {body.short_name} van {nearest_on:%d-%m-%Y}: "
                        f"{placement.title}"
                    )[:200],
                    body=(
                        f"Klaar op {entry.ready_on:%d-%m-%Y}, minder dan 7 dagen voor de "
                        f"vergadering. Het gaat naar {body.short_name} van "
                        f"{timezone.localdate(suggested.starts_at):%d-%m-%Y}."
                    ),
                    due_date=timezone.localdate(suggested.starts_at),
                )
                created += made
    return created
