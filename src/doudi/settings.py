"""Django settings for the registry (and, later, the web application).

The database comes from ``DOUDI_DATABASE_URL`` (``sqlite:///path`` or
``postgres://user@host:port/name``); without it, an embedded SQLite file
``var/doudi.sqlite3`` under the working directory, which is what a county office
running ``make run`` gets.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

DEFAULT_SQLITE = Path(os.environ.get("DOUDI_HOME", "var")).resolve() / "doudi.sqlite3"


def database_url() -> str:
    return os.environ.get("DOUDI_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"


DATABASES = {"default": dj_database_url.parse(database_url(), conn_max_age=0)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # a caseworker's import and a reader at the same time: WAL, and wait for locks
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

SECRET_KEY = os.environ.get("DOUDI_SECRET_KEY", "doudi-local-development-only")
DEBUG = False
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "doudi.registry"]
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
LANGUAGE_CODE = "zh-hans"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
