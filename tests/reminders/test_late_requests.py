"""Issue 5: a request that misses the nearest meeting by the 7-day rule goes to the next one,
and the requester is told why (through the sweep's notifications).

The ITAT-R below meets every 3 weeks on Thursday at 13:00: 4 February, 25 February and
18 March 2027."""

from datetime import date

import pytest

from ipgar.notifications.models import Notification
from meetings import services as meeting_services
from reminders.services import LATE_REQUEST_KIND, late_requests_notify
from tests.cases.factories import secretary_user
from tests.meetings.factories import BodyFactory, at, submitted_plan

pytestmark = pytest.mark.django_db

FIRST, NEXT = date(2027, 2, 4), date(2027, 2, 25)


@pytest.fixture
def itatr():
    body = BodyFactory(itatr=True, secretary=secretary_user(), first_date=FIRST)
    meeting_services.meetings_generate(body=body, since=FIRST, until=date(2027, 3, 18))
    return body


def late_notices():
    return Notification.objects.filter(kind=LATE_REQUEST_KIND)


def test_a_plan_ready_six_days_before_the_nearest_meeting_tells_the_regisseur_why(
    itatr, time_machine
):
    time_machine.move_to(at(date(2027, 1, 29)), tick=False)  # 6 days before 4 February
    plan = submitted_plan()

    created = late_requests_notify(today=date(2027, 1, 29))

    (notice,) = late_notices()
    assert created == 1
    assert notice.recipient == plan.case.regisseur
    assert "Te laat voor" in notice.title and "04-02-2027" in notice.title
    assert "Klaar op 29-01-2027" in notice.body and "25-02-2027" in notice.body
    assert notice.due_date == NEXT


def test_telling_is_done_once(itatr, time_machine):
    time_machine.move_to(at(date(2027, 1, 29)), tick=False)
    submitted_plan()

    late_requests_notify(today=date(2027, 1, 29))
    again = late_requests_notify(today=date(2027, 1, 29))

    assert again == 0
    assert late_notices().count() == 1


def test_a_plan_ready_seven_days_before_is_in_time_and_nobody_is_told(itatr, time_machine):
    time_machine.move_to(at(date(2027, 1, 28)), tick=False)  # exactly 7 days before
    submitted_plan()

    assert late_requests_notify(today=date(2027, 1, 28)) == 0
    assert not late_notices().exists()
