"""Long jobs outside the request: a job table (web_job) and a worker that runs them.

A page submits a job and polls it (htmx); ``doudi serve`` starts one worker thread
beside the web server, ``doudi worker`` runs one as its own process. A job is claimed
with a conditional UPDATE, so two workers never run the same one; its stage and
progress are written as it goes; it ends ``done`` with a JSON result or ``failed``
with the Chinese error. The jobs are the domains' own (rosters, comparison, plan,
bills, collection), called unchanged.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from doudi.core import idnumber, vocab
from doudi.web.models import Job
from doudi.web.roles import mask_id

log = logging.getLogger(__name__)
Runner = Callable[[Job, Callable[[str, int], None]], dict[str, Any]]


def work_dir(job: Job) -> Path:
    path = Path(settings.DOUDI_WORK_DIR) / "jobs" / str(job.pk)
    path.mkdir(parents=True, exist_ok=True)
    return path


def submit(kind: str, params: dict[str, Any], user: Any, region: str) -> Job:
    if kind not in RUNNERS:
        raise ValueError(f"unknown job kind {kind!r}")
    return Job.objects.create(
        kind=kind, params=params, created_by=user.get_username(), region=region
    )


def claim() -> Job | None:
    """The oldest queued job, marked running; None when there is none."""
    for job in Job.objects.filter(state="queued").order_by("created_at", "pk")[:5]:
        taken = Job.objects.filter(pk=job.pk, state="queued").update(
            state="running", started_at=timezone.now(), stage="开始 / starting"
        )
        if taken:
            job.refresh_from_db()
            return job
    return None


def run(job: Job) -> None:
    """Run a claimed job to its end."""

    def progress(stage: str, percent: int) -> None:
        Job.objects.filter(pk=job.pk).update(stage=stage[:128], progress=percent)

    try:
        result = RUNNERS[job.kind](job, progress)
    except Exception as exc:  # the job's own Chinese errors, or a bug: the page says which
        log.warning("job %s failed: %s", job.pk, traceback.format_exc())
        # shown on the page and by the API to whoever may see the job: a reason that
        # quotes a cell shows an ID number in it masked, as every page does
        Job.objects.filter(pk=job.pk).update(
            state="failed", error=idnumber.mask_in_text(str(exc)), finished_at=timezone.now()
        )
        return
    Job.objects.filter(pk=job.pk).update(
        state="done", result=result, progress=100, stage="完成 / done", finished_at=timezone.now()
    )


def run_pending() -> int:
    """Run every queued job now (tests, ``doudi worker --once``); how many ran."""
    count = 0
    while (job := claim()) is not None:
        run(job)
        count += 1
    return count


def loop(stop: threading.Event, interval: float = 0.5) -> None:
    """Claim and run jobs until ``stop`` is set."""
    while not stop.is_set():
        close_old_connections()
        job = claim()
        if job is None:
            stop.wait(interval)
            continue
        run(job)


def start_process() -> subprocess.Popen[bytes]:
    """``doudi worker`` as a process of its own beside the web server: the jobs use
    ADBC on the registry, the pages Django; on SQLite these must not share a process
    (decision 0007)."""
    command = [sys.executable, "-c", "from doudi.cli import app; app()", "worker"]
    return subprocess.Popen(command)


# --- the jobs ----------------------------------------------------------------------------

#: A job's stage while another writing job holds the registry (decision 0011).
WAITING_STAGE = "等待另一项写入任务完成 / waiting for another writing job"


def _registry(job: Job) -> Any:
    """The registry as a job writes it: if another writing job holds it, the job's
    stage says so while it waits; past the limit the job fails with the Chinese
    reason (``writer.WriterBusy``) and nothing written."""
    from doudi.store import db, writer

    def notice() -> None:
        Job.objects.filter(pk=job.pk).update(stage=WAITING_STAGE)

    return db.Database(waiting=writer.Waiting(notice=notice))


def _import(job: Job, progress: Callable[[str, int], None]) -> dict[str, Any]:
    """Dry run or commit of an uploaded roster (rosters.importing.import_roster) or of a
    hospital's bills (bills.importing.import_bills)."""
    from doudi.bills import importing as bills
    from doudi.rosters.importing import import_roster
    from doudi.web import importing

    p = job.params
    progress("校验名单 / validating", 10)
    if p["source"] == bills.SOURCE:
        stored = bills.import_bills(
            _registry(job),
            Path(p["path"]),
            p["jurisdiction"],
            dry_run=p["dry_run"],
            actor=job.created_by,
            within=job.region,
        )
        progress("整理结果 / report", 90)
        return importing.bills_json(stored, work_dir(job))
    report = import_roster(
        _registry(job),
        Path(p["path"]),
        p["source"],
        date.fromisoformat(p["as_of"]),
        dry_run=p["dry_run"],
        actor=job.created_by,
        scope=p.get("scope"),
        within=job.region,
        # a job queued before modes: a snapshot of the region 80% of its rows are in
        mode=p.get("mode", "snapshot"),
        region=p.get("region"),
        confirm_closing=p.get("confirm_closing", False),
    )
    progress("整理结果 / report", 90)
    return importing.report_json(report, work_dir(job))


def _compare(job: Job, progress: Callable[[str, int], None]) -> dict[str, Any]:
    from doudi.web import comparing

    return comparing.run(job, work_dir(job), progress)


