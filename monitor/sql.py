"""The set-based SQL of the monitor: one statement per figure family, run as is on SQLite and
PostgreSQL. The only dialect difference is how a moment becomes a number of days
(`_DAYNUM`); percentiles come from ROW_NUMBER() and COUNT() windows, so no engine needs
percentile_cont and no figure is computed by looping over cases in Python.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.db import connection
from django.utils import timezone

from cases.deadlines import CONCEPT_PLAN, LETTER
from intake.constants import ReportStatus, Urgency
from monitor.periods import Period

# A moment as a (fractional) day number: Julian day on SQLite, epoch days on PostgreSQL.
_DAYNUM = {
    "sqlite": "julianday({})",
    "postgresql": "(EXTRACT(EPOCH FROM {}) / 86400.0)",
}
# A DATE column as the moment of its midnight (UTC), so it can be compared with timestamps.
_DATE_AS_MOMENT = {"sqlite": "{}", "postgresql": "CAST({} AS timestamp)"}
_PARAM_AS_MOMENT = {"sqlite": "{}", "postgresql": "CAST({} AS timestamptz)"}
# The calendar day in Europe/Amsterdam of a moment, and a date, as a day number on the same
# scale as _DAYNUM (the day's midnight UTC): deadlines run in local calendar days
# (cases.deadlines), so a letter sent on day 21 is on time whatever the hour of the decision.
_LOCAL_DAY = {
    "sqlite": "julianday(django_datetime_cast_date({}, 'Europe/Amsterdam', 'UTC'))",
    "postgresql": "(CAST(({} AT TIME ZONE 'Europe/Amsterdam') AS date) - DATE '1970-01-01')",
}
_DATE_DAY = {"sqlite": "julianday({})", "postgresql": "({} - DATE '1970-01-01')"}
_PARAM_DATE_DAY = {
    "sqlite": "julianday({})",
    "postgresql": "(CAST({} AS date) - DATE '1970-01-01')",
}

MILESTONES: list[tuple[str, str]] = [
    ("received", "Melding ontvangen"),
    ("triaged", "Eerste beoordeling"),
    ("forwarded", "Doorgezet naar het Voorportaal"),
    ("advised", "Advies Voorportaal"),
    ("decided", "Besluit opname"),
    ("admitted", "Opgenomen"),
    ("not_admitted", "Niet opgenomen"),
    ("letter", "Notificatiebrief verzonden"),
    ("base_file", "Basisdossier toebedeeld"),
    ("concept_plan", "Concept plan bij het ITAT-R"),
    ("adopted", "Plan vastgesteld"),
    ("phase_down", "Afbouw"),
    ("closed", "Afgesloten"),
]
MILESTONE_LABELS = dict(MILESTONES)

# Every step of the workflow, plus the spans governance asks about.
# Triage and forwarding are one act (the same moment), and so are admission and handing the base
# file to the regisseur: those spans are 0 by construction and are not shown.
PAIRS: list[tuple[str, str]] = [
    ("received", "triaged"),
    ("forwarded", "advised"),
    ("advised", "decided"),
    ("decided", "letter"),
    ("base_file", "concept_plan"),
    ("concept_plan", "adopted"),
    ("adopted", "phase_down"),
    ("phase_down", "closed"),
    ("received", "decided"),
    ("received", "admitted"),
    ("received", "not_admitted"),
    ("decided", "adopted"),
    ("decided", "closed"),
    ("received", "closed"),
]

# Spans between a moment and a calendar date are counted in local calendar days on both sides.
DAY_PAIRS = {("decided", "letter"): ("decided_day", "letter")}


def vendor() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def daynum(expression: str) -> str:
    return _DAYNUM[vendor()].format(expression)


def moment_param(value: datetime) -> object:
    """A bound parameter for a moment, in the form each engine compares with its columns."""
    if vendor() == "sqlite":
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    return value


def param_day(value: datetime) -> str:
    return daynum(_PARAM_AS_MOMENT[vendor()].format("%s")), moment_param(value)


def local_day(expression: str) -> str:
    """SQL for the Amsterdam calendar day of a moment column, as a day number."""
    return _LOCAL_DAY[vendor()].format(expression)


def date_day(expression: str) -> str:
    return _DATE_DAY[vendor()].format(expression)


def param_date_day(value) -> tuple[str, object]:
    return _PARAM_DATE_DAY[vendor()].format("%s"), value.isoformat()


def period_bounds(period: Period) -> tuple[datetime, datetime]:
    """Local midnights at the period's start and end (Europe/Amsterdam), aware."""
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(period.start, time.min), zone),
        timezone.make_aware(datetime.combine(period.end, time.min), zone),
    )


