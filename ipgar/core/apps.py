from django.apps import AppConfig

# What an empty choice says in every form: Django's "---------" reads as a fault to our users.
EMPTY_CHOICE = "Kies …"


def _dutch_empty_choices() -> None:
    """One definition for every select: model fields' blank choice (a module-level list that
    Field.get_choices() takes as its default) and ModelChoiceField's empty label."""
    from django import forms
    from django.db.models import fields

    fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE)]
    original = forms.ModelChoiceField.__init__
    if getattr(original, "dutch_empty_label", False):
        return

    def __init__(self, queryset, *, empty_label=EMPTY_CHOICE, **kwargs):
        if empty_label == "---------":
            empty_label = EMPTY_CHOICE
        original(self, queryset, empty_label=empty_label, **kwargs)

    __init__.dutch_empty_label = True
    forms.ModelChoiceField.__init__ = __init__


class CoreConfig(AppConfig):
    name = "ipgar.core"
    label = "core"
    verbose_name = "Basis"

    def ready(self) -> None:
        _dutch_empty_choices()
