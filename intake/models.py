import uuid
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from intake.constants import (
    INFORMATION_REQUEST_DAYS,
    REPORT_TRANSITIONS,
    WAITING_FOR,
    AdviceKind,
    Channel,
    CheckResult,
    Desk,
    Gender,
    Ideology,
    LifeDomain,
    NotAdmittedReason,
    OtherApproach,
    QuestionKind,
    ReporterKind,
    ReportStatus,
    TriageOutcome,
    Urgency,
    ViolenceReadiness,
)
from ipgar.accounts.models import Organisation
from ipgar.lib.text import name_key

User = settings.AUTH_USER_MODEL


# --- The assessment framework (beoordelingskader), versioned -------------------------------


class FrameworkVersion(models.Model):
    name = models.CharField("naam", max_length=200)
    version = models.CharField("versie", max_length=20, unique=True)
    description = models.TextField("toelichting", blank=True)
    ideologies = models.JSONField(
        "ideologieën", default=list, help_text="Ideologieën die deze versie bestrijkt."
    )
    is_current = models.BooleanField("huidige versie", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "versie beoordelingskader"
        verbose_name_plural = "versies beoordelingskader"
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="framework_one_current_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (versie {self.version})"


class FrameworkSection(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField("volgorde", default=0)
    title = models.CharField("titel", max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = "onderdeel beoordelingskader"
        verbose_name_plural = "onderdelen beoordelingskader"

    def __str__(self) -> str:
        return self.title


class FrameworkQuestion(models.Model):
    section = models.ForeignKey(
        FrameworkSection, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField("volgorde", default=0)
    text = models.CharField("vraag", max_length=500)
    help_text = models.TextField("toelichting", blank=True)
    kind = models.CharField("soort", max_length=12, choices=QuestionKind.choices)
    choices = models.JSONField(
        "antwoordopties", default=list, blank=True, help_text="Eén optie per regel."
    )
    required = models.BooleanField("verplicht voor een volledige duiding", default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["section__order", "order", "pk"]
        verbose_name = "vraag beoordelingskader"
        verbose_name_plural = "vragen beoordelingskader"

    def __str__(self) -> str:
        return self.text


# --- The report --------------------------------------------------------------------------


def report_reference(pk: int | None, received_at) -> str:
    """M2026-00003: the report's number, also for rows read without a model instance."""
    return f"M{(received_at or timezone.now()).year}-{pk or 0:05d}"


class Report(models.Model):
    """A signal of possible radicalisation (melding) about one or more persons."""

    submission_key = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="Maakt registreren idempotent: een tweede verzending maakt geen tweede melding.",
    )
    desk = models.CharField("balie", max_length=20, choices=Desk.choices)
    status = models.CharField(
        "status", max_length=24, choices=ReportStatus.choices, default=ReportStatus.REGISTERED
    )
    channel = models.CharField("kanaal", max_length=20, choices=Channel.choices)
    urgency = models.CharField(
        "urgentie", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    reporter_kind = models.CharField("soort melder", max_length=24, choices=ReporterKind.choices)
    reporter_anonymous = models.BooleanField("anonieme melding", default=False)
    reporter_name = models.CharField("naam melder", max_length=200, blank=True)
    reporter_organisation = models.CharField("organisatie melder", max_length=200, blank=True)
    reporter_phone = models.CharField("telefoon melder", max_length=30, blank=True)
    reporter_email = models.EmailField("e-mail melder", blank=True)
    observation = models.TextField("wat is waargenomen")

    registered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="geregistreerd door"
    )
    # Milestones: each one a timestamp, so the monitor can compute every lead time.
    received_at = models.DateTimeField("ontvangen op")
    registered_at = models.DateTimeField("geregistreerd op", auto_now_add=True)
    triaged_at = models.DateTimeField("eerste beoordeling op", null=True, blank=True)
    forwarded_at = models.DateTimeField("doorgezet op", null=True, blank=True)
    assessed_at = models.DateTimeField("duiding afgerond op", null=True, blank=True)
    advised_at = models.DateTimeField("advies op", null=True, blank=True)
    ready_at = models.DateTimeField("klaar voor besluit op", null=True, blank=True)
    decided_at = models.DateTimeField("besluit op", null=True, blank=True)

    triage_outcome = models.CharField(
        "uitkomst eerste beoordeling", max_length=24, choices=TriageOutcome.choices, blank=True
    )
    triage_reasoning = models.TextField("onderbouwing eerste beoordeling", blank=True)
    triaged_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    handed_over_to = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="overgedragen aan",
    )
    not_admitted_reason = models.CharField(
        "reden niet opgenomen", max_length=24, choices=NotAdmittedReason.choices, blank=True
    )
    decision_note = models.TextField("toelichting besluit", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["received_at"]
        verbose_name = "melding"
        verbose_name_plural = "meldingen"
        permissions = [("assess_report", "Kan een melding duiden")]
        indexes = [
            # report_list_for_user(): open reports of a desk, oldest first.
            models.Index(fields=["desk", "status", "received_at"], name="report_desk_status_age"),
            # report_list_for_user() for the board: forwarded reports by status and age.
            models.Index(fields=["status", "received_at"], name="report_status_age"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ReportStatus.HANDED_OVER)
                | models.Q(handed_over_to__isnull=False),
                name="report_handed_over_names_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return report_reference(self.pk, self.received_at)

    def can_transition_to(self, target: str) -> bool:
        return target in REPORT_TRANSITIONS.get(self.status, frozenset())

    @property
    def is_open(self) -> bool:
        return bool(REPORT_TRANSITIONS.get(self.status))

    @property
    def is_urgent(self) -> bool:
        return self.urgency == Urgency.URGENT

    @property
    def waiting_for(self) -> str:
        return WAITING_FOR.get(self.status, "")

    def age_days(self, today: date | None = None) -> int:
        today = today or timezone.localdate()
        end = timezone.localdate(self.decided_at) if self.decided_at else today
        return (end - timezone.localdate(self.received_at)).days

    @property
    def decision_gaps(self) -> list[str]:
        """What the decision meeting would miss to decide as advised (empty: decidable).
        Reads the advice and the persons; prefetch them for a list."""
        from intake.constants import AdviceKind

        advice = getattr(self, "advice", None)
        if advice is None:
            return ["Het advies van het Voorportaal ontbreekt."]
        gaps = []
        if advice.kind == AdviceKind.ADMIT:
            persons = list(self.persons.all())
            if not persons or not (persons[0].first_name or persons[0].last_name):
                gaps.append(
                    "Geen bekende persoon: opnemen leidt tot een casus over een persoon; vul "
                    "in de duiding de naam van de persoon aan."
                )
            if advice.best_cards_id is None:
                gaps.append("De organisatie met de beste kaarten ontbreekt in het advies.")
        return gaps


class ReportUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key grants (django-guardian): filtered in SQL by a join, no generic key."""

    content_object = models.ForeignKey(Report, on_delete=models.CASCADE)


class ReportGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Report, on_delete=models.CASCADE)


class ReportPerson(models.Model):
    """A person a report is about. Any identifying detail may be unknown."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="persons")
    first_name = models.CharField("voornaam", max_length=100, blank=True)
    last_name = models.CharField("achternaam", max_length=150, blank=True)
    date_of_birth = models.DateField("geboortedatum", null=True, blank=True)
    bsn = models.CharField("BSN", max_length=9, blank=True, db_index=True)
    gender = models.CharField("geslacht", max_length=1, choices=Gender.choices, blank=True)
    street = models.CharField("straat en huisnummer", max_length=200, blank=True)
    postcode = models.CharField("postcode", max_length=7, blank=True)
    city = models.CharField("woonplaats", max_length=100, blank=True)
    relation = models.CharField(
        "relatie tot de melding",
        max_length=100,
        blank=True,
        help_text="Bijvoorbeeld: hoofdpersoon, broer, moeder, groepslid.",
    )
    # Folded and collapsed name (see ipgar.lib.text.name_key), kept by the services.
    name_key = models.CharField(max_length=250, blank=True, editable=False, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = "persoon in melding"
        verbose_name_plural = "personen in melding"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or "Onbekende persoon"

    def refresh_name_key(self) -> None:
        self.name_key = name_key(self.first_name, self.last_name)


# --- Assessment by the Voorportaal --------------------------------------------------------


class Assessment(models.Model):
    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="assessment")
    framework_version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name="versie beoordelingskader",
    )
    risk_groups = models.JSONField("risicogroepen", default=list, blank=True)
    ideology = models.CharField("ideologie", max_length=20, choices=Ideology.choices, blank=True)
    violence_readiness = models.CharField(
        "geweldsbereidheid", max_length=10, choices=ViolenceReadiness.choices, blank=True
    )
    network = models.TextField("netwerk", blank=True)
    summary = models.TextField("samenvatting informatiebeeld", blank=True)
    is_incomplete = models.BooleanField(
        "onvolledig (urgent doorgezet)",
        default=False,
        help_text="Een urgente melding mag met een onvolledig kader door; dat blijft zichtbaar.",
    )
    started_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField("afgerond op", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "duiding"
        verbose_name_plural = "duidingen"

    def __str__(self) -> str:
        return f"Duiding {self.report.reference}"


class AssessmentAnswer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(FrameworkQuestion, on_delete=models.PROTECT, related_name="+")
    value = models.JSONField("antwoord", default=None, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "antwoord"
        verbose_name_plural = "antwoorden"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="answer_once_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


class LifeDomainScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="domain_scores"
    )
    domain = models.CharField("leefgebied", max_length=30, choices=LifeDomain.choices)
    score = models.PositiveSmallIntegerField(
        "score", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.TextField("toelichting", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "domain"]
        verbose_name = "score leefgebied"
        verbose_name_plural = "scores leefgebieden"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="score_once_per_domain"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="score_between_1_and_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.score}"


class InformationRequest(models.Model):
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="information_requests"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="aan organisatie"
    )
    contact = models.CharField("contactpersoon", max_length=200, blank=True)
    question = models.TextField("vraag")
    asked_on = models.DateField("gevraagd op", default=timezone.localdate)
    due_on = models.DateField("antwoord verwacht uiterlijk")
    answered_on = models.DateField("beantwoord op", null=True, blank=True)
    answer = models.TextField("antwoord", blank=True)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["answered_on", "due_on", "pk"]
        verbose_name = "informatieverzoek"
        verbose_name_plural = "informatieverzoeken"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("asked_on")),
                name="information_request_due_after_asked",
            ),
            models.CheckConstraint(
                condition=models.Q(answered_on__isnull=True) | ~models.Q(answer=""),
                name="information_request_answered_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"Verzoek aan {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.answered_on is None

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    @staticmethod
    def default_due(asked_on: date) -> date:
        from datetime import timedelta

        return asked_on + timedelta(days=INFORMATION_REQUEST_DAYS)


class ApproachCheck(models.Model):
    """A registered check whether the person is known in another person-centred approach."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="approach_checks")
    approach = models.CharField("aanpak", max_length=10, choices=OtherApproach.choices)
    approach_name = models.CharField("naam andere aanpak", max_length=100, blank=True)
    result = models.CharField("uitkomst", max_length=10, choices=CheckResult.choices)
    note = models.TextField("toelichting", blank=True)
    checked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField("gecontroleerd op", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "checked_at"]
        verbose_name = "controle andere aanpak"
        verbose_name_plural = "controles andere aanpakken"

    def __str__(self) -> str:
        return f"{self.get_approach_display()}: {self.get_result_display()}"


class PersonCheck(models.Model):
    """The outcome of the known-person check, on the report: the person is the person of an
    earlier report (which one), or no earlier report is about them; by whom and when."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="person_checks")
    result = models.CharField("uitkomst", max_length=10, choices=CheckResult.choices)
    matched_report = models.ForeignKey(
        Report,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="zelfde persoon als in melding",
    )
    note = models.TextField("toelichting", blank=True)
    checked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField("vastgelegd op", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "checked_at"]
        verbose_name = "bekende-personencheck"
        verbose_name_plural = "bekende-personenchecks"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(result="onbekend", matched_report__isnull=True)
                | models.Q(result="bekend"),
                name="person_check_no_match_names_no_report",
            ),
        ]

    def __str__(self) -> str:
        return f"Bekende-personencheck: {self.get_result_display()}"


class Advice(models.Model):
    """The board's advice to the decision meeting."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="advice")
    kind = models.CharField("advies", max_length=20, choices=AdviceKind.choices)
    reasoning = models.TextField("onderbouwing")
    proposed_risk_groups = models.JSONField("voorgestelde risicogroepen", default=list, blank=True)
    proposed_ideology = models.CharField(
        "voorgestelde ideologie", max_length=20, choices=Ideology.choices, blank=True
    )
    best_cards = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="organisatie met de beste kaarten",
    )
    advised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "advies"
        verbose_name_plural = "adviezen"

    def __str__(self) -> str:
        return self.get_kind_display()
