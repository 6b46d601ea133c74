"""A synthetic 南昌市 (360100) of 400 people imported into a registry (SQLite unless
given another) and exported to a lake, for the tests of a costing over a lake export
(``doudi cost --lake``), and the reforms they cost: those that read the registry as
the baseline does (parameter overrides, Chongqing's rules) and one that does not (a
shorter tier list)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from costing_people import reform

from conftest import REPO
from doudi.costing.reform import Reform
from doudi.plan import lake
from doudi.store import db
from support import load_synthetic

REGION = "360100"
JIANGXI = "360000"


@dataclass(frozen=True)
class Exported:
    registry: db.Database
    lake: Path


def exported(folder: Path, registry: db.Database | None = None) -> Exported:
    """The city imported into ``registry`` (an empty, migrated one; by default a SQLite
    registry of its own in ``folder``) and exported to ``folder/lake``."""
    if registry is None:
        registry = db.register(f"sqlite_{folder.name}", f"sqlite:///{folder}/registry.sqlite3")
        registry.migrate()
    load_synthetic(registry, REGION, 400, folder / "files")
    (folder / "lake").mkdir()
    lake.export(registry, REGION, 2018, lake.target(REGION, str(folder / "lake")))
    return Exported(registry, folder / "lake")


def reforms() -> dict[str, Reform]:
    """The reforms a lake's costing runs: both read the registry as the baseline does."""
    return {
        # JX-2017-58/2.1.1's 100 yuan a year the county pays, raised to 150
        "a parameter override": reform({"resident_pension.gov_paid_amount": 150}),
        "Chongqing's rules": _load("chongqing-rules-on-jiangxi.yaml"),
        # NAT-2017-59/2.1: the minimum raised, the old one kept for the poor, so the
        # tiers a person may hold are the same list (policy.tiers.allowed)
        "minimum tier 200": _load("jiangxi-minimum-tier-200.yaml"),
    }


def shorter_tier_list() -> Reform:
    """A reform of the tier list (GF-2014-8/5.1's without 200, 400 and 600 yuan): its
    rules hold the registry's tiers against another list than the export's inputs."""
    tiers = [100, 300, 500, 700, 800, 900, 1000, 1500, 2000]
    return reform({"resident_pension.tiers": tiers})


def _load(name: str) -> Reform:
    from doudi.costing.reform import load

    return load(REPO / "examples" / "reforms" / name)
