"""Every URL of the project is closed to strangers unless it is on a short, explicit list.

The walker visits every pattern of the root resolver, nested includes and namespaces included,
so a view added tomorrow is tested without anyone writing a test for it: an unprotected pattern
fails here, not in production.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.urls.resolvers import RoutePattern

from tests.factories import UserFactory

# Reachable without signing in. Keep this short: each name here is a door without a lock.
PUBLIC_ALLOWLIST = frozenset(
    {
        "core:home",  # only redirects: to Mijn werk or to the login page
        "core:health",  # load balancer and container health check; says nothing about data
        "accounts:login",
        "accounts:logout",  # POST-only; logging out needs no login
    }
)
# Reachable after the password but before the second factor (and only then).
SECOND_FACTOR_EXEMPT = frozenset({"accounts:second_factor"})

DUMMY_VALUES: dict[type, Any] = {
    IntConverter: 1,
    StringConverter: "x",
    SlugConverter: "x",
    PathConverter: "x",
    UUIDConverter: uuid.UUID("12345678-1234-5678-1234-567812345678"),
}
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


@dataclass(frozen=True)
class Walked:
    name: str  # "namespace:url_name", or the route when the pattern has no name
    route: str
    url: str
    callback: Any


def _dummy_for(converter: Any, route: str) -> str:
    for kind, value in DUMMY_VALUES.items():
        if type(converter) is kind:
            return converter.to_url(value)
    pytest.fail(f"No dummy value for converter {type(converter).__name__} in {route!r}")


def _url_for(route: str, converters: dict[str, Any]) -> str:
    def fill(match: re.Match) -> str:
        return _dummy_for(converters[match["parameter"]], route)

    return "/" + ROUTE_PARAMETER.sub(fill, route)


def walk(
    patterns: list | None = None, prefix: str = "", namespace: str = "", converters=None
) -> list[Walked]:
    """Every URLPattern under the root resolver, with its full route and a URL to request."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    converters = dict(converters or {})
    walked = []
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            pytest.fail(
                f"The walker only builds URLs for path() routes; teach it {entry.pattern!r}"
            )
        route = prefix + str(entry.pattern)
        own_converters = {**converters, **entry.pattern.converters}
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            walked += walk(entry.url_patterns, route, inner, own_converters)
        elif isinstance(entry, URLPattern):
            name = ":".join(part for part in (namespace, entry.name) if part) or route
            walked.append(Walked(name, route, _url_for(route, own_converters), entry.callback))
    return walked


def _redirect_target(response) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(response["Location"])
    return parts.path, parse_qs(parts.query)


def _is_sent_to(response, page_url: str, requested_url: str) -> bool:
    if response.status_code != 302:
        return False
    path, query = _redirect_target(response)
    return path == page_url and query.get("next") == [requested_url]


def _dummy_kwargs(pattern: Walked) -> dict:
    return get_resolver().resolve(pattern.url).kwargs


@pytest.fixture(scope="module")
def walked() -> list[Walked]:
    patterns = walk()
    print(f"\nURL walker: {len(patterns)} patterns walked")
    return patterns


def test_it_walks_every_app_including_nested_namespaces(walked):
    names = {pattern.name for pattern in walked}
    # One name per included URLconf, so a missing include() or a skipped namespace shows up.
    assert {"core:my_work", "accounts:user_list", "audit:access_log"} <= names
    assert {"cases:catalogue_list", "meetings:body_list"} <= names
    for pattern in walked:
        if ":" in pattern.name:
            assert pattern.url == reverse(pattern.name, kwargs=_dummy_kwargs(pattern)), pattern


def test_the_allowlists_name_only_patterns_that_exist(walked):
    names = {pattern.name for pattern in walked}
    assert not (PUBLIC_ALLOWLIST | SECOND_FACTOR_EXEMPT) - names


def unprotected(walked: list[Walked]) -> list[str]:
    """Patterns off the allowlist whose view carries Django's @login_not_required marker."""
    return sorted(
        pattern.name
        for pattern in walked
        if pattern.name not in PUBLIC_ALLOWLIST
        and getattr(pattern.callback, "login_required", True) is False
    )


