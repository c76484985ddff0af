"""Reads in intake, always filtered by who is asking."""

from dataclasses import dataclass
from datetime import date, timedelta
from difflib import SequenceMatcher

from django.db import connection
from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from intake.constants import OPEN_STATUSES, ReportStatus
from intake.models import (
    Advice,
    Assessment,
    FrameworkQuestion,
    InformationRequest,
    Report,
    ReportPerson,
)
from intake.permissions import reports_visible_to
from ipgar.accounts.models import User
from ipgar.lib.search import SearchTerms, person_q
from ipgar.lib.text import fold, name_key


def report_list_for_user(
    user: User,
    *,
    status: str = "",
    urgency: str = "",
    min_age_days: int | None = None,
    include_closed: bool = False,
    today: date | None = None,
) -> QuerySet[Report]:
    """Reports the user may see, oldest first, with what the list shows in fixed queries."""
    today = today or timezone.localdate()
    reports = reports_visible_to(user)
    if status:
        reports = reports.filter(status=status)
    elif not include_closed:
        reports = reports.filter(status__in=OPEN_STATUSES)
    if urgency:
        reports = reports.filter(urgency=urgency)
    if min_age_days:
        reports = reports.filter(received_at__date__lte=today - timedelta(days=min_age_days))
    return (
        reports.annotate(
            open_requests=Count(
                "information_requests",
                filter=Q(information_requests__answered_on__isnull=True),
                distinct=True,
            ),
            overdue_requests=Count(
                "information_requests",
                filter=Q(
                    information_requests__answered_on__isnull=True,
                    information_requests__due_on__lt=today,
                ),
                distinct=True,
            ),
        )
        .prefetch_related(Prefetch("persons", queryset=ReportPerson.objects.order_by("pk")))
        .order_by("received_at", "pk")
    )


def report_detail_data(report: Report) -> dict:
    """Everything the detail page shows about one report, in a fixed number of queries."""
    persons = list(report.persons.order_by("pk"))
    requests = list(
        report.information_requests.select_related("organisation", "requested_by").order_by(
            "answered_on", "due_on", "pk"
        )
    )
    checks = list(report.approach_checks.select_related("checked_by"))
    person_checks = list(
        report.person_checks.select_related("checked_by", "matched_report").order_by("checked_at")
    )
    assessment = (
        Assessment.objects.select_related("framework_version").filter(report=report).first()
    )
    advice = Advice.objects.select_related("best_cards", "advised_by").filter(report=report).first()
    scores = list(assessment.domain_scores.all()) if assessment else []
    return {
        "persons": persons,
        "requests": requests,
        "checks": checks,
        "person_checks": person_checks,
        "assessment": assessment,
        "advice": advice,
        "scores": scores,
    }


def framework_questions(version_id: int) -> list[FrameworkQuestion]:
    return list(
        FrameworkQuestion.objects.filter(section__version_id=version_id)
        .select_related("section")
        .order_by("section__order", "order", "pk")
    )


def overdue_information_requests(today: date | None = None) -> QuerySet[InformationRequest]:
    today = today or timezone.localdate()
    return InformationRequest.objects.filter(answered_on__isnull=True, due_on__lt=today)


# --- The known-person check -----------------------------------------------------------------


@dataclass(frozen=True)
class PersonMatch:
    person: ReportPerson
    score: float
    reasons: tuple[str, ...]

    @property
    def percentage(self) -> int:
        return round(self.score * 100)


MATCH_THRESHOLD = 0.6
CANDIDATE_LIMIT = 200


def person_matches(
    *,
    bsn: str = "",
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
    exclude_report_id: int | None = None,
    limit: int = 20,
) -> list[PersonMatch]:
    """Persons in earlier reports that may be the same person, best match first.

    An exact BSN match ranks first; names are compared folded (case, spaces, diacritics,
    doubled letters): trigram similarity on PostgreSQL, a normalised comparison on SQLite.
    """
    key = name_key(first_name, last_name)
    last_key = name_key(last_name)
    criteria = Q(pk__in=[])
    if bsn:
        criteria |= Q(bsn=bsn)
    if key:
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import TrigramSimilarity

            similar = (
                ReportPerson.objects.annotate(sim=TrigramSimilarity("name_key", key))
                .filter(sim__gte=0.3)
                .values("pk")
            )
            criteria |= Q(pk__in=similar)
        criteria |= Q(name_key=key)
        if last_key:
            criteria |= Q(name_key__contains=last_key)
    if date_of_birth and key:
        criteria |= Q(date_of_birth=date_of_birth, name_key__startswith=key[:3])
    candidates = ReportPerson.objects.filter(criteria).select_related("report")
    if exclude_report_id:
        candidates = candidates.exclude(report_id=exclude_report_id)
    # Only CANDIDATE_LIMIT candidates are scored: exact BSN and name matches must be among them.
    exact = [When(bsn=bsn, then=Value(0))] if bsn else []
    exact += [When(name_key=key, then=Value(1))] if key else []
    if exact:
        candidates = candidates.order_by(Case(*exact, default=Value(2)), "pk")
    matches = []
    for person in candidates[:CANDIDATE_LIMIT]:
        reasons = []
        if bsn and person.bsn == bsn:
            matches.append(PersonMatch(person, 1.0, ("BSN gelijk",)))
            continue
        name_score = SequenceMatcher(None, key, person.name_key).ratio() if key else 0.0
        score = name_score * 0.85
        if name_score >= 0.999:
            reasons.append("naam gelijk (spelling genegeerd)")
        elif name_score:
            reasons.append(f"naam lijkt {round(name_score * 100)}%")
        if date_of_birth and person.date_of_birth:
            if person.date_of_birth == date_of_birth:
                score += 0.15
                reasons.append("geboortedatum gelijk")
            else:
                score -= 0.2
                reasons.append("geboortedatum verschilt")
        if score >= MATCH_THRESHOLD:
            matches.append(PersonMatch(person, min(score, 0.99), tuple(reasons)))
    matches.sort(key=lambda m: (-m.score, fold(m.person.display_name)))
    return matches[:limit]


def status_counts_for_user(user: User) -> dict[str, int]:
    rows = reports_visible_to(user).values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in rows}
    return {status: counts.get(status, 0) for status in ReportStatus.values}


# --- The search box -------------------------------------------------------------------------


def report_search(user: User, terms: SearchTerms, *, limit: int) -> list[Report]:
    """Reports the user may see (the list's queryset) whose number or persons match; each with
    `matched_persons`, the persons the terms found (all persons for a number search). Returns at
    most `limit + 1` rows so the caller can say there are more without counting them."""
    reports = reports_visible_to(user)
    if terms.reference_kind == "M":
        reports = reports.filter(pk=terms.reference_pk)
        persons = ReportPerson.objects.order_by("pk")
    elif (criteria := person_q(terms)) is not None:
        persons = ReportPerson.objects.filter(criteria).order_by("pk")
        reports = reports.filter(pk__in=persons.values("report_id"))
    else:
        return []
    found = list(
        reports.prefetch_related(
            Prefetch("persons", queryset=persons, to_attr="matched_persons")
        ).order_by("-received_at", "-pk")[: limit + 1]
    )
    # A number names one report: C2025-00012 is not C2026-00012.
    return [r for r in found if not terms.reference or r.reference == terms.reference]
