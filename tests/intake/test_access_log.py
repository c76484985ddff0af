"""Every read of person data in intake writes exactly one complete line to the access log:
who, in which role and organisation, what, about which report, from where. A refused read
writes nothing that carries data."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from intake.constants import Desk
from ipgar.audit.constants import AccessAction
from ipgar.audit.models import AccessLogEntry
from tests.intake.factories import ReportFactory, board_user, desk_user
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


def only_new_entry(before: set[int]) -> AccessLogEntry:
    new = AccessLogEntry.objects.exclude(pk__in=before)
    assert new.count() == 1, list(new.values("action", "path"))
    return new.get()


def entries() -> set[int]:
    return set(AccessLogEntry.objects.values_list("pk", flat=True))


def assert_complete(entry: AccessLogEntry, user, *, action: str, path: str, report=None):
    assert entry.user == user
    assert entry.username == user.username
    assert entry.roles == ",".join(sorted(user.role_names))
    assert entry.roles  # a reader of person data always acts in a role
    assert entry.organisation == user.organisation.name
    assert entry.action == action
    assert entry.object_type == "intake.report"
    assert entry.path == path
    assert entry.ip_address == "127.0.0.1"
    assert entry.at is not None
    if report is None:
        assert (entry.object_id, entry.subject_ref) == ("", "")
    else:
        assert entry.object_id == str(report.pk)
        assert entry.subject_ref == f"report:{report.pk}"


@pytest.fixture
def desk(client):
    user = desk_user()
    return signed_in(client, user), user


@pytest.fixture
def board(client):
    user = board_user()
    return signed_in(client, user), user


def test_the_report_page_logs_one_view(desk):
    client, user = desk
    report = ReportFactory()
    path = reverse("intake:report_detail", args=[report.pk])
    before = entries()

    response = client.get(path)

    assert response.status_code == 200
    assert_complete(
        only_new_entry(before), user, action=AccessAction.VIEW, path=path, report=report
    )


def test_the_list_logs_one_list_read_with_its_filter(desk):
    client, user = desk
    shown = {f"report:{ReportFactory().pk}", f"report:{ReportFactory().pk}"}
    path = reverse("intake:report_list") + "?status=geregistreerd"
    before = entries()

    response = client.get(path)

    assert response.status_code == 200
    # One line for the list read, and one per report shown (by reference) so that "who saw
    # this person" also finds who saw them in a list.
    new = AccessLogEntry.objects.exclude(pk__in=before)
    entry = new.get(subject_ref="")
    assert_complete(entry, user, action=AccessAction.LIST, path=path)
    assert entry.description == "2 meldingen getoond"
    per_report = new.exclude(pk=entry.pk)
    assert set(per_report.values_list("subject_ref", flat=True)) == shown
    assert per_report.count() == 2
    for line in per_report:
        assert (line.user, line.action, line.object_type, line.path) == (
            user,
            AccessAction.LIST,
            "intake.report",
            path,
        )
        assert line.description == "meldingenlijst (in lijst getoond)"


def test_the_known_person_search_logs_one_search(board):
    client, user = board
    earlier = ReportFactory(forwarded=True)
    report = ReportFactory(forwarded=True)
    known = earlier.persons.get()
    path = reverse("intake:person_search", args=[report.pk])
    before = entries()

    response = client.get(path, {"bsn": known.bsn})

    assert escape(known.display_name) in response.content.decode()
    entry = only_new_entry(before)
    # The typed BSN never reaches the log: the parameter is kept, its value blanked.
    assert_complete(
        entry, user, action=AccessAction.SEARCH, path=f"{path}?bsn=verborgen", report=report
    )
    assert known.bsn not in entry.path
    assert entry.description == "bekende-personencheck: 1 mogelijke overeenkomst"


def test_the_search_form_without_a_search_shows_no_person_and_logs_nothing(board):
    client, _ = board
    report = ReportFactory(forwarded=True)
    before = entries()

    response = client.get(reverse("intake:person_search", args=[report.pk]))

    assert response.status_code == 200
    assert entries() == before


def test_the_triage_page_logs_one_view(desk):
    client, user = desk
    report = ReportFactory()
    path = reverse("intake:report_triage", args=[report.pk])
    before = entries()

    response = client.get(path)

    assert escape(report.persons.get().display_name) in response.content.decode()
    entry = only_new_entry(before)
    assert_complete(entry, user, action=AccessAction.VIEW, path=path, report=report)
    assert entry.description == "eerste beoordeling"


def test_the_assessment_page_logs_one_view(board):
    client, user = board
    report = ReportFactory(in_assessment=True)
    path = reverse("intake:assessment_edit", args=[report.pk])
    before = entries()

    response = client.get(path)

    assert response.status_code == 200
    entry = only_new_entry(before)
    assert_complete(entry, user, action=AccessAction.VIEW, path=path, report=report)
    assert entry.description == "duiding"


def test_the_log_names_the_role_and_organisation_of_a_police_reader(client):
    user = desk_user(Desk.POLICE)
    signed_in(client, user)
    report = ReportFactory(desk=Desk.POLICE)
    before = entries()

    client.get(reverse("intake:report_detail", args=[report.pk]), REMOTE_ADDR="10.1.2.3")

    entry = only_new_entry(before)
    assert entry.roles == "politie_intake"
    assert entry.organisation == user.organisation.name
    assert entry.ip_address == "10.1.2.3"


@pytest.mark.parametrize(
    "name",
    ["report_detail", "report_triage", "assessment_edit", "person_search"],
)
def test_a_refused_read_writes_no_line_that_carries_data(client, name):
    report = ReportFactory()  # at the MAP desk, not forwarded
    signed_in(client, desk_user(Desk.POLICE))
    before = entries()

    response = client.get(reverse(f"intake:{name}", args=[report.pk]), {"bsn": "111222333"})

    assert response.status_code == 404
    assert entries() == before
    assert not AccessLogEntry.objects.filter(subject_ref=f"report:{report.pk}").exists()
