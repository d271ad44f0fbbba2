"""quizapp settings: one file, configured by environment variables.

Every value that differs between a laptop and production comes from the environment
(see the configuration table in README.md). DEBUG is off unless asked for, and with DEBUG
off the process refuses to start without a real SECRET_KEY.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def envsecret(name: str) -> str:
    """Read NAME, or the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    if path := os.getenv(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.getenv(name, "")


def envrate(name: str, default: str) -> tuple[int, int]:
    """A rate limit written "LIMIT/SECONDS" ("100/10": 100 per 10 seconds; "0/60": off)."""
    value = os.getenv(name, default)
    try:
        limit, window = (int(part) for part in value.split("/"))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be LIMIT/SECONDS, e.g. 100/10, not {value!r}.") from None
    if limit < 0 or window < 1:
        raise ImproperlyConfigured(f"{name} needs a limit of 0 or more per 1 second or more, not {value!r}.")
    return limit, window


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "false")

SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE) to a long random "
            "string, e.g. the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on-0123456789"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "accounts",
    "questions",
    "exams",
    "insights",
    "notes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "quizapp.htmx.HtmxLoginRedirectMiddleware",
    "quizapp.middleware.PrivatePagesMiddleware",
]

ROOT_URLCONF = "quizapp.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # After Django's own (built in, first): the same csrf_token, masked in C.
                "quizapp.csrf.csrf",
            ],
            # Not an installed app: the project's own tags used by templates/base.html.
            "libraries": {"perlanguage": "quizapp.templatetags.perlanguage"},
        },
    },
]

WSGI_APPLICATION = "quizapp.wsgi.application"

# SQLite file by default (make run); PostgreSQL in production and CI via DATABASE_URL.
# conn_health_checks lets a process recover by itself after the database restarts.
DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let several gunicorn workers share the file without
    # "database is locked" errors; IMMEDIATE takes the write lock at BEGIN so that a
    # read-then-write transaction cannot deadlock against another writer.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a health check that reads the socket instead of a SELECT 1.
    DATABASES["default"]["ENGINE"] = "quizapp.postgresql"
if DATABASES["default"]["ENGINE"] == "quizapp.postgresql" and envbool("DB_PREPARED", "true"):
    # Server-side binding lets psycopg prepare a statement once it has run twice on a
    # connection, so PostgreSQL stops parsing and planning the same few hot queries (the
    # answer save: +23% throughput in bench/run.py). Off (DB_PREPARED=false) behind a
    # pooler that does not keep prepared statements, e.g. PgBouncer < 1.21 in transaction mode.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 2}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every process when REDIS_URL is set (throttling, cached
# aggregates); a per-process memory cache otherwise, which is fine for one process.
if REDIS_URL := os.getenv("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "quizapp.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "dashboard"

# Rate limits (quizapp/ratelimit.py). Failed passwords (log-in, the admin's log-in, password
# change): this many per username within the window lock that username until the window ends;
# past the per-address count, each further failure makes the address wait twice as long (at
# most LOGIN_BACKOFF_MAX seconds), so the others behind one proxy are slowed, not locked out.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
LOGIN_FAILURE_WINDOW = envint("LOGIN_FAILURE_WINDOW", "900")
LOGIN_ADDRESS_FAILURE_LIMIT = envint("LOGIN_ADDRESS_FAILURE_LIMIT", "20")
LOGIN_BACKOFF_MAX = envint("LOGIN_BACKOFF_MAX", "60")
# Requests per window ("LIMIT/SECONDS"). Per-address limits are generous: a school or an
# exam centre sits behind one address.
SIGNUP_ADDRESS_RATE = envrate("SIGNUP_ADDRESS_RATE", "20/600")
PASSWORD_RESET_ADDRESS_RATE = envrate("PASSWORD_RESET_ADDRESS_RATE", "10/3600")
PASSWORD_RESET_EMAIL_RATE = envrate("PASSWORD_RESET_EMAIL_RATE", "3/3600")
GUEST_ADDRESS_RATE = envrate("GUEST_ADDRESS_RATE", "300/3600")
START_RATE = envrate("START_RATE", "30/3600")
START_ADDRESS_RATE = envrate("START_ADDRESS_RATE", "300/3600")
SAVE_RATE = envrate("SAVE_RATE", "100/10")
PROBLEM_REPORT_RATE = envrate("PROBLEM_REPORT_RATE", "10/3600")
PROBLEM_REPORT_ADDRESS_RATE = envrate("PROBLEM_REPORT_ADDRESS_RATE", "30/3600")
# Starting one more practice session than this finishes the owner's oldest open ones.
PRACTICE_OPEN_LIMIT = envint("PRACTICE_OPEN_LIMIT", "10")
# How many proxies we run in front of gunicorn, each appending to X-Forwarded-For: the
# client address is that many entries from the right (0: the connection's own address).
TRUSTED_PROXY_HOPS = envint("TRUSTED_PROXY_HOPS", "0")
# Unclaimed guest data older than this many days is removed by `purge_guests`; guests that
# never saved an answer go after GUEST_IDLE_HOURS.
GUEST_RETENTION_DAYS = envint("GUEST_RETENTION_DAYS", "30")
GUEST_IDLE_HOURS = envint("GUEST_IDLE_HOURS", "24")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ja", _("Japanese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switcher's choice outlives the browser session (accounts also store it, see accounts.language).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = os.getenv("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# collectstatic's target; tests/quizapp/test_static_modules.py collects into a temporary one.
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded media (images of imported questions, questions.media) go through the default
# storage. whitenoise serves static files only: questions.views.question_image serves these
# with their checked type and nosniff. In Docker, MEDIA_ROOT is a volume (Dockerfile).
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "quizapp.storage.StaticFilesStorage"
    },
}

# Mail: the console in development, SMTP (configured here) otherwise.
if os.getenv("EMAIL_HOST") or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.getenv("EMAIL_HOST", "localhost"),
                "port": envint("EMAIL_PORT", "587"),
                "username": os.getenv("EMAIL_HOST_USER", ""),
                "password": envsecret("EMAIL_HOST_PASSWORD"),
                "use_tls": envbool("EMAIL_USE_TLS", "true"),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "quizapp <noreply@localhost>")

# Content-Security-Policy: scripts only from our origin or with the per-request nonce
# (htmx's script tag); no 'unsafe-inline' or 'unsafe-eval' anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Sessions live in the database and are read from the cache (Redis, shared by every process;
# a process's own memory with one worker): every request of a candidate reads the session
# (the owner id lives there), and a cache read costs a third of the ORM's query and takes
# no statement from PostgreSQL (bench/profile.py, README "Benchmarks"). Django falls back to
# the database when the cache fails, and log-out and key changes clear both. quizapp.sessions
# is Django's cached_db store creating a session without asking first whether its random key
# is taken (the insert's unique key answers that).
SESSION_ENGINE = "quizapp.sessions"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No page needs a camera, a microphone, the location or any other powerful feature.
PERMISSIONS_POLICY = (
    "accelerometer=(), browsing-topics=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)
# Answer posts are small; anything much bigger is hostile and is refused before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
# Bank files uploaded in the admin may be larger than a form post.
QUESTION_IMPORT_MAX_BYTES = envint("QUESTION_IMPORT_MAX_BYTES", str(10 * 1024 * 1024))
# Admin uploads bigger than this are imported in the background (questions.imports), so that
# a long import does not hold a gunicorn worker past its timeout.
QUESTION_IMPORT_BACKGROUND_BYTES = envint("QUESTION_IMPORT_BACKGROUND_BYTES", str(512 * 1024))

if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}
