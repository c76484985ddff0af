from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import services as case_services
from cases.exceptions import TransitionNotAllowed
from cases.permissions import cases_visible_to
from ipgar.accounts.models import Organisation
from ipgar.audit.constants import AccessAction
from ipgar.audit.services import access_log_record
from ipgar.core.apps import EMPTY_CHOICE
from ipgar.lib.locking import EditConflict, conflict_for
from ipgar.lib.pdf import pdf_response, render_pdf
from meetings import calendar, selectors, services
from meetings.constants import DECISIONS_FOR_ITEM, DecisionKind, ItemKind, ItemStatus
from meetings.forms import (
    ActionDoneForm,
    ActionEditForm,
    ActionForm,
    AgendaItemForm,
    AgendaItemMoveForm,
    AttendanceFormSet,
    DecisionCorrectForm,
    DecisionForm,
    ExtraMeetingForm,
    ForwardItemEditForm,
    ForwardItemForm,
    ItemMinutesForm,
    PastMeetingForm,
    RescheduleForm,
    SectionForm,
)
from meetings.models import AgendaItem, Decision, ForwardItem, Meeting

QUEUE_SHOWN = 25


def _log(request: HttpRequest, meeting: Meeting, action=AccessAction.VIEW, description=""):
    access_log_record(
        request=request,
        actor=request.user,
        action=action,
        obj=meeting,
        description=description or str(meeting),
    )


def _require_secretary(request: HttpRequest, body) -> None:
    if not selectors.is_secretary(request.user, body):
        raise PermissionDenied


