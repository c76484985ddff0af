"""Issue 11, acceptance 1: axe-core checked at least 25 distinct pages of the journeys.

The journeys check every page they pass (tests/browser/accessibility.py) and fail on a serious
or critical violation there; this test, which conftest.py runs last, makes sure they passed
enough different pages. It counts only when the whole folder ran: a single journey visits a
handful of pages.
"""

import pytest

from tests.browser.accessibility import CHECKED
from tests.browser.conftest import WHOLE_FOLDER

MINIMUM_PAGES = 25


def test_enough_distinct_pages_passed_the_accessibility_check(request):
    if not request.config.stash.get(WHOLE_FOLDER, False):
        pytest.skip("alleen als alle browsertests draaien")
    pages = sorted(CHECKED.pages)
    print(f"axe-core: {len(pages)} verschillende pagina's gecontroleerd")
    assert len(pages) >= MINIMUM_PAGES, "\n".join(pages)
