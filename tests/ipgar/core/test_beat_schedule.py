"""Every periodic job beat starts names a task the worker knows, with acks_late (a task killed
half-way runs again) and a schedule; a typo here would silently never run."""

import pytest
from django.conf import settings

from ipgar.celery import app


@pytest.fixture(scope="module")
def tasks():
    app.loader.import_default_modules()
    return app.tasks


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_the_beat_entry_names_a_registered_late_acking_task(tasks, name):
    entry = settings.CELERY_BEAT_SCHEDULE[name]

    assert entry["task"] in tasks
    assert tasks[entry["task"]].acks_late
    assert entry["schedule"]


def test_the_monitor_is_refreshed_more_often_than_its_figures_may_be_stale():
    refresh = settings.CELERY_BEAT_SCHEDULE["monitor-refresh"]["schedule"]

    assert refresh < settings.MONITOR_MAX_STALE_SECONDS
