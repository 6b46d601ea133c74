"""Registry tables. Names are fixed with ``db_table`` and documented in
docs/registry.md: the import job writes them with bulk SQL (Arrow in, no
per-row Python) and the engine reads them as plain tables, so a column renamed
here must be renamed there.

Status periods and enrollments are derived from the department snapshots
(``RosterEntry``): a person on a list from one snapshot to the next has one
period; the period closes at the as-of date of the first snapshot that no longer
lists them (dynamic management, docs/registry.md).
"""

from __future__ import annotations

from django.db import models

STATUSES = (
    "registered_poor",
    "dibao",
    "tekun",
    "severe_disability",
    "low_income_family",
    "demobilized_14",
    "other_assistance",
    # facts of a person the rules read (in school, unable to work), kept as periods so
    # that a later list ends them: no one is paid for them (core.vocab.STATUS)
    "student",
    "unable_to_work",
)
SCHEMES = (
    "resident_pension",
    "employee_pension",
    "resident_medical",
    "employee_medical",
    "unemployment",
    "work_injury",
)

#: The programmes a plan version computes (core.vocab.PROGRAMME, decision 0012).
PROGRAMMES = (
    "resident_pension",
    "resident_medical",
    "unemployment",
    "resident_pension_subsidy",
    "third_party_funding",
)


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


class Person(models.Model):
    """One natural person, keyed by the normalized 18-character ID number."""

    id_number = models.CharField("公民身份号码", max_length=18, unique=True)
    name = models.CharField("姓名", max_length=64)
    sex = models.CharField("性别", max_length=1)  # "M"/"F", from the ID number
    birth_date = models.DateField("出生日期")
    hukou_region = models.CharField("户籍区划", max_length=12, blank=True, default="")
    township = models.CharField("乡镇(街道)", max_length=64, blank=True, default="")
    village = models.CharField("村(社区)", max_length=64, blank=True, default="")
    death_date = models.DateField("死亡日期", null=True, blank=True)
    created_batch = models.ForeignKey(
        "ImportBatch", models.PROTECT, null=True, related_name="+", verbose_name="首次导入批次"
    )

    class Meta:
        db_table = "registry_person"
        verbose_name = "人员"


class ImportBatch(models.Model):
    """One imported department file: a snapshot of its list as of a date."""

    source = models.CharField("来源", max_length=32)
    file_name = models.CharField("文件名", max_length=255)
    checksum = models.CharField("SHA-256", max_length=64)
    as_of = models.DateField("名单截止日期")
    encoding = models.CharField("编码", max_length=16)
    rows_read = models.IntegerField("读取行数")
    rows_accepted = models.IntegerField("接受行数")
    rows_rejected = models.IntegerField("拒绝行数")
    people_added = models.IntegerField("新增人员", default=0)
    periods_opened = models.IntegerField("新开期间", default=0)
    periods_closed = models.IntegerField("关闭期间", default=0)
    imported_by = models.CharField("导入人", max_length=64)
    imported_at = models.DateTimeField("导入时间")
    #: snapshot (全量快照): whoever of the counties it closes in is missing from it has
    #: left the list; addendum (增量名单): its rows only open or keep periods. Chosen
    #: explicitly at import: a partial list taken for a snapshot closed a county (issue #19).
    #: A database default, so that writers not about rosters (bills) need not name it.
    mode = models.CharField("导入方式", max_length=16, db_default="snapshot")
    #: the region a snapshot closes in: its counties outside it are never closed by it;
    #: empty for the imports made before modes (they closed in every county they covered)
    region = models.CharField("导入区划", max_length=12, db_default="")

    class Meta:
        db_table = "registry_import_batch"
        constraints = [
            # a snapshot is the file as of its date: the same bytes re-sent for a later
            # date are a snapshot of their own
            models.UniqueConstraint(
                fields=["source", "checksum", "as_of"], name="one_import_per_file"
            )
        ]


class ImportScope(models.Model):
    """A county an imported list covers: someone of this county missing from a
    newer list of the same source has left it; people of other counties have not
    (two counties' lists as of the same day do not close each other's people)."""

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="scope")
    county = models.CharField("县级区划", max_length=6)

    class Meta:
        db_table = "registry_import_scope"
        constraints = [
            models.UniqueConstraint(fields=["batch", "county"], name="one_scope_row_per_county")
        ]


