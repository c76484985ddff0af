"""Presenters for the notification letter (DOMAIN.md step 5): who must receive one, and what
each letter says. The PDF goes through the project's one pipeline, ipgar/lib/pdf.py."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from cases.constants import ContactKind, LetterRecipientKind
from cases.deadlines import LETTER
from cases.models import Case, Letter
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
    return LETTER.due_on(case.admitted_at)


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
