"""The ``doudi`` command line (typer), Chinese first, English second: the composition
root. Each domain owns its commands in its own ``cli`` module; this one only puts them
side by side under one ``doudi`` (docs/architecture.md), whose usage errors are Chinese
(``doudi.usage``)."""

from __future__ import annotations

import typer

from doudi.bills import cli as bills
from doudi.collection import cli as collection
from doudi.comparison import cli as comparison
from doudi.costing import cli as costing
from doudi.engine import cli as engine
from doudi.lakejobs.cli import lake_compare
from doudi.plan import cli as plan
from doudi.rosters import cli as rosters
from doudi.statistics import cli as statistics
from doudi.synth import cli as synth
from doudi.usage import ChineseUsageGroup
from doudi.web import cli as web
from doudi.work_injury import cli as work_injury

app = typer.Typer(
    cls=ChineseUsageGroup,
    help="兜底：社会保险扶贫经办系统 / Doudi: social-insurance poverty relief",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
for domain in (
    engine,
    rosters,
    bills,
    comparison,
    synth,
    plan,
    collection,
    statistics,
    costing,
    work_injury,
    web,
):
    app.add_typer(domain.app)
# the plan's ``doudi lake`` group runs the comparison too (lakejobs: above both domains)
plan.lake_group.command("compare")(lake_compare)


if __name__ == "__main__":
    app()
