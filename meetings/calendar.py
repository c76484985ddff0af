"""iCalendar (.ics) for a whole meeting or for one regisseur's slot."""

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from meetings.models import AgendaItem, Meeting


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//iPGA-R//Overleggen//NL")
    calendar.add("version", "2.0")
    return calendar


def _event(
    uid: str, summary: str, start: datetime, end: datetime, location: str, url: str
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@ipgar")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(start))
    event.add("dtend", timezone.localtime(end))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    event.add("url", url)
    return event


def meeting_ics(meeting: Meeting, url: str) -> bytes:
    calendar = _calendar()
    calendar.add_component(
        _event(
            f"meeting-{meeting.pk}",
            meeting.body.name,
            meeting.starts_at,
            meeting.ends_at,
            meeting.location,
            url,
        )
    )
    return calendar.to_ical()


def slot_ics(item: AgendaItem, start: datetime, end: datetime, url: str) -> bytes:
    """Only the slot, with no case content: the summary names the meeting, not the person."""
    calendar = _calendar()
    calendar.add_component(
        _event(
            f"item-{item.pk}",
            f"{item.meeting.body.short_name}: uw casusbespreking",
            start,
            end,
            item.meeting.location,
            url,
        )
    )
    return calendar.to_ical()


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
