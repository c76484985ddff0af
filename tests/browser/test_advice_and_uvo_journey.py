"""Issue 17, acceptance 3 and 4, in Chromium.

3. The ITAT-R advises on a plan; the regisseur finds the advice on Mijn werk and the case page,
   answers each point and marks the plan definitive; only then is it in the decision meeting's
   queue, and the decision meeting adopts it.
4. The regisseur plans a UVO with two invitees from the directory; both see it on their Mijn
   werk; the regisseur records it as held with an agreement.
"""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases import services as case_services
from cases.constants import CasePhase, DirectoryRole, PlanStatus, UvoStatus
from cases.models import Case, DirectoryEntry, PartnerMeeting, PlanVersion
from intake.constants import LifeDomain
from ipgar.accounts.constants import Role
from ipgar.accounts.models import User
from meetings import services
from meetings.constants import BodyFunction, CaseItemKind, DecisionKind, ItemKind
from meetings.models import AgendaItem, Body, Meeting
from tests.browser.accessibility import check_accessibility
from tests.browser.conftest import login, logout, required

ADVICE = "Betrek de moeder bij de dagbesteding.\nPlan binnen vier weken een UVO met WPI."


@pytest.fixture
def secretary(make_user) -> User:
    return make_user("secretaris", Role.SECRETARY, first_name="Fleur", last_name="de Boer")


@pytest.fixture
def regisseur(make_user) -> User:
    return make_user("regisseur", Role.REGISSEUR, first_name="Noor", last_name="Hendriks")


@pytest.fixture
def own_case(open_case, regisseur, catalogue) -> Case:
    case = open_case(regisseur, "Daan", "Verhoef")
    goal = case_services.goal_save(
        case=case,
        actor=regisseur,
        life_domain=LifeDomain.TIME_USE,
        description="Heeft een vaste dagbesteding (werk of opleiding).",
    )
    mentor = catalogue["Mentorschap door een rolmodel"]
    case_services.intervention_save(
        case=case,
        actor=regisseur,
        data=case_services.InterventionData(
            catalogue_entry=mentor,
            rationale="Sluit aan bij zijn leefwereld.",
            owner_organisation=mentor.provider,
            goal=goal,
        ),
    )
    case_services.plan_submit_for_advice(case=case, actor=regisseur)
    return case


def body(secretary: User, function: str, short_name: str, weekday_offset: int) -> Body:
    first = timezone.localdate() + timedelta(days=weekday_offset)
    while first.weekday() > 4:
        first += timedelta(days=1)
    made = Body.objects.create(
        name=f"{short_name} (test)",
        short_name=short_name,
        function=function,
        weekday=first.weekday(),
        interval_weeks=2,
        first_date=first,
        start_time=time(9, 0),
        duration_minutes=120,
        default_slot_minutes=15,
        location="Stadhuis Amsterdam, Amstel 1",
        secretary=secretary,
    )
    services.meetings_generate(body=made, actor=secretary)
    return made


def held_earlier_today(body: Body, secretary: User) -> Meeting:
    """An extra meeting that started earlier today (meeting_create_extra refuses the past)."""
    now = timezone.localtime()
    meeting = Meeting(
        body=body,
        starts_at=max(
            timezone.make_aware(datetime.combine(now.date(), time(0, 0))),
            now.replace(second=0, microsecond=0) - timedelta(hours=2),
        ),
        duration_minutes=body.duration_minutes,
        location=body.location,
        outside_cycle_reason="Extra vergadering",
    )
    meeting._history_user = secretary
    meeting.save()
    for order, (kind, title) in zip(
        (1, 2, 900, 901), [*services.STANDARD_OPENING, *services.STANDARD_CLOSING], strict=True
    ):
        AgendaItem.objects.create(meeting=meeting, order=order, kind=kind, title=title)
    return meeting


def placed(meeting: Meeting, plan: PlanVersion, case_kind: str) -> AgendaItem:
    """The plan on a meeting held today, as agenda_place would have put it a week ago."""
    return AgendaItem.objects.create(
        meeting=meeting,
        order=10,
        kind=ItemKind.CASE,
        case_kind=case_kind,
        title=services.Placement(case_kind, plan=plan, case=plan.case).title,
        case=plan.case,
        plan=plan,
        slot_minutes=15,
    )


def open_todays_minutes(page: Page, live_server, meeting: Meeting) -> None:
    page.goto(f"{live_server.url}/overleggen/vergadering/{meeting.pk}/verslag/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verslag")
    check_accessibility(page)


def record_decision(page: Page, item: AgendaItem, kind: str, text: str) -> None:
    form = page.get_by_test_id(f"decision-form-{item.pk}")
    form.get_by_label("Soort besluit").select_option(label=kind)
    form.get_by_label(required("Besluit")).fill(text)
    form.get_by_role("button", name="Opslaan").click()  # one submit per item
    expect(page.get_by_role("status").filter(has_text="Besluit vastgelegd.")).to_be_visible()


