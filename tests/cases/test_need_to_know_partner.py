"""Acceptance 2: an intervention partner sees the subject's name and date of birth and their own
intervention, and nothing else of the file.

Unique strings are planted everywhere else in the file (base file, other interventions, other
partners' entries, the regisseur's logbook, contacts, evaluations, scenarios, UVOs, goals,
proposals, the intake report) and in another case. Then every URL pattern of the whole project
is requested as the partner, with the ids of every object in the test filled in, as a page and
as an HTMX fragment, by GET and by an empty POST: no answer the partner gets may contain any
planted string."""

import inspect
import itertools
import logging
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django.utils.html import escape

from cases import services
from cases.constants import EvaluationConclusion, LogKind
from cases.models import Case, Intervention, LogEntry
from intake.constants import LifeDomain
from ipgar.accounts.models import User
from tests.cases.factories import (
    CaseFactory,
    add_goal,
    add_intervention,
    log,
    partner_intervention,
    partner_user,
    ready_report,
    register_partner,
)
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

BASE_FILE = "GEHEIM-BASISDOSSIER-7731"
OTHER_INTERVENTION = "GEHEIM-ANDERE-INTERVENTIE-4410"
OTHER_PARTNER = "GEHEIM-ANDERE-PARTNER-9902"
REGISSEUR_LOG = "GEHEIM-REGISSEUR-LOGBOEK-5150"
CONTACT = "GEHEIM-CONTACTPERSOON-6620"
EVALUATION = "GEHEIM-EVALUATIE-3307"
SCENARIO = "GEHEIM-SCENARIO-8841"
GOAL = "GEHEIM-DOEL-4477"
UVO = "GEHEIM-UVO-2291"
PROPOSAL = "GEHEIM-VOORSTEL-5563"
IDENTITY = "GEHEIM-ALIAS-7012"
REPORT = "GEHEIM-MELDING-1180"
OTHER_SUBJECT = "Geheimanderepersoon"

SECRETS = {
    "base file summary and network": BASE_FILE,
    "another intervention's rationale and aim": OTHER_INTERVENTION,
    "another partner's logbook entry": OTHER_PARTNER,
    "the regisseur's logbook entry": REGISSEUR_LOG,
    "a contact's name": CONTACT,
    "an evaluation summary": EVALUATION,
    "the plan scenarios": SCENARIO,
    "a goal": GOAL,
    "a UVO and its agreement": UVO,
    "a proposal": PROPOSAL,
    "the subject's alias and address": IDENTITY,
    "the intake report's observation": REPORT,
    "another case's subject": OTHER_SUBJECT,
}


@dataclass
class Planted:
    case: Case
    partner: User
    own: Intervention  # the partner's intervention on `case`
    other_partner: User
    others: list[Intervention]


