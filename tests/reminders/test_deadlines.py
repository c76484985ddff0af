"""Acceptance 1 of issue 6: every deadline of DOMAIN.md section 6, derived from the data, at
its boundary dates. Time stands still on each day a test names (10:00, Amsterdam).

The boundaries read as four states: "geen" (no deadline), "gepland" (known, not yet in the
warning window), "waarschuwen" (warned, due today or later) and "verlopen" (past the due date).
Day zero is Monday 1 March 2027."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import services as case_services
from cases.constants import CasePhase, DispatchMethod, EvaluationConclusion, LogKind
from cases.exceptions import TransitionNotAllowed
from cases.models import Case
from intake import services as intake_services
from intake.constants import Desk, ReportStatus, TriageOutcome
from intake.models import Report
from ipgar.accounts.constants import Role
from meetings import services as meeting_services
from meetings.constants import CaseItemKind, PeriodKind
from meetings.periods import Period
from meetings.services import OwnerData
from reminders import services
from reminders.constants import DeadlineKind
from reminders.deadlines import all_deadlines
from reminders.models import Postponement, ReminderSettings
from tests.cases.factories import (
    CaseFactory,
    coordinator_user,
    force_admitted,
    latest_plan,
    log,
    planned_uvo,
    secretary_user,
)
from tests.factories import UserFactory
from tests.intake.factories import ReportFactory, board_user, desk_user, request_information
from tests.meetings.factories import BodyFactory, at, case_item, meeting_on
from tests.reminders.factories import (
    DAY_ZERO,
    add_representatives,
    around,
    case_admitted_on,
    detained_minor_case,
    find,
    make_detained,
    on,
    role_user_ids,
    state,
    states,
)

pytestmark = pytest.mark.django_db

D = DAY_ZERO


def days(n: int) -> date:
    return D + timedelta(days=n)


WARNED_DUE_OVERDUE = ["gepland", "waarschuwen", "waarschuwen", "verlopen"]


# --- Notification letter: admission + 3 weeks, warned 5 days before -------------------------


class TestTheLetterDeadline:
    def test_it_falls_three_weeks_after_admission_and_warns_the_desk_five_days_before(
        self, time_machine
    ):
        desk = desk_user(Desk.MAP)
        case = case_admitted_on(time_machine, D, desk=desk)

        deadline = find(DeadlineKind.LETTER, case)

        assert deadline.due == days(21) == date(2027, 3, 22)
        assert deadline.warn == days(16)
        assert deadline.object_type == "cases.case"
        assert deadline.label == f"Notificatiebrief casus {case.reference}"
        assert deadline.recipients == role_user_ids(Role.INTAKE)
        assert desk.pk in deadline.recipients
        assert case.regisseur_id not in deadline.recipients
        assert states(time_machine, around(days(16), days(21)), DeadlineKind.LETTER, case) == (
            WARNED_DUE_OVERDUE
        )

    def test_an_adult_at_home_needs_one_letter_and_one_dispatch(self, time_machine):
        desk = desk_user(Desk.MAP)
        case = case_admitted_on(
            time_machine, D, desk=desk, person={"date_of_birth": date(1995, 1, 1)}
        )
        add_representatives(case)  # parents of an adult receive nothing

        on(time_machine, days(2))
        [letter] = case_services.letters_generate(case=case, actor=desk)
        assert letter.recipient_kind == "persoon"
        assert state(time_machine, days(2), DeadlineKind.LETTER, case) == "gepland"

        case_services.letter_dispatch_register(
            letter=letter, actor=desk, method=DispatchMethod.POST, dispatched_on=days(2)
        )

        assert state(time_machine, days(2), DeadlineKind.LETTER, case) == "geen"
        assert state(time_machine, days(30), DeadlineKind.LETTER, case) == "geen"

    def test_a_detained_minor_needs_a_dispatch_to_the_institution_and_each_representative(
        self, time_machine
    ):
        desk = desk_user(Desk.MAP)
        case = detained_minor_case(time_machine, D, desk=desk)
        on(time_machine, days(3))
        letters = case_services.letters_generate(case=case, actor=desk)
        assert sorted((letter.recipient_kind, letter.recipient_name) for letter in letters) == [
            ("inrichting", "Daan Vredeveld"),
            ("vertegenwoordiger", "Ilse Vredeveld"),
            ("vertegenwoordiger", "Stichting Jeugdbescherming Amsterdam, mr. K. Doornbos"),
        ]

        for letter in letters[:-1]:
            case_services.letter_dispatch_register(
                letter=letter, actor=desk, method=DispatchMethod.POST, dispatched_on=days(3)
            )
            assert state(time_machine, days(3), DeadlineKind.LETTER, case) == "gepland"
        assert state(time_machine, days(22), DeadlineKind.LETTER, case) == "verlopen"

        on(time_machine, days(22))
        case_services.letter_dispatch_register(
            letter=letters[-1],
            actor=desk,
            method=DispatchMethod.INSTITUTION,
            dispatched_on=days(22),
        )

        assert state(time_machine, days(22), DeadlineKind.LETTER, case) == "geen"

    def test_after_release_the_letter_goes_to_the_home_address_again(self, time_machine):
        desk = desk_user(Desk.MAP)
        case = detained_minor_case(time_machine, D, desk=desk)
        make_detained(case, since=days(-20), until=days(5))
        on(time_machine, days(3))
        case_services.letters_generate(case=case, actor=desk)

        on(time_machine, days(6))
        made = case_services.letters_generate(case=case, actor=desk)

        assert [(m.recipient_kind, m.address) for m in made] == [
            ("persoon", "Wittenburgergracht 12\n1018 MZ Amsterdam")
        ]


# --- Concept plan: base file assigned + 5 weeks ---------------------------------------------


class TestTheConceptPlanDeadline:
    def test_it_falls_five_weeks_after_the_base_file_was_assigned(self, time_machine):
        case = case_admitted_on(time_machine, D)

        deadline = find(DeadlineKind.CONCEPT_PLAN, case)

        assert deadline.due == days(35) == date(2027, 4, 5)
        assert deadline.warn == days(30)
        assert deadline.recipients == {case.regisseur_id}
        assert (
            states(time_machine, around(days(30), days(35)), DeadlineKind.CONCEPT_PLAN, case)
            == WARNED_DUE_OVERDUE
        )

    def test_it_ends_when_the_plan_is_submitted_for_advice(self, time_machine):
        on(time_machine, D)
        case = CaseFactory(at_advice=True)

        assert state(time_machine, days(40), DeadlineKind.CONCEPT_PLAN, case) == "geen"

    def test_a_case_not_yet_handed_over_has_no_concept_plan_deadline(self, time_machine):
        case = force_admitted(case_admitted_on(time_machine, D))

        assert state(time_machine, days(40), DeadlineKind.CONCEPT_PLAN, case) == "geen"


# --- Plan ready for the ITAT-R: target meeting - 7 days -------------------------------------


class TestThePlanReadyDeadline:
    """The ITAT-R meets every 3 weeks on Thursday: 11 March, 1 April and 22 April 2027."""

    @pytest.fixture
    def itatr(self):
        body = BodyFactory(itatr=True, secretary=secretary_user())
        meeting_services.meetings_generate(
            body=body, since=date(2027, 1, 1), until=date(2027, 6, 1)
        )
        return body

    def test_a_concept_plan_due_on_a_meeting_day_goes_to_that_meeting(self, time_machine, itatr):
        case = case_admitted_on(time_machine, date(2027, 2, 25))  # concept plan due 1 April

        deadline = find(DeadlineKind.PLAN_FOR_MEETING, case)

        assert deadline.due == date(2027, 3, 25)
        assert deadline.warn == date(2027, 3, 20)
        assert (
            deadline.label == f"Plan klaar voor het ITAT-R van 01-04-2027: casus {case.reference}"
        )
        assert deadline.recipients == {case.regisseur_id, itatr.secretary_id}
        assert (
            states(
                time_machine,
                around(date(2027, 3, 20), date(2027, 3, 25)),
                DeadlineKind.PLAN_FOR_MEETING,
                case,
            )
            == WARNED_DUE_OVERDUE
        )

    def test_a_concept_plan_due_a_day_later_goes_to_the_next_meeting(self, time_machine, itatr):
        case = case_admitted_on(time_machine, date(2027, 2, 26))  # concept plan due 2 April

        deadline = find(DeadlineKind.PLAN_FOR_MEETING, case)

        assert deadline.due == date(2027, 4, 15)
        assert "22-04-2027" in deadline.label

    def test_without_a_planned_itatr_there_is_no_ready_date(self, time_machine):
        case = case_admitted_on(time_machine, D)

        assert find(DeadlineKind.PLAN_FOR_MEETING, case) is None
        assert find(DeadlineKind.CONCEPT_PLAN, case) is not None


# --- Agenda distribution: meeting - 7 days, for the secretary --------------------------------


class TestTheAgendaDeadline:
    """The decision meeting meets every other Wednesday; one of them is 17 March 2027."""

    @pytest.fixture
    def meeting(self):
        return meeting_on(BodyFactory(pto=True, secretary=secretary_user()), date(2027, 3, 17))

    def test_the_secretary_sends_the_agenda_a_week_before_the_meeting(self, time_machine, meeting):
        on(time_machine, date(2027, 3, 5))
        deadline = find(DeadlineKind.AGENDA, meeting)

        assert deadline.due == date(2027, 3, 10)
        assert deadline.warn == date(2027, 3, 5)
        assert deadline.object_type == "meetings.meeting"
        assert deadline.recipients == {meeting.body.secretary_id}
        assert states(
            time_machine, around(date(2027, 3, 5), date(2027, 3, 10)), DeadlineKind.AGENDA, meeting
        ) == ["geen", "waarschuwen", "waarschuwen", "verlopen"]

    def test_it_is_met_by_sending_the_agenda(self, time_machine, meeting):
        on(time_machine, date(2027, 3, 11))
        meeting_services.agenda_distribute(meeting=meeting, actor=meeting.body.secretary)

        assert state(time_machine, date(2027, 3, 11), DeadlineKind.AGENDA, meeting) == "geen"

    def test_it_ends_once_the_meeting_has_been(self, time_machine, meeting):
        assert state(time_machine, date(2027, 3, 17), DeadlineKind.AGENDA, meeting) == "verlopen"
        assert state(time_machine, date(2027, 3, 18), DeadlineKind.AGENDA, meeting) == "geen"

    def test_a_body_without_a_secretary_reminds_nobody(self, time_machine):
        meeting = meeting_on(BodyFactory(pto=True), date(2027, 3, 17))

        assert state(time_machine, date(2027, 3, 8), DeadlineKind.AGENDA, meeting) == "geen"


# --- UVO: the first before the ITAT-R, then last + 8 weeks ------------------------------------


class TestTheUvoDeadline:
    def test_the_first_uvo_is_due_before_the_concept_plan_goes_to_the_itatr(self, time_machine):
        case = case_admitted_on(time_machine, D)

        deadline = find(DeadlineKind.UVO, case)

        assert deadline.due == days(35) == find(DeadlineKind.CONCEPT_PLAN, case).due
        assert deadline.label == f"Eerste UVO, vóór het ITAT-R: casus {case.reference}"
        assert deadline.recipients == {case.regisseur_id}

    def test_the_next_uvo_is_due_eight_weeks_after_the_last(self, time_machine):
        case = case_admitted_on(time_machine, D)
        on(time_machine, days(14))
        case_services.partner_meeting_record(
            case=case,
            actor=case.regisseur,
            held_on=days(14),
            participants="Regisseur, SCW",
            notes="Kennismaking.",
            agreements=[],
        )

        deadline = find(DeadlineKind.UVO, case)

        assert deadline.due == days(14 + 56) == date(2027, 5, 10)
        assert deadline.warn == date(2027, 5, 5)
        assert (
            states(
                time_machine, around(date(2027, 5, 5), date(2027, 5, 10)), DeadlineKind.UVO, case
            )
            == WARNED_DUE_OVERDUE
        )

    def test_once_the_plan_is_on_an_itatr_agenda_the_first_uvo_is_due_the_day_before(
        self, time_machine
    ):
        case = case_admitted_on(time_machine, D, stage=CasePhase.AT_ADVICE)
        body = BodyFactory(itatr=True, first_date=days(17))
        item = case_item(
            meeting_on(body, days(17)), CaseItemKind.PLAN_ADVICE, plan=latest_plan(case)
        )

        deadline = find(DeadlineKind.UVO, case)

        day = timezone.localdate(item.meeting.starts_at)
        assert deadline.due == day - timedelta(days=1) == days(16)
        assert deadline.label == (
            f"Eerste UVO vóór het ITAT-R van {day:%d-%m-%Y}: casus {case.reference}"
        )

    def test_a_planned_uvo_is_not_yet_held_and_does_not_restart_the_eight_weeks(self, time_machine):
        case = case_admitted_on(time_machine, D)
        planned_uvo(case, users=[case.regisseur], days=3)

        assert find(DeadlineKind.UVO, case).due == days(35)


# --- Evaluation: per the case's interval ------------------------------------------------------


class TestTheEvaluationDeadline:
    @pytest.fixture
    def adopted(self, time_machine):
        on(time_machine, D)
        return CaseFactory(adopted=True)

    def test_it_falls_one_interval_after_adoption(self, time_machine, adopted):
        deadline = find(DeadlineKind.EVALUATION, adopted)

        assert adopted.evaluation_interval_weeks == 12
        assert deadline.due == days(84) == date(2027, 5, 24)
        assert deadline.recipients == {adopted.regisseur_id}
        assert (
            states(time_machine, around(days(79), days(84)), DeadlineKind.EVALUATION, adopted)
            == WARNED_DUE_OVERDUE
        )

    def test_the_case_s_own_interval_counts_and_restarts_at_each_evaluation(
        self, time_machine, adopted
    ):
        Case.objects.filter(pk=adopted.pk).update(evaluation_interval_weeks=6)
        assert find(DeadlineKind.EVALUATION, adopted).due == days(42)

        on(time_machine, days(40))
        case_services.evaluation_record(
            case=adopted,
            actor=adopted.regisseur,
            held_on=days(40),
            summary="Voortgang besproken.",
            conclusion=EvaluationConclusion.CONTINUE,
            goal_results={},
            intervention_results={},
            scores={},
        )

        assert find(DeadlineKind.EVALUATION, adopted).due == days(82)

    def test_a_case_without_an_adopted_plan_has_no_evaluation_due(self, time_machine):
        case = case_admitted_on(time_machine, D)

        assert state(time_machine, days(200), DeadlineKind.EVALUATION, case) == "geen"


# --- No logbook contact for N weeks ----------------------------------------------------------


class TestTheNoContactDeadline:
    def test_it_falls_six_weeks_after_the_last_contact_for_regisseur_and_coordinators(
        self, time_machine
    ):
        coordinator = coordinator_user()
        case = case_admitted_on(time_machine, D)
        on(time_machine, days(7))
        log(case, at=at(days(7), 9))
        on(time_machine, days(20))
        log(case, at=at(days(20), 9), kind=LogKind.ATTEMPT, text="Niet thuis getroffen.")

        deadline = find(DeadlineKind.NO_CONTACT, case)

        assert deadline.due == days(7 + 42) == date(2027, 4, 19)
        assert deadline.recipients == {case.regisseur_id, coordinator.pk}
        assert (
            states(time_machine, around(days(44), days(49)), DeadlineKind.NO_CONTACT, case)
            == WARNED_DUE_OVERDUE
        )

    def test_without_any_contact_it_counts_from_admission(self, time_machine):
        case = case_admitted_on(time_machine, D)

        assert find(DeadlineKind.NO_CONTACT, case).due == days(42)

    def test_nothing_is_raised_while_the_subject_is_detained(self, time_machine):
        case = case_admitted_on(time_machine, D)
        make_detained(case, since=days(10), until=days(60))

        assert state(time_machine, days(9), DeadlineKind.NO_CONTACT, case) == "gepland"
        assert state(time_machine, days(50), DeadlineKind.NO_CONTACT, case) == "geen"
        assert state(time_machine, days(61), DeadlineKind.NO_CONTACT, case) == "verlopen"

    def test_nothing_is_raised_while_the_subject_is_abroad(self, time_machine):
        case = case_admitted_on(time_machine, D)
        case_services.subject_update(
            case=case, actor=case.regisseur, abroad=True, abroad_since=days(-3)
        )

        assert state(time_machine, days(50), DeadlineKind.NO_CONTACT, case) == "geen"

    def test_nothing_is_raised_for_a_dormant_case(self, time_machine):
        on(time_machine, D)
        case = CaseFactory(dormant=True)

        assert state(time_machine, days(100), DeadlineKind.NO_CONTACT, case) == "geen"


# --- Actions past due --------------------------------------------------------------------------


class TestTheActionDeadline:
    def test_an_open_action_is_due_on_its_date_for_its_owner(self, time_machine):
        on(time_machine, D)
        owner = UserFactory(roles=[Role.SECRETARY])
        body = BodyFactory(pto=True)
        action = meeting_services.action_create(
            body=body,
            actor=owner,
            subject="Werkwijze ITAT-R+",
            action="Voorstel schrijven",
            owners=[OwnerData(user=owner)],
            due=Period(PeriodKind.DATE, days(10)),
        )

        deadline = find(DeadlineKind.ACTION, action)

        assert (deadline.warn, deadline.due) == (days(10), days(10))
        assert deadline.recipients == {owner.pk}
        assert states(time_machine, [days(9), days(10), days(11)], DeadlineKind.ACTION, action) == [
            "gepland",
            "waarschuwen",
            "verlopen",
        ]

        meeting_services.action_mark_done(action=action, actor=owner)
        assert state(time_machine, days(11), DeadlineKind.ACTION, action) == "geen"

    def test_an_action_owned_by_an_organisation_only_reminds_no_person(self, time_machine):
        on(time_machine, D)
        body = BodyFactory(pto=True)
        action = meeting_services.action_create(
            body=body,
            actor=secretary_user(),
            subject="Werkwijze",
            action="Voorstel",
            owners=[OwnerData(organisation=UserFactory().organisation)],
            due=Period(PeriodKind.DATE, days(10)),
        )

        assert state(time_machine, days(11), DeadlineKind.ACTION, action) == "geen"


# --- Information requests unanswered ----------------------------------------------------------


class TestTheInformationRequestDeadline:
    def test_an_unanswered_request_is_due_on_its_date_for_the_board(self, time_machine):
        on(time_machine, D)
        board = board_user()
        request = request_information(ReportFactory(forwarded=True), actor=board, due_on=days(14))

        deadline = find(DeadlineKind.INFORMATION_REQUEST, request)

        assert (deadline.warn, deadline.due) == (days(12), days(14))
        assert deadline.recipients == role_user_ids(Role.ASSESSMENT_BOARD)
        assert board.pk in deadline.recipients
        assert (
            states(
                time_machine, around(days(12), days(14)), DeadlineKind.INFORMATION_REQUEST, request
            )
            == WARNED_DUE_OVERDUE
        )

        intake_services.information_request_answer(
            request=request, actor=board, answer="Niet bekend bij ons."
        )
        assert state(time_machine, days(15), DeadlineKind.INFORMATION_REQUEST, request) == "geen"


# --- Reports waiting longer than the threshold -------------------------------------------------


class TestTheReportWaitingDeadline:
    def test_a_registered_report_waits_on_its_desk(self, time_machine):
        on(time_machine, D)
        map_desk, police = desk_user(Desk.MAP), desk_user(Desk.POLICE)
        report = ReportFactory(received_at=at(D, 9), registered_by=map_desk)
        police_report = ReportFactory(desk=Desk.POLICE, received_at=at(D, 9), registered_by=police)

        deadline = find(DeadlineKind.REPORT_WAITING, report)

        assert deadline.due == days(28)
        assert deadline.warn == days(23)
        assert deadline.recipients == role_user_ids(Role.INTAKE)
        assert map_desk.pk in deadline.recipients and police.pk not in deadline.recipients
        assert police.pk in find(DeadlineKind.REPORT_WAITING, police_report).recipients
        assert (
            states(time_machine, around(days(23), days(28)), DeadlineKind.REPORT_WAITING, report)
            == WARNED_DUE_OVERDUE
        )

    def test_once_forwarded_it_waits_on_the_board(self, time_machine):
        on(time_machine, D)
        report = ReportFactory(forwarded=True, received_at=at(D, 9))

        deadline = find(DeadlineKind.REPORT_WAITING, report)

        assert deadline.recipients == role_user_ids(Role.ASSESSMENT_BOARD)
        assert not deadline.recipients & role_user_ids(Role.INTAKE)

    def test_a_report_closed_by_the_desk_no_longer_waits(self, time_machine):
        on(time_machine, D)
        desk = desk_user(Desk.MAP)
        report = ReportFactory(received_at=at(D, 9), registered_by=desk)
        intake_services.report_triage(
            report=report,
            actor=desk,
            outcome=TriageOutcome.NO_CONCERN,
            reasoning="Geen zorg over radicalisering.",
        )

        assert Report.objects.get(pk=report.pk).status == ReportStatus.CLOSED_BY_DESK
        assert state(time_machine, days(40), DeadlineKind.REPORT_WAITING, report) == "geen"


# --- Postponement ------------------------------------------------------------------------------


class TestPostponement:
    @pytest.fixture
    def desk(self):
        return desk_user(Desk.MAP)

    @pytest.fixture
    def case(self, time_machine, desk):
        return case_admitted_on(time_machine, D, desk=desk)

    def test_extending_moves_the_due_date_and_the_warning_and_writes_history(
        self, time_machine, desk, case
    ):
        original = find(DeadlineKind.LETTER, case)
        postponement = services.postponement_record(
            actor=desk,
            deadline=original,
            until=days(35),
            reason="Uitgesteld in overleg met politie: lopend onderzoek.",
        )

        moved = find(DeadlineKind.LETTER, case)

        assert (moved.due, moved.warn) == (days(35), days(30))
        assert moved.postponed_until == days(35)
        [row] = postponement.history.all()
        assert (row.history_type, row.history_user, row.reason) == (
            "+",
            desk,
            "Uitgesteld in overleg met politie: lopend onderzoek.",
        )
        assert states(time_machine, around(days(30), days(35)), DeadlineKind.LETTER, case) == (
            WARNED_DUE_OVERDUE
        )

    def test_suspending_removes_the_deadline_until_it_is_lifted(self, time_machine, desk, case):
        postponement = services.postponement_record(
            actor=desk,
            deadline=find(DeadlineKind.LETTER, case),
            until=None,
            reason="Veiligheid: brief nu niet versturen.",
        )

        assert state(time_machine, days(60), DeadlineKind.LETTER, case) == "geen"
        assert find(DeadlineKind.CONCEPT_PLAN, case) is not None  # only that one deadline

        services.postponement_lift(postponement=postponement, actor=desk)

        assert find(DeadlineKind.LETTER, case).due == days(21)
        assert [r.history_user for r in postponement.history.order_by("history_date")] == [
            desk,
            desk,
        ]

    def test_a_new_postponement_replaces_the_active_one(self, time_machine, desk, case):
        first = services.postponement_record(
            actor=desk, deadline=find(DeadlineKind.LETTER, case), until=days(30), reason="Eerst."
        )
        services.postponement_record(
            actor=desk, deadline=find(DeadlineKind.LETTER, case), until=days(40), reason="Later."
        )

        first.refresh_from_db()
        assert not first.is_active
        assert Postponement.objects.filter(is_active=True).get().reason == "Later."
        assert find(DeadlineKind.LETTER, case).due == days(40)

    def test_it_refuses_a_date_not_after_the_current_due_date(self, desk, case):
        deadline = find(DeadlineKind.LETTER, case)

        with pytest.raises(TransitionNotAllowed) as refused:
            services.postponement_record(
                actor=desk, deadline=deadline, until=deadline.due, reason="Te vroeg."
            )

        assert refused.value.message == "De nieuwe datum ligt niet na de huidige termijn."
        assert not Postponement.objects.exists()

    def test_it_refuses_a_postponement_without_a_reason(self, desk, case):
        with pytest.raises(TransitionNotAllowed) as refused:
            services.postponement_record(
                actor=desk, deadline=find(DeadlineKind.LETTER, case), until=days(40), reason="  "
            )

        assert refused.value.message == "Uitstel vraagt om een reden."


# --- Settings ----------------------------------------------------------------------------------


class TestSettingsChangeTheDeadlines:
    def test_the_administrator_s_thresholds_are_used_by_the_next_computation(self, time_machine):
        case = case_admitted_on(time_machine, D)
        on(time_machine, D)
        report = ReportFactory(received_at=at(D, 9))
        assert find(DeadlineKind.LETTER, case).warn == days(16)
        assert find(DeadlineKind.NO_CONTACT, case).due == days(42)
        assert find(DeadlineKind.REPORT_WAITING, report).due == days(28)

        config = ReminderSettings.current()
        config.warn_days, config.no_contact_weeks, config.report_waiting_days = 10, 3, 14
        config.save()

        assert find(DeadlineKind.LETTER, case).warn == days(11)
        assert find(DeadlineKind.NO_CONTACT, case).due == days(21)
        assert find(DeadlineKind.REPORT_WAITING, report).due == days(14)
        assert find(DeadlineKind.REPORT_WAITING, report).warn == days(4)


# --- Fixed number of queries -------------------------------------------------------------------


def _case_with_everything(time_machine) -> Case:
    case = detained_minor_case(time_machine, D)
    log(case, at=at(D, 9))
    return case


def _queries(today: date) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        deadlines = all_deadlines(today)
    return len(captured), len(deadlines)


def test_all_deadlines_runs_the_same_queries_with_2_and_with_20_cases(time_machine):
    coordinator_user()
    body = BodyFactory(itatr=True, secretary=secretary_user())
    meeting_services.meetings_generate(body=body, since=date(2027, 1, 1), until=date(2027, 6, 1))
    for _ in range(2):
        _case_with_everything(time_machine)
        on(time_machine, D)
        request_information(ReportFactory(forwarded=True), due_on=days(5))
    on(time_machine, days(1))
    ReminderSettings.current()  # the settings row exists from the first run on

    few, found_few = _queries(days(1))
    for _ in range(18):
        case_admitted_on(time_machine, D)
    on(time_machine, D)
    for _ in range(8):
        request_information(ReportFactory(forwarded=True), due_on=days(5))
    on(time_machine, days(1))
    many, found_many = _queries(days(1))

    print(f"\nall_deadlines: {few} queries for {found_few} deadlines, {many} for {found_many}")
    assert Case.objects.count() == 20
    assert found_many > found_few
    assert many == few
    assert timezone.localdate() == days(1)
