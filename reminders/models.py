from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from reminders.constants import DeadlineKind


class ReminderSettings(models.Model):
    """Thresholds a functional administrator can change (one row)."""

    warn_days = models.PositiveSmallIntegerField(
        "waarschuwen zoveel dagen vooraf",
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    no_contact_weeks = models.PositiveSmallIntegerField(
        "geen logboekregel na zoveel weken",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    report_waiting_days = models.PositiveSmallIntegerField(
        "melding wacht lang na zoveel dagen",
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    escalation_days = models.PositiveSmallIntegerField(
        "escaleren naar de coördinator na zoveel dagen te laat",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "instellingen termijnen"
        verbose_name_plural = "instellingen termijnen"

    def __str__(self) -> str:
        return "Instellingen termijnen"

    @classmethod
    def current(cls) -> "ReminderSettings":
        settings_row, _ = cls.objects.get_or_create(pk=1)
        return settings_row


class Postponement(models.Model):
    """A deadline extended to a new date, or suspended (no date), with the reason."""

    kind = models.CharField("termijn", max_length=20, choices=DeadlineKind.choices)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    until = models.DateField(
        "uitgesteld tot", null=True, blank=True, help_text="Leeg: opgeschort tot nader order."
    )
    reason = models.TextField("reden")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField("van kracht", default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "uitstel"
        verbose_name_plural = "uitstel van termijnen"
        indexes = [
            # active_postponements(): one lookup per sweep.
            models.Index(fields=["is_active", "kind"], name="postponement_active_kind"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_type", "object_id"],
                condition=models.Q(is_active=True),
                name="postponement_one_active",
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="postponement_reason"),
        ]

    def __str__(self) -> str:
        return f"Uitstel {self.get_kind_display()}"


class SweepRun(models.Model):
    """The lock row of the sweep (one row; locked with SELECT ... FOR UPDATE NOWAIT) and the
    record of the last run."""

    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "herinneringsronde"

    def __str__(self) -> str:
        return f"Ronde {self.finished_at or '—'}"
