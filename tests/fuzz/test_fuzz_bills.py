"""`doudi bills` of hostile hospital settlement exports (issue #19 §7), on SQLite and
PostgreSQL, into a registry that knows the Jiangxi patients of tests/bills: exit 0 or
2, never a traceback; a refusal in Chinese that changes no registry table; rejected rows
with row, column and a Chinese reason."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from tests.fuzz.budget import FUZZ
from tests.fuzz.hostile import AMOUNTS, DATES, HostileFile, Table, files
from tests.fuzz.outcome import Outcome, doudi, judge, options  # noqa: F401 (fixture)

from doudi.rosters.importing import import_roster
from doudi.store import db
from support import MARCH, OTHER, OUTSIDE, POOR, roster

#: every example imports a file: seconds a test, on each database (make test runs them)
pytestmark = pytest.mark.slow

MONEY = ("总费用", "政策范围内费用", "不合规费用")
BILLS = Table(
    header=["单据号", "公民身份号码", "入院日期", "出院日期", "医院等级", "县域内", *MONEY],
    rows=[
        ["ZY-1", POOR, "2018-03-01", "2018-03-10", "二级", "是", "12000", "10000", "500"],
        ["ZY-2", OTHER, "2018-04-01", "2018-04-03", "一级", "否", "800.50", "600", "0"],
        ["ZY-3", OUTSIDE, "2018-05-01", "2018-05-20", "三级", "是", "30000", "25000.25", "0"],
    ],
    pools={
        "单据号": ["", "ZY-1", "#1", "ZY-" + "9" * 80, "单据/1", "ZY 1"],
        "公民身份号码": [POOR[:-1] + "0", POOR[:17], "", POOR.lower()],
        "入院日期": DATES,
        "出院日期": DATES,
        "医院等级": ["四级", "0", "1", "01", "11", "转外诊", "referral_out", "二甲", ""],
        "县域内": ["是", "否", "Y", "2", "是否", ""],
        **dict.fromkeys(MONEY, AMOUNTS),
    },
    aliases={
        "单据号": ["结算单据号", "结算编号", "setl_id", "mdtrt_id"],
        "公民身份号码": ["身份证号", "身份证号码", "certno"],
        "总费用": ["医疗总费用", "medfee_sumamt"],
        "县域内": ["县域内就医"],
    },
)


@pytest.fixture
def patients(registry: db.Database, tmp_path) -> None:
    """The patients of tests/bills: a registered poor and an insured person of Jiangxi,
    a registered poor of Chongqing (outside Jiangxi's bills), each province's list its own."""
    since = {"纳入时间": ["2016-06-01"]}
    for n, (number, name) in enumerate([(POOR, "李梅"), (OUTSIDE, "赵兰")]):
        import_roster(
            registry,
            roster(tmp_path / f"poverty{n}.csv", [(number, name)], since),
            "poverty",
            MARCH,
        )
    medical = roster(tmp_path / "medical.csv", [(OTHER, "王强")], {"参保时间": ["2015-01-01"]})
    import_roster(registry, medical, "resident_medical", MARCH)


#: Issue #19 §7's find, kept: a file with CR-only line ends (an old Mac export) ended in
#: the csv module's English traceback.
CR_LINE_ENDS = HostileFile(
    "bills.csv",
    "\r".join(",".join(r) for r in [BILLS.header, BILLS.rows[0]]).encode(),
    ("eol='\\r'",),
)


@FUZZ
@example(hostile=CR_LINE_ENDS, jurisdiction="360000", dry_run=False)
@given(
    hostile=files(BILLS, "bills"),
    jurisdiction=st.sampled_from(["360000", "500000", "999999", "36"]),
    dry_run=st.booleans(),
)
def test_hostile_bills_are_refused_in_chinese_or_imported(
    hostile: HostileFile,
    jurisdiction: str,
    dry_run: bool,
    patients: None,
    doudi: Callable[..., Outcome],  # noqa: F811
    tmp_path,
) -> None:
    path = hostile.written_in(tmp_path)
    outcome = doudi("bills", str(path), *options(dry_run, "--jurisdiction", jurisdiction))
    # a UTF-16 file is named as such, unless the jurisdiction is refused first
    utf16 = hostile.utf16 and jurisdiction in ("360000", "500000")
    judge(outcome, (jurisdiction, hostile), dry_run=dry_run, utf16=utf16)
