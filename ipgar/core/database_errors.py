"""When the database connection drops: a Dutch 503 page instead of a traceback, and whatever
the user typed kept on that page, ready to be sent again with one button.

The page is rendered without a request context: the context processors (navigation, the
user's roles) would ask the database that just failed. For the same reason the input is not
parked in the session (sessions live in the database): it travels back in the page itself,
as hidden fields of a form that posts to the same address, with the user's own CSRF token."""

import logging
import re

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
MESSAGE = "De database is even niet bereikbaar; uw invoer is bewaard, probeer het opnieuw."
# Never echoed back into a page: secrets the user typed.
SECRET_FIELDS = re.compile(r"pass|otp|token|secret", re.IGNORECASE)
CSRF_FIELD = "csrfmiddlewaretoken"


def is_database_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, DATABASE_ERRORS)


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    fields: list[tuple[str, str]] = []
    csrf_token = ""
    files_lost = False
    if request.method == "POST":
        try:
            posted = request.POST
            files_lost = bool(request.FILES)
        except Exception:  # an unreadable body: nothing to keep
            posted = {}
        if posted:
            csrf_token = posted.get(CSRF_FIELD, "")
            fields = [
                (name, value)
                for name, values in posted.lists()
                if name != CSRF_FIELD and not SECRET_FIELDS.search(name)
                for value in values
            ]
    shown = [(name.split("-", 1)[-1], value) for name, value in fields if value.strip()]
    html = loader.get_template("503_database.html").render(
        {
            "message": MESSAGE,
            "is_post": request.method == "POST",
            "action": request.get_full_path(),
            "fields": fields,
            "shown": shown,
            "csrf_token_value": csrf_token,
            "files_lost": files_lost,
        }
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    return response


class DatabaseUnavailableMiddleware:
    """A view that lost its database answers 503 in Dutch; its transaction rolled back
    (every multi-step service is one transaction.atomic), so nothing is half saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_database_unavailable(exception):
            return None
        logger.error(
            "Database niet bereikbaar tijdens %s %s: %s",
            request.method,
            request.path,
            exception,
        )
        return database_unavailable_response(request)
