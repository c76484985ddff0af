"""Issue 5, acceptance 1: from the secretary's queue to a decision in the minutes, in Chromium.

`secretaris` puts two plans that were ready in time on the next ITAT-R, takes the second one
earlier (HTMX: the slots follow) and sends the agenda; `regisseur` then sees only their own
item and time. In the minutes of the meetings held today the ITAT-R advises on a plan and the
decision meeting adopts it: the case moves to 'plan vastgesteld'.
"""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from cases import services as case_services
from cases.constants import CasePhase, PlanStatus
from cases.models import Case, PlanVersion
from intake.constants import LifeDomain
from ipgar.accounts.constants import Role
from ipgar.accounts.models import Organisation, User
from meetings import services
from meetings.constants import BodyFunction, CaseItemKind, DecisionKind, ItemKind, ItemStatus
from meetings.demo import ITATR_MEMBERS
from meetings.models import AgendaItem, Body, Decision, Meeting
from tests.browser.conftest import docs_screenshot, login, logout, required

ADVICE = "Positief advies; betrek de moeder bij de dagbesteding."
ADOPTION = "Het plan van aanpak wordt vastgesteld."


# --- People, cases and plans -------------------------------------------------------------------


@pytest.fixture
def secretary(make_user) -> User:
    return make_user("secretaris", Role.SECRETARY, first_name="Fleur", last_name="de Boer")


@pytest.fixture
def regisseur(make_user) -> User:
    return make_user("regisseur", Role.REGISSEUR, first_name="Noor", last_name="Hendriks")


@pytest.fixture
def regisseur2(make_user) -> User:
    return make_user("regisseur2", Role.REGISSEUR, first_name="Bas", last_name="Kramer")


def submitted_plan(case: Case, catalogue: dict) -> PlanVersion:
    """A concept plan with a goal and an intervention, submitted for the ITAT-R's advice."""
    actor = case.regisseur
    goal = case_services.goal_save(
        case=case,
        actor=actor,
        life_domain=LifeDomain.TIME_USE,
        description="Heeft een vaste dagbesteding (werk of opleiding).",
    )
    mentor = catalogue["Mentorschap door een rolmodel"]
    case_services.intervention_save(
        case=case,
        actor=actor,
        data=case_services.InterventionData(
            catalogue_entry=mentor,
            rationale="Sluit aan bij zijn leefwereld; hij vertrouwt de jongerenwerker.",
            owner_organisation=mentor.provider,
            goal=goal,
        ),
    )
    return case_services.plan_submit_for_advice(case=case, actor=actor)


@pytest.fixture
def own_case(open_case, regisseur, catalogue) -> Case:
    case = open_case(regisseur, "Daan", "Verhoef")
    submitted_plan(case, catalogue)
    return case


@pytest.fixture
def other_case(open_case, regisseur2, catalogue) -> Case:
    case = open_case(regisseur2, "Sem", "Oudshoorn")
    submitted_plan(case, catalogue)
    return case


# --- Bodies and meetings -----------------------------------------------------------------------


def weekday_on_or_after(day: date) -> date:
    while day.weekday() > 4:  # meetings are held Monday to Friday
        day += timedelta(days=1)
    return day


@pytest.fixture
def itatr(secretary) -> Body:
    """The ITAT-R every three weeks at 13:00, 20 minutes per case.

    The cycle starts 9 to 11 days from now: plans submitted today are ready 7 days before
    the first meeting without moving the live server's clock.
    """
    first = weekday_on_or_after(timezone.localdate() + timedelta(days=9))
    body = Body.objects.create(
        name="ITAT-R (Integraal Toets- en Advies Team)",
        short_name="ITAT-R",
        function=BodyFunction.ADVISORY,
        weekday=first.weekday(),
        interval_weeks=3,
        first_date=first,
        start_time=time(13, 0),
        duration_minutes=180,
        default_slot_minutes=20,
        location="Stadhuis Amsterdam, Amstel 1",
        secretary=secretary,
    )
    body.member_organisations.set(Organisation.objects.filter(code__in=ITATR_MEMBERS))
    services.meetings_generate(body=body, actor=secretary)
    return body


@pytest.fixture
def regieoverleg(secretary) -> Body:
    """The decision meeting, every two weeks on Wednesday at 9:00."""
    first = timezone.localdate() + timedelta(days=(2 - timezone.localdate().weekday()) % 7)
    body = Body.objects.create(
        name="Regieoverleg (PTO-R)",
        short_name="PTO-R",
        function=BodyFunction.DECISION,
        weekday=first.weekday(),
        interval_weeks=2,
        first_date=first,
        start_time=time(9, 0),
        duration_minutes=120,
        default_slot_minutes=15,
        location="Stadhuis Amsterdam, Amstel 1",
        secretary=secretary,
    )
    body.member_organisations.set(Organisation.objects.filter(code__in=["OOV", "POL", "OM"]))
    return body


