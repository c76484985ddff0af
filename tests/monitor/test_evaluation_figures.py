"""Issue 18, the figures the programme evaluation asks for: inflow by ideology and risk group,
'statisch' cases, integral working and report → admission apart from non-admission; each goes
through the same disclosure control as the rest of the page."""

from datetime import date

import pytest

from cases.models import Case, Intervention
from intake.constants import Ideology
from monitor import periods
from monitor.selectors import monitor_data
from tests.cases.factories import CatalogueEntryFactory
from tests.monitor.factories import history

pytestmark = pytest.mark.django_db

Q1 = periods.quarter(2026, 1)


@pytest.fixture
def cases(settings):
    settings.MONITOR_K = 5
    found = []
    ideologies = [Ideology.RIGHT_WING] * 5 + [Ideology.LEFT_WING] * 2 + [Ideology.SINGLE_ISSUE] * 2
    for i, ideology in enumerate(ideologies):
        report = history(received=date(2025, 12, 1), decided=date(2026, 1, 10 + i))
        Case.objects.filter(report=report).update(
            ideology=ideology,
            risk_groups=[4],
            is_dormant=i < 5,
            dormant_since=date(2026, 2, 1) if i < 5 else None,
        )
        found.append(Case.objects.get(report=report))
    for i in range(5):
        history(received=date(2025, 12, 1), decided=date(2026, 2, 2 + i), admitted=False)
    return found


def table(data, key):
    return next(t for t in data["tables"] if t["key"] == key)


def test_inflow_by_ideology_and_risk_group_with_small_cells_hidden(cases):
    data = monitor_data(Q1, use_cache=False)

    ideology = {row["label"]: row["cur"] for row in table(data, "inflow_ideology")["rows"]}
    assert ideology[Ideology.RIGHT_WING.label] == 5
    assert ideology[Ideology.LEFT_WING.label] is None  # 2 persons
    assert ideology[Ideology.SINGLE_ISSUE.label] is None  # 2 persons
    assert table(data, "inflow_ideology")["total"]["cur"] == 9
    groups = {row["label"]: row["cur"] for row in table(data, "inflow_risk_group")["rows"]}
    assert list(groups.values()).count(9) == 1


def test_statisch_cases_at_the_end_of_the_quarter(cases):
    data = monitor_data(Q1, use_cache=False)

    rows = {row["label"]: row["cur"] for row in table(data, "dormant")["rows"]}
    # 5 statisch and 4 not: the 4 are hidden, and with the total published (it is the active
    # cases' total elsewhere on the page) the 5 must go too.
    assert rows == {"Statisch": None, "Niet statisch": None}
    assert table(data, "dormant")["total"]["cur"] == 9


def test_integral_working_counts_persons_by_who_delivers(cases, settings):
    entry = CatalogueEntryFactory()
    for case in cases:
        Intervention.objects.create(
            case=case,
            catalogue_entry=entry,
            rationale="Past bij de persoon.",
            owner_organisation=entry.provider,
            planned_start=date(2026, 1, 20),
            status="lopend",
        )

    rows = {
        row["label"]: row["cur"]
        for row in table(monitor_data(Q1, use_cache=False), "intervention_integral")["rows"]
    }

    other = sum(1 for case in cases if case.organisation_id != entry.provider_id)
    assert rows["Door een andere organisatie"] == (other if other == 0 or other >= 5 else None)
    assert rows["Door de eigen organisatie van de regisseur"] == (
        9 - other if 9 - other == 0 or 9 - other >= 5 else None
    )


def test_report_to_admission_apart_from_non_admission(cases):
    lead = {row["code"]: row for row in monitor_data(Q1, use_cache=False)["lead_times"]}

    assert lead["received:admitted"]["cur"]["n"] == 9
    assert lead["received:not_admitted"]["cur"]["n"] == 5
    assert lead["received:decided"]["cur"]["n"] == 14
