"""The facts of a person the record lists give the plan (issue #20 §1; docs/readings.md 35).

A record list (unemployment-insurance records, vocational certificates, third-party
funding, pension applications: ``rosters.sources`` of kind "record") opens no period:
each row is kept as a roster entry, and the plan reads, per person and list, the row
that concerns the year — so that the same record is paid in one year only:

- unemployment insurance: the person's record that concerns the year — one of a
  contract that ended in it, else one from a list of the year, else the latest known by
  its end, else the latest (a list received in 2018 may tell of a contract that ended in
  2017, for a 2017 plan run late; a 2019 list does not undo what the 2018 plan paid);
  its contract ending counts only when the contract ended in the year (the one-off living
  allowance is paid for the year the contract ended, JX-2017-58/2.3.9); Hebei's benefit
  (the months drawn in the year at the urban standard), the employee-medical premium
  and the refund of the resident-medical premium only from a list of the year, whose
  benefit qualification they follow (HE-2018-3/2.4);
- certificates: the highest-level certificate obtained in the year among those the
  skill-upgrade subsidy covers (the levels its amounts name, :func:`covered_levels`;
  JX-2017-58/2.3.9: 初级（五级）、中级（四级）、高级（三级）), else the highest (the subsidy
  is paid for the year the certificate was obtained; a 技师 certificate of the same year
  must not hide a 高级 one); and the latest certificate of its level obtained in an
  earlier year, which the explanation names (a level is paid once: was it paid then?);
- third-party funding: the latest row of the person naming the year (PZH-2018-195/1.2);
- Hebei's 60+ applications: the person's first application by the year's end
  (HE-2018-3/2.1.1: the pension from the month after it);
- Shandong's early-pension applications: the person's latest application by the
  year's end, with the review result of the latest list that states it (a pending
  application a later list finds approved is approved; SD-2017-37/2.1: 提出申请，经审核后).
In DuckDB over the few record rows; every person without one gets nulls, as a scenario
that does not state them.
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pyarrow as pa

from doudi.policy.params import Params

#: The record lists and the entry columns the plan reads of them.
SOURCES = (
    "unemployment_records",
    "certificates",
    "third_party_funding",
    "late_pension_applications",
    "early_pension_applications",
)
ENTRY_COLUMNS = (
    "batch_id",
    "row_number",
    "person_id",
    "rural_contract_worker",
    "months_at_unit",
    "unit_paid",
    "contract_ending",
    "contract_end_date",
    "insured_months",
    "contribution_months",
    "benefit_qualified",
    "medical_scheme",
    "resident_medical_paid",
    "benefit_months",
    "employee_medical_premium",
    "certificate_level",
    "certificate_date",
    "funding_amount",
    "funding_year",
    "application_date",
    "review_result",
)
BATCH_COLUMNS = ("id", "source", "as_of")

#: The engine's columns (policy.schema.PEOPLE) the records fill.
FACTS = (
    "rp_application_date",
    "rp_early_application_date",
    "rp_early_review_result",
    "third_party_funding",
    "ue_rural_contract_worker",
    "ue_months_at_unit",
    "ue_unit_paid",
    "ue_contract_end",
    "ue_contribution_months",
    "ue_insured_months",
    "ue_certificate_level",
    "ue_certificate_date",
    "ue_same_level_certificate_date",
    "ue_benefit_qualified",
    "ue_medical_scheme",
    "ue_resident_medical_paid",
    "ue_benefit_months",
    "ue_employee_medical_premium",
)

_FACTS_SQL = """
WITH e AS (
    SELECT e.*, b.source, CAST(b.as_of AS DATE) AS as_of
    FROM entries e JOIN batches b ON b.id = e.batch_id
),
ue AS (
    -- the record that concerns the year: one of a contract ended in it, else one listed
    -- in it, else the latest known by its end, else the latest; so a later list (a new
    -- contract, next year's list) does not take back what an earlier year's plan paid
    SELECT * FROM e WHERE source = 'unemployment_records'
    QUALIFY row_number() OVER (
        PARTITION BY person_id
        ORDER BY coalesce(CAST(contract_end_date AS DATE) BETWEEN $first AND $last, false) DESC,
                 year(as_of) = $year DESC, as_of <= $last DESC,
                 as_of DESC, batch_id DESC, row_number DESC) = 1
),
cert AS (
    SELECT * FROM e
    WHERE source = 'certificates' AND CAST(certificate_date AS DATE) BETWEEN $first AND $last
    QUALIFY row_number() OVER (
        PARTITION BY person_id
        -- the levels the skill-upgrade subsidy covers first (JX-2017-58/2.3.9: 五级 to 三级)
        ORDER BY list_contains(CAST($covered AS BIGINT[]), CAST(certificate_level AS BIGINT))
                 DESC, certificate_level,
                 certificate_date DESC, as_of DESC, batch_id DESC) = 1
),
same_level AS (
    -- the latest certificate of the year's level obtained in an earlier year: the subsidy
    -- pays a level once (人社部发〔2017〕40号), and the explanation asks whether it was
    SELECT c.person_id, max(CAST(e.certificate_date AS DATE)) AS certificate_date
    FROM cert c JOIN e ON e.person_id = c.person_id
    WHERE e.source = 'certificates' AND CAST(e.certificate_date AS DATE) < $first
      AND CAST(e.certificate_level AS BIGINT) = CAST(c.certificate_level AS BIGINT)
    GROUP BY c.person_id
),
funding AS (
    SELECT * FROM e WHERE source = 'third_party_funding' AND funding_year = $year
    QUALIFY row_number() OVER (
        PARTITION BY person_id ORDER BY as_of DESC, batch_id DESC, row_number DESC) = 1
),
applied AS (
    SELECT person_id, min(CAST(application_date AS DATE)) AS application_date
    FROM e WHERE source = 'late_pension_applications' AND CAST(application_date AS DATE) <= $last
    GROUP BY person_id
),
early AS (
    -- the latest application by the year's end; of its rows, the latest list's review
    SELECT * FROM e
    WHERE source = 'early_pension_applications' AND CAST(application_date AS DATE) <= $last
    QUALIFY row_number() OVER (
        PARTITION BY person_id
        ORDER BY CAST(application_date AS DATE) DESC, as_of DESC, batch_id DESC,
                 row_number DESC) = 1
),
who AS (
    SELECT person_id FROM ue UNION SELECT person_id FROM cert
    UNION SELECT person_id FROM funding UNION SELECT person_id FROM applied
    UNION SELECT person_id FROM early
)
SELECT
    w.person_id,
    a.application_date AS rp_application_date,
    CAST(ea.application_date AS DATE) AS rp_early_application_date,
    ea.review_result AS rp_early_review_result,
    CAST(f.funding_amount AS DECIMAL(18, 2)) AS third_party_funding,
    CAST(u.rural_contract_worker AS BOOLEAN) AS ue_rural_contract_worker,
    CAST(u.months_at_unit AS BIGINT) AS ue_months_at_unit,
    CAST(u.unit_paid AS BOOLEAN) AS ue_unit_paid,
    CASE WHEN CAST(u.contract_end_date AS DATE) BETWEEN $first AND $last
         THEN u.contract_ending END AS ue_contract_end,
    CAST(u.contribution_months AS BIGINT) AS ue_contribution_months,
    CAST(u.insured_months AS BIGINT) AS ue_insured_months,
    CAST(c.certificate_level AS BIGINT) AS ue_certificate_level,
    CAST(c.certificate_date AS DATE) AS ue_certificate_date,
    s.certificate_date AS ue_same_level_certificate_date,
    CAST(u.benefit_qualified AND year(u.as_of) = $year AS BOOLEAN) AS ue_benefit_qualified,
    u.medical_scheme AS ue_medical_scheme,
    CAST(u.resident_medical_paid AS DECIMAL(18, 2)) AS ue_resident_medical_paid,
    CAST(u.benefit_months AS BIGINT) AS ue_benefit_months,
    CAST(u.employee_medical_premium AS DECIMAL(18, 2)) AS ue_employee_medical_premium
FROM who w
LEFT JOIN ue u USING (person_id)
LEFT JOIN cert c USING (person_id)
LEFT JOIN same_level s USING (person_id)
LEFT JOIN funding f USING (person_id)
LEFT JOIN applied a USING (person_id)
LEFT JOIN early ea USING (person_id)
ORDER BY w.person_id
"""


def covered_levels(p: Params) -> tuple[int, ...]:
    """The certificate levels the skill-upgrade subsidy pays in ``p``'s jurisdiction and
    year: the levels its amounts name (``unemployment.skill_upgrade_amounts``,
    JX-2017-58/2.3.9: 5, 4, 3), read where the rule reads them, so that a jurisdiction
    or a year whose amounts name other levels picks its certificates by them; none where
    there is no such subsidy."""
    amounts = p.get("unemployment.skill_upgrade_amounts", None)
    return tuple(sorted(int(level) for level in amounts or {}))


def facts(
    entries: pa.Table, batches: pa.Table, ids: np.ndarray, year: int, covered: tuple[int, ...]
) -> dict[str, pa.Array]:
    """Per person of ``ids`` (sorted registry ids), each of ``FACTS`` (null without a
    record); ``covered``: the certificate levels the subsidy pays (:func:`covered_levels`).
    A fact no record states is left out: everyone's is null, which the caller makes
    without writing a value (``inputs._conform``) — a jurisdiction's registry holds the
    lists of its own programmes, and each fact taken for 10^7 people is 40–160 MB."""
    lake = duckdb.connect()
    lake.register("entries", entries)
    lake.register("batches", batches)
    found = lake.sql(
        _FACTS_SQL,
        params={
            "first": date(year, 1, 1),
            "last": date(year, 12, 31),
            "year": year,
            "covered": list(covered),
        },
    ).to_arrow_table()
    person = np.asarray(found.column("person_id").to_numpy(), np.int64)
    at = np.searchsorted(ids, person)
    inside = (at < len(ids)) & (ids[np.minimum(at, len(ids) - 1)] == person) if len(ids) else at < 0
    # each person of ids: the row of ``found`` that is theirs, or none (a null)
    row_of = np.full(len(ids), -1, np.int64)
    row_of[at[inside]] = np.flatnonzero(inside)
    take = pa.array(row_of, mask=row_of < 0)
    # the few rows found joined into one array first: taking from one array gives one
    # array, where a take from the chunked column gives chunks that are then copied
    # again into one (every person's value twice: 0.45 s at 10^7 people)
    stated = (name for name in FACTS if found.column(name).null_count < found.num_rows)
    return {name: found.column(name).combine_chunks().take(take) for name in stated}
