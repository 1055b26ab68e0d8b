"""How long hostile inputs take to be refused, against a normal conversion in the same run.

    python bench/bench_hostile.py            # a few seconds

"No input makes a call take more than milliseconds" (docs/security.md, input policy): each
hostile input below is timed (median of repeated calls, each one an error or a documented
value) and printed next to a normal scalar conversion, slowest first. The checks that make
this hold are limits enforced before parsing, so the unit tests count work rather than time;
this script is the timing evidence. Hostile pack files are timed once each (a load is slow).
"""

from __future__ import annotations

import contextlib
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import equivmetrics as em

ENGINE = em.load()

DEEP_PERIOD = "(" * 400 + "s" + ")" * 400


def _bomb() -> str:
    """Nine levels of nine aliases each: 9**9 values once expanded."""
    lines = ['  - &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        lines.append(f"  - &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


#: (label, call) — every call either returns or raises an EquivMetricsError.
CALLS: list[tuple[str, Callable[[], object]]] = [
    ("normal: convert('12400 kWh', 'co2e')", lambda: ENGINE.convert("12400 kWh", "co2e")),
    ("unit 9**9**9", lambda: ENGINE.convert((1.0, "9**9**9"), "co2e")),
    ("unit kWh**99999999", lambda: ENGINE.convert((1.0, "kWh**99999999"), "co2e")),
    ("unit kWh⁹⁹⁹⁹⁹⁹⁹⁹", lambda: ENGINE.convert((1.0, "kWh⁹⁹⁹⁹⁹⁹⁹⁹"), "co2e")),
    ("unit 2**99999999 kWh", lambda: ENGINE.convert((1.0, "2**99999999 kWh"), "co2e")),
    ("unit 100 parentheses", lambda: ENGINE.convert((1.0, "(" * 100 + "kWh" + ")" * 100), "co2e")),
    ("unit kWh*kWh*... (199 chars)", lambda: ENGINE.convert((1.0, "kWh*" * 49 + "kWh"), "co2e")),
    ("unit 10,000 characters", lambda: ENGINE.convert((1.0, "kWh" * 3_333), "co2e")),
    ("text 1,000,000-digit number", lambda: ENGINE.convert("1" * 1_000_000 + " kWh", "co2e")),
    ("text '5 kWh; import os'", lambda: ENGINE.convert("5 kWh; import os", "co2e")),
    ("text unknown unit with suggestions", lambda: ENGINE.convert("5 kWhhhhhhhhhh", "co2e")),
    ("magnitude 10**400", lambda: ENGINE.convert((10**400, "kWh"), "co2e")),
    ("magnitude nan (feel_good)", lambda: ENGINE.feel_good((float("nan"), "kWh"))),
    ("per= 1e-320 s", lambda: ENGINE.convert("1 kWh", "co2e", per="1e-320 s")),
    ("per= 1,000-character chain", lambda: ENGINE.convert("1 kWh", "co2e", per="1+" * 499 + "1 s")),
    ("per= 400 parentheses", lambda: ENGINE.convert("1 kWh", "co2e", per=DEEP_PERIOD)),
    ("with_params 1,000-char chain", lambda: ENGINE.with_params(body_mass="1+" * 499 + "1 kg")),
    ("with_params 9**9**9 kg", lambda: ENGINE.with_params(body_mass="9**9**9 kg")),
]  # fmt: skip

HEADER = 'equivmetrics: 1\nname: hostile\nedition: "1"\nlicense: MIT\n'

#: (label, file text) — each is loaded once with em.load(path, bundled=False).
PACKS: list[tuple[str, str]] = [
    ("pack: billion laughs", HEADER + "description:\n" + _bomb()),
    ("pack: 3 MiB of text", HEADER + "description: " + "x" * (3 * 1024 * 1024) + "\n"),
    ("pack: 50,000 levels of nesting", HEADER + "description: " + "[" * 50_000 + "]" * 50_000),
    ("pack: unit power bomb", HEADER + "kinds:\n  a: {unit: '9**9**9 kWh'}\n"),
]


def timed(call: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``repeat`` calls; an EquivMetricsError counts as the call's answer."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with contextlib.suppress(em.EquivMetricsError):
            call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    for _, call in CALLS:  # warm up: the registry, compiled paths and caches
        timed(call, 3)
    rows = [(label, timed(call, 50)) for label, call in CALLS]
    normal = rows[0][1]
    print(f"{'input':<40} {'median':>12} {'x normal':>10}")
    for label, seconds in sorted(rows, key=lambda r: -r[1]):
        print(f"{label:<40} {seconds * 1e6:>9.1f} us {seconds / normal:>10.1f}")
    slowest = max(rows[1:], key=lambda r: r[1])
    print(f"\nslowest hostile input: {slowest[0]} in {slowest[1] * 1e3:.3f} ms")
    with tempfile.TemporaryDirectory() as folder:
        for label, text in PACKS:
            path = Path(folder) / "hostile.yaml"
            path.write_text(text, encoding="utf-8")
            seconds = timed(lambda p=path: em.load(p, bundled=False), 1)
            print(f"{label:<40} {seconds * 1e3:>9.1f} ms (refused)")


if __name__ == "__main__":
    main()
