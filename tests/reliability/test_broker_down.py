"""Issue 9, point 1: with the broker unreachable every page and every write still works, and
the side effects wait in the database until the broker is back: none lost, none doubled.

Nothing in a request path queues a task: a write records its notifications (and renders and
stores its letters' PDFs) in the database, in its own transaction. E-mail leaves only through
the beat sweep and the morning digest, which read what is not yet e-mailed (`emailed_at` is
empty) and mark it when sent: the notifications table is the outbox.

The test runs against the demo data, committed (a worker thread reads it):

1. Celery points at a closed port, not eager. Every demo persona walks every page it is
   shown and submits every form it finds once, as the page filled it: 0 server errors. Main
   writes are checked for their effect: a logbook entry, a letter with its PDF, an agenda sent.
2. The sweep runs while the broker is down: its notifications are stored first, and queueing
   their e-mails fails.
3. The broker is back (the machine's Redis, a real worker): the next sweep and digest e-mail
   every waiting notification exactly once; running both again sends nothing."""

import os
import time
from collections.abc import Callable
from io import StringIO

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from cases.models import Case, Letter
from ipgar.accounts.demo import DEMO_USERS
from ipgar.accounts.models import User
from ipgar.celery import app
from ipgar.notifications.models import Notification
from ipgar.notifications.tasks import notification_email_task
from meetings.models import Meeting
from reminders import services as reminder_services
from reminders.constants import ESCALATION_KIND
from reminders.models import SweepRun
from reminders.tasks import reminder_digest_task, reminder_sweep_task
from tests.cases.factories import coordinator_user
from tests.personas import signed_in
from tests.reliability.crawl import Form, crawl, plausible
from tests.reminders.broker import celery_broker
from tests.reminders.factories import DAY_ZERO, case_admitted_on, on

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


@pytest.fixture
def broker_down(settings):
    with celery_broker(CLOSED_PORT):
        settings.CELERY_BROKER_URL = CLOSED_PORT
        settings.CELERY_TASK_ALWAYS_EAGER = False
        yield


