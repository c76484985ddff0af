"""Fill the database with fictional demo data. Safe to run again: nothing is duplicated.

It lives in `demo`, above every app, and is the one command that imports every app (the
privacy app included).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from faker import Faker

from cases.demo import seed_cases, seed_catalogue
from cases.demo_history import seed_history
from demo.reminders import seed_reminders
from intake.demo import seed_reports
from ipgar.accounts.demo import DEMO_PASSWORD, seed_organisations, seed_users
from meetings.demo import seed_bodies, seed_meetings
from privacy.demo import seed_privacy


class Command(BaseCommand):
    help = "Vult de database met fictieve demogegevens (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="Toch laden zonder DEBUG, alleen in een lege database.",
        )

    def handle(self, *args, **options):
        # The demo accounts share the README's password: on a production database they would
        # wait for anyone to log in and enrol a second factor (issue 20).
        if not settings.SEED_DEMO_ALLOWED:
            from ipgar.accounts.models import User

            if not options["not_production"]:
                raise CommandError(
                    "seed_demo draait alleen met DEBUG=true (of met "
                    "--i-know-this-is-not-production op een lege database)."
                )
            if User.objects.exists():
                raise CommandError(
                    "De database is niet leeg: seed_demo laadt zonder DEBUG alleen in een lege "
                    "database."
                )
        fake = Faker("nl_NL")
        fake.seed_instance(2026)  # the same fictional names on every machine
        today = timezone.localdate()
        with transaction.atomic():
            seed_organisations()
            users = seed_users(fake)
            created_entries = seed_catalogue(today)
            bodies = seed_bodies(today, users)
            new_reports = seed_reports(fake, today, users)
            new_cases = seed_cases(fake, today, users)
            new_meetings = seed_meetings(today, users)
            # Two years of history for the monitor's figures (after the live demo cases).
            history = seed_history(fake, today, users)
            reminders = seed_reminders(users)
            new_privacy_reports = seed_privacy(fake, users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demogegevens klaar: {len(users)} gebruikers (wachtwoord {DEMO_PASSWORD}), "
                f"{len(bodies)} overleggen, {created_entries} nieuwe interventies, "
                f"{new_reports} nieuwe meldingen, {new_cases} nieuwe casussen, "
                f"{new_meetings} nieuwe vergaderingen, {reminders} nieuwe herinneringen, "
                f"{history} historische meldingen voor de monitor, "
                f"{new_privacy_reports} nieuwe meldingen voor de vernietigingslijst."
            )
        )
