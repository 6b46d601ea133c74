"""A costing's rows: per person, programme and payer, the baseline's amount and the
reform's side by side, each with the clauses that decided it.

Each side's rows are the plan's contribution rows (``plan.contributions``, through
``Evaluation.rows``): what a plan version would hold, one row per person and payer,
``self`` being what the person still owes. The two sides are joined on person,
programme and payer; a row one side has and the other not is 0.00 on the other
(nothing paid, nothing owed). A programme the changes do not apply to keeps the
baseline's rows on both sides; one the reform's rules do not have has none under the
reform. The reform's clause list ends with "测算：参数调整 …" where its programme's
rules read an overridden value, so that a row never shows a reformed amount as if a
document had decided it.

A person's **change** is what others (every payer but ``self``: finance, the funds,
third parties) pay for or to them under the reform less under the baseline, summed over
the programmes reported: above zero the person gains, below zero loses, 0.00 is
unchanged; what they owe themselves changes apart (``owed_change``). Not the two
together: a government part is paid towards the person's own contribution, so a part
of 70.00 raised to 100.00 is 30.00 more for the person and 30.00 less owed, one gain of
30.00 (docs/costing.md, reading 51).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from doudi.core import regions, vocab
from doudi.costing.reform import ADJUSTED_ZH, Reform, shown
from doudi.engine import backend
from doudi.plan.contributions import SELF
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
    """The joined rows (``rows``: person identity, place and status group beside each)
    and one row per registered person of the region (``persons``)."""

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
) -> Found:
    """Both sides' rows of the ``reported`` programmes joined, and every person's place,
    status group and change (``people``: the engine's people, everyone read)."""
    base_side, reform_side, notes = [], [], []
    for programme in reported:
        mine = None
        if before is not None and programme.applies(reform.jurisdiction.document):
            mine = before.rows(programme)
        if programme in in_reform and after is not None:
            theirs = after.rows(programme)
            note = adjustment_note(reform, programme)
            if note:
                notes.append({"programme": programme.code, "note": note})
        elif programme in reform.scope:
            theirs = None  # the reform's rules have no such programme: nothing under them
        else:
            theirs = mine  # not changed by the reform
        base_side += [_side(mine)] if mine is not None else []
        reform_side += [_side(theirs)] if theirs is not None else []
    lake = duckdb.connect()
    try:
        lake.register("base", _concat(base_side))
        lake.register("reformed", _concat(reform_side))
        lake.register("notes", pa.Table.from_pylist(notes, schema=_NOTES))
        lake.register("people", people.select(["row_no", "id_number", "name", "hukou_region"]))
        lake.register("places", places)
        lake.register("before_groups", _groups(before, group_columns))
        lake.register("after_groups", _groups(after, group_columns))
        lake.execute(_ROWS_SQL)
        lake.execute(_FACTS_SQL)
        lake.execute(_PERSONS_SQL)
        counties = [r[0] for r in lake.sql("SELECT DISTINCT county_code FROM persons").fetchall()]
        lake.register("counties", _county_names(counties))
        lake.register("group_names", group_names())
        persons = lake.sql(_PERSONS_OUT).to_arrow_table()
        order = {"order": [p.code for p in reported], "payers": list(vocab.PAYER)}
        joined = lake.sql(_ROWS_OUT, params=order).to_arrow_table()
        facts = lake.sql("SELECT * FROM facts").to_arrow_table()
    finally:
        lake.close()
    return Found(joined, persons, facts)


_SIDE = pa.schema(
    [
        ("person_id", pa.int64()),
        ("programme", pa.string()),
        ("payer", pa.string()),
        ("amount", pa.decimal128(18, 2)),
        ("basis", pa.string()),
    ]
)
_NOTES = pa.schema([("programme", pa.string()), ("note", pa.string())])


def _side(contribution_rows: pa.Table) -> pa.Table:
    """A programme's contribution rows as one side of the join."""
    t = contribution_rows
    return pa.table(
        [
            t.column("person_id").cast(pa.int64()),
            t.column("scheme").cast(pa.string()),
            t.column("payer").cast(pa.string()),
            t.column("amount").cast(pa.decimal128(18, 2)),
            t.column("basis").cast(pa.string()),
        ],
        schema=_SIDE,
    )


def _concat(parts: list[pa.Table]) -> pa.Table:
    return pa.concat_tables(parts) if parts else _SIDE.empty_table()


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


def _county_names(codes: list[str]) -> pa.Table:
    return pa.table(
        {"county_code": codes, "county": [regions.region_name(c) or c for c in codes]},
        schema=pa.schema([("county_code", pa.string()), ("county", pa.string())]),
    )


def group_names() -> pa.Table:
    """Each status group's code and its Chinese name (``status_group_name``)."""
    codes = [*vocab.STATUS, NO_GROUP]
    labels = [vocab.STATUS.label(c) for c in vocab.STATUS] + [NO_GROUP_ZH]
    return pa.table({"status_group": codes, "status_group_name": labels})


#: Both sides joined on person, programme and payer (0.00 where a side has no row).
_ROWS_SQL = f"""
CREATE TEMP TABLE joined AS
SELECT coalesce(b.person_id, r.person_id) AS person_id,
       coalesce(b.programme, r.programme) AS programme,
       coalesce(b.payer, r.payer) AS payer,
       CAST(coalesce(b.amount, 0) AS {MONEY}) AS baseline,
       CAST(coalesce(r.amount, 0) AS {MONEY}) AS reform,
       CAST(coalesce(r.amount, 0) - coalesce(b.amount, 0) AS {MONEY}) AS difference,
       b.basis AS baseline_basis,
       CASE WHEN r.person_id IS NULL THEN NULL
            ELSE concat_ws(';', nullif(r.basis, ''), n.note) END AS reform_basis
FROM base AS b
FULL JOIN reformed AS r
  ON b.person_id = r.person_id AND b.programme = r.programme AND b.payer = r.payer
LEFT JOIN notes AS n ON n.programme = coalesce(b.programme, r.programme)
"""

#: Per person and programme: what others pay for or to them, what they owe, each side.
_FACTS_SQL = f"""
CREATE TEMP TABLE facts AS
SELECT person_id, programme,
       CAST(coalesce(sum(baseline) FILTER (WHERE payer <> '{SELF}'), 0) AS {MONEY}) AS base_paid,
       CAST(coalesce(sum(reform) FILTER (WHERE payer <> '{SELF}'), 0) AS {MONEY}) AS reform_paid,
       CAST(coalesce(sum(baseline) FILTER (WHERE payer = '{SELF}'), 0) AS {MONEY}) AS base_owed,
       CAST(coalesce(sum(reform) FILTER (WHERE payer = '{SELF}'), 0) AS {MONEY}) AS reform_owed
FROM joined
GROUP BY person_id, programme
"""

#: Every registered person read: place, status group (the baseline's pension or medical
#: status, else the reform's), what others pay for them and what they owe, each side
#: summed over the programmes, and the changes.
_PERSONS_SQL = f"""
CREATE TEMP TABLE persons AS
WITH sums AS (
    SELECT person_id, sum(base_paid) AS base_paid, sum(reform_paid) AS reform_paid,
           sum(base_owed) AS base_owed, sum(reform_owed) AS reform_owed
    FROM facts GROUP BY person_id
)
SELECT CAST(p.row_no AS BIGINT) AS person_id, p.id_number, p.name,
       substr(coalesce(p.hukou_region, ''), 1, 6) AS county_code,
       coalesce(pl.township, '') AS township, coalesce(pl.village, '') AS village,
       coalesce(b.rp_category, b.rm_category, r.rp_category, r.rm_category, '{NO_GROUP}')
           AS status_group,
       CAST(coalesce(x.base_paid, 0) AS {MONEY}) AS base_paid,
       CAST(coalesce(x.reform_paid, 0) AS {MONEY}) AS reform_paid,
       CAST(coalesce(x.reform_paid, 0) - coalesce(x.base_paid, 0) AS {MONEY}) AS change,
       CAST(coalesce(x.base_owed, 0) AS {MONEY}) AS base_owed,
       CAST(coalesce(x.reform_owed, 0) AS {MONEY}) AS reform_owed,
       CAST(coalesce(x.reform_owed, 0) - coalesce(x.base_owed, 0) AS {MONEY}) AS owed_change
FROM people AS p
LEFT JOIN places AS pl ON pl.id = p.row_no
LEFT JOIN before_groups AS b ON b.row_no = p.row_no
LEFT JOIN after_groups AS r ON r.row_no = p.row_no
LEFT JOIN sums AS x ON x.person_id = p.row_no
"""

_PERSONS_OUT = """
SELECT p.person_id, p.id_number, p.name, p.county_code, c.county, p.township, p.village,
       p.status_group, g.status_group_name, p.base_paid, p.reform_paid, p.change,
       p.base_owed, p.reform_owed, p.owed_change
FROM persons AS p
LEFT JOIN counties AS c USING (county_code)
LEFT JOIN group_names AS g USING (status_group)
ORDER BY p.person_id
"""

#: The rows with their person, in place and ID-number order, programmes in the plan's
#: order and payers in vocab.PAYER's (``self`` last).
_ROWS_OUT = """
SELECT j.person_id, p.id_number, p.name, p.county_code, c.county, p.township, p.village,
       p.status_group, g.status_group_name, j.programme, j.payer,
       j.baseline, j.reform, j.difference, j.baseline_basis, j.reform_basis
FROM joined AS j
JOIN persons AS p USING (person_id)
LEFT JOIN counties AS c USING (county_code)
LEFT JOIN group_names AS g USING (status_group)
ORDER BY p.county_code, p.township, p.id_number, list_position($order, j.programme),
         list_position($payers, j.payer), j.payer
"""