def milestones_cte() -> str:
    """One row per report and per case without a report, each milestone as a day number."""
    decided = "COALESCE(c.admitted_at, r.decided_at)"
    not_admitted = f"CASE WHEN r.status = '{ReportStatus.NOT_ADMITTED}' THEN r.decided_at END"
    columns = f"""
        c.id AS case_id,
        r.id AS report_id,
        {daynum("r.received_at")} AS received,
        {daynum("r.triaged_at")} AS triaged,
        {daynum("r.forwarded_at")} AS forwarded,
        {daynum("r.advised_at")} AS advised,
        {daynum(decided)} AS decided,
        {daynum("c.admitted_at")} AS admitted,
        {daynum(not_admitted)} AS not_admitted,
        {local_day(decided)} AS decided_day,
        {date_day("l.first_letter")} AS letter,
        {daynum("c.base_file_assigned_at")} AS base_file,
        {local_day("c.base_file_assigned_at")} AS base_file_day,
        {local_day("p.first_submitted")} AS concept_plan_day,
        {daynum("p.first_submitted")} AS concept_plan,
        {daynum("p.first_adopted")} AS adopted,
        {daynum("c.phase_down_at")} AS phase_down,
        {daynum("c.closed_at")} AS closed
    """
    joins = """
        LEFT JOIN (
            SELECT case_id, MIN(dispatched_on) AS first_letter
            FROM cases_letter WHERE dispatched_on IS NOT NULL GROUP BY case_id
        ) l ON l.case_id = c.id
        LEFT JOIN (
            SELECT case_id, MIN(submitted_at) AS first_submitted, MIN(adopted_at) AS first_adopted
            FROM cases_planversion GROUP BY case_id
        ) p ON p.case_id = c.id
    """
    return f"""
        milestones AS (
            SELECT {columns}
            FROM intake_report r LEFT JOIN cases_case c ON c.report_id = r.id {joins}
            UNION ALL
            SELECT {columns}
            FROM cases_case c LEFT JOIN intake_report r ON r.id = c.report_id {joins}
            WHERE c.report_id IS NULL
        )
    """  # noqa: S608


def _span_statistics(
    current: Period, previous: Period, union: str, extra_ctes: str = ""
) -> list[dict]:
    """n, mean, median, p10 and p90 (linear, like percentile_cont) in days per group of spans
    (`union` selects group, a and b) and period; a span counts in the period in which its
    later moment falls. No minimum or maximum: each is one person's exact value."""
    cur_start, cur_end = period_bounds(current)
    prev_start, _ = period_bounds(previous)
    (cs_sql, cs), (ce_sql, ce), (ps_sql, ps) = (
        param_day(cur_start),
        param_day(cur_end),
        param_day(prev_start),
    )
    sql = f"""
        WITH {milestones_cte()}, {extra_ctes}
        pairs AS ({union}),
        spans AS (
            SELECT pair, b - a AS days,
                   CASE WHEN b >= {cs_sql} THEN 'cur' ELSE 'prev' END AS per
            FROM pairs
            WHERE a IS NOT NULL AND b IS NOT NULL AND b >= a
              AND b >= {ps_sql} AND b < {ce_sql}
        ),
        ranked AS (
            SELECT pair, per, days,
                   ROW_NUMBER() OVER (PARTITION BY pair, per ORDER BY days) AS rn,
                   COUNT(*) OVER (PARTITION BY pair, per) AS n
            FROM spans
        )
        SELECT pair, per, MAX(n), AVG(days),
               SUM(CASE
                   WHEN rn = 1 + (n - 1) / 10 THEN days * (1 - ((n - 1) %% 10) / 10.0)
                   WHEN rn = 2 + (n - 1) / 10 THEN days * (((n - 1) %% 10) / 10.0)
                   ELSE 0 END),
               AVG(CASE WHEN rn = (n + 1) / 2 OR rn = (n + 2) / 2 THEN days END),
               SUM(CASE
                   WHEN rn = 1 + (9 * (n - 1)) / 10
                       THEN days * (1 - ((9 * (n - 1)) %% 10) / 10.0)
                   WHEN rn = 2 + (9 * (n - 1)) / 10
                       THEN days * (((9 * (n - 1)) %% 10) / 10.0)
                   ELSE 0 END)
        FROM ranked GROUP BY pair, per
    """  # noqa: S608 (only the module's own constants are interpolated; values are bound)
    with connection.cursor() as cursor:
        cursor.execute(sql, [cs, ps, ce])
        rows = cursor.fetchall()
    return [
        {
            "pair": pair,
            "period": per,
            "n": int(n),
            "mean": float(mean),
            "p10": float(p10),
            "median": float(median),
            "p90": float(p90),
        }
        for pair, per, n, mean, p10, median, p90 in rows
    ]


