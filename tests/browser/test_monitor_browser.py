"""Acceptance 1: `programma` opens the monitor, picks a quarter, sees the lead-time and caseload
charts, downloads CSV, XLSX and PDF, and the PDF's text holds the same figures as the page."""

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from ipgar.accounts.constants import Role
from tests.browser.accessibility import check_accessibility
from tests.browser.conftest import login
from tests.monitor.conftest import spread_histories


@pytest.fixture
def histories(reference_data, settings):
    settings.MONITOR_K = 5  # a small fixture still publishes figures
    spread_histories(15)


def _download(page: Page, testid: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_test_id(testid).click()
    return Path(info.value.path()).read_bytes()


def test_programma_reads_and_exports_a_quarter(
    page: Page, live_server, second_factor_off, make_user, histories
):
    make_user("programma", Role.PROGRAMME_TEAM)
    login(page, live_server, "programma")
    page.get_by_role("link", name="Monitor").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Monitor")

    page.locator("#id_soort").select_option("kwartaal")
    page.locator("#id_jaar").fill("2026")
    page.locator("#id_kwartaal").select_option("1")
    page.get_by_role("button", name="Toon monitor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitor Q1 2026")
    check_accessibility(page)

    for chart in ("lead-times", "caseload"):
        expect(page.locator(f"#grafiek-{chart}")).to_have_attribute("data-drawn", "true")
    medians = [
        text.strip()
        for text in page.locator("[data-testid=lead-times] td[data-stat=median]").all_inner_texts()
    ]
    assert medians, "no published lead time"
    loads = [
        text.strip()
        for text in page.locator("[data-testid=caseload] tbody td:last-child").all_inner_texts()
    ]

    rows = list(
        csv.reader(io.StringIO(_download(page, "export-csv").decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0][3:] == ["Q1 2026", "Q4 2025"]
    csv_medians = [
        row[3] for row in rows if row[0] == "Doorlooptijden (dagen)" and row[2] == "mediaan"
    ]
    unpublished = ("<k", "geen gegevens")  # the page shows both as text, not as a median
    assert [m.replace(",", ".") for m in medians] == [
        m for m in csv_medians if m not in unpublished
    ]

    sheet = load_workbook(io.BytesIO(_download(page, "export-xlsx"))).active
    assert any(cell.value == "Q1 2026" for row in sheet.iter_rows() for cell in row)

    pdf = _download(page, "export-pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Monitor iPGA-R Q1 2026" in text
    for figure in medians + loads:
        assert figure in text, figure
