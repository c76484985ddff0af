"""Small-cell suppression: the monitor publishes aggregates that name nobody.

Distinct persons are counted in the database by their internal id (`COUNT(DISTINCT
subject_id)`, also across periods), so no identifier, plain or pseudonymised, ever leaves it.

Suppression works on a table of counts with its margins. A line is a row or a column together
with its total: its cells sum to the total. Primary suppression hides every cell holding 1 to
k-1 persons. Secondary suppression then hides more cells until no hidden cell can be worked
out from what is published: every line holds no hidden cell or at least two, and no hidden
cell is fixed by the system of line equations (checked exactly, with fractions).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from django.conf import settings

MIN_K = 5
DEFAULT_K = 10


def k_threshold() -> int:
    """k from settings.MONITOR_K, never below 5 whatever the setting says."""
    value = int(getattr(settings, "MONITOR_K", DEFAULT_K))
    return max(value, MIN_K)


def is_sensitive(value: int | None, k: int) -> bool:
    return value is not None and 0 < value < k


# --- Tables with margins ---------------------------------------------------------------------
#
# A grid of (R+1) x (C+1) cells: the body cells, the row totals in the last column, the column
# totals in the last row and the grand total in the corner. Each row and each column is a line:
# its body cells sum to its total cell.


def _grid(body: Sequence[Sequence[int]]) -> list[list[int]]:
    rows = [list(row) + [sum(row)] for row in body]
    columns = len(body[0]) if body else 0
    totals = [sum(row[c] for row in rows) for c in range(columns + 1)]
    return rows + [totals]


def _lines(n_rows: int, n_cols: int) -> list[list[tuple[int, int]]]:
    """Each line as the list of its cells, the total last."""
    lines = [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
    lines += [[(r, c) for r in range(n_rows)] for c in range(n_cols)]
    return lines


def determined_cells(grid: list[list[int]], hidden: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Hidden cells whose value follows from the published ones (Gaussian elimination)."""
    unknowns = sorted(hidden)
    if not unknowns:
        return set()
    index = {cell: i for i, cell in enumerate(unknowns)}
    n_rows, n_cols = len(grid), len(grid[0])
    equations = []
    for line in _lines(n_rows, n_cols):
        coefficients = [Fraction(0)] * len(unknowns)
        for cell in line:
            if cell in index:
                sign = -1 if cell == line[-1] else 1
                coefficients[index[cell]] += sign
        if any(coefficients):
            equations.append(coefficients)
    # Row-reduce; a variable is determined when some reduced row holds it alone.
    matrix = [row[:] for row in equations]
    pivot_row = 0
    for col in range(len(unknowns)):
        pivot = next((r for r in range(pivot_row, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        lead = matrix[pivot_row][col]
        matrix[pivot_row] = [value / lead for value in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][col] != 0:
                factor = matrix[r][col]
                pairs = zip(matrix[r], matrix[pivot_row], strict=True)
                matrix[r] = [a - factor * b for a, b in pairs]
        pivot_row += 1
    found = set()
    for row in matrix[:pivot_row]:
        nonzero = [i for i, value in enumerate(row) if value != 0]
        if len(nonzero) == 1:
            found.add(unknowns[nonzero[0]])
    return found


def _pick_partner(
    grid: list[list[int]], hidden: set[tuple[int, int]], line: list[tuple[int, int]]
) -> tuple[int, int]:
    """The cell of `line` to hide next: the smallest published body cell, else the total."""
    body = [cell for cell in line[:-1] if cell not in hidden]
    if body:
        return min(body, key=lambda cell: (grid[cell[0]][cell[1]] == 0, grid[cell[0]][cell[1]]))
    return line[-1]


def suppress_grid(body: Sequence[Sequence[int]], k: int) -> tuple[list[list[int]], set]:
    """The grid with margins and the set of (row, column) cells that must not be published."""
    grid = _grid(body)
    n_rows, n_cols = len(grid), len(grid[0]) if grid else 0
    hidden = {(r, c) for r in range(n_rows) for c in range(n_cols) if is_sensitive(grid[r][c], k)}
    lines = _lines(n_rows, n_cols)
    while True:
        changed = False
        for line in lines:
            in_line = [cell for cell in line if cell in hidden]
            if len(in_line) == 1:
                hidden.add(_pick_partner(grid, hidden, line))
                changed = True
        if changed:
            continue
        determined = determined_cells(grid, hidden)
        if not determined:
            return grid, hidden
        # Hide one more cell beside a recoverable one; repeat until nothing is recoverable.
        r, c = min(determined)
        for line in (lines[r], lines[n_rows + c]):
            if any(cell not in hidden for cell in line):
                hidden.add(_pick_partner(grid, hidden, line))
                break
        else:
            published = [
                (rr, cc) for rr in range(n_rows) for cc in range(n_cols) if (rr, cc) not in hidden
            ]
            if not published:
                return grid, hidden
            hidden.add(min(published, key=lambda cell: grid[cell[0]][cell[1]]))


def suppress_column(values: Sequence[int], k: int) -> tuple[list[int | None], int | None]:
    """One column of counts with its total: (cells, total), a hidden value as None."""
    if not values:
        return [], 0
    grid, hidden = suppress_grid([[v] for v in values], k)
    cells = [None if (r, 0) in hidden else grid[r][0] for r in range(len(values))]
    total = None if (len(values), 0) in hidden else grid[len(values)][0]
    return cells, total


def suppress_value(value: int | None, k: int) -> int | None:
    """A count published on its own, with no margin beside it."""
    return None if is_sensitive(value, k) else value


# --- Figures linked across the tables of a page ------------------------------------------------
#
# One page publishes the same population in several tables: the funnel's "first assessment" is
# the triage table's total, the phase table's total is the gender table's, an organisation's
# caseload is part of the active cases. Suppressing each table on its own let a hidden cell be
# recovered by subtracting one table from another. Here every figure of one period's column
# is a variable; identical figures are one variable; each table with a total is a line (its
# cells sum to its total). Cells are hidden until no hidden variable follows from the lines.


def determined_linked(lines: list[tuple[list[str], str]], hidden: set[str]) -> set[str]:
    """Hidden variables whose value follows from the published ones through the lines."""
    in_lines = {name for cells, total in lines for name in (*cells, total)}
    unknowns = sorted(hidden & in_lines)  # a figure in no line follows from nothing
    index = {name: i for i, name in enumerate(unknowns)}
    equations = []
    for cells, total in lines:
        coefficients = [Fraction(0)] * len(unknowns)
        for name in cells:
            if name in index:
                coefficients[index[name]] += 1
        if total in index:
            coefficients[index[total]] -= 1
        if any(coefficients):
            equations.append(coefficients)
    matrix, pivot_row = [row[:] for row in equations], 0
    for col in range(len(unknowns)):
        pivot = next((r for r in range(pivot_row, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        lead = matrix[pivot_row][col]
        matrix[pivot_row] = [value / lead for value in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][col] != 0:
                factor = matrix[r][col]
                pairs = zip(matrix[r], matrix[pivot_row], strict=True)
                matrix[r] = [a - factor * b for a, b in pairs]
        pivot_row += 1
    found = set()
    for row in matrix[:pivot_row]:
        nonzero = [i for i, value in enumerate(row) if value != 0]
        if len(nonzero) == 1:
            found.add(unknowns[nonzero[0]])
    return found


def suppress_linked(
    values: dict[str, int],
    lines: list[tuple[list[str], str]],
    k: int,
    unpublished: set[str] = frozenset(),
) -> set[str]:
    """The variables not to publish: every value of 1 to k-1 persons, and then, line by line,
    the smallest published non-zero partner of a hidden variable that the lines would give
    away, until none does. `unpublished` variables (a sum shown nowhere) count as unknown."""
    hidden = {name for name, value in values.items() if is_sensitive(value, k)}
    hidden |= set(unpublished)
    while True:
        determined = determined_linked(lines, hidden) - set(unpublished)
        if not determined:
            return hidden - set(unpublished)
        target = min(determined)
        candidates = [
            name
            for cells, total in lines
            if target in cells or target == total
            for name in [*cells, total]
            if name not in hidden
        ]
        if not candidates:  # determined through several lines: widen to every line touched
            candidates = [
                name
                for cells, total in lines
                if hidden & {*cells, total}
                for name in [*cells, total]
                if name not in hidden
            ]
        if not candidates:
            return hidden - set(unpublished)
        hidden.add(min(candidates, key=lambda name: (values.get(name, 0) == 0, values[name])))
