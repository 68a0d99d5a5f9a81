"""How fast is the whole issue? ``.venv/bin/python bench/bulk_outcome.py``

Every $1,000 of the $27,412,000 Old Notes is its own holder (27,412 holders, two
published versions, so 54,824 holder-versions), consummation Oct 10, 2003.
Three measurements, each repeated three times (the median is reported):

1. end to end: ``manage.py outcome --holders ... --output ...`` as a subprocess, against a
   freshly migrated SQLite database in a temporary directory (the migration is not timed);
2. the core alone, in-process: ``version_outcome`` (every coupon object), the one path from a
   holding to its figures that the bulk command runs, for each holder and version (its
   holding-independent schedule cache cleared before each repetition);
3. the same coupon schedules and amounts with QuantLib-Python, in-process: one
   ``ql.Schedule`` per version (holding-independent, like the core's cache), then per
   holder and version a ``ql.FixedRateBond`` (and, separately, the lighter
   ``ql.FixedRateLeg``), coupons rounded to the cent, with the accrued interest, New
   Notes principal, fee and warrants worked out alongside in floats.

Goals: the whole issue in at most 3 s end to end; the core at least 5x QuantLib-Python.
Prints a table; asserts nothing.
"""

from __future__ import annotations

import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import QuantLib as ql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from offers.core import outcome as core  # noqa: E402 (needs ROOT on the path)
from offers.core.terms import OfferTerms  # noqa: E402
from offers.core.termsfile import seed_terms  # noqa: E402

CONSUMMATION = date(2003, 10, 10)
PRINCIPAL = Decimal(1000)
REPEATS = 3
GOAL_SECONDS = 3.0
GOAL_RATIO = 5.0


@dataclass(frozen=True)
class Timing:
    """Medians over REPEATS runs: wall-clock seconds, and CPU seconds (this process and its children).

    The machine may be shared: CPU time shows the work done whatever else was running.
    """

    wall: float
    cpu: float


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(run: Callable[[], object]) -> Timing:
    walls, cpus = [], []
    for _ in range(REPEATS):
        wall, cpu = time.perf_counter(), _cpu()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(_cpu() - cpu)
    return Timing(statistics.median(walls), statistics.median(cpus))


