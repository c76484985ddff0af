from datetime import datetime

from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from ipgar.accounts.models import User
from ipgar.audit.constants import EMERGENCY_PREFIX, EMERGENCY_SESSION_KEY, AccessAction
from ipgar.audit.models import AccessLogEntry
from ipgar.lib.http import FREE_TEXT_PARAMS, client_ip


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
    """The request's path and query string with the free-text search terms blanked: the access
    log outlives every destroyed case, and a typed term may name a person."""
    if not FREE_TEXT_PARAMS & request.GET.keys():
        return request.get_full_path()
    query = request.GET.copy()
    for name in FREE_TEXT_PARAMS & query.keys():
        query.setlist(name, ["verborgen" for _ in query.getlist(name)])
    return f"{request.path}?{query.urlencode()}"


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
    return AccessLogEntry.objects.create(
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
