"""pandas support: ``import equivmetrics.pandas`` registers the ``.equiv`` accessors.

>>> import pandas as pd
>>> import equivmetrics.pandas
>>> kwh = pd.Series([1000.0, float("nan")], name="kwh")
>>> kwh.equiv.convert("co2e", from_unit="kWh").round(4).tolist()
[0.7087, nan]

``series.equiv.convert(to, from_unit=..., unit=..., bounds=...)`` and
``frame.equiv.convert_frame(column, to=[...])`` are described in docs/dataframes.md. This module
exports nothing else; it needs the ``pandas`` extra (``pip install 'equivmetrics[pandas]'``).
"""

from __future__ import annotations

try:
    import pandas as _pd  # noqa: F401 - only to check that pandas is installed
except ImportError as exc:  # pragma: no cover - exercised without pandas
    raise ImportError(
        "equivmetrics.pandas needs pandas: pip install 'equivmetrics[pandas]'"
    ) from exc

from ._integrations.frames import register_pandas as _register

__all__: list[str] = []

_register()
