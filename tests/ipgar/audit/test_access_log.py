"""The access log: append-only in code and database, searchable by the privacy officer."""

from datetime import timedelta

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from ipgar.audit.constants import AccessAction
from ipgar.audit.models import AccessLogEntry, AppendOnlyError
from ipgar.audit.services import access_log_record, subject_reference
from ipgar.lib.http import search_param
from tests.cases.factories import open_case
from tests.factories import OrganisationFactory, UserFactory
from tests.personas import assert_redirects_to_login, persona

ACCESS_LOG_URL = "/toegangslog/"

pytestmark = pytest.mark.django_db


def make_entry(*, username="fvdberg", subject_ref="subject:5001", action=AccessAction.VIEW):
    user = UserFactory(username=username)
    return access_log_record(
        actor=user, action=action, object_type="cases.case", object_id=7, subject_ref=subject_ref
    )


def refused_by_the_database(sql: str, params=()) -> str:
    """Run raw SQL in a savepoint; return the database's refusal (fails if it was accepted)."""
    with (
        pytest.raises(DatabaseError) as refusal,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
    return str(refusal.value)


class TestAppendOnlyInTheCode:
    def test_saving_an_existing_row_again_is_refused(self):
        entry = make_entry()
        entry.username = "iemand-anders"

        with pytest.raises(AppendOnlyError):
            entry.save()

        assert AccessLogEntry.objects.get(pk=entry.pk).username == "fvdberg"

    def test_deleting_a_row_is_refused(self):
        entry = make_entry()

        with pytest.raises(AppendOnlyError):
            entry.delete()

        assert AccessLogEntry.objects.filter(pk=entry.pk).exists()

    def test_a_queryset_update_is_refused(self):
        entry = make_entry()

        with pytest.raises(AppendOnlyError):
            AccessLogEntry.objects.filter(pk=entry.pk).update(username="iemand-anders")

        assert AccessLogEntry.objects.get(pk=entry.pk).username == "fvdberg"

    def test_a_queryset_delete_is_refused(self):
        make_entry()

        with pytest.raises(AppendOnlyError):
            AccessLogEntry.objects.all().delete()

        assert AccessLogEntry.objects.count() == 1

    def test_adding_rows_is_allowed(self):
        make_entry(username="een")
        make_entry(username="twee")

        assert AccessLogEntry.objects.count() == 2


class TestAppendOnlyInTheDatabase:
    def test_a_raw_update_is_refused_by_the_trigger(self):
        entry = make_entry()

        refusal = refused_by_the_database(
            "UPDATE audit_accesslogentry SET username = %s WHERE id = %s",
            ["iemand-anders", entry.pk],
        )

        assert "alleen-toevoegen" in refusal
        assert AccessLogEntry.objects.get(pk=entry.pk).username == "fvdberg"

    def test_a_raw_delete_is_refused_by_the_trigger(self):
        entry = make_entry()

        refusal = refused_by_the_database(
            "DELETE FROM audit_accesslogentry WHERE id = %s", [entry.pk]
        )

        assert "alleen-toevoegen" in refusal
        assert AccessLogEntry.objects.filter(pk=entry.pk).exists()

    def test_a_raw_insert_is_allowed(self):
        make_entry()

        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO audit_accesslogentry (at, username, roles, organisation, action, "
                "object_type, object_id, subject_ref, description, path) "
                "VALUES (%s, 'x', '', '', 'view', 'cases.case', '', '', '', '')",
                [timezone.now()],
            )

        assert AccessLogEntry.objects.count() == 2

    @pytest.mark.postgres
    def test_postgresql_also_refuses_truncate(self):
        make_entry()

        with connection.cursor() as cursor:
            # Run the deferred foreign-key checks now: PostgreSQL refuses to truncate a table
            # with pending trigger events, which would hide what this test is about.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

        refusal = refused_by_the_database("TRUNCATE audit_accesslogentry")

        assert "TRUNCATE geweigerd" in refusal
        assert AccessLogEntry.objects.count() == 1


class TestRecording:
    def test_it_records_who_in_which_role_and_organisation_what_about_whom_from_where(self, rf):
        organisation = OrganisationFactory(name="Openbare Orde en Veiligheid Test")
        actor = UserFactory(
            username="fvdberg", organisation=organisation, roles=["regisseur", "itatr_lid"]
        )
        subject_of_the_file = OrganisationFactory()  # any model instance stands in for a case
        request = rf.get("/casussen/7/?tab=logboek", REMOTE_ADDR="192.0.2.15")

        entry = access_log_record(
            request=request,
            actor=actor,
            action=AccessAction.VIEW,
            obj=subject_of_the_file,
            subject_ref=subject_reference("subject", 12),
            description="Basisdossier bekeken",
        )

        entry.refresh_from_db()
        assert entry.user == actor
        assert entry.username == "fvdberg"
        assert entry.roles == "itatr_lid,regisseur"
        assert entry.organisation == "Openbare Orde en Veiligheid Test"
        assert entry.action == AccessAction.VIEW
        assert entry.object_type == "accounts.organisation"
        assert entry.object_id == str(subject_of_the_file.pk)
        assert entry.subject_ref == "subject:12"
        assert entry.description == "Basisdossier bekeken"
        assert entry.path == "/casussen/7/?tab=logboek"
        assert entry.ip_address == "192.0.2.15"
        assert entry.at is not None

    @pytest.mark.parametrize(
        ("url", "kept"),
        [
            ("/casussen/?q=Jansen&fase=basisdossier", "/casussen/?q=verborgen&fase=basisdossier"),
            ("/casussen/7/?zoek=moeder+van+Daan&page=2", "/casussen/7/?zoek=verborgen&page=2"),
            ("/casussen/7/?soort=telefoon", "/casussen/7/?soort=telefoon"),
        ],
    )
    def test_search_terms_that_may_name_a_person_are_not_kept(self, rf, url, kept):
        entry = access_log_record(
            request=rf.get(url), actor=UserFactory(), action=AccessAction.LIST, object_type="x"
        )

        entry.refresh_from_db()
        assert entry.path == kept

    def test_a_search_box_whose_parameter_is_not_registered_is_refused(self, rf):
        with pytest.raises(ValueError, match="FREE_TEXT_PARAMS"):
            search_param(rf.get("/casussen/?nieuw_vak=Jansen"), "nieuw_vak")

    def test_the_line_stays_true_when_the_user_changes_organisation_later(self, rf):
        actor = UserFactory(organisation=OrganisationFactory(name="Eerste Organisatie"))
        entry = access_log_record(actor=actor, action=AccessAction.LIST, object_type="x")

        actor.organisation = OrganisationFactory(name="Tweede Organisatie")
        actor.save()

        entry.refresh_from_db()
        assert entry.organisation == "Eerste Organisatie"

    def test_behind_a_trusted_proxy_it_takes_the_client_address_from_x_forwarded_for(
        self, rf, settings
    ):
        settings.AXES_IPWARE_PROXY_COUNT = 1
        request = rf.get(
            "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.20"
        )

        entry = access_log_record(
            request=request, actor=UserFactory(), action=AccessAction.VIEW, object_type="x"
        )

        assert entry.ip_address == "198.51.100.20"

    def test_without_a_trusted_proxy_it_ignores_x_forwarded_for(self, rf):
        request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")

        entry = access_log_record(
            request=request, actor=UserFactory(), action=AccessAction.VIEW, object_type="x"
        )

        assert entry.ip_address == "10.0.0.1"


class TestThePrivacyOfficersSearch:
    @pytest.fixture
    def entries(self):
        return {
            "berg-5001": make_entry(username="fvdberg", subject_ref="subject:5001"),
            "jansen-5001": make_entry(username="jjansen", subject_ref="subject:5001"),
            "jansen-5002": make_entry(username="jjansen", subject_ref="subject:5002"),
        }

    def shown(self, response) -> set[int]:
        return {entry.pk for entry in response.context["page"].object_list}

    def test_it_finds_who_read_about_a_subject(self, client, entries):
        persona(client, "privacy")

        response = client.get(ACCESS_LOG_URL, {"subject_ref": "subject:5001"})

        assert response.status_code == 200
        assert self.shown(response) == {entries["berg-5001"].pk, entries["jansen-5001"].pk}
        assert "subject:5002" not in response.content.decode()

    def test_it_finds_what_a_user_read(self, client, entries):
        persona(client, "privacy")

        response = client.get(ACCESS_LOG_URL, {"username": "JJansen"})

        assert self.shown(response) == {entries["jansen-5001"].pk, entries["jansen-5002"].pk}
        assert "fvdberg" not in response.content.decode()

    def test_it_combines_subject_and_user(self, client, entries):
        persona(client, "privacy")

        response = client.get(
            ACCESS_LOG_URL, {"subject_ref": "subject:5001", "username": "jjansen"}
        )

        assert self.shown(response) == {entries["jansen-5001"].pk}

    def test_it_filters_by_date(self, client):
        persona(client, "privacy")
        with time_machine.travel(timezone.now() - timedelta(days=40)):
            old = make_entry(username="oud")
        recent = make_entry(username="recent")
        since = (timezone.localdate() - timedelta(days=7)).isoformat()

        response = client.get(ACCESS_LOG_URL, {"date_from": since})

        assert self.shown(response) == {recent.pk}
        assert old.pk not in self.shown(response)

    def test_an_invalid_date_range_gives_a_dutch_error_and_no_rows(self, client, entries):
        persona(client, "privacy")

        response = client.get(ACCESS_LOG_URL, {"date_from": "2026-03-10", "date_to": "2026-03-01"})

        assert response.status_code == 200
        assert "De einddatum ligt vóór de begindatum." in response.content.decode()
        assert self.shown(response) == set()

    def test_rows_read_as_dutch_sentences_with_the_case_number_not_table_names(self, client):
        case = open_case()
        officer = UserFactory(username="lezer")
        access_log_record(
            actor=officer,
            action=AccessAction.VIEW,
            obj=case,
            subject_ref=subject_reference("subject", case.subject_id),
        )
        persona(client, "privacy")

        html = client.get(ACCESS_LOG_URL, {"username": "lezer"}).content.decode()

        assert f"Casus {case.reference} geopend" in html
        assert "cases.case" not in html

    def test_an_htmx_search_returns_only_the_rows(self, client, entries):
        persona(client, "privacy")

        response = client.get(
            ACCESS_LOG_URL, {"subject_ref": "subject:5002"}, HTTP_HX_REQUEST="true"
        )

        html = response.content.decode()
        assert "<html" not in html
        assert 'data-testid="access-log"' in html
        assert self.shown(response) == {entries["jansen-5002"].pk}

    @pytest.mark.parametrize(
        "role", ["regisseur", "functioneel_beheer", "coordinator", "programmateam", "secretaris"]
    )
    def test_other_roles_are_refused(self, client, role, entries):
        persona(client, role)

        response = client.get(ACCESS_LOG_URL, {"subject_ref": "subject:5001"})

        assert response.status_code == 403
        assert "subject:5001" not in response.content.decode()

    def test_an_anonymous_visitor_goes_to_login(self, client):
        assert_redirects_to_login(client.get(reverse("audit:access_log")))
