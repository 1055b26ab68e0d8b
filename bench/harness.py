"""What every benchmark shares: interleaved rounds, medians with min–max, child processes.

The machine a benchmark runs on is rarely idle, and its load changes while it runs. So the
contenders of one measure run **round by round** (each round times each contender once, in
a rotating order), and a ratio is taken **per round** between contenders timed moments apart;
the tables give the median of the rounds with their min–max.

A child process reports its own wall time and peak memory: the peak is ``VmHWM`` of
``/proc/self/status``, the high-water mark of the memory the child's program mapped after
``exec`` (``ru_maxrss`` would include the parent's pages from before it, inherited at fork).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "performance.md"

Times = dict[str, list[float]]


def interleave(
    contenders: Mapping[str, Callable[[], object]], *, rounds: int, number: int = 1
) -> Times:
    """Seconds per call of each contender, one figure per round, contenders interleaved.

    Each contender is called once before timing starts (compiling, caches, page faults).
    """
    names = list(contenders)
    for name in names:
        contenders[name]()
    times: Times = {name: [] for name in names}
    clock = time.perf_counter
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            call = contenders[name]
            start = clock()
            for _ in range(number):
                call()
            times[name].append((clock() - start) / number)
    return times


def per_round(times: Times, name: str, base: str) -> list[float]:
    """``name``'s time over ``base``'s, round by round."""
    return [a / b for a, b in zip(times[name], times[base], strict=True)]


def spread(values: Sequence[float]) -> tuple[float, float, float]:
    """Median, min and max."""
    return statistics.median(values), min(values), max(values)


def duration(seconds: float) -> str:
    """``"1.43 µs"``, ``"231 µs"``, ``"12.4 ms"``, ``"1.20 s"``."""
    for scale, unit in ((1e-6, "µs"), (1e-3, "ms"), (1.0, "s")):
        if seconds < scale * 1000 or unit == "s":
            value = seconds / scale
            return f"{value:.3g} {unit}" if value < 100 else f"{value:.0f} {unit}"
    raise AssertionError  # pragma: no cover


def timed(values: Sequence[float]) -> str:
    """``"231 µs (219–260 µs)"``: median and min–max of seconds."""
    mid, low, high = spread(values)
    return f"{duration(mid)} ({duration(low)}–{duration(high)})"


def ratio(values: Sequence[float]) -> str:
    """``"1.05 × (0.98–1.21)"``: median and min–max of per-round ratios."""
    mid, low, high = spread(values)
    return f"{mid:.2f} × ({low:.2f}–{high:.2f})"


def verdict(values: Sequence[float], target: float) -> str:
    """``"≤ 1.1 × — met"`` when the median ratio meets ``target``, else ``"— missed"``."""
    met = statistics.median(values) <= target
    return f"≤ {target:g} × — {'met' if met else '**missed**'}"


PROBE = """
import time
_t0 = time.perf_counter()
{code}
_elapsed = time.perf_counter() - _t0
_peak = 0.0
try:
    with open("/proc/self/status", encoding="ascii") as _status:
        for _line in _status:
            if _line.startswith("VmHWM:"):
                _peak = int(_line.split()[1]) / 1024
except OSError:
    import resource
    _peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("BENCH", _elapsed, _peak)
"""


def child(code: str, env: Mapping[str, str] | None = None) -> tuple[float, float]:
    """Wall time (s) of ``code`` in a fresh interpreter, and that child's peak memory (MiB)."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(code=code)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    line = [x for x in done.stdout.splitlines() if x.startswith("BENCH ")][-1]
    _, seconds, peak = line.split()
    return float(seconds), float(peak)


def children(
    contenders: Mapping[str, tuple[str, Callable[[], Mapping[str, str]]]], *, rounds: int
) -> tuple[Times, Times]:
    """Child-process contenders ``name -> (code, env factory)``, interleaved round by round:
    their wall times and peak memories."""
    names = list(contenders)
    times: Times = {name: [] for name in names}
    peaks: Times = {name: [] for name in names}
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            code, env = contenders[name]
            seconds, peak = child(code, env())
            times[name].append(seconds)
            peaks[name].append(peak)
    return times, peaks


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    """One line naming the machine and versions, for the top of a printed report."""
    import platform  # noqa: PLC0415 - only when printing

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"Python {platform.python_version()} on {platform.machine()}, {cores} cores, "
        f"load average {load:.2f} at the start"
    )


def load_average() -> float:
    """The one-minute load average (NaN where the system has none)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def conditions(load_before: float) -> str:
    """How large arrays were multiplied, and the machine's load before and after a table."""
    from equivmetrics._core import fused  # noqa: PLC0415 - only when printing

    return (
        f"Large arrays: {fused.status()}. Load average {load_before:.2f} before, "
        f"{load_average():.2f} after, on {len(os.sched_getaffinity(0))} cores."
    )


def write_docs(tables: Mapping[str, str], path: Path = DOCS) -> list[str]:
    """Replace each ``<!-- bench:NAME -->`` … ``<!-- /bench:NAME -->`` block of ``path`` with
    its table; the names of the blocks replaced."""
    text = path.read_text(encoding="utf-8")
    done = []
    for name, body in tables.items():
        pattern = re.compile(
            rf"(<!-- bench:{re.escape(name)} -->\n)(?:.*?\n)?(<!-- /bench:{re.escape(name)} -->)",
            re.DOTALL,
        )
        text, count = pattern.subn(lambda m, body=body: f"{m[1]}{body}\n{m[2]}", text)
        if count:
            done.append(name)
    path.write_text(text, encoding="utf-8")
    return done


def report(tables: Mapping[str, str], *, write: bool) -> None:
    """Print the tables; with ``write``, also rewrite their blocks in docs/performance.md."""
    print(machine())
    for name, body in tables.items():
        print(f"\n[{name}]\n{body}")
    if write:
        print("\nrewrote in docs/performance.md:", ", ".join(write_docs(tables)) or "nothing")


def run(doc: str, measure: Callable[[bool], Mapping[str, str]]) -> None:
    """The command line of a benchmark: ``--quick`` and ``--write-docs``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, smaller sizes")
    parser.add_argument("--write-docs", action="store_true", help="rewrite docs/performance.md")
    args = parser.parse_args()
    report(measure(args.quick), write=args.write_docs)
