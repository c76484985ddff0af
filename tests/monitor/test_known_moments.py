"""Issue 18, acceptance point 1 (scoped): known moments around a quarter and a year boundary,
the same figures in the page, the CSV, the XLSX and the PDF, computed from the moments written."""

import csv
import io
import re
import statistics
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from cases import services as case_services
from cases.constants import ClosureReason
from cases.models import Case
from intake import services as intake_services
from intake.constants import AdviceKind, NotAdmittedReason, ReportStatus, Urgency
from ipgar.accounts.constants import Role
from tests.factories import UserFactory
from tests.intake.factories import ReportFactory, request_information
from tests.monitor.factories import history, noon, regisseur
from tests.personas import persona

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
Q4 = {"soort": "kwartaal", "jaar": "2025", "kwartaal": "4"}
Q4_START = datetime(2025, 10, 1, tzinfo=AMSTERDAM)
Q4_END = datetime(2026, 1, 1, tzinfo=AMSTERDAM)
Q3_START = datetime(2025, 7, 1, tzinfo=AMSTERDAM)
FLOW = "Opnames, afbouw en afsluitingen in de periode"
FUNNEL = "Van melding tot besluit"
ROUTE = "Meldingen met besluit in de periode, naar route: doorlooptijd melding → besluit"
REQUESTS = (
    "Meldingen met besluit in de periode, naar open informatieverzoeken bij het besluit: "
    "doorlooptijd melding → besluit"
)
DURATION = "Duur in de aanpak: casussen afgesloten in de periode, van opname tot afsluiting (dagen)"


def _in_q4(moment) -> bool:
    return moment is not None and Q4_START <= moment < Q4_END


def _in_q3(moment) -> bool:
    return moment is not None and Q3_START <= moment < Q4_START


def _published(value: int, k: int):
    return value if value == 0 or value >= k else None


def at(*parts: int) -> datetime:
    """A moment on the Amsterdam clock."""
    return datetime(*parts, tzinfo=AMSTERDAM)


def _days(start: datetime, end: datetime) -> float:
    """Elapsed days between two moments, over UTC (a DST change is an hour, not a day)."""
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 86400


def _spans(days: list[float]) -> tuple:
    """(n, p10, median, p90), the percentiles linear (percentile_cont), rounded as published."""
    deciles = statistics.quantiles(days, n=10, method="inclusive")
    return (
        len(days),
        round(deciles[0], 1),
        round(statistics.median(days), 1),
        round(deciles[8], 1),
    )


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

    # The duration in the approach of the five cases closed in Q4, the closure minuted late
    # dated by its meeting.
    durations = [_days(c["admitted_at"], c["closed_at"]) for c in cases if _in_q4(c["closed_at"])]
    assert len(durations) == 5

    client, _user = persona(client, Role.PROGRAMME_TEAM)
    out = _outputs(client, Q4)
    compared = _compare_counts(expected, out)
    compared += _compare_spans(
        {(DURATION, "Van opname tot afsluiting"): _spans(durations)}, out, "Q4 2025"
    )
    print(f"monitor: {compared} cijfers in pagina, CSV, XLSX en PDF vergeleken")


