"""Chongqing's withholding cycle (collection/, CQ-2018-82/2.1.1), on SQLite
and PostgreSQL: the request file of the self-paid remainders, the bank's return,
deemed-received and post-hoc bookings, the 31 August statement and the carry-over.

The registry: six Chongqing people of 500102, all on their lists since 2016 (so 上年经认定
for 2018), born in the 1970s (under 60), the minimum tier being 100 yuan:

======  ==============  ====  =========================  ===========================
person  status          tier  plan (gov part / self)      what happens
======  ==============  ====  =========================  ===========================
A       registered poor 100   70 poverty office / 30      withheld 30, paid 07-10
B       dibao           200   70 civil affairs / 130      50 of 130 on 07-10, 80 on 09-05
C       tekun           100   100 civil affairs / 0       nothing to withhold
D       registered poor 100   70 poverty office / 30      paid 100 herself on 02-10
E       registered poor 100   70 poverty office / 30      no bank account on file
F       registered poor 100   70 poverty office / 30      balance short 07-10, paid 09-05
======  ==============  ====  =========================  ===========================

70 = 100 × 70% (最低档次标准的70%), 100 = 全额代缴 for 特困人员; self = tier − gov part.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from conftest import kill_during
from doudi.collection import bankfile
from doudi.collection.cycle import BankError, Calendar
from doudi.collection.payments import PaymentsReport, import_payments
from doudi.collection.returns import import_return
from doudi.collection.statement import cutoff_statement, statement_workbook
from doudi.collection.withholding import export_withholding
from doudi.plan import versions as plan
from doudi.rosters.importing import import_roster
from doudi.store import db

MARCH = date(2018, 3, 31)
PEOPLE = {
    "A": ("50010219750101001", "甲一", "poverty", "100", "6217000000000000011"),
    "B": ("50010219760202002", "乙二", "dibao", "200", "6217000000000000022"),
    "C": ("50010219770303003", "丙三", "tekun", "100", "6217000000000000033"),
    "D": ("50010219780404004", "丁四", "poverty", "100", "6217000000000000044"),
    "E": ("50010219790505005", "戊五", "poverty", "100", ""),
    "F": ("50010219700606006", "己六", "poverty", "100", "6217000000000000066"),
}


def full_id(first17: str) -> str:
    from doudi.core.idnumber import check_character

    return first17 + check_character(first17)


ID = {k: full_id(v[0]) for k, v in PEOPLE.items()}


def write_csv(path: Path, columns: dict[str, list[str]]) -> Path:
    pacsv.write_csv(pa.table(columns), path)
    return path


def load(registry: db.Database, tmp_path: Path) -> int:
    """Import the lists and the pension extract; plan Chongqing 2018; the version id."""
    for source in ("poverty", "dibao", "tekun"):
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
        "缴费档次": [v[3] for v in PEOPLE.values()],
        "银行账号": [v[4] for v in PEOPLE.values()],
    }
    import_roster(registry, write_csv(tmp_path / "pension.csv", columns), "resident_pension", MARCH)
    result = plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans")
    return result.version_id


def pay_herself(registry: db.Database, tmp_path: Path) -> PaymentsReport:
    columns = {
        "公民身份号码": [ID["D"]],
        "姓名": [PEOPLE["D"][1]],
        "缴费金额": ["100.00"],
        "到账日期": ["2018-02-10"],
        "缴费流水号": ["JF2018000001"],
    }
    path = write_csv(tmp_path / "payments.csv", columns)
    return import_payments(registry, path, 2018)


def answer(request: Path, out: Path, on: date, results: dict[str, tuple[str, str]]) -> Path:
    """The bank's return: per ID number, (amount deducted, result code)."""
    text = bankfile.decode(request.read_bytes())
    records = [r.split("|") for r in text.split(bankfile.EOL) if r]
    lines, outcome = [], []
    for f in records[1:-1]:
        lines.append(bankfile.RequestLine(int(f[1]), f[2], f[3], f[4], Decimal(f[5])))
        deducted, code = results[f[4]]
        outcome.append((Decimal(deducted), on if Decimal(deducted) else None, code))
    out.write_bytes(bankfile.write_return(records[0][3], on, lines, outcome))
    return out


def bookings(registry: db.Database) -> dict[tuple[str, str], tuple[str, Decimal, date, int]]:
    ids = {r["id"]: r["id_number"] for r in registry.read("registry_person").to_pylist()}
    return {
        (ids[r["person_id"]], r["payer"]): (
            r["kind"],
            r["amount"],
            r["booked_on"],
            r["settlement_year"],
        )
        for r in registry.read("registry_booking").to_pylist()
    }


def counts(registry: db.Database) -> tuple[int, ...]:
    tables = ("registry_payment", "registry_booking", "registry_bank_return")
    return tuple(registry.read(t).num_rows for t in tables)


