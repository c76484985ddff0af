"""Acceptance 5 of issue 16: the time rules at their boundaries. The decision meeting meets on
Wednesday 17 February 2027 at 09:00 (and every other Wednesday)."""

from datetime import date, timedelta

import pytest

from cases.exceptions import TransitionNotAllowed
from meetings import services
from meetings.constants import DecisionKind, ItemKind, MinutesStatus
from meetings.models import Decision, Meeting
from tests.cases.factories import secretary_user
from tests.meetings.factories import BodyFactory, at, organisation

pytestmark = pytest.mark.django_db

EARLIER, DAY, NEXT = date(2027, 2, 3), date(2027, 2, 17), date(2027, 3, 3)


@pytest.fixture
def pto(time_machine):
    time_machine.move_to(at(date(2027, 1, 20), 10), tick=False)
    secretary = secretary_user()
    body = BodyFactory(pto=True, secretary=secretary, first_date=EARLIER)
    services.meetings_generate(body=body, since=EARLIER, until=date(2027, 3, 31), actor=secretary)
    meeting = body.meetings.get(cycle_date=DAY)
    item = services.agenda_item_add(
        meeting=meeting,
        actor=secretary,
        kind=ItemKind.POLICY,
        title="Concept beoordelingskader",
        owner_organisation=organisation("OOV"),
    )
    return body, meeting, item, secretary


def decide(item, secretary):
    return services.decision_record(
        item=item,
        actor=secretary,
        data=services.DecisionData(kind=DecisionKind.GENERAL, text="Ingestemd."),
    )


class TestADecision:
    def test_a_minute_before_the_start_is_refused_though_it_is_the_same_day(
        self, pto, time_machine
    ):
        _, _, item, secretary = pto
        time_machine.move_to(at(DAY, 8, 59), tick=False)

        with pytest.raises(TransitionNotAllowed) as refused:
            decide(item, secretary)

        assert refused.value.message == (
            "Een besluit wordt vastgelegd vanaf de aanvang van de vergadering "
            "(17-02-2027 09:00), niet eerder."
        )
        assert not Decision.objects.exists()

    def test_a_minute_after_the_start_it_is_recorded_and_dated_by_the_meeting(
        self, pto, time_machine
    ):
        _, meeting, item, secretary = pto
        time_machine.move_to(at(DAY, 9, 1), tick=False)

        decision = decide(item, secretary)

        assert decision.decided_at == meeting.starts_at


class TestAdoptingMinutes:
    def test_a_minute_before_the_adopting_meeting_starts_is_refused(self, pto, time_machine):
        body, meeting, _, secretary = pto
        time_machine.move_to(at(DAY, 8, 59), tick=False)

        with pytest.raises(TransitionNotAllowed) as refused:
            services.minutes_adopt(meeting=meeting, actor=secretary)

        assert refused.value.message.startswith(
            "Een verslag wordt vastgesteld in of na de vergadering die het vaststelt"
        )
        assert body.meetings.get(cycle_date=EARLIER).minutes_status == MinutesStatus.CONCEPT

    def test_a_minute_after_it_is_adopted(self, pto, time_machine):
        body, meeting, _, secretary = pto
        time_machine.move_to(at(DAY, 9, 1), tick=False)

        adopted = services.minutes_adopt(meeting=meeting, actor=secretary)

        assert adopted == body.meetings.get(cycle_date=EARLIER)
        assert Meeting.objects.get(pk=adopted.pk).minutes_status == MinutesStatus.ADOPTED

    def test_with_more_than_one_open_the_secretary_chooses(self, pto, time_machine):
        body, _, _, secretary = pto
        following = body.meetings.get(cycle_date=NEXT)
        time_machine.move_to(at(NEXT, 10), tick=False)

        chosen = body.meetings.get(cycle_date=EARLIER)
        services.minutes_adopt(meeting=following, actor=secretary, previous=chosen)

        statuses = dict(body.meetings.values_list("cycle_date", "minutes_status"))
        assert (statuses[EARLIER], statuses[DAY]) == (MinutesStatus.ADOPTED, MinutesStatus.CONCEPT)
        # Without a choice, the latest open minutes.
        services.minutes_adopt(meeting=following, actor=secretary)
        assert body.meetings.get(cycle_date=DAY).minutes_status == MinutesStatus.ADOPTED
        # Minutes of a later meeting are no choice.
        with pytest.raises(TransitionNotAllowed) as refused:
            services.minutes_adopt(
                meeting=body.meetings.get(cycle_date=DAY), actor=secretary, previous=following
            )
        assert refused.value.message == (
            "Kies een eerder verslag van dit overleg dat nog open staat."
        )


class TestMovingAnItem:
    def test_exactly_seven_days_before_the_meeting_it_moves(self, pto, time_machine):
        body, _, item, secretary = pto
        target = body.meetings.get(cycle_date=NEXT)
        time_machine.move_to(at(NEXT - timedelta(days=7), 17), tick=False)

        moved = services.agenda_item_move(item=item, to_meeting=target, actor=secretary)

        assert (moved.meeting, moved.move_reason) == (target, "")

    def test_six_days_before_it_needs_a_reason_which_is_kept(self, pto, time_machine):
        body, meeting, item, secretary = pto
        target = body.meetings.get(cycle_date=NEXT)
        time_machine.move_to(at(NEXT - timedelta(days=6), 8), tick=False)

        with pytest.raises(TransitionNotAllowed) as refused:
            services.agenda_item_move(item=item, to_meeting=target, actor=secretary)
        assert item.__class__.objects.get(pk=item.pk).meeting == meeting
        moved = services.agenda_item_move(
            item=item, to_meeting=target, actor=secretary, override_reason="Spoed: OM vraagt erom"
        )

        assert refused.value.message == (
            "De vergadering van 03-03-2027 is minder dan 7 dagen weg: verplaatsen kan alleen met "
            "een reden."
        )
        assert (moved.meeting, moved.move_reason) == (target, "Spoed: OM vraagt erom")
        assert moved.history.order_by("-history_id")[0].move_reason == "Spoed: OM vraagt erom"


def test_the_queue_never_offers_a_past_meeting(pto, time_machine):
    body, _, _, _ = pto
    time_machine.move_to(at(DAY, 12), tick=False)

    # Ready long ago: by the 7-day rule 17 February would fit, but it is over.
    first = services.first_meeting_for(body, date(2027, 1, 1))

    assert first == body.meetings.get(cycle_date=NEXT)
