"""Second-factor enrolment that the password alone does not open (issue 20).

- Enrolment needs an activation code issued for this user by an administrator: shown once,
  valid 72 hours, used once, kept only as a hash.
- Every enrolment attempt gets a fresh secret; the device is bound to the session that made it,
  and confirming one removes every other pending secret of the user.
- On confirmation the user gets recovery codes (django-otp static tokens, one use each).
- An administrator's reset is recorded and the user is told.
"""

import secrets
from datetime import timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipgar.accounts.constants import (
    ACTIVATION_CODE_VALIDITY_HOURS,
    RECOVERY_CODE_COUNT,
    SecondFactorEventKind,
)
from ipgar.accounts.models import ActivationCode, SecondFactorEvent, User

RECOVERY_DEVICE_NAME = "Herstelcodes"
# Unambiguous letters and digits, grouped for reading aloud: "K7QM-2XPD-9HRT".
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _event(user: User, actor: User, kind: str) -> None:
    SecondFactorEvent.objects.create(user=user, actor=actor, kind=kind)


def _tell(user: User, title: str, body: str) -> None:
    """On Mijn werk at once; by e-mail with the next reminder sweep (at most 15 minutes), which
    e-mails every not yet e-mailed notice of this kind: no request sends mail itself, so a
    broker or mail server that is down loses nothing and slows no page."""
    from ipgar.notifications.models import SECOND_FACTOR_KIND
    from ipgar.notifications.services import notification_create

    notification_create(
        recipient=user,
        kind=SECOND_FACTOR_KIND,
        title=title,
        body=body,
        object_type="accounts.user",
        object_id=f"{user.pk}:{timezone.now().isoformat()}",
    )


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


@transaction.atomic
def activation_code_issue(*, user: User, actor: User) -> str:
    """A new activation code for `user`; earlier unused codes stop working. Returned once."""
    now = timezone.now()
    ActivationCode.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    ActivationCode.objects.create(
        user=user,
        code_hash=make_password(raw),
        issued_by=actor,
        expires_at=now + timedelta(hours=ACTIVATION_CODE_VALIDITY_HOURS),
    )
    _event(user, actor, SecondFactorEventKind.CODE_ISSUED)
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def activation_code_check(*, user: User, code: str) -> ActivationCode | None:
    """The running, unused code of `user` that `code` matches, or None."""
    raw = normalise_code(code)
    running = ActivationCode.objects.filter(
        user=user, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if running and raw and check_password(raw, running.code_hash):
        return running
    return None


@transaction.atomic
def enrolment_start(*, user: User) -> TOTPDevice:
    """A fresh secret for this attempt; every earlier pending secret of the user is dropped."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, confirmed=False, name="Authenticator-app")


@transaction.atomic
def enrolment_confirm(*, device: TOTPDevice, code: ActivationCode) -> list[str]:
    """Confirm the device, use up the activation code, and return new recovery codes."""
    user = device.user
    code = ActivationCode.objects.select_for_update().get(pk=code.pk)
    if code.used_at is not None or code.expires_at <= timezone.now():
        raise ValueError("activation code no longer valid")
    code.used_at = timezone.now()
    code.save(update_fields=["used_at"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _event(user, user, SecondFactorEventKind.ENROLLED)
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [
        "".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_code_use(*, user: User, code: str) -> StaticDevice | None:
    """The recovery device if `code` is one of the user's unused codes (then used up)."""
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not device.verify_token(normalise_code(code)):
        return None
    _event(user, user, SecondFactorEventKind.RECOVERY_USED)
    left = device.token_set.count()
    _tell(
        user,
        "Herstelcode gebruikt",
        f"Bij het inloggen op {timezone.localtime():%d-%m-%Y %H:%M} is een herstelcode gebruikt. "
        f"U heeft nog {left} herstelcodes. Was u dit niet? Neem direct contact op met "
        "functioneel beheer.",
    )
    return device


@transaction.atomic
def second_factor_reset(*, actor: User, user: User) -> int:
    """Remove the user's authenticator and recovery codes; recorded, and the user is told.
    They enrol again with a new activation code."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    ActivationCode.objects.filter(user=user, used_at__isnull=True).update(expires_at=timezone.now())
    _event(user, actor, SecondFactorEventKind.RESET)
    _tell(
        user,
        "Uw tweede factor is ingetrokken",
        f"Functioneel beheer ({actor.get_full_name() or actor.username}) heeft op "
        f"{timezone.localtime():%d-%m-%Y %H:%M} uw authenticator-app en herstelcodes "
        "ingetrokken. U koppelt een nieuwe app met een activeringscode van functioneel beheer. "
        "Heeft u hier niet om gevraagd? Meld het direct bij de privacyfunctionaris.",
    )
    return deleted
