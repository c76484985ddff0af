"""Acceptance 3 of issue 6: a real Celery worker, fed through the machine's Redis, runs the
sweep end to end: the notifications appear, the overdue one is e-mailed by a second task the
sweep queued, and a second sweep through the worker duplicates nothing.

The worker runs in a thread of this process (celery.contrib.testing.worker) with its own
database connections, so the test commits its data (transaction=True). Results are ignored
(CELERY_TASK_IGNORE_RESULT): the test watches the database instead."""

import os
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections
from django.utils import timezone

from intake.constants import Desk
from ipgar.celery import app
from ipgar.notifications.models import Notification
from reminders.constants import DeadlineKind
from reminders.models import SweepRun
from reminders.tasks import reminder_sweep_task
from tests.cases.factories import CaseFactory, ready_report
from tests.intake.factories import desk_user
from tests.meetings.factories import at
from tests.reminders.broker import celery_broker

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def wait_for(condition: Callable[[], bool], *, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Niet gebeurd binnen {timeout:.0f} seconden: {condition.__doc__}")


def _close_worker_connections(**kwargs) -> None:
    """The worker thread's database connections end with each task: the test database is
    flushed (PostgreSQL: dropped) after the test, which an idle connection would block."""
    connections.close_all()


def test_a_real_worker_runs_the_sweep_once_per_deadline(mailoutbox):
    today = timezone.localdate()
    desk = desk_user(Desk.MAP)
    # Admitted 30 days ago: the letter is 9 days overdue; concept plan and UVO are warned.
    with time_machine.travel(at(today - timedelta(days=30)), tick=False):
        case = CaseFactory(report=ready_report(registered_by=desk))

    def letter_reminder_emailed() -> bool:
        """the overdue letter reminder is created and e-mailed"""
        return Notification.objects.filter(
            recipient=desk, kind=DeadlineKind.LETTER, emailed_at__isnull=False
        ).exists()

    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with celery_broker(os.environ["REDIS_URL"]):
            app.control.purge()  # nothing left over from an earlier, interrupted run
            with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
                reminder_sweep_task.delay()
                wait_for(letter_reminder_emailed)
                first_run = SweepRun.objects.get(pk=1).finished_at
                made = sorted(Notification.objects.values_list("recipient_id", "kind"))
                mails = len(mailoutbox)

                reminder_sweep_task.delay()

                def swept_again() -> bool:
                    """the second sweep finished"""
                    return SweepRun.objects.get(pk=1).finished_at != first_run

                wait_for(swept_again)
                time.sleep(1)  # room for any e-mail task a duplicate would have queued
    finally:
        task_postrun.disconnect(_close_worker_connections)

    assert made == sorted(
        [
            (desk.pk, DeadlineKind.LETTER),
            (case.regisseur_id, DeadlineKind.CONCEPT_PLAN),
            (case.regisseur_id, DeadlineKind.UVO),
        ]
    )
    assert SweepRun.objects.get(pk=1).created == 0
    assert sorted(Notification.objects.values_list("recipient_id", "kind")) == made
    assert mails == len(mailoutbox) == 1
    assert mailoutbox[0].to == [desk.email]
    assert mailoutbox[0].subject == f"iPGA-R: Verlopen: Notificatiebrief casus {case.reference}"
    assert app.conf.task_always_eager  # the eager test settings are back
