"""Demo users for `seed_demo`: fictional people (Faker nl_NL), one per role of the approach."""

from decimal import Decimal

from django.contrib.auth.models import Group
from faker import Faker

from ipgar.accounts.constants import ORGANISATIONS, Role
from ipgar.accounts.models import Organisation, User

DEMO_PASSWORD = "ipgar-demo-2026"  # noqa: S105  (documented demo password, local demo only)

# (username, organisation code, roles, fte)
DEMO_USERS: list[tuple[str, str, tuple[str, ...], str]] = [
    ("intake", "MAP", (Role.INTAKE,), "1.0"),
    ("politie", "POL", (Role.POLICE_INTAKE,), "1.0"),
    ("voorportaal", "MAP", (Role.ASSESSMENT_BOARD,), "1.0"),
    ("regieoverleg", "OOV", (Role.DECISION_MEMBER,), "1.0"),
    ("secretaris", "OOV", (Role.SECRETARY,), "1.0"),
    ("regisseur", "OOV", (Role.REGISSEUR,), "1.0"),
    ("regisseur2", "RN", (Role.REGISSEUR,), "0.8"),
    ("itatr", "OOV", (Role.ADVISORY_MEMBER,), "1.0"),
    ("partner", "SD-NIE", (Role.INTERVENTION_PARTNER,), "1.0"),
    ("programma", "OOV", (Role.PROGRAMME_TEAM,), "1.0"),
    ("coordinator", "OOV", (Role.COORDINATOR,), "1.0"),
    ("beheer", "OOV", (Role.ADMINISTRATOR,), "1.0"),
    ("privacy", "OOV", (Role.PRIVACY_OFFICER,), "1.0"),
]


def seed_organisations() -> None:
    for code, name, kind in ORGANISATIONS:
        Organisation.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})


def seed_users(fake: Faker) -> dict[str, User]:
    organisations = {o.code: o for o in Organisation.objects.all()}
    groups = {g.name: g for g in Group.objects.all()}
    users = {}
    for username, org_code, roles, fte in DEMO_USERS:
        first, last = fake.first_name(), fake.last_name()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.ipgar.invalid",
                "organisation": organisations[org_code],
                "fte": Decimal(fte),
                "job_title": Role(roles[0]).label,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.set([groups[role] for role in roles])
        users[username] = user
    return users
