"""Chinese explanations that quote the original sentences.

Built from a result row (the rules' output columns) and the clause registry:
an explanation says what was decided, why (or why not), and quotes the
sentence of each clause that decided it. It computes no amount itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from doudi.core import regions, vocab
from doudi.policy import clauses, parameters, shown
from doudi.policy.parameters import Value
from doudi.policy.params import Params
from doudi.policy.rules import insured_region
from doudi.policy.rules.resident_pension_documents import rules_for
from doudi.policy.rules.shared import DEATH_CLAUSE, SCOPE_CLAUSE, required_hukou_province

#: Which sentence of a clause to quote for a given context.
TOPIC = {
    ("NAT-2017-59/2.1", "pension"): "resident_pension",
    ("NAT-2017-59/2.1", "medical"): "resident_medical",
    ("HE-2018-3/2.1.1", "pension"): "gov_paid",
    ("HE-2018-3/2.1.1", "duplicate"): "once_per_year",
    ("HE-2018-3/2.1.1", "keep"): "keep_minimum_tier",
    ("HE-2018-3/2.1.1", "late"): "aged_60_not_enrolled",
    ("SD-2017-37/2.1", "pension"): "gov_paid_keep_minimum_tier",
    ("SD-2017-37/2.1", "keep"): "gov_paid_keep_minimum_tier",
    ("SD-2017-37/2.1", "early"): "severe_disability_early_pension",
    ("SD-2017-37/2.1", "income"): "basic_pension_not_income",
    ("SD-2017-37/2.2", "medical"): "contribution_subsidy",
    ("JX-2017-58/2.1.2", "medical"): "targets_and_share",
    ("JX-2017-58/2.3.7", "income"): "basic_pension_not_income",
    ("JX-2017-58/2.3.9", "allowance"): "one_off_living_allowance",
    ("JX-2017-58/2.3.9", "skill"): "skill_upgrade_subsidy",
    ("HE-2018-3/2.2.1", "medical"): "contribution_subsidy",
    ("HE-2018-3/2.4", "unemployment"): "urban_standard_benefit",
    ("HE-2018-3/2.4", "medical_premium"): "medical_premium",
    ("PZH-2018-195/1.2", "third_party"): "third_party_funding",
    ("PZH-2018-195/1.2", "above_highest"): "above_highest_tier",
    ("PZH-2018-195/1.3", "subsidy"): "voluntary_top_up",
    ("PZH-2018-195/2.1", "medical"): "contribution_subsidy",
    ("CQ-2018-82/2.1.1", "pension"): "amount",
    ("CQ-2018-82/2.1.1", "higher_tier"): "higher_tier",
    ("CQ-2018-82/2.1.1", "targets"): "targets",
    ("CQ-2018-82/2.1.1", "eligibility"): "eligibility",
    ("CQ-2018-82/2.1.1", "dynamic"): "dynamic_management",
    ("CQ-2018-82/2.1.1", "duplicate"): "multi_status",
    ("CQ-2018-82/2.1.1", "multi_status"): "multi_status",
    ("CQ-2018-82/2.1.1", "severe_disability"): "severe_disability",
    ("CQ-2018-82/2.2.1", "medical"): "contribution_subsidy",
    ("JX-2017-58/2.2.4", "settle_waiver"): "deductible_waiver",
    ("JX-2017-58/2.2.4", "settle_halved"): "critical_illness_deductible_halved",
    ("JX-2017-58/2.2.5", "settle_rates"): "basic_rates",
    ("JX-2017-58/2.2.5", "settle_cap"): "basic_annual_cap",
    ("JX-2017-58/2.2.5", "settle_ci_rates"): "critical_illness_rates",
}


def yuan_zh(amount: Decimal | None) -> str:
    return f"{amount or Decimal(0):.2f}元"


def quote(clause_id: str, context: str = "main") -> str:
    """【id】文号 章节：“原文”, choosing the sentence for the context."""
    clause = clauses.get(clause_id)
    topic = TOPIC.get((clause_id, context))
    if topic is None and len(clause.sentences) == 1:
        topic = clause.sentences[0][0]
    text = clause.sentence(topic)
    tail = "" if clause.verbatim else "（国家文件原件未收录，引公开文本）"
    return f"【{clause_id}】{clause.citation()}：“{text}”{tail}"


def quotes(pairs: Iterable[tuple[str, str]]) -> str:
    seen: list[tuple[str, str]] = []
    for pair in pairs:
        if pair not in seen:
            seen.append(pair)
    return "\n".join("  依据 " + quote(cid, ctx) for cid, ctx in seen)


def local_config_note(values: list[Value]) -> str:
    """示例参数 … 需按本地政策配置, naming each value by its Chinese name (the reader
    is a caseworker, not whoever edits the parameter files) and showing it as one reads
    it (policy.shown: 二级医院500.00元, 85%, 是); overrides named as such."""
    if not values:
        return ""
    parts = []
    for v in values:
        described = parameters.describe(v.path, v.jurisdiction)
        value = shown.text(v.path, v.value, described.unit if described else None)
        kind = "场景覆盖值" if v.override else "示例参数，需按本地政策配置"
        parts.append(f"{parameters.name_zh(v.path, v.jurisdiction)}：{value}（{kind}）")
    return "\n  注意：本结果使用了文件未规定的参数：" + "；".join(parts)


def entry_only(values: list[Value], path: str, key: Any) -> list[Value]:
    """``values`` with the table at ``path`` cut to the one entry a result read (issue
    #23 §1: a note lists what the result used, not the whole 13-row subsidy table)."""
    return [
        replace(v, value={key: v.value[key]})
        if v.path == path and isinstance(v.value, dict) and key in v.value
        else v
        for v in values
    ]


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def pension_reason(code: str, row: dict[str, Any], p: Params) -> str:
    y = p.year
    birth = row["birth_date"]
    hukou = row.get("hukou_region") or ""
    texts = {
        "not_in_force": f"{y}年{p.jurisdiction.name}不在政府代缴养老保险费政策的执行期内",
        "exit_marked": "建档立卡贫困人口已标注脱贫，代缴只适用于未标注脱贫的贫困人口",
        "not_recognised_last_year": (
            f"代缴对象是上年（{y - 1}年）经认定、年末仍在册的人员；本人在{y - 1}年末"
            f"不在代缴对象名单中（{y}年新认定的，自{y + 1}年起代缴）"
        ),
        "no_status": (
            f"{y - 1}年末不具有代缴对象身份（建档立卡未标注脱贫的贫困人口、低保对象、特困人员）"
            if rules_for(p).targets.last_year
            else f"{y}年内不具有代缴对象身份（贫困人员、低保对象、特困人员）"
        ),
        "hukou": (
            f"不具有{regions.region_name(required_hukou_province(p) or '') or '本省'}户籍"
            f"（户籍地 {hukou} {regions.region_name(hukou) or ''}）"
        ),
        "student": "在校学生不属于城乡居民基本养老保险的参保缴费对象",
        "employee_pension": "已参加城镇职工基本养老保险",
        "under_age": f"{y}年12月31日未满16周岁（{_age(birth, date(y, 12, 31))}周岁）",
        "over_age": (
            f"{y}年1月1日已满{_age(birth, date(y, 1, 1))}周岁，不在“未满60周岁”的缴费年龄内"
        ),
        "not_enrolled": "未参加城乡居民基本养老保险（应动员参保，参保后按规定代缴）",
        "duplicate": "同一公民身份号码本年度已在另一行享受代缴，每年每人只能享受一次",
        "deceased": (
            f"死亡人员名单记载本人已于{row.get('death_date')}死亡（{y}年1月1日以前），"
            "不再代缴、代扣或记账"
        ),
        "not_born": f"出生日期为{birth}，{y}年该人尚未出生，无须缴费，也无政府代缴",
        "insured_elsewhere": (
            f"参保地为{_place(row.get('insured_region'))}，不在{p.territory.name}"
            f"（户籍地 {_place(hukou)}）：城乡居民在户籍地参保，本地不为其代缴，也不收取"
            "个人缴费，由参保地经办机构按当地政策办理（或将参保关系转回户籍地）；"
            "缴费0.00元，个人应缴0.00元"
        ),
    }
    return texts[code]


def _place(code: str | None) -> str:
    """A region code with its name (户籍地 and 参保地 in explanations)."""
    return f"{code or ''} {regions.region_name(code or '') or ''}".strip()


def out_of_scope(row: dict[str, Any], p: Params) -> str:
    """Why a person recorded as enrolled contributes nothing (GF-2014-8/4), so that the
    0.00 beside the explanation is explained; "" for anyone else."""
    if not row["rp_out_of_scope"]:
        return ""
    y = p.year
    causes = ["为在校学生"] if row["student"] else []
    if _age(row["birth_date"], date(y, 12, 31)) < 16:
        causes.append(f"{y}年12月31日未满16周岁")
    return (
        f"本人登记为已参保，但{'、'.join(causes)}，不属于城乡居民基本养老保险的参保范围，"
        f"{y}年不缴费：缴费0.00元，个人应缴0.00元。"
    )


#: Which sentence to quote for each reason a person gets nothing (by default the
#: clause's pension sentence), per document: Chongqing's clause 2.1.1 has a
#: sentence for each; elsewhere only a duplicate has its own.
WHY_NOT_TOPIC: dict[str, dict[str, str]] = {
    "CQ-2018-82": {
        "duplicate": "duplicate",
        "over_age": "eligibility",
        "not_recognised_last_year": "dynamic",
        "no_status": "targets",
        "exit_marked": "targets",
        "not_enrolled": "eligibility",
        "not_in_force": "eligibility",
    },
}
WHY_NOT_DEFAULT = {"duplicate": "duplicate"}


def pension(row: dict[str, Any], p: Params, used: list[Value]) -> str:
    doc = p.jurisdiction.document
    name = row["name"] or row["id_number"]
    y = p.year
    basis = row["rp_basis"]
    if not row["rp_eligible"]:
        reasons = [c for c in row["rp_reasons"].split(";") if c]
        why = "；".join(pension_reason(c, row, p) for c in reasons)
        topics = WHY_NOT_TOPIC.get(doc, WHY_NOT_DEFAULT)
        # a clause per reason; GF-2014-8/4, which the rules add after them for one
        # enrolled outside the scheme, is quoted below with its own sentence
        why_pairs = [
            (cid, topics.get(code, "pension"))
            for cid, code in zip(basis[: len(reasons)], reasons, strict=True)
        ]
        scope = out_of_scope(row, p)
        if scope:
            why_pairs.append((SCOPE_CLAUSE, "pension"))
        return f"{name}：{y}年不享受政府代缴城乡居民养老保险费。原因：{why}。{scope}\n" + quotes(
            why_pairs
        )
    category = vocab.STATUS.label(row["rp_category"])
    funding = "，".join(
        f"{vocab.PAYER.label(k)}{yuan_zh(v)}" for k, v in row["funding"].items() if v
    )
    lines = [
        f"{name}：{y}年符合政府代缴条件（身份：{category}）。缴费{yuan_zh(row['rp_contribution'])}，"
        f"政府代缴{yuan_zh(row['rp_gov_paid'])}，个人应缴{yuan_zh(row['rp_self_due'])}。"
        + (f"代缴资金由{funding}承担。" if funding else "")
    ]
    keep = rules_for(p).keep_tier
    pairs = [
        (cid, "keep" if cid == keep and row["rp_retained_tier"] else "pension") for cid in basis
    ]
    if doc in PENSION_NOTES:
        PENSION_NOTES[doc](row, lines, pairs)
    if not row["rp_enrolled"]:
        lines.append("本人尚未参保，符合参保条件：政府代缴，并应为其办理城乡居民养老保险参保登记。")
    apart = insured_region.is_apart(row)
    if apart:  # insured in another county of the jurisdiction (docs/readings.md 38)
        lines.append(
            f"本人异地参保：参保地为{_place(row['insured_region'])}（户籍地 "
            f"{_place(row['hukou_region'])}），仍在{p.jurisdiction.name}，按本文件代缴。"
        )
    # Only Hebei has province-direct counties (a parameter) and cites HE-2018-3/1.
    if row.get("rp_province_direct"):
        place = "参保地" if apart else "户籍地"
        lines.append(f"{place}为省财政直管县（市），设区市负担部分由省级财政负担。")
    if "HE-2018-3/1" in basis:
        lines.append("已脱贫的建档立卡贫困人口同样纳入代缴范围。")
    if "HE-2018-3/3.2.1" in basis:  # died during the year (docs/readings.md 24)
        lines.append(
            f"死亡人员名单记载本人已于{row.get('death_date')}死亡：{y}年度的代缴仍按计划列支"
            "（本系统的解读），死亡之日起不再代扣个人缴费，也不再记视同实收或事后补助。"
        )
    if "rp_contribution_subsidy" in row:  # Panzhihua's rule ran (policy/program.py)
        used = entry_only(used, "resident_pension.subsidy_table", row["rp_contribution"])
        lines.append(
            f"政府缴费补贴按叠加后的缴费金额{yuan_zh(row['rp_contribution'])}对应档次给予"
            f"{yuan_zh(row['rp_contribution_subsidy'])}。"
        )
        pairs.append(("PZH-2018-195/1.3", "subsidy"))
    return "".join(lines) + "\n" + quotes(pairs) + local_config_note(used)


def birthday(birth: date, age: int) -> date:
    """The day a person born on ``birth`` turns ``age`` (29 February: 1 March)."""
    if (birth.month, birth.day) == (2, 29):
        return date(birth.year + age, 3, 1)
    return birth.replace(year=birth.year + age)


def early_pension_from(row: dict[str, Any]) -> date:
    """The earliest day of Shandong's early pension (SD-2017-37/2.1): the day the person
    reaches the early age, and not before their application — "提出申请，经审核后" pays
    from the application on, never back to a birthday before it (docs/readings.md 41)."""
    reached = birthday(row["birth_date"], row["rp_early_pension_age"])
    applied = row["rp_early_application_date"]
    return max(reached, applied) if applied else reached


def _codes(value: str | None) -> list[str]:
    return [c for c in (value or "").split(";") if c]


def _dead_text(row: dict[str, Any], p: Params) -> str:
    return f"死亡人员名单记载本人已于{row.get('death_date')}死亡（{p.year}年1月1日以前）"


#: Hebei's late enrollment (HE-2018-3/2.1.1): why one who applied does not qualify.
LATE_REASONS: dict[str, Callable[[dict[str, Any], Params], str]] = {
    "deceased": _dead_text,
    "not_registered_poor": lambda row, p: f"{p.year}年内不是建档立卡贫困人员",
    "enrolled": lambda row, p: (
        "已参加过城乡居民基本养老保险，不属于“未参加城乡居民基本养老保险的”人员，"
        "应按参保人员的规定领取待遇"
    ),
    "under_age": lambda row, p: (
        f"申请日期{row['rp_application_date']}时未满60周岁"
        f"（{_age(row['birth_date'], row['rp_application_date'])}周岁）"
    ),
}


def late_enrollment(row: dict[str, Any], p: Params) -> str:
    """HE-2018-3/2.1.1 for a registered poor person 60+ never enrolled, or for one who
    applied and does not qualify (the reasons, each with its clause)."""
    name = row["name"] or row["id_number"]
    reasons = _codes(row["rp_late_enrollment_reasons"])
    if not row["rp_late_enrollment"]:
        why = "；".join(LATE_REASONS[c](row, p) for c in reasons)
        cited = [("HE-2018-3/2.1.1", "late")]
        if "deceased" in reasons:
            cited.insert(0, (DEATH_CLAUSE, "main"))
        return (
            f"{name}：不符合60周岁及以上未参保建档立卡贫困人员按月领取待遇的条件。原因：{why}。\n"
            + quotes(cited)
        )
    start = row["rp_pension_from"]
    if isinstance(start, datetime):  # DuckDB's month arithmetic may give a timestamp
        start = start.date()
    return (
        f"{name}：60周岁及以上未参保的建档立卡贫困人员，不再补缴养老保险费，由本人申请，"
        + (
            f"申请日期{row['rp_application_date']}，自办理手续次月即{start}起按月计发待遇。"
            if start
            else "提出申请后自办理手续次月起按月计发待遇（尚未申请）。"
        )
        + "\n"
        + quotes([("HE-2018-3/2.1.1", "late")])
    )


#: Shandong's early pension (SD-2017-37/2.1): why it is not paid early.
EARLY_REASONS: dict[str, Callable[[dict[str, Any], Params], str]] = {
    "deceased": _dead_text,
    "not_severe_disability": lambda row, p: f"{p.year}年内不具有重度残疾人身份",
    "not_enrolled": lambda row, p: "未参加城乡居民基本养老保险",
    "no_application": lambda row, p: (
        f"截至{p.year}年12月31日本人未提出提前领取养老金申请（须本人申请，经审核后发放）"
    ),
    "review_pending": lambda row, p: (
        f"提前领取养老金申请（申请日期{row['rp_early_application_date']}）尚在审核中，"
        "审核通过后方可提前发放"
    ),
    "review_rejected": lambda row, p: (
        f"提前领取养老金申请（申请日期{row['rp_early_application_date']}）审核未通过"
    ),
}


def early_pension(row: dict[str, Any], p: Params) -> str:
    """SD-2017-37/2.1 for a severely disabled person or an applicant: drawn 5 years
    early on an approved application, or why not (each reason with its clause). The
    document gives the age only: the earliest day is the birthday at that age, and the
    month the bureau starts paying is its own (docs/readings.md)."""
    name = row["name"] or row["id_number"]
    reasons = _codes(row["rp_early_pension_reasons"])
    if not row["rp_early_pension"]:
        why = "；".join(EARLY_REASONS[c](row, p) for c in reasons)
        cited = [("SD-2017-37/2.1", "early")]
        if "deceased" in reasons:
            cited.insert(0, (DEATH_CLAUSE, "main"))
        return f"{name}：{p.year}年不能提前领取养老金。原因：{why}。\n" + quotes(cited)
    age = row["rp_early_pension_age"]
    reached, start = birthday(row["birth_date"], age), early_pension_from(row)
    later = f"，已过该日，自申请日期{start}起、不补发此前的养老金" if start > reached else ""
    return (
        f"{name}：参保的重度残疾人，提前领取养老金申请（申请日期"
        f"{row['rp_early_application_date']}）已审核通过，可提前5年即{age}周岁起领取养老金"
        f"（{age}周岁生日为{reached}{later}）。\n" + quotes([("SD-2017-37/2.1", "early")])
    )


def _chongqing_notes(row: dict[str, Any], lines: list[str], pairs: list[tuple[str, str]]) -> None:
    """CQ-2018-82/2.1.1's sentences on the severely disabled, a higher tier than
    the minimum, and a person recognised by two departments (多重身份)."""
    if row["rp_category"] == "severe_disability":
        pairs.append(("CQ-2018-82/2.1.1", "severe_disability"))
    if row.get("rp_tier") is not None and row["rp_contribution"] > row["rp_gov_paid"]:
        pairs.append(("CQ-2018-82/2.1.1", "higher_tier"))
    if row["rp_category"] in ("tekun", "dibao") and row["rp_registered_poor"]:
        lines.append("同时被民政和扶贫部门认定，按民政代缴对象执行，不重复享受。")
        pairs.append(("CQ-2018-82/2.1.1", "multi_status"))


#: What a document's explanation of a person paid for adds (lines and quotes).
PENSION_NOTES: dict[str, Callable[[dict[str, Any], list[str], list[tuple[str, str]]], None]] = {
    "CQ-2018-82": _chongqing_notes
}


def medical(row: dict[str, Any], p: Params, used: list[Value]) -> str:
    name = row["name"] or row["id_number"]
    cid = row["rm_basis"][0]
    if not row["rm_eligible"]:
        reasons = {
            "exit_marked": "建档立卡贫困人口已标注脱贫，不在资助范围内",
            "no_status": f"{p.year}年内不具有资助参保的困难群体身份",
            "employee_medical": "已参加城镇职工基本医疗保险",
            "deceased": (
                f"死亡人员名单记载本人已于{row.get('death_date')}死亡"
                f"（{p.year}年1月1日以前），不再资助参保"
            ),
            "not_born": (
                f"出生日期为{row['birth_date']}，{p.year}年该人尚未出生，无须缴费，无缴费资助"
            ),
        }
        why = "；".join(reasons[c] for c in row["rm_reasons"].split(";") if c)
        cited = [(c, "medical") for c in row["rm_basis"]]
        return f"{name}：{p.year}年城乡居民医保个人缴费不享受财政资助。原因：{why}。\n" + quotes(
            cited
        )
    share = Decimal(row["rm_share"]) * 100
    category = vocab.STATUS.label(row["rm_category"])
    text = (
        f"{name}：{p.year}年城乡居民医保个人缴费{yuan_zh(row['rm_contribution'])}，"
        f"作为{category}由财政资助{share:.0f}%即{yuan_zh(row['rm_subsidy'])}，"
        f"个人缴纳{yuan_zh(row['rm_self_due'])}。"
    )
    funding = "，".join(
        f"{vocab.PAYER.label(k[len('rm_fund_') :])}{yuan_zh(v)}"
        for k, v in row.items()
        if k.startswith("rm_fund_") and v
    )
    if funding and row["rm_subsidy"]:
        text += f"资助资金由{funding}承担。"
    return text + "\n" + quotes([(cid, "medical")]) + local_config_note(used)


UNEMPLOYMENT_REASONS = {
    "not_rural_contract_worker": "不是单位招用的农民合同制工人",
    "short_at_unit": "在本单位连续工作不满1年",
    "unit_not_paid": "本单位未按规定缴纳失业保险费",
    "contract_not_ended": "劳动合同未期满终止或提前解除",
    "no_contribution": "没有失业保险缴费记录",
    "short_insured": "参加失业保险不满3年",
    "short_contribution": "累计缴纳失业保险费不满36个月",
    "no_certificate": "没有初级（五级）、中级（四级）或高级（三级）职业资格或技能等级证书",
    "cert_too_early": "证书不是2017年1月1日以后取得的",
    "deceased": "死亡人员名单记载本人已于本年度以前死亡",
}


def _why(codes: str) -> str:
    return "；".join(UNEMPLOYMENT_REASONS[c] for c in codes.split(";") if c)


def jx_unemployment(row: dict[str, Any], used: list[Value]) -> str:
    name = row["name"] or row["id_number"]
    if row["ue_allowance_eligible"]:
        allowance = (
            f"一次性生活补助{yuan_zh(row['ue_allowance'])}（按失业保险金月基数的60%，"
            f"缴费{row['ue_contribution_months']}个月计{row['ue_allowance_months']}个月，"
            "未满整年按整年计算，最长24个月）"
        )
    else:
        allowance = f"不享受一次性生活补助（{_why(row['ue_allowance_reasons'])}）"
    if row["ue_skill_eligible"]:
        skill = f"技能提升补贴{yuan_zh(row['ue_skill_subsidy'])}"
    else:
        skill = f"不享受技能提升补贴（{_why(row['ue_skill_reasons'])}）"
    pairs = [("JX-2017-58/2.3.9", "allowance"), ("JX-2017-58/2.3.9", "skill")]
    return (
        f"{name}：{allowance}；{skill}。\n"
        + quotes(pairs)
        + _same_level_note(row)
        + local_config_note(used)
    )


def _same_level_note(row: dict[str, Any]) -> str:
    """The subsidy pays a level once (人社部发〔2017〕40号, which JX-2017-58/2.3.9
    implements: docs/readings.md 43); the plan does not know whether an earlier year's
    certificate of the same level was paid, so the caseworker is asked to check."""
    if not row.get("ue_skill_same_level_before"):
        return ""
    level = vocab.CERTIFICATE_LEVEL.label(str(row["ue_certificate_level"]))
    return (
        f"\n  注意：本人已于{row['ue_same_level_certificate_date']}取得同为{level}的证书。"
        "技能提升补贴对同一职业同一等级只能享受一次"
        "（人社部发〔2017〕40号）：该证书如已享受本补贴，本次不应重复发放，请核实。"
    )


def he_unemployment(row: dict[str, Any], used: list[Value]) -> str:
    """Each part the fund pays with its arithmetic, and the year's sum: a caseworker
    checks the plan's one row against the months and premiums of the list."""
    name = row["name"] or row["id_number"]
    if not row["ue_benefit_eligible"]:
        return (
            f"{name}：不是符合领取失业保险金条件的农民工，不适用按城镇职工标准领取的规定。\n"
            + quotes([("HE-2018-3/2.4", "unemployment")])
        )
    monthly = yuan_zh(row["ue_monthly_benefit"])
    standard = "城镇职工失业保险金月标准，本地配置参数"
    months = row["ue_benefit_months"]
    if months is None:
        parts = [
            f"按城镇职工标准领取失业保险金，每月{monthly}（{standard}）；"
            "未载明本年领取月数，本年失业保险金未计"
        ]
    else:
        benefit = yuan_zh(row["ue_benefit"])
        parts = [f"失业保险金{monthly}/月 × {months}个月 = {benefit}（{standard}）"]
    if row["ue_employee_medical_paid_by_fund"]:
        if row["ue_employee_medical_premium"] is None:
            parts.append(
                "领取期间参加职工医保，医疗保险费由失业保险基金负担（名单未载明金额，未计）"
            )
        else:
            premium = yuan_zh(row["ue_employee_medical_by_fund"])
            parts.append(f"领取期间参加职工医保，失业保险基金负担职工医保费{premium}")
    if row["ue_resident_medical_subsidy"]:
        refund = yuan_zh(row["ue_resident_medical_subsidy"])
        parts.append(f"参加居民医保的，按实际缴纳额领取医疗保险补贴{refund}")
    total = yuan_zh(row["ue_fund_unemployment_fund"])
    text = f"{name}：" + "；".join(parts) + f"。失业保险基金本年共支付{total}。"
    pairs = [("HE-2018-3/2.4", "unemployment"), ("HE-2018-3/2.4", "medical_premium")]
    return text + "\n" + quotes(pairs) + local_config_note(used)


INCOME_CLAUSE = {
    "NAT-2017-59": "NAT-2017-59",
    "JX-2017-58": "JX-2017-58/2.3.7",
    "HE-2018-3": "HE-2018-3/2.1.4",
    "SD-2017-37": "SD-2017-37/2.1",
    "PZH-2018-195": "PZH-2018-195/4",
    "CQ-2018-82": "CQ-2018-82/2.1.3",
}


def income(row: dict[str, Any], p: Params) -> str:
    name = row["name"] or row["id_number"]
    cid = INCOME_CLAUSE[p.jurisdiction.document]
    if row["in_excluded"]:
        text = (
            f"{name}：认定低保、特困和扶贫对象时，家庭收入{yuan_zh(row['in_total'])}中的"
            f"城乡居民基本养老保险基础养老金{yuan_zh(row['in_excluded'])}暂不计入，"
            f"计入收入为{yuan_zh(row['in_countable'])}。"
        )
    else:
        text = (
            f"{name}：{p.year}年已过“十三五”期间，基础养老金计入家庭收入，"
            f"计入收入为{yuan_zh(row['in_countable'])}。"
        )
    return text + "\n" + quotes([(cid, "income")])
