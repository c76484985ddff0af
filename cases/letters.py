"""Presenters for the notification letter (DOMAIN.md step 5): who must receive one, and what
each letter says. The PDF goes through the project's one pipeline, ipgar/lib/pdf.py."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Concat, Trim
from django.utils import timezone

from cases import dues
from cases.constants import ContactKind, LetterRecipientKind
from cases.models import Case, Contact, Letter
from intake.constants import Gender


@dataclass(frozen=True)
class Recipient:
    kind: str
    name: str
    address: str
    attention_of: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.name)


def _subject_address(case: Case) -> str:
    subject = case.subject
    lines = [subject.street, f"{subject.postcode} {subject.city}".strip()]
    return "\n".join(line for line in lines if line)


def required_recipients(case: Case, today: date | None = None) -> list[Recipient]:
    """The subject (via the institution when detained); for a minor also each parent or
    guardian; in a family approach also the family. `case.contacts` may be prefetched."""
    subject = case.subject
    recipients = []
    if subject.is_detained(today):
        recipients.append(
            Recipient(
                LetterRecipientKind.INSTITUTION,
                subject.full_name,
                f"{subject.institution_name}\n{subject.institution_address}",
                attention_of="de casemanager",
            )
        )
    else:
        recipients.append(
            Recipient(LetterRecipientKind.SUBJECT, subject.full_name, _subject_address(case))
        )
    contacts = list(case.contacts.all())
    if subject.is_minor:
        for contact in contacts:
            if contact.is_legal_representative and contact.kind in (
                ContactKind.PARENT,
                ContactKind.GUARDIAN,
            ):
                recipients.append(
                    Recipient(LetterRecipientKind.REPRESENTATIVE, contact.name, contact.address)
                )
    if case.family_approach:
        for contact in contacts:
            if contact.kind == ContactKind.FAMILY and contact.address:
                recipients.append(
                    Recipient(LetterRecipientKind.FAMILY, contact.name, contact.address)
                )
    return recipients


def letter_due(case: Case) -> date:
    return dues.letter_due(dues.local_date(case.admitted_at))


@dataclass(frozen=True)
class LetterStatus:
    required: list[Recipient]
    letters: list[Letter]

    @property
    def missing(self) -> list[Recipient]:
        made = {(letter.recipient_kind, letter.recipient_name) for letter in self.letters}
        return [r for r in self.required if r.key not in made]

    @property
    def undispatched(self) -> list[Recipient]:
        sent = {
            (letter.recipient_kind, letter.recipient_name)
            for letter in self.letters
            if letter.dispatched_on
        }
        return [r for r in self.required if r.key not in sent]

    @property
    def complete(self) -> bool:
        """The letter deadline is met when every required recipient has a dispatch."""
        return not self.undispatched


def letter_status(case: Case) -> LetterStatus:
    return LetterStatus(required=required_recipients(case), letters=list(case.letters.all()))


def _sent(kind: str, name, case=None) -> Exists:
    """A dispatched letter of the case (outer query) to (kind, name)."""
    return Exists(
        Letter.objects.filter(
            case=case or OuterRef("pk"),
            dispatched_on__isnull=False,
            recipient_kind=kind,
            recipient_name=name,
        )
    )


def letters_incomplete_q(today: date) -> Q:
    """The same rule as `not letter_status(case).complete` (required_recipients above), as a
    filter on cases: the sweep finds every case that still owes a letter in one statement."""
    first, last = OuterRef("subject__first_name"), OuterRef("subject__last_name")
    full_name = Trim(Concat(first, Value(" "), last))  # Subject.full_name
    detained = dues.detained_q(today)
    primary_missing = (detained & ~_sent(LetterRecipientKind.INSTITUTION, full_name)) | (
        ~detained & ~_sent(LetterRecipientKind.SUBJECT, full_name)
    )
    representative_missing = dues.minor_q(today) & Exists(
        Contact.objects.filter(
            case=OuterRef("pk"),
            is_legal_representative=True,
            kind__in=(ContactKind.PARENT, ContactKind.GUARDIAN),
        ).filter(
            ~_sent(LetterRecipientKind.REPRESENTATIVE, OuterRef("name"), OuterRef(OuterRef("pk")))
        )
    )
    family_missing = Q(family_approach=True) & Exists(
        Contact.objects.filter(case=OuterRef("pk"), kind=ContactKind.FAMILY)
        .exclude(address="")
        .filter(~_sent(LetterRecipientKind.FAMILY, OuterRef("name"), OuterRef(OuterRef("pk"))))
    )
    return primary_missing | representative_missing | family_missing


@dataclass(frozen=True)
class NotificationLetter:
    """What the notification letter template needs: nothing more."""

    recipient: Recipient
    subject_name: str
    subject_birth_date: date | None
    is_about_a_minor: bool
    letter_date: date
    reference: str
    regisseur_name: str
    regisseur_organisation: str
    regisseur_phone: str
    regisseur_email: str
    salutation: str = "Geachte heer/mevrouw"


def salutation_for(subject) -> str:
    """'Geachte heer El Amrani', 'Geachte mevrouw Verbeek', or the neutral form when the gender
    is unknown or other: never the full first name in the salutation of a formal letter."""
    titles = {Gender.MALE: "heer", Gender.FEMALE: "mevrouw"}
    title = titles.get(subject.gender)
    if title and subject.last_name:
        return f"Geachte {title} {subject.last_name}"
    if subject.last_name:
        return f"Geachte heer/mevrouw {subject.last_name}"
    return "Geachte heer/mevrouw"


def present(case: Case, recipient: Recipient, today: date | None = None) -> NotificationLetter:
    regisseur = case.regisseur
    return NotificationLetter(
        recipient=recipient,
        subject_name=case.subject.full_name,
        subject_birth_date=case.subject.date_of_birth,
        is_about_a_minor=case.subject.is_minor,
        letter_date=today or timezone.localdate(),
        reference=case.reference,
        regisseur_name=regisseur.get_full_name() or regisseur.username,
        regisseur_organisation=case.organisation.name,
        regisseur_phone=regisseur.phone,
        regisseur_email=regisseur.email,
        salutation=salutation_for(case.subject),
    )
