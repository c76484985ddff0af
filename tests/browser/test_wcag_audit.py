"""Issue 21 (WCAG 2.1 AA) and issue 15, acceptance 1, 3 and 4: the one crawl of the demo, with
the link checker, the Dutch-language check and the audit over every page it reaches.

The demo data is seeded once for this module and served by one live server; the link
checker's crawl (tests/crawl_roles.py) walks it for every demo role with Django's test client.
Every link a role is shown must open for it (no 403, 404 or 5xx) and every page it reads must
read as Dutch (tests/link_checks.py). Chromium then opens each page it read, once per role and
kind of page (URL name), and:

1. runs axe-core with the WCAG 2.0/2.1 A and AA tags: no violation of any impact;
2. measures reflow at 1280, 390 and 320 px: `scrollWidth <= innerWidth` (a table may scroll
   inside its own `.table-responsive` box, and every table is in one);
3. sets the text spacing of WCAG 1.4.12 and finds no text clipped;

and submits each kind of POST form empty, with the browser's own validation off, and runs
axe-core on the error state the server answers. The focus indicator is measured with the
keyboard on five representative pages: every element Tab reaches shows a ring of at least 3:1
against the background around it. The menu fits one line at 1366 px for every role.

Only reads, apart from the empty submissions (which the server refuses): the data stays for
the whole module and is flushed once at its end.
"""

import logging
from collections import defaultdict
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from playwright.sync_api import Browser, BrowserContext
from playwright.sync_api import Error as PlaywrightError
from pytest_django.live_server_helper import LiveServer

from ipgar.accounts.models import User
from tests.browser.accessibility import RUN_AXE, WCAG_21_AA, axe_source, format_violations
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.wcag import (
    clipped_text_with_spacing,
    focus_indicator,
    loose_tables,
    overflow,
)
from tests.conftest import _audit_log_triggers, seed_reference_data
from tests.crawl_roles import crawl_role, summary
from tests.ipgar.test_seed_demo import DEMO_USERNAMES
from tests.link_checks import broken_report, dutch_findings
from tests.reliability.crawl import Form, parse

WIDTHS = (1280, 390, 320)
DESKTOP = {"width": 1280, "height": 900}
MENU_WIDTH = 1366
MIN_FOCUS_CONTRAST = 3.0
MAX_TAB_STOPS = 250
# Five representative pages for the focus indicator: (role, URL name), on white, light grey,
# a coloured alert, a table and the dark header.
FOCUS_PAGES = (
    ("regisseur", "core:my_work"),
    ("regisseur", "cases:case_detail"),
    ("intake", "reminders:deadline_list"),
    ("intake", "intake:report_list"),
    ("programma", "monitor:dashboard"),
)
# Marks the module as using the database, so the test database is set up; each test then reads
# (and the form test writes) inside a transaction that is rolled back, over the seeded demo.
pytestmark = pytest.mark.django_db

ERROR_STATE = "[aria-invalid=true], .is-invalid, .invalid-feedback, .errorlist, .alert-danger"


@dataclass
class Audit:
    pages: list[tuple[str, str, str]] = field(default_factory=list)  # (role, url, view)
    forms: dict[str, tuple[str, Form]] = field(default_factory=dict)  # view -> (role, form)
    axe: dict[str, str] = field(default_factory=dict)  # page -> violations
    reflow: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    tables: list[str] = field(default_factory=list)
    spacing: list[str] = field(default_factory=list)
    spacing_applied: int = 0


