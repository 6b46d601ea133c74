"""A costing's per-person tables put together by position: every registered person's
place, status group and sums (``persons``), and the facts per person and programme
(``facts``) the summary tables group.

Why by position and not by joins: a person's rows, their status columns and their place
are each found by their id's position among the people (a lookup table from id to
position when the ids are dense, as registry ids are), and the sums per person and
programme added up in integer fen with NumPy. At ten million people the hash aggregates
and hash joins of DuckDB this replaces (the facts grouped per person and programme,
then per person, then joined back to the persons for every summary table) were the
largest part of a costing's time (docs/scale.md, issue #22). The facts carry each
person's county, township and status group as codes into the persons' own values
(Arrow dictionaries), so the summary tables group them without joining the persons.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import regions, vocab
from doudi.plan.contributions import DECIMAL, decimal_array, decimal_values

MONEY = pa.decimal128(18, 2)
#: The status group of a person whose rules found none (neither side's pension or
#: medical subsidy names a status).
NO_GROUP = "none"
NO_GROUP_ZH = "无代缴或资助身份"
#: A person's sums, each side: what others pay for them (``paid``) and what they owe.
SUMS = ("base_paid", "reform_paid", "base_owed", "reform_owed")

#: A text column of few distinct values (places, status groups; a costing's programmes,
#: payers and clause lists) on millions of rows: a code a row into its values. Taking
#: the text itself for each of ten million people was much of a costing's time.
TEXT = pa.dictionary(pa.int32(), pa.string())

PERSONS = pa.schema(
    [
        ("person_id", pa.int64()),
        *((name, pa.string()) for name in ("id_number", "name")),
        *((name, TEXT) for name in ("county_code", "county", "township")),
        ("village", pa.string()),
        ("status_group", TEXT),
        ("status_group_name", TEXT),
        *(
            (name, MONEY)
            for name in ("base_paid", "reform_paid", "change", "base_owed", "reform_owed")
        ),
        ("owed_change", MONEY),
    ]
)


#: Per person and programme with a row: the person's place and group (codes into the
#: persons' values) and their sums of the programme **in integer fen** (the summary
#: tables add them up and make money of the totals: ``costing.tables``): ten million
#: people's four sums made decimals per programme were a sixth of the persons' time.
FACTS = pa.schema(
    [
        ("person_id", pa.int64()),
        *((name, TEXT) for name in ("programme", "county_code", "township", "status_group")),
        *((name, pa.int64()) for name in SUMS),
    ]
)


@dataclass(frozen=True)
class Part:
    """A programme's joined rows (``table``) and, row for row, what the persons' sums
    are added from: the person's id, whether the row is what the person owes
    (``self``), and both sides' amounts in integer fen. Kept from the join rather than
    read back out of the table's decimals and codes, which at ten million people was a
    third of the persons table's time (docs/scale.md)."""

    table: pa.Table
    person: np.ndarray
    own: np.ndarray
    before: np.ndarray
    after: np.ndarray


class Positions:
    """Where each id lies among ``ids`` (ascending, distinct): through a table from id
    to position when the ids are dense, else by binary search."""

    def __init__(self, ids: np.ndarray) -> None:
        self.ids = ids
        self.low = int(ids[0]) if len(ids) else 0
        span = int(ids[-1]) - self.low + 1 if len(ids) else 0
        self.slot: np.ndarray | None = None
        if span <= 4 * len(ids):
            self.slot = np.full(span, -1, np.int64)
            self.slot[ids - self.low] = np.arange(len(ids))

    def of(self, keys: np.ndarray) -> np.ndarray:
        """Each key's position, -1 for a key not among the ids."""
        keys = keys.astype(np.int64, copy=False)
        if self.slot is not None:
            at = keys - self.low
            if not len(at) or (int(at.min()) >= 0 and int(at.max()) < len(self.slot)):
                # every key inside the table (the rows of the people read): no masks,
                # whose copies were most of this at 10^7 rows
                found: np.ndarray = self.slot[at]
                return found
            inside = (at >= 0) & (at < len(self.slot))
            found = np.full(len(keys), -1, np.int64)
            found[inside] = self.slot[at[inside]]
            return found
        found = np.searchsorted(self.ids, keys)
        found[found >= len(self.ids)] = len(self.ids) - 1 if len(self.ids) else 0
        hit = len(self.ids) > 0 and self.ids[found] == keys
        return np.where(hit, found, -1)

    def spread(self, table: pa.Table, key: str) -> dict[str, pa.ChunkedArray]:
        """``table``'s columns (but ``key``) laid out one row per id (null where it has
        no row of the id)."""
        keys = numbers(table.column(key))
        if np.array_equal(keys, self.ids):
            # the same people in the same order (the registry's places, read as the
            # people are): the columns as they are, not copied by a take
            return {c: table.column(c) for c in table.column_names if c != key}
        at = self.of(keys)
        kept = at >= 0
        row = np.full(len(self.ids), -1, np.int64)
        row[at[kept]] = np.flatnonzero(kept)
        taken = pa.array(row, mask=row < 0)
        return {c: table.column(c).take(taken) for c in table.column_names if c != key}