def _plan(job: Job, progress: Callable[[str, int], None]) -> dict[str, Any]:
    """Every programme's plan of the year (decision 0012): a version each."""
    from doudi.plan import versions as plan

    p = job.params
    run = plan.run_plans(
        _registry(job),
        p["jurisdiction"],
        int(p["year"]),
        actor=job.created_by,
        region=p.get("region"),
        snapshots=Path(settings.DOUDI_WORK_DIR).parent / "plans",
        progress=lambda stage: progress(stage, 50),
    )
    return {
        "programmes": [_plan_result(result) for result in run.results],
        # programmes another lineage kept from being planned (plan.versions.PlanRun)
        "refused": [idnumber.mask_in_text(line) for line in run.refused],
    }


def _plan_result(result: Any) -> dict[str, Any]:
    """One programme's version as the plan page shows it after the job."""
    return {
        "programme": result.programme,
        "programme_label": vocab.PROGRAMME.label(result.programme),
        "version": result.version_id,
        "number": result.number,
        "created": result.created,
        "same_rows": result.same_rows,
        "people": result.people,
        "targets": result.targets,
        "gov_paid": str(result.gov_paid),
        "self_due": str(result.self_due),
        "by_payer": {k: str(v) for k, v in result.by_payer.items()},
        # people another region's plan already pays for (decision 0010), masked as on
        # every page but the person's own
        "left_out_summary": result.left_out_zh(),
        # people whose stored tier is off the year's list (docs/readings.md 31)
        "tiers_ignored": result.tiers_ignored,
        "tiers_ignored_summary": result.tiers_ignored_zh(),
        # target lists of the year before missing or late (CQ-2018-82/2.1.1)
        "late_lists_summary": list(result.late_lists),
        "left_out": [
            {"id_number": mask_id(p.id_number), "name": p.name, "plan": p.plan}
            for p in result.left_out
        ],
    }


def _ledger(job: Job, progress: Callable[[str, int], None]) -> dict[str, Any]:
    """The ledger workbook of a plan version (plan.ledger), named by the version's own
    region and programme: versions are numbered per region (decision 0010) and
    programme (decision 0012), so without them two counties' ledgers, or a county's
    pension and medical ledgers, would have the same name."""
    from doudi.plan.ledger_workbook import ledger_workbook

    p = job.params
    programme = vocab.PROGRAMME.label(p.get("programme", "resident_pension"))
    name = f"台账-{p['region']}-{p['year']}-{programme}-第{p['number']}版.xlsx"
    progress("生成台账 / writing the ledger", 30)
    ledger_workbook(_registry(job), int(p["version"]), work_dir(job) / name)
    return {"file": name}


def _withhold(job: Job, progress: Callable[[str, int], None]) -> dict[str, Any]:
    """The bank-withholding file of a plan version for the user's county
    (collection.withholding)."""
    from doudi.collection.withholding import export_withholding

    progress("生成代扣文件 / writing the request", 30)
    w = export_withholding(
        _registry(job),
        int(job.params["version"]),
        job.params["region"],
        work_dir(job),
        actor=job.created_by,
    )
    from doudi.registry.models import Person

    people = w.left_out.to_pylist()
    # each person's page, linked from the list (the number itself masked)
    pages = dict(
        Person.objects.filter(id_number__in=[r["id_number"] for r in people]).values_list(
            "id_number", "pk"
        )
    )
    left = [
        {
            "id_number": mask_id(r["id_number"]),
            "name": r["name"],
            "owed": str(r["owed"]),
            "reason": r["reason"],
            "person": pages.get(r["id_number"]),
        }
        for r in people
    ]
    # the summary quotes the people left out by number: the result page shows it to
    # whoever may see the job, so masked as on every page (the file itself: jobs.download)
    summary = [idnumber.mask_in_text(line) for line in w.summary_zh()]
    return {"file": w.path.name, "summary": summary, "left_out": left}


def _cost(job: Job, progress: Callable[[str, int], None]) -> dict[str, Any]:
    """A reform costed on the registered people of a region (costing.run, decision
    0017): read-only, no plan version; its workbook and people beside the job, the
    result's tables for the pages and the API (web/costing_jobs.py)."""
    from doudi.costing import reform as reforms
    from doudi.costing.run import cost
    from doudi.web import costing_jobs

    p = job.params
    found = cost(
        _registry(job),
        reforms.parse(p["reform"], p.get("year")),
        p["region"],
        progress=lambda stage: progress(stage, 50),
    )
    progress("写出工作簿 / writing the workbook", 90)
    return costing_jobs.result(found, work_dir(job), job.pk, masked=bool(p.get("masked")))


def _cost_person(job: Job, progress: Callable[[str, int], None]) -> dict[str, Any]:
    """One person of a costing, the baseline's and the reform's amounts and
    explanations side by side (web/costing_jobs.py), under the costing's own reform."""
    from doudi.costing import reform as reforms
    from doudi.web import costing_jobs

    costing = Job.objects.get(pk=job.params["costing"]).params
    reform = reforms.parse(costing["reform"], costing.get("year"))
    progress("按基准规则和测算方案计算此人 / costing the person", 30)
    found = costing_jobs.person_costing(
        _registry(job), reform, costing["region"], int(job.params["person"])
    )
    return costing_jobs.person_result(found)


RUNNERS: dict[str, Runner] = {
    "import": _import,
    "compare": _compare,
    "plan": _plan,
    "ledger": _ledger,
    "withhold": _withhold,
    "cost": _cost,
    "cost_person": _cost_person,
}


def wait(job: Job, timeout: float = 60.0) -> Job:
    """Poll until the job ends (the API's synchronous answer)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        job.refresh_from_db()
        if job.state in ("done", "failed"):
            return job
        time.sleep(0.1)
    return job
