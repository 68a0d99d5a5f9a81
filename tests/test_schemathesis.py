"""schemathesis against the live API: gunicorn with the production settings, on 127.0.0.1, the document it
serves at /api/openapi.json. Every check, every phase; a fixed generation (deterministic), so a run is
repeatable. 0 failures and 0 server errors (``not_a_server_error`` is one of the checks).

The server has its own SQLite database, migrated in a temporary folder: the API reads only the published
terms, and the rest of the suite runs every query on PostgreSQL (the Makefile leaves this file out of that pass).
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MAX_EXAMPLES = 100  # per operation and phase: about 30 s on 2 cores


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def live_url(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("live-api")
    port = _free_port()
    env = os.environ | {
        "DJANGO_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false", "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "STATIC_ROOT": str(folder / "static"), "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": str(folder / "access.log"),
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env,
                   check=True)
    with open(folder / "server.log", "wb") as log:
        server = subprocess.Popen([BIN / "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, env=env, stdout=log,
                                  stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                assert server.poll() is None, (folder / "server.log").read_text()
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer /healthz in 20 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_schemathesis_finds_no_failure_and_no_server_error(live_url, tmp_path):
    run = subprocess.run(
        [BIN / "st", "--config-file", ROOT / "tests" / "schemathesis.toml", "run", f"{live_url}/api/openapi.json",
         "--checks", "all", "--max-examples", str(MAX_EXAMPLES), "--generation-deterministic", "--workers", "1",
         "--no-color", "--request-timeout", "30"],
        # In a folder of its own: schemathesis keeps a cache of past failures (.schemathesis/) where it runs.
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False,
    )
    report = run.stdout + run.stderr
    assert run.returncode == 0, report[-8000:]
    assert "Operations:       2 selected / 2 total" in report
    cases = re.search(r"(\d+) generated, (\d+) passed", report)
    assert cases is not None, report[-8000:]
    print(f"schemathesis: {cases[0]}")  # shown with pytest -rP
    generated, passed = int(cases[1]), int(cases[2])
    assert generated == passed and generated >= 2 * MAX_EXAMPLES, report[-8000:]
