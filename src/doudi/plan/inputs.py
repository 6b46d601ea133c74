"""The one reading of people from the registry: the engine's input tables.

The plan (every person of a jurisdiction), the person page, the person API and the
explanation of "why does this person get 70 yuan?" (one person) all read a person
here, so a caseworker's explanation cannot disagree with the plan that pays the
person (before, the page read enrollments again in the ORM, and took the latest
enrollment whatever its tier where the plan takes the latest that names one).

Readings: a person is in the jurisdiction when their hukou region lies under it;
enrolled in the year = a resident-pension enrollment holding on any day of it,
with the tier of the latest-starting such enrollment that names one allowed in the
jurisdiction and year (of two starting the same day, the higher): a tier off the tier
list (50 yuan, stored before imports refused it, or allowed in an earlier year) names
none, and the people who had one are counted (docs/readings.md 31); an
employee-pension or employee-medical enrollment holding in the year makes
``employee_pension`` or ``employee_medical`` true; a ``student`` or ``unable_to_work``
period (the education department's in-school list, the federation's list of those
unable to work) holding on any day of the year makes ``student`` or ``unable_to_work``
true, as a status held on any day of the year counts (docs/readings.md 1 and 32); the
statuses handed to the rules are only theirs (``policy.rules.status.STATUSES``): those
two facts are no statuses anyone is paid for; the death date is the death roster's
(``registry_person.death_date``, docs/readings.md 24); the insured region (参保地) is the
county of the year's latest resident-pension enrollment naming one, else null, which
the rules read as the hukou region (``_insured_regions``, docs/readings.md 38); the
record lists' facts (unemployment insurance, certificates, third-party funding, 60+
applications) are read by ``plan.records`` (docs/readings.md 35); facts the registry
does not hold (income …) are absent (false or null), as in a scenario that does not
state them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import regions
from doudi.plan import memory, records, snapshot, tier_facts
from doudi.policy import tiers
from doudi.policy.params import Params
from doudi.policy.rules.shared import STATUSES as RULE_STATUSES
from doudi.policy.schema import PEOPLE, STATUSES
from doudi.store import db

#: The registry's person columns the engine reads, and the engine's names for them.
PERSON_COLUMNS = {
    "id": "row_no",
    "id_number": "id_number",
    "name": "name",
    "birth_date": "birth_date",
    "death_date": "death_date",
    "hukou_region": "hukou_region",
}


#: The schemes of the enrollments the plan reads.
RESIDENT_PENSION = "resident_pension"
EMPLOYEE_PENSION = "employee_pension"
EMPLOYEE_MEDICAL = "employee_medical"
SCHEMES = (RESIDENT_PENSION, EMPLOYEE_PENSION, EMPLOYEE_MEDICAL)

#: The facts of a person kept as status periods (a list of them, ended by a later list),
#: each true for a person holding such a period on any day of the year.
STATUS_FACTS = ("student", "unable_to_work")


#: The registry tables the plan reads, and the columns of each it uses (a province's
#: tables are gigabytes: the columns it does not use are not read).
INPUT_COLUMNS = {
    "registry_person": tuple(PERSON_COLUMNS),
    "registry_enrollment": (
        "person_id",
        "scheme",
        "region_code",
        "valid_from",
        "valid_to",
        "contribution_tier",
    ),
    "registry_status_period": (
        "person_id",
        "status",
        "valid_from",
        "valid_to",
        "exit_marked",
        "exit_date",
    ),
    "registry_import_batch": records.BATCH_COLUMNS,
    "registry_roster_entry": records.ENTRY_COLUMNS,
}


INPUT_TABLES = tuple(INPUT_COLUMNS)


#: The people's boolean facts after their names, in the engine's order.
PEOPLE_FACTS = (
    "student",
    "employee_pension",
    "employee_medical",
    "unable_to_work",
    "rp_enrolled",
    "rp_ever_enrolled",
)


@dataclass(frozen=True)
class Inputs:
    """The engine's two tables, and what the reading set aside to make them. Unpacks
    as ``people, statuses``: what the engine, the snapshot and the ledger take."""

    people: pa.Table
    statuses: pa.Table
    #: the ids (``row_no``) of the people with an enrollment holding in the year whose
    #: tier is not allowed in the jurisdiction and year: that tier was ignored
    #: (docs/readings.md 31)
    tiers_ignored: pa.Array

    def __iter__(self) -> Iterator[pa.Table]:
        return iter((self.people, self.statuses))


def engine_inputs(
    database: db.Database, jurisdiction: str, year: int, region: str | None = None
) -> Inputs:
    """The engine's people and statuses tables for a jurisdiction and year (the people
    of ``region`` only, a county of the jurisdiction, when it is given)."""
    tables = registry_tables(database, region or jurisdiction, year)
    inputs = inputs_from_tables(tables, jurisdiction, year, region)
    tables.clear()
    release_unused()
    return inputs


def registry_tables(reader: db.Reader, region: str, year: int) -> dict[str, pa.Table]:
    """The registry tables the inputs are made of (``INPUT_TABLES``), only the rows and
    columns they use (``input_filters``). Read once, they make the inputs of several
    readings: a costing's baseline and its reform, whose tiers are held against another
    tier list (costing.run)."""
    where = input_filters(region, year)
    return {
        name: reader.read(name, *where[name], columns=cols) for name, cols in INPUT_COLUMNS.items()
    }


def release_unused() -> None:
    """Hand the memory of freed Arrow buffers back to the system now (the registry
    tables, once the inputs are built), so the rules' DuckDB can use it: jemalloc
    otherwise keeps it for seconds, and a province's tables are gigabytes."""
    pa.default_memory_pool().release_unused()


