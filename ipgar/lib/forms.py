"""The project's ModelForm: typed text has a maximum length, also where the model's TextField
has none (issue 20). A longer text is refused with a Dutch error and kept in the form."""

from django import forms
from django.db import models

from ipgar.lib.text import TEXT_MAX_LENGTH


def limited_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """A TextField's form field gets TEXT_MAX_LENGTH (the textarea's maxlength too)."""
    if isinstance(db_field, models.TextField) and not db_field.choices:
        kwargs.setdefault("max_length", db_field.max_length or TEXT_MAX_LENGTH)
    return db_field.formfield(**kwargs)


class ModelForm(forms.ModelForm):
    """A subclass's own Meta gets limited_formfield (Django reads it only from the form's own
    Meta, which does not inherit): set here, before the metaclass builds the fields."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(limited_formfield)
