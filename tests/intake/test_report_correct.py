"""Issue 15: the desk corrects a registered report until the first assessment; the history
keeps every old value, the access log shows the correction, others may not."""

import pytest
from django.urls import reverse

from intake.constants import Desk, ReportStatus
from intake.models import Report
from ipgar.audit.models import AccessLogEntry
from tests.intake.factories import ReportFactory, board_user, desk_user
from tests.intake.test_report_register import form_data
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


def correction(report: Report, **overrides) -> dict:
    person = report.persons.get()
    data = form_data(
        **{
            "observation": "Gecorrigeerd: filmpjes in de groepsapp van de voetbalclub",
            "personen-0-first_name": "Youssef",
            "personen-0-last_name": person.last_name,
            "personen-0-bsn": person.bsn,
            "personen-INITIAL_FORMS": "1",
        }
    )
    data.update(overrides)
    return data


def test_the_desk_corrects_its_registered_report_with_history_and_log(client):
    desk = desk_user(Desk.MAP)
    report = ReportFactory(desk=Desk.MAP)
    person = report.persons.get()
    signed_in(client, desk)

    detail = client.get(reverse("intake:report_detail", args=[report.pk])).content.decode()
    assert 'data-testid="report-correct"' in detail
    assert client.get(reverse("intake:report_correct", args=[report.pk])).status_code == 200
    response = client.post(reverse("intake:report_correct", args=[report.pk]), correction(report))

    assert response.status_code == 302
    report.refresh_from_db()
    person.refresh_from_db()
    assert report.observation.startswith("Gecorrigeerd")
    assert person.first_name == "Youssef" and report.persons.count() == 1
    assert report.history.filter(history_user=desk).exists()
    old = person.history.order_by("history_date").first()
    assert old.first_name != "Youssef"  # the registered value stays in the history
    assert AccessLogEntry.objects.filter(
        user=desk, object_id=str(report.pk), description="registratie gecorrigeerd"
    ).exists()


def test_after_the_first_assessment_the_report_is_no_longer_corrected_here(client):
    desk = desk_user(Desk.MAP)
    report = ReportFactory(desk=Desk.MAP, stage=ReportStatus.FORWARDED)
    signed_in(client, desk)

    detail = client.get(reverse("intake:report_detail", args=[report.pk])).content.decode()

    assert 'data-testid="report-correct"' not in detail
    assert client.get(reverse("intake:report_correct", args=[report.pk])).status_code == 403


def test_the_board_and_the_other_desk_may_not_correct(client):
    report = ReportFactory(desk=Desk.MAP)

    signed_in(client, desk_user(Desk.POLICE))
    assert client.get(reverse("intake:report_correct", args=[report.pk])).status_code == 404
    signed_in(client, board_user())
    assert client.get(reverse("intake:report_correct", args=[report.pk])).status_code == 404
