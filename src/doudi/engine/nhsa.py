"""The national medical-insurance information platform's settlement field names.

Hospitals already exchange settlements with the platform (国家医疗保障信息平台,
settlement output ``setlinfo``); ``doudi settle --format nhsa`` writes each
bill's result under those names, and bills given in those names are read too,
so a hospital system can use Doudi without a translation layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Platform input field → Doudi bill field.
INPUT = {
    "mdtrt_id": "bill_id",
    "setl_id": "bill_id",
    "certno": "id_number",
    "begndate": "admission_date",
    "enddate": "discharge_date",
    "hosp_lv": "hospital_level",
    "medfee_sumamt": "total_cost",
    "inscp_scp_amt": "in_policy_cost",
}
#: Hospital-level codes the platform uses (01 一级 … 03 三级).
LEVEL_CODES = {"01": "1", "02": "2", "03": "3", "1": "1", "2": "2", "3": "3"}


def read_bill(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A bill in platform names (or Doudi's, or mixed) as a Doudi bill."""
    bill = {INPUT.get(k, k): v for k, v in raw.items()}
    level = bill.get("hospital_level")
    if "hosp_lv" in raw and str(level) in LEVEL_CODES:
        bill["hospital_level"] = LEVEL_CODES[str(level)]
    return bill


def write_result(result: Mapping[str, Any]) -> dict[str, Any]:
    """One settled bill under the platform's ``setlinfo`` field names (money as strings)."""
    layers = {layer["payer"]: layer["amount"] for layer in result["layers"]}
    return {
        "setl_id": result["bill_id"],
        "certno": result["id_number"],
        "medfee_sumamt": result["total_cost"],
        "fulamt_ownpay_amt": result["out_of_policy"],
        "inscp_scp_amt": result["in_policy_cost"],
        "dedc_std": result["deductible_paid"],
        "act_pay_dedc": result["deductible_paid"],
        "hifp_pay": layers["basic"],
        "hifmi_pay": layers["critical_illness"],
        "hifes_pay": layers["supplementary"],
        "maf_pay": layers["assistance"],
        "othfund_pay": layers["tilt"],
        "fund_pay_sumamt": result["fund_paid"],
        "psn_part_amt": result["patient_pays"],
        "psn_cash_pay": result["patient_pays"],
        "hosp_part_amt": result["hospital_bears"],
    }
