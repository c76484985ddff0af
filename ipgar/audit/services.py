from datetime import datetime

from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from ipgar.accounts.models import User
from ipgar.audit.constants import EMERGENCY_PREFIX, EMERGENCY_SESSION_KEY, AccessAction
from ipgar.audit.models import AccessLogEntry
from ipgar.lib.http import FREE_TEXT_PARAMS, NON_IDENTIFYING_PARAMS, client_ip


def subject_reference(kind: str, pk: object) -> str:
    """How the log names a person without naming them: 'subject:12', 'report-person:40'."""
    return f"{kind}:{pk}"


def emergency_grant_in_session(request: HttpRequest | None, subject_ref: str) -> int | None:
    """The running break-the-glass grant of this session that covers `subject_ref`, if any."""
    session = getattr(request, "session", None)
    if session is None or not subject_ref:
        return None
    now = timezone.now()
    for grant in session.get(EMERGENCY_SESSION_KEY, []):
        if grant.get("subject_ref") != subject_ref:
            continue
        try:
            if datetime.fromisoformat(grant["expires"]) > now:
                return grant["grant"]
        except (KeyError, TypeError, ValueError):
            continue
    return None


def loggable_path(request: HttpRequest) -> str:
    """The request's path and query string with every typed value blanked: the access log
    outlives every destroyed case, and a typed term may name a person. Only the parameters
    known to carry no person data (NON_IDENTIFYING_PARAMS) keep their value."""
    if not request.GET:
        return request.path
    query = request.GET.copy()
    for name in list(query.keys()):
        if name in FREE_TEXT_PARAMS or name not in NON_IDENTIFYING_PARAMS:
            query.setlist(name, ["verborgen" for _ in query.getlist(name)])
    return f"{request.path}?{query.urlencode()}"


def access_log_record_shown(
    *,
    request: HttpRequest | None,
    actor: User,
    action: AccessAction,
    object_type: str,
    subject_refs: list[str],
    description: str,
) -> None:
    """Lists and search results: one line per person shown, by reference (never the typed
    terms), so "who saw this person" also finds who saw them in a list. One INSERT."""
    seen = list(dict.fromkeys(ref for ref in subject_refs if ref))
    if not seen:
        return
    template = access_log_record(
        save=False,
        request=request,
        actor=actor,
        action=action,
        object_type=object_type,
        description=description,
    )
    AccessLogEntry.objects.bulk_create(
        [
            AccessLogEntry(
                **{
                    field: getattr(template, field)
                    for field in (
                        "user_id",
                        "username",
                        "roles",
                        "organisation",
                        "action",
                        "object_type",
                        "path",
                        "ip_address",
                    )
                },
                subject_ref=ref,
                description=(template.description + " (in lijst getoond)")[:300],
            )
            for ref in seen
        ]
    )


def access_log_record(
    *,
    request: HttpRequest | None = None,
    actor: User,
    action: AccessAction,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: object = "",
    subject_ref: str = "",
    description: str = "",
    path: str | None = None,
    save: bool = True,
) -> AccessLogEntry:
    """Write one line before the data is served; if it cannot be written, the read fails.

    `path` replaces the request's full path when its query string must not be kept (a search
    box's terms may name a person)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    organisation = getattr(actor, "organisation", None)
    grant = emergency_grant_in_session(request, subject_ref)
    if grant is not None:
        # Every read during a break-the-glass grant says so, with the grant that allowed it.
        description = f"{EMERGENCY_PREFIX} #{grant}: {description}"
    entry = AccessLogEntry(
        user=actor,
        username=actor.get_username(),
        roles=",".join(sorted(actor.role_names)),
        organisation=organisation.name if organisation else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        subject_ref=subject_ref,
        description=description[:300],
        path=(path if path is not None else loggable_path(request) if request else "")[:500],
        ip_address=client_ip(request) if request else None,
    )
    if save:
        entry.save()
    return entry
