"""Taking in past meetings from a spreadsheet (CSV or XLSX): a year of the old system's
minutes in one go. The layout is documented in docs/import/README.md, with a template file
beside it.

Every row is validated and carried out through the same services a secretary uses on screen,
in one transaction: a row that fails is reported with its number and column, in Dutch, and
then nothing of the file is kept. Rows belong to the last 'vergadering' row above them."""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from cases.exceptions import TransitionNotAllowed
from cases.models import Case, PlanVersion, Proposal
from intake.models import Report
from ipgar.accounts.models import Organisation, User
from meetings import services
from meetings.constants import (
    AttendanceStatus,
    CaseItemKind,
    DecisionKind,
    ItemKind,
    ItemStatus,
    OwnerGroup,
)
from meetings.models import AgendaItem, AgendaSection, Body, Meeting
from meetings.periods import PeriodError, period_parse

COLUMNS = [
    "soort",
    "overleg",
    "datum",
    "aanvang",
    "reden",
    "locatie",
    "onderdeel",
    "nummer",
    "puntsoort",
    "onderwerp",
    "tekst",
    "status",
    "behandeld_als",
    "organisatie",
    "organisatie_naam",
    "naam",
    "casus",
    "besluit_soort",
    "regisseur",
    "eigenaren",
    "uiterlijk",
    "afgerond_op",
]
ROW_KINDS = ("vergadering", "aanwezig", "onderdeel", "punt", "besluit", "actie", "termijn")
PLAIN_ITEM_KINDS = {
    "opening": ItemKind.OPENING,
    "verslag": ItemKind.PREVIOUS_MINUTES,
    "beleid": ItemKind.POLICY,
    "hamerpunt": ItemKind.CONSENT,
    "rondvraag": ItemKind.AOB,
    "sluiting": ItemKind.CLOSING,
}
GROUPS = {group.label.lower(): group.value for group in OwnerGroup} | {
    group.value: group.value for group in OwnerGroup
}


