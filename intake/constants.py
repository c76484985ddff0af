from django.db import models


class Desk(models.TextChoices):
    """Where a report came in; its staff (the role of the same name) see the desk's reports."""

    MAP = "intake", "Meld- en Adviespunt (MAP)"
    POLICE = "politie_intake", "Politie"


class Channel(models.TextChoices):
    PHONE = "telefoon", "Telefoon"
    EMAIL = "email", "E-mail"
    WEB_FORM = "webformulier", "Webformulier"
    IN_PERSON = "persoonlijk", "Persoonlijk"
    AIVD = "ambtsbericht", "Ambtsbericht AIVD"


class ReporterKind(models.TextChoices):
    TEACHER = "docent", "Docent of school"
    PROFESSIONAL = "professional", "Zorg- of jeugdprofessional"
    FAMILY = "familie", "Ouder of familie"
    AIVD = "aivd", "AIVD"
    POLICE = "politie", "Politie"
    DISTRICT = "stadsdeel", "Projectleider stadsdeel"
    ATTENTION_OFFICER = "aandachtsfunctionaris", "Aandachtsfunctionaris"
    ANONYMOUS = "anoniem", "Anoniem"
    OTHER = "overig", "Overig"


class Urgency(models.TextChoices):
    NORMAL = "normaal", "Normaal"
    URGENT = "urgent", "Urgent"


class Gender(models.TextChoices):
    UNKNOWN = "", "Onbekend"
    MALE = "m", "Man"
    FEMALE = "v", "Vrouw"
    OTHER = "x", "Anders"


class ReportStatus(models.TextChoices):
    REGISTERED = "geregistreerd", "Geregistreerd, wacht op eerste beoordeling"
    CLOSED_BY_DESK = "afgesloten", "Afgesloten door de balie"
    HANDED_OVER = "overgedragen", "Overgedragen aan reguliere zorg"
    FORWARDED = "doorgezet", "Doorgezet naar het Voorportaal"
    IN_ASSESSMENT = "in_duiding", "In duiding"
    ADVISED = "geadviseerd", "Advies gereed"
    READY_FOR_DECISION = "klaar_voor_besluit", "Klaar voor besluit"
    ADMITTED = "opgenomen", "Opgenomen in de aanpak"
    NOT_ADMITTED = "niet_opgenomen", "Niet opgenomen"


# The one table of allowed transitions. Every service consults it through
# Report.can_transition_to(); a test tries every state against every target.
REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.REGISTERED: frozenset(
        {ReportStatus.CLOSED_BY_DESK, ReportStatus.HANDED_OVER, ReportStatus.FORWARDED}
    ),
    ReportStatus.FORWARDED: frozenset({ReportStatus.IN_ASSESSMENT}),
    ReportStatus.IN_ASSESSMENT: frozenset({ReportStatus.ADVISED}),
    ReportStatus.ADVISED: frozenset({ReportStatus.IN_ASSESSMENT, ReportStatus.READY_FOR_DECISION}),
    ReportStatus.READY_FOR_DECISION: frozenset(
        {ReportStatus.ADMITTED, ReportStatus.NOT_ADMITTED, ReportStatus.IN_ASSESSMENT}
    ),
    ReportStatus.CLOSED_BY_DESK: frozenset(),
    ReportStatus.HANDED_OVER: frozenset(),
    ReportStatus.ADMITTED: frozenset(),
    ReportStatus.NOT_ADMITTED: frozenset(),
}

OPEN_STATUSES = frozenset(
    {
        ReportStatus.REGISTERED,
        ReportStatus.FORWARDED,
        ReportStatus.IN_ASSESSMENT,
        ReportStatus.ADVISED,
        ReportStatus.READY_FOR_DECISION,
    }
)

# What an open report waits for, in the users' words (the lists show it beside the age).
WAITING_FOR: dict[str, str] = {
    ReportStatus.REGISTERED: "Eerste beoordeling door de balie",
    ReportStatus.FORWARDED: "Start duiding door het Voorportaal",
    ReportStatus.IN_ASSESSMENT: "Afronding duiding en advies",
    ReportStatus.ADVISED: "Aanmelding voor het Regieoverleg",
    ReportStatus.READY_FOR_DECISION: "Besluit van het Regieoverleg",
}


class TriageOutcome(models.TextChoices):
    ADVICE_GIVEN = "advies", "Afgesloten: melder geadviseerd of gecoacht"
    ANONYMOUS_INSUFFICIENT = "anoniem_onvoldoende", "Afgesloten: anoniem en onvoldoende informatie"
    NO_CONCERN = "geen_zorg", "Afgesloten: geen zorg over radicalisering"
    REGULAR_CARE = "reguliere_zorg", "Overdragen aan reguliere zorg"
    FORWARD = "voorportaal", "Doorzetten naar het Voorportaal"


