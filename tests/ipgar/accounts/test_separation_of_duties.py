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
from tests.personas import persona

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
