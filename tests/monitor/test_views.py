"""The monitor's pages and exports: the programme team only, every view and export in the
access log without a person, and the same figures on the page, in CSV, XLSX and the PDF."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ipgar.accounts.constants import Role
from ipgar.audit.constants import AccessAction
from ipgar.audit.models import AccessLogEntry
from monitor import periods
from monitor.selectors import monitor_data
from monitor.views import render_report
from tests.monitor.conftest import spread_histories
from tests.personas import assert_redirects_to_login, persona

pytestmark = pytest.mark.django_db

Q1 = {"soort": "kwartaal", "jaar": "2026", "kwartaal": "1"}
URLS = ["monitor:dashboard", "monitor:export_csv", "monitor:export_xlsx", "monitor:export_pdf"]


@pytest.fixture
def programme(client):
    client, user = persona(client, Role.PROGRAMME_TEAM)
    return client


@pytest.mark.parametrize("name", URLS)
def test_other_roles_are_refused(client, name):
    client, _user = persona(client, Role.REGISSEUR, Role.COORDINATOR, Role.DECISION_MEMBER)
    assert client.get(reverse(name), Q1).status_code == 403


@pytest.mark.parametrize("name", URLS)
def test_anonymous_is_sent_to_the_login(client, name):
    assert_redirects_to_login(client.get(reverse(name), Q1))


def test_the_programme_team_sees_the_quarter_beside_the_one_before(programme, settings):
    settings.MONITOR_K = 5
    spread_histories(12)
    response = programme.get(reverse("monitor:dashboard"), Q1)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Monitor Q1 2026" in html
    assert "Q4 2025" in html
    assert 'data-chart="grafiek-data-lead-times"' in html
    assert 'data-chart="grafiek-data-caseload"' in html
    assert "vendor/chartjs/chart.umd.js" in html


def test_every_view_and_export_is_logged_without_a_person(programme):
    for name in URLS:
        assert programme.get(reverse(name), Q1).status_code == 200
    entries = list(AccessLogEntry.objects.filter(object_type="monitor").order_by("pk"))
    assert [entry.action for entry in entries] == [
        AccessAction.VIEW,
        AccessAction.EXPORT,
        AccessAction.EXPORT,
        AccessAction.PRINT,
    ]
    assert all(entry.subject_ref == "" for entry in entries)
    assert all("Q1 2026" in entry.description for entry in entries)
    assert [entry.description.split("(")[1].split(")")[0] for entry in entries] == [
        "pagina",
        "CSV",
        "XLSX",
        "PDF-rapport",
    ]


def test_a_period_other_than_a_quarter_is_refused_and_keeps_the_input(programme):
    response = programme.get(
        reverse("monitor:dashboard"),
        {"soort": "aangepast", "jaar": "2031", "van": "2026-03-01", "tot": "2026-01-01"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "De monitor toont alleen kwartalen" in html
    assert 'value="2031"' in html
    # No default period is passed off as the one asked for: no figures at all.
    assert 'data-testid="geen-periode"' in html
    assert "data-table=" not in html


@pytest.mark.parametrize(
    "query",
    [
        {"soort": "kwartaal", "jaar": "2026", "kwartaal": "5"},
        {"soort": "jaar", "jaar": "2026"},
    ],
)
@pytest.mark.parametrize(
    "export", ["monitor:export_csv", "monitor:export_xlsx", "monitor:export_pdf"]
)
def test_an_invalid_period_exports_nothing(programme, query, export):
    response = programme.get(reverse(export), query)

    assert response.status_code == 400
    assert response.content.decode().startswith("Ongeldige periode:")


def test_the_exports_hold_the_figures_of_the_page(programme, settings):
    settings.MONITOR_K = 5
    spread_histories(15)
    data = monitor_data(periods.quarter(2026, 1))
    lead = {row["code"]: row for row in data["lead_times"]}["received:decided"]["cur"]
    assert not lead["suppressed"]

    rows = list(
        csv.reader(
            io.StringIO(
                programme.get(reverse("monitor:export_csv"), Q1).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert rows[0] == ["onderdeel", "regel", "maat", "Q1 2026", "Q4 2025"]
    median_row = next(
        row
        for row in rows
        if row[1] == "Melding ontvangen → Besluit opname" and row[2] == "mediaan"
    )
    assert float(median_row[3]) == lead["median"]

    response = programme.get(reverse("monitor:export_xlsx"), Q1)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[3] for row in values if row[1] == median_row[1] and row[2] == "mediaan"] == [
        lead["median"]
    ]

    rendered = render_report(data)
    assert rendered.content.startswith(b"%PDF")
    assert "<svg" in rendered.html
    assert str(lead["median"]).replace(".", ",") in rendered.html


def test_a_small_count_is_never_published(programme):
    # Three reports from teachers in Q1: below k (10), so neither the cell nor the total shows.
    spread_histories(3, end=date(2026, 3, 31))
    data = monitor_data(periods.quarter(2026, 1))
    for table in data["tables"]:
        for row in table["rows"]:
            for per in ("cur", "prev"):
                assert row[per] is None or row[per] == 0 or row[per] >= 10, (table["key"], row)
    csv_text = programme.get(reverse("monitor:export_csv"), Q1).content.decode("utf-8-sig")
    assert ";<k;" in csv_text or csv_text.endswith("<k\r\n")
