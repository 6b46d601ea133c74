"""The four lists of work injury an agency receives (RULES.md §5, issue #21 §1): their
columns with the Chinese headers and the variants clerks write, the rules a row's cells
must keep between them, and what makes two rows the same.

Built of the rosters' columns (:mod:`doudi.rosters.columns`), so that a cell is read and
checked as a department file's is (:mod:`doudi.rosters.checks`); the lists are not
roster sources, they fill tables of their own (decision 0016). The rules' SQL names a
column's typed value ``{name}__typed``; their text holds no cell value (a reason quotes
a cell through the query, never through the SQL text).
"""

from __future__ import annotations

from dataclasses import dataclass

from doudi.core import vocab
from doudi.rosters.columns import ID_NUMBER, NAME, Column, Source, labelled


@dataclass(frozen=True)
class RowRule:
    """A condition between a valid row's cells that refuses it: the column it is
    reported in, its rejection code, when it holds (SQL) and its reason (SQL)."""

    column: str
    code: str
    when: str
    reason: str


@dataclass(frozen=True)
class WorkInjuryList:
    """One list: its columns (``source``), the registry table its rows fill, the columns
    no two rows share, the rules between cells, and the value an optional empty cell
    stands for."""

    source: Source
    table: str
    key: tuple[str, ...]
    rules: tuple[RowRule, ...] = ()
    #: an optional cell left empty: the value it means (SQL), e.g. 已追偿金额 0
    empty_means: tuple[tuple[str, str], ...] = ()
    #: the stored name of a column named otherwise in the file's columns
    renamed: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def label(self) -> str:
        return self.source.label

    def stored_name(self, column: str) -> str:
        return dict(self.renamed).get(column, column)


def _day(column: str) -> str:
    return f"strftime({column}__typed, '%Y-%m-%d')"


def _yuan(column: str) -> str:
    return f"CAST({column}__typed AS VARCHAR)"


PROJECT_ID = Column(
    "project_id",
    "项目编号",
    "text",
    required=True,
    aliases=("工程项目编号", "项目代码", "工程编号", "项目登记编号"),
    stored=("WorkInjuryProject.project_id", "ProjectWorker.project_id"),
)
CASE_ID = Column(
    "case_id",
    "案件编号",
    "text",
    required=True,
    aliases=("工伤案件编号", "认定编号", "案件号", "工伤认定编号"),
    stored=("WorkInjuryCase.case_id", "AdvancePayment.case_id"),
)
PERSON_ID = Column(
    ID_NUMBER.name, "身份证号码", ID_NUMBER.kind, required=True, aliases=ID_NUMBER.aliases
)
WORKER_NAME = Column(
    NAME.name,
    NAME.label,
    NAME.kind,
    required=True,
    aliases=(*NAME.aliases, "职工姓名", "工人姓名", "受伤职工姓名"),
    stored=("ProjectWorker.name", "WorkInjuryCase.name"),
)

PROJECTS = WorkInjuryList(
    Source(
        "work_injury_projects",
        "按项目参加工伤保险的工程项目名单",
        "si_bureau",
        "work_injury",
        (
            PROJECT_ID,
            Column(
                "project_name",
                "项目名称",
                "text",
                required=True,
                aliases=("工程项目名称", "工程名称"),
                stored=("WorkInjuryProject.name",),
            ),
            Column(
                "sector",
                "行业",
                "choice",
                required=True,
                aliases=("所属行业", "行业类别", "项目类型"),
                choices=(
                    *labelled(vocab.PROJECT_SECTOR),
                    ("建筑业", "construction"),
                    ("房屋建筑", "construction"),
                    ("交通", "transport"),
                    ("公路", "transport"),
                    ("水利水电", "water"),
                ),
            ),
            Column(
                "county",
                "所在县区",
                "region_code",
                required=True,
                aliases=("项目所在地区划代码", "所在区县", "项目所在县区", "行政区划代码"),
            ),
            Column(
                "contractor",
                "施工单位",
                "text",
                required=True,
                aliases=("施工总承包单位", "总承包单位", "承建单位", "参保单位"),
                stored=("WorkInjuryProject.contractor",),
            ),
            Column(
                "start_date",
                "开工日期",
                "date",
                required=True,
                aliases=("开工时间", "实际开工日期"),
            ),
            Column(
                "insured_from",
                "工伤保险起保日期",
                "date",
                aliases=("参保日期", "起保日期", "工伤保险参保日期", "参保起始日期"),
            ),
            Column(
                "insured_to",
                "工伤保险终止日期",
                "date",
                aliases=("终保日期", "参保终止日期", "工伤保险截止日期", "参保截止日期"),
            ),
        ),
        unique="project_id",
    ),
    table="registry_work_injury_project",
    key=("project_id",),
    rules=(
        RowRule(
            "insured_to",
            "missing",
            "insured_to__typed IS NOT NULL AND insured_from__typed IS NULL",
            "'填写了工伤保险终止日期，但工伤保险起保日期为空'",
        ),
        RowRule(
            "insured_to",
            "before_entry",
            "insured_to__typed < insured_from__typed",
            f"'工伤保险终止日期 ' || {_day('insured_to')} || ' 早于起保日期 ' "
            f"|| {_day('insured_from')}",
        ),
    ),
    renamed=(("project_name", "name"),),
)

