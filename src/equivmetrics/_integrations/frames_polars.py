"""polars columns: :func:`convert_polars` for a Series, :func:`equiv_expr` for an expression.

Both multiply by the engine's compiled float factor, with polars' own multiply or the same
IEEE multiplication, so the values are exactly ``pl.col(column) * factor``. Where the kinds
refuse negative values, the check must not cost a pass of its own: on a large column the
library's fused loop multiplies and checks at once, into memory used before
(:func:`equivmetrics._core.scaled.kept_product`), or the check runs on a second thread, on
numpy's view of the same memory, while polars multiplies
(:func:`equivmetrics._core.scaled.alongside`). The conventions are those of :mod:`.frames`
(names, nulls, integers, policies).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from equivmetrics._core.negative import NegativePolicy, screen
from equivmetrics._core.scaled import alongside, kept_product
from equivmetrics.exceptions import InputTypeError

from .frames import column_label, column_name, column_policy, compile_column

if TYPE_CHECKING:
    import polars as pl

    from equivmetrics._api.engine import Engine

__all__ = ["convert_polars", "equiv_expr"]


def _has_negatives(series: pl.Series) -> bool:
    """One pass: polars' ``min`` skips nulls and NaN (None when every value is missing)."""
    lowest = series.min()
    return lowest is not None and bool(lowest < 0)  # type: ignore[operator]


def _product(values: pl.Series, factor: float) -> tuple[pl.Series, bool]:
    """``values * factor`` by polars, and whether ``values`` (Float64) hold a negative value.

    A column without nulls in one chunk is read by numpy in place. From 524,288 values on
    the library's fused loop multiplies and checks it in one pass, into memory used before
    (:func:`equivmetrics._core.scaled.kept_product`), and the Series holds that array without
    a copy; otherwise it is checked on the second thread while polars multiplies when a core
    is free. Other columns: polars' ``min`` (one pass, faster than numpy's ``fmin`` on one
    thread) checks, then polars multiplies.
    """
    import polars as pl  # noqa: PLC0415 - polars is optional (the [polars] extra)

    if values.null_count() == 0 and values.n_chunks() == 1 and len(values):
        view = values.to_numpy(allow_copy=False)
        kept = kept_product(view, factor)
        if kept is not None:
            return pl.Series(values.name, kept, dtype=pl.Float64), False
        return alongside(view, lambda: values * factor, lambda: _has_negatives(values))
    negative = _has_negatives(values)
    return values * factor, negative


def _refuse(values: pl.Series, *, kind: str, unit: str, where: str) -> None:
    """Raise :class:`NegativeValueError` for the first negative value of ``values``."""
    first = int((values < 0).fill_null(False).arg_true()[0])
    screen(float(values[first]), "refuse", kind, unit, where=where)


def _refused_product(
    batch: pl.Series, *, factor: float, kind: str, unit: str, where: str
) -> pl.Series:
    """Run by polars on each batch of an ``equiv_expr`` whose kinds refuse negative values."""
    import polars as pl  # noqa: PLC0415 - polars is optional (the [polars] extra)

    if batch.dtype not in (pl.Null, pl.Boolean):  # all missing, or read as 0 and 1 (as before)
        _polars_check(batch, where)
    values = batch.cast(pl.Float64)
    product, negative = _product(values, factor)
    if negative:
        _refuse(values, kind=kind, unit=unit, where=where)
    return product


def _polars_check(series: pl.Series, label: str) -> None:
    dtype = series.dtype
    if not dtype.is_numeric():
        raise InputTypeError(
            f"{label} has dtype {dtype}; converting needs numbers (integer or float)",
            value=dtype,
        )


def convert_polars(
    series: pl.Series,
    to: str,
    *,
    from_unit: str,
    unit: str | None = None,
    of: str | None = None,
    per: str | None = None,
    engine: Engine | None = None,
    name: str | None = None,
    negative: NegativePolicy | None = None,
) -> pl.Series:
    """Convert a numeric polars Series: a Float64 Series named ``f"{to} [{unit}]"``.

    Nulls stay null and NaN stays NaN; integers are read as Float64.
    """
    import polars as pl  # noqa: PLC0415 - polars is optional (the [polars] extra)

    if not isinstance(series, pl.Series):
        raise InputTypeError(
            f"convert_polars takes a polars Series, not {type(series).__name__}; "
            "for a column of a frame use equiv_expr",
            value=series,
        )
    label = column_label(series.name)
    _polars_check(series, label)
    compiled = compile_column(label, engine, from_unit, to, of, unit, per)
    values = series.cast(pl.Float64)
    policy = column_policy(compiled, negative)
    if policy == "allow":
        out = values * compiled.factor
    else:
        out, negatives = _product(values, compiled.factor)
        if negatives and policy == "refuse":
            _refuse(values, kind=compiled.negative_kind, unit=from_unit, where=label)
        if negatives:  # "nan": negative values read as missing, then multiplied
            values = values.clone().set((values < 0).fill_null(False), float("nan"))
            out = values * compiled.factor
    return out.alias(name if name is not None else column_name(to, compiled.unit))


def equiv_expr(
    column: str,
    to: str,
    *,
    from_unit: str,
    unit: str | None = None,
    of: str | None = None,
    per: str | None = None,
    engine: Engine | None = None,
    name: str | None = None,
    negative: NegativePolicy | None = None,
) -> pl.Expr:
    """A polars expression: ``pl.col(column)`` times the compiled factor, as Float64.

    It runs in polars (lazy frames and streaming included). The factor is compiled when the
    expression is built, so unit and kind errors are raised here; a column's dtype is known
    only when the expression runs: where negatives are refused a text (or date) column is
    refused then, naming the column, and otherwise polars itself refuses arithmetic on text.
    A column of nulls gives nulls.
    """
    import polars as pl  # noqa: PLC0415 - polars is optional (the [polars] extra)

    if not isinstance(column, str):
        raise InputTypeError(f"column must be a column name, not {column!r}", value=column)
    label = column_label(column)
    compiled = compile_column(label, engine, from_unit, to, of, unit, per)
    values = pl.col(column)
    policy = column_policy(compiled, negative)
    if policy == "refuse":
        multiply = functools.partial(
            _refused_product,
            factor=compiled.factor,
            kind=compiled.negative_kind,
            unit=from_unit,
            where=label,
        )
        expr = values.map_batches(multiply, return_dtype=pl.Float64, is_elementwise=True)
    else:
        if policy == "nan":
            values = pl.when(values < 0).then(float("nan")).otherwise(values)
        expr = values * pl.lit(compiled.factor, dtype=pl.Float64)  # ints, f32 -> f64
    return expr.alias(name if name is not None else column_name(to, compiled.unit))
