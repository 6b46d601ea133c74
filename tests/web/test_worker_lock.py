"""A web job that finds another writing job at work (issue #19 §3, decision 0011): its
stage says that it waits, and past the limit it fails with the Chinese reason, not a
traceback."""

from __future__ import annotations

from typing import Any

from tests.web.test_web import _web_db, settings_override  # noqa: F401

from locking import writer_lock_held


def test_a_web_job_says_it_waits_and_is_refused_in_chinese_past_the_limit(
    _web_db: Any,  # noqa: F811
    settings_override: None,  # noqa: F811
    monkeypatch: Any,
) -> None:
    from doudi.web import worker
    from doudi.web.models import Job

    monkeypatch.setenv("DOUDI_WRITER_WAIT", "0.5")
    job = Job.objects.create(
        kind="withhold", params={"version": 1, "region": "500102"}, created_by="经办人"
    )
    with writer_lock_held(_web_db):
        assert worker.run_pending() == 1
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.stage == worker.WAITING_STAGE
    assert job.error.startswith("另一项写入任务仍在进行")
    assert "Traceback" not in job.error
