"""Issue 9, point 3: the database connection drops in the middle of a multi-step service.

The server ends the connection from another session (pg_terminate_backend), halfway through
the admission decision (after the subject, the case and the regisseur's rights were written)
and at the end of a plan adoption (after the earlier plan was set aside and the new one
adopted, just before the decision row). Nothing partial remains: every step is in the one
transaction of decision_record. The secretary gets a Dutch 503 page that keeps what she typed
and sends it again with one button; sending it again then records the decision once."""

import html as html_lib
import re
import time
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from guardian.models import UserObjectPermission

from cases import permissions
from cases import services as case_services
from cases.constants import CasePhase, PlanStatus
from cases.models import BaseFile, Case, PlanVersion, Subject
from intake.constants import ReportStatus
from intake.models import Report
from ipgar.accounts.models import User
from meetings import selectors, services
from meetings.constants import CaseItemKind, DecisionKind, ItemStatus
from meetings.models import AgendaItem, Decision, Meeting
from tests.cases.factories import (
    CaseFactory,
    ready_report,
    regisseur_user,
    revision_concept,
    secretary_user,
)
from tests.meetings.factories import BodyFactory, at, case_item, meeting_on, organisation
from tests.personas import signed_in

# The connection is really cut, so each test runs outside the test transaction.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DAY = date(2027, 2, 17)
DUTCH = "De database is even niet bereikbaar; uw invoer is bewaard, probeer het opnieuw."


@pytest.fixture(autouse=True)
def fresh_connection_afterwards():
    """The test client keeps Django from closing a broken connection at the end of a request
    (a server does close it); close it here, before the flush that ends the test."""
    yield
    connection.close()


def after_the_request() -> None:
    """What Django does when a request ends: a connection that failed is thrown away."""
    connection.close_if_unusable_or_obsolete()


def drop_connection() -> None:
    """What a database restart or a network cut does: the server ends this session. It is
    done from a second session, and waits until the first one is really gone."""
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _ in range(100):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    break
                time.sleep(0.05)
    finally:
        other.close()


def dropping_after(function):
    """`function`, after which the connection drops: the next step of the service fails."""

    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        drop_connection()
        return result

    return wrapper


def resend(response) -> tuple[str, dict]:
    """The 'Opnieuw versturen' form of the 503 page: its address and hidden fields."""
    page = response.content.decode()
    action = html_lib.unescape(re.search(r'<form method="post" action="([^"]*)"', page).group(1))
    fields = {
        html_lib.unescape(name): html_lib.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', page)
    }
    return action, fields


@dataclass
class Minutes:
    secretary: User
    meeting: Meeting
    item: AgendaItem
    client: Client


@pytest.fixture
def admission(time_machine) -> tuple[Minutes, Report, User]:
    time_machine.move_to(at(date(2027, 2, 3), 8), tick=False)
    secretary = secretary_user()
    body = BodyFactory(pto=True, secretary=secretary, first_date=date(2027, 2, 3))
    meeting = meeting_on(body, DAY, actor=secretary)
    report = ready_report()
    item = services.agenda_place(
        meeting=meeting,
        actor=secretary,
        placement=selectors.placement_from_request(body, CaseItemKind.ADMISSION, report.pk),
    )
    regisseur = regisseur_user(organisation=organisation("OOV"))
    time_machine.move_to(at(DAY, 11), tick=False)
    client = Client(enforce_csrf_checks=True)
    signed_in(client, secretary)
    return Minutes(secretary, meeting, item, client), report, regisseur


def post_with_csrf(client: Client, page: str, url: str, data: dict):
    client.get(page)  # the minutes page sets the CSRF cookie, as in a browser
    return client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **data})


