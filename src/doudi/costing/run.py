"""A costing run: the baseline and the reform over a region's registered population.

The people are read as the plan reads them (``plan.inputs``: the one reading of a
person) and the rules evaluated as the plan evaluates them (``plan.evaluation``, the
compiled rules on DuckDB), once with the baseline's rules and once with the reform's:
so the baseline's amounts are, person by person, those a plan of the region would
write, and the reform's those the same plan would write had the reform been in force.
Nothing is written: the registry is read in one read-only transaction (no writer lock,
no plan version, no snapshot file), and everything else happens in memory.

Why the inputs may be made twice: the registry's tiers are held against the tier list
of the rules that read them (docs/readings.md 31), and the certificates against the
levels the subsidy pays; a reform that changes either (a higher minimum tier, another
jurisdiction's list) reads the same registry rows as its own rules would. The rows are
read once; a reform of the tier list alone has its tier facts made again over the
baseline's inputs (``inputs.tiers_held``), one of the certificate levels its inputs
made again whole.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import regions
from doudi.costing import lineage, notes, person, rows, tables
from doudi.costing.person import Person
from doudi.costing.reform import Reform
from doudi.plan import evaluation, inputs, lake_inputs, memory, records
from doudi.plan.programmes import ALL, Programme
from doudi.policy import tiers
from doudi.policy.params import MissingParameter, Params
from doudi.store import db

#: The rules' output columns a person's status group is read from (costing.rows).
GROUP_COLUMNS = ("rp_category", "rm_category")
#: The registry's person columns a costing reads beside the inputs: where each lives.
PLACE_COLUMNS = ("id", "township", "village")
#: The inputs' person columns a costing keeps for its rows once the rules have run.
HELD_COLUMNS = ("row_no", "id_number", "name", "hukou_region")


class CostingError(ValueError):
    """The costing cannot be run (str() is Chinese first); nothing was written."""


@dataclass(frozen=True)
class Engine:
    """Where the rules are evaluated: DuckDB in this process (the default), or Spark at
    ``master`` (``doudi cost --engine spark``), the same compiled rules as the plan's."""

    name: str = "duckdb"
    master: str = "local[2]"


ENGINES = ("duckdb", "spark")


@dataclass(frozen=True)
class Costing:
    """What a costing found (the tables are ``costing.tables``'s, the rows
    ``costing.rows``'s)."""

    reform: Reform
    region: str
    region_name: str
    people: int  # the registered people of the region, everyone costed
    programmes: tuple[Programme, ...]  # the programmes reported, in plan.programmes' order
    #: per person id, programme and payer: both amounts and both clause lists
    amounts: pa.Table
    persons: pa.Table  # per person: place, status group, paid and owed each side, changes
    by_payer: pa.Table
    by_region: pa.Table
    by_group: pa.Table
    distribution: pa.Table
    notes: tuple[str, ...]  # warnings: local-config values, ignored tiers, missing rules
    person: Person | None = None  # the person asked about, both sides explained

    @cached_property
    def rows(self) -> pa.Table:
        """Every row of ``amounts`` with its person's ID number, name, place and status
        group, in place and ID-number order (``rows.detail``): made when first asked
        for, as a whole (a province's workbook asks for the changed rows only)."""
        return rows.detail(self.amounts, self.persons, self.programmes)

    def person_rows(self, person_id: int) -> pa.Table:
        """One person's rows as ``rows`` has them."""
        mine = self.amounts.filter(pc.equal(self.amounts.column("person_id"), person_id))
        return rows.detail(mine, self.persons, self.programmes)

    def counts(self, column: str = "change") -> tuple[int, int, int]:
        """How many people gain, lose, and are unchanged (``change``, what others pay
        for them over every programme, above, below or at 0.00: ``costing.rows``); of
        ``owed_change``, how many owe more, less, the same."""
        change = self.persons.column(column)
        zero = pa.scalar(0, change.type)
        gain = int(pc.sum(pc.greater(change, zero)).as_py() or 0)
        lose = int(pc.sum(pc.less(change, zero)).as_py() or 0)
        return gain, lose, self.people - gain - lose


