"""The report list and the report page run the same number of queries whatever the number of
reports, persons and information requests (asserted at two data sizes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from intake import services
from intake.constants import CheckResult, OtherApproach, ReportStatus
from tests.factories import OrganisationFactory
from tests.intake.factories import PersonDataFactory, ReportFactory, board_user, request_information
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


def forwarded_reports(count: int, *, persons: int, requests: int, stage=ReportStatus.FORWARDED):
    made = []
    for _ in range(count):
        report = ReportFactory(stage=stage, persons=PersonDataFactory.build_batch(persons))
        for n in range(requests):
            request_information(
                report,
                organisation=OrganisationFactory(),
                question=f"Vraag {n}",
                contact=f"Contactpersoon {n}",
            )
        made.append(report)
    return made


def queries_for(client, url: str) -> int:
    client.get(url)  # warm up: caches (content types) and the session's last-seen stamp
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_report_list_runs_a_fixed_number_of_queries(client):
    member = board_user()
    signed_in(client, member)
    url = reverse("intake:report_list")
    forwarded_reports(2, persons=1, requests=1)

    few = queries_for(client, url)
    many_reports = forwarded_reports(30, persons=3, requests=4)
    many = queries_for(client, url)

    print(f"report_list: {few} queries for 2 reports, {many} for 32 reports")
    html = client.get(url).content.decode()
    assert all(report.reference in html for report in many_reports)  # they were all shown
    assert html.count("4 open") == 30
    assert many == few


@pytest.mark.parametrize("stage", [ReportStatus.FORWARDED, ReportStatus.ADVISED])
def test_the_report_page_runs_a_fixed_number_of_queries(client, stage):
    member = board_user()
    signed_in(client, member)
    (small,) = forwarded_reports(1, persons=1, requests=1, stage=stage)
    (large,) = forwarded_reports(1, persons=15, requests=20, stage=stage)
    for report in (small, large):
        for approach in (OtherApproach.TOP600, OtherApproach.TOP400):
            services.approach_check_record(
                report=report, actor=member, approach=approach, result=CheckResult.NOT_KNOWN
            )

    few = queries_for(client, reverse("intake:report_detail", args=[small.pk]))
    many = queries_for(client, reverse("intake:report_detail", args=[large.pk]))

    print(
        f"report_detail ({stage}): {few} queries for 1 person and 1 request, {many} for 15 and 20"
    )
    html = client.get(reverse("intake:report_detail", args=[large.pk])).content.decode()
    assert all(escape(person.display_name) in html for person in large.persons.all())
    assert html.count("Contactpersoon") == 20
    assert many == few
