"""Data frames: a pandas accessor and polars helpers over the engine's compiled factors.

Nothing here imports pandas or polars until it is used, so ``import equivmetrics`` stays fast;
``import equivmetrics.pandas`` registers the accessors and ``equivmetrics.polars`` exports the
polars helpers (see docs/dataframes.md).

Conventions shared by every helper:

* The **input** unit is ``from_unit=`` (for pandas it may instead be the series'
  ``attrs["unit"]``, or its entry in a frame's ``attrs["units"]``); ``unit=`` is the **result**
  unit, as in :meth:`equivmetrics.Engine.convert`.
* Results are plain float64 columns named ``f"{to} [{unit}]"`` (the target kind and the result
  unit, e.g. ``"co2e [t]"``) unless ``name=`` is given; pandas results also carry
  ``attrs = {"unit", "kind", "source_kind", "source_unit", "region", "editions"}``. No
  extension dtypes, so JSON and Parquet writers take them as they are.
* Each value is ``float(x) * factor``, exactly the scalar result; NaN stays NaN and missing
  values (``None``, ``pd.NA``, polars null) stay missing. Integer columns are read as float64;
  other non-numeric columns raise :class:`equivmetrics.InputError` naming the column and dtype.
  Negative values follow the policy of the kinds on the path (``refuse``, ``nan`` or
  ``allow``; see :mod:`equivmetrics._core.negative`), or ``negative=`` for one call.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from equivmetrics._api.load import default_engine
from equivmetrics._core.negative import NegativePolicy, check_policy
from equivmetrics.exceptions import EquivMetricsError, InputLookupError, InputTypeError

if TYPE_CHECKING:
    from equivmetrics._api.engine import Engine
    from equivmetrics._engine.compiled import Compiled

__all__ = [
    "FrameAccessor",
    "SeriesAccessor",
    "column_label",
    "column_name",
    "column_policy",
    "compile_column",
    "pandas_values",
    "register_pandas",
]

_registered = False


def register_pandas() -> None:
    """Register the ``.equiv`` accessor on pandas Series and DataFrames (idempotent)."""
    global _registered  # noqa: PLW0603 - registration happens once per process
    if _registered:
        return
    import pandas as pd  # noqa: PLC0415 - pandas is optional (the [pandas] extra)

    pd.api.extensions.register_series_accessor("equiv")(SeriesAccessor)
    pd.api.extensions.register_dataframe_accessor("equiv")(FrameAccessor)
    _registered = True


def column_name(to: str, unit: str) -> str:
    """The default name of a result column: ``"co2e [t]"``."""
    return f"{to} [{unit}]"


def column_label(name: Any) -> str:
    return "the series" if name is None else f"column {name!r}"


def compile_column(
    label: str,
    engine: Engine | None,
    from_unit: str,
    to: str,
    of: str | None,
    unit: str | None,
    per: str | None,
) -> Compiled:
    """The compiled conversion; library errors are re-raised naming the column."""
    if engine is None:
        engine = default_engine()
    try:
        return engine.compile(from_unit, to, of=of, unit=unit, per=per)
    except EquivMetricsError as exc:
        named = copy.copy(exc)
        named.args = (f"{label}: {exc.args[0] if exc.args else exc}", *exc.args[1:])
        raise named from None


def pandas_values(series: Any, label: str) -> Any:
    """The series' values as a float64 numpy array (missing values as NaN)."""
    import numpy as np  # noqa: PLC0415 - numpy is optional (the [numpy] extra)
    import pandas as pd  # noqa: PLC0415 - pandas is optional (the [pandas] extra)

    dtype = series.dtype
    api = pd.api.types
    if not api.is_numeric_dtype(dtype) or api.is_bool_dtype(dtype) or api.is_complex_dtype(dtype):
        raise InputTypeError(
            f"{label} has dtype {dtype}; converting needs numbers (integer or float)", value=dtype
        )
    return series.to_numpy(dtype=np.float64, na_value=np.nan)


def _input_unit(series: Any, from_unit: str | None, label: str) -> str:
    if from_unit is not None:
        return from_unit
    attrs = series.attrs
    found = attrs.get("unit")
    if found is None:
        units = attrs.get("units")
        if isinstance(units, dict):
            found = units.get(series.name)
    if not isinstance(found, str):
        raise InputTypeError(
            f"{label} has no unit: pass from_unit= (e.g. from_unit='kWh') or set "
            "series.attrs['unit']",
            value=series.name,
        )
    return found


