"""The plan benchmark's floors (``bench_plan``, issue #25 §1): hand-written DuckDB
statements that compute the plan's rows for Jiangxi (360000) 2018 with the rules'
numbers written in, checked equal to the plan's rows in the same run.

Two floors, for two questions:

- **from the registry** (``HAND_*``, ``registry_rows``): the rows straight from the
  registry tables — the status facts once per person, then each programme from the
  enrollments, the status periods and the record lists — against the whole plan
  path (the inputs, the rules, the rows). Honest (the same rows) but loose: it
  aggregates every enrollment and sorts the rows, work the plan does otherwise;
- **tight** (``TIGHT``, ``tight_rows``): what a careful DuckDB programmer writes over
  the inputs the plan's rules read (``inputs.inputs_from_tables``: the people with
  their facts, their status periods), so that rules are compared with hand-written
  rules and the building of the inputs is timed apart. One statement decides every
  programme per person (the status flags of each person's few periods aggregated
  once, joined to the people), keeping only the people with a row; each programme's
  rows are then read off that result with Arrow filters. Without sorting (the rows
  are a multiset; the plan's are in person and payer order, which its checksum
  reads: part of its time) and in two variants: the amounts and payers alone, and
  with every row's clause basis as the plan writes it (its clauses sorted, ";"
  between them).

The numbers written in (the rules read them from the parameters):

- JX-2017-58/2.1.1 (the pension): a target is registered poor (an exit mark ends the
  period: ``inputs`` gives the exit date, the period's start for a mark without
  one), dibao or tekun on some day of 2018; enrolled, 16 on 31 December and under 60
  on 1 January (GF-2014-8/4 and /8), not an in-school student, not in the employee
  pension, not insured in a county outside Jiangxi (docs/readings.md 38) and alive on
  1 January (HE-2018-3/3.2.1): the county pays 100 yuan, at most the tier; the person
  the rest of the tier (the minimum, 100 yuan, without one): a ``self`` row for each
  enrolled person alive on 1 January, born by 31 December and insured in Jiangxi; one
  whom the scheme does not cover (a student, one under 16) contributes nothing and
  GF-2014-8/4 is cited;
- JX-2017-58/2.1.2 (the medical subsidy, exit marks not read): tekun, dibao,
  registered poor, the 14 categories of veterans, severely disabled students and
  children, severely disabled adults unable to work, low-income family members
  under 18 or 60 and over (ages on 1 January), alive on 1 January, born by 31
  December and not in the employee medical insurance: 220 yuan × 100%, split between
  province, city and county 1:1:1 by largest remainder (the levels' weights are local
  config): 73.34 / 73.33 / 73.33, the person 0.00;
- JX-2017-58/2.3.9 (unemployment, the 1,200 yuan monthly base local config): a rural
  contract worker alive on 1 January: the one-off living allowance 60% × 1,200 yuan
  × years of contributions begun (at most 24) after 12 months at the unit, the unit
  paid and the contract ended (expired or terminated early); the skill subsidy 1,000
  / 1,500 / 2,000 yuan for a level 5 / 4 / 3 certificate from 2017 on after 36 months
  insured and contributed; one row, the fund.

A person holds one registry row per ID number (unique), so the rules' once-per-ID
step is not written by hand, nor the reading of a tier off the year's list (the
synthetic tiers are all on it), nor Jiangxi's hukou (every person of the inputs has
one: they are Jiangxi's people).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doudi.plan import contributions
from doudi.plan.contributions import repeated  # the plan's own: 3× pa.repeat's speed
from doudi.store import db

JURISDICTION = "360000"
YEAR = 2018
FIRST, LAST = date(YEAR, 1, 1), date(YEAR, 12, 31)
#: The columns of the plan's rows, and of the amounts and payers alone.
COLUMNS = ("person_id", "year", "scheme", "payer", "amount", "state", "basis")
PAID = ("person_id", "payer", "amount")

# --- from the registry tables ---------------------------------------------------------

#: Per person, the status facts the programmes read (JX-2017-58/2.1.1 and 2.1.2; a
#: status held on a day of the year counts), once for all three statements.
HAND_STATUS = """
CREATE OR REPLACE TEMP TABLE s AS
SELECT person_id,
       -- the pension's targets: registered poor (exit marks respected, one without a
       -- date from the period's start), dibao or tekun
       bool_or(status IN ('registered_poor', 'dibao', 'tekun')
               AND coalesce(least(valid_to, CASE WHEN exit_marked
                                                 THEN coalesce(exit_date, valid_from) END)
                            > $first, true)) AS pension_target,
       -- the medical subsidy's statuses (exit marks not read) that need nothing more
       bool_or(held AND status IN ('registered_poor', 'dibao', 'tekun', 'demobilized_14'))
           AS subsidised,
       bool_or(held AND status = 'severe_disability') AS disabled,
       bool_or(held AND status = 'low_income_family') AS low_income,
       bool_or(held AND status = 'student') AS student,
       bool_or(held AND status = 'unable_to_work') AS unable
