"""The work-injury findings of a region on a day over the registry: the current lists
(``reading.current_tables``), who among their people is poor (``poor.poor_on``) and the
checks (``checks.check``) put together once, for the command and the web pages alike, so
that both show the same lists.

``from_tables`` is the same below the database reads (Arrow in, findings out), so that
the benchmark of the checks at 10^7 workers times the command's own path without a
registry of that size (benchmarks/bench_work_injury.py)."""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from doudi.policy import jurisdictions, parameters
from doudi.policy.jurisdictions import Jurisdiction
from doudi.store import db
from doudi.work_injury import poor
from doudi.work_injury.checks import POOR_WORKER_STATUSES, Findings, check
from doudi.work_injury.reading import current_tables


def findings(database: db.Database, region: str, day: date) -> Findings:
    """The findings of ``region`` (a province, city or county code) on ``day``; raises
    :class:`~doudi.policy.jurisdictions.UnknownJurisdiction` (Chinese) for a region no
    document governs."""
    jurisdiction = jurisdictions.resolve(region)
    lists = current_tables(database, region, day)
    registry = poor.named_registry(database, region)
    return from_tables(lists, registry, jurisdiction, day)


def from_tables(
    lists: dict[str, pa.Table],
    registry: dict[str, pa.Table],
    jurisdiction: Jurisdiction,
    day: date,
) -> Findings:
    """The findings of the current ``lists`` (``current_tables``) on ``day``, the poor
    read from ``registry`` (``poor.named_registry``: the people the lists name)."""
    named = pa.concat_arrays(
        [
            lists["project_workers"].column("person_id").combine_chunks(),
            lists["cases"].column("person_id").combine_chunks(),
        ]
    )
    statuses = parameters.lookup(POOR_WORKER_STATUSES, jurisdiction, day)
    people = poor.poor_on(registry, named, statuses.value if statuses else (), day)
    return check(lists, people, jurisdiction, day)
