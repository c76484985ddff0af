import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.models import Case, Subject
from cases.permissions import cases_visible_to, may_break_glass
from ipgar.accounts.constants import Role
from ipgar.accounts.permissions import require_role
from ipgar.audit.constants import AccessAction
from ipgar.audit.services import access_log_record, access_log_record_shown, subject_reference
from ipgar.lib.pdf import pdf_response, render_pdf
from ipgar.lib.text import name_key
from meetings.constants import MinutesStatus
from meetings.models import Meeting
from meetings.selectors import visible_items
from privacy import selectors, services
from privacy.constants import DestructionListStatus, WooGround, WooMode
from privacy.exceptions import PrivacyRefused
from privacy.forms import (
    AccessRequestAnswerForm,
    AccessRequestForm,
    EmergencyAccessForm,
    PersonHistoryForm,
    RetentionSettingsForm,
    SubjectSearchForm,
    WooRedactionForm,
)
from privacy.models import AccessRequest, DeletionRecord, DestructionList, RetentionSettings
from privacy.woo import allowed_modes, effective_mode, woo_minutes

OFFICERS = (Role.PRIVACY_OFFICER, Role.ADMINISTRATOR)
WOO_ROLES = (Role.PRIVACY_OFFICER, Role.SECRETARY)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *OFFICERS)
    user = request.user
    return render(
        request,
        "privacy/index.html",
        {
            "is_privacy": user.has_role(Role.PRIVACY_OFFICER),
            "is_admin": user.has_role(Role.ADMINISTRATOR),
            "retention": RetentionSettings.current(),
            "waiting": DestructionList.objects.filter(
                status__in=[DestructionListStatus.PROPOSED, DestructionListStatus.APPROVED]
            ).count(),
            "open_requests": AccessRequest.objects.filter(status="open").count(),
        },
    )


@login_required
def access_history(request: HttpRequest) -> HttpResponse:
    """The privacy officer finds one person's access history by name, BSN, date of birth or
    case number: report and case phases together, each line in Dutch."""
    require_role(request.user, Role.PRIVACY_OFFICER)
    form = PersonHistoryForm(request.GET or None)
    history = None
    if form.is_bound and form.is_valid():
        history = selectors.person_history(form.cleaned_data["zoek"])
        for subject in history.subjects:
            access_log_record(
                request=request,
                actor=request.user,
                action=AccessAction.SEARCH,
                obj=subject,
                object_type="cases.subject",
                subject_ref=subject_reference("subject", subject.pk),
                description="toegangsgeschiedenis bekeken",
            )
        if not history.subjects:
            access_log_record(
                request=request,
                actor=request.user,
                action=AccessAction.SEARCH,
                object_type="cases.subject",
                description=f"toegangsgeschiedenis: {len(history.reports)} meldingen gevonden",
            )
    return render(request, "privacy/access_history.html", {"form": form, "history": history})


# --- Break the glass ---------------------------------------------------------------------------


