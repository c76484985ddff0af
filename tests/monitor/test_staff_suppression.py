"""Issue 20 point 9: staff are counted like persons. An organisation with one regisseur would
otherwise publish "regisseurs 1" and with it that colleague's fte, capacity and load, on the
page and in the CSV."""

import csv
import html as html_lib
import io
import re

import pytest
from django.urls import reverse

from ipgar.accounts.constants import Role
from ipgar.accounts.models import Organisation
from monitor.exports import SUPPRESSED
from tests.monitor.factories import regisseur
from tests.personas import persona

pytestmark = pytest.mark.django_db

Q1 = {"soort": "kwartaal", "jaar": "2026", "kwartaal": "1"}
K = 5


@pytest.fixture
def staff(settings):
    settings.MONITOR_K = K
    # One regisseur at RN with a telling fte; two organisations of k regisseurs or more.
    regisseur("RN", fte="0.65")
    for _ in range(K + 1):
        regisseur("OOV")
    for _ in range(K + 2):
        regisseur("GGD", fte="0.9")
    return Organisation.objects.get(code="RN").name


def _row_cells(html: str, organisation: str) -> list[str]:
    table = html[html.index('data-testid="caseload"') :]
    row = re.search(rf'<tr data-organisation="{re.escape(organisation)}">(.*?)</tr>', table, re.S)
    assert row, organisation
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    return [html_lib.unescape(cell.strip()) for cell in cells]


def test_an_organisation_with_one_regisseur_shows_neither_the_count_nor_the_fte(client, staff):
    client, _user = persona(client, Role.PROGRAMME_TEAM)
    html = client.get(reverse("monitor:dashboard"), Q1).content.decode()
    regisseurs, fte, capacity, _active, load = _row_cells(html, staff)
    assert (regisseurs, fte, capacity, load) == (SUPPRESSED,) * 4
    assert "0.65" not in html and "0,65" not in html

    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("monitor:export_csv"), Q1).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    published = {row[2]: row[3] for row in rows if row[1] == staff}
    for measure in ("regisseurs", "fte", "capaciteit", "belasting %"):
        assert published[measure] == SUPPRESSED, (measure, published)
    assert not [row for row in rows if "0.65" in row or "0,65" in row]
