from datetime import date

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from ipgar.accounts.models import User
from ipgar.notifications.models import EMAIL_AT_ONCE_KINDS, Notification

EMAIL_AT_ONCE_DAYS = 7  # an at-once notice older than this is no longer news by e-mail


def email_at_once_pending(now) -> list[int]:
    """The notices of EMAIL_AT_ONCE_KINDS still waiting for their e-mail."""
    return list(
        Notification.objects.filter(
            kind__in=EMAIL_AT_ONCE_KINDS,
            emailed_at__isnull=True,
            created_at__gte=now - timezone.timedelta(days=EMAIL_AT_ONCE_DAYS),
        )
        .exclude(recipient__email="")
        .values_list("pk", flat=True)
    )


def notification_create(
    *,
    recipient: User,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    due_date: date | None = None,
) -> tuple[Notification, bool]:
    """Create the notification unless the same one exists; returns (notification, created).

    The object is given as an instance, or as its label and id (the reminder sweep works from
    derived deadlines, not instances)."""
    key = {
        "recipient": recipient,
        "kind": kind,
        "object_type": obj._meta.label_lower if obj is not None else object_type,
        "object_id": str(obj.pk) if obj is not None else str(object_id),
        "due_date": due_date,
    }
    existing = Notification.objects.filter(**key).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return Notification.objects.create(title=title, body=body, link=link, **key), True
    except IntegrityError:  # a concurrent sweep made it first
        return Notification.objects.get(**key), False


def notification_mark_read(*, notification: Notification, actor: User) -> Notification:
    if notification.recipient_id != actor.pk:
        raise PermissionError("Alleen de ontvanger kan een melding als gelezen markeren.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_close_for(*, obj: models.Model, kind: str) -> int:
    """The task behind these notifications is done: mark them read for every recipient."""
    return Notification.objects.filter(
        kind=kind, object_type=obj._meta.label_lower, object_id=str(obj.pk), read_at__isnull=True
    ).update(read_at=timezone.now())
