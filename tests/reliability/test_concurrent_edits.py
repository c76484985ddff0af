"""Issue 9, point 4: two people editing the same plan, the same minutes or the same subject.
The second save gets a conflict message with both versions (theirs as saved now, theirs as
typed and kept in the form), never a silent overwrite: optimistic locking with a version
number carried in the form. Proven with two signed-in clients, and with eight clients saving
the same subject at the same moment on PostgreSQL."""

import re
import threading
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cases import permissions
from cases.constants import PlanStatus
from cases.models import Case, PlanVersion, Subject
from ipgar.accounts.models import User
from meetings import services
from meetings.constants import DecisionKind, ItemKind, ItemStatus
from meetings.models import AgendaItem, Meeting
from tests.cases.factories import CaseFactory, regisseur_user, secretary_user
from tests.meetings.factories import BodyFactory, at, organisation
from tests.personas import signed_in

pytestmark = pytest.mark.postgres

CONFLICT = "Niet opgeslagen: iemand anders heeft dit intussen gewijzigd"


def lock_version_on(response, name: str = "lock_version") -> str:
    """The hidden number the page's form carries: what the user read."""
    html = response.content.decode()
    found = re.search(rf'<input type="hidden" name="{re.escape(name)}" value="(\d+)"', html)
    assert found, f"geen verborgen veld {name} in het formulier"
    return found.group(1)


def rows_by_label(response) -> dict:
    return {row.label: row for row in response.context["conflict"].rows}


def subject_data(subject: Subject, lock_version: str, **fields) -> dict:
    return {
        "first_name": subject.first_name,
        "last_name": subject.last_name,
        "aliases": subject.aliases,
        "date_of_birth": subject.date_of_birth.isoformat() if subject.date_of_birth else "",
        "bsn": subject.bsn,
        "gender": subject.gender,
        "street": subject.street,
        "postcode": subject.postcode,
        "city": subject.city,
        "lock_version": lock_version,
        **fields,
    }


def two_regisseurs(case: Case) -> tuple[Client, Client, User]:
    """The case's regisseur and a colleague standing in, each in their own browser."""
    colleague = regisseur_user(organisation=case.organisation)
    permissions.grant_regisseur(case, colleague)
    return signed_in(Client(), case.regisseur), signed_in(Client(), colleague), colleague


@pytest.mark.django_db
class TestSubject:
    def test_the_second_save_gets_both_versions_and_overwrites_nothing(self):
        case = CaseFactory(in_execution=True)
        first, second, _ = two_regisseurs(case)
        url = reverse("cases:subject_edit", args=[case.pk])
        read_first, read_second = lock_version_on(first.get(url)), lock_version_on(second.get(url))
        subject = Subject.objects.get(pk=case.subject_id)
        street = subject.street
        saves = subject.history.count()

        saved = first.post(
            url, subject_data(subject, read_first, aliases="Abu Amin", city="Utrecht")
        )
        refused = second.post(
            url, subject_data(subject, read_second, aliases="Abu Bakr", street="Javastraat 9")
        )

        assert saved.status_code == 302
        assert refused.status_code == 409
        html = refused.content.decode()
        assert CONFLICT in html
        assert str(case.regisseur) in html  # who saved in between
        rows = rows_by_label(refused)
        assert (rows["Aliassen"].theirs, rows["Aliassen"].yours) == ("Abu Amin", "Abu Bakr")
        assert (rows["Woonplaats"].theirs, rows["Woonplaats"].yours) == ("Utrecht", subject.city)
        assert rows["Aliassen"].differs and not rows["Achternaam"].differs
        # What the second user typed is still in the form.
        assert 'value="Abu Bakr"' in html and 'value="Javastraat 9"' in html
        stored = Subject.objects.get(pk=subject.pk)
        assert (stored.aliases, stored.city, stored.street) == ("Abu Amin", "Utrecht", street)
        assert stored.history.count() == saves + 1
        print("concurrent edits: subject, 2 clients: 1 saved, 1 conflict with both versions")

    def test_saving_again_after_reading_the_conflict_is_a_deliberate_overwrite(self):
        case = CaseFactory(in_execution=True)
        first, second, colleague = two_regisseurs(case)
        url = reverse("cases:subject_edit", args=[case.pk])
        read_first, read_second = lock_version_on(first.get(url)), lock_version_on(second.get(url))
        subject = Subject.objects.get(pk=case.subject_id)
        first.post(url, subject_data(subject, read_first, aliases="Abu Amin"))
        refused = second.post(url, subject_data(subject, read_second, aliases="Abu Bakr"))

        again = second.post(
            url, subject_data(subject, lock_version_on(refused), aliases="Abu Bakr")
        )

        assert again.status_code == 302
        stored = Subject.objects.get(pk=subject.pk)
        assert stored.aliases == "Abu Bakr"
        assert stored.history.order_by("-history_id")[0].history_user == colleague

    def test_a_form_without_the_version_is_refused_in_dutch(self):
        case = CaseFactory(in_execution=True)
        client = signed_in(Client(), case.regisseur)
        subject = Subject.objects.get(pk=case.subject_id)
        data = subject_data(subject, "0", aliases="Zonder versie")
        del data["lock_version"]

        response = client.post(reverse("cases:subject_edit", args=[case.pk]), data)

        assert response.status_code == 200
        assert "Deze pagina is verouderd; open het formulier opnieuw." in response.content.decode()
        assert Subject.objects.get(pk=subject.pk).aliases == ""


