"""UVO planning (issue 17): planned with date, place and invitees from the case's intervention
partners and the directory; on the invitees' Mijn werk with an .ics; then held with agreements
or cancelled with a reason. Only a held UVO counts for the 8-week rhythm."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cases import services
from cases.constants import DirectoryRole, UvoStatus
from cases.exceptions import TransitionNotAllowed
from cases.models import DirectoryEntry
from cases.selectors import case_page_data
from ipgar.notifications.models import Notification
from tests.cases.factories import (
    CaseFactory,
    furnished_case,
    partner_user,
    planned_uvo,
    regisseur_user,
)
from tests.factories import OrganisationFactory, UserFactory
from tests.meetings.factories import at
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 1)


@pytest.fixture(autouse=True)
def monday(time_machine):
    time_machine.move_to(at(TODAY, 9), tick=False)


def directory_person(**fields) -> DirectoryEntry:
    organisation = fields.pop("organisation", None) or OrganisationFactory()
    user = fields.pop("user", None)
    entry = DirectoryEntry(
        name=fields.pop("name", "Sanne de Wit"),
        organisation=organisation,
        role=fields.pop("role", DirectoryRole.ATTENTION_OFFICER),
        phone="020-5551234",
        email="s.dewit@example.invalid",
        user=user,
        **fields,
    )
    return services.directory_entry_save(actor=UserFactory(), entry=entry)


def test_a_uvo_in_the_past_cannot_be_planned():
    case = CaseFactory()

    with pytest.raises(TransitionNotAllowed, match="in de toekomst"):
        services.partner_meeting_plan(
            case=case,
            actor=case.regisseur,
            starts_at=at(TODAY - timedelta(days=1), 10),
            location="",
            users=[partner_user()],
        )


def test_the_plan_form_refuses_a_past_date_in_dutch_and_keeps_what_was_typed(client):
    case = CaseFactory()
    signed_in(client, case.regisseur)

    response = client.post(
        reverse("cases:partner_meeting_plan", args=[case.pk]),
        {"starts_at": "2027-02-20T10:00", "location": "Wijkkantoor Slotervaart"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Een UVO wordt in de toekomst gepland." in html
    assert "Wijkkantoor Slotervaart" in html
    assert not case.partner_meetings.exists()


def test_invitees_with_an_account_see_it_on_mijn_werk_and_open_its_ics(client):
    case = CaseFactory()
    officer, leader = UserFactory(), UserFactory()
    first = directory_person(user=officer)
    second = directory_person(
        name="Karim Bouzid",
        role=DirectoryRole.DISTRICT_PROJECT_LEADER,
        district="Nieuw-West",
        user=leader,
    )
    without_account = directory_person(name="Els Jansen")

    meeting = planned_uvo(case, invitees=[first, second, without_account])

    for user in (officer, leader):
        notification = Notification.objects.get(recipient=user, kind="uvo_uitnodiging")
        assert notification.due_date == TODAY + timedelta(days=1)
        signed_in(client, user)
        assert (
            "Uitnodiging UVO 02-03-2027 10:00"
            in client.get(reverse("core:my_work")).content.decode()
        )
        ics = client.get(notification.link)
        assert ics.status_code == 200
        assert b"DTSTART;TZID=Europe/Amsterdam:20270302T100000" in ics.content
        assert case.subject.last_name.encode() not in ics.content  # no person data
    assert "Els Jansen" in meeting.participants


def test_the_ics_does_not_exist_for_someone_not_invited(client):
    case = CaseFactory()
    meeting = planned_uvo(case, users=[partner_user()])
    signed_in(client, UserFactory())

    url = reverse("cases:partner_meeting_ics", args=[case.pk, meeting.pk])

    assert client.get(url).status_code == 404


def test_a_planned_uvo_held_with_an_agreement_restarts_the_eight_weeks(time_machine):
    case = CaseFactory()
    partner = partner_user()
    meeting = planned_uvo(case, users=[partner])
    before = {d.kind: d.due for d in case_page_data(case)["dues"]}
    time_machine.move_to(at(TODAY + timedelta(days=1), 12), tick=False)

    services.partner_meeting_hold(
        meeting=meeting,
        actor=case.regisseur,
        participants="",
        notes="Afspraken gemaakt.",
        agreements=[
            services.AgreementData(
                what="Intake WPI", due_on=TODAY + timedelta(days=14), owner=partner
            )
        ],
    )

    meeting.refresh_from_db()
    assert meeting.status == UvoStatus.HELD
    assert meeting.agreements.get().owner == partner
    dues = {d.kind: d.due for d in case_page_data(case)["dues"]}
    assert before["uvo"] != dues["uvo"] == TODAY + timedelta(days=1) + timedelta(weeks=8)
    assert not Notification.objects.filter(kind="uvo_uitnodiging", read_at__isnull=True).exists()


def test_a_planned_uvo_is_not_a_held_one_for_the_deadline():
    case = CaseFactory()
    before = {d.kind: d.due for d in case_page_data(case)["dues"]}

    planned_uvo(case, users=[partner_user()])

    assert {d.kind: d.due for d in case_page_data(case)["dues"]} == before


def test_holding_a_uvo_before_its_day_is_refused():
    case = CaseFactory()
    meeting = planned_uvo(case, users=[partner_user()], days=3)

    with pytest.raises(TransitionNotAllowed, match="op of na de dag zelf"):
        services.partner_meeting_hold(
            meeting=meeting, actor=case.regisseur, participants="", notes="", agreements=[]
        )


def test_a_cancellation_needs_a_reason_and_keeps_it():
    case = CaseFactory()
    meeting = planned_uvo(case, users=[partner_user()])

    with pytest.raises(TransitionNotAllowed, match="reden"):
        services.partner_meeting_cancel(meeting=meeting, actor=case.regisseur, reason=" ")
    services.partner_meeting_cancel(meeting=meeting, actor=case.regisseur, reason="Partner ziek.")

    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == (UvoStatus.CANCELLED, "Partner ziek.")


def test_the_plan_form_offers_the_case_partners_and_the_directory(client):
    file = furnished_case()
    directory_person(name="Petra Smit")
    signed_in(client, file.case.regisseur)

    html = client.get(reverse("cases:partner_meeting_plan", args=[file.case.pk])).content.decode()

    assert file.partner.get_full_name() in html
    assert "Petra Smit" in html


def test_every_staff_role_searches_the_directory_but_the_partner_does_not(client):
    directory_person(name="Sanne de Wit", district="Nieuw-West")
    directory_person(name="Joris Bakker", district="Zuid")
    signed_in(client, regisseur_user())

    html = client.get(reverse("cases:directory") + "?zoek=nieuw-west").content.decode()

    assert "Sanne de Wit" in html and "Joris Bakker" not in html
    signed_in(client, partner_user())
    assert client.get(reverse("cases:directory")).status_code == 403


def test_the_partner_sees_the_regisseurs_contact_details_on_their_intervention(client):
    file = furnished_case()
    regisseur = file.case.regisseur
    regisseur.phone, regisseur.email = "06-12345678", "regisseur@example.invalid"
    regisseur.save()
    signed_in(client, file.partner)

    html = client.get(
        reverse("cases:partner_intervention", args=[file.intervention.pk])
    ).content.decode()

    assert "06-12345678" in html and "regisseur@example.invalid" in html
    assert regisseur.get_full_name() in html


def test_the_regisseurs_letters_page_says_who_sends_it_and_links_to_the_case(client):
    case = CaseFactory()
    signed_in(client, case.regisseur)

    html = client.get(reverse("cases:case_letters", args=[case.pk])).content.decode()

    assert "Het Meld- en Adviespunt verstuurt de notificatiebrief" in html
    assert reverse("cases:case_detail", args=[case.pk]) in html
