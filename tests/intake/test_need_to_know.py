"""Need-to-know: nobody outside the desk and the Voorportaal sees intake data, not on report
pages, not in lists, searches or counts; a global model permission opens nothing; guessing
or counting up report numbers finds nothing."""

import pytest
from django.contrib.auth.models import Permission
from django.http import Http404
from django.urls import reverse

from intake import selectors
from intake.constants import Desk, ReportStatus
from intake.models import Report
from intake.permissions import get_report_for_assessment, get_report_for_user
from ipgar.accounts.constants import Role
from ipgar.accounts.models import User
from tests.factories import UserFactory
from tests.intake.factories import (
    PersonDataFactory,
    ReportFactory,
    board_user,
    desk_user,
    request_information,
)
from tests.intake.test_views_personas import OUTSIDER_ROLES, REPORT_VIEWS, View, hit
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

LIST_URL = reverse("intake:report_list")
ALL_STAGES = list(ReportStatus.values)


@pytest.fixture
def reports() -> list[Report]:
    """A report in every state, at both desks; the forwarded one has an information request."""
    made = [ReportFactory(stage=stage) for stage in ALL_STAGES]
    made.append(ReportFactory(desk=Desk.POLICE, forwarded=True))
    request_information(next(r for r in made if r.status == ReportStatus.FORWARDED))
    return made


def assert_sees_nothing(user: User, reports: list[Report]) -> None:
    """Selectors and accessors, the layer every page, list, search and counter goes through."""
    assert not selectors.report_list_for_user(user, include_closed=True).exists()
    assert set(selectors.status_counts_for_user(user).values()) == {0}
    for report in reports:
        with pytest.raises(Http404):
            get_report_for_user(user, report.pk)
        with pytest.raises(Http404):
            get_report_for_assessment(user, report.pk)


def test_the_desk_and_board_do_see_the_reports_these_tests_hide(reports):
    """The control group: without it, every 'sees nothing' below could pass vacuously."""
    desk, board = desk_user(), board_user()
    visible_to_desk = selectors.report_list_for_user(desk, include_closed=True)
    visible_to_board = selectors.report_list_for_user(board, include_closed=True)

    assert visible_to_desk.count() == len(ALL_STAGES)
    # The board: every state but registered, closed and handed over, at both desks.
    assert visible_to_board.count() == len(ALL_STAGES) - 3 + 1
    assert sum(selectors.status_counts_for_user(board).values()) == visible_to_board.count()


class TestAUserOutsideTheDeskAndBoard:
    @pytest.mark.parametrize("role", OUTSIDER_ROLES)
    def test_sees_no_report_in_lists_searches_or_counts(self, reports, role):
        assert_sees_nothing(UserFactory(roles=[role]), reports)

    @pytest.mark.parametrize("stage", ALL_STAGES)
    def test_gets_404_on_a_report_in_any_state(self, client, reports, stage):
        report = next(r for r in reports if r.status == stage)
        signed_in(client, UserFactory(roles=[Role.REGISSEUR]))

        for view in REPORT_VIEWS:
            assert hit(client, view, report).status_code == 404, view.name

    def test_gets_404_on_the_person_search_with_a_name_that_exists(self, client, reports):
        forwarded = next(r for r in reports if r.status == ReportStatus.FORWARDED)
        person = forwarded.persons.get()
        signed_in(client, UserFactory(roles=[Role.ADVISORY_MEMBER]))

        response = client.get(
            reverse("intake:person_search", args=[forwarded.pk]),
            {"last_name": person.last_name, "bsn": person.bsn},
        )

        assert response.status_code == 404
        assert person.bsn not in response.content.decode()

    def test_gets_no_list_at_all(self, client, reports):
        signed_in(client, UserFactory(roles=[Role.PROGRAMME_TEAM]))

        assert client.get(LIST_URL).status_code == 403


