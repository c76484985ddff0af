"""Acceptance 5 of issue 5: the agenda page (the secretary's view, queue included) runs the
same number of queries with 5 and with 60 agenda items, and with a short and a long queue.

The items are every kind the page shows: admissions, plans, proposals, policy and consent
items with their decisions, closed-session items (some the secretary attends), items carried
over from the previous meeting."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.constants import ProposalKind
from cases.models import Case, PlanVersion, Proposal
from intake.models import Report
from ipgar.accounts.models import User
from meetings import services
from meetings.constants import CaseItemKind, DecisionKind, ItemKind, ItemStatus
from meetings.models import AgendaItem, Decision, Meeting
from tests.cases.factories import CaseFactory, decision_member, ready_report, secretary_user
from tests.meetings.factories import (
    BodyFactory,
    advised_plan,
    at,
    case_item,
    meeting_on,
    organisation,
    proposal,
)
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


@dataclass
class Pool:
    """A few objects of each kind; many items may point at the same one."""

    reports: list[Report]
    plans: list[PlanVersion]
    proposals: list[Proposal]
    cases: list[Case]
    earlier: list[AgendaItem]  # items of the previous meeting, to carry over


def pick(objects, n):
    """Item n of the agenda points at each of `objects` in turn (n counts through 8 kinds)."""
    return objects[n // 8 % len(objects)]


def fill_agenda(meeting: Meeting, secretary: User, other: User, pool: Pool, numbers: range) -> None:
    for n in numbers:
        kind = n % 8
        if kind == 0:
            case_item(meeting, CaseItemKind.ADMISSION, report=pick(pool.reports, n))
        elif kind == 1:
            case_item(meeting, CaseItemKind.PLAN_ADOPTION, plan=pick(pool.plans, n))
        elif kind == 2:
            case_item(meeting, CaseItemKind.PHASE_DOWN, proposal=pick(pool.proposals, n))
        elif kind == 3:
            case_item(
                meeting,
                CaseItemKind.STUCK,
                case=pick(pool.cases, n),
                carried_from=pick(pool.earlier, n),
                carry_note="Niet besproken op 03-02-2027.",
            )
        else:
            item = services.agenda_item_add(
                meeting=meeting,
                actor=secretary,
                kind=ItemKind.CONSENT if kind == 4 else ItemKind.POLICY,
                title=f"Beleidsonderwerp {n}",
                owner_organisation=organisation("OOV" if n % 3 else "POL"),
                is_closed_session=kind in (6, 7),
                closed_attendees=[secretary] if kind == 6 else [other] if kind == 7 else [],
            )
            for text in ("Ingestemd.", "OOV verwerkt de opmerkingen."):
                decision = Decision(
                    item=item, kind=DecisionKind.GENERAL, text=text, recorded_by=secretary
                )
                decision._history_user = secretary
                decision.save()


@pytest.fixture
def agenda(time_machine):
    time_machine.move_to(at(date(2027, 1, 20)), tick=False)
    secretary, other = secretary_user(), decision_member()
    body = BodyFactory(pto=True, secretary=secretary, first_date=date(2027, 2, 3), members=[other])
    previous = meeting_on(body, date(2027, 2, 3))
    meeting = meeting_on(body, date(2027, 2, 17))
    meeting_on(body, date(2027, 3, 3))
    cases = [CaseFactory(in_execution=True) for _ in range(2)]
    pool = Pool(
        reports=[ready_report() for _ in range(3)],
        plans=[advised_plan() for _ in range(2)],
        proposals=[proposal(ProposalKind.PHASE_DOWN, case=case) for case in cases],
        cases=cases,
        earlier=[
            case_item(previous, CaseItemKind.STUCK, case=case, status=ItemStatus.NOT_DISCUSSED)
            for case in cases
        ],
    )
    time_machine.move_to(at(date(2027, 2, 4)), tick=False)
    return body, meeting, secretary, other, pool


def queue_more(count: int, time_machine) -> None:
    """Reports and plans that became ready and wait in the secretary's queue."""
    for n in range(count):
        if n % 2:
            advised_plan()
        else:
            ready_report()


