"""Acceptance 4 of issue 16: an action owner outside the body opens and closes their action
(today the coordinator's link went to a 404); anyone else who owns nothing gets a 404."""

from datetime import date

import pytest
from django.urls import reverse

from meetings import services
from meetings.constants import OwnerGroup
from meetings.models import Action
from meetings.services import OwnerData
from tests.cases.factories import (
    coordinator_user,
    decision_member,
    regisseur_user,
    secretary_user,
)
from tests.meetings.factories import BodyFactory, at, meeting_on
from tests.personas import assert_redirects_to_login, signed_in

pytestmark = pytest.mark.django_db

DAY = date(2027, 2, 17)


@pytest.fixture
def action(time_machine):
    time_machine.move_to(at(DAY, 11), tick=False)
    secretary, member = secretary_user(), decision_member()
    body = BodyFactory(pto=True, secretary=secretary, first_date=date(2027, 2, 3), members=[member])
    meeting = meeting_on(body, DAY, actor=secretary)
    coordinator = coordinator_user()
    return services.action_create(
        body=body,
        actor=secretary,
        raised_in=meeting,
        subject="Caseloadverdeling",
        action="Verdeling over de regisseurs herzien (15 per fte).",
        owners=[OwnerData(user=coordinator), OwnerData(group=OwnerGroup.REGISSEURS)],
    )


def owner_of(action: Action):
    return action.owners.get(user__isnull=False).user


def test_the_owner_outside_the_body_finds_it_on_mijn_werk_and_opens_it(client, action):
    signed_in(client, owner_of(action))

    work = client.get(reverse("core:my_work")).content.decode()
    page = client.get(reverse("meetings:action_detail", args=[action.pk]))

    assert reverse("meetings:action_detail", args=[action.pk]) in work
    assert "Caseloadverdeling" in work  # the action named, not "Actie uit overleg"
    assert page.status_code == 200
    html = page.content.decode()
    assert "Actie: Caseloadverdeling" in html and "regisseurs" in html
    # The body's page does not open for them, so no link to it.
    assert reverse("meetings:body_detail", args=[action.body_id]) not in html


def test_the_owner_closes_it_and_may_undo(client, action):
    signed_in(client, owner_of(action))

    done = client.post(
        reverse("meetings:action_done", args=[action.pk]),
        {"done_on": "2027-02-17", "confirm": "on"},
    )
    assert done.status_code == 302
    assert Action.objects.get(pk=action.pk).done_on == DAY
    client.post(reverse("meetings:action_reopen", args=[action.pk]))

    assert Action.objects.get(pk=action.pk).done_on is None


@pytest.mark.parametrize("who", ["regisseur", "other_coordinator", "member_of_other_body"])
def test_someone_who_owns_nothing_and_sits_elsewhere_gets_404(client, action, who):
    user = {
        "regisseur": regisseur_user,  # the group 'regisseurs' owns it, yet no person is named
        "other_coordinator": coordinator_user,
        "member_of_other_body": decision_member,
    }[who]()
    signed_in(client, user)

    page = client.get(reverse("meetings:action_detail", args=[action.pk]))
    close = client.post(
        reverse("meetings:action_done", args=[action.pk]),
        {"done_on": "2027-02-17", "confirm": "on"},
    )

    assert (page.status_code, close.status_code) == (404, 404)
    assert Action.objects.get(pk=action.pk).done_on is None


def test_anonymous_goes_to_the_login_page(client, action):
    assert_redirects_to_login(client.get(reverse("meetings:action_detail", args=[action.pk])))
