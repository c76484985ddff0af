"""Woo-ready minutes: adopted minutes with persons and case details replaced by the ground
for redaction (Wet open overheid). What is redacted never reaches the template, so it is in
neither the PDF's text layer nor its metadata.

Default per item: case items and closed-session items are redacted whole (only the kind and
the ground stay); other items keep their text with every known person name replaced by
"[persoon N, ground]" (the same person keeps the same number through the document, spelling
variants included: Noëlle, Noelle, Noëlle; Mohammed, Mohamed) and whatever else identifies a
person (names the system does not know, addresses, postcodes, dates, phone numbers, e-mail
addresses, BSNs, licence plates) by "[gelakt, ground]". A WooRedaction row overrides this, but
a case or closed-session item is never published unredacted, and an item the reader may not
open is withheld whole whatever its setting.

Free text is read by `deduce`, a de-identification library made for Dutch text, on top of the
system's own names; capitalised words that remain are flagged for a person to review.
"""

import pickle
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

from cases.models import Subject
from intake.models import ReportPerson
from ipgar.accounts.models import Organisation, User
from ipgar.lib.text import name_key
from meetings.constants import ItemKind
from meetings.models import AgendaItem, Meeting
from meetings.selectors import visible_items
from privacy.constants import WooGround, WooMode
from privacy.models import WooRedaction

MIN_NAME_PART = 3  # shorter parts ("de", "el", "Li") would blank ordinary words
_LETTERS_OR_DIGITS = r"(?:[A-Z]{1,3}|\d{1,3})"
PATTERNS = [
    re.compile(r"\b\d{9}\b"),  # BSN
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),  # e-mail address
    re.compile(r"(\+31|\b0)[\d\s-]{8,12}\d\b"),  # phone number
    re.compile(r"\b[1-9]\d{3}\s?[A-Z]{2}\b"),  # postcode
    re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}\b"),  # date (of birth)
    # Licence plate: three groups of letters or digits, eight characters, at least one letter.
    re.compile(
        rf"\b(?=[A-Z0-9-]{{8}}\b)(?=[0-9-]*[A-Z]){_LETTERS_OR_DIGITS}-{_LETTERS_OR_DIGITS}-"
        rf"{_LETTERS_OR_DIGITS}\b"
    ),
    # Street and house number.
    re.compile(
        r"\b[A-Z][\w'-]*(?:straat|laan|weg|plein|gracht|kade|singel|dijk|pad|steeg|hof|dreef|"
        r"park|markt)\s+\d+\s?[a-zA-Z]?\b"
    ),
]
# What deduce finds that the Woo withholds; organisations ("instelling") stay readable.
DEDUCE_TAGS = {
    "persoon",
    "patient",
    "locatie",
    "datum",
    "leeftijd",
    "telefoonnummer",
    "emailadres",
    "bsn",
    "id",
    "patientnummer",
    "url",
    "ziekenhuis",
}
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_CAPITALISED = re.compile(r"(?<![\w\[])([A-ZÀ-Þ][a-zß-ÿ]+(?:[-'][A-Za-zÀ-ÿ]+)*)")
_SENTENCE_START = re.compile(r"(^|[.!?:;]\s+|\n\s*|\(\s*)$")
# Capitalised words of the minutes that name no person.
COMMON_WORDS = {
    "besluit",
    "mevrouw",
    "meneer",
    "de",
    "het",
    "een",
    "gemeente",
    "politie",
    "regisseur",
    "casus",
    "plan",
    "aanpak",
    "regieoverleg",
    "voorportaal",
    "stadsdeel",
    "bsn",
}


@cache
def _deduce():
    from deduce import Deduce, lookup_structs

    # deduce keeps its lookup tables (80 MB, 1-2 minutes to build) in a pickle inside its
    # package and trusts it only when no source list is newer than the moment it was saved,
    # `datetime.now()` at saving. A build under a test's time travel saved a moment in the past,
    # so every later process rebuilt the tables, two at once, and one read the other's
    # half-written file (UnpicklingError on every Woo page). The lists ship inside the pinned
    # package and never change, so the version is the check; a build writes atomically.
    lookup_structs.load_lookup_structs_from_cache = _load_deduce_cache
    lookup_structs.cache_lookup_structs = _save_deduce_cache
    return Deduce()


def _deduce_cache_file(cache_path: Path) -> Path:
    from deduce import lookup_structs

    return Path(cache_path) / lookup_structs._CACHE_SUBDIR / lookup_structs._CACHE_FILE


def _load_deduce_cache(cache_path: Path, deduce_version: str):
    try:
        with _deduce_cache_file(cache_path).open("rb") as file:
            cached = pickle.load(file)  # noqa: S301 - deduce's own file, inside the package
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
        return None  # missing or torn: build again
    if not isinstance(cached, dict) or cached.get("deduce_version") != deduce_version:
        return None
    return cached.get("lookup_structs")


def _save_deduce_cache(lookup_structs, cache_path: Path, deduce_version: str) -> None:
    target = _deduce_cache_file(cache_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    cached = {
        "deduce_version": deduce_version,
        "saved_datetime": str(datetime.now()),  # noqa: DTZ005 - deduce's own format
        "lookup_structs": lookup_structs,
    }
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".tmp") as file:
        pickle.dump(cached, file)
    Path(file.name).replace(target)


