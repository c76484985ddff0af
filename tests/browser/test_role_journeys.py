"""Issue 11, point 6: every role of DOMAIN.md section 5 does its main work in Chromium.

The MAP desk, the Voorportaal, the regisseur and the secretary have their long journeys in
test_intake_journey.py, test_case_journey.py and test_meeting_journey.py (and the keyboard
tests); this file holds the other roles, and the MAP desk's notification letters. Each test
signs in as the role, does its main work through the pages, checks every page it passes with
axe-core and takes the screenshots of the user guide (docs/gebruikershandleiding/).

The programme team opens the monitor (`PROGRAMME_TEAM_PAGES`), the privacy officer the privacy
pages and a destruction list (`privacy_officer_pages`), the functional administrator gives the
other approval, and the regisseur uses the header search box, "Mijn werk" and the case summary.
"""

import uuid
from datetime import date, timedelta

from django.utils import timezone
from faker import Faker
from playwright.sync_api import Page, expect

from cases import services as case_services
from cases.constants import LogKind
from cases.models import PartnerRegistration
from intake import services as intake_services
from intake.constants import Channel, Desk, ReporterKind, ReportStatus, Urgency
from intake.demo import person, ready_report
from intake.models import Report
from ipgar.accounts.constants import Role
from ipgar.accounts.models import User
from ipgar.audit.models import AccessLogEntry
from ipgar.core.guide import ROLE_PAGES
from meetings import services as meeting_services
from meetings.constants import CaseItemKind
from privacy import services as privacy_services
from privacy.demo import _old_report
from privacy.models import DestructionList
from tests.browser import test_meeting_journey as meeting_journey
from tests.browser.accessibility import check_accessibility
from tests.browser.conftest import docs_screenshot, login, required
from tests.monitor.conftest import spread_histories

# The meeting journey's people, bodies and plans, as fixtures of this module too.
secretary, regisseur = meeting_journey.secretary, meeting_journey.regisseur
itatr, regieoverleg = meeting_journey.itatr, meeting_journey.regieoverleg
own_case, submitted_plan = meeting_journey.own_case, meeting_journey.submitted_plan


def go(page: Page, link: str) -> None:
    """Follow a link in the main menu (opening its dropdown first, if it is in one) and check
    the page it opens."""
    header = page.get_by_role("navigation", name="Hoofdmenu")
    target = header.get_by_role("link", name=link, exact=True)
    if not target.is_visible():
        dropdown = header.locator("li.dropdown").filter(
            has=page.locator("a.dropdown-item", has_text=link)
        )
        dropdown.locator(".dropdown-toggle").click()
    target.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_accessibility(page)


def open_link(page: Page, name: str, **options) -> None:
    page.locator("main").get_by_role("link", name=name, **options).first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_accessibility(page)


def menu(page: Page) -> list[str]:
    links = page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link")
    return [text.strip() for text in links.all_inner_texts()]


# --- Intake desk (MAP): the notification letters after an admission ----------------------------


def test_the_intake_desk_makes_and_records_the_notification_letters(
    page: Page, live_server, second_factor_off, open_case, make_user
):
    regisseur = make_user("regisseur", Role.REGISSEUR, first_name="Noor", last_name="Hendriks")
    case = open_case(regisseur, "Daan", "Verhoef")  # its staff includes the MAP user "intake"

    login(page, live_server, "intake")
    go(page, "Notificatiebrieven")
    overview = page.get_by_test_id("letters-overview")
    expect(overview).to_contain_text(case.subject.full_name)
    open_link(page, case.reference)
    page.get_by_role("button", name="Brieven maken").click()
    letters = page.get_by_test_id("letters")
    expect(letters).to_contain_text(case.subject.full_name)
    check_accessibility(page)
    docs_screenshot(page, "rollen-map-notificatiebrieven")

    first = letters.get_by_role("row").nth(1)
    first.get_by_label("Wijze").select_option(index=0)
    first.get_by_role("button", name="Verzonden").click()
    expect(page.get_by_test_id("letters").get_by_role("row").nth(1)).to_contain_text(
        f"{timezone.localdate():%d-%m-%Y}"
    )
    check_accessibility(page)
    letter = case.letters.order_by("pk").first()
    assert letter.dispatched_on == timezone.localdate()


