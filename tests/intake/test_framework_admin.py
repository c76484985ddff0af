"""The functional administrator maintains the assessment framework: copy a version, add and
change questions in the copy, take it into use. A version used in an assessment is frozen."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from intake.models import FrameworkQuestion, FrameworkVersion
from ipgar.accounts.constants import Role
from tests.factories import UserFactory
from tests.intake.factories import ReportFactory, current_framework
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    user = UserFactory(roles=[Role.ADMINISTRATOR])
    return signed_in(client, user), user


def copy_of_current(client, number="2026") -> FrameworkVersion:
    response = client.post(
        reverse("intake:framework_copy", args=[current_framework().pk]),
        {"version": number, "name": "Beoordelingskader 2026"},
    )
    copy = FrameworkVersion.objects.get(version=number)
    assert response["Location"] == reverse("intake:framework_detail", args=[copy.pk])
    return copy


def question_texts(version: FrameworkVersion) -> list[str]:
    return list(
        FrameworkQuestion.objects.filter(section__version=version)
        .order_by("section__order", "order", "pk")
        .values_list("text", flat=True)
    )


def question_data(version: FrameworkVersion, **overrides) -> dict:
    return {
        "section": version.sections.first().pk,
        "order": "9",
        "text": "Speelt radicalisering via gamingplatforms een rol?",
        "help_text": "",
        "kind": "keuze",
        "required": "on",
        "choices_text": "Ja\nNee\nOnbekend",
        **overrides,
    }


class TestCopying:
    def test_the_copy_has_every_question_and_is_a_draft(self, admin):
        client, user = admin
        source = current_framework()

        copy = copy_of_current(client)

        assert question_texts(copy) == question_texts(source)
        assert copy.sections.count() == source.sections.count()
        assert not copy.is_current
        assert current_framework() == source
        assert copy.history.get().history_user == user

    def test_an_existing_version_number_is_refused_in_dutch(self, admin):
        client, _ = admin
        source = current_framework()

        response = client.post(
            reverse("intake:framework_copy", args=[source.pk]), {"version": "2016"}, follow=True
        )

        assert "Versie 2016 bestaat al." in response.content.decode()
        assert FrameworkVersion.objects.count() == 2

    def test_a_copy_needs_a_version_number(self, admin):
        client, _ = admin

        response = client.post(
            reverse("intake:framework_copy", args=[current_framework().pk]),
            {"version": "  "},
            follow=True,
        )

        assert "Geef de nieuwe versie een versienummer." in response.content.decode()
        assert FrameworkVersion.objects.count() == 2


class TestQuestions:
    def test_a_choice_question_with_one_option_is_refused_in_dutch(self, admin):
        client, _ = admin
        copy = copy_of_current(client)
        before = question_texts(copy)

        response = client.post(
            reverse("intake:framework_question_create", args=[copy.pk]),
            question_data(copy, choices_text="Ja"),
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert "Een keuzevraag heeft ten minste twee opties." in html
        assert "Speelt radicalisering via gamingplatforms een rol?" in html
        assert question_texts(copy) == before

    def test_a_choice_question_with_two_options_is_added(self, admin):
        client, user = admin
        copy = copy_of_current(client)

        response = client.post(
            reverse("intake:framework_question_create", args=[copy.pk]),
            question_data(copy, choices_text="Ja\n\n  Nee  \n"),
        )

        assert response.status_code == 302
        added = FrameworkQuestion.objects.get(text__startswith="Speelt radicalisering")
        assert added.section.version == copy
        assert added.choices == ["Ja", "Nee"]
        assert added.history.get().history_user == user
        assert "gamingplatforms" not in " ".join(question_texts(current_framework()))

    def test_a_question_of_an_unused_draft_can_be_changed(self, admin):
        client, _ = admin
        copy = copy_of_current(client)
        question = FrameworkQuestion.objects.filter(section__version=copy, kind="tekst").first()

        response = client.post(
            reverse("intake:framework_question_update", args=[copy.pk, question.pk]),
            question_data(copy, kind="tekst", choices_text="", text="Wat is de aanleiding?"),
        )

        assert response.status_code == 302
        question.refresh_from_db()
        assert question.text == "Wat is de aanleiding?"

    def test_a_version_used_in_an_assessment_is_frozen(self, admin):
        client, _ = admin
        ReportFactory(in_assessment=True)
        used = current_framework()
        question = FrameworkQuestion.objects.filter(section__version=used).first()
        before = question_texts(used)

        changed = client.post(
            reverse("intake:framework_question_update", args=[used.pk, question.pk]),
            question_data(used, text="Gewijzigde vraag"),
        )
        added = client.post(
            reverse("intake:framework_question_create", args=[used.pk]), question_data(used)
        )
        detail = client.get(reverse("intake:framework_detail", args=[used.pk])).content.decode()

        refusal = (
            "Deze versie is al gebruikt in duidingen; maak een nieuwe versie om vragen te wijzigen."
        )
        assert refusal in changed.content.decode()
        assert refusal in added.content.decode()
        assert question_texts(used) == before
        assert "gebruikt in duidingen (alleen-lezen)" in detail
        assert reverse("intake:framework_question_create", args=[used.pk]) not in detail


class TestActivating:
    def test_the_copy_takes_over_and_the_old_version_is_no_longer_current(self, admin):
        client, user = admin
        old = current_framework()
        copy = copy_of_current(client)

        response = client.post(reverse("intake:framework_activate", args=[copy.pk]), follow=True)

        assert "Versie 2026 is nu in gebruik voor nieuwe duidingen." in response.content.decode()
        assert current_framework() == copy
        old.refresh_from_db()
        assert not old.is_current
        assert FrameworkVersion.objects.filter(is_current=True).count() == 1
        assert old.history.first().history_user == user
        assert copy.history.first().history_user == user

    def test_a_version_without_questions_cannot_be_taken_into_use(self, admin):
        client, _ = admin
        empty = FrameworkVersion.objects.create(version="leeg", name="Leeg kader")

        response = client.post(reverse("intake:framework_activate", args=[empty.pk]), follow=True)

        assert "Een versie zonder vragen kan niet in gebruik worden genomen." in (
            response.content.decode()
        )
        empty.refresh_from_db()
        assert not empty.is_current
        assert current_framework().version == "2019"

    def test_the_database_allows_one_current_version_only(self):
        old = FrameworkVersion.objects.get(version="2016")
        old.is_current = True

        with pytest.raises(IntegrityError), transaction.atomic():
            old.save()

        assert list(FrameworkVersion.objects.filter(is_current=True)) == [current_framework()]
