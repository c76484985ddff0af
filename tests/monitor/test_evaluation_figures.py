"""Issue 18, the figures the programme evaluation asks for: inflow by ideology and risk group,
'statisch' cases, integral working, report → admission apart from non-admission, why lead times
are long, cases without problems on any life domain, networks and the duration in the
approach; each goes through the same disclosure control as the rest of the page, and each is
checked against values computed here from the moments the test wrote."""

import statistics
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cases.constants import LinkKind
from cases.models import Case, DomainScore, Intervention, SubjectLink
from intake.constants import Ideology, LifeDomain
from monitor import exports, periods
from monitor.selectors import monitor_data
from tests.cases.factories import CatalogueEntryFactory
from tests.monitor.factories import history, link

pytestmark = pytest.mark.django_db

Q1 = periods.quarter(2026, 1)


@pytest.fixture
def cases(settings):
    settings.MONITOR_K = 5
    found = []
    ideologies = [Ideology.RIGHT_WING] * 5 + [Ideology.LEFT_WING] * 2 + [Ideology.SINGLE_ISSUE] * 2
    for i, ideology in enumerate(ideologies):
        report = history(received=date(2025, 12, 1), decided=date(2026, 1, 10 + i))
        Case.objects.filter(report=report).update(
            ideology=ideology,
            risk_groups=[4],
            is_dormant=i < 5,
            dormant_since=date(2026, 2, 1) if i < 5 else None,
        )
        found.append(Case.objects.get(report=report))
    for i in range(5):
        history(received=date(2025, 12, 1), decided=date(2026, 2, 2 + i), admitted=False)
    return found


def table(data, key):
    return next(t for t in data["tables"] if t["key"] == key)


def test_inflow_by_ideology_and_risk_group_with_small_cells_hidden(cases):
    data = monitor_data(Q1, use_cache=False)

    ideology = {row["label"]: row["cur"] for row in table(data, "inflow_ideology")["rows"]}
    assert ideology[Ideology.RIGHT_WING.label] == 5
    assert ideology[Ideology.LEFT_WING.label] is None  # 2 persons
    assert ideology[Ideology.SINGLE_ISSUE.label] is None  # 2 persons
    assert table(data, "inflow_ideology")["total"]["cur"] == 9
    groups = {row["label"]: row["cur"] for row in table(data, "inflow_risk_group")["rows"]}
    assert list(groups.values()).count(9) == 1


def test_statisch_cases_at_the_end_of_the_quarter(cases):
    data = monitor_data(Q1, use_cache=False)

    rows = {row["label"]: row["cur"] for row in table(data, "dormant")["rows"]}
    # 5 statisch and 4 not: the 4 are hidden, and with the total published (it is the active
    # cases' total elsewhere on the page) the 5 must go too.
    assert rows == {"Statisch": None, "Niet statisch": None}
    assert table(data, "dormant")["total"]["cur"] == 9


def test_integral_working_counts_persons_by_who_delivers(cases, settings):
    entry = CatalogueEntryFactory()
    for case in cases:
        Intervention.objects.create(
            case=case,
            catalogue_entry=entry,
            rationale="Past bij de persoon.",
            owner_organisation=entry.provider,
            planned_start=date(2026, 1, 20),
            status="lopend",
        )

    rows = {
        row["label"]: row["cur"]
        for row in table(monitor_data(Q1, use_cache=False), "intervention_integral")["rows"]
    }

    other = sum(1 for case in cases if case.organisation_id != entry.provider_id)
    assert rows["Door een andere organisatie"] == (other if other == 0 or other >= 5 else None)
    assert rows["Door de eigen organisatie van de regisseur"] == (
        9 - other if 9 - other == 0 or 9 - other >= 5 else None
    )


def test_report_to_admission_apart_from_non_admission(cases):
    lead = {row["code"]: row for row in monitor_data(Q1, use_cache=False)["lead_times"]}

    assert lead["received:admitted"]["cur"]["n"] == 9
    assert lead["received:not_admitted"]["cur"]["n"] == 5
    assert lead["received:decided"]["cur"]["n"] == 14


