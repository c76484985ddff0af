"""Issue 15: a form with errors opens with a summary that links to each field; required
fields are starred; an empty choice says 'Kies …', never '---------'."""

from datetime import date

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from ipgar.accounts.constants import Role
from meetings import services as meeting_services
from meetings.services import OwnerData
from privacy.services import access_request_register
from tests.cases.factories import CaseFactory, secretary_user
from tests.meetings.factories import BodyFactory, at, meeting_on
from tests.personas import persona, signed_in
from tests.privacy.factories import privacy_officer

pytestmark = pytest.mark.django_db


def test_a_refused_form_lists_its_errors_with_links_to_the_fields(client):
    persona(client, Role.INTAKE)

    response = client.post(
        reverse("intake:report_create"),
        {"personen-TOTAL_FORMS": "0", "personen-INITIAL_FORMS": "0"},
    )

    page = response.content.decode()
    assert 'data-testid="error-summary"' in page
    assert 'href="#id_received_at"' in page and 'id="id_received_at"' in page
    assert "asteriskField" in page  # required fields carry the star
    assert "---------" not in page


def test_an_empty_choice_reads_kies(client):
    persona(client, Role.ADMINISTRATOR)

    page = client.get(reverse("accounts:user_create")).content.decode()

    assert "---------" not in page
    assert "Kies …" in page


# --- Forms under another name than `form` ---------------------------------------------------


def summary_of(page: str) -> str:
    start = page.index('data-testid="error-summary"')
    return page[start : page.index("</div>", start)]


def test_closing_an_action_without_confirming_links_to_the_confirm_box(client, time_machine):
    """The action page passes its form as `done_form`."""
    day = date(2027, 2, 17)
    time_machine.move_to(at(day, 11), tick=False)
    secretary = secretary_user()
    body = BodyFactory(pto=True, secretary=secretary, first_date=date(2027, 2, 3))
    action = meeting_services.action_create(
        body=body,
        actor=secretary,
        raised_in=meeting_on(body, day, actor=secretary),
        subject="Caseloadverdeling",
        action="Verdeling over de regisseurs herzien.",
        owners=[OwnerData(user=secretary)],
    )
    signed_in(client, secretary)

    response = client.post(
        reverse("meetings:action_done", args=[action.pk]), {"done_on": "17-02-2027"}
    )

    page = response.content.decode()
    assert response.status_code == 400
    summary = summary_of(page)
    assert 'href="#id_confirm"' in summary and 'id="id_confirm"' in page
    assert "Bevestig dat de actie is afgerond." in summary
    assert "id_done_on" not in summary  # a valid field is not listed


def test_answering_an_access_request_without_a_date_links_to_the_date(client):
    """The access request page passes its form as `answer_form`."""
    officer = privacy_officer()
    access_request = access_request_register(
        subject=CaseFactory(in_execution=True).subject,
        received_on=timezone.localdate(),
        channel="e-mail",
        note="",
        actor=officer,
    )
    signed_in(client, officer)

    page = client.post(
        reverse("privacy:access_request_detail", args=[access_request.pk]),
        {"answered_on": "geen datum"},
    ).content.decode()

    summary = summary_of(page)
    assert 'href="#id_answered_on"' in summary and 'id="id_answered_on"' in page
    assert "Beantwoord op" in summary


def test_a_page_without_a_posted_form_has_no_summary(client):
    officer = privacy_officer()
    access_request = access_request_register(
        subject=CaseFactory(in_execution=True).subject,
        received_on=timezone.localdate(),
        channel="e-mail",
        note="",
        actor=officer,
    )

    page = (
        signed_in(client, officer)
        .get(reverse("privacy:access_request_detail", args=[access_request.pk]))
        .content.decode()
    )

    assert 'data-testid="error-summary"' not in page


class TestTheSummaryOfEveryForm:
    """The tag behind the summary, over a context as views build it."""

    class NameForm(forms.Form):
        name = forms.CharField(label="Naam")
        code = forms.CharField(widget=forms.HiddenInput)

        def clean(self):
            raise forms.ValidationError("Het geheel klopt niet.")

    def render(self, **context) -> str:
        return Template('{% include "includes/error_summary.html" %}').render(Context(context))

    def test_forms_in_formsets_and_rows_are_listed_with_their_ids_each_once(self):
        rows = forms.formset_factory(self.NameForm, extra=0)(
            {"rij-TOTAL_FORMS": "1", "rij-INITIAL_FORMS": "1", "rij-0-name": ""}, prefix="rij"
        )
        single = self.NameForm({"name": ""}, prefix="los")

        html = self.render(
            rows=rows,
            table=[{"decision_form": single}],
            again=single,
            blank=self.NameForm(),
        )

        assert 'href="#id_rij-0-name"' in html and 'href="#id_los-name"' in html
        assert html.count('href="#id_los-name"') == 1  # the same form under two names
        assert "Het geheel klopt niet." in html  # non-field errors, as text
        assert 'href="#id_los-code"' not in html and "Naam" in html  # hidden: no link

    def test_no_bound_form_no_summary(self):
        assert "error-summary" not in self.render(form=self.NameForm(), other=[1, "x"])
