"""The assessment (duiding) by the Voorportaal: a versioned framework, life-domain scores,
completeness before the advice (except for urgent reports), and information requests."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from intake import selectors, services
from intake.constants import (
    AdviceKind,
    Ideology,
    LifeDomain,
    ReportStatus,
    RiskGroup,
)
from intake.exceptions import IncompleteAssessment, TransitionNotAllowed
from intake.forms import AdviceForm, AssessmentForm
from intake.models import (
    Advice,
    Assessment,
    AssessmentAnswer,
    FrameworkQuestion,
    FrameworkVersion,
    InformationRequest,
)
from ipgar.accounts.constants import Role
from tests.factories import OrganisationFactory, UserFactory
from tests.intake.factories import (
    ReportFactory,
    board_user,
    complete_assessment,
    current_framework,
    partial_assessment,
    request_information,
)
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


def version(number: str) -> FrameworkVersion:
    return FrameworkVersion.objects.get(version=number)


def new_version_in_force(number: str = "2026") -> FrameworkVersion:
    """What the functional administrator does: copy the current version, add a question,
    take the copy into use."""
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    copy = services.framework_version_copy(
        source=current_framework(), actor=admin, version=number, name="Kader 2026"
    )
    services.framework_question_save(
        question=FrameworkQuestion(
            section=copy.sections.first(),
            order=99,
            text="Is er sprake van online radicalisering via gamingplatforms?",
            kind="keuze",
            choices=["Ja", "Nee", "Onbekend"],
        ),
        actor=admin,
    )
    return services.framework_version_activate(version=copy, actor=admin)


def answers_of(assessment: Assessment) -> dict[int, object]:
    return dict(assessment.answers.values_list("question_id", "value"))


class TestTheFrameworkVersion:
    def test_the_first_save_uses_the_version_in_force_and_stores_every_answer(self):
        report = ReportFactory(forwarded=True)
        member = board_user()
        data = complete_assessment()

        assessment = services.assessment_save(report=report, actor=member, **data)

        assert assessment.framework_version == version("2019")
        assert answers_of(assessment) == data["answers"]
        assert {
            q.section.version_id for q in FrameworkQuestion.objects.filter(pk__in=data["answers"])
        } == {version("2019").pk}
        assert {s.domain: s.score for s in assessment.domain_scores.all()} == {
            domain: 3 for domain in LifeDomain.values
        }
        assert assessment.history.first().history_user == member
        assert services.assessment_missing(assessment) == []

    def test_a_running_assessment_keeps_its_version_and_answers_when_a_new_one_is_activated(
        self,
    ):
        running = ReportFactory(in_assessment=True)
        stored = answers_of(running.assessment)

        new = new_version_in_force()
        services.assessment_save(
            report=running, actor=board_user(), **complete_assessment(version("2019"))
        )

        running.assessment.refresh_from_db()
        assert running.assessment.framework_version == version("2019")
        assert answers_of(running.assessment) == stored
        assert services.assessment_missing(running.assessment) == []
        started_later = services.assessment_save(
            report=ReportFactory(forwarded=True), actor=board_user(), **partial_assessment()
        )
        assert started_later.framework_version == new
        assert not version("2019").is_current

    def test_the_assessment_page_keeps_showing_the_version_it_started_in(self, client):
        running = ReportFactory(in_assessment=True)
        new_version_in_force()
        signed_in(client, board_user())

        html = client.get(reverse("intake:assessment_edit", args=[running.pk])).content.decode()

        assert "versie 2019" in html
        assert "gamingplatforms" not in html

    def test_a_question_of_another_version_is_ignored(self):
        report = ReportFactory(forwarded=True)
        data = complete_assessment()
        foreign = FrameworkQuestion.objects.filter(section__version=version("2016")).first()

        assessment = services.assessment_save(
            report=report,
            actor=board_user(),
            **{**data, "answers": {**data["answers"], foreign.pk: "Ja"}},
        )

        assert foreign.pk not in answers_of(assessment)
        assert answers_of(assessment) == data["answers"]
        assert not AssessmentAnswer.objects.filter(question=foreign).exists()


class TestLifeDomainScores:
    @pytest.mark.parametrize("score", ["1", "5"])
    def test_the_form_accepts_scores_from_1_to_5(self, score):
        form = AssessmentForm(data={"score_financien": score}, questions=[])

        assert form.is_valid(), form.errors
        scores = form.scores()
        assert scores[LifeDomain.FINANCES] == (int(score), "")
        # Every other domain is None: an emptied score is removed, not kept.
        assert {d for d, v in scores.items() if v is None} == set(LifeDomain.values) - {
            LifeDomain.FINANCES
        }

    @pytest.mark.parametrize("score", ["0", "6", "-1", "drie"])
    def test_the_form_refuses_a_score_outside_1_to_5(self, score):
        form = AssessmentForm(data={"score_financien": score}, questions=[])

        assert not form.is_valid()
        assert form.errors["score_financien"] == [
            f"Selecteer een geldige keuze. {score} is geen beschikbare keuze."
        ]

    def test_a_note_without_a_score_is_refused(self):
        form = AssessmentForm(data={"note_huisvesting": "Dakloos sinds maart."}, questions=[])

        assert not form.is_valid()
        assert form.errors["score_huisvesting"] == ["Geef een score voor huisvesting."]

    def test_the_page_refuses_a_score_of_6_keeps_the_input_and_stores_nothing(self, client):
        report = ReportFactory(forwarded=True)
        signed_in(client, board_user())

        response = client.post(
            reverse("intake:assessment_edit", args=[report.pk]),
            {"score_financien": "6", "summary": "Schulden bij familie"},
        )

        assert response.status_code == 200
        assert "Selecteer een geldige keuze. 6 is geen beschikbare keuze." in (
            response.content.decode()
        )
        assert "Schulden bij familie" in response.content.decode()
        assert not Assessment.objects.exists()
        report.refresh_from_db()
        assert report.status == ReportStatus.FORWARDED


def advise(report, *, kind=AdviceKind.ADMIT, best_cards="default"):
    return services.report_advise(
        report=report,
        actor=board_user(),
        kind=kind,
        reasoning="Onderbouwing van het advies.",
        proposed_risk_groups=[RiskGroup.TRAVELLER],
        proposed_ideology=Ideology.JIHADIST,
        best_cards=OrganisationFactory() if best_cards == "default" else best_cards,
    )


class TestTheAdvice:
    def test_an_incomplete_assessment_of_a_normal_report_is_refused_with_what_is_missing(self):
        report = ReportFactory(in_assessment=True, complete=False)

        with pytest.raises(IncompleteAssessment) as refusal:
            advise(report)

        message = refusal.value.message
        assert message.startswith("De duiding is nog niet volledig: ")
        for missing in (
            "Kies de ideologie.",
            "Geef de geweldsbereidheid aan.",
            "Beantwoord: Wat is de directe aanleiding van de melding?",
            "Beantwoord: Hoe groot is het veiligheidsrisico?",
            "Scoor alle 13 leefgebieden.",
        ):
            assert missing in message
        assert "Beschermende" not in message  # an optional question is never missing
        assert "Kies ten minste één risicogroep." not in message  # that one was given
        report.refresh_from_db()
        assert report.status == ReportStatus.IN_ASSESSMENT
        assert not Advice.objects.exists()

    def test_the_advice_page_shows_the_refusal_and_keeps_the_reasoning(self, client):
        report = ReportFactory(in_assessment=True, complete=False)
        signed_in(client, board_user())

        response = client.post(
            reverse("intake:report_advise", args=[report.pk]),
            {
                "kind": AdviceKind.PREVENTIVE,
                "reasoning": "Gesprek met de wijkagent voorgesteld",
            },
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert "De duiding is nog niet volledig: " in html
        assert "<li>Scoor alle 13 leefgebieden.</li>" in html
        assert "Gesprek met de wijkagent voorgesteld" in html
        assert not Advice.objects.exists()

    def test_an_urgent_report_may_be_advised_incomplete_and_is_marked_so(self, client):
        report = ReportFactory(in_assessment=True, complete=False, urgent=True)

        advise(report)

        report.refresh_from_db()
        assert report.status == ReportStatus.ADVISED
        assert report.assessment.is_incomplete
        assert report.assessment.completed_at is not None
        signed_in(client, board_user())
        html = client.get(reverse("intake:report_detail", args=[report.pk])).content.decode()
        assert "Urgent doorgezet met een onvolledig beoordelingskader." in html

    def test_a_complete_assessment_is_not_marked_incomplete(self):
        report = ReportFactory(in_assessment=True)

        advise(report)

        report.refresh_from_db()
        assert report.status == ReportStatus.ADVISED
        assert not report.assessment.is_incomplete
        assert report.assessed_at is not None
        assert report.advised_at is not None

    def test_advice_without_an_assessment_is_refused(self):
        report = ReportFactory(forwarded=True, urgent=True)

        with pytest.raises(IncompleteAssessment) as refusal:
            advise(report)

        assert refusal.value.message == "Een advies vraagt eerst om een duiding."
        report.refresh_from_db()
        assert report.status == ReportStatus.FORWARDED

    def test_an_admit_advice_needs_the_organisation_with_the_best_cards(self):
        report = ReportFactory(in_assessment=True)

        with pytest.raises(TransitionNotAllowed) as refusal:
            advise(report, best_cards=None)

        assert refusal.value.message == (
            "Bij een advies tot opname hoort de organisatie met de beste kaarten."
        )
        assert not Advice.objects.exists()
        form = AdviceForm(data={"kind": AdviceKind.ADMIT, "reasoning": "Opnemen."})
        assert not form.is_valid()
        assert form.errors["best_cards"] == ["Kies bij opname de organisatie met de beste kaarten."]

    def test_other_advice_needs_no_best_cards(self):
        report = ReportFactory(in_assessment=True)

        advice = advise(report, kind=AdviceKind.NOT_ADMIT, best_cards=None)

        assert advice.best_cards is None
        assert advice.kind == AdviceKind.NOT_ADMIT


class TestInformationRequests:
    def test_open_and_answered_requests_show_on_the_report(self, client):
        report = ReportFactory(forwarded=True)
        request_information(report, question="Is hij bekend bij de reclassering?")
        answered = request_information(report, question="Zit hij op school?")
        services.information_request_answer(
            request=answered, actor=board_user(), answer="Ja, 4 havo."
        )
        signed_in(client, board_user())

        html = client.get(reverse("intake:report_detail", args=[report.pk])).content.decode()

        assert "Is hij bekend bij de reclassering?" in html
        assert '<span class="badge text-bg-warning">open</span>' in html
        assert '<span class="badge text-bg-success">beantwoord</span>' in html
        assert "Ja, 4 havo." in html
        assert "te laat" not in html

    def test_an_overdue_request_is_flagged_on_the_report_and_in_the_list(self, client):
        report = ReportFactory(forwarded=True)
        request = request_information(report)
        member = board_user()
        detail = reverse("intake:report_detail", args=[report.pk])

        def page(url: str) -> str:
            signed_in(client, member)  # a fresh session: days later the old one timed out
            response = client.get(url)
            assert response.status_code == 200
            return response.content.decode()

        with time_machine.travel(timezone.now() + timedelta(days=10), tick=False):
            on_the_due_date = page(detail)
            overdue_on_the_due_date = selectors.overdue_information_requests().exists()
        with time_machine.travel(timezone.now() + timedelta(days=11), tick=False):
            html = page(detail)
            listing = page(reverse("intake:report_list"))
            overdue = list(selectors.overdue_information_requests())

        assert '<span class="badge text-bg-warning">open</span>' in on_the_due_date
        assert "te laat" not in on_the_due_date
        assert not overdue_on_the_due_date
        assert '<span class="badge badge-overdue">te laat</span>' in html
        assert "1 open, " in listing
        assert '<span class="badge badge-overdue">1 te laat</span>' in listing
        assert overdue == [request]

    def test_an_answered_request_is_never_overdue(self):
        report = ReportFactory(forwarded=True)
        request = request_information(report)
        services.information_request_answer(request=request, actor=board_user(), answer="Nee.")

        with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
            request.refresh_from_db()
            assert not request.is_overdue()
            assert not selectors.overdue_information_requests().exists()

    @pytest.mark.parametrize("answer", ["", "   \n"])
    def test_answering_requires_text(self, answer):
        request = request_information(ReportFactory(forwarded=True))

        with pytest.raises(TransitionNotAllowed) as refusal:
            services.information_request_answer(request=request, actor=board_user(), answer=answer)

        assert refusal.value.message == "Vul het antwoord in."
        request.refresh_from_db()
        assert request.is_open
        assert request.history.count() == 1

    def test_the_answer_page_refuses_an_empty_answer(self, client):
        report = ReportFactory(forwarded=True)
        request = request_information(report)
        signed_in(client, board_user())

        response = client.post(
            reverse("intake:information_request_answer", args=[report.pk, request.pk]),
            {"answer": "", "answered_on": timezone.localdate().isoformat()},
        )

        assert response.status_code == 200
        assert "Dit veld is verplicht." in response.content.decode()
        request.refresh_from_db()
        assert request.is_open

    def test_an_answer_closes_the_request_by_whoever_recorded_it(self):
        request = request_information(ReportFactory(forwarded=True))
        member = board_user()

        services.information_request_answer(request=request, actor=member, answer=" Bekend. ")

        request.refresh_from_db()
        assert (request.answer, request.answered_on) == ("Bekend.", timezone.localdate())
        assert not request.is_open
        assert request.history.first().history_user == member
        assert InformationRequest.objects.filter(answered_on__isnull=True).count() == 0


class TestClearingAndReadiness:
    def test_an_emptied_answer_and_score_are_cleared_not_kept(self):
        report = ReportFactory(in_assessment=True)
        board = board_user()
        data = complete_assessment()
        first_question = next(iter(data["answers"]))
        data["answers"][first_question] = None
        data["scores"][LifeDomain.HOUSING] = None

        services.assessment_save(report=report, actor=board, **data)

        assessment = Assessment.objects.get(report=report)
        assert answers_of(assessment)[first_question] is None
        assert not assessment.domain_scores.filter(domain=LifeDomain.HOUSING).exists()
        assert "Scoor alle 13 leefgebieden." in services.assessment_missing(assessment)

    def test_ready_for_decision_is_refused_when_the_assessment_became_incomplete(self):
        report = ReportFactory(in_assessment=True)
        advise(report)
        data = complete_assessment()
        data["ideology"] = ""
        services.assessment_save(report=report, actor=board_user(), **data)

        with pytest.raises(IncompleteAssessment) as refusal:
            services.report_mark_ready_for_decision(report=report, actor=board_user())

        assert "Kies de ideologie." in refusal.value.message
        report.refresh_from_db()
        assert report.status == ReportStatus.ADVISED

    def test_an_admission_advice_without_a_known_person_is_not_ready_for_decision(self):
        report = ReportFactory(in_assessment=True, persons=[])
        advise(report)

        with pytest.raises(TransitionNotAllowed) as refusal:
            services.report_mark_ready_for_decision(report=report, actor=board_user())

        assert "Geen bekende persoon" in refusal.value.message
        report.refresh_from_db()
        assert report.status == ReportStatus.ADVISED
        assert report.decision_gaps == [
            refusal.value.message.removeprefix("Nog niet klaar voor besluit: ")
        ]
