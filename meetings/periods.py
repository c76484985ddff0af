"""Due dates and planned moments as minutes write them ("eerste helft 2021", "vóór de zomer",
"z.s.m.", "jaarlijks", "27 mei"): a typed period of a kind and the one date it sorts by.

The date of a period is its last day ("eerste helft 2021" is 30 June 2021), so an action due
in the first half of the year sorts before one due in September and after one due in May."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from meetings.constants import PeriodKind

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "jan"),
            ("februari", "feb"),
            ("maart", "mrt"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augustus", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH_NAMES = [
    "",
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
# The summer holiday of the Amsterdam region starts in the first half of July.
SUMMER_START = (7, 1)
SUMMER_END = (8, 31)
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%Y%m%d", "%d/%m/%Y")


class PeriodError(ValueError):
    """The text is no date or period this module knows; the message is Dutch."""


@dataclass(frozen=True)
class Period:
    kind: str
    on: date | None = None  # the last day of the period; None for z.s.m., yearly, to plan

    @property
    def label(self) -> str:
        kind, on = self.kind, self.on
        if kind == PeriodKind.DATE:
            return f"{on:%d-%m-%Y}"
        if kind == PeriodKind.MONTH:
            return f"{MONTH_NAMES[on.month]} {on.year}"
        if kind == PeriodKind.QUARTER:
            return f"Q{(on.month - 1) // 3 + 1} {on.year}"
        if kind == PeriodKind.HALF:
            return f"{'eerste' if on.month <= 6 else 'tweede'} helft {on.year}"
        if kind == PeriodKind.BEFORE_SUMMER:
            return f"vóór de zomer {on.year}"
        if kind == PeriodKind.AFTER_SUMMER:
            return f"na de zomer {on.year}"
        if kind == PeriodKind.YEAR:
            return str(on.year)
        return PeriodKind(kind).label

    @property
    def sort_key(self) -> tuple[int, date]:
        if self.kind == PeriodKind.ASAP:
            return (0, date.min)
        if self.on is not None:
            return (1, self.on)
        return (2, date.max)


def period_sort_key(kind: str, on: date | None) -> tuple[int, date]:
    return Period(kind, on).sort_key


def _last_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_parse(text: str, *, year: int | None = None) -> Period:
    """Read a due date or period as written. `year` completes texts without one ("27 mei",
    "vóór de zomervakantie"): the year of the meeting that wrote it."""
    raw = " ".join(text.strip().split())
    lowered = raw.lower().replace("voor", "vóór") if raw else ""
    if not lowered:
        raise PeriodError("Geef een datum of een periode.")
    for fmt in DATE_FORMATS:
        try:
            return Period(PeriodKind.DATE, datetime.strptime(raw, fmt).date())
        except ValueError:
            pass
    if lowered in {"z.s.m.", "zsm", "z.s.m", "zo snel mogelijk"}:
        return Period(PeriodKind.ASAP)
    if lowered == "jaarlijks":
        return Period(PeriodKind.YEARLY)
    if lowered in {"nog plannen", "nog te plannen"}:
        return Period(PeriodKind.TO_PLAN)
    found_year = re.search(r"\b(20\d\d)\b", lowered)
    the_year = int(found_year.group(1)) if found_year else year
    rest = re.sub(r"\s*\b20\d\d\b", "", lowered).strip()

    def need_year() -> int:
        if the_year is None:
            raise PeriodError(f"‘{raw}’: vermeld het jaar.")
        return the_year

    half = re.fullmatch(r"(eerste|1e|tweede|2e) helft", rest)
    if half:
        first = half.group(1) in {"eerste", "1e"}
        return Period(
            PeriodKind.HALF, date(need_year(), 6, 30) if first else date(need_year(), 12, 31)
        )
    quarter = re.fullmatch(r"q([1-4])", rest)
    if quarter:
        return Period(PeriodKind.QUARTER, _last_of_month(need_year(), int(quarter.group(1)) * 3))
    if re.fullmatch(r"vóór de zomer(vakantie)?", rest):
        return Period(PeriodKind.BEFORE_SUMMER, date(need_year(), *SUMMER_START))
    if re.fullmatch(r"na de zomer(vakantie)?", rest):
        return Period(PeriodKind.AFTER_SUMMER, date(need_year(), *SUMMER_END))
    if rest in MONTHS:
        return Period(PeriodKind.MONTH, _last_of_month(need_year(), MONTHS[rest]))
    day_month = re.fullmatch(r"(\d{1,2}) ([a-z]+)", rest)
    if day_month and day_month.group(2) in MONTHS:
        try:
            return Period(
                PeriodKind.DATE,
                date(need_year(), MONTHS[day_month.group(2)], int(day_month.group(1))),
            )
        except ValueError:
            pass
    if not rest and found_year:
        return Period(PeriodKind.YEAR, date(the_year, 12, 31))
    raise PeriodError(
        f"‘{raw}’ is geen datum (dd-mm-jjjj) of periode (z.s.m., maand, Q1, eerste helft, "
        "vóór de zomer, jaarlijks, nog plannen)."
    )
