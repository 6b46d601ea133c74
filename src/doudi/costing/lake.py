"""A costing over a lake export (``doudi cost REFORM.yaml --lake URL``, issue #24): the
baseline's rules and the reform's run where the people are, on Spark's executors (or
in this process on DuckDB: the operator's check of a Spark run), over the export's
county files, as the plan on a lake runs them (``plan.lake_evaluation``).

What stays in this process is what a costing reports: each side's rows, read back from
the lake (``results/cost-<region>-<run>/``, this run's own folder, so two costings at
once never share one; removed once read, for the costing writes nothing), the people's
ID numbers, names and hukou regions from the export's people files, and where each
lives from the registry, read in the transaction that checks the export is the
registry's as it stands. From there it is the costing of the registry
(``costing.run.costed``): the same rows, persons and tables, to the fen and the clause.

Why a reform that changes the tier list, or the certificate levels where its programmes
read a certificate, is refused here: the export holds the inputs the baseline's rules
read, made from the registry's rows; such a reform reads those rows otherwise
(``run.reading_changed``), and its inputs would have to be made again from the registry,
which is what ``doudi cost`` without ``--lake`` does (decision 0018 point 12).
"""

from __future__ import annotations

import contextlib
import itertools
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs

from doudi.costing import lineage, person
from doudi.costing.reform import Reform
from doudi.costing.run import (
    GROUP_COLUMNS,
    HELD_COLUMNS,
    Costing,
    CostingError,
    Engine,
    Sides,
    check_engine,
    costed,
    evaluated_again,
    places_in,
    reading_changed,
    region_in,
)
from doudi.engine import arrow_tables
from doudi.lakehouse import partitioned
from doudi.lakehouse.location import LakeError
from doudi.plan import evaluation, inputs, lake_inputs, memory
from doudi.plan.programmes import Programme
from doudi.policy.params import MissingParameter
from doudi.policy.schema import PEOPLE, STATUSES
from doudi.store import db

#: Where a lake's costing runs unless told: where the data is, Spark's executors.
ON_SPARK = Engine("spark")
#: The inputs' columns a reform's reading makes otherwise (``run.reading_changed``):
#: the certificate of the year chosen by the levels the subsidy pays (``plan.records``),
#: the tier held against the tier list (``plan.inputs.tiers_held``).
MADE_OTHERWISE = {
    "levels": ("ue_certificate_level", "ue_certificate_date", "ue_same_level_certificate_date"),
    "tiers": ("rp_tier",),
}
#: What a reform changes of the reading, in the words of the refusal.
CHANGED_READING = {"levels": "技能提升补贴资助的职业技能证书等级", "tiers": "可选的缴费档次"}


def cost_on_lake(
    database: db.Database,
    reform: Reform,
    url: str,
    region: str | None = None,
    progress: Callable[[str], None] = lambda stage: None,
    id_number: str | None = None,
    engine: Engine = ON_SPARK,
) -> Costing:
    """The reform costed on the people of ``region`` (by default the baseline's
    jurisdiction) in the lake export at ``url``, the rules evaluated by ``engine``
    over its files: a Chinese :class:`CostingError` if it cannot be (an export of
    another jurisdiction or year, one the registry has moved on from, a reform that
    reads the registry otherwise, Spark failing); nothing is left in the lake."""
    check_engine(engine)
    region = region_in(reform, region)
    changed = read_otherwise(reform)
    if changed is not None:
        raise CostingError(
            f"测算方案改变了{CHANGED_READING[changed]}，须按其规则从登记库重新读取人员，"
            "不能在数据湖导出上测算；请不带 --lake 测算 / the reform reads the registry "
            "otherwise than the export's inputs"
        )
    progress("读取数据湖清单与登记库 / reading the lake's manifest and the registry")
    with database.reading() as con:
        try:
            found = lake_inputs.open_export(con, url, reform.jurisdiction.code, reform.year, region)
        except LakeError as exc:
            raise CostingError(str(exc)) from None
        places = places_in(db.InTransaction(con, database), region)
    return cost_export(found, places, reform, region, progress, id_number, engine)


def read_otherwise(reform: Reform) -> str | None:
    """What of the registry's reading (``run.reading_changed``) the reform changes in
    an input column its evaluation reads — the columns of the programmes it evaluates
    again (``run.evaluated_again``) and of the status group — proved from its rules
    (``costing.lineage``); None when the export's inputs are its own. Chongqing's rules
    on Jiangxi's people pay no skill-upgrade subsidy, so they choose no certificate by
    its levels, but neither of their programmes reads a certificate."""
    changed = reading_changed(reform)
    if changed is None:
        return None
    made = {("people", column) for column in MADE_OTHERWISE[changed]}
    prefixes = tuple(p.prefix for p in evaluated_again(reform))
    theirs = lineage.columns(reform.rules, reform.year, reform.overrides, reform.territory)
    for name, column in theirs.items():
        if (name in GROUP_COLUMNS or name.startswith(prefixes)) and column.reads & made:
            return changed
    return None


