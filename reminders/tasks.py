from celery import shared_task
from django.db import transaction
from django.utils import timezone

from ipgar.lib.email import send_templated_email
from ipgar.notifications.models import Notification
from ipgar.notifications.tasks import notification_email_task
from reminders import services


@shared_task(acks_late=True, max_retries=3, default_retry_delay=60)
def reminder_sweep_task() -> int:
    """Every 15 minutes (beat). Overdue reminders are e-mailed at once, after the commit."""
    result = services.sweep()
    late = services.late_requests_notify() if result.ran else 0
    for notification_id in result.to_email:
        notification_email_task.delay(notification_id)
    return result.created + late


@shared_task(acks_late=True, max_retries=3, default_retry_delay=300)
def reminder_digest_task() -> int:
    """Every morning: one e-mail per user with their upcoming reminders (no case content)."""
    sent = 0
    for notifications in services.digest_recipients().values():
        with transaction.atomic():
            ids = [n.pk for n in notifications]
            locked = list(
                Notification.objects.select_for_update().filter(pk__in=ids, emailed_at__isnull=True)
            )
            if not locked:
                continue
            recipient = notifications[0].recipient
            send_templated_email(
                template="digest",
                to=[recipient.email],
                context={"recipient": recipient, "notifications": locked},
            )
            Notification.objects.filter(pk__in=[n.pk for n in locked]).update(
                emailed_at=timezone.now()
            )
            sent += 1
    return sent