def queries_for(client, url: str) -> tuple[int, str]:
    client.get(url)  # warm up: content types, the session's last-seen stamp
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_agenda_page_runs_the_same_number_of_queries_with_5_and_60_items(
    client, agenda, time_machine
):
    body, meeting, secretary, other, pool = agenda
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    signed_in(client, secretary)
    fill_agenda(meeting, secretary, other, pool, range(5))
    queue_more(2, time_machine)

    few, html = queries_for(client, url)
    assert html.count('data-testid="agenda-item"') == 4 + 5
    fill_agenda(meeting, secretary, other, pool, range(5, 60))
    queue_more(8, time_machine)
    many, html = queries_for(client, url)

    print(f"meeting_detail (secretary, queue included): {few} queries with 5 items, {many} with 60")
    hidden = AgendaItem.objects.filter(meeting=meeting, closed_attendees=other)
    assert html.count('data-testid="agenda-item"') == 4 + 60 - hidden.count() == 4 + 60 - 7
    assert html.count("BESLUIT:") == 2 * 21  # consent, policy and the secretary's closed items
    assert html.count("Niet besproken op 03-02-2027.") == 8
    queue = html.split('data-testid="queue"')[1].split("</ul>")[0]
    assert queue.count("<li") == 10
    assert many == few


def test_the_minutes_page_runs_the_same_number_of_queries_with_5_and_60_items(
    client, agenda, time_machine
):
    body, meeting, secretary, other, pool = agenda
    url = reverse("meetings:meeting_minutes", args=[meeting.pk])
    signed_in(client, secretary)
    fill_agenda(meeting, secretary, other, pool, range(5))

    few, html = queries_for(client, url)
    fill_agenda(meeting, secretary, other, pool, range(5, 60))
    many, html = queries_for(client, url)

    print(f"meeting_minutes (secretary): {few} queries with 5 items, {many} with 60")
    assert html.count('data-testid="decision-form-') == 4 + 60 - 7
    # Every admission item offers the regisseurs to appoint (8 of the 60 items).
    regisseur = pool.plans[0].case.regisseur
    option = (
        f'<option value="{regisseur.pk}" data-organisation="{regisseur.organisation_id}">'
        f"{regisseur.get_full_name()} ({regisseur.organisation.name}) · caseload "
    )
    assert html.count(option) == 8
    assert many == few


def test_the_regisseurs_list_of_their_slots_runs_the_same_number_of_queries(client, time_machine):
    time_machine.move_to(at(date(2027, 2, 1)), tick=False)
    body = BodyFactory(pto=True, first_date=date(2027, 2, 3))
    meetings = [meeting_on(body, day) for day in (date(2027, 2, 3), date(2027, 2, 17))]
    own, colleagues = CaseFactory(), CaseFactory()
    case_item(meetings[0], CaseItemKind.STUCK, case=own)
    signed_in(client, own.regisseur)
    url = reverse("meetings:body_list")

    few, _ = queries_for(client, url)
    for meeting in meetings:  # a colleague's item first, so the slots start later
        case_item(meeting, CaseItemKind.STUCK, case=colleagues)
        for _ in range(5):
            case_item(meeting, CaseItemKind.STUCK, case=own)
    many, html = queries_for(client, url)

    print(f"body_list (regisseur): {few} queries with 1 own item, {many} with 11")
    listed = html.split('data-testid="my-agenda-items"')[1].split("</ul>")[0]
    assert listed.count("<li>") == 11
    assert "03-02-2027, 09:00–09:15" in listed  # the first one, before the colleague's
    assert "17-02-2027, 09:15–09:30" in listed  # after the colleague's item
    assert "17-02-2027, 10:15–10:30" in listed  # the last of the five
    assert colleagues.subject.last_name not in listed
    assert many == few


def test_a_queue_of_thousands_shows_the_25_longest_ready_in_the_same_queries(
    client, agenda, time_machine
):
    """Issue 10: at national scale the queue runs into the thousands; the page shows the
    entries that waited longest and says there are more, without loading the rest."""
    body, meeting, secretary, other, pool = agenda
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    signed_in(client, secretary)
    queue_more(2, time_machine)
    few, html = queries_for(client, url)
    assert 'data-testid="queue-more"' not in html

    queue_more(40, time_machine)
    many, html = queries_for(client, url)

    print(f"meeting_detail: {few} queries with a queue of 5, {many} with a queue of 45")
    queue = html.split('data-testid="queue"')[1].split("</ul>")[0]
    assert queue.count("<li") == 25
    assert 'data-testid="queue-more"' in html
    assert many == few
