"""/health/ for load balancers and container health checks: public, small, honest."""

import os

import pytest

from tests.factories import UserFactory

HEALTH_URL = "/health/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def filesystem_broker(settings, tmp_path):
    """The demo's embedded broker (the test default without REDIS_URL), in folders that exist."""
    for folder in ("broker", "broker-processed"):
        (tmp_path / folder).mkdir()
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "broker"),
        "data_folder_out": str(tmp_path / "broker"),
        "processed_folder": str(tmp_path / "broker-processed"),
        "store_processed": False,
    }


@pytest.fixture
def unreachable_broker(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}


def test_it_is_public_and_reports_database_and_broker_ok(client, filesystem_broker):
    response = client.get(HEALTH_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_it_is_never_cached(client, filesystem_broker):
    response = client.get(HEALTH_URL)

    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_it_answers_a_user_who_has_not_passed_the_second_factor(
    client, filesystem_broker, settings
):
    settings.OTP_REQUIRED = True
    client.force_login(UserFactory())

    assert client.get(HEALTH_URL).status_code == 200


def test_it_refuses_post(client, filesystem_broker):
    assert client.post(HEALTH_URL).status_code == 405


def test_it_answers_503_with_fout_and_no_details_when_the_broker_is_unreachable(
    client, unreachable_broker
):
    response = client.get(HEALTH_URL)

    assert response.status_code == 503
    assert response.json() == {"status": "fout", "database": "ok", "broker": "fout"}
    assert "127.0.0.1" not in response.content.decode()  # the address stays in the server log


@pytest.mark.redis
def test_it_reports_ok_with_the_real_redis_broker(client, settings):
    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

    response = client.get(HEALTH_URL)

    assert response.status_code == 200
    assert response.json()["broker"] == "ok"
