"""The error summary at the top of every form page (issue 15), for whatever the view named its
forms: `form`, `done_form`, `answer_form`, a formset, or a list of rows that each hold one.

    {% load form_errors %}{% form_error_summary as errors %}

gives one entry per error, in page order of the context: the field's label, the message and
the id of the field to link to (empty for hidden fields and for errors of the whole form)."""

from dataclasses import dataclass

from django import template
from django.forms import BaseForm, BaseFormSet
from django.utils.functional import LazyObject

register = template.Library()


@dataclass(frozen=True)
class SummaryError:
    label: str
    message: str
    anchor: str = ""  # the field's id, without '#'


def _field_id(bound_field) -> str:
    return bound_field.field.widget.attrs.get("id") or bound_field.auto_id or ""


def _form_errors(form: BaseForm) -> list[SummaryError]:
    if not form.is_bound or not form.errors:
        return []
    # The form's own errors first: no field to link to.
    found = [SummaryError("", str(message)) for message in form.non_field_errors()]
    for bound_field in form:
        for message in bound_field.errors:
            found.append(
                SummaryError(
                    str(bound_field.label or bound_field.name),
                    str(message),
                    "" if bound_field.is_hidden else _field_id(bound_field),
                )
            )
    return found


def _formset_errors(formset: BaseFormSet, seen: set[int]) -> list[SummaryError]:
    if not formset.is_bound:
        return []
    found = [SummaryError("", str(message)) for message in formset.non_form_errors()]
    for form in formset.forms:
        if id(form) in seen or (formset.can_delete and formset._should_delete_form(form)):
            continue  # listed already, or a row marked for removal (not validated)
        seen.add(id(form))
        found += _form_errors(form)
    return found


def _forms_in(value, depth: int = 0):
    """Forms and formsets in a context value: the value itself, or one or two levels into a
    list, tuple or dict (rows of a table that each carry a form). Lazy objects are not opened
    (the CSRF token would set its cookie), querysets are not evaluated."""
    kind = type(value)
    if issubclass(kind, LazyObject):
        return
    if issubclass(kind, (BaseForm, BaseFormSet)):
        yield value
    elif depth < 2 and kind in (list, tuple):
        for element in value:
            yield from _forms_in(element, depth + 1)
    elif depth < 2 and issubclass(kind, dict):
        for element in value.values():
            yield from _forms_in(element, depth + 1)


@register.simple_tag(takes_context=True)
def form_error_summary(context) -> list[SummaryError]:
    """Every error of every bound form in the context, each form once."""
    seen: set[int] = set()
    errors: list[SummaryError] = []
    for value in context.flatten().values():
        for form in _forms_in(value):
            if id(form) in seen:
                continue
            seen.add(id(form))
            if isinstance(form, BaseFormSet):
                errors += _formset_errors(form, seen)
            else:
                errors += _form_errors(form)
    return errors
