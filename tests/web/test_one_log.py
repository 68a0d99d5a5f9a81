"""One log: the app, gunicorn's messages and its access log as JSON lines on stderr, each with the
request id; no query values in the access log; a refused request is one short WARNING line."""

from __future__ import annotations

import json
import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from lexp_site.middleware import JsonLineFormatter, RequestContextFilter, current_request, current_request_id
from tests.web.security import HOLDING

BASE_DIR = Path(__file__).resolve().parents[2]
ATTACKER = 'evil.example"\n{"level": "CRITICAL"}' + "A" * 8000


@pytest.mark.django_db
def test_a_host_not_allowed_is_one_short_warning_line_without_a_traceback(client, log_lines):
    response = client.get("/", headers={"Host": ATTACKER, "X-Request-ID": "probe-1"})
    assert response.status_code == 400
    [line] = log_lines()
    assert len(line) < 600
    record = json.loads(line)
    assert (record["level"], record["message"], record["request_id"]) == (
        "WARNING", "refused a request: DisallowedHost", "probe-1")
    assert "exception" not in record
    assert record["host"].startswith('evil.example"\\n{"level": "CRITICAL"}')  # escaped: no new line, no new record
    assert len(record["host"]) <= 80


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/api/outcome"])
def test_more_than_1000_parameters_is_one_short_warning_line(client, log_lines, path):
    query = "&".join(f"field{n}={'x' * 5}" for n in range(1200))
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    [line] = log_lines()
    record = json.loads(line)
    assert (record["level"], record["message"]) == ("WARNING", "refused a request: TooManyFieldsSent")
    assert "exception" not in record
    assert "field1000" not in line


def test_a_worker_timeout_line_names_the_abandoned_request():
    """gunicorn calls worker_abort in the worker, inside the request its master gave up on."""
    config = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    import io
    import logging

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonLineFormatter())
    logger = logging.getLogger("gunicorn.error")
    logger.addHandler(handler)
    id_token = current_request_id.set("slow-7")
    request_token = current_request.set(("GET", "/how-we-calculate"))
    try:
        config["worker_abort"](worker=None)
    finally:
        current_request.reset(request_token)
        current_request_id.reset(id_token)
        logger.removeHandler(handler)
    record = json.loads(stream.getvalue())
    assert record["level"] == "ERROR"
    assert record["message"].startswith("worker timeout")
    assert (record["request_id"], record["method"], record["path"]) == ("slow-7", "GET", "/how-we-calculate")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_writes_every_line_as_json_on_stderr_and_nothing_on_stdout(tmp_path):
    port = free_port()
    database = tmp_path / "db.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")} | {
        "DATABASE_URL": f"sqlite:///{database}", "WEB_CONCURRENCY": "1", "GUNICORN_BIND": f"127.0.0.1:{port}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"], cwd=BASE_DIR,
                   env=env, check=True, timeout=300)
    stdout, stderr = tmp_path / "stdout", tmp_path / "stderr"
    with stdout.open("w") as out, stderr.open("w") as err:
        server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"],
                                  cwd=BASE_DIR, env=env, stdout=out, stderr=err)
    base = f"http://127.0.0.1:{port}"
    query = "&".join(f"{k}={v}" for k, v in HOLDING.items())
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=5)
                break
            except OSError:
                time.sleep(0.1)
        page = urllib.request.Request(f"{base}/?{query}", headers={"X-Request-ID": "holder-1"})
        assert urllib.request.urlopen(page, timeout=30).status == 200
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert stdout.read_text() == ""
    records = [json.loads(line) for line in stderr.read_text().splitlines()]  # every line is JSON
    assert all({"time", "level", "logger", "message", "request_id"} <= record.keys() for record in records)
    assert any(r["logger"] == "gunicorn.error" and r["message"].startswith("Booting worker") for r in records)
    [access] = [r for r in records if r["logger"] == "gunicorn.access" and r["request_id"] == "holder-1"]
    assert (access["method"], access["path"], access["status"]) == ("GET", "/", 200)
    assert access["query"] == "principal=…&consummation=…"
    assert HOLDING["principal"] not in json.dumps(access)
