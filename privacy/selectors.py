"""Reads of the privacy app: the informing record, everything about one subject for an
access request, and the lists the privacy officer and the functional administrator work from."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.db.models import FileField, Model, Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst

from cases.constants import DispatchMethod, LetterRecipientKind
from cases.letters import letter_due, letter_status
from cases.models import Case, EmergencyAccess, Subject
from intake.models import Report, ReportPerson
from ipgar.accounts.constants import Role
from ipgar.accounts.models import User
from ipgar.audit.constants import AccessAction
from ipgar.audit.models import AccessLogEntry
from ipgar.audit.services import subject_reference
from ipgar.lib.text import name_key
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


NO_FILE = "geen PDF opgeslagen"


def _value(obj: Model, field) -> object:
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    if isinstance(field, FileField):  # its name, not the bytes; a letter may have none
        return getattr(obj, field.attname).name or NO_FILE
    if field.is_relation:
        related = getattr(obj, field.name)  # fetched with the rows (_rows)
        return str(related) if related is not None else None
    return getattr(obj, field.attname)


def _fields(model, skip: tuple[str, ...]) -> list:
    skip = skip + ("name_key", "submission_key")
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in skip and not field.name.endswith("_ptr")
    ]


def _record(obj: Model, *, skip: tuple[str, ...] = ()) -> dict:
    """One object as {label: value}, in the words of the UI (verbose names)."""
    return {str(field.verbose_name): _value(obj, field) for field in _fields(type(obj), skip)}


def _rows(
    queryset: QuerySet, *, skip: tuple[str, ...] = (), related: tuple[str, ...] = ()
) -> list[dict]:
    """Every row as a record, with what the records name fetched in the same query: a
    subject with 1,000 logbook lines took one query per line and author (issue 19)."""
    fields = _fields(queryset.model, skip)
    joined = [f.name for f in fields if f.is_relation and f.many_to_one] + list(related)
    return [_record(obj, skip=skip) for obj in queryset.select_related(*joined)]


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


# --- One person's access history, across report and case phases ------------------------------

CASE_NUMBER = re.compile(r"^[Cc]\d{4}-0*(\d+)$")
REPORT_NUMBER = re.compile(r"^[Mm]\d{4}-0*(\d+)$")
DATE_OF_BIRTH = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")

# How a log line reads: "Casus C2026-00268 geopend", not "cases.case 268".
OBJECT_NOUNS = {
    "cases.case": "Casus",
    "cases.subject": "Persoon",
    "cases.letter": "Brief",
    "cases.intervention": "Interventie",
    "cases.emergencyaccess": "Noodtoegang",
    "intake.report": "Melding",
    "meetings.meeting": "Vergadering",
    "privacy.accessrequest": "Inzageverzoek",
    "zoeken": "Zoekopdracht",
}
ACTION_VERBS = {
    AccessAction.VIEW: "geopend",
    AccessAction.LIST: "in een lijst getoond",
    AccessAction.SEARCH: "gevonden bij zoeken",
    AccessAction.EXPORT: "geëxporteerd",
    AccessAction.PRINT: "afgedrukt",
    AccessAction.DOWNLOAD: "gedownload",
    AccessAction.LETTER: "brief aangemaakt",
}


@dataclass(frozen=True)
class PersonHistory:
    subjects: list[Subject]
    reports: list[Report]
    refs: frozenset[str]
    entries: list[tuple[AccessLogEntry, str]]


def _persons_matching(query: str) -> tuple[Q, Q]:
    """(Subject filter, ReportPerson filter) for a name, BSN, date of birth or case number."""
    query = query.strip()
    nothing = Q(pk__in=[])
    if query.isdigit() and len(query) == 9:
        return Q(bsn=query), Q(bsn=query)
    if match := CASE_NUMBER.match(query):
        return Q(cases__pk=int(match.group(1))), Q(report__case__pk=int(match.group(1)))
    if match := REPORT_NUMBER.match(query):
        pk = int(match.group(1))
        return Q(cases__report__pk=pk), Q(report__pk=pk)
    if match := DATE_OF_BIRTH.match(query):
        day, month, year = (int(part) for part in match.groups())
        try:
            born = date(year, month, day)
        except ValueError:
            return nothing, nothing
        return Q(date_of_birth=born), Q(date_of_birth=born)
    key = name_key(query)
    if len(key) < 3:
        return nothing, nothing
    return Q(name_key__contains=key), Q(name_key__contains=key)


def person_history(query: str, *, limit: int = 500) -> PersonHistory:
    """Everything the access log holds about the persons a privacy officer typed: the subject
    of the case phase ('subject:12') and every report about them ('report:40'), so one person
    has one history from the first report on. Fixed queries, whatever the log's size."""
    subject_q, person_q = _persons_matching(query)
    subjects = list(Subject.objects.filter(subject_q).distinct()[:50])
    persons = ReportPerson.objects.filter(person_q)
    report_q = Q(pk__in=persons.values("report"))
    for subject in subjects:
        report_q |= Q(case__subject=subject)
        same_person = Q(name_key=subject.name_key) if subject.name_key else Q(pk__in=[])
        if subject.bsn:
            same_person |= Q(bsn=subject.bsn)
        report_q |= Q(pk__in=ReportPerson.objects.filter(same_person).values("report"))
    reports = list(Report.objects.filter(report_q).distinct().order_by("received_at")[:100])
    # A report that became a case brings its subject, when the name alone did not.
    extra = Subject.objects.filter(cases__report__in=reports).exclude(
        pk__in=[s.pk for s in subjects]
    )
    subjects += list(extra.distinct())
    refs = frozenset(
        [subject_reference("subject", s.pk) for s in subjects]
        + [subject_reference("report", r.pk) for r in reports]
        + [subject_reference("report-person", pk) for pk in persons.values_list("pk", flat=True)]
    )
    entries = list(
        AccessLogEntry.objects.filter(subject_ref__in=refs).order_by("-at", "-id")[:limit]
    )
    return PersonHistory(subjects, reports, refs, describe_entries(entries))


def _model_noun(label: str) -> str:
    """'meetings.agendaitem' → 'Agendapunt': the model's Dutch name, for types without a noun
    of their own above."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return "Gegeven"
    return capfirst(str(model._meta.verbose_name))


def describe_entries(entries: list[AccessLogEntry]) -> list[tuple[AccessLogEntry, str]]:
    """Each line with a Dutch description; case and report numbers in two queries."""
    ids = {"cases.case": set(), "intake.report": set()}
    for entry in entries:
        if entry.object_type in ids and entry.object_id.isdigit():
            ids[entry.object_type].add(int(entry.object_id))
    references = {
        ("cases.case", str(c.pk)): c.reference
        for c in Case.objects.filter(pk__in=ids["cases.case"]).only("pk", "admitted_at")
    } | {
        ("intake.report", str(r.pk)): r.reference
        for r in Report.objects.filter(pk__in=ids["intake.report"]).only("pk", "received_at")
    }
    described = []
    for entry in entries:
        noun = OBJECT_NOUNS.get(entry.object_type) or _model_noun(entry.object_type)
        reference = references.get((entry.object_type, entry.object_id), entry.object_id)
        verb = ACTION_VERBS.get(entry.action, entry.get_action_display().lower())
        text = " ".join(part for part in (noun, reference, verb) if part)
        if entry.description:
            text += f" ({entry.description})"
        described.append((entry, text))
    return described
