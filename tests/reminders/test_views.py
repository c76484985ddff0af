"""The reminders' pages with every persona, and web requests with the broker down.

- deadline list: each user sees only the deadlines they are reminded of; overdue ones red;
- postpone: only a recipient of that deadline may (others: 404); a reason is required and a
  date must lie in the future, both refused in Dutch;
- settings: the functional administrator only (others 403); anonymous to the login page;
- broker down: with Celery pointed at a closed port and not eager, requests that record work
  still succeed, because nothing is queued in the request path: the sweep derives it later.

Unless a test says otherwise, time stands still on day 31 after Monday 1 March 2027, the day
a case was opened: its letter is 10 days overdue, its concept plan and first UVO are warned."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from cases.constants import LogKind
from cases.models import LogEntry
from intake.constants import Desk
from ipgar.accounts.constants import Role
from ipgar.celery import app as celery_app
from ipgar.notifications.models import Notification
from meetings import services as meeting_services
from meetings.constants import Weekday
from meetings.models import Meeting
from reminders.constants import DeadlineKind
from reminders.deadlines import all_deadlines
from reminders.models import Postponement, ReminderSettings
from reminders.tasks import reminder_sweep_task
from tests.cases.factories import (
    CaseFactory,
    administrator_user,
    coordinator_user,
    decision_member,
    secretary_user,
)
from tests.factories import UserFactory
from tests.intake.factories import desk_user
from tests.meetings.factories import BodyFactory
from tests.personas import assert_redirects_to_login, signed_in
from tests.reminders.broker import celery_broker
from tests.reminders.factories import DAY_ZERO, case_admitted_on, find, on

pytestmark = pytest.mark.django_db

TODAY = DAY_ZERO + timedelta(days=31)
LIST = reverse("reminders:deadline_list")
SETTINGS = reverse("reminders:settings")


@pytest.fixture
def desk():
    return desk_user(Desk.MAP)


@pytest.fixture
def case(time_machine, desk):
    case = case_admitted_on(time_machine, DAY_ZERO, desk=desk)
    on(time_machine, TODAY)
    return case


def postpone_url(kind: str, case) -> str:
    return reverse("reminders:postpone", args=[kind, "cases.case", case.pk])


# --- The deadline list -------------------------------------------------------------------------


class TestTheDeadlineList:
    def test_a_regisseur_sees_their_own_deadlines_and_no_one_else_s(
        self, client, time_machine, case
    ):
        other = case_admitted_on(time_machine, DAY_ZERO)
        on(time_machine, TODAY)

        html = signed_in(client, case.regisseur).get(LIST).content.decode()

        assert f"Concept plan van aanpak naar het ITAT-R: casus {case.reference}" in html
        assert f"Eerste UVO, vóór het ITAT-R: casus {case.reference}" in html
        assert other.reference not in html
        assert "Notificatiebrief" not in html  # the desk's, not theirs

    def test_the_desk_sees_the_letters_and_the_overdue_one_is_highlighted(self, client, desk, case):
        response = signed_in(client, desk).get(LIST)

        html = response.content.decode()
        assert response.status_code == 200
        assert f"Notificatiebrief casus {case.reference}" in html
        assert '<tr class="table-danger">' in html
        assert "22-03-2027 <span" in html and "verlopen</span>" in html
        assert "Concept plan" not in html

    def test_a_warned_deadline_is_marked_but_not_red(self, client, case):
        html = signed_in(client, case.regisseur).get(LIST).content.decode()

        assert '<tr class="table-warning">' in html
        assert "table-danger" not in html

    def test_someone_without_deadlines_sees_the_empty_state(self, client, case):
        html = signed_in(client, UserFactory(roles=[Role.PROGRAMME_TEAM])).get(LIST)

        assert "Geen termijnen" in html.content.decode()

    def test_anonymous_goes_to_the_login_page(self, client):
        assert_redirects_to_login(client.get(LIST))


# --- Postponing ------------------------------------------------------------------------------


class TestPostponing:
    def test_a_recipient_sees_the_form(self, client, desk, case):
        response = signed_in(client, desk).get(postpone_url(DeadlineKind.LETTER, case))

        assert response.status_code == 200
        assert f"Notificatiebrief casus {case.reference} — uiterlijk 22-03-2027." in (
            response.content.decode()
        )

    @pytest.mark.parametrize(
        "who", ["the regisseur", "another desk's user", "a coordinator", "an administrator"]
    )
    def test_anyone_not_reminded_of_that_deadline_finds_nothing(self, client, case, who):
        user = {
            "the regisseur": lambda: case.regisseur,
            "another desk's user": lambda: desk_user(Desk.POLICE),
            "a coordinator": coordinator_user,
            "an administrator": administrator_user,
        }[who]()
        signed_in(client, user)
        url = postpone_url(DeadlineKind.LETTER, case)

        responses = (
            client.get(url),
            client.post(url, {"until": "2027-05-01", "reason": "Lopend onderzoek."}),
        )

        assert [r.status_code for r in responses] == [404, 404]
        assert not Postponement.objects.exists()

    def test_the_regisseur_may_postpone_their_own_deadline(self, client, case):
        response = signed_in(client, case.regisseur).post(
            postpone_url(DeadlineKind.UVO, case),
            {"until": "2027-04-20", "reason": "Partners pas na de meivakantie beschikbaar."},
        )

        assert response.status_code == 302
        assert Postponement.objects.get().created_by == case.regisseur

    def test_a_reason_is_required(self, client, desk, case):
        response = signed_in(client, desk).post(
            postpone_url(DeadlineKind.LETTER, case), {"until": "2027-05-01", "reason": ""}
        )

        assert response.status_code == 200
        assert "Uitstel vraagt om een reden." in response.content.decode()
        assert not Postponement.objects.exists()

    @pytest.mark.parametrize("day", [TODAY - timedelta(days=1), TODAY])
    def test_a_date_that_is_not_in_the_future_is_refused(self, client, desk, case, day):
        response = signed_in(client, desk).post(
            postpone_url(DeadlineKind.LETTER, case),
            {"until": day.isoformat(), "reason": "Lopend onderzoek."},
        )

        assert response.status_code == 200
        assert "Kies een datum in de toekomst." in response.content.decode()
        assert not Postponement.objects.exists()

    def test_a_date_not_after_the_current_due_date_is_refused(self, client, case):
        # The concept plan is due on 5 April; 3 April lies ahead but is no postponement.
        response = signed_in(client, case.regisseur).post(
            postpone_url(DeadlineKind.CONCEPT_PLAN, case),
            {"until": "2027-04-03", "reason": "Te krap."},
        )

        assert response.status_code == 200
        assert "De nieuwe datum ligt niet na de huidige termijn." in response.content.decode()
        assert not Postponement.objects.exists()

    def test_a_postponement_is_recorded_with_history_and_shown_in_the_list(
        self, client, desk, case
    ):
        signed_in(client, desk)

        response = client.post(
            postpone_url(DeadlineKind.LETTER, case),
            {"until": "2027-05-03", "reason": "Lopend onderzoek van de politie."},
            follow=True,
        )

        html = response.content.decode()
        assert response.redirect_chain == [(LIST, 302)]
        assert "Uitstel vastgelegd; het staat in de historie." in html
        assert "Uitgesteld tot 03-05-2027: Lopend onderzoek van de politie." in html
        assert "03-05-2027" in html and "table-danger" not in html
        postponement = Postponement.objects.get()
        assert postponement.history.get().history_user == desk
        assert find(DeadlineKind.LETTER, case).due.isoformat() == "2027-05-03"

    def test_leaving_the_date_empty_suspends_the_deadline(self, client, desk, case):
        signed_in(client, desk)

        client.post(
            postpone_url(DeadlineKind.LETTER, case),
            {"until": "", "reason": "Veiligheid: nu geen brief."},
        )

        postponement = Postponement.objects.get()
        assert postponement.until is None
        page = client.get(LIST).content.decode()
        # Shown as suspended, with the reason and a way to lift it; the sweep skips it.
        assert "Opgeschort" in page and "Veiligheid: nu geen brief." in page
        assert reverse("reminders:postponement_lift", args=[postponement.pk]) in page

    def test_lifting_a_suspension_makes_the_deadline_count_again(self, client, desk, case):
        signed_in(client, desk)
        client.post(postpone_url(DeadlineKind.LETTER, case), {"until": "", "reason": "Onderzoek."})
        postponement = Postponement.objects.get()

        client.post(reverse("reminders:postponement_lift", args=[postponement.pk]))

        postponement.refresh_from_db()
        assert postponement.is_active is False
        assert "Opgeschort" not in client.get(LIST).content.decode()

    def test_anonymous_goes_to_the_login_page(self, client, case):
        assert_redirects_to_login(client.get(postpone_url(DeadlineKind.LETTER, case)))


# --- Settings ----------------------------------------------------------------------------------


class TestTheSettings:
    def test_the_functional_administrator_changes_them_and_history_records_who(self, client):
        administrator = administrator_user()
        signed_in(client, administrator)

        response = client.post(
            SETTINGS,
            {
                "warn_days": 7,
                "no_contact_weeks": 4,
                "report_waiting_days": 21,
                "escalation_days": 3,
            },
            follow=True,
        )

        assert "Instellingen opgeslagen; de volgende ronde gebruikt ze." in (
            response.content.decode()
        )
        config = ReminderSettings.current()
        assert (
            config.warn_days,
            config.no_contact_weeks,
            config.report_waiting_days,
            config.escalation_days,
        ) == (7, 4, 21, 3)
        assert config.history.latest().history_user == administrator

    def test_a_value_out_of_range_is_refused(self, client):
        signed_in(client, administrator_user())

        response = client.post(
            SETTINGS,
            {
                "warn_days": 61,
                "no_contact_weeks": 6,
                "report_waiting_days": 28,
                "escalation_days": 7,
            },
        )

        assert response.status_code == 200
        assert "60" in response.content.decode()
        assert ReminderSettings.current().warn_days == 5

    @pytest.mark.parametrize(
        "role",
        [Role.REGISSEUR, Role.INTAKE, Role.COORDINATOR, Role.SECRETARY, Role.PRIVACY_OFFICER],
    )
    def test_everyone_else_is_refused(self, client, role):
        signed_in(client, UserFactory(roles=[role]))

        responses = (client.get(SETTINGS), client.post(SETTINGS, {"warn_days": 1}))

        assert [r.status_code for r in responses] == [403, 403]
        assert ReminderSettings.current().warn_days == 5

    def test_anonymous_goes_to_the_login_page(self, client):
        assert_redirects_to_login(client.get(SETTINGS))


# --- The broker is down ------------------------------------------------------------------------

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down(settings):
    # The app's own configuration first: it is read from the settings the first time it is
    # used, and must be saved (and restored) as the test settings have it.
    with celery_broker(CLOSED_PORT):
        settings.CELERY_BROKER_URL = CLOSED_PORT
        settings.CELERY_TASK_ALWAYS_EAGER = False
        yield


class TestWithTheBrokerDown:
    """Real time here (no frozen clock): the broker client's retries must run their course."""

    def test_the_broker_is_really_unreachable(self, broker_down):
        assert celery_app.conf.broker_url == CLOSED_PORT
        assert not celery_app.conf.task_always_eager
        with pytest.raises(OperationalError):
            reminder_sweep_task.delay()

    def test_logging_a_contact_succeeds_and_the_next_sweep_sees_it(self, client, broker_down):
        case = CaseFactory()
        now = timezone.localtime()

        response = signed_in(client, case.regisseur).post(
            reverse("cases:logbook_add", args=[case.pk]),
            {
                "at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                "kind": LogKind.PHONE,
                "text": "Gebeld over de dagbesteding.",
            },
            follow=True,
        )

        assert response.status_code == 200
        assert "Logboekregel opgeslagen." in response.content.decode()
        entry = LogEntry.objects.get(case=case)
        assert entry.author == case.regisseur
        no_contact = find(DeadlineKind.NO_CONTACT, case)
        assert no_contact.due == timezone.localdate(entry.at) + timedelta(weeks=6)

    def test_distributing_an_agenda_succeeds_and_notifies_in_the_database(
        self, client, broker_down
    ):
        today = timezone.localdate()
        first = today + timedelta(days=(Weekday.WEDNESDAY - today.weekday()) % 7 + 7)
        secretary, member = secretary_user(), decision_member()
        body = BodyFactory(pto=True, secretary=secretary, first_date=first)
        body.members.set([member])
        meeting_services.meetings_generate(body=body, since=first, until=first, actor=secretary)
        meeting = body.meetings.get()

        response = signed_in(client, secretary).post(
            reverse("meetings:agenda_distribute", args=[meeting.pk]), follow=True
        )

        assert response.status_code == 200
        assert "Agenda verstuurd" in response.content.decode()
        assert Meeting.objects.get(pk=meeting.pk).agenda_sent_at is not None
        notification = Notification.objects.get(recipient=member)
        assert (notification.kind, notification.object_id) == ("agenda", str(meeting.pk))
        assert not [
            d
            for d in all_deadlines()
            if d.kind == DeadlineKind.AGENDA and d.object_id == str(meeting.pk)
        ]


def test_after_the_broker_tests_celery_is_eager_on_the_test_broker_again():
    from django.conf import settings

    assert celery_app.conf.task_always_eager
    assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL != CLOSED_PORT
