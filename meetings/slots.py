"""The time slots of an agenda: a question about a meeting's data, asked by the services (the
agenda e-mail) and the selectors (the agenda page) alike. Its own module, below both, so that
neither imports the other back (services → slots ← selectors → services)."""

from datetime import timedelta

from meetings.constants import ItemKind
from meetings.models import AgendaItem, Meeting


def slots_for(meeting: Meeting, items: list[AgendaItem] | None = None) -> list[dict]:
    """Consecutive time slots for the case items, from the meeting's start, in agenda order.

    Slots are computed over all case items (closed-session ones included) so everyone sees
    the same times; callers show only the items they may see."""
    all_items = (
        list(
            meeting.items.filter(kind=ItemKind.CASE)
            .select_related("case__regisseur")
            .order_by("order", "pk")
        )
        if items is None
        else items
    )
    start = meeting.starts_at
    rows = []
    for item in all_items:
        if item.kind != ItemKind.CASE:
            continue
        minutes = item.slot_minutes or meeting.body.default_slot_minutes
        rows.append({"item": item, "start": start, "end": start + timedelta(minutes=minutes)})
        start += timedelta(minutes=minutes)
    return rows
