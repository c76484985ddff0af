"""The Content-Security-Policy holds in a real browser: no violation on a working day's pages.

The policy allows no inline script or style; Chromium reports every refusal on the console.
The regisseur opens their case and logs a contact through HTMX, and nothing is refused.
"""

from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.conftest import login
from tests.browser.test_case_journey import case, log_a_phone_call, open_the_case, regisseur

__all__ = ["case", "regisseur"]  # fixtures shared with the case journey


def test_the_case_page_and_its_htmx_logbook_raise_no_csp_violation(
    page: Page, live_server, second_factor_off, regisseur, case
):
    refused: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            refused.append(message.text)

    page.on("console", watch)
    page.on("pageerror", lambda error: refused.append(str(error)))
    response = page.goto(f"{live_server.url}/inloggen/")
    assert "script-src 'self'" in response.headers["content-security-policy"]

    login(page, live_server, "regisseur")
    open_the_case(page, case)
    log_a_phone_call(page)
    page.goto(f"{live_server.url}/casussen/{case.pk}/basisdossier/")
    expect(page.get_by_role("heading").first).to_be_visible()

    assert refused == []
