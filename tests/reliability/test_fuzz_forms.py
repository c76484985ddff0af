"""Issue 9, point 6: every form, driven by hypothesis with hostile input, never gives a server
error, and whatever it stores renders escaped.

The demo data is seeded once; each demo persona walks the pages it is shown and every form on
them (POST and GET, found in the HTML, hidden fields and submit buttons included) is submitted
over and over. Each submission starts from the form as the page filled it (so it can pass
validation and store something) and replaces a few fields with generated values: empty, long,
any Unicode, control characters including NUL, HTML and script. Every submission runs in a
savepoint that is rolled back, so each starts from the same seeded data.

A 5xx or an exception is a failure, and so is the script marker appearing unescaped on the page
the submission leads to (the follow-up page that shows what was stored).

Under `make test` the walk is the same on every run (the demo is seeded at a fixed moment with a
fixed Faker seed) and every round of hypothesis draws has a fixed seed, so a commit passes or
fails the same way every time. The forms are split over `SHARDS` tests, so pytest-xdist's workers
share the work. `make fuzz` (HYPOTHESIS_PROFILE=fuzz) explores with random seeds for
FUZZ_SECONDS and writes every failure it finds to `fuzz_regressions.json`, which every ordinary
run replays."""

from __future__ import annotations

import json
import logging
import math
import os
import time
import traceback
from datetime import datetime
from http.cookies import SimpleCookie
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from ipgar.accounts.demo import DEMO_USERS
from ipgar.accounts.models import User
from tests.conftest import HYPOTHESIS_PROFILE
from tests.personas import signed_in
from tests.reliability.crawl import MARKER, Field, Form, crawl, plausible

pytestmark = pytest.mark.django_db

TOTAL_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5000"))
SHARDS = 4
FOLLOW_PER_FORM = 5
FUZZING = HYPOTHESIS_PROFILE == "fuzz"
FUZZ_SECONDS = float(os.environ.get("FUZZ_SECONDS", "600"))
FUZZ_ROUND_EXAMPLES = 50  # per form and round under `make fuzz`, each round with a new seed
# The demo's dates, reference numbers and ages follow from the day it is seeded on.
DEMO_MOMENT = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
REGRESSIONS = Path(__file__).with_name("fuzz_regressions.json")
HOSTILE = [
    "",
    " ",
    "\x00",
    "naam\x00met nul",
    "\x01\x02\x1b[31m\x7f",
    "\r\n\t\v\f",
    MARKER,
    f'"><{MARKER[1:]}',
    "<img src=x onerror=alert('ipgarfuzz')>",
    "javascript:alert(1)",
    "{{ request }}{% debug %}",
    "' OR 1=1 --",
    "%s%s%n",
    "\u202eevil\u200b\ufeff",
    "\ud7ff\ue000\U0010ffff",
    "🙂" * 80,
    "x" * 10_001,
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "31-12-9999",
    "0001-01-01",
    "2026-03-29T02:30",
    "2026-10-25T02:30",
]


