"""Acceptance 3 of issue 11: the search box returns nothing a user may not see.

Names, aliases, dates of birth, BSNs and numbers are planted in reports, cases, an
intervention and a meeting. Every role searches for every planted object in every way it can
be found. What the role may open (DOMAIN.md section 5) is found; everything else is not, and
the count on the page and in the access log stays 0, so not even the number leaks.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.urls import reverse

from intake.constants import Desk
from ipgar.accounts.constants import Role
from ipgar.audit.constants import AccessAction
from ipgar.audit.models import AccessLogEntry
from meetings.constants import CaseItemKind
from tests.cases.factories import (
    CaseFactory,
    partner_intervention,
    partner_user,
    regisseur_user,
)
from tests.factories import OrganisationFactory, UserFactory
from tests.intake.factories import PersonDataFactory, ReportFactory, valid_bsn
from tests.meetings.factories import ANCHOR, BodyFactory, case_item, meeting_on
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

URL = reverse("search:results")


@dataclass
class Plant:
    name: str  # what a result would show
    queries: list[str]
    url: str


def _person(first: str, last: str, born: date) -> dict:
    return {"first_name": first, "last_name": last, "date_of_birth": born, "bsn": valid_bsn()}


def _plant_report(first, last, born, **fields) -> Plant:
    person = _person(first, last, born)
    report = ReportFactory(persons=[PersonDataFactory(**person)], **fields)
    return Plant(
        f"{first} {last}",
        [
            last,
            f"{first} {last}",
            f"{born:%d-%m-%Y}",
            f"{born:%Y-%m-%d}",
            person["bsn"],
            report.reference,
        ],
        reverse("intake:report_detail", args=[report.pk]),
    )


def _plant_case(first, last, alias, born, **fields):
    case = CaseFactory(**fields)
    bsn = valid_bsn()
    # The subject's identity differs from its report's persons: the plant is the case only.
    from cases import services

    services.subject_update(
        case=case,
        actor=case.regisseur,
        first_name=first,
        last_name=last,
        aliases=f"{alias}, {first[0]}. {last}",
        date_of_birth=born,
        bsn=bsn,
    )
    plant = Plant(
        f"{first} {last}",
        [last, alias, f"{born:%d-%m-%Y}", f"{born:%Y-%m-%d}", bsn, case.reference],
        reverse("cases:case_detail", args=[case.pk]),
    )
    return case, plant


@pytest.fixture
def plants() -> dict[str, Plant]:
    police_org = OrganisationFactory(code="RN-P", name="Reclassering (planted)")
    plants = {
        "police_report": _plant_report(
            "Politiena", "Achterkamer", date(1971, 1, 11), desk=Desk.POLICE
        ),
        "map_report": _plant_report("Mappie", "Binnenkamer", date(1972, 2, 12), desk=Desk.MAP),
        "forwarded_report": _plant_report(
            "Voorpie", "Zijkamer", date(1973, 3, 13), desk=Desk.MAP, forwarded=True
        ),
    }
    _, plants["case"] = _plant_case(
        "Casia",
        "Kelderkamer",
        "Schaduwvos",
        date(1974, 4, 14),
        in_execution=True,
        regisseur=regisseur_user(police_org),
    )
    case, _ = _plant_case(
        "Interia",
        "Zolderkamer",
        "Nachtuil",
        date(1975, 5, 15),
        in_execution=True,
        regisseur=regisseur_user(police_org),
    )
    intervention = partner_intervention(case, partner_user())
    plants["intervention"] = Plant(
        "Interia Zolderkamer",
        ["Zolderkamer", "Interia Zolderkamer", "15-05-1975", "1975-05-15"],
        reverse("cases:partner_intervention", args=[intervention.pk]),
    )
    body = BodyFactory(name="Torenkameroverleg", short_name="TKO", secretary=UserFactory())
    meeting = meeting_on(body, ANCHOR + (body.first_date - ANCHOR))
    plants["meeting"] = Plant(
        "Torenkameroverleg",
        ["Torenkameroverleg", "TKO", f"{meeting.starts_at:%d-%m-%Y}"],
        reverse("meetings:meeting_detail", args=[meeting.pk]),
    )
    return plants


# Per role: which planted objects its need-to-know opens (DOMAIN.md section 5).
CAN_SEARCH = {
    Role.INTAKE: {"map_report", "forwarded_report"},
    Role.POLICE_INTAKE: {"police_report"},
    Role.ASSESSMENT_BOARD: {"forwarded_report"},
    Role.DECISION_MEMBER: set(),
    Role.SECRETARY: {"meeting"},
    Role.REGISSEUR: set(),
    Role.ADVISORY_MEMBER: set(),
    Role.INTERVENTION_PARTNER: set(),
}
NO_SEARCH = [Role.PROGRAMME_TEAM, Role.COORDINATOR, Role.ADMINISTRATOR, Role.PRIVACY_OFFICER]


def _user_for(role: str):
    if role == Role.INTERVENTION_PARTNER:
        return partner_user()  # registration form on file: the strongest partner
    return UserFactory(roles=[role])


def _shown(response) -> list[str]:
    return [
        f"{hit.label} {hit.detail} {hit.url}"
        for group in response.context["groups"]
        for hit in group.hits
    ]


@pytest.mark.parametrize("role", list(CAN_SEARCH))
def test_a_search_finds_only_what_the_role_may_open(client, plants, role):
    user = _user_for(role)
    signed_in(client, user)
    visible = CAN_SEARCH[role]
    checked = 0

    for key, plant in plants.items():
        for query in plant.queries:
            response = client.get(URL, {"q": query})
            assert response.status_code == 200
            shown = _shown(response)
            log = AccessLogEntry.objects.filter(user=user).latest("pk")
            assert log.action == AccessAction.SEARCH
            assert query not in log.path and query not in log.description
            if key in visible:
                assert any(plant.url in line for line in shown), (role, key, query, shown)
            else:
                assert shown == [], (role, key, query, shown)
                assert response.context["total"] == 0
                assert "Geen resultaten" in response.content.decode()
                assert log.description.endswith(": 0 resultaten getoond"), log.description
            checked += 1
    assert checked == sum(len(p.queries) for p in plants.values())


@pytest.mark.parametrize("role", NO_SEARCH)
def test_roles_without_person_access_get_no_search_box_and_no_search(client, plants, role):
    signed_in(client, UserFactory(roles=[role]))

    page = client.get(reverse("core:my_work")).content.decode()
    response = client.get(URL, {"q": "Kelderkamer"})

    assert 'role="search"' not in page
    assert response.status_code == 403
    assert "Kelderkamer" not in response.content.decode()


def test_the_owner_finds_their_case_by_name_alias_date_of_birth_bsn_and_number(client, plants):
    regisseur = regisseur_user()
    case, plant = _plant_case(
        "Eigena",
        "Vensterbank",
        "Zonnedauw",
        date(1980, 8, 18),
        in_execution=True,
        regisseur=regisseur,
    )
    signed_in(client, regisseur)

    for query in [*plant.queries, "eigena vensterbank", "VENSTERBANK", "18-8-1980"]:
        shown = _shown(client.get(URL, {"q": query}))
        assert any(plant.url in line for line in shown), (query, shown)
        assert not any("Kelderkamer" in line for line in shown)


def test_an_advisory_member_finds_the_cases_of_their_own_organisation_only(client, plants):
    organisation = OrganisationFactory(code="ITA-O", name="ITAT-R organisatie")
    _, own = _plant_case(
        "Steuna",
        "Trapgat",
        "Wolkje",
        date(1981, 9, 19),
        in_execution=True,
        regisseur=regisseur_user(organisation),
    )
    signed_in(client, UserFactory(roles=[Role.ADVISORY_MEMBER], organisation=organisation))

    assert any(own.url in line for line in _shown(client.get(URL, {"q": "Trapgat"})))
    assert _shown(client.get(URL, {"q": "Kelderkamer"})) == []


def test_a_partner_finds_the_subject_of_their_own_intervention_but_not_by_bsn(client, plants):
    partner = partner_user()
    case, _ = _plant_case("Partia", "Dakgoot", "Regenboog", date(1982, 10, 20), in_execution=True)
    intervention = partner_intervention(case, partner)
    url = reverse("cases:partner_intervention", args=[intervention.pk])
    signed_in(client, partner)

    for query in ["Dakgoot", "20-10-1982", "1982-10-20"]:
        assert any(url in line for line in _shown(client.get(URL, {"q": query}))), query
    assert _shown(client.get(URL, {"q": case.subject.bsn})) == []
    assert _shown(client.get(URL, {"q": "Regenboog"})) == []
    # The case itself stays closed to the partner: only the intervention page is offered.
    assert not any(
        reverse("cases:case_detail", args=[case.pk]) in line
        for line in _shown(client.get(URL, {"q": "Dakgoot"}))
    )


def test_an_invalid_query_searches_nothing_and_logs_nothing(client):
    user = UserFactory(roles=[Role.REGISSEUR])
    signed_in(client, user)

    response = client.get(URL, {"q": "x"})

    assert response.status_code == 200
    assert "Typ minstens twee letters" in response.content.decode()
    assert not AccessLogEntry.objects.filter(user=user, action=AccessAction.SEARCH).exists()


def test_htmx_gets_the_results_fragment(client, plants):
    signed_in(client, UserFactory(roles=[Role.SECRETARY]))

    response = client.get(URL, {"q": "Torenkameroverleg"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html
    assert plants["meeting"].url in html
    assert 'data-testid="search-group-overleggen"' in html


def test_anonymous_visitors_go_to_login(client):
    from tests.personas import assert_redirects_to_login

    assert_redirects_to_login(client.get(URL, {"q": "Kelderkamer"}))


def test_a_member_finds_a_case_number_on_their_agenda_but_not_in_a_closed_session(client):
    member = UserFactory(roles=[Role.DECISION_MEMBER])
    body = BodyFactory(pto=True, members=[member], name="Regieoverleg (test)")
    open_meeting = meeting_on(body, body.first_date)
    closed_meeting = meeting_on(body, body.first_date + timedelta(weeks=2))
    shown_case = CaseFactory(in_execution=True)
    hidden_case = CaseFactory(in_execution=True)
    case_item(open_meeting, CaseItemKind.STUCK, case=shown_case)
    closed = case_item(closed_meeting, CaseItemKind.STUCK, case=hidden_case, is_closed_session=True)
    signed_in(client, member)

    found = _shown(client.get(URL, {"q": shown_case.reference}))
    assert [line for line in found if "/overleggen/" in line] != []
    assert _shown(client.get(URL, {"q": hidden_case.reference})) == []
    # The member never sees the case itself: a number on an agenda is not the file.
    assert not any(f"/casussen/{shown_case.pk}/" in line for line in found)

    closed.closed_attendees.add(member)
    found = _shown(client.get(URL, {"q": hidden_case.reference}))
    assert any(
        reverse("meetings:meeting_detail", args=[closed_meeting.pk]) in line for line in found
    )


@pytest.mark.parametrize("role", list(CAN_SEARCH))
def test_roles_that_may_search_get_a_labelled_search_box_in_the_header(client, role):
    signed_in(client, _user_for(role))

    html = client.get(reverse("core:my_work")).content.decode()

    assert 'role="search" aria-label="Zoeken in iPGA-R"' in html
    assert f'action="{URL}"' in html
    assert '<label for="zoekterm" class="visually-hidden">Zoekterm</label>' in html
    assert 'id="zoekterm"' in html and 'name="q"' in html
