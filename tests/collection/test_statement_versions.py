"""The withholding cycle over two versions of a plan (issue #19 §1, decision 0010), on
SQLite and PostgreSQL: a part is booked once per person, year and payer whatever the
version, and the 31 August statement names the version it reconciles with and counts
each booking once (it doubled the government part and the post-hoc subsidies).

The people and the first half of the cycle are test_bank's (CQ-2018-82/2.1.1; 70 =
100 × 70% of the minimum tier, 100 = 全额代缴 for 特困人员):

- version 1: D paid 100 herself on 02-10 → post-hoc subsidy 70 (poverty office); the
  request of 06-01 books C's 100 (civil affairs, nothing to withhold); the return of
  07-10: A paid her 30 → deemed received 70 (poverty office); B and F short.
- June's pension extract moves B from tier 200 to 300 → version 2 (B: 70 / 230 self).
- version 2's request of 08-01 books nothing again (before: C 100, D 70 and A 70 a
  second time); it asks B for 230 and F for 30, the return of 08-20 pays both →
  deemed received B 70 (civil affairs) and F 70 (poverty office), before 31 August.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pyarrow as pa
import pytest
from test_bank import ID, PEOPLE, answer, bookings, load, pay_herself, write_csv
from typer.testing import CliRunner

from doudi.collection.returns import import_return
from doudi.collection.statement import cutoff_statement
from doudi.collection.withholding import export_withholding
from doudi.plan import versions as plan
from doudi.rosters.importing import import_roster
from doudi.store import db

JULY = date(2018, 7, 10)


def first_version_cycle(registry: db.Database, tmp_path) -> int:
    """Version 1, D's own payment, the 06-01 request and the 07-10 return."""
    version = load(registry, tmp_path)
    pay_herself(registry, tmp_path)
    first = export_withholding(registry, version, "500102", tmp_path / "bank", on=date(2018, 6, 1))
    short = {ID["A"]: ("30.00", "0000"), ID["B"]: ("0.00", "1001"), ID["F"]: ("0.00", "1001")}
    import_return(registry, answer(first.path, tmp_path / "HP1.txt", JULY, short))
    return version


def second_version(registry: db.Database, tmp_path) -> plan.PlanResult:
    """June's pension extract: B on tier 300; the plan run again."""
    columns = {
        "公民身份号码": list(ID.values()),
        "姓名": [v[1] for v in PEOPLE.values()],
        "参保时间": ["2015-01-01"] * len(PEOPLE),
        "缴费档次": ["300" if k == "B" else v[3] for k, v in PEOPLE.items()],
        "银行账号": [v[4] for v in PEOPLE.values()],
    }
    june = write_csv(tmp_path / "pension-june.csv", columns)
    import_roster(registry, june, "resident_pension", date(2018, 6, 30))
    return plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans")


def test_cq_2018_82_2_1_1_a_second_version_books_nobody_twice(registry, tmp_path):
    first_version_cycle(registry, tmp_path)
    once = bookings(registry)
    assert set(once) == {
        (ID["C"], "civil_affairs"),
        (ID["D"], "poverty_office"),
        (ID["A"], "poverty_office"),
    }
    v2 = second_version(registry, tmp_path)
    assert v2.created and v2.number == 2
    request = export_withholding(
        registry, v2.version_id, "500102", tmp_path / "bank", on=date(2018, 8, 1)
    )
    # C, D and A were booked under version 1: not again under version 2
    assert (request.booked.deemed_received, request.booked.post_hoc_subsidy) == (0, 0)
    assert bookings(registry) == once
    assert registry.read("registry_booking").num_rows == 3
    # B owes 300 − 70 = 230 now, F still 30; A paid, C owes nothing, D paid it all
    assert (request.lines, request.total) == (2, Decimal("260.00"))
    # version 2's ledger shows the parts booked under version 1 (they are booked)
    from doudi.plan.ledger import ledger

    rows = {r["id_number"]: r for r in ledger(registry, v2.version_id).people.to_pylist()}
    assert {k: (rows[ID[k]]["booking"], rows[ID[k]]["booked_on"]) for k in "ACD"} == {
        "A": ("视同实收", JULY),
        "C": ("视同实收", date(2018, 6, 1)),
        "D": ("事后补助", date(2018, 2, 10)),
    }