# --- Police intake -----------------------------------------------------------------------------


def test_the_police_registers_a_report_and_hands_it_over_to_regular_care(
    page: Page, live_server, second_factor_off, make_user
):
    make_user("politie", Role.POLICE_INTAKE, organisation="POL", first_name="Ruben")
    login(page, live_server, "politie")
    go(page, "Meldingen")
    open_link(page, "Melding registreren")

    received = timezone.localtime() - timedelta(hours=1)
    page.get_by_label("Ontvangen op").fill(received.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Kanaal").select_option(label="Telefoon")
    page.get_by_label("Normaal").check()
    page.get_by_label("Wat is waargenomen").fill(
        "Wijkagent: Lars (22) scheldt buren uit en hangt vlaggen op; geen ideologie gehoord, wel "
        "zorgen over zijn psychische gezondheid."
    )
    page.get_by_label("Soort melder").select_option(label="Politie")
    page.get_by_label("Naam melder").fill("Wijkagent Zuid")
    page.get_by_label("Telefoon melder").fill("0900 8844")
    first = page.locator("[data-person]").nth(0)
    first.get_by_label("Voornaam").fill("Lars")
    first.get_by_label("Achternaam").fill("Jansen")
    first.get_by_label("Geboortedatum").fill("2004-05-17")
    first.get_by_label("Relatie tot de melding").fill("hoofdpersoon")
    check_accessibility(page)
    page.get_by_role("button", name="Melding registreren").click()
    expect(page.get_by_test_id("report-status")).to_have_text(
        "Geregistreerd, wacht op eerste beoordeling"
    )
    check_accessibility(page)

    page.get_by_role("link", name="Eerste beoordeling").click()
    check_accessibility(page)
    page.get_by_label("Overdragen aan reguliere zorg").check()
    page.get_by_label("Onderbouwing").fill("Psychische zorgen; geen radicalisering.")
    page.get_by_label("Overdragen aan", exact=True).select_option(label="GGD Amsterdam")
    docs_screenshot(page, "rollen-politie-eerste-beoordeling")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_test_id("report-status")).to_contain_text("reguliere zorg")
    check_accessibility(page)

    report = Report.objects.get(persons__last_name="Jansen")
    assert report.desk == Desk.POLICE
    assert report.status == ReportStatus.HANDED_OVER


# --- Decision meeting member -------------------------------------------------------------------


def test_a_decision_meeting_member_prepares_the_meeting_from_its_agenda_and_the_caseload(
    page: Page, live_server, second_factor_off, make_user, secretary, regieoverleg
):
    member = make_user("regieoverleg", Role.DECISION_MEMBER, first_name="Eva", last_name="Mulder")
    regieoverleg.members.add(member)
    staff = {
        "intake": make_user("intake", Role.INTAKE, organisation="MAP"),
        "voorportaal": make_user("voorportaal", Role.ASSESSMENT_BOARD),
    }
    fake = Faker("nl_NL")
    fake.seed_instance(11)
    today = timezone.localdate()
    report, _ = ready_report(
        fake,
        today,
        staff,
        key="browser-regieoverleg",
        days_ago=40,
        person=person(fake, today, born_years_ago=24, first="Kevin", last="Dekker"),
    )
    meeting_services.meetings_generate(body=regieoverleg, actor=secretary)
    meeting = regieoverleg.meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at")[0]
    placement = meeting_services.Placement(CaseItemKind.ADMISSION, report=report)
    item = meeting_services.agenda_place(meeting=meeting, actor=secretary, placement=placement)

    login(page, live_server, "regieoverleg")
    assert "Caseload" in menu(page) and "Meldingen" not in menu(page)
    go(page, "Overleggen")
    open_link(page, regieoverleg.name)
    page.get_by_test_id("upcoming-meetings").get_by_role("link").first.click()
    agenda = page.get_by_test_id("agenda")
    expect(agenda).to_contain_text(item.title)
    check_accessibility(page)
    docs_screenshot(page, "rollen-regieoverleg-agenda")

    # The caseload per regisseur, to choose the organisation with capacity when admitting.
    go(page, "Caseload")
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()


