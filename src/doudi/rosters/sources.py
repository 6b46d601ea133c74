"""The department files a county receives (花名册), column by column.

Each source is one department's list: the poverty office's registered poor, civil
affairs' dibao, tekun, low-income-family and other-assistance lists and its death
list, the veterans' affairs list of the 14 categories of veterans, the disabled
persons' federation's severe-disability and unable-to-work lists, the education
department's in-school students, and the resident and employee pension and medical
enrollment extracts. A file is a snapshot "as of" a date (who is on it that day) or
an addendum (who is added).

Some files are not memberships but *records*, facts with dates of their own (kind
``record``): the unemployment-insurance records, vocational certificates, third-party
funding, and the pension applications of Hebei's 60+ and Shandong's severely disabled.
They open and close no period: every accepted row is kept, a later file does not erase
an earlier one (an application made stays made), and a reader takes the latest row of
a person (docs/registry.md, "Record sources").

Every column has one canonical name (the glossary's), the Chinese header that
``doudi synth`` writes and reports show, and the header variants seen in real files
(身份证号 / 公民身份号码 / 证件号码 …). Headers are matched after removing spaces,
full-width brackets and a trailing "(必填)" (headers.normalize_header).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from doudi.core import vocab


def labelled(vocabulary: vocab.Vocabulary, *forms: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    """A choice column's written forms: those given, then each code's own Chinese label
    as Doudi writes it (审核通过, 期满终止（未续订）, 五级（初级工）), in the form a cell is
    compared in (NFKC, no spaces): a list typed from Doudi's own workbooks is accepted."""
    seen = {form for form, _ in forms}
    more = []
    for code in vocabulary:
        label = unicodedata.normalize("NFKC", vocabulary.label(code)).replace(" ", "")
        if label not in seen:
            seen.add(label)
            more.append((label, code))
    return (*forms, *more)


#: Column kinds: how a cell is parsed and validated.
KINDS = (
    "id_number",
    "text",
    "date",
    "yes_no",
    "region_code",
    "decimal",
    "grade",
    "account",
    "count",  # a whole number of months, or a year
    "choice",  # one of a column's written forms, stored as its code
)


@dataclass(frozen=True)
class Column:
    name: str  # canonical identifier (GLOSSARY.md)
    label: str  # the Chinese header written by synth and shown in reports
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    #: the registry fields ("Model.field") the cell's text is stored in: it may be no
    #: longer than the shortest of them (rosters.limits), on SQLite as on PostgreSQL
    stored: tuple[str, ...] = ()
    #: the date column this one cannot precede (an exit is not before the entry)
    not_before: str | None = None
    #: a "choice" column's written forms, each with the code stored for it
    choices: tuple[tuple[str, str], ...] = ()
    #: a "count" column's least and greatest value (inclusive)
    between: tuple[int, int] | None = None
    #: the unit a "count" may be written with after its number: "月" (12月, 12个月), "年"
    unit: str = ""


@dataclass(frozen=True)
class Source:
    name: str  # --source value
    label: str  # Chinese name of the list
    department: str  # GLOSSARY departments
    #: "status" (opens status periods), "enrollment", "death", "payment" or "record"
    #: (rows kept as they are: no period opened or closed)
    kind: str
    columns: tuple[Column, ...]
    status: str | None = None  # the status a "status" list records
    scheme: str | None = None  # the scheme an "enrollment" list records
    #: the column no two rows may share: a person is on a list once, but may pay twice
    unique: str = "id_number"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


ID_NUMBER = Column(
    "id_number",
    "公民身份号码",
    "id_number",
    required=True,
    aliases=(
        "身份证号",
        "身份证号码",
        "证件号码",
        "公民身份证号码",
        "身份证",
        "公民身份证号",
        "证件号",
        "居民身份证号码",
    ),
)
NAME = Column(
    "name",
    "姓名",
    "text",
    required=True,
    aliases=("人员姓名", "户主姓名", "参保人姓名"),
    stored=("Person.name", "RosterEntry.name"),
)
REGION = Column(
    "region_code",
    "行政区划代码",
    "region_code",
    aliases=(
        "区划代码",
        "户籍地区划代码",
        "户籍所在地区划代码",
        "行政区划",
        "所属区划",
        "参保地区划代码",
    ),
    stored=("RosterEntry.region_code", "Person.hukou_region", "Enrollment.region_code"),
)
TOWNSHIP = Column(
    "township",
    "乡镇(街道)",
    "text",
    aliases=("乡镇", "乡(镇)", "街道", "乡镇街道"),
    stored=("Person.township", "RosterEntry.township"),
)
VILLAGE = Column(
    "village",
    "村(社区)",
    "text",
    aliases=("村", "行政村", "社区", "村社区", "村组"),
    stored=("Person.village", "RosterEntry.village"),
)
SINCE = Column(
    "since", "纳入时间", "date", aliases=("识别时间", "认定时间", "起始日期", "纳入日期")
)
COMMON = (ID_NUMBER, NAME, REGION, TOWNSHIP, VILLAGE)
#: A count of months: a century of them at most (a larger number is a typing error).
MONTHS = (0, 1200)
APPLICATION_DATE = Column(
    "application_date",
    "申请日期",
    "date",
    required=True,
    aliases=("申请时间", "提出申请日期", "申请办理日期"),
)

SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            "poverty",
            "建档立卡贫困人口名单",
            "poverty_office",
            "status",
            (
                *COMMON,
                SINCE,
                Column(
                    "exit_marked",
                    "是否标注脱贫",
                    "yes_no",
                    aliases=("标注脱贫", "脱贫标识", "是否脱贫"),
                ),
                Column(
                    "exit_date",
                    "脱贫时间",
                    "date",
                    aliases=("标注脱贫时间", "脱贫日期", "脱贫年份"),
                    not_before="since",
                ),
            ),
            status="registered_poor",
        ),
        Source(
            "dibao",
            "最低生活保障对象名单",
            "civil_affairs",
            "status",
            (*COMMON, SINCE),
            status="dibao",
        ),
        Source(
            "tekun",
            "特困供养人员名单",
            "civil_affairs",
            "status",
            (*COMMON, SINCE),
            status="tekun",
        ),
        Source(
            "disability",
            "重度残疾人名单",
            "disabled_federation",
            "status",
            (
                *COMMON,
                SINCE,
                # 重度 = grade 一级 or 二级; grades 三级/四级 are rejected with the reason
                Column("disability_grade", "残疾等级", "grade", required=True, aliases=("等级",)),
            ),
            status="severe_disability",
        ),
        Source(
            "low_income",
            "城镇低收入家庭成员名单",
            "civil_affairs",
            "status",
            (*COMMON, SINCE),
            status="low_income_family",
        ),
        Source(
            "veterans",
            "已失业又未纳入职工医保的14类退役士兵名单",
            "veterans_affairs",
            "status",
            (
                *COMMON,
                SINCE,
                Column(
                    "veteran_category",
                    "退役士兵类别",
                    "text",
                    required=True,
                    aliases=("人员类别", "类别", "14类人员类别"),
                    stored=("RosterEntry.veteran_category",),
                ),
                # only the unemployed outside the employee medical insurance qualify
                # (RULES.md §1: 已失业又未纳入职工医保的14类退役士兵); a row saying
                # otherwise is refused as not qualifying and closes the status
                Column("unemployed", "是否失业", "yes_no", required=True, aliases=("失业",)),
                Column(
                    "in_employee_medical",
                    "是否参加职工医保",
                    "yes_no",
                    required=True,
                    aliases=("参加职工医保", "职工医保参保"),
                ),
            ),
            status="demobilized_14",
        ),
        Source(
            "other_assistance",
            "其他困难保障救助对象名单",
            "civil_affairs",
            "status",
            (*COMMON, SINCE),
            status="other_assistance",
        ),
        # Facts the rules read of a person rather than statuses they pay for: kept as
        # periods like statuses, so a later list ends them the same way.
        Source(
            "students",
            "在校学生名单",
            "education",
            "status",
            (
                *COMMON,
                Column("since", "入学时间", "date", aliases=("入学日期", "纳入时间")),
            ),
            status="student",
        ),
        Source(
            "unable_to_work",
            "丧失劳动能力人员名单",
            "disabled_federation",
            "status",
            (
                *COMMON,
                Column("since", "认定时间", "date", aliases=("鉴定时间", "纳入时间")),
            ),
            status="unable_to_work",
        ),
        Source(
            "resident_pension",
            "城乡居民基本养老保险参保人员",
            "si_bureau",
            "enrollment",
            (
                *COMMON,
                Column("since", "参保时间", "date", aliases=("参保日期", "首次参保时间")),
                Column("contribution_tier", "缴费档次", "decimal", aliases=("档次", "缴费标准")),
                Column(
                    "receiving",
                    "是否领取待遇",
                    "yes_no",
                    aliases=("待遇领取状态", "领取待遇", "是否领取养老金"),
                ),
                # the account the bureau withholds the self-paid remainder from (collection/)
                Column(
                    "bank_account",
                    "银行账号",
                    "account",
                    aliases=(
                        "银行卡号",
                        "代扣账号",
                        "银行账户",
                        "社保卡银行账号",
                        "社保卡金融账号",
                        "账号",
                    ),
                    stored=("RosterEntry.bank_account", "WithholdingLine.account"),
                ),
            ),
            scheme="resident_pension",
        ),
        Source(
            "resident_medical",
            "城乡居民基本医疗保险参保人员",
            "medical_bureau",
            "enrollment",
            (*COMMON, Column("since", "参保时间", "date", aliases=("参保日期",))),
            scheme="resident_medical",
        ),
        Source(
            "employee_pension",
            "城镇职工基本养老保险参保人员",
            "si_bureau",
            "enrollment",
            (*COMMON, Column("since", "参保时间", "date", aliases=("参保日期",))),
            scheme="employee_pension",
        ),
        Source(
            "employee_medical",
            "城镇职工基本医疗保险参保人员",
            "medical_bureau",
            "enrollment",
            (*COMMON, Column("since", "参保时间", "date", aliases=("参保日期",))),
            scheme="employee_medical",
        ),
        # Not a list of people but the collection system's record of contributions
        # paid (征缴明细): targets who paid everything themselves get a post-hoc
        # subsidy (collection/). Imported with `doudi payments`, not `doudi import`.
        Source(
            "pension_payment",
            "城乡居民养老保险个人缴费明细",
            "si_bureau",
            "payment",
            (
                ID_NUMBER,
                NAME,
                Column(
                    "amount",
                    "缴费金额",
                    "decimal",
                    required=True,
                    aliases=("个人缴费", "缴费额", "实缴金额", "金额"),
                ),
                Column(
                    "paid_on",
                    "到账日期",
                    "date",
                    required=True,
                    aliases=("缴费日期", "缴费时间", "到账时间", "入账日期"),
                ),
                Column(
                    "reference",
                    "缴费流水号",
                    "text",
                    required=True,
                    aliases=("流水号", "交易流水号", "票据号", "单据号"),
                    stored=("Payment.reference",),
                ),
            ),
            scheme="resident_pension",
            unique="reference",
        ),
        Source(
            "death",
            "死亡人员名单",
            "civil_affairs",
            "death",
            (
                *COMMON,
                Column("death_date", "死亡日期", "date", required=True, aliases=("死亡时间",)),
            ),
        ),
        # -- records (kind "record"): facts with dates of their own, kept row by row --
        # The unemployment-insurance agency's records of a worker: what the rules of
        # JX-2017-58 and HE-2018-3 read as ue_* (policy/rules/unemployment.py).
        Source(
            "unemployment_records",
            "失业保险参保缴费记录",
            "unemployment_agency",
            "record",
            (
                *COMMON,
                Column(
                    "unit_name",
                    "单位名称",
                    "text",
                    required=True,
                    aliases=("用人单位", "用人单位名称", "参保单位名称"),
                    stored=("RosterEntry.unit_name",),
                ),
                Column(
                    "rural_contract_worker",
                    "是否农民合同制工人",
                    "yes_no",
                    required=True,
                    aliases=("农民合同制工人", "是否农民工", "农民工标识"),
                ),
                Column(
                    "months_at_unit",
                    "本单位连续工作月数",
                    "count",
                    aliases=("连续工作月数", "本单位工作月数", "连续工作时间(月)"),
                    between=MONTHS,
                    unit="月",
                ),
                Column(
                    "unit_paid",
                    "单位是否缴纳失业保险费",
                    "yes_no",
                    aliases=("单位已缴纳失业保险费", "单位是否缴费", "单位缴费"),
                ),
                Column(
                    "contract_ending",
                    "劳动合同终止情形",
                    "choice",
                    aliases=("合同终止情形", "终止解除情形", "劳动合同终止解除类型"),
                    choices=labelled(
                        vocab.CONTRACT_ENDING,
                        ("期满终止", "expired_not_renewed"),
                        ("期满未续订", "expired_not_renewed"),
                        ("提前解除", "terminated_early"),
                        ("解除", "terminated_early"),
                        ("未终止", "not_ended"),
                        ("在职", "not_ended"),
                    ),
                ),
                Column(
                    "contract_end_date",
                    "劳动合同终止日期",
                    "date",
                    aliases=("合同终止日期", "终止解除日期", "劳动合同解除日期"),
                ),
                Column(
                    "insured_months",
                    "累计参保月数",
                    "count",
                    aliases=("参保月数", "累计参保时间(月)"),
                    between=MONTHS,
                    unit="月",
                ),
                Column(
                    "contribution_months",
                    "累计缴费月数",
                    "count",
                    aliases=("缴费月数", "实际缴费月数", "累计缴费时间(月)"),
                    between=MONTHS,
                    unit="月",
                ),
                Column(
                    "benefit_qualified",
                    "是否符合领取失业保险金条件",
                    "yes_no",
                    aliases=("符合领取失业保险金条件", "是否符合领金条件", "领金资格"),
                ),
                Column(
                    "medical_scheme",
                    "领取期间参加的医疗保险",
                    "choice",
                    aliases=("参加的医疗保险", "医疗保险类型", "医保类型"),
                    choices=labelled(
                        vocab.BENEFIT_MEDICAL_SCHEME,
                        ("职工医保", "employee"),
                        ("职工基本医疗保险", "employee"),
                        ("居民医保", "resident"),
                        ("城乡居民医保", "resident"),
                    ),
                ),
                Column(
                    "resident_medical_paid",
                    "居民医保个人实缴金额",
                    "decimal",
                    aliases=("居民医保缴费金额", "居民医保个人缴费", "医疗保险个人缴费"),
                ),
            ),
        ),
        # Vocational qualification (skill level) certificates: one person may hold
        # several, each row is one certificate (JX-2017-58's skill-upgrade subsidy).
        Source(
            "certificates",
            "职业资格（技能等级）证书",
            "skills_appraisal",
            "record",
            (
                *COMMON,
                Column(
                    "certificate_level",
                    "证书等级",
                    "choice",
                    required=True,
                    aliases=("职业资格等级", "技能等级", "等级"),
                    # stored as the level's number (five the lowest, one the highest)
                    choices=labelled(
                        vocab.CERTIFICATE_LEVEL,
                        ("五级", "5"),
                        ("初级工", "5"),
                        ("初级", "5"),
                        ("四级", "4"),
                        ("中级工", "4"),
                        ("中级", "4"),
                        ("三级", "3"),
                        ("高级工", "3"),
                        ("高级", "3"),
                        ("二级", "2"),
                        ("技师", "2"),
                        ("一级", "1"),
                        ("高级技师", "1"),
                    ),
                ),
                Column(
                    "certificate_date",
                    "发证日期",
                    "date",
                    required=True,
                    aliases=("发证时间", "取证日期", "证书日期"),
                ),
                Column(
                    "certificate_number",
                    "证书编号",
                    "text",
                    required=True,
                    aliases=("证书号", "证书号码", "证书编码"),
                    stored=("RosterEntry.certificate_number",),
                ),
            ),
            unique="certificate_number",
        ),
        # Organisations and people paying a poor person's contribution (PZH-2018-195/1.2).
        Source(
            "third_party_funding",
            "第三方资助参保缴费名单",
            "si_bureau",
            "record",
            (
                *COMMON,
                Column(
                    "funder",
                    "资助方",
                    "text",
                    required=True,
                    aliases=("资助单位", "资助人", "资助主体"),
                    stored=("RosterEntry.funder",),
                ),
                Column(
                    "funding_amount",
                    "资助金额",
                    "decimal",
                    required=True,
                    aliases=("资助缴费金额", "资助额", "资助标准"),
                ),
                Column(
                    "funding_year",
                    "资助年度",
                    "count",
                    required=True,
                    aliases=("缴费年度", "资助年份", "年度"),
                    between=(2000, 2100),
                    unit="年",
                ),
            ),
        ),
        # Hebei: the registered poor aged 60+ never insured draw the pension from the
        # month after their application (HE-2018-3/2.1.1).
        Source(
            "late_pension_applications",
            "60周岁以上未参保建档立卡贫困人口领取养老金申请",
            "si_bureau",
            "record",
            (*COMMON, APPLICATION_DATE),
        ),
        # Shandong: the severely disabled may draw the pension 5 years early on an
        # approved application (SD-2017-37/2.1).
        Source(
            "early_pension_applications",
            "重度残疾人提前领取养老金申请",
            "si_bureau",
            "record",
            (
                *COMMON,
                APPLICATION_DATE,
                Column(
                    "review_result",
                    "审核结果",
                    "choice",
                    required=True,
                    aliases=("审核意见", "审批结果", "审核状态"),
                    choices=labelled(
                        vocab.REVIEW_RESULT,
                        ("通过", "approved"),
                        ("同意", "approved"),
                        ("批准", "approved"),
                        ("不通过", "rejected"),
                        ("不同意", "rejected"),
                        ("驳回", "rejected"),
                        ("审核中", "pending"),
                        ("待审核", "pending"),
                    ),
                ),
            ),
        ),
    )
}

#: The department lists of people (statuses, enrollments, deaths), in order: what
#: ``doudi synth`` writes; the payment records are imported by ``doudi payments``.
ROSTERS = tuple(name for name, s in SOURCES.items() if s.kind not in ("payment", "record"))
#: The record sources (kind ``record``), in order.
RECORDS = tuple(name for name, s in SOURCES.items() if s.kind == "record")
#: Every source ``doudi import`` takes: the lists, then the records.
IMPORTED = (*ROSTERS, *RECORDS)
