"""Acceptance 4 of issue 5: a closed-session item ("besloten deel") exists only for its
attendees. Unique strings are planted in its title, its notes and its decision; no page, list,
PDF (its text and the HTML it was rendered from) or calendar file shown to anyone else carries
any of them. Its attendees do see it, which proves the strings would be found.

The decision meeting of Wednesday 17 February 2027, 09:00; the agenda went out on the 3rd and
the minutes are taken on the day at 11:00."""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.urls import reverse

from ipgar.accounts.models import User
from ipgar.lib import pdf
from meetings import services, views
from meetings.constants import CaseItemKind, DecisionKind, ItemKind, ItemStatus
from meetings.models import AgendaItem, Meeting
from meetings.selectors import is_secretary
from tests.cases.factories import decision_member, regisseur_user, secretary_user
from tests.meetings.factories import (
    BodyFactory,
    advised_plan,
    at,
    meeting_on,
    organisation,
    pdf_text,
)
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

TITLE = "Zwaluwstaartvlinder"
NOTES = "Kraanvogelnest"
DECISION = "Ijsvogelbesluit"
CARRIED = "Roerdompsignaal"
PLANTED = (TITLE, NOTES, DECISION, CARRIED)


@dataclass
class World:
    meeting: Meeting
    following: Meeting
    closed: AgendaItem
    case_item: AgendaItem
    body_secretary: User  # an attendee of the closed session
    attendee: User  # a member who attends it
    member: User  # a member who does not
    other_secretary: User  # holds the secretary role, does not attend
    regisseur: User  # has a case on this agenda
    rendered: list = field(default_factory=list)


@pytest.fixture
def world(time_machine, monkeypatch) -> World:
    time_machine.move_to(at(date(2027, 2, 3), 10), tick=False)
    body_secretary, other_secretary = secretary_user(), secretary_user()
    attendee, member = decision_member(), decision_member()
    body = BodyFactory(
        pto=True,
        secretary=body_secretary,
        first_date=date(2027, 2, 3),
        members=[attendee, member],
        member_organisations=[organisation("OOV"), organisation("POL")],
    )
    meeting = meeting_on(body, date(2027, 2, 17))
    following = meeting_on(body, date(2027, 3, 3))
    regisseur = regisseur_user()
    plan = advised_plan(regisseur=regisseur)
    case_item = services.agenda_place(
        meeting=meeting,
        actor=body_secretary,
        placement=services.Placement(CaseItemKind.PLAN_ADOPTION, plan=plan, case=plan.case),
    )
    closed = services.agenda_item_add(
        meeting=meeting,
        actor=body_secretary,
        kind=ItemKind.POLICY,
        title=f"Signaal uit lopend onderzoek: {TITLE}",
        owner_organisation=organisation("POL"),
        is_closed_session=True,
        closed_attendees=[attendee, body_secretary],
    )
    not_discussed = services.agenda_item_add(
        meeting=meeting,
        actor=body_secretary,
        kind=ItemKind.POLICY,
        title=f"Tweede signaal: {CARRIED}",
        owner_organisation=organisation("POL"),
        is_closed_session=True,
        closed_attendees=[attendee, body_secretary],
    )
    services.agenda_distribute(meeting=meeting, actor=body_secretary)

    time_machine.move_to(at(date(2027, 2, 17), 11), tick=False)
    services.item_minutes_save(
        item=closed,
        actor=body_secretary,
        notes=f"Toelichting door de politie: {NOTES}.",
        status=ItemStatus.DISCUSSED,
    )
    services.decision_record(
        item=closed,
        actor=body_secretary,
        data=services.DecisionData(kind=DecisionKind.GENERAL, text=f"Besloten: {DECISION}."),
    )
    services.item_minutes_save(
        item=not_discussed,
        actor=body_secretary,
        notes="",
        status=ItemStatus.NOT_DISCUSSED,
        carry_note=f"Geen tijd meer voor {CARRIED}.",
    )
    services.action_create(
        body=body,
        actor=body_secretary,
        subject="Voortgang signaal",
        action="Politie koppelt terug in het volgende overleg.",
        owners=[services.OwnerData(user=member)],
        raised_in=meeting,
    )
    world = World(
        meeting=meeting,
        following=following,
        closed=closed,
        case_item=case_item,
        body_secretary=body_secretary,
        attendee=attendee,
        member=member,
        other_secretary=other_secretary,
        regisseur=regisseur,
    )

    def spy(template, context):
        rendered = pdf.render_pdf(template, context)
        world.rendered.append(rendered)
        return rendered

    monkeypatch.setattr(views, "render_pdf", spy)
    return world


