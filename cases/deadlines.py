"""One definition per deadline of the workflow that is counted in calendar days: the
notification letter within 3 weeks of the admission decision and the concept plan at the
ITAT-R within 5 weeks of the base file. The reminders, the case page and the monitor all ask
these, so "on time" means the same everywhere.

A deadline runs in calendar days in Europe/Amsterdam: the start moment is taken as its local
date (a decision at 09:00 on a summer Wednesday and one at 23:30 the same evening start the
same day), the due date is that day plus the allowed days, and a step done on the due date is
on time, whatever the hour. The monitor's SQL uses `days` and the same local-date rule
(`monitor.sql.local_day`); a test holds the three readers together on day 20, 21 and 22 in
winter and summer time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from cases.constants import CONCEPT_PLAN_WEEKS, LETTER_WEEKS


def local_day(moment: datetime | date) -> date:
    """The calendar day in Europe/Amsterdam of a moment (a date is its own day)."""
    if isinstance(moment, datetime):
        return timezone.localdate(moment)
    return moment


@dataclass(frozen=True)
class DayDeadline:
    code: str
    label: str
    days: int

    def due_on(self, start: datetime | date) -> date:
        return local_day(start) + timedelta(days=self.days)

    def met(self, start: datetime | date, done: datetime | date | None) -> bool:
        """Done on or before the due date (calendar days, Amsterdam)."""
        return done is not None and local_day(done) <= self.due_on(start)

    def judged(self, start: datetime | date, done: datetime | date | None, today: date) -> bool:
        """Whether the deadline can be judged today: done already, or its due date passed."""
        return done is not None or self.due_on(start) < today


LETTER = DayDeadline("letter", "Notificatiebrief binnen 3 weken na het besluit", 7 * LETTER_WEEKS)
CONCEPT_PLAN = DayDeadline(
    "concept_plan", "Concept plan binnen 5 weken bij het ITAT-R", 7 * CONCEPT_PLAN_WEEKS
)
