"""Who reaches the privacy pages: the privacy officer and the functional administrator share
the destruction pages, each approves their own half; everyone else gets 403; strangers go to
the login page."""

import pytest
from django.test import Client

from ipgar.accounts.constants import Role
from privacy.constants import DestructionListStatus
from privacy.models import DestructionList, RetentionSettings
from tests.cases.factories import CaseFactory
from tests.factories import UserFactory
from tests.personas import assert_redirects_to_login, signed_in
from tests.privacy.factories import administrator, close_years_ago, privacy_officer

OFFICER_PAGES = ["/privacy/", "/privacy/vernietiging/"]
OTHER_ROLES = [
    Role.REGISSEUR,
    Role.ADVISORY_MEMBER,
    Role.INTERVENTION_PARTNER,
    Role.PROGRAMME_TEAM,
    Role.COORDINATOR,
    Role.SECRETARY,
    Role.INTAKE,
]


@pytest.fixture
def proposed():
    close_years_ago(CaseFactory(closed=True), 5)
    return DestructionList.objects.get(pk=_propose())


def _propose() -> int:
    from privacy.services import destruction_list_propose

    return destruction_list_propose().pk


@pytest.mark.django_db
@pytest.mark.parametrize("make", [privacy_officer, administrator])
def test_both_officers_see_the_privacy_pages(client, make):
    signed_in(client, make())
    for url in OFFICER_PAGES:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_get_403(client, role, proposed):
    signed_in(client, UserFactory(roles=[role]))
    for url in [
        *OFFICER_PAGES,
        f"/privacy/vernietiging/{proposed.pk}/",
        "/privacy/bewaartermijnen/",
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/privacy/vernietiging/{proposed.pk}/goedkeuren/").status_code == 403
    assert client.post(f"/privacy/vernietiging/{proposed.pk}/uitvoeren/").status_code == 403
    assert client.post("/privacy/vernietiging/voorstellen/").status_code == 403


@pytest.mark.django_db
def test_anonymous_goes_to_login(client):
    for url in [*OFFICER_PAGES, "/privacy/bewaartermijnen/", "/privacy/woo/"]:
        assert_redirects_to_login(client.get(url))


@pytest.mark.django_db
def test_the_list_is_approved_through_the_pages_by_two_people_and_executed(client, proposed):
    admin, officer = administrator(), privacy_officer()
    admin_client, officer_client = signed_in(Client(), admin), signed_in(Client(), officer)
    detail = f"/privacy/vernietiging/{proposed.pk}/"
    assert "Goedkeuren" in admin_client.get(detail).content.decode()
    admin_client.post(f"{detail}goedkeuren/")
    # Once approved, the administrator has no second button and a second post changes nothing.
    assert "Goedkeuren</button>" not in admin_client.get(detail).content.decode()
    admin_client.post(f"{detail}goedkeuren/")
    assert DestructionList.objects.get().status == DestructionListStatus.PROPOSED
    officer_client.post(f"{detail}goedkeuren/")
    assert DestructionList.objects.get().status == DestructionListStatus.APPROVED
    page = officer_client.post(f"{detail}uitvoeren/", follow=True).content.decode()
    assert "Vernietigd: 1" in page
    assert DestructionList.objects.get().status == DestructionListStatus.EXECUTED
    index = admin_client.get("/privacy/vernietiging/").content.decode()
    assert proposed.items.get().reference in index  # the deletion record is listed


@pytest.mark.django_db
def test_only_the_administrator_sets_the_retention_periods(client):
    signed_in(client, administrator())
    response = client.post("/privacy/bewaartermijnen/", {"case_years": 7, "report_years": 2})
    assert response.status_code == 302
    row = RetentionSettings.current()
    assert (row.case_years, row.report_years) == (7, 2)
    assert row.history.first().history_user is not None
    officer = signed_in(Client(), privacy_officer())
    assert officer.get("/privacy/bewaartermijnen/").status_code == 403


@pytest.mark.django_db
def test_the_navigation_leads_to_the_privacy_pages(client):
    signed_in(client, privacy_officer())
    html = client.get("/mijn-werk/").content.decode()
    assert 'href="/privacy/"' in html
    signed_in(client, UserFactory(roles=[Role.REGISSEUR]))
    html = client.get("/mijn-werk/").content.decode()
    assert 'href="/privacy/noodtoegang/"' in html and 'href="/privacy/"' not in html
