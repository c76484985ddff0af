"""The world of the access matrix, built once per module and rolled back afterwards."""

import pytest
from django.db import transaction
from django.test import Client

from tests.ipgar.test_url_walker import walk
from tests.personas import signed_in
from tests.security.world import PERSONAS, build_world


@pytest.fixture(scope="module")
def routes() -> dict[str, str]:
    """name -> route, for every URL pattern of the project."""
    return {pattern.name: pattern.route for pattern in walk()}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        built.clients = {p: signed_in(Client(), built.users[p]) for p in PERSONAS}
        yield built
        transaction.set_rollback(True)
