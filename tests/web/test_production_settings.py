"""Production settings (DJANGO_ENV=production), checked in a fresh Python process each time,
since the settings module is read once per process."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
HOST = "exchange.example.com"

# Runs under production settings: collects the facts the tests below assert on.
PROBE = r"""
import json, sys, types
import django
from django.conf import settings

django.setup()
names = ["DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
         "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER", "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY",
         "ALLOWED_HOSTS", "STORAGES", "TRUSTED_PROXY_COUNT"]
facts = {"settings": {name: getattr(settings, name) for name in names}}
# Rendering pages would need collectstatic's manifest; the error pages under test do not use it.
settings.STORAGES = {**settings.STORAGES,
                     "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
from django.test import Client
from django.urls import path
import lexp_site.urls

def boom(request):
    raise RuntimeError("boom: the probe's own failure with a secret-looking detail")

urls = types.ModuleType("probe_urls")
urls.urlpatterns = [path("probe-boom", boom), *lexp_site.urls.urlpatterns]
sys.modules["probe_urls"] = urls
settings.ROOT_URLCONF = "probe_urls"

client = Client(raise_request_exception=False, HTTP_HOST=settings.ALLOWED_HOSTS[0])
https = {"HTTP_X_FORWARDED_PROTO": "https"}
def seen(response):
    return {"status": response.status_code, "headers": dict(response.headers), "body": response.content.decode()}

facts["home_over_http"] = seen(client.get("/"))
facts["healthz_over_http"] = seen(client.get("/healthz"))
facts["healthz_over_https"] = seen(client.get("/healthz", **https))
facts["healthz_by_address_over_http"] = seen(client.get("/healthz", HTTP_HOST="10.0.0.5:8000"))
facts["metrics_by_address_over_http"] = seen(client.get("/metrics", HTTP_HOST="10.0.0.5:8000"))
facts["error"] = seen(client.get("/probe-boom", **https))
facts["not_found"] = seen(client.get("/no-such-page", **https))
facts["wrong_host_over_http"] = seen(client.get("/", HTTP_HOST="attacker.example"))
print(json.dumps(facts, default=str))
"""


def production_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DATABASE_URL")}
    env |= {
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "lexp_site.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": "sqlite:///:memory:",
    }
    return env | overrides


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def probe() -> dict:
    env = production_env()
    result = run(["-c", PROBE], env)
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout.splitlines()[-1])
    facts["secret_key"] = env["SECRET_KEY"]
    return facts


def test_check_deploy_prints_no_warning():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output


@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_it_refuses_to_start_without_a_required_variable(variable):
    env = production_env()
    del env[variable]
    result = run(["-c", "import lexp_site.settings"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Set the environment variable {variable}" in result.stderr


def test_it_refuses_an_allowed_hosts_list_with_no_host():
    result = run(["-c", "import lexp_site.settings"], production_env(ALLOWED_HOSTS=" , "))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name at least one host" in result.stderr


def test_debug_stays_off_even_when_asked_for(probe):
    env = production_env(DEBUG="true")
    result = run(["-c", "from lexp_site import settings; print(settings.DEBUG)"], env)
    assert result.stdout.strip() == "False"
    assert probe["settings"]["DEBUG"] is False


def test_it_turns_on_transport_security(probe):
    values = probe["settings"]
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["ALLOWED_HOSTS"] == [HOST]


def test_it_serves_compressed_hashed_static_files(probe):
    # Read before the probe swaps the storage: this is what production runs with.
    storage = probe["settings"]["STORAGES"]["staticfiles"]["BACKEND"]
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_it_redirects_plain_http_to_https(probe):
    assert probe["home_over_http"]["status"] == 301
    assert probe["home_over_http"]["headers"]["Location"] == f"https://{HOST}/"


def test_the_health_check_answers_over_plain_http_for_the_load_balancer(probe):
    assert probe["healthz_over_http"]["status"] == 200
    assert json.loads(probe["healthz_over_http"]["body"]) == {"status": "ok"}


def test_the_balancer_and_prometheus_may_reach_a_server_by_its_address_over_plain_http(probe):
    """No Host in ALLOWED_HOSTS, no https: the probe and the scrape from loopback still answer."""
    health = probe["healthz_by_address_over_http"]
    assert (health["status"], json.loads(health["body"])) == (200, {"status": "ok"})
    assert probe["metrics_by_address_over_http"]["status"] == 200
    assert "django_http_requests_total_by_method_total" in probe["metrics_by_address_over_http"]["body"]


def test_it_sends_the_security_headers_over_https(probe):
    headers = probe["healthz_over_https"]["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in headers["Content-Security-Policy"]


def test_an_error_shows_a_plain_500_page_without_debug_details(probe):
    error = probe["error"]
    assert error["status"] == 500
    for leak in ("Traceback", "RuntimeError", "boom", "secret-looking", "SECRET_KEY", probe["secret_key"],
                 "DJANGO_SETTINGS_MODULE", "settings", "lexp_site"):
        assert leak not in error["body"], leak


def test_a_missing_page_does_not_list_the_url_patterns(probe):
    not_found = probe["not_found"]
    assert not_found["status"] == 404
    for leak in ("URLconf", "probe-boom", "admin/", "healthz", "Django tried"):
        assert leak not in not_found["body"], leak


def test_a_wrong_host_refused_before_the_https_redirect_still_carries_the_security_headers(probe):
    refused = probe["wrong_host_over_http"]
    assert refused["status"] == 400
    assert refused["headers"]["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in refused["headers"]["Content-Security-Policy"]


def test_x_forwarded_for_is_trusted_only_when_a_proxy_is_configured(probe):
    # make serve runs production settings with no proxy in front: a client's X-Forwarded-For is its own claim.
    assert probe["settings"]["TRUSTED_PROXY_COUNT"] == 0
    result = run(["-c", "from lexp_site import settings; print(settings.TRUSTED_PROXY_COUNT)"],
                 production_env(TRUSTED_PROXY_COUNT="1"))
    assert result.stdout.strip() == "1"
