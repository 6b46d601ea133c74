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

from doudi.core import idnumber, money, vocab
from doudi.core.money import MoneyError, fmt
from doudi.engine import backend, nhsa
from doudi.engine.results import plain_value
from doudi.policy import explain, parameters
from doudi.policy.parameters import Value
from doudi.policy.params import MissingParameter
from doudi.policy.rules.shared import STATUSES
from doudi.policy.settlement.used import used_by

LEVELS = {"1": "1", "2": "2", "3": "3", "referral_out": "referral_out", "转外诊": "referral_out"}
#: The earliest day a bill may name: none of the insurance schemes whose rules Doudi
#: holds paid for a stay before it, and 1900-01-01 is what Excel shows for an empty date
#: (issue #19 §4).
EARLIEST = date(1950, 1, 1)
#: The most one amount of a bill may be. The rules multiply money by rates as
#: DECIMAL(18, 4) × DECIMAL(18, 4), which DuckDB keeps in 18 digits with 8 decimals: an
#: amount of 10^10 yuan overflows there (a 500 on the calculator), long before
#: DECIMAL(18, 2)'s own limit (money.LIMIT, checked first). No hospital stay costs ten
#: billion yuan: such a number is a typing slip.
BILL_LIMIT = Decimal("9999999999.99")


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
    总费用（total_cost）：不能为空": the field's Chinese name, the key the caller sent
    beside it), which also keeps the field and the reason apart: an import reports each
    rejected row's column by the file's own header."""

    bill: str
    field: str  # "": the bill as a whole (``bill`` then says which: "第3张单据")
    reason: str

    def __new__(cls, bill: str, field: str, reason: str) -> BillProblem:
        text = f"单据 {bill}，字段 {_named(field)}：{reason}" if field else f"{bill}：{reason}"
        problem = super().__new__(cls, text)
        problem.bill, problem.field, problem.reason = bill, field, reason
        return problem


def _named(field: str) -> str:
    """总费用（total_cost）; a key that is no bill field (the caller's own) as sent."""
    label = vocab.BILL_FIELD.label(field)
    return f"{label}（{field}）" if label != field else field


class BillError(ValueError):
    """Invalid bills; ``problems`` names each bill, field and reason in Chinese."""

    def __init__(self, problems: Sequence[str]):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def _quoted(raw: Any) -> str:
    """A cell as a reason quotes it: escaped (a NUL or line break shows as \\x00, \\n)
    and cut at 40 characters, so that a reason stays one readable line."""
    text = str(raw)
    return repr(text[:40]) + ("…" if len(text) > 40 else "")


def _day(raw: Any, where: tuple[str, str], problems: list[BillProblem], today: date) -> date | None:
    """A bill's date, between :data:`EARLIEST` and ``today``: a stay of 1900 or 2100 is
    a typing slip, and a bill is settled after the discharge, never before."""
    if isinstance(raw, date):
        day = raw
    else:
        try:
            day = date.fromisoformat(str(raw))
        except ValueError:
            problems.append(BillProblem(*where, f"日期格式应为 YYYY-MM-DD，实际为 {_quoted(raw)}"))
            return None
    if not EARLIEST <= day <= today:
        problems.append(BillProblem(*where, f"日期 {day} 应在 {EARLIEST} 至今天（{today}）之间"))
        return None
    return day


def _money(
    raw: Any, where: tuple[str, str], problems: list[BillProblem], required: bool = True
) -> Decimal | None:
    """An amount as given (core.money.given: at most two decimals, never rounded), not
    negative and within :data:`BILL_LIMIT`."""
    if raw is None:
        if required:
            problems.append(BillProblem(*where, "不能为空"))
        return None if required else Decimal("0.00")
    if isinstance(raw, bool):  # JSON true is no amount (given() would call it a float)
        problems.append(BillProblem(*where, f"金额应为数字，实为 {raw!r}"))
        return None
    try:
        value = money.given(str(raw) if isinstance(raw, float) else raw)
    except MoneyError as exc:
        problems.append(BillProblem(*where, str(exc)))
        return None
    if value < 0:
        problems.append(BillProblem(*where, f"金额不能为负数（{value}）"))
    elif value > BILL_LIMIT:
        problems.append(BillProblem(*where, f"单张单据金额不能超过 {BILL_LIMIT} 元，实为 {value}"))
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
    problems.append(BillProblem(*where, f"应为 是 或 否（true/false），实际为 {_quoted(raw)}"))
    return True


def parse_bills(
    bills: Sequence[Any],
    jurisdiction: str | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Validate bills (each with the statuses its patient held on the discharge date).

    Raises :class:`BillError` listing every bad bill; see :func:`screen_bills`
    for a batch that settles the good bills anyway, and for ``jurisdiction``.
    """
    rows, problems = screen_bills(bills, jurisdiction, overrides=overrides)
    if problems:
        raise BillError(problems)
    return rows


def screen_bills(
    bills: Sequence[Any],
    jurisdiction: str | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> tuple[list[dict[str, Any]], list[BillProblem]]:
    """Split bills into valid rows and problems (bill, field, reason in Chinese).

    A bill id seen before is rejected, so no bill is settled twice. Dates lie between
    :data:`EARLIEST` and ``today`` (default: the day it runs), the admission not before
    the patient's birth; amounts are exact to the fen and within :data:`BILL_LIMIT`.
    Given the ``jurisdiction`` (and the what-if ``overrides`` the settlement will use),
    a bill discharged in a year without settlement parameters is a problem too, not a
    MissingParameter when it is settled; an override that is itself wrong still raises
    ParameterError (the caller names the field it came from).
    """
    today = today or date.today()
    problems: list[BillProblem] = []
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, raw in enumerate(bills):
        if not isinstance(raw, Mapping):
            problems.append(BillProblem(f"第{i + 1}张单据", "", "应为映射（键: 值）"))
            continue
        try:
            raw = nhsa.read_bill(raw)
        except nhsa.PlatformCodeError as exc:
            problems.append(BillProblem(exc.bill_id or f"#{i + 1}", exc.field, exc.reason))
            continue
        bill_id = str(raw.get("bill_id") or f"#{i + 1}")
        before = len(problems)
        if bill_id in seen:
            problems.append(BillProblem(bill_id, "bill_id", "单据号重复，同一单据只结算一次"))
            continue
        seen.add(bill_id)
        born: date | None = None
        try:
            patient = idnumber.parse(str(raw.get("id_number") or ""))
            number, born = patient.value, patient.birth_date
        except idnumber.IdNumberError as exc:
            problems.append(BillProblem(bill_id, "id_number", str(exc)))
            number = ""
        admitted, discharged = _stay(raw, bill_id, born, today, problems)
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
                    f"未知的病种 {_quoted(disease)}（可选：{'、'.join(KNOWN_DISEASES)}）",
                )
            )
        claim = str(raw.get("claim_type") or "inpatient")
        if claim not in CLAIM_TYPES:
            problems.append(
                BillProblem(
                    bill_id,
                    "claim_type",
                    f"应为 {'、'.join(CLAIM_TYPES)} 之一，实际为 {_quoted(claim)}",
                )
            )
        in_county = _flag(raw.get("in_county"), (bill_id, "in_county"), problems)
        held = raw.get("statuses") or []
        if isinstance(held, str):  # a CSV cell: "registered_poor;dibao"
            held = [x for x in held.replace("、", ";").split(";") if x.strip()]
        if not isinstance(held, list) or not all(h in STATUSES for h in held):
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
    if jurisdiction is not None:
        unsettled = _years_without_parameters(
            jurisdiction, {r["discharge_date"].year for r in rows}, overrides
        )
        problems += [
            BillProblem(r["bill_id"], "discharge_date", unsettled[r["discharge_date"].year])
            for r in rows
            if r["discharge_date"].year in unsettled
        ]
        rows = [r for r in rows if r["discharge_date"].year not in unsettled]
    return rows, problems


def _stay(
    raw: Mapping[str, Any],
    bill_id: str,
    born: date | None,
    today: date,
    problems: list[BillProblem],
) -> tuple[date | None, date | None]:
    """The admission and discharge days of a bill: each in range (:func:`_day`), the
    discharge not before the admission, the admission not before the patient's birth
    (a bill of a child's stay before it was born names the wrong person)."""
    admitted = _day(raw.get("admission_date"), (bill_id, "admission_date"), problems, today)
    discharged = _day(raw.get("discharge_date"), (bill_id, "discharge_date"), problems, today)
    if admitted and discharged and discharged < admitted:
        problems.append(
            BillProblem(bill_id, "discharge_date", f"出院日期 {discharged} 早于入院日期 {admitted}")
        )
    if admitted and born and admitted < born:
        problems.append(
            BillProblem(
                bill_id,
                "admission_date",
                f"入院日期 {admitted} 早于患者的出生日期 {born}（据公民身份号码）",
            )
        )
    return admitted, discharged


def _years_without_parameters(
    jurisdiction: str, years: set[int], overrides: Mapping[str, Any] | None
) -> dict[int, str]:
    """Discharge year → why ``jurisdiction`` cannot settle a bill of it (the rules need
    a parameter no document in force gives). Compiles each year's rules, which the
    settlement would do next anyway (backend.plan caches them per process)."""
    out = {}
    for year in sorted(years):
        try:
            backend.plan(jurisdiction, year, overrides, kind="bills")
        except MissingParameter as exc:
            out[year] = f"出院年度 {year} 无法结算：{exc}"
    return out


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
    results: dict[int, dict[str, Any]] = {}
    by_year: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_year.setdefault(row["discharge_date"].year, []).append(row)
    for year, group in sorted(by_year.items()):
        plan = backend.plan(jurisdiction, year, overrides, kind="bills")
        used = plan.params.local_config_used("medical_settlement")
        on = date(year, 12, 31)

        def in_force(path: str, on: date = on) -> Any:
            found = parameters.lookup(path, jurisdiction, on)
            return None if found is None else found.value

        for out in plan.rows(bills=group, statuses=statuses):
            results[out["bill_no"]] = _format(out, used_by(out, used, in_force))
    return [results[row["bill_no"]] for row in rows]


def _pays(layer_zh: str) -> str:
    """A layer paying: 基本医疗保险支付, but 倾斜支付 alone (its name already says it pays;
    "倾斜支付支付" doubled the verb)."""
    return layer_zh if layer_zh.endswith("支付") else f"{layer_zh}支付"


def _format(row: dict[str, Any], used: list[Value]) -> dict[str, Any]:
    """A settled bill as the results show it; ``used``: the example values this bill
    used (policy/settlement/used.py), which its note names."""
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
            lines.append(f"{_pays(layer['name_zh'])}{layer['amount']}元；")
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
        "deductible": fmt(row["deductible"]),
        "ci_standard_paid": fmt(row["ci_standard_paid"]),
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
