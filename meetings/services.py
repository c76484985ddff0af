"""Every write in meetings. Decisions in the minutes drive intake and cases through their
services, in the same transaction: a refused step leaves nothing behind."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.constants import ClosureReason
from cases.exceptions import TransitionNotAllowed
from cases.models import Case, PlanVersion, Proposal
from intake import services as intake_services
from intake.constants import NotAdmittedReason, ReportStatus
from intake.models import Report
from ipgar.accounts.models import Organisation, User
from ipgar.lib.locking import lock_version_check
from ipgar.notifications.services import notification_create
from meetings.constants import (
    DECISIONS_FOR_ITEM,
    GENERATE_WEEKS_AHEAD,
    READY_DAYS_BEFORE,
    BodyFunction,
    CaseItemKind,
    DecisionKind,
    ItemKind,
    ItemStatus,
    MeetingStatus,
    MinutesStatus,
    PeriodKind,
)
from meetings.models import (
    Action,
    AgendaItem,
    AgendaSection,
    Attendance,
    Body,
    Decision,
    ForwardItem,
    Meeting,
    Owner,
)
from meetings.periods import Period
from meetings.slots import slots_for

STANDARD_OPENING = [
    (ItemKind.OPENING, "Opening en mededelingen"),
    (ItemKind.PREVIOUS_MINUTES, "Vaststellen verslag vorige vergadering"),
]
STANDARD_CLOSING = [
    (ItemKind.AOB, "Wat verder ter tafel komt en rondvraag"),
    (ItemKind.CLOSING, "Sluiting"),
]
CLOSING_KINDS = (ItemKind.AOB, ItemKind.CLOSING)


def _save(obj, actor: User | None, **kwargs) -> None:
    obj._history_user = actor
    obj.save(**kwargs)


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


# --- The cycle ----------------------------------------------------------------------------------


def _add_standard_items(meeting: Meeting, actor: User | None) -> None:
    for order, (kind, title) in enumerate(STANDARD_OPENING, start=1):
        _save(AgendaItem(meeting=meeting, order=order, kind=kind, title=title), actor)
    for order, (kind, title) in enumerate(STANDARD_CLOSING, start=900):
        _save(AgendaItem(meeting=meeting, order=order, kind=kind, title=title), actor)


@transaction.atomic
def meetings_generate(
    *, body: Body, until: date | None = None, since: date | None = None, actor: User | None = None
) -> int:
    """Create the meetings of the cycle from `since` (default today) up to `until` (default
    half a year ahead); idempotent."""
    today = timezone.localdate()
    until = until or today + timedelta(weeks=GENERATE_WEEKS_AHEAD)
    existing = set(
        body.meetings.filter(cycle_date__isnull=False).values_list("cycle_date", flat=True)
    )
    created = 0
    for day in body.dates_between(since or today, until):
        if day in existing:
            continue
        meeting = Meeting(
            body=body,
            cycle_date=day,
            duration_minutes=body.duration_minutes,
            location=body.location,
            starts_at=timezone.make_aware(datetime.combine(day, body.start_time)),
        )
        _save(meeting, actor)
        _add_standard_items(meeting, actor)
        created += 1
    return created


@transaction.atomic
def meeting_create_extra(*, body: Body, starts_at: datetime, reason: str, actor: User) -> Meeting:
    if not reason.strip():
        raise TransitionNotAllowed("Een vergadering buiten de cyclus vraagt om een reden.")
    if starts_at < timezone.now():
        raise TransitionNotAllowed(
            "Een nieuwe vergadering kan niet in het verleden liggen; een vergadering die al "
            "heeft plaatsgevonden legt u vast met ‘Achteraf vastleggen’."
        )
    _refuse_overlap(body, starts_at, body.duration_minutes)
    meeting = Meeting(
        body=body,
        starts_at=starts_at,
        duration_minutes=body.duration_minutes,
        location=body.location,
        outside_cycle_reason=reason.strip(),
    )
    _save(meeting, actor)
    _add_standard_items(meeting, actor)
    return meeting


def _refuse_overlap(body: Body, starts_at: datetime, minutes: int, *, but: int | None = None):
    ends_at = starts_at + timedelta(minutes=minutes)
    for other in (
        body.meetings.exclude(status=MeetingStatus.CANCELLED)
        .exclude(pk=but)
        .filter(starts_at__lt=ends_at, starts_at__gte=starts_at - timedelta(days=1))
    ):
        if other.ends_at > starts_at:
            raise TransitionNotAllowed(
                f"Aanvang: deze tijd overlapt met de vergadering van {body.short_name} op "
                f"{timezone.localtime(other.starts_at):%d-%m-%Y %H:%M}."
            )


@transaction.atomic
def meeting_record_past(
    *,
    body: Body,
    starts_at: datetime,
    reason: str,
    actor: User,
    duration_minutes: int | None = None,
    location: str | None = None,
) -> Meeting:
    """A meeting that took place, recorded afterwards (minutes from the old system, a meeting
    minuted on paper): everything recorded on it carries its own date, not today's."""
    if not reason.strip():
        raise TransitionNotAllowed(
            "Reden: geef aan waarom deze vergadering achteraf wordt vastgelegd."
        )
    if starts_at >= timezone.now():
        raise TransitionNotAllowed(
            "Aanvang: achteraf vastleggen kan alleen voor een vergadering die al is begonnen."
        )
    minutes = duration_minutes or body.duration_minutes
    _refuse_overlap(body, starts_at, minutes)
    meeting = Meeting(
        body=body,
        starts_at=starts_at,
        duration_minutes=minutes,
        location=body.location if location is None else location,
        outside_cycle_reason=f"Achteraf vastgelegd: {reason.strip()}"[:300],
        recorded_afterwards_reason=reason.strip(),
    )
    _save(meeting, actor)
    return meeting


