"""The plan's inputs from a lake export (``doudi plan --engine spark --lake``, issue #24).

What ``plan.versions`` needs of the region's inputs (``plan.sources``) before the rules
run — how many people it plans, who another lineage pays for, how many had their tier
ignored, and the frozen record naming the inputs — taken from the export's manifest
and the registry, without the people passing through this process: Spark's executors
read the files (``plan.evaluation.on_lake``).

An export is used only as the registry stands (its last import batch is the
registry's, checked in the run's transaction, which holds the writer lock): a version
written from it is the plan of the registry at that moment, as a plan read from the
registry is. A region inside the export's is planned from its counties' partitions
(a province's export serves its counties' plans); the jurisdiction and year must be
the export's, whose facts were read for them.

A version's frozen inputs are then a record of the export's files it read, each with
its SHA-256, and the people it left out (``registry_plan_version.inputs_path``: a JSON
file beside the Parquet snapshots): the files themselves stay in the lake, replaced by
a later export of a changed county.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from doudi.core import regions
from doudi.lakehouse import layout
from doudi.lakehouse import manifest as manifests
from doudi.lakehouse.location import LakeError, Location, locate
from doudi.plan import evaluation, lake, lake_evaluation, lineage, snapshot
from doudi.plan.outcome import LeftOut
from doudi.plan.programmes import Programme
from doudi.store import db

#: Where in the lake a plan run writes the rules' results (``results/plan-<region>``).
RESULTS = "results"
#: Person ids per registry read of the people left out (bound values per statement).
IDS_PER_READ = 500


@dataclass(frozen=True)
class FromLake:
    """A region's inputs in a lake export: the export, and its partitions of the region."""

    location: Location
    manifest: manifests.Manifest
    region: str
    keys: tuple[str, ...]

    def files(self, table: str) -> list[str]:
        return [self.manifest.parts[k][table].file for k in self.keys]

    def keep(
        self,
        con: Any,
        database: db.Database,
        elsewhere: pa.Table,
        others: list[lineage.Version],
        count_tiers: bool,
    ) -> snapshot.Frozen:
        """The region's people but those another lineage pays for (``elsewhere``), and
        the record of the files read. The people left out are named from the registry,
        which the export is of."""
        plan_of = lineage.paid_by(elsewhere, others)
        left = _named(con, database, sorted(plan_of))
        left_out = tuple(
            LeftOut(r["id"], r["id_number"], r["name"], plan_of[r["id"]])
            for r in sorted(left, key=lambda r: (plan_of[r["id"]], r["id_number"]))
        )
        people = self.manifest.rows("people", list(self.keys)) - len(left_out)
        ignored = self._tiers_ignored(sorted(plan_of)) if count_tiers else 0
        record = {
            "lake": self.location.url,
            "export": self.manifest.checksum,
            "jurisdiction": self.manifest.jurisdiction,
            "year": self.manifest.year,
            "region": self.region,
            "files": [
                {"file": part.file, "sha256": part.sha256}
                for k in self.keys
                for _, part in sorted(self.manifest.parts[k].items())
            ],
            "left_out": sorted(plan_of),
        }
        blob = json.dumps(record, ensure_ascii=False, indent=1).encode() + b"\n"
        return snapshot.Frozen(
            people, left_out, ignored, blob, hashlib.sha256(blob).hexdigest(), ".json"
        )

    def _tiers_ignored(self, left_out: list[int]) -> int:
        """Of the people planned, those whose tier was ignored (a few ids per county)."""
        try:
            ids = ds.dataset(
                [self.location.path(f) for f in self.files("tiers_ignored")],
                filesystem=self.location.fs,
                format="parquet",
            ).to_table(columns=["row_no"])
        except OSError as exc:  # a file the manifest names is gone
            raise LakeError(f"无法读取数据湖 {self.location.url}：{exc} / unreadable") from None
        gone = pc.is_in(ids.column("row_no"), value_set=pa.array(left_out, pa.int64()))
        return int(ids.num_rows) - int(pc.sum(gone).as_py() or 0)

    def evaluate(
        self,
        jurisdiction: str,
        year: int,
        programmes: Sequence[Programme],
        engine: str,
        spark_master: str,
        results: str | None = None,
        **rules: Any,
    ) -> evaluation.Evaluation:
        """The rules on ``engine`` ("spark", or "duckdb": the operator's check of a Spark
        run) over the region's files (``plan.lake_evaluation``), written to ``results``
        in the lake (the plan's by default; a costing's ``rules`` and folder are its
        own); a Chinese :class:`LakeError` if Spark fails (a master it cannot reach, a
        file gone), its own first line of why beside it, or a file cannot be read."""
        failures: tuple[type[Exception], ...] = (OSError,)  # a file gone, a lake full
        if engine == "spark":
            from py4j.protocol import Py4JError
            from pyspark.errors import PySparkException

            failures += (PySparkException, Py4JError)
        try:
            return lake_evaluation.on_lake(
                jurisdiction,
                year,
                self.location,
                {table: self.files(table) for table in ("people", "statuses")},
                results or f"{RESULTS}/plan-{self.region}",
                programmes,
                engine,
                spark_master,
                **rules,
            )
        except failures as exc:
            if engine == "spark":
                raise spark_failure(exc, spark_master, self.location.url) from None
            raise LakeError(
                f"无法读取或写入数据湖 {self.location.url}：{exc} / the lake failed"
            ) from None


