"""Every write of the accounts app. Separation of duties (issue 20): nobody changes their own
roles or organisation; a privileged role, or a new account with one, takes effect only when a
second administrator approves; every change that takes effect is recorded (RoleChange) and
reported to the privacy officers at once."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipgar.accounts.constants import PRIVILEGED_ROLES, Role, RoleRequestStatus
from ipgar.accounts.models import Organisation, RoleChange, RoleRequest, User


class AccountRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


ROLE_CHANGE_KIND = "rolwijziging"
ROLE_REQUEST_KIND = "rolaanvraag"


def _labels(roles) -> str:
    return ", ".join(Role(r).label for r in sorted(roles)) or "geen"


def _who(user: User | None) -> str:
    if user is None:
        return "het systeem"
    return f"{user.get_full_name() or user.username} ({user.username})"


def _set_roles(user: User, roles) -> None:
    user.groups.set(Group.objects.filter(name__in=roles))
    user.__dict__.pop("role_names", None)


def _report(change: RoleChange, *, reactivated: bool = False) -> None:
    """Tell every privacy officer what changed, by whom, approved by whom."""
    from ipgar.notifications.services import notification_create

    user = change.user
    lines = [f"Gebruiker: {_who(user)}"]
    if change.account_created:
        lines.append("Account aangemaakt.")
    if reactivated:
        lines.append("Account weer geactiveerd.")
    lines.append(f"Rollen erbij: {_labels(change.added)}")
    lines.append(f"Rollen eraf: {_labels(change.removed)}")
    lines.append(f"Gewijzigd door: {_who(change.changed_by)}")
    if change.approved_by_id:
        lines.append(f"Goedgekeurd door: {_who(change.approved_by)}")
    officers = User.objects.filter(groups__name=Role.PRIVACY_OFFICER, is_active=True).distinct()
    for officer in officers:
        notification_create(
            recipient=officer,
            kind=ROLE_CHANGE_KIND,
            title=f"Rollen gewijzigd: {user.username}",
            body="\n".join(lines),
            link=reverse("accounts:role_change_list"),
            obj=change,
        )


def _record(
    *,
    user: User,
    actor: User | None,
    before: set[str],
    after: set[str],
    approved_by: User | None = None,
    created: bool = False,
    reactivated: bool = False,
) -> RoleChange | None:
    if before == after and not created:
        return None
    change = RoleChange.objects.create(
        user=user,
        changed_by=actor,
        approved_by=approved_by,
        added=sorted(after - before),
        removed=sorted(before - after),
        account_created=created,
    )
    transaction.on_commit(lambda: _report(change, reactivated=reactivated))
    return change


def _ask(*, user: User, actor: User, roles: set[str], activate: bool) -> RoleRequest:
    role_request = RoleRequest.objects.create(
        user=user, requested_by=actor, roles=sorted(roles), activate=activate
    )
    _announce(role_request)
    return role_request


def _announce(role_request: RoleRequest) -> None:
    """Tell the administrators who may decide that a request waits for them: every active
    administrator but the one who asked and the user concerned (neither may decide). Created in
    the request's own transaction: no request without its notices, no notices without it."""
    from ipgar.notifications.services import notification_create

    user = role_request.user
    lines = [f"Gebruiker: {_who(user)}"]
    if role_request.reactivates:
        lines.append("Het account wordt weer actief bij goedkeuring.")
    elif role_request.activate:
        lines.append("Nieuw account; het wordt actief bij goedkeuring.")
    lines.append(f"Gevraagde rollen: {_labels(role_request.roles)}")
    lines.append(f"Aangevraagd door: {_who(role_request.requested_by)}")
    deciders = (
        User.objects.filter(groups__name=Role.ADMINISTRATOR, is_active=True)
        .exclude(pk__in=[role_request.requested_by_id, role_request.user_id])
        .distinct()
    )
    for administrator in deciders:
        notification_create(
            recipient=administrator,
            kind=ROLE_REQUEST_KIND,
            title=f"Rollen goedkeuren: {user.username}",
            body="\n".join(lines),
            link=reverse("accounts:role_request_list"),
            obj=role_request,
        )


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
    """A new account. With a privileged role it stays inactive, without that role, until a
    second administrator approves (role_request_decide)."""
    privileged = set(roles) & PRIVILEGED_ROLES
    user = User(
        username=username,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        email=email,
        job_title=job_title,
        phone=phone,
        is_active=not privileged,
    )
    if fte is not None:
        user.fte = fte
    user.set_password(password)
    user._history_user = actor
    user.save()
    granted = set(roles) - privileged
    _set_roles(user, granted)
    _record(user=user, actor=actor, before=set(), after=granted, created=True)
    if privileged:
        _ask(user=user, actor=actor, roles=privileged, activate=True)
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, roles: list[str], **fields) -> User:
    """Change an account. Privileged roles asked for wait for a second administrator; roles
    taken away take effect at once."""
    user = User.objects.select_for_update().get(pk=user.pk)
    was_active = user.is_active
    before = set(user.groups.values_list("name", flat=True))
    wanted = set(roles)
    if user.pk == actor.pk:
        organisation = fields.get("organisation")
        if wanted != before or (
            organisation is not None and organisation.pk != user.organisation_id
        ):
            raise AccountRefused(
                "U kunt uw eigen rollen en organisatie niet wijzigen; vraag een andere "
                "functioneel beheerder."
            )
    for name, value in fields.items():
        setattr(user, name, value)
    asked = (wanted - before) & PRIVILEGED_ROLES
    after = wanted - asked
    # A deactivated account keeps its roles: switching it back on would bring a privileged
    # role back without a second administrator. Such an account stays inactive and its
    # activation is asked for like a new account's, with the privileged roles it holds.
    held = after & PRIVILEGED_ROLES
    reactivation = waiting = False
    if user.is_active and not was_active:
        # A new account still waiting for its approval waits for that one.
        waiting = RoleRequest.objects.filter(
            user=user, status=RoleRequestStatus.PENDING, activate=True
        ).exists()
        reactivation = bool(held) or waiting
    if reactivation:
        user.is_active = False
    user._history_user = actor
    user.save()
    _set_roles(user, after)
    _record(user=user, actor=actor, before=before, after=after)
    if reactivation and not waiting:
        _ask(user=user, actor=actor, roles=held | asked, activate=True)
    elif asked:
        _ask(user=user, actor=actor, roles=asked, activate=False)
    if not user.is_active:
        # A deactivated account keeps no second factor and no open sessions to come back to.
        TOTPDevice.objects.filter(user=user).delete()
    return user


