"""What the costing jobs hand to the 政策测算 pages and the API (docs/costing.md, issue #22
§3): a costing's tables as the job's JSON result, its people who gain or lose as Parquet
beside the job, and one person's two sides.

The result holds the tables a page draws (by payer, by region, by status group, the
distribution: a few hundred lines at most) and the workbook ``doudi cost --out`` writes;
the people whose amounts change can be a province's millions, more than a job's JSON
(the jobs database, answered whole by the API) should carry, so they are kept as
Parquet and paged (web/stored_rows.py), as an import's changes are.

One person's side by side is a job of its own (``cost_person``): the costing's reading
and rules for that person alone (``costing.run.cost_tables`` over their registry rows),
in the worker process, where the plan's memory settings belong (plan/memory.py: not in
a web server's requests). Its rows and explanations are therefore the costing's, the
reform's citing 测算：参数调整 for an overridden value.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from doudi.core import idnumber, vocab
from doudi.costing import printout
from doudi.costing import reform as reforms
from doudi.costing.run import PLACE_COLUMNS, Costing, CostingError, cost_tables
from doudi.costing.workbook import costing_workbook
from doudi.plan import inputs
from doudi.store import db
from doudi.web.models import Job

#: The people whose amounts change, beside the job.
PEOPLE_FILE = "people.parquet"
#: The people lists of a result: (direction, Chinese title). ``owed``: what others pay
#: for them is the same, what they owe themselves is not (docs/readings.md 51).
DIRECTIONS = (("gain", "增加的人员"), ("lose", "减少的人员"), ("owed", "仅个人应缴变化的人员"))
#: The people columns kept (costing.rows' persons), ID numbers masked.
PEOPLE_COLUMNS = (
    "person_id",
    "id_number",
    "name",
    "county",
    "township",
    "village",
    "status_group_name",
    "base_paid",
    "reform_paid",
    "change",
    "base_owed",
    "reform_owed",
    "owed_change",
)


def result(found: Costing, directory: Path, job_pk: int, masked: bool = False) -> dict[str, Any]:
    """The ``cost`` job's result: the workbook written beside the job, the people who
    change as Parquet, and the tables as text (money to the fen, as the API gives every
    amount). The workbook is written for who asked: with full ID numbers (jobs.download
    then asks for ``unmask``), or ``masked`` for a role that may not see them (finance),
    whom it then serves as it is."""
    suffix = "（身份证号已脱敏）" if masked else ""
    name = f"政策测算-{found.region}-{found.reform.year}-任务{job_pk}{suffix}.xlsx"
    costing_workbook(found, directory / name, masked=masked)
    counts = _people_file(found.persons, directory / PEOPLE_FILE)
    gain, lose, same = found.counts()
    return {
        "file": name,
        "masked": masked,
        "name": found.reform.name,
        "region": found.region,
        "region_name": found.region_name,
        "year": found.reform.year,
        "summary": [idnumber.mask_in_text(line) for line in printout.lines(found)],
        "changes": found.reform.changes_zh(),
        "people": found.people,
        "gain": gain,
        "lose": lose,
        "unchanged": same,
        "listed": counts,
        "by_payer": _rows(found.by_payer),
        "by_region": _rows(found.by_region),
        "by_group": _rows(found.by_group),
        "distribution": _rows(found.distribution),
        "notes": list(found.notes),
    }


def _rows(table: pa.Table) -> list[dict[str, Any]]:
    return [{k: _text(v) for k, v in line.items()} for line in table.to_pylist()]


def _text(value: Any) -> Any:
    return f"{value:.2f}" if isinstance(value, Decimal) else value


def _people_file(persons: pa.Table, path: Path) -> dict[str, int]:
    """The people whose change or owed amount is not 0.00, largest change first in each
    direction, ID numbers masked; how many of each direction."""
    zero = pa.scalar(0, persons.schema.field("change").type)
    change, owed = persons.column("change"), persons.column("owed_change")
    direction = pc.if_else(
        pc.greater(change, zero),
        "gain",
        pc.if_else(pc.less(change, zero), "lose", pc.if_else(pc.equal(owed, zero), "", "owed")),
    )
    kept = persons.select(list(PEOPLE_COLUMNS)).append_column("direction", direction)
    kept = kept.filter(pc.not_equal(kept.column("direction"), ""))
    masked = [idnumber.mask(n) for n in kept.column("id_number").to_pylist()]
    kept = kept.set_column(1, "id_number", pa.array(masked, pa.string()))
    size = pc.abs(kept.column("change"))
    kept = kept.append_column("size", size).sort_by(
        [("direction", "ascending"), ("size", "descending"), ("person_id", "ascending")]
    )
    pq.write_table(kept.drop_columns(["size"]), path)
    values = kept.column("direction").to_pylist()
    return {key: values.count(key) for key, _ in DIRECTIONS}


def person_costing(
    database: db.Database, reform: reforms.Reform, region: str, person_id: int
) -> Costing:
    """The reform costed for one registered person of ``region`` (checked by
    ``costing.run.region_in`` when the costing was queued): their rows of the registry,
    read as ``inputs.registry_tables`` reads a region's (the same conditions, and the
    person's), through the costing's one path."""
    with database.reading() as con:
        read = inputs.person_tables(db.InTransaction(con, database), person_id, region, reform.year)
        places = db.read(
            con, database, "registry_person", "WHERE id = ?", (person_id,), columns=PLACE_COLUMNS
        )
    person = read["registry_person"]
    if not person.num_rows:
        raise CostingError(f"登记库中没有此人（编号 {person_id}）/ no such person")
    id_number = str(person.column("id_number")[0].as_py())
    return cost_tables(read, places, reform, region, id_number=id_number)


def person_result(found: Costing) -> dict[str, Any]:
    """One person's side by side: each programme and payer's two amounts with their
    clauses, and each section's two explanations; the ID number masked (the person's
    own page shows it whole to who may see it)."""
    asked = found.person
    if asked is None:  # person_costing always asks for one
        raise CostingError("测算结果中没有该人员 / no person in the costing")
    mine = found.persons.to_pylist()[0]
    labels = {p.code: p.label_zh() for p in found.programmes}
    rows = [
        {
            "programme": labels.get(r["programme"], r["programme"]),
            "payer": vocab.PAYER.label(r["payer"]),
            "baseline": _text(r["baseline"]),
            "reform": _text(r["reform"]),
            "difference": _text(r["difference"]),
            "baseline_basis": _basis(r["baseline_basis"]),
            "reform_basis": _basis(r["reform_basis"]),
        }
        for r in found.rows.to_pylist()
    ]
    return {
        "person": asked.person_id,
        "id_number": idnumber.mask(asked.id_number),
        "name": asked.name,
        "county": mine["county"],
        "status_group": mine["status_group_name"],
        "change": _text(mine["change"]),
        "owed_change": _text(mine["owed_change"]),
        "rows": rows,
        "explanations": [
            {
                "heading": heading,
                "baseline": idnumber.mask_in_text(before),
                "reform": idnumber.mask_in_text(after),
            }
            for heading, before, after in asked.explanations()
        ],
        "notes": list(found.notes),
    }


def _basis(text: str | None) -> list[str]:
    """A side's clause list (None: the side has no such row)."""
    return [b for b in (text or "").split(";") if b]


def person_job(costing: Job, person_id: int, user: Any) -> Job:
    """The job of ``person_id``'s side by side in the costing ``costing``: the one
    already asked for (unless it failed), else a new one. Only a person the costing
    listed (who gains, loses or owes differently) is asked about: a number typed into
    the address for anyone else is refused (404)."""
    from django.http import Http404

    from doudi.web import worker

    path = worker.work_dir(costing) / PEOPLE_FILE
    if costing.state != "done" or not path.exists():
        raise Http404("测算结果尚未生成")
    listed = pq.read_table(path, columns=["person_id"], filters=[("person_id", "=", person_id)])
    if not listed.num_rows:
        raise Http404("测算结果中没有该人员")
    asked = Job.objects.filter(
        kind="cost_person", params__costing=costing.pk, params__person=person_id
    ).exclude(state="failed")
    job = asked.order_by("-pk").first()
    if job is not None:
        return job
    params = {"costing": costing.pk, "person": person_id}
    return worker.submit("cost_person", params, user, costing.region)
