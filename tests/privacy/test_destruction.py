"""Acceptance 3 of issue 8: a case past its retention period goes through proposal, two
approvals and execution; afterwards no row in any table, no history row and no file holds the
subject's name, and the deletion record remains."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from cases import services as case_services
from cases.constants import ContactKind, DispatchMethod, EmergencyReasonKind
from cases.models import Case, Letter, Subject
from intake.models import Report
from ipgar.accounts.constants import Role
from ipgar.audit.models import AccessLogEntry
from meetings.constants import CaseItemKind, DecisionKind
from meetings.models import Decision
from privacy import services
from privacy.constants import DestructionListStatus
from privacy.exceptions import PrivacyRefused
from privacy.models import AccessRequest, DeletionRecord, DestructionList
from reminders.constants import DeadlineKind
from reminders.models import Postponement
from tests.cases.factories import CaseFactory, log
from tests.factories import UserFactory
from tests.meetings.factories import BodyFactory, case_item
from tests.personas import signed_in
from tests.privacy.factories import (
    administrator,
    approved_list,
    close_years_ago,
    privacy_officer,
)

FIRST, LAST = "Zephyrine", "Oudekerkvaart"
ALIAS = "Zefje Kwartelkoning"
TEXT_TYPES = ("character varying", "text", "jsonb", "json", "character")


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def _rows_naming(*needles: str) -> dict[str, int]:
    """Every text column of every table in the database, searched for each needle."""
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = ANY(%s)",
            [list(TEXT_TYPES)],
        )
        columns = cursor.fetchall()
        assert len(columns) > 100  # the scan really covers the schema
        for table, column in columns:
            for needle in needles:
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',
                    [f"%{needle}%"],
                )
                count = cursor.fetchone()[0]
                if count:
                    found[f"{table}.{column} ~ {needle}"] = count
    return found


def _files_naming(root: Path, *needles: str) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        text = data.decode("latin-1")
        if path.suffix == ".pdf":
            text += "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
        if any(n.lower() in text.lower() for n in needles):
            hits.append(str(path))
    return hits


def _old_case_with_everything(client):
    """A closed case whose name is in every corner: the subject, the report, the logbook, a
    contact, the letters (files), a postponement, an agenda item with a decision, an emergency
    access with a reason naming the person, an access request and the history of all of it."""
    case = CaseFactory(in_execution=True, person={"first_name": FIRST, "last_name": LAST})
    subject = case.subject
    subject.aliases = ALIAS
    subject._history_user = case.regisseur
    subject.save()
    log(case, text=f"Gesprek met {FIRST} {LAST} over school.")
    case_services.contact_save(
        case=case,
        actor=case.regisseur,
        kind=ContactKind.FAMILY,
        name=f"Moeder van {FIRST} {LAST}",
        relation="moeder",
    )
    intake = UserFactory(roles=[Role.INTAKE])
    letters = case_services.letters_generate(case=case, actor=intake)
    assert letters and all(Path(letter.file.path).exists() for letter in letters)
    case_services.letter_dispatch_register(
        letter=letters[0],
        actor=intake,
        method=DispatchMethod.POST,
        dispatched_on=timezone.localdate(),
    )
    Postponement.objects.create(
        kind=DeadlineKind.LETTER,
        object_type="cases.case",
        object_id=str(case.pk),
        reason=f"Veiligheid: {FIRST} {LAST} is nog niet op de hoogte.",
        created_by=intake,
    )
    meeting_body = BodyFactory(pto=True)
    from meetings import services as meeting_services

    meeting_services.meetings_generate(
        body=meeting_body,
        since=meeting_body.first_date,
        until=meeting_body.first_date,
        actor=None,
    )
    meeting = meeting_body.meetings.get()
    item = case_item(meeting, CaseItemKind.STUCK, case=case, notes=f"{LAST} vastgelopen.")
    Decision.objects.create(
        item=item,
        kind=DecisionKind.GENERAL,
        text=f"De casus {FIRST} {LAST} gaat terug naar het ITAT-R.",
        recorded_by=intake,
    )
    itatr = UserFactory(roles=[Role.ADVISORY_MEMBER])
    services.emergency_access_open(
        case=case,
        reason_kind=EmergencyReasonKind.ACUTE_DANGER,
        reason=f"Acute melding over {FIRST} {LAST} bij de politie vannacht.",
        actor=itatr,
    )
    officer = privacy_officer()
    services.access_request_register(
        subject=subject,
        received_on=timezone.localdate(),
        channel="brief",
        note=f"{FIRST} vraagt om inzage.",
        actor=officer,
    )
    # A read through the web: the access log gets a line about this subject.
    assert signed_in(client, case.regisseur).get(f"/casussen/{case.pk}/").status_code == 200
    services_close(case)
    return Case.objects.get(pk=case.pk), letters


def services_close(case: Case) -> None:
    from cases.constants import ClosureReason
    from tests.cases.factories import decision_member

    case_services.case_close(case=case, actor=decision_member(), reason=ClosureReason.GOALS_MET)


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_case_past_its_period_leaves_no_trace_of_the_name_but_the_deletion_record_stays(
    client, storage, django_capture_on_commit_callbacks
):
    case, letters = _old_case_with_everything(client)
    subject_pk, report_pk, case_ref = case.subject_id, case.report_id, case.reference
    letter_paths = [Path(letter.file.path) for letter in letters]
    keeper = CaseFactory(in_execution=True, person={"first_name": "Blijft", "last_name": "Bewaard"})
    assert _rows_naming(FIRST, LAST)  # the name really is everywhere before
    log_lines = AccessLogEntry.objects.count()

    admin, officer = administrator(), privacy_officer()
    with time_machine.travel(timezone.now() + timedelta(days=5 * 365 + 3)):
        destruction_list = services.destruction_list_propose()
        assert [i.reference for i in destruction_list.items.all()] == [case_ref]
        services.destruction_list_approve(destruction_list=destruction_list, actor=admin)
        with pytest.raises(PrivacyRefused):
            services.destruction_list_execute(destruction_list=destruction_list, actor=admin)
        services.destruction_list_approve(destruction_list=destruction_list, actor=officer)
        with django_capture_on_commit_callbacks(execute=True):  # files go after the commit
            records = services.destruction_list_execute(
                destruction_list=destruction_list, actor=officer
            )

    assert _rows_naming(FIRST, LAST, ALIAS) == {}
    assert _files_naming(storage, FIRST, LAST) == []
    assert not any(path.exists() for path in letter_paths)
    assert not Subject.objects.filter(pk=subject_pk).exists()
    assert not Subject.history.filter(id=subject_pk).exists()
    assert not Case.history.filter(id=case.pk).exists()
    assert not Report.history.filter(id=report_pk).exists()
    assert not Letter.history.filter(case_id=case.pk).exists()
    assert not AccessRequest.objects.exists()
    # The access log is append-only: its lines stay, naming the person only by reference.
    assert AccessLogEntry.objects.count() >= log_lines
    assert AccessLogEntry.objects.filter(subject_ref=f"subject:{subject_pk}").exists()

    (record,) = records
    record = DeletionRecord.objects.get(pk=record.pk)
    assert (record.kind, record.reference) == ("casus", case_ref)
    assert (record.admin_approved_by, record.privacy_approved_by) == (admin, officer)
    assert record.executed_by == officer
    assert record.removed["historie"] > 0 and record.removed["bestanden"] == len(letters)
    assert DestructionList.objects.get().status == DestructionListStatus.EXECUTED
    # What had not reached its period is untouched.
    assert Case.objects.filter(pk=keeper.pk).exists()
    assert _rows_naming("Bewaard")


@pytest.mark.django_db
def test_the_same_person_cannot_approve_twice_even_with_both_roles():
    case = CaseFactory(closed=True)
    close_years_ago(case, 5)
    both = UserFactory(roles=[Role.ADMINISTRATOR, Role.PRIVACY_OFFICER])
    destruction_list = services.destruction_list_propose()
    services.destruction_list_approve(destruction_list=destruction_list, actor=both)
    with pytest.raises(PrivacyRefused):
        services.destruction_list_approve(destruction_list=destruction_list, actor=both)
    destruction_list.refresh_from_db()
    assert destruction_list.status == DestructionListStatus.PROPOSED
    assert destruction_list.admin_approved_by == both
    assert destruction_list.privacy_approved_by is None


@pytest.mark.django_db
def test_two_administrators_do_not_make_two_approvals():
    case = CaseFactory(closed=True)
    close_years_ago(case, 5)
    destruction_list = services.destruction_list_propose()
    services.destruction_list_approve(destruction_list=destruction_list, actor=administrator())
    with pytest.raises(PrivacyRefused):
        services.destruction_list_approve(destruction_list=destruction_list, actor=administrator())
    with pytest.raises(PrivacyRefused):
        services.destruction_list_execute(
            destruction_list=destruction_list, actor=privacy_officer()
        )
    assert Case.objects.filter(pk=case.pk).exists()


@pytest.mark.django_db
def test_roles_without_a_say_cannot_approve():
    case = CaseFactory(closed=True)
    close_years_ago(case, 5)
    destruction_list = services.destruction_list_propose()
    with pytest.raises(PrivacyRefused):
        services.destruction_list_approve(destruction_list=destruction_list, actor=case.regisseur)


@pytest.mark.django_db
def test_the_proposal_holds_only_what_passed_its_period_and_is_idempotent():
    old = close_years_ago(CaseFactory(closed=True), 5)
    recent = close_years_ago(CaseFactory(closed=True), 4)
    open_case = CaseFactory(in_execution=True)
    first = services.destruction_list_propose()
    assert [i.case_id for i in first.items.all()] == [old.pk]
    assert services.destruction_list_propose() is None  # nothing new: no second list
    assert recent.pk not in [i.case_id for i in first.items.all()]
    assert open_case.pk not in [i.case_id for i in first.items.all()]


@pytest.mark.django_db
def test_the_retention_period_is_configurable():
    recent = close_years_ago(CaseFactory(closed=True), 2)
    assert services.destruction_list_propose() is None
    services.retention_settings_update(case_years=2, report_years=1, actor=administrator())
    assert [i.case_id for i in services.destruction_list_propose().items.all()] == [recent.pk]


@pytest.mark.django_db
def test_destruction_never_blocks_closing_a_case():
    close_years_ago(CaseFactory(closed=True), 5)
    approved = approved_list()
    running = CaseFactory(in_execution=True)
    services_close(running)  # a list waiting for execution does not stand in the way
    assert Case.objects.get(pk=running.pk).is_closed
    services.destruction_list_execute(destruction_list=approved, actor=privacy_officer())
    assert Case.objects.filter(pk=running.pk).exists()  # closed today: not on the list


@pytest.mark.django_db
def test_a_report_without_admission_is_destroyed_after_a_year():
    from intake.constants import ReportStatus
    from tests.intake.factories import ReportFactory

    report = ReportFactory(stage=ReportStatus.CLOSED_BY_DESK)
    Report.objects.filter(pk=report.pk).update(
        triaged_at=timezone.now() - timedelta(days=370),
        received_at=timezone.now() - timedelta(days=380),
    )
    approved = approved_list()
    assert [i.kind for i in approved.items.all()] == ["melding"]
    (record,) = services.destruction_list_execute(destruction_list=approved, actor=administrator())
    assert record.kind == "melding" and not Report.objects.filter(pk=report.pk).exists()
    assert not Report.history.filter(id=report.pk).exists()


@pytest.mark.django_db
def test_the_monthly_task_is_scheduled_and_proposes(settings):
    from privacy.tasks import destruction_list_propose_task

    schedule = settings.CELERY_BEAT_SCHEDULE["destruction-list-propose"]
    assert schedule["task"] == "privacy.tasks.destruction_list_propose_task"
    assert schedule["schedule"].day_of_month == {1}
    close_years_ago(CaseFactory(closed=True), 5)
    assert destruction_list_propose_task.delay().get() == DestructionList.objects.get().pk
