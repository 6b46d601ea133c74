"""``doudi work-injury findings`` over the registry (SQLite and PostgreSQL), and the
reading of who among the lists' people is poor on the day (work_injury/poor.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import fastexcel
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from tests.fuzz.outcome import invoke
from tests.work_injury.test_lists import AS_OF, COUNTY, INJURED, import_all

from conftest import make_id
from doudi.rosters.importing import import_roster
from doudi.work_injury import checks_cli
from doudi.work_injury.poor import poor_on


@pytest.fixture
def doudi(registry: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(checks_cli, "open_registry", lambda: registry)
    return lambda *args: invoke(args, registry)


def test_findings_command_counts_each_list_and_writes_the_workbook(
    registry: Any, doudi: Any, tmp_path: Path
) -> None:
    """瑞金市 on 2018-03-31 (test_lists' files): P002 started 2018-03-01 without cover; the
    injured 李四 is registered poor, GS001 recognised, employer neither insured nor paying:
    claimed 30000.50 − paid 20000.00 = 10000.50 due; paid 20000.00 − recovered 5000.00 =
    15000.00 to recover. Pneumoconiosis GS002 is still pending: not listed."""
    poverty = tmp_path / "poverty.csv"
    table = pa.table({"公民身份号码": [INJURED], "姓名": ["李四"], "纳入时间": ["2017-06-01"]})
    pacsv.write_csv(table, poverty)
    import_roster(registry, poverty, "poverty", AS_OF)
    import_all(registry, tmp_path)
    out = tmp_path / "工伤核查.xlsx"

    result = doudi(
        "work-injury", "findings", "--region", COUNTY, "--as-of", "2018-03-31", "--out", str(out)
    )

    assert (result.exit_code, result.error) == (0, "")
    assert result.changed == []
    assert result.output.splitlines() == [
        "瑞金市工伤保险扶贫核查（截至 2018-03-31，适用江西省文件）：",
        "  先开工后参保项目：1 条",
        "  在建无工伤保险项目：1 条",
        "  无工伤保险项目的贫困劳动力：0 条",
        "  未在项目名册的贫困劳动力：0 条",
        "  符合先行支付情形：1 条",
        "  应先行支付未支付：1 条",
        "  先行支付待追偿：1 条",
        "  优先支付队列：不适用（江西省文件未规定）",
        "  工伤尘肺病患者：0 条",
        "注意：先行支付、优先支付所称“贫困劳动力”包括的身份（文件未列举）"
        "（work_injury.poor_worker_statuses）为示例参数，需按本地政策配置",
        f"已写出 {out}",
    ]
    due = fastexcel.read_excel(out).load_sheet_by_name("应先行支付未支付").to_arrow()
    assert due.column("应付未付（元）").to_pylist() == [10000.5]
    recovery = fastexcel.read_excel(out).load_sheet_by_name("先行支付待追偿").to_arrow()
    assert recovery.column("待追偿（元）").to_pylist() == [15000.0]


def test_findings_command_refuses_an_unknown_region_in_chinese(doudi: Any) -> None:
    result = doudi("work-injury", "findings", "--region", "990000", "--as-of", "2018-03-31")
    assert result.exit_code == 2 and result.error == ""
    assert "未知的统筹地区代码" in result.output


DAY = date(2018, 12, 31)


def _person(pid: int, number: str, name: str, death: date | None = None) -> dict[str, Any]:
    return {
        "id": pid,
        "id_number": number,
        "name": name,
        "hukou_region": COUNTY + "001",
        "township": "象湖镇",
        "village": "下坝村",
        "death_date": death,
    }


def _period(pid: int, status: str, **over: Any) -> dict[str, Any]:
    row = {
        "person_id": pid,
        "status": status,
        "valid_from": date(2017, 1, 1),
        "valid_to": None,
        "exit_marked": False,
        "exit_date": None,
    }
    return row | over


def test_poor_on_the_day_among_the_people_the_lists_name() -> None:
    """Registered poor, dibao and tekun count; exit-marked by the day, dead, a status not
    listed, a period ended on the day, or not named by the lists: not poor."""
    ids = {n: make_id(COUNTY, "19800101", f"{n:03d}") for n in range(1, 8)}
    people = pa.Table.from_pylist(
        [
            _person(1, ids[1], "甲"),
            _person(2, ids[2], "乙"),
            _person(3, ids[3], "丙", death=date(2018, 12, 1)),
            _person(4, ids[4], "丁"),
            _person(5, ids[5], "戊"),
            _person(6, ids[6], "己"),
            _person(7, ids[7], "庚"),
        ]
    )
    periods = pa.Table.from_pylist(
        [
            _period(1, "registered_poor"),
            _period(1, "dibao"),
            _period(2, "registered_poor", exit_marked=True, exit_date=date(2018, 6, 1)),
            _period(2, "tekun"),
            _period(3, "dibao"),
            _period(4, "low_income_family"),
            _period(5, "dibao", valid_to=DAY),  # valid_to is exclusive: ended
            _period(6, "dibao"),  # 己 is on no list
            _period(7, "registered_poor", exit_marked=True, exit_date=date(2019, 1, 1)),
        ]
    )
    named = pa.array([ids[n] for n in (1, 2, 3, 4, 5, 7)], pa.string())
    poor = poor_on(
        {"registry_person": people, "registry_status_period": periods},
        named,
        ("registered_poor", "dibao", "tekun", "severe_disability"),
        DAY,
    )
    assert poor.select(["person_id", "name", "statuses", "county"]).to_pylist() == [
        {
            "person_id": ids[1],
            "name": "甲",
            "statuses": ["registered_poor", "dibao"],
            "county": "瑞金市",
        },
        {"person_id": ids[2], "name": "乙", "statuses": ["tekun"], "county": "瑞金市"},
        {"person_id": ids[7], "name": "庚", "statuses": ["registered_poor"], "county": "瑞金市"},
    ]
