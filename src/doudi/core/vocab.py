"""Every code Doudi stores or shows, with its Chinese and English label, in one place.

Codes are the English identifiers of ``GLOSSARY.md`` (``registered_poor``, ``dibao`` …);
people read labels. Before this module the labels lived in about twenty dicts in nine
modules and disagreed (城镇低收入家庭 here, 城镇低收入家庭成员 there); now a page, a
workbook and an explanation name a code the same way. Each vocabulary is a read-only
mapping from code to its Chinese label, so ``STATUS.get(code, code)`` reads as before;
``label(code, "en")`` gives the English one (a language the user chose).

Only what a code *means* lives here; how a rule treats it lives in ``policy``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Literal

Language = Literal["zh", "en"]


class Vocabulary(Mapping[str, str]):
    """The codes of one kind, in display order, each with a Chinese and English label."""

    def __init__(self, kind: str, terms: Mapping[str, tuple[str, str]]):
        self.kind = kind
        self._terms = dict(terms)

    def __getitem__(self, code: str) -> str:
        return self._terms[code][0]

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)

    def en(self, code: str) -> str:
        return self._terms[code][1]

    def label(self, code: str, language: Language = "zh") -> str:
        """The label in ``language``; an unknown code is shown as it is, never hidden."""
        if code not in self._terms:
            return code
        zh, en = self._terms[code]
        return en if language == "en" else zh


#: Statuses of a person (身份), as the departments' rosters record them and the rules
#: read them (policy/rules/status.py), the two facts kept as periods like them, and the
#: sub-groups explanations name.
STATUS = Vocabulary(
    "status",
    {
        "registered_poor": ("建档立卡贫困人口", "registered poor"),
        "dibao": ("低保对象", "minimum-living-allowance recipient"),
        "tekun": ("特困人员", "extremely poor person under state support"),
        "severe_disability": ("重度残疾人", "severely disabled person"),
        "low_income_family": ("城镇低收入家庭成员", "urban low-income household member"),
        "demobilized_14": ("14类退役士兵", "veteran of the 14 categories"),
        "other_assistance": ("其他困难保障救助对象", "other assistance target"),
        # Facts of a person the rules read (PEOPLE.student, PEOPLE.unable_to_work), not
        # statuses anyone is paid for: the education department's and the disabled
        # persons' federation's lists are kept as periods so that a later list ends them
        # as it ends a status (rosters.periods); plan.inputs turns them into the facts.
        "student": ("在校学生", "in-school student"),
        "unable_to_work": ("丧失劳动能力", "unable to work"),
        "severe_disability_child": (
            "重度残疾的学生或儿童",
            "severely disabled student or child",
        ),
        "severe_disability_unable_to_work": (
            "丧失劳动能力的重度残疾成年人",
            "severely disabled adult unable to work",
        ),
        "low_income_family_minor": ("城镇低收入家庭的未成年人", "minor of a low-income household"),
        "low_income_family_elderly": (
            "城镇低收入家庭60周岁以上老年人",
            "person aged 60+ of a low-income household",
        ),
    },
)

#: Person marks (人员标识) of a plan's ledger (plan/ledger.py), in the order a cell lists
#: them: the statuses held in the year (a registered-poor person exit-marked by its end
#: is marked as such instead, PZH-2018-195/6.2's 专用标识, with whether the plan still
#: pays a government part for them), then the facts a caseworker follows up (among
#: them the work-injury lists': on a project's roster, a recognised work injury).
PERSON_MARK = Vocabulary(
    "person_mark",
    {
        "registered_poor": (STATUS["registered_poor"], STATUS.en("registered_poor")),
        "registered_poor_exited_kept": (
            "建档立卡贫困人口（标注脱贫，仍享受政策）",
            "registered poor, exit-marked, still on policy",
        ),
        "registered_poor_exited": (
            "建档立卡贫困人口（标注脱贫）",
            "registered poor, exit-marked",
        ),
        **{
            code: (STATUS[code], STATUS.en(code))
            for code in (
                "dibao",
                "tekun",
                "severe_disability",
                "low_income_family",
                "demobilized_14",
                "other_assistance",
            )
        },
        "aged_60_plus": ("60周岁以上", "aged 60 or over"),
        "student": (STATUS["student"], STATUS.en("student")),
        "unable_to_work": (STATUS["unable_to_work"], STATUS.en("unable_to_work")),
        "insured_elsewhere": ("异地参保", "insured elsewhere"),
        "project_worker": ("项目务工人员", "worker on a project"),
        "work_injury": ("工伤职工", "work-injured worker"),
        "work_injury_pneumoconiosis": (
            "工伤职工（尘肺病）",
            "work-injured worker, pneumoconiosis",
        ),
        "deceased": ("已死亡", "deceased"),
    },
)

#: The departments that send rosters or pay (部门).
DEPARTMENT = Vocabulary(
    "department",
    {
        "poverty_office": ("扶贫办", "poverty alleviation office"),
        "civil_affairs": ("民政", "civil affairs"),
        "disabled_federation": ("残联", "disabled persons' federation"),
        "finance": ("财政", "finance"),
        "si_bureau": ("社保局", "social insurance bureau"),
        "medical_bureau": ("医保局", "medical insurance bureau"),
        "veterans_affairs": ("退役军人事务部门", "veterans affairs"),
        "education": ("教育部门", "education"),
        "unemployment_agency": ("失业保险经办机构", "unemployment insurance agency"),
        "skills_appraisal": ("职业技能鉴定机构", "vocational skill appraisal body"),
    },
)

#: Insurance schemes (险种).
SCHEME = Vocabulary(
    "scheme",
    {
        "resident_pension": ("城乡居民基本养老保险", "resident basic pension"),
        "employee_pension": ("城镇职工基本养老保险", "employee basic pension"),
        "resident_medical": ("城乡居民基本医疗保险", "resident basic medical insurance"),
        "employee_medical": ("城镇职工基本医疗保险", "employee basic medical insurance"),
        "unemployment": ("失业保险", "unemployment insurance"),
        "work_injury": ("工伤保险", "work-injury insurance"),
    },
)

#: The yearly computations a plan version is of (decision 0012): each has its own lineage
#: of versions, handed to finance by the office that runs it.
PROGRAMME = Vocabulary(
    "programme",
    {
        "resident_pension": ("城乡居民养老保险代缴", "resident pension: government-paid part"),
        "resident_medical": ("城乡居民医保缴费资助", "resident medical: contribution subsidy"),
        "unemployment": ("农民工失业保险待遇", "unemployment: rural workers' benefits"),
        "resident_pension_subsidy": (
            "城乡居民养老保险政府缴费补贴",
            "resident pension: government contribution subsidy",
        ),
        "third_party_funding": ("第三方资助参保缴费", "third-party funding of contributions"),
    },
)

#: Who pays a part of a contribution or a benefit (付款方), in the order ledgers list
#: them; ``self`` is what the person still owes. ``finance`` pays the resident-medical
#: subsidy and ``unemployment_fund`` Jiangxi's allowances (engine/results.py ``funding``);
#: ``third_party`` the organisations and people funding a poor person's contribution
#: in Panzhihua (PZH-2018-195/1.2): not the government.
PAYER = Vocabulary(
    "payer",
    {
        "province": ("省级财政", "provincial finance"),
        "city": ("设区市财政", "city finance"),
        "county": ("县（市、区）财政", "county finance"),
        "local_government": ("地方人民政府", "local government"),
        "civil_affairs": ("民政部门（市级社保相关资金及区县财力）", "civil affairs"),
        "poverty_office": ("扶贫部门（市级扶贫资金及区县财力）", "poverty alleviation office"),
        "disabled_federation": ("残联（示例付款方）", "disabled persons' federation (example)"),
        "finance": ("财政", "finance"),
        "unemployment_fund": ("失业保险基金", "unemployment insurance fund"),
        "third_party": (
            "第三方资助方（社会组织、企业、个人）",
            "third party (organisation, company, individual)",
        ),
        "self": ("个人应缴", "owed by the person"),
    },
)
#: The public payers: neither the person nor a third party.
GOVERNMENT_PAYERS = tuple(p for p in PAYER if p not in ("self", "third_party"))

#: Hospital levels of a bill (医院等级); ``referral_out``: treated outside after referral.
HOSPITAL_LEVEL = Vocabulary(
    "hospital_level",
    {
        "1": ("一级", "level 1"),
        "2": ("二级", "level 2"),
        "3": ("三级", "level 3"),
        "referral_out": ("转外诊", "referred out"),
    },
)

#: The layers a bill is settled through, in order (RULES.md §3.2).
SETTLEMENT_LAYER = Vocabulary(
    "settlement_layer",
    {
        "basic": ("基本医疗保险", "basic medical insurance"),
        "critical_illness": ("大病保险", "critical-illness insurance"),
        "supplementary": ("补充医疗保险", "supplementary medical insurance"),
        "tilt": ("倾斜支付", "tilt payment"),
        "assistance": ("民政医疗救助", "medical assistance"),
    },
)

#: Kinds of a bill (就医类别).
#: A bill's fields (engine.settlement), by the names a hospital's file gives them
#: (bills.reading reads those headers): a problem of a bill sent as JSON names the field
#: in Chinese, the key the caller sent beside it (issue #23 §1).
BILL_FIELD = Vocabulary(
    "bill_field",
    {
        "bill_id": ("单据号", "bill number"),
        "id_number": ("公民身份号码", "ID number"),
        "admission_date": ("入院日期", "admission date"),
        "discharge_date": ("出院日期", "discharge date"),
        "hospital_level": ("医院等级", "hospital level"),
        "in_county": ("县域内就医", "treated within the county"),
        "total_cost": ("总费用", "total cost"),
        "in_policy_cost": ("政策范围内费用", "cost within the policy"),
        "non_compliant_cost": ("不合规费用", "non-compliant cost"),
        "special_drug_cost": ("特殊药品费用", "special drug cost"),
        "claim_type": ("结算类别", "claim type"),
        "disease": ("病种", "disease"),
        "statuses": ("身份", "statuses"),
    },
)

CLAIM_TYPE = Vocabulary(
    "claim_type",
    {
        "inpatient": ("住院", "inpatient"),
        "chronic_1": ("门诊慢特病一类", "outpatient chronic disease, class 1"),
        "chronic_2": ("门诊慢特病二类", "outpatient chronic disease, class 2"),
        "childbirth": ("住院分娩", "childbirth"),
    },
)

#: How a target's government part is booked (docs/bank.md).
BOOKING_KIND = Vocabulary(
    "booking_kind",
    {
        "deemed_received": ("实际代缴（视同实收）", "deemed received"),
        "post_hoc_subsidy": ("事后补助", "post-hoc subsidy"),
    },
)

#: Levels of a region in statistics (层级).
REGION_LEVEL = Vocabulary(
    "region_level",
    {
        "province": ("省", "province"),
        "city": ("市", "city"),
        "county": ("县(区)", "county"),
        "township": ("乡镇(街道)", "township"),
        "village": ("村(社区)", "village"),
    },
)

#: What an import does to a status period (periods.py). ``close`` is 关闭, the word the
#: import's confirmation asks for (须确认关闭, issue #23 §1): the dry run and the
#: confirmation name the same act alike.
PERIOD_CHANGE = Vocabulary(
    "period_change",
    {
        "open": ("开始", "opened"),
        "close": ("关闭", "closed"),
        "change": ("变更", "changed"),
        "remove": ("撤销", "removed"),
    },
)

#: How an imported department list is read (导入方式): a full snapshot closes whoever of
#: its region it no longer lists; an addendum only adds or keeps people.
IMPORT_MODE = Vocabulary(
    "import_mode",
    {
        "snapshot": ("全量快照", "full snapshot"),
        "addendum": ("增量名单", "addendum"),
    },
)

#: How a labour contract ended, as the unemployment-insurance records state it (the
#: rules' ``ue_contract_end``: only the first two qualify, JX-2017-58 and HE-2018-3).
CONTRACT_ENDING = Vocabulary(
    "contract_ending",
    {
        "expired_not_renewed": ("期满终止（未续订）", "expired, not renewed"),
        "terminated_early": ("提前解除", "terminated early"),
        "not_ended": ("未终止", "not ended"),
    },
)

#: The medical insurance a worker joins while drawing the unemployment benefit (the
#: rules' ``ue_medical_scheme``, HE-2018-3).
BENEFIT_MEDICAL_SCHEME = Vocabulary(
    "benefit_medical_scheme",
    {
        "employee": ("职工医保", "employee medical insurance"),
        "resident": ("居民医保", "resident medical insurance"),
    },
)

#: Levels of a vocational qualification (skill level) certificate, five the lowest.
CERTIFICATE_LEVEL = Vocabulary(
    "certificate_level",
    {
        "5": ("五级（初级工）", "level 5 (junior worker)"),
        "4": ("四级（中级工）", "level 4 (intermediate worker)"),
        "3": ("三级（高级工）", "level 3 (senior worker)"),
        "2": ("二级（技师）", "level 2 (technician)"),
        "1": ("一级（高级技师）", "level 1 (senior technician)"),
    },
)

#: The review of an application (Shandong's early pension, SD-2017-37/2.1).
REVIEW_RESULT = Vocabulary(
    "review_result",
    {
        "approved": ("审核通过", "approved"),
        "rejected": ("审核不通过", "rejected"),
        "pending": ("审核中", "pending"),
    },
)

#: The sector of a project insured per project (按项目参保, RULES.md §5): construction
#: first, then the sectors the documents name beside it (CQ-2018-82/2.2.2, HE-2018-3/2.3.1).
PROJECT_SECTOR = Vocabulary(
    "project_sector",
    {
        "construction": ("建筑", "construction"),
        "transport": ("交通运输", "transport"),
        "railway": ("铁路", "railway"),
        "water": ("水利", "water conservancy"),
        "energy": ("能源", "energy"),
        "other": ("其他", "other"),
    },
)

#: The conclusion of a work-injury recognition (工伤认定) as a case list states it.
INJURY_RECOGNITION = Vocabulary(
    "injury_recognition",
    {
        "recognised": ("认定为工伤", "recognised as work injury"),
        "not_recognised": ("不予认定", "not recognised"),
        "pending": ("认定中", "recognition pending"),
    },
)

#: What a row of the audit log (registry_audit_log) records: the jobs' codes (an
#: import's people, periods and lists; the bank cycle) and the web application's (an
#: unmasking, a download or export, a confirmed import, a withholding file). A period's
#: change is recorded by its PERIOD_CHANGE code.
AUDIT_ACTION = Vocabulary(
    "audit_action",
    {
        "unmask": ("查看完整身份证号", "unmasked an ID number"),
        "download": ("下载或导出", "downloaded or exported"),
        "import": ("确认导入", "confirmed an import"),
        "withhold": ("生成代扣文件", "made a withholding file"),
        "add_person": ("新增人员", "added a person"),
        "death": ("登记死亡日期", "recorded a date of death"),
        "add_record": ("登记名单记录", "stored a list's record"),
        "open": ("身份或参保开始", "period opened"),
        "close": ("身份或参保关闭", "period closed"),
        "change": ("身份或参保期间变更", "period changed"),
        "remove": ("身份或参保期间撤销", "period removed"),
        "insert": ("新增记录", "inserted a record"),
        "add_service_point": ("登记村级服务网点", "stored a village service point"),
        "add_work_injury_project": ("登记工程项目", "stored a project"),
        "add_project_worker": ("登记项目务工人员", "stored a worker on a project"),
        "add_work_injury_case": ("登记工伤案件", "stored a work-injury case"),
        "add_advance_payment": ("登记先行支付", "stored an advance payment"),
        "bank_return": ("导入银行回盘", "imported a bank return"),
        "payments": ("导入个人缴费明细", "imported people's own payments"),
    },
)

#: The tables an audit row names (``table_name``), in words.
AUDIT_TABLE = Vocabulary(
    "audit_table",
    {
        "registry_person": ("人员", "person"),
        "registry_status_period": ("身份期间", "status period"),
        "registry_enrollment": ("参保期间", "enrollment"),
        "registry_bill": ("住院结算单据", "hospital bill"),
        "registry_import_batch": ("导入批次", "import"),
        "registry_roster_entry": ("名单记录", "list record"),
        "registry_service_point": ("村级服务网点", "village service point"),
        "registry_work_injury_project": ("工程项目", "project"),
        "registry_project_worker": ("项目务工人员", "worker on a project"),
        "registry_work_injury_case": ("工伤案件", "work-injury case"),
        "registry_advance_payment": ("先行支付", "advance payment"),
        "registry_plan_version": ("缴费计划版本", "plan version"),
        "registry_withholding_batch": ("代扣批次", "withholding batch"),
        "registry_bank_return": ("银行回盘", "bank return"),
        "registry_payment": ("个人缴费记录", "own payment"),
        "registry_audit_log": ("审计日志", "audit log"),
        "web_job": ("任务及其文件", "job and its file"),
    },
)

#: Roles of the web application's users.
ROLE = Vocabulary(
    "role",
    {
        "province_admin": ("省级管理员", "provincial administrator"),
        "caseworker": ("区县经办人员", "county caseworker"),
        "finance": ("财务人员", "finance officer"),
        "auditor": ("审计人员", "auditor"),
    },
)

#: Every vocabulary, for the test that each code has both labels.
ALL = (
    STATUS,
    PERSON_MARK,
    DEPARTMENT,
    SCHEME,
    PROGRAMME,
    PAYER,
    HOSPITAL_LEVEL,
    SETTLEMENT_LAYER,
    CLAIM_TYPE,
    BOOKING_KIND,
    REGION_LEVEL,
    PERIOD_CHANGE,
    IMPORT_MODE,
    CONTRACT_ENDING,
    BENEFIT_MEDICAL_SCHEME,
    CERTIFICATE_LEVEL,
    REVIEW_RESULT,
    PROJECT_SECTOR,
    INJURY_RECOGNITION,
    AUDIT_ACTION,
    AUDIT_TABLE,
    ROLE,
)

#: Column headers of the tables caseworkers download (比对结果, 拒绝行, 清算 …): a field
#: name in a workbook is shown by its Chinese name.
FIELD = Vocabulary(
    "field",
    {
        "id_number": ("公民身份号码", "ID number"),
        "name": ("姓名", "name"),
        "county_code": ("县(区)代码", "county code"),
        "county": ("县(区)", "county"),
        "township": ("乡镇(街道)", "township"),
        "village": ("村(社区)", "village"),
        "statuses": ("身份", "statuses"),
        "age": ("年龄", "age"),
        "scheme": ("险种", "scheme"),
        "enrollment_region_code": ("参保地区划代码", "enrollment region code"),
        "enrollment_region": ("参保地", "enrollment region"),
        "death_date": ("死亡日期", "date of death"),
        "months_since_death": ("死亡后领取月数", "months paid after death"),
        "source_a": ("名单一", "list A"),
        "name_a": ("名单一姓名", "name on list A"),
        "source_b": ("名单二", "list B"),
        "name_b": ("名单二姓名", "name on list B"),
        "similarity": ("相似度", "similarity"),
        "source": ("来源名单", "source list"),
        "file_name": ("文件名", "file name"),
        "row_number": ("行号", "row"),
        "column": ("列", "column"),
        "value": ("原值", "value"),
        "reason": ("原因", "reason"),
        "departments": ("部门", "departments"),
        "level": ("层级", "level"),
        "region_code": ("区划代码", "region code"),
        "region_name": ("名称", "region"),
        # who each line counts: decision 0015
        "poor": ("贫困人员（任一险种计入）", "poor people (counted by either line)"),
        "pension_poor": (
            "养老保险计入人员（政府代缴对象，16周岁以上）",
            "counted for pension (government-paid contribution targets, 16 or older)",
        ),
        "medical_poor": (
            "医疗保险计入人员（参保资助对象）",
            "counted for medical insurance (contribution subsidy groups)",
        ),
        "pension_insured": ("养老保险参保人数", "insured for pension"),
        "pension_rate": ("养老保险参保率", "pension coverage"),
        "medical_insured": ("医疗保险参保人数", "insured for medical care"),
        "medical_rate": ("医疗保险参保率", "medical coverage"),
        "uninsured_pension": ("养老保险未参保", "without pension insurance"),
        "uninsured_medical": ("医疗保险未参保", "without medical insurance"),
        "insured_elsewhere": ("异地参保", "insured elsewhere"),
        "paid_after_death": ("死亡冒领", "paid after death"),
        "name_conflicts": ("姓名不一致", "names differ"),
        "name_variants": ("姓名写法差异", "name spelt differently"),
        "invalid_ids": ("身份号码错误", "invalid ID numbers"),
        "duplicates": ("重复记录", "duplicates"),
        "multiple_lists": ("多部门名单", "on several lists"),
        "hukou_region": ("户籍区划", "hukou region"),
        "plan_year": ("计划年度", "plan year"),
        "payer": ("付款方", "payer"),
        "kind": ("类别", "kind"),
        "people": ("人数", "people"),
        "amount": ("金额（元）", "amount (yuan)"),
        "booked_on": ("入账日期", "booked on"),
        "settlement_year": ("清算年度", "settlement year"),
        "basis": ("依据条款", "clauses"),
    },
)


def headers(columns: list[str], overrides: Mapping[str, str] | None = None) -> list[str]:
    """The Chinese header of each column: ``overrides`` first, then :data:`FIELD`, else
    the column's own name (never a blank header)."""
    extra = overrides or {}
    return [extra.get(c) or FIELD.get(c, c) for c in columns]
