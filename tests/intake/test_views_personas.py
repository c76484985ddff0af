"""Every intake view with every persona: the desk that owns the report, the Voorportaal that
assesses it, a viewer trying to write (403), an outsider (404 on a report, 403 on role-wide
pages) and anonymous (to the login page)."""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils.html import escape

from intake import urls as intake_urls
from intake.constants import Desk, ReportStatus
from intake.models import Assessment, FrameworkQuestion, Report
from intake.permissions import ASSESSABLE
from ipgar.accounts.constants import Role
from tests.factories import UserFactory
from tests.intake.factories import (
    ReportFactory,
    board_user,
    current_framework,
    desk_user,
    request_information,
)
from tests.personas import assert_redirects_to_login, signed_in

pytestmark = pytest.mark.django_db

INTAKE_ROLES = {Role.INTAKE, Role.POLICE_INTAKE, Role.ASSESSMENT_BOARD}
OUTSIDER_ROLES = sorted(set(Role.values) - INTAKE_ROLES)


@dataclass(frozen=True)
class View:
    name: str
    method: str = "get"


# Pages about one report: an outsider gets 404 (the report does not exist for them).
TRIAGE = View("report_triage")
DETAIL = View("report_detail")
# The Voorportaal's pages: the desk may see the report but not change it (403).
ASSESSMENT_VIEWS = [
    View("assessment_edit"),
    View("information_request_create"),
    View("information_request_answer"),
    View("person_search"),
    View("approach_check_create"),
    View("person_check_create", "post"),
    View("report_advise"),
    View("report_mark_ready", "post"),
    View("report_reopen", "post"),
]
CORRECT = View("report_correct")  # the desk's, before triage (test_report_correct.py)
REPORT_VIEWS = [DETAIL, TRIAGE, CORRECT, *ASSESSMENT_VIEWS]
# Role-wide pages without a specific report: a user without the role gets 403.
ROLE_WIDE_VIEWS = [View("report_list"), View("report_create")]
FRAMEWORK_VIEWS = [
    View("framework_list"),
    View("framework_detail"),
    View("framework_copy", "post"),
    View("framework_activate", "post"),
    View("framework_question_create"),
    View("framework_question_update"),
]
ALL_VIEWS = [*REPORT_VIEWS, *ROLE_WIDE_VIEWS, *FRAMEWORK_VIEWS]


def test_every_view_of_intake_is_in_this_file():
    names = {pattern.name for pattern in intake_urls.urlpatterns}

    assert {view.name for view in ALL_VIEWS} == names


def url_for(view: View, report: Report | None = None) -> str:
    name = f"intake:{view.name}"
    if view.name == "framework_list":
        return reverse(name)
    if view in FRAMEWORK_VIEWS:
        version = current_framework()
        if view.name == "framework_question_update":
            question = FrameworkQuestion.objects.filter(section__version=version).first()
            return reverse(name, args=[version.pk, question.pk])
        return reverse(name, args=[version.pk])
    if view in ROLE_WIDE_VIEWS:
        return reverse(name)
    if view.name == "information_request_answer":
        info = report.information_requests.first()
        if info is None and report.status in ASSESSABLE:
            info = request_information(report)
        # A report outside the assessment has no requests: any request number will do.
        return reverse(name, args=[report.pk, info.pk if info else 1])
    return reverse(name, args=[report.pk])


def hit(client, view: View, report: Report | None = None, data=None):
    url = url_for(view, report)
    if view.method == "post":
        return client.post(url, data or {})
    return client.get(url)


@pytest.fixture
def forwarded():
    """A report at the Voorportaal with an open information request."""
    report = ReportFactory(forwarded=True)
    request_information(report)
    return report


# --- Anonymous ------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ALL_VIEWS, ids=lambda v: v.name)
def test_anonymous_is_sent_to_the_login_page(client, forwarded, view):
    response = hit(client, view, forwarded)

    assert_redirects_to_login(response)


