"""Due dates and forward-agenda moments as minutes write them: typed, labelled, sorted."""

from datetime import date

import pytest

from meetings.constants import PeriodKind
from meetings.periods import Period, PeriodError, period_parse


@pytest.mark.parametrize(
    ("text", "kind", "on", "label"),
    [
        ("27-05-2021", PeriodKind.DATE, date(2021, 5, 27), "27-05-2021"),
        ("20210323", PeriodKind.DATE, date(2021, 3, 23), "23-03-2021"),
        ("27 mei", PeriodKind.DATE, date(2021, 5, 27), "27-05-2021"),
        ("z.s.m.", PeriodKind.ASAP, None, "z.s.m."),
        ("Eerste helft 2021", PeriodKind.HALF, date(2021, 6, 30), "eerste helft 2021"),
        ("2e helft 2021", PeriodKind.HALF, date(2021, 12, 31), "tweede helft 2021"),
        ("Q3 2027", PeriodKind.QUARTER, date(2027, 9, 30), "Q3 2027"),
        ("September 2021", PeriodKind.MONTH, date(2021, 9, 30), "september 2021"),
        ("Voor de zomervakantie", PeriodKind.BEFORE_SUMMER, date(2021, 7, 1), "vóór de zomer 2021"),
        ("jaarlijks", PeriodKind.YEARLY, None, "Jaarlijks"),
        ("nog plannen", PeriodKind.TO_PLAN, None, "Nog plannen"),
        ("2022", PeriodKind.YEAR, date(2022, 12, 31), "2022"),
    ],
)
def test_it_reads_what_the_minutes_write(text, kind, on, label):
    period = period_parse(text, year=2021)

    assert (period.kind, period.on, period.label) == (kind, on, label)


def test_zsm_sorts_first_and_yearly_last():
    periods = [
        Period(PeriodKind.YEARLY),
        period_parse("september 2021"),
        Period(PeriodKind.ASAP),
        period_parse("eerste helft 2021"),
    ]

    labels = [p.label for p in sorted(periods, key=lambda p: p.sort_key)]

    assert labels == ["z.s.m.", "eerste helft 2021", "september 2021", "Jaarlijks"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Geef een datum of een periode."),
        ("ooit", "‘ooit’ is geen datum (dd-mm-jjjj) of periode"),
        ("eerste helft", "‘eerste helft’: vermeld het jaar."),
        ("31-02-2021", "‘31-02-2021’ is geen datum (dd-mm-jjjj) of periode"),
    ],
)
def test_what_it_cannot_read_is_refused_in_dutch(text, message):
    with pytest.raises(PeriodError) as refused:
        period_parse(text)

    assert str(refused.value).startswith(message)
