"""Meeting bodies with their cycles for `seed_demo` (DOMAIN.md sections 3 and 4)."""

from datetime import date, time, timedelta

from ipgar.accounts.models import Organisation, User
from meetings.constants import BodyFunction, Weekday
from meetings.models import Body

ITATR_MEMBERS = [
    "OOV",
    "OM",
    "POL",
    "GGD",
    "GGZ",
    "WPI",
    "SD-NIE",
    "RN",
    "JBRA",
    "WSG",
    "RVDK",
    "SCW",
    "OJZ",
]

# (name, short, function, weekday, interval, start, duration, slot, member orgs, member users)
BODIES = [
    (
        "ITAT-R (Integraal Toets- en Advies Team)",
        "ITAT-R",
        BodyFunction.ADVISORY,
        Weekday.THURSDAY,
        3,
        time(13, 0),
        180,
        20,
        ITATR_MEMBERS,
        ["itatr"],
    ),
    (
        "Regieoverleg (PTO-R)",
        "PTO-R",
        BodyFunction.DECISION,
        Weekday.WEDNESDAY,
        2,
        time(9, 0),
        120,
        15,
        ["OOV", "POL", "OM", "NCTV"],
        ["regieoverleg"],
    ),
    (
        "Voorportaal (IVG-R)",
        "VP",
        BodyFunction.ASSESSMENT_BOARD,
        Weekday.TUESDAY,
        1,
        time(10, 0),
        90,
        15,
        ["MAP", "POL"],
        ["voorportaal", "politie"],
    ),
    (
        "Teamoverleg iPGA-R",
        "TEAM",
        BodyFunction.TEAM,
        Weekday.TUESDAY,
        2,
        time(14, 0),
        90,
        15,
        ["OOV"],
        ["regisseur", "regisseur2", "programma"],
    ),
    (
        "Directeurenoverleg Radicalisering",
        "DO",
        BodyFunction.GOVERNANCE,
        Weekday.MONDAY,
        8,
        time(15, 0),
        90,
        15,
        ["OOV", "POL", "OM", "RN", "GGD"],
        [],
    ),
]


def _anchor(today: date, weekday: int) -> date:
    """The first cycle date: the given weekday on or before the start of this year."""
    start = date(today.year, 1, 1)
    return start - timedelta(days=(start.weekday() - weekday) % 7)


def seed_bodies(today: date, users: dict[str, User]) -> list[Body]:
    organisations = {o.code: o for o in Organisation.objects.all()}
    bodies = []
    for name, short, function, weekday, interval, start, duration, slot, orgs, members in BODIES:
        body, _ = Body.objects.get_or_create(
            short_name=short,
            defaults={
                "name": name,
                "function": function,
                "weekday": weekday,
                "interval_weeks": interval,
                "first_date": _anchor(today, weekday),
                "start_time": start,
                "duration_minutes": duration,
                "default_slot_minutes": slot,
                "location": "Stadhuis Amsterdam, Amstel 1",
                "secretary": users["secretaris"],
            },
        )
        body.member_organisations.set([organisations[code] for code in orgs])
        body.members.set([users[username] for username in members])
        bodies.append(body)
    return bodies