def _to_meeting(meeting: Meeting, anchor: str = ""):
    response = redirect("meetings:meeting_detail", pk=meeting.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


# --- Bodies ------------------------------------------------------------------------------------


@login_required
def body_list(request: HttpRequest) -> HttpResponse:
    bodies = list(
        selectors.bodies_for_user(request.user).prefetch_related(
            Prefetch("member_organisations", queryset=Organisation.objects.only("code", "name"))
        )
    )
    now = timezone.now()
    rows = [{"body": body, "next_start": body.next_start(now)} for body in bodies]
    return render(
        request,
        "meetings/body_list.html",
        {"rows": rows, "my_items": selectors.my_agenda_items(request.user)},
    )


@login_required
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.get_body_for_user(request.user, pk)
    secretary = selectors.is_secretary(request.user, body)
    forward = selectors.forward_agenda(body)
    if secretary:
        _forward_edit_forms(body, forward)
    return render(
        request,
        "meetings/body_detail.html",
        {
            "body": body,
            "upcoming": selectors.upcoming_meetings(body),
            "past": selectors.past_meetings(body),
            "actions": selectors.action_list(body),
            "forward": forward,
            "is_secretary": secretary,
            "action_form": _action_form(request, body) if secretary else None,
            "forward_form": ForwardItemForm(body=body) if secretary else None,
            "extra_form": ExtraMeetingForm() if secretary else None,
        },
    )


def _forward_edit_forms(body, entries: list[ForwardItem]) -> None:
    """A correction form on each entry whose meeting's minutes are not adopted. The meetings
    to choose from are read once for all of them (not once per form)."""
    upcoming = list(
        body.meetings.filter(starts_at__gte=timezone.now())
        .select_related("body")
        .order_by("starts_at")
    )
    for entry in entries:
        entry.edit_form = None
        if entry.meeting is not None and entry.meeting.minutes_locked:
            continue
        form = ForwardItemEditForm(
            initial=ForwardItemEditForm.initial_for(entry), auto_id=f"id_termijn{entry.pk}_%s"
        )
        field = form.fields["meeting"]
        meetings = upcoming
        if entry.meeting is not None and entry.meeting not in upcoming:
            meetings = [entry.meeting, *upcoming]
        field.choices = [("", field.empty_label), *((m.pk, str(m)) for m in meetings)]
        entry.edit_form = form


def _action_form(request: HttpRequest, body, data=None, *, meeting: Meeting | None = None):
    """The form for a new action: the meetings it can come from, and their agenda items (on a
    meeting's own page only that meeting's), the page's meeting and its date chosen."""
    meetings = selectors.action_meetings(body)
    items = selectors.action_items(
        meetings.filter(pk=meeting.pk) if meeting is not None else meetings, request.user
    )
    initial = {}
    if meeting is not None:
        initial = {"raised_in": meeting.pk, "raised_on": _local_date(meeting)}
    return ActionForm(data, meetings=meetings, items=items, initial=initial)


def _local_date(meeting: Meeting):
    return timezone.localtime(meeting.starts_at).date()


@login_required
@require_POST
def meetings_generate(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.get_body_for_user(request.user, pk)
    _require_secretary(request, body)
    created = services.meetings_generate(body=body, actor=request.user)
    messages.success(request, f"{created} vergaderingen volgens de cyclus aangemaakt.")
    return redirect("meetings:body_detail", pk=body.pk)


@login_required
@require_POST
def meeting_create_extra(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.get_body_for_user(request.user, pk)
    _require_secretary(request, body)
    form = ExtraMeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.meeting_create_extra(
                body=body, actor=request.user, **form.cleaned_data
            )
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Extra vergadering aangemaakt.")
            return _to_meeting(meeting)
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "title": f"Extra vergadering {body.short_name}",
            "back": reverse("meetings:body_detail", args=[body.pk]),
        },
    )


@login_required
def meeting_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _require_secretary(request, meeting.body)
    form = RescheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_reschedule(meeting=meeting, actor=request.user, **form.cleaned_data)
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Vergadering bijgewerkt.")
            return _to_meeting(meeting)
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "title": f"{meeting} verplaatsen of laten vervallen",
            "back": reverse("meetings:meeting_detail", args=[meeting.pk]),
        },
    )


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A new action from the body's page: the meeting it came from is the secretary's choice."""
    body = selectors.get_body_for_user(request.user, pk)
    _require_secretary(request, body)
    form = _action_form(request, body, request.POST)
    if _action_create(request, body, form):
        return redirect(reverse("meetings:body_detail", args=[body.pk]) + "#acties")
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "title": "Actie toevoegen",
            "action": reverse("meetings:action_add", args=[body.pk]),
            "back": reverse("meetings:body_detail", args=[body.pk]),
        },
    )


@login_required
def meeting_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A new action from a meeting's page: raised in this meeting on its date, unless the
    secretary chooses another meeting, an agenda item or another date."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    body = meeting.body
    _require_secretary(request, body)
    if not selectors.can_raise_actions_in(meeting):
        messages.error(
            request,
            "Acties komen uit een vergadering die is begonnen, niet vervallen is en waarvan "
            "het verslag nog niet is vastgesteld.",
        )
        return _to_meeting(meeting)
    form = _action_form(
        request, body, request.POST if request.method == "POST" else None, meeting=meeting
    )
    if request.method == "POST" and _action_create(request, body, form):
        return _to_meeting(meeting, "acties")
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "title": f"Actie uit {meeting}",
            "back": reverse("meetings:meeting_detail", args=[meeting.pk]),
        },
    )


def _action_create(request: HttpRequest, body, form: ActionForm) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        services.action_create(
            body=body,
            actor=request.user,
            subject=data["subject"],
            action=data["action"],
            owners=form.owners(),
            due=data["due"],
            raised_in=data["raised_in"],
            item=data["item"],
            raised_on=data["raised_on"],
        )
    except TransitionNotAllowed as error:
        form.add_error(None, error.message)
        return False
    messages.success(request, "Actie toegevoegd aan de actielijst.")
    return True


@login_required
def action_detail(request: HttpRequest, action_pk: int) -> HttpResponse:
    """An action, for its owners (also outside the body), its body's members and secretary."""
    action = selectors.get_action_for_user(request.user, action_pk)
    return render(
        request, "meetings/action_detail.html", _action_context(request, action, edit_form=None)
    )


def _action_context(request: HttpRequest, action, *, edit_form=None, done_form=None) -> dict:
    can_correct = _can_correct(request, action)
    return {
        "action": action,
        "can_close": selectors.can_close_action(request.user, action),
        "can_open_body": selectors.can_open_body(request.user, action.body),
        # Where it came from, named and linked only where the reader may open it.
        "item_visible": action.item is not None
        and selectors.item_visible_to(request.user, action.item),
        # A correction until the minutes it came from are adopted.
        "can_remove": can_correct,
        "edit_form": (edit_form or ActionEditForm(initial=ActionEditForm.initial_for(action)))
        if can_correct
        else None,
        "done_form": done_form or ActionDoneForm(initial={"done_on": timezone.localdate()}),
    }


