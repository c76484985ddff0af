"""The search page runs the same number of queries whether it finds 1 or 30 of each kind."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from intake.constants import Desk
from ipgar.accounts.constants import Role
from tests.cases.factories import CaseFactory, regisseur_user
from tests.factories import UserFactory
from tests.intake.factories import PersonDataFactory, ReportFactory
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

URL = reverse("search:results")
BORN = date(1977, 7, 17)


def queries_for(client, query: str) -> tuple[int, int]:
    client.get(URL, {"q": query})  # warm up: content types and the session's last-seen stamp
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, {"q": query})
    assert response.status_code == 200
    return len(captured), response.context["total"]


def add_cases(regisseur, count: int) -> None:
    for _ in range(count):
        case = CaseFactory(regisseur=regisseur)
        services.subject_update(
            case=case, actor=regisseur, last_name="Zoekmans", date_of_birth=BORN
        )


def test_a_regisseur_s_search_runs_the_same_queries_for_1_and_30_cases(client):
    regisseur = regisseur_user()
    signed_in(client, regisseur)
    add_cases(regisseur, 1)
    few, found_few = queries_for(client, "Zoekmans")

    add_cases(regisseur, 29)
    many, found_many = queries_for(client, "Zoekmans")
    by_date, _ = queries_for(client, "17-07-1977")

    print(f"\nsearch (regisseur): {few} queries for {found_few} results, {many} for {found_many}")
    assert (found_few, found_many) == (2, 50)  # persons and cases; 25 each, then 'more'
    assert many == few == by_date


def test_the_intake_desk_s_search_runs_the_same_queries_for_1_and_30_reports(client):
    desk = UserFactory(roles=[Role.INTAKE])
    signed_in(client, desk)

    def add_reports(count):
        for _ in range(count):
            ReportFactory(
                registered_by=desk,
                desk=Desk.MAP,
                persons=[PersonDataFactory(last_name="Zoekmans"), PersonDataFactory()],
            )

    add_reports(1)
    few, found_few = queries_for(client, "Zoekmans")
    add_reports(29)
    many, found_many = queries_for(client, "Zoekmans")

    print(f"\nsearch (intake): {few} queries for {found_few} results, {many} for {found_many}")
    assert found_few == 2 and found_many > found_few
    assert many == few
