"""`doudi evaluate` of hostile scenario files (issue #19 §7): a valid Chongqing scenario
with fields replaced by years out of range, unknown jurisdictions, tiers and amounts
beyond money, impossible dates, the same person twice, parameter overrides that are not
numbers, written as YAML or JSON in any encoding with YAML's own pitfalls (tabs, an open
quote). Exit 0 with JSON, or 2 with a Chinese message; never a traceback.

The scenario reads no registry: one run, no database.
"""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from tests.fuzz.budget import FUZZ
from tests.fuzz.hostile import AMOUNTS, CONTROL, DATES, ENCODINGS, LONG, QUOTES, encode
from tests.fuzz.outcome import invoke, judge

from conftest import make_id

#: a few seconds (make test runs it)
pytestmark = pytest.mark.slow

PERSON = {
    "id_number": make_id("500102", "19900720", "014"),
    "name": "李强",
    "hukou_region": "500102",
    "student": False,
    "statuses": [{"status": "registered_poor", "from": "2015-03-01", "to": None}],
    "resident_pension": {"enrolled": True, "tier": 200},
    "household_income": {"total": "9600", "basic_pension": "1416"},
}
SCENARIO = {
    "jurisdiction": "500000",
    "year": 2018,
    "parameters": {"resident_pension.minimum_tier": 100},
    "people": [PERSON, {**PERSON, "id_number": make_id("500102", "19500101", "016")}],
}
#: Where a value may be replaced, and what is hostile there.
NUMBERS = [*AMOUNTS, -100, 0, 10**30, 1e309, 100.005, True, None, [], {}]
PATHS: dict[tuple[Any, ...], list[Any]] = {
    ("jurisdiction",): ["999999", "", 500000, None, "50000", "重庆", ["500000"]],
    ("year",): [1900, 2100, 2012, "2018", 2018.5, -1, 10**20, True, None, "二〇一八"],
    ("parameters",): [None, [], "x", {"resident_pension.minimum_tier": "abc"}],
    ("parameters", "resident_pension.minimum_tier"): NUMBERS,
    ("people",): [None, [], {}, "people", [None], [[]]],
    ("people", 0, "id_number"): ["", "500102199007200", "50010219900720014X", 500102, None],
    ("people", 0, "name"): ["", None, *CONTROL, *QUOTES],
    ("people", 0, "hukou_region"): ["999999", "ABCDEF", "5001", ""],
    ("people", 0, "death_date"): DATES,
    ("people", 0, "student"): ["是", 1, None, "false"],
    ("people", 0, "statuses"): [None, "dibao", [None], [{}], [{"status": "未知"}]],
    ("people", 0, "statuses", 0, "status"): ["unknown", "低保对象", "", None, 1],
    ("people", 0, "statuses", 0, "from"): DATES,
    ("people", 0, "statuses", 0, "to"): DATES,
    ("people", 0, "resident_pension", "tier"): NUMBERS,
    ("people", 0, "resident_pension", "enrolled"): ["yes", None, 2],
    ("people", 0, "household_income", "total"): NUMBERS,
    ("people", 1, "id_number"): [PERSON["id_number"]],  # the same person twice
}


def replaced(scenario: dict[str, Any], path: tuple[Any, ...], value: Any) -> bool:
    """Put ``value`` at ``path`` if the path still leads somewhere; whether it did."""
    node: Any = scenario
    for key in path[:-1]:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return False
    key = path[-1]
    if isinstance(node, dict) or (
        isinstance(node, list) and isinstance(key, int) and key < len(node)
    ):
        node[key] = value
        return True
    return False


@st.composite
def scenario_texts(draw: st.DrawFn) -> tuple[str, bytes, tuple[str, ...]]:
    """A hostile scenario file: its name, bytes, and what was done to it."""
    scenario = copy.deepcopy(SCENARIO)
    how = []
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(sorted(PATHS, key=repr)))
        value = draw(st.one_of(st.sampled_from(PATHS[path]), LONG, st.text(max_size=6)))
        if replaced(scenario, path, value):
            how.append(f"{'/'.join(map(str, path))}={value!r:.30}")
    if draw(st.booleans()):
        name = "scenario.json"
        text = json.dumps(scenario, ensure_ascii=draw(st.booleans()), default=str)
    else:
        name = "scenario.yaml"
        text = yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False)
    spoil = draw(st.sampled_from(["none"] * 4 + ["tab", "quote", "nul", "cut"]))
    at = draw(st.integers(0, len(text)))
    if spoil == "tab":
        text = text.replace("  ", "\t", 1)
    elif spoil == "quote":
        text = text[:at] + '"' + text[at:]
    elif spoil == "nul":
        text = text[:at] + "\x00" + text[at:]
    elif spoil == "cut":
        text = text[:at]
    # a scenario is UTF-8 (docs/scenario.md): mostly so, to reach the checks behind
    data, encoding = encode(text, draw(st.sampled_from(["utf-8"] * 5 + list(ENCODINGS))))
    return name, data, (*how, spoil, f"encoding={encoding}")


_SERIAL = itertools.count()


@FUZZ
@given(drawn=scenario_texts(), explain=st.booleans())
def test_a_hostile_scenario_is_refused_in_chinese_or_evaluated(drawn, explain, tmp_path) -> None:
    name, data, how = drawn
    path = tmp_path / f"{next(_SERIAL)}-{name}"
    path.write_bytes(data)
    outcome = invoke(["evaluate", str(path), *(["--explain"] if explain else [])])
    judge(outcome, (name, how, data))
    if outcome.exit_code == 0 and not explain:
        result = json.loads(outcome.output)
        assert "NaN" not in outcome.output and "Infinity" not in outcome.output, (how, data)
        assert isinstance(result["results"], list), (how, data)