def _can_correct(request: HttpRequest, action) -> bool:
    return selectors.is_secretary(request.user, action.body) and not (
        action.raised_in and action.raised_in.minutes_locked
    )


@login_required
@require_POST
def action_update(request: HttpRequest, action_pk: int) -> HttpResponse:
    """The secretary corrects an action until the minutes it came from are adopted."""
    action = selectors.get_action_for_user(request.user, action_pk)
    _require_secretary(request, action.body)
    form = ActionEditForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.action_update(
                action=action,
                actor=request.user,
                subject=data["subject"],
                action_text=data["action"],
                owners=form.owners(),
                due=data["due"],
            )
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Actie ‘{data['subject'].strip()}’ gecorrigeerd.")
            return redirect("meetings:action_detail", action_pk=action.pk)
    context = _action_context(request, action, edit_form=form)
    context["edit_form"] = form  # also when refused after adoption: the typed text stays
    return render(request, "meetings/action_detail.html", context, status=400)


@login_required
@require_POST
def action_done(request: HttpRequest, action_pk: int) -> HttpResponse:
    """'Afgehandeld' closes the action itself (on any date, confirmed), not only a reminder."""
    action = selectors.get_action_for_user(request.user, action_pk)
    if not selectors.can_close_action(request.user, action):
        raise PermissionDenied
    form = ActionDoneForm(request.POST)
    if form.is_valid():
        try:
            services.action_mark_done(
                action=action, actor=request.user, done_on=form.cleaned_data["done_on"]
            )
        except TransitionNotAllowed as error:
            form.add_error("done_on", error.message)
        else:
            messages.success(request, f"Actie ‘{action.subject}’ is afgerond.")
            return redirect("meetings:action_detail", action_pk=action.pk)
    return render(
        request,
        "meetings/action_detail.html",
        _action_context(request, action, done_form=form),
        status=400,
    )


@login_required
@require_POST
def action_reopen(request: HttpRequest, action_pk: int) -> HttpResponse:
    action = selectors.get_action_for_user(request.user, action_pk)
    if not selectors.can_close_action(request.user, action):
        raise PermissionDenied
    services.action_reopen(action=action, actor=request.user)
    messages.success(request, f"Actie ‘{action.subject}’ staat weer open.")
    return redirect("meetings:action_detail", action_pk=action.pk)


@login_required
@require_POST
def action_remove(request: HttpRequest, action_pk: int) -> HttpResponse:
    action = selectors.get_action_for_user(request.user, action_pk)
    _require_secretary(request, action.body)
    try:
        services.action_remove(action=action, actor=request.user)
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
        return redirect("meetings:action_detail", action_pk=action.pk)
    messages.success(request, "Actie verwijderd; de historie bewaart haar.")
    return redirect(reverse("meetings:body_detail", args=[action.body_id]) + "#acties")


@login_required
@require_POST
def forward_add(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.get_body_for_user(request.user, pk)
    _require_secretary(request, body)
    form = ForwardItemForm(request.POST, body=body)
    if form.is_valid():
        services.forward_item_create(body=body, actor=request.user, **form.cleaned_data)
        messages.success(request, "Toegevoegd aan de termijnagenda.")
        return redirect(reverse("meetings:body_detail", args=[body.pk]) + "#termijnagenda")
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "title": "Termijnagenda",
            "back": reverse("meetings:body_detail", args=[body.pk]),
        },
    )


def _forward_entry(request: HttpRequest, pk: int) -> ForwardItem:
    """The entry named by `punt` of the body's forward agenda, for its secretary."""
    body = selectors.get_body_for_user(request.user, pk)
    _require_secretary(request, body)
    entry = request.POST.get("punt", "")
    if not entry.isdigit():
        raise Http404
    return get_object_or_404(
        ForwardItem.objects.select_related("body", "meeting"), pk=entry, body=body
    )


def _to_forward(body_pk: int):
    return redirect(reverse("meetings:body_detail", args=[body_pk]) + "#termijnagenda")


