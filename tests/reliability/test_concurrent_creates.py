"""Issue 9, point 5: 16 parallel threads, each with its own PostgreSQL connection, registering
reports about the same person and recording admissions for the same person and meeting.

0 failures: no IntegrityError or other error reaches a user; a clean Dutch refusal is the
answer where the domain forbids a second admission. No duplicates: the unique submission key,
one subject per BSN (subject_bsn_once), one case per report, one admission decision per agenda
item (decision_one_admission_per_item), held by constraints and by the row locks the
services take."""

import threading
import uuid
from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from cases.exceptions import TransitionNotAllowed
from cases.models import Case, Subject
from intake import services as intake_services
from intake.constants import Channel, ReporterKind, ReportStatus
from intake.models import Report, ReportPerson
from ipgar.accounts.constants import Role
from meetings import selectors, services
from meetings.constants import CaseItemKind, DecisionKind
from meetings.models import Decision
from meetings.services import DecisionData
from tests.cases.factories import ready_report, regisseur_user, secretary_user
from tests.factories import UserFactory
from tests.intake.factories import PersonDataFactory
from tests.meetings.factories import BodyFactory, at, meeting_on, organisation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 16


def run_together(work) -> tuple[list, list, list]:
    """`work(i)` in THREADS threads released at the same moment. Returns the results, the
    clean refusals (TransitionNotAllowed, in Dutch) and the failures (anything else)."""
    start = threading.Barrier(THREADS)
    results, refusals, failures = [], [], []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            start.wait(timeout=60)
            result = work(index)
            with lock:
                results.append(result)
        except TransitionNotAllowed as refused:
            with lock:
                refusals.append(refused.message)
        except Exception as error:  # what a user would see as a server error
            with lock:
                failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results, refusals, failures


def test_sixteen_registrations_about_one_person_make_no_duplicates():
    """Eight reports about the same person, each form sent twice at once (a double click)."""
    desk_user = UserFactory(roles=[Role.INTAKE])
    person = PersonDataFactory()
    keys = [uuid.uuid4() for _ in range(THREADS // 2)]

    def register(index: int):
        report, created = intake_services.report_register(
            actor=desk_user,
            desk=Role.INTAKE,
            submission_key=keys[index // 2],
            persons=[person],
            received_at=timezone.now(),
            channel=Channel.values[0],
            reporter_kind=ReporterKind.values[0],
            observation=f"Signaal {index // 2}: uitspraken op school.",
        )
        return report.pk, created

    results, refusals, failures = run_together(register)

    assert failures == []
    assert refusals == []
    assert len(results) == THREADS
    assert sum(created for _, created in results) == len(keys)
    reports = Report.objects.filter(submission_key__in=keys)
    assert reports.count() == len(keys)
    assert ReportPerson.objects.filter(bsn=person.bsn).count() == len(keys)
    # Both submissions of one form got the same report back.
    assert len({pk for pk, _ in results}) == len(keys)
    print(
        f"concurrent creates: {THREADS} threads registering reports about one person: "
        f"{len(failures)} failures, 0 duplicates ({len(keys)} reports for {len(keys)} forms)"
    )


def test_sixteen_admissions_for_one_person_and_meeting_make_no_duplicates(time_machine):
    """Four reports about the same person on one decision meeting; four secretaries press
    'admit' on each item at the same moment."""
    day = date(2027, 2, 17)
    time_machine.move_to(at(date(2027, 2, 3), 8), tick=False)
    secretary = secretary_user()
    body = BodyFactory(pto=True, secretary=secretary, first_date=date(2027, 2, 3))
    meeting = meeting_on(body, day, actor=secretary)
    person = PersonDataFactory()
    reports = [ready_report(persons=[person]) for _ in range(4)]
    items = [
        services.agenda_place(
            meeting=meeting,
            actor=secretary,
            placement=selectors.placement_from_request(body, CaseItemKind.ADMISSION, report.pk),
        )
        for report in reports
    ]
    regisseurs = [regisseur_user(organisation=organisation("OOV")) for _ in range(THREADS)]
    secretaries = [secretary_user() for _ in range(THREADS)]
    time_machine.move_to(at(day, 11), tick=False)

    def admit(index: int):
        regisseur = regisseurs[index]
        return services.decision_record(
            item=items[index % len(items)],
            actor=secretaries[index],
            data=DecisionData(
                kind=DecisionKind.ADMIT,
                text=f"Opnemen; regie bij OOV (secretaris {index}).",
                organisation=regisseur.organisation,
                regisseur=regisseur,
                # One open case per person is the rule; the meeting allows more explicitly,
                # which is the path where concurrent admissions could duplicate the subject.
                second_case_reason="Elke melding apart opgenomen (uitdrukkelijk toegestaan).",
            ),
        ).pk

    results, refusals, failures = run_together(admit)

    assert failures == []
    assert len(results) == len(items)
    assert len(refusals) == THREADS - len(items)
    assert set(refusals) == {"Over deze melding is al besloten: ‘Opgenomen in de aanpak’."}
    assert Subject.objects.filter(bsn=person.bsn).count() == 1
    assert Case.objects.filter(report__in=reports).count() == len(reports)
    assert Case.objects.filter(subject__bsn=person.bsn).values("subject").distinct().count() == 1
    for item in items:
        decision = Decision.objects.get(item=item, kind=DecisionKind.ADMIT)
        case = Case.objects.get(report=item.report)
        assert case.regisseur == decision.regisseur  # the decision names who got the case
    assert set(
        Report.objects.filter(pk__in=[r.pk for r in reports]).values_list("status", flat=True)
    ) == {ReportStatus.ADMITTED}
    print(
        f"concurrent creates: {THREADS} threads admitting one person on one meeting: "
        f"{len(failures)} failures, 0 duplicates (1 subject, {len(items)} cases, "
        f"{len(items)} admission decisions), {len(refusals)} clean Dutch refusals"
    )
