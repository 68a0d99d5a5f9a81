"""A real PostgreSQL stopped and frozen under a real gunicorn: every endpoint answers 503 in its
own format, within seconds, no worker is killed, and the site recovers when the database returns.
Frozen under load (16 clients), no request waits until gunicorn's timeout: the breaker answers
503 at once after the first failure, and a query under way when the server froze is given up.

The cluster is this module's own (the suite's PostgreSQL serves other tests and must never be
stopped): initialised in a temporary folder, started on a free loopback port as
``scripts/with-postgres.sh`` does, migrated, and served by gunicorn with ``gunicorn.conf.py``
under production settings. It needs the PostgreSQL server binaries, and runs once per
``make test``: in the SQLite pass (in the PostgreSQL pass it is skipped, to keep CI short).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from bs4 import BeautifulSoup
from django.db.utils import ConnectionHandler

from lexp_site.breaker import outage
from lexp_site.postgresql.base import DeadlineConnection

BASE_DIR = Path(__file__).resolve().parents[2]


def newest_postgresql() -> str:
    """The newest /usr/lib/postgresql/<version>/bin, as scripts/with-postgres.sh picks it."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda path: [int(part) for part in re.findall(r"\d+", path.parts[-3])])
    return str(found[-1].parent) if found else ""


PG_BIN = os.environ.get("PG_BIN") or newest_postgresql()
HOLDING = "principal=1000&consummation=2003-10-10"
STAFF_PASSWORD = "a-long-staff-password-7"
# connect_timeout (3 s) after the check of the kept connection gives up (1 s), and some slack for a busy machine.
WITHIN_SECONDS = 5.5
# gunicorn.conf.py's default: a request this long gets its worker killed.
GUNICORN_TIMEOUT = 30

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not Path(PG_BIN, "initdb").is_file(),
                       reason="PostgreSQL server binaries not found (install postgresql, or set PG_BIN)"),
    pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="runs its own PostgreSQL once per `make test`, in the SQLite pass"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # it has just exited
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@dataclass
class Cluster:
    directory: Path
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/exchange_outcome"

    def run(self, program: str, *args: str) -> None:
        command = [str(Path(PG_BIN, program)), *args]
        if os.geteuid() == 0:  # the server refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self.run("pg_ctl", "-D", f"{self.directory}/data", "-l", f"{self.directory}/server.log", "-w", "-t", "60",
                 "-o", f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", f"{self.directory}/data", "-m", "fast", "-w", "stop")

    @contextmanager
    def frozen(self) -> Iterator[None]:
        """Every server process stopped (SIGSTOP), its connections left open, as a hung database is."""
        postmaster = int(Path(self.directory, "data", "postmaster.pid").read_text().split()[0])
        processes = [postmaster, *children(postmaster)]
        for pid in processes:
            os.kill(pid, signal.SIGSTOP)
        try:
            yield
        finally:
            for pid in processes:
                os.kill(pid, signal.SIGCONT)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float

    def json(self) -> object:
        return json.loads(self.body)

    def title(self) -> str:
        return BeautifulSoup(self.body, "html.parser").title.get_text(" ", strip=True)


@dataclass
class Server:
    port: int
    log: Path

    def request(self, path: str, *, method: str = "GET", cookies: dict[str, str] | None = None,
                form: dict[str, str] | None = None) -> Answer:
        # As the proxy sends it: the request came over https.
        headers = {"X-Forwarded-Proto": "https", "Referer": f"https://127.0.0.1:{self.port}/admin/login/"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()},
                            response.read().decode("utf-8", "replace"), time.monotonic() - started)
            answer.headers["set-cookie"] = " ".join(v for k, v in response.getheaders() if k.lower() == "set-cookie")
            return answer
        finally:
            connection.close()

    def workers_booted(self) -> list[str]:
        return re.findall(r"Booting worker with pid: (\d+)", self.log.read_text())


