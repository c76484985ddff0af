"""Privacy test helpers: officers, an old closed case, and a full destruction run."""

from datetime import timedelta

from django.utils import timezone

from cases.models import Case
from ipgar.accounts.constants import Role
from ipgar.accounts.models import User
from privacy import services
from privacy.models import DestructionList
from tests.factories import UserFactory


def privacy_officer(**fields) -> User:
    return UserFactory(roles=[Role.PRIVACY_OFFICER], **fields)


def administrator(**fields) -> User:
    return UserFactory(roles=[Role.ADMINISTRATOR], **fields)


def close_years_ago(case: Case, years: int, days: int = 1) -> Case:
    """Move the closure back in time (the case was closed through the services)."""
    closed_at = timezone.now() - timedelta(days=365 * years + days + years // 4 + 1)
    Case.objects.filter(pk=case.pk).update(closed_at=closed_at)
    return Case.objects.get(pk=case.pk)


def approved_list(*, admin: User | None = None, officer: User | None = None) -> DestructionList:
    destruction_list = services.destruction_list_propose()
    assert destruction_list is not None, "niets voorgesteld"
    services.destruction_list_approve(
        destruction_list=destruction_list, actor=admin or administrator()
    )
    return services.destruction_list_approve(
        destruction_list=destruction_list, actor=officer or privacy_officer()
    )
