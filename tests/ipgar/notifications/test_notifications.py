"""Notifications: one per recipient, kind, object and due date; e-mailed exactly once."""

from datetime import date

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction

from ipgar.notifications.models import Notification
from ipgar.notifications.services import notification_create, notification_mark_read
from ipgar.notifications.tasks import notification_email_task
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


class SmtpDown(BaseEmailBackend):
    """The edge: an SMTP server that does not answer."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp.example.nl:587")


@pytest.fixture
def recipient():
    return UserFactory(username="fvdberg", first_name="Fleur", email="fleur@test.invalid")


class TestCreate:
    def test_creating_the_same_notification_twice_gives_one_row(self, recipient):
        about = OrganisationFactory()
        arguments = {
            "recipient": recipient,
            "kind": "plan_due",
            "obj": about,
            "due_date": date(2026, 4, 1),
        }

        first, first_created = notification_create(title="Plan indienen", **arguments)
        second, second_created = notification_create(title="Plan indienen (2)", **arguments)

        assert (first_created, second_created) == (True, False)
        assert second.pk == first.pk
        assert Notification.objects.count() == 1
        assert first.object_type == "accounts.organisation"
        assert first.object_id == str(about.pk)

    def test_it_is_idempotent_without_a_due_date_as_well(self, recipient):
        notification_create(recipient=recipient, kind="welkom", title="Welkom")
        _, created = notification_create(recipient=recipient, kind="welkom", title="Welkom")

        assert created is False
        assert Notification.objects.count() == 1

    def test_a_different_due_date_object_kind_or_recipient_is_a_new_notification(self, recipient):
        about, other = OrganisationFactory(), OrganisationFactory()
        base = {"recipient": recipient, "kind": "plan_due", "obj": about, "title": "x"}

        notification_create(**base, due_date=date(2026, 4, 1))
        notification_create(**base, due_date=date(2026, 5, 1))
        notification_create(**base)
        notification_create(**{**base, "obj": other}, due_date=date(2026, 4, 1))
        notification_create(**{**base, "kind": "evaluation_due"}, due_date=date(2026, 4, 1))
        notification_create(**{**base, "recipient": UserFactory()}, due_date=date(2026, 4, 1))

        assert Notification.objects.count() == 6

    @pytest.mark.parametrize("due_date", [date(2026, 4, 1), None])
    def test_the_database_refuses_a_duplicate_created_directly(self, recipient, due_date):
        key = {"recipient": recipient, "kind": "plan_due", "object_type": "cases.case"}
        Notification.objects.create(title="Eerste", object_id="7", due_date=due_date, **key)

        with pytest.raises(IntegrityError), transaction.atomic():
            Notification.objects.create(title="Tweede", object_id="7", due_date=due_date, **key)

        assert Notification.objects.count() == 1


class TestMarkRead:
    def test_only_the_recipient_can_mark_it_read(self, recipient):
        notification, _ = notification_create(recipient=recipient, kind="x", title="x")

        with pytest.raises(PermissionError):
            notification_mark_read(notification=notification, actor=UserFactory())

        notification.refresh_from_db()
        assert notification.read_at is None

    def test_marking_read_twice_keeps_the_first_moment(self, recipient):
        notification, _ = notification_create(recipient=recipient, kind="x", title="x")
        notification_mark_read(notification=notification, actor=recipient)
        first = Notification.objects.get(pk=notification.pk).read_at

        notification_mark_read(notification=notification, actor=recipient)

        assert Notification.objects.get(pk=notification.pk).read_at == first


class TestEmail:
    @pytest.fixture
    def notification(self, recipient):
        notification, _ = notification_create(
            recipient=recipient,
            kind="plan_due",
            title="Plan van aanpak indienen",
            body="Het plan moet naar het ITAT-R.",
            link="/mijn-werk/",
            due_date=date(2026, 4, 1),
        )
        return notification

    def test_it_sends_exactly_one_email_with_subject_text_and_html(self, notification):
        sent = notification_email_task.delay(notification.pk).get()

        assert sent is True
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["fleur@test.invalid"]
        assert message.subject == "iPGA-R: Plan van aanpak indienen"
        assert "Beste Fleur," in message.body
        assert "(uiterlijk 01-04-2026)" in message.body
        assert "http://127.0.0.1:8000/mijn-werk/" in message.body
        ((html, mimetype),) = message.alternatives
        assert mimetype == "text/html"
        assert '<html lang="nl">' in html
        assert "<strong>Plan van aanpak indienen</strong>" in html
        # The explanation may name people; the e-mail only points to the application.
        assert "Het plan moet naar het ITAT-R." not in message.body + html
        notification.refresh_from_db()
        assert notification.emailed_at is not None

    def test_a_second_run_sends_nothing(self, notification):
        notification_email_task.delay(notification.pk)

        sent_again = notification_email_task.delay(notification.pk).get()

        assert sent_again is False
        assert len(mail.outbox) == 1

    def test_a_recipient_without_email_address_gets_none(self):
        user = UserFactory(email="")
        notification, _ = notification_create(recipient=user, kind="x", title="x")

        assert notification_email_task(notification.pk) is False
        assert mail.outbox == []

    def test_when_smtp_is_down_nothing_is_marked_and_a_later_run_sends_it(
        self, notification, settings
    ):
        settings.EMAIL_BACKEND = f"{__name__}.SmtpDown"

        with pytest.raises(ConnectionRefusedError):
            notification_email_task(notification.pk)

        notification.refresh_from_db()
        assert notification.emailed_at is None
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert notification_email_task(notification.pk) is True
        assert len(mail.outbox) == 1
