"""Issue 20 point 6: the intervention partner's access ends with the intervention: read-only
until the case's next evaluation (a setting), then nothing; and nothing once the case is
closed."""

import pytest
from django.test import override_settings
from django.utils import timezone

from cases import services
from cases.constants import ClosureReason, EvaluationConclusion
from cases.models import Evaluation, LogEntry
from cases.services import InterventionData
from tests.cases.factories import CaseFactory, decision_member, partner_intervention, partner_user
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered():
    case = CaseFactory(in_execution=True)
    partner = partner_user()
    intervention = partner_intervention(case, partner)
    return case, partner, intervention


def _end(case, intervention):
    data = InterventionData(
        catalogue_entry=intervention.catalogue_entry,
        rationale=intervention.rationale,
        owner_organisation=intervention.owner_organisation,
        owner=intervention.owner,
        aim=intervention.aim,
        status="afgerond",
    )
    return services.intervention_save(
        case=case, actor=case.regisseur, data=data, intervention=intervention
    )


def _url(intervention) -> str:
    return f"/casussen/partner/interventie/{intervention.pk}/"


def _post(client, intervention):
    return client.post(
        _url(intervention),
        {
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "kind": "face_to_face",
            "text": "x",
        },
    )


def test_a_running_intervention_is_read_and_written(client, delivered):
    case, partner, intervention = delivered
    signed_in(client, partner)
    page = client.get(_url(intervention))
    assert (
        page.status_code == 200 and 'data-testid="partner-read-only"' not in page.content.decode()
    )


def test_after_the_end_the_partner_reads_but_no_longer_writes(client, delivered):
    case, partner, intervention = delivered
    _end(case, intervention)
    signed_in(client, partner)
    page = client.get(_url(intervention))
    assert page.status_code == 200
    assert 'data-testid="partner-read-only"' in page.content.decode()
    assert _post(client, intervention).status_code == 403
    assert not LogEntry.objects.filter(author=partner).exists()


def test_the_next_evaluation_ends_reading_too(client, delivered):
    case, partner, intervention = delivered
    intervention = _end(case, intervention)
    _evaluate(case)
    assert Evaluation.objects.filter(case=case).exists()
    signed_in(client, partner)
    assert client.get(_url(intervention)).status_code == 404


@override_settings(PARTNER_READ_UNTIL_EVALUATION=False)
def test_the_setting_ends_reading_at_once(client, delivered):
    case, partner, intervention = delivered
    _end(case, intervention)
    signed_in(client, partner)
    assert client.get(_url(intervention)).status_code == 404


def test_closing_the_case_ends_all_access(client, delivered):
    case, partner, intervention = delivered
    services.case_close(case=case, actor=decision_member(), reason=ClosureReason.GOALS_MET)
    signed_in(client, partner)
    assert client.get(_url(intervention)).status_code == 404
    assert _post(client, intervention).status_code == 404


def _evaluate(case):
    services.evaluation_record(
        case=case,
        actor=case.regisseur,
        held_on=timezone.localdate(),
        summary="Tussenevaluatie: het gaat beter.",
        conclusion=EvaluationConclusion.CONTINUE,
        goal_results={},
        intervention_results={},
        scores={},
    )