@login_required
@require_POST
def forward_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an entry of the forward agenda, until the minutes of its meeting are adopted."""
    entry = _forward_entry(request, pk)
    form = ForwardItemEditForm(request.POST, body=entry.body, current=entry.meeting)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "punt"}
        try:
            services.forward_item_update(item=entry, actor=request.user, **data)
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Termijnagenda gecorrigeerd.")
            return _to_forward(entry.body_id)
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "title": f"Termijnagenda: ‘{entry.title}’ corrigeren",
            "action": reverse("meetings:forward_update", args=[entry.body_id]),
            "back": reverse("meetings:body_detail", args=[entry.body_id]) + "#termijnagenda",
        },
        status=400,
    )


@login_required
@require_POST
def forward_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _forward_entry(request, pk)
    try:
        services.forward_item_remove(item=entry, actor=request.user)
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"‘{entry.title}’ van de termijnagenda gehaald; de historie bewaart het."
        )
    return _to_forward(entry.body_id)


# --- The agenda --------------------------------------------------------------------------------


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    secretary = selectors.is_secretary(request.user, meeting.body)
    _log(request, meeting, description=f"agenda {meeting}")
    context = {
        "meeting": meeting,
        "is_secretary": secretary,
        # agenda_distribute refuses a meeting that has begun: offer no button it would refuse.
        "can_distribute": meeting.starts_at >= timezone.now(),
        **selectors.agenda_for_user(meeting, request.user),
    }
    context["has_documents"] = any(row["documents"] for row in context["items"])
    if secretary:
        # The first entries of the queue, soonest ready first; one more tells whether there
        # are others (at national scale the queue runs into the thousands: issue 10).
        queue = selectors.queue_for(meeting.body, limit=QUEUE_SHOWN + 1)
        context.update(
            {
                "queue": [
                    {"entry": e, "in_time": services.in_time_for(meeting, e.ready_on)}
                    for e in queue[:QUEUE_SHOWN]
                ],
                "queue_more": len(queue) > QUEUE_SHOWN,
                # A past meeting offers no "Op deze agenda" (agenda_place refuses it).
                "can_place": meeting.starts_at >= timezone.now() and not meeting.minutes_locked,
                "item_form": AgendaItemForm(meeting=meeting),
                # The actions raised in this meeting, and a new one while it may have them.
                "meeting_actions": list(meeting.actions.order_by("pk").only("pk", "subject")),
                "can_add_action": selectors.can_raise_actions_in(meeting),
                "other_meetings": selectors.upcoming_meetings(meeting.body),
                "movable_cases": [
                    row["item"]
                    for row in context["items"]
                    if row["item"].kind == ItemKind.CASE and row["item"].status == ItemStatus.OPEN
                ],
            }
        )
    if request.htmx and request.htmx.target == "agenda":
        return render(request, "meetings/_agenda.html", context)
    return render(request, "meetings/meeting_detail.html", context)


@login_required
@require_POST
def agenda_place(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _require_secretary(request, meeting.body)
    placement = selectors.placement_from_request(
        meeting.body, request.POST.get("kind", ""), request.POST.get("object", "")
    )
    try:
        services.agenda_place(meeting=meeting, actor=request.user, placement=placement)
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Geagendeerd: {placement.title}.")
    return _to_meeting(meeting, "agenda")


@login_required
@require_POST
def agenda_item_shift(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _require_secretary(request, meeting.body)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    try:
        services.agenda_item_shift(
            item=item, actor=request.user, up=request.POST.get("richting") != "omlaag"
        )
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
    if request.htmx:
        return render(request, "meetings/_agenda.html", _agenda_context(request, meeting, item.pk))
    return _to_meeting(meeting, "agenda")


@login_required
@require_POST
def agenda_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The one 'move to another meeting' form of the page: an item select, a meeting select and
    the reason the 7-day rule asks for a meeting less than a week away."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _require_secretary(request, meeting.body)
    item = get_object_or_404(AgendaItem, pk=request.POST.get("punt"), meeting=meeting)
    target = get_object_or_404(Meeting, pk=request.POST.get("naar"), body=meeting.body)
    form = AgendaItemMoveForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_item_move(
                item=item,
                to_meeting=target,
                actor=request.user,
                override_reason=form.cleaned_data["reden"],
            )
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
            return _to_meeting(meeting, "agenda")
        messages.success(request, f"Verplaatst naar {target}.")
        return _to_meeting(target, "agenda")
    # An over-long reason: refused in Dutch, the typed text in the form, nothing moved.
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "title": f"‘{item.title}’ naar de vergadering van {target}",
            "action": reverse("meetings:agenda_item_move", args=[meeting.pk]),
            "back": reverse("meetings:meeting_detail", args=[meeting.pk]) + "#agenda",
        },
        status=400,
    )


@login_required
@require_POST
def agenda_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole new order in one request: from drag and drop (`volgorde`, every movable item
    in its new place) or from 'verplaats naar positie N' (`punt` and `positie`)."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _require_secretary(request, meeting.body)
    current = [
        row["item"].pk
        for row in selectors.agenda_for_user(meeting, request.user)["items"]
        if "position" in row
    ]
    moved_pk = None
    try:
        if request.POST.get("positie"):
            item = get_object_or_404(AgendaItem, pk=request.POST.get("punt"), meeting=meeting)
            moved_pk = item.pk
            try:
                position = int(request.POST["positie"])
            except ValueError:
                raise TransitionNotAllowed("Positie: vul een nummer in.") from None
            services.agenda_item_to_position(
                item=item, actor=request.user, position=position, order_ids=current
            )
        else:
            try:
                ids = [int(value) for value in request.POST.getlist("volgorde")]
            except ValueError:
                raise Http404 from None
            moved_pk = int(request.POST["punt"]) if request.POST.get("punt", "").isdigit() else None
            services.agenda_reorder(meeting=meeting, actor=request.user, item_ids=ids)
    except TransitionNotAllowed as error:
        if not request.htmx:
            messages.error(request, error.message)
            return _to_meeting(meeting, "agenda")
        context = _agenda_context(request, meeting)
        context["agenda_error"] = error.message
        return render(request, "meetings/_agenda.html", context)
    if request.htmx:
        return render(request, "meetings/_agenda.html", _agenda_context(request, meeting, moved_pk))
    return _to_meeting(meeting, "agenda")


def _agenda_context(request: HttpRequest, meeting: Meeting, moved_pk: int | None = None) -> dict:
    context = {
        "meeting": meeting,
        "is_secretary": True,
        **selectors.agenda_for_user(meeting, request.user),
    }
    # Said aloud through the agenda's live region: where the moved item is now.
    for row in context["items"]:
        if row["item"].pk == moved_pk:
            context.update(moved=row["item"], moved_position=row["number"])
    return context


@login_required
@require_POST
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _require_secretary(request, meeting.body)
    form = SectionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _to_meeting(meeting, "agenda")
    try:
        services.section_add(meeting=meeting, title=form.cleaned_data["kop"], actor=request.user)
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Onderdeel toegevoegd aan de agenda.")
    return _to_meeting(meeting, "agenda")


@login_required
def meeting_record_past(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.get_body_for_user(request.user, pk)
    _require_secretary(request, body)
    form = PastMeetingForm(
        request.POST or None,
        initial={"duration_minutes": body.duration_minutes, "location": body.location},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record_past(
                body=body, actor=request.user, **form.cleaned_data
            )
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Vergadering vastgelegd; leg nu agenda en verslag vast.")
            return _to_meeting(meeting)
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "title": f"Vergadering {body.short_name} achteraf vastleggen",
            "back": reverse("meetings:body_detail", args=[body.pk]),
        },
    )


@login_required
@require_POST
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _require_secretary(request, meeting.body)
    form = AgendaItemForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("owner_")}
        try:
            item = services.agenda_item_add(
                meeting=meeting,
                actor=request.user,
                owner_organisation=form.cleaned_data["owner_organisation"],
                owners=form.owners(),
                **{k: v for k, v in data.items() if k != "owner_organisation"},
            )
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Agendapunt toegevoegd.")
            # To the new item, not to the top of the agenda: the page opens where work goes on.
            return _to_meeting(meeting, f"punt-{item.pk}")
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "title": "Agendapunt toevoegen",
            "back": reverse("meetings:meeting_detail", args=[meeting.pk]),
        },
    )


@login_required
@require_POST
def agenda_distribute(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _require_secretary(request, meeting.body)
    try:
        services.agenda_distribute(meeting=meeting, actor=request.user)
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Agenda verstuurd: leden krijgen de hele agenda, regisseurs "
            "alleen hun eigen punt en tijd.",
        )
    return _to_meeting(meeting)


@login_required
def item_detail(request: HttpRequest, item_pk: int) -> HttpResponse:
    """A regisseur's own agenda item: the meeting, the time slot, nothing of other cases."""
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__body", "case"), pk=item_pk, kind=ItemKind.CASE
    )
    if item.case is None or item.case.regisseur_id != request.user.pk:
        raise Http404
    slot = next((r for r in selectors.slots_for(item.meeting) if r["item"].pk == item.pk), None)
    _log(request, item.meeting, description=f"eigen agendapunt {item.pk}")
    return render(request, "meetings/item_detail.html", {"item": item, "slot": slot})


