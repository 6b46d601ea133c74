"""A reform file is checked whole before the registry is read, every problem said in
Chinese with its field (issue #22 §1); the example reforms are valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from costing_people import reform

from doudi.costing import reform as reforms
from doudi.costing.reform import ReformError

REPO = Path(__file__).resolve().parents[2]


def problems(changes: dict, **baseline: object) -> list[str]:
    data = {
        "name": "测试",
        "baseline": {"jurisdiction": "360000", "year": 2018, **baseline},
        "changes": changes,
    }
    with pytest.raises(ReformError) as caught:
        reforms.parse(data)
    return caught.value.problems


def test_an_unknown_parameter_path_lists_the_near_ones():
    (problem,) = problems({"resident_pension.minimm_tier": 200})
    assert "江西省的规则没有参数 resident_pension.minimm_tier" in problem
    assert "相近的：resident_pension.minimum_tier" in problem
    (problem,) = problems({"minimum_tier": 200})
    assert "resident_pension.minimum_tier" in problem


def test_a_parameter_of_another_jurisdiction_only_is_not_one_of_these_rules():
    """Chongqing's tekun share (CQ-2018-82/2.1.1) is no parameter of Jiangxi's rules."""
    (problem,) = problems({"resident_pension.tekun_share": 1})
    assert "江西省的规则没有参数 resident_pension.tekun_share" in problem
    assert reform({"rules": 500000, "resident_pension.tekun_share": 0.9}).overrides == {
        "resident_pension.tekun_share": 0.9
    }


def test_a_value_of_the_wrong_kind_is_refused_in_chinese():
    (problem,) = problems({"resident_pension.minimum_tier": "二百"})
    assert "字段 changes.resident_pension.minimum_tier" in problem and "无法识别的值" in problem
    (problem,) = problems({"resident_pension.requires_enrollment": "是"})
    assert "应为 true 或 false" in problem


def test_a_change_equal_to_the_value_in_force_changes_nothing():
    """Jiangxi's minimum tier is 100 in 2018 (local config): 100 is no change."""
    (problem,) = problems({"resident_pension.minimum_tier": 100})
    assert "该调整不改变任何参数" in problem and "已是 100" in problem
    (problem,) = problems({"rules": 360000})
    assert "该调整不改变任何规则" in problem


def test_a_reform_without_changes_is_refused():
    assert "应为调整的映射" in problems({})[0]


def test_unknown_jurisdictions_and_programmes_are_named():
    assert "未知的统筹地区代码：'990000'" in problems({"rules": 990000})[0]
    assert "字段 baseline.jurisdiction" in problems({"rules": 500000}, jurisdiction="12")[0]
    (problem,) = problems({"rules": 500000, "programmes": ["pension"]})
    assert "未知的计划项目 'pension'" in problem
    (problem,) = problems({"rules": 500000, "programmes": ["unemployment"]})
    assert "重庆市的规则没有农民工失业保险待遇" in problem


def test_unknown_fields_and_a_missing_year_are_named():
    with pytest.raises(ReformError) as caught:
        reforms.parse({"name": "测试", "baseline": {"jurisdiction": 360000}, "chnages": {}})
    said = "\n".join(caught.value.problems)
    assert "未知的字段 'chnages'；相近的：changes" in said
    assert "字段 baseline.year：应为四位年份" in said


def test_a_file_that_is_no_yaml_names_the_line(tmp_path):
    path = tmp_path / "方案.yaml"
    path.write_text(
        "name: 测试\nbaseline: {jurisdiction: 360000, year: 2018\nchanges: x\n", "utf-8"
    )
    with pytest.raises(ReformError) as caught:
        reforms.load(path)
    (problem,) = caught.value.problems
    assert "不是有效的 YAML" in problem and "第 3 行" in problem
    with pytest.raises(ReformError, match="找不到文件"):
        reforms.load(tmp_path / "无.yaml")


@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "examples/reforms").glob("*.yaml")))
def test_the_example_reforms_are_valid(name):
    found = reforms.load(REPO / "examples" / "reforms" / name)
    assert (found.jurisdiction.code, found.year) == ("360000", 2018)
    assert found.overrides or found.other_rules


def test_year_runs_a_stored_reform_another_year():
    """A reform checked for another year: its overrides are checked against that year."""
    found = reforms.load(REPO / "examples/reforms/jiangxi-minimum-tier-200.yaml", 2019)
    assert found.year == 2019
