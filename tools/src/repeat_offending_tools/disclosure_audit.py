"""Audit the disclosure control of the published tables as an attacker would: protection intervals by LP.

An attacker who holds every publication table of a release knows the published counts, that every suppressed
count is at least 0, that a published people count is at least the threshold, how rounding works, and how the
tables' cells add up (a total is the sum of its categories, the quarters of a year add up to the year, a table
repeats another's cells, reoffenders are at most the offenders ...). For every count suppressed for being small
(internal reason ``primary``), and every count suppressed because its complement in its cell is small
(``complement``: reoffenders when fewer than 10 offenders did not reoffend), this command solves the two linear
programs that give the least and the greatest value of that small quantity consistent with all of that, and
checks the **protection rule** (docs/methodology.md section 6): the interval is at least the threshold wide
(``var('sdc_threshold')``, 10). Whether the interval reaches 0 (an attacker cannot tell that someone is in the
cell) is recorded and counted, not required. Cells suppressed to protect others (``secondary``, ``linked``)
are large: an attacker may bound them. The one marker of the published tables means an attacker cannot tell
which cells are the small ones; the audit can, from the internal reasons (``publication_int``).

Rounded counts (``var('sdc_rounding_base')``) are intervals (halves up: base 5 publishes 13 to 17 as 15; see
``rounding_interval``). The intervals are those of the linear relaxation, as in tau-ARGUS's audit: an attacker
who also uses integrality can tighten them by less than one. Each group of counts tied by relations is one
HiGHS model, solved once per bound from the previous basis.

**The relations come from the manifest**, not from a list kept here: every public model of the publication
layer (``models/publication/``) must declare them in ``config.meta.disclosure``::

    key: [cohort_year, age_group]          # the columns that identify a row
    counts:                                # the count columns; each has a `<count>_marker` column
      offenders: {protect: true}           # a people count (published only from the threshold on)
      reoffenders: {protect: true, complement: offenders}   # with a complement in the row (offenders - it)
      reoffences: {}                       # a count that is not of people (only >= 0)
    at_most: [[reoffenders, offenders]]    # in every row, the first is at most the second
    totals: [{column: age_group, total: All}]  # rows equal on the rest of the key: `All` = sum of the others
    equal_across: [{column: need, counts: [assessed_people], where: {}}]  # the same value in every `need`
    sums:                                  # each row (matching `where`) = (or <=) the sum of the rows of
      - model: publication__proven_reoffending_by_quarter   # another model with the same `match` values
        match: [cohort_year, age_group]    # or {this_column: other_column}
        where: {}                          # filter of this model's rows
        other_where: {}                    # filter of the other model's rows
        counts: {offenders: offenders}     # this count: other count (default: the counts both have)
        relation: "="                      # or "<="
    reasons:                               # where the internal reason of each suppressed value is: the first
      - model: publication_int__proven_reoffending_cells   # entry whose `where` holds, its row with the same
        other_where: {table_part: year}    # `match` values (default: the key), its `<count>_marker` column

A publication model without the declaration, a key unknown to it, a column the model lacks or a suppressed value
without a reason is an error: a new table cannot slip past the audit.

Writes ``disclosure_audit.protection_intervals`` (one row per count judged: model, row, column, reason, the
bounds and width of the protected quantity, whether it can be 0, protected or not) into the DuckDB file, beside
the DAG like ``evaluation.linkage_quality``, prints a summary, and exits 1 when an interval is narrower than the
threshold (``make build`` then publishes nothing), 2 on a declaration error.

Usage: audit-disclosure --database DATA_DIR/warehouse.duckdb [--manifest target/manifest.json]
       [--threshold 10] [--rounding-base 1]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import highspy
import numpy as np
import pandas as pd

from repeat_offending.project import PROJECT_ROOT, dbt_var, layers, node_meta

SCHEMA = "disclosure_audit"
"""Written by this command only; no dbt node builds into it."""
TABLE = f"{SCHEMA}.protection_intervals"
DEFAULT_MANIFEST = PROJECT_ROOT / os.environ.get("DBT_TARGET_PATH", "target") / "manifest.json"
PUBLICATION_LAYER = "publication"
"""The layer (var ``layers`` of dbt_project.yml) whose public models are the published tables."""
MARKER_SUFFIX = "_marker"
TOLERANCE = 1e-6
"""LP bounds closer than this to a whole number are that number (HiGHS's feasibility tolerance is 1e-7)."""


class DeclarationError(ValueError):
    """A publication model's ``meta.disclosure`` is missing or does not describe its table."""


class InconsistentError(RuntimeError):
    """No values fit the published ones and the declared relations: a declaration or a table is wrong."""


@dataclass(frozen=True)
class Count:
    column: str
    protect: bool
    complement: str | None
    complement_in: Sum | None = None
    """A whole in another model (its ``counts`` names the one count), when the complement is across tables."""


@dataclass(frozen=True)
class Sum:
    model: str
    match: tuple[tuple[str, str], ...]
    where: tuple[tuple[str, Any], ...]
    other_where: tuple[tuple[str, Any], ...]
    counts: tuple[tuple[str, str], ...] | None
    relation: str


@dataclass(frozen=True)
class Table:
    """One publication model and the relations its declaration states."""

    model: str
    relation: str
    key: tuple[str, ...]
    counts: tuple[Count, ...]
    at_most: tuple[tuple[str, str], ...] = ()
    totals: tuple[tuple[str, Any], ...] = ()
    equal_across: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, Any], ...]], ...] = ()
    sums: tuple[Sum, ...] = ()
    reasons: tuple[Sum, ...] = ()

    def count(self, column: str) -> Count:
        for count in self.counts:
            if count.column == column:
                return count
        raise DeclarationError(f"{self.model}: meta.disclosure names {column!r}, which is not one of its counts")


