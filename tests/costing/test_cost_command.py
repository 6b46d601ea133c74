"""``doudi cost REFORM.yaml --region R --year Y [--out F.xlsx] [--person ID]`` (issue #22
§2): a Chinese summary, the workbook with its sheets and charts, the person's two
explanations; every refusal in Chinese with exit status 2, never a traceback; and the
registry's rows untouched by the real command."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
from costing_people import jiangxi, load
from typer.testing import CliRunner

from support import read

REPO = Path(__file__).resolve().parents[2]
MINIMUM_TIER = REPO / "examples/reforms/jiangxi-minimum-tier-200.yaml"
CHONGQING = REPO / "examples/reforms/chongqing-rules-on-jiangxi.yaml"


@pytest.fixture
def cli(registry, tmp_path, monkeypatch):
    from doudi.cli import app

    load(registry, tmp_path, jiangxi())
    monkeypatch.setattr("doudi.costing.cli.open_registry", lambda: registry)

    def invoke(*args: str):
        return CliRunner().invoke(app, ["cost", *args])

    return invoke


@pytest.mark.parametrize("registry", ["sqlite"], indirect=True)
def test_the_command_prints_the_costing_and_writes_its_workbook(cli, tmp_path):
    out = tmp_path / "测算.xlsx"
    done = cli(str(MINIMUM_TIER), "--region", "360102", "--year", "2018", "--out", str(out))
    assert done.exit_code == 0, done.output
    said = done.output
    assert "政策测算：最低缴费档次提高到200元，困难群体保留100元档次" in said
    assert "人群：360102 东湖区 户籍登记人员 6 人（只读测算，未写入任何计划版本）" in said
    # 王强 and 刘洋 owe 100.00 more each (costing_people): 400.00 → 600.00
    assert "个人应缴：基准 400.00 元，测算 600.00 元，差额 +200.00 元" in said
    assert (
        "增减（财政、基金、第三方为其支付的金额，各项目合计）：增加 0 人，减少 0 人，不变 6 人"
        in said
    )
    assert "个人应缴：增加 2 人，减少 0 人，不变 4 人" in said
    assert "基准（江西省2018年规则）依赖示例参数" in said and "最低缴费档次" in said
    assert f"已写出 {out}" in said
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/")]
    assert len(charts) == 2  # 汇总's bars, 增减分布's columns
    import fastexcel

    assert fastexcel.read_excel(out).sheet_names == [
        "汇总",
        "地区",
        "人群",
        "增减分布",
        "人员明细",
        "说明",
    ]
    rows = read(out, "人员明细").to_pylist()
    wang = [
        r
        for r in rows
        if (r["姓名"], r["项目"], r["付款方"]) == ("王强", "城乡居民养老保险代缴", "个人应缴")
    ]
    assert [(r["基准金额（元）"], r["测算金额（元）"], r["差额（元）"]) for r in wang] == [
        ("0", "100", "100")
    ]
    assert "测算：参数调整（resident_pension.minimum_tier=200）" in wang[0]["测算依据"]
    summary = read(out, "汇总").to_pylist()
    owed = [r for r in summary if (r["项目"], r["付款方"]) == ("全部项目", "个人应缴")]
    assert [(r["基准金额（元）"], r["测算金额（元）"], r["差额（元）"]) for r in owed] == [
        ("400", "600", "200")
    ]


@pytest.mark.parametrize("registry", ["sqlite"], indirect=True)
def test_person_shows_both_amounts_and_both_explanations(cli):
    wang = jiangxi()[1]
    done = cli(str(CHONGQING), "--region", "360102", "--person", wang.id_number)
    assert done.exit_code == 0, done.output
    said = done.output
    assert f"■ 王强（{wang.id_number}）" in said
    # Jiangxi: 100.00 by the county; Chongqing: 70% of 100 by civil affairs, 30.00 his own
    assert "城乡居民养老保险代缴 县（市、区）财政：基准 100.00 元，测算 0.00 元" in said
    assert (
        "城乡居民养老保险代缴 民政部门（市级社保相关资金及区县财力）：基准 0.00 元，测算 70.00 元"
        in said
    )
    assert "【城乡居民养老保险代缴·基准】" in said and "【JX-2017-58/2.1.1】" in said
    assert "【城乡居民养老保险代缴·测算】" in said and "【CQ-2018-82/2.1.1】" in said


@pytest.mark.parametrize("registry", ["sqlite"], indirect=True)
def test_refusals_are_chinese_with_exit_status_2(cli, tmp_path):
    bad = tmp_path / "坏.yaml"
    bad.write_text(
        "name: 坏\nbaseline: {jurisdiction: 360000, year: 2018}\n"
        "changes: {resident_pension.minimm_tier: 200}\n",
        "utf-8",
    )
    for args, said in (
        ((str(bad),), "相近的：resident_pension.minimum_tier"),
        ((str(tmp_path / "无.yaml"),), "找不到文件"),
        ((str(MINIMUM_TIER), "--region", "500102"), "不是江西省（360000）内的区划代码"),
        ((str(MINIMUM_TIER), "--out", str(tmp_path / "无此文件夹" / "a.xlsx")), "不存在"),
        ((str(MINIMUM_TIER), "--person", "360102198001010000"), "没有公民身份号码为"),
        ((str(MINIMUM_TIER), "--year", "1999"), "年度应为 2000–2100"),
        ((str(MINIMUM_TIER), "--engine", "flink"), "未知的计算引擎 flink"),
    ):
        done = cli(*args)
        assert done.exit_code == 2, (args, done.output)
        assert said in done.output, (args, done.output)
        assert "Traceback" not in done.output


def table_rows(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as con:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


@pytest.mark.parametrize("registry", ["sqlite"], indirect=True)
def test_the_command_leaves_every_table_of_the_registry_as_it_was(registry, tmp_path):
    """The real command on a SQLite registry: every table (the registry's, Django's
    migrations, the audit) has the same number of rows afterwards."""
    load(registry, tmp_path, jiangxi())
    path = Path(registry.uri())
    before = table_rows(path)
    env = {**os.environ, "DOUDI_DATABASE_URL": f"sqlite:///{path}", "DOUDI_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "doudi.cli", "cost", str(CHONGQING), "--region", "360102"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "按重庆市规则测算江西演示县" in done.stdout
    assert table_rows(path) == before
    assert before["registry_person"] == 6
    assert not (tmp_path / "var" / "plans").exists()
