"""Issue 18, acceptance 3: one definition per deadline (cases.deadlines). The reminders, the case
page and the monitor agree whether a notification letter sent, or a concept plan submitted, on
day 20, 21 and 22 after the decision (the base file) is on time: 20 and 21 are, 22 is not
(21 and 35 calendar days in Europe/Amsterdam). In winter, in summer and across the change to
summer time, with the decision at 09:00 local time (08:00 or 07:00 UTC)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from cases.constants import DUE_CONCEPT_PLAN
from cases.deadlines import CONCEPT_PLAN, LETTER
from cases.models import Case, Letter, PlanVersion
from cases.selectors import case_page_data
from intake.models import Report
from monitor import periods, sql
from reminders.constants import DeadlineKind
from reminders.deadlines import case_deadlines
from reminders.models import ReminderSettings
from tests.monitor.factories import history

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DECISIONS = {
    "winter": date(2027, 1, 13),
    "summer": date(2027, 7, 14),
    "across the change to summer time": date(2027, 3, 10),
}


def decided_at_nine(day: date) -> Case:
    """An admitted case whose decision (and base file) was at 09:00 on `day`, local time."""
    moment = datetime.combine(day, time(9, 0), tzinfo=AMSTERDAM)
    report = history(received=day - timedelta(days=30), decided=day, base_file=day)
    Report.objects.filter(pk=report.pk).update(decided_at=moment)
    Case.objects.filter(report=report).update(admitted_at=moment, base_file_assigned_at=moment)
    return Case.objects.get(report=report)


def reminders_overdue(case: Case, kind: str, today: date) -> bool:
    found = [
        d
        for d in case_deadlines(today, ReminderSettings.current())
        if d.kind == kind and d.object_id == str(case.pk)
    ]
    assert len(found) == 1, found
    return found[0].is_overdue(today)


def monitor_in_time(measure: str, day: date, time_machine) -> bool:
    period = periods.current_quarter(day)
    time_machine.move_to(datetime.combine(period.end, time(12), tzinfo=AMSTERDAM), tick=False)
    rows = sql.deadline_shares(period, period.previous(), datetime.now(tz=AMSTERDAM))
    found = next(r for r in rows if r["measure"] == measure and r["period"] == "cur")
    assert found["n"] == 1
    return found["in_time"] == 1


@pytest.mark.parametrize("season", DECISIONS)
@pytest.mark.parametrize("days_after", [20, 21, 22])
def test_a_letter_on_day_n_is_judged_alike_everywhere(season, days_after, time_machine):
    decided = DECISIONS[season]
    case = decided_at_nine(decided)
    sent_on = decided + timedelta(days=days_after)
    expected_in_time = days_after <= 21

    time_machine.move_to(datetime.combine(sent_on, time(16), tzinfo=AMSTERDAM), tick=False)
    assert LETTER.met(case.admitted_at, sent_on) is expected_in_time
    assert (not reminders_overdue(case, DeadlineKind.LETTER, sent_on)) is expected_in_time
    assert (case_page_data(case)["letter_due"] >= sent_on) is expected_in_time

    Letter.objects.create(
        case=case,
        template_version="test",
        recipient_kind="persoon",
        recipient_name=case.subject.first_name,
        address="Adres",
        file="brieven/test.pdf",
        created_by=case.regisseur,
        dispatched_on=sent_on,
        method="post",
    )
    assert monitor_in_time(LETTER.code, decided, time_machine) is expected_in_time


@pytest.mark.parametrize("season", DECISIONS)
@pytest.mark.parametrize("days_after", [34, 35, 36])
def test_a_concept_plan_on_day_n_is_judged_alike_everywhere(season, days_after, time_machine):
    assigned = DECISIONS[season]
    case = decided_at_nine(assigned)
    submitted = datetime.combine(
        assigned + timedelta(days=days_after), time(23, 30), tzinfo=AMSTERDAM
    )  # late in the evening: 32 or 33 hours past a whole number of days, still the same day
    expected_in_time = days_after <= 35
    today = submitted.date()

    time_machine.move_to(submitted, tick=False)
    assert CONCEPT_PLAN.met(case.base_file_assigned_at, submitted) is expected_in_time
    assert (not reminders_overdue(case, DUE_CONCEPT_PLAN, today)) is expected_in_time
    page_due = next(d for d in case_page_data(case)["dues"] if d.kind == DUE_CONCEPT_PLAN)
    assert (page_due.due >= today) is expected_in_time

    PlanVersion.objects.create(case=case, number=1, submitted_at=submitted)
    assert monitor_in_time(CONCEPT_PLAN.code, assigned, time_machine) is expected_in_time
