"""Walk the application as a user does: follow every link a persona is shown, and collect the
forms on the pages they reach. Shared by the broker-down walk and the form fuzzing.

A page is visited at most `per_view` times per URL name (case 1 and case 2 render the same
template), so a walk over the seeded demo stays fast while reaching every kind of page."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

SKIP_VIEWS = frozenset({"accounts:logout"})  # would end the walk's own session
MARKER = "<script>ipgarfuzz</script>"  # must never reach a page unescaped


@dataclass
class Field:
    name: str
    kind: str  # the input type, "select", "textarea" or "submit"
    value: str = ""
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    multiple: bool = False
    required: bool = False


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def view_name(self) -> str:
        return view_name(self.action) or self.action


class _FormParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: str | None = None
        self._textarea: Field | None = None

    def _add(self, item: Field) -> None:
        if self._form is None or not item.name or item.name == "csrfmiddlewaretoken":
            return
        known = self._form.fields.get(item.name)
        if known is None:
            self._form.fields[item.name] = item
            return
        # Same name again: radio buttons, a checkbox group, several submit buttons.
        known.options.extend(item.options)
        known.selected.extend(item.selected)
        known.multiple = known.multiple or item.kind == "checkbox"

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            method = a.get("method", "get").lower()
            action = a.get("hx-post") or a.get("action") or self.page
            self._form = Form(page=self.page, action=urljoin(self.page, action), method=method)
        elif tag == "input" and self._form is not None:
            kind = a.get("type", "text").lower()
            name, value = a.get("name", ""), a.get("value", "")
            if kind in ("checkbox", "radio"):
                self._add(
                    Field(
                        name,
                        kind,
                        options=[value or "on"],
                        selected=[value or "on"] if "checked" in a else [],
                        multiple=kind == "checkbox",
                    )
                )
            elif kind in ("submit", "image", "button", "reset"):
                if name:
                    self._add(Field(name, "submit", options=[value]))
            elif kind != "file":
                self._add(Field(name, kind, value=value, required="required" in a))
        elif tag == "button" and self._form is not None and a.get("name"):
            self._add(Field(a["name"], "submit", options=[a.get("value", "")]))
        elif tag == "select" and self._form is not None:
            self._select = Field(
                a.get("name", ""), "select", multiple="multiple" in a, required="required" in a
            )
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            if self._option is not None:
                self._select.options.append(self._option)
                if "selected" in a:
                    self._select.selected.append(self._option)
        elif tag == "textarea" and self._form is not None:
            self._textarea = Field(a.get("name", ""), "textarea", required="required" in a)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            self._add(self._select)
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            self._add(self._textarea)
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def view_name(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def parse(page: str, html: str) -> tuple[list[str], list[Form]]:
    parser = _FormParser(page)
    parser.feed(html)
    return parser.links, parser.forms


@dataclass
class Walk:
    statuses: dict[str, int] = field(default_factory=dict)  # url -> status
    forms: list[Form] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def crawl(client: Client, start: Iterable[str], *, per_view: int = 2, limit: int = 400) -> Walk:
    """Breadth-first over the links a user is shown; a 5xx or an exception is an error."""
    walk = Walk()
    seen_per_view: dict[str, int] = {}
    queue = deque(start)
    while queue and len(walk.statuses) < limit:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or parts.path.startswith("/static/"):
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        name = view_name(url)
        if url in walk.statuses or name is None or name in SKIP_VIEWS:
            continue
        if seen_per_view.get(name, 0) >= per_view:
            continue
        seen_per_view[name] = seen_per_view.get(name, 0) + 1
        try:
            response = client.get(url)
        except Exception as exc:  # noqa: BLE001 - every exception is the finding
            walk.statuses[url] = 599
            walk.errors.append(f"GET {url}: {type(exc).__name__}: {exc}")
            continue
        walk.statuses[url] = response.status_code
        if response.status_code >= 500:
            walk.errors.append(f"GET {url}: {response.status_code}")
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        links, forms = parse(url, response.content.decode())
        walk.forms.extend(forms)
        queue.extend(links)
    return walk


def plausible(field: Field):
    """What a careful user would send: the page's own value, or a valid one of its kind."""
    today = timezone.localdate()
    if field.kind == "submit":
        return field.options[0]
    if field.kind in ("checkbox", "radio"):
        if field.multiple:
            return field.selected
        return field.selected[0] if field.selected else field.options[0]
    if field.kind == "select":
        choices = [o for o in field.options if o]
        if field.multiple:
            return field.selected or choices[:1]
        return field.selected[0] if field.selected and field.selected[0] else (choices or [""])[0]
    if field.value:
        return field.value
    return {
        "date": today.isoformat(),
        "datetime-local": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "time": "10:00",
        "number": "1",
        "email": "fuzz@example.org",
        "password": "Een-lang-wachtwoord-2026",
        "hidden": "",
        "search": "",
    }.get(field.kind, f"Fuzz {MARKER}")
