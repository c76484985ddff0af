"""Runs every cell of tests/security/matrix.py against the real views.

A cell is (URL row, persona): the persona (a role and its relation to the object) requests the
URL filled with the world's objects; the answer must be what the row expects. Every request
runs in a savepoint that is rolled back, so a write in one cell never changes the next.
Failures name each differing cell; the counts are printed at the end of the run.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.security.matrix import ALLOWED, MATRIX, PUBLIC, SELF_SERVICE, Row
from tests.security.world import PERSONAS, World, latest_plan_version, persona_label

PARAMETER = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")
COUNTS = {"cells": 0, "guessed": 0, "foreign": 0}


# What a URL keyword points at, per side of the world ("main": the personas' object; "other":
# a stranger's case whose sub-resources must not open through the main case's URL).
def _side(world: World, side: str):
    return world.main if side == "main" else world.other


TARGETS = {
    "case": lambda w, side: _side(w, side).case.pk,
    "report": lambda w, side: _side(w, side).report.pk,
    "intervention": lambda w, side: _side(w, side).furnished.intervention.pk,
    "body": lambda w, side: w.itatr.pk,
    "meeting": lambda w, side: w.itatr_meeting.pk,
    "pto_meeting": lambda w, side: w.pto_meeting.pk,
    "item": lambda w, side: _side(w, side).itatr_item.pk,
    "user": lambda w, side: w.target_user.pk,
    "organisation": lambda w, side: w.organisation.pk,
    "framework": lambda w, side: w.framework.pk,
    "catalogue": lambda w, side: w.catalogue_pk,
    "notification": lambda w, side: w.notification_pk,
    "postponement": lambda w, side: w.postponement.pk,
    "subject": lambda w, side: w.subject.pk,
    "destruction_list": lambda w, side: w.destruction_list.pk,
    "access_request": lambda w, side: w.access_request.pk,
    "woo_meeting": lambda w, side: w.woo_meeting.pk,
    "ended_intervention": lambda w, side: w.ended_intervention.pk,
    "role_request": lambda w, side: w.role_request.pk,
}
# Keywords that name the row's own object (TARGETS), besides <pk>.
OBJECT_KEYWORDS = ("pk", "subject_pk")
# Keywords that name no object: a fixed, valid value (a guessed value proves nothing here).
FIXED = {"slug": "index", "fmt": "json"}
# Keywords for sub-resources: they follow their case (or meeting, report, body).
SUB_RESOURCES = {
    "entry_pk": lambda w, side, row: _side(w, side).furnished.entry.pk,
    "goal_pk": lambda w, side, row: _side(w, side).furnished.goal.pk,
    "intervention_pk": lambda w, side, row: _side(w, side).furnished.intervention.pk,
    "contact_pk": lambda w, side, row: _side(w, side).furnished.contact.pk,
    "agreement_pk": lambda w, side, row: _side(w, side).furnished.agreement.pk,
    "meeting_pk": lambda w, side, row: _side(w, side).furnished.meeting.pk,
    "letter_pk": lambda w, side, row: _side(w, side).letter.pk,
    "version_pk": lambda w, side, row: latest_plan_version(_side(w, side).case).pk,
    "request_pk": lambda w, side, row: _side(w, side).information_request.pk,
    "item_pk": lambda w, side, row: (
        (_side(w, side).pto_item if row.target == "pto_meeting" else _side(w, side).itatr_item).pk
    ),
    "decision_pk": lambda w, side, row: _side(w, side).decision.pk,
    "action_pk": lambda w, side, row: w.action.pk,
    "question_pk": lambda w, side, row: w.question_pk,
    "user_pk": lambda w, side, row: w.users[("interventiepartner", "partner")].pk,
}


def url_for(row: Row, routes: dict[str, str], world: World, *, side: str = "main", **overrides):
    route = routes[row.name]
    kwargs = {}
    for name in PARAMETER.findall(route):
        if name in overrides:
            kwargs[name] = overrides[name]
        elif name in OBJECT_KEYWORDS:
            kwargs[name] = TARGETS[row.target](world, "main")
        elif name in SUB_RESOURCES:
            kwargs[name] = SUB_RESOURCES[name](world, side, row)
        elif name in FIXED:
            kwargs[name] = FIXED[name]
        elif name in ("kind", "object_type", "object_id"):
            kwargs[name] = dict(
                zip(("kind", "object_type", "object_id"), world.deadline_key, strict=True)
            )[name]
        else:
            pytest.fail(f"{row.name}: no value for <{name}>; add it to TARGETS or SUB_RESOURCES")
    url = reverse(row.name, kwargs=kwargs)
    if row.variant.startswith("?"):
        url += row.variant.format(**{k: quote(v) for k, v in world.markers.items()})
    return url


def _data(row: Row) -> dict:
    today = timezone.localdate().isoformat()
    return {key: value.format(today=today) for key, value in (row.data or {}).items()}


def request(client: Client, row: Row, url: str):
    headers = {}
    if row.variant.startswith("htmx:"):
        headers = {"HX-Request": "true", "HX-Target": row.variant.removeprefix("htmx:")}
    with transaction.atomic():
        response = getattr(client, row.method.lower())(url, _data(row), headers=headers)
        content = b"".join(response) if response.streaming else response.content
        transaction.set_rollback(True)
    return response, content


def outcome(response) -> object:
    return ALLOWED if response.status_code in (200, 302) else response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("row", MATRIX, ids=lambda r: r.label)
def test_every_cell_answers_as_the_matrix_says(row: Row, routes, world):
    assert row.name in routes, f"{row.name} is in the matrix but not a URL of the project"
    url = url_for(row, routes, world)
    wrong = []
    for persona in PERSONAS:
        response, content = request(world.clients[persona], row, url)
        COUNTS["cells"] += 1
        expected, got = row.expected(persona), outcome(response)
        if expected != got:
            wrong.append(f"{row.label} {persona_label(persona)}: expected {expected}, got {got}")
        elif got == ALLOWED and row.shows is not None and response.status_code == 200:
            marker = world.markers[row.marker].encode()
            if (marker in content) != (persona in row.shows):
                wrong.append(
                    f"{row.label} {persona_label(persona)}: the answer "
                    f"{'lacks' if persona in row.shows else 'shows'} {row.marker} {marker!r}"
                )
    assert wrong == [], "\n".join(wrong)


def _first_allowed(row: Row):
    return next((p for p in PERSONAS if p in row.allow), None)


OBJECT_ROWS = [r for r in MATRIX if r.target and r.allow]


@pytest.mark.django_db
@pytest.mark.parametrize("row", OBJECT_ROWS, ids=lambda r: r.label)
def test_guessed_and_foreign_ids_are_not_found_even_for_the_allowed(row: Row, routes, world):
    """The persona the row allows asks for an id that does not exist, and for a sub-resource
    of another case through the URL of its own: both are 404."""
    persona = _first_allowed(row)
    client = world.clients[persona]
    names = PARAMETER.findall(routes[row.name])
    wrong = []
    for name in names:
        if name in ("kind", "object_type", *FIXED):
            continue
        guessed = "999999" if name == "object_id" else 999999
        response, _ = request(client, row, url_for(row, routes, world, **{name: guessed}))
        COUNTS["guessed"] += 1
        if response.status_code != 404:
            wrong.append(f"{row.label} <{name}>=999999: {response.status_code}")
        if name in SUB_RESOURCES and name not in ("action_pk", "question_pk", "user_pk"):
            response, _ = request(client, row, url_for(row, routes, world, side="other"))
            COUNTS["foreign"] += 1
            if response.status_code != 404:
                wrong.append(f"{row.label} <{name}> of another case: {response.status_code}")
    assert wrong == [], "\n".join(wrong)


def test_every_url_pattern_is_in_the_matrix_or_on_an_allowlist(routes):
    in_matrix = {r.name for r in MATRIX}
    missing = sorted(set(routes) - in_matrix - set(PUBLIC) - set(SELF_SERVICE))
    assert missing == [], (
        "These URL patterns are in no row of tests/security/matrix.py and on no allowlist: "
        + ", ".join(missing)
        + ". Add a row saying who may reach each (see 'HOW TO ADD A URL' at the top of "
        "tests/security/matrix.py)."
    )
    stale = sorted((in_matrix | set(PUBLIC) | set(SELF_SERVICE)) - set(routes))
    assert stale == [], f"The matrix names URLs that no longer exist: {stale}"
    assert not (in_matrix & set(PUBLIC)), "a URL is both in the matrix and public"


def test_every_persona_and_relation_of_the_matrix_is_asked():
    roles = {role for role, _ in PERSONAS}
    from ipgar.accounts.constants import Role

    assert roles == set(Role.values)


def test_zz_print_the_counts(routes):
    """Runs last in this module (pytest keeps file order): the size of what was checked."""
    cells = sum(len(PERSONAS) for _ in MATRIX)
    print(
        f"\nACCESS MATRIX: {len(MATRIX)} rows x {len(PERSONAS)} personas = {cells} cells; "
        f"{COUNTS['cells']} cells requested, {COUNTS['guessed']} guessed ids, "
        f"{COUNTS['foreign']} foreign sub-resources; {len(routes)} URL patterns "
        f"({len({r.name for r in MATRIX})} in the matrix, {len(PUBLIC)} public, "
        f"{len(SELF_SERVICE)} self-service)"
    )
