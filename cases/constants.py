from django.db import models


class InterventionCategory(models.TextChoices):
    PUNISHMENT = "straf", "Straf en justitie"
    CARE = "zorg", "Zorg en hulpverlening"
    SOCIAL = "sociaal", "Sociaal domein"
    ADMINISTRATIVE = "bestuurlijk", "Bestuurlijke maatregel"
    PREVENTION = "preventie", "Preventie en weerbaarheid"


class SpecialIntervention(models.TextChoices):
    """Interventions the monitor counts separately."""

    NONE = "", "Geen"
    PASSPORT = "paspoort", "Paspoortmaatregel"
    GGD_SCREENING = "ggd_screening", "GGD-screening"
    SPECIALIST_POOL = "specialistenpool", "Specialistenpool"


class CasePhase(models.TextChoices):
    ADMITTED = "opgenomen", "Opgenomen"
    BASE_FILE = "basisdossier", "Basisdossier bij regisseur"
    CONCEPT_PLAN = "concept_plan", "Concept plan van aanpak"
    AT_ADVICE = "bij_advies", "Plan bij het ITAT-R"
    ADOPTED = "vastgesteld", "Plan vastgesteld"
    IN_EXECUTION = "in_uitvoering", "In uitvoering"
    PHASING_DOWN = "afbouw", "Afbouw"
    CLOSED = "afgesloten", "Afgesloten"


# The one table of allowed phase changes. 'Statisch' (dormant) is a side state, not a phase.
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    CasePhase.ADMITTED: frozenset({CasePhase.BASE_FILE, CasePhase.CLOSED}),
    CasePhase.BASE_FILE: frozenset({CasePhase.CONCEPT_PLAN, CasePhase.CLOSED}),
    CasePhase.CONCEPT_PLAN: frozenset({CasePhase.AT_ADVICE, CasePhase.CLOSED}),
    # Back to concept: the advisory or decision meeting returns the plan to the regisseur.
    CasePhase.AT_ADVICE: frozenset({CasePhase.CONCEPT_PLAN, CasePhase.ADOPTED, CasePhase.CLOSED}),
    CasePhase.ADOPTED: frozenset({CasePhase.IN_EXECUTION, CasePhase.CLOSED}),
    CasePhase.IN_EXECUTION: frozenset({CasePhase.PHASING_DOWN, CasePhase.CLOSED}),
    CasePhase.PHASING_DOWN: frozenset({CasePhase.IN_EXECUTION, CasePhase.CLOSED}),
    CasePhase.CLOSED: frozenset(),
}
# A plan revised after adoption goes through the meetings again as a new plan version; the
# case stays in execution meanwhile.

ACTIVE_PHASES = frozenset(set(CasePhase.values) - {CasePhase.CLOSED})


class PlanStatus(models.TextChoices):
    CONCEPT = "concept", "Concept"
    SUBMITTED = "ingediend", "Ingediend voor advies (ITAT-R)"
    ADVISED = "geadviseerd", "Geadviseerd door het ITAT-R"
    ADOPTED = "vastgesteld", "Vastgesteld"
    REVISED = "herzien", "Herzien (vervangen door een nieuwere versie)"


PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    PlanStatus.CONCEPT: frozenset({PlanStatus.SUBMITTED}),
    PlanStatus.SUBMITTED: frozenset({PlanStatus.ADVISED, PlanStatus.CONCEPT}),
    PlanStatus.ADVISED: frozenset({PlanStatus.ADOPTED, PlanStatus.CONCEPT}),
    PlanStatus.ADOPTED: frozenset({PlanStatus.REVISED}),
    PlanStatus.REVISED: frozenset(),
}


class InterventionStatus(models.TextChoices):
    PLANNED = "gepland", "Gepland"
    RUNNING = "lopend", "Lopend"
    COMPLETED = "afgerond", "Afgerond"
    STOPPED = "gestopt", "Gestopt"