def test_cq_2018_82_2_1_1_the_whole_withholding_cycle(registry, tmp_path):
    version = load(registry, tmp_path)
    assert pay_herself(registry, tmp_path).recorded == 1
    out = tmp_path / "bank"

    # 生成剩余自付参保费用的缴费计划，通过委托银行……代扣代缴；11月30日前足额存入
    first = export_withholding(registry, version, "500102", out, on=date(2018, 6, 1))
    assert first.deadline == date(2018, 11, 30)
    assert (first.lines, first.total) == (3, Decimal("190.00"))  # A 30 + B 130 + F 30
    assert first.left_out.column("id_number").to_pylist() == [ID["E"]]  # no account
    assert first.left_out.column("owed").to_pylist() == [Decimal("30.00")]
    text = first.path.read_bytes().decode("gbk")
    assert text.startswith("H|DOUDI-DK|1|5001022018000")
    assert text.endswith("T|3|190.00\r\n")
    assert f"|6217000000000000022|乙二|{ID['B']}|130.00|" in text
    # C owes nothing: booked at once; D paid the whole 100 herself: post-hoc subsidy
    assert first.booked.deemed_received == 1 and first.booked.post_hoc_subsidy == 1
    assert bookings(registry) == {
        (ID["C"], "civil_affairs"): ("deemed_received", Decimal("100.00"), date(2018, 6, 1), 2018),
        (ID["D"], "poverty_office"): (
            "post_hoc_subsidy",
            Decimal("70.00"),
            date(2018, 2, 10),
            2018,
        ),
    }

    # the return: A paid, B partly (50 of 130), F balance short
    july = date(2018, 7, 10)
    results = {
        ID["A"]: ("30.00", "0000"),
        ID["B"]: ("50.00", "0001"),
        ID["F"]: ("0.00", "1001"),
    }
    returned = answer(first.path, tmp_path / "HP1.txt", july, results)
    report = import_return(registry, returned)
    assert (report.paid, report.partly_paid, report.failed) == (1, 1, 1)
    assert report.deducted == Decimal("80.00") and report.pending == 0
    # 在足额收到个人缴费后，从到款的当月……作视同实收处理: A only
    assert bookings(registry)[(ID["A"], "poverty_office")] == (
        "deemed_received",
        Decimal("70.00"),
        july,
        2018,
    )
    assert (ID["B"], "civil_affairs") not in bookings(registry)

    # the same return again books nothing
    before = counts(registry)
    assert import_return(registry, returned).already_imported
    assert counts(registry) == before

    # a second request asks only for what is still owed: B 130 − 50 = 80, F 30
    second = export_withholding(registry, version, "500102", out, on=date(2018, 9, 1))
    assert (second.lines, second.total) == (2, Decimal("110.00"))
    september = date(2018, 9, 5)
    results = {ID["B"]: ("80.00", "0000"), ID["F"]: ("30.00", "0000")}
    import_return(registry, answer(second.path, tmp_path / "HP2.txt", september, results))
    booked = bookings(registry)
    # 当年8月31日以后参保缴费所需的代缴……资金纳入次年清算
    assert booked[(ID["B"], "civil_affairs")] == (
        "deemed_received",
        Decimal("70.00"),
        september,
        2019,
    )
    assert booked[(ID["F"], "poverty_office")] == (
        "deemed_received",
        Decimal("70.00"),
        september,
        2019,
    )

    # 截止8月31日的实际代缴和事后应补助人员及费用汇总分别交区县民政局、扶贫办
    statement = cutoff_statement(registry, "500000", 2018, "500102")
    assert statement.calendar.report_due == date(2018, 9, 20)
    totals = {
        (r["payer"], r["kind"]): (r["people"], r["amount"]) for r in statement.totals.to_pylist()
    }
    assert totals == {
        ("civil_affairs", "deemed_received"): (1, Decimal("100.00")),  # C
        ("poverty_office", "deemed_received"): (1, Decimal("70.00")),  # A
        ("poverty_office", "post_hoc_subsidy"): (1, Decimal("70.00")),  # D
    }
    carried = sum(statement.carried.column("amount").to_pylist(), Decimal(0))
    assert carried == Decimal("140.00")  # B 70 + F 70
    following = cutoff_statement(registry, "500000", 2019, "500102")
    assert sum(following.totals.column("amount").to_pylist(), Decimal(0)) == Decimal("140.00")
    book = tmp_path / "statement.xlsx"
    statement_workbook(statement, book)
    assert book.stat().st_size > 0

    # the ledger per person shows the payments and bookings beside the plan
    from doudi.plan.ledger import ledger

    rows = {r["id_number"]: r for r in ledger(registry, version).people.to_pylist()}
    got = {
        k: (rows[ID[k]]["self_paid"], rows[ID[k]]["booking"], rows[ID[k]]["booked_on"])
        for k in "ABCDEF"
    }
    assert got == {
        "A": (Decimal("30.00"), "视同实收", july),
        "B": (Decimal("130.00"), "视同实收", september),  # 50 + 80
        "C": (Decimal("0.00"), "视同实收", date(2018, 6, 1)),
        "D": (Decimal("100.00"), "事后补助", date(2018, 2, 10)),
        "E": (Decimal("0.00"), None, None),
        "F": (Decimal("30.00"), "视同实收", september),
    }


