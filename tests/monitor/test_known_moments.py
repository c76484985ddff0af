"""Issue 18, acceptance point 1 (scoped): known moments around a quarter and a year boundary,
the same figures in the page, the CSV, the XLSX and the PDF, computed from the moments written."""

import csv
import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from cases import services as case_services
from cases.constants import ClosureReason
from cases.models import Case
from ipgar.accounts.constants import Role
from tests.monitor.factories import history
from tests.personas import persona

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
Q4 = {"soort": "kwartaal", "jaar": "2025", "kwartaal": "4"}
Q4_START = datetime(2025, 10, 1, tzinfo=AMSTERDAM)
Q4_END = datetime(2026, 1, 1, tzinfo=AMSTERDAM)
Q3_START = datetime(2025, 7, 1, tzinfo=AMSTERDAM)
FLOW = "Opnames, afbouw en afsluitingen in de periode"


def _in_q4(moment) -> bool:
    return moment is not None and Q4_START <= moment < Q4_END


def _in_q3(moment) -> bool:
    return moment is not None and Q3_START <= moment < Q4_START


def _published(value: int, k: int):
    return value if value == 0 or value >= k else None


def test_known_moments_give_the_same_figures_in_every_output(client, settings, time_machine):
    settings.MONITOR_K = 5
    time_machine.move_to(datetime(2026, 1, 20, 10, tzinfo=AMSTERDAM), tick=False)
    # (received, decided, closed) per report; dates at noon UTC through the factory.
    plan = [
        (date(2025, 10, 1), date(2025, 10, 20), None),
        (date(2025, 10, 26), date(2025, 11, 3), None),  # DST change day (end of summer time)
        (date(2025, 11, 4), date(2025, 12, 1), date(2025, 12, 30)),
        (date(2025, 11, 10), date(2025, 12, 2), None),
        (date(2025, 12, 1), date(2025, 12, 15), None),
        (date(2025, 12, 20), date(2025, 12, 31), None),
        (date(2025, 7, 1), date(2025, 8, 1), date(2025, 10, 5)),
        (date(2025, 7, 2), date(2025, 8, 2), date(2025, 11, 5)),
        (date(2025, 7, 3), date(2025, 8, 3), date(2025, 12, 5)),
        (date(2025, 7, 4), date(2025, 8, 4), date(2025, 9, 5)),
        (date(2025, 7, 5), date(2025, 8, 5), None),
    ]
    reports = [history(received=r, decided=d, closed=c) for r, d, c in plan]
    # Year boundary: one report on 31-12 at 23:30 in Amsterdam (Q4), one half an hour into
    # the new year (Q1 2026, not counted).
    late, early = history(received=date(2025, 12, 30)), history(received=date(2025, 12, 30))
    late.received_at = datetime(2025, 12, 31, 23, 30, tzinfo=AMSTERDAM)
    early.received_at = datetime(2026, 1, 1, 0, 30, tzinfo=AMSTERDAM)
    late.save(update_fields=["received_at"])
    early.save(update_fields=["received_at"])
    # Re-admission: the person closed in Q3 is admitted again in Q4 (a new case, same subject).
    closed_in_q3 = reports[9].case
    again = history(received=date(2025, 10, 6), decided=date(2025, 10, 27))
    Case.objects.filter(pk=again.case.pk).update(subject=closed_in_q3.subject)
    # Closure minuted weeks after the meeting: the moment is the meeting's start (22-12).
    open_case = reports[10].case
    meeting = datetime(2025, 12, 22, 14, 0, tzinfo=AMSTERDAM)
    case_services.case_close(
        case=open_case,
        actor=open_case.regisseur,
        reason=ClosureReason.GOALS_MET,
        decided_at=meeting,
    )

    # Independent figures from the known moments.
    received = [r.received_at for r in reports] + [
        late.received_at,
        early.received_at,
        again.received_at,
    ]
    cases = list(Case.objects.values("subject_id", "admitted_at", "closed_at"))
    admitted_subjects = {c["subject_id"] for c in cases if _in_q4(c["admitted_at"])}
    closed_subjects = {c["subject_id"] for c in cases if _in_q4(c["closed_at"])}
    expected_received = sum(_in_q4(m) for m in received)
    assert expected_received == 8  # six planned, 31-12 23:30 and the re-admission
    assert len(admitted_subjects) == 7
    assert len(closed_subjects) == 5
    # Q3 2025, the previous column: five received and admitted, one closure (hidden: < k).
    prev_received = sum(_in_q3(m) for m in received)
    prev_admitted = {c["subject_id"] for c in cases if _in_q3(c["admitted_at"])}
    prev_closed = {c["subject_id"] for c in cases if _in_q3(c["closed_at"])}
    assert (prev_received, len(prev_admitted), len(prev_closed)) == (5, 5, 1)
    expected = {
        ("Van melding tot besluit", "Ontvangen"): (
            _published(expected_received, 5),
            _published(prev_received, 5),
        ),
        (FLOW, "Personen opgenomen"): (
            _published(len(admitted_subjects), 5),
            _published(len(prev_admitted), 5),
        ),
        (FLOW, "Afgesloten"): (
            _published(len(closed_subjects), 5),
            _published(len(prev_closed), 5),
        ),
    }

    client, _user = persona(client, Role.PROGRAMME_TEAM)
    html = client.get(reverse("monitor:dashboard"), Q4).content.decode()
    csv_rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("monitor:export_csv"), Q4).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    sheet = load_workbook(io.BytesIO(client.get(reverse("monitor:export_xlsx"), Q4).content)).active
    xlsx_rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    pdf = client.get(reverse("monitor:export_pdf"), Q4).content
    pdf_text = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )

    compared = 0
    for (title, label), values in expected.items():
        shown = ["<k" if value is None else str(value) for value in values]
        typed = ["<k" if value is None else value for value in values]
        csv_value = [
            r[3:5] for r in csv_rows if r[0] == title and r[1] == label and r[2] == "aantal"
        ]
        assert csv_value == [shown], (title, label, csv_value)
        xlsx_value = [r[3:5] for r in xlsx_rows if r[0] == title and r[1] == label]
        assert xlsx_value == [typed], (label, xlsx_value)
        cell = re.search(
            rf'<th scope="row" class="fw-normal">{re.escape(label)}</th>'
            r"<td>([^<]*)</td><td>([^<]*)</td>",
            html,
        )
        assert cell, label
        assert [part.replace("&lt;", "<") for part in cell.groups()] == shown, (label, cell)
        pattern = rf"{re.escape(label)} {re.escape(shown[0])} {re.escape(shown[1])}(?!\d)"
        assert re.search(pattern, pdf_text), (label, pattern)
        compared += 8
    print(f"monitor: {compared} cijfers in pagina, CSV, XLSX en PDF vergeleken")
