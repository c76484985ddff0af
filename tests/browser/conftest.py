"""Real-browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Every test in this folder is marked `browser`; tests/conftest.py skips them locally when
/usr/bin/chromium is missing and fails them under CI=true.

The live server needs a transactional database, which Django empties (flush) after each test.
tests/conftest.py lifts the access log's append-only triggers around that flush and seeds the
reference data again afterwards; `reference_data` seeds it for the test itself.
"""

import os
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from faker import Faker
from playwright.sync_api import Browser, Page, expect, sync_playwright

from cases import services as case_services
from cases.demo import seed_catalogue
from cases.models import Case, CatalogueEntry
from intake.demo import person, ready_report
from ipgar.accounts.constants import Role
from ipgar.accounts.models import Organisation, User
from tests.browser.accessibility import CHECKED, check_accessibility
from tests.conftest import seed_reference_data
from tests.factories import UserFactory

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
PASSWORD = "een-goed-wachtwoord-2026"  # UserFactory's password
BROWSER_DIR = Path(__file__).parent
PROJECT_DIR = BROWSER_DIR.parent.parent
FAILURE_DIR = PROJECT_DIR / "test-results"  # gitignored
DOCS_SCREENSHOT_DIR = PROJECT_DIR / "docs" / "screenshots"


AXE_SUMMARY_TEST = "test_enough_distinct_pages_passed_the_accessibility_check"
WHOLE_FOLDER = pytest.StashKey[bool]()


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    # This hook sees the whole session's items, so it marks only those in this folder.
    for item in items:
        if BROWSER_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)
    # The accessibility count runs after every journey, and counts only when all ran.
    summary = [item for item in items if item.name == AXE_SUMMARY_TEST]
    for item in summary:
        items.remove(item)
        items.append(item)
    files = {item.path for item in items if item.path.parent == BROWSER_DIR}
    config.stash[WHOLE_FOLDER] = files >= set(BROWSER_DIR.glob("test_*.py"))


def pytest_deselected(items: list[pytest.Item]) -> None:
    if items and any(item.path.parent == BROWSER_DIR for item in items):
        items[0].config.stash[WHOLE_FOLDER] = False


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if not CHECKED.pages:
        return
    terminalreporter.write_sep("-", "axe-core (WCAG 2.1 A en AA)")
    terminalreporter.write_line(
        f"{len(CHECKED.pages)} verschillende pagina's gecontroleerd; "
        "0 ernstige of kritieke overtredingen toegestaan."
    )
    for rule, patterns in sorted(CHECKED.minor.items()):
        terminalreporter.write_line(f"  lichter ({rule}): {', '.join(sorted(patterns))}")


# --- The database ----------------------------------------------------------------------------
# The flush after a transactional test, and re-seeding the reference data, live in
# tests/conftest.py: every transactional test needs them, not only the browser's.


@pytest.fixture
def reference_data(transactional_db, live_server) -> None:
    """A transactional database holding what the migrations seeded, shared with the server."""
    seed_reference_data()


# --- People and cases, built through the services as seed_demo builds them -------------------


@pytest.fixture
def make_user(reference_data) -> Callable[..., User]:
    """`make_user("regisseur", Role.REGISSEUR, first_name="Noor")`: a user of an organisation."""

    def make(username: str, role: str, *, organisation: str = "OOV", **fields) -> User:
        return UserFactory(
            username=username,
            roles=[role],
            organisation=Organisation.objects.get(code=organisation),
            **fields,
        )

    return make


@pytest.fixture
def catalogue(reference_data) -> dict[str, CatalogueEntry]:
    """The intervention catalogue of the demo, by name."""
    seed_catalogue(timezone.localdate())
    return {entry.name: entry for entry in CatalogueEntry.objects.select_related("provider")}


@pytest.fixture
def open_case(make_user) -> Callable[[User, str, str], Case]:
    """`open_case(regisseur, "Daan", "Verhoef")`: a case in the phase 'base file'.

    As seed_demo does it: the MAP desk and the Voorportaal take a report to 'ready for
    decision', and the decision meeting of a month ago admits it and appoints the regisseur.
    """
    fake = Faker("nl_NL")
    fake.seed_instance(2026)
    today = timezone.localdate()
    staff = {
        "intake": make_user("intake", Role.INTAKE, organisation="MAP"),
        "voorportaal": make_user("voorportaal", Role.ASSESSMENT_BOARD),
    }
    chair = make_user("regieoverleg", Role.DECISION_MEMBER)

    def open_(regisseur: User, first_name: str, last_name: str) -> Case:
        report, _ = ready_report(
            fake,
            today,
            staff,
            key=f"browser-{first_name}-{last_name}",
            days_ago=60,
            person=person(fake, today, born_years_ago=19, first=first_name, last=last_name),
        )
        return case_services.case_open_from_report(
            report=report,
            actor=chair,
            organisation=regisseur.organisation,
            regisseur=regisseur,
            decided_at=timezone.now() - timedelta(days=30),
        )

    return open_


# --- The browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an asyncio loop running in this thread for as long as it
    # lives; Django refuses ORM calls in a thread with a running loop unless told otherwise.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.fixture
def page(browser: Browser, reference_data) -> Iterator[Page]:
    # Reduced motion switches Bootstrap's transitions off: axe-core then measures the colours
    # a button ends with, not a blend halfway through its focus transition.
    context = browser.new_context(
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        viewport={"width": 1280, "height": 900},
        reduced_motion="reduce",
    )
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def second_factor_off(settings) -> None:
    """Password only; the live server thread reads the same settings object."""
    settings.OTP_REQUIRED = False


def login(page: Page, live_server, username: str, password: str = PASSWORD) -> None:
    """Fill the Dutch login form and wait until the browser has left it.

    The login page and the page the user lands on both go through axe-core.
    """
    page.goto(f"{live_server.url}/inloggen/")
    check_accessibility(page)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/inloggen/")
    check_accessibility(page)


def logout(page: Page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_text("U bent uitgelogd.")).to_be_visible()


def required(label: str) -> re.Pattern:
    """The label of a required field, which crispy-forms ends with an asterisk."""
    return re.compile(rf"^\s*{re.escape(label)}\*\s*$")


def docs_screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    """A full-page screenshot for the user guide, written only when asked for.

    The pages show dates, ages and reference numbers, so every run gives new images; writing
    them on request (IPGAR_UPDATE_SCREENSHOTS=1) keeps ordinary test runs from changing docs/.
    The demo banner is left out: it is there only because these tests switch the second
    factor off, and the guide shows the application as its users see it. A long page (the
    monitor) can be taken as far as the window shows (`full_page=False`).
    """
    check_accessibility(page)  # every page the guide shows passes axe-core
    if os.environ.get("IPGAR_UPDATE_SCREENSHOTS") != "1":
        return
    page.locator("[data-testid=demo-banner]").evaluate_all("els => els.forEach(e => e.remove())")
    page.evaluate("document.activeElement?.blur()")  # no focus ring on the last field filled
    DOCS_SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=DOCS_SCREENSHOT_DIR / f"{name}.png", full_page=full_page)


# --- A screenshot of the page on failure -----------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.failed and report.when in ("setup", "call") and isinstance(page, Page):
        FAILURE_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", item.name)
        try:
            page.screenshot(path=FAILURE_DIR / f"{name}.png", full_page=True)
        except Exception as error:  # a broken page must not hide the test's own failure
            report.sections.append(("screenshot", f"Geen schermafdruk: {error}"))
    return report