@login_required
def emergency_request(request: HttpRequest) -> HttpResponse:
    if not may_break_glass(request.user):
        raise PermissionDenied
    initial = {}
    if request.GET.get("casus", "").isdigit():
        initial["case_reference"] = request.GET["casus"]
    form = EmergencyAccessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        case = (
            Case.objects.select_related("subject", "regisseur")
            .filter(pk=form.cleaned_data["case_reference"])
            .first()
        )
        if case is None:
            form.add_error("case_reference", "Er is geen casus met dit nummer.")
        elif (
            cases_visible_to(request.user).filter(pk=case.pk).exists()
            and not case.emergency_accesses.filter(
                user=request.user, expires_at__gt=timezone.now()
            ).exists()
        ):
            messages.info(request, "U heeft al toegang tot deze casus; noodtoegang is niet nodig.")
            return redirect("cases:case_detail", pk=case.pk)
        else:
            try:
                grant = services.emergency_access_open(
                    case=case,
                    reason_kind=form.cleaned_data["reason_kind"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                    request=request,
                )
            except PrivacyRefused as error:
                form.add_error(None, error.message)
            else:
                until = timezone.localtime(grant.expires_at)
                messages.warning(
                    request,
                    f"Noodtoegang tot {case.reference} tot {until:%H:%M}. Elke inzage wordt "
                    "als noodtoegang vastgelegd en gemeld aan de privacyfunctionaris en de "
                    "regisseur.",
                )
                return redirect("cases:case_detail", pk=case.pk)
    return render(request, "privacy/emergency_request.html", {"form": form})


@login_required
def emergency_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.PRIVACY_OFFICER)
    grants = list(selectors.emergency_grants()[:200])
    access_log_record(
        request=request,
        actor=request.user,
        action=AccessAction.LIST,
        object_type="cases.emergencyaccess",
        description=f"{len(grants)} noodtoegangen getoond",
    )
    return render(request, "privacy/emergency_list.html", {"grants": grants, "now": timezone.now()})


# --- Retention and destruction -----------------------------------------------------------------


@login_required
def retention_settings(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    row = RetentionSettings.current()
    form = RetentionSettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        services.retention_settings_update(actor=request.user, **form.cleaned_data)
        messages.success(request, "Bewaartermijnen opgeslagen; de volgende lijst gebruikt ze.")
        return redirect("privacy:retention_settings")
    history = row.history.select_related("history_user").order_by("-history_date")[:10]
    return render(request, "privacy/retention_settings.html", {"form": form, "history": history})


@login_required
def destruction_index(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *OFFICERS)
    return render(
        request,
        "privacy/destruction_index.html",
        {
            "lists": selectors.destruction_lists()[:50],
            "records": DeletionRecord.objects.select_related(
                "admin_approved_by", "privacy_approved_by", "executed_by"
            )[:200],
        },
    )


@login_required
@require_POST
def destruction_propose(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *OFFICERS)
    destruction_list = services.destruction_list_propose(actor=request.user)
    if destruction_list is None:
        messages.info(request, "Er is niets dat zijn bewaartermijn heeft bereikt.")
        return redirect("privacy:destruction_index")
    return redirect("privacy:destruction_detail", pk=destruction_list.pk)


@login_required
def destruction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, *OFFICERS)
    destruction_list = get_object_or_404(selectors.destruction_lists(), pk=pk)
    user = request.user
    waiting = destruction_list.status == DestructionListStatus.PROPOSED
    approved_already = user.pk in (
        destruction_list.admin_approved_by_id,
        destruction_list.privacy_approved_by_id,
    )
    can_approve = (
        waiting
        and not approved_already
        and (
            (user.has_role(Role.ADMINISTRATOR) and not destruction_list.admin_approved_by_id)
            or (user.has_role(Role.PRIVACY_OFFICER) and not destruction_list.privacy_approved_by_id)
        )
    )
    return render(
        request,
        "privacy/destruction_detail.html",
        {
            "list": destruction_list,
            "items": destruction_list.items.all(),
            "records": destruction_list.deletion_records.all(),
            "can_approve": can_approve,
            "can_execute": destruction_list.status == DestructionListStatus.APPROVED,
        },
    )


@login_required
@require_POST
def destruction_approve(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, *OFFICERS)
    destruction_list = get_object_or_404(DestructionList, pk=pk)
    try:
        services.destruction_list_approve(destruction_list=destruction_list, actor=request.user)
    except PrivacyRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Uw goedkeuring is vastgelegd.")
    return redirect("privacy:destruction_detail", pk=pk)


@login_required
@require_POST
def destruction_execute(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, *OFFICERS)
    destruction_list = get_object_or_404(DestructionList, pk=pk)
    try:
        records = services.destruction_list_execute(
            destruction_list=destruction_list, actor=request.user
        )
    except PrivacyRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Vernietigd: {len(records)} casussen en meldingen.")
    return redirect("privacy:destruction_detail", pk=pk)


