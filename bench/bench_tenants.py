"""Tenant engines: the cost of deriving one, and of holding a thousand.

    python bench/bench_tenants.py

Prints the median time of ``engine.with_params(...)`` (target: well under a millisecond), as a
ratio against one scalar pint conversion measured in the same run, and the memory a thousand
tenant engines hold (they share one catalog).
"""

from __future__ import annotations

import statistics
import timeit
import tracemalloc

import pint

import equivmetrics as em


def main() -> None:
    base = em.load()
    base.convert("12000 transaction/month", "labor_cost")
    counter = iter(range(10**9))

    def derive() -> em.Engine:
        i = next(counter)
        return base.with_params(
            minutes_per_transaction=f"{i % 97 + 1} min", hourly_labor_cost=f"{40 + i % 31} USD/hour"
        )

    runs = timeit.repeat(derive, number=500, repeat=7)
    t_derive = statistics.median(runs) / 500
    ureg = pint.UnitRegistry()
    t_pint = (
        statistics.median(
            timeit.repeat(lambda: ureg.Quantity(5, "kWh").to("J"), number=2000, repeat=7)
        )
        / 2000
    )

    tenant = derive()
    tenant.convert("12000 transaction/month", "labor_cost")
    t_first = (
        statistics.median(
            timeit.repeat(
                lambda: derive().convert("12000 transaction/month", "labor_cost"),
                number=200,
                repeat=5,
            )
        )
        / 200
    )

    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    tenants = [derive() for _ in range(1000)]
    for t in tenants:
        t.convert("12000 transaction/month", "labor_cost")
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()

    print(f"{'measure':<58} {'median':>12} {'ratio':>9}")
    print(f"{'pint Quantity(5, kWh).to(J)':<58} {t_pint * 1e6:9.1f} us")
    print(
        f"{'with_params (2 overrides)':<58} {t_derive * 1e6:9.1f} us "
        f"{t_derive / t_pint:8.2f}x  target well under 1 ms"
    )
    print(
        f"{'with_params + first conversion touching the overrides':<58} "
        f"{t_first * 1e6:9.1f} us {t_first / t_pint:8.2f}x"
    )
    print(
        f"{'memory held by 1,000 tenants (each converted once)':<58} "
        f"{held / 1024:9.0f} KiB  ({held / 1000 / 1024:.1f} KiB per tenant; one shared catalog)"
    )


if __name__ == "__main__":
    main()
