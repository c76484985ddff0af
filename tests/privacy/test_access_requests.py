"""Access requests (inzageverzoeken): registered by the privacy officer with their one-month
deadline, exported as PDF and JSON (access-logged); and the informing record per subject."""

import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases import services as case_services
from cases.constants import DispatchMethod
from ipgar.accounts.constants import Role
from ipgar.audit.models import AccessLogEntry
from ipgar.notifications.models import Notification
from privacy.models import AccessRequest
from reminders.constants import DeadlineKind
from reminders.models import Postponement
from tests.cases.factories import CaseFactory, log, regisseur_user
from tests.factories import UserFactory
from tests.meetings.factories import pdf_text
from tests.personas import signed_in
from tests.privacy.factories import privacy_officer

FIRST, LAST, BSN = "Wendelien", "Schuttevaer", "111222333"


@pytest.fixture
def case():
    case = CaseFactory(in_execution=True, person={"first_name": FIRST, "last_name": LAST})
    log(case, text="Gesprek over dagbesteding bij de bibliotheek.")
    return case


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        (date(2026, 3, 10), date(2026, 4, 10)),
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2026, 12, 15), date(2027, 1, 15)),
    ],
)
def test_the_deadline_is_one_month_after_receipt(received, deadline):
    assert AccessRequest.deadline_for(received) == deadline


@pytest.mark.django_db
def test_the_privacy_officer_finds_the_subject_and_registers_the_request(client, case):
    officer = privacy_officer()
    signed_in(client, officer)
    found = client.get("/privacy/inzageverzoeken/", {"zoek": case.subject.bsn})
    assert f"/privacy/inzageverzoeken/nieuw/{case.subject_id}/" in found.content.decode()
    assert AccessLogEntry.objects.filter(user=officer, action="search").exists()
    received = timezone.localdate() - timedelta(days=3)
    response = client.post(
        f"/privacy/inzageverzoeken/nieuw/{case.subject_id}/",
        {"received_on": received.strftime("%d-%m-%Y"), "channel": "brief", "note": ""},
    )
    request = AccessRequest.objects.get()
    assert response["Location"] == f"/privacy/inzageverzoeken/{request.pk}/"
    assert request.deadline == AccessRequest.deadline_for(received)
    assert request.history.get().history_user == officer
    # Tracked: on "Mijn werk" with the deadline, and shown on the page.
    assert Notification.objects.get(recipient=officer, kind="inzageverzoek").due_date == (
        request.deadline
    )
    page = client.get(f"/privacy/inzageverzoeken/{request.pk}/").content.decode()
    assert f"{request.deadline:%d-%m-%Y}" in page and "nog " in page


@pytest.mark.django_db
def test_the_export_holds_everything_about_the_subject_and_is_logged(client, case):
    officer = privacy_officer()
    signed_in(client, officer)
    request = _register(case, officer)
    as_json = client.get(f"/privacy/inzageverzoeken/{request.pk}/export.json")
    assert as_json.status_code == 200 and as_json["Cache-Control"] == "no-store"
    data = json.loads(as_json.content)
    assert data["persoon"]["voornaam"] == FIRST and data["persoon"]["achternaam"] == LAST
    (exported_case,) = data["casussen"]
    assert exported_case["kenmerk"] == case.reference
    assert any("bibliotheek" in row["verslag"] for row in exported_case["logboek"])
    assert data["meldingen"][0]["kenmerk"] == case.report.reference
    # The export's own line was written before the data was gathered.
    assert data["toegangslog"][-1]["handeling"] == "Geëxporteerd"
    assert data["toegangslog"][-1]["gebruiker"] == officer.username
    as_pdf = client.get(f"/privacy/inzageverzoeken/{request.pk}/export.pdf")
    text = pdf_text(as_pdf.content)
    assert LAST in text and case.reference in text and "bibliotheek" in text
    exports = AccessLogEntry.objects.filter(
        user=officer, action="export", subject_ref=f"subject:{case.subject_id}"
    )
    assert exports.count() == 2


@pytest.mark.django_db
def test_the_export_lists_who_read_the_file(client, case):
    signed_in(Client(), case.regisseur).get(f"/casussen/{case.pk}/")
    officer = privacy_officer()
    request = _register(case, officer)
    data = json.loads(
        signed_in(client, officer).get(f"/privacy/inzageverzoeken/{request.pk}/export.json").content
    )
    assert case.regisseur.username in [row["gebruiker"] for row in data["toegangslog"]]


@pytest.mark.django_db
def test_answering_closes_the_request(client, case):
    officer = privacy_officer()
    request = _register(case, officer)
    signed_in(client, officer).post(
        f"/privacy/inzageverzoeken/{request.pk}/",
        {"answered_on": timezone.localdate().strftime("%d-%m-%Y")},
    )
    request.refresh_from_db()
    assert request.status == "beantwoord" and request.answered_on == timezone.localdate()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.REGISSEUR, Role.ADMINISTRATOR, Role.PROGRAMME_TEAM])
