"""Every view of cases with every persona: the case's regisseur (reads and writes), the ITAT-R
member of the regisseur's organisation (reads: 200, writes: 403), an outsider (another
regisseur, an ITAT-R member elsewhere, the coordinator, the partner: 404 on case pages), users
without the role of a role-wide page (403) and anonymous (to the login page)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases import urls as cases_urls
from cases.constants import CasePhase, LogKind, PlanStatus, UvoStatus
from cases.models import (
    BaseFile,
    Case,
    CatalogueEntry,
    Contact,
    Goal,
    Intervention,
    LogEntry,
    PartnerMeeting,
    PlanVersion,
    Proposal,
    SubjectLink,
)
from ipgar.accounts.constants import Role
from ipgar.accounts.models import User
from tests.cases.factories import (
    CaseFactory,
    CatalogueEntryFactory,
    FurnishedCase,
    administrator_user,
    coordinator_user,
    furnished_case,
    itatr_member,
    partner_user,
    planned_uvo,
    regisseur_user,
    revision_advised,
    revision_concept,
)
from tests.factories import UserFactory
from tests.personas import assert_redirects_to_login, signed_in

pytestmark = pytest.mark.django_db


@dataclass
class World:
    file: FurnishedCase
    regisseur: User
    colleague_regisseur: User  # same organisation, not this case
    other_regisseur: User
    itatr: User  # fixed ITAT-R member of the regisseur's organisation
    itatr_elsewhere: User
    coordinator: User
    partner: User  # delivers an intervention on this very case
    administrator: User
    linkable: Case  # another subject with an active case, to link to
    spare_entry: CatalogueEntry  # in the catalogue, not yet on the plan
    planned: PartnerMeeting  # a UVO planned for tomorrow, the partner invited

    @property
    def case(self) -> Case:
        return self.file.case


@pytest.fixture
def world() -> World:
    file = furnished_case()
    organisation = file.case.organisation
    return World(
        file=file,
        regisseur=file.case.regisseur,
        colleague_regisseur=regisseur_user(organisation),
        other_regisseur=regisseur_user(),
        itatr=itatr_member(organisation),
        itatr_elsewhere=itatr_member(regisseur_user().organisation),
        coordinator=coordinator_user(),
        partner=file.partner,
        administrator=administrator_user(),
        # Linking offers only persons of cases the regisseur may see (need-to-know).
        linkable=CaseFactory(regisseur=file.case.regisseur),
        spare_entry=CatalogueEntryFactory(name="Schuldhulpverlening"),
        planned=planned_uvo(file.case, users=[file.partner]),
    )


def now_field() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def today_field(days: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@dataclass(frozen=True)
class View:
    name: str
    args: Callable[[World], list] = lambda w: [w.case.pk]
    get: bool = True  # False: POST only
    # Valid form data for a POST, and what it stored.
    data: Callable[[World], dict] = lambda w: {}
    stored: Callable[[World], bool] = lambda w: True
    setup: Callable[[World], None] = lambda w: None

    def url(self, world: World) -> str:
        return reverse(f"cases:{self.name}", args=self.args(world))

    def __str__(self) -> str:
        return self.name


def agreements(world: World) -> dict:
    return {
        "afspraken-TOTAL_FORMS": "3",
        "afspraken-INITIAL_FORMS": "0",
        "afspraken-MIN_NUM_FORMS": "0",
        "afspraken-MAX_NUM_FORMS": "20",
        "afspraken-0-what": "Intake bij WPI plannen",
        "afspraken-0-owner": str(world.regisseur.pk),
        "afspraken-0-due_on": today_field(14),
    }


def subject_data(world: World) -> dict:
    subject = world.case.subject
    return {
        "first_name": subject.first_name,
        "last_name": subject.last_name,
        "aliases": "Abu Test",
        "date_of_birth": subject.date_of_birth.isoformat() if subject.date_of_birth else "",
        "bsn": subject.bsn,
        "gender": subject.gender,
        "street": "Dapperstraat 1",
        "postcode": "1093 BS",
        "city": "Amsterdam",
        "lock_version": subject.lock_version,
    }


def concept_lock_version(world: World) -> int:
    concept = world.case.plan_versions.filter(status=PlanStatus.CONCEPT).first()
    return concept.lock_version if concept else 0


# Pages the ITAT-R member of the organisation may read.
READ_VIEWS = [
    View("case_detail"),
    View("base_file_edit"),
    View("plan_version_detail", lambda w: [w.case.pk, w.case.plan_versions.get().pk]),
]
# Everything that writes to a case: the ITAT-R member gets 403.
WRITE_VIEWS = [
    View(
        "logbook_add",
        get=False,
        data=lambda w: {"at": now_field(), "kind": LogKind.PHONE, "text": "Gebeld met moeder."},
        stored=lambda w: LogEntry.objects.filter(text="Gebeld met moeder.").exists(),
    ),
    View(
        "logbook_edit",
        lambda w: [w.case.pk, w.file.entry.pk],
        data=lambda w: {"at": now_field(), "kind": LogKind.PHONE, "text": "Verbeterde tekst."},
        stored=lambda w: LogEntry.objects.get(pk=w.file.entry.pk).text == "Verbeterde tekst.",
    ),
    View(
        "subject_edit",
        data=subject_data,
        stored=lambda w: Case.objects.get(pk=w.case.pk).subject.aliases == "Abu Test",
    ),
    View(
        "subject_link_add",
        data=lambda w: {"kind": "familie", "other": w.linkable.subject_id, "note": "broer"},
        stored=lambda w: SubjectLink.objects.filter(to_subject=w.linkable.subject).exists(),
    ),
    View(
        "base_file_edit",
        get=False,  # its GET is a read view (above); the POST writes
        data=lambda w: {"summary": "Aangevuld informatiebeeld.", "network": "Broer."},
        stored=lambda w: BaseFile.objects.get(case=w.case).summary == "Aangevuld informatiebeeld.",
    ),
    View(
        "base_file_start",
        get=False,
        stored=lambda w: BaseFile.objects.filter(case=w.case).exists(),  # kept, not replaced
    ),
    View(
        "base_file_upgrade",
        get=False,
        stored=lambda w: True,  # already on the current version: a quiet repeat
    ),
    View(
        "plan_edit",
        data=lambda w: {
            "scenario_short": "Kort: stabiliseren.",
            "scenario_long": "Lang.",
            "lock_version": concept_lock_version(w),
        },
        stored=lambda w: PlanVersion.objects.filter(
            case=w.case, status=PlanStatus.CONCEPT, scenario_short="Kort: stabiliseren."
        ).exists(),
    ),
    View(
        "plan_submit",
        get=False,
        setup=lambda w: revision_concept(w.case),
        stored=lambda w: PlanVersion.objects.filter(
            case=w.case, number=2, status=PlanStatus.SUBMITTED
        ).exists(),
    ),
    View(
        "plan_advice",
        setup=lambda w: revision_advised(w.case),
        data=lambda w: {"punt_0": "Broer betrokken.", "punt_1": "UVO gepland."},
        stored=lambda w: PlanVersion.objects.filter(
            case=w.case, number=2, advice_processed_at__isnull=False
        ).exists(),
    ),
    View(
        "plan_final",
        get=False,
        setup=lambda w: revision_advised(w.case, processed=True),
        stored=lambda w: PlanVersion.objects.filter(
            case=w.case, number=2, final_at__isnull=False
        ).exists(),
    ),
    View(
        "goal_create",
        data=lambda w: {
            "life_domain": "huisvesting",
            "description": "Eigen kamer.",
            "is_active": "on",
        },
        stored=lambda w: Goal.objects.filter(case=w.case, description="Eigen kamer.").exists(),
    ),
    View(
        "goal_update",
        lambda w: [w.case.pk, w.file.goal.pk],
        data=lambda w: {"life_domain": "tijdsbesteding", "description": "Werk.", "is_active": "on"},
        stored=lambda w: Goal.objects.get(pk=w.file.goal.pk).description == "Werk.",
    ),
    View(
        "intervention_create",
        data=lambda w: {
            "catalogue_entry": w.spare_entry.pk,
            "rationale": "Schulden zijn een stressfactor.",
            "owner_organisation": w.regisseur.organisation_id,
            "status": "gepland",
        },
        stored=lambda w: Intervention.objects.filter(
            case=w.case, rationale="Schulden zijn een stressfactor."
        ).exists(),
    ),
    View(
        "intervention_update",
        lambda w: [w.case.pk, w.file.intervention.pk],
        data=lambda w: {
            "catalogue_entry": w.file.intervention.catalogue_entry_id,
            "rationale": "Bijgestelde onderbouwing.",
            "owner_organisation": w.file.intervention.owner_organisation_id,
            "owner": w.partner.pk,
            "status": "lopend",
        },
        stored=lambda w: (
            Intervention.objects.get(pk=w.file.intervention.pk).rationale
            == "Bijgestelde onderbouwing."
        ),
    ),
    View(
        "contact_create",
        data=lambda w: {"kind": "netwerk", "name": "Imam van de moskee"},
        stored=lambda w: Contact.objects.filter(name="Imam van de moskee").exists(),
    ),
    View(
        "contact_update",
        lambda w: [w.case.pk, w.file.contact.pk],
        data=lambda w: {"kind": "ouder", "name": "Fatima", "address": "Dapperstraat 1"},
        stored=lambda w: Contact.objects.get(pk=w.file.contact.pk).name == "Fatima",
    ),
    View(
        "partner_meeting_create",
        data=lambda w: {
            "held_on": today_field(),
            "participants": "Regisseur, GGD",
            "notes": "Tweede UVO.",
            **agreements(w),
        },
        stored=lambda w: w.case.partner_meetings.filter(notes="Tweede UVO.").exists(),
    ),
    View(
        "partner_meeting_plan",
        data=lambda w: {
            "starts_at": (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
            "location": "Stadsdeelkantoor Nieuw-West",
            "users": [w.partner.pk],
        },
        stored=lambda w: w.case.partner_meetings.filter(
            location="Stadsdeelkantoor Nieuw-West", status=UvoStatus.PLANNED
        ).exists(),
    ),
    View(
        "partner_meeting_hold",
        lambda w: [w.case.pk, w.planned.pk],
        # The day has come: the planned UVO took place an hour ago.
        setup=lambda w: PartnerMeeting.objects.filter(pk=w.planned.pk).update(
            held_on=timezone.localdate(), starts_at=timezone.now() - timedelta(hours=1)
        ),
        data=lambda w: {
            "participants": "Regisseur, partner",
            "notes": "Gehouden.",
            **agreements(w),
        },
        stored=lambda w: PartnerMeeting.objects.get(pk=w.planned.pk).status == UvoStatus.HELD,
    ),
    View(
        "partner_meeting_cancel",
        lambda w: [w.case.pk, w.planned.pk],
        get=False,
        data=lambda w: {"reason": "Partner ziek."},
        stored=lambda w: PartnerMeeting.objects.get(pk=w.planned.pk).status == UvoStatus.CANCELLED,
    ),
    View(
        "agreement_done",
        lambda w: [w.case.pk, w.file.agreement.pk],
        get=False,
        stored=lambda w: (
            w.file.agreement.__class__.objects.get(pk=w.file.agreement.pk).done_on is not None
        ),
    ),
    View(
        "evaluation_create",
        data=lambda w: {
            "held_on": today_field(),
            "summary": "Tweede evaluatie.",
            "conclusion": "voortzetten",
            f"goal_{w.file.goal.pk}": "behaald",
        },
        stored=lambda w: w.case.evaluations.filter(summary="Tweede evaluatie.").exists(),
    ),
    View(
        "proposal_create",
        data=lambda w: {"kind": "afbouw", "goals_met": "Werk gevonden.", "reasoning": "Stabiel."},
        stored=lambda w: Proposal.objects.filter(case=w.case, kind="afbouw").exists(),
    ),
]
CASE_VIEWS = [*READ_VIEWS, *WRITE_VIEWS]
CASE_VIEW_NAMES = {view.name for view in CASE_VIEWS}


@dataclass(frozen=True)
class RoleWide:
    """A page for a role, not for a case: who lacks the role gets 403."""

    view: View
    roles: frozenset[str] = field(default_factory=frozenset)


ROLE_WIDE = [
    RoleWide(View("case_list", lambda w: []), frozenset({Role.REGISSEUR, Role.ADVISORY_MEMBER})),
    RoleWide(View("caseload", lambda w: []), frozenset({Role.COORDINATOR, Role.DECISION_MEMBER})),
    RoleWide(View("case_reassign"), frozenset({Role.COORDINATOR})),
    RoleWide(View("partner_list", lambda w: []), frozenset({Role.INTERVENTION_PARTNER})),
    RoleWide(
        View("partner_registration", lambda w: [w.partner.pk]), frozenset({Role.ADMINISTRATOR})
    ),
    RoleWide(View("letters_overview", lambda w: []), frozenset({Role.INTAKE})),
    RoleWide(
        View("directory", lambda w: []),
        frozenset(set(Role.values) - {Role.INTERVENTION_PARTNER}),
    ),
    RoleWide(
        View("directory_create", lambda w: []), frozenset({Role.ADMINISTRATOR, Role.COORDINATOR})
    ),
    RoleWide(View("catalogue_list", lambda w: []), frozenset({Role.ADMINISTRATOR})),
    RoleWide(View("catalogue_create", lambda w: []), frozenset({Role.ADMINISTRATOR})),
    RoleWide(
        View("catalogue_update", lambda w: [w.file.intervention.catalogue_entry_id]),
        frozenset({Role.ADMINISTRATOR}),
    ),
]
PARTNER_INTERVENTION = View("partner_intervention", lambda w: [w.file.intervention.pk])
# The UVO's calendar file: the regisseur and the invitees (more in test_uvo_planning.py).
UVO_ICS = View("partner_meeting_ics", lambda w: [w.case.pk, w.planned.pk])


def first_letter(world: World) -> list:
    letter = world.case.letters.order_by("pk").first()
    return [world.case.pk, letter.pk if letter else 1]


# The notification letters: sent by the intake desk, followed by the case's regisseur.
LETTER_READ_VIEWS = [View("case_letters"), View("letter_download", first_letter)]
LETTER_WRITE_VIEWS = [
    View(
        "letters_generate",
        get=False,
        stored=lambda w: w.case.letters.exists(),
    ),
    View(
        "letter_dispatch",
        first_letter,
        get=False,
        data=lambda w: {"method": "post", "dispatched_on": today_field()},
        stored=lambda w: w.case.letters.filter(method="post").exists(),
    ),
]
LETTER_VIEWS = [*LETTER_READ_VIEWS, *LETTER_WRITE_VIEWS]
# The case summary takes the whole file out of the system: the regisseur only; the ITAT-R
# member who reads the case gets 403, outsiders 404 (more in test_case_summary.py).
SUMMARY_VIEWS = [View("case_summary"), View("case_summary_pdf")]
ALL_VIEWS = [
    *CASE_VIEWS,
    *SUMMARY_VIEWS,
    *(page.view for page in ROLE_WIDE),
    PARTNER_INTERVENTION,
    UVO_ICS,
    *LETTER_VIEWS,
]


def test_every_view_of_cases_is_in_this_file():
    names = {pattern.name for pattern in cases_urls.urlpatterns}

    assert {view.name for view in ALL_VIEWS} == names


def cases_rows() -> dict[str, int]:
    """Row counts of every table of the cases app, history included: 'nothing stored'."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("cases").get_models()
    }