@memory.plan_memory()
def cost_export(
    found: lake_inputs.FromLake,
    places: pa.Table,
    reform: Reform,
    region: str,
    progress: Callable[[str], None] = lambda stage: None,
    id_number: str | None = None,
    engine: Engine = ON_SPARK,
) -> Costing:
    """:func:`cost_on_lake` once the export is found (``found``, of ``region``) and the
    people's ``places`` read: both sides evaluated on ``engine`` into this run's own
    folder of the lake, read back, and the folder removed whatever happens."""
    held = _held(found)
    people = Sides(held, held)
    run = f"{lake_inputs.RESULTS}/cost-{region}-{uuid.uuid4().hex[:12]}"
    sides = itertools.count(1)

    def evaluated(
        side: inputs.Inputs, programmes: Sequence[Programme], **rules: Any
    ) -> evaluation.Evaluation | None:
        # ``side`` is the people this process holds; the rules read the export's files
        if not programmes:
            return None
        return _on_lake(found, programmes, engine, f"{run}/side-{next(sides)}", **rules)

    def explained(person_id: int) -> person.Person:
        one = _one(found, person_id)
        return person.person(reform, person_id, one, one)

    try:
        return costed(reform, region, people, places, evaluated, explained, progress, id_number)
    finally:
        _remove(found, run)


def _on_lake(
    found: lake_inputs.FromLake,
    programmes: Sequence[Programme],
    engine: Engine,
    results: str,
    *,
    jurisdiction: str,
    year: int,
    **rules: Any,
) -> evaluation.Evaluation:
    """One side's rules over the export's files, its rows in ``results``: a Chinese
    :class:`CostingError` for a year without their parameters or a lake or Spark that
    failed."""
    try:
        return found.evaluate(
            jurisdiction,
            year,
            programmes,
            engine.name,
            engine.master,
            results,
            extra=GROUP_COLUMNS,
            **rules,
        )
    except MissingParameter as exc:
        raise CostingError(f"{exc}；{year}年无法测算 / no parameters in force") from exc
    except LakeError as exc:
        raise CostingError(str(exc)) from None


def _read(
    found: lake_inputs.FromLake,
    table: str,
    columns: Sequence[str],
    where: ds.Expression | None = None,
) -> pa.Table:
    """The region's rows ``where`` keeps of a table of the export, its ``columns``: a
    Chinese :class:`CostingError` if a file the manifest names is gone."""
    try:
        return partitioned.read(found.location, table, found.files(table), columns, where)
    except OSError as exc:
        raise CostingError(f"无法读取数据湖 {found.location.url}：{exc} / unreadable") from None


def _held(found: lake_inputs.FromLake) -> inputs.Inputs:
    """The export's people of the region as a costing holds them once the rules have
    run elsewhere (``HELD_COLUMNS``, in id order as the registry's reading has them),
    and who had their tier ignored; no status periods (the rules read the files)."""
    schema = PEOPLE.to_pyarrow()
    wanted = pa.schema([schema.field(c) for c in HELD_COLUMNS])
    people = _read(found, "people", HELD_COLUMNS)
    ignored = _read(found, "tiers_ignored", ["row_no"])
    statuses = arrow_tables.empty_table(STATUSES.to_pyarrow())
    return inputs.Inputs(
        people.cast(wanted).sort_by("row_no"),
        statuses,
        ignored.column("row_no").combine_chunks().cast(pa.int64()),
    )


def _one(found: lake_inputs.FromLake, person_id: int) -> inputs.Inputs:
    """One person's inputs, read from the export's files (their explanation is worked
    out in this process, as the registry's costing works it out)."""
    mine = ds.field("row_no") == person_id
    people, statuses = PEOPLE.to_pyarrow(), STATUSES.to_pyarrow()
    return inputs.Inputs(
        _read(found, "people", people.names, mine).cast(people),
        _read(found, "statuses", statuses.names, mine).cast(statuses),
        pa.array([], pa.int64()),
    )


def _remove(found: lake_inputs.FromLake, run: str) -> None:
    """This run's folder of results, removed: the costing's output is its report."""
    location = found.location
    # a lake gone midway: what the costing found (or why it failed, already said) is
    # what its user needs; a folder left behind is this run's alone, read by nobody
    with contextlib.suppress(OSError):
        if location.fs.get_file_info(location.path(run)).type == pafs.FileType.Directory:
            location.fs.delete_dir(location.path(run))
