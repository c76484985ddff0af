"""Reads in meetings, always filtered by who is asking."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from cases import selectors as case_selectors
from cases.constants import PlanStatus, ProposalStatus
from cases.models import PlanVersion, Proposal
from intake.constants import ReportStatus
from intake.models import Report
from ipgar.accounts.constants import Role
from ipgar.accounts.models import User
from ipgar.audit.constants import AccessAction
from ipgar.audit.services import access_log_record
from ipgar.lib.search import SearchTerms
from meetings.constants import (
    READY_DAYS_BEFORE,
    BodyFunction,
    CaseItemKind,
    DecisionKind,
    ItemKind,
    ItemStatus,
    MeetingStatus,
    MinutesStatus,
)
from meetings.models import Action, AgendaItem, Attendance, Body, Decision, Meeting, Owner
from meetings.services import Placement, in_time_for
from meetings.slots import slots_for


def bodies_for_user(user: User) -> QuerySet[Body]:
    """Secretaries see every body; members see the bodies they sit on."""
    bodies = Body.objects.filter(is_active=True).select_related("secretary")
    if user.has_role(Role.SECRETARY):
        return bodies
    return bodies.filter(Q(members=user) | Q(secretary=user)).distinct()


def body_readers(user_ids) -> set[tuple[int, int]]:
    """(user id, body id) for every listed user and body they may open: bodies_for_user()'s
    rule for many users at once, in three queries (the reminders link an action only then)."""
    user_ids = set(user_ids)
    secretaries = set(
        User.objects.filter(pk__in=user_ids, groups__name=Role.SECRETARY).values_list(
            "pk", flat=True
        )
    )
    bodies = list(Body.objects.filter(is_active=True).values_list("pk", "secretary_id"))
    pairs = {(u, b) for u in secretaries for b, _ in bodies}
    pairs |= {(s, b) for b, s in bodies if s in user_ids}
    active = {b for b, _ in bodies}
    pairs |= {
        (u, b)
        for u, b in Body.members.through.objects.filter(
            user_id__in=user_ids, body_id__in=active
        ).values_list("user_id", "body_id")
    }
    return pairs


def is_secretary(user: User, body: Body) -> bool:
    return user.has_role(Role.SECRETARY) or body.secretary_id == user.pk


def get_body_for_user(user: User, pk: object) -> Body:
    try:
        return bodies_for_user(user).get(pk=pk)
    except (Body.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_open_body(user: User, body: Body) -> bool:
    return bodies_for_user(user).filter(pk=body.pk).exists()


def _actions_for_user(user: User) -> QuerySet[Action]:
    """Actions of the bodies the user sits on, and every action the user owns in person, also
    of a body they are no member of (the coordinator owning an action of the PTO-R)."""
    owned = Owner.objects.filter(action=OuterRef("pk"), user=user)
    return Action.objects.filter(Q(body__in=bodies_for_user(user)) | Q(Exists(owned)))


def get_action_for_user(user: User, pk: object) -> Action:
    try:
        return (
            _actions_for_user(user)
            .select_related("body", "raised_in__body", "item__meeting__body")
            .prefetch_related("owners__user", "owners__organisation")
            .get(pk=pk)
        )
    except (Action.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_close_action(user: User, action: Action) -> bool:
    """The secretary, and each person who owns the action."""
    return is_secretary(user, action.body) or any(
        owner.user_id == user.pk for owner in action.owners.all()
    )


def action_meetings(body: Body) -> QuerySet[Meeting]:
    """The meetings an action can be raised in: begun, not cancelled, minutes not yet adopted
    (action_create refuses adopted ones), latest first."""
    return (
        body.meetings.filter(starts_at__lte=timezone.now(), minutes_status=MinutesStatus.CONCEPT)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("body")
        .order_by("-starts_at")
    )


def can_raise_actions_in(meeting: Meeting) -> bool:
    """action_meetings()' rule for one meeting."""
    return (
        meeting.starts_at <= timezone.now()
        and meeting.minutes_status == MinutesStatus.CONCEPT
        and not meeting.is_cancelled
    )