def test_a_leap_day_and_the_urgent_path_give_the_same_figures_in_every_output(
    client, settings, time_machine
):
    """Q1 2024: reports received and decided on 29 February (also at 23:30, still the 29th in
    Amsterdam), and five reports on the urgent path through the intake services under a held
    clock: advised with an incomplete assessment, information requests open or answered at
    the decision, one decided on the day summer time starts (31 March)."""
    settings.MONITOR_K = 5
    # (received, advised, decided, admitted, information requests as (asked, answered))
    urgent_plan = [
        (
            at(2024, 2, 29, 9, 0),
            at(2024, 3, 5, 15, 0),
            at(2024, 3, 11, 9, 0),
            True,
            [(date(2024, 2, 29), None)],
        ),
        (
            at(2024, 2, 28, 10, 0),
            at(2024, 2, 29, 11, 0),
            at(2024, 2, 29, 14, 0),  # decided on the leap day; the answer came that day
            True,
            [(date(2024, 2, 28), date(2024, 2, 29))],
        ),
        (
            at(2024, 2, 29, 23, 30),
            at(2024, 3, 12, 15, 0),
            at(2024, 3, 14, 9, 0),
            True,
            [(date(2024, 3, 1), date(2024, 3, 15))],  # answered the day after: open
        ),
        (at(2024, 2, 20, 11, 0), at(2024, 3, 1, 15, 0), at(2024, 3, 4, 9, 0), True, []),
        (
            at(2024, 2, 1, 8, 0),
            at(2024, 3, 20, 15, 0),
            at(2024, 3, 31, 10, 0),  # the first day of summer time
            False,
            [(date(2024, 3, 1), None)],
        ),
    ]
    owner = regisseur()
    secretary = UserFactory(roles=[Role.SECRETARY])
    for received, advised, decided, admitted, requests in urgent_plan:
        time_machine.move_to(received, tick=False)
        report = ReportFactory(
            stage=ReportStatus.IN_ASSESSMENT,
            complete=False,
            urgency=Urgency.URGENT,
            received_at=received,
        )
        board = report.assessment.started_by
        # Each step at its own moment, in the order of the clock.
        events = [(advised, "advise", None), (decided, "decide", None)]
        for n, (asked, answered) in enumerate(requests):
            events.append((max(received, at(asked.year, asked.month, asked.day, 9)), "ask", n))
            if answered:
                moment = at(answered.year, answered.month, answered.day, 10)
                events.append((moment, "answer", n))
        made = {}
        for moment, step, n in sorted(events, key=lambda event: event[0]):
            time_machine.move_to(moment, tick=False)
            if step == "ask":
                made[n] = request_information(report, actor=board, asked_on=requests[n][0])
            elif step == "answer":
                intake_services.information_request_answer(
                    request=made[n], actor=board, answer="Bekend.", answered_on=requests[n][1]
                )
            elif step == "advise":
                _advise_urgent(report, board, owner)
            else:
                _decide(report, secretary, owner, decided, admitted)
    # The usual route, through the factory (noon UTC): two around the leap day.
    normal_plan = [
        (date(2024, 2, 29), date(2024, 3, 18), [(date(2024, 3, 1), None)]),
        (date(2024, 1, 15), date(2024, 2, 29), [(date(2024, 2, 20), None)]),
        (date(2024, 2, 29), date(2024, 3, 7), []),
        (date(2023, 12, 29), date(2024, 1, 31), []),  # received in Q4 2023
        (date(2024, 1, 2), date(2024, 3, 28), []),
    ]
    for received, decided, requests in normal_plan:
        history(received=received, decided=decided, requests=requests, regisseur_user=owner)
    time_machine.move_to(at(2024, 4, 15, 10, 0), tick=False)

    # Independent figures from the plans.
    q1_start, q1_end = at(2024, 1, 1, 0, 0), at(2024, 4, 1, 0, 0)
    decided_reports = [
        (received, decided, True, requests)
        for received, _advised, decided, _a, requests in urgent_plan
    ] + [(noon(r), noon(d), False, requests) for r, d, requests in normal_plan]

    def open_at(requests, decided) -> bool:
        day = decided.astimezone(AMSTERDAM).date()
        return any(a <= day and (b is None or b > day) for a, b in requests)

    urgent_days = [_days(r, d) for r, d, urgent, _q in decided_reports if urgent]
    normal_days = [_days(r, d) for r, d, urgent, _q in decided_reports if not urgent]
    open_days = [_days(r, d) for r, d, _u, q in decided_reports if open_at(q, d)]
    closed_days = [_days(r, d) for r, d, _u, q in decided_reports if not open_at(q, d)]
    assert (len(urgent_days), len(normal_days), len(open_days)) == (5, 5, 5)
    received_q1 = sum(q1_start <= r < q1_end for r, _d, _u, _q in decided_reports)
    assert received_q1 == 9  # 29-02 23:30 in Amsterdam is still the leap day, in Q1

    client, _user = persona(client, Role.PROGRAMME_TEAM)
    out = _outputs(client, {"soort": "kwartaal", "jaar": "2024", "kwartaal": "1"})
    compared = _compare_counts(
        {
            (FUNNEL, "Ontvangen"): (received_q1, None),  # Q4 2023: one report, < k
            (FUNNEL, "Meldingen met besluit: niet opgenomen"): (None, 0),
            (FLOW, "Personen opgenomen"): (9, 0),
        },
        out,
    )
    compared += _compare_spans(
        {
            (ROUTE, "Gewone route"): _spans(normal_days),
            (ROUTE, "Urgente route"): _spans(urgent_days),
            (ROUTE, "Urgente route, onvolledig geadviseerd"): _spans(urgent_days),
            (REQUESTS, "Met een open informatieverzoek bij het besluit"): _spans(open_days),
            (REQUESTS, "Zonder open informatieverzoek bij het besluit"): _spans(closed_days),
        },
        out,
        "Q1 2024",
    )
    print(f"monitor (schrikkeldag, urgente route): {compared} cijfers vergeleken")