def get(client, view: View, world: World):
    return client.get(view.url(world))


def post(client, view: View, world: World):
    return client.post(view.url(world), view.data(world))


def as_persona(client, world: World, name: str) -> User:
    user = getattr(world, name)
    signed_in(client, user)
    return user


# --- Anonymous ------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ALL_VIEWS, ids=str)
def test_anonymous_is_sent_to_the_login_page(client, world, view):
    assert_redirects_to_login(client.get(view.url(world)))
    assert_redirects_to_login(client.post(view.url(world), view.data(world)))


# --- The regisseur of the case -------------------------------------------------------------


@pytest.mark.parametrize("view", [v for v in CASE_VIEWS if v.get], ids=str)
def test_the_regisseur_opens_every_page_of_their_case(client, world, view):
    as_persona(client, world, "regisseur")
    view.setup(world)  # what the page is about (an advice to process, a UVO that took place)

    response = get(client, view, world)

    assert response.status_code == 200
    assert escape(world.case.subject.full_name) in response.content.decode()


@pytest.mark.parametrize("view", WRITE_VIEWS, ids=str)
def test_the_regisseur_writes_through_every_form_of_their_case(client, world, view):
    as_persona(client, world, "regisseur")
    view.setup(world)

    response = post(client, view, world)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert view.stored(world)


