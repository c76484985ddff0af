"""Acceptance 2 of issue 6: the sweep turns deadlines into notifications once, e-mails overdue
ones at once and upcoming ones in the morning digest, escalates to the coordinators, catches
up after a stop, never names a person in an e-mail, and never overlaps itself.

Tasks run eagerly, as ipgar/settings_test.py sets CELERY_TASK_ALWAYS_EAGER: calling the task
runs it, and the e-mails it queues are sent before it returns. Day zero is Monday 1 March 2027;
the case's letter is due on day 21, its concept plan and first UVO on day 35, and a contact
in the logbook on day 42."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, transaction

from intake.constants import Desk
from ipgar.notifications.models import Notification
from reminders import services
from reminders.constants import ESCALATION_KIND, DeadlineKind
from reminders.models import ReminderSettings, SweepRun
from reminders.tasks import reminder_digest_task, reminder_sweep_task
from tests.cases.factories import coordinator_user
from tests.intake.factories import desk_user
from tests.reminders.factories import DAY_ZERO, case_admitted_on, on

pytestmark = pytest.mark.django_db

D = DAY_ZERO


def days(n: int) -> date:
    return D + timedelta(days=n)


def mails_to(outbox, user) -> list:
    return [message for message in outbox if message.to == [user.email]]


def everything_in(message) -> str:
    """Subject, text and every alternative (HTML) of one e-mail."""
    return "\n".join(
        [message.subject, message.body, *(content for content, _ in message.alternatives)]
    )


@pytest.fixture
def desk():
    return desk_user(Desk.MAP)


@pytest.fixture
def case(time_machine, desk):
    return case_admitted_on(time_machine, D, desk=desk)


class TestRunningTwice:
    def test_a_second_sweep_creates_no_notification_and_no_e_mail(
        self, time_machine, mailoutbox, desk, case
    ):
        on(time_machine, days(22))  # the letter is a day overdue

        created = reminder_sweep_task()
        notifications, mails = Notification.objects.count(), len(mailoutbox)
        again = reminder_sweep_task()

        assert created == notifications == 1
        assert mails == 1
        assert again == 0
        assert Notification.objects.count() == 1
        assert len(mailoutbox) == 1
        [notification] = Notification.objects.all()
        assert (notification.recipient, notification.kind, notification.due_date) == (
            desk,
            DeadlineKind.LETTER,
            days(21),
        )
        assert notification.title == f"Verlopen: Notificatiebrief casus {case.reference}"
        assert notification.emailed_at is not None

    def test_a_later_sweep_on_another_day_adds_only_what_became_due(
        self, time_machine, mailoutbox, case
    ):
        on(time_machine, days(22))
        reminder_sweep_task()
        on(time_machine, days(31))  # concept plan and first UVO now in their warning window

        created = reminder_sweep_task()

        assert created == 2
        assert sorted(Notification.objects.values_list("kind", flat=True)) == sorted(
            [DeadlineKind.LETTER, DeadlineKind.CONCEPT_PLAN, DeadlineKind.UVO]
        )
        assert len(mailoutbox) == 1  # the two new ones are upcoming: they wait for the digest

    def test_the_database_refuses_a_duplicate_notification(self, case):
        recipient = case.regisseur
        key = {
            "recipient": recipient,
            "kind": DeadlineKind.UVO,
            "object_type": "cases.case",
            "object_id": str(case.pk),
            "due_date": days(35),
        }
        Notification.objects.create(title="Eerste", **key)

        from django.db import IntegrityError

        with pytest.raises(IntegrityError), transaction.atomic():
            Notification.objects.create(title="Tweede", **key)


class TestOverdueAtOnceUpcomingInTheDigest:
    def test_overdue_is_mailed_by_the_sweep_and_upcoming_only_by_the_digest(
        self, time_machine, mailoutbox, desk, case
    ):
        on(time_machine, days(31))  # letter 10 days overdue; plan and UVO warned

        reminder_sweep_task()

        regisseur = case.regisseur
        [overdue] = mails_to(mailoutbox, desk)
        assert overdue.subject == f"iPGA-R: Verlopen: Notificatiebrief casus {case.reference}"
        assert "uiterlijk 22-03-2027" in overdue.body
        assert mails_to(mailoutbox, regisseur) == []
        upcoming = Notification.objects.filter(recipient=regisseur)
        assert upcoming.count() == 2
        assert not upcoming.filter(emailed_at__isnull=False).exists()

        sent = reminder_digest_task()

        assert sent == 1
        [digest] = mails_to(mailoutbox, regisseur)
        assert digest.subject == "iPGA-R: 2 termijnen in de komende dagen"
        assert (
            f"uiterlijk 05-04-2027: Concept plan van aanpak naar het ITAT-R: casus {case.reference}"
            in digest.body
        )
        assert "Eerste UVO, vóór het ITAT-R" in digest.body
        assert len(mails_to(mailoutbox, desk)) == 1  # the overdue one is not mailed twice
        assert not upcoming.filter(emailed_at__isnull=True).exists()

        assert reminder_digest_task() == 0
        assert reminder_sweep_task() == 0
        assert len(mailoutbox) == 2

    def test_the_digest_sends_one_e_mail_per_user_whatever_the_number_of_reminders(
        self, time_machine, mailoutbox, desk, case
    ):
        on(time_machine, D)
        second = case_admitted_on(time_machine, D, desk=desk, regisseur=case.regisseur)
        on(time_machine, days(31))

        reminder_sweep_task()
        mailed_by_sweep = len(mailoutbox)
        sent = reminder_digest_task()

        assert Notification.objects.filter(recipient=case.regisseur).count() == 4
        assert sent == 1
        [digest] = mailoutbox[mailed_by_sweep:]
        assert digest.to == [case.regisseur.email]
        assert digest.subject == "iPGA-R: 4 termijnen in de komende dagen"
        assert second.reference in digest.body and case.reference in digest.body


class TestEscalation:
    def test_a_deadline_overdue_by_escalation_days_goes_to_every_coordinator_once(
        self, time_machine, mailoutbox, case
    ):
        first, second = coordinator_user(), coordinator_user()
        on(time_machine, days(27))  # the letter 6 days overdue

        reminder_sweep_task()
        assert not Notification.objects.filter(kind=ESCALATION_KIND).exists()

        on(time_machine, days(28))  # 7 days overdue
        reminder_sweep_task()
        reminder_sweep_task()

        escalations = Notification.objects.filter(kind=ESCALATION_KIND)
        assert sorted(n.recipient_id for n in escalations) == sorted([first.pk, second.pk])
        assert {n.title for n in escalations} == {
            f"Escalatie, 7 dagen te laat: Notificatiebrief casus {case.reference}"
        }
        assert {n.object_type for n in escalations} == {"cases.case:notificatiebrief"}
        for coordinator in (first, second):
            [mail] = mails_to(mailoutbox, coordinator)
            assert mail.subject.startswith("iPGA-R: Escalatie, 7 dagen te laat")

    def test_the_administrator_decides_after_how_many_days(self, time_machine, mailoutbox, case):
        coordinator = coordinator_user()
        config = ReminderSettings.current()
        config.escalation_days = 3
        config.save()
        on(time_machine, days(24))  # 3 days overdue

        reminder_sweep_task()

        [escalation] = Notification.objects.filter(kind=ESCALATION_KIND)
        assert escalation.recipient == coordinator
        assert len(mails_to(mailoutbox, coordinator)) == 1


class TestCatchingUp:
    def test_a_sweep_missed_for_weeks_is_caught_up_by_the_next_run(
        self, time_machine, mailoutbox, desk, case
    ):
        coordinator = coordinator_user()
        on(time_machine, days(1))
        assert reminder_sweep_task() == 0
        SweepRun.objects.filter(pk=1).update(finished_at=None)  # the worker stops here

        on(time_machine, days(50))  # seven weeks later it runs again
        reminder_sweep_task()

        regisseur = case.regisseur
        made = sorted(
            Notification.objects.values_list("recipient_id", "kind", "object_type", "due_date")
        )
        assert made == sorted(
            [
                (desk.pk, DeadlineKind.LETTER, "cases.case", days(21)),
                (regisseur.pk, DeadlineKind.CONCEPT_PLAN, "cases.case", days(35)),
                (regisseur.pk, DeadlineKind.UVO, "cases.case", days(35)),
                (regisseur.pk, DeadlineKind.NO_CONTACT, "cases.case", days(42)),
                (coordinator.pk, DeadlineKind.NO_CONTACT, "cases.case", days(42)),
                (coordinator.pk, ESCALATION_KIND, "cases.case:notificatiebrief", days(21)),
                (coordinator.pk, ESCALATION_KIND, "cases.case:concept_plan", days(35)),
                (coordinator.pk, ESCALATION_KIND, "cases.case:uvo", days(35)),
                (coordinator.pk, ESCALATION_KIND, "cases.case:geen_contact", days(42)),
            ]
        )
        # Everything is overdue now, so everything went out at once.
        assert not Notification.objects.filter(emailed_at__isnull=True).exists()
        assert len(mailoutbox) == 9
        assert SweepRun.objects.get(pk=1).finished_at is not None


class TestNoNamesInE_mails:
    def test_no_e_mail_names_the_subject(self, time_machine, mailoutbox, desk):
        coordinator = coordinator_user()
        case = case_admitted_on(
            time_machine,
            D,
            desk=desk,
            person={"first_name": "Quirijntje", "last_name": "Zwaluwstaart"},
        )
        on(time_machine, days(31))
        reminder_sweep_task()
        reminder_digest_task()
        on(time_machine, days(50))
        reminder_sweep_task()

        recipients = {address for message in mailoutbox for address in message.to}
        assert {desk.email, case.regisseur.email, coordinator.email} <= recipients
        for message in mailoutbox:
            text = everything_in(message).lower()
            assert "quirijntje" not in text
            assert "zwaluwstaart" not in text
        for title in Notification.objects.values_list("title", flat=True):
            assert "Zwaluwstaart" not in title


# --- The lock: sweeps never overlap ------------------------------------------------------------


def test_on_sqlite_the_sweep_takes_its_lock_row_and_records_the_run(time_machine, case):
    on(time_machine, days(22))

    result = services.sweep()

    assert result.ran
    assert result.created == 1
    run = SweepRun.objects.get(pk=1)
    assert run.created == 1
    assert run.started_at <= run.finished_at


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sweep_finds_the_lock_taken_by_another_connection_and_does_not_run(time_machine):
    on(time_machine, days(22))
    case_admitted_on(time_machine, D)
    on(time_machine, days(22))
    SweepRun.objects.get_or_create(pk=1)
    locked, release, failures = threading.Event(), threading.Event(), []

    def other_worker() -> None:
        try:
            with transaction.atomic():
                SweepRun.objects.select_for_update().get(pk=1)
                locked.set()
                release.wait(timeout=30)
        except Exception as error:  # reported to the test below
            failures.append(error)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        result = services.sweep()
        with transaction.atomic():  # as seed_demo sweeps: inside a transaction of its own
            nested = services.sweep()
            assert SweepRun.objects.filter(pk=1).exists()  # the transaction is still usable
    finally:
        release.set()
        thread.join(timeout=10)

    assert failures == []
    assert result == nested == services.SweepResult(ran=False)
    assert not Notification.objects.exists()

    after = services.sweep()  # the lock is free again

    assert after.ran
    assert after.created == 1
