"""Acceptance 1 of issue 16: a decision meeting held years ago, recorded afterwards through the
services as its minutes have it, and the minutes PDF read back through pdftotext; and the action
list and forward agenda of the iPGA-R team meeting of 15 June 2021 (seeds/002) as written there.

The PTO-R met on Wednesday 19 May 2021 at 09:00 and again on 2 June 2021; the secretary types the
minutes in on 1 March 2027."""

import subprocess
import tempfile
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases.exceptions import TransitionNotAllowed
from cases.models import Case
from intake.constants import ReportStatus
from meetings import selectors, services
from meetings.constants import (
    AttendanceStatus,
    CaseItemKind,
    DecisionKind,
    ItemKind,
    ItemStatus,
    OwnerGroup,
    PeriodKind,
)
from meetings.models import Action, Decision
from meetings.periods import Period, period_parse
from meetings.services import AttendanceRow, DecisionData, OwnerData
from tests.cases.factories import coordinator_user, ready_report, regisseur_user, secretary_user
from tests.meetings.factories import BodyFactory, at, organisation
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
HELD = datetime(2021, 5, 19, 9, 0, tzinfo=AMSTERDAM)
NEXT = datetime(2021, 6, 2, 9, 0, tzinfo=AMSTERDAM)
TODAY = date(2027, 3, 1)


