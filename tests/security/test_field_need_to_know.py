"""Field-level need-to-know: planted strings never reach the intervention partner or the
programme team, on any page, fragment, export or PDF they can request.

The partner legitimately sees the minimum to identify the subject on their own intervention:
first name, last name and date of birth (PARTNER_MAY_SEE), plus their own intervention (its
catalogue entry, aim, status, dates) and the logbook lines written on it. Every other field
holds a unique string that must appear nowhere. The programme team sees no names at all.
"""

from __future__ import annotations

import io
import uuid

import pytest
from pypdf import PdfReader

from cases.models import (
    Agreement,
    BaseFile,
    Contact,
    Evaluation,
    Goal,
    Intervention,
    LogEntry,
    PartnerMeeting,
    PlanVersion,
    Subject,
)
from intake.models import Report, ReportPerson
from meetings.models import AgendaItem
from tests.cases.factories import log
from tests.security.matrix import GET, MATRIX
from tests.security.test_access_matrix import request, url_for
from tests.security.world import NONE, PARTNER

pytestmark = pytest.mark.django_db

PARTNER_MAY_SEE = ("first_name", "last_name")  # and date_of_birth (a date, not planted)


def plant(label: str) -> str:
    return f"GEHEIM{label.upper()}{uuid.uuid4().hex[:8]}"


def plant_everything(world) -> tuple[dict[str, str], dict[str, str]]:
    """Unique strings in every restricted field of the main case and report; returns
    (restricted, allowed-for-the-partner)."""
    side = world.main
    case = side.case
    secret: dict[str, str] = {}

    def put(model, pk, **fields):
        for name, value in fields.items():
            secret[f"{model.__name__}.{name}"] = value
        model.objects.filter(pk=pk).update(**fields)  # plain planting; no history needed

    allowed = {"Subject.first_name": plant("voornaam"), "Subject.last_name": plant("achternaam")}
    Subject.objects.filter(pk=case.subject_id).update(
        first_name=allowed["Subject.first_name"], last_name=allowed["Subject.last_name"]
    )
    put(
        Subject,
        case.subject_id,
        aliases=plant("alias"),
        bsn="987654321",
        street=plant("straat"),
        postcode="9999ZZ",
        city=plant("stad"),
        institution_name=plant("inrichting"),
        institution_address=plant("inrichtingadres"),
        abroad_note=plant("buitenland"),
    )
    put(BaseFile, case.base_file.pk, summary=plant("informatiebeeld"), network=plant("netwerk"))
    plan = PlanVersion.objects.filter(case=case).order_by("-number").first()
    put(PlanVersion, plan.pk, scenario_short=plant("scenkort"), scenario_long=plant("scenlang"))
    put(Goal, side.furnished.goal.pk, description=plant("doel"))
    put(Intervention, side.furnished.intervention.pk, rationale=plant("waarom"))
    put(LogEntry, side.furnished.entry.pk, text=plant("logboek"))
    put(Contact, side.furnished.contact.pk, name=plant("contact"), address=plant("contactadres"))
    put(PartnerMeeting, side.furnished.meeting.pk, notes=plant("uvoverslag"))
    put(Agreement, side.furnished.agreement.pk, what=plant("afspraak"))
    put(Evaluation, side.furnished.evaluation.pk, summary=plant("evaluatie"))
    put(Report, side.report.pk, observation=plant("waarneming"))
    person = ReportPerson.objects.filter(report=side.report).first()
    put(ReportPerson, person.pk, first_name=plant("meldingnaam"), street=plant("meldingstraat"))
    put(AgendaItem, side.itatr_item.pk, notes=plant("notulen"))
    return secret, allowed


