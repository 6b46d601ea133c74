"""The statistics as an Excel workbook: 参保情况 (with a bar chart per county or
township), one sheet of amounts per programme with a version, 计划版本 (which versions
the amounts are of), the work-injury line's three sheets (projects per county and sector,
poor workers per place, advance payments), 定期统计 (the month ends, with a line chart
of the rates) and 说明.
The tables are :mod:`doudi.statistics.report`'s; this module only lays them out, through
store/workbook.py (typed cells, formula-safe text, money to 2 decimals, rates as
percentages)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import xlsxwriter

from doudi.core import vocab
from doudi.plan import programmes
from doudi.statistics.amounts import everywhere, trace
from doudi.statistics.labels import amount_headers, headers
from doudi.statistics.report import WORK_INJURY_NOTE, Statistics
from doudi.store import workbook as export

COVERAGE_TITLE = "参保情况"
VERSIONS_TITLE = "计划版本"
SERIES_TITLE = "定期统计"
NOTES_TITLE = "说明"
WORK_INJURY_PROJECTS = "工伤保险·项目"
WORK_INJURY_WORKERS = "工伤保险·贫困劳动力"
WORK_INJURY_ADVANCES = "工伤保险·先行支付"
RATES = frozenset({"pension_rate", "medical_rate"})


def title(stats: Statistics) -> str:
    return f"{stats.region_name}{stats.year}年社会保险扶贫统计"


def statistics_workbook(
    stats: Statistics, path: Path, totals_of: Callable[[str], bool] = everywhere
) -> None:
    """``totals_of``: of which regions' versions the 计划版本 sheet shows the versions' own
    totals (amounts.trace)."""
    wb = export.new_workbook(path, title(stats))
    try:
        fmt = export.Formats(wb)
        used: set[str] = set()

        def sheet(name: str, table: pa.Table, shown: list[str]) -> str:
            written = export.sheet_name(name, used)
            percent = RATES & set(table.column_names)
            export.write_sheet(wb, fmt, written, export.Sheet(name, table, shown, percent))
            return written

        coverage = sheet(COVERAGE_TITLE, stats.coverage, headers(stats.coverage.column_names))
        _coverage_chart(wb, coverage, stats.coverage)
        for p in stats.programmes:
            if p.by_region is None:
                continue
            shown = amount_headers(p.code, p.by_region.column_names)
            sheet(f"金额·{programmes.get(p.code).label_zh()}", p.by_region, shown)
        versions = trace(stats.programmes, stats.year, totals_of)
        sheet(VERSIONS_TITLE, versions, headers(versions.column_names))
        for name, table in (
            (WORK_INJURY_PROJECTS, stats.work_injury.projects),
            (WORK_INJURY_WORKERS, stats.work_injury.workers),
            (WORK_INJURY_ADVANCES, stats.work_injury.advances),
        ):
            sheet(name, table, headers(table.column_names))
        series = sheet(SERIES_TITLE, stats.series, headers(stats.series.column_names))
        _series_chart(wb, series, stats.series)
        notes = _notes(stats)
        sheet(NOTES_TITLE, notes, headers(notes.column_names))
    finally:
        wb.close()


def _notes(stats: Statistics) -> pa.Table:
    items = [
        ("统计", title(stats)),
        ("统计地区", f"{stats.region_name}（{stats.region}）"),
        ("统计日期", f"{stats.as_of}（参保情况）；金额为{stats.year}年各项目当前计划版本"),
        (
            "贫困人员",
            "按险种计入（决定0015），与信息比对、工作台口径相同：养老保险计本统筹地区当年政府代缴"
            "对象（16周岁以上；标注脱贫、上年认定等按各地文件认定），医疗保险计当年参保资助对象"
            "（如江西城镇低收入家庭的未成年人和60周岁以上老年人、河北其他困难保障救助对象）；"
            "“贫困人员”为任一险种计入且在世的人员；各身份列按统计日期持有的身份分别计数。",
        ),
        (
            "参保",
            "统计日期在保（任何参保地，异地参保也计为已参保）；养老保险统计养老保险计入人员，"
            "医疗保险统计医疗保险计入人员；城乡居民、城镇职工分列，两者均参加的在参保人数中计一次。",
        ),
        (
            "地区",
            "县(区)按户籍区划代码前6位；乡镇(街道)、村(社区)按名单所填名称在所属县(区)内汇总，"
            "未填写的记为（未填写）。",
        ),
        (
            "金额",
            "各项目取本年度各计划序列的当前版本（最新一版），按付款方精确汇总（元），版本编号见"
            "“计划版本”表；计划范围大于统计地区的，只计户籍在统计地区内人员的金额。",
        ),
        (
            "定期统计",
            "鲁人社发〔2017〕37号 三、（五）要求“定期统计调度养老保险、医疗保险、工伤保险等精准扶贫"
            "情况”，未规定周期：按本年度各月末（截至统计日期）统计，季度末另行标注；各月末数据按登记库"
            "现有记录的起止日期回溯。",
        ),
        ("工伤保险", WORK_INJURY_NOTE),
    ]
    return pa.table(
        {
            "item": pa.array([k for k, _ in items], pa.string()),
            "content": pa.array([t for _, t in items], pa.string()),
        }
    )


def _coverage_chart(wb: xlsxwriter.Workbook, sheet: str, table: pa.Table) -> None:
    """Enrolled and not enrolled per line, per county (or, with one county, per
    township), beside the table."""
    levels = table.column("level").to_pylist()
    counties = [i for i, lv in enumerate(levels) if lv == vocab.REGION_LEVEL["county"]]
    rows = (
        counties
        if len(counties) > 1
        else [i for i, lv in enumerate(levels) if lv == vocab.REGION_LEVEL["township"]]
    )
    if not rows:
        return
    columns = table.column_names
    name = columns.index("region_name")
    first, last = rows[0] + 1, rows[-1] + 1  # + 1: the header row
    chart = wb.add_chart({"type": "bar"})
    for measure in (
        "pension_enrolled",
        "pension_not_enrolled",
        "medical_enrolled",
        "medical_not_enrolled",
    ):
        c = columns.index(measure)
        chart.add_series(
            {
                "name": [sheet, 0, c],
                "categories": [sheet, first, name, last, name],
                "values": [sheet, first, c, last, c],
            }
        )
    level = levels[rows[0]]
    chart.set_title({"name": f"各{level}贫困人员参保情况"})
    chart.set_x_axis({"name": "人数"})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 720, "height": min(max(320, 60 + 60 * len(rows)), 2000)})
    wb.get_worksheet_by_name(sheet).insert_chart(1, len(columns) + 1, chart)


def _series_chart(wb: xlsxwriter.Workbook, sheet: str, table: pa.Table) -> None:
    """The region's rates at each month's end (its rows come first)."""
    regions = table.column("region_code").to_pylist()
    if not regions:
        return
    n = regions.count(regions[0])
    columns = table.column_names
    month = columns.index("month")
    chart = wb.add_chart({"type": "line"})
    for measure in sorted(RATES, reverse=True):
        c = columns.index(measure)
        chart.add_series(
            {
                "name": [sheet, 0, c],
                "categories": [sheet, 1, month, n, month],
                "values": [sheet, 1, c, n, c],
                "marker": {"type": "circle"},
            }
        )
    chart.set_title({"name": f"{table.column('region_name')[0]}各月末贫困人员参保率"})
    chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 640, "height": 360})
    wb.get_worksheet_by_name(sheet).insert_chart(1, len(columns) + 1, chart)
