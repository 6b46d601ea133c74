"""The lake export (``doudi lake export``, issue #24): the engine's inputs of a region
and year, as the plan reads them, written as Parquet by province and county.

Why the engine's inputs and not the registry's tables: they are what the rules read
(``plan.inputs``, the one reading of a person: the people with their facts of the
year, their status periods), so an engine that reads the lake (Spark's executors,
``plan.lake_inputs``) runs the same rules on the same rows as the plan on DuckDB,
without the reading being written twice. The people whose tier was ignored (reading
31) go beside them (``tiers_ignored``): a plan's summary counts them. And what the
settlement of the year's bills reads (``bills``, ``bill_statuses``: ``plan.lake_bills``),
so that the settlement runs on the lake too (``plan.lake_settlement``), and the registry
tables the information comparison reads (``plan.lake_registry``), for
``lakejobs.comparison``.

One export reads the registry in one reading transaction (the same moment for every
table, and the last import batch it saw: a plan refuses an export the registry has
moved on from). Each person is in the partition of their hukou county (the first six
digits of ``hukou_region``), their status periods and ignored tier with them; the lake
writes only the counties whose files changed (``lakehouse.writing``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import regions
from doudi.lakehouse import layout, writing
from doudi.lakehouse.location import LakeError, Location, check_writable, locate
from doudi.plan import inputs, lake_bills, lake_registry
from doudi.policy import jurisdictions
from doudi.store import db

#: The export's tables: the engine's two inputs, who had their tier ignored, the
#: settlement's two inputs (the year's bills, their patients' status periods), and the
#: registry tables the comparison reads.
TABLES = ("people", "statuses", "tiers_ignored", "bills", "bill_statuses", *lake_registry.TABLES)


def registry_position(con: Any) -> int:
    """How far the registry has got: the last import batch committed (every change of
    the people, periods, enrollments and lists the plan reads comes with one)."""
    return int(db.scalar(con, "SELECT coalesce(max(id), 0) FROM registry_import_batch"))


@dataclass(frozen=True)
class Target:
    """Where an export goes, and whose rules its facts are read for."""

    place: jurisdictions.Jurisdiction
    location: Location


def target(region: str, to: str, jurisdiction: str | None = None) -> Target:
    """The export of ``region`` to the lake at ``to`` (the facts read for
    ``jurisdiction``'s rules, by default the jurisdiction the region lies in), checked
    before the registry is opened: a Chinese :class:`LakeError` for a region unknown
    or outside the jurisdiction, a folder missing or not writable."""
    place = _jurisdiction(region, jurisdiction)
    location = locate(to)
    check_writable(location)
    return Target(place, location)


def export(
    database: db.Database,
    region: str,
    year: int,
    to: Target,
    progress: Callable[[str], None] = lambda stage: None,
) -> writing.Written:
    """Export the engine's inputs of ``region`` for ``year`` to the lake ``to``
    (:func:`target`); a Chinese :class:`LakeError` if the region has nobody, or the
    lake holds another region's export: nothing written then."""
    place, location = to.place, to.location
    progress("读取登记库 / reading the registry")
    with database.reading() as con:
        position = registry_position(con)
        reader = db.InTransaction(con, database)
        tables, compared = registry_tables(con, reader, region, year)
        stored_bills = lake_bills.registry_bills(reader, place.code, year)
    read = inputs.inputs_from_tables(tables, place.code, year, region)
    tables.clear()
    inputs.release_unused()
    if not read.people.num_rows:
        raise LakeError(
            f"登记库中没有户籍在 {region} 的人员，没有可导出的数据 / no people of the region"
        )
    header = writing.Header(region, place.code, year, position)
    progress("写入数据湖 / writing the lake")
    settled = lake_bills.settlement_tables(stored_bills, read)
    del stored_bills
    return writing.write(location, header, by_county(read, *settled, compared), progress)


#: The registry tables the plan's inputs and the comparison both read, by the person:
#: read once, with the columns of both (:func:`registry_tables`).
SHARED = ("registry_person", "registry_status_period", "registry_enrollment")


def registry_tables(
    con: Any, reader: db.Reader, region: str, year: int
) -> tuple[dict[str, pa.Table], dict[str, tuple[pa.Table, pa.Array]]]:
    """The registry tables the plan's inputs are made of (``inputs.registry_tables``)
    and those the comparison reads, with the county of each row
    (``lake_registry.by_county``), in the reading transaction of ``con``.

    The people, their status periods and their enrollments are read once for both
    (:data:`SHARED`, the columns of both), and without asking whose a row is when the
    registry holds nobody outside the region (``lake_registry.read``): each was read
    twice, and at 10^6 people that was half of the export's time (docs/scale.md). The
    inputs' rows of those tables are then the region's people's, which are all the
    inputs read of them (``inputs.inputs_from_tables`` keeps the region's people)."""
    prefix = regions.hukou_prefix(region) + "%"
    everyone = db.scalar(con, "SELECT count(*) FROM registry_person") == db.scalar(
        con, "SELECT count(*) FROM registry_person WHERE hukou_region LIKE ?", (prefix,)
    )
    also = {name: inputs.INPUT_COLUMNS[name] for name in SHARED}
    read = lake_registry.read(reader, region, also, everyone)
    where = inputs.input_filters(region, year)
    tables = {
        name: read[name].select(list(columns))
        if name in SHARED
        else reader.read(name, *where[name], columns=columns)
        for name, columns in inputs.INPUT_COLUMNS.items()
    }
    # the enrollments the inputs' own read would have read (input_filters): the
    # resident-medical ones, more than half, are the comparison's alone
    enrolled = tables["registry_enrollment"]
    tables["registry_enrollment"] = enrolled.filter(
        pc.and_(
            pc.is_in(enrolled.column("scheme"), value_set=pa.array(inputs.SCHEMES)),
            pc.less_equal(enrolled.column("valid_from"), pa.scalar(date(year, 12, 31))),
        )
    )
    return tables, lake_registry.by_county(read, region)


def _jurisdiction(region: str, code: str | None) -> jurisdictions.Jurisdiction:
    """The jurisdiction whose rules the facts are read for: ``code``, or the one
    ``region`` lies in; the region must be a known one inside it."""
    if regions.get(region) is None:
        raise LakeError(f"未知的区划代码：{region!r}（应为六位行政区划代码）/ unknown region")
    try:
        place = jurisdictions.resolve(region) if code is None else jurisdictions.get(code)
    except jurisdictions.UnknownJurisdiction as exc:
        raise LakeError(f"{exc} / unknown jurisdiction") from None
    if not regions.hukou_prefix(region).startswith(place.hukou_prefix):
        raise LakeError(
            f"区划 {region} 不在统筹地区 {place.code} 内 / region outside the jurisdiction"
        )
    return place


def by_county(
    read: inputs.Inputs,
    bills: pa.Table,
    bill_statuses: pa.Table,
    compared: Mapping[str, tuple[pa.Table, pa.Array]],
) -> Iterator[tuple[str, Mapping[str, pa.Table]]]:
    """The export's partitions in county order: each county's people (in id order, as
    read), their status periods, the ids of those whose tier was ignored, their
    bills and bill statuses (``lake_bills.settlement_tables``: by ``row_no``, which is
    not written), and the comparison's registry tables (``compared``: each with the
    county of each row, :func:`registry_tables`). A county with rows of
    some tables only has the others empty.

    By position: the people come in id order, so each row of another table finds its
    person by a binary search, and one stable sort by county keeps every county's rows
    in order."""
    people, statuses = read.people, read.statuses
    county = pc.utf8_slice_codeunits(people.column("hukou_region"), 0, 6).combine_chunks()
    names = sorted(
        set(pc.unique(county).to_pylist()).union(
            *(pc.unique(c).to_pylist() for _, c in compared.values())
        )
    )
    index = pa.array(names, pa.string())

    def numbered(counties: pa.Array) -> np.ndarray:
        """Each county's position in ``names``."""
        found = pc.index_in(counties, value_set=index)
        return np.asarray(found.to_numpy(zero_copy_only=False), np.int64)

    codes = numbered(county)
    ids = np.asarray(people.column("row_no").to_numpy(), np.int64)

    def of_people(row_no: pa.ChunkedArray | pa.Array) -> np.ndarray:
        wanted = np.asarray(row_no.to_numpy(zero_copy_only=False), np.int64)
        return codes[np.searchsorted(ids, wanted)] if len(wanted) else wanted

    def by_person(table: pa.Table) -> Split:
        """``table``'s rows per county of their person (``row_no``), without it."""
        return split_rows(
            table.drop_columns("row_no"), of_people(table.column("row_no")), len(names)
        )

    ignored = pa.table({"row_no": read.tiers_ignored})
    split = {
        "people": split_rows(people, codes, len(names)),
        "statuses": split_rows(statuses, of_people(statuses.column("row_no")), len(names)),
        "tiers_ignored": split_rows(ignored, of_people(ignored.column("row_no")), len(names)),
        "bills": by_person(bills),
        "bill_statuses": by_person(bill_statuses),
        **{
            name: split_rows(table, numbered(c), len(names))
            for name, (table, c) in compared.items()
        },
    }
    for code in range(len(names)):
        yield layout.partition(names[code]), Partition(split, code)


@dataclass(frozen=True)
class Split:
    """A table's rows grouped by a code 0…n-1 without copying them: the row positions
    in code order (a stable sort: each group's rows in the order they were) and where
    each code's begin. A group is taken when asked for — by the writer's threads
    (``lakehouse.writing``), a county at a time: taking every table's rows in county
    order at once was 28 s of a 10^7-insured export on one core, and a second copy of
    every table in memory (docs/scale.md)."""

    table: pa.Table
    order: pa.Array
    starts: np.ndarray  # n + 1 bounds: code k's rows are order[starts[k]:starts[k + 1]]

    def part(self, code: int) -> pa.Table:
        start, end = int(self.starts[code]), int(self.starts[code + 1])
        return self.table.take(self.order.slice(start, end - start))


class Partition(Mapping[str, pa.Table]):
    """One county's tables of the export: each taken from its :class:`Split` when read."""

    def __init__(self, split: Mapping[str, Split], code: int):
        self._split, self._code = split, code

    def __getitem__(self, name: str) -> pa.Table:
        return self._split[name].part(self._code)

    def __iter__(self) -> Iterator[str]:
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)


def split_rows(table: pa.Table, codes: np.ndarray, n: int) -> Split:
    """``table``'s rows per code 0…n-1, each in the order they were (a stable sort)."""
    order = np.argsort(codes, kind="stable")
    starts = np.concatenate(([0], np.cumsum(np.bincount(codes, minlength=n))))
    return Split(table, pa.array(order), starts)
