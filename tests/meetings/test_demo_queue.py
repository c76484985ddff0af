"""Issue 17 acceptance 5: every report in the demo's decision-meeting queue can be decided as
the Voorportaal advised. 'Klaar voor besluit' means decidable: a known person and, for an
admission, the organisation with the best cards (which has regisseurs to appoint)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from cases import services as case_services
from cases.models import Case
from intake import services as intake_services
from intake.constants import AdviceKind, NotAdmittedReason, ReportStatus
from ipgar.accounts.constants import Role
from ipgar.accounts.models import User
from meetings import selectors
from meetings.constants import CaseItemKind
from meetings.models import Body


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def queue(seeded_once, db):
    entries = selectors.queue_for(Body.objects.get(short_name="PTO-R"))
    return [e.placement.report for e in entries if e.placement.case_kind == CaseItemKind.ADMISSION]


def decide_as_advised(report, secretary: User) -> None:
    advice = report.advice
    if advice.kind == AdviceKind.ADMIT:
        regisseur = User.objects.filter(
            organisation=advice.best_cards, groups__name=Role.REGISSEUR, is_active=True
        ).first()
        assert regisseur is not None, f"{report.reference}: {advice.best_cards} has no regisseur"
        case_services.case_open_from_report(
            report=report, actor=secretary, organisation=advice.best_cards, regisseur=regisseur
        )
    elif advice.kind == AdviceKind.INVESTIGATE:
        intake_services.report_reopen_assessment(report=report, actor=secretary)
    else:
        intake_services.report_mark_not_admitted(
            report=report,
            actor=secretary,
            reason=NotAdmittedReason.PREVENTIVE
            if advice.kind == AdviceKind.PREVENTIVE
            else NotAdmittedReason.NO_GROUNDS,
            note="Besloten conform advies.",
        )


def test_the_queue_holds_reports_to_decide_on(queue):
    assert len(queue) >= 10


def test_every_report_in_the_queue_shows_nothing_missing(queue):
    assert {r.reference: r.decision_gaps for r in queue if r.decision_gaps} == {}


def test_every_report_in_the_queue_can_be_decided_as_advised(queue):
    secretary = User.objects.get(username="secretaris")

    for report in queue:
        decide_as_advised(report, secretary)

    admitted = [r for r in queue if r.advice.kind == AdviceKind.ADMIT]
    assert Case.objects.filter(report__in=admitted).count() == len(admitted)
    statuses = {r.status for r in type(queue[0]).objects.filter(pk__in=[r.pk for r in queue])}
    assert ReportStatus.READY_FOR_DECISION not in statuses
