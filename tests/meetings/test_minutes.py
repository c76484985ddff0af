"""Minutes: items carried over, attendance, adoption under the next meeting and the lock after
it, the accord of an adopted plan, the action list and the forward agenda.

The decision meeting below meets every other Wednesday at 09:00: 3 February, 17 February,
3 March and 17 March 2027. Its minutes of the 17th are taken that day at 11:00."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases import permissions
from cases.constants import CasePhase, PlanStatus
from cases.exceptions import TransitionNotAllowed
from cases.models import Case, PlanVersion
from ipgar.accounts.models import Organisation, User
from ipgar.notifications.models import Notification
from meetings import selectors, services
from meetings.constants import (
    AttendanceStatus,
    CaseItemKind,
    DecisionKind,
    ItemKind,
    ItemStatus,
    MinutesStatus,
    PeriodKind,
)
from meetings.models import Action, AgendaItem, Attendance, Body, ForwardItem, Meeting
from meetings.periods import Period, period_parse
from meetings.services import OwnerData
from tests.cases.factories import (
    coordinator_user,
    decision_member,
    itatr_member,
    secretary_user,
)
from tests.meetings.factories import (
    BodyFactory,
    advised_plan,
    at,
    case_item,
    meeting_on,
    organisation,
    submitted_plan,
)
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

EARLIER, DAY, NEXT, LATER = date(2027, 2, 3), date(2027, 2, 17), date(2027, 3, 3), date(2027, 3, 17)
LOCKED = (
    "Het verslag is vastgesteld en kan niet meer wijzigen; de historie bewaart alle eerdere "
    "versies."
)


@dataclass
class Minutes:
    body: Body
    meeting: Meeting
    following: Meeting
    secretary: User
    member: User
    policy: AgendaItem


@pytest.fixture
def minutes(time_machine) -> Minutes:
    time_machine.move_to(at(date(2027, 2, 1)), tick=False)
    secretary, member = secretary_user(), decision_member()
    body = BodyFactory(pto=True, secretary=secretary, first_date=EARLIER, members=[member])
    services.meetings_generate(body=body, since=EARLIER, until=LATER, actor=secretary)
    meeting = body.meetings.get(cycle_date=DAY)
    policy = services.agenda_item_add(
        meeting=meeting,
        actor=secretary,
        kind=ItemKind.POLICY,
        title="Concept beoordelingskader alle ideologieën",
        owner_organisation=organisation("OOV"),
    )
    time_machine.move_to(at(DAY, 11), tick=False)
    return Minutes(
        body=body,
        meeting=meeting,
        following=body.meetings.get(cycle_date=NEXT),
        secretary=secretary,
        member=member,
        policy=policy,
    )


def last_history_user(obj):
    return obj.history.order_by("-history_id")[0].history_user


# --- Carried over -------------------------------------------------------------------------------


class TestCarryingOver:
    def test_an_item_not_discussed_goes_to_the_next_meeting_with_the_note(self, minutes):
        services.item_minutes_save(
            item=minutes.policy,
            actor=minutes.secretary,
            notes="",
            status=ItemStatus.NOT_DISCUSSED,
            carry_note="Geen tijd; eerste punt volgende keer.",
        )

        copy = AgendaItem.objects.get(carried_from=minutes.policy)
        assert copy.meeting == minutes.following
        assert (copy.title, copy.kind, copy.owner_organisation, copy.status) == (
            minutes.policy.title,
            ItemKind.POLICY,
            organisation("OOV"),
            ItemStatus.OPEN,
        )
        assert copy.carry_note == "Geen tijd; eerste punt volgende keer."
        assert AgendaItem.objects.get(pk=minutes.policy.pk).status == ItemStatus.NOT_DISCUSSED
        assert last_history_user(copy) == minutes.secretary
        assert last_history_user(minutes.policy) == minutes.secretary
        kinds = list(minutes.following.items.order_by("order").values_list("kind", flat=True))
        assert kinds[-3:] == [ItemKind.POLICY, ItemKind.AOB, ItemKind.CLOSING]

    def test_without_a_note_it_says_when_it_was_not_discussed(self, client, minutes):
        services.item_minutes_save(
            item=minutes.policy, actor=minutes.secretary, notes="", status=ItemStatus.NOT_DISCUSSED
        )

        copy = AgendaItem.objects.get(carried_from=minutes.policy)
        assert copy.carry_note == "Niet besproken op 17-02-2027."
        signed_in(client, minutes.member)
        html = client.get(reverse("meetings:meeting_detail", args=[minutes.following.pk]))
        assert "Niet besproken op 17-02-2027." in html.content.decode()

    def test_a_case_item_takes_its_case_plan_and_slot_along(self, minutes):
        plan = advised_plan()
        item = case_item(minutes.meeting, CaseItemKind.PLAN_ADOPTION, plan=plan)

        services.item_minutes_save(
            item=item, actor=minutes.secretary, notes="", status=ItemStatus.NOT_DISCUSSED
        )

        copy = AgendaItem.objects.get(carried_from=item)
        assert (copy.case, copy.plan, copy.case_kind, copy.slot_minutes) == (
            plan.case,
            plan,
            CaseItemKind.PLAN_ADOPTION,
            15,
        )
        assert selectors.queue_for(minutes.body) == []  # waiting on the next agenda, not queued

    def test_a_cancelled_meeting_is_skipped(self, minutes):
        services.meeting_reschedule(
            meeting=minutes.following, actor=minutes.secretary, cancel=True, reason="Vakantie"
        )

        services.item_minutes_save(
            item=minutes.policy, actor=minutes.secretary, notes="", status=ItemStatus.NOT_DISCUSSED
        )

        copy = AgendaItem.objects.get(carried_from=minutes.policy)
        assert copy.meeting.cycle_date == LATER

    def test_without_a_next_meeting_it_is_refused_and_nothing_changes(self, time_machine):
        time_machine.move_to(at(DAY, 11), tick=False)
        secretary = secretary_user()
        body = BodyFactory(pto=True, secretary=secretary, first_date=EARLIER)
        only = meeting_on(body, DAY)
        item = only.items.get(kind=ItemKind.OPENING)

        with pytest.raises(TransitionNotAllowed) as refused:
            services.item_minutes_save(
                item=item, actor=secretary, notes="Kort", status=ItemStatus.NOT_DISCUSSED
            )

        assert refused.value.message == "Er is geen volgende vergadering om naar door te schuiven."
        item.refresh_from_db()
        assert (item.status, item.notes) == (ItemStatus.OPEN, "")

    def test_saving_again_does_not_carry_it_twice(self, minutes):
        for notes in ("Eerste versie", "Tweede versie"):
            services.item_minutes_save(
                item=minutes.policy,
                actor=minutes.secretary,
                notes=notes,
                status=ItemStatus.NOT_DISCUSSED,
            )

        assert AgendaItem.objects.filter(carried_from=minutes.policy).count() == 1
        assert AgendaItem.objects.get(pk=minutes.policy.pk).notes == "Tweede versie"


# --- Attendance ---------------------------------------------------------------------------------


def test_attendance_is_recorded_per_organisation_and_person_with_the_guests(client, minutes):
    signed_in(client, minutes.secretary)
    rows = [
        ("Anna de Vries", organisation("OOV").pk, "", AttendanceStatus.PRESENT),
        ("", organisation("OM").pk, "", AttendanceStatus.EXCUSED),
        ("NCTV-adviseur", organisation("NCTV").pk, "", AttendanceStatus.GUEST),
        ("", "", "AM-gemeenten", AttendanceStatus.ABSENT),
    ]
    data = {
        "aanwezig-TOTAL_FORMS": "4",
        "aanwezig-INITIAL_FORMS": "0",
        "aanwezig-MIN_NUM_FORMS": "0",
        "aanwezig-MAX_NUM_FORMS": "60",
    }
    for n, (name, org, org_name, status) in enumerate(rows):
        data |= {
            f"aanwezig-{n}-name": name,
            f"aanwezig-{n}-organisation": org,
            f"aanwezig-{n}-organisation_name": org_name,
            f"aanwezig-{n}-status": status,
        }

    response = client.post(
        reverse("meetings:attendance_save", args=[minutes.meeting.pk]), data, follow=True
    )

    assert "Aanwezigheid opgeslagen." in response.content.decode()
    recorded = {
        (a.name, a.organisation_label, a.status)
        for a in minutes.meeting.attendance.select_related("organisation")
    }
    # The organisation of an attendee is not copied into the name field.
    assert recorded == {
        ("Anna de Vries", "Openbare Orde en Veiligheid", AttendanceStatus.PRESENT),
        ("", "Openbaar Ministerie", AttendanceStatus.EXCUSED),
        ("NCTV-adviseur", "Nationaal Coördinator Terrorismebestrijding en Veiligheid", "gast"),
        ("", "AM-gemeenten", AttendanceStatus.ABSENT),
    }
    assert {last_history_user(a) for a in minutes.meeting.attendance.all()} == {minutes.secretary}


def test_one_submit_saves_the_notes_and_records_the_decision(client, minutes):
    item = minutes.policy
    signed_in(client, minutes.secretary)

    response = client.post(
        reverse("meetings:item_minutes_save", args=[minutes.meeting.pk, item.pk]),
        {
            f"m{item.pk}-notes": "OOV licht het kader toe.",
            f"m{item.pk}-status": ItemStatus.OPEN,
            f"m{item.pk}-lock_version": item.lock_version,
            f"d{item.pk}-kind": DecisionKind.GENERAL,
            f"d{item.pk}-text": "Ingestemd met het kader.",
        },
        follow=True,
    )

    assert "Besluit vastgelegd." in response.content.decode()
    item = AgendaItem.objects.get(pk=item.pk)
    assert (item.notes, item.status) == ("OOV licht het kader toe.", ItemStatus.DISCUSSED)
    assert [d.text for d in item.decisions.all()] == ["Ingestemd met het kader."]


def test_before_anything_is_recorded_the_standing_members_are_prefilled(minutes):
    minutes.body.member_organisations.set([organisation("POL"), organisation("OM")])

    rows = selectors.attendance_initial(minutes.meeting)

    assert [(r.name, r.organisation.code, r.status) for r in rows] == [
        (minutes.member.get_full_name(), minutes.member.organisation.code, "aanwezig"),
        *sorted(
            [("", "OM", "aanwezig"), ("", "POL", "aanwezig")],
            key=lambda r: Organisation.objects.get(code=r[1]).name,
        ),
    ]


# --- Adoption and the lock -------------------------------------------------------------------


class TestAdoption:
    @pytest.fixture
    def adopted(self, minutes, time_machine) -> Minutes:
        services.decision_record(
            item=minutes.policy,
            actor=minutes.secretary,
            data=services.DecisionData(kind=DecisionKind.GENERAL, text="Ingestemd."),
        )
        time_machine.move_to(at(NEXT, 10), tick=False)
        services.minutes_adopt(meeting=minutes.following, actor=minutes.secretary)
        return minutes

    def test_the_previous_minutes_are_adopted_under_the_next_meeting(self, adopted):
        meeting = Meeting.objects.get(pk=adopted.meeting.pk)
        assert meeting.minutes_status == MinutesStatus.ADOPTED
        assert meeting.minutes_adopted_at == at(NEXT, 10)
        assert last_history_user(meeting) == adopted.secretary
        item = adopted.following.items.get(kind=ItemKind.PREVIOUS_MINUTES)
        assert item.status == ItemStatus.DISCUSSED
        (decision,) = item.decisions.all()
        assert decision.text == "Het verslag van 17-02-2027 wordt vastgesteld."
        assert decision.recorded_by == adopted.secretary
        assert Meeting.objects.get(pk=adopted.following.pk).minutes_status == (
            MinutesStatus.CONCEPT
        )

    def test_adopting_again_changes_nothing(self, adopted):
        services.minutes_adopt(meeting=adopted.following, actor=adopted.secretary)

        item = adopted.following.items.get(kind=ItemKind.PREVIOUS_MINUTES)
        assert item.decisions.count() == 1

    def test_notes_can_no_longer_change(self, adopted):
        with pytest.raises(TransitionNotAllowed) as refused:
            services.item_minutes_save(
                item=adopted.policy,
                actor=adopted.secretary,
                notes="Achteraf aangevuld",
                status=ItemStatus.DISCUSSED,
            )

        assert refused.value.message == LOCKED
        assert AgendaItem.objects.get(pk=adopted.policy.pk).notes == ""

    def test_no_decision_can_be_added(self, adopted):
        with pytest.raises(TransitionNotAllowed) as refused:
            services.decision_record(
                item=adopted.policy,
                actor=adopted.secretary,
                data=services.DecisionData(kind=DecisionKind.GENERAL, text="Nog een besluit."),
            )

        assert refused.value.message == LOCKED
        assert adopted.policy.decisions.count() == 1

    def test_the_attendance_can_no_longer_change(self, adopted):
        with pytest.raises(TransitionNotAllowed) as refused:
            services.attendance_record(
                meeting=adopted.meeting,
                actor=adopted.secretary,
                rows=[services.AttendanceRow(name="Laatkomer", status=AttendanceStatus.PRESENT)],
            )

        assert refused.value.message == "Het verslag is vastgesteld en kan niet meer wijzigen."
        assert not Attendance.objects.exists()

    def test_the_agenda_can_no_longer_change(self, adopted):
        with pytest.raises(TransitionNotAllowed, match="de agenda ligt vast"):
            services.agenda_item_add(
                meeting=adopted.meeting,
                actor=adopted.secretary,
                kind=ItemKind.CONSENT,
                title="Nagekomen hamerpunt",
            )
        with pytest.raises(TransitionNotAllowed, match="de agenda ligt vast"):
            services.agenda_item_shift(item=adopted.policy, actor=adopted.secretary, up=True)

    def test_the_minutes_page_says_it_is_locked_and_a_save_is_refused(self, client, adopted):
        signed_in(client, adopted.secretary)
        page = client.get(reverse("meetings:meeting_minutes", args=[adopted.meeting.pk]))

        html = page.content.decode()
        assert "Dit verslag is vastgesteld en vergrendeld." in html
        assert "Besluit vastleggen" not in html
        response = client.post(
            reverse("meetings:item_minutes_save", args=[adopted.meeting.pk, adopted.policy.pk]),
            {
                f"m{adopted.policy.pk}-notes": "Achteraf",
                f"m{adopted.policy.pk}-status": "besproken",
                f"m{adopted.policy.pk}-lock_version": adopted.policy.lock_version,
            },
            follow=True,
        )
        assert LOCKED in response.content.decode()
        assert AgendaItem.objects.get(pk=adopted.policy.pk).notes == ""

    def test_the_history_keeps_every_version_with_its_author(self, adopted):
        versions = adopted.policy.history.order_by("history_id")

        assert [v.status for v in versions] == [ItemStatus.OPEN, ItemStatus.DISCUSSED]
        assert {v.history_user for v in versions} == {adopted.secretary}

    def test_without_a_previous_meeting_there_is_nothing_to_adopt(self, minutes):
        first = minutes.body.meetings.get(cycle_date=EARLIER)

        with pytest.raises(TransitionNotAllowed) as refused:
            services.minutes_adopt(meeting=first, actor=minutes.secretary)

        assert refused.value.message == "Er is geen vorige vergadering met een verslag."


def test_after_its_minutes_the_itatr_members_no_longer_read_the_cases(time_machine):
    time_machine.move_to(at(date(2027, 2, 10)), tick=False)
    secretary = secretary_user()
    member = itatr_member(organisation("GGD"))
    itatr = BodyFactory(
        itatr=True, secretary=secretary, first_date=date(2027, 2, 4), members=[member]
    )
    services.meetings_generate(body=itatr, until=date(2027, 3, 18))
    meeting = itatr.meetings.get(cycle_date=date(2027, 2, 25))
    plan = submitted_plan()
    services.agenda_place(
        meeting=meeting,
        actor=secretary,
        placement=services.Placement(CaseItemKind.PLAN_ADVICE, plan=plan, case=plan.case),
    )
    assert permissions.cases_visible_to(member).filter(pk=plan.case_id).exists()
    time_machine.move_to(at(date(2027, 3, 18), 14), tick=False)

    services.minutes_adopt(
        meeting=itatr.meetings.get(cycle_date=date(2027, 3, 18)), actor=secretary
    )

    assert not permissions.cases_visible_to(member).filter(pk=plan.case_id).exists()
    assert permissions.cases_visible_to(plan.case.regisseur).filter(pk=plan.case_id).exists()


# --- The accord of an adopted plan ---------------------------------------------------------------


def test_the_secretary_accords_the_adopted_plan_and_the_case_goes_into_execution(
    client, minutes, time_machine
):
    plan = advised_plan()
    item = case_item(minutes.meeting, CaseItemKind.PLAN_ADOPTION, plan=plan)
    services.decision_record(
        item=item,
        actor=minutes.secretary,
        data=services.DecisionData(kind=DecisionKind.ADOPT_PLAN, text="Vastgesteld."),
    )
    time_machine.move_to(at(NEXT, 10), tick=False)
    services.minutes_adopt(meeting=minutes.following, actor=minutes.secretary)
    signed_in(client, minutes.secretary)
    minutes_url = reverse("meetings:meeting_minutes", args=[minutes.meeting.pk])
    assert "Vastgesteld plan accorderen in het dossier" in client.get(minutes_url).content.decode()

    response = client.post(
        reverse("meetings:plan_accord", args=[minutes.meeting.pk, item.pk]), follow=True
    )

    assert "Het vastgestelde plan is geaccordeerd in het dossier." in response.content.decode()
    plan = PlanVersion.objects.get(pk=plan.pk)
    assert (plan.status, plan.accorded_by) == (PlanStatus.ADOPTED, minutes.secretary)
    case = Case.objects.get(pk=plan.case_id)
    assert case.phase == CasePhase.IN_EXECUTION
    assert last_history_user(case) == minutes.secretary
    assert (
        "Vastgesteld plan accorderen in het dossier" not in client.get(minutes_url).content.decode()
    )


def test_a_plan_that_was_not_adopted_is_not_accorded(client, minutes):
    plan = advised_plan()
    item = case_item(minutes.meeting, CaseItemKind.PLAN_ADOPTION, plan=plan)
    signed_in(client, minutes.secretary)

    response = client.post(
        reverse("meetings:plan_accord", args=[minutes.meeting.pk, item.pk]), follow=True
    )

    assert "Alleen een vastgesteld plan kan worden geaccordeerd." in response.content.decode()
    assert Case.objects.get(pk=plan.case_id).phase == CasePhase.AT_ADVICE


# --- The action list ----------------------------------------------------------------------------


class TestActions:
    def create(self, minutes, **fields) -> Action:
        fields.setdefault("owners", [OwnerData(user=minutes.member)])
        return services.action_create(
            body=minutes.body,
            actor=minutes.secretary,
            subject="Caseload",
            action="Verdeling casussen over regisseurs herzien.",
            due=Period(PeriodKind.DATE, date(2027, 3, 1)),
            raised_in=minutes.meeting,
            **fields,
        )

    def test_the_owner_is_told_and_sees_it_named_on_mijn_werk(self, client, minutes):
        action = self.create(minutes)

        (notification,) = Notification.objects.filter(recipient=minutes.member)
        assert (notification.kind, notification.title, notification.due_date) == (
            "actie",
            f"Actie uit {minutes.body.short_name}",  # e-mailed: no free text in the title
            date(2027, 3, 1),
        )
        assert notification.body == "Caseload"
        assert notification.link == reverse("meetings:action_detail", args=[action.pk])
        assert (action.raised_on, action.raised_in) == (DAY, minutes.meeting)
        assert last_history_user(action) == minutes.secretary
        signed_in(client, minutes.member)
        work = client.get(reverse("core:my_work")).content.decode()
        section = work.split('data-testid="my-work-actions"')[1].split("</section>")[0]
        assert "Caseload" in section and "Verdeling casussen over regisseurs herzien." in section

    def test_afgehandeld_closes_the_action_itself_and_its_notification(
        self, client, minutes, time_machine
    ):
        action = self.create(minutes)
        time_machine.move_to(at(date(2027, 2, 24)), tick=False)
        signed_in(client, minutes.member)  # the owner, not a secretary

        response = client.post(
            reverse("meetings:action_done", args=[action.pk]),
            {"done_on": "2027-02-20", "confirm": "on"},
        )

        assert response.status_code == 302
        action.refresh_from_db()
        assert action.done_on == date(2027, 2, 20)  # any date, not only today
        assert last_history_user(action) == minutes.member
        assert Notification.objects.get(recipient=minutes.member).read_at is not None
        assert (
            'data-testid="my-work-actions"'
            not in client.get(reverse("core:my_work")).content.decode()
        )

    def test_done_needs_a_confirmation_and_a_date_not_in_the_future(self, client, minutes):
        action = self.create(minutes)
        signed_in(client, minutes.member)
        url = reverse("meetings:action_done", args=[action.pk])

        unconfirmed = client.post(url, {"done_on": "2027-02-17"})
        future = client.post(url, {"done_on": "2027-02-18", "confirm": "on"})
        before = client.post(url, {"done_on": "2027-02-16", "confirm": "on"})

        assert "Bevestig dat de actie is afgerond." in unconfirmed.content.decode()
        assert "Afgerond op: die datum ligt in de toekomst." in future.content.decode()
        assert "daarvóór kan ze niet zijn afgerond" in before.content.decode()
        assert Action.objects.get(pk=action.pk).done_on is None

    def test_undo_opens_it_again_for_its_owners(self, client, minutes):
        action = self.create(minutes)
        services.action_mark_done(action=action, actor=minutes.member)
        signed_in(client, minutes.member)

        client.post(reverse("meetings:action_reopen", args=[action.pk]))

        assert Action.objects.get(pk=action.pk).done_on is None
        assert Notification.objects.get(recipient=minutes.member).read_at is None

    def test_another_member_may_see_but_not_close_it(self, client, minutes):
        action = self.create(minutes)
        colleague = decision_member()
        minutes.body.members.add(colleague)
        signed_in(client, colleague)

        assert client.get(reverse("meetings:action_detail", args=[action.pk])).status_code == 200
        response = client.post(
            reverse("meetings:action_done", args=[action.pk]),
            {"done_on": "2027-02-17", "confirm": "on"},
        )

        assert response.status_code == 403
        assert Action.objects.get(pk=action.pk).done_on is None

    def test_organisations_and_groups_may_own_it_without_anyone_being_told(self, minutes):
        action = self.create(
            minutes,
            owners=[OwnerData(organisation=organisation("OOV")), OwnerData(group="regisseurs")],
        )

        # Organisations are shown by name everywhere, owners included.
        assert [str(o) for o in action.owners.all()] == [
            "Openbare Orde en Veiligheid",
            "regisseurs",
        ]
        assert not Notification.objects.exists()

    def test_an_action_without_owner_is_refused(self, minutes):
        with pytest.raises(TransitionNotAllowed) as refused:
            self.create(minutes, owners=[])

        assert refused.value.message == (
            "Eigenaar: een actie heeft een eigenaar (persoon, organisatie of groep)."
        )

    def test_it_is_corrected_until_the_minutes_are_adopted(self, minutes, time_machine):
        action = self.create(minutes)
        services.action_update(
            action=action,
            actor=minutes.secretary,
            subject="Caseload (gecorrigeerd)",
            action_text="Verdeling herzien.",
            owners=[OwnerData(group="allen")],
            due=Period(PeriodKind.ASAP),
        )
        time_machine.move_to(at(NEXT, 10), tick=False)
        services.minutes_adopt(meeting=minutes.following, actor=minutes.secretary)

        with pytest.raises(TransitionNotAllowed) as refused:
            services.action_remove(action=action, actor=minutes.secretary)

        assert "verandert alleen nog met een nieuw besluit" in refused.value.message
        assert Action.objects.get(pk=action.pk).subject == "Caseload (gecorrigeerd)"
        assert action.history.count() >= 2

    def test_it_lives_across_meetings_on_the_body_page_sorted_by_due(self, client, minutes):
        done = self.create(minutes)
        services.action_mark_done(action=done, actor=minutes.secretary)
        services.action_create(
            body=minutes.body,
            actor=minutes.secretary,
            subject="Doorlooptijden",
            action="Analyse doorlooptijd melding tot besluit.",
            owners=[OwnerData(organisation=organisation("OOV"))],
            due=Period(PeriodKind.YEARLY),
        )
        services.action_create(
            body=minutes.body,
            actor=minutes.secretary,
            subject="Terugkoppeling",
            action="Politie koppelt terug.",
            owners=[OwnerData(organisation=organisation("POL"))],
            due=Period(PeriodKind.DATE, date(2027, 3, 10)),
        )
        services.action_create(
            body=minutes.body,
            actor=minutes.secretary,
            subject="Spoed",
            action="Z.s.m. regelen.",
            owners=[OwnerData(group="allen")],
            due=Period(PeriodKind.ASAP),
        )
        signed_in(client, minutes.member)

        html = client.get(reverse("meetings:body_detail", args=[minutes.body.pk])).content.decode()

        table = html.split('data-testid="action-list"')[1].split("</table>")[0]
        # Open ones first: z.s.m., then by date, yearly last; done ones after.
        order = ("Spoed", "Terugkoppeling", "Doorlooptijden", "Caseload")
        positions = [table.index(s) for s in order]
        assert positions == sorted(positions)
        assert "17-02-2027" in table and "jaarlijks" in table.lower()
        # Each action links to the meeting it came from.
        assert reverse("meetings:meeting_detail", args=[minutes.meeting.pk]) in table

    # Issue 16: on screen, an action comes from the meeting, item and date the secretary says.

    def test_added_from_a_meeting_it_comes_from_that_meeting_on_its_date(self, client, minutes):
        signed_in(client, minutes.secretary)
        url = reverse("meetings:meeting_action_add", args=[minutes.meeting.pk])

        form = client.get(url).content.decode()
        response = client.post(
            url,
            {
                "raised_in": minutes.meeting.pk,
                "item": minutes.policy.pk,
                "raised_on": "2027-02-17",
                "subject": "Kader",
                "action": "Reacties verwerken.",
                "owner_users": minutes.member.pk,
            },
        )

        # The page's meeting and its date are the defaults; its items are offered.
        assert f'<option value="{minutes.meeting.pk}" selected>' in form
        assert 'value="2027-02-17"' in form
        assert f'<option value="{minutes.policy.pk}">{minutes.policy.title}</option>' in form
        assert response["Location"] == (
            reverse("meetings:meeting_detail", args=[minutes.meeting.pk]) + "#acties"
        )
        action = Action.objects.get(subject="Kader")
        assert (action.raised_in, action.item, action.raised_on) == (
            minutes.meeting,
            minutes.policy,
            DAY,
        )
        page = client.get(reverse("meetings:meeting_detail", args=[minutes.meeting.pk]))
        assert reverse("meetings:action_detail", args=[action.pk]) in page.content.decode()

    def test_the_secretary_chooses_another_meeting_and_any_past_date(self, client, minutes):
        earlier = minutes.body.meetings.get(cycle_date=EARLIER)
        signed_in(client, minutes.secretary)
        url = reverse("meetings:action_add", args=[minutes.body.pk])
        typed = {"action": "Doen.", "owner_groups": "allen"}

        dated = {"subject": "Gedateerd", "raised_in": earlier.pk, "raised_on": "28-01-2027"}
        client.post(url, {**typed, **dated})
        client.post(url, {**typed, "subject": "Vergaderdatum", "raised_in": earlier.pk})
        client.post(url, {**typed, "subject": "Uit het punt", "item": minutes.policy.pk})
        client.post(url, {**typed, "subject": "Zonder vergadering"})

        found = {
            a.subject: (a.raised_in, a.item, a.raised_on)
            for a in Action.objects.filter(body=minutes.body)
        }
        assert found == {
            "Gedateerd": (earlier, None, date(2027, 1, 28)),
            "Vergaderdatum": (earlier, None, EARLIER),
            "Uit het punt": (minutes.meeting, minutes.policy, DAY),
            "Zonder vergadering": (None, None, DAY),  # today
        }

    def test_an_item_of_another_meeting_or_a_date_after_today_is_refused_text_kept(
        self, client, minutes
    ):
        earlier = minutes.body.meetings.get(cycle_date=EARLIER)
        signed_in(client, minutes.secretary)
        url = reverse("meetings:action_add", args=[minutes.body.pk])
        typed = {"subject": "Kader", "action": "Reacties verwerken.", "owner_groups": "allen"}

        other_item = client.post(url, {**typed, "raised_in": earlier.pk, "item": minutes.policy.pk})
        tomorrow = client.post(url, {**typed, "raised_on": "2027-02-18"})
        future = client.post(url, {**typed, "raised_in": minutes.following.pk})

        assert f"Agendapunt: kies een punt van de vergadering {earlier}, of geen." in (
            other_item.content.decode()
        )
        assert "Datum: een actie ontstaat niet na vandaag." in tomorrow.content.decode()
        # A meeting that has not begun is not offered.
        offered = future.context["form"].fields["raised_in"].queryset
        assert list(offered) == [minutes.meeting, earlier]
        assert future.context["form"].errors["raised_in"]
        for response in (other_item, tomorrow, future):
            assert response.status_code == 200
            assert 'value="Kader"' in response.content.decode()
        assert not Action.objects.exists()

    def test_its_page_links_to_the_meeting_and_item_where_the_reader_may_open_them(
        self, client, minutes
    ):
        closed = services.agenda_item_add(
            meeting=minutes.meeting,
            actor=minutes.secretary,
            kind=ItemKind.POLICY,
            title="Signaal uit lopend onderzoek",
            owner_organisation=organisation("POL"),
            is_closed_session=True,
            closed_attendees=[minutes.secretary],
        )
        outsider = coordinator_user()
        owners = [OwnerData(user=minutes.member), OwnerData(user=outsider)]
        open_action = self.create(minutes, item=minutes.policy, owners=owners)
        closed_action = self.create(minutes, item=closed, owners=owners)
        meeting_url = reverse("meetings:meeting_detail", args=[minutes.meeting.pk])

        def origin(user, action):
            signed_in(client, user)
            html = client.get(reverse("meetings:action_detail", args=[action.pk])).content
            return html.decode().split('data-testid="action-origin">')[1].split("</dd>")[0]

        assert origin(minutes.member, open_action) == (
            f'17-02-2027 in <a href="{meeting_url}">{minutes.meeting}</a>, agendapunt '
            f'‘<a href="{meeting_url}#punt-{minutes.policy.pk}">{minutes.policy.title}</a>’'
        )
        # Outside the body: named, not linked; a closed-session item only for its attendees.
        assert origin(outsider, open_action) == (
            f"17-02-2027 in {minutes.meeting}, agendapunt ‘{minutes.policy.title}’"
        )
        assert origin(minutes.member, closed_action) == (
            f'17-02-2027 in <a href="{meeting_url}">{minutes.meeting}</a>'
        )
        assert f"#punt-{closed.pk}" in origin(minutes.secretary, closed_action)

    def test_the_secretary_corrects_it_on_its_page_until_the_minutes_are_adopted(
        self, client, minutes, time_machine
    ):
        action = self.create(minutes)
        url = reverse("meetings:action_update", args=[action.pk])
        page = reverse("meetings:action_detail", args=[action.pk])
        signed_in(client, minutes.member)
        assert 'data-testid="action-edit"' not in client.get(page).content.decode()
        assert client.post(url, {"subject": "Anders", "action": "x"}).status_code == 403
        signed_in(client, minutes.secretary)

        form = client.get(page).content.decode()
        no_owner = client.post(url, {"subject": "Caseload (gecorrigeerd)", "action": "Herzien."})
        corrected = client.post(
            url,
            {
                "subject": "Caseload (gecorrigeerd)",
                "action": "Verdeling herzien.",
                "owner_groups": "allen",
                "due": "z.s.m.",
            },
        )

        assert 'data-testid="action-edit"' in form and 'value="Caseload"' in form
        assert 'value="01-03-2027"' in form  # the due date as it reads back
        assert no_owner.status_code == 400
        assert "Wie is eigenaar van de actie" in no_owner.content.decode()
        assert 'value="Caseload (gecorrigeerd)"' in no_owner.content.decode()
        assert corrected["Location"] == page
        action.refresh_from_db()
        assert (action.subject, action.action, action.due_kind) == (
            "Caseload (gecorrigeerd)",
            "Verdeling herzien.",
            PeriodKind.ASAP,
        )
        assert [str(o) for o in action.owners.all()] == ["allen"]
        assert last_history_user(action) == minutes.secretary
        assert action.history.filter(subject="Caseload").exists()  # the old text kept

        time_machine.move_to(at(NEXT, 10), tick=False)
        services.minutes_adopt(meeting=minutes.following, actor=minutes.secretary)
        signed_in(client, minutes.secretary)  # a fortnight later: a new session
        after = client.post(
            url, {"subject": "Te laat", "action": "Herzien.", "owner_groups": "allen"}
        )

        assert 'data-testid="action-edit"' not in client.get(page).content.decode()
        assert after.status_code == 400
        assert "verandert alleen nog met een nieuw besluit" in after.content.decode()
        assert 'value="Te laat"' in after.content.decode()
        assert Action.objects.get(pk=action.pk).subject == "Caseload (gecorrigeerd)"


# --- The forward agenda --------------------------------------------------------------------------


class TestForwardAgenda:
    def test_it_takes_a_date_a_period_or_nog_plannen_in_time_order(self, minutes):
        for title, when in (
            ("Later", "Q4 2027"),
            ("Plannen", "nog plannen"),
            ("Geweest", "10-01-2027"),
            ("Binnenkort", "maart 2027"),
        ):
            services.forward_item_create(
                body=minutes.body,
                actor=minutes.secretary,
                title=title,
                when=period_parse(when),
                meeting=minutes.following if title == "Binnenkort" else None,
            )

        entries = selectors.forward_agenda(minutes.body)

        assert [(e.title, e.when_label, e.is_past) for e in entries] == [
            ("Geweest", "10-01-2027", True),
            ("Binnenkort", "maart 2027", False),
            ("Later", "Q4 2027", False),
            ("Plannen", "Nog plannen", False),
        ]
        assert entries[1].meeting == minutes.following

    def test_the_database_holds_the_date_rule(self, minutes):
        with pytest.raises(IntegrityError), transaction.atomic():
            ForwardItem.objects.create(body=minutes.body, title="Evaluatie", kind="datum")

    def test_the_form_says_what_it_could_not_read(self, client, minutes):
        signed_in(client, minutes.secretary)

        response = client.post(
            reverse("meetings:forward_add", args=[minutes.body.pk]),
            {"title": "Evaluatie", "when": "ooit"},
        )

        html = response.content.decode()
        assert "‘ooit’ is geen datum (dd-mm-jjjj) of periode" in html
        assert 'value="Evaluatie"' in html  # typed input kept

    # Issue 16: entries are corrected and removed on the body's page, until the minutes of the
    # meeting they belong to are adopted.

    def entry(self, minutes, meeting=None) -> ForwardItem:
        return services.forward_item_create(
            body=minutes.body,
            actor=minutes.secretary,
            title="Evaluatie werkwijze",
            when=period_parse("september 2027"),
            meeting=meeting,
        )

    def test_an_entry_is_corrected_and_removed_on_the_body_page_with_history(self, client, minutes):
        entry = self.entry(minutes)
        body_url = reverse("meetings:body_detail", args=[minutes.body.pk])
        update = reverse("meetings:forward_update", args=[minutes.body.pk])
        remove = reverse("meetings:forward_remove", args=[minutes.body.pk])
        signed_in(client, minutes.member)
        assert 'data-testid="forward-correct"' not in client.get(body_url).content.decode()
        assert (
            client.post(update, {"punt": entry.pk, "title": "x", "when": "Q4 2027"}).status_code
            == 403
        )
        assert client.post(remove, {"punt": entry.pk}).status_code == 403
        signed_in(client, minutes.secretary)

        page = client.get(body_url).content.decode()
        unreadable = client.post(update, {"punt": entry.pk, "title": "Evaluatie", "when": "ooit"})
        corrected = client.post(
            update,
            {
                "punt": entry.pk,
                "title": "Evaluatie werkwijze PTO-R",
                "when": "Q4 2027",
                "note": "Met de leden.",
                "meeting": minutes.following.pk,
            },
        )

        assert 'data-testid="forward-correct"' in page
        assert 'value="Evaluatie werkwijze"' in page and 'value="september 2027"' in page
        assert unreadable.status_code == 400
        assert "‘ooit’ is geen datum" in unreadable.content.decode()
        assert 'value="Evaluatie"' in unreadable.content.decode()  # typed input kept
        assert corrected["Location"] == body_url + "#termijnagenda"
        entry.refresh_from_db()
        assert (entry.title, entry.when_label, entry.note, entry.meeting) == (
            "Evaluatie werkwijze PTO-R",
            "Q4 2027",
            "Met de leden.",
            minutes.following,
        )
        assert last_history_user(entry) == minutes.secretary

        removed = client.post(remove, {"punt": entry.pk})

        assert removed["Location"] == body_url + "#termijnagenda"
        assert not ForwardItem.objects.filter(pk=entry.pk).exists()
        gone = ForwardItem.history.filter(id=entry.pk).order_by("-history_id")[0]
        assert (gone.history_type, gone.history_user) == ("-", minutes.secretary)
        assert client.post(remove, {"punt": entry.pk}).status_code == 404

    def test_after_its_meetings_minutes_are_adopted_an_entry_no_longer_changes(
        self, client, minutes, time_machine
    ):
        entry = self.entry(minutes, meeting=minutes.meeting)
        time_machine.move_to(at(NEXT, 10), tick=False)
        services.minutes_adopt(meeting=minutes.following, actor=minutes.secretary)
        signed_in(client, minutes.secretary)

        page = client.get(reverse("meetings:body_detail", args=[minutes.body.pk]))
        corrected = client.post(
            reverse("meetings:forward_update", args=[minutes.body.pk]),
            {"punt": entry.pk, "title": "Anders", "when": "Q4 2027"},
        )
        removed = client.post(
            reverse("meetings:forward_remove", args=[minutes.body.pk]),
            {"punt": entry.pk},
            follow=True,
        )

        refused = (
            f"Het verslag van {minutes.meeting} is vastgesteld: dit punt van de termijnagenda "
            "verandert alleen nog met een nieuw besluit in een volgende vergadering."
        )
        assert 'data-testid="forward-correct"' not in page.content.decode()
        assert corrected.status_code == 400 and refused in corrected.content.decode()
        assert 'value="Anders"' in corrected.content.decode()
        assert refused in removed.content.decode()
        entry.refresh_from_db()
        assert entry.title == "Evaluatie werkwijze"
        with pytest.raises(TransitionNotAllowed):
            services.forward_item_remove(item=entry, actor=minutes.secretary)
        with pytest.raises(TransitionNotAllowed):
            services.forward_item_update(
                item=entry, actor=minutes.secretary, title="x", when=period_parse("Q4 2027")
            )
