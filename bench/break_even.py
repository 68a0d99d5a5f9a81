"""How much does the break-even rate cost a page? ``.venv/bin/python bench/break_even.py``

The break-even rate (rule 13) is worked out for every holding the holder page shows. This
times it for $1,000 and $100,000 at Oct 10, 2003 (the seeded versions), against two
baselines measured in the same run, since the machine may be shared: one present value of
the same cash flows (the unit the solver repeats) and the holding's outcome under both
versions (what the page computes anyway). Prints a table; asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
import timeit
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from offers.core.outcome import Holding, version_outcome  # noqa: E402 (needs ROOT on the path)
from offers.core.termsfile import seed_terms  # noqa: E402
from offers.core.valuation import break_even_discount_rate, present_value  # noqa: E402

REPEATS = 7


def per_call_ms(run, number: int) -> float:
    """The median over REPEATS of the mean time of one call, in milliseconds."""
    return statistics.median(timeit.repeat(run, number=number, repeat=REPEATS)) / number * 1000


def main() -> None:
    terms = seed_terms()
    original, september = terms["original"], terms["september-2003"]
    print(f"median of {REPEATS} runs, Python {sys.version.split()[0]}\n")
    print(f"{'principal':>12}{'break-even ms':>15}{'one PV ms':>11}{'outcome ms':>12}{'BE / PV':>9}"
          f"{'BE / outcome':>14}{'rate %':>9}")
    for principal in (Decimal(1000), Decimal(100000)):
        measure(original, september, Holding(principal, date(2003, 10, 10)))


def measure(original, september, holding: Holding) -> None:
    a = version_outcome(original, holding).cash_flows()
    b = version_outcome(september, holding).cash_flows()
    on = holding.consummation
    solve = per_call_ms(lambda: break_even_discount_rate(a, b, on), 200)
    one_pv = per_call_ms(lambda: present_value(b, on, Decimal(10)), 500)
    both = per_call_ms(lambda: (version_outcome(original, holding), version_outcome(september, holding)), 500)
    rate = break_even_discount_rate(a, b, on)
    print(f"{holding.principal:>12,}{solve:>15.3f}{one_pv:>11.3f}{both:>12.3f}{solve / one_pv:>9.1f}"
          f"{solve / both:>14.1f}{rate:>9.4f}")


if __name__ == "__main__":
    main()
