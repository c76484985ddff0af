"""Seed the assessment framework versions; on PostgreSQL add trigram search on names."""

from django.db import migrations


def seed(apps, schema_editor):
    from intake.framework_content import seed_frameworks

    seed_frameworks(
        apps.get_model("intake", "FrameworkVersion"),
        apps.get_model("intake", "FrameworkSection"),
        apps.get_model("intake", "FrameworkQuestion"),
    )


def trigram(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # person_matches(): similarity on the folded name key of every person in a report.
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS intake_reportperson_name_key_trgm "
        "ON intake_reportperson USING gin (name_key gin_trgm_ops)"
    )


def untrigram(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS intake_reportperson_name_key_trgm")


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(trigram, untrigram),
    ]
