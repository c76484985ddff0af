"""Reporting periods: quarter, half year, year or custom, each with the period before it.

A period is a half-open interval of dates [start, end): `end` is the first day after it, so
"active at the period's end" means admitted before `end` and not closed before `end`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

QUARTER = "kwartaal"
HALF_YEAR = "halfjaar"
YEAR = "jaar"
CUSTOM = "aangepast"
KINDS = [(QUARTER, "Kwartaal"), (HALF_YEAR, "Halfjaar"), (YEAR, "Jaar"), (CUSTOM, "Aangepast")]


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # exclusive

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def label(self) -> str:
        if self.kind == QUARTER:
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"
        if self.kind == HALF_YEAR:
            return f"H{1 if self.start.month == 1 else 2} {self.start.year}"
        if self.kind == YEAR:
            return str(self.start.year)
        return f"{self.start:%d-%m-%Y} t/m {self.last_day:%d-%m-%Y}"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.start.isoformat()}:{self.end.isoformat()}"

    @property
    def slug(self) -> str:
        return f"{self.start:%Y%m%d}-{self.last_day:%Y%m%d}"

    def previous(self) -> Period:
        if self.kind == QUARTER:
            return Period(self.kind, _add_months(self.start, -3), self.start)
        if self.kind == HALF_YEAR:
            return Period(self.kind, _add_months(self.start, -6), self.start)
        if self.kind == YEAR:
            return Period(self.kind, date(self.start.year - 1, 1, 1), self.start)
        return Period(self.kind, self.start - (self.end - self.start), self.start)


def quarter(year: int, number: int) -> Period:
    start = date(year, 3 * (number - 1) + 1, 1)
    return Period(QUARTER, start, _add_months(start, 3))


def half_year(year: int, number: int) -> Period:
    start = date(year, 1 if number == 1 else 7, 1)
    return Period(HALF_YEAR, start, _add_months(start, 6))


def year(value: int) -> Period:
    return Period(YEAR, date(value, 1, 1), date(value + 1, 1, 1))


def custom(start: date, last_day: date) -> Period:
    return Period(CUSTOM, start, last_day + timedelta(days=1))


def current_quarter(today: date | None = None) -> Period:
    today = today or timezone.localdate()
    return quarter(today.year, (today.month - 1) // 3 + 1)