def action_items(meetings: QuerySet[Meeting], user: User) -> QuerySet[AgendaItem]:
    """The agenda items of those meetings an action can come from: closed-session items only
    for their attendees (as visible_items)."""
    attends = AgendaItem.closed_attendees.through.objects.filter(
        agendaitem=OuterRef("pk"), user=user
    )
    return (
        AgendaItem.objects.filter(meeting__in=meetings)
        .filter(Q(is_closed_session=False) | Q(Exists(attends)))
        .select_related("meeting__body")
        .order_by("-meeting__starts_at", "order", "pk")
    )


def item_visible_to(user: User, item: AgendaItem) -> bool:
    """A closed-session item exists only for its attendees (visible_items' rule, one item)."""
    return not item.is_closed_session or item.closed_attendees.filter(pk=user.pk).exists()


def my_open_actions(user: User) -> list[Action]:
    """The open actions a person owns, for Mijn werk: named, due first, 'z.s.m.' on top."""
    from meetings.periods import period_sort_key

    actions = list(
        Action.objects.filter(done_on__isnull=True, owners__user=user)
        .select_related("body")
        .distinct()
    )
    return sorted(actions, key=lambda a: (period_sort_key(a.due_kind, a.due_on), a.pk))


def attendance_initial(meeting: Meeting) -> list[Attendance]:
    """The attendance as recorded; before anything is recorded, the body's standing members
    prefilled per organisation (present), for the secretary to adjust."""
    recorded = list(meeting.attendance.select_related("organisation"))
    if recorded:
        return recorded
    body = meeting.body
    rows = [
        Attendance(
            meeting=meeting,
            user=member,
            organisation=member.organisation,
            name=member.get_full_name(),
            status="aanwezig",
        )
        for member in body.members.select_related("organisation").order_by(
            "organisation__name", "last_name"
        )
    ]
    seen = {row.organisation_id for row in rows}
    rows += [
        Attendance(meeting=meeting, organisation=org, status="aanwezig")
        for org in body.member_organisations.all()
        if org.pk not in seen
    ]
    return rows


def get_meeting_for_user(user: User, pk: object) -> Meeting:
    try:
        return Meeting.objects.select_related("body").get(pk=pk, body__in=bodies_for_user(user))
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def visible_items(meeting: Meeting, user: User) -> QuerySet[AgendaItem]:
    """Closed-session items exist only for their attendees."""
    # EXISTS, not a join on the attendees plus DISTINCT over sixty wide rows (issue 10).
    attends = AgendaItem.closed_attendees.through.objects.filter(
        agendaitem=OuterRef("pk"), user=user
    )
    return (
        meeting.items.filter(Q(is_closed_session=False) | Q(Exists(attends)))
        .select_related(
            "owner_organisation",
            "case__regisseur",
            "case__subject",
            "report__advice",
            "plan",
            "proposal",
            "carried_from__meeting",
            "section",
        )
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("organisation", "regisseur").order_by(
                    "pk"
                ),
            ),
            Prefetch("owners", queryset=Owner.objects.select_related("user", "organisation")),
            "report__persons",
        )
        .order_by("order", "pk")
    )


