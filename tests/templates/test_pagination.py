"""Issue 21: the shared pagination (templates/includes/pagination.html) keeps the filters of
the address and replaces the page number, instead of appending another `page=`."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from ipgar.audit.constants import AccessAction
from ipgar.audit.models import AccessLogEntry
from tests.factories import UserFactory
from tests.personas import persona

pytestmark = pytest.mark.django_db


def page_links(html: str) -> dict[str, dict[str, list[str]]]:
    """{"Vorige": {...query...}, "Volgende": {...}} of the pagination on a page."""
    nav = html.split('aria-label="Paginering"', 1)[1].split("</nav>", 1)[0]
    return {
        label: parse_qs(urlsplit(unescape(href)).query)
        for href, label in re.findall(r'href="([^"]*)">(Vorige|Volgende)</a>', nav)
    }


def test_the_access_log_pages_keep_the_search_and_carry_one_page_number(client):
    reader = UserFactory(username="jjansen")
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            username=reader.username,
            action=AccessAction.VIEW,
            object_type="cases.case",
            object_id=n,
            subject_ref="subject:5001",
        )
        for n in range(120)
    )
    persona(client, "privacy")

    html = client.get("/toegangslog/", {"username": "jjansen", "page": "2"}).content.decode()
    links = page_links(html)

    assert links["Vorige"] == {"username": ["jjansen"], "page": ["1"]}
    assert links["Volgende"] == {"username": ["jjansen"], "page": ["3"]}
    # Following "Volgende" from there still carries one page number.
    html = client.get("/toegangslog/?username=jjansen&page=3").content.decode()
    assert page_links(html)["Vorige"] == {"username": ["jjansen"], "page": ["2"]}
