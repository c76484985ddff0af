"""The AVG lifecycle and the Woo: retention settings, destruction lists and their deletion
records, access requests (inzageverzoeken) and the per-item redaction of minutes.

Deletion records and destruction lists hold no personal data: references (C2020-00012),
kinds, dates and the officials who approved. They outlive what they describe.
"""

import calendar
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from privacy.constants import (
    ACCESS_REQUEST_MONTHS,
    AccessRequestStatus,
    DestructionKind,
    DestructionListStatus,
    WooGround,
    WooMode,
)


class RetentionSettings(models.Model):
    """Retention periods the functional administrator can change (one row)."""

    case_years = models.PositiveSmallIntegerField(
        "bewaartermijn casus (jaren na afsluiting)",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    report_years = models.PositiveSmallIntegerField(
        "bewaartermijn melding zonder opname (jaren na besluit)",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "bewaartermijnen"
        verbose_name_plural = "bewaartermijnen"

    def __str__(self) -> str:
        return "Bewaartermijnen"

    @classmethod
    def current(cls) -> "RetentionSettings":
        row, _ = cls.objects.get_or_create(pk=1)
        return row


class DestructionList(models.Model):
    """A monthly proposal of what has passed its retention period. Two different people
    approve it: a functional administrator and a privacy officer."""

    proposed_at = models.DateTimeField("voorgesteld op")
    status = models.CharField(
        "status",
        max_length=12,
        choices=DestructionListStatus.choices,
        default=DestructionListStatus.PROPOSED,
    )
    admin_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="goedgekeurd door functioneel beheer",
    )
    admin_approved_at = models.DateTimeField(null=True, blank=True)
    privacy_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="goedgekeurd door privacyfunctionaris",
    )
    privacy_approved_at = models.DateTimeField(null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="uitgevoerd door",
    )
    executed_at = models.DateTimeField("uitgevoerd op", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = "vernietigingslijst"
        verbose_name_plural = "vernietigingslijsten"
        constraints = [
            # Four eyes: the two approvals come from two different people.
            models.CheckConstraint(
                condition=models.Q(admin_approved_by__isnull=True)
                | models.Q(privacy_approved_by__isnull=True)
                | ~models.Q(admin_approved_by=models.F("privacy_approved_by")),
                name="destruction_two_different_approvers",
            ),
            # destruction_list_propose(): at most one list waits at a time.
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="voorgesteld"),
                name="destruction_one_open_list",
            ),
        ]

    def __str__(self) -> str:
        return f"Vernietigingslijst {timezone.localtime(self.proposed_at):%d-%m-%Y}"

    @property
    def is_approved(self) -> bool:
        return bool(self.admin_approved_by_id and self.privacy_approved_by_id)


class DestructionItem(models.Model):
    """One case or report on a list. The foreign key empties when the object is destroyed;
    the reference (not personal data) stays."""

    destruction_list = models.ForeignKey(
        DestructionList, on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField("soort", max_length=10, choices=DestructionKind.choices)
    reference = models.CharField("kenmerk", max_length=20)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    report = models.ForeignKey(
        "intake.Report", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retention_ended_on = models.DateField("bewaartermijn verstreken op")
    destroyed_at = models.DateTimeField("vernietigd op", null=True, blank=True)
    skipped_reason = models.CharField("niet vernietigd omdat", max_length=200, blank=True)

    class Meta:
        ordering = ["destruction_list", "retention_ended_on", "pk"]
        verbose_name = "regel vernietigingslijst"
        verbose_name_plural = "regels vernietigingslijst"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class DeletionRecord(models.Model):
    """What was destroyed, when, and who approved it; no personal data (issue 8)."""

    kind = models.CharField("soort", max_length=10, choices=DestructionKind.choices)
    reference = models.CharField("kenmerk", max_length=20)
    destruction_list = models.ForeignKey(
        DestructionList, on_delete=models.PROTECT, related_name="deletion_records"
    )
    destroyed_at = models.DateTimeField("vernietigd op")
    admin_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    privacy_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Counts per table (e.g. {"cases.logentry": 12, "history": 40, "files": 2}).
    removed = models.JSONField("verwijderd", default=dict)

    class Meta:
        ordering = ["-destroyed_at"]
        verbose_name = "vernietigingsverklaring"
        verbose_name_plural = "vernietigingsverklaringen"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference} vernietigd"


class AccessRequest(models.Model):
    """An access request (inzageverzoek, AVG art. 15) by or for a subject."""

    subject = models.ForeignKey(
        "cases.Subject", on_delete=models.CASCADE, related_name="access_requests"
    )
    received_on = models.DateField("ontvangen op")
    deadline = models.DateField("uiterste antwoorddatum", editable=False)
    channel = models.CharField("hoe ontvangen", max_length=200, blank=True)
    note = models.TextField("toelichting", blank=True)
    status = models.CharField(
        "status", max_length=12, choices=AccessRequestStatus.choices, default="open"
    )
    answered_on = models.DateField("beantwoord op", null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "deadline"]
        verbose_name = "inzageverzoek"
        verbose_name_plural = "inzageverzoeken"
        indexes = [
            # access_request_deadlines(): open requests by deadline.
            models.Index(fields=["status", "deadline"], name="accessrequest_status_deadline"),
        ]

    def __str__(self) -> str:
        return f"Inzageverzoek {self.pk} ({self.received_on:%d-%m-%Y})"

    @staticmethod
    def deadline_for(received_on: date) -> date:
        month_index = received_on.month - 1 + ACCESS_REQUEST_MONTHS
        year, month = received_on.year + month_index // 12, month_index % 12 + 1
        day = min(received_on.day, calendar.monthrange(year, month)[1])
        return date(year, month, day)

    @property
    def is_open(self) -> bool:
        return self.status == AccessRequestStatus.OPEN

    def days_left(self, today: date | None = None) -> int:
        return (self.deadline - (today or timezone.localdate())).days


class WooRedaction(models.Model):
    """How one agenda item is redacted in the Woo export, overriding the default (case items
    whole, other items names only)."""

    item = models.OneToOneField(
        "meetings.AgendaItem", on_delete=models.CASCADE, related_name="woo_redaction"
    )
    mode = models.CharField("lakken", max_length=10, choices=WooMode.choices)
    ground = models.CharField(
        "weigeringsgrond", max_length=10, choices=WooGround.choices, default=WooGround.PRIVACY
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "lakinstelling Woo"
        verbose_name_plural = "lakinstellingen Woo"

    def __str__(self) -> str:
        return f"{self.get_mode_display()} ({self.ground})"
