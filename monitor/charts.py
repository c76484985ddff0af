"""The charts: one definition, drawn twice. The page hands the series to Chart.js
(static/js/monitor.js); the PDF gets the same series as SVG drawn here, because WeasyPrint runs
no JavaScript. A suppressed value is left out of both, never drawn as zero.
"""

from __future__ import annotations

from html import escape

CURRENT_COLOUR = "#154273"
PREVIOUS_COLOUR = "#8fa8c8"


def chart_series(data: dict) -> list[dict]:
    """[{key, title, unit, labels, current, previous}] for the page and the PDF alike."""
    lead = data["lead_times"]
    caseload = data["caseload"]
    tables = {table["key"]: table for table in data["tables"]}
    charts = [
        {
            "key": "lead-times",
            "title": "Mediane doorlooptijd per stap (dagen)",
            "unit": "dagen",
            "labels": [row["label"] for row in lead],
            "current": [row["cur"].get("median") for row in lead],
            "previous": [row["prev"].get("median") for row in lead],
        },
        {
            "key": "caseload",
            "title": f"Caseload per organisatie (% van {caseload['norm']} per fte)",
            "unit": "%",
            "labels": [row["label"] for row in caseload["organisations"]],
            "current": [row["load"] for row in caseload["organisations"]],
            "previous": None,
        },
    ]
    factors = [row for key in ("lead_route", "lead_requests") for row in tables[key]["rows"]]
    charts.append(
        {
            "key": "lead-factors",
            "title": "Mediane doorlooptijd melding → besluit, naar route en informatieverzoeken "
            "(dagen)",
            "unit": "dagen",
            "labels": [row["label"] for row in factors],
            "current": [row["stats"]["cur"].get("median") for row in factors],
            "previous": [row["stats"]["prev"].get("median") for row in factors],
        }
    )
    for key, title in (
        ("reporter_kind", "Meldingen naar soort melder"),
        ("phase", "Actieve casussen naar fase"),
    ):
        table = tables[key]
        charts.append(
            {
                "key": key.replace("_", "-"),
                "title": title,
                "unit": "aantal",
                "labels": [row["label"] for row in table["rows"]],
                "current": [row["cur"] for row in table["rows"]],
                "previous": [row["prev"] for row in table["rows"]],
            }
        )
    return charts


def _number(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def bar_chart_svg(chart: dict, width: int = 640) -> str:
    """A horizontal bar chart as an SVG string: a bar per label, current and previous period."""
    labels = chart["labels"]
    series = [("Deze periode", chart["current"], CURRENT_COLOUR)]
    if chart.get("previous") is not None:
        series.append(("Vorige periode", chart["previous"], PREVIOUS_COLOUR))
    bar, gap, label_width, top = 9, 14, 230, 24
    group = bar * len(series) + gap
    height = top + group * max(len(labels), 1) + 10
    values = [v for _name, values, _c in series for v in values if v is not None]
    peak = max(values, default=0) or 1
    plot = width - label_width - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(chart["title"])}" '
        'font-family="DejaVu Sans, sans-serif" font-size="8">'
    ]
    x = label_width
    for name, _values, colour in series:
        parts.append(f'<rect x="{x}" y="6" width="8" height="8" fill="{colour}"/>')
        parts.append(f'<text x="{x + 11}" y="13">{escape(name)}</text>')
        x += 110
    for i, label in enumerate(labels):
        y = top + i * group
        # Long labels wrap over two lines (the PDF cut them off at 48 characters).
        lines = _wrap(label, 44)
        first_y = y + bar * len(series) / 2 + 3 - 4.5 * (len(lines) - 1)
        for n, line in enumerate(lines):
            parts.append(
                f'<text x="{label_width - 6}" y="{first_y + 9 * n:.1f}" '
                f'text-anchor="end">{escape(line)}</text>'
            )
        for j, (_name, values, colour) in enumerate(series):
            value = values[i] if i < len(values) else None
            by = y + j * bar
            if value is None:
                parts.append(
                    f'<text x="{label_width + 2}" y="{by + bar - 1}" fill="#777">'
                    "niet gepubliceerd</text>"
                )
                continue
            length = max(plot * value / peak, 0.5)
            parts.append(
                f'<rect x="{label_width}" y="{by}" width="{length:.1f}" height="{bar - 1}" '
                f'fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{label_width + length + 3:.1f}" y="{by + bar - 1}">'
                f"{_number(value)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)
