"""Settings for the MCH system, read from environment variables only.

Every variable is listed in `.env.example`. Defaults are for a developer's
machine (embedded SQLite); production sets DJANGO_DEBUG=0 and must then give
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from mch.jobs.database import jobs_database

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MCH_VAR_DIR", BASE_DIR / "var"))


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = _flag("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (see .env.example)."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = _list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = _list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "mch.core",
    "mch.accounts",
    "mch.orgunits",
    "mch.indicators",
    "mch.plans",
    "mch.registers",
    "mch.immunisation",
    "mch.reporting",
    "mch.jobs",
    "mch.web",
    "mch.mpdsr",
    "mch.aggregate_data",
    "mch.reported_values",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mch.web.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "mch.core.middleware.RefuseNullCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "mch.web.views.errors.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

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
                "mch.web.context_processors.navigation",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    # The embedded database's folder must exist before Django opens the file.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES: dict[str, dict[str, Any]] = {
    "default": dj_database_url.parse(  # type: ignore[dict-item]
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'mch.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
# Long work runs in `mch worker` from a database queue; see mch/jobs/database.py for the alias.
DATABASES["jobs"] = jobs_database(DATABASES["default"])
DATABASE_ROUTERS = ["mch.jobs.database.JobsRouter"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# E-mail (reminders): sent only once MCH_EMAIL_HOST is set (mch.reporting.reminders).
EMAIL_HOST = os.environ.get("MCH_EMAIL_HOST") or "localhost"
EMAIL_PORT = int(os.environ.get("MCH_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("MCH_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("MCH_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _flag("MCH_EMAIL_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("MCH_EMAIL_FROM", "webmaster@localhost")
MCH_SITE_URL = os.environ.get("MCH_SITE_URL", "")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed log-ins: lock a username+address pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("MCH_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("MCH_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Entries of who viewed or exported whose records are deleted after this many days by
# `mch prune_audit` (0: kept for ever); entries of changes to records are never deleted.
AUDIT_READ_RETENTION_DAYS = int(os.environ.get("MCH_AUDIT_READ_RETENTION_DAYS", "730"))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "mch" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["mch.core.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
# Served from the installed packages' static folders when MCH_STATIC_FROM_FINDERS=1 (tests,
# quick trials); otherwise from STATIC_ROOT after `mch collectstatic`, with hashed names.
WHITENOISE_USE_FINDERS = DEBUG or _flag("MCH_STATIC_FROM_FINDERS", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if WHITENOISE_USE_FINDERS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Sessions: health data, so short idle sessions and cookies that never leave HTTPS in production.
SESSION_COOKIE_AGE = int(os.environ.get("MCH_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# MCH_PLAIN_HTTP=1: served over plain HTTP on this machine only (the demo on http://127.0.0.1),
# where secure-only cookies would never come back and log-in could not work. Never behind a
# public address: production is served over HTTPS (docs/deployment.md).
PLAIN_HTTP = _flag("MCH_PLAIN_HTTP", False)
if not DEBUG and not PLAIN_HTTP:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _flag("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _flag("DJANGO_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds every subdomain of the operator's domain: their decision.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "mch.core.openapi.AutoSchema",
    # Django's Http404/PermissionDenied in the caller's language, never Django's English text.
    "EXCEPTION_HANDLER": "mch.core.api_errors.exception_handler",
    # Basic first: an unauthenticated call gets 401 with WWW-Authenticate, as HTTP says.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mch.accounts.authentication.BasicAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "mch.core.pagination.LimitOffsetPagination",
    # JSON bodies are limited in size and depth before parsing (mch.core.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "mch.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MCH API",
    "DESCRIPTION": "Units, indicator catalogue and plans of the maternal and child health system.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MCH_LOG_LEVEL", "WARNING")},
}