# --- Why lead times are long, life domains, networks, duration in the approach ----------------

STATS = ("p10", "median", "p90")
ROUTE_NORMAL, ROUTE_URGENT = "Gewone route", "Urgente route"
ROUTE_COMPLETE = "Urgente route, volledig geadviseerd"
ROUTE_INCOMPLETE = "Urgente route, onvolledig geadviseerd"
OPEN, NOT_OPEN = (
    "Met een open informatieverzoek bij het besluit",
    "Zonder open informatieverzoek bij het besluit",
)
GOOD = dict.fromkeys(LifeDomain.values, 4) | {LifeDomain.FINANCES: 5}
TROUBLED = dict.fromkeys(LifeDomain.values, 4) | {LifeDomain.HOUSING: 2}


def spans_expected(days: list[int]) -> dict:
    """p10, median and p90 computed here, by the standard library (linear interpolation)."""
    deciles = statistics.quantiles(days, n=10, method="inclusive")
    return {
        "p10": round(deciles[0], 1),
        "median": round(statistics.median(days), 1),
        "p90": round(deciles[8], 1),
    }


def open_at_decision(requests, decided_day: date) -> bool:
    return any(
        asked <= decided_day and (answered is None or answered > decided_day)
        for asked, answered in requests
    )


@pytest.fixture
def evaluation(settings):
    """17 reports decided in Q1 2026 (6 by the usual route, 6 urgent with a complete and 5
    with an incomplete assessment; information requests open or not at the decision), 15 of
    them admitted; 6 cases admitted in May 2025 and closed in Q1; links between persons."""
    settings.MONITOR_K = 5
    decided_day = [date(2026, 2, 2) + timedelta(days=3 * i) for i in range(17)]
    specs = []
    for i in range(17):
        day = decided_day[i]
        route = "normal" if i < 6 else "complete" if i < 12 else "incomplete"
        requests = {
            0: [(day - timedelta(days=9), None)],  # unanswered: open
            1: [(day - timedelta(days=9), day)],  # answered on the decision day: not open
            2: [(day - timedelta(days=9), day + timedelta(days=1))],  # answered after: open
            3: [(day + timedelta(days=1), None)],  # asked after the decision: not open
            6: [(day - timedelta(days=2), None)],
            7: [(day - timedelta(days=20), None), (day - timedelta(days=20), day)],
            12: [(day, None)],  # asked on the decision day, unanswered: open
        }.get(i, [])
        specs.append(
            {
                "received": date(2026, 1, 2) + timedelta(days=i % 7),
                "decided": day,
                "admitted": i not in (4, 5),
                "urgent": route != "normal",
                "incomplete": {"normal": None, "complete": False, "incomplete": True}[route],
                "requests": requests,
                "route": route,
            }
        )
    admitted_scores = [GOOD] * 5 + [TROUBLED] * 5 + [None] * 5
    reports = []
    scored = iter(admitted_scores)
    for spec in specs:
        fields = {k: v for k, v in spec.items() if k != "route"}
        if spec["admitted"]:
            fields["scores"] = next(scored)
        reports.append(history(**fields))
    closed = []
    for i in range(6):
        report = history(
            received=date(2025, 4, 1),
            decided=date(2025, 5, 1) + timedelta(days=i),
            closed=date(2026, 1, 15) + timedelta(days=11 * i),
        )
        closed.append(Case.objects.get(report=report))
    active = [Case.objects.get(report=r).subject for r in reports if hasattr(r, "case")]
    on = date(2026, 3, 1)
    for a, b in [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]:
        link(active[a], active[b], on=on)
    link(active[6], closed[0].subject, on=on)  # an active person linked to a closed one
    link(active[0], active[2], on=on, kind=LinkKind.FAMILY)
    link(closed[1].subject, closed[2].subject, on=on)  # neither active at the end of Q1
    link(active[7], active[8], on=date(2026, 4, 2))  # recorded after the quarter
    return {"specs": specs, "reports": reports, "closed": closed, "active": active}


def span_rows(data, key):
    return {row["label"]: row for row in table(data, key)["rows"]}


