"""Every view of meetings with every persona (DOMAIN.md section 5):

- anonymous: to the login page;
- a secretary (the role, not this body's own secretary): every view works;
- a member of the decision meeting (role "regieoverleg"): reads the body, its meetings, their
  PDFs and calendar file; 403 on everything a secretary does;
- a user who sits on another body: 404 on this body's pages, as if they did not exist;
- a regisseur: only their own agenda item (page and slot) exists; another regisseur's item,
  and the meetings themselves, are 404.

The decision meeting of Wednesday 17 February 2027 is under way (11:00): its minutes are
being taken; the next one is on 3 March."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.urls import reverse

from cases.constants import CasePhase
from cases.models import Case
from intake.models import Report
from ipgar.accounts.models import User
from meetings import services
from meetings import urls as meeting_urls
from meetings.constants import CaseItemKind, DecisionKind, ItemKind, ItemStatus, MinutesStatus
from meetings.models import Action, AgendaItem, Body, ForwardItem, Meeting
from meetings.periods import period_parse
from tests.cases.factories import decision_member, ready_report, regisseur_user, secretary_user
from tests.meetings.factories import BodyFactory, advised_plan, at, case_item, organisation
from tests.personas import assert_redirects_to_login, signed_in

pytestmark = pytest.mark.django_db


@dataclass
class World:
    body: Body
    meeting: Meeting  # today's, under way
    following: Meeting  # in two weeks
    body_secretary: User
    member: User
    regisseur: User
    other_regisseur: User
    own_item: AgendaItem  # the regisseur's case: an adopted plan, to be accorded
    other_item: AgendaItem  # the other regisseur's case
    policy: AgendaItem
    action: Action  # owned by an organisation
    waiting: Report  # in the queue, in time for the following meeting
    forward: ForwardItem  # on the forward agenda


def build_world(time_machine) -> World:
    time_machine.move_to(at(date(2027, 2, 1)), tick=False)
    body_secretary, member = secretary_user(), decision_member()
    body = BodyFactory(pto=True, secretary=body_secretary, first_date=date(2027, 2, 3))
    body.members.set([member])
    services.meetings_generate(body=body, since=date(2027, 2, 3), until=date(2027, 3, 3))
    meeting = body.meetings.get(cycle_date=date(2027, 2, 17))
    regisseur, other_regisseur = regisseur_user(), regisseur_user()
    own_item = case_item(
        meeting, CaseItemKind.PLAN_ADOPTION, plan=advised_plan(regisseur=regisseur)
    )
    other_item = case_item(
        meeting, CaseItemKind.PLAN_ADOPTION, plan=advised_plan(regisseur=other_regisseur)
    )
    policy = services.agenda_item_add(
        meeting=meeting,
        actor=body_secretary,
        kind=ItemKind.POLICY,
        title="Monitor derde kwartaal",
        owner_organisation=organisation("OOV"),
    )
    action = services.action_create(
        body=body,
        actor=body_secretary,
        subject="Doorlooptijden",
        action="Analyse doorlooptijd melding tot besluit.",
        owners=[services.OwnerData(organisation=organisation("OOV"))],
    )
    services.agenda_distribute(meeting=meeting, actor=body_secretary)  # documents open
    time_machine.move_to(at(date(2027, 2, 17), 11), tick=False)
    services.decision_record(
        item=own_item,
        actor=body_secretary,
        data=services.DecisionData(kind=DecisionKind.ADOPT_PLAN, text="Vastgesteld."),
    )
    return World(
        body=body,
        meeting=meeting,
        following=body.meetings.get(cycle_date=date(2027, 3, 3)),
        body_secretary=body_secretary,
        member=member,
        regisseur=regisseur,
        other_regisseur=other_regisseur,
        own_item=own_item,
        other_item=other_item,
        policy=policy,
        action=action,
        waiting=ready_report(),
        forward=services.forward_item_create(
            body=body,
            actor=body_secretary,
            title="Evaluatie werkwijze",
            when=period_parse("september 2027"),
        ),
    )


@pytest.fixture
def world(time_machine) -> World:
    return build_world(time_machine)


def attendance_form(w: World) -> dict:
    return {
        "aanwezig-TOTAL_FORMS": "1",
        "aanwezig-INITIAL_FORMS": "0",
        "aanwezig-MIN_NUM_FORMS": "0",
        "aanwezig-MAX_NUM_FORMS": "60",
        "aanwezig-0-name": "Anna de Vries",
        "aanwezig-0-organisation": organisation("OOV").pk,
        "aanwezig-0-status": "aanwezig",
    }


@dataclass(frozen=True)
class View:
    name: str
    args: Callable[[World], list]
    post: Callable[[World], dict] | None = None  # the form a secretary sends; None: a GET
    did: Callable[[World], bool] = field(default=lambda w: True)  # the secretary's effect
    member_reads: bool = False  # a body member may use it
    regisseur_item: bool = False  # the regisseur's own item: only they see it


VIEWS = [
    View("body_list", lambda w: [], member_reads=True),
    View("body_detail", lambda w: [w.body.pk], member_reads=True),
    View(
        "meetings_generate",
        lambda w: [w.body.pk],
        post=lambda w: {},
        did=lambda w: w.body.meetings.count() > 3,
    ),
    View(
        "meeting_create_extra",
        lambda w: [w.body.pk],
        post=lambda w: {"starts_at": "2027-02-24T15:00", "reason": "Spoedcasus"},
        did=lambda w: w.body.meetings.filter(outside_cycle_reason="Spoedcasus").exists(),
    ),
    View(
        "action_add",
        lambda w: [w.body.pk],
        post=lambda w: {"subject": "Caseload", "action": "Herzien.", "owner_users": w.member.pk},
        did=lambda w: Action.objects.filter(subject="Caseload", owners__user=w.member).exists(),
    ),
    View("action_detail", lambda w: [w.action.pk], member_reads=True),
    View(
        "action_done",
        lambda w: [w.action.pk],
        post=lambda w: {"done_on": "2027-02-17", "confirm": "on"},
        did=lambda w: Action.objects.get(pk=w.action.pk).done_on == date(2027, 2, 17),
    ),
    View("action_reopen", lambda w: [w.action.pk], post=lambda w: {}),
    View(
        "action_update",
        lambda w: [w.action.pk],
        post=lambda w: {
            "subject": "Doorlooptijden (gecorrigeerd)",
            "action": "Analyse doorlooptijd.",
            "owner_organisations": organisation("OOV").pk,
        },
        did=lambda w: Action.objects.get(pk=w.action.pk).subject == "Doorlooptijden (gecorrigeerd)",
    ),
    View(
        "meeting_action_add",
        lambda w: [w.meeting.pk],
        post=lambda w: {
            "raised_in": w.meeting.pk,
            "item": w.policy.pk,
            "subject": "Monitor",
            "action": "Cijfers aanvullen.",
            "owner_groups": "allen",
        },
        did=lambda w: Action.objects.filter(subject="Monitor", item=w.policy).exists(),
    ),
    View(
        "action_remove",
        lambda w: [w.action.pk],
        post=lambda w: {},
        did=lambda w: not Action.objects.filter(pk=w.action.pk).exists(),
    ),
    View(
        "forward_add",
        lambda w: [w.body.pk],
        post=lambda w: {"title": "Evaluatie ITAT-R", "when": "Q3 2027"},
        did=lambda w: w.body.forward_items.filter(title="Evaluatie ITAT-R").exists(),
    ),
    View(
        "forward_update",
        lambda w: [w.body.pk],
        post=lambda w: {"punt": w.forward.pk, "title": "Evaluatie PTO-R", "when": "Q4 2027"},
        did=lambda w: ForwardItem.objects.get(pk=w.forward.pk).title == "Evaluatie PTO-R",
    ),
    View(
        "forward_remove",
        lambda w: [w.body.pk],
        post=lambda w: {"punt": w.forward.pk},
        did=lambda w: not ForwardItem.objects.filter(pk=w.forward.pk).exists(),
    ),
    View(
        "meeting_record_past",
        lambda w: [w.body.pk],
        post=lambda w: {
            "starts_at": "2027-02-10T09:00",
            "duration_minutes": "60",
            "reason": "Oud systeem",
        },
        did=lambda w: w.body.meetings.filter(recorded_afterwards_reason="Oud systeem").exists(),
    ),
    View(
        "section_add",
        lambda w: [w.meeting.pk],
        post=lambda w: {"kop": "Casuïstiek"},
        did=lambda w: w.meeting.sections.filter(title="Casuïstiek").exists(),
    ),
    View(
        "agenda_reorder",
        lambda w: [w.meeting.pk],
        post=lambda w: {"punt": w.policy.pk, "positie": "1"},
        did=lambda w: (
            AgendaItem.objects.get(pk=w.policy.pk).order
            < AgendaItem.objects.get(pk=w.own_item.pk).order
        ),
    ),
    View(
        "decision_correct",
        lambda w: [w.meeting.pk, w.own_item.decisions.get().pk],
        post=lambda w: {"text": "Vastgesteld, met een correctie."},
        did=lambda w: w.own_item.decisions.get().text == "Vastgesteld, met een correctie.",
    ),
    View("meeting_detail", lambda w: [w.meeting.pk], member_reads=True),
    View("meeting_reschedule", lambda w: [w.following.pk]),
    View(
        "agenda_place",
        lambda w: [w.following.pk],
        post=lambda w: {"kind": CaseItemKind.ADMISSION, "object": w.waiting.pk},
        did=lambda w: AgendaItem.objects.filter(meeting=w.following, report=w.waiting).exists(),
    ),
    View(
        "agenda_item_add",
        lambda w: [w.meeting.pk],
        post=lambda w: {"kind": ItemKind.CONSENT, "title": "Caseloadoverzicht"},
        did=lambda w: w.meeting.items.filter(title="Caseloadoverzicht").exists(),
    ),
    View(
        "agenda_item_shift",
        lambda w: [w.meeting.pk, w.policy.pk],
        post=lambda w: {"richting": "omhoog"},
        did=lambda w: (
            AgendaItem.objects.get(pk=w.policy.pk).order
            < AgendaItem.objects.get(pk=w.other_item.pk).order
        ),
    ),
    View(
        "agenda_item_move",
        lambda w: [w.meeting.pk],
        post=lambda w: {"punt": w.other_item.pk, "naar": w.following.pk},
        did=lambda w: AgendaItem.objects.get(pk=w.other_item.pk).meeting == w.following,
    ),
    View(
        "agenda_distribute",
        lambda w: [w.following.pk],
        post=lambda w: {},
        did=lambda w: Meeting.objects.get(pk=w.following.pk).agenda_sent_at is not None,
    ),
    View("agenda_pdf", lambda w: [w.meeting.pk], member_reads=True),
    View("minutes_pdf", lambda w: [w.meeting.pk], member_reads=True),
    View("meeting_ics", lambda w: [w.meeting.pk], member_reads=True),
    View("meeting_minutes", lambda w: [w.meeting.pk]),
    View(
        "attendance_save",
        lambda w: [w.meeting.pk],
        post=attendance_form,
        did=lambda w: w.meeting.attendance.filter(name="Anna de Vries").exists(),
    ),
    View(
        "minutes_adopt",
        lambda w: [w.meeting.pk],
        post=lambda w: {},
        did=lambda w: (
            w.body.meetings.get(cycle_date=date(2027, 2, 3)).minutes_status == MinutesStatus.ADOPTED
        ),
    ),
    View(
        "item_minutes_save",
        lambda w: [w.meeting.pk, w.policy.pk],
        post=lambda w: {
            f"m{w.policy.pk}-notes": "Besproken.",
            f"m{w.policy.pk}-status": "besproken",
            f"m{w.policy.pk}-lock_version": w.policy.lock_version,
        },
        did=lambda w: AgendaItem.objects.get(pk=w.policy.pk).status == ItemStatus.DISCUSSED,
    ),
    View(
        "decision_record",
        lambda w: [w.meeting.pk, w.policy.pk],
        post=lambda w: {
            f"d{w.policy.pk}-kind": DecisionKind.GENERAL,
            f"d{w.policy.pk}-text": "Ingestemd.",
        },
        did=lambda w: w.policy.decisions.filter(text="Ingestemd.").exists(),
    ),
    View(
        "plan_accord",
        lambda w: [w.meeting.pk, w.own_item.pk],
        post=lambda w: {},
        did=lambda w: Case.objects.get(pk=w.own_item.case_id).phase == CasePhase.IN_EXECUTION,
    ),
    View("item_detail", lambda w: [w.own_item.pk], regisseur_item=True),
    View("item_ics", lambda w: [w.own_item.pk], regisseur_item=True),
    # The meeting documents: the members and the item's own regisseur, not the secretary.
    View("item_documents", lambda w: [w.own_item.pk], member_reads=True, regisseur_item=True),
]


def request(client, view: View, w: World):
    url = reverse(f"meetings:{view.name}", args=view.args(w))
    if view.post is None:
        return client.get(url)
    return client.post(url, view.post(w))


def test_the_table_names_every_view_of_meetings():
    assert {view.name for view in VIEWS} == {p.name for p in meeting_urls.urlpatterns}


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.name)
def test_anonymous_goes_to_the_login_page(client, view):
    (pattern,) = [p for p in meeting_urls.urlpatterns if p.name == view.name]
    url = reverse(f"meetings:{view.name}", args=[1] * len(pattern.pattern.converters))

    response = client.post(url) if view.post else client.get(url)

    assert_redirects_to_login(response)


@pytest.mark.parametrize("view", [v for v in VIEWS if not v.regisseur_item], ids=lambda v: v.name)
def test_a_secretary_can_use_it(client, world, view):
    signed_in(client, secretary_user())  # the role, not this body's own secretary

    response = request(client, view, world)

    assert response.status_code == (302 if view.post else 200)
    if view.post:
        follow = client.get(response["Location"])
        assert 'class="alert alert-danger' not in follow.content.decode()
    assert view.did(world)


def test_the_item_page_is_the_regisseurs_own_not_the_secretarys(client, world):
    """The secretary reads every item on the meeting page; the item page is the regisseur's."""
    signed_in(client, secretary_user())

    codes = {v.name: request(client, v, world).status_code for v in VIEWS if v.regisseur_item}

    assert codes == {"item_detail": 404, "item_ics": 404, "item_documents": 404}