def test_cq_2018_82_2_1_1_a_bad_return_books_nothing(registry, tmp_path):
    version = load(registry, tmp_path)
    first = export_withholding(registry, version, "500102", tmp_path, on=date(2018, 6, 1))
    good = {ID[k]: ("30.00" if k != "B" else "130.00", "0000") for k in "ABDF"}
    path = answer(first.path, tmp_path / "HP.txt", date(2018, 7, 10), good)
    before = counts(registry)
    text = path.read_bytes().decode("gbk")

    unknown = tmp_path / "unknown.txt"
    unknown.write_bytes(text.replace("6217000000000000011", "6217999999999999999").encode("gbk"))
    with pytest.raises(bankfile.BankFileError, match="未知账号「6217999999999999999」"):
        import_return(registry, unknown)

    wrong_total = tmp_path / "total.txt"
    wrong_total.write_bytes(text.replace("T|4|220.00", "T|4|221.00").encode("gbk"))
    with pytest.raises(
        bankfile.BankFileError, match=re.escape("尾记录实扣总额 221.00 与明细合计 220.00 不符")
    ):
        import_return(registry, wrong_total)

    utf8 = tmp_path / "utf8.txt"
    utf8.write_bytes(text.encode("utf-8"))
    with pytest.raises(bankfile.BankFileError, match="实为 UTF-8"):
        import_return(registry, utf8)

    unknown_batch = tmp_path / "batch.txt"
    unknown_batch.write_bytes(text.replace(first.batch_no, "500102201899").encode("gbk"))
    with pytest.raises(BankError, match="未知的代扣批次号"):
        import_return(registry, unknown_batch)
    assert counts(registry) == before

    # a dry run checks and reports, and writes nothing
    report = import_return(registry, path, dry_run=True)
    assert report.paid == 4 and counts(registry) == before


def test_cq_2018_82_2_1_1_a_deduction_outside_request_and_processing_is_refused(registry, tmp_path):
    """Issue #19: a line deducted after the file's processing date (2100) or before the
    request (2017) would move money into another year; the file is refused whole, by
    line, and nothing is booked. The request's own day and the processing day are in."""
    version = load(registry, tmp_path)
    first = export_withholding(registry, version, "500102", tmp_path, on=date(2018, 6, 1))
    paid = {ID[k]: ("130.00" if k == "B" else "30.00", "0000") for k in "ABDF"}
    path = answer(first.path, tmp_path / "HP.txt", date(2018, 7, 10), paid)
    records = path.read_bytes().decode("gbk").split(bankfile.EOL)
    line_of = {r.split("|")[4]: i for i, r in enumerate(records, start=1) if r.startswith("D|")}
    before = counts(registry)

    def dated(name: str, days: dict[str, str]) -> Path:
        out = tmp_path / name
        edited = list(records)
        for who, day in days.items():
            edited[line_of[ID[who]] - 1] = edited[line_of[ID[who]] - 1].replace("20180710", day)
        out.write_bytes(bankfile.EOL.join(edited).encode("gbk"))
        return out

    late = dated("late.txt", {"A": "21000710"})
    with pytest.raises(bankfile.BankFileError) as caught:
        import_return(registry, late)
    assert caught.value.problems == [
        f"第 {line_of[ID['A']]} 行：扣款日期 2100-07-10 晚于回盘文件的银行处理日期 2018-07-10"
    ]
    early = dated("early.txt", {"B": "20170710", "F": "20180531"})
    with pytest.raises(bankfile.BankFileError) as caught:
        import_return(registry, early)
    assert sorted(caught.value.problems) == sorted(
        f"第 {line_of[ID[who]]} 行：扣款日期 {day} 早于代扣请求日期 2018-06-01"
        for who, day in (("B", "2017-07-10"), ("F", "2018-05-31"))
    )
    assert counts(registry) == before  # nothing written
    # the request's day and the processing day themselves are within
    edge = dated("edge.txt", {"A": "20180601"})
    report = import_return(registry, edge)
    assert (report.paid, report.failed) == (4, 0)
    paid_on = {r["paid_on"] for r in registry.read("registry_payment").to_pylist()}
    assert paid_on == {date(2018, 6, 1), date(2018, 7, 10)}


