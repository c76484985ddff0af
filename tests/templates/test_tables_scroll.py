"""Issue 21 (WCAG 1.4.10, reflow): every data table scrolls inside its own container.

A table wider than a 320 px window must not push the page sideways; Bootstrap's
`.table-responsive` box lets it scroll on its own. This test reads every screen template and
fails on any `<table>` that is not the first thing inside such a box, so a new table cannot
forget it. Letters, PDFs and e-mails are printed or mailed, never shown in a narrow window.
The browser audit (tests/browser/test_wcag_audit.py) checks the same on the rendered pages.
"""

import re
from pathlib import Path

from django.conf import settings

NOT_ON_SCREEN = {"letters", "pdf", "emails"}
TABLE = re.compile(r"<table\b")
WRAPPER = re.compile(r'<div class="table-responsive"[^>]*>\s*$')


def screen_templates() -> list[Path]:
    root = Path(settings.BASE_DIR) / "templates"
    return sorted(
        path
        for path in root.rglob("*.html")
        if not NOT_ON_SCREEN & set(path.relative_to(root).parts)
    )


def unwrapped_tables(source: str) -> list[int]:
    """Line numbers of the tables in `source` that do not open a .table-responsive box."""
    return [
        source.count("\n", 0, match.start()) + 1
        for match in TABLE.finditer(source)
        if not WRAPPER.search(source, 0, match.start())
    ]


def test_it_finds_a_table_outside_a_scroll_container():
    assert unwrapped_tables('<h2>Acties</h2>\n<table class="table"></table>') == [2]
    assert unwrapped_tables('<div class="table-responsive">\n  <table></table>\n</div>') == []


def test_every_table_on_a_screen_is_inside_a_table_responsive_box():
    templates = screen_templates()
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{line}"
        for path in templates
        for line in unwrapped_tables(path.read_text(encoding="utf-8"))
    ]
    assert len(templates) > 50  # the walk found the templates
    assert offenders == [], 'tabellen zonder <div class="table-responsive">:\n' + "\n".join(
        offenders
    )
