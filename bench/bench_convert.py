"""Conversion speed: scalars against pint, arrays against numpy and pint, start-up.

    python bench/bench_convert.py              # a few minutes
    python bench/bench_convert.py --quick      # under a minute, rougher
    python bench/bench_convert.py --write-docs # also rewrite the tables in docs/performance.md

Every measure interleaves its contenders round by round (see bench/harness.py) and reports the
median with the min–max of the rounds; ratios are taken per round. Targets (docs/performance.md):

* scalar ``engine.convert((5, "kWh"), "co2e")`` <= 0.25 x pint's ``Quantity(5, "kWh").to("J")``;
* a two-rule chain <= 1.1 x one rule;
* arrays of 1e6 and 1e7 floats with the default negative-value policy <= 1.1 x numpy's
  ``array * factor``, and faster than pint's array ``.to()`` from 1e4 up; ``.high`` of an
  array result <= 1.2 x the multiply;
* start-up without a warm-start file <= 1.0 x pint's import + registry + first ``.to()``;
  with it <= 1.0 x ``import numpy``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pint
from harness import (
    child,
    children,
    conditions,
    interleave,
    load_average,
    per_round,
    ratio,
    run,
    table,
    timed,
    verdict,
)

import equivmetrics as em

SIZES = (10_000, 100_000, 1_000_000, 10_000_000)


def scalars(rounds: int) -> str:
    engine = em.load()
    ureg = pint.UnitRegistry()
    times = interleave(
        {
            "pint": lambda: ureg.Quantity(5, "kWh").to("J"),
            "scalar": lambda: engine.convert((5, "kWh"), "co2e"),
            "text": lambda: engine.convert("5 kWh", "co2e"),
            "one": lambda: engine.convert((5, "kWh"), "co2e"),
            "chain": lambda: engine.convert((5, "kWh"), "tree_seedling"),
        },
        rounds=rounds,
        number=2_000,
    )
    rows = [
        ['pint `Quantity(5, "kWh").to("J")`', timed(times["pint"]), "", ""],
        [
            'scalar `convert((5, "kWh"), "co2e")`',
            timed(times["scalar"]),
            f"{_ratio(times, 'scalar', 'pint')} pint",
            verdict(per_round(times, "scalar", "pint"), 0.25),
        ],
        [
            'scalar from text `convert("5 kWh", "co2e")`',
            timed(times["text"]),
            f"{_ratio(times, 'text', 'pint')} pint",
            "",
        ],
        [
            "chain kWh → tree seedlings (2 rules) vs one rule, interleaved",
            timed(times["chain"]),
            _ratio(times, "chain", "one"),
            verdict(per_round(times, "chain", "one"), 1.1),
        ],
    ]
    return table(["measure", "median (min–max)", "ratio", "target"], rows)


def arrays(rounds: int, sizes: tuple[int, ...]) -> str:
    load_before = load_average()
    engine = em.load()
    compiled = engine.compile("kWh", "co2e")
    factor = compiled.factor
    ureg = pint.UnitRegistry()
    rows = []
    for size in sizes:
        data = np.random.default_rng(0).lognormal(5.0, 2.0, size)
        data[::20] = np.nan
        held = engine.convert((data, "kWh"), "co2e")
        times = interleave(
            {
                "numpy": lambda data=data: data * factor,
                "convert": lambda data=data: engine.convert((data, "kWh"), "co2e"),
                "allow": lambda data=data: engine.convert((data, "kWh"), "co2e", negative="allow"),
                "high": lambda held=held: held.high,
                "pint": lambda data=data: ureg.Quantity(data, "kWh").to("J"),
            },
            rounds=_rounds(rounds, size),
            number=max(1, 1_000_000 // size),
        )
        near = size >= 1_000_000
        rows += [
            [f"{size:,}", "numpy `array * factor`", timed(times["numpy"]), "", ""],
            [
                f"{size:,}",
                "`convert((array, 'kWh'), 'co2e')`",
                timed(times["convert"]),
                f"{_ratio(times, 'convert', 'numpy')} numpy; "
                f"{_ratio(times, 'convert', 'pint')} pint",
                verdict(per_round(times, "convert", "numpy"), 1.1) if near else "< 1 × pint",
            ],
            [
                f"{size:,}",
                'the same, `negative="allow"` (no check)',
                timed(times["allow"]),
                f"{_ratio(times, 'allow', 'numpy')} numpy",
                "",
            ],
            [
                f"{size:,}",
                "`.high` of an array result",
                timed(times["high"]),
                f"{_ratio(times, 'high', 'numpy')} numpy",
                verdict(per_round(times, "high", "numpy"), 1.2),
            ],
            [
                f"{size:,}",
                "pint `Quantity(array, 'kWh').to('J')`",
                timed(times["pint"]),
                f"{_ratio(times, 'pint', 'numpy')} numpy",
                "",
            ],
        ]
    header = ["floats", "measure", "median (min–max)", "ratio", "target"]
    return conditions(load_before) + "\n\n" + table(header, rows)


def _rounds(rounds: int, size: int) -> int:
    """Rounds for arrays of ``size``: four times as many for a million values and fewer (one
    call there takes about 0.15 ms and varies by a third from one call to the next on a virtual
    machine, so fifteen rounds left the median a few percent either way), half as many (at
    least three) for ten million."""
    if size <= 1_000_000:
        return rounds * 4
    return rounds if size < 10_000_000 else max(3, rounds // 2)


#: The least a first start that reads the bundled packs could do on top of pint's own start-up:
#: parse each pack file with libyaml into plain values, without locations or any check.
FLOOR = """
import pint, yaml
u = pint.UnitRegistry()
u.Quantity(5, 'kWh').to('J')
for name in {files!r}:
    with open(name, 'rb') as f:
        yaml.load(f.read(), Loader=yaml.CSafeLoader)
