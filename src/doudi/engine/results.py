"""Turn the rules' output rows into the scenario contract's result objects.

Money becomes strings with two decimals; the ``;``-joined reason and basis
columns become lists; each section gets its Chinese explanation and the
local-configuration values it depended on. A section that one document's own
rule computes is shown where that rule's columns are present: which rules run
is decided in one place, policy/program.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from doudi.core.money import fmt
from doudi.policy import explain
from doudi.policy.parameters import Value
from doudi.policy.params import Params
from doudi.policy.rules import insured_region
from doudi.policy.rules.resident_pension_documents import rules_for
from doudi.policy.rules.shared import DEATH_CLAUSE


def _codes(value: str | None) -> list[str]:
    return [c for c in (value or "").split(";") if c]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _flags(values: list[Value]) -> list[dict[str, Any]]:
    return [
        {
            "parameter": v.path,
            "value": plain_value(v.value),
            "source": "scenario-override" if v.override else "local-config",
            "note": "场景覆盖值" if v.override else "示例参数，需按本地政策配置",
        }
        for v in values
    ]


def plain_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    return value


#: Values read for every row that matter only to some rows.
RELEVANT: dict[str, Callable[[dict[str, Any]], bool]] = {
    "resident_pension.retained_tier": lambda row: bool(row["rp_retained_tier"]),
    "resident_pension.severe_disability_payer": lambda row: (
        row["rp_category"] == "severe_disability"
    ),
    "resident_pension.minimum_tier": lambda row: (
        row.get("rp_tier") is None or "resident_pension.gov_paid_amount" not in row["_fixed"]
    ),
}


def _relevant(values: list[Value], row: dict[str, Any]) -> list[Value]:
    return [v for v in values if v.path not in RELEVANT or RELEVANT[v.path](row)]


def _day(value: date | datetime | None) -> str | None:
    """A date as YYYY-MM-DD (DuckDB's month arithmetic may hand back a timestamp)."""
    if value is None:
        return None
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _share(value: Decimal) -> str:
    """A share with two decimals ("0.60", "1.00"), more only where it has them."""
    two = value.quantize(Decimal("0.01"))
    return str(two) if two == value else format(value.normalize(), "f")


def _pension(row: dict[str, Any], p: Params) -> dict[str, Any]:
    # Hebei's split is a structure (province, city, county thirds): show all
    # three, a 0.00 city in a province-direct county included. Elsewhere the
    # payer columns are alternatives, so only the one that pays is shown.
    keep_zero = rules_for(p).funding_is_structure
    funding = {
        key[len("rp_fund_") :]: row[key]
        for key in row
        if key.startswith("rp_fund_") and row["rp_gov_paid"] and (row[key] or keep_zero)
    }
    row = {**row, "funding": funding, "rp_basis": _codes(row["rp_basis"])}
    fixed = {v.path for v in p.used("resident_pension")}
    row["_fixed"] = fixed
    used = _relevant(p.local_config_used("resident_pension"), row) if row["rp_eligible"] else []
    out: dict[str, Any] = {
        "eligible": row["rp_eligible"],
        "category": row["rp_category"],
        "contribution": fmt(row["rp_contribution"]),
        "gov_paid": fmt(row["rp_gov_paid"]),
        "self_due": fmt(row["rp_self_due"]),
        "funding": {k: fmt(v) for k, v in funding.items()},
        # the rules cite GF-2014-8/4 for one recorded as enrolled outside the scheme
        "basis": _unique(row["rp_basis"]),
        "reasons": _codes(row["rp_reasons"]),
        "local_config": _flags(used),
    }
    if insured_region.is_apart(row):  # 异地参保: shown only where it differs (reading 38)
        out["insured_region"] = row["insured_region"]
    if "rp_contribution_subsidy" in row:  # Panzhihua's contribution subsidy
        out["contribution_subsidy"] = fmt(row["rp_contribution_subsidy"])
        out["third_party_paid"] = fmt(row["rp_third_party_paid"])
        out["may_choose_employee_pension"] = row["rp_may_choose_employee_pension"]
        if row["rp_third_party_paid"] or row["rp_may_choose_employee_pension"]:
            out["basis"] = _unique([*out["basis"], "PZH-2018-195/1.2"])
        if row["rp_eligible"]:
            out["basis"] = _unique([*out["basis"], "PZH-2018-195/1.3"])
    if row.get("rp_late_enrollment") or row.get("rp_late_enrollment_reasons"):  # Hebei
        out["late_enrollment"] = _late_enrollment(row, p)
    if row.get("rp_early_pension") or row.get("rp_early_pension_reasons"):  # Shandong
        out["early_pension"] = _early_pension(row, p)
    out["explanation"] = explain.pension(row, p, used)
    return out


def _late_enrollment(row: dict[str, Any], p: Params) -> dict[str, Any]:
    """HE-2018-3/2.1.1: no back contributions; the pension from the month after applying.
    Shown for the qualifying and for applicants who do not qualify (with why)."""
    reasons = _codes(row["rp_late_enrollment_reasons"])
    out: dict[str, Any] = {
        "eligible": row["rp_late_enrollment"],
        "application_date": _day(row["rp_application_date"]),
    }
    if row["rp_late_enrollment"]:
        out |= {"back_payment": "0.00", "pension_from": _day(row["rp_pension_from"])}
    dead = [DEATH_CLAUSE] if "deceased" in reasons else []
    return out | {
        "reasons": reasons,
        "basis": [*dead, "HE-2018-3/2.1.1"],
        "explanation": explain.late_enrollment(row, p),
    }


def _early_pension(row: dict[str, Any], p: Params) -> dict[str, Any]:
    """SD-2017-37/2.1: the severely disabled may draw the pension 5 years early on an
    approved application; shown too for one whose application is missing, pending or
    rejected, or who applied without qualifying (with why)."""
    age = row["rp_early_pension_age"]
    reasons = _codes(row["rp_early_pension_reasons"])
    dead = [DEATH_CLAUSE] if "deceased" in reasons else []
    return {
        "eligible": row["rp_early_pension"],
        "application_date": _day(row["rp_early_application_date"]),
        "review_result": row["rp_early_review_result"],
        "pension_age": age,
        "earliest_date": _day(explain.early_pension_from(row)) if age else None,
        "reasons": reasons,
        "basis": [*dead, "SD-2017-37/2.1"],
        "explanation": explain.early_pension(row, p),
    }


def _medical(row: dict[str, Any], p: Params) -> dict[str, Any]:
    row = {**row, "rm_basis": _codes(row["rm_basis"])}
    used = p.local_config_used("resident_medical") if row["rm_eligible"] else []
    return {
        "eligible": row["rm_eligible"],
        "category": row["rm_category"],
        "contribution": fmt(row["rm_contribution"]),
        "subsidy_share": _share(row["rm_share"]),
        "subsidy": fmt(row["rm_subsidy"]),
        "self_due": fmt(row["rm_self_due"]),
        # the payers' parts of the subsidy; a payer with no part is not shown
        "funding": {
            key[len("rm_fund_") :]: fmt(row[key])
            for key in row
            if key.startswith("rm_fund_") and row["rm_subsidy"] and row[key]
        },
        "basis": row["rm_basis"],
        "reasons": _codes(row["rm_reasons"]),
        "local_config": _flags(used),
        "explanation": explain.medical(row, p, used),
    }


def _unemployment(row: dict[str, Any], p: Params) -> dict[str, Any] | None:
    used = p.local_config_used("unemployment")
    if "ue_allowance_eligible" in row:  # Jiangxi's one-off allowance and skill subsidy
        return {
            "one_off_living_allowance": {
                "eligible": row["ue_allowance_eligible"],
                "months": row["ue_allowance_months"],
                "amount": fmt(row["ue_allowance"]),
                "reasons": _codes(row["ue_allowance_reasons"]),
            },
            "skill_upgrade_subsidy": {
                "eligible": row["ue_skill_eligible"],
                "amount": fmt(row["ue_skill_subsidy"]),
                "reasons": _codes(row["ue_skill_reasons"]),
            },
            "funding": {"unemployment_fund": fmt(row["ue_allowance"] + row["ue_skill_subsidy"])},
            # JX-2017-58/2.1.3: the employer pays; the rural contract worker pays nothing.
            "personal_contribution": "0.00" if row["ue_rural_contract_worker"] else None,
            "basis": ["JX-2017-58/2.3.9"]
            + (["JX-2017-58/2.1.3"] if row["ue_rural_contract_worker"] else []),
            "local_config": _flags(used if row["ue_allowance_eligible"] else []),
            "explanation": explain.jx_unemployment(
                row, used if row["ue_allowance_eligible"] else []
            ),
        }
    if "ue_benefit_eligible" in row:  # Hebei's benefit at the urban standard
        return {
            "eligible": row["ue_benefit_eligible"],
            "monthly_benefit": fmt(row["ue_monthly_benefit"]),
            "benefit_standard": "urban" if row["ue_benefit_eligible"] else None,
            "benefit_months": row["ue_benefit_months"] if row["ue_benefit_eligible"] else None,
            "benefit": fmt(row["ue_benefit"]),
            "employee_medical_paid_by_fund": row["ue_employee_medical_paid_by_fund"],
            "employee_medical_premium": fmt(row["ue_employee_medical_by_fund"]),
            "resident_medical_subsidy": fmt(row["ue_resident_medical_subsidy"]),
            "funding": {"unemployment_fund": fmt(row["ue_fund_unemployment_fund"])},
            "basis": ["HE-2018-3/2.4"],
            "local_config": _flags(used if row["ue_benefit_eligible"] else []),
            "explanation": explain.he_unemployment(row, used if row["ue_benefit_eligible"] else []),
        }
    return {
        "eligible": False,
        "basis": [],
        "explanation": f"{p.jurisdiction.name}的文件对农民工失业保险待遇未作专门规定。",
    }


def format_results(
    rows: list[dict[str, Any]], p: Params, unemployment_rows: set[int] | None = None
) -> list[dict[str, Any]]:
    results = []
    for row in rows:
        result: dict[str, Any] = {
            "id_number": row["id_number"],
            "name": row["name"],
            "resident_pension": _pension(row, p),
            "resident_medical": _medical(row, p),
        }
        if unemployment_rows is not None and row["row_no"] in unemployment_rows:
            result["unemployment"] = _unemployment(row, p)
        if row["in_total"] is not None:
            result["income_assessment"] = {
                "household_income": fmt(row["in_total"]),
                "excluded_basic_pension": fmt(row["in_excluded"]),
                "countable_income": fmt(row["in_countable"]),
                "basis": [explain.INCOME_CLAUSE[p.jurisdiction.document]],
                "explanation": explain.income(row, p),
            }
        results.append(result)
    return results
