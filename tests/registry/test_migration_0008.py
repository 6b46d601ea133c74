"""Migration registry/0008 (issue #19 §1, decision 0010), on SQLite and PostgreSQL: a
registry whose statement counted bookings twice (a part booked again under version 2)
keeps the first booking of each person, year and payer; versions of one region that
share a number under two jurisdictions are renumbered in the order they were made.
"""

from __future__ import annotations

from datetime import date

from django.core.management import call_command
from tests.collection.test_bank import load, pay_herself

from doudi.collection.withholding import export_withholding
from doudi.store import db


def migrate(registry: db.Database, target: str | None = None) -> None:
    args = ["registry", target] if target else []
    call_command("migrate", *args, database=registry.alias, verbosity=0, interactive=False)


def test_the_migration_keeps_the_first_booking_of_a_person_year(registry, tmp_path):
    v1 = load(registry, tmp_path)
    pay_herself(registry, tmp_path)
    # C's 100 (civil affairs) and D's post-hoc 70 (poverty office), booked under v1
    export_withholding(registry, v1, "500102", tmp_path / "bank", on=date(2018, 6, 1))
    first = {r["id"] for r in registry.read("registry_booking").to_pylist()}
    assert len(first) == 2
    try:
        migrate(registry, "0007_withholding_requested_on")
        with registry.transaction() as con:
            # what the old code did with a second version: the same parts booked again
            db.execute(
                con,
                "INSERT INTO registry_plan_version (jurisdiction, region, year, number, "
                "inputs_checksum, inputs_path, people, targets, gov_paid, self_due, "
                "created_by, created_at) SELECT jurisdiction, region, year, 2, 'v2', "
                "inputs_path, people, targets, gov_paid, self_due, created_by, created_at "
                "FROM registry_plan_version WHERE id = ?",
                (v1,),
            )
            v2 = db.scalar(con, "SELECT max(id) FROM registry_plan_version")
            db.execute(
                con,
                "INSERT INTO registry_booking (plan_version_id, person_id, year, payer, "
                "amount, kind, booked_on, settlement_year, basis) SELECT ?, person_id, year, "
                "payer, amount, kind, booked_on, settlement_year, basis FROM registry_booking",
                (v2,),
            )
            # the same region planned under another jurisdiction, also numbered 1
            db.execute(
                con,
                "INSERT INTO registry_plan_version (jurisdiction, region, year, number, "
                "inputs_checksum, inputs_path, people, targets, gov_paid, self_due, "
                "created_by, created_at) SELECT '000000', region, year, 1, 'other', "
                "inputs_path, people, targets, gov_paid, self_due, created_by, created_at "
                "FROM registry_plan_version WHERE id = ?",
                (v1,),
            )
        assert registry.read("registry_booking").num_rows == 4
    finally:
        migrate(registry)
    assert {r["id"] for r in registry.read("registry_booking").to_pylist()} == first
    numbers = registry.read("registry_plan_version").column("number").to_pylist()
    assert sorted(numbers) == [1, 2, 3]
