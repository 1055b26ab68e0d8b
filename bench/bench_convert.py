"""Conversion speed, as ratios against pint and numpy measured in the same run.

    python bench/bench_convert.py            # about a minute
    python bench/bench_convert.py --quick    # a few seconds, rougher

Prints medians of repeated timings and the ratios the project tracks (docs/performance.md):

* scalar ``engine.convert((5, "kWh"), "co2e")`` (or the productivity case when the EPA pack is
  absent) vs pint's own ``ureg.Quantity(5, "kWh").to("J")`` — target <= 0.25x;
* a multi-hop chain vs a one-hop conversion — target <= 1.1x;
* a 1,000,000-element array conversion vs the bare numpy multiply — target <= 1.5x;
* cold start (import + bundled engine + first conversion, fresh process, the warm-start file
  of an earlier process present) vs ``import pint`` + ``UnitRegistry()`` + first ``.to()`` —
  target <= 1.0x, with peak memory; and the very first start (empty warm-start folder).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import timeit
from collections.abc import Callable

import numpy as np
import pint

import equivmetrics as em


def per_call(fn: Callable[[], object], number: int, repeat: int) -> float:
    """Median seconds per call over ``repeat`` runs of ``number`` calls."""
    runs = timeit.repeat(fn, number=number, repeat=repeat)
    return statistics.median(runs) / number


def cold(code: str, repeat: int, cache: str | None = None) -> tuple[float, float]:
    """Median wall time (s) and peak RSS (MiB) of a fresh interpreter running ``code``.

    ``cache`` is the warm-start folder: ``"empty"`` gives every run a new empty one (a first
    start ever), a path shares it between runs (warm starts), None leaves the environment be.
    """
    probe = (
        "import time, resource; t = time.perf_counter()\n"
        + code
        + "\nprint(time.perf_counter() - t, "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    times, peaks = [], []
    for _ in range(repeat):
        env = dict(os.environ)
        if cache is not None:
            env["EQUIVMETRICS_CACHE_DIR"] = tempfile.mkdtemp() if cache == "empty" else cache
        out = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
        ).stdout.split()
        times.append(float(out[-2]))
        peaks.append(float(out[-1]))
    return statistics.median(times), statistics.median(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    number, repeat = (2_000, 5) if args.quick else (20_000, 9)
    cold_repeat = 3 if args.quick else 7

    engine = em.load()
    have_epa = "co2e" in engine.kinds
    if have_epa:
        scalar_call = ("(5, 'kWh') -> co2e", lambda: engine.convert((5, "kWh"), "co2e"))
        one_hop = lambda: engine.convert((5, "kWh"), "co2e")  # noqa: E731
        chain = ("kWh -> tree_seedling", lambda: engine.convert((5, "kWh"), "tree_seedling"))
        array_to, array_unit = "co2e", "kWh"
    else:
        scalar_call = (
            "(5, 'transaction/month') -> manual_work",
            lambda: engine.convert((5, "transaction/month"), "manual_work"),
        )
        one_hop = scalar_call[1]
        chain = (
            "transaction/month -> fte (2 hops)",
            lambda: engine.convert((5, "transaction/month"), "fte"),
        )
        array_to, array_unit = "manual_work", "transaction/month"
    scalar_call[1]()
    chain[1]()

    ureg = pint.UnitRegistry()
    ureg.Quantity(5, "kWh").to("J")
    t_pint = per_call(lambda: ureg.Quantity(5, "kWh").to("J"), number, repeat)
    t_scalar = per_call(scalar_call[1], number, repeat)
    t_one = per_call(one_hop, number, repeat)
    t_chain = per_call(chain[1], number, repeat)
    t_string = per_call(
        lambda: engine.convert("5 kWh" if have_epa else "5 transaction/month", array_to),
        number,
        repeat,
    )

    data = np.random.default_rng(0).random(1_000_000)
    compiled = engine.compile(array_unit, array_to)
    factor = compiled.factor
    arr_repeat = max(5, repeat)
    t_numpy = per_call(lambda: data * factor, 10, arr_repeat)
    t_array = per_call(lambda: engine.convert((data, array_unit), array_to), 10, arr_repeat)
    t_allow = per_call(
        lambda: engine.convert((data, array_unit), array_to, negative="allow"), 10, arr_repeat
    )
    t_bounds = per_call(lambda: engine.convert((data, array_unit), array_to).high, 10, arr_repeat)

    first = (
        "engine.convert((5, 'kWh'), 'co2e')"
        if have_epa
        else "engine.convert((5, 'transaction/month'), 'manual_work')"
    )
    start = f"import equivmetrics as em\nengine = em.load()\n{first}"
    t_first, m_first = cold(start, cold_repeat, cache="empty")
    warm_folder = tempfile.mkdtemp()
    cold(start, 1, cache=warm_folder)  # the first start writes the warm-start file
    t_cold, m_cold = cold(start, cold_repeat, cache=warm_folder)
    t_cold_pint, m_cold_pint = cold(
        "import pint\nu = pint.UnitRegistry()\nu.Quantity(5, 'kWh').to('J')", cold_repeat
    )

    print(
        f"equivmetrics {em.__version__}, pint {pint.__version__}, numpy {np.__version__}, "
        f"Python {platform.python_version()} on {platform.machine()}"
    )
    print(f"{'measure':<52} {'median':>12} {'ratio':>8}  target")
    rows = [
        ("pint Quantity(5, 'kWh').to('J')", t_pint, None, ""),
        (f"scalar {scalar_call[0]}", t_scalar, t_scalar / t_pint, "<= 0.25 x pint"),
        ("scalar from text '5 ...'", t_string, t_string / t_pint, "(informative)"),
        (f"chain {chain[0]}", t_chain, t_chain / t_one, "<= 1.1 x one hop"),
        ("numpy: 1e6 floats * factor", t_numpy, None, ""),
        ("array: 1e6 floats convert", t_array, t_array / t_numpy, "<= 1.5 x numpy"),
        (
            "array: the same, negative='allow' (no sign check)",
            t_allow,
            t_allow / t_numpy,
            "(informative)",
        ),
        ("array: 1e6 floats convert + .high", t_bounds, t_bounds / t_numpy, "(informative)"),
        (
            "cold start pint (import, registry, .to)",
            t_cold_pint,
            None,
            f"peak {m_cold_pint:.0f} MiB",
        ),
        (
            "cold start equivmetrics, first ever (empty cache)",
            t_first,
            t_first / t_cold_pint,
            f"(informative); peak {m_first:.0f} MiB",
        ),
        (
            "cold start equivmetrics (import, load, convert)",
            t_cold,
            t_cold / t_cold_pint,
            f"<= 1.0 x pint; peak {m_cold:.0f} MiB",
        ),
    ]
    for name, seconds, ratio, target in rows:
        shown = f"{seconds * 1e6:9.2f} us" if seconds < 1e-3 else f"{seconds * 1e3:9.2f} ms"
        ratio_text = f"{ratio:7.3f}x" if ratio is not None else ""
        print(f"{name:<52} {shown:>12} {ratio_text:>8}  {target}")


if __name__ == "__main__":
    main()