@transaction.atomic
def role_request_decide(*, role_request: RoleRequest, approve: bool, actor: User) -> RoleRequest:
    """The second administrator's decision: never the one who asked, never the user concerned."""
    role_request = RoleRequest.objects.select_for_update().get(pk=role_request.pk)
    if role_request.status != RoleRequestStatus.PENDING:
        raise AccountRefused("Over deze aanvraag is al besloten.")
    if not actor.has_role(Role.ADMINISTRATOR):
        raise AccountRefused("Alleen een functioneel beheerder beslist over rollen.")
    if actor.pk in (role_request.requested_by_id, role_request.user_id):
        raise AccountRefused(
            "Een andere functioneel beheerder dan de aanvrager of de betrokkene moet dit "
            "goedkeuren."
        )
    from ipgar.notifications.services import notifications_close_for

    reactivates = role_request.reactivates
    role_request.status = RoleRequestStatus.APPROVED if approve else RoleRequestStatus.REJECTED
    role_request.decided_by, role_request.decided_at = actor, timezone.now()
    role_request.save()
    notifications_close_for(obj=role_request, kind=ROLE_REQUEST_KIND)
    if approve:
        user = User.objects.select_for_update().get(pk=role_request.user_id)
        before = set(user.groups.values_list("name", flat=True))
        after = before | set(role_request.roles)
        _set_roles(user, after)
        if role_request.activate and not user.is_active:
            user.is_active = True
            user._history_user = actor
            user.save(update_fields=["is_active"])
        if reactivates:
            # The roles the inactive account kept take effect again: recorded as added, with
            # the requester and the approver, like a grant.
            before -= set(role_request.roles)
        _record(
            user=user,
            actor=role_request.requested_by,
            before=before,
            after=after,
            approved_by=actor,
            reactivated=reactivates,
        )
    return role_request


def role_requests_pending():
    return RoleRequest.objects.filter(status=RoleRequestStatus.PENDING).select_related(
        "user", "requested_by"
    )


def created_each_other(first: User, second: User, *, days: int) -> bool:
    """Whether one of the two created the other's account or changed or approved their roles
    within `days` days: then they are not two independent people."""
    from django.db.models import Q

    since = timezone.now() - timezone.timedelta(days=days)
    pairs = Q(user=first) & (Q(changed_by=second) | Q(approved_by=second))
    pairs |= Q(user=second) & (Q(changed_by=first) | Q(approved_by=first))
    if RoleChange.objects.filter(pairs, at__gte=since).exists():
        return True
    created = User.history.filter(history_type="+", history_date__gte=since)
    return created.filter(
        Q(id=first.pk, history_user=second) | Q(id=second.pk, history_user=first)
    ).exists()


def user_reset_second_factor(*, actor: User, user: User) -> int:
    """Remove the user's authenticator; logged, the user told (see second_factor.py)."""
    from ipgar.accounts.second_factor import second_factor_reset

    return second_factor_reset(actor=actor, user=user)


@transaction.atomic
def organisation_save(*, actor: User, organisation: Organisation) -> Organisation:
    organisation._history_user = actor
    organisation.save()
    return organisation
