from datetime import date, timedelta

import pytest
from django.core.cache import cache

from tests.monitor.factories import days_after, history, regisseur


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def spread_histories(count: int, *, end: date = date(2026, 3, 31)) -> list:
    """`count` reports over the half year before `end`, each further along the workflow."""
    owners = [regisseur("OOV"), regisseur("RN", fte="0.8")]
    reports = []
    for i in range(count):
        received = end - timedelta(days=170 - (i * 7) % 150)
        step = i % 5
        reports.append(
            history(
                received=received,
                triaged=days_after(received, 2 + i % 4),
                forwarded=days_after(received, 5 + i % 3),
                advised=days_after(received, 20 + i % 9),
                decided=days_after(received, 30 + i % 11),
                admitted=step != 4,
                letter=days_after(received, 40 + i % 13) if step >= 1 else None,
                base_file=days_after(received, 33) if step >= 1 else None,
                concept_plan=days_after(received, 60 + i % 8) if step >= 2 else None,
                adopted=days_after(received, 80) if step >= 3 else None,
                regisseur_user=owners[i % 2],
                gender="v" if i % 3 else "m",
                date_of_birth=date(1990 + i % 20, 1 + i % 12, 1),
            )
        )
    return reports
