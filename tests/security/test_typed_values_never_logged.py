"""Issue 20 acceptance 2: no identifying value typed into a form or filter of the project
reaches the access log.

Two halves: a walker over the source finds every form bound to the query string and every
query parameter a view reads, and checks each against the one list (FREE_TEXT_PARAMS for typed
and identifying values, NON_IDENTIFYING_PARAMS for choices and numbers); then every typed
parameter, and an unknown one, is sent to a logging page and the log is searched for it."""

import importlib
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.test import RequestFactory

from ipgar.accounts.constants import Role
from ipgar.audit.models import AccessLogEntry
from ipgar.audit.services import loggable_path
from ipgar.lib.http import FREE_TEXT_PARAMS, NON_IDENTIFYING_PARAMS
from tests.cases.factories import CaseFactory
from tests.personas import persona, signed_in

ROOT = Path(settings.BASE_DIR)
APPS = ["cases", "intake", "meetings", "monitor", "privacy", "search", "reminders", "ipgar"]
GET_FORM = re.compile(r"(\w+Form)\(\s*request\.GET")
GET_PARAM = re.compile(
    r"""request\.GET(?:\.get\(|\[)\s*["'](\w+)["']|search_param\(\s*request,\s*["'](\w+)["']"""
)
TYPED_FIELDS = (forms.CharField, forms.EmailField, forms.DateField, forms.IntegerField)
NOT_TYPED = (forms.ChoiceField, forms.TypedChoiceField, forms.MultipleChoiceField)
BSN, NAME, BIRTH = "111222333", "Zephyrine", "2004-03-03"


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _get_forms() -> list[type[forms.Form]]:
    found = []
    for path in _sources():
        text = path.read_text()
        names = sorted(set(GET_FORM.findall(text)))
        if not names:
            continue
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        found += [getattr(module, name) for name in names]
    return found


def test_the_walker_finds_the_forms_and_filters_it_must_check():
    names = {form.__name__ for form in _get_forms()}
    assert {"PersonSearchForm", "SubjectSearchForm", "AccessLogSearchForm"} <= names


@pytest.mark.parametrize("form_class", _get_forms(), ids=lambda f: f.__name__)
def test_every_field_of_a_query_string_form_is_listed(form_class):
    for name, field in form_class.base_fields.items():
        assert name in FREE_TEXT_PARAMS | NON_IDENTIFYING_PARAMS, f"{form_class.__name__}.{name}"
        typed = isinstance(field, TYPED_FIELDS) and not isinstance(field, NOT_TYPED)
        identifying = isinstance(field, forms.CharField | forms.EmailField) or "birth" in name
        if typed and identifying:
            assert name in FREE_TEXT_PARAMS, f"{form_class.__name__}.{name} is typed text"


def test_every_query_parameter_a_view_reads_is_listed():
    for path in _sources():
        for match in GET_PARAM.finditer(path.read_text()):
            name = match.group(1) or match.group(2)
            assert name in FREE_TEXT_PARAMS | NON_IDENTIFYING_PARAMS, f"{path.name}: {name}"


def test_the_logged_path_blanks_every_typed_and_every_unknown_parameter():
    params = {name: f"{NAME}-{BSN}" for name in FREE_TEXT_PARAMS}
    params["iets_nieuws"] = NAME
    params["page"] = "2"
    path = loggable_path(RequestFactory().get("/ergens/", params))
    assert NAME not in path and BSN not in path
    assert "page=2" in path


@pytest.mark.django_db
def test_the_known_person_check_keeps_no_bsn_name_or_birth_date_in_the_log(client):
    from tests.intake.factories import ReportFactory

    client, _ = persona(client, Role.ASSESSMENT_BOARD)
    report = ReportFactory(forwarded=True)
    response = client.get(
        f"/meldingen/{report.pk}/bekende-persoon/",
        {"bsn": BSN, "first_name": NAME, "last_name": "Oudekerkvaart", "date_of_birth": BIRTH},
    )
    assert response.status_code == 200
    assert AccessLogEntry.objects.filter(action="search").exists()
    _assert_not_logged()


@pytest.mark.django_db
def test_the_access_log_search_is_logged_without_its_terms(client):
    client, officer = persona(client, Role.PRIVACY_OFFICER)
    response = client.get("/toegangslog/", {"subject_ref": "subject:12", "username": NAME})
    assert response.status_code == 200
    line = AccessLogEntry.objects.get(user=officer, action="search")
    assert line.object_type == "audit.accesslogentry"
    _assert_not_logged()


@pytest.mark.django_db
def test_subjects_shown_in_the_case_list_are_logged_by_reference(client):
    case = CaseFactory(in_execution=True)
    signed_in(client, case.regisseur)
    client.get("/casussen/", {"q": case.subject.last_name})
    refs = set(
        AccessLogEntry.objects.filter(user=case.regisseur).values_list("subject_ref", flat=True)
    )
    assert f"subject:{case.subject_id}" in refs
    assert not AccessLogEntry.objects.filter(path__contains=case.subject.last_name).exists()


def _assert_not_logged():
    for line in AccessLogEntry.objects.all():
        text = f"{line.path} {line.description} {line.subject_ref}"
        for value in (BSN, NAME, BIRTH, "Oudekerkvaart"):
            assert value not in text, (value, text)