class RosterEntry(models.Model):
    """A row of an imported file, as the department wrote it (names included:
    the comparison shows where departments disagree)."""

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="entries")
    row_number = models.IntegerField("行号")  # the row as Excel numbers it (titles, header counted)
    #: no index of its own: ``roster_entry_person`` (person, batch) serves every lookup by
    #: person, and a second index cost each of an import's rows an insert (issue #25 §3)
    person = models.ForeignKey(Person, models.PROTECT, related_name="entries", db_index=False)
    id_number = models.CharField("公民身份号码", max_length=18)
    name = models.CharField("姓名", max_length=64)
    region_code = models.CharField("区划代码", max_length=12, blank=True, default="")
    county = models.CharField("县级区划", max_length=6)  # region_code's county, else the ID's
    township = models.CharField("乡镇(街道)", max_length=64, blank=True, default="")
    village = models.CharField("村(社区)", max_length=64, blank=True, default="")
    since = models.DateField("纳入/参保时间", null=True)
    exit_marked = models.BooleanField("标注脱贫", null=True)
    exit_date = models.DateField("脱贫时间", null=True)
    disability_grade = models.SmallIntegerField("残疾等级", null=True)
    contribution_tier = models.DecimalField("缴费档次", max_digits=18, decimal_places=2, null=True)
    receiving = models.BooleanField("领取待遇", null=True)
    death_date = models.DateField("死亡日期", null=True)
    bank_account = models.CharField("银行账号", max_length=32, null=True)
    #: the veterans' list: the category of the 14, and the two facts that make a veteran
    #: qualify (unemployed, not in the employee medical insurance; RULES.md §1)
    veteran_category = models.CharField("退役士兵类别", max_length=64, null=True)
    unemployed = models.BooleanField("是否失业", null=True)
    in_employee_medical = models.BooleanField("是否参加职工医保", null=True)
    #: the record sources (rosters.sources, kind "record"): facts kept row by row, which
    #: open and close no period; a reader takes a person's latest row (docs/registry.md)
    #: unemployment-insurance records (the rules' ue_* inputs)
    unit_name = models.CharField("单位名称", max_length=128, null=True)
    rural_contract_worker = models.BooleanField("是否农民合同制工人", null=True)
    months_at_unit = models.IntegerField("本单位连续工作月数", null=True)
    unit_paid = models.BooleanField("单位是否缴纳失业保险费", null=True)
    #: expired_not_renewed, terminated_early or not_ended (core.vocab.CONTRACT_ENDING)
    contract_ending = models.CharField("劳动合同终止情形", max_length=32, null=True)
    contract_end_date = models.DateField("劳动合同终止日期", null=True)
    insured_months = models.IntegerField("累计参保月数", null=True)
    contribution_months = models.IntegerField("累计缴费月数", null=True)
    benefit_qualified = models.BooleanField("是否符合领取失业保险金条件", null=True)
    #: employee or resident (core.vocab.BENEFIT_MEDICAL_SCHEME)
    medical_scheme = models.CharField("领取期间参加的医疗保险", max_length=16, null=True)
    resident_medical_paid = models.DecimalField(
        "居民医保个人实缴金额", max_digits=18, decimal_places=2, null=True
    )
    #: Hebei's benefit at the urban standard (HE-2018-3/2.4): the months drawn in the
    #: list's year, and the employee-medical premium the fund pays while drawing
    benefit_months = models.IntegerField("本年领取失业保险金月数", null=True)
    employee_medical_premium = models.DecimalField(
        "领取期间职工医保缴费金额", max_digits=18, decimal_places=2, null=True
    )
    #: vocational certificates: level 5 (五级/初级工) … 1 (一级/高级技师),
    #: core.vocab.CERTIFICATE_LEVEL
    certificate_level = models.SmallIntegerField("证书等级", null=True)
    certificate_date = models.DateField("发证日期", null=True)
    certificate_number = models.CharField("证书编号", max_length=64, null=True)
    #: third-party funding of a contribution (PZH-2018-195/1.2)
    funder = models.CharField("资助方", max_length=128, null=True)
    funding_amount = models.DecimalField("资助金额", max_digits=18, decimal_places=2, null=True)
    funding_year = models.SmallIntegerField("资助年度", null=True)
    #: pension applications (HE-2018-3/2.1.1, SD-2017-37/2.1)
    application_date = models.DateField("申请日期", null=True)
    #: approved, rejected or pending (core.vocab.REVIEW_RESULT)
    review_result = models.CharField("审核结果", max_length=16, null=True)
    #: bank withholding mandates (rosters.service_sources; JX-2017-58/2.4.10): the bank;
    #: the account is ``bank_account``, the date signed ``since``
    bank_name = models.CharField("代扣银行", max_length=64, null=True)

    class Meta:
        db_table = "registry_roster_entry"
        indexes = [models.Index(fields=["person", "batch"], name="roster_entry_person")]


