"""A costing's rows: per person, programme and payer, the baseline's amount and the
reform's side by side, each with the clauses that decided it.

Each side's rows are the plan's contribution rows (``plan.contributions``, through
``Evaluation.rows``): what a plan version would hold, one row per person and payer,
``self`` being what the person still owes. The two sides are joined on person and
payer, programme by programme; a row one side has and the other not is 0.00 on the
other (nothing paid, nothing owed). A programme the changes do not apply to, or whose
rows the reform leaves as they are, keeps the baseline's rows on both sides, without
a join; one the reform's rules do not have has none under the reform. The reform's
clause list ends with "测算：参数调整 …" where its programme's rules read an overridden
value, so that a row never shows a reformed amount as if a document had decided it.

The rows carry the person's id only: the ID number, name, place and status group are
in ``persons``, once per person, and put beside the rows (``detail``) only for the rows
an officer reads. At ten million people those columns on each of 14 million rows,
sorted by place, were most of a costing's time and memory (docs/scale.md).

A person's **change** is what others (every payer but ``self``: finance, the funds,
third parties) pay for or to them under the reform less under the baseline, summed over
the programmes reported: above zero the person gains, below zero loses, 0.00 is
unchanged; what they owe themselves changes apart (``owed_change``). Not the two
together: a government part is paid towards the person's own contribution, so a part
of 70.00 raised to 100.00 is 30.00 more for the person and 30.00 less owed, one gain of
30.00 (docs/costing.md, reading 51).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import vocab
from doudi.costing import positions
from doudi.costing.positions import Part
from doudi.costing.reform import ADJUSTED_ZH, Reform, shown
from doudi.engine import backend
from doudi.plan.contributions import DECIMAL, SELF, decimal_array
from doudi.plan.evaluation import Evaluation
from doudi.plan.programmes import Programme

#: Where a programme's rules read their parameters (Params.section): the pension's for
#: Panzhihua's subsidy and third-party funding, computed inside the pension's rule.
SECTION = {
    "resident_pension_subsidy": "resident_pension",
    "third_party_funding": "resident_pension",
}


@dataclass(frozen=True)
class Found:
    """The joined rows (``rows``: per person id, programme and payer, in no particular
    order) and one row per registered person of the region (``persons``)."""

    rows: pa.Table
    persons: pa.Table
    facts: pa.Table  # per person and programme with a row: paid and owed, each side


def section(programme: Programme) -> str:
    return SECTION.get(programme.code, programme.code)


def adjustment_note(reform: Reform, programme: Programme) -> str | None:
    """ "测算：参数调整（path=value）" naming the overridden values the programme's rules
    read under the reform (as compiled for the costing's evaluation), None for none."""
    if not reform.overrides:
        return None
    compiled = backend.plan(
        reform.rules, reform.year, reform.overrides, kind="registry", territory=reform.territory
    )
    read = [v for v in compiled.params.used(section(programme)) if v.override]
    if not read:
        return None
    return f"{ADJUSTED_ZH}（" + "，".join(f"{v.path}={shown(v.value)}" for v in read) + "）"


def combine(
    reform: Reform,
    reported: Sequence[Programme],
    base_rows: Mapping[Programme, pa.Table],
    before: Evaluation | None,
    after: Evaluation | None,
    in_reform: Sequence[Programme],
    people: pa.Table,
    places: pa.Table,
    group_columns: Sequence[str],
    *,
    unchanged: Collection[Programme] = (),
) -> Found:
    """Both sides' rows of the ``reported`` programmes joined, and every person's place,
    status group and change (``people``: the engine's people, everyone read).
    ``base_rows``: the baseline's contribution rows of each programme its document has
    (``Evaluation.rows``, coded), made by the caller while the reform was evaluated.

    ``unchanged``: programmes of ``in_reform`` the reform was not evaluated for, their
    columns proved the baseline's (``costing.lineage``): the baseline's rows are theirs.
    A programme whose two sides' rows are equal is not joined either: each row is its
    baseline on both sides, a difference of 0.00 (the reform's clauses with the
    adjustment's note where its rules read an overridden value)."""
    parts = []
    for programme in reported:
        mine = base_rows.get(programme)
        note = None
        if programme in in_reform:
            if programme in unchanged:
                theirs = mine
            else:
                theirs = None if after is None else after.rows(programme, coded=True)
            note = adjustment_note(reform, programme)
        elif programme in reform.scope:
            theirs = None  # the reform's rules have no such programme: nothing under them
        else:
            theirs = mine  # not changed by the reform
        if mine is not None and theirs is not None and _equal(mine, theirs):
            parts.append(_same_rows(mine, note))
        elif mine is not None or theirs is not None:
            parts.append(_joined(programme.code, mine, theirs, note))
    amounts = pa.concat_tables([p.table for p in parts]) if parts else _ROWS.empty_table()
    groups = _groups(before, group_columns), _groups(after, group_columns)
    persons, facts = positions.persons_and_facts(people, places, groups, parts)
    return Found(amounts, persons, facts)


def detail(amounts: pa.Table, persons: pa.Table, programmes: Sequence[Programme]) -> pa.Table:
    """``amounts`` (rows of ``Found.rows``) with each person's ID number, name, place
    and status group beside them, in place and ID-number order, programmes in the
    plan's order and payers in vocab.PAYER's (``self`` last): what an officer reads
    (人员明细, a person's rows). Made for the rows asked for, not kept for a costing:
    the person columns on every row of ten million people were gigabytes."""
    lake = duckdb.connect()
    try:
        lake.register("amounts", amounts)
        lake.register("persons", persons)
        order = {"order": [p.code for p in programmes], "payers": list(vocab.PAYER)}
        return lake.sql(_DETAIL, params=order).to_arrow_table()
    finally:
        lake.close()


TEXT = positions.TEXT
_SIDE = pa.schema(
    [
        ("person_id", pa.int64()),
        ("payer", TEXT),
        ("amount", pa.decimal128(18, 2)),
        ("basis", TEXT),
    ]
)
_ROWS = pa.schema(
    [
        ("person_id", pa.int64()),
        ("programme", TEXT),
        ("payer", TEXT),
        ("baseline", pa.decimal128(18, 2)),
        ("reform", pa.decimal128(18, 2)),
        ("difference", pa.decimal128(18, 2)),
        ("baseline_basis", TEXT),
        ("reform_basis", TEXT),
    ]
)


def _side(contribution_rows: pa.Table | None) -> pa.Table:
    """A programme's contribution rows as one side of the join (none: no row)."""
    if contribution_rows is None:
        return _SIDE.empty_table()
    t = contribution_rows
    return pa.table([t.column(f.name).cast(f.type) for f in _SIDE], schema=_SIDE)


def _equal(mine: pa.Table, theirs: pa.Table) -> bool:
    """Whether two contribution rows are the same rows (``contributions.IDENTITY``)."""
    return mine is theirs or _side(mine).equals(_side(theirs))


def _same_rows(rows: pa.Table, note: str | None) -> Part:
    """A programme's rows the same on both sides: each amount twice, a difference of
    0.00, built column by column without a join (the columns are the rows' own)."""
    t = _side(rows)
    n = t.num_rows
    lists = positions.encoded(t.column("basis"))
    payer = positions.encoded(t.column("payer"))
    columns = [
        t.column("person_id"),
        _constant(rows.column("scheme")[0].as_py() if n else "", n),
        payer,
        t.column("amount"),
        t.column("amount"),
        decimal_array(np.zeros(n, DECIMAL)),
        lists,
        pa.DictionaryArray.from_arrays(lists.indices, _noted(lists.dictionary, note)),
    ]
    amounts = positions.fen(t.column("amount"))
    own = np.asarray(pc.equal(payer.dictionary, SELF), bool)[np.asarray(payer.indices)]
    person = positions.numbers(t.column("person_id"))
    return Part(pa.table(columns, schema=_ROWS), person, own, amounts, amounts)


def _constant(value: str, n: int) -> pa.DictionaryArray:
    """``n`` times ``value``, as one code a row."""
    return pa.DictionaryArray.from_arrays(np.zeros(n, np.int32), pa.array([value], pa.string()))


def _noted(basis: pa.Array, note: str | None) -> pa.Array:
    """The reform's clauses: the adjustment's note after the clauses, if any."""
    if note is None:
        return basis
    with_note = pc.binary_join_element_wise(basis, pa.scalar(note), ";")
    return pc.if_else(pc.equal(basis, ""), pa.scalar(note), with_note)


def _joined(code: str, mine: pa.Table | None, theirs: pa.Table | None, note: str | None) -> Part:
    """A programme's rows of both sides joined on person and payer (0.00 where a side
    has no row, its clauses null), in person and payer order.

    By integer keys in NumPy, not a hash join on strings: a row's key is its person
    and its payer's place among both sides' payer names (one row per person and payer
    a side), the joined rows are the distinct keys of either side in order, and each
    side's row is put at its key's place. DuckDB's full join of the two, carrying the
    clause lists through it, was the costliest step of the join at 10^6 people. The
    text columns are codes into their few values (``TEXT``): at 10^7 people taking
    each row's clause list as text was a quarter of the join's time."""
    base, reformed = _side(mine), _side(theirs)
    payer_codes = (
        positions.encoded(base.column("payer")),
        positions.encoded(reformed.column("payer")),
    )
    names = pa.array(
        sorted({name for codes in payer_codes for name in codes.dictionary.to_pylist()}),
        pa.string(),
    )
    width = max(len(names), 1)

    def keys(side: pa.Table, payer: pa.DictionaryArray) -> np.ndarray:
        place = np.asarray(pc.index_in(payer.dictionary, value_set=names), np.int64)
        person = positions.numbers(side.column("person_id"))
        made: np.ndarray = person * width + place[np.asarray(payer.indices)]
        return made

    mine_keys, their_keys = keys(base, payer_codes[0]), keys(reformed, payer_codes[1])
    key, mine_at, their_at = _merged(mine_keys, their_keys)
    n = len(key)

    def at(
        side: pa.Table, where: np.ndarray, noted: str | None
    ) -> tuple[pa.Array, np.ndarray, pa.ChunkedArray | pa.Array]:
        """Each joined row's clauses on ``side`` (null: no row there) and its amounts,
        in fen and as money (``where``: the joined row of each of the side's rows)."""
        lists = positions.encoded(side.column("basis"))
        named = _noted(lists.dictionary, noted)
        amounts = positions.fen(side.column("amount"))
        if len(where) == n:  # a row on this side for every joined row, in their order
            # the side's own money column: not made again from the fen
            basis = pa.DictionaryArray.from_arrays(lists.indices, named)
            return basis, amounts, side.column("amount")
        spread = np.zeros(n, np.int64)
        spread[where] = amounts
        which = np.full(n, -1, np.int32)
        which[where] = np.asarray(lists.indices)
        codes = pa.array(which, mask=which < 0)
        return pa.DictionaryArray.from_arrays(codes, named), spread, positions.money(spread)

    mine_basis, before, before_money = at(base, mine_at, None)
    their_basis, after, after_money = at(reformed, their_at, note)
    person, payer = np.divmod(key, width)
    own = payer == (names.to_pylist().index(SELF) if SELF in names.to_pylist() else -1)
    columns = [
        pa.array(person, pa.int64()),
        _constant(code, n),
        pa.DictionaryArray.from_arrays(payer.astype(np.int32), names),
        before_money,
        after_money,
        positions.money(after - before),
        mine_basis,
        their_basis,
    ]
    return Part(pa.table(columns, schema=_ROWS), person, own, before, after)


def _merged(mine: np.ndarray, theirs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct keys of two ascending runs of distinct keys, in order, and where
    each run's keys lie among them. The same keys on both sides (most of a reform's
    rows) need no merge; else a stable sort of the two runs (a merge), each key's
    place its count of distinct keys before it, where looking each key up again
    (``np.searchsorted``) was a tenth of the join's time at 10^7 people."""
    if np.array_equal(mine, theirs):
        every = np.arange(len(mine))
        return mine, every, every
    both = np.concatenate([mine, theirs])
    order = np.argsort(both, kind="stable")
    ordered = both[order]
    new = np.ones(len(both), bool)
    new[1:] = ordered[1:] != ordered[:-1]
    place = np.empty(len(both), np.int64)
    place[order] = np.cumsum(new) - 1
    return ordered[new], place[: len(mine)], place[len(mine) :]


def _groups(evaluated: Evaluation | None, columns: Sequence[str]) -> pa.Table:
    """Each evaluated person's status columns (``row_no`` and ``columns``, null where
    the rules' output has none)."""
    schema = pa.schema([("row_no", pa.int64()), *((c, pa.string()) for c in columns)])
    if evaluated is None:
        return schema.empty_table()
    out = evaluated.out
    n = out.num_rows
    arrays = [out.column("row_no").cast(pa.int64())]
    for c in columns:
        arrays.append(out.column(c).cast(pa.string()) if c in out.column_names else pa.nulls(n))
    return pa.table(arrays, schema=schema)


#: The rows with their person, in place and ID-number order, programmes in the plan's
#: order and payers in vocab.PAYER's (``self`` last).
_DETAIL = """
SELECT a.person_id, p.id_number, p.name, p.county_code, p.county, p.township, p.village,
       p.status_group, p.status_group_name, a.programme, a.payer,
       a.baseline, a.reform, a.difference, a.baseline_basis, a.reform_basis
FROM amounts AS a
JOIN persons AS p USING (person_id)
ORDER BY p.county_code, p.township, p.id_number, list_position($order, a.programme),
         list_position($payers, a.payer), a.payer
"""