# --- Access requests and the informing record ----------------------------------------------------


def _subject_log(request, subject: Subject, action=AccessAction.VIEW, description="") -> None:
    access_log_record(
        request=request,
        actor=request.user,
        action=action,
        obj=subject,
        subject_ref=subject_reference("subject", subject.pk),
        description=description,
    )


@login_required
def access_request_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.PRIVACY_OFFICER)
    form = SubjectSearchForm(request.GET or None)
    matches = []
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["zoek"]
        if query.isdigit():
            matches = list(Subject.objects.filter(bsn=query)[:20])
        else:
            matches = list(Subject.objects.filter(name_key__contains=name_key(query, ""))[:20])
        access_log_record(
            request=request,
            actor=request.user,
            action=AccessAction.SEARCH,
            object_type="cases.subject",
            description=f"inzageverzoek: {len(matches)} personen gevonden",
        )
        access_log_record_shown(
            request=request,
            actor=request.user,
            action=AccessAction.SEARCH,
            object_type="cases.subject",
            subject_refs=[subject_reference("subject", subject.pk) for subject in matches],
            description="inzageverzoek: zoekresultaat",
        )
    requests = list(selectors.access_requests_open()[:200])
    return render(
        request,
        "privacy/access_request_list.html",
        {
            "form": form,
            "matches": matches,
            "requests": requests,
            "today": timezone.localdate(),
        },
    )


@login_required
def access_request_new(request: HttpRequest, subject_pk: int) -> HttpResponse:
    require_role(request.user, Role.PRIVACY_OFFICER)
    subject = get_object_or_404(Subject, pk=subject_pk)
    form = AccessRequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        access_request = services.access_request_register(
            subject=subject, actor=request.user, **form.cleaned_data
        )
        messages.success(
            request,
            f"Inzageverzoek geregistreerd; beantwoorden uiterlijk "
            f"{access_request.deadline:%d-%m-%Y}.",
        )
        return redirect("privacy:access_request_detail", pk=access_request.pk)
    _subject_log(request, subject, description="inzageverzoek registreren")
    return render(request, "privacy/access_request_form.html", {"form": form, "subject": subject})


@login_required
def access_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, Role.PRIVACY_OFFICER)
    access_request = get_object_or_404(AccessRequest.objects.select_related("subject"), pk=pk)
    subject = access_request.subject
    answer_form = AccessRequestAnswerForm(
        request.POST or None, initial={"answered_on": timezone.localdate()}
    )
    if request.method == "POST" and answer_form.is_valid():
        services.access_request_answer(
            access_request=access_request, actor=request.user, **answer_form.cleaned_data
        )
        messages.success(request, "Het inzageverzoek is als beantwoord vastgelegd.")
        return redirect("privacy:access_request_detail", pk=pk)
    _subject_log(request, subject, description=f"inzageverzoek {access_request.pk}")
    return render(
        request,
        "privacy/access_request_detail.html",
        {
            "request_obj": access_request,
            "subject": subject,
            "informing": selectors.informing_record(subject),
            "answer_form": answer_form,
            "days_left": access_request.days_left(),
            "history": access_request.history.select_related("history_user").order_by(
                "-history_date"
            )[:10],
        },
    )