@transaction.atomic
def section_add(*, meeting: Meeting, title: str, actor: User) -> AgendaSection:
    """A heading of the agenda; items placed in it follow it in the numbering."""
    if meeting.minutes_locked:
        raise TransitionNotAllowed("Het verslag is vastgesteld; de agenda ligt vast.")
    title = title.strip()
    if not title:
        raise TransitionNotAllowed("Een onderdeel van de agenda heeft een kop.")
    if meeting.sections.filter(title=title).exists():
        raise TransitionNotAllowed(f"Het onderdeel ‘{title}’ staat al op deze agenda.")
    last = meeting.sections.aggregate(m=Max("order"))["m"] or 0
    section = AgendaSection(meeting=meeting, title=title, order=last + 1)
    _save(section, actor)
    return section


@transaction.atomic
def meeting_reschedule(
    *,
    meeting: Meeting,
    actor: User,
    starts_at: datetime | None = None,
    cancel: bool = False,
    reason: str = "",
) -> Meeting:
    """Move or cancel one meeting of the cycle; the cycle itself stays."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not reason.strip():
        raise TransitionNotAllowed("Geef aan waarom de vergadering verschuift of vervalt.")
    if cancel:
        if meeting.items.filter(kind=ItemKind.CASE).exists():
            raise TransitionNotAllowed("Verplaats eerst de casussen naar een andere vergadering.")
        meeting.status = MeetingStatus.CANCELLED
    elif starts_at:
        if starts_at < timezone.now():
            raise TransitionNotAllowed("Een vergadering kan niet naar het verleden verschuiven.")
        # As for a new meeting: no two meetings of one body at the same time.
        _refuse_overlap(meeting.body, starts_at, meeting.duration_minutes, but=meeting.pk)
        meeting.starts_at = starts_at
    meeting.outside_cycle_reason = reason.strip()
    _save(meeting, actor)
    return meeting


# --- The 7-day rule and the secretary's queue -------------------------------------------------


def in_time_for(meeting: Meeting, ready_on: date) -> bool:
    """Ready at least 7 days before the meeting: exactly 7 days is in time, 6 is not."""
    return ready_on <= _local_date(meeting.starts_at) - timedelta(days=READY_DAYS_BEFORE)


def first_meeting_for(body: Body, ready_on: date) -> Meeting | None:
    earliest = ready_on + timedelta(days=READY_DAYS_BEFORE)
    return (
        body.meetings.filter(
            status=MeetingStatus.PLANNED,
            starts_at__date__gte=earliest,
            starts_at__gte=timezone.now(),  # a past meeting is never the next chance
        )
        .order_by("starts_at")
        .first()
    )


@dataclass(frozen=True)
class Placement:
    case_kind: str
    report: Report | None = None
    case: Case | None = None
    plan: PlanVersion | None = None
    proposal: Proposal | None = None

    @property
    def ready_on(self) -> date:
        if self.report is not None:
            return _local_date(self.report.ready_at)
        if self.plan is not None:
            moment = (
                (self.plan.final_at or self.plan.advised_at)
                if self.case_kind == CaseItemKind.PLAN_ADOPTION
                else self.plan.submitted_at
            )
            return _local_date(moment)
        if self.proposal is not None:
            return _local_date(self.proposal.created_at)
        return timezone.localdate()

    @property
    def title(self) -> str:
        label = CaseItemKind(self.case_kind).label
        if self.report is not None:
            return f"{label}: melding {self.report.reference}"
        return f"{label}: casus {self.case.reference}"


def _title_for(placement: Placement) -> str:
    return placement.title


@transaction.atomic
def agenda_place(*, meeting: Meeting, actor: User, placement: Placement) -> AgendaItem:
    """Put a ready report, plan or proposal on an agenda, if it was ready in time."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.starts_at < timezone.now():
        raise TransitionNotAllowed("Deze vergadering is al geweest; kies een volgende.")
    if meeting.is_cancelled:
        raise TransitionNotAllowed("Deze vergadering is geannuleerd.")
    if meeting.minutes_locked:
        raise TransitionNotAllowed("Het verslag van deze vergadering is al vastgesteld.")
    ready_on = placement.ready_on
    if not in_time_for(meeting, ready_on):
        following = first_meeting_for(meeting.body, ready_on)
        raise TransitionNotAllowed(
            f"Te laat voor de vergadering van {_local_date(meeting.starts_at):%d-%m-%Y}: klaar op "
            f"{ready_on:%d-%m-%Y}, dat is minder dan {READY_DAYS_BEFORE} dagen ervoor. "
            + (
                f"De eerstvolgende mogelijkheid is {_local_date(following.starts_at):%d-%m-%Y}."
                if following
                else "Er is nog geen volgende vergadering gepland."
            )
        )
    open_items = AgendaItem.objects.filter(
        status=ItemStatus.OPEN, case_kind=placement.case_kind, meeting__status=MeetingStatus.PLANNED
    )
    if placement.report is not None:
        open_items = open_items.filter(report=placement.report)
    elif placement.plan is not None:
        open_items = open_items.filter(plan=placement.plan)
    elif placement.proposal is not None:
        open_items = open_items.filter(proposal=placement.proposal)
    if open_items.exists():
        raise TransitionNotAllowed("Dit staat al op een agenda; verplaats het daar vandaan.")
    last = meeting.items.exclude(kind__in=CLOSING_KINDS).aggregate(m=Max("order"))["m"] or 0
    case = (
        placement.case
        or (placement.plan.case if placement.plan else None)
        or (placement.proposal.case if placement.proposal else None)
    )
    item = AgendaItem(
        meeting=meeting,
        order=last + 1,
        kind=ItemKind.CASE,
        case_kind=placement.case_kind,
        title=_title_for(placement),
        report=placement.report,
        case=case,
        plan=placement.plan,
        proposal=placement.proposal,
        slot_minutes=meeting.body.default_slot_minutes,
    )
    _save(item, actor)
    if case is not None and meeting.body.function == BodyFunction.ADVISORY:
        case_services.case_grant_agenda_readers(case=case, users=meeting.body.members.all())
    return item


