"""Plan versions: the year's plans computed from the registry and frozen.

``run_plans`` reads the people of a region once (``plan.inputs``, the one reading of a
person), evaluates the policy rules unchanged (engine.backend, or Spark) once for
every programme (``plan.evaluation``; ``plan.programmes``: the pension's government
part, the medical subsidy, unemployment) and stores each as a numbered, frozen plan
version: one ``registry_contribution`` row per person and payer (``self`` = what the
person still owes) with the clauses that decided it. Versions are numbered per
jurisdiction, region, year and programme (a lineage, ``plan.lineage``, decision 0012);
a plan of a region nested in another lineage's of the year and programme is refused,
and people another lineage already pays for are left out (decision 0010). The engine's
inputs are kept as Parquet named by their SHA-256 (``plan.snapshot``; one file for
every programme that leaves nobody out), so a version can be recomputed and compared
with a later one; running again on the same inputs returns the existing version
instead of writing a duplicate, so an unchanged programme keeps its version when
another changes. Everything is written in one transaction.

Where the inputs come from — the registry, or a lake export whose files Spark's
executors read (issue #24) — is ``plan.sources``; comparing two versions is
``plan.version_diff``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from doudi.core import regions
from doudi.lakehouse.location import LakeError
from doudi.plan import contributions, deadlines, evaluation, lineage, snapshot, sources
from doudi.plan.outcome import LeftOut, PlanResult, PlanRun
from doudi.plan.outcome import PlanError as PlanError  # what a run raises, named here
from doudi.plan.programmes import ALL, RESIDENT_PENSION, Programme
from doudi.plan.programmes import get as programme_of
from doudi.policy import jurisdictions
from doudi.policy.params import MissingParameter
from doudi.store import db


def run_plans(
    database: db.Database,
    jurisdiction: str,
    year: int,
    *,
    programmes: tuple[str, ...] | None = None,
    actor: str = "cli",
    snapshots: Path = Path("var/plans"),
    engine: str = "duckdb",
    spark_master: str = "local[2]",
    progress: Callable[[str], None] = lambda stage: None,
    region: str | None = None,
    lake: str | None = None,
) -> PlanRun:
    """Every programme's plan of the year (or those named) in one transaction: the
    registry is read once, and each programme writes (or reuses) its own version.

    The rules are compiled for every programme at once (policy.program), so a year
    without the parameters of one has no plan of any: a Chinese error, nothing written.
    They are evaluated once, for the programmes whose inputs changed
    (``plan.evaluation``), and each of them writes its version from that result.
    ``lake``: the URL of a lake export of the registry (``plan.lake``) whose files
    the engine reads instead (``plan.lake_evaluation``: Spark's executors, or DuckDB in
    this process, the operator's check of a Spark run).
    """
    document = jurisdictions.get(jurisdiction).document
    if programmes is None:
        chosen = [p for p in ALL.values() if p.applies(document)]
    else:
        chosen = [programme_of(code) for code in programmes]
        for p in chosen:
            if not p.applies(document):
                raise PlanError(
                    f"统筹地区 {jurisdiction} 的政策文件没有{p.label_zh()}的规定，"
                    "不能生成该项计划 / the jurisdiction's rules have no such programme"
                )
    region = _region_in(jurisdiction, region)
    with database.transaction() as con:
        read = sources.open_source(con, database, lake, jurisdiction, year, region, progress)
        decided: list[PlanResult | _Pending] = []
        refused = []
        for programme in chosen:
            try:
                decided.append(_prepare(con, database, read, programme, jurisdiction, year, region))
            except MissingParameter as exc:
                raise _no_parameters(exc, year) from exc
            except LakeError as exc:  # the lake's files could not be read: no programme can
                raise PlanError(str(exc)) from None
            except PlanError as exc:
                # refused before it wrote anything: in a run of every programme the
                # others go on (a province's medical plan must not stop a county's
                # pension plan); a programme asked for by name is refused whole
                if programmes is not None:
                    raise
                refused.append(f"未生成{programme.label_zh()}计划：{exc}")
        if not decided:
            raise PlanError("；".join(refused))
        pending = [p.programme for p in decided if isinstance(p, _Pending)]
        if pending:
            names = "、".join(p.label_zh() for p in pending)
            progress(f"按政策规则计算（{engine}）：{names} / evaluating the rules")
            try:
                evaluated = read.evaluate(jurisdiction, year, pending, engine, spark_master)
            except MissingParameter as exc:
                raise _no_parameters(exc, year) from exc
            except LakeError as exc:  # Spark could not read the lake or run the rules
                raise PlanError(str(exc)) from None
        results = [
            found
            if isinstance(found, PlanResult)
            else _write(
                con,
                database,
                found,
                evaluated,
                jurisdiction,
                year,
                region,
                actor=actor,
                snapshots=snapshots,
                progress=progress,
            )
            for found in decided
        ]
        return PlanRun(tuple(results), tuple(refused))


def run_plan(
    database: db.Database,
    jurisdiction: str,
    year: int,
    *,
    programme: str = "resident_pension",
    actor: str = "cli",
    snapshots: Path = Path("var/plans"),
    engine: str = "duckdb",
    spark_master: str = "local[2]",
    progress: Callable[[str], None] = lambda stage: None,
    region: str | None = None,
) -> PlanResult:
    """Compute and store one programme's plan; the existing version if the inputs are
    unchanged.

    ``engine`` "spark" runs the same rules on Apache Spark (``spark_master``);
    ``progress`` is told each stage as it starts (the CLI shows them).
    """
    run = run_plans(
        database,
        jurisdiction,
        year,
        programmes=(programme,),
        actor=actor,
        snapshots=snapshots,
        engine=engine,
        spark_master=spark_master,
        progress=progress,
        region=region,
    )
    return run.results[0]


def _region_in(jurisdiction: str, region: str | None) -> str:
    """The region planned (the jurisdiction's own by default), which must lie in the
    jurisdiction (a Chinese error if unknown)."""
    place = jurisdictions.get(jurisdiction)
    region = region or jurisdiction
    if not region.isdigit() or not regions.hukou_prefix(region).startswith(place.hukou_prefix):
        raise PlanError(
            f"区划 {region} 不在统筹地区 {jurisdiction} 内 / region outside the jurisdiction"
        )
    return region


def _no_parameters(exc: MissingParameter, year: int) -> PlanError:
    return PlanError(f"{exc}；{year}年无法生成缴费计划 / no parameters in force")


@dataclass(frozen=True)
class _Pending:
    """A programme whose inputs are those of no version of its lineage: what its new
    version (or its current one, if the rows are the same) is made of once the rules
    are evaluated."""

    programme: Programme
    frozen: snapshot.Frozen
    year_versions: list[lineage.Version]
    late_lists: tuple[str, ...]


def _prepare(
    con: Any,
    database: db.Database,
    read: sources.Source,
    programme: Programme,
    jurisdiction: str,
    year: int,
    region: str,
) -> PlanResult | _Pending:
    """One programme's version before the rules are evaluated: refused if another
    lineage of the programme overlaps, without the people such a lineage pays for, the
    existing version if its inputs are unchanged."""
    code = programme.code
    year_versions = [v for v in lineage.of_year(con, database, year) if v.programme == code]
    _refuse_overlap(year_versions, jurisdiction, region, year, code)
    others = [
        v
        for v in lineage.current(year_versions)
        if v.jurisdiction != jurisdiction or v.region != region
    ]
    pension = programme is RESIDENT_PENSION
    elsewhere = lineage.planned_elsewhere(con, database, others, region)
    frozen = read.keep(con, database, elsewhere, others, count_tiers=pension)
    if not frozen.people:
        raise PlanError(_nobody_left(region, frozen.left_out, programme))
    late: tuple[str, ...] = ()
    if pension:
        late = tuple(deadlines.warnings(con, database, jurisdiction, region, year))
    found = db.read(
        con,
        database,
        "registry_plan_version",
        "WHERE jurisdiction = ? AND region = ? AND year = ? AND programme = ? "
        "AND inputs_checksum = ?",
        (jurisdiction, region, year, code, frozen.checksum),
    )
    if found.num_rows:
        extras = (frozen.left_out, frozen.tiers_ignored, late)
        return _result(con, database, found.to_pylist()[0], False, *extras)
    return _Pending(programme, frozen, year_versions, late)


def _write(
    con: Any,
    database: db.Database,
    pending: _Pending,
    evaluated: evaluation.Evaluation,
    jurisdiction: str,
    year: int,
    region: str,
    *,
    actor: str,
    snapshots: Path,
    progress: Callable[[str], None],
) -> PlanResult:
    """The programme's rows from the run's one evaluation (without the people it left
    out): its lineage's current version if they are the same rows, else a new version."""
    programme, code, frozen = pending.programme, pending.programme.code, pending.frozen
    rows = evaluated.rows(programme, {person.person_id for person in frozen.left_out})
    rows_checksum = contributions.checksum(rows)
    extras = (frozen.left_out, frozen.tiers_ignored, pending.late_lists)
    same = _same_rows(con, database, pending.year_versions, jurisdiction, region, rows_checksum)
    if same is not None:
        # the inputs changed (another programme's facts, a person without a part) but
        # not this programme's rows: its version stands (decision 0012)
        return replace(_result(con, database, same, False, *extras), same_rows=True)
    number = 1 + int(
        db.scalar(
            con,
            "SELECT coalesce(max(number), 0) FROM registry_plan_version "
            "WHERE jurisdiction = ? AND region = ? AND year = ? AND programme = ?",
            (jurisdiction, region, year, code),
        )
    )
    progress(f"{programme.label_zh()}：写入计划版本 / writing the plan version")
    path = snapshots / f"{frozen.checksum}{frozen.suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(frozen.blob)
    totals = _totals(rows)
    version = pa.table(
        {
            "jurisdiction": [jurisdiction],
            "region": [region],
            "year": pa.array([year], pa.int16()),
            "number": pa.array([number], pa.int32()),
            "programme": [code],
            "inputs_checksum": [frozen.checksum],
            "inputs_path": [str(path)],
            "rows_checksum": [rows_checksum],
            "people": pa.array([frozen.people], pa.int32()),
            "targets": pa.array([totals["targets"]], pa.int32()),
            "gov_paid": pa.array([totals["gov_paid"]], db.MONEY),
            "self_due": pa.array([totals["self_due"]], db.MONEY),
            "created_by": [actor],
            "created_at": pa.array([datetime.now(UTC)], pa.timestamp("us", tz="UTC")),
        }
    )
    db.ingest(con, database, "registry_plan_version", db.text_times(version, database))
    version_id = int(
        db.scalar(
            con,
            "SELECT id FROM registry_plan_version "
            "WHERE region = ? AND year = ? AND programme = ? AND number = ?",
            (region, year, code, number),
        )
    )
    rows = rows.append_column("plan_version_id", pa.array([version_id] * rows.num_rows, pa.int64()))
    db.ingest(con, database, "registry_contribution", rows)
    db.fault("plan")
    row = db.read(con, database, "registry_plan_version", "WHERE id = ?", (version_id,))
    return _result(con, database, row.to_pylist()[0], True, *extras)


def _same_rows(
    con: Any,
    database: db.Database,
    versions: list[lineage.Version],
    jurisdiction: str,
    region: str,
    rows_checksum: str,
) -> dict[str, Any] | None:
    """The lineage's current version if its rows are exactly these rows.

    A version made before versions kept their rows' checksum (migration 0012) has
    none: it is computed from its stored rows once and kept, so the first change of
    inputs after the upgrade does not re-version a plan whose rows stay the same."""
    mine = [
        v for v in lineage.current(versions) if (v.jurisdiction, v.region) == (jurisdiction, region)
    ]
    if not mine:
        return None
    found = db.read(con, database, "registry_plan_version", "WHERE id = ?", (mine[0].id,))
    version = found.to_pylist()[0]
    if not version["rows_checksum"]:
        stored = db.read(
            con,
            database,
            "registry_contribution",
            "WHERE plan_version_id = ?",
            (version["id"],),
            columns=contributions.IDENTITY,
        )
        version["rows_checksum"] = contributions.checksum(contributions.stored_order(stored))
        db.execute(
            con,
            "UPDATE registry_plan_version SET rows_checksum = ? WHERE id = ?",
            (version["rows_checksum"], version["id"]),
        )
    return version if version["rows_checksum"] == rows_checksum else None


def _refuse_overlap(
    versions: list[lineage.Version], jurisdiction: str, region: str, year: int, programme: str
) -> None:
    """A person-year belongs to one lineage: no plan of a region nested in (or around)
    another lineage's region of the year, nor of its region under another jurisdiction."""
    clash = lineage.overlapping(versions, jurisdiction, region, programme)
    if clash:
        v = clash[0]
        name = regions.region_name(region) or ""
        words = programme_of(programme)
        raise PlanError(
            f"{year}年已有统筹地区 {v.jurisdiction} 的{words.plan_zh} {v.label_zh()}，"
            f"与区划 {region} {name} 的人员重叠：同一人同一年同一项目只能由一个计划承担。"
            f"如需更新，请重新生成 {v.region} {regions.region_name(v.region) or ''} 的计划"
            "（将生成新版本） / a plan of an overlapping region exists for this year: "
            "re-run that region's plan, which makes a new version"
        )


def _nobody_left(region: str, left_out: tuple[LeftOut, ...], programme: Programme) -> str:
    """Why no version is written when other lineages pay for everyone of the region: a
    version of nobody would become the lineage's current version, listed and counted
    as a plan that pays no one (decision 0010)."""
    per_plan: dict[str, int] = {}
    for person in left_out:
        per_plan[person.plan] = per_plan.get(person.plan, 0) + 1
    plans = "；".join(f"{plan} {count} 人" for plan, count in sorted(per_plan.items()))
    name = regions.region_name(region) or ""
    return (
        f"本次计划没有需要计划的人员：区划 {region} {name} 的 {len(left_out)} 人"
        f"已由其他计划（{plans}）{programme.pays_zh}，未生成新版本 / everyone of the region "
        "is paid by another region's plan: no version written"
    )


def compute(
    jurisdiction: str,
    year: int,
    people: pa.Table,
    statuses: pa.Table,
    engine: str = "duckdb",
    spark_master: str = "local[2]",
    programme: Programme = RESIDENT_PENSION,
) -> pa.Table:
    """A programme's contribution rows from the engine's inputs, on DuckDB or Spark
    (a run of several programmes evaluates the rules once for all: ``run_plans``)."""
    evaluated = evaluation.evaluate(
        jurisdiction, year, people, statuses, (programme,), engine, spark_master
    )
    return evaluated.rows(programme)


def _totals(rows: pa.Table) -> dict[str, Any]:
    lake = duckdb.connect()
    lake.register("r", rows)
    totals = lake.execute(
        """
        SELECT count(DISTINCT person_id) FILTER (WHERE payer <> 'self'),
               coalesce(sum(amount) FILTER (WHERE payer <> 'self'), 0),
               coalesce(sum(amount) FILTER (WHERE payer = 'self'), 0)
        FROM r
        """
    ).fetchone()
    targets, gov, own = totals if totals else (0, Decimal(0), Decimal(0))
    return {"targets": int(targets), "gov_paid": Decimal(gov), "self_due": Decimal(own)}


def _result(
    con: Any,
    database: db.Database,
    version: dict[str, Any],
    created: bool,
    left_out: tuple[LeftOut, ...],
    tiers_ignored: int,
    late_lists: tuple[str, ...],
) -> PlanResult:
    rows = db.read(
        con, database, "registry_contribution", "WHERE plan_version_id = ?", (version["id"],)
    )
    by_payer: dict[str, Decimal] = {}
    lake = duckdb.connect()
    lake.register("r", rows)
    for payer, amount in lake.sql(
        "SELECT payer, sum(amount) FROM r WHERE payer <> 'self' GROUP BY payer"
    ).fetchall():
        by_payer[payer] = Decimal(amount)
    return PlanResult(
        version_id=int(version["id"]),
        number=int(version["number"]),
        created=created,
        people=int(version["people"]),
        targets=int(version["targets"]),
        gov_paid=version["gov_paid"],
        self_due=version["self_due"],
        by_payer=by_payer,
        left_out=left_out,
        tiers_ignored=tiers_ignored,
        late_lists=late_lists,
        programme=str(version["programme"]),
    )
