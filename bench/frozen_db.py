"""A frozen database under load (not a test: it asserts nothing, it reports figures).

A throwaway PostgreSQL cluster and gunicorn (gunicorn.conf.py, production settings, 2 sync
workers) on 127.0.0.1 only, set up as tests/web/test_database_faults.py does. wrk sends the
holder page (one holding) over CONNECTIONS connections for DURATION seconds; one second in,
every PostgreSQL process is stopped (SIGSTOP) until wrk has finished, then resumed. Prints
wrk's p50/p99/max latency, requests, non-2xx answers (the 503s) and socket errors, and from
the server's access log the slowest request and those of 10 s or more (wrk leaves out a
request still waiting when it stops), and the workers killed.

    .venv/bin/python bench/frozen_db.py                  # 16 connections, 30 s
    CONNECTIONS=32 DURATION=40 .venv/bin/python bench/frozen_db.py

Goals (issue 21): p99 <= 5 s, no worker killed, no hung request. Needs wrk and the
PostgreSQL server binaries.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web.test_database_faults import (  # noqa: E402  (one home for the cluster and its server)
    HOLDING,
    Cluster,
    environment,
    free_port,
)

CONNECTIONS = int(os.environ.get("CONNECTIONS", "16"))
DURATION = int(os.environ.get("DURATION", "30"))
GUNICORN_TIMEOUT = 30
UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def seconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("bench/frozen_db.py: wrk not found (apt-get install -y wrk)")
    directory = Path(tempfile.mkdtemp(prefix="exchange-outcome-frozen-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    cluster = Cluster(directory)
    server = None
    try:
        cluster.run("initdb", "-D", f"{directory}/data", "-A", "trust", "-U", "postgres", "-E", "UTF8")
        cluster.start()
        cluster.run("createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "exchange_outcome")
        port = free_port()
        env = environment(cluster, directory / "static", port) | {"GUNICORN_TIMEOUT": str(GUNICORN_TIMEOUT)}
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            subprocess.run([sys.executable, "manage.py", *command, "--verbosity", "0"], cwd=ROOT, env=env,
                           check=True, timeout=300)
        log = directory / "gunicorn.log"
        with log.open("w") as output:
            server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"],
                                      cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/?{HOLDING}"
        for _ in range(300):
            if subprocess.run(["curl", "-fsS", "-o", "/dev/null", url], capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        subprocess.run(["wrk", "-t2", "-c4", "-d2s", url], capture_output=True, check=True)  # warm, connections kept
        booted = len(re.findall(r"Booting worker", log.read_text()))

        def freeze_after_a_second() -> None:
            time.sleep(1)
            freeze.__enter__()

        freeze = cluster.frozen()
        freezer = threading.Thread(target=freeze_after_a_second)
        freezer.start()
        try:
            wrk = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency",
                                  f"--timeout={GUNICORN_TIMEOUT + 30}s", url],
                                 capture_output=True, text=True, check=True)
        finally:
            freezer.join()
            freeze.__exit__(None, None, None)
        time.sleep(5)  # a request that waited through the freeze finishes (or its worker is killed) and is logged
        text = log.read_text()
        if os.environ.get("KEEP_LOG"):
            shutil.copy(log, os.environ["KEEP_LOG"])
        durations = [json.loads(line)["duration_ms"] / 1000 for line in text.splitlines()
                     if '"logger": "gunicorn.access"' in line]
        report(wrk.stdout, durations, killed=len(re.findall(r"WORKER TIMEOUT", text)),
               rebooted=len(re.findall(r"Booting worker", text)) - booted)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        try:
            cluster.run("pg_ctl", "-D", f"{directory}/data", "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(directory, ignore_errors=True)


def report(output: str, durations: list[float], *, killed: int, rebooted: int) -> None:
    """wrk's figures, and the server's: wrk leaves out requests still waiting when it stops."""
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.MULTILINE))
    maximum = re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", output).group(1)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", output) or [0, 0])[1])
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    socket_errors = sum(int(n) for n in errors.groups()) if errors else 0
    slowest = max(durations, default=0.0)
    hung = sum(1 for duration in durations if duration >= 10) + killed
    print(f"frozen database, {CONNECTIONS} connections, {DURATION} s, 2 sync workers:")
    print(f"  p50 {latency['50']}  p99 {latency['99']}  max {maximum}  requests {requests}  "
          f"non-2xx {non_2xx}  socket errors {socket_errors}")
    print(f"  server: slowest request {slowest:.2f} s, requests of 10 s or more (or killed) {hung}, "
          f"worker timeouts {killed}, workers replaced {rebooted}")
    if os.environ.get("VERBOSE"):
        print(output)


if __name__ == "__main__":
    main()