def test_why_lead_times_are_long_by_route_and_open_requests(evaluation):
    data = monitor_data(Q1, use_cache=False)
    groups: dict[str, list[int]] = {}
    for spec, report in zip(evaluation["specs"], evaluation["reports"], strict=True):
        days = (report.decided_at - report.received_at).days
        route = {
            "normal": ROUTE_NORMAL,
            "complete": ROUTE_COMPLETE,
            "incomplete": ROUTE_INCOMPLETE,
        }[spec["route"]]
        labels = [route, ROUTE_URGENT] if spec["route"] != "normal" else [route]
        decided_day = timezone.localdate(report.decided_at)
        labels.append(OPEN if open_at_decision(spec["requests"], decided_day) else NOT_OPEN)
        for label in labels:
            groups.setdefault(label, []).append(days)
    assert {label: len(days) for label, days in groups.items()} == {
        ROUTE_NORMAL: 6,
        ROUTE_URGENT: 11,
        ROUTE_COMPLETE: 6,
        ROUTE_INCOMPLETE: 5,
        OPEN: 5,
        NOT_OPEN: 12,
    }

    rows = span_rows(data, "lead_route") | span_rows(data, "lead_requests")
    for label, days in groups.items():
        assert rows[label]["cur"] == len(days), label
        stats = rows[label]["stats"]["cur"]
        assert not stats["suppressed"], label
        assert {key: stats[key] for key in STATS} == spans_expected(days), label
        assert "min" not in stats and "max" not in stats and "mean" not in stats
        assert rows[label]["prev"] == 0 and rows[label]["stats"]["prev"]["suppressed"]
    assert table(data, "lead_route")["total"]["cur"] == 17
    assert table(data, "lead_requests")["total"]["cur"] == 17
    lead = {row["code"]: row for row in data["lead_times"]}
    assert lead["received:decided"]["cur"]["n"] == 17  # the same reports


def test_a_small_route_is_hidden_with_a_partner_and_without_its_lead_time(settings):
    settings.MONITOR_K = 5
    for i in range(14):  # 6 by the usual route, 8 urgent of which 2 advised incomplete
        history(
            received=date(2026, 1, 5),
            decided=date(2026, 2, 1) + timedelta(days=i),
            urgent=i < 8,
            incomplete=True if i < 2 else None,
        )

    found = table(monitor_data(Q1, use_cache=False), "lead_route")
    rows = {row["label"]: row for row in found["rows"]}

    # Urgent 8 = complete 6 + incomplete 2: the 2 is hidden, and with it the smallest other
    # cell of that line, so no subtraction gives it back.
    assert {label: row["cur"] for label, row in rows.items()} == {
        ROUTE_NORMAL: 6,
        ROUTE_URGENT: 8,
        ROUTE_COMPLETE: None,
        ROUTE_INCOMPLETE: None,
    }
    assert found["total"]["cur"] == 14
    for label in (ROUTE_COMPLETE, ROUTE_INCOMPLETE):
        assert rows[label]["stats"]["cur"] == {"n": None, "suppressed": True}
    assert not rows[ROUTE_URGENT]["stats"]["cur"]["suppressed"]


def test_share_of_active_cases_without_problems_on_any_life_domain(evaluation):
    found = table(monitor_data(Q1, use_cache=False), "domain_problems")
    # Independently: the base-file scores as the fixture wrote them, of the cases active at
    # the end of Q1 (admitted before 1 April, not closed by then).
    end = datetime(2026, 4, 1, tzinfo=ZoneInfo("Europe/Amsterdam"))
    active = [
        case
        for case in Case.objects.all()
        if case.admitted_at < end and (case.closed_at is None or case.closed_at >= end)
    ]
    scores = {
        case.pk: list(
            DomainScore.objects.filter(base_file__case=case).values_list("score", flat=True)
        )
        for case in active
    }
    none = sum(1 for s in scores.values() if s and min(s) >= 4)
    some = sum(1 for s in scores.values() if s and min(s) <= 3)
    unscored = sum(1 for s in scores.values() if not s)
    assert (none, some, unscored) == (5, 5, 5)

    rows = {row["label"]: row["cur"] for row in found["rows"]}
    assert list(rows.values()) == [none, some, unscored]
    assert found["total"]["cur"] == len(active) == 15
    assert found["share"]["cur"] == round(100 * none / len(active)) == 33
    # Q4 2025: the six cases admitted in May were active, none with scores.
    assert [row["prev"] for row in found["rows"]] == [0, 0, 6]
    assert found["share"]["prev"] == 0