def _advise_urgent(report, board, owner) -> None:
    """The Voorportaal advises an urgent report with its assessment incomplete (allowed only on
    the urgent path) and asks for a place on the decision meeting."""
    intake_services.report_advise(
        report=report,
        actor=board,
        kind=AdviceKind.ADMIT,
        reasoning="Urgent: opnemen, de duiding volgt.",
        proposed_risk_groups=[],
        proposed_ideology="",
        best_cards=owner.organisation,
    )
    intake_services.report_mark_ready_for_decision(report=report, actor=board)


def _decide(report, secretary, owner, decided: datetime, admitted: bool) -> None:
    """The decision meeting's minutes, dated by the meeting."""
    if admitted:
        case_services.case_open_from_report(
            report=report,
            actor=secretary,
            organisation=owner.organisation,
            regisseur=owner,
            decided_at=decided,
        )
    else:
        intake_services.report_mark_not_admitted(
            report=report, actor=secretary, reason=NotAdmittedReason.NO_GROUNDS, decided_at=decided
        )


def _outputs(client, query: dict) -> dict:
    """The page's HTML, the CSV and XLSX rows and the PDF's text for one period."""
    html = client.get(reverse("monitor:dashboard"), query).content.decode()
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("monitor:export_csv"), query).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("monitor:export_xlsx"), query).content)
    ).active
    xlsx_rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    pdf = client.get(reverse("monitor:export_pdf"), query).content
    pdf_text = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    return {"html": html, "csv": csv_rows, "xlsx": xlsx_rows, "pdf": pdf_text}


def _compare_counts(expected: dict, out: dict) -> int:
    """Each (title, label): (this period, previous period) count in all four outputs."""
    compared = 0
    for (title, label), values in expected.items():
        shown = ["<k" if value is None else str(value) for value in values]
        typed = ["<k" if value is None else value for value in values]
        csv_value = [
            r[3:5] for r in out["csv"] if r[0] == title and r[1] == label and r[2] == "aantal"
        ]
        assert csv_value == [shown], (title, label, csv_value)
        xlsx_value = [r[3:5] for r in out["xlsx"] if r[0] == title and r[1] == label]
        assert xlsx_value == [typed], (label, xlsx_value)
        cell = re.search(
            rf'<th scope="row" class="fw-normal">{re.escape(label)}</th>'
            r"<td>([^<]*)</td><td>([^<]*)</td>",
            out["html"],
        )
        assert cell, label
        assert [part.replace("&lt;", "<") for part in cell.groups()] == shown, (label, cell)
        pattern = rf"{re.escape(label)} {re.escape(shown[0])} {re.escape(shown[1])}(?!\d)"
        assert re.search(pattern, out["pdf"]), (label, pattern)
        compared += 8
    return compared


def _dutch(value: float) -> str:
    return str(value).replace(".", ",")


def _compare_spans(expected: dict, out: dict, period_label: str) -> int:
    """Each (title, label): the current period's count with p10, median and p90 (a span
    table's row) in all four outputs."""
    compared = 0
    measures = ("aantal", "10e percentiel", "mediaan", "90e percentiel")
    for (title, label), values in expected.items():
        for measure, value in zip(measures, values, strict=True):
            csv_value = [
                r[3] for r in out["csv"] if r[0] == title and r[1] == label and r[2] == measure
            ]
            assert csv_value == [str(value)], (label, measure, csv_value)
            xlsx_value = [
                r[3] for r in out["xlsx"] if r[0] == title and r[1] == label and r[2] == measure
            ]
            assert xlsx_value == [value], (label, measure, xlsx_value)
        n, *stats = values
        shown = [str(n), *(_dutch(v) for v in stats)]
        row = re.search(
            rf'<tr data-span="{re.escape(label)}"><th[^>]*>{re.escape(label)}</th>'
            rf"<td>{re.escape(period_label)}</td><td>([^<]*)</td>"
            r'<td data-stat="p10">([^<]*)</td><td data-stat="median">([^<]*)</td>'
            r'<td data-stat="p90">([^<]*)</td>',
            out["html"],
        )
        assert row, label
        assert list(row.groups()) == shown, (label, row.groups())
        pattern = re.escape(f"{label} {period_label} {' '.join(shown)}")
        assert re.search(pattern, out["pdf"]), (label, pattern)
        compared += 16
    return compared