def lead_times(current: Period, previous: Period) -> list[dict]:
    """The statistics of every milestone pair of PAIRS (see _span_statistics)."""
    union = " UNION ALL ".join(
        f"SELECT '{a}:{b}' AS pair, {DAY_PAIRS.get((a, b), (a, b))[0]} AS a, "  # noqa: S608
        f"{DAY_PAIRS.get((a, b), (a, b))[1]} AS b FROM milestones"
        for a, b in PAIRS
    )
    return _span_statistics(current, previous, union)


# Why a report took long to decide: each report decided, by its route and by whether an
# information request was open at the decision. The route groups exclude each other; an
# incomplete assessment can only have passed by the urgent route (intake.services), so it counts
# as urgent whatever the report's urgency says now.
LEAD_FACTORS: list[tuple[str, str]] = [
    ("route:normal", "incomplete = 0 AND urgent = 0"),
    ("route:urgent", "incomplete = 1 OR urgent = 1"),
    ("route:urgent_complete", "incomplete = 0 AND urgent = 1"),
    ("route:incomplete", "incomplete = 1"),
    ("request:open", "open_request = 1"),
    ("request:none", "open_request = 0"),
]


def evaluation_spans(current: Period, previous: Period) -> list[dict]:
    """Statistics for the programme evaluation (see _span_statistics), in one statement:

    - `route:*` and `request:*`: report received → decided (the same spans as the lead time
      received:decided), by route and by information requests open at the decision. A request
      is open at the decision when it was asked on or before the local day of the decision
      and answered after that day or not at all.
    - `duration`: the time in the approach, admission → closure, of cases closed in the period.
    """
    asked, answered = date_day("ir.asked_on"), date_day("ir.answered_on")
    factors = f"""
        factors AS (
            SELECT m.received, m.decided,
                   CASE WHEN a.is_incomplete THEN 1 ELSE 0 END AS incomplete,
                   CASE WHEN r.urgency = '{Urgency.URGENT}' THEN 1 ELSE 0 END AS urgent,
                   CASE WHEN EXISTS (
                       SELECT 1 FROM intake_informationrequest ir
                       WHERE ir.report_id = m.report_id AND {asked} <= m.decided_day
                         AND (ir.answered_on IS NULL OR {answered} > m.decided_day)
                   ) THEN 1 ELSE 0 END AS open_request
            FROM milestones m
            JOIN intake_report r ON r.id = m.report_id
            LEFT JOIN intake_assessment a ON a.report_id = r.id
        ),
    """  # noqa: S608
    union = " UNION ALL ".join(
        [
            f"SELECT '{code}' AS pair, received AS a, decided AS b "  # noqa: S608
            f"FROM factors WHERE {condition}"
            for code, condition in LEAD_FACTORS
        ]
        + ["SELECT 'duration', admitted, closed FROM milestones WHERE case_id IS NOT NULL"]
    )
    return _span_statistics(current, previous, union, factors)