def environment(cluster: Cluster, static_root: Path, port: int) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items()
                 if not k.startswith(("DB_", "GUNICORN_", "SECURE_", "DJANGO_SUPERUSER_"))
                 and k not in ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "CONN_MAX_AGE",
                               "WEB_CONCURRENCY", "STATIC_ROOT")}
    return inherited | {
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "lexp_site.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # no proxy in front: X-Forwarded-Proto says https
        "DATABASE_URL": cluster.url,
        "STATIC_ROOT": str(static_root),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    directory = Path(tempfile.mkdtemp(prefix="exchange-outcome-faults-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    made = Cluster(directory)
    try:
        made.run("initdb", "-D", f"{directory}/data", "-A", "trust", "-U", "postgres", "-E", "UTF8")
        made.start()
        made.run("createdb", "-h", "127.0.0.1", "-p", str(made.port), "-U", "postgres", "exchange_outcome")
        yield made
    finally:
        try:
            made.run("pg_ctl", "-D", f"{directory}/data", "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass  # it never started
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def server(cluster: Cluster) -> Iterator[Server]:
    """gunicorn (2 workers, gunicorn.conf.py, production settings) on the module's migrated cluster."""
    port = free_port()
    static_root = cluster.directory / "static"
    env = environment(cluster, static_root, port)
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["createsuperuser", "--noinput",
                                                                              "--username", "staff",
                                                                              "--email", "staff@example.com"]):
        subprocess.run([sys.executable, "manage.py", *command, "--verbosity", "0"], cwd=BASE_DIR, check=True,
                       env=env | {"DJANGO_SUPERUSER_PASSWORD": STAFF_PASSWORD}, timeout=120)
    log = cluster.directory / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"],
                                   cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
    running = Server(port, log)
    try:
        for _ in range(300):
            try:
                if running.request("/healthz").status == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, log.read_text()
            time.sleep(0.1)
        yield running
    finally:
        process.terminate()
        process.wait(timeout=60)


def log_in(server: Server, password: str) -> Answer:
    """The admin's login form, filled in and sent as a browser does (its CSRF cookie and token)."""
    page = server.request("/admin/login/")
    csrf = re.search(r"csrftoken=([^;]+)", page.headers["set-cookie"]).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
    return server.request("/admin/login/?next=/admin/", method="POST", cookies={"csrftoken": csrf},
                          form={"csrfmiddlewaretoken": token, "username": "staff", "password": password})


@pytest.fixture(scope="module")
def staff_cookies(server: Server) -> dict[str, str]:
    """A staff member's session."""
    login = log_in(server, STAFF_PASSWORD)
    assert login.status == 302, login.body
    return {"sessionid": re.search(r"sessionid=([^;]+)", login.headers["set-cookie"]).group(1)}


def assert_site_page(answer: Answer) -> None:
    assert (answer.status, answer.headers["retry-after"]) == (503, "60")
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.title() == "Temporarily unavailable · Lexington Precision exchange offer"


def assert_admin_page(answer: Answer) -> None:
    assert (answer.status, answer.headers["retry-after"]) == (503, "60")
    assert answer.title() == "Temporarily unavailable | Exchange Outcome staff"


def assert_api(answer: Answer) -> None:
    assert (answer.status, answer.headers["retry-after"]) == (503, "60")
    assert answer.json() == {"errors": {"service": ["The service is temporarily unavailable: try again in a minute."]}}


def assert_health(answer: Answer) -> None:
    """/healthz is a liveness probe: the process answers, whatever the database does."""
    assert (answer.status, answer.json()) == (200, {"status": "ok"})


def wait_until_served(server: Server) -> None:
    """After the database returns, the breaker lets a connection through within DB_RETRY_SECONDS (5)."""
    for _ in range(100):
        if server.request(f"/?{HOLDING}").status == 200:
            return
        time.sleep(0.2)
    raise AssertionError("the holder page still answers 503 20 s after the database returned")


def test_with_the_database_stopped_every_endpoint_answers_503_in_its_own_format(server, cluster, staff_cookies):
    assert server.request(f"/?{HOLDING}").status == 200
    cluster.stop()
    try:
        health = server.request("/healthz")
        pages = [server.request(path) for path in
                 ("/", f"/?{HOLDING}", "/how-we-calculate", f"/export.csv?{HOLDING}",
                  f"/calendar.ics?version=september-2003&{HOLDING}")]
        api = server.request(f"/api/outcome?{HOLDING}")
        admin_pages = [server.request(path, cookies=staff_cookies)
                       for path in ("/admin/", "/admin/offers/offerversion/", "/staff/issue")]
        login = log_in(server, STAFF_PASSWORD)  # the form needs no database; checking the password does
    finally:
        cluster.start()
    assert_health(health)
    for page in pages:
        assert_site_page(page)
    assert_api(api)
    assert_admin_page(admin_pages[0])
    assert_admin_page(admin_pages[1])
    assert_site_page(admin_pages[2])  # the staff whole-issue page is one of the site's pages
    assert_admin_page(login)
    stylesheet = BeautifulSoup(pages[0].body, "html.parser").find("link", rel="stylesheet")["href"]
    assert server.request(stylesheet).status == 200  # the page is styled with the database down
    assert "Internal Server Error" not in server.log.read_text()


def test_after_a_stop_the_site_recovers_without_a_restart(server, cluster):
    wait_until_served(server)
    cluster.stop()
    try:
        assert server.request(f"/?{HOLDING}").status == 503
    finally:
        cluster.start()
    wait_until_served(server)
    assert server.request(f"/?{HOLDING}").status == 200
    assert server.request(f"/api/outcome?{HOLDING}").status == 200


def test_with_the_database_frozen_health_and_pages_answer_503_within_seconds_and_no_worker_dies(server, cluster):
    for _ in range(6):  # each worker keeps an open connection, which a frozen server never answers on
        assert server.request(f"/?{HOLDING}").status == 200
        assert server.request("/healthz").status == 200
    workers = server.workers_booted()
    with cluster.frozen():
        health = server.request("/healthz")
        page = server.request(f"/?{HOLDING}")
        api = server.request(f"/api/outcome?{HOLDING}")
    assert_health(health)
    assert_site_page(page)
    assert_api(api)
    seconds = [answer.seconds for answer in (health, page, api)]
    assert max(seconds) < WITHIN_SECONDS, seconds
    wait_until_served(server)
    assert server.request(f"/?{HOLDING}").status == 200
    log = server.log.read_text()
    assert "WORKER TIMEOUT" not in log
    assert server.workers_booted() == workers  # none killed and replaced


def test_a_query_the_frozen_server_never_answers_ends_in_an_error_not_a_wait(cluster, settings):
    """statement_timeout is the server's to enforce, and a frozen server enforces nothing."""
    settings.DB_ANSWER_TIMEOUT_SECONDS = 1
    with DeadlineConnection.connect(cluster.url, connect_timeout=3) as connection:
        connection.execute("SELECT 1")
        with cluster.frozen():
            with pytest.raises(psycopg.OperationalError, match=r"did not answer within 1 s"):
                connection.execute("SELECT 1")
        assert connection.closed


def test_a_kept_connection_the_frozen_server_does_not_answer_opens_the_breaker(cluster, django_db_blocker, settings):
    settings.DB_ANSWER_TIMEOUT_SECONDS = 6  # as production settings make it for PostgreSQL
    handler = ConnectionHandler({"default": dj_database_url.parse(cluster.url, engine="lexp_site.postgresql")})
    backend = handler["default"]
    with django_db_blocker.unblock():
        backend.ensure_connection()
        try:
            assert backend.is_usable()
            assert not outage.known_down
            with cluster.frozen():
                assert not backend.is_usable()
            assert outage.known_down  # the next connection is not even tried for DB_RETRY_SECONDS
        finally:
            backend.close()


def test_frozen_under_load_every_request_answers_before_the_gunicorn_timeout(server, cluster):
    """16 clients, the database frozen for 20 s while their requests are under way."""
    wait_until_served(server)
    workers = server.workers_booted()
    log_before = len(server.log.read_text())
    answers: list[tuple[object, float]] = []
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            started = time.monotonic()
            try:
                answers.append((server.request(f"/?{HOLDING}").status, time.monotonic() - started))
            except OSError as exc:
                answers.append((type(exc).__name__, time.monotonic() - started))

    clients = [threading.Thread(target=client, daemon=True) for _ in range(16)]
    for thread in clients:
        thread.start()
    time.sleep(1)  # requests under way, queries among them, when the server stops
    with cluster.frozen():
        time.sleep(20)
        stop.set()
        deadline = time.monotonic() + GUNICORN_TIMEOUT
        for thread in clients:
            thread.join(timeout=max(0, deadline - time.monotonic()))
        waiting = [thread for thread in clients if thread.is_alive()]
    for thread in clients:
        thread.join(timeout=60)
    wait_until_served(server)
    assert waiting == [], f"{len(waiting)} requests still waiting {GUNICORN_TIMEOUT} s after the last was sent"
    assert {status for status, _ in answers} <= {200, 503}, answers
    assert sum(1 for status, _ in answers if status == 503) > 100
    assert max(seconds for _, seconds in answers) < GUNICORN_TIMEOUT
    log = server.log.read_text()[log_before:]
    assert "WORKER TIMEOUT" not in log
    assert server.workers_booted() == workers  # none killed and replaced
    outage_lines = [line for line in log.splitlines() if '"database unavailable: answering 503' in line]
    assert 1 <= len(outage_lines) <= 2  # one per worker for the whole outage, not one per 503
