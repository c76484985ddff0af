"""Issue 18, the wrong figures: each test fails on the cause the issue found."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from cases import services as case_services
from cases.constants import ClosureReason, InterventionStatus
from cases.models import Intervention
from monitor import periods
from monitor.selectors import monitor_data
from tests.cases.factories import CaseFactory, CatalogueEntryFactory, add_intervention
from tests.monitor.factories import history

pytestmark = pytest.mark.django_db

Q1 = periods.quarter(2026, 1)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def tables(data: dict) -> dict:
    return {table["key"]: table for table in data["tables"]}


def test_the_phase_table_keeps_newly_admitted_cases_and_totals_like_the_gender_table(settings):
    settings.MONITOR_K = 5
    for i in range(6):  # admitted, no base file and no plan yet
        history(received=date(2026, 1, 5), decided=date(2026, 2, 1 + i), gender="m")
    for i in range(5):  # base file, no plan
        history(
            received=date(2026, 1, 5),
            decided=date(2026, 2, 10 + i),
            base_file=date(2026, 2, 10 + i),
            gender="v",
        )

    found = tables(monitor_data(Q1, use_cache=False))
    phases = {row["label"]: row["cur"] for row in found["phase"]["rows"]}

    assert phases["Opgenomen, nog geen basisdossier"] == 6
    assert phases["Basisdossier bij regisseur"] == 5
    assert found["phase"]["total"]["cur"] == found["gender"]["total"]["cur"] == 11


def test_closing_a_case_ends_its_running_interventions_with_the_closing_day(time_machine):
    time_machine.move_to(datetime(2026, 2, 2, 10, tzinfo=AMSTERDAM), tick=False)
    case = CaseFactory(in_execution=True)
    running = add_intervention(case, planned_start=date(2026, 1, 15), status="lopend")
    planned = add_intervention(case, planned_start=date(2026, 4, 1))
    closed_at = datetime.combine(date(2026, 2, 18), time(9), tzinfo=AMSTERDAM)

    case_services.case_close(
        case=case, actor=case.regisseur, reason=ClosureReason.GOALS_MET, decided_at=closed_at
    )

    running = Intervention.objects.get(pk=running.pk)
    assert (running.status, running.planned_end) == (
        InterventionStatus.COMPLETED,
        date(2026, 2, 18),
    )
    assert "Beëindigd bij de afsluiting van de casus op 18-02-2026." in running.result
    assert Intervention.objects.get(pk=planned.pk).status == InterventionStatus.STOPPED
    assert running.history.first().history_user == case.regisseur


def test_an_intervention_counts_only_while_its_case_is_in_the_approach(settings):
    settings.MONITOR_K = 5
    open_cases, closed_cases = [], []
    for i in range(5):
        report = history(received=date(2025, 9, 1), decided=date(2025, 10, 1 + i))
        open_cases.append(report.case)
        report = history(
            received=date(2025, 9, 1),
            decided=date(2025, 10, 1 + i),
            closed=date(2025, 12, 1 + i),
        )
        closed_cases.append(report.case)
    entry = CatalogueEntryFactory()
    for case in open_cases + closed_cases:
        # Written as the old closure left them: still running, no end.
        Intervention.objects.create(
            case=case,
            catalogue_entry=entry,
            rationale="Past bij de persoon.",
            owner_organisation=case.organisation,
            planned_start=date(2025, 10, 15),
            status=InterventionStatus.RUNNING,
        )

    found = tables(monitor_data(Q1, use_cache=False))

    # Q1 2026: only the five open cases; Q4 2025: all ten (the closed ones closed in it).
    assert found["intervention_category"]["total"] == {"cur": 5, "prev": 10}
