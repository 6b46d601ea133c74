"""The statistics as ``doudi statistics`` prints them: the region's totals, a line per
county or township, each programme's amounts per payer with the versions named, and
the month ends (SD-2017-37/3.5) — what a caseworker reads before opening the workbook."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from doudi.core import vocab
from doudi.plan import programmes
from doudi.plan.ledger_terms import PAID_BY, payer_label
from doudi.policy.rules.shared import STATUSES
from doudi.statistics.labels import LABELS
from doudi.statistics.report import WORK_INJURY_NOTE, Statistics


def _coverage(row: dict[str, Any]) -> str:
    statuses = "、".join(f"{vocab.STATUS[s]} {row[s]}" for s in STATUSES if row[s])
    return (
        f"贫困人员 {row['poor']} 人（{statuses or '无'}）；"
        f"{LABELS['pension_poor']} {row['pension_poor']} 人，"
        f"已参保 {row['pension_enrolled']}、未参保 {row['pension_not_enrolled']}"
        f"（参保率 {_rate(row['pension_rate'])}）；"
        f"{LABELS['medical_poor']} {row['medical_poor']} 人，"
        f"已参保 {row['medical_enrolled']}、未参保 {row['medical_not_enrolled']}"
        f"（参保率 {_rate(row['medical_rate'])}）"
    )


def _work_injury(stats: Statistics) -> Iterator[str]:
    """The region's work-injury line, then a line per county below it."""
    projects = stats.work_injury.projects.to_pylist()
    workers = stats.work_injury.workers.to_pylist()[0]
    advances = stats.work_injury.advances.to_pylist()
    top = advances[0]
    yield (
        f"  工伤保险：{_projects(projects[0])}；"
        f"{LABELS['poor_workers']} {workers['poor_workers']} 人，"
        f"{LABELS['poor_workers_covered']} {workers['poor_workers_covered']}、"
        f"{LABELS['poor_workers_not_covered']} {workers['poor_workers_not_covered']}；"
        f"先行支付 {top['advance_cases']} 件 {top['advance_paid']} 元，"
        f"已追偿 {top['advance_recovered']} 元，待追偿 {top['advance_outstanding']} 元"
    )
    for r in projects[1:]:
        if r["sector"] is None:
            yield f"    {r['region_name']}：{_projects(r)}"


def _projects(row: dict[str, Any]) -> str:
    return (
        f"{LABELS['projects_covered']} {row['projects_covered']} 个、"
        f"{LABELS['projects_not_covered']} {row['projects_not_covered']} 个"
    )


def _rate(value: Any) -> str:
    return "—" if value is None else f"{value}%"


def lines(stats: Statistics) -> Iterator[str]:
    rows = stats.coverage.to_pylist()
    top = rows[0]
    yield f"{stats.region_name}（{stats.region}）{stats.year}年社会保险扶贫统计，截至 {stats.as_of}"
    yield "  " + _coverage(top)
    below = "县(区)" if any(r["level"] == "县(区)" for r in rows[1:]) else "乡镇(街道)"
    for r in rows[1:]:
        if r["level"] == below:
            yield f"    {r['region_name']}：" + _coverage(r)
    for p in stats.programmes:
        words = programmes.get(p.code)
        if p.by_region is None:
            yield f"  {words.label_zh()}：尚无{stats.year}年计划版本"
            continue
        versions = "、".join(f"#{c.version.id}（{c.version.label_zh()}）" for c in p.versions)
        total = p.by_region.slice(0, 1).to_pylist()[0]
        payers = "，".join(
            f"{payer_label(c[len(PAID_BY) :])} {total[c]}"
            for c in p.by_region.column_names
            if c.startswith(PAID_BY)
        )
        yield (
            f"  {words.label_zh()}（计划版本 {versions}）：{words.gov_zh} {total['gov_paid']} 元"
            f"（{payers or '无'}），个人应缴 {total['self_due']} 元"
        )
    yield from _work_injury(stats)
    yield "  定期统计（各月末，鲁人社发〔2017〕37号 三、（五））："
    for r in stats.series.to_pylist():
        if r["region_code"] == top["region_code"] and r["level"] == top["level"]:
            quarter = f"（{r['quarter']}）" if r["quarter"] else ""
            yield (
                f"    {r['as_of']}{quarter}：养老 {r['pension_enrolled']}/{r['pension_poor']}，"
                f"医疗 {r['medical_enrolled']}/{r['medical_poor']}，"
                f"工伤 项目 {r['projects_covered']}/"
                f"{r['projects_covered'] + r['projects_not_covered']}、"
                f"贫困劳动力 {r['poor_workers_covered']}/"
                f"{r['poor_workers_covered'] + r['poor_workers_not_covered']}"
            )
    yield "  " + WORK_INJURY_NOTE
