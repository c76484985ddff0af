"""Acceptance 2 of issue 5: what was ready at least 7 days before a meeting goes on it; what
was ready later goes to the first meeting after that, and the refusal says which one.

The decision meeting below meets every other Wednesday at 09:00: 3 February, 17 February and
3 March 2027. Time stands still at the moment each test names (Amsterdam time)."""

from datetime import date

import pytest
from django.urls import reverse

from cases import services as case_services
from cases.exceptions import TransitionNotAllowed
from meetings import selectors, services
from meetings.constants import CaseItemKind
from meetings.models import AgendaItem
from tests.cases.factories import ready_report, secretary_user
from tests.meetings.factories import BodyFactory, at, meeting_on, submitted_plan
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

FIRST, MEETING, FOLLOWING = date(2027, 2, 3), date(2027, 2, 17), date(2027, 3, 3)


@pytest.fixture
def secretary():
    return secretary_user()


@pytest.fixture
def body(secretary):
    body = BodyFactory(pto=True, secretary=secretary, first_date=FIRST)
    services.meetings_generate(body=body, since=FIRST, until=FOLLOWING)
    return body


def report_ready_at(time_machine, moment):
    time_machine.move_to(moment, tick=False)
    return ready_report()


def admission(report):
    return services.Placement(CaseItemKind.ADMISSION, report=report)


class TestTheBoundary:
    def test_a_report_ready_exactly_seven_days_before_goes_on_the_meeting(
        self, time_machine, body, secretary
    ):
        report = report_ready_at(time_machine, at(date(2027, 2, 10), 16, 30))
        meeting = body.meetings.get(cycle_date=MEETING)

        item = services.agenda_place(meeting=meeting, actor=secretary, placement=admission(report))

        assert item.meeting == meeting
        assert item.report == report
        assert item.title == f"Nieuwe melding: besluit over opname: melding {report.reference}"
        assert services.in_time_for(meeting, date(2027, 2, 10))
        assert services.first_meeting_for(body, date(2027, 2, 10)) == meeting
        assert item.history.get().history_user == secretary

    def test_a_report_ready_six_days_before_is_refused_naming_the_next_meeting(
        self, time_machine, body, secretary
    ):
        report = report_ready_at(time_machine, at(date(2027, 2, 11), 8, 0))
        meeting = body.meetings.get(cycle_date=MEETING)

        with pytest.raises(TransitionNotAllowed) as refused:
            services.agenda_place(meeting=meeting, actor=secretary, placement=admission(report))

        assert refused.value.message == (
            "Te laat voor de vergadering van 17-02-2027: klaar op 11-02-2027, dat is minder dan "
            "7 dagen ervoor. De eerstvolgende mogelijkheid is 03-03-2027."
        )
        assert not AgendaItem.objects.filter(report=report).exists()
        assert not services.in_time_for(meeting, date(2027, 2, 11))
        following = body.meetings.get(cycle_date=FOLLOWING)
        assert services.first_meeting_for(body, date(2027, 2, 11)) == following

    def test_the_late_report_goes_on_the_following_meeting(self, time_machine, body, secretary):
        report = report_ready_at(time_machine, at(date(2027, 2, 11), 8, 0))
        following = body.meetings.get(cycle_date=FOLLOWING)

        item = services.agenda_place(
            meeting=following, actor=secretary, placement=admission(report)
        )

        assert item.meeting == following

    @pytest.mark.parametrize(
        ("moment", "in_time"),
        [
            # 23:30 in Amsterdam on the 10th is 22:30 UTC: still 7 days before.
            (at(date(2027, 2, 10), 23, 30), True),
            # 00:30 in Amsterdam on the 11th is 23:30 UTC on the 10th: 6 days before here.
            (at(date(2027, 2, 11), 0, 30), False),
        ],
        ids=["late-evening-day-7", "just-after-midnight-day-6"],
    )
    def test_the_days_are_counted_on_the_amsterdam_calendar(
        self, time_machine, body, secretary, moment, in_time
    ):
        report = report_ready_at(time_machine, moment)
        meeting = body.meetings.get(cycle_date=MEETING)

        suggested = services.first_meeting_for(body, admission(report).ready_on)

        assert (suggested == meeting) is in_time
        (queued,) = selectors.queue_for(body)
        assert queued.suggested == suggested
        if in_time:
            services.agenda_place(meeting=meeting, actor=secretary, placement=admission(report))
        else:
            with pytest.raises(TransitionNotAllowed, match="Te laat"):
                services.agenda_place(meeting=meeting, actor=secretary, placement=admission(report))

    def test_without_a_later_meeting_the_refusal_says_none_is_planned(
        self, time_machine, secretary
    ):
        body = BodyFactory(pto=True, secretary=secretary, first_date=FIRST)
        meeting = meeting_on(body, MEETING)  # the only meeting there is
        report = report_ready_at(time_machine, at(date(2027, 2, 12)))

        with pytest.raises(TransitionNotAllowed) as refused:
            services.agenda_place(meeting=meeting, actor=secretary, placement=admission(report))

        assert refused.value.message.endswith("Er is nog geen volgende vergadering gepland.")
        assert services.first_meeting_for(body, date(2027, 2, 12)) is None

    def test_a_cancelled_meeting_is_never_suggested(self, time_machine, body, secretary):
        time_machine.move_to(at(date(2027, 2, 9)), tick=False)
        services.meeting_reschedule(
            meeting=body.meetings.get(cycle_date=MEETING),
            actor=secretary,
            cancel=True,
            reason="Voorjaarsvakantie",
        )

        suggested = services.first_meeting_for(body, date(2027, 2, 9))

        assert suggested == body.meetings.get(cycle_date=FOLLOWING)