def codes_for(client, world: World, user: User) -> dict[str, int]:
    signed_in(client, user)
    return {view.name: request(client, view, world).status_code for view in VIEWS}


def test_a_member_reads_the_body_and_its_meetings_but_may_not_act(client, world):
    codes = codes_for(client, world, world.member)

    expected = {
        view.name: 200 if view.member_reads else 404 if view.regisseur_item else 403
        for view in VIEWS
    }
    assert codes == expected
    assert Action.objects.get(pk=world.action.pk).done_on is None
    assert Meeting.objects.get(pk=world.following.pk).agenda_sent_at is None


def test_a_member_of_another_body_finds_none_of_its_pages(client, world):
    outsider = decision_member()
    BodyFactory(pto=True, members=[outsider])

    codes = codes_for(client, world, outsider)

    assert codes == {view.name: 200 if view.name == "body_list" else 404 for view in VIEWS}
    html = client.get(reverse("meetings:body_list")).content.decode()
    assert world.body.name not in html


def test_a_regisseur_sees_their_own_item_and_nothing_else(client, world):
    codes = codes_for(client, world, world.regisseur)

    assert codes == {
        view.name: 200 if view.name == "body_list" or view.regisseur_item else 404 for view in VIEWS
    }


def test_another_regisseurs_item_does_not_exist_for_them(client, world):
    signed_in(client, world.other_regisseur)

    page = client.get(reverse("meetings:item_detail", args=[world.own_item.pk]))
    ics = client.get(reverse("meetings:item_ics", args=[world.own_item.pk]))
    their_own = client.get(reverse("meetings:item_detail", args=[world.other_item.pk]))

    assert (page.status_code, ics.status_code, their_own.status_code) == (404, 404, 200)


def test_the_body_secretary_without_the_role_runs_their_own_body(client, world):
    secretary = world.body_secretary
    secretary.groups.clear()
    secretary.__dict__.pop("role_names", None)
    signed_in(client, secretary)

    response = client.post(
        reverse("meetings:agenda_distribute", args=[world.following.pk]), follow=True
    )

    assert response.status_code == 200
    assert Meeting.objects.get(pk=world.following.pk).agenda_sent_at is not None
