"""The generic half of need-to-know: object permissions through django-guardian.

Every app builds its own accessor (`get_report_for_user`, `get_case_for_user`) on these two
functions. A global model permission never opens an object: grants are per object, made by
services from relationships, and filtered in SQL through guardian's direct foreign-key tables.
"""

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from ipgar.accounts.models import User

M = TypeVar("M", bound=Model)


def objects_visible_to(user: User, perm: str, queryset: QuerySet[M]) -> QuerySet[M]:
    """The objects `user` holds `perm` on, personally or through a group; never by global perm."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    return get_objects_for_user(
        user, perm, klass=queryset, accept_global_perms=False, with_superuser=False
    )


def get_object_for_user(
    user: User,
    queryset: QuerySet[M],
    pk: object,
    *,
    view_perm: str,
    change_perm: str | None = None,
) -> M:
    """404 when the user may not see the object; 403 when they may see but not change it."""
    try:
        obj = objects_visible_to(user, view_perm, queryset).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if change_perm and not objects_visible_to(user, change_perm, queryset).filter(pk=pk).exists():
        raise PermissionDenied
    return obj


def require_role(user: User, *roles: str) -> None:
    """403 unless the user holds one of `roles` (for role-wide pages without person data)."""
    if not user.is_authenticated or not user.has_role(*roles):
        raise PermissionDenied
