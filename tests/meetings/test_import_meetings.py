"""Acceptance 2 of issue 16: past meetings taken in from the template file in the repository
(docs/import/vergaderingen-sjabloon.csv), and a file with bad rows refused as a whole with a
Dutch error per row. The secretary reads the file in on 1 March 2027."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from cases.models import Case
from intake.constants import ReportStatus
from intake.models import Report
from meetings import selectors
from meetings.constants import AttendanceStatus, ItemStatus, OwnerGroup
from meetings.importer import COLUMNS, ImportFailed, meetings_import, read_rows
from meetings.models import Action, AgendaItem, Decision, ForwardItem, Meeting
from tests.cases.factories import coordinator_user, ready_report, regisseur_user, secretary_user
from tests.meetings.factories import BodyFactory, at, organisation

pytestmark = pytest.mark.django_db

TEMPLATE = Path(settings.BASE_DIR) / "docs" / "import" / "vergaderingen-sjabloon.csv"
HELD = datetime(2021, 5, 19, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def world(time_machine, tmp_path):
    time_machine.move_to(at(date(2021, 5, 3), 10), tick=False)
    report = ready_report()
    regisseur_user(organisation=organisation("OOV"), username="regisseur")
    coordinator_user(username="coordinator")
    time_machine.move_to(at(date(2027, 3, 1), 10), tick=False)
    secretary = secretary_user(username="secretaris")
    BodyFactory(pto=True, name="PTO-R", short_name="PTO-R", secretary=secretary)
    # The template names its report M2021-00001; point it at the one this database holds.
    path = tmp_path / "vergaderingen.csv"
    path.write_text(TEMPLATE.read_text(encoding="utf-8").replace("M2021-00001", report.reference))
    return {"report": report, "secretary": secretary, "path": path}


def test_the_template_is_read_in_with_the_meetings_own_dates(world):
    call_command("import_meetings", str(world["path"]), secretaris="secretaris")

    meeting = Meeting.objects.get(starts_at=HELD)
    assert meeting.recorded_afterwards_reason == "Overgezet uit het oude registratiesysteem"
    assert meeting.location == "Stadhuis, kamer 3"
    statuses = sorted((a.organisation_label, a.status) for a in meeting.attendance.all())
    assert ("AM-gemeenten", AttendanceStatus.ABSENT) in statuses
    assert ("Meld- en Adviespunt / Steunpunt Radicalisering", AttendanceStatus.GUEST) in statuses
    assert len(statuses) == 6
    assert list(meeting.sections.values_list("title", flat=True)) == [
        "Algemeen",
        "Hamerpunten – besluiten casuïstiek",
        "Casuïstiek",
    ]
    agenda = selectors.agenda_for_user(meeting, world["secretary"])
    assert [row["number"] for row in agenda["handled"]] == [1, 4, 2, 3, 5]
    assert {d.decided_at for d in Decision.objects.filter(item__meeting=meeting)} == {HELD}
    assert Report.objects.get(pk=world["report"].pk).status == ReportStatus.ADMITTED
    assert Case.objects.get().regisseur.username == "regisseur"
    carried = AgendaItem.objects.get(carried_from__meeting=meeting)
    assert carried.meeting.starts_at.date() == date(2021, 6, 2)
    assert AgendaItem.objects.get(meeting=meeting, title="Beleidsnotitie netwerken").status == (
        ItemStatus.NOT_DISCUSSED
    )
    caseload = Action.objects.get(subject="Caseload")
    assert caseload.raised_on == date(2021, 5, 19) and caseload.due_label == "eerste helft 2021"
    assert caseload.item.title == "Caseloadverdeling regisseurs"
    assert {str(o) for o in caseload.owners.all()} >= {OwnerGroup.REGISSEURS.label.lower()}
    assert ForwardItem.objects.get().when_label == "september 2021"


def test_a_file_with_bad_rows_stores_nothing_and_names_every_row(world, tmp_path):
    text = world["path"].read_text(encoding="utf-8")
    text = text.replace("aanwezig;;;;;;;;;;;aanwezig;;POL;", "aanwezig;;;;;;;;;;;aanwezig;;XYZ;")
    text = text.replace("19-05-2021;09:00", "2021-05-19;09:00")
    text = text.replace(";opnemen;regisseur;", ";afsluiten;regisseur;")
    bad = tmp_path / "fout.csv"
    bad.write_text(text)

    with pytest.raises(CommandError) as refused:
        call_command("import_meetings", str(bad), secretaris="secretaris")

    message = str(refused.value)
    assert message.startswith("Niets ingelezen")
    assert "Regel 2, kolom datum: ‘2021-05-19’ is geen datum in de vorm dd-mm-jjjj." in message
    assert Meeting.objects.count() == 0 and Action.objects.count() == 0


def test_row_errors_name_the_row_and_column(world):
    rows = read_rows(world["path"])
    rows[2]["organisatie"] = "XYZ"  # row 4 of the file
    rows[18]["besluit_soort"] = "afsluiten"  # row 20: an admission item cannot be closed

    with pytest.raises(ImportFailed) as refused:
        meetings_import(rows=rows, actor=world["secretary"])

    assert refused.value.errors[0] == (
        "Regel 4, kolom organisatie: onbekende organisatie ‘XYZ’ (gebruik de code, bijv. OOV)."
    )
    assert refused.value.errors[1] == (
        "Regel 20 (besluit): ‘Casus afsluiten’ past niet bij ‘Nieuwe melding: besluit over opname’."
    )
    assert Meeting.objects.count() == 0 and Decision.objects.count() == 0


def test_the_template_has_exactly_the_documented_columns():
    header = TEMPLATE.read_text(encoding="utf-8").splitlines()[0].split(";")
    assert header == COLUMNS
    readme = (TEMPLATE.parent / "README.md").read_text(encoding="utf-8")
    assert all(f"| `{column}` |" in readme for column in COLUMNS)


def test_an_xlsx_file_with_the_same_columns_is_read_in_too(world, tmp_path):
    from openpyxl import Workbook

    rows = [
        line.split(";")
        for line in world["path"].read_text(encoding="utf-8").splitlines()
        if line.startswith(("soort", "vergadering;PTO-R;19", "onderdeel", "punt;;;;;;Algemeen;1"))
    ]
    book = Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / "vergaderingen.xlsx"
    book.save(path)

    result = meetings_import(rows=read_rows(path), actor=world["secretary"])

    (meeting,) = result.meetings
    assert meeting.starts_at == HELD
    assert meeting.items.get().title == "Opening en vaststellen agenda"
    assert meeting.sections.count() == 3
