"""The Chinese headers of the statistics' columns, shared by the workbook, the printout
and the web page, so that a column is named the same way everywhere."""

from __future__ import annotations

from collections.abc import Iterable

from doudi.core import vocab
from doudi.plan import programmes
from doudi.plan.ledger_terms import PAID_BY, payer_label
from doudi.policy.rules.shared import STATUSES

LABELS = {
    **vocab.FIELD,
    # poor, pension_poor, medical_poor: vocab.FIELD's words (decision 0015)
    **{s: vocab.STATUS[s] for s in STATUSES},
    **{s: f"参加{vocab.SCHEME[s]}" for s in vocab.SCHEME},
    "pension_enrolled": "养老保险已参保",
    "pension_not_enrolled": "养老保险未参保",
    "pension_rate": "养老保险参保率",
    "medical_enrolled": "医疗保险已参保",
    "medical_not_enrolled": "医疗保险未参保",
    "medical_rate": "医疗保险参保率",
    "targets": "享受人数",
    "gov_paid": "政府承担合计",
    "self_due": "个人应缴",
    "as_of": "统计日期",
    "month": "月份",
    "quarter": "季度",
    "programme": "项目",
    "version_id": "计划版本编号",
    "number": "版本号",
    "jurisdiction": "统筹地区",
    "plan_region": "计划范围",
    "version_gov_paid": "版本政府承担合计",
    "version_self_due": "版本个人应缴合计",
    "note": "说明",
    "sector": "行业",
    "projects_covered": "工伤保险在保项目",
    "projects_not_covered": "在建无工伤保险项目",
    "poor_workers": "在项目务工的贫困劳动力",
    "poor_workers_covered": "所在项目已参加工伤保险",
    "poor_workers_not_covered": "所在项目无工伤保险",
    "advance_cases": "先行支付案件数",
    "advance_paid": "先行支付金额",
    "advance_recovered": "已追偿金额",
    "advance_outstanding": "待追偿金额",
    "item": "项目",
    "content": "内容",
}


def headers(columns: Iterable[str]) -> list[str]:
    """Chinese headers; a payer's column by the payer's name, as the ledger shows it."""
    return [
        payer_label(c[len(PAID_BY) :]) if c.startswith(PAID_BY) else LABELS.get(c, c)
        for c in columns
    ]


def amount_headers(code: str, columns: Iterable[str]) -> list[str]:
    """The headers of a programme's amounts: its total and its people named as its ledger
    names them, so that third parties' funding is not called the government's
    (decision 0013: 第三方资助合计)."""
    words = programmes.get(code)
    own = {"gov_paid": words.gov_zh, "targets": words.targets_zh}
    names = list(columns)
    return [own.get(c, h) for c, h in zip(names, headers(names), strict=True)]
