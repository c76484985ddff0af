"""axe-core in the browser journeys: WCAG 2.1 A and AA on every page they check.

`check_accessibility(page)` runs axe-core (tests/browser/vendor, see its README) on the page as
it is now and fails on any serious or critical violation. `login()` and `docs_screenshot()` call
it, and the journeys call it on the other pages they pass, so every journey adds its pages to
one collection. At the end of a run that collected the whole folder, test_accessibility.py
asserts that enough distinct pages (URL patterns, not addresses) were checked, and the
terminal summary prints the count.
"""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from playwright.sync_api import Page

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " — " + n.failureSummary),
  }));
}"""


@dataclass
class Collection:
    """Every page pattern checked in this test session, with the first address seen for it."""

    pages: dict[str, str] = field(default_factory=dict)
    minor: dict[str, set[str]] = field(default_factory=dict)  # moderate/minor, per rule

    def add(self, pattern: str, url: str) -> None:
        self.pages.setdefault(pattern, url)


CHECKED = Collection()


def url_pattern(url: str) -> str:
    """`/casussen/12/` → `casussen/<int:pk>/`: the page, whatever object or query it shows."""
    path = urlsplit(url).path
    try:
        return "/" + resolve(path).route
    except Resolver404:
        return "(niet gevonden: 404-pagina)"  # every unknown address shows the same page


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.extend(f"    {node}" for node in violation["nodes"])
    return "\n".join(lines)


@cache
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def check_accessibility(page: Page) -> list[dict]:
    """Run axe-core on the page as it is; serious or critical violations fail the test."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not as a <script> tag: the application's
        # Content-Security-Policy (script-src 'self') rightly refuses inline scripts.
        page.evaluate(axe_source())
    violations = page.evaluate(RUN_AXE, WCAG_21_AA)
    pattern = url_pattern(page.url)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, (
        f"axe-core: ernstige toegankelijkheidsfouten op {page.url} ({pattern}):\n"
        + format_violations(blocking)
    )
    CHECKED.add(pattern, page.url)
    for violation in violations:
        CHECKED.minor.setdefault(violation["id"], set()).add(pattern)
    return violations
