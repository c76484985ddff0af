"""`seed_demo`: the local demo's data, safe to load twice, with a login for every role."""

from datetime import date, time, timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings

from cases.demo_history import POOL as HISTORY_POOL
from cases.models import Case, CatalogueEntry
from cases.permissions import cases_visible_to
from ipgar.accounts.models import Organisation, User
from meetings.constants import Weekday
from meetings.models import Body
from tests.factories import UserFactory

# The demo accounts of the README, one per role of the approach.
DEMO_USERNAMES = [
    "intake",
    "politie",
    "voorportaal",
    "regieoverleg",
    "secretaris",
    "regisseur",
    "regisseur2",
    "itatr",
    "partner",
    "programma",
    "coordinator",
    "beheer",
    "privacy",
]
DEMO_PASSWORD = "ipgar-demo-2026"


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "groups": Group.objects.count(),
        "bodies": Body.objects.count(),
        "body members": Body.members.through.objects.count(),
        "body organisations": Body.member_organisations.through.objects.count(),
        "catalogue": CatalogueEntry.objects.count(),
        "user roles": User.groups.through.objects.count(),
    }


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Seed once for the whole module (seeding takes seconds); each test then runs in a
    savepoint inside this transaction, and the seed is rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = seed()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db) -> str:
    return seeded_once


def test_the_first_run_reports_what_it_made(seeded):
    assert "13 gebruikers" in seeded
    assert "5 overleggen" in seeded


def test_each_demo_regisseur_opens_every_case_they_direct_history_included(seeded, client):
    for username in ("regisseur", "regisseur2", *(name for name, _, _ in HISTORY_POOL)):
        user = User.objects.get(username=username)
        directed = set(Case.objects.filter(regisseur=user).values_list("pk", flat=True))
        assert directed, username
        assert directed <= set(cases_visible_to(user).values_list("pk", flat=True)), username


def test_seeding_again_duplicates_nothing(seeded):
    after_first = counts()

    seed()

    assert counts() == after_first
    # The demo accounts, plus the regisseur pool behind the monitor's history (no login).
    assert after_first["users"] == len(DEMO_USERNAMES) + len(HISTORY_POOL)
    assert after_first["bodies"] == 5


def test_seeding_again_keeps_a_changed_password(seeded):
    user = User.objects.get(username="regisseur")
    user.set_password("een-eigen-wachtwoord-2026")
    user.save()

    seed()

    assert User.objects.get(username="regisseur").check_password("een-eigen-wachtwoord-2026")


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_every_demo_user_can_log_in_through_the_form_and_lands_on_my_work(
    seeded, settings, username
):
    settings.OTP_REQUIRED = False
    client = Client()

    response = client.post(
        "/inloggen/", {"username": username, "password": DEMO_PASSWORD}, follow=True
    )

    assert response.redirect_chain == [("/mijn-werk/", 302)], username
    assert response.status_code == 200
    assert "<title>Mijn werk" in response.content.decode()


def test_every_demo_user_is_a_fictional_person_with_an_organisation_and_a_role(seeded):
    users = User.objects.filter(username__in=DEMO_USERNAMES).select_related("organisation")

    assert users.count() == len(DEMO_USERNAMES)
    for user in users:
        assert user.first_name.strip() and user.last_name.strip(), user.username
        assert user.organisation is not None, user.username
        assert user.role_names, user.username
        assert user.email.endswith(".invalid"), user.username  # never a real mailbox


def test_the_demo_accounts_hold_the_role_their_name_says(seeded):
    roles = {u.username: u.role_names for u in User.objects.filter(username__in=DEMO_USERNAMES)}

    assert roles["beheer"] == {"functioneel_beheer"}
    assert roles["privacy"] == {"privacy"}
    assert roles["regisseur"] == roles["regisseur2"] == {"regisseur"}
    assert roles["itatr"] == {"itatr_lid"}
    assert roles["politie"] == {"politie_intake"}


def test_the_catalogue_has_at_least_30_interventions_each_with_a_provider(seeded):
    entries = CatalogueEntry.objects.all()

    assert entries.count() >= 30
    assert not entries.filter(provider__isnull=True).exists()
    assert entries.values("category").distinct().count() >= 4


class TestBodies:
    def test_itatr_meets_every_3_weeks_on_thursday_with_20_minute_slots(self, seeded):
        body = Body.objects.get(short_name="ITAT-R")

        assert (body.weekday, body.interval_weeks) == (Weekday.THURSDAY, 3)
        assert body.default_slot_minutes == 20
        assert body.first_date.weekday() == Weekday.THURSDAY

    def test_pto_r_meets_every_2_weeks_on_wednesday_at_nine(self, seeded):
        body = Body.objects.get(short_name="PTO-R")

        assert (body.weekday, body.interval_weeks) == (Weekday.WEDNESDAY, 2)
        assert body.start_time == time(9, 0)
        assert body.cycle_description.startswith("elke 2 weken op woensdag om 09:00")

    def test_the_voorportaal_meets_weekly(self, seeded):
        body = Body.objects.get(name__startswith="Voorportaal")

        assert body.interval_weeks == 1
        assert body.cycle_description.startswith("elke week op ")

    def test_every_body_has_a_secretary_and_members(self, seeded):
        for body in Body.objects.all():
            assert body.secretary.username == "secretaris"
            assert body.member_organisations.exists(), body.short_name

    def test_dates_between_yields_the_weekday_spaced_by_the_interval(self, seeded):
        start = date(2026, 2, 11)
        end = start + timedelta(weeks=26)
        for body in Body.objects.all():
            dates = body.dates_between(start, end)

            assert dates, body.short_name
            assert start <= dates[0] < start + timedelta(weeks=body.interval_weeks)
            assert dates[-1] <= end < dates[-1] + timedelta(weeks=body.interval_weeks)
            assert {d.weekday() for d in dates} == {body.weekday}, body.short_name
            steps = {(later - earlier).days for earlier, later in pairwise(dates)}
            assert steps == {7 * body.interval_weeks}, body.short_name
            assert all((d - body.first_date).days % (7 * body.interval_weeks) == 0 for d in dates)


def test_dates_between_keeps_to_the_cycle_of_the_anchor_date():
    body = Body(weekday=Weekday.THURSDAY, interval_weeks=3, first_date=date(2026, 1, 1))

    assert body.dates_between(date(2026, 1, 2), date(2026, 3, 5)) == [
        date(2026, 1, 22),
        date(2026, 2, 12),
        date(2026, 3, 5),
    ]
    assert body.dates_between(date(2025, 12, 1), date(2026, 1, 21)) == [date(2026, 1, 1)]
    assert body.dates_between(date(2026, 1, 23), date(2026, 2, 11)) == []


@pytest.mark.django_db
@override_settings(SEED_DEMO_ALLOWED=False)
def test_it_refuses_to_run_outside_debug():
    users = User.objects.count()
    with pytest.raises(CommandError, match="alleen met DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert User.objects.count() == users


@pytest.mark.django_db
@override_settings(SEED_DEMO_ALLOWED=False)
def test_the_explicit_flag_works_only_on_an_empty_database():
    UserFactory(username="echte.gebruiker")
    users = User.objects.count()
    with pytest.raises(CommandError, match="niet leeg"):
        call_command("seed_demo", "--i-know-this-is-not-production", stdout=StringIO())
    assert User.objects.count() == users
