"""Who sees and does what with reports (DOMAIN.md section 5).

Grants are object permissions (django-guardian, direct foreign keys) made by the services from
relationships: on registration the desk's role group gets the report; on forwarding, the
assessment board's group. Nobody else sees intake data; a global model permission opens nothing.
"""

from django.contrib.auth.models import Group
from django.db.models import QuerySet
from guardian.shortcuts import assign_perm

from intake.constants import ReportStatus
from intake.models import Report
from ipgar.accounts.constants import Role
from ipgar.accounts.models import User
from ipgar.accounts.permissions import get_object_for_user, objects_visible_to

VIEW = "intake.view_report"
CHANGE = "intake.change_report"
ASSESS = "intake.assess_report"

ASSESSABLE = frozenset({ReportStatus.FORWARDED, ReportStatus.IN_ASSESSMENT, ReportStatus.ADVISED})


def grant_desk(report: Report) -> None:
    group = Group.objects.get(name=report.desk)
    assign_perm("view_report", group, report)
    assign_perm("change_report", group, report)


def grant_board(report: Report) -> None:
    group = Group.objects.get(name=Role.ASSESSMENT_BOARD)
    assign_perm("view_report", group, report)
    assign_perm("assess_report", group, report)


def reports_visible_to(user: User) -> QuerySet[Report]:
    return objects_visible_to(user, VIEW, Report.objects.all())


def get_report_for_user(user: User, pk: object, *, change: bool = False) -> Report:
    return get_object_for_user(
        user, Report.objects.all(), pk, view_perm=VIEW, change_perm=CHANGE if change else None
    )


def get_report_for_assessment(user: User, pk: object) -> Report:
    return get_object_for_user(user, Report.objects.all(), pk, view_perm=VIEW, change_perm=ASSESS)


def report_rights(user: User, report: Report) -> dict[str, bool]:
    """Booleans for the templates, which never decide access themselves."""
    can_change = objects_visible_to(user, CHANGE, Report.objects.filter(pk=report.pk)).exists()
    can_assess = objects_visible_to(user, ASSESS, Report.objects.filter(pk=report.pk)).exists()
    assessing = can_assess and report.status in ASSESSABLE
    return {
        "can_triage": can_change and report.status == ReportStatus.REGISTERED,
        "can_edit_registration": can_change and report.status == ReportStatus.REGISTERED,
        "can_assess": assessing,
        "can_request_information": assessing,
        "can_check_persons": assessing,
        "can_advise": can_assess
        and report.status in {ReportStatus.IN_ASSESSMENT, ReportStatus.ADVISED},
        "can_mark_ready": can_assess and report.status == ReportStatus.ADVISED,
    }
