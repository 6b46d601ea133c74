"""The job table lives in a database of its own ("jobs"): the worker writes a job's
progress while the job's ADBC transaction holds the registry, and on SQLite two
copies of the library must not work on one file at once (decision 0007). On
PostgreSQL "jobs" is the registry's database under another name (a connection of its
own), so the table is created with the registry's."""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS

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
        if db in (DEFAULT_DB_ALIAS, JOBS) and _shared():
            # one PostgreSQL database under two names keeps one table of migrations:
            # whichever name is migrated first creates every table, the job table too
            return True
        return is_job == (db == JOBS)


def _shared() -> bool:
    """Whether the job table's database is the registry's (PostgreSQL: the same
    database, a connection of its own) rather than a file beside it (SQLite)."""
    from django.conf import settings

    def where(alias: str) -> tuple[Any, ...]:
        d = settings.DATABASES.get(alias, {})
        return (d.get("ENGINE"), d.get("HOST"), d.get("PORT"), d.get("NAME"))

    return where(DEFAULT_DB_ALIAS) == where(JOBS)
