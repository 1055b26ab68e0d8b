"""Many threads at once: shared engines, tenants, the default engine, first use, and loads.

``tests/test_tenants.py`` covers tenant isolation under threads and one in-process first-use
race; this module stresses everything else that is shared: the module-level default engine and
its shortcuts, equivalents' text, the compile cache, the lazily created registry in a fresh
process, and packs adding (and a failing load taking back) units in the one library registry.

Threads are switched far more often than usual (``sys.setswitchinterval``) so that races show.
Every expected value is worked by hand from ``shared/reference``:

* 12,000 transaction/month x 3 min = 36,000 min = 600 hour/month; with k min, 200 k hour/month;
  at $45.65 per hour worked (BLS ECEC June 2025, private industry).
* 420 kcal / (4.8 MET x 70 kg x 1 kcal/(kg h)) = 1.25 h = 75 min walking; / 8.5 MET = 42.35 min
  running (PACE).
* 12,400 kWh avoided x 1,562.4 lb/MWh (AVERT 2019) = 19,373.76 lb CO2e, at exactly
  0.45359237 kg/lb = 8.788 t (EPA divides by 2,204.6 lb/t, a rounding of the same pound).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import equivmetrics as em
from equivmetrics._core import units as _units

ROOT = Path(__file__).resolve().parent.parent
PRODUCTIVITY = ROOT / "conversions" / "productivity.yaml"
THREADS = 24

HOURS = 600.0
WALKING = 420 / (4.8 * 70) * 60
RUNNING = 420 / (8.5 * 70) * 60
CO2E_PER_KWH = 1562.4 * 0.45359237 / 1000 / 1000  # lb/MWh -> t/kWh
CO2E = 12_400 * CO2E_PER_KWH
HOURLY = 45.65


def close(got: float, want: float) -> bool:
    return abs(got - want) <= 1e-9 * abs(want)


@pytest.fixture(autouse=True)
def frequent_switches() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def hammer(work: Callable[[int], int], threads: int = THREADS) -> int:
    """Run ``work(seed)`` in ``threads`` threads released together; return the total count."""
    start = threading.Barrier(threads)

    def run(seed: int) -> int:
        start.wait()
        return work(seed)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return sum(pool.map(run, range(threads)))


# -- one process, everything shared ----------------------------------------------------------------


def test_shared_engine_tenants_default_engine_and_text() -> None:
    em.clear_cache()  # the threads race to build the default engine too
    base = em.load(plugins=False)
    failures: list[str] = []
    walking_text = "1 h 15 min of brisk walking to burn it off (range 48–110 min)"
    running_text = "42 minutes of running to burn it off (range 29–51)"

    def check(what: str, got: object, want: object) -> None:
        ok = close(got, want) if isinstance(want, float) and isinstance(got, float) else got == want
        if not ok:
            failures.append(f"{what}: {got!r} != {want!r}")

    def work(seed: int) -> int:
        rng = random.Random(seed)
        done = 0
        for _ in range(40):
            step = rng.randrange(7)
            if step == 0:  # a tenant derived now, from the shared engine, while others convert
                k = rng.randrange(1, 10)
                tenant = base.with_params(minutes_per_transaction=f"{k} min")
                r = tenant.convert("12000 transaction/month", "labor_cost")
                check(f"tenant {k} min", r.magnitude, 200.0 * k * HOURLY)
            elif step == 1:
                r = base.convert("12000 transaction/month", "manual_work")
                check("base manual_work", (r.magnitude, r.unit), (HOURS, "hour/month"))
            elif step == 2:
                check("default walking", em.convert("420 kcal", "walking").magnitude, WALKING)
            elif step == 3:
                r = em.convert((12_400, "kWh"), "co2e")
                check("default co2e", r.magnitude, CO2E)
            elif step == 4:
                goods = em.feel_good("12400 kWh", top=3)
                check(
                    "feel_good kinds",
                    [e.kind for e in goods],
                    ["co2e", "tree_seedling", "vehicle_miles"],
                )
                check("feel_good co2e", goods[0].magnitude, CO2E)
            elif step == 5:
                acts = em.action("420 kcal", only=["walking", "running"])
                check("action text", [e.text for e in acts], [walking_text, running_text])
                check("action running", acts[1].magnitude, RUNNING)
            else:  # the compile cache, filled by whichever thread comes first
                compiled = base.compile("kWh", "co2e")
                check("compiled", compiled.apply(1.0).magnitude, CO2E_PER_KWH)
            done += 1
        return done

    assert hammer(work) == THREADS * 40
    assert failures == []
    assert em.load() is em.default_engine()


# -- first use in a fresh process ----------------------------------------------------------------

FIRST_USE = """
import json, sys, threading
sys.setswitchinterval(1e-6)
import equivmetrics as em