def held_earlier_today(body: Body, secretary: User) -> Meeting:
    """An extra meeting of the body that started earlier today, with the standard items.

    meeting_create_extra refuses a start in the past, so the meeting is made as it makes one.
    """
    now = timezone.localtime()
    starts_at = max(
        timezone.make_aware(datetime.combine(now.date(), time(0, 0))),
        now.replace(second=0, microsecond=0) - timedelta(hours=2),
    )
    meeting = Meeting(
        body=body,
        starts_at=starts_at,
        duration_minutes=body.duration_minutes,
        location=body.location,
        outside_cycle_reason="Extra vergadering wegens de drukte",
    )
    meeting._history_user = secretary
    meeting.save()
    standard = [*services.STANDARD_OPENING, *services.STANDARD_CLOSING]
    for order, (kind, title) in zip((1, 2, 900, 901), standard, strict=True):
        AgendaItem.objects.create(meeting=meeting, order=order, kind=kind, title=title)
    return meeting


def placed_last_week(meeting: Meeting, plan: PlanVersion, case_kind: str) -> AgendaItem:
    """The plan on a meeting held today, as agenda_place would have put it a week ago.

    agenda_place refuses a meeting that has started, and a plan ready today is too late for
    it by the 7-day rule; the live server's clock is not moved, so the item is made directly.
    """
    placement = services.Placement(case_kind, plan=plan, case=plan.case)
    return AgendaItem.objects.create(
        meeting=meeting,
        order=10,
        kind=ItemKind.CASE,
        case_kind=case_kind,
        title=placement.title,
        case=plan.case,
        plan=plan,
        slot_minutes=meeting.body.default_slot_minutes,
    )


# --- The pages ---------------------------------------------------------------------------------


def agenda_items(page: Page) -> Locator:
    return page.get_by_test_id("agenda").get_by_test_id("agenda-item")


def case_items(page: Page) -> Locator:
    return agenda_items(page).filter(has=page.get_by_test_id("slot"))


def place_on_this_agenda(page: Page, case: Case) -> None:
    entry = page.get_by_test_id("queue").get_by_role("listitem").filter(has_text=case.reference)
    entry.get_by_role("button", name="Op deze agenda").click()
    expect(page.get_by_role("status").filter(has_text="Geagendeerd:")).to_contain_text(
        case.reference
    )


def expect_case_items(page: Page, *rows: tuple[Case, str]) -> None:
    """The case items in this order, each with its time slot."""
    items = case_items(page)
    expect(items).to_have_count(len(rows))
    for index, (case, slot) in enumerate(rows):
        expect(items.nth(index)).to_contain_text(case.reference)
        expect(items.nth(index).get_by_test_id("slot")).to_contain_text(slot)


def open_todays_minutes(page: Page, body: Body) -> None:
    page.get_by_role("link", name="Overleggen").click()
    page.get_by_role("link", name=body.name).click()
    page.get_by_role("link", name=f"{timezone.localdate():%d-%m-%Y}", exact=True).click()
    page.get_by_role("link", name="Verslag maken").click()
    heading = f"Verslag {body.short_name} {timezone.localdate():%d-%m-%Y}"
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)


def record_decision(page: Page, item: AgendaItem, kind: str, text: str) -> None:
    form = page.get_by_test_id(f"decision-form-{item.pk}")
    form.get_by_label("Soort besluit").select_option(label=kind)
    form.get_by_label(required("Besluit")).fill(text)
    form.get_by_role("button", name="Opslaan").click()  # one submit per item
    expect(page.get_by_role("status").filter(has_text="Besluit vastgelegd.")).to_be_visible()
    expect(page.locator(f"#punt-{item.pk}")).to_contain_text(f"BESLUIT ({kind}): {text}")


# --- The journeys ------------------------------------------------------------------------------


