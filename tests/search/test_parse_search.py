"""What the search box understands: names, Dutch and ISO dates, a BSN, case and report numbers."""

from datetime import date

import pytest

from ipgar.lib.search import parse_search


@pytest.mark.parametrize(
    ("typed", "kind", "expected"),
    [
        ("Mohammed el Amrani", "naam", {"name": "mohamedelamrani"}),
        ("  de   VRIËS ", "naam", {"name": "devries", "text": "de VRIËS"}),
        ("03-02-2001", "datum", {"on_date": date(2001, 2, 3)}),
        ("3-2-2001", "datum", {"on_date": date(2001, 2, 3)}),
        ("03/02/2001", "datum", {"on_date": date(2001, 2, 3)}),
        ("2001-02-03", "datum", {"on_date": date(2001, 2, 3)}),
        ("123456782", "BSN", {"bsn": "123456782"}),
        ("c2026-12", "nummer", {"reference": "C2026-00012", "reference_pk": 12}),
        ("M2026-00003", "nummer", {"reference": "M2026-00003", "reference_kind": "M"}),
    ],
)
def test_it_reads_what_was_typed(typed, kind, expected):
    terms = parse_search(typed)

    assert terms.kind == kind
    for name, value in expected.items():
        assert getattr(terms, name) == value


@pytest.mark.parametrize("typed", ["", "   ", "a", "31-02-2001", "2001-13-01", "12345", "!!"])
def test_it_refuses_what_cannot_be_searched(typed):
    terms = parse_search(typed)

    assert not terms.is_valid
    assert terms.kind == ""


def test_it_cuts_long_input():
    assert len(parse_search("x" * 500).text) == 100