def cost(
    database: db.Database,
    reform: Reform,
    region: str | None = None,
    progress: Callable[[str], None] = lambda stage: None,
    id_number: str | None = None,
    engine: Engine = Engine(),
) -> Costing:
    """The reform costed on the registered people of ``region`` (by default the
    baseline's jurisdiction), and the person with ``id_number`` explained on both
    sides, the rules evaluated on ``engine``: :class:`CostingError` (Chinese) if it
    cannot be."""
    check_engine(engine)
    region = region_in(reform, region)
    progress("读取登记库 / reading the registry")
    # one read-only transaction: the inputs and the people's places are one picture,
    # and no writer lock is held, so an import is never kept waiting by a costing
    with database.reading() as con:
        reading = db.InTransaction(con, database)
        read = inputs.registry_tables(reading, region, reform.year)
        places = places_in(reading, region)
    return cost_tables(read, places, reform, region, progress, id_number, engine)


def places_in(reading: db.Reader, region: str) -> pa.Table:
    """The registry's people of ``region`` (by hukou), where each lives (``PLACE_COLUMNS``)."""
    return reading.read(
        "registry_person",
        "WHERE hukou_region LIKE ?",
        (regions.hukou_prefix(region) + "%",),
        columns=PLACE_COLUMNS,
    )


@memory.plan_memory()
def cost_tables(
    read: dict[str, pa.Table],
    places: pa.Table,
    reform: Reform,
    region: str,
    progress: Callable[[str], None] = lambda stage: None,
    id_number: str | None = None,
    engine: Engine = Engine(),
) -> Costing:
    """:func:`cost` below the database read: the registry tables ``read`` as
    ``inputs.registry_tables`` reads them (emptied once the inputs are made, as
    ``engine_inputs`` lets them go) and the people's ``places`` (``PLACE_COLUMNS``),
    for a ``region`` :func:`region_in` has checked. The one path of a costing, also
    what the benchmark times on a synthetic province held as Arrow tables (as the
    plan's is ``inputs.inputs_from_tables``), with no registry of 10^7 rows to read.

    In the plan's memory (``plan.memory``): the join and the persons table write
    gigabytes of fresh memory at 10^7 people, which in huge pages cost three times as
    much as the writing itself (docs/scale.md)."""
    year, code = reform.year, reform.jurisdiction.code
    reform_params = reform.reform_params()
    try:
        base = inputs.inputs_from_tables(read, code, year, region)
        changed = base
        reading = reading_changed(reform)
        if reading == "levels":
            changed = _sharing(
                base, inputs.inputs_from_tables(read, code, year, region, reform_params)
            )
        elif reading == "tiers":
            # the tiers alone: made again over the baseline's inputs, not read again
            changed = inputs.tiers_held(base, read["registry_enrollment"], year, reform_params)
    finally:
        read.clear()
        inputs.release_unused()
    sides = Sides(base, changed)
    del base, changed  # held by ``sides`` alone, which lets them go before the join

    def explained(person_id: int) -> Person:
        return person.person(reform, person_id, sides.base, sides.changed)

    def evaluated(side: inputs.Inputs, programmes: Sequence[Programme], **rules: Any) -> Any:
        return _evaluate(engine, side, programmes, **rules)

    return costed(reform, region, sides, places, evaluated, explained, progress, id_number)


@dataclass
class Sides:
    """The people costed, as each side's rules read them: the baseline's inputs and the
    reform's (the same object where the reform reads them alike). Mutable so that
    :func:`costed` can let them go once both sides are evaluated: at 10^7 people they
    are gigabytes the join of the rows needs."""

    base: inputs.Inputs
    changed: inputs.Inputs

    def release(self) -> None:
        """Both sides emptied (new empty tables: a slice would keep the buffers)."""
        people, statuses = self.base.people.schema, self.base.statuses.schema
        empty = inputs.Inputs(
            people.empty_table(), statuses.empty_table(), pa.array([], pa.int64())
        )
        self.base = self.changed = empty


class Evaluate(Protocol):
    """How one side's rules are evaluated for ``programmes``: on its inputs ``side`` in
    this process or on Spark (:func:`cost_tables`), or over a lake export's files
    (``costing.lake``); None for no programmes. ``rules``: the jurisdiction and year
    of the rules, and a reform's ``overrides`` and ``territory``."""

    def __call__(
        self, side: inputs.Inputs, programmes: Sequence[Programme], **rules: Any
    ) -> evaluation.Evaluation | None: ...


