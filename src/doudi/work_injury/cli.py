"""``doudi work-injury``: the work-injury lists imported (``lists_cli``) and the checks
over them (``checks_cli``), under one name a caseworker finds beside ``doudi import`` in
``doudi --help`` (issue #21)."""

from __future__ import annotations

import typer

from doudi.work_injury import checks_cli, lists_cli

app = typer.Typer()
group = typer.Typer(help="工伤保险扶贫：名单导入与核查 / work-injury poverty relief")
app.add_typer(group, name="work-injury")
group.command("import")(lists_cli.import_)
group.command("findings")(checks_cli.findings)
