"""Which of the rules' output columns a reform leaves as they are: proved from the
rules themselves, not guessed from the parameter names.

Why: a reform of one programme (the pension's minimum tier) leaves the others (the
medical subsidy, the unemployment benefits) as they are, and evaluating and joining
them again on ten million people is most of what made a costing cost more than the
plan twice (docs/scale.md). Which ones those are must not rest on a list kept by
hand: the rules share columns (the status flags every programme reads), a parameter
can be read in another programme's rule, and a reform's reading of the registry can
change an input (the tiers held against its tier list, reading 31).

How: the rules are one Ibis expression over the tables ``people`` and ``statuses``
(``policy.program.evaluate_table``, what ``engine.backend`` compiles). Each output
column gets a digest of everything its value is computed from: the expressions and
literals (every parameter value is a literal in them), the input columns it reads,
and what decides its rows (the join's conditions, the aggregate's keys) — following
only the columns it uses, so a pension literal is not in a medical column's digest.
Two sides' column with the same digest, reading input columns that hold the same
values on both sides, has the same value for every person. Anything the walk does
not know how to follow is digested whole with the nodes' own text, so an unknown
shape can only make a column look changed, never unchanged.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ibis
import ibis.expr.operations as ops
import pyarrow as pa

from doudi.policy import jurisdictions, schema
from doudi.policy.jurisdictions import Jurisdiction
from doudi.policy.params import Params
from doudi.policy.program import evaluate_table

#: The engine's input tables by the names the rules read them by.
INPUTS = {"people": schema.PEOPLE, "statuses": schema.STATUSES}


@dataclass(frozen=True)
class Column:
    """An output column's digest and the input columns (table, column) it reads."""

    digest: str
    reads: frozenset[tuple[str, str]]


def columns(
    jurisdiction: str | Jurisdiction,
    year: int,
    overrides: Mapping[str, Any] | None = None,
    territory: str | Jurisdiction | None = None,
) -> dict[str, Column]:
    """Every output column of the rules compiled for the registry (as
    ``backend.plan(kind="registry")`` compiles them), with its digest; cached per
    process, as the compiled rules are."""
    place = jurisdictions.get(jurisdiction)
    own = None if territory is None else jurisdictions.get(territory)
    key = json.dumps(dict(overrides or {}), sort_keys=True, default=str, ensure_ascii=False)
    return _columns(place, year, key, None if own == place else own)


@lru_cache(maxsize=16)
def _columns(
    place: Jurisdiction, year: int, overrides: str, territory: Jurisdiction | None
) -> dict[str, Column]:
    params = Params(place, year, json.loads(overrides), territory)
    tables = {name: ibis.table(s, name=name) for name, s in INPUTS.items()}
    out = evaluate_table(tables["people"], tables["statuses"], params, distinct_ids=True).op()
    walk = _Walk(out)
    return {name: walk.field(out, name) for name in out.schema.names}


def same(
    names: Iterable[str],
    base: Mapping[str, Column],
    other: Mapping[str, Column],
    base_inputs: Mapping[str, pa.Table],
    other_inputs: Mapping[str, pa.Table],
) -> bool:
    """Whether the output columns ``names`` are, person by person, the same on both
    sides: the same digest on each, and every input column they read holding the same
    values in both sides' inputs (the same table, or equal columns)."""
    reads: set[tuple[str, str]] = set()
    for name in names:
        if name not in base or name not in other or base[name].digest != other[name].digest:
            return False
        reads |= base[name].reads
    for table, column in reads:
        mine, theirs = base_inputs[table], other_inputs[table]
        if mine is not theirs and not mine.column(column).equals(theirs.column(column)):
            return False
    return True


