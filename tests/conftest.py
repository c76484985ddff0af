"""Shared test setup: markers for real services, and persona helpers."""

import os
from pathlib import Path

import pytest
from django.db import connection

ON_CI = os.environ.get("CI", "").lower() == "true"


def _unavailable(what: str) -> None:
    """Skip locally; under CI a missing service is a failure, never a silent skip."""
    if ON_CI:
        pytest.fail(f"{what} is vereist in CI maar niet beschikbaar", pytrace=False)
    pytest.skip(f"{what} niet beschikbaar")


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "")


def _redis_answers(url: str) -> bool:
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _unavailable("PostgreSQL (DATABASE_URL)")
    if item.get_closest_marker("redis") and not _redis_answers(redis_url()):
        _unavailable("Redis (REDIS_URL)")
    if item.get_closest_marker("browser") and not Path("/usr/bin/chromium").exists():
        _unavailable("Chromium (/usr/bin/chromium)")
