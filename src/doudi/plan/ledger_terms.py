"""What a plan version's ledger shows and says for its programme (decision 0012).

The ledger was written for the resident pension's government part: a column of the
pension's enrollment and tier, the withholding cycle's payments and bookings (which
only the pension has, collection/), and the word 政府代缴 everywhere. A version of
another programme keeps the ledger's layout (people, regions, payers, notes) but not
those columns — beside a medical subsidy, a pension booking would read as the
subsidy's — and uses its own words: the resident-medical subsidy is 财政资助 to
资助对象, its enrollment is the resident medical insurance, and the share of the
personal contribution it pays (资助比例) is read off its rows. The pension's terms are
exactly those its ledgers always had, so that a pension ledger keeps every byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa

from doudi.core import vocab
from doudi.plan import programmes
from doudi.policy.rules.shared import STATUSES as RULE_STATUSES

#: The statuses a pension ledger lists (the documents' pension targets; 城镇低收入家庭
#: and the others are the medical subsidy's).
PENSION_STATUSES = ("registered_poor", "dibao", "tekun", "severe_disability")

#: The prefix of a government payer's amount column (``paid_by_civil_affairs``).
PAID_BY = "paid_by_"
UNNAMED = "（未填写）"

#: Chinese headers of the ledger's columns (payer columns: :func:`payer_label`); a
#: programme's own words replace some (:attr:`Terms.labels`).
LABELS = {
    **vocab.FIELD,
    "statuses": "年度内身份",
    "marks": "人员标识",
    "rp_enrolled": "参加城乡居民养老保险",
    "rp_tier": "缴费档次",
    "gov_paid": "政府代缴合计",
    "self_due": "个人应缴",
    "self_paid": "个人已缴",
    "booking": "政府代缴入账",
    "booked_on": "入账日期",
    "basis": "依据条款",
    "people": "有身份人数",
    "targets": "代缴对象",
    "payer": "付款方代码",
    "payer_name": "付款方",
    "amount": "金额",
    "share": "占比",
    "subsidy_share": "资助比例",
    "item": "项目",
    "content": "内容",
}

_REGIONS_ZH = (
    "县(区)按户籍区划代码前6位；乡镇(街道)、村(社区)按名单所填名称在所属县(区)内汇总，"
    f"未填写的记为{UNNAMED}。"
)


def _targets_zh(targets: str, amount: str) -> str:
    return f"{targets}：有{amount}金额的人员；分区统计中的有身份人数为持有上述身份之一的人员。"


def _payers_zh(gov: str) -> str:
    return (
        f"各付款方金额之和等于{gov}（每一行均已核对）；占比为占{gov}的百分比，"
        "四舍五入保留两位小数。金额单位：元。"
    )


def _marks_zh(amount: str) -> str:
    return (
        "人员标识：本年度任一日持有的各类身份（含在校学生、丧失劳动能力）；建档立卡贫困人口"
        "在本年度的记录均于12月31日前标注脱贫的，标识为标注脱贫，"
        f"本版本仍有{amount}金额的"
        "标识为“标注脱贫，仍享受政策”（攀人社发〔2018〕195号 六、（二））；1月1日已满60周岁的"
        "标识60周岁以上；本年度参保地不在户籍县(区)的标识异地参保；本年度任一日在工程项目"
        "实名制用工名单上的标识项目务工人员；12月31日前认定为工伤的标识工伤职工（受伤不限"
        "年度），其中尘肺病的标识工伤职工（尘肺病）（工伤保险各名单为本地区各县(区)截至"
        "12月31日的名单，按身份证号码对应）；12月31日前死亡的标识已死亡并注明死亡日期。"
    )


@dataclass(frozen=True)
class Terms:
    """A programme's ledger: which statuses it lists, which columns it has, its words."""

    code: str  # core.vocab.PROGRAMME
    title_zh: str  # the plan as the title names it: 城乡居民养老保险缴费计划
    version_zh: str  # the 说明 sheet's item naming the version
    amount_zh: str  # what the government pays: 政府代缴, 财政资助
    statuses: tuple[str, ...]  # listed (年度内身份) and counted (有身份人数)
    enrolled: str | None  # the people column of the enrollment held in the year
    enrolled_scheme: str | None  # the scheme of that enrollment
    tier: bool  # the pension's tier the plan read (rp_tier)
    collection: bool  # the withholding cycle's payments and bookings
    share: bool  # 资助比例: the government's share of the person's contribution
    readings: tuple[str, ...]  # the 说明 sheet's 口径
    #: the 说明 sheet names the programme, its clauses and its local-config values
    describes_programme: bool
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def gov_zh(self) -> str:
        return self.labels.get("gov_paid", LABELS["gov_paid"])

    def label_zh(self) -> str:
        return vocab.PROGRAMME.label(self.code)