def write_holders(path: Path, count: int) -> None:
    lines = ["account,principal"] + [f"H{n:05d},{PRINCIPAL}" for n in range(1, count + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def end_to_end(workdir: Path, holders: Path, output: Path) -> Callable[[], None]:
    env = os.environ | {"DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    command = [*manage, "outcome", "--holders", str(holders), "--consummation", CONSUMMATION.isoformat(),
               "--output", str(output)]

    def run() -> None:
        # The command's totals and allocation check go to standard error: timed, not printed.
        subprocess.run(command, cwd=ROOT, env=env, check=True, stderr=subprocess.DEVNULL)

    return run


def core_alone(versions: list[OfferTerms], count: int, compute: Callable[..., object]) -> Callable[[], None]:
    def run() -> None:
        core._schedule.cache_clear()
        for _ in range(count):
            holding = core.Holding(PRINCIPAL, CONSUMMATION)
            for terms in versions:
                compute(terms, holding)

    return run


# --- QuantLib-Python --------------------------------------------------------------------

DAY_COUNTERS = {"30/360": ql.Thirty360(ql.Thirty360.BondBasis), "30E/360": ql.Thirty360(ql.Thirty360.European),
                "ACT/360": ql.Actual360(), "ACT/365F": ql.Actual365Fixed(),
                "ACT/ACT-ISDA": ql.ActualActual(ql.ActualActual.ISDA)}
FREQUENCIES = {1: ql.Annual, 2: ql.Semiannual, 4: ql.Quarterly, 12: ql.Monthly}


def qdate(day: date) -> ql.Date:
    return ql.Date(day.day, day.month, day.year)


@dataclass(frozen=True)
class QuantLibVersion:
    """What does not depend on the holding, prepared once per version (as the core caches it)."""

    old_rate: float
    accrual_fraction: float
    increment: float
    new_rate: float
    day_counter: ql.DayCounter
    schedule: ql.Schedule
    fee_rate: float
    shares_per_1000: float


def quantlib_version(terms: OfferTerms) -> QuantLibVersion:
    old, new, fee = terms.old_notes, terms.new_notes, terms.participation_fee
    assert old.accrual_end is None and new.interest_from is None, "the bench models the seeded versions"
    schedule = ql.Schedule(
        qdate(CONSUMMATION), qdate(new.maturity), ql.Period(FREQUENCIES[len(new.payment_months)]),
        ql.NullCalendar(), ql.Unadjusted, ql.Unadjusted, ql.DateGeneration.Backward, False,
        qdate(new.first_payment) if new.first_payment else ql.Date(),
    )
    return QuantLibVersion(
        old_rate=float(old.rate_percent) / 100,
        accrual_fraction=DAY_COUNTERS[old.day_count].yearFraction(qdate(old.accrual_start), qdate(CONSUMMATION)),
        increment=float(new.increment),
        new_rate=float(new.rate_percent) / 100,
        day_counter=DAY_COUNTERS[new.day_count],
        schedule=schedule,
        fee_rate=float(fee.percent) / 100 if fee and fee.percent is not None else 0.0,
        shares_per_1000=float(terms.warrants.shares_per_1000),
    )


CENTS = ql.ClosestRounding(2)  # half up to the cent


def quantlib_holding(v: QuantLibVersion, principal: float, bond: bool) -> tuple[list[tuple[ql.Date, float]], float]:
    accrued = principal * v.old_rate * v.accrual_fraction
    new_principal = math.floor((principal + accrued) / v.increment) * v.increment
    if bond:
        flows = ql.FixedRateBond(0, new_principal, v.schedule, [v.new_rate], v.day_counter).cashflows()[:-1]
    else:
        flows = ql.FixedRateLeg(v.schedule, v.day_counter, [new_principal], [v.new_rate])
    coupons = [(flow.date(), CENTS(flow.amount())) for flow in flows]
    total_interest = sum(amount for _, amount in coupons)
    fee = CENTS(principal * v.fee_rate)
    math.floor(new_principal * v.shares_per_1000 / 1000)  # warrant shares
    return coupons, total_interest + fee + new_principal


def quantlib_alone(versions: list[QuantLibVersion], count: int, bond: bool) -> Callable[[], None]:
    principal = float(PRINCIPAL)

    def run() -> None:
        for _ in range(count):
            for v in versions:
                quantlib_holding(v, principal, bond)

    return run


def check_quantlib_agrees(terms: list[OfferTerms], versions: list[QuantLibVersion]) -> None:
    """The comparison is only fair if QuantLib produces the same coupons as the core."""
    holding = core.Holding(PRINCIPAL, CONSUMMATION)
    for t, v in zip(terms, versions, strict=True):
        ours = core.version_outcome(t, holding)
        for bond in (True, False):
            coupons, total_cash = quantlib_holding(v, float(PRINCIPAL), bond)
            theirs = [(date(d.year(), d.month(), d.dayOfMonth()), Decimal(f"{a:.2f}")) for d, a in coupons]
            assert theirs == [(c.paid_on, c.amount) for c in ours.coupons], f"{t.slug}: coupons differ"
            assert Decimal(f"{total_cash:.2f}") == ours.total_cash, f"{t.slug}: total cash differs"


def main() -> None:
    terms = list(seed_terms().values())
    holders = int(terms[0].old_notes.outstanding / PRINCIPAL)
    holder_versions = holders * len(terms)
    ql_versions = [quantlib_version(t) for t in terms]
    check_quantlib_agrees(terms, ql_versions)

    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        holders_csv, output_csv = workdir / "holders.csv", workdir / "outcome.csv"
        write_holders(holders_csv, holders)
        e2e = measure(end_to_end(workdir, holders_csv, output_csv))
        written = len(output_csv.read_text(encoding="utf-8").splitlines()) - 1
    core_t = measure(core_alone(terms, holders, core.version_outcome))
    bond_t = measure(quantlib_alone(ql_versions, holders, bond=True))
    leg_t = measure(quantlib_alone(ql_versions, holders, bond=False))

    print(f"{holders:,} holders x {len(terms)} versions = {holder_versions:,} holder-versions "
          f"({written:,} CSV rows written); median of {REPEATS} runs; Python {sys.version.split()[0]}, "
          f"QuantLib {ql.__version__}, {os.cpu_count()} CPUs, load average {load:.1f} at the start\n")
    rows = [
        ("end to end: manage.py outcome --holders", e2e),
        ("core alone: version_outcome (bulk path)", core_t),
        ("QuantLib-Python: FixedRateBond", bond_t),
        ("QuantLib-Python: FixedRateLeg", leg_t),
    ]
    print(f"{'measurement':<42}{'wall s':>8}{'CPU s':>8}{'holder-versions/s':>20}")
    for label, timing in rows:
        print(f"{label:<42}{timing.wall:>8.2f}{timing.cpu:>8.2f}{holder_versions / timing.wall:>20,.0f}")
    print()
    print(f"core vs QuantLib FixedRateBond: {bond_t.wall / core_t.wall:.1f}x faster "
          f"(CPU time: {bond_t.cpu / core_t.cpu:.1f}x)")
    print(f"core vs QuantLib FixedRateLeg:  {leg_t.wall / core_t.wall:.1f}x faster "
          f"(CPU time: {leg_t.cpu / core_t.cpu:.1f}x)")
    print(f"goal, whole issue <= {GOAL_SECONDS:.0f} s end to end: {'met' if e2e.wall <= GOAL_SECONDS else 'NOT met'} "
          f"({e2e.wall:.2f} s wall, {e2e.cpu:.2f} s CPU)")
    ratio = min(bond_t.wall, leg_t.wall) / core_t.wall
    print(f"goal, core >= {GOAL_RATIO:.0f}x QuantLib-Python (the faster of the two): "
          f"{'met' if ratio >= GOAL_RATIO else 'NOT met'} ({ratio:.1f}x)")

if __name__ == "__main__":
    main()