def deadline_shares(current: Period, previous: Period, now: datetime) -> list[dict]:
    """Letters within 3 weeks of admission and concept plans at the ITAT-R within 5 weeks of
    the base file (cases.deadlines: calendar days in Amsterdam, done on the due date is on
    time): the cohort is admissions (base files) in the period whose due date passed or that
    were met already."""
    cur_start, cur_end = period_bounds(current)
    prev_start, _ = period_bounds(previous)
    (cs_sql, cs), (ce_sql, ce), (ps_sql, ps), (today_sql, today_p) = (
        param_day(cur_start),
        param_day(cur_end),
        param_day(prev_start),
        param_date_day(timezone.localdate(now)),
    )
    sql = f"""
        WITH {milestones_cte()},
        cohorts AS (
            SELECT '{LETTER.code}' AS measure, decided AS start_moment,
                   decided_day AS start_day, letter AS done_day, {LETTER.days} AS allowed
            FROM milestones WHERE case_id IS NOT NULL
            UNION ALL
            SELECT '{CONCEPT_PLAN.code}', base_file, base_file_day, concept_plan_day,
                   {CONCEPT_PLAN.days}
            FROM milestones
        ),
        judged AS (
            SELECT measure,
                   CASE WHEN start_moment >= {cs_sql} THEN 'cur' ELSE 'prev' END AS per,
                   CASE WHEN done_day IS NOT NULL AND done_day <= start_day + allowed
                        THEN 1 ELSE 0 END AS in_time
            FROM cohorts
            WHERE start_moment IS NOT NULL
              AND start_moment >= {ps_sql} AND start_moment < {ce_sql}
              AND (done_day IS NOT NULL OR start_day + allowed < {today_sql})
        )
        SELECT measure, per, COUNT(*), SUM(in_time) FROM judged GROUP BY measure, per
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [cs, ps, ce, today_p])
        return [
            {"measure": m, "period": p, "n": int(n), "in_time": int(t or 0)}
            for m, p, n, t in cursor.fetchall()
        ]


def _periods_cte(current: Period, previous: Period) -> tuple[str, list]:
    sql = """
        periods AS (
            SELECT 'cur' AS per, %s AS p_start, %s AS p_end
            UNION ALL SELECT 'prev', %s, %s
        )
    """
    return sql, [current.start, current.end, previous.start, previous.end]


def evaluations_due(current: Period, previous: Period) -> list[dict]:
    """Cases whose evaluation fell due in the period (last evaluation before the period, or the
    plan's adoption, plus the case's interval) against those evaluated in it."""
    periods, params = _periods_cte(current, previous)
    adopted_day = daynum("p.first_adopted")
    last_day = daynum(_DATE_AS_MOMENT[vendor()].format("le.last_held"))
    end_day = daynum(_PARAM_AS_MOMENT[vendor()].format("pe.p_end"))
    start_day = daynum(_PARAM_AS_MOMENT[vendor()].format("pe.p_start"))
    sql = f"""
        WITH {periods},
        plans AS (
            SELECT case_id, MIN(adopted_at) AS first_adopted
            FROM cases_planversion WHERE adopted_at IS NOT NULL GROUP BY case_id
        ),
        base AS (
            SELECT pe.per, c.id AS case_id, c.evaluation_interval_weeks AS weeks,
                   COALESCE({last_day}, {adopted_day}) AS from_day, {end_day} AS end_day,
                   {start_day} AS start_day,
                   (SELECT COUNT(*) FROM cases_evaluation e2 WHERE e2.case_id = c.id
                      AND e2.held_on >= pe.p_start AND e2.held_on < pe.p_end) AS held
            FROM cases_case c
            JOIN plans p ON p.case_id = c.id
            CROSS JOIN periods pe
            LEFT JOIN (
                SELECT e.case_id, pe2.per, MAX(e.held_on) AS last_held
                FROM cases_evaluation e JOIN periods pe2 ON e.held_on < pe2.p_start
                GROUP BY e.case_id, pe2.per
            ) le ON le.case_id = c.id AND le.per = pe.per
            WHERE {adopted_day} < {end_day}
              AND (c.closed_at IS NULL OR {daynum("c.closed_at")} >= {start_day})
        )
        SELECT per,
               SUM(CASE WHEN from_day + 7 * weeks < end_day THEN 1 ELSE 0 END),
               SUM(CASE WHEN from_day + 7 * weeks < end_day AND held > 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN held > 0 THEN 1 ELSE 0 END)
        FROM base GROUP BY per
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            {"period": per, "due": int(due or 0), "due_done": int(dd or 0), "held": int(h or 0)}
            for per, due, dd, h in cursor.fetchall()
        ]


