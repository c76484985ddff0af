import logging
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from cases import selectors, services
from cases.constants import (
    CasePhase,
    DispatchMethod,
    InterventionCategory,
    LogKind,
    PlanStatus,
    UvoStatus,
)
from cases.exceptions import TransitionNotAllowed
from cases.forms import (
    AdviceProcessingForm,
    AgreementFormSet,
    CatalogueEntryForm,
    ContactForm,
    DirectoryEntryForm,
    EvaluationForm,
    GoalForm,
    InterventionForm,
    LogEntryForm,
    PartnerMeetingForm,
    PartnerRegistrationForm,
    ProposalForm,
    ReassignForm,
    ScenarioForm,
    SubjectForm,
    SubjectLinkForm,
    UvoCancelForm,
    UvoHoldForm,
    UvoPlanForm,
)
from cases.letters import letter_due, letter_status
from cases.models import (
    Agreement,
    BaseFile,
    Case,
    CatalogueEntry,
    Contact,
    DirectoryEntry,
    Goal,
    Intervention,
    Letter,
    LogEntry,
    PartnerMeeting,
    PlanVersion,
    Subject,
)
from cases.permissions import (
    DIRECTORY_KEEPERS,
    DIRECTORY_READERS,
    can_change,
    can_open_letters,
    cases_visible_to,
    get_case_for_user,
    get_partner_intervention,
    get_uvo_for_user,
    may_log_on,
)
from intake.forms import AssessmentForm
from intake.models import FrameworkVersion
from intake.selectors import framework_questions
from ipgar.accounts.constants import Role
from ipgar.accounts.models import User
from ipgar.accounts.permissions import require_role
from ipgar.audit.constants import AccessAction
from ipgar.audit.services import access_log_record, access_log_record_shown, subject_reference
from ipgar.lib.http import choice_param, search_param
from ipgar.lib.locking import EditConflict, conflict_for
from ipgar.lib.pdf import pdf_response, render_pdf

logger = logging.getLogger(__name__)

CASE_ROLES = (Role.REGISSEUR, Role.ADVISORY_MEMBER)


def _log(request: HttpRequest, case, action=AccessAction.VIEW, description: str = "") -> None:
    access_log_record(
        request=request,
        actor=request.user,
        action=action,
        obj=case,
        subject_ref=f"subject:{case.subject_id}" if case else "",
        description=description,
    )


def _back(case, anchor: str = ""):
    response = redirect("cases:case_detail", pk=case.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _form_page(
    request,
    case,
    form,
    title: str,
    *,
    submit: str = "Opslaan",
    intro: str = "",
    extra: dict | None = None,
    template: str = "cases/form.html",
    status: int = 200,
):
    # Every form page shows case data (the header, the values being edited): log the read
    # first, so that a page whose log line fails is never served (NEN 7513).
    _log(request, case, description=title)
    return render(
        request,
        template,
        {
            "case": case,
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            **(extra or {}),
        },
        status=status,
    )


# --- Overview and the case page ---------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *CASE_ROLES)
    phase, phase_error = choice_param(request.GET.get("fase"), CasePhase.values, what="fase")
    query = search_param(request, "q")
    cases = selectors.case_list_for_user(
        request.user, phase=phase, query=query, include_closed=request.GET.get("afgesloten") == "1"
    )
    page = selectors.list_page(cases, request.GET.get("page"))
    rows = selectors.with_dues(page.items)
    access_log_record(
        request=request,
        actor=request.user,
        action=AccessAction.LIST,
        object_type="cases.case",
        description=f"{len(rows)} casussen getoond (pagina {page.number})"
        + (" (zoekopdracht)" if query else ""),
    )
    access_log_record_shown(
        request=request,
        actor=request.user,
        action=AccessAction.LIST,
        object_type="cases.case",
        subject_refs=[subject_reference("subject", row["case"].subject_id) for row in rows],
        description="casuslijst",
    )
    return render(
        request,
        "cases/case_list.html",
        {
            "rows": rows,
            "page": page,
            "phase": phase,
            "phase_error": phase_error,
            "phases": CasePhase.choices,
            "query": query,
            "closed": request.GET.get("afgesloten") == "1",
        },
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    kind = request.GET.get("soort", "")
    kind = kind if kind in LogKind.values else ""
    query = search_param(request, "zoek")
    logbook = selectors.logbook_page(case, page=request.GET.get("page"), kind=kind, query=query)
    _log(request, case)
    changeable = can_change(request.user, case)
    editable = changeable and not case.is_closed
    if request.htmx and request.htmx.target == "logboek":
        return render(
            request,
            "cases/_logbook.html",
            {"case": case, "logbook": logbook, "kind": kind, "query": query, "can_edit": editable},
        )
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "logbook": logbook,
            "kind": kind,
            "query": query,
            "log_kinds": LogKind.choices,
            "can_edit": editable,
            "can_summarise": changeable,
            "log_form": LogEntryForm(case=case) if editable else None,
            "linked": selectors.linked_cases(case),
            "has_base_file": BaseFile.objects.filter(case=case).exists(),
            "can_open_letters": can_open_letters(request.user, case),
            **selectors.case_page_data(case),
        },
    )


