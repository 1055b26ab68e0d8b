"""convert_dask on a real LocalCluster with worker processes: the same numbers as one process."""

from __future__ import annotations

import math
import pickle
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402

import equivmetrics as em  # noqa: E402
from equivmetrics._core.negative import NegativePolicy  # noqa: E402
from equivmetrics.dask import convert_dask  # noqa: E402
from strategies import finite  # noqa: E402


@pytest.fixture(scope="session")  # not rebuilt when a pytest-xdist worker comes back here
def client() -> Iterator[Any]:
    # The scheduler's HTTP server listens even with the dashboard off (dashboard_address=None
    # means port 8787, and a warning when that is taken): a free port of the loopback instead.
    cluster = distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address="127.0.0.1:0"
    )
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _values(seed: int, size: int = 10_000) -> np.ndarray:
    rng = np.random.default_rng(seed)
    values = rng.lognormal(mean=5.0, sigma=3.0, size=size) * rng.choice([-1.0, 1.0], size)
    values[rng.random(size) < 0.05] = np.nan
    return values


CASES = [
    ("kWh", "co2e", {}),
    ("MWh", "co2e", {"unit": "kg"}),
    ("kWh", "tree_seedling", {}),
    ("transaction/month", "fte", {}),
]


@given(
    values=st.lists(st.one_of(finite, st.just(math.nan)), min_size=1, max_size=60),
    case=st.sampled_from(CASES),
    negative=st.sampled_from(["refuse", "nan", "allow"]),
    npartitions=st.integers(1, 4),
)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_worker_processes_equal_the_scalar_path_element_wise(
    client: Any,
    values: list[float],
    case: tuple[str, str, dict[str, Any]],
    negative: NegativePolicy,
    npartitions: int,
) -> None:
    from_unit, to, options = case
    engine = em.load()
    frame = pd.DataFrame({"metric": values}, index=pd.RangeIndex(100, 100 + 2 * len(values), 2))
    ddf = dd.from_pandas(frame, npartitions=npartitions)
    result = convert_dask(
        ddf, to, column="metric", from_unit=from_unit, negative=negative, **options
    )
    negatives = [i for i, x in enumerate(values) if x < 0]
    if negative == "refuse" and negatives:
        with pytest.raises(em.NegativeValueError, match="column 'metric'") as caught:
            client.compute(result).result()
        assert caught.value.kind == engine.compile(from_unit, to).negative_kind
        return
    got = client.compute(result).result()
    expected = [
        engine.convert((x, from_unit), to, negative=negative, **options).magnitude for x in values
    ]
    pd.testing.assert_index_equal(got.index, frame.index)
    np.testing.assert_array_equal(got.to_numpy(), np.array(expected, dtype=np.float64))


@pytest.mark.parametrize("negative", ["nan", "allow"])
@pytest.mark.parametrize(("seed", "case"), list(enumerate(CASES)))
def test_partitions_on_worker_processes_equal_one_process(
    client: Any, seed: int, case: tuple[str, str, dict[str, Any]], negative: NegativePolicy
) -> None:
    from_unit, to, options = case
    engine = em.load()
    values = _values(seed)
    expected = engine.convert((values, from_unit), to, negative=negative, **options)
    frame = pd.DataFrame({"site": np.arange(values.size) % 7, "metric": values})
    ddf = dd.from_pandas(frame, npartitions=8)
    result = convert_dask(
        ddf, to, column="metric", from_unit=from_unit, negative=negative, **options
    )
    assert result.name == f"{to} [{expected.unit}]"
    assert result.dtype == np.float64
    got = client.compute(result).result()
    assert got.dtype == np.float64
    assert got.name == result.name
    pd.testing.assert_index_equal(got.index, frame.index)
    np.testing.assert_array_equal(got.to_numpy(), expected.magnitude)


def test_series_with_missing_integers_and_tenant_engine(client: Any) -> None:
    tenant = em.load().with_params(minutes_per_transaction="4 min")
    values = pd.Series([12000, None, 30000, 0, -5], dtype="Int64", name="tx")
    result = convert_dask(
        dd.from_pandas(values, npartitions=2),
        "fte",
        from_unit="transaction/month",
        engine=tenant,
        name="people",
        negative="nan",
    )
    got = client.compute(result).result()
    expected = tenant.convert(
        (values.to_numpy(dtype=np.float64, na_value=np.nan), "transaction/month"),
        "fte",
        negative="nan",
    )
    assert got.name == "people"
    np.testing.assert_array_equal(got.to_numpy(), expected.magnitude)


def test_workers_never_build_a_registry_and_tasks_hold_no_pint(client: Any) -> None:
    ddf = dd.from_pandas(pd.DataFrame({"kwh": _values(7, 1000)}), npartitions=4)
    result = convert_dask(ddf, "co2e", column="kwh", from_unit="kWh", negative="nan")
    client.compute(result).result()
    unused = client.run(lambda: __import__("equivmetrics._core.units", fromlist=["x"])._built == 0)
    assert len(unused) == 2
    assert all(unused.values())
    graph = dict(result.__dask_graph__())
    shipped = distributed.protocol.pickle.dumps(graph)
    assert b"pint" not in shipped
    assert b"Engine" not in shipped
    assert b"Compiled" not in shipped


def test_partition_function_pickles() -> None:
    from equivmetrics import dask as module

    part = pd.Series([1.0, np.nan], name="kwh")
    function = pickle.loads(pickle.dumps(module._multiply))
    out = function(part, 2.5, "x [t]")
    np.testing.assert_array_equal(out.to_numpy(), [2.5, np.nan])
    assert out.name == "x [t]"


def test_compiled_paths_pickle() -> None:
    compiled = em.load().compile("kWh", "co2e")
    again = pickle.loads(pickle.dumps(compiled))
    assert again.factor == compiled.factor
    assert isinstance(again.factor, float)


def test_errors_are_raised_before_computing() -> None:
    ddf = dd.from_pandas(pd.DataFrame({"kwh": [1.0], "site": ["a"]}), npartitions=1)
    with pytest.raises(em.InputError, match="column="):
        convert_dask(ddf, "co2e", from_unit="kWh")
    with pytest.raises(em.InputError, match="no column 'nope'"):
        convert_dask(ddf, "co2e", column="nope", from_unit="kWh")
    with pytest.raises(em.InputError, match="column 'site' has dtype"):
        convert_dask(ddf, "co2e", column="site", from_unit="kWh")
    with pytest.raises(em.InputError, match="already a Series"):
        convert_dask(ddf["kwh"], "co2e", column="kwh", from_unit="kWh")
    with pytest.raises(em.InputError, match="not DataFrame"):
        convert_dask(pd.DataFrame({"kwh": [1.0]}), "co2e", from_unit="kWh")
    with pytest.raises(em.EquivMetricsError, match="column 'kwh'"):
        convert_dask(ddf, "no_such_kind", column="kwh", from_unit="kWh")


def test_import_equivmetrics_does_not_import_dask_dataframe() -> None:
    code = (
        "import sys, equivmetrics; "
        "print('dask.dataframe' in sys.modules, 'distributed' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
