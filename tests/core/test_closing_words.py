"""A status or enrollment period an import ends is 关闭 wherever a caseworker meets it
(issue #23 §1): the dry run's change kinds, the confirmation it asks for (须确认关闭),
the import batch's count (关闭期间) and the audit log's action name it alike."""

from __future__ import annotations

from doudi.core import vocab


def test_a_closed_period_is_named_alike_in_the_dry_run_and_the_audit_log(_django):
    from doudi.registry.models import ImportBatch

    assert vocab.PERIOD_CHANGE["close"] == "关闭"
    assert vocab.AUDIT_ACTION["close"] == "身份或参保关闭"
    assert ImportBatch._meta.get_field("periods_closed").verbose_name == "关闭期间"
    assert not any("结束" in label for label in vocab.PERIOD_CHANGE.values())
