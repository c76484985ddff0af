"""The agenda: slots, order, moving items, distribution, calendar files, the standard and
policy items, extra meetings and the cycle.

The ITAT-R below meets every third Thursday at 13:00 for three hours with 20-minute slots:
4 February, 25 February and 18 March 2027. Three regisseurs each submitted a plan on
Wednesday 10 February, the moment time stands still at."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cases import permissions
from cases.exceptions import TransitionNotAllowed
from ipgar.accounts.models import User
from ipgar.notifications.models import Notification
from meetings import selectors, services
from meetings.constants import CaseItemKind, ItemKind, ItemStatus, MeetingStatus, Weekday
from meetings.models import AgendaItem, Meeting
from tests.cases.factories import itatr_member, regisseur_user, secretary_user
from tests.meetings.factories import (
    AMSTERDAM,
    BodyFactory,
    at,
    meeting_on,
    organisation,
    submitted_plan,
)
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

MEETING, FOLLOWING = date(2027, 2, 25), date(2027, 3, 18)


@dataclass
class Agenda:
    meeting: Meeting
    following: Meeting
    secretary: User
    members: list[User]
    regisseurs: list[User]
    items: list[AgendaItem]  # the three plans, in the order they were placed


@pytest.fixture
def agenda(time_machine) -> Agenda:
    time_machine.move_to(at(date(2027, 2, 10)), tick=False)
    secretary = secretary_user()
    members = [itatr_member(organisation("POL")), itatr_member(organisation("GGD"))]
    body = BodyFactory(
        itatr=True, secretary=secretary, first_date=date(2027, 2, 4), members=members
    )
    services.meetings_generate(body=body, until=FOLLOWING, actor=secretary)
    meeting = body.meetings.get(cycle_date=MEETING)
    regisseurs = [regisseur_user() for _ in range(3)]
    items = [
        services.agenda_place(
            meeting=meeting,
            actor=secretary,
            placement=services.Placement(CaseItemKind.PLAN_ADVICE, plan=plan, case=plan.case),
        )
        for plan in (submitted_plan(regisseur=regisseur) for regisseur in regisseurs)
    ]
    return Agenda(
        meeting=meeting,
        following=body.meetings.get(cycle_date=FOLLOWING),
        secretary=secretary,
        members=members,
        regisseurs=regisseurs,
        items=items,
    )


def hhmm(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def slot_times(meeting: Meeting) -> list[tuple[int, str, str]]:
    return [
        (row["item"].pk, hhmm(row["start"]), hhmm(row["end"]))
        for row in selectors.slots_for(meeting)
    ]


def shift(agenda: Agenda, item: AgendaItem, *, up: bool) -> None:
    services.agenda_item_shift(item=item, actor=agenda.secretary, up=up)


# --- Slots ------------------------------------------------------------------------------------


class TestSlots:
    def test_case_items_get_consecutive_20_minute_slots_from_the_start(self, agenda):
        first, second, third = agenda.items

        assert slot_times(agenda.meeting) == [
            (first.pk, "13:00", "13:20"),
            (second.pk, "13:20", "13:40"),
            (third.pk, "13:40", "14:00"),
        ]
        assert {item.slot_minutes for item in agenda.items} == {20}

    def test_policy_items_between_them_take_no_slot(self, agenda):
        policy = services.agenda_item_add(
            meeting=agenda.meeting,
            actor=agenda.secretary,
            kind=ItemKind.POLICY,
            title="Concept beoordelingskader",
            owner_organisation=organisation("OOV"),
        )
        services.agenda_item_shift(item=policy, actor=agenda.secretary, up=True)

        assert [start for _, start, _ in slot_times(agenda.meeting)] == [
            "13:00",
            "13:20",
            "13:40",
        ]

    def test_the_slot_length_is_the_bodys_own(self, time_machine):
        time_machine.move_to(at(date(2027, 2, 1)), tick=False)
        secretary = secretary_user()
        pto = BodyFactory(pto=True, secretary=secretary, first_date=date(2027, 2, 3))
        meeting = meeting_on(pto, date(2027, 2, 17))
        plans = [submitted_plan() for _ in range(2)]
        for plan in plans:
            services.agenda_place(
                meeting=meeting,
                actor=secretary,
                placement=services.Placement(CaseItemKind.PLAN_ADVICE, plan=plan, case=plan.case),
            )

        assert [(start, end) for _, start, end in slot_times(meeting)] == [
            ("09:00", "09:15"),
            ("09:15", "09:30"),
        ]

    def test_the_meeting_page_shows_each_slot_and_warns_when_they_overrun(self, client, agenda):
        signed_in(client, agenda.secretary)
        url = reverse("meetings:meeting_detail", args=[agenda.meeting.pk])

        html = client.get(url).content.decode()

        assert all(slot in html for slot in ("13:00–13:20", "13:20–13:40", "13:40–14:00"))
        assert "lopen over het einde" not in html
        Meeting.objects.filter(pk=agenda.meeting.pk).update(duration_minutes=50)
        assert "De tijdsloten lopen over het einde van de vergadering heen." in (
            client.get(url).content.decode()
        )


# --- Order ------------------------------------------------------------------------------------


class TestOrder:
    def test_an_item_can_be_taken_earlier_and_its_slot_moves_along(self, agenda):
        first, second, third = agenda.items

        shift(agenda, third, up=True)

        assert [pk for pk, _, _ in slot_times(agenda.meeting)] == [first.pk, third.pk, second.pk]
        assert slot_times(agenda.meeting)[1] == (third.pk, "13:20", "13:40")

    def test_an_item_can_be_taken_later(self, agenda):
        first, second, third = agenda.items

        shift(agenda, first, up=False)

        assert [pk for pk, _, _ in slot_times(agenda.meeting)] == [second.pk, first.pk, third.pk]

    def test_the_standard_items_keep_their_place_at_the_top_and_the_bottom(self, agenda):
        first, *_ = agenda.items

        shift(agenda, first, up=True)  # already the first movable item: nothing happens

        kinds = list(agenda.meeting.items.order_by("order", "pk").values_list("kind", flat=True))
        assert kinds == [
            ItemKind.OPENING,
            ItemKind.PREVIOUS_MINUTES,
            ItemKind.CASE,
            ItemKind.CASE,
            ItemKind.CASE,
            ItemKind.AOB,
            ItemKind.CLOSING,
        ]
        assert agenda.meeting.items.filter(kind=ItemKind.CASE).order_by("order")[0] == first

    def test_asking_to_move_a_standard_item_changes_nothing(self, client, agenda):
        opening = agenda.meeting.items.get(kind=ItemKind.OPENING)
        before = list(agenda.meeting.items.order_by("order", "pk").values_list("pk", flat=True))
        signed_in(client, agenda.secretary)

        response = client.post(
            reverse("meetings:agenda_item_shift", args=[agenda.meeting.pk, opening.pk]),
            {"richting": "omlaag"},
        )

        assert response.status_code == 302
        after = list(agenda.meeting.items.order_by("order", "pk").values_list("pk", flat=True))
        assert after == before

    def test_a_reorder_is_kept_in_history_under_the_secretary(self, agenda):
        _, second, third = agenda.items

        shift(agenda, third, up=True)

        for item in (second, third):
            assert item.history.order_by("-history_id")[0].history_user == agenda.secretary

    def test_the_htmx_reorder_returns_the_agenda_fragment_in_the_new_order(self, client, agenda):
        first, second, third = agenda.items
        signed_in(client, agenda.secretary)

        response = client.post(
            reverse("meetings:agenda_item_shift", args=[agenda.meeting.pk, third.pk]),
            {"richting": "omhoog"},
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="agenda",
        )

        assert response.status_code == 200
        html = response.content.decode()
        assert html.lstrip().startswith('<div id="agenda">')
        assert "<html" not in html
        positions = [html.index(f'id="punt-{item.pk}"') for item in (first, third, second)]
        assert positions == sorted(positions)
        assert html.index("13:20–13:40") > html.index(f'id="punt-{third.pk}"')

    def test_without_htmx_the_reorder_returns_to_the_agenda(self, client, agenda):
        signed_in(client, agenda.secretary)

        response = client.post(
            reverse("meetings:agenda_item_shift", args=[agenda.meeting.pk, agenda.items[2].pk]),
            {"richting": "omhoog"},
        )

        assert response["Location"] == (
            reverse("meetings:meeting_detail", args=[agenda.meeting.pk]) + "#agenda"
        )


# --- Moving an item to another meeting ----------------------------------------------------------


class TestMoving:
    def test_an_item_moves_to_a_later_meeting_of_the_same_body(self, client, agenda):
        item = agenda.items[1]
        signed_in(client, agenda.secretary)

        response = client.post(
            reverse("meetings:agenda_item_move", args=[agenda.meeting.pk]),
            {"punt": item.pk, "naar": agenda.following.pk},
        )

        assert response["Location"] == (
            reverse("meetings:meeting_detail", args=[agenda.following.pk]) + "#agenda"
        )
        item.refresh_from_db()
        assert item.meeting == agenda.following
        assert slot_times(agenda.following) == [(item.pk, "13:00", "13:20")]
        assert [pk for pk, _, _ in slot_times(agenda.meeting)] == [
            agenda.items[0].pk,
            agenda.items[2].pk,
        ]
        assert item.history.order_by("-history_id")[0].history_user == agenda.secretary

    def test_an_item_does_not_move_to_another_body(self, client, agenda):
        elsewhere = BodyFactory(itatr=True, first_date=date(2027, 2, 4))
        target = meeting_on(elsewhere, FOLLOWING)
        item = agenda.items[0]

        with pytest.raises(TransitionNotAllowed) as refused:
            services.agenda_item_move(item=item, to_meeting=target, actor=agenda.secretary)

        assert refused.value.message == "Een agendapunt verhuist alleen binnen hetzelfde overleg."
        signed_in(client, agenda.secretary)
        response = client.post(
            reverse("meetings:agenda_item_move", args=[agenda.meeting.pk]),
            {"punt": item.pk, "naar": target.pk},
        )
        assert response.status_code == 404
        assert AgendaItem.objects.get(pk=item.pk).meeting == agenda.meeting

    def test_an_item_does_not_move_to_a_past_meeting(self, agenda):
        past = meeting_on(agenda.meeting.body, date(2027, 2, 4))

        with pytest.raises(TransitionNotAllowed) as refused:
            services.agenda_item_move(item=agenda.items[0], to_meeting=past, actor=agenda.secretary)

        assert refused.value.message == "Kies een geplande vergadering in de toekomst."

    def test_a_discussed_item_stays_where_it_was_discussed(self, agenda, time_machine):
        item = agenda.items[0]
        time_machine.move_to(at(MEETING, 16), tick=False)
        services.item_minutes_save(
            item=item, actor=agenda.secretary, notes="Besproken.", status=ItemStatus.DISCUSSED
        )

        with pytest.raises(TransitionNotAllowed) as refused:
            services.agenda_item_move(
                item=item, to_meeting=agenda.following, actor=agenda.secretary
            )

        assert refused.value.message == "Een besproken agendapunt verhuist niet meer."

    def test_a_reason_over_300_characters_is_refused_in_dutch_kept_and_nothing_moves(
        self, client, agenda, time_machine
    ):
        # Six days before the following meeting: the move needs a reason, and keeps it.
        time_machine.move_to(at(date(2027, 3, 12)), tick=False)
        item = agenda.items[1]
        typed = "Spoed: " + "x" * 294
        assert len(typed) == 301
        signed_in(client, agenda.secretary)
        url = reverse("meetings:agenda_item_move", args=[agenda.meeting.pk])

        refused = client.post(url, {"punt": item.pk, "naar": agenda.following.pk, "reden": typed})

        html = refused.content.decode()
        assert refused.status_code == 400
        assert "niet meer dan 300 tekens" in html
        assert typed in html  # the typed reason stays in the form
        item.refresh_from_db()
        assert (item.meeting, item.move_reason) == (agenda.meeting, "")
        with pytest.raises(TransitionNotAllowed) as too_long:
            services.agenda_item_move(
                item=item,
                to_meeting=agenda.following,
                actor=agenda.secretary,
                override_reason=typed,
            )
        assert too_long.value.message == "Reden: ten hoogste 300 tekens (nu 301)."

        moved = client.post(
            url, {"punt": item.pk, "naar": agenda.following.pk, "reden": typed[:300]}
        )

        assert moved.status_code == 302
        item.refresh_from_db()
        assert (item.meeting, item.move_reason) == (agenda.following, typed[:300])


# --- Distributing the agenda ----------------------------------------------------------------


class TestDistribution:
    def test_members_get_the_whole_agenda(self, agenda):
        services.agenda_distribute(meeting=agenda.meeting, actor=agenda.secretary)

        short = agenda.meeting.body.short_name
        for member in agenda.members:
            (notification,) = Notification.objects.filter(recipient=member)
            assert (notification.kind, notification.title, notification.link) == (
                "agenda",
                f"Agenda {short} van 25-02-2027",
                reverse("meetings:meeting_detail", args=[agenda.meeting.pk]),
            )
            assert notification.due_date == MEETING

    def test_each_regisseur_hears_only_about_their_own_item_and_its_time(self, agenda):
        services.agenda_distribute(meeting=agenda.meeting, actor=agenda.secretary)

        short = agenda.meeting.body.short_name
        for regisseur, item, start in zip(
            agenda.regisseurs, agenda.items, ("13:00", "13:20", "13:40"), strict=True
        ):
            (notification,) = Notification.objects.filter(recipient=regisseur)
            assert notification.kind == "agendapunt"
            assert notification.title == (
                f"Uw casus op de agenda van {short}: 25-02-2027 om {start}"
            )
            assert notification.link == reverse("meetings:item_detail", args=[item.pk])
            assert notification.object_id == str(item.pk)

    def test_the_secretary_is_told_nothing_and_sending_twice_sends_nothing_new(self, agenda):
        services.agenda_distribute(meeting=agenda.meeting, actor=agenda.secretary)
        services.agenda_distribute(meeting=agenda.meeting, actor=agenda.secretary)

        assert Notification.objects.count() == len(agenda.members) + len(agenda.regisseurs)
        assert not Notification.objects.filter(recipient=agenda.secretary).exists()

    def test_the_sending_is_recorded_on_the_meeting(self, client, agenda):
        signed_in(client, agenda.secretary)

        response = client.post(
            reverse("meetings:agenda_distribute", args=[agenda.meeting.pk]), follow=True
        )

        html = response.content.decode()
        assert "Agenda verstuurd: leden krijgen de hele agenda" in html
        assert "agenda verstuurd 10-02-2027" in html
        meeting = Meeting.objects.get(pk=agenda.meeting.pk)
        assert meeting.agenda_sent_at == at(date(2027, 2, 10))
        assert meeting.history.order_by("-history_id")[0].history_user == agenda.secretary

    def test_a_past_meeting_is_not_sent(self, agenda, time_machine):
        time_machine.move_to(at(MEETING, 14), tick=False)

        with pytest.raises(TransitionNotAllowed, match="Deze vergadering is al geweest."):
            services.agenda_distribute(meeting=agenda.meeting, actor=agenda.secretary)

        assert not Notification.objects.exists()


# --- What a regisseur and an ITAT-R member get ---------------------------------------------------


class TestTheRegisseursItem:
    def test_the_item_page_shows_the_slot_and_nothing_of_the_other_cases(self, client, agenda):
        item = agenda.items[1]
        signed_in(client, agenda.regisseurs[1])

        response = client.get(reverse("meetings:item_detail", args=[item.pk]))

        html = response.content.decode()
        assert "Uw tijdslot: <strong>13:20–13:40</strong>" in html
        assert item.case.reference in html
        for other in (agenda.items[0], agenda.items[2]):
            assert other.case.reference not in html
            assert other.case.subject.last_name not in html

    def test_the_slot_ics_holds_the_slot_and_no_name(self, client, agenda):
        item = agenda.items[1]
        signed_in(client, agenda.regisseurs[1])

        response = client.get(reverse("meetings:item_ics", args=[item.pk]))

        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert f'filename="agendapunt-{item.pk}.ics"' in response["Content-Disposition"]
        (event,) = Calendar.from_ical(response.content).walk("VEVENT")
        assert event.decoded("dtstart") == datetime(2027, 2, 25, 13, 20, tzinfo=AMSTERDAM)
        assert event.decoded("dtend") == datetime(2027, 2, 25, 13, 40, tzinfo=AMSTERDAM)
        assert str(event["summary"]) == f"{agenda.meeting.body.short_name}: uw casusbespreking"
        assert str(event["location"]) == "Stadhuis Amsterdam, Amstel 1"
        assert str(event["url"]).endswith(reverse("meetings:item_detail", args=[item.pk]))
        text = response.content.decode()
        subject = item.case.subject
        assert subject.first_name not in text and subject.last_name not in text
        assert item.case.reference not in text

    def test_the_meeting_ics_holds_the_whole_meeting(self, client, agenda):
        signed_in(client, agenda.members[0])

        response = client.get(reverse("meetings:meeting_ics", args=[agenda.meeting.pk]))

        (event,) = Calendar.from_ical(response.content).walk("VEVENT")
        assert event.decoded("dtstart") == datetime(2027, 2, 25, 13, 0, tzinfo=AMSTERDAM)
        assert event.decoded("dtend") == datetime(2027, 2, 25, 16, 0, tzinfo=AMSTERDAM)
        assert str(event["summary"]) == agenda.meeting.body.name
        assert str(event["uid"]) == f"meeting-{agenda.meeting.pk}@ipgar"

    def test_itatr_members_read_the_cases_on_its_agenda(self, agenda):
        outsider = itatr_member(organisation("WPI"))

        for item in agenda.items:
            for member in agenda.members:
                assert permissions.cases_visible_to(member).filter(pk=item.case_id).exists()
            assert not permissions.cases_visible_to(outsider).filter(pk=item.case_id).exists()


# --- Items added by hand ----------------------------------------------------------------------


class TestItemsAddedByHand:
    def test_a_policy_item_needs_an_owner_organisation(self, agenda):
        with pytest.raises(TransitionNotAllowed) as refused:
            services.agenda_item_add(
                meeting=agenda.meeting,
                actor=agenda.secretary,
                kind=ItemKind.POLICY,
                title="Monitor derde kwartaal",
            )

        assert refused.value.message == "Een beleidsonderwerp heeft een eigenaar (organisatie)."

    def test_the_form_says_so_and_adds_nothing(self, client, agenda):
        signed_in(client, agenda.secretary)
        count = agenda.meeting.items.count()

        response = client.post(
            reverse("meetings:agenda_item_add", args=[agenda.meeting.pk]),
            {"kind": ItemKind.POLICY, "title": "Monitor derde kwartaal"},
        )

        assert response.status_code == 200
        assert "Een beleidsonderwerp heeft een eigenaar." in response.content.decode()
        assert agenda.meeting.items.count() == count

    def test_with_its_owner_it_goes_before_any_other_business(self, client, agenda):
        signed_in(client, agenda.secretary)

        client.post(
            reverse("meetings:agenda_item_add", args=[agenda.meeting.pk]),
            {
                "kind": ItemKind.POLICY,
                "title": "Monitor derde kwartaal",
                "owner_organisation": organisation("OOV").pk,
            },
        )

        kinds = list(agenda.meeting.items.order_by("order", "pk").values_list("kind", flat=True))
        assert kinds[-3:] == [ItemKind.POLICY, ItemKind.AOB, ItemKind.CLOSING]
        policy = agenda.meeting.items.get(kind=ItemKind.POLICY)
        assert policy.owner_organisation == organisation("OOV")
        assert policy.history.get().history_user == agenda.secretary

    def test_a_case_comes_only_through_the_queue(self, agenda):
        with pytest.raises(TransitionNotAllowed, match="via de wachtrij"):
            services.agenda_item_add(
                meeting=agenda.meeting, actor=agenda.secretary, kind=ItemKind.CASE, title="X"
            )

    def test_a_closed_session_item_needs_its_attendees(self, agenda):
        with pytest.raises(TransitionNotAllowed) as refused:
            services.agenda_item_add(
                meeting=agenda.meeting,
                actor=agenda.secretary,
                kind=ItemKind.POLICY,
                title="Signaal",
                owner_organisation=organisation("POL"),
                is_closed_session=True,
            )

        assert refused.value.message == "Een besloten agendapunt heeft deelnemers."


# --- Meetings: outside the cycle, moved, cancelled, generated -----------------------------------


class TestExtraMeetings:
    def test_a_meeting_outside_the_cycle_needs_a_reason(self, agenda):
        with pytest.raises(TransitionNotAllowed) as refused:
            services.meeting_create_extra(
                body=agenda.meeting.body,
                starts_at=at(date(2027, 3, 1), 15),
                reason="  ",
                actor=agenda.secretary,
            )

        assert refused.value.message == "Een vergadering buiten de cyclus vraagt om een reden."

    def test_the_form_asks_for_the_reason(self, client, agenda):
        signed_in(client, agenda.secretary)
        url = reverse("meetings:meeting_create_extra", args=[agenda.meeting.body_id])

        refused = client.post(url, {"starts_at": "2027-03-01T15:00", "reason": ""})
        created = client.post(url, {"starts_at": "2027-03-01T15:00", "reason": "Spoedcasus"})

        assert "Een vergadering buiten de cyclus vraagt om een reden." in (refused.content.decode())
        extra = Meeting.objects.get(cycle_date=None)
        assert created["Location"] == reverse("meetings:meeting_detail", args=[extra.pk])
        assert (extra.starts_at, extra.outside_cycle_reason) == (
            at(date(2027, 3, 1), 15),
            "Spoedcasus",
        )
        assert extra.items.count() == 4  # opening, previous minutes, AOB, closing

    def test_the_database_holds_the_rule_too(self, agenda):
        with pytest.raises(IntegrityError), transaction.atomic():
            Meeting.objects.create(
                body=agenda.meeting.body, starts_at=at(date(2027, 3, 1), 15), duration_minutes=60
            )

    def test_an_extra_meeting_in_the_past_is_refused(self, agenda):
        with pytest.raises(TransitionNotAllowed, match="niet in het verleden"):
            services.meeting_create_extra(
                body=agenda.meeting.body,
                starts_at=at(date(2027, 2, 9), 15),
                reason="Spoed",
                actor=agenda.secretary,
            )

    def test_a_meeting_with_cases_is_not_cancelled_before_they_move(self, agenda):
        with pytest.raises(TransitionNotAllowed) as refused:
            services.meeting_reschedule(
                meeting=agenda.meeting, actor=agenda.secretary, cancel=True, reason="Vakantie"
            )

        assert refused.value.message == "Verplaats eerst de casussen naar een andere vergadering."
        assert Meeting.objects.get(pk=agenda.meeting.pk).status == MeetingStatus.PLANNED

    def test_a_moved_meeting_keeps_its_cycle_date_and_is_not_generated_again(self, agenda):
        services.meeting_reschedule(
            meeting=agenda.meeting,
            actor=agenda.secretary,
            starts_at=at(date(2027, 2, 26), 13),
            reason="Zaal bezet",
        )

        created = services.meetings_generate(body=agenda.meeting.body, until=FOLLOWING)

        assert created == 0
        moved = Meeting.objects.get(pk=agenda.meeting.pk)
        assert (moved.cycle_date, moved.starts_at) == (MEETING, at(date(2027, 2, 26), 13))

    def test_a_meeting_is_not_moved_onto_another_meeting_of_the_body(self, client, agenda):
        # Within its own time it moves freely: it does not overlap itself.
        services.meeting_reschedule(
            meeting=agenda.meeting,
            actor=agenda.secretary,
            starts_at=at(MEETING, 13, 30),
            reason="Later begin",
        )
        signed_in(client, agenda.secretary)
        url = reverse("meetings:meeting_reschedule", args=[agenda.following.pk])

        refused = client.post(url, {"starts_at": "2027-02-25T15:00", "reason": "Zaal bezet"})
        after = client.post(url, {"starts_at": "2027-02-25T16:30", "reason": "Zaal bezet"})

        html = refused.content.decode()
        assert refused.status_code == 200
        assert (
            f"Aanvang: deze tijd overlapt met de vergadering van "
            f"{agenda.meeting.body.short_name} op 25-02-2027 13:30."
        ) in html
        assert 'value="Zaal bezet"' in html and 'value="2027-02-25T15:00"' in html
        # Right after the other one ends (16:30) it may start.
        assert after.status_code == 302
        assert Meeting.objects.get(pk=agenda.following.pk).starts_at == at(MEETING, 16, 30)
        with pytest.raises(TransitionNotAllowed, match="overlapt"):
            services.meeting_reschedule(
                meeting=agenda.following,
                actor=agenda.secretary,
                starts_at=at(MEETING, 16, 29),
                reason="Zaal bezet",
            )


class TestTheCycle:
    def test_meetings_are_generated_on_the_bodys_weekday_and_time_every_third_week(
        self, time_machine
    ):
        time_machine.move_to(at(date(2027, 2, 10)), tick=False)
        body = BodyFactory(itatr=True, first_date=date(2027, 2, 4))

        created = services.meetings_generate(body=body, until=date(2027, 6, 30))

        starts = [timezone.localtime(m.starts_at) for m in body.meetings.order_by("starts_at")]
        assert created == len(starts) == 6
        assert [s.date() for s in starts] == [
            date(2027, 2, 25) + timedelta(weeks=3 * n) for n in range(6)
        ]
        assert {s.weekday() for s in starts} == {Weekday.THURSDAY}
        # 13:00 on the wall clock in winter and in summer time (from 28 March).
        assert {s.time() for s in starts} == {time(13, 0)}
        assert {s.utcoffset() for s in starts} == {timedelta(hours=1), timedelta(hours=2)}

    def test_generating_again_creates_nothing(self, time_machine):
        time_machine.move_to(at(date(2027, 2, 10)), tick=False)
        body = BodyFactory(itatr=True, first_date=date(2027, 2, 4))
        services.meetings_generate(body=body, until=date(2027, 6, 30))

        assert services.meetings_generate(body=body, until=date(2027, 6, 30)) == 0
        assert body.meetings.count() == 6
        assert AgendaItem.objects.count() == 6 * 4

    def test_by_default_half_a_year_ahead_from_today(self, time_machine):
        time_machine.move_to(at(date(2027, 2, 10)), tick=False)
        body = BodyFactory(pto=True, first_date=date(2027, 2, 3))

        services.meetings_generate(body=body)

        days = list(body.meetings.order_by("starts_at").values_list("cycle_date", flat=True))
        assert days[0] == date(2027, 2, 17)
        assert days[-1] <= date(2027, 2, 10) + timedelta(weeks=26) < days[-1] + timedelta(weeks=2)

    def test_the_secretary_generates_them_from_the_body_page(self, client, time_machine):
        time_machine.move_to(at(date(2027, 2, 10)), tick=False)
        secretary = secretary_user()
        body = BodyFactory(pto=True, secretary=secretary, first_date=date(2027, 2, 3))
        signed_in(client, secretary)

        response = client.post(reverse("meetings:meetings_generate", args=[body.pk]), follow=True)

        assert f"{body.meetings.count()} vergaderingen volgens de cyclus aangemaakt." in (
            response.content.decode()
        )
        assert body.meetings.get(cycle_date=date(2027, 2, 17)).history.get().history_user == (
            secretary
        )
