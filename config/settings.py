"""Roster's one settings file. Every knob is an environment variable read by config.env.

With nothing set, Roster runs embedded: SQLite in var/, mail kept in the database outbox
that each organization's admins can open, DEBUG on. Production sets DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL and SMTP_HOST (docs/operations.md).
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ROSTER_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "roster-development-only-secret-key-not-for-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY or (not DEBUG and SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "roster.orgs",
    "roster.accounts",
    "roster.mail",
    "roster.importing",
    "roster.followup",
    "roster.web",
    "roster.cli",
    "roster.audit",
    "roster.api",
    "axes",  # login throttling (see "Login throttling" below)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any process_view (CSRF's reads request.POST): refuses large bodies unread.
    "roster.web.request_limits.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'roster.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web process read while the worker writes; IMMEDIATE avoids
    # "database is locked" upgrades when two processes start a write transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

AUTH_USER_MODEL = "accounts.Account"
AUTHENTICATION_BACKENDS = [
    "roster.accounts.throttle.LoginThrottleBackend",  # first: a locked-out login stops here
    "roster.accounts.backends.AccountBackend",
]
# Emails are unique per organization, not globally; AccountBackend always scopes by one.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/admin/login/"

# --- Login throttling (issue 11, finding 6; django-axes, roster/accounts/throttle.py) --------
# LOGIN_FAILURE_LIMIT failed logins for one (organization, email or username), or from one
# address, lock it out for LOGIN_COOLOFF_MINUTES. Behind a proxy that appends the client's
# address to X-Forwarded-For, set TRUSTED_PROXY_COUNT to the number of such proxies.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_ENABLED = env_bool("LOGIN_THROTTLE", True)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "roster.accounts.throttle.login_key"
AXES_USERNAME_FORM_FIELD = "username"  # the key authenticate() receives (not USERNAME_FIELD)
AXES_CLIENT_IP_CALLABLE = "roster.accounts.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "roster.web.views.auth.locked_out"
AXES_SENSITIVE_PARAMETERS = ["login", "password"]
# A success does not clear the address's failures: an attacker could otherwise reset their
# count by logging in to an account of their own between guesses.
AXES_RESET_ON_SUCCESS = False
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not kept (the table would only grow)
# --- end of login throttling -----------------------------------------------------------------

# Queues (docs/operations.md, "Processes"): imports' checks and applies run on `imports`,
# activation emails and the other small tasks on `default`, each served by its own
# workers, so an organization's big import never holds up another's emails.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "imports"],
    }
}

SMTP_HOST = env_str("SMTP_HOST", "")
if SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": env_int("SMTP_PORT", 587),
                "username": env_str("SMTP_USER", ""),
                "password": env_str("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_USE_TLS", True),
                "timeout": env_int("SMTP_TIMEOUT", 30),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "roster.mail.backends.OutboxBackend"}}
# Where links in emails point: the address people use to reach this installation.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ACTIVATION_LINK_DAYS = env_int("ACTIVATION_LINK_DAYS", 7)
# A resend skips an account sent a welcome email (or with one on its way) within this many
# minutes, however often it is pressed; a failed email does not count (docs/invitations.md).
RESEND_COOLDOWN_MINUTES = env_int("RESEND_COOLDOWN_MINUTES", 10)
# How long an applying import's worker may go unheard before it is presumed dead and the
# import is failed, to be retried (docs/operations.md, "Imports that stop"). It renews the
# lease as it validates and holds the job locked while it writes.
IMPORT_APPLY_LEASE_SECONDS = env_int("IMPORT_APPLY_LEASE_SECONDS", 120)
# A queued apply not taken by a worker within this many seconds is presumed lost.
IMPORT_APPLY_QUEUE_SECONDS = env_int("IMPORT_APPLY_QUEUE_SECONDS", 900)
# What an import accepts (roster.importing.upload_limits); the defaults let a
# 1,000,000-row file through.
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 256)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 1_048_576)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 1_000)
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 1_048_576)
# The address space the child process parsing one workbook may use (docs/reading-files.md).
IMPORT_WORKBOOK_MEMORY_MB = env_int("IMPORT_WORKBOOK_MEMORY_MB", 4096)

# --- Request bodies (issue 11, finding 3; roster/web/request_limits.py) ---------------------
# Every request may carry REQUEST_MAX_BODY_MB; a larger body is refused (413) from its
# Content-Length before anything reads it. Only an organization's admin on Add Multiple Users
# may send up to IMPORT_MAX_UPLOAD_MB more (uploaded files go to disk, never memory).
REQUEST_MAX_BODY_MB = env_int("REQUEST_MAX_BODY_MB", 3)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BODY_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# --- end of request bodies -------------------------------------------------------------------
# --- REST API (docs/api.md; roster/api/rate.py) ----------------------------------------------
# Calls per minute per API token, counted in the database (shared by every web process);
# above it the API answers 429 with Retry-After.
API_RATE_PER_MINUTE = env_int("API_RATE_PER_MINUTE", 120)
# --- end of REST API ---------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Roster <no-reply@roster.localhost>")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "uploads"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Transport and browser security (issue 11, finding 10; docs/security.md) ----------------
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # HSTS is only sent on HTTPS responses; a year, as `check --deploy` expects.
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
# Every page's scripts and styles are Roster's own static files (no inline script, style
# attribute or other origin), so the policy can be strict, in development as in production.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# --- end of transport and browser security ----------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