class TestPlans:
    """The same rule for a plan: for advice from its submission, for adoption from the advice."""

    def test_a_plan_submitted_seven_days_before_the_itatr_goes_on_it(self, time_machine):
        secretary = secretary_user()
        itatr = BodyFactory(itatr=True, secretary=secretary, first_date=date(2027, 2, 4))
        meeting = meeting_on(itatr, date(2027, 2, 25))
        time_machine.move_to(at(date(2027, 2, 18), 17), tick=False)
        plan = submitted_plan()

        item = services.agenda_place(
            meeting=meeting,
            actor=secretary,
            placement=services.Placement(CaseItemKind.PLAN_ADVICE, plan=plan, case=plan.case),
        )

        assert (item.plan, item.case) == (plan, plan.case)

    def test_a_plan_submitted_six_days_before_the_itatr_is_refused(self, time_machine):
        secretary = secretary_user()
        itatr = BodyFactory(itatr=True, secretary=secretary, first_date=date(2027, 2, 4))
        meeting = meeting_on(itatr, date(2027, 2, 25))
        meeting_on(itatr, date(2027, 3, 18))
        time_machine.move_to(at(date(2027, 2, 19), 9), tick=False)
        plan = submitted_plan()

        with pytest.raises(TransitionNotAllowed) as refused:
            services.agenda_place(
                meeting=meeting,
                actor=secretary,
                placement=services.Placement(CaseItemKind.PLAN_ADVICE, plan=plan, case=plan.case),
            )

        assert "De eerstvolgende mogelijkheid is 18-03-2027." in refused.value.message

    def test_a_plan_for_adoption_counts_from_the_advice_not_the_submission(
        self, time_machine, body, secretary
    ):
        time_machine.move_to(at(date(2027, 1, 20)), tick=False)
        plan = submitted_plan()  # submitted four weeks before the meeting ...
        time_machine.move_to(at(date(2027, 2, 11)), tick=False)
        plan = case_services.plan_record_advice(plan=plan, actor=secretary, advice="Positief.")
        # ... but advised only six days before it.

        with pytest.raises(TransitionNotAllowed, match="klaar op 11-02-2027"):
            services.agenda_place(
                meeting=body.meetings.get(cycle_date=MEETING),
                actor=secretary,
                placement=services.Placement(CaseItemKind.PLAN_ADOPTION, plan=plan, case=plan.case),
            )


