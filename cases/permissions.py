"""Need-to-know for cases (DOMAIN.md section 5).

- The regisseur sees and changes their own cases: object permissions granted on assignment and
  moved on reassignment (django-guardian, direct foreign keys).
- An ITAT-R fixed member reads the cases of regisseurs of their own organisation.
- The coordinator sees caseload and phase only (no case pages).
- An intervention partner reaches a case only through an intervention assigned to them, once
  their registration form is on file, and sees only that (partner views).
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from cases.constants import CasePhase, InterventionStatus
from cases.models import Case, EmergencyAccess, Evaluation, Intervention
from ipgar.accounts.constants import Role
from ipgar.accounts.models import User
from ipgar.accounts.permissions import granted, objects_visible_to

VIEW = "cases.view_case"
CHANGE = "cases.change_case"
REGISSEUR_PERMS = ("view_case", "change_case", "log_case")
# Who may break the glass: the roles that work on case files (DOMAIN.md section 5).
EMERGENCY_ROLES = (Role.REGISSEUR, Role.ADVISORY_MEMBER, Role.COORDINATOR)


def grant_regisseur(case: Case, user: User) -> None:
    for perm in REGISSEUR_PERMS:
        assign_perm(perm, user, case)


def revoke_regisseur(case: Case, user: User) -> None:
    for perm in REGISSEUR_PERMS:
        remove_perm(perm, user, case)


def grant_reader(case: Case, user: User) -> None:
    assign_perm("view_case", user, case)


def revoke_reader(case: Case, user: User) -> None:
    remove_perm("view_case", user, case)


def cases_visible_to(user: User, *, emergency: bool = True) -> QuerySet[Case]:
    """The cases `user` may read. `emergency=False` leaves out the break-the-glass grants: for
    choice lists of forms that write (linking a person into one's own case's network), where a
    read-only grant must not become a lasting link after it ends."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    # Cases are granted to users only (grant_regisseur, grant_reader): no group half.
    visible = granted(user, VIEW, Case, through_groups=False)
    if user.has_role(Role.ADVISORY_MEMBER) and user.organisation_id:
        visible |= Q(organisation_id=user.organisation_id)
    if emergency:
        # Break the glass: read-only, and only while the grant runs (same query, a subquery).
        visible |= Q(pk__in=active_emergency_grants(user).values("case_id"))
    return Case.objects.filter(visible)


def active_emergency_grants(user: User) -> QuerySet[EmergencyAccess]:
    # No role check here: a grant is only made for EMERGENCY_ROLES, and a role lookup would cost
    # every case page a query.
    if not user.is_authenticated or not user.is_active:
        return EmergencyAccess.objects.none()
    return EmergencyAccess.objects.filter(user=user, expires_at__gt=timezone.now())


def may_break_glass(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(*EMERGENCY_ROLES)


def can_change(user: User, case: Case) -> bool:
    return objects_visible_to(
        user, CHANGE, Case.objects.filter(pk=case.pk), through_groups=False
    ).exists()


def get_case_for_user(user: User, pk: object, *, change: bool = False) -> Case:
    """404 when the case does not exist for the user; 403 when they may only read it."""
    from django.core.exceptions import PermissionDenied

    try:
        case = (
            cases_visible_to(user).select_related("subject", "organisation", "regisseur").get(pk=pk)
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if change and not can_change(user, case):
        raise PermissionDenied
    return case


def can_open_letters(user: User, case: Case) -> bool:
    """The intake desk sends the notification letters; the case's regisseur may follow them.
    The letters page and every link to it ask this."""
    return case.regisseur_id == user.pk or user.has_role(Role.INTAKE)


def partner_interventions(user: User, *, write: bool = False) -> QuerySet[Intervention]:
    """The interventions a partner delivers; nothing before the registration form is on file.

    Access ends with the intervention (issue 20): once it is completed or stopped the partner
    reads it until the case's next evaluation (PARTNER_READ_UNTIL_EVALUATION) and no longer
    writes; when the case is closed, nothing. `write=True`: only what they may still log on."""
    if not user.is_authenticated or not user.has_role(Role.INTERVENTION_PARTNER):
        return Intervention.objects.none()
    if not hasattr(user, "partner_registration"):
        return Intervention.objects.none()
    running = Q(status__in=(InterventionStatus.PLANNED, InterventionStatus.RUNNING))
    visible = running
    if not write and settings.PARTNER_READ_UNTIL_EVALUATION:
        evaluated_since = Evaluation.objects.filter(
            case=OuterRef("case"), held_on__gte=OuterRef("ended_on")
        )
        visible |= Q(ended_on__isnull=False) & ~Exists(evaluated_since)
    return (
        Intervention.objects.filter(owner=user)
        .exclude(case__phase=CasePhase.CLOSED)
        .filter(visible)
    )


def may_log_on(user: User, intervention: Intervention) -> bool:
    return partner_interventions(user, write=True).filter(pk=intervention.pk).exists()


def get_partner_intervention(user: User, pk: object) -> Intervention:
    try:
        return (
            partner_interventions(user)
            .select_related(
                "case__subject",
                "case__regisseur__organisation",
                "catalogue_entry",
                "owner_organisation",
            )
            .get(pk=pk)
        )
    except (Intervention.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# The directory of attention officers and district contacts: every staff role searches it
# (not the external intervention partner); functional administration and the coordinator keep it.
DIRECTORY_READERS = tuple(r for r in Role.values if r != Role.INTERVENTION_PARTNER)
DIRECTORY_KEEPERS = (Role.ADMINISTRATOR, Role.COORDINATOR)


def get_uvo_for_user(user: User, case_pk: object, pk: object):
    """A UVO opens (its calendar file) for the case's regisseur and for its invitees only."""
    from cases.models import PartnerMeeting

    try:
        meeting = PartnerMeeting.objects.select_related("case__regisseur").get(
            pk=pk, case_id=case_pk
        )
    except (PartnerMeeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if meeting.case.regisseur_id == user.pk:
        return meeting
    invited = (
        meeting.invited_users.filter(pk=user.pk).exists()
        or meeting.invitees.filter(user=user).exists()
    )
    if not invited:
        raise Http404
    return meeting
