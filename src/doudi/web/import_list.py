"""The imports list of the page 名单导入: the web's import jobs and the imports made on the
command line (``doudi import …``), newest first, in one list.

A web import is a job (``web_job``, dry runs and failures too); an import on the command
line is only its batch in the registry (``registry_import_batch``), written by the same
``import_roster`` and never a job. The two live in different databases on SQLite (the
job table is a file of its own), so no SQL union can join them: the list merges the two
queries by time instead, reading at most the rows up to the end of the page asked for of
each. A county's imports are tens a year, so page 10 reads 500 rows of each.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from doudi.registry.models import ImportBatch
from doudi.web.models import Job
from doudi.web.roles import Scope

#: How the list names an import that no job made (its 方式): confirmed, on the command line.
COMMAND_LINE = "命令行导入"


def command_line_batches(scope: Scope, source: str = "", user: str = "") -> QuerySet[ImportBatch]:
    """The batches of the scope's counties that no web job wrote, newest first: a batch
    is the scope's when a county it covers (``registry_import_scope``: a roster's, a
    hospital's bills' patients') or the region it closes in is under the user's region.
    A job's batch is the job's row (its result's ``batch_id``), so a web import is listed
    once; a job that found its file already imported names the earlier batch and does
    not hide it."""
    written = Job.objects.filter(kind="import", state="done", params__dry_run=False).exclude(
        result__already_imported=True
    )
    by_jobs = [int(b) for b in written.values_list("result__batch_id", flat=True) if b]
    mine = Q(scope__county__startswith=scope.prefix) | (
        Q(region__startswith=scope.prefix) & ~Q(region="")
    )
    batches = ImportBatch.objects.filter(mine).exclude(pk__in=by_jobs)
    if source:
        batches = batches.filter(source=source)
    if user:
        batches = batches.filter(imported_by=user)
    return batches.distinct().order_by("-imported_at", "-pk")


@dataclass(frozen=True)
class Imports:
    """The merged list as a sequence Django's Paginator pages: its count and a slice,
    both newest first."""

    jobs: QuerySet[Job]
    batches: QuerySet[ImportBatch]

    def count(self) -> int:
        return self.jobs.count() + self.batches.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Job | ImportBatch]:
        end = index.stop
        merged = sorted([*self.jobs[:end], *self.batches[:end]], key=_when, reverse=True)
        return merged[index]

    def __iter__(self) -> Iterator[Job | ImportBatch]:
        """Every row, newest first (the export): the two queries read in chunks, merged."""
        jobs = self.jobs.iterator(chunk_size=2000)
        batches = self.batches.iterator(chunk_size=2000)
        job, batch = next(jobs, None), next(batches, None)
        while job is not None or batch is not None:
            if batch is None or (job is not None and _when(job) >= _when(batch)):
                yield job  # type: ignore[misc]
                job = next(jobs, None)
            else:
                yield batch
                batch = next(batches, None)


def _when(row: Job | ImportBatch) -> datetime:
    return row.created_at if isinstance(row, Job) else row.imported_at


def batch_row(batch: ImportBatch, labels: dict[str, str], bills: str) -> dict[str, Any]:
    """A command-line batch as the list shows a job: no job number (no page to open),
    always a confirmed import (the command line keeps no dry run) that is done."""
    return {
        "pk": None,
        "file": batch.file_name,
        "source": labels.get(batch.source, batch.source),
        "as_of": "" if batch.source == bills else batch.as_of.isoformat(),
        "run": COMMAND_LINE,
        "state": "已完成",
        "created_by": batch.imported_by,
        "created_at": timezone.localtime(batch.imported_at).replace(tzinfo=None, microsecond=0),
    }
