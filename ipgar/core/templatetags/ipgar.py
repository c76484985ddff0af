from django import template

from ipgar.accounts.constants import Role

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    """'functioneel_beheer' -> 'Functioneel beheerder'."""
    return Role(code).label if code in Role.values else code
