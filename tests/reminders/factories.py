"""Deadlines at a moment the test chooses: cases, reports and meetings built through their
services while time stands still, and the deadlines read back the way the sweep reads them.

    on(time_machine, day)               stand still on `day`, 10:00 Amsterdam time
    find(kind, obj)                     the deadline of that kind on that object, or None
    state(time_machine, day, kind, obj) "geen", "gepland", "waarschuwen" or "verlopen" on `day`
    case_admitted_on(time_machine, day) a case opened on `day` (base file handed over at once)
    detained_minor_case(...)            a minor in a JJI with a parent and a guardian on file

Reuses the factories of tests/intake, tests/cases and tests/meetings.
"""

from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.db.models import Model

from cases import services as case_services
from cases.constants import ContactKind, InstitutionKind
from cases.models import Case
from intake.constants import Desk
from ipgar.accounts.models import User
from reminders.deadlines import Deadline, all_deadlines
from tests.cases.factories import CaseFactory, ready_report
from tests.intake.factories import PersonDataFactory, desk_user
from tests.meetings.factories import at

# A Monday; every scenario below starts here unless it says otherwise.
DAY_ZERO = date(2027, 3, 1)

JJI_NAME = "JJI Teylingereind"
JJI_ADDRESS = "Postbus 174\n2170 AD Sassenheim"
PARENT_NAME = "Ilse Vredeveld"
PARENT_ADDRESS = "Wittenburgergracht 12\n1018 MZ Amsterdam"
GUARDIAN_NAME = "Stichting Jeugdbescherming Amsterdam, mr. K. Doornbos"
GUARDIAN_ADDRESS = "Postbus 11036\n1001 GA Amsterdam"


def on(time_machine, day: date, hour: int = 10) -> date:
    time_machine.move_to(at(day, hour), tick=False)
    return day


def find(kind: str, obj: Model | str, *, today: date | None = None) -> Deadline | None:
    object_id = str(obj.pk) if isinstance(obj, Model) else str(obj)
    matches = [d for d in all_deadlines(today) if d.kind == kind and d.object_id == object_id]
    assert len(matches) <= 1, matches
    return matches[0] if matches else None


def state(time_machine, day: date, kind: str, obj: Model | str) -> str:
    """What the user sees of one deadline on `day`: nothing, planned, a warning, or overdue."""
    on(time_machine, day)
    deadline = find(kind, obj)
    if deadline is None:
        return "geen"
    if deadline.is_overdue(day):
        return "verlopen"
    return "waarschuwen" if deadline.warn <= day else "gepland"


def states(time_machine, days, kind: str, obj: Model | str) -> list[str]:
    return [state(time_machine, day, kind, obj) for day in days]


def around(warn: date, due: date) -> list[date]:
    """The four boundary days: before the warning, the warning, the due date, the day after."""
    return [warn - timedelta(days=1), warn, due, due + timedelta(days=1)]


def role_user_ids(role: str) -> frozenset[int]:
    return frozenset(
        Group.objects.get(name=role).user_set.filter(is_active=True).values_list("pk", flat=True)
    )


def case_admitted_on(
    time_machine, day: date, *, desk: User | None = None, person: dict | None = None, **fields
) -> Case:
    """A case the decision meeting opened on `day`; its report was registered by `desk`."""
    on(time_machine, day)
    report = ready_report(
        registered_by=desk or desk_user(Desk.MAP), persons=[PersonDataFactory(**(person or {}))]
    )
    return CaseFactory(report=report, **fields)


def make_detained(case: Case, *, since: date, until: date | None = None) -> None:
    case_services.subject_update(
        case=case,
        actor=case.regisseur,
        institution_kind=InstitutionKind.JJI,
        institution_name=JJI_NAME,
        institution_address=JJI_ADDRESS,
        detained_from=since,
        detained_until=until,
    )


def add_representatives(case: Case) -> None:
    """A parent and a guardian, both legal representatives with an address; and two people who
    receive no letter: a parent without custody and an uncle."""
    for kind, name, address, legal in [
        (ContactKind.PARENT, PARENT_NAME, PARENT_ADDRESS, True),
        (ContactKind.GUARDIAN, GUARDIAN_NAME, GUARDIAN_ADDRESS, True),
        (ContactKind.PARENT, "Ruud Vredeveld", "Onbekend adres", False),
        (ContactKind.FAMILY, "Oom Henk Vredeveld", "Zeeburgerdijk 3\n1094 AA Amsterdam", False),
    ]:
        case_services.contact_save(
            case=case,
            actor=case.regisseur,
            kind=kind,
            name=name,
            relation=kind.label,
            address=address,
            is_legal_representative=legal,
        )


def detained_minor_case(time_machine, day: date = DAY_ZERO, *, desk: User | None = None) -> Case:
    """A 15-year-old in a JJI since before admission, with a parent and a guardian on file."""
    case = case_admitted_on(
        time_machine,
        day,
        desk=desk,
        person={
            "first_name": "Daan",
            "last_name": "Vredeveld",
            "date_of_birth": date(day.year - 15, 6, 1),
            "street": "Wittenburgergracht 12",
            "postcode": "1018 MZ",
            "city": "Amsterdam",
        },
    )
    make_detained(case, since=day - timedelta(days=20))
    add_representatives(case)
    return Case.objects.select_related("subject", "regisseur", "organisation").get(pk=case.pk)
