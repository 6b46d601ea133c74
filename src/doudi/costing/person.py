"""One person of a costing, both sides: the engine's result for them under the
baseline's rules and under the reform's, each with its Chinese explanation.

The person's inputs are the costing's own (each side's reading of the registry,
``costing.run``) and the rules the compiled rules of each side, as the person page
explains a planned person (``plan.explanation``): so the explanation beside a reformed
amount is the one that computed it. Where the reform overrides a parameter the
explanation says so as "测算：参数调整" (a scenario's word for it is 场景覆盖值).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from doudi.costing.reform import ADJUSTED_ZH, Reform
from doudi.engine import backend
from doudi.engine.results import format_results
from doudi.plan.inputs import Inputs

#: The scenario's word for an overridden value (policy.explain), said as the costing's.
OVERRIDE_ZH = "场景覆盖值"
#: The sections of a result a costing shows: the key, its heading, its programme.
SECTIONS = (
    ("resident_pension", "城乡居民养老保险代缴", "resident_pension"),
    ("late_enrollment", "60周岁以上未参保贫困人员领取待遇", "resident_pension"),
    ("early_pension", "重度残疾人提前领取养老金", "resident_pension"),
    ("resident_medical", "城乡居民医保缴费资助", "resident_medical"),
    ("unemployment", "农民工失业保险待遇", "unemployment"),
)


@dataclass(frozen=True)
class Person:
    """A person's result under the baseline (``baseline``) and the reform's rules
    (``reform``), in the scenario contract's form (docs/scenario.md); ``scope``: the
    programmes the changes apply to (the others' reform side is the baseline's)."""

    person_id: int
    id_number: str
    name: str
    baseline: dict[str, Any]
    reform: dict[str, Any]
    scope: tuple[str, ...]

    def explanations(self) -> list[tuple[str, str, str]]:
        """(heading, the baseline's explanation, the reform's) of each section."""
        out = []
        for key, heading, programme in SECTIONS:
            before = _section(self.baseline, key)
            after = _section(self.reform, key) if programme in self.scope else before
            if before or after:
                out.append((heading, before, after.replace(OVERRIDE_ZH, ADJUSTED_ZH)))
        return out


def find(read: Inputs, id_number: str) -> int | None:
    """The registry id (``row_no``) of the person with ``id_number`` among those read."""
    people = read.people
    at = pc.index(people.column("id_number"), id_number).as_py()
    return None if at < 0 else int(people.column("row_no")[at].as_py())


def person(reform: Reform, person_id: int, base: Inputs, changed: Inputs) -> Person:
    """The person ``person_id`` under both sides, each from its own reading."""
    year = reform.year
    before = _result(backend.plan(reform.jurisdiction, year), base, person_id)
    compiled = backend.plan(reform.rules, year, reform.overrides, territory=reform.territory)
    after = _result(compiled, changed, person_id)
    scope = tuple(p.code for p in reform.scope)
    return Person(person_id, before["id_number"], before["name"], before, after, scope)


def _result(compiled: backend.Plan, read: Inputs, person_id: int) -> dict[str, Any]:
    ids = pa.array([person_id], pa.int64())
    people = read.people.filter(pc.is_in(read.people.column("row_no"), value_set=ids))
    statuses = read.statuses.filter(pc.is_in(read.statuses.column("row_no"), value_set=ids))
    rows = compiled.run(people, statuses).to_pylist()
    return format_results(rows, compiled.params, {person_id})[0]


def _section(result: dict[str, Any], key: str) -> str:
    """A section's explanation ("" if the result has none): the pension's own parts
    (Hebei's late enrollment, Shandong's early pension) are inside the pension's."""
    if key in result:
        return str(result[key].get("explanation") or "")
    part = result.get("resident_pension", {}).get(key)
    return str(part.get("explanation") or "") if isinstance(part, dict) else ""
