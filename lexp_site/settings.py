"""Settings for Exchange Outcome: one module, read from the environment.

Development (the default) runs with DEBUG on and a SQLite file; production
(``DJANGO_ENV=production``) requires ``SECRET_KEY`` and ``ALLOWED_HOSTS`` and turns
on every transport-security setting. ``DATABASE_URL`` selects PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str:
    """The variable's value (empty counts as unset); without a default, a missing one stops start-up."""
    value = os.environ.get(name) or default
    if value is None:
        raise ImproperlyConfigured(
            f"Set the environment variable {name} (required when DJANGO_ENV=production; see docs/deploy.md)."
        )
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if not value:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = env(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str | None = None) -> list[str]:
    """A comma-separated variable as a list, blanks dropped."""
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DJANGO_ENV = env("DJANGO_ENV", "development")
if DJANGO_ENV not in ("development", "production"):
    raise ImproperlyConfigured(f"DJANGO_ENV must be development or production, not {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"
# bench/load.sh sets it to mount a trivial view at /bench/trivial, its baseline (lexp_site/bench.py).
BENCH_BASELINE = env_bool("BENCH_BASELINE", False)

if PRODUCTION:
    SECRET_KEY = env("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name at least one host, such as exchange.example.com.")
    # No switch for DEBUG in production: a debug page would show settings and source to anyone.
    DEBUG = False
else:
    SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    DEBUG = env_bool("DEBUG", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "simple_history",
    "axes",
    "csp",
    "django_prometheus",
    "lexp_site",
    "offers",
]

MIDDLEWARE = [
    # First and last: django-prometheus counts and times every request (lexp_site/metrics.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "lexp_site.middleware.request_id_middleware",
    # Every 4xx and 5xx under /api/ in the API's JSON errors format (lexp_site/errors.py).
    "lexp_site.errors.api_errors_middleware",
    # Frame options and the content security policy come before anything that can refuse a request
    # (SecurityMiddleware and CommonMiddleware refuse a wrong Host), so every response carries them.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A view that cannot reach the database answers 503, not 500 (lexp_site/unavailable.py).
    "lexp_site.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # /healthz and /metrics answer before CommonMiddleware checks the Host (a probe by address).
    "lexp_site.middleware.operational_endpoints_middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise: static files keep their own far-future caching.
    "lexp_site.middleware.private_cache_middleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Ends staff sessions when idle or too long, keeping a refused save's typing (lexp_site/staff_session.py).
    "lexp_site.staff_session.StaffSessionMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "lexp_site.urls"
WSGI_APPLICATION = "lexp_site.wsgi.application"

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
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer must cost a request a few seconds (then a 503), not
    # the worker: gunicorn kills a worker stuck for GUNICORN_TIMEOUT. What bounds each wait:
    # connecting, connect_timeout; a statement on a live server, statement_timeout (0: none);
    # data the server's host never acknowledges (host or network gone), tcp_user_timeout;
    # the check before a kept connection is reused, lexp_site.postgresql. A value given in
    # DATABASE_URL's query string wins.
    DATABASES["default"]["ENGINE"] = "lexp_site.postgresql"
    connect_seconds = env_int("DB_CONNECT_TIMEOUT", 3)  # libpq waits at least 2
    statement_ms = env_int("DB_STATEMENT_TIMEOUT_MS", 5000)
    for name, value in {
        "connect_timeout": connect_seconds,
        # A transaction left open (a worker stuck between statements) holds its locks no longer.
        "options": f"-c statement_timeout={statement_ms} -c idle_in_transaction_session_timeout={statement_ms}",
        "tcp_user_timeout": connect_seconds * 1000,
    }.items():
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(name, value)
    # A frozen server enforces no statement_timeout: the app stops waiting for any answer after this
    # (lexp_site.postgresql). A second more than the statement timeout, so a live server cancels first.
    DB_ANSWER_TIMEOUT_SECONDS = env_int("DB_ANSWER_TIMEOUT_SECONDS", statement_ms // 1000 + 1 if statement_ms else 0)
# After a connection fails, connecting is not tried again for this long: those requests answer
# 503 at once instead of each waiting its connect timeout (lexp_site/breaker.py).
DB_RETRY_SECONDS = env_int("DB_RETRY_SECONDS", 5)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes: lock the admin login after repeated failures (lexp_site/lockout.py): a username at
# one address after AXES_FAILURE_LIMIT wrong passwords, and an address after AXES_ADDRESS_FAILURE_LIMIT
# failures for usernames with no account or already locked (a correct password for an account in good
# standing still logs in), each for AXES_COOLOFF_TIME hours after the last failure. The superuser
# unlocks in the admin (axes registers Access attempts there). Threat model: docs/deploy.md.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = 1  # hours
AXES_ENABLE_ADMIN = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "lexp_site.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "lexp_site.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Attempts while locked are refused and not counted: they neither extend the lock nor, by piling up
# under one username, lock the whole address.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Behind a proxy every request comes from the proxy's address: set TRUSTED_PROXY_COUNT to the number
# of proxies that append to X-Forwarded-For (nginx alone: 1). With none (the default) the header is
# the client's own claim and is ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "lexp_site.middleware.client_ip"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
# Every time Django formats for staff names its zone (lexp_site/formats/en/formats.py).
FORMAT_MODULE_PATH = ["lexp_site.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))  # where collectstatic writes
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (favicon.ico), served there by whitenoise without
# a hashed name; scripts/make_favicon.py writes the icon.
WHITENOISE_ROOT = BASE_DIR / "root_files"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content security policy (django-csp 4): our own origin only, no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

X_FRAME_OPTIONS = "DENY"
# Staff sessions (lexp_site/staff_session.py) end 2 hours after the last request, 12 hours after logging in at
# most, or when the browser closes; pages warn 5 minutes before the end and offer "Stay signed in".
STAFF_SESSION_IDLE = 2 * 60 * 60
STAFF_SESSION_MAX = 12 * 60 * 60
STAFF_SESSION_WARN = 5 * 60
# The stored session outlives both, so the middleware still knows whose session ended (and keeps their typing).
SESSION_COOKIE_AGE = STAFF_SESSION_MAX
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Result URLs carry the holding (principal, date): never send them, or even our origin, elsewhere.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

if PRODUCTION:
    # The proxy terminates TLS and says so in X-Forwarded-Proto (it must overwrite any
    # value the client sent: see docs/deploy.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # A load balancer probes /healthz, and Prometheus scrapes /metrics, over plain http on the app server.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "exchange-outcome",
    },
}

# /metrics answers these client addresses only (lexp_site/metrics.py); every other gets a 404.
METRICS_ALLOWED_ADDRESSES = env_list("METRICS_ALLOWED_ADDRESSES", "127.0.0.1,::1")

# One JSON object per line on stderr, each with the request id; gunicorn's error and access logs
# write the same lines to the same stream (gunicorn.conf.py). Refused requests are one short line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "quiet_refusals": {"()": "lexp_site.middleware.QuietRefusalsFilter"},
        "request_context": {"()": "lexp_site.middleware.RequestContextFilter"},
    },
    "formatters": {"json": {"()": "lexp_site.middleware.JsonLineFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json",
                    "filters": ["quiet_refusals", "request_context"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    # Django's own loggers keep their handlers unless told otherwise: send them through ours.
    "loggers": {
        "django": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING"), "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# /holdings and POST /api/holdings take a file or pasted rows of up to 10 MB (offers/core/holdings.py), in a
# request up to 1 MB larger (offers/holdings.py MAX_REQUEST_BYTES refuses anything longer before it is read).
# Django's own limits match it, so it neither answers 400 first nor writes an upload to a temporary file:
# accounts are read in memory only.
DATA_UPLOAD_MAX_MEMORY_SIZE = 11 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 11 * 1024 * 1024
