from django.db import models


class DeadlineKind(models.TextChoices):
    LETTER = "notificatiebrief", "Notificatiebrief versturen"
    CONCEPT_PLAN = "concept_plan", "Concept plan van aanpak naar het ITAT-R"
    PLAN_FOR_MEETING = "plan_klaar", "Plan klaar voor het ITAT-R"
    AGENDA = "agenda", "Agenda versturen"
    UVO = "uvo", "Uitvoerdersoverleg (UVO)"
    EVALUATION = "evaluatie", "Evaluatie"
    NO_CONTACT = "geen_contact", "Geen logboekregel"
    ACTION = "actie", "Actie uit overleg"
    INFORMATION_REQUEST = "informatieverzoek", "Informatieverzoek onbeantwoord"
    REPORT_WAITING = "melding_wacht", "Melding wacht lang"


# Kinds whose notification may name the case (the recipient may open it); others stay generic.
ESCALATION_KIND = "escalatie"
