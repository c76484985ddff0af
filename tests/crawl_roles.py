"""Walk the application as each role does and record where every rendered link leads.

`crawl_role(client, user)` starts on "Mijn werk", goes breadth-first over every same-origin
`<a href>` and `hx-get` the reader is shown (the menu is on every page), and answers with the
pages it read and every link with the page it was on and the status it answered. The link
checker, the Dutch-language check and the browser reflow walk all use it, so "reachable for
this role" means the same thing everywhere.

Pages are parsed per URL name at most `expand_per_view` times (case 1 and case 2 render the same
template): that keeps a walk over thousands of records short while reaching every kind of page.
Every link is still requested once, so a 404 behind the 300th row of a list is found. Over the
scale data (1,200 cases) a walk may cap the requests per URL name (`request_per_view`): the
1,000th case page is the same page as the 30th, and requesting every one took half an hour of
every test run; the walk counts what it left out.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client

from ipgar.accounts.models import User
from tests.personas import signed_in
from tests.reliability.crawl import SKIP_VIEWS, view_name

START = ("/mijn-werk/",)
# Pages that answer a file, not a page: requested (their status counts) but never parsed.
NOT_HTML = ("application/pdf", "text/calendar", "text/csv", "application/vnd")


@dataclass(frozen=True)
class Link:
    source: str  # the page that rendered it
    target: str  # path and query, same origin
    via: str  # "href" or "hx-get"


@dataclass
class Page:
    url: str
    status: int
    view: str
    html: str = ""  # only for the pages that were parsed


@dataclass
class RoleWalk:
    username: str
    pages: dict[str, Page] = field(default_factory=dict)  # every URL requested
    links: list[Link] = field(default_factory=list)  # every same-origin link seen
    errors: list[str] = field(default_factory=list)  # exceptions while requesting
    capped: int = 0  # links not requested because their URL name reached `request_per_view`

    @property
    def parsed(self) -> list[Page]:
        return [page for page in self.pages.values() if page.html]

    def status(self, url: str) -> int:
        return self.pages[url].status

    def broken(self) -> list[tuple[Link, int]]:
        """Links that answer 403, 404 or a server error (redirects to login count as 403)."""
        found, seen = [], set()
        for link in self.links:
            page = self.pages.get(link.target)
            if page is None or link.target in seen:
                continue
            if page.status in (403, 404) or page.status >= 500:
                seen.add(link.target)
                found.append((link, page.status))
        return found


class _LinkParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.found.append((urljoin(self.page, a["href"]), "href"))
        if a.get("hx-get"):
            self.found.append((urljoin(self.page, a["hx-get"]), "hx-get"))


def links_on(page: str, html: str) -> list[tuple[str, str]]:
    """(absolute-or-path URL, "href" | "hx-get") for every link on the page, in order."""
    parser = _LinkParser(page)
    parser.feed(html)
    return parser.found


def same_origin(url: str) -> str | None:
    """The path and query of a same-origin URL to walk, or None (other host, anchor, static)."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path or parts.path.startswith(("/static/", "/media/")):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl_role(
    client: Client,
    user: User | None = None,
    *,
    start: Iterable[str] = START,
    expand_per_view: int = 2,
    request_per_view: int | None = None,
    limit: int = 2000,
) -> RoleWalk:
    """Breadth-first GET over what `user` is shown. Signs the client in when given a user."""
    if user is not None:
        signed_in(client, user)
    walk = RoleWalk(username=user.username if user is not None else "")
    expanded: dict[str, int] = {}
    requested: dict[str, int] = {}
    queue: deque[tuple[str, Link | None]] = deque((url, None) for url in start)
    while queue and len(walk.pages) < limit:
        raw, link = queue.popleft()
        url = same_origin(raw)
        if url is None:
            continue
        if link is not None:
            walk.links.append(Link(link.source, url, link.via))
        name = view_name(url)
        if url in walk.pages or name in SKIP_VIEWS:
            continue
        if request_per_view is not None and requested.get(name or "", 0) >= request_per_view:
            walk.capped += 1
            continue
        requested[name or ""] = requested.get(name or "", 0) + 1
        try:
            response = client.get(url, headers={"hx-request": "true"} if _is_hx(link) else {})
        except Exception as exc:  # noqa: BLE001 - every exception is the finding
            walk.pages[url] = Page(url, 599, name or "")
            walk.errors.append(f"GET {url}: {type(exc).__name__}: {exc}")
            continue
        status = response.status_code
        if status in (301, 302) and response["Location"].startswith("/inloggen/"):
            status = 403  # sent to the login page: the link does not open for this reader
        page = Page(url, status, name or "")
        walk.pages[url] = page
        if status in (301, 302):
            queue.append((response["Location"], Link(url, "", "redirect")))
            continue
        content_type = response.get("Content-Type", "")
        if status != 200 or "text/html" not in content_type or content_type.startswith(NOT_HTML):
            continue
        if expanded.get(page.view, 0) >= expand_per_view:
            continue
        expanded[page.view] = expanded.get(page.view, 0) + 1
        page.html = response.content.decode()
        for target, via in links_on(url, page.html):
            queue.append((target, Link(url, "", via)))
    return walk


def _is_hx(link: Link | None) -> bool:
    return link is not None and link.via == "hx-get"


def crawl_roles(usernames: Iterable[str], **options) -> dict[str, RoleWalk]:
    """One walk per user, each on a fresh client."""
    walks = {}
    for username in usernames:
        user = User.objects.get(username=username)
        walks[username] = crawl_role(Client(), user, **options)
    return walks


def summary(walks: dict[str, RoleWalk]) -> str:
    lines = []
    for username, walk in walks.items():
        lines.append(
            f"{username}: {len(walk.pages)} pagina's opgevraagd, {len(walk.parsed)} gelezen, "
            f"{len(walk.links)} links"
            + (
                f", {walk.capped} links van een al vaak gevraagde soort overgeslagen"
                if walk.capped
                else ""
            )
        )
    total_pages = sum(len(w.pages) for w in walks.values())
    total_links = sum(len(w.links) for w in walks.values())
    lines.append(f"{len(walks)} rollen, {total_pages} pagina's, {total_links} links")
    return "\n".join(lines)