def costed(
    reform: Reform,
    region: str,
    sides: Sides,
    places: pa.Table,
    evaluate: Evaluate,
    explained: Callable[[int], Person],
    progress: Callable[[str], None] = lambda stage: None,
    id_number: str | None = None,
) -> Costing:
    """The costing of the people ``sides`` holds (their ``people`` need only the
    columns of ``HELD_COLUMNS`` where ``evaluate`` does not read them), each side
    evaluated by ``evaluate``, the person with ``id_number`` explained by
    ``explained``: what :func:`cost_tables` and a lake's costing share once the people
    are read."""
    year = reform.year
    base, changed = sides.base, sides.changed
    if not base.people.num_rows:
        raise CostingError(
            f"登记库中没有户籍在 {region} 的人员，请先导入名单 / no people of the region"
        )
    asked = None
    if id_number is not None:
        asked = person.find(base, id_number)
        if asked is None:
            raise CostingError(
                f"登记库中户籍在 {region} 的人员里没有公民身份号码为 {id_number} 的人"
                " / no such person in the region"
            )
    reported = _reported(reform)
    in_reform = evaluated_again(reform)
    unchanged = _unchanged(reform, base, changed, in_reform)
    explanation = None if asked is None else explained(asked)
    progress(f"按基准规则计算（{reform.jurisdiction.name}） / evaluating the baseline")
    mine = [p for p in reported if p.applies(reform.jurisdiction.document)]
    before = evaluate(base, mine, jurisdiction=reform.jurisdiction.code, year=year)
    progress(f"按测算方案计算（{reform.rules.name}） / evaluating the reform")
    # the baseline's contribution rows made on a second thread while DuckDB evaluates
    # the reform: they are mostly one core's NumPy work, the evaluation two cores' with
    # waits between its pipelines (at 10^7 people 2–4 s of rows, docs/scale.md)
    with ThreadPoolExecutor(max_workers=1) as pool:
        made = {} if before is None else {p: pool.submit(before.rows, p, coded=True) for p in mine}
        after = evaluate(
            changed,
            [p for p in in_reform if p not in unchanged],
            jurisdiction=reform.rules.code,
            year=year,
            overrides=reform.overrides,
            territory=reform.territory,
        )
        base_rows = {p: job.result() for p, job in made.items()}
    people, ignored = base.people.num_rows, (base.tiers_ignored, changed.tiers_ignored)
    held = base.people.select(list(HELD_COLUMNS))
    del base, changed
    sides.release()  # the inputs' memory goes before the join
    progress("汇总 / summing up")
    found = rows.combine(
        reform,
        reported,
        base_rows,
        before,
        after,
        in_reform,
        held,
        places,
        GROUP_COLUMNS,
        unchanged=unchanged,
    )
    del before, after, base_rows
    # the four tables two at a time: each is a DuckDB query or NumPy over ten million
    # rows at 10^7 people, partly on one core
    with ThreadPoolExecutor(max_workers=2) as pool:
        by_payer = pool.submit(tables.by_payer, found.rows, reported)
        by_region = pool.submit(tables.by_region, found, region, reported)
        by_group = pool.submit(tables.by_group, found, reported)
        distribution = pool.submit(tables.distribution, found.persons)
    return Costing(
        reform=reform,
        region=region,
        region_name=regions.region_name(region) or region,
        people=people,
        programmes=tuple(reported),
        amounts=found.rows,
        persons=found.persons,
        by_payer=by_payer.result(),
        by_region=by_region.result(),
        by_group=by_group.result(),
        distribution=distribution.result(),
        notes=tuple(notes.warnings(reform, reported, in_reform, *ignored)),
        person=explanation,
    )


def reading_changed(reform: Reform) -> str | None:
    """What of the registry's reading the reform's rules read otherwise than the
    baseline's: "levels" (the certificate levels the subsidy pays: the inputs are made
    again whole), "tiers" (the tier list alone: the tier facts are made again), or None
    (the baseline's inputs are the reform's)."""
    base_params, reform_params = Params(reform.jurisdiction, reform.year), reform.reform_params()
    if records.covered_levels(reform_params) != records.covered_levels(base_params):
        return "levels"
    if tiers.offered(reform_params) != tiers.offered(base_params):
        return "tiers"
    return None


def check_engine(engine: Engine) -> None:
    """A Chinese :class:`CostingError` for an engine there is none of."""
    if engine.name not in ENGINES:
        raise CostingError(
            f"未知的计算引擎 {engine.name}（可用 {'、'.join(ENGINES)}） / unknown engine"
        )