def _pairs(value: Any, what: str, model: str) -> tuple[tuple[str, Any], ...]:
    if value is None:
        return ()
    if isinstance(value, Mapping):
        return tuple((str(k), v) for k, v in value.items())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple((v, v) for v in value)
    raise DeclarationError(f"{model}: meta.disclosure {what} must be a list of columns or a mapping, got {value!r}")


def _complement_in(declared: Any, model: str) -> Sum | None:
    """A complement whose whole is in another model: ``{model, match, other_where, count}``."""
    if declared is None or isinstance(declared, str):
        return None
    if not isinstance(declared, Mapping) or not declared.get("model") or not declared.get("count"):
        raise DeclarationError(f"{model}: a complement is a count of the row or a mapping with a model and a count")
    _known_keys(declared, frozenset({"model", "match", "other_where", "count"}), "meta.disclosure complement", model)
    return Sum(
        model=str(declared["model"]),
        match=_pairs(declared.get("match"), "complement.match", model),
        where=(),
        other_where=_pairs(declared.get("other_where"), "complement.other_where", model),
        counts=(("whole", str(declared["count"])),),
        relation="=",
    )


DECLARATION_KEYS = frozenset({"key", "counts", "at_most", "totals", "equal_across", "sums", "reasons"})
SUM_KEYS = frozenset({"model", "match", "where", "other_where", "counts", "relation"})


