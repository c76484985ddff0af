from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ipgar.accounts.permissions import require_role
from ipgar.audit.constants import AccessAction
from ipgar.audit.services import access_log_record, access_log_record_shown
from ipgar.core.navigation import SEARCH_ROLES
from ipgar.lib.search import parse_search
from search.selectors import RESULT_LIMIT, search_for_user


@login_required
def search_results(request: HttpRequest) -> HttpResponse:
    """The header's search box: grouped results the user may open, and only those."""
    require_role(request.user, *SEARCH_ROLES)
    terms = parse_search(request.GET.get("q", ""))
    groups = search_for_user(request.user, terms)
    total = sum(len(group.hits) for group in groups)
    if terms.is_valid:
        # The terms themselves may identify a person: the log says that and how it was
        # searched, and how much was shown, never what was typed.
        access_log_record(
            request=request,
            actor=request.user,
            action=AccessAction.SEARCH,
            object_type="zoeken",
            description=f"zoekopdracht op {terms.kind}: {total} resultaten getoond",
            path=request.path,
        )
        access_log_record_shown(
            request=request,
            actor=request.user,
            action=AccessAction.SEARCH,
            object_type="zoeken",
            subject_refs=[hit.subject_ref for group in groups for hit in group.hits],
            description="zoekresultaat",
        )
    context = {
        "query": terms.text,
        "terms": terms,
        "groups": groups,
        "total": total,
        "limit": RESULT_LIMIT,
    }
    if request.htmx:
        return render(request, "search/_results.html", context)
    return render(request, "search/results.html", context)
