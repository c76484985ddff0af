import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from intake import selectors, services
from intake.constants import OPEN_STATUSES, CheckResult, ReportStatus, TriageOutcome, Urgency
from intake.exceptions import TransitionNotAllowed
from intake.forms import (
    AdviceForm,
    ApproachCheckForm,
    AssessmentForm,
    FrameworkCopyForm,
    FrameworkQuestionForm,
    InformationAnswerForm,
    InformationRequestForm,
    PersonCheckForm,
    PersonForm,
    PersonFormSet,
    PersonSearchForm,
    ReportForm,
    TriageForm,
)
from intake.models import Assessment, FrameworkQuestion, FrameworkVersion, InformationRequest
from intake.permissions import (
    get_report_for_assessment,
    get_report_for_user,
    report_rights,
    reports_visible_to,
)
from ipgar.accounts.constants import Role
from ipgar.accounts.permissions import require_role
from ipgar.audit.constants import AccessAction
from ipgar.audit.services import access_log_record, access_log_record_shown
from ipgar.lib.http import choice_param, int_param

DESK_ROLES = (Role.INTAKE, Role.POLICE_INTAKE)
REPORT_ROLES = (*DESK_ROLES, Role.ASSESSMENT_BOARD)
MAX_REPORT_AGE_DAYS = 36_500  # a hundred years: older than any report


def _log(request, action, report=None, description=""):
    access_log_record(
        request=request,
        actor=request.user,
        action=action,
        obj=report,
        object_type="intake.report",
        subject_ref=f"report:{report.pk}" if report else "",
        description=description,
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *REPORT_ROLES)
    status, status_error = choice_param(
        request.GET.get("status"), ReportStatus.values, what="status"
    )
    urgency, urgency_error = choice_param(
        request.GET.get("urgentie"), Urgency.values, what="urgentie"
    )
    min_age, min_age_error = int_param(
        request.GET.get("ouder_dan"), default=0, low=0, high=MAX_REPORT_AGE_DAYS
    )
    reports = selectors.report_list_for_user(
        request.user, status=status, urgency=urgency, min_age_days=min_age or None
    )
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    _log(request, AccessAction.LIST, description=f"{len(page.object_list)} meldingen getoond")
    access_log_record_shown(
        request=request,
        actor=request.user,
        action=AccessAction.LIST,
        object_type="intake.report",
        subject_refs=[f"report:{report.pk}" for report in page.object_list],
        description="meldingenlijst",
    )
    context = {
        "page": page,
        "status": status,
        "urgency": urgency,
        "min_age": min_age or "",
        "min_age_error": min_age_error,
        "filter_errors": [e for e in (status_error, urgency_error) if e],
        "statuses": [(s, ReportStatus(s).label) for s in ReportStatus.values],
        "open_statuses": OPEN_STATUSES,
        "urgencies": Urgency.choices,
        "counts": selectors.status_counts_for_user(request.user),
        "can_register": request.user.has_role(*DESK_ROLES),
        "querystring": _querystring(request),
    }
    template = "intake/_report_rows.html" if request.htmx else "intake/report_list.html"
    return render(request, template, context)


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *DESK_ROLES)
    desk = Role.INTAKE if request.user.has_role(Role.INTAKE) else Role.POLICE_INTAKE
    form = ReportForm(request.POST or None)
    persons = PersonFormSet(request.POST or None, prefix="personen")
    if request.method == "POST" and form.is_valid() and persons.is_valid():
        identified = persons.identified()
        if not identified and not form.cleaned_data["reporter_anonymous"]:
            form.add_error(
                None,
                "Vul ten minste één persoon in (naam, geboortedatum of BSN). Alleen een "
                "anonieme melding mag zonder bekende persoon.",
            )
        else:
            data = form.cleaned_data
            report, created = services.report_register(
                actor=request.user,
                desk=desk,
                submission_key=data["submission_key"],
                persons=identified,
                received_at=data["received_at"],
                channel=data["channel"],
                urgency=data["urgency"],
                reporter_kind=data["reporter_kind"],
                reporter_anonymous=data["reporter_anonymous"],
                reporter_name=data["reporter_name"],
                reporter_organisation=data["reporter_organisation"],
                reporter_phone=data["reporter_phone"],
                reporter_email=data["reporter_email"],
                observation=data["observation"],
            )
            if created:
                messages.success(request, f"Melding {report.reference} is geregistreerd.")
            else:
                messages.info(request, f"Melding {report.reference} was al geregistreerd.")
            return redirect("intake:report_detail", pk=report.pk)
    return render(request, "intake/report_form.html", {"form": form, "persons": persons})


