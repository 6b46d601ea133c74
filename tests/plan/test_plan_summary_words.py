"""What ``doudi plan`` prints (PlanResult.summary_zh) names payers in Chinese as the
ledger does, in the ledger's order, every amount with two decimals (issue #23 §1)."""

from __future__ import annotations

from decimal import Decimal

from doudi.plan.outcome import PlanResult


def test_the_summary_names_payers_in_words_and_amounts_to_the_fen():
    result = PlanResult(
        version_id=3,
        number=1,
        created=True,
        people=5,
        targets=3,
        gov_paid=Decimal("240"),
        self_due=Decimal("0"),
        by_payer={"poverty_office": Decimal("70"), "civil_affairs": Decimal("170.5")},
    )
    lines = result.summary_zh("500102", 2018)
    assert lines[1].endswith(" 240.00 元，个人应缴合计 0.00 元")
    assert lines[2:4] == [
        "  民政部门（市级社保相关资金及区县财力）：170.50 元",
        "  扶贫部门（市级扶贫资金及区县财力）：70.00 元",
    ]
    assert not any("civil_affairs" in line or "poverty_office" in line for line in lines)
