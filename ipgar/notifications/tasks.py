from celery import shared_task
from django.db import transaction
from django.utils import timezone

from ipgar.lib.email import send_templated_email
from ipgar.notifications.models import Notification


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def notification_email_task(self, notification_id: int) -> bool:
    """Send one notification by e-mail, once: the row is locked and marked in one transaction."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.recipient.email:
            return False
        try:
            send_templated_email(
                template="notification",
                to=[notification.recipient.email],
                context={"notification": notification},
            )
        except OSError as exc:  # SMTP unreachable: try again later, nothing marked
            raise self.retry(exc=exc) from exc
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True
