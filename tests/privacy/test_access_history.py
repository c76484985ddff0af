"""Issue 15, acceptance 5: the privacy officer finds one person's full access history by typing
the name, BSN, date of birth or case number: reads planted in the report phase (the desk opens
the report) and in the case phase (the regisseur opens the case) come back together, each as a
Dutch description, and reads about somebody else do not."""

from datetime import date

import pytest
from django.urls import reverse

from intake.constants import ReportStatus
from ipgar.accounts.constants import Role
from ipgar.audit.models import AccessLogEntry
from tests.cases.factories import CaseFactory, regisseur_user
from tests.intake.factories import PersonDataFactory, ReportFactory, desk_user
from tests.personas import persona, signed_in

pytestmark = pytest.mark.django_db

BSN = "111222333"


@pytest.fixture
def planted(client):
    """One person from report to case, each phase read once; a second person read too."""
    person = PersonDataFactory(
        first_name="Yusuf", last_name="Bakkali", bsn=BSN, date_of_birth=date(2004, 3, 14)
    )
    report = ReportFactory(stage=ReportStatus.READY_FOR_DECISION, persons=[person])
    regisseur = regisseur_user()
    case = CaseFactory(report=report, regisseur=regisseur)
    other = CaseFactory(person={"first_name": "Anna", "last_name": "Verbeek"})
    desk = desk_user(report.desk)
    assert (
        signed_in(client, desk).get(reverse("intake:report_detail", args=[report.pk])).status_code
        == 200
    )
    assert (
        signed_in(client, regisseur).get(reverse("cases:case_detail", args=[case.pk])).status_code
        == 200
    )
    assert (
        signed_in(client, other.regisseur)
        .get(reverse("cases:case_detail", args=[other.pk]))
        .status_code
        == 200
    )
    client.logout()
    return {"report": report, "case": case, "desk": desk, "regisseur": regisseur, "other": other}


def search(client, query: str) -> str:
    persona(client, Role.PRIVACY_OFFICER)
    response = client.get(reverse("privacy:access_history"), {"zoek": query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "query", ["Yusuf Bakkali", "yusuf  bakali", BSN, "14-03-2004", "case-number"]
)
def test_the_officer_finds_both_phases_of_one_person(client, planted, query):
    if query == "case-number":
        query = planted["case"].reference

    page = search(client, query)

    assert f"Melding {planted['report'].reference} geopend" in page
    assert f"Casus {planted['case'].reference} geopend" in page
    assert planted["desk"].username in page and planted["regisseur"].username in page
    assert planted["other"].reference not in page
    assert "cases.case" not in page and "intake.report" not in page


def test_the_search_itself_is_logged_without_the_typed_terms(client, planted):
    search(client, BSN)

    line = AccessLogEntry.objects.filter(description="toegangsgeschiedenis bekeken").get()
    assert line.subject_ref == f"subject:{planted['case'].subject_id}"
    assert BSN not in line.path


def test_nobody_but_the_privacy_officer_opens_it(client):
    persona(client, Role.ADMINISTRATOR)

    assert client.get(reverse("privacy:access_history"), {"zoek": BSN}).status_code == 403


def test_too_short_a_term_is_answered_in_dutch(client):
    page = search(client, "ab")

    assert "Vul ten minste 3 tekens in." in page
