"""Settings for iPGA-R, read from the environment (see .env.example).

The defaults are those of the local demo (`make run`): SQLite and an embedded filesystem broker.
Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("IPGAR_VAR_DIR", BASE_DIR / "var"))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="" if not DEBUG else "onveilige-lokale-demo-sleutel")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY is verplicht wanneer DEBUG uit staat.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "guardian",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "ipgar.accounts",
    "ipgar.audit",
    "ipgar.notifications",
    "ipgar.core",
    "intake",
    "cases",
    "meetings",
    "reminders",
    "monitor",
    "privacy",
    "search",
    "demo",
    "benchmarks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CSP, Permissions-Policy and no-store on signed-in pages (ipgar/core/middleware.py).
    "ipgar.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the session timeout, which leaves a message and answers HTMX with HX-Redirect.
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The demo (DEBUG on) shows the Dutch error pages too, not Django's technical ones.
    "ipgar.core.middleware.FriendlyErrorPagesMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ipgar.accounts.middleware.SessionTimeoutMiddleware",
    "ipgar.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A dropped database connection in a view: a Dutch 503 page that keeps the user's input.
    "ipgar.core.database_errors.DatabaseUnavailableMiddleware",
    # Last, so that a locked-out attempt is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ipgar.urls"
WSGI_APPLICATION = "ipgar.wsgi.application"

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
                "ipgar.core.context_processors.shell",
                "privacy.context_processors.emergency_access",
            ],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ipgar.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker of `make run` read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, login and second factor -------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:my_work"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "ipgar.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The second factor is mandatory. Only the local demo (`make run`) may switch it off, and then
# every page shows a banner saying so; a system check refuses it outside DEBUG.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=True)
OTP_TOTP_ISSUER = "iPGA-R"

# Lockout after 5 failed attempts per combination of user name and address, kept in the database
# so that it holds when Redis is down.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "ipgar.accounts.axes.login_username"
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = timedelta(minutes=15)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Object permissions: a global model permission never opens an object by itself.
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

# --- Security headers (production) ----------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the container health check speaks plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Language, time and formats --------------------------------------------------------------
# Always Dutch: no LocaleMiddleware, so a browser set to English does not switch Django's own
# texts (dates, validation messages). English translations can be added to LOCALE_PATHS later.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ipgar.formats"]

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
# The user guide's screenshots (written by the browser tests) are served for the help pages.
STATICFILES_DIRS = [BASE_DIR / "static", ("handleiding", BASE_DIR / "docs" / "screenshots")]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"
)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="iPGA-R <noreply@ipgar.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# bin/run-demo: the Dutch 400/403/404/500 pages although DEBUG is on (runserver's static files).
DEMO_ERROR_PAGES = env.bool("DEMO_ERROR_PAGES", default=False)

# --- Background work -------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Without Redis the embedded filesystem transport carries tasks between web and worker.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
# A task is acknowledged only after it finished (acks_late), so a worker that dies mid-task
# (SIGKILL, OOM, a lost machine) leaves its message unacknowledged; Redis hands it out again
# once the visibility timeout has passed. The timeout must exceed the longest run of a task
# (CELERY_TASK_TIME_LIMIT, 5 minutes), or a task still running would be delivered a second time;
# an hour is the compromise between that and how long a killed worker's task waits. Tasks are
# idempotent by database state, so a second delivery changes nothing. The worker test sets it
# to seconds (tests/reliability/test_worker_killed.py).
BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
    if CELERY_BROKER_URL.startswith("redis")
    else {
        "data_folder_in": str(VAR_DIR / "broker"),
        "data_folder_out": str(VAR_DIR / "broker"),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
# Acknowledge after the task, not before, and put the message back when the worker process
# running it is lost: a killed worker never loses a task (issue 9); see the visibility timeout.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "reminder-sweep": {"task": "reminders.tasks.reminder_sweep_task", "schedule": 15 * 60},
    "reminder-digest": {
        "task": "reminders.tasks.reminder_digest_task",
        "schedule": crontab(hour=7, minute=30),
    },
    # The monitor's figures that were served stale are recomputed here, not in a web request.
    "monitor-refresh": {"task": "monitor.tasks.monitor_refresh_task", "schedule": 5 * 60},
    # The monthly destruction list (issue 8): proposed on the first, approved by two people.
    "destruction-list-propose": {
        "task": "privacy.tasks.destruction_list_propose_task",
        "schedule": crontab(day_of_month=1, hour=6, minute=0),
    },
}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# One process keeps its own cache by default (the demo); production sets CACHE_URL to Redis so
# every worker shares the monitor's cached figures, e.g. CACHE_URL=redis://redis:6379/1.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# seed_demo writes accounts with the README's password: only in development (DEBUG), or with
# --i-know-this-is-not-production on an empty database. Deliberately not read from the
# environment; the test settings allow it.
SEED_DEMO_ALLOWED = DEBUG

# Break the glass: how many grants one user may open per calendar day (issue 20). More than a
# couple a day is no longer an emergency but a way around need-to-know.
EMERGENCY_GRANTS_PER_DAY = max(env.int("EMERGENCY_GRANTS_PER_DAY", default=2), 1)
# An intervention partner keeps read-only access to an ended intervention until the case's next
# evaluation is due (true) or loses it the moment the intervention ends (false).
PARTNER_READ_UNTIL_EVALUATION = env.bool("PARTNER_READ_UNTIL_EVALUATION", default=True)

# Monitor: cells with 1 to k-1 persons are suppressed (k never below 5, whatever is set).
MONITOR_K = max(env.int("MONITOR_K", default=10), 5)
# After a change anywhere, the monitor serves its figures up to this old (with the time they
# were computed on the page) while beat recomputes them: one logbook entry must not make the
# next programme-team page a multi-second computation. Older than this: computed in the request.
MONITOR_MAX_STALE_SECONDS = 15 * 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
CSRF_FAILURE_VIEW = "ipgar.core.views.csrf_failure"
