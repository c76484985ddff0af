from django.db import models


class BodyFunction(models.TextChoices):
    ASSESSMENT_BOARD = "voorportaal", "Voorportaal (duiding)"
    DECISION = "besluit", "Besluitvormend overleg"
    ADVISORY = "advies", "Adviserend overleg"
    TEAM = "team", "Teamoverleg"
    GOVERNANCE = "bestuur", "Bestuurlijk overleg"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "maandag"
    TUESDAY = 1, "dinsdag"
    WEDNESDAY = 2, "woensdag"
    THURSDAY = 3, "donderdag"
    FRIDAY = 4, "vrijdag"


class MeetingStatus(models.TextChoices):
    PLANNED = "gepland", "Gepland"
    CANCELLED = "geannuleerd", "Geannuleerd"


class MinutesStatus(models.TextChoices):
    CONCEPT = "concept", "Concept"
    ADOPTED = "vastgesteld", "Vastgesteld"


class ItemKind(models.TextChoices):
    OPENING = "opening", "Opening en mededelingen"
    PREVIOUS_MINUTES = "verslag", "Vaststellen verslag vorige vergadering"
    CASE = "casus", "Casus"
    POLICY = "beleid", "Beleidsonderwerp"
    CONSENT = "hamerpunt", "Hamerpunt"
    AOB = "rondvraag", "Wat verder ter tafel komt / rondvraag"
    CLOSING = "sluiting", "Sluiting"


class CaseItemKind(models.TextChoices):
    ADMISSION = "opname", "Nieuwe melding: besluit over opname"
    PLAN_ADVICE = "advies_plan", "Concept plan van aanpak voor advies"
    PLAN_ADOPTION = "vaststellen_plan", "Plan van aanpak ter vaststelling"
    PHASE_DOWN = "afbouw", "Afbouwvoorstel"
    CLOSURE = "afsluiting", "Afsluitvoorstel"
    DORMANT = "statisch", "Voorstel statisch"
    STUCK = "vastgelopen", "Vastgelopen casus"


class ItemStatus(models.TextChoices):
    OPEN = "open", "Nog te bespreken"
    DISCUSSED = "besproken", "Besproken"
    NOT_DISCUSSED = "niet_besproken", "Niet besproken, doorgeschoven"


class DecisionKind(models.TextChoices):
    GENERAL = "algemeen", "Besluit"
    ADMIT = "opnemen", "Opnemen in de aanpak"
    NOT_ADMIT = "niet_opnemen", "Niet opnemen"
    ADVICE = "advies", "Advies aan de regisseur"
    ADOPT_PLAN = "plan_vaststellen", "Plan van aanpak vaststellen"
    PHASE_DOWN = "afbouwen", "Casus afbouwen"
    CLOSE = "afsluiten", "Casus afsluiten"
    DORMANT = "statisch", "Casus statisch verklaren"
    BRING_BACK = "terug", "Terug naar de regisseur of het Voorportaal"


# Which decisions fit which case item, so the minutes offer only sensible choices.
DECISIONS_FOR_ITEM: dict[str, tuple[str, ...]] = {
    CaseItemKind.ADMISSION: (DecisionKind.ADMIT, DecisionKind.NOT_ADMIT, DecisionKind.BRING_BACK),
    # Advice, or "not ready": back to concept with the reason.
    CaseItemKind.PLAN_ADVICE: (DecisionKind.ADVICE, DecisionKind.BRING_BACK),
    CaseItemKind.PLAN_ADOPTION: (DecisionKind.ADOPT_PLAN, DecisionKind.BRING_BACK),
    CaseItemKind.PHASE_DOWN: (
        DecisionKind.ADVICE,
        DecisionKind.PHASE_DOWN,
        DecisionKind.BRING_BACK,
    ),
    CaseItemKind.CLOSURE: (DecisionKind.ADVICE, DecisionKind.CLOSE, DecisionKind.BRING_BACK),
    CaseItemKind.DORMANT: (DecisionKind.DORMANT, DecisionKind.BRING_BACK),
    CaseItemKind.STUCK: (DecisionKind.ADVICE, DecisionKind.DORMANT),
}


class AttendanceStatus(models.TextChoices):
    PRESENT = "aanwezig", "Aanwezig"
    EXCUSED = "afgemeld", "Afwezig met bericht"
    ABSENT = "afwezig", "Afwezig"
    GUEST = "gast", "Ook aanwezig (gast)"


# How the minutes group attendance: present first, guests last.
ATTENDANCE_ORDER = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
    AttendanceStatus.GUEST,
)


class OwnerGroup(models.TextChoices):
    ALL = "allen", "Allen"
    REGISSEURS = "regisseurs", "Regisseurs"
    MEMBERS = "leden", "Leden van het overleg"


class PeriodKind(models.TextChoices):
    """A due date or a planned moment as the minutes write it: a date, or a typed period.
    Every kind sorts by one date (the last day of the period); 'z.s.m.' first, 'jaarlijks'
    and 'nog plannen' after every dated entry."""

    DATE = "datum", "Datum"
    ASAP = "zsm", "z.s.m."
    MONTH = "maand", "Maand"
    QUARTER = "kwartaal", "Kwartaal"
    HALF = "halfjaar", "Halfjaar"
    BEFORE_SUMMER = "voor_zomer", "Vóór de zomer"
    AFTER_SUMMER = "na_zomer", "Na de zomer"
    YEAR = "jaar", "Jaar"
    YEARLY = "jaarlijks", "Jaarlijks"
    TO_PLAN = "nog_plannen", "Nog plannen"


# The agenda must hold the plan or report this many days before the meeting.
READY_DAYS_BEFORE = 7
# How far ahead meetings are generated from the cycle.
GENERATE_WEEKS_AHEAD = 26