def pdftotext(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        return subprocess.run(
            ["pdftotext", "-raw", pdf.name, "-"], capture_output=True, text=True, check=True
        ).stdout


@pytest.fixture
def recorded(time_machine):
    time_machine.move_to(at(date(2021, 5, 3), 10), tick=False)
    reports = [ready_report(), ready_report()]
    regisseur = regisseur_user(
        organisation=organisation("OOV"), first_name="Ria", last_name="Regie"
    )
    coordinator = coordinator_user()
    time_machine.move_to(at(TODAY, 10), tick=False)
    secretary = secretary_user()
    body = BodyFactory(pto=True, name="PTO-R", short_name="PTO-R", secretary=secretary)
    meeting = services.meeting_record_past(
        body=body,
        starts_at=HELD,
        reason="Overgezet uit het oude registratiesysteem",
        actor=secretary,
        location="Stadhuis, kamer 3",
    )
    services.meeting_record_past(
        body=body,
        starts_at=NEXT,
        reason="Overgezet uit het oude registratiesysteem",
        actor=secretary,
    )
    statuses = {
        "OOV": AttendanceStatus.PRESENT,
        "POL": AttendanceStatus.PRESENT,
        "OM": AttendanceStatus.PRESENT,
        "NCTV": AttendanceStatus.EXCUSED,
        "RN": AttendanceStatus.PRESENT,
        "GGD": AttendanceStatus.ABSENT,
        "WPI": AttendanceStatus.EXCUSED,
        "MAP": AttendanceStatus.GUEST,
        "GGZ": AttendanceStatus.PRESENT,
    }
    services.attendance_record(
        meeting=meeting,
        actor=secretary,
        rows=[
            AttendanceRow(name="", status=s, organisation=organisation(c))
            for c, s in statuses.items()
        ]
        + [
            AttendanceRow(name="", status=AttendanceStatus.ABSENT, organisation_name="AM-gemeenten")
        ],
    )
    general, consent, cases = (
        services.section_add(meeting=meeting, title=title, actor=secretary)
        for title in ("Algemeen", "Hamerpunten – besluiten casuïstiek", "Casuïstiek")
    )

    def add(title, section, kind=ItemKind.POLICY, **fields):
        return services.agenda_item_add(
            meeting=meeting,
            actor=secretary,
            kind=kind,
            title=title,
            section=section,
            owner_organisation=organisation("OOV") if kind == ItemKind.POLICY else None,
            **fields,
        )

    opening = add("Opening en vaststellen agenda", general, kind=ItemKind.OPENING)
    caseload = add("Caseloadverdeling regisseurs", general)
    hamer = add("Besluit statisch (hamerpunt)", consent, kind=ItemKind.CONSENT)
    admit_item, refuse_item = (
        services.agenda_record_case_item(
            meeting=meeting,
            actor=secretary,
            placement=services.Placement(CaseItemKind.ADMISSION, report=report),
            section=cases,
        )
        for report in reports
    )
    carried = [add(f"Beleidsnotitie {n}", general) for n in ("A", "B", "C")]
    urgent = add("Spoedpunt politie", cases, owners=[OwnerData(organisation=organisation("POL"))])

    time_machine.move_to(at(TODAY, 11), tick=False)
    for item in carried:
        services.item_minutes_save(
            item=item,
            actor=secretary,
            notes="",
            status=ItemStatus.NOT_DISCUSSED,
            carry_note="Niet toegekomen; volgende vergadering.",
        )
    # Handled first, though number 9 on the agenda.
    services.item_minutes_save(
        item=urgent,
        actor=secretary,
        notes="Toelichting door politie.",
        status="besproken",
        handled_position=1,
    )
    services.decision_record(
        item=opening,
        actor=secretary,
        data=DecisionData(kind=DecisionKind.GENERAL, text="De agenda wordt vastgesteld."),
    )
    services.decision_record(
        item=caseload,
        actor=secretary,
        data=DecisionData(kind=DecisionKind.GENERAL, text="Max. 15 casussen per fte regisseur."),
    )
    services.decision_record(
        item=hamer,
        actor=secretary,
        data=DecisionData(kind=DecisionKind.GENERAL, text="Conform voorstel als hamerpunt."),
    )
    services.decision_record(
        item=admit_item,
        actor=secretary,
        data=DecisionData(
            kind=DecisionKind.ADMIT,
            text="Opnemen in de aanpak; beste kaarten bij OOV.",
            organisation=organisation("OOV"),
            regisseur=regisseur,
        ),
    )
    services.decision_record(
        item=refuse_item,
        actor=secretary,
        data=DecisionData(kind=DecisionKind.NOT_ADMIT, text="Niet opnemen; reguliere zorg."),
    )
    services.action_create(
        body=body,
        actor=secretary,
        item=caseload,
        subject="Caseload",
        action="Verdeling herzien en terugkoppelen.",
        owners=[OwnerData(group=OwnerGroup.REGISSEURS), OwnerData(user=coordinator)],
        due=period_parse("eerste helft 2021"),
    )
    services.action_create(
        body=body,
        actor=secretary,
        raised_in=meeting,
        subject="Informatiedeling",
        action="Allen leveren input aan.",
        owners=[OwnerData(group=OwnerGroup.ALL)],
        due=Period(PeriodKind.ASAP),
    )
    services.forward_item_create(
        body=body,
        actor=secretary,
        title="Evaluatie werkwijze PTO-R",
        when=period_parse("september 2021"),
    )
    return {
        "body": body,
        "meeting": meeting,
        "secretary": secretary,
        "reports": reports,
        "regisseur": regisseur,
        "coordinator": coordinator,
    }


def test_everything_recorded_carries_the_meetings_own_date(recorded):
    meeting = recorded["meeting"]
    assert meeting.recorded_afterwards_reason == "Overgezet uit het oude registratiesysteem"
    assert {d.decided_at for d in Decision.objects.filter(item__meeting=meeting)} == {HELD}
    assert {a.raised_on for a in Action.objects.all()} == {date(2021, 5, 19)}
    case = Case.objects.get()
    assert case.regisseur == recorded["regisseur"]
    first, second = (r.__class__.objects.get(pk=r.pk) for r in recorded["reports"])
    assert (first.status, second.status) == (ReportStatus.ADMITTED, ReportStatus.NOT_ADMITTED)
    following = meeting.body.meetings.get(starts_at=NEXT)
    assert following.items.filter(carried_from__meeting=meeting).count() == 3


def test_the_minutes_pdf_says_what_the_meeting_did(recorded, client):
    meeting = recorded["meeting"]
    response = signed_in(client, recorded["secretary"]).get(
        reverse("meetings:minutes_pdf", args=[meeting.pk])
    )
    text = " ".join(pdftotext(response.content).split())

    assert "Vergaderdatum woensdag 19 mei 2021, 09:00" in text
    assert "Stadhuis, kamer 3" in text
    assert (
        "Aanwezig: GGZ inGeest / Arkin; Openbaar Ministerie; Openbare Orde en Veiligheid; "
        "Politie Eenheid Amsterdam; Reclassering Nederland" in text
    )
    assert "Afwezig met bericht: Nationaal" in text
    assert "Afwezig: AM-gemeenten; GGD Amsterdam" in text
    assert "Ook aanwezig (gast): Meld- en Adviespunt" in text
    for heading in ("Algemeen", "Hamerpunten – besluiten casuïstiek", "Casuïstiek"):
        assert heading in text
    # The item numbered 9 on the agenda was handled first; the minutes show both.
    assert "Volgorde van behandeling: punt 9, punt 1, punt 2" in text
    assert "9. Spoedpunt politie" in text and "agendapunt 9, behandeld als 1e" in text
    assert "Besluit statisch (hamerpunt) [hamerpunt]" in text
    assert "BESLUIT (Besluit): De agenda wordt vastgesteld." in text
    assert "BESLUIT (Besluit): Max. 15 casussen per fte regisseur." in text
    assert (
        "BESLUIT (Opnemen in de aanpak): Opnemen in de aanpak; beste kaarten bij OOV. "
        "Organisatie: Openbare Orde en Veiligheid; regisseur: Ria Regie." in text
    )
    assert "BESLUIT (Niet opnemen): Niet opnemen; reguliere zorg." in text
    assert (
        text.count("Niet besproken; doorgeschoven naar de volgende vergadering: Niet toegekomen")
        == 3
    )
    assert "Bijlage 1: actielijst (open acties)" in text
    assert "Verdeling herzien en terugkoppelen." in text and "regisseurs" in text
    assert "eerste helft 2021" in text and "z.s.m." in text and "allen" in text
    assert "Bijlage 2: termijnagenda" in text and "september 2021 Evaluatie werkwijze PTO-R" in text
    assert "(besloten) (besloten)" not in text


def test_a_past_meeting_without_reason_or_overlapping_another_is_refused(recorded):
    body, secretary = recorded["body"], recorded["secretary"]
    with pytest.raises(TransitionNotAllowed) as refused:
        services.meeting_record_past(body=body, starts_at=HELD, reason=" ", actor=secretary)
    assert refused.value.message.startswith("Reden:")
    with pytest.raises(TransitionNotAllowed) as refused:
        services.meeting_record_past(
            body=body, starts_at=HELD.replace(hour=10), reason="dubbel", actor=secretary
        )
    assert refused.value.message == (
        "Aanvang: deze tijd overlapt met de vergadering van PTO-R op 19-05-2021 09:00."
    )


SEED_ACTIONS = [
    # (datum, onderwerp, afronding as written)
    ("20210323", "Bijeenkomst over kwetsbaarheid regisseurs bij casuïstiek in de media", "27 mei"),
    ("20210323", "Teamuitstapje in Westerpark", "Voor de zomervakantie"),
    ("20210323", "Familiebijeenkomst(en) met BM", "z.s.m."),
    ("20210323", "Bijeenkomst over veiligheid met directeur OOV", "z.s.m."),
    ("20201001", "Actualisering interventiepallet", "Eerste helft 2021"),
    ("20201203", "Verbinding tussen programmteam en regisseurspool", "Tweede helft 2021"),
    ("20201001", "Evaluatie nieuwe regisseurspool / Teamuitje regisseurspool", "September 2021"),
]
SEED_FORWARD = [
    (
        "1, 5, 29 april en 13 mei 2021",
        "13 mei 2021",
        "Verdiepingstrainingen Regievoeren zonder Macht",
    ),
    ("iPGA-R 18 mei", "18 mei 2021", "Kennismaking met MAR"),
    ("27 mei", "27 mei 2021", "Bijeenkomst over kwetsbaarheid in geval van casuïstiek in de media"),
    (
        "Mei/juni of na zomervakantie",
        "na de zomer 2021",
        "Vervolgbijeenkomst over veiligheid met directeur OOV",
    ),
    ("Voor zomervakantie", "voor de zomer 2021", "BBQ voor regisseurspool in Landsmeer"),
    (
        "iPGA-R 15 juni",
        "15 juni 2021",
        "Kennismaking tussen projectleiders stadsdelen/regisseurspool",
    ),
    (
        "16/2, 15/4, 22/6, 23/9, 11/11 en 16/12",
        "16 december 2021",
        "Intervisiebijeenkomsten voor regisseurs",
    ),
    (
        "30 juni (9-13 uur) en 8 juli (13-17 uur)",
        "8 juli 2021",
        "Trainingsdagen voor leden Weegploeg",
    ),
    ("iPGA-R", "nog plannen", "Toelichting GGD op ZRM"),
    ("2e helft 2021", "tweede helft 2021", "Bijeenkomst tussen programmteam R&E en regisseurspool"),
    ("September 2021", "september 2021", "Teamuitje regisseurspool"),
]


def test_the_2021_team_meetings_action_list_and_forward_agenda_as_written(time_machine):
    time_machine.move_to(at(TODAY, 10), tick=False)
    secretary = secretary_user()
    team = BodyFactory(name="iPGA-R Teamoverleg", short_name="iPGA-R", start_time=time(10, 0))
    meeting = services.meeting_record_past(
        body=team,
        starts_at=datetime(2021, 6, 15, 10, 0, tzinfo=AMSTERDAM),
        reason="Vastgesteld verslag, overgezet",
        actor=secretary,
    )
    for raised, subject, due in SEED_ACTIONS:
        action = services.action_create(
            body=team,
            actor=secretary,
            raised_on=datetime.strptime(raised, "%Y%m%d").date(),
            raised_in=meeting,
            subject=subject,
            action=subject,
            owners=[OwnerData(group=OwnerGroup.ALL)],
            due=period_parse(due, year=2021),
        )
        if due == "27 mei":  # "27 mei Afgerond"
            services.action_mark_done(action=action, actor=secretary, done_on=date(2021, 5, 27))
    for written, when, title in SEED_FORWARD:
        services.forward_item_create(
            body=team,
            actor=secretary,
            title=title,
            when=period_parse(when, year=2021),
            period=written,
        )

    listed = selectors.action_list(team)
    assert [(a.subject[:20], a.due_label) for a in listed] == [
        ("Familiebijeenkomst(e", "z.s.m."),
        ("Bijeenkomst over vei", "z.s.m."),
        ("Actualisering interv", "eerste helft 2021"),
        ("Teamuitstapje in Wes", "vóór de zomer 2021"),
        ("Evaluatie nieuwe reg", "september 2021"),
        ("Verbinding tussen pr", "tweede helft 2021"),
        ("Bijeenkomst over kwe", "27-05-2021"),  # done: last
    ]
    assert listed[-1].done_on == date(2021, 5, 27)
    assert listed[0].raised_on == date(2021, 3, 23)
    forward = selectors.forward_agenda(team)
    assert [f.title[:12] for f in forward] == [
        "Verdiepingst",
        "Kennismaking",
        "Bijeenkomst ",
        "Kennismaking",
        "BBQ voor reg",
        "Trainingsdag",
        "Na de zomer"[:0] + "Vervolgbijee",
        "Teamuitje re",
        "Intervisiebi",
        "Bijeenkomst ",
        "Toelichting ",
    ]
    assert all(f.is_past for f in forward if f.planned_on)
    assert forward[0].when_label == "1, 5, 29 april en 13 mei 2021"
    assert forward[-1].when_label == "iPGA-R" and forward[-1].kind == PeriodKind.TO_PLAN


def test_the_team_agenda_pdf_has_sections_numbers_and_no_empty_columns(client, time_machine):
    time_machine.move_to(at(TODAY, 10), tick=False)
    secretary = secretary_user()
    team = BodyFactory(name="iPGA-R Teamoverleg", short_name="iPGA-R", secretary=secretary)
    meeting = services.meeting_record_past(
        body=team,
        starts_at=datetime(2021, 6, 15, 10, 0, tzinfo=AMSTERDAM),
        reason="Overgezet",
        actor=secretary,
    )
    general = services.section_add(meeting=meeting, title="Algemeen", actor=secretary)
    policy = services.section_add(
        meeting=meeting, title="Ontwikkelingen en beleid", actor=secretary
    )
    for title, section, kind in (
        ("Kennismaking projectleiders stadsdelen", general, ItemKind.OPENING),
        ("Vaststellen agenda", general, ItemKind.CONSENT),
        ("Informatiebeeld april 2021", policy, ItemKind.POLICY),
    ):
        services.agenda_item_add(
            meeting=meeting,
            actor=secretary,
            kind=kind,
            title=title,
            section=section,
            owner_organisation=organisation("OOV") if kind == ItemKind.POLICY else None,
        )
    services.agenda_item_add(
        meeting=meeting,
        actor=secretary,
        kind=ItemKind.POLICY,
        title="Signaal uit lopend onderzoek (besloten)",
        section=policy,
        owner_organisation=organisation("POL"),
        is_closed_session=True,
        closed_attendees=[secretary],
    )

    response = signed_in(client, secretary).get(reverse("meetings:agenda_pdf", args=[meeting.pk]))
    text = " ".join(pdftotext(response.content).split())

    assert "Agenda iPGA-R Teamoverleg" in text and "dinsdag 15-06-2021 10:00" in text
    assert "Regisseur" not in text and "Tijd" not in text  # a team meeting has neither
    assert text.index("Algemeen") < text.index("1 Kennismaking") < text.index("Ontwikkelingen")
    assert "2 Vaststellen agenda [hamerpunt]" in text
    assert "3 Informatiebeeld april 2021 (Openbare Orde en Veiligheid)" in text
    assert "4 Signaal uit lopend onderzoek (besloten) (Politie Eenheid Amsterdam)" in text
    assert "(besloten) (besloten)" not in text


@pytest.mark.parametrize(
    "title", ["Signaal uit lopend onderzoek", "Signaal uit lopend onderzoek (besloten)"]
)
def test_the_minutes_pdf_marks_a_closed_session_item_besloten_exactly_once(
    client, time_machine, title
):
    time_machine.move_to(at(TODAY, 10), tick=False)
    secretary = secretary_user()
    team = BodyFactory(name="iPGA-R Teamoverleg", short_name="iPGA-R", secretary=secretary)
    meeting = services.meeting_record_past(
        body=team,
        starts_at=datetime(2021, 6, 15, 10, 0, tzinfo=AMSTERDAM),
        reason="Overgezet",
        actor=secretary,
    )
    services.agenda_item_add(
        meeting=meeting, actor=secretary, kind=ItemKind.OPENING, title="Opening"
    )
    closed = services.agenda_item_add(
        meeting=meeting,
        actor=secretary,
        kind=ItemKind.POLICY,
        title=title,
        owner_organisation=organisation("POL"),
        is_closed_session=True,
        closed_attendees=[secretary],
    )
    services.decision_record(
        item=closed,
        actor=secretary,
        data=DecisionData(kind=DecisionKind.GENERAL, text="Politie informeert de leden."),
    )

    response = signed_in(client, secretary).get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    text = " ".join(pdftotext(response.content).split())

    assert "2. Signaal uit lopend onderzoek (besloten)" in text
    assert "BESLUIT (Besluit): Politie informeert de leden." in text
    assert text.count("(besloten)") == 1
