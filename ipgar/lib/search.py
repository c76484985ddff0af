"""What a search box query means: a name, a date, a BSN or a reference number.

Parsing is plain and shared; each app turns the parsed terms into its own SQL filter through
`person_q` and its visibility queryset, so a search never sees more than the lists do.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from ipgar.lib.text import name_key, strip_controls

MAX_LENGTH = 100
MIN_NAME_LENGTH = 2

_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_BSN = re.compile(r"^\d{9}$")
_REFERENCE = re.compile(r"^([CM])(\d{4})-(\d{1,9})$", re.IGNORECASE)


@dataclass(frozen=True)
class SearchTerms:
    text: str = ""  # what was typed, trimmed
    name: str = ""  # name_key of a name search
    on_date: date | None = None  # dd-mm-jjjj or jjjj-mm-dd: a date of birth or a meeting day
    bsn: str = ""
    reference_kind: str = ""  # "C" (case) or "M" (report)
    reference_pk: int | None = None
    reference: str = ""  # normalised, as the objects print it: C2026-00012

    @property
    def kind(self) -> str:
        """What was searched on, for the access log: never the terms themselves."""
        if self.on_date:
            return "datum"
        if self.bsn:
            return "BSN"
        if self.reference:
            return "nummer"
        if self.name:
            return "naam"
        return ""

    @property
    def is_valid(self) -> bool:
        return bool(self.kind)

    @property
    def finds_persons(self) -> bool:
        return bool(self.on_date or self.bsn or self.name)


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_search(raw: str) -> SearchTerms:
    text = " ".join(strip_controls(raw).split())[:MAX_LENGTH]
    if not text:
        return SearchTerms()
    compact = text.replace(" ", "")
    if match := _DUTCH_DATE.match(compact):
        day, month, year = (int(part) for part in match.groups())
        return SearchTerms(text=text, on_date=_valid_date(year, month, day))
    if match := _ISO_DATE.match(compact):
        year, month, day = (int(part) for part in match.groups())
        return SearchTerms(text=text, on_date=_valid_date(year, month, day))
    if _BSN.match(compact.replace(".", "")):
        return SearchTerms(text=text, bsn=compact.replace(".", ""))
    if match := _REFERENCE.match(compact):
        kind, year, number = match[1].upper(), match[2], int(match[3])
        return SearchTerms(
            text=text,
            reference_kind=kind,
            reference_pk=number,
            reference=f"{kind}{year}-{number:05d}",
        )
    key = name_key(text)
    if len(key) < MIN_NAME_LENGTH:
        return SearchTerms(text=text)
    return SearchTerms(text=text, name=key)


def person_q(
    terms: SearchTerms, prefix: str = "", *, aliases: bool = False, bsn: bool = True
) -> Q | None:
    """The filter on a person model's fields (name_key, date_of_birth, bsn, aliases) reached
    through `prefix` ("subject__", "persons__"); None when the terms cannot match a person."""
    if terms.on_date:
        return Q(**{f"{prefix}date_of_birth": terms.on_date})
    if terms.bsn:
        return Q(**{f"{prefix}bsn": terms.bsn}) if bsn else None
    if terms.name:
        criteria = Q(**{f"{prefix}name_key__contains": terms.name})
        if aliases:
            criteria |= Q(**{f"{prefix}aliases__icontains": terms.text})
        return criteria
    return None
