"""Point the project's Celery app at another broker for one test, and back afterwards.

The test settings run tasks eagerly; these tests need the real thing: a message on a broker
(Redis for the worker test, a closed port for the broker-down test)."""

from collections.abc import Iterator
from contextlib import contextmanager

from ipgar.celery import app

_KEYS = ("broker_url", "broker_transport_options", "task_always_eager")


def _drop_connection_pools() -> None:
    """Forget the app's pools; kombu keeps one per broker URL, so they are not closed here."""
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def celery_broker(url: str) -> Iterator[None]:
    saved = {key: app.conf[key] for key in _KEYS}
    app.conf.update(
        broker_url=url,
        broker_transport_options={"visibility_timeout": 3600},
        task_always_eager=False,
    )
    _drop_connection_pools()
    try:
        yield
    finally:
        _drop_connection_pools()
        app.conf.update(saved)