def test_networks_of_active_persons_and_their_links(evaluation):
    data = monitor_data(Q1, use_cache=False)
    end = datetime(2026, 4, 1, tzinfo=ZoneInfo("Europe/Amsterdam"))
    active = {
        case.subject_id
        for case in Case.objects.all()
        if case.admitted_at < end and (case.closed_at is None or case.closed_at >= end)
    }
    links = [
        link
        for link in SubjectLink.objects.all()
        if link.created_at < end and {link.from_subject_id, link.to_subject_id} & active
    ]
    linked = active & {s for link in links for s in (link.from_subject_id, link.to_subject_id)}
    assert (len(linked), len(active - linked), len(links)) == (7, 8, 7)

    persons = table(data, "network_subjects")
    assert [row["cur"] for row in persons["rows"]] == [len(linked), len(active - linked)]
    assert persons["total"]["cur"] == len(active)
    kinds = {row["label"]: row["cur"] for row in table(data, "network_links")["rows"]}
    # Six links in one network and one family link: the 1 is hidden, and so is the smallest
    # other cell it would be worked out from; the total of 7 is published.
    assert kinds == {
        LinkKind.FAMILY.label: None,
        LinkKind.NETWORK.label: None,
        LinkKind.INFLUENCE.label: 0,
    }
    assert table(data, "network_links")["total"]["cur"] == len(links)


def test_duration_in_the_approach_of_cases_closed_in_the_quarter(evaluation):
    data = monitor_data(Q1, use_cache=False)
    days = [(case.closed_at - case.admitted_at).days for case in evaluation["closed"]]

    duration = table(data, "duration")
    row = duration["rows"][0]
    assert "Duur in de aanpak" in duration["title"]
    assert row["cur"] == 6
    assert {key: row["stats"]["cur"][key] for key in STATS} == spans_expected(days)
    assert set(row["stats"]["cur"]) == {"n", "suppressed", *STATS}  # no minimum or maximum
    assert row["prev"] == 0 and row["stats"]["prev"]["suppressed"]


def test_a_small_duration_group_publishes_no_lead_time(settings):
    settings.MONITOR_K = 5
    for i in range(3):
        history(received=date(2025, 9, 1), decided=date(2025, 9, 20), closed=date(2026, 2, 1 + i))

    row = table(monitor_data(Q1, use_cache=False), "duration")["rows"][0]

    assert row["cur"] is None
    assert row["stats"]["cur"] == {"n": None, "suppressed": True}


def test_the_new_figures_reach_every_export_row(evaluation):
    data = monitor_data(Q1, use_cache=False)
    out = exports.rows(data)
    titles = {t["key"]: t["title"] for t in data["tables"]}
    by = {(r[0], r[1], r[2]): r[3] for r in out}
    rows = span_rows(data, "lead_route")
    assert by[(titles["lead_route"], ROUTE_INCOMPLETE, "aantal")] == 5
    assert (
        by[(titles["lead_route"], ROUTE_INCOMPLETE, "mediaan")]
        == (rows[ROUTE_INCOMPLETE]["stats"]["cur"]["median"])
    )
    assert not any(r[2] in ("minimum", "maximum", "gemiddelde") for r in out if "Duur" in r[0])
    assert (
        by[(titles["duration"], "Van opname tot afsluiting", "90e percentiel")]
        == (table(data, "duration")["rows"][0]["stats"]["cur"]["p90"])
    )
    share = table(data, "domain_problems")["share"]
    assert by[(titles["domain_problems"], share["label"], "percentage")] == 33
    assert by[(titles["network_links"], "Totaal", "aantal")] == 7
