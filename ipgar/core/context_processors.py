from django.conf import settings
from django.http import HttpRequest

from ipgar.core.navigation import menu_for, search_url_for


def shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "second_factor_off": not settings.OTP_REQUIRED,
        "navigation": menu_for(user) if signed_in else [],
        "search_url": search_url_for(user) if signed_in else "",
        "current_url_name": (
            f"{request.resolver_match.namespace}:{request.resolver_match.url_name}"
            if getattr(request, "resolver_match", None)
            else ""
        ),
    }
