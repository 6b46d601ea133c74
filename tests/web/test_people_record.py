"""What the person page and the person API show beside the person (web/people.py
``record``), read by plain SQL on SQLite and on PostgreSQL: dates as ISO text, money to
the fen, the plan's parts with their clauses, the bills through every payer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import support
from doudi.bills import importing as bills
from doudi.plan import versions as plan


def person(registry, id_number: str):
    from doudi.registry.models import Person

    return Person.objects.using(registry.alias).get(id_number=id_number)


def record_of(registry, id_number: str) -> dict:
    from doudi.web import people

    return people.record(person(registry, id_number))


def test_the_record_of_a_planned_person_CQ_2018_82_2_1_1(registry, tmp_path):
    support.load_plan_people(registry, tmp_path)
    plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans")
    record = record_of(registry, support.id17(support.PEOPLE[0][0]))
    # registered poor since 2017-06-01, enrolled 2015-01-01 on the 100-yuan tier
    assert record["statuses"] == [
        {
            "status": "registered_poor",
            "label": "建档立卡贫困人口",
            "department": record["statuses"][0]["department"],
            "from": "2017-06-01",
            "to": None,
            "exit_date": None,
        }
    ]
    (pension,) = [e for e in record["enrollments"] if e["scheme"] == "resident_pension"]
    assert (pension["from"], pension["to"], pension["tier"], pension["receiving"]) == (
        "2015-01-01",
        None,
        "100.00",
        False,
    )
    # CQ-2018-82/2.1.1: the poverty office pays 70 of the 100-yuan tier; 100 − 70 = 30 own
    (year,) = record["plans"]
    assert (year["year"], year["number"], year["jurisdiction"]) == (2018, 1, "500000")
    parts = {p["payer"]: p["amount"] for p in year["parts"]}
    assert parts == {"poverty_office": "70.00", "self": "30.00"}
    assert (year["gov_paid"], year["self_due"]) == ("70.00", "30.00")
    gov = next(p for p in year["parts"] if p["payer"] == "poverty_office")
    assert "CQ-2018-82/2.1.1" in gov["basis"]
    assert record["bills"] == []


def test_the_record_settles_bills_by_the_registry_status_JX_2017_58_2_2_4(registry, tmp_path):
    support.load_bills_people(registry, tmp_path)
    path = support.write(
        tmp_path / "bills.csv",
        [
            f"JX-001,{support.POOR},2018-03-01,2018-03-10,二级,是,12000,10000",
            f"JX-002,{support.POOR},2018-05-01,2018-05-20,三级,否,60000,50000",
        ],
    )
    bills.import_bills(registry, path, "360000")
    first, second = record_of(registry, support.POOR)["bills"]
    # basic 80% × (10000 − 400) = 7680.00; critical illness 400; assistance 70% × 1920
    assert support.paid(first) == {
        "basic": "7680.00",
        "critical_illness": "400.00",
        "assistance": "1344.00",
    }
    assert (first["level_label"], first["discharge_date"]) == ("二级", date(2018, 3, 10))
    assert [x["payer"] for x in first["paying_layers"]] == [
        "basic",
        "critical_illness",
        "assistance",
    ]
    total = sum((Decimal(x["amount"]) for x in first["layers"]), Decimal(first["patient_pays"]))
    assert total + Decimal(first["hospital_bears"]) == Decimal("12000.00")
    # the second bill is the same as when settled from the registry's tables directly
    assert second["layers"] == support.settled(registry, support.POOR)[1]["layers"]


def test_the_page_the_api_and_the_plan_read_a_person_alike_CQ_2018_82_2_1_1(
    registry, tmp_path, monkeypatch
):
    """Issue #18: a person whose latest enrollment names no tier. The plan takes the tier
    of the latest enrollment that names one (200); the page and the API explain the same
    person through web.people.explain, which must read the person as the plan does."""
    from doudi.store import db
    from doudi.web import people

    support.load_plan_people(registry, tmp_path)
    wang = support.id17(support.PEOPLE[1][0])  # dibao since 2017-06-01, tier 200
    who = person(registry, wang)
    with registry.transaction() as con:
        batch = db.scalar(con, "SELECT max(id) FROM registry_import_batch")
        db.execute(
            con,
            "INSERT INTO registry_enrollment (person_id, scheme, region_code, valid_from,"
            " valid_to, contribution_tier, receiving, batch_id)"
            " VALUES (?, 'resident_pension', '500102', ?, NULL, NULL, ?, ?)",
            (who.pk, date(2018, 2, 1), False, batch),
        )
    version = plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans")
    planned = {
        p["payer"]: p["amount"]
        for y in people.record(who)["plans"]
        if y["version"] == version.version_id
        for p in y["parts"]
    }
    # in the web process: through Django's connection only (decision 0007), and without
    # the plan's process-wide allocator switches (plan/memory.py)
    from doudi.plan import memory

    def forbidden(*args, **kwargs):
        raise AssertionError("the web process must not call this")

    monkeypatch.setattr(db.Database, "_connect", forbidden)
    monkeypatch.setattr(memory, "plan_memory", forbidden)
    explained = people.explain(person(registry, wang), 2018)["resident_pension"]
    # CQ-2018-82/2.1.1: 70% × 100 (minimum tier) = 70.00 paid; 200 − 70 = 130.00 own part
    assert planned == {"civil_affairs": "70.00", "self": "130.00"}
    assert (explained["gov_paid"], explained["self_due"]) == ("70.00", "130.00")
