"""Dask support: :func:`convert_dask` converts a column of a Dask DataFrame partition-wise.

>>> import dask
>>> import dask.dataframe as dd
>>> import pandas as pd
>>> from equivmetrics.dask import convert_dask
>>> ddf = dd.from_pandas(pd.DataFrame({"kwh": [1000.0, float("nan")]}), npartitions=1)
>>> with dask.config.set(scheduler="synchronous"):
...     convert_dask(ddf, "co2e", column="kwh", from_unit="kWh").compute().round(4).tolist()
[0.7087, nan]

The conversion is compiled once, in the calling process; the tasks sent to the workers carry
only its float factor and the result's name, never an engine, a pint registry or a quantity.
See docs/dataframes.md. Needs the ``dask`` extra (``pip install 'equivmetrics[dask]'``).
"""

from __future__ import annotations

try:
    import dask.dataframe as _dd
except ImportError as exc:  # pragma: no cover - exercised without dask
    raise ImportError("equivmetrics.dask needs dask: pip install 'equivmetrics[dask]'") from exc

import contextlib
import sys
from typing import Any

from ._api.engine import Engine
from ._core.negative import NegativePolicy
from ._core.scaled import times
from ._integrations.frames import (
    column_label,
    column_name,
    column_policy,
    compile_column,
    pandas_values,
)
from ._integrations.progress import wanted
from .exceptions import InputLookupError, InputTypeError

__all__ = ["convert_dask", "progress"]


def _multiply(
    partition: Any, factor: float, name: str, negative: tuple[str, str, str, str] | None = None
) -> Any:
    """One partition times ``factor``: a float64 pandas Series on the partition's index.

    This is the only code the workers run. It takes the factor as a plain float, so a task
    holds no engine and nothing of pint; missing values (``pd.NA``) become NaN as in the
    pandas accessor, and each value is ``float(x) * factor`` exactly.
    """
    import numpy as np  # noqa: PLC0415 - numpy is optional (the [numpy] extra)
    import pandas as pd  # noqa: PLC0415 - pandas is optional (the [pandas] extra)

    values = partition.to_numpy(dtype=np.float64, na_value=np.nan)  # a view when it can be
    if negative is None:
        product = values * factor
    else:  # (policy, kind, unit, column label): plain strings
        policy, kind, unit, label = negative
        product = times(values, factor, policy, kind, unit, where=label, labels=partition.index)
    return pd.Series(product, index=partition.index, name=name, copy=False)


def convert_dask(
    frame_or_series: Any,
    to: str,
    *,
    column: Any = None,
    from_unit: str,
    unit: str | None = None,
    of: str | None = None,
    per: str | None = None,
    engine: Engine | None = None,
    name: str | None = None,
    negative: NegativePolicy | None = None,
) -> Any:
    """Convert a numeric Dask Series, or ``column`` of a Dask DataFrame: a lazy Dask Series.

    The result is float64, named ``f"{to} [{unit}]"`` unless ``name`` is given, with the
    input's partitions and index, so ``ddf.assign(**{result.name: result})`` adds it to the
    frame. ``from_unit`` is the unit of the values; ``unit`` the result unit (default: the
    kind's display unit); ``of``, ``per`` and ``engine`` as in
    :meth:`equivmetrics.Engine.convert`. Unit and kind errors, and non-numeric dtypes, are
    raised here, before anything is computed.

    Each partition is multiplied by the compiled float factor with ``map_partitions``; the
    values equal the single-process ``engine.convert((array, from_unit), to).magnitude`` bit
    for bit, on any scheduler. Negative values follow the kinds' policy unless ``negative``
    overrides it; a refusal is raised when the partition holding it is computed, naming its
    index label.
    """
    series = _series(frame_or_series, column)

    label = column_label(series.name)
    meta = series._meta  # the empty pandas Series describing every partition
    pandas_values(meta, label)  # raises InputTypeError for non-numeric dtypes
    compiled = compile_column(label, engine, from_unit, to, of, unit, per)
    result_name = name if name is not None else column_name(to, compiled.unit)
    out_meta = _multiply(meta, compiled.factor, result_name)
    policy = column_policy(compiled, negative)
    screening = None if policy == "allow" else (policy, compiled.negative_kind, from_unit, label)
    return series.map_partitions(
        _multiply,
        float(compiled.factor),
        result_name,
        screening,
        meta=out_meta,
        enforce_metadata=False,
    )


def _series(frame_or_series: Any, column: Any) -> Any:
    """The Dask Series to convert: ``column`` of a DataFrame, or the Series itself."""
    if isinstance(frame_or_series, _dd.DataFrame):
        if column is None:
            raise InputTypeError(
                "convert_dask on a DataFrame needs column= (the column to convert)", value=None
            )
        if column not in frame_or_series.columns:
            raise InputLookupError(
                f"no column {column!r}; the frame has {list(frame_or_series.columns)!r}",
                value=column,
            )
        return frame_or_series[column]
    if isinstance(frame_or_series, _dd.Series):
        if column is not None:
            raise InputTypeError(
                "column= is for a DataFrame; this is already a Series", value=column
            )
        return frame_or_series
    raise InputTypeError(
        "convert_dask takes a Dask DataFrame or Series, not "
        f"{type(frame_or_series).__name__}; for pandas use the .equiv accessor",
        value=frame_or_series,
    )


def progress(enabled: bool | None = None) -> contextlib.AbstractContextManager[Any]:
    """A progress bar over the Dask tasks computed inside ``with progress():``.

    On when running interactively (standard error a terminal, or a notebook), off otherwise;
    ``enabled`` or the ``EQUIVMETRICS_PROGRESS`` environment variable (``1``/``0``) decide
    first. The bar is tqdm's Dask callback (the ``[progress]`` extra; without tqdm nothing is
    shown), which sees work on Dask's local schedulers; a ``distributed`` cluster has its own
    dashboard. Nothing is changed outside the ``with`` block.
    """
    if not wanted(enabled):
        return contextlib.nullcontext()
    try:
        from tqdm.dask import TqdmCallback  # noqa: PLC0415 - tqdm is the optional [progress] extra
    except ImportError:
        return contextlib.nullcontext()
    return TqdmCallback(desc="dask", file=sys.stderr)  # type: ignore[no-any-return]
