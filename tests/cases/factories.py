"""Cases built through the services, so grants, history and phases are real.

    CaseFactory()                          opened on admission: the base file is with a regisseur
    CaseFactory(regisseur=user)            ... to this regisseur
    CaseFactory(concept_plan=True)         a concept plan with a goal and an intervention
    CaseFactory(at_advice=True)            that plan submitted to the ITAT-R
    CaseFactory(adopted=True)              advised by the ITAT-R, adopted by the decision meeting
    CaseFactory(in_execution=True)         ... and accorded by the secretary
    CaseFactory(phasing_down=True)         a phase-down proposal adopted
    CaseFactory(closed=True)               a closure proposal adopted, warm handover
    CaseFactory(dormant=True)              in execution and declared 'statisch'
    CaseFactory(admitted=True)             'opgenomen', before the base file is handed over
    CaseFactory(stage=phase)               any phase, for tables over every phase

    furnished_case()                       in execution with something in every part of the
                                           file: a partner's intervention, logbook, contact,
                                           UVO with an agreement, evaluation

    partner = partner_user()               an intervention partner with a registration form
    partner_intervention(case, partner)    an intervention that partner delivers

A case is never built without the services: `CaseFactory.build()` refuses.
"""

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

import factory
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases import services
from cases.constants import (
    CasePhase,
    ClosureReason,
    ContactKind,
    EvaluationConclusion,
    GoalResult,
    InterventionCategory,
    LogKind,
    ProposalKind,
)
from cases.models import (
    Agreement,
    Case,
    CatalogueEntry,
    Contact,
    Evaluation,
    Goal,
    Intervention,
    LogEntry,
    PartnerMeeting,
    PlanVersion,
)
from intake.constants import LifeDomain, ReportStatus
from intake.models import Report
from ipgar.accounts.constants import Role
from ipgar.accounts.models import Organisation, User
from tests.factories import OrganisationFactory, UserFactory
from tests.intake.factories import PersonDataFactory, ReportFactory

# --- People -------------------------------------------------------------------------------------


def regisseur_user(organisation: Organisation | None = None, **fields) -> User:
    if organisation is not None:
        fields["organisation"] = organisation
    return UserFactory(roles=[Role.REGISSEUR], **fields)


def itatr_member(organisation: Organisation, **fields) -> User:
    """A fixed member of the ITAT-R: reads the cases of their own organisation."""
    return UserFactory(roles=[Role.ADVISORY_MEMBER], organisation=organisation, **fields)


def coordinator_user(**fields) -> User:
    return UserFactory(roles=[Role.COORDINATOR], **fields)


def decision_member(**fields) -> User:
    return UserFactory(roles=[Role.DECISION_MEMBER], **fields)


def secretary_user(**fields) -> User:
    return UserFactory(roles=[Role.SECRETARY], **fields)


def administrator_user(**fields) -> User:
    return UserFactory(roles=[Role.ADMINISTRATOR], **fields)


def partner_user(
    organisation: Organisation | None = None, *, registered: bool = True, **fields
) -> User:
    """An intervention partner; with `registered` their registration form is on file."""
    if organisation is not None:
        fields["organisation"] = organisation
    partner = UserFactory(roles=[Role.INTERVENTION_PARTNER], **fields)
    if registered:
        register_partner(partner)
    return partner


def register_partner(partner: User, *, actor: User | None = None) -> None:
    services.partner_registration_record(
        user=partner,
        actor=actor or administrator_user(),
        signed_on=timezone.localdate() - timedelta(days=30),
        signed_by=partner.get_full_name() or partner.username,
        scope="Weerbaarheidstrainingen voor jongeren.",
    )


# --- The catalogue ------------------------------------------------------------------------------


class CatalogueEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogueEntry
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Testinterventie {n}")
    description = "Een interventie uit het pallet, voor de tests."
    category = InterventionCategory.CARE
    provider = factory.SubFactory(OrganisationFactory)
    review_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=200))
    is_active = True


# --- The plan ---------------------------------------------------------------------------------

_numbers = itertools.count(1)