N = {threads}
start = threading.Barrier(N)
out = [None] * N

def first(i):
    start.wait()
    try:
        step = i % 4
        if step == 0:
            engine = em.load()
            r = engine.convert("12000 transaction/month", "manual_work")
            out[i] = ["load", id(engine), r.magnitude, r.unit]
        elif step == 1:
            r = em.convert("420 kcal", "walking")
            out[i] = ["convert", id(em.default_engine()), r.magnitude, r.unit]
        elif step == 2:
            e = em.action("420 kcal", only=["running"])[0]
            out[i] = ["action", id(em.load()), e.magnitude, e.unit]
        else:
            engine = em.load({productivity!r}, bundled=False)
            r = engine.convert("12000 transaction/month", "labor_cost")
            out[i] = ["own", id(em.get_registry()), r.magnitude, r.unit]
    except BaseException as exc:
        out[i] = ["error", 0, repr(exc), ""]

threads = [threading.Thread(target=first, args=(i,)) for i in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({{"out": out, "default": id(em.load()), "registry": id(em.get_registry())}}))
"""


@pytest.mark.parametrize("cache", ["off", "on"])
def test_first_use_race_in_a_fresh_process(cache: str) -> None:
    # cold: everything built from the packs; warm: the default engine from its on-disk cache
    threads = 16
    code = FIRST_USE.format(threads=threads, productivity=str(PRODUCTIVITY))
    env = {**os.environ, "EQUIVMETRICS_DISABLE_PLUGINS": "1", "EQUIVMETRICS_CACHE": cache}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    want = {
        "load": (HOURS, "hour/month"),
        "convert": (WALKING, "minute"),
        "action": (RUNNING, "minute"),
        "own": (HOURS * HOURLY, "USD/month"),
    }
    for i, (what, ident, magnitude, unit) in enumerate(report["out"]):
        assert what != "error", f"thread {i}: {magnitude}"
        assert close(magnitude, want[what][0]), (i, what, magnitude)
        assert unit == want[what][1], (i, what, unit)
        # one default engine for everybody, one registry for everybody
        expected_id = report["registry"] if what == "own" else report["default"]
        assert ident == expected_id, (i, what)


# -- packs adding units to the one registry at the same time -------------------------------------

PACK = """\
equivmetrics: 1
name: {name}
edition: "1"
license: CC0-1.0 (test data)
sources:
  study:
    title: A test study
units:
{units}
kinds:
  {kind}:
    unit: {unit}
    label: {{one: part, other: parts}}
    icon: receipt
rules:
  - id: {kind}_work
    from: {kind}
    to: {target}
    factor: {factor}
    source: study
