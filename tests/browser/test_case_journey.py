"""Issue 4, acceptance 1: a regisseur's working day on one case, in Chromium.

`regisseur` opens their case, logs a phone call without leaving the page (HTMX), adds an
intervention from the catalogue with its rationale to the concept plan, records a partner
meeting (UVO) with an agreement they take on themselves, and an evaluation that scores the
thirteen life domains again. The agreement then waits on their "Mijn werk".
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from cases import services
from cases.constants import CasePhase, EvaluationConclusion, GoalResult, PlanStatus
from cases.models import Agreement, Case, DomainScore, Evaluation, Intervention, PartnerMeeting
from intake.constants import LifeDomain
from ipgar.accounts.constants import Role
from ipgar.accounts.models import User
from tests.browser.accessibility import check_accessibility
from tests.browser.conftest import docs_screenshot, login, required

GOAL = "Heeft een vaste dagbesteding (werk of opleiding)."
MENTOR = "Mentorschap door een rolmodel"
RATIONALE = "Daan vertrouwt de jongerenwerker van Streetcornerwork; een mentor uit zijn wijk."
CALL = "Gebeld met Daan: afspraak bij de jongerenwerker volgende week bevestigd."
AGREEMENT = "Moeder uitnodigen voor een gesprek over de thuissituatie"

# Scores the life domains again (1 acute .. 5 fully self-reliant); a little better than at intake.
SCORES = {
    LifeDomain.FINANCES: 4,
    LifeDomain.WORK_EDUCATION: 3,
    LifeDomain.TIME_USE: 3,
    LifeDomain.HOUSING: 5,
    LifeDomain.DOMESTIC: 3,
    LifeDomain.MENTAL_HEALTH: 3,
    LifeDomain.PHYSICAL_HEALTH: 5,
    LifeDomain.ADDICTION: 4,
    LifeDomain.BASIC_ADL: 5,
    LifeDomain.INSTRUMENTAL_ADL: 4,
    LifeDomain.SOCIAL_NETWORK: 2,
    LifeDomain.PARTICIPATION: 3,
    LifeDomain.JUSTICE: 4,
}


@pytest.fixture
def regisseur(make_user) -> User:
    return make_user("regisseur", Role.REGISSEUR, first_name="Noor", last_name="Hendriks")


@pytest.fixture
def case(open_case, regisseur, catalogue) -> Case:
    """Admitted a month ago; the regisseur has started the concept plan with one goal."""
    case = open_case(regisseur, "Daan", "Verhoef")
    services.goal_save(
        case=case, actor=regisseur, life_domain=LifeDomain.TIME_USE, description=GOAL
    )
    return case


def fieldset(page: Page, legend: str) -> Locator:
    return page.locator("fieldset").filter(has=page.locator("legend", has_text=legend))


def open_the_case(page: Page, case: Case) -> None:
    page.get_by_role("link", name="Mijn casussen").click()
    page.get_by_test_id("case-list").get_by_role("link", name=case.subject.full_name).click()
    expect(page.get_by_test_id("subject-name")).to_contain_text(case.reference)


def log_a_phone_call(page: Page) -> None:
    """The entry is saved in place (HTMX): same URL, same window, the logbook refreshed."""
    address = page.url
    page.evaluate("window.zelfdePagina = true")

    form = page.get_by_test_id("log-form")
    form.get_by_label("Soort").select_option(label="Telefonisch contact")
    form.get_by_label("Verslag").fill(CALL)
    form.get_by_label("Deelnemers").fill("Daan, regisseur")
    form.get_by_role("button", name="Vastleggen").click()

    expect(
        page.get_by_role("status").filter(has_text="Opgeslagen: telefonisch contact")
    ).to_be_visible()
    logbook = page.get_by_test_id("logbook")
    expect(logbook).to_contain_text(CALL)
    expect(logbook).to_contain_text("Telefonisch contact")
    expect(logbook).to_contain_text("Deelnemers: Daan, regisseur")
    # The form is fresh again for the next contact.
    form = page.get_by_test_id("log-form")
    expect(form.get_by_label("Verslag")).to_have_value("")
    expect(form.get_by_label("Deelnemers")).to_have_value("")
    expect(form.get_by_label("Soort")).to_have_value("face_to_face")
    assert page.url == address
    assert page.evaluate("window.zelfdePagina") is True
    expect(page.locator("main")).to_have_count(1)  # fragments, not a page inside the page


def add_an_intervention(page: Page) -> None:
    page.get_by_role("link", name="Interventie toevoegen").click()
    expect(page.get_by_role("heading", name="Interventie toevoegen")).to_be_visible()
    check_accessibility(page)
    page.get_by_label(required("Interventie")).select_option(label=MENTOR)
    page.get_by_label("Doel", exact=True).select_option(label=GOAL)
    page.get_by_label("Waarom deze interventie").fill(RATIONALE)
    page.get_by_label("Beoogd resultaat").fill("Wekelijks contact; een alternatief perspectief.")
    page.get_by_label(required("Uitvoerder")).select_option(label="Streetcornerwork")
    start = timezone.localdate() + timedelta(days=7)
    page.get_by_label("Geplande start").fill(start.isoformat())
    page.get_by_label("Gepland einde").fill((start + timedelta(weeks=26)).isoformat())
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_text("Interventie opgeslagen.")).to_be_visible()
    interventions = page.get_by_test_id("interventions")
    expect(interventions).to_contain_text(MENTOR)
    expect(interventions).to_contain_text(f"Waarom: {RATIONALE}")


def record_a_partner_meeting(page: Page, regisseur: User) -> None:
    page.get_by_role("link", name="UVO achteraf vastleggen").click()
    expect(page.get_by_label("Deelnemers")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Deelnemers").fill("Regisseur (OOV), Streetcornerwork, WPI, wijkagent")
    page.get_by_label("Verslag").fill("Eerste UVO: taakverdeling rond dagbesteding en thuis.")

    first = fieldset(page, "Afspraak 1")
    first.get_by_label("Afspraak", exact=True).fill(AGREEMENT)
    first.get_by_label("Wie (gebruiker)").select_option(label=str(regisseur))
    first.get_by_label("Uiterlijk").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="UVO vastleggen").click()

    expect(page.get_by_text("UVO vastgelegd.")).to_be_visible()
    expect(page.locator("#uvo")).to_contain_text(AGREEMENT)


def record_an_evaluation(page: Page) -> None:
    page.get_by_role("link", name="Evaluatie", exact=True).click()
    expect(page.get_by_role("heading", name="Evaluatie")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Samenvatting").fill(
        "Daan komt zijn afspraken na; de dagbesteding is nog niet rond."
    )
    page.get_by_label(GOAL).select_option(label=GoalResult.PARTLY.label)
    page.get_by_label(f"Resultaat: {MENTOR}").fill("Nog niet gestart; eerste afspraak gepland.")
    scores = fieldset(page, "Leefgebieden (ZRM)").locator("select[name^=score_]")
    expect(scores).to_have_count(len(LifeDomain.values))
    for domain, score in SCORES.items():
        page.locator(f"select[name=score_{domain}]").select_option(str(score))
    page.get_by_label(EvaluationConclusion.CONTINUE.label).check()
    page.get_by_role("button", name="Evaluatie vastleggen").click()

    expect(page.get_by_text("Evaluatie vastgelegd.")).to_be_visible()
    expect(page.locator("#evaluaties")).to_contain_text(EvaluationConclusion.CONTINUE.label)


def test_a_regisseur_logs_a_contact_and_works_on_the_plan_uvo_and_evaluation(
    page: Page, live_server, second_factor_off, regisseur, case
):
    login(page, live_server, "regisseur")
    open_the_case(page, case)
    expect(page.get_by_test_id("case-phase")).to_have_text("Concept plan van aanpak")
    docs_screenshot(page, "cases-1-casus")

    log_a_phone_call(page)
    docs_screenshot(page, "cases-2-logboek")

    add_an_intervention(page)
    record_a_partner_meeting(page, regisseur)
    record_an_evaluation(page)

    intervention = Intervention.objects.get(case=case, catalogue_entry__name=MENTOR)
    assert intervention.rationale == RATIONALE
    assert intervention.goal.description == GOAL
    assert case.plan_versions.get().status == PlanStatus.CONCEPT

    uvo = PartnerMeeting.objects.get(case=case)
    agreement = Agreement.objects.get(meeting=uvo)
    assert (agreement.what, agreement.owner, agreement.done_on) == (AGREEMENT, regisseur, None)
    assert agreement.due_on == timezone.localdate() + timedelta(days=14)

    evaluation = Evaluation.objects.get(case=case)
    assert evaluation.conclusion == EvaluationConclusion.CONTINUE
    scores = dict(DomainScore.objects.filter(evaluation=evaluation).values_list("domain", "score"))
    assert scores == SCORES
    assert evaluation.goal_results.get().result == GoalResult.PARTLY

    case.refresh_from_db()
    assert case.phase == CasePhase.CONCEPT_PLAN
    assert case.log_entries.filter(text=CALL, author=regisseur).count() == 1

    # The agreement the regisseur took on waits on their "Mijn werk", linked to the case.
    page.get_by_role("link", name="Mijn werk").click()
    task = page.get_by_test_id("notifications").get_by_role("listitem").filter(has_text=AGREEMENT)
    expect(task).to_contain_text("Afspraak uit een uitvoerdersoverleg")
    expect(task).to_contain_text(f"Uiterlijk {agreement.due_on:%d-%m-%Y}")
    task.get_by_role("link", name="Afspraak uit een uitvoerdersoverleg").click()
    expect(page.get_by_test_id("subject-name")).to_contain_text(case.reference)