def test_the_case_page_offers_the_regisseur_the_log_form_and_edit_links(client, world):
    as_persona(client, world, "regisseur")

    html = client.get(reverse("cases:case_detail", args=[world.case.pk])).content.decode()

    assert 'data-testid="log-form"' in html
    assert reverse("cases:intervention_create", args=[world.case.pk]) in html


# --- The ITAT-R member of the regisseur's organisation: reads, never writes ----------------------


@pytest.mark.parametrize("view", READ_VIEWS, ids=str)
def test_the_itatr_member_of_the_organisation_reads_the_case(client, world, view):
    as_persona(client, world, "itatr")

    response = get(client, view, world)

    assert response.status_code == 200
    assert escape(world.case.subject.full_name) in response.content.decode()


def test_the_itatr_member_sees_no_forms_or_edit_links_on_the_case_page(client, world):
    as_persona(client, world, "itatr")

    html = client.get(reverse("cases:case_detail", args=[world.case.pk])).content.decode()

    assert 'data-testid="log-form"' not in html
    assert reverse("cases:intervention_create", args=[world.case.pk]) not in html
    assert reverse("cases:base_file_edit", args=[world.case.pk]) in html  # to read it


@pytest.mark.parametrize("view", WRITE_VIEWS, ids=str)
def test_the_itatr_member_gets_403_on_every_write_and_nothing_is_stored(client, world, view):
    as_persona(client, world, "itatr")
    view.setup(world)
    before = cases_rows()

    if view.get:
        assert get(client, view, world).status_code == 403
    response = post(client, view, world)

    assert response.status_code == 403
    assert cases_rows() == before


