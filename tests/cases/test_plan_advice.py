"""The regisseur answers the ITAT-R's advice (issue 17): the advice on the case page and on Mijn
werk, an answer per advice point, then 'definitief voor het PTO-R'."""

import pytest
from django.urls import reverse

from cases import services
from cases.exceptions import TransitionNotAllowed
from cases.models import Goal
from ipgar.notifications.models import Notification
from tests.cases.factories import CaseFactory, latest_plan, revision_advised, secretary_user
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def advised():
    case = CaseFactory(at_advice=True)
    return services.plan_record_advice(
        plan=latest_plan(case),
        actor=secretary_user(),
        advice="- Betrek de broer.\n- Plan een UVO met WPI.\n",
    )


def test_the_advice_is_split_into_its_points(advised):
    assert advised.advice_points == ["Betrek de broer.", "Plan een UVO met WPI."]


def test_marking_definitive_without_processing_the_advice_is_refused_with_the_reason(advised):
    with pytest.raises(TransitionNotAllowed, match="Verwerk eerst het advies"):
        services.plan_mark_final(plan=advised, actor=advised.case.regisseur)

    advised.refresh_from_db()
    assert advised.final_at is None


def test_every_advice_point_needs_an_answer(advised):
    with pytest.raises(TransitionNotAllowed, match="elk adviespunt"):
        services.plan_process_advice(
            plan=advised, actor=advised.case.regisseur, responses=["Broer betrokken.", " "]
        )


def test_the_regisseur_adjusts_the_plan_while_processing_and_the_definitive_snapshot_has_it(
    advised,
):
    case, regisseur = advised.case, advised.case.regisseur
    goal = services.goal_save(
        case=case, actor=regisseur, life_domain="netwerk", description="Broer als steunfiguur."
    )
    services.plan_process_advice(
        plan=advised, actor=regisseur, responses=["Doel over de broer.", "UVO 12 maart."]
    )

    plan = services.plan_mark_final(plan=advised, actor=regisseur)

    assert Goal.objects.filter(case=case).count() == 2
    assert goal.pk in [g["id"] for g in plan.snapshot["goals"]]
    assert plan.advice_responses[1] == {
        "point": "Plan een UVO met WPI.",
        "response": "UVO 12 maart.",
    }
    assert plan.status == "geadviseerd" and plan.final_at is not None


def test_the_advice_is_on_the_regisseurs_mijn_werk_until_the_plan_is_definitive(advised):
    regisseur = advised.case.regisseur
    open_advice = Notification.objects.filter(recipient=regisseur, kind="itatr_advies")
    assert open_advice.filter(read_at__isnull=True).count() == 1
    services.plan_process_advice(plan=advised, actor=regisseur, responses=["Ja.", "Ja."])

    services.plan_mark_final(plan=advised, actor=regisseur)

    assert open_advice.filter(read_at__isnull=True).count() == 0


def test_the_case_page_shows_the_advice_and_the_way_to_process_it(client, advised):
    signed_in(client, advised.case.regisseur)

    html = client.get(reverse("cases:case_detail", args=[advised.case_id])).content.decode()

    assert "Betrek de broer." in html
    assert reverse("cases:plan_advice", args=[advised.case_id]) in html
    assert "Definitief voor het PTO-R" in html


def test_the_processing_form_keeps_what_was_typed_when_a_point_is_left_open(client):
    case = CaseFactory(in_execution=True)
    revision_advised(case)
    signed_in(client, case.regisseur)

    response = client.post(
        reverse("cases:plan_advice", args=[case.pk]), {"punt_0": "Broer betrokken.", "punt_1": ""}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Broer betrokken." in html
    assert "Geef aan wat met dit adviespunt is gedaan." in html
