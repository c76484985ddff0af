"""Issue 20 point 9: the logbook accepted 1,000,000 characters. Free text has a sensible
maximum (logbook 20,000 characters) and a Dutch error that keeps what was typed."""

import pytest
from django.utils import timezone

from cases.models import LogEntry
from tests.cases.factories import CaseFactory
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


def test_a_million_characters_are_refused_in_dutch(client):
    case = CaseFactory(in_execution=True)
    signed_in(client, case.regisseur)
    text = "Gesprek gevoerd. " + "x" * 1_000_000
    response = client.post(
        f"/casussen/{case.pk}/logboek/",
        {"at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "kind": "telefoon", "text": text},
    )
    html = response.content.decode()
    assert "niet meer dan 20000 tekens" in html
    assert "Gesprek gevoerd." in html
    assert not LogEntry.objects.filter(case=case, text__startswith="Gesprek gevoerd.").exists()


def test_twenty_thousand_characters_are_accepted(client):
    case = CaseFactory(in_execution=True)
    signed_in(client, case.regisseur)
    client.post(
        f"/casussen/{case.pk}/logboek/",
        {
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "kind": "telefoon",
            "text": "y" * 20_000,
        },
    )
    assert LogEntry.objects.filter(case=case, text="y" * 20_000).exists()
