"""The scenario benchmark's floor (benchmarks/scenario_hand.py) gives Doudi's answer
where it answers: the pension's and the medical subsidy's amounts, payers, categories
and clauses of ``engine.scenario.evaluate`` (issue #25 §1; not the unemployment
programmes, the reasons or the explanations), for the person bench_engine times and for
every person of the Jiangxi example.

The example's people (examples/jiangxi-2018.yaml, amounts by hand in its comments):
陈红 registered poor and enrolled at 300 (pension 100.00, JX-2017-58/2.1.1; medical
220.00 split 73.34/73.33/73.33), 刘小军 a dibao student not enrolled (pension 0.00,
medical 220.00), 黄国庆 exit-marked in 2017 (pension 0.00; medical still 220.00:
2.1.2 does not exclude the exited), 周伟 tekun with a Guangdong hukou (pension 0.00,
medical 220.00), 吴敏 with no status (nothing).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

from doudi.engine.scenario import evaluate
from support import benchmark


def test_the_hand_written_floor_answers_as_doudi_for_every_example_person() -> None:
    with benchmark("scenario_hand", "scenario_timing") as (hand, timing):
        example: dict[str, Any] = yaml.safe_load(timing.EXAMPLE.read_text("utf-8"))
        scenario = {"jurisdiction": example["jurisdiction"], "year": example["year"]}
        scenario["people"] = example["people"]
        answered = hand.evaluate(scenario)
        assert hand.differing(answered, evaluate(scenario)) == []
        one = timing.one_person()
        assert hand.differing(hand.evaluate(one), evaluate(one)) == []

    pension = [p["resident_pension"]["gov_paid"] for p in answered]
    medical = [p["resident_medical"]["subsidy"] for p in answered]
    assert pension == [Decimal("100.00")] + [Decimal("0.00")] * 4
    assert medical == [Decimal("220.00")] * 4 + [Decimal("0.00")]
    # 220 / 3 = 73.33 each, the fen left over to the province: 73.34 + 73.33 + 73.33
    assert answered[0]["resident_medical"]["funding"] == {
        "province": Decimal("73.34"),
        "city": Decimal("73.33"),
        "county": Decimal("73.33"),
    }


def test_the_floor_tells_a_different_answer() -> None:
    """``differing`` is not blind: a changed amount is named."""
    with benchmark("scenario_hand", "scenario_timing") as (hand, timing):
        one = timing.one_person()
        answered = hand.evaluate(one)
        answered[0]["resident_pension"]["gov_paid"] = Decimal("70.00")
        (found,) = hand.differing(answered, evaluate(one))
    assert "resident_pension gov_paid" in found
