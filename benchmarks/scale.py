"""Scale data for the benchmark (issue 10): the whole country's caseload, built set-based.

Every bulk table is filled with one `INSERT ... SELECT ... FROM generate_series(...)` so that
PostgreSQL does the work: the large tier (120,000 cases, 2.4 million logbook entries) takes
minutes, not hours. It lives in `benchmarks`, above every app, because it writes every app's
tables. PostgreSQL only: the demo database (SQLite) has no generate_series.

The tier is recorded in a marker table, so a second run with the same tier does nothing and a
run with another tier refuses (use a separate database per tier).
"""

import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Case
from ipgar.accounts.constants import Role
from ipgar.accounts.models import Organisation, User
from meetings.constants import BodyFunction
from meetings.models import Body

MARKER_TABLE = "ipgar_scale_tier"
BENCH_REGISSEUR = "bench_regisseur"


@dataclass(frozen=True)
class Tier:
    name: str
    cases: int  # one subject per case
    regisseur_cases: int  # cases of the one busy regisseur
    big_logbook: int  # logbook entries of the one long case
    logbook_per_case: int  # the others
    regisseurs: int
    agenda_items: int = 60


TIERS = {
    "large": Tier("large", 120_000, 20_000, 10_000, 20, 200),
    "small": Tier("small", 1_200, 200, 100, 20, 20),
}

FIRST_NAMES = [
    "Ahmed", "Bilal", "Daan", "Emma", "Fatima", "Hamza", "Ilias", "Jesse", "Kevin", "Lina",
    "Mohamed", "Noah", "Omar", "Priya", "Rachid", "Sanne", "Tarik", "Youssef", "Zoe", "Ayoub",
    "Bram", "Chaima", "Dewi", "Eline", "Finn", "Hajar", "Ismail", "Julia", "Khalid", "Lars",
]  # fmt: skip
LAST_NAMES = [
    "Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos",
    "Vos", "Peters", "Hendriks", "El Amrani", "Yilmaz", "Bouzid", "Kaya", "Benali", "Ouali",
    "Demir", "Haddou", "van Dijk", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Kramer",
    "Ait Taleb", "Mansour", "Vermeulen", "van Leeuwen", "Postma", "Hoekstra", "Koster", "Prins",
    "Huisman", "Kuipers", "Veenstra", "Wolters", "Karimi", "Sahin", "Amrani", "Tahiri",
]  # fmt: skip
# Phase by case number modulo 20: every phase, most cases running, a quarter closed.
PHASES_BY_MOD = (
    ["opgenomen", "basisdossier", "concept_plan", "bij_advies", "vastgesteld"]
    + ["in_uitvoering"] * 7
    + ["afbouw"] * 2
    + ["afgesloten"] * 6
)
IDEOLOGIES = ["jihadistisch", "rechts", "links", "single_issue", "anti_overheid", "overig"]
LOG_KINDS = [
    "face_to_face", "telefoon", "digitaal", "netwerk", "partner", "uvo", "ontwikkeling", "poging",
]  # fmt: skip


def _sql_array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _marker_table(cursor) -> None:
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (tier text PRIMARY KEY, "
        "created_at timestamptz NOT NULL, seconds double precision NOT NULL)"
    )


def existing_tier() -> str | None:
    with connection.cursor() as cursor:
        _marker_table(cursor)
        cursor.execute(f"SELECT tier FROM {MARKER_TABLE}")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def _users(tier: Tier) -> tuple[User, list[User]]:
    """The busy regisseur and the pool, with roles, each with a confirmed second factor so that
    the benchmark can hold a verified session (it never bypasses the login itself)."""
    group = Group.objects.get(name=Role.REGISSEUR)
    organisations = list(Organisation.objects.order_by("code"))
    oov = Organisation.objects.get(code="OOV")
    pool = []
    for n in range(tier.regisseurs):
        username = BENCH_REGISSEUR if n == 0 else f"bench_regisseur_{n:03d}"
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": FIRST_NAMES[n % len(FIRST_NAMES)],
                "last_name": f"Regisseur {n:03d}",
                "email": f"{username}@bench.ipgar.invalid",
                "organisation": oov if n == 0 else organisations[n % len(organisations)],
                "fte": Decimal("1.00"),
                "job_title": "Casusregisseur",
            },
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(group)
        pool.append(user)
    for user in [*pool[:1], *User.objects.filter(username__in=["secretaris", "intake"])]:
        TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    return pool[0], pool