class SeriesAccessor:
    """``series.equiv``: conversions of a numeric pandas Series (``import equivmetrics.pandas``)."""

    def __init__(self, series: Any) -> None:
        self._series = series

    def convert(
        self,
        to: str,
        *,
        from_unit: str | None = None,
        unit: str | None = None,
        of: str | None = None,
        per: str | None = None,
        engine: Engine | None = None,
        bounds: bool = False,
        name: str | None = None,
        negative: NegativePolicy | None = None,
    ) -> Any:
        """Convert every value to kind ``to``: a float64 Series with the same index.

        ``from_unit`` is the unit of the values (default: ``series.attrs["unit"]``); ``unit``
        the result unit (default: the kind's display unit); ``of``, ``per`` and ``engine`` as in
        :meth:`equivmetrics.Engine.convert`. Negative values follow the kinds' policy unless
        ``negative`` (``"refuse"``, ``"nan"`` or ``"allow"``) overrides it; a refusal names the
        first negative row's index label. The result is named ``f"{to} [{unit}]"`` unless
        ``name`` is given. With ``bounds=True`` the result is a DataFrame with columns
        ``value``, ``low`` and ``high``. Either way ``attrs`` holds ``unit``, ``kind``,
        ``source_kind``, ``source_unit``, and ``region`` and ``editions``: where the figures
        hold and which editions they are.
        """
        import pandas as pd  # noqa: PLC0415 - pandas is optional (the [pandas] extra)

        series = self._series
        label = column_label(series.name)
        values = pandas_values(series, label)
        in_unit = _input_unit(series, from_unit, label)
        compiled = compile_column(label, engine, in_unit, to, of, unit, per)
        result = compiled.apply(values, negative=negative, where=label, labels=series.index)
        attrs = {
            "unit": compiled.unit,
            "kind": compiled.kind,
            "source_kind": compiled.source_kind,
            "source_unit": in_unit,
            "region": result.region,
            "editions": list(result.editions),
        }
        out: Any
        if bounds:
            out = pd.DataFrame(
                {"value": result.magnitude, "low": result.low, "high": result.high},
                index=series.index,
            )
        else:
            out = pd.Series(
                result.magnitude,
                index=series.index,
                name=name if name is not None else column_name(to, compiled.unit),
                copy=False,  # a new array already: pandas 3 would copy it again
            )
        out.attrs = attrs
        return out


class FrameAccessor:
    """``frame.equiv``: conversions of one column of a pandas DataFrame."""

    def __init__(self, frame: Any) -> None:
        self._frame = frame

    def convert_frame(
        self,
        column: Any,
        to: str | Sequence[str],
        *,
        from_unit: str | None = None,
        of: str | None = None,
        per: str | None = None,
        engine: Engine | None = None,
        negative: NegativePolicy | None = None,
    ) -> Any:
        """A new DataFrame with one float64 column per target kind, on the frame's index.

        ``column`` is converted to each kind in ``to`` (in its display unit); columns are named
        ``f"{to} [{unit}]"``. ``from_unit`` defaults to the frame's ``attrs["units"][column]``
        (or the column's ``attrs["unit"]``). The result's ``attrs["units"]`` and
        ``attrs["kinds"]`` map each new column to its unit and kind; ``negative`` as in
        :meth:`SeriesAccessor.convert`. Join it back with ``frame.join(...)``.
        """
        import pandas as pd  # noqa: PLC0415 - pandas is optional (the [pandas] extra)

        frame = self._frame
        if column not in frame.columns:
            raise InputLookupError(
                f"no column {column!r}; the frame has {list(frame.columns)!r}", value=column
            )
        series = frame[column]
        targets = [to] if isinstance(to, str) else list(to)
        columns: dict[str, Any] = {}
        units: dict[str, str] = {}
        kinds: dict[str, str] = {}
        for target in targets:
            converted = series.equiv.convert(
                target, from_unit=from_unit, of=of, per=per, engine=engine, negative=negative
            )
            columns[converted.name] = converted
            units[converted.name] = converted.attrs["unit"]
            kinds[converted.name] = converted.attrs["kind"]
        out = pd.DataFrame(columns, index=frame.index)
        out.attrs = {"units": units, "kinds": kinds}
        return out


def column_policy(compiled: Compiled, negative: NegativePolicy | None) -> str:
    return compiled.negative if negative is None else check_policy(negative)