FROM (SELECT person_id, status, valid_from, valid_to, exit_marked, exit_date,
             coalesce(valid_to > $first, true) AS held
      FROM registry_status_period WHERE valid_from <= $last)
GROUP BY person_id
"""

#: Jiangxi 2018's pension rows by hand (JX-2017-58/2.1.1 with GF-2014-8's ages and scope).
HAND_PENSION = """
WITH enrolled AS (
    SELECT person_id,
           -- the latest-starting tier (of two the same day, the higher)
           arg_max(contribution_tier, (valid_from, contribution_tier))
               FILTER (scheme = 'resident_pension' AND contribution_tier IS NOT NULL) AS tier,
           bool_or(scheme = 'resident_pension') AS resident,
           bool_or(scheme = 'employee_pension') AS employee
    FROM registry_enrollment
    WHERE scheme IN ('resident_pension', 'employee_pension')
      AND valid_from <= $last AND (valid_to IS NULL OR valid_to > $first)
    GROUP BY person_id
),
person AS (
    SELECT e.person_id, e.tier, e.employee,
           coalesce(s.pension_target, false) AS target,
           coalesce(s.student, false) AS student,
           coalesce(p.death_date < $first, false) AS dead,  -- HE-2018-3/3.2.1
           coalesce(p.death_date BETWEEN $first AND $last, false) AS died_in_year,
           coalesce(p.birth_date > $last, false) AS unborn,
           $year - year(p.birth_date)
               - (month(p.birth_date) * 100 + day(p.birth_date) > 101)::INT AS age_jan1,
           $year - year(p.birth_date) AS age_dec31
    FROM registry_person p
    JOIN enrolled e ON e.person_id = p.id AND e.resident
    LEFT JOIN s ON s.person_id = p.id
    WHERE starts_with(p.hukou_region, '36')
),
decided AS (
    SELECT person_id, dead, unborn,
           -- GF-2014-8/4 and /8: a student, one under 16 or 60 and over contributes nothing
           CASE WHEN NOT student AND age_dec31 >= 16 AND age_jan1 < 60 AND NOT dead
                THEN coalesce(tier, 100.00) ELSE 0.00 END AS contribution,
           target AND NOT dead AND NOT student AND NOT employee
               AND age_dec31 >= 16 AND age_jan1 < 60 AS eligible,
           -- GF-2014-8/4 cited for one enrolled whom the scheme does not cover
           CASE WHEN student OR age_dec31 < 16 THEN 'GF-2014-8/4' END AS scope,
           CASE WHEN NOT target THEN concat_ws(';', scope, 'JX-2017-58/2.1.1')
                WHEN NOT dead AND NOT student AND NOT employee
                     AND age_dec31 >= 16 AND age_jan1 < 60
                THEN concat_ws(';', CASE WHEN died_in_year THEN 'HE-2018-3/3.2.1' END,
                               'JX-2017-58/2.1.1')
                ELSE concat_ws(';', scope, CASE WHEN age_jan1 >= 60 THEN 'GF-2014-8/8' END,
                               CASE WHEN dead THEN 'HE-2018-3/3.2.1' END,
                               CASE WHEN student OR employee OR age_dec31 < 16
                                    THEN 'JX-2017-58/2.1.1' END)
           END AS basis
    FROM person
),
paid AS (
    SELECT person_id, contribution, dead, unborn,
           CASE WHEN eligible THEN least(100.00, contribution) ELSE 0.00 END AS gov, basis
    FROM decided
)
SELECT person_id::BIGINT AS person_id, $year::SMALLINT AS year, 'resident_pension' AS scheme,
       payer, amount::DECIMAL(18, 2) AS amount, 'planned' AS state, basis
