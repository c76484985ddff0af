"""Issue 15, acceptance 2, for the kinds test_reminder_links.py does not move on: each reminder
kind's link opens (200) for each of its recipients, and the reminder disappears when its
object moves on.

Every test builds its object through the services so that the deadline is due on the day time
stands still on, sweeps, opens each recipient's reminder signed in as that recipient, moves
the object on through the service a user would use, sweeps again and checks that the deadline
has left that recipient's deadlines and that the reminder no longer shows as open on their
Mijn werk (it shows as "Afgehandeld" among the handled ones). No demo data: each test builds
only what its kind needs. Day zero is Monday 1 March 2027.
"""

from datetime import date, timedelta

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.constants import DispatchMethod, EvaluationConclusion
from intake import services as intake_services
from intake.constants import Desk
from ipgar.accounts.models import User
from ipgar.notifications.models import Notification
from meetings import services as meeting_services
from meetings.constants import PeriodKind
from meetings.periods import Period
from meetings.services import OwnerData
from reminders.constants import DeadlineKind
from reminders.deadlines import Deadline, deadlines_for_user
from reminders.services import sweep
from tests.cases.factories import (
    CaseFactory,
    coordinator_user,
    decision_member,
    log,
    planned_uvo,
    regisseur_user,
    secretary_user,
)
from tests.intake.factories import ReportFactory, board_user, desk_user, request_information
from tests.meetings.factories import BodyFactory, meeting_on
from tests.personas import signed_in
from tests.reminders.factories import DAY_ZERO, case_admitted_on, find, on

pytestmark = pytest.mark.django_db

D = DAY_ZERO
MY_WORK = reverse("core:my_work")


def days(n: int) -> date:
    return D + timedelta(days=n)


def client_for(user: User) -> Client:
    """A fresh client signed in as `user` (after the clock moved an older session expired)."""
    return signed_in(Client(), user)


def open_reminders(deadline: Deadline):
    return Notification.objects.filter(
        kind=deadline.kind,
        object_type=deadline.object_type,
        object_id=deadline.object_id,
        due_date=deadline.due,
        read_at__isnull=True,
    ).select_related("recipient")


def due_reminders(kind: str, obj: Model, *, expected: set[User]) -> tuple[Deadline, list]:
    """Sweep on the deadline's due date: each recipient (the `expected` among them) has one
    open reminder, whose link is the deadline's page for them and opens with 200 for them, and
    Mijn werk lists the deadline."""
    today = timezone.localdate()
    sweep()
    deadline = find(kind, obj)
    assert deadline is not None, kind
    assert deadline.due == today, (kind, deadline.due, today)
    assert {user.pk for user in expected} <= deadline.recipients
    reminders = list(open_reminders(deadline))
    assert sorted(r.recipient_id for r in reminders) == sorted(deadline.recipients)
    for reminder in reminders:
        assert reminder.link, (kind, reminder.recipient)
        assert reminder.link == deadline.link_for(reminder.recipient_id)
        client = client_for(reminder.recipient)
        response = client.get(reminder.link)
        assert response.status_code == 200, (kind, str(reminder.recipient), reminder.link)
        assert deadline.label in client.get(MY_WORK).content.decode()
    return deadline, reminders


def assert_moved_on(deadline: Deadline, reminders: list, *, next_due: date | None = None) -> None:
    """Sweep again: the deadline of `reminders` is gone from each recipient's deadlines (or,
    for a recurring one, replaced by the next one on `next_due`), and their reminder is no
    longer open on Mijn werk: not listed, no "Afgehandeld" button, shown as handled."""
    sweep()
    assert not open_reminders(deadline).exists()
    for reminder in reminders:
        user = reminder.recipient
        reminder.refresh_from_db()
        assert reminder.read_at is not None
        same = [d.due for d in deadlines_for_user(user) if d.key == deadline.key]
        assert same == ([next_due] if next_due else []), (deadline.kind, str(user), same)
        client = client_for(user)
        html = client.get(MY_WORK).content.decode()
        assert f'id="melding-{reminder.pk}"' not in html
        assert reverse("core:notification_read", args=[reminder.pk]) not in html
        assert deadline.label not in html
        handled = client.get(MY_WORK, {"gelezen": "1"}).content.decode()
        assert f'notification-read" id="melding-{reminder.pk}"' in handled


# --- Case deadlines ---------------------------------------------------------------------------


def test_plan_ready_for_the_itatr_goes_when_the_plan_is_submitted_for_advice(time_machine):
    """The ITAT-R meets every 3 weeks on Thursday: 11 March, 1 April, 22 April 2027. A concept
    plan due 1 April is ready by 25 March; the secretary's reminder opens that meeting."""
    secretary = secretary_user()
    body = BodyFactory(itatr=True, secretary=secretary)
    meeting_services.meetings_generate(body=body, since=date(2027, 1, 1), until=date(2027, 6, 1))
    case = case_admitted_on(time_machine, date(2027, 2, 25), concept_plan=True)
    on(time_machine, date(2027, 3, 25))

    deadline, reminders = due_reminders(
        DeadlineKind.PLAN_FOR_MEETING, case, expected={case.regisseur, secretary}
    )
    links = {r.recipient_id: r.link for r in reminders}
    meeting = body.meetings.get(cycle_date=date(2027, 4, 1))
    assert links[secretary.pk] == reverse("meetings:meeting_detail", args=[meeting.pk])
    assert links[case.regisseur_id] == reverse("cases:case_detail", args=[case.pk])

    case_services.plan_submit_for_advice(case=case, actor=case.regisseur)

    assert_moved_on(deadline, reminders)


