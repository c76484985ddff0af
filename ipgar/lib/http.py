import re

from django.conf import settings
from django.http import HttpRequest

# C0 controls but tab and newline, and DEL: never part of a search; NUL even breaks PostgreSQL
# ("text fields cannot contain NUL"), which made a crafted search a server error.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; behind PROXY_COUNT trusted proxies, taken from X-Forwarded-For."""
    proxies = settings.AXES_IPWARE_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def search_param(request: HttpRequest, name: str, *, max_length: int = 100) -> str:
    """A free-text search term from the query string, safe to hand to the database."""
    return _CONTROLS.sub("", request.GET.get(name, "")).strip()[:max_length]
