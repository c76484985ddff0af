"""Acceptance 4 of issue 6: the notification letter of a detained minor goes to the youth
institution, for the attention of its case manager, and to each parent or guardian; each is a
PDF in private storage whose text shows the right address. Dispatches are registered, the
letter deadline is met only when every required recipient has one, and only the intake desk
and the case's regisseur can download a letter, each download in the access log.

Time stands still on Wednesday 3 March 2027; the case was opened on Monday 1 March."""

import io
import logging
import re
from datetime import timedelta

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from cases import letters as letter_presenters
from cases import services as case_services
from cases.constants import LETTER_TEMPLATE_VERSION, LETTER_TEMPLATES, DispatchMethod
from cases.exceptions import TransitionNotAllowed
from cases.letters import letter_status
from cases.models import Case, Letter
from intake.constants import Desk
from ipgar.accounts.constants import Role
from ipgar.audit.constants import AccessAction
from ipgar.audit.models import AccessLogEntry
from ipgar.lib.pdf import ForbiddenFetch, _static_fetcher, render_pdf
from tests.cases.factories import partner_intervention, partner_user, regisseur_user
from tests.factories import UserFactory
from tests.intake.factories import desk_user
from tests.personas import assert_redirects_to_login, signed_in
from tests.reminders.factories import (
    DAY_ZERO,
    GUARDIAN_ADDRESS,
    GUARDIAN_NAME,
    JJI_ADDRESS,
    JJI_NAME,
    PARENT_ADDRESS,
    PARENT_NAME,
    detained_minor_case,
    on,
)

pytestmark = pytest.mark.django_db

TODAY = DAY_ZERO + timedelta(days=2)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def pdfa_part(content: bytes) -> tuple[str, str]:
    root = PdfReader(io.BytesIO(content)).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    part = re.search(r'pdfaid:part="(\w+)"', xmp)
    conformance = re.search(r'pdfaid:conformance="(\w+)"', xmp)
    return (part[1] if part else "", conformance[1] if conformance else "")


def stored_text(letter: Letter) -> str:
    with letter.file.open("rb") as handle:
        return pdf_text(handle.read())


def flat(text: str) -> str:
    """PDF text with its line breaks as spaces, to compare addresses across lines."""
    return " ".join(text.split())


@pytest.fixture
def desk():
    return desk_user(Desk.MAP)


@pytest.fixture
def case(time_machine, desk):
    case = detained_minor_case(time_machine, DAY_ZERO, desk=desk)
    on(time_machine, TODAY)
    return case


@pytest.fixture
def made(case, desk) -> dict[str, Letter]:
    """The letters, by recipient name (the institution's letter carries the subject's name)."""
    return {
        letter.recipient_name: letter
        for letter in case_services.letters_generate(case=case, actor=desk)
    }


class TestTheLettersOfADetainedMinor:
    def test_one_letter_goes_to_the_institution_and_one_to_each_representative(self, case, made):
        assert sorted(made) == sorted(["Daan Vredeveld", PARENT_NAME, GUARDIAN_NAME])
        institution = made["Daan Vredeveld"]
        assert institution.recipient_kind == "inrichting"
        assert institution.attention_of == "de casemanager"
        assert institution.address == f"{JJI_NAME}\n{JJI_ADDRESS}"
        assert made[PARENT_NAME].recipient_kind == "vertegenwoordiger"
        assert made[PARENT_NAME].address == PARENT_ADDRESS
        assert made[GUARDIAN_NAME].address == GUARDIAN_ADDRESS
        assert {letter.template_version for letter in made.values()} == {LETTER_TEMPLATE_VERSION}
        assert all(letter.file.name.startswith("brieven/2027/") for letter in made.values())

    def test_the_institution_s_letter_shows_its_address_for_the_case_manager(self, made):
        text = flat(stored_text(made["Daan Vredeveld"]))

        assert "Daan Vredeveld t.a.v. de casemanager JJI Teylingereind" in text
        assert "Postbus 174 2170 AD Sassenheim" in text
        assert "Wittenburgergracht" not in text  # not the home address
        assert "Geachte heer/mevrouw Vredeveld" in text  # gender unknown: the neutral form
        assert "namens de burgemeester van Amsterdam" in text

    @pytest.mark.parametrize(
        ("name", "address", "other"),
        [
            (PARENT_NAME, "Wittenburgergracht 12 1018 MZ Amsterdam", GUARDIAN_NAME),
            (GUARDIAN_NAME, "Postbus 11036 1001 GA Amsterdam", PARENT_NAME),
        ],
    )
    def test_each_representative_s_letter_shows_their_name_and_address(
        self, made, name, address, other
    ):
        text = flat(stored_text(made[name]))

        assert f"{name} {address}" in text
        assert "als ouder of wettelijk vertegenwoordiger" in text
        assert "Daan Vredeveld, geboren op 1 juni 2012" in text
        assert other not in text
        assert "Teylingereind" not in text

    def test_neither_a_parent_without_custody_nor_an_uncle_gets_a_letter(self, made):
        assert "Ruud Vredeveld" not in made
        assert "Oom Henk Vredeveld" not in made

    def test_generating_again_makes_nothing_new(self, case, desk, made):
        files = {letter.pk: letter.file.name for letter in made.values()}

        again = case_services.letters_generate(case=case, actor=desk)

        assert again == []
        assert dict(Letter.objects.filter(case=case).values_list("pk", "file")) == files