@login_required
def item_documents(request: HttpRequest, item_pk: int) -> HttpResponse:
    """The meeting documents of one case item: what the members decide or advise on."""
    documents = selectors.documents_for_user(request, request.user, item_pk)
    return render(request, "meetings/item_documents.html", documents)


@login_required
def item_ics(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__body", "case"), pk=item_pk, kind=ItemKind.CASE
    )
    if item.case is None or item.case.regisseur_id != request.user.pk:
        raise Http404
    slot = next((r for r in selectors.slots_for(item.meeting) if r["item"].pk == item.pk), None)
    if slot is None:
        raise Http404
    _log(request, item.meeting, AccessAction.EXPORT, f"agendapunt {item.pk} als iCalendar")
    body = calendar.slot_ics(
        item,
        slot["start"],
        slot["end"],
        calendar.absolute(reverse("meetings:item_detail", args=[item.pk])),
    )
    return _ics_response(body, f"agendapunt-{item.pk}.ics")


@login_required
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _log(request, meeting, AccessAction.EXPORT, f"vergadering {meeting} als iCalendar")
    body = calendar.meeting_ics(
        meeting, calendar.absolute(reverse("meetings:meeting_detail", args=[meeting.pk]))
    )
    return _ics_response(body, f"vergadering-{meeting.pk}.ics")


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _log(request, meeting, AccessAction.EXPORT, f"agenda {meeting} als PDF")
    agenda = selectors.agenda_for_user(meeting, request.user)
    bundle = []
    if request.GET.get("stukken") == "1":  # the member's own choice: agenda with documents
        bundle = [
            selectors.documents_for_user(request, request.user, row["item"].pk)
            for row in agenda["items"]
            if row["documents"]
        ]
    rendered = render_pdf(
        "meetings/pdf/agenda.html",
        {
            "meeting": meeting,
            **agenda,
            # No empty columns: a team meeting has no case slots and no regisseurs.
            "has_slots": any(row["slot"] for row in agenda["items"]),
            "has_regisseurs": any(row["item"].case_id for row in agenda["items"]),
            "bundle": bundle,
            "watermark": f"Vertrouwelijk · {request.user.get_full_name() or request.user}"
            if bundle
            else "",
        },
    )
    return pdf_response(rendered, f"agenda-{meeting.body.short_name}-{meeting.pk}.pdf")