class ServicePoint(models.Model):
    """A financial service point of a village (村级金融便民服务点, JX-2017-58/2.4.10): a
    row of an imported list of places, not of people (rosters.service_points)."""

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="service_points")
    row_number = models.IntegerField("行号")
    region_code = models.CharField("区划代码", max_length=12)
    county = models.CharField("县级区划", max_length=6)
    township = models.CharField("乡镇(街道)", max_length=64)
    village = models.CharField("村(社区)", max_length=64)
    point_name = models.CharField("服务点名称", max_length=128)
    since = models.DateField("设立日期")

    class Meta:
        db_table = "registry_service_point"
        indexes = [
            models.Index(fields=["county", "township", "village"], name="service_point_village")
        ]


# Work injury (RULES.md §5, decision 0016): the four lists an agency receives, each row
# kept as its batch imported it (work_injury.importing); ``county`` is the batch's county,
# the one its snapshot or addendum is read for (work_injury.reading).


class WorkInjuryProject(models.Model):
    """A project insured per project (按项目参保): 先参保、再开工 is read from its dates."""

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="+")
    row_number = models.IntegerField("行号")
    county = models.CharField("所在县区", max_length=6)
    project_id = models.CharField("项目编号", max_length=32)
    name = models.CharField("项目名称", max_length=128)
    sector = models.CharField("行业", max_length=16)
    contractor = models.CharField("施工单位", max_length=128)
    start_date = models.DateField("开工日期")
    insured_from = models.DateField("工伤保险起保日期", null=True)
    insured_to = models.DateField("工伤保险终止日期", null=True)

    class Meta:
        db_table = "registry_work_injury_project"
        indexes = [models.Index(fields=["county", "project_id"], name="wi_project_county")]


class ProjectWorker(models.Model):
    """A worker on a project's real-name roster (实名制), from entry to exit."""

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="+")
    row_number = models.IntegerField("行号")
    county = models.CharField("县级区划", max_length=6)
    person_id = models.CharField("身份证号", max_length=18)
    name = models.CharField("姓名", max_length=64)
    project_id = models.CharField("项目编号", max_length=32)
    from_date = models.DateField("进场日期")
    to_date = models.DateField("退场日期", null=True)

    class Meta:
        db_table = "registry_project_worker"
        indexes = [models.Index(fields=["county", "person_id"], name="wi_worker_county")]


class WorkInjuryCase(models.Model):
    """A work-injury case: the injured person, the recognition (工伤认定) and whether the
    employer was insured and paid — what advance payment (先行支付) turns on."""

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="+")
    row_number = models.IntegerField("行号")
    county = models.CharField("县级区划", max_length=6)
    case_id = models.CharField("案件编号", max_length=32)
    person_id = models.CharField("身份证号", max_length=18)
    name = models.CharField("姓名", max_length=64)
    injury_date = models.DateField("受伤日期")
    employer = models.CharField("用人单位", max_length=128)
    recognition = models.CharField("工伤认定结论", max_length=16)
    recognition_date = models.DateField("认定日期", null=True)
    employer_insured = models.BooleanField("用人单位是否参加工伤保险")
    employer_paid = models.BooleanField("用人单位是否支付工伤保险待遇")
    claimed = models.DecimalField("申请待遇金额", max_digits=18, decimal_places=2)
    pneumoconiosis = models.BooleanField("尘肺病")

    class Meta:
        db_table = "registry_work_injury_case"
        indexes = [models.Index(fields=["county", "case_id"], name="wi_case_county")]


class AdvancePayment(models.Model):
    """An advance payment (先行支付) of a case's benefits by the fund, and what was
    recovered from the employer."""

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="+")
    row_number = models.IntegerField("行号")
    county = models.CharField("县级区划", max_length=6)
    case_id = models.CharField("案件编号", max_length=32)
    amount = models.DecimalField("先行支付金额", max_digits=18, decimal_places=2)
    paid_on = models.DateField("支付日期")
    recovered = models.DecimalField("已追偿金额", max_digits=18, decimal_places=2)
    recovered_on = models.DateField("追偿日期", null=True)

    class Meta:
        db_table = "registry_advance_payment"
        indexes = [models.Index(fields=["county", "case_id"], name="wi_payment_county")]


