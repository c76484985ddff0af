"""Issue 9, point 2: a Celery worker killed with SIGKILL in the middle of a task loses nothing,
and the task's effect happens exactly once.

Real processes on the machine's Redis: `celery worker` is started as a child process with the
production settings (ipgar.settings) on the test database, on a queue of its own. The task is
the real e-mail task of a notification; it is made to wait by a row lock this test holds on the
notification. While the worker waits inside the task, its whole process group gets SIGKILL. The
message was not acknowledged (acks_late), so after the visibility timeout (5 seconds here,
CELERY_VISIBILITY_TIMEOUT) Redis hands it to a second worker, which sends the e-mail and marks
the notification. A copy of the message sent afterwards changes nothing: the effect is keyed on
the notification's `emailed_at`, in the database."""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings
from django.db import connection

from ipgar.notifications.models import Notification
from ipgar.notifications.tasks import notification_email_task
from tests.factories import UserFactory
from tests.reminders.broker import celery_broker

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

VISIBILITY_TIMEOUT = 5
RECEIVED = re.compile(r"notification_email_task\[([0-9a-f-]+)\] received")
SUCCEEDED = re.compile(r"notification_email_task\[[0-9a-f-]+\] succeeded in [0-9.]+s: (\w+)")
ROOT = Path(settings.BASE_DIR)


def wait_for(condition: Callable[[], bool], what: str, *, timeout: float = 60.0) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"Niet gebeurd binnen {timeout:.0f} seconden: {what}")


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"


class Worker:
    """`celery worker` in its own process group, logging to a file."""

    def __init__(self, name: str, queue: str, mail_dir: Path, log: Path):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ipgar.settings",
            "DEBUG": "false",
            "SECRET_KEY": "worker-test-" + "x" * 50,
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": os.environ["REDIS_URL"],
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            # Four slashes: django-environ drops one, the path must stay absolute.
            "EMAIL_URL": f"filemail:///{mail_dir}",
            "CELERY_TASK_ALWAYS_EAGER": "false",
        }
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ipgar",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--queues={queue}",
                f"--hostname={name}@%h",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def received(self) -> list[str]:
        """The ids of the e-mail tasks this worker took from the queue, in order."""
        return RECEIVED.findall(self.log.read_text())

    def results(self) -> list[str]:
        return SUCCEEDED.findall(self.log.read_text())

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
        self.process.wait(timeout=30)


@pytest.fixture
def queue():
    name = f"relb-worker-test-{uuid.uuid4().hex[:8]}"
    yield name
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.delete(name)


def waiting_on_a_lock() -> bool:
    """a worker's database session waits for the row lock"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_a_task_of_a_killed_worker_is_redelivered_and_takes_effect_once(tmp_path, queue):
    user = UserFactory(email="regisseur@example.org")
    notification = Notification.objects.create(
        recipient=user, kind="test", title="Verlopen: Notificatiebrief casus 2026-001"
    )
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    workers: list[Worker] = []
    s = connection.settings_dict
    lock = psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname=s["NAME"],
    )
    try:
        # The task will wait here: this session holds the notification's row lock.
        lock.execute(
            f'SELECT id FROM "{Notification._meta.db_table}" WHERE id = %s FOR UPDATE',
            [notification.pk],
        )
        first = Worker("relb-first", queue, mail_dir, tmp_path / "first.log")
        workers.append(first)
        with celery_broker(os.environ["REDIS_URL"]):
            task_id = notification_email_task.apply_async(args=[notification.pk], queue=queue).id
        wait_for(waiting_on_a_lock, "the first worker is inside the task, waiting")
        assert first.received() == [task_id]

        first.kill(signal.SIGKILL)
        killed_at = time.monotonic()
        assert first.process.returncode == -signal.SIGKILL
        assert redis.Redis.from_url(os.environ["REDIS_URL"]).hlen("unacked") >= 1
        lock.rollback()  # the killed worker's session can never commit; release the row

        # A starting worker looks for unacknowledged messages older than the visibility
        # timeout at once (a running one only every few minutes): start it after the timeout.
        time.sleep(VISIBILITY_TIMEOUT + 1)
        second = Worker("relb-second", queue, mail_dir, tmp_path / "second.log")
        workers.append(second)

        def emailed() -> bool:
            """the second worker sent the e-mail and marked the notification"""
            return Notification.objects.filter(
                pk=notification.pk, emailed_at__isnull=False
            ).exists()

        wait_for(emailed, "redelivery", timeout=90)
        redelivered_after = time.monotonic() - killed_at
        emailed_at = Notification.objects.get(pk=notification.pk).emailed_at

        # A duplicate delivery (say, a visibility timeout running out twice) changes nothing.
        with celery_broker(os.environ["REDIS_URL"]):
            notification_email_task.apply_async(args=[notification.pk], queue=queue)
        wait_for(lambda: len(second.results()) >= 2, "the duplicate ran on the second worker")
        time.sleep(VISIBILITY_TIMEOUT + 2)  # room for any further redelivery
        second_received, second_results = second.received(), second.results()
    finally:
        lock.close()
        for worker in workers:
            worker.kill(signal.SIGTERM if worker.process.poll() is None else signal.SIGKILL)

    mails = list(mail_dir.iterdir())
    assert len(mails) == 1, [m.read_text()[:200] for m in mails]
    assert "regisseur@example.org" in mails[0].read_text()
    assert Notification.objects.get(pk=notification.pk).emailed_at == emailed_at
    # The killed worker's message, delivered again with the same id, then the duplicate, which
    # found the notification already e-mailed and did nothing; no further deliveries.
    assert len(second_received) == 2
    assert second_received[0] == task_id
    assert second_results == ["True", "False"]
    print(
        f"worker: killed with SIGKILL mid-task, redelivered to a new worker after "
        f"{redelivered_after:.1f} s (visibility timeout {VISIBILITY_TIMEOUT} s); "
        f"{1 + len(second_received)} deliveries in all, effect 1 time "
        "(1 e-mail, emailed_at set once)"
    )