def test_only_the_privacy_officer_handles_access_requests(client, case, role):
    request = _register(case, privacy_officer())
    signed_in(client, UserFactory(roles=[role]))
    for url in (
        "/privacy/inzageverzoeken/",
        f"/privacy/inzageverzoeken/nieuw/{case.subject_id}/",
        f"/privacy/inzageverzoeken/{request.pk}/",
        f"/privacy/inzageverzoeken/{request.pk}/export.json",
        f"/privacy/inzageverzoeken/{request.pk}/export.pdf",
    ):
        assert client.get(url).status_code == 403, url


def _register(case, officer) -> AccessRequest:
    from privacy.services import access_request_register

    return access_request_register(
        subject=case.subject,
        received_on=timezone.localdate(),
        channel="e-mail",
        note="",
        actor=officer,
    )


# --- The informing record ------------------------------------------------------------------


@pytest.fixture
def informed(case):
    intake = UserFactory(roles=[Role.INTAKE])
    (letter,) = case_services.letters_generate(case=case, actor=intake)
    case_services.letter_dispatch_register(
        letter=letter,
        actor=intake,
        method=DispatchMethod.IN_PERSON,
        dispatched_on=timezone.localdate(),
    )
    return case


@pytest.fixture
def postponed():
    case = CaseFactory(in_execution=True)
    Postponement.objects.create(
        kind=DeadlineKind.LETTER,
        object_type="cases.case",
        object_id=str(case.pk),
        reason="Lopend strafrechtelijk onderzoek; informeren na overleg met het OM.",
        created_by=case.regisseur,
    )
    return case


@pytest.mark.django_db
def test_the_record_says_when_and_how_the_subject_was_informed(client, informed):
    signed_in(client, privacy_officer())
    page = client.get(f"/privacy/informeren/{informed.subject_id}/").content.decode()
    assert f"{timezone.localdate():%d-%m-%Y}" in page
    assert DispatchMethod.IN_PERSON.label in page


@pytest.mark.django_db
def test_the_record_says_why_not_yet(client, postponed):
    signed_in(client, postponed.regisseur)
    page = client.get(f"/privacy/informeren/{postponed.subject_id}/")
    assert page.status_code == 200
    assert "Lopend strafrechtelijk onderzoek" in page.content.decode()


@pytest.mark.django_db
def test_the_record_is_for_the_privacy_officer_and_the_regisseur_only(client, informed):
    url = f"/privacy/informeren/{informed.subject_id}/"
    assert signed_in(Client(), informed.regisseur).get(url).status_code == 200
    for user in (regisseur_user(), UserFactory(roles=[Role.INTERVENTION_PARTNER])):
        assert signed_in(Client(), user).get(url).status_code == 404
    assert (
        signed_in(client, privacy_officer()).get("/privacy/informeren/999999/").status_code == 404
    )


# --- Issue 20 point 8 and issue 19: every subject exports, fast, logged only on success ------


def _letter_without_file(case) -> None:
    from cases.constants import LetterRecipientKind
    from cases.models import Letter

    Letter.objects.create(
        case=case,
        template_version="kennisgeving-2026-1",
        recipient_kind=LetterRecipientKind.SUBJECT,
        recipient_name=case.subject.full_name,
        address="Straat 1",
        created_by=case.regisseur,
    )


def _exports(officer, case) -> int:
    return AccessLogEntry.objects.filter(
        user=officer, action="export", subject_ref=f"subject:{case.subject_id}"
    ).count()


@pytest.mark.django_db
def test_a_letter_without_a_stored_file_is_listed_as_such(client, case):
    _letter_without_file(case)
    officer = privacy_officer()
    request = _register(case, officer)
    signed_in(client, officer)
    data = json.loads(client.get(f"/privacy/inzageverzoeken/{request.pk}/export.json").content)
    (letter,) = data["casussen"][0]["brieven"]
    assert letter["PDF"] == "geen PDF opgeslagen"
    as_pdf = client.get(f"/privacy/inzageverzoeken/{request.pk}/export.pdf")
    assert as_pdf.status_code == 200
    assert "geen PDF opgeslagen" in pdf_text(as_pdf.content)
    assert _exports(officer, case) == 2


@pytest.mark.django_db
def test_a_failed_export_writes_no_export_line(case, monkeypatch):
    officer = privacy_officer()
    request = _register(case, officer)
    client = signed_in(Client(raise_request_exception=False), officer)

    def broken(*args, **kwargs):
        raise OSError("schijf vol")

    monkeypatch.setattr("privacy.views.render_pdf", broken)
    assert client.get(f"/privacy/inzageverzoeken/{request.pk}/export.pdf").status_code == 500
    assert _exports(officer, case) == 0


@pytest.mark.django_db
def test_the_export_runs_the_same_queries_with_1_and_1000_logbook_lines(client, case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.cases.factories import bulk_log

    _letter_without_file(case)
    officer = privacy_officer()
    request = _register(case, officer)
    signed_in(client, officer)
    client.get(f"/privacy/inzageverzoeken/{request.pk}/export.json")  # the session settles
    counts = []
    for lines in (0, 999):
        bulk_log(case, lines)
        with CaptureQueriesContext(connection) as queries:
            data = json.loads(
                client.get(f"/privacy/inzageverzoeken/{request.pk}/export.json").content
            )
        counts.append(len(queries))
        assert len(data["casussen"][0]["logboek"]) == lines + 1
    assert counts[0] == counts[1]
    print(f"inzageverzoek: {counts[0]} queries with 1 logbook line, {counts[1]} with 1,000")