# --- Outsiders of the case ----------------------------------------------------------------------

OUTSIDERS = ["colleague_regisseur", "other_regisseur", "itatr_elsewhere", "coordinator", "partner"]


@pytest.mark.parametrize("view", CASE_VIEWS, ids=str)
def test_every_outsider_gets_404_on_every_page_of_the_case(client, world, view):
    before = cases_rows()

    for persona in OUTSIDERS:
        as_persona(client, world, persona)
        if view.get:
            assert get(client, view, world).status_code == 404, persona
        assert post(client, view, world).status_code == 404, persona

    assert cases_rows() == before


@pytest.mark.parametrize("view", SUMMARY_VIEWS, ids=str)
def test_the_summary_is_the_regisseur_s_only(client, world, view):
    as_persona(client, world, "regisseur")
    assert get(client, view, world).status_code == 200

    as_persona(client, world, "itatr")
    assert get(client, view, world).status_code == 403

    for persona in OUTSIDERS:
        as_persona(client, world, persona)
        assert get(client, view, world).status_code == 404, persona


# --- Role-wide pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ROLE_WIDE, ids=lambda page: page.view.name)
def test_every_role_without_it_gets_403_on_a_role_wide_page(client, world, page):
    before = cases_rows()

    for role in sorted(set(Role.values) - page.roles):
        signed_in(client, UserFactory(roles=[role]))
        assert get(client, page.view, world).status_code == 403, role
        assert client.post(page.view.url(world), {}).status_code == 403, role

    assert cases_rows() == before