def input_filters(region: str, year: int) -> dict[str, tuple[str, tuple[Any, ...]]]:
    """The WHERE clause of each registry table's read, and its bound values: only the
    rows the plan can use.

    The people of the region; the pension and employee-medical enrollments that began
    by the year's end (a province's resident-medical enrollments, more than half of the
    table, are not read); every status period (an exit mark can reach back).
    ``inputs_from_tables`` applies the same conditions again, so tables read whole give
    the same plan.
    """
    return {
        "registry_person": ("WHERE hukou_region LIKE ?", (regions.hukou_prefix(region) + "%",)),
        "registry_enrollment": (
            f"WHERE scheme IN ({', '.join('?' * len(SCHEMES))}) AND valid_from <= ?",
            (*SCHEMES, date(year, 12, 31)),
        ),
        "registry_status_period": ("", ()),
        # the record lists: a few rows, read whole (plan.records picks the year's)
        "registry_import_batch": (_RECORD_BATCHES, records.SOURCES),
        "registry_roster_entry": (
            f"WHERE batch_id IN (SELECT id FROM registry_import_batch {_RECORD_BATCHES})",
            records.SOURCES,
        ),
    }


_RECORD_BATCHES = f"WHERE source IN ({', '.join('?' * len(records.SOURCES))})"


def inputs_from_tables(
    tables: Mapping[str, pa.Table],
    jurisdiction: str,
    year: int,
    region: str | None = None,
    params: Params | None = None,
) -> Inputs:
    """``engine_inputs`` over registry tables already read as Arrow (``INPUT_TABLES``).

    ``params``: what the tiers and certificates are held against (the tier list, the
    certificate levels paid), by default the jurisdiction's of the year; a costing's
    reform gives its own, as its rules would read the registry (costing.run).

    The people come in ``id`` order, their enrollment facts beside them, their status
    periods in person, status and start order. In Arrow and NumPy, by position: the
    same in DuckDB (an aggregate of the enrollments by person, a join of the status
    periods with the people) took 3 s at 10^7 people, the aggregate's ten million
    groups most of it. The people's columns, their enrollment facts and their status
    rows need only the ids, so they are built at the same time on threads (Arrow and
    NumPy let go of the GIL): at 10^7 people 1.8–2.2 s instead of 2.7 s, and 1.2–1.5 s
    with the tiers copied as 16-byte items (``contributions.DECIMAL``).
    """
    with memory.plan_memory():
        return _inputs(tables, jurisdiction, year, region, params)


