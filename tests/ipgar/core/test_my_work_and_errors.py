"""Mijn werk, the error pages and the navigation per role."""

import re
from datetime import date

import pytest
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone

from ipgar.accounts.constants import Role
from ipgar.core.navigation import NAVIGATION, menu_for, navigation_for
from ipgar.core.views import error_500
from ipgar.notifications.models import Notification
from tests.factories import UserFactory
from tests.personas import assert_redirects_to_login, persona, signed_in

MY_WORK_URL = "/mijn-werk/"

pytestmark = pytest.mark.django_db


def _exists(url_name: str) -> bool:
    try:
        reverse(url_name)
    except NoReverseMatch:
        return False
    return True


def notify(user, title, **fields) -> Notification:
    return Notification.objects.create(recipient=user, kind="test", title=title, **fields)


def read_url(notification: Notification) -> str:
    return reverse("core:notification_read", kwargs={"pk": notification.pk})


class TestMyWork:
    def test_it_lists_the_users_unread_notifications_most_urgent_first(self, client):
        _, user = persona(client, "regisseur")
        notify(user, "Evaluatie plannen", object_id="1", due_date=date(2026, 6, 1))
        notify(user, "Plan van aanpak indienen", object_id="2", due_date=date(2026, 4, 1))
        notify(user, "Al gedaan", object_id="3", read_at=timezone.now())

        response = client.get(MY_WORK_URL)

        assert response.status_code == 200
        titles = [n.title for n in response.context["notifications"]]
        assert titles == ["Plan van aanpak indienen", "Evaluatie plannen"]
        html = response.content.decode()
        assert "Uiterlijk 01-04-2026" in html
        assert "Al gedaan" not in html

    def test_it_shows_handled_notifications_on_request(self, client):
        _, user = persona(client, "regisseur")
        notify(user, "Al gedaan", read_at=timezone.now())

        response = client.get(MY_WORK_URL, {"gelezen": "1"})

        assert "Al gedaan" in response.content.decode()

    def test_it_explains_the_empty_state(self, client):
        persona(client, "regisseur")

        html = client.get(MY_WORK_URL).content.decode()

        assert 'data-testid="empty-state"' in html
        assert "Niets dat nu uw aandacht vraagt" in html
        assert 'data-testid="notifications"' not in html

    def test_it_never_shows_another_users_notification(self, client):
        _, user = persona(client, "regisseur")
        notify(UserFactory(), "Geheim van een collega")

        response = client.get(MY_WORK_URL)

        assert "Geheim van een collega" not in response.content.decode()
        assert response.context["notifications"] == []

    def test_an_anonymous_visitor_goes_to_login(self, client):
        assert_redirects_to_login(client.get(MY_WORK_URL))


class TestMarkingRead:
    def test_an_htmx_post_marks_it_read_and_returns_the_fragment(self, client):
        _, user = persona(client, "regisseur")
        notification = notify(user, "Plan van aanpak indienen")

        response = client.post(read_url(notification), HTTP_HX_REQUEST="true")

        assert response.status_code == 200
        html = response.content.decode()
        assert html.lstrip().startswith('<li class="list-group-item')
        assert f'id="melding-{notification.pk}"' in html
        assert "notification-read" in html
        assert "<html" not in html
        notification.refresh_from_db()
        assert notification.read_at is not None

    def test_a_plain_post_marks_it_read_and_returns_to_my_work(self, client):
        _, user = persona(client, "regisseur")
        notification = notify(user, "Plan van aanpak indienen")

        response = client.post(read_url(notification))

        assert response.status_code == 302
        assert response["Location"] == MY_WORK_URL
        notification.refresh_from_db()
        assert notification.is_read

    def test_another_users_notification_does_not_exist_for_this_user(self, client):
        persona(client, "regisseur")
        someone_elses = notify(UserFactory(), "Geheim van een collega")

        response = client.post(read_url(someone_elses), HTTP_HX_REQUEST="true")

        assert response.status_code == 404
        someone_elses.refresh_from_db()
        assert someone_elses.read_at is None

    def test_it_refuses_get(self, client):
        _, user = persona(client, "regisseur")
        notification = notify(user, "Plan van aanpak indienen")

        assert client.get(read_url(notification)).status_code == 405
        notification.refresh_from_db()
        assert notification.read_at is None