@login_required
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _log(request, meeting, AccessAction.EXPORT, f"verslag {meeting} als PDF")
    rendered = render_pdf(
        "meetings/pdf/minutes.html",
        {"meeting": meeting, **selectors.minutes_for_user(meeting, request.user)},
    )
    return pdf_response(rendered, f"verslag-{meeting.body.short_name}-{meeting.pk}.pdf")


# --- Minutes ---------------------------------------------------------------------------------


@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _require_secretary(request, meeting.body)
    _log(request, meeting, description=f"verslag {meeting}")
    agenda = selectors.agenda_for_user(meeting, request.user)
    # The organisation and regisseur lists of the admission items, fetched once for the page
    # rather than once per decision form.
    regisseurs = selectors.regisseur_choices()
    shared_choices = {
        "organisation": list(DecisionForm.base_fields["organisation"].choices),
        "regisseur": [("", EMPTY_CHOICE), *((pk, label) for pk, label, _ in regisseurs)],
    }
    rows = []
    for row in agenda["items"]:
        item = row["item"]
        kinds = DECISIONS_FOR_ITEM.get(item.case_kind) if item.is_case_item else None
        decision_form = DecisionForm(
            prefix=f"d{item.pk}",
            kinds=(*kinds, DecisionKind.GENERAL) if kinds else (DecisionKind.GENERAL,),
            regisseurs=regisseurs,
        )
        for name, choices in shared_choices.items():
            decision_form.fields[name].choices = choices
        rows.append(
            {
                **row,
                "minutes_form": ItemMinutesForm(
                    prefix=f"m{item.pk}",
                    initial={
                        "notes": item.notes,
                        "status": item.status,
                        "lock_version": item.lock_version,
                        "handled_position": item.handled_position,
                    },
                ),
                "decision_form": decision_form,
                "adopted_plan": item.plan
                if item.plan and item.plan.status == "vastgesteld" and not item.plan.accorded_by_id
                else None,
            }
        )
    return render(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "rows": rows,
            "open_minutes": services.open_minutes_before(meeting),
            "attendance": AttendanceFormSet(
                prefix="aanwezig",
                initial=[
                    {
                        "name": a.name,
                        "organisation": a.organisation,
                        "organisation_name": a.organisation_name,
                        "status": a.status,
                    }
                    for a in selectors.attendance_initial(meeting)
                ],
            ),
        },
    )


