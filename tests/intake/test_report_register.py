"""Registering a report (melding): the service, and the page the desk staff fill in."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import get_perms

from intake import services
from intake.constants import Channel, Desk, ReporterKind, ReportStatus, Urgency
from intake.models import Report, ReportPerson
from ipgar.accounts.constants import Role
from ipgar.lib.text import name_key
from tests.intake.factories import PersonDataFactory, desk_user, valid_bsn
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("intake:report_create")


def register(actor, *, persons, submission_key=None, **fields):
    data = {
        "received_at": timezone.now() - timedelta(hours=2),
        "channel": Channel.PHONE,
        "urgency": Urgency.NORMAL,
        "reporter_kind": ReporterKind.FAMILY,
        "reporter_anonymous": False,
        "reporter_name": "Fatima el Amrani",
        "reporter_phone": "06 1234 5678",
        "observation": "Zoon en dochter kijken IS-propaganda en praten over uitreizen.",
        **fields,
    }
    return services.report_register(
        actor=actor,
        desk=Desk.MAP,
        submission_key=submission_key or uuid.uuid4(),
        persons=persons,
        **data,
    )


class TestTheService:
    def test_it_stores_every_person_of_a_family_with_their_name_key(self):
        actor = desk_user()
        family = [
            PersonDataFactory(first_name="Mohammed", last_name="el  Amrani", relation="zoon"),
            PersonDataFactory(first_name="Yasmina", last_name="El Amrani", relation="dochter"),
            PersonDataFactory(first_name="Fatima", last_name="el Amraní", relation="moeder"),
        ]

        report, created = register(actor, persons=family)

        assert created
        persons = list(report.persons.order_by("pk"))
        assert [p.first_name for p in persons] == ["Mohammed", "Yasmina", "Fatima"]
        assert [p.name_key for p in persons] == [
            "mohamedelamrani",
            "yasminaelamrani",
            "fatimaelamrani",
        ]
        for person, data in zip(persons, family, strict=True):
            assert person.name_key == name_key(data.first_name, data.last_name)
            assert person.bsn == data.bsn
            assert person.date_of_birth == data.date_of_birth
            assert person.history.get().history_user == actor

    def test_it_registers_at_the_desk_and_grants_that_desk_only(self):
        actor = desk_user()

        report, _ = register(actor, persons=[PersonDataFactory()])

        assert report.status == ReportStatus.REGISTERED
        assert report.registered_by == actor
        assert report.history.get().history_user == actor
        assert set(get_perms(actor, report)) == {"view_report", "change_report"}
        assert get_perms(desk_user(Desk.POLICE), report) == []
        assert get_perms(desk_user(Role.ASSESSMENT_BOARD), report) == []

    def test_a_double_submit_with_the_same_key_creates_one_report(self):
        actor = desk_user()
        key = uuid.uuid4()
        persons = [PersonDataFactory(), PersonDataFactory()]

        first, first_created = register(actor, persons=persons, submission_key=key)
        second, second_created = register(actor, persons=persons, submission_key=key)

        assert (first_created, second_created) == (True, False)
        assert second.pk == first.pk
        assert Report.objects.count() == 1
        assert ReportPerson.objects.count() == 2
        assert first.history.count() == 1


# --- The registration page ------------------------------------------------------------------


def form_data(**overrides) -> dict:
    received = timezone.localtime() - timedelta(hours=3)
    data = {
        "submission_key": str(uuid.uuid4()),
        "received_at": received.strftime("%Y-%m-%dT%H:%M"),
        "channel": Channel.EMAIL,
        "urgency": Urgency.NORMAL,
        "reporter_kind": ReporterKind.TEACHER,
        "reporter_name": "Petra Jansen",
        "reporter_organisation": "Het Amsterdams Lyceum",
        "reporter_phone": "020 555 0199",
        "reporter_email": "p.jansen@school.invalid",
        "observation": "Leerling deelt filmpjes van aanslagen in de klassenapp",
        "personen-TOTAL_FORMS": "1",
        "personen-INITIAL_FORMS": "0",
        "personen-MIN_NUM_FORMS": "0",
        "personen-MAX_NUM_FORMS": "20",
        "personen-0-first_name": "Yusuf",
        "personen-0-last_name": "Bakkali",
        "personen-0-date_of_birth": "2007-03-14",
        "personen-0-bsn": valid_bsn(),
        "personen-0-gender": "m",
        "personen-0-relation": "hoofdpersoon",
    }
    data.update(overrides)
    return data


def person_fields(index: int, **values) -> dict:
    return {f"personen-{index}-{name}": value for name, value in values.items()}


@pytest.fixture
def desk(client):
    user = desk_user()
    return signed_in(client, user), user


class TestThePage:
    def test_it_registers_a_family_and_shows_the_report(self, desk):
        client, user = desk
        data = form_data(
            **{"personen-TOTAL_FORMS": "2"},
            **person_fields(1, first_name="Samira", last_name="Bakkali", relation="zus"),
        )

        response = client.post(CREATE_URL, data)

        report = Report.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("intake:report_detail", args=[report.pk])
        assert report.desk == Desk.MAP
        assert report.registered_by == user
        assert [p.display_name for p in report.persons.order_by("pk")] == [
            "Yusuf Bakkali",
            "Samira Bakkali",
        ]
        assert report.history.get().history_user == user

    def test_police_intake_registers_at_the_police_desk(self, client):
        signed_in(client, desk_user(Desk.POLICE))

        client.post(CREATE_URL, form_data())

        assert Report.objects.get().desk == Desk.POLICE

    def test_a_double_submit_of_the_page_creates_one_report(self, desk):
        client, _ = desk
        data = form_data()

        first = client.post(CREATE_URL, data)
        second = client.post(CREATE_URL, data, follow=True)

        report = Report.objects.get()
        assert first["Location"] == second.redirect_chain[0][0]
        assert ReportPerson.objects.count() == 1
        assert f"Melding {report.reference} was al geregistreerd." in second.content.decode()

    @pytest.mark.parametrize(
        ("overrides", "error", "typed"),
        [
            pytest.param(
                {"personen-0-bsn": "123456789"},
                "Dit is geen geldig BSN: het moet uit 9 cijfers bestaan en de elfproef doorstaan.",
                'value="123456789"',
                id="bsn-fails-the-eleven-test",
            ),
            pytest.param(
                {"personen-0-date_of_birth": "2099-01-31"},
                "De geboortedatum kan niet in de toekomst liggen.",
                'value="2099-01-31"',
                id="born-in-the-future",
            ),
            pytest.param(
                person_fields(0, first_name="", last_name="", date_of_birth="", bsn="", gender=""),
                "Vul ten minste één persoon in (naam, geboortedatum of BSN). Alleen een "
                "anonieme melding mag zonder bekende persoon.",
                'value="Petra Jansen"',
                id="not-anonymous-without-a-person",
            ),
            pytest.param(
                {"reporter_phone": "", "reporter_email": ""},
                "Vul een telefoonnummer of e-mailadres van de melder in.",
                'value="Petra Jansen"',
                id="no-contact-for-a-known-reporter",
            ),
            pytest.param(
                {"received_at": "2099-06-01T10:30"},
                "Het ontvangstmoment kan niet in de toekomst liggen.",
                'value="2099-06-01T10:30"',
                id="received-in-the-future",
            ),
        ],
    )
    def test_bad_input_shows_the_dutch_error_keeps_what_was_typed_and_stores_nothing(
        self, desk, overrides, error, typed
    ):
        client, _ = desk
        data = form_data(**overrides)

        response = client.post(CREATE_URL, data)

        html = response.content.decode()
        assert response.status_code == 200
        assert error in html
        assert typed in html
        assert data["observation"] in html
        assert f'value="{data["submission_key"]}"' in html  # a resubmit stays one report
        assert Report.objects.count() == 0
        assert ReportPerson.objects.count() == 0
        assert Report.history.count() == 0

    def test_an_anonymous_report_without_a_person_is_accepted(self, desk):
        client, _ = desk
        data = form_data(
            reporter_kind=ReporterKind.ANONYMOUS,
            reporter_name="Wordt niet bewaard",
            reporter_phone="",
            reporter_email="",
            reporter_organisation="",
            **person_fields(0, first_name="", last_name="", date_of_birth="", bsn="", gender=""),
        )

        response = client.post(CREATE_URL, data)

        report = Report.objects.get()
        assert response.status_code == 302
        assert report.reporter_anonymous
        assert report.reporter_name == ""
        assert report.persons.count() == 0