def open_to_anonymous(client, walked: list[Walked]) -> tuple[list[str], int]:
    """GET and POST every pattern off the allowlist; what answers other than login/403/405."""
    login_url = reverse("accounts:login")
    offenders, requests = [], 0
    for pattern in walked:
        if pattern.name in PUBLIC_ALLOWLIST:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(pattern.url)
            requests += 1
            if response.status_code in (403, 405):
                continue
            if not _is_sent_to(response, login_url, pattern.url):
                offenders.append(
                    f"{method.upper()} {pattern.url} ({pattern.name}): "
                    f"{response.status_code} {response.get('Location', '')}"
                )
    return offenders, requests


def test_every_pattern_not_on_the_allowlist_keeps_the_login_requirement(walked):
    assert unprotected(walked) == [], "@login_not_required outside PUBLIC_ALLOWLIST"


def test_the_allowlisted_patterns_really_are_public(walked):
    # A name that is allowlisted but protected anyway would be a stale entry in the list.
    for pattern in walked:
        if pattern.name in PUBLIC_ALLOWLIST:
            assert getattr(pattern.callback, "login_required", True) is False, pattern.name
        if pattern.name in SECOND_FACTOR_EXEMPT:
            assert getattr(pattern.callback, "second_factor_exempt", False), pattern.name


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_login_on_every_protected_pattern(client, walked):
    offenders, requests = open_to_anonymous(client, walked)
    print(f"URL walker: {requests} anonymous requests")
    assert offenders == []
    assert requests == 2 * len([p for p in walked if p.name not in PUBLIC_ALLOWLIST])


def _page(request, pk=None):
    return HttpResponse("geheim")


@login_not_required
def _login_page(request):
    return HttpResponse("inloggen")


def _forgotten_door(request, pk=None):
    return HttpResponse("geheim")


class LeakyUrls:
    """A URLconf with one forgotten door, to prove the walker notices it."""

    urlpatterns = [
        path("inloggen/", include(([path("", _login_page, name="login")], "accounts"))),
        path(
            "zaken/",
            include(
                (
                    [
                        path("<int:pk>/", _page, name="dicht"),
                        path("<int:pk>/lek/", login_not_required(_forgotten_door), name="lek"),
                    ],
                    "zaken",
                )
            ),
        ),
    ]


def test_the_walker_flags_a_new_view_marked_login_not_required():
    walked = walk(LeakyUrls.urlpatterns)
    assert [pattern.url for pattern in walked] == ["/inloggen/", "/zaken/1/", "/zaken/1/lek/"]
    assert unprotected(walked) == ["zaken:lek"]


@pytest.mark.django_db
def test_the_walker_flags_a_new_view_that_answers_strangers(client, settings):
    settings.ROOT_URLCONF = LeakyUrls
    offenders, requests = open_to_anonymous(client, walk(LeakyUrls.urlpatterns))
    assert requests == 4
    assert offenders == [
        "GET /zaken/1/lek/ (zaken:lek): 200 ",
        "POST /zaken/1/lek/ (zaken:lek): 200 ",
    ]


@pytest.mark.django_db
def test_the_public_patterns_answer_an_anonymous_visitor_without_sending_them_to_login(
    client, walked, settings
):
    settings.CELERY_BROKER_URL = "memory://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    for pattern in walked:
        if pattern.name not in PUBLIC_ALLOWLIST:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(pattern.url)
            assert response.status_code < 500, (method, pattern.name, response.status_code)
            if response.status_code == 302:
                path, query = _redirect_target(response)
                assert "next" not in query, (method, pattern.name, response["Location"])


@pytest.mark.django_db
def test_a_user_without_second_factor_is_sent_to_it_on_every_protected_pattern(
    client, walked, settings
):
    settings.OTP_REQUIRED = True
    client.force_login(UserFactory(roles=["functioneel_beheer", "privacy", "secretaris"]))
    second_factor_url = reverse("accounts:second_factor")
    offenders = []
    for pattern in walked:
        if pattern.name in PUBLIC_ALLOWLIST | SECOND_FACTOR_EXEMPT:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(pattern.url)
            if not _is_sent_to(response, second_factor_url, pattern.url):
                offenders.append(f"{method.upper()} {pattern.url}: {response.status_code}")
    assert offenders == []
