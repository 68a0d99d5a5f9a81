"""`/bench/trivial`: bench/load.sh's baseline, mounted only when BENCH_BASELINE is set.

The URLconf is read once per process, so each case runs in a fresh Python process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.web.test_production_settings import BASE_DIR

PROBE = r"""
import django, json
django.setup()
from django.test import Client
response = Client().get("/bench/trivial")
print(json.dumps({"status": response.status_code, "type": response["Content-Type"],
                  "body": response.content.decode() if response.status_code == 200 else ""}))
"""


def _get_trivial(**env: str) -> dict:
    environ = {k: v for k, v in os.environ.items() if k not in ("BENCH_BASELINE", "DJANGO_ENV", "DATABASE_URL")}
    environ |= {"DJANGO_SETTINGS_MODULE": "lexp_site.settings", "DATABASE_URL": "sqlite:///:memory:"} | env
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=BASE_DIR, env=environ, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize("env", [{}, {"BENCH_BASELINE": "0"}], ids=["unset", "off"])
def test_it_does_not_exist_without_the_variable(env):
    assert _get_trivial(**env)["status"] == 404


def test_it_answers_a_tiny_text_when_the_bench_mounts_it():
    assert _get_trivial(BENCH_BASELINE="1") == {"status": 200, "type": "text/plain; charset=utf-8", "body": "ok\n"}


def test_the_bench_script_sets_it():
    assert "export BENCH_BASELINE=1\n" in (BASE_DIR / "bench" / "load.sh").read_text()
