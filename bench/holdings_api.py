"""How fast is ``POST /api/holdings`` for a whole book? ``.venv/bin/python bench/holdings_api.py``

gunicorn with the production settings (as bench/load.sh starts it: DJANGO_ENV=production, gunicorn.conf.py),
one sync worker, on 127.0.0.1 only, against a SQLite database migrated (untimed) in a temporary directory; a
fresh server for each row, so each row's peak memory is its own. Rows:

- 27,412 accounts of $1,000 (every $1,000 of the issue), CSV body and JSON body;
- 100,000 accounts of $1 to $547 in turn (547 different amounts, $27,400,000 in all), CSV body and JSON body.

For each: seconds to the first bytes of the answer (the totals come first; every account is parsed and the
book added up before it), seconds to the last byte, megabytes of answer, and the worker's peak resident memory
(VmHWM from /proc) before the request and after it. The worker's timeout is raised to 600 s for the run: the
answer is every account's contract (about 7 KB each) and takes longer than gunicorn's default 30 s to stream.
Prints a table; asserts nothing.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def worker_pid(master: int) -> int:
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("no gunicorn worker")


def book(count: int, amount_of) -> list[tuple[str, str]]:
    return [(f"ACCT-{i:06d}", str(amount_of(i))) for i in range(count)]


def csv_body(accounts) -> tuple[bytes, str]:
    return ("account,principal\n" + "".join(f"{a},{p}\n" for a, p in accounts)).encode(), "text/csv"


def json_body(accounts) -> tuple[bytes, str]:
    return json.dumps({"consummation": "2003-10-10",
                       "accounts": [{"account": a, "principal": p} for a, p in accounts]}).encode(), "application/json"


def measure(folder: Path, env: dict[str, str], body: bytes, content_type: str) -> dict[str, float]:
    port = free_port()
    env = env | {"GUNICORN_BIND": f"127.0.0.1:{port}"}
    server = subprocess.Popen([BIN / "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=open(folder / "server.log", "ab"))
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        worker = worker_pid(server.pid)
        # Warm up: imports, the database connection, the first outcome.
        warm = urllib.request.Request(f"http://127.0.0.1:{port}/api/holdings?consummation=2003-10-10",
                                      data=b"A,1000\n", headers={"Content-Type": "text/csv"})
        urllib.request.urlopen(warm, timeout=60).read()
        before = peak_kb(worker)
        path = "/api/holdings" + ("?consummation=2003-10-10" if content_type == "text/csv" else "")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        start = time.perf_counter()
        connection.request("POST", path, body=body, headers={"Content-Type": content_type})
        response = connection.getresponse()
        first = response.read(65536)
        first_at = time.perf_counter() - start
        size = len(first)
        while chunk := response.read(1 << 20):
            size += len(chunk)
        total = time.perf_counter() - start
        assert response.status == 200, first[:500]
        assert first.startswith(b'{"consummation"'), first[:200]
        return {"first": first_at, "total": total, "mb": size / 1e6, "before": before / 1024,
                "peak": peak_kb(worker) / 1024}
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        env = os.environ | {
            "DJANGO_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false", "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "STATIC_ROOT": str(folder / "static"), "WEB_CONCURRENCY": "1", "GUNICORN_TIMEOUT": "600",
            "GUNICORN_ACCESS_LOG": str(folder / "access.log"),
        }
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env,
                       check=True)
        issue = book(27_412, lambda i: 1000)
        many = book(100_000, lambda i: 1 + i % 547)
        assert sum(int(p) for _, p in many) <= 27_412_000
        print(f"load average at the start: {os.getloadavg()[0]:.2f}")
        print("| accounts | body | body MB | s to the totals | s to the last byte | answer MB | worker peak RSS "
              "before -> after MB |")
        print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
        for name, accounts in (("27,412", issue), ("100,000", many)):
            for make in (csv_body, json_body):
                body, content_type = make(accounts)
                row = measure(folder, env, body, content_type)
                print(f"| {name} | {content_type} | {len(body) / 1e6:.1f} | {row['first']:.2f} | {row['total']:.2f} | "
                      f"{row['mb']:,.0f} | {row['before']:.0f} -> {row['peak']:.0f} |", flush=True)
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