def test_an_admission_cut_off_halfway_leaves_nothing_and_keeps_the_input(admission, monkeypatch):
    minutes, report, regisseur = admission
    item = minutes.item
    url = reverse("meetings:decision_record", args=[minutes.meeting.pk, item.pk])
    page = reverse("meetings:meeting_minutes", args=[minutes.meeting.pk])
    typed = "Opnemen; regie bij OOV. Let op: broer ook in beeld (zie melding)."
    # After the subject, the case and the rights are written, before the base file.
    monkeypatch.setattr(permissions, "grant_regisseur", dropping_after(permissions.grant_regisseur))

    response = post_with_csrf(
        minutes.client,
        page,
        url,
        {
            f"d{item.pk}-kind": DecisionKind.ADMIT,
            f"d{item.pk}-text": typed,
            f"d{item.pk}-organisation": regisseur.organisation_id,
            f"d{item.pk}-regisseur": regisseur.pk,
        },
    )

    after_the_request()
    assert response.status_code == 503
    body = response.content.decode()
    assert DUTCH in body
    assert "Traceback" not in body
    assert html_lib.escape(typed) in body  # shown, and in the form that sends it again
    monkeypatch.undo()
    partial = {
        "subject": Subject.objects.count(),
        "case": Case.objects.count(),
        "base file": BaseFile.objects.count(),
        "decision": Decision.objects.count(),
        "regisseur rights": UserObjectPermission.objects.filter(user=regisseur).count(),
        "case history": Case.history.count(),
    }
    assert partial == dict.fromkeys(partial, 0)
    stored = Report.objects.get(pk=report.pk)
    assert (stored.status, stored.decided_at) == (ReportStatus.READY_FOR_DECISION, None)
    assert AgendaItem.objects.get(pk=item.pk).status == ItemStatus.OPEN

    action, fields = resend(response)
    again = minutes.client.post(action, fields)
    after_the_request()

    assert again.status_code == 302
    case = Case.objects.get(report=report)
    assert (case.regisseur, case.phase) == (regisseur, CasePhase.BASE_FILE)
    assert Decision.objects.get(item=item).text == typed
    print(
        "db drop: admission cut off after 3 of its steps: 0 partial rows "
        f"({', '.join(f'{k} {v}' for k, v in partial.items())}), Dutch 503 with the input "
        "kept; sent again: 1 case, 1 decision"
    )


def test_a_plan_adoption_cut_off_before_its_decision_leaves_the_plans_as_they_were(
    time_machine, monkeypatch
):
    time_machine.move_to(at(date(2027, 2, 1)), tick=False)
    secretary = secretary_user()
    case = CaseFactory(in_execution=True)
    adopted = PlanVersion.objects.get(case=case, status=PlanStatus.ADOPTED)
    revision_concept(case)
    plan = case_services.plan_submit_for_advice(case=case, actor=case.regisseur)
    plan = case_services.plan_record_advice(plan=plan, actor=secretary, advice="Positief.")
    body = BodyFactory(pto=True, secretary=secretary, first_date=date(2027, 2, 3))
    meeting = meeting_on(body, DAY, actor=secretary)
    item = case_item(meeting, CaseItemKind.PLAN_ADOPTION, plan=plan, actor=secretary)
    time_machine.move_to(at(DAY, 11), tick=False)
    client = signed_in(Client(enforce_csrf_checks=True), secretary)
    page = reverse("meetings:meeting_minutes", args=[meeting.pk])
    url = reverse("meetings:decision_record", args=[meeting.pk, item.pk])
    # plan_adopt has set the earlier plan aside and adopted this one; the decision row is next.
    monkeypatch.setattr(case_services, "plan_adopt", dropping_after(case_services.plan_adopt))

    response = post_with_csrf(
        client,
        page,
        url,
        {
            f"d{item.pk}-kind": DecisionKind.ADOPT_PLAN,
            f"d{item.pk}-text": "Het bijgestelde plan van aanpak wordt vastgesteld.",
        },
    )

    after_the_request()
    assert response.status_code == 503
    assert DUTCH in response.content.decode()
    monkeypatch.undo()
    statuses = dict(PlanVersion.objects.filter(case=case).values_list("pk", "status"))
    assert statuses == {adopted.pk: PlanStatus.ADOPTED, plan.pk: PlanStatus.ADVISED}
    assert not Decision.objects.filter(item=item).exists()
    assert AgendaItem.objects.get(pk=item.pk).status == ItemStatus.OPEN

    action, fields = resend(response)
    again = client.post(action, fields)

    assert again.status_code == 302
    statuses = dict(PlanVersion.objects.filter(case=case).values_list("pk", "status"))
    assert statuses == {adopted.pk: PlanStatus.REVISED, plan.pk: PlanStatus.ADOPTED}
    print(
        "db drop: plan adoption cut off after its last step: 0 partial rows (2 plans as "
        "before, 0 decisions), Dutch 503 with the input kept; sent again: adopted once"
    )


def test_a_page_read_when_the_database_is_gone_is_a_dutch_503(admission, monkeypatch):
    minutes, _, _ = admission
    monkeypatch.setattr(
        selectors, "get_meeting_for_user", dropping_after(selectors.get_meeting_for_user)
    )

    response = minutes.client.get(reverse("meetings:meeting_minutes", args=[minutes.meeting.pk]))
    after_the_request()

    assert response.status_code == 503
    body = response.content.decode()
    assert "De database is even niet bereikbaar" in body
    assert "Opnieuw proberen" in body
    assert response["Retry-After"] == "30"
