"""Functional administration of users and organisations: only the functional administrator."""

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipgar.accounts import services
from ipgar.accounts.models import Organisation, RoleRequest, User
from tests.factories import OrganisationFactory, UserFactory
from tests.personas import assert_redirects_to_login, persona, signed_in

ADMINISTRATOR = "functioneel_beheer"
STRONG_PASSWORD = "lange-zin-als-wachtwoord-2026"

pytestmark = pytest.mark.django_db


@pytest.fixture
def target() -> User:
    """The account the administrator works on."""
    user = UserFactory(username="fvdberg", roles=["regisseur"])
    TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True)
    return user


@pytest.fixture
def organisation() -> Organisation:
    return OrganisationFactory(code="TST", name="Testorganisatie Noord")


# (url name, needs a pk of: "user" / "organisation" / None, method, status for the administrator)
ADMIN_VIEWS = [
    ("accounts:user_list", None, "get", 200),
    ("accounts:user_create", None, "get", 200),
    ("accounts:user_update", "user", "get", 200),
    ("accounts:user_reset_second_factor", "user", "post", 302),
    ("accounts:organisation_list", None, "get", 200),
    ("accounts:organisation_create", None, "get", 200),
    ("accounts:organisation_update", "organisation", "get", 200),
]


def url_of(name: str, needs: str | None, target: User, organisation: Organisation) -> str:
    pk = {"user": target.pk, "organisation": organisation.pk, None: None}[needs]
    return reverse(name, kwargs={"pk": pk} if pk else None)


