"""Woo-ready minutes: adopted minutes with persons and case details replaced by the ground
for redaction (Wet open overheid). What is redacted never reaches the template, so it is in
neither the PDF's text layer nor its metadata.

Default per item: case items and closed-session items are redacted whole (only the kind and
the ground stay); other items keep their text with every known person name replaced by
"[persoon N, ground]" (the same person keeps the same number through the document) and BSNs,
e-mail addresses and phone numbers by "[gelakt, ground]". A WooRedaction row overrides this.
"""

import re
from dataclasses import dataclass, field

from cases.models import Subject
from intake.models import ReportPerson
from ipgar.accounts.models import User
from meetings.constants import ItemKind
from meetings.models import AgendaItem, Meeting
from privacy.constants import WooGround, WooMode
from privacy.models import WooRedaction

MIN_NAME_PART = 3  # shorter parts ("de", "el", "Li") would blank ordinary words
PATTERNS = [
    re.compile(r"\b\d{9}\b"),  # BSN
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),  # e-mail address
    re.compile(r"(\+31|\b0)[\d\s-]{8,12}\d\b"),  # phone number
]


@dataclass
class WooItem:
    number: int
    title: str
    notes: str
    decisions: list[str]
    whole: bool
    ground: str
    not_discussed: bool


@dataclass
class Redactor:
    """Replaces every known name with a numbered placeholder."""

    names: dict[str, str] = field(default_factory=dict)  # lower-case name -> person key
    numbers: dict[str, int] = field(default_factory=dict)  # person key -> number in document
    pattern: re.Pattern | None = None

    def add_person(self, key: str, *parts: str) -> None:
        full = " ".join(p for p in parts if p).strip()
        candidates = {full} | {p.strip() for p in parts} | set(full.split())
        for candidate in candidates:
            if len(candidate) >= MIN_NAME_PART:
                self.names.setdefault(candidate.lower(), key)

    def compile(self) -> None:
        ordered = sorted(self.names, key=len, reverse=True)  # whole names before their parts
        alternatives = "|".join(re.escape(n) for n in ordered) or r"(?!x)x"
        self.pattern = re.compile(rf"(?<!\w)({alternatives})(?!\w)", re.IGNORECASE)

    def __call__(self, text: str, ground: str) -> str:
        def person(match: re.Match) -> str:
            key = self.names[match.group(0).lower()]
            number = self.numbers.setdefault(key, len(self.numbers) + 1)
            return f"[persoon {number}, {ground}]"

        text = self.pattern.sub(person, text)
        for pattern in PATTERNS:
            text = pattern.sub(f"[gelakt, {ground}]", text)
        return text


def _redactor() -> Redactor:
    """Every person the system knows: users, subjects (and aliases), persons in reports,
    people in attendance lists. Keys keep the kinds apart."""
    redactor = Redactor()
    for pk, first, last in User.objects.values_list("pk", "first_name", "last_name"):
        redactor.add_person(f"user:{pk}", first, last)
    for pk, first, last, aliases in Subject.objects.values_list(
        "pk", "first_name", "last_name", "aliases"
    ):
        key = f"subject:{pk}"
        redactor.add_person(key, first, last)
        for alias in filter(None, (a.strip() for a in aliases.split(","))):
            redactor.add_person(key, alias)
    for pk, first, last in ReportPerson.objects.values_list("pk", "first_name", "last_name"):
        redactor.add_person(f"reportperson:{pk}", first, last)
    redactor.compile()
    return redactor


def default_mode(item: AgendaItem) -> str:
    if item.kind == ItemKind.CASE or item.is_closed_session:
        return WooMode.WHOLE
    return WooMode.NAMES


def woo_minutes(meeting: Meeting) -> dict:
    """The context of the Woo PDF: nothing in it that the redaction removed."""
    redactor = _redactor()
    attendance_keys = {}
    for row in meeting.attendance.all():
        key = f"user:{row.user_id}" if row.user_id else f"att:{row.pk}"
        attendance_keys[row.pk] = key
        redactor.add_person(key, row.name)
    redactor.compile()
    settings = {r.item_id: r for r in WooRedaction.objects.filter(item__meeting=meeting)}
    items = []
    for number, item in enumerate(
        meeting.items.prefetch_related("decisions").order_by("order", "pk"), start=1
    ):
        setting = settings.get(item.pk)
        mode = setting.mode if setting else default_mode(item)
        ground = setting.ground if setting else WooGround.PRIVACY
        if mode == WooMode.WHOLE:
            label = item.get_case_kind_display() if item.case_kind else item.get_kind_display()
            woo_item = WooItem(
                number=number,
                title=f"{label} [gelakt, {ground}]",
                notes=f"[gelakt, {ground}]" if item.notes else "",
                decisions=[f"[gelakt, {ground}]" for _ in item.decisions.all()],
                whole=True,
                ground=ground,
                not_discussed=item.status == "niet_besproken",
            )
        else:

            def clean(text: str, mode=mode, ground=ground) -> str:
                return text if mode == WooMode.NONE else redactor(text, ground)

            woo_item = WooItem(
                number=number,
                title=clean(item.title),
                notes=clean(item.notes),
                decisions=[clean(d.text) for d in item.decisions.all()],
                whole=False,
                ground=ground,
                not_discussed=item.status == "niet_besproken",
            )
        items.append(woo_item)
    attendance = []
    for row in meeting.attendance.select_related("organisation"):
        number = redactor.numbers.setdefault(attendance_keys[row.pk], len(redactor.numbers) + 1)
        attendance.append(
            {
                "name": f"[persoon {number}, {WooGround.PRIVACY}]",
                "organisation": row.organisation.code if row.organisation else "",
                "status": row.get_status_display().lower(),
            }
        )
    return {"meeting": meeting, "items": items, "attendance": attendance}
