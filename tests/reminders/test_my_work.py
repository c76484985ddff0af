"""'Mijn werk': what needs doing today and this week, per role, most urgent first.

The deadlines are the derived ones of issue 6 (reminders.deadlines), shown in three groups:
overdue, today, the rest of the week (seven days from today). Time stands still as in the
other reminders tests: a case opened on Monday 1 March 2027 (DAY_ZERO)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.services import case_reassign
from intake.constants import Desk
from ipgar.accounts.constants import Role
from ipgar.core.my_work import sections_for
from ipgar.notifications.models import Notification
from meetings.constants import CaseItemKind
from meetings.services import agenda_distribute
from reminders.constants import DeadlineKind
from reminders.models import ReminderSettings
from reminders.my_work import new_cases_for, work_for_user
from reminders.services import sweep
from tests.cases.factories import (
    CaseFactory,
    coordinator_user,
    regisseur_user,
    secretary_user,
)
from tests.factories import UserFactory
from tests.intake.factories import ReportFactory, desk_user
from tests.meetings.factories import BodyFactory, case_item, meeting_on
from tests.personas import assert_redirects_to_login, signed_in
from tests.reminders.factories import DAY_ZERO, case_admitted_on, on

pytestmark = pytest.mark.django_db

URL = reverse("core:my_work")
CONCEPT_PLAN_DUE = DAY_ZERO + timedelta(weeks=5)  # 5 April 2027
LETTER_DUE = DAY_ZERO + timedelta(weeks=3)


def labels(items) -> list[str]:
    return [item.label for item in items]


def kinds(items) -> set[str]:
    return {item.kind_label for item in items}


@pytest.fixture
def desk():
    return desk_user(Desk.MAP)


@pytest.fixture
def case(time_machine, desk):
    return case_admitted_on(time_machine, DAY_ZERO, desk=desk)


class TestTheRegisseur:
    def test_the_week_before_the_concept_plan_is_due_it_shows_under_this_week(
        self, client, time_machine, case
    ):
        other = case_admitted_on(time_machine, DAY_ZERO)
        on(time_machine, CONCEPT_PLAN_DUE - timedelta(days=3))

        response = signed_in(client, case.regisseur).get(URL)

        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-testid="work-week"' in html
        assert f"Concept plan van aanpak naar het ITAT-R: casus {case.reference}" in html
        assert "Eerste UVO" in html
        assert other.reference not in html  # another regisseur's case
        assert "Notificatiebrief" not in html  # the intake desk's deadline, not the regisseur's

    def test_on_the_due_date_it_is_today_and_the_day_after_overdue(self, time_machine, case):
        on(time_machine, CONCEPT_PLAN_DUE)
        work = work_for_user(case.regisseur)
        assert DeadlineKind.CONCEPT_PLAN.label in kinds(work["due_today"])
        assert work["overdue"] == []

        on(time_machine, CONCEPT_PLAN_DUE + timedelta(days=1))
        work = work_for_user(case.regisseur)
        assert DeadlineKind.CONCEPT_PLAN.label in kinds(work["overdue"])
        assert work["due_today"] == []

    def test_what_is_due_after_this_week_waits_for_the_termijnen_page(self, time_machine, case):
        on(time_machine, CONCEPT_PLAN_DUE - timedelta(days=7))

        work = work_for_user(case.regisseur)

        assert not work["has_work"]
        assert work["week_end"] == CONCEPT_PLAN_DUE - timedelta(days=1)

    def test_overdue_comes_first_then_today_then_the_week(self, client, time_machine, case):
        second = case_admitted_on(
            time_machine, DAY_ZERO + timedelta(days=1), regisseur=case.regisseur
        )
        third = case_admitted_on(
            time_machine, DAY_ZERO + timedelta(days=5), regisseur=case.regisseur
        )
        on(time_machine, CONCEPT_PLAN_DUE + timedelta(days=1))  # first overdue, second today

        html = signed_in(client, case.regisseur).get(URL).content.decode()

        positions = [
            html.index('data-testid="work-overdue"'),
            html.index('data-testid="work-today"'),
            html.index('data-testid="work-week"'),
        ]
        assert positions == sorted(positions)
        deadlines = html[positions[0] :]  # the new-cases list above names cases too
        assert (
            deadlines.index(case.reference)
            < deadlines.index(second.reference)
            < deadlines.index(third.reference)
        )

    def test_their_slot_on_an_agenda_this_week_is_listed(self, time_machine, case, client):
        body = BodyFactory(itatr=True, secretary=secretary_user())
        meeting = meeting_on(body, date(2027, 4, 1))
        case_item(meeting, CaseItemKind.STUCK, case=case)
        on(time_machine, date(2027, 3, 29))

        work = work_for_user(case.regisseur)

        slots = [i for i in work["this_week"] if i.kind_label == "Uw tijdslot op de agenda"]
        assert len(slots) == 1
        assert slots[0].due == date(2027, 4, 1)
        assert slots[0].when == "13:00"
        item = meeting.items.get(case=case)
        # The slot page serves the regisseur; the meeting page is the secretary's (issue 15).
        assert slots[0].link == reverse("meetings:item_detail", args=[item.pk])
        signed_in(client, case.regisseur)
        assert client.get(slots[0].link).status_code == 200


class TestOtherRoles:
    def test_the_intake_desk_sees_the_overdue_notification_letter(
        self, client, time_machine, case, desk
    ):
        on(time_machine, LETTER_DUE + timedelta(days=2))

        response = signed_in(client, desk).get(URL)

        work = work_for_user(desk)
        assert f"Notificatiebrief casus {case.reference}" in labels(work["overdue"])
        html = response.content.decode()
        assert 'data-testid="work-overdue"' in html
        assert reverse("cases:case_letters", args=[case.pk]) in html

    def test_the_secretary_sees_the_agenda_to_distribute(self, client, time_machine):
        secretary = secretary_user()
        meeting = meeting_on(BodyFactory(pto=True, secretary=secretary), date(2027, 3, 17))
        on(time_machine, date(2027, 3, 8))

        work = work_for_user(secretary)

        assert [i.label for i in work["this_week"]] == [f"Agenda {meeting} versturen"]
        assert work["this_week"][0].due == date(2027, 3, 10)

    def test_the_coordinator_sees_cases_without_contact(self, time_machine, case):
        coordinator = UserFactory(roles=[Role.COORDINATOR])
        on(time_machine, DAY_ZERO + timedelta(weeks=6, days=1))

        work = work_for_user(coordinator)

        assert f"Geen contact vastgelegd: casus {case.reference}" in labels(work["overdue"])
        assert kinds(work["overdue"]) == {DeadlineKind.NO_CONTACT.label}

    def test_the_assessment_board_sees_reports_waiting_for_assessment(self, time_machine):
        board = UserFactory(roles=[Role.ASSESSMENT_BOARD])
        on(time_machine, DAY_ZERO)
        report = ReportFactory(forwarded=True)  # received three days before DAY_ZERO
        on(time_machine, DAY_ZERO + timedelta(days=20))  # waiting since 23 days, limit 28

        work = work_for_user(board)

        assert [i.kind_label for i in work["this_week"]] == [DeadlineKind.REPORT_WAITING.label]
        assert report.reference in work["this_week"][0].label
        assert work["this_week"][0].due == DAY_ZERO + timedelta(days=25)

    @pytest.mark.parametrize(
        ("role", "explained"),
        [
            (Role.PROGRAMME_TEAM, "programmateam"),
            (Role.ADMINISTRATOR, "Termijninstellingen"),
            (Role.PRIVACY_OFFICER, "privacyfunctionaris"),
            (Role.INTERVENTION_PARTNER, "Mijn interventies"),
        ],
    )
    def test_roles_without_deadlines_get_a_friendly_empty_state(
        self, client, time_machine, case, role, explained
    ):
        on(time_machine, LETTER_DUE + timedelta(days=2))

        html = signed_in(client, UserFactory(roles=[role])).get(URL).content.decode()

        assert "Vandaag en deze week niets dat verloopt" in html
        assert explained in html
        assert case.reference not in html


def test_the_page_keeps_its_name_and_shows_the_section_registered_by_reminders(rf, case):
    request = rf.get(URL)
    request.user = case.regisseur

    assert URL == "/mijn-werk/"
    # meetings registers its actions after it (meetings/apps.py)
    assert [s["key"] for s in sections_for(request)] == ["termijnen", "acties"]


def test_anonymous_visitors_go_to_login(client):
    assert_redirects_to_login(client.get(URL))


@pytest.mark.parametrize("persona", ["regisseur", "intake"])
def test_my_work_runs_the_same_queries_with_1_and_8_cases(client, time_machine, desk, persona):
    first = case_admitted_on(time_machine, DAY_ZERO, desk=desk)
    user = first.regisseur if persona == "regisseur" else desk

    def count() -> int:
        on(time_machine, LETTER_DUE + timedelta(days=12))
        signed_in(client, user)  # after the clock moved: the session would have expired
        client.get(URL)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL)
        assert response.status_code == 200
        return len(captured)

    few = count()
    for n in range(7):
        case_admitted_on(
            time_machine, DAY_ZERO + timedelta(days=n), desk=desk, regisseur=first.regisseur
        )
    many = count()

    work = work_for_user(user)
    shown = len(work["overdue"]) + len(work["due_today"]) + len(work["this_week"])
    print(f"\nMijn werk ({persona}): {few} queries with 1 case, {many} with 8 ({shown} items)")
    assert shown >= 8
    assert many == few


class TestNewCase:
    """Issue 15: a regisseur's newly assigned case is on Mijn werk until they open it."""

    def test_it_shows_until_the_regisseur_opens_the_case(self, client):
        case = CaseFactory()
        signed_in(client, case.regisseur)

        before = client.get(reverse("core:my_work")).content.decode()
        client.get(reverse("cases:case_detail", args=[case.pk]))
        after = client.get(reverse("core:my_work")).content.decode()

        assert 'data-testid="work-new-cases"' in before and case.reference in before
        assert 'data-testid="work-new-cases"' not in after

    def test_a_reassigned_case_is_new_for_its_next_regisseur(self, client):
        case = CaseFactory()
        signed_in(client, case.regisseur)
        client.get(reverse("cases:case_detail", args=[case.pk]))
        successor = regisseur_user(case.organisation)

        case_reassign(case=case, actor=coordinator_user(), regisseur=successor)

        assert [c.pk for c in new_cases_for(successor)] == [case.pk]
        assert new_cases_for(case.regisseur) == []

    def test_a_case_assigned_more_than_six_weeks_ago_is_no_longer_new(self, time_machine):
        on(time_machine, DAY_ZERO)
        case = CaseFactory()
        assert [c.pk for c in new_cases_for(case.regisseur)] == [case.pk]

        on(time_machine, DAY_ZERO + timedelta(days=43))

        assert new_cases_for(case.regisseur) == []