def persons_and_facts(
    people: pa.Table, places: pa.Table, groups: tuple[pa.Table, pa.Table], parts: Sequence[Part]
) -> tuple[pa.Table, pa.Table]:
    """Every registered person read (``people``, put in id order): place, status group
    (the baseline's pension or medical status, else the reform's), what others pay for
    them and what they owe each side (summed over the rows of ``parts``, 0.00 without
    a row), and the changes; and per person and programme with a row, those sums, with
    the person's place and group (``facts``).

    On two threads (NumPy and Arrow let go of the GIL): the status groups and the places
    on one while the sums are added on the other, then the persons' six money columns
    two at a time. Each is ten million values at 10^7 people, written to memory the
    process has not touched before; one after the other on one core they were most of
    this function's time, the other core idle (docs/scale.md)."""
    ids = numbers(people.column("row_no"))
    if len(ids) > 1 and not bool(np.all(ids[1:] > ids[:-1])):
        order = np.argsort(ids, kind="stable")
        people, ids = people.take(pa.array(order)), ids[order]
    where = Positions(ids)
    with ThreadPoolExecutor(max_workers=2) as pool:
        status_job = pool.submit(_status, where, groups)
        place_job = pool.submit(_places, people, places, where)
        summed = [(part, *_part_sums(part, where)) for part in parts if part.table.num_rows]
        totals = {name: np.zeros(len(ids), np.int64) for name in SUMS}
        for _, at, sums in summed:
            for name in SUMS:
                totals[name][at] += sums[name]
        changes = {
            "change": totals["reform_paid"] - totals["base_paid"],
            "owed_change": totals["reform_owed"] - totals["base_owed"],
        }
        paid = {name: pool.submit(money, values) for name, values in (totals | changes).items()}
        status, (county, township, village) = status_job.result(), place_job.result()
        facts = [_facts(part, at, sums, ids, county, township, status) for part, at, sums in summed]
        amounts = {name: job.result() for name, job in paid.items()}
    counties = [regions.region_name(c) or c for c in county.dictionary.to_pylist()]
    columns = {
        "person_id": pa.array(ids, pa.int64()),
        "id_number": people.column("id_number"),
        "name": people.column("name"),
        "county_code": county,
        "county": pa.DictionaryArray.from_arrays(county.indices, pa.array(counties, pa.string())),
        "township": township,
        "village": village,
        "status_group": status,
        "status_group_name": pa.DictionaryArray.from_arrays(status.indices, _names(status)),
        **amounts,
    }
    persons = pa.table([columns[f.name].cast(f.type) for f in PERSONS], schema=PERSONS)
    return persons, pa.concat_tables(facts) if facts else FACTS.empty_table()


def _places(
    people: pa.Table, places: pa.Table, where: Positions
) -> tuple[pa.DictionaryArray, pa.DictionaryArray, pa.ChunkedArray]:
    """Each person's county code (of their hukou), township and village (as the
    registry holds them, "" for none)."""
    place = where.spread(places, "id")
    township = encoded(pc.fill_null(place["township"], ""))
    return _counties(people.column("hukou_region")), township, pc.fill_null(place["village"], "")


def _names(status: pa.DictionaryArray) -> pa.Array:
    """The Chinese names of the status groups ``status`` codes."""
    named = group_names()
    codes = named.column("status_group").combine_chunks()
    names: pa.Array = (
        named.column("status_group_name")
        .combine_chunks()
        .take(pc.index_in(status.dictionary, value_set=codes))
    )
    return names


def _facts(
    part: Part,
    at: np.ndarray,
    sums: dict[str, np.ndarray],
    ids: np.ndarray,
    county: pa.DictionaryArray,
    township: pa.DictionaryArray,
    status: pa.DictionaryArray,
) -> pa.Table:
    """A programme's facts: per person with a row of it (``at``), their place and group
    as codes into the persons' values, and their sums in fen (``FACTS``)."""
    taken = pa.array(at)
    code = part.table.column("programme")[0].as_py()
    columns = {
        "person_id": pa.array(ids[at], pa.int64()),
        "programme": pa.DictionaryArray.from_arrays(np.zeros(len(at), np.int32), [code]),
        **{
            name: pa.DictionaryArray.from_arrays(codes.indices.take(taken), codes.dictionary)
            for name, codes in (
                ("county_code", county),
                ("township", township),
                ("status_group", status),
            )
        },
        **{name: pa.array(sums[name], pa.int64()) for name in SUMS},
    }
    return pa.table([columns[f.name] for f in FACTS], schema=FACTS)