@pytest.mark.parametrize("page", ROLE_WIDE, ids=lambda page: page.view.name)
def test_every_role_with_it_opens_the_role_wide_page(client, world, page):
    for role in sorted(page.roles):
        user = world.partner if role == Role.INTERVENTION_PARTNER else UserFactory(roles=[role])
        signed_in(client, user)
        assert get(client, page.view, world).status_code == 200, role


def test_the_coordinator_sees_caseload_and_phase_but_no_content(client, world):
    as_persona(client, world, "coordinator")

    caseload = client.get(reverse("cases:caseload")).content.decode()
    reassign = client.get(reverse("cases:case_reassign", args=[world.case.pk])).content.decode()

    assert world.case.reference in caseload
    assert world.case.get_phase_display() in reassign
    for html in (caseload, reassign):
        assert escape(world.case.subject.full_name) not in html
        assert escape(world.file.intervention.rationale) not in html


# --- The partner's own pages ------------------------------------------------------------------


def test_the_partner_opens_and_logs_on_their_own_intervention(client, world):
    as_persona(client, world, "partner")
    url = PARTNER_INTERVENTION.url(world)

    page = client.get(url)
    response = client.post(url, {"at": now_field(), "kind": LogKind.PARTNER, "text": "Training 3."})

    assert page.status_code == 200
    assert response.status_code == 302
    entry = LogEntry.objects.get(text="Training 3.")
    assert (entry.intervention, entry.author, entry.case) == (
        world.file.intervention,
        world.partner,
        world.case,
    )