class _Rollback(Exception):
    """Leaves the savepoint of one submission."""


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with (
        time_machine.travel(DEMO_MOMENT, tick=True),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def walk(seeded, django_db_blocker):
    """Every persona signed in, and the forms they reach: walked once per module and worker."""
    with django_db_blocker.unblock():
        started = time.monotonic()
        clients = demo_clients()
        forms = collect_forms(clients)
        print(f"fuzz: walked to {len(forms)} forms in {time.monotonic() - started:.0f} s")
        return clients, forms


@pytest.fixture(autouse=True)
def quiet_logs():
    """Every refused submission would log a traceback (403, 404): thousands of them."""
    loggers = [logging.getLogger(name) for name in ("django.request", "weasyprint", "axes")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


def hostile(field: Field) -> st.SearchStrategy:
    texts = st.one_of(
        st.sampled_from(HOSTILE),
        st.text(max_size=40),  # any code point but surrogates, NUL and controls included
        st.builds(lambda a, b: f"{a}{MARKER}{b}", st.text(max_size=8), st.text(max_size=8)),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.dates().map(lambda d: d.isoformat()),
    )
    if field.options:
        choice = st.one_of(st.sampled_from(field.options), texts)
        if field.multiple:
            return st.lists(choice, max_size=4)
        return choice
    return texts


@st.composite
def submissions(draw, form: Form) -> dict:
    data = {name: plausible(f) for name, f in form.fields.items()}
    names = sorted(form.fields)
    if names:
        for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
            data[name] = draw(hostile(form.fields[name]))
        for name in draw(st.lists(st.sampled_from(names), max_size=1, unique=True)):
            del data[name]  # a field the browser did not send
    return data


def demo_clients() -> dict[str, Client]:
    clients = {"anoniem": Client()}
    for username, *_ in DEMO_USERS:
        clients[username] = signed_in(Client(), User.objects.get(username=username))
    return clients


def collect_forms(clients: dict[str, Client]) -> list[tuple[str, Form]]:
    found: dict[tuple[str, str, str], tuple[str, Form]] = {}
    for who, client in clients.items():
        start = ["/inloggen/"] if who == "anoniem" else ["/"]
        walk = crawl(client, start, per_view=1, limit=120)
        assert not walk.errors, walk.errors
        for form in walk.forms:
            if form.view_name in ("accounts:logout",):
                continue
            found.setdefault((who, form.method, form.view_name), (who, form))
    return list(found.values())


def fuzz_one(
    form: Form, client: Client, who: str, examples: int, failures: list[dict], round_: int = 1
) -> int:
    """Submit `form` `examples` times; returns how many submissions ran (fewer when hypothesis
    runs out of distinct inputs). Outside `make fuzz` each round has its own fixed seed, so a
    later round draws new inputs and every run draws the same ones."""
    cookies = SimpleCookie(client.cookies.output(header="", sep="\n"))
    ran = followed = 0

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,  # one nested function serves every form: its examples are not theirs
        derandomize=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=submissions(form))
    def submit(data):
        nonlocal ran, followed
        ran += 1
        client.cookies = SimpleCookie(cookies.output(header="", sep="\n"))
        finding, redirected = submit_once(
            client, form.method, form.action, data, follow=followed < FOLLOW_PER_FORM
        )
        followed += redirected
        if finding:
            failures.append(
                {"who": who, "method": form.method, "action": form.action, "data": data}
                | {"finding": finding}
            )

    if not FUZZING:
        submit = seed(round_)(submit)
    submit()
    return ran


def submit_once(
    client: Client, method: str, action: str, data: dict, *, follow: bool
) -> tuple[str, bool]:
    """One submission in a savepoint that is rolled back: what went wrong (or ""), and whether
    it followed a redirect to the page that shows what was stored."""
    finding, followed = "", False
    try:
        with transaction.atomic():
            try:
                send = client.post if method == "post" else client.get
                response = send(action, data)
                if response.status_code in (301, 302) and follow:
                    # Stored: the page it leads to shows what was stored. The same template
                    # each time, so a few per form prove the escaping (and keep CI short).
                    followed = True
                    response = client.get(response["Location"], follow=True)
            except Exception as exc:  # noqa: BLE001 - every exception is the finding
                finding = "".join(traceback.format_exception_only(exc)).strip()
                raise _Rollback from exc
            if response.status_code >= 500:
                finding = f"status {response.status_code}"
            elif "text/html" in response.get(
                "Content-Type", ""
            ) and "<script>ipgarfuzz" in response.content.decode(errors="replace"):
                finding = "unescaped marker"
            raise _Rollback
    except _Rollback:
        pass
    return finding, followed


def describe(failure: dict) -> str:
    return (
        f"{failure['who']} {failure['method'].upper()} {failure['action']} "
        f"{failure['data']!r}: {failure['finding']}"
    )


def store_regressions(failures: list[dict]) -> None:
    """`make fuzz` keeps what it found, so every later run of the suite replays it."""
    known = json.loads(REGRESSIONS.read_text()) if REGRESSIONS.exists() else []
    keys = {json.dumps([k["who"], k["method"], k["action"], k["data"]]) for k in known}
    for failure in failures:
        key = json.dumps([failure["who"], failure["method"], failure["action"], failure["data"]])
        if key not in keys:
            keys.add(key)
            known.append(failure | {"found": time.strftime("%Y-%m-%d")})
    REGRESSIONS.write_text(json.dumps(known, indent=2, ensure_ascii=False) + "\n")


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_form_survives_hostile_input_and_stores_it_escaped(walk, shard):
    clients, forms = walk
    assert len(forms) >= 30, [f.view_name for _, f in forms]
    mine = forms[shard::SHARDS]
    budget = TOTAL_EXAMPLES // SHARDS + (shard < TOTAL_EXAMPLES % SHARDS)
    started = time.monotonic()
    failures: list[dict] = []
    examples = rounds = 0
    timings = []
    exhausted: set[int] = set()  # forms that ran out of distinct inputs
    while True:
        rounds += 1
        round_examples = 0
        active = [(i, entry) for i, entry in enumerate(mine) if i not in exhausted]
        for position, (i, (who, form)) in enumerate(active):
            if FUZZING:
                per_form = FUZZ_ROUND_EXAMPLES
            else:
                # A form with few possible inputs ends early; the forms after it make up the
                # rest, and when the last one ends early too the next round (new seed) does.
                left = budget - examples - round_examples
                per_form = math.ceil(left / (len(active) - position))
                if per_form <= 0:
                    break
            form_started = time.monotonic()
            ran = fuzz_one(form, clients[who], who, per_form, failures, rounds)
            if ran < per_form:
                exhausted.add(i)
            round_examples += ran
            timings.append((time.monotonic() - form_started, who, form.method, form.view_name))
        examples += round_examples
        if FUZZING:
            if time.monotonic() - started > FUZZ_SECONDS / SHARDS:
                break
        elif examples >= budget or not round_examples or rounds >= 5:
            break
    for timing in sorted(timings, reverse=True)[:3]:
        print("fuzz: slowest {:.1f} s {} {} {}".format(*timing))

    print(
        f"fuzz: shard {shard + 1}/{SHARDS}: {examples} examples in {rounds} round(s) over "
        f"{len(mine)} of {len(forms)} forms in {time.monotonic() - started:.0f} s, "
        f"{len(failures)} server errors or unescaped markers"
    )
    if FUZZING and failures:
        store_regressions(failures)
    assert not failures, "\n".join(describe(f) for f in failures[:40])
    assert examples >= budget


def stored_regressions() -> list[dict]:
    return json.loads(REGRESSIONS.read_text()) if REGRESSIONS.exists() else []


@pytest.mark.parametrize(
    "failure",
    stored_regressions(),
    ids=lambda f: f"{f['who']}-{f['method']}-{f['action']}",
)
def test_every_failure_the_fuzzer_found_stays_fixed(walk, failure):
    """The @example regressions of the form fuzzer: what `make fuzz` found, submitted again."""
    clients, _ = walk
    finding, _ = submit_once(
        clients[failure["who"]], failure["method"], failure["action"], failure["data"], follow=True
    )
    assert not finding, describe(failure | {"finding": finding})


@pytest.mark.parametrize(
    ("username", "url", "param"),
    [
        ("regisseur", "/casussen/", "q"),
        ("regisseur", "case_detail", "zoek"),
        ("beheer", "/beheer/gebruikers/", "q"),
    ],
)
def test_a_search_with_a_nul_byte_is_an_ordinary_search(seeded, username, url, param):
    """Found by the fuzzing: a NUL in a search term reached PostgreSQL, a server error."""
    user = User.objects.get(username=username)
    if url == "case_detail":
        url = f"/casussen/{user.cases_as_regisseur.order_by('pk').first().pk}/"
    client = signed_in(Client(), user)
    response = client.get(url, {param: "naam\x00met nul\x1b"})
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()


def test_a_framework_copy_with_a_nul_byte_is_refused_in_dutch(seeded):
    """Found by the fuzzing: the copy read raw POST values and handed a NUL to PostgreSQL."""
    from intake.models import FrameworkVersion

    source = FrameworkVersion.objects.order_by("pk").first()
    before = FrameworkVersion.objects.count()
    client = signed_in(Client(), User.objects.get(username="beheer"))
    response = client.post(
        f"/meldingen/beoordelingskader/{source.pk}/kopie/",
        {"version": "2030\x00", "name": "naam\x00met nul"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Null-tekens zijn niet toegestaan." in response.content.decode()
    assert FrameworkVersion.objects.count() == before