"""


def _pack_files() -> list[str]:
    """The bundled pack files, as the default engine reads them."""
    return sorted(str(p) for p in (Path(em.__file__).parent / "conversions").glob("*.yaml"))


def startup(rounds: int) -> str:
    warm = tempfile.mkdtemp(prefix="equivmetrics-bench-warm-")
    first = "import equivmetrics as em\nem.load().convert((5, 'kWh'), 'co2e')"
    em_env = {"EQUIVMETRICS_CACHE": "on"}
    child(first, {**em_env, "EQUIVMETRICS_CACHE_DIR": warm})  # writes the warm-start file
    times, peaks = children(
        {
            "pint": (
                "import pint\nu = pint.UnitRegistry()\nu.Quantity(5, 'kWh').to('J')",
                dict,
            ),
            "numpy": ("import numpy", dict),
            "floor": (FLOOR.format(files=_pack_files()), dict),
            "first": (
                first,
                lambda: {**em_env, "EQUIVMETRICS_CACHE_DIR": tempfile.mkdtemp()},
            ),
            "warm": (first, lambda: {**em_env, "EQUIVMETRICS_CACHE_DIR": warm}),
        },
        rounds=rounds,
    )
    rows = [
        [
            "pint: import + `UnitRegistry()` + first `.to()`",
            timed(times["pint"]),
            _peak(peaks["pint"]),
            "",
            "",
        ],
        ["`import numpy`", timed(times["numpy"]), _peak(peaks["numpy"]), "", ""],
        [
            "floor: pint's start-up, then libyaml parsing the bundled pack files (nothing checked)",
            timed(times["floor"]),
            _peak(peaks["floor"]),
            f"{_ratio(times, 'floor', 'pint')} pint",
            "",
        ],
        [
            "equivmetrics, no warm-start file: import + `load()` + first conversion",
            timed(times["first"]),
            _peak(peaks["first"]),
            f"{_ratio(times, 'first', 'pint')} pint",
            verdict(per_round(times, "first", "pint"), 1.0),
        ],
        [
            "equivmetrics, warm start: the same with an earlier process's file",
            timed(times["warm"]),
            _peak(peaks["warm"]),
            f"{_ratio(times, 'warm', 'numpy')} `import numpy`; "
            f"{_ratio(times, 'warm', 'pint')} pint",
            verdict(per_round(times, "warm", "numpy"), 1.0),
        ],
    ]
    return table(["measure", "median (min–max)", "peak memory", "ratio", "target"], rows)


def _ratio(times: dict[str, list[float]], name: str, base: str) -> str:
    return ratio(per_round(times, name, base))


def _peak(values: list[float]) -> str:
    return f"{sorted(values)[len(values) // 2]:.0f} MiB"


def measure(quick: bool) -> dict[str, str]:
    """The tables of this benchmark, by their block name in docs/performance.md."""
    rounds = 5 if quick else 15
    return {
        "scalars": scalars(rounds),
        "arrays": arrays(rounds, SIZES[:3] if quick else SIZES),
        "startup": startup(3 if quick else 9),
    }


def main() -> None:
    run(__doc__ or "", measure)


if __name__ == "__main__":
    main()
