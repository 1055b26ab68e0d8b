"""Data-frame throughput: each integration against its library's own multiply.

    python bench/bench_frames.py                 # 10,000,000 rows, a few minutes
    python bench/bench_frames.py --quick         # 1,000,000 rows, fewer rounds
    python bench/bench_frames.py --rows 2000000  # any size
    python bench/bench_frames.py --write-docs    # also rewrite the table in docs/performance.md

Targets (docs/performance.md), each a per-round ratio of interleaved rounds (bench/harness.py):

* pandas ``series.equiv.convert(...)`` <= 1.15 x ``series * factor``;
* polars ``frame.select(equiv_expr(...))`` <= 1.1 x ``frame.select(pl.col(...) * factor)``;
* Dask ``convert_dask(...)`` <= 1.15 x ``series * factor`` on a LocalCluster of 2 worker
  processes, both persisted on the workers. Every Dask call builds a graph with **fresh keys**
  (a new result name), so no round is answered from results the workers still hold.
"""

from __future__ import annotations

import argparse
import itertools
import warnings
from typing import Any

import dask.dataframe as dd
import distributed
import numpy as np
import pandas as pd
import polars as pl
from harness import (
    conditions,
    interleave,
    load_average,
    per_round,
    ratio,
    report,
    table,
    timed,
    verdict,
)

import equivmetrics as em
import equivmetrics.pandas  # registers the .equiv accessor
from equivmetrics.dask import convert_dask
from equivmetrics.polars import equiv_expr


def _times(partition: Any, factor: float, fresh: int) -> Any:
    """A partition times ``factor`` (``fresh`` only makes the task's key new)."""
    return partition * factor


def local(values: np.ndarray, factor: float, engine: em.Engine, rounds: int) -> dict[str, Any]:
    series = pd.Series(values, name="kwh")
    frame = pl.DataFrame({"kwh": values})
    native = pl.col("kwh") * pl.lit(factor, dtype=pl.Float64)
    return interleave(
        {
            "numpy": lambda: values * factor,
            "pandas": lambda: series * factor,
            "accessor": lambda: series.equiv.convert("co2e", from_unit="kWh", engine=engine),
            "polars": lambda: frame.select(native),
            "expr": lambda: frame.select(equiv_expr("kwh", "co2e", from_unit="kWh", engine=engine)),
        },
        rounds=rounds,
    )


def on_cluster(values: np.ndarray, factor: float, engine: em.Engine, rounds: int) -> Any:
    fresh = itertools.count()
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        with warnings.catch_warnings():  # shipping the input once is not what is timed
            warnings.filterwarnings("ignore", "Sending large graph", UserWarning)
            ddf = dd.from_pandas(pd.DataFrame({"kwh": values}), npartitions=8).persist()
        distributed.wait(ddf)
        column = ddf["kwh"]

        def run(collection: Any) -> None:
            persisted = collection.persist()
            distributed.wait(persisted)
            del persisted

        def plain() -> None:
            meta = column._meta * factor
            run(column.map_partitions(_times, factor, next(fresh), meta=meta))

        def converted() -> None:
            name = f"co2e {next(fresh)}"
            run(convert_dask(ddf, "co2e", column="kwh", from_unit="kWh", engine=engine, name=name))

        return interleave({"dask": plain, "convert": converted}, rounds=rounds)


def frames(rows: int, rounds: int) -> str:
    load_before = load_average()
    engine = em.load()
    factor = engine.compile("kWh", "co2e").factor
    values = np.random.default_rng(0).lognormal(5.0, 2.0, rows)
    values[::20] = np.nan
    times = local(values, factor, engine, rounds)
    # three times the rounds: a call takes 40-120 ms of scheduling, whose noise swamps the
    # multiply's in a few rounds (1.12 x and 0.95 x in two runs of eleven, same code)
    dask_times = on_cluster(values, factor, engine, rounds * 3)

    def row(name: str, times: Any, key: str, base: str, target: float | None) -> list[str]:
        seconds = sorted(times[key])[len(times[key]) // 2]
        return [
            name,
            timed(times[key]),
            f"{rows / seconds / 1e6:.0f} M rows/s",
            "" if key == base else ratio(per_round(times, key, base)),
            "" if target is None else verdict(per_round(times, key, base), target),
        ]

    body = [
        row("numpy `array * factor`", times, "numpy", "numpy", None),
        row("pandas `series * factor`", times, "pandas", "pandas", None),
        row("pandas `series.equiv.convert(...)`", times, "accessor", "pandas", 1.15),
        row("polars `frame.select(pl.col(...) * factor)`", times, "polars", "polars", None),
        row("polars `frame.select(equiv_expr(...))`", times, "expr", "polars", 1.1),
        row("Dask, 2 processes: `series * factor`, persisted", dask_times, "dask", "dask", None),
        row(
            "Dask, 2 processes: `convert_dask(...)`, persisted", dask_times, "convert", "dask", 1.15
        ),
    ]
    caption = (
        f"{rows:,} float64 rows (5 % NaN), kWh to t CO2e; ratios against the row above; "
        f"{rounds} interleaved rounds, {rounds * 3} for Dask. " + conditions(load_before)
    )
    return (
        caption
        + "\n\n"
        + table(["measure", "median (min–max)", "throughput", "ratio", "target"], body)
    )


def measure(quick: bool, rows: int | None = None) -> dict[str, str]:
    """The tables of this benchmark, by their block name in docs/performance.md."""
    chosen = rows or (1_000_000 if quick else 10_000_000)
    return {"frames": frames(chosen, 5 if quick else 11)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None, help="rows (default 10,000,000)")
    parser.add_argument("--quick", action="store_true", help="1,000,000 rows, fewer rounds")
    parser.add_argument("--write-docs", action="store_true", help="rewrite docs/performance.md")
    args = parser.parse_args()
    report(measure(args.quick, args.rows), write=args.write_docs)


if __name__ == "__main__":
    main()