def _inputs(
    tables: Mapping[str, pa.Table],
    jurisdiction: str,
    year: int,
    region: str | None = None,
    params: Params | None = None,
) -> Inputs:
    """The people of ``region`` (by default the whole jurisdiction), their tiers held
    against the tier list of ``params`` (by default the jurisdiction's of the year)."""
    held = params or Params(jurisdiction, year)
    persons = tables["registry_person"]
    rows, ids = _person_rows(persons, regions.hukou_prefix(region or jurisdiction))
    allowed = tiers.offered(held)
    with ThreadPoolExecutor(max_workers=3) as pool:
        people_job = pool.submit(_persons, persons, rows)
        facts_job = pool.submit(
            _enrollment_facts,
            tables["registry_enrollment"],
            ids,
            year,
            allowed,
            _hukou(persons, rows),
        )
        statuses_job = pool.submit(_statuses, tables["registry_status_period"], ids, year)
        records_job = pool.submit(
            records.facts,
            tables["registry_roster_entry"],
            tables["registry_import_batch"],
            ids,
            year,
            records.covered_levels(held),
        )
        people, facts = people_job.result(), facts_job.result()
        statuses, status_facts = statuses_job.result()
        recorded = records_job.result()
    people = people.append_column("insured_region", facts.pop("insured_region"))
    facts |= status_facts
    no = pa.array(np.zeros(len(ids), bool))
    for name in (*PEOPLE_FACTS, "rp_tier"):
        people = people.append_column(name, facts.get(name, no))  # absent: not held
    for name, values in recorded.items():
        people = people.append_column(name, values)
    # The Parquet snapshot's bytes, and so a version's checksum, depend on how the
    # tables are chunked (snapshot.SNAPSHOT_CHUNK_ROWS).
    people = snapshot.rechunked(people)
    statuses = snapshot.rechunked(statuses)
    return Inputs(
        _conform(people, PEOPLE.to_pyarrow()),
        _conform(statuses, STATUSES.to_pyarrow()),
        pa.array(ids[_numpy(facts["rp_tier_ignored"], bool)], pa.int64()),
    )


def _enrollment_facts(
    enrollments: pa.Table,
    ids: np.ndarray,
    year: int,
    allowed: tuple[Decimal, ...] | None,
    hukou: pa.ChunkedArray,
) -> dict[str, pa.Array]:
    """Per person of ``ids`` (sorted): enrolled in the resident pension in the year (an
    enrollment holding on some day of it), ever enrolled by its end, the tier of the
    latest-starting holding enrollment that names one of ``allowed`` (of two starting
    the same day, the higher), whether a holding one named a tier not ``allowed``
    (``rp_tier_ignored``: read as naming none, so the rules plan the person as having
    no tier), and in the employee pension and the employee medical insurance in the
    year. ``allowed`` None: the year has no tier list, and any tier is read. And where
    the person is insured (``insured_region``: :func:`_insured_regions`; ``hukou``:
    the people's hukou regions), from the same positions."""
    e = enrollments.select(list(INPUT_COLUMNS["registry_enrollment"]))
    scheme = e.column("scheme")
    at, found, resident_np, holds_np = _resident(e, ids, year)
    n = len(ids)
    facts = {}
    for name, rows in (
        ("rp_ever_enrolled", resident_np),
        ("rp_enrolled", resident_np & holds_np),
        ("employee_pension", _of(scheme, EMPLOYEE_PENSION) & holds_np & found),
        ("employee_medical", _of(scheme, EMPLOYEE_MEDICAL) & holds_np & found),
    ):
        flags = np.zeros(n, bool)
        flags[at[rows]] = True
        facts[name] = pa.array(flags)
    start = _numpy(e.column("valid_from").cast(pa.int32()), np.int32)
    facts |= tier_facts.held(n, at, start, _tiers(e), resident_np & holds_np, allowed)
    pension = _of(scheme, RESIDENT_PENSION) & holds_np & found
    facts["insured_region"] = _insured_regions(e, at, pension, start, hukou)
    return facts


