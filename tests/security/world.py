"""One world for the access matrix: every persona of the matrix and every object a URL names.

Everything is built through the services (via the app factories), so grants, history and
phases are what production would have. Two furnished cases exist: `main` is the object every
persona has its relation to; `other` belongs to strangers and lends its sub-resources (logbook
entries, interventions, letters, ...) to prove that a sub-resource follows its own case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from cases import services as case_services
from cases.constants import EmergencyReasonKind
from cases.models import Case, Letter, Subject
from intake.constants import Desk, ReportStatus
from intake.models import FrameworkVersion, Report
from ipgar.accounts import services as account_services
from ipgar.accounts.constants import Role
from ipgar.accounts.models import Organisation, RoleRequest, User
from ipgar.notifications.services import notification_create
from meetings.constants import CaseItemKind, DecisionKind, MinutesStatus, PeriodKind
from meetings.models import Action, AgendaItem, Body, Decision, Meeting
from meetings.periods import Period
from meetings.services import OwnerData, action_create, agenda_distribute
from privacy import services as privacy_services
from privacy.models import AccessRequest, DestructionList
from reminders.deadlines import all_deadlines
from reminders.models import Postponement
from reminders.services import postponement_record
from tests.cases.factories import (
    CaseFactory,
    CatalogueEntryFactory,
    FurnishedCase,
    furnished_case,
    latest_plan,
    partner_intervention,
    partner_user,
)
from tests.factories import OrganisationFactory, UserFactory
from tests.intake.factories import ReportFactory, request_information
from tests.meetings.factories import ANCHOR, BodyFactory, case_item, meeting_on
from tests.privacy.factories import close_years_ago

# The relations of DOMAIN.md / issue 8: how a persona stands to the object it asks for.
OWN = "own"  # the case is theirs (regisseur), the report their desk's or board's
OWN_ORG = "own_org"  # the case's regisseur works in their organisation
AGENDA = "agenda"  # the case is on the agenda of a meeting of a body they sit on (or serve)
PARTNER = "partner"  # they deliver an intervention in the case (registration form on file)
NONE = "none"  # no relation at all
EMERGENCY = "emergency"  # broke the glass: a running emergency grant (read-only, three hours)

# Every persona the matrix asks, as (role, relation). A relation that means nothing for a role
# (the privacy officer has no "own" case) is simply not listed.
PERSONAS: list[tuple[str, str]] = [
    (Role.REGISSEUR, OWN),
    (Role.REGISSEUR, OWN_ORG),
    (Role.REGISSEUR, NONE),
    (Role.REGISSEUR, EMERGENCY),
    (Role.ADVISORY_MEMBER, OWN_ORG),
    (Role.ADVISORY_MEMBER, AGENDA),
    (Role.ADVISORY_MEMBER, NONE),
    (Role.DECISION_MEMBER, AGENDA),
    (Role.DECISION_MEMBER, NONE),
    (Role.SECRETARY, AGENDA),
    (Role.INTAKE, OWN),
    (Role.POLICE_INTAKE, NONE),
    (Role.ASSESSMENT_BOARD, OWN),
    (Role.INTERVENTION_PARTNER, PARTNER),
    (Role.INTERVENTION_PARTNER, NONE),
    (Role.PROGRAMME_TEAM, NONE),
    (Role.COORDINATOR, NONE),
    (Role.ADMINISTRATOR, NONE),
    (Role.PRIVACY_OFFICER, NONE),
]


def persona_label(persona: tuple[str, str]) -> str:
    return f"{persona[0]}/{persona[1]}"


@dataclass
class Side:
    """The objects one furnished case brings, by the URL keyword that names them."""

    furnished: FurnishedCase
    report: Report
    letter: Letter
    information_request: Any
    itatr_item: AgendaItem
    pto_item: AgendaItem
    decision: Decision  # recorded on itatr_item, minutes not yet adopted (correctable)

    @property
    def case(self) -> Case:
        return self.furnished.case


@dataclass
class World:
    users: dict[tuple[str, str], User]
    main: Side
    other: Side
    itatr: Body
    pto: Body
    itatr_meeting: Meeting
    pto_meeting: Meeting
    action: Action
    notification_pk: int
    deadline_key: tuple[str, str, str]
    postponement: Postponement
    framework: FrameworkVersion
    question_pk: int
    catalogue_pk: int
    target_user: User
    organisation: Organisation
    subject: Subject  # the main case's subject (privacy: access request, informing record)
    destruction_list: DestructionList
    access_request: AccessRequest
    woo_meeting: Meeting  # adopted minutes, the main case on its agenda
    # Issue 20: an intervention of the partner persona that has ended (read-only for them until
    # the case's next evaluation), and a privileged role waiting for a second administrator.
    ended_intervention: Any = None
    role_request: Any = None
    markers: dict[str, str] = field(default_factory=dict)

    def user(self, persona: tuple[str, str]) -> User:
        return self.users[persona]


def _report_for_board(registered_by: User, board: User) -> Report:
    report = ReportFactory(
        stage=ReportStatus.IN_ASSESSMENT,
        desk=Desk.MAP,
        registered_by=registered_by,
        board_actor=board,
    )
    return report


def _side(
    *, regisseur: User, partner: User, desk: User, board: User, itatr_meeting, pto_meeting
) -> Side:
    furnished = furnished_case(regisseur=regisseur, partner=partner)
    case = furnished.case
    case_services.contact_save(
        case=case,
        actor=regisseur,
        kind="ouder",
        name="Tweede Ouder",
        relation="vader",
        address="Dapperstraat 2, Amsterdam",
        is_legal_representative=True,
    )
    letter = case_services.letters_generate(case=case, actor=desk)[0]
    report = _report_for_board(desk, board)
    info = request_information(report, actor=board)
    itatr_item = case_item(itatr_meeting, CaseItemKind.STUCK, case=case)
    case_services.case_grant_agenda_readers(case=case, users=itatr_meeting.body.members.all())
    pto_item = case_item(pto_meeting, CaseItemKind.PLAN_ADOPTION, plan=latest_plan(case))
    # Created directly: the service records decisions only once the meeting has begun.
    decision = Decision.objects.create(
        item=itatr_item, kind=DecisionKind.GENERAL, text="Matrix besluit", recorded_by=board
    )
    return Side(furnished, report, letter, info, itatr_item, pto_item, decision)


def build_world() -> World:
    org_a = OrganisationFactory(code="MX-A", name="Matrix organisatie A")
    org_b = OrganisationFactory(code="MX-B", name="Matrix organisatie B")

    def make(role: str, org: Organisation = org_b, **fields) -> User:
        return UserFactory(roles=[role], organisation=org, **fields)

    users: dict[tuple[str, str], User] = {}
    users[(Role.REGISSEUR, OWN)] = make(Role.REGISSEUR, org_a)
    users[(Role.REGISSEUR, OWN_ORG)] = make(Role.REGISSEUR, org_a)
    users[(Role.REGISSEUR, NONE)] = make(Role.REGISSEUR)
    users[(Role.REGISSEUR, EMERGENCY)] = make(Role.REGISSEUR)
    users[(Role.ADVISORY_MEMBER, OWN_ORG)] = make(Role.ADVISORY_MEMBER, org_a)
    users[(Role.ADVISORY_MEMBER, AGENDA)] = make(Role.ADVISORY_MEMBER)
    users[(Role.ADVISORY_MEMBER, NONE)] = make(Role.ADVISORY_MEMBER)
    users[(Role.DECISION_MEMBER, AGENDA)] = make(Role.DECISION_MEMBER)
    users[(Role.DECISION_MEMBER, NONE)] = make(Role.DECISION_MEMBER)
    users[(Role.SECRETARY, AGENDA)] = make(Role.SECRETARY)
    users[(Role.INTAKE, OWN)] = make(Role.INTAKE)
    users[(Role.POLICE_INTAKE, NONE)] = make(Role.POLICE_INTAKE)
    users[(Role.ASSESSMENT_BOARD, OWN)] = make(Role.ASSESSMENT_BOARD)
    users[(Role.INTERVENTION_PARTNER, PARTNER)] = partner_user(org_b)
    users[(Role.INTERVENTION_PARTNER, NONE)] = partner_user(org_b)
    for role in (Role.PROGRAMME_TEAM, Role.COORDINATOR, Role.ADMINISTRATOR, Role.PRIVACY_OFFICER):
        users[(role, NONE)] = make(role)
    assert set(users) == set(PERSONAS)

    secretary = users[(Role.SECRETARY, AGENDA)]
    itatr = BodyFactory(
        itatr=True,
        name="Matrix ITAT-R",
        secretary=secretary,
        members=[users[(Role.ADVISORY_MEMBER, AGENDA)]],
    )
    pto = BodyFactory(
        pto=True,
        name="Matrix PTO-R",
        secretary=secretary,
        members=[users[(Role.DECISION_MEMBER, AGENDA)]],
    )
    itatr_meeting = meeting_on(itatr, ANCHOR + timedelta(days=3), actor=secretary)
    pto_meeting = meeting_on(pto, ANCHOR + timedelta(days=2), actor=secretary)
    desk = users[(Role.INTAKE, OWN)]
    board = users[(Role.ASSESSMENT_BOARD, OWN)]
    main = _side(
        regisseur=users[(Role.REGISSEUR, OWN)],
        partner=users[(Role.INTERVENTION_PARTNER, PARTNER)],
        desk=desk,
        board=board,
        itatr_meeting=itatr_meeting,
        pto_meeting=pto_meeting,
    )
    # The ITAT-R's agenda went out: its members read the meeting documents (issue 17).
    agenda_distribute(meeting=itatr_meeting, actor=secretary)
    # The other side: a stranger's case on a meeting no persona sits on.
    stranger_body = BodyFactory(itatr=True, name="Ander overleg")
    stranger_pto = BodyFactory(pto=True, name="Ander besluitoverleg")
    other = _side(
        regisseur=UserFactory(roles=[Role.REGISSEUR], organisation=org_b),
        partner=partner_user(org_b),
        desk=desk,
        board=board,
        itatr_meeting=meeting_on(stranger_body, ANCHOR + timedelta(days=3)),
        pto_meeting=meeting_on(stranger_pto, ANCHOR + timedelta(days=2)),
    )
    action = action_create(
        body=itatr,
        actor=secretary,
        subject="Matrix actie",
        action="Terugkoppelen",
        owners=[OwnerData(user=secretary)],
        due=Period(PeriodKind.DATE, timezone.localdate() + timedelta(days=7)),
    )
    own = users[(Role.REGISSEUR, OWN)]
    notification, _ = notification_create(recipient=own, kind="matrix", title="Matrix melding")
    mine = [d for d in all_deadlines(include_suspended=True) if d.recipients == frozenset({own.pk})]
    assert len(mine) >= 2, [d.key for d in mine]
    postponement = postponement_record(
        actor=own,
        deadline=mine[1],
        until=max(mine[1].due, timezone.localdate()) + timedelta(days=30),
        reason="Matrix: op vakantie",
    )
    framework = FrameworkVersion.objects.order_by("-pk").first()
    # Break the glass: a regisseur of another organisation opens the main case (read-only).
    privacy_services.emergency_access_open(
        case=main.case,
        reason_kind=EmergencyReasonKind.REGISSEUR_UNREACHABLE,
        reason="Matrix: acute zorg gemeld buiten kantooruren, regisseur onbereikbaar",
        actor=users[(Role.REGISSEUR, EMERGENCY)],
    )
    # Privacy: an old closed case on a proposed destruction list, an access request about the
    # main subject, and a meeting with adopted minutes (the Woo version) with the case on it.
    close_years_ago(CaseFactory(closed=True), 5)
    destruction_list = privacy_services.destruction_list_propose()
    assert destruction_list is not None
    access_request = privacy_services.access_request_register(
        subject=main.case.subject,
        received_on=timezone.localdate(),
        channel="Brief",
        note="Matrix inzageverzoek",
        actor=users[(Role.PRIVACY_OFFICER, NONE)],
    )
    woo_meeting = meeting_on(
        BodyFactory(itatr=True, name="Woo overleg"), ANCHOR + timedelta(days=3)
    )
    case_item(woo_meeting, CaseItemKind.STUCK, case=main.case)
    Meeting.objects.filter(pk=woo_meeting.pk).update(minutes_status=MinutesStatus.ADOPTED)
    question = framework.sections.first().questions.first()
    ended = partner_intervention(main.case, users[(Role.INTERVENTION_PARTNER, PARTNER)])
    ended = case_services.intervention_save(
        case=main.case,
        actor=main.case.regisseur,
        intervention=ended,
        data=case_services.InterventionData(
            catalogue_entry=ended.catalogue_entry,
            rationale=ended.rationale,
            owner_organisation=ended.owner_organisation,
            owner=ended.owner,
            status="afgerond",
        ),
    )
    # Asked by an administrator who is no persona, so the ADMIN persona may decide on it.
    requester = UserFactory(roles=[Role.ADMINISTRATOR], organisation=org_b)
    account_services.user_update(
        actor=requester,
        user=UserFactory(roles=[Role.INTAKE], organisation=org_b),
        roles=[Role.INTAKE, Role.COORDINATOR],
    )
    role_request = RoleRequest.objects.get(requested_by=requester)
    return World(
        users=users,
        main=main,
        other=other,
        itatr=itatr,
        pto=pto,
        itatr_meeting=itatr_meeting,
        pto_meeting=pto_meeting,
        action=action,
        notification_pk=notification.pk,
        deadline_key=mine[0].key,
        postponement=postponement,
        framework=framework,
        question_pk=question.pk,
        catalogue_pk=CatalogueEntryFactory().pk,
        target_user=users[(Role.REGISSEUR, NONE)],
        organisation=org_b,
        subject=main.case.subject,
        destruction_list=destruction_list,
        access_request=access_request,
        woo_meeting=woo_meeting,
        ended_intervention=ended,
        role_request=role_request,
        markers={
            "case_name": main.case.subject.last_name,
            "case": f"/casussen/{main.case.pk}/",
            "report": f"/meldingen/{main.report.pk}/",
            "report_name": main.report.persons.order_by("pk").first().last_name,
            "intervention": f"/casussen/partner/interventie/{main.furnished.intervention.pk}/",
            "body": f"/overleggen/overleg/{itatr.pk}/",
        },
    )


def latest_plan_version(case: Case):
    return latest_plan(case)
