"""The input tables the rules read, as column names and type names, without Ibis.

The scenario interface, the benchmark and the registry all build tables of exactly
these columns, so the rules never guess at a column. ``rp_`` = resident pension
facts, ``ue_`` = unemployment, ``in_`` = income. The rules' Ibis schemas
(``policy/schema.py``, ``policy/settlement/schema.py``) are made of these; the engine
makes its Arrow schemas and DuckDB tables of them too (``engine/arrow_tables.py``,
``engine/backend.py``), so that a process whose compiled rules come from the disk
(decision 0019) need not import Ibis (0.2–0.3 s with sqlglot and rich) to know a
table's columns. Type names are Ibis's (``int64``, ``string``, ``date``, ``boolean``,
``decimal(p, s)``).
"""

from __future__ import annotations

MONEY = "decimal(18, 2)"

PEOPLE = {
    "row_no": "int64",
    "id_number": "string",
    "name": "string",
    "birth_date": "date",
    "death_date": "date",
    "hukou_region": "string",
    "insured_region": "string",  # the resident pension's 参保地 county (docs/scenario.md)
    "student": "boolean",
    "employee_pension": "boolean",
    "employee_medical": "boolean",
    "unable_to_work": "boolean",
    "rp_enrolled": "boolean",
    "rp_ever_enrolled": "boolean",
    "rp_tier": MONEY,
    "rp_application_date": "date",
    "rp_early_application_date": "date",
    "rp_early_review_result": "string",
    "third_party_funding": MONEY,
    "ue_rural_contract_worker": "boolean",
    "ue_months_at_unit": "int64",
    "ue_unit_paid": "boolean",
    "ue_contract_end": "string",
    "ue_contribution_months": "int64",
    "ue_insured_months": "int64",
    "ue_certificate_level": "int64",
    "ue_certificate_date": "date",
    # an earlier year's certificate of the same level (readings.md 43: a level once)
    "ue_same_level_certificate_date": "date",
    "ue_benefit_qualified": "boolean",
    "ue_medical_scheme": "string",
    "ue_resident_medical_paid": MONEY,
    "ue_benefit_months": "int64",  # Hebei: months of unemployment benefit drawn in the year
    "ue_employee_medical_premium": MONEY,  # Hebei: employee-medical premium while drawing
    "in_total": MONEY,
    "in_basic_pension": MONEY,
}

STATUSES = {
    "row_no": "int64",
    "status": "string",
    "valid_from": "date",
    "valid_to": "date",
    "exit_date": "date",
}

#: The bills the settlement rules read.
BILLS = {
    "bill_no": "int64",
    "bill_id": "string",
    "id_number": "string",
    "admission_date": "date",
    "discharge_date": "date",
    "hospital_level": "string",  # "1", "2", "3" or "referral_out"
    "in_county": "boolean",
    "total_cost": MONEY,
    "in_policy_cost": MONEY,
    "non_compliant_cost": MONEY,
    "special_drug_cost": MONEY,  # Shandong's negotiated special drugs (in-policy)
    "claim_type": "string",  # inpatient, chronic_1, chronic_2, childbirth
    "disease": "string",  # for the major-disease quota (Jiangxi's 15 diseases)
}

#: The patients' status periods (the same reading of statuses as the pension and
#: medical rules, keyed by ID number since bills name their patient that way).
BILL_STATUSES = {
    "id_number": "string",
    "status": "string",
    "valid_from": "date",
    "valid_to": "date",
    "exit_date": "date",
}