def _minutes_item(request, pk, item_pk) -> tuple[Meeting, AgendaItem]:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _require_secretary(request, meeting.body)
    item = get_object_or_404(selectors.visible_items(meeting, request.user), pk=item_pk)
    return meeting, item


@login_required
@require_POST
def item_minutes_save(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """One submit per item: the notes and status, and a decision when its text is filled in."""
    meeting, item = _minutes_item(request, pk, item_pk)
    form = ItemMinutesForm(request.POST, prefix=f"m{item.pk}")
    decision_form = (
        _decision_form(item, request.POST)
        if request.POST.get(f"d{item.pk}-text", "").strip()
        else None
    )
    if decision_form is not None and not decision_form.is_valid():
        return render(
            request,
            "meetings/form.html",
            {
                "form": decision_form,
                "action": reverse("meetings:decision_record", args=[meeting.pk, item.pk]),
                "title": f"Besluit bij ‘{item.title}’",
                "back": reverse("meetings:meeting_minutes", args=[meeting.pk]),
            },
            status=400,
        )
    if form.is_valid():
        try:
            with transaction.atomic():  # the notes and the decision together, or neither
                services.item_minutes_save(item=item, actor=request.user, **form.cleaned_data)
                if decision_form is not None:
                    services.decision_record(
                        item=item, actor=request.user, data=_decision_data(decision_form)
                    )
        except TransitionNotAllowed as error:
            if decision_form is None:
                messages.error(request, error.message)
            else:
                # Refused by the file (a second open case, a report without a person): the
                # typed decision stays in the form, with the reason.
                decision_form.add_error(None, f"Besluit niet vastgelegd: {error.message}")
                open_case = getattr(error, "case", None)
                return render(
                    request,
                    "meetings/form.html",
                    {
                        "form": decision_form,
                        "action": reverse("meetings:decision_record", args=[meeting.pk, item.pk]),
                        "title": f"Besluit bij ‘{item.title}’",
                        "back": reverse("meetings:meeting_minutes", args=[meeting.pk]),
                        "open_case": open_case,
                        "open_case_link": open_case is not None
                        and cases_visible_to(request.user).filter(pk=open_case.pk).exists(),
                    },
                    status=400,
                )
        except EditConflict as error:
            # Both versions side by side, the secretary's own text kept in the form.
            theirs = error.current
            conflict = conflict_for(
                form,
                theirs,
                {"notes": theirs.notes, "status": theirs.status, "carry_note": theirs.carry_note},
            )
            return render(
                request,
                "meetings/form.html",
                {
                    "form": form,
                    "conflict": conflict,
                    "title": f"Aantekeningen bij ‘{item.title}’",
                    "back": reverse("meetings:meeting_minutes", args=[meeting.pk])
                    + f"#punt-{item.pk}",
                },
                status=409,
            )
        else:
            messages.success(
                request,
                "Doorgeschoven naar de volgende vergadering."
                if form.cleaned_data["status"] == ItemStatus.NOT_DISCUSSED
                else "Aantekeningen opgeslagen. Besluit vastgelegd."
                if decision_form is not None
                else "Aantekeningen opgeslagen.",
            )
    else:
        messages.error(request, "Controleer de invoer bij het agendapunt.")
    return redirect(reverse("meetings:meeting_minutes", args=[meeting.pk]) + f"#punt-{item.pk}")


def _decision_form(item: AgendaItem, data=None) -> DecisionForm:
    kinds = DECISIONS_FOR_ITEM.get(item.case_kind) if item.is_case_item else None
    return DecisionForm(
        data,
        prefix=f"d{item.pk}",
        kinds=(*kinds, DecisionKind.GENERAL) if kinds else (DecisionKind.GENERAL,),
        regisseurs=selectors.regisseur_choices(),
    )


def _decision_data(form: DecisionForm) -> services.DecisionData:
    return services.DecisionData(
        **{k: v for k, v in form.cleaned_data.items() if v or k in ("kind", "text")}
    )


@login_required
@require_POST
def decision_record(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, item = _minutes_item(request, pk, item_pk)
    form = _decision_form(item, request.POST)
    open_case = None
    if form.is_valid():
        try:
            services.decision_record(item=item, actor=request.user, data=_decision_data(form))
        except TransitionNotAllowed as error:
            # Refused by the file (a second open case, a report without a person): the typed
            # decision stays in the form, with the reason.
            form.add_error(None, f"Besluit niet vastgelegd: {error.message}")
            open_case = getattr(error, "case", None)
        else:
            messages.success(request, "Besluit vastgelegd.")
            return redirect(
                reverse("meetings:meeting_minutes", args=[meeting.pk]) + f"#punt-{item.pk}"
            )
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "title": f"Besluit bij ‘{item.title}’",
            "back": reverse("meetings:meeting_minutes", args=[meeting.pk]),
            "open_case": open_case,
            "open_case_link": open_case is not None
            and cases_visible_to(request.user).filter(pk=open_case.pk).exists(),
        },
    )


