"""Acceptance 2: the walker of URL patterns, run as `programma` (the programme team), reaches
no page with a person's name. Names are planted in subjects, reports, reporters, letters and
regisseurs; every pattern is requested with dummy ids and with the ids of the planted objects,
and every monitor export for several periods is read too."""

import io
import re
from datetime import date

import pytest
from django.urls import get_resolver
from openpyxl import load_workbook
from pypdf import PdfReader

from cases.models import Case, Subject
from intake.models import Report
from ipgar.accounts.constants import Role
from tests.ipgar.test_url_walker import walk
from tests.monitor.conftest import spread_histories
from tests.monitor.factories import PLANTED_NAME_PREFIX
from tests.personas import persona

pytestmark = pytest.mark.django_db

PLANTED = re.compile(PLANTED_NAME_PREFIX + r"\d{5}Xq")
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
MONITOR_QUERIES = [
    {},
    {"soort": "kwartaal", "jaar": "2026", "kwartaal": "1"},
    {"soort": "kwartaal", "jaar": "2025", "kwartaal": "4"},
]


def _text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "pdf" in kind:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if "spreadsheet" in kind:
        sheet = load_workbook(io.BytesIO(content)).active
        return "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    return content.decode("utf-8", errors="replace")


def _urls(ids: list[int]) -> list[str]:
    urls = []
    for pattern in walk(get_resolver().url_patterns):
        if "<" not in pattern.route:
            urls.append(pattern.url)
            continue
        for pk in ids:
            urls.append("/" + PARAMETER.sub(lambda m, pk=pk: str(pk), pattern.route))
    return urls


def test_the_programme_team_reaches_no_page_with_a_planted_name(client, settings):
    settings.MONITOR_K = 5  # publish as much as the rules allow, so more could leak
    spread_histories(12, end=date(2026, 3, 31))
    assert Subject.objects.filter(first_name__regex=PLANTED.pattern).count() >= 9
    client, _user = persona(client, Role.PROGRAMME_TEAM, first_name="Pia", last_name="Programma")
    ids = sorted(
        {
            1,
            *Case.objects.values_list("pk", flat=True)[:3],
            *Report.objects.values_list("pk", flat=True)[:3],
        }
    )
    leaks, requested, answered = [], 0, 0
    for url in _urls(ids):
        if url.startswith("/uitloggen"):
            continue
        response = client.get(url)
        requested += 1
        if response.status_code == 200:
            answered += 1
            if PLANTED.search(_text_of(response)):
                leaks.append(url)
    for query in MONITOR_QUERIES:
        for url in (
            "/monitor/",
            "/monitor/export.csv",
            "/monitor/export.xlsx",
            "/monitor/rapport.pdf",
        ):
            response = client.get(url, query)
            assert response.status_code == 200, (url, query)
            requested += 1
            answered += 1
            if PLANTED.search(_text_of(response)):
                leaks.append(f"{url}?{query}")
    print(f"\nwalker as programmateam: {requested} requests, {answered} answered 200")
    assert leaks == []
    assert answered >= len(MONITOR_QUERIES) * 4


def test_the_check_would_catch_a_planted_name(client):
    spread_histories(1, end=date(2026, 3, 31))
    report = Report.objects.get()
    assert PLANTED.search(report.reporter_name)