class TestEveryReminderOnce:
    """Issue 15: the sweep's reminder of a deadline and the deadline itself are one thing; Mijn
    werk shows it once, under 'Vandaag en deze week'. Notifications of anything else stay under
    'Herinneringen en taken', with their 'Afgehandeld'."""

    def test_after_a_sweep_a_due_deadline_is_on_the_page_once(self, client, time_machine, case):
        on(time_machine, CONCEPT_PLAN_DUE - timedelta(days=3))
        sweep()
        reminder = Notification.objects.get(
            recipient=case.regisseur, kind=DeadlineKind.CONCEPT_PLAN, read_at__isnull=True
        )
        other = Notification.objects.create(
            recipient=case.regisseur, kind="rollen", title="Uw rollen zijn gewijzigd"
        )
        label = f"Concept plan van aanpak naar het ITAT-R: casus {case.reference}"
        assert reminder.title == label

        signed_in(client, case.regisseur)
        html = client.get(URL).content.decode()
        with_read = client.get(URL, {"gelezen": "1"}).content.decode()

        assert html.count(label) == 1
        assert with_read.count(label) == 1
        assert f'id="melding-{reminder.pk}"' not in html
        # A notice that is no deadline stays, and can still be marked done.
        assert f'id="melding-{other.pk}"' in html
        assert reverse("core:notification_read", args=[other.pk]) in html

    def test_an_overdue_deadline_is_on_the_page_once(self, client, time_machine, case):
        on(time_machine, CONCEPT_PLAN_DUE + timedelta(days=1))
        sweep()
        label = f"Concept plan van aanpak naar het ITAT-R: casus {case.reference}"
        assert Notification.objects.filter(title=f"Verlopen: {label}").exists()

        html = signed_in(client, case.regisseur).get(URL).content.decode()

        assert html.count(label) == 1

    def test_the_reminder_of_a_deadline_after_this_week_stays_until_the_week_lists_it(
        self, client, time_machine, case
    ):
        ReminderSettings.objects.update_or_create(pk=1, defaults={"warn_days": 14})
        on(time_machine, CONCEPT_PLAN_DUE - timedelta(days=10))  # warned, not yet this week
        sweep()
        reminder = Notification.objects.get(
            recipient=case.regisseur, kind=DeadlineKind.CONCEPT_PLAN, read_at__isnull=True
        )
        signed_in(client, case.regisseur)

        before = client.get(URL).content.decode()
        on(time_machine, CONCEPT_PLAN_DUE - timedelta(days=3))
        signed_in(client, case.regisseur)  # after the clock moved: the session would expire
        during = client.get(URL).content.decode()

        assert f'id="melding-{reminder.pk}"' in before
        assert 'data-testid="work-week"' not in before
        assert f'id="melding-{reminder.pk}"' not in during
        assert during.count(reminder.title) == 1

    def test_the_agenda_s_notice_of_a_slot_this_week_is_not_listed_twice(
        self, client, time_machine, case
    ):
        secretary = secretary_user()
        body = BodyFactory(itatr=True, secretary=secretary)
        meeting = meeting_on(body, date(2027, 4, 1))
        item = case_item(meeting, CaseItemKind.STUCK, case=case)
        on(time_machine, date(2027, 3, 29))
        agenda_distribute(meeting=meeting, actor=secretary)
        notice = Notification.objects.get(recipient=case.regisseur, kind="agendapunt")
        assert notice.object_id == str(item.pk)

        html = signed_in(client, case.regisseur).get(URL).content.decode()

        assert "Uw tijdslot op de agenda" in html
        assert f'id="melding-{notice.pk}"' not in html
