"""The rules evaluated once per plan run, and each programme's rows from that result.

A run of every programme (``versions.run_plans``) evaluates the compiled rules
(``engine.backend`` on DuckDB, or Spark) once: one statement selects every
programme's columns for the people any of them has a row for. Each programme's
contribution rows (``plan.contributions``) are then made from its part of that one
result: its own rows and columns (``Evaluation.part``).

Why once: most of the rules' time is spent on what every row passes through whatever
a programme reads — the people with their status flags, the join of the two, the
pension's once-per-ID-number step. Evaluated once per programme, a run of Jiangxi's
three programmes paid for it three times (docs/scale.md, issue #20 §5).

Why a programme's part is what evaluating its own people would give: a lineage leaves
out the people another region's plan pays for (decision 0010), a different set for
each programme, while the one evaluation has everyone the run read. The rules are per
person: the statuses are joined by person, and the one step across rows, once per ID
number, never crosses persons in the registry, where an ID number is one person's
(``registry_person.id_number`` is unique). So a person's columns do not depend on who
else is evaluated, and leaving the left-out people's rows out of the one result gives
the rows of an evaluation without them. For the same reason the rules are compiled for
the registry (``backend.plan(kind="registry")``) without that step: it finds nothing
there, and its pass over the rows took a fifth of the rules' time at 10^7 people.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from doudi.engine import backend
from doudi.plan import contributions, memory
from doudi.plan.programmes import Programme
from doudi.policy.schema import PEOPLE, STATUSES

#: The share of the evaluated people with a row of a programme above which its part is
#: the whole result rather than a filtered copy (docs/scale.md)
MOSTLY = 0.9


@dataclass(frozen=True)
class Evaluation:
    """The rules' output for the programmes evaluated: each one's columns, for the
    people any of them has a row for (``out``), and the year."""

    out: pa.Table
    year: int

    def part(self, programme: Programme, left_out: Collection[int] = ()) -> pa.Table:
        """The programme's columns for the people it has a row for, without the
        ``left_out`` person ids (people another lineage pays for)."""
        out = self.out.select(_columns(programme, self.out.column_names))
        keep = pc.or_kleene(out.column(programme.eligible), out.column(programme.self_when))
        if left_out:
            ids = pa.array(sorted(left_out), pa.int64())
            keep = pc.and_kleene(keep, pc.invert(pc.is_in(out.column("row_no"), value_set=ids)))
        elif (pc.sum(keep).as_py() or 0) >= MOSTLY * out.num_rows:
            # nearly everyone has a row (the pension: 7.3 of 7.5 million): the rows a
            # person without one would give are none anyway (contributions.rows reads
            # only the eligible and ``self_when`` rows), so no copy of them all
            return out
        # a null condition is no row, as in SQL's WHERE
        return out.filter(keep)

    def rows(
        self, programme: Programme, left_out: Collection[int] = (), *, coded: bool = False
    ) -> pa.Table:
        """The programme's contribution rows, one per person and payer (``coded``: the
        payer and clauses as codes into their values, ``contributions.rows``)."""
        with memory.plan_memory():
            part = self.part(programme, left_out)
            return contributions.rows(part, self.year, programme, coded=coded)


def evaluate(
    jurisdiction: str,
    year: int,
    people: pa.Table,
    statuses: pa.Table,
    programmes: Sequence[Programme],
    engine: str = "duckdb",
    spark_master: str = "local[2]",
    *,
    overrides: Mapping[str, Any] | None = None,
    territory: str | None = None,
    extra: Sequence[str] = (),
) -> Evaluation:
    """The rules over the engine's inputs, once for ``programmes``, on DuckDB or Spark.

    A costing (``costing.run``) evaluates the same way, with its reform's parameter
    ``overrides``, another jurisdiction's rules applied to this ``territory``'s people
    (``Params.territory``), and the ``extra`` output columns it groups people by."""
    if engine == "spark":
        from doudi.engine.spark import SparkPlan

        plan = SparkPlan(
            "people", jurisdiction, year, overrides, master=spark_master, territory=territory
        )
        return Evaluation(_kept(plan.run(people, statuses), programmes, extra), year)
    if engine == "duckdb":
        out = rules_on_duckdb(
            jurisdiction, year, people, statuses, programmes, overrides, territory, extra
        )
        return Evaluation(out, year)
    raise ValueError(f"未知的计算引擎 {engine!r}（可用 duckdb、spark） / unknown engine")


def rules_on_duckdb(
    jurisdiction: str,
    year: int,
    people: pa.Table,
    statuses: pa.Table,
    programmes: Sequence[Programme],
    overrides: Mapping[str, Any] | None = None,
    territory: str | None = None,
    extra: Sequence[str] = (),
) -> pa.Table:
    """The compiled rules (``backend.plan``) on DuckDB, only the columns the programmes
    read (and ``extra``), for the people one of them has a row for.

    DuckDB leaves out the rules and columns no programme reads (the civil-affairs
    income, the explanations' reasons): for the pension alone at ten million people
    this was a quarter of the time, and a twelfth of the memory, of all 87 columns.
    """
    compiled = backend.plan(jurisdiction, year, overrides, kind="registry", territory=territory)
    lake = duckdb.connect()
    try:
        # the rows are put in id order afterwards (contributions.rows): DuckDB need not
        # keep the order of its input, which saves 0.4 s at 10^7 people
        lake.execute("SET preserve_insertion_order = false")
        for name, table, schema in (("people", people, PEOPLE), ("statuses", statuses, STATUSES)):
            table = table.cast(schema.to_pyarrow())
            # one record batch per parallel task, as the backend hands them over
            batches = table.to_batches(max_chunksize=backend.ROWS_PER_BATCH)
            lake.register(name, pa.Table.from_batches(batches, schema=table.schema))
        result = lake.sql(compiled.sql)
        columns = _selected(programmes, result.columns, extra)
        return result.filter(kept_where(programmes)).select(*columns).to_arrow_table()
    finally:
        # DuckDB's memory goes back before the contribution rows are made (at 10^7
        # people the peak would otherwise be 1.2 GiB higher)
        lake.close()


def kept_where(programmes: Sequence[Programme]) -> str:
    """Which rows of the rules' output the programmes keep, as SQL (DuckDB's and Spark's
    alike): the people one of them has a row for. A null condition is no row, as in
    SQL's WHERE."""
    return " OR ".join(f"({p.eligible} OR {p.self_when})" for p in programmes)


