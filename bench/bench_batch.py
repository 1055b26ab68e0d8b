"""Batch CSV throughput: ``equivmetrics batch`` against a plain csv read-multiply-write loop.

    python bench/bench_batch.py                # 1,000,000 rows, about a minute
    python bench/bench_batch.py --rows 200000  # any size

Writes two CSV files of ``--rows`` rows (a site name, a kWh value, a note) to a temporary
folder, one clean and one with 1 % of the values empty or not a number, then times on each, as
medians of repeated runs:

* the baseline: ``csv.reader`` over the file, ``float(cell) * factor`` per row (bad cells left
  empty), ``csv.writer`` to an output file — the least a CSV-to-CSV conversion does in Python;
  it keeps no rejects file, checks nothing and writes in place;
* :func:`equivmetrics._integrations.batch.run_batch` with one target and with two, which also
  keeps a rejects file, checks negatives and moves the output into place.

The cases run round robin, and each ratio is the median of the per-round ratios to the
baseline, so a machine whose load changes during the run still gives comparable ratios.
Prints rows/s and those ratios (docs/performance.md, "Batch conversion").
"""

from __future__ import annotations

import argparse
import csv
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import equivmetrics as em
from equivmetrics._integrations.batch import run_batch


def make_input(path: Path, rows: int, bad: float) -> None:
    """``rows`` rows; a share ``bad`` of the kWh cells empty or "n/a" (half each)."""
    rng = random.Random(0)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["site", "kwh", "note"])
        for i in range(rows):
            roll = rng.random()
            value = (
                "" if roll < bad / 2 else "n/a" if roll < bad else repr(rng.lognormvariate(5, 2))
            )
            writer.writerow([f"site-{i % 977}", value, "meter reading"])


def baseline(source: Path, output: Path, factor: float) -> None:
    with (
        source.open(newline="", encoding="utf-8") as f,
        output.open("w", newline="", encoding="utf-8") as out,
    ):
        reader = csv.reader(f)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*next(reader), "co2e [t]"])
        for row in reader:
            try:
                converted = repr(float(row[1]) * factor)
            except ValueError:
                converted = ""
            writer.writerow([*row, converted])


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs each (default 3)")
    args = parser.parse_args()
    engine = em.load()
    print(
        f"{args.rows:,} rows, medians of {args.repeat} runs; "
        f"Python {platform.python_version()} on {platform.machine()}, {sys.platform}"
    )
    for bad in (0.0, 0.01):
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "in.csv"
            make_input(source, args.rows, bad)
            size = source.stat().st_size
            print(f"\n{size / 1e6:.0f} MB input, {bad:.0%} of the values empty or not a number")
            run_cases(engine, source, Path(folder) / "out.csv", args.rows, args.repeat)


def run_cases(engine: em.Engine, source: Path, out: Path, rows: int, repeat: int) -> None:
    factor = engine.compile("kWh", "co2e").factor

    def batch(*targets: str) -> Callable[[], object]:
        return lambda: run_batch(
            engine,
            str(source),
            column="kwh",
            unit="kWh",
            to=[(t, None) for t in targets],
            output=str(out),
        )

    cases = [
        ("baseline: csv read, float x k, csv write", lambda: baseline(source, out, factor)),
        ("batch --to co2e", batch("co2e")),
        ("batch --to co2e,tree_seedling", batch("co2e", "tree_seedling")),
    ]
    for _, fn in cases:  # warm up (caches, page cache)
        fn()
    runs: list[list[float]] = [[] for _ in cases]
    for _ in range(repeat):  # round robin, so a change of load hits every case alike
        for times, (_, fn) in zip(runs, cases, strict=True):
            times.append(timed(fn))
    for (name, _), times in zip(cases, runs, strict=True):
        seconds = statistics.median(times)
        ratio = statistics.median(t / b for t, b in zip(times, runs[0], strict=True))
        print(
            f"{name:45} {seconds:7.2f} s  {rows / seconds / 1e3:7.0f} k rows/s"
            f"  {ratio:5.2f} x baseline"
        )


if __name__ == "__main__":
    main()
