"""How fast is /holdings for a whole book of accounts? ``.venv/bin/python bench/holdings.py``

Two files through the page's POST, in-process (Django's test client, so no network and no server):

- **27,412 accounts**: every $1,000 of the $27,412,000 Old Notes its own account (one distinct principal);
- **100,000 accounts**: principals from $1.00 to $500.96 (48,500 distinct amounts, more than the per-principal
  memo keeps), adding up to about $25.1 million.

For each: seconds to the totals page (the upload parsed, every account worked out, the page with 200 rows
rendered), to the CSV and to the Excel workbook (each streamed to the end), median of three; then the peak
Python memory of each request, traced with tracemalloc in a separate run (tracing slows the code down, so it is
not timed). Consummation Oct 10, 2003, against a SQLite database migrated (untimed) in a temporary directory.

Goals (issue 20): 100,000 accounts in at most 3 s to the totals and at most 6 s to the workbook; peak memory
growing with the 200 rows shown, not with the file. Prints a table; asserts nothing.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 3
CONSUMMATION = "2003-10-10"


def whole_issue() -> bytes:
    return ("account,principal\n" + "".join(f"H{n:05d},1000\n" for n in range(1, 27_413))).encode()


def hundred_thousand() -> bytes:
    return ("account,principal,tendered\n" + "".join(
        f"F{n:06d},{1 + n % 500}.{n % 97:02d},{'yes' if n % 3 else 'no'}\n" for n in range(100_000))).encode()


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-holdings-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lexp_site.settings")
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", "--noinput", verbosity=0)
    client = Client()

    def request(data: bytes, fmt: str | None) -> Callable[[], int]:
        def run() -> int:
            fields: dict[str, object] = {"consummation": CONSUMMATION,
                                         "file": SimpleUploadedFile("accounts.csv", data, content_type="text/csv")}
            if fmt:
                fields["format"] = fmt
            response = client.post("/holdings", fields)
            assert response.status_code == 200, response.content[:500]
            body = b"".join(response.streaming_content) if response.streaming else response.content
            return len(body)

        return run

    def seconds(run: Callable[[], int]) -> tuple[float, int]:
        walls, size = [], 0
        for _ in range(REPEATS):
            start = time.perf_counter()
            size = run()
            walls.append(time.perf_counter() - start)
        return statistics.median(walls), size

    def peak_mb(run: Callable[[], int]) -> float:
        tracemalloc.start()
        try:
            run()
            return tracemalloc.get_traced_memory()[1] / 1024 / 1024
        finally:
            tracemalloc.stop()

    print(f"/holdings POST in-process, median of {REPEATS}; peak = tracemalloc peak of one request (MB)")
    print(f"{'file':<34} {'what':<9} {'seconds':>8} {'peak MB':>8} {'response':>12}")
    for name, data in (("27,412 accounts x $1,000", whole_issue()), ("100,000 accounts, mixed principals",
                                                                      hundred_thousand())):
        label = f"{name} ({len(data) / 1024 / 1024:.1f} MB)"
        for what, fmt in (("totals", None), ("csv", "csv"), ("workbook", "xlsx")):
            run = request(data, fmt)
            run()  # warm: imports, templates, the schedule cache
            wall, size = seconds(run)
            peak = peak_mb(run)
            print(f"{label:<34} {what:<9} {wall:>8.2f} {peak:>8.1f} {size / 1024:>9,.0f} KB", flush=True)
            label = ""


if __name__ == "__main__":
    main()