FROM (
    SELECT person_id, 'county' AS payer, gov AS amount, basis FROM paid WHERE gov > 0
    UNION ALL
    -- the own part of the enrolled alive on 1 January (docs/readings.md 24)
    SELECT person_id, 'self' AS payer, contribution - gov AS amount, basis FROM paid
    WHERE NOT dead AND NOT unborn
)
ORDER BY person_id, payer
"""

#: Jiangxi 2018's medical-subsidy rows by hand (JX-2017-58/2.1.2; the levels' 1:1:1 is
#: local config): 220.00 in full, 73.34 + 73.33 + 73.33, the person 0.00.
HAND_MEDICAL = """
WITH person AS (
    SELECT s.*,
           $year - year(p.birth_date)
               - (month(p.birth_date) * 100 + day(p.birth_date) > 101)::INT AS age
    FROM s JOIN registry_person p ON p.id = s.person_id
    WHERE starts_with(p.hukou_region, '36')
      AND NOT coalesce(p.death_date < $first, false)  -- HE-2018-3/3.2.1
      AND NOT coalesce(p.birth_date > $last, false)
),
subsidised AS (
    SELECT person_id FROM person
    WHERE subsidised
       OR (disabled AND (student OR age < 18))
       OR (disabled AND age >= 18 AND unable)
       OR (low_income AND (age < 18 OR age >= 60))
),
employee AS (
    SELECT DISTINCT person_id FROM registry_enrollment
    WHERE scheme = 'employee_medical'
      AND valid_from <= $last AND (valid_to IS NULL OR valid_to > $first)
)
SELECT person_id::BIGINT AS person_id, $year::SMALLINT AS year, 'resident_medical' AS scheme,
       payer, amount::DECIMAL(18, 2) AS amount, 'planned' AS state,
       'JX-2017-58/2.1.2' AS basis
FROM (SELECT * FROM subsidised ANTI JOIN employee USING (person_id)),
     (VALUES ('city', 73.33), ('county', 73.33), ('province', 73.34), ('self', 0.00))
         AS part(payer, amount)
