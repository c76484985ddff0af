"""Issue 3, acceptance 1: a report's way from the MAP desk to "ready for decision", in Chromium.

`intake` registers a report about two brothers and forwards it; `voorportaal` fills the
assessment framework, finds the person in an earlier report under another spelling without a
page reload, records the Top600 check, asks the police for information, advises admission and
marks the report ready for the decision meeting.
"""

import re
import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from intake import services
from intake.constants import (
    Channel,
    Desk,
    LifeDomain,
    ReporterKind,
    ReportStatus,
    TriageOutcome,
    Urgency,
)
from intake.models import Report
from ipgar.accounts.models import Organisation, User
from ipgar.audit.constants import AccessAction
from ipgar.audit.models import AccessLogEntry
from tests.browser.conftest import docs_screenshot, login, logout
from tests.factories import UserFactory

# A plausible spread of self-reliance scores (1 acute .. 5 fully self-reliant).
ZRM_SCORES = {
    LifeDomain.FINANCES: 4,
    LifeDomain.WORK_EDUCATION: 2,
    LifeDomain.TIME_USE: 2,
    LifeDomain.HOUSING: 5,
    LifeDomain.DOMESTIC: 3,
    LifeDomain.MENTAL_HEALTH: 3,
    LifeDomain.PHYSICAL_HEALTH: 5,
    LifeDomain.ADDICTION: 4,
    LifeDomain.BASIC_ADL: 5,
    LifeDomain.INSTRUMENTAL_ADL: 4,
    LifeDomain.SOCIAL_NETWORK: 2,
    LifeDomain.PARTICIPATION: 2,
    LifeDomain.JUSTICE: 4,
}


@pytest.fixture
def intake_user(reference_data) -> User:
    return UserFactory(
        username="intake",
        first_name="Sanne",
        last_name="Visser",
        roles=["intake"],
        organisation=Organisation.objects.get(code="MAP"),
    )


@pytest.fixture
def voorportaal_user(reference_data) -> User:
    return UserFactory(
        username="voorportaal",
        first_name="Karim",
        last_name="Bouzid",
        roles=["voorportaal"],
        organisation=Organisation.objects.get(code="OOV"),
    )


@pytest.fixture
def earlier_report(intake_user) -> Report:
    """Mohammed de Vries was reported before; the known-person check should find him."""
    report, _ = services.report_register(
        actor=intake_user,
        desk=Desk.MAP,
        submission_key=uuid.uuid4(),
        persons=[
            services.PersonData(
                first_name="Mohammed",
                last_name="de Vries",
                date_of_birth=date(2008, 3, 1),
                relation="hoofdpersoon",
            )
        ],
        received_at=timezone.now() - timedelta(days=200),
        channel=Channel.EMAIL,
        urgency=Urgency.NORMAL,
        reporter_kind=ReporterKind.FAMILY,
        reporter_anonymous=False,
        reporter_name="Fatima de Vries",
        reporter_organisation="",
        reporter_phone="06 1234 5678",
        reporter_email="",
        observation="Moeder ziet dat haar zoon zich terugtrekt en extreme filmpjes deelt.",
    )
    return services.report_triage(
        report=report,
        actor=intake_user,
        outcome=TriageOutcome.FORWARD,
        reasoning="Zorg over radicalisering; duiding door het Voorportaal nodig.",
    )


def fieldset(page: Page, legend: str) -> Locator:
    return page.locator("fieldset").filter(has=page.locator("legend", has_text=legend))


def status(page: Page) -> Locator:
    return page.get_by_test_id("report-status")


# --- The MAP desk ------------------------------------------------------------------------------


