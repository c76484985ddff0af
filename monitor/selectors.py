"""Every figure of the monitor for a period and the one before it, as aggregates only.

`monitor_data(period)` is the one entry point (the views, the exports and the benchmark call
it). It returns plain data: tables of counts with small cells already suppressed, lead-time
statistics, shares and charts' series. Nothing in it names a person or a professional.

The cold path runs a fixed number of queries whatever the amount of data; the warm path is one
query (the data version) plus a cache hit.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, Min, OuterRef, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from cases.constants import (
    CONTACT_KINDS,
    CasePhase,
    ClosureReason,
    GoalResult,
    InterventionCategory,
    InterventionStatus,
    LinkKind,
    SpecialIntervention,
    UvoStatus,
)
from cases.models import (
    Case,
    DomainScore,
    Intervention,
    LogEntry,
    PartnerMeeting,
    Subject,
    SubjectLink,
)
from intake.constants import (
    AdviceKind,
    Channel,
    Gender,
    Ideology,
    LifeDomain,
    NotAdmittedReason,
    ReporterKind,
    ReportStatus,
    RiskGroup,
    TriageOutcome,
)
from intake.models import Report
from ipgar.accounts.constants import CASES_PER_FTE, Role
from ipgar.accounts.models import User
from monitor import sql
from monitor.disclosure import protect
from monitor.periods import Period
from monitor.privacy import k_threshold, suppress_column, suppress_value

CACHE_SECONDS = 60 * 60
DEFAULT_GAP_WEEKS = 6
UNKNOWN = "Onbekend"
OTHER_PLACES = "Overige woonplaatsen"
AGE_BANDS = ["Jonger dan 18", "18 tot en met 23", "24 tot en met 30", "31 en ouder", UNKNOWN]
PERIOD_KEYS = ("cur", "prev")
# A life domain has a problem when its ZRM score is 1 to 3 (acute, not or limited
# self-reliant); 4 and 5 are self-reliant.
PROBLEM_SCORE = 3
NO_PROBLEMS = "Geen problemen op enig leefgebied (alle scores 4 of 5)"
# Statistics of a span table (a table whose rows are persons with a lead time): no mean here,
# only the percentiles the programme evaluation reads, and never a minimum or maximum.
SPAN_STATS = ("p10", "median", "p90")


# --- Building blocks ---------------------------------------------------------------------------


def _table(key: str, title: str, dimension: str, labels: list[str], counts: dict, k: int) -> dict:
    """A one-dimensional table: one row per label, a column per period, each column with its
    total and suppressed on its own (the columns are separate populations, never summed)."""
    columns = {}
    for per in PERIOD_KEYS:
        values = [int(counts.get((per, label), 0)) for label in labels]
        columns[per] = suppress_column(values, k)
    rows = [
        {"label": label, "cur": columns["cur"][0][i], "prev": columns["prev"][0][i]}
        for i, label in enumerate(labels)
    ]
    return {
        "key": key,
        "title": title,
        "dimension": dimension,
        "rows": rows,
        "total": {"cur": columns["cur"][1], "prev": columns["prev"][1]},
    }


def _in(prefix: str, start, end) -> Q:
    return Q(**{f"{prefix}__gte": start, f"{prefix}__lt": end})


def _period_filters(field: str, bounds: dict) -> dict:
    return {per: _in(field, *bounds[per]) for per in PERIOD_KEYS}


def _grouped(queryset, dimension: str, filters: dict, distinct_field: str = "pk") -> dict:
    """{(period, value): count} in one GROUP BY query with a conditional count per period."""
    rows = queryset.values(dimension).annotate(
        **{
            per: Count(distinct_field, filter=condition, distinct=True)
            for per, condition in filters.items()
        }
    )
    counts: dict = {}
    for row in rows:
        for per in filters:
            counts[(per, row[dimension])] = counts.get((per, row[dimension]), 0) + row[per]
    return counts


def _relabel(counts: dict, labels: dict, empty: str = UNKNOWN) -> dict:
    result: dict = {}
    for (per, value), n in counts.items():
        label = labels.get(value, empty) if value not in (None, "") else empty
        result[(per, label)] = result.get((per, label), 0) + n
    return result


# --- Intake ------------------------------------------------------------------------------------


def _reports(bounds: dict, k: int) -> list[dict]:
    received = _period_filters("received_at", bounds)
    tables = [
        _table(
            "reporter_kind",
            "Meldingen ontvangen, naar soort melder",
            "Soort melder",
            list(ReporterKind.labels),
            _relabel(
                _grouped(Report.objects, "reporter_kind", received), dict(ReporterKind.choices)
            ),
            k,
        ),
        _table(
            "channel",
            "Meldingen ontvangen, naar kanaal",
            "Kanaal",
            list(Channel.labels),
            _relabel(_grouped(Report.objects, "channel", received), dict(Channel.choices)),
            k,
        ),
        _table(
            "triage",
            "Uitkomst eerste beoordeling",
            "Uitkomst",
            list(TriageOutcome.labels),
            _relabel(
                _grouped(
                    Report.objects.exclude(triage_outcome=""),
                    "triage_outcome",
                    _period_filters("triaged_at", bounds),
                ),
                dict(TriageOutcome.choices),
            ),
            k,
        ),
    ]
    # The funnel: each step counted by the moment it happened, in one query.
    steps = {
        "Ontvangen": ("received_at", Q()),
        "Eerste beoordeling": ("triaged_at", Q()),
        "Doorgezet naar het Voorportaal": ("forwarded_at", Q()),
        "Duiding afgerond": ("assessed_at", Q()),
        "Advies uitgebracht": ("advised_at", Q()),
        "Meldingen met besluit: opgenomen": ("decided_at", Q(status=ReportStatus.ADMITTED)),
        "Meldingen met besluit: niet opgenomen": (
            "decided_at",
            Q(status=ReportStatus.NOT_ADMITTED),
        ),
        "Advies preventief gesprek": ("advised_at", Q(advice__kind=AdviceKind.PREVENTIVE)),
        "Niet opgenomen, preventief gesprek": (
            "decided_at",
            Q(not_admitted_reason=NotAdmittedReason.PREVENTIVE),
        ),
    }
    aggregates = {}
    for i, (_label, (field, extra)) in enumerate(steps.items()):
        for per in PERIOD_KEYS:
            aggregates[f"s{i}_{per}"] = Count("pk", filter=extra & _in(field, *bounds[per]))
    values = Report.objects.aggregate(**aggregates)
    tables.append(
        {
            "key": "funnel",
            "title": "Van melding tot besluit",
            "dimension": "Stap",
            "rows": [
                {
                    "label": label,
                    "cur": suppress_value(values[f"s{i}_cur"], k),
                    "prev": suppress_value(values[f"s{i}_prev"], k),
                }
                for i, label in enumerate(steps)
            ],
            "total": None,
        }
    )
    return tables


# --- Cases -------------------------------------------------------------------------------------


def _active_at(end) -> Q:
    return Q(admitted_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))


def _case_flow(bounds: dict, k: int) -> dict:
    steps = {
        "Personen opgenomen": "admitted_at",
        "Basisdossier toebedeeld": "base_file_assigned_at",
        "Afbouw gestart": "phase_down_at",
        "Afgesloten": "closed_at",
    }
    aggregates = {
        f"s{i}_{per}": Count("subject_id", filter=_in(field, *bounds[per]), distinct=True)
        for i, field in enumerate(steps.values())
        for per in PERIOD_KEYS
    }
    values = Case.objects.aggregate(**aggregates)
    return {
        "key": "case_flow",
        "title": "Opnames, afbouw en afsluitingen in de periode",
        "dimension": "Gebeurtenis",
        "rows": [
            {
                "label": label,
                "cur": suppress_value(values[f"s{i}_cur"], k),
                "prev": suppress_value(values[f"s{i}_prev"], k),
            }
            for i, label in enumerate(steps)
        ],
        "total": None,
    }


def _phase_table(ends: dict, k: int) -> dict:
    """Active cases at the period's end by the phase they were in then, derived from the
    milestones (the current phase field only knows today)."""
    milestones = [
        (CasePhase.PHASING_DOWN, "phase_down_at", "Afbouw"),
        (CasePhase.ADOPTED, "first_adopted", "Plan vastgesteld, in uitvoering"),
        (CasePhase.AT_ADVICE, "first_submitted", "Plan bij het ITAT-R"),
        (CasePhase.BASE_FILE, "base_file_assigned_at", "Basisdossier bij regisseur"),
    ]
    aggregates = {}
    for per in PERIOD_KEYS:
        end, reached = ends[per], Q()
        for phase, field, _label in milestones:
            aggregates[f"{phase}_{per}"] = Count(
                "pk", filter=_active_at(end) & Q(**{f"{field}__lt": end}) & ~reached
            )
            # With isnull, NOT(...) is true for a case that never reached the milestone; a
            # bare `field < end` would be NULL there and drop every case without a plan.
            reached |= Q(**{f"{field}__isnull": False, f"{field}__lt": end})
        aggregates[f"start_{per}"] = Count("pk", filter=_active_at(end) & ~reached)
    values = Case.objects.annotate(
        first_adopted=Min("plan_versions__adopted_at"),
        first_submitted=Min("plan_versions__submitted_at"),
    ).aggregate(**aggregates)
    labels = [("start", "Opgenomen, nog geen basisdossier")] + [
        (phase, label) for phase, _field, label in reversed(milestones)
    ]
    counts = {
        (per, label): values[f"{code}_{per}"] for code, label in labels for per in PERIOD_KEYS
    }
    return _table(
        "phase",
        "Actieve casussen aan het eind van de periode, naar fase",
        "Fase",
        [label for _code, label in labels],
        counts,
        k,
    )


def _risk_group_table(active_cases, active: dict, k: int) -> dict:
    aggregates = {}
    for per in PERIOD_KEYS:
        aggregates[f"all_{per}"] = Count("subject_id", filter=active[per], distinct=True)
        for group in RiskGroup:
            # Group numbers are single digits, so a text match on the JSON list is exact on
            # both engines (SQLite keeps the list as text, PostgreSQL casts jsonb to text).
            aggregates[f"g{group.value}_{per}"] = Count(
                "subject_id",
                filter=active[per] & Q(rg_text__contains=str(group.value)),
                distinct=True,
            )
    values = active_cases.annotate(rg_text=Cast("risk_groups", TextField())).aggregate(**aggregates)
    table = _table(
        "risk_group",
        "Actieve casussen naar risicogroep (een persoon kan in meer groepen vallen)",
        "Risicogroep",
        list(RiskGroup.labels),
        {(per, g.label): values[f"g{g.value}_{per}"] for g in RiskGroup for per in PERIOD_KEYS},
        k,
    )
    # Rows overlap, so the total is the number of persons, not the rows' sum.
    table["total"] = {per: suppress_value(values[f"all_{per}"], k) for per in PERIOD_KEYS}
    return table


def _age_table(active: dict, end_dates: dict, k: int) -> dict:
    def years_before(day: date, years: int) -> date:
        try:
            return day.replace(year=day.year - years)
        except ValueError:  # 29 February
            return day.replace(year=day.year - years, day=28)

    aggregates = {}
    dob = "subject__date_of_birth"
    for per in PERIOD_KEYS:
        under18, under24, under31 = (years_before(end_dates[per], n) for n in (18, 24, 31))
        bands = [
            Q(**{f"{dob}__gt": under18}),
            Q(**{f"{dob}__gt": under24, f"{dob}__lte": under18}),
            Q(**{f"{dob}__gt": under31, f"{dob}__lte": under24}),
            Q(**{f"{dob}__lte": under31}),
            Q(**{f"{dob}__isnull": True}),
        ]
        for i, band in enumerate(bands):
            aggregates[f"b{i}_{per}"] = Count(
                "subject_id", filter=active[per] & band, distinct=True
            )
    values = Case.objects.aggregate(**aggregates)
    counts = {
        (per, label): values[f"b{i}_{per}"]
        for i, label in enumerate(AGE_BANDS)
        for per in PERIOD_KEYS
    }
    return _table(
        "age",
        "Actieve casussen naar leeftijd aan het eind van de periode",
        "Leeftijd",
        AGE_BANDS,
        counts,
        k,
    )


def _case_tables(bounds: dict, ends: dict, end_dates: dict, k: int, place_k: int) -> list[dict]:
    active = {per: _active_at(ends[per]) for per in PERIOD_KEYS}
    active_cases = Case.objects.filter(active["cur"] | active["prev"])
    closed = _period_filters("closed_at", bounds)
    handover = _grouped(
        Case.objects.filter(handover_organisation__isnull=False),
        "handover_organisation__name",
        closed,
        "subject_id",
    )
    genders = dict(Gender.choices)
    cities = _grouped(active_cases, "subject__city", active, "subject_id")
    cities = {(per, city or UNKNOWN): n for (per, city), n in cities.items()}
    # A place is named only where at least k persons live in it: the name of a small place is a
    # disclosure even with its count suppressed, and the field is free text. The rest is folded.
    # Decided per period, so a quarter reads the same on every page it appears on.
    named = {
        per: {c for (p, c), n in cities.items() if p == per and n >= place_k and c != UNKNOWN}
        for per in PERIOD_KEYS
    }
    places = named["cur"] | named["prev"]
    folded: dict = {}
    for (per, city), n in cities.items():
        label = city if city in named[per] or city == UNKNOWN else OTHER_PLACES
        folded[(per, label)] = folded.get((per, label), 0) + n
    city_table = _table(
        "city",
        "Actieve casussen naar gemeente of woonplaats",
        "Woonplaats",
        sorted(places) + [OTHER_PLACES, UNKNOWN],
        folded,
        k,
    )
    for row in city_table["rows"]:
        for per in PERIOD_KEYS:
            if row["label"] in places - named[per] and cities.get((per, row["label"])):
                row[per] = None  # fewer than k there: counted under the other places
    return [
        _case_flow(bounds, k),
        _table(
            "closures",
            "Afsluitingen naar reden",
            "Reden",
            list(ClosureReason.labels),
            _relabel(
                _grouped(Case.objects.exclude(closure_reason=""), "closure_reason", closed),
                dict(ClosureReason.choices),
            ),
            k,
        ),
        _table(
            "handover",
            "Warme overdracht bij afsluiting, aan",
            "Organisatie",
            sorted({label for _per, label in handover}),
            handover,
            k,
        ),
        _phase_table(ends, k),
        _risk_group_table(active_cases, active, k),
        _table(
            "ideology",
            "Actieve casussen naar ideologie",
            "Ideologie",
            [*Ideology.labels, UNKNOWN],
            _relabel(
                _grouped(active_cases, "ideology", active, "subject_id"), dict(Ideology.choices)
            ),
            k,
        ),
        _table(
            "gender",
            "Actieve casussen naar geslacht",
            "Geslacht",
            [genders[g] for g in (Gender.MALE, Gender.FEMALE, Gender.OTHER)] + [UNKNOWN],
            _relabel(_grouped(active_cases, "subject__gender", active, "subject_id"), genders),
            k,
        ),
        _age_table(active, end_dates, k),
        city_table,
        *_evaluation_tables(bounds, active, active_cases, k),
    ]


def _evaluation_tables(bounds: dict, active: dict, active_cases, k: int) -> list[dict]:
    """Figures the programme evaluation asks for: inflow by ideology and risk group (not only
    the stock), how many active cases the decision meeting declared 'statisch', how many have
    no problem on any life domain, and the networks of the active persons."""
    admitted = _period_filters("admitted_at", bounds)
    inflow = Case.objects.filter(admitted["cur"] | admitted["prev"])
    aggregates = {}
    for per in PERIOD_KEYS:
        aggregates[f"all_{per}"] = Count("subject_id", filter=admitted[per], distinct=True)
        for group in RiskGroup:
            aggregates[f"g{group.value}_{per}"] = Count(
                "subject_id",
                filter=admitted[per] & Q(rg_text__contains=str(group.value)),
                distinct=True,
            )
    values = inflow.annotate(rg_text=Cast("risk_groups", TextField())).aggregate(**aggregates)
    inflow_groups = _table(
        "inflow_risk_group",
        "Instroom (opgenomen personen) naar risicogroep (een persoon kan in meer groepen vallen)",
        "Risicogroep",
        list(RiskGroup.labels),
        {(per, g.label): values[f"g{g.value}_{per}"] for g in RiskGroup for per in PERIOD_KEYS},
        k,
    )
    inflow_groups["total"] = {per: values[f"all_{per}"] for per in PERIOD_KEYS}
    dormant = {
        per: active[per] & Q(is_dormant=True, dormant_since__lt=bounds[per][1].date())
        for per in PERIOD_KEYS
    }
    counts = active_cases.aggregate(
        **{f"d_{per}": Count("subject_id", filter=dormant[per], distinct=True) for per in dormant},
        **{
            f"n_{per}": Count("subject_id", filter=active[per] & ~dormant[per], distinct=True)
            for per in dormant
        },
    )
    return [
        _table(
            "inflow_ideology",
            "Instroom (opgenomen personen) naar ideologie",
            "Ideologie",
            [*Ideology.labels, UNKNOWN],
            _relabel(_grouped(inflow, "ideology", admitted, "subject_id"), dict(Ideology.choices)),
            k,
        ),
        inflow_groups,
        _table(
            "dormant",
            "Actieve casussen aan het eind van de periode: statisch verklaard",
            "Status",
            ["Statisch", "Niet statisch"],
            {
                (per, label): counts[f"{code}_{per}"]
                for per in PERIOD_KEYS
                for code, label in (("d", "Statisch"), ("n", "Niet statisch"))
            },
            k,
        ),
        _domain_problem_table(active, k),
        *_network_tables({per: bounds[per][1] for per in PERIOD_KEYS}, k),
    ]


def _domain_problem_table(active: dict, k: int) -> dict:
    """Active cases at the period's end by the life-domain scores of their base file: no
    problem on any scored domain (every score 4 or 5), a problem on at least one (a score of 1
    to 3), or no score at all. Counted as cases, like the phase table."""
    scores = DomainScore.objects.filter(base_file__case_id=OuterRef("pk"))
    values = Case.objects.annotate(
        scored=Exists(scores), problem=Exists(scores.filter(score__lte=PROBLEM_SCORE))
    ).aggregate(
        **{
            f"{code}_{per}": Count("pk", filter=active[per] & where)
            for per in PERIOD_KEYS
            for code, where in (
                ("none", Q(scored=True, problem=False)),
                ("some", Q(problem=True)),
                ("unscored", Q(scored=False)),
            )
        }
    )
    labels = (
        ("none", NO_PROBLEMS),
        ("some", "Problemen op minstens één leefgebied (een score van 1 tot 3)"),
        ("unscored", "Geen scores in het basisdossier"),
    )
    table = _table(
        "domain_problems",
        "Actieve casussen aan het eind van de periode, naar problemen op de leefgebieden "
        "(basisdossier)",
        "Leefgebieden",
        [label for _code, label in labels],
        {(per, label): values[f"{code}_{per}"] for per in PERIOD_KEYS for code, label in labels},
        k,
    )
    table["share"] = {"label": "Aandeel zonder problemen op enig leefgebied", "of": NO_PROBLEMS}
    for per in PERIOD_KEYS:
        table["share"][per] = _percent(values[f"none_{per}"], table["total"][per])
    return table


def _percent(part: int | None, whole: int | None) -> int | None:
    return None if part is None or not whole else round(100 * part / whole)


def _network_tables(ends: dict, k: int) -> list[dict]:
    """Networks: active persons at the period's end with a recorded link (cases.SubjectLink,
    either direction) to at least one other person, and the links of active persons by kind.
    A link counts from the moment it was recorded (created before the period's end)."""

    def active_subject(field: str, per: str) -> Exists:
        return Exists(Case.objects.filter(Q(subject_id=OuterRef(field)) & _active_at(ends[per])))

    def linked(per: str) -> Exists:
        return Exists(
            SubjectLink.objects.filter(
                Q(from_subject_id=OuterRef("pk")) | Q(to_subject_id=OuterRef("pk")),
                created_at__lt=ends[per],
            )
        )

    subjects = Subject.objects.annotate(
        **{f"is_active_{per}": active_subject("pk", per) for per in PERIOD_KEYS},
        **{f"is_linked_{per}": linked(per) for per in PERIOD_KEYS},
    ).aggregate(
        **{
            f"{code}_{per}": Count(
                "pk", filter=Q(**{f"is_active_{per}": True, f"is_linked_{per}": is_linked})
            )
            for per in PERIOD_KEYS
            for code, is_linked in (("linked", True), ("alone", False))
        }
    )
    labels = (
        ("linked", "Met een verband met minstens één andere persoon"),
        ("alone", "Zonder verband met een andere persoon"),
    )
    persons = _table(
        "network_subjects",
        "Netwerken: actieve personen aan het eind van de periode, naar verbanden",
        "Verband",
        [label for _code, label in labels],
        {(per, label): subjects[f"{code}_{per}"] for per in PERIOD_KEYS for code, label in labels},
        k,
    )
    links = SubjectLink.objects.annotate(
        **{f"from_active_{per}": active_subject("from_subject_id", per) for per in PERIOD_KEYS},
        **{f"to_active_{per}": active_subject("to_subject_id", per) for per in PERIOD_KEYS},
    )
    link_counts = _relabel(
        _grouped(
            links,
            "kind",
            {
                per: Q(created_at__lt=ends[per])
                & (Q(**{f"from_active_{per}": True}) | Q(**{f"to_active_{per}": True}))
                for per in PERIOD_KEYS
            },
        ),
        dict(LinkKind.choices),
    )
    return [
        persons,
        _table(
            "network_links",
            "Netwerken: vastgelegde verbanden van actieve personen aan het eind van de periode, "
            "naar soort",
            "Soort verband",
            list(LinkKind.labels),
            link_counts,
            k,
        ),
    ]


# --- Interventions, UVOs and evaluations ---------------------------------------------------------


def _intervention_tables(bounds: dict, k: int) -> list[dict]:
    """Interventions deployed in the period: started (planned start) before its end, not ended
    before its start, and not merely planned. Counted as persons per entry."""
    filters = {
        per: Q(planned_start__lt=end)
        & (Q(planned_end__isnull=True) | Q(planned_end__gte=start))
        & ~Q(status=InterventionStatus.PLANNED)
        # Only while its case is in the approach: admitted before the period's end and not
        # closed before its start.
        & Q(case__admitted_at__lt=end)
        & (Q(case__closed_at__isnull=True) | Q(case__closed_at__gte=start))
        for per, (start, end) in bounds.items()
    }
    deployed = Intervention.objects.all()
    entries = _grouped(deployed, "catalogue_entry__name", filters, "case__subject_id")
    providers = _grouped(deployed, "owner_organisation__name", filters, "case__subject_id")
    special = _relabel(
        _grouped(
            deployed.exclude(catalogue_entry__special=""),
            "catalogue_entry__special",
            filters,
            "case__subject_id",
        ),
        dict(SpecialIntervention.choices),
    )
    return [
        _table(
            "intervention_entry",
            "Ingezette interventies, naar interventie (personen)",
            "Interventie",
            sorted({label for _per, label in entries}),
            entries,
            k,
        ),
        _table(
            "intervention_category",
            "Ingezette interventies, naar categorie (personen)",
            "Categorie",
            list(InterventionCategory.labels),
            _relabel(
                _grouped(deployed, "catalogue_entry__category", filters, "case__subject_id"),
                dict(InterventionCategory.choices),
            ),
            k,
        ),
        _table(
            "intervention_provider",
            "Ingezette interventies, naar uitvoerende organisatie (personen)",
            "Organisatie",
            sorted({label for _per, label in providers}),
            providers,
            k,
        ),
        _table(
            "intervention_special",
            "Bijzondere interventies (personen)",
            "Interventie",
            [label for value, label in SpecialIntervention.choices if value],
            special,
            k,
        ),
        _integral_table(deployed, filters, k),
    ]


def _integral_table(deployed, filters: dict, k: int) -> dict:
    """Integral working: persons with an intervention delivered by the regisseur's own
    organisation and by another one (a person can be in both rows, so no total)."""
    own = Q(owner_organisation=F("case__organisation"))
    values = deployed.aggregate(
        **{
            f"{code}_{per}": Count("case__subject_id", filter=condition & where, distinct=True)
            for per, condition in filters.items()
            for code, where in (("own", own), ("other", ~own))
        }
    )
    labels = (
        ("own", "Door de eigen organisatie van de regisseur"),
        ("other", "Door een andere organisatie"),
    )
    table = _table(
        "intervention_integral",
        "Integraal werken: personen met een interventie, naar uitvoerder",
        "Uitvoerder",
        [label for _code, label in labels],
        {(per, label): values[f"{code}_{per}"] for per in PERIOD_KEYS for code, label in labels},
        k,
    )
    table["total"] = None
    return table


def _uvo_and_evaluations(bounds: dict, current: Period, previous: Period, k: int) -> dict:
    day_bounds = {"cur": (current.start, current.end), "prev": (previous.start, previous.end)}
    uvo = PartnerMeeting.objects.filter(status=UvoStatus.HELD).aggregate(
        **{
            f"{what}_{per}": Count(field, filter=_in("held_on", *day_bounds[per]), distinct=True)
            for per in PERIOD_KEYS
            for what, field in (("meetings", "pk"), ("cases", "case_id"))
        }
    )
    evaluations = {row["period"]: row for row in sql.evaluations_due(current, previous)}
    rows = [
        ("UVO's gehouden", "meetings"),
        ("Casussen met een UVO", "cases"),
    ]
    table_rows = [
        {
            "label": label,
            "cur": suppress_value(uvo[f"{code}_cur"], k),
            "prev": suppress_value(uvo[f"{code}_prev"], k),
        }
        for label, code in rows
    ]
    for label, code in (
        ("Casussen met een evaluatie die in de periode verviel", "due"),
        ("waarvan geëvalueerd in de periode", "due_done"),
        ("Casussen geëvalueerd in de periode", "held"),
    ):
        table_rows.append(
            {
                "label": label,
                "cur": suppress_value(evaluations.get("cur", {}).get(code, 0), k),
                "prev": suppress_value(evaluations.get("prev", {}).get(code, 0), k),
            }
        )
    return {
        "key": "uvo_evaluation",
        "title": "Uitvoerdersoverleggen (UVO) en evaluaties",
        "dimension": "",
        "rows": table_rows,
        "total": None,
    }


# --- Lead times and deadlines ------------------------------------------------------------------


def _lead_times(current: Period, previous: Period, k: int) -> list[dict]:
    found = {(row["pair"], row["period"]): row for row in sql.lead_times(current, previous)}
    rows = []
    for a, b in sql.PAIRS:
        row = {
            "code": f"{a}:{b}",
            "label": f"{sql.MILESTONE_LABELS[a]} → {sql.MILESTONE_LABELS[b]}",
        }
        for per in PERIOD_KEYS:
            stats = found.get((f"{a}:{b}", per))
            if stats is None or stats["n"] < k:
                row[per] = {"n": suppress_value(stats["n"] if stats else 0, k), "suppressed": True}
            else:
                row[per] = {
                    "n": stats["n"],
                    "suppressed": False,
                    **{key: round(stats[key], 1) for key in ("median", "mean", "p10", "p90")},
                }
        rows.append(row)
    return rows


def _shares(current: Period, previous: Period, k: int) -> list[dict]:
    found = {
        (row["measure"], row["period"]): row
        for row in sql.deadline_shares(current, previous, timezone.now())
    }
    result = []
    for measure, label in (
        ("letter", "Notificatiebrief binnen 3 weken na het besluit"),
        ("concept_plan", "Concept plan binnen 5 weken bij het ITAT-R"),
    ):
        row = {"code": measure, "label": label}
        for per in PERIOD_KEYS:
            stats = found.get((measure, per), {"n": 0, "in_time": 0})
            n, in_time = stats["n"], stats["in_time"]
            late = n - in_time
            # Both parts of the share count persons: hide it when either part is a small cell.
            hidden = n < k or 0 < in_time < k or 0 < late < k
            row[per] = {
                "n": suppress_value(n, k),
                "in_time": None if hidden else in_time,
                "percent": None if hidden or not n else round(100 * in_time / n),
            }
        result.append(row)
    return result


def _span_row(label: str, code: str, found: dict) -> dict:
    """A row of a span table: its count per period (row[per]) and the statistics of its
    spans (row["stats"][per]); disclosure decides which are published."""
    row = {"label": label, "stats": {}}
    for per in PERIOD_KEYS:
        stats = found.get((code, per))
        row[per] = stats["n"] if stats else 0
        row["stats"][per] = {
            "n": row[per],
            "suppressed": stats is None,
            **({key: round(stats[key], 1) for key in SPAN_STATS} if stats else {}),
        }
    return row


def _evaluation_span_tables(current: Period, previous: Period) -> list[dict]:
    """Why lead times are long (reports decided in the period, received → decided, by route
    and by information requests open at the decision) and the duration in the approach (cases
    closed in the period, admission → closure). One statement (sql.evaluation_spans)."""
    found = {(row["pair"], row["period"]): row for row in sql.evaluation_spans(current, previous)}

    def total(*codes: str) -> dict:
        return {per: sum(found.get((c, per), {"n": 0})["n"] for c in codes) for per in PERIOD_KEYS}

    urgent = "Urgente route"
    parts = ["Urgente route, volledig geadviseerd", "Urgente route, onvolledig geadviseerd"]
    route = {
        "key": "lead_route",
        "section": "lead",
        "title": "Meldingen met besluit in de periode, naar route: doorlooptijd melding → besluit",
        "dimension": "Route",
        "rows": [
            _span_row("Gewone route", "route:normal", found),
            _span_row(urgent, "route:urgent", found),
            _span_row(parts[0], "route:urgent_complete", found),
            _span_row(parts[1], "route:incomplete", found),
        ],
        "subtotals": {urgent: parts},
        "total": total("route:normal", "route:urgent"),
    }
    requests = {
        "key": "lead_requests",
        "section": "lead",
        "title": "Meldingen met besluit in de periode, naar open informatieverzoeken bij het "
        "besluit: doorlooptijd melding → besluit",
        "dimension": "Informatieverzoeken",
        "rows": [
            _span_row("Met een open informatieverzoek bij het besluit", "request:open", found),
            _span_row("Zonder open informatieverzoek bij het besluit", "request:none", found),
        ],
        "total": total("request:open", "request:none"),
    }
    duration = {
        "key": "duration",
        "section": "duration",
        "title": "Duur in de aanpak: casussen afgesloten in de periode, van opname tot "
        "afsluiting (dagen)",
        "dimension": "Casussen",
        "rows": [_span_row("Van opname tot afsluiting", "duration", found)],
        "total": None,
    }
    return [route, requests, duration]


# --- Caseload and contact gaps -----------------------------------------------------------------


LOAD_BANDS = [
    ("Minder dan 50%", None, 50),
    ("50% tot 80%", 50, 80),
    ("80% tot 100%", 80, 100),
    ("100% tot 120%", 100, 120),
    ("120% of meer", 120, None),
]


def _caseload(end, k: int) -> dict:
    """Active cases at the period's end per organisation against 15 per full-time regisseur,
    and regisseurs (never named) by how full their caseload is."""
    regisseurs = User.objects.filter(groups__name=Role.REGISSEUR, is_active=True)
    active_count = Count("cases_as_regisseur", filter=_active_at_prefixed(end), distinct=True)
    per_user = list(
        regisseurs.annotate(active=active_count).values("organisation__name", "fte", "active")
    )
    organisations: dict[str, dict] = {}
    bands = {label: 0 for label, _low, _high in LOAD_BANDS}
    for row in per_user:
        org = organisations.setdefault(
            row["organisation__name"] or UNKNOWN,
            {"regisseurs": 0, "fte": Decimal(0), "active": 0},
        )
        org["regisseurs"] += 1
        org["fte"] += row["fte"] or 0
        org["active"] += row["active"]
        capacity = float(row["fte"] or 0) * CASES_PER_FTE
        if capacity:
            load = 100 * row["active"] / capacity
            for label, low, high in LOAD_BANDS:
                if (low is None or load >= low) and (high is None or load < high):
                    bands[label] += 1
    names = sorted(organisations)
    # Active cases per organisation sum to the active cases on the rest of the page: secondary
    # suppression over the column and its total, so no organisation's count is a difference.
    active_cells, _total = suppress_column([organisations[n]["active"] for n in names], k)
    # Staff are counted like persons: "regisseurs 1" names the one regisseur of an organisation,
    # and with it their fte, capacity and load.
    staff_cells, _staff_total = suppress_column([organisations[n]["regisseurs"] for n in names], k)
    rows = []
    for name, active, staff in zip(names, active_cells, staff_cells, strict=True):
        org = organisations[name]
        capacity = float(org["fte"]) * CASES_PER_FTE
        shown = staff is not None
        rows.append(
            {
                "label": name,
                "regisseurs": staff,
                "fte": float(org["fte"]) if shown else None,
                "capacity": round(capacity) if shown else None,
                "active": active,
                "load": round(100 * org["active"] / capacity)
                if capacity and active is not None and shown
                else None,
            }
        )
    band_cells, _bands_total = suppress_column(list(bands.values()), k)
    return {
        "norm": CASES_PER_FTE,
        "organisations": rows,
        "bands": [
            {"label": label, "regisseurs": n} for label, n in zip(bands, band_cells, strict=True)
        ],
    }


def _active_at_prefixed(end) -> Q:
    prefix = "cases_as_regisseur__"
    return Q(**{f"{prefix}admitted_at__lt": end}) & (
        Q(**{f"{prefix}closed_at__isnull": True}) | Q(**{f"{prefix}closed_at__gte": end})
    )


def _contact_gaps(ends: dict, end_dates: dict, weeks: int, k: int) -> dict:
    """Active cases without a contact in the logbook for more than `weeks` weeks before the
    period's end; cases of persons detained or abroad then are left out (as the reminders do)."""
    aggregates = {}
    for per in PERIOD_KEYS:
        end, day = ends[per], end_dates[per]
        away = Q(
            subject__detained_from__lte=day,
        ) & (Q(subject__detained_until__isnull=True) | Q(subject__detained_until__gte=day))
        away |= Q(subject__abroad=True) & (
            Q(subject__abroad_since__isnull=True) | Q(subject__abroad_since__lte=day)
        )
        aggregates[f"watched_{per}"] = Count("pk", filter=_active_at(end) & ~away)
        aggregates[f"gap_{per}"] = Count(
            "pk", filter=_active_at(end) & ~away & Q(**{f"has_recent_{per}": False})
        )
    annotations = {}
    for per in PERIOD_KEYS:
        end = ends[per]
        annotations[f"has_recent_{per}"] = Exists(
            LogEntry.objects.filter(
                case=OuterRef("pk"),
                kind__in=CONTACT_KINDS,
                at__gte=end - timedelta(weeks=weeks),
                at__lt=end,
            )
        )
    values = Case.objects.annotate(**annotations).aggregate(**aggregates)
    return {
        "weeks": weeks,
        "rows": [
            {
                "label": "Actieve casussen (niet gedetineerd of in het buitenland)",
                "cur": suppress_value(values["watched_cur"], k),
                "prev": suppress_value(values["watched_prev"], k),
            },
            {
                "label": f"zonder contact in het logboek in de laatste {weeks} weken",
                "cur": suppress_value(values["gap_cur"], k),
                "prev": suppress_value(values["gap_prev"], k),
            },
        ],
    }


# --- Effectiveness -----------------------------------------------------------------------------


def _effectiveness(current: Period, previous: Period, k: int) -> dict:
    outcome_labels = {
        GoalResult.ACHIEVED.value: "Alle doelen behaald",
        GoalResult.PARTLY.value: "Doelen deels behaald",
        GoalResult.NOT_ACHIEVED.value: "Geen doel behaald",
        "geen": "Geen doelen geëvalueerd",
    }
    outcomes = {
        (row["period"], outcome_labels[row["outcome"]]): row["n"]
        for row in sql.goal_outcomes(current, previous)
    }
    goals = _table(
        "goals",
        "Afgesloten casussen naar behaalde doelen",
        "Resultaat",
        list(outcome_labels.values()),
        outcomes,
        k,
    )
    changes = {(row["period"], row["domain"]): row for row in sql.domain_changes(current, previous)}
    domain_rows = []
    for domain in LifeDomain:
        row = {"label": domain.label}
        for per in PERIOD_KEYS:
            found = changes.get((per, domain.value))
            n = found["n"] if found else 0
            row[per] = {
                "n": suppress_value(n, k),
                "change": round(found["change"], 2) if found and n >= k else None,
            }
        domain_rows.append(row)
    return {"goals": goals, "domains": domain_rows}


# --- The entry point ---------------------------------------------------------------------------


def data_version() -> str:
    """Changes whenever a figure can change: the newest history row of every model the monitor
    reads (every write goes through simple-history), in one query."""
    tables = [
        "intake_historicalreport",
        "intake_historicaladvice",
        "intake_historicalassessment",
        "intake_historicalinformationrequest",
        "cases_historicalcase",
        "cases_historicalsubject",
        "cases_historicalsubjectlink",
        "cases_historicalplanversion",
        "cases_historicalletter",
        "cases_historicallogentry",
        "cases_historicalintervention",
        "cases_historicalpartnermeeting",
        "cases_historicalevaluation",
        "cases_historicalevaluationgoalresult",
        "cases_historicaldomainscore",
    ]
    parts = [f"(SELECT MAX(history_id) FROM {table})" for table in tables]  # noqa: S608
    # Users have no history: their fte and roles enter the caseload, so sum them in.
    parts += [
        "(SELECT SUM(fte) FROM accounts_user WHERE is_active)",
        "(SELECT COUNT(*) FROM accounts_user_groups)",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return "-".join(str(value or 0) for value in cursor.fetchone())


def _compute(period: Period, gap_weeks: int) -> dict:
    previous = period.previous()
    k = k_threshold()
    raw = 0  # the builders count; _protect alone decides what is published
    start_cur, end_cur = sql.period_bounds(period)
    start_prev, end_prev = sql.period_bounds(previous)
    bounds = {"cur": (start_cur, end_cur), "prev": (start_prev, end_prev)}
    ends = {"cur": end_cur, "prev": end_prev}
    end_dates = {"cur": period.last_day, "prev": previous.last_day}
    data = {
        "period": {"label": period.label, "start": period.start, "last_day": period.last_day},
        "previous": {
            "label": previous.label,
            "start": previous.start,
            "last_day": previous.last_day,
        },
        "k": k,
        "tables": [
            *_reports(bounds, raw),
            *_case_tables(bounds, ends, end_dates, raw, k),
            *_intervention_tables(bounds, raw),
            _uvo_and_evaluations(bounds, period, previous, raw),
            *_evaluation_span_tables(period, previous),
        ],
        "lead_times": _lead_times(period, previous, raw),
        "shares": _shares(period, previous, raw),
        "caseload": _caseload(end_cur, raw),
        "contact_gaps": _contact_gaps(ends, end_dates, gap_weeks, raw),
        "effectiveness": _effectiveness(period, previous, raw),
        "computed_at": timezone.now(),
    }
    protect(data, k)
    return data


def _cache_key(period: Period, gap_weeks: int) -> str:
    # Today's date is in it: figures such as "deadline passed" move with the calendar.
    return ":".join(
        [
            "monitor",
            period.key,
            str(gap_weeks),
            str(k_threshold()),
            timezone.localdate().isoformat(),
        ]
    )


def monitor_data(period: Period, *, gap_weeks: int = DEFAULT_GAP_WEEKS, use_cache=True) -> dict:
    """All figures for `period` and the one before it.

    Cached with the data version they were computed at. When the data changed since, figures
    younger than MONITOR_MAX_STALE_SECONDS are served as they are (the page says when they were
    computed) and the period is marked for `monitor_refresh` (beat); older ones are recomputed
    here. The warm path is one query (the data version) plus a cache read."""
    if not use_cache:
        return _compute(period, gap_weeks)
    version = data_version()
    entry = cache.get(_cache_key(period, gap_weeks))
    if entry is not None:
        if entry["version"] == version:
            return entry["data"]
        age = timezone.now() - entry["data"]["computed_at"]
        if age.total_seconds() < settings.MONITOR_MAX_STALE_SECONDS:
            _want_refresh(period, gap_weeks)
            return entry["data"]
    return _refresh(period, gap_weeks, version)


def _refresh(period: Period, gap_weeks: int, version: str) -> dict:
    # The version is read before computing: a write during the computation leaves the entry
    # older than the data, so the next read sees the difference.
    data = _compute(period, gap_weeks)
    cache.set(_cache_key(period, gap_weeks), {"version": version, "data": data}, CACHE_SECONDS)
    return data


WANTED_KEY = "monitor:te-verversen"


def _want_refresh(period: Period, gap_weeks: int) -> None:
    # Read-modify-write without a lock: two processes may lose each other's mark. A lost mark
    # costs one computation in a request once the figures pass the stale limit, nothing more.
    wanted = cache.get(WANTED_KEY) or set()
    wanted.add((period.kind, period.start, period.end, gap_weeks))
    cache.set(WANTED_KEY, wanted, CACHE_SECONDS)


def monitor_refresh() -> int:
    """Recompute the figures served stale since the last run; returns how many periods."""
    wanted = cache.get(WANTED_KEY) or set()
    cache.delete(WANTED_KEY)
    version = data_version()
    refreshed = 0
    for kind, start, end, gap_weeks in wanted:
        period = Period(kind, start, end)
        entry = cache.get(_cache_key(period, gap_weeks))
        if entry is None or entry["version"] != version:
            _refresh(period, gap_weeks, version)
            refreshed += 1
    return refreshed
