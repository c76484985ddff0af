from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce

SECOND_FACTOR_KIND = "tweede_factor"
# Notices the user must hear of by e-mail soon, not in the morning digest: every reminder sweep
# queues those not yet e-mailed. They hold no case content, so their text goes in the e-mail.
EMAIL_AT_ONCE_KINDS = frozenset({SECOND_FACTOR_KIND})


class Notification(models.Model):
    """Something a user should know or do, shown on "Mijn werk".

    One per (recipient, kind, object, due date): a reminder sweep that runs twice creates
    nothing new; the database holds that, not the code.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("soort", max_length=50)
    title = models.CharField("titel", max_length=200)
    body = models.TextField("toelichting", blank=True)
    link = models.CharField("link", max_length=300, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    due_date = models.DateField("uiterste datum", null=True, blank=True)
    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)
    read_at = models.DateTimeField("gelezen", null=True, blank=True)
    emailed_at = models.DateTimeField("gemaild", null=True, blank=True)

    class Meta:
        ordering = ["read_at", "due_date", "-created_at"]
        verbose_name = "melding"
        verbose_name_plural = "meldingen"
        constraints = [
            # An expression, not nulls_distinct=False: SQLite (the demo database) lacks the
            # latter, and a notification without a due date must be unique as well.
            models.UniqueConstraint(
                "recipient",
                "kind",
                "object_type",
                "object_id",
                Coalesce("due_date", Value(date(1970, 1, 1))),
                name="notification_once_per_recipient_kind_object_due",
            )
        ]
        indexes = [
            # notifications_for_user(): the unread ones of one user on "Mijn werk".
            models.Index(fields=["recipient", "read_at", "due_date"], name="notif_recipient_open"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def body_in_email(self) -> str:
        """The text an e-mail may carry: only a notice without case content has one."""
        return self.body if self.kind in EMAIL_AT_ONCE_KINDS else ""

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