def add_goal(
    case: Case,
    *,
    description: str | None = None,
    life_domain: str = LifeDomain.TIME_USE,
    actor: User | None = None,
) -> Goal:
    return services.goal_save(
        case=case,
        actor=actor or case.regisseur,
        life_domain=life_domain,
        description=description or f"Heeft een vaste dagbesteding ({next(_numbers)}).",
    )


def add_intervention(
    case: Case,
    *,
    owner: User | None = None,
    owner_organisation: Organisation | None = None,
    catalogue_entry: CatalogueEntry | None = None,
    rationale: str = "Sluit aan bij zijn leefwereld; hij vertrouwt de jongerenwerker.",
    actor: User | None = None,
    **fields,
) -> Intervention:
    entry = catalogue_entry or CatalogueEntryFactory()
    organisation = owner_organisation or (owner.organisation if owner else entry.provider)
    return services.intervention_save(
        case=case,
        actor=actor or case.regisseur,
        data=services.InterventionData(
            catalogue_entry=entry,
            rationale=rationale,
            owner_organisation=organisation,
            owner=owner,
            **fields,
        ),
    )


def partner_intervention(case: Case, partner: User, **fields) -> Intervention:
    fields.setdefault("aim", "Wekelijks een trainingsbijeenkomst.")
    fields.setdefault("status", "lopend")
    return add_intervention(case, owner=partner, **fields)


def latest_plan(case: Case) -> PlanVersion:
    return PlanVersion.objects.filter(case=case).order_by("-number").first()


def log(
    case: Case,
    *,
    actor: User | None = None,
    text: str = "Gesprek bij de persoon thuis; sfeer open.",
    kind: str = LogKind.FACE_TO_FACE,
    at: datetime | None = None,
    intervention: Intervention | None = None,
) -> LogEntry:
    return services.logbook_add(
        case=case,
        actor=actor or case.regisseur,
        at=at or timezone.now() - timedelta(hours=1),
        kind=kind,
        text=text,
        intervention=intervention,
    )


def bulk_log(case: Case, count: int, *, author: User | None = None, **fields) -> None:
    """Many logbook entries at once, with their history rows, as seed_demo makes them."""
    author = author or case.regisseur
    start = timezone.now() - timedelta(days=count)
    kinds = list(LogKind.values)
    entries = [
        LogEntry(
            case=case,
            author=author,
            kind=fields.get("kind", kinds[i % len(kinds)]),
            text=fields.get("text", f"Logboekregel {i}: contact over dagbesteding."),
            at=start + timedelta(days=i),
        )
        for i in range(count)
    ]
    bulk_create_with_history(entries, LogEntry, default_user=author)


# --- Moving a case along its lifecycle --------------------------------------------------------

# The path each phase is reached by, in workflow order.
LIFECYCLE = [
    CasePhase.BASE_FILE,
    CasePhase.CONCEPT_PLAN,
    CasePhase.AT_ADVICE,
    CasePhase.ADOPTED,
    CasePhase.IN_EXECUTION,
    CasePhase.PHASING_DOWN,
]


def force_admitted(case: Case) -> Case:
    """'Opgenomen' without a base file yet: the opening service hands the base file over at
    once, so no service leaves a case here; the tables over every phase still need one."""
    Case.objects.filter(pk=case.pk).update(phase=CasePhase.ADMITTED, base_file_assigned_at=None)
    return Case.objects.get(pk=case.pk)


