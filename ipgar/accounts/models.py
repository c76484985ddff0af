from decimal import Decimal

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from ipgar.accounts.constants import (
    CASES_PER_FTE,
    OrganisationKind,
    Role,
    RoleRequestStatus,
    SecondFactorEventKind,
)


class Organisation(models.Model):
    code = models.CharField("code", max_length=16, unique=True)
    name = models.CharField("naam", max_length=200, unique=True)
    kind = models.CharField("soort", max_length=20, choices=OrganisationKind.choices)
    is_active = models.BooleanField("actief", default=True)
    email = models.EmailField("algemeen e-mailadres", blank=True)
    phone = models.CharField("algemeen telefoonnummer", max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisatie",
        on_delete=models.PROTECT,
        related_name="users",
        null=True,  # only the createsuperuser bootstrap account may lack one
        blank=False,
    )
    job_title = models.CharField("functie", max_length=120, blank=True)
    phone = models.CharField("telefoon", max_length=30, blank=True)
    fte = models.DecimalField(
        "fte",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        help_text="Voor regisseurs: de omvang van de aanstelling, voor de caseload (15 per fte).",
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fte__gte=0) & models.Q(fte__lte=Decimal("1.5")),
                name="user_fte_in_range",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def role_names(self) -> frozenset[str]:
        """Role codes this user holds; one query, cached for the request."""
        if not self.is_active or not self.pk:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [Role(name).label for name in sorted(self.role_names) if name in Role.values]

    @property
    def capacity(self) -> int:
        return round(self.fte * CASES_PER_FTE)


def role_group(role: str) -> Group:
    return Group.objects.get(name=role)


class RoleRequest(models.Model):
    """A privileged role (or a new account with one) waiting for a second administrator.

    `roles` are the privileged roles asked for; `activate` when the account stays inactive
    until the approval: created for them, or switched back on while it holds them (a
    deactivated account keeps its roles, see `reactivates`)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_requests")
    roles = models.JSONField("gevraagde rollen", default=list)
    activate = models.BooleanField("account activeren bij goedkeuring", default=False)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("aangevraagd op", auto_now_add=True)
    status = models.CharField(
        "status", max_length=12, choices=RoleRequestStatus.choices, default="open"
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField("besloten op", null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = "aanvraag rol"
        verbose_name_plural = "aanvragen rollen"
        constraints = [
            # Four eyes: who asks never decides.
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | ~models.Q(decided_by=models.F("requested_by")),
                name="rolerequest_other_decides",
            ),
        ]

    def __str__(self) -> str:
        return f"Aanvraag rollen {self.user} ({self.get_status_display()})"

    @property
    def reactivates(self) -> bool:
        """Whether approving switches an account back on that was active before, rather than
        a new account on for the first time."""
        return self.activate and self.user.history.filter(is_active=True).exists()


class RoleChange(models.Model):
    """Every change of a user's roles or organisation as it took effect: the privacy officer's
    report, and the test of independence between two approvers."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_changes")
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True)
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    at = models.DateTimeField("tijdstip", auto_now_add=True, db_index=True)
    added = models.JSONField("rollen erbij", default=list)
    removed = models.JSONField("rollen eraf", default=list)
    account_created = models.BooleanField("account aangemaakt", default=False)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "rolwijziging"
        verbose_name_plural = "rolwijzigingen"

    def __str__(self) -> str:
        return f"Rolwijziging {self.user} {self.at:%d-%m-%Y}"


class ActivationCode(models.Model):
    """The code a user needs before enrolling an authenticator: issued per user by an
    administrator, shown once, valid ACTIVATION_CODE_VALIDITY_HOURS, used once. Only a hash is
    kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_codes")
    code_hash = models.CharField(max_length=128)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("verloopt op")
    used_at = models.DateTimeField("gebruikt op", null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = "activeringscode"
        verbose_name_plural = "activeringscodes"

    def __str__(self) -> str:
        return f"Activeringscode {self.user} tot {self.expires_at:%d-%m-%Y %H:%M}"


class SecondFactorEvent(models.Model):
    """What happened to a user's second factor, and who did it: the administrator's resets
    are kept here and the user is told."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="second_factor_events")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("gebeurtenis", max_length=12, choices=SecondFactorEventKind.choices)
    at = models.DateTimeField("tijdstip", auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "gebeurtenis tweede factor"
        verbose_name_plural = "gebeurtenissen tweede factor"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.user}"
