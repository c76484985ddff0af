"""Optimistic locking: two people editing the same thing never overwrite each other silently.

A model that is edited through a form has a `lock_version`; the form carries the number it was
read at as a hidden field (`LockVersionField`); the save service locks the row, compares
(`lock_version_check`) and raises `EditConflict` when someone else saved in between. The view
then shows both versions (`conflict_rows`) and keeps what the user typed."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django import forms
from django.db import models
from django.utils import timezone


class EditConflict(Exception):
    """Someone else saved `current` after the user opened the form."""

    def __init__(self, current: models.Model):
        super().__init__("Iemand anders heeft dit intussen gewijzigd.")
        self.current = current


def lock_version_check(obj: models.Model, expected: int | None) -> None:
    """`obj` is locked (select_for_update) and fresh. `expected` None: a system write that
    does not come from a form. The caller saves `obj`, whose number is raised here."""
    if expected is not None and obj.lock_version != expected:
        raise EditConflict(obj)
    obj.lock_version += 1


class LockVersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Deze pagina is verouderd; open het formulier opnieuw.",
                "invalid": "Deze pagina is verouderd; open het formulier opnieuw.",
            },
        )
        super().__init__(**kwargs)


@dataclass(frozen=True)
class ConflictRow:
    label: str
    theirs: str
    yours: str

    @property
    def differs(self) -> bool:
        return self.theirs != self.yours


@dataclass(frozen=True)
class Conflict:
    """What the conflict message shows: who saved, when, and both versions field by field."""

    saved_by: str
    saved_at: datetime | None
    rows: list[ConflictRow]


def _display(field: forms.Field, value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%d-%m-%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    choices = getattr(field, "choices", None)
    if choices and not isinstance(value, models.Model):
        labels = {str(key): label for key, label in choices}
        return str(labels.get(str(value), value))
    return str(value)


def conflict_for(form: forms.Form, current: models.Model, theirs: Mapping[str, object]) -> Conflict:
    """Both versions of every field of `form`: `theirs` as saved now, the user's as typed.

    Also moves the form's hidden number to the current one, so that saving again after reading
    the message is a deliberate choice for the user's version."""
    cleaned = getattr(form, "cleaned_data", {})
    rows = []
    for name, field in form.fields.items():
        if isinstance(field, LockVersionField) or name not in theirs:
            continue
        yours = cleaned[name] if name in cleaned else form.data.get(form.add_prefix(name))
        rows.append(
            ConflictRow(
                label=str(field.label or name),
                theirs=_display(field, theirs[name]),
                yours=_display(field, yours),
            )
        )
    data = form.data.copy()
    for name, field in form.fields.items():
        if isinstance(field, LockVersionField):
            data[form.add_prefix(name)] = str(current.lock_version)
    form.data = data
    last = current.history.order_by("-history_date").select_related("history_user").first()
    return Conflict(
        saved_by=str(last.history_user) if last and last.history_user else "een andere gebruiker",
        saved_at=last.history_date if last else None,
        rows=rows,
    )
