"""Lists, searches and counters filter exactly like the detail pages: for every persona the set
of cases (or interventions) a list shows is the set whose page that same user can open."""

import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from cases import services
from cases.constants import ACTIVE_PHASES, CasePhase, LinkKind
from cases.models import Case, Intervention
from ipgar.accounts.models import User
from ipgar.lib.text import name_key
from tests.cases.factories import (
    CaseFactory,
    coordinator_user,
    decision_member,
    itatr_member,
    partner_intervention,
    partner_user,
    regisseur_user,
)
from tests.factories import OrganisationFactory
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

CASE_LINK = re.compile(r'href="/casussen/(\d+)/"')
PARTNER_LINK = re.compile(r'href="/casussen/partner/interventie/(\d+)/"')


@dataclass
class Town:
    users: dict[str, User]
    cases: dict[str, Case]
    interventions: dict[str, Intervention]


@pytest.fixture
def town() -> Town:
    """Two organisations with regisseurs, their ITAT-R members, a coordinator and partners;
    cases in several phases, three of them about someone called 'de Wit'."""
    org_a = OrganisationFactory(code="ORG-A", name="Organisatie A")
    org_c = OrganisationFactory(code="ORG-C", name="Organisatie C")
    ra, rb, rc = regisseur_user(org_a), regisseur_user(org_a), regisseur_user(org_c)
    cases = {
        "a1": CaseFactory(
            regisseur=ra, in_execution=True, person={"first_name": "Sara", "last_name": "de Wit"}
        ),
        "a2": CaseFactory(regisseur=ra, person={"first_name": "Noor", "last_name": "Jansen"}),
        "a3": CaseFactory(
            regisseur=ra, closed=True, person={"first_name": "Sem", "last_name": "de Wit"}
        ),
        "b1": CaseFactory(
            regisseur=rb, concept_plan=True, person={"first_name": "Lisa", "last_name": "De Witt"}
        ),
        "c1": CaseFactory(
            regisseur=rc, at_advice=True, person={"first_name": "Yara", "last_name": "de Wit"}
        ),
        "c2": CaseFactory(
            regisseur=rc, dormant=True, person={"first_name": "Tim", "last_name": "Bos"}
        ),
    }
    services.subject_update(case=cases["c2"], actor=rc, aliases="Abu de Wit")
    partner, unregistered = partner_user(), partner_user(registered=False)
    interventions = {
        "p_a1": partner_intervention(cases["a1"], partner),
        "p_c1": partner_intervention(cases["c1"], partner),
        "q_b1": partner_intervention(cases["b1"], unregistered),
        "o_a1": partner_intervention(cases["a1"], partner_user()),
    }
    users = {
        "regisseur_a": ra,
        "regisseur_b": rb,
        "regisseur_c": rc,
        "itatr_a": itatr_member(org_a),
        "itatr_c": itatr_member(org_c),
        "itatr_without_cases": itatr_member(OrganisationFactory(code="ORG-X")),
        "coordinator": coordinator_user(),
        "decision_member": decision_member(),
        "partner": partner,
        "unregistered_partner": unregistered,
    }
    return Town(users, {k: Case.objects.get(pk=c.pk) for k, c in cases.items()}, interventions)


def listed(client: Client, url: str, pattern=CASE_LINK) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return {int(pk) for pk in pattern.findall(response.content.decode())}


def openable(client: Client) -> set[int]:
    return {
        case.pk
        for case in Case.objects.all()
        if client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
    }


def active(ids: set[int]) -> set[int]:
    return set(
        Case.objects.filter(pk__in=ids, phase__in=ACTIVE_PHASES).values_list("pk", flat=True)
    )


def ids(town: Town, *keys: str) -> set[int]:
    return {town.cases[key].pk for key in keys}


LIST = reverse("cases:case_list")
WITH_LIST = [
    "regisseur_a",
    "regisseur_b",
    "regisseur_c",
    "itatr_a",
    "itatr_c",
    "itatr_without_cases",
]
WITHOUT_LIST = ["coordinator", "decision_member", "partner", "unregistered_partner"]


@pytest.mark.parametrize("persona", WITH_LIST)
def test_the_case_list_shows_exactly_the_cases_the_user_can_open(client, town, persona):
    signed_in(client, town.users[persona])
    can_open = openable(client)

    assert listed(client, LIST) == active(can_open)
    assert listed(client, f"{LIST}?afgesloten=1") == can_open
    for phase in CasePhase.values:
        in_phase = set(Case.objects.filter(phase=phase).values_list("pk", flat=True))
        assert listed(client, f"{LIST}?fase={phase}") == can_open & in_phase, phase


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("regisseur_a", ("a1", "a2", "a3")),
        ("regisseur_b", ("b1",)),
        ("regisseur_c", ("c1", "c2")),
        ("itatr_a", ("a1", "a2", "a3", "b1")),
        ("itatr_c", ("c1", "c2")),
        ("itatr_without_cases", ()),
        ("coordinator", ()),
        ("partner", ()),
    ],
)
def test_who_can_open_which_case(client, town, persona, expected):
    """The control group for the comparisons above: the sets are not trivially equal."""
    signed_in(client, town.users[persona])

    assert openable(client) == ids(town, *expected)


