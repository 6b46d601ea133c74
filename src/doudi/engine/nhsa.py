"""The national medical-insurance information platform's settlement interface.

Hospitals settle with the platform (国家医疗保障信息平台, 定点医药机构接口规范: the
inpatient settlement 2207 answers with ``setlinfo``, the settlement, and ``setldetail``,
one row per fund that paid); ``doudi settle --format nhsa`` writes each bill's result
in that shape, and bills given under the platform's field names are read too, so a
hospital system can use Doudi without a translation layer.

The platform's codes read and written here:

- 医院等级 ``hosp_lv`` (dictionary HOSP_LV): 01 三级特等, 02 三级甲等, 03 三级乙等,
  04 三级丙等, 05 二级甲等, 06 二级乙等, 07 二级丙等, 08 一级甲等, 09 一级乙等,
  10 一级丙等, 11 无等级. The documents set deductibles and rates by level (一级, 二级,
  三级 医疗机构), so a grade is read as its level. A one-digit code is refused, not
  guessed: "1" is 01 三级特等 that lost its leading zero as often as it is 一级.
- 起付线医院等级 ``dedc_hosp_lv``: the level the insurance office settles a hospital's
  bills at where it differs from its grade (an ungraded township health centre settled
  as level 1). It wins over the grade. Provinces code it as the level (1, 2, 3) or in
  the grade's dictionary (01–10); both are read.
- 无等级 (11) names no level, and no document says which level an ungraded hospital is
  settled at (JX-2017-58/2.2.5's "一级及以下" is a critical-illness rate only): such a
  bill is refused in Chinese unless ``dedc_hosp_lv`` gives the level (docs/readings.md).
- 基金支付类型 ``fund_pay_type`` (``setldetail``): 390100 城乡居民基本医疗保险基金,
  390200 城乡居民大病医疗保险基金, 610100 医疗救助基金. The poor persons' supplementary
  insurance and the tilt payment are local funds with no national code: they stay in
  ``setlinfo`` (``hifes_pay``, ``othfund_pay``) and get no detail row rather than the
  code of a fund that did not pay.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import takewhile
from typing import Any

#: Platform input field → Doudi bill field (the hospital levels: :func:`read_bill`).
INPUT = {
    "mdtrt_id": "bill_id",
    "setl_id": "bill_id",
    "certno": "id_number",
    "begndate": "admission_date",
    "enddate": "discharge_date",
    "medfee_sumamt": "total_cost",
    "inscp_scp_amt": "in_policy_cost",
}
#: HOSP_LV, the platform's hospital grades: code → (grade, the documents' level).
HOSP_LV: dict[str, tuple[str, str | None]] = {
    "01": ("三级特等", "3"),
    "02": ("三级甲等", "3"),
    "03": ("三级乙等", "3"),
    "04": ("三级丙等", "3"),
    "05": ("二级甲等", "2"),
    "06": ("二级乙等", "2"),
    "07": ("二级丙等", "2"),
    "08": ("一级甲等", "1"),
    "09": ("一级乙等", "1"),
    "10": ("一级丙等", "1"),
    "11": ("无等级", None),
}
#: 起付线医院等级: the level itself, or a grade of HOSP_LV that has one.
DEDC_LEVELS = {
    "1": "1",
    "2": "2",
    "3": "3",
    **{code: level for code, (_, level) in HOSP_LV.items() if level is not None},
}
GRADE_FIELD, DEDUCTIBLE_FIELD = "hosp_lv", "dedc_hosp_lv"

#: Doudi's settlement layer → the platform's fund (``fund_pay_type``, its name).
FUNDS = {
    "basic": ("390100", "城乡居民基本医疗保险基金"),
    "critical_illness": ("390200", "城乡居民大病医疗保险基金"),
    "assistance": ("610100", "医疗救助基金"),
}
#: The funds whose amount each settlement clause (the bill's ``basis``) shapes, for the
#: citations of ``setl_proc_info``; a clause not listed is cited on every fund's row.
SHAPES: dict[str, tuple[str, ...]] = {
    "JX-2017-58/2.2.4": ("basic", "critical_illness"),  # no deductible; CI pays the standard
    "JX-2017-58/2.2.5": ("basic", "critical_illness"),  # the poor's rates and caps
    "JX-2017-58/2.2.6": ("basic", "critical_illness"),  # major diseases by quota
    "HE-2018-3/2.2.3": ("basic",),  # childbirth at a fixed amount
    "HE-2018-3/3.3": (),  # treated first, no deposit: no fund's amount
    "SD-2017-37/2.2": ("basic", "critical_illness"),  # halved deductible, +5 points, drugs
    "PZH-2018-195/2.4": (),  # non-compliant costs: the hospital's
}


class PlatformCodeError(ValueError):
    """A bill whose platform hospital level gives no level to settle by; ``field`` is
    the platform's field name, ``reason`` says in Chinese what is wrong."""

    def __init__(self, bill_id: str, field: str, reason: str):
        super().__init__(f"单据 {bill_id}，字段 {field}：{reason}")
        self.bill_id, self.field, self.reason = bill_id, field, reason