def test_the_secretary_plans_the_itatr_and_a_regisseur_sees_only_their_own_slot(
    page: Page, live_server, second_factor_off, secretary, itatr, own_case, other_case
):
    meeting = itatr.meetings.order_by("starts_at").first()
    day = f"{timezone.localtime(meeting.starts_at):%d-%m-%Y}"

    login(page, live_server, "secretaris")
    page.get_by_role("link", name="Overleggen").click()
    page.get_by_role("link", name=itatr.name).click()
    page.get_by_test_id("upcoming-meetings").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name=itatr.name)).to_be_visible()
    queue = page.get_by_test_id("queue").get_by_role("listitem")
    expect(queue).to_have_count(2)
    expect(queue.get_by_role("button", name="Op deze agenda")).to_have_count(2)

    place_on_this_agenda(page, own_case)
    place_on_this_agenda(page, other_case)
    expect(page.get_by_test_id("queue")).to_contain_text("Niets in de wachtrij.")
    expect_case_items(page, (own_case, "13:00–13:20"), (other_case, "13:20–13:40"))

    # Take the other case earlier: the agenda is swapped in place and the slots follow.
    address = page.url
    page.evaluate("window.zelfdePagina = true")
    later = AgendaItem.objects.get(meeting=meeting, case=other_case)
    page.get_by_role("button", name=f"{later.title} eerder behandelen").click()
    expect_case_items(page, (other_case, "13:00–13:20"), (own_case, "13:20–13:40"))
    assert page.url == address
    assert page.evaluate("window.zelfdePagina") is True
    expect(page.locator("main")).to_have_count(1)
    ordered = meeting.items.filter(kind=ItemKind.CASE).order_by("order")
    assert [item.case for item in ordered] == [other_case, own_case]

    page.get_by_role("button", name="Agenda versturen").click()
    expect(page.get_by_role("status").filter(has_text="Agenda verstuurd")).to_be_visible()
    expect(page.get_by_text(f"agenda verstuurd {timezone.localdate():%d-%m-%Y}")).to_be_visible()
    docs_screenshot(page, "meetings-1-agenda")
    meeting.refresh_from_db()
    assert meeting.agenda_sent_at is not None
    logout(page)

    # The regisseur of one case: told their own time, shown only their own item.
    login(page, live_server, "regisseur")
    notice = f"Uw casus op de agenda van ITAT-R: {day} om 13:20"
    expect(page.get_by_test_id("notifications")).to_contain_text(notice)

    page.get_by_role("link", name="Overleggen").click()
    mine = page.get_by_test_id("my-agenda-items").get_by_role("listitem")
    expect(mine).to_have_count(1)
    expect(mine).to_have_text(f"ITAT-R {day}, 13:20–13:40: {own_case.subject.full_name}")
    main = page.locator("main")
    for hidden in (other_case.subject.full_name, other_case.reference, "Volgende vergadering"):
        expect(main).not_to_contain_text(hidden)

    mine.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Uw casus op de agenda")).to_be_visible()
    expect(page.get_by_test_id("my-slot")).to_have_text("Uw tijdslot: 13:20–13:40")
    expect(main).to_contain_text(own_case.reference)
    expect(main).not_to_contain_text(other_case.reference)

    # The whole agenda is not theirs to see.
    response = page.goto(live_server.url + reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert response.status == 404


def test_the_itatr_advises_and_the_decision_meeting_adopts_the_plan(
    page: Page, live_server, second_factor_off, secretary, itatr, regieoverleg, own_case
):
    plan = own_case.plan_versions.get(status=PlanStatus.SUBMITTED)
    advisory = held_earlier_today(itatr, secretary)
    advice_item = placed_last_week(advisory, plan, CaseItemKind.PLAN_ADVICE)

    login(page, live_server, "secretaris")
    open_todays_minutes(page, itatr)

    record_decision(page, advice_item, DecisionKind.ADVICE.label, ADVICE)
    plan.refresh_from_db()
    assert (plan.status, plan.advice) == (PlanStatus.ADVISED, ADVICE)
    advice_item.refresh_from_db()
    assert advice_item.status == ItemStatus.DISCUSSED

    # The advised plan goes to the decision meeting, which adopts it.
    decision = held_earlier_today(regieoverleg, secretary)
    adoption_item = placed_last_week(decision, plan, CaseItemKind.PLAN_ADOPTION)
    open_todays_minutes(page, regieoverleg)
    record_decision(page, adoption_item, DecisionKind.ADOPT_PLAN.label, ADOPTION)
    expect(
        page.get_by_role("button", name="Vastgesteld plan accorderen in het dossier")
    ).to_be_visible()
    docs_screenshot(page, "meetings-2-verslag")

    plan.refresh_from_db()
    own_case.refresh_from_db()
    assert plan.status == PlanStatus.ADOPTED
    assert own_case.phase == CasePhase.ADOPTED
    assert Decision.objects.get(item=adoption_item).recorded_by == secretary
    assert own_case.history.filter(phase=CasePhase.ADOPTED).get().history_user == secretary
