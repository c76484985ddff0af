"""The Dutch user guide (docs/gebruikershandleiding/) rendered inside the application.

The guide is Markdown in the repository, readable on a forge as it is; the help pages render
the same files, turning links between guide pages into help URLs and the screenshots
(docs/screenshots/, kept current by the browser tests) into static files under `handleiding/`
(see STATICFILES_DIRS). The files are part of the code, not user input.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import markdown
from django.conf import settings
from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from ipgar.accounts.constants import Role

GUIDE_DIR = settings.BASE_DIR / "docs" / "gebruikershandleiding"
SLUG = re.compile(r"^[a-z0-9-]+$")
# After the guide's own links became help URLs: any other relative href, i.e. a repository file.
OUTSIDE_THE_GUIDE = re.compile(r'<a href="(?![/#]|[a-z]+:)[^"]*">(?P<text>.*?)</a>', re.S)

# One page per role of DOMAIN.md section 5 (the two intake desks share one).
ROLE_PAGES: dict[str, str] = {
    Role.INTAKE: "meld-en-adviespunt",
    Role.POLICE_INTAKE: "politie",
    Role.ASSESSMENT_BOARD: "voorportaal",
    Role.DECISION_MEMBER: "regieoverleg",
    Role.SECRETARY: "secretaris",
    Role.REGISSEUR: "regisseur",
    Role.ADVISORY_MEMBER: "itat-r",
    Role.INTERVENTION_PARTNER: "interventiepartner",
    Role.PROGRAMME_TEAM: "programmateam",
    Role.COORDINATOR: "coordinator",
    Role.ADMINISTRATOR: "functioneel-beheer",
    Role.PRIVACY_OFFICER: "privacyfunctionaris",
}


@dataclass(frozen=True)
class GuidePage:
    slug: str
    title: str
    html: SafeString


def _link(match: re.Match) -> str:
    slug = match.group("slug")
    url = reverse("core:help") if slug == "index" else reverse("core:help_page", args=[slug])
    return f'href="{url}{match.group("anchor") or ""}"'


@lru_cache(maxsize=64)
def _render(slug: str, mtime: float) -> GuidePage:
    text = (GUIDE_DIR / f"{slug}.md").read_text(encoding="utf-8")
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), slug)
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = re.sub(r'href="(?P<slug>[a-z0-9-]+)\.md(?P<anchor>#[\w-]+)?"', _link, html)
    html = re.sub(r'src="\.\./screenshots/([\w.-]+\.png)"', lambda m: _image(m.group(1)), html)
    # A link to another file of the repository (such as ../import/README.md, for the
    # administrator at the command line) has no page in the application: a reader would get a
    # 404, so inside the application it is its text, not a link.
    html = OUTSIDE_THE_GUIDE.sub(r"\g<text>", html)
    # A wide table scrolls inside its own box, as every table of the application (WCAG 1.4.10).
    html = html.replace("<table>", '<div class="table-responsive"><table>')
    html = html.replace("</table>", "</table></div>")
    # Safe: the Markdown comes from the repository, never from users.
    return GuidePage(slug=slug, title=title, html=mark_safe(html))


def _image(name: str) -> str:
    return f'src="{static("handleiding/" + name)}" class="img-fluid border"'


def guide_page(slug: str) -> GuidePage:
    if not SLUG.match(slug):
        raise Http404
    path = GUIDE_DIR / f"{slug}.md"
    if not path.is_file():
        raise Http404
    return _render(slug, path.stat().st_mtime)


def pages_for_roles(role_names) -> list[GuidePage]:
    """The guide pages of the user's own roles, to offer first."""
    slugs = dict.fromkeys(ROLE_PAGES[role] for role in ROLE_PAGES if role in set(role_names))
    return [guide_page(slug) for slug in slugs]
