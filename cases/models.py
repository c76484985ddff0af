from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from cases.constants import (
    CASE_TRANSITIONS,
    DEFAULT_EVALUATION_WEEKS,
    PLAN_TRANSITIONS,
    CasePhase,
    ClosureReason,
    ContactKind,
    DirectoryRole,
    DispatchMethod,
    EmergencyReasonKind,
    EvaluationConclusion,
    GoalResult,
    InstitutionKind,
    InterventionCategory,
    InterventionStatus,
    LetterRecipientKind,
    LinkKind,
    LogKind,
    PlanStatus,
    ProposalKind,
    ProposalStatus,
    SpecialIntervention,
    UvoStatus,
)
from intake.constants import Gender, Ideology, LifeDomain, ViolenceReadiness
from ipgar.accounts.models import Organisation
from ipgar.lib.text import name_key


class CatalogueEntry(models.Model):
    """An intervention in the catalogue (interventiepallet), reviewed yearly. A retired entry
    stays on the plans that used it."""

    name = models.CharField("naam", max_length=200, unique=True)
    description = models.TextField("omschrijving")
    category = models.CharField("categorie", max_length=20, choices=InterventionCategory.choices)
    provider = models.ForeignKey(
        Organisation,
        verbose_name="uitvoerende organisatie",
        on_delete=models.PROTECT,
        related_name="catalogue_entries",
    )
    special = models.CharField(
        "bijzondere interventie",
        max_length=20,
        choices=SpecialIntervention.choices,
        blank=True,
        default=SpecialIntervention.NONE,
    )
    review_date = models.DateField("jaarlijkse herbeoordeling")
    is_active = models.BooleanField("in gebruik", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "name"]
        verbose_name = "interventie uit het interventiepallet"
        verbose_name_plural = "interventiepallet"

    def __str__(self) -> str:
        return self.name


# --- Subject and network ---------------------------------------------------------------------


