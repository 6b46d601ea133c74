"""A job's stage on its page is in the user's language (issue #19 §4: "完成 / done"): the
jobs name their stages "中文 / English", as the command line prints them, and a page or
the API shows the Chinese one (the English one for a user who chose English)."""

from __future__ import annotations


def test_a_stage_is_shown_in_one_language(_django: None) -> None:
    from django.template.loader import render_to_string

    from doudi.web.models import Job

    job = Job(pk=7, kind="plan", state="done", stage="完成 / done", progress=100)
    assert (job.stage_zh, job.stage_en) == ("完成", "done")
    page = render_to_string("web/_job.html", {"job": job, "LANGUAGE_CODE": "zh-hans"})
    assert "<span>完成</span>" in page and "/ done" not in page
    english = render_to_string("web/_job.html", {"job": job, "LANGUAGE_CODE": "en"})
    assert "<span>done</span>" in english and "完成 /" not in english


def test_a_stage_without_english_stays_chinese(_django: None) -> None:
    from doudi.web.models import Job

    assert Job(stage="读取登记库").stage_in("en") == "读取登记库"