def everything_shown(client, world: World, user: User) -> dict[str, tuple[int, str]]:
    """Every meetings page, list, PDF and calendar file, as `user` gets them: status and text.
    For a PDF the text is what pypdf reads from it plus the HTML it was rendered from."""
    signed_in(client, user)
    pages = {}
    urls = {
        "body list": reverse("meetings:body_list"),
        "body page": reverse("meetings:body_detail", args=[world.meeting.body_id]),
        "Mijn werk": reverse("core:my_work"),
        "Mijn werk, also handled": reverse("core:my_work") + "?gelezen=1",
        "regisseur's item page": reverse("meetings:item_detail", args=[world.case_item.pk]),
        "regisseur's slot ics": reverse("meetings:item_ics", args=[world.case_item.pk]),
    }
    for meeting in (world.meeting, world.following):
        when = f"{meeting.starts_at:%d-%m}"
        urls |= {
            f"meeting page {when}": reverse("meetings:meeting_detail", args=[meeting.pk]),
            f"minutes page {when}": reverse("meetings:meeting_minutes", args=[meeting.pk]),
            f"meeting ics {when}": reverse("meetings:meeting_ics", args=[meeting.pk]),
            f"agenda pdf {when}": reverse("meetings:agenda_pdf", args=[meeting.pk]),
            f"minutes pdf {when}": reverse("meetings:minutes_pdf", args=[meeting.pk]),
        }
    for name, url in urls.items():
        world.rendered.clear()
        response = client.get(url)
        text = response.content.decode(errors="replace")
        if response.get("Content-Type") == "application/pdf":
            (rendered,) = world.rendered
            assert rendered.content == response.content
            text = pdf_text(response.content) + "\n" + rendered.html
        pages[name] = (response.status_code, text)
    if is_secretary(user, world.meeting.body):
        # The agenda fragment the reorder buttons swap in (HTMX).
        response = client.post(
            reverse("meetings:agenda_item_shift", args=[world.meeting.pk, world.case_item.pk]),
            {"richting": "omlaag"},
            HTTP_HX_REQUEST="true",
        )
        pages["agenda fragment after a reorder"] = (response.status_code, response.content.decode())
    return pages


def leaks(pages: dict[str, tuple[int, str]]) -> dict[str, list[str]]:
    return {
        name: found
        for name, (_, text) in pages.items()
        if (found := [planted for planted in PLANTED if planted in text])
    }


def statuses(pages):
    return {name: status for name, (status, _) in pages.items()}


def test_a_member_who_does_not_attend_finds_it_nowhere(client, world):
    pages = everything_shown(client, world, world.member)

    assert leaks(pages) == {}
    shown = {name for name, status in statuses(pages).items() if status == 200}
    assert {
        "body list",
        "body page",
        "Mijn werk",
        "meeting page 17-02",
        "agenda pdf 17-02",
        "minutes pdf 17-02",
        "meeting ics 17-02",
        "meeting page 03-03",
        "agenda pdf 03-03",
    } <= shown
    assert statuses(pages)["minutes page 17-02"] == 403


def test_a_secretary_who_does_not_attend_finds_it_nowhere(client, world):
    pages = everything_shown(client, world, world.other_secretary)

    assert leaks(pages) == {}
    assert statuses(pages)["minutes page 17-02"] == 200
    assert statuses(pages)["minutes pdf 17-02"] == 200
    assert statuses(pages)["agenda fragment after a reorder"] == 200


def test_a_regisseur_with_a_case_on_the_agenda_finds_it_nowhere(client, world):
    pages = everything_shown(client, world, world.regisseur)

    assert leaks(pages) == {}
    assert statuses(pages)["regisseur's item page"] == 200
    assert statuses(pages)["regisseur's slot ics"] == 200
    assert statuses(pages)["meeting page 17-02"] == 404


def test_its_attendees_do_see_it(client, world):
    pages = everything_shown(client, world, world.attendee)

    meeting_page = pages["meeting page 17-02"][1]
    assert TITLE in meeting_page and DECISION in meeting_page
    minutes_pdf = pages["minutes pdf 17-02"][1]
    assert all(planted in minutes_pdf for planted in (TITLE, NOTES, DECISION, CARRIED))
    assert CARRIED in pages["meeting page 03-03"][1]  # carried over, still closed


def test_the_pdf_text_itself_names_it_for_an_attendee(client, world):
    """The extraction really reads the planted strings; its absence above is no accident."""
    signed_in(client, world.attendee)

    response = client.get(reverse("meetings:minutes_pdf", args=[world.meeting.pk]))

    text = pdf_text(response.content)
    assert all(planted in text for planted in (TITLE, NOTES, DECISION))


def test_the_carried_over_copy_stays_closed_for_the_same_attendees(world):
    copy = AgendaItem.objects.get(meeting=world.following, carried_from__isnull=False)

    assert copy.is_closed_session
    assert set(copy.closed_attendees.all()) == {world.attendee, world.body_secretary}


def test_a_secretary_who_does_not_attend_cannot_minute_it(client, world):
    signed_in(client, world.other_secretary)
    args = [world.meeting.pk, world.closed.pk]

    notes = client.post(
        reverse("meetings:item_minutes_save", args=args),
        {
            f"m{world.closed.pk}-notes": "Overschreven",
            f"m{world.closed.pk}-status": "besproken",
            f"m{world.closed.pk}-lock_version": world.closed.lock_version,
        },
    )
    decision = client.post(
        reverse("meetings:decision_record", args=args),
        {f"d{world.closed.pk}-kind": DecisionKind.GENERAL, f"d{world.closed.pk}-text": "Nee"},
    )

    assert (notes.status_code, decision.status_code) == (404, 404)
    world.closed.refresh_from_db()
    assert NOTES in world.closed.notes
    assert world.closed.decisions.count() == 1
