"""The search box takes whatever is typed or pasted: control characters never reach SQL.

PostgreSQL refuses a NUL in text; under CI this runs there, so the test proves the page answers.
"""

import pytest
from django.urls import reverse

from cases import services
from tests.cases.factories import CaseFactory, regisseur_user
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

URL = reverse("search:results")


@pytest.mark.parametrize(
    ("query", "same_as"),
    [
        ("naam\x00met nul", "naammet nul"),
        ("\x00", ""),
        ("Zoek\x00mans", "Zoekmans"),
        ("Zoek\x07mans", "Zoekmans"),
    ],
)
def test_control_characters_are_dropped_and_the_search_still_runs(client, query, same_as):
    regisseur = regisseur_user()
    case = CaseFactory(regisseur=regisseur)
    services.subject_update(case=case, actor=regisseur, last_name="Zoekmans")
    signed_in(client, regisseur)

    response = client.get(URL, {"q": query})
    clean = client.get(URL, {"q": same_as})

    assert response.status_code == 200
    assert "\x00" not in response.content.decode()
    assert response.context["query"] == same_as
    assert response.context["total"] == clean.context["total"]
    if same_as == "Zoekmans":
        assert response.context["total"] >= 1