# --- Outsiders: no intake role ----------------------------------------------------------------


@pytest.mark.parametrize("role", OUTSIDER_ROLES)
@pytest.mark.parametrize("view", REPORT_VIEWS, ids=lambda v: v.name)
def test_a_user_without_an_intake_role_gets_404_on_report_pages(client, forwarded, view, role):
    signed_in(client, UserFactory(roles=[role]))

    response = hit(client, view, forwarded)

    assert response.status_code == 404


@pytest.mark.parametrize("role", OUTSIDER_ROLES)
@pytest.mark.parametrize("view", ROLE_WIDE_VIEWS, ids=lambda v: v.name)
def test_a_user_without_an_intake_role_gets_403_on_role_wide_pages(client, view, role):
    signed_in(client, UserFactory(roles=[role]))

    response = hit(client, view)

    assert response.status_code == 403


# --- The desk ---------------------------------------------------------------------------------


class TestTheDesk:
    def test_it_sees_its_reports_in_the_list_and_on_their_pages(self, client):
        report = ReportFactory()
        signed_in(client, desk_user())

        listing = client.get(url_for(View("report_list")))
        detail = client.get(url_for(DETAIL, report))
        triage = client.get(url_for(TRIAGE, report))

        assert listing.status_code == 200
        assert report.reference in listing.content.decode()
        assert detail.status_code == 200
        assert escape(report.persons.get().display_name) in detail.content.decode()
        assert triage.status_code == 200

    def test_it_may_register_a_report(self, client):
        signed_in(client, desk_user(Desk.POLICE))

        assert client.get(url_for(View("report_create"))).status_code == 200

    @pytest.mark.parametrize(
        ("own", "other"), [(Desk.MAP, Desk.POLICE), (Desk.POLICE, Desk.MAP)], ids=["map", "police"]
    )
    @pytest.mark.parametrize("view", [DETAIL, TRIAGE], ids=lambda v: v.name)
    def test_it_gets_404_on_the_reports_of_the_other_desk(self, client, own, other, view):
        theirs = ReportFactory(desk=other)
        signed_in(client, desk_user(own))

        assert hit(client, view, theirs).status_code == 404
        assert theirs.reference not in client.get(url_for(View("report_list"))).content.decode()

    def test_it_still_sees_a_report_it_forwarded(self, client, forwarded):
        signed_in(client, desk_user())

        response = client.get(url_for(DETAIL, forwarded))

        assert response.status_code == 200
        assert forwarded.reference in client.get(url_for(View("report_list"))).content.decode()

    @pytest.mark.parametrize("view", ASSESSMENT_VIEWS, ids=lambda v: v.name)
    def test_it_gets_403_on_the_assessment_pages_of_a_report_it_may_see(
        self, client, forwarded, view
    ):
        signed_in(client, desk_user())

        assert hit(client, view, forwarded).status_code == 403

    def test_writing_an_assessment_is_refused_and_stores_nothing(self, client, forwarded):
        signed_in(client, desk_user())

        response = client.post(
            url_for(View("assessment_edit"), forwarded), {"summary": "Door de balie"}
        )

        assert response.status_code == 403
        assert not Assessment.objects.exists()
        forwarded.refresh_from_db()
        assert forwarded.status == ReportStatus.FORWARDED


# --- The assessment board (Voorportaal) ---------------------------------------------------------


