"""Bad input gets a clear Dutch error on the page, keeps what the user typed, and stores
nothing, not even half: end before start, no rationale, a plan without goal or intervention,
a logbook entry in the future, an evaluation of a closed case, a parent without an address, a
closure without a warm handover, detention that ends before it begins."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases import services
from cases.constants import CasePhase, PlanStatus
from cases.exceptions import TransitionNotAllowed
from cases.models import Case, Intervention, PartnerMeeting, PlanVersion, Subject
from tests.cases.factories import (
    CaseFactory,
    CatalogueEntryFactory,
    add_goal,
    add_intervention,
    latest_plan,
)
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


def cases_rows() -> dict[str, int]:
    """Row counts of every table of the cases app, history included."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("cases").get_models()
    }


@pytest.fixture
def stored_nothing():
    """Asserts after the test that no table of the cases app gained or lost a row."""
    holder = {}

    def start():
        holder["before"] = cases_rows()

    yield start
    assert cases_rows() == holder["before"]


def day(offset: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- The plan ---------------------------------------------------------------------------------


class TestInterventions:
    def intervention_data(self, case, **fields):
        entry = CatalogueEntryFactory(name="Mentorschap door een rolmodel")
        return {
            "catalogue_entry": entry.pk,
            "rationale": "Hij vertrouwt de jongerenwerker.",
            "aim": "Wekelijks contact met een mentor.",
            "owner_organisation": entry.provider_id,
            "status": "gepland",
            **fields,
        }

    def test_an_end_before_the_start_is_refused_and_nothing_is_stored(self, client, stored_nothing):
        case = CaseFactory()  # base file: the first intervention would start the concept plan
        signed_in(client, case.regisseur)
        data = self.intervention_data(case, planned_start=day(30), planned_end=day(10))
        stored_nothing()

        html = page(client.post(reverse("cases:intervention_create", args=[case.pk]), data))

        assert "Het einde ligt vóór de start." in html
        assert escape("Hij vertrouwt de jongerenwerker.") in html
        assert day(30) in html and day(10) in html
        assert Case.objects.get(pk=case.pk).phase == CasePhase.BASE_FILE

    def test_an_intervention_without_rationale_is_refused(self, client, stored_nothing):
        case = CaseFactory(concept_plan=True)
        signed_in(client, case.regisseur)
        data = self.intervention_data(case, rationale="  ")
        stored_nothing()

        html = page(client.post(reverse("cases:intervention_create", args=[case.pk]), data))

        assert "Onderbouw waarom deze interventie past." in html
        assert escape("Wekelijks contact met een mentor.") in html

    @pytest.mark.parametrize(
        ("fields", "reason"),
        [
            ({"rationale": "   "}, "Onderbouw waarom deze interventie past."),
            (
                {
                    "planned_start": timezone.localdate(),
                    "planned_end": timezone.localdate() - timedelta(days=1),
                },
                "Het einde ligt vóór de start.",
            ),
        ],
        ids=["no rationale", "end before start"],
    )
    def test_the_service_refuses_it_too_before_starting_a_concept(self, fields, reason):
        case = CaseFactory()
        entry = CatalogueEntryFactory()
        data = {"rationale": "Past goed.", **fields}
        before = cases_rows()

        with pytest.raises(TransitionNotAllowed, match=reason):
            services.intervention_save(
                case=case,
                actor=case.regisseur,
                data=services.InterventionData(
                    catalogue_entry=entry, owner_organisation=entry.provider, **data
                ),
            )

        assert cases_rows() == before
        assert not PlanVersion.objects.exists()

    def test_a_retired_catalogue_entry_cannot_be_added_anew(self, client, stored_nothing):
        case = CaseFactory(concept_plan=True)
        retired = CatalogueEntryFactory(name="Oude interventie", is_active=False)
        signed_in(client, case.regisseur)
        stored_nothing()

        html = page(
            client.post(
                reverse("cases:intervention_create", args=[case.pk]),
                {
                    "catalogue_entry": retired.pk,
                    "rationale": "Werkte vroeger.",
                    "owner_organisation": retired.provider_id,
                    "status": "gepland",
                },
            )
        )

        assert "Selecteer een geldige keuze" in html
        assert escape("Werkte vroeger.") in html


class TestSubmittingThePlan:
    @pytest.mark.parametrize(
        ("build", "reason"),
        [
            (lambda case: add_intervention(case), "Een plan van aanpak heeft ten minste één doel."),
            (lambda case: add_goal(case), "Een plan van aanpak heeft ten minste één interventie."),
        ],
        ids=["without a goal", "without an intervention"],
    )
    def test_an_incomplete_plan_is_refused_with_the_reason_as_a_message(
        self, client, build, reason
    ):
        case = CaseFactory()
        build(case)  # the concept plan starts with its first goal or intervention
        signed_in(client, case.regisseur)
        before = cases_rows()

        response = client.post(reverse("cases:plan_submit", args=[case.pk]), follow=True)

        assert reason in page(response)
        assert 'role="alert"' in page(response)
        assert cases_rows() == before
        plan = latest_plan(case)
        assert (plan.status, plan.snapshot, plan.submitted_at) == (PlanStatus.CONCEPT, {}, None)
        assert Case.objects.get(pk=case.pk).phase == CasePhase.CONCEPT_PLAN

    def test_a_goal_that_was_dropped_does_not_count(self, client):
        case = CaseFactory()
        goal = add_goal(case)
        add_intervention(case)
        services.goal_save(
            case=case,
            actor=case.regisseur,
            goal=goal,
            life_domain=goal.life_domain,
            description=goal.description,
            is_active=False,
        )

        with pytest.raises(TransitionNotAllowed, match="ten minste één doel"):
            services.plan_submit_for_advice(case=case, actor=case.regisseur)

    def test_a_plan_at_the_itatr_cannot_be_changed_meanwhile(self, client):
        case = CaseFactory(at_advice=True)
        signed_in(client, case.regisseur)
        before = cases_rows()

        html = page(
            client.post(
                reverse("cases:goal_create", args=[case.pk]),
                {"life_domain": "huisvesting", "description": "Eigen woning.", "is_active": "on"},
            )
        )

        assert "Het plan ligt bij het ITAT-R" in html
        assert escape("Eigen woning.") in html
        assert cases_rows() == before


# --- Logbook, evaluations, contacts, proposals, subject -------------------------------------------


def test_a_logbook_entry_in_the_future_is_refused_and_the_text_is_kept(client, stored_nothing):
    case = CaseFactory(in_execution=True)
    signed_in(client, case.regisseur)
    future = timezone.localtime() + timedelta(days=1)
    stored_nothing()

    html = page(
        client.post(
            reverse("cases:logbook_add", args=[case.pk]),
            {"at": future.strftime("%Y-%m-%dT%H:%M"), "kind": "telefoon", "text": "Morgen bellen."},
        )
    )

    assert "Een logboekregel kan niet in de toekomst liggen." in html
    assert "Morgen bellen." in html


class TestEvaluations:
    def test_an_evaluation_of_a_closed_case_is_refused(self, client, stored_nothing):
        case = CaseFactory(closed=True)
        signed_in(client, case.regisseur)
        url = reverse("cases:evaluation_create", args=[case.pk])
        stored_nothing()

        shown = client.get(url, follow=True)
        posted = client.post(
            url,
            {"held_on": day(), "summary": "Na afsluiting.", "conclusion": "voortzetten"},
            follow=True,
        )

        for response in (shown, posted):
            assert "Een afgesloten casus wordt niet meer geëvalueerd." in page(response)
            assert response.redirect_chain[-1][0] == reverse("cases:case_detail", args=[case.pk])

    def test_the_service_refuses_a_closed_case_too(self):
        case = CaseFactory(closed=True)
        before = cases_rows()

        with pytest.raises(TransitionNotAllowed, match="afgesloten casus"):
            services.evaluation_record(
                case=case,
                actor=case.regisseur,
                held_on=timezone.localdate(),
                summary="x",
                conclusion="voortzetten",
                goal_results={},
                intervention_results={},
                scores={},
            )

        assert cases_rows() == before

    def test_an_evaluation_in_the_future_is_refused(self, client, stored_nothing):
        case = CaseFactory(in_execution=True)
        signed_in(client, case.regisseur)
        stored_nothing()

        html = page(
            client.post(
                reverse("cases:evaluation_create", args=[case.pk]),
                {"held_on": day(3), "summary": "Vooruitgeblikt.", "conclusion": "voortzetten"},
            )
        )

        assert "Een evaluatie kan niet in de toekomst liggen." in html
        assert "Vooruitgeblikt." in html


@pytest.mark.parametrize("kind", ["ouder", "voogd"])
def test_a_parent_or_guardian_without_an_address_is_refused(client, stored_nothing, kind):
    case = CaseFactory(in_execution=True)
    signed_in(client, case.regisseur)
    stored_nothing()

    html = page(
        client.post(
            reverse("cases:contact_create", args=[case.pk]),
            {"kind": kind, "name": "Fatima el Amrani", "relation": "moeder", "phone": "0612345678"},
        )
    )

    assert "Een ouder of voogd krijgt brieven: vul het adres in." in html
    assert "Fatima el Amrani" in html
    assert "0612345678" in html


class TestProposals:
    def test_a_closure_without_a_warm_handover_is_refused(self, client, stored_nothing):
        case = CaseFactory(in_execution=True)
        signed_in(client, case.regisseur)
        stored_nothing()

        html = page(
            client.post(
                reverse("cases:proposal_create", args=[case.pk]),
                {"kind": "afsluiting", "goals_met": "Alle doelen.", "reasoning": "Stabiel."},
            )
        )

        assert "Bij afsluiting hoort een warme overdracht: kies de organisatie." in html
        assert "Alle doelen." in html

    def test_a_proposal_before_the_plan_runs_is_refused(self, client, stored_nothing):
        case = CaseFactory(concept_plan=True)
        signed_in(client, case.regisseur)
        stored_nothing()

        html = page(
            client.post(
                reverse("cases:proposal_create", args=[case.pk]),
                {"kind": "afbouw", "goals_met": "Te vroeg.", "reasoning": "Te vroeg."},
            )
        )

        assert "volgt op een vastgesteld plan in uitvoering" in html
        assert "Te vroeg." in html

    def test_a_second_open_proposal_is_refused(self, client):
        case = CaseFactory(in_execution=True)
        services.proposal_submit(
            case=case,
            actor=case.regisseur,
            kind="afbouw",
            goals_met="Veel.",
            reasoning="Stabiel.",
            handover_organisation=None,
        )
        signed_in(client, case.regisseur)
        before = cases_rows()

        html = page(
            client.post(
                reverse("cases:proposal_create", args=[case.pk]),
                {"kind": "afbouw", "goals_met": "Nog eens.", "reasoning": "Nog eens."},
            )
        )

        assert "Er ligt al een voorstel voor deze casus." in html
        assert cases_rows() == before


class TestSubject:
    def subject_data(self, case, **fields) -> dict:
        subject = case.subject
        return {
            "first_name": subject.first_name,
            "last_name": subject.last_name,
            "date_of_birth": subject.date_of_birth.isoformat(),
            "bsn": subject.bsn,
            "street": subject.street,
            "postcode": subject.postcode,
            "city": subject.city,
            "lock_version": subject.lock_version,
            **fields,
        }

    def test_detention_ending_before_it_begins_is_refused(self, client, stored_nothing):
        case = CaseFactory(in_execution=True)
        signed_in(client, case.regisseur)
        data = self.subject_data(
            case,
            institution_kind="JJI",
            institution_name="JJI Amsterdam-Noord",
            detained_from=day(-10),
            detained_until=day(-20),
        )
        stored_nothing()

        html = page(client.post(reverse("cases:subject_edit", args=[case.pk]), data))

        assert "Het einde van de detentie ligt vóór het begin." in html
        assert "JJI Amsterdam-Noord" in html
        assert day(-20) in html
        subject = Subject.objects.get(pk=case.subject_id)
        assert (subject.detained_from, subject.institution_name) == (None, "")

    def test_detention_without_an_institution_is_refused(self, client, stored_nothing):
        case = CaseFactory(in_execution=True)
        signed_in(client, case.regisseur)
        stored_nothing()

        html = page(
            client.post(
                reverse("cases:subject_edit", args=[case.pk]),
                self.subject_data(case, detained_from=day(-10)),
            )
        )

        assert "Noem de inrichting (PI of JJI) en haar naam." in html

    def test_a_valid_detention_is_stored_with_one_history_row(self, client):
        case = CaseFactory(in_execution=True)
        signed_in(client, case.regisseur)
        rows = Subject.history.filter(id=case.subject_id).count()

        response = client.post(
            reverse("cases:subject_edit", args=[case.pk]),
            self.subject_data(
                case,
                institution_kind="PI",
                institution_name="PI Zaanstad",
                detained_from=day(-10),
                detained_until=day(200),
            ),
        )

        assert response.status_code == 302
        subject = Subject.objects.get(pk=case.subject_id)
        assert subject.is_detained()
        history = Subject.history.filter(id=subject.pk)
        assert history.count() == rows + 1
        assert history.first().history_user == case.regisseur


class TestPartnerMeetings:
    def meeting_data(self, **fields) -> dict:
        return {
            "held_on": day(-1),
            "participants": "Regisseur, SCW",
            "notes": "Besproken.",
            "afspraken-TOTAL_FORMS": "1",
            "afspraken-INITIAL_FORMS": "0",
            "afspraken-MIN_NUM_FORMS": "0",
            "afspraken-MAX_NUM_FORMS": "20",
            **fields,
        }

    def test_an_agreement_without_who_or_when_is_refused(self, client, stored_nothing):
        case = CaseFactory(in_execution=True)
        signed_in(client, case.regisseur)
        stored_nothing()

        html = page(
            client.post(
                reverse("cases:partner_meeting_create", args=[case.pk]),
                self.meeting_data(**{"afspraken-0-what": "Moeder bellen"}),
            )
        )

        assert "Wie voert deze afspraak uit?" in html
        assert "Wanneer moet de afspraak klaar zijn?" in html
        assert "Moeder bellen" in html

    def test_a_meeting_in_the_future_is_refused(self, client, stored_nothing):
        case = CaseFactory(in_execution=True)
        signed_in(client, case.regisseur)
        stored_nothing()

        html = page(
            client.post(
                reverse("cases:partner_meeting_create", args=[case.pk]),
                self.meeting_data(held_on=day(2)),
            )
        )

        assert "Een UVO wordt vastgelegd nadat het is gehouden." in html
        assert "Regisseur, SCW" in html

    def test_a_refused_agreement_takes_the_meeting_back_with_it(self):
        case = CaseFactory(in_execution=True)
        before = cases_rows()

        with pytest.raises(TransitionNotAllowed, match="Wie voert de afspraak"):
            services.partner_meeting_record(
                case=case,
                actor=case.regisseur,
                held_on=timezone.localdate(),
                participants="Regisseur",
                notes="",
                agreements=[
                    services.AgreementData(what="Iets", due_on=timezone.localdate(), owner=None)
                ],
            )

        assert cases_rows() == before
        assert not PartnerMeeting.objects.exists()


def test_nothing_of_a_refused_intervention_lands_in_the_database_constraints_hold():
    """The database holds the invariants too, should a write ever bypass the service."""
    from django.db import IntegrityError, transaction

    case = CaseFactory(concept_plan=True)
    entry = CatalogueEntryFactory()
    for fields in (
        {"rationale": ""},
        {
            "rationale": "x",
            "planned_start": timezone.localdate(),
            "planned_end": timezone.localdate() - timedelta(days=1),
        },
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Intervention.objects.create(
                case=case, catalogue_entry=entry, owner_organisation=entry.provider, **fields
            )