class TestThePdfPipeline:
    def test_render_pdf_returns_the_html_beside_the_pdf(self, case):
        recipient = letter_presenters.required_recipients(case)[0]

        rendered = render_pdf(
            LETTER_TEMPLATES[LETTER_TEMPLATE_VERSION],
            {"letter": letter_presenters.present(case, recipient)},
        )

        assert rendered.content.startswith(b"%PDF-")
        assert pdfa_part(rendered.content) == ("3", "B")  # written as PDF/A-3b
        assert "t.a.v. de casemanager\nJJI Teylingereind\nPostbus 174" in rendered.html
        assert "Gemeente Amsterdam" in rendered.html
        assert "Kenmerk" in pdf_text(rendered.content)
        assert case.reference in pdf_text(rendered.content)

    @pytest.mark.parametrize(
        "url",
        [
            "http://example.org/logo.png",
            "https://cdn.example.org/letter.css",
            "file:///etc/passwd",
            "//example.org/font.woff",
        ],
    )
    def test_the_fetcher_refuses_anything_outside_the_project(self, url):
        with pytest.raises(ForbiddenFetch, match="PDF mag geen externe bron ophalen"):
            _static_fetcher(url)

    def test_the_fetcher_serves_the_project_s_own_static_files(self):
        fetched = _static_fetcher("static:css/ipgar.css")

        assert fetched["mime_type"] == "text/css"
        assert fetched["filename"] == "ipgar.css"
        with pytest.raises(ForbiddenFetch, match="Onbekend statisch bestand"):
            _static_fetcher("static:css/bestaat-niet.css")
        with pytest.raises(SuspiciousFileOperation):
            _static_fetcher("static:../ipgar/settings.py")

    def test_a_template_naming_an_external_url_renders_without_fetching_it(
        self, settings, tmp_path, caplog
    ):
        (tmp_path / "extern.html").write_text(
            "<html><head>"
            '<link rel="stylesheet" href="{{ static_prefix }}css/ipgar.css">'
            '<link rel="stylesheet" href="https://cdn.example.org/x.css"></head>'
            '<body><img src="http://example.org/logo.png"><p>Zonder externe bronnen.</p>'
            "</body></html>"
        )
        settings.TEMPLATES = [
            {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
        ]

        rendered = render_pdf("extern.html", {})

        assert 'href="static:css/ipgar.css"' in rendered.html
        assert "Zonder externe bronnen." in pdf_text(rendered.content)
        failed = [
            r.getMessage()
            for r in caplog.records
            if r.name == "weasyprint"
            and r.levelno >= logging.WARNING
            # a machine without HarfBuzz-Subset says so once per process: not about this PDF
            and "HarfBuzz-Subset" not in r.getMessage()
        ]
        # The project's own stylesheet was served and parsed without a warning.
        assert len(failed) == 2, failed
        assert "PDF mag geen externe bron ophalen: https://cdn.example.org/x.css" in failed[0]
        assert "PDF mag geen externe bron ophalen: http://example.org/logo.png" in failed[1]

    def test_the_letter_template_names_no_url_at_all(self, case):
        recipient = letter_presenters.required_recipients(case)[1]
        html = render_pdf(
            LETTER_TEMPLATES[LETTER_TEMPLATE_VERSION],
            {"letter": letter_presenters.present(case, recipient)},
        ).html

        assert "http" not in html and "src=" not in html and "href=" not in html


class TestDispatch:
    def test_each_dispatch_is_recorded_with_method_date_and_actor(self, desk, made):
        letter = made[PARENT_NAME]

        case_services.letter_dispatch_register(
            letter=letter, actor=desk, method=DispatchMethod.POST, dispatched_on=TODAY
        )

        letter.refresh_from_db()
        assert (letter.method, letter.dispatched_on, letter.dispatched_by) == (
            DispatchMethod.POST,
            TODAY,
            desk,
        )
        assert letter.history.latest().history_user == desk

    def test_a_dispatch_in_the_future_is_refused(self, desk, made):
        with pytest.raises(TransitionNotAllowed) as refused:
            case_services.letter_dispatch_register(
                letter=made[PARENT_NAME],
                actor=desk,
                method=DispatchMethod.POST,
                dispatched_on=TODAY + timedelta(days=1),
            )

        assert refused.value.message == "Een verzending kan niet in de toekomst liggen."
        assert Letter.objects.get(pk=made[PARENT_NAME].pk).dispatched_on is None

    def test_a_dispatch_before_the_letter_existed_is_refused(self, desk, made):
        with pytest.raises(TransitionNotAllowed) as refused:
            case_services.letter_dispatch_register(
                letter=made[PARENT_NAME],
                actor=desk,
                method=DispatchMethod.POST,
                dispatched_on=TODAY - timedelta(days=1),
            )

        assert refused.value.message == "Een brief wordt verzonden nadat hij is gemaakt."

    def test_the_service_refuses_a_dispatch_without_a_method(self, desk, made):
        with pytest.raises(TransitionNotAllowed, match="Kies hoe de brief is verzonden"):
            case_services.letter_dispatch_register(
                letter=made[PARENT_NAME], actor=desk, method="", dispatched_on=TODAY
            )
        made[PARENT_NAME].refresh_from_db()
        assert made[PARENT_NAME].dispatched_on is None

    def test_the_database_refuses_a_dispatch_without_a_method_too(self, made):
        letter = made[PARENT_NAME]
        letter.dispatched_on, letter.method = TODAY, ""
        with pytest.raises(IntegrityError), transaction.atomic():
            letter.save()

    def test_the_desk_is_asked_how_the_letter_went(self, client, case, desk, made):
        letter = made[PARENT_NAME]
        url = reverse("cases:letter_dispatch", args=[case.pk, letter.pk])

        response = signed_in(client, desk).post(
            url, {"dispatched_on": TODAY.isoformat(), "method": ""}, follow=True
        )

        assert "Kies hoe de brief is verzonden of overhandigd." in response.content.decode()
        assert Letter.objects.get(pk=letter.pk).dispatched_on is None

        response = client.post(
            url, {"dispatched_on": TODAY.isoformat(), "method": DispatchMethod.POST}, follow=True
        )

        assert f"Verzending aan {PARENT_NAME} vastgelegd." in response.content.decode()
        assert Letter.objects.get(pk=letter.pk).dispatched_on == TODAY

    def test_the_deadline_is_met_only_when_every_recipient_has_a_dispatch(self, case, desk, made):
        methods = {
            "Daan Vredeveld": DispatchMethod.INSTITUTION,
            PARENT_NAME: DispatchMethod.POST,
            GUARDIAN_NAME: DispatchMethod.IN_PERSON,
        }
        remaining = [3, 2, 1, 0]
        for name, method in methods.items():
            assert len(letter_status(Case.objects.get(pk=case.pk)).undispatched) == remaining.pop(0)
            case_services.letter_dispatch_register(
                letter=made[name], actor=desk, method=method, dispatched_on=TODAY
            )

        status = letter_status(Case.objects.get(pk=case.pk))
        assert status.undispatched == []
        assert status.complete


class TestAMissingAddress:
    def test_it_is_refused_in_dutch_and_nothing_is_made(self, case, desk):
        guardian = case.contacts.get(name=GUARDIAN_NAME)
        case_services.contact_save(case=case, actor=case.regisseur, contact=guardian, address="")

        with pytest.raises(TransitionNotAllowed) as refused:
            case_services.letters_generate(case=case, actor=desk)

        assert refused.value.message == (
            f"Het adres van {GUARDIAN_NAME} ontbreekt; vul het eerst aan."
        )
        assert not Letter.objects.filter(case=case).exists()

    def test_the_desk_sees_the_error_on_the_letters_page(self, client, case, desk):
        guardian = case.contacts.get(name=GUARDIAN_NAME)
        case_services.contact_save(case=case, actor=case.regisseur, contact=guardian, address="")

        response = signed_in(client, desk).post(
            reverse("cases:letters_generate", args=[case.pk]), follow=True
        )

        assert response.status_code == 200
        assert f"Het adres van {GUARDIAN_NAME} ontbreekt; vul het eerst aan." in (
            response.content.decode()
        )
        assert not Letter.objects.filter(case=case).exists()


class TestDownloads:
    def url(self, letter: Letter) -> str:
        return reverse("cases:letter_download", args=[letter.case_id, letter.pk])

    @pytest.mark.parametrize("who", ["intake desk", "the case's regisseur"])
    def test_the_desk_and_the_regisseur_get_the_pdf_and_the_access_log_says_so(
        self, client, case, desk, made, who
    ):
        user = desk if who == "intake desk" else case.regisseur
        letter = made[GUARDIAN_NAME]

        response = signed_in(client, user).get(self.url(letter))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "no-store"
        assert f'filename="notificatiebrief-{letter.pk}.pdf"' in response["Content-Disposition"]
        content = b"".join(response.streaming_content)
        assert GUARDIAN_NAME in pdf_text(content)
        entry = AccessLogEntry.objects.get(action=AccessAction.DOWNLOAD)
        assert (entry.user, entry.object_type, entry.object_id) == (
            user,
            "cases.letter",
            str(letter.pk),
        )
        assert entry.subject_ref == f"subject:{case.subject_id}"

    @pytest.mark.parametrize(
        "role", [Role.REGISSEUR, Role.INTERVENTION_PARTNER, Role.PROGRAMME_TEAM]
    )
    def test_anyone_else_finds_no_letter(self, client, case, made, role):
        if role == Role.REGISSEUR:
            user = regisseur_user()
        elif role == Role.INTERVENTION_PARTNER:
            user = partner_user()
            partner_intervention(case, user)  # even a partner on this very case
        else:
            user = UserFactory(roles=[role])

        response = signed_in(client, user).get(self.url(made[PARENT_NAME]))

        assert response.status_code == 404
        assert not AccessLogEntry.objects.filter(action=AccessAction.DOWNLOAD).exists()

    def test_anonymous_is_sent_to_login(self, client, made):
        assert_redirects_to_login(client.get(self.url(made[PARENT_NAME])))

    def test_a_letter_whose_file_the_storage_lost_is_a_dutch_404_and_not_logged_as_read(
        self, client, desk, made
    ):
        letter = made[GUARDIAN_NAME]
        letter.file.storage.delete(letter.file.name)

        page = signed_in(client, desk).get(reverse("cases:case_letters", args=[letter.case_id]))
        response = client.get(self.url(letter))

        # The list says the file is missing instead of offering a link that ends in a 404.
        assert "PDF ontbreekt in de opslag" in page.content.decode()
        assert self.url(letter) not in page.content.decode()
        assert self.url(made[PARENT_NAME]) in page.content.decode()
        assert response.status_code == 404
        assert "niet gevonden" in response.content.decode().lower()
        assert not AccessLogEntry.objects.filter(action=AccessAction.DOWNLOAD).exists()

    def test_a_historic_letter_without_a_pdf_offers_no_download(self, client, case, desk, made):
        letter = made[GUARDIAN_NAME]
        Letter.objects.filter(pk=letter.pk).update(file="")

        page = signed_in(client, desk).get(reverse("cases:case_letters", args=[case.pk]))
        response = client.get(self.url(letter))

        assert "geen PDF bewaard" in page.content.decode()
        assert self.url(letter) not in page.content.decode()
        assert response.status_code == 404


@pytest.mark.parametrize(
    ("gender", "last_name", "expected"),
    [
        ("m", "El Amrani", "Geachte heer El Amrani"),
        ("v", "Verbeek", "Geachte mevrouw Verbeek"),
        ("", "Verbeek", "Geachte heer/mevrouw Verbeek"),
        ("x", "Verbeek", "Geachte heer/mevrouw Verbeek"),
        ("", "", "Geachte heer/mevrouw"),
    ],
)
def test_the_salutation_uses_the_surname_and_a_title_only_when_the_gender_is_known(
    gender, last_name, expected
):
    from cases.letters import salutation_for
    from cases.models import Subject

    assert salutation_for(Subject(gender=gender, last_name=last_name)) == expected