def spark_failure(exc: Exception, master: str, url: str) -> LakeError:
    """Spark's failure on a lake (a master it cannot reach, a file gone) in Chinese,
    its own first line of why beside it."""
    why = spark_reason(exc)
    return LakeError(f"Spark（{master}）未能读取数据湖 {url} 或完成计算：{why} / Spark failed")


def spark_reason(exc: Exception) -> str:
    """The first line of why Spark failed: a Java exception says what failed on its
    first line; py4j's own is a preamble."""
    text = str(getattr(exc, "java_exception", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def exported(url: str) -> tuple[Location, manifests.Manifest]:
    """The lake at ``url`` and its export's manifest: a Chinese :class:`LakeError` if
    it holds none or cannot be read."""
    location = locate(url)
    try:
        found = manifests.load(location)
    except OSError as exc:
        raise LakeError(f"无法读取数据湖 {url} 的清单：{exc} / unreadable manifest") from None
    if found is None:
        raise LakeError(
            f"{url} 中没有数据湖导出（缺少 {manifests.MANIFEST}），请先运行 doudi lake export"
            " / no lake export there"
        )
    return location, found


def open_export(con: Any, url: str, jurisdiction: str, year: int, region: str) -> FromLake:
    """The lake export at ``url`` as the inputs of ``region``'s plan for
    ``jurisdiction`` and ``year``: a Chinese :class:`LakeError` if it holds no export,
    one of another jurisdiction or year, of a region not containing ``region``, or one
    the registry has moved on from."""
    location, found = exported(url)
    if (found.jurisdiction, found.year) != (jurisdiction, year):
        raise LakeError(
            f"{url} 是统筹地区 {found.jurisdiction} {found.year}年的导出，不能用于统筹地区 "
            f"{jurisdiction} {year}年的计划 / the export is of another jurisdiction or year"
        )
    prefix = regions.hukou_prefix(region)
    if not prefix.startswith(regions.hukou_prefix(found.region)):
        raise LakeError(
            f"{url} 是区划 {found.region} 的导出，不包含区划 {region} / the export does "
            "not contain the region"
        )
    position = lake.registry_position(con)
    if position != found.registry_batch:
        raise LakeError(
            f"数据湖导出（{found.exported_at}，截至导入批次 {found.registry_batch}）之后登记库"
            f"已有新的导入（批次 {position}），请先重新导出：doudi lake export --region "
            f"{found.region} --year {year} --to {url} / the registry changed since the export"
        )
    keys = tuple(k for k in sorted(found.parts) if layout.county_of(k).startswith(prefix))
    return FromLake(location, found, region, keys)


def _named(con: Any, database: db.Database, ids: list[int]) -> list[dict[str, Any]]:
    """The registry's id, ID number and name of the people ``ids`` (a few)."""
    rows: list[dict[str, Any]] = []
    for start in range(0, len(ids), IDS_PER_READ):
        chunk = ids[start : start + IDS_PER_READ]
        found = db.read(
            con,
            database,
            "registry_person",
            f"WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk,
            columns=("id", "id_number", "name"),
        )
        rows += found.to_pylist()
    return rows