def agenda_for_user(meeting: Meeting, user: User) -> dict:
    """The items the user may see, each with its published number (counted over the whole
    agenda, closed items included, so every reader sees the same numbers), its section and
    time slot; `handled` lists them in the order the meeting handled them."""
    items = list(visible_items(meeting, user))
    every = list(
        meeting.items.order_by("order", "pk").only(
            "pk", "kind", "slot_minutes", "order", "meeting_id"
        )
    )
    number = {item.pk: position for position, item in enumerate(every, start=1)}
    slot_rows = slots_for(meeting, [i for i in every if i.kind == ItemKind.CASE])
    slot_by_item = {row["item"].pk: row for row in slot_rows}
    over = bool(slot_rows) and slot_rows[-1]["end"] > meeting.ends_at
    readable = readable_document_items(meeting, user)
    rows = [
        {
            "item": i,
            "slot": slot_by_item.get(i.pk),
            "number": number[i.pk],
            "documents": i.pk in readable,
        }
        for i in items
    ]
    previous_section = object()
    for row in rows:
        row["new_section"] = (
            row["item"].section if row["item"].section_id != previous_section else None
        )
        previous_section = row["item"].section_id
    movable = [r for r in rows if r["item"].kind not in _FIXED]
    for position, row in enumerate(movable, start=1):
        row["position"] = position
        row["first"], row["last"] = position == 1, position == len(movable)
    return {
        "items": rows,
        "handled": handling_order(rows),
        "out_of_order": any(r["item"].handled_position for r in rows),
        "movable_count": len(movable),
        "slots_overrun": over,
    }


_FIXED = (ItemKind.OPENING, ItemKind.PREVIOUS_MINUTES, ItemKind.AOB, ItemKind.CLOSING)


def handling_order(rows: list[dict]) -> list[dict]:
    """Items with 'behandeld als N' take place N; the others keep their agenda order in the
    places left ("punt 9 behandeld als 1e": 9, 1, 2, ...)."""
    slots: list[dict | None] = [None] * len(rows)
    rest = []
    for row in rows:
        wanted = row["item"].handled_position
        if wanted and wanted <= len(rows) and slots[wanted - 1] is None:
            slots[wanted - 1] = row
        else:
            rest.append(row)
    queue = iter(rest)
    return [slot if slot is not None else next(queue) for slot in slots]


# --- The secretary's queue ---------------------------------------------------------------------


@dataclass(frozen=True)
class QueueEntry:
    placement: Placement
    suggested: Meeting | None

    @property
    def ready_on(self) -> date:
        return self.placement.ready_on


def _on_open_agenda(field: str) -> QuerySet:
    # Only items that hold the object: `NOT IN` over a subquery with NULLs (every standard
    # item has no report, plan or proposal) matches no row at all and empties the queue.
    return AgendaItem.objects.filter(
        status=ItemStatus.OPEN, meeting__status=MeetingStatus.PLANNED, **{f"{field}__isnull": False}
    ).values(field)


def queue_for(body: Body, *, limit: int | None = None) -> list[QueueEntry]:
    """What intake and cases marked ready and is not yet on an agenda of this body, soonest
    ready first. With `limit`, at most that many (each source is cut in SQL by its ready
    date, so a queue of thousands costs what a page costs)."""

    def first(queryset: QuerySet, ready_field: str) -> QuerySet:
        queryset = queryset.order_by(ready_field, "pk")
        return queryset[:limit] if limit is not None else queryset

    placements: list[Placement] = []
    if body.function == BodyFunction.DECISION:
        for report in first(
            Report.objects.filter(status=ReportStatus.READY_FOR_DECISION)
            .exclude(pk__in=_on_open_agenda("report"))
            .select_related("advice")
            .prefetch_related("persons"),  # decision_gaps: what is missing
            "ready_at",
        ):
            placements.append(Placement(CaseItemKind.ADMISSION, report=report))
        for plan in first(
            PlanVersion.objects.filter(status=PlanStatus.ADVISED, final_at__isnull=False)
            .exclude(pk__in=_on_open_agenda("plan"))
            .select_related("case"),
            "final_at",
        ):
            placements.append(Placement(CaseItemKind.PLAN_ADOPTION, plan=plan, case=plan.case))
        advised = Decision.objects.filter(
            kind=DecisionKind.ADVICE, item__proposal__isnull=False
        ).values("item__proposal")
        for proposal in first(
            Proposal.objects.filter(status=ProposalStatus.SUBMITTED, pk__in=advised)
            .exclude(
                pk__in=AgendaItem.objects.filter(
                    meeting__body__function=BodyFunction.DECISION, proposal__isnull=False
                ).values("proposal")
            )
            .select_related("case"),
            "created_at",
        ):
            placements.append(
                Placement(_proposal_kind(proposal), proposal=proposal, case=proposal.case)
            )
    elif body.function == BodyFunction.ADVISORY:
        for plan in first(
            PlanVersion.objects.filter(status=PlanStatus.SUBMITTED)
            .exclude(pk__in=_on_open_agenda("plan"))
            .select_related("case"),
            "submitted_at",
        ):
            placements.append(Placement(CaseItemKind.PLAN_ADVICE, plan=plan, case=plan.case))
        for proposal in first(
            Proposal.objects.filter(status=ProposalStatus.SUBMITTED)
            .exclude(pk__in=AgendaItem.objects.filter(proposal__isnull=False).values("proposal"))
            .select_related("case"),
            "created_at",
        ):
            placements.append(
                Placement(_proposal_kind(proposal), proposal=proposal, case=proposal.case)
            )
    suggested = _first_meetings_for(body, {p.ready_on for p in placements})
    entries = [QueueEntry(p, suggested[p.ready_on]) for p in placements]
    entries.sort(key=lambda e: e.ready_on)
    return entries[:limit] if limit is not None else entries


