"""Name normalisation for tolerant person search (Mohamed/Mohammed, de Vries/De Vries, é/e)."""

import re
import unicodedata

_NON_LETTERS = re.compile(r"[^a-z]")
_DOUBLES = re.compile(r"(.)\1+")
_SPACES = re.compile(r"\s+")
# C0 controls but tab and newline, and DEL: never part of a search; NUL even breaks PostgreSQL
# ("text fields cannot contain NUL"), which made a crafted search a server error.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def strip_controls(text: str) -> str:
    return _CONTROLS.sub("", text or "")


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: 'De  Vriës' -> 'de vries'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def name_key(*parts: str) -> str:
    """A search key that survives spelling variants: letters only, doubled letters collapsed.

    'Mohammed de Vries' and 'mohamed  De Vries' give the same key 'mohamedevries'.
    """
    letters = _NON_LETTERS.sub("", fold(" ".join(p for p in parts if p)))
    return _DOUBLES.sub(r"\1", letters)


def bsn_is_valid(value: str) -> bool:
    """The eleven-test of the Dutch citizen service number (BSN)."""
    if len(value) != 9 or not value.isdigit() or value == "000000000":
        return False
    digits = [int(c) for c in value]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


# Sensible maximum lengths of typed text (issue 20): a logbook entry may be a long report, any
# other free-text field a few pages. Longer input is refused with a Dutch error, not stored.
LOGBOOK_MAX_LENGTH = 20_000
TEXT_MAX_LENGTH = 10_000
