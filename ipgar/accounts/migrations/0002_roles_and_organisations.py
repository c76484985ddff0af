"""Roles (DOMAIN.md section 5) as groups, and the partner organisations of the approach."""

from django.db import migrations

ROLES = [
    "intake", "politie_intake", "voorportaal", "regieoverleg", "secretaris", "regisseur",
    "itatr_lid", "interventiepartner", "programmateam", "coordinator", "functioneel_beheer",
    "privacy",
]


def create(apps, schema_editor):
    from ipgar.accounts.constants import ORGANISATIONS

    Group = apps.get_model("auth", "Group")
    Organisation = apps.get_model("accounts", "Organisation")
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    for code, name, kind in ORGANISATIONS:
        Organisation.objects.get_or_create(code=code, defaults={"name": name, "kind": str(kind)})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
