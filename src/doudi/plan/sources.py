"""Where a plan run's inputs come from: the registry, read in the run's transaction, or
a lake export's files, which Spark's executors read themselves (issue #24, decision 0018).

Both give ``plan.versions`` the same two things: what a programme's version is made of
before the rules run (``keep``: how many people it plans, who another lineage pays for,
how many had their tier ignored, the frozen inputs that name it) and the rules'
evaluation (``evaluate``). The registry's frozen inputs are the inputs themselves as
Parquet (``plan.snapshot``); a lake's are the record of the files read
(``plan.lake_inputs``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from doudi.lakehouse.location import LakeError
from doudi.plan import evaluation, inputs, lake_inputs, lineage, snapshot
from doudi.plan.outcome import LeftOut, PlanError
from doudi.plan.programmes import Programme
from doudi.store import db


def open_source(
    con: Any,
    database: db.Database,
    lake: str | None,
    jurisdiction: str,
    year: int,
    region: str,
    progress: Callable[[str], None],
) -> Source:
    """The region's inputs: read from the registry, or the partitions of the lake
    export at ``lake``; a Chinese :class:`PlanError` if there is nobody to plan."""
    if lake is None:
        progress("读取登记库 / reading the registry")
        return FromRegistry(_read(database, jurisdiction, year, region))
    progress("读取数据湖清单 / reading the lake's manifest")
    return _from_lake(con, lake, jurisdiction, year, region)


class FromRegistry:
    """The region's inputs read from the registry in the run's transaction."""

    def __init__(self, read: inputs.Inputs):
        self.read = read

    @cached_property
    def _everyone(self) -> tuple[bytes, str]:
        """The snapshot of everyone read: that of each programme that leaves nobody out."""
        return snapshot.snapshot(self.read.people, self.read.statuses)

    def keep(
        self,
        con: Any,
        database: db.Database,
        elsewhere: pa.Table,
        others: list[lineage.Version],
        count_tiers: bool,
    ) -> snapshot.Frozen:
        people, statuses, left_out = _leave_out(
            self.read.people, self.read.statuses, elsewhere, others
        )
        ignored = 0
        if count_tiers:
            # of the people this plan plans, those whose tier was ignored (plan.inputs)
            found = pc.is_in(people.column("row_no"), value_set=self.read.tiers_ignored)
            ignored = int(pc.sum(found).as_py() or 0)  # a sum of nothing is null
        blob, checksum = snapshot.snapshot(people, statuses) if left_out else self._everyone
        return snapshot.Frozen(people.num_rows, left_out, ignored, blob, checksum, ".parquet")

    def evaluate(
        self,
        jurisdiction: str,
        year: int,
        programmes: Sequence[Programme],
        engine: str,
        spark_master: str,
    ) -> evaluation.Evaluation:
        people, statuses = self.read
        return evaluation.evaluate(
            jurisdiction, year, people, statuses, programmes, engine, spark_master
        )


def _from_lake(
    con: Any, url: str, jurisdiction: str, year: int, region: str
) -> lake_inputs.FromLake:
    """The region's partitions of the lake export at ``url``, checked against the
    registry in the run's transaction (``lake_inputs.open_export``)."""
    try:
        found = lake_inputs.open_export(con, url, jurisdiction, year, region)
    except LakeError as exc:
        raise PlanError(str(exc)) from None
    if not found.manifest.rows("people", list(found.keys)):
        raise PlanError(
            f"数据湖导出中没有户籍在 {region} 的人员，请先导入名单并重新导出 / "
            "no people of the region in the lake export"
        )
    return found


def _read(database: db.Database, jurisdiction: str, year: int, region: str) -> inputs.Inputs:
    """The engine's inputs of the region, read once the writer lock is held (decision
    0011): no import commits between the inputs read and the versions written."""
    read = inputs.engine_inputs(database, jurisdiction, year, region)
    if not read.people.num_rows:
        raise PlanError(
            f"登记库中没有户籍在 {region} 的人员，请先导入名单 / "
            "no people of this jurisdiction in the registry"
        )
    return read


def _leave_out(
    people: pa.Table,
    statuses: pa.Table,
    elsewhere: pa.Table,
    others: list[lineage.Version],
) -> tuple[pa.Table, pa.Table, tuple[LeftOut, ...]]:
    """The engine's inputs without the people another lineage pays for, and who they
    are. They are left out of the inputs, not only of the rows, so the snapshot's
    checksum changes when the other lineage stops paying for them and the plan run
    again then plans them (instead of reusing this version)."""
    if not elsewhere.num_rows:
        return people, statuses, ()
    plan_of = lineage.paid_by(elsewhere, others)
    ids = pa.array(sorted(plan_of), pa.int64())
    gone = pc.is_in(people.column("row_no"), value_set=ids)
    left = people.filter(gone).select(["row_no", "id_number", "name"]).to_pylist()
    left_out = tuple(
        LeftOut(r["row_no"], r["id_number"], r["name"], plan_of[r["row_no"]])
        for r in sorted(left, key=lambda r: (plan_of[r["row_no"]], r["id_number"]))
    )
    their_statuses = pc.is_in(statuses.column("row_no"), value_set=ids)
    return people.filter(pc.invert(gone)), statuses.filter(pc.invert(their_statuses)), left_out


#: The region's inputs as a run has them.
Source = FromRegistry | lake_inputs.FromLake
