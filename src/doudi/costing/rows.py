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

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doudi.core import regions, vocab
from doudi.costing.reform import ADJUSTED_ZH, Reform, shown
from doudi.engine import backend
from doudi.plan.contributions import DECIMAL, SELF, decimal_array
from doudi.plan.evaluation import Evaluation
from doudi.plan.programmes import Programme

MONEY = "DECIMAL(18, 2)"
#: The status group of a person whose rules found none (neither side's pension or
#: medical subsidy names a status).
NO_GROUP = "none"
NO_GROUP_ZH = "无代缴或资助身份"
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

    ``unchanged``: programmes of ``in_reform`` the reform was not evaluated for, their
    columns proved the baseline's (``costing.lineage``): the baseline's rows are theirs.
    A programme whose two sides' rows are equal is not joined either: each row is its
    baseline on both sides, a difference of 0.00 (the reform's clauses with the
    adjustment's note where its rules read an overridden value)."""
    parts = []
    for programme in reported:
        mine = None
        if before is not None and programme.applies(reform.jurisdiction.document):
            mine = before.rows(programme)
        note = None
        if programme in in_reform:
            if programme in unchanged:
                theirs = mine
            else:
                theirs = None if after is None else after.rows(programme)
            note = adjustment_note(reform, programme)
        elif programme in reform.scope:
            theirs = None  # the reform's rules have no such programme: nothing under them
        else:
            theirs = mine  # not changed by the reform
        if mine is not None and theirs is not None and _equal(mine, theirs):
            parts.append(_same_rows(mine, note))
        elif mine is not None or theirs is not None:
            parts.append(_joined(programme.code, mine, theirs, note))
    amounts = pa.concat_tables(parts) if parts else _ROWS.empty_table()
    lake = duckdb.connect()
    try:
        lake.register("amounts", amounts)
        lake.execute(_FACTS_SQL)
        sums = lake.sql(_SUMS_SQL).to_arrow_table()
        facts = lake.sql("SELECT * FROM facts").to_arrow_table()
    finally:
        lake.close()
    groups = _groups(before, group_columns), _groups(after, group_columns)
    persons = _persons(people, places, groups, sums)
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


_SIDE = pa.schema(
    [
        ("person_id", pa.int64()),
        ("payer", pa.string()),
        ("amount", pa.decimal128(18, 2)),
        ("basis", pa.string()),
    ]
)
_ROWS = pa.schema(
    [
        ("person_id", pa.int64()),
        ("programme", pa.string()),
        ("payer", pa.string()),
        ("baseline", pa.decimal128(18, 2)),
        ("reform", pa.decimal128(18, 2)),
        ("difference", pa.decimal128(18, 2)),
        ("baseline_basis", pa.string()),
        ("reform_basis", pa.string()),
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


def _same_rows(rows: pa.Table, note: str | None) -> pa.Table:
    """A programme's rows the same on both sides: each amount twice, a difference of
    0.00, built column by column without a join (the columns are the rows' own)."""
    t = _side(rows)
    basis = t.column("basis")
    reform_basis = basis
    if note is not None:  # as _JOIN_SQL's concat_ws: the note after the clauses, if any
        with_note = pc.binary_join_element_wise(basis, pa.scalar(note), ";")
        reform_basis = pc.if_else(pc.equal(basis, ""), pa.scalar(note), with_note)
    zero = decimal_array(np.zeros(t.num_rows, DECIMAL))
    columns = [
        t.column("person_id"),
        rows.column("scheme").cast(pa.string()),
        t.column("payer"),
        t.column("amount"),
        t.column("amount"),
        zero,
        basis,
        reform_basis,
    ]
    return pa.table(columns, schema=_ROWS)


def _joined(
    code: str, mine: pa.Table | None, theirs: pa.Table | None, note: str | None
) -> pa.Table:
    """A programme's rows of both sides joined on person and payer (0.00 where a side
    has no row), in DuckDB over the two Arrow tables."""
    lake = duckdb.connect()
    try:
        lake.register("base", _side(mine))
        lake.register("reformed", _side(theirs))
        found = lake.sql(_JOIN_SQL, params={"code": code, "note": note}).to_arrow_table()
    finally:
        lake.close()
    return found.cast(_ROWS)


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


_PERSONS = pa.schema(
    [
        ("person_id", pa.int64()),
        *((name, pa.string()) for name in ("id_number", "name", "county_code", "county")),
        *((name, pa.string()) for name in ("township", "village")),
        ("status_group", pa.string()),
        ("status_group_name", pa.string()),
        *(
            (name, pa.decimal128(18, 2))
            for name in ("base_paid", "reform_paid", "change", "base_owed", "reform_owed")
        ),
        ("owed_change", pa.decimal128(18, 2)),
    ]
)


def _persons(
    people: pa.Table, places: pa.Table, groups: tuple[pa.Table, pa.Table], sums: pa.Table
) -> pa.Table:
    """Every registered person read (``people``, in id order): place, status group (the
    baseline's pension or medical status, else the reform's), what others pay for them
    and what they owe each side (``sums``, 0.00 without a row), and the changes.

    Put together by position: each table's row of a person is found by id
    (``pc.index_in``) and its columns taken, rather than hash-joined in DuckDB with the
    names and places carried through every join and a sort (3–8 s at 10^6 people on a
    shared machine, docs/scale.md)."""
    ids = np.asarray(people.column("row_no").combine_chunks().cast(pa.int64()))
    if len(ids) > 1 and not bool(np.all(ids[1:] > ids[:-1])):
        order = np.argsort(ids, kind="stable")
        people, ids = people.take(pa.array(order)), ids[order]
    person_id = pa.array(ids, pa.int64())

    def of(table: pa.Table, key: str) -> dict[str, pa.ChunkedArray]:
        """``table``'s columns for each person (null where it has no row of them)."""
        at = pc.index_in(person_id, value_set=table.column(key).combine_chunks())
        return {c: table.column(c).take(at) for c in table.column_names if c != key}

    before, after = (of(side, "row_no") for side in groups)
    status = pc.coalesce(*before.values(), *after.values(), pa.scalar(NO_GROUP))
    named = group_names()
    county_code = pc.utf8_slice_codeunits(pc.fill_null(people.column("hukou_region"), ""), 0, 6)
    codes = pc.unique(county_code.combine_chunks())
    counties = pa.array([regions.region_name(c) or c for c in codes.to_pylist()], pa.string())
    zero = pa.scalar(0, pa.decimal128(18, 2))
    money = {c: pc.fill_null(v, zero) for c, v in of(sums, "person_id").items()}
    place = of(places, "id")

    def minus(a: str, b: str) -> pa.ChunkedArray:
        return pc.subtract(money[a], money[b]).cast(pa.decimal128(18, 2))

    columns = {
        "person_id": person_id,
        "id_number": people.column("id_number"),
        "name": people.column("name"),
        "county_code": county_code,
        "county": counties.take(pc.index_in(county_code, value_set=codes)),
        "township": pc.fill_null(place["township"], ""),
        "village": pc.fill_null(place["village"], ""),
        "status_group": status,
        "status_group_name": named.column("status_group_name").take(
            pc.index_in(status, value_set=named.column("status_group").combine_chunks())
        ),
        "base_paid": money["base_paid"],
        "reform_paid": money["reform_paid"],
        "change": minus("reform_paid", "base_paid"),
        "base_owed": money["base_owed"],
        "reform_owed": money["reform_owed"],
        "owed_change": minus("reform_owed", "base_owed"),
    }
    return pa.table([columns[f.name].cast(f.type) for f in _PERSONS], schema=_PERSONS)


def group_names() -> pa.Table:
    """Each status group's code and its Chinese name (``status_group_name``)."""
    codes = [*vocab.STATUS, NO_GROUP]
    labels = [vocab.STATUS.label(c) for c in vocab.STATUS] + [NO_GROUP_ZH]
    return pa.table({"status_group": codes, "status_group_name": labels})


#: A programme's two sides joined on person and payer (0.00 where a side has no row).
_JOIN_SQL = f"""
SELECT coalesce(b.person_id, r.person_id) AS person_id,
       CAST($code AS VARCHAR) AS programme,
       coalesce(b.payer, r.payer) AS payer,
       CAST(coalesce(b.amount, 0) AS {MONEY}) AS baseline,
       CAST(coalesce(r.amount, 0) AS {MONEY}) AS reform,
       CAST(coalesce(r.amount, 0) - coalesce(b.amount, 0) AS {MONEY}) AS difference,
       b.basis AS baseline_basis,
       CASE WHEN r.person_id IS NULL THEN NULL
            ELSE concat_ws(';', nullif(r.basis, ''), CAST($note AS VARCHAR)) END AS reform_basis
FROM base AS b
FULL JOIN reformed AS r ON b.person_id = r.person_id AND b.payer = r.payer
"""

#: Per person and programme: what others pay for or to them, what they owe, each side.
_FACTS_SQL = f"""
CREATE TEMP TABLE facts AS
SELECT person_id, programme,
       CAST(coalesce(sum(baseline) FILTER (WHERE payer <> '{SELF}'), 0) AS {MONEY}) AS base_paid,
       CAST(coalesce(sum(reform) FILTER (WHERE payer <> '{SELF}'), 0) AS {MONEY}) AS reform_paid,
       CAST(coalesce(sum(baseline) FILTER (WHERE payer = '{SELF}'), 0) AS {MONEY}) AS base_owed,
       CAST(coalesce(sum(reform) FILTER (WHERE payer = '{SELF}'), 0) AS {MONEY}) AS reform_owed
FROM amounts
GROUP BY person_id, programme
"""

#: What others pay for each person and what they owe, each side, summed over the
#: programmes (only the people with a row).
_SUMS_SQL = f"""
SELECT person_id,
       CAST(sum(base_paid) AS {MONEY}) AS base_paid,
       CAST(sum(reform_paid) AS {MONEY}) AS reform_paid,
       CAST(sum(base_owed) AS {MONEY}) AS base_owed,
       CAST(sum(reform_owed) AS {MONEY}) AS reform_owed
FROM facts GROUP BY person_id
"""

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