def advance(case: Case, stage: str, *, decision_actor: User, secretary: User) -> Case:
    """Move a freshly opened case (base file) to `stage` through the services."""
    if stage == CasePhase.ADMITTED:
        return force_admitted(case)
    target = CasePhase.IN_EXECUTION if stage == CasePhase.CLOSED else stage
    reached = LIFECYCLE.index(target)
    regisseur = case.regisseur
    if reached >= LIFECYCLE.index(CasePhase.CONCEPT_PLAN):
        services.plan_update(
            case=case,
            actor=regisseur,
            scenario_short="Stabiliseren: dagbesteding en zicht op online contacten.",
            scenario_long="Duurzaam afstand van extremistische ideeën; warme overdracht.",
        )
        goal = add_goal(case)
        add_intervention(case, goal=goal)
    if reached >= LIFECYCLE.index(CasePhase.AT_ADVICE):
        plan = services.plan_submit_for_advice(case=case, actor=regisseur)
    if reached >= LIFECYCLE.index(CasePhase.ADOPTED):
        services.plan_record_advice(
            plan=plan, actor=secretary, advice="Positief; let op het netwerk."
        )
        services.plan_adopt(plan=plan, actor=decision_actor)
    if reached >= LIFECYCLE.index(CasePhase.IN_EXECUTION):
        services.plan_accord(plan=plan, actor=secretary)
    if reached >= LIFECYCLE.index(CasePhase.PHASING_DOWN):
        proposal = services.proposal_submit(
            case=case,
            actor=regisseur,
            kind=ProposalKind.PHASE_DOWN,
            goals_met="Dagbesteding en netwerk op orde.",
            reasoning="Stabiel sinds een half jaar.",
            handover_organisation=None,
        )
        services.case_phase_down(case=case, actor=decision_actor, proposal=proposal)
    if stage == CasePhase.CLOSED:
        handover = OrganisationFactory(code="GGZ-H", name="GGZ (overdracht)")
        proposal = services.proposal_submit(
            case=case,
            actor=regisseur,
            kind=ProposalKind.CLOSURE,
            goals_met="Alle doelen behaald.",
            reasoning="Geen zorgen meer over radicalisering.",
            handover_organisation=handover,
        )
        services.case_close(
            case=case,
            actor=decision_actor,
            reason=ClosureReason.GOALS_MET,
            handover_organisation=handover,
            proposal=proposal,
        )
    return Case.objects.get(pk=case.pk)


def ready_report(**fields) -> Report:
    """A report through triage, assessment and advice, waiting for the decision meeting."""
    return ReportFactory(stage=ReportStatus.READY_FOR_DECISION, **fields)


def open_case(
    *,
    regisseur: User | None = None,
    report: Report | None = None,
    actor: User | None = None,
    **person,
) -> Case:
    """What the decision meeting does on admission: case_open_from_report."""
    regisseur = regisseur or regisseur_user()
    report = report or ready_report(persons=[PersonDataFactory(**person)])
    return services.case_open_from_report(
        report=report,
        actor=actor or decision_member(),
        organisation=regisseur.organisation,
        regisseur=regisseur,
    )


class CaseFactory(factory.Factory):
    """A case opened through case_open_from_report and moved on through the services."""

    class Meta:
        model = Case

    class Params:
        admitted = factory.Trait(stage=CasePhase.ADMITTED)
        concept_plan = factory.Trait(stage=CasePhase.CONCEPT_PLAN)
        at_advice = factory.Trait(stage=CasePhase.AT_ADVICE)
        adopted = factory.Trait(stage=CasePhase.ADOPTED)
        in_execution = factory.Trait(stage=CasePhase.IN_EXECUTION)
        phasing_down = factory.Trait(stage=CasePhase.PHASING_DOWN)
        closed = factory.Trait(stage=CasePhase.CLOSED)
        dormant = factory.Trait(
            stage=CasePhase.IN_EXECUTION,
            dormant_reason="Gedetineerd; geen handelingsperspectief tot vrijlating.",
        )

    stage = CasePhase.BASE_FILE
    regisseur = factory.LazyFunction(regisseur_user)
    report = None  # a new report, ready for decision, about `person`
    person = factory.LazyFunction(dict)  # PersonDataFactory fields: first_name, bsn, ...
    decision_actor = factory.LazyFunction(decision_member)
    secretary = factory.LazyFunction(secretary_user)
    dormant_reason = ""

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError("Een casus bestaat alleen via case_open_from_report: gebruik create().")

    @classmethod
    def _create(
        cls,
        model_class,
        *,
        stage,
        regisseur,
        report,
        person,
        decision_actor,
        secretary,
        dormant_reason,
    ):
        case = open_case(regisseur=regisseur, report=report, actor=decision_actor, **person)
        case = advance(case, stage, decision_actor=decision_actor, secretary=secretary)
        if dormant_reason:
            case = services.case_set_dormant(case=case, actor=decision_actor, reason=dormant_reason)
        return Case.objects.select_related("subject", "regisseur", "organisation").get(pk=case.pk)


