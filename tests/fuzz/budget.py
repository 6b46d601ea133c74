"""How many examples each fuzz test draws: few by default (the whole suite in about three
minutes on SQLite and PostgreSQL, every ``make test``), more when asked
(``DOUDI_FUZZ_EXAMPLES=500 python -m pytest tests/fuzz``) for a night's search."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("DOUDI_FUZZ_EXAMPLES", "12"))

#: One registry serves every example of a test (a file accepted by one example stays for
#: the next, as in a county's registry); an import takes longer than hypothesis expects.
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
