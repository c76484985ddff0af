"""How django-axes names the account a failed login is counted for."""

from django.http import HttpRequest

from ipgar.accounts.models import User

USERNAME_LENGTH = User._meta.get_field("username").max_length


def login_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The username typed, cut to the longest a username can be. Axes stores it in a column of
    255 characters: a longer one made the login page answer 500 instead of a Dutch error."""
    typed = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(typed)[:USERNAME_LENGTH]
