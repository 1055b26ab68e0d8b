"""Data-frame throughput: numpy, the pandas accessor, the polars expression and Dask.

    python bench/bench_frames.py                 # 10,000,000 rows, about 15 seconds
    python bench/bench_frames.py --quick         # 1,000,000 rows, fewer repetitions
    python bench/bench_frames.py --rows 2000000  # any size

Prints medians of repeated timings, throughput in rows/s and ratios against the bare numpy
multiply measured in the same run (docs/performance.md, "Data frames"). Dask runs on a
LocalCluster of 2 worker processes with 1 thread each; its input is persisted on the workers
first, so the Dask rows time the conversion (and, separately, gathering the result back to
this process), not shipping the input.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
import warnings
from collections.abc import Callable

import dask
import dask.dataframe as dd
import distributed
import numpy as np
import pandas as pd
import polars as pl

import equivmetrics as em
import equivmetrics.pandas  # registers the .equiv accessor
from equivmetrics.dask import convert_dask
from equivmetrics.polars import equiv_expr


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls (after one warm-up call)."""
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows (default 10,000,000)")
    parser.add_argument("--quick", action="store_true", help="1,000,000 rows, fewer repetitions")
    args = parser.parse_args()
    rows = 1_000_000 if args.quick and args.rows == 10_000_000 else args.rows
    repeat = 3 if args.quick else 7

    engine = em.load()
    compiled = engine.compile("kWh", "co2e")
    factor = compiled.factor
    values = np.random.default_rng(0).lognormal(5.0, 2.0, rows)
    values[::20] = np.nan
    frame = pd.DataFrame({"kwh": values})
    polars_frame = pl.DataFrame({"kwh": values})

    t_numpy = median_seconds(lambda: values * factor, repeat)
    t_pandas = median_seconds(
        lambda: frame["kwh"].equiv.convert("co2e", from_unit="kWh", engine=engine), repeat
    )
    t_polars = median_seconds(
        lambda: polars_frame.select(equiv_expr("kwh", "co2e", from_unit="kWh", engine=engine)),
        repeat,
    )

    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        with warnings.catch_warnings():  # shipping the input once is not what is timed
            warnings.filterwarnings("ignore", "Sending large graph", UserWarning)
            ddf = dd.from_pandas(frame, npartitions=8).persist()
        distributed.wait(ddf)

        def on_workers() -> None:
            result = convert_dask(ddf, "co2e", column="kwh", from_unit="kWh", engine=engine)
            persisted = result.persist()
            distributed.wait(persisted)
            del persisted

        def gathered() -> None:
            convert_dask(ddf, "co2e", column="kwh", from_unit="kWh", engine=engine).compute()

        t_dask = median_seconds(on_workers, repeat)
        t_gather = median_seconds(gathered, max(3, repeat // 2))
        check = client.compute(convert_dask(ddf, "co2e", column="kwh", from_unit="kWh"))
        np.testing.assert_array_equal(check.result().to_numpy(), values * factor)

    print(
        f"equivmetrics {em.__version__}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"polars {pl.__version__}, dask {dask.__version__}, distributed "
        f"{distributed.__version__}, Python {platform.python_version()} on "
        f"{platform.machine()}; {rows:,} rows (5 % NaN), medians of {repeat}"
    )
    print(f"{'measure':<56} {'median':>10} {'rows/s':>10} {'ratio':>9}")
    table = [
        ("numpy: array * factor", t_numpy),
        ("pandas: series.equiv.convert", t_pandas),
        ("polars: frame.select(equiv_expr(...))", t_polars),
        ("dask, 2 worker processes: convert_dask, persisted", t_dask),
        ("dask, 2 worker processes: convert_dask, .compute()", t_gather),
    ]
    for name, seconds in table:
        print(
            f"{name:<56} {seconds * 1e3:7.1f} ms {rows / seconds / 1e6:8.0f} M "
            f"{seconds / t_numpy:8.2f}x"
        )


if __name__ == "__main__":
    main()
