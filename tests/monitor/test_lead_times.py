"""Lead times against hand-computed figures: known spans give a known median, mean, 90th
percentile (linear, as PostgreSQL's percentile_cont), minimum and maximum."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from monitor import periods, sql
from monitor.selectors import monitor_data
from tests.monitor.factories import days_after, history

pytestmark = pytest.mark.django_db

Q1 = periods.quarter(2026, 1)
START = date(2025, 12, 1)


def _stats(pair: str, period: str = "cur") -> dict:
    rows = sql.lead_times(Q1, Q1.previous())
    return next(row for row in rows if row["pair"] == pair and row["period"] == period)


def test_an_odd_number_of_spans_gives_the_middle_one_as_median():
    # received → decision: 10, 20, 30, 40 and 100 days, decisions all in Q1 2026.
    for days in (10, 20, 30, 40, 100):
        received = date(2026, 3, 25) - timedelta(days=days)
        history(received=received, decided=days_after(received, days))
    stats = _stats("received:decided")
    assert stats["n"] == 5
    assert stats["median"] == pytest.approx(30)
    assert stats["mean"] == pytest.approx(40)
    # p90: position 0.9 x (5 - 1) = 3.6 → 40 + 0.6 x (100 - 40) = 76
    assert stats["p90"] == pytest.approx(76)
    # p10: position 0.1 x 4 = 0.4 → 10 + 0.4 x (20 - 10) = 14
    assert stats["p10"] == pytest.approx(14)
    assert "min" not in stats and "max" not in stats


def test_an_even_number_of_spans_averages_the_two_middle_ones():
    triaged = date(2026, 3, 20)
    for days in (1, 2, 3, 4, 5, 100):
        history(received=triaged - timedelta(days=days), triaged=triaged)
    stats = _stats("received:triaged")
    assert stats["n"] == 6
    assert stats["median"] == pytest.approx(3.5)
    assert stats["mean"] == pytest.approx(115 / 6)
    # p90: position 0.9 x 5 = 4.5 → 5 + 0.5 x (100 - 5) = 52.5
    assert stats["p90"] == pytest.approx(52.5)
    # p10: position 0.1 x 5 = 0.5 → 1 + 0.5 x (2 - 1) = 1.5
    assert stats["p10"] == pytest.approx(1.5)


def test_a_span_counts_in_the_period_of_its_later_milestone():
    history(received=date(2025, 12, 20), triaged=date(2026, 1, 3))  # 14 days, ends in Q1
    history(received=date(2025, 11, 1), triaged=date(2025, 11, 8))  # 7 days, ends in Q4 2025
    history(received=date(2026, 3, 30), triaged=date(2026, 4, 2))  # ends after Q1: left out
    assert _stats("received:triaged")["n"] == 1
    assert _stats("received:triaged")["median"] == pytest.approx(14)
    assert _stats("received:triaged", "prev")["median"] == pytest.approx(7)


def test_every_milestone_of_a_case_gives_its_step():
    history(
        received=date(2026, 1, 2),
        triaged=date(2026, 1, 4),
        forwarded=date(2026, 1, 5),
        advised=date(2026, 1, 15),
        decided=date(2026, 1, 21),
        letter=date(2026, 2, 4),
        base_file=date(2026, 1, 23),
        concept_plan=date(2026, 2, 20),
        adopted=date(2026, 3, 4),
        phase_down=date(2026, 3, 10),
        closed=date(2026, 3, 24),
    )
    medians = {
        row["pair"]: row["median"]
        for row in sql.lead_times(Q1, Q1.previous())
        if row["period"] == "cur"
    }
    assert medians == {
        "received:triaged": pytest.approx(2),
        "forwarded:advised": pytest.approx(10),
        "advised:decided": pytest.approx(6),
        # Calendar days in Amsterdam: decided on 21 January, sent on 4 February.
        "decided:letter": pytest.approx(14),
        "base_file:concept_plan": pytest.approx(28),
        "concept_plan:adopted": pytest.approx(12),
        "adopted:phase_down": pytest.approx(6),
        "phase_down:closed": pytest.approx(14),
        "received:decided": pytest.approx(19),
        "received:admitted": pytest.approx(19),
        "decided:adopted": pytest.approx(42),
        "decided:closed": pytest.approx(62),
        "received:closed": pytest.approx(81),
    }


def test_the_monitor_publishes_statistics_only_from_k_persons(settings):
    settings.MONITOR_K = 5
    triaged = date(2026, 3, 20)
    for days in (10, 20, 30, 40, 100):
        history(received=triaged - timedelta(days=days), triaged=triaged)
    history(received=date(2025, 11, 1), triaged=date(2025, 11, 8))
    rows = {row["code"]: row for row in monitor_data(Q1, use_cache=False)["lead_times"]}
    published = rows["received:triaged"]["cur"]
    assert published == {
        "n": 5,
        "suppressed": False,
        "median": 30.0,
        "mean": 40.0,
        "p10": 14.0,
        "p90": 76.0,
    }
    assert rows["received:triaged"]["prev"] == {"n": None, "suppressed": True}


def test_the_share_of_letters_within_three_weeks(settings):
    settings.MONITOR_K = 5
    decided = date(2026, 1, 15)
    for days in (5, 10, 21, 20, 30):  # four in time (21 days is still in time), one late
        history(received=date(2026, 1, 1), decided=decided, letter=days_after(decided, days))
    for _ in range(5):  # no letter yet and the deadline passed: late
        history(received=date(2026, 1, 1), decided=decided)
    rows = sql.deadline_shares(Q1, Q1.previous(), timezone.now())
    letter = next(row for row in rows if row["measure"] == "letter" and row["period"] == "cur")
    assert (letter["n"], letter["in_time"]) == (10, 4)