# --- ITAT-R fixed member -----------------------------------------------------------------------


def test_an_itatr_member_reads_the_agenda_and_the_cases_of_their_organisation(
    page: Page, live_server, second_factor_off, make_user, secretary, itatr, own_case
):
    member = make_user("itatr", Role.ADVISORY_MEMBER, first_name="Joost", last_name="Peters")
    itatr.members.add(member)
    meeting = itatr.meetings.order_by("starts_at").first()
    plan = own_case.plan_versions.get()
    placement = meeting_services.Placement(CaseItemKind.PLAN_ADVICE, plan=plan, case=own_case)
    meeting_services.agenda_place(meeting=meeting, actor=secretary, placement=placement)

    login(page, live_server, "itatr")
    go(page, "Overleggen")
    open_link(page, itatr.name)
    page.get_by_test_id("upcoming-meetings").get_by_role("link").first.click()
    expect(page.get_by_test_id("agenda")).to_contain_text(own_case.reference)
    check_accessibility(page)
    docs_screenshot(page, "rollen-itatr-agenda")

    # Support for the regisseurs of their own organisation: the case, read-only.
    go(page, "Mijn casussen")
    open_link(page, own_case.subject.full_name)
    expect(page.get_by_test_id("subject-name")).to_contain_text(own_case.reference)
    expect(page.get_by_test_id("log-form")).to_have_count(0)


# --- Intervention partner ----------------------------------------------------------------------


def test_an_intervention_partner_logs_on_the_intervention_they_deliver(
    page: Page, live_server, second_factor_off, make_user, open_case, catalogue
):
    partner = make_user(
        "partner",
        Role.INTERVENTION_PARTNER,
        organisation="SD-NIE",
        first_name="Iris",
        last_name="de Wit",
    )
    regisseur = make_user("regisseur", Role.REGISSEUR, first_name="Noor", last_name="Hendriks")
    case = open_case(regisseur, "Daan", "Verhoef")
    training = catalogue["Weerbaarheidstraining"]
    case_services.intervention_save(
        case=case,
        actor=regisseur,
        data=case_services.InterventionData(
            catalogue_entry=training,
            rationale="Versterkt weerbaarheid tegen online beïnvloeding.",
            owner_organisation=partner.organisation,
            owner=partner,
            status="lopend",
        ),
    )
    case_services.partner_registration_record(
        user=partner,
        actor=regisseur,
        signed_on=timezone.localdate() - timedelta(days=30),
        signed_by="Iris de Wit",
        scope="Weerbaarheidstrainingen in Nieuw-West.",
    )
    text = "Eerste trainingsbijeenkomst: Daan was op tijd en deed mee."

    login(page, live_server, "partner")
    go(page, "Mijn interventies")
    open_link(page, case.subject.full_name)
    page.get_by_label("Soort").select_option(label=LogKind.PARTNER.label)
    page.get_by_label("Verslag").fill(text)
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Logboekregel opgeslagen.")).to_be_visible()
    expect(page.locator("main")).to_contain_text(text)
    check_accessibility(page)
    docs_screenshot(page, "rollen-partner-interventie")

    entry = case.log_entries.get(text=text)
    assert (entry.author, entry.intervention.catalogue_entry) == (partner, training)
    # Nothing else of the case: the case page does not exist for the partner.
    response = page.goto(f"{live_server.url}/casussen/{case.pk}/")
    assert response.status == 404


# --- Programme team ----------------------------------------------------------------------------

# The pages of the programme team's menu; each is followed and checked with axe-core.
PROGRAMME_TEAM_PAGES = ["Mijn werk", "Termijnen", "Overleggen", "Monitor"]


