"""Meeting bodies with their cycles for `seed_demo` (DOMAIN.md sections 3 and 4)."""

from datetime import date, time, timedelta

from ipgar.accounts.models import Organisation, User
from meetings.constants import BodyFunction, PeriodKind, Weekday
from meetings.models import Body
from meetings.periods import Period

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


def seed_meetings(today: date, users: dict[str, User]) -> int:
    """Past meetings with adopted minutes, upcoming agendas, an action list, a forward agenda."""
    from django.utils import timezone

    from cases.models import PlanVersion
    from intake.models import Report
    from meetings import services
    from meetings.constants import CaseItemKind, DecisionKind, ItemKind
    from meetings.models import Action, AgendaItem, ForwardItem

    secretary = users["secretaris"]
    organisations = {o.code: o for o in Organisation.objects.all()}
    created = 0
    for body in Body.objects.all():
        created += services.meetings_generate(
            body=body, since=today - timedelta(weeks=10), actor=secretary
        )
    pto = Body.objects.get(short_name="PTO-R")
    itatr = Body.objects.get(short_name="ITAT-R")
    if AgendaItem.objects.filter(kind=ItemKind.POLICY).exists():
        return created  # the agendas below were made on an earlier run

    # Past decision meetings: minutes with decisions, adopted in the meeting after.
    past = list(pto.meetings.filter(starts_at__lt=timezone.now()).order_by("starts_at"))
    for meeting in past:
        services.attendance_record(
            meeting=meeting,
            actor=secretary,
            rows=[
                services.AttendanceRow(
                    name=users["regieoverleg"].get_full_name(),
                    status="aanwezig",
                    organisation=organisations["OOV"],
                    user=users["regieoverleg"],
                ),
                services.AttendanceRow(
                    name="Vertegenwoordiger politie",
                    status="aanwezig",
                    organisation=organisations["POL"],
                ),
                services.AttendanceRow(
                    name="Officier van justitie",
                    status="afgemeld",
                    organisation=organisations["OM"],
                ),
                services.AttendanceRow(
                    name="NCTV-adviseur",
                    status="gast",
                    organisation=organisations["NCTV"],
                ),
            ],
        )
        policy = services.agenda_item_add(
            meeting=meeting,
            actor=secretary,
            kind=ItemKind.POLICY,
            title="Concept beoordelingskader alle ideologieën",
            owner_organisation=organisations["OOV"],
        )
        services.decision_record(
            item=policy,
            actor=secretary,
            data=services.DecisionData(
                kind=DecisionKind.GENERAL,
                text="Het Regieoverleg stemt in met het concept; OOV verwerkt de opmerkingen.",
            ),
        )
        consent = services.agenda_item_add(
            meeting=meeting, actor=secretary, kind=ItemKind.CONSENT, title="Caseloadoverzicht"
        )
        services.decision_record(
            item=consent,
            actor=secretary,
            data=services.DecisionData(
                kind=DecisionKind.GENERAL, text="Vastgesteld als hamerpunt."
            ),
        )
    for meeting in past[1:]:
        services.minutes_adopt(meeting=meeting, actor=secretary)

    # The next decision meeting: the report that is ready, a policy item, a closed session.
    ready = Report.objects.filter(status="klaar_voor_besluit", ready_at__isnull=False).first()
    next_pto = services.first_meeting_for(pto, today)
    if next_pto and ready:
        services.agenda_place(
            meeting=next_pto,
            actor=secretary,
            placement=services.Placement(CaseItemKind.ADMISSION, report=ready),
        )
        services.agenda_item_add(
            meeting=next_pto,
            actor=secretary,
            kind=ItemKind.POLICY,
            title="Monitor derde kwartaal",
            owner_organisation=organisations["OOV"],
        )
        services.agenda_item_add(
            meeting=next_pto,
            actor=secretary,
            kind=ItemKind.POLICY,
            title="Signaal uit lopend onderzoek (besloten)",
            owner_organisation=organisations["POL"],
            is_closed_session=True,
            closed_attendees=[users["regieoverleg"], secretary],
        )
    # The next ITAT-R: the plans submitted for advice.
    next_itatr = services.first_meeting_for(itatr, today)
    if next_itatr:
        for plan in PlanVersion.objects.filter(status="ingediend"):
            services.agenda_place(
                meeting=next_itatr,
                actor=secretary,
                placement=services.Placement(CaseItemKind.PLAN_ADVICE, plan=plan, case=plan.case),
            )

    # Action list and forward agenda of the decision meeting.
    if not Action.objects.exists():
        services.action_create(
            body=pto,
            actor=secretary,
            subject="Caseload",
            action="Verdeling casussen over regisseurs herzien (15 per fte).",
            owners=[services.OwnerData(user=users["coordinator"])],
            due=Period(PeriodKind.DATE, today + timedelta(days=14)),
            raised_in=past[-1] if past else None,
        )
        done = services.action_create(
            body=pto,
            actor=secretary,
            subject="Doorlooptijden",
            action="Analyse doorlooptijd melding tot besluit.",
            owners=[services.OwnerData(organisation=organisations["OOV"])],
            due=Period(PeriodKind.DATE, today - timedelta(days=10)),
        )
        services.action_mark_done(action=done, actor=secretary)
    if not ForwardItem.objects.exists():
        services.forward_item_create(
            body=pto,
            actor=secretary,
            title="Jaarlijkse herziening interventiepallet",
            when=Period(PeriodKind.QUARTER, date(today.year + 1, 3, 31)),
        )
        services.forward_item_create(
            body=pto,
            actor=secretary,
            title="Evaluatie werkwijze ITAT-R",
            when=Period(PeriodKind.DATE, today + timedelta(weeks=10)),
        )
    return created