@pytest.fixture(scope="module", autouse=True)
def quiet_logs() -> Iterator[None]:
    """The crawl renders every PDF and refuses empty forms: thousands of log lines otherwise."""
    loggers = [logging.getLogger(name) for name in ("django.request", "weasyprint", "axes")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[LiveServer]:
    """The demo data, seeded once and committed, behind one live server for the module."""
    # The crawl's sessions serve the browser for the whole module, which on a busy machine
    # lasts longer than the 15 minutes a session may stay idle.
    with django_db_blocker.unblock(), override_settings(SESSION_IDLE_TIMEOUT=timedelta(hours=2)):
        call_command("seed_demo", stdout=StringIO())
        server = LiveServer("localhost")
        try:
            yield server
        finally:
            server.stop()
            _audit_log_triggers(installed=False)
            call_command("flush", interactive=False, verbosity=0)
            _audit_log_triggers(installed=True)
            seed_reference_data()


@pytest.fixture(scope="module")
def sessions(demo, django_db_blocker) -> dict[str, tuple[Client, object]]:
    """Each demo role's crawl, on a client whose session the browser then borrows."""
    walks = {}
    with django_db_blocker.unblock():
        for username in DEMO_USERNAMES:
            client = Client()
            walks[username] = (client, crawl_role(client, User.objects.get(username=username)))
    return walks


@pytest.fixture
def demo_walks(sessions) -> dict:
    return {username: walk for username, (_, walk) in sessions.items()}


# --- Issue 15, acceptance 1 and 3: the link checker and the Dutch-language check -------------


def test_every_link_each_demo_role_is_shown_opens_for_it(demo_walks):
    assert set(demo_walks) == set(DEMO_USERNAMES)
    for walk in demo_walks.values():
        assert walk.pages["/mijn-werk/"].status == 200, walk.username
        assert len(walk.parsed) > 1, walk.username

    broken = broken_report(demo_walks)
    print(summary(demo_walks))
    print("\n".join(broken))
    assert broken == []


def test_no_page_shows_a_placeholder_an_iso_date_a_wrong_plural_or_an_org_code(demo_walks):
    findings = dutch_findings(demo_walks)
    print("\n".join(findings))
    assert findings == []


# --- Issue 21: the audit in Chromium -----------------------------------------------------------


def role_context(browser: Browser, demo: LiveServer, client: Client) -> BrowserContext:
    context = browser.new_context(
        locale="nl-NL", timezone_id="Europe/Amsterdam", viewport=DESKTOP, reduced_motion="reduce"
    )
    context.set_default_timeout(TIMEOUT_MS)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": demo.url, "httpOnly": True}]
    )
    return context


def run_axe(page) -> list[dict]:
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(RUN_AXE, WCAG_21_AA)


@pytest.fixture(scope="module")
def audit(browser, demo, sessions, django_db_blocker) -> Audit:
    """Open every page of the crawl once per role and kind, and measure it."""
    found = Audit()
    with django_db_blocker.unblock():
        for username, (client, walk) in sessions.items():
            context = role_context(browser, demo, client)
            page = context.new_page()
            seen_views = set()
            for crawled in walk.parsed:
                if crawled.view in seen_views:
                    continue
                seen_views.add(crawled.view)
                where = f"{username} {crawled.url}"
                found.pages.append((username, crawled.url, crawled.view))
                for form in parse(crawled.url, crawled.html)[1]:
                    if form.method == "post" and any(f.required for f in form.fields.values()):
                        found.forms.setdefault(form.view_name, (username, form))
                page.set_viewport_size(DESKTOP)
                page.goto(demo.url + crawled.url)
                violations = run_axe(page)
                if violations:
                    found.axe[where] = format_violations(violations)
                found.tables.extend(f"{where}: {table}" for table in loose_tables(page))
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 800})
                    measured = overflow(page)
                    if measured["scrollWidth"] > measured["innerWidth"]:
                        found.reflow[width].append(
                            f"{where}: {measured['scrollWidth']} px; {measured['sticking']}"
                        )
                page.set_viewport_size(DESKTOP)
                spacing = clipped_text_with_spacing(page)
                found.spacing_applied += spacing["applied"]
                found.spacing.extend(f"{where}: {el}" for el in spacing["clipped"])
            context.close()
    roles = {role for role, _, _ in found.pages}
    print(f"WCAG-audit: {len(found.pages)} pagina's van {len(roles)} rollen in Chromium")
    return found


def test_the_crawl_reaches_the_pages_of_every_role(audit):
    roles = {role for role, _, _ in audit.pages}
    assert roles == set(DEMO_USERNAMES)
    assert len(audit.pages) >= 100, len(audit.pages)


def test_axe_finds_no_wcag_21_aa_violation_on_any_page_of_the_crawl(audit):
    assert audit.axe == {}, "\n".join(f"{page}:\n{found}" for page, found in audit.axe.items())


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_the_window(audit, width):
    assert audit.reflow[width] == [], "\n".join(audit.reflow[width])


def test_every_table_scrolls_inside_its_own_box(audit):
    assert audit.tables == [], "\n".join(audit.tables)


def test_no_text_is_clipped_with_the_text_spacing_of_wcag_1_4_12(audit):
    assert audit.spacing_applied == len(audit.pages)  # the spacing took effect on every page
    assert audit.spacing == [], "\n".join(audit.spacing)