def _resident(
    e: pa.Table, ids: np.ndarray, year: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Of each enrollment: its person's place among ``ids``, whether it is one of
    theirs, whether it is a resident-pension enrollment of theirs begun by the year's
    end, and whether it holds on some day of the year."""
    began, holds = _in_year(e, year)
    resident = pc.and_(began, pc.fill_null(pc.equal(e.column("scheme"), RESIDENT_PENSION), False))
    at, found = _positions(ids, _numpy(e.column("person_id"), np.int64))
    return at, found, _numpy(resident, bool) & found, _numpy(holds, bool)


def _tiers(e: pa.Table) -> pa.Array:
    """Each enrollment's contribution tier as money (null: none named)."""
    tier: pa.Array = e.column("contribution_tier").cast(db.MONEY).combine_chunks()
    return tier


def tiers_held(base: Inputs, enrollments: pa.Table, year: int, params: Params) -> Inputs:
    """``base`` with the tiers held against the tier list of ``params`` instead: a
    costing's reform that changes the tier list and nothing else the reading depends on
    (costing.run). Only the tier facts are made again; every other column is the
    baseline's own (the same object, which ``costing.lineage`` compares at no cost), as
    is the tier where it comes out the same. Reading the whole registry again for the
    reform was an eighth of a costing at 10^7 people (docs/scale.md)."""
    people = base.people
    ids = _numpy(people.column("row_no"), np.int64)
    e = enrollments.select(list(INPUT_COLUMNS["registry_enrollment"]))
    at, _, resident, holds = _resident(e, ids, year)
    start = _numpy(e.column("valid_from").cast(pa.int32()), np.int32)
    held = tier_facts.held(len(ids), at, start, _tiers(e), resident & holds, tiers.offered(params))
    where = people.schema.get_field_index("rp_tier")
    tier = snapshot.rechunked(pa.table({"rp_tier": held["rp_tier"]})).column(0)
    tier = tier.cast(people.schema.field(where).type)
    if not tier.equals(people.column(where)):
        people = people.set_column(where, people.schema.field(where), tier)
    ignored = pa.array(ids[_numpy(held["rp_tier_ignored"], bool)], pa.int64())
    return Inputs(people, base.statuses, ignored)


def _insured_regions(
    e: pa.Table, at: np.ndarray, pension: np.ndarray, start: np.ndarray, hukou: pa.ChunkedArray
) -> pa.Array:
    """Per person (``at``: each enrollment's person; ``pension``: the resident-pension
    enrollments of a known person holding on some day of the year; ``start``: their
    first days), the county where they are insured in the resident pension (参保地,
    docs/readings.md 38): the first six digits of the region code of the
    latest-starting such enrollment that names one; of two starting the same day, the
    one in the hukou county if any (a second record at home makes nobody insured
    elsewhere), else the lower code. Null without one: the rules read the hukou
    region then (``policy.rules.insured_region``; residents enroll there: GF-2014-8/4),
    as a scenario's default.

    On the positions the other enrollment facts found, and on a thread beside them:
    at 10^7 people, finding them again and taking every hukou region to fill the
    nulls made the plan's inputs twice as long (docs/scale.md).
    """
    code = pc.utf8_slice_codeunits(pc.fill_null(e.column("region_code"), ""), 0, 6)
    code = code.combine_chunks() if isinstance(code, pa.ChunkedArray) else code
    named = _numpy(pc.and_(pc.equal(pc.utf8_length(code), 6), pc.ascii_is_decimal(code)), bool)
    rows = np.flatnonzero(pension & named)
    person = at[rows]
    n = len(hukou)
    chosen = np.full(n, -1, np.int64)
    # most people have one such enrollment: theirs directly; only the others are ordered
    several = np.bincount(person, minlength=n)[person] > 1
    chosen[person[~several]] = rows[~several]
    rows, person = rows[several], person[several]
    if len(rows):
        county = _numpy(code.take(pa.array(rows)).cast(pa.int64()), np.int64)
        hukou6 = pc.utf8_slice_codeunits(pc.fill_null(hukou.take(pa.array(person)), ""), 0, 6)
        home = _numpy(pc.equal(hukou6, code.take(pa.array(rows))), bool)
        # each person's last row in (person, start, home, -code) order is theirs
        order = np.lexsort((-county, home, start[rows], person))
        last = order[np.append(person[order][1:] != person[order][:-1], True)]
        chosen[person[last]] = rows[last]
    return code.take(pa.array(chosen, mask=chosen < 0))


def _hukou(persons: pa.Table, rows: np.ndarray | None) -> pa.ChunkedArray:
    """The hukou regions of the people ``_person_rows`` chose, in their order."""
    hukou = persons.column("hukou_region")
    return hukou if rows is None else hukou.take(pa.array(rows))


def _in_year(periods: pa.Table, year: int) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """Whether each period (``valid_from``, ``valid_to`` exclusive, null open) began by
    the year's end, and whether it holds on some day of the year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    began = pc.fill_null(pc.less_equal(periods.column("valid_from"), pa.scalar(last)), False)
    ends = periods.column("valid_to")
    return began, pc.and_(began, pc.fill_null(pc.greater(ends, pa.scalar(first)), True))


def _of(codes: pa.ChunkedArray, code: str) -> np.ndarray:
    """Whether each of ``codes`` (a scheme or a status) is ``code``."""
    return _numpy(pc.fill_null(pc.equal(codes, code), False), bool)


def _statuses(
    periods: pa.Table, ids: np.ndarray, year: int
) -> tuple[pa.Table, dict[str, pa.Array]]:
    """The status rows of the people of ``ids`` the rules read (``_status_rows``), and
    per person each of ``STATUS_FACTS``: a period of it holding on some day of the
    year (docs/readings.md 32: on the in-school list on any day of the year is a student
    for that year, as a status held on any day of it counts)."""
    at, found = _positions(ids, _numpy(periods.column("person_id"), np.int64))
    _, holds = _in_year(periods, year)
    held = _numpy(holds, bool) & found
    facts = {}
    for name in STATUS_FACTS:
        flags = np.zeros(len(ids), bool)
        flags[at[_of(periods.column("status"), name) & held]] = True
        facts[name] = pa.array(flags)
    ruled = _numpy(pc.is_in(periods.column("status"), value_set=pa.array(RULE_STATUSES)), bool)
    return _status_rows(periods, found & ruled), facts


def _status_rows(periods: pa.Table, keep: np.ndarray) -> pa.Table:
    """The status periods ``keep`` marks, as the rules read them: an exit mark without
    a date counts from the period's start."""
    p = periods.filter(pa.array(keep)) if not keep.all() else periods
    marked = pc.fill_null(p.column("exit_marked"), False)
    exit_date = pc.if_else(
        marked,
        pc.coalesce(p.column("exit_date"), p.column("valid_from")),
        pa.scalar(None, pa.date32()),
    )
    t = pa.table(
        {
            "row_no": p.column("person_id"),
            "status": p.column("status"),
            "valid_from": p.column("valid_from"),
            "valid_to": p.column("valid_to"),
            "exit_date": exit_date,
        }
    )
    order = pc.sort_indices(
        t, [("row_no", "ascending"), ("status", "ascending"), ("valid_from", "ascending")]
    ).to_numpy()
    if len(order) and not bool(np.all(order[1:] > order[:-1])):  # not already in order
        t = t.take(order)
    return t.combine_chunks()


def _numpy(values: pa.Array | pa.ChunkedArray, dtype: Any) -> np.ndarray:
    """One column as one NumPy array (a chunked one is joined)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype)


def _person_rows(persons: pa.Table, prefix: str) -> tuple[np.ndarray | None, np.ndarray]:
    """The rows of the person table whose hukou lies under ``prefix``, in id order
    (``None``: every row, in the order they are), and their ids.

    The registry read has already kept only these people, in id order, so this
    usually finds nothing to drop or move.
    """
    ids = _numpy(persons.column("id"), np.int64)
    under = pc.fill_null(pc.starts_with(persons.column("hukou_region"), prefix), False)
    rows = None
    if not pc.all(under).as_py():
        rows = np.flatnonzero(_numpy(under, bool))
        ids = ids[rows]
    if len(ids) > 1 and not bool(np.all(ids[1:] > ids[:-1])):  # not in id order
        order = np.argsort(ids, kind="stable")
        rows = order if rows is None else rows[order]
        ids = ids[order]
    return rows, ids


def _persons(persons: pa.Table, rows: np.ndarray | None) -> pa.Table:
    """The engine's person columns of ``rows`` of the person table, in one chunk.

    In Arrow, not SQL: at 10^7 people the columns are copied once in 0.3 s, where
    DuckDB's copy of the ID numbers and names out of its result took 1.4 s.
    """
    people = persons.select(list(PERSON_COLUMNS)).rename_columns(list(PERSON_COLUMNS.values()))
    if rows is not None:
        people = people.take(pa.array(rows))
    return people.combine_chunks()


def _positions(ids: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``wanted`` is in the sorted, distinct ``ids``, and whether it is.

    Registry ids are nearly dense: a table from id to position (4 bytes per id up to
    the largest) finds ten million in a tenth of the binary search's time; ids spread
    wider than four per person fall back to the search.
    """
    if not len(ids):
        return np.zeros(len(wanted), np.int64), np.zeros(len(wanted), bool)
    low, high = int(ids[0]), int(ids[-1])
    if high - low < 4 * len(ids):
        where = np.full(high - low + 2, -1, np.int32)  # the last slot: outside the ids
        where[ids - low] = np.arange(len(ids), dtype=np.int32)
        at = where[np.clip(wanted - low, -1, high - low + 1)]
        found = at >= 0
        return np.where(found, at, 0).astype(np.int64), found
    at = np.minimum(np.searchsorted(ids, wanted), len(ids) - 1)
    return at, ids[at] == wanted


def _conform(t: pa.Table, target: pa.Schema) -> pa.Table:
    """Add the engine's columns the registry does not hold, as nulls, in order."""
    zeros = _zeros(t.num_rows)
    columns = []
    for f in target:
        if f.name in t.column_names:
            columns.append(t.column(f.name).cast(f.type))
        else:
            columns.append(_nulls(t.num_rows, f.type, zeros))
    return pa.Table.from_arrays(columns, schema=target)


def _zeros(n: int) -> pa.Buffer:
    """A zeroed buffer large enough for every buffer of an ``n``-row null column of
    the engine's types (a 16-byte decimal is the widest; string offsets need n + 1).

    NumPy's zeros are pages the system has not handed over yet: no null column is
    read by the plan's rules, so they cost nothing until the snapshot reads them.
    ``pa.nulls`` writes its zeros, for each type: at 10^7 people 300 MB, 0.2–0.6 s.
    """
    return pa.py_buffer(np.zeros((n + 1) * 16, np.uint8))


def _nulls(n: int, type_: pa.DataType, zeros: pa.Buffer) -> pa.Array:
    """``n`` nulls of ``type_`` on ``zeros``: every bit of the validity is 0, and so
    are the data (and a string's offsets: every value empty)."""
    return pa.Array.from_buffers(type_, n, [zeros] * type_.num_buffers, null_count=n)


def person_tables(
    registry: db.Reader, person_id: int, region: str, year: int
) -> dict[str, pa.Table]:
    """One person's rows of the registry tables the plan reads, under the conditions
    ``input_filters`` reads a region's with (the person's page, a costing's person)."""
    where = input_filters(region, year)
    enrolled, listed = where["registry_enrollment"], where["registry_roster_entry"]
    mine = {
        "registry_person": ("WHERE id = ?", (person_id,)),
        "registry_enrollment": (enrolled[0] + " AND person_id = ?", (*enrolled[1], person_id)),
        "registry_status_period": ("WHERE person_id = ?", (person_id,)),
        "registry_import_batch": where["registry_import_batch"],
        "registry_roster_entry": (listed[0] + " AND person_id = ?", (*listed[1], person_id)),
    }
    return {
        name: registry.read(name, *mine[name], columns=columns)
        for name, columns in INPUT_COLUMNS.items()
    }


def person_inputs(registry: db.Reader, person_id: int, jurisdiction: str, year: int) -> Inputs:
    """One person's engine inputs, read as the plan reads everyone (``_inputs``).

    ``registry``: a ``db.Database`` in a job, a ``db.DjangoReader`` in the web process
    (decision 0007). Without ``memory.plan_memory``: its allocator and page-size
    switches are for a batch job's process, and must not reach a web server's other
    requests.
    """
    tables = person_tables(registry, person_id, jurisdiction, year)
    return _inputs(tables, jurisdiction, year)
