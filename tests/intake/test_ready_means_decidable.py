"""Issue 17, "ready for decision means decidable": the decision meeting's queue and its agenda
show, per report, what the meeting would miss to decide as the Voorportaal advised. A report
marked ready before the rule (or whose person was taken out since) says so on both pages."""

import re
from datetime import date

import pytest
from django.urls import reverse

from intake.models import ReportPerson
from meetings.constants import CaseItemKind
from tests.cases.factories import ready_report, secretary_user
from tests.meetings.factories import BodyFactory, at, case_item, meeting_on
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

DAY = date(2027, 3, 17)
NO_PERSON = "Ontbreekt: Geen bekende persoon"


@pytest.fixture
def page(client, time_machine):
    time_machine.move_to(at(date(2027, 3, 3), 8), tick=False)
    secretary = secretary_user()
    body = BodyFactory(pto=True, secretary=secretary, first_date=date(2027, 3, 3))
    meeting = meeting_on(body, DAY, actor=secretary)
    signed_in(client, secretary)

    def render():
        response = client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
        assert response.status_code == 200
        return response.content.decode()

    return meeting, render


def unknown_person(report):
    """The person's name gone (as in the demo data issue 17 found): not decidable as advised."""
    ReportPerson.objects.filter(report=report).update(first_name="", last_name="")
    return report


def agenda_row(html: str, item) -> str:
    return html.split(f'id="punt-{item.pk}"', 1)[1].split("</li>", 1)[0]


def queue_row(html: str, report) -> str:
    queue = html.split('data-testid="queue"', 1)[1].split("</ul>", 1)[0]
    [row] = [row for row in re.split(r"<li\b", queue) if report.reference in row]
    return row


def test_an_agenda_item_whose_report_lacks_a_known_person_shows_what_is_missing(page):
    meeting, render = page
    lacking = case_item(meeting, CaseItemKind.ADMISSION, report=unknown_person(ready_report()))
    decidable = case_item(meeting, CaseItemKind.ADMISSION, report=ready_report())

    html = render()

    assert NO_PERSON in agenda_row(html, lacking)
    assert 'data-testid="missing"' in agenda_row(html, lacking)
    assert "Ontbreekt" not in agenda_row(html, decidable)


def test_a_queued_report_that_lacks_a_known_person_shows_what_is_missing(page):
    meeting, render = page
    lacking = unknown_person(ready_report())
    decidable = ready_report()

    html = render()

    assert NO_PERSON in queue_row(html, lacking)
    assert "Ontbreekt" not in queue_row(html, decidable)
