"""gunicorn.conf.py: what the production server runs with (read as gunicorn reads it, a Python file)."""

from __future__ import annotations

import gc
import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from gunicorn.ctl.client import ControlClient

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.fixture
def config(monkeypatch):
    def load(**env: str) -> dict:
        for name in ("GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "GUNICORN_ACCESS_LOG",
                     "GUNICORN_CONTROL_SOCKET"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(CONFIG))
    return load


def test_the_environment_sets_bind_workers_and_timeout(config):
    settings = config(GUNICORN_BIND="127.0.0.1:9001,127.0.0.1:9002", WEB_CONCURRENCY="2", GUNICORN_TIMEOUT="45")
    assert settings["bind"] == ["127.0.0.1:9001", "127.0.0.1:9002"]
    assert (settings["workers"], settings["timeout"]) == (2, 45)
    assert settings["wsgi_app"] == "lexp_site.wsgi:application"


def test_by_default_it_listens_on_loopback_only(config):
    assert config()["bind"] == ["127.0.0.1:8000"]


def test_the_preloaded_app_is_frozen_before_each_fork(config):
    settings = config()
    assert settings["preload_app"] is True
    gc.unfreeze()
    try:
        settings["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_there_is_no_control_socket_unless_one_is_named(config):
    assert config()["control_socket_disable"] is True
    named = config(GUNICORN_CONTROL_SOCKET="/run/exchange-outcome/a.ctl")
    assert (named["control_socket"], named["control_socket_disable"]) == ("/run/exchange-outcome/a.ctl", False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_two_servers_on_one_host_each_answer_on_their_own_control_socket(tmp_path):
    """gunicorn's default is one socket per user: the second server would take it over from the first."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")} | {
        "HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(tmp_path),  # where gunicorn's default socket would go
        "DATABASE_URL": "sqlite:///:memory:", "WEB_CONCURRENCY": "1"}
    servers = {}
    try:
        for name in ("a", "b", "c"):
            port = free_port()
            socket_env = {"GUNICORN_CONTROL_SOCKET": str(tmp_path / f"{name}.ctl")} if name != "c" else {}
            servers[name] = (port, subprocess.Popen(
                [str(Path(sys.executable).with_name("gunicorn")), "-c", str(CONFIG)], cwd=CONFIG.parent,
                env=env | socket_env | {"GUNICORN_BIND": f"127.0.0.1:{port}"},
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for name in ("a", "b"):
            for _ in range(300):
                if (tmp_path / f"{name}.ctl").exists():
                    break
                time.sleep(0.05)
            with ControlClient(str(tmp_path / f"{name}.ctl"), timeout=10) as client:
                listeners = client.send_command("show listeners")["listeners"]
            assert [listener["address"] for listener in listeners] == [f"http://127.0.0.1:{servers[name][0]}"]
        # c named none, so it made none: not in gunicorn's default places either (once it serves).
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{servers['c'][0]}/healthz", timeout=5)
                break
            except OSError:
                time.sleep(0.05)
        assert sorted(path.name for path in tmp_path.rglob("*.ctl")) == ["a.ctl", "b.ctl"]
    finally:
        for _, process in servers.values():
            process.terminate()
        for _, process in servers.values():
            process.wait(timeout=60)