@login_required
def access_request_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    require_role(request.user, Role.PRIVACY_OFFICER)
    access_request = get_object_or_404(AccessRequest.objects.select_related("subject"), pk=pk)
    subject = access_request.subject
    if fmt not in ("pdf", "json"):
        raise Http404
    # One transaction: the line is written before anything is served (if it cannot be
    # written, nothing is), and taken back when the export fails (issue 20, point 8).
    with transaction.atomic():
        _subject_log(
            request,
            subject,
            AccessAction.EXPORT,
            f"inzageverzoek {access_request.pk}: alle gegevens als {fmt.upper()}",
        )
        dossier = selectors.subject_dossier(subject)
        filename = f"inzageverzoek-{access_request.pk}"
        if fmt == "json":
            response = HttpResponse(
                json.dumps(dossier, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
            response["Cache-Control"] = "no-store"
            return response
        rendered = render_pdf(
            "privacy/pdf/subject_dossier.html",
            {
                "dossier": selectors.for_print(dossier),
                "request_obj": access_request,
                "generated_at": timezone.now(),
            },
        )
        return pdf_response(rendered, f"{filename}.pdf")


@login_required
def informing_record(request: HttpRequest, subject_pk: int) -> HttpResponse:
    """When and how the subject was informed, or why not yet: for the privacy officer and the
    regisseur of the subject's cases; for everyone else the subject does not exist."""
    subject = Subject.objects.filter(pk=subject_pk).first() if str(subject_pk).isdigit() else None
    if subject is None or not selectors.may_see_informing_record(request.user, subject):
        raise Http404
    _subject_log(request, subject, description="informeren (AVG)")
    return render(
        request,
        "privacy/informing_record.html",
        {"subject": subject, "rows": selectors.informing_record(subject)},
    )


# --- Woo-ready minutes -----------------------------------------------------------------------


def _adopted_meeting(pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("body"), pk=pk, minutes_status=MinutesStatus.ADOPTED
    )


@login_required
def woo_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *WOO_ROLES)
    meetings = (
        Meeting.objects.filter(minutes_status=MinutesStatus.ADOPTED)
        .select_related("body")
        .order_by("-starts_at")[:100]
    )
    return render(request, "privacy/woo_list.html", {"meetings": meetings})


@login_required
def woo_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Per item: what the Woo export will show, and how it is redacted (changeable)."""
    require_role(request.user, *WOO_ROLES)
    meeting = _adopted_meeting(pk)
    items = list(meeting.items.select_related("woo_redaction").order_by("order", "pk"))
    readable = set(visible_items(meeting, request.user).values_list("pk", flat=True))
    if request.method == "POST":
        item = next(
            (i for i in items if str(i.pk) == request.POST.get("item") and i.pk in readable), None
        )
        form = WooRedactionForm(request.POST)
        if item is None or not form.is_valid():
            messages.error(request, "Kies een agendapunt, een lakwijze en een grond.")
        else:
            try:
                services.woo_redaction_set(item=item, actor=request.user, **form.cleaned_data)
            except PrivacyRefused as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Lakinstelling opgeslagen.")
        return redirect("privacy:woo_meeting", pk=pk)
    access_log_record(
        request=request,
        actor=request.user,
        action=AccessAction.VIEW,
        obj=meeting,
        description=f"Woo-voorbeeld verslag {meeting}",
    )
    preview = woo_minutes(meeting, request.user)
    rows = []
    for item, woo_item in zip(items, preview["items"], strict=True):
        setting = getattr(item, "woo_redaction", None)
        is_readable = item.pk in readable
        rows.append(
            {
                "item": item,
                "woo": woo_item,
                "readable": is_readable,
                "mode": effective_mode(item, setting, is_readable),
                "modes": [(m, WooMode(m).label) for m in allowed_modes(item)],
                "ground": setting.ground if setting else WooGround.PRIVACY,
                "is_default": setting is None,
            }
        )
    return render(
        request,
        "privacy/woo_meeting.html",
        {"meeting": meeting, "rows": rows, "form": WooRedactionForm()},
    )


@login_required
def woo_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, *WOO_ROLES)
    meeting = _adopted_meeting(pk)
    access_log_record(
        request=request,
        actor=request.user,
        action=AccessAction.EXPORT,
        obj=meeting,
        description=f"Woo-versie verslag {meeting}",
    )
    rendered = render_pdf("privacy/pdf/woo_minutes.html", woo_minutes(meeting, request.user))
    return pdf_response(rendered, f"woo-verslag-{meeting.body.short_name}-{meeting.pk}.pdf")