def register_report(page: Page) -> None:
    page.get_by_role("link", name="Meldingen").click()
    page.get_by_role("link", name="Melding registreren").click()

    received = timezone.localtime() - timedelta(hours=2)
    page.get_by_label("Ontvangen op").fill(received.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Kanaal").select_option(label="Telefoon")
    page.get_by_label("Normaal").check()
    page.get_by_label("Wat is waargenomen").fill(
        "Mentor belt: Mohamed (17) deelt in de klassenapp filmpjes die geweld verheerlijken en "
        "zegt dat 'ze het verdienen'. Zijn jongere broer herhaalt de uitspraken."
    )
    page.get_by_label("Soort melder").select_option(label="Docent of school")
    page.get_by_label("Naam melder").fill("Ans Bakker")
    page.get_by_label("Organisatie melder").fill("Amstel Lyceum")
    page.get_by_label("Telefoon melder").fill("020 555 0199")

    persons = page.locator("[data-person]")
    first = persons.nth(0)
    first.get_by_label("Voornaam").fill("Mohamed")
    first.get_by_label("Achternaam").fill("De  Vries")  # two spaces: the search must cope
    first.get_by_label("Geboortedatum").fill("2008-03-01")
    first.get_by_label("Relatie tot de melding").fill("hoofdpersoon")

    page.get_by_role("button", name="Nog een persoon").click()
    expect(persons).to_have_count(2)
    brother = persons.nth(1)
    expect(brother.locator("legend")).to_have_text("Persoon 2")
    brother.get_by_label("Voornaam").fill("Youssef")
    brother.get_by_label("Achternaam").fill("de Vries")
    brother.get_by_label("Geboortedatum").fill("2011-09-14")
    brother.get_by_label("Relatie tot de melding").fill("broer")
    docs_screenshot(page, "intake-1-melding-registreren")

    page.get_by_role("button", name="Melding registreren").click()


def forward_to_the_voorportaal(page: Page) -> None:
    page.get_by_role("link", name="Eerste beoordeling").click()
    page.get_by_label("Doorzetten naar het Voorportaal").check()
    page.get_by_label("Onderbouwing").fill(
        "Signalen van verheerlijking van geweld bij een minderjarige; broer betrokken. "
        "Duiding door het Voorportaal nodig."
    )
    page.get_by_role("button", name="Vastleggen").click()


# --- The Voorportaal ---------------------------------------------------------------------------


def fill_the_assessment(page: Page) -> None:
    page.get_by_role("link", name="Duiding starten").click()

    profile = fieldset(page, "Risicoprofiel")
    profile.get_by_role("checkbox", name=re.compile(r"^4\. ")).check()
    profile.get_by_label("Ideologie", exact=True).select_option(
        label="Jihadistisch / islamistisch extremisme"
    )
    profile.get_by_label("Geweldsbereidheid").select_option(label="Laag")
    profile.get_by_label("Netwerk").fill("Online groep van leeftijdsgenoten; broer volgt hem.")
    profile.get_by_label("Samenvatting informatiebeeld").fill(
        "Verheerlijking van geweld online, terugtrekking thuis en op school."
    )

    # Every framework question, section by section: the questions' fields are named q_<id>,
    # which keeps the risk groups above (also checkboxes) out of reach.
    sections = page.locator("fieldset").filter(has=page.locator("[name^='q_']"))
    expect(sections.first).to_be_visible()
    assert sections.count() >= 3
    for section in sections.all():
        for text in section.locator("textarea[name^='q_']").all():
            text.fill("Zie het informatiebeeld van de melder en de school.")
        for kind in ("radio", "checkbox"):
            inputs = section.locator(f"input[type={kind}][name^='q_']")
            for name in inputs.evaluate_all("els => [...new Set(els.map(e => e.name))]"):
                section.locator(f"input[type={kind}][name='{name}']").first.check()

    for domain, score in ZRM_SCORES.items():
        page.locator(f"select[name=score_{domain}]").select_option(str(score))
    page.locator("input[name=note_sociaal_netwerk]").fill("Weinig contact buiten de online groep.")
    docs_screenshot(page, "intake-2-duiding")

    page.get_by_role("button", name="Duiding opslaan").click()


def find_the_known_person(page: Page) -> None:
    """The search answers in place (HTMX): same URL, same window, results in the card."""
    address = page.url
    page.evaluate("window.zelfdePagina = true")

    search = page.get_by_test_id("person-search")
    search.get_by_label("Achternaam").fill("de vries")
    search.get_by_label("Voornaam").fill("Mohammed")
    search.get_by_role("button", name="Zoeken").click()

    matches = page.get_by_test_id("person-matches")
    expect(matches).to_contain_text("Mohammed de Vries")
    expect(matches).to_contain_text("01-03-2008")
    assert page.url == address
    assert page.evaluate("window.zelfdePagina") is True
    expect(page.locator("main")).to_have_count(1)  # a fragment, not a page inside the page


def record_the_top600_check(page: Page) -> None:
    page.get_by_role("link", name="Controle vastleggen").click()
    page.get_by_role("combobox", name=re.compile(r"^Aanpak")).select_option(label="Top600")
    page.get_by_label("Niet bekend").check()
    page.get_by_label("Toelichting").fill("Nagevraagd bij de Top600-regisseur.")
    page.get_by_role("button", name="Vastleggen").click()


def request_information(page: Page) -> None:
    page.get_by_role("link", name="Informatie opvragen").click()
    page.get_by_label("Aan organisatie").select_option(label="Politie Eenheid Amsterdam")
    page.get_by_label("Contactpersoon").fill("Wijkagent Oost")
    page.get_by_label("Vraag").fill("Is Mohamed de Vries bekend bij de politie, en zo ja waarmee?")
    page.get_by_role("button", name="Verzoek vastleggen").click()


def advise_admission(page: Page) -> None:
    page.get_by_role("link", name="Advies geven").click()
    page.get_by_label("Opnemen in de aanpak").check()
    page.get_by_label("Onderbouwing").fill(
        "Risicogroep 4 met beginnende verheerlijking van geweld; een persoonsgerichte aanpak "
        "met school en gezin kan het tij keren."
    )
    # The proposal starts from the assessment: risk group 4 and its ideology are pre-filled.
    expect(page.get_by_role("checkbox", name=re.compile(r"^4\. "))).to_be_checked()
    page.get_by_label("Organisatie met de beste kaarten").select_option(
        label="Onderwijs, Jeugd en Zorg"
    )
    page.get_by_role("button", name="Advies vastleggen").click()


def test_a_report_goes_from_registration_to_ready_for_decision(
    page: Page, live_server, second_factor_off, earlier_report, intake_user, voorportaal_user
):
    login(page, live_server, "intake")
    register_report(page)
    expect(status(page)).to_have_text("Geregistreerd, wacht op eerste beoordeling")
    expect(page.get_by_text("is geregistreerd.")).to_be_visible()
    report = Report.objects.get(pk=int(re.search(r"/meldingen/(\d+)/", page.url)[1]))
    assert sorted(p.relation for p in report.persons.all()) == ["broer", "hoofdpersoon"]

    forward_to_the_voorportaal(page)
    expect(status(page)).to_have_text("Doorgezet naar het Voorportaal")
    logout(page)

    login(page, live_server, "voorportaal")
    page.get_by_role("link", name="Meldingen").click()
    page.get_by_role("link", name=report.reference, exact=True).click()
    expect(status(page)).to_have_text("Doorgezet naar het Voorportaal")

    fill_the_assessment(page)
    expect(page.get_by_text("Duiding opgeslagen en volledig.")).to_be_visible()
    expect(status(page)).to_have_text("In duiding")

    find_the_known_person(page)
    expect(page.get_by_test_id("person-matches")).to_contain_text(earlier_report.reference)
    docs_screenshot(page, "intake-3-bekend-in-de-aanpak")
    # The outcome goes on the report: the same person as in the earlier report.
    page.get_by_test_id("person-matches").get_by_label("Mohammed de Vries").check()
    page.get_by_role("button", name="Uitkomst vastleggen").click()
    expect(page.get_by_test_id("person-checks")).to_contain_text(
        f"dezelfde persoon als in melding {earlier_report.reference}"
    )

    record_the_top600_check(page)
    expect(page.get_by_text("Top600: Niet bekend")).to_be_visible()

    request_information(page)
    requests = page.get_by_test_id("information-requests")
    expect(requests).to_contain_text("Politie Eenheid Amsterdam")
    expect(requests).to_contain_text("open")

    advise_admission(page)
    expect(page.get_by_test_id("advice-kind")).to_have_text("Opnemen in de aanpak")
    expect(status(page)).to_have_text("Advies gereed")

    page.get_by_role("button", name="Klaar voor besluit").click()
    expect(status(page)).to_have_text("Klaar voor besluit")
    docs_screenshot(page, "intake-4-klaar-voor-besluit")

    report.refresh_from_db()
    assert report.status == ReportStatus.READY_FOR_DECISION
    assert AccessLogEntry.objects.filter(user=voorportaal_user, action=AccessAction.SEARCH).exists()
