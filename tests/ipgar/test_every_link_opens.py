"""Issue 15, acceptance 1 and 3, on a freshly generated small tier of the scale data: every link a
role is shown opens for that role, and every page it reaches reads as Dutch.

For every demo role the crawler (tests/crawl_roles.py) starts on "Mijn werk", walks every
same-origin `<a href>` and `hx-get` breadth-first, and requests every link it saw. A link
answering 403, 404 or 5xx is a link the page should not have rendered. The same checks over the
demo data run in tests/browser/test_wcag_audit.py, on the one crawl of the demo that the WCAG
audit also uses (walking the demo twice cost minutes of every test run).
"""

import pytest
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from benchmarks import scale
from cases.demo import seed_catalogue
from ipgar.accounts.demo import seed_organisations, seed_users
from meetings.demo import seed_bodies
from reminders.services import sweep
from tests.crawl_roles import crawl_roles, summary
from tests.ipgar.test_seed_demo import DEMO_USERNAMES
from tests.link_checks import broken_report, dutch_findings

# Every kind of page (URL name) is requested at most this often per role on the tier: its lists
# are walked page by page, but not each of its 1,200 case pages (see tests/crawl_roles.py).
TIER_REQUESTS_PER_VIEW = 40


# --- The same walk over a freshly generated small tier of the scale data -------------------


@pytest.fixture(scope="module")
def tier_walks(django_db_setup, django_db_blocker):
    """The demo roles beside the small tier (1,200 cases, 60 agenda items, a regisseur with 200
    cases): the walk meets lists and pages as full as the bench sees them."""
    if connection.vendor != "postgresql":
        pytest.skip("de schaaldata vraagt PostgreSQL")
    with django_db_blocker.unblock(), transaction.atomic():
        fake = Faker("nl_NL")
        fake.seed_instance(2026)
        seed_organisations()
        users = seed_users(fake)
        seed_catalogue(timezone.localdate())
        seed_bodies(timezone.localdate(), users)
        scale.generate(scale.TIERS["small"], log=lambda line: None, vacuum=False)
        sweep()
        walks = crawl_roles(
            [*DEMO_USERNAMES, scale.BENCH_REGISSEUR], request_per_view=TIER_REQUESTS_PER_VIEW
        )
        print("\nkleine schaal: " + summary(walks))
        yield walks
        transaction.set_rollback(True)


@pytest.mark.postgres
def test_every_link_opens_on_the_small_tier(tier_walks, db):
    problems = broken_report(tier_walks) + dutch_findings(tier_walks)
    print("\n".join(problems))
    assert problems == []
