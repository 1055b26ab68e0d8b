"""Tenants: isolated, cheap, and safe to use from many threads at once."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import equivmetrics as em

TENANTS = 40


def expected_hours(index: int) -> float:
    # tenant i takes (i + 1) minutes per transaction: 12,000 x (i + 1) min / 60 = 200 (i + 1) h
    return 200.0 * (index + 1)


def test_many_threads_many_tenants_no_tenant_sees_another() -> None:
    base = em.load()
    tenants = [base.with_params(minutes_per_transaction=f"{i + 1} min") for i in range(TENANTS)]
    failures: list[str] = []
    start = threading.Barrier(8)

    def work(seed: int) -> int:
        rng = random.Random(seed)
        start.wait()
        checked = 0
        for _ in range(400):
            index = rng.randrange(TENANTS)
            target = rng.choice(["manual_work", "fte", "labor_cost"])
            result = tenants[index].convert("12000 transaction/month", target)
            hours = expected_hours(index)
            want = {"manual_work": hours, "fte": hours * 12 / 2080, "labor_cost": hours * 48.05}[
                target
            ]
            if abs(result.magnitude - want) > 1e-9 * want:
                failures.append(f"tenant {index} {target}: {result.magnitude} != {want}")
            # the default engine, used at the same time, keeps its 3 minutes
            default = em.convert("12000 transaction/month", "manual_work").magnitude
            if default != 600.0:
                failures.append(f"default engine gave {default}")
            checked += 1
        return checked

    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(work, range(8)))
    assert sum(counts) == 8 * 400
    assert failures == []


def test_tenants_share_the_catalog_and_unaffected_work() -> None:
    base = em.load()
    tenants = [base.with_params(hourly_labor_cost=f"{40 + i} USD/hour") for i in range(1000)]
    assert all(t.catalog is base.catalog for t in tenants)
    # a conversion that does not involve the overridden parameter is compiled once, by the
    # root engine, and shared
    compiled = {id(t.compile("kWh", "co2e")) for t in tenants[:50]}
    assert compiled == {id(base.compile("kWh", "co2e"))}
    # and one that does is each tenant's own: $ (40 + i) x 600 h
    assert tenants[7].convert("12000 transaction/month", "labor_cost").magnitude == (
        pytest.approx(47 * 600)
    )


def test_overrides_stack_and_never_leak_back() -> None:
    base = em.load()
    a = base.with_params(minutes_per_transaction="4 min")
    b = a.with_params(hourly_labor_cost="50 USD/hour")
    assert b.convert("12000 transaction/month", "labor_cost").magnitude == pytest.approx(
        800 * 50
    )  # 12,000 x 4 min = 800 h x $50
    assert a.convert("12000 transaction/month", "labor_cost").magnitude == pytest.approx(
        800 * 48.05
    )
    assert base.convert("12000 transaction/month", "labor_cost").magnitude == pytest.approx(
        600 * 48.05
    )


def test_ranges_and_quantities_as_overrides() -> None:
    pint = pytest.importorskip("pint")
    base = em.load()
    ranged = base.with_params(
        minutes_per_transaction={"value": "4 min", "low": "3 min", "high": "6 min"}
    )
    r = ranged.convert("12000 transaction/month", "manual_work")
    assert (r.low, r.magnitude, r.high) == pytest.approx((600.0, 800.0, 1200.0))
    host = pint.UnitRegistry()
    with_quantity = base.with_params(body_mass=host.Quantity(84, "kg"))
    # 420 kcal / (4.8 MET x 84 kg x 1 kcal/(kg h)) = 1.0417 h = 62.5 min
    assert with_quantity.convert("420 kcal", "walking").magnitude == pytest.approx(62.5)


def test_first_use_race_builds_one_default_engine() -> None:
    em.clear_cache()
    barrier = threading.Barrier(8)

    def first() -> em.Engine:
        barrier.wait()
        return em.load()

    with ThreadPoolExecutor(max_workers=8) as pool:
        engines = list(pool.map(lambda _: first(), range(8)))
    assert len({id(e) for e in engines}) == 1
    assert engines[0].convert("12000 transaction/month", "manual_work").magnitude == 600.0
