"""The job table lives in a database of its own ("jobs"): the worker writes a job's
progress while the job's ADBC transaction holds the registry, and on SQLite two
copies of the library must not work on one file at once (decision 0007)."""

from __future__ import annotations

from typing import Any

JOBS = "jobs"


class JobsRouter:
    def _is_job(self, model: Any) -> bool:
        return bool(model._meta.app_label == "web" and model._meta.model_name == "job")

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return JOBS if self._is_job(model) else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return JOBS if self._is_job(model) else None

    def allow_relation(self, a: Any, b: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        is_job = app_label == "web" and model_name == "job"
        return is_job == (db == JOBS)
