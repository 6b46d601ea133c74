"""The list for civil affairs of people whose basic pension is not counted as household
income (issue #20 §2; docs/readings.md 37), on SQLite and PostgreSQL.

Jiangxi 2018, 东湖区 (360102). JX-2017-58/2.3.7: 在“十三五”期间，贫困人员……领取的城乡居民
基本养老保险基础养老金不计入家庭收入 (to 2020-12-31):
- DRAWING_DIBAO: dibao, draws the resident pension → listed;
- DRAWING_EXITED: registered poor, exit-marked in 2017, draws the pension → listed (the
  exit is re-assessed as well);
- PAYING_DIBAO: dibao, enrolled but not drawing → not listed;
- DRAWING_ONLY: draws the pension, no status → not listed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import make_id
from doudi.plan import income_list as income
from doudi.rosters.importing import import_roster
from doudi.store import db
from support import roster

MARCH = date(2018, 3, 31)
DRAWING_DIBAO = (make_id("360102", "19500101", "012"), "陈老")
DRAWING_EXITED = (make_id("360102", "19520202", "024"), "林伯")
PAYING_DIBAO = (make_id("360102", "19800303", "036"), "王青")
DRAWING_ONLY = (make_id("360102", "19490404", "048"), "赵叔")


def load(registry: db.Database, tmp_path: Path) -> None:
    dibao = [DRAWING_DIBAO, PAYING_DIBAO]
    path = roster(tmp_path / "dibao.csv", dibao, {"纳入时间": ["2016-01-01"] * 2})
    import_roster(registry, path, "dibao", MARCH)
    poor = {"纳入时间": ["2015-01-01"], "是否标注脱贫": ["是"], "脱贫时间": ["2017-06-30"]}
    import_roster(registry, roster(tmp_path / "poor.csv", [DRAWING_EXITED], poor), "poverty", MARCH)
    people = [DRAWING_DIBAO, DRAWING_EXITED, PAYING_DIBAO, DRAWING_ONLY]
    pension = {
        "参保时间": ["2011-01-01"] * 4,
        "缴费档次": ["", "", "100", ""],
        "是否领取待遇": ["是", "是", "否", "是"],
    }
    path = roster(tmp_path / "pension.csv", people, pension)
    import_roster(registry, path, "resident_pension", MARCH)


def test_JX_2017_58_2_3_7_the_list_names_the_poor_who_draw_the_pension(registry, tmp_path):
    load(registry, tmp_path)
    found = income.income_list(registry, "360000", 2018, "360102")
    assert found.people.column("id_number").to_pylist() == sorted(
        [DRAWING_DIBAO[0], DRAWING_EXITED[0]]
    )
    statuses = dict(
        zip(
            found.people.column("id_number").to_pylist(),
            found.people.column("statuses").to_pylist(),
            strict=True,
        )
    )
    assert statuses[DRAWING_EXITED[0]] == "registered_poor"
    assert (found.clause, found.until) == ("JX-2017-58/2.3.7", date(2020, 12, 31))


def test_JX_2017_58_2_3_7_no_list_after_the_exclusion_ends(registry, tmp_path):
    """ "十三五"期间: the exclusion ends with 2020; 2021 has no list, in Chinese."""
    load(registry, tmp_path)
    with pytest.raises(income.IncomeListError, match="2021年没有基础养老金不计入家庭收入的政策"):
        income.income_list(registry, "360000", 2021, "360102")


def test_the_command_writes_the_workbook_and_says_how_many(registry, tmp_path, monkeypatch):
    from doudi.cli import app

    load(registry, tmp_path)
    monkeypatch.setattr("doudi.plan.cli.open_registry", lambda: registry)
    out = tmp_path / "名单.xlsx"
    result = CliRunner().invoke(
        app,
        ["income-list", "--jurisdiction", "360000", "--year", "2018", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "人员 2 人" in result.output and out.stat().st_size > 0
    refused = CliRunner().invoke(
        app,
        ["income-list", "--jurisdiction", "360000", "--year", "2021", "--out", str(out)],
    )
    assert refused.exit_code == 2 and "Traceback" not in refused.output


def test_an_unwritable_output_is_a_chinese_error_not_a_traceback(registry, tmp_path, monkeypatch):
    from doudi.cli import app

    load(registry, tmp_path)
    monkeypatch.setattr("doudi.plan.cli.open_registry", lambda: registry)
    out = tmp_path / "no" / "such" / "名单.xlsx"
    result = CliRunner().invoke(
        app, ["income-list", "--jurisdiction", "360000", "--year", "2018", "--out", str(out)]
    )
    assert result.exit_code == 2 and "无法写出文件" in result.output
    assert "Traceback" not in result.output
