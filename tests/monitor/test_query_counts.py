"""The monitor page runs the same number of queries with 5 and with 40 histories, cold (cache
empty) and warm (one data-version query plus the cache); the numbers are printed."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipgar.accounts.constants import Role
from monitor import periods
from monitor.selectors import monitor_data
from monitor.tasks import monitor_refresh_task
from tests.monitor.conftest import spread_histories
from tests.personas import persona

pytestmark = pytest.mark.django_db

Q1 = {"soort": "kwartaal", "jaar": "2026", "kwartaal": "1"}


def _page_queries(client) -> tuple[int, int]:
    client.get(reverse("monitor:dashboard"), Q1)  # session and content types settle
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(reverse("monitor:dashboard"), Q1).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(reverse("monitor:dashboard"), Q1).status_code == 200
    return len(cold), len(warm)


def test_the_page_runs_a_fixed_number_of_queries_at_two_data_sizes(client):
    client, _user = persona(client, Role.PROGRAMME_TEAM)
    spread_histories(5)
    small = _page_queries(client)
    spread_histories(35)
    large = _page_queries(client)
    print(f"\nmonitor page queries (cold, warm): 5 histories {small}, 40 histories {large}")
    assert small == large
    assert large[1] < large[0]


def test_the_warm_path_is_one_query_and_a_write_is_followed_within_the_stale_limit(
    settings, time_machine
):
    settings.MONITOR_K = 5
    settings.MONITOR_MAX_STALE_SECONDS = 15 * 60
    time_machine.move_to("2026-04-14 10:00 +02:00", tick=False)
    spread_histories(10)
    period = periods.quarter(2026, 1)
    started = time.perf_counter()
    cold = monitor_data(period)
    cold_seconds = time.perf_counter() - started
    with CaptureQueriesContext(connection) as warm_queries:
        started = time.perf_counter()
        assert monitor_data(period) == cold
        warm_seconds = time.perf_counter() - started
    print(f"\nmonitor_data cold {cold_seconds:.3f}s, warm {warm_seconds:.4f}s")
    assert len(warm_queries) == 1

    # A new report changes the data version. Within the limit the page still gets the figures
    # it had, computed at their time, and the period waits for the refresh task.
    spread_histories(10)
    time_machine.move_to("2026-04-14 10:14 +02:00", tick=False)
    with CaptureQueriesContext(connection) as stale_queries:
        assert monitor_data(period) == cold
    assert len(stale_queries) == 1

    # Beat's task recomputes it; the page then reads the new figures warm.
    assert monitor_refresh_task() == 1
    refreshed = monitor_data(period)
    assert refreshed["computed_at"] > cold["computed_at"]
    assert refreshed != {**cold, "computed_at": refreshed["computed_at"]}
    assert monitor_refresh_task() == 0  # nothing was served stale since

    # Past the limit the request does not wait for beat: it computes afresh.
    spread_histories(2)
    time_machine.move_to("2026-04-14 10:30 +02:00", tick=False)
    assert monitor_data(period)["computed_at"] > refreshed["computed_at"]
