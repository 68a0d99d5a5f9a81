"""Backups an operator can rely on: make installs nothing to take or restore one, and the scheduled
backup of docs/deploy.md rotates its folder and copies each backup off the server."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

BASE_DIR = Path(__file__).resolve().parents[2]
OLD = ["offers-20261201T021500Z.json", "offers-20261202T021500Z.json", "offers-20261203T021500Z.json"]
NOT_BACKUPS = ["notes.txt", "offers-by-hand.json"]


def make_n(checkout: Path, *target: str) -> str:
    return subprocess.run(["make", "-n", "-C", str(checkout), *target], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A checkout as docs/deploy.md installs it: the Makefile and manage.py, no .venv/.runtime."""
    for name in ("Makefile", "manage.py"):
        shutil.copy(BASE_DIR / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize("target", [["backup"], ["restore", "FILE=backups/offers-20261203T021500Z.json"]])
def test_make_backup_and_restore_install_nothing_and_use_python3_without_a_venv(checkout, target):
    commands = make_n(checkout, *target)
    assert "pip" not in commands and "venv" not in commands
    assert re.search(r"^python3 manage\.py (backup|restore)_offers", commands, re.MULTILINE), commands


@pytest.mark.parametrize("target", [["backup"], ["restore", "FILE=backups/offers-20261203T021500Z.json"]])
def test_with_a_venv_but_no_runtime_marker_they_use_its_python_and_install_nothing(checkout, target):
    (checkout / ".venv" / "bin").mkdir(parents=True)
    (checkout / ".venv" / "bin" / "python").write_text("")
    commands = make_n(checkout, *target)
    assert "pip" not in commands
    assert re.search(r"^\.venv/bin/python manage\.py (backup|restore)_offers", commands, re.MULTILINE), commands


@pytest.fixture
def folder(tmp_path) -> Path:
    """A backup folder with three older backups and two files that are not backups."""
    made = tmp_path / "backups"
    made.mkdir()
    for name in OLD + NOT_BACKUPS:
        (made / name).write_text("{}")
    return made


def backup(*args: str) -> str:
    out = io.StringIO()
    call_command("backup_offers", *args, stdout=out)
    return out.getvalue()


def new_backup(folder: Path) -> Path:
    """The backup just written: the newest by its name (the older ones are dated before today)."""
    made = max(folder.glob("offers-2*.json"))
    assert made.name not in OLD
    return made


@pytest.mark.django_db
def test_keep_leaves_the_newest_n_backups_and_nothing_else_is_touched(folder):
    output = backup("--dir", str(folder), "--keep", "2")
    made = new_backup(folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted([OLD[-1], made.name, *NOT_BACKUPS])
    assert "Deleted 2 older backups" in output


@pytest.mark.django_db
@pytest.mark.parametrize("keep", ["0", "-3"])
def test_keep_must_leave_at_least_the_new_backup(folder, keep):
    with pytest.raises(CommandError, match="--keep: must be 1 or more"):
        backup("--dir", str(folder), "--keep", keep)
    assert sorted(p.name for p in folder.iterdir()) == sorted(OLD + NOT_BACKUPS)


@pytest.mark.django_db
def test_copy_to_puts_an_identical_copy_in_the_other_folder(folder, tmp_path):
    offsite = tmp_path / "offsite"
    offsite.mkdir()
    backup("--dir", str(folder), "--copy-to", str(offsite))
    made = new_backup(folder)
    assert [p.name for p in offsite.iterdir()] == [made.name]  # no temporary file left behind
    assert (offsite / made.name).read_bytes() == made.read_bytes()


@pytest.mark.django_db
def test_pipe_to_gives_the_command_the_backup_on_stdin_and_its_name(folder, tmp_path):
    received = tmp_path / "received"
    received.mkdir()
    backup("--dir", str(folder), "--pipe-to", f'cat > "{received}/$BACKUP_NAME"')
    made = new_backup(folder)
    assert (received / made.name).read_bytes() == made.read_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize(("option", "value", "message"), [
    ("--pipe-to", "echo 'vault is full' >&2; exit 3", "--pipe-to: the command exited with status 3: vault is full"),
    ("--copy-to", "/nonexistent/offsite", "--copy-to: could not copy to /nonexistent/offsite"),
])
def test_a_failed_copy_is_an_error_and_no_old_backup_is_deleted(folder, option, value, message):
    with pytest.raises(CommandError, match=re.escape(message)) as raised:
        backup("--dir", str(folder), option, value, "--keep", "1")
    made = new_backup(folder)
    assert f"the backup stays in {made}" in str(raised.value)
    assert sorted(p.name for p in folder.iterdir()) == sorted([*OLD, made.name, *NOT_BACKUPS])


def documented_cron_line() -> str:
    text = (BASE_DIR / "docs" / "deploy.md").read_text()
    [line] = re.findall(r"^15 2 \* \* \* exchange (cd /srv/exchange-outcome .*)$", text, re.MULTILINE)
    return line


def test_the_documented_cron_line_rotates_and_copies_off_the_server(tmp_path, folder):
    """docs/deploy.md's line as cron runs it (sh -c), its paths pointed at temporary folders."""
    offsite = tmp_path / "offsite"
    offsite.mkdir()
    older = [f"offers-202611{day:02}T021500Z.json" for day in range(1, 13)]  # with OLD, 15 nights before
    for name in older:
        (folder / name).write_text("{}")
    env_file = tmp_path / "exchange-outcome.env"
    database = tmp_path / "db.sqlite3"
    env_file.write_text(f"export DATABASE_URL=sqlite:///{database}\n")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ENV")}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"], cwd=BASE_DIR,
                   env=env | {"DATABASE_URL": f"sqlite:///{database}"}, check=True, timeout=300)
    line = (documented_cron_line()
            .replace("/srv/exchange-outcome", str(BASE_DIR))
            .replace("/etc/exchange-outcome.env", str(env_file))
            .replace("/var/backups/exchange-outcome", str(folder))
            .replace("/mnt/offsite/exchange-outcome", str(offsite))
            .replace(".venv/bin/python", sys.executable))
    subprocess.run(["sh", "-c", line], env=env, check=True, timeout=300, capture_output=True)
    made = new_backup(folder)
    backups = sorted(p.name for p in folder.iterdir() if re.fullmatch(r"offers-\d{8}T\d{6}Z\.json", p.name))
    assert backups == [*older, *OLD, made.name][-14:]  # --keep 14
    assert (offsite / made.name).read_bytes() == made.read_bytes()
    assert made.read_text().startswith('{\n "manifest"')
