"""Issue 15, acceptance 1 and 3: every link a role is shown opens for that role, and every page
it reaches reads as Dutch.

For every demo role the crawler (tests/crawl_roles.py) starts on "Mijn werk", walks every
same-origin `<a href>` and `hx-get` breadth-first, and requests every link it saw. A link
answering 403, 404 or 5xx is a link the page should not have rendered. The walk runs on the demo
data and on a freshly generated small tier of the scale data; both are built once per module.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from benchmarks import scale
from cases.demo import seed_catalogue
from ipgar.accounts.demo import seed_organisations, seed_users
from ipgar.accounts.models import Organisation
from meetings.demo import seed_bodies
from reminders.services import sweep
from tests.crawl_roles import RoleWalk, crawl_roles, summary
from tests.ipgar.test_seed_demo import DEMO_USERNAMES


@pytest.fixture(scope="module")
def demo_walks(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        walks = crawl_roles(DEMO_USERNAMES)
        print("\n" + summary(walks))
        yield walks
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_walks, db) -> dict[str, RoleWalk]:
    return demo_walks


def broken_report(walks: dict[str, RoleWalk]) -> list[str]:
    return [
        f"{username}: {link.source} → {link.target} ({link.via}) answers {status}"
        for username, walk in walks.items()
        for link, status in walk.broken()
    ] + [f"{username}: {error}" for username, walk in walks.items() for error in walk.errors]


def test_every_link_each_demo_role_is_shown_opens_for_it(demo):
    demo_walks = demo
    assert set(demo_walks) == set(DEMO_USERNAMES)
    for walk in demo_walks.values():
        assert walk.pages["/mijn-werk/"].status == 200, walk.username
        assert len(walk.parsed) > 1, walk.username

    broken = broken_report(demo_walks)
    print("\n".join(broken))
    assert broken == []


# --- Acceptance 3: the pages read as Dutch ------------------------------------------------

ISO_DATE = re.compile(r"(?<![\d/=\-?&])(19|20)\d\d-[01]\d-[0-3]\d(?![\d])")
WRONG_PLURALS = re.compile(
    r"\b1 (dagen|resultaten|weken|meldingen|casussen|uren|minuten|maanden|links|punten)\b"
)
TAG = re.compile(r"<[^>]*>", re.S)
SCRIPT = re.compile(r"<(script|style|textarea)\b.*?</\1>", re.S | re.I)


def visible_text(html: str) -> str:
    """The text a reader sees: no tags, attribute values (ISO dates in `value=""` and
    `datetime=""` are what inputs and <time> need), scripts or the contents of textareas."""
    return TAG.sub(" ", SCRIPT.sub(" ", html))


# The short names the users themselves speak (DOMAIN.md): "MAP", "OOV", "het OM". A code such as
# LPL, POL, SCW or SD-NIE is the administrator's key, never what a reader should see.
SPOKEN_ABBREVIATIONS = frozenset(
    {"MAP", "OOV", "OM", "RN", "GGD", "GGZ", "WPI", "NCTV", "JBRA", "WSG", "OJZ"}
)


# The organisation administration is where codes are made: there they are the content.
CODES_ARE_CONTENT = ("/beheer/organisaties/",)


def dutch_findings(walks: dict[str, RoleWalk]) -> list[str]:
    organisations = list(Organisation.objects.values_list("code", "name"))
    codes = [
        code
        for code, name in organisations
        if code != name and len(code) >= 2 and code not in SPOKEN_ABBREVIATIONS
    ]
    names = re.compile("|".join(re.escape(name) for _, name in organisations))
    code_pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, codes)) + r")(?![\w-])")
    found = []
    for username, walk in walks.items():
        for page in walk.parsed:
            text = visible_text(page.html)
            without_names = names.sub(" ", text)
            where = f"{username} {page.url}"
            if "---------" in page.html:
                found.append(f"{where}: '---------'")
            for match in ISO_DATE.finditer(text):
                found.append(f"{where}: ISO-datum {match.group(0)}")
            for match in WRONG_PLURALS.finditer(text):
                found.append(f"{where}: '{match.group(0)}'")
            if page.url.startswith(CODES_ARE_CONTENT):
                continue
            for match in code_pattern.finditer(without_names):
                found.append(f"{where}: organisatiecode {match.group(0)}")
    return sorted(set(found))


def test_no_page_shows_a_placeholder_an_iso_date_a_wrong_plural_or_an_org_code(demo):
    findings = dutch_findings(demo)
    print("\n".join(findings))
    assert findings == []


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
        walks = crawl_roles([*DEMO_USERNAMES, scale.BENCH_REGISSEUR])
        print("\nkleine schaal: " + summary(walks))
        yield walks
        transaction.set_rollback(True)


@pytest.mark.postgres
def test_every_link_opens_on_the_small_tier(tier_walks, db):
    problems = broken_report(tier_walks) + dutch_findings(tier_walks)
    print("\n".join(problems))
    assert problems == []
