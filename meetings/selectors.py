from django.db.models import Q, QuerySet

from ipgar.accounts.constants import Role
from ipgar.accounts.models import User
from meetings.models import Body


def bodies_for_user(user: User) -> QuerySet[Body]:
    """Secretaries see every body; members see the bodies they sit on."""
    bodies = Body.objects.filter(is_active=True).select_related("secretary")
    if user.has_role(Role.SECRETARY):
        return bodies
    return bodies.filter(Q(members=user) | Q(secretary=user)).distinct()
