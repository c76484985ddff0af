"""The access log holds: a read whose log line cannot be written serves no data (NEN 7513).

Every page of the access matrix that shows a person's data is requested by a persona the matrix
allows, with the log write failing: the answer must be the Dutch error page, without the
person's name. On PostgreSQL the table itself refuses UPDATE and DELETE (a trigger), whoever
asks; that is proven in tests/ipgar/audit/test_access_log.py and once more here end to end.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction

from ipgar.audit.models import AccessLogEntry
from tests.security.matrix import GET, MATRIX, Row
from tests.security.test_access_matrix import url_for
from tests.security.world import PERSONAS

# The pages that read person data: an object of a person, or a list of them.
PERSON_TARGETS = {
    "case",
    "report",
    "intervention",
    "meeting",
    "pto_meeting",
    "item",
    "subject",
    "access_request",
    "woo_meeting",
}
# By URL name, or by row label where only a variant shows persons (a search with terms).
PERSON_LISTS = {
    "cases:case_list",
    "intake:report_list",
    "cases:partner_list",
    "cases:letters_overview",
    "privacy:emergency_list",
    "search:results GET ?q={case_name}",
    "search:results GET ?q={case_name}&partner",
    "search:results GET ?q={report_name}",
    "privacy:access_request_list GET ?zoek={case_name}",
}
# Pages of a person-data object that show no person data: nothing to log.
NO_PERSON_DATA = {
    "meetings:meeting_reschedule",  # the form names only the meeting
    "intake:person_search",  # the empty search form (tests/intake/test_access_log.py)
    "privacy:woo_meeting",  # the Woo preview: only the redacted text (tests/privacy/test_woo_*)
}
READS = [
    r
    for r in MATRIX
    if r.method == GET
    and r.allow
    and (r.target in PERSON_TARGETS or r.name in PERSON_LISTS or r.label in PERSON_LISTS)
    and r.name not in NO_PERSON_DATA
]


def _broken_log(*args, **kwargs):
    raise DatabaseError("toegangslog niet beschikbaar")


@pytest.mark.django_db
@pytest.mark.parametrize("row", READS, ids=lambda r: r.label)
def test_a_read_whose_log_line_fails_serves_no_data(row: Row, routes, world):
    persona = next(p for p in PERSONAS if p in row.allow)
    client = world.clients[persona]
    client.raise_request_exception = False
    name = world.main.case.subject.last_name
    report_name = world.markers["report_name"]
    url = url_for(row, routes, world)
    headers = {"HX-Request": "true", "HX-Target": "logboek"} if "htmx" in row.variant else {}
    try:
        with (
            transaction.atomic(),
            # Every way a log line is written: one at a time, or the persons shown in a list
            # in one bulk insert.
            mock.patch.object(AccessLogEntry, "save", side_effect=_broken_log),
            mock.patch.object(AccessLogEntry.objects, "create", side_effect=_broken_log),
            mock.patch.object(AccessLogEntry.objects, "bulk_create", side_effect=_broken_log),
        ):
            response = client.get(url, headers=headers)
            body = b"".join(response) if response.streaming else response.content
            transaction.set_rollback(True)
    finally:
        client.raise_request_exception = True
    # A redirect (the page refused by state) carries no data; anything else must be the 500.
    if response.status_code != 302:
        assert response.status_code == 500, f"{row.label}: {response.status_code} without a log"
        assert b"Er ging iets mis" in body, body[:300]  # the Dutch error page
    assert name.encode() not in body and report_name.encode() not in body


@pytest.mark.postgres
@pytest.mark.django_db
def test_on_postgresql_the_table_refuses_update_and_delete_whoever_asks():
    from ipgar.audit.constants import AccessAction
    from ipgar.audit.services import access_log_record
    from tests.factories import UserFactory

    entry = access_log_record(
        actor=UserFactory(), action=AccessAction.VIEW, object_type="cases.case", object_id=1
    )
    for sql in (
        "UPDATE audit_accesslogentry SET username = 'x' WHERE id = %s",
        "DELETE FROM audit_accesslogentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AccessLogEntry.objects.filter(pk=entry.pk, username=entry.username).exists()