class ImportFailed(Exception):
    """One Dutch message per refused row; nothing of the file was stored."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


class RowError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


@dataclass
class ImportResult:
    meetings: list[Meeting] = field(default_factory=list)
    rows: int = 0


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV (semicolon or comma, UTF-8) or XLSX file as dicts of the columns."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).active
        values = [
            ["" if cell is None else _cell_text(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        text = path.read_text(encoding="utf-8-sig")
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,")
        values = list(csv.reader(io.StringIO(text), dialect))
    if not values:
        raise ImportFailed(["Het bestand is leeg."])
    header = [name.strip().lower() for name in values[0]]
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown or "soort" not in header:
        raise ImportFailed(
            [
                f"Regel 1: onbekende kolom(men) {', '.join(unknown) or '(soort ontbreekt)'}; "
                f"gebruik de kolommen van het sjabloon: {', '.join(COLUMNS)}."
            ]
        )
    return [
        {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header) if name}
        for row in values[1:]
    ]


def _cell_text(cell) -> str:
    if isinstance(cell, datetime):
        return f"{cell:%d-%m-%Y}" if cell.time() == datetime.min.time() else f"{cell:%H:%M}"
    if hasattr(cell, "hour") and not hasattr(cell, "year"):
        return f"{cell:%H:%M}"
    return str(cell)


class _Importer:
    def __init__(self, actor: User):
        self.actor = actor
        self.meeting: Meeting | None = None
        self.items: dict[tuple[int, str], AgendaItem] = {}
        self.carry: list[tuple[int, AgendaItem, str]] = []
        self.attendance: dict[int, tuple[Meeting, list[services.AttendanceRow]]] = {}
        self.result = ImportResult()

    # --- lookups -------------------------------------------------------------------------

    def organisation(self, value: str, column: str = "organisatie") -> Organisation:
        found = Organisation.objects.filter(Q(code__iexact=value) | Q(name__iexact=value)).first()
        if found is None:
            raise RowError(column, f"onbekende organisatie ‘{value}’ (gebruik de code, bijv. OOV)")
        return found

    def user(self, value: str, column: str) -> User:
        found = User.objects.filter(username__iexact=value).first()
        if found is None:
            raise RowError(column, f"onbekende gebruiker ‘{value}’ (gebruik de gebruikersnaam)")
        return found

    def date(self, value: str, column: str):
        try:
            return datetime.strptime(value, "%d-%m-%Y").date()
        except ValueError:
            raise RowError(column, f"‘{value}’ is geen datum in de vorm dd-mm-jjjj") from None

    def need(self, row: dict, column: str) -> str:
        if not row.get(column):
            raise RowError(column, "is leeg")
        return row[column]

    def current(self) -> Meeting:
        if self.meeting is None:
            raise RowError("soort", "staat vóór de eerste regel ‘vergadering’")
        return self.meeting

    def item(self, row: dict) -> AgendaItem:
        number = self.need(row, "nummer")
        found = self.items.get((self.current().pk, number))
        if found is None:
            raise RowError("nummer", f"geen agendapunt {number} in deze vergadering")
        return found

    def owners(self, value: str) -> list[services.OwnerData]:
        owners = []
        for part in filter(None, (p.strip() for p in value.split(";"))):
            if part.lower() in GROUPS:
                owners.append(services.OwnerData(group=GROUPS[part.lower()]))
            elif User.objects.filter(username__iexact=part).exists():
                owners.append(services.OwnerData(user=self.user(part, "eigenaren")))
            else:
                owners.append(services.OwnerData(organisation=self.organisation(part, "eigenaren")))
        return owners

    def period(self, value: str, column: str):
        try:
            return period_parse(value, year=self.current().starts_at.year)
        except PeriodError as error:
            raise RowError(column, str(error)) from None

    # --- rows ----------------------------------------------------------------------------

    def vergadering(self, row: dict) -> None:
        body = Body.objects.filter(
            Q(short_name__iexact=self.need(row, "overleg")) | Q(name__iexact=row["overleg"])
        ).first()
        if body is None:
            raise RowError("overleg", f"onbekend overleg ‘{row['overleg']}’")
        day = self.date(self.need(row, "datum"), "datum")
        try:
            start = datetime.strptime(row.get("aanvang") or f"{body.start_time:%H:%M}", "%H:%M")
        except ValueError:
            raise RowError("aanvang", f"‘{row['aanvang']}’ is geen tijd in de vorm uu:mm") from None
        starts_at = datetime.combine(day, start.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))
        self.meeting = services.meeting_record_past(
            body=body,
            starts_at=starts_at,
            reason=row.get("reden", ""),
            actor=self.actor,
            location=row.get("locatie") or None,
        )
        self.result.meetings.append(self.meeting)

    def aanwezig(self, row: dict) -> None:
        status = self.need(row, "status").lower()
        if status not in AttendanceStatus.values:
            raise RowError("status", f"‘{status}’: kies {', '.join(AttendanceStatus.values)}")
        org = self.organisation(row["organisatie"]) if row.get("organisatie") else None
        if not (org or row.get("organisatie_naam") or row.get("naam")):
            raise RowError("organisatie", "noem een organisatie, een organisatie_naam of een naam")
        # Recorded once per meeting when the file is done: one history row per attendee.
        self.attendance.setdefault(self.current().pk, (self.current(), []))[1].append(
            services.AttendanceRow(
                name=row.get("naam", ""),
                status=status,
                organisation=org,
                organisation_name=row.get("organisatie_naam", ""),
            )
        )

    def onderdeel(self, row: dict) -> None:
        services.section_add(
            meeting=self.current(), title=self.need(row, "onderwerp"), actor=self.actor
        )

    def punt(self, row: dict) -> None:
        meeting, number = self.current(), self.need(row, "nummer")
        if (meeting.pk, number) in self.items:
            raise RowError("nummer", f"agendapunt {number} staat al in deze vergadering")
        section = None
        if row.get("onderdeel"):
            section = AgendaSection.objects.filter(meeting=meeting, title=row["onderdeel"]).first()
            if section is None:
                raise RowError("onderdeel", f"geen onderdeel ‘{row['onderdeel']}’ hierboven")
        kind = self.need(row, "puntsoort").lower()
        owners = self.owners(row.get("eigenaren", ""))
        if kind in PLAIN_ITEM_KINDS:
            item = services.agenda_item_add(
                meeting=meeting,
                actor=self.actor,
                kind=PLAIN_ITEM_KINDS[kind],
                title=self.need(row, "onderwerp"),
                owner_organisation=self.organisation(row["organisatie"])
                if row.get("organisatie")
                else None,
                section=section,
                owners=owners,
            )
        elif kind in CaseItemKind.values:
            item = services.agenda_record_case_item(
                meeting=meeting,
                actor=self.actor,
                placement=self.placement(kind, self.need(row, "casus")),
                section=section,
                owners=owners,
            )
        else:
            raise RowError(
                "puntsoort",
                f"‘{kind}’: kies {', '.join([*PLAIN_ITEM_KINDS, *CaseItemKind.values])}",
            )
        self.items[(meeting.pk, number)] = item
        status = (row.get("status") or ItemStatus.DISCUSSED).lower()
        if status not in (ItemStatus.DISCUSSED, ItemStatus.NOT_DISCUSSED):
            raise RowError("status", "kies ‘besproken’ of ‘niet_besproken’")
        handled = row.get("behandeld_als")
        if handled and not handled.isdigit():
            raise RowError("behandeld_als", f"‘{handled}’ is geen volgnummer")
        services.item_minutes_save(
            item=item,
            actor=self.actor,
            notes=row.get("tekst", ""),
            status=ItemStatus.DISCUSSED if status == ItemStatus.DISCUSSED else item.status,
            handled_position=int(handled) if handled else None,
        )
        if status == ItemStatus.NOT_DISCUSSED:
            self.carry.append((self.result.rows, item, row.get("tekst", "")))

    def placement(self, kind: str, reference: str) -> services.Placement:
        match = re.fullmatch(r"([MC])\d{4}-(\d+)", reference.strip().upper())
        if match is None:
            raise RowError("casus", f"‘{reference}’ is geen melding (M2021-00012) of casus (C…)")
        pk = int(match.group(2))
        if kind == CaseItemKind.ADMISSION:
            report = Report.objects.filter(pk=pk).first() if match.group(1) == "M" else None
            if report is None:
                raise RowError("casus", f"melding ‘{reference}’ bestaat niet")
            return services.Placement(kind, report=report)
        case = Case.objects.filter(pk=pk).first() if match.group(1) == "C" else None
        if case is None:
            raise RowError("casus", f"casus ‘{reference}’ bestaat niet")
        plan = PlanVersion.objects.filter(case=case).order_by("-pk").first()
        proposal = Proposal.objects.filter(case=case).order_by("-pk").first()
        if kind in (CaseItemKind.PLAN_ADVICE, CaseItemKind.PLAN_ADOPTION):
            return services.Placement(kind, case=case, plan=plan)
        if kind in (CaseItemKind.PHASE_DOWN, CaseItemKind.CLOSURE):
            return services.Placement(kind, case=case, proposal=proposal)
        return services.Placement(kind, case=case)

    def besluit(self, row: dict) -> None:
        item = self.item(row)
        kind = (row.get("besluit_soort") or DecisionKind.GENERAL).lower()
        kinds = {k.value: k.value for k in DecisionKind} | {
            k.label.lower(): k.value for k in DecisionKind
        }
        if kind not in kinds:
            raise RowError("besluit_soort", f"‘{kind}’: kies {', '.join(DecisionKind.values)}")
        services.decision_record(
            item=item,
            actor=self.actor,
            data=services.DecisionData(
                kind=kinds[kind],
                text=self.need(row, "tekst"),
                organisation=self.organisation(row["organisatie"])
                if row.get("organisatie")
                else None,
                regisseur=self.user(row["regisseur"], "regisseur")
                if row.get("regisseur")
                else None,
            ),
        )

    def actie(self, row: dict) -> None:
        meeting = self.current()
        owners = self.owners(self.need(row, "eigenaren"))
        services.action_create(
            body=meeting.body,
            actor=self.actor,
            subject=self.need(row, "onderwerp"),
            action=row.get("tekst") or row["onderwerp"],
            owners=owners,
            due=self.period(row["uiterlijk"], "uiterlijk") if row.get("uiterlijk") else None,
            raised_in=None if row.get("nummer") else meeting,
            item=self.item(row) if row.get("nummer") else None,
            raised_on=self.date(row["datum"], "datum") if row.get("datum") else None,
            done_on=self.date(row["afgerond_op"], "afgerond_op")
            if row.get("afgerond_op")
            else None,
        )

    def termijn(self, row: dict) -> None:
        meeting = self.current()
        services.forward_item_create(
            body=meeting.body,
            actor=self.actor,
            title=self.need(row, "onderwerp"),
            when=self.period(self.need(row, "uiterlijk"), "uiterlijk"),
            note=row.get("tekst", ""),
        )


def meetings_import(*, rows: list[dict[str, str]], actor: User) -> ImportResult:
    """All rows or none: every refused row is named with its number (the header is row 1)."""
    importer = _Importer(actor)
    errors: list[str] = []
    with transaction.atomic():
        for number, row in enumerate(rows, start=2):
            importer.result.rows = number
            kind = (row.get("soort") or "").lower()
            if not any(row.values()):
                continue
            try:
                with transaction.atomic():
                    if kind not in ROW_KINDS:
                        raise RowError("soort", f"‘{kind}’: kies {', '.join(ROW_KINDS)}")
                    getattr(importer, kind)(row)
            except RowError as error:
                errors.append(f"Regel {number}, kolom {error.column}: {error.message}.")
                if kind == "vergadering":
                    importer.meeting = None
            except TransitionNotAllowed as error:
                errors.append(f"Regel {number} ({kind}): {error.message}")
        for meeting, attendees in importer.attendance.values():
            services.attendance_record(meeting=meeting, actor=actor, rows=attendees)
        for number, item, note in importer.carry:
            try:
                with transaction.atomic():
                    services.item_minutes_save(
                        item=item,
                        actor=actor,
                        notes=item.notes,
                        status=ItemStatus.NOT_DISCUSSED,
                        carry_note=note,
                        handled_position=item.handled_position,
                    )
            except TransitionNotAllowed as error:
                errors.append(f"Regel {number} (punt): {error.message}")
        if errors:
            transaction.set_rollback(True)
            raise ImportFailed(errors)
    return importer.result