@transaction.atomic
def agenda_record_case_item(
    *,
    meeting: Meeting,
    actor: User,
    placement: Placement,
    section: AgendaSection | None = None,
    owners: Iterable["OwnerData"] = (),
) -> AgendaItem:
    """A case item of a meeting recorded afterwards, as its agenda had it: the 7-day rule was
    the old system's business; what counts is that the report or case was there to decide."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.recorded_afterwards_reason:
        raise TransitionNotAllowed("Casussen komen op de agenda via de wachtrij.")
    if meeting.minutes_locked:
        raise TransitionNotAllowed("Het verslag is vastgesteld; de agenda ligt vast.")
    last = meeting.items.exclude(kind__in=CLOSING_KINDS).aggregate(m=Max("order"))["m"] or 0
    case = (
        placement.case
        or (placement.plan.case if placement.plan else None)
        or (placement.proposal.case if placement.proposal else None)
    )
    item = AgendaItem(
        meeting=meeting,
        order=last + 1,
        kind=ItemKind.CASE,
        case_kind=placement.case_kind,
        title=_title_for(placement),
        report=placement.report,
        case=case,
        plan=placement.plan,
        proposal=placement.proposal,
        slot_minutes=meeting.body.default_slot_minutes,
        section=section,
    )
    _save(item, actor)
    _owners_set(actor=actor, owners=owners, item=item)
    return item


@transaction.atomic
def agenda_item_move(
    *, item: AgendaItem, to_meeting: Meeting, actor: User, override_reason: str = ""
) -> AgendaItem:
    """The secretary moves an item to another meeting of the same body. The 7-day rule holds
    as for placing: a meeting less than 7 days away takes it only with a reason, which is kept."""
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    if to_meeting.body_id != item.meeting.body_id:
        raise TransitionNotAllowed("Een agendapunt verhuist alleen binnen hetzelfde overleg.")
    if to_meeting.starts_at < timezone.now() or to_meeting.is_cancelled:
        raise TransitionNotAllowed("Kies een geplande vergadering in de toekomst.")
    if item.meeting.minutes_locked or item.status != ItemStatus.OPEN:
        raise TransitionNotAllowed("Een besproken agendapunt verhuist niet meer.")
    override_reason = override_reason.strip()
    limit = AgendaItem._meta.get_field("move_reason").max_length
    if len(override_reason) > limit:  # PostgreSQL would refuse it with an error page
        raise TransitionNotAllowed(
            f"Reden: ten hoogste {limit} tekens (nu {len(override_reason)})."
        )
    if not in_time_for(to_meeting, timezone.localdate()) and not override_reason:
        raise TransitionNotAllowed(
            f"De vergadering van {_local_date(to_meeting.starts_at):%d-%m-%Y} is minder dan "
            f"{READY_DAYS_BEFORE} dagen weg: verplaatsen kan alleen met een reden."
        )
    last = to_meeting.items.exclude(kind__in=CLOSING_KINDS).aggregate(m=Max("order"))["m"] or 0
    item.meeting, item.order, item.section = to_meeting, last + 1, None
    item.move_reason = override_reason if not in_time_for(to_meeting, timezone.localdate()) else ""
    _save(item, actor)
    return item


FIXED_KINDS = (*CLOSING_KINDS, ItemKind.OPENING, ItemKind.PREVIOUS_MINUTES)


@transaction.atomic
def agenda_reorder(*, meeting: Meeting, actor: User, item_ids: list[int]) -> list[AgendaItem]:
    """The new order of the movable items, in one request (drag and drop, or 'verplaats naar
    positie N'); the standard opening and closing keep their places."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_locked:
        raise TransitionNotAllowed("Het verslag is vastgesteld; de agenda ligt vast.")
    movable = {item.pk: item for item in meeting.items.exclude(kind__in=FIXED_KINDS)}
    if len(item_ids) != len(set(item_ids)) or set(item_ids) != set(movable):
        raise TransitionNotAllowed(
            "De agenda is intussen gewijzigd; laad de pagina opnieuw en verplaats opnieuw."
        )
    ordered = [movable[pk] for pk in item_ids]
    for order, other in enumerate(ordered, start=10):
        if other.order != order:
            other.order = order
            _save(other, actor, update_fields=["order"])
    return ordered


def agenda_item_to_position(
    *, item: AgendaItem, actor: User, position: int, order_ids: list[int]
) -> list[AgendaItem]:
    """'Verplaats naar positie N' among the movable items (1 is the first)."""
    if item.pk not in order_ids:
        raise TransitionNotAllowed("Dit agendapunt houdt zijn vaste plaats.")
    if not 1 <= position <= len(order_ids):
        raise TransitionNotAllowed(f"Positie: kies een nummer van 1 tot en met {len(order_ids)}.")
    ids = [pk for pk in order_ids if pk != item.pk]
    ids.insert(position - 1, item.pk)
    return agenda_reorder(meeting=item.meeting, actor=actor, item_ids=ids)


@transaction.atomic
def agenda_item_shift(*, item: AgendaItem, actor: User, up: bool) -> AgendaItem:
    """Take an item one place earlier (or later); standard opening and closing stay put."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    if meeting.minutes_locked:
        raise TransitionNotAllowed("Het verslag is vastgesteld; de agenda ligt vast.")
    movable = list(
        meeting.items.exclude(
            kind__in=[*CLOSING_KINDS, ItemKind.OPENING, ItemKind.PREVIOUS_MINUTES]
        ).order_by("order", "pk")
    )
    index = next((i for i, other in enumerate(movable) if other.pk == item.pk), None)
    if index is None:  # a standard item (opening, closing, ...) keeps its place
        return item
    target = index - 1 if up else index + 1
    if target < 0 or target >= len(movable):
        return item
    movable[index], movable[target] = movable[target], movable[index]
    for order, other in enumerate(movable, start=10):
        if other.order != order:
            other.order = order
            _save(other, actor, update_fields=["order"])
    return movable[target]


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    actor: User,
    kind: str,
    title: str,
    owner_organisation: Organisation | None = None,
    is_closed_session: bool = False,
    closed_attendees: Iterable[User] = (),
    section: AgendaSection | None = None,
    owners: Iterable["OwnerData"] = (),
) -> AgendaItem:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)  # lock and re-read
    if meeting.minutes_locked:
        raise TransitionNotAllowed("Het verslag is vastgesteld; de agenda ligt vast.")
    if kind == ItemKind.CASE:
        raise TransitionNotAllowed("Casussen komen op de agenda via de wachtrij.")
    if kind == ItemKind.POLICY and owner_organisation is None:
        raise TransitionNotAllowed("Een beleidsonderwerp heeft een eigenaar (organisatie).")
    attendees = list(closed_attendees)
    if is_closed_session and not attendees:
        raise TransitionNotAllowed("Een besloten agendapunt heeft deelnemers.")
    last = meeting.items.exclude(kind__in=CLOSING_KINDS).aggregate(m=Max("order"))["m"] or 0
    item = AgendaItem(
        meeting=meeting,
        order=last + 1,
        kind=kind,
        title=title.strip(),
        owner_organisation=owner_organisation,
        is_closed_session=is_closed_session,
        section=section,
    )
    _save(item, actor)
    if attendees:
        item.closed_attendees.set(attendees)
    _owners_set(actor=actor, owners=owners, item=item)
    return item


@dataclass(frozen=True)
class OwnerData:
    """One owner: a person, an organisation or a group (OwnerGroup)."""

    user: User | None = None
    organisation: Organisation | None = None
    group: str = ""


def _owners_set(
    *,
    actor: User,
    owners: Iterable[OwnerData],
    item: AgendaItem | None = None,
    action: Action | None = None,
) -> list[Owner]:
    target = {"item": item} if item is not None else {"action": action}
    for old in Owner.objects.filter(**target):
        old._history_user = actor
        old.delete()
    made = []
    for data in owners:
        owner = Owner(user=data.user, organisation=data.organisation, group=data.group, **target)
        _save(owner, actor)
        made.append(owner)
    return made


@transaction.atomic
def agenda_distribute(*, meeting: Meeting, actor: User) -> Meeting:
    """Send the agenda: members get the whole agenda, a regisseur only their own slot."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if meeting.starts_at < timezone.now():
        raise TransitionNotAllowed("Deze vergadering is al geweest.")
    meeting.agenda_sent_at = timezone.now()
    _save(meeting, actor, update_fields=["agenda_sent_at"])
    when = timezone.localtime(meeting.starts_at)
    link = reverse("meetings:meeting_detail", args=[meeting.pk])
    for member in meeting.body.members.all():
        notification_create(
            recipient=member,
            kind="agenda",
            obj=meeting,
            link=link,
            title=f"Agenda {meeting.body.short_name} van {when:%d-%m-%Y}",
            due_date=when.date(),
        )
    for row in slots_for(meeting):
        item = row["item"]
        regisseur = item.case.regisseur if item.case else None
        if regisseur is None:
            continue
        notification_create(
            recipient=regisseur,
            kind="agendapunt",
            obj=item,
            link=reverse("meetings:item_detail", args=[item.pk]),
            title=f"Uw casus op de agenda van {meeting.body.short_name}: {when:%d-%m-%Y} om "
            f"{timezone.localtime(row['start']):%H:%M}",
            due_date=when.date(),
        )
    return meeting


# --- Attendance and minutes ---------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    status: str
    organisation: Organisation | None = None
    user: User | None = None
    organisation_name: str = ""  # an organisation that is not in the application


@transaction.atomic
def attendance_record(*, meeting: Meeting, actor: User, rows: Iterable[AttendanceRow]) -> int:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_locked:
        raise TransitionNotAllowed("Het verslag is vastgesteld en kan niet meer wijzigen.")
    for old in meeting.attendance.all():
        old._history_user = actor
        old.delete()
    count = 0
    for row in rows:
        if not (row.name.strip() or row.organisation or row.organisation_name.strip()):
            raise TransitionNotAllowed("Aanwezigheid: elke regel noemt een persoon of organisatie.")
        _save(
            Attendance(
                meeting=meeting,
                name=row.name,
                status=row.status,
                organisation=row.organisation,
                user=row.user,
                organisation_name="" if row.organisation else row.organisation_name.strip(),
            ),
            actor,
        )
        count += 1
    return count


def _unlocked(item: AgendaItem) -> AgendaItem:
    # Lock the item row first, then read it with what it points at: under READ COMMITTED a
    # locking query that waited returns the latest item row but the joined report, case and
    # plan rows as they were when it started, and a decision taken meanwhile would go unseen.
    AgendaItem.objects.select_for_update().filter(pk=item.pk).values_list("pk").get()
    item = AgendaItem.objects.select_related(
        "meeting__body", "report", "case", "plan", "proposal"
    ).get(pk=item.pk)
    if item.meeting.minutes_locked:
        raise TransitionNotAllowed(
            "Het verslag is vastgesteld en kan niet meer wijzigen; de "
            "historie bewaart alle eerdere versies."
        )
    return item


@transaction.atomic
def item_minutes_save(
    *,
    item: AgendaItem,
    actor: User,
    notes: str,
    status: str,
    carry_note: str = "",
    lock_version: int | None = None,
    handled_position: int | None = None,
) -> AgendaItem:
    """The notes and status of one item. `lock_version` is the number the minutes form was
    read at: EditConflict when another secretary (or a decision) changed the item since."""
    item = _unlocked(item)
    lock_version_check(item, lock_version)
    item.notes = notes
    item.handled_position = handled_position
    if status == ItemStatus.NOT_DISCUSSED and item.status != ItemStatus.NOT_DISCUSSED:
        item.status = status
        _save(item, actor)
        item_carry_over(item=item, actor=actor, note=carry_note)
        return item
    item.status = status
    _save(item, actor)
    return item


def item_carry_over(*, item: AgendaItem, actor: User, note: str = "") -> AgendaItem:
    """An item not discussed goes to the next meeting of the body, with a note."""
    following = (
        Meeting.objects.filter(
            body_id=item.meeting.body_id,
            status=MeetingStatus.PLANNED,
            starts_at__gt=item.meeting.starts_at,
        )
        .order_by("starts_at")
        .first()
    )
    if following is None:
        raise TransitionNotAllowed("Er is geen volgende vergadering om naar door te schuiven.")
    last = following.items.exclude(kind__in=CLOSING_KINDS).aggregate(m=Max("order"))["m"] or 0
    copy = AgendaItem(
        meeting=following,
        order=last + 1,
        kind=item.kind,
        case_kind=item.case_kind,
        title=item.title,
        owner_organisation=item.owner_organisation,
        report=item.report,
        case=item.case,
        plan=item.plan,
        proposal=item.proposal,
        slot_minutes=item.slot_minutes,
        is_closed_session=item.is_closed_session,
        carried_from=item,
        carry_note=note or f"Niet besproken op {_local_date(item.meeting.starts_at):%d-%m-%Y}.",
    )
    _save(copy, actor)
    if item.is_closed_session:
        copy.closed_attendees.set(item.closed_attendees.all())
    return copy


@dataclass(frozen=True)
class DecisionData:
    kind: str
    text: str
    organisation: Organisation | None = None
    regisseur: User | None = None
    not_admitted_reason: str = NotAdmittedReason.NO_GROUNDS
    closure_reason: str = ClosureReason.GOALS_MET
    second_case_reason: str = ""  # admission of a person with an open case, allowed


@transaction.atomic
def decision_record(*, item: AgendaItem, actor: User, data: DecisionData) -> Decision:
    """Record a BESLUIT; on a case item it moves the report or case in the same transaction."""
    item = _unlocked(item)
    if not data.text.strip():
        raise TransitionNotAllowed("Een besluit heeft een tekst.")
    if timezone.now() < item.meeting.starts_at:
        raise TransitionNotAllowed(
            "Een besluit wordt vastgelegd vanaf de aanvang van de vergadering "
            f"({timezone.localtime(item.meeting.starts_at):%d-%m-%Y %H:%M}), niet eerder."
        )
    if data.kind != DecisionKind.GENERAL:
        if not item.is_case_item:
            raise TransitionNotAllowed("Alleen een casusbespreking kan een casusbesluit krijgen.")
        allowed = DECISIONS_FOR_ITEM.get(item.case_kind, ())
        if data.kind not in allowed:
            raise TransitionNotAllowed(
                f"‘{DecisionKind(data.kind).label}’ past niet bij "
                f"‘{CaseItemKind(item.case_kind).label}’."
            )
        _apply(item, actor, data)
    decision = Decision(
        item=item,
        kind=data.kind,
        text=data.text.strip(),
        organisation=data.organisation,
        regisseur=data.regisseur,
        recorded_by=actor,
        decided_at=item.meeting.starts_at,  # the meeting decided, also when typed in later
    )
    _save(decision, actor)
    if item.status == ItemStatus.OPEN:
        item.status = ItemStatus.DISCUSSED
        lock_version_check(item, None)  # a minutes form read before the decision is stale
        _save(item, actor, update_fields=["status", "lock_version"])
    return decision


def _apply(item: AgendaItem, actor: User, data: DecisionData) -> None:
    decided_at = item.meeting.starts_at
    kind = data.kind
    if kind == DecisionKind.ADMIT:
        if data.organisation is None or data.regisseur is None:
            raise TransitionNotAllowed("Bij opname horen de organisatie en de regisseur.")
        # case_open_from_report returns an existing case unchanged (it is idempotent), so a
        # second admission would record a decision naming a regisseur who never got the case.
        # The report is locked and read again: the same report may be on two agenda items.
        item.report = Report.objects.select_for_update().get(pk=item.report_id)
        if item.report.status == ReportStatus.ADMITTED:
            raise TransitionNotAllowed(
                f"Over deze melding is al besloten: ‘{ReportStatus.ADMITTED.label}’."
            )
        case = case_services.case_open_from_report(
            report=item.report,
            actor=actor,
            organisation=data.organisation,
            regisseur=data.regisseur,
            decided_at=decided_at,
            second_case_reason=data.second_case_reason,
        )
        item.case = case
        lock_version_check(item, None)
        _save(item, actor, update_fields=["case", "lock_version"])
    elif kind == DecisionKind.NOT_ADMIT:
        item.report = Report.objects.select_for_update().get(pk=item.report_id)
        if item.report.status == ReportStatus.NOT_ADMITTED:  # the service would be idempotent
            raise TransitionNotAllowed(
                f"Over deze melding is al besloten: ‘{ReportStatus.NOT_ADMITTED.label}’."
            )
        intake_services.report_mark_not_admitted(
            report=item.report,
            actor=actor,
            reason=data.not_admitted_reason,
            note=data.text,
            decided_at=decided_at,
        )
    elif kind == DecisionKind.ADVICE:
        if item.plan is not None:
            case_services.plan_record_advice(
                plan=item.plan, actor=actor, advice=data.text, decided_at=decided_at
            )
    elif kind == DecisionKind.ADOPT_PLAN:
        case_services.plan_adopt(plan=item.plan, actor=actor, decided_at=decided_at)
    elif kind == DecisionKind.PHASE_DOWN:
        case_services.case_phase_down(
            case=item.case, actor=actor, proposal=item.proposal, decided_at=decided_at
        )
    elif kind == DecisionKind.CLOSE:
        handover = item.proposal.handover_organisation if item.proposal else None
        case_services.case_close(
            case=item.case,
            actor=actor,
            reason=data.closure_reason,
            handover_organisation=handover,
            proposal=item.proposal,
            decided_at=decided_at,
        )
    elif kind == DecisionKind.DORMANT:
        case_services.case_set_dormant(
            case=item.case, actor=actor, reason=data.text, decided_at=decided_at
        )
    elif kind == DecisionKind.BRING_BACK:
        if item.report is not None and item.case is None:
            intake_services.report_reopen_assessment(
                report=item.report, actor=actor, decided_at=decided_at
            )
        elif item.plan is not None:
            case_services.plan_return_to_concept(
                plan=item.plan, actor=actor, reason=data.text, decided_at=decided_at
            )
        elif item.proposal is not None:
            case_services.proposal_reject(
                proposal=item.proposal, actor=actor, decided_at=decided_at
            )


@transaction.atomic
def decision_correct(*, decision: Decision, actor: User, text: str) -> Decision:
    """Correct the wording of a decision until the minutes are adopted (history keeps the old)."""
    _unlocked(decision.item)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not text.strip():
        raise TransitionNotAllowed("Besluit: een besluit heeft een tekst.")
    decision.text = text.strip()
    _save(decision, actor, update_fields=["text"])
    return decision


@transaction.atomic
def decision_remove(*, decision: Decision, actor: User) -> None:
    """Remove a decision recorded by mistake, until the minutes are adopted. A case decision
    already moved the case or report: that is undone by a new decision, not by deleting it."""
    _unlocked(decision.item)
    if decision.kind != DecisionKind.GENERAL:
        raise TransitionNotAllowed(
            "Dit besluit heeft de casus of melding al bewogen; corrigeer de tekst, of neem in "
            "een volgende vergadering een nieuw besluit."
        )
    decision._history_user = actor
    decision.delete()


def open_minutes_before(meeting: Meeting) -> list[Meeting]:
    """Earlier meetings of the body whose minutes are still concept, latest first."""
    return list(
        Meeting.objects.filter(
            body_id=meeting.body_id,
            starts_at__lt=meeting.starts_at,
            status=MeetingStatus.PLANNED,
            minutes_status=MinutesStatus.CONCEPT,
        ).order_by("-starts_at")
    )


@transaction.atomic
def minutes_adopt(*, meeting: Meeting, actor: User, previous: Meeting | None = None) -> Meeting:
    """Adopt earlier minutes under this meeting's 'adopt previous minutes' item, in or after
    this meeting: those of the meeting before, or those the secretary chose when more are open. The
    adopted minutes are locked (history keeps every change)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if timezone.now() < meeting.starts_at:
        raise TransitionNotAllowed(
            "Een verslag wordt vastgesteld in of na de vergadering die het vaststelt (aanvang "
            f"{timezone.localtime(meeting.starts_at):%d-%m-%Y %H:%M}), niet eerder."
        )
    if previous is None:  # unless the secretary chose others: those of the meeting before
        previous = (
            Meeting.objects.filter(
                body_id=meeting.body_id,
                starts_at__lt=meeting.starts_at,
                status=MeetingStatus.PLANNED,
            )
            .order_by("-starts_at")
            .first()
        )
    elif previous.pk not in {c.pk for c in open_minutes_before(meeting)}:
        if (
            previous.body_id == meeting.body_id
            and previous.starts_at < meeting.starts_at
            and previous.minutes_locked
        ):
            return previous  # adopted already: pressing twice changes nothing
        raise TransitionNotAllowed("Kies een eerder verslag van dit overleg dat nog open staat.")
    if previous is None:
        raise TransitionNotAllowed("Er is geen vorige vergadering met een verslag.")
    previous = Meeting.objects.select_for_update().get(pk=previous.pk)
    if previous.minutes_locked:
        return previous
    previous.minutes_status = MinutesStatus.ADOPTED
    # Adopted minutes recorded afterwards were adopted in the meeting that adopted them.
    previous.minutes_adopted_at = (
        meeting.starts_at if meeting.recorded_afterwards_reason else timezone.now()
    )
    _save(previous, actor, update_fields=["minutes_status", "minutes_adopted_at"])
    item = meeting.items.filter(kind=ItemKind.PREVIOUS_MINUTES).first()
    if item is not None:
        _save(
            Decision(
                item=item,
                kind=DecisionKind.GENERAL,
                recorded_by=actor,
                decided_at=meeting.starts_at,
                text=f"Het verslag van {_local_date(previous.starts_at):%d-%m-%Y} wordt "
                "vastgesteld.",
            ),
            actor,
        )
        item.status = ItemStatus.DISCUSSED
        _save(item, actor, update_fields=["status"])
    if previous.body.function == BodyFunction.ADVISORY:
        members = list(previous.body.members.all())
        for case_item in previous.items.filter(
            kind=ItemKind.CASE, case__isnull=False
        ).select_related("case"):
            case_services.case_revoke_agenda_readers(case=case_item.case, users=members)
    return previous


# --- Action list and forward agenda -----------------------------------------------------------


def _refuse_if_adopted(meeting: Meeting | None, what: str) -> None:
    if meeting is not None and meeting.minutes_locked:
        raise TransitionNotAllowed(
            f"Het verslag van {meeting} is vastgesteld: {what} verandert alleen nog met een "
            "nieuw besluit in een volgende vergadering."
        )


def _notify_owners(action: Action) -> None:
    link = reverse("meetings:action_detail", args=[action.pk])
    for owner in action.owners.filter(user__isnull=False).select_related("user"):
        notification_create(
            recipient=owner.user,
            kind="actie",
            obj=action,
            title=f"Actie uit {action.body.short_name}",  # e-mailed: no free text in the title
            body=action.subject,
            link=link,
            due_date=action.due_on if action.due_kind == PeriodKind.DATE else None,
        )


@transaction.atomic
def action_create(
    *,
    body: Body,
    actor: User,
    subject: str,
    action: str,
    owners: Iterable[OwnerData],
    due: Period | None = None,
    raised_in: Meeting | None = None,
    item: AgendaItem | None = None,
    raised_on: date | None = None,
    done_on: date | None = None,
) -> Action:
    """An action on the body's list; raised on the date of the meeting it came from."""
    owners = list(owners)
    if not owners:
        raise TransitionNotAllowed(
            "Eigenaar: een actie heeft een eigenaar (persoon, organisatie of groep)."
        )
    if item is not None:
        raised_in = item.meeting
    _refuse_if_adopted(raised_in, "de actielijst")
    raised_on = raised_on or (
        _local_date(raised_in.starts_at) if raised_in else timezone.localdate()
    )
    if done_on is not None and done_on < raised_on:
        raise TransitionNotAllowed("Afgerond op: een actie wordt niet afgerond vóór ze ontstond.")
    row = Action(
        body=body,
        subject=subject.strip(),
        action=action.strip(),
        due_kind=due.kind if due else "",
        due_on=due.on if due else None,
        raised_in=raised_in,
        item=item,
        raised_on=raised_on,
        done_on=done_on,
    )
    _save(row, actor)
    _owners_set(actor=actor, owners=owners, action=row)
    if done_on is None:
        _notify_owners(row)
    return row


@transaction.atomic
def action_update(
    *,
    action: Action,
    actor: User,
    subject: str,
    action_text: str,
    owners: Iterable[OwnerData],
    due: Period | None,
) -> Action:
    """A correction of the action list, until the minutes it came from are adopted."""
    # raised_in is nullable, so the join is an outer join: PostgreSQL refuses FOR UPDATE on its
    # nullable side. Lock the action row only.
    action = (
        Action.objects.select_for_update(of=("self",)).select_related("raised_in").get(pk=action.pk)
    )
    _refuse_if_adopted(action.raised_in, "deze actie")
    owners = list(owners)
    if not owners:
        raise TransitionNotAllowed(
            "Eigenaar: een actie heeft een eigenaar (persoon, organisatie of groep)."
        )
    action.subject, action.action = subject.strip(), action_text.strip()
    action.due_kind, action.due_on = (due.kind, due.on) if due else ("", None)
    _save(action, actor)
    _owners_set(actor=actor, owners=owners, action=action)
    return action


@transaction.atomic
def action_remove(*, action: Action, actor: User) -> None:
    action = (
        Action.objects.select_for_update(of=("self",)).select_related("raised_in").get(pk=action.pk)
    )
    _refuse_if_adopted(action.raised_in, "deze actie")
    from ipgar.notifications.services import notifications_close_for

    notifications_close_for(obj=action, kind="actie")
    action._history_user = actor
    action.delete()


@transaction.atomic
def action_mark_done(*, action: Action, actor: User, done_on: date | None = None) -> Action:
    """Done on any date from the day it was raised up to today (default today)."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise TransitionNotAllowed("Afgerond op: die datum ligt in de toekomst.")
    if done_on < action.raised_on:
        raise TransitionNotAllowed(
            f"Afgerond op: de actie ontstond op {action.raised_on:%d-%m-%Y}, daarvóór kan ze "
            "niet zijn afgerond."
        )
    if action.done_on is None:
        action.done_on = done_on
        _save(action, actor)
        from ipgar.notifications.services import notifications_close_for

        notifications_close_for(obj=action, kind="actie")
    return action


@transaction.atomic
def action_reopen(*, action: Action, actor: User) -> Action:
    """Undo 'afgerond': the action is open again and its owners see it again."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.done_on is not None:
        action.done_on = None
        _save(action, actor)
        from ipgar.notifications.models import Notification

        Notification.objects.filter(
            kind="actie", object_type=action._meta.label_lower, object_id=str(action.pk)
        ).delete()
        _notify_owners(action)
    return action


@transaction.atomic
def forward_item_create(
    *,
    body: Body,
    actor: User,
    title: str,
    when: Period,
    period: str = "",
    note: str = "",
    meeting: Meeting | None = None,
) -> ForwardItem:
    """An entry of the forward agenda: a date, a period or 'nog plannen'; `period` keeps the
    moment as written when it says more than one date ("16/2, 15/4 en 22/6")."""
    if not title.strip():
        raise TransitionNotAllowed("Onderwerp: een punt op de termijnagenda heeft een onderwerp.")
    if meeting is not None and meeting.body_id != body.pk:
        raise TransitionNotAllowed("Vergadering: kies een vergadering van dit overleg.")
    item = ForwardItem(
        body=body,
        title=title.strip(),
        kind=when.kind,
        planned_on=when.on,
        period=period.strip(),
        note=note,
        meeting=meeting,
    )
    _save(item, actor)
    return item


@transaction.atomic
def forward_item_update(
    *,
    item: ForwardItem,
    actor: User,
    title: str,
    when: Period,
    period: str = "",
    note: str = "",
    meeting: Meeting | None = None,
) -> ForwardItem:
    """A correction of the forward agenda, until the minutes of the meeting the entry belongs
    to are adopted (history keeps the old)."""
    item = _forward_item_unlocked(item)
    if not title.strip():
        raise TransitionNotAllowed("Onderwerp: een punt op de termijnagenda heeft een onderwerp.")
    if meeting is not None and meeting.body_id != item.body_id:
        raise TransitionNotAllowed("Vergadering: kies een vergadering van dit overleg.")
    if meeting is not None and meeting.pk != item.meeting_id:
        _refuse_if_adopted(meeting, "de termijnagenda van die vergadering")
    item.title, item.kind, item.planned_on = title.strip(), when.kind, when.on
    item.period, item.note, item.meeting = period.strip(), note, meeting
    _save(item, actor)
    return item


@transaction.atomic
def forward_item_remove(*, item: ForwardItem, actor: User) -> None:
    """Remove an entry entered by mistake, until the minutes of its meeting are adopted."""
    item = _forward_item_unlocked(item)
    item._history_user = actor
    item.delete()


def _forward_item_unlocked(item: ForwardItem) -> ForwardItem:
    # meeting is nullable (an outer join): lock the entry's row only, as for an action.
    item = (
        ForwardItem.objects.select_for_update(of=("self",))
        .select_related("meeting__body")
        .get(pk=item.pk)
    )
    _refuse_if_adopted(item.meeting, "dit punt van de termijnagenda")
    return item
