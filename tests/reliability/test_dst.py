"""Issue 9, point 8: deadlines and lead times across the daylight-saving changes of
Europe/Amsterdam: Sunday 29 March 2026 (02:00 CET becomes 03:00 CEST) and Sunday 25 October
2026 (03:00 CEST becomes 02:00 CET, so 02:00-03:00 happens twice).

Time stands still (time-machine) at moments chosen so that the Amsterdam date and the UTC date
differ, or an hour is missing or doubled: a computation that used the UTC date, or added hours
instead of days, lands on the wrong day here."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.constants import LogKind
from cases.letters import letter_due
from intake.constants import Desk
from intake.models import Report
from ipgar.notifications.models import Notification
from meetings import services as meeting_services
from reminders import services as reminder_services
from reminders.constants import DeadlineKind
from reminders.models import ReminderSettings
from tests.cases.factories import CaseFactory, log, ready_report, secretary_user
from tests.intake.factories import desk_user
from tests.meetings.factories import BodyFactory
from tests.personas import signed_in
from tests.reminders.factories import case_admitted_on, find

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SPRING = date(2026, 3, 29)
AUTUMN = date(2026, 10, 25)


def local(day: date, hour: int, minute: int = 0, *, fold: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM).replace(fold=fold)


def freeze(time_machine, moment: datetime) -> None:
    time_machine.move_to(moment, tick=False)


def admitted_at(time_machine, moment: datetime):
    """A case the decision meeting opened at `moment`; the base file is handed over at once."""
    freeze(time_machine, moment)
    return CaseFactory(report=ready_report(registered_by=desk_user(Desk.MAP)))


def test_the_test_clock_really_is_on_amsterdam_time_with_both_changes():
    assert timezone.get_current_timezone_name() == "Europe/Amsterdam"
    assert local(SPRING, 1, 59).utcoffset() == timedelta(hours=1)
    assert local(SPRING, 3, 0).utcoffset() == timedelta(hours=2)
    assert local(AUTUMN, 2, 30, fold=0).utcoffset() == timedelta(hours=2)
    assert local(AUTUMN, 2, 30, fold=1).utcoffset() == timedelta(hours=1)


class TestTheLetterDeadline:
    """Admission + 3 weeks, on the Amsterdam calendar."""

    def test_admission_just_after_local_midnight_crossing_the_spring_change(self, time_machine):
        admitted = local(date(2026, 3, 10), 0, 30)  # 9 March 23:30 UTC
        assert admitted.astimezone(UTC).date() == date(2026, 3, 9)
        case = admitted_at(time_machine, admitted)

        assert case.admitted_at == admitted

        assert timezone.localdate(case.admitted_at) == date(2026, 3, 10)
        assert letter_due(case) == date(2026, 3, 31)
        assert find(DeadlineKind.LETTER, case).due == date(2026, 3, 31)

    def test_it_is_overdue_from_local_midnight_not_from_utc_midnight_in_spring(self, time_machine):
        case = case_admitted_on(time_machine, date(2026, 3, 10))
        due = find(DeadlineKind.LETTER, case).due
        assert due == date(2026, 3, 31)

        freeze(time_machine, local(date(2026, 3, 31), 23, 59))  # 21:59 UTC, CEST
        deadline = find(DeadlineKind.LETTER, case)
        assert not deadline.is_overdue(timezone.localdate())

        freeze(time_machine, local(date(2026, 4, 1), 0, 30))  # still 31 March in UTC
        assert datetime.now(UTC).date() == date(2026, 3, 31)
        assert find(DeadlineKind.LETTER, case).is_overdue(timezone.localdate())

    def test_a_deadline_on_the_autumn_change_day_is_due_that_local_day(self, time_machine):
        case = admitted_at(time_machine, local(date(2026, 10, 4), 0, 30))  # 3 Oct 22:30 UTC

        assert letter_due(case) == AUTUMN
        # 25 October has 25 hours: at 23:30 CET it is 22:30 UTC, the same date: due today.
        freeze(time_machine, local(AUTUMN, 23, 30))
        assert not find(DeadlineKind.LETTER, case).is_overdue(timezone.localdate())
        # 26 October 00:30 CET is 25 October 23:30 UTC: overdue by the Amsterdam calendar.
        freeze(time_machine, local(date(2026, 10, 26), 0, 30))
        assert datetime.now(UTC).date() == AUTUMN
        assert find(DeadlineKind.LETTER, case).days_overdue(timezone.localdate()) == 1

    def test_the_sweep_just_after_local_midnight_calls_it_overdue_and_reminds_once(
        self, time_machine
    ):
        case = admitted_at(time_machine, local(date(2026, 10, 3), 0, 30))  # 2 Oct in UTC
        assert letter_due(case) == date(2026, 10, 24)
        # 25 October 00:30 CEST, the night of the change; still 24 October in UTC.
        freeze(time_machine, local(AUTUMN, 0, 30))
        first = reminder_services.sweep()
        # 02:30 the first time (CEST) and 02:30 the second time (CET): the same local day.
        freeze(time_machine, local(AUTUMN, 2, 30, fold=0))
        second = reminder_services.sweep()
        freeze(time_machine, local(AUTUMN, 2, 30, fold=1))
        third = reminder_services.sweep()

        letter = Notification.objects.get(kind=DeadlineKind.LETTER, object_id=str(case.pk))
        assert letter.title.startswith("Verlopen: ")
        assert letter.due_date == date(2026, 10, 24)
        assert letter.pk in first.to_email
        assert second.created == third.created == 0


class TestCaseDues:
    def test_the_concept_plan_five_weeks_after_the_base_file_crosses_the_spring_change(
        self, time_machine
    ):
        case = admitted_at(time_machine, local(date(2026, 3, 1), 0, 15))  # 28 Feb 23:15 UTC
        assert timezone.localdate(case.base_file_assigned_at) == date(2026, 3, 1)
        freeze(time_machine, local(date(2026, 3, 2), 10))

        assert find(DeadlineKind.CONCEPT_PLAN, case).due == date(2026, 4, 5)

    def test_a_contact_at_0230_on_the_autumn_night_counts_from_that_local_date(self, time_machine):
        case = case_admitted_on(time_machine, date(2026, 9, 1))
        weeks = ReminderSettings.current().no_contact_weeks
        for fold in (0, 1):  # 00:30 UTC and 01:30 UTC: both 25 October in Amsterdam
            freeze(time_machine, local(AUTUMN, 9))
            log(case, at=local(AUTUMN, 2, 30, fold=fold))
            assert find(DeadlineKind.NO_CONTACT, case).due == AUTUMN + timedelta(weeks=weeks)

    def test_a_contact_at_0030_on_the_spring_night_is_not_the_day_before(self, time_machine):
        case = case_admitted_on(time_machine, date(2026, 2, 1))
        weeks = ReminderSettings.current().no_contact_weeks
        freeze(time_machine, local(SPRING, 9))
        log(case, at=local(SPRING, 0, 30))  # 28 March 23:30 UTC
        assert find(DeadlineKind.NO_CONTACT, case).due == SPRING + timedelta(weeks=weeks)


class TestTheLogbookFormOnTheChangeNights:
    """02:30 does not exist on 29 March and exists twice on 25 October: the form refuses both
    with a Dutch message and keeps what was typed, instead of guessing or failing."""

    @pytest.mark.parametrize("day", [SPRING, AUTUMN])
    def test_0230_on_the_change_night_is_refused_in_dutch_and_the_text_kept(
        self, client, time_machine, day
    ):
        case = case_admitted_on(time_machine, day - timedelta(days=30))
        freeze(time_machine, local(day, 12))
        response = signed_in(client, case.regisseur).post(
            reverse("cases:logbook_add", args=[case.pk]),
            {
                "at": f"{day:%Y-%m-%d}T02:30",
                "kind": LogKind.PHONE,
                "text": "Nachtelijk telefoontje",
            },
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "kon niet worden geïnterpreteerd in tijdzone" in page
        assert "Nachtelijk telefoontje" in page
        assert not case.log_entries.exists()

    def test_0330_on_the_spring_night_is_stored_as_0130_utc(self, client, time_machine):
        case = case_admitted_on(time_machine, SPRING - timedelta(days=30))
        freeze(time_machine, local(SPRING, 12))
        response = signed_in(client, case.regisseur).post(
            reverse("cases:logbook_add", args=[case.pk]),
            {"at": f"{SPRING:%Y-%m-%d}T03:30", "kind": LogKind.PHONE, "text": "Na de wisseling"},
        )
        assert response.status_code in (200, 302)
        entry = case.log_entries.get()
        assert entry.at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


class TestMeetingsAndTheirDeadlines:
    def test_a_fortnightly_meeting_stays_at_nine_local_across_the_spring_change(self, time_machine):
        freeze(time_machine, local(date(2026, 3, 2), 10))
        secretary = secretary_user()
        body = BodyFactory(pto=True, secretary=secretary, first_date=date(2026, 3, 18))
        meeting_services.meetings_generate(
            body=body, since=date(2026, 3, 18), until=date(2026, 4, 15), actor=secretary
        )
        starts = [m.starts_at for m in body.meetings.order_by("starts_at")]

        assert [timezone.localtime(s).time() for s in starts] == [time(9, 0)] * 3
        assert [s.astimezone(UTC).hour for s in starts] == [8, 7, 7]
        # The agenda for 1 April (after the change) goes out 7 local days before: 25 March.
        april = body.meetings.get(cycle_date=date(2026, 4, 1))
        freeze(time_machine, local(date(2026, 3, 20), 10))
        assert find(DeadlineKind.AGENDA, april).due == date(2026, 3, 25)

    def test_an_itatr_meeting_after_the_autumn_change_keeps_its_local_time(self, time_machine):
        freeze(time_machine, local(date(2026, 10, 1), 10))
        body = BodyFactory(itatr=True, first_date=date(2026, 10, 15))
        meeting_services.meetings_generate(
            body=body, since=date(2026, 10, 15), until=date(2026, 11, 5), actor=None
        )
        starts = [m.starts_at for m in body.meetings.order_by("starts_at")]
        assert [timezone.localtime(s).time() for s in starts] == [time(13, 0)] * 2
        assert [s.astimezone(UTC).hour for s in starts] == [11, 12]


class TestLeadTimes:
    def test_report_age_counts_amsterdam_days_across_the_spring_change(self):
        report = Report(
            received_at=local(date(2026, 3, 28), 0, 30),  # 27 March 23:30 UTC
            decided_at=local(SPRING, 12),  # 10:00 UTC
        )
        assert report.age_days() == 1

    def test_report_age_counts_amsterdam_days_across_the_autumn_change(self):
        report = Report(
            received_at=local(AUTUMN, 0, 30),  # 24 October 22:30 UTC
            decided_at=local(date(2026, 10, 26), 0, 30),  # 25 October 23:30 UTC
        )
        assert report.age_days() == 1
        print(
            "dst: deadlines, sweeps, meetings and lead times checked on 2026-03-29 and "
            "2026-10-25 (Europe/Amsterdam)"
        )
