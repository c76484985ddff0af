from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ipgar.accounts.constants import Role
from ipgar.accounts.permissions import require_role
from ipgar.audit.constants import AccessAction
from ipgar.audit.forms import AccessLogSearchForm
from ipgar.audit.selectors import access_log_search
from ipgar.audit.services import access_log_record
from privacy.selectors import describe_entries


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """The privacy officer audits who read what; searchable by subject and by user."""
    require_role(request.user, Role.PRIVACY_OFFICER)
    form = AccessLogSearchForm(request.GET or None)
    entries = access_log_search()
    if form.is_bound and form.is_valid():
        entries = access_log_search(**form.cleaned_data)
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # what is shown, before the search's own line
    if form.is_bound:
        # The log's own searches are logged too, without what was typed (loggable_path blanks
        # the person and user searched for).
        access_log_record(
            request=request,
            actor=request.user,
            action=AccessAction.SEARCH,
            object_type="audit.accesslogentry",
            description=f"toegangslog doorzocht: {page.paginator.count} regels",
        )
    template = "audit/_entries.html" if request.htmx else "audit/access_log.html"
    # Each line as a Dutch sentence ("Casus C2026-00268 geopend"), not "cases.case 268".
    rows = describe_entries(page.object_list)
    return render(request, template, {"form": form, "page": page, "rows": rows})
