"""`make bench` (issue 10): the key operations against a minimal signed-in view, in one run.

The app is served by gunicorn (2 workers) with production settings (DEBUG off, the second
factor required). The benchmark never logs in through a weakened path: it writes ordinary
sessions into the session table for users who hold a confirmed TOTP device, marked verified the
way django-otp marks them after a correct code, and sends that cookie. Query counts come from
the same pages through Django's test client in this process.

The operations are data: one `Operation` per row of the table. An operation whose URL name does
not resolve (the monitor, until it is merged) is skipped and says so.
"""

import http.client
import io
import json
import os
import platform
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipgar.accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from ipgar.accounts.models import User

CSRF_SECRET = "benchcsrfsecretbenchcsrfsecret12"  # 32 characters, as Django's CSRF cookie


@dataclass
class Operation:
    name: str
    url_name: str
    user: str  # username
    args: Callable[[dict], list] = lambda facts: []
    query: dict = field(default_factory=dict)
    method: str = "GET"
    data: Callable[[], dict] | None = None
    headers: dict = field(default_factory=dict)
    before_each: Callable[[], None] | None = None  # e.g. clear the cache for a cold run
    mixed_weight: int = 1
    requests: int | None = None  # fewer than the run's --requests, for a slow export

    def path(self, facts: dict) -> str | None:
        try:
            url = reverse(self.url_name, args=self.args(facts))
        except NoReverseMatch:
            return None
        return url + ("?" + urlencode(self.query) if self.query else "")


def _contact() -> dict:
    return {
        "at": time.strftime("%Y-%m-%dT%H:%M"),
        "kind": "telefoon",
        "text": "Telefonisch contact gehad; het gaat goed met de dagbesteding.",
        "participants": "",
    }


def _year() -> list:
    return [time.localtime().tm_year - 1]


OPERATIONS: list[Operation] = [
    Operation("baseline", "core:ping", "bench_regisseur", mixed_weight=0),
    Operation(
        "case_list",
        "cases:case_list",
        "bench_regisseur",
        query={"fase": "in_uitvoering"},
        mixed_weight=3,
    ),
    Operation(
        "case_page",
        "cases:case_detail",
        "bench_regisseur",
        lambda f: [f["big_case_id"]],
        mixed_weight=3,
    ),  # fmt: skip
    Operation(
        "log_contact",
        "cases:logbook_add",
        "bench_regisseur",
        lambda f: [f["big_case_id"]],
        method="POST",
        data=_contact,
        headers={"HX-Request": "true", "HX-Target": "logboek-formulier"},
        mixed_weight=1,
    ),
    Operation(
        "agenda",
        "meetings:meeting_detail",
        "secretaris",
        lambda f: [f["meeting_id"]],
        mixed_weight=1,
    ),  # fmt: skip
    # The monitor (issue 7) joins as soon as its URL name resolves: cold clears the cache first.
    Operation(
        "monitor_cold",
        "monitor:dashboard",
        "programma",
        query={"soort": "kwartaal", "jaar": _year()[0], "kwartaal": 4},
        before_each=cache.clear,
        mixed_weight=0,
    ),  # fmt: skip
    Operation(
        "monitor_warm",
        "monitor:dashboard",
        "programma",
        query={"soort": "kwartaal", "jaar": _year()[0], "kwartaal": 4},
        mixed_weight=1,
    ),  # fmt: skip
    # The privacy officer's answer to an access request (AVG art. 15): every record of a
    # subject with 1,000 logbook lines as PDF (issue 19: at most 2 s).
    Operation(
        "access_request_export",
        "privacy:access_request_export",
        "privacy",
        lambda f: [f["access_request_id"], "pdf"],
        mixed_weight=0,
        requests=8,
    ),
    # A new page joins with one entry here (and a target in TARGETS if it has one); until its
    # URL name resolves it is skipped and says so. The meeting-documents page, for example:
    #   Operation("meeting_documents", "meetings:<url name>", "secretaris",
    #             lambda f: [f["meeting_id"]], mixed_weight=1),
]

EXPORT_LOGBOOK_LINES = 1_000


def prepare_export(facts: dict) -> dict:
    """An access request about a subject whose case has exactly 1,000 logbook lines (a scale
    case has 20; the lines are added set-based once, and the request registered once)."""
    from cases.models import Case
    from privacy.models import AccessRequest
    from privacy.services import access_request_register

    case = Case.objects.select_related("subject").exclude(pk=facts["big_case_id"]).order_by("pk")[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_logentry (case_id, author_id, kind, text, participants, at, "
            "created_at, updated_at) "
            "SELECT %s, %s, 'telefoon', 'Telefonisch contact; afspraak over dagbesteding.', '', "
            "now() - n * interval '1 day', now(), now() FROM generate_series(1, "
            "%s - (SELECT count(*) FROM cases_logentry WHERE case_id = %s)) AS n",
            [case.pk, case.regisseur_id, EXPORT_LOGBOOK_LINES, case.pk],
        )
    request = AccessRequest.objects.filter(subject=case.subject).first()
    if request is None:
        request = access_request_register(
            subject=case.subject,
            received_on=date.today(),  # noqa: DTZ011  (any day will do)
            channel="e-mail",
            note="Benchmark",
            actor=User.objects.get(username="privacy"),
        )
    return {**facts, "access_request_id": request.pk}


def make_session(username: str) -> str:
    """An ordinary database session for a user with a confirmed TOTP device, verified."""
    user = User.objects.get(username=username)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    session = SessionStore()
    now = time.time()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_STARTED] = now
    session[SESSION_LAST_SEEN] = now
    session.create()
    return session.session_key


