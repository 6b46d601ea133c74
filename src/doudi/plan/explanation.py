"""Why a person gets what they get: the engine's result for one registered person and
year, explained in Chinese, from the same reading of the registry as the plan.

The person page and the person API answer "why does this person get 70 yuan?" here.
The person's facts come from ``inputs.person_inputs`` (the plan's own reading) and go
through the same compiled rules (``engine.backend``), so the explanation a caseworker
reads is the plan's, not a second opinion.
"""

from __future__ import annotations

from typing import Any

from doudi.engine import backend
from doudi.engine.results import format_results
from doudi.plan import inputs
from doudi.plan.outcome import PlanError
from doudi.policy import jurisdictions
from doudi.store import db

#: The years the rules can be asked about (as a scenario's ``year``).
YEARS = range(2000, 2101)


def explain(registry: db.Reader, person_id: int, hukou_region: str, year: int) -> dict[str, Any]:
    """The engine's result for the person and year (amounts, payers, clauses and the
    Chinese explanations), without the ID number.

    Raises ``jurisdictions.UnknownJurisdiction`` for a hukou outside every covered
    jurisdiction, ``PlanError`` for a year out of range or a person not in the
    registry, and the policy's ``MissingParameter`` for a year without parameters
    (all ``ValueError`` or ``KeyError`` with a Chinese message).
    """
    if year not in YEARS:
        raise PlanError(f"年度应为 {YEARS[0]}–{YEARS[-1]} 之间的四位年份，实为 {year}")
    place = jurisdictions.resolve(hukou_region[:6])
    people, statuses = inputs.person_inputs(registry, person_id, place.code, year)
    if people.num_rows != 1:
        raise PlanError(f"登记库中没有此人（编号 {person_id}）/ no such person")
    compiled = backend.plan(place, year)
    result = format_results(compiled.run(people, statuses).to_pylist(), compiled.params)[0]
    return {k: v for k, v in result.items() if k != "id_number"}
