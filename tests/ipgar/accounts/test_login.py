"""Logging in: the password, the lockout after five failures, and the second factor."""

import base64
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipgar.accounts.checks import second_factor_only_off_in_demo
from ipgar.accounts.second_factor import activation_code_issue
from tests.factories import UserFactory
from tests.personas import assert_redirects_to_login, signed_in

PASSWORD = "een-goed-wachtwoord-2026"  # the factory's password
LOGIN_URL = "/inloggen/"
SECOND_FACTOR_URL = "/inloggen/tweede-factor/"
MY_WORK_URL = "/mijn-werk/"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db


def log_in(client, username, password=PASSWORD, address="127.0.0.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """A code that no step within the device's tolerance accepts."""
    accepted = {
        f"{totp(device.bin_key, step=device.step, drift=drift):06d}"
        for drift in range(-device.tolerance - 1, device.tolerance + 2)
    }
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in accepted)


def next_parameter(response) -> str:
    return parse_qs(urlsplit(response["Location"]).query)["next"][0]


class TestThePasswordStep:
    def test_the_login_page_is_dutch(self, client):
        response = client.get(LOGIN_URL)

        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="nl">' in html
        assert "<title>Inloggen" in html
        assert "Gebruikersnaam" in html
        assert "Wachtwoord" in html

    def test_a_wrong_password_gives_a_dutch_error_and_keeps_the_username(self, client):
        UserFactory(username="fvdberg")

        response = log_in(client, "fvdberg", "verkeerd-wachtwoord")

        assert response.status_code == 200
        html = response.content.decode()
        assert "Gebruikersnaam of wachtwoord is onjuist." in html
        assert 'value="fvdberg"' in html
        assert "verkeerd-wachtwoord" not in html
        assert "_auth_user_id" not in client.session

    def test_a_username_longer_than_any_account_is_a_dutch_error_not_a_500(self, client):
        """Found by the form fuzzer on PostgreSQL: axes stored the typed name in 255 characters."""
        response = log_in(client, "x" * 3000, "y" * 3000)

        assert response.status_code == 200
        assert "Gebruikersnaam of wachtwoord is onjuist." in response.content.decode()
        assert AccessAttempt.objects.get().username == "x" * 150

    def test_an_inactive_account_cannot_log_in(self, client):
        UserFactory(username="vertrokken", is_active=False)

        response = log_in(client, "vertrokken")

        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    def test_it_locks_the_account_after_five_failures_from_one_address(self, client):
        UserFactory(username="fvdberg")

        for attempt in range(1, 5):
            response = log_in(client, "fvdberg", f"fout-{attempt}", address="10.0.0.7")
            assert response.status_code == 200, attempt
        fifth = log_in(client, "fvdberg", "fout-5", address="10.0.0.7")
        with_right_password = log_in(client, "fvdberg", PASSWORD, address="10.0.0.7")

        assert fifth.status_code == 429
        assert with_right_password.status_code == 429
        html = with_right_password.content.decode()
        assert "Account tijdelijk geblokkeerd" in html
        assert '<html lang="nl">' in html
        assert "_auth_user_id" not in client.session

    def test_the_lock_is_kept_in_the_database(self, client):
        UserFactory(username="fvdberg")

        for attempt in range(5):
            log_in(client, "fvdberg", f"fout-{attempt}", address="10.0.0.7")

        attempt = AccessAttempt.objects.get(username="fvdberg", ip_address="10.0.0.7")
        assert attempt.failures_since_start == 5

    def test_four_failures_do_not_lock(self, client):
        UserFactory(username="fvdberg")
        for attempt in range(4):
            log_in(client, "fvdberg", f"fout-{attempt}", address="10.0.0.7")

        response = log_in(client, "fvdberg", address="10.0.0.7")

        assert response.status_code == 302
        assert client.session["_auth_user_id"]

    def test_the_lock_does_not_hold_for_another_address(self, client, settings):
        settings.OTP_REQUIRED = False
        UserFactory(username="fvdberg")
        for attempt in range(5):
            log_in(client, "fvdberg", f"fout-{attempt}", address="10.0.0.7")

        response = log_in(client, "fvdberg", address="10.0.0.8")

        assert response.status_code == 302
        assert response["Location"] == MY_WORK_URL

    def test_the_lock_does_not_hold_for_another_username_from_the_same_address(self, client):
        UserFactory(username="fvdberg")
        UserFactory(username="collega")
        for attempt in range(5):
            log_in(client, "fvdberg", f"fout-{attempt}", address="10.0.0.7")

        response = log_in(client, "collega", address="10.0.0.7")

        assert response.status_code == 302


