from django.conf import settings
from django.http import HttpRequest

from ipgar.lib.text import strip_controls

# The query-string parameters that carry typed text or identifying values: a search box's
# terms, the known-person check's BSN, names and date of birth, the log search's person. What
# is typed may name a person, so the access log keeps that a search was done, never these
# values (audit.loggable_path). tests/security/test_typed_values_never_logged.py walks every
# form and filter of the project against this list and NON_IDENTIFYING_PARAMS.
FREE_TEXT_PARAMS = frozenset(
    {
        "q",
        "zoek",
        "bsn",
        "first_name",
        "last_name",
        "date_of_birth",
        "naam",
        "voornaam",
        "achternaam",
        "geboortedatum",
        "username",
        "subject_ref",
        "casus",
    }
)
# Filters whose values are choices, numbers or dates of the application, never typed person
# data: kept in the log's path. Any parameter in neither list is blanked too, so a new filter
# cannot leak by being forgotten.
NON_IDENTIFYING_PARAMS = frozenset(
    {
        "page",
        "tab",
        "fase",
        "afgesloten",
        "soort",
        "categorie",
        "status",
        "urgentie",
        "ouder_dan",
        "rol",
        "gelezen",
        "next",
        "action",
        "date_from",
        "date_to",
        "periode",
        "jaar",
        "kwartaal",
        "maand",
        "halfjaar",
        "weken",
        "van",
        "tot",
        "vergelijk",
        "format",
        "stukken",
    }
)


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


# The highest page number a list accepts: far beyond any list, well inside a database OFFSET.
MAX_PAGE = 100_000


def int_param(value: object, *, default: int, low: int, high: int) -> tuple[int, str]:
    """A whole number from the query string, kept between `low` and `high`. Returns the number
    and, when what was typed was not used as typed, a Dutch message to show beside the filter:
    a number too large for the database (`?ouder_dan=1180591620717411303424`) is an answer, not
    a server error."""
    text = str(value).strip() if value is not None else ""
    if not text:
        return default, ""
    try:
        number = int(text)
    except ValueError:
        return default, "Vul een heel getal in."
    if number < low:
        return low, f"Vul een getal van {low} of meer in; {low} is gebruikt."
    if number > high:
        return high, f"Vul een getal van ten hoogste {high:n} in; {high:n} is gebruikt."
    return number, ""


def page_param(value: object) -> int:
    """A page number (1-based); rubbish means 1, an absurd number the last page we accept."""
    number, _ = int_param(value, default=1, low=1, high=MAX_PAGE)
    return number


def choice_param(value: object, choices, *, what: str) -> tuple[str, str]:
    """One of `choices` from the query string, or "" with a Dutch message for anything else."""
    text = str(value or "")
    if not text or text in choices:
        return text, ""
    return "", f"Onbekende {what}; alle worden getoond."
