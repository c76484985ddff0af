"""`generate_scale_data --tier small|large`: the benchmark's national-scale dataset (issue 10).

On a migrated, empty PostgreSQL database: the demo's organisations, roles, users, catalogue
and bodies first (no demo cases), then the tier set-based. Run it again and it sees the marker
and does nothing."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from benchmarks import scale
from cases.demo import seed_catalogue
from ipgar.accounts.demo import seed_organisations, seed_users
from meetings.demo import seed_bodies


class Command(BaseCommand):
    help = "Vult een lege PostgreSQL-database met schaaldata (small of large) voor `make bench`."

    def add_arguments(self, parser):
        parser.add_argument("--tier", choices=sorted(scale.TIERS), required=True)

    def handle(self, *args, tier, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Schaaldata vraagt PostgreSQL (generate_series).")
        present = scale.existing_tier()
        if present == tier:
            self.stdout.write(f"Schaaldata '{tier}' staat er al; niets te doen.")
            return
        if present:
            raise CommandError(f"Deze database bevat al schaaldata '{present}'.")
        fake = Faker("nl_NL")
        fake.seed_instance(2026)
        today = timezone.localdate()
        with transaction.atomic():
            seed_organisations()
            users = seed_users(fake)
            seed_catalogue(today)
            seed_bodies(today, users)
        self.stdout.write(f"Schaaldata '{tier}' maken…")
        result = scale.generate(scale.TIERS[tier], log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(f"Schaaldata '{tier}' klaar in {result['seconds']} s.")
        )