"""


def write_pack(
    folder: Path,
    name: str,
    *,
    units: str,
    kind: str,
    unit: str,
    factor: str,
    target: str = "manual_work",
) -> Path:
    path = folder / f"{name}.yaml"
    text = PACK.format(name=name, units=units, kind=kind, unit=unit, factor=factor, target=target)
    path.write_text(text, encoding="utf-8")
    return path


def test_concurrent_loads_of_packs_defining_different_units(tmp_path: Path) -> None:
    # pack i: a new dimension emconc_part_i; 60 parts x (i + 1) min/part = (i + 1) hours
    paths = [
        write_pack(
            tmp_path,
            f"emconc_{i}",
            units=f'  emconc_part_{i}:\n    definition: "[emconc_part_{i}]"',
            kind=f"emconc_kind_{i}",
            unit=f"emconc_part_{i}",
            factor=f"{i + 1} min/emconc_part_{i}",
        )
        for i in range(12)
    ]
    failures: list[str] = []

    def work(seed: int) -> int:
        i = seed % len(paths)
        done = 0
        for _ in range(3):
            engine = em.load(PRODUCTIVITY, paths[i], bundled=False)
            got = engine.convert(f"60 emconc_part_{i}", "manual_work").magnitude
            if not close(got, i + 1.0):
                failures.append(f"pack {i}: {got}")
            done += 1
        return done

    assert hammer(work, threads=12) == 36
    assert failures == []
    # and all of them together, afterwards
    together = em.load(PRODUCTIVITY, *paths, bundled=False)
    assert [
        together.convert(f"60 emconc_part_{i}", "manual_work").magnitude for i in range(12)
    ] == (pytest.approx([i + 1.0 for i in range(12)]))


def test_a_failing_load_never_takes_back_a_unit_a_concurrent_load_uses(tmp_path: Path) -> None:
    """Both packs add ``emshare_crate``; the bad one then fails and takes back what it added.

    Whichever defines the unit first, the good pack's engines must keep working: the failing
    load may only remove units that no other build has seen. 3 crates x 5 min/crate = 15 min.
    """
    units = "  emshare_crate:\n    definition: 12 kg\n"
    good = write_pack(
        tmp_path, "emshare_good", units=units, kind="emshare_box", unit="emshare_crate",
        factor="5 min/emshare_crate",
    )  # fmt: skip
    bad = write_pack(
        tmp_path, "emshare_bad", units=units, kind="emshare_bin", unit="emshare_crate",
        factor="5 min/emshare_crate", target="no_such_kind",
    )  # fmt: skip
    engines: list[em.Engine] = []
    failures: list[str] = []

    def work(seed: int) -> int:
        done = 0
        for _ in range(6):
            if seed % 3 == 0:
                engine = em.load(PRODUCTIVITY, good, bundled=False)
                engines.append(engine)
                got = engine.convert("3 emshare_crate", "manual_work", of="emshare_box")
                if not close(got.magnitude, 0.25):
                    failures.append(f"good: {got.magnitude}")
            elif seed % 3 == 1:
                try:
                    em.load(PRODUCTIVITY, bad, bundled=False)
                except em.PackError as exc:
                    if "no_such_kind" not in str(exc):
                        failures.append(f"bad: {exc}")
                else:
                    failures.append("the bad pack loaded")
            else:  # meanwhile the default engine keeps converting
                got = em.convert("12000 transaction/month", "manual_work")
                if not close(got.magnitude, HOURS):
                    failures.append(f"default: {got.magnitude}")
            done += 1
        return done

    assert hammer(work) == THREADS * 6
    assert failures == []
    assert len(engines) == 8 * 6
    for engine in engines:
        assert engine.convert("3 emshare_crate", "manual_work", of="emshare_box").magnitude == (
            pytest.approx(0.25)
        )
        assert "emshare_crate" in engine.registry  # the unit is the good engines' own
    assert "emshare_crate" not in _units.get_registry()


def test_concurrent_failing_loads_leave_no_units_behind(tmp_path: Path) -> None:
    # each bad pack adds its own unit and then fails; none of the units may survive
    paths = [
        write_pack(
            tmp_path,
            f"emgone_{i}",
            units=f'  emgone_unit_{i}:\n    definition: "[emgone_{i}]"',
            kind=f"emgone_kind_{i}",
            unit=f"emgone_unit_{i}",
            factor=f"1 min/emgone_unit_{i}",
            target="no_such_kind",
        )
        for i in range(8)
    ]

    def work(seed: int) -> int:
        with pytest.raises(em.PackError, match="no_such_kind"):
            em.load(PRODUCTIVITY, paths[seed], bundled=False)
        return 1

    assert hammer(work, threads=8) == 8
    registry = _units.get_registry()
    assert [f"emgone_unit_{i}" in registry for i in range(8)] == [False] * 8
    with pytest.raises(em.UnitError, match="unknown unit 'emgone_unit_3'"):
        _units.parse_unit("emgone_unit_3")