@pytest.mark.django_db
class TestPlan:
    def test_the_second_save_of_the_scenarios_gets_both_versions(self):
        case = CaseFactory(concept_plan=True)
        first, second, _ = two_regisseurs(case)
        url = reverse("cases:plan_edit", args=[case.pk])
        read_first, read_second = lock_version_on(first.get(url)), lock_version_on(second.get(url))

        saved = first.post(
            url,
            {
                "scenario_short": "Kort: dagbesteding via WPI.",
                "scenario_long": "Lang: warme overdracht aan de GGZ.",
                "lock_version": read_first,
            },
        )
        refused = second.post(
            url,
            {
                "scenario_short": "Kort: eerst een gesprek met de imam.",
                "scenario_long": "Lang: warme overdracht aan de GGZ.",
                "lock_version": read_second,
            },
        )

        assert saved.status_code == 302
        assert refused.status_code == 409
        html = refused.content.decode()
        assert CONFLICT in html
        rows = rows_by_label(refused)
        assert rows["Scenario korte termijn"].theirs == "Kort: dagbesteding via WPI."
        assert rows["Scenario korte termijn"].yours == "Kort: eerst een gesprek met de imam."
        assert not rows["Scenario lange termijn"].differs
        assert "Kort: eerst een gesprek met de imam.</textarea>" in html  # kept in the form
        concept = PlanVersion.objects.get(case=case, status=PlanStatus.CONCEPT)
        assert concept.scenario_short == "Kort: dagbesteding via WPI."
        print("concurrent edits: plan, 2 clients: 1 saved, 1 conflict with both versions")

    def test_two_first_saves_of_a_plan_without_concept_do_not_overwrite_each_other(self):
        """Before the first save there is no concept: both forms read number 0."""
        case = CaseFactory(in_execution=True)  # adopted plan, no concept yet
        first, second, _ = two_regisseurs(case)
        url = reverse("cases:plan_edit", args=[case.pk])
        read_first, read_second = lock_version_on(first.get(url)), lock_version_on(second.get(url))
        assert read_first == read_second == "0"

        first.post(url, {"scenario_short": "A", "scenario_long": "A", "lock_version": read_first})
        refused = second.post(
            url, {"scenario_short": "B", "scenario_long": "B", "lock_version": read_second}
        )

        assert refused.status_code == 409
        assert PlanVersion.objects.get(case=case, status=PlanStatus.CONCEPT).scenario_short == "A"


DAY = date(2027, 2, 17)


@dataclass
class Minutes:
    meeting: Meeting
    item: AgendaItem
    secretaries: tuple[User, User]


@pytest.fixture
def minutes(time_machine) -> Minutes:
    time_machine.move_to(at(date(2027, 2, 1)), tick=False)
    first, second = secretary_user(), secretary_user()
    body = BodyFactory(pto=True, secretary=first, first_date=date(2027, 2, 3))
    services.meetings_generate(body=body, since=DAY, until=DAY, actor=first)
    meeting = body.meetings.get(cycle_date=DAY)
    item = services.agenda_item_add(
        meeting=meeting,
        actor=first,
        kind=ItemKind.POLICY,
        title="Concept beoordelingskader alle ideologieën",
        owner_organisation=organisation("OOV"),
    )
    time_machine.move_to(at(DAY, 11), tick=False)
    return Minutes(meeting, item, (first, second))


def minutes_post(item: AgendaItem, lock_version: str, notes: str, status=ItemStatus.DISCUSSED):
    return {
        f"m{item.pk}-notes": notes,
        f"m{item.pk}-status": status,
        f"m{item.pk}-carry_note": "",
        f"m{item.pk}-lock_version": lock_version,
    }