def user_form_data(organisation_to_choose: Organisation, **overrides) -> dict:
    data = {
        "username": "nieuwe.collega",
        "first_name": "Fenna",
        "last_name": "de Wit",
        "email": "f.dewit@test.invalid",
        "organisation": organisation_to_choose.pk,
        "job_title": "Regisseur",
        "phone": "020 123 4567",
        "fte": "0.80",
        "is_active": "on",
        "roles": ["regisseur", "secretaris"],
        "password": STRONG_PASSWORD,
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


class TestPersonas:
    @pytest.mark.parametrize(("name", "needs", "method", "status"), ADMIN_VIEWS)
    def test_the_functional_administrator_can_use_it(
        self, client, target, organisation, name, needs, method, status
    ):
        persona(client, ADMINISTRATOR)

        response = getattr(client, method)(url_of(name, needs, target, organisation))

        assert response.status_code == status

    @pytest.mark.parametrize(("name", "needs", "method", "status"), ADMIN_VIEWS)
    def test_a_regisseur_is_refused(
        self, client, target, organisation, name, needs, method, status
    ):
        persona(client, "regisseur")

        response = getattr(client, method)(url_of(name, needs, target, organisation))

        assert response.status_code == 403
        assert "Geen toegang" in response.content.decode()

    @pytest.mark.parametrize(("name", "needs", "method", "status"), ADMIN_VIEWS)
    def test_an_anonymous_visitor_goes_to_login(
        self, client, target, organisation, name, needs, method, status
    ):
        response = getattr(client, method)(url_of(name, needs, target, organisation))

        assert_redirects_to_login(response)

    def test_a_regisseur_cannot_create_a_user_by_posting(self, client, organisation):
        persona(client, "regisseur")

        response = client.post(reverse("accounts:user_create"), user_form_data(organisation))

        assert response.status_code == 403
        assert not User.objects.filter(username="nieuwe.collega").exists()

    def test_a_regisseur_cannot_reset_a_second_factor(self, client, target):
        persona(client, "regisseur")

        client.post(reverse("accounts:user_reset_second_factor", kwargs={"pk": target.pk}))

        assert TOTPDevice.objects.filter(user=target).exists()

    def test_an_unknown_user_is_not_found(self, client):
        persona(client, ADMINISTRATOR)

        response = client.get(reverse("accounts:user_update", kwargs={"pk": 987654}))

        assert response.status_code == 404


class TestUserCreate:
    def test_it_creates_the_user_with_roles_and_a_history_row_by_the_administrator(
        self, client, organisation
    ):
        _, administrator = persona(client, ADMINISTRATOR)

        response = client.post(reverse("accounts:user_create"), user_form_data(organisation))

        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:user_list")
        user = User.objects.get(username="nieuwe.collega")
        # Privileged roles wait for a second administrator; until then the account is inactive.
        assert not user.is_active and not user.groups.exists()
        second = UserFactory(roles=[ADMINISTRATOR])
        services.role_request_decide(
            role_request=RoleRequest.objects.get(user=user), approve=True, actor=second
        )
        user = User.objects.get(pk=user.pk)
        assert user.is_active and user.role_names == {"regisseur", "secretaris"}
        assert user.organisation == organisation
        assert str(user.fte) == "0.80"
        assert user.check_password(STRONG_PASSWORD)
        history = list(user.history.order_by("history_date"))
        assert history[0].history_type == "+"
        assert history[0].history_user == administrator

    def test_an_invalid_form_shows_dutch_errors_and_keeps_the_typed_values(
        self, client, organisation
    ):
        persona(client, ADMINISTRATOR)

        response = client.post(
            reverse("accounts:user_create"),
            user_form_data(organisation, organisation="", password="kort"),
        )

        assert response.status_code == 200
        html = response.content.decode()
        assert "Kies de organisatie." in html
        assert "Dit wachtwoord is te kort. De minimale lengte is 12 tekens." in html
        assert 'value="nieuwe.collega"' in html
        assert 'value="Fenna"' in html
        assert 'value="f.dewit@test.invalid"' in html
        assert not User.objects.filter(username="nieuwe.collega").exists()

    def test_a_password_is_required_for_a_new_account(self, client, organisation):
        persona(client, ADMINISTRATOR)

        response = client.post(
            reverse("accounts:user_create"), user_form_data(organisation, password=None)
        )

        assert response.status_code == 200
        assert "Dit veld is verplicht." in response.content.decode()
        assert not User.objects.filter(username="nieuwe.collega").exists()


class TestUserUpdate:
    def update(self, client, user: User, organisation: Organisation, **overrides):
        data = user_form_data(
            organisation,
            username=user.username,
            email=user.email,
            password=None,
            roles=["coordinator"],
            **overrides,
        )
        return client.post(reverse("accounts:user_update", kwargs={"pk": user.pk}), data)

    def test_it_changes_the_roles_and_writes_a_history_row_by_the_administrator(
        self, client, target, organisation
    ):
        _, administrator = persona(client, ADMINISTRATOR)

        response = self.update(client, target, organisation)

        assert response.status_code == 302
        target = User.objects.get(pk=target.pk)
        # The regisseur role went at once; the coordinator role waits for a second administrator.
        assert target.role_names == frozenset()
        services.role_request_decide(
            role_request=RoleRequest.objects.get(user=target),
            approve=True,
            actor=UserFactory(roles=[ADMINISTRATOR]),
        )
        target = User.objects.get(pk=target.pk)
        assert target.role_names == {"coordinator"}
        assert target.organisation == organisation
        latest = target.history.first()
        assert latest.history_type == "~"
        assert latest.history_user == administrator

    def test_deactivating_a_user_removes_their_second_factor(self, client, target, organisation):
        persona(client, ADMINISTRATOR)

        response = self.update(client, target, organisation, is_active=None)

        assert response.status_code == 302
        target.refresh_from_db()
        assert target.is_active is False
        assert not TOTPDevice.objects.filter(user=target).exists()

    def test_a_deactivated_user_is_signed_out_on_their_next_request(
        self, client, target, organisation
    ):
        their_browser = signed_in(Client(), target)
        assert their_browser.get("/mijn-werk/").status_code == 200
        persona(client, ADMINISTRATOR)

        self.update(client, target, organisation, is_active=None)

        assert_redirects_to_login(their_browser.get("/mijn-werk/"))

    def test_an_active_user_keeps_their_second_factor(self, client, target, organisation):
        persona(client, ADMINISTRATOR)

        self.update(client, target, organisation)

        assert TOTPDevice.objects.filter(user=target).count() == 1

    def test_the_update_page_shows_the_history(self, client, target):
        persona(client, ADMINISTRATOR)

        response = client.get(reverse("accounts:user_update", kwargs={"pk": target.pk}))

        html = response.content.decode()
        assert "Historie" in html
        assert "Tweede factor intrekken" in html  # the target has a confirmed device


class TestResetSecondFactor:
    def test_it_deletes_the_device_and_tells_the_administrator(self, client, target):
        persona(client, ADMINISTRATOR)
        other = UserFactory()
        TOTPDevice.objects.create(user=other, name="telefoon", confirmed=True)

        response = client.post(
            reverse("accounts:user_reset_second_factor", kwargs={"pk": target.pk}), follow=True
        )

        assert response.redirect_chain[0][0] == reverse(
            "accounts:user_update", kwargs={"pk": target.pk}
        )
        assert not TOTPDevice.objects.filter(user=target).exists()
        assert TOTPDevice.objects.filter(user=other).count() == 1
        assert "De tweede factor van fvdberg is ingetrokken" in response.content.decode()

    def test_it_refuses_get(self, client, target):
        persona(client, ADMINISTRATOR)

        response = client.get(
            reverse("accounts:user_reset_second_factor", kwargs={"pk": target.pk})
        )

        assert response.status_code == 405
        assert TOTPDevice.objects.filter(user=target).exists()


class TestUserList:
    def test_it_searches_by_name_and_filters_by_role(self, client):
        # Fixed names: a random Faker name may contain "berg" as well.
        persona(client, ADMINISTRATOR, first_name="Ada", last_name="Admin")
        UserFactory(
            username="fvdberg", first_name="Fleur", last_name="van den Berg", roles=["regisseur"]
        )
        UserFactory(username="jjansen", first_name="Jan", last_name="Jansen", roles=["secretaris"])

        by_name = client.get(reverse("accounts:user_list"), {"q": "berg"})
        by_role = client.get(reverse("accounts:user_list"), {"rol": "secretaris"})

        assert [u.username for u in by_name.context["page"].object_list] == ["fvdberg"]
        assert [u.username for u in by_role.context["page"].object_list] == ["jjansen"]

    @pytest.fixture
    def frozen_time(self):
        # A session clock update between two measurements would be one query more.
        with time_machine.travel(timezone.now(), tick=False):
            yield

    def test_it_takes_the_same_number_of_queries_for_3_and_for_30_users(self, client, frozen_time):
        persona(client, ADMINISTRATOR)
        url = reverse("accounts:user_list")
        client.get(url)  # the first request writes the session clock; measure steady state

        def add_users(count: int) -> None:
            for n in range(count):
                UserFactory(
                    organisation=OrganisationFactory(),
                    roles=["regisseur", "secretaris"] if n % 2 else ["intake"],
                )

        def queries() -> int:
            with CaptureQueriesContext(connection) as context:
                response = client.get(url)
            assert response.status_code == 200
            return len(context.captured_queries)

        add_users(3)
        with_3 = queries()
        add_users(27)
        with_30 = queries()

        assert with_30 == with_3
        assert len(client.get(url).context["page"].object_list) == 31


class TestOrganisations:
    def test_the_administrator_creates_an_organisation_with_a_history_row(self, client):
        _, administrator = persona(client, ADMINISTRATOR)

        response = client.post(
            reverse("accounts:organisation_create"),
            {"code": "BUURT", "name": "Buurtteam Oost", "kind": "zorg", "is_active": "on"},
        )

        assert response.status_code == 302
        organisation = Organisation.objects.get(code="BUURT")
        assert organisation.history.get().history_user == administrator

    def test_the_administrator_renames_an_organisation(self, client, organisation):
        _, administrator = persona(client, ADMINISTRATOR)

        client.post(
            reverse("accounts:organisation_update", kwargs={"pk": organisation.pk}),
            {"code": "TST", "name": "Testorganisatie Zuid", "kind": "overig", "is_active": "on"},
        )

        organisation.refresh_from_db()
        assert organisation.name == "Testorganisatie Zuid"
        assert organisation.history.first().history_user == administrator

    def test_a_duplicate_code_is_refused(self, client, organisation):
        persona(client, ADMINISTRATOR)

        response = client.post(
            reverse("accounts:organisation_create"),
            {"code": "TST", "name": "Iets anders", "kind": "overig", "is_active": "on"},
        )

        assert response.status_code == 200
        assert Organisation.objects.filter(code="TST").count() == 1
