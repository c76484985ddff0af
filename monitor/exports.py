"""The monitor as rows: the same figures in CSV, XLSX and the PDF. Counts only; a suppressed
cell is written as the text of SUPPRESSED, never as a number."""

from __future__ import annotations

import io

from ipgar.lib.spreadsheet import csv_bytes, xlsx_append

SUPPRESSED = "<k"
STATS = [
    ("p10", "10e percentiel"),
    ("median", "mediaan"),
    ("mean", "gemiddelde"),
    ("p90", "90e percentiel"),
]
# A span table's rows (why lead times are long, the duration in the approach) have no mean.
SPAN_STATS = [stat for stat in STATS if stat[0] != "mean"]


def _cell(value) -> object:
    if value is None:
        return SUPPRESSED
    return value


NO_DATA = "geen gegevens"


def _stat(figures: dict, key: str) -> object:
    """A lead-time statistic: the value, 'geen gegevens' without any span, else SUPPRESSED."""
    if figures.get("suppressed") and figures.get("n") == 0:
        return NO_DATA
    return _cell(figures.get(key))


def _share(table: dict, per: str) -> object:
    """A table's share: the percentage, 'geen gegevens' when its total is 0, else SUPPRESSED."""
    if table["share"][per] is None and table["total"][per] == 0:
        return NO_DATA
    return _cell(table["share"][per])


def rows(data: dict) -> list[list[object]]:
    """Every figure as (onderdeel, regel, kolom, deze periode, vorige periode)."""
    current, previous = data["period"]["label"], data["previous"]["label"]
    out: list[list[object]] = [
        ["onderdeel", "regel", "maat", current, previous],
    ]
    for table in data["tables"]:
        for row in table["rows"]:
            out.append(
                [table["title"], row["label"], "aantal", _cell(row["cur"]), _cell(row["prev"])]
            )
            if "stats" in row:  # a span table: its statistics under the count
                cur, prev = row["stats"]["cur"], row["stats"]["prev"]
                for key, name in SPAN_STATS:
                    out.append(
                        [table["title"], row["label"], name, _stat(cur, key), _stat(prev, key)]
                    )
        if table.get("total"):
            out.append(
                [
                    table["title"],
                    "Totaal",
                    "aantal",
                    _cell(table["total"]["cur"]),
                    _cell(table["total"]["prev"]),
                ]
            )
        if table.get("share"):
            out.append(
                [
                    table["title"],
                    table["share"]["label"],
                    "percentage",
                    *(_share(table, per) for per in ("cur", "prev")),
                ]
            )
    for row in data["lead_times"]:
        title = "Doorlooptijden (dagen)"
        out.append([title, row["label"], "aantal", _cell(row["cur"]["n"]), _cell(row["prev"]["n"])])
        for key, name in STATS:
            out.append([title, row["label"], name, _stat(row["cur"], key), _stat(row["prev"], key)])
    for row in data["shares"]:
        title = "Termijnen gehaald"
        out.append([title, row["label"], "aantal", _cell(row["cur"]["n"]), _cell(row["prev"]["n"])])
        out.append(
            [
                title,
                row["label"],
                "op tijd",
                _cell(row["cur"]["in_time"]),
                _cell(row["prev"]["in_time"]),
            ]
        )
        out.append(
            [
                title,
                row["label"],
                "percentage",
                _cell(row["cur"]["percent"]),
                _cell(row["prev"]["percent"]),
            ]
        )
    caseload = data["caseload"]
    for row in caseload["organisations"]:
        title = f"Caseload aan het eind van {current} (norm {caseload['norm']} per fte)"
        for key, name in (
            ("regisseurs", "regisseurs"),
            ("fte", "fte"),
            ("capacity", "capaciteit"),
            ("active", "actieve casussen"),
            ("load", "belasting %"),
        ):
            out.append([title, row["label"], name, _cell(row[key]), ""])
    for row in caseload["bands"]:
        out.append(
            ["Regisseurs naar belasting", row["label"], "regisseurs", _cell(row["regisseurs"]), ""]
        )
    for row in data["contact_gaps"]["rows"]:
        out.append(
            [
                "Contact in het logboek",
                row["label"],
                "aantal",
                _cell(row["cur"]),
                _cell(row["prev"]),
            ]
        )
    goals = data["effectiveness"]["goals"]
    for row in goals["rows"]:
        out.append([goals["title"], row["label"], "aantal", _cell(row["cur"]), _cell(row["prev"])])
    out.append(
        [
            goals["title"],
            "Totaal",
            "aantal",
            _cell(goals["total"]["cur"]),
            _cell(goals["total"]["prev"]),
        ]
    )
    for row in data["effectiveness"]["domains"]:
        title = "Verandering score leefgebied, eerste tot laatste evaluatie"
        out.append([title, row["label"], "aantal", _cell(row["cur"]["n"]), _cell(row["prev"]["n"])])
        out.append(
            [
                title,
                row["label"],
                "gemiddelde verandering",
                _cell(row["cur"]["change"]),
                _cell(row["prev"]["change"]),
            ]
        )
    return out


def to_csv(data: dict) -> bytes:
    return csv_bytes(rows(data))


def to_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Monitor"
    xlsx_append(sheet, [f"Monitor iPGA-R {data['period']['label']}"])
    xlsx_append(
        sheet, [f"Cellen met 1 tot {data['k']} personen zijn niet gepubliceerd ({SUPPRESSED})."]
    )
    sheet.append([])
    for i, row in enumerate(rows(data)):
        xlsx_append(sheet, row)
        if i == 0:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    for column, width in zip("ABCDE", (60, 55, 22, 16, 16), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
