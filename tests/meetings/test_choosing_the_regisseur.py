"""Choosing the regisseur at admission (issue 17): the list shows organisation, caseload
against the norm (fte × 15) and open agenda items, each option names its organisation; field
errors keep the typed decision; one open case per person (docs/een-open-casus.md)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from cases.exceptions import OpenCaseExists
from cases.models import Case
from meetings import selectors, services
from meetings.constants import CaseItemKind, DecisionKind
from meetings.services import DecisionData
from tests.cases.factories import (
    CaseFactory,
    coordinator_user,
    ready_report,
    regisseur_user,
    secretary_user,
)
from tests.intake.factories import PersonDataFactory
from tests.meetings.factories import BodyFactory, at, case_item, meeting_on, organisation
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

DAY = date(2027, 2, 17)


@pytest.fixture
def minutes(time_machine):
    time_machine.move_to(at(date(2027, 2, 3), 8), tick=False)
    secretary = secretary_user()
    body = BodyFactory(pto=True, secretary=secretary, first_date=date(2027, 2, 3))
    meeting = meeting_on(body, DAY, actor=secretary)
    time_machine.move_to(at(DAY, 11), tick=False)
    return meeting, secretary


def test_each_regisseur_is_offered_with_organisation_caseload_and_open_items(minutes):
    meeting, secretary = minutes
    regisseur = regisseur_user(organisation("OOV"), fte=Decimal("0.8"))
    for _ in range(2):
        CaseFactory(regisseur=regisseur)
    case_item(meeting, CaseItemKind.STUCK, case=Case.objects.filter(regisseur=regisseur).first())

    labels = {pk: label for pk, label, _ in selectors.regisseur_choices()}

    assert labels[regisseur.pk] == (
        f"{regisseur.get_full_name()} ({regisseur.organisation.name}) · caseload 2/12 · "
        "1 open agendapunt"
    )


def test_the_minutes_page_names_each_regisseurs_organisation_on_the_option(client, minutes):
    meeting, secretary = minutes
    case_item(meeting, CaseItemKind.ADMISSION, report=ready_report())
    regisseur = regisseur_user(organisation("WPI"))
    signed_in(client, secretary)

    html = client.get(reverse("meetings:meeting_minutes", args=[meeting.pk])).content.decode()

    assert f'value="{regisseur.pk}" data-organisation="{organisation("WPI").pk}"' in html
    assert "caseload 0/15" in html
    assert 'data-decision-kinds="niet_opnemen"' in html  # hidden unless that kind is chosen


def test_the_reassign_page_labels_each_regisseur_as_the_admission_does(client, minutes):
    meeting, secretary = minutes
    regisseur = regisseur_user(organisation("OOV"), fte=Decimal("0.8"))
    for _ in range(2):
        CaseFactory(regisseur=regisseur)
    case = Case.objects.filter(regisseur=regisseur).first()
    case_item(meeting, CaseItemKind.STUCK, case=case)
    coordinator = coordinator_user()
    signed_in(client, coordinator)

    response = client.get(reverse("cases:case_reassign", args=[case.pk]))

    html = response.content.decode()
    expected = (
        f"{regisseur.get_full_name()} ({regisseur.organisation.name}) · caseload 2/12 · "
        "1 open agendapunt"
    )
    assert response.status_code == 200
    assert escape(expected) in html
    labels = {pk: label for pk, label, _ in selectors.regisseur_choices()}
    assert labels[regisseur.pk] == expected  # one definition for admission and reassignment


def post_admission(client, meeting, item, **fields):
    prefix = f"d{item.pk}"
    data = {f"{prefix}-kind": DecisionKind.ADMIT, f"{prefix}-text": "Opnemen; regie bij WPI."}
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return client.post(reverse("meetings:decision_record", args=[meeting.pk, item.pk]), data)


@pytest.mark.parametrize("what", ["no organisation", "regisseur of another organisation"])
def test_an_admission_with_a_field_error_keeps_the_typed_decision(client, minutes, what):
    meeting, secretary = minutes
    item = case_item(meeting, CaseItemKind.ADMISSION, report=ready_report())
    elsewhere = regisseur_user(organisation("OOV"))
    signed_in(client, secretary)

    fields = {"regisseur": elsewhere.pk}
    if what != "no organisation":
        fields["organisation"] = organisation("WPI").pk
    response = post_admission(client, meeting, item, **fields)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Opnemen; regie bij WPI." in html
    assert (
        "Kies de organisatie met de beste kaarten."
        if what == "no organisation"
        else "Deze regisseur werkt bij een andere organisatie"
    ) in html
    assert not Case.objects.filter(report=item.report).exists()


def test_a_second_admission_of_a_person_with_an_open_case_is_refused_naming_that_case(
    client, minutes
):
    meeting, secretary = minutes
    person = PersonDataFactory()
    first = case_item(meeting, CaseItemKind.ADMISSION, report=ready_report(persons=[person]))
    second = case_item(meeting, CaseItemKind.ADMISSION, report=ready_report(persons=[person]))
    regisseur = regisseur_user(organisation("WPI"))
    data = DecisionData(
        kind=DecisionKind.ADMIT,
        text="Opnemen.",
        organisation=regisseur.organisation,
        regisseur=regisseur,
    )
    services.decision_record(item=first, actor=secretary, data=data)
    open_case = Case.objects.get(report=first.report)

    with pytest.raises(OpenCaseExists) as refusal:
        services.decision_record(item=second, actor=secretary, data=data)

    assert refusal.value.case == open_case
    assert open_case.reference in refusal.value.message
    signed_in(client, secretary)
    response = post_admission(
        client, meeting, second, organisation=regisseur.organisation.pk, regisseur=regisseur.pk
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert open_case.reference in html and "Opnemen; regie bij WPI." in html
    # the secretary cannot open the case, so gets its number, not a link to it
    assert reverse("cases:case_detail", args=[open_case.pk]) not in html


def test_the_regisseur_of_the_open_case_gets_the_link(client, minutes):
    meeting, secretary = minutes
    person = PersonDataFactory()
    regisseur = regisseur_user(organisation("WPI"))
    CaseFactory(regisseur=regisseur, report=ready_report(persons=[person]))
    second = case_item(meeting, CaseItemKind.ADMISSION, report=ready_report(persons=[person]))
    meeting.body.secretary = regisseur  # a body secretary who is also the case's regisseur
    meeting.body.save()
    signed_in(client, regisseur)

    response = post_admission(
        client, meeting, second, organisation=regisseur.organisation.pk, regisseur=regisseur.pk
    )

    case = Case.objects.get(regisseur=regisseur)
    assert reverse("cases:case_detail", args=[case.pk]) in response.content.decode()


def test_a_second_open_case_is_allowed_with_a_reason_that_is_kept(minutes):
    meeting, secretary = minutes
    person = PersonDataFactory()
    first = case_item(meeting, CaseItemKind.ADMISSION, report=ready_report(persons=[person]))
    second = case_item(meeting, CaseItemKind.ADMISSION, report=ready_report(persons=[person]))
    regisseur = regisseur_user(organisation("WPI"))
    kwargs = {"organisation": regisseur.organisation, "regisseur": regisseur}
    services.decision_record(
        item=first, actor=secretary, data=DecisionData(DecisionKind.ADMIT, "Opnemen.", **kwargs)
    )

    services.decision_record(
        item=second,
        actor=secretary,
        data=DecisionData(
            DecisionKind.ADMIT,
            "Tweede casus: gezinsaanpak.",
            second_case_reason="Gezinsaanpak naast de individuele casus.",
            **kwargs,
        ),
    )

    case = Case.objects.get(report=second.report)
    assert case.second_case_reason == "Gezinsaanpak naast de individuele casus."
    assert Case.objects.filter(subject=case.subject).count() == 2