def _summary_case(request: HttpRequest, pk: int) -> Case:
    """The summary is the regisseur's: it gathers the whole file onto paper for a partner
    meeting. Readers of the case page (an ITAT-R member supporting from their organisation) may
    not take the file out of the system: 403; for everyone else the case does not exist: 404."""
    return get_case_for_user(request.user, pk, change=True)


def _summary_context(case: Case) -> dict:
    return {"case": case, "today": timezone.localdate(), **selectors.case_summary_data(case)}


@login_required
def case_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """Printable: the print stylesheet hides the navigation and buttons."""
    case = _summary_case(request, pk)
    _log(request, case, AccessAction.PRINT, "casussamenvatting (afdrukbaar)")
    return render(request, "cases/case_summary.html", _summary_context(case))


@login_required
def case_summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = _summary_case(request, pk)
    _log(request, case, AccessAction.EXPORT, "casussamenvatting als PDF")
    rendered = render_pdf("cases/pdf/case_summary.html", _summary_context(case))
    return pdf_response(rendered, f"samenvatting-{case.reference}.pdf")


# --- Logbook -------------------------------------------------------------------------------


@login_required
@require_POST
def logbook_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    form = LogEntryForm(request.POST, case=case)
    entry = None
    if form.is_valid():
        try:
            entry = services.logbook_add(case=case, actor=request.user, **form.cleaned_data)
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
    if request.htmx:
        fresh = LogEntryForm(case=case) if entry else form
        stats = selectors.logbook_stats(case) if entry else {}
        response = render(
            request,
            "cases/_log_form.html",
            {"case": case, "log_form": fresh, "new_entry": entry, **stats},
        )
        if entry:
            response["HX-Trigger"] = "logboek-bijgewerkt"
        return response
    if entry:
        messages.success(request, "Logboekregel opgeslagen.")
        return _back(case, "logboek")
    return _form_page(request, case, form, "Logboekregel toevoegen")


