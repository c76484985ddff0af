"""The sections of "Mijn werk" that the floors above provide.

The project package may not import the apps (imports go one way: reminders → meetings → cases
→ intake → ipgar), yet "Mijn werk" shows their deadlines. So an app registers a section here
from its AppConfig.ready(): a template to include and a function that gives its context. The
page keeps its address and URL name (core:my_work) and shows whatever is registered.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: Callable[[HttpRequest], dict]
    order: int = 100


_sections: dict[str, Section] = {}


def register_section(
    key: str, template: str, context: Callable[[HttpRequest], dict], *, order: int = 100
) -> None:
    """Idempotent by key: ready() may run more than once (tests, autoreload)."""
    _sections[key] = Section(key, template, context, order)


def sections_for(request: HttpRequest) -> list[dict]:
    return [
        {"key": section.key, "template": section.template, **section.context(request)}
        for section in sorted(_sections.values(), key=lambda s: (s.order, s.key))
    ]
