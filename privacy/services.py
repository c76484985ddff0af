"""Every write of the privacy app: break the glass, the destruction list from proposal through
two approvals to execution, and access requests. The actor is always passed explicitly."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.deletion import Collector
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from cases.constants import CasePhase, EmergencyReasonKind
from cases.models import Case, EmergencyAccess, Letter, Subject
from cases.permissions import may_break_glass
from intake.constants import ReportStatus
from intake.models import Report
from ipgar.accounts.constants import INDEPENDENCE_DAYS, Role
from ipgar.accounts.models import User
from ipgar.accounts.services import created_each_other
from ipgar.audit.constants import EMERGENCY_PREFIX, EMERGENCY_SESSION_KEY, AccessAction
from ipgar.audit.services import access_log_record, subject_reference
from ipgar.notifications.models import Notification
from ipgar.notifications.services import notification_create
from meetings.models import AgendaItem
from privacy.constants import (
    EMERGENCY_ACCESS_DURATION,
    AccessRequestStatus,
    DestructionKind,
    DestructionListStatus,
)
from privacy.exceptions import PrivacyRefused
from privacy.models import (
    AccessRequest,
    DeletionRecord,
    DestructionItem,
    DestructionList,
    RetentionSettings,
    WooRedaction,
)
from reminders.models import Postponement

EMERGENCY_KIND = "noodtoegang"
DESTRUCTION_KIND = "vernietigingslijst"
ACCESS_REQUEST_KIND = "inzageverzoek"
# A reason is at least a sentence: this many characters and words (issue 20).
MIN_REASON_LENGTH = 30
MIN_REASON_WORDS = 5

# Reports that ended without admission: what the retention period for reports applies to.
REPORT_ENDED_WITHOUT_ADMISSION = (
    ReportStatus.CLOSED_BY_DESK,
    ReportStatus.HANDED_OVER,
    ReportStatus.NOT_ADMITTED,
)


def _role_users(role: str) -> list[User]:
    group = Group.objects.filter(name=role).first()
    if group is None:
        return []
    return list(User.objects.filter(groups=group, is_active=True).order_by("pk"))


def _save(obj: models.Model, actor: User, **kwargs) -> None:
    obj._history_user = actor
    obj.save(**kwargs)


# --- Break the glass ---------------------------------------------------------------------------


def emergency_session_entry(grant: EmergencyAccess) -> dict:
    return {
        "grant": grant.pk,
        "case_id": grant.case_id,
        "case": grant.case.reference,
        "subject_ref": subject_reference("subject", grant.case.subject_id),
        "expires": grant.expires_at.isoformat(),
    }


def emergency_session_remember(request: HttpRequest, grants: Iterable[EmergencyAccess]) -> None:
    """Keep the running grants in the session: the banner and the access log read them there,
    so no page pays a query for them."""
    now = timezone.now()
    kept = {
        entry["grant"]: entry
        for entry in request.session.get(EMERGENCY_SESSION_KEY, [])
        if datetime.fromisoformat(entry["expires"]) > now
    }
    for grant in grants:
        if grant.expires_at > now:
            kept[grant.pk] = emergency_session_entry(grant)
    request.session[EMERGENCY_SESSION_KEY] = list(kept.values())


@transaction.atomic
def emergency_reason_problem(reason: str) -> str | None:
    """Why `reason` is not yet a sentence that explains the emergency, or None."""
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH or len(reason.split()) < MIN_REASON_WORDS:
        return (
            f"Geef als reden ten minste een volledige zin (minstens {MIN_REASON_LENGTH} tekens "
            f"en {MIN_REASON_WORDS} woorden): waarom is inzage nu nodig?"
        )
    return None


def emergency_grants_today(user: User) -> int:
    today = _start_of_day(timezone.localdate())
    return EmergencyAccess.objects.filter(user=user, started_at__gte=today).count()


@transaction.atomic
def emergency_access_open(
    *,
    case: Case,
    reason_kind: str,
    reason: str,
    actor: User,
    request: HttpRequest | None = None,
) -> EmergencyAccess:
    """Open a case outside need-to-know for three hours, read-only, with a stated reason; the
    privacy officers and the case's regisseur are told at once. At most
    EMERGENCY_GRANTS_PER_DAY grants per user per day."""
    if not may_break_glass(actor):
        raise PrivacyRefused("Alleen wie met casussen werkt kan noodtoegang vragen.")
    if reason_kind not in EmergencyReasonKind.values:
        raise PrivacyRefused("Kies de soort noodsituatie.")
    reason = reason.strip()
    problem = emergency_reason_problem(reason)
    if problem:
        raise PrivacyRefused(problem)
    now = timezone.now()
    running = EmergencyAccess.objects.filter(case=case, user=actor, expires_at__gt=now).first()
    if running:
        return running
    # Serialise one user's requests so two at once cannot both slip under the limit.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    limit = settings.EMERGENCY_GRANTS_PER_DAY
    if emergency_grants_today(actor) >= limit:
        raise PrivacyRefused(
            f"U heeft vandaag al {limit} keer noodtoegang gekregen; meer kan niet. Vraag de "
            "regisseur of de coördinator van de casus, of neem contact op met de "
            "privacyfunctionaris."
        )
    grant = EmergencyAccess(
        case=case,
        user=actor,
        reason_kind=reason_kind,
        reason=reason,
        started_at=now,
        expires_at=now + EMERGENCY_ACCESS_DURATION,
    )
    _save(grant, actor)
    access_log_record(
        request=request,
        actor=actor,
        action=AccessAction.VIEW,
        obj=case,
        subject_ref=subject_reference("subject", case.subject_id),
        description=f"{EMERGENCY_PREFIX} #{grant.pk} geopend",
    )
    until = timezone.localtime(grant.expires_at)
    who = actor.get_full_name() or actor.get_username()
    organisation = actor.organisation.name if actor.organisation_id else "geen organisatie"
    body = f"{who} ({organisation}) opende casus {case.reference} met noodtoegang tot "
    body += f"{until:%d-%m-%Y %H:%M}. Reden: {grant.get_reason_kind_display()}. {reason}"
    recipients = {user.pk: user for user in _role_users(Role.PRIVACY_OFFICER)}
    if case.regisseur_id != actor.pk:
        recipients[case.regisseur_id] = case.regisseur
    for recipient in recipients.values():
        link = (
            reverse("privacy:emergency_list")
            if recipient.has_role(Role.PRIVACY_OFFICER)
            else reverse("cases:case_detail", args=[case.pk])
        )
        notification_create(
            recipient=recipient,
            kind=EMERGENCY_KIND,
            title=f"Noodtoegang tot casus {case.reference}",
            body=body,
            link=link,
            obj=grant,
        )
    if request is not None:
        emergency_session_remember(request, [grant])
    return grant


# --- Retention: which cases and reports are due -------------------------------------------------


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def cases_due(today: date | None = None) -> models.QuerySet[Case]:
    """Closed cases whose retention period has passed."""
    today = today or timezone.localdate()
    cutoff = _start_of_day(_years_before(today, RetentionSettings.current().case_years))
    return Case.objects.filter(phase=CasePhase.CLOSED, closed_at__lt=cutoff)


def reports_due(today: date | None = None) -> models.QuerySet[Report]:
    """Reports that ended without admission, past their retention period."""
    today = today or timezone.localdate()
    cutoff = _start_of_day(_years_before(today, RetentionSettings.current().report_years))
    return (
        Report.objects.filter(status__in=REPORT_ENDED_WITHOUT_ADMISSION, case__isnull=True)
        .annotate(ended_at=Coalesce("decided_at", "triaged_at", "received_at"))
        .filter(ended_at__lt=cutoff)
    )


def _retention_end(moment: datetime, years: int) -> date:
    day = timezone.localdate(moment)
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def destruction_list_propose(*, actor: User | None = None) -> DestructionList | None:
    """The monthly proposal: every case and report past its period that is not on a list yet.
    Idempotent: while a list waits for approval, new arrivals join that list."""
    pending = DestructionItem.objects.filter(destroyed_at__isnull=True).exclude(
        destruction_list__status=DestructionListStatus.EXECUTED
    )
    periods = RetentionSettings.current()
    cases = list(cases_due().exclude(pk__in=pending.filter(case__isnull=False).values("case")))
    reports = list(
        reports_due().exclude(pk__in=pending.filter(report__isnull=False).values("report"))
    )
    if not cases and not reports:
        return None
    destruction_list = (
        DestructionList.objects.select_for_update()
        .filter(status=DestructionListStatus.PROPOSED)
        .first()
    )
    created = destruction_list is None
    if created:
        destruction_list = DestructionList(proposed_at=timezone.now())
        _save(destruction_list, actor)
    for case in cases:
        DestructionItem.objects.create(
            destruction_list=destruction_list,
            kind=DestructionKind.CASE,
            reference=case.reference,
            case=case,
            retention_ended_on=_retention_end(case.closed_at, periods.case_years),
        )
    for report in reports:
        DestructionItem.objects.create(
            destruction_list=destruction_list,
            kind=DestructionKind.REPORT,
            reference=report.reference,
            report=report,
            retention_ended_on=_retention_end(report.ended_at, periods.report_years),
        )
    if created:
        for user in _role_users(Role.ADMINISTRATOR) + _role_users(Role.PRIVACY_OFFICER):
            notification_create(
                recipient=user,
                kind=DESTRUCTION_KIND,
                title="Vernietigingslijst ter goedkeuring",
                body=f"{len(cases)} casussen en {len(reports)} meldingen hebben hun "
                "bewaartermijn bereikt.",
                link=reverse("privacy:destruction_detail", args=[destruction_list.pk]),
                obj=destruction_list,
            )
    return destruction_list


@transaction.atomic
def destruction_list_approve(*, destruction_list: DestructionList, actor: User) -> DestructionList:
    """One of the two approvals: the functional administrator's or the privacy officer's. One
    person never gives both, even when they hold both roles."""
    destruction_list = DestructionList.objects.select_for_update().get(pk=destruction_list.pk)
    if destruction_list.status != DestructionListStatus.PROPOSED:
        raise PrivacyRefused("Deze vernietigingslijst wacht niet (meer) op goedkeuring.")
    if actor.pk in (destruction_list.admin_approved_by_id, destruction_list.privacy_approved_by_id):
        raise PrivacyRefused(
            "U heeft deze lijst al goedgekeurd; de tweede goedkeuring komt van een ander."
        )
    other = destruction_list.admin_approved_by or destruction_list.privacy_approved_by
    if other is not None and created_each_other(actor, other, days=INDEPENDENCE_DAYS):
        raise PrivacyRefused(
            f"U en {other.get_username()} hebben in de afgelopen {INDEPENDENCE_DAYS} dagen "
            "elkaars account of rollen aangemaakt of goedgekeurd; de tweede goedkeuring moet "
            "van iemand komen die daar los van staat."
        )
    now = timezone.now()
    if actor.has_role(Role.ADMINISTRATOR) and destruction_list.admin_approved_by_id is None:
        destruction_list.admin_approved_by, destruction_list.admin_approved_at = actor, now
    elif actor.has_role(Role.PRIVACY_OFFICER) and destruction_list.privacy_approved_by_id is None:
        destruction_list.privacy_approved_by, destruction_list.privacy_approved_at = actor, now
    else:
        raise PrivacyRefused(
            "Goedkeuren kan alleen een functioneel beheerder en een privacyfunctionaris, "
            "ieder één keer."
        )
    if destruction_list.is_approved:
        destruction_list.status = DestructionListStatus.APPROVED
    _save(destruction_list, actor)
    return destruction_list


# --- Destruction itself ------------------------------------------------------------------------


def _history_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if getattr(m, "instance_type", None) is not None]


class _Eraser:
    """Deletes objects with everything that hangs from them, then every history row that
    refers to any of them (also rows of children deleted earlier), their files, and the
    notifications and postponements that point at them."""

    def __init__(self):
        self.destroyed: dict[type[models.Model], set] = defaultdict(set)
        self.files: set[str] = set()
        self.counts: dict[str, int] = defaultdict(int)

    def delete(self, objects: list[models.Model]) -> None:
        if not objects:
            return
        collector = Collector(using="default")
        collector.collect(objects)
        for model, instances in collector.data.items():
            self.destroyed[model.__base__ if model._meta.proxy else model].update(
                obj.pk for obj in instances
            )
            if model is Letter:
                self.files.update(obj.file.name for obj in instances if obj.file)
        for queryset in collector.fast_deletes:
            self.destroyed[queryset.model].update(queryset.values_list("pk", flat=True))
        _, per_model = collector.delete()
        for label, count in per_model.items():
            self.counts[label.lower()] += count

    def finish(self) -> None:
        self._history()
        self._references()
        paths = set(self.files)
        self.counts["bestanden"] += len(paths)
        transaction.on_commit(lambda: [default_storage.delete(p) for p in paths])

    def _history(self) -> None:
        history_models = _history_models()
        changed = True
        while changed:  # children's history points at parents' history ids: run to a fixpoint
            changed = False
            for history in history_models:
                base = history.instance_type
                condition = models.Q()
                if self.destroyed.get(base):
                    condition |= models.Q(id__in=self.destroyed[base])
                for field in history._meta.concrete_fields:
                    target = field.related_model if field.many_to_one else None
                    if target in self.destroyed and target is not User and self.destroyed[target]:
                        condition |= models.Q(**{f"{field.attname}__in": self.destroyed[target]})
                if not condition:
                    continue
                rows = history.objects.filter(condition)
                ids = set(rows.values_list("id", flat=True))
                if base is Letter:
                    self.files.update(n for n in rows.values_list("file", flat=True) if n)
                new = ids - self.destroyed[base]
                if new:
                    self.destroyed[base].update(new)
                    changed = True
                deleted, _ = rows.delete()
                self.counts["historie"] += deleted

    def _references(self) -> None:
        """Notifications and postponements name their object by label and id, not by a key."""
        refs = models.Q()
        for model, pks in self.destroyed.items():
            if not pks or getattr(model, "instance_type", None) is not None:
                continue
            label = model._meta.label_lower
            ids = [str(pk) for pk in pks]
            refs |= models.Q(object_type=label, object_id__in=ids)
            refs |= models.Q(object_type__startswith=f"{label}:", object_id__in=ids)
        if not refs:
            return
        deleted, _ = Notification.objects.filter(refs).delete()
        self.counts["meldingen (Mijn werk)"] += deleted
        postponements = Postponement.objects.filter(refs)
        ids = list(postponements.values_list("pk", flat=True))
        deleted, _ = postponements.delete()
        self.counts["uitstel"] += deleted
        if ids:
            self.destroyed[Postponement].update(ids)
            self._history()


def _agenda_items_about(*, cases: list[Case], reports: list[Report]) -> list[AgendaItem]:
    about = models.Q(report__in=reports) | models.Q(case__in=cases)
    about |= models.Q(plan__case__in=cases) | models.Q(proposal__case__in=cases)
    return list(AgendaItem.objects.filter(about))


def _destroy_case(case: Case, eraser: _Eraser) -> None:
    subject = case.subject
    report = case.report
    reports = [report] if report else []
    # Agenda items hold the case by a protected key and name the person in their title:
    # they go with the case (the decision on them is in the deletion record's count).
    eraser.delete(_agenda_items_about(cases=[case], reports=reports))
    eraser.delete([case])
    if report is not None:
        eraser.delete([report])
    if not Case.objects.filter(subject=subject).exists():
        eraser.delete([Subject.objects.get(pk=subject.pk)])


def _destroy_report(report: Report, eraser: _Eraser) -> None:
    eraser.delete(_agenda_items_about(cases=[], reports=[report]))
    eraser.delete([report])


@transaction.atomic
def destruction_list_execute(*, destruction_list: DestructionList, actor: User) -> list:
    """Destroy what the approved list holds and write one deletion record per case or report.
    Whatever no longer qualifies (the period changed, a report led to a case) is skipped and
    says why. The access log is append-only and stays: it names persons only by reference."""
    destruction_list = DestructionList.objects.select_for_update().get(pk=destruction_list.pk)
    if destruction_list.status != DestructionListStatus.APPROVED:
        raise PrivacyRefused("Alleen een lijst met beide goedkeuringen kan worden uitgevoerd.")
    if not actor.has_role(Role.ADMINISTRATOR, Role.PRIVACY_OFFICER):
        raise PrivacyRefused("Uitvoeren kan een functioneel beheerder of privacyfunctionaris.")
    due_cases = set(cases_due().values_list("pk", flat=True))
    due_reports = set(reports_due().values_list("pk", flat=True))
    records = []
    now = timezone.now()
    for item in destruction_list.items.select_related("case__subject", "case__report", "report"):
        eraser = _Eraser()
        if item.kind == DestructionKind.CASE and item.case_id in due_cases:
            _destroy_case(item.case, eraser)
        elif item.kind == DestructionKind.REPORT and item.report_id in due_reports:
            _destroy_report(item.report, eraser)
        else:
            item.skipped_reason = "Voldoet niet meer aan de bewaartermijn of bestaat niet meer."
            item.save(update_fields=["skipped_reason"])
            continue
        eraser.finish()
        # The item's key was emptied by SET_NULL in the database; keep the instance in step.
        DestructionItem.objects.filter(pk=item.pk).update(destroyed_at=now, case=None, report=None)
        records.append(
            DeletionRecord.objects.create(
                kind=item.kind,
                reference=item.reference,
                destruction_list=destruction_list,
                destroyed_at=now,
                admin_approved_by=destruction_list.admin_approved_by,
                privacy_approved_by=destruction_list.privacy_approved_by,
                executed_by=actor,
                removed=dict(sorted(eraser.counts.items())),
            )
        )
    destruction_list.status = DestructionListStatus.EXECUTED
    destruction_list.executed_by, destruction_list.executed_at = actor, now
    _save(destruction_list, actor)
    return records


# --- Access requests (inzageverzoeken) ----------------------------------------------------------


@transaction.atomic
def access_request_register(
    *, subject: Subject, received_on: date, channel: str, note: str, actor: User
) -> AccessRequest:
    if not actor.has_role(Role.PRIVACY_OFFICER):
        raise PrivacyRefused("Alleen de privacyfunctionaris registreert inzageverzoeken.")
    request = AccessRequest(
        subject=subject,
        received_on=received_on,
        deadline=AccessRequest.deadline_for(received_on),
        channel=channel.strip(),
        note=note.strip(),
        registered_by=actor,
    )
    _save(request, actor)
    notification_create(
        recipient=actor,
        kind=ACCESS_REQUEST_KIND,
        title=f"Inzageverzoek {request.pk} beantwoorden",
        link=reverse("privacy:access_request_detail", args=[request.pk]),
        obj=request,
        due_date=request.deadline,
    )
    return request


@transaction.atomic
def access_request_answer(*, access_request: AccessRequest, answered_on: date, actor: User):
    access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if not access_request.is_open:
        return access_request
    access_request.status = AccessRequestStatus.ANSWERED
    access_request.answered_on = answered_on
    _save(access_request, actor)
    Notification.objects.filter(
        kind=ACCESS_REQUEST_KIND,
        object_type="privacy.accessrequest",
        object_id=str(access_request.pk),
        read_at__isnull=True,
    ).update(read_at=timezone.now())
    return access_request


# --- Settings and the Woo ------------------------------------------------------------------


@transaction.atomic
def retention_settings_update(*, case_years: int, report_years: int, actor: User):
    if not actor.has_role(Role.ADMINISTRATOR):
        raise PrivacyRefused("Alleen functioneel beheer stelt de bewaartermijnen in.")
    row = RetentionSettings.current()
    row.case_years, row.report_years = case_years, report_years
    _save(row, actor)
    return row


@transaction.atomic
def woo_redaction_set(*, item: AgendaItem, mode: str, ground: str, actor: User) -> WooRedaction:
    from privacy.woo import allowed_modes

    if mode not in allowed_modes(item):
        raise PrivacyRefused(
            "Een casuspunt of besloten agendapunt wordt geheel of met gelakte "
            "persoonsgegevens gepubliceerd, nooit ongelakt."
        )
    redaction = WooRedaction.objects.filter(item=item).first() or WooRedaction(item=item)
    redaction.mode, redaction.ground, redaction.set_by = mode, ground, actor
    _save(redaction, actor)
    return redaction
