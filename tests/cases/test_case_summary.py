"""The case summary: printable and as PDF, for the regisseur to take to a partner meeting.

Only the case's regisseur may take the file out of the system; an ITAT-R member who may read
the case gets a 403, everyone else a 404 (the case does not exist for them). Each print view
and each PDF writes an access-log line about the subject. The PDF is checked on its text."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipgar.accounts.constants import Role
from ipgar.audit.constants import AccessAction
from ipgar.audit.models import AccessLogEntry
from tests.cases.factories import (
    add_intervention,
    bulk_log,
    furnished_case,
    itatr_member,
    regisseur_user,
)
from tests.factories import UserFactory
from tests.meetings.factories import pdf_text
from tests.personas import assert_redirects_to_login, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def file():
    return furnished_case()


def urls(case) -> dict[str, str]:
    return {
        "page": reverse("cases:case_summary", args=[case.pk]),
        "pdf": reverse("cases:case_summary_pdf", args=[case.pk]),
    }


def test_the_regisseur_gets_a_printable_summary_of_the_whole_file(client, file):
    case = file.case
    signed_in(client, case.regisseur)

    response = client.get(urls(case)["page"])

    assert response.status_code == 200
    html = response.content.decode()
    for shown in [
        case.subject.full_name,
        case.reference,
        case.get_phase_display(),
        file.goal.description,
        str(file.intervention.catalogue_entry),
        file.intervention.rationale,
        file.agreement.what,
        file.entry.text,
        file.contact.name,
        "Evaluatie",  # a next deadline
    ]:
        assert shown in html, shown
    assert "data-print" in html
    assert urls(case)["pdf"] in html
    log = AccessLogEntry.objects.filter(user=case.regisseur).latest("pk")
    assert (log.action, log.subject_ref) == (AccessAction.PRINT, f"subject:{case.subject_id}")
    assert log.object_id == str(case.pk)


def test_the_pdf_carries_the_same_summary(client, file):
    case = file.case
    signed_in(client, case.regisseur)

    response = client.get(urls(case)["pdf"])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"samenvatting-{case.reference}.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    text = " ".join(pdf_text(response.content).split())
    for shown in [
        f"Casussamenvatting {case.reference}",
        case.subject.full_name,
        case.get_phase_display(),
        file.goal.description,
        file.agreement.what,
        file.contact.name,
        "Volgende termijnen",
        "VERTROUWELIJK",
    ]:
        assert " ".join(shown.split()) in text, shown
    log = AccessLogEntry.objects.filter(user=case.regisseur).latest("pk")
    assert (log.action, log.subject_ref) == (AccessAction.EXPORT, f"subject:{case.subject_id}")


def test_the_case_page_offers_the_summary_to_the_regisseur_only(client, file):
    case = file.case
    detail = reverse("cases:case_detail", args=[case.pk])

    assert urls(case)["page"] in signed_in(client, case.regisseur).get(detail).content.decode()
    client.logout()
    member = itatr_member(case.organisation)
    html = signed_in(client, member).get(detail).content.decode()
    assert case.reference in html  # the member reads the case ...
    assert urls(case)["page"] not in html  # ... but is not offered the summary


def test_an_itatr_member_who_may_read_the_case_may_not_take_it_out(client, file):
    case = file.case
    member = itatr_member(case.organisation)
    signed_in(client, member)

    for url in urls(case).values():
        assert client.get(url).status_code == 403
    assert not AccessLogEntry.objects.filter(user=member).exists()


@pytest.mark.parametrize(
    "role",
    [
        Role.REGISSEUR,
        Role.INTAKE,
        Role.ASSESSMENT_BOARD,
        Role.DECISION_MEMBER,
        Role.SECRETARY,
        Role.ADVISORY_MEMBER,
        Role.PROGRAMME_TEAM,
        Role.COORDINATOR,
        Role.ADMINISTRATOR,
        Role.PRIVACY_OFFICER,
    ],
)
def test_for_everyone_else_the_summary_does_not_exist(client, file, role):
    user = regisseur_user() if role == Role.REGISSEUR else UserFactory(roles=[role])
    signed_in(client, user)

    for url in urls(file.case).values():
        assert client.get(url).status_code == 404
    assert not AccessLogEntry.objects.filter(user=user).exists()


def test_the_partner_delivering_an_intervention_gets_no_summary(client, file):
    signed_in(client, file.partner)

    for url in urls(file.case).values():
        assert client.get(url).status_code == 404


def test_anonymous_visitors_go_to_login(client, file):
    for url in urls(file.case).values():
        assert_redirects_to_login(client.get(url))


def test_the_summary_runs_the_same_queries_with_a_small_and_a_large_file(client, file):
    case = file.case
    signed_in(client, case.regisseur)
    url = urls(case)["page"]

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = count()
    bulk_log(case, 500)
    for _ in range(9):
        add_intervention(case, goal=file.goal)
    many = count()

    print(f"\ncase_summary: {few} queries for a small file, {many} with 500 entries, 10 more")
    assert many == few


def test_the_print_stylesheet_hides_the_navigation():
    css = Path(settings.BASE_DIR, "static", "css", "ipgar.css").read_text()
    print_rules = css[css.index("@media print") :]

    assert "header, footer, nav" in print_rules
    assert ".no-print" in print_rules
