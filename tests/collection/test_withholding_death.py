"""The withholding cycle and the death roster (issue #19 §1; CQ-2018-82/2.1.1 with
HE-2018-3/3.2.1 严厉打击死亡冒领; the reading: docs/readings.md 24), on SQLite and
PostgreSQL.

Chongqing people of 500102 on their lists since 2016 (上年经认定 for 2018), tier 100:

======  ===============  ==========  ==========================  =======================
person  status           died        plan (gov part / self)      the cycle
======  ===============  ==========  ==========================  =======================
A       registered poor  —           70 poverty office / 30      withheld 30.00
B       registered poor  2017-10-01  not planned                 nothing
C       registered poor  2018-05-10  70 poverty office / 30      no line: dead on 06-01
D       registered poor  2018-05-10  70 poverty office / 30      paid 100 herself 02-10:
                                                                 post-hoc, booked in life
E       tekun            2018-05-10  100 civil affairs / 0       no deemed received
G       registered poor  2018-05-10  70 poverty office / 30      paid 100 on 05-20 (after
                                                                 the death): not booked
======  ===============  ==========  ==========================  =======================

70 = 100 × 70% (最低档次标准的70%), 100 = 全额代缴 for 特困人员.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from test_bank import write_csv

from doudi.collection.payments import import_payments
from doudi.collection.withholding import export_withholding
from doudi.plan import versions as plan
from doudi.rosters.importing import import_roster
from doudi.store import db
from support import id17

MARCH = date(2018, 3, 31)
JUNE = date(2018, 6, 1)
PEOPLE = {  # ID number, name, list, death date, bank account
    "A": ("500102197501010011", "甲一", "poverty", "", "6217000000000000011"),
    "B": ("500102197602020022", "乙二", "poverty", "2017-10-01", "6217000000000000022"),
    "C": ("500102197703030033", "丙三", "poverty", "2018-05-10", "6217000000000000033"),
    "D": ("500102197804040044", "丁四", "poverty", "2018-05-10", "6217000000000000044"),
    "E": ("500102197905050055", "戊五", "tekun", "2018-05-10", "6217000000000000055"),
    "G": ("500102197006060066", "己六", "poverty", "2018-05-10", "6217000000000000066"),
}
ID = {k: id17(v[0]) for k, v in PEOPLE.items()}


def load(registry: db.Database, tmp_path: Path) -> int:
    """The lists, the pension extract and the death roster; plan Chongqing 2018; the
    people's own payments (D before her death, G after hers). The version id."""
    for source in ("poverty", "tekun"):
        keys = [k for k, v in PEOPLE.items() if v[2] == source]
        columns = {
            "公民身份号码": [ID[k] for k in keys],
            "姓名": [PEOPLE[k][1] for k in keys],
            "纳入时间": ["2016-06-01"] * len(keys),
        }
        import_roster(registry, write_csv(tmp_path / f"{source}.csv", columns), source, MARCH)
    columns = {
        "公民身份号码": list(ID.values()),
        "姓名": [v[1] for v in PEOPLE.values()],
        "参保时间": ["2015-01-01"] * len(PEOPLE),
        "缴费档次": ["100"] * len(PEOPLE),
        "银行账号": [v[4] for v in PEOPLE.values()],
    }
    import_roster(registry, write_csv(tmp_path / "pension.csv", columns), "resident_pension", MARCH)
    dead = [k for k, v in PEOPLE.items() if v[3]]
    columns = {
        "公民身份号码": [ID[k] for k in dead],
        "姓名": [PEOPLE[k][1] for k in dead],
        "死亡日期": [PEOPLE[k][3] for k in dead],
    }
    import_roster(registry, write_csv(tmp_path / "death.csv", columns), "death", JUNE)
    version = plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans").version_id
    payments = {
        "公民身份号码": [ID["D"], ID["G"]],
        "姓名": [PEOPLE["D"][1], PEOPLE["G"][1]],
        "缴费金额": ["100.00", "100.00"],
        "到账日期": ["2018-02-10", "2018-05-20"],
        "缴费流水号": ["JF2018000001", "JF2018000002"],
    }
    assert import_payments(registry, write_csv(tmp_path / "pay.csv", payments), 2018).recorded == 2
    return version


def bookings(registry: db.Database) -> dict[tuple[str, str], tuple[str, Decimal, date]]:
    ids = {r["id"]: r["id_number"] for r in registry.read("registry_person").to_pylist()}
    return {
        (ids[r["person_id"]], r["payer"]): (r["kind"], r["amount"], r["booked_on"])
        for r in registry.read("registry_booking").to_pylist()
    }


def test_HE_2018_3_3_2_1_no_withholding_line_and_no_booking_for_the_dead(registry, tmp_path):
    version = load(registry, tmp_path)
    done = export_withholding(registry, version, "500102", tmp_path / "bank", on=JUNE)
    # issue #19: B (died 2017-10-01) and C (died 2018-05-10) were withheld 30.00 each;
    # now only A's 30.00 is asked for
    assert (done.lines, done.total) == (1, Decimal("30.00"))
    text = done.path.read_bytes().decode("gbk")
    assert ID["A"] in text
    for who in "BCDEG":
        assert ID[who] not in text, who
    # C owes 30.00 and is listed, with her death date and the clause; B is no target
    left = {r["id_number"]: r for r in done.left_out.to_pylist()}
    assert set(left) == {ID["C"]}
    assert left[ID["C"]]["owed"] == Decimal("30.00")
    assert left[ID["C"]]["reason"] == (
        "死亡人员名单记载已于 2018-05-10 死亡，不再代扣（HE-2018-3/3.2.1 严厉打击死亡冒领）"
    )
    # D paid the whole 100 herself on 02-10, in her life: post-hoc subsidy of 70.00;
    # E (tekun, owes 0.00) is not deemed received on 06-01, after her death; G's 100 of
    # 05-20 came after hers: nothing
    assert bookings(registry) == {
        (ID["D"], "poverty_office"): ("post_hoc_subsidy", Decimal("70.00"), date(2018, 2, 10)),
    }
    assert done.booked.deemed_received == 0 and done.booked.post_hoc_subsidy == 1


def test_HE_2018_3_3_2_1_a_request_before_the_death_still_asks(registry, tmp_path):
    """A request dated before the death (2018-05-09) asks C for her 30.00, and E (owing
    nothing) is deemed received that day: both happened in life."""
    version = load(registry, tmp_path)
    day = date(2018, 5, 9)
    done = export_withholding(registry, version, "500102", tmp_path / "bank", on=day)
    assert (done.lines, done.total) == (2, Decimal("60.00"))  # A 30 + C 30
    assert bookings(registry)[(ID["E"], "civil_affairs")] == (
        "deemed_received",
        Decimal("100.00"),
        day,
    )
