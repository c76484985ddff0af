from decimal import Decimal

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from ipgar.accounts.constants import CASES_PER_FTE, OrganisationKind, Role


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
