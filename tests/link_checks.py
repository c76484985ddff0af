"""What the link checker and the Dutch-language check find in the role crawl
(tests/crawl_roles.py): issue 15, acceptance 1 and 3. The demo's crawl is checked in
tests/browser/test_wcag_audit.py, which walks it once for these checks and the WCAG audit; the
small tier's in tests/ipgar/test_every_link_opens.py."""

import re

from ipgar.accounts.models import Organisation
from tests.crawl_roles import RoleWalk


def broken_report(walks: dict[str, RoleWalk]) -> list[str]:
    return [
        f"{username}: {link.source} → {link.target} ({link.via}) answers {status}"
        for username, walk in walks.items()
        for link, status in walk.broken()
    ] + [f"{username}: {error}" for username, walk in walks.items() for error in walk.errors]


# --- Acceptance 3: the pages read as Dutch ------------------------------------------------

ISO_DATE = re.compile(r"(?<![\d/=\-?&])(19|20)\d\d-[01]\d-[0-3]\d(?![\d])")
WRONG_PLURALS = re.compile(
    r"\b1 (dagen|resultaten|weken|meldingen|casussen|uren|minuten|maanden|links|punten)\b"
)
TAG = re.compile(r"<[^>]*>", re.S)
SCRIPT = re.compile(r"<(script|style|textarea)\b.*?</\1>", re.S | re.I)


def visible_text(html: str) -> str:
    """The text a reader sees: no tags, attribute values (ISO dates in `value=""` and
    `datetime=""` are what inputs and <time> need), scripts or the contents of textareas."""
    return TAG.sub(" ", SCRIPT.sub(" ", html))


# The short names the users themselves speak (DOMAIN.md): "MAP", "OOV", "het OM". A code such as
# LPL, POL, SCW or SD-NIE is the administrator's key, never what a reader should see.
SPOKEN_ABBREVIATIONS = frozenset(
    {"MAP", "OOV", "OM", "RN", "GGD", "GGZ", "WPI", "NCTV", "JBRA", "WSG", "OJZ"}
)


# The organisation administration is where codes are made: there they are the content.
CODES_ARE_CONTENT = ("/beheer/organisaties/",)


def dutch_findings(walks: dict[str, RoleWalk]) -> list[str]:
    organisations = list(Organisation.objects.values_list("code", "name"))
    codes = [
        code
        for code, name in organisations
        if code != name and len(code) >= 2 and code not in SPOKEN_ABBREVIATIONS
    ]
    names = re.compile("|".join(re.escape(name) for _, name in organisations))
    code_pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, codes)) + r")(?![\w-])")
    found = []
    for username, walk in walks.items():
        for page in walk.parsed:
            text = visible_text(page.html)
            without_names = names.sub(" ", text)
            where = f"{username} {page.url}"
            if "---------" in page.html:
                found.append(f"{where}: '---------'")
            for match in ISO_DATE.finditer(text):
                found.append(f"{where}: ISO-datum {match.group(0)}")
            for match in WRONG_PLURALS.finditer(text):
                found.append(f"{where}: '{match.group(0)}'")
            if page.url.startswith(CODES_ARE_CONTENT):
                continue
            for match in code_pattern.finditer(without_names):
                found.append(f"{where}: organisatiecode {match.group(0)}")
    return sorted(set(found))
