"""Bills stored before the bills' checks were tightened, settled for the person page
(bills.importing.settle_person; issue #19 §4): a bill the settlement refuses today comes
back unsettled with the settlement's own reason in Chinese, the person's other bills
settled without it. Before, each of these raised (a 500 on the page and the API)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from doudi.bills import importing as bills
from support import POOR, paid

#: A 2018 Jiangxi stay in a level-2 hospital in the county: 12000 in all, 10000 in policy.
STAY = {
    "bill_id": "JX-001",
    "id_number": POOR,
    "jurisdiction": "360000",
    "admission_date": date(2018, 3, 1),
    "discharge_date": date(2018, 3, 10),
    "hospital_level": "2",
    "in_county": True,
    "total_cost": Decimal("12000.00"),
    "in_policy_cost": Decimal("10000.00"),
    "non_compliant_cost": Decimal("0.00"),
    "special_drug_cost": Decimal("0.00"),
    "claim_type": "inpatient",
    "disease": None,
}
#: POOR's registered-poor period, as the registry holds it.
POOR_SINCE_2016 = {
    "status": "registered_poor",
    "valid_from": date(2016, 6, 1),
    "valid_to": None,
    "exit_marked": False,
    "exit_date": None,
}


def settle(*stored: dict[str, Any]) -> dict[str, dict[str, Any]]:
    statuses = bills.status_rows(POOR, [POOR_SINCE_2016])
    return {b["bill_id"]: b for b in bills.settle_person(list(stored), statuses)}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (  # Jiangxi's settlement parameters begin in 2018: was MissingParameter
            {"admission_date": date(2016, 3, 1), "discharge_date": date(2016, 3, 10)},
            "本单据未结算：出院日期：出院年度 2016 无法结算：江西省（360000）2016年没有有效的"
            "参数 resident_medical.registered_poor_includes_exited：文件未规定或已到期",
        ),
        (  # beyond engine.settlement.BILL_LIMIT: was DuckDB's OutOfRangeException
            {"total_cost": Decimal("99999999999.00"), "in_policy_cost": Decimal("99999999000.00")},
            "本单据未结算：总费用：单张单据金额不能超过 9999999999.99 元，实为 99999999999.00",
        ),
        (  # a level the settlement does not know: was KeyError '9'
            {"hospital_level": "9"},
            "本单据未结算：医院等级：应为 1、2、3 或 referral_out（转外诊）",
        ),
        (  # a jurisdiction no longer settled: was UnknownJurisdiction
            {"jurisdiction": "990000"},
            "本单据未结算：未知的统筹地区代码：'990000'；可选：",
        ),
    ],
    ids=["year_without_parameters", "amount_beyond_the_limit", "unknown_level", "unknown_code"],
)
def test_a_stored_bill_the_settlement_refuses_is_unsettled_with_its_reason(changes, reason):
    old = {**STAY, **changes, "bill_id": "OLD-1"}
    shown = settle(STAY, old)
    assert shown["OLD-1"]["unsettled_reason"].startswith(reason)
    assert shown["OLD-1"]["explanation"] == shown["OLD-1"]["unsettled_reason"]
    assert (shown["OLD-1"]["layers"], shown["OLD-1"]["basis"]) == ([], [])
    # the other bill as when it is the person's only one (JX-2017-58/2.2.4, 2.2.5): level
    # 2, poor: no deductible, critical illness the 400 standard; basic 80% × (10000 −
    # 400) = 7680.00; assistance 70% × 1920 = 1344.00
    assert shown["JX-001"]["unsettled_reason"] is None
    assert paid(shown["JX-001"]) == {
        "basic": "7680.00",
        "critical_illness": "400.00",
        "assistance": "1344.00",
    }