def plant() -> Planted:
    """A case in execution with the partner's intervention, and a secret in every other part."""
    case = CaseFactory(
        in_execution=True, report=ready_report(observation=f"Deelt beelden. {REPORT}")
    )
    regisseur = case.regisseur
    services.subject_update(case=case, actor=regisseur, aliases=IDENTITY, street=f"{IDENTITY} 12")
    base_file = case.base_file
    services.base_file_save(
        case=case,
        actor=regisseur,
        answers={},
        scores={},
        risk_groups=base_file.risk_groups,
        ideology=base_file.ideology,
        violence_readiness=base_file.violence_readiness,
        network=f"Broer in Syrië. {BASE_FILE}",
        summary=f"Informatiebeeld: {BASE_FILE}",
    )
    partner, other_partner = partner_user(), partner_user()
    own = partner_intervention(case, partner)
    unowned = add_intervention(
        case, rationale=f"Waarom: {OTHER_INTERVENTION}", aim=f"Doel: {OTHER_INTERVENTION}"
    )
    theirs = partner_intervention(case, other_partner, aim="Begeleiding naar werk.")
    log(
        case,
        actor=other_partner,
        intervention=theirs,
        kind=LogKind.PARTNER,
        text=f"Gesprek gevoerd. {OTHER_PARTNER}",
    )
    log(case, text=f"Huisbezoek. {REGISSEUR_LOG}")
    mistaken = log(case, intervention=unowned, text=f"Intake gedaan. {OTHER_INTERVENTION}")
    services.logbook_correct(
        entry=mistaken,
        actor=regisseur,
        text=f"Intake gepland. {OTHER_INTERVENTION}",
        kind=LogKind.PHONE,
        at=mistaken.at,
    )
    services.contact_save(case=case, actor=regisseur, kind="netwerk", name=CONTACT)
    add_goal(case, description=f"Afstand tot de groep. {GOAL}")
    services.plan_update(
        case=case, actor=regisseur, scenario_short=SCENARIO, scenario_long=SCENARIO
    )
    today = timezone.localdate()
    services.partner_meeting_record(
        case=case,
        actor=regisseur,
        held_on=today - timedelta(days=2),
        participants=f"Regisseur, {UVO}",
        notes=UVO,
        agreements=[
            services.AgreementData(what=UVO, due_on=today + timedelta(days=5), owner=regisseur)
        ],
    )
    services.evaluation_record(
        case=case,
        actor=regisseur,
        held_on=today - timedelta(days=1),
        summary=EVALUATION,
        conclusion=EvaluationConclusion.PROPOSE_PHASE_DOWN,
        goal_results={},
        intervention_results={own.pk: EVALUATION},
        scores={domain: (4, EVALUATION) for domain in LifeDomain.values},
    )
    services.proposal_submit(
        case=case,
        actor=regisseur,
        kind="afbouw",
        goals_met=PROPOSAL,
        reasoning=PROPOSAL,
        handover_organisation=None,
    )
    # Another case, where this partner delivers nothing and another partner does.
    elsewhere = CaseFactory(in_execution=True, person={"last_name": OTHER_SUBJECT})
    other_case_intervention = partner_intervention(elsewhere, other_partner)
    log(elsewhere, text=REGISSEUR_LOG)
    return Planted(
        case=Case.objects.select_related("subject").get(pk=case.pk),
        partner=partner,
        own=own,
        other_partner=other_partner,
        others=[unowned, theirs, other_case_intervention],
    )


# --- Walking every URL of the project ------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    parameters: tuple[str, ...]
    answers_htmx: bool  # the view renders a fragment for an HTMX request


def speaks_htmx(callback) -> bool:
    try:
        return "htmx" in inspect.getsource(inspect.unwrap(callback))
    except (OSError, TypeError):
        return True  # cannot tell: ask it


