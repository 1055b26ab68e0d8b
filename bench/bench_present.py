"""Wording: ``feel_good`` and its HTML card, with one pint conversion for scale.

    python bench/bench_present.py              # about a minute
    python bench/bench_present.py --quick
    python bench/bench_present.py --write-docs # also rewrite the table in docs/performance.md

Targets (docs/performance.md): ``em.feel_good("12400 kWh")`` <= 0.25 ms and ``render_html`` of
its equivalents <= 0.25 ms, each call after the first (the first compiles the conversions).
The contenders are interleaved round by round (bench/harness.py).
"""

from __future__ import annotations

import statistics

import pint
from harness import interleave, per_round, ratio, run, table, timed

import equivmetrics as em


def present(rounds: int) -> str:
    ureg = pint.UnitRegistry()
    offered = em.feel_good("12400 kWh")
    times = interleave(
        {
            "pint": lambda: ureg.Quantity(5, "kWh").to("J"),
            "feel_good": lambda: em.feel_good("12400 kWh"),
            "html": lambda: em.render_html(offered),
            "top3": lambda: em.feel_good("12400 kWh", top=3),
        },
        rounds=rounds,
        number=200,
    )

    def target(name: str, limit: float) -> str:
        met = statistics.median(times[name]) <= limit
        return f"≤ {limit * 1e3:g} ms — {'met' if met else '**missed**'}"

    rows = [
        ['pint `Quantity(5, "kWh").to("J")`, for scale', timed(times["pint"]), "", ""],
        [
            f'`em.feel_good("12400 kWh")` ({len(offered)} equivalents worded)',
            timed(times["feel_good"]),
            f"{ratio(per_round(times, 'feel_good', 'pint'))} pint",
            target("feel_good", 0.25e-3),
        ],
        [
            '`em.feel_good("12400 kWh", top=3)`',
            timed(times["top3"]),
            f"{ratio(per_round(times, 'top3', 'pint'))} pint",
            "",
        ],
        [
            "`em.render_html(...)` of those equivalents",
            timed(times["html"]),
            f"{ratio(per_round(times, 'html', 'pint'))} pint",
            target("html", 0.25e-3),
        ],
    ]
    return table(["measure", "median (min–max)", "ratio", "target"], rows)


def measure(quick: bool) -> dict[str, str]:
    """The tables of this benchmark, by their block name in docs/performance.md."""
    return {"present": present(5 if quick else 15)}


def main() -> None:
    run(__doc__ or "", measure)


if __name__ == "__main__":
    main()