def region_in(reform: Reform, region: str | None) -> str:
    """The region costed (the baseline jurisdiction's own by default): a known region
    code within the baseline's jurisdiction, else a Chinese error."""
    place = reform.jurisdiction
    region = str(region or place.code)
    known = region.isdigit() and len(region) == 6 and regions.get(region) is not None
    if not known or not regions.hukou_prefix(region).startswith(place.hukou_prefix):
        raise CostingError(
            f"区划 {region} 不是{place.name}（{place.code}）内的区划代码，不能按其基准测算"
            " / region outside the baseline's jurisdiction"
        )
    return region


def _unchanged(
    reform: Reform, base: inputs.Inputs, changed: inputs.Inputs, in_reform: Sequence[Programme]
) -> list[Programme]:
    """The programmes of ``in_reform`` whose rows the reform provably leaves as they
    are (``costing.lineage``: every column they are made of the baseline's, on inputs
    holding the same values): not evaluated again, their baseline rows both sides'.
    None when the status group's columns could change: the reform's evaluation would
    then have to find them for the people of every programme."""
    if not in_reform:
        return []
    mine = lineage.columns(reform.jurisdiction, reform.year)
    theirs = lineage.columns(reform.rules, reform.year, reform.overrides, reform.territory)
    held = {"people": base.people, "statuses": base.statuses}
    other = {"people": changed.people, "statuses": changed.statuses}
    if not lineage.same(GROUP_COLUMNS, mine, theirs, held, other):
        return []
    found = []
    for p in in_reform:
        made_of = {c for c in (*mine, *theirs) if c in p.columns or c.startswith(p.fund_prefix)}
        applies = p.applies(reform.jurisdiction.document)
        if applies and lineage.same(sorted(made_of), mine, theirs, held, other):
            found.append(p)
    return found


def _sharing(base: inputs.Inputs, changed: inputs.Inputs) -> inputs.Inputs:
    """The reform's inputs holding the baseline's columns wherever their values are the
    same: one copy of the people in memory, not two (the reform's reading differs in
    the tiers and certificates only), and the same column object on both sides, which
    ``costing.lineage`` compares at no cost."""
    if base.people.schema != changed.people.schema:
        return changed
    people = pa.table(
        [
            mine if mine.equals(theirs) else theirs
            for mine, theirs in zip(base.people.columns, changed.people.columns, strict=True)
        ],
        schema=changed.people.schema,
    )
    statuses = base.statuses if base.statuses.equals(changed.statuses) else changed.statuses
    return inputs.Inputs(people, statuses, changed.tiers_ignored)


def evaluated_again(reform: Reform) -> list[Programme]:
    """The programmes the reform changes that its rules have: the reform's side of the
    others is the baseline's, or nothing (``rows.combine``)."""
    return [p for p in reform.scope if p.applies(reform.rules.document)]


def _reported(reform: Reform) -> list[Programme]:
    """The programmes a costing reports, in plan.programmes' order: the baseline's
    document's, and those of the reform's rules the changes apply to."""
    base = reform.jurisdiction.document
    return [
        p
        for p in ALL.values()
        if p.applies(base) or (p in reform.scope and p.applies(reform.rules.document))
    ]


def _evaluate(
    engine: Engine,
    side: inputs.Inputs,
    programmes: Sequence[Programme],
    *,
    jurisdiction: str,
    year: int,
    overrides: Mapping[str, Any] | None = None,
    territory: str | None = None,
) -> evaluation.Evaluation | None:
    """The plan's evaluation of ``programmes`` (None for none) over the inputs ``side``
    on ``engine``, or a Chinese error for a year without their parameters or a Spark
    that failed."""
    if not programmes:
        return None
    try:
        return evaluation.evaluate(
            jurisdiction,
            year,
            side.people,
            side.statuses,
            programmes,
            engine.name,
            engine.master,
            overrides=overrides,
            territory=territory,
            extra=GROUP_COLUMNS,
        )
    except MissingParameter as exc:
        raise CostingError(f"{exc}；{year}年无法测算 / no parameters in force") from exc
    except Exception as exc:
        if engine.name != "spark":
            raise
        # Spark's own failure (no master there, a job lost): its first line beside ours
        why = lake_inputs.spark_reason(exc)
        raise CostingError(f"Spark（{engine.master}）未能完成测算：{why} / Spark failed") from exc