def wait_for(condition: Callable[[], bool], *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Niet gebeurd binnen {timeout:.0f} seconden: {condition.__doc__}")


def _close_worker_connections(**kwargs) -> None:
    connections.close_all()


def submit_once(client: Client, form: Form) -> int:
    data = {name: plausible(field) for name, field in form.fields.items()}
    send = client.post if form.method == "post" else client.get
    return send(form.action, data).status_code


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_nothing_fails_and_nothing_is_lost_or_doubled(broker_down, mailoutbox):
    call_command("seed_demo", stdout=StringIO())
    assert app.conf.broker_url == CLOSED_PORT and not app.conf.task_always_eager
    with pytest.raises(OperationalError):
        reminder_sweep_task.delay()

    # 1. Every page and every form, as every persona.
    pages, submitted, stored, errors = 0, 0, 0, []
    for username, *_ in DEMO_USERS:
        client = signed_in(Client(), User.objects.get(username=username))
        walk = crawl(client, ["/"], per_view=2, limit=200)
        pages += len(walk.statuses)
        errors += [f"{username}: {e}" for e in walk.errors]
        seen = set()
        for form in walk.forms:
            if form.view_name in seen or form.view_name == "accounts:logout":
                continue
            seen.add(form.view_name)
            try:
                status = submit_once(client, form)
            except Exception as exc:  # noqa: BLE001 - every exception is the finding
                errors.append(f"{username} {form.method} {form.action}: {exc!r}")
                continue
            submitted += 1
            stored += status in (301, 302)
            if status >= 500:
                errors.append(f"{username} {form.method} {form.action}: {status}")
    assert not errors, "\n".join(errors)
    assert pages >= 200 and submitted >= 40

    # The main writes, with their effect in the database.
    regisseur = User.objects.get(username="regisseur")
    case = Case.objects.filter(regisseur=regisseur).order_by("pk").first()
    client = signed_in(Client(), regisseur)
    before = case.log_entries.count()
    response = client.post(
        reverse("cases:logbook_add", args=[case.pk]),
        {
            "at": (timezone.localtime() - timezone.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "kind": "telefoon",
            "text": "Gebeld terwijl de broker plat lag.",
        },
    )
    assert response.status_code in (200, 302)
    assert case.log_entries.count() == before + 1
    letters = Letter.objects.exclude(file="")
    assert letters.exists() and all(
        letter.file.storage.exists(letter.file.name) for letter in letters
    )
    sent_agendas = Meeting.objects.filter(agenda_sent_at__isnull=False).count()
    assert sent_agendas >= 1

    # 2. The sweep while the broker is down: what it finds is stored first (its own
    # transaction), then queueing the e-mails fails, as in reminder_sweep_task.
    outbox = sorted(reminder_services.sweep().to_email)
    assert outbox, "the sweep stored overdue notifications to e-mail"
    with pytest.raises(OperationalError):
        notification_email_task.delay(outbox[0])
    assert Notification.objects.filter(pk__in=outbox, emailed_at__isnull=True).count() == len(
        outbox
    )
    upcoming = Notification.objects.filter(
        emailed_at__isnull=True, read_at__isnull=True, due_date__gte=timezone.localdate()
    ).exclude(recipient__email="")
    digest_users = set(upcoming.values_list("recipient_id", flat=True))
    assert not mailoutbox

    # 3. The broker is back.
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with celery_broker(os.environ["REDIS_URL"]):
            app.control.purge()
            with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):

                def outbox_empty() -> bool:
                    """every notification the sweep stored was e-mailed"""
                    return not Notification.objects.filter(
                        pk__in=outbox, emailed_at__isnull=True
                    ).exists()

                reminder_sweep_task.delay()
                wait_for(outbox_empty)
                reminder_digest_task.delay()
                wait_for(lambda: len(mailoutbox) >= len(outbox) + len(digest_users))
                first_round = len(mailoutbox)

                # Both again: nothing new to send.
                last = SweepRun.objects.get(pk=1).finished_at
                reminder_sweep_task.delay()
                reminder_digest_task.delay()

                def swept_again() -> bool:
                    """the second sweep finished"""
                    return SweepRun.objects.get(pk=1).finished_at != last

                wait_for(swept_again)
                time.sleep(2)  # room for any e-mail task a duplicate would have queued
    finally:
        task_postrun.disconnect(_close_worker_connections)

    assert first_round == len(mailoutbox) == len(outbox) + len(digest_users)
    emailed = Notification.objects.filter(pk__in=outbox, emailed_at__isnull=False).count()
    assert emailed == len(outbox)
    per_recipient = [tuple(m.to) for m in mailoutbox]
    print(
        f"broker down: {pages} pages and {submitted} form submissions ({stored} stored) by "
        f"{len(DEMO_USERS)} personas, 0 server errors; {len(outbox)} overdue notifications and "
        f"{len(digest_users)} digests waited in the database and went out once the broker was "
        f"back: {len(mailoutbox)} e-mails to {len(set(per_recipient))} recipients, 0 lost, "
        f"0 doubled"
    )


@pytest.mark.django_db
def test_an_escalation_whose_email_was_not_queued_is_queued_again_by_the_next_sweep(
    time_machine,
):
    """Found here: escalations were queued only when first made, so one whose e-mail could not
    be queued (broker down just then) was never e-mailed. Now, like overdue reminders, it is
    queued by every sweep until the e-mail task has marked it."""
    coordinator_user()
    case_admitted_on(time_machine, DAY_ZERO)
    on(time_machine, DAY_ZERO + timezone.timedelta(days=40))

    first = reminder_services.sweep()
    [escalation] = Notification.objects.filter(kind=ESCALATION_KIND)
    assert escalation.pk in first.to_email
    assert escalation.pk in reminder_services.sweep().to_email  # queueing failed: again

    escalation.emailed_at = timezone.now()
    escalation.save(update_fields=["emailed_at"])
    assert escalation.pk not in reminder_services.sweep().to_email