PENSION = Terms(
    code=programmes.RESIDENT_PENSION.code,
    title_zh="城乡居民养老保险缴费计划",
    version_zh="缴费计划版本",
    amount_zh="政府代缴",
    statuses=PENSION_STATUSES,
    enrolled="rp_enrolled",
    enrolled_scheme="resident_pension",
    tier=True,
    collection=True,
    share=False,
    readings=(
        "人员范围：户籍在统筹地区内、本年度任一日持有建档立卡贫困人口、低保对象、特困人员、"
        "重度残疾人身份之一的人员，以及本版本有缴费记录的人员（未持有身份的参保人员仅有个人应缴）。",
        "身份、参保、缴费档次、死亡日期、所在地取自当前登记信息（参保为本年度任一日在保，"
        "档次为本计划所依据的最近一次参保记录的档次，不在本年度档次表内的不计）；金额为本版本计划金额。",
        _targets_zh("代缴对象", "政府代缴"),
        _REGIONS_ZH,
        _payers_zh(LABELS["gov_paid"]),
        _marks_zh("政府代缴"),
        "个人已缴为本年度已到账的个人缴费（银行代扣回盘及征缴系统缴费明细）；政府代缴入账为"
        "视同实收（个人部分足额到账后）或事后补助（本人已自行全额缴纳），见渝人社发〔2018〕82号。",
    ),
    describes_programme=False,
)


def _other(
    programme: programmes.Programme,
    *,
    enrolled: str | None = None,
    enrolled_scheme: str | None = None,
    share: bool = False,
) -> Terms:
    """A programme's terms from its words (plan.programmes): the statuses its rules read,
    no pension columns."""
    gov = programme.gov_zh
    amount = gov.removesuffix("合计")
    statuses = "、".join(vocab.STATUS[s] for s in RULE_STATUSES)
    enrollment = (
        f"（参保为本年度任一日参加{vocab.SCHEME[enrolled_scheme]}）" if enrolled_scheme else ""
    )
    readings = [
        f"人员范围：户籍在统筹地区内、本年度任一日持有{statuses}身份之一的人员，"
        "以及本版本有计划记录的人员。",
        f"身份、参保、死亡日期、所在地取自当前登记信息{enrollment}；金额为本版本计划金额。",
        _targets_zh(programme.targets_zh, amount),
        _REGIONS_ZH,
        _payers_zh(gov),
    ]
    if share:
        readings.append(
            f"资助比例：{gov}占个人缴费（{gov}与个人应缴之和）的比例，四舍五入保留两位小数；"
            "资助类别（按何种身份资助）未随计划保存，以年度内身份和依据条款为准。"
        )
    readings.append(_marks_zh(amount))
    labels = {"gov_paid": gov, "targets": programme.targets_zh}
    if enrolled and enrolled_scheme:
        labels[enrolled] = f"参加{vocab.SCHEME[enrolled_scheme]}"
    return Terms(
        code=programme.code,
        title_zh=f"{programme.label_zh()}计划",
        version_zh="计划版本",
        amount_zh=amount,
        statuses=RULE_STATUSES,
        enrolled=enrolled,
        enrolled_scheme=enrolled_scheme,
        tier=False,
        collection=False,
        share=share,
        readings=tuple(readings),
        describes_programme=True,
        labels=labels,
    )


MEDICAL = _other(
    programmes.RESIDENT_MEDICAL,
    enrolled="rm_enrolled",
    enrolled_scheme="resident_medical",
    share=True,
)


def of(code: str | None) -> Terms:
    """The terms of a version's programme (a version from before decision 0012 has
    none: the pension's); raises ``programmes.UnknownProgramme`` (Chinese) for a code
    no programme has."""
    if not code or code == PENSION.code:
        return PENSION
    if code == MEDICAL.code:
        return MEDICAL
    return _other(programmes.get(code))


def payer_label(payer: str) -> str:
    """The Chinese name of a payer (its code when it has none)."""
    return vocab.PAYER.label(payer)


def headers(table: pa.Table, terms: Terms = PENSION) -> list[str]:
    """Chinese headers of a ledger table, in the programme's words."""
    labels = {**LABELS, **terms.labels}
    return [
        payer_label(c[len(PAID_BY) :]) if c.startswith(PAID_BY) else labels.get(c, c)
        for c in table.column_names
    ]
