from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ipgar.accounts.models import Organisation
from meetings.constants import (
    AttendanceStatus,
    BodyFunction,
    CaseItemKind,
    DecisionKind,
    ItemKind,
    ItemStatus,
    MeetingStatus,
    MinutesStatus,
    OwnerGroup,
    PeriodKind,
    Weekday,
)


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
        local = timezone.localtime(after)
        for day in self.dates_between(local.date(), local.date() + timedelta(weeks=53)):
            candidate = timezone.make_aware(datetime.combine(day, self.start_time))
            if candidate >= after:
                return candidate
        raise ValueError("Geen vergadering binnen een jaar")


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField("aanvang")
    duration_minutes = models.PositiveSmallIntegerField("duur (minuten)")
    location = models.CharField("locatie", max_length=200, blank=True)
    status = models.CharField(
        "status", max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    outside_cycle_reason = models.CharField("reden buiten de cyclus", max_length=300, blank=True)
    cycle_date = models.DateField(
        "datum volgens cyclus", null=True, blank=True, help_text="Leeg voor een extra vergadering."
    )
    agenda_sent_at = models.DateTimeField("agenda verstuurd op", null=True, blank=True)
    minutes_status = models.CharField(
        "status verslag",
        max_length=12,
        choices=MinutesStatus.choices,
        default=MinutesStatus.CONCEPT,
    )
    minutes_adopted_at = models.DateTimeField("verslag vastgesteld op", null=True, blank=True)
    recorded_afterwards_reason = models.CharField(
        "reden achteraf vastgelegd",
        max_length=300,
        blank=True,
        db_default="",
        help_text="Een vergadering die al heeft plaatsgevonden en achteraf is ingevoerd.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = "vergadering"
        verbose_name_plural = "vergaderingen"
        indexes = [
            # upcoming_meetings(): the next meetings of a body.
            models.Index(fields=["body", "starts_at"], name="meeting_body_start"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["body", "cycle_date"], name="meeting_once_per_cycle"),
            models.CheckConstraint(
                condition=models.Q(cycle_date__isnull=False) | ~models.Q(outside_cycle_reason=""),
                name="meeting_outside_cycle_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body.short_name} {timezone.localtime(self.starts_at):%d-%m-%Y}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def minutes_locked(self) -> bool:
        return self.minutes_status == MinutesStatus.ADOPTED


class AgendaSection(models.Model):
    """A heading of the agenda (Algemeen; Hamerpunten; Casuïstiek; ...): items sit under it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField("volgorde", default=0)
    title = models.CharField("kop", max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = "agendaonderdeel"
        verbose_name_plural = "agendaonderdelen"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "title"], name="section_title_once"),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    # The published numbering: items are numbered by `order` over the whole agenda.
    order = models.PositiveSmallIntegerField("volgorde", default=0)
    section = models.ForeignKey(
        AgendaSection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name="onderdeel",
    )
    # The order of handling when the meeting took the items in another order than the
    # published numbering ("punt 13 behandeld vóór punt 3"); empty when handled as numbered.
    handled_position = models.PositiveSmallIntegerField("behandeld als", null=True, blank=True)
    move_reason = models.CharField(
        "reden verplaatsen binnen 7 dagen", max_length=300, blank=True, db_default=""
    )
    kind = models.CharField("soort", max_length=10, choices=ItemKind.choices)
    title = models.CharField("onderwerp", max_length=300)
    owner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="organisatie (eigenaar)",
    )
    # Case items: what is on the table. Exactly one of these for a case item.
    case_kind = models.CharField(
        "soort casusbespreking", max_length=16, choices=CaseItemKind.choices, blank=True
    )
    report = models.ForeignKey(
        "intake.Report",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    plan = models.ForeignKey(
        "cases.PlanVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    proposal = models.ForeignKey(
        "cases.Proposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    slot_minutes = models.PositiveSmallIntegerField("tijdslot (minuten)", null=True, blank=True)
    is_closed_session = models.BooleanField("besloten deel", default=False)
    closed_attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="closed_items",
        verbose_name="deelnemers besloten deel",
    )
    status = models.CharField(
        "status", max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    notes = models.TextField("aantekeningen", blank=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name="doorgeschoven van",
    )
    carry_note = models.CharField("toelichting doorschuiven", max_length=300, blank=True)
    # Optimistic locking of the minutes of this item (notes and status; ipgar.lib.locking).
    lock_version = models.PositiveIntegerField(
        "wijzigingsnummer", default=0, db_default=0, editable=False
    )

    history = HistoricalRecords(m2m_fields=[closed_attendees])

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = "agendapunt"
        verbose_name_plural = "agendapunten"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="casus")
                | models.Q(case__isnull=False)
                | models.Q(report__isnull=False),
                name="agenda_case_item_has_object",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_case_item(self) -> bool:
        return self.kind == ItemKind.CASE


class Decision(models.Model):
    """A decision (BESLUIT) on an agenda item; on a case item it moved the case or report."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField("soort", max_length=20, choices=DecisionKind.choices)
    text = models.TextField("besluit")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    regisseur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The moment the meeting decided: its start, also when the minutes are typed in later.
    decided_at = models.DateTimeField("besloten op", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "pk"]
        verbose_name = "besluit"
        verbose_name_plural = "besluiten"
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="decision_has_text"),
            # One admission decision (admit or not) per agenda item, however many secretaries
            # press the button at the same moment.
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(kind__in=[DecisionKind.ADMIT, DecisionKind.NOT_ADMIT]),
                name="decision_one_admission_per_item",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # An organisation that is not in the application, by name (e.g. "AM-gemeenten").
    organisation_name = models.CharField(
        "organisatie (niet in de applicatie)", max_length=200, blank=True
    )
    name = models.CharField("naam", max_length=200, blank=True)
    status = models.CharField("aanwezigheid", max_length=10, choices=AttendanceStatus.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "organisation__name", "organisation_name", "name"]
        verbose_name = "aanwezigheid"
        verbose_name_plural = "aanwezigheid"

    def __str__(self) -> str:
        return f"{self.label}: {self.get_status_display()}"

    @property
    def organisation_label(self) -> str:
        return self.organisation.name if self.organisation else self.organisation_name

    @property
    def label(self) -> str:
        """A person with their organisation, or an organisation alone."""
        org = self.organisation_label
        if self.name and org:
            return f"{self.name} ({org})"
        return self.name or org


class Action(models.Model):
    """The action list of a body: it lives across meetings until done."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="actions")
    raised_in = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    raised_on = models.DateField("datum")
    subject = models.CharField("onderwerp", max_length=200)
    action = models.TextField("actie")
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name="agendapunt",
    )
    # Due: a date or a typed period (meetings.periods); due_on is the date it sorts by.
    due_kind = models.CharField(
        "uiterlijk (soort)", max_length=12, choices=PeriodKind.choices, blank=True
    )
    due_on = models.DateField("uiterlijk", null=True, blank=True)
    done_on = models.DateField("afgerond op", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "done_on", "due_on", "pk"]
        verbose_name = "actie"
        verbose_name_plural = "actielijst"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(due_kind=PeriodKind.DATE) | models.Q(due_on__isnull=False),
                name="action_due_date_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def due_label(self) -> str:
        from meetings.periods import Period

        return Period(self.due_kind, self.due_on).label if self.due_kind else ""

    @property
    def status_label(self) -> str:
        return "Afgerond" if self.done_on else "Open"


class Owner(models.Model):
    """One owner of an agenda item or an action: a person, an organisation or a group."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="owners"
    )
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="owners"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_ownerships",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    group = models.CharField("groep", max_length=12, choices=OwnerGroup.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = "eigenaar"
        verbose_name_plural = "eigenaren"
        indexes = [
            # my_actions(): a person's own actions on Mijn werk.
            models.Index(fields=["user", "action"], name="owner_user_action"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(item__isnull=False) & models.Q(action__isnull=True))
                | (models.Q(item__isnull=True) & models.Q(action__isnull=False)),
                name="owner_of_item_or_action",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, organisation__isnull=True, group="")
                    | models.Q(user__isnull=True, organisation__isnull=False, group="")
                    | (models.Q(user__isnull=True, organisation__isnull=True) & ~models.Q(group=""))
                ),
                name="owner_is_one_of_person_organisation_group",
            ),
        ]

    def __str__(self) -> str:
        if self.user_id:
            return str(self.user)
        if self.organisation_id:
            return self.organisation.name
        return self.get_group_display().lower()


class ForwardItem(models.Model):
    """The forward agenda (termijnagenda): planned items and events."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="forward_items")
    title = models.CharField("onderwerp", max_length=300)
    # When: a date, a typed period or "nog plannen" (meetings.periods); planned_on sorts.
    kind = models.CharField(
        "wanneer (soort)", max_length=12, choices=PeriodKind.choices, default=PeriodKind.DATE
    )
    planned_on = models.DateField("datum", null=True, blank=True)
    period = models.CharField(
        "periode zoals geschreven",
        max_length=100,
        blank=True,
        help_text="Bijvoorbeeld: 16/2, 15/4 en 22/6; leeg: de soort en datum.",
    )
    note = models.TextField("toelichting", blank=True)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forward_items",
        verbose_name="te behandelen in",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "planned_on", "pk"]
        verbose_name = "punt termijnagenda"
        verbose_name_plural = "termijnagenda"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=PeriodKind.DATE) | models.Q(planned_on__isnull=False),
                name="forward_item_date_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def when_label(self) -> str:
        from meetings.periods import Period

        return self.period or Period(self.kind, self.planned_on).label
