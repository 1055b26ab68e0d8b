"""Tenant engines: the cost of deriving one, of its first conversion, and of holding many.

    python bench/bench_tenants.py              # about a minute
    python bench/bench_tenants.py --quick
    python bench/bench_tenants.py --write-docs # also rewrite the table in docs/performance.md

Times ``engine.with_params(...)`` alone and with its first conversion that uses the
overrides, interleaved round by round with one scalar pint conversion (bench/harness.py);
target: the two together <= 0.5 x pint's ``Quantity(5, "kWh").to("J")``. Also the memory a
thousand tenant engines hold (they share one catalog).
"""

from __future__ import annotations

import itertools
import tracemalloc

import pint
from harness import interleave, per_round, ratio, run, table, timed, verdict

import equivmetrics as em


def tenants(rounds: int) -> str:
    base = em.load()
    base.convert("12000 transaction/month", "labor_cost")
    counter = itertools.count()

    def derive() -> em.Engine:
        i = next(counter)
        return base.with_params(
            minutes_per_transaction=f"{i % 97 + 1} min", hourly_labor_cost=f"{40 + i % 31} USD/hour"
        )

    ureg = pint.UnitRegistry()
    times = interleave(
        {
            "pint": lambda: ureg.Quantity(5, "kWh").to("J"),
            "derive": derive,
            "first": lambda: derive().convert("12000 transaction/month", "labor_cost"),
        },
        rounds=rounds,
        number=200,
    )
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    held = [derive() for _ in range(1000)]
    for tenant in held:
        tenant.convert("12000 transaction/month", "labor_cost")
    size = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    rows = [
        ['pint `Quantity(5, "kWh").to("J")`', timed(times["pint"]), "", ""],
        [
            "`with_params(...)` with two overrides",
            timed(times["derive"]),
            f"{ratio(per_round(times, 'derive', 'pint'))} pint",
            "",
        ],
        [
            "the same plus its first conversion that uses the overrides",
            timed(times["first"]),
            f"{ratio(per_round(times, 'first', 'pint'))} pint",
            verdict(per_round(times, "first", "pint"), 0.5),
        ],
        [
            "memory held by 1,000 tenant engines, each converted once",
            f"{size / 1000 / 1024:.1f} KiB each",
            "",
            "one shared catalog",
        ],
    ]
    return table(["measure", "median (min–max)", "ratio", "target"], rows)


def measure(quick: bool) -> dict[str, str]:
    """The tables of this benchmark, by their block name in docs/performance.md."""
    return {"tenants": tenants(5 if quick else 15)}


def main() -> None:
    run(__doc__ or "", measure)


if __name__ == "__main__":
    main()