def test_the_programme_team_sees_no_person_data(
    page: Page, live_server, second_factor_off, make_user, open_case
):
    make_user("programma", Role.PROGRAMME_TEAM, first_name="Lotte", last_name="Bos")
    regisseur = make_user("regisseur", Role.REGISSEUR, first_name="Noor", last_name="Hendriks")
    case = open_case(regisseur, "Daan", "Verhoef")
    spread_histories(24, end=date(2026, 9, 30))  # figures for the monitor, none of them named

    login(page, live_server, "programma")
    offered = menu(page)
    for label in ("Meldingen", "Mijn casussen", "Caseload", "Toegangslog"):
        assert label not in offered, offered
    for label in PROGRAMME_TEAM_PAGES:
        assert label in offered, offered
        go(page, label)
        expect(page.locator("main")).not_to_contain_text(case.subject.last_name)
        expect(page.locator("main")).not_to_contain_text(case.reference)
    go(page, "Mijn werk")
    docs_screenshot(page, "rollen-programmateam-start")

    # The monitor of a quarter (the only period it offers): charts, tables with small cells
    # suppressed, and the exports.
    go(page, "Monitor")
    page.get_by_label(required("Jaar")).fill("2026")
    page.get_by_label(required("Kwartaal")).select_option("3")
    page.get_by_role("button", name="Toon monitor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitor Q3 2026")
    for chart in ("lead-times", "caseload"):
        expect(page.locator(f"#grafiek-{chart}")).to_have_attribute("data-drawn", "true")
    for export in ("export-csv", "export-xlsx", "export-pdf"):
        expect(page.get_by_test_id(export)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(case.subject.last_name)
    docs_screenshot(page, "rollen-programmateam-monitor", full_page=False)
    for address in (f"/casussen/{case.pk}/", "/casussen/", "/meldingen/"):
        response = page.goto(live_server.url + address)
        assert response.status in (403, 404), address


# --- Coordinator of the regisseur pool ---------------------------------------------------------


def test_the_coordinator_reassigns_a_case_to_a_regisseur_with_room(
    page: Page, live_server, second_factor_off, make_user, open_case
):
    make_user("coordinator", Role.COORDINATOR, first_name="Hans", last_name="Vos")
    busy = make_user("regisseur", Role.REGISSEUR, first_name="Noor", last_name="Hendriks")
    free = make_user(
        "regisseur2", Role.REGISSEUR, organisation="RN", first_name="Bas", last_name="Kramer"
    )
    case = open_case(busy, "Daan", "Verhoef")

    login(page, live_server, "coordinator")
    go(page, "Caseload")
    expect(page.locator("main")).not_to_contain_text(case.subject.last_name)  # no case content
    docs_screenshot(page, "rollen-coordinator-caseload")
    row = page.get_by_role("row").filter(has_text=case.reference)
    row.get_by_role("link", name="toebedelen").click()
    check_accessibility(page)
    choice = page.get_by_label(required("Nieuwe regisseur"))
    # Each choice is labelled with the regisseur's organisation and caseload against capacity.
    option = choice.locator("option", has_text=str(free))
    expect(option).to_contain_text("caseload 0/")
    choice.select_option(value=option.get_attribute("value"))
    page.get_by_role("button", name="Toebedelen").click()
    expect(page.get_by_text(f"Casus {case.reference} is toebedeeld aan {free}.")).to_be_visible()
    check_accessibility(page)

    case.refresh_from_db()
    assert case.regisseur == free


# --- Functional administrator ------------------------------------------------------------------


def destruction_list_waiting(intake: User) -> DestructionList:
    """This month's destruction list: a report the desk closed more than a year ago."""
    fake = Faker("nl_NL")
    fake.seed_instance(8)
    _old_report(fake, {"intake": intake})
    destruction_list = privacy_services.destruction_list_propose(actor=None)
    assert destruction_list is not None
    return destruction_list


def test_the_administrator_adds_a_partner_and_records_the_registration_form(
    page: Page, live_server, second_factor_off, make_user
):
    make_user("beheer", Role.ADMINISTRATOR, first_name="Mila", last_name="Smits")
    destruction_list = destruction_list_waiting(
        make_user("intake", Role.INTAKE, organisation="MAP")
    )
    login(page, live_server, "beheer")
    for label in ("Beoordelingskader", "Interventies", "Termijninstellingen", "Organisaties"):
        go(page, label)
    go(page, "Gebruikers")
    open_link(page, "Nieuwe gebruiker")
    page.get_by_label(required("Gebruikersnaam")).fill("trainer.nieuwwest")
    page.get_by_label("Voornaam").fill("Youssef")
    page.get_by_label("Achternaam").fill("Amrani")
    page.get_by_label(required("E-mailadres")).fill("y.amrani@example.org")
    page.get_by_label(required("Organisatie")).select_option(label="Stadsdeel Nieuw-West")
    page.get_by_label("Interventiepartner").check()
    page.get_by_label(required("Beginwachtwoord")).fill("een-lang-beginwachtwoord-2026")
    docs_screenshot(page, "rollen-beheer-gebruiker")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Gebruiker trainer.nieuwwest is aangemaakt.")).to_be_visible()
    check_accessibility(page)

    open_link(page, "Youssef Amrani")
    open_link(page, "Registratieformulier vastleggen")
    page.get_by_label("Ondertekend op").fill((timezone.localdate() - timedelta(days=2)).isoformat())
    page.get_by_label("Ondertekend door").fill("Youssef Amrani")
    page.get_by_label("Reikwijdte").fill("Weerbaarheidstrainingen voor jongeren in Nieuw-West.")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Registratieformulier van")).to_be_visible()
    check_accessibility(page)

    partner = User.objects.get(username="trainer.nieuwwest")
    assert partner.has_role(Role.INTERVENTION_PARTNER)
    assert PartnerRegistration.objects.get(user=partner).signed_by == "Youssef Amrani"

    # The first of the two approvals of the month's destruction list; the retention periods.
    go(page, "Privacy (AVG)")
    open_link(page, "Bewaartermijnen instellen")
    go(page, "Privacy (AVG)")
    open_link(page, "Vernietigingslijsten")
    open_link(page, str(destruction_list))
    page.get_by_role("button", name="Goedkeuren").click()
    expect(page.get_by_text("Uw goedkeuring is vastgelegd.")).to_be_visible()
    check_accessibility(page)
    destruction_list.refresh_from_db()
    assert destruction_list.admin_approved_by.username == "beheer"


# --- Privacy officer ---------------------------------------------------------------------------


def privacy_officer_pages(page: Page, destruction_list: DestructionList) -> None:
    """Privacy (AVG): the second approval of a destruction list, access requests, emergencies."""
    offered = menu(page)
    assert "Toegangslog" in offered and "Privacy (AVG)" in offered, offered
    go(page, "Privacy (AVG)")
    open_link(page, "Vernietigingslijsten")
    open_link(page, str(destruction_list))
    page.get_by_role("button", name="Goedkeuren").click()
    expect(page.get_by_text("Uw goedkeuring is vastgelegd.")).to_be_visible()
    expect(page.get_by_role("button", name="Vernietiging uitvoeren")).to_be_visible()
    docs_screenshot(page, "rollen-privacy-vernietigingslijst")
    go(page, "Privacy (AVG)")
    open_link(page, "Inzageverzoeken")
    go(page, "Privacy (AVG)")
    open_link(page, "Noodtoegangen")


def test_the_privacy_officer_finds_who_read_a_report(
    page: Page, live_server, second_factor_off, make_user
):
    make_user("privacy", Role.PRIVACY_OFFICER, first_name="Sara", last_name="Koster")
    intake = make_user("intake", Role.INTAKE, organisation="MAP")
    destruction_list = destruction_list_waiting(intake)
    beheer = make_user("beheer", Role.ADMINISTRATOR, first_name="Mila", last_name="Smits")
    privacy_services.destruction_list_approve(destruction_list=destruction_list, actor=beheer)
    report, _ = intake_services.report_register(
        actor=intake,
        desk=Desk.MAP,
        submission_key=uuid.uuid4(),
        persons=[
            intake_services.PersonData(
                first_name="Ilse", last_name="Brouwer", date_of_birth=date(2006, 1, 9)
            )
        ],
        received_at=timezone.now() - timedelta(days=2),
        channel=Channel.PHONE,
        urgency=Urgency.NORMAL,
        reporter_kind=ReporterKind.TEACHER,
        reporter_anonymous=False,
        reporter_name="Mentor",
        reporter_organisation="",
        reporter_phone="",
        reporter_email="",
        observation="Leerling deelt extreme teksten.",
    )

    # The MAP desk reads the report: that read is in the log.
    login(page, live_server, "intake")
    page.goto(f"{live_server.url}/meldingen/{report.pk}/")
    check_accessibility(page)
    page.context.clear_cookies()

    login(page, live_server, "privacy")
    privacy_officer_pages(page, destruction_list)
    go(page, "Toegangslog")
    page.get_by_label("Betrokkene").fill(f"report:{report.pk}")
    page.get_by_label("Gebruiker").fill("intake")
    page.get_by_role("button", name="Zoeken").click()
    rows = page.get_by_test_id("access-log").get_by_role("row")
    expect(
        rows.filter(has_text=f"Melding {report.reference} geopend").filter(
            has_text=f"report:{report.pk}"
        )
    ).not_to_have_count(0)
    check_accessibility(page)
    docs_screenshot(page, "rollen-privacy-toegangslog")
    assert AccessLogEntry.objects.filter(user=intake).exists()


# --- Regisseur: the search box, "Mijn werk" and the case summary --------------------------------


def test_the_regisseur_finds_a_case_with_the_search_box_and_prints_its_summary(
    page: Page, live_server, second_factor_off, make_user, open_case
):
    regisseur = make_user("regisseur", Role.REGISSEUR, first_name="Noor", last_name="Hendriks")
    case = open_case(regisseur, "Daan", "Verhoef")

    login(page, live_server, "regisseur")  # lands on "Mijn werk", with the deadlines
    expect(page.get_by_test_id("my-work-deadlines")).to_be_visible()
    docs_screenshot(page, "rollen-regisseur-mijn-werk")

    search = page.get_by_test_id("header-search")
    search.get_by_label("Zoekterm").fill("Verhoef")
    search.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_test_id("search-total")).to_contain_text("Verhoef")
    check_accessibility(page)
    docs_screenshot(page, "rollen-regisseur-zoeken")

    open_link(page, case.subject.full_name)
    expect(page.get_by_test_id("subject-name")).to_contain_text(case.reference)
    page.get_by_test_id("summary-link").click()
    expect(page.get_by_role("link", name="Download als PDF")).to_be_visible()
    expect(page.locator("main")).to_contain_text(case.reference)
    check_accessibility(page)
    docs_screenshot(page, "rollen-regisseur-samenvatting")


# --- Help: the user guide inside the application -----------------------------------------------


def test_help_opens_the_user_guide_with_the_pages_of_the_users_role_first(
    page: Page, live_server, second_factor_off, make_user
):
    make_user("regisseur", Role.REGISSEUR, first_name="Noor", last_name="Hendriks")
    login(page, live_server, "regisseur")
    page.get_by_role("banner").get_by_role("link", name="Help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gebruikershandleiding iPGA-R")
    check_accessibility(page)

    page.get_by_role("complementary").get_by_role("link", name="Regisseur").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Regisseur")
    expect(page.get_by_test_id("guide").locator("img")).to_have_count(5)
    check_accessibility(page)

    # Every role has its page, and every screenshot the guide shows is served.
    assert set(ROLE_PAGES) == set(Role.values)
    for slug in sorted(set(ROLE_PAGES.values())):
        response = page.goto(f"{live_server.url}/hulp/{slug}/")
        assert response.status == 200, slug
        images = page.get_by_test_id("guide").locator("img")
        expect(images.first).to_be_visible()
        page.wait_for_load_state("load")
        broken = images.evaluate_all(
            "imgs => imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
        )
        assert broken == [], (slug, broken)