def test_the_error_state_of_every_form_has_no_axe_violation(audit, browser, demo, sessions):
    """Each kind of POST form of the crawl, submitted with its fields emptied."""
    violations, without_error = {}, []
    by_role = defaultdict(list)
    for view, (username, form) in sorted(audit.forms.items()):
        by_role[username].append((view, form))
    for username, forms in by_role.items():
        context = role_context(browser, demo, sessions[username][0])
        page = context.new_page()
        for view, form in forms:
            page.goto(demo.url + form.page)
            action = form.action.removeprefix("http://testserver")
            if not page.evaluate(SUBMIT_EMPTY, [action, ERROR_STATE]):
                without_error.append(f"{view}: formulier niet gevonden op {form.page}")
                continue
            # The submission may navigate while the condition is checked.
            with suppress(PlaywrightError):
                page.wait_for_function(WAIT_FOR_ANSWER, arg=ERROR_STATE)
            page.wait_for_load_state("load")
            if not page.locator(ERROR_STATE).count():
                without_error.append(f"{view} ({username} op {form.page})")
            found = run_axe(page)
            if found:
                violations[f"{view} ({username})"] = format_violations(found)
        context.close()
    print(f"WCAG-audit: {len(audit.forms)} formulieren leeg verstuurd")
    assert len(audit.forms) >= 20, sorted(audit.forms)
    assert violations == {}, "\n".join(f"{view}:\n{text}" for view, text in violations.items())
    assert without_error == [], "leeg verstuurd zonder foutmelding:\n" + "\n".join(without_error)


# Empty every field the user fills in, switch the browser's own validation off (the server's
# error state is what is audited) and submit as the first submit button would.
SUBMIT_EMPTY = """([action, errors]) => {
  const path = (value) => new URL(value, location.href).pathname;
  const target = (f) => f.getAttribute("hx-post") || f.getAttribute("action") || location.href;
  const form = [...document.forms].find((f) => path(target(f)) === path(action));
  if (!form) return false;
  form.noValidate = true;
  for (const el of form.elements) {
    if (el.type === "hidden" || el.type === "submit" || el.type === "button") continue;
    if (el.type === "checkbox" || el.type === "radio") el.checked = false;
    else if (el.tagName === "SELECT") el.selectedIndex = [...el.options].findIndex((o) => !o.value);
    else el.value = "";
  }
  window.__wcagBefore = document.querySelectorAll(errors).length + 1;
  form.requestSubmit(form.querySelector("[type=submit]") || undefined);
  return true;
}"""


# The answer has come: a new page (the marker is gone), or more error signs than before (HTMX).
WAIT_FOR_ANSWER = """(errors) =>
  !window.__wcagBefore || document.querySelectorAll(errors).length + 1 > window.__wcagBefore"""


def test_the_focus_indicator_has_3_to_1_against_its_background(browser, demo, sessions):
    """Tab through five representative pages; measure the ring on every element it reaches."""
    weak, measured = [], 0
    for username, view in FOCUS_PAGES:
        client, walk = sessions[username]
        url = next(page.url for page in walk.parsed if page.view == view)
        context = role_context(browser, demo, client)
        page = context.new_page()
        page.goto(demo.url + url)
        seen = set()
        for _ in range(MAX_TAB_STOPS):
            page.keyboard.press("Tab")
            found = focus_indicator(page)
            if found is None or found["element"] in seen:
                break
            seen.add(found["element"])
            measured += 1
            if found["contrast"] < MIN_FOCUS_CONTRAST:
                weak.append(f"{username} {url}: {found}")
        assert len(seen) >= 5, f"{url}: {seen}"
        context.close()
    print(f"WCAG-audit: focusindicator op {measured} elementen gemeten")
    assert weak == [], "\n".join(weak)


def test_the_menu_fits_one_line_at_1366_px_for_every_role(browser, demo, sessions):
    """Brand, menu items, search box and the user's name all sit on the header's one line."""
    too_long = []
    for username, (client, _) in sessions.items():
        context = role_context(browser, demo, client)
        page = context.new_page()
        page.set_viewport_size({"width": MENU_WIDTH, "height": 800})
        page.goto(demo.url + "/mijn-werk/")
        header = page.evaluate(HEADER_LINE)
        middles = header["middles"]
        if max(middles) - min(middles) > ONE_LINE_PX or header["wrapped"]:
            too_long.append(f"{username}: {header}")
        context.close()
    assert too_long == [], "\n".join(too_long)


ONE_LINE_PX = 12
# The vertical middle of every item in the header, and the items whose own text wraps.
HEADER_LINE = """() => {
  const items = [...document.querySelectorAll(
    "header .navbar-brand, #hoofdmenu .nav-link, #hoofdmenu [role=search], "
    + "[data-testid=current-user]")];
  const lines = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    // Text on one line: the fragments' bottoms differ by less than half a line (icons sit lower).
    const bottoms = [...range.getClientRects()].map((r) => r.bottom).sort((a, b) => a - b);
    return 1 + bottoms.filter((b, i) => i > 0 && b - bottoms[i - 1] > 10).length;
  };
  return {
    middles: items.map((el) => el.getBoundingClientRect())
      .map((box) => Math.round(box.top + box.height / 2)),
    wrapped: items.filter((el) => el.matches(".nav-link") && lines(el) > 1)
      .map((el) => el.innerText.trim()),
  };
}"""
