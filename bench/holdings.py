"""How fast is /holdings for a whole book of accounts? ``.venv/bin/python bench/holdings.py``

Two files through the page's POST, in-process (Django's test client, so no network and no server):

- **27,412 accounts**: every $1,000 of the $27,412,000 Old Notes its own account (one distinct principal);
- **100,000 accounts, whole dollars**: principals from $1 to $500 (500 distinct amounts), about $25 million;
- **100,000 accounts with cents**: principals from $1.00 to $500.96 (48,500 distinct amounts, more than the
  per-principal memo keeps), about $25.1 million: each account worked out on its own.

For each: wall-clock and CPU seconds to the totals page (the upload parsed, every account worked out, the page
with 200 rows rendered; median of three) and to the CSV and the Excel workbook (each streamed to the end; one
run); then the peak Python memory of each request, traced with tracemalloc in a separate run (tracing slows the
code down, so it is not timed). Consummation Oct 10, 2003, against a SQLite database migrated (untimed) in a
temporary directory. On a shared machine compare CPU seconds: wall-clock far above them means something else ran.

Baseline in the same run: **openpyxl alone** writes a workbook of the same shape (an accounts sheet of 100,000
rows of the same 12 cells and formats, constant values, nothing computed) in write-only mode: the least any
workbook of 100,000 accounts written with openpyxl can cost on this machine. Each workbook's time is also given
as a multiple of it.

For comparison, when XlsxWriter is installed (it is not a dependency: ``.venv/bin/pip install xlsxwriter``),
**XlsxWriter alone** writes the same cells in its constant-memory mode: whether another writer would make the
workbook's goal reachable.

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
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 3
CONSUMMATION = "2003-10-10"


def whole_issue() -> bytes:
    return ("account,principal\n" + "".join(f"H{n:05d},1000\n" for n in range(1, 27_413))).encode()


def hundred_thousand_whole() -> bytes:
    return ("account,principal,tendered\n" + "".join(
        f"W{n:06d},{1 + n % 500},{'yes' if n % 3 else 'no'}\n" for n in range(100_000))).encode()


def hundred_thousand_cents() -> bytes:
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
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from offers.holdings import ACCOUNT_FORMATS

    def openpyxl_alone() -> int:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Accounts")
        cells = [WriteOnlyCell(sheet) for _ in ACCOUNT_FORMATS]
        values = ["F000001", "yes", *[Decimal("1234.56")] * (len(ACCOUNT_FORMATS) - 2)]
        for cell, number_format, value in zip(cells, ACCOUNT_FORMATS, values, strict=True):
            if number_format:  # as the page's workbook sets them
                cell.number_format = number_format
            cell.value = value
        for _ in range(100_000):
            sheet.append(cells)
        with tempfile.TemporaryFile() as handle:
            workbook.save(handle)
            return handle.tell()

    def xlsxwriter_alone() -> int:
        import xlsxwriter

        with tempfile.TemporaryFile() as handle:
            workbook = xlsxwriter.Workbook(handle, {"constant_memory": True})
            sheet = workbook.add_worksheet("Accounts")
            formats = [workbook.add_format({"num_format": f}) if f else None for f in ACCOUNT_FORMATS]
            values = ["F000001", "yes", *[Decimal("1234.56")] * (len(ACCOUNT_FORMATS) - 2)]
            for row in range(1, 100_001):
                for column, (value, number_format) in enumerate(zip(values, formats, strict=True)):
                    sheet.write(row, column, value, number_format)
            workbook.close()
            return handle.tell()

    def request(data: bytes, fmt: str | None) -> Callable[[], int]:
        def run() -> int:
            fields: dict[str, object] = {"consummation": CONSUMMATION,
                                         "file": SimpleUploadedFile("accounts.csv", data, content_type="text/csv")}
            if fmt:
                fields["format"] = fmt
            response = client.post("/holdings", fields)
            assert response.status_code == 200, response.content[:500]
            if not response.streaming:
                return len(response.content)
            return sum(len(chunk) for chunk in response.streaming_content)  # as a server sends it: piece by piece

        return run

    def seconds(run: Callable[[], int], repeats: int) -> tuple[float, float, int]:
        walls, cpus, size = [], [], 0
        for _ in range(repeats):
            start, cpu = time.perf_counter(), time.process_time()
            size = run()
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
        return statistics.median(walls), statistics.median(cpus), size

    def peak_mb(run: Callable[[], int]) -> float:
        tracemalloc.start()
        try:
            run()
            return tracemalloc.get_traced_memory()[1] / 1024 / 1024
        finally:
            tracemalloc.stop()

    print(f"/holdings POST in-process; totals: median of {REPEATS}, downloads: one run; peak = tracemalloc peak "
          f"of one request")
    floor_wall, floor_cpu, _ = seconds(openpyxl_alone, 1)
    print(f"baseline: openpyxl alone, 100,000 rows x {len(ACCOUNT_FORMATS)} cells: {floor_wall:.2f} s wall, "
          f"{floor_cpu:.2f} s CPU", flush=True)
    try:
        other_wall, other_cpu, _ = seconds(xlsxwriter_alone, 1)
        print(f"for comparison: XlsxWriter alone (constant memory), the same cells: {other_wall:.2f} s wall, "
              f"{other_cpu:.2f} s CPU", flush=True)
    except ImportError:
        print("for comparison: XlsxWriter is not installed (.venv/bin/pip install xlsxwriter to time it)")
    print(f"{'file':<40} {'what':<9} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} {'response':>11}", flush=True)
    files = (("27,412 accounts x $1,000", whole_issue()), ("100,000 accounts, whole dollars", hundred_thousand_whole()),
             ("100,000 accounts with cents", hundred_thousand_cents()))
    for name, data in files:
        label = f"{name} ({len(data) / 1024 / 1024:.1f} MB)"
        for what, fmt in (("totals", None), ("csv", "csv"), ("workbook", "xlsx")):
            run = request(data, fmt)
            if fmt is None:
                run()  # warm: imports, templates, the schedule cache
            wall, cpu, size = seconds(run, REPEATS if fmt is None else 1)
            peak = peak_mb(run)
            ratio = f"  {cpu / floor_cpu:.1f}x openpyxl alone" if fmt == "xlsx" else ""
            print(f"{label:<40} {what:<9} {wall:>7.2f} {cpu:>7.2f} {peak:>8.1f} {size / 1024:>8,.0f} KB{ratio}",
                  flush=True)
            label = ""


if __name__ == "__main__":
    main()
