"""Issue 15: the known-person check starts filled in from the report, and a match links to its
report only when that report opens for the reader (reports_visible_to, the report page's rule)."""

import pytest
from django.urls import reverse

from intake.constants import CheckResult, Desk
from intake.models import PersonCheck
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


# --- The outcome, recorded on the report ---------------------------------------------------


def record(client, report, search: dict, **post):
    return client.post(
        reverse("intake:person_check_create", args=[report.pk]), {**search, **post}, follow=True
    )


def test_the_board_records_a_match_by_whom_and_when_with_history(client, time_machine):
    time_machine.move_to("2026-03-30 14:05 +02:00", tick=False)
    person = PersonDataFactory(first_name="Mohamed", last_name="El Amrani")
    earlier = ReportFactory(forwarded=True, persons=[person])
    report = ReportFactory(forwarded=True)
    board = board_user()
    signed_in(client, board)
    search = {"first_name": "Mohammed", "last_name": "el Amrani"}

    page = record(client, report, search, outcome=str(earlier.pk), note="Zelfde adres.")

    check = PersonCheck.objects.get(report=report)
    assert (check.result, check.matched_report, check.checked_by) == (
        CheckResult.KNOWN,
        earlier,
        board,
    )
    html = page.content.decode()
    assert "Uitkomst van de bekende-personencheck vastgelegd." in html
    assert "dezelfde persoon als in melding" in html and earlier.reference in html
    assert f"{board}, 30-03-2026 14:05" in html
    assert check.history.get().history_user == board


def test_no_match_is_recorded_too(client):
    report = ReportFactory(forwarded=True)
    signed_in(client, board_user())

    page = record(client, report, {"last_name": "Niemandsland"}, outcome="geen")

    check = PersonCheck.objects.get(report=report)
    assert (check.result, check.matched_report) == (CheckResult.NOT_KNOWN, None)
    assert "niet bekend in de aanpak" in page.content.decode()


@pytest.mark.parametrize(
    "tampered", ["outcome-outside-the-search", "no-outcome", "no-search", "absurd-id"]
)
def test_a_tampered_or_incomplete_outcome_is_refused_in_dutch_and_keeps_the_note(client, tampered):
    person = PersonDataFactory(first_name="Mohamed", last_name="El Amrani")
    earlier = ReportFactory(forwarded=True, persons=[person])
    elsewhere = ReportFactory(forwarded=True)  # someone else, not found by the search
    report = ReportFactory(forwarded=True)
    signed_in(client, board_user())
    search = {"first_name": "Mohammed", "last_name": "el Amrani"}
    post = {"outcome": str(elsewhere.pk), "note": "Mijn getypte toelichting"}
    if tampered == "no-outcome":
        post.pop("outcome")
    elif tampered == "no-search":
        search = {}
    elif tampered == "absurd-id":
        post["outcome"] = "1180591620717411303424"

    response = record(client, report, search, **post)

    assert response.status_code == 200
    assert not PersonCheck.objects.exists()
    html = response.content.decode()
    assert "Mijn getypte toelichting" in html
    assert any(
        message in html
        for message in (
            "Deze melding hoort niet bij de zoekresultaten; kies opnieuw.",
            "Kies de persoon die dezelfde is, of",
            "De zoekopdracht ontbrak; kies opnieuw uit de personen bij deze melding.",
        )
    )
    if tampered == "outcome-outside-the-search":
        assert earlier.reference in html  # the search is shown again, to choose from


def test_the_recorded_match_links_only_when_the_reader_may_open_that_report(client):
    person = PersonDataFactory(first_name="Mohamed", last_name="El Amrani")
    hidden = ReportFactory(desk=Desk.POLICE, persons=[person])
    report = ReportFactory(forwarded=True)
    signed_in(client, board_user())
    search = {"first_name": "Mohammed", "last_name": "el Amrani"}
    record(client, report, search, outcome=str(hidden.pk))
    assert PersonCheck.objects.get(report=report).matched_report == hidden

    page = client.get(reverse("intake:report_detail", args=[report.pk])).content.decode()

    assert hidden.reference in page
    assert f'href="{reverse("intake:report_detail", args=[hidden.pk])}"' not in page