@login_required
@require_POST
def decision_correct(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    """Correct or remove a decision until the minutes are adopted."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _require_secretary(request, meeting.body)
    decision = get_object_or_404(
        Decision, pk=decision_pk, item__in=selectors.visible_items(meeting, request.user)
    )
    try:
        if request.POST.get("verwijderen"):
            services.decision_remove(decision=decision, actor=request.user)
            messages.success(request, "Besluit verwijderd; de historie bewaart het.")
        else:
            form = DecisionCorrectForm(request.POST)
            if form.is_valid():
                services.decision_correct(
                    decision=decision, actor=request.user, text=form.cleaned_data["text"]
                )
                messages.success(request, "Besluit gecorrigeerd.")
            else:
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, error)
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
    return redirect(
        reverse("meetings:meeting_minutes", args=[meeting.pk]) + f"#punt-{decision.item_id}"
    )


@login_required
@require_POST
def attendance_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _require_secretary(request, meeting.body)
    formset = AttendanceFormSet(request.POST, prefix="aanwezig")
    if formset.is_valid():
        # The name field holds a person's name only: an organisation alone stays nameless.
        rows = [
            services.AttendanceRow(
                name=row.get("name", ""),
                status=row["status"],
                organisation=row.get("organisation"),
                organisation_name=row.get("organisation_name", ""),
            )
            for row in formset.cleaned_data
            if row and (row.get("name") or row.get("organisation") or row.get("organisation_name"))
        ]
        try:
            services.attendance_record(meeting=meeting, actor=request.user, rows=rows)
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Aanwezigheid opgeslagen.")
    else:
        messages.error(request, "Controleer de aanwezigheid: elke regel heeft een status.")
    return redirect(reverse("meetings:meeting_minutes", args=[meeting.pk]) + "#aanwezigheid")


@login_required
@require_POST
def minutes_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _require_secretary(request, meeting.body)
    chosen = request.POST.get("verslag")
    previous = get_object_or_404(Meeting, pk=chosen, body=meeting.body) if chosen else None
    try:
        previous = services.minutes_adopt(meeting=meeting, actor=request.user, previous=previous)
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Het verslag van {previous} is vastgesteld en vergrendeld.")
    return redirect("meetings:meeting_minutes", pk=meeting.pk)


@login_required
@require_POST
def plan_accord(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, item = _minutes_item(request, pk, item_pk)
    if item.plan is None:
        raise Http404
    try:
        case_services.plan_accord(plan=item.plan, actor=request.user)
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Het vastgestelde plan is geaccordeerd in het dossier.")
    return redirect(reverse("meetings:meeting_minutes", args=[meeting.pk]) + f"#punt-{item.pk}")
