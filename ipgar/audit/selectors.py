from datetime import date

from django.db.models import QuerySet

from ipgar.audit.models import AccessLogEntry


def access_log_search(
    *,
    subject_ref: str = "",
    username: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    action: str = "",
) -> QuerySet[AccessLogEntry]:
    entries = AccessLogEntry.objects.all()
    if subject_ref:
        entries = entries.filter(subject_ref=subject_ref.strip())
    if username:
        entries = entries.filter(username__iexact=username.strip())
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    if action:
        entries = entries.filter(action=action)
    return entries.order_by("-at", "-id")
