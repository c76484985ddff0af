from django.db import models


class Role(models.TextChoices):
    """The roles of DOMAIN.md section 5. Each is a Group with this value as its name."""

    INTAKE = "intake", "Meld- en Adviespunt (MAP)"
    POLICE_INTAKE = "politie_intake", "Politie (intake)"
    ASSESSMENT_BOARD = "voorportaal", "Voorportaal (duiding)"
    DECISION_MEMBER = "regieoverleg", "Lid Regieoverleg / PTO-R"
    SECRETARY = "secretaris", "Secretaris"
    REGISSEUR = "regisseur", "Regisseur"
    ADVISORY_MEMBER = "itatr_lid", "Vast lid ITAT-R"
    INTERVENTION_PARTNER = "interventiepartner", "Interventiepartner"
    PROGRAMME_TEAM = "programmateam", "Programmateam"
    COORDINATOR = "coordinator", "Coördinator regisseurspool"
    ADMINISTRATOR = "functioneel_beheer", "Functioneel beheerder"
    PRIVACY_OFFICER = "privacy", "Privacyfunctionaris"


class OrganisationKind(models.TextChoices):
    POLICE = "politie", "Politie"
    JUSTICE = "justitie", "Justitie en reclassering"
    YOUTH = "jeugd", "Jeugdbescherming en jeugdwerk"
    CARE = "zorg", "Zorg"
    MUNICIPAL = "gemeente", "Gemeentelijke dienst"
    DISTRICT = "stadsdeel", "Stadsdeel"
    MUNICIPALITY = "regiogemeente", "Regiogemeente (Amstelland)"
    NATIONAL = "rijk", "Rijksoverheid"
    OTHER = "overig", "Overig"


# Seeded by a data migration and by seed_demo; (code, name, kind).
ORGANISATIONS: list[tuple[str, str, str]] = [
    ("POL", "Politie Eenheid Amsterdam", OrganisationKind.POLICE),
    ("OM", "Openbaar Ministerie", OrganisationKind.JUSTICE),
    ("RN", "Reclassering Nederland", OrganisationKind.JUSTICE),
    ("RVDK", "Raad voor de Kinderbescherming", OrganisationKind.YOUTH),
    ("JBRA", "Jeugdbescherming Regio Amsterdam", OrganisationKind.YOUTH),
    ("WSG", "William Schrikker Groep", OrganisationKind.YOUTH),
    ("SCW", "Streetcornerwork", OrganisationKind.YOUTH),
    ("GGZ", "GGZ inGeest / Arkin", OrganisationKind.CARE),
    ("GGD", "GGD Amsterdam", OrganisationKind.CARE),
    ("WPI", "Werk, Participatie en Inkomen", OrganisationKind.MUNICIPAL),
    ("LPL", "Leerplicht", OrganisationKind.MUNICIPAL),
    ("OOV", "Openbare Orde en Veiligheid", OrganisationKind.MUNICIPAL),
    ("OJZ", "Onderwijs, Jeugd en Zorg", OrganisationKind.MUNICIPAL),
    ("MAP", "Meld- en Adviespunt / Steunpunt Radicalisering", OrganisationKind.MUNICIPAL),
    ("SD-CEN", "Stadsdeel Centrum", OrganisationKind.DISTRICT),
    ("SD-NIE", "Stadsdeel Nieuw-West", OrganisationKind.DISTRICT),
    ("SD-NRD", "Stadsdeel Noord", OrganisationKind.DISTRICT),
    ("SD-OST", "Stadsdeel Oost", OrganisationKind.DISTRICT),
    ("SD-WST", "Stadsdeel West", OrganisationKind.DISTRICT),
    ("SD-ZUI", "Stadsdeel Zuid", OrganisationKind.DISTRICT),
    ("SD-ZO", "Stadsdeel Zuidoost", OrganisationKind.DISTRICT),
    ("SD-WPT", "Stadsdeel Weesp", OrganisationKind.DISTRICT),
    (
        "NCTV",
        "Nationaal Coördinator Terrorismebestrijding en Veiligheid",
        OrganisationKind.NATIONAL,
    ),
    ("ACVZ", "Adviescommissie voor Vreemdelingenzaken", OrganisationKind.NATIONAL),
    ("AMV", "Gemeente Amstelveen", OrganisationKind.MUNICIPALITY),
    ("AAL", "Gemeente Aalsmeer", OrganisationKind.MUNICIPALITY),
    ("OAM", "Gemeente Ouder-Amstel", OrganisationKind.MUNICIPALITY),
    ("UIT", "Gemeente Uithoorn", OrganisationKind.MUNICIPALITY),
    ("DIE", "Gemeente Diemen", OrganisationKind.MUNICIPALITY),
]

# A full-time regisseur carries about 15 cases (PTO-R minutes, 23 May 2019).
CASES_PER_FTE = 15

# Roles that open case content, the access log or the administration itself (issue 20):
# granting one, or creating an account with one, needs a second administrator's approval.
PRIVILEGED_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.PRIVACY_OFFICER, Role.COORDINATOR, Role.REGISSEUR, Role.SECRETARY}
)
# Two people who created each other's account or roles within this many days do not count as
# two independent approvers of a destruction list.
INDEPENDENCE_DAYS = 90


class RoleRequestStatus(models.TextChoices):
    PENDING = "open", "Wacht op goedkeuring"
    APPROVED = "goedgekeurd", "Goedgekeurd"
    REJECTED = "afgewezen", "Afgewezen"


# Second-factor enrolment (issue 20): an activation code per user, valid this long, once.
ACTIVATION_CODE_VALIDITY_HOURS = 72
RECOVERY_CODE_COUNT = 10


class SecondFactorEventKind(models.TextChoices):
    CODE_ISSUED = "code", "Activeringscode uitgegeven"
    ENROLLED = "gekoppeld", "Authenticator-app gekoppeld"
    RESET = "ingetrokken", "Tweede factor ingetrokken door beheer"
    RECOVERY_USED = "herstelcode", "Herstelcode gebruikt"
