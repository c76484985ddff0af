"""Issue 15, bad input: absurd, negative or unknown values in a list's query string give the list
with a Dutch message on the filter, never a server error. On PostgreSQL a page number beyond
a bigint used to reach OFFSET and fail; SQLite runs these too, PostgreSQL when it is there."""

import pytest
from django.urls import reverse

from ipgar.accounts.constants import Role
from ipgar.lib.http import MAX_PAGE, choice_param, int_param, page_param
from tests.cases.factories import CaseFactory, regisseur_user
from tests.personas import persona, signed_in

pytestmark = pytest.mark.django_db

HUGE = "1180591620717411303424"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", (7, "")),
        ("12", (12, "")),
        ("abc", (7, "Vul een heel getal in.")),
        ("-3", (0, "Vul een getal van 0 of meer in; 0 is gebruikt.")),
        (HUGE, (365, "Vul een getal van ten hoogste 365 in; 365 is gebruikt.")),
    ],
)
def test_a_number_from_the_query_string_is_kept_between_its_bounds(typed, expected):
    assert int_param(typed, default=7, low=0, high=365) == expected


def test_a_page_number_is_one_for_rubbish_and_capped_for_absurd_numbers():
    assert page_param(None) == page_param("x") == page_param("-4") == 1
    assert page_param("999999999999999999999") == MAX_PAGE


def test_an_unknown_choice_is_dropped_with_a_message():
    assert choice_param("open", ["open", "dicht"], what="status") == ("open", "")
    assert choice_param("zzz", ["open"], what="status") == (
        "",
        "Onbekende status; alle worden getoond.",
    )


@pytest.mark.parametrize("value", [HUGE, "-5", "twaalf", "1e9"])
def test_the_report_list_answers_an_absurd_age_filter_with_a_dutch_message(client, value):
    persona(client, Role.INTAKE)

    response = client.get(reverse("intake:report_list"), {"ouder_dan": value})

    assert response.status_code == 200
    assert 'data-testid="filter-error"' in response.content.decode() or (
        "filter-leeftijd-fout" in response.content.decode()
    )


def test_the_report_list_names_an_unknown_status(client):
    persona(client, Role.INTAKE)

    response = client.get(reverse("intake:report_list"), {"status": "bestaat-niet", "page": HUGE})

    assert response.status_code == 200
    assert "Onbekende status" in response.content.decode()


@pytest.mark.parametrize("page", ["999999999999999999999", "-1", "nul", HUGE])
def test_the_case_list_survives_any_page_number(client, page):
    regisseur = regisseur_user()
    CaseFactory(regisseur=regisseur)
    signed_in(client, regisseur)

    response = client.get(reverse("cases:case_list"), {"page": page, "fase": "onzin"})

    assert response.status_code == 200
    assert "Onbekende fase" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["audit:access_log", "accounts:user_list", "cases:case_list", "intake:report_list"]
)
def test_paged_lists_survive_a_page_number_beyond_a_bigint(client, name):
    roles = {
        "audit:access_log": Role.PRIVACY_OFFICER,
        "accounts:user_list": Role.ADMINISTRATOR,
        "cases:case_list": Role.REGISSEUR,
        "intake:report_list": Role.INTAKE,
    }
    persona(client, roles[name])

    response = client.get(reverse(name), {"page": "999999999999999999999"})

    assert response.status_code == 200