class RejectedRow(models.Model):
    """A row an import refused, with the reason in Chinese (kept for the report)."""

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="rejected")
    row_number = models.IntegerField("行号")
    column = models.CharField("列", max_length=64)
    code = models.CharField("原因代码", max_length=32)  # machine-readable: duplicate, check_digit …
    value = models.TextField("原值", blank=True, default="")
    reason = models.TextField("原因")
    #: The row's ID number when it is valid although the row is refused (an empty name,
    #: a bad date, a duplicate): the list still names the person, so a snapshot does
    #: not close them (rosters.periods); "" when the row names nobody for certain.
    id_number = models.CharField("身份证号", max_length=18, blank=True, db_default="")

    class Meta:
        db_table = "registry_rejected_row"


class StatusPeriod(models.Model):
    """A person held ``status`` from ``valid_from`` until ``valid_to`` (exclusive;
    null = still holds it), as the department's snapshots show."""

    #: indexed by ``status_period_person`` (person, status): no index of its own
    person = models.ForeignKey(
        Person, models.PROTECT, related_name="status_periods", db_index=False
    )
    status = models.CharField("身份", max_length=32, choices=_choices(STATUSES))
    department = models.CharField("部门", max_length=32)
    valid_from = models.DateField("起")
    valid_to = models.DateField("止", null=True)
    exit_marked = models.BooleanField("标注脱贫", default=False)
    exit_date = models.DateField("脱贫时间", null=True)
    batch = models.ForeignKey(ImportBatch, models.PROTECT, related_name="+")

    class Meta:
        db_table = "registry_status_period"
        indexes = [models.Index(fields=["person", "status"], name="status_period_person")]


class Enrollment(models.Model):
    """Insured in ``scheme`` at ``region_code`` from ``valid_from`` until ``valid_to``."""

    #: indexed by ``enrollment_person`` (person, scheme): no index of its own
    person = models.ForeignKey(Person, models.PROTECT, related_name="enrollments", db_index=False)
    scheme = models.CharField("险种", max_length=32, choices=_choices(SCHEMES))
    region_code = models.CharField("参保地区划", max_length=12, blank=True, default="")
    valid_from = models.DateField("起")
    valid_to = models.DateField("止", null=True)
    contribution_tier = models.DecimalField("缴费档次", max_digits=18, decimal_places=2, null=True)
    receiving = models.BooleanField("领取待遇", default=False)
    batch = models.ForeignKey(ImportBatch, models.PROTECT, related_name="+")

    class Meta:
        db_table = "registry_enrollment"
        indexes = [models.Index(fields=["person", "scheme"], name="enrollment_person")]


class PlanVersion(models.Model):
    """A frozen run of the year's contribution plan for a region (issue #5).

    Its inputs (the engine's people and statuses tables read from the registry)
    are kept as Parquet files named by their SHA-256, so the plan can be
    recomputed and compared with a later run; the same inputs and parameters give
    the same version instead of a duplicate. Versions are numbered per region and
    year: a region's year has one lineage per programme, under one jurisdiction
    (decisions 0010 and 0012)."""

    jurisdiction = models.CharField("统筹地区", max_length=6)
    #: what the version computes (core.vocab.PROGRAMME): each programme its own lineage
    programme = models.CharField(
        "项目", max_length=32, default="resident_pension", choices=_choices(PROGRAMMES)
    )
    #: the people planned: hukou under this region (the jurisdiction, or a county of it)
    region = models.CharField("范围", max_length=12, default="")
    year = models.SmallIntegerField("年度")
    number = models.IntegerField("版本号")  # 1, 2, … per region and year
    inputs_checksum = models.CharField("输入校验和", max_length=64)
    inputs_path = models.CharField("输入快照", max_length=255)
    #: SHA-256 of the version's contribution rows (plan.contributions.checksum): a run
    #: whose inputs changed but whose rows did not keeps this version (decision 0012)
    rows_checksum = models.CharField("结果校验和", max_length=64, default="")
    people = models.IntegerField("人数")
    targets = models.IntegerField("代缴对象")
    gov_paid = models.DecimalField("政府代缴合计", max_digits=18, decimal_places=2)
    self_due = models.DecimalField("个人应缴合计", max_digits=18, decimal_places=2)
    created_by = models.CharField("操作人", max_length=64)
    created_at = models.DateTimeField("时间")

    class Meta:
        db_table = "registry_plan_version"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "programme", "number"],
                name="one_plan_number_per_programme",
            ),
            models.UniqueConstraint(
                fields=["region", "year", "programme", "inputs_checksum"],
                name="one_plan_per_programme_input",
            ),
        ]


