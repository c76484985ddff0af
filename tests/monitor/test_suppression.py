"""Small-cell suppression: no published cell holds 1 to k-1 persons, and no hidden cell can be
worked out from the published cells and margins (checked here by exact elimination of our
own, independent of the module's)."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.disclosure import protect
from monitor.privacy import (
    MIN_K,
    k_threshold,
    suppress_column,
    suppress_grid,
    suppress_linked,
)


def recoverable(grid: list[list[int]], hidden: set) -> set:
    """Hidden cells with a unique value given every line equation: x is fixed when the unit
    vector of x lies in the row space of the constraints on the hidden cells."""
    cells = sorted(hidden)
    if not cells:
        return set()
    n_rows, n_cols = len(grid), len(grid[0])
    equations = []
    for r in range(n_rows):  # rows, the margin row too: body cells minus the row total
        equations.append({(r, c): 1 for c in range(n_cols - 1)} | {(r, n_cols - 1): -1})
    for c in range(n_cols):  # columns: body cells minus the column total
        equations.append({(r, c): 1 for r in range(n_rows - 1)} | {(n_rows - 1, c): -1})
    matrix = [[Fraction(eq.get(cell, 0)) for cell in cells] for eq in equations]
    matrix = [row for row in matrix if any(row)]
    rank_base = _rank(matrix)
    found = set()
    for i, cell in enumerate(cells):
        unit = [Fraction(1 if j == i else 0) for j in range(len(cells))]
        if _rank([*matrix, unit]) == rank_base:
            found.add(cell)
    return found


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [row[:] for row in matrix]
    rank, columns = 0, len(rows[0]) if rows else 0
    for col in range(columns):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][col] != 0:
                factor = rows[r][col] / rows[rank][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def test_a_lone_small_cell_takes_the_next_smallest_with_it():
    cells, total = suppress_column([3, 20, 15, 0], k=10)
    assert cells == [None, 20, None, 0]
    assert total == 38


def test_a_small_total_hides_everything_it_would_reveal():
    cells, total = suppress_column([2, 1, 0], k=10)
    assert total is None
    assert cells[0] is None and cells[1] is None


def test_zero_is_published_it_names_nobody():
    assert suppress_column([0, 0, 12, 14], k=10) == ([0, 0, 12, 14], 26)


def test_k_is_never_below_five(settings):
    settings.MONITOR_K = 2
    assert k_threshold() == MIN_K
    settings.MONITOR_K = 12
    assert k_threshold() == 12


def test_a_table_whose_hidden_cells_follow_from_each_other_hides_more():
    # Cells (0,0) and (1,1) small; hiding only them and their line partners in a 2x2 would
    # leave a chain that elimination solves; the result must survive the independent check.
    grid, hidden = suppress_grid([[3, 40], [50, 4]], k=10)
    assert not recoverable(grid, hidden)


counts = st.integers(min_value=0, max_value=30)


@given(
    body=st.integers(min_value=1, max_value=4).flatmap(
        lambda cols: st.lists(
            st.lists(counts, min_size=cols, max_size=cols), min_size=1, max_size=5
        )
    ),
    k=st.integers(min_value=5, max_value=12),
)
def test_no_published_cell_is_small_and_no_hidden_cell_can_be_derived(body, k):
    grid, hidden = suppress_grid(body, k)
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if (r, c) not in hidden:
                assert not 0 < value < k, (grid, hidden)
    assert not recoverable(grid, hidden), (grid, sorted(hidden))


@given(values=st.lists(counts, min_size=1, max_size=12), k=st.integers(min_value=5, max_value=12))
def test_a_published_column_never_reveals_a_small_cell_through_its_total(values, k):
    cells, total = suppress_column(values, k)
    published = [v for v in cells if v is not None]
    assert all(not 0 < v < k for v in published)
    hidden = [v for v, shown in zip(values, cells, strict=True) if shown is None]
    assert len(hidden) != 1 or total is None, (values, cells, total)
    if total is not None:
        assert not 0 < total < k


# --- Figures linked across tables (monitor.disclosure) ------------------------------------------


def recoverable_linked(lines, hidden) -> set:
    """Independent check: a hidden figure is fixed when its unit vector lies in the row space
    of the line equations restricted to the hidden figures."""
    names = sorted(hidden)
    matrix = []
    for cells, total in lines:
        row = [Fraction(0)] * len(names)
        for i, name in enumerate(names):
            row[i] += sum(1 for cell in cells if cell == name) - (1 if total == name else 0)
        if any(row):
            matrix.append(row)
    base = _rank(matrix) if matrix else 0
    found = set()
    for i, name in enumerate(names):
        unit = [Fraction(1 if j == i else 0) for j in range(len(names))]
        if _rank([*matrix, unit]) == base:
            found.add(name)
    return found


def test_two_tables_sharing_a_total_each_keep_two_hidden_cells():
    values = {"x1": 3, "x2": 12, "y1": 4, "y2": 11, "T": 15}
    lines = [(["x1", "x2"], "T"), (["y1", "y2"], "T")]

    hidden = suppress_linked(values, lines, k=10)

    assert hidden == {"x1", "x2", "y1", "y2"}
    assert not recoverable_linked(lines, hidden)


def test_a_cell_published_in_another_table_forces_a_second_partner():
    # Triage outcomes (a, forward, c) sum to t; the funnel's "forwarded" is the same figure as
    # the forward cell, so hiding a and c only works if the funnel shows nothing more.
    values = {"a": 3, "forward": 30, "c": 12, "t": 45}
    lines = [(["a", "forward", "c"], "t")]

    hidden = suppress_linked(values, lines, k=10)

    assert "a" in hidden and len(hidden) >= 2
    assert not recoverable_linked(lines, hidden)


@settings(max_examples=60)
@given(
    st.lists(st.integers(min_value=0, max_value=30), min_size=2, max_size=5),
    st.lists(st.integers(min_value=0, max_value=30), min_size=2, max_size=5),
)
def test_linked_tables_never_give_a_hidden_cell_away(first, second):
    # Two tables over the same population: scale the second to the first's total.
    total = sum(first)
    if sum(second) == 0:
        second = [total] + [0] * (len(second) - 1)
    else:
        second = [v * total // sum(second) for v in second]
        second[0] += total - sum(second)
    values = {f"a{i}": v for i, v in enumerate(first)} | {f"b{i}": v for i, v in enumerate(second)}
    values["T"] = total
    lines = [
        ([f"a{i}" for i in range(len(first))], "T"),
        ([f"b{i}" for i in range(len(second))], "T"),
    ]

    hidden = suppress_linked(values, lines, k=5)

    assert not any(0 < values[name] < 5 for name in values if name not in hidden)
    assert not recoverable_linked(lines, hidden)


def _page_with_share(n: int, in_time: int) -> dict:
    """The smallest monitor page for monitor.disclosure.protect: one deadline share."""
    empty = {"cur": 0, "prev": 0}
    return {
        "tables": [],
        "lead_times": [],
        "shares": [
            {
                "code": "letter",
                "label": "Notificatiebrief binnen 3 weken na het besluit",
                "cur": {"n": n, "in_time": in_time, "percent": round(100 * in_time / n)},
                "prev": {"n": 0, "in_time": 0, "percent": None},
            }
        ],
        "contact_gaps": {"rows": []},
        "effectiveness": {"goals": {"rows": [], "total": dict(empty)}, "domains": []},
        "caseload": {"organisations": [], "bands": []},
    }


def test_a_small_late_part_hides_the_share_of_deadlines_met():
    # 11 of 12 letters on time: publishing 11 and 12 gives away the one late letter.
    data = _page_with_share(12, 11)
    protect(data, k=5)
    assert data["shares"][0]["cur"] == {"n": 12, "in_time": None, "percent": None}

    data = _page_with_share(12, 6)
    protect(data, k=5)
    assert data["shares"][0]["cur"] == {"n": 12, "in_time": 6, "percent": 50}