def test_an_agenda_request_for_a_meeting_in_the_past_is_refused(time_machine, body, secretary):
    report = report_ready_at(time_machine, at(date(2027, 1, 20)))
    time_machine.move_to(at(date(2027, 2, 3), 9, 30), tick=False)  # half an hour into it

    with pytest.raises(TransitionNotAllowed) as refused:
        services.agenda_place(
            meeting=body.meetings.get(cycle_date=FIRST),
            actor=secretary,
            placement=admission(report),
        )

    assert refused.value.message == "Deze vergadering is al geweest; kies een volgende."
    assert not AgendaItem.objects.filter(report=report).exists()


class TestTheQueue:
    @pytest.fixture
    def reports(self, time_machine, body):
        on_time = report_ready_at(time_machine, at(date(2027, 2, 10), 12))
        late = report_ready_at(time_machine, at(date(2027, 2, 11), 12))
        time_machine.move_to(at(date(2027, 2, 12), 9), tick=False)
        return on_time, late

    def test_it_suggests_the_first_meeting_each_request_is_in_time_for(self, body, reports):
        on_time, late = reports

        suggested = {entry.placement.report: entry.suggested for entry in selectors.queue_for(body)}

        assert suggested == {
            on_time: body.meetings.get(cycle_date=MEETING),
            late: body.meetings.get(cycle_date=FOLLOWING),
        }

    def test_the_secretary_sees_the_suggestion_and_may_place_only_what_is_in_time(
        self, client, body, secretary, reports
    ):
        on_time, late = reports
        meeting = body.meetings.get(cycle_date=MEETING)
        signed_in(client, secretary)

        response = client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))

        queue = {row["entry"].placement.report: row for row in response.context["queue"]}
        assert queue[on_time]["in_time"] and not queue[late]["in_time"]
        html = response.content.decode()
        assert "Klaar op 11-02-2027 · eerstvolgende mogelijkheid 03-03-2027" in html
        assert "Klaar op 10-02-2027 · eerstvolgende mogelijkheid 17-02-2027" in html
        assert html.count("te laat voor deze vergadering") == 1
        assert html.count("Op deze agenda") == 1

    def test_a_past_meetings_page_does_not_offer_op_deze_agenda(
        self, client, body, secretary, reports, time_machine
    ):
        on_time, late = reports
        meeting = body.meetings.get(cycle_date=MEETING)
        time_machine.move_to(at(MEETING, 9, 1), tick=False)  # a minute after it began
        signed_in(client, secretary)

        response = client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))

        # The queue is shown, the report was in time for this meeting, yet nothing is offered.
        queue = {row["entry"].placement.report: row for row in response.context["queue"]}
        assert queue[on_time]["in_time"]
        html = response.content.decode()
        assert on_time.reference in html
        assert "Op deze agenda" not in html
        assert "te laat voor deze vergadering" not in html
        assert response.context["can_place"] is False

    def test_placing_a_late_request_through_the_page_says_why_and_places_nothing(
        self, client, body, secretary, reports
    ):
        on_time, late = reports
        meeting = body.meetings.get(cycle_date=MEETING)
        signed_in(client, secretary)
        url = reverse("meetings:agenda_place", args=[meeting.pk])

        response = client.post(
            url, {"kind": CaseItemKind.ADMISSION, "object": late.pk}, follow=True
        )

        assert "De eerstvolgende mogelijkheid is 03-03-2027." in response.content.decode()
        assert not AgendaItem.objects.filter(report=late).exists()

        client.post(url, {"kind": CaseItemKind.ADMISSION, "object": on_time.pk})

        assert AgendaItem.objects.get(report=on_time).meeting == meeting
        assert [e.placement.report for e in selectors.queue_for(body)] == [late]
