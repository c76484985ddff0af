from datetime import date

from django import template
from django.utils.formats import date_format

from ipgar.accounts.constants import Role

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    """'functioneel_beheer' -> 'Functioneel beheerder'."""
    return Role(code).label if code in Role.values else code


@register.filter
def iso_date(value, fmt: str = "d-m-Y") -> str:
    """A date kept as ISO text (a plan's snapshot, JSON) shown the Dutch way: '2026-03-02' ->
    '02-03-2026'. Empty stays empty; text that is not a date is shown as it is."""
    if not value:
        return ""
    try:
        return date_format(date.fromisoformat(str(value)[:10]), fmt)
    except ValueError:
        return str(value)