def _first_meetings_for(body: Body, ready_dates: set[date]) -> dict[date, Meeting | None]:
    """first_meeting_for() for every ready date at once: one query, not one per queue entry."""
    if not ready_dates:
        return {}
    planned = list(
        body.meetings.filter(
            status=MeetingStatus.PLANNED,
            starts_at__date__gte=min(ready_dates) + timedelta(days=READY_DAYS_BEFORE),
            starts_at__gte=timezone.now(),  # a past meeting is never the next chance
        ).order_by("starts_at")
    )
    return {
        day: next((meeting for meeting in planned if in_time_for(meeting, day)), None)
        for day in ready_dates
    }


def _proposal_kind(proposal: Proposal) -> str:
    return CaseItemKind.CLOSURE if proposal.kind == "afsluiting" else CaseItemKind.PHASE_DOWN


def placement_from_request(body: Body, kind: str, object_id: str) -> Placement:
    """Rebuild a queue entry the secretary picked; 404 when it is no longer in the queue."""
    for entry in queue_for(body):
        placement = entry.placement
        target = placement.report or placement.plan or placement.proposal
        if placement.case_kind == kind and str(target.pk) == str(object_id):
            return placement
    raise Http404


def upcoming_meetings(body: Body, *, limit: int = 8) -> list[Meeting]:
    return list(body.meetings.filter(starts_at__gte=timezone.now()).order_by("starts_at")[:limit])


def past_meetings(body: Body, *, limit: int = 8) -> list[Meeting]:
    return list(body.meetings.filter(starts_at__lt=timezone.now()).order_by("-starts_at")[:limit])


def my_agenda_items(user: User) -> list[dict]:
    """A regisseur's own case items on upcoming agendas, with their time slot."""
    items = list(
        AgendaItem.objects.filter(
            kind=ItemKind.CASE,
            case__regisseur=user,
            meeting__status=MeetingStatus.PLANNED,
            meeting__starts_at__gte=timezone.now() - timedelta(hours=12),
        )
        .select_related("meeting__body", "case__subject")
        .order_by("meeting__starts_at")
    )
    # The slots of all those meetings from one query, not one query per item.
    meetings = {item.meeting_id: item.meeting for item in items}
    case_items: dict[int, list[AgendaItem]] = {pk: [] for pk in meetings}
    for other in AgendaItem.objects.filter(
        meeting_id__in=list(meetings), kind=ItemKind.CASE
    ).order_by("order", "pk"):
        case_items[other.meeting_id].append(other)
    slots = {
        row["item"].pk: row
        for pk, meeting in meetings.items()
        for row in slots_for(meeting, case_items[pk])
    }
    return [{"item": item, "slot": slots.get(item.pk)} for item in items]


def in_time_label(meeting: Meeting, ready_on: date) -> str:
    return "op tijd" if in_time_for(meeting, ready_on) else "te laat"