def _known_keys(declared: Mapping[Any, Any], known: frozenset[str], what: str, model: str) -> None:
    """Unknown keys are errors, not ignored: YAML reads a bare `on` or `yes` as a boolean, for one."""
    unknown = sorted(repr(k) for k in declared if k not in known)
    if unknown:
        raise DeclarationError(
            f"{model}: {what} has unknown keys {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )


def parse_table(node: Mapping[str, Any]) -> Table:
    """A publication model's declaration, checked against its documented columns."""
    model = str(node["name"])
    declared = node_meta(dict(node)).get("disclosure")
    if not isinstance(declared, Mapping):
        raise DeclarationError(
            f"{model}: no config.meta.disclosure in its YAML; every publication model declares its counts and "
            "relations so that the disclosure audit can check it (see repeat_offending_tools.disclosure_audit)"
        )
    _known_keys(declared, DECLARATION_KEYS, "meta.disclosure", model)
    for entry in declared.get("sums") or ():
        _known_keys(entry, SUM_KEYS, "meta.disclosure.sums", model)
        if not entry.get("match") or not entry.get("model"):
            raise DeclarationError(f"{model}: every meta.disclosure.sums entry needs a model and match columns")
    if not declared.get("reasons"):
        raise DeclarationError(
            f"{model}: meta.disclosure needs reasons: the internal model that says why each value is suppressed"
        )
    for entry in declared["reasons"]:
        _known_keys(entry, SUM_KEYS - {"counts", "relation"}, "meta.disclosure.reasons", model)
        if not entry.get("model"):
            raise DeclarationError(f"{model}: every meta.disclosure.reasons entry needs a model")
    columns = {name.lower() for name in (node.get("columns") or {})}
    key = tuple(declared.get("key") or ())
    raw_counts = declared.get("counts") or {}
    if not key or not raw_counts:
        raise DeclarationError(f"{model}: meta.disclosure needs a key and at least one count")
    counts = tuple(
        Count(
            str(name),
            bool((spec or {}).get("protect", False)),
            (spec or {}).get("complement") if isinstance((spec or {}).get("complement"), str) else None,
            _complement_in((spec or {}).get("complement"), model),
        )
        for name, spec in raw_counts.items()
    )
    table = Table(
        model=model,
        relation=f"{node['schema']}.{node.get('alias') or model}",
        key=key,
        counts=counts,
        at_most=tuple((str(a), str(b)) for a, b in declared.get("at_most") or ()),
        totals=tuple((str(t["column"]), t["total"]) for t in declared.get("totals") or ()),
        equal_across=tuple(
            (str(e["column"]), tuple(str(c) for c in e["counts"]), _pairs(e.get("where"), "equal_across.where", model))
            for e in declared.get("equal_across") or ()
        ),
        sums=tuple(
            Sum(
                model=str(s["model"]),
                match=_pairs(s.get("match"), "sums.match", model),
                where=_pairs(s.get("where"), "sums.where", model),
                other_where=_pairs(s.get("other_where"), "sums.other_where", model),
                counts=_pairs(s["counts"], "sums.counts", model) if s.get("counts") else None,
                relation=str(s.get("relation", "=")),
            )
            for s in declared.get("sums") or ()
        ),
        reasons=tuple(
            Sum(
                model=str(r["model"]),
                match=_pairs(r.get("match") or list(key), "reasons.match", model),
                where=_pairs(r.get("where"), "reasons.where", model),
                other_where=_pairs(r.get("other_where"), "reasons.other_where", model),
                counts=None,
                relation="=",
            )
            for r in declared["reasons"]
        ),
    )
    needed = set(key) | {c.column for c in counts} | {c.column + MARKER_SUFFIX for c in counts}
    needed |= {c.complement for c in counts if c.complement}
    needed |= {column for column, _ in table.totals} | {column for column, _, _ in table.equal_across}
    missing = sorted(name for name in needed if name.lower() not in columns)
    if missing:
        raise DeclarationError(f"{model}: meta.disclosure names columns the model does not have: {', '.join(missing)}")
    for a, b in table.at_most:
        table.count(a), table.count(b)
    for count in counts:
        if count.complement:
            table.count(count.complement)
    for s in table.sums:
        if s.relation not in ("=", "<="):
            raise DeclarationError(f"{model}: sums.relation must be '=' or '<=', got {s.relation!r}")
    return table


def publication_tables(manifest: Mapping[str, Any]) -> list[Table]:
    """Every public model of the publication layer, with its declaration (an error names any without one)."""
    folder = next(layer.folder for layer in layers() if layer.name == PUBLICATION_LAYER).rstrip("/") + "/"
    nodes = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node.get("package_name") == manifest["metadata"].get("project_name", node.get("package_name"))
        and str(node.get("original_file_path", "")).startswith(folder)
        and node.get("access") == "public"
    ]
    if not nodes:
        raise DeclarationError(f"the manifest has no public model under {folder}")
    tables = [parse_table(node) for node in sorted(nodes, key=lambda n: n["name"])]
    names = {t.model for t in tables}
    for table in tables:
        for s in table.sums:
            if s.model not in names:
                raise DeclarationError(f"{table.model}: sums names {s.model!r}, which is not a publication model")
    return tables