def _kept(out: pa.Table, programmes: Sequence[Programme], extra: Sequence[str]) -> pa.Table:
    """All of the rules' output (Spark's, every person and column) as DuckDB's
    evaluation keeps it: the people one of the programmes has a row for
    (``kept_where``: a null condition is no row) and the columns of ``_selected``. So
    that an evaluation is the same on both engines, the people it names included: a
    costing's status group is read from the people evaluated (docs/readings.md 50)."""
    keep = None
    for p in programmes:
        mine = pc.or_kleene(out.column(p.eligible), out.column(p.self_when))
        keep = mine if keep is None else pc.or_kleene(keep, mine)
    if keep is not None:
        out = out.filter(pc.fill_null(keep, False))
    return out.select(_selected(programmes, out.column_names, extra))


def _selected(
    programmes: Sequence[Programme], names: Sequence[str], extra: Sequence[str]
) -> list[str]:
    """The output columns an evaluation keeps: the programmes' (``_columns``) and those
    of ``extra`` the rules have, each once."""
    columns = dict.fromkeys(c for p in programmes for c in _columns(p, names))
    columns |= dict.fromkeys(c for c in extra if c in names)
    return list(columns)


def _columns(programme: Programme, names: Sequence[str]) -> list[str]:
    """The output columns a programme's rows are made of: ``Programme.columns`` and
    its payers' parts."""
    funds = (name for name in names if name.startswith(programme.fund_prefix))
    return [*programme.columns, *funds]
