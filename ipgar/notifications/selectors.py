from django.db.models import QuerySet

from ipgar.accounts.models import User
from ipgar.notifications.models import Notification


def notifications_for_user(user: User, *, include_read: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient=user)
    if not include_read:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("read_at", "due_date", "-created_at")