def test_cq_2018_82_2_1_1_the_statement_names_its_version_and_doubles_nothing(registry, tmp_path):
    first_version_cycle(registry, tmp_path)
    v2 = second_version(registry, tmp_path)
    request = export_withholding(
        registry, v2.version_id, "500102", tmp_path / "bank", on=date(2018, 8, 1)
    )
    paid = {ID["B"]: ("230.00", "0000"), ID["F"]: ("30.00", "0000")}
    import_return(registry, answer(request.path, tmp_path / "HP2.txt", date(2018, 8, 20), paid))

    statement = cutoff_statement(registry, "500000", 2018, "500102")
    totals = {
        (r["payer"], r["kind"]): (r["people"], r["amount"]) for r in statement.totals.to_pylist()
    }
    # civil affairs: C 100 (v1, 06-01) + B 70 (v2, 08-20) = 170;
    # poverty office deemed received: A 70 (v1, 07-10) + F 70 (v2, 08-20) = 140;
    # post-hoc subsidy: D 70 (v1, 02-10). Before: C, A and D counted twice (270, 210, 140).
    assert totals == {
        ("civil_affairs", "deemed_received"): (2, Decimal("170.00")),
        ("poverty_office", "deemed_received"): (2, Decimal("140.00")),
        ("poverty_office", "post_hoc_subsidy"): (1, Decimal("70.00")),
    }
    assert statement.details.num_rows == 5 and statement.carried.num_rows == 0
    assert [v.number for v in statement.versions] == [2]
    assert statement.summary_zh()[1] == "  依据 2018 年第 2 版缴费计划（500000 重庆市）"


def test_the_cutoff_command_states_the_version(registry, tmp_path, monkeypatch):
    from doudi.collection import cli

    first_version_cycle(registry, tmp_path)
    second_version(registry, tmp_path)
    monkeypatch.setattr(cli, "open_registry", lambda: registry)
    out = CliRunner().invoke(
        cli.app, ["cutoff", "--jurisdiction", "500000", "--year", "2018", "--region", "500102"]
    )
    assert out.exit_code == 0, out.output
    assert "依据 2018 年第 2 版缴费计划（500000 重庆市）" in out.output
    # civil affairs: C 100 once; poverty office: A 70 deemed received and D 70 post-hoc,
    # once each (before: 200.00, 140.00 and 140.00)
    assert "：1 人，100.00 元" in out.output and out.output.count("：1 人，70.00 元") == 2
    assert "200.00" not in out.output and "140.00" not in out.output


def test_the_registry_refuses_a_second_booking_of_a_person_year_and_payer(registry, tmp_path):
    """The constraint behind it (one_booking_per_person_year): a booking of C's part
    under version 2 is refused although version 1 holds it, whoever writes it."""
    first_version_cycle(registry, tmp_path)
    v2 = second_version(registry, tmp_path)
    c = registry.read("registry_booking", "WHERE payer = 'civil_affairs'")
    again = c.set_column(
        c.schema.get_field_index("plan_version_id"),
        "plan_version_id",
        pa.array([v2.version_id], pa.int64()),
    ).drop_columns(["id"])
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"), registry.transaction() as con:
        db.ingest(con, registry, "registry_booking", again)
    assert registry.read("registry_booking").num_rows == 3


def test_cq_2018_82_2_1_1_a_line_waiting_under_version_1_is_not_asked_again(registry, tmp_path):
    """B and F are asked on 06-01 (version 1) and no return has come yet; version 2's
    request of 06-20 lists them as waiting instead of asking the bank a second time
    (before: a second line each, and the bank would deduct twice)."""
    version = load(registry, tmp_path)
    pay_herself(registry, tmp_path)
    first = export_withholding(registry, version, "500102", tmp_path / "bank", on=date(2018, 6, 1))
    assert first.lines == 3  # A 30, B 130, F 30
    v2 = second_version(registry, tmp_path)
    again = export_withholding(
        registry, v2.version_id, "500102", tmp_path / "bank", on=date(2018, 6, 20)
    )
    assert again.lines == 0 and again.total == Decimal("0.00")
    waiting = [r for r in again.left_out.to_pylist() if "尚未回盘" in r["reason"]]
    assert len(waiting) == 3
