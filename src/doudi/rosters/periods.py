"""Status periods and enrollments from a department's lists (dynamic management).

A department's list says who is on it as of a day. For one source, take every
imported list that speaks for a person, in order of as-of date: each
list that names them, and each snapshot (全量快照) that closes in their county (it
covers the county, within the region it was imported for). An addendum (增量名单)
speaks only for the people it names, and so does a snapshot for its rows outside
its region: they open or keep a period and never close one. A list is silent on a
person it names only in a refused row (rosters.held): it neither keeps nor closes
their period. Each run of
consecutive lists that name the person is one period:

- it starts at the first list's as-of date, or at the date the list gives
  (纳入时间 / 参保时间) when that date is not later than the list and not
  before the last snapshot that did not list the person;
- it ends (exclusive) at the as-of date of the next snapshot closing in that
  county that no longer lists the person, or stays open;
- exit marks, tier, region and "receiving" come from the run's latest list
  that gives them (a list without the column keeps what an earlier one said).

Deriving the periods from all lists each time (rather than patching the last
state) is what makes a late, older snapshot safe: it takes its place in the
order and the periods come out as if the files had arrived in order. Runs in
DuckDB over Arrow; the registry keeps the result and the import diffs it against
what is stored (docs/registry.md).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

#: What a period carries besides its person and dates.
DETAILS = ("exit_marked", "exit_date", "region_code", "contribution_tier", "receiving")

DERIVE = """
WITH keys AS (SELECT DISTINCT person_id, county FROM entries),
heard AS (
    -- the snapshots closing in the person's county (closes is null for an addendum)
    SELECT k.person_id, k.county, b.batch_id
    FROM keys k
    JOIN scope s ON s.county = k.county
    JOIN batches b ON b.batch_id = s.batch_id
    WHERE starts_with(k.county, b.closes)
      -- a refused row naming them: the list neither confirms nor closes them
      AND NOT EXISTS (
          SELECT 1 FROM held x WHERE x.batch_id = b.batch_id AND x.person_id = k.person_id)
    UNION
    -- and every list naming them
    SELECT person_id, county, batch_id FROM entries
),
rel AS (
    SELECT h.person_id, h.county, h.batch_id, b.as_of,
           row_number() OVER (PARTITION BY h.person_id, h.county ORDER BY b.as_of, h.batch_id) AS n
    FROM heard h
    JOIN batches b ON b.batch_id = h.batch_id
),
marked AS (
    SELECT r.*, e.person_id IS NOT NULL AS present, e.since, e.exit_marked, e.exit_date,
           e.region_code, e.contribution_tier, e.receiving,
           lag(r.as_of) OVER (PARTITION BY r.person_id, r.county ORDER BY r.n) AS previous_as_of
    FROM rel r
    LEFT JOIN entries e
      ON e.batch_id = r.batch_id AND e.person_id = r.person_id AND e.county = r.county
),
runs AS (
    SELECT *, n - row_number() OVER (PARTITION BY person_id, county, present ORDER BY n) AS run
    FROM marked
),
islands AS (
    SELECT person_id, county, run, max(n) AS last_n,
           arg_min(as_of, n) AS first_as_of, arg_min(since, n) AS since,
           arg_min_null(previous_as_of, n) AS gap_start,
           arg_max(exit_marked, n) AS exit_marked, arg_max(exit_date, n) AS exit_date,
           arg_max(region_code, n) AS region_code,
           arg_max(contribution_tier, n) AS contribution_tier,
           arg_max(receiving, n) AS receiving, arg_max(batch_id, n) AS batch_id
    FROM runs WHERE present GROUP BY person_id, county, run
)
SELECT i.person_id, i.county,
       CASE WHEN i.since IS NOT NULL AND i.since <= i.first_as_of
                 AND (i.gap_start IS NULL OR i.since >= i.gap_start)
            THEN i.since ELSE i.first_as_of END AS valid_from,
       nxt.as_of AS valid_to,
       coalesce(i.exit_marked, false) AS exit_marked, i.exit_date, i.region_code,
       i.contribution_tier, coalesce(i.receiving, false) AS receiving, i.batch_id
FROM islands i
LEFT JOIN rel nxt ON nxt.person_id = i.person_id AND nxt.county = i.county
                 AND nxt.n = i.last_n + 1
"""


def nobody_held() -> pa.Table:
    """``derive``'s ``held`` when no refused row names anyone."""
    return pa.table({"batch_id": pa.array([], pa.int64()), "person_id": pa.array([], pa.int64())})


def derive(
    batches: pa.Table, scope: pa.Table, entries: pa.Table, held: pa.Table | None = None
) -> pa.Table:
    """Periods of one source from its snapshots.

    ``batches``: batch_id, as_of, closes (the hukou prefix of the region a snapshot
    closes in, "" for everywhere; null for an addendum, which closes nothing).
    ``scope``: batch_id, county (the counties each list covers). ``entries``:
    batch_id, person_id, county, since and the DETAILS columns (null where the
    source has none). ``held``: batch_id, person_id of the people a list names only in
    refused rows (rosters.held), for whom that list is silent. Each period comes with
    the county it was derived for.
    """
    if held is None:
        held = nobody_held()
    con = duckdb.connect()
    con.register("held", held)
    con.register("batches", batches)
    con.register("scope", scope)
    con.register("entries", entries)
    return con.sql(DERIVE).to_arrow_table()


DIFF = """
SELECT coalesce(n.person_id, o.person_id) AS person_id, n.county,
       coalesce(n.valid_from, o.valid_from) AS valid_from,
       o.id, o.valid_to AS old_valid_to, n.valid_to,
       n.exit_marked, n.exit_date, n.region_code, n.contribution_tier, n.receiving, n.batch_id,
       CASE WHEN o.id IS NULL THEN 'open'
            WHEN n.person_id IS NULL THEN 'remove'
            WHEN o.valid_to IS NULL AND n.valid_to IS NOT NULL THEN 'close'
            ELSE 'change' END AS change
FROM new n
FULL JOIN old o ON o.person_id = n.person_id AND o.valid_from = n.valid_from
WHERE o.id IS NULL OR n.person_id IS NULL
   OR o.valid_to IS DISTINCT FROM n.valid_to
   OR o.exit_marked IS DISTINCT FROM n.exit_marked
   OR o.exit_date IS DISTINCT FROM n.exit_date
   {more}
ORDER BY person_id, valid_from, o.id
"""


def diff(old: pa.Table, new: pa.Table, compare: tuple[str, ...] = ()) -> pa.Table:
    """What must change in the stored periods (``old``, with ids) to become ``new``:
    one row per period with ``change`` = open, close, change or remove, and the
    county it was derived for (null for a removed one)."""
    con = duckdb.connect()
    con.register("old", old)
    con.register("new", new)
    more = "".join(f"\n   OR o.{c} IS DISTINCT FROM n.{c}" for c in compare)
    return con.sql(DIFF.format(more=more)).to_arrow_table()
