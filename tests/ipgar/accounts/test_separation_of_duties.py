"""Issue 20 point 1: the functional administrator cannot give themselves a role; privileged
roles and accounts with one need a second administrator; the privacy officer hears of every
role change; two approvers of a destruction list are independent people."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ipgar.accounts import services
from ipgar.accounts.constants import Role
from ipgar.accounts.models import RoleChange, RoleRequest, User
from ipgar.notifications.models import Notification
from privacy import services as privacy_services
from privacy.exceptions import PrivacyRefused
from privacy.models import DestructionList
from tests.factories import OrganisationFactory, UserFactory
from tests.personas import persona, signed_in

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "lange-zin-als-wachtwoord-2026"


def _form(user: User, roles: list[str], organisation=None) -> dict:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email or f"{user.username}@test.invalid",
        "organisation": (organisation or user.organisation).pk,
        "job_title": user.job_title,
        "phone": user.phone,
        "fte": str(user.fte),
        "is_active": "on",
        "roles": roles,
    }


def test_the_administrator_cannot_give_themselves_roles(client):
    client, admin = persona(client, Role.ADMINISTRATOR)
    url = reverse("accounts:user_update", kwargs={"pk": admin.pk})
    response = client.post(url, _form(admin, [Role.ADMINISTRATOR, Role.PRIVACY_OFFICER]))
    assert response.status_code == 200
    assert "eigen rollen en organisatie niet wijzigen" in response.content.decode()
    assert User.objects.get(pk=admin.pk).role_names == {Role.ADMINISTRATOR}
    assert not RoleRequest.objects.exists()


def test_the_administrator_cannot_move_themselves_to_another_organisation(client):
    client, admin = persona(client, Role.ADMINISTRATOR)
    other = OrganisationFactory()
    url = reverse("accounts:user_update", kwargs={"pk": admin.pk})
    response = client.post(url, _form(admin, [Role.ADMINISTRATOR], organisation=other))
    assert "eigen rollen en organisatie niet wijzigen" in response.content.decode()
    assert User.objects.get(pk=admin.pk).organisation_id != other.pk


def test_a_privileged_role_waits_for_a_second_administrator_and_is_reported(
    django_capture_on_commit_callbacks,
):
    first = UserFactory(roles=[Role.ADMINISTRATOR])
    second = UserFactory(roles=[Role.ADMINISTRATOR])
    officer = UserFactory(roles=[Role.PRIVACY_OFFICER])
    colleague = UserFactory(roles=[Role.INTAKE])
    with pytest.raises(services.AccountRefused):
        services.user_update(actor=first, user=first, roles=[Role.ADMINISTRATOR, Role.REGISSEUR])

    services.user_update(actor=first, user=colleague, roles=[Role.INTAKE, Role.PRIVACY_OFFICER])
    assert User.objects.get(pk=colleague.pk).role_names == {Role.INTAKE}
    request = RoleRequest.objects.get(user=colleague)
    with pytest.raises(services.AccountRefused):
        services.role_request_decide(role_request=request, approve=True, actor=first)
    with django_capture_on_commit_callbacks(execute=True):
        services.role_request_decide(role_request=request, approve=True, actor=second)
    assert User.objects.get(pk=colleague.pk).role_names == {Role.INTAKE, Role.PRIVACY_OFFICER}

    change = RoleChange.objects.get(user=colleague, added=[Role.PRIVACY_OFFICER])
    assert (change.changed_by, change.approved_by) == (first, second)
    told = Notification.objects.get(
        recipient_id=officer.pk, kind="rolwijziging", object_id=str(change.pk)
    )
    assert "Privacyfunctionaris" in told.body and second.username in told.body


def test_a_new_account_with_a_privileged_role_stays_inactive_until_approved(client):
    client, admin = persona(client, Role.ADMINISTRATOR)
    data = {
        "username": "nieuw",
        "first_name": "Fenna",
        "last_name": "de Wit",
        "email": "f.dewit@test.invalid",
        "organisation": OrganisationFactory().pk,
        "fte": "1.00",
        "is_active": "on",
        "roles": [Role.REGISSEUR],
        "password": STRONG_PASSWORD,
    }
    assert client.post(reverse("accounts:user_create"), data).status_code == 302
    created = User.objects.get(username="nieuw")
    assert not created.is_active and created.role_names == frozenset()
    # The same administrator cannot approve it through the page either.
    pending = RoleRequest.objects.get(user=created)
    client.post(
        reverse("accounts:role_request_decide", kwargs={"pk": pending.pk}),
        {"besluit": "goedkeuren"},
    )
    assert RoleRequest.objects.get(pk=pending.pk).status == "open"
    second_client, _ = persona(client.__class__(), Role.ADMINISTRATOR)
    second_client.post(
        reverse("accounts:role_request_decide", kwargs={"pk": pending.pk}),
        {"besluit": "goedkeuren"},
    )
    created = User.objects.get(pk=created.pk)
    assert created.is_active and created.role_names == {Role.REGISSEUR}


def test_removing_a_role_takes_effect_at_once():
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    colleague = UserFactory(roles=[Role.REGISSEUR, Role.INTAKE])
    services.user_update(actor=admin, user=colleague, roles=[Role.INTAKE])
    assert User.objects.get(pk=colleague.pk).role_names == {Role.INTAKE}
    assert RoleChange.objects.get(user=colleague).removed == [Role.REGISSEUR]


def _proposed_list() -> DestructionList:
    return DestructionList.objects.create(proposed_at=timezone.now())


def test_an_administrator_and_the_privacy_account_they_created_cannot_both_approve():
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    accomplice_admin = UserFactory(roles=[Role.ADMINISTRATOR])
    second = services.user_create(
        actor=admin,
        username="tweede.account",
        password=STRONG_PASSWORD,
        organisation=admin.organisation,
        roles=[Role.PRIVACY_OFFICER],
    )
    services.role_request_decide(
        role_request=RoleRequest.objects.get(user=second), approve=True, actor=accomplice_admin
    )
    second = User.objects.get(pk=second.pk)
    destruction_list = _proposed_list()
    privacy_services.destruction_list_approve(destruction_list=destruction_list, actor=admin)
    with pytest.raises(PrivacyRefused, match="90 dagen"):
        privacy_services.destruction_list_approve(destruction_list=destruction_list, actor=second)
    # An approver of the roles is no independent second either.
    other_list = DestructionList.objects.get(pk=destruction_list.pk)
    assert other_list.privacy_approved_by_id is None
    assert services.created_each_other(accomplice_admin, second, days=90)


def test_after_ninety_days_they_count_as_independent_again():
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    other_admin = UserFactory(roles=[Role.ADMINISTRATOR])
    with time_machine.travel(timezone.now() - timedelta(days=120)):
        officer = services.user_create(
            actor=admin,
            username="oud.account",
            password=STRONG_PASSWORD,
            organisation=admin.organisation,
            roles=[Role.PRIVACY_OFFICER],
        )
        services.role_request_decide(
            role_request=RoleRequest.objects.get(user=officer), approve=True, actor=other_admin
        )
    officer = User.objects.get(pk=officer.pk)
    destruction_list = _proposed_list()
    privacy_services.destruction_list_approve(destruction_list=destruction_list, actor=admin)
    approved = privacy_services.destruction_list_approve(
        destruction_list=destruction_list, actor=officer
    )
    assert approved.is_approved


# --- The way to the approvals, and the administrators told of a request ---------------------


def _table(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</table>", start)]


def test_the_administration_menu_and_the_user_list_lead_to_the_approvals(client):
    client, _admin = persona(client, Role.ADMINISTRATOR)
    approvals, changes = reverse("accounts:role_request_list"), reverse("accounts:role_change_list")
    assert (approvals, changes) == ("/beheer/goedkeuringen/", "/beheer/rolwijzigingen/")
    html = client.get(reverse("core:my_work")).content.decode()
    for url in (approvals, changes):
        assert f'class="dropdown-item" href="{url}"' in html
    listing = client.get(reverse("accounts:user_list")).content.decode()
    assert f'href="{approvals}"' in listing and f'href="{changes}"' in listing
    assert client.get(approvals).status_code == 200
    assert client.get(changes).status_code == 200


def test_the_privacy_officer_finds_the_role_change_report_in_the_menu(client):
    from ipgar.core.navigation import navigation_for

    client, officer = persona(client, Role.PRIVACY_OFFICER)
    names = {item["name"] for item in navigation_for(officer)}
    assert "accounts:role_change_list" in names
    assert "accounts:role_request_list" not in names  # only administrators decide
    html = client.get(reverse("core:my_work")).content.decode()
    assert 'href="/beheer/rolwijzigingen/"' in html
    assert client.get(reverse("accounts:role_change_list")).status_code == 200


def test_the_other_administrators_are_told_of_a_role_request_and_their_link_opens(client):
    requester = UserFactory(roles=[Role.ADMINISTRATOR])
    decider = UserFactory(roles=[Role.ADMINISTRATOR])
    away = UserFactory(roles=[Role.ADMINISTRATOR], is_active=False)
    colleague = UserFactory(roles=[Role.INTAKE])
    services.user_update(
        actor=requester, user=colleague, roles=[Role.INTAKE, Role.PRIVACY_OFFICER, Role.SECRETARY]
    )
    request = RoleRequest.objects.get(user=colleague)
    told = Notification.objects.get(kind=services.ROLE_REQUEST_KIND)
    assert told.recipient_id == decider.pk and told.object_id == str(request.pk)
    assert "Privacyfunctionaris, Secretaris" in told.body and requester.username in told.body
    assert not Notification.objects.filter(
        recipient_id__in=[requester.pk, away.pk, colleague.pk]
    ).exists()

    response = signed_in(client, decider).get(told.link)
    assert response.status_code == 200
    row = _table(response.content.decode(), "role-requests")
    assert "Privacyfunctionaris, Secretaris" in row
    assert "privacy" not in row.replace("Privacyfunctionaris", "")

    services.role_request_decide(role_request=request, approve=True, actor=decider)
    assert Notification.objects.get(pk=told.pk).is_read  # the task is done


def test_the_role_change_report_shows_dutch_role_labels(client):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    colleague = UserFactory(roles=[Role.REGISSEUR, Role.INTAKE])
    services.user_update(actor=admin, user=colleague, roles=[Role.INTAKE, Role.PROGRAMME_TEAM])
    client, _officer = persona(client, Role.PRIVACY_OFFICER)
    html = client.get(reverse("accounts:role_change_list")).content.decode()
    table = _table(html, "role-changes")
    assert "<td>Programmateam</td><td>Regisseur</td>" in table
    assert "programmateam" not in table and ">regisseur<" not in table


def test_a_new_account_request_is_announced_to_the_other_administrator():
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    other = UserFactory(roles=[Role.ADMINISTRATOR])
    services.user_create(
        actor=admin,
        username="nieuwe.regisseur",
        password=STRONG_PASSWORD,
        organisation=admin.organisation,
        roles=[Role.REGISSEUR],
    )
    told = Notification.objects.get(kind=services.ROLE_REQUEST_KIND)
    assert told.recipient_id == other.pk
    assert "Nieuw account" in told.body and "Regisseur" in told.body


# --- Switching an account back on is no way around the second administrator ----------------


def _deactivated(admin: User, *roles: str) -> User:
    user = UserFactory(roles=list(roles))
    services.user_update(actor=admin, user=user, roles=list(roles), is_active=False)
    user = User.objects.get(pk=user.pk)
    assert not user.is_active and set(user.groups.values_list("name", flat=True)) == set(roles)
    return user


def test_reactivating_a_privileged_account_through_the_form_waits_for_a_second_administrator(
    client, django_capture_on_commit_callbacks
):
    client, admin = persona(client, Role.ADMINISTRATOR)
    second = UserFactory(roles=[Role.ADMINISTRATOR])
    officer = UserFactory(roles=[Role.PRIVACY_OFFICER])
    target = _deactivated(admin, Role.PRIVACY_OFFICER, Role.REGISSEUR)

    url = reverse("accounts:user_update", kwargs={"pk": target.pk})
    response = client.post(url, _form(target, [Role.PRIVACY_OFFICER, Role.REGISSEUR]), follow=True)
    assert "weer actief zodra een andere functioneel beheerder" in response.content.decode()
    target = User.objects.get(pk=target.pk)
    assert not target.is_active and target.role_names == frozenset()
    request = RoleRequest.objects.get(user=target)
    assert request.activate and request.reactivates
    assert request.roles == [Role.PRIVACY_OFFICER, Role.REGISSEUR]
    # Saving the form again asks nothing new; the requester cannot approve.
    client.post(url, _form(target, [Role.PRIVACY_OFFICER, Role.REGISSEUR]))
    assert RoleRequest.objects.filter(user=target).count() == 1
    client.post(
        reverse("accounts:role_request_decide", kwargs={"pk": request.pk}),
        {"besluit": "goedkeuren"},
    )
    assert not User.objects.get(pk=target.pk).is_active

    told = Notification.objects.get(kind=services.ROLE_REQUEST_KIND, recipient_id=second.pk)
    assert "weer actief" in told.body
    with django_capture_on_commit_callbacks(execute=True):
        services.role_request_decide(role_request=request, approve=True, actor=second)
    target = User.objects.get(pk=target.pk)
    assert target.is_active and target.role_names == {Role.PRIVACY_OFFICER, Role.REGISSEUR}
    change = RoleChange.objects.filter(user=target).first()
    assert change.added == [Role.PRIVACY_OFFICER, Role.REGISSEUR]
    assert (change.changed_by, change.approved_by) == (admin, second)
    report = Notification.objects.get(recipient_id=officer.pk, object_id=str(change.pk))
    assert "Account weer geactiveerd." in report.body and second.username in report.body
    # The approver of the reactivation is no independent second approver of that account.
    assert services.created_each_other(second, target, days=90)


def test_a_rejected_reactivation_leaves_the_account_inactive():
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    second = UserFactory(roles=[Role.ADMINISTRATOR])
    target = _deactivated(admin, Role.COORDINATOR)
    services.user_update(actor=admin, user=target, roles=[Role.COORDINATOR], is_active=True)
    request = RoleRequest.objects.get(user=target)
    services.role_request_decide(role_request=request, approve=False, actor=second)
    assert not User.objects.get(pk=target.pk).is_active
    assert not RoleChange.objects.filter(user=target, approved_by=second).exists()


def test_reactivating_an_account_without_a_privileged_role_takes_effect_at_once(client):
    client, admin = persona(client, Role.ADMINISTRATOR)
    target = _deactivated(admin, Role.INTAKE)
    url = reverse("accounts:user_update", kwargs={"pk": target.pk})
    assert client.post(url, _form(target, [Role.INTAKE])).status_code == 302
    assert User.objects.get(pk=target.pk).role_names == {Role.INTAKE}
    assert not RoleRequest.objects.filter(user=target).exists()


def test_a_new_account_waiting_for_approval_cannot_be_switched_on_by_hand():
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    created = services.user_create(
        actor=admin,
        username="wacht.nog",
        password=STRONG_PASSWORD,
        organisation=admin.organisation,
        roles=[Role.SECRETARY, Role.INTAKE],
    )
    services.user_update(actor=admin, user=created, roles=[Role.INTAKE], is_active=True)
    assert not User.objects.get(pk=created.pk).is_active
    assert RoleRequest.objects.filter(user=created).count() == 1