class Http:
    """One request per connection (gunicorn's sync workers close after each response)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.last_size = 0  # bytes of the last response body (one thread measures sizes)

    def request(self, method: str, path: str, session: str, *, data=None, headers=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        body = urlencode(data) if data else None
        head = {
            "Host": "127.0.0.1",
            "Cookie": f"sessionid={session}; csrftoken={CSRF_SECRET}",
            **(headers or {}),
        }
        if method == "POST":
            head["X-CSRFToken"] = CSRF_SECRET
            head["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=head)
        response = conn.getresponse()
        self.last_size = len(response.read())
        elapsed = (time.perf_counter() - started) * 1000
        conn.close()
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: HTTP {response.status}")
        return elapsed


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return round(ordered[index], 1)


def run_clients(
    http: Http, op: Operation, path: str, session: str, *, clients: int, requests: int
) -> list[float]:
    timings: list[float] = []
    lock = threading.Lock()
    errors: list[Exception] = []

    def work():
        for _ in range(requests):
            try:
                if op.before_each:
                    op.before_each()
                data = op.data() if op.data else None
                t = http.request(op.method, path, session, data=data, headers=op.headers)
            except Exception as error:  # noqa: BLE001  (reported after the run)
                errors.append(error)
                return
            with lock:
                timings.append(t)

    threads = [threading.Thread(target=work) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return timings


def count_queries(op: Operation, path: str, session: str) -> int:
    client = Client(enforce_csrf_checks=False)
    client.cookies["sessionid"] = session
    with CaptureQueriesContext(connection) as queries:
        if op.method == "POST":
            response = client.post(path, op.data(), headers=op.headers)
        else:
            response = client.get(path, headers=op.headers)
    if response.status_code != 200:
        raise RuntimeError(f"{op.name}: HTTP {response.status_code} in process")
    return len(queries)


def measure_operations(http: Http, facts: dict, *, requests: int, only=None, log=print) -> dict:
    sessions: dict[str, str] = {}
    results = {}
    for op in OPERATIONS:
        if only and op.name not in only:
            continue
        path = op.path(facts)
        if path is None:
            log(f"  {op.name}: overgeslagen ({op.url_name} bestaat (nog) niet)")
            continue
        if op.user not in sessions:
            sessions[op.user] = make_session(op.user)
        session = sessions[op.user]
        run_clients(http, op, path, session, clients=1, requests=3)  # warm up the workers
        size = http.last_size
        count = op.requests or requests
        one = run_clients(http, op, path, session, clients=1, requests=count)
        four = run_clients(http, op, path, session, clients=4, requests=max(2, count // 2))
        results[op.name] = {
            "p50_ms": percentile(one, 50),
            "p95_ms": percentile(one, 95),
            "p50_4c_ms": percentile(four, 50),
            "p95_4c_ms": percentile(four, 95),
            "queries": count_queries(op, path, session),
            "bytes": size,
            "path": path,
        }
        if "baseline" in results:
            results[op.name]["ratio"] = round(
                results[op.name]["p50_ms"] / (results["baseline"]["p50_ms"] or 1), 1
            )
        log(f"  {op.name}: {results[op.name]}")
    return results


def measure_mixed(http: Http, facts: dict, *, clients: int, seconds: float) -> dict:
    plan = []
    sessions: dict[str, str] = {}
    for op in OPERATIONS:
        path = op.path(facts)
        if path is None or not op.mixed_weight:
            continue
        if op.user not in sessions:
            sessions[op.user] = make_session(op.user)
        plan += [(op, path, sessions[op.user])] * op.mixed_weight
    timings: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    errors: list[Exception] = []

    def work(seed: int):
        rng = random.Random(seed)  # noqa: S311  (a load mix, not a secret)
        while time.perf_counter() < deadline:
            op, path, session = rng.choice(plan)
            try:
                data = op.data() if op.data else None
                t = http.request(op.method, path, session, data=data, headers=op.headers)
            except Exception as error:  # noqa: BLE001
                errors.append(error)
                return
            with lock:
                timings.append(t)

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "rps": round(len(timings) / elapsed, 1),
        "p50_ms": percentile(timings, 50),
        "p95_ms": percentile(timings, 95),
        "requests": len(timings),
    }


def measure_letter(facts: dict, *, renders: int) -> dict:
    """A one-page notification letter rendered to PDF (WeasyPrint), as the intake desk does."""
    from pypdf import PdfReader  # the dev extra, which `make install` installs

    from cases import letters
    from cases.constants import LETTER_TEMPLATE_VERSION, LETTER_TEMPLATES
    from cases.models import Case
    from ipgar.lib.pdf import render_pdf

    case = Case.objects.select_related("subject", "regisseur", "organisation").get(
        pk=facts["big_case_id"]
    )
    recipient = letters.required_recipients(case)[0]
    template = LETTER_TEMPLATES[LETTER_TEMPLATE_VERSION]
    render_pdf(template, {"letter": letters.present(case, recipient)})  # fonts, templates
    timings = []
    for _ in range(renders):
        started = time.perf_counter()
        rendered = render_pdf(template, {"letter": letters.present(case, recipient)})
        timings.append((time.perf_counter() - started) * 1000)
    pages = len(PdfReader(io.BytesIO(rendered.content)).pages)
    with CaptureQueriesContext(connection) as queries:
        render_pdf(template, {"letter": letters.present(case, recipient)})
    return {
        "p50_ms": percentile(timings, 50),
        "p95_ms": percentile(timings, 95),
        "p50_4c_ms": None,
        "p95_4c_ms": None,
        "queries": len(queries),
        "pages": pages,
    }


def measure_sweep() -> dict:
    from ipgar.notifications.models import Notification
    from reminders.services import sweep

    # The bench database is the benchmark's own: start each run from no reminders, so the first
    # sweep always measures creating them all, and the second proves it creates none.
    Notification.objects.all().delete()
    before = 0
    started = time.perf_counter()
    first = sweep()
    seconds = time.perf_counter() - started
    after_first = Notification.objects.count()
    started = time.perf_counter()
    second = sweep()
    rerun_seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "created": first.created,
        "rows": after_first - before,
        "rerun_seconds": round(rerun_seconds, 2),
        "rerun_rows": Notification.objects.count() - after_first,
        "rerun_created": second.created,
    }


def machine() -> str:
    cpus = os.cpu_count()
    return (
        f"{platform.node()} · {platform.system()} {platform.release()} · {cpus} CPU · "
        f"Python {platform.python_version()} · PostgreSQL {connection.pg_version // 10000} · "
        f"shared with other work (noisy)"
    )


TARGETS = {
    "case_list": ("p95_ms", 60),
    "case_page": ("p95_ms", 60),
    "log_contact": ("p95_ms", 60),
    "agenda": ("p50_ms", 30),
    "monitor_warm": ("p95_ms", 30),
    "monitor_cold": ("p95_ms", 300),
    "letter": ("p95_ms", 150),
    "access_request_export": ("p95_ms", 2000),
}


def table(results: dict) -> str:
    base = results["baseline"]["p50_ms"] or 1
    lines = [
        "| operation | p50 ms | p95 ms | p50 4c ms | p95 4c ms | queries | kB | p50 / baseline "
        "| target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]

    def fmt(value):
        return "–" if value is None else f"{value:g}"

    def kb(value):
        return "–" if value is None else f"{value / 1024:.0f}"

    rows = {"baseline": results["baseline"], **results["operations"]}
    for name, row in rows.items():
        target = TARGETS.get(name)
        verdict = ""
        if target:
            key, limit = target
            verdict = f"{key[:3]} ≤ {limit}: " + ("ok" if row[key] <= limit else "**niet**")
        lines.append(
            f"| {name} | {fmt(row['p50_ms'])} | {fmt(row['p95_ms'])} | "
            f"{fmt(row.get('p50_4c_ms'))} | {fmt(row.get('p95_4c_ms'))} | "
            f"{fmt(row.get('queries'))} | {kb(row.get('bytes'))} | {row['p50_ms'] / base:.1f}× "
            f"| {verdict} |"
        )
    sweep = results["sweep"]
    lines.append(
        f"| sweep (s) | {sweep['seconds']} | | | | | | | ≤ 2 s: "
        + ("ok" if sweep["seconds"] <= 2 else "**niet**")
        + f"; herhaling {sweep['rerun_rows']} rijen |"
    )
    mixed = results["mixed"]
    ok = mixed["rps"] >= 80 and mixed["p95_ms"] <= 250
    lines.append(
        f"| mixed 8 clients | {mixed['p50_ms']} | {mixed['p95_ms']} | | | | | "
        f"{mixed['rps']} rps | ≥ 80 rps, p95 ≤ 250: {'ok' if ok else '**niet**'} |"
    )
    small = results.get("small_tier") or {}
    for name in ("case_list", "case_page"):
        if name in small and name in results["operations"]:
            ratio = results["operations"][name]["p50_ms"] / small[name]["p50_ms"]
            lines.append(
                f"| {name} large/small p50 | {ratio:.2f}× | | | | | | | ≤ 1.5×: "
                + ("ok" if ratio <= 1.5 else "**niet**")
                + " |"
            )
    return "\n".join(lines)


def write_results(results: dict, path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:  # noqa: PTH123
        json.dump(results, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
