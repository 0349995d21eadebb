"""All behaviour of the tracker, read from the environment.

There is no production module: production is this file with its environment, so
`manage.py check --deploy` checks what actually ships. See the README's settings table.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.static_headers import add_static_headers

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if env.bool("READ_DOT_ENV_FILE", default=False):
    environ.Env.read_env(str(BASE_DIR / ".env"))

# --- Core -------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#debug
DEBUG = env.bool("DEBUG", default=False)


def _development_secret_key() -> str:
    """A key generated once into var/, so development sessions survive restarts."""
    from django.core.management.utils import get_random_secret_key

    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random string "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = _development_secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -----------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "django_htmx",
    "template_partials",
    "csp",
    "simple_history",
    "django_celery_beat",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
LOCAL_APPS = [
    "accounts",
    "tasks",
    "indicators",
    "catalog",
    "dashboard",
    "entry",
    "publicapi",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, CSRF and authentication: a cached public page skips them all (config/page_cache.py).
    "config.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After the header middleware, so its 413 carries them; before any view or CSRF check reads the body.
    "config.body_limit.RequestBodyLimitMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes must be last: it inspects the response of the login view.
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # Registered as a builtin so no template loads it: moving to Django 6's own
            # partials then only touches this setting.
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# --- Database ---------------------------------------------------------------------------
# Unset DATABASE_URL means the embedded default: a SQLite file under var/.
# A postgres:// URL selects PostgreSQL through psycopg 3.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tracker.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets the dashboard read while an eager refresh writes; the timeout (the busy timeout, seconds) waits
    # out short locks. IMMEDIATE transactions take the write lock at BEGIN, so two saves of one figure queue and
    # the second sees the first's version (the conflict message), instead of both reading and one failing to
    # upgrade its lock with "database is locked".
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -------------------------------------------------------------------
# Unset REDIS_URL: jobs run eagerly in-process and the cache is local memory.
# Set: Redis is the Celery broker and the cache.
REDIS_URL = env.str("REDIS_URL", default="")
# How long a cached chart, summary or page fragment lives. Entries are keyed by the data and catalog versions,
# so this bounds memory, not staleness.
PAGE_CACHE_SECONDS = env.int("CACHE_TIMEOUT", default=6 * 60 * 60)
# Memory each server process keeps of the public pages it served last (config/page_cache.py).
PAGE_CACHE_PROCESS_BYTES = env.int("PAGE_CACHE_PROCESS_BYTES", default=32 * 1024 * 1024)
# Pickled bytes of page data (indicators/cache_keys.py) each process keeps unpickled; the objects take several times
# that in memory.
PAGE_DATA_PROCESS_BYTES = env.int("PAGE_DATA_PROCESS_BYTES", default=8 * 1024 * 1024)
if REDIS_URL:
    CACHES = {
        "default": {
            # Swallows connection errors so pages are served uncached while Redis is down.
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": PAGE_CACHE_SECONDS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # Files under var/, shared by every process on the machine (the server, a `manage.py` refresh, a worker), so
    # the site generation one of them bumps is the one the others read (config/generations.py).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.str("CACHE_DIR", default=str(BASE_DIR / "var" / "cache")),
            "TIMEOUT": PAGE_CACHE_SECONDS,
        }
    }

# https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = not REDIS_URL
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True  # runs are recorded in IngestRun, not in a result backend
CELERY_TASK_ACKS_LATE = True  # jobs are idempotent: a killed worker's job runs again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_SEND_SENT_EVENT = True
CELERY_WORKER_SEND_TASK_EVENTS = True
# Lock on one indicator's refresh: longer than the hard limit, so a lock never outlives a job by much.
INGEST_LOCK_TIMEOUT = env.int("INGEST_LOCK_TIMEOUT", default=420)

# --- Statistics publishers (operators and tests point these at mirrors) --------------------
WORLDBANK_API_URL = env.str("WORLDBANK_API_URL", default="https://api.worldbank.org/v2")
NBS_API_URL = env.str("NBS_API_URL", default="https://data.stats.gov.cn/easyquery.htm")
OWID_BASE_URL = env.str("OWID_BASE_URL", default="https://raw.githubusercontent.com/owid")
HTTP_TIMEOUT_SECONDS = env.float("HTTP_TIMEOUT_SECONDS", default=30.0)
HTTP_MAX_RETRIES = env.int("HTTP_MAX_RETRIES", default=5)
# Retry waits grow 2**n seconds from HTTP_RETRY_BACKOFF_SECONDS with full jitter, capped; a 429's Retry-After wins.
HTTP_RETRY_BACKOFF_SECONDS = env.float("HTTP_RETRY_BACKOFF_SECONDS", default=10.0)
HTTP_RETRY_BACKOFF_MAX_SECONDS = env.float("HTTP_RETRY_BACKOFF_MAX_SECONDS", default=600.0)
# A longer Retry-After is cut to this (the run says so): a job held past the visibility timeout is re-delivered.
HTTP_RETRY_AFTER_MAX_SECONDS = env.float("HTTP_RETRY_AFTER_MAX_SECONDS", default=600.0)
# The whole of one request, body included: a server dripping bytes cannot hold a page past it.
HTTP_DEADLINE_SECONDS = env.float("HTTP_DEADLINE_SECONDS", default=120.0)
WORLDBANK_PER_PAGE = env.int("WORLDBANK_PER_PAGE", default=1000)
# Rows the writer compares and writes per round trip; memory stays flat whatever the series' length.
INGEST_CHUNK_SIZE = env.int("INGEST_CHUNK_SIZE", default=2000)
# Analysts' figures wait for a second analyst or an admin before the public sees them; False for one-person setups.
OBSERVATION_REVIEW_REQUIRED = env.bool("OBSERVATION_REVIEW_REQUIRED", default=True)
# Redis re-delivers a job left unacknowledged this long: it must exceed the longest a job is held (its retry wait,
# backoff or capped Retry-After, plus the hard time limit), yet every second of it delays recovery from a killed
# worker. The default is exactly that plus a minute; Kombu's sweep for such jobs runs every 10 s (README, Recovery).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int(
        "CELERY_VISIBILITY_TIMEOUT",
        default=int(max(HTTP_RETRY_BACKOFF_MAX_SECONDS, HTTP_RETRY_AFTER_MAX_SECONDS)) + CELERY_TASK_TIME_LIMIT + 60,
    ),
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}

# --- Authentication ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# django-axes: throttle on username and address together, so nobody can lock another person out
# from elsewhere. https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
# The lockout page in the site's layout, with the time left to wait (accounts/lockout.py).
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"

# --- Internationalization ---------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# Any request whose Content-Length is larger is answered 413 before its body is read (a 5 MB upload plus the
# form around it fits). The proxy in front should refuse the same bound first (README, "Request size").
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=6 * 1024 * 1024)
# Static files are answered by WhiteNoise before the CSP middleware runs; this gives them the same header.
WHITENOISE_ADD_HEADERS_FUNCTION = add_static_headers

# --- Security ---------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Health checks come from inside the container network, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy on every response (django-csp 4).
# Scripts only from our own origin: no inline scripts, no inline event handlers, no eval.
# 'unsafe-inline' for styles only, because plotly.js sets inline styles and injects <style>
# elements when it draws a chart; nothing else on the site needs it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        # blob: for Plotly's "download as PNG": it draws the chart's SVG into an image from a blob: URL.
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Public API (publicapi/) -------------------------------------------------------------
# https://www.django-rest-framework.org/api-guide/settings/ and https://drf-spectacular.readthedocs.io/
# Anonymous and read-only: no session or CSRF, JSON only, paginated, and throttled per client address.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_RATE", default="120/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "New Industrialization Tracker API",
    "DESCRIPTION": "Read-only public data: tasks, commitments, indicators, their published figures, targets, sources.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI is served from our static files (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"ProgressStatusEnum": "tasks.models.ProgressStatus"},
}

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # axes announces its configuration at every start; keep only its warnings.
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes.apps": {"level": "WARNING"}},
}
