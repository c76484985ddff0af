from django.conf import settings
from django.db import models

from ipgar.audit.constants import AccessAction


class AppendOnlyError(Exception):
    """The access log is append-only: rows are never changed or removed by the application."""


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Het toegangslog kan niet worden gewijzigd.")

    def delete(self):
        raise AppendOnlyError("Het toegangslog kan niet worden verwijderd.")


class AccessLogEntry(models.Model):
    """One read of person data (NEN 7513): who, in which role and organisation, when, what,
    which object, about which subject, from where. Values are copied, not linked, so the line
    stays true when the user or organisation changes later."""

    at = models.DateTimeField("tijdstip", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    username = models.CharField("gebruiker", max_length=150)
    roles = models.CharField("rollen", max_length=300, blank=True)
    organisation = models.CharField("organisatie", max_length=200, blank=True)
    action = models.CharField("handeling", max_length=20, choices=AccessAction.choices)
    object_type = models.CharField("soort gegeven", max_length=100)
    object_id = models.CharField("nummer", max_length=64, blank=True)
    subject_ref = models.CharField(
        "betrokkene",
        max_length=64,
        blank=True,
        db_index=True,
        help_text="Verwijzing naar de persoon om wie het gaat (soort en nummer, geen naam).",
    )
    description = models.CharField("omschrijving", max_length=300, blank=True)
    path = models.CharField("adres in de applicatie", max_length=500, blank=True)
    ip_address = models.GenericIPAddressField("IP-adres", null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "regel toegangslog"
        verbose_name_plural = "toegangslog"
        indexes = [
            # access_log_search(user=...): the privacy officer's "what did this user read".
            models.Index(fields=["user", "-at"], name="accesslog_user_at"),
            # access_log_search(subject=...): "who read about this person".
            models.Index(fields=["subject_ref", "-at"], name="accesslog_subject_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d-%m-%Y %H:%M} {self.username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Het toegangslog kan niet worden gewijzigd.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Het toegangslog kan niet worden verwijderd.")