def plan_statuses(case: Case) -> list[str]:
    return list(
        PlanVersion.objects.filter(case=case).order_by("number").values_list("status", flat=True)
    )


def revision_concept(case: Case, *, actor: User | None = None) -> PlanVersion:
    """A new concept on a case whose plan was adopted: the plan is revised."""
    return services.plan_update(
        case=case,
        actor=actor or case.regisseur,
        scenario_short="Bijgesteld: meer nadruk op het netwerk.",
        scenario_long="Duurzaam afstand van extremistische ideeën; warme overdracht.",
    )


def revision_advised(case: Case, *, processed: bool = False) -> PlanVersion:
    """A revised plan the ITAT-R advised on, waiting for the regisseur to answer the advice
    (with `processed`: answered, not yet definitive)."""
    revision_concept(case)
    plan = services.plan_submit_for_advice(case=case, actor=case.regisseur)
    plan = services.plan_record_advice(
        plan=plan, actor=secretary_user(), advice="Betrek de broer.\nPlan een UVO met WPI."
    )
    if processed:
        plan = services.plan_process_advice(
            plan=plan, actor=case.regisseur, responses=["Broer betrokken.", "UVO gepland."]
        )
    return plan


def planned_uvo(case: Case, *, users=(), invitees=(), days: int = 1) -> PartnerMeeting:
    """A UVO the regisseur planned `days` ahead at 10:00, with these invitees."""
    starts_at = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=days), datetime.min.time())
    ) + timedelta(hours=10)
    return services.partner_meeting_plan(
        case=case,
        actor=case.regisseur,
        starts_at=starts_at,
        location="Stadsdeelkantoor",
        users=list(users),
        invitees=list(invitees),
    )


# --- A case with something in every part of the file ------------------------------------------


@dataclass
class FurnishedCase:
    case: Case
    goal: Goal
    intervention: Intervention  # delivered by `partner`
    partner: User
    entry: LogEntry
    contact: Contact
    meeting: PartnerMeeting
    agreement: Agreement
    evaluation: Evaluation


def furnished_case(*, regisseur: User | None = None, partner: User | None = None) -> FurnishedCase:
    """A case in execution with a partner's intervention, a logbook entry, a contact, a UVO
    with an open agreement for the regisseur and an evaluation."""
    case = CaseFactory(in_execution=True, **({"regisseur": regisseur} if regisseur else {}))
    partner = partner or partner_user()
    goal = case.goals.get()
    intervention = partner_intervention(case, partner, goal=goal)
    today = timezone.localdate()
    meeting = services.partner_meeting_record(
        case=case,
        actor=case.regisseur,
        held_on=today - timedelta(days=7),
        participants="Regisseur, SCW, WPI",
        notes="Voortgang besproken.",
        agreements=[
            services.AgreementData(
                what="Contact met moeder over de thuissituatie",
                due_on=today + timedelta(days=7),
                owner=case.regisseur,
            )
        ],
    )
    evaluation = services.evaluation_record(
        case=case,
        actor=case.regisseur,
        held_on=today - timedelta(days=3),
        summary="Dagbesteding komt op gang.",
        conclusion=EvaluationConclusion.CONTINUE,
        goal_results={goal.pk: (GoalResult.PARTLY, "")},
        intervention_results={intervention.pk: "Loopt volgens plan."},
        scores={domain: (3, "") for domain in LifeDomain.values},
    )
    return FurnishedCase(
        case=Case.objects.select_related("subject", "regisseur", "organisation").get(pk=case.pk),
        goal=goal,
        intervention=intervention,
        partner=partner,
        entry=log(case),
        contact=services.contact_save(
            case=case,
            actor=case.regisseur,
            kind=ContactKind.PARENT,
            name="Fatima el Amrani",
            relation="moeder",
            address="Dapperstraat 1, Amsterdam",
            is_legal_representative=True,
        ),
        meeting=meeting,
        agreement=meeting.agreements.get(),
        evaluation=evaluation,
    )