REGISTRATION_FIELDS = (
    "received_at",
    "channel",
    "urgency",
    "reporter_kind",
    "reporter_anonymous",
    "reporter_name",
    "reporter_organisation",
    "reporter_phone",
    "reporter_email",
    "observation",
)


@login_required
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """The desk that registered a report corrects it until the first assessment (triage);
    every change is kept in the history and the correction is in the access log."""
    report = get_report_for_user(request.user, pk, change=True)
    if not report_rights(request.user, report)["can_edit_registration"]:
        raise PermissionDenied
    existing = list(report.persons.order_by("pk"))
    initial = {name: getattr(report, name) for name in REGISTRATION_FIELDS}
    form = ReportForm(request.POST or None, initial={**initial, "submission_key": uuid.uuid4()})
    persons = PersonFormSet(
        request.POST or None,
        prefix="personen",
        initial=[
            {name: getattr(person, name) for name in PersonForm.base_fields} for person in existing
        ],
    )
    if request.method == "POST" and form.is_valid() and persons.is_valid():
        changes: dict = {}
        for index, person_form in enumerate(persons.forms):
            known = existing[index].pk if index < len(existing) else None
            if person_form.has_identity():
                changes[known] = person_form.person_data()
            elif known is not None:
                changes[known] = None  # emptied: the person is taken off the report
        try:
            services.report_update_registration(
                report=report,
                actor=request.user,
                persons=changes,
                **{name: form.cleaned_data[name] for name in REGISTRATION_FIELDS},
            )
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            _log(request, AccessAction.VIEW, report, "registratie gecorrigeerd")
            messages.success(request, f"Melding {report.reference} is gecorrigeerd.")
            return redirect("intake:report_detail", pk=report.pk)
    return render(
        request,
        "intake/report_form.html",
        {"form": form, "persons": persons, "report": report, "correcting": True},
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    _log(request, AccessAction.VIEW, report)
    data = selectors.report_detail_data(report)
    rights = report_rights(request.user, report)
    missing = services.assessment_missing(data["assessment"]) if data["assessment"] else []
    matched = {check.matched_report_id for check in data["person_checks"]} - {None}
    return render(
        request,
        "intake/report_detail.html",
        {
            "report": report,
            **data,
            **rights,
            "missing": missing,
            # A recorded match links to its report only when that report opens for the reader.
            "openable_matches": set(
                reports_visible_to(request.user).filter(pk__in=matched).values_list("pk", flat=True)
            )
            if matched
            else set(),
            "search_form": PersonSearchForm(initial=_person_search_initial(report)),
            "request_form": InformationRequestForm(),
            "check_form": ApproachCheckForm(),
        },
    )


def _refuse(request: HttpRequest, error: TransitionNotAllowed, pk: int) -> HttpResponse:
    messages.error(request, error.message)
    return redirect("intake:report_detail", pk=pk)


@login_required
def report_triage(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, change=True)
    if report.status != ReportStatus.REGISTERED:
        messages.error(request, "Deze melding heeft de eerste beoordeling al gehad.")
        return redirect("intake:report_detail", pk=pk)
    form = TriageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_triage(report=report, actor=request.user, **form.cleaned_data)
        except TransitionNotAllowed as error:
            return _refuse(request, error, pk)
        label = TriageOutcome(form.cleaned_data["outcome"]).label
        messages.success(request, f"Eerste beoordeling vastgelegd: {label}.")
        return redirect("intake:report_detail", pk=pk)
    _log(request, AccessAction.VIEW, report, "eerste beoordeling")
    persons = list(report.persons.order_by("pk"))
    return render(
        request, "intake/report_triage.html", {"report": report, "form": form, "persons": persons}
    )


@login_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_assessment(request.user, pk)
    rights = report_rights(request.user, report)
    if not rights["can_assess"]:
        raise PermissionDenied
    assessment = (
        Assessment.objects.filter(report=report).select_related("framework_version").first()
    )
    version = (
        assessment.framework_version
        if assessment
        else FrameworkVersion.objects.get(is_current=True)
    )
    questions = selectors.framework_questions(version.pk)
    initial = {}
    if assessment:
        initial.update(
            risk_groups=assessment.risk_groups,
            ideology=assessment.ideology,
            violence_readiness=assessment.violence_readiness,
            network=assessment.network,
            summary=assessment.summary,
        )
        initial.update({f"q_{a.question_id}": a.value for a in assessment.answers.all()})
        for score in assessment.domain_scores.all():
            initial[f"score_{score.domain}"] = score.score
            initial[f"note_{score.domain}"] = score.note
    form = AssessmentForm(request.POST or None, questions=questions, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.assessment_save(
                report=report,
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
            return _refuse(request, error, pk)
        missing = services.assessment_missing(saved)
        if missing:
            messages.info(request, f"Duiding opgeslagen. Nog open: {len(missing)} onderdelen.")
        else:
            messages.success(request, "Duiding opgeslagen en volledig.")
        return redirect("intake:report_detail", pk=pk)
    _log(request, AccessAction.VIEW, report, "duiding")
    return render(
        request, "intake/assessment_form.html", {"report": report, "form": form, "version": version}
    )


@login_required
def information_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_assessment(request.user, pk)
    if not report_rights(request.user, report)["can_request_information"]:
        raise PermissionDenied
    form = InformationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.information_request_create(
                report=report, actor=request.user, **form.cleaned_data
            )
        except TransitionNotAllowed as error:
            return _refuse(request, error, pk)
        messages.success(request, "Informatieverzoek vastgelegd.")
        return redirect("intake:report_detail", pk=pk)
    _log(request, AccessAction.VIEW, report, "informatieverzoek")
    return render(request, "intake/information_request_form.html", {"report": report, "form": form})


@login_required
def information_request_answer(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    report = get_report_for_assessment(request.user, pk)
    info = get_object_or_404(InformationRequest, pk=request_pk, report=report)
    if not report_rights(request.user, report)["can_request_information"]:
        raise PermissionDenied
    form = InformationAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.information_request_answer(
                request=info, actor=request.user, **form.cleaned_data
            )
        except TransitionNotAllowed as error:
            return _refuse(request, error, pk)
        messages.success(request, f"Antwoord van {info.organisation} vastgelegd.")
        return redirect("intake:report_detail", pk=pk)
    _log(request, AccessAction.VIEW, report, "informatieverzoek beantwoorden")
    return render(
        request,
        "intake/information_answer_form.html",
        {"report": report, "info": info, "form": form},
    )


def _person_search_initial(report) -> dict:
    """The known-person check starts from the report's first person: nobody retypes it."""
    person = report.persons.order_by("pk").first()
    if person is None:
        return {}
    return {
        "bsn": person.bsn,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth": person.date_of_birth,
    }


@login_required
def person_search(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_assessment(request.user, pk)
    if not report_rights(request.user, report)["can_check_persons"]:
        raise PermissionDenied
    form = PersonSearchForm(request.GET or None, initial=_person_search_initial(report))
    matches = None
    openable: set[int] = set()
    if form.is_bound and form.is_valid():
        matches = selectors.person_matches(**form.cleaned_data, exclude_report_id=report.pk)
        # A match links to its report only when the report page opens for this reader.
        openable = set(
            reports_visible_to(request.user)
            .filter(pk__in={m.person.report_id for m in matches})
            .values_list("pk", flat=True)
        )
        _log(
            request,
            AccessAction.SEARCH,
            report,
            f"bekende-personencheck: {len(matches)} mogelijke "
            + ("overeenkomst" if len(matches) == 1 else "overeenkomsten"),
        )
    template = "intake/_person_matches.html" if request.htmx else "intake/person_search.html"
    return render(
        request,
        template,
        {
            "report": report,
            "search_form": form,
            "matches": matches,
            "openable": openable,
            "check_form": PersonCheckForm(),
        },
    )


@login_required
@require_POST
def person_check_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the known-person check's outcome on the report. The match is looked up again
    with the search the user made: only a report that search found can be named. Anything
    amiss shows the search again, with what was chosen and typed kept and the reason why."""
    report = get_report_for_assessment(request.user, pk)
    if not report_rights(request.user, report)["can_check_persons"]:
        raise PermissionDenied
    search_form = PersonSearchForm(request.POST)
    form = PersonCheckForm(request.POST)
    error = ""
    if not search_form.is_valid():
        # The search did not come along: the one the page starts with, the report's person.
        error = "De zoekopdracht ontbrak; kies opnieuw uit de personen bij deze melding."
        start = {key: value or "" for key, value in _person_search_initial(report).items()}
        search_form = PersonSearchForm(start or {})
    matches = (
        selectors.person_matches(**search_form.cleaned_data, exclude_report_id=report.pk)
        if search_form.is_valid()
        else None
    )
    if not error and matches is not None and form.is_valid():
        outcome = form.cleaned_data["outcome"]
        found = {match.person.report_id: match.person.report for match in matches}
        if outcome is not None and outcome not in found:
            error = "Deze melding hoort niet bij de zoekresultaten; kies opnieuw."
        else:
            try:
                services.person_check_record(
                    report=report,
                    actor=request.user,
                    result=CheckResult.KNOWN if outcome else CheckResult.NOT_KNOWN,
                    matched_report=found.get(outcome),
                    note=form.cleaned_data["note"],
                )
            except TransitionNotAllowed as refusal:
                error = refusal.message
            else:
                messages.success(request, "Uitkomst van de bekende-personencheck vastgelegd.")
                return redirect(reverse("intake:report_detail", args=[pk]) + "#kop-bekend")
    openable = set(
        reports_visible_to(request.user)
        .filter(pk__in={m.person.report_id for m in matches or []})
        .values_list("pk", flat=True)
    )
    _log(request, AccessAction.VIEW, report, "bekende-personencheck: uitkomst niet vastgelegd")
    return render(
        request,
        "intake/person_search.html",
        {
            "report": report,
            "search_form": search_form,
            "matches": matches,
            "openable": openable,
            "check_form": form,
            "check_error": error,
        },
    )


@login_required
def approach_check_create(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_assessment(request.user, pk)
    if not report_rights(request.user, report)["can_check_persons"]:
        raise PermissionDenied
    form = ApproachCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.approach_check_record(report=report, actor=request.user, **form.cleaned_data)
        messages.success(request, "Controle andere aanpak vastgelegd.")
        return redirect("intake:report_detail", pk=pk)
    _log(request, AccessAction.VIEW, report, "andere aanpak")
    return render(request, "intake/approach_check_form.html", {"report": report, "form": form})


@login_required
def report_advise(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_assessment(request.user, pk)
    rights = report_rights(request.user, report)
    if not rights["can_advise"]:
        raise PermissionDenied
    advice = getattr(report, "advice", None)
    initial = {}
    if advice:
        initial = {
            "kind": advice.kind,
            "reasoning": advice.reasoning,
            "proposed_risk_groups": advice.proposed_risk_groups,
            "proposed_ideology": advice.proposed_ideology,
            "best_cards": advice.best_cards,
        }
    elif hasattr(report, "assessment"):
        initial = {
            "proposed_risk_groups": report.assessment.risk_groups,
            "proposed_ideology": report.assessment.ideology,
        }
    form = AdviceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_advise(report=report, actor=request.user, **form.cleaned_data)
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Advies vastgelegd.")
            return redirect("intake:report_detail", pk=pk)
    assessment = getattr(report, "assessment", None)
    missing = services.assessment_missing(assessment)
    _log(request, AccessAction.VIEW, report, "advies")
    return render(
        request, "intake/advice_form.html", {"report": report, "form": form, "missing": missing}
    )


@login_required
@require_POST
def report_mark_ready(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_assessment(request.user, pk)
    if not report_rights(request.user, report)["can_mark_ready"]:
        raise PermissionDenied
    try:
        services.report_mark_ready_for_decision(report=report, actor=request.user)
    except TransitionNotAllowed as error:
        return _refuse(request, error, pk)
    messages.success(request, "De melding is aangemeld voor het volgende Regieoverleg.")
    return redirect("intake:report_detail", pk=pk)


@login_required
@require_POST
def report_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_assessment(request.user, pk)
    if not report_rights(request.user, report)["can_mark_ready"]:
        raise PermissionDenied
    try:
        services.report_reopen_assessment(report=report, actor=request.user)
    except TransitionNotAllowed as error:
        return _refuse(request, error, pk)
    messages.info(request, "De duiding is heropend; het advies blijft staan tot u het wijzigt.")
    return redirect("intake:report_detail", pk=pk)


# --- The assessment framework (functional administrator; no report content) -----------------


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    versions = FrameworkVersion.objects.order_by("-is_current", "-version")
    return render(request, "intake/framework_list.html", {"versions": versions})


@login_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    version = get_object_or_404(FrameworkVersion, pk=pk)
    questions = selectors.framework_questions(version.pk)
    return render(
        request,
        "intake/framework_detail.html",
        {
            "version": version,
            "questions": questions,
            "in_use": services.framework_in_use(version),
        },
    )


@login_required
@require_POST
def framework_copy(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    source = get_object_or_404(FrameworkVersion, pk=pk)
    form = FrameworkCopyForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("intake:framework_detail", pk=pk)
    version = form.cleaned_data["version"]
    name = form.cleaned_data["name"] or source.name
    try:
        copy = services.framework_version_copy(
            source=source, actor=request.user, version=version, name=name
        )
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
        return redirect("intake:framework_detail", pk=pk)
    messages.success(request, f"Versie {copy.version} is aangemaakt als concept.")
    return redirect("intake:framework_detail", pk=copy.pk)


@login_required
@require_POST
def framework_activate(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, Role.ADMINISTRATOR)
    version = get_object_or_404(FrameworkVersion, pk=pk)
    try:
        services.framework_version_activate(version=version, actor=request.user)
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Versie {version.version} is nu in gebruik voor nieuwe duidingen."
        )
    return redirect("intake:framework_detail", pk=pk)


@login_required
def framework_question_edit(request: HttpRequest, pk: int, question_pk: int | None = None):
    require_role(request.user, Role.ADMINISTRATOR)
    version = get_object_or_404(FrameworkVersion, pk=pk)
    question = (
        get_object_or_404(FrameworkQuestion, pk=question_pk, section__version=version)
        if question_pk
        else None
    )
    form = FrameworkQuestionForm(request.POST or None, instance=question, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_question_save(question=form.instance, actor=request.user)
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Vraag opgeslagen.")
            return redirect("intake:framework_detail", pk=pk)
    return render(
        request,
        "intake/framework_question_form.html",
        {"version": version, "form": form, "question": question},
    )
