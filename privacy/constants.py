from datetime import timedelta

from django.db import models

# Break the glass lasts three hours (issue 8).
EMERGENCY_ACCESS_DURATION = timedelta(hours=3)

# An access request (inzageverzoek) is answered within one month (AVG art. 12(3)).
ACCESS_REQUEST_MONTHS = 1


class DestructionKind(models.TextChoices):
    CASE = "casus", "Afgesloten casus"
    REPORT = "melding", "Melding zonder opname"


class DestructionListStatus(models.TextChoices):
    PROPOSED = "voorgesteld", "Voorgesteld, wacht op goedkeuring"
    APPROVED = "goedgekeurd", "Goedgekeurd door beheer en privacy"
    EXECUTED = "uitgevoerd", "Uitgevoerd"


class AccessRequestStatus(models.TextChoices):
    OPEN = "open", "In behandeling"
    ANSWERED = "beantwoord", "Beantwoord"


class WooGround(models.TextChoices):
    """Weigeringsgronden of the Wet open overheid that fit these minutes."""

    PRIVACY = "5.1.2.e", "5.1.2.e Eerbiediging persoonlijke levenssfeer"
    SPECIAL_DATA = "5.1.1.d", "5.1.1.d Bijzondere persoonsgegevens"
    CRIMINAL = "5.1.2.c", "5.1.2.c Opsporing en vervolging van strafbare feiten"
    SECURITY = "5.1.2.d", "5.1.2.d Inspectie, controle en toezicht"
    STATE_SECURITY = "5.1.1.b", "5.1.1.b Veiligheid van de Staat"


class WooMode(models.TextChoices):
    NAMES = "namen", "Alleen namen en persoonsgegevens lakken"
    WHOLE = "geheel", "Het hele agendapunt lakken (alleen de grond blijft staan)"
    NONE = "niets", "Niets lakken (geen persoonsgegevens)"
