"""Issue 16, acceptance 3 (and issue 21's agenda points): the secretary drags an agenda item to
another place, and does the same with the keyboard ("Omhoog", "verplaats naar positie N"); each
move is one request. After an item is added and another moved up, the focused button is still
in view, and "Omhoog" on the first and "Omlaag" on the last item are disabled."""

from playwright.sync_api import Page, expect

from meetings import services
from meetings.constants import ItemKind
from meetings.models import AgendaItem, Meeting
from tests.browser import test_meeting_journey as meeting_journey
from tests.browser.conftest import login

secretary, itatr = meeting_journey.secretary, meeting_journey.itatr
TITLES = ["Monitor derde kwartaal", "Caseload regisseurs", "Werkwijze ITAT-R+", "Informatiebeeld"]


def agenda_with_items(itatr, secretary) -> Meeting:
    meeting = itatr.meetings.order_by("starts_at").first()
    for title in TITLES:
        services.agenda_item_add(
            meeting=meeting, actor=secretary, kind=ItemKind.CONSENT, title=title
        )
    return meeting


def titles_in_order(meeting: Meeting) -> list[str]:
    return list(
        AgendaItem.objects.filter(meeting=meeting, kind=ItemKind.CONSENT)
        .order_by("order")
        .values_list("title", flat=True)
    )


def counting(page: Page, fragment: str) -> list[str]:
    seen: list[str] = []
    page.on(
        "request",
        lambda r: seen.append(r.url) if fragment in r.url and r.method == "POST" else None,
    )
    return seen


def in_viewport(page: Page) -> bool:
    return page.evaluate(
        """() => { const r = document.activeElement.getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }"""
    )


def test_the_secretary_drags_an_item_to_another_place_in_one_request(
    page: Page, live_server, second_factor_off, secretary, itatr
):
    meeting = agenda_with_items(itatr, secretary)
    last = AgendaItem.objects.get(meeting=meeting, title=TITLES[-1])
    first = AgendaItem.objects.get(meeting=meeting, title=TITLES[0])
    login(page, live_server, "secretaris")
    page.goto(f"{live_server.url}/overleggen/vergadering/{meeting.pk}/")
    saves = counting(page, "/volgorde/")

    handle = page.locator(f"#punt-{last.pk} .sleep-handvat").bounding_box()
    target = page.locator(f"#punt-{first.pk}").bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(
            handle["x"] + handle["width"] / 2,
            handle["y"] + (target["y"] + 4 - handle["y"]) * step / 10,
        )
    page.mouse.up()

    expect(page.locator(f"#omhoog-{last.pk}")).to_be_disabled()  # it is first now
    assert titles_in_order(meeting) == [TITLES[3], TITLES[0], TITLES[1], TITLES[2]]
    assert len(saves) == 1
    expect(page.get_by_test_id("agenda-status")).to_have_text(
        f"{TITLES[3]} staat nu op plaats 3 van de agenda."
    )


def test_the_same_with_the_keyboard_each_move_one_request_and_focus_stays_in_view(
    page: Page, live_server, second_factor_off, secretary, itatr
):
    page.set_viewport_size({"width": 1024, "height": 600})
    meeting = agenda_with_items(itatr, secretary)
    login(page, live_server, "secretaris")
    page.goto(f"{live_server.url}/overleggen/vergadering/{meeting.pk}/")

    # Add an item through the form: the page comes back at the new item, not the agenda's top.
    page.get_by_label("Soort").select_option(label="Hamerpunt")
    page.get_by_label("Onderwerp").fill("Jaarplanning")
    page.get_by_role("button", name="Toevoegen", exact=True).last.click()
    expect(page.get_by_text("Agendapunt toegevoegd.")).to_be_visible()
    added = AgendaItem.objects.get(meeting=meeting, title="Jaarplanning")
    first = AgendaItem.objects.get(meeting=meeting, title=TITLES[0])
    expect(page.locator(f"#omhoog-{first.pk}")).to_be_disabled()
    expect(page.locator(f"#omlaag-{added.pk}")).to_be_disabled()

    shifts = counting(page, "/schuiven/")
    second = AgendaItem.objects.get(meeting=meeting, title=TITLES[1])
    page.locator(f"#omhoog-{second.pk}").focus()
    page.keyboard.press("Enter")

    expect(page.locator(f"#omhoog-{second.pk}")).to_be_disabled()
    # "Omhoog" is disabled on the first item: focus went to its "Omlaag", still in view.
    expect(page.locator(f"#omlaag-{second.pk}")).to_be_focused()
    assert in_viewport(page)
    assert len(shifts) == 1
    assert titles_in_order(meeting)[:2] == [TITLES[1], TITLES[0]]
    expect(page.locator(".htmx-added")).to_have_count(0)

    # "Verplaats naar positie N": choose the item, type the number, Enter: one request.
    saves = counting(page, "/volgorde/")
    page.get_by_label("Verplaats", exact=True).select_option(value=str(added.pk))
    page.get_by_label("naar positie").fill("1")
    page.get_by_label("naar positie").press("Enter")
    expect(page.locator(f"#omhoog-{added.pk}")).to_be_disabled()
    assert titles_in_order(meeting)[0] == "Jaarplanning"
    assert len(saves) == 1
