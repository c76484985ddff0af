"""Issue 15: the known-person check starts filled in from the report, and a match links to its
report only when that report opens for the reader (reports_visible_to, the report page's rule)."""

import pytest
from django.urls import reverse

from intake.constants import Desk
from tests.intake.factories import PersonDataFactory, ReportFactory, board_user
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


def test_the_check_is_prefilled_from_the_report_s_person(client):
    report = ReportFactory(forwarded=True, persons=[PersonDataFactory(last_name="Bakkali")])
    signed_in(client, board_user())

    page = client.get(reverse("intake:report_detail", args=[report.pk])).content.decode()

    assert 'value="Bakkali"' in page
    assert f'value="{report.persons.get().bsn}"' in page


def test_a_match_links_to_its_report_only_when_the_reader_may_open_it(client):
    person = PersonDataFactory(first_name="Mohamed", last_name="El Amrani")
    visible = ReportFactory(forwarded=True, persons=[person])
    hidden = ReportFactory(desk=Desk.POLICE, persons=[PersonDataFactory(**{**person.__dict__})])
    report = ReportFactory(forwarded=True)
    signed_in(client, board_user())

    page = client.get(
        reverse("intake:person_search", args=[report.pk]),
        {"first_name": "Mohammed", "last_name": "el Amrani"},
    ).content.decode()

    assert visible.reference in page and hidden.reference in page
    assert f'href="{reverse("intake:report_detail", args=[visible.pk])}"' in page
    assert f'href="{reverse("intake:report_detail", args=[hidden.pk])}"' not in page
    assert "% overeenkomst" in page


def test_risk_groups_read_as_their_labels():
    from intake.templatetags.intake_labels import risk_group_labels

    assert risk_group_labels([2, 4]).startswith("2. Ronselaars")
    assert "; 4. Personen en groepen" in risk_group_labels([2, 4])
    assert risk_group_labels([]) == "—"