class Subject(models.Model):
    """The person in the approach (persoon in de aanpak)."""

    first_name = models.CharField("voornaam", max_length=100)
    last_name = models.CharField("achternaam", max_length=150)
    aliases = models.CharField(
        "aliassen",
        max_length=300,
        blank=True,
        help_text="Andere namen of schrijfwijzen, gescheiden door komma's.",
    )
    date_of_birth = models.DateField("geboortedatum", null=True, blank=True)
    bsn = models.CharField("BSN", max_length=9, blank=True, db_index=True)
    gender = models.CharField("geslacht", max_length=1, choices=Gender.choices, blank=True)
    street = models.CharField("straat en huisnummer", max_length=200, blank=True)
    postcode = models.CharField("postcode", max_length=7, blank=True)
    city = models.CharField("woonplaats", max_length=100, blank=True)
    # Detention: while detained no contact warning is raised, and letters go via the institution.
    institution_kind = models.CharField(
        "soort inrichting", max_length=3, choices=InstitutionKind.choices, blank=True
    )
    institution_name = models.CharField("naam inrichting", max_length=200, blank=True)
    institution_address = models.CharField("adres inrichting", max_length=300, blank=True)
    detained_from = models.DateField("gedetineerd vanaf", null=True, blank=True)
    detained_until = models.DateField("gedetineerd tot", null=True, blank=True)
    abroad = models.BooleanField("in het buitenland", default=False)
    abroad_since = models.DateField("in het buitenland sinds", null=True, blank=True)
    abroad_note = models.CharField("toelichting verblijf buitenland", max_length=300, blank=True)
    name_key = models.CharField(max_length=250, blank=True, editable=False, db_index=True)
    # Optimistic locking: the edit form carries the number it was read at; a save from an older
    # number is a conflict (ipgar.lib.locking), never a silent overwrite.
    lock_version = models.PositiveIntegerField(
        "wijzigingsnummer", default=0, db_default=0, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "persoon in de aanpak"
        verbose_name_plural = "personen in de aanpak"
        indexes = [
            # case_list_for_user(): the list is sorted by name; with this index PostgreSQL walks
            # names in order and probes the guardian grant, stopping after one page, instead of
            # sorting all of a busy regisseur's cases (issue 10: 600 ms -> 30 ms at 20,000).
            models.Index(fields=["last_name", "first_name", "id"], name="subject_name_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(detained_until__isnull=True)
                | models.Q(detained_from__isnull=True)
                | models.Q(detained_until__gte=models.F("detained_from")),
                name="subject_detention_ends_after_start",
            ),
            # One person, one subject: two admissions about the same BSN at the same moment
            # must not make the person twice (case_open_from_report).
            models.UniqueConstraint(
                fields=["bsn"], condition=~models.Q(bsn=""), name="subject_bsn_once"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def age(self, today: date | None = None) -> int | None:
        if not self.date_of_birth:
            return None
        today = today or timezone.localdate()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def is_minor(self) -> bool:
        age = self.age()
        return age is not None and age < 18

    def is_detained(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(
            self.detained_from
            and self.detained_from <= today
            and (self.detained_until is None or self.detained_until >= today)
        )

    def refresh_name_key(self) -> None:
        self.name_key = name_key(self.first_name, self.last_name)


class SubjectLink(models.Model):
    """Links in a network: regisseurs of linked cases see each other's names, not files."""

    from_subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="links_out")
    to_subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField("soort verband", max_length=10, choices=LinkKind.choices)
    note = models.CharField("toelichting", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "verband tussen personen"
        verbose_name_plural = "verbanden tussen personen"
        constraints = [
            models.UniqueConstraint(
                fields=["from_subject", "to_subject", "kind"], name="subject_link_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_subject=models.F("to_subject")),
                name="subject_link_not_to_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_subject} – {self.get_kind_display()} – {self.to_subject}"


# --- The case --------------------------------------------------------------------------------


def case_reference(pk: int | None, admitted_at) -> str:
    """C2026-00012: the case's number, also for rows read without a model instance."""
    return f"C{admitted_at.year}-{pk or 0:05d}"


class Case(models.Model):
    """One subject's admission into the approach (casus / dossier)."""

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="cases")
    report = models.OneToOneField(
        "intake.Report",
        on_delete=models.PROTECT,
        related_name="case",
        null=True,
        blank=True,
        verbose_name="melding",
    )
    phase = models.CharField(
        "fase", max_length=16, choices=CasePhase.choices, default=CasePhase.ADMITTED
    )
    risk_groups = models.JSONField("risicogroepen", default=list, blank=True)
    ideology = models.CharField("ideologie", max_length=20, choices=Ideology.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="organisatie regisseur",
    )
    regisseur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_as_regisseur",
        verbose_name="regisseur",
    )
    admitted_at = models.DateTimeField("opgenomen op")
    base_file_assigned_at = models.DateTimeField(
        "basisdossier toebedeeld op", null=True, blank=True
    )
    evaluation_interval_weeks = models.PositiveSmallIntegerField(
        "evaluatie om de zoveel weken", default=DEFAULT_EVALUATION_WEEKS
    )
    family_approach = models.BooleanField(
        "gezinsaanpak",
        default=False,
        help_text="Ook de familie krijgt de notificatiebrief.",
    )
    second_case_reason = models.TextField(
        "reden tweede open casus",
        blank=True,
        db_default="",
        help_text="Alleen als het overleg een tweede open casus voor dezelfde persoon toestaat.",
    )
    is_dormant = models.BooleanField("statisch", default=False)
    dormant_reason = models.TextField("reden statisch", blank=True)
    dormant_since = models.DateField("statisch sinds", null=True, blank=True)
    phase_down_at = models.DateTimeField("afbouw sinds", null=True, blank=True)
    closed_at = models.DateTimeField("afgesloten op", null=True, blank=True)
    closure_reason = models.CharField(
        "reden afsluiting", max_length=24, choices=ClosureReason.choices, blank=True
    )
    handover_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="warme overdracht aan",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-admitted_at"]
        verbose_name = "casus"
        verbose_name_plural = "casussen"
        permissions = [("log_case", "Kan in het logboek van een casus schrijven")]
        indexes = [
            # case_list_for_user(): a regisseur's active cases.
            models.Index(fields=["regisseur", "phase"], name="case_regisseur_phase"),
            # caseload(): active cases per organisation and phase.
            models.Index(fields=["organisation", "phase"], name="case_org_phase"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(phase=CasePhase.CLOSED) | models.Q(closed_at__isnull=False),
                name="case_closed_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(evaluation_interval_weeks__gte=1)
                & models.Q(evaluation_interval_weeks__lte=52),
                name="case_evaluation_interval_sane",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return case_reference(self.pk, self.admitted_at)

    def can_transition_to(self, target: str) -> bool:
        return target in CASE_TRANSITIONS.get(self.phase, frozenset())

    @property
    def is_closed(self) -> bool:
        return self.phase == CasePhase.CLOSED


class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class BaseFile(models.Model):
    """The assessment carried over from intake, completed by the regisseur."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="base_file")
    framework_version = models.ForeignKey(
        "intake.FrameworkVersion", on_delete=models.PROTECT, related_name="+"
    )
    risk_groups = models.JSONField("risicogroepen", default=list, blank=True)
    ideology = models.CharField("ideologie", max_length=20, choices=Ideology.choices, blank=True)
    violence_readiness = models.CharField(
        "geweldsbereidheid", max_length=10, choices=ViolenceReadiness.choices, blank=True
    )
    network = models.TextField("netwerk", blank=True)
    summary = models.TextField("informatiebeeld", blank=True)
    carried_over_incomplete = models.BooleanField("onvolledig overgedragen", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "basisdossier"
        verbose_name_plural = "basisdossiers"

    def __str__(self) -> str:
        return f"Basisdossier {self.case}"


class BaseFileAnswer(models.Model):
    base_file = models.ForeignKey(BaseFile, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "intake.FrameworkQuestion", on_delete=models.PROTECT, related_name="+"
    )
    value = models.JSONField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["base_file", "question"], name="base_file_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


class DomainScore(models.Model):
    """A life-domain score (ZRM 1-5) in the base file or an evaluation: the trend shows."""

    base_file = models.ForeignKey(
        BaseFile, on_delete=models.CASCADE, null=True, blank=True, related_name="domain_scores"
    )
    evaluation = models.ForeignKey(
        "Evaluation", on_delete=models.CASCADE, null=True, blank=True, related_name="domain_scores"
    )
    domain = models.CharField("leefgebied", max_length=30, choices=LifeDomain.choices)
    score = models.PositiveSmallIntegerField(
        "score", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.TextField("toelichting", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="domain_score_between_1_and_5"
            ),
            models.CheckConstraint(
                condition=models.Q(base_file__isnull=False, evaluation__isnull=True)
                | models.Q(base_file__isnull=True, evaluation__isnull=False),
                name="domain_score_belongs_to_one",
            ),
            models.UniqueConstraint(
                fields=["base_file", "domain"], name="domain_score_once_per_base_file"
            ),
            models.UniqueConstraint(
                fields=["evaluation", "domain"], name="domain_score_once_per_evaluation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.score}"


# --- The plan (plan van aanpak) --------------------------------------------------------------


class Goal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    life_domain = models.CharField("leefgebied", max_length=30, choices=LifeDomain.choices)
    description = models.TextField("doel")
    is_active = models.BooleanField("actief", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "life_domain", "pk"]
        verbose_name = "doel"
        verbose_name_plural = "doelen"

    def __str__(self) -> str:
        return self.description[:80]


class PartnerRegistration(models.Model):
    """The registration form an intervention partner signs before seeing anything of a case."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_registration"
    )
    signed_on = models.DateField("ondertekend op")
    signed_by = models.CharField("ondertekend door", max_length=200)
    scope = models.TextField("reikwijdte", help_text="Voor welke interventies en welk doel.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "registratieformulier interventiepartner"
        verbose_name_plural = "registratieformulieren interventiepartners"

    def __str__(self) -> str:
        return f"Registratie {self.user}"


class Intervention(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    catalogue_entry = models.ForeignKey(
        CatalogueEntry,
        on_delete=models.PROTECT,
        related_name="interventions",
        verbose_name="interventie",
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interventions",
        verbose_name="doel",
    )
    rationale = models.TextField("waarom deze interventie")
    aim = models.TextField("beoogd resultaat", blank=True)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="uitvoerder"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions_owned",
        verbose_name="contactpersoon uitvoerder",
    )
    planned_start = models.DateField("geplande start", null=True, blank=True)
    planned_end = models.DateField("gepland einde", null=True, blank=True)
    status = models.CharField(
        "status",
        max_length=10,
        choices=InterventionStatus.choices,
        default=InterventionStatus.PLANNED,
    )
    result = models.TextField("resultaat", blank=True)
    # Set by intervention_save when the status becomes completed or stopped: the partner's
    # access ends then (read-only until the case's next evaluation at most).
    ended_on = models.DateField("beëindigd op", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "planned_start", "pk"]
        verbose_name = "interventie"
        verbose_name_plural = "interventies"
        indexes = [
            # partner_interventions(): what one partner delivers.
            models.Index(fields=["owner", "status"], name="intervention_owner_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="intervention_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(rationale=""), name="intervention_has_rationale"
            ),
        ]

    def __str__(self) -> str:
        return str(self.catalogue_entry)


class PlanVersion(models.Model):
    """A version of the plan: the concept the regisseur works on, or a snapshot that went to the
    advisory or decision meeting. Goals and interventions live on the case; a version keeps a
    snapshot of them, so every version shows what changed since the previous one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveSmallIntegerField("versie")
    status = models.CharField(
        "status", max_length=12, choices=PlanStatus.choices, default=PlanStatus.CONCEPT
    )
    scenario_short = models.TextField("scenario korte termijn", blank=True)
    scenario_long = models.TextField("scenario lange termijn", blank=True)
    snapshot = models.JSONField("momentopname", default=dict, blank=True)
    # Optimistic locking of the scenarios the regisseur edits (ipgar.lib.locking).
    lock_version = models.PositiveIntegerField(
        "wijzigingsnummer", default=0, db_default=0, editable=False
    )
    submitted_at = models.DateTimeField("ingediend op", null=True, blank=True)
    advice = models.TextField("advies ITAT-R", blank=True)
    advised_at = models.DateTimeField("geadviseerd op", null=True, blank=True)
    adopted_at = models.DateTimeField("vastgesteld op", null=True, blank=True)
    # The regisseur answers the ITAT-R: per advice point what was done with it, then marks the
    # plan definitive; only a definitive plan enters the decision meeting's queue.
    advice_responses = models.JSONField(
        "verwerking advies", default=list, db_default=[], blank=True
    )
    advice_processed_at = models.DateTimeField("advies verwerkt op", null=True, blank=True)
    final_at = models.DateTimeField("definitief voor het PTO-R op", null=True, blank=True)
    returned_reason = models.TextField("reden terug naar concept", blank=True, db_default="")
    accorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="geaccordeerd door",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "-number"]
        verbose_name = "versie plan van aanpak"
        verbose_name_plural = "versies plan van aanpak"
        indexes = [
            # meetings.selectors.queue_for(): the ITAT-R's queue (submitted) and the decision
            # meeting's (advised), longest waiting first, cut after one page (issue 10).
            models.Index(fields=["status", "submitted_at"], name="plan_status_submitted"),
            models.Index(fields=["status", "advised_at"], name="plan_status_advised"),
            # queue_for(): the decision meeting's queue holds definitive plans, oldest first.
            models.Index(fields=["status", "final_at"], name="plan_status_final"),
            # cases.dues.ADOPTED_AT: the last adoption of every case in the sweep (issue 19).
            models.Index(
                fields=["case", "-adopted_at"],
                name="plan_case_adopted",
                condition=models.Q(adopted_at__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="plan_version_number_once"),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="concept"),
                name="plan_one_concept_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan van aanpak versie {self.number}"

    def can_transition_to(self, target: str) -> bool:
        return target in PLAN_TRANSITIONS.get(self.status, frozenset())

    @property
    def advice_points(self) -> list[str]:
        """The ITAT-R's advice, one point per line (a dash or number in front is dropped)."""
        points = []
        for line in self.advice.splitlines():
            point = line.strip().lstrip("-*•").strip()
            if point:
                points.append(point)
        return points

    @property
    def awaits_processing(self) -> bool:
        return self.status == PlanStatus.ADVISED and self.final_at is None


# --- Logbook, contacts, partner meetings, evaluations, proposals ----------------------------


class LogEntry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="log_entries")
    at = models.DateTimeField("datum en tijd")
    kind = models.CharField("soort", max_length=14, choices=LogKind.choices)
    text = models.TextField("verslag")
    participants = models.CharField("deelnemers", max_length=300, blank=True)
    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="log_entries",
        verbose_name="interventie",
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name="correctie op",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="auteur"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "logboekregel"
        verbose_name_plural = "logboek"
        indexes = [
            # logbook_page(): newest entries of one case first.
            models.Index(fields=["case", "-at", "-id"], name="logentry_case_at"),
            # partner_logbook(): entries on one intervention.
            models.Index(fields=["intervention", "-at"], name="logentry_intervention_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d-%m-%Y %H:%M} {self.get_kind_display()}"


class Contact(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField("soort", max_length=14, choices=ContactKind.choices)
    name = models.CharField("naam", max_length=200)
    relation = models.CharField("relatie of rol", max_length=100, blank=True)
    organisation = models.CharField("organisatie", max_length=200, blank=True)
    phone = models.CharField("telefoon", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    address = models.CharField(
        "adres",
        max_length=300,
        blank=True,
        help_text="Voor ouders en voogden: het adres voor brieven.",
    )
    is_legal_representative = models.BooleanField("wettelijk vertegenwoordiger", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "kind", "name"]
        verbose_name = "contactpersoon"
        verbose_name_plural = "contactpersonen"

    def __str__(self) -> str:
        return self.name


class DirectoryEntry(models.Model):
    """The directory of attention officers and district contacts (team meeting 2021): who to
    call at a partner organisation or a district. Kept by functional administration and the
    coordinator; every staff role searches it; UVO invitees and action owners come from it."""

    name = models.CharField("naam", max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="directory_entries",
        verbose_name="organisatie",
    )
    district = models.CharField("stadsdeel", max_length=100, blank=True)
    role = models.CharField("rol", max_length=24, choices=DirectoryRole.choices)
    phone = models.CharField("telefoon", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_entry",
        verbose_name="account in iPGA-R",
        help_text="Met een account ziet deze persoon uitnodigingen op Mijn werk.",
    )
    is_active = models.BooleanField("actief", default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "district", "name"]
        verbose_name = "contactpersoon adresboek"
        verbose_name_plural = "adresboek"

    def __str__(self) -> str:
        where = self.district or self.organisation.name
        return f"{self.name} ({self.get_role_display()}, {where})"


class PartnerMeeting(models.Model):
    """Uitvoerdersoverleg (UVO): the regisseur with the intervention partners. Planned first
    (date, place, invitees), then held with agreements, or cancelled with a reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="partner_meetings")
    status = models.CharField(
        "status",
        max_length=12,
        choices=UvoStatus.choices,
        default=UvoStatus.HELD,
        db_default=UvoStatus.HELD,  # set-based inserts record held UVOs (benchmarks.scale)
    )
    held_on = models.DateField("datum")
    starts_at = models.DateTimeField("aanvang", null=True, blank=True)
    location = models.CharField("plaats", max_length=200, blank=True, db_default="")
    invitees = models.ManyToManyField(
        DirectoryEntry, blank=True, related_name="uvo_invitations", verbose_name="genodigden"
    )
    invited_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="uvo_invitations",
        verbose_name="genodigde gebruikers",
    )
    cancel_reason = models.TextField("reden geannuleerd", blank=True, db_default="")
    participants = models.TextField("deelnemers", blank=True)
    notes = models.TextField("verslag", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "-held_on"]
        verbose_name = "uitvoerdersoverleg (UVO)"
        verbose_name_plural = "uitvoerdersoverleggen (UVO)"
        indexes = [
            # cases.dues.LAST_UVO: the last held UVO of each of 120,000 cases in the sweep
            # (issue 19); planned and cancelled ones never count.
            models.Index(
                fields=["case", "-held_on"],
                name="uvo_case_latest",
                condition=models.Q(status=UvoStatus.HELD),
            ),
        ]

    def __str__(self) -> str:
        return f"UVO {self.held_on:%d-%m-%Y}"

    @property
    def is_planned(self) -> bool:
        return self.status == UvoStatus.PLANNED

    @property
    def ends_at(self) -> datetime | None:
        return self.starts_at + timedelta(hours=1) if self.starts_at else None


class Agreement(models.Model):
    meeting = models.ForeignKey(PartnerMeeting, on_delete=models.CASCADE, related_name="agreements")
    what = models.CharField("afspraak", max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name="wie (gebruiker)",
    )
    owner_name = models.CharField("wie", max_length=200, blank=True)
    due_on = models.DateField("uiterlijk")
    done_on = models.DateField("afgerond op", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "due_on", "pk"]
        verbose_name = "afspraak"
        verbose_name_plural = "afspraken"
        indexes = [
            # open_agreements_for_user(): "Mijn werk".
            models.Index(fields=["owner", "done_on"], name="agreement_owner_open"),
        ]

    def __str__(self) -> str:
        return self.what


class Evaluation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evaluations")
    held_on = models.DateField("datum")
    summary = models.TextField("samenvatting")
    conclusion = models.CharField("conclusie", max_length=12, choices=EvaluationConclusion.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "-held_on"]
        verbose_name = "evaluatie"
        verbose_name_plural = "evaluaties"
        indexes = [
            # cases.dues.LAST_EVALUATION: the last evaluation of every case in the sweep.
            models.Index(fields=["case", "-held_on"], name="evaluation_case_latest"),
        ]

    def __str__(self) -> str:
        return f"Evaluatie {self.held_on:%d-%m-%Y}"


class EvaluationGoalResult(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="goal_results"
    )
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="results")
    result = models.CharField("resultaat", max_length=10, choices=GoalResult.choices)
    note = models.TextField("toelichting", blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "goal"], name="goal_result_once")
        ]

    def __str__(self) -> str:
        return self.get_result_display()


class EvaluationInterventionResult(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="intervention_results"
    )
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="evaluation_results"
    )
    result = models.TextField("wat leverde het op")

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "intervention"], name="intervention_result_once"
            )
        ]

    def __str__(self) -> str:
        return self.result[:80]


class Proposal(models.Model):
    """A phase-down or closure proposal, for the advisory and then the decision meeting."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField("soort", max_length=10, choices=ProposalKind.choices)
    status = models.CharField(
        "status", max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    goals_met = models.TextField("behaalde doelen")
    reasoning = models.TextField("onderbouwing")
    handover_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="warme overdracht aan",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField("besloten op", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "-created_at"]
        verbose_name = "voorstel"
        verbose_name_plural = "voorstellen"
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="ingediend"),
                name="proposal_one_open_per_case",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Letter(models.Model):
    """A notification letter to one recipient, as PDF in private storage, with its dispatch."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="letters")
    template_version = models.CharField("sjabloonversie", max_length=40)
    recipient_kind = models.CharField(
        "ontvanger", max_length=20, choices=LetterRecipientKind.choices
    )
    recipient_name = models.CharField("naam ontvanger", max_length=200)
    address = models.TextField("adres")
    attention_of = models.CharField("ter attentie van", max_length=200, blank=True)
    file = models.FileField("PDF", upload_to="brieven/%Y/")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_on = models.DateField("verzonden of overhandigd op", null=True, blank=True)
    method = models.CharField("wijze", max_length=12, choices=DispatchMethod.choices, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "created_at"]
        verbose_name = "notificatiebrief"
        verbose_name_plural = "notificatiebrieven"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "recipient_kind", "recipient_name"],
                name="letter_once_per_recipient",
            ),
            models.CheckConstraint(
                condition=models.Q(dispatched_on__isnull=True) | ~models.Q(method=""),
                name="letter_dispatch_has_method",
            ),
        ]

    def __str__(self) -> str:
        return f"Notificatiebrief aan {self.recipient_name}"

    @cached_property
    def file_available(self) -> bool:
        """The stored PDF is there to download: the list links to it only then, so a file the
        storage lost shows as missing instead of a link that ends in a 404."""
        return bool(self.file) and self.file.storage.exists(self.file.name)


class EmergencyAccess(models.Model):
    """Break the glass: a user with a case role opened a case outside their need-to-know, with
    a reason. Read access only, for EMERGENCY_ACCESS_DURATION; cases_visible_to() honours it
    while it runs and forgets it when it expires. Removed with the case on destruction (the
    reason may name the person)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="emergency_accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    reason_kind = models.CharField(
        "soort reden", max_length=30, choices=EmergencyReasonKind.choices, blank=True
    )
    reason = models.TextField("reden")
    started_at = models.DateTimeField("geopend op")
    expires_at = models.DateTimeField("verloopt op")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "noodtoegang"
        verbose_name_plural = "noodtoegangen"
        indexes = [
            # cases_visible_to(): the user's grants that have not yet expired.
            models.Index(fields=["user", "expires_at"], name="emergency_user_expires"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="emergency_has_reason"),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("started_at")),
                name="emergency_expires_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Noodtoegang {self.case} tot {timezone.localtime(self.expires_at):%d-%m-%Y %H:%M}"

    def is_active(self, now=None) -> bool:
        return self.expires_at > (now or timezone.now())
