"""The bills table the settlement rules read."""

from __future__ import annotations

import ibis

from doudi.policy.schema import MONEY

BILLS = ibis.schema(
    {
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
)

#: The patients' status periods (the same reading of statuses as the pension and
#: medical rules, keyed by ID number since bills name their patient that way).
BILL_STATUSES = ibis.schema(
    {
        "id_number": "string",
        "status": "string",
        "valid_from": "date",
        "valid_to": "date",
        "exit_date": "date",
    }
)