PROJECT_WORKERS = WorkInjuryList(
    Source(
        "work_injury_project_workers",
        "工程项目实名制用工名单",
        "si_bureau",
        "work_injury",
        (
            PERSON_ID,
            WORKER_NAME,
            PROJECT_ID,
            Column(
                "from_date",
                "进场日期",
                "date",
                required=True,
                aliases=("进场时间", "入场日期", "进入项目日期"),
            ),
            Column("to_date", "退场日期", "date", aliases=("退场时间", "离场日期", "出场日期")),
        ),
    ),
    table="registry_project_worker",
    key=("id_number", "project_id", "from_date"),
    rules=(
        RowRule(
            "to_date",
            "before_entry",
            "to_date__typed < from_date__typed",
            f"'退场日期 ' || {_day('to_date')} || ' 早于进场日期 ' || {_day('from_date')}",
        ),
    ),
    renamed=(("id_number", "person_id"),),
)

CASES = WorkInjuryList(
    Source(
        "work_injury_cases",
        "工伤案件名单",
        "si_bureau",
        "work_injury",
        (
            CASE_ID,
            PERSON_ID,
            WORKER_NAME,
            Column(
                "injury_date",
                "受伤日期",
                "date",
                required=True,
                aliases=("受伤时间", "事故日期", "事故发生日期", "工伤发生日期"),
            ),
            Column(
                "employer",
                "用人单位",
                "text",
                required=True,
                aliases=("用人单位名称", "单位名称", "所在单位"),
                stored=("WorkInjuryCase.employer",),
            ),
            Column(
                "recognition",
                "工伤认定结论",
                "choice",
                required=True,
                aliases=("认定结论", "工伤认定结果", "认定结果"),
                choices=(
                    *labelled(vocab.INJURY_RECOGNITION),
                    ("认定工伤", "recognised"),
                    ("予以认定", "recognised"),
                    ("不予认定工伤", "not_recognised"),
                    ("不认定", "not_recognised"),
                    ("待认定", "pending"),
                ),
            ),
            Column(
                "recognition_date",
                "认定日期",
                "date",
                aliases=("工伤认定日期", "认定时间", "认定决定日期"),
            ),
            Column(
                "employer_insured",
                "用人单位是否参加工伤保险",
                "yes_no",
                required=True,
                aliases=("单位是否参保", "是否参加工伤保险", "用人单位是否参保"),
            ),
            Column(
                "employer_paid",
                "用人单位是否支付工伤保险待遇",
                "yes_no",
                required=True,
                aliases=("单位是否支付待遇", "用人单位是否支付待遇", "是否支付工伤保险待遇"),
            ),
            Column(
                "claimed",
                "申请待遇金额",
                "decimal",
                aliases=("申请金额", "待遇申请金额", "申请待遇金额(元)", "申请待遇金额（元）"),
            ),
            Column("pneumoconiosis", "尘肺病", "yes_no", aliases=("是否尘肺病", "尘肺病患者")),
        ),
        unique="case_id",
    ),
    table="registry_work_injury_case",
    key=("case_id",),
    rules=(
        RowRule(
            "recognition_date",
            "missing",
            "recognition_date__typed IS NULL AND recognition__typed <> 'pending'",
            "'工伤认定结论为「' || recognition || '」，认定日期不能为空'",
        ),
        RowRule(
            "recognition_date",
            "before_entry",
            "recognition_date__typed < injury_date__typed",
            f"'认定日期 ' || {_day('recognition_date')} || ' 早于受伤日期 ' "
            f"|| {_day('injury_date')}",
        ),
    ),
    empty_means=(("claimed", "CAST(0 AS DECIMAL(18,2))"), ("pneumoconiosis", "false")),
    renamed=(("id_number", "person_id"),),
)

ADVANCE_PAYMENTS = WorkInjuryList(
    Source(
        "work_injury_advance_payments",
        "工伤保险待遇先行支付名单",
        "si_bureau",
        "work_injury",
        (
            CASE_ID,
            Column(
                "amount",
                "先行支付金额",
                "decimal",
                required=True,
                aliases=("支付金额", "先行支付金额(元)", "先行支付金额（元）"),
            ),
            Column(
                "paid_on", "支付日期", "date", required=True, aliases=("先行支付日期", "支付时间")
            ),
            Column(
                "recovered",
                "已追偿金额",
                "decimal",
                aliases=("追偿金额", "已追回金额", "已追偿金额(元)", "已追偿金额（元）"),
            ),
            Column("recovered_on", "追偿日期", "date", aliases=("追回日期", "追偿时间")),
        ),
        unique="case_id",
    ),
    table="registry_advance_payment",
    key=("case_id", "paid_on"),
    rules=(
        RowRule(
            "recovered",
            "out_of_range",
            "recovered__typed > amount__typed",
            f"'已追偿金额 ' || {_yuan('recovered')} || ' 元超过先行支付金额 ' "
            f"|| {_yuan('amount')} || ' 元'",
        ),
        RowRule(
            "recovered_on",
            "missing",
            "recovered__typed > 0 AND recovered_on__typed IS NULL",
            "'已追偿金额大于 0，追偿日期不能为空'",
        ),
        RowRule(
            "recovered_on",
            "before_entry",
            "recovered_on__typed < paid_on__typed",
            f"'追偿日期 ' || {_day('recovered_on')} || ' 早于支付日期 ' || {_day('paid_on')}",
        ),
    ),
    empty_means=(("recovered", "CAST(0 AS DECIMAL(18,2))"),),
)

#: The lists by their ``--source`` value, in the order a set of them is imported (a
#: worker names a project, a payment a case).
LISTS: dict[str, WorkInjuryList] = {
    "projects": PROJECTS,
    "project-workers": PROJECT_WORKERS,
    "cases": CASES,
    "advance-payments": ADVANCE_PAYMENTS,
}
