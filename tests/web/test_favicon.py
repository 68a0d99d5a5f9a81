"""`/favicon.ico`: browsers ask for it on every site; whitenoise serves it from root_files/."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

from django.contrib.staticfiles import finders

from tests.web.holder import shared_client
from tests.web.test_production_settings import BASE_DIR, HOST, production_env, run

client = shared_client  # one client for the module (see tests/web/holder.py)

ICO_HEADER = b"\0\0\1\0"  # reserved, type 1 (icon)


def test_it_answers_with_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    body = b"".join(response.streaming_content)
    assert body.startswith(ICO_HEADER)
    assert int.from_bytes(body[4:6], "little") == 3  # 16, 32 and 48 px


def test_it_answers_under_production_settings():
    probe = f"""
import django, json
django.setup()
from django.test import Client
response = Client(HTTP_HOST={HOST!r}).get("/favicon.ico", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({{"status": response.status_code, "type": response["Content-Type"],
                  "head": b"".join(response.streaming_content)[:4].hex()}}))
"""
    result = run(["-c", probe], production_env())
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["status"] == 200
    assert seen["type"].startswith("image/")
    assert bytes.fromhex(seen["head"]) == ICO_HEADER


def test_the_svg_for_the_link_tag_is_a_static_file():
    found = finders.find("favicon.svg")
    assert found is not None
    assert Path(found).read_bytes().startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')


def test_the_committed_icons_are_what_the_script_draws():
    drawing = runpy.run_path(str(BASE_DIR / "scripts" / "make_favicon.py"))
    assert (BASE_DIR / "static" / "favicon.svg").read_bytes() == drawing["svg"]()
    assert (BASE_DIR / "root_files" / "favicon.ico").read_bytes() == drawing["ico"]()
