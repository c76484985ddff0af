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
