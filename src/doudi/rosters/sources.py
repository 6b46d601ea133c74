"""The department files a county receives (花名册), column by column.

Each source is one department's list: the poverty office's registered poor, civil
affairs' dibao, tekun, low-income-family and other-assistance lists and its death
list, the veterans' affairs list of the 14 categories of veterans, the disabled
persons' federation's severe-disability and unable-to-work lists, the education
department's in-school students, and the resident and employee pension and medical
enrollment extracts. A file is a snapshot "as of" a date (who is on it that day) or
an addendum (who is added).

Some files are not memberships but *records*, facts with dates of their own (kind
``record``): they are defined in :mod:`doudi.rosters.record_sources` and listed here
after the lists of people, so that ``SOURCES`` names every source. What columns and
sources are made of is :mod:`doudi.rosters.columns`.

Every column has one canonical name (the glossary's), the Chinese header that
``doudi synth`` writes and reports show, and the header variants seen in real files
(身份证号 / 公民身份号码 / 证件号码 …). Headers are matched after removing spaces,
full-width brackets and a trailing "(必填)" (headers.normalize_header).
"""

from __future__ import annotations

from doudi.rosters.columns import COMMON, ID_NUMBER, NAME, SINCE, Column, Source
from doudi.rosters.record_sources import RECORD_SOURCES
from doudi.rosters.service_sources import SERVICE_SOURCES

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
        *RECORD_SOURCES,
        *SERVICE_SOURCES,
    )
}

#: The department lists of people (statuses, enrollments, deaths), in order: what
#: ``doudi synth`` writes; the payment records are imported by ``doudi payments``.
ROSTERS = tuple(name for name, s in SOURCES.items() if s.kind not in ("payment", "record"))
#: The record sources (kind ``record``) every synthetic county has, in order.
RECORDS = tuple(s.name for s in RECORD_SOURCES)
#: The person lists of Jiangxi's service targets (kind ``record``, rosters.service_sources).
SERVICE_RECORDS = tuple(s.name for s in SERVICE_SOURCES)
#: Every source ``doudi import`` takes: the lists, then the records.
IMPORTED = (*ROSTERS, *RECORDS, *SERVICE_RECORDS)

__all__ = [
    "COMMON",
    "IMPORTED",
    "RECORDS",
    "ROSTERS",
    "SERVICE_RECORDS",
    "SOURCES",
    "Column",
    "Source",
]