# --- the attacker's linear system ------------------------------------------------------------------------


def rounding_interval(published: int, base: int) -> tuple[int, int]:
    """The counts that round to ``published`` (to the nearest multiple of ``base``, halves up)."""
    above = (base - 1) // 2 if base % 2 else base // 2 - 1
    return published - base // 2, published + above


@dataclass
class System:
    """Variables (one per count cell) with bounds, and linear constraints between them."""

    names: list[tuple[str, str, str]] = field(default_factory=list)  # (model, row as JSON, column)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    suppressed: list[bool] = field(default_factory=list)
    protect: list[bool] = field(default_factory=list)
    complement_of: dict[int, int] = field(default_factory=dict)  # count variable -> its whole's variable
    equalities: list[dict[int, float]] = field(default_factory=list)  # sum(coef * x) = 0
    inequalities: list[dict[int, float]] = field(default_factory=list)  # sum(coef * x) <= 0

    def add(self, name: tuple[str, str, str], lower: float, upper: float, suppressed: bool, protect: bool) -> int:
        self.names.append(name)
        self.lower.append(lower)
        self.upper.append(upper)
        self.suppressed.append(suppressed)
        self.protect.append(protect)
        return len(self.names) - 1


def _matches(row: Mapping[str, Any], where: Iterable[tuple[str, Any]]) -> bool:
    return all(str(row[column]) == str(value) for column, value in where)


def _row_id(row: Mapping[str, Any], key: Sequence[str]) -> str:
    return json.dumps({column: row[column] for column in key}, default=str)