TRIAGE_TARGET: dict[str, str] = {
    TriageOutcome.ADVICE_GIVEN: ReportStatus.CLOSED_BY_DESK,
    TriageOutcome.ANONYMOUS_INSUFFICIENT: ReportStatus.CLOSED_BY_DESK,
    TriageOutcome.NO_CONCERN: ReportStatus.CLOSED_BY_DESK,
    TriageOutcome.REGULAR_CARE: ReportStatus.HANDED_OVER,
    TriageOutcome.FORWARD: ReportStatus.FORWARDED,
}


class RiskGroup(models.IntegerChoices):
    TERRORIST = 1, "1. (Potentiële) terroristen en (getraumatiseerde) terugkeerders"
    RECRUITER = 2, "2. Ronselaars voor extremistische of terroristische organisaties"
    TRAVELLER = 3, "3. (Potentiële en verhinderde) uitreizigers"
    RADICALISING = 4, "4. Personen en groepen die radicaliseren of radicale ideeën hebben"
    FAMILY = 5, "5. Familie van uitreizigers en terugkeerders"


class Ideology(models.TextChoices):
    JIHADIST = "jihadistisch", "Jihadistisch / islamistisch extremisme"
    RIGHT_WING = "rechts", "Rechts-extremisme"
    LEFT_WING = "links", "Links-extremisme"
    SINGLE_ISSUE = "single_issue", "Single-issue-extremisme (dierenrechten, milieu)"
    ANTI_GOVERNMENT = "anti_overheid", "Anti-institutioneel / anti-overheidsextremisme"
    OTHER = "overig", "Overig / onduidelijk"
    PROBLEM_BEHAVIOUR = "probleemgedrag", "Problematisch gedrag (nog) zonder geweld"


class ViolenceReadiness(models.TextChoices):
    NONE = "geen", "Geen aanwijzingen"
    LOW = "laag", "Laag"
    MEDIUM = "midden", "Midden"
    HIGH = "hoog", "Hoog"


class LifeDomain(models.TextChoices):
    """The 13 domains of the Zelfredzaamheid-Matrix."""

    FINANCES = "financien", "Financiën"
    WORK_EDUCATION = "werk_opleiding", "Werk en opleiding"
    TIME_USE = "tijdsbesteding", "Tijdsbesteding"
    HOUSING = "huisvesting", "Huisvesting"
    DOMESTIC = "huiselijke_relaties", "Huiselijke relaties"
    MENTAL_HEALTH = "geestelijke_gezondheid", "Geestelijke gezondheid"
    PHYSICAL_HEALTH = "lichamelijke_gezondheid", "Lichamelijke gezondheid"
    ADDICTION = "middelengebruik", "Middelengebruik"
    BASIC_ADL = "basale_adl", "Basale ADL"
    INSTRUMENTAL_ADL = "instrumentele_adl", "Instrumentele ADL"
    SOCIAL_NETWORK = "sociaal_netwerk", "Sociaal netwerk"
    PARTICIPATION = "participatie", "Maatschappelijke participatie"
    JUSTICE = "justitie", "Justitie"


ZRM_SCORES = [
    (1, "1 – acute problematiek"),
    (2, "2 – niet zelfredzaam"),
    (3, "3 – beperkt zelfredzaam"),
    (4, "4 – voldoende zelfredzaam"),
    (5, "5 – volledig zelfredzaam"),
]


class QuestionKind(models.TextChoices):
    TEXT = "tekst", "Open vraag"
    CHOICE = "keuze", "Eén keuze"
    MULTIPLE = "meerkeuze", "Meerdere keuzes"
    SCALE = "schaal", "Schaal 1 tot 5"


class AdviceKind(models.TextChoices):
    ADMIT = "opnemen", "Opnemen in de aanpak"
    NOT_ADMIT = "niet_opnemen", "Niet opnemen"
    PREVENTIVE = "preventief_gesprek", "Preventief gesprek"
    INVESTIGATE = "nader_onderzoek", "Nader onderzoek"


class OtherApproach(models.TextChoices):
    TOP600 = "top600", "Top600"
    TOP400 = "top400", "Top400"
    OTHER = "overig", "Andere persoonsgerichte aanpak"


class CheckResult(models.TextChoices):
    NOT_KNOWN = "onbekend", "Niet bekend"
    KNOWN = "bekend", "Bekend"


class NotAdmittedReason(models.TextChoices):
    NO_GROUNDS = "geen_grond", "Geen grond voor opname"
    PREVENTIVE = "preventief_gesprek", "Preventief gesprek in plaats van opname"
    OTHER_APPROACH = "andere_aanpak", "Opgepakt in een andere aanpak"
    OTHER = "overig", "Overig"


# How many days an information request may stay open before it shows as overdue.
INFORMATION_REQUEST_DAYS = 10
