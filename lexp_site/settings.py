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
    "offers",
]

MIDDLEWARE = [
    "lexp_site.middleware.request_id_middleware",
    # Frame options and the content security policy come before anything that can refuse a request
    # (SecurityMiddleware and CommonMiddleware refuse a wrong Host), so every response carries them.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A view that cannot reach the database answers 503, not 500 (lexp_site/unavailable.py).
    "lexp_site.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise: static files keep their own far-future caching.
    "lexp_site.middleware.private_cache_middleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
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
    for name, value in {
        "connect_timeout": connect_seconds,
        "options": f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 5000)}",
        "tcp_user_timeout": connect_seconds * 1000,
    }.items():
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(name, value)

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
# wrong passwords for any usernames, each for AXES_COOLOFF_TIME hours after the last failure.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = 1  # hours
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
# Staff sessions end 8 hours after logging in, or when the browser closes, whichever comes first.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Result URLs carry the holding (principal, date): never send them, or even our origin, elsewhere.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

if PRODUCTION:
    # The proxy terminates TLS and says so in X-Forwarded-Proto (it must overwrite any
    # value the client sent: see docs/deploy.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # A load balancer probes /healthz over plain http, on the app server itself.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
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

# One JSON object per line on stderr (gunicorn passes it on), each with the request id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "lexp_site.middleware.RequestContextFilter"}},
    "formatters": {"json": {"()": "lexp_site.middleware.JsonLineFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_context"]},
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
