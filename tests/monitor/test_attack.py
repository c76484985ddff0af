"""Issue 18, acceptance 2: an attacker subtracts published figures to recover a hidden cell.

Pairs of periods: the form allows calendar quarters only (a year, half year or custom period is
refused), so every pair of allowed periods is disjoint and no figure of one is part of a figure
of the other; what remains to prove is that a quarter is published alike wherever it shows (as
the current period on its own page and as the previous one on the next page).

Pairs of tables: for every page, period column and pair of tables (or a table and a single
figure) that share a total by definition, the attacker takes the total from whichever publishes
it, and the hidden cells from the other published figures; a table with one unknown left gives
it away. The true values come from the same computation without disclosure control."""

from datetime import date, timedelta
from itertools import combinations

import pytest
from django.urls import reverse

from cases.constants import LinkKind
from cases.models import Case
from intake.constants import LifeDomain
from ipgar.accounts.constants import Role
from ipgar.accounts.models import Organisation
from monitor import periods, selectors
from monitor.selectors import monitor_data
from tests.monitor.conftest import spread_histories
from tests.monitor.factories import days_after, history, link
from tests.personas import persona

pytestmark = pytest.mark.django_db

KINDS = [LinkKind.NETWORK, LinkKind.NETWORK, LinkKind.FAMILY]
QUARTERS = [periods.quarter(y, q) for y in (2025, 2026) for q in (1, 2, 3, 4)]
# Figures that are one population by definition, as an attacker reading the definitions
# would pair them: (table key, row label or "total") on the same page and period.
SHARED = [
    [("funnel", "Ontvangen"), ("reporter_kind", "total"), ("channel", "total")],
    [("funnel", "Eerste beoordeling"), ("triage", "total")],
    [("funnel", "Doorgezet naar het Voorportaal"), ("triage", "Doorzetten naar het Voorportaal")],
    [
        ("case_flow", "Afgesloten"),
        ("closures", "total"),
        ("goals", "total"),
        ("duration", "Van opname tot afsluiting"),
    ],
    [("lead_route", "total"), ("lead_requests", "total")],
    [("handover", "total"), ("closures", "Doelen behaald, warme overdracht")],
    [
        ("phase", "total"),
        ("gender", "total"),
        ("age", "total"),
        ("ideology", "total"),
        ("city", "total"),
        ("domain_problems", "total"),
        ("network_subjects", "total"),
        ("caseload", "total"),
    ],
    [
        ("intervention_entry", "total"),
        ("intervention_category", "total"),
        ("intervention_provider", "total"),
    ],
]


@pytest.fixture
def dataset(settings):
    settings.MONITOR_K = 5
    reports = spread_histories(24, end=date(2026, 9, 30))
    reports += spread_histories(12, end=date(2025, 12, 31))
    ggz = Organisation.objects.get(code="GGZ")
    for i, received in enumerate(date(2025, 2, 1) + timedelta(days=23 * n) for n in range(14)):
        report = history(
            received=received,
            decided=days_after(received, 20),
            base_file=days_after(received, 20),
            closed=days_after(received, 60 + i % 5),
            gender="x" if i % 4 == 0 else "v",
        )
        if i % 3:
            Case.objects.filter(report=report).update(handover_organisation=ggz)
    # The evaluation's figures: urgent and incomplete routes, information requests, base-file
    # scores, links between persons and closures (the duration in the approach).
    good = dict.fromkeys(LifeDomain.values, 4)
    troubled = good | {LifeDomain.HOUSING: 2}
    subjects = []
    for i, received in enumerate(date(2025, 1, 10) + timedelta(days=29 * n) for n in range(22)):
        answered = days_after(received, 30) if i % 2 else None
        report = history(
            received=received,
            decided=days_after(received, 15 + i % 6),
            admitted=i % 5 != 0,
            urgent=i % 3 == 0,
            incomplete=(i % 6 == 0) if i % 3 == 0 else None,
            requests=[(days_after(received, 3), answered)] if i % 4 < 2 else [],
            scores=(good if i % 2 else troubled) if i % 7 else None,
            closed=days_after(received, 200) if i % 4 == 3 else None,
        )
        if i % 5 != 0:
            subjects.append(Case.objects.get(report=report).subject)
    for i, (first, second) in enumerate(zip(subjects, subjects[1:], strict=False)):
        link(first, second, on=date(2025, 3, 1) + timedelta(days=41 * i), kind=KINDS[i % 3])
    return reports


