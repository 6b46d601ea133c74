"""The house's layer rules (docs/architecture.md), read from the imports of every module.

An arrow that runs back up (policy importing the engine, a domain importing a later
domain, the store importing a domain) is a design error that would let the engine
depend on a database or a domain on another's internals; this test names it. Every
``import`` counts, also those inside functions: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "doudi"

#: Each package's rank: a module may import its own package and packages of a lower
#: rank only. Domains of the same rank may not import each other.
RANK = {
    "core": 0,
    "policy": 1,
    "registry": 1,
    "store": 1,
    "lakehouse": 1,  # Parquet by province and county with a manifest (issue #24)
    "engine": 2,
    "__init__": 3,  # doudi.evaluate, the public API: the engine's scenario
    "console": 3,
    "usage": 3,  # the command line's Chinese usage errors (cli.py's root group)
    "rosters": 4,
    "work_injury": 5,  # the work-injury lists and their checks (issue #21)
    "comparison": 6,
    "plan": 6,  # the ledger's person marks read the work-injury lists
    "bills": 6,
    "collection": 7,
    "statistics": 7,  # reads the comparison and the plan, as collection does
    "costing": 7,  # 政策测算: the plan's reading and evaluation, baseline and reform (#22)
    "lakejobs": 7,  # the comparison over the plan's lake export (#24)
    "synth": 8,
    "web": 9,
    "cli": 10,
    "settings": 10,
}
#: What a package may import besides lower ranks (the written exceptions).
ALLOWED: dict[str, set[str]] = {
    # The policy is pure: no database, no web, no engine — only core.
    "policy": {"core"},
    "registry": {"core"},
    "store": {"core"},
    "lakehouse": {"core"},  # files and checksums; what the tables mean is the plan's
    # The engine runs the policy over tables; it knows no registry or store.
    "engine": {"core", "policy"},
}


def package_of(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return parts[0]


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, imported doudi package) of every import in the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = node.module.split(".")
            if names[0] != "doudi":
                continue
            if len(names) > 1:
                found.append((node.lineno, names[1]))
            else:  # from doudi import core, plan …
                found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names = alias.name.split(".")
                if names[0] == "doudi":
                    found.append((node.lineno, names[1] if len(names) > 1 else "__init__"))
    return found


MODULES = sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def test_every_package_has_a_rank() -> None:
    assert {package_of(p) for p in MODULES} <= set(RANK)


def violations(own: str, imported: list[tuple[int, str]]) -> list[str]:
    """The imports of a module of package ``own`` that break the rules."""
    wrong = []
    for line, other in imported:
        if other == own:
            continue
        ok = other in ALLOWED[own] if own in ALLOWED else RANK[other] < RANK[own]
        if not ok:
            wrong.append(f"line {line}: {own} imports {other}")
    return wrong


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_down_only(path: Path) -> None:
    wrong = violations(package_of(path), imports_of(path))
    assert not wrong, f"{path.relative_to(SRC)}: " + "; ".join(wrong)


@pytest.mark.parametrize(
    ("own", "other", "ok"),
    [
        ("policy", "engine", False),  # the policy is pure
        ("policy", "core", True),
        ("engine", "store", False),  # the engine knows no database
        ("store", "plan", False),  # the store serves domains, never imports one
        ("plan", "comparison", False),  # domains of one rank stay apart
        ("plan", "work_injury", True),  # the ledger's marks read the work-injury lists
        ("work_injury", "plan", False),
        ("collection", "plan", True),
        ("rosters", "collection", False),  # a domain imports only earlier ones
        ("web", "synth", True),
    ],
)
def test_the_rules_catch_an_arrow_that_runs_back_up(own: str, other: str, ok: bool) -> None:
    assert (not violations(own, [(1, other)])) is ok