def open_actions(body: Body) -> QuerySet[Action]:
    # Open actions (no done_on) first on every database: PostgreSQL sorts NULLs last.
    return (
        body.actions.select_related("raised_in", "item")
        .prefetch_related(
            Prefetch("owners", queryset=Owner.objects.select_related("user", "organisation"))
        )
        .order_by(F("done_on").asc(nulls_first=True), F("due_on").asc(nulls_last=True), "pk")
    )


# --- The search box -------------------------------------------------------------------------


def meeting_search(user: User, terms: SearchTerms, *, limit: int) -> list[Meeting]:
    """Meetings of the bodies the user may see (as the meetings pages), found by the body's name,
    the meeting's date, or a case or report number on an agenda item the user may see (closed
    session items only for their attendees)."""
    if terms.on_date:
        criteria = Q(starts_at__date=terms.on_date)
    elif terms.reference_kind:
        field = "items__case_id" if terms.reference_kind == "C" else "items__report_id"
        visible_item = Q(items__is_closed_session=False) | Q(items__closed_attendees=user)
        # The title names the number with its year (C2026-00012): the same item, not another.
        same_number = Q(**{field: terms.reference_pk}) & Q(items__title__icontains=terms.reference)
        criteria = same_number & visible_item
    elif terms.name:
        criteria = Q(body__name__icontains=terms.text) | Q(body__short_name__icontains=terms.text)
    else:
        return []
    return list(
        Meeting.objects.filter(body__in=bodies_for_user(user))
        .filter(criteria)
        .select_related("body")
        .distinct()
        .order_by("-starts_at", "pk")[: limit + 1]
    )


# --- Minutes and the forward agenda ---------------------------------------------------------


def forward_agenda(body: Body, *, today: date | None = None) -> list:
    """The forward agenda in time order ('nog plannen' last), past entries marked."""
    from meetings.periods import period_sort_key

    today = today or timezone.localdate()
    entries = list(body.forward_items.select_related("meeting__body"))
    for entry in entries:
        entry.is_past = entry.planned_on is not None and entry.planned_on < today
    return sorted(entries, key=lambda e: (period_sort_key(e.kind, e.planned_on), e.pk))


def action_list(body: Body) -> list[Action]:
    """Open actions first, each by its due date or period ('z.s.m.' first); then done ones."""
    from meetings.periods import period_sort_key

    return sorted(
        open_actions(body),
        key=lambda a: (a.done_on is not None, period_sort_key(a.due_kind, a.due_on), a.pk),
    )


def minutes_for_user(meeting: Meeting, user: User) -> dict:
    """Everything the minutes PDF prints: attendance grouped by status, the agenda in both
    numberings, what carried-over items were carried with, and the action list and forward
    agenda as annexes."""
    from meetings.constants import ATTENDANCE_ORDER, AttendanceStatus

    agenda = agenda_for_user(meeting, user)
    # By the organisation as printed: the model's ordering puts an organisation outside the
    # application (organisation NULL) first on SQLite but last on PostgreSQL.
    attendance = sorted(
        meeting.attendance.select_related("organisation"),
        key=lambda a: (a.organisation_label.casefold(), a.name.casefold(), a.pk),
    )
    groups = [
        {
            "label": AttendanceStatus(status).label,
            "rows": [a for a in attendance if a.status == status],
        }
        for status in ATTENDANCE_ORDER
    ]
    notes = dict(
        AgendaItem.objects.filter(
            carried_from__in=[row["item"].pk for row in agenda["items"]]
        ).values_list("carried_from_id", "carry_note")
    )
    for row in agenda["items"]:
        row["item"].carried_to_note = notes.get(row["item"].pk, "")
    return {
        **agenda,
        "attendance_groups": [g for g in groups if g["rows"]],
        "open_actions": [a for a in action_list(meeting.body) if a.done_on is None],
        "forward": forward_agenda(meeting.body),
    }


# --- Meeting documents (vergaderstukken) -------------------------------------------------------