def routes(patterns=None, prefix: str = "", namespace: str = "") -> list[Route]:
    found = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        assert isinstance(entry.pattern, RoutePattern), f"teach the walker {entry.pattern!r}"
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            found += routes(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            name = ":".join(part for part in (namespace, entry.name) if part) or route
            parameters = tuple(re.findall(r"<(?:int:)?(\w+)>", route))
            assert all(f"<int:{p}>" in route for p in parameters), f"not an int id: {route}"
            found.append(Route(name, route, parameters, speaks_htmx(entry.callback)))
    return found


# Models whose rows are reference data from the migrations, not objects of this test.
REFERENCE_MODELS = {
    "intake.frameworkversion",
    "intake.frameworksection",
    "intake.frameworkquestion",
}
APPS = ("cases", "intake", "meetings", "notifications", "accounts", "audit")


def object_ids() -> list[int]:
    """The ids of every object in the test (history tables and reference data left out)."""
    ids: set[int] = set()
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label_lower in REFERENCE_MODELS or model.__name__.startswith(
                "Historical"
            ):
                continue
            if model._meta.label_lower == "accounts.organisation":
                ids |= set(User.objects.values_list("organisation_id", flat=True))
                continue
            ids |= set(model.objects.values_list("pk", flat=True))
    ids.discard(None)
    return sorted(ids)


def part_ids(route: Route, parameter: str) -> list[int] | None:
    """A second id in a route names a part of the first object (`entry_pk` in a case, `item_pk`
    in a meeting): the ids of the models of that app whose name ends in that word."""
    stem = parameter.removesuffix("_pk").replace("_", "")
    app_label = route.name.split(":")[0]
    try:
        models = apps.get_app_config(app_label).get_models()
    except LookupError:
        return None
    matching = [
        model
        for model in models
        if not model.__name__.startswith("Historical") and model._meta.model_name.endswith(stem)
    ]
    if not matching:
        return None
    return sorted({pk for model in matching for pk in model.objects.values_list("pk", flat=True)})


def urls_for(route: Route, every_id: list[int]) -> list[str]:
    choices = []
    for position, parameter in enumerate(route.parameters):
        # The first id is tried with the ids of every object of the route's app (a case page with
        # every id of a cases table); a route outside the apps, with every id of the test. Every
        # id of every table for every route was 100,000 requests and a quarter of an hour.
        ids = part_ids(route, parameter)
        if position == 0:
            choices.append(ids if ids else every_id)
            continue
        # No such part in the test: one id that names nothing still shows how the view answers.
        choices.append(every_id if ids is None else (ids or [0]))
    urls = []
    for values in itertools.product(*choices):
        path = route.route
        for parameter, value in zip(route.parameters, values, strict=True):
            path = path.replace(f"<int:{parameter}>", str(value))
        urls.append("/" + path)
    return urls


HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "logboek"}


def walk_as(client: Client) -> dict[str, str]:
    """Every answer with status 200, by method and URL, with its content."""
    every_id = object_ids()
    answers: dict[str, str] = {}
    failures: list[str] = []
    for route in routes():
        if route.name == "accounts:logout":
            continue
        requests = [("GET", {}), ("POST", {})]
        if route.answers_htmx:
            requests.append(("GET htmx", HTMX))
        for url, (method, headers) in itertools.product(urls_for(route, every_id), requests):
            post = method == "POST"
            response = client.post(url, {}) if post else client.get(url, **headers)
            if response.status_code == 500:  # (the health check answers 503 without a broker)
                failures.append(f"{method} {url}: {response.status_code}")
            if response.status_code == 200:
                answers[f"{method} {url}"] = response.content.decode()
    assert not failures, failures
    return answers


@pytest.fixture
def quiet_404s():
    """Thousands of 'Not Found' warnings say nothing here."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


# --- The tests ---------------------------------------------------------------------------------


def test_the_secrets_are_really_in_the_file_the_regisseur_sees(client):
    """The control group: the planted strings show on the regisseur's pages, so their absence
    from the partner's pages means something."""
    planted = plant()
    signed_in(client, planted.case.regisseur)
    pages = [
        reverse("cases:case_detail", args=[planted.case.pk]),
        reverse("cases:base_file_edit", args=[planted.case.pk]),
        reverse("cases:plan_edit", args=[planted.case.pk]),
        reverse("cases:subject_edit", args=[planted.case.pk]),
    ]
    html = "".join(client.get(url).content.decode() for url in pages)

    for where, secret in SECRETS.items():
        if where in ("the intake report's observation", "another case's subject", "a proposal"):
            continue  # not on this case's pages (a proposal's text shows in the meetings)
        assert secret in html, where


