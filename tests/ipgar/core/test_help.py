"""Help: the Dutch user guide of docs/gebruikershandleiding/, rendered inside the application."""

import re

import pytest

from ipgar.accounts.constants import Role
from ipgar.core.guide import GUIDE_DIR, ROLE_PAGES
from tests.personas import assert_redirects_to_login, persona

pytestmark = pytest.mark.django_db


def test_every_role_has_a_guide_page_and_the_index_links_them_all():
    assert set(ROLE_PAGES) == set(Role.values)
    index = (GUIDE_DIR / "index.md").read_text(encoding="utf-8")
    for slug in set(ROLE_PAGES.values()):
        assert (GUIDE_DIR / f"{slug}.md").is_file(), slug
        assert f"]({slug}.md)" in index, slug


def test_every_screenshot_the_guide_shows_is_in_docs_screenshots():
    for page in GUIDE_DIR.glob("*.md"):
        for name in re.findall(r"\]\(\.\./screenshots/([\w.-]+)\)", page.read_text("utf-8")):
            assert (GUIDE_DIR.parent / "screenshots" / name).is_file(), (page.name, name)


def test_the_index_offers_the_pages_of_the_users_own_roles_first(client):
    client, _ = persona(client, Role.COORDINATOR, Role.PRIVACY_OFFICER)
    response = client.get("/hulp/")
    assert response.status_code == 200
    html = response.content.decode()
    own = html[html.index("Voor uw rol") : html.index("</aside>")]
    assert 'href="/hulp/coordinator/"' in own
    assert 'href="/hulp/privacyfunctionaris/"' in own
    assert "/hulp/regisseur/" not in own
    assert "<title>Gebruikershandleiding iPGA-R · iPGA-R</title>" in html


def test_a_page_links_to_other_pages_in_the_app_and_shows_static_screenshots(client):
    client, _ = persona(client, Role.REGISSEUR)
    response = client.get("/hulp/politie/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/hulp/meld-en-adviespunt/"' in html  # was meld-en-adviespunt.md
    assert 'src="/static/handleiding/rollen-politie-eerste-beoordeling.png"' in html
    assert ".md" not in html


@pytest.mark.parametrize("slug", ["bestaat-niet", "..", "index.md", "README"])
def test_an_unknown_page_is_not_found(client, slug):
    client, _ = persona(client, Role.REGISSEUR)
    assert client.get(f"/hulp/{slug}/").status_code == 404


def test_help_needs_a_login(client):
    assert_redirects_to_login(client.get("/hulp/"))
    assert_redirects_to_login(client.get("/hulp/regisseur/"))


def test_a_link_to_a_repository_file_outside_the_guide_is_text_not_a_link_that_404s(client):
    client, _ = persona(client, Role.SECRETARY)
    response = client.get("/hulp/secretaris/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "het sjabloon en de kolommen" in html  # ../import/README.md in the Markdown
    assert "README.md" not in html
    assert re.findall(r'href="(?![/#]|[a-z]+:)[^"]*"', html) == []
