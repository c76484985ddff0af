"""Issue 15, acceptance 2: every reminder kind links to a page that opens (200) for each of its
recipients, and a reminder disappears from Mijn werk when its object moves on.

The first half runs over the demo data (every kind occurs there, seeded once for the module):
each deadline, each recipient, the page that recipient is sent to, and the notification the
sweep made of it. The second half moves objects on through the services and sweeps again.
"""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from intake.constants import Desk
from ipgar.accounts.models import User
from ipgar.notifications.models import Notification
from meetings import services as meeting_services
from meetings.selectors import queue_for
from reminders.constants import DeadlineKind
from reminders.deadlines import all_deadlines
from reminders.services import LATE_REQUEST_KIND, late_requests_notify, sweep
from tests.cases.factories import CaseFactory, secretary_user
from tests.intake.factories import ReportFactory, board_user, desk_user
from tests.meetings.factories import BodyFactory, submitted_plan
from tests.personas import signed_in
from tests.reminders.factories import DAY_ZERO, on

pytestmark = pytest.mark.django_db

# A letter, an information request and an action may not occur in a given demo week; the
# kinds below must, or the demo no longer shows what the reminders do.
DEMO_KINDS = {
    DeadlineKind.CONCEPT_PLAN,
    DeadlineKind.PLAN_FOR_MEETING,
    DeadlineKind.UVO,
    DeadlineKind.EVALUATION,
    DeadlineKind.NO_CONTACT,
    DeadlineKind.REPORT_WAITING,
}


