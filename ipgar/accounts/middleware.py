import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

SESSION_STARTED = "ipgar_auth_started_at"
SESSION_LAST_SEEN = "ipgar_last_seen_at"
# Writing the session on every request would cost a write per click; a minute of slack on a
# fifteen-minute idle limit is acceptable.
LAST_SEEN_RESOLUTION_SECONDS = 60


def _to_login(request: HttpRequest) -> HttpResponse:
    url = reverse(settings.LOGIN_URL) + "?" + urlencode({"next": request.get_full_path()})
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class SessionTimeoutMiddleware:
    """Logs out after 15 minutes idle and after 12 hours in any case."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(SESSION_STARTED, now)
            last_seen = session.get(SESSION_LAST_SEEN, started)
            idle = now - last_seen > settings.SESSION_IDLE_TIMEOUT.total_seconds()
            expired = now - started > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if idle or expired:
                logout(request)
                messages.info(
                    request,
                    "U bent automatisch uitgelogd na 15 minuten zonder activiteit."
                    if idle
                    else "U bent automatisch uitgelogd: een sessie duurt ten hoogste 12 uur.",
                )
                return _to_login(request)
            if now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
                session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


def second_factor_exempt(view):
    """Mark a view reachable by a signed-in user who has not yet passed the second factor."""
    view.second_factor_exempt = True
    return view


class SecondFactorRequiredMiddleware:
    """After the password, only the second-factor pages are reachable until it is verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not settings.OTP_REQUIRED or not request.user.is_authenticated:
            return None
        if request.user.is_verified() or getattr(view_func, "second_factor_exempt", False):
            return None
        if not getattr(view_func, "login_required", True):
            return None  # public pages (health, login) stay public
        url = reverse("accounts:second_factor") + "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