class LogKind(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face-to-face contact"
    PHONE = "telefoon", "Telefonisch contact"
    DIGITAL = "digitaal", "Digitaal contact"
    NETWORK = "netwerk", "Contact met het netwerk"
    PARTNER = "partner", "Contact met een partner"
    UVO = "uvo", "Uitvoerdersoverleg (UVO)"
    DEVELOPMENT = "ontwikkeling", "Ontwikkeling"
    ATTEMPT = "poging", "Poging zonder contact"


# Kinds that count as contact for "days since the last contact".
CONTACT_KINDS = frozenset(set(LogKind.values) - {LogKind.ATTEMPT, LogKind.DEVELOPMENT})

# An author may correct their own logbook entry within this many minutes; after that a
# correction is a new entry.
LOG_CORRECTION_MINUTES = 30


class ContactKind(models.TextChoices):
    PARENT = "ouder", "Ouder"
    GUARDIAN = "voogd", "Voogd / wettelijk vertegenwoordiger"
    FAMILY = "familie", "Familielid"
    NETWORK = "netwerk", "Netwerk (vriend, buurt, geloofsgemeenschap)"
    PROFESSIONAL = "professional", "Professional / partner"
    OTHER = "overig", "Overig"


class LinkKind(models.TextChoices):
    FAMILY = "familie", "Familie"
    NETWORK = "netwerk", "Zelfde netwerk"
    INFLUENCE = "invloed", "Heeft invloed op"


class InstitutionKind(models.TextChoices):
    PI = "PI", "Penitentiaire inrichting (PI)"
    JJI = "JJI", "Justitiële jeugdinrichting (JJI)"


class GoalResult(models.TextChoices):
    ACHIEVED = "behaald", "Behaald"
    PARTLY = "deels", "Deels behaald"
    NOT_ACHIEVED = "niet", "Niet behaald"


class EvaluationConclusion(models.TextChoices):
    CONTINUE = "voortzetten", "Plan voortzetten"
    ADJUST = "bijstellen", "Plan bijstellen"
    BACK_TO_ITATR = "itatr", "Terug naar het ITAT-R"
    PROPOSE_PHASE_DOWN = "afbouw", "Afbouwvoorstel doen"
    PROPOSE_CLOSURE = "afsluiten", "Afsluitvoorstel doen"


class ProposalKind(models.TextChoices):
    PHASE_DOWN = "afbouw", "Afbouwvoorstel"
    CLOSURE = "afsluiting", "Afsluitvoorstel"


class ProposalStatus(models.TextChoices):
    DRAFT = "concept", "Concept"
    SUBMITTED = "ingediend", "Ingediend"
    ADOPTED = "aangenomen", "Aangenomen"
    REJECTED = "afgewezen", "Afgewezen"


class ClosureReason(models.TextChoices):
    GOALS_MET = "doelen_behaald", "Doelen behaald, warme overdracht"
    NO_PERSPECTIVE = "geen_perspectief", "Geen handelingsperspectief"
    MOVED = "verhuisd", "Verhuisd buiten de regio"
    DETAINED_LONG = "langdurig_gedetineerd", "Langdurig gedetineerd"
    DECEASED = "overleden", "Overleden"
    OTHER = "overig", "Overig"


class UvoStatus(models.TextChoices):
    PLANNED = "gepland", "Gepland"
    HELD = "gehouden", "Gehouden"
    CANCELLED = "geannuleerd", "Geannuleerd"


class DirectoryRole(models.TextChoices):
    ATTENTION_OFFICER = "aandachtsfunctionaris", "Aandachtsfunctionaris radicalisering"
    DISTRICT_PROJECT_LEADER = "projectleider", "Projectleider stadsdeel"
    CONTACT = "contactpersoon", "Contactpersoon"


# UVO about every 8 weeks; evaluation per the case's interval (default 12 weeks).
UVO_INTERVAL_WEEKS = 8
# Codes of the deadlines a case computes itself (cases.selectors.case_dues).
DUE_CONCEPT_PLAN = "concept_plan"
DUE_UVO = "uvo"
DUE_EVALUATION = "evaluatie"
DEFAULT_EVALUATION_WEEKS = 12
CONCEPT_PLAN_WEEKS = 5


class LetterRecipientKind(models.TextChoices):
    SUBJECT = "persoon", "De persoon zelf"
    REPRESENTATIVE = "vertegenwoordiger", "Ouder of voogd"
    FAMILY = "familie", "Familie (gezinsaanpak)"
    INSTITUTION = "inrichting", "Via de inrichting (PI/JJI)"


class DispatchMethod(models.TextChoices):
    POST = "post", "Per post naar het adres"
    IN_PERSON = "persoonlijk", "Persoonlijk overhandigd, met de regisseur"
    INSTITUTION = "inrichting", "Via de inrichting (PI/JJI), t.a.v. de casemanager"


# The notification letter goes out within 3 weeks of the admission decision.
LETTER_WEEKS = 3
LETTER_TEMPLATE_VERSION = "kennisgeving-2026-1"
LETTER_TEMPLATES = {LETTER_TEMPLATE_VERSION: "letters/notification_2026_1.html"}


class EmergencyReasonKind(models.TextChoices):
    """Why the glass was broken: the privacy officer reviews every grant by its kind and text."""

    ACUTE_DANGER = "acuut_gevaar", "Acuut gevaar voor de persoon of anderen"
    CRISIS = "crisis", "Crisisinterventie of inzet hulpdiensten"
    REGISSEUR_UNREACHABLE = "regisseur_onbereikbaar", "Spoed terwijl de regisseur onbereikbaar is"
    DETENTION = "detentie", "Plotselinge aanhouding, detentie of vrijlating"
    MISSING = "vermissing", "Vermissing of (dreigend) vertrek naar een conflictgebied"
