"""A session ends after 15 minutes without activity and after 12 hours in any case."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine

from ipgar.accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from tests.factories import UserFactory
from tests.personas import signed_in

MY_WORK_URL = "/mijn-werk/"
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
IDLE_MESSAGE = "U bent automatisch uitgelogd na 15 minuten zonder activiteit."
ABSOLUTE_MESSAGE = "U bent automatisch uitgelogd: een sessie duurt ten hoogste 12 uur."

pytestmark = pytest.mark.django_db


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def user_client(client, traveller):
    signed_in(client, UserFactory())
    assert client.get(MY_WORK_URL).status_code == 200  # the first request starts the clock
    return client


def sends_back_to_my_work_after_login(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path == "/inloggen/" and parse_qs(parts.query) == {"next": [MY_WORK_URL]}


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_first_request_after_sign_in_starts_the_clock(user_client):
    assert user_client.session[SESSION_STARTED] == START.timestamp()


def test_a_user_idle_for_fourteen_minutes_is_still_signed_in(user_client, traveller):
    traveller.shift(timedelta(minutes=14))

    assert user_client.get(MY_WORK_URL).status_code == 200


def test_a_user_idle_for_sixteen_minutes_is_logged_out_with_a_dutch_message(user_client, traveller):
    traveller.shift(timedelta(minutes=16))

    response = user_client.get(MY_WORK_URL)

    assert response.status_code == 302
    assert sends_back_to_my_work_after_login(response["Location"])
    assert not is_signed_in(user_client)
    login_page = user_client.get(response["Location"])
    assert IDLE_MESSAGE in login_page.content.decode()


def test_activity_every_ten_minutes_keeps_the_session_alive_until_twelve_hours(
    user_client, traveller
):
    for step in range(1, 72):  # up to 11 hours 50 minutes after sign-in
        traveller.shift(timedelta(minutes=10))
        response = user_client.get(MY_WORK_URL)
        assert response.status_code == 200, f"logged out after {step * 10} minutes"
    assert user_client.session[SESSION_LAST_SEEN] == (START + timedelta(minutes=710)).timestamp()

    traveller.shift(timedelta(minutes=11))  # 12 hours and 1 minute, 11 minutes after the last
    response = user_client.get(MY_WORK_URL)

    assert sends_back_to_my_work_after_login(response["Location"])
    assert not is_signed_in(user_client)
    assert ABSOLUTE_MESSAGE in user_client.get(response["Location"]).content.decode()


def test_a_real_login_starts_the_twelve_hours_at_the_moment_of_login(client, traveller):
    UserFactory(username="fvdberg")

    client.post("/inloggen/", {"username": "fvdberg", "password": "een-goed-wachtwoord-2026"})

    assert client.session[SESSION_STARTED] == START.timestamp()
    assert client.session[SESSION_LAST_SEEN] == START.timestamp()


def test_an_htmx_request_after_the_timeout_gets_an_hx_redirect_header(user_client, traveller):
    traveller.shift(timedelta(minutes=16))

    response = user_client.get(MY_WORK_URL, HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert sends_back_to_my_work_after_login(response["HX-Redirect"])
    assert "Location" not in response
    assert not is_signed_in(user_client)


def test_an_htmx_request_within_the_time_gets_no_redirect(user_client, traveller):
    traveller.shift(timedelta(minutes=5))

    response = user_client.get(MY_WORK_URL, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "HX-Redirect" not in response
