"""Issue 15: the base file exists for every admitted case, or the case page offers to start
it; the 'Basisdossier' button never leads to a 404."""

import pytest
from django.urls import reverse

from cases.models import BaseFile
from tests.cases.factories import CaseFactory
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


def test_a_case_without_a_base_file_offers_to_start_one_instead_of_a_dead_link(client):
    case = CaseFactory()
    BaseFile.objects.filter(case=case).delete()  # as cases loaded in bulk arrive
    signed_in(client, case.regisseur)

    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()

    assert f'href="{reverse("cases:base_file_edit", args=[case.pk])}"' not in page
    assert 'data-testid="base-file-start"' in page

    response = client.post(reverse("cases:base_file_start", args=[case.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:base_file_edit", args=[case.pk])
    assert client.get(response["Location"]).status_code == 200
    base_file = BaseFile.objects.get(case=case)
    assert base_file.history.get().history_user == case.regisseur


def test_starting_twice_keeps_the_first_base_file(client):
    case = CaseFactory()
    first = BaseFile.objects.get(case=case)
    signed_in(client, case.regisseur)

    client.post(reverse("cases:base_file_start", args=[case.pk]))

    assert list(BaseFile.objects.filter(case=case)) == [first]