def test_no_page_or_fragment_shows_the_partner_anything_planted(quiet_404s):
    planted = plant()
    partner_client = signed_in(Client(raise_request_exception=False), planted.partner)

    answers = walk_as(partner_client)

    leaks = [
        f"{where} ({secret}) in {request}"
        for request, html in answers.items()
        for where, secret in SECRETS.items()
        if secret.lower() in html.lower()
    ]
    assert not leaks, leaks
    print(f"\npartner walk: {len(answers)} answers with 200: {sorted(answers)}")
    # The walk reached what the partner may see, and still as the partner.
    own_page = reverse("cases:partner_intervention", args=[planted.own.pk])
    assert f"GET {reverse('cases:partner_list')}" in answers
    assert f"GET {own_page}" in answers
    assert f"GET {reverse('core:my_work')}" in answers
    # Of the cases app the partner reaches exactly two pages: the list and their intervention.
    cases_pages = {
        request.split(" ")[-1]
        for request in answers
        if request.split(" ")[-1].startswith("/casussen/")
    }
    assert cases_pages == {reverse("cases:partner_list"), own_page}
    assert partner_client.get(reverse("core:my_work")).status_code == 200


def test_the_partner_sees_the_name_date_of_birth_and_their_own_intervention(client):
    planted = plant()
    signed_in(client, planted.partner)
    subject = planted.case.subject

    listing = client.get(reverse("cases:partner_list")).content.decode()
    page = client.get(reverse("cases:partner_intervention", args=[planted.own.pk])).content.decode()

    for html in (listing, page):
        assert escape(subject.full_name) in html
        assert subject.date_of_birth.strftime("%d-%m-%Y") in html
        assert escape(planted.own.catalogue_entry.name) in html
    assert escape(planted.own.aim) in page
    assert all(escape(i.catalogue_entry.name) not in listing for i in planted.others)


def test_the_partner_sees_the_entries_on_their_intervention_only(client):
    planted = plant()
    mine = log(
        planted.case,
        actor=planted.partner,
        intervention=planted.own,
        kind=LogKind.PARTNER,
        text="Eerste training bijgewoond.",
    )
    by_regisseur = log(planted.case, intervention=planted.own, text="Afgestemd met de trainer.")
    signed_in(client, planted.partner)

    html = client.get(reverse("cases:partner_intervention", args=[planted.own.pk])).content.decode()

    assert escape(mine.text) in html
    assert escape(by_regisseur.text) in html


def test_before_the_registration_form_is_on_file_the_partner_sees_nothing(client):
    case = CaseFactory(in_execution=True)
    partner = partner_user(registered=False)
    intervention = partner_intervention(case, partner)
    signed_in(client, partner)
    page = reverse("cases:partner_intervention", args=[intervention.pk])

    listing = client.get(reverse("cases:partner_list"))

    assert listing.status_code == 200
    assert "registratieformulier staat nog niet" in listing.content.decode()
    assert escape(case.subject.full_name) not in listing.content.decode()
    assert client.get(page).status_code == 404
    assert client.post(page, {"at": "", "kind": "partner", "text": "x"}).status_code == 404

    register_partner(partner)

    assert (
        escape(case.subject.full_name) in client.get(reverse("cases:partner_list")).content.decode()
    )
    assert client.get(page).status_code == 200


def test_a_partner_cannot_log_on_another_partners_intervention(client):
    planted = plant()
    theirs = next(i for i in planted.others if i.owner == planted.other_partner)
    signed_in(client, planted.partner)
    entries = LogEntry.objects.count()

    response = client.post(
        reverse("cases:partner_intervention", args=[theirs.pk]),
        {
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "kind": LogKind.PARTNER,
            "text": "Op de verkeerde interventie.",
        },
    )

    assert response.status_code == 404
    assert LogEntry.objects.count() == entries


def test_a_partner_logs_on_their_own_intervention_and_only_there(client):
    """The intervention field cannot be pointed elsewhere: the page's intervention wins."""
    planted = plant()
    signed_in(client, planted.partner)
    theirs = planted.others[1]

    response = client.post(
        reverse("cases:partner_intervention", args=[planted.own.pk]),
        {
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "kind": LogKind.PARTNER,
            "text": "Training twee.",
            "intervention": theirs.pk,
        },
    )

    assert response.status_code in (200, 302)
    assert not LogEntry.objects.filter(intervention=theirs, author=planted.partner).exists()
