"""Django settings for the registry and the web application.

The database comes from ``DOUDI_DATABASE_URL`` (``sqlite:///path`` or
``postgres://user@host:port/name``); without it, an embedded SQLite file
``var/doudi.sqlite3`` under the working directory, which is what a county office
running ``make run`` gets.

``DOUDI_PRODUCTION=1`` turns on what a server behind HTTPS needs (secure cookies,
HSTS, a secret key that must be given); without it the application runs for one
machine (``make run``, the tests) on plain HTTP at 127.0.0.1.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

PACKAGE = Path(__file__).resolve().parent
DEFAULT_SQLITE = Path(os.environ.get("DOUDI_HOME", "var")).resolve() / "doudi.sqlite3"
PRODUCTION = os.environ.get("DOUDI_PRODUCTION") == "1"


def database_url() -> str:
    return os.environ.get("DOUDI_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"


# Connections are kept for a while (a page then opens none); the jobs' ADBC transactions
# close the thread's Django connection to an SQLite file first (decision 0007).
CONN_MAX_AGE = int(os.environ.get("DOUDI_CONN_MAX_AGE", "300"))
DATABASES: dict[str, Any] = {
    "default": dj_database_url.parse(
        database_url(), conn_max_age=CONN_MAX_AGE, conn_health_checks=True
    )
}
# The web application's job table (web.Job) has a database of its own (doudi.web.routers):
# beside the registry's SQLite file, or the same PostgreSQL database.
DATABASES["jobs"] = dict(DATABASES["default"])
#: Django's own SQLite connections (pages, accounts, audit, the job table): WAL, so a
#: page reads while a job writes; a busy timeout for the write lock; and transactions
#: that take the write lock at BEGIN (IMMEDIATE), for SQLite gives a transaction that
#: has read and then writes SQLITE_BUSY at once, whatever the timeout (decision 0011).
SQLITE_OPTIONS: dict[str, Any] = {
    "timeout": 30,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    for alias in DATABASES:
        DATABASES[alias]["OPTIONS"] = dict(SQLITE_OPTIONS)
    registry_file = Path(DATABASES["default"]["NAME"])
    DATABASES["jobs"]["NAME"] = str(registry_file.with_name(registry_file.stem + "-jobs.sqlite3"))
DATABASE_ROUTERS = ["doudi.web.routers.JobsRouter"]

if PRODUCTION and not os.environ.get("DOUDI_SECRET_KEY"):
    raise RuntimeError("DOUDI_PRODUCTION=1 needs DOUDI_SECRET_KEY (a long random string)")
SECRET_KEY = os.environ.get("DOUDI_SECRET_KEY", "doudi-local-development-only")
DEBUG = os.environ.get("DOUDI_DEBUG") == "1" and not PRODUCTION
ALLOWED_HOSTS = os.environ.get("DOUDI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_htmx",
    "ninja",
    "doudi.registry",
    "doudi.web",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "doudi.web.middleware.ChineseFirstLocaleMiddleware",  # not the browser's language
    "doudi.web.api_errors.JsonErrorsMiddleware",  # every /api/ error as {"error": …}
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it answers a locked-out login itself
]
ROOT_URLCONF = "doudi.web.urls"
WSGI_APPLICATION = "doudi.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "doudi.web.context.account",
            ]
        },
    }
]

# Passwords: Argon2 first (new and changed passwords), PBKDF2 still read.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling (django-axes)
    "doudi.web.accounts.AccountBackend",  # Django's ModelBackend, the account read with the user
]
AXES_FAILURE_LIMIT = 5  # failed logins per user name and address …
AXES_COOLOFF_TIME = 0.25  # … lock them out for 15 minutes (hours)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions read from the cache and kept in the database: a page costs no session query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600  # a working day
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "doudi.web.views.errors.csrf_failure"  # Chinese, not Django's English page
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_HSTS_SECONDS = 31_536_000 if PRODUCTION else 0
SECURE_SSL_REDIRECT = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-security policy: scripts, styles and charts come from our own static files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Uploads: rosters run to a few hundred thousand rows; anything larger is refused.
DOUDI_UPLOAD_MAX_BYTES = int(os.environ.get("DOUDI_UPLOAD_MAX_BYTES", 100 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DOUDI_WORK_DIR = Path(os.environ.get("DOUDI_HOME", "var")).resolve() / "web"

USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE / "web" / "locale"]
FORMAT_MODULE_PATH = ["doudi.web.formats"]  # dates 2018-03-10 in both languages
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
STATIC_URL = "/static/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve the app's static files without collectstatic
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "WARNING"}},
}
