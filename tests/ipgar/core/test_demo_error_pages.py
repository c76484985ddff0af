"""Issue 15: the local demo (DEBUG on, DEMO_ERROR_PAGES on) answers with the Dutch error pages
production shows, never Django's technical pages; the login page does not promise an
authenticator code when the second factor is off."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from ipgar.core.middleware import FriendlyErrorPagesMiddleware
from tests.personas import persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    settings.DEMO_ERROR_PAGES = True


def test_an_unknown_address_gets_the_dutch_404_not_the_url_list(client, demo):
    persona(client, "regisseur")

    response = client.get("/bestaat-niet/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "URLconf" not in page and "Page not found" not in page
    assert '<html lang="nl"' in page


def test_a_missing_case_gets_the_dutch_404(client, demo):
    persona(client, "regisseur")

    response = client.get("/casussen/999999/")

    assert response.status_code == 404
    assert "Page not found" not in response.content.decode()


@pytest.mark.parametrize(
    ("exception", "status"), [(Http404(), 404), (PermissionDenied(), 403), (ValueError("x"), 500)]
)
def test_view_exceptions_get_the_dutch_pages(demo, rf: RequestFactory, exception, status):
    request = rf.get("/mijn-werk/")
    request.user = None

    response = FriendlyErrorPagesMiddleware(lambda r: None).process_exception(request, exception)

    assert response.status_code == status
    assert "Traceback" not in response.content.decode()


def test_without_the_demo_setting_django_keeps_its_own_handling(settings, rf):
    settings.DEBUG, settings.DEMO_ERROR_PAGES = True, False

    middleware = FriendlyErrorPagesMiddleware(lambda r: None)

    assert middleware.process_exception(rf.get("/"), Http404()) is None


def test_the_demo_login_page_asks_no_authenticator_code(client, settings):
    settings.OTP_REQUIRED = False

    page = client.get("/inloggen/").content.decode()

    assert "code uit uw authenticator-app" not in page
    assert "tweede factor uitgeschakeld" in page


def test_the_production_login_page_announces_the_code(client, settings):
    settings.OTP_REQUIRED = True

    assert "code uit uw authenticator-app" in client.get("/inloggen/").content.decode()


def test_every_page_names_its_favicon(client):
    from django.contrib.staticfiles import finders

    page = client.get("/inloggen/").content.decode()

    assert 'rel="icon"' in page and "favicon.svg" in page
    assert finders.find("favicon.svg")
