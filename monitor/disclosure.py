"""Disclosure control for one monitor page: the one place that decides which figure is
published (docs/monitor.md explains the choice).

The builders in monitor.selectors count; `protect(data, k)` then works per period column (the
periods are fixed, non-overlapping quarters, so two columns never share a person-period). Every
figure of the column is a variable; figures that are the same population by definition are
one variable when their counts agree (the funnel's "first assessment" and the triage table's
total, the phase table's total and the gender table's, ...); every table with a total is a
line. `privacy.suppress_linked` hides values of 1 to k-1 persons and then partners until no
hidden figure follows from the published ones by any combination of the lines. The page, the
charts, the CSV, the XLSX and the PDF all read the protected data.
"""

from __future__ import annotations

from monitor.privacy import suppress_linked

PERIODS = ("cur", "prev")
# Tables whose rows may overlap (a person in several risk groups): the total is no line.
NOT_ADDITIVE = {"risk_group", "inflow_risk_group"}
# Figures that count the same persons or items by definition. Within a group, figures with the
# same count are one variable (a count that differs is another population after all, e.g. a
# person with two closures in one quarter).
SAME_POPULATION = [
    ["funnel:Ontvangen", "reporter_kind:total", "channel:total"],
    ["funnel:Eerste beoordeling", "triage:total", "lead:received:triaged"],
    ["funnel:Doorgezet naar het Voorportaal", "triage:Doorzetten naar het Voorportaal"],
    [
        "funnel:Meldingen met besluit: opgenomen",
        "case_flow:Personen opgenomen",
        "lead:received:admitted",
        "inflow_ideology:total",
        "inflow_risk_group:total",
    ],
    ["funnel:Meldingen met besluit: niet opgenomen", "lead:received:not_admitted"],
    # Reports decided in the period: the lead time received → decided and the two tables of
    # why it took long count the same spans.
    ["lead:received:decided", "lead_route:total", "lead_requests:total"],
    [
        "case_flow:Afgesloten",
        "closures:total",
        "goals:total",
        "lead:decided:closed",
        "duration:Van opname tot afsluiting",
    ],
    ["handover:total", "closures:Doelen behaald, warme overdracht"],
    [
        "phase:total",
        "gender:total",
        "age:total",
        "ideology:total",
        "city:total",
        "risk_group:total",
        "dormant:total",
        "domain_problems:total",
        "network_subjects:total",
        "caseload:total",
    ],
    ["intervention_entry:total", "intervention_category:total", "intervention_provider:total"],
    ["case_flow:Afbouw gestart", "lead:adopted:phase_down"],
]


class _Column:
    """The figures of one period column as variables, with the lines between them."""

    def __init__(self) -> None:
        self.values: dict[str, int] = {}
        self.lines: list[tuple[list[str], str]] = []
        self.unpublished: set[str] = set()
        self.alias: dict[str, str] = {}

    def add(self, name: str, value: int | None) -> None:
        self.values[name] = int(value or 0)

    def link(self) -> None:
        for group in SAME_POPULATION:
            present = [name for name in group if name in self.values]
            by_value: dict[int, str] = {}
            for name in present:
                first = by_value.setdefault(self.values[name], name)
                if first != name:
                    self.alias[name] = first
        self.values = {n: v for n, v in self.values.items() if n not in self.alias}
        self.lines = [
            ([self.name(c) for c in cells], self.name(total)) for cells, total in self.lines
        ]
        self.unpublished = {n for n in self.unpublished if n not in self.alias}

    def name(self, name: str) -> str:
        return self.alias.get(name, name)


