"""Issue 20, limits: every text a user can type into a form of the project has a maximum
length, so an endless text is refused with a Dutch error instead of stored (the logbook takes
20,000 characters, any other free text 10,000, short fields their column's length)."""

import importlib
import inspect
from pathlib import Path

import pytest
from django import forms
from django.conf import settings

from ipgar.lib.forms import ModelForm
from ipgar.lib.text import TEXT_MAX_LENGTH

ROOT = Path(settings.BASE_DIR)


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in a forms.py of the project's own apps."""
    found = []
    for path in sorted(ROOT.glob("**/forms.py")):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


FORMS = project_forms()


def test_the_walk_finds_the_project_s_forms():
    names = {cls.__name__ for cls in FORMS}
    assert {"ReportForm", "PersonCheckForm", "InterventionForm", "UserForm"} <= names
    assert len(FORMS) >= 40, len(FORMS)


@pytest.mark.parametrize("form", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_typed_text_field_has_a_maximum_length(form):
    unlimited = [
        name
        for name, field in form.base_fields.items()
        if type(field) is forms.CharField and field.max_length is None
        and not isinstance(field.widget, forms.PasswordInput)
    ]  # fmt: skip
    assert unlimited == [], f"{form.__name__}: {unlimited} zonder max_length"


def test_a_model_s_text_field_gets_the_limit_in_its_form():
    from cases.forms import InterventionForm

    assert issubclass(InterventionForm, ModelForm)
    assert InterventionForm.base_fields["rationale"].max_length == TEXT_MAX_LENGTH


def test_a_text_over_the_limit_is_refused_in_dutch_and_kept():
    from cases.forms import GoalForm

    typed = "x" * (TEXT_MAX_LENGTH + 1)
    form = GoalForm(data={"life_domain": "dagbesteding", "description": typed})

    assert not form.is_valid()
    assert "niet meer dan 10000 tekens" in form.errors["description"][0]
    assert form["description"].value() == typed
