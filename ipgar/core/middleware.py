"""Response headers Django's SecurityMiddleware does not set: CSP, Permissions-Policy, and
no-store on every signed-in page (they carry person data; nothing may keep them in a cache)."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# No inline script or style anywhere: templates use static files only (static/js, static/css).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "microphone",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault(
            "Content-Security-Policy",
            getattr(settings, "CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY),
        )
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class FriendlyErrorPagesMiddleware:
    """The local demo runs with DEBUG on (runserver serves the static files), yet shows what
    production shows: the Dutch 400/403/404/500 pages, never Django's technical pages, which
    name settings and code. Only with DEMO_ERROR_PAGES (bin/run-demo sets it); production has
    DEBUG off, where Django uses the same handlers itself. The traceback still goes to the log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.urls import Resolver404, resolve

        if settings.DEBUG and getattr(settings, "DEMO_ERROR_PAGES", False):
            try:
                resolve(request.path_info)
            except Resolver404 as exception:
                from ipgar.core import views

                return views.error_404(request, exception)  # not the URL list of DEBUG
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
        from django.http import Http404

        from ipgar.core import views

        if not (settings.DEBUG and getattr(settings, "DEMO_ERROR_PAGES", False)):
            return None
        if isinstance(exception, Http404):
            return views.error_404(request, exception)
        if isinstance(exception, PermissionDenied):
            return views.error_403(request, exception)
        if isinstance(exception, (BadRequest, SuspiciousOperation)):
            return views.error_400(request, exception)
        logging.getLogger("django.request").error(
            "Interne fout op %s", request.path, exc_info=exception
        )
        return views.error_500(request)
