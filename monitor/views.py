"""The monitor for the programme team: aggregates only. Every view and export is written to
the access log with what was shown or exported; no person is named in it or in the figures."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from ipgar.accounts.constants import Role
from ipgar.accounts.permissions import require_role
from ipgar.audit.constants import AccessAction
from ipgar.audit.services import access_log_record
from ipgar.lib.pdf import pdf_response, render_pdf
from monitor import charts, exports
from monitor.forms import PeriodForm, default_period
from monitor.selectors import DEFAULT_GAP_WEEKS, monitor_data

OBJECT_TYPE = "monitor"


def _selection(request: HttpRequest):
    """The form and, when it is valid, the period and weeks; an invalid choice (quarter 5, an
    end before the start) gives no period: the page shows the error and no figures, an export
    answers 400, so no default period is ever passed off as the one asked for."""
    form = PeriodForm(request.GET or None)
    if not request.GET:
        return form, default_period(), DEFAULT_GAP_WEEKS
    if form.is_valid():
        return form, form.period(), form.gap_weeks()
    return form, None, None


def _invalid(form) -> HttpResponse:
    errors = "; ".join(str(message) for messages in form.errors.values() for message in messages)
    return HttpResponse(
        f"Ongeldige periode: {errors}", status=400, content_type="text/plain; charset=utf-8"
    )


def _log(request: HttpRequest, action: AccessAction, period, what: str) -> None:
    access_log_record(
        request=request,
        actor=request.user,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=period.slug,
        description=f"Monitor {period.label} ({what}), geaggregeerd, zonder personen",
    )


def _query_string(request: HttpRequest) -> str:
    return request.GET.urlencode()


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.PROGRAMME_TEAM)
    form, period, weeks = _selection(request)
    if period is None:
        return render(request, "monitor/dashboard.html", {"form": form, "data": None}, status=400)
    data = monitor_data(period, gap_weeks=weeks)
    _log(request, AccessAction.VIEW, period, "pagina")
    return render(
        request,
        "monitor/dashboard.html",
        {
            "form": form,
            "data": data,
            "charts": charts.chart_series(data),
            "query": _query_string(request),
            "suppressed": exports.SUPPRESSED,
        },
    )


def _filename(period, extension: str) -> str:
    return f"monitor-{period.slug}.{extension}"


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.PROGRAMME_TEAM)
    form, period, weeks = _selection(request)
    if period is None:
        return _invalid(form)
    data = monitor_data(period, gap_weeks=weeks)
    _log(request, AccessAction.EXPORT, period, "CSV")
    response = HttpResponse(exports.to_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(period, "csv")}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.PROGRAMME_TEAM)
    form, period, weeks = _selection(request)
    if period is None:
        return _invalid(form)
    data = monitor_data(period, gap_weeks=weeks)
    _log(request, AccessAction.EXPORT, period, "XLSX")
    response = HttpResponse(
        exports.to_xlsx(data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(period, "xlsx")}"'
    response["Cache-Control"] = "no-store"
    return response


def render_report(data: dict):
    """The governance report as RenderedPdf: its HTML for tests, its bytes for the download."""
    svgs = [
        {**chart, "svg": mark_safe(charts.bar_chart_svg(chart))}  # noqa: S308 (escaped inside)
        for chart in charts.chart_series(data)
    ]
    return render_pdf(
        "monitor/pdf/report.html",
        {"data": data, "charts": svgs, "suppressed": exports.SUPPRESSED},
    )


@login_required
def export_pdf(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.PROGRAMME_TEAM)
    form, period, weeks = _selection(request)
    if period is None:
        return _invalid(form)
    data = monitor_data(period, gap_weeks=weeks)
    _log(request, AccessAction.PRINT, period, "PDF-rapport")
    return pdf_response(render_report(data), _filename(period, "pdf"))
