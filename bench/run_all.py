"""Run every comparison benchmark and rewrite its tables in docs/performance.md.

    python bench/run_all.py            # the full runs: 10 to 20 minutes on two cores
    python bench/run_all.py --quick    # a few minutes, rougher (arrays and frames up to 1e6)
    python bench/run_all.py --no-write # print the tables only

Each benchmark interleaves its contenders round by round (bench/harness.py); the tables
replace the ``<!-- bench:NAME -->`` blocks of docs/performance.md; the batch benchmark
(bench_batch.py) gives its ratios to polars' own read–multiply–write. The HTTP-service and
hostile-input benchmarks (bench_service.py, bench_hostile.py) run on their own: they take
minutes each and report throughput and latency rather than ratios.
"""

from __future__ import annotations

import argparse

import bench_batch
import bench_convert
import bench_frames
import bench_present
import bench_tenants
from harness import report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, smaller arrays")
    parser.add_argument("--no-write", action="store_true", help="do not touch the docs")
    args = parser.parse_args()
    tables: dict[str, str] = {}
    for module in (bench_convert, bench_present, bench_tenants, bench_frames, bench_batch):
        print(f"running {module.__name__} ...", flush=True)
        tables.update(module.measure(args.quick))
    report(tables, write=not args.no_write)


if __name__ == "__main__":
    main()
