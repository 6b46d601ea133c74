"""The ledger's payer shares in Excel are rates (issue #19 §6), on SQLite and
PostgreSQL: the fraction as a number shown as ``0.00%``, not a percent count shown
as a plain number."""

from __future__ import annotations

from doudi.plan import versions as plan
from doudi.plan.ledger_workbook import ledger_workbook
from support import cells, load_plan_people, read_typed


def test_the_payers_shares_are_percentages_CQ_2018_82_2_1_1(registry, tmp_path):
    """Chongqing 2018, minimum tier 100: 王强 (dibao) 70 and 赵兰 (tekun) 100 by civil
    affairs, 李梅 (registered poor) 70 by the poverty office; 张伯 is over 60. Of 240.00:
    170.00 → 70.833… → 70.83 %, 70.00 → 29.166… → 29.17 %."""
    load_plan_people(registry, tmp_path)
    version = plan.run_plan(registry, "500000", 2018, snapshots=tmp_path / "plans").version_id
    path = tmp_path / "台账.xlsx"
    ledger_workbook(registry, version, path)
    payers = read_typed(path, "付款方")
    assert payers.column_names == ["付款方代码", "付款方", "金额", "占比"]
    assert payers.column("占比").to_pylist() == [0.7083, 0.2917]
    stored = cells(path, 3)  # 付款方: the third sheet
    assert (stored["D2"], stored["D3"]) == (("0.7083", "0.00%"), ("0.2917", "0.00%"))
