"""Which example values one bill's settlement used (issue #23 §1).

The settlement rules are compiled once per jurisdiction and year, and
:class:`~doudi.policy.params.Params` records every value they read: all the
deductibles by hospital level, the chronic-disease caps, Jiangxi's 15 disease quotas.
A note that lists them all under every bill tells the caseworker nothing about *this*
bill; a bill without a disease does not rest on the disease table. Here each value is
kept only where the bill's kind can reach it (terms.py: a chronic outpatient claim has
its own rate and cap and no deductible, a normal childbirth a fixed amount, a major
disease its quota), and a value keyed by hospital level, claim class or disease is cut
to the bill's own entry.

Where in doubt a value stays listed: a note that names one value too many misleads
less than one that hides an example the amount rests on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from doudi.policy.parameters import Value

Row = dict[str, Any]
InForce = Callable[[str], Any]
CHRONIC = ("chronic_1", "chronic_2")


def _claim(row: Row) -> str:
    return str(row.get("claim_type") or "inpatient")


def _not_chronic(row: Row) -> bool:
    return _claim(row) not in CHRONIC


def _chronic(row: Row) -> bool:
    return _claim(row) in CHRONIC


def _level(row: Row) -> str:
    return str(row["hospital_level"])


def _deductible_applied(row: Row) -> bool:
    """The per-admission deductible was charged: none for a chronic claim, nor where a
    document waives it (the bill's ``deductible`` is then 0.00)."""
    return _not_chronic(row) and Decimal(row.get("deductible") or 0) != 0


#: A value a bill can only have used when the test holds (by parameter name); the
#: others (critical illness, supplementary, tilt, assistance) apply to every bill.
REACHED: dict[str, Callable[[Row], bool]] = {
    "basic_deductible": _deductible_applied,
    "basic_rate": _not_chronic,
    "basic_annual_cap": _not_chronic,
    "chronic_rate": _chronic,
    "chronic_annual_cap": _chronic,
    "major_disease_quota": lambda row: bool(row.get("disease")) and _claim(row) == "inpatient",
    "childbirth_fixed_amount": lambda row: _claim(row) == "childbirth",
    "special_drug_class_b_rate": lambda row: Decimal(row.get("special_drug_cost") or 0) > 0,
}

#: An example a poor person's bill (特困人员, 低保对象, 建档立卡贫困人口 at discharge) does
#: not use where the document gives their own value for the bill's entry (by parameter
#: name: the document's parameter). Jiangxi's JX-2017-58/2.2.5 rates and caps replace the
#: examples for them (terms.jx_poor_basic, terms.ci_rates).
FOR_THE_POOR: dict[str, str] = {
    "basic_rate": "medical_settlement.poor_basic_rate",
    "basic_annual_cap": "medical_settlement.poor_basic_annual_cap",
    "chronic_rate": "medical_settlement.poor_chronic_rate",
    "chronic_annual_cap": "medical_settlement.poor_chronic_annual_cap",
    "ci_segments": "medical_settlement.poor_ci_rate",  # by hospital level
}
POOR = ("tekun", "dibao", "registered_poor")

#: The key of a keyed value that a bill reads (by parameter name).
ENTRY: dict[str, Callable[[Row], str]] = {
    "basic_deductible": _level,
    "basic_rate": _level,
    "chronic_rate": _level,
    "chronic_annual_cap": _claim,
    "major_disease_quota": lambda row: str(row.get("disease")),
}


def _poor_value_instead(row: Row, name: str, in_force: InForce) -> bool:
    """Whether the bill, a poor person's, is settled with the document's own value for the
    poor (:data:`FOR_THE_POOR`) instead of the example ``name``."""
    if name not in FOR_THE_POOR or not any(row.get(s) for s in POOR):
        return False
    own = in_force(FOR_THE_POOR[name])
    if own is None:
        return False
    if not isinstance(own, dict):
        return True
    key = ENTRY.get(name, _level)(row)
    return key in own


def used_by(row: Row, values: list[Value], in_force: InForce = lambda _: None) -> list[Value]:
    """Of ``values`` (what the year's settlement rules read), those the bill ``row``
    (a settled bill: its kind, level, disease, deductible, the poor statuses at
    discharge) used, keyed ones cut to the bill's entry; a keyed value without an entry
    for the bill is left out. ``in_force``: a parameter's value for the bill's
    jurisdiction and year (``None`` where the documents give none), to know where a
    document's value for the poor replaced an example."""
    out = []
    for v in values:
        name = v.path.rsplit(".", 1)[-1]
        reached = REACHED.get(name)
        if reached is not None and not reached(row):
            continue
        if _poor_value_instead(row, name, in_force):
            continue
        entry = ENTRY.get(name)
        if entry is not None and isinstance(v.value, dict):
            key = entry(row)
            if key not in v.value:
                continue
            v = replace(v, value={key: v.value[key]})
        out.append(v)
    return out
