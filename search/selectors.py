"""The search box: one question to every app, each answering through its own visibility
queryset (the same the lists use), so a search finds nothing a user may not open.

A fixed number of queries whatever the amount of data: one per kind of result (and one prefetch
for the persons of reports); each kind is cut off at RESULT_LIMIT without counting the rest.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from cases.selectors import case_search, partner_intervention_search
from intake.selectors import report_search
from ipgar.accounts.models import User
from ipgar.lib.search import SearchTerms
from meetings.selectors import meeting_search

RESULT_LIMIT = 25


@dataclass(frozen=True)
class Hit:
    label: str
    url: str
    detail: str = ""
    # Who the hit is about, by reference: the access log records it, never the typed terms.
    subject_ref: str = ""


@dataclass
class Group:
    key: str
    title: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # more than RESULT_LIMIT matched: refine the search


def _dob(value) -> str:
    return f"geboren {value:%d-%m-%Y}" if value else "geboortedatum onbekend"


def _cut(rows: list) -> tuple[list, bool]:
    return rows[:RESULT_LIMIT], len(rows) > RESULT_LIMIT


def search_for_user(user: User, terms: SearchTerms) -> list[Group]:
    """Results grouped by kind, in a fixed order; groups without hits are left out."""
    if not terms.is_valid:
        return []
    cases, more_cases = _cut(case_search(user, terms, limit=RESULT_LIMIT))
    reports, more_reports = _cut(report_search(user, terms, limit=RESULT_LIMIT))
    meetings, more_meetings = _cut(meeting_search(user, terms, limit=RESULT_LIMIT))
    interventions, more_interventions = _cut(
        partner_intervention_search(user, terms, limit=RESULT_LIMIT)
    )

    persons = Group("personen", "Personen")
    if terms.finds_persons:
        seen_subjects = set()
        for case in cases:
            if case.subject_id in seen_subjects:
                continue
            seen_subjects.add(case.subject_id)
            subject = case.subject
            persons.hits.append(
                Hit(
                    subject.full_name,
                    reverse("cases:case_detail", args=[case.pk]),
                    f"persoon in de aanpak · {_dob(subject.date_of_birth)} · "
                    f"casus {case.reference}",
                    f"subject:{case.subject_id}",
                )
            )
        for report in reports:
            for person in report.matched_persons:
                persons.hits.append(
                    Hit(
                        person.display_name,
                        reverse("intake:report_detail", args=[report.pk]),
                        f"persoon in melding {report.reference} · {_dob(person.date_of_birth)}",
                        f"report-person:{person.pk}",
                    )
                )
        persons.more = more_cases or more_reports

    groups = [
        persons,
        Group(
            "casussen",
            "Casussen",
            [
                Hit(
                    f"Casus {case.reference}: {case.subject.full_name}",
                    reverse("cases:case_detail", args=[case.pk]),
                    f"{case.get_phase_display()} · regisseur {case.regisseur}",
                    f"subject:{case.subject_id}",
                )
                for case in cases
            ],
            more_cases,
        ),
        Group(
            "meldingen",
            "Meldingen",
            [
                Hit(
                    f"Melding {report.reference}",
                    reverse("intake:report_detail", args=[report.pk]),
                    f"{report.get_status_display()} · over "
                    + (", ".join(p.display_name for p in report.matched_persons) or "onbekend"),
                    f"report:{report.pk}",
                )
                for report in reports
            ],
            more_reports,
        ),
        Group(
            "interventies",
            "Mijn interventies",
            [
                Hit(
                    f"{intervention.catalogue_entry}: {intervention.case.subject.full_name}",
                    reverse("cases:partner_intervention", args=[intervention.pk]),
                    intervention.get_status_display(),
                )
                for intervention in interventions
            ],
            more_interventions,
        ),
        Group(
            "overleggen",
            "Overleggen",
            [
                Hit(
                    f"{meeting.body.name} van "
                    f"{timezone.localtime(meeting.starts_at):%d-%m-%Y %H:%M}",
                    reverse("meetings:meeting_detail", args=[meeting.pk]),
                    meeting.get_status_display(),
                )
                for meeting in meetings
            ],
            more_meetings,
        ),
    ]
    return [group for group in groups if group.hits]
