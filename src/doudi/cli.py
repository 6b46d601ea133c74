"""The ``doudi`` command line (typer), Chinese first, English second: the composition
root. Each domain owns its commands in its own ``cli`` module; this one only puts them
side by side under one ``doudi`` (docs/architecture.md), whose usage errors are Chinese
(``doudi.usage``)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

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


class _Doudi(typer.Typer):
    """The root ``doudi``: the commands of ``domains`` side by side.

    Run from the command line with a domain's own command first (``doudi evaluate
    FILE``), it builds that domain's commands alone: typer builds every command's Click
    command and parameters before parsing anything, 20–35 ms of CPU for the 33 commands
    of a cold ``doudi evaluate`` whose target is 0.5 s (issue #25 §2, decision 0021).
    The command, its help and its usage errors are the same; anything else (``--help``,
    a group such as ``doudi lake``, an unknown command) builds them all, as does a
    caller handing the arguments in (the tests' ``CliRunner``)."""

    def __init__(self, domains: Sequence[ModuleType]):
        super().__init__(
            cls=ChineseUsageGroup,
            help="兜底：社会保险扶贫经办系统 / Doudi: social-insurance poverty relief",
            no_args_is_help=True,
            add_completion=False,
            pretty_exceptions_enable=False,
        )
        self.domains = tuple(domains)
        for domain in self.domains:
            self.add_typer(domain.app)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        first = sys.argv[1] if len(sys.argv) > 1 and not (args or kwargs) else None
        owners = [domain for domain in self.domains if first in _commands(domain.app)]
        if len(self.domains) > 1 and len(owners) == 1:
            return _Doudi(owners)()
        return super().__call__(*args, **kwargs)


def _commands(domain: typer.Typer) -> set[str]:
    """The names of a domain's own commands (not its groups), as typer names them."""
    return {
        command.name or typer.main.get_command_name(command.callback.__name__)
        for command in domain.registered_commands
        if command.callback is not None
    }


app = _Doudi(
    (
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
    )
)
# the plan's ``doudi lake`` group runs the comparison too (lakejobs: above both domains)
plan.lake_group.command("compare")(lake_compare)


if __name__ == "__main__":
    app()
