"""The command line as a policy officer uses it: real process, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# each runs the command line in a fresh process
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
DOUDI = [sys.executable, "-m", "doudi.cli"]


def doudi(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*DOUDI, *args], input=stdin, capture_output=True, text=True, cwd=REPO, check=False
    )


def test_evaluate_prints_the_json_contract():
    out = doudi("evaluate", "examples/chongqing-2018.yaml")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)["results"][1]
    assert result["id_number"] == "500102199007200142"
    assert result["resident_pension"]["gov_paid"] == "70.00"
    assert result["resident_pension"]["funding"] == {"poverty_office": "70.00"}


def test_explain_quotes_the_original_sentence():
    out = doudi("evaluate", "--explain", "examples/chongqing-2018.yaml")
    assert out.returncode == 0, out.stderr
    assert "对其余代缴对象按最低档次标准的70%代缴" in out.stdout
    assert "不在“未满60周岁”的缴费年龄内" in out.stdout


def test_stdin_json_is_accepted():
    scenario = {
        "jurisdiction": "130000",
        "year": 2018,
        "people": [
            {
                "id_number": "130281198811110209",
                "statuses": [{"status": "dibao", "from": "2018-09-01", "to": "2018-11-01"}],
                "resident_pension": {"enrolled": True},
            }
        ],
    }
    out = doudi("evaluate", "-", stdin=json.dumps(scenario))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["results"][0]["resident_pension"]["gov_paid"] == "100.00"


def test_bad_input_exit_2_chinese_message_naming_person_and_field_no_traceback():
    scenario = """
jurisdiction: "500000"
year: 2018
people:
  - id_number: "500102196503150129"
    name: 王秀英
    statuses: [{status: poor, from: 2016-13-01}]
"""
    out = doudi("evaluate", "-", stdin=scenario)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert (
        "第1个人（王秀英），字段 id_number：身份证号校验码错误：末位为9，按GB 11643-1999应为8"
        in out.stderr
    )
    assert "字段 statuses[0].status：未知的身份 'poor'" in out.stderr
    assert "字段 statuses[0].from：日期格式应为 YYYY-MM-DD" in out.stderr


def test_unknown_jurisdiction_and_missing_file():
    out = doudi("evaluate", "-", stdin='{"jurisdiction": "990000", "year": 2018, "people": [{}]}')
    assert out.returncode == 2 and "未知的统筹地区代码" in out.stderr
    out = doudi("evaluate", "no-such-file.yaml")
    assert out.returncode == 2 and "找不到文件：no-such-file.yaml" in out.stderr


def test_clause_and_params_commands():
    out = doudi("clause", "HE-2018-3/2.1.2")
    assert out.returncode == 0 and "同一个自然年度内" in out.stdout
    out = doudi("params", "--jurisdiction", "130200", "--year", "2018")
    assert "resident_pension.payer_weights" in out.stdout and "HE-2018-3/2.1.1" in out.stdout
    assert "local-config" in out.stdout


def test_settle_examples_show_every_layer_with_its_clause():
    out = doudi("settle", "--explain", "examples/bills/jiangxi-2018.yaml")
    assert out.returncode == 0, out.stderr
    assert "大病保险基金按400.00元标准纳入报销" in out.stdout
    assert "【JX-2017-58/2.2.4】" in out.stdout and "【JX-2017-58/2.2.6】" in out.stdout


def test_settle_csv_in_platform_names_and_nhsa_out():
    out = doudi(
        "settle",
        "--jurisdiction",
        "510400",
        "--format",
        "nhsa",
        "examples/bills/panzhihua-2018.csv",
    )
    assert out.returncode == 0, out.stderr
    first = json.loads(out.stdout)[0]["setlinfo"]
    # 22000 total, 20000 in policy, 1000 non-compliant → hospital 1000.00, out of policy 1000.00
    assert (first["setl_id"], first["hosp_part_amt"], first["fulamt_ownpay_amt"]) == (
        "PZH-001",
        "1000.00",
        "1000.00",
    )
    assert first["hifp_pay"] == "14625.00"  # 75% × (20000 − 500)
    parts = ("hifp_pay", "hifmi_pay", "hifes_pay", "othfund_pay", "maf_pay")
    total = (
        sum(float(first[k]) for k in parts)
        + float(first["psn_part_amt"])
        + float(first["hosp_part_amt"])
    )
    assert round(total, 2) == 22000.00


def test_settle_bad_bill_exit_2():
    bill = {
        "bill_id": "Z",
        "id_number": "360102198005120025",
        "admission_date": "2018-05-02",
        "discharge_date": "2018-05-01",
        "hospital_level": 2,
        "total_cost": 100,
        "in_policy_cost": 50,
    }
    bad = json.dumps({"jurisdiction": "360000", "bills": [bill]})
    out = doudi("settle", "-", stdin=bad)
    assert (
        out.returncode == 2
        and "单据 Z，字段 出院日期（discharge_date）：出院日期 2018-05-01 早于入院日期 2018-05-02"
        in out.stderr
    )


def test_settle_batch_settles_good_bills_lists_bad_ones_and_never_twice():
    def one(bill_id, level):
        return {
            "bill_id": bill_id,
            "id_number": "360102198005120025",
            "admission_date": "2018-05-01",
            "discharge_date": "2018-05-02",
            "hospital_level": level,
            "total_cost": 100,
            "in_policy_cost": 100,
        }

    batch = {"jurisdiction": "360000", "bills": [one("A", 2), one("B", 9), one("A", 2)]}
    out = doudi("settle", "-", stdin=json.dumps(batch))
    assert out.returncode == 2
    result = json.loads(out.stdout)
    assert [b["bill_id"] for b in result["bills"]] == ["A"]
    assert any("单据 B，字段 医院等级（hospital_level）" in r for r in result["rejected"])
    assert any("单据 A，字段 单据号（bill_id）：单据号重复" in r for r in result["rejected"])
    assert "相关单据未结算" in out.stderr