class TestErrorPages:
    def test_the_404_page_is_dutch_and_leaks_no_path(self, client):
        persona(client, "regisseur")

        response = client.get("/casussen/geheim-dossier-4711/")

        assert response.status_code == 404
        html = response.content.decode()
        assert '<html lang="nl">' in html
        assert "Niet gevonden" in html
        assert "geheim-dossier-4711" not in html
        assert "Traceback" not in html
        assert "urlpatterns" not in html  # Django's debug 404 lists the URLconf

    def test_an_anonymous_visitor_gets_the_same_404(self, client):
        response = client.get("/bestaat-niet-4711/")

        assert response.status_code == 404
        assert "Niet gevonden" in response.content.decode()
        assert "bestaat-niet-4711" not in response.content.decode()

    def test_the_403_page_is_dutch(self, client):
        persona(client, "regisseur")

        response = client.get(reverse("accounts:user_list"))

        assert response.status_code == 403
        assert "Geen toegang" in response.content.decode()
        assert '<html lang="nl">' in response.content.decode()

    def test_the_500_page_is_dutch_and_self_contained(self, rf):
        response = error_500(rf.get("/casussen/7/"))

        assert response.status_code == 500
        html = response.content.decode()
        assert '<html lang="nl">' in html
        assert "Er ging iets mis" in html
        assert "/casussen/7/" not in html
        assert "Traceback" not in html

    def test_the_project_uses_these_handlers(self):
        resolver = get_resolver()

        assert resolver.resolve_error_handler(500) is error_500
        assert resolver.resolve_error_handler(404).__module__ == "ipgar.core.views"
        assert resolver.resolve_error_handler(403).__module__ == "ipgar.core.views"


class TestNavigation:
    def labels(self, user) -> set[str]:
        return {item["label"] for item in navigation_for(user)}

    def test_the_functional_administrator_sees_the_administration(self):
        labels = self.labels(UserFactory(roles=["functioneel_beheer"]))

        assert {"Mijn werk", "Interventies", "Gebruikers", "Organisaties"} <= labels
        assert "Toegangslog" not in labels

    def test_the_administration_pages_share_one_dropdown_in_the_header(self, client):
        admin = UserFactory(roles=["functioneel_beheer"])
        menu = menu_for(admin)

        [group] = [entry for entry in menu if entry.get("children")]
        assert group["label"] == "Beheer"
        assert [child["label"] for child in group["children"]] == [
            "Beoordelingskader", "Interventies", "Termijninstellingen", "Gebruikers",
            "Rollen goedkeuren", "Rolwijzigingen", "Organisaties",
        ]  # fmt: skip
        assert [e["label"] for e in menu if not e.get("children")] == [
            "Mijn werk", "Termijnen", "Adresboek", "Privacy (AVG)"
        ]  # fmt: skip
        html = signed_in(client, admin).get(reverse("accounts:user_list")).content.decode()
        assert 'class="nav-link dropdown-toggle active"' in html  # the open page's group
        assert 'class="dropdown-item active" href="/beheer/gebruikers/" aria-current="page"' in html

    def test_a_group_of_one_stays_a_plain_entry(self):
        menu = menu_for(UserFactory(roles=["regisseur"]))

        assert not [entry for entry in menu if entry.get("children")]

    def test_a_regisseur_sees_no_administration(self):
        labels = self.labels(UserFactory(roles=["regisseur"]))

        assert {"Mijn werk", "Overleggen"} <= labels
        assert not {"Gebruikers", "Organisaties", "Interventies", "Toegangslog"} & labels

    def test_the_privacy_officer_sees_the_access_log_and_no_administration(self):
        labels = self.labels(UserFactory(roles=["privacy"]))

        assert {"Mijn werk", "Toegangslog"} <= labels
        assert not {"Gebruikers", "Organisaties", "Overleggen"} & labels

    def test_the_programme_team_reaches_the_meetings_it_sits_on(self):
        labels = self.labels(UserFactory(roles=["programmateam"]))

        assert {"Monitor", "Overleggen"} <= labels

    def test_a_user_with_two_roles_sees_both_sets(self):
        labels = self.labels(UserFactory(roles=["privacy", "secretaris"]))

        assert {"Overleggen", "Toegangslog"} <= labels

    def test_a_deactivated_user_sees_only_the_entries_for_everyone(self):
        labels = self.labels(UserFactory(roles=["privacy"], is_active=False))

        assert labels == {item.label for item in NAVIGATION if not item.roles}

    @pytest.mark.parametrize("role", Role.values)
    def test_every_role_sees_exactly_the_existing_entries_its_role_opens(self, role):
        shown = {item["name"] for item in navigation_for(UserFactory(roles=[role]))}

        expected = {
            item.url_name
            for item in NAVIGATION
            if (not item.roles or role in item.roles) and _exists(item.url_name)
        }
        assert shown == expected

    def test_the_rendered_menu_follows_the_roles(self, client):
        persona(client, "functioneel_beheer")
        html = client.get(MY_WORK_URL).content.decode()
        assert 'href="/beheer/gebruikers/"' in html
        assert "Gebruikers" in html

        client.logout()
        persona(client, "regisseur")
        html = client.get(MY_WORK_URL).content.decode()
        assert 'href="/beheer/gebruikers/"' not in html
        assert 'href="/toegangslog/"' not in html

    def test_the_current_page_is_marked(self, client):
        persona(client, "functioneel_beheer")

        html = client.get(reverse("accounts:user_list")).content.decode()

        assert re.search(r'href="/beheer/gebruikers/"\s+aria-current="page"', html)
