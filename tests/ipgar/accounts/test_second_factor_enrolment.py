"""Issue 20 point 2: second-factor enrolment is not open to whoever has the password."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipgar.accounts.models import ActivationCode, SecondFactorEvent
from ipgar.accounts.second_factor import activation_code_issue
from ipgar.notifications.models import Notification
from ipgar.notifications.tasks import notification_email_task
from reminders import services as reminder_services
from tests.factories import UserFactory
from tests.ipgar.accounts.test_login import (
    MY_WORK_URL,
    SECOND_FACTOR_URL,
    START,
    code_for,
    log_in,
)
from tests.personas import persona

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.OTP_REQUIRED = True


@pytest.fixture
def admin():
    return UserFactory(roles=["functioneel_beheer"])


def test_the_password_alone_does_not_start_enrolment(client):
    UserFactory(username="nieuw")
    log_in(client, "nieuw")
    page = client.get(SECOND_FACTOR_URL).content.decode()
    assert "Activeringscode" in page and "<svg" not in page
    response = client.post(SECOND_FACTOR_URL, {"activation_code": "AAAA-BBBB-CCCC"})
    assert "onjuist, verlopen of al gebruikt" in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_an_attacker_who_enrolled_first_cannot_use_that_secret_after_the_real_user(admin):
    user = UserFactory(username="doelwit")
    code = activation_code_issue(user=user, actor=admin)
    attacker, real = Client(), Client()
    with time_machine.travel(START, tick=False) as traveller:
        log_in(attacker, "doelwit")
        attacker.post(SECOND_FACTOR_URL, {"activation_code": code})
        attacker.get(SECOND_FACTOR_URL)
        stolen = TOTPDevice.objects.get(user=user)

        log_in(real, "doelwit")
        real.post(SECOND_FACTOR_URL, {"activation_code": code})
        real.get(SECOND_FACTOR_URL)
        device = TOTPDevice.objects.get(user=user)
        assert device.bin_key != stolen.bin_key  # a fresh secret per attempt
        assert real.post(SECOND_FACTOR_URL, {"token": code_for(device)}).status_code == 302

        traveller.shift(60)
        log_in(attacker, "doelwit")
        response = attacker.post(SECOND_FACTOR_URL, {"token": code_for(stolen)})
        assert response.status_code == 200
        assert attacker.get(MY_WORK_URL)["Location"].startswith(SECOND_FACTOR_URL)
    assert list(TOTPDevice.objects.filter(user=user)) == [device]


def test_the_activation_code_works_once(admin):
    user = UserFactory(username="eenmalig")
    code = activation_code_issue(user=user, actor=admin)
    first = Client()
    with time_machine.travel(START, tick=False):
        log_in(first, "eenmalig")
        first.post(SECOND_FACTOR_URL, {"activation_code": code})
        first.get(SECOND_FACTOR_URL)
        first.post(SECOND_FACTOR_URL, {"token": code_for(TOTPDevice.objects.get(user=user))})
    assert ActivationCode.objects.get(user=user).used_at is not None
    TOTPDevice.objects.filter(user=user).delete()  # lost the phone, without a reset
    second = Client()
    log_in(second, "eenmalig")
    response = second.post(SECOND_FACTOR_URL, {"activation_code": code})
    assert "al gebruikt" in response.content.decode()


def test_the_activation_code_expires_after_72_hours(admin):
    user = UserFactory(username="laat")
    with time_machine.travel(START, tick=False):
        code = activation_code_issue(user=user, actor=admin)
    with time_machine.travel(START + timedelta(hours=72, minutes=1), tick=False):
        client = Client()
        log_in(client, "laat")
        response = client.post(SECOND_FACTOR_URL, {"activation_code": code})
    assert "verlopen" in response.content.decode()


def test_enrolment_gives_recovery_codes_that_work_once(admin):
    user = UserFactory(username="herstel")
    code = activation_code_issue(user=user, actor=admin)
    client = Client()
    with time_machine.travel(START, tick=False):
        log_in(client, "herstel")
        client.post(SECOND_FACTOR_URL, {"activation_code": code})
        client.get(SECOND_FACTOR_URL)
        response = client.post(
            SECOND_FACTOR_URL, {"token": code_for(TOTPDevice.objects.get(user=user))}
        )
        page = client.get(response["Location"])
    codes = [li.split("<")[0] for li in page.content.decode().split("<li>")[1:]]
    assert len(codes) == 10
    again = Client()
    log_in(again, "herstel")
    assert again.post(SECOND_FACTOR_URL, {"token": codes[0]}).status_code == 302
    assert again.get(MY_WORK_URL).status_code == 200
    third = Client()
    log_in(third, "herstel")
    assert "al gebruikt" in third.post(SECOND_FACTOR_URL, {"token": codes[0]}).content.decode()


def test_the_administrator_issues_a_code_shown_once_and_a_reset_is_logged_and_told(client):
    client, admin = persona(client, "functioneel_beheer")
    user = UserFactory(username="collega", email="collega@test.invalid")
    page = client.post(reverse("accounts:user_activation_code", kwargs={"pk": user.pk}))
    assert 'data-testid="activation-code"' in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True)
    client.post(reverse("accounts:user_reset_second_factor", kwargs={"pk": user.pk}))
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert SecondFactorEvent.objects.filter(user=user, actor=admin, kind="ingetrokken").exists()
    notice = Notification.objects.get(recipient=user, kind="tweede_factor")
    # No request sends mail itself: the next reminder sweep e-mails the notice, once.
    assert not mail.outbox
    assert notice.pk in reminder_services.sweep().to_email
    notification_email_task(notice.pk)
    assert [m.to for m in mail.outbox] == [["collega@test.invalid"]]
    assert "ingetrokken" in mail.outbox[0].subject
    assert "authenticator-app en herstelcodes" in mail.outbox[0].body
    assert notice.pk not in reminder_services.sweep().to_email