def test_the_uvo_reminder_goes_when_the_uvo_is_held(time_machine):
    case = case_admitted_on(time_machine, D)  # first UVO due with the concept plan, day 35
    on(time_machine, days(30))
    uvo = planned_uvo(case, users=[case.regisseur], days=3)  # day 33: planned is not held
    on(time_machine, days(35))

    deadline, reminders = due_reminders(DeadlineKind.UVO, case, expected={case.regisseur})

    case_services.partner_meeting_hold(
        meeting=uvo,
        actor=case.regisseur,
        participants="Regisseur, SCW",
        notes="Kennismaking; afspraken over dagbesteding.",
        agreements=[],
    )

    assert_moved_on(deadline, reminders, next_due=days(33 + 56))


def test_the_evaluation_reminder_goes_when_the_evaluation_is_recorded(time_machine):
    on(time_machine, D)
    case = CaseFactory(adopted=True)  # evaluated every 12 weeks: due day 84
    on(time_machine, days(84))

    deadline, reminders = due_reminders(DeadlineKind.EVALUATION, case, expected={case.regisseur})

    case_services.evaluation_record(
        case=case,
        actor=case.regisseur,
        held_on=days(84),
        summary="Voortgang besproken.",
        conclusion=EvaluationConclusion.CONTINUE,
        goal_results={},
        intervention_results={},
        scores={},
    )

    assert_moved_on(deadline, reminders, next_due=days(84 + 84))


def test_the_no_contact_reminder_goes_when_a_contact_is_logged(time_machine):
    coordinator = coordinator_user()
    case = case_admitted_on(time_machine, D)  # no contact: due six weeks after admission
    on(time_machine, days(42))

    deadline, reminders = due_reminders(
        DeadlineKind.NO_CONTACT, case, expected={case.regisseur, coordinator}
    )
    # The coordinator reads no case content: their reminder opens the reassignment page.
    links = {r.recipient_id: r.link for r in reminders}
    assert links[coordinator.pk] == reverse("cases:case_reassign", args=[case.pk])
    assert links[case.regisseur_id] == reverse("cases:case_detail", args=[case.pk])

    log(case)  # face to face, an hour ago

    assert_moved_on(deadline, reminders, next_due=days(42 + 42))


def test_the_letter_reminder_goes_when_the_letters_are_dispatched(time_machine):
    desk = desk_user(Desk.MAP)
    case = case_admitted_on(time_machine, D, desk=desk, person={"date_of_birth": date(1995, 1, 1)})
    on(time_machine, days(21))

    deadline, reminders = due_reminders(DeadlineKind.LETTER, case, expected={desk})
    assert {r.link for r in reminders} == {reverse("cases:case_letters", args=[case.pk])}

    letters = case_services.letters_generate(case=case, actor=desk)
    assert letters
    for letter in letters:
        case_services.letter_dispatch_register(
            letter=letter, actor=desk, method=DispatchMethod.POST, dispatched_on=days(21)
        )

    assert_moved_on(deadline, reminders)


# --- Meeting deadlines ------------------------------------------------------------------------


def test_the_agenda_reminder_goes_when_the_agenda_is_distributed(time_machine):
    secretary = secretary_user()
    meeting = meeting_on(BodyFactory(pto=True, secretary=secretary), date(2027, 3, 17))
    on(time_machine, date(2027, 3, 10))  # a week before the meeting

    deadline, reminders = due_reminders(DeadlineKind.AGENDA, meeting, expected={secretary})

    meeting_services.agenda_distribute(meeting=meeting, actor=secretary)

    assert_moved_on(deadline, reminders)


def test_the_action_reminder_goes_when_the_action_is_done(time_machine):
    on(time_machine, D)
    secretary = secretary_user()
    body = BodyFactory(pto=True, secretary=secretary)
    # Two owners from outside the body: the action's page serves its owners too.
    owners = [regisseur_user(), decision_member()]
    action = meeting_services.action_create(
        body=body,
        actor=secretary,
        subject="Werkwijze ITAT-R+",
        action="Voorstel schrijven",
        owners=[OwnerData(user=owner) for owner in owners],
        due=Period(PeriodKind.DATE, days(10)),
    )
    on(time_machine, days(10))

    deadline, reminders = due_reminders(DeadlineKind.ACTION, action, expected=set(owners))

    meeting_services.action_mark_done(action=action, actor=owners[0])

    assert_moved_on(deadline, reminders)


# --- Intake deadlines -------------------------------------------------------------------------


def test_the_information_request_reminder_goes_when_the_request_is_answered(time_machine):
    on(time_machine, D)
    board, colleague = board_user(), board_user()
    request = request_information(ReportFactory(forwarded=True), actor=board, due_on=days(14))
    on(time_machine, days(14))

    deadline, reminders = due_reminders(
        DeadlineKind.INFORMATION_REQUEST, request, expected={board, colleague}
    )

    intake_services.information_request_answer(
        request=request, actor=board, answer="Niet bekend bij ons."
    )

    assert_moved_on(deadline, reminders)
