"""The case page reads each case deadline from a case's objects; the reminder sweep reads the
same rules (cases/dues.py) from the rows of one statement over all cases
(`reminders.deadlines.case_values`: local dates and related rows computed in the database, the
letter and 'quiet' rules as filters). These tests put cases through many variations (phase,
detention, age, abroad, 'statisch', family approach, contacts, letters, UVOs, evaluations,
adoption, logbook) and demand the same answer both ways for every case in every variation, on
SQLite and, with DATABASE_URL, on PostgreSQL.

Day zero is Monday 1 March 2027, 10:00 Amsterdam; the data sits around the DST change of
28 March and around midnight, where a local date and a UTC date differ."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cases import dues
from cases.constants import (
    CONTACT_KINDS,
    ContactKind,
    DispatchMethod,
    LetterRecipientKind,
    LogKind,
)
from cases.letters import letter_due, letter_status
from cases.models import Case, Contact, Evaluation, Letter, LogEntry, PartnerMeeting, PlanVersion
from cases.models import Subject as Person
from reminders.deadlines import CASE_VALUES, case_values
from tests.cases.factories import CaseFactory
from tests.reminders.factories import DAY_ZERO, on

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _python_faces(case: Case, today: date, weeks: int) -> dict:
    """Every rule for one case, from its objects, as the case page reads them."""
    case = (
        Case.objects.select_related("subject")
        .prefetch_related("letters", "contacts")
        .get(pk=case.pk)
    )
    meetings = PartnerMeeting.objects.filter(case=case).order_by("-held_on")
    evaluations = Evaluation.objects.filter(case=case).order_by("-held_on")
    adopted = (
        PlanVersion.objects.filter(case=case, adopted_at__isnull=False)
        .order_by("-adopted_at")
        .first()
    )
    contact = LogEntry.objects.filter(case=case, kind__in=CONTACT_KINDS).order_by("-at").first()
    assigned_on = dues.local_date(case.base_file_assigned_at)
    last_uvo = meetings[0].held_on if meetings else None
    quiet = dues.is_quiet(
        phase=case.phase,
        is_dormant=case.is_dormant,
        detained=case.subject.is_detained(today),
        abroad=case.subject.abroad,
    )
    return {
        "letter_open": not letter_status(case).complete,
        "letter": letter_due(case),
        "concept_plan": dues.concept_plan_due(phase=case.phase, assigned_on=assigned_on),
        "uvo": dues.uvo_due(last_uvo=last_uvo, assigned_on=assigned_on),
        "evaluation": dues.evaluation_due(
            last_evaluation=evaluations[0].held_on if evaluations else None,
            adopted_on=dues.local_date(adopted.adopted_at) if adopted else None,
            interval_weeks=case.evaluation_interval_weeks,
        ),
        "quiet": quiet,
        "no_contact": dues.no_contact_due(
            quiet=quiet,
            last_contact_on=dues.local_date(contact.at) if contact else None,
            admitted_on=dues.local_date(case.admitted_at),
            weeks=weeks,
        ),
    }


def _database_faces(today: date, weeks: int) -> dict[int, dict]:
    """Every rule for every case, from the rows of the sweep's one statement."""
    faces = {}
    for values in case_values(today):
        row = dict(zip(CASE_VALUES, values, strict=True))
        faces[row["pk"]] = {
            "letter_open": row["letters_open"],
            "letter": dues.letter_due(row["admitted_on"]),
            "concept_plan": dues.concept_plan_due(
                phase=row["phase"], assigned_on=row["assigned_on"]
            ),
            "uvo": dues.uvo_due(last_uvo=row["last_uvo"], assigned_on=row["assigned_on"]),
            "evaluation": dues.evaluation_due(
                last_evaluation=row["last_evaluation"],
                adopted_on=row["adopted_on"],
                interval_weeks=row["evaluation_interval_weeks"],
            ),
            "quiet": row["quiet"],
            "no_contact": dues.no_contact_due(
                quiet=row["quiet"],
                last_contact_on=row["last_contact_on"],
                admitted_on=row["admitted_on"],
                weeks=weeks,
            ),
        }
    return faces


def _letter(case: Case, kind: str, name: str, *, sent: bool) -> None:
    Letter.objects.update_or_create(
        case=case,
        recipient_kind=kind,
        recipient_name=name,
        defaults={
            "template_version": "test",
            "address": "Adres",
            "created_by": case.regisseur,
            "dispatched_on": DAY_ZERO if sent else None,
            "method": DispatchMethod.POST if sent else "",
        },
    )


