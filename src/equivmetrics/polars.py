"""polars support: :func:`convert_polars` for a Series, :func:`equiv_expr` for an expression.

>>> import polars as pl
>>> from equivmetrics.polars import convert_polars, equiv_expr
>>> convert_polars(pl.Series("kwh", [1000, None]), "co2e", from_unit="kWh").round(4).to_list()
[0.7087, None]

Both multiply by the engine's compiled float factor, so the expression runs natively in polars.
See docs/dataframes.md. Needs the ``polars`` extra (``pip install 'equivmetrics[polars]'``).
"""

from __future__ import annotations

try:
    import polars as _pl  # noqa: F401 - only to check that polars is installed
except ImportError as exc:  # pragma: no cover - exercised without polars
    raise ImportError(
        "equivmetrics.polars needs polars: pip install 'equivmetrics[polars]'"
    ) from exc

from ._integrations.frames_polars import convert_polars, equiv_expr

__all__ = ["convert_polars", "equiv_expr"]