def documents_open(meeting: Meeting) -> bool:
    """Documents are read from the agenda's distribution until the minutes are adopted."""
    return (
        meeting.agenda_sent_at is not None
        and meeting.minutes_status != MinutesStatus.ADOPTED
        and not meeting.is_cancelled
    )


def can_read_documents(user: User, item: AgendaItem) -> bool:
    """Need-to-know: the meeting's members (a closed-session item: its attendees) and the
    regisseur of the item's own case, only while the documents are open. The secretary
    schedules the items but reads no case content (DOMAIN.md section 5)."""
    if not item.is_case_item or not documents_open(item.meeting):
        return False
    if item.case_id is not None and item.case.regisseur_id == user.pk:
        return True
    if item.is_closed_session:
        return item.closed_attendees.filter(pk=user.pk).exists()
    return item.meeting.body.members.filter(pk=user.pk).exists()


def readable_document_items(meeting: Meeting, user: User) -> set[int]:
    """The agenda items whose documents `user` may open, in two queries for the whole agenda
    (the agenda links to them with the same rule as can_read_documents)."""
    if not documents_open(meeting):
        return set()
    is_member = meeting.body.members.filter(pk=user.pk).exists()
    items = meeting.items.filter(kind=ItemKind.CASE)
    attends = AgendaItem.closed_attendees.through.objects.filter(
        agendaitem=OuterRef("pk"), user=user
    )
    own = Q(case__regisseur=user)
    member = (Q(is_closed_session=False) | Q(Exists(attends))) if is_member else Q(Exists(attends))
    return set(items.filter(own | member).values_list("pk", flat=True))


def documents_for_user(request: HttpRequest, user: User, item_pk: object) -> dict:
    """The documents of one agenda item, read-only; 404 when the reader has no right to them
    (not an attendee, before distribution, after the minutes were adopted, not an item of
    this meeting). The read is written to the access log here, before anything is served."""
    try:
        item = AgendaItem.objects.select_related(
            "meeting__body",
            "report__assessment",
            "report__advice__best_cards",
            "case__subject",
            "case__base_file",
            "case__regisseur",
            "plan",
            "proposal__handover_organisation",
        ).get(pk=item_pk, kind=ItemKind.CASE)
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_read_documents(user, item):
        raise Http404
    report, case = item.report, item.case
    access_log_record(
        request=request,
        actor=user,
        action=AccessAction.VIEW,
        obj=case or report,
        object_type="" if case else "intake.report",
        subject_ref=f"subject:{case.subject_id}" if case else f"report:{report.pk}",
        description=f"vergaderstukken {item.meeting}: {item.title}",
    )
    documents: dict = {"item": item, "meeting": item.meeting}
    if report is not None and case is None:
        documents.update(
            advice=getattr(report, "advice", None),
            assessment=getattr(report, "assessment", None),
            persons=list(report.persons.order_by("pk")),
        )
    if case is not None:
        documents.update(base_file=getattr(case, "base_file", None))
    if item.plan is not None:
        snapshot = item.plan.snapshot or {}
        documents.update(
            plan=item.plan,
            goals=snapshot.get("goals", []),
            interventions=snapshot.get("interventions", []),
        )
    if item.proposal is not None:
        documents.update(proposal=item.proposal)
    return documents


# --- Choosing the regisseur at admission ---------------------------------------------------------


def open_case_items_per_regisseur() -> dict[int, int]:
    """{regisseur pk: open case items on planned agendas}, for `cases.selectors.regisseur_choices`
    (registered in apps.py)."""
    return dict(
        AgendaItem.objects.filter(
            kind=ItemKind.CASE,
            status=ItemStatus.OPEN,
            meeting__status=MeetingStatus.PLANNED,
            case__regisseur__isnull=False,
        )
        .values_list("case__regisseur")
        .annotate(n=Count("pk"))
        .values_list("case__regisseur", "n")
    )


# The one definition lives with the cases (the reassignment uses it too).
regisseur_choices = case_selectors.regisseur_choices
