"""`import_meetings BESTAND --secretaris GEBRUIKER`: past meetings from a CSV or XLSX file laid
out as docs/import/vergaderingen-sjabloon.csv; all rows or none (meetings.importer)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ipgar.accounts.models import User
from meetings.importer import ImportFailed, meetings_import, read_rows


class Command(BaseCommand):
    help = "Leest vergaderingen uit het verleden in uit een CSV- of XLSX-bestand (alles of niets)."

    def add_arguments(self, parser):
        parser.add_argument("bestand", type=Path)
        parser.add_argument("--secretaris", required=True, help="gebruikersnaam van wie invoert")

    def handle(self, *args, bestand: Path, secretaris: str, **options):
        actor = User.objects.filter(username=secretaris, is_active=True).first()
        if actor is None:
            raise CommandError(f"Onbekende gebruiker ‘{secretaris}’.")
        if not bestand.exists():
            raise CommandError(f"Bestand ‘{bestand}’ bestaat niet.")
        try:
            result = meetings_import(rows=read_rows(bestand), actor=actor)
        except ImportFailed as failed:
            raise CommandError(
                "Niets ingelezen; verbeter deze regels en lees het bestand opnieuw in:\n"
                + "\n".join(failed.errors)
            ) from None
        self.stdout.write(
            f"{len(result.meetings)} vergadering(en) ingelezen: "
            + ", ".join(str(m) for m in result.meetings)
        )
