"""Table-driven cases a policy officer can extend without Python: tests/cases/*.yaml.

Each case is a scenario (or ``scenario_file``, naming an example) plus
``expect``: for each person, in order, the fields that must match. Only the
fields written are checked; a list under ``basis`` or ``reasons`` must match
exactly. See tests/cases/README.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import doudi

CASES = Path(__file__).resolve().parents[1] / "cases"
REPO = Path(__file__).resolve().parents[2]


def _load() -> list[Any]:
    out = []
    for f in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(f.read_text("utf-8")):
            out.append(pytest.param(case, id=f"{f.stem}: {case['case']}"))
    return out


def _scenario(case: dict[str, Any]) -> Any:
    """The case's own scenario, or an example file named by ``scenario_file``."""
    if "scenario_file" in case:
        return yaml.safe_load((REPO / case["scenario_file"]).read_text("utf-8"))
    return case["scenario"]


def _match(expected: Any, actual: Any, where: str) -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected a mapping, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} missing from the result"
            _match(value, actual[key], f"{where}.{key}")
    else:
        assert expected == actual, f"{where}: expected {expected!r}, got {actual!r}"


@pytest.mark.parametrize("case", _load())
def test_case(case: dict[str, Any]) -> None:
    results = doudi.evaluate(_scenario(case))["results"]
    assert len(results) == len(case["expect"])
    for i, (expected, actual) in enumerate(zip(case["expect"], results, strict=True)):
        _match(expected, actual, f"people[{i}]")


def test_cases_exist_for_every_jurisdiction() -> None:
    scenarios = [_scenario(p.values[0])["jurisdiction"] for p in _load()]
    assert {"360000", "130000", "130200", "370000", "510400", "500000"} <= set(scenarios)
