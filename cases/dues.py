"""Every deadline a case carries, each rule defined once (DOMAIN.md section 6).

Each rule is one Python function of plain values (local dates, flags), so the same function
serves one case (the case page, "Mijn casussen", the letters page) and every case (the reminder
sweep reads the values of 120,000 cases in one statement, issue 19). What needs related rows
has a filter beside its Python twin: `detained_q`, `minor_q`, `quiet_q` here,
`letters_incomplete_q` in cases/letters.py. `tests/cases/test_dues.py` proves every twin
agrees, and that the values read in the database give the dates the objects give. `None`
means the case has no such deadline.

The letter (3 weeks) and concept-plan (5 weeks) terms are counted by cases/deadlines.py
(`LETTER`, `CONCEPT_PLAN`: calendar days in Europe/Amsterdam), which the monitor also asks;
the rules here call them, so those two have one definition. The other terms are counted by
`term_end` (plus whole weeks) on local dates (`local_date` / `local_date_sql`, the day in the
project's time zone).
"""

from datetime import date, datetime, timedelta

from django.db.models import (
    DateField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from cases.constants import (
    CONTACT_KINDS,
    UVO_INTERVAL_WEEKS,
    CasePhase,
    UvoStatus,
)
from cases.deadlines import CONCEPT_PLAN, LETTER
from cases.models import Evaluation, LogEntry, PartnerMeeting, PlanVersion

CONCEPT_PLAN_PHASES = (CasePhase.BASE_FILE, CasePhase.CONCEPT_PLAN)

# --- Counting a term: the one place ----------------------------------------------------------


def local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None


def local_date_sql(expression) -> TruncDate:
    """The same as `local_date`, in the database: the date in the current (project) time zone."""
    return TruncDate(expression, output_field=DateField())


def term_end(start: date | None, weeks: int) -> date | None:
    return start + timedelta(weeks=weeks) if start else None


# --- What the rules read from related rows ---------------------------------------------------


def _latest(queryset, field: str) -> Subquery:
    """The newest `field` of the case's rows in `queryset`, as a correlated subquery (a join
    per relation would multiply the rows of long logbooks)."""
    return Subquery(queryset.filter(case=OuterRef("pk")).order_by(f"-{field}").values(field)[:1])


LAST_CONTACT = _latest(LogEntry.objects.filter(kind__in=CONTACT_KINDS), "at")
LAST_UVO = _latest(
    PartnerMeeting.objects.filter(status=UvoStatus.HELD), "held_on"
)  # planned: not yet
LAST_EVALUATION = _latest(Evaluation.objects.all(), "held_on")
ADOPTED_AT = _latest(PlanVersion.objects.filter(adopted_at__isnull=False), "adopted_at")


# --- The person: detained, minor -------------------------------------------------------------


def detained_q(today: date, prefix: str = "subject__") -> Q:
    """Subject.is_detained(today), as a filter (on cases: prefix `subject__`)."""
    return Q(**{f"{prefix}detained_from__lte": today}) & (
        Q(**{f"{prefix}detained_until__isnull": True})
        | Q(**{f"{prefix}detained_until__gte": today})
    )


def minor_q(today: date, prefix: str = "subject__") -> Q:
    """Subject.is_minor on `today`: not yet 18 (born after the day 18 years ago; on 29
    February after the 28th, as Subject.age counts)."""
    try:
        eighteen = today.replace(year=today.year - 18)
    except ValueError:  # 29 February, and 18 years ago had none
        eighteen = date(today.year - 18, 2, 28)
    return Q(**{f"{prefix}date_of_birth__gt": eighteen})


# --- The rules -------------------------------------------------------------------------------


def letter_due(admitted_on: date) -> date:
    """The notification letters go out within 3 weeks of the admission."""
    return LETTER.due_on(admitted_on)


def concept_plan_due(*, phase: str, assigned_on: date | None) -> date | None:
    """The concept plan goes to the ITAT-R 5 weeks after the base file was assigned."""
    if assigned_on is None or phase not in CONCEPT_PLAN_PHASES:
        return None
    return CONCEPT_PLAN.due_on(assigned_on)


def uvo_due(
    *, last_uvo: date | None, assigned_on: date | None, itatr_on: date | None = None
) -> date | None:
    """The next UVO 8 weeks after the last held one. The first one comes before the ITAT-R
    (DOMAIN.md section 3 step 7): by the concept plan's date, and once the plan is on an
    ITAT-R agenda (`itatr_on`, that meeting's day) the day before that meeting if sooner."""
    if last_uvo:
        return term_end(last_uvo, UVO_INTERVAL_WEEKS)
    if assigned_on is None:
        return None
    first = CONCEPT_PLAN.due_on(assigned_on)
    return first if itatr_on is None else min(first, itatr_on - timedelta(days=1))


def evaluation_due(
    *, last_evaluation: date | None, adopted_on: date | None, interval_weeks: int
) -> date | None:
    """The next evaluation one interval after the last, or after the plan's adoption."""
    return term_end(last_evaluation or adopted_on, interval_weeks)


def is_quiet(*, phase: str, is_dormant: bool, detained: bool, abroad: bool) -> bool:
    """No contact is expected of a case that is 'statisch', just admitted, or whose person is
    detained or abroad."""
    return is_dormant or detained or abroad or phase == CasePhase.ADMITTED


def quiet_q(today: date) -> Q:
    """`is_quiet`, as a filter on cases."""
    return (
        Q(is_dormant=True)
        | Q(subject__abroad=True)
        | Q(phase=CasePhase.ADMITTED)
        | detained_q(today)
    )


def no_contact_due(
    *, quiet: bool, last_contact_on: date | None, admitted_on: date, weeks: int
) -> date | None:
    """A logbook contact is due `weeks` after the last one (or the admission)."""
    return None if quiet else term_end(last_contact_on or admitted_on, weeks)