@pytest.mark.parametrize(
    "persona", ["regisseur", "itatr", "coordinator", "administrator", "other_partner"]
)
def test_anyone_but_the_partner_gets_404_on_the_partner_page(client, world, persona):
    user = partner_user() if persona == "other_partner" else getattr(world, persona)
    signed_in(client, user)
    before = cases_rows()

    assert get(client, PARTNER_INTERVENTION, world).status_code == 404
    response = client.post(
        PARTNER_INTERVENTION.url(world), {"at": now_field(), "kind": "partner", "text": "Nee."}
    )

    assert response.status_code == 404
    assert cases_rows() == before


# --- Reassignment by the coordinator moves access ------------------------------------------------


def test_reassignment_by_the_coordinator_moves_access_and_is_in_the_history(client, world):
    old, new = world.regisseur, world.other_regisseur
    case_url = reverse("cases:case_detail", args=[world.case.pk])
    as_persona(client, world, "coordinator")

    response = client.post(
        reverse("cases:case_reassign", args=[world.case.pk]), {"regisseur": new.pk}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:caseload")
    latest = Case.history.filter(id=world.case.pk).first()
    assert (latest.regisseur_id, latest.history_user) == (new.pk, world.coordinator)
    signed_in(client, old)
    assert client.get(case_url).status_code == 404
    signed_in(client, new)
    assert client.get(case_url).status_code == 200
    # The organisation moves too: the ITAT-R member of the old one no longer reads it.
    signed_in(client, world.itatr)
    assert client.get(case_url).status_code == 404
    signed_in(client, itatr_member(new.organisation))
    assert client.get(case_url).status_code == 200


# --- Notification letters: the intake desk sends them, the regisseur follows them -----------------


@pytest.fixture
def lettered(world) -> World:
    """The world with its letters made by the intake desk."""
    from cases import services

    services.letters_generate(case=world.case, actor=UserFactory(roles=[Role.INTAKE]))
    assert world.case.letters.exists()
    return world


@pytest.mark.parametrize("persona", ["intake", "regisseur"])
@pytest.mark.parametrize("view", LETTER_READ_VIEWS, ids=str)
def test_the_intake_desk_and_the_regisseur_follow_the_letters(client, lettered, view, persona):
    user = UserFactory(roles=[Role.INTAKE]) if persona == "intake" else lettered.regisseur
    signed_in(client, user)

    response = get(client, view, lettered)

    assert response.status_code == 200


@pytest.mark.parametrize("view", LETTER_WRITE_VIEWS, ids=str)
def test_the_intake_desk_makes_and_registers_the_letters(client, world, view):
    signed_in(client, UserFactory(roles=[Role.INTAKE]))
    if view.name == "letter_dispatch":
        client.post(reverse("cases:letters_generate", args=[world.case.pk]))

    response = post(client, view, world)

    assert response.status_code == 302
    assert view.stored(world)


@pytest.mark.parametrize("view", LETTER_READ_VIEWS, ids=str)
def test_everyone_else_gets_404_on_the_letters_of_a_case(client, lettered, view):
    for persona in ["itatr", *OUTSIDERS]:
        as_persona(client, lettered, persona)
        assert get(client, view, lettered).status_code == 404, persona


@pytest.mark.parametrize("view", LETTER_WRITE_VIEWS, ids=str)
def test_only_the_intake_desk_makes_or_registers_letters(client, lettered, view):
    before = cases_rows()

    for persona in ["regisseur", "itatr", *OUTSIDERS]:
        as_persona(client, lettered, persona)
        assert post(client, view, lettered).status_code == 403, persona

    assert cases_rows() == before


def test_a_closed_case_cannot_be_reassigned(client):
    case = CaseFactory(closed=True)
    coordinator = coordinator_user()
    signed_in(client, coordinator)

    response = client.post(
        reverse("cases:case_reassign", args=[case.pk]), {"regisseur": regisseur_user().pk}
    )

    assert response.status_code == 200
    assert "alleen-lezen" in response.content.decode()
    assert Case.objects.get(pk=case.pk).regisseur == case.regisseur
    assert Case.objects.get(pk=case.pk).phase == CasePhase.CLOSED


@pytest.mark.parametrize("role", sorted(Role.values))
def test_the_menu_offers_every_role_only_cases_pages_it_may_open(client, role):
    from ipgar.core.navigation import navigation_for

    user = partner_user() if role == Role.INTERVENTION_PARTNER else UserFactory(roles=[role])
    signed_in(client, user)

    for item in navigation_for(user):
        if item["url"].startswith("/casussen/"):
            assert client.get(item["url"]).status_code == 200, item["label"]


def test_the_partner_finds_their_interventions_in_the_menu(client):
    partner = partner_user()
    signed_in(client, partner)

    html = client.get(reverse("core:my_work")).content.decode()

    assert f'href="{reverse("cases:partner_list")}"' in html
    assert f'href="{reverse("cases:case_list")}"' not in html


def test_the_link_form_offers_no_person_from_someone_elses_case(client, world):
    stranger = CaseFactory()
    url = reverse("cases:subject_link_add", args=[world.file.case.pk])

    page = signed_in(client, world.regisseur).get(url).content.decode()

    assert escape(world.linkable.subject.full_name) in page
    assert escape(stranger.subject.full_name) not in page