class TestTheBoard:
    @pytest.mark.parametrize("view", REPORT_VIEWS, ids=lambda v: v.name)
    def test_it_gets_404_on_a_report_that_was_not_forwarded(self, client, view):
        registered = ReportFactory()
        signed_in(client, board_user())

        assert hit(client, view, registered).status_code == 404

    def test_its_list_shows_forwarded_reports_only(self, client, forwarded):
        registered = ReportFactory()
        signed_in(client, board_user())

        html = client.get(url_for(View("report_list"))).content.decode()

        assert forwarded.reference in html
        assert registered.reference not in html

    def test_it_may_not_register_a_report(self, client):
        signed_in(client, board_user())

        assert client.get(url_for(View("report_create"))).status_code == 403

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_it_gets_403_on_triage(self, client, forwarded, method):
        signed_in(client, board_user())

        response = getattr(client, method)(
            url_for(TRIAGE, forwarded), {"outcome": "geen_zorg", "reasoning": "Geen zorg."}
        )

        assert response.status_code == 403
        forwarded.refresh_from_db()
        assert forwarded.status == ReportStatus.FORWARDED

    @pytest.mark.parametrize(
        "view",
        [
            DETAIL,
            View("assessment_edit"),
            View("information_request_create"),
            View("information_request_answer"),
            View("person_search"),
            View("approach_check_create"),
        ],
        ids=lambda v: v.name,
    )
    def test_it_opens_the_pages_of_a_forwarded_report(self, client, forwarded, view):
        signed_in(client, board_user())

        assert hit(client, view, forwarded).status_code == 200

    def test_it_assesses_a_forwarded_report(self, client, forwarded):
        member = board_user()
        signed_in(client, member)

        response = client.post(
            url_for(View("assessment_edit"), forwarded),
            {"risk_groups": ["4"], "ideology": "rechts", "summary": "Eerste duiding."},
        )

        assert response.status_code == 302
        forwarded.refresh_from_db()
        assert forwarded.status == ReportStatus.IN_ASSESSMENT
        assert forwarded.history.first().history_user == member
        assert forwarded.assessment.summary == "Eerste duiding."

    def test_it_opens_the_advice_page_while_assessing(self, client):
        report = ReportFactory(in_assessment=True)
        signed_in(client, board_user())

        assert client.get(url_for(View("report_advise"), report)).status_code == 200

    def test_it_marks_an_advised_report_ready_for_decision(self, client):
        report = ReportFactory(advised=True)
        member = board_user()
        signed_in(client, member)

        response = client.post(url_for(View("report_mark_ready"), report))

        assert response.status_code == 302
        report.refresh_from_db()
        assert report.status == ReportStatus.READY_FOR_DECISION
        assert report.history.first().history_user == member

    def test_it_reopens_the_assessment_of_an_advised_report(self, client):
        report = ReportFactory(advised=True)
        member = board_user()
        signed_in(client, member)

        response = client.post(url_for(View("report_reopen"), report))

        assert response.status_code == 302
        report.refresh_from_db()
        assert report.status == ReportStatus.IN_ASSESSMENT
        assert report.history.first().history_user == member

    @pytest.mark.parametrize(
        "view",
        [View("report_advise"), View("report_mark_ready", "post"), View("report_reopen", "post")],
        ids=lambda v: v.name,
    )
    def test_it_gets_403_on_steps_the_report_is_not_ready_for(self, client, forwarded, view):
        signed_in(client, board_user())

        assert hit(client, view, forwarded).status_code == 403
        forwarded.refresh_from_db()
        assert forwarded.status == ReportStatus.FORWARDED


# --- The assessment framework: functional administrator only ------------------------------------


@pytest.mark.parametrize("view", FRAMEWORK_VIEWS, ids=lambda v: v.name)
def test_the_functional_administrator_opens_the_framework_pages(client, view):
    signed_in(client, UserFactory(roles=[Role.ADMINISTRATOR]))

    response = hit(client, view, data={"version": "2099-concept"})

    assert response.status_code == (302 if view.method == "post" else 200)


@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.ADMINISTRATOR}))
@pytest.mark.parametrize("view", FRAMEWORK_VIEWS, ids=lambda v: v.name)
def test_everyone_else_gets_403_on_the_framework_pages(client, view, role):
    signed_in(client, UserFactory(roles=[role]))
    current = current_framework()

    response = hit(client, view, data={"version": "2099-concept"})

    assert response.status_code == 403
    assert current_framework() == current