def _collect(data: dict, per: str) -> _Column:
    column = _Column()
    for table in data["tables"]:
        names = [f"{table['key']}:{row['label']}" for row in table["rows"]]
        for name, row in zip(names, table["rows"], strict=True):
            column.add(name, row[per])
        # A subtotal row (the urgent route) is the sum of its parts: a line of its own, and
        # the table's total is the sum of the other rows.
        subtotals = table.get("subtotals", {})
        parts = {part for members in subtotals.values() for part in members}
        for label, members in subtotals.items():
            column.lines.append(
                ([f"{table['key']}:{m}" for m in members], f"{table['key']}:{label}")
            )
        if table.get("total"):
            column.add(f"{table['key']}:total", table["total"][per])
            if table["key"] not in NOT_ADDITIVE:
                leaves = [
                    name
                    for name, row in zip(names, table["rows"], strict=True)
                    if row["label"] not in parts
                ]
                column.lines.append((leaves, f"{table['key']}:total"))
    for row in data["lead_times"]:
        column.add(f"lead:{row['code']}", row[per]["n"])
    for row in data["shares"]:
        n, in_time = row[per]["n"] or 0, row[per]["in_time"] or 0
        column.add(f"share:{row['code']}:n", n)
        column.add(f"share:{row['code']}:in_time", in_time)
        column.add(f"share:{row['code']}:late", n - in_time)
        column.unpublished.add(f"share:{row['code']}:late")  # shown only as n minus in time
        column.lines.append(
            (
                [f"share:{row['code']}:in_time", f"share:{row['code']}:late"],
                f"share:{row['code']}:n",
            )
        )
    for i, row in enumerate(data["contact_gaps"]["rows"]):
        column.add(f"gaps:{i}", row[per])
    goals = data["effectiveness"]["goals"]
    goal_names = [f"goals:{row['label']}" for row in goals["rows"]]
    for name, row in zip(goal_names, goals["rows"], strict=True):
        column.add(name, row[per])
    column.add("goals:total", goals["total"][per])
    column.lines.append((goal_names, "goals:total"))
    for row in data["effectiveness"]["domains"]:
        column.add(f"domain:{row['label']}", row[per]["n"])
    if per == "cur":  # the caseload is at the end of the current period only
        caseload = data["caseload"]
        active = [f"caseload:{row['label']}" for row in caseload["organisations"]]
        staff = [f"staff:{row['label']}" for row in caseload["organisations"]]
        for row, a, s in zip(caseload["organisations"], active, staff, strict=True):
            column.add(a, row["active"])
            column.add(s, row["regisseurs"])
        column.add("caseload:total", sum(row["active"] or 0 for row in caseload["organisations"]))
        column.add("staff:total", sum(row["regisseurs"] or 0 for row in caseload["organisations"]))
        # Neither sum is published itself; the caseload's is, when it equals the active cases
        # on the rest of the page (then it is that figure, see link()).
        column.unpublished |= {"staff:total", "caseload:total"}
        column.lines.append((active, "caseload:total"))
        column.lines.append((staff, "staff:total"))
        bands = [f"band:{row['label']}" for row in caseload["bands"]]
        for row, name in zip(caseload["bands"], bands, strict=True):
            column.add(name, row["regisseurs"])
    column.link()
    return column


def protect(data: dict, k: int) -> None:
    """Replace every figure that must not be published by None, in place."""
    hidden = {}
    for per in PERIODS:
        column = _collect(data, per)
        suppressed = suppress_linked(column.values, column.lines, k, column.unpublished)
        hidden[per] = {name for name in _all_names(column) if column.name(name) in suppressed}
    for per in PERIODS:
        _apply(data, per, hidden[per], k)


def _all_names(column: _Column) -> set[str]:
    return set(column.values) | set(column.alias)


def _apply(data: dict, per: str, hidden: set[str], k: int) -> None:
    def shown(name: str, value):
        return None if name in hidden else value

    for table in data["tables"]:
        for row in table["rows"]:
            row[per] = shown(f"{table['key']}:{row['label']}", row[per])
            if "stats" in row and (row[per] is None or row[per] < k):
                # A span's statistics only from k persons, and only with its count published.
                row["stats"][per] = {"n": row[per], "suppressed": True}
            elif "stats" in row:
                row["stats"][per]["n"] = row[per]
        if table.get("total"):
            table["total"][per] = shown(f"{table['key']}:total", table["total"][per])
        if table.get("share"):  # a share only of a published part of a published total
            part = next(r[per] for r in table["rows"] if r["label"] == table["share"]["of"])
            whole = table["total"][per] if table.get("total") else None
            table["share"][per] = None if part is None or not whole else round(100 * part / whole)
    for row in data["lead_times"]:
        stats = row[per]
        n = stats["n"]
        if f"lead:{row['code']}" in hidden or n < k:
            row[per] = {"n": shown(f"lead:{row['code']}", n), "suppressed": True}
    for row in data["shares"]:
        code = row["code"]
        n = shown(f"share:{code}:n", row[per]["n"])
        in_time = shown(f"share:{code}:in_time", row[per]["in_time"])
        # The late part is never published itself, so suppress_linked never hides it; but it
        # is n minus in time, so a small late part hides the on-time part and the share.
        late = (row[per]["n"] or 0) - (row[per]["in_time"] or 0)
        late_hidden = f"share:{code}:late" in hidden or 0 < late < k
        hide_share = n is None or in_time is None or late_hidden
        row[per] = {
            "n": n,
            "in_time": None if hide_share else in_time,
            "percent": None if hide_share or not n else round(100 * in_time / n),
        }
    for i, row in enumerate(data["contact_gaps"]["rows"]):
        row[per] = shown(f"gaps:{i}", row[per])
    goals = data["effectiveness"]["goals"]
    for row in goals["rows"]:
        row[per] = shown(f"goals:{row['label']}", row[per])
    goals["total"][per] = shown("goals:total", goals["total"][per])
    for row in data["effectiveness"]["domains"]:
        n = row[per]["n"]
        name = f"domain:{row['label']}"
        row[per] = {
            "n": shown(name, n),
            "change": row[per]["change"] if name not in hidden and n >= k else None,
        }
    if per == "cur":
        for row in data["caseload"]["organisations"]:
            row["active"] = shown(f"caseload:{row['label']}", row["active"])
            if f"staff:{row['label']}" in hidden:
                row.update(regisseurs=None, fte=None, capacity=None, load=None)
            elif row["active"] is None:
                row["load"] = None
        for row in data["caseload"]["bands"]:
            row["regisseurs"] = shown(f"band:{row['label']}", row["regisseurs"])
