from django.conf import settings
from django.http import HttpRequest

from ipgar.lib.text import strip_controls

# The query-string parameters that carry typed search text. What is typed may name a person,
# so the access log keeps that a search was done, never these values (audit.loggable_path).
FREE_TEXT_PARAMS = frozenset({"q", "zoek"})


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
    if name not in FREE_TEXT_PARAMS:
        # A new search box registers its parameter first, or the access log would keep its text.
        raise ValueError(f"{name!r} staat niet in FREE_TEXT_PARAMS")
    return strip_controls(request.GET.get(name, "")).strip()[:max_length]
