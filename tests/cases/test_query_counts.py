"""Acceptance 4: the case page runs the same number of queries with 10 and with 1,000 logbook
entries, and with 1 and with 10 interventions; the case list the same with 2 and with 30
cases (asserted at two data sizes; the numbers are printed)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases import services
from cases.constants import LogKind
from cases.models import LogEntry
from tests.cases.factories import (
    CaseFactory,
    add_intervention,
    bulk_log,
    decision_member,
    furnished_case,
    log,
    partner_user,
    regisseur_user,
    revision_concept,
    secretary_user,
)
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


def queries_for(client, url: str, **headers) -> int:
    client.get(url, **headers)  # warm up: content types and the session's last-seen stamp
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(captured)


def test_the_case_page_runs_the_same_queries_with_10_and_1000_logbook_entries(client):
    file = furnished_case()
    case = file.case
    signed_in(client, case.regisseur)
    url = reverse("cases:case_detail", args=[case.pk])
    bulk_log(case, 9)  # and the one entry the furnished case has

    few = queries_for(client, url)
    bulk_log(case, 990)
    many = queries_for(client, url)

    print(f"\ncase_detail: {few} queries with 10 logbook entries, {many} with 1000")
    assert LogEntry.objects.filter(case=case).count() == 1000
    html = client.get(url).content.decode()
    assert "(1000 regels)" in html
    assert "Pagina 1 van 40" in html
    assert many == few


def test_the_logbook_fragment_runs_the_same_queries_on_any_page(client):
    case = CaseFactory(in_execution=True)
    signed_in(client, case.regisseur)
    bulk_log(case, 10)
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "logboek"}
    url = reverse("cases:case_detail", args=[case.pk])

    few = queries_for(client, url, **htmx)
    bulk_log(case, 990)
    many = queries_for(client, f"{url}?page=17", **htmx)

    print(f"\nlogbook fragment: {few} queries with 10 entries, {many} on page 17 of 1000")
    assert many == few


def test_the_case_page_runs_the_same_queries_with_1_and_10_interventions(client):
    case = CaseFactory(in_execution=True)  # its plan has one intervention
    signed_in(client, case.regisseur)
    url = reverse("cases:case_detail", args=[case.pk])
    partner = partner_user()
    goal = case.goals.get()
    log(case)

    few = queries_for(client, url)
    added = [
        add_intervention(case, owner=partner if n % 2 else None, goal=goal, aim=f"Doel {n}")
        for n in range(9)
    ]
    for intervention in added:  # partners log on them: the logbook shows the intervention
        log(case, actor=partner, intervention=intervention, kind=LogKind.PARTNER, text="Gedaan.")
    many = queries_for(client, url)

    print(f"\ncase_detail: {few} queries with 1 intervention, {many} with 10")
    assert case.interventions.count() == 10
    html = client.get(url).content.decode()
    assert all(escape(i.catalogue_entry.name) in html for i in added)
    assert many == few


def test_the_case_list_runs_the_same_queries_with_2_and_30_cases(client):
    regisseur = regisseur_user()
    signed_in(client, regisseur)
    url = reverse("cases:case_list")

    def cases(count: int, **traits) -> list:
        made = []
        for n in range(count):
            case = CaseFactory(regisseur=regisseur, **traits)
            log(case, text=f"Contact {n}.")
            made.append(case)
        return made

    cases(1)
    cases(1, in_execution=True)
    few = queries_for(client, url)
    more = cases(14) + cases(14, in_execution=True)
    today = timezone.localdate()
    for case in more[-5:]:
        services.partner_meeting_record(
            case=case,
            actor=regisseur,
            held_on=today - timedelta(days=3),
            participants="Regisseur, SCW",
            notes="",
            agreements=[],
        )
    many = queries_for(client, url)

    print(f"\ncase_list: {few} queries for 2 cases, {many} for 30")
    html = client.get(url).content.decode()
    assert all(case.reference in html for case in more)
    assert many == few


def test_the_case_page_runs_the_same_queries_with_1_and_3_plan_versions(client):
    case = CaseFactory(in_execution=True)
    signed_in(client, case.regisseur)
    url = reverse("cases:case_detail", args=[case.pk])
    log(case)

    few = queries_for(client, url)
    for _ in range(2):  # two revisions, each through the meetings and accorded
        revision_concept(case)
        plan = services.plan_submit_for_advice(case=case, actor=case.regisseur)
        services.plan_record_advice(plan=plan, actor=secretary_user(), advice="Akkoord.")
        services.plan_adopt(plan=plan, actor=decision_member())
        services.plan_accord(plan=plan, actor=secretary_user())
    many = queries_for(client, url)

    print(f"\ncase_detail: {few} queries with 1 plan version, {many} with 3")
    assert case.plan_versions.filter(accorded_by__isnull=False).count() == 3
    assert many == few


def test_the_case_page_runs_the_same_queries_with_1_and_4_linked_subjects(client):
    case = CaseFactory(in_execution=True)
    signed_in(client, case.regisseur)
    url = reverse("cases:case_detail", args=[case.pk])
    log(case)

    def link_to_a_new_case():
        other = CaseFactory()
        services.subject_link_add(
            from_subject=other.subject,
            to_subject=case.subject,
            kind="netwerk",
            actor=other.regisseur,
        )
        return other

    first = link_to_a_new_case()
    few = queries_for(client, url)
    others = [first] + [link_to_a_new_case() for _ in range(3)]
    many = queries_for(client, url)

    print(f"\ncase_detail: {few} queries with 1 linked subject, {many} with 4")
    html = client.get(url).content.decode()
    assert all(escape(other.subject.full_name) in html for other in others)
    assert many == few


def test_the_case_list_shows_50_cases_a_page_in_the_same_queries_with_2_and_60(client):
    """Issue 10: a regisseur may hold thousands of cases; the list pages by 50, without
    counting them all, and every page costs the same."""
    regisseur = regisseur_user()
    signed_in(client, regisseur)
    url = reverse("cases:case_list")
    first = [CaseFactory(regisseur=regisseur, in_execution=True) for _ in range(2)]
    few = queries_for(client, url)
    html = client.get(url).content.decode()
    assert ">Volgende</a>" not in html

    more = [CaseFactory(regisseur=regisseur, in_execution=True) for _ in range(58)]
    many = queries_for(client, url)
    second_page = queries_for(client, url + "?page=2")

    print(f"\ncase_list: {few} queries for 2 cases, {many} for page 1 of 60, {second_page} page 2")
    assert many == few == second_page
    page_1 = client.get(url).content.decode()
    page_2 = client.get(url + "?page=2").content.decode()
    shown_1 = [c for c in first + more if f"{c.reference}<" in page_1]
    shown_2 = [c for c in first + more if f"{c.reference}<" in page_2]
    assert (len(shown_1), len(shown_2)) == (50, 10)
    assert not set(shown_1) & set(shown_2)
    assert ">Volgende</a>" in page_1 and ">Vorige</a>" in page_2
    assert ">Volgende</a>" not in page_2
    assert client.get(url + "?page=nonsense").status_code == 200


def test_logging_a_contact_runs_the_same_queries_with_10_and_500_logbook_entries(client):
    file = furnished_case()
    case = file.case
    signed_in(client, case.regisseur)
    url = reverse("cases:logbook_add", args=[case.pk])
    bulk_log(case, 9)

    def post() -> int:
        data = {
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "kind": LogKind.PHONE,
            "text": "Telefonisch contact.",
        }
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        return len(captured)

    post()  # warm up
    few = post()
    bulk_log(case, 490)
    many = post()

    print(f"\nlogbook_add: {few} queries with 10 logbook entries, {many} with 500")
    assert LogEntry.objects.filter(case=case).count() == 1 + 9 + 2 + 490 + 1
    assert many == few
