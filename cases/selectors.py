"""Reads in cases, always filtered by who is asking, in a fixed number of queries."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from cases import dues as rules
from cases.constants import (
    ACTIVE_PHASES,
    CONTACT_KINDS,
    DUE_CONCEPT_PLAN,
    DUE_EVALUATION,
    DUE_UVO,
    CasePhase,
    PlanStatus,
    UvoStatus,
)
from cases.models import (
    Agreement,
    BaseFile,
    Case,
    DirectoryEntry,
    DomainScore,
    Evaluation,
    Intervention,
    LogEntry,
    PartnerMeeting,
    PlanVersion,
    SubjectLink,
)
from cases.permissions import cases_visible_to, partner_interventions
from ipgar.accounts.constants import CASES_PER_FTE, Role
from ipgar.accounts.models import User
from ipgar.lib.http import page_param
from ipgar.lib.search import SearchTerms, person_q

LOGBOOK_PAGE_SIZE = 25
CASE_LIST_PAGE_SIZE = 50


@dataclass(frozen=True)
class Due:
    kind: str  # DUE_* in cases.constants; the reminders use the same codes
    label: str
    due: date

    def days_left(self, today: date | None = None) -> int:
        return (self.due - (today or timezone.localdate())).days

    @property
    def overdue(self) -> bool:
        return self.days_left() < 0


def case_dues(
    case: Case, *, last_uvo: date | None, last_evaluation: date | None, adopted_on: date | None
) -> list[Due]:
    """What is due on a case, derived from its data (never stored), soonest first."""
    dues = []
    if case.phase == CasePhase.CLOSED:
        return dues
    assigned = rules.local_date(case.base_file_assigned_at)
    if concept := rules.concept_plan_due(phase=case.phase, assigned_on=assigned):
        dues.append(Due(DUE_CONCEPT_PLAN, "Concept plan van aanpak naar het ITAT-R", concept))
    if uvo := rules.uvo_due(last_uvo=last_uvo, assigned_on=assigned):
        label = "Uitvoerdersoverleg (UVO)" if last_uvo else "Eerste UVO, vóór het ITAT-R"
        dues.append(Due(DUE_UVO, label, uvo))
    if evaluation := rules.evaluation_due(
        last_evaluation=last_evaluation,
        adopted_on=adopted_on,
        interval_weeks=case.evaluation_interval_weeks,
    ):
        dues.append(Due(DUE_EVALUATION, "Evaluatie", evaluation))
    return sorted(dues, key=lambda d: d.due)


def activity_annotations() -> dict:
    """Last contact, UVO, evaluation and adoption per case, as correlated subqueries (one join
    per relation would multiply the rows of long logbooks)."""
    return {
        "last_contact": rules.LAST_CONTACT,
        "last_uvo": rules.LAST_UVO,
        "last_evaluation": rules.LAST_EVALUATION,
        "adopted_at": rules.ADOPTED_AT,
    }


def case_list_for_user(
    user: User, *, phase: str = "", include_closed: bool = False, query: str = ""
) -> QuerySet[Case]:
    cases = cases_visible_to(user)
    if phase:
        cases = cases.filter(phase=phase)
    elif not include_closed:
        cases = cases.filter(phase__in=ACTIVE_PHASES)
    if query:
        from ipgar.lib.text import name_key

        cases = cases.filter(
            Q(subject__name_key__contains=name_key(query))
            | Q(subject__aliases__icontains=query.strip())
        )
    return (
        cases.select_related("subject", "organisation", "regisseur")
        .annotate(**activity_annotations())
        .order_by("subject__last_name", "subject__first_name", "pk")
    )


@dataclass(frozen=True)
class ListPage:
    """One page of a list without COUNT(*): a regisseur may hold thousands of cases, and
    counting them all on every page costs more than showing fifty (issue 10)."""

    items: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * CASE_LIST_PAGE_SIZE + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.items) - 1 if self.items else 0


def list_page(queryset, page: object, size: int = CASE_LIST_PAGE_SIZE) -> ListPage:
    """Rows of page `page` (1-based; rubbish means 1), fetched with one row extra to know
    whether a next page exists."""
    number = page_param(page)
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return ListPage(items=rows[:size], number=number, has_next=len(rows) > size)


def with_dues(cases) -> list[dict]:
    """Rows for 'Mijn casussen': each case with its next deadline and days since contact."""
    today = timezone.localdate()
    rows = []
    for case in cases:
        dues = case_dues(
            case,
            last_uvo=case.last_uvo,
            last_evaluation=case.last_evaluation,
            adopted_on=timezone.localdate(case.adopted_at) if case.adopted_at else None,
        )
        rows.append(
            {
                "case": case,
                "dues": dues,
                "next_due": dues[0] if dues else None,
                "days_since_contact": (today - timezone.localdate(case.last_contact)).days
                if case.last_contact
                else None,
                "next_uvo": next((d for d in dues if d.kind == DUE_UVO), None),
                "next_evaluation": next((d for d in dues if d.kind == DUE_EVALUATION), None),
            }
        )
    return rows


def logbook_page(case: Case, *, page: object = 1, kind: str = "", query: str = "") -> Page:
    entries = LogEntry.objects.filter(case=case).select_related(
        "author", "intervention__catalogue_entry", "corrects"
    )
    if kind:
        entries = entries.filter(kind=kind)
    if query:
        entries = entries.filter(text__icontains=query)
    return Paginator(entries.order_by("-at", "-pk"), LOGBOOK_PAGE_SIZE).get_page(page)


def logbook_stats(case: Case) -> dict:
    """The logbook's size and the last real contact, for the case page's header."""
    stats = case.log_entries.aggregate(
        last_contact=Max("at", filter=Q(kind__in=CONTACT_KINDS)), log_total=Count("pk")
    )
    return {"last_contact": stats["last_contact"], "log_total": stats["log_total"]}


def case_page_data(case: Case) -> dict:
    """Everything the case page shows besides the logbook, in a fixed number of queries."""
    interventions = list(
        case.interventions.select_related(
            "catalogue_entry", "owner_organisation", "owner", "goal"
        ).order_by("planned_start", "pk")
    )
    plans = list(
        PlanVersion.objects.filter(case=case).select_related("accorded_by").order_by("-number")
    )
    meetings = list(
        case.partner_meetings.prefetch_related("agreements")
        .exclude(status=UvoStatus.CANCELLED)
        .order_by("-held_on")[:5]
    )
    held = [m for m in meetings if m.status == UvoStatus.HELD]
    evaluations = list(case.evaluations.prefetch_related("domain_scores").order_by("-held_on")[:5])
    stats = logbook_stats(case)
    adopted = next((p.adopted_at for p in plans if p.adopted_at), None)
    dues = case_dues(
        case,
        last_uvo=held[0].held_on if held else None,
        last_evaluation=evaluations[0].held_on if evaluations else None,
        adopted_on=timezone.localdate(adopted) if adopted else None,
    )
    from cases.letters import letter_due, letter_status

    return {
        "letters": letter_status(case),
        "letter_due": letter_due(case),
        "goals": list(case.goals.order_by("life_domain", "pk")),
        "interventions": interventions,
        "plans": plans,
        "concept": next((p for p in plans if p.status == PlanStatus.CONCEPT), None),
        "advised": next((p for p in plans if p.status == PlanStatus.ADVISED), None),
        "contacts": list(case.contacts.all()),
        "meetings": meetings,
        "evaluations": evaluations,
        "proposals": list(case.proposals.select_related("handover_organisation")),
        "dues": dues,
        **stats,
    }


def linked_cases(case: Case) -> list[dict]:
    """For each linked subject: the name and the regisseur of their active case (no file)."""
    subject = case.subject
    others = {}
    links = SubjectLink.objects.filter(Q(from_subject=subject) | Q(to_subject=subject))
    for link in links.select_related("from_subject", "to_subject"):
        other_id = (
            link.to_subject_id if link.from_subject_id == subject.pk else link.from_subject_id
        )
        others[other_id] = link
    if not others:
        return []
    other_cases = Case.objects.filter(
        subject_id__in=others, phase__in=ACTIVE_PHASES
    ).select_related("subject", "regisseur", "organisation")
    by_subject = {c.subject_id: c for c in other_cases}
    return [
        {"link": link, "case": by_subject.get(subject_id)} for subject_id, link in others.items()
    ]


def caseload(*, organisation_id: int | None = None) -> list[dict]:
    """Active cases per regisseur against capacity (fte × 15), by phase."""
    counts = (
        Case.objects.filter(phase__in=ACTIVE_PHASES)
        .values("regisseur_id", "phase")
        .annotate(n=Count("pk"))
    )
    per_user: dict[int, dict[str, int]] = {}
    for row in counts:
        per_user.setdefault(row["regisseur_id"], {})[row["phase"]] = row["n"]
    regisseurs = (
        User.objects.filter(groups__name=Role.REGISSEUR, is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "last_name")
    )
    if organisation_id:
        regisseurs = regisseurs.filter(organisation_id=organisation_id)
    rows = []
    for user in regisseurs:
        phases = per_user.get(user.pk, {})
        active = sum(phases.values())
        capacity = round(user.fte * CASES_PER_FTE)
        rows.append(
            {
                "user": user,
                "active": active,
                "capacity": capacity,
                "phases": phases,
                "load": round(100 * active / capacity) if capacity else None,
            }
        )
    return rows


def open_agreements_for_user(user: User) -> QuerySet[Agreement]:
    return (
        Agreement.objects.filter(owner=user, done_on__isnull=True)
        .select_related("meeting__case")
        .order_by("due_on")
    )


def partner_intervention_list(user: User) -> QuerySet[Intervention]:
    return (
        partner_interventions(user)
        .select_related("case__subject", "catalogue_entry", "owner_organisation")
        .order_by("planned_start", "pk")
    )


def plan_diff(previous: dict | None, current: dict) -> dict:
    """What changed between two plan snapshots: goals and interventions added and removed."""

    def keyed(snapshot, part):
        return {item["id"]: item for item in (snapshot or {}).get(part, [])}

    diff = {}
    for part in ("goals", "interventions"):
        before, after = keyed(previous, part), keyed(current, part)
        diff[part] = {
            "added": [after[k] for k in after.keys() - before.keys()],
            "removed": [before[k] for k in before.keys() - after.keys()],
            "changed": [after[k] for k in after.keys() & before.keys() if after[k] != before[k]],
        }
    for part in ("scenario_short", "scenario_long"):
        diff[part] = (previous or {}).get(part) != current.get(part)
    return diff


# --- The search box -------------------------------------------------------------------------


def case_search(user: User, terms: SearchTerms, *, limit: int) -> list[Case]:
    """Cases the user may see (the case list's queryset) whose number or subject matches: name,
    alias, date of birth or BSN. At most `limit + 1` rows, so the caller can say there are more."""
    if terms.reference_kind == "C":
        criteria = Q(pk=terms.reference_pk)
    elif (criteria := person_q(terms, "subject__", aliases=True)) is None:
        return []
    found = list(
        cases_visible_to(user)
        .filter(criteria)
        .select_related("subject", "organisation", "regisseur")
        .order_by("subject__last_name", "subject__first_name", "-admitted_at", "pk")[: limit + 1]
    )
    return [c for c in found if not terms.reference or c.reference == terms.reference]


def partner_intervention_search(
    user: User, terms: SearchTerms, *, limit: int
) -> list[Intervention]:
    """For an intervention partner: their own interventions, found by the subject's name or date
    of birth only, the minimum they see to identify the person (no BSN, no aliases)."""
    criteria = person_q(terms, "case__subject__", bsn=False)
    if criteria is None:
        return []
    return list(
        partner_interventions(user)
        .filter(criteria)
        .select_related("case__subject", "catalogue_entry")
        .order_by("case__subject__last_name", "planned_start", "pk")[: limit + 1]
    )


# --- The case summary -------------------------------------------------------------------------

SUMMARY_LOG_ENTRIES = 10


def case_summary_data(case: Case) -> dict:
    """What the regisseur takes to a partner meeting, in a fixed number of queries: identity,
    phase, domain scores (base file and latest evaluation), goals with their interventions,
    the latest logbook entries, contacts, open agreements and what is due next."""
    base_file = BaseFile.objects.filter(case=case).first()
    base_scores = list(DomainScore.objects.filter(base_file__case=case).order_by("domain"))
    evaluation = Evaluation.objects.filter(case=case).order_by("-held_on", "-pk").first()
    evaluation_scores = (
        list(DomainScore.objects.filter(evaluation=evaluation).order_by("domain"))
        if evaluation
        else []
    )
    latest = {score.domain: score for score in evaluation_scores}
    scores = [
        {"base": score, "latest": latest.pop(score.domain, None)} for score in base_scores
    ] + [{"base": None, "latest": score} for score in latest.values()]

    interventions = list(
        case.interventions.select_related(
            "catalogue_entry", "owner_organisation", "owner"
        ).order_by("planned_start", "pk")
    )
    goals = list(case.goals.filter(is_active=True).order_by("life_domain", "pk"))
    for goal in goals:
        goal.plan_interventions = [i for i in interventions if i.goal_id == goal.pk]
    active_goals = {goal.pk for goal in goals}
    plans = list(PlanVersion.objects.filter(case=case).order_by("-number"))
    adopted = next((p for p in plans if p.adopted_at), None)
    last_uvo = (
        PartnerMeeting.objects.filter(case=case)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    agreements = list(
        Agreement.objects.filter(meeting__case=case, done_on__isnull=True)
        .select_related("owner", "meeting")
        .order_by("due_on", "pk")
    )
    return {
        "base_file": base_file,
        "scores": scores,
        "evaluation": evaluation,
        "goals": goals,
        "loose_interventions": [i for i in interventions if i.goal_id not in active_goals],
        "plan": plans[0] if plans else None,
        "adopted_plan": adopted,
        "log_entries": list(
            LogEntry.objects.filter(case=case)
            .select_related("author", "intervention__catalogue_entry")
            .order_by("-at", "-pk")[:SUMMARY_LOG_ENTRIES]
        ),
        "contacts": list(case.contacts.all()),
        "last_uvo": last_uvo,
        "agreements": agreements,
        "dues": case_dues(
            case,
            last_uvo=last_uvo,
            last_evaluation=evaluation.held_on if evaluation else None,
            adopted_on=timezone.localdate(adopted.adopted_at) if adopted else None,
        ),
        **logbook_stats(case),
    }


def directory_search(query: str = "") -> QuerySet[DirectoryEntry]:
    """The directory, active entries, found by name, organisation, district or role."""
    entries = DirectoryEntry.objects.filter(is_active=True).select_related("organisation")
    if query:
        entries = entries.filter(
            Q(name__icontains=query)
            | Q(organisation__name__icontains=query)
            | Q(organisation__code__iexact=query)
            | Q(district__icontains=query)
            | Q(role__icontains=query)
        )
    return entries


def planned_uvos_for_user(user: User) -> QuerySet[PartnerMeeting]:
    """The planned UVOs a user is invited to (Mijn werk), soonest first."""
    return (
        PartnerMeeting.objects.filter(status=UvoStatus.PLANNED, starts_at__gte=timezone.now())
        .filter(Q(invited_users=user) | Q(invitees__user=user) | Q(case__regisseur=user))
        .select_related("case", "case__regisseur")
        .distinct()
        .order_by("starts_at")
    )


# --- Choosing a regisseur (issue 17): one label for the admission and the reassignment --------
# Open agenda items live in `meetings`, above this app: it registers its count here (apps.py).
_open_item_counters: list[Callable[[], dict[int, int]]] = []


def register_open_item_counter(counter: Callable[[], dict[int, int]]) -> None:
    """`counter()` answers {regisseur pk: open agenda items}; registered once by `meetings`."""
    if counter not in _open_item_counters:
        _open_item_counters.append(counter)


def regisseur_choices() -> list[tuple[int, str, int]]:
    """(pk, label, organisation pk) per active regisseur: organisation, caseload against the
    norm (fte × 15) and open agenda items, so whoever chooses sees who has room."""
    open_items: dict[int, int] = {}
    for counter in _open_item_counters:
        for pk, n in counter().items():
            open_items[pk] = open_items.get(pk, 0) + n
    rows = []
    for row in caseload():
        user = row["user"]
        items = open_items.get(user.pk, 0)
        label = (
            f"{user.get_full_name()} ({user.organisation.name if user.organisation_id else '-'})"
            f" · caseload {row['active']}/{row['capacity']}"
            f" · {items} open agendapunt{'en' if items != 1 else ''}"
        )
        rows.append((user.pk, label, user.organisation_id or 0))
    return rows
