"""Issue 10: the small tier of the scale data is what it says (one hundredth of the large),
its regisseur's list is filtered by guardian grants, a second run does nothing, and the sweep
over it creates notifications once."""

import pytest
from django.db import connection
from django.utils import timezone
from faker import Faker

from benchmarks import scale
from cases.demo import seed_catalogue
from cases.models import Case, LogEntry
from cases.permissions import cases_visible_to
from cases.selectors import case_list_for_user, list_page
from ipgar.accounts.demo import seed_organisations, seed_users
from ipgar.accounts.models import User
from ipgar.notifications.models import Notification
from meetings.demo import seed_bodies
from meetings.models import AgendaItem
from reminders.services import sweep

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def small():
    fake = Faker("nl_NL")
    fake.seed_instance(2026)
    seed_organisations()
    users = seed_users(fake)
    seed_catalogue(timezone.localdate())
    seed_bodies(timezone.localdate(), users)
    assert scale.existing_tier() is None
    scale.generate(scale.TIERS["small"], log=lambda line: None, vacuum=False)
    return scale.scale_facts()


def test_the_small_tier_holds_one_hundredth_of_the_large(small):
    tier = scale.TIERS["small"]
    assert Case.objects.count() == 1_200
    assert set(Case.objects.values_list("phase", flat=True).distinct()) == {
        "opgenomen", "basisdossier", "concept_plan", "bij_advies", "vastgesteld",
        "in_uitvoering", "afbouw", "afgesloten",
    }  # fmt: skip
    assert LogEntry.objects.count() == 1_199 * tier.logbook_per_case + tier.big_logbook
    assert LogEntry.objects.filter(case_id=small["big_case_id"]).count() == 100
    assert AgendaItem.objects.filter(meeting_id=small["meeting_id"]).count() == 60
    assert scale.existing_tier() == "small"


def test_the_busy_regisseur_sees_exactly_their_200_cases_through_guardian(small):
    busy = User.objects.get(username=scale.BENCH_REGISSEUR)
    other = User.objects.get(username="bench_regisseur_001")
    visible = cases_visible_to(busy)
    assert visible.count() == 200
    assert not visible.exclude(regisseur=busy).exists()
    assert "caseuserobjectpermission" in str(visible.query)
    # Withdrawn grants hide the cases: the list follows guardian, not the regisseur column.
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM cases_caseuserobjectpermission WHERE user_id = %s AND "
            "content_object_id <= 10",
            [busy.pk],
        )
    assert cases_visible_to(busy).count() == 190
    page = list_page(case_list_for_user(busy, phase="in_uitvoering"), 1)
    assert len(page.items) == 50 and page.has_next
    assert all(case.regisseur_id == busy.pk for case in page.items)
    assert not cases_visible_to(other).filter(regisseur=busy).exists()


def test_the_sweep_over_the_tier_creates_notifications_once(small):
    first = sweep()
    count = Notification.objects.count()
    again = sweep()

    assert first.ran and first.created == count > 0
    assert again.created == 0
    assert Notification.objects.count() == count