class TestTheOtherDeskAndTheBoardInTheirOwnList:
    def test_the_police_desk_sees_none_of_the_map_reports_nor_counts_them(self, client):
        map_reports = [
            ReportFactory(persons=[PersonDataFactory(last_name="Onzichtbaar-Meijer")]),
            ReportFactory(forwarded=True, persons=[PersonDataFactory(last_name="Verborgen")]),
        ]
        signed_in(client, desk_user(Desk.POLICE))

        response = client.get(LIST_URL)

        html = response.content.decode()
        for report in map_reports:
            assert report.reference not in html
            assert report.persons.get().last_name not in html
        for status in (ReportStatus.REGISTERED, ReportStatus.FORWARDED):
            assert f'<span data-testid="count-{status}">0</span>' in html

    def test_the_board_neither_sees_nor_counts_a_report_that_was_not_forwarded(self, client):
        registered = ReportFactory()
        forwarded = ReportFactory(forwarded=True)
        signed_in(client, board_user())

        html = client.get(LIST_URL).content.decode()
        filtered = client.get(LIST_URL, {"status": ReportStatus.REGISTERED}).content.decode()

        assert forwarded.reference in html
        assert registered.reference not in html + filtered
        assert f'<span data-testid="count-{ReportStatus.REGISTERED}">0</span>' in html
        assert f'<span data-testid="count-{ReportStatus.FORWARDED}">1</span>' in html


def with_global_intake_permissions(**fields) -> User:
    user = UserFactory(**fields)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="intake",
            codename__in=["view_report", "change_report", "assess_report"],
        )
    )
    user = User.objects.get(pk=user.pk)  # a fresh permission cache
    assert user.has_perm("intake.view_report")
    assert user.has_perm("intake.change_report")
    assert user.has_perm("intake.assess_report")
    return user


class TestGlobalModelPermissionsOpenNothing:
    def test_a_user_with_only_global_permissions_sees_nothing(self, client, reports):
        user = with_global_intake_permissions()
        signed_in(client, user)

        assert_sees_nothing(user, reports)
        for report in reports:
            assert client.get(reverse("intake:report_detail", args=[report.pk])).status_code == 404

    def test_a_superuser_without_a_role_sees_nothing_either(self, client, reports):
        user = UserFactory(is_superuser=True, is_staff=True)
        assert user.has_perm("intake.view_report")
        signed_in(client, user)

        assert_sees_nothing(user, reports)
        assert client.get(LIST_URL).status_code == 403
        for report in reports:
            assert client.get(reverse("intake:report_detail", args=[report.pk])).status_code == 404

    def test_a_board_member_with_global_permissions_still_sees_only_forwarded_reports(self, client):
        registered = ReportFactory()
        forwarded = ReportFactory(forwarded=True)
        user = with_global_intake_permissions()
        user.groups.add(board_user().groups.get())
        signed_in(client, User.objects.get(pk=user.pk))

        listing = client.get(LIST_URL).content.decode()
        detail = client.get(reverse("intake:report_detail", args=[registered.pk]))
        triage = client.get(reverse("intake:report_triage", args=[registered.pk]))
        triage_forwarded = client.get(reverse("intake:report_triage", args=[forwarded.pk]))

        assert forwarded.reference in listing
        assert registered.reference not in listing
        assert detail.status_code == 404
        assert triage.status_code == 404
        assert triage_forwarded.status_code == 403  # sees it, may not change it


class TestGuessedNumbers:
    @pytest.mark.parametrize("view", REPORT_VIEWS, ids=lambda v: v.name)
    def test_the_next_number_after_ones_own_report_is_404(self, client, view):
        own = ReportFactory(forwarded=True)
        other_desk = ReportFactory(desk=Desk.POLICE, forwarded=True)
        signed_in(client, desk_user())

        assert hit(client, View("report_detail"), own).status_code == 200
        assert hit(client, view, other_desk).status_code == 404
        next_number = Report(pk=own.pk + 1)  # the other desk's report, or nothing at all
        assert hit(client, view, next_number).status_code == 404

    @pytest.mark.parametrize("offset", [1, 1000])
    def test_a_number_that_does_not_exist_is_404_like_one_that_does(self, client, offset):
        report = ReportFactory(forwarded=True)
        signed_in(client, board_user())
        url = reverse("intake:report_detail", args=[report.pk + offset])

        response = client.get(url)

        assert response.status_code == 404
