"""Bills in, payer layers out: ``doudi settle FILE`` and the scenario's ``bills``.

Bills are validated whole; a bad bill is reported with its id, field and reason
in Chinese. The good bills are settled together, per calendar year of discharge,
so deductibles and caps carry from bill to bill.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pyarrow as pa

from doudi.core import idnumber, vocab
from doudi.core.money import MoneyError, fmt, yuan
from doudi.engine import backend, nhsa
from doudi.engine.results import plain_value
from doudi.policy import explain
from doudi.policy.parameters import Value
from doudi.policy.rules.status import STATUSES
from doudi.policy.settlement import schema

LEVELS = {"1": "1", "2": "2", "3": "3", "referral_out": "referral_out", "转外诊": "referral_out"}


#: Disease names with a rule of their own (Jiangxi's 15 major diseases, JX-2017-58/2.2.6).
KNOWN_DISEASES = (
    "食道癌",
    "胃癌",
    "直肠癌",
    "结肠癌",
    "肺癌",
    "耐多药肺结核",
    "慢性粒细胞白血病",
    "急性心肌梗塞",
    "脑梗死",
    "血友病",
    "I型糖尿病",
    "甲亢",
    "儿童苯丙酮尿症",
    "尿道下裂",
    "地中海贫血",
)
#: 住院, 门诊特殊慢性病 I类 / II类, 住院分娩.
CLAIM_TYPES = tuple(vocab.CLAIM_TYPE)
#: The sentences of a clause that bear on a settlement (clause → topics).
QUOTE = {
    "JX-2017-58/2.2.4": ["settle_waiver", "settle_halved"],
    "JX-2017-58/2.2.5": ["settle_rates", "settle_cap", "settle_ci_rates"],
}


class BillProblem(str):
    """One problem of one bill, as the Chinese sentence a user reads ("单据 ZY-1，字段
    total_cost：不能为空"), which also keeps the field and the reason apart: an import
    reports each rejected row's column."""

    bill: str
    field: str  # "": the bill as a whole (``bill`` then says which: "第3张单据")
    reason: str

    def __new__(cls, bill: str, field: str, reason: str) -> BillProblem:
        text = f"单据 {bill}，字段 {field}：{reason}" if field else f"{bill}：{reason}"
        problem = super().__new__(cls, text)
        problem.bill, problem.field, problem.reason = bill, field, reason
        return problem


class BillError(ValueError):
    """Invalid bills; ``problems`` names each bill, field and reason in Chinese."""

    def __init__(self, problems: Sequence[str]):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def _day(raw: Any, where: tuple[str, str], problems: list[BillProblem]) -> date | None:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        problems.append(BillProblem(*where, f"日期格式应为 YYYY-MM-DD，实际为 {raw!r}"))
        return None


def _money(
    raw: Any, where: tuple[str, str], problems: list[BillProblem], required: bool = True
) -> Decimal | None:
    if raw is None:
        if required:
            problems.append(BillProblem(*where, "不能为空"))
        return None if required else Decimal("0.00")
    try:
        value = yuan(str(raw) if isinstance(raw, float) else raw)
    except MoneyError as exc:
        problems.append(BillProblem(*where, str(exc)))
        return None
    if value < 0:
        problems.append(BillProblem(*where, f"金额不能为负数（{raw}）"))
    return value


#: How a CSV or Excel cell says yes or no (县域内 是/否, true/false, 1/0).
YES = frozenset({"是", "true", "1", "y", "yes", "县域内"})
NO = frozenset({"否", "false", "0", "n", "no", "县域外"})


def _flag(raw: Any, where: tuple[str, str], problems: list[BillProblem]) -> bool:
    """A yes/no field; empty means yes (treated in the county, the usual case)."""
    if raw is None or raw == "":
        return True
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    problems.append(BillProblem(*where, f"应为 是 或 否（true/false），实际为 {raw!r}"))
    return True


def parse_bills(bills: Sequence[Any]) -> list[dict[str, Any]]:
    """Validate bills (each with the statuses its patient held on the discharge date).

    Raises :class:`BillError` listing every bad bill; see :func:`screen_bills`
    for a batch that settles the good bills anyway.
    """
    rows, problems = screen_bills(bills)
    if problems:
        raise BillError(problems)
    return rows


def screen_bills(bills: Sequence[Any]) -> tuple[list[dict[str, Any]], list[BillProblem]]:
    """Split bills into valid rows and problems (bill, field, reason in Chinese).

    A bill id seen before is rejected, so no bill is settled twice.
    """
    problems: list[BillProblem] = []
    rows = []
    seen: set[str] = set()
    for i, raw in enumerate(bills):
        if not isinstance(raw, Mapping):
            problems.append(BillProblem(f"第{i + 1}张单据", "", "应为映射（键: 值）"))
            continue
        raw = nhsa.read_bill(raw)
        bill_id = str(raw.get("bill_id") or f"#{i + 1}")
        before = len(problems)
        if bill_id in seen:
            problems.append(BillProblem(bill_id, "bill_id", "单据号重复，同一单据只结算一次"))
            continue
        seen.add(bill_id)
        try:
            number = idnumber.parse(str(raw.get("id_number") or "")).value
        except idnumber.IdNumberError as exc:
            problems.append(BillProblem(bill_id, "id_number", str(exc)))
            number = ""
        admitted = _day(raw.get("admission_date"), (bill_id, "admission_date"), problems)
        discharged = _day(raw.get("discharge_date"), (bill_id, "discharge_date"), problems)
        if admitted and discharged and discharged < admitted:
            problems.append(
                BillProblem(
                    bill_id, "discharge_date", f"出院日期 {discharged} 早于入院日期 {admitted}"
                )
            )
        level = LEVELS.get(str(raw.get("hospital_level")))
        if level is None:
            problems.append(
                BillProblem(bill_id, "hospital_level", "应为 1、2、3 或 referral_out（转外诊）")
            )
        total = _money(raw.get("total_cost"), (bill_id, "total_cost"), problems)
        in_policy = _money(raw.get("in_policy_cost"), (bill_id, "in_policy_cost"), problems)
        non_compliant = _money(
            raw.get("non_compliant_cost"), (bill_id, "non_compliant_cost"), problems, required=False
        )
        special = _money(
            raw.get("special_drug_cost"), (bill_id, "special_drug_cost"), problems, False
        )
        if in_policy is not None and special is not None and special > in_policy:
            problems.append(
                BillProblem(
                    bill_id,
                    "special_drug_cost",
                    f"特殊药品费用{special}超过政策范围内费用{in_policy}",
                )
            )
        known = total is not None and in_policy is not None and non_compliant is not None
        if known and in_policy + non_compliant > total:  # type: ignore[operator]
            problems.append(
                BillProblem(
                    bill_id,
                    "in_policy_cost",
                    f"政策范围内费用{in_policy}加不合规费用{non_compliant}超过总费用{total}",
                )
            )
        disease = raw.get("disease")
        if disease is not None and str(disease) not in KNOWN_DISEASES:
            problems.append(
                BillProblem(
                    bill_id,
                    "disease",
                    f"未知的病种 {disease!r}（可选：{'、'.join(KNOWN_DISEASES)}）",
                )
            )
        claim = str(raw.get("claim_type") or "inpatient")
        if claim not in CLAIM_TYPES:
            problems.append(
                BillProblem(
                    bill_id, "claim_type", f"应为 {'、'.join(CLAIM_TYPES)} 之一，实际为 {claim!r}"
                )
            )
        in_county = _flag(raw.get("in_county"), (bill_id, "in_county"), problems)
        held = raw.get("statuses") or []
        if isinstance(held, str):  # a CSV cell: "registered_poor;dibao"
            held = [x for x in held.replace("、", ";").split(";") if x.strip()]
        if not isinstance(held, list) or not set(held) <= set(STATUSES):
            problems.append(
                BillProblem(
                    bill_id, "statuses", f"出院时持有的身份列表，可选 {'、'.join(STATUSES)}"
                )
            )
            held = []
        held = set(held)
        if len(problems) > before:
            continue
        rows.append(
            {
                "bill_no": i,
                "bill_id": bill_id,
                "id_number": number,
                "admission_date": admitted,
                "discharge_date": discharged,
                "hospital_level": level,
                "in_county": in_county,
                "total_cost": total,
                "in_policy_cost": in_policy,
                "non_compliant_cost": non_compliant,
                "special_drug_cost": special,
                "claim_type": claim,
                "disease": raw.get("disease"),
                "held": sorted(held),
            }
        )
    return rows, problems


def settle(
    jurisdiction: str,
    rows: list[dict[str, Any]],
    overrides: Mapping[str, Any] | None = None,
    statuses: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Settle validated bills, one plan per discharge year; results in input order.

    ``statuses`` are the patients' status periods (from a scenario's people);
    without them each bill's own ``statuses`` (held on its discharge date) count.
    """
    if statuses is None:
        statuses = [
            {
                "id_number": row["id_number"],
                "status": status,
                "valid_from": row["discharge_date"],
                "valid_to": row["discharge_date"] + timedelta(days=1),
                "exit_date": None,
            }
            for row in rows
            for status in row["held"]
        ]
    status_table = pa.Table.from_pylist(statuses, schema=schema.BILL_STATUSES.to_pyarrow())
    results: dict[int, dict[str, Any]] = {}
    by_year: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_year.setdefault(row["discharge_date"].year, []).append(row)
    for year, group in sorted(by_year.items()):
        plan = backend.plan(jurisdiction, year, overrides, kind="bills")
        table = pa.Table.from_pylist(group, schema=schema.BILLS.to_pyarrow())
        used = plan.params.local_config_used("medical_settlement")
        for out in plan.run(bills=table, statuses=status_table).to_pylist():
            results[out["bill_no"]] = _format(out, used)
    return [results[row["bill_no"]] for row in rows]


def _format(row: dict[str, Any], used: list[Value]) -> dict[str, Any]:
    basis = [c for c in (row["settlement_basis"] or "").split(";") if c]
    layers = [
        {"payer": name, "name_zh": vocab.SETTLEMENT_LAYER[name], "amount": fmt(row[f"{name}_paid"])}
        for name in vocab.SETTLEMENT_LAYER
    ]
    paid = sum((row[f"{name}_paid"] for name in vocab.SETTLEMENT_LAYER), Decimal(0))
    lines = [
        f"单据{row['bill_id']}（{vocab.HOSPITAL_LEVEL[row['hospital_level']]}医院，出院{row['discharge_date']}）："
        f"总费用{fmt(row['total_cost'])}元，政策范围内{fmt(row['in_policy_cost'])}元。"
    ]
    if row["deductible_paid"]:
        lines.append(f"本次起付线{fmt(row['deductible_paid'])}元由个人负担。")
    if row["ci_standard_paid"]:
        lines.append(
            f"贫困人员在一、二级医院住院不设起付线，大病保险基金按{fmt(row['ci_standard_paid'])}元标准纳入报销。"
        )
    for layer in layers:
        if layer["amount"] != "0.00":
            lines.append(f"{layer['name_zh']}支付{layer['amount']}元；")
    lines.append(
        f"各方合计支付{fmt(paid)}元，个人支付政策范围内{fmt(row['patient_in_policy'])}元、"
        f"政策范围外{fmt(row['out_of_policy'])}元，共{fmt(row['patient_pays'])}元。"
    )
    if row["hospital_bears"]:
        lines.append(f"不合规费用{fmt(row['hospital_bears'])}元由医疗机构承担。")
    if row["topped_up"]:
        lines.append(
            "县域内建档立卡贫困人口政策范围内个人支付占比控制在10%以内，差额由倾斜支付补足。"
        )
    text = "".join(lines)
    if basis:
        text += "\n" + explain.quotes(
            [(cid, ctx) for cid in basis for ctx in QUOTE.get(cid, ["main"])]
        )
    text += explain.local_config_note(used)
    return {
        "bill_id": row["bill_id"],
        "id_number": row["id_number"],
        "total_cost": fmt(row["total_cost"]),
        "in_policy_cost": fmt(row["in_policy_cost"]),
        "layers": layers,
        "deductible_paid": fmt(row["deductible_paid"]),
        "fund_paid": fmt(paid),
        "patient_in_policy": fmt(row["patient_in_policy"]),
        "out_of_policy": fmt(row["out_of_policy"]),
        "patient_pays": fmt(row["patient_pays"]),
        "hospital_bears": fmt(row["hospital_bears"]),
        "basis": basis,
        "local_config": [{"parameter": v.path, "value": plain_value(v.value)} for v in used],
        "explanation": text,
    }