def _text(response, content: bytes) -> str:
    if response.get("Content-Type", "").startswith("application/pdf"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8", errors="replace")


def every_answer(persona, world, routes) -> list[tuple[str, str]]:
    """(label, text) for every GET row of the matrix, for this persona, whatever the status."""
    client = world.clients[persona]
    answers = []
    for row in MATRIX:
        if row.method != GET:
            continue
        response, content = request(client, row, url_for(row, routes, world))
        answers.append((f"{row.label} ({response.status_code})", _text(response, content)))
    return answers


@pytest.mark.parametrize(
    "persona",
    [("interventiepartner", PARTNER), ("interventiepartner", NONE), ("programmateam", NONE)],
    ids=lambda p: "/".join(p),
)
def test_no_planted_string_reaches_the_persona(persona, world, routes):
    secret, allowed = plant_everything(world)
    if persona[0] != "interventiepartner" or persona[1] != PARTNER:
        secret.update(allowed)  # only the partner on the intervention may see the name
    leaks = [
        f"{label}: {field}"
        for label, text in every_answer(persona, world, routes)
        for field, value in secret.items()
        if value in text
    ]
    assert leaks == []


def test_the_partner_does_see_the_allowed_minimum_on_their_own_intervention(world, routes):
    """The counterpart: the page the partner is entitled to does show the planted name,
    and a logbook line on their intervention (so the search above searched real pages)."""
    _, allowed = plant_everything(world)
    case = world.main.case
    partner = world.users[("interventiepartner", PARTNER)]
    on_intervention = log(
        case,
        actor=partner,
        text="Training gevolgd.",
        intervention=world.main.furnished.intervention,
    )
    answers = dict(every_answer(("interventiepartner", PARTNER), world, routes))
    page = next(text for label, text in answers.items() if "partner_intervention GET" in label)
    assert allowed["Subject.last_name"] in page and allowed["Subject.first_name"] in page
    assert on_intervention.text in page


def _partner_post(world, **extra):
    client = world.clients[("interventiepartner", PARTNER)]
    own = world.main.furnished.intervention
    data = {"at": "01-11-2026 10:00", "kind": "face_to_face", "text": "Regel van de partner"}
    return client.post(f"/casussen/partner/interventie/{own.pk}/", {**data, **extra})


def test_a_partner_posting_extra_fields_writes_only_on_their_own_intervention(world):
    own = world.main.furnished.intervention
    before = LogEntry.objects.count()

    response = _partner_post(
        world,
        intervention=own.pk,
        case=world.other.case.pk,
        author=world.users[("regisseur", "own")].pk,
        last_name="Overschreven",
    )

    assert response.status_code == 302
    assert LogEntry.objects.count() == before + 1
    entry = LogEntry.objects.order_by("-pk").first()
    assert entry.text == "Regel van de partner"
    assert entry.intervention_id == own.pk and entry.case_id == own.case_id
    assert entry.author_id == world.users[("interventiepartner", PARTNER)].pk
    assert not Subject.objects.filter(last_name="Overschreven").exists()


def test_a_partner_naming_another_case_s_intervention_is_refused(world):
    before = LogEntry.objects.count()

    response = _partner_post(world, intervention=world.other.furnished.intervention.pk)

    assert response.status_code == 200  # the form again, with the choice refused
    assert LogEntry.objects.count() == before


def test_a_coordinator_cannot_change_case_content(world):
    client = world.clients[("coordinator", NONE)]
    case = world.main.case
    last_name = Subject.objects.get(pk=case.subject_id).last_name

    edit = client.post(f"/casussen/{case.pk}/persoon/", {"last_name": "Overschreven"})
    log_line = client.post(f"/casussen/{case.pk}/logboek/", {"text": "coordinator"})
    reassign = client.post(
        f"/casussen/{case.pk}/toebedelen/",
        {"regisseur": "", "phase": "afgesloten", "last_name": "Overschreven"},
    )

    assert edit.status_code == 404 and log_line.status_code == 404
    assert reassign.status_code == 200  # the form again: no regisseur chosen
    assert Subject.objects.get(pk=case.subject_id).last_name == last_name
    case.refresh_from_db()
    assert case.phase != "afgesloten"
    assert not LogEntry.objects.filter(text="coordinator").exists()


def test_a_reader_of_the_case_cannot_write_to_it(world):
    client = world.clients[("itatr_lid", "own_org")]
    case = world.main.case

    response = client.post(f"/casussen/{case.pk}/persoon/", {"last_name": "Overschreven"})

    assert response.status_code == 403
    assert not Subject.objects.filter(last_name="Overschreven").exists()
