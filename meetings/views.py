from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
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
from ipgar.lib.locking import EditConflict, conflict_for
from ipgar.lib.pdf import pdf_response, render_pdf
from meetings import calendar, selectors, services
from meetings.constants import DECISIONS_FOR_ITEM, DecisionKind, ItemKind, ItemStatus
from meetings.forms import (
    ActionForm,
    AgendaItemForm,
    AttendanceFormSet,
    DecisionForm,
    ExtraMeetingForm,
    ForwardItemForm,
    ItemMinutesForm,
    RescheduleForm,
)
from meetings.models import Action, AgendaItem, Meeting

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
    return render(
        request,
        "meetings/body_detail.html",
        {
            "body": body,
            "upcoming": selectors.upcoming_meetings(body),
            "past": selectors.past_meetings(body),
            "actions": selectors.open_actions(body),
            "forward": body.forward_items.all(),
            "is_secretary": secretary,
            "action_form": ActionForm(),
            "forward_form": ForwardItemForm(),
            "extra_form": ExtraMeetingForm() if secretary else None,
        },
    )


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
    body = selectors.get_body_for_user(request.user, pk)
    _require_secretary(request, body)
    form = ActionForm(request.POST)
    if form.is_valid():
        services.action_create(body=body, actor=request.user, **form.cleaned_data)
        messages.success(request, "Actie toegevoegd aan de actielijst.")
        return redirect(reverse("meetings:body_detail", args=[body.pk]) + "#acties")
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "title": "Actie toevoegen",
            "back": reverse("meetings:body_detail", args=[body.pk]),
        },
    )


@login_required
@require_POST
def action_done(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    body = selectors.get_body_for_user(request.user, pk)
    action = get_object_or_404(Action, pk=action_pk, body=body)
    if not (selectors.is_secretary(request.user, body) or action.owner_id == request.user.pk):
        raise PermissionDenied
    services.action_mark_done(action=action, actor=request.user)
    return redirect(reverse("meetings:body_detail", args=[body.pk]) + "#acties")


@login_required
@require_POST
def forward_add(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.get_body_for_user(request.user, pk)
    _require_secretary(request, body)
    form = ForwardItemForm(request.POST)
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


# --- The agenda --------------------------------------------------------------------------------


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    secretary = selectors.is_secretary(request.user, meeting.body)
    _log(request, meeting, description=f"agenda {meeting}")
    context = {
        "meeting": meeting,
        "is_secretary": secretary,
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
                "item_form": AgendaItemForm(members=meeting.body.members.all()),
                "other_meetings": selectors.upcoming_meetings(meeting.body),
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
        context = {
            "meeting": meeting,
            "is_secretary": True,
            **selectors.agenda_for_user(meeting, request.user),
        }
        # Said aloud through the agenda's live region: where the moved item is now.
        positions = [row["item"].pk for row in context["items"]]
        if item.pk in positions:
            context.update(moved=item, moved_position=positions.index(item.pk) + 1)
        return render(request, "meetings/_agenda.html", context)
    return _to_meeting(meeting, "agenda")


@login_required
@require_POST
def agenda_item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _require_secretary(request, meeting.body)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    target = get_object_or_404(Meeting, pk=request.POST.get("naar"), body=meeting.body)
    try:
        services.agenda_item_move(item=item, to_meeting=target, actor=request.user)
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
        return _to_meeting(meeting, "agenda")
    messages.success(request, f"Verplaatst naar {target}.")
    return _to_meeting(target, "agenda")


@login_required
@require_POST
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _require_secretary(request, meeting.body)
    form = AgendaItemForm(request.POST, members=meeting.body.members.all())
    if form.is_valid():
        try:
            services.agenda_item_add(meeting=meeting, actor=request.user, **form.cleaned_data)
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Agendapunt toegevoegd.")
            return _to_meeting(meeting, "agenda")
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
        {
            "meeting": meeting,
            "attendance": list(meeting.attendance.select_related("organisation")),
            **selectors.agenda_for_user(meeting, request.user),
        },
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
        "regisseur": [("", "---------"), *((pk, label) for pk, label, _ in regisseurs)],
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
            "attendance": AttendanceFormSet(
                prefix="aanwezig",
                initial=[
                    {
                        "name": a.name,
                        "organisation": a.organisation,
                        "status": a.status,
                        "is_guest": a.is_guest,
                    }
                    for a in meeting.attendance.select_related("organisation")
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
    meeting, item = _minutes_item(request, pk, item_pk)
    form = ItemMinutesForm(request.POST, prefix=f"m{item.pk}")
    if form.is_valid():
        try:
            services.item_minutes_save(item=item, actor=request.user, **form.cleaned_data)
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
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
                else "Aantekeningen opgeslagen.",
            )
    else:
        messages.error(request, "Controleer de invoer bij het agendapunt.")
    return redirect(reverse("meetings:meeting_minutes", args=[meeting.pk]) + f"#punt-{item.pk}")


@login_required
@require_POST
def decision_record(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, item = _minutes_item(request, pk, item_pk)
    kinds = DECISIONS_FOR_ITEM.get(item.case_kind) if item.is_case_item else None
    form = DecisionForm(
        request.POST,
        prefix=f"d{item.pk}",
        kinds=(*kinds, DecisionKind.GENERAL) if kinds else (DecisionKind.GENERAL,),
        regisseurs=selectors.regisseur_choices(),
    )
    open_case = None
    if form.is_valid():
        data = services.DecisionData(
            **{k: v for k, v in form.cleaned_data.items() if v or k in ("kind", "text")}
        )
        try:
            services.decision_record(item=item, actor=request.user, data=data)
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
def attendance_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _require_secretary(request, meeting.body)
    formset = AttendanceFormSet(request.POST, prefix="aanwezig")
    if formset.is_valid():
        rows = [
            services.AttendanceRow(
                name=row.get("name") or str(row.get("organisation")),
                status=row["status"],
                organisation=row.get("organisation"),
                is_guest=row.get("is_guest", False),
            )
            for row in formset.cleaned_data
            if row and (row.get("name") or row.get("organisation"))
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
    try:
        previous = services.minutes_adopt(meeting=meeting, actor=request.user)
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
