"""The scenario interface: ``doudi evaluate FILE`` and :func:`doudi.evaluate`.

A scenario names one jurisdiction and year, optional what-if parameter
overrides, and people with their statuses and insurance facts (contract:
docs/scenario.md). Input is validated whole before anything runs; every
problem is reported in Chinese with the person and the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from doudi.core import idnumber, money, vocab
from doudi.core.money import MoneyError
from doudi.engine import backend, scenario_checks, settlement
from doudi.engine.results import format_results
from doudi.policy import jurisdictions
from doudi.policy.parameters import ParameterError
from doudi.policy.params import Params
from doudi.policy.rules.shared import BENEFIT_MONTHS_IN_A_YEAR, STATUSES

#: Chinese status names a policy officer may write instead of the identifiers.
STATUS_ALIASES = {
    "建档立卡贫困人口": "registered_poor",
    "低保对象": "dibao",
    "低保": "dibao",
    "特困人员": "tekun",
    "重度残疾人": "severe_disability",
    "城镇低收入家庭": "low_income_family",
    "14类退役士兵": "demobilized_14",
    "其他困难保障救助对象": "other_assistance",
}
SINCE_EVER = date(1900, 1, 1)
#: The review results of an early-pension application, by their Chinese labels too.
REVIEW_RESULTS = {label: code for code, label in vocab.REVIEW_RESULT.items()}
CONTRACT_ENDS = {"expired_not_renewed", "terminated_early", None}
MEDICAL_SCHEMES = {"employee", "resident", None}


class ScenarioError(ValueError):
    """Invalid scenario input; ``problems`` lists every problem in Chinese."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class _Reader:
    """Reads one person's fields, collecting problems instead of stopping."""

    who: str
    problems: list[str] = field(default_factory=list)

    def fail(self, fieldname: str, message: str) -> None:
        self.problems.append(f"{self.who}，字段 {fieldname}：{message}")

    def boolean(self, data: Mapping[str, Any], key: str, where: str) -> bool | None:
        value = data.get(key)
        if value is None or isinstance(value, bool):
            return value
        self.fail(where + key, f"应为 true 或 false，实际为 {value!r}")
        return None

    def day(self, data: Mapping[str, Any], key: str, where: str) -> date | None:
        value = data.get(key)
        if value is None or (isinstance(value, date)):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(where + key, f"日期格式应为 YYYY-MM-DD，实际为 {value!r}")
            return None

    def amount(self, data: Mapping[str, Any], key: str, where: str) -> Decimal | None:
        value = data.get(key)
        if value is None:
            return None
        try:
            # what a person typed: exact to the fen and within DECIMAL(18, 2), never
            # rounded silently (core.money.given)
            amount = money.given(str(value) if isinstance(value, float) else value)
        except MoneyError as exc:
            self.fail(where + key, str(exc))
            return None
        if amount < 0:
            self.fail(where + key, f"金额不能为负数：{value!r}")
        return amount

    def integer(self, data: Mapping[str, Any], key: str, where: str) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(where + key, f"应为非负整数，实际为 {value!r}")
            return None
        return value

    def mapping(self, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
        value = data.get(key) or {}
        if not isinstance(value, Mapping):
            self.fail(key, "应为映射（键: 值）")
            return {}
        return value


def _person(
    index: int, raw: Any, problems: list[str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if not isinstance(raw, Mapping):
        problems.append(f"第{index + 1}个人：应为映射（键: 值）")
        return {}, []
    name = str(raw.get("name") or "")
    r = _Reader(scenario_checks.person_label(index, name))
    row: dict[str, Any] = {"row_no": index, "name": name}
    try:
        number = idnumber.parse(str(raw.get("id_number") or ""))
        row["id_number"] = number.value
        row["birth_date"] = number.birth_date
    except idnumber.IdNumberError as exc:
        r.fail("id_number", str(exc))
        number = None
    hukou = raw.get("hukou_region") or (number.region_code if number else None)
    if hukou is not None and not (isinstance(hukou, str | int) and len(str(hukou)) == 6):
        r.fail("hukou_region", f"户籍地应为6位行政区划代码，实际为 {hukou!r}")
    row["hukou_region"] = str(hukou) if hukou is not None else None
    # the death roster's date (docs/readings.md 24)
    row["death_date"] = r.day(raw, "death_date", "")
    birth = row.get("birth_date")
    if row["death_date"] and birth and row["death_date"] < birth:
        r.fail("death_date", f"死亡日期 {row['death_date']} 早于出生日期 {birth}")
    for key in ("student", "employee_pension", "employee_medical", "unable_to_work"):
        row[key] = bool(r.boolean(raw, key, ""))
    row["third_party_funding"] = r.amount(raw, "third_party_funding", "")

    rp = r.mapping(raw, "resident_pension")
    row["rp_enrolled"] = bool(r.boolean(rp, "enrolled", "resident_pension."))
    row["rp_ever_enrolled"] = bool(r.boolean(rp, "ever_enrolled", "resident_pension."))
    row["rp_tier"] = r.amount(rp, "tier", "resident_pension.")
    row["rp_application_date"] = r.day(rp, "application_date", "resident_pension.")
    _early_application(r, rp, row)
    row["third_party_funding"] = row["third_party_funding"] or r.amount(
        rp, "third_party_funding", "resident_pension."
    )
    _insured_region(r, raw, row)

    ue = r.mapping(raw, "unemployment")
    w = "unemployment."
    row["ue_rural_contract_worker"] = bool(r.boolean(ue, "rural_contract_worker", w))
    row["ue_months_at_unit"] = r.integer(ue, "months_at_unit", w)
    row["ue_unit_paid"] = bool(r.boolean(ue, "unit_paid", w))
    row["ue_contract_end"] = ue.get("contract_end")
    if row["ue_contract_end"] not in CONTRACT_ENDS:
        r.fail(w + "contract_end", f"应为 {sorted(c for c in CONTRACT_ENDS if c)} 之一")
    row["ue_contribution_months"] = r.integer(ue, "contribution_months", w)
    row["ue_insured_months"] = r.integer(ue, "insured_months", w)
    row["ue_certificate_level"] = r.integer(ue, "certificate_level", w)
    row["ue_certificate_date"] = r.day(ue, "certificate_date", w)
    row["ue_same_level_certificate_date"] = r.day(ue, "same_level_certificate_date", w)
    row["ue_benefit_qualified"] = bool(r.boolean(ue, "benefit_qualified", w))
    row["ue_medical_scheme"] = ue.get("medical_scheme")
    if row["ue_medical_scheme"] not in MEDICAL_SCHEMES:
        r.fail(w + "medical_scheme", "应为 employee（职工医保）或 resident（居民医保）")
    row["ue_resident_medical_paid"] = r.amount(ue, "resident_medical_paid", w)
    row["ue_benefit_months"] = r.integer(ue, "benefit_months", w)
    if (row["ue_benefit_months"] or 0) > BENEFIT_MONTHS_IN_A_YEAR:
        most = BENEFIT_MONTHS_IN_A_YEAR
        months = row["ue_benefit_months"]
        r.fail(
            w + "benefit_months",
            f"一年内领取失业保险金的月数应在 0 至 {most} 之间，实际为 {months}",
        )
    row["ue_employee_medical_premium"] = r.amount(ue, "employee_medical_premium", w)

    inc = r.mapping(raw, "household_income")
    row["in_total"] = r.amount(inc, "total", "household_income.")
    row["in_basic_pension"] = r.amount(inc, "basic_pension", "household_income.")

    statuses: list[dict[str, Any]] = []
    raw_statuses = raw.get("statuses") or []
    if not isinstance(raw_statuses, list):
        r.fail("statuses", "应为列表")
        raw_statuses = []
    for k, s in enumerate(raw_statuses):
        where = f"statuses[{k}]."
        if not isinstance(s, Mapping):
            r.fail(f"statuses[{k}]", "应为 {status, from, to, exit_date}")
            continue
        status = STATUS_ALIASES.get(str(s.get("status")), s.get("status"))
        if status not in STATUSES:
            r.fail(where + "status", f"未知的身份 {s.get('status')!r}；可选：{'、'.join(STATUSES)}")
        # A missing start means "held since before the records": open at the start.
        start = r.day(s, "from", where) or SINCE_EVER
        end = r.day(s, "to", where)
        if end and end <= start:
            r.fail(where + "to", f"结束日期 {end} 应晚于起始日期 {start}（to 不含当日）")
        exit_date = r.day(s, "exit_date", where)
        marked = r.boolean(s, "exit_marked", where)
        if marked is False:
            exit_date = None  # explicitly not exit-marked
        elif marked and exit_date is None:
            exit_date = start  # marked, date unknown: exit-marked throughout the period
        if exit_date and status != "registered_poor":
            r.fail(where + "exit_date", "只有建档立卡贫困人口有标注脱贫日期")
        statuses.append(
            {
                "row_no": index,
                "status": status,
                "valid_from": start,
                "valid_to": end,
                "exit_date": exit_date,
            }
        )
    problems.extend(r.problems)
    return row, statuses


def _early_application(r: _Reader, rp: Mapping[str, Any], row: dict[str, Any]) -> None:
    """Shandong's early-pension application (SD-2017-37/2.1: 提出申请，经审核后): its date
    and review result, both stated or neither, as the registry's application list holds
    them (``rp_early_application_date``, ``rp_early_review_result``)."""
    where = "resident_pension.early_application."
    row["rp_early_application_date"] = row["rp_early_review_result"] = None
    application = rp.get("early_application")
    if application is None:
        return
    if not isinstance(application, Mapping):
        r.fail(where[:-1], "应为映射 {date: 申请日期, review_result: 审核结果}")
        return
    row["rp_early_application_date"] = r.day(application, "date", where)
    if application.get("date") is None:
        r.fail(where + "date", "填写了提前领取养老金申请，应同时填写申请日期")
    given = application.get("review_result")
    result = REVIEW_RESULTS.get(str(given), given)
    if result not in vocab.REVIEW_RESULT:
        choices = "、".join(f"{c}（{label}）" for c, label in vocab.REVIEW_RESULT.items())
        shown = "未填写" if given is None else f"实际为 {given!r}"
        r.fail(where + "review_result", f"审核结果应为 {choices} 之一，{shown}")
        result = None
    row["rp_early_review_result"] = result


def _insured_region(r: _Reader, raw: Mapping[str, Any], row: dict[str, Any]) -> None:
    """Where the person is insured in the resident pension (参保地, the county of the
    enrollment: ``insured_region``), by default their hukou region, where residents
    enroll (GF-2014-8/4: 在户籍地参加). Another county is stated only for one enrolled:
    without an enrollment there is no 参保地 (docs/readings.md 38)."""
    given = raw.get("insured_region")
    if given is None:
        row["insured_region"] = row["hukou_region"]
        return
    row["insured_region"] = None
    if isinstance(given, bool) or not isinstance(given, str | int) or not _county(str(given)):
        r.fail("insured_region", f"参保地应为6位行政区划代码，实际为 {given!r}")
        return
    row["insured_region"] = str(given)
    hukou = row["hukou_region"]
    if not row["rp_enrolled"] and hukou is not None and str(given) != hukou[:6]:
        r.fail(
            "insured_region",
            f"参保地 {given} 与户籍地 {hukou} 不同，但未参加城乡居民养老保险"
            "（resident_pension.enrolled 不为 true）：未参保的人没有参保地",
        )


def _county(code: str) -> bool:
    """A 6-digit region code (GB/T 2260's county level)."""
    return len(code) == 6 and code.isdigit()


def parse(scenario: Any) -> tuple[Params, list[dict[str, Any]], list[dict[str, Any]]]:
    """Validate a scenario mapping; raise :class:`ScenarioError` listing every problem."""
    if not isinstance(scenario, Mapping):
        raise ScenarioError(["场景文件应为映射，包含 jurisdiction、year、people"])
    problems: list[str] = []
    jurisdiction: jurisdictions.Jurisdiction | None = None
    try:
        jurisdiction = jurisdictions.resolve(str(scenario.get("jurisdiction") or ""))
    except jurisdictions.UnknownJurisdiction as exc:
        problems.append(f"字段 jurisdiction：{exc}")
    year = scenario.get("year")
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year)
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(f"字段 year：应为 2000–2100 之间的年份，实际为 {year!r}")
    people = scenario.get("people")
    if not isinstance(people, list) or not people:
        problems.append("字段 people：应为非空列表")
        people = []
    overrides = scenario.get("parameters") or {}
    if not isinstance(overrides, Mapping):
        problems.append("字段 parameters：应为“参数路径: 值”的映射")
        overrides = {}
    if problems or jurisdiction is None or not isinstance(year, int):
        raise ScenarioError(problems)
    try:
        params = Params(jurisdiction, year, overrides)
    except ParameterError as exc:
        raise ScenarioError([f"字段 parameters：{exc}"]) from exc
    rows: list[dict[str, Any]] = []
    statuses: list[dict[str, Any]] = []
    for i, raw in enumerate(people):
        row, st = _person(i, raw, problems)
        rows.append(row)
        statuses.extend(st)
    problems.extend(scenario_checks.problems(rows, params))
    if problems:
        raise ScenarioError(problems)
    return params, rows, statuses


def evaluate(scenario: Any) -> dict[str, Any]:
    """Evaluate a scenario mapping and return ``{"results": [...]}``."""
    checked, rows, statuses = parse(scenario)
    try:
        plan = backend.plan(checked.jurisdiction, checked.year, scenario.get("parameters") or {})
    except ParameterError as exc:  # a year or override without parameters in force
        raise ScenarioError([f"字段 year：{exc}"]) from None
    params = plan.params
    out = plan.rows(people=rows, statuses=statuses)
    unemployment_rows = {
        i for i, raw in enumerate(scenario["people"]) if raw.get("unemployment") is not None
    }
    result = {
        "jurisdiction": params.jurisdiction.code,
        "year": params.year,
        "results": format_results(
            sorted(out, key=lambda r: r["row_no"]), params, unemployment_rows
        ),
    }
    if scenario.get("bills") is not None:
        result["bills"] = _settle_bills(scenario, checked, rows, statuses)
    return result


def _settle_bills(
    scenario: Mapping[str, Any],
    checked: Params,
    rows: list[dict[str, Any]],
    statuses: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Settle the scenario's bills with the statuses of its people (RULES.md §3.2)."""
    bills = scenario["bills"]
    if not isinstance(bills, list):
        raise ScenarioError(["字段 bills：应为单据列表"])
    try:
        parsed = settlement.parse_bills(
            bills, checked.jurisdiction.code, scenario.get("parameters") or {}
        )
    except settlement.BillError as exc:
        raise ScenarioError(exc.problems) from exc
    known = {row["id_number"] for row in rows}
    unknown = [
        f"单据 {b['bill_id']}，字段 公民身份号码（id_number）："
        f"场景的 people 中没有此人（{b['id_number']}）"
        for b in parsed
        if b["id_number"] not in known
    ]
    if unknown:
        raise ScenarioError(unknown)
    number_of = {row["row_no"]: row["id_number"] for row in rows}
    periods = [
        {**{k: v for k, v in s.items() if k != "row_no"}, "id_number": number_of[s["row_no"]]}
        for s in statuses
    ]
    return settlement.settle(
        checked.jurisdiction.code, parsed, scenario.get("parameters") or {}, periods
    )