def test_a_withholding_needs_the_cycles_dates_of_the_documents(registry, tmp_path):
    """Only Chongqing's document sets out the withholding cycle; Jiangxi's does not."""
    with pytest.raises(BankError, match="未规定银行代扣"):
        Calendar.of("360000", 2018)
    assert Calendar.of("500000", 2018).settlement_year(date(2018, 8, 31)) == 2018
    assert Calendar.of("500000", 2018).settlement_year(date(2018, 9, 1)) == 2019


def test_payments_are_recorded_once_per_serial_number(registry, tmp_path):
    load(registry, tmp_path)
    assert pay_herself(registry, tmp_path).recorded == 1
    again = pay_herself(registry, tmp_path)
    assert (again.recorded, again.known) == (0, 1)
    assert registry.read("registry_payment").num_rows == 1


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ("D|1|6217|甲|ID|30.00|40.00|20180710|0001|x", "实扣金额 40.00 大于应扣金额 30.00"),
        ("D|1|6217|甲|ID|30.00|20.00|20180710|0000|x", "结果为扣款成功，但实扣 20.00 ≠ 应扣 30.00"),
        ("D|1|6217|甲|ID|30.00|10.00||1002|x", "结果为「账户已销户」，实扣金额应为 0.00"),
        ("D|1|6217|甲|ID|30.00|0.00||9999|x", "未知的银行结果代码「9999」"),
        ("D|1|6217|甲|ID|30|30.00|20180710|0000|x", "应扣金额应为两位小数的金额"),
        ("D|1|6217|甲|ID|30.00|30.00|20180230|0000|x", "扣款日期应为 YYYYMMDD 格式的日期"),
        # issue #19 §4: ten fields led by another letter was "应为 10 个字段，实为 10 个"
        ("X|1|6217|甲|ID|30.00|30.00|20180710|0000|x", "明细记录应以 D 开头，实为「X」"),
        ("D|1|6217|甲|ID|30.00|30.00|20180710|0000", "应为 10 个字段（D|…），实为 9 个"),
    ],
)
def test_a_return_line_that_contradicts_itself_is_refused(record, reason):
    requested = record.split("|")[5]
    deducted = record.split("|")[6]
    head = f"H|DOUDI-HP|1|5001022018000001|20180710|1|{requested}|{deducted}"
    data = "\r\n".join([head, record, f"T|1|{deducted}", ""]).encode("gbk")
    with pytest.raises(bankfile.BankFileError) as caught:
        bankfile.parse_return(data)
    assert any(reason in p for p in caught.value.problems), caught.value.problems


def test_a_return_with_a_repeated_line_is_refused():
    line = "D|1|6217|甲|ID|30.00|30.00|20180710|0000|扣款成功"
    data = "\r\n".join(
        ["H|DOUDI-HP|1|B1|20180710|2|60.00|60.00", line, line, "T|2|60.00", ""]
    ).encode("gbk")
    with pytest.raises(bankfile.BankFileError, match="序号 1 与第 2 行重复"):
        bankfile.parse_return(data)


def test_a_truncated_return_is_refused():
    data = "H|DOUDI-HP|1|B1|20180710|1|30.00|30.00\r\nD|1|6217|甲|ID|30.00|30.00|20180710|0000|x"
    with pytest.raises(bankfile.BankFileError, match="缺少尾记录"):
        bankfile.parse_return(data.encode("gbk"))


@pytest.mark.kill
@pytest.mark.parametrize("step", ["withholding", "bank_return"])
def test_a_killed_withholding_or_return_leaves_the_previous_state(registry, tmp_path, step):
    """SIGKILL after the rows were written, before the commit: nothing is left of it."""
    version = load(registry, tmp_path)
    out = tmp_path / "bank"
    if step == "bank_return":
        first = export_withholding(registry, version, "500102", out, on=date(2018, 6, 1))
        paid = {ID[k]: ("130.00" if k == "B" else "30.00", "0000") for k in "ABDF"}
        target = answer(first.path, tmp_path / "HP.txt", date(2018, 7, 10), paid)
        imports = "from pathlib import Path\nfrom doudi.collection.returns import import_return"
        call = f"import_return(database, Path({str(target)!r}))"
    else:
        imports = (
            "from pathlib import Path\nfrom doudi.collection.withholding import export_withholding"
        )
        call = f"export_withholding(database, {version}, '500102', Path({str(out)!r}))"
    before = counts(registry), registry.read("registry_withholding_batch").num_rows
    kill_during(registry, step, imports, call)
    assert (counts(registry), registry.read("registry_withholding_batch").num_rows) == before
    if step == "withholding":
        assert not list(out.glob("DK_*.txt"))  # the file appears only with its batch
