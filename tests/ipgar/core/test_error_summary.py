"""Issue 15: a form with errors opens with a summary that links to each field; required
fields are starred; an empty choice says 'Kies …', never '---------'."""

import pytest
from django.urls import reverse

from ipgar.accounts.constants import Role
from tests.personas import persona

pytestmark = pytest.mark.django_db


def test_a_refused_form_lists_its_errors_with_links_to_the_fields(client):
    persona(client, Role.INTAKE)

    response = client.post(
        reverse("intake:report_create"),
        {"personen-TOTAL_FORMS": "0", "personen-INITIAL_FORMS": "0"},
    )

    page = response.content.decode()
    assert 'data-testid="error-summary"' in page
    assert 'href="#id_received_at"' in page and 'id="id_received_at"' in page
    assert "asteriskField" in page  # required fields carry the star
    assert "---------" not in page


def test_an_empty_choice_reads_kies(client):
    persona(client, Role.ADMINISTRATOR)

    page = client.get(reverse("accounts:user_create")).content.decode()

    assert "---------" not in page
    assert "Kies …" in page