def goal_outcomes(current: Period, previous: Period) -> list[dict]:
    """Closed cases by how their goals ended: each goal's latest evaluation result."""
    periods, params = _periods_cte(current, previous)
    closed = daynum("c.closed_at")
    sql = f"""
        WITH {periods},
        latest AS (
            SELECT g.case_id, r.result,
                   ROW_NUMBER() OVER (
                       PARTITION BY r.goal_id ORDER BY e.held_on DESC, e.id DESC
                   ) AS rn
            FROM cases_evaluationgoalresult r
            JOIN cases_evaluation e ON e.id = r.evaluation_id
            JOIN cases_goal g ON g.id = r.goal_id
        ),
        per_case AS (
            SELECT c.id, {closed} AS closed_day,
                   SUM(CASE WHEN l.result = 'behaald' THEN 1 ELSE 0 END) AS achieved,
                   SUM(CASE WHEN l.result = 'deels' THEN 1 ELSE 0 END) AS partly,
                   COUNT(l.result) AS n
            FROM cases_case c LEFT JOIN latest l ON l.case_id = c.id AND l.rn = 1
            WHERE c.closed_at IS NOT NULL
            GROUP BY c.id, c.closed_at
        )
        SELECT pe.per,
               CASE WHEN pc.n = 0 THEN 'geen'
                    WHEN pc.achieved = pc.n THEN 'behaald'
                    WHEN pc.achieved + pc.partly > 0 THEN 'deels'
                    ELSE 'niet' END AS outcome,
               COUNT(*)
        FROM per_case pc JOIN periods pe
          ON pc.closed_day >= {daynum(_PARAM_AS_MOMENT[vendor()].format("pe.p_start"))}
         AND pc.closed_day < {daynum(_PARAM_AS_MOMENT[vendor()].format("pe.p_end"))}
        GROUP BY pe.per, outcome
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [{"period": p, "outcome": o, "n": int(n)} for p, o, n in cursor.fetchall()]


def domain_changes(current: Period, previous: Period) -> list[dict]:
    """Per life domain: cases evaluated in the period with an earlier scored evaluation, and
    the mean change from their first to their latest score."""
    periods, params = _periods_cte(current, previous)
    sql = f"""
        WITH {periods},
        scores AS (
            SELECT pe.per, pe.p_start, e.case_id, d.domain, d.score, e.held_on,
                   ROW_NUMBER() OVER (
                       PARTITION BY pe.per, e.case_id, d.domain ORDER BY e.held_on, e.id
                   ) AS first_rn,
                   ROW_NUMBER() OVER (
                       PARTITION BY pe.per, e.case_id, d.domain
                       ORDER BY e.held_on DESC, e.id DESC
                   ) AS last_rn
            FROM cases_domainscore d
            JOIN cases_evaluation e ON e.id = d.evaluation_id
            JOIN periods pe ON e.held_on < pe.p_end
        )
        SELECT f.per, f.domain, COUNT(*), AVG(1.0 * (l.score - f.score))
        FROM scores f
        JOIN scores l ON l.per = f.per AND l.case_id = f.case_id AND l.domain = f.domain
        WHERE f.first_rn = 1 AND l.last_rn = 1 AND l.held_on >= l.p_start
          AND f.held_on < l.held_on
        GROUP BY f.per, f.domain
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            {"period": p, "domain": d, "n": int(n), "change": float(c)}
            for p, d, n, c in cursor.fetchall()
        ]
