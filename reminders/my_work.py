"""'Mijn werk': what needs doing today and this week, from the same derived deadlines as the
Termijnen page and the sweep, most urgent first (overdue, today, the rest of the week).

Registered as a section of ipgar.core's "Mijn werk" page in RemindersConfig.ready(). A fixed
number of queries, whatever the amount of data: all_deadlines() is set-based, and the
regisseur's agenda slots come from one selector with fixed queries.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import CharField, Exists, F, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from cases.constants import ACTIVE_PHASES
from cases.models import Case
from ipgar.accounts.constants import Role
from ipgar.audit.constants import AccessAction
from ipgar.audit.models import AccessLogEntry
from meetings.selectors import my_agenda_items
from reminders.constants import DeadlineKind
from reminders.deadlines import Deadline, deadlines_for_user

WEEK_DAYS = 7
# A case assigned longer ago is not new, opened or not: the no-contact reminder takes it on.
NEW_CASE_DAYS = 42
CaseHistory = Case.history.model
# The notice meetings.services sends a regisseur when their case's slot is on an agenda.
SLOT_NOTIFICATION_KIND = "agendapunt"

# What each role finds here, for the empty state: so an empty page reads as "all done", not as
# "broken". The first role of the user that is listed wins.
ROLE_EXPLANATIONS: list[tuple[str, str]] = [
    (
        Role.REGISSEUR,
        "Hier staan de termijnen van uw casussen: concept plan, plan klaar voor het ITAT-R, "
        "UVO, evaluatie en casussen zonder recent contact, en uw tijdsloten op agenda's.",
    ),
    (
        Role.SECRETARY,
        "Hier staan de agenda's die u een week vooraf verstuurt en de plannen die klaar moeten "
        "zijn voor het ITAT-R.",
    ),
    (
        Role.INTAKE,
        "Hier staan de notificatiebrieven die nog verstuurd moeten worden en meldingen die te "
        "lang wachten.",
    ),
    (Role.POLICE_INTAKE, "Hier staan de meldingen van uw balie die te lang wachten."),
    (
        Role.ASSESSMENT_BOARD,
        "Hier staan meldingen die op duiding wachten en informatieverzoeken die over tijd zijn.",
    ),
    (
        Role.COORDINATOR,
        "Hier staan casussen zonder recent contact; escalaties komen bij de herinneringen.",
    ),
    (Role.DECISION_MEMBER, "Hier staan de acties uit overleggen die op uw naam staan."),
    (Role.ADVISORY_MEMBER, "Hier staan de acties uit overleggen die op uw naam staan."),
    (
        Role.INTERVENTION_PARTNER,
        "Uw interventies vindt u onder 'Mijn interventies'; afspraken uit een UVO verschijnen "
        "hieronder bij de herinneringen.",
    ),
    (Role.PROGRAMME_TEAM, "Voor het programmateam lopen hier geen termijnen; zie de monitor."),
    (
        Role.ADMINISTRATOR,
        "Voor functioneel beheer lopen hier geen termijnen; de instellingen staan onder "
        "'Termijninstellingen'.",
    ),
    (Role.PRIVACY_OFFICER, "Voor de privacyfunctionaris lopen hier geen termijnen."),
]


@dataclass(frozen=True)
class WorkItem:
    due: date
    label: str
    kind_label: str
    link: str = ""
    postponed_until: date | None = None
    when: str = ""  # for agenda slots: the time of day
    # (kind, object type, object id) of the notifications that remind of this same item: the
    # sweep's reminder of a deadline, the agenda's notice of a slot. Shown here, they are left
    # out of "Herinneringen en taken" (issue 15: every reminder once).
    key: tuple[str, str, str] = ("", "", "")


def _item(deadline: Deadline, user_id: int) -> WorkItem:
    kind = DeadlineKind(deadline.kind).label if deadline.kind in DeadlineKind.values else ""
    return WorkItem(
        due=deadline.due,
        label=deadline.label,
        kind_label=kind,
        link=deadline.link_for(user_id),
        postponed_until=deadline.postponed_until,
        key=deadline.key,
    )


def new_cases_for(user) -> list:
    """A regisseur's cases assigned in the last six weeks that they have not opened since: 'Nieuwe
    casus' until the case page is opened (the opening is in the access log the page writes)."""
    if not user.has_role(Role.REGISSEUR):
        return []
    opened = AccessLogEntry.objects.filter(
        user=user,
        action=AccessAction.VIEW,
        object_type="cases.case",
        object_id=Cast(OuterRef("pk"), CharField()),
        at__gte=OuterRef("assigned_at"),
    )
    return list(
        Case.objects.filter(regisseur=user, phase__in=ACTIVE_PHASES)
        .annotate(
            assigned_at=Coalesce(
                Subquery(
                    CaseHistory.objects.filter(id=OuterRef("pk"), regisseur=user)
                    .order_by("history_date")
                    .values("history_date")[:1]
                ),
                F("admitted_at"),
            )
        )
        .exclude(Exists(opened))
        .filter(assigned_at__gte=timezone.now() - timedelta(days=NEW_CASE_DAYS))
        .order_by("-assigned_at")[:20]
    )


def explanation_for(user) -> str:
    for role, text in ROLE_EXPLANATIONS:
        if user.has_role(role):
            return text
    return "Hier verschijnt wat vandaag en deze week van u gevraagd wordt."


def work_for_user(user, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    week_end = today + timedelta(days=WEEK_DAYS - 1)
    items = [_item(d, user.pk) for d in deadlines_for_user(user, today) if d.due <= week_end]
    agenda = []
    if user.has_role(Role.REGISSEUR):
        for row in my_agenda_items(user):
            start = row["slot"]["start"] if row["slot"] else row["item"].meeting.starts_at
            day = timezone.localdate(start)
            if today <= day <= week_end:
                agenda.append(
                    WorkItem(
                        due=day,
                        label=f"{row['item'].title} in {row['item'].meeting.body.short_name}",
                        kind_label="Uw tijdslot op de agenda",
                        link=reverse("meetings:item_detail", args=[row["item"].pk]),
                        when=f"{timezone.localtime(start):%H:%M}",
                        key=(SLOT_NOTIFICATION_KIND, "meetings.agendaitem", str(row["item"].pk)),
                    )
                )
    items = sorted([*items, *agenda], key=lambda i: (i.due, i.when, i.label))
    overdue = [i for i in items if i.due < today]
    due_today = [i for i in items if i.due == today]
    this_week = [i for i in items if today < i.due <= week_end]
    return {
        "today": today,
        "week_end": week_end,
        "overdue": overdue,
        "due_today": due_today,
        "this_week": this_week,
        "has_work": bool(items),
        "buckets": [
            (overdue, "Verlopen", "danger", "work-overdue"),
            (due_today, "Vandaag", "warning", "work-today"),
            (this_week, f"Deze week (tot en met {week_end:%d-%m-%Y})", "secondary", "work-week"),
        ],
        "explanation": explanation_for(user),
        "new_cases": new_cases_for(user),
        # Read by the Mijn werk view: notifications of these items are not listed twice.
        "covers": {item.key for item in items},
    }


def my_work_section(request: HttpRequest) -> dict:
    return work_for_user(request.user)