def _status(where: Positions, groups: tuple[pa.Table, pa.Table]) -> pa.DictionaryArray:
    """Each person's status group: the first of the baseline's then the reform's group
    columns (``groups``, per ``row_no``) that names one, else ``NO_GROUP``. On codes:
    each column's few values are numbered once, a side's columns put together in its
    own rows, and only the rows naming a group laid out at their person's position
    (most people have none): taking each column's text for ten million people, or
    laying out every row of every column, was a large part of the persons table's
    time (docs/scale.md)."""
    values: dict[str, int] = {}
    chosen = np.full(len(where.ids), -1, np.int32)
    for side in groups:
        side_code: np.ndarray | None = None
        for name in side.column_names[1:]:
            codes = encoded(side.column(name))
            named = [values.setdefault(v, len(values)) for v in codes.dictionary.to_pylist()]
            # a null (no group in this column) is code -1, the last of ``mapped``
            mapped = np.array([*named, -1], np.int32)
            found = mapped[np.asarray(pc.fill_null(codes.indices, -1))]
            side_code = found if side_code is None else np.where(side_code >= 0, side_code, found)
        if side_code is None:
            continue
        rows = np.flatnonzero(side_code >= 0)
        at = where.of(numbers(side.column("row_no"))[rows])
        rows, at = rows[at >= 0], at[at >= 0]
        still = chosen[at] < 0  # a group the baseline named stays
        chosen[at[still]] = side_code[rows[still]]
    chosen[chosen < 0] = values.setdefault(NO_GROUP, len(values))
    return pa.DictionaryArray.from_arrays(chosen, pa.array(list(values), pa.string()))


def _counties(hukou: pa.ChunkedArray) -> pa.DictionaryArray:
    """Each person's county code (the hukou region's first six digits): the few
    distinct regions cut once, not every person's (a copy of ten million strings)."""
    regions_held = encoded(pc.fill_null(hukou, ""))
    codes = encoded(pc.utf8_slice_codeunits(regions_held.dictionary, 0, 6))
    of_region = np.asarray(codes.indices)[np.asarray(regions_held.indices)]
    return pa.DictionaryArray.from_arrays(of_region, codes.dictionary)


def group_names() -> pa.Table:
    """Each status group's code and its Chinese name (``status_group_name``)."""
    codes = [*vocab.STATUS, NO_GROUP]
    labels = [vocab.STATUS.label(c) for c in vocab.STATUS] + [NO_GROUP_ZH]
    return pa.table({"status_group": codes, "status_group_name": labels})


def money(fen: np.ndarray) -> pa.Array:
    """Integer fen as DECIMAL(18, 2) money (each 16-byte value the fen sign-extended)."""
    values = np.empty((len(fen), 2), np.int64)
    values[:, 0] = fen
    np.right_shift(fen, 63, out=values[:, 1])
    return decimal_array(values.view(DECIMAL).reshape(-1))


def fen(amounts: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """DECIMAL(18, 2) money as integer fen (null as 0): exact, as 18 digits fit 63 bits."""
    out = np.empty(len(amounts), np.int64)
    start = 0
    # chunk by chunk into one array: no cast, fill or combined copy of the column
    for chunk in amounts.chunks if isinstance(amounts, pa.ChunkedArray) else [amounts]:
        chunk = chunk if chunk.type == MONEY else chunk.cast(MONEY)
        end = start + len(chunk)
        if len(chunk):
            out[start:end] = decimal_values(chunk).view(np.int64)[0::2]
            if chunk.null_count:
                out[start:end][np.asarray(chunk.is_null())] = 0
        start = end
    return out


def _part_sums(part: Part, where: Positions) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """A programme's rows (``rows.combine``'s) summed per person: the positions of the
    people with a row among them (ascending), and each of ``SUMS`` for each of them.

    A programme's rows come in person order, so each person's rows are one run, found
    once and added up at once (``np.add.reduceat``) for the four sums; the owed part is
    the run's ``self`` rows, the paid part the rest. ``np.add.at``'s one row at a time,
    and a masked copy of the rows per sum, were most of this at 10^7 people."""
    at = where.of(part.person)
    own, before, after = part.own, part.before, part.after
    if len(at) and not (int(at.min()) >= 0 and bool(np.all(at[1:] >= at[:-1]))):
        # a row of no one read, or rows out of person order: kept and put in order
        kept = np.flatnonzero(at >= 0)
        kept = kept[np.argsort(at[kept], kind="stable")]
        at, own, before, after = at[kept], own[kept], before[kept], after[kept]
    if not len(at):
        return at, {name: np.zeros(0, np.int64) for name in SUMS}
    starts = np.flatnonzero(np.concatenate([[True], at[1:] != at[:-1]]))
    sums = {}
    for side, amounts in (("base", before), ("reform", after)):
        total = np.add.reduceat(amounts, starts)
        owed = np.add.reduceat(np.where(own, amounts, 0), starts)
        sums[f"{side}_owed"], sums[f"{side}_paid"] = owed, total - owed
    return at[starts], sums


def encoded(column: pa.ChunkedArray | pa.Array) -> pa.DictionaryArray:
    """A string column as one dictionary array (its distinct values and a code a row);
    one already coded as it is."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if isinstance(column, pa.DictionaryArray):
        return column
    encoded: pa.DictionaryArray = column.dictionary_encode()
    return encoded


def numbers(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """An integer column as int64 NumPy values."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    return np.asarray(column.cast(pa.int64()))
