"""Logging in with a real browser: the first login links an authenticator app; Dutch 404s."""

import base64
import re

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from ipgar.accounts.second_factor import activation_code_issue
from tests.browser.accessibility import check_accessibility
from tests.browser.conftest import login
from tests.factories import UserFactory


def test_a_new_user_links_an_authenticator_app_and_lands_on_my_work(
    page: Page, live_server, settings
):
    settings.OTP_REQUIRED = True
    user = UserFactory(username="nieuwe.regisseur", first_name="Noor", roles=["regisseur"])
    administrator = UserFactory(roles=["functioneel_beheer"])
    activation_code = activation_code_issue(user=user, actor=administrator)

    login(page, live_server, "nieuwe.regisseur")

    expect(page).to_have_url(re.compile(r"/inloggen/tweede-factor/\?next=%2Fmijn-werk%2F$"))
    # Enrolment starts only with the code functioneel beheer gave this user.
    expect(page.get_by_role("heading", name="Tweede factor activeren")).to_be_visible()
    page.get_by_label("Activeringscode").fill(activation_code)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", name="Authenticator-app koppelen")).to_be_visible()
    qr_code = page.get_by_role("img", name="QR-code om de authenticator-app te koppelen")
    expect(qr_code.locator("svg")).to_be_visible()
    expect(page.get_by_test_id("demo-banner")).to_have_count(0)

    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    code = f"{TOTP(base64.b32decode(secret)).token():06d}"  # what the phone app would show
    page.get_by_label("Code uit uw authenticator-app").fill(code)
    page.get_by_role("button", name="Bevestigen").click()

    expect(page.get_by_text("Uw authenticator-app is gekoppeld.")).to_be_visible()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="Ik heb de codes bewaard").click()

    expect(page).to_have_url(f"{live_server.url}/mijn-werk/")
    expect(page.get_by_role("heading", name="Mijn werk")).to_be_visible()
    expect(page.get_by_text("Welkom, Noor.")).to_be_visible()
    assert TOTPDevice.objects.get(user=user).confirmed


def test_an_unknown_address_shows_the_dutch_not_found_page(
    page: Page, live_server, second_factor_off
):
    UserFactory(username="intake", roles=["intake"])
    login(page, live_server, "intake")

    response = page.goto(f"{live_server.url}/meldingen/bestaat-niet/")

    assert response.status == 404
    expect(page).to_have_title("Niet gevonden · iPGA-R")
    expect(page.get_by_role("heading", name="Niet gevonden")).to_be_visible()
    explanation = page.get_by_text("Deze pagina bestaat niet, of u heeft er geen toegang toe.")
    expect(explanation).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    check_accessibility(page)
    page.get_by_role("link", name="Naar de startpagina").click()
    expect(page.get_by_role("heading", name="Mijn werk")).to_be_visible()