def activate(client, user) -> None:
    """Enter the activation code an administrator issued: the step before enrolment."""
    code = activation_code_issue(user=user, actor=UserFactory(roles=["functioneel_beheer"]))
    response = client.post(SECOND_FACTOR_URL, {"activation_code": code})
    assert response.status_code == 302, response.content.decode()[:2000]


class TestTheSecondFactor:
    @pytest.fixture(autouse=True)
    def _second_factor_on(self, settings):
        settings.OTP_REQUIRED = True

    def test_first_login_leads_to_enrolment_with_a_qr_code_and_the_secret(self, client):
        user = UserFactory(username="nieuw")

        login = log_in(client, "nieuw")
        assert login["Location"] == MY_WORK_URL
        to_second_factor = client.get(MY_WORK_URL)
        activation = client.get(to_second_factor["Location"])
        assert "Activeringscode" in activation.content.decode()
        assert not TOTPDevice.objects.filter(user=user).exists()
        activate(client, user)
        enrolment = client.get(to_second_factor["Location"])

        assert urlsplit(to_second_factor["Location"]).path == SECOND_FACTOR_URL
        assert next_parameter(to_second_factor) == MY_WORK_URL
        assert enrolment.status_code == 200
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed is False
        html = enrolment.content.decode()
        assert "Authenticator-app koppelen" in html
        assert "<svg" in html
        assert base64.b32encode(device.bin_key).decode() in html

    def test_a_wrong_code_shows_a_dutch_error_and_confirms_nothing(self, client):
        user = UserFactory(username="nieuw")
        with time_machine.travel(START, tick=False):
            log_in(client, "nieuw")
            activate(client, user)
            client.get(SECOND_FACTOR_URL)
            device = TOTPDevice.objects.get(user=user)

            response = client.post(SECOND_FACTOR_URL, {"token": wrong_code_for(device)})
            still_outside = client.get(MY_WORK_URL)

        assert response.status_code == 200
        assert "Deze code is onjuist of verlopen" in response.content.decode()
        device.refresh_from_db()
        assert device.confirmed is False
        assert still_outside["Location"].startswith(SECOND_FACTOR_URL)

    def test_a_code_that_is_not_six_digits_is_refused_in_dutch(self, client):
        user = UserFactory(username="nieuw")
        log_in(client, "nieuw")
        activate(client, user)
        client.get(SECOND_FACTOR_URL)

        response = client.post(SECOND_FACTOR_URL, {"token": "12ab56"})

        assert "De code bestaat uit zes cijfers." in response.content.decode()

    def test_the_right_code_confirms_the_device_and_lets_the_user_in(self, client):
        user = UserFactory(username="nieuw")
        with time_machine.travel(START, tick=False) as traveller:
            log_in(client, "nieuw")
            activate(client, user)
            client.get(SECOND_FACTOR_URL)
            device = TOTPDevice.objects.get(user=user)
            client.post(SECOND_FACTOR_URL, {"token": wrong_code_for(device)})
            traveller.shift(5)  # django-otp refuses a second try within a second of a failure

            response = client.post(
                SECOND_FACTOR_URL, {"token": code_for(device), "next": MY_WORK_URL}
            )
            my_work = client.get(MY_WORK_URL)

        assert response.status_code == 302
        assert response["Location"].startswith("/inloggen/herstelcodes/")
        device.refresh_from_db()
        assert device.confirmed is True
        assert my_work.status_code == 200
        assert "Uw authenticator-app is gekoppeld." in my_work.content.decode()

    def test_a_later_login_asks_for_the_code_without_showing_the_qr_code(self, client):
        user = UserFactory(username="bekend")
        device = TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True)
        with time_machine.travel(START, tick=False):
            log_in(client, "bekend")

            verify = client.get(SECOND_FACTOR_URL)
            response = client.post(SECOND_FACTOR_URL, {"token": code_for(device)})

        html = verify.content.decode()
        assert "Vul de zescijferige code uit uw authenticator-app in." in html
        assert "<svg" not in html
        assert 'data-testid="totp-secret"' not in html
        assert TOTPDevice.objects.filter(user=user).count() == 1
        assert response.status_code == 302
        assert response["Location"] == MY_WORK_URL

    def test_every_other_page_redirects_to_the_second_factor_until_verified(self, client):
        UserFactory(username="beheerder", roles=["functioneel_beheer", "privacy"])
        log_in(client, "beheerder")

        for url in (MY_WORK_URL, "/beheer/gebruikers/", "/toegangslog/", "/overleggen/"):
            response = client.get(url)
            assert response.status_code == 302, url
            assert urlsplit(response["Location"]).path == SECOND_FACTOR_URL, url
            assert next_parameter(response) == url

    def test_the_second_factor_page_is_not_public(self, client):
        assert_redirects_to_login(client.get(SECOND_FACTOR_URL))

    def test_a_verified_user_is_not_asked_again(self, client):
        signed_in(client, UserFactory())

        assert client.get(MY_WORK_URL).status_code == 200
        assert client.get(SECOND_FACTOR_URL)["Location"] == MY_WORK_URL

    def test_the_next_parameter_does_not_lead_off_site(self, client):
        user = UserFactory(username="bekend")
        device = TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True)
        with time_machine.travel(START, tick=False):
            log_in(client, "bekend")
            response = client.post(
                SECOND_FACTOR_URL, {"token": code_for(device), "next": "https://elders.example/"}
            )

        assert response["Location"] == MY_WORK_URL

    def test_no_demo_banner_is_shown_while_the_second_factor_is_on(self, client):
        signed_in(client, UserFactory())

        assert 'data-testid="demo-banner"' not in client.get(MY_WORK_URL).content.decode()