@pytest.mark.django_db
class TestMinutes:
    def test_the_second_secretary_gets_both_versions_of_the_notes(self, minutes):
        first, second = (signed_in(Client(), user) for user in minutes.secretaries)
        page = reverse("meetings:meeting_minutes", args=[minutes.meeting.pk])
        field = f"m{minutes.item.pk}-lock_version"
        read_first = lock_version_on(first.get(page), field)
        read_second = lock_version_on(second.get(page), field)
        url = reverse("meetings:item_minutes_save", args=[minutes.meeting.pk, minutes.item.pk])

        saved = first.post(url, minutes_post(minutes.item, read_first, "OOV licht het kader toe."))
        refused = second.post(
            url, minutes_post(minutes.item, read_second, "Het kader wordt aangehouden.")
        )

        assert saved.status_code == 302
        assert refused.status_code == 409
        html = refused.content.decode()
        assert CONFLICT in html
        assert str(minutes.secretaries[0]) in html
        rows = rows_by_label(refused)
        assert rows["Aantekeningen"].theirs == "OOV licht het kader toe."
        assert rows["Aantekeningen"].yours == "Het kader wordt aangehouden."
        assert "Het kader wordt aangehouden.</textarea>" in html
        # The conflict page's form posts back to the same item, with the current number.
        assert lock_version_on(refused, field) == "1"
        assert AgendaItem.objects.get(pk=minutes.item.pk).notes == "OOV licht het kader toe."
        print("concurrent edits: minutes, 2 clients: 1 saved, 1 conflict with both versions")

    def test_a_decision_taken_after_the_notes_were_opened_is_not_undone(self, minutes):
        """The decision moved the item to 'besproken'; stale notes with 'open' would undo it."""
        first, second = (signed_in(Client(), user) for user in minutes.secretaries)
        page = reverse("meetings:meeting_minutes", args=[minutes.meeting.pk])
        read = lock_version_on(first.get(page), f"m{minutes.item.pk}-lock_version")
        decided = second.post(
            reverse("meetings:decision_record", args=[minutes.meeting.pk, minutes.item.pk]),
            {
                f"d{minutes.item.pk}-kind": DecisionKind.GENERAL,
                f"d{minutes.item.pk}-text": "Het kader wordt vastgesteld.",
            },
        )

        refused = first.post(
            reverse("meetings:item_minutes_save", args=[minutes.meeting.pk, minutes.item.pk]),
            minutes_post(minutes.item, read, "Nog te bespreken.", status=ItemStatus.OPEN),
        )

        assert decided.status_code == 302
        assert refused.status_code == 409
        rows = rows_by_label(refused)
        assert (rows["Status"].theirs, rows["Status"].yours) == ("Besproken", "Nog te bespreken")
        assert AgendaItem.objects.get(pk=minutes.item.pk).status == ItemStatus.DISCUSSED


@pytest.mark.django_db(transaction=True)
def test_eight_clients_saving_the_same_subject_at_once_lose_no_update():
    """Real concurrency: eight browsers read the same number and press save together. The row
    lock and the compare let exactly one through; the others get the conflict page."""
    clients = 8
    case = CaseFactory(in_execution=True)
    users = [case.regisseur]
    for _ in range(clients - 1):
        colleague = regisseur_user(organisation=case.organisation)
        permissions.grant_regisseur(case, colleague)
        users.append(colleague)
    browsers = [signed_in(Client(), user) for user in users]
    url = reverse("cases:subject_edit", args=[case.pk])
    subject = Subject.objects.get(pk=case.subject_id)
    read = [lock_version_on(browser.get(url)) for browser in browsers]
    saves = subject.history.count()
    start = threading.Barrier(clients)
    statuses: list[int] = [0] * clients

    def save(index: int) -> None:
        try:
            data = subject_data(subject, read[index], aliases=f"Alias van gebruiker {index}")
            start.wait(timeout=30)
            statuses[index] = browsers[index].post(url, data).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    winners = [i for i, status in enumerate(statuses) if status == 302]
    conflicts = statuses.count(409)
    assert len(winners) == 1, statuses
    assert conflicts == clients - 1, statuses
    stored = Subject.objects.get(pk=subject.pk)
    assert stored.aliases == f"Alias van gebruiker {winners[0]}"
    assert stored.history.count() == saves + 1
    assert stored.lock_version == int(read[0]) + 1
    print(
        f"concurrent edits: {clients} clients saving one subject at once: 1 saved, "
        f"{conflicts} conflicts, 0 lost updates, 0 server errors"
    )
