"""The known-person check finds spelling variants and ranks an exact BSN match first.

These tests run on whichever database DATABASE_URL names (SQLite: the normalised comparison;
PostgreSQL: trigram similarity as well); the last ones need PostgreSQL.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.selectors import CANDIDATE_LIMIT, MATCH_THRESHOLD, person_matches
from intake.services import PersonData
from tests.intake.factories import PersonDataFactory, ReportFactory, valid_bsn

pytestmark = pytest.mark.django_db

BORN = date(2003, 5, 17)


def person_in_a_report(**fields):
    report = ReportFactory(persons=[PersonDataFactory(**fields)])
    return report.persons.get()


@pytest.fixture
def known():
    return person_in_a_report(first_name="Mohammed", last_name="de Vries", date_of_birth=BORN)


@pytest.fixture
def strangers():
    """People the check must not confuse with Mohammed de Vries."""
    return [
        person_in_a_report(first_name="Pieter", last_name="Bakker"),
        person_in_a_report(first_name="Sanne", last_name="Visser"),
        person_in_a_report(first_name="Jan", last_name="Jansen"),
    ]


@pytest.mark.parametrize(
    ("first_name", "last_name"),
    [
        ("Mohamed", "de Vries"),
        ("Mohammed", "De Vries"),
        ("MOHAMMED", "DE VRIES"),
        ("  Mohammed ", " de   Vries "),
        ("Mohamed", "deVries"),
        ("Mohammed", "de Vriës"),
    ],
)
def test_it_finds_a_spelling_variant_of_a_known_name(known, strangers, first_name, last_name):
    matches = person_matches(first_name=first_name, last_name=last_name)

    assert [m.person for m in matches] == [known]
    assert "naam gelijk (spelling genegeerd)" in matches[0].reasons


@pytest.mark.parametrize(
    ("stored", "searched"),
    [
        (("Emre", "Öztürk"), ("Emre", "Ozturk")),
        (("Emre", "Ozturk"), ("Emre", "Öztürk")),
        (("Zoë", "Çelik"), ("Zoe", "Celik")),
        (("Noël", "Le Fèvre"), ("noel", "le fevre")),
    ],
)
def test_it_ignores_diacritics(strangers, stored, searched):
    person = person_in_a_report(first_name=stored[0], last_name=stored[1])

    matches = person_matches(first_name=searched[0], last_name=searched[1])

    assert [m.person for m in matches] == [person]


def test_it_finds_nobody_for_a_name_that_is_not_there(known, strangers):
    assert person_matches(first_name="Ilse", last_name="Hoekstra") == []


def test_it_finds_a_bsn_whatever_the_name(known, strangers):
    matches = person_matches(bsn=known.bsn)

    assert [(m.person, m.score, m.reasons) for m in matches] == [(known, 1.0, ("BSN gelijk",))]


def test_an_exact_bsn_match_ranks_above_an_exact_name_match(known, strangers):
    same_bsn = person_in_a_report(first_name="Jan", last_name="Smit", bsn=valid_bsn())

    matches = person_matches(
        bsn=same_bsn.bsn, first_name="Mohammed", last_name="de Vries", date_of_birth=BORN
    )

    assert [m.person for m in matches] == [same_bsn, known]
    assert matches[0].score > matches[1].score
    assert matches[0].percentage == 100
    assert matches[1].reasons == ("naam gelijk (spelling genegeerd)", "geboortedatum gelijk")


def test_a_different_birth_date_lowers_the_score(known, strangers):
    def score(born):
        (match,) = person_matches(first_name="Mohamed", last_name="de Vries", date_of_birth=born)
        assert match.person == known
        return match

    same, unknown, different = score(BORN), score(None), score(date(2001, 1, 1))

    assert same.score > unknown.score > different.score >= MATCH_THRESHOLD
    assert "geboortedatum verschilt" in different.reasons


def test_the_current_report_is_left_out(known):
    same_person_elsewhere = person_in_a_report(first_name="Mohamed", last_name="De Vries")

    matches = person_matches(
        first_name="Mohammed", last_name="de Vries", exclude_report_id=known.report_id
    )

    assert [m.person for m in matches] == [same_person_elsewhere]


@pytest.fixture
def many_namesakes():
    """More people sharing the surname than the check looks at in one go."""
    persons = [
        PersonData(first_name=f"Naamgenoot {chr(65 + n % 26)}", last_name="de Vries")
        for n in range(CANDIDATE_LIMIT + 10)
    ]
    ReportFactory(persons=persons)


@pytest.mark.parametrize("exact", ["bsn", "name"])
def test_an_exact_match_is_found_among_more_namesakes_than_the_candidate_limit(
    many_namesakes, exact
):
    bsn = valid_bsn()
    person = person_in_a_report(
        first_name="Mohammed" if exact == "name" else "Sem",
        last_name="de Vries",
        date_of_birth=BORN,
        bsn=bsn if exact == "bsn" else "",
    )

    matches = person_matches(
        bsn=bsn, first_name="Mohamed", last_name="de Vries", date_of_birth=BORN
    )

    assert matches[0].person == person


# --- PostgreSQL: trigram similarity ------------------------------------------------------------


@pytest.mark.postgres
def test_postgresql_has_the_trigram_extension_and_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'intake_reportperson_name_key_trgm'"
        )
        assert "gin_trgm_ops" in cursor.fetchone()[0]


@pytest.mark.postgres
def test_postgresql_finds_a_misspelling_by_trigram_similarity(known, strangers):
    with CaptureQueriesContext(connection) as queries:
        matches = person_matches(first_name="Mohamad", last_name="de Fries")

    assert [m.person for m in matches] == [known]
    assert matches[0].reasons == ("naam lijkt 85%",)
    assert any("SIMILARITY" in q["sql"].upper() for q in queries.captured_queries)