@override_settings(OTP_REQUIRED=False)
def test_without_the_second_factor_the_user_lands_on_my_work_with_the_demo_banner(client):
    UserFactory(username="demo")

    response = client.post(LOGIN_URL, {"username": "demo", "password": PASSWORD}, follow=True)

    assert response.redirect_chain == [(MY_WORK_URL, 302)]
    html = response.content.decode()
    assert "<title>Mijn werk" in html
    assert 'data-testid="demo-banner"' in html
    assert not TOTPDevice.objects.exists()


class TestTheSystemCheck:
    @override_settings(OTP_REQUIRED=False, DEBUG=False)
    def test_it_refuses_the_second_factor_off_outside_the_demo(self):
        errors = second_factor_only_off_in_demo(None)

        assert [error.id for error in errors] == ["ipgar.E001"]

    @override_settings(OTP_REQUIRED=False, DEBUG=True)
    def test_it_allows_the_second_factor_off_in_the_local_demo(self):
        assert second_factor_only_off_in_demo(None) == []

    @override_settings(OTP_REQUIRED=True, DEBUG=False)
    def test_it_is_silent_when_the_second_factor_is_on(self):
        assert second_factor_only_off_in_demo(None) == []


class TestLogout:
    def test_logout_refuses_get_and_keeps_the_user_signed_in(self, client):
        signed_in(client, UserFactory())

        response = client.get("/uitloggen/")

        assert response.status_code == 405
        assert client.get(MY_WORK_URL).status_code == 200

    def test_logout_by_post_ends_the_session(self, client):
        signed_in(client, UserFactory())

        response = client.post("/uitloggen/", follow=True)

        assert response.redirect_chain == [(LOGIN_URL, 302)]
        assert "U bent uitgelogd." in response.content.decode()
        assert_redirects_to_login(client.get(MY_WORK_URL))