def read_bill(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A bill in platform names (or Doudi's, or mixed) as a Doudi bill; raises
    :class:`PlatformCodeError` for a hospital level that cannot be settled by."""
    bill = {INPUT.get(k, k): v for k, v in raw.items() if k not in (GRADE_FIELD, DEDUCTIBLE_FIELD)}
    level = _level(raw, str(bill.get("bill_id") or ""))
    if level is not None:
        bill["hospital_level"] = level
    return bill


def _code(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _level(raw: Mapping[str, Any], bill_id: str) -> str | None:
    """The level a bill is settled at: the deductible level if given, else the grade's
    level; None when the bill gives neither (Doudi's ``hospital_level`` then)."""
    grade = _code(raw.get(GRADE_FIELD))
    if grade and grade not in HOSP_LV:
        raise PlatformCodeError(
            bill_id,
            GRADE_FIELD,
            f"应为医院等级的两位代码 01–11（01 三级特等 … 05 二级甲等 … 08 一级甲等 … "
            f"11 无等级），实为 {raw[GRADE_FIELD]!r}",
        )
    deductible = _code(raw.get(DEDUCTIBLE_FIELD))
    if deductible:
        if deductible not in DEDC_LEVELS:
            raise PlatformCodeError(
                bill_id,
                DEDUCTIBLE_FIELD,
                f"应为起付线医院等级 1、2、3（或医院等级代码 01–10），"
                f"实为 {raw[DEDUCTIBLE_FIELD]!r}",
            )
        return DEDC_LEVELS[deductible]
    if not grade:
        return None
    name, level = HOSP_LV[grade]
    if level is None:
        raise PlatformCodeError(
            bill_id,
            GRADE_FIELD,
            f"医院等级为 {grade} {name}：政策文件按一级、二级、三级医疗机构规定起付线和报销比例，"
            f"未规定{name}的医疗机构按哪一级结算；请在 {DEDUCTIBLE_FIELD}（起付线医院等级）"
            "中填写医保经办机构核定的等级",
        )
    return level


def write_result(result: Mapping[str, Any]) -> dict[str, Any]:
    """One settled bill as the platform's settlement output: ``setlinfo`` and the
    ``setldetail`` rows of the funds that paid (money as strings)."""
    return {"setlinfo": _setlinfo(result), "setldetail": _setldetail(result)}


def _setlinfo(result: Mapping[str, Any]) -> dict[str, Any]:
    layers = {layer["payer"]: layer["amount"] for layer in result["layers"]}
    return {
        "setl_id": result["bill_id"],
        "certno": result["id_number"],
        "medfee_sumamt": result["total_cost"],
        "fulamt_ownpay_amt": result["out_of_policy"],
        "inscp_scp_amt": result["in_policy_cost"],
        "dedc_std": result["deductible"],  # 起付标准: what the bill was settled with
        "act_pay_dedc": result["deductible_paid"],  # 实际支付起付线: what the patient bore
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


def _setldetail(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A row per fund of :data:`FUNDS` that paid. ``crt_payb_lmt_amt`` (the room left
    under the fund's limit) is null: a settlement result holds what each fund paid,
    not the room its yearly cap still had, and a guessed room would mislead."""
    rows = []
    for layer in result["layers"]:
        if layer["payer"] not in FUNDS or layer["amount"] == "0.00":
            continue
        code, name = FUNDS[layer["payer"]]
        rows.append(
            {
                "fund_pay_type": code,
                "fund_pay_type_name": name,
                "inscp_scp_amt": result["in_policy_cost"],
                "crt_payb_lmt_amt": None,
                "fund_payamt": layer["amount"],
                "setl_proc_info": _process(result, layer["payer"], name, layer["amount"]),
            }
        )
    return rows


def _process(result: Mapping[str, Any], payer: str, fund: str, amount: str) -> str:
    """How the fund's amount came about, in Chinese, with the clauses that shaped it."""
    if payer == "basic":
        text = (
            f"政策范围内费用{result['in_policy_cost']}元，起付标准{result['deductible']}元，"
            f"个人负担起付线{result['deductible_paid']}元，{fund}支付{amount}元。"
        )
    else:
        before = takewhile(lambda layer: layer["payer"] != payer, result["layers"])
        earlier = [layer["name_zh"] for layer in before if layer["amount"] != "0.00"]
        after = f"经{'、'.join(earlier)}报销后" if earlier else ""
        standard = result["ci_standard_paid"]
        waived = (
            f"及不设起付线、按{standard}元标准纳入报销的部分"
            if payer == "critical_illness" and standard != "0.00"
            else ""
        )
        text = f"{after}政策范围内个人负担的部分{waived}，{fund}支付{amount}元。"
    cited = [c for c in result["basis"] if payer in SHAPES.get(c, tuple(FUNDS))]
    return text + ("依据" + "".join(f"【{c}】" for c in cited) + "。" if cited else "")
