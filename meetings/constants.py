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