def build_system(tables: Sequence[Table], frames: Mapping[str, pd.DataFrame], threshold: int, base: int) -> System:
    """The attacker's knowledge as a linear system over every count cell of every publication table."""
    system = System()
    cells: dict[str, dict[str, dict[str, int]]] = {}  # model -> row id -> column -> variable
    rows_of: dict[str, list[dict[str, Any]]] = {}
    for table in tables:
        frame = frames[table.model]
        rows = _records(frame)
        rows_of[table.model] = rows
        by_row: dict[str, dict[str, int]] = {}
        for row in rows:
            row_id = _row_id(row, table.key)
            if row_id in by_row:
                raise DeclarationError(f"{table.model}: two rows with the key {row_id}; meta.disclosure.key is wrong")
            variables: dict[str, int] = {}
            for count in table.counts:
                value, marker = row[count.column], row[count.column + MARKER_SUFFIX]
                suppressed = value is None
                if suppressed != (marker is not None):
                    raise DeclarationError(
                        f"{table.model}: {count.column} of row {row_id} is "
                        + ("null without a marker" if suppressed else "published with a marker")
                    )
                if suppressed:
                    lower, upper = 0.0, math.inf
                else:
                    low, high = rounding_interval(int(value), base)
                    lower = float(max(low, threshold if count.protect else 0))
                    upper = float(high)
                variables[count.column] = system.add(
                    (table.model, row_id, count.column), lower, upper, suppressed, count.protect
                )
            for count in table.counts:
                if count.complement:
                    system.complement_of[variables[count.column]] = variables[count.complement]
            for a, b in table.at_most:
                system.inequalities.append({variables[a]: 1.0, variables[b]: -1.0})
            by_row[row_id] = variables
        cells[table.model] = by_row

    for table in tables:
        rows, by_row = rows_of[table.model], cells[table.model]
        count_names = [c.column for c in table.counts]
        for column, total in table.totals:
            rest = [k for k in table.key if k != column]
            groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for row in rows:
                groups[_row_id(row, rest)].append(row)
            for members in groups.values():
                totals = [r for r in members if str(r[column]) == str(total)]
                parts = [r for r in members if str(r[column]) != str(total)]
                if len(totals) != 1 or not parts:
                    continue
                total_vars = by_row[_row_id(totals[0], table.key)]
                for name in count_names:
                    equation = {total_vars[name]: 1.0}
                    for part in parts:
                        variable = by_row[_row_id(part, table.key)][name]
                        equation[variable] = equation.get(variable, 0.0) - 1.0
                    system.equalities.append(equation)
        for column, names, where in table.equal_across:
            rest = [k for k in table.key if k != column]
            groups = defaultdict(list)
            for row in rows:
                if _matches(row, where):
                    groups[_row_id(row, rest)].append(row)
            for members in groups.values():
                first = by_row[_row_id(members[0], table.key)]
                for other in members[1:]:
                    other_vars = by_row[_row_id(other, table.key)]
                    for name in names:
                        if other_vars[name] != first[name]:
                            system.equalities.append({first[name]: 1.0, other_vars[name]: -1.0})
        for s in table.sums:
            other = next(t for t in tables if t.model == s.model)
            shared = s.counts or tuple(
                (c.column, c.column) for c in table.counts if c.column in {o.column for o in other.counts}
            )
            if not shared:
                raise DeclarationError(f"{table.model}: sums with {s.model} shares no count; name them in counts")
            index: dict[tuple[str, ...], list[dict[str, int]]] = defaultdict(list)
            for row in rows_of[other.model]:
                if _matches(row, s.other_where):
                    index[tuple(str(row[o]) for _, o in s.match)].append(cells[other.model][_row_id(row, other.key)])
            for row in rows:
                if not _matches(row, s.where):
                    continue
                matched = index.get(tuple(str(row[t]) for t, _ in s.match))
                if not matched:
                    continue
                variables = by_row[_row_id(row, table.key)]
                for mine, theirs in shared:
                    equation = {variables[mine]: 1.0}
                    for other_vars in matched:
                        equation[other_vars[theirs]] = equation.get(other_vars[theirs], 0.0) - 1.0
                    (system.equalities if s.relation == "=" else system.inequalities).append(equation)
        for count in table.counts:
            if count.complement_in is None:
                continue
            whole = count.complement_in
            other = next((t for t in tables if t.model == whole.model), None)
            if other is None:
                raise DeclarationError(
                    f"{table.model}: the complement of {count.column} is in {whole.model!r}, not a publication model"
                )
            wholes = {
                tuple(str(row[o]) for _, o in whole.match): cells[other.model][_row_id(row, other.key)]
                for row in rows_of[other.model]
                if _matches(row, whole.other_where)
            }
            for row in rows:
                found = wholes.get(tuple(str(row[t]) for t, _ in whole.match))
                if found is not None:
                    system.complement_of[by_row[_row_id(row, table.key)][count.column]] = found[whole.counts[0][1]]
    return system


# --- solving -------------------------------------------------------------------------------------------------


