"""The interface speaks Dutch, also to a browser that asks for English."""

import pytest
from django.urls import reverse

from tests.personas import persona


@pytest.mark.django_db
def test_a_browser_asking_for_english_still_gets_dutch_dates_and_errors(client):
    client, _ = persona(client, "functioneel_beheer")

    page = client.post(
        reverse("accounts:user_create"), {"username": ""}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()

    assert "Dit veld is verplicht." in page
    assert "This field is required." not in page


DUTCH_DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
ENGLISH_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@pytest.mark.django_db
def test_mijn_werk_shows_a_dutch_day_name_to_an_english_browser(client):
    client, _ = persona(client, "regisseur")

    page = client.get(reverse("core:my_work"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    text = page.content.decode()
    assert any(day in text for day in DUTCH_DAYS)
    assert not any(day in text for day in ENGLISH_DAYS)