@login_required
def logbook_edit(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    entry = get_object_or_404(LogEntry, pk=entry_pk, case=case)
    editable = services.log_entry_editable(entry, request.user)
    form = LogEntryForm(
        request.POST or None,
        case=case,
        initial={
            "at": entry.at,
            "kind": entry.kind,
            "text": entry.text,
            "participants": entry.participants,
            "intervention": entry.intervention,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.logbook_correct(
                entry=entry, actor=request.user, text=data["text"], kind=data["kind"], at=data["at"]
            )
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "Logboekregel gecorrigeerd."
                if editable
                else "Correctie toegevoegd als nieuwe logboekregel.",
            )
            return _back(case, "logboek")
    intro = (
        "U kunt uw eigen regel binnen 30 minuten aanpassen; de historie bewaart de vorige tekst."
        if editable
        else "De termijn om deze regel aan te passen is verstreken: "
        "uw correctie wordt een nieuwe regel die naar deze verwijst."
    )
    return _form_page(request, case, form, "Logboekregel corrigeren", intro=intro)


# --- Subject, network and base file ------------------------------------------------------------


@login_required
def subject_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    form = SubjectForm(request.POST or None, instance=case.subject)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services._writable(case)
            services.subject_update(
                case=case,
                actor=request.user,
                lock_version=form.cleaned_data["lock_version"],
                **{f: form.cleaned_data[f] for f in SubjectForm.Meta.fields},
            )
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        except EditConflict as error:
            theirs = error.current
            conflict = conflict_for(
                form, theirs, {f: getattr(theirs, f) for f in SubjectForm.Meta.fields}
            )
        else:
            messages.success(request, "Persoonsgegevens bijgewerkt.")
            return _back(case)
    return _form_page(
        request,
        case,
        form,
        "Persoonsgegevens, detentie en verblijf",
        extra={"conflict": conflict},
        status=409 if conflict else 200,
    )


@login_required
def subject_link_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    # Need-to-know: only persons of active cases this user may see are offered; a
    # break-the-glass grant is read-only, so its case is no choice here.
    subjects = (
        Subject.objects.exclude(pk=case.subject_id)
        .filter(
            cases__in=cases_visible_to(request.user, emergency=False).exclude(
                phase=CasePhase.CLOSED
            )
        )
        .distinct()
    )
    form = SubjectLinkForm(request.POST or None, subjects=subjects)
    if request.method == "POST" and form.is_valid():
        try:
            services.subject_link_add(
                from_subject=case.subject,
                to_subject=form.cleaned_data["other"],
                kind=form.cleaned_data["kind"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Verband vastgelegd.")
            return _back(case, "netwerk")
    return _form_page(
        request,
        case,
        form,
        "Verband met een andere persoon in de aanpak",
        intro="De regisseurs van gekoppelde casussen zien elkaars naam om af te "
        "stemmen, niet elkaars dossier.",
    )


@login_required
def base_file_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    base_file = get_object_or_404(BaseFile.objects.select_related("framework_version"), case=case)
    editable = can_change(request.user, case) and not case.is_closed
    questions = framework_questions(base_file.framework_version_id)
    initial = {
        "risk_groups": base_file.risk_groups,
        "ideology": base_file.ideology,
        "violence_readiness": base_file.violence_readiness,
        "network": base_file.network,
        "summary": base_file.summary,
    }
    initial.update({f"q_{a.question_id}": a.value for a in base_file.answers.all()})
    for score in base_file.domain_scores.all():
        initial[f"score_{score.domain}"] = score.score
        initial[f"note_{score.domain}"] = score.note
    form = AssessmentForm(request.POST or None, questions=questions, initial=initial)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.base_file_save(
                    case=case,
                    actor=request.user,
                    answers=form.answers(),
                    scores=form.scores(),
                    risk_groups=data["risk_groups"],
                    ideology=data["ideology"],
                    violence_readiness=data["violence_readiness"],
                    network=data["network"],
                    summary=data["summary"],
                )
            except TransitionNotAllowed as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Basisdossier opgeslagen.")
                return _back(case)
    _log(request, case, description="basisdossier")
    current = FrameworkVersion.objects.filter(is_current=True).first()
    return render(
        request,
        "cases/base_file_form.html",
        {
            "case": case,
            "form": form,
            "base_file": base_file,
            "editable": editable,
            "can_upgrade": editable and current and current.pk != base_file.framework_version_id,
            "current_version": current,
        },
    )


@login_required
@require_POST
def base_file_start(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    try:
        services.base_file_start(case=case, actor=request.user)
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
        return redirect("cases:case_detail", pk=case.pk)
    messages.success(request, "Het basisdossier is gestart; vul het aan.")
    return redirect("cases:base_file_edit", pk=case.pk)


@login_required
@require_POST
def base_file_upgrade(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    try:
        services.base_file_upgrade(case=case, actor=request.user)
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, "Het basisdossier gebruikt nu de huidige versie van het beoordelingskader."
        )
    return redirect("cases:base_file_edit", pk=case.pk)


# --- The plan --------------------------------------------------------------------------------


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    concept = case.plan_versions.filter(status="concept").first()
    form = ScenarioForm(
        request.POST or None,
        initial={
            "scenario_short": concept.scenario_short if concept else "",
            "scenario_long": concept.scenario_long if concept else "",
            "lock_version": concept.lock_version if concept else 0,
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(case=case, actor=request.user, **form.cleaned_data)
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        except EditConflict as error:
            theirs = error.current
            conflict = conflict_for(
                form,
                theirs,
                {"scenario_short": theirs.scenario_short, "scenario_long": theirs.scenario_long},
            )
        else:
            messages.success(request, "Scenario's opgeslagen.")
            return _back(case, "plan")
    return _form_page(
        request,
        case,
        form,
        "Scenario's plan van aanpak",
        extra={"conflict": conflict},
        status=409 if conflict else 200,
    )


@login_required
def goal_edit(request: HttpRequest, pk: int, goal_pk: int | None = None) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    goal = get_object_or_404(Goal, pk=goal_pk, case=case) if goal_pk else None
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_save(case=case, actor=request.user, goal=goal, **form.cleaned_data)
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Doel opgeslagen.")
            return _back(case, "plan")
    return _form_page(request, case, form, "Doel" if goal else "Doel toevoegen")


@login_required
def intervention_edit(
    request: HttpRequest, pk: int, intervention_pk: int | None = None
) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    intervention = (
        get_object_or_404(Intervention, pk=intervention_pk, case=case) if intervention_pk else None
    )
    form = InterventionForm(request.POST or None, instance=intervention, case=case)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in InterventionForm.Meta.fields}
        try:
            services.intervention_save(
                case=case,
                actor=request.user,
                data=services.InterventionData(**data),
                intervention=intervention,
            )
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Interventie opgeslagen.")
            return _back(case, "plan")
    return _form_page(
        request,
        case,
        form,
        "Interventie" if intervention else "Interventie toevoegen",
        intro="Koppel een interventie uit het interventiepallet en onderbouw waarom deze past.",
    )


@login_required
@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    try:
        services.plan_submit_for_advice(case=case, actor=request.user)
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Het plan is klaar voor het ITAT-R; de secretaris plant het in.")
    return _back(case, "plan")


def _advised_plan(case: Case) -> PlanVersion | None:
    return case.plan_versions.filter(status=PlanStatus.ADVISED).first()


NO_ADVICE = "Er ligt geen advies van het ITAT-R dat op verwerking wacht."


@login_required
def plan_advice(request: HttpRequest, pk: int) -> HttpResponse:
    """The regisseur answers the ITAT-R: per advice point what was done with it."""
    case = get_case_for_user(request.user, pk, change=True)
    plan = _advised_plan(case)
    if plan is None:
        messages.info(request, NO_ADVICE)
        return _back(case, "plan")
    form = AdviceProcessingForm(
        request.POST or None, points=plan.advice_points, answered=plan.advice_responses
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_process_advice(plan=plan, actor=request.user, responses=form.responses())
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "Advies verwerkt. Maak het plan definitief voor het PTO-R als het klaar is.",
            )
            return _back(case, "plan")
    return _form_page(
        request,
        case,
        form,
        "Advies ITAT-R verwerken",
        intro="Pas zo nodig doelen, interventies en scenario's aan en geef per adviespunt aan "
        "wat ermee is gedaan.",
    )


@login_required
@require_POST
def plan_final(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    plan = _advised_plan(case)
    if plan is None:
        messages.info(request, NO_ADVICE)
        return _back(case, "plan")
    try:
        services.plan_mark_final(plan=plan, actor=request.user)
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, "Het plan is definitief voor het PTO-R; de secretaris kan het agenderen."
        )
    return _back(case, "plan")


@login_required
def plan_version_detail(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    version = get_object_or_404(PlanVersion, pk=version_pk, case=case)
    previous = case.plan_versions.filter(number__lt=version.number).order_by("-number").first()
    diff = selectors.plan_diff(previous.snapshot if previous else None, version.snapshot)
    _log(request, case, description=f"plan van aanpak versie {version.number}")
    return render(
        request,
        "cases/plan_version.html",
        {"case": case, "version": version, "previous": previous, "diff": diff},
    )


# --- Contacts, UVO, evaluations, proposals -----------------------------------------------------


@login_required
def contact_edit(request: HttpRequest, pk: int, contact_pk: int | None = None) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    contact = get_object_or_404(Contact, pk=contact_pk, case=case) if contact_pk else None
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_save(
                case=case, actor=request.user, contact=contact, **form.cleaned_data
            )
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Contactpersoon opgeslagen.")
            return _back(case, "contacten")
    return _form_page(request, case, form, "Contactpersoon")


def _agreements(formset) -> list[services.AgreementData]:
    """The agreements typed in an UVO form; rows left empty are not agreements."""
    return [
        services.AgreementData(
            what=a["what"], due_on=a["due_on"], owner=a["owner"], owner_name=a["owner_name"]
        )
        for a in formset.cleaned_data
        if a.get("what")
    ]


@login_required
def partner_meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    form = PartnerMeetingForm(request.POST or None)
    agreements = AgreementFormSet(request.POST or None, prefix="afspraken")
    if request.method == "POST" and form.is_valid() and agreements.is_valid():
        items = _agreements(agreements)
        try:
            services.partner_meeting_record(
                case=case, actor=request.user, agreements=items, **form.cleaned_data
            )
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "UVO vastgelegd.")
            return _back(case, "uvo")
    _log(request, case, description="uitvoerdersoverleg")
    return render(
        request,
        "cases/partner_meeting_form.html",
        {"case": case, "form": form, "agreements": agreements},
    )


@login_required
def partner_meeting_plan(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    form = UvoPlanForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_meeting_plan(case=case, actor=request.user, **form.cleaned_data)
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "UVO gepland; de genodigden zien het op Mijn werk.")
            return _back(case, "uvo")
    return _form_page(
        request,
        case,
        form,
        "UVO plannen",
        submit="UVO plannen",
        intro="Nodig de partners van de interventies van deze casus uit, en wie nodig is uit "
        "het adresboek. Genodigden met een account zien het UVO op Mijn werk, met een .ics.",
    )


def _uvo(case: Case, meeting_pk: int) -> PartnerMeeting:
    return get_object_or_404(PartnerMeeting, pk=meeting_pk, case=case)


@login_required
def partner_meeting_hold(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    meeting = _uvo(case, meeting_pk)
    if not meeting.is_planned:
        messages.info(request, f"Dit UVO is al {meeting.get_status_display().lower()}.")
        return _back(case, "uvo")
    form = UvoHoldForm(request.POST or None, initial={"participants": meeting.participants})
    agreements = AgreementFormSet(request.POST or None, prefix="afspraken")
    if request.method == "POST" and form.is_valid() and agreements.is_valid():
        items = _agreements(agreements)
        try:
            services.partner_meeting_hold(
                meeting=meeting, actor=request.user, agreements=items, **form.cleaned_data
            )
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "UVO vastgelegd als gehouden.")
            return _back(case, "uvo")
    _log(request, case, description="uitvoerdersoverleg")
    return render(
        request,
        "cases/partner_meeting_form.html",
        {"case": case, "form": form, "agreements": agreements, "planned": meeting},
    )


@login_required
@require_POST
def partner_meeting_cancel(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    meeting = _uvo(case, meeting_pk)
    form = UvoCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
        return _back(case, "uvo")
    try:
        services.partner_meeting_cancel(
            meeting=meeting, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "UVO geannuleerd; de genodigden zijn bericht.")
    return _back(case, "uvo")


@login_required
def partner_meeting_ics(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """The invitation in the invitee's own calendar: date, place and case number, no content."""
    meeting = get_uvo_for_user(request.user, pk, meeting_pk)
    access_log_record(
        request=request,
        actor=request.user,
        action=AccessAction.EXPORT,
        obj=meeting,
        description=f"UVO {meeting.case.reference} als iCalendar",
    )
    calendar = Calendar()
    calendar.add("prodid", "-//iPGA-R//UVO//NL")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"uvo-{meeting.pk}@ipgar")
    event.add("dtstamp", timezone.now())
    start = meeting.starts_at or timezone.make_aware(
        datetime.combine(meeting.held_on, datetime.min.time().replace(hour=9))
    )
    event.add("dtstart", timezone.localtime(start))
    event.add("dtend", timezone.localtime(start + timedelta(hours=1)))
    event.add("summary", f"UVO casus {meeting.case.reference}")
    if meeting.status == UvoStatus.CANCELLED:
        event.add("status", "CANCELLED")
    if meeting.location:
        event.add("location", meeting.location)
    calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="uvo-{meeting.pk}.ics"'
    return response


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *DIRECTORY_READERS)
    query = search_param(request, "zoek")
    entries = selectors.directory_search(query)
    return render(
        request,
        "cases/directory.html",
        {
            "entries": entries,
            "query": query,
            "can_keep": request.user.has_role(*DIRECTORY_KEEPERS),
        },
    )


@login_required
def directory_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_role(request.user, *DIRECTORY_KEEPERS)
    entry = get_object_or_404(DirectoryEntry, pk=pk) if pk else None
    form = DirectoryEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        services.directory_entry_save(actor=request.user, entry=form.save(commit=False))
        messages.success(request, "Adresboek bijgewerkt.")
        return redirect("cases:directory")
    return render(
        request,
        "cases/form.html",
        {"form": form, "title": "Contactpersoon adresboek", "submit": "Opslaan"},
    )


@login_required
@require_POST
def agreement_done(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    agreement = get_object_or_404(Agreement, pk=agreement_pk, meeting__case=case)
    services.agreement_mark_done(agreement=agreement, actor=request.user)
    return _back(case, "uvo")


@login_required
def evaluation_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    if case.is_closed:
        messages.error(request, "Een afgesloten casus wordt niet meer geëvalueerd.")
        return _back(case)
    goals = list(case.goals.filter(is_active=True))
    interventions = list(case.interventions.select_related("catalogue_entry"))
    form = EvaluationForm(request.POST or None, goals=goals, interventions=interventions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.evaluation_record(
                case=case,
                actor=request.user,
                held_on=data["held_on"],
                summary=data["summary"],
                conclusion=data["conclusion"],
                goal_results=form.goal_results(),
                intervention_results=form.intervention_results(),
                scores=form.scores(),
            )
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Evaluatie vastgelegd.")
            return _back(case, "evaluaties")
    _log(request, case, description="evaluatie")
    return render(request, "cases/evaluation_form.html", {"case": case, "form": form})


@login_required
def proposal_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, change=True)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_submit(case=case, actor=request.user, **form.cleaned_data)
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, "Voorstel ingediend; het gaat naar het ITAT-R en daarna het Regieoverleg."
            )
            return _back(case)
    return _form_page(
        request,
        case,
        form,
        "Afbouw- of afsluitvoorstel",
        intro="Alleen het Regieoverleg kan een casus afbouwen, statisch verklaren of afsluiten.",
    )


# --- Caseload and assignment (coordinator: no case content) ------------------------------------


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.COORDINATOR, Role.DECISION_MEMBER)
    rows = selectors.caseload()
    organisations: dict[str, dict] = {}
    for row in rows:
        org = organisations.setdefault(
            row["user"].organisation.name, {"active": 0, "capacity": 0, "rows": []}
        )
        org["active"] += row["active"]
        org["capacity"] += row["capacity"]
        org["rows"].append(row)
    cases = []
    if request.user.has_role(Role.COORDINATOR):
        cases = list(
            Case.objects.exclude(phase=CasePhase.CLOSED)
            .select_related("regisseur", "organisation")
            .order_by("admitted_at")
        )
    return render(
        request,
        "cases/caseload.html",
        {
            "organisations": organisations,
            "phases": CasePhase.choices,
            "cases": cases,
            "can_reassign": request.user.has_role(Role.COORDINATOR),
        },
    )


@login_required
def case_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, Role.COORDINATOR)
    case = get_object_or_404(Case.objects.select_related("regisseur", "organisation"), pk=pk)
    form = ReassignForm(request.POST or None, initial={"regisseur": case.regisseur})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reassign(
                case=case, actor=request.user, regisseur=form.cleaned_data["regisseur"]
            )
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"Casus {case.reference} is toebedeeld aan {form.cleaned_data['regisseur']}.",
            )
            return redirect("cases:caseload")
    _log(request, case, description="toebedelen")
    return render(
        request,
        "cases/reassign.html",
        {"case": case, "form": form, "caseload": selectors.caseload()},
    )


# --- Intervention partners: only their own interventions ---------------------------------------


@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.INTERVENTION_PARTNER)
    interventions = list(selectors.partner_intervention_list(request.user))
    registered = hasattr(request.user, "partner_registration")
    access_log_record(
        request=request,
        actor=request.user,
        action=AccessAction.LIST,
        object_type="cases.intervention",
        description=f"{len(interventions)} eigen interventies",
    )
    return render(
        request,
        "cases/partner_list.html",
        {"interventions": interventions, "registered": registered},
    )


@login_required
def partner_intervention(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = get_partner_intervention(request.user, pk)
    can_log = may_log_on(request.user, intervention)
    if request.method == "POST" and not can_log:
        raise PermissionDenied  # the intervention ended: read-only until the next evaluation
    form = LogEntryForm(
        request.POST or None,
        interventions=Intervention.objects.filter(pk=intervention.pk),
        initial={"intervention": intervention},
    )
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "intervention": intervention}
        try:
            services.logbook_add(case=intervention.case, actor=request.user, **data)
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Logboekregel opgeslagen.")
            return redirect("cases:partner_intervention", pk=pk)
    entries = list(
        LogEntry.objects.filter(intervention=intervention)
        .select_related("author")
        .order_by("-at")[:50]
    )
    access_log_record(
        request=request,
        actor=request.user,
        action=AccessAction.VIEW,
        obj=intervention,
        subject_ref=f"subject:{intervention.case.subject_id}",
    )
    return render(
        request,
        "cases/partner_intervention.html",
        {
            "intervention": intervention,
            "subject": intervention.case.subject,
            "entries": entries,
            "form": form if can_log else None,
        },
    )


@login_required
def partner_registration(request: HttpRequest, user_pk: int) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    partner = get_object_or_404(User, pk=user_pk, groups__name=Role.INTERVENTION_PARTNER)
    existing = getattr(partner, "partner_registration", None)
    form = PartnerRegistrationForm(
        request.POST or None,
        initial={
            "signed_on": existing.signed_on,
            "signed_by": existing.signed_by,
            "scope": existing.scope,
        }
        if existing
        else None,
    )
    if request.method == "POST" and form.is_valid():
        services.partner_registration_record(user=partner, actor=request.user, **form.cleaned_data)
        messages.success(request, f"Registratieformulier van {partner} vastgelegd.")
        return redirect("cases:partner_registration", user_pk=partner.pk)
    return render(
        request,
        "cases/partner_registration.html",
        {"partner": partner, "form": form, "existing": existing},
    )


# --- The intervention catalogue (functional administrator) -------------------------------------


@login_required
def catalogue_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    entries = CatalogueEntry.objects.select_related("provider").order_by("category", "name")
    category = request.GET.get("categorie", "")
    if category in InterventionCategory.values:
        entries = entries.filter(category=category)
    return render(
        request,
        "cases/catalogue_list.html",
        {"entries": entries, "category": category, "categories": InterventionCategory.choices},
    )


@login_required
def catalogue_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    entry = get_object_or_404(CatalogueEntry, pk=pk) if pk else None
    form = CatalogueEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        saved = services.catalogue_entry_save(actor=request.user, entry=form.instance)
        messages.success(request, f"Interventie ‘{saved.name}’ is opgeslagen.")
        return redirect("cases:catalogue_list")
    return render(request, "cases/catalogue_form.html", {"form": form, "entry": entry})


# --- Notification letters (intake desk; the regisseur reads along) ----------------------------


def _letter_case(request: HttpRequest, pk: int):
    """The intake desk sends the letters; the case's regisseur may follow them."""
    case = get_object_or_404(
        Case.objects.select_related("subject", "regisseur", "organisation"), pk=pk
    )
    if can_open_letters(request.user, case):
        return case
    raise Http404


@login_required
def letters_overview(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.INTAKE)
    cases = (
        Case.objects.exclude(phase=CasePhase.CLOSED)
        .select_related("subject")
        .prefetch_related("contacts", "letters")
        .order_by("admitted_at")
    )
    today = timezone.localdate()
    rows = [
        {"case": case, "status": status, "due": due, "overdue": due < today}
        for case in cases
        if not (status := letter_status(case)).complete and (due := letter_due(case))
    ]
    access_log_record(
        request=request,
        actor=request.user,
        action=AccessAction.LIST,
        object_type="cases.letter",
        description=f"{len(rows)} casussen zonder volledige notificatie",
    )
    return render(request, "cases/letters_overview.html", {"rows": rows})


@login_required
def case_letters(request: HttpRequest, pk: int) -> HttpResponse:
    case = _letter_case(request, pk)
    status = letter_status(case)
    access_log_record(
        request=request,
        actor=request.user,
        action=AccessAction.VIEW,
        obj=case,
        subject_ref=f"subject:{case.subject_id}",
        description="notificatiebrieven",
    )
    return render(
        request,
        "cases/case_letters.html",
        {
            "case": case,
            "status": status,
            "due": letter_due(case),
            "can_send": request.user.has_role(Role.INTAKE) and not case.is_closed,
            "methods": DispatchMethod.choices,
            # The link back to the case only when the case page opens for the reader.
            "can_open_case": cases_visible_to(request.user).filter(pk=case.pk).exists(),
        },
    )


@login_required
@require_POST
def letters_generate(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, Role.INTAKE)
    case = _letter_case(request, pk)
    try:
        made = services.letters_generate(case=case, actor=request.user)
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
    else:
        access_log_record(
            request=request,
            actor=request.user,
            action=AccessAction.LETTER,
            obj=case,
            subject_ref=f"subject:{case.subject_id}",
            description=f"{len(made)} notificatiebrieven gemaakt",
        )
        messages.success(
            request,
            f"{len(made)} brief/brieven gemaakt." if made else "Alle brieven waren al gemaakt.",
        )
    return redirect("cases:case_letters", pk=case.pk)


@login_required
@require_POST
def letter_dispatch(request: HttpRequest, pk: int, letter_pk: int) -> HttpResponse:
    require_role(request.user, Role.INTAKE)
    case = _letter_case(request, pk)
    letter = get_object_or_404(Letter, pk=letter_pk, case=case)
    method = request.POST.get("method", "")
    try:
        dispatched_on = date.fromisoformat(request.POST.get("dispatched_on", ""))
    except ValueError:
        messages.error(request, "Vul de datum van verzending in (dd-mm-jjjj).")
        return redirect("cases:case_letters", pk=case.pk)
    if method not in DispatchMethod.values:
        messages.error(request, "Kies hoe de brief is verzonden of overhandigd.")
        return redirect("cases:case_letters", pk=case.pk)
    try:
        services.letter_dispatch_register(
            letter=letter, actor=request.user, method=method, dispatched_on=dispatched_on
        )
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Verzending aan {letter.recipient_name} vastgelegd.")
    return redirect("cases:case_letters", pk=case.pk)


@login_required
def letter_download(request: HttpRequest, pk: int, letter_pk: int) -> HttpResponse:
    case = _letter_case(request, pk)
    letter = get_object_or_404(Letter, pk=letter_pk, case=case)
    if not letter.file:
        raise Http404("Van deze brief is geen PDF bewaard.")
    try:
        pdf = letter.file.open("rb")
    except FileNotFoundError:
        # The row points at a file the storage lost: a 404 for the user, an error for operations.
        logger.error("Brief %s: bestand %s ontbreekt in de opslag", letter.pk, letter.file.name)
        raise Http404("Het bestand van deze brief ontbreekt.") from None
    access_log_record(
        request=request,
        actor=request.user,
        action=AccessAction.DOWNLOAD,
        obj=letter,
        subject_ref=f"subject:{case.subject_id}",
        description=f"notificatiebrief aan {letter.get_recipient_kind_display()}",
    )
    response = FileResponse(
        pdf,
        content_type="application/pdf",
        as_attachment=True,
        filename=f"notificatiebrief-{letter.pk}.pdf",
    )
    response["Cache-Control"] = "no-store"
    return response
