"""Labels for values that are stored as numbers: a reader sees 'Ronselaars ...', not '2'."""

from django import template

from intake.constants import RiskGroup

register = template.Library()


@register.filter
def risk_group_labels(values) -> str:
    """'1. (Potentiële) terroristen ...; 4. Personen en groepen ...' for [1, 4]; '—' for none."""
    labels = []
    for value in values or []:
        try:
            labels.append(RiskGroup(int(value)).label)
        except (TypeError, ValueError):
            labels.append(str(value))
    return "; ".join(labels) or "—"