def _components(system: System) -> list[list[int]]:
    """Groups of variables tied by constraints through variables that are not fixed (a fixed variable is a
    constant: it ties nothing)."""
    parent = list(range(len(system.names)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    ties = [*system.equalities, *system.inequalities, *({v: 1.0, w: 1.0} for v, w in system.complement_of.items())]
    for constraint in ties:
        free = [v for v in constraint if system.lower[v] != system.upper[v]]
        for v in free[1:]:
            a, b = find(free[0]), find(v)
            if a != b:
                parent[a] = b
    groups: dict[int, list[int]] = defaultdict(list)
    for v in range(len(system.names)):
        if system.lower[v] != system.upper[v]:
            groups[find(v)].append(v)
    return [sorted(g) for g in groups.values() if any(system.suppressed[v] for v in g)]


@dataclass(frozen=True)
class Interval:
    """The least and greatest value an attacker can give a suppressed count, or its complement in its cell."""

    lower: float
    upper: float


def solve(system: System, wanted: Mapping[int, str]) -> dict[int, Interval]:
    """The interval of each wanted suppressed count: of the count itself (``primary``) or of its complement
    (``complement``: the whole of its cell minus the count), one component of the system at a time."""
    components = _components(system)
    component_of = {v: i for i, component in enumerate(components) for v in component}
    constraints: list[list[tuple[str, dict[int, float]]]] = [[] for _ in components]
    for kind, group in (("eq", system.equalities), ("ub", system.inequalities)):
        for constraint in group:
            free = [v for v in constraint if v in component_of]
            if free:
                constraints[component_of[free[0]]].append((kind, constraint))
    results: dict[int, Interval] = {}
    highs = highspy.Highs()  # one solver, one model per component (its options are kept)
    highs.setOptionValue("output_flag", False)
    for component, its_constraints in zip(components, constraints, strict=True):
        its_wanted = {v: wanted[v] for v in component if v in wanted}
        if its_wanted:
            highs.clearModel()
            results.update(_solve_component(highs, system, component, its_constraints, its_wanted))
    return results


def _solve_component(
    highs: highspy.Highs,
    system: System,
    component: list[int],
    constraints: list[tuple[str, dict[int, float]]],
    wanted: Mapping[int, str],
) -> dict[int, Interval]:
    """One HiGHS model per component; each bound is the same model with another objective, solved from the
    previous basis (a few simplex iterations, not a new solve)."""
    position = {v: i for i, v in enumerate(component)}
    infinity = highspy.kHighsInf
    columns = len(component)
    highs.addVars(
        columns,
        np.array([system.lower[v] for v in component], dtype=np.float64),
        np.array([infinity if math.isinf(system.upper[v]) else system.upper[v] for v in component], dtype=np.float64),
    )
    lower, upper, starts, indices, values = [], [], [], [], []
    for kind, constraint in constraints:
        starts.append(len(indices))
        constant = 0.0
        for v, coefficient in constraint.items():
            if v in position:
                indices.append(position[v])
                values.append(coefficient)
            else:  # a fixed variable
                constant += coefficient * system.lower[v]
        lower.append(-constant if kind == "eq" else -infinity)
        upper.append(-constant)
    if starts:
        highs.addRows(
            len(starts),
            np.array(lower, dtype=np.float64),
            np.array(upper, dtype=np.float64),
            len(indices),
            np.array(starts, dtype=np.int32),
            np.array(indices, dtype=np.int32),
            np.array(values, dtype=np.float64),
        )
    every_column = np.arange(columns, dtype=np.int32)

    def minimum(objective: dict[int, float]) -> float:
        """The least value of a linear form over the component (-inf when unbounded)."""
        costs = np.zeros(columns)
        constant = 0.0
        for v, coefficient in objective.items():
            if v in position:
                costs[position[v]] = coefficient
            else:
                constant += coefficient * system.lower[v]
        highs.changeColsCost(columns, every_column, costs)
        highs.run()
        status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            return -math.inf
        if status != highspy.HighsModelStatus.kOptimal:
            near = ", ".join(f"{m} {r} {col}" for m, r, col in (system.names[v] for v in component[:3]))
            raise InconsistentError(
                f"no values fit the published ones ({highs.modelStatusToString(status)}) near {near}"
            )
        return float(highs.getInfo().objective_function_value) + constant

    intervals: dict[int, Interval] = {}
    for v, what in wanted.items():
        if what == "complement" and v not in system.complement_of:
            model, row, column = system.names[v]
            raise DeclarationError(
                f"{model}: {column} of {row} is suppressed for its complement, and meta.disclosure declares none"
            )
        form = {v: 1.0} if what == "primary" else {system.complement_of[v]: 1.0, v: -1.0}
        negated = {u: -coefficient for u, coefficient in form.items()}
        intervals[v] = Interval(lower=_snap(minimum(form)), upper=_snap(-minimum(negated)))
    return intervals


def _snap(value: float) -> float:
    if math.isinf(value):
        return value
    nearest = round(value)
    return float(nearest) if abs(value - nearest) < TOLERANCE else value


# --- the rule and the command ----------------------------------------------------------------------------------


SENSITIVE_REASONS = {"primary": "the count", "complement": "the complement of the count in its cell"}
"""The internal reasons whose value is what suppression protects: a count below the threshold (``primary``) or
one whose complement in its cell is (``complement``). Cells suppressed to protect them (``secondary``,
``linked``) may be narrowed: they are large."""


def judge(
    system: System, intervals: Mapping[int, Interval], reasons: Mapping[int, str | None], threshold: int
) -> pd.DataFrame:
    """One row per count suppressed for being small (or for its small complement) with the interval of that
    value; it is protected when the interval is at least the threshold wide."""
    records = []
    for v, interval in sorted(intervals.items()):
        model, row, column = system.names[v]
        reason = str(reasons[v])
        width = interval.upper - interval.lower
        records.append(
            {
                "model_name": model,
                "row_key": row,
                "column_name": column,
                "suppression_reason": reason,
                "protected_value": SENSITIVE_REASONS[reason],
                "lower_bound": interval.lower,
                "upper_bound": _finite(interval.upper),
                "width": _finite(width),
                "can_be_zero": interval.lower <= 0,
                "is_protected": width >= threshold,
                "problem": None
                if width >= threshold
                else f"{SENSITIVE_REASONS[reason]} lies within {interval.lower:g} to {interval.upper:g}, "
                f"narrower than {threshold}",
            }
        )
    columns = [
        "model_name", "row_key", "column_name", "suppression_reason", "protected_value", "lower_bound",
        "upper_bound", "width", "can_be_zero", "is_protected", "problem",
    ]  # fmt: skip
    return pd.DataFrame.from_records(records, columns=columns)


def _finite(value: float) -> float | None:
    return None if math.isinf(value) else value


def _relation(manifest: Mapping[str, Any], name: str) -> str:
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["name"] == name:
            return f"{node['schema']}.{node.get('alias') or name}"
    raise DeclarationError(f"meta.disclosure.reasons names {name!r}, which is not a model of the manifest")


def suppression_reasons(
    con: duckdb.DuckDBPyConnection,
    manifest: Mapping[str, Any],
    tables: Sequence[Table],
    frames: Mapping[str, pd.DataFrame],
    system: System,
) -> dict[int, str | None]:
    """The internal reason for every suppressed count, read where each model's ``reasons`` say (the
    ``publication_int`` cell sets): a suppressed value without one is an error."""
    variable = {name: v for v, name in enumerate(system.names)}
    internal: dict[str, list[dict[str, Any]]] = {}
    reasons: dict[int, str | None] = {}
    missing: list[str] = []
    for table in tables:
        indexes = []
        for entry in table.reasons:
            if entry.model not in internal:
                internal[entry.model] = _records(con.sql(f"select * from {_relation(manifest, entry.model)}").df())
            index = {
                tuple(str(row[other]) for _, other in entry.match): row
                for row in internal[entry.model]
                if _matches(row, entry.other_where)
            }
            indexes.append((entry, index))
        for row in _records(frames[table.model]):
            row_id = _row_id(row, table.key)
            suppressed = [c.column for c in table.counts if row[c.column] is None]
            if not suppressed:
                continue
            found = next(
                (
                    index.get(tuple(str(row[mine]) for mine, _ in entry.match))
                    for entry, index in indexes
                    if _matches(row, entry.where)
                ),
                None,
            )
            if found is None:
                missing.append(f"{table.model} {row_id}")
                continue
            for column in suppressed:
                reasons[variable[(table.model, row_id, column)]] = found[column + MARKER_SUFFIX]
    if missing:
        raise DeclarationError(
            f"no internal reason for the suppressed values of {len(missing)} rows (meta.disclosure.reasons), "
            f"e.g. {missing[0]}"
        )
    return reasons


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
        for r in frame.to_dict("records")
    ]


def read_tables(con: duckdb.DuckDBPyConnection, tables: Sequence[Table]) -> dict[str, pd.DataFrame]:
    """Every publication table as published (they are small: aggregates)."""
    return {table.model: con.sql(f"select * from {table.relation}").df() for table in tables}


def audit(
    con: duckdb.DuckDBPyConnection, manifest: Mapping[str, Any], threshold: int, base: int
) -> tuple[pd.DataFrame, System]:
    tables = publication_tables(manifest)
    frames = read_tables(con, tables)
    system = build_system(tables, frames, threshold, base)
    reasons = suppression_reasons(con, manifest, tables, frames, system)
    wanted = {v: reason for v, reason in reasons.items() if reason in SENSITIVE_REASONS and system.protect[v]}
    return judge(system, solve(system, wanted), reasons, threshold), system


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="audit-disclosure", description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--database", type=Path, required=True)
    ap.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    ap.add_argument("--threshold", type=int, default=None, help="default: var sdc_threshold of dbt_project.yml")
    ap.add_argument("--rounding-base", type=int, default=None, help="default: var sdc_rounding_base of dbt_project.yml")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    threshold = int(dbt_var("sdc_threshold")) if args.threshold is None else args.threshold
    base = int(dbt_var("sdc_rounding_base")) if args.rounding_base is None else args.rounding_base
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    con = duckdb.connect(str(args.database))
    try:
        intervals, system = audit(con, manifest, threshold, base)
    except (DeclarationError, InconsistentError) as error:
        print(f"audit-disclosure: {error}", file=sys.stderr)
        return 2
    con.register("intervals", intervals)
    con.execute(f"create schema if not exists {SCHEMA}")
    # Typed columns, so that a release with nothing suppressed still has a table of the same shape.
    con.execute(f"""
        create or replace table {TABLE} (
            model_name varchar, row_key varchar, column_name varchar, suppression_reason varchar,
            protected_value varchar, lower_bound double, upper_bound double, width double, can_be_zero boolean,
            is_protected boolean, problem varchar
        )
    """)
    con.execute(f"insert into {TABLE} select * from intervals")
    con.close()
    narrowed = intervals[~intervals["is_protected"]]
    suppressed = sum(system.suppressed)
    print(
        f"audit-disclosure: {len(system.names):,} counts in {len({n[0] for n in system.names})} publication "
        f"tables, {len(system.equalities):,} equalities and {len(system.inequalities):,} inequalities between "
        f"them (threshold {threshold}, rounding base {base}); {suppressed:,} suppressed, {len(intervals):,} of "
        f"them for being small (or their complement); narrowest interval of those: "
        f"{intervals['width'].min() if len(intervals) else 'none'}; {len(narrowed)} narrowed below "
        f"{threshold}; {int((~intervals['can_be_zero']).sum())} that cannot be 0"
    )
    for record in narrowed.head(20).itertuples():
        print(f"  {record.model_name} {record.row_key} {record.column_name}: {record.problem}", file=sys.stderr)
    if len(narrowed):
        print(
            f"audit-disclosure: FAILED: {len(narrowed)} suppressed counts can be narrowed ({TABLE})",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
