"""The record sources (kind ``record``): facts with dates of their own, kept row by row.

The unemployment-insurance records, vocational certificates, third-party funding, and
the pension applications of Hebei's 60+ and Shandong's severely disabled. They open and
close no period: every accepted row is kept, a later file does not erase an earlier one
(an application made stays made), and a reader takes the latest row of a person
(docs/registry.md, "Record sources"). :data:`doudi.rosters.sources.SOURCES` lists them
after the lists of people.
"""

from __future__ import annotations

from doudi.core import vocab
from doudi.rosters.columns import (
    APPLICATION_DATE,
    BENEFIT_MONTHS,
    COMMON,
    MONTHS,
    Column,
    Source,
    labelled,
)

#: The record sources, in the order ``doudi synth`` writes and the Makefile imports them.
RECORD_SOURCES: tuple[Source, ...] = (
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
            # Hebei's benefit at the urban standard: the months the agency paid in the
            # list's year (the plan computes no entitlement period, docs/readings.md 42)
            Column(
                "benefit_months",
                "本年领取失业保险金月数",
                "count",
                aliases=("领取失业保险金月数", "本年领金月数", "领金月数", "失业保险金领取月数"),
                between=BENEFIT_MONTHS,
                unit="月",
            ),
            # ... and the employee-medical premium the unemployment fund pays meanwhile
            Column(
                "employee_medical_premium",
                "领取期间职工医保缴费金额",
                "decimal",
                aliases=("职工医保缴费金额", "领取期间职工医保费", "职工医疗保险费"),
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
