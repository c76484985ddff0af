from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipgar.accounts.models import Organisation, User


def _set_roles(user: User, roles: list[str]) -> None:
    user.groups.set(Group.objects.filter(name__in=roles))
    user.__dict__.pop("role_names", None)


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    organisation: Organisation,
    roles: list[str],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
    phone: str = "",
    fte=None,
) -> User:
    user = User(
        username=username,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        email=email,
        job_title=job_title,
        phone=phone,
    )
    if fte is not None:
        user.fte = fte
    user.set_password(password)
    user._history_user = actor
    user.save()
    _set_roles(user, roles)
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, roles: list[str], **fields) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    for name, value in fields.items():
        setattr(user, name, value)
    user._history_user = actor
    user.save()
    _set_roles(user, roles)
    if not user.is_active:
        # A deactivated account keeps no second factor and no open sessions to come back to.
        TOTPDevice.objects.filter(user=user).delete()
    return user


@transaction.atomic
def user_reset_second_factor(*, actor: User, user: User) -> int:
    """Remove the user's authenticator; they enrol a new one at their next login."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def organisation_save(*, actor: User, organisation: Organisation) -> Organisation:
    organisation._history_user = actor
    organisation.save()
    return organisation
