"""The year's plan for each of the five documents' jurisdictions (issue #5): a synthetic
county of each is imported and planned, and the plan's rows add up exactly — per
person, the payers' parts are the government's part the rules computed (splits sum to
the whole, to the fen); per version, the payers' totals are the version's total.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest

from doudi.engine import backend
from doudi.plan import inputs
from doudi.plan import versions as plan
from doudi.rosters.importing import import_roster
from doudi.synth.departments import synthesize

# a synthetic county per jurisdiction, imported and planned
pytestmark = pytest.mark.slow

MARCH = date(2018, 3, 31)
#: jurisdiction → a county of it, and the payers its documents name
COUNTIES = {
    "360000": ("360102", {"county"}),  # JX-2017-58/2.1.1: 县（市、区）政府
    "130200": ("130203", {"province", "city", "county"}),  # HE-2018-3/2.1.1: 1:1:1
    "370000": ("370102", {"local_government"}),  # SD-2017-37/2.1: 地方人民政府
    "510400": ("510402", {"county"}),  # PZH-2018-195/1.1: 各县（区）
    # CQ-2018-82/2.1.1: 民政、扶贫; the severely disabled's payer is local-config
    "500000": ("500102", {"civil_affairs", "poverty_office", "disabled_federation"}),
}


@pytest.mark.parametrize("registry", ["sqlite"], indirect=True)
@pytest.mark.parametrize("jurisdiction", list(COUNTIES))
def test_plans_of_the_five_jurisdictions_add_up_exactly(registry, tmp_path, jurisdiction):
    county, payers = COUNTIES[jurisdiction]
    manifest = synthesize(county, 800, tmp_path, as_of=MARCH, seed=5, file_format="csv")
    for f in manifest.files:
        import_roster(registry, tmp_path / f.path, f.source, MARCH)
    result = plan.run_plan(registry, jurisdiction, 2018, snapshots=tmp_path / "plans")
    assert result.targets > 10, "a county with 8% poor has targets"
    rows = registry.read(
        "registry_contribution", f"WHERE plan_version_id = {result.version_id}"
    ).to_pylist()
    gov: dict[int, Decimal] = defaultdict(Decimal)
    for r in rows:
        if r["payer"] != "self":
            gov[r["person_id"]] += r["amount"]
            assert r["basis"], "every amount cites its clauses"
    assert sum(gov.values(), Decimal(0)) == result.gov_paid == sum(result.by_payer.values())
    # the rules' own government part per person equals the sum of the payers' rows
    people, statuses = inputs.engine_inputs(registry, jurisdiction, 2018)
    out = backend.plan(jurisdiction, 2018).run(people, statuses).to_pylist()
    computed = {r["row_no"]: r["rp_gov_paid"] for r in out if r["rp_eligible"] and r["rp_gov_paid"]}
    assert computed == dict(gov)
    assert all(amount > 0 for amount in gov.values())
    assert set(result.by_payer) == payers
