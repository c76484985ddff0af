"""Shared test setup: markers for real services, the flush after transactional tests, the
hypothesis profiles and how the tests are spread over pytest-xdist's workers."""

import importlib
import os
from pathlib import Path

import factory.random
import pytest
from _pytest.nodeid import coerce_node_id
from django.db import connection
from hypothesis import settings as hypothesis_settings
from hypothesis.database import DirectoryBasedExampleDatabase
from pytest_django.plugin import blocking_manager_key

ON_CI = os.environ.get("CI", "").lower() == "true"

# --- Property tests --------------------------------------------------------------------------
# Under `make test` and CI every property test draws the same examples on every run: the seed
# comes from the test itself (derandomize), nothing is replayed from a local database, and the
# number of examples is fixed. `make fuzz` loads the "fuzz" profile instead: random seeds, many
# more examples, failures kept in .hypothesis/ and, for the form fuzzer, written to
# tests/reliability/fuzz_regressions.json, which the ordinary run replays.
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
hypothesis_settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, max_examples=150, print_blob=True
)
hypothesis_settings.register_profile(
    "fuzz",
    derandomize=False,
    database=DirectoryBasedExampleDatabase(".hypothesis/examples"),
    deadline=None,
    max_examples=int(os.environ.get("FUZZ_EXAMPLES_PER_TEST", "5000")),
    print_blob=True,
)
hypothesis_settings.load_profile(HYPOTHESIS_PROFILE)


# --- Factory data ----------------------------------------------------------------------------
# factory_boy's Faker draws names and addresses at random: seeded by the test's own id, each
# test gets the same people on every run, in any order and on any worker. (A watermark test
# once failed only for a generated name like "Bourgondië, van".)
@pytest.fixture(autouse=True)
def _the_same_factory_data_every_run(request) -> None:
    factory.random.reseed_random(plain_node_id(request.node.nodeid))


def plain_node_id(nodeid: str) -> str:
    """The node id without the "@group" suffix that `make test` adds (see below): one test, one
    seed, with or without pytest-xdist."""
    head, at, group = nodeid.rpartition("@")
    return head if at and "]" not in group and "::" not in group else nodeid


# --- Spreading the tests over workers --------------------------------------------------------
# `make test` runs pytest-xdist with `--dist loadgroup`, and every test belongs to a group, so a
# group runs whole on one worker:
# - all browser tests form one group, so they share one Chromium and one live server and the
#   accessibility summary sees every page they checked; the WCAG audit module, with its own live
#   server and seeded demo and long enough to be the critical path, is a group of its own;
# - all tests on the real Redis form one group, since they share its queues (a worker-killed
#   test counts the unacknowledged messages);
# - every other test is grouped with its module, so data a module builds once (a seeded demo, a
#   crawl, a scale tier) is built on one worker, not again on the other.
# This hook runs first, before tests/browser/conftest.py marks its tests, so the browser folder
# is recognised by its path.
BROWSER_DIR = Path(__file__).parent / "browser"
OWN_SERVER_BROWSER_MODULES = {"test_wcag_audit.py"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        if item.path.name in OWN_SERVER_BROWSER_MODULES:
            group = item.path.stem
        elif BROWSER_DIR in item.path.parents:
            group = "browser"
        elif item.get_closest_marker("redis"):
            group = "redis"
        else:
            group = item.nodeid.split("::", 1)[0]
        item.add_marker(pytest.mark.xdist_group(group))


class _XdistGroupsInTheNodeId:
    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        """pytest-xdist 3.8 puts the group into the node id through `item._nodeid`, which pytest 9
        no longer reads (the id lives in `item._id`): every group was silently spread over both
        workers, and each worker built every module's data. The suffix is set here, as xdist's
        `loadgroup` scheduler expects it (`<node id>@<group>`)."""
        if not getattr(config.option, "loadgroup", False):
            return
        for item in items:
            if "@" in item.nodeid.rsplit("]", 1)[-1]:
                continue  # a pytest-xdist that sets the suffix itself
            names = sorted(
                {
                    str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                    for mark in item.iter_markers("xdist_group")
                }
            )
            if names:
                item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(names)}")


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_XdistGroupsInTheNodeId(), "ipgar-xdist-groups")


def _unavailable(what: str) -> None:
    """Skip locally; under CI a missing service is a failure, never a silent skip."""
    if ON_CI:
        pytest.fail(f"{what} is vereist in CI maar niet beschikbaar", pytrace=False)
    pytest.skip(f"{what} niet beschikbaar")


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "")


def _redis_answers(url: str) -> bool:
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _unavailable("PostgreSQL (DATABASE_URL)")
    if item.get_closest_marker("redis") and not _redis_answers(redis_url()):
        _unavailable("Redis (REDIS_URL)")
    if item.get_closest_marker("browser") and not Path("/usr/bin/chromium").exists():
        _unavailable("Chromium (/usr/bin/chromium)")


# --- Transactional tests ---------------------------------------------------------------------
# Django empties the database (flush) after a transactional test. The access log's append-only
# triggers refuse that, so they are lifted just before the flush and put back right after it,
# from the migration that installs them; the data the migrations seeded (roles, organisations,
# the assessment framework) is seeded again, so later tests find the database as migrated.


def _audit_log_triggers(*, installed: bool) -> None:
    migration = importlib.import_module("ipgar.audit.migrations.0002_append_only_trigger")
    with connection.schema_editor() as editor:
        migration.backwards(None, editor)  # drops IF EXISTS, so installing is idempotent
        if installed:
            migration.forwards(None, editor)


def seed_reference_data() -> None:
    """What the data migrations seed: a group per role, the organisations, the framework."""
    from django.contrib.auth.models import Group

    from intake.framework_content import seed_frameworks
    from intake.models import FrameworkQuestion, FrameworkSection, FrameworkVersion
    from ipgar.accounts.constants import ORGANISATIONS, Role
    from ipgar.accounts.models import Organisation

    for role in Role.values:
        Group.objects.get_or_create(name=role)
    for code, name, kind in ORGANISATIONS:
        Organisation.objects.get_or_create(code=code, defaults={"name": name, "kind": str(kind)})
    seed_frameworks(FrameworkVersion, FrameworkSection, FrameworkQuestion)


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return (
        "transactional_db" in item.fixturenames
        or "live_server" in item.fixturenames
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    if not _is_transactional(item):
        return (yield)
    blocker = item.config.stash[blocking_manager_key]
    with blocker.unblock():
        _audit_log_triggers(installed=False)
    try:
        return (yield)  # the fixtures' teardown, among them the flush
    finally:
        # After the session's last test the test database is already gone and the connection
        # points at the real one again: touch nothing then.
        if nextitem is not None:
            with blocker.unblock():
                _audit_log_triggers(installed=True)
                seed_reference_data()


# The figures the tests prove (query counts, matrix cells, fuzz examples, restored rows…) are
# printed by the tests themselves; pytest swallows the output of passing tests, so it is
# gathered here and printed once at the end of every run, CI included.
_FIGURES: list[tuple[str, str]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed and report.capstdout.strip():
        _FIGURES.append((report.nodeid, report.capstdout.strip()))


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if not _FIGURES:
        return
    terminalreporter.write_sep("-", "cijfers uit de tests")
    for nodeid, text in _FIGURES:
        terminalreporter.write_line(nodeid)
        for line in text.splitlines():
            terminalreporter.write_line(f"  {line}")