def deidentify_spans(text: str) -> list[tuple[int, int]]:
    """Where deduce finds something that identifies a person in `text`."""
    if not text.strip():
        return []
    result = _deduce().deidentify(text)
    return [(a.start_char, a.end_char) for a in result.annotations if a.tag in DEDUCE_TAGS]


@dataclass
class WooItem:
    number: int
    title: str
    notes: str
    decisions: list[str]
    whole: bool
    ground: str
    not_discussed: bool
    flags: list[str] = field(default_factory=list)


@dataclass
class Redactor:
    """Replaces every known name (by its spelling-tolerant key) with a numbered placeholder and
    everything else that identifies a person with the ground."""

    names: dict[str, str] = field(default_factory=dict)  # name_key of a name part -> person
    numbers: dict[str, int] = field(default_factory=dict)  # person key -> number in document
    safe: set[str] = field(default_factory=set)  # folded words that name no person
    flags: list[str] = field(default_factory=list)

    def add_person(self, key: str, *parts: str) -> None:
        for part in " ".join(p for p in parts if p).split():
            folded = name_key(part)
            if len(folded) >= MIN_NAME_PART:
                self.names.setdefault(folded, key)

    def compile(self) -> None:
        """Kept for callers that add names in steps; matching needs no compiled pattern."""

    def _spans(self, text: str, ground: str) -> list[tuple[int, int, str]]:
        spans: list[tuple[int, int, str]] = []
        for match in _WORD.finditer(text):
            key = self.names.get(name_key(match.group(0)))
            if key:
                number = self.numbers.setdefault(key, len(self.numbers) + 1)
                spans.append((match.start(), match.end(), f"[persoon {number}, {ground}]"))
        for pattern in PATTERNS:
            for match in pattern.finditer(text):
                spans.append((match.start(), match.end(), f"[gelakt, {ground}]"))
        for start, end in deidentify_spans(text):
            spans.append((start, end, f"[gelakt, {ground}]"))
        return spans

    def __call__(self, text: str, ground: str) -> str:
        # Label every character: anything found is withheld, a known person (numbered) wins
        # over what deduce or a pattern found there; then write each labelled run once.
        labels: list[str | None] = [None] * len(text)
        spans = self._spans(text, ground)
        for start, end, replacement in sorted(spans, key=lambda s: s[2].startswith("[persoon")):
            labels[start:end] = [replacement] * (end - start)
        out: list[str] = []
        last_label, position = None, 0
        while position < len(text):
            label, end = labels[position], position
            while end < len(text) and labels[end] == label:
                end += 1
            chunk = text[position:end]
            if label is None or not chunk.strip(" ,.;:-"):
                out.append(chunk)
            elif label == last_label and out and not out[-1].strip():
                out.pop()  # "Noëlle de Vries": one placeholder, not one per part
            else:
                out.append(label)
            if label is not None and chunk.strip(" ,.;:-"):
                last_label = label
            elif chunk.strip():
                last_label = None
            position = end
        redacted = "".join(out)
        self._flag(redacted)
        return redacted

    def _flag(self, text: str) -> None:
        """Capitalised words left inside a sentence: a name nobody knows, for review."""
        for match in _CAPITALISED.finditer(text):
            word = match.group(1)
            if _SENTENCE_START.search(text[: match.start()]):
                continue
            if word.lower() in COMMON_WORDS or name_key(word) in self.safe:
                continue
            if word not in self.flags:
                self.flags.append(word)


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
    for code, name in Organisation.objects.values_list("code", "name"):
        redactor.safe.update(name_key(word) for word in f"{code} {name}".split())
    return redactor


def default_mode(item: AgendaItem) -> str:
    if item.kind == ItemKind.CASE or item.is_closed_session:
        return WooMode.WHOLE
    return WooMode.NAMES


def allowed_modes(item: AgendaItem) -> list[str]:
    """A case or closed-session item is withheld whole or redacted, never published as is."""
    if item.kind == ItemKind.CASE or item.is_closed_session:
        return [WooMode.WHOLE, WooMode.NAMES]
    return list(WooMode.values)


def effective_mode(item: AgendaItem, setting: WooRedaction | None, readable: bool) -> str:
    if not readable:
        return WooMode.WHOLE
    mode = setting.mode if setting else default_mode(item)
    return mode if mode in allowed_modes(item) else WooMode.NAMES


def woo_minutes(meeting: Meeting, user: User) -> dict:
    """The context of the Woo PDF for `user`: nothing in it that the redaction removed, and no
    item they may not open (closed-session items of which they were no attendee)."""
    redactor = _redactor()
    attendance_keys = {}
    for row in meeting.attendance.all():
        key = f"user:{row.user_id}" if row.user_id else f"att:{row.pk}"
        attendance_keys[row.pk] = key
        redactor.add_person(key, row.name)
    settings = {r.item_id: r for r in WooRedaction.objects.filter(item__meeting=meeting)}
    readable = set(visible_items(meeting, user).values_list("pk", flat=True))
    items = []
    for number, item in enumerate(
        meeting.items.prefetch_related("decisions").order_by("order", "pk"), start=1
    ):
        setting = settings.get(item.pk)
        mode = effective_mode(item, setting, item.pk in readable)
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
            redactor.flags = []

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
                flags=list(redactor.flags),
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
