"""The logbook: a contact is logged in seconds with HTMX, never in the future and never on a
closed file; its author corrects it in place within 30 minutes (the history keeps the old
text), after that a correction is a new entry pointing at the old one; the logbook is
paginated, filterable by kind and searchable."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases import services
from cases.constants import LOG_CORRECTION_MINUTES, LogKind
from cases.exceptions import TransitionNotAllowed
from cases.models import LogEntry
from cases.selectors import LOGBOOK_PAGE_SIZE
from tests.cases.factories import (
    CaseFactory,
    bulk_log,
    itatr_member,
    log,
    partner_intervention,
    partner_user,
    regisseur_user,
)
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "logformulier"}
FRAGMENT = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "logboek"}
ENTRY = re.compile(r'id="logregel-(\d+)"')


def field(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def case():
    return CaseFactory(in_execution=True)


def add_url(case) -> str:
    return reverse("cases:logbook_add", args=[case.pk])


def edit_url(entry) -> str:
    return reverse("cases:logbook_edit", args=[entry.case_id, entry.pk])


def shown(html: str) -> list[int]:
    return [int(pk) for pk in ENTRY.findall(html)]


# --- Logging -------------------------------------------------------------------------------


class TestLogging:
    def test_an_htmx_post_stores_the_entry_and_returns_a_fresh_form_with_a_trigger(
        self, client, case
    ):
        signed_in(client, case.regisseur)
        at = timezone.now() - timedelta(minutes=10)

        response = client.post(
            add_url(case),
            {
                "at": field(at),
                "kind": LogKind.PHONE,
                "text": "Gebeld: afspraak bevestigd.",
                "participants": "moeder",
            },
            **HTMX,
        )

        assert response.status_code == 200
        assert response["HX-Trigger"] == "logboek-bijgewerkt"
        html = response.content.decode()
        assert html.startswith('<div id="logformulier">')  # the fragment, not a page
        assert "Opgeslagen: telefonisch contact van" in html
        assert "Gebeld: afspraak bevestigd." not in html  # a fresh, empty form
        entry = LogEntry.objects.get(case=case)
        assert (entry.text, entry.kind, entry.participants, entry.author) == (
            "Gebeld: afspraak bevestigd.",
            LogKind.PHONE,
            "moeder",
            case.regisseur,
        )
        assert field(entry.at) == field(at)
        assert entry.history.get().history_user == case.regisseur

    def test_without_htmx_it_goes_back_to_the_case_page_with_a_message(self, client, case):
        signed_in(client, case.regisseur)

        response = client.post(
            add_url(case),
            {"at": field(timezone.now()), "kind": LogKind.DEVELOPMENT, "text": "Stage gevonden."},
            follow=True,
        )

        assert response.redirect_chain[-1][0].endswith("#logboek")
        assert "Logboekregel opgeslagen." in response.content.decode()
        assert "Stage gevonden." in response.content.decode()

    def test_the_logbook_fragment_refreshes_with_the_new_entry_and_its_correction_link(
        self, client, case
    ):
        entry = log(case, text="Nieuw contact.")
        signed_in(client, case.regisseur)

        html = client.get(reverse("cases:case_detail", args=[case.pk]), **FRAGMENT)

        assert html.content.decode().startswith('<div id="logboek"')
        assert shown(html.content.decode()) == [entry.pk]
        assert edit_url(entry) in html.content.decode()

    def test_a_reader_gets_the_fragment_without_correction_links(self, client, case):
        entry = log(case)
        signed_in(client, itatr_member(case.organisation))

        html = client.get(reverse("cases:case_detail", args=[case.pk]), **FRAGMENT)

        assert shown(html.content.decode()) == [entry.pk]
        assert edit_url(entry) not in html.content.decode()

    def test_a_time_in_the_future_is_refused_in_dutch_and_the_text_is_kept(self, client, case):
        signed_in(client, case.regisseur)

        response = client.post(
            add_url(case),
            {
                "at": field(timezone.now() + timedelta(hours=2)),
                "kind": LogKind.FACE_TO_FACE,
                "text": "Dit moet bewaard blijven.",
            },
            **HTMX,
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert "HX-Trigger" not in response
        assert "Een logboekregel kan niet in de toekomst liggen." in html
        assert "Dit moet bewaard blijven." in html
        assert not LogEntry.objects.exists()

    def test_an_empty_text_is_refused_in_dutch(self, client, case):
        signed_in(client, case.regisseur)

        response = client.post(
            add_url(case), {"at": field(timezone.now()), "kind": LogKind.PHONE, "text": " "}, **HTMX
        )

        assert "Schrijf wat er is gebeurd." in response.content.decode()
        assert not LogEntry.objects.exists()

    def test_an_entry_on_a_closed_case_is_refused(self, client):
        case = CaseFactory(closed=True)
        signed_in(client, case.regisseur)

        response = client.post(
            add_url(case),
            {"at": field(timezone.now()), "kind": LogKind.PHONE, "text": "Na afsluiting."},
            **HTMX,
        )

        html = response.content.decode()
        assert "alleen-lezen" in html
        assert "Na afsluiting." in html
        assert "HX-Trigger" not in response
        assert not LogEntry.objects.exists()
        page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
        assert 'data-testid="log-form"' not in page

    def test_the_service_refuses_an_intervention_of_another_case(self, case):
        elsewhere = partner_intervention(CaseFactory(in_execution=True), partner_user())

        with pytest.raises(TransitionNotAllowed, match="andere casus"):
            log(case, intervention=elsewhere)
        assert not LogEntry.objects.filter(case=case).exists()


# --- Correcting ------------------------------------------------------------------------------


def correct(client, entry, text: str, **extra):
    data = {"at": field(entry.at), "kind": entry.kind, "text": text, **extra}
    return client.post(edit_url(entry), data, follow=True)


class TestCorrecting:
    def test_the_author_corrects_in_place_within_30_minutes_and_history_keeps_the_old_text(
        self, client, case
    ):
        entry = log(case, text="Gesprek met vader.")
        signed_in(client, case.regisseur)
        form = client.get(edit_url(entry)).content.decode()

        response = correct(client, entry, "Gesprek met moeder.")

        assert "binnen 30 minuten aanpassen" in form
        assert "Logboekregel gecorrigeerd." in response.content.decode()
        entry.refresh_from_db()
        assert entry.text == "Gesprek met moeder."
        assert LogEntry.objects.filter(case=case).count() == 1
        history = entry.history.order_by("history_date", "history_id")
        assert [(row.history_type, row.text) for row in history] == [
            ("+", "Gesprek met vader."),
            ("~", "Gesprek met moeder."),
        ]
        assert history.last().history_user == case.regisseur

    def test_after_30_minutes_a_correction_is_a_new_entry_pointing_at_the_old_one(
        self, client, case, time_machine
    ):
        time_machine.move_to(timezone.now() - timedelta(minutes=LOG_CORRECTION_MINUTES + 1))
        entry = log(case, text="Gesprek met vader.")
        time_machine.move_to(timezone.now() + timedelta(minutes=LOG_CORRECTION_MINUTES + 1))
        signed_in(client, case.regisseur)
        form = client.get(edit_url(entry)).content.decode()

        response = correct(client, entry, "Het was de moeder, niet de vader.")

        assert "termijn om deze regel aan te passen is verstreken" in form
        assert "Correctie toegevoegd als nieuwe logboekregel." in response.content.decode()
        entry.refresh_from_db()
        assert entry.text == "Gesprek met vader."
        assert entry.history.count() == 1
        correction = LogEntry.objects.get(corrects=entry)
        assert (correction.text, correction.author) == (
            "Het was de moeder, niet de vader.",
            case.regisseur,
        )
        assert "Correctie op de regel van" in response.content.decode()

    def test_the_window_ends_at_exactly_30_minutes(self, case, time_machine):
        entry = log(case)
        time_machine.move_to(
            entry.created_at + timedelta(minutes=LOG_CORRECTION_MINUTES), tick=False
        )
        assert services.log_entry_editable(entry, case.regisseur)
        time_machine.move_to(
            entry.created_at + timedelta(minutes=LOG_CORRECTION_MINUTES, seconds=1), tick=False
        )
        assert not services.log_entry_editable(entry, case.regisseur)

    def test_another_user_cannot_correct_in_place_even_within_the_window(self, client, case):
        partner = partner_user()
        intervention = partner_intervention(case, partner)
        entry = log(case, actor=partner, intervention=intervention, text="Training bijgewoond.")
        signed_in(client, case.regisseur)

        correct(client, entry, "Training gemist.")

        entry.refresh_from_db()
        assert entry.text == "Training bijgewoond."
        assert entry.history.count() == 1
        correction = LogEntry.objects.get(corrects=entry)
        assert (correction.author, correction.intervention) == (case.regisseur, intervention)

    def test_a_new_regisseur_cannot_correct_the_predecessors_entry_in_place(self, client, case):
        entry = log(case, text="Eerste gesprek.")
        successor = regisseur_user()
        services.case_reassign(case=case, actor=successor, regisseur=successor)
        signed_in(client, successor)

        correct(client, entry, "Tweede gesprek.")

        entry.refresh_from_db()
        assert entry.text == "Eerste gesprek."
        assert LogEntry.objects.get(corrects=entry).author == successor

    def test_a_reader_cannot_correct_at_all(self, client, case):
        entry = log(case, text="Eerste gesprek.")
        signed_in(client, itatr_member(case.organisation))

        response = client.post(
            edit_url(entry), {"at": field(entry.at), "kind": "telefoon", "text": "x"}
        )

        assert response.status_code == 403
        assert LogEntry.objects.get().text == "Eerste gesprek."

    def test_a_correction_in_the_future_is_refused(self, client, case):
        entry = log(case, text="Gesprek.")
        signed_in(client, case.regisseur)

        response = correct(
            client, entry, "Gesprek verplaatst.", at=field(timezone.now() + timedelta(days=1))
        )

        assert "Een logboekregel kan niet in de toekomst liggen." in response.content.decode()
        entry.refresh_from_db()
        assert entry.text == "Gesprek."

    def test_an_entry_of_another_case_is_not_found_under_this_case(self, client, case):
        other = CaseFactory(in_execution=True, regisseur=case.regisseur)
        entry = log(other)
        signed_in(client, case.regisseur)

        response = client.get(reverse("cases:logbook_edit", args=[case.pk, entry.pk]))

        assert response.status_code == 404


# --- Reading: pages, kinds, search -------------------------------------------------------------


def fragment(client, case, query: str = ""):
    url = reverse("cases:case_detail", args=[case.pk]) + query
    response = client.get(url, **FRAGMENT)
    assert response.status_code == 200
    return response.content.decode()


class TestReading:
    def test_it_shows_the_newest_entries_first_in_pages_of_25(self, client, case):
        bulk_log(case, 30)
        signed_in(client, case.regisseur)
        newest_first = list(
            LogEntry.objects.filter(case=case).order_by("-at").values_list("pk", flat=True)
        )

        first, second = fragment(client, case), fragment(client, case, "?page=2")

        assert shown(first) == newest_first[:LOGBOOK_PAGE_SIZE]
        assert shown(second) == newest_first[LOGBOOK_PAGE_SIZE:]
        assert "Pagina 1 van 2" in first
        assert "Pagina 2 van 2" in second
        assert shown(fragment(client, case, "?page=99")) == shown(second)  # last page

    def test_it_filters_by_kind(self, client, case):
        phone = log(case, kind=LogKind.PHONE, text="Gebeld.")
        log(case, kind=LogKind.FACE_TO_FACE, text="Gesproken.")
        signed_in(client, case.regisseur)

        assert shown(fragment(client, case, f"?soort={LogKind.PHONE}")) == [phone.pk]
        assert "Nog geen logboekregels van deze soort" in fragment(
            client, case, f"?soort={LogKind.UVO}"
        )
        assert len(shown(fragment(client, case, "?soort=onzin"))) == 2  # unknown kind: all

    def test_it_searches_the_text_and_pages_keep_the_search(self, client, case):
        bulk_log(case, 30, text="Stage bij de bakker besproken.")
        bulk_log(case, 5, text="Gesprek over de moskee.")
        signed_in(client, case.regisseur)

        found = fragment(client, case, "?zoek=stage")
        mosque = fragment(client, case, "?zoek=moskee")

        assert len(shown(found)) == LOGBOOK_PAGE_SIZE
        assert "Pagina 1 van 2" in found
        assert "zoek=stage" in found  # the link to the next page
        assert len(shown(fragment(client, case, "?zoek=stage&page=2"))) == 30 - LOGBOOK_PAGE_SIZE
        assert len(shown(mosque)) == 5
        assert escape("Gesprek over de moskee.") in mosque
        assert "bakker" not in mosque

    def test_the_full_case_page_shows_the_count_and_the_first_page(self, client, case):
        bulk_log(case, 30)
        signed_in(client, case.regisseur)

        html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()

        assert "(30 regels)" in html
        assert len(shown(html)) == LOGBOOK_PAGE_SIZE
