"""THE ACCESS MATRIX: who may do what with which object, for every URL of the project.

One row per URL name and method (and variant: a search, an HTMX fragment). Each row says, for
every persona of `tests/security/world.py` (a role and its relation to the object: own, own
organisation, on my meeting's agenda, partner on an intervention, none):

    allow   answered 200 or 302 (the page, or the redirect after a write or a refusal message)
    forbid  answered 403: the object exists for them, this action does not
    others  everyone else: 404 where the URL names an object (it does not exist for them),
            403 on role pages that name no object (a menu item they do not have)
    shows   for lists, searches and counters: who finds the world's object in the answer; for
            everyone else the answer must not contain it (world.markers)

`tests/security/test_access_matrix.py` runs every cell against the real views and fails on any
unexpected allow or deny; it also fails when a URL pattern of the project is neither in this
table nor on PUBLIC / SELF_SERVICE below.

HOW TO ADD A URL (a new view on any branch makes the walker test fail until you do):

1. Decide who may reach it, in DOMAIN.md section 5 terms. Reuse a persona set below
   (CASE_READERS, CASE_WRITERS, ADMIN, ...) or write one from the persona constants.
2. Add a row in the section of its app, e.g. for a case summary page:

       row("cases:case_summary", GET, VIEW, "case", allow=CASE_READERS),

   `target` names the object the URL's keywords point at; it must be a key of TARGETS in
   test_access_matrix.py (case, report, meeting, body, intervention, ...). A URL with a new
   kind of object: add a builder to TARGETS (and the object to world.py); sub-resources of a
   case use `target="case"` and their own keyword in SUB_RESOURCES (entry_pk, letter_pk, ...).
3. A write (POST) is a separate row; state who gets 403 (`forbid`) where they can see the
   object but not change it. Lists/searches/exports: add `shows=` so the content is checked.
4. A page with no person data and no login (rare) goes on PUBLIC with a reason; a page every
   signed-in user has for themselves only (their own notifications) on SELF_SERVICE.
5. Run: pytest tests/security/test_access_matrix.py. A failure lists every differing cell as
   `name METHOD role/relation: expected X, got Y`. Fix the app when the app is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from ipgar.accounts.constants import Role
from tests.security.world import AGENDA, EMERGENCY, NONE, OWN, OWN_ORG, PARTNER, PERSONAS

GET, POST = "GET", "POST"

# Actions of issue 8.
LIST, VIEW, EDIT, LOG, HISTORY, PDF, EXPORT, DELETE, DECIDE = (
    "list",
    "view",
    "edit",
    "log",
    "view history",
    "pdf",
    "export",
    "delete",
    "decide",
)
ALLOWED, FORBIDDEN, NOT_FOUND = "200/302", 403, 404

# --- Personas (role, relation) -----------------------------------------------------------------
REG_OWN = (Role.REGISSEUR, OWN)
REG_ORG = (Role.REGISSEUR, OWN_ORG)
REG_NONE = (Role.REGISSEUR, NONE)
REG_EMERGENCY = (Role.REGISSEUR, EMERGENCY)
ITATR_ORG = (Role.ADVISORY_MEMBER, OWN_ORG)
ITATR_AGENDA = (Role.ADVISORY_MEMBER, AGENDA)
ITATR_NONE = (Role.ADVISORY_MEMBER, NONE)
PTO_AGENDA = (Role.DECISION_MEMBER, AGENDA)
PTO_NONE = (Role.DECISION_MEMBER, NONE)
SECRETARY = (Role.SECRETARY, AGENDA)
INTAKE = (Role.INTAKE, OWN)
POLICE = (Role.POLICE_INTAKE, NONE)
BOARD = (Role.ASSESSMENT_BOARD, OWN)
PARTNER_ON = (Role.INTERVENTION_PARTNER, PARTNER)
PARTNER_NONE = (Role.INTERVENTION_PARTNER, NONE)
PROGRAMME = (Role.PROGRAMME_TEAM, NONE)
COORDINATOR = (Role.COORDINATOR, NONE)
ADMIN = (Role.ADMINISTRATOR, NONE)
PRIVACY = (Role.PRIVACY_OFFICER, NONE)

EVERYONE = frozenset(PERSONAS)
NOBODY: frozenset = frozenset()


def s(*personas) -> frozenset:
    return frozenset(personas)


def with_role(*roles: str) -> frozenset:
    return frozenset(p for p in PERSONAS if p[0] in roles)


# The case's readers: its regisseur; ITAT-R members of the regisseur's organisation (support)
# and of an advisory meeting that has the case on its agenda; whoever broke the glass (a running
# emergency grant, read-only). Only the regisseur writes.
CASE_READERS = s(REG_OWN, ITATR_ORG, ITATR_AGENDA, REG_EMERGENCY)
CASE_WRITERS = s(REG_OWN)
CASE_READ_ONLY = CASE_READERS - CASE_WRITERS
# The report (desk MAP, forwarded to the Voorportaal): the desk's staff and the board.
REPORT_READERS = s(INTAKE, BOARD)
# The ITAT-R body and its meetings: its secretary (every secretary) and its members.
BODY_READERS = s(SECRETARY, ITATR_AGENDA)
# The header's search box (ipgar.core.navigation.SEARCH_ROLES): not for the programme team,
# the coordinator, functional administration or the privacy officer (they would find nothing).
SEARCHERS = with_role(
    Role.INTAKE,
    Role.POLICE_INTAKE,
    Role.ASSESSMENT_BOARD,
    Role.DECISION_MEMBER,
    Role.SECRETARY,
    Role.REGISSEUR,
    Role.ADVISORY_MEMBER,
    Role.INTERVENTION_PARTNER,
)
# Privacy (AVG): the privacy officer and functional administration share the destruction pages
# (each approves their own half); the access log, access requests and the emergency overview
# are the privacy officer's; the retention periods functional administration's.
OFFICERS = s(PRIVACY, ADMIN)
# Break the glass (cases.permissions.EMERGENCY_ROLES): who works with cases.
EMERGENCY_ROLES = with_role(Role.REGISSEUR, Role.ADVISORY_MEMBER, Role.COORDINATOR)
# Woo-ready minutes: the privacy officer and the secretary (of any body).
WOO_READERS = s(PRIVACY, SECRETARY)


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    action: str
    target: str  # key of TARGETS in test_access_matrix.py; "" for pages that name no object
    allow: frozenset
    forbid: frozenset = NOBODY
    others: int = NOT_FOUND
    variant: str = ""  # "?q=..." query, or "htmx:<target id>" for a fragment
    shows: frozenset | None = None
    marker: str = ""  # key of world.markers that `shows` looks for
    # A POST's form data, where the view needs a valid form to act; "{today}" is filled in.
    data: dict | None = None

    @property
    def label(self) -> str:
        return f"{self.name} {self.method}{' ' + self.variant if self.variant else ''}"

    def expected(self, persona: tuple[str, str]) -> object:
        if persona in self.allow:
            return ALLOWED
        if persona in self.forbid:
            return FORBIDDEN
        return self.others


def row(name, method, action, target, *, allow, forbid=NOBODY, others=None, **extra) -> Row:
    if others is None:
        others = NOT_FOUND if target else FORBIDDEN
    assert not (allow & forbid), name
    return Row(name, method, action, target, allow, forbid, others, **extra)


def role_page(name, method, action, allow, **extra) -> Row:
    """A page for some roles that names no object: 403 for the other roles."""
    return row(name, method, action, "", allow=allow, **extra)


def admin_pages(name, methods=(GET, POST), target="") -> list[Row]:
    """Functional administration: users, organisations, catalogue, framework, settings."""
    return [
        row(name, m, EDIT if m == POST else VIEW, target, allow=s(ADMIN), others=FORBIDDEN)
        for m in methods
    ]


def case_write(name, methods=(GET, POST), action=EDIT) -> list[Row]:
    """A change to the case file: the regisseur only; readers 403; everyone else 404."""
    return [
        row(name, m, action, "case", allow=CASE_WRITERS, forbid=CASE_READ_ONLY) for m in methods
    ]


def secretary_write(name, methods=(POST,), target="meeting", **extra) -> list[Row]:
    """Running a meeting: the secretary; members see the meeting but get 403."""
    return [
        row(name, m, EDIT, target, allow=s(SECRETARY), forbid=s(ITATR_AGENDA), **extra)
        for m in methods
    ]


MATRIX: list[Row] = [
    # --- core ------------------------------------------------------------------------------
    role_page("core:my_work", GET, LIST, EVERYONE),
    # The user guide and the benchmark's baseline: any signed-in user, nothing of anyone.
    role_page("core:help", GET, VIEW, EVERYONE),
    role_page("core:help_page", GET, VIEW, EVERYONE),
    role_page("core:ping", GET, VIEW, EVERYONE),
    row("core:notification_read", POST, EDIT, "notification", allow=s(REG_OWN)),
    # --- accounts (functional administration) ----------------------------------------------
    *admin_pages("accounts:user_list", (GET,)),
    *admin_pages("accounts:user_create"),
    *admin_pages("accounts:user_update", target="user"),
    *admin_pages("accounts:user_reset_second_factor", (POST,), target="user"),
    # Issue 20: an activation code for second-factor enrolment, issued by an administrator.
    *admin_pages("accounts:user_activation_code", (POST,), target="user"),
    # Issue 20: privileged roles wait for a second administrator (the requester gets a refusal
    # message: tests/ipgar/accounts/test_separation_of_duties.py); the report of role changes.
    *admin_pages("accounts:role_request_list", (GET,)),
    *admin_pages("accounts:role_request_decide", (POST,), target="role_request"),
    role_page("accounts:role_change_list", GET, LIST, s(ADMIN, PRIVACY)),
    *admin_pages("accounts:organisation_list", (GET,)),
    *admin_pages("accounts:organisation_create"),
    *admin_pages("accounts:organisation_update", target="organisation"),
    # --- audit -------------------------------------------------------------------------------
    role_page("audit:access_log", GET, LIST, s(PRIVACY)),
    role_page("audit:access_log", GET, LIST, s(PRIVACY), variant="?gebruiker=x"),
    # --- intake ----------------------------------------------------------------------------
    role_page(
        "intake:report_list",
        GET,
        LIST,
        s(INTAKE, POLICE, BOARD),
        shows=REPORT_READERS,
        marker="report",
    ),
    role_page(
        "intake:report_list",
        GET,
        LIST,
        s(INTAKE, POLICE, BOARD),
        variant="?q={report_name}",
        shows=REPORT_READERS,
        marker="report",
    ),
    *[role_page("intake:report_create", m, EDIT, s(INTAKE, POLICE)) for m in (GET, POST)],
    row("intake:report_detail", GET, VIEW, "report", allow=REPORT_READERS),
    # Correcting the registration is the desk's until triage; the world's report is past
    # triage (with the board), so the desk gets 403 as well: no one passes.
    *[
        row("intake:report_correct", m, EDIT, "report", allow=NOBODY, forbid=REPORT_READERS)
        for m in (GET, POST)
    ],
    # Triage is done (the report is with the board): the desk is sent back to the report.
    *[
        row("intake:report_triage", m, EDIT, "report", allow=s(INTAKE), forbid=s(BOARD))
        for m in (GET, POST)
    ],
    *[
        row(name, m, EDIT, "report", allow=s(BOARD), forbid=s(INTAKE))
        for name, methods in (
            ("intake:assessment_edit", (GET, POST)),
            ("intake:information_request_create", (GET, POST)),
            ("intake:information_request_answer", (GET, POST)),
            ("intake:person_search", (GET,)),
            ("intake:person_check_create", (POST,)),
            ("intake:approach_check_create", (GET, POST)),
            ("intake:report_advise", (GET, POST)),
        )
        for m in methods
    ],
    # Not yet advised: marking ready or reopening is refused to the board as well.
    row("intake:report_mark_ready", POST, DECIDE, "report", allow=NOBODY, forbid=REPORT_READERS),
    row("intake:report_reopen", POST, DECIDE, "report", allow=NOBODY, forbid=REPORT_READERS),
    *admin_pages("intake:framework_list", (GET,)),
    *admin_pages("intake:framework_detail", (GET,), target="framework"),
    *admin_pages("intake:framework_copy", (POST,), target="framework"),
    *admin_pages("intake:framework_activate", (POST,), target="framework"),
    *admin_pages("intake:framework_question_create", target="framework"),
    *admin_pages("intake:framework_question_update", target="framework"),
    # --- cases -----------------------------------------------------------------------------
    role_page(
        "cases:case_list",
        GET,
        LIST,
        with_role(Role.REGISSEUR, Role.ADVISORY_MEMBER),
        shows=CASE_READERS,
        marker="case",
    ),
    role_page(
        "cases:case_list",
        GET,
        LIST,
        with_role(Role.REGISSEUR, Role.ADVISORY_MEMBER),
        variant="?q={case_name}&afgesloten=1",
        shows=CASE_READERS,
        marker="case",
    ),
    row("cases:case_detail", GET, VIEW, "case", allow=CASE_READERS),
    row("cases:case_detail", GET, LOG, "case", allow=CASE_READERS, variant="htmx:logboek"),
    row("cases:case_detail", GET, VIEW, "case", allow=CASE_READERS, variant="?soort=x&zoek=a"),
    *case_write("cases:logbook_add", (POST,), LOG),
    *case_write("cases:logbook_edit", action=LOG),
    *case_write("cases:subject_edit"),
    *case_write("cases:subject_link_add"),
    row("cases:base_file_edit", GET, VIEW, "case", allow=CASE_READERS),
    row("cases:base_file_edit", POST, EDIT, "case", allow=CASE_WRITERS, forbid=CASE_READ_ONLY),
    # Starting the base file is the case's regisseur's (the world's case already has one: the
    # refusal message is a redirect); readers get 403.
    *case_write("cases:base_file_start", (POST,)),
    *case_write("cases:base_file_upgrade", (POST,)),
    *case_write("cases:plan_edit"),
    *case_write("cases:plan_submit", (POST,), DECIDE),
    *case_write("cases:plan_advice"),
    *case_write("cases:plan_final", (POST,), DECIDE),
    row("cases:plan_version_detail", GET, HISTORY, "case", allow=CASE_READERS),
    # The summary takes the whole file onto paper: the regisseur's; readers get 403.
    *case_write("cases:case_summary", (GET,), VIEW),
    *case_write("cases:case_summary_pdf", (GET,), PDF),
    *case_write("cases:goal_create"),
    *case_write("cases:goal_update"),
    *case_write("cases:intervention_create"),
    *case_write("cases:intervention_update"),
    *case_write("cases:contact_create"),
    *case_write("cases:contact_update"),
    *case_write("cases:partner_meeting_create"),
    *case_write("cases:partner_meeting_plan"),
    *case_write("cases:partner_meeting_hold"),
    *case_write("cases:partner_meeting_cancel", (POST,)),
    # A UVO's calendar file: the regisseur and the UVO's invitees (none in this world).
    row("cases:partner_meeting_ics", GET, EXPORT, "case", allow=s(REG_OWN)),
    *case_write("cases:agreement_done", (POST,)),
    *case_write("cases:evaluation_create"),
    *case_write("cases:proposal_create", action=DECIDE),
    # Notification letters: the intake desk sends them, the case's regisseur reads along.
    role_page("cases:letters_overview", GET, LIST, s(INTAKE), shows=s(INTAKE), marker="case"),
    row("cases:case_letters", GET, VIEW, "case", allow=s(INTAKE, REG_OWN)),
    row("cases:letters_generate", POST, EDIT, "case", allow=s(INTAKE), others=FORBIDDEN),
    row("cases:letter_dispatch", POST, EDIT, "case", allow=s(INTAKE), others=FORBIDDEN),
    row("cases:letter_download", GET, PDF, "case", allow=s(INTAKE, REG_OWN)),
    # The coordinator: caseload and (re)assignment, no case content.
    role_page("cases:caseload", GET, LIST, s(COORDINATOR, PTO_AGENDA, PTO_NONE)),
    *[
        row("cases:case_reassign", m, EDIT, "case", allow=s(COORDINATOR), others=FORBIDDEN)
        for m in (GET, POST)
    ],
    # Intervention partners: only the interventions they deliver.
    role_page(
        "cases:partner_list",
        GET,
        LIST,
        s(PARTNER_ON, PARTNER_NONE),
        shows=s(PARTNER_ON),
        marker="intervention",
    ),
    *[
        row("cases:partner_intervention", m, LOG, "intervention", allow=s(PARTNER_ON))
        for m in (GET, POST)
    ],
    # Issue 20: an ended intervention is read-only for its partner until the next evaluation.
    row(
        "cases:partner_intervention",
        GET,
        VIEW,
        "ended_intervention",
        allow=s(PARTNER_ON),
        variant="beeindigd",
    ),
    row(
        "cases:partner_intervention",
        POST,
        LOG,
        "ended_intervention",
        allow=NOBODY,
        forbid=s(PARTNER_ON),
        variant="beeindigd",
    ),
    *admin_pages("cases:partner_registration", target="partner_user"),
    # The directory of attention officers: every staff role reads, the keepers add.
    role_page("cases:directory", GET, LIST, EVERYONE - s(PARTNER_ON, PARTNER_NONE)),
    *(role_page("cases:directory_create", m, EDIT, s(ADMIN, COORDINATOR)) for m in (GET, POST)),
    *admin_pages("cases:catalogue_list", (GET,)),
    *admin_pages("cases:catalogue_create"),
    *admin_pages("cases:catalogue_update", target="catalogue"),
    # --- meetings --------------------------------------------------------------------------
    role_page("meetings:body_list", GET, LIST, EVERYONE, shows=BODY_READERS, marker="body"),
    row("meetings:body_detail", GET, VIEW, "body", allow=BODY_READERS),
    *secretary_write("meetings:meetings_generate", target="body"),
    *secretary_write("meetings:meeting_create_extra", target="body"),
    *secretary_write("meetings:action_add", target="body"),
    # The action (owned by the secretary in this world): the body's members see it, the
    # secretary and every person owning it close, reopen; only the secretary removes it.
    row("meetings:action_detail", GET, VIEW, "body", allow=BODY_READERS),
    *secretary_write(
        "meetings:action_done",
        target="body",
        data={"done_on": "{today}", "confirm": "on"},
    ),
    *secretary_write("meetings:action_reopen", target="body"),
    *secretary_write("meetings:action_remove", target="body"),
    # Issue 16: the secretary corrects an action until the minutes it came from are adopted.
    *secretary_write(
        "meetings:action_update",
        target="body",
        data={"subject": "Matrix actie", "action": "Terugkoppelen", "owner_groups": "allen"},
    ),
    *secretary_write("meetings:meeting_record_past", (GET, POST), target="body"),
    *secretary_write("meetings:forward_add", target="body"),
    # Issue 16: corrections of the forward agenda; the entry is named in the POST (`punt`):
    # without one the secretary gets 404 (no such entry), a member 403.
    row("meetings:forward_update", POST, EDIT, "body", allow=NOBODY, forbid=s(ITATR_AGENDA)),
    row("meetings:forward_remove", POST, DELETE, "body", allow=NOBODY, forbid=s(ITATR_AGENDA)),
    row("meetings:meeting_detail", GET, VIEW, "meeting", allow=BODY_READERS),
    *secretary_write("meetings:meeting_reschedule", (GET, POST)),
    # Issue 16: an action raised in this meeting (the form, and its POST).
    *secretary_write("meetings:meeting_action_add", (GET, POST)),
    # Without a placement in the POST the secretary gets 404 (nothing to place): no one passes.
    row("meetings:agenda_place", POST, EDIT, "meeting", allow=NOBODY, forbid=s(ITATR_AGENDA)),
    *secretary_write("meetings:agenda_item_add"),
    *secretary_write("meetings:section_add"),
    *secretary_write("meetings:agenda_reorder"),
    *secretary_write("meetings:agenda_item_shift"),
    # Without a target meeting in the POST the secretary gets 404 (no such meeting).
    row("meetings:agenda_item_move", POST, EDIT, "meeting", allow=NOBODY, forbid=s(ITATR_AGENDA)),
    *secretary_write("meetings:agenda_distribute"),
    row("meetings:agenda_pdf", GET, PDF, "meeting", allow=BODY_READERS),
    row("meetings:minutes_pdf", GET, PDF, "meeting", allow=BODY_READERS),
    row("meetings:meeting_ics", GET, EXPORT, "meeting", allow=BODY_READERS),
    row(
        "meetings:meeting_minutes", GET, VIEW, "meeting", allow=s(SECRETARY), forbid=s(ITATR_AGENDA)
    ),
    *secretary_write("meetings:attendance_save"),
    *secretary_write("meetings:minutes_adopt"),
    *secretary_write("meetings:item_minutes_save"),
    *secretary_write("meetings:decision_record", target="meeting"),
    *secretary_write("meetings:decision_correct", data={"text": "Matrix besluit, gecorrigeerd"}),
    # The decision meeting accords the plan: its member sees the meeting, only the secretary acts.
    row(
        "meetings:plan_accord",
        POST,
        DECIDE,
        "pto_meeting",
        allow=s(SECRETARY),
        forbid=s(PTO_AGENDA),
    ),
    # A regisseur's own agenda item: the meeting and the slot, nothing of other cases.
    row("meetings:item_detail", GET, VIEW, "item", allow=s(REG_OWN)),
    row("meetings:item_ics", GET, EXPORT, "item", allow=s(REG_OWN)),
    # Meeting documents: the distributed meeting's members and the item's own regisseur.
    row("meetings:item_documents", GET, VIEW, "item", allow=s(REG_OWN, ITATR_AGENDA)),
    # --- reminders ---------------------------------------------------------------------------
    role_page("reminders:deadline_list", GET, LIST, EVERYONE),
    *[row("reminders:postpone", m, EDIT, "deadline", allow=s(REG_OWN)) for m in (GET, POST)],
    row("reminders:postponement_lift", POST, EDIT, "postponement", allow=s(REG_OWN)),
    *admin_pages("reminders:settings"),
    # --- monitor (programme team: aggregates, no person data) ----------------------------------
    role_page("monitor:dashboard", GET, VIEW, s(PROGRAMME)),
    role_page("monitor:export_csv", GET, EXPORT, s(PROGRAMME)),
    role_page("monitor:export_xlsx", GET, EXPORT, s(PROGRAMME)),
    role_page("monitor:export_pdf", GET, PDF, s(PROGRAMME)),
    # --- search (results filtered to what the user may open) ---------------------------------
    role_page("search:results", GET, LIST, SEARCHERS),
    role_page(
        "search:results",
        GET,
        LIST,
        SEARCHERS,
        variant="?q={case_name}",
        shows=CASE_READERS,
        marker="case",
    ),
    role_page(
        "search:results",
        GET,
        LIST,
        SEARCHERS,
        variant="?q={case_name}&partner",
        shows=s(PARTNER_ON),
        marker="intervention",
    ),
    role_page(
        "search:results",
        GET,
        LIST,
        SEARCHERS,
        variant="?q={report_name}",
        shows=REPORT_READERS,
        marker="report",
    ),
    # --- privacy (AVG, break the glass, Woo) -------------------------------------------------
    role_page("privacy:index", GET, VIEW, OFFICERS),
    *[role_page("privacy:emergency_request", m, EDIT, EMERGENCY_ROLES) for m in (GET, POST)],
    role_page("privacy:emergency_list", GET, LIST, s(PRIVACY)),
    # One person's access history (report and case phases): the privacy officer's alone.
    role_page("privacy:access_history", GET, LIST, s(PRIVACY)),
    role_page("privacy:access_history", GET, LIST, s(PRIVACY), variant="?zoek={case_name}"),
    *admin_pages("privacy:retention_settings"),
    role_page("privacy:destruction_index", GET, LIST, OFFICERS),
    role_page("privacy:destruction_propose", POST, EDIT, OFFICERS),
    row("privacy:destruction_detail", GET, VIEW, "destruction_list", allow=OFFICERS, others=403),
    # Not yet approved by both: approving is recorded, executing refused with a message (302).
    row(
        "privacy:destruction_approve", POST, DECIDE, "destruction_list", allow=OFFICERS, others=403
    ),
    row(
        "privacy:destruction_execute", POST, DELETE, "destruction_list", allow=OFFICERS, others=403
    ),
    role_page("privacy:access_request_list", GET, LIST, s(PRIVACY)),
    role_page(
        "privacy:access_request_list",
        GET,
        LIST,
        s(PRIVACY),
        variant="?zoek={case_name}",
        shows=s(PRIVACY),
        marker="case_name",
    ),
    *[
        row("privacy:access_request_new", m, EDIT, "subject", allow=s(PRIVACY), others=403)
        for m in (GET, POST)
    ],
    *[
        row("privacy:access_request_detail", m, a, "access_request", allow=s(PRIVACY), others=403)
        for m, a in ((GET, VIEW), (POST, EDIT))
    ],
    row(
        "privacy:access_request_export", GET, EXPORT, "access_request", allow=s(PRIVACY), others=403
    ),
    # How the subject was informed: the privacy officer and the regisseur of the subject's case;
    # for everyone else the subject does not exist.
    row("privacy:informing_record", GET, VIEW, "subject", allow=s(PRIVACY, REG_OWN)),
    role_page("privacy:woo_list", GET, LIST, WOO_READERS),
    *[
        row("privacy:woo_meeting", m, a, "woo_meeting", allow=WOO_READERS, others=403)
        for m, a in ((GET, VIEW), (POST, EDIT))
    ],
    row("privacy:woo_pdf", GET, PDF, "woo_meeting", allow=WOO_READERS, others=403),
]

# Reachable without signing in (tests/ipgar/test_url_walker.py proves they are, and that
# nothing else is). Each is a door without a lock: keep it short and say why.
PUBLIC = {
    "core:home": "only redirects: to Mijn werk or to the login page",
    "core:health": "health check for the load balancer; no data",
    "accounts:login": "the login page",
    "accounts:logout": "logging out needs no login",
    "accounts:second_factor": "between password and second factor; the user's own device",
}
# Signed-in pages that only ever show the user their own things.
SELF_SERVICE: dict[str, str] = {
    "accounts:recovery_codes": "the user's own recovery codes, once, right after enrolment",
}
