"""Every CSV and XLSX the application writes goes through here, so no cell reaches a
spreadsheet program as a formula (OWASP "CSV injection"): a place name typed as
`=HYPERLINK(...)` must arrive as the text it is, never as a live link or a DDE call."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

# A spreadsheet program reads a cell starting with one of these as a formula (tab and CR let a
# formula start after the cell's first character in some programs).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """The value as it may enter a spreadsheet: numbers stay numbers, text that a spreadsheet
    would read as a formula gets a leading apostrophe (and so shows the text as typed)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def csv_bytes(rows: Iterable[Iterable[object]], *, delimiter: str = ";") -> bytes:
    """Rows as a UTF-8 CSV with the byte-order mark Excel needs for accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_append(sheet, row: Iterable[object]) -> None:
    """Append a row; every text cell is stored as a string, never parsed as a formula."""
    from openpyxl.cell.cell import TYPE_STRING

    values = [neutralise(value) for value in row]
    sheet.append(values)
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if isinstance(value, str):
            cell.data_type = TYPE_STRING
