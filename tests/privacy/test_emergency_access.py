"""Break the glass: a user with a case role opens a case outside their access with a reason;
read-only, three hours, a banner on every page, every read logged as emergency access, and
the privacy officers and the case's regisseur told. Expired grants stop working."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from cases.models import EmergencyAccess, SubjectLink
from ipgar.accounts.constants import Role
from ipgar.audit.models import AccessLogEntry
from ipgar.notifications.models import Notification
from tests.cases.factories import CaseFactory, regisseur_user
from tests.personas import assert_redirects_to_login, persona, signed_in
from tests.privacy.factories import privacy_officer

URL = "/privacy/noodtoegang/"
REASON = "Politie meldt acuut gevaar; contactgegevens nodig voor de crisisdienst."


@pytest.fixture
def case():
    return CaseFactory(in_execution=True)


def _break(client: Client, case, reason: str = REASON, kind: str = "acuut_gevaar"):
    return client.post(
        URL, {"case_reference": case.reference, "reason_kind": kind, "reason": reason}
    )


@pytest.mark.django_db
def test_an_outsider_regisseur_opens_the_case_for_three_hours_read_only(client, case):
    officer = privacy_officer()
    client, outsider = persona(client, Role.REGISSEUR)
    assert client.get(f"/casussen/{case.pk}/").status_code == 404

    response = _break(client, case)

    assert response.status_code == 302 and response["Location"] == f"/casussen/{case.pk}/"
    grant = EmergencyAccess.objects.get()
    assert (grant.case, grant.user, grant.reason) == (case, outsider, REASON)
    assert grant.expires_at - grant.started_at == timedelta(hours=3)
    page = client.get(f"/casussen/{case.pk}/")
    assert page.status_code == 200
    assert 'data-testid="emergency-banner"' in page.content.decode()
    # Read-only: writing stays refused.
    assert client.post(f"/casussen/{case.pk}/logboek/", {"text": "x"}).status_code == 403
    # Every read during the grant is logged as emergency access.
    lines = AccessLogEntry.objects.filter(user=outsider, subject_ref=f"subject:{case.subject_id}")
    assert lines.count() >= 2
    assert all(line.description.startswith(f"NOODTOEGANG #{grant.pk}") for line in lines)
    # Reported to the privacy officer and to the case's regisseur.
    told = Notification.objects.filter(kind="noodtoegang", object_id=str(grant.pk))
    assert set(told.values_list("recipient", flat=True)) == {officer.pk, case.regisseur_id}
    assert all(case.reference in n.title and REASON in n.body for n in told)


@pytest.mark.django_db
def test_the_banner_shows_on_every_page_while_the_grant_runs(client, case):
    client, _ = persona(client, Role.ADVISORY_MEMBER)
    _break(client, case)
    for url in ("/mijn-werk/", "/termijnen/", "/casussen/"):
        assert 'data-testid="emergency-banner"' in client.get(url).content.decode(), url


@pytest.mark.django_db
def test_the_grant_expires_after_three_hours(client, case):
    client, outsider = persona(client, Role.REGISSEUR)
    _break(client, case)
    # A fresh session each time: the 15-minute idle limit would sign the user out anyway.
    with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=59)):
        client = signed_in(Client(), outsider)
        assert client.get(f"/casussen/{case.pk}/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=3, minutes=1)):
        client = signed_in(Client(), outsider)
        assert client.get(f"/casussen/{case.pk}/").status_code == 404
        assert 'data-testid="emergency-banner"' not in client.get("/mijn-werk/").content.decode()


@pytest.mark.django_db
def test_a_new_login_during_the_grant_still_shows_the_banner_and_marks_the_log(client, case):
    client, outsider = persona(client, Role.REGISSEUR)
    _break(client, case)
    other = signed_in(Client(), outsider)  # another browser: the grant is in the database
    assert 'data-testid="emergency-banner"' in other.get("/mijn-werk/").content.decode()
    other.get(f"/casussen/{case.pk}/")
    assert (
        AccessLogEntry.objects.filter(user=outsider).first().description.startswith("NOODTOEGANG")
    )


@pytest.mark.django_db
def test_a_reason_is_required(client, case):
    client, _ = persona(client, Role.REGISSEUR)
    response = _break(client, case, reason="nodig")
    assert response.status_code == 200
    assert "ten minste een volledige zin" in response.content.decode()
    assert not EmergencyAccess.objects.exists()


@pytest.mark.django_db
def test_fifteen_characters_are_not_a_reason(client, case):
    client, _ = persona(client, Role.REGISSEUR)
    response = _break(client, case, reason="xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
    assert "ten minste een volledige zin" in response.content.decode()
    assert not EmergencyAccess.objects.exists()


@pytest.mark.django_db
def test_the_kind_of_emergency_is_required_and_kept_with_the_typed_text(client, case):
    client, _ = persona(client, Role.REGISSEUR)
    response = _break(client, case, kind="")
    page = response.content.decode()
    assert "Kies de soort noodsituatie" in page and "crisisdienst" in page
    assert not EmergencyAccess.objects.exists()
    _break(client, case, kind="crisis")
    assert EmergencyAccess.objects.get().reason_kind == "crisis"


@pytest.mark.django_db
@override_settings(EMERGENCY_GRANTS_PER_DAY=2)
@pytest.mark.parametrize("role", [Role.REGISSEUR, Role.COORDINATOR])
def test_at_most_the_set_number_of_grants_per_day(client, role):
    client, user = persona(client, role)
    cases = [CaseFactory(in_execution=True) for _ in range(3)]
    with time_machine.travel(timezone.make_aware(datetime(2026, 5, 4, 9, 0)), tick=False):
        assert _break(client, cases[0]).status_code == 302
        assert _break(client, cases[1]).status_code == 302
        refused = _break(client, cases[2])
        assert refused.status_code == 200
        assert "vandaag al 2 keer noodtoegang" in refused.content.decode()
    assert EmergencyAccess.objects.filter(user=user).count() == 2
    with time_machine.travel(timezone.make_aware(datetime(2026, 5, 5, 9, 0)), tick=False):
        signed_in(client, user)
        assert _break(client, cases[2]).status_code == 302
    assert EmergencyAccess.objects.filter(user=user).count() == 3


@pytest.mark.django_db
def test_a_grant_offers_no_subject_in_the_network_choice_list_of_an_own_case(client, case):
    client, outsider = persona(client, Role.REGISSEUR)
    own = CaseFactory(in_execution=True, regisseur=outsider)
    assert _break(client, case).status_code == 302
    form = client.get(f"/casussen/{own.pk}/netwerk/")
    assert form.status_code == 200
    assert f'value="{case.subject_id}"' not in form.content.decode()
    refused = client.post(
        f"/casussen/{own.pk}/netwerk/",
        {"other": case.subject_id, "kind": "familie", "note": ""},
    )
    assert refused.status_code == 200
    assert not SubjectLink.objects.exists()


@pytest.mark.django_db
def test_an_unknown_case_number_is_an_error_not_a_grant(client, case):
    client, _ = persona(client, Role.REGISSEUR)
    response = client.post(
        URL, {"case_reference": "C2026-99999", "reason_kind": "crisis", "reason": REASON}
    )
    assert "geen casus met dit nummer" in response.content.decode()
    assert not EmergencyAccess.objects.exists()


@pytest.mark.django_db
def test_the_own_regisseur_needs_no_emergency_access(client, case):
    signed_in(client, case.regisseur)
    response = _break(client, case)
    assert response["Location"] == f"/casussen/{case.pk}/"
    assert not EmergencyAccess.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role",
    [
        Role.INTERVENTION_PARTNER,
        Role.PROGRAMME_TEAM,
        Role.SECRETARY,
        Role.ADMINISTRATOR,
        Role.PRIVACY_OFFICER,
        Role.INTAKE,
    ],
)
def test_roles_without_case_work_cannot_break_the_glass(client, case, role):
    client, _ = persona(client, role)
    assert client.get(URL).status_code == 403
    assert _break(client, case).status_code == 403
    assert not EmergencyAccess.objects.exists()


@pytest.mark.django_db
def test_anonymous_goes_to_login(client):
    assert_redirects_to_login(client.get(URL))


@pytest.mark.django_db
def test_the_privacy_officer_sees_every_grant_with_its_reason(client, case):
    outsider = regisseur_user()
    _break(signed_in(Client(), outsider), case)
    signed_in(client, privacy_officer())
    page = client.get("/privacy/noodtoegang/overzicht/").content.decode()
    assert case.reference in page and REASON in page
    client_regisseur = signed_in(Client(), case.regisseur)
    assert client_regisseur.get("/privacy/noodtoegang/overzicht/").status_code == 403
