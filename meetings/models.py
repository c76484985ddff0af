from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ipgar.accounts.models import Organisation
from meetings.constants import BodyFunction, Weekday


class Body(models.Model):
    """A meeting body (ITAT-R, Regieoverleg/PTO-R, Voorportaal, ...): data, not code."""

    name = models.CharField("naam", max_length=120, unique=True)
    short_name = models.CharField("afkorting", max_length=30, unique=True)
    function = models.CharField("functie", max_length=20, choices=BodyFunction.choices)
    weekday = models.PositiveSmallIntegerField("vaste dag", choices=Weekday.choices)
    interval_weeks = models.PositiveSmallIntegerField("om de zoveel weken", default=1)
    first_date = models.DateField(
        "eerste vergaderdatum", help_text="Ankerdatum van de cyclus; valt op de vaste dag."
    )
    start_time = models.TimeField("begintijd")
    duration_minutes = models.PositiveSmallIntegerField("duur (minuten)", default=120)
    default_slot_minutes = models.PositiveSmallIntegerField("standaard tijdslot casus", default=20)
    location = models.CharField("locatie", max_length=200, blank=True)
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="secretaris",
        on_delete=models.PROTECT,
        related_name="bodies_as_secretary",
        null=True,
        blank=True,
    )
    member_organisations = models.ManyToManyField(
        Organisation,
        verbose_name="vaste leden (organisaties)",
        blank=True,
        related_name="bodies",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="vaste leden (personen)",
        blank=True,
        related_name="bodies",
    )
    is_active = models.BooleanField("actief", default=True)

    history = HistoricalRecords(m2m_fields=[member_organisations, members])

    class Meta:
        ordering = ["name"]
        verbose_name = "overleg"
        verbose_name_plural = "overleggen"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interval_weeks__gte=1), name="body_interval_at_least_one_week"
            ),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="body_weekday_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def cycle_description(self) -> str:
        every = "elke week" if self.interval_weeks == 1 else f"elke {self.interval_weeks} weken"
        return (
            f"{every} op {Weekday(self.weekday).label} om {self.start_time:%H:%M}, "
            f"{self.duration_minutes} minuten"
        )

    def dates_between(self, start: date, end: date) -> list[date]:
        """Meeting dates of the cycle from `start` through `end`."""
        step = timedelta(weeks=self.interval_weeks)
        if start <= self.first_date:
            current = self.first_date
        else:
            periods = -(-(start - self.first_date).days // step.days)
            current = self.first_date + periods * step
        dates = []
        while current <= end:
            dates.append(current)
            current += step
        return dates

    def next_start(self, after: datetime) -> datetime:
        from django.utils import timezone

        local = timezone.localtime(after)
        for day in self.dates_between(local.date(), local.date() + timedelta(weeks=53)):
            candidate = timezone.make_aware(datetime.combine(day, self.start_time))
            if candidate >= after:
                return candidate
        raise ValueError("Geen vergadering binnen een jaar")