class Contribution(models.Model):
    """What a payer pays of a person's contribution for a year, in a plan version:
    payer ``self`` is what the person still owes; the others split the
    government's part (province, city, county, civil_affairs, poverty_office …)."""

    person = models.ForeignKey(Person, models.PROTECT, related_name="contributions")
    plan_version = models.ForeignKey(
        PlanVersion, models.CASCADE, null=True, related_name="contributions"
    )
    year = models.SmallIntegerField("年度")
    #: a plan version's rows keep its programme's code (plan.programmes), which is the
    #: scheme's own for the pension and unemployment
    scheme = models.CharField(
        "险种（项目）", max_length=32, choices=_choices(tuple(dict.fromkeys(SCHEMES + PROGRAMMES)))
    )
    payer = models.CharField("付款方", max_length=32)
    amount = models.DecimalField("金额", max_digits=18, decimal_places=2)
    state = models.CharField("状态", max_length=16)  # planned, paid, deemed_received …
    basis = models.CharField("依据条款", max_length=255, blank=True, default="")

    class Meta:
        db_table = "registry_contribution"


class AuditLog(models.Model):
    """Every change to the registry: who, when, what, and the import it came from."""

    at = models.DateTimeField("时间")
    actor = models.CharField("操作人", max_length=64)
    action = models.CharField("操作", max_length=32)
    table_name = models.CharField("表", max_length=64)
    row_id = models.BigIntegerField("行", null=True)
    batch = models.ForeignKey(ImportBatch, models.PROTECT, null=True, related_name="+")
    detail = models.TextField("详情", blank=True, default="")

    class Meta:
        db_table = "registry_audit_log"
        # an auditor's "what happened to this person" (web/audit_log.py) finds the
        # person's rows by table and row id: without it, a scan of every change ever made
        indexes = [models.Index(fields=["table_name", "row_id"], name="audit_log_row")]


class WithholdingBatch(models.Model):
    """A bank-withholding file (代扣文件) exported from a plan version for one
    region: the targets' self-paid remainders still owed (collection/, docs/bank.md)."""

    batch_no = models.CharField("批次号", max_length=32, unique=True)
    plan_version = models.ForeignKey(PlanVersion, models.PROTECT, related_name="withholdings")
    region = models.CharField("区划", max_length=6)
    year = models.SmallIntegerField("年度")
    lines = models.IntegerField("笔数")
    total = models.DecimalField("代扣总额", max_digits=18, decimal_places=2)
    due_date = models.DateField("存款截止日")
    # the request's day (its header's 'created', --on): no deduction of its return may
    # be earlier; empty for batches exported before it was recorded (issue #19)
    requested_on = models.DateField("代扣请求日期", null=True)
    file_name = models.CharField("文件名", max_length=255)
    checksum = models.CharField("SHA-256", max_length=64)
    created_by = models.CharField("操作人", max_length=64)
    created_at = models.DateTimeField("时间")

    class Meta:
        db_table = "registry_withholding_batch"


class WithholdingLine(models.Model):
    """One line of a withholding file: withhold ``amount`` from ``account``."""

    batch = models.ForeignKey(WithholdingBatch, models.CASCADE, related_name="entries")
    seq = models.IntegerField("序号")
    person = models.ForeignKey(Person, models.PROTECT, related_name="+")
    account = models.CharField("银行账号", max_length=32)
    amount = models.DecimalField("应扣金额", max_digits=18, decimal_places=2)

    class Meta:
        db_table = "registry_withholding_line"
        constraints = [models.UniqueConstraint(fields=["batch", "seq"], name="one_line_per_seq")]


