"""The file from base file to evaluation: plan versions with snapshots and what changed, the
evaluation with goal results and the 13 life domains, the base file carried over from intake
and upgraded to the current framework, UVO agreements on the owner's 'Mijn werk', 'minor'
derived from the date of birth, and the caseload against capacity (fte × 15)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases import selectors, services
from cases.constants import CasePhase, GoalResult, InterventionStatus, PlanStatus
from cases.models import (
    BaseFileAnswer,
    DomainScore,
    EvaluationGoalResult,
    EvaluationInterventionResult,
    PlanVersion,
    Subject,
)
from intake import services as intake_services
from intake.constants import LifeDomain, ReportStatus
from intake.models import FrameworkQuestion
from ipgar.accounts.constants import CASES_PER_FTE
from ipgar.notifications.models import Notification
from tests.cases.factories import (
    CaseFactory,
    add_goal,
    add_intervention,
    administrator_user,
    coordinator_user,
    decision_member,
    latest_plan,
    open_case,
    partner_user,
    plan_statuses,
    regisseur_user,
    revision_concept,
    secretary_user,
)
from tests.factories import OrganisationFactory
from tests.intake.factories import ReportFactory
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


def version_page(client, plan: PlanVersion) -> str:
    response = client.get(reverse("cases:plan_version_detail", args=[plan.case_id, plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- Plan versions -----------------------------------------------------------------------------


class TestPlanVersions:
    def test_submitting_takes_a_snapshot_of_goals_interventions_and_scenarios(self, client):
        case = CaseFactory(concept_plan=True)
        goal = case.goals.get()
        intervention = case.interventions.select_related("catalogue_entry").get()
        type(intervention).objects.filter(pk=intervention.pk).update(
            planned_start=date(2027, 3, 2), planned_end=date(2027, 9, 1)
        )

        plan = services.plan_submit_for_advice(case=case, actor=case.regisseur)

        assert plan.snapshot["goals"] == [
            {
                "id": goal.pk,
                "domain": goal.get_life_domain_display(),
                "description": goal.description,
            }
        ]
        (item,) = plan.snapshot["interventions"]
        assert (item["id"], item["name"], item["rationale"]) == (
            intervention.pk,
            intervention.catalogue_entry.name,
            intervention.rationale,
        )
        assert plan.snapshot["scenario_short"] == plan.scenario_short != ""
        signed_in(client, case.regisseur)
        html = version_page(client, plan)
        assert f"Doel toegevoegd: {escape(goal.get_life_domain_display())}" in html
        assert f"Interventie toegevoegd: {escape(intervention.catalogue_entry.name)}" in html
        # The snapshot keeps the dates as ISO text; the page shows them the Dutch way.
        assert "02-03-2027 – 01-09-2027" in html
        assert "2027-03-02" not in html

    def test_a_concept_shows_no_snapshot_yet(self, client):
        case = CaseFactory(concept_plan=True)
        signed_in(client, case.regisseur)

        html = version_page(client, latest_plan(case))

        assert "Dit is het concept waaraan wordt gewerkt" in html

    def test_a_revision_replaces_the_adopted_version_and_shows_what_changed(self, client):
        case = CaseFactory(in_execution=True)
        first = latest_plan(case)
        kept_goal = case.goals.get()
        changed = case.interventions.get()
        # A first revision adds a goal; adopted, version 2 is what the next one is compared to.
        dropped = add_goal(case, description="Komt niet meer op straat met de groep.")
        services.plan_update(case=case, actor=case.regisseur, scenario_short="x", scenario_long="y")
        plan = services.plan_submit_for_advice(case=case, actor=case.regisseur)
        services.plan_record_advice(plan=plan, actor=secretary_user(), advice="Akkoord.")
        services.plan_adopt(plan=plan, actor=decision_member())
        base = latest_plan(case)

        revision_concept(case)
        services.goal_save(
            case=case,
            actor=case.regisseur,
            goal=dropped,
            life_domain=dropped.life_domain,
            description=dropped.description,
            is_active=False,
        )
        added_goal = add_goal(case, description="Heeft een eigen kamer.", life_domain="huisvesting")
        services.intervention_save(
            case=case,
            actor=case.regisseur,
            intervention=changed,
            data=services.InterventionData(
                catalogue_entry=changed.catalogue_entry,
                rationale=changed.rationale,
                owner_organisation=changed.owner_organisation,
                goal=kept_goal,
                status=InterventionStatus.RUNNING,
            ),
        )
        added = add_intervention(case, goal=added_goal, rationale="Zonder kamer geen rust.")
        revision = services.plan_submit_for_advice(case=case, actor=case.regisseur)
        services.plan_record_advice(plan=revision, actor=secretary_user(), advice="Positief.")
        services.plan_adopt(plan=revision, actor=decision_member())

        assert plan_statuses(case) == [PlanStatus.REVISED, PlanStatus.REVISED, PlanStatus.ADOPTED]
        assert PlanVersion.objects.get(pk=first.pk).accorded_by is not None  # kept as it was
        assert case.__class__.objects.get(pk=case.pk).phase == CasePhase.IN_EXECUTION
        diff = selectors.plan_diff(base.snapshot, PlanVersion.objects.get(pk=revision.pk).snapshot)
        assert [g["id"] for g in diff["goals"]["added"]] == [added_goal.pk]
        assert [g["id"] for g in diff["goals"]["removed"]] == [dropped.pk]
        assert [i["id"] for i in diff["interventions"]["added"]] == [added.pk]
        assert [i["id"] for i in diff["interventions"]["changed"]] == [changed.pk]
        assert diff["interventions"]["removed"] == []
        assert diff["scenario_short"] is True
        signed_in(client, case.regisseur)
        html = version_page(client, revision)
        assert f"sinds versie {base.number}" in html
        assert "Doel toegevoegd: Huisvesting — Heeft een eigen kamer." in html
        assert f"Doel vervallen: {escape(dropped.get_life_domain_display())}" in html
        assert f"Interventie toegevoegd: {escape(added.catalogue_entry.name)}" in html
        assert f"Interventie gewijzigd: {escape(changed.catalogue_entry.name)} (Lopend)" in html
        assert "Scenario korte termijn gewijzigd" in html
        assert "Herzien (vervangen door een nieuwere versie)" in version_page(client, base)

    def test_the_case_page_lists_every_version_with_its_status(self, client):
        case = CaseFactory(in_execution=True)
        revision_concept(case)
        signed_in(client, case.regisseur)

        html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()

        assert "Versie 1</a>: Vastgesteld (geaccordeerd)" in html
        assert "Versie 2</a>: Concept" in html


# --- Evaluations --------------------------------------------------------------------------------


def test_an_evaluation_stores_goal_results_and_the_13_life_domain_scores(client):
    case = CaseFactory(in_execution=True)
    first_goal = case.goals.get()
    second_goal = add_goal(case, description="Positief netwerk.", life_domain="sociaal_netwerk")
    intervention = case.interventions.get()
    signed_in(client, case.regisseur)
    scores = {domain: 1 + n % 5 for n, domain in enumerate(LifeDomain.values)}

    response = client.post(
        reverse("cases:evaluation_create", args=[case.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "summary": "Dagbesteding op orde, netwerk nog niet.",
            "conclusion": "bijstellen",
            f"goal_{first_goal.pk}": GoalResult.ACHIEVED,
            f"goal_{second_goal.pk}": GoalResult.NOT_ACHIEVED,
            f"intervention_{intervention.pk}": "Vier gesprekken, goed contact.",
            **{f"score_{domain}": score for domain, score in scores.items()},
        },
    )

    assert response.status_code == 302
    evaluation = case.evaluations.get()
    assert (evaluation.conclusion, evaluation.recorded_by) == ("bijstellen", case.regisseur)
    assert dict(
        EvaluationGoalResult.objects.filter(evaluation=evaluation).values_list("goal_id", "result")
    ) == {first_goal.pk: GoalResult.ACHIEVED, second_goal.pk: GoalResult.NOT_ACHIEVED}
    assert EvaluationInterventionResult.objects.get(evaluation=evaluation).result == (
        "Vier gesprekken, goed contact."
    )
    stored = dict(DomainScore.objects.filter(evaluation=evaluation).values_list("domain", "score"))
    assert stored == scores
    assert len(stored) == 13
    # The trend: the base file keeps its own scores from intake.
    assert DomainScore.objects.filter(base_file=case.base_file).count() == 13
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Plan bijstellen" in html
    assert f"Financiën {scores['financien']}" in html


# --- The base file ------------------------------------------------------------------------------


class TestBaseFile:
    def test_it_carries_over_the_intake_assessment(self, client):
        report = ReportFactory(stage=ReportStatus.READY_FOR_DECISION)
        assessment = report.assessment

        case = open_case(report=report)

        base_file = case.base_file
        assert base_file.framework_version == assessment.framework_version
        assert (
            base_file.risk_groups,
            base_file.ideology,
            base_file.violence_readiness,
            base_file.network,
            base_file.summary,
            base_file.carried_over_incomplete,
        ) == (
            assessment.risk_groups,
            assessment.ideology,
            assessment.violence_readiness,
            assessment.network,
            assessment.summary,
            False,
        )
        answers = dict(base_file.answers.values_list("question_id", "value"))
        assert answers == dict(assessment.answers.values_list("question_id", "value"))
        assert len(answers) > 0
        scores = set(base_file.domain_scores.values_list("domain", "score", "note"))
        assert scores == set(assessment.domain_scores.values_list("domain", "score", "note"))
        assert len(scores) == 13
        signed_in(client, case.regisseur)
        html = client.get(reverse("cases:base_file_edit", args=[case.pk])).content.decode()
        assert escape(assessment.summary) in html
        assert escape(str(assessment.framework_version)) in html

    def test_an_urgent_incomplete_assessment_is_marked_as_such(self, client):
        report = ReportFactory(stage=ReportStatus.READY_FOR_DECISION, urgent=True, complete=False)

        case = open_case(report=report)

        assert case.base_file.carried_over_incomplete is True
        signed_in(client, case.regisseur)
        html = client.get(reverse("cases:base_file_edit", args=[case.pk])).content.decode()
        assert "urgent en onvolledig overgedragen" in html

    def test_an_upgrade_moves_answers_with_the_same_question_text_to_the_current_version(
        self, client
    ):
        case = CaseFactory()
        old_version = case.base_file.framework_version
        administrator = administrator_user()
        new_version = intake_services.framework_version_copy(
            source=old_version, actor=administrator, version="2099", name="Beoordelingskader 2099"
        )
        reworded = FrameworkQuestion.objects.filter(section__version=new_version).first()
        old_text, reworded.text = reworded.text, "Een geheel nieuwe vraag."
        intake_services.framework_question_save(question=reworded, actor=administrator)
        intake_services.framework_version_activate(version=new_version, actor=administrator)
        before = {
            a.question.text: a.value for a in case.base_file.answers.select_related("question")
        }
        signed_in(client, case.regisseur)
        offer = client.get(reverse("cases:base_file_edit", args=[case.pk])).content.decode()

        response = client.post(reverse("cases:base_file_upgrade", args=[case.pk]), follow=True)

        assert "Er is een nieuwere versie van het beoordelingskader" in offer
        assert "gebruikt nu de huidige versie" in response.content.decode()
        base_file = case.base_file.__class__.objects.get(pk=case.base_file.pk)
        assert base_file.framework_version == new_version
        after = {a.question.text: a.value for a in base_file.answers.select_related("question")}
        assert set(after) == set(before) - {old_text}
        assert old_text in before
        assert all(after[text] == before[text] for text in after)
        assert all(
            a.question.section.version_id == new_version.pk
            for a in base_file.answers.select_related("question__section")
        )
        # The old version's answers are gone from the file, not from the history.
        removed = BaseFileAnswer.history.filter(history_type="-", base_file_id=base_file.pk)
        assert removed.count() == len(before)
        assert {row.history_user for row in removed} == {case.regisseur}
        # Upgrading again changes nothing.
        rows = BaseFileAnswer.history.count()
        services.base_file_upgrade(case=case, actor=case.regisseur)
        assert BaseFileAnswer.history.count() == rows


# --- UVO agreements on 'Mijn werk' ----------------------------------------------------------------


def test_uvo_agreements_with_an_owner_appear_on_mijn_werk_until_done(client):
    case = CaseFactory(in_execution=True)
    regisseur, colleague = case.regisseur, partner_user()
    due = timezone.localdate() + timedelta(days=10)
    signed_in(client, regisseur)

    client.post(
        reverse("cases:partner_meeting_create", args=[case.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "participants": "Regisseur, GGD, SCW",
            "notes": "",
            "afspraken-TOTAL_FORMS": "3",
            "afspraken-INITIAL_FORMS": "0",
            "afspraken-MIN_NUM_FORMS": "0",
            "afspraken-MAX_NUM_FORMS": "20",
            "afspraken-0-what": "Moeder bellen over school",
            "afspraken-0-owner": regisseur.pk,
            "afspraken-0-due_on": due.isoformat(),
            "afspraken-1-what": "Training inplannen",
            "afspraken-1-owner": colleague.pk,
            "afspraken-1-due_on": due.isoformat(),
            "afspraken-2-what": "Huisarts informeren",
            "afspraken-2-owner_name": "GGD",
            "afspraken-2-due_on": due.isoformat(),
        },
    )

    meeting = case.partner_meetings.get()
    assert meeting.agreements.count() == 3
    # The factory's plan also left an ITAT-R advice task; only the agreements count here.
    told = Notification.objects.filter(kind=services.AGREEMENT_NOTIFICATION)
    assert told.count() == 2  # the agreement for 'GGD' has no user to tell
    mine = told.get(recipient=regisseur)
    theirs = told.get(recipient=colleague)
    assert (mine.body, mine.due_date) == ("Moeder bellen over school", due)
    assert mine.link == reverse("cases:case_detail", args=[case.pk]) + "#uvo"
    assert theirs.link == ""  # the task, not the file
    assert "Moeder bellen over school" in client.get(reverse("core:my_work")).content.decode()
    signed_in(client, colleague)
    assert "Training inplannen" in client.get(reverse("core:my_work")).content.decode()

    agreement = meeting.agreements.get(owner=regisseur)
    signed_in(client, regisseur)
    client.post(reverse("cases:agreement_done", args=[case.pk, agreement.pk]))

    agreement.refresh_from_db()
    assert agreement.done_on == timezone.localdate()
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert "Moeder bellen over school" not in client.get(reverse("core:my_work")).content.decode()
    assert list(selectors.open_agreements_for_user(regisseur)) == []
    assert list(selectors.open_agreements_for_user(colleague)) == [
        meeting.agreements.get(owner=colleague)
    ]
    # Marking it done twice changes nothing.
    rows = agreement.history.count()
    services.agreement_mark_done(agreement=agreement, actor=regisseur)
    assert agreement.history.count() == rows


# --- Minor ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "minor"),
    [
        (date(2008, 6, 16), True),  # 18 tomorrow
        (date(2008, 6, 15), False),  # 18 today
        (date(2010, 1, 1), True),
        (date(1990, 1, 1), False),
        (None, False),  # unknown: not presumed a minor
    ],
)
def test_minor_is_derived_from_the_date_of_birth(time_machine, born, minor):
    time_machine.move_to(timezone.make_aware(datetime(2026, 6, 15, 12)), tick=False)

    assert Subject(first_name="A", last_name="B", date_of_birth=born).is_minor is minor


def test_the_case_page_marks_a_minor_and_it_ends_on_the_eighteenth_birthday(client, time_machine):
    time_machine.move_to(timezone.make_aware(datetime(2026, 6, 15, 12)), tick=False)
    case = CaseFactory(person={"date_of_birth": date(2008, 6, 16)})
    signed_in(client, case.regisseur)
    url = reverse("cases:case_detail", args=[case.pk])

    assert "minderjarig" in client.get(url).content.decode()

    time_machine.move_to(timezone.make_aware(datetime(2026, 6, 16, 12)), tick=False)
    signed_in(client, case.regisseur)
    assert "minderjarig" not in client.get(url).content.decode()


# --- Caseload ---------------------------------------------------------------------------------


def test_the_caseload_shows_active_cases_against_capacity_by_phase(client):
    organisation = OrganisationFactory(code="CL-ORG", name="Caseload-organisatie")
    busy = regisseur_user(organisation, fte=Decimal("0.80"))
    quiet = regisseur_user(organisation, fte=Decimal("0.60"))
    CaseFactory(regisseur=busy)
    CaseFactory(regisseur=busy, concept_plan=True)
    CaseFactory(regisseur=busy, in_execution=True)
    CaseFactory(regisseur=busy, closed=True)  # not active
    signed_in(client, coordinator_user())

    response = client.get(reverse("cases:caseload"))

    rows = {
        row["user"]: row for row in response.context["organisations"][organisation.name]["rows"]
    }
    assert busy.capacity == round(Decimal("0.80") * CASES_PER_FTE) == 12
    assert (rows[busy]["active"], rows[busy]["capacity"], rows[busy]["load"]) == (3, 12, 25)
    assert rows[busy]["phases"] == {
        CasePhase.BASE_FILE: 1,
        CasePhase.CONCEPT_PLAN: 1,
        CasePhase.IN_EXECUTION: 1,
    }
    assert (rows[quiet]["active"], rows[quiet]["capacity"]) == (0, 9)
    html = response.content.decode()
    assert 'Caseload-organisatie <span class="small text-body-secondary">3 van 21</span>' in html
    reassign = client.get(
        reverse("cases:case_reassign", args=[busy.cases_as_regisseur.first().pk])
    ).content.decode()
    assert f"{escape(str(busy))} (Caseload-organisatie): 3 van 12" in reassign