@pytest.mark.parametrize("persona", WITHOUT_LIST)
def test_without_the_list_there_is_no_case_to_open_either(client, town, persona):
    signed_in(client, town.users[persona])

    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}?q=de+wit").status_code == 403
    assert openable(client) == set()


@pytest.mark.parametrize("query", ["de wit", "De Witt", "dewit", "Abu"])
@pytest.mark.parametrize("persona", WITH_LIST)
def test_the_search_finds_only_cases_the_user_can_open(client, town, persona, query):
    signed_in(client, town.users[persona])
    matching = {
        case.pk
        for case in Case.objects.select_related("subject")
        if name_key(query) in case.subject.name_key or query.lower() in case.subject.aliases.lower()
    }

    found = listed(client, f"{LIST}?q={query}&afgesloten=1")

    assert found == openable(client) & matching
    assert listed(client, f"{LIST}?q={query}") == active(found)


def test_the_search_does_find_what_it_should(client, town):
    signed_in(client, town.users["itatr_a"])

    assert listed(client, f"{LIST}?q=de+wit&afgesloten=1") == ids(town, "a1", "a3", "b1")


def test_caseload_counts_are_the_cases_each_regisseur_can_open(client, town):
    signed_in(client, town.users["coordinator"])
    response = client.get(reverse("cases:caseload"))
    rows = {
        row["user"].pk: row
        for organisation in response.context["organisations"].values()
        for row in organisation["rows"]
    }

    for name in ("regisseur_a", "regisseur_b", "regisseur_c"):
        regisseur = town.users[name]
        regisseur_client = signed_in(Client(), regisseur)
        can_open = active(openable(regisseur_client))
        assert rows[regisseur.pk]["active"] == len(can_open), name
        assert rows[regisseur.pk]["active"] == len(listed(regisseur_client, LIST)), name
        phases = rows[regisseur.pk]["phases"]
        assert phases == {
            phase: count
            for phase in CasePhase.values
            if (count := Case.objects.filter(pk__in=can_open, phase=phase).count())
        }


def test_the_coordinator_may_reassign_every_case_the_caseload_lists(client, town):
    signed_in(client, town.users["coordinator"])
    html = client.get(reverse("cases:caseload")).content.decode()
    links = {int(pk) for pk in re.findall(r'href="/casussen/(\d+)/toebedelen/"', html)}

    assert links == active(set(Case.objects.values_list("pk", flat=True)))
    for pk in links:
        assert client.get(reverse("cases:case_reassign", args=[pk])).status_code == 200


def test_caseload_counts_follow_a_reassignment(client, town):
    ra, rc = town.users["regisseur_a"], town.users["regisseur_c"]
    services.case_reassign(case=town.cases["a2"], actor=town.users["coordinator"], regisseur=rc)
    signed_in(client, town.users["coordinator"])

    rows = {
        row["user"].pk: row["active"]
        for organisation in client.get(reverse("cases:caseload")).context["organisations"].values()
        for row in organisation["rows"]
    }

    assert (rows[ra.pk], rows[rc.pk]) == (1, 3)
    assert listed(signed_in(Client(), ra), LIST) == ids(town, "a1")
    assert listed(signed_in(Client(), rc), LIST) == ids(town, "a2", "c1", "c2")


PARTNER_LIST = reverse("cases:partner_list")


def partner_openable(client: Client) -> set[int]:
    return {
        intervention.pk
        for intervention in Intervention.objects.all()
        if client.get(reverse("cases:partner_intervention", args=[intervention.pk])).status_code
        == 200
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("partner", ("p_a1", "p_c1")), ("unregistered_partner", ())],
)
def test_the_partner_list_shows_exactly_the_interventions_the_partner_can_open(
    client, town, persona, expected
):
    signed_in(client, town.users[persona])

    shown = listed(client, PARTNER_LIST, PARTNER_LINK)

    assert shown == partner_openable(client)
    assert shown == {town.interventions[key].pk for key in expected}


# --- Linked subjects ------------------------------------------------------------------------------


def test_the_regisseur_of_a_linked_case_sees_the_name_and_regisseur_but_not_the_file(client, town):
    mine, theirs = town.cases["a1"], town.cases["c1"]
    services.subject_link_add(
        from_subject=mine.subject,
        to_subject=theirs.subject,
        kind=LinkKind.FAMILY,
        actor=mine.regisseur,
        note="zus",
    )

    for viewer, own, other in ((mine.regisseur, mine, theirs), (theirs.regisseur, theirs, mine)):
        signed_in(client, viewer)
        html = client.get(reverse("cases:case_detail", args=[own.pk])).content.decode()
        assert escape(other.subject.full_name) in html
        assert escape(str(other.regisseur)) in html
        assert client.get(reverse("cases:case_detail", args=[other.pk])).status_code == 404
        assert other.pk not in listed(client, f"{LIST}?afgesloten=1")
        assert other.pk not in listed(client, f"{LIST}?q={other.subject.last_name}")