# One variation per step: applied to one of the cases, in order, each on top of the last.
def _variations(cases: list[Case]):
    a, b, c, d = cases
    late = datetime(2027, 3, 27, 23, 30, tzinfo=AMSTERDAM)  # 22:30 UTC: the day before DST
    midnight = datetime(2027, 2, 1, 0, 30, tzinfo=AMSTERDAM)  # 31 January in UTC

    def admitted_late():
        Case.objects.filter(pk=a.pk).update(admitted_at=late, base_file_assigned_at=midnight)

    def full_name_letter_sent():
        subject = Person.objects.get(pk=a.subject_id)
        _letter(a, LetterRecipientKind.SUBJECT, subject.full_name, sent=True)

    def letter_made_not_sent():
        subject = Person.objects.get(pk=b.subject_id)
        _letter(b, LetterRecipientKind.SUBJECT, subject.full_name, sent=False)

    def detained_now():
        Person.objects.filter(pk=a.subject_id).update(
            detained_from=DAY_ZERO - timedelta(days=3), detained_until=None
        )

    def institution_letter_sent():
        subject = Person.objects.get(pk=a.subject_id)
        _letter(a, LetterRecipientKind.INSTITUTION, subject.full_name, sent=True)

    def detention_ended_yesterday():
        Person.objects.filter(pk=a.subject_id).update(detained_until=DAY_ZERO - timedelta(days=1))

    def detention_ends_today():
        Person.objects.filter(pk=a.subject_id).update(detained_until=DAY_ZERO)

    def minor_with_representatives():
        Person.objects.filter(pk=c.subject_id).update(date_of_birth=date(2012, 3, 2))
        subject = Person.objects.get(pk=c.subject_id)
        _letter(c, LetterRecipientKind.SUBJECT, subject.full_name, sent=True)
        for kind, name, legal in [
            (ContactKind.PARENT, "Ilse Vredeveld", True),
            (ContactKind.GUARDIAN, "Stichting Jeugdbescherming", True),
            (ContactKind.PARENT, "Ruud Vredeveld", False),
        ]:
            Contact.objects.create(
                case=c, kind=kind, name=name, address="Straat 1", is_legal_representative=legal
            )

    def one_representative_informed():
        _letter(c, LetterRecipientKind.REPRESENTATIVE, "Ilse Vredeveld", sent=True)

    def both_representatives_informed():
        _letter(c, LetterRecipientKind.REPRESENTATIVE, "Stichting Jeugdbescherming", sent=True)

    def eighteen_today():
        Person.objects.filter(pk=c.subject_id).update(date_of_birth=date(2009, 3, 1))

    def eighteen_tomorrow():
        Person.objects.filter(pk=c.subject_id).update(date_of_birth=date(2009, 3, 2))
        Letter.objects.filter(case=c, recipient_name="Stichting Jeugdbescherming").delete()

    def family_approach():
        Case.objects.filter(pk=d.pk).update(family_approach=True)
        subject = Person.objects.get(pk=d.subject_id)
        _letter(d, LetterRecipientKind.SUBJECT, subject.full_name, sent=True)
        Contact.objects.create(case=d, kind=ContactKind.FAMILY, name="Oom Henk", address="")
        Contact.objects.create(case=d, kind=ContactKind.FAMILY, name="Tante Ria", address="Weg 2")

    def family_informed():
        _letter(d, LetterRecipientKind.FAMILY, "Tante Ria", sent=True)

    def letter_to_someone_else_of_that_name():
        _letter(d, LetterRecipientKind.REPRESENTATIVE, "Oom Henk", sent=True)

    def abroad_and_dormant():
        Person.objects.filter(pk=b.subject_id).update(abroad=True)
        Case.objects.filter(pk=c.pk).update(is_dormant=True)

    def home_again():
        Person.objects.filter(pk=b.subject_id).update(abroad=False)
        Case.objects.filter(pk=c.pk).update(is_dormant=False)

    def contacts_logged():
        # A contact late at night counts from its local date; an attempt does not count.
        for case, at, kind in [
            (a, late, LogKind.PHONE),
            (b, midnight, LogKind.FACE_TO_FACE),
            (d, late + timedelta(days=1), LogKind.ATTEMPT),
        ]:
            LogEntry.objects.create(case=case, author=case.regisseur, kind=kind, text="x", at=at)

    def uvo_and_evaluation():
        for case, held in [(b, DAY_ZERO - timedelta(days=10)), (d, date(2027, 3, 28))]:
            PartnerMeeting.objects.create(
                case=case,
                held_on=held,
                participants="Regisseur",
                notes="Besproken.",
                recorded_by=case.regisseur,
            )
        Evaluation.objects.filter(case=c).update(held_on=date(2027, 1, 31))

    def adopted_late_at_night():
        PlanVersion.objects.filter(case=d, adopted_at__isnull=False).update(adopted_at=late)
        Evaluation.objects.filter(case=d).delete()

    def other_phases():
        Case.objects.filter(pk=a.pk).update(phase="concept_plan")
        Case.objects.filter(pk=b.pk).update(phase="opgenomen", base_file_assigned_at=None)
        PartnerMeeting.objects.filter(case=b).delete()
        Case.objects.filter(pk=d.pk).update(evaluation_interval_weeks=6)

    return [
        admitted_late,
        full_name_letter_sent,
        letter_made_not_sent,
        detained_now,
        institution_letter_sent,
        detention_ended_yesterday,
        detention_ends_today,
        minor_with_representatives,
        one_representative_informed,
        both_representatives_informed,
        eighteen_today,
        eighteen_tomorrow,
        family_approach,
        family_informed,
        letter_to_someone_else_of_that_name,
        abroad_and_dormant,
        home_again,
        contacts_logged,
        uvo_and_evaluation,
        adopted_late_at_night,
        other_phases,
    ]


def test_every_rule_gives_the_same_date_for_one_case_and_for_all_cases(time_machine):
    on(time_machine, DAY_ZERO - timedelta(days=60))
    cases = [
        CaseFactory(),
        CaseFactory(concept_plan=True),
        CaseFactory(in_execution=True),
        CaseFactory(adopted=True),
    ]
    today = on(time_machine, DAY_ZERO)
    weeks = 6
    compared = 0
    some, none = set(), set()
    for step in [lambda: None, *_variations(cases)]:
        step()
        database = _database_faces(today, weeks)
        for case in cases:
            python = _python_faces(case, today, weeks)
            assert python == database[case.pk], (getattr(step, "__name__", ""), case.pk)
            compared += 1
            some.update(key for key, value in python.items() if value)
            none.update(key for key, value in python.items() if not value)
    # The variations reach every rule both ways: a deadline, and none.
    rules = {"letter_open", "concept_plan", "uvo", "evaluation", "no_contact", "quiet"}
    assert some >= rules | {"letter"}
    assert none >= rules
    print(f"cases/dues: Python and SQL agreed on {compared} case states × 7 rules")
