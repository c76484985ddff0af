import logging
import os
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required, login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from kombu import Connection

from ipgar.core.database_errors import database_unavailable_response, is_database_unavailable
from ipgar.core.guide import guide_page, pages_for_roles
from ipgar.core.my_work import sections_for
from ipgar.notifications.models import Notification
from ipgar.notifications.selectors import notifications_for_user
from ipgar.notifications.services import notification_mark_read

logger = logging.getLogger(__name__)

NOTIFICATIONS_SHOWN = 100


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    show_read = request.GET.get("gelezen") == "1"
    sections = sections_for(request)
    # A section that lists an item names the notifications that remind of it ("covers":
    # kind, object type, object id): those are left out below, so a deadline shows once, in
    # its section, for as long as the section shows it (issue 15). Notices of anything else
    # (late requests, role changes, a deadline beyond this week) stay, with "Afgehandeld".
    covered = {key for section in sections for key in section.get("covers", ())}
    notifications = [
        notification
        for notification in notifications_for_user(request.user, include_read=show_read)[
            : NOTIFICATIONS_SHOWN + len(covered)
        ]
        if (notification.kind, notification.object_type, notification.object_id) not in covered
    ][:NOTIFICATIONS_SHOWN]
    return render(
        request,
        "core/my_work.html",
        {
            "sections": sections,
            "notifications": notifications,
            "show_read": show_read,
        },
    )


@login_required
@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """The smallest signed-in page: sessions, second factor and middleware, nothing of its own.
    The benchmark's baseline (`make bench`): every page's cost is read against it."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's notification does not exist for this user.
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(notification=notification, actor=request.user)
    if request.htmx:
        return render(request, "core/_notification.html", {"notification": notification})
    return redirect("core:my_work")


@login_required
@require_GET
def help_index(request: HttpRequest) -> HttpResponse:
    """The user guide's index, with the pages of the user's own roles first."""
    return render(
        request,
        "core/help.html",
        {"page": guide_page("index"), "own_pages": pages_for_roles(request.user.role_names)},
    )


@login_required
@require_GET
def help_page(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "core/help.html", {"page": guide_page(slug)})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:  # a health check reports, it does not raise
        logger.exception("Health check: database unreachable")
        return False


def _broker_ok() -> bool:
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        # The embedded broker of the demo: it works when its folders can be written.
        folders = [options.get("data_folder_in"), options.get("data_folder_out")]
        return all(folder and os.access(folder, os.W_OK) for folder in folders)
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=2,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.exception("Health check: broker unreachable")
        return False


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and container health checks; says nothing about data."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    status = 200 if all(checks.values()) else 503
    body = {"status": "ok" if status == 200 else "fout"}
    body.update({name: "ok" if ok else "fout" for name, ok in checks.items()})
    return JsonResponse(body, status=status)


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("core:my_work" if request.user.is_authenticated else "accounts:login")


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # No context processors that may touch the database: the error may be the database.
    from django.template import loader

    # A database error outside a view (a middleware saving the session, say) still gets the
    # Dutch 503 page that keeps the user's input; inside views the middleware answers it.
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
