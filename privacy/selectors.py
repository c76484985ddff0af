"""Reads of the privacy app: the informing record, everything about one subject for an
access request, and the lists the privacy officer and the functional administrator work from."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from cases.constants import DispatchMethod, LetterRecipientKind
from cases.letters import letter_due, letter_status
from cases.models import Case, EmergencyAccess, Subject
from intake.models import Report, ReportPerson
from ipgar.accounts.constants import Role
from ipgar.accounts.models import User
from ipgar.audit.models import AccessLogEntry
from ipgar.audit.services import subject_reference
from privacy.models import AccessRequest, DestructionList
from reminders.constants import DeadlineKind
from reminders.models import Postponement

# --- The informing record ------------------------------------------------------------------


@dataclass(frozen=True)
class InformingRow:
    case: Case
    recipient_label: str
    recipient_name: str
    informed_on: date | None
    how: str
    why_not: str  # the postponement's reason, or that it is simply not done yet
    due: date


def informing_record(subject: Subject) -> list[InformingRow]:
    """Per case and required recipient: when and how they were informed (the letter's
    dispatch), or why not yet (the recorded postponement)."""
    rows = []
    cases = list(subject.cases.select_related("subject").prefetch_related("letters"))
    postponements = {
        p.object_id: p
        for p in Postponement.objects.filter(
            kind=DeadlineKind.LETTER,
            object_type="cases.case",
            object_id__in=[str(c.pk) for c in cases],
            is_active=True,
        )
    }
    for case in cases:
        status = letter_status(case)
        by_key = {
            (letter.recipient_kind, letter.recipient_name): letter for letter in status.letters
        }
        postponement = postponements.get(str(case.pk))
        for recipient in status.required:
            letter = by_key.get(recipient.key)
            if letter and letter.dispatched_on:
                why_not = ""
            elif postponement:
                until = f" (tot {postponement.until:%d-%m-%Y})" if postponement.until else ""
                why_not = f"Uitgesteld{until}: {postponement.reason}"
            elif letter:
                why_not = (
                    "Brief gemaakt, nog niet verzonden of overhandigd; geen uitstel vastgelegd."
                )
            else:
                why_not = "Nog geen brief; geen uitstel vastgelegd."
            rows.append(
                InformingRow(
                    case=case,
                    recipient_label=LetterRecipientKind(recipient.kind).label,
                    recipient_name=recipient.name,
                    informed_on=letter.dispatched_on if letter else None,
                    how=DispatchMethod(letter.method).label if letter and letter.method else "",
                    why_not=why_not,
                    due=letter_due(case),
                )
            )
    return rows


def may_see_informing_record(user: User, subject: Subject) -> bool:
    """The privacy officer, and the regisseur of one of the subject's cases."""
    if user.has_role(Role.PRIVACY_OFFICER):
        return True
    return subject.cases.filter(regisseur=user).exists()


# --- Everything about one subject (access request export) -----------------------------------


def _value(obj: Model, field) -> object:
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    value = getattr(obj, field.attname)
    if field.is_relation:
        related = getattr(obj, field.name)
        return str(related) if related is not None else None
    if hasattr(value, "name") and hasattr(value, "url"):  # a file: its name, not the bytes
        return value.name or None
    return value


def _record(obj: Model, *, skip: tuple[str, ...] = ()) -> dict:
    """One object as {label: value}, in the words of the UI (verbose names)."""
    skip = skip + ("name_key", "submission_key")
    return {
        str(field.verbose_name): _value(obj, field)
        for field in obj._meta.concrete_fields
        if field.name not in skip and not field.name.endswith("_ptr")
    }


def _rows(queryset: QuerySet, **kwargs) -> list[dict]:
    return [_record(obj, **kwargs) for obj in queryset]


def reports_about(subject: Subject) -> QuerySet[Report]:
    """The reports the subject's cases came from, and reports naming the same person (same
    BSN or the same normalised name)."""
    match = Q(case__subject=subject)
    persons = Q(name_key=subject.name_key) if subject.name_key else Q(pk__in=[])
    if subject.bsn:
        persons |= Q(bsn=subject.bsn)
    match |= Q(pk__in=ReportPerson.objects.filter(persons).values("report"))
    return Report.objects.filter(match).distinct().order_by("received_at")


def subject_dossier(subject: Subject) -> dict:
    """Everything the system holds about one subject (AVG art. 15), including who read it."""
    cases = []
    for case in subject.cases.order_by("admitted_at"):
        base_file = getattr(case, "base_file", None)
        cases.append(
            {
                "kenmerk": case.reference,
                "casus": _record(case),
                "basisdossier": _record(base_file) if base_file else None,
                "doelen": _rows(case.goals.all()),
                "interventies": _rows(case.interventions.all()),
                "plannen": _rows(case.plan_versions.all(), skip=("snapshot",)),
                "logboek": _rows(case.log_entries.all()),
                "contactpersonen": _rows(case.contacts.all()),
                "uitvoerdersoverleggen": [
                    {**_record(m), "afspraken": _rows(m.agreements.all())}
                    for m in case.partner_meetings.all()
                ],
                "evaluaties": _rows(case.evaluations.all()),
                "voorstellen": _rows(case.proposals.all()),
                "brieven": _rows(case.letters.all()),
                "noodtoegang": _rows(EmergencyAccess.objects.filter(case=case)),
            }
        )
    reports = []
    for report in reports_about(subject):
        reports.append(
            {
                "kenmerk": report.reference,
                "melding": _record(report),
                "personen": _rows(report.persons.all()),
                "duiding": _record(report.assessment) if hasattr(report, "assessment") else None,
                "informatieverzoeken": _rows(report.information_requests.all()),
            }
        )
    ref = subject_reference("subject", subject.pk)
    reads = [
        {
            "tijdstip": entry.at,
            "gebruiker": entry.username,
            "rollen": entry.roles,
            "organisatie": entry.organisation,
            "handeling": entry.get_action_display(),
            "gegeven": f"{entry.object_type} {entry.object_id}".strip(),
        }
        for entry in AccessLogEntry.objects.filter(subject_ref=ref).order_by("at", "id")
    ]
    return {
        "persoon": _record(subject),
        "casussen": cases,
        "meldingen": reports,
        "informeren": [
            {
                "casus": row.case.reference,
                "ontvanger": row.recipient_name,
                "geïnformeerd op": row.informed_on,
                "hoe": row.how,
                "waarom nog niet": row.why_not,
            }
            for row in informing_record(subject)
        ],
        "inzageverzoeken": _rows(subject.access_requests.all()),
        "toegangslog": reads,
    }


# --- Lists -----------------------------------------------------------------------------------


def access_requests_open() -> QuerySet[AccessRequest]:
    return AccessRequest.objects.select_related("subject").order_by("status", "deadline")


def destruction_lists() -> QuerySet[DestructionList]:
    return DestructionList.objects.select_related(
        "admin_approved_by", "privacy_approved_by", "executed_by"
    ).order_by("-proposed_at")


def emergency_grants() -> QuerySet[EmergencyAccess]:
    return EmergencyAccess.objects.select_related(
        "case", "user__organisation", "case__regisseur"
    ).order_by("-started_at")


def for_print(value: object) -> object:
    """The dossier with every value as the UI writes it (dd-mm-jjjj, ja/nee), for the PDF."""
    if isinstance(value, dict):
        return {key: for_print(item) for key, item in value.items()}
    if isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            return ", ".join(str(for_print(item)) for item in value)
        return [for_print(item) for item in value]
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%d-%m-%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return "" if value is None else value
