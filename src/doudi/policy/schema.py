"""The input tables the rules read, as Ibis schemas.

The scenario interface, the benchmark and (later) the registry all build
tables of exactly these columns, so the rules never guess at a column.
``rp_`` = resident pension facts, ``ue_`` = unemployment, ``in_`` = income.
"""

from __future__ import annotations

import ibis

MONEY = "decimal(18, 2)"

PEOPLE = ibis.schema(
    {
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
)

STATUSES = ibis.schema(
    {
        "row_no": "int64",
        "status": "string",
        "valid_from": "date",
        "valid_to": "date",
        "exit_date": "date",
    }
)
