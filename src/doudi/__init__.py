"""兜底 Doudi: social-insurance poverty relief (社会保险扶贫).

The public Python API is :func:`doudi.evaluate`, which takes a scenario (the
same mapping ``doudi evaluate`` reads from YAML or JSON) and returns results
with amounts, payers, clause ids and Chinese explanations.
"""

from __future__ import annotations

from typing import Any


def evaluate(scenario: Any) -> dict[str, Any]:
    """Evaluate a scenario mapping; see ``docs/scenario.md``.

    Imported lazily so that ``import doudi`` stays cheap for the CLI's help.
    """
    from doudi.engine.scenario import evaluate as _evaluate

    return _evaluate(scenario)


__all__ = ["evaluate"]
