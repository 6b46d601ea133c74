"""The settlement benchmark's floor: Jiangxi's year of bills settled by one hand-written
DuckDB statement (issue #25 §1).

Why: the settlement's ratio must be taken against the tightest statement a DuckDB
programmer would write for the same rows, not against a Python loop. The statement
below has Jiangxi's 2018 numbers (JX-2017-58/2.2.4–2.2.6, the resident-medical
reading that keeps exit-marked registered poor) written in, and computes, per bill,
every amount column Doudi's settlement does (``COMPARED``); ``differing`` counts the
bills where any of them differs, so the benchmark (and tests/engine/
test_benchmark_settlement.py) fail when either side drifts.

Deductibles and caps are window sums over a person's bills of the year in order of
discharge (then bill number), as docs/decisions/0004 reads them: a cap that rises in
the middle of the year (a patient who becomes poor) is the highest granted so far,
and the part paid is the running total less the largest excess over the cap so far.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

JURISDICTION = "360000"

#: The amount columns compared, bill by bill.
COMPARED = (
    "deductible_paid",
    "ci_standard_paid",
    "basic_paid",
    "critical_illness_paid",
    "supplementary_paid",
    "tilt_paid",
    "assistance_paid",
    "patient_in_policy",
    "hospital_bears",
    "patient_pays",
)

#: Jiangxi 2018, every number written in. Per bill: the statuses held on the discharge
#: day (exit marks not read: resident_medical.registered_poor_includes_exited), the
#: bill's terms, then the yearly windows of the basic fund (cap by group, 80,000 →
#: 100,000 yuan once poor; chronic I 15,000 → 100,000, chronic II 3,000 → 5,000), the
#: critical-illness insurance (10,000 yuan deductible, 5,000 for the registered poor;
#: segments 0 / 50,000 / 100,000 at 50/60/70%, the poor at their level's rate; cap
#: 300,000) and medical assistance (70% of what is left, the poor only, cap 50,000).
HAND_SQL = """
WITH held AS (
    SELECT b.bill_no, bool_or(s.status = 'registered_poor') AS registered_poor
    FROM bills b JOIN statuses s
      ON s.id_number = b.id_number AND s.valid_from <= b.discharge_date
     AND (s.valid_to IS NULL OR s.valid_to > b.discharge_date)
    WHERE s.status IN ('registered_poor', 'dibao', 'tekun')
    GROUP BY b.bill_no
),
quota(disease, quota) AS (VALUES
    ('食道癌', 40000), ('胃癌', 40000), ('直肠癌', 40000), ('结肠癌', 40000), ('肺癌', 45000),
    ('耐多药肺结核', 30000), ('慢性粒细胞白血病', 50000), ('急性心肌梗塞', 35000),
    ('脑梗死', 20000), ('血友病', 30000), ('I型糖尿病', 10000), ('甲亢', 8000),
    ('儿童苯丙酮尿症', 10000), ('尿道下裂', 12000), ('地中海贫血', 30000)
),
flagged AS (
    -- the person's year as integer keys, so that every later window sorts integers
    -- over a narrow row (docs/decisions/0005): the first bill names the person
    SELECT b.bill_no, first(b.bill_no) OVER w AS person, row_number() OVER w AS seq,
           b.hospital_level AS lv,
           b.in_policy_cost AS cost, b.total_cost, b.non_compliant_cost,
           coalesce(b.special_drug_cost, 0) AS special,
           coalesce(b.claim_type, 'inpatient') AS claim,
           h.bill_no IS NOT NULL AS poor, coalesce(h.registered_poor, false) AS rp,
           q.quota
    FROM bills b LEFT JOIN held h USING (bill_no) LEFT JOIN quota q USING (disease)
    WINDOW w AS (PARTITION BY b.id_number ORDER BY b.discharge_date, b.bill_no)
),
terms AS (
    SELECT *,
        claim IN ('chronic_1', 'chronic_2') AS chronic,
        poor AND quota IS NOT NULL AND lv IN ('2', '3') AND claim = 'inpatient' AS major
    FROM flagged
),
priced AS (
    SELECT *,
        CASE WHEN major OR chronic THEN 0
             WHEN poor AND lv = '1' THEN 100 WHEN poor AND lv = '2' THEN 400
             ELSE 0 END AS standard,
        CASE WHEN major OR chronic OR (poor AND lv IN ('1', '2')) THEN 0
             ELSE CASE lv WHEN '1' THEN 200 WHEN '2' THEN 500 WHEN '3' THEN 800 ELSE 1500 END
        END AS deductible,
        CASE WHEN major THEN CASE lv WHEN '2' THEN 0.8 ELSE 0.7 END
             WHEN chronic AND poor THEN CASE lv WHEN '1' THEN 0.9 WHEN '2' THEN 0.8
                                                WHEN '3' THEN 0.6 ELSE 0 END
             WHEN chronic THEN CASE lv WHEN '1' THEN 0.8 WHEN '2' THEN 0.7
                                       WHEN '3' THEN 0.5 ELSE 0 END
             WHEN poor AND lv <> 'referral_out'
                  THEN CASE lv WHEN '1' THEN 0.9 WHEN '2' THEN 0.8 ELSE 0.6 END
             ELSE CASE lv WHEN '1' THEN 0.85 WHEN '2' THEN 0.75 WHEN '3' THEN 0.55
                          ELSE 0.45 END
        END AS rate,
        CASE WHEN major THEN least(cost, quota) ELSE cost END AS base,
        CASE claim WHEN 'chronic_1' THEN 1 WHEN 'chronic_2' THEN 2 ELSE 0 END AS grp,
        CASE WHEN claim = 'chronic_1' THEN CASE WHEN poor THEN 100000 ELSE 15000 END
             WHEN claim = 'chronic_2' THEN CASE WHEN poor THEN 5000 ELSE 3000 END
             WHEN poor THEN 100000 ELSE 80000 END AS cap
    FROM terms
),
basic_terms AS (
    SELECT *,
        round(least(standard, cost), 2) AS standard_paid,
        round(least(deductible, cost), 2) AS deductible_part,
        round(greatest(base - special, 0), 2) AS raw
    FROM priced
),
basic_u AS (
    -- only what the later steps read: every window sorts its rows with their payload
    SELECT bill_no, person, seq, grp, cap, poor, rp, major, lv, cost,
        total_cost - cost - non_compliant_cost AS out_of_policy, non_compliant_cost,
        least(deductible_part, raw) AS deductible_paid, standard_paid,
        round(greatest(raw - standard_paid - deductible_part, 0) * rate, 2) AS u
    FROM basic_terms
),
basic_run AS (
    SELECT *,
        sum(u) OVER w - max(cap) OVER w AS excess
    FROM basic_u
    WINDOW w AS (PARTITION BY person, grp ORDER BY seq)
),
basic AS (
    SELECT *,
        u - (greatest(max(excess) OVER w, 0)
             - greatest(coalesce(max(excess) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING
                                                      AND 1 PRECEDING), 0), 0)) AS basic_paid
    FROM basic_run
    WINDOW w AS (PARTITION BY person, grp ORDER BY seq)
),
ci_in AS (
    SELECT bill_no, person, seq, poor, lv, out_of_policy, non_compliant_cost,
        deductible_paid, standard_paid, basic_paid,
        cost - standard_paid - basic_paid AS burden,
        CASE WHEN major THEN 0 ELSE cost - standard_paid - basic_paid END AS x,
        CASE WHEN rp THEN 5000 ELSE 10000 END AS ci_deductible
    FROM basic
),
ci_run AS (
    SELECT *,
        sum(x) OVER (PARTITION BY person ORDER BY seq) - ci_deductible
            AS above
    FROM ci_in
),
ci_u AS (
    SELECT *,
        -- each branch rounded on its own: a CASE of two decimal scales would round
        -- the finer one to the coarser first
        CASE WHEN poor THEN round(
                  (greatest(above, 0) - greatest(above - x, 0))
                  * CASE lv WHEN '1' THEN 0.90 WHEN '2' THEN 0.85 WHEN '3' THEN 0.80
                            ELSE 0.70 END, 2)
             ELSE round(
                  (least(greatest(above, 0), 50000) - least(greatest(above - x, 0), 50000)) * 0.5
                  + (least(greatest(above - 50000, 0), 50000)
                     - least(greatest(above - x - 50000, 0), 50000)) * 0.6
                  + (greatest(above - 100000, 0) - greatest(above - x - 100000, 0)) * 0.7, 2)
        END AS ci_u
    FROM ci_run
),
ci AS (
    SELECT *,
        least(sum(ci_u) OVER w, 300000) - least(sum(ci_u) OVER w - ci_u, 300000) AS ci_paid
    FROM ci_u
    WINDOW w AS (PARTITION BY person ORDER BY seq)
),
assist_u AS (
    SELECT *,
        burden - ci_paid AS after_ci,
        CASE WHEN poor THEN round((burden - ci_paid) * 0.7, 2) ELSE 0 END AS a_u
    FROM ci
),
assist AS (
    SELECT *,
        least(sum(a_u) OVER w, 50000) - least(sum(a_u) OVER w - a_u, 50000) AS assistance
    FROM assist_u
    WINDOW w AS (PARTITION BY person ORDER BY seq)
)
SELECT
    bill_no,
    deductible_paid::DECIMAL(18, 2) AS deductible_paid,
    standard_paid::DECIMAL(18, 2) AS ci_standard_paid,
    basic_paid::DECIMAL(18, 2) AS basic_paid,
    (ci_paid + standard_paid)::DECIMAL(18, 2) AS critical_illness_paid,
    0::DECIMAL(18, 2) AS supplementary_paid,
    0::DECIMAL(18, 2) AS tilt_paid,
    assistance::DECIMAL(18, 2) AS assistance_paid,
    (after_ci - assistance)::DECIMAL(18, 2) AS patient_in_policy,
    non_compliant_cost AS hospital_bears,
    (after_ci - assistance + out_of_policy)::DECIMAL(18, 2)
        AS patient_pays
FROM assist
ORDER BY bill_no
"""


def settle(bills: pa.Table, statuses: pa.Table) -> pa.Table:
    """Jiangxi's settled rows of ``bills``, one per bill in bill-number order."""
    con = duckdb.connect()
    con.register("bills", bills)
    con.register("statuses", statuses)
    try:
        return con.sql(HAND_SQL).to_arrow_table()
    finally:
        con.close()


def differing(doudi: pa.Table, hand: pa.Table) -> int:
    """Bills whose ``COMPARED`` amounts differ between the two (a bill missing on one
    side counts too)."""
    con = duckdb.connect()
    con.register("a", doudi.select(["bill_no", *COMPARED]))
    con.register("b", hand.select(["bill_no", *COMPARED]))
    try:
        same = " AND ".join(f"a.{c} IS NOT DISTINCT FROM b.{c}" for c in COMPARED)
        row = con.execute(
            f"SELECT count(*) FILTER (WHERE a.bill_no IS NULL OR b.bill_no IS NULL OR NOT ({same}))"
            " FROM a FULL JOIN b USING (bill_no)"
        ).fetchone()
    finally:
        con.close()
    return int(row[0]) if row else -1
