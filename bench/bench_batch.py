"""Batch CSV throughput: ``equivmetrics batch`` against polars' own read–multiply–write.

    python bench/bench_batch.py                # 1,000,000 rows, a few minutes
    python bench/bench_batch.py --quick        # 200,000 rows, fewer rounds
    python bench/bench_batch.py --write-docs   # also rewrite docs/performance.md

Writes four CSV files (a site name, a kWh value, a note) to a temporary folder: one clean,
one with 1 % of the values empty or not a number, one that quotes every field (as many
exports do; the native engine reads simply quoted fields), and one whose note spans two lines
every 20,000 rows (a quoted line break: each block then goes partly through the plain path);
and times on each, round by round (bench/harness.py):

* polars: ``read_csv`` (the kWh column read as floats, bad cells null), the column times the
  factor as a new column, ``write_csv`` — the least a native CSV-to-CSV conversion does; it
  keeps no rejects file, checks nothing and writes in place;
* ``run_batch`` on the native engine (the ``[fast]`` extra), with one target and with two;
* ``run_batch`` on the plain path (Python's ``csv`` module);
* a plain ``csv.reader`` / ``float(cell) * factor`` / ``csv.writer`` loop, the least the same
  conversion does in Python.

Each figure is the median of the rounds with its min–max; "throughput vs polars" is polars'
time over the case's, taken per round (1.0: as fast as polars; issue 17 asks at least 0.5 of
the native engine).
"""

from __future__ import annotations

import csv
import random
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path

from harness import interleave, run, spread, table, timed

import equivmetrics as em
from equivmetrics._integrations.batch import run_batch


def make_input(
    path: Path, rows: int, bad: float, *, quote_all: bool = False, spanning: int = 0
) -> None:
    """``rows`` rows; a share ``bad`` of the kWh cells empty or "n/a" (half each); with
    ``quote_all``, every field quoted; with ``spanning``, every ``spanning``-th note holds a
    line break (so the CSV writer quotes it and it spans two lines)."""
    rng = random.Random(0)
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n", quoting=quoting)
        writer.writerow(["site", "kwh", "note"])
        for i in range(rows):
            roll = rng.random()
            value = (
                "" if roll < bad / 2 else "n/a" if roll < bad else repr(rng.lognormvariate(5, 2))
            )
            note = "meter reading\nestimated" if spanning and i % spanning == 0 else "meter reading"
            writer.writerow([f"site-{i % 977}", value, note])


def csv_loop(source: Path, output: Path, factor: float) -> None:
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


def polars_rw(source: Path, output: Path, factor: float) -> None:
    import polars as pl  # noqa: PLC0415 - only this contender needs it

    frame = pl.read_csv(source, schema_overrides={"kwh": pl.Float64}, ignore_errors=True)
    frame.with_columns((pl.col("kwh") * factor).alias("co2e [t]")).write_csv(output)


def contenders(engine: em.Engine, source: Path, out: Path) -> dict[str, Callable[[], object]]:
    factor = engine.compile("kWh", "co2e").factor

    def batch(csv_engine: str, *targets: str) -> Callable[[], object]:
        return lambda: run_batch(
            engine,
            str(source),
            column="kwh",
            unit="kWh",
            to=[(t, None) for t in targets],
            output=str(out),
            csv_engine=csv_engine,
        )

    return {
        "polars: read_csv, × k, write_csv": lambda: polars_rw(source, out, factor),
        "`batch --to co2e`, native engine": batch("native", "co2e"),
        "`batch --to co2e,tree_seedling`, native": batch("native", "co2e", "tree_seedling"),
        "`batch --to co2e`, plain path": batch("plain", "co2e"),
        "Python: csv read, `float × k`, csv write": lambda: csv_loop(source, out, factor),
    }


def measure(quick: bool) -> dict[str, str]:
    rows = 200_000 if quick else 1_000_000
    rounds = 3 if quick else 5
    engine = em.load()
    lines = []
    inputs = {
        "clean": (0.0, False, 0),
        "1 % empty or `n/a`": (0.01, False, 0),
        "every field quoted": (0.0, True, 0),
        "a note spanning two lines every 20,000 rows": (0.0, False, 20_000),
    }
    for label, (bad, quote_all, spanning) in inputs.items():
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "in.csv"
            make_input(source, rows, bad, quote_all=quote_all, spanning=spanning)
            cases = contenders(engine, source, Path(folder) / "out.csv")
            times = interleave(cases, rounds=rounds)
        base = next(iter(cases))
        for name, values in times.items():
            share = [b / t for b, t in zip(times[base], values, strict=True)]
            mid, low, high = spread(share)
            speed = rows / statistics.median(values) / 1e3
            lines.append(
                [label, name, timed(values), f"{speed:,.0f} k rows/s",
                 f"{mid:.2f} ({low:.2f}–{high:.2f})"]
            )  # fmt: skip
    header = ["input", "case", "time, median (min–max)", "throughput", "throughput vs polars"]
    note = f"{rows:,} rows, {rounds} interleaved rounds"
    return {"batch": f"{note}\n\n{table(header, lines)}"}


if __name__ == "__main__":
    run(__doc__, measure)