def test_the_regisseur_answers_the_advice_and_only_the_definitive_plan_is_adopted(
    page: Page, live_server, second_factor_off, secretary, own_case
):
    itatr = body(secretary, BodyFunction.ADVISORY, "ITAT-R", 9)
    pto = body(secretary, BodyFunction.DECISION, "PTO-R", 9)
    plan = own_case.plan_versions.get(status=PlanStatus.SUBMITTED)
    advice_item = placed(held_earlier_today(itatr, secretary), plan, CaseItemKind.PLAN_ADVICE)
    next_pto = pto.meetings.order_by("starts_at").first()

    login(page, live_server, "secretaris")
    open_todays_minutes(page, live_server, advice_item.meeting)
    record_decision(page, advice_item, DecisionKind.ADVICE.label, ADVICE)
    page.goto(f"{live_server.url}/overleggen/vergadering/{next_pto.pk}/")
    expect(page.get_by_test_id("queue")).to_contain_text("Niets in de wachtrij.")
    logout(page)

    # The regisseur: the advice on Mijn werk and the case page, answered point by point.
    login(page, live_server, "regisseur")
    notice = (
        page.get_by_test_id("notifications")
        .get_by_role("link")
        .filter(has_text=f"Advies ITAT-R verwerken: casus {own_case.reference}")
    )
    notice.click()
    expect(page.get_by_role("heading", name="Advies ITAT-R verwerken")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Opslaan").click()  # nothing answered yet
    expect(page.get_by_text("Geef aan wat met dit adviespunt is gedaan.").first).to_be_visible()
    page.get_by_label("Adviespunt 1").fill("Moeder sluit aan bij het intakegesprek.")
    page.get_by_label("Adviespunt 2").fill("UVO met WPI gepland.")
    page.get_by_role("button", name="Opslaan").click()
    advice = page.get_by_test_id("itatr-advice")
    expect(advice).to_contain_text("Moeder sluit aan bij het intakegesprek.")
    advice.get_by_role("button", name="Definitief voor het PTO-R").click()
    expect(page.get_by_role("status").filter(has_text="definitief voor het PTO-R")).to_be_visible()
    expect(advice).to_contain_text("wacht op vaststelling")
    logout(page)

    # Now it is in the decision meeting's queue; the decision meeting adopts it.
    login(page, live_server, "secretaris")
    page.goto(f"{live_server.url}/overleggen/vergadering/{next_pto.pk}/")
    expect(page.get_by_test_id("queue")).to_contain_text(own_case.reference)
    adoption_item = placed(held_earlier_today(pto, secretary), plan, CaseItemKind.PLAN_ADOPTION)
    open_todays_minutes(page, live_server, adoption_item.meeting)
    record_decision(
        page, adoption_item, DecisionKind.ADOPT_PLAN.label, "Het plan wordt vastgesteld."
    )

    plan.refresh_from_db()
    own_case.refresh_from_db()
    assert plan.status == PlanStatus.ADOPTED
    assert [row["response"] for row in plan.advice_responses] == [
        "Moeder sluit aan bij het intakegesprek.",
        "UVO met WPI gepland.",
    ]
    assert own_case.phase == CasePhase.ADOPTED


def test_a_uvo_planned_with_two_directory_invitees_is_held_with_an_agreement(
    page: Page, live_server, second_factor_off, make_user, regisseur, open_case
):
    case = open_case(regisseur, "Daan", "Verhoef")
    officer = make_user("aandacht", Role.INTERVENTION_PARTNER, organisation="POL")
    leader = make_user("stadsdeel", Role.INTERVENTION_PARTNER, organisation="SD-NIE")
    for user, role, district in (
        (officer, DirectoryRole.ATTENTION_OFFICER, ""),
        (leader, DirectoryRole.DISTRICT_PROJECT_LEADER, "Nieuw-West"),
    ):
        DirectoryEntry.objects.create(
            name=user.get_full_name(),
            organisation=user.organisation,
            role=role,
            district=district,
            phone="020-5550000",
            user=user,
        )
    tomorrow = timezone.localdate() + timedelta(days=1)

    login(page, live_server, "regisseur")
    page.goto(f"{live_server.url}/casussen/{case.pk}/")
    page.get_by_role("link", name="UVO plannen").click()
    check_accessibility(page)
    page.get_by_label(required("Datum en tijd")).fill(f"{tomorrow:%Y-%m-%d}T10:00")
    page.get_by_label("Plaats").fill("Stadsdeelkantoor Nieuw-West")
    page.get_by_label(officer.get_full_name(), exact=False).check()
    page.get_by_label(leader.get_full_name(), exact=False).check()
    page.get_by_role("button", name="UVO plannen").click()
    expect(page.get_by_role("status").filter(has_text="UVO gepland")).to_be_visible()
    expect(page.get_by_test_id("uvo-planned")).to_contain_text(f"{tomorrow:%d-%m-%Y} 10:00")
    logout(page)

    for username in ("aandacht", "stadsdeel"):
        login(page, live_server, username)
        expect(page.get_by_test_id("notifications")).to_contain_text(
            f"Uitnodiging UVO {tomorrow:%d-%m-%Y} 10:00"
        )
        logout(page)

    # The day has come (the live server's clock stays; the UVO moves to today).
    uvo = PartnerMeeting.objects.get(case=case, status=UvoStatus.PLANNED)
    PartnerMeeting.objects.filter(pk=uvo.pk).update(
        held_on=timezone.localdate(), starts_at=timezone.now() - timedelta(hours=1)
    )
    login(page, live_server, "regisseur")
    page.goto(f"{live_server.url}/casussen/{case.pk}/")
    page.get_by_role("link", name="Vastleggen als gehouden").click()
    first = page.get_by_role("group", name="Afspraak 1")
    expect(first).to_be_visible()
    check_accessibility(page)
    first.get_by_label("Afspraak").fill("Intake bij WPI plannen")
    first.get_by_label("Wie (gebruiker)").select_option(label=str(officer))
    first.get_by_label("Uiterlijk").fill(f"{tomorrow + timedelta(days=13):%Y-%m-%d}")
    page.get_by_role("button", name="UVO vastleggen").click()
    expect(
        page.get_by_role("status").filter(has_text="UVO vastgelegd als gehouden")
    ).to_be_visible()

    uvo.refresh_from_db()
    assert uvo.status == UvoStatus.HELD
    assert uvo.agreements.get().owner == officer
    assert set(uvo.invitees.values_list("user", flat=True)) == {officer.pk, leader.pk}