ORDER BY person_id, payer
"""

#: Jiangxi 2018's unemployment rows by hand (JX-2017-58/2.3.9; the 1,200 yuan monthly
#: base is local config), from each person's latest record and best certificate.
HAND_UNEMPLOYMENT = """
WITH e AS (
    SELECT e.*, b.source, b.as_of
    FROM registry_roster_entry e JOIN registry_import_batch b ON b.id = e.batch_id
    WHERE b.source IN ('unemployment_records', 'certificates')
),
record AS (
    SELECT * FROM e WHERE source = 'unemployment_records'
    QUALIFY row_number() OVER (
        PARTITION BY person_id ORDER BY as_of DESC, batch_id DESC, row_number DESC) = 1
),
certificate AS (
    SELECT person_id, certificate_level, certificate_date FROM e
    WHERE source = 'certificates' AND certificate_date BETWEEN $first AND $last
    QUALIFY row_number() OVER (
        PARTITION BY person_id  -- the levels the subsidy covers first, then the highest
        ORDER BY certificate_level IN (3, 4, 5) DESC, certificate_level,
                 certificate_date DESC, as_of DESC, batch_id DESC) = 1
),
paid AS (
    SELECT r.person_id,
           CASE WHEN r.months_at_unit >= 12 AND r.unit_paid
                     AND r.contract_end_date BETWEEN $first AND $last
                     AND r.contract_ending IN ('expired_not_renewed', 'terminated_early')
                     AND r.contribution_months > 0
                THEN 720.00 * least((r.contribution_months + 11) // 12, 24)  -- 60% × 1,200
                ELSE 0.00 END
           + CASE WHEN r.insured_months >= 36 AND r.contribution_months >= 36
                       AND c.certificate_date >= DATE '2017-01-01'
                  THEN CASE c.certificate_level WHEN 3 THEN 2000.00 WHEN 4 THEN 1500.00
                                                WHEN 5 THEN 1000.00 ELSE 0.00 END
                  ELSE 0.00 END AS amount
    FROM record r LEFT JOIN certificate c USING (person_id)
    WHERE r.rural_contract_worker
)
SELECT paid.person_id::BIGINT AS person_id, $year::SMALLINT AS year,
       'unemployment' AS scheme, 'unemployment_fund' AS payer,
       amount::DECIMAL(18, 2) AS amount, 'planned' AS state, 'JX-2017-58/2.3.9' AS basis
FROM paid JOIN registry_person p ON p.id = paid.person_id
WHERE amount > 0 AND starts_with(p.hukou_region, '36')
  AND NOT coalesce(p.death_date < $first, false)  -- HE-2018-3/3.2.1
ORDER BY person_id
"""

HAND = {
    "resident_pension": HAND_PENSION,
    "resident_medical": HAND_MEDICAL,
    "unemployment": HAND_UNEMPLOYMENT,
}


def registry_rows(
    tables: Mapping[str, pa.Table], lap: Callable[[str], None] = lambda part: None
) -> dict[str, pa.Table]:
    """The registry statements' rows per programme; ``lap`` is told each part's end
    (``status`` and the programmes)."""
    con = duckdb.connect()
    for name, table in tables.items():
        con.register(name, table)
    params = {"first": FIRST, "last": LAST, "year": YEAR}
    con.execute(HAND_STATUS, {k: v for k, v in params.items() if k != "year"})
    lap("status")
    out = {}
    for code, sql in HAND.items():
        out[code] = con.sql(sql, params=params).to_arrow_table()
        lap(code)
    con.close()
    return out


# --- tight: from the inputs the rules read ----------------------------------------------

#: Per person with a row of some programme, what each programme decides (Jiangxi 2018,
#: the clauses above). ``{basis}``: the pension's clause basis, or nothing.
TIGHT = """
WITH flags AS (
    SELECT row_no,
           -- the pension's targets, an exit mark ending the period (JX-2017-58/2.1.1)
           bool_or(status IN ('registered_poor', 'dibao', 'tekun')
                   AND coalesce(least(valid_to, exit_date) > DATE '2018-01-01', true))
               AS target,
           -- the medical subsidy's statuses, exit marks not read (JX-2017-58/2.1.2)
           bool_or(held AND status IN ('registered_poor', 'dibao', 'tekun', 'demobilized_14'))
               AS subsidised,
           bool_or(held AND status = 'severe_disability') AS disabled,
           bool_or(held AND status = 'low_income_family') AS low_income
    FROM (SELECT *, coalesce(valid_to > DATE '2018-01-01', true) AS held
          FROM statuses WHERE valid_from <= DATE '2018-12-31')
    GROUP BY row_no
),
person AS (
    SELECT p.row_no, p.rp_enrolled, p.rp_tier, p.student, p.employee_pension,
           p.employee_medical, p.unable_to_work,
           coalesce(f.target, false) AS target,
           coalesce(f.subsidised, false) AS subsidised,
           coalesce(f.disabled, false) AS disabled,
           coalesce(f.low_income, false) AS low_income,
           coalesce(p.death_date < DATE '2018-01-01', false)  -- HE-2018-3/3.2.1
               OR coalesce(p.birth_date > DATE '2018-12-31', false) AS gone,
           coalesce(p.death_date BETWEEN DATE '2018-01-01' AND DATE '2018-12-31', false)
               AS died_in_year,
           coalesce(p.death_date < DATE '2018-01-01', false) AS dead,
           -- the ages as birth dates: under 16 on 31 December (born after 2002), 60 or
           -- over on 1 January (born by 1958-01-01), under 18 on 1 January
           p.birth_date > DATE '2002-12-31' AS under_16,
           p.birth_date <= DATE '1958-01-01' AS over_60,
           p.birth_date > DATE '2000-01-01' AS minor,
           -- insured in a county outside Jiangxi (the hukou county is in it: apart)
           p.rp_enrolled AND NOT coalesce(starts_with(p.insured_region, '36'), true)
               AS insured_outside,
           p.ue_rural_contract_worker, p.ue_months_at_unit, p.ue_unit_paid, p.ue_contract_end,
           p.ue_contribution_months, p.ue_insured_months, p.ue_certificate_level,
           p.ue_certificate_date
    FROM people p LEFT JOIN flags f USING (row_no)
),
decided AS (
    SELECT *,
           -- GF-2014-8/4: a student or one under 16 is outside the scheme
           student OR under_16 AS outside,
           target AND rp_enrolled AND NOT (gone OR insured_outside OR student
               OR employee_pension OR under_16 OR over_60) AS rp_paid,
           rp_enrolled AND NOT gone AND NOT insured_outside AS rp_collects,
           NOT gone AND NOT employee_medical
               AND (subsidised OR (disabled AND (student OR minor))
                    OR (disabled AND NOT minor AND unable_to_work)
                    OR (low_income AND (minor OR over_60))) AS rm_paid,
           CASE WHEN coalesce(ue_rural_contract_worker, false) AND NOT dead THEN
               CASE WHEN ue_months_at_unit >= 12 AND ue_unit_paid
                         AND ue_contract_end IN ('expired_not_renewed', 'terminated_early')
                         AND ue_contribution_months > 0
                    -- 60% × 1,200 yuan a month, a month per year begun, at most 24
                    THEN 720.00 * least((ue_contribution_months + 11) // 12, 24)
                    ELSE 0.00 END
               + CASE WHEN ue_insured_months >= 36 AND ue_contribution_months >= 36
                           AND ue_certificate_date >= DATE '2017-01-01'
                      THEN CASE ue_certificate_level WHEN 3 THEN 2000.00 WHEN 4 THEN 1500.00
                                                     WHEN 5 THEN 1000.00 ELSE 0.00 END
                      ELSE 0.00 END
           ELSE 0.00 END AS ue_paid
    FROM person
),
amounts AS (
    SELECT *,
           CASE WHEN rp_collects AND NOT outside AND NOT over_60
                THEN coalesce(rp_tier, 100.00) ELSE 0.00 END AS rp_contribution
    FROM decided WHERE rp_collects OR rp_paid OR rm_paid OR ue_paid > 0
)
SELECT row_no, rp_collects, rp_paid AND rp_contribution > 0 AS rp_county_row,
       CASE WHEN rp_paid THEN least(100.00, rp_contribution) ELSE 0.00 END::DECIMAL(18, 2)
           AS rp_county,
       (rp_contribution
        - CASE WHEN rp_paid THEN least(100.00, rp_contribution) ELSE 0.00 END)::DECIMAL(18, 2)
           AS rp_self,
       rm_paid, ue_paid::DECIMAL(18, 2) AS ue_paid{basis}
FROM amounts
"""

#: The pension's clause basis of a person with a row, as a set of bits of ``CLAUSES``
#: (the scope's, the pension age's, the death in the year's of one paid for, the
#: grant's): a number per person, not a string, turned into the clauses by Arrow once
#: the rows are chosen (``_basis``: building the strings in DuckDB and handing them over
#: took 7.7 s at 10^7 where the number takes 2.7).
TIGHT_BASIS = """,
       (CASE WHEN outside THEN 1 ELSE 0 END
        + CASE WHEN NOT rp_paid AND target AND over_60 THEN 2 ELSE 0 END
        + CASE WHEN rp_paid AND died_in_year THEN 4 ELSE 0 END
        + CASE WHEN rp_paid OR NOT target OR student OR employee_pension OR under_16
               THEN 8 ELSE 0 END)::UTINYINT AS rp_basis"""
#: The clauses of the bits of ``TIGHT_BASIS``, in the order the plan writes them.
CLAUSES = ("GF-2014-8/4", "GF-2014-8/8", "HE-2018-3/3.2.1", "JX-2017-58/2.1.1")


def _basis(bits: pa.ChunkedArray) -> pa.ChunkedArray:
    """The clause lists of ``TIGHT_BASIS``'s numbers, ";" between the clauses."""
    lists = pa.array(
        [";".join(c for i, c in enumerate(CLAUSES) if n >> i & 1) for n in range(2 ** len(CLAUSES))]
    )
    return pa.chunked_array([lists.take(chunk) for chunk in bits.chunks], pa.string())


#: The medical subsidy's parts (JX-2017-58/2.1.2), by payer.
MEDICAL_PARTS = {"city": "73.33", "county": "73.33", "province": "73.34", "self": "0.00"}


def tight_rows(
    people: pa.Table,
    statuses: pa.Table,
    reasons: bool,
    lap: Callable[[str], None] = lambda part: None,
) -> dict[str, pa.Table]:
    """The tight statement's rows per programme (``reasons``: with every column of the
    plan's rows, the clause basis too; else the amounts and payers, ``PAID``); ``lap``
    is told each part's end (``rules``, then the programmes)."""
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")  # the rows are a multiset
    con.register("people", people)
    con.register("statuses", statuses)
    decided = con.sql(TIGHT.format(basis=TIGHT_BASIS if reasons else "")).to_arrow_table()
    con.close()
    lap("rules")
    pension = _payers(
        decided,
        "resident_pension",
        [("county", "rp_county_row", "rp_county"), ("self", "rp_collects", "rp_self")],
        "rp_basis" if reasons else None,
    )
    lap("resident_pension")
    medical = _payers(
        decided,
        "resident_medical",
        [(payer, "rm_paid", amount) for payer, amount in MEDICAL_PARTS.items()],
        "JX-2017-58/2.1.2" if reasons else None,
    )
    lap("resident_medical")
    paid = pc.greater(decided.column("ue_paid"), pa.scalar(0, db.MONEY))
    unemployment = _payers(
        decided.append_column("ue_row", paid),
        "unemployment",
        [("unemployment_fund", "ue_row", "ue_paid")],
        "JX-2017-58/2.3.9" if reasons else None,
    )
    lap("unemployment")
    return {"resident_pension": pension, "resident_medical": medical, "unemployment": unemployment}


def _payers(
    decided: pa.Table,
    scheme: str,
    parts: Sequence[tuple[str, str, str]],
    basis: str | None,
) -> pa.Table:
    """A programme's rows: for each ``(payer, when, amount)``, a row of ``payer`` for
    every person whose ``when`` column holds, of the ``amount`` column (or that
    many yuan); with the basis (a column, or one clause for every row) and the
    plan's constant columns when ``basis`` is given."""
    own = [c for _, when, amount in parts for c in (when, amount) if c in decided.column_names]
    if basis is not None and basis in decided.column_names:
        own.append(basis)
    mine = decided.select(list(dict.fromkeys(["row_no", *own])))
    chosen_by: dict[str, pa.Table] = {}  # the medical subsidy's four payers: one filter
    tables = []
    for payer, when, amount in parts:
        if when not in chosen_by:
            chosen_by[when] = mine.filter(pc.field(when))
        chosen = chosen_by[when]
        n = chosen.num_rows
        columns = {
            "person_id": chosen.column("row_no"),
            "payer": repeated(payer, n),
            "amount": (
                chosen.column(amount) if amount in mine.column_names else _money(Decimal(amount), n)
            ),
        }
        if basis is not None:
            columns["year"] = pa.chunked_array([np.full(n, YEAR, np.int16)])
            columns["scheme"] = repeated(scheme, n)
            columns["state"] = repeated("planned", n)
            columns["basis"] = (
                _basis(chosen.column(basis)) if basis in mine.column_names else repeated(basis, n)
            )
        tables.append(pa.table(columns))
    return pa.concat_tables(tables)


def _money(value: Decimal, n: int) -> pa.ChunkedArray:
    """``n`` times the same amount, as the plan's rows hold money (16-byte items)."""
    one = contributions.decimal_values(pa.array([value], db.MONEY))
    return pa.chunked_array([contributions.decimal_array(np.repeat(one, n))])


def differ(a: pa.Table, b: pa.Table, columns: Sequence[str] = COLUMNS) -> int:
    """Rows of either table the other lacks (as multisets over ``columns``)."""
    con = duckdb.connect()
    con.register("a", a)
    con.register("b", b)
    listed = ", ".join(columns)
    only = "(SELECT count(*) FROM (SELECT {0} FROM {1} EXCEPT ALL SELECT {0} FROM {2}))"
    found = con.execute(
        f"SELECT {only.format(listed, 'a', 'b')} + {only.format(listed, 'b', 'a')}"
    ).fetchone()
    con.close()
    return int(found[0]) if found else -1
