"""gunicorn.conf.py: what the production server runs with (read as gunicorn reads it, a Python file)."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.fixture
def config(monkeypatch):
    def load(**env: str) -> dict:
        for name in ("GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "GUNICORN_ACCESS_LOG"):
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
