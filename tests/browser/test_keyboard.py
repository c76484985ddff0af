"""Issue 11, acceptance 2: two everyday flows with the keyboard alone, in Chromium.

No clicks: the regisseur reaches the logbook form from the top of the case page with Tab,
types, picks the kind with the arrow keys and saves with Enter; the secretary moves an agenda
item with the "Omhoog"/"Omlaag" buttons, and focus stays on the moved item's button after the
agenda is swapped in place (HTMX).
"""

from playwright.sync_api import Page, expect

from cases.constants import LogKind
from meetings import services
from meetings.constants import CaseItemKind
from meetings.models import AgendaItem
from tests.browser import test_case_journey as case_journey
from tests.browser import test_meeting_journey as meeting_journey
from tests.browser.accessibility import check_accessibility
from tests.browser.conftest import login

# The journeys' people and data, as fixtures of this module too.
regisseur, case = case_journey.regisseur, case_journey.case
secretary, itatr = meeting_journey.secretary, meeting_journey.itatr
regisseur2 = meeting_journey.regisseur2
own_case, other_case = meeting_journey.own_case, meeting_journey.other_case
case_items = meeting_journey.case_items

TEXT = "Huisbezoek: Daan vertelt over zijn stage; moeder was erbij."
MAX_TABS = 150


def focused(page: Page, attribute: str = "id") -> str:
    return page.evaluate(f"document.activeElement?.getAttribute('{attribute}') ?? ''")


def tab_to(page: Page, element_id: str) -> int:
    """Press Tab from where focus is until it reaches the element; how many presses it took."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if focused(page) == element_id:
            return presses
    raise AssertionError(f"#{element_id} niet bereikt met {MAX_TABS} keer Tab")


def test_a_regisseur_writes_a_logbook_entry_with_the_keyboard_alone(
    page: Page, live_server, second_factor_off, regisseur, case
):
    login(page, live_server, "regisseur")
    page.goto(f"{live_server.url}/casussen/{case.pk}/")
    check_accessibility(page)

    # From the top: the skip link comes first and takes focus past the menu.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Naar de inhoud")
    page.keyboard.press("Enter")
    tab_to(page, "id_kind")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_kind")).to_have_value(LogKind.PHONE)

    # Saving without a report: the error is announced, linked to the field, and focused.
    tab_to(page, "id_participants")
    page.keyboard.type("Daan, moeder")
    page.keyboard.press("Enter")
    error = page.locator("#id_text_error")
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_contain_text("Schrijf wat er is gebeurd.")
    verslag = page.locator("#id_text")
    expect(verslag).to_have_attribute("aria-invalid", "true")
    expect(verslag).to_have_attribute("aria-describedby", "id_text_error")
    expect(verslag).to_be_focused()
    check_accessibility(page)

    page.keyboard.type(TEXT)
    page.keyboard.press("Tab")
    expect(page.locator("#id_participants")).to_be_focused()
    expect(page.locator("#id_participants")).to_have_value("Daan, moeder")
    page.keyboard.press("Enter")

    expect(
        page.get_by_role("status").filter(has_text="Opgeslagen: telefonisch contact")
    ).to_be_visible()
    expect(page.get_by_test_id("logbook")).to_contain_text(TEXT)
    entry = case.log_entries.get(text=TEXT)
    assert (entry.kind, entry.participants, entry.author) == (
        LogKind.PHONE,
        "Daan, moeder",
        regisseur,
    )


def test_the_secretary_orders_the_agenda_with_the_keyboard_alone(
    page: Page, live_server, second_factor_off, secretary, itatr, own_case, other_case
):
    meeting = itatr.meetings.order_by("starts_at").first()
    for planned in (own_case, other_case):
        plan = planned.plan_versions.get()
        placement = services.Placement(CaseItemKind.PLAN_ADVICE, plan=plan, case=planned)
        services.agenda_place(meeting=meeting, actor=secretary, placement=placement)
    first, second = meeting.items.filter(kind="casus").order_by("order")
    login(page, live_server, "secretaris")
    page.goto(f"{live_server.url}/overleggen/vergadering/{meeting.pk}/")
    check_accessibility(page)

    # The buttons say what they do, also to a screen reader.
    up = page.locator(f"#omhoog-{second.pk}")
    expect(up).to_have_text("Omhoog")
    expect(up).to_have_accessible_name(f"Omhoog: {second.title} eerder behandelen")

    tab_to(page, f"omhoog-{second.pk}")
    page.keyboard.press("Enter")
    expect(case_items(page).first).to_contain_text(second.case.reference)
    # First now: its "Omhoog" is disabled, so focus went to its "Omlaag", still on the item.
    expect(page.locator(f"#omhoog-{second.pk}")).to_be_disabled()
    expect(page.locator(f"#omlaag-{second.pk}")).to_be_focused()
    expect(page.get_by_test_id("agenda-status")).to_have_text(
        f"{second.title} staat nu op plaats 3 van de agenda."
    )

    # htmx wires the swapped-in forms when it settles (20 ms later); a key pressed before that
    # would submit the plain form. A person is never that fast, the test is.
    expect(page.locator(".htmx-added")).to_have_count(0)

    # Space presses "Omlaag": the item is last again, and focus moves to its "Omhoog".
    page.keyboard.press("Space")
    expect(case_items(page).first).to_contain_text(first.case.reference)
    expect(page.locator(f"#omlaag-{second.pk}")).to_be_disabled()
    expect(page.locator(f"#omhoog-{second.pk}")).to_be_focused()
    check_accessibility(page)

    ordered = AgendaItem.objects.filter(meeting=meeting, kind="casus").order_by("order")
    assert list(ordered) == [first, second]
