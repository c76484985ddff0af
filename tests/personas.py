"""Sign a test client in as a persona, second factor included.

`signed_in(client, user)` is what every view test uses: the user is logged in and their
authenticator is verified, as after a real login.
"""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipgar.accounts.models import User
from tests.factories import UserFactory


def signed_in(client: Client, user: User) -> Client:
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def persona(client: Client, *roles: str, **fields) -> tuple[Client, User]:
    """A new user with `roles`, signed in on `client`."""
    user = UserFactory(roles=list(roles), **fields)
    return signed_in(client, user), user


def assert_redirects_to_login(response) -> None:
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith("/inloggen/"), response["Location"]