class BankReturn(models.Model):
    """A bank's return file (回盘文件) for a withholding batch, as imported."""

    batch = models.ForeignKey(WithholdingBatch, models.PROTECT, related_name="returns")
    file_name = models.CharField("文件名", max_length=255)
    checksum = models.CharField("SHA-256", max_length=64, unique=True)
    processed_on = models.DateField("银行处理日期")
    lines = models.IntegerField("笔数")
    total_deducted = models.DecimalField("实扣总额", max_digits=18, decimal_places=2)
    lines_booked = models.IntegerField("入账笔数")
    imported_by = models.CharField("导入人", max_length=64)
    imported_at = models.DateTimeField("导入时间")

    class Meta:
        db_table = "registry_bank_return"


class Payment(models.Model):
    """Money a person paid towards a year's contribution: withheld by the bank
    (``channel`` bank, ``reference`` = the withholding line) or paid by themselves
    at a counter or online (``self``, ``reference`` = the collection system's serial
    number). The reference is unique per channel: nothing is booked twice."""

    person = models.ForeignKey(Person, models.PROTECT, related_name="payments")
    year = models.SmallIntegerField("年度")
    scheme = models.CharField("险种", max_length=32, choices=_choices(SCHEMES))
    amount = models.DecimalField("金额", max_digits=18, decimal_places=2)
    paid_on = models.DateField("到账日期")
    channel = models.CharField("渠道", max_length=16)
    reference = models.CharField("流水号", max_length=64)
    result = models.CharField("银行结果", max_length=16, blank=True, default="")
    bank_return = models.ForeignKey(BankReturn, models.PROTECT, null=True, related_name="+")

    class Meta:
        db_table = "registry_payment"
        constraints = [
            models.UniqueConstraint(fields=["channel", "reference"], name="one_payment_per_ref")
        ]
        indexes = [models.Index(fields=["person", "year"], name="payment_person_year")]


class Booking(models.Model):
    """A government part booked for a target: ``deemed_received`` (视同实收, once
    the personal part has fully arrived) or ``post_hoc_subsidy`` (事后补助, the
    target had paid the whole contribution themselves). ``booked_on`` is the day
    the condition was met; ``settlement_year`` the year whose 31 August cut-off
    takes it (a later day goes into the next year's settlement). A part is booked
    once per person, year and payer whatever the version (decision 0010): a person
    moved into a new version is not booked again, and the statement reads each once."""

    plan_version = models.ForeignKey(PlanVersion, models.PROTECT, related_name="bookings")
    person = models.ForeignKey(Person, models.PROTECT, related_name="bookings")
    year = models.SmallIntegerField("年度")
    payer = models.CharField("付款方", max_length=32)
    amount = models.DecimalField("金额", max_digits=18, decimal_places=2)
    kind = models.CharField("类别", max_length=24)
    booked_on = models.DateField("入账日期")
    settlement_year = models.SmallIntegerField("清算年度")
    basis = models.CharField("依据条款", max_length=255, blank=True, default="")

    class Meta:
        db_table = "registry_booking"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year", "payer"], name="one_booking_per_person_year"
            )
        ]


class Bill(models.Model):
    """A hospital bill of a person in the registry (住院结算单据), as the hospital's
    settlement system exported it (bills/). The payer layers are not stored: they
    are the settlement rules applied to the person's bills of the year with the
    statuses the registry holds (a bill's layers depend on the bills before it in
    the year, and on statuses a later roster can still correct)."""

    person = models.ForeignKey(Person, models.PROTECT, related_name="bills")
    bill_id = models.CharField("单据号", max_length=64, unique=True)
    jurisdiction = models.CharField("统筹地区", max_length=6)
    admission_date = models.DateField("入院日期")
    discharge_date = models.DateField("出院日期")
    hospital_level = models.CharField("医院等级", max_length=16)  # 1, 2, 3, referral_out
    in_county = models.BooleanField("县域内", default=True)
    total_cost = models.DecimalField("总费用", max_digits=18, decimal_places=2)
    in_policy_cost = models.DecimalField("政策范围内费用", max_digits=18, decimal_places=2)
    non_compliant_cost = models.DecimalField("不合规费用", max_digits=18, decimal_places=2)
    special_drug_cost = models.DecimalField("特殊药品费用", max_digits=18, decimal_places=2)
    claim_type = models.CharField("结算类别", max_length=16)  # inpatient, chronic_1 …
    disease = models.CharField("病种", max_length=32, null=True)
    batch = models.ForeignKey(ImportBatch, models.PROTECT, related_name="+")

    class Meta:
        db_table = "registry_bill"
        indexes = [models.Index(fields=["person", "discharge_date"], name="bill_person")]