class _Walk:
    """The digests of one expression's columns, each node digested once."""

    def __init__(self, root: ops.Node):
        self._done: dict[tuple[int, str], Column] = {}
        self._nodes: dict[int, Column] = {}
        self._rows: dict[int, Column] = {}
        # a join's references carry a counter that differs from one build to the next:
        # they are named by their place in their join instead
        self._refs: dict[int, int] = {}
        for join in root.find(ops.JoinChain):
            for i, ref in enumerate((join.first, *(link.table for link in join.rest))):
                self._refs[id(ref)] = i

    def field(self, rel: ops.Node, name: str) -> Column:
        """The column ``name`` of the relation ``rel``."""
        key = (id(rel), name)
        if key not in self._done:
            self._done[key] = self._field(rel, name)
        return self._done[key]

    def _field(self, rel: ops.Node, name: str) -> Column:
        if isinstance(rel, ops.UnboundTable):
            return Column(_hash("input", rel.name, name), frozenset({(rel.name, name)}))
        if isinstance(rel, ops.DropColumns):
            return self.field(rel.parent, name)
        if isinstance(rel, ops.JoinReference) and id(rel) in self._refs:
            inner = self.field(rel.parent, name)
            return Column(_hash("ref", str(self._refs[id(rel)]), inner.digest), inner.reads)
        if isinstance(rel, ops.Project | ops.JoinChain):
            value = rel.values[name]
        elif isinstance(rel, ops.Aggregate):
            value = rel.groups[name] if name in rel.groups else rel.metrics[name]
        else:  # a shape not followed: the whole relation
            return _joined("relation", [self.node(rel)], name)
        return _joined("column", [self.node(value), self.rows(rel)])

    def rows(self, rel: ops.Node) -> Column:
        """What decides which rows ``rel`` has (a window's value depends on them too)."""
        if id(rel) not in self._rows:
            self._rows[id(rel)] = self._rows_of(rel)
        return self._rows[id(rel)]

    def _rows_of(self, rel: ops.Node) -> Column:
        if isinstance(rel, ops.UnboundTable):
            return Column(_hash("rows", rel.name), frozenset())
        if isinstance(rel, ops.Project | ops.DropColumns | ops.JoinReference):
            return self.rows(rel.parent)
        if isinstance(rel, ops.Aggregate):
            return _joined("grouped", [self.rows(rel.parent), *map(self.node, rel.groups.values())])
        if isinstance(rel, ops.JoinChain):
            parts = [self.rows(rel.first)]
            for link in rel.rest:
                parts += [self.rows(link.table), *map(self.node, link.predicates)]
                parts.append(Column(_hash("how", link.how), frozenset()))
            return _joined("join", parts)
        return _joined("relation", [self.node(rel)])

    def node(self, node: ops.Node) -> Column:
        """A value (or a relation not followed column by column): its kind and its
        arguments, each a node's digest or the argument's own text."""
        if isinstance(node, ops.Field):
            return self.field(node.rel, node.name)
        if isinstance(node, ops.UnboundTable):  # read whole
            whole = frozenset((node.name, c) for c in node.schema.names)
            return Column(_hash("table", node.name), whole)
        if id(node) not in self._nodes:
            parts = [self._arg(a) for a in node.__args__]
            self._nodes[id(node)] = _joined(type(node).__name__, parts)
        return self._nodes[id(node)]

    def _arg(self, arg: Any) -> Column:
        if isinstance(arg, ops.Node):
            return self.node(arg)
        if isinstance(arg, Mapping):
            items = [Column(_hash("key", str(k)), frozenset()) for k in arg]
            return _joined("mapping", [*items, *map(self._arg, arg.values())])
        if isinstance(arg, tuple | list):
            return _joined("sequence", [self._arg(a) for a in arg])
        return Column(_hash("value", type(arg).__name__, repr(arg)), frozenset())


def _joined(kind: str, parts: list[Column], *more: str) -> Column:
    reads: frozenset[tuple[str, str]] = frozenset().union(*(p.reads for p in parts))
    return Column(_hash(kind, *more, *(p.digest for p in parts)), reads)


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
