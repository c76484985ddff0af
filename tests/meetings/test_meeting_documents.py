"""Meeting documents (vergaderstukken), issue 17 acceptance 1.

The members of a meeting read, from the agenda, what each case item is about: for the decision
meeting the Voorportaal's advice and the assessment summary, for the ITAT-R the concept plan and
the base file. Only the meeting's attendees (a closed-session item: its own attendees) and the
item's own regisseur; only from the agenda's distribution until the minutes are adopted; every
read in the access log. Everyone else, before and after: 404.

The decision meeting is on Wednesday 17 February 2027 at 09:00; its agenda goes out on the 9th,
the minutes are adopted at the next meeting on 3 March."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from cases.constants import ProposalKind
from cases.models import BaseFile
from ipgar.accounts.models import User
from ipgar.audit.models import AccessLogEntry
from meetings import services
from meetings.constants import CaseItemKind
from meetings.models import AgendaItem, Body, Meeting
from tests.cases.factories import (
    decision_member,
    itatr_member,
    ready_report,
    regisseur_user,
    secretary_user,
)
from tests.meetings.factories import (
    BodyFactory,
    advised_plan,
    at,
    case_item,
    organisation,
    pdf_text,
    proposal,
    submitted_plan,
)
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

MEETING = date(2027, 2, 17)


@dataclass
class World:
    body: Body
    meeting: Meeting
    secretary: User
    member: User
    closed_member: User
    regisseur: User
    admission: AgendaItem
    adoption: AgendaItem
    closed: AgendaItem


@pytest.fixture
def world(time_machine) -> World:
    time_machine.move_to(at(date(2027, 2, 1)), tick=False)
    secretary, member, closed_member = secretary_user(), decision_member(), decision_member()
    body = BodyFactory(pto=True, secretary=secretary, first_date=date(2027, 2, 3))
    body.members.set([member, closed_member])
    services.meetings_generate(body=body, since=date(2027, 2, 3), until=date(2027, 3, 3))
    meeting = body.meetings.get(cycle_date=MEETING)
    regisseur = regisseur_user()
    admission = case_item(meeting, CaseItemKind.ADMISSION, report=ready_report())
    adoption = case_item(
        meeting, CaseItemKind.PLAN_ADOPTION, plan=advised_plan(regisseur=regisseur)
    )
    closed = case_item(
        meeting, CaseItemKind.PLAN_ADOPTION, plan=advised_plan(), is_closed_session=True
    )
    closed.closed_attendees.set([closed_member])
    return World(
        body, meeting, secretary, member, closed_member, regisseur, admission, adoption, closed
    )


def distribute(w: World, time_machine) -> None:
    time_machine.move_to(at(date(2027, 2, 9)), tick=False)
    services.agenda_distribute(meeting=w.meeting, actor=w.secretary)


def read(client, user: User, item: AgendaItem):
    signed_in(client, user)
    return client.get(reverse("meetings:item_documents", args=[item.pk]))


def test_an_attendee_reads_the_advice_and_assessment_once_the_agenda_went_out(
    client, world, time_machine
):
    distribute(world, time_machine)

    response = read(client, world.member, world.admission)

    assert response.status_code == 200
    html = response.content.decode()
    advice = world.admission.report.advice
    assert advice.reasoning in html
    assert 'data-testid="doc-assessment"' in html


def test_an_attendee_reads_the_plan_with_goals_interventions_and_processed_advice(
    client, world, time_machine
):
    distribute(world, time_machine)

    html = read(client, world.member, world.adoption).content.decode()

    plan = world.adoption.plan
    assert plan.snapshot["goals"][0]["description"] in html
    assert plan.snapshot["interventions"][0]["rationale"] in html
    assert "Netwerkinterventie toegevoegd." in html  # what the regisseur did with the advice


def test_before_the_agenda_went_out_the_documents_do_not_exist(client, world):
    assert read(client, world.member, world.admission).status_code == 404


def test_after_the_minutes_are_adopted_the_documents_close_again(client, world, time_machine):
    distribute(world, time_machine)
    time_machine.move_to(at(date(2027, 3, 3), 10), tick=False)
    following = world.body.meetings.get(cycle_date=date(2027, 3, 3))
    services.minutes_adopt(meeting=following, actor=world.secretary)

    assert read(client, world.member, world.admission).status_code == 404


def test_a_non_attendee_never_reads_them(client, world, time_machine):
    distribute(world, time_machine)
    outsider = decision_member()
    BodyFactory(pto=True, members=[outsider])

    codes = [
        read(client, user, world.admission).status_code
        for user in (outsider, world.secretary, regisseur_user())
    ]

    assert codes == [404, 404, 404]


def test_a_closed_session_item_is_read_only_by_its_attendees(client, world, time_machine):
    distribute(world, time_machine)

    codes = [read(client, u, world.closed).status_code for u in (world.member, world.closed_member)]

    assert codes == [404, 200]


def test_the_regisseur_reads_only_their_own_item(client, world, time_machine):
    distribute(world, time_machine)

    codes = [
        read(client, world.regisseur, item).status_code
        for item in (world.adoption, world.admission, world.closed)
    ]

    assert codes == [200, 404, 404]


def test_an_item_that_is_not_a_case_item_has_no_documents(client, world, time_machine):
    distribute(world, time_machine)
    opening = world.meeting.items.order_by("order").first()

    assert read(client, world.member, opening).status_code == 404


def test_every_read_is_written_to_the_access_log(client, world, time_machine):
    distribute(world, time_machine)
    before = AccessLogEntry.objects.count()

    read(client, world.member, world.admission)
    read(client, world.member, world.adoption)
    read(client, world.member, world.adoption)

    lines = list(AccessLogEntry.objects.order_by("pk")[before:])
    assert [(line.user_id, line.subject_ref) for line in lines] == [
        (world.member.pk, f"report:{world.admission.report_id}"),
        (world.member.pk, f"subject:{world.adoption.case.subject_id}"),
        (world.member.pk, f"subject:{world.adoption.case.subject_id}"),
    ]
    assert all(line.description.startswith("vergaderstukken") for line in lines)


def test_the_agenda_links_each_item_to_its_documents_only_for_readers(client, world, time_machine):
    distribute(world, time_machine)
    link = reverse("meetings:item_documents", args=[world.closed.pk])

    member_html = read_agenda(client, world.member, world)
    closed_html = read_agenda(client, world.closed_member, world)
    secretary_html = read_agenda(client, world.secretary, world)

    assert reverse("meetings:item_documents", args=[world.admission.pk]) in member_html
    assert link not in member_html and link in closed_html
    assert "Vergaderstukken" not in secretary_html


def read_agenda(client, user, w: World) -> str:
    signed_in(client, user)
    return client.get(reverse("meetings:meeting_detail", args=[w.meeting.pk])).content.decode()


def test_the_member_may_take_the_agenda_with_documents_watermarked_with_their_name(
    client, world, time_machine
):
    distribute(world, time_machine)
    signed_in(client, world.member)
    before = AccessLogEntry.objects.count()

    plain = client.get(reverse("meetings:agenda_pdf", args=[world.meeting.pk]))
    bundle = client.get(reverse("meetings:agenda_pdf", args=[world.meeting.pk]) + "?stukken=1")

    name = world.member.get_full_name()
    # The watermark is large and turned: the text layer may break the name over lines.
    assert name not in " ".join(pdf_text(plain.content).split())
    text = " ".join(pdf_text(bundle.content).split())
    assert name in text
    assert world.admission.report.advice.reasoning[:30] in text
    # the agenda twice, and each of the two items the member may read once
    described = AccessLogEntry.objects.order_by("pk")[before:].values_list("description", flat=True)
    assert sum(d.startswith("vergaderstukken") for d in described) == 2


# --- The ITAT-R: the concept plan, the base file and the proposal ------------------------------
#
# The ITAT-R meets on Thursday 18 February 2027 at 13:00; its agenda goes out on the 10th, the
# minutes are adopted at the next meeting on 11 March.

ITATR_MEETING = date(2027, 2, 18)
ITATR_NEXT = date(2027, 3, 11)
BASE_FILE_SUMMARY = "Informatiebeeld: zoekt aansluiting bij een online netwerk."


@dataclass
class Itatr:
    body: Body
    meeting: Meeting
    secretary: User
    member: User
    plan_item: AgendaItem
    phase_down_item: AgendaItem
    closure_item: AgendaItem


@pytest.fixture
def itatr(time_machine) -> Itatr:
    time_machine.move_to(at(date(2027, 2, 1)), tick=False)
    secretary = secretary_user()
    member = itatr_member(organisation("OOV"))
    body = BodyFactory(itatr=True, secretary=secretary, first_date=ITATR_MEETING)
    body.members.set([member])
    services.meetings_generate(body=body, since=ITATR_MEETING, until=ITATR_NEXT)
    meeting = body.meetings.get(cycle_date=ITATR_MEETING)
    plan_item = case_item(meeting, CaseItemKind.PLAN_ADVICE, plan=submitted_plan())
    phase_down_item = case_item(
        meeting, CaseItemKind.PHASE_DOWN, proposal=proposal(ProposalKind.PHASE_DOWN)
    )
    closure_item = case_item(meeting, CaseItemKind.CLOSURE, proposal=proposal(ProposalKind.CLOSURE))
    BaseFile.objects.filter(case=plan_item.case).update(summary=BASE_FILE_SUMMARY)
    return Itatr(body, meeting, secretary, member, plan_item, phase_down_item, closure_item)


def distribute_itatr(w: Itatr, time_machine) -> None:
    time_machine.move_to(at(date(2027, 2, 10)), tick=False)
    services.agenda_distribute(meeting=w.meeting, actor=w.secretary)


def test_an_itatr_attendee_reads_the_concept_plan_goals_interventions_and_base_file(
    client, itatr, time_machine
):
    distribute_itatr(itatr, time_machine)

    response = read(client, itatr.member, itatr.plan_item)

    assert response.status_code == 200
    html = response.content.decode()
    snapshot = itatr.plan_item.plan.snapshot
    assert snapshot["goals"] and snapshot["interventions"]
    for goal in snapshot["goals"]:
        assert escape(goal["description"]) in html
    for intervention in snapshot["interventions"]:
        assert escape(intervention["name"]) in html
        assert escape(intervention["rationale"]) in html
    assert 'data-testid="doc-goals"' in html and 'data-testid="doc-interventions"' in html
    assert escape(BASE_FILE_SUMMARY) in html
    assert 'data-testid="doc-base-file"' in html


@pytest.mark.parametrize("which", ["phase_down_item", "closure_item"])
def test_an_itatr_attendee_reads_the_proposal_and_the_base_file(client, itatr, time_machine, which):
    item = getattr(itatr, which)
    distribute_itatr(itatr, time_machine)

    response = read(client, itatr.member, item)

    assert response.status_code == 200
    html = response.content.decode()
    offer = item.proposal
    assert 'data-testid="doc-proposal"' in html
    assert escape(offer.get_kind_display()) in html
    assert escape(offer.goals_met) in html
    assert escape(offer.reasoning) in html
    assert 'data-testid="doc-base-file"' in html
    if offer.kind == ProposalKind.CLOSURE:
        assert f"Warme overdracht aan {escape(offer.handover_organisation)}" in html


def test_itatr_documents_open_only_from_distribution_until_the_minutes_are_adopted(
    client, itatr, time_machine
):
    items = (itatr.plan_item, itatr.closure_item)
    before = [read(client, itatr.member, item).status_code for item in items]
    distribute_itatr(itatr, time_machine)
    during = [read(client, itatr.member, item).status_code for item in items]
    time_machine.move_to(at(ITATR_NEXT, 14), tick=False)
    following = itatr.body.meetings.get(cycle_date=ITATR_NEXT)
    services.minutes_adopt(meeting=following, actor=itatr.secretary)
    after = [read(client, itatr.member, item).status_code for item in items]

    assert (before, during, after) == ([404, 404], [200, 200], [404, 404])


def test_a_non_member_of_the_itatr_never_reads_its_documents(client, itatr, time_machine):
    distribute_itatr(itatr, time_machine)
    elsewhere = itatr_member(organisation("OOV"))
    BodyFactory(itatr=True, members=[elsewhere])  # a member of another advisory body
    decision_only = decision_member()
    BodyFactory(pto=True, members=[decision_only])

    codes = [
        read(client, user, item).status_code
        for user in (elsewhere, decision_only, itatr.secretary, regisseur_user())
        for item in (itatr.plan_item, itatr.phase_down_item, itatr.closure_item)
    ]

    assert codes == [404] * 12