def figures(data: dict, per: str) -> dict:
    """(table, label) -> value, for the tables and the caseload of one period column."""
    found = {}
    for table in [*data["tables"], data["effectiveness"]["goals"]]:
        for row in table["rows"]:
            found[(table["key"], row["label"])] = row[per]
        if table.get("total"):
            found[(table["key"], "total")] = table["total"][per]
    if per == "cur":
        organisations = data["caseload"]["organisations"]
        for row in organisations:
            found[("caseload", row["label"])] = row["active"]
    return found


def lines(data: dict) -> dict:
    """(table key, total label) -> the row labels that sum to it: the tables whose rows sum to
    their total, and a subtotal row (the urgent route) with its parts."""
    result = {}
    for table in [*data["tables"], data["effectiveness"]["goals"]]:
        subtotals = table.get("subtotals", {})
        parts = {part for members in subtotals.values() for part in members}
        for label, members in subtotals.items():
            result[(table["key"], label)] = list(members)
        if table.get("total") and table["key"] not in ("risk_group", "inflow_risk_group"):
            result[(table["key"], "total")] = [
                row["label"] for row in table["rows"] if row["label"] not in parts
            ]
    result[("caseload", "total")] = [row["label"] for row in data["caseload"]["organisations"]]
    return result


def raw(period, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(selectors, "protect", lambda data, k: None)
        data = monitor_data(period, use_cache=False)
    organisations = data["caseload"]["organisations"]
    return data, sum(row["active"] for row in organisations)


def test_no_pair_of_tables_or_periods_gives_a_hidden_cell_away(dataset, monkeypatch, capsys):
    tried_tables = tried_periods = recovered = hidden_cells = 0
    published = {}
    for period in QUARTERS:
        data = monitor_data(period, use_cache=False)
        truth, caseload_total = raw(period, monkeypatch)
        for per in ("cur", "prev"):
            shown, true = figures(data, per), figures(truth, per)
            true[("caseload", "total")] = caseload_total
            shown.setdefault(("caseload", "total"), None)  # never published on its own
            hidden_cells += sum(1 for key, value in shown.items() if value is None and true[key])
            label = (period if per == "cur" else period.previous()).label
            published.setdefault(label, []).append(
                {key: value for key, value in shown.items() if key[0] != "caseload"}
            )
            table_lines = (
                lines(truth)
                if per == "cur"
                else {
                    line: labels for line, labels in lines(truth).items() if line[0] != "caseload"
                }
            )
            groups = [[f for f in group if f in true] for group in SHARED]
            for (key, line_total), labels in table_lines.items():
                members = next((g for g in groups if (key, line_total) in g), [(key, line_total)])
                for source in members:  # the total as published by this table or another
                    tried_tables += 1
                    total = shown.get(source)
                    if total is None or true[source] != true[(key, line_total)]:
                        continue
                    known = {}
                    for row in labels:
                        value = shown.get((key, row))
                        for group in groups:  # a cell published elsewhere under its own name
                            if (key, row) in group and value is None:
                                value = next(
                                    (
                                        shown[f]
                                        for f in group
                                        if shown.get(f) is not None and true[f] == true[(key, row)]
                                    ),
                                    None,
                                )
                        known[row] = value
                    unknown = [row for row, value in known.items() if value is None]
                    if len(unknown) == 1:
                        guess = total - sum(v for v in known.values() if v is not None)
                        if guess == true[(key, unknown[0])] and true[(key, unknown[0])]:
                            recovered += 1
    for first, second in combinations(QUARTERS, 2):
        tried_periods += 1
        assert first.end <= second.start or second.end <= first.start  # disjoint
    for label, versions in published.items():  # a quarter reads alike on every page
        for version in versions[1:]:
            for key in versions[0].keys() | version.keys():
                # A row only one page has (an organisation without handovers in the other
                # quarter) is 0 where it is absent; a place named on only one page is counted
                # under the other places on both (shown as <k where it is named).
                absent = None if key[0] == "city" else 0
                first, other = versions[0].get(key, absent), version.get(key, absent)
                if key[0] == "city" and None in (first, other):
                    first, other = first or None, other or None
                assert first == other, (label, key)

    with capsys.disabled():
        print(
            f"\n  attack: {tried_tables} table pairs and {tried_periods} period pairs tried, "
            f"{hidden_cells} hidden cells, {recovered} recovered"
        )
    assert hidden_cells > 0
    assert recovered == 0


@pytest.mark.parametrize(
    "query",
    [
        {"soort": "jaar", "jaar": "2026"},
        {"soort": "halfjaar", "jaar": "2026", "halfjaar": "1"},
        {"soort": "aangepast", "van": "2026-01-01", "tot": "2026-01-02"},
    ],
)
def test_overlapping_periods_are_not_offered(client, query):
    client, _user = persona(client, Role.PROGRAMME_TEAM)

    assert client.get(reverse("monitor:dashboard"), query).status_code == 400
