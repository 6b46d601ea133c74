"""The plan's contribution rows from the rules' output: one per person and payer.

``rows`` turns a programme's per-person columns (``rp_fund_<payer>`` for each
government payer of the pension, ``rp_self_due`` for what the person still owes,
``rp_basis`` for the clauses; ``rm_…`` for the medical subsidy: ``plan.programmes``)
into the ``registry_contribution`` rows of a plan version: a row for each payer whose
part is above zero on an eligible person and a ``self`` row for each person the
programme collects a part from, persons in id order and payers by name, each row's
clause list sorted and distinct.

Why NumPy rather than SQL: at ten million people the statement that did this in
DuckDB (a UNION ALL per payer, ORDER BY person and payer, the clause lists split and
sorted per row) took 3 s, half of it sorting strings and half normalising the same
few clause lists millions of times. Here the persons are put in order by a table from
id to row (ids are nearly dense), the rows are read off a persons × payers mask in
that order, the amounts are copied as the decimals' 16-byte values (one NumPy item
each), and each distinct clause list is normalised once, on a second thread: 0.9–1.4 s
on two cores, the same rows.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doudi.plan.programmes import RESIDENT_PENSION, Programme
from doudi.store import db

STATE = "planned"
SELF = "self"
#: A decimal128 value as one NumPy item, its 16 bytes: NumPy gathers and scatters
#: items three times as fast as rows of two 64-bit words.
DECIMAL = np.dtype("V16")


def rows(
    out: pa.Table, year: int, programme: Programme = RESIDENT_PENSION, *, coded: bool = False
) -> pa.Table:
    """One row per person and payer of the programme (``self`` = the person's part).

    The clause lists are normalised on a second thread while the rows are found, and
    picked for the rows while their other columns are built (Arrow and NumPy let go
    of the GIL): at 10^7 people about a tenth less time on two cores.

    ``coded``: the payer and the clause list as codes into their few distinct values
    (Arrow dictionaries, the same text when read), for a reader that works on the codes
    (a costing joins and sums them): writing the text out for each of ten million rows
    and hashing it back into codes was a tenth of a costing's join (docs/scale.md).
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        clauses = pool.submit(_clause_lists, out.column(programme.basis).combine_chunks())
        found = Found.of(out, programme)
        lists, of_row = clauses.result()
        payers = pa.array(found.payers, pa.string())
        if coded:
            distinct, code = _distinct(lists)
            basis = pool.submit(lambda: _coded(code[of_row[found.source]], distinct))
            payer = _coded(found.payer_code, payers)
        else:
            basis = pool.submit(lambda: lists.take(pa.array(of_row[found.source])))
            payer = payers.take(pa.array(found.payer_code))
        total = len(found.source)
        table = {
            "person_id": pa.array(found.person_id),
            "year": pa.array(np.full(total, year, np.int16)),
            "scheme": repeated(programme.code, total),
            "payer": payer,
            "amount": decimal_array(found.amount),
            "state": repeated(STATE, total),
            "basis": basis.result(),
        }
    return pa.table(table)


def _distinct(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """The distinct ``values`` (first seen first) and each value's place among them:
    two raw clause lists can normalise to the same list."""
    seen: dict[str, int] = {}
    code = [seen.setdefault(v, len(seen)) for v in values.to_pylist()]
    return pa.array(list(seen), pa.string()), np.asarray(code, np.int32)


def _coded(codes: np.ndarray, values: pa.Array) -> pa.DictionaryArray:
    """``codes`` into ``values`` as one dictionary array."""
    return pa.DictionaryArray.from_arrays(codes.astype(np.int32, copy=False), values)


#: The columns that make a version's rows what they are: its id, year, scheme (the
#: programme) and state (planned) are the same on every row of a version.
IDENTITY = ("person_id", "payer", "amount", "basis")


def checksum(rows: pa.Table) -> str:
    """SHA-256 of the rows' ``IDENTITY`` columns, value by value in row order: equal
    rows in the same order give the same checksum however Arrow chunks them, so rows
    read back from the registry (``stored_order``) hash as the rows the plan built."""
    digest = hashlib.sha256()
    for name in IDENTITY:
        column = rows.column(name)
        for chunk in column.chunks:
            _feed(digest, chunk)
        digest.update(name.encode())  # a column's end
    return digest.hexdigest()


def stored_order(rows: pa.Table) -> pa.Table:
    """A version's rows as read from the registry, in the order ``rows`` builds them
    (persons by id, payers by name: byte order, as Python sorts them) and typed alike."""
    typed = pa.table(
        {
            "person_id": rows.column("person_id").cast(pa.int64()),
            "payer": rows.column("payer").cast(pa.string()),
            "amount": rows.column("amount").cast(db.MONEY),
            "basis": rows.column("basis").cast(pa.string()),
        }
    )
    order = pc.sort_indices(typed, [("person_id", "ascending"), ("payer", "ascending")])
    return typed.take(order)


def _feed(digest: Any, chunk: pa.Array) -> None:
    """Feed a chunk's values to ``digest`` as bytes that do not depend on where they lie
    in its buffers (a slice, a chunk of a larger array); without copying the text."""
    if not len(chunk):
        return
    if pa.types.is_string(chunk.type):
        offsets = np.frombuffer(chunk.buffers()[1], np.int32)[
            chunk.offset : chunk.offset + len(chunk) + 1
        ]
        digest.update((offsets - offsets[0]).astype("<i4").tobytes())
        data = chunk.buffers()[2]
        if data is not None:
            digest.update(memoryview(data)[offsets[0] : offsets[-1]])
    elif pa.types.is_decimal(chunk.type):
        digest.update(decimal_values(chunk).tobytes())
    else:
        digest.update(np.asarray(chunk.cast(pa.int64())).astype("<i8").tobytes())


@dataclass(frozen=True)
class Found:
    """The plan's rows, persons in id order and payers by name: of which row of the
    rules' output each is (``source``), its person, payer (a code into ``payers``) and
    amount (``decimal_values``)."""

    source: np.ndarray
    person_id: np.ndarray
    payers: list[str]
    payer_code: np.ndarray
    amount: np.ndarray

    @classmethod
    def of(cls, out: pa.Table, programme: Programme) -> Found:
        n = out.num_rows
        row_no = np.asarray(out.column("row_no").combine_chunks().cast(pa.int64()))
        order = _person_order(row_no)
        prefix = programme.fund_prefix
        funds = [c[len(prefix) :] for c in out.column_names if c.startswith(prefix)]
        payers = sorted([*funds, SELF])
        # persons (in id order) by payers: which rows there are, read row by row
        chosen = np.empty((n, len(payers)), bool)
        values = []
        for code, payer in enumerate(payers):
            mask, amounts = _payer_part(out, programme, payer)
            chosen[:, code] = mask[order]
            values.append(amounts)
        flat = np.flatnonzero(chosen)
        del chosen
        source = order[flat // len(payers)]
        payer_code = flat % len(payers)
        # every payer's amounts one after the other: the row's amount is at code·n + source
        amount = np.concatenate(values)[payer_code * n + source]
        return cls(source, row_no[source], payers, payer_code.astype(np.int8), amount)


def _person_order(row_no: np.ndarray) -> np.ndarray:
    """The rows in id order: through a table from id to row when the ids are dense
    (as registry ids are) and distinct, else by a stable sort."""
    n = len(row_no)
    if n:
        low = int(row_no.min())
        span = int(row_no.max()) - low + 1
        if span <= 4 * n:
            slot = np.full(span, -1, np.int64)
            slot[row_no - low] = np.arange(n)
            order = slot[slot >= 0]
            if len(order) == n:  # each id once
                return order
    return np.argsort(row_no, kind="stable")


def _payer_part(out: pa.Table, programme: Programme, payer: str) -> tuple[np.ndarray, np.ndarray]:
    """Which persons get a row of ``payer``, and every person's amount of it (as
    ``decimal_values``; only the chosen rows' are read)."""

    def flag(name: str) -> pa.Array:
        return pc.fill_null(out.column(name).combine_chunks(), False)

    if payer == SELF:
        part = out.column(programme.self_due).combine_chunks().cast(db.MONEY)
        chosen = pc.and_(flag(programme.self_when), pc.is_valid(part))
    else:
        part = out.column(programme.fund_prefix + payer).combine_chunks().cast(db.MONEY)
        above = pc.fill_null(pc.greater(part, pa.scalar(0, db.MONEY)), False)
        chosen = pc.and_(flag(programme.eligible), above)
    return np.asarray(chosen), decimal_values(part)


def decimal_values(part: pa.Array) -> np.ndarray:
    """A decimal128 array's values as 16-byte NumPy items (no copy)."""
    data = part.buffers()[1]
    if data is None or not len(part):
        return np.empty(0, DECIMAL)
    return np.frombuffer(data, DECIMAL, count=part.offset + len(part))[part.offset :]


def decimal_array(values: np.ndarray, valid: pa.Buffer | None = None) -> pa.Array:
    """Money from 16-byte items (``decimal_values``), null where ``valid`` says so."""
    return pa.Array.from_buffers(
        db.MONEY, len(values), [valid, pa.py_buffer(values.view(np.uint8))]
    )


def _clause_lists(basis: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """The distinct clause lists of the rules' output, each sorted and distinct and
    ";"-joined ("" for none), and which of them each row has: each distinct list is
    put in order once."""
    encoded = pc.dictionary_encode(basis, null_encoding="encode")
    lists = [_clause_list(text) for text in encoded.dictionary.to_pylist()]
    return pa.array(lists, pa.string()), np.asarray(encoded.indices)


def _clause_list(text: str | None) -> str:
    return ";".join(sorted({clause for clause in (text or "").split(";") if clause}))


def repeated(value: str, n: int) -> pa.ChunkedArray:
    """``n`` times the same non-empty string, built straight from its buffers
    (``pa.repeat`` takes four times as long), in chunks that share them (a chunk's
    string offsets are 32-bit)."""
    data = value.encode()
    size = min(n, (2**31 - 1) // len(data) - 1)
    if not size:
        return pa.chunked_array([], pa.string())
    offsets = np.arange(0, (size + 1) * len(data), len(data), dtype=np.int32)
    chunk = pa.Array.from_buffers(
        pa.string(), size, [None, pa.py_buffer(offsets), pa.py_buffer(data * size)]
    )
    sizes = [size] * (n // size) + ([n % size] if n % size else [])
    return pa.chunked_array([chunk.slice(0, k) for k in sizes], pa.string())