def _meetings(tier: Tier, cursor) -> int:
    """Two years of past meetings per body, eight agenda items each, and one upcoming advisory
    meeting with `tier.agenda_items` items (the agenda page of the benchmark)."""
    today = timezone.localdate()
    for body in Body.objects.all():
        step = timedelta(weeks=body.interval_weeks)
        first = body.first_date
        k0 = -((first - (today - timedelta(days=730))) // step)
        k1 = (today + timedelta(days=90) - first) // step
        cursor.execute(
            """
            INSERT INTO meetings_meeting (starts_at, duration_minutes, location, status,
                outside_cycle_reason, cycle_date, minutes_status, body_id, agenda_sent_at,
                minutes_adopted_at)
            SELECT ((%(first)s::date + k * %(days)s) + time '09:00')
                   AT TIME ZONE 'Europe/Amsterdam',
                   %(duration)s, %(location)s, 'gepland', '', %(first)s::date + k * %(days)s,
                   CASE WHEN %(first)s::date + k * %(days)s < %(today)s THEN 'vastgesteld'
                        ELSE 'concept' END,
                   %(body)s, NULL, NULL
            FROM generate_series(%(k0)s, %(k1)s) k
            ON CONFLICT DO NOTHING
            """,
            {
                "first": first,
                "days": step.days,
                "duration": body.duration_minutes,
                "location": body.location,
                "today": today,
                "body": body.pk,
                "k0": k0,
                "k1": k1,
            },
        )
    cursor.execute(
        """
        INSERT INTO meetings_agendaitem ("order", kind, title, case_kind, slot_minutes,
            is_closed_session, status, notes, carry_note, meeting_id, case_id)
        SELECT g, 'casus', 'Casus ' || c.id, 'advies_plan', 20, false,
               CASE WHEN m.starts_at < now() THEN 'besproken' ELSE 'open' END, '', '', m.id, c.id
        FROM meetings_meeting m
        CROSS JOIN generate_series(1, 8) g
        JOIN cases_case c ON c.id = 1 + ((m.id * 97 + g * 7919) %% %(n)s)
        WHERE NOT EXISTS (SELECT 1 FROM meetings_agendaitem i WHERE i.meeting_id = m.id)
        """,
        {"n": tier.cases},
    )
    advisory = Body.objects.filter(function=BodyFunction.ADVISORY).order_by("pk").first()
    cursor.execute(
        """
        INSERT INTO meetings_meeting (starts_at, duration_minutes, location, status,
            outside_cycle_reason, cycle_date, minutes_status, body_id)
        VALUES (now() + interval '10 days', 1200, %s, 'gepland',
                'Extra vergadering met een lange agenda (schaaltest)', NULL, 'concept', %s)
        RETURNING id
        """,
        [advisory.location, advisory.pk],
    )
    meeting_id = cursor.fetchone()[0]
    cursor.execute(
        """
        INSERT INTO meetings_agendaitem ("order", kind, title, case_kind, slot_minutes,
            is_closed_session, status, notes, carry_note, meeting_id, case_id, plan_id)
        SELECT g, 'casus', 'Concept plan van aanpak ' || c.id, 'advies_plan', 20, g %% 10 = 0,
               'open', '', '', %s, c.id,
               (SELECT p.id FROM cases_planversion p WHERE p.case_id = c.id LIMIT 1)
        FROM generate_series(1, %s) g
        JOIN cases_case c ON c.id = g * 3
        """,
        [meeting_id, tier.agenda_items],
    )
    return meeting_id


def generate(tier: Tier, *, log=print, vacuum: bool = True) -> dict:
    """Fill an empty-but-migrated database (after `seed_demo`) with the tier. Returns timings."""
    timings: dict[str, float] = {}
    started = time.monotonic()

    def step(name: str, sql: str, params=None) -> None:  # params always: '%%' means '%'
        t0 = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(sql, params or {})
        timings[name] = round(time.monotonic() - t0, 2)
        log(f"  {name}: {timings[name]} s")

    with transaction.atomic():
        busy, pool = _users(tier)
        # Scale cases get ids 1..N so the set-based steps can compute relations by arithmetic;
        # the demo's cases (if any) are moved past them first by restarting after the max.
        if Case.objects.exists():
            raise RuntimeError("generate_scale_data verwacht een database zonder casussen.")
        framework_id = _scalar(
            "SELECT id FROM intake_frameworkversion ORDER BY is_current DESC, id DESC LIMIT 1"
        )
        user_ids = "ARRAY[" + ",".join(str(u.pk) for u in pool) + "]"
        org_ids = "ARRAY[" + ",".join(str(u.organisation_id) for u in pool) + "]"
        perms = list(
            Permission.objects.filter(
                content_type__app_label="cases",
                codename__in=["view_case", "change_case", "log_case"],
            ).values_list("pk", flat=True)
        )
        params = {
            "n": tier.cases,
            "busy": tier.regisseur_cases,
            "r": len(pool),
        }
        # Regisseur of case i: the busy one for i <= busy, else the pool round-robin.
        regisseur_expr = (
            f"CASE WHEN i <= %(busy)s THEN {pool[0].pk} ELSE ({user_ids})[1 + i %% (%(r)s - 1) + 1]"
            " END"
        )
        org_expr = (
            f"CASE WHEN i <= %(busy)s THEN {busy.organisation_id} "
            f"ELSE ({org_ids})[1 + i %% (%(r)s - 1) + 1] END"
        )
        step(
            "subjects",
            f"""
            INSERT INTO cases_subject (id, first_name, last_name, aliases, date_of_birth, bsn,
                gender, street, postcode, city, institution_kind, institution_name,
                institution_address, detained_from, detained_until, abroad, abroad_since,
                abroad_note, name_key, created_at, updated_at)
            SELECT i, f, l, '', date '1965-01-01' + (i * 37 %% 13000)::int, '',
                   CASE WHEN i %% 5 = 0 THEN 'v' ELSE 'm' END,
                   'Straatweg ' || (i %% 300 + 1), lpad((1000 + i %% 8999)::text, 4, '0') || ' AB',
                   'Amsterdam', '', '', '', NULL, NULL, false, NULL, '',
                   regexp_replace(lower(regexp_replace(f || l, '[^a-zA-Z]', '', 'g')),
                                  '(.)\\1+', '\\1', 'g'),
                   now(), now()
            FROM (SELECT i, ({_sql_array(FIRST_NAMES)})[1 + i %% {len(FIRST_NAMES)}] AS f,
                         ({_sql_array(LAST_NAMES)})[1 + (i / 7) %% {len(LAST_NAMES)}] || ' '
                           || (i %% 997) AS l
                  FROM generate_series(1, %(n)s) i) s
            """,  # noqa: S608
            params,
        )
        step(
            "cases",
            f"""
            INSERT INTO cases_case (id, phase, risk_groups, ideology, admitted_at,
                base_file_assigned_at, evaluation_interval_weeks, is_dormant, dormant_reason,
                dormant_since, phase_down_at, closed_at, closure_reason, created_at, updated_at,
                handover_organisation_id, organisation_id, regisseur_id, report_id, subject_id,
                family_approach)
            SELECT i, p, jsonb_build_array(1 + i %% 5), ({_sql_array(IDEOLOGIES)})[1 + i %% 6],
                   adm, adm, 12, false, '', NULL,
                   CASE WHEN p = 'afbouw' THEN adm + interval '400 days' END,
                   CASE WHEN p = 'afgesloten' THEN adm + interval '500 days' END,
                   CASE WHEN p = 'afgesloten' THEN 'doelen_behaald' ELSE '' END,
                   adm, now(), NULL, {org_expr}, {regisseur_expr}, NULL, i, false
            FROM (SELECT i, ({_sql_array(PHASES_BY_MOD)})[1 + i %% 20] AS p,
                         now() - make_interval(days => 30 + (i * 7919) %% 1500) AS adm
                  FROM generate_series(1, %(n)s) i) s
            """,  # noqa: S608
            params,
        )
        step(
            "object permissions (guardian)",
            """
            INSERT INTO cases_caseuserobjectpermission (content_object_id, permission_id, user_id)
            SELECT c.id, p, c.regisseur_id FROM cases_case c CROSS JOIN unnest(%(perms)s) p
            """,
            {"perms": perms},
        )
        step(
            "base files",
            """
            INSERT INTO cases_basefile (risk_groups, ideology, violence_readiness, network,
                summary, carried_over_incomplete, updated_at, framework_version_id, case_id)
            SELECT risk_groups, ideology, '', '', 'Informatiebeeld bij opname.', false, now(),
                   %(fw)s, id
            FROM cases_case
            """,
            {"fw": framework_id},
        )
        step(
            "goals",
            """
            INSERT INTO cases_goal (life_domain, description, is_active, created_at, case_id)
            SELECT (ARRAY['dagbesteding','inkomen','huisvesting','relaties'])[g + c.id %% 2],
                   'Doel ' || g || ' van het plan', true, c.admitted_at, c.id
            FROM cases_case c CROSS JOIN generate_series(1, 2) g
            WHERE c.phase NOT IN ('opgenomen', 'basisdossier')
            """,
        )
        step(
            "interventions",
            """
            INSERT INTO cases_intervention (rationale, aim, planned_start, planned_end, status,
                result, created_at, updated_at, case_id, catalogue_entry_id, goal_id, owner_id,
                owner_organisation_id)
            SELECT 'Sluit aan bij het doel en de leefwereld.', '', gl.created_at::date,
                   gl.created_at::date + 365,
                   CASE WHEN c.phase = 'afgesloten' THEN 'afgerond' ELSE 'lopend' END, '',
                   gl.created_at, now(), c.id, e.id, gl.id, NULL, e.provider_id
            FROM cases_goal gl
            JOIN cases_case c ON c.id = gl.case_id
            JOIN LATERAL (SELECT id, provider_id FROM cases_catalogueentry
                          ORDER BY id OFFSET (gl.id %% (SELECT count(*) FROM
                          cases_catalogueentry)) LIMIT 1) e ON true
            """,
        )
        step(
            "plan versions",
            """
            INSERT INTO cases_planversion (number, status, scenario_short, scenario_long,
                snapshot, submitted_at, advice, advised_at, adopted_at, created_at, updated_at,
                accorded_by_id, case_id)
            SELECT 1,
                   CASE c.phase WHEN 'concept_plan' THEN 'concept'
                                WHEN 'bij_advies' THEN 'ingediend' ELSE 'vastgesteld' END,
                   'Korte termijn: stabiliseren.', 'Lange termijn: uitstroom.', '{}'::jsonb,
                   CASE WHEN c.phase <> 'concept_plan' THEN c.admitted_at + interval '35 days' END,
                   '',
                   CASE WHEN c.phase NOT IN ('concept_plan', 'bij_advies')
                        THEN c.admitted_at + interval '50 days' END,
                   CASE WHEN c.phase NOT IN ('concept_plan', 'bij_advies')
                        THEN c.admitted_at + interval '64 days' END,
                   c.admitted_at + interval '30 days', now(), NULL, c.id
            FROM cases_case c WHERE c.phase NOT IN ('opgenomen', 'basisdossier')
            """,
        )
        # 20 entries per case, spread back from recent; one case in 7 quiet for over 6 weeks.
        step(
            "logbook",
            f"""
            INSERT INTO cases_logentry (at, kind, text, participants, created_at, updated_at,
                author_id, case_id, corrects_id, intervention_id)
            SELECT t, ({_sql_array(LOG_KINDS)})[1 + (g + c.id) %% 8],
                   'Gesprek gevoerd over dagbesteding en netwerk; afspraken gemaakt (' || g || ').',
                   '', t, t, c.regisseur_id, c.id, NULL, NULL
            FROM cases_case c
            CROSS JOIN LATERAL generate_series(1, CASE WHEN c.id = 6 THEN %(big)s
                                                       ELSE %(per)s END) g
            CROSS JOIN LATERAL (SELECT coalesce(c.closed_at, now())
                - make_interval(days => ((g - 1) * CASE WHEN c.id = 6 THEN 0 ELSE 9 END
                                         + (c.id %% 49))::int, hours => (g %% 24)::int,
                                mins => ((g * 7) %% 60)::int) AS t) ts
            """,  # noqa: S608
            {"big": tier.big_logbook, "per": tier.logbook_per_case},
        )
        step(
            "contacts",
            """
            INSERT INTO cases_contact (kind, name, relation, organisation, phone, email, address,
                is_legal_representative, case_id)
            SELECT 'netwerk', 'Contact ' || c.id, 'buurtcoach', '', '', '', '', false, c.id
            FROM cases_case c
            """,
        )
        step(
            "partner meetings (UVO)",
            """
            INSERT INTO cases_partnermeeting (held_on, participants, notes, case_id,
                recorded_by_id)
            SELECT coalesce(c.closed_at, now())::date - ((g - 1) * 56 + c.id %% 40)::int,
                   'Regisseur, politie, wijkteam', 'Voortgang besproken.', c.id, c.regisseur_id
            FROM cases_case c CROSS JOIN generate_series(1, 3) g
            WHERE c.phase NOT IN ('opgenomen', 'basisdossier')
            """,
        )
        step(
            "UVO agreements",
            """
            INSERT INTO cases_agreement (what, owner_name, due_on, done_on, owner_id, meeting_id)
            SELECT 'Terugkoppeling aan de regisseur', 'Wijkteam', m.held_on + 21,
                   CASE WHEN m.held_on + 21 < now()::date THEN m.held_on + 14 END, NULL, m.id
            FROM cases_partnermeeting m
            """,
        )
        step(
            "evaluations",
            """
            INSERT INTO cases_evaluation (held_on, summary, conclusion, case_id, recorded_by_id)
            SELECT coalesce(c.closed_at, now())::date - ((g - 1) * 84 + c.id %% 70)::int,
                   'Plan loopt; doelen deels behaald.', 'voortzetten', c.id, c.regisseur_id
            FROM cases_case c CROSS JOIN generate_series(1, 2) g
            WHERE c.phase IN ('in_uitvoering', 'afbouw', 'afgesloten')
            """,
        )
        # Letters went out for every case older than the three-week term.
        step(
            "notification letters",
            """
            INSERT INTO cases_letter (template_version, recipient_kind, recipient_name, address,
                attention_of, file, created_at, dispatched_on, method, case_id, created_by_id,
                dispatched_by_id)
            SELECT 'kennisgeving-2026-1', 'persoon', s.first_name || ' ' || s.last_name,
                   s.street || E'\n' || s.postcode || ' ' || s.city, '',
                   'brieven/schaal/' || c.id || '.pdf', c.admitted_at + interval '7 days',
                   (c.admitted_at + interval '10 days')::date, 'post', c.id, c.regisseur_id,
                   c.regisseur_id
            FROM cases_case c JOIN cases_subject s ON s.id = c.subject_id
            WHERE c.admitted_at < now() - interval '21 days'
            """,
        )
        for model, table in [
            ("subject", "cases_subject"),
            ("case", "cases_case"),
            ("intervention", "cases_intervention"),
            ("planversion", "cases_planversion"),
        ]:
            step(
                f"history ({model})",
                f"""
                INSERT INTO cases_historical{model}
                    ({_history_columns(table)}, history_date, history_change_reason,
                     history_type, history_user_id)
                SELECT {_history_columns(table)}, created_at, NULL, '+', NULL FROM {table}
                """,  # noqa: S608
            )
        for table in [
            "cases_subject", "cases_case", "cases_basefile", "cases_goal", "cases_intervention",
            "cases_planversion", "cases_logentry", "cases_contact", "cases_partnermeeting",
            "cases_agreement", "cases_evaluation", "cases_letter",
            "cases_caseuserobjectpermission",
        ]:  # fmt: skip
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                )
        t0 = time.monotonic()
        with connection.cursor() as cursor:
            meeting_id = _meetings(tier, cursor)
            for table in ["meetings_meeting", "meetings_agendaitem"]:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                )
        timings["meetings and agendas"] = round(time.monotonic() - t0, 2)
        log(f"  meetings and agendas: {timings['meetings and agendas']} s")
        seconds = round(time.monotonic() - started, 1)
        with connection.cursor() as cursor:
            # A caller that never asked existing_tier() (the link walk) has no table yet.
            _marker_table(cursor)
            cursor.execute(
                f"INSERT INTO {MARKER_TABLE} VALUES (%s, now(), %s)",  # noqa: S608
                [tier.name, seconds],
            )
    if vacuum:  # fresh statistics and visibility map for the planner (not inside a test)
        t0 = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        timings["vacuum analyze"] = round(time.monotonic() - t0, 2)
        log(f"  vacuum analyze: {timings['vacuum analyze']} s")
    return {
        "seconds": round(time.monotonic() - started, 1),
        "steps": timings,
        "meeting_id": meeting_id,
        "big_case_id": 6,
    }


def _scalar(sql: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def _history_columns(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "ORDER BY ordinal_position",
            [table],
        )
        return ", ".join(f'"{row[0]}"' for row in cursor.fetchall())


def scale_facts() -> dict:
    """What the benchmark needs to find in a generated database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM meetings_meeting WHERE outside_cycle_reason LIKE '%%schaaltest%%' "
            "ORDER BY id DESC LIMIT 1"
        )
        meeting_id = cursor.fetchone()[0]
    return {"meeting_id": meeting_id, "big_case_id": 6, "regisseur": BENCH_REGISSEUR}