@pytest.fixture(scope="module")
def demo_links(django_db_setup, django_db_blocker):
    """(kind, recipient, link, status) for every deadline of the demo, and the notifications."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        clients: dict[int, Client] = {}
        statuses: dict[tuple[int, str], int] = {}
        rows = []

        def status(user_id: int, link: str) -> int:
            if (user_id, link) not in statuses:
                if user_id not in clients:
                    clients[user_id] = signed_in(Client(), User.objects.get(pk=user_id))
                statuses[user_id, link] = clients[user_id].get(link).status_code
            return statuses[user_id, link]

        for deadline in all_deadlines():
            for user_id in deadline.recipients:
                link = deadline.link_for(user_id)
                rows.append((deadline.kind, user_id, link, status(user_id, link) if link else 0))
        notes = [
            (n.kind, n.recipient_id, n.link, status(n.recipient_id, n.link))
            for n in Notification.objects.filter(read_at__isnull=True).exclude(link="")
        ]
        yield rows, notes
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_links, db):
    return demo_links


def test_every_reminder_kind_of_the_demo_opens_for_each_of_its_recipients(demo):
    rows, _ = demo
    kinds = {kind for kind, *_ in rows}
    print(f"\n{len(rows)} termijnlinks, {len(kinds)} soorten: {sorted(kinds)}")

    assert kinds >= DEMO_KINDS
    assert [row for row in rows if row[2] and row[3] != 200] == []


def test_every_unread_notification_of_the_demo_opens_for_its_recipient(demo):
    _, notes = demo
    print(f"\n{len(notes)} ongelezen notificaties met een link")

    assert notes
    assert [note for note in notes if note[3] != 200] == []


# --- Moving on --------------------------------------------------------------------------------


def open_reminders(user, kind: str):
    return Notification.objects.filter(recipient=user, kind=kind, read_at__isnull=True)


@pytest.mark.django_db
def test_the_concept_plan_reminder_goes_when_the_plan_goes_to_the_itatr(time_machine, client):
    on(time_machine, DAY_ZERO)
    case = CaseFactory(concept_plan=True)
    on(time_machine, DAY_ZERO + timedelta(days=40))
    sweep()
    reminder = open_reminders(case.regisseur, DeadlineKind.CONCEPT_PLAN).get()
    assert signed_in(client, case.regisseur).get(reminder.link).status_code == 200

    case_services.plan_submit_for_advice(case=case, actor=case.regisseur)
    result = sweep()

    assert not open_reminders(case.regisseur, DeadlineKind.CONCEPT_PLAN).exists()
    assert result.closed >= 1
    page = client.get(reverse("core:my_work")).content.decode()
    assert reminder.title not in page


@pytest.mark.django_db
def test_the_board_s_waiting_report_goes_when_the_report_is_ready_for_decision(time_machine):
    on(time_machine, DAY_ZERO)
    board = board_user()
    report = ReportFactory(forwarded=True)
    on(time_machine, DAY_ZERO + timedelta(days=40))
    sweep()
    assert (
        open_reminders(board, DeadlineKind.REPORT_WAITING).filter(object_id=str(report.pk)).exists()
    )

    ReportFactory._meta.model.objects.filter(pk=report.pk).update(status="klaar_voor_besluit")
    sweep()

    assert (
        not open_reminders(board, DeadlineKind.REPORT_WAITING)
        .filter(object_id=str(report.pk))
        .exists()
    )


@pytest.mark.django_db
def test_a_second_sweep_leaves_one_reminder_per_recipient_and_object(time_machine):
    on(time_machine, DAY_ZERO)
    desk = desk_user(Desk.MAP)
    report = ReportFactory(desk=Desk.MAP, registered_by=desk)
    on(time_machine, DAY_ZERO + timedelta(days=40))

    sweep()
    sweep()

    reminders = open_reminders(desk, DeadlineKind.REPORT_WAITING)
    assert reminders.filter(object_id=str(report.pk)).count() == 1


@pytest.mark.django_db
def test_a_late_for_the_agenda_notice_goes_once_its_suggested_meeting_has_passed(time_machine):
    on(time_machine, DAY_ZERO)
    board = board_user()
    Notification.objects.create(
        recipient=board,
        kind=LATE_REQUEST_KIND,
        title="Te laat voor PTO-R",
        body="Het gaat naar PTO-R van 10-03-2027.",
        due_date=DAY_ZERO + timedelta(days=9),
    )
    sweep()
    assert open_reminders(board, LATE_REQUEST_KIND).exists()

    on(time_machine, DAY_ZERO + timedelta(days=10))
    sweep()

    assert not open_reminders(board, LATE_REQUEST_KIND).exists()


# --- A late-for-the-agenda notice names the next chance, never an earlier one --------------
# The ITAT-R of these tests meets every 3 weeks on Thursday at 13:00: 4 February, 25 February
# and 18 March 2027. late_requests_notify() reads the nearest meeting from its `today`, the
# queue suggests from the clock: when the two disagree (a run late at night, a caught-up run)
# the suggestion may lie before the nearest meeting, and that is no next chance.

ITATR_FIRST, ITATR_NEXT, ITATR_LAST = date(2027, 2, 4), date(2027, 2, 25), date(2027, 3, 18)


@pytest.fixture
def itatr():
    body = BodyFactory(itatr=True, secretary=secretary_user(), first_date=ITATR_FIRST)
    meeting_services.meetings_generate(body=body, since=ITATR_FIRST, until=ITATR_LAST)
    return body


def late_notices(plan):
    """The notices about this plan: the demo seeded above may still be in the database (its
    module fixture), with plans of its own in every advisory queue."""
    return Notification.objects.filter(
        kind=LATE_REQUEST_KIND, object_type="cases.planversion", object_id=str(plan.pk)
    )


def test_no_late_notice_names_a_meeting_before_the_nearest_one(itatr, time_machine):
    on(time_machine, date(2027, 1, 20))  # in time for 4 February: the queue suggests it
    plan = submitted_plan()
    (entry,) = [e for e in queue_for(itatr) if e.placement.plan == plan]
    assert timezone.localdate(entry.suggested.starts_at) == ITATR_FIRST

    # The nearest meeting from 5 February is 25 February; 4 February lies before it.
    late_requests_notify(today=date(2027, 2, 5))

    assert not late_notices(plan).exists()
    assert not Notification.objects.filter(
        recipient=plan.case.regisseur, body__contains="04-02-2027"
    ).exists()


def test_a_late_notice_names_the_nearest_meeting_and_the_next_chance(itatr, time_machine):
    on(time_machine, date(2027, 1, 29))  # 6 days before 4 February: late for it
    plan = submitted_plan()

    created = late_requests_notify(today=date(2027, 1, 29))

    (notice,) = late_notices(plan)
    assert created >= 1
    assert notice.recipient == plan.case.regisseur
    assert "Te laat voor" in notice.title and "04-02-2027" in notice.title  # the nearest
    assert "Het gaat naar" in notice.body and "25-02-2027" in notice.body  # the next chance
    assert notice.due_date == ITATR_NEXT
